"""The store's write paths one by one, asserting what lands in the tables and the log: rows, flags, events,
sequence numbers, undone ids, settings and mock caches (found by mutation testing, issue 21)."""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizforge.store import Card, Memory, MockResult, Phase, Review, Settings, Store
from quizforge.store.models import Event, EventKind
from quizforge.store.repository import iso, parse_iso, review_from_row

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
US = timedelta(microseconds=1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "quizforge.db")
    yield s
    s.close()


def review(rid: str, card_id: str = "q1", at: datetime = T0, **kw: object) -> Review:
    return Review(id=rid, card_id=card_id, rating=3, reviewed_at=at, **kw)  # type: ignore[arg-type]


def event(kind: str, key: str, data: dict[str, object], at: datetime = T0, eid: str | None = None) -> Event:
    return Event(eid or str(uuid.uuid4()), kind, key, at, "other-device", data)


def log_rows(store: Store) -> list[tuple[object, ...]]:
    """``(id, device, seq)`` of every review row, straight from the table."""
    conn = sqlite3.connect(store.path)
    try:
        return conn.execute("SELECT id, device, seq FROM review_log ORDER BY seq").fetchall()
    finally:
        conn.close()


def event_seqs(store: Store) -> list[int]:
    conn = sqlite3.connect(store.path)
    try:
        return [r[0] for r in conn.execute("SELECT seq FROM events ORDER BY seq").fetchall()]
    finally:
        conn.close()


def learned(card_id: str, *, reps: int = 1, lapses: int = 0, **flags: object) -> Card:
    memory = Memory(
        phase=Phase.REVIEW, step=None, stability=2.5, difficulty=6.0, due=T0 + DAY, last_review=T0, reps=reps,
        lapses=lapses,
    )  # fmt: skip
    return Card(card_id, topic="cnn.pool", position=3, memory=memory, **flags)  # type: ignore[arg-type]


# -- record_review / undo_review --------------------------------------------------------------------


def test_record_review_logs_the_row_with_this_device_and_a_growing_seq(store: Store) -> None:
    store.record_review(review("r1"), learned("q1"))
    store.record_review(review("r2", at=T0 + DAY, device="phone"), learned("q1", reps=2))
    assert log_rows(store) == [("r1", store.device, 1), ("r2", "phone", 2)]
    assert store.reviews()[0].device == store.device
    card = store.card("q1")
    assert card == learned("q1", reps=2)
    assert store.events() == []  # no flag changed


def test_record_review_that_makes_a_leech_logs_both_flags(store: Store) -> None:
    store.record_review(review("r1"), learned("q1"))
    store.record_review(review("r2", at=T0 + DAY), learned("q1", lapses=8, leech=True, suspended=True))
    assert sorted((e.kind, e.key, str(e.data), e.device) for e in store.events()) == [
        ("card.leech", "q1", "{'leech': True}", store.device),
        ("card.suspend", "q1", "{'suspended': True}", store.device),
    ]
    assert store.card_flags(["q1"]) == {"q1": (True, True, None)}
    # the events come after the review in the local sequence
    assert event_seqs(store) == [3, 4]


def test_undo_review_logs_the_undo_drops_the_row_and_restores_the_card(store: Store) -> None:
    before = learned("q1")
    store.record_review(review("r1"), before)
    store.record_review(review("r2", at=T0 + DAY), learned("q1", reps=2, lapses=8, leech=True))
    undo_at = T0 + 2 * DAY
    store.undo_review("r2", before, undo_at)
    assert [r.id for r in store.reviews()] == ["r1"]
    assert store.undone_ids() == ["r2"]
    assert store.card("q1") == before
    undos = store.events([EventKind.UNDO])
    assert [(e.key, e.at, e.data, e.device) for e in undos] == [("r2", undo_at, {}, store.device)]
    leech = store.events([EventKind.LEECH])
    assert [e.data for e in leech] == [{"leech": True}, {"leech": False}]
    assert store.card_flags(["q1"])["q1"] == (False, False, None)
    # the undo's number is above the deleted review's, so the highest number never drops
    assert store.last_seq() == 5


