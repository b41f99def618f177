"""Random user histories on several devices, applied through the store's public methods as the app does.

Each step is one user action (a review through the scheduler, an undo, a suspension, a bury, a
setting, a mock result, a plan or drill event). The tests compare what the stores show afterwards.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from quizforge.bank import Bank, Kind
from quizforge.report.command import run as run_report
from quizforge.store import Card, MockResult, Review, Source, Store
from quizforge.store.models import EventKind
from quizforge.study.scheduling import Scheduling
from tests.study.conftest import make_bank, question

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=60)  # the reports' time
CARDS = [f"q{i}" for i in range(6)]
BANK: Bank = make_bank([question(c, Kind.CHOICE, topic="t.a" if i % 2 else "t.b") for i, c in enumerate(CARDS)])
MOCK_IDS = [str(uuid.UUID(int=i + 1)) for i in range(3)]
# settings that do not change a schedule already made (a change of those replays every card, see docs/events.md)
SETTINGS: dict[str, Any] = {
    "new_per_day": st.integers(0, 50),
    "reviews_per_day": st.integers(0, 500),
    "language": st.sampled_from(["en", "zh"]),
    "leech_lapses": st.integers(1, 3),  # low: leeches happen
    "day_start_hour": st.integers(0, 23),
}

card_ids = st.sampled_from(CARDS)
reviews = st.tuples(
    st.just("review"), st.sampled_from(CARDS[:2]), st.sampled_from([1, 1, 2, 3, 3, 4]),
    st.sampled_from(["study", "study", "quiz", "mock", "cram"]),
)  # fmt: skip
STEPS: dict[str, st.SearchStrategy[tuple[Any, ...]]] = {
    "review": reviews,
    "undo": st.tuples(st.just("undo")),
    "suspend": st.tuples(st.just("suspend"), card_ids, st.booleans()),
    "bury": st.tuples(st.just("bury"), card_ids, st.integers(0, 5)),
    "setting": st.sampled_from(sorted(SETTINGS)).flatmap(
        lambda k: st.tuples(st.just("setting"), st.just(k), SETTINGS[k])
    ),
    "mock": st.tuples(st.just("mock"), st.sampled_from(MOCK_IDS), st.integers(0, 100)),
    "plan": st.tuples(st.just("plan"), st.one_of(st.none(), st.text(max_size=8))),
    "drill": st.tuples(st.just("drill"), card_ids, st.booleans()),
}
# reviews (and their undos) are most of what a user does
steps = st.sampled_from(["review"] * 8 + ["undo"] * 2 + sorted(STEPS)).flatmap(lambda k: STEPS[k])
# (device index, hours the device's clock is off, hours since the previous step, the step)
histories = st.lists(st.tuples(st.integers(0, 1), st.integers(1, 30), steps), min_size=4, max_size=60)
skews = st.tuples(st.integers(-48, 48), st.integers(-48, 48))


@dataclass
class Device:
    """One data dir and what its session would remember (the undo stack)."""

    store: Store
    clock: datetime
    undo: list[tuple[str, Card]] = field(default_factory=list)


def open_devices(root: Path, n: int = 2) -> list[Device]:
    """``n`` fresh data dirs, each with a low leech threshold (so that histories make leeches)."""
    devices = [Device(Store.open(root / f"dev{i}" / "quizforge.db"), T0) for i in range(n)]
    for d in devices:
        d.store.set_settings(leech_lapses=1)
    return devices


def play(devices: list[Device], history: list[tuple[int, int, tuple[Any, ...]]], skew: tuple[int, int]) -> None:
    """Apply every step on its device, the way the study session, the mock and the TUI save them."""
    for index, hours, step in history:
        dev = devices[index]
        dev.clock += timedelta(hours=hours)
        now = dev.clock + timedelta(hours=skew[index])
        store = dev.store
        what = step[0]
        if what == "review":
            _, cid, rating, source = step
            rid = str(uuid.uuid4())
            with store.transaction():
                before = store.card(cid) or Card(cid)
                last = before.memory.last_review
                at = now if last is None or now > last else last + timedelta(microseconds=1)
                sched = Scheduling(store.settings())
                after = before if source == Source.CRAM else sched.apply(before, rating, at, rid)
                store.record_review(Review(rid, cid, rating, at, source, answer=f"a{rating}"), after)
            dev.undo.append((rid, before))
        elif what == "undo" and dev.undo:
            rid, before = dev.undo.pop()
            store.undo_review(rid, before, now)
        elif what == "suspend":
            _, cid, on = step
            if store.card(cid) is None:
                store.put_card(Card(cid))
            store.set_suspended(cid, on)
        elif what == "bury":
            _, cid, days = step
            if store.card(cid) is None:
                store.put_card(Card(cid))
            store.bury([cid], now + timedelta(days=days))
        elif what == "setting":
            store.set_settings(**{step[1]: step[2]})
        elif what == "mock":
            _, mid, score = step
            details = {"questions": CARDS[:2], "seeds": [1, 2], "answers": ["x", "y"], "ticks": [[score % 2 == 0]]}
            store.put_mock_result(MockResult(mid, now - timedelta(minutes=30), now, score / 100, details))
        elif what == "plan":
            if step[1] is None:
                store.add_event(EventKind.PLAN_CLEAR)
            else:
                store.add_event(EventKind.PLAN_SET, "", {"goal": step[1]})
        elif what == "drill":
            store.add_event(EventKind.DRILL_ATTEMPT, step[1], {"passed": step[2]})


def state(store: Store, root: Path) -> dict[str, Any]:
    """Everything a user sees: card states, the log, settings, mock history, the plan, and the JSON report."""
    store.sync_bank((q.id, q.topic) for q in BANK)
    out = root / f"report-{uuid.uuid4()}.json"
    run_report(store, BANK, fmt="json", output=out, now=NOW, tz=UTC)
    report = json.loads(out.read_text(encoding="utf-8"))
    report.pop("generated_at")
    plan = store.latest_event(EventKind.PLAN_SET)
    return {
        "cards": store.cards(),
        "reviews": store.reviews(),
        "undone": store.undone_ids(),
        "settings": store.raw_settings(),
        "mocks": store.mock_results(),
        "plan": None if plan is None else (plan.kind, plan.data),
        "drills": sorted(e.id for e in store.events([EventKind.DRILL_ATTEMPT])),
        "report": report,
    }
