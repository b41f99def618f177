"""The interview plan against the store: the ``plan.set``/``plan.clear`` events, the in-scope cards, and
what the plan asks of today (the dashboard's panel and the study queue). The arithmetic is in
:mod:`quizforge.study.planner`; ``docs/planner.md`` describes both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo

from quizforge.bank import Bank
from quizforge.i18n import t
from quizforge.store import Settings, Store
from quizforge.store.models import EventKind, Memory, Phase
from quizforge.study.days import day_bounds
from quizforge.study.planner import (
    MINUTES_RANGE,
    RETENTION_RANGE,
    Forecast,
    Plan,
    area_of,
    final_review_pick,
    in_area,
    new_per_day,
    plan_forecast,
    seconds_per_card,
)
from quizforge.study.scheduling import Scheduling

NEW_CARD_VIEWS = 2  # a new card is shown about twice on its first day (the default learning steps)
_FOREVER = datetime.max.replace(tzinfo=UTC)  # "now" for counting new cards whatever their burial


class PlanError(ValueError):
    """A plan the user asked for that cannot be: ``str()`` is one line naming the field."""


def study_day(now: datetime, settings: Settings, tz: tzinfo | None = None) -> tuple[datetime, date]:
    """The start of the study day containing ``now`` (UTC) and that day's date."""
    start, _ = day_bounds(now, settings.day_start_hour, tz)
    return start, (now.astimezone(tz) - timedelta(hours=settings.day_start_hour)).date()


def known_areas(bank: Bank) -> list[str]:
    """The bank's areas (topic-id prefixes such as ``cnn``, ``optim``), in bank order."""
    return list(dict.fromkeys(area_of(q.topic) for q in bank))


def check_request(
    bank: Bank, when: str, areas: Sequence[str], minutes: int, retention: float, today: date, lang: str = "en"
) -> Plan:
    """A plan from what the user typed (the CLI's flags or the dialog's fields).

    Raises:
        PlanError: one line naming the first bad field (a bad or past date, an unknown area, minutes
            or retention out of range).
    """
    try:
        day = date.fromisoformat(when.strip())
    except ValueError:
        raise PlanError(t("plan.error.bad_date", lang, value=when)) from None
    if day <= today:
        raise PlanError(t("plan.error.past_date", lang, value=day.isoformat(), today=today.isoformat()))
    names = [a.strip() for a in areas if a.strip()]
    topics = {q.topic for q in bank}
    for a in names:
        if not any(in_area(tp, [a]) for tp in topics):
            raise PlanError(t("plan.error.unknown_area", lang, value=a, known=", ".join(known_areas(bank))))
    lo, hi = MINUTES_RANGE
    if not lo <= minutes <= hi:
        raise PlanError(t("plan.error.minutes", lang, value=minutes, lo=lo, hi=hi))
    rlo, rhi = RETENTION_RANGE
    if not rlo <= retention <= rhi:
        raise PlanError(t("plan.error.retention", lang, value=retention, lo=rlo, hi=rhi))
    return Plan(date=day, areas=tuple(dict.fromkeys(names)), minutes_per_day=minutes, retention=retention)


def current_plan(store: Store) -> Plan | None:
    """The plan in force: the latest ``plan.set`` unless a later ``plan.clear`` took it back."""
    event = store.latest_event(EventKind.PLAN_SET)
    if event is None or event.kind != EventKind.PLAN_SET:
        return None
    try:
        return Plan.from_data(event.data)
    except ValueError:
        return None


def scope_cards(store: Store, bank: Bank, areas: Sequence[str]) -> list[tuple[str, str, Memory | None]]:
    """The plan's cards: ``(card id, topic, memory or None when never reviewed)`` in bank order, suspended
    cards left out (they are not studied)."""
    ids = [q.id for q in bank if in_area(q.topic, areas)]
    rows = {c.card_id: c for c in store.cards(ids)}
    out: list[tuple[str, str, Memory | None]] = []
    for q in bank:
        if not in_area(q.topic, areas):
            continue
        card = rows.get(q.id)
        if card is not None and card.suspended:
            continue
        memory = card.memory if card is not None and card.memory.phase != Phase.NEW else None
        out.append((q.id, q.topic, memory))
    return out


def make_forecast(store: Store, bank: Bank, plan: Plan, now: datetime, tz: tzinfo | None = None) -> Forecast:
    """Re-plan from the store as it is now: the forecast (and alternatives) for ``plan`` from today."""
    settings = store.settings()
    day0, today = study_day(now, settings, tz)
    cards = [(topic, memory) for _, topic, memory in scope_cards(store, bank, ())]
    seconds = seconds_per_card(store.recent_durations())
    return plan_forecast(cards, plan, settings, day0, today, seconds)


def set_plan(store: Store, bank: Bank, plan: Plan, now: datetime, tz: tzinfo | None = None) -> tuple[Plan, Forecast]:
    """Save ``plan`` as a ``plan.set`` event (with today's forecast as its schedule) and return both."""
    settings = store.settings()
    _, today = study_day(now, settings, tz)
    result = make_forecast(store, bank, plan, now, tz)
    seen = sum(1 for _, _, m in scope_cards(store, bank, plan.areas) if m is not None)
    saved = replace(plan, set_on=today, seen=seen, schedule=tuple(result.days))
    store.add_event(EventKind.PLAN_SET, "", saved.to_data(), at=now)
    return saved, result


def clear_plan(store: Store, now: datetime) -> bool:
    """Take the plan back (a ``plan.clear`` event). Returns whether there was one."""
    if current_plan(store) is None:
        return False
    store.add_event(EventKind.PLAN_CLEAR, "", {}, at=now)
    return True