# -- set_suspended / bury --------------------------------------------------------------------------


def test_set_suspended_changes_the_row_and_logs_only_real_changes(store: Store) -> None:
    store.set_suspended("missing", True)
    assert store.card("missing") is None and store.events() == []
    store.put_card(Card("q1"))
    store.put_card(Card("q2"))
    store.set_suspended("q1", False)
    assert store.events() == []
    store.set_suspended("q1", True)
    q1, q2 = store.card("q1"), store.card("q2")
    assert q1 is not None and q1.suspended and q2 is not None and not q2.suspended
    store.set_suspended("q1", False)
    q1 = store.card("q1")
    assert q1 is not None and not q1.suspended
    assert [(e.key, e.data) for e in store.events([EventKind.SUSPEND])] == [
        ("q1", {"suspended": True}),
        ("q1", {"suspended": False}),
    ]
    assert store.count_new(T0) == 2


def test_bury_sets_every_row_and_logs_only_the_cards_it_changes(store: Store) -> None:
    until = T0 + DAY
    store.put_cards([Card("a", position=1), Card("b", position=2), Card("c", position=3, buried_until=until)])
    assert [(e.key, e.data) for e in store.events()] == [("c", {"until": "2026-03-02T12:00:00.000000+00:00"})]
    store.bury(["a", "c", "missing"], until)
    assert [(e.key, e.data["until"]) for e in store.events([EventKind.BURY])] == [
        ("c", "2026-03-02T12:00:00.000000+00:00"),
        ("a", "2026-03-02T12:00:00.000000+00:00"),
    ]
    assert [c.buried_until for c in store.cards()] == [until, None, until]
    assert store.card("missing") is None
    assert [c.card_id for c in store.new_cards(T0, 10)] == ["b"]
    assert [c.card_id for c in store.new_cards(until, 10)] == ["a", "b", "c"]  # buried until exactly now: back
    assert store.count_new(until - US) == 1


# -- add_reviews / merge ---------------------------------------------------------------------------


def test_add_reviews_unions_by_id_and_takes_back_undone_ids(store: Store) -> None:
    store.record_review(review("r1", "q1"), learned("q1"))
    store.undo_review("gone", learned("q1"), T0)  # already undone here: no second undo event
    changed = store.add_reviews(
        [review("r1", "q1"), review("r2", "q2"), review("r3", "q3"), review("gone", "q4")], undone=["r1", "gone"]
    )
    assert changed == ["q1", "q2", "q3"]  # q1 lost r1, q2 and q3 gained one; q4's review stays undone
    assert sorted(r.id for r in store.reviews()) == ["r2", "r3"]
    assert store.undone_ids() == ["gone", "r1"]
    undos = store.events([EventKind.UNDO])
    assert sorted(e.key for e in undos) == ["gone", "r1"]
    assert {e.device for e in undos} == {store.device}
    assert store.add_reviews([review("r2", "q2")]) == []


