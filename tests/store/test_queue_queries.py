"""The queries behind the day's queue and the dashboard streak, on varied data.

``review_streak`` is checked against day numbers worked out in Python from the review times; ``due_entries``
and ``new_entries`` against the full cards ``due_cards`` / ``new_cards`` return for the same filters.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizforge.store import Card, Memory, Phase, Review, Source, Store, iso

DAY = timedelta(days=1)
FIRST = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)  # the start of the most recent day looked at


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "quizforge.db") as s:
        yield s


def review(card_id: str, at: datetime, source: str = "study") -> Review:
    return Review(id=str(uuid.uuid4()), card_id=card_id, rating=3, reviewed_at=at, source=Source(source))


def expected_streak(times: list[datetime], first: datetime, limit: int) -> int:
    """Days back from ``[first, first + 1 day)`` with a review, by each review's whole-day offset from ``first``."""
    days = {(t - first) // DAY for t in times}  # 0: the first day, -1: the day before, ...
    n = 0
    while n < limit and -n in days:
        n += 1
    return n


# offsets of reviews from FIRST, in seconds: mostly within a few days back, often right on a day's edge
offsets = st.one_of(
    st.integers(-12 * 86_400, 2 * 86_400),
    st.sampled_from([-d * 86_400 + e for d in range(-1, 10) for e in (-1, 0, 1)]),
)


@settings(max_examples=60, deadline=None)
@given(
    secs=st.lists(offsets, max_size=40),
    micros=st.integers(0, 999_999),
    shift=st.sampled_from([0, 1, 999_999]),
    limit=st.sampled_from([0, 1, 3, 36_500]),
)
def test_streak_counts_whole_days_back_from_the_first(
    tmp_path_factory: pytest.TempPathFactory, secs: list[int], micros: int, shift: int, limit: int
) -> None:
    first = FIRST + timedelta(microseconds=shift)  # day edges need not be whole seconds
    times = [FIRST + timedelta(seconds=s, microseconds=micros if s % 2 else 0) for s in secs]
    with Store.open(tmp_path_factory.mktemp("s") / "q.db") as store:
        store.add_reviews(review(f"c{i % 3}", t, "study" if i % 4 else "cram") for i, t in enumerate(times))
        assert store.review_streak(first, limit) == expected_streak(times, first, limit)


def test_streak_in_another_zone_and_long(store: Store) -> None:
    shanghai = timezone(timedelta(hours=8))
    first = FIRST.astimezone(shanghai)  # the same instant written in +08:00
    times = [FIRST - k * DAY + timedelta(hours=23, minutes=59, seconds=59, microseconds=999_999) for k in range(400)]
    store.add_reviews(review("a", t) for t in times)
    assert store.review_streak(first, 36_500) == 400
    assert store.review_streak(first, 50) == 50
    assert store.review_streak(first + DAY, 36_500) == 0  # the newest review is the day before's last instant
    # day edges one microsecond before midnight: each review is now its day's first instant
    assert store.review_streak(first + DAY - timedelta(microseconds=1), 36_500) == 400


def test_streak_follows_writes_to_past_days(store: Store, tmp_path: Path) -> None:
    store.add_reviews([review("a", FIRST + timedelta(hours=1)), review("a", FIRST - DAY)])
    assert store.review_streak(FIRST, 100) == 2
    store.add_reviews([review("a", FIRST - 3 * DAY)])  # after a gap: no change
    assert store.review_streak(FIRST, 100) == 2
    bridge = review("b", FIRST - 2 * DAY + timedelta(hours=5))
    store.add_reviews([bridge])  # an import fills the gap
    assert store.review_streak(FIRST, 100) == 4
    card = Card("b", topic="t")
    store.put_card(card)
    store.undo_review(bridge.id, card, FIRST + timedelta(hours=2))  # taken back: the gap again
    assert store.review_streak(FIRST, 100) == 2
    late = review("c", FIRST - 2 * DAY)
    store.record_review(late, card)
    assert store.review_streak(FIRST, 100) == 4
    assert store.review_streak(FIRST - DAY, 100) == 3  # another first day
    with Store.open(tmp_path / "quizforge.db") as other:  # another connection (a sync in another process)
        other.undo_review(late.id, card, FIRST)
    assert store.review_streak(FIRST - DAY, 100) == 1
    store.record_review(review("d", FIRST + 2 * DAY), card)  # after the days looked at
    assert store.review_streak(FIRST - DAY, 100) == 1


def test_streak_inside_a_rolled_back_transaction_is_not_kept(store: Store) -> None:
    store.add_reviews([review("a", FIRST)])
    with pytest.raises(RuntimeError), store.transaction():
        store.add_reviews([review("a", FIRST - DAY)])
        assert store.review_streak(FIRST, 10) == 2
        raise RuntimeError
    assert store.review_streak(FIRST, 10) == 1


NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def varied_cards(rng: random.Random, n: int) -> list[Card]:
    cards = []
    for i in range(n):
        phase = rng.choice(list(Phase))
        topic = rng.choice(["cnn.conv", "cnn.pool", "rnn", "rnn.lstm", "a_b", "a%b"])
        due = NOW + timedelta(minutes=rng.randint(-3000, 3000))
        memory = (
            Memory()
            if phase == Phase.NEW
            else Memory(phase=phase, stability=2.0, difficulty=5.0, due=due, last_review=due - DAY, reps=1)
        )
        buried = rng.choice([None, None, NOW - timedelta(hours=1), NOW, NOW + timedelta(hours=1)])
        suspended = rng.random() < 0.15
        cards.append(Card(f"c{i:03d}", topic=topic, position=rng.randint(0, 50), memory=memory,
                          suspended=suspended, buried_until=buried))  # fmt: skip
    return cards


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("topics", [None, ["cnn"], ["rnn.lstm", "a_b"], ["a%b"], ["none"]])
def test_queue_entries_are_the_cards_the_full_queries_return(store: Store, seed: int, topics: list[str] | None) -> None:
    store.put_cards(varied_cards(random.Random(seed), 120))
    for before, limit in ((NOW + DAY, 1000), (NOW, 7), (datetime.max.replace(tzinfo=UTC), 1_000_000), (NOW, 0)):
        cards = store.due_cards(before, NOW, limit, topics)
        assert store.due_entries(before, NOW, limit, topics) == [
            (c.card_id, c.memory.phase, iso(c.memory.due)) for c in cards if c.memory.due is not None
        ]
        assert all(c.memory.due is not None for c in cards)
    for limit in (1000, 5, 0):
        new = store.new_cards(NOW, limit, topics)
        assert store.new_entries(NOW, limit, topics) == [(c.card_id, c.topic) for c in new]
    assert topics != ["none"] or store.due_entries(NOW + DAY, NOW, 1000, topics) == []