@dataclass(frozen=True)
class PlanStatus:
    """Where the candidate stands today (the dashboard's panel)."""

    plan: Plan
    days_left: int  # 0 on the day, negative after it
    cards_in_scope: int
    seen: int  # in-scope cards reviewed at least once
    new_today: int  # the re-planned number of new cards for today
    new_done: int  # new cards studied today
    due_today: int  # in-scope reviews due by the end of today
    behind: int  # cards behind the plan as set (0: on track)
    final_days: bool  # within the cut-off: the final-review queue is on


def plan_status(store: Store, bank: Bank, now: datetime, tz: tzinfo | None = None) -> PlanStatus | None:
    """Today's figures of the plan in force, or ``None`` without one (a few queries; no forecast)."""
    from quizforge.study.planner import behind_by

    plan = current_plan(store)
    if plan is None:
        return None
    settings = store.settings()
    day0, today = study_day(now, settings, tz)
    new_done, _ = store.day_counts(day0, day0 + timedelta(days=1))
    cards = scope_cards(store, bank, plan.areas)
    seen = sum(1 for _, _, m in cards if m is not None)
    days_left = (plan.date - today).days
    unseen_at_start = len(cards) - seen + new_done
    areas = list(plan.areas) or None
    return PlanStatus(
        plan=plan,
        days_left=days_left,
        cards_in_scope=len(cards),
        seen=seen,
        new_today=new_per_day(unseen_at_start, days_left, plan.cutoff_days),
        new_done=new_done,
        due_today=store.count_due(day0 + timedelta(days=1), now, areas),
        behind=behind_by(plan, seen - plan.seen, today),
        final_days=0 < days_left <= plan.cutoff_days,
    )


@dataclass(frozen=True)
class PlanQueue:
    """What the plan puts in today's queue."""

    new_room: int  # new cards still to introduce today
    areas: list[str] | None  # where new cards come from (None: the whole bank)
    final: list[str]  # pulled-forward final reviews, lowest predicted retrievability on the date first


def plan_queue(
    store: Store,
    bank: Bank,
    settings: Settings,
    now: datetime,
    tz: tzinfo | None,
    new_done: int,
    reviews_done: int,
    queued: Sequence[str],
) -> PlanQueue | None:
    """Today's queue under the plan in force (``None``: no plan, or its date has come).

    The daily new limit becomes the re-planned number for the plan's areas; within the cut-off days the
    in-scope cards predicted below the target on the date are pulled forward, as many as the minutes
    a day leave room for after ``queued`` reviews and today's new cards.
    """
    plan = current_plan(store)
    if plan is None:
        return None
    day0, today = study_day(now, settings, tz)
    days_left = (plan.date - today).days
    if days_left <= 0:
        return None
    areas = list(plan.areas) or None
    # unseen when the day began: a follow-up buried for today is still unseen, so count past every burial
    unseen_at_start = store.count_new(_FOREVER, areas) + new_done
    new_room = max(0, new_per_day(unseen_at_start, days_left, plan.cutoff_days) - new_done)
    final: list[str] = []
    if days_left <= plan.cutoff_days:
        capacity = int(plan.minutes_per_day * 60 / seconds_per_card(store.recent_durations()))
        room = capacity - reviews_done - len(queued) - new_room * NEW_CARD_VIEWS
        ids, topics, stability, last = store.memory_columns()
        keep = [
            i
            for i, (cid, topic) in enumerate(zip(ids, topics, strict=True))
            if cid in bank.questions and in_area(topic, plan.areas) and last[i] < day0.timestamp()  # not today's
        ]
        picked = final_review_pick(
            [ids[i] for i in keep],
            [stability[i] for i in keep],
            [last[i] for i in keep],
            day0 + timedelta(days=days_left),
            plan.retention,
            room + 50,  # a few spare: suspended ones are dropped below
            Scheduling(settings).scheduler.parameters,
            frozenset(queued),
        )
        suspended = {c.card_id for c in store.cards(picked) if c.suspended}
        final = [cid for cid in picked if cid not in suspended][: max(0, room)]
    return PlanQueue(new_room, areas, final)


def describe(result: Forecast, plan: Plan, lang: str) -> list[str]:
    """The forecast as lines for the command line and the dialog's notice."""
    pct = "{:.0%}".format
    lines = [
        t(
            "plan.summary",
            lang,
            date=result.date,
            days=result.days_left,
            cards=result.cards_in_scope,
            new=result.new_per_day,
            peak=round(result.peak_minutes),
            budget=result.minutes_per_day,
        ),
        t("plan.areas", lang, areas=", ".join(plan.areas) or t("plan.whole_bank", lang)),
        t(
            "plan.ready",
            lang,
            ready=pct(result.predicted_ready),
            target=f"{plan.retention:g}",
            spc=f"{result.seconds_per_card:g}",
        ),
        t("plan.feasible" if result.feasible else "plan.infeasible", lang),
    ]
    if not result.feasible:
        lines.append(t("plan.alternatives" if result.alternatives else "plan.no_alternative", lang))
    for a in result.alternatives:
        fields = {"ready": pct(a.predicted_ready), "new": a.new_per_day}
        if a.change == "date":
            lines.append("  · " + t("plan.alt.date", lang, date=a.date, **fields))
        elif a.change == "minutes":
            lines.append("  · " + t("plan.alt.minutes", lang, minutes=a.minutes_per_day, **fields))
        else:
            lines.append("  · " + t("plan.alt.areas", lang, areas=", ".join(a.areas), cards=a.cards_in_scope, **fields))
    return lines