def test_merge_counts_and_reports_what_to_rebuild(store: Store) -> None:
    store.record_review(review("r0", "q0"), learned("q0"))
    known = event(EventKind.SETTING, "new_per_day", {"value": 5}, eid="e-known")
    first = store.merge([], [known])
    assert (first.events_added, first.events_known) == (1, 0)
    assert first.settings == {"new_per_day"} and first.cards == set() and first.mocks == set()
    events = [
        known,
        event(EventKind.SUSPEND, "s1", {"suspended": True}),
        event(EventKind.LEECH, "l1", {"leech": True}),
        event(EventKind.BURY, "b1", {"until": None}),
        event(EventKind.MOCK_RESULT, "m1", {"started_at": "x", "finished_at": "y", "score": 0.5}),
        event(EventKind.UNDO, "r0", {}),  # a review here: its card is replayed
        event(EventKind.UNDO, "never-seen", {}),  # no row: no card
        event("plan.set", "", {"goal": 1}),
        event("made.by.a.newer.version", "k", {}),
    ]
    reviews = [review("r0", "q0"), review("r1", "q1", device="phone"), review("r2", "q2"), review("r2", "q2")]
    m = store.merge(reviews, events)
    assert (m.events_added, m.events_known) == (8, 1)
    assert (m.reviews_added, m.reviews_known) == (2, 2)  # r0 is undone, r2 is sent twice
    assert m.cards == {"s1", "l1", "b1", "q0", "q1", "q2"}
    assert m.settings == set() and m.mocks == {"m1"}
    assert store.undone_ids() == ["never-seen", "r0"]
    rows = log_rows(store)
    assert [(rid, dev) for rid, dev, _ in rows] == [("r1", "phone"), ("r2", store.device)]
    seqs = sorted([int(s) for _, _, s in rows] + event_seqs(store))  # type: ignore[call-overload]
    assert seqs == list(range(2, 2 + len(seqs)))  # one number per new row, none reused, none skipped
    again = store.merge(reviews, events)
    assert (again.events_added, again.events_known, again.reviews_added, again.reviews_known) == (0, 9, 0, 4)
    assert again.cards == set()


def test_since_returns_what_arrived_after_a_mark(store: Store) -> None:
    store.record_review(review("r1"), learned("q1"))
    mark = store.last_seq()
    store.set_settings(new_per_day=4)
    store.record_review(review("r2", at=T0 + DAY), learned("q1", reps=2))
    reviews, events, last = store.since(mark)
    assert [r.id for r in reviews] == ["r2"]
    assert [(e.kind, e.key) for e in events] == [("setting", "new_per_day")]
    assert last == mark + 2 == store.last_seq()
    assert store.since(last) == ([], [], last)


# -- events, flags and caches ----------------------------------------------------------------------


def test_a_local_register_event_moves_one_microsecond_past_the_latest_only(store: Store) -> None:
    late = T0 + DAY
    store.merge([], [event(EventKind.SUSPEND, "q1", {"suspended": True}, at=late)])
    mine = store.add_event(EventKind.SUSPEND, "q1", {"suspended": False}, at=T0)
    assert mine.at == late + US and mine.device == store.device
    exact = store.add_event(EventKind.SUSPEND, "q1", {"suspended": True}, at=late + US)  # equal: moved too
    assert exact.at == late + 2 * US
    ahead = store.add_event(EventKind.SUSPEND, "q1", {"suspended": False}, at=late + DAY)
    assert ahead.at == late + DAY
    other_key = store.add_event(EventKind.SUSPEND, "q2", {"suspended": True}, at=T0)
    assert other_key.at == T0
    # plan.set and plan.clear share one register
    plan = store.add_event("plan.set", data={"goal": 1}, at=late)
    assert (plan.key, plan.data) == ("", {"goal": 1})  # a plan is about nothing in particular
    clear = store.add_event("plan.clear", "", {}, at=T0)
    assert clear.at == late + US
    # append-only kinds keep their time
    store.add_event("drill.attempt", "q1", {"n": 1}, at=late)
    attempt = store.add_event("drill.attempt", "q1", {"n": 2}, at=T0)
    assert attempt.at == T0
    assert store.latest_event("plan.set") == clear


