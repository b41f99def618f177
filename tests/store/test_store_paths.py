"""Store paths the other tests do not run: batched id lookups past 500, LIKE escaping in topic filters,
settings read back, day counts, and an import that carries undone ids (through the CLI contract)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizforge.store import Card, Memory, Phase, Review, Settings, Store

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "quizforge.db")
    yield s  # type: ignore[misc]
    s.close()


def reviewed(card_id: str, topic: str, due: datetime) -> Card:
    memory = Memory(phase=Phase.REVIEW, stability=3.0, difficulty=5.0, due=due, last_review=due - 3 * DAY, reps=1)
    return Card(card_id, topic=topic, memory=memory)


@pytest.mark.parametrize("n", [499, 500, 501, 1001])
def test_cards_by_id_past_one_batch(store: Store, n: int) -> None:
    store.put_cards(Card(f"c{i:04d}", topic="t", position=i) for i in range(n + 5))
    wanted = [f"c{i:04d}" for i in reversed(range(n))]
    got = store.cards(wanted)
    assert sorted(c.card_id for c in got) == sorted(wanted)
    assert store.cards([]) == []
    assert [c.card_id for c in store.cards(["c0000", "missing"])] == ["c0000"]


def test_underscore_and_percent_in_a_topic_filter_are_literal(store: Store) -> None:
    # "cnn_x" must not match "cnnax.pool" (an unescaped _ matches any one character in LIKE),
    # and "cnn%" must not match everything that starts with "cnn".
    store.put_cards(
        [
            reviewed("a", "cnn_x.pool", T0 - DAY),
            reviewed("b", "cnnax.pool", T0 - DAY),
            reviewed("c", "cnn%.conv", T0 - DAY),
            reviewed("d", "cnnzz.conv", T0 - DAY),
            Card("n1", topic="cnn_x.pool", position=1),
            Card("n2", topic="cnnax.pool", position=2),
        ]
    )
    assert [c.card_id for c in store.due_cards(T0, T0, 100, ["cnn_x"])] == ["a"]
    assert [c.card_id for c in store.due_cards(T0, T0, 100, ["cnn%"])] == ["c"]
    assert [c.card_id for c in store.new_cards(T0, 100, ["cnn_x"])] == ["n1"]
    assert store.count_due(T0, T0, ["cnn_x"]) == 1
    assert store.count_new(T0, ["cnn_x"]) == 1
    assert store.count_due(T0, T0, ["cnn_x.pool", "cnn%"]) == 2


def test_area_prefix_needs_the_dot(store: Store) -> None:
    store.put_cards([reviewed("a", "cnn.pool", T0 - DAY), reviewed("b", "cnnx.pool", T0 - DAY)])
    assert [c.card_id for c in store.due_cards(T0, T0, 100, ["cnn"])] == ["a"]
    assert [c.card_id for c in store.due_cards(T0, T0, 100, ["cnn.pool"])] == ["a"]


def test_settings_round_trip_every_field(store: Store) -> None:
    changed = Settings(
        new_per_day=7,
        reviews_per_day=70,
        desired_retention=0.85,
        day_start_hour=6,
        language="zh",
        learning_steps_s=(30, 300),
        relearning_steps_s=(120,),
        maximum_interval=400,
        enable_fuzzing=False,
        leech_lapses=5,
        fsrs_parameters=tuple(float(i) / 10 for i in range(21)),
    )
    store.set_settings(**{name: getattr(changed, name) for name in Settings.names()})
    assert store.settings() == changed
    with Store.open(store.path) as again:  # read from disk by another connection
        assert again.settings() == changed


def review(card_id: str, at: datetime, source: str = "study") -> Review:
    return Review(id=str(uuid.uuid4()), card_id=card_id, rating=3, reviewed_at=at, source=source)  # type: ignore[arg-type]


def test_day_counts_and_counts_between(store: Store) -> None:
    store.put_cards([Card("a", topic="t"), Card("b", topic="t")])
    store.add_reviews([review("a", T0), review("b", T0 + timedelta(hours=1)), review("a", T0 + 2 * DAY)])
    assert store.count_reviews_between(T0, T0 + DAY) == 2
    assert store.count_reviews_between(T0 + DAY, T0 + 3 * DAY) == 1
    assert store.count_reviews_between(T0 - DAY, T0) == 0  # the end is exclusive
    assert store.review_streak(T0 + 2 * DAY, 5) == 1  # T0 + DAY has none
    assert store.review_streak(T0 + DAY, 5) == 0


def quizforge(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizforge", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_import_carries_undone_ids(tmp_path: Path) -> None:
    """A review undone on one machine stays undone on the other, whichever order the files arrive in."""
    a = tmp_path / "a"
    with Store.open(_db(a)) as s:
        s.put_cards([Card("q1", topic="cnn.conv")])
        kept, undone = review("q1", T0), review("q1", T0 + timedelta(minutes=5))
        s.add_reviews([kept, undone])
        s.undo_review(undone.id, Card("q1", topic="cnn.conv"), T0 + timedelta(minutes=6))
        assert [r.id for r in s.reviews("q1")] == [kept.id]
    export = tmp_path / "a.jsonl"
    assert quizforge(a, "export", "--output", str(export)).returncode == 0
    lines = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert any(undone.id in json.dumps(line) for line in lines)  # the undo travels

    b = tmp_path / "b"
    with Store.open(_db(b)) as s:  # b already has the undone review (it synced before the undo)
        s.add_reviews([kept, undone])
    for _ in range(2):  # importing twice is importing once
        result = quizforge(b, "import", str(export))
        assert result.returncode == 0, result.stderr
        with Store.open(_db(b)) as s:
            assert [r.id for r in s.reviews("q1")] == [kept.id]
            assert undone.id in s.undone_ids()


def _db(data: Path) -> Path:
    data.mkdir(parents=True, exist_ok=True)
    return data / "quizforge.db"
