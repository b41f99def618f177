"""Schema 3: a review keeps a generated answer's level and the named mistake it was diagnosed as."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizforge.store import Card, Review, Store
from quizforge.study.exchange import export_jsonl, import_jsonl

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _reviews() -> list[Review]:
    return [
        Review(str(uuid.uuid4()), "gen", 1, T0, seed=7, answer="60", correct=False, level=2, mistake="no-plus-one"),
        Review(str(uuid.uuid4()), "gen", 3, T0 + timedelta(minutes=5), seed=8, answer="57", correct=True, level=3),
        Review(str(uuid.uuid4()), "plain", 3, T0 + timedelta(minutes=6), answer="a", correct=True),
    ]


def test_level_and_mistake_are_stored_read_back_and_listed_in_replay_order(tmp_path: Path) -> None:
    written = _reviews()
    with Store.open(tmp_path / "a.db") as store:
        for r in written:
            store.record_review(r, Card(r.card_id))
        assert store.reviews() == written
        assert [(r.level, r.mistake) for r in store.reviews()] == [(2, "no-plus-one"), (3, None), (None, None)]
        assert store.leveled_answers() == [("gen", 2, False, None, "no-plus-one"), ("gen", 3, True, None, None)]


def test_export_and_import_carry_level_and_mistake_and_leave_other_lines_as_they_were(tmp_path: Path) -> None:
    out = tmp_path / "log.jsonl"
    with Store.open(tmp_path / "a.db") as store:
        for r in _reviews():
            store.record_review(r, Card(r.card_id))
        with out.open("w", encoding="utf-8") as f:
            export_jsonl(store, f)
        exported = store.reviews()
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()[1:]]
    assert [(x.get("level"), x.get("mistake")) for x in lines] == [(2, "no-plus-one"), (3, None), (None, None)]
    assert "level" not in lines[2] and "mistake" not in lines[2]  # a non-generated answer's line is unchanged
    with Store.open(tmp_path / "b.db") as other:
        import_jsonl(other, out)
        assert [(r.id, r.level, r.mistake) for r in other.reviews()] == [(r.id, r.level, r.mistake) for r in exported]


def test_a_schema_2_database_gains_the_columns_and_keeps_its_reviews(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    with Store.open(db) as store:
        store.record_review(_reviews()[2], Card("plain"))
    conn = sqlite3.connect(db)  # take it back to schema 2, as the previous release left it
    conn.execute("DROP INDEX review_log_leveled")
    conn.execute("ALTER TABLE review_log DROP COLUMN level")
    conn.execute("ALTER TABLE review_log DROP COLUMN mistake")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with Store.open(db) as store:
        (r,) = store.reviews()
        assert (r.card_id, r.answer, r.level, r.mistake) == ("plain", "a", None, None)
        store.record_review(_reviews()[0], Card("gen"))
        assert store.leveled_answers() == [("gen", 2, False, None, "no-plus-one")]


def test_the_ability_replay_reads_only_the_leveled_rows(tmp_path: Path) -> None:
    """The query behind ``leveled_answers`` walks the partial covering index, not the whole log."""
    with Store.open(tmp_path / "q.db"):
        pass
    conn = sqlite3.connect(tmp_path / "q.db")
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT card_id, level, correct, score, mistake FROM review_log "
        "WHERE level IS NOT NULL ORDER BY reviewed_at, id"
    ).fetchall()
    conn.close()
    assert "COVERING INDEX review_log_leveled" in str(plan)