def test_add_event_updates_the_caches_it_touches(store: Store) -> None:
    store.put_card(Card("q1"))
    store.add_event(EventKind.SUSPEND, "q1", {"suspended": True})
    store.add_event(EventKind.LEECH, "q2", {"leech": True})  # no row yet: made
    until = T0 + DAY
    store.add_event(EventKind.BURY, "q3", {"until": "2026-03-02T12:00:00+00:00"})
    q1, q2, q3 = store.card("q1"), store.card("q2"), store.card("q3")
    assert q1 is not None and (q1.suspended, q1.leech, q1.buried_until) == (True, False, None)
    assert q2 is not None and (q2.suspended, q2.leech, q2.buried_until) == (False, True, None)
    assert q3 is not None and (q3.suspended, q3.leech, q3.buried_until) == (False, False, until)
    store.add_event(EventKind.SETTING, "new_per_day", {"value": 9})
    assert store.settings().new_per_day == 9 and store.raw_settings() == {"new_per_day": 9}
    data = {"started_at": "2026-03-01T12:00:00.000000+00:00", "finished_at": "2026-03-01T13:00:00.000000+00:00"}
    store.add_event(EventKind.MOCK_RESULT, "m1", {**data, "score": 0.75, "details": {"n": 3}})
    assert store.mock_results() == [MockResult("m1", T0, T0 + timedelta(hours=1), 0.75, {"n": 3})]


@pytest.mark.parametrize("n", [3, 501])
def test_card_flags_agree_below_and_above_the_bulk_threshold(store: Store, n: int) -> None:
    ids = [f"c{i:04d}" for i in range(n)]
    until = "2026-03-05T00:00:00.000000+00:00"
    evs = [
        event(EventKind.SUSPEND, ids[0], {"suspended": True}, at=T0),
        event(EventKind.SUSPEND, ids[0], {"suspended": False}, at=T0 + DAY),  # the later one wins
        event(EventKind.LEECH, ids[1], {"leech": True}, at=T0 + DAY),
        event(EventKind.LEECH, ids[1], {"leech": False}, at=T0),
        event(EventKind.BURY, ids[2], {"until": until}, at=T0),
        event(EventKind.SUSPEND, ids[2], {"suspended": True}, at=T0),
        event(EventKind.SUSPEND, "not-asked", {"suspended": True}, at=T0),
    ]
    store.merge([], evs)
    flags = store.card_flags(ids)
    assert set(flags) == set(ids)
    assert flags[ids[0]] == (False, False, None)
    assert flags[ids[1]] == (True, False, None)
    assert flags[ids[2]] == (False, True, datetime(2026, 3, 5, tzinfo=UTC))
    assert all(flags[c] == (False, False, None) for c in ids[3:])
    store.refresh_flags(ids)
    got = {c.card_id: (c.leech, c.suspended, c.buried_until) for c in store.cards(ids)}
    assert got == flags
    assert store.card("not-asked") is None


def test_rebuild_caches_follows_the_winning_event_and_drops_unusable_values(store: Store) -> None:
    store.set_settings(new_per_day=5, language="zh")
    store.merge(
        [],
        [
            event(EventKind.SETTING, "new_per_day", {"value": 7}, at=T0 + 400 * DAY),
            event(EventKind.SETTING, "language", {"value": "fr"}, at=T0 + 400 * DAY),  # unusable here
            event(EventKind.SETTING, "from_the_future", {"value": 1}, at=T0),
        ],
    )
    store.rebuild_caches(settings=["language", "from_the_future", "reviews_per_day", "new_per_day"])
    assert store.raw_settings() == {"new_per_day": 7}
    assert store.settings().language == "en" and store.get_value("language") is None  # no row: the default
    started = "2026-03-01T12:00:00.000000+00:00"
    store.merge(
        [],
        [
            event(EventKind.MOCK_RESULT, "m1", {"started_at": started, "finished_at": started, "score": 0.2}, at=T0),
            event(
                EventKind.MOCK_RESULT,
                "m1",
                {"started_at": started, "finished_at": started, "score": 0.9, "details": {"q": [1]}},
                at=T0 + DAY,
            ),
        ],
    )
    later = "2026-03-02T12:00:00.000000+00:00"
    store.merge([], [event(EventKind.MOCK_RESULT, "m2", {"started_at": later, "finished_at": later, "score": 1})])
    store.rebuild_caches(mocks=["m1", "no-event", "m2"])
    assert store.mock_results() == [MockResult("m1", T0, T0, 0.9, {"q": [1]}), MockResult("m2", T0 + DAY, T0 + DAY, 1)]
    assert store.mock_results()[1].details == {}


