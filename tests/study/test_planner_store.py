"""The plan against a real store: the queue follows it, it re-plans from what was done, and it travels."""

from __future__ import annotations

import io
import math
from datetime import date, timedelta
from pathlib import Path

from fsrs.scheduler import DEFAULT_PARAMETERS

from quizforge.bank import Kind
from quizforge.store import Store
from quizforge.store.models import EventKind
from quizforge.study.exchange import export_jsonl, import_jsonl
from quizforge.study.planner import Plan
from quizforge.study.planning import (
    check_request,
    clear_plan,
    current_plan,
    plan_status,
    set_plan,
    study_day,
)
from quizforge.study.scheduling import Rating
from quizforge.study.session import StudySession
from quizforge.study.sync import sync

from .conftest import T0, Clock, make_bank, question

# 20 cards in area a, 10 in area b; the study day of T0 (09:00 UTC, day start 04:00) is 2026-03-02
BANK = make_bank(
    [question(f"a{i:02}", Kind.CHOICE, topic="a.x") for i in range(20)]
    + [question(f"b{i:02}", Kind.CHOICE, topic="b.y") for i in range(10)]
)
TODAY = date(2026, 3, 2)


def study_all(session: StudySession, rating: Rating = Rating.Good) -> list[str]:
    """Answer every card the session shows today with ``rating``; returns the ids in order."""
    shown: list[str] = []
    while (p := session.next_card()) is not None:
        shown.append(p.card_id)
        session.reveal()
        session.rate(rating)
    return shown


def plan_for(store: Store, clock: Clock, days: int, areas: tuple[str, ...] = ("a",), minutes: int = 60) -> Plan:
    request = check_request(BANK, (TODAY + timedelta(days=days)).isoformat(), list(areas), minutes, 0.9, TODAY)
    saved, _ = set_plan(store, BANK, request, clock())
    return saved


def test_the_queue_takes_the_plans_new_cards_from_its_areas(store: Store, clock: Clock) -> None:
    plan_for(store, clock, days=5)  # 20 cards of area a over the 2 days before the 3-day cut-off
    session = StudySession(store, BANK, now=clock, tz=None)
    shown = study_all(session)
    new_today = list(dict.fromkeys(shown))
    assert len(new_today) == 10  # not the settings' 20
    assert all(c.startswith("a") for c in new_today)


def test_without_a_plan_the_settings_limit_holds(store: Store, clock: Clock) -> None:
    plan_for(store, clock, days=5)
    clear_plan(store, clock())
    session = StudySession(store, BANK, now=clock, tz=None)
    assert len(set(study_all(session))) == 20


def test_a_missed_day_is_made_up_on_the_days_left(store: Store, clock: Clock) -> None:
    plan_for(store, clock, days=6)  # 20 cards over 3 days: 7 today
    assert len(set(study_all(StudySession(store, BANK, now=clock)))) == math.ceil(20 / 3)
    clock.advance(days=2)  # day 2 missed; 13 unseen and 1 day before the cut-off
    status = plan_status(store, BANK, clock())
    assert status is not None
    assert (status.days_left, status.new_today) == (4, 13)
    assert status.behind == 7  # the plan as set had 7 new on day 2
    before = {c.card_id for c in store.cards() if not c.is_new}
    study_all(StudySession(store, BANK, now=clock))
    introduced = {c.card_id for c in store.cards() if not c.is_new} - before
    assert len(introduced) == 13 and all(c.startswith("a") for c in introduced)
    after = plan_status(store, BANK, clock())
    assert after is not None and after.seen == 20 and after.behind == 0


def test_final_days_pull_forward_the_cards_weakest_on_the_date(store: Store, clock: Clock) -> None:
    plan_for(store, clock, days=12, areas=("a",), minutes=120)
    for _ in range(9):  # every card of a is introduced before the cut-off, then the final days begin
        study_all(StudySession(store, BANK, now=clock))
        clock.advance(days=1)
    status = plan_status(store, BANK, clock())
    assert status is not None and status.final_days and status.days_left == 3
    session = StudySession(store, BANK, now=clock)
    day0, _ = study_day(clock(), store.settings())
    on_date = day0 + timedelta(days=3)
    decay = -DEFAULT_PARAMETERS[20]
    factor = 0.9 ** (1 / decay) - 1
    queue = list(session._queue)
    due_ids = {c for c, _, _ in store.due_entries(day0 + timedelta(days=1), clock(), 1000)}
    pulled = [c for c in queue if c not in due_ids]
    assert pulled, "some card of area a is predicted below 0.9 on the date"
    recall = {}
    for c in pulled:
        card = store.card(c)
        assert card is not None and card.memory.stability is not None and card.memory.last_review is not None
        elapsed = (on_date - card.memory.last_review).days
        recall[c] = (1 + factor * elapsed / card.memory.stability) ** decay
    assert all(c.startswith("a") for c in pulled)
    assert all(r < 0.9 for r in recall.values())
    assert [recall[c] for c in pulled] == sorted(recall[c] for c in pulled)


def test_a_plan_travels_through_export_and_import(tmp_path: Path, store: Store, clock: Clock) -> None:
    saved = plan_for(store, clock, days=14, areas=("a", "b"), minutes=25)
    out = io.StringIO()
    export_jsonl(store, out)
    path = tmp_path / "export.jsonl"
    path.write_text(out.getvalue(), encoding="utf-8")
    with Store.open(tmp_path / "other" / "quizforge.db") as other:
        assert current_plan(other) is None
        import_jsonl(other, path)
        assert current_plan(other) == saved
        import_jsonl(other, path)  # twice is once
        assert current_plan(other) == saved


def test_a_plan_and_its_clearing_travel_through_sync(tmp_path: Path, clock: Clock) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    with Store.open(tmp_path / "a" / "quizforge.db") as a, Store.open(tmp_path / "b" / "quizforge.db") as b:
        saved = plan_for(a, clock, days=10)
        for s in (a, b):
            sync(s, folder)
        assert current_plan(b) == saved
        clock.advance(hours=1)
        assert clear_plan(b, clock())
        for s in (b, a):
            sync(s, folder)
        assert current_plan(a) is None and current_plan(b) is None
        assert [e.kind for e in a.events([EventKind.PLAN_SET, EventKind.PLAN_CLEAR])] == ["plan.set", "plan.clear"]


def test_the_plan_event_is_stamped_by_the_injected_clock(store: Store, clock: Clock) -> None:
    plan_for(store, clock, days=5)
    event = store.latest_event(EventKind.PLAN_SET)
    assert event is not None and event.at == T0
