"""The SQLite store: schema, migrations, refusals, rows ↔ objects."""

from __future__ import annotations

import os
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizforge.store import Card, Memory, MockResult, Phase, Review, Settings, Store, StoreError, database

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def review(card_id: str = "q1", at: datetime = T0, rating: int = 3, **kw: object) -> Review:
    return Review(id=str(uuid.uuid4()), card_id=card_id, rating=rating, reviewed_at=at, **kw)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "quizforge.db")
    yield s  # type: ignore[misc]
    s.close()


def test_new_database_has_schema_wal_and_defaults(store: Store, tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "quizforge.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == database.schema_version()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"cards", "review_log", "mock_results", "settings", "undone"} <= tables
    s = store.settings()
    assert (s.new_per_day, s.reviews_per_day, s.desired_retention, s.day_start_hour, s.language) == (
        20,
        200,
        0.9,
        4,
        "en",
    )


def test_settings_round_trip_and_reject_unknown_keys(store: Store) -> None:
    s = store.set_settings(new_per_day=5, learning_steps_s=(30,), fsrs_parameters=tuple(range(21)))
    assert s.new_per_day == 5 and s.learning_steps_s == (30,) and s.fsrs_parameters == tuple(range(21))
    assert store.settings() == s
    with pytest.raises(KeyError):
        store.set_settings(colour="red")
    assert Settings.from_values({"future_key": 1}) == Settings()


def test_review_and_card_round_trip_exactly(store: Store) -> None:
    r = review(seed=7, answer="(16, 10, 10)", correct=True, score=1.0, duration_ms=4200, source="study")
    card = Card(
        "q1",
        topic="cnn.conv",
        position=3,
        memory=Memory(Phase.REVIEW, None, 3.1234567890123, 5.5, T0 + timedelta(days=3), T0, 2, 1),
        leech=True,
        suspended=True,
        buried_until=T0 + timedelta(hours=12),
    )
    store.record_review(r, card)
    assert store.reviews("q1") == [r]
    assert store.card("q1") == card
    assert store.reviews("q1")[0].reviewed_at.tzinfo == UTC


def test_sync_bank_keeps_progress_and_removed_questions(store: Store) -> None:
    store.sync_bank([("a", "t1"), ("b", "t1")])
    reviewed = Card("a", "t1", 0, Memory(Phase.REVIEW, None, 2.0, 5.0, T0, T0, 1, 0))
    store.record_review(review("a"), reviewed)
    store.sync_bank([("b", "t2"), ("a", "t3")])  # reordered, re-topicked, and "c" never existed
    a = store.card("a")
    assert a is not None and a.memory == reviewed.memory and (a.topic, a.position) == ("t3", 1)
    store.sync_bank([("b", "t2")])  # "a" removed from the bank
    assert store.card("a") is not None and len(store.reviews("a")) == 1


def test_due_and_new_queries_honour_flags_topics_and_order(store: Store) -> None:
    store.sync_bank([(f"n{i}", "cnn.conv" if i % 2 else "math.linalg") for i in range(6)])
    for i, (cid, topic) in enumerate([("d1", "cnn.pool"), ("d2", "cnn.conv"), ("d3", "optim.gd")]):
        m = Memory(Phase.REVIEW, None, 1.0, 5.0, T0 - timedelta(days=3 - i), T0 - timedelta(days=5), 1, 0)
        store.put_card(Card(cid, topic, 100 + i, m))
    store.put_card(Card("late", "cnn.conv", 200, Memory(Phase.REVIEW, None, 1.0, 5.0, T0 + timedelta(days=2))))
    store.set_suspended("d3", True)
    store.bury(["n1"], until=T0 + timedelta(hours=1))
    assert [c.card_id for c in store.due_cards(T0, T0, 10)] == ["d1", "d2"]
    assert [c.card_id for c in store.due_cards(T0, T0, 10, topics=["cnn"])] == ["d1", "d2"]
    assert [c.card_id for c in store.due_cards(T0, T0, 10, topics=["cnn.conv"])] == ["d2"]
    assert [c.card_id for c in store.new_cards(T0, 10)] == ["n0", "n2", "n3", "n4", "n5"]
    assert [c.card_id for c in store.new_cards(T0 + timedelta(hours=2), 2)] == ["n0", "n1"]
    assert [c.card_id for c in store.new_cards(T0, 10, topics=["cnn.conv"])] == ["n3", "n5"]
    assert store.count_due(T0, T0) == 2 and store.count_new(T0) == 5
    assert store.count_due(T0 + timedelta(days=3), T0) == 3


def test_add_reviews_is_a_union_by_id_and_respects_undo(store: Store) -> None:
    a, b = review("x"), review("y", T0 + timedelta(minutes=1))
    assert store.add_reviews([a, b]) == ["x", "y"]
    assert store.add_reviews([a, b]) == []
    store.undo_review(a.id, Card("x"), T0)
    assert store.add_reviews([a]) == []  # an undone review does not come back
    assert [r.id for r in store.reviews()] == [b.id]
    assert store.undone_ids() == [a.id]


def test_mock_results_round_trip(store: Store) -> None:
    m = MockResult(str(uuid.uuid4()), T0, T0 + timedelta(minutes=30), 0.75, {"questions": ["a", "b"]})
    store.add_mock_result(m)
    assert store.mock_results() == [m]


def test_corrupt_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "quizforge.db"
    path.write_bytes(b"this is not a database" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="corrupt") as info:
        Store.open(path)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quizforge.db"]


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "quizforge.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a quizforge database"):
        Store.open(path)


def test_future_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "quizforge.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {database.schema_version() + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer quizforge"):
        Store.open(path)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_data_dir_is_refused(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    Store.open(ro / "quizforge.db").close()
    before = (ro / "quizforge.db").read_bytes()
    ro.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="not writable"):
            Store.open(ro / "quizforge.db")
        with pytest.raises(StoreError, match="cannot create"):
            Store.open(ro / "sub" / "quizforge.db")
    finally:
        ro.chmod(0o700)
    assert (ro / "quizforge.db").read_bytes() == before


def test_migration_backs_up_then_upgrades(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "quizforge.db"
    with Store.open(path) as s:
        s.record_review(review("keep"), Card("keep"))
    monkeypatch.setattr(
        database, "MIGRATIONS", [*database.MIGRATIONS, "ALTER TABLE cards ADD COLUMN note TEXT DEFAULT '';"]
    )
    with Store.open(path) as s:
        assert len(s.reviews("keep")) == 1
    current = len(database.MIGRATIONS) - 1  # the schema before the added step
    backup = database.backup_path(path, current)
    assert backup.exists()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == current + 1
    assert "note" in {r[1] for r in conn.execute("PRAGMA table_info(cards)")}
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == current
    assert old.execute("SELECT count(*) FROM review_log").fetchone()[0] == 1


def test_query_is_for_reads_only(store: Store) -> None:
    assert store._query("SELECT count(*) FROM review_log") == [(0,)]
    with pytest.raises(ValueError):
        store._query("DELETE FROM review_log")