# -- settings and mock results ---------------------------------------------------------------------


def test_set_settings_logs_only_changes_and_compares_tuples_with_stored_lists(store: Store) -> None:
    with pytest.raises(KeyError, match="bogus"):
        store.set_settings(bogus=1, new_per_day=3)
    assert store.events() == [] and store.raw_settings() == {}
    got = store.set_settings(learning_steps_s=(30, 90), new_per_day=20)  # 20 is the default, but not stored yet
    assert got == Settings(learning_steps_s=(30, 90), new_per_day=20)
    assert store.raw_settings() == {"learning_steps_s": [30, 90], "new_per_day": 20}
    store.set_settings(learning_steps_s=(30, 90), new_per_day=20)
    assert [(e.key, e.data) for e in store.events()] == [
        ("learning_steps_s", {"value": [30, 90]}),
        ("new_per_day", {"value": 20}),
    ]
    store.set_settings(learning_steps_s=(30, 90), new_per_day=5)  # the first unchanged, the second not
    assert store.settings().new_per_day == 5
    assert [e.key for e in store.events()] == ["learning_steps_s", "new_per_day", "new_per_day"]


def test_raw_settings_leave_out_internal_damaged_and_wrong_values(store: Store) -> None:
    conn = sqlite3.connect(store.path)
    with conn:  # damaged rows first: reading them must not stop the read of the rows after them
        conn.execute("INSERT INTO settings (key, value) VALUES ('reviews_per_day', '{broken')")
        conn.execute("INSERT INTO settings (key, value) VALUES ('language', '\"fr\"')")
    conn.close()
    store.set_settings(new_per_day=3)
    store.set_value("_internal", 1)
    store.set_value("x_not_internal", 2)  # starts with x, not _: a LIKE without escaping would drop it too
    assert store.raw_settings() == {"new_per_day": 3, "x_not_internal": 2}
    assert store.settings() == Settings(new_per_day=3)
    assert store.get_value("_internal") == 1 and store.get_value("nothing") is None


def test_mock_results_add_put_and_log(store: Store) -> None:
    first = MockResult("m1", T0, T0 + DAY, 0.5, {"answers": ["a"]})
    store.add_mock_result(first)
    with pytest.raises(sqlite3.IntegrityError):
        store.add_mock_result(MockResult("m1", T0, T0, 0.1))
    assert store.mock_results() == [first]
    fixed = MockResult("m1", T0, T0 + DAY, 0.75, {"answers": ["a"], "ticks": [1]})
    store.put_mock_result(fixed)
    earlier = MockResult("m0", T0 - DAY, T0 - DAY, 1.0)
    store.put_mock_result(earlier)
    assert store.mock_results() == [earlier, fixed]  # oldest first
    logged = store.events([EventKind.MOCK_RESULT])
    assert [(e.key, e.data["score"]) for e in logged] == [("m1", 0.5), ("m1", 0.75), ("m0", 1.0)]
    assert logged[1].data == {
        "started_at": "2026-03-01T12:00:00.000000+00:00",
        "finished_at": "2026-03-02T12:00:00.000000+00:00",
        "score": 0.75,
        "details": {"answers": ["a"], "ticks": [1]},
    }


# -- reads the write paths rely on -----------------------------------------------------------------


