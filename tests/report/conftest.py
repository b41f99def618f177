"""Synthetic stores for the report tests: logs whose statistics are known by construction."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizforge.bank import Bank, Kind
from quizforge.store import Card, Memory, Phase, Review, Store
from tests.study.conftest import make_bank, question

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)  # a Wednesday, noon UTC


def review(
    card: str,
    at: datetime,
    rating: int = 3,
    *,
    source: str = "study",
    seed: int | None = None,
    correct: bool | None = None,
    score: float | None = None,
    duration_ms: int | None = 10_000,
) -> Review:
    return Review(
        id=str(uuid.uuid4()),
        card_id=card,
        rating=rating,
        reviewed_at=at,
        source=source,
        seed=seed,
        correct=(rating > 1) if correct is None else correct,
        score=score,
        duration_ms=duration_ms,
    )


def reviewed_card(
    card_id: str,
    topic: str,
    *,
    last: datetime,
    interval_days: float,
    stability: float | None = None,
    phase: Phase = Phase.REVIEW,
    lapses: int = 0,
    suspended: bool = False,
    leech: bool = False,
    position: int = 0,
) -> Card:
    return Card(
        card_id,
        topic=topic,
        position=position,
        memory=Memory(
            phase=phase,
            stability=interval_days if stability is None else stability,
            difficulty=5.0,
            due=last + timedelta(days=interval_days),
            last_review=last,
            reps=3,
            lapses=lapses,
        ),
        suspended=suspended,
        leech=leech,
    )


def one_lapsed_card(store: Store, card_id: str, topic: str) -> None:
    """``card_id`` learnt three days before :data:`NOW` and forgotten yesterday (its state replayed)."""
    from quizforge.study.exchange import replay_cards

    store.sync_bank([(card_id, topic)])
    store.add_reviews([review(card_id, NOW - timedelta(days=3)), review(card_id, NOW - timedelta(days=1), 1)])
    replay_cards(store, [card_id])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "q.db")
    yield s
    s.close()


@pytest.fixture
def bank() -> Bank:
    """Two topics: t.a (a, b, c, d: choice) and t.b (g1, g2: generated, two families)."""
    return make_bank(
        [
            question("a", topic="t.a"),
            question("b", topic="t.a"),
            question("c", topic="t.a"),
            question("d", topic="t.a"),
            question("g1", Kind.GENERATED, topic="t.b"),
            question("g2", Kind.GENERATED, topic="t.b", generator="max_pool2d"),
        ]
    )
