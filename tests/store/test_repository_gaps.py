"""The repository's code added since the first mutation run of the store (schema 3's level and mistake, the
day's queue from the covering index, plan events), asserted on what lands in and comes out of the tables
(found by mutation testing of ``store/repository.py``, issue 21)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizforge.store import Card, Review, Store, StoreError
from quizforge.store.repository import review_from_row

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "quizforge.db")
    yield s
    s.close()


def test_a_leveled_answer_without_a_verdict_is_listed_as_none(store: Store) -> None:
    """An answer the grader could not judge (revealed, timed out) is neither right nor wrong."""
    store.record_review(Review("r1", "gen", 1, T0, level=1, correct=None), Card("gen"))
    store.record_review(Review("r2", "gen", 1, T0 + MIN, level=2, correct=False, score=0.25), Card("gen"))
    store.record_review(Review("r3", "gen", 3, T0 + 2 * MIN, level=3, correct=True, score=1.0), Card("gen"))
    assert store.leveled_answers() == [
        ("gen", 1, None, None, None),
        ("gen", 2, False, 0.25, None),
        ("gen", 3, True, 1.0, None),
    ]


def test_a_review_row_of_schema_1_or_2_reads_with_no_level_and_mistake() -> None:
    """Ten columns (schema 1), ten and the device (schema 2), or all thirteen (schema 3)."""
    ten = ("r9", "q1", 3, "2026-03-01T12:00:00.000000+00:00", "study", None, "", 1, 1.0, 5)
    old = review_from_row(ten)
    assert (old.level, old.mistake, old.device) == (None, None, None)
    two = review_from_row((*ten, "phone"))
    assert (two.level, two.mistake, two.device) == (None, None, "phone")
    three = review_from_row((*ten, 2, "no-plus-one", "phone"))
    assert (three.level, three.mistake, three.device) == (2, "no-plus-one", "phone")
    assert (three.id, three.card_id, three.rating, three.reviewed_at) == ("r9", "q1", 3, T0)
    assert (three.correct, three.score, three.duration_ms) == (True, 1.0, 5)


def test_damage_found_past_the_first_pages_is_reported_as_a_corrupt_file(tmp_path: Path) -> None:
    """Opening reads the first pages only; a read or a write that meets a damaged page later says what is wrong
    in one line instead of failing with SQLite's exception."""
    db = tmp_path / "q.db"
    with Store.open(db) as s:
        s.merge([Review(f"r{i:04d}", "q", 3, T0 + i * MIN, answer="x" * 1000) for i in range(300)], [])
    data = bytearray(db.read_bytes())
    pages = len(data) // 4096
    data[pages // 2 * 4096 : (pages - 1) * 4096] = b"\xff" * ((pages - 1 - pages // 2) * 4096)  # the log's leaves
    db.write_bytes(bytes(data))
    with Store.open(db) as s:
        with pytest.raises(StoreError, match="unreadable or corrupt database") as read:
            s.reviews()
        assert str(read.value).startswith(f"{db}: ") and "\n" not in str(read.value)
        with pytest.raises(StoreError, match="unreadable or corrupt database"):
            s.merge([Review(f"r{i:04d}", "q", 3, T0 + i * MIN) for i in range(300, 600)], [])


def test_recent_durations_are_the_latest_timed_scheduled_answers(store: Store) -> None:
    """The planner's seconds per card: timed answers only, cramming left out, newest first, at most ``limit``."""
    rows = [
        ("r1", "study", 4000),
        ("r2", "cram", 9000),  # practice ahead of time: not a scheduled answer
        ("r3", "quiz", None),  # not timed
        ("r4", "mock", 0),  # not timed either
        ("r5", "study", 6000),
        ("r6", "import", 5000),
    ]
    for i, (rid, source, ms) in enumerate(rows):
        store.record_review(Review(rid, "q", 3, T0 + i * MIN, source=source, duration_ms=ms), Card("q"))
    assert store.recent_durations() == [5000, 6000, 4000]
    assert store.recent_durations(2) == [5000, 6000]
    assert store.recent_durations(0) == []


def test_recent_durations_default_to_the_latest_500(store: Store) -> None:
    store.merge([Review(f"r{i:04d}", "q", 3, T0 + i * MIN, duration_ms=1000 + i) for i in range(501)], [])
    latest = store.recent_durations()
    assert len(latest) == 500 and latest[0] == 1500 and latest[-1] == 1001