def test_day_counts_split_new_from_review_cards_by_scheduled_history(store: Store) -> None:
    start, end = T0, T0 + DAY
    store.add_reviews(
        [
            review("old", "seen", at=T0 - DAY),  # reviewed before today: a review card today
            review("t1", "seen", at=T0 + timedelta(hours=1)),
            review("t2", "seen", at=T0 + timedelta(hours=2)),  # twice today: one card
            review("cram", "crammed", at=T0 - DAY, source="cram"),  # cram history does not count
            review("t3", "crammed", at=T0 + timedelta(hours=3)),
            review("t4", "fresh", at=T0),  # at the start: inside
            review("t5", "late", at=end),  # at the end: outside
            review("t6", "cram-only", at=T0 + timedelta(hours=4), source="cram"),  # cram today: not studied
        ]
    )
    assert store.day_counts(start, end) == (2, 1)  # new: crammed, fresh; review: seen
    assert store.count_reviews_between(start, end) == 4
    assert store.count_reviews_between(start, end, scheduled_only=False) == 5
    assert store.review_count() == 8
    assert [r.id for r in store.reviews("crammed")] == ["cram", "t3"]
    assert [r.id for r in store.reviews("crammed", scheduled_only=True)] == ["t3"]
    assert len(store.reviews(scheduled_only=True)) == 6


