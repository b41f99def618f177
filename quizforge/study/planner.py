"""The interview plan's arithmetic: pure functions over card states, with no store and no screen.

A plan is a date, the areas that matter, the minutes a day the candidate has and the target
retrievability on the date. From the in-scope cards' FSRS memories the planner works out how many new
cards a day introduce every card before a cut-off (``cutoff_days`` before the date), then forecasts
the days ahead by simulating them with FSRS (py-fsrs's own review step, rated Good: the expected path)
and its forgetting curve, including the final-review days in which the cards whose predicted
retrievability on the date is lowest are pulled forward. It says whether the plan is feasible (every
day within the minutes, and at least :data:`READY_SHARE` of the cards at or above the target on the
date) and, when not, the best feasible alternatives: a later date, more minutes, fewer areas.
``docs/planner.md`` explains the model and its assumptions.

Time comes in as arguments: ``day0`` is the start of today's study day; day ``k`` is ``day0 + k``
days, and the date is day ``days_left``. Retrievability "on the date" is evaluated at the start of
the interview's study day, with elapsed time counted in whole days as py-fsrs does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from quizforge.store.models import Memory, Phase, Settings
from quizforge.study.scheduling import Rating, Scheduling

READY_SHARE = 0.9  # the share of in-scope cards that must reach the target on the date
DEFAULT_CUTOFF_DAYS = 3  # every in-scope card is introduced at least this many days before the date
DEFAULT_MINUTES = 30
DEFAULT_RETENTION = 0.9
RETENTION_RANGE = (0.7, 0.99)
MINUTES_RANGE = (1, 1440)
# seconds per card when the log has too few timed answers: a concept card read and self-graded, or a
# short calculation, takes about half a minute
DEFAULT_SECONDS_PER_CARD = 30.0
MIN_TIMED_ANSWERS = 20
SECONDS_RANGE = (3.0, 300.0)  # a measured median outside this is clipped (an answer left open over lunch)
STUDY_OFFSET = timedelta(hours=1)  # when, after the day's start, the simulated learner studies
LATER_DATES = 120  # how far past the date the "later date" alternative looks, in days
_DAY = timedelta(days=1)
_Date = date  # the dataclasses below have a field named ``date``


@dataclass(frozen=True)
class PlannedDay:
    """One day of a forecast: the cards it brings and the minutes they take."""

    date: str  # ISO date
    new: int
    reviews: int  # due reviews plus pulled-forward final reviews (relearning steps not counted)
    minutes: float


@dataclass(frozen=True)
class Plan:
    """What the candidate asked for, as stored in the ``plan.set`` event (docs/events.md)."""

    date: _Date
    areas: tuple[str, ...] = ()  # topic-id prefixes (``cnn``, ``optim``) or topic ids; () is the whole bank
    minutes_per_day: int = DEFAULT_MINUTES
    retention: float = DEFAULT_RETENTION
    cutoff_days: int = DEFAULT_CUTOFF_DAYS
    set_on: _Date | None = None  # the study day the plan was set
    seen: int = 0  # in-scope cards already reviewed when it was set (introduced since = seen now - this)
    schedule: tuple[PlannedDay, ...] = ()  # the forecast made then: "planned" in planned vs done

    def to_data(self) -> dict[str, Any]:
        """The event's JSON data."""
        return {
            "date": self.date.isoformat(),
            "areas": list(self.areas),
            "minutes_per_day": self.minutes_per_day,
            "retention": self.retention,
            "cutoff_days": self.cutoff_days,
            "set_on": self.set_on.isoformat() if self.set_on else None,
            "seen": self.seen,
            "schedule": [[d.date, d.new, d.reviews, round(d.minutes, 1)] for d in self.schedule],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Plan:
        """A plan from its event data.

        Raises:
            ValueError: the data is not a plan (a damaged or foreign event).
        """
        try:
            schedule = tuple(PlannedDay(str(d), int(n), int(r), float(m)) for d, n, r, m in data.get("schedule", []))
            set_on = data.get("set_on")
            return cls(
                date=date.fromisoformat(str(data["date"])),
                areas=tuple(str(a) for a in data.get("areas", [])),
                minutes_per_day=int(data.get("minutes_per_day", DEFAULT_MINUTES)),
                retention=float(data.get("retention", DEFAULT_RETENTION)),
                cutoff_days=int(data.get("cutoff_days", DEFAULT_CUTOFF_DAYS)),
                set_on=date.fromisoformat(str(set_on)) if set_on else None,
                seen=int(data.get("seen", 0)),
                schedule=schedule,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not an interview plan: {exc}") from None


@dataclass(frozen=True)
class Alternative:
    """A changed plan that is feasible, with its figures."""

    change: str  # "date" | "minutes" | "areas"
    date: str
    areas: list[str]
    minutes_per_day: int
    cards_in_scope: int
    new_per_day: int
    predicted_ready: float


@dataclass(frozen=True)
class Forecast:
    """The planner's answer for one plan on one day."""

    date: str
    days_left: int
    cards_in_scope: int
    new_per_day: int
    minutes_per_day: int
    feasible: bool
    predicted_ready: float  # share of in-scope cards predicted at or above the target on the date
    seconds_per_card: float
    days: list[PlannedDay] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)

    @property
    def peak_minutes(self) -> float:
        return max((d.minutes for d in self.days), default=0.0)

    def to_json(self) -> dict[str, Any]:
        """The ``quizforge plan --json`` object (a contract: docs/architecture.md §7)."""
        return {
            "date": self.date,
            "days_left": self.days_left,
            "cards_in_scope": self.cards_in_scope,
            "new_per_day": self.new_per_day,
            "minutes_per_day": self.minutes_per_day,
            "feasible": self.feasible,
            "predicted_ready": round(self.predicted_ready, 4),
            "alternatives": [
                {
                    "change": a.change,
                    "date": a.date,
                    "areas": a.areas,
                    "minutes_per_day": a.minutes_per_day,
                    "cards_in_scope": a.cards_in_scope,
                    "new_per_day": a.new_per_day,
                    "predicted_ready": round(a.predicted_ready, 4),
                }
                for a in self.alternatives
            ],
        }


# -- small pieces ----------------------------------------------------------------------------------


def in_area(topic: str, areas: Sequence[str]) -> bool:
    """Whether ``topic`` is in one of ``areas`` (a prefix such as ``cnn``, or a topic id); () is everything."""
    return not areas or any(topic == a or topic.startswith(a + ".") for a in areas)


def area_of(topic: str) -> str:
    """The area of a topic id: its first part (``cnn`` for ``cnn.pool``)."""
    return topic.split(".", 1)[0]


def intro_days(days_left: int, cutoff_days: int) -> int:
    """The days left on which new cards may still be introduced (at least 1 while the date is ahead)."""
    if days_left <= 0:
        return 0
    return max(1, days_left - cutoff_days) if days_left > cutoff_days else days_left


def new_per_day(unseen: int, days_left: int, cutoff_days: int = DEFAULT_CUTOFF_DAYS) -> int:
    """New cards a day so that ``unseen`` cards are all introduced before the cut-off.

    Re-planning is calling this again each day with what is still unseen: a missed day raises the
    number for the days that remain.
    """
    days = intro_days(days_left, cutoff_days)
    if unseen <= 0 or days == 0:
        return 0
    return math.ceil(unseen / days)


def seconds_per_card(durations_ms: Sequence[int]) -> float:
    """The user's seconds per card: the median of the timed answers in the log.

    With fewer than :data:`MIN_TIMED_ANSWERS` timed answers it is :data:`DEFAULT_SECONDS_PER_CARD`;
    a median outside :data:`SECONDS_RANGE` is clipped to it.
    """
    timed = sorted(d for d in durations_ms if d > 0)
    if len(timed) < MIN_TIMED_ANSWERS:
        return DEFAULT_SECONDS_PER_CARD
    mid = len(timed) // 2
    median = timed[mid] if len(timed) % 2 else (timed[mid - 1] + timed[mid]) / 2
    lo, hi = SECONDS_RANGE
    return min(hi, max(lo, median / 1000))


def final_review_pick(
    ids: Sequence[str],
    stability: Sequence[float],
    last_review_s: Sequence[float],
    on: datetime,
    target: float,
    limit: int,
    parameters: Sequence[float],
    skip: frozenset[str] = frozenset(),
) -> list[str]:
    """The final-review queue: up to ``limit`` reviewed cards whose retrievability at ``on`` (FSRS's
    forgetting curve, whole days) is below ``target``, lowest first (ties by card id).

    Args:
        ids, stability, last_review_s: The reviewed cards, as columns (last review in POSIX seconds).
        on: The start of the interview's study day.
        target: The plan's target recall.
        limit: How many at most.
        parameters: The FSRS parameters (their decay shapes the curve).
        skip: Cards to leave out (already queued, or reviewed today).
    """
    import numpy as np  # deferred: the dashboard's start path does not load NumPy

    from quizforge.study.scheduling import retrievability

    if not ids or limit <= 0:
        return []
    r = retrievability(np.asarray(stability, dtype=float), np.asarray(last_review_s, dtype=float), on, parameters)
    low = sorted((float(x), cid) for x, cid in zip(r.tolist(), ids, strict=True) if x < target and cid not in skip)
    return [cid for _, cid in low[:limit]]


# -- the forecast ------------------------------------------------------------------------------------


class _Simulator:
    """Good-rated FSRS reviews, memoised on (phase, step, stability, difficulty, elapsed seconds).

    Every new card follows the same path, and py-fsrs's review step depends only on these, so a
    forecast over a thousand cards costs a few hundred py-fsrs calls.
    """

    def __init__(self, settings: Settings) -> None:
        self.scheduling = Scheduling(replace(settings, enable_fuzzing=False))
        self._memo: dict[tuple[Any, ...], tuple[Phase, int | None, float | None, float | None, timedelta]] = {}

    def good(self, m: Memory, at: datetime) -> Memory:
        elapsed = 0.0 if m.last_review is None else (at - m.last_review).total_seconds()
        key = (m.phase, m.step, m.stability, m.difficulty, elapsed)
        hit = self._memo.get(key)
        if hit is None:
            after = self.scheduling.review(m, Rating.Good, at, "plan")
            assert after.due is not None
            hit = (after.phase, after.step, after.stability, after.difficulty, after.due - at)
            self._memo[key] = hit
        phase, step, s, d, interval = hit
        return Memory(phase, step, s, d, at + interval, at, m.reps + 1, m.lapses)


def _new_card_views(sim: _Simulator, at: datetime, end: datetime) -> int:
    """How often a new card rated Good is shown on its first day (2 with the default learning steps)."""
    m, views = Memory(), 0
    while True:
        m = sim.good(m, at)
        views += 1
        assert m.due is not None
        if m.phase == Phase.REVIEW or m.due >= end:
            return views
        at = max(at, m.due)


def forecast(
    memories: Sequence[Memory | None],
    plan: Plan,
    settings: Settings,
    day0: datetime,
    today: date,
    seconds: float = DEFAULT_SECONDS_PER_CARD,
    *,
    simulator: _Simulator | None = None,
) -> Forecast:
    """Simulate the days from today to the plan's date and predict readiness on the date.

    Args:
        memories: The in-scope cards' FSRS memories; ``None`` (or a ``NEW`` memory) for an unseen card,
            introduced in the order given.
        plan: The plan (its date, minutes, target and cut-off are used; its areas already chose ``memories``).
        settings: The scheduling settings (learning steps, parameters, the scheduler's retention).
        day0: The start of today's study day (timezone-aware).
        today: Today's date (the study day's).
        seconds: Seconds per card shown (:func:`seconds_per_card`).

    Returns:
        The :class:`Forecast` (without alternatives; :func:`plan_forecast` adds them).
    """
    sim = simulator or _Simulator(settings)
    sched = sim.scheduling
    days_left = (plan.date - today).days
    cards: list[Memory | None] = [m if m is not None and m.phase != Phase.NEW else None for m in memories]
    unseen = [i for i, m in enumerate(cards) if m is None]
    per_day = new_per_day(len(unseen), days_left, plan.cutoff_days)
    relearn_views = len(settings.relearning_steps_s)
    capacity = plan.minutes_per_day * 60.0 / seconds
    on_date = day0 + days_left * _DAY
    final_from = days_left - plan.cutoff_days
    days: list[PlannedDay] = []
    fits = True
    short = False  # a day could not introduce its planned new cards within the minutes
    queue = list(unseen)
    new_views = _new_card_views(sim, day0 + STUDY_OFFSET, day0 + _DAY)
    for k in range(max(0, days_left)):
        start, end = day0 + k * _DAY, day0 + (k + 1) * _DAY
        at = start + STUDY_OFFSET
        views = 0.0
        reviewed_today: set[int] = set()
        reviews = 0
        for i, m in enumerate(cards):  # the due reviews come first: they are never skipped
            if m is None or m.due is None or m.due >= end:
                continue
            t = max(at, m.due)
            views += 1 + (1 - sched.retrievability(m, t)) * relearn_views
            reviews += 1
            while True:  # a learning card due again today is shown again
                m = sim.good(m, t)
                if m.due is None or m.due >= end or m.phase == Phase.REVIEW:
                    break
                t = max(t, m.due)
                views += 1
            cards[i] = m
            reviewed_today.add(i)
        # re-planned each day from what is still unseen, then as many as the minutes leave room for
        wanted = new_per_day(len(queue), days_left - k, plan.cutoff_days)
        introduced: list[int] = []
        for i in queue[:wanted]:
            if views + new_views > capacity + 1e-9:
                break
            m = Memory()
            t = at
            while True:
                m = sim.good(m, t)
                views += 1
                assert m.due is not None
                if m.phase == Phase.REVIEW or m.due >= end:
                    break
                t = max(t, m.due)
            cards[i] = m
            reviewed_today.add(i)
            introduced.append(i)
        queue = queue[len(introduced) :]
        short = short or len(introduced) < wanted
        if k >= final_from:  # pulled forward while the minutes last, each charged like a due review
            low = sorted(
                (sched.retrievability(m, on_date), i)
                for i, m in enumerate(cards)
                if m is not None and i not in reviewed_today
            )
            for r, i in low:
                m = cards[i]
                assert m is not None
                cost = 1 + (1 - sched.retrievability(m, at)) * relearn_views
                if r >= plan.retention or views + cost > capacity + 1e-9:
                    break
                cards[i] = sim.good(m, at)
                views += cost
                reviews += 1
        minutes = views * seconds / 60.0
        fits = fits and minutes <= plan.minutes_per_day + 1e-6
        days.append(PlannedDay((today + timedelta(days=k)).isoformat(), len(introduced), reviews, round(minutes, 1)))
    total = len(cards)
    ready = sum(1 for m in cards if m is not None and sched.retrievability(m, on_date) >= plan.retention)
    share = ready / total if total else 1.0
    return Forecast(
        date=plan.date.isoformat(),
        days_left=days_left,
        cards_in_scope=total,
        new_per_day=per_day,
        minutes_per_day=plan.minutes_per_day,
        feasible=days_left > 0 and fits and not short and not queue and share >= READY_SHARE,
        predicted_ready=share,
        seconds_per_card=seconds,
        days=days,
    )


def plan_forecast(
    cards: Sequence[tuple[str, Memory | None]],
    plan: Plan,
    settings: Settings,
    day0: datetime,
    today: date,
    seconds: float = DEFAULT_SECONDS_PER_CARD,
) -> Forecast:
    """:func:`forecast` for the plan's areas, plus the best feasible alternatives when it is not feasible.

    Args:
        cards: Every candidate card as ``(topic, memory)`` in bank order (``None``: never reviewed);
            the plan's areas choose among them.
        plan, settings, day0, today, seconds: as for :func:`forecast`.

    Returns:
        The forecast; when infeasible, ``alternatives`` holds up to one of each: the earliest later date
        that is feasible with the same minutes, the fewest minutes that make the date feasible, and the
        most areas (in the order given, or the bank's) that fit the date and minutes.
    """
    sim = _Simulator(settings)

    def run(p: Plan) -> Forecast:
        chosen = [m for topic, m in cards if in_area(topic, p.areas)]
        return forecast(chosen, p, settings, day0, today, seconds, simulator=sim)

    result = run(plan)
    if result.feasible or result.days_left <= 0 or result.cards_in_scope == 0:
        return result
    alternatives: list[Alternative] = []

    def offer(change: str, p: Plan, f: Forecast) -> None:
        alternatives.append(
            Alternative(
                change, f.date, list(p.areas), p.minutes_per_day, f.cards_in_scope, f.new_per_day, f.predicted_ready
            )
        )

    # a later date: the earliest feasible one (feasibility grows with the days, so bisect)
    far = replace(plan, date=plan.date + timedelta(days=LATER_DATES))
    far_f = run(far)
    if far_f.feasible:
        lo, hi = 0, LATER_DATES  # infeasible at +lo, feasible at +hi
        best = far_f
        while hi - lo > 1:
            mid = (lo + hi) // 2
            f = run(replace(plan, date=plan.date + timedelta(days=mid)))
            if f.feasible:
                hi, best = mid, f
            else:
                lo = mid
        offer("date", replace(plan, date=plan.date + timedelta(days=hi)), best)

    # more minutes: what the busiest day takes when minutes are no limit
    roomy = run(replace(plan, minutes_per_day=MINUTES_RANGE[1]))
    if roomy.feasible:
        need = max(plan.minutes_per_day + 1, math.ceil(roomy.peak_minutes))
        more = replace(plan, minutes_per_day=need)
        f = run(more)
        if f.feasible:
            offer("minutes", more, f)

    # fewer areas: the longest feasible prefix of the areas in the order given (their priority), or for
    # the whole bank smallest first (the most areas that fit)
    sizes: dict[str, int] = {}
    for topic, _ in cards:
        sizes[area_of(topic)] = sizes.get(area_of(topic), 0) + 1
    areas = list(plan.areas) or sorted(sizes, key=lambda a: (sizes[a], a))
    lo, hi = 0, len(areas)  # feasible with areas[:lo] (0: vacuous), infeasible with areas[:hi]
    best_areas: tuple[Plan, Forecast] | None = None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        p = replace(plan, areas=tuple(areas[:mid]))
        f = run(p)
        if f.feasible and f.cards_in_scope:
            lo, best_areas = mid, (p, f)
        else:
            hi = mid
    if best_areas is not None:
        offer("areas", *best_areas)
    return replace(result, alternatives=alternatives)


def behind_by(plan: Plan, introduced: int, today: date) -> int:
    """How many cards the candidate is behind the plan as set: the new cards the schedule planned before
    today minus the in-scope cards introduced since it was set (0 when ahead or on track)."""
    planned = sum(d.new for d in plan.schedule if d.date < today.isoformat())
    return max(0, planned - introduced)