def test_iter_reviews_reads_every_row_in_replay_order_across_batches(store: Store) -> None:
    rows = [review(f"r{i}", at=T0 + (i // 2) * DAY) for i in range(7)]  # pairs share a time: id breaks the tie
    store.add_reviews(reversed(rows))
    assert [r.id for r in store.iter_reviews(batch=2)] == [r.id for r in rows]
    assert [r.id for r in store.iter_reviews(batch=3)] == [r.id for r in store.reviews()]


def test_memory_columns_list_reviewed_cards_with_posix_times(store: Store) -> None:
    assert store.memory_columns() == ([], [], [], [])
    store.put_cards([learned("q1"), Card("new", topic="t")])
    ids, topics, stability, last = store.memory_columns()
    assert (ids, topics, stability) == (["q1"], ["cnn.pool"], [2.5])
    assert last == [pytest.approx(T0.timestamp(), abs=1e-3)]


def test_sync_bank_inserts_moves_and_skips_an_unchanged_bank(store: Store) -> None:
    assert store.sync_bank([("a", "t1"), ("b", "t2")]) == 2
    assert store.sync_bank([("a", "t1"), ("b", "t2")]) == 0
    store.record_review(review("r1", "b"), learned("b"))
    assert store.sync_bank([("b", "t3"), ("a", "t1"), ("c", "t1")]) == 3  # b moved, a moved, c new
    assert [(c.card_id, c.topic, c.position) for c in store.cards()] == [("b", "t3", 0), ("a", "t1", 1), ("c", "t1", 2)]
    b = store.card("b")
    assert b is not None and b.memory == learned("b").memory  # progress untouched


def test_limits_and_undecodable_answers(store: Store) -> None:
    store.put_cards([Card(f"n{i}", position=i) for i in range(3)])
    assert len(store.new_cards(T0, -1)) == 0
    assert len(store.new_cards(T0, 10**30)) == 3
    assert [c.card_id for c in store.new_cards(T0, 2)] == ["n0", "n1"]
    store.record_review(review("r1", answer="caf\udce9"), learned("q1"))  # a byte read with surrogateescape
    store.record_review(review("r2", at=T0 + DAY, answer="x\ud800y"), learned("q1"))  # not an escaped byte: "?"
    assert [r.answer for r in store.reviews()] == ["caf\ufffd", "x?y"]


# -- transactions, the device id, queue queries ----------------------------------------------------


def test_a_failed_transaction_leaves_nothing_and_nested_ones_join_the_outer(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.set_settings(new_per_day=3)  # a nested transaction: joins, does not commit by itself
        store.record_review(review("r1"), learned("q1"))
        raise RuntimeError("the caller failed half-way")
    assert store.raw_settings() == {} and store.reviews() == [] and store.events() == []
    assert store.card("q1") is None and store.last_seq() == 0
    with store.transaction():
        store.set_settings(new_per_day=3)
        store.record_review(review("r1"), learned("q1"))
    with Store.open(store.path) as other:  # committed: another connection sees both
        assert other.settings().new_per_day == 3 and [r.id for r in other.reviews()] == ["r1"]


@pytest.mark.parametrize("stored", ["{broken", "5", "null"])
def test_a_damaged_device_id_is_replaced_once_and_kept(tmp_path: Path, stored: str) -> None:
    path = tmp_path / "quizforge.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE settings SET value = ? WHERE key = '_device'", (stored,))
    conn.close()
    with Store.open(path) as s:
        device = s.device
        assert isinstance(device, str) and uuid.UUID(device)
    with Store.open(path) as s:
        assert s.device == device


def test_naive_times_are_refused_on_the_way_in(store: Store) -> None:
    naive = datetime(2026, 3, 1, 12, 0)
    with pytest.raises(ValueError):
        store.record_review(review("r1", at=naive), learned("q1"))
    with pytest.raises(ValueError):
        store.bury(["q1"], naive)
    assert store.reviews() == [] and store.events() == []


def test_events_filter_by_kind_and_key_in_replay_order(store: Store) -> None:
    store.merge(
        [],
        [
            event(EventKind.SUSPEND, "q2", {"suspended": True}, at=T0 + DAY, eid="e1"),
            event(EventKind.SUSPEND, "q1", {"suspended": True}, at=T0 + DAY, eid="e0"),
            event(EventKind.LEECH, "q1", {"leech": True}, at=T0, eid="e2"),
        ],
    )
    assert [e.id for e in store.events()] == ["e2", "e0", "e1"]
    assert [e.id for e in store.events(key="q1")] == ["e2", "e0"]
    assert [e.id for e in store.events([EventKind.SUSPEND], key="q1")] == ["e0"]
    assert [e.id for e in store.events([EventKind.LEECH, EventKind.BURY])] == ["e2"]
    assert store.event_count() == 3
    assert store.latest_event(EventKind.SUSPEND, "q1") == store.events(key="q1")[1]
    assert store.latest_event(EventKind.BURY, "q1") is None


def test_due_cards_follow_phase_flags_burial_due_order_and_limit(store: Store) -> None:
    def due(card_id: str, when: datetime, suspended: bool = False, buried_until: datetime | None = None) -> Card:
        card = learned(card_id, suspended=suspended, buried_until=buried_until)
        return replace(card, memory=replace(card.memory, due=when))

    store.put_cards(
        [
            due("late", T0 - timedelta(hours=1)),
            due("early", T0 - DAY),
            due("now", T0),  # due exactly at `before`: not yet
            due("susp", T0 - DAY, suspended=True),
            due("buried", T0 - DAY, buried_until=T0 + US),
            due("unburied", T0 - 2 * DAY, buried_until=T0),
            Card("new", position=1),
        ]
    )
    assert [c.card_id for c in store.due_cards(T0, T0, 10)] == ["unburied", "early", "late"]
    assert [c.card_id for c in store.due_cards(T0, T0, 2)] == ["unburied", "early"]
    assert store.count_due(T0, T0) == 3
    assert store.count_due(T0 + US, T0 + US) == 5  # "now" becomes due and "buried" comes back
    assert store.count_new(T0) == 1


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("a\udc80\udcff", "a\ufffd\ufffd"),  # escaped bytes 0x80 and 0xff (the ends of the escape range)
        ("\udcc3\udca9", "é"),  # UTF-8 read under a C locale: the bytes make a character again
        ("\udc7f", "?"),  # just below the escape range: a lone surrogate, replaced
        ("\ud800", "?"),
        ("\udfff", "?"),
        ("\udc80\ud800", "??"),  # mixed: everything replaced, nothing raises
        ("\ud7ff\ue000", "\ud7ff\ue000"),  # just outside the surrogates: kept
        ("\udce9\ue000", "\ufffd\ue000"),  # an escaped byte next to a private-use character
        ("\udd00", "?"),  # just above the escape range: a lone surrogate, replaced (not a crash)
    ],
)
def test_answers_with_surrogates_are_stored_not_refused(store: Store, typed: str, stored: str) -> None:
    store.record_review(review("r1", answer=typed), learned("q1"))
    assert [r.answer for r in store.reviews()] == [stored]


def test_integrity_check_of_a_sound_file(store: Store) -> None:
    store.record_review(review("r1"), learned("q1"))
    assert store.integrity_check() == "ok"


def test_bulk_reads_take_parameters_and_leading_blanks(store: Store) -> None:
    store.put_cards([Card("a", topic="t1"), Card("b", topic="t2")])
    assert store._query("  SELECT card_id FROM cards WHERE topic = ?", ["t2"]) == [("b",)]
    assert store._query("\n WITH x AS (SELECT 1 AS one) SELECT one FROM x") == [(1,)]
    with pytest.raises(ValueError):
        store._query("DELETE FROM cards")
    assert len(store.cards()) == 2


def test_reviews_read_back_exactly_including_unknown_correctness(store: Store) -> None:
    rows = [
        review("r1", correct=None, score=None, seed=None, duration_ms=None),
        review("r2", at=T0 + DAY, correct=False, score=0.25, seed=7, duration_ms=1500, source="quiz"),
        review("r3", at=T0 + 2 * DAY, correct=True, score=1.0, answer="长 answer"),
    ]
    store.add_reviews(rows)
    got = store.reviews()
    assert got == rows
    assert [r.correct for r in got] == [None, False, True]
    # a schema-1 row (ten columns, no device) has no device
    assert (
        review_from_row(("r9", "q1", 3, "2026-03-01T12:00:00.000000+00:00", "study", None, "", 1, 1.0, 5)).device
        is None
    )


def test_cache_cards_logs_nothing(store: Store) -> None:
    store.cache_cards([learned("q1", suspended=True, leech=True, buried_until=T0)])
    q1 = store.card("q1")
    assert q1 is not None and (q1.suspended, q1.leech, q1.buried_until) == (True, True, T0)
    assert store.events() == []


def test_a_backslash_in_a_topic_filter_is_literal(store: Store) -> None:
    store.put_cards([Card("plain", topic="cd.x", position=1), Card("slash", topic="c\\d.x", position=2)])
    assert [c.card_id for c in store.new_cards(T0, 10, ["c\\d"])] == ["slash"]


def test_a_bury_time_of_the_wrong_type_buries_nothing(store: Store) -> None:
    store.merge([], [event(EventKind.BURY, "q1", {"until": 123})])  # from a newer version, or hand-edited
    assert store.card_flags(["q1"]) == {"q1": (False, False, None)}


def test_several_new_undone_ids_each_get_their_undo(store: Store) -> None:
    store.add_reviews([review("r1", "q1"), review("r2", "q2")], undone=["r1", "r2", "r3"])
    assert store.reviews() == [] and store.undone_ids() == ["r1", "r2", "r3"]
    undos = store.events([EventKind.UNDO])
    assert sorted(e.key for e in undos) == ["r1", "r2", "r3"] and len({e.id for e in undos}) == 3


def test_times_come_back_in_utc_whatever_the_local_zone(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        logged = store.add_event(EventKind.SUSPEND, "q1", {"suspended": True})
        assert iso(T0) == "2026-03-01T12:00:00.000000+00:00"  # stored text sorts like time only in one zone
        assert logged.at.utcoffset() == timedelta(0)
        assert parse_iso("2026-03-01T20:00:00+08:00") == T0 and parse_iso(
            "2026-03-01T20:00:00+08:00"
        ).utcoffset() == timedelta(0)
    finally:
        monkeypatch.undo()
        time.tzset()
