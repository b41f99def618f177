"""FSRS through py-fsrs: exact against py-fsrs itself, fuzz deterministic per review, replay == cache."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import fsrs.scheduler
import numpy as np
import pytest
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from quizforge.store import Memory, Phase, Review, Settings
from quizforge.study.scheduling import Scheduling, fuzz_draw, retrievability

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def random_history(rng: random.Random, n: int) -> list[tuple[datetime, Rating, str]]:
    t = T0
    out = []
    for _ in range(n):
        t += timedelta(minutes=rng.choice([1, 5, 30, 600, 1440, 3 * 1440, 20 * 1440, 90 * 1440]))
        t += timedelta(seconds=rng.randrange(3600))
        out.append((t, rng.choice(list(Rating)), str(uuid.UUID(int=rng.getrandbits(128), version=4))))
    return out


@pytest.mark.parametrize("seed", range(20))
def test_matches_py_fsrs_exactly_with_fuzz_off(seed: int) -> None:
    rng = random.Random(seed)
    ours = Scheduling(Settings(enable_fuzzing=False))
    oracle = Scheduler(enable_fuzzing=False)
    memory, card = Memory(), FsrsCard(card_id=1, due=T0)
    for at, rating, rid in random_history(rng, 30):
        memory = ours.review(memory, rating, at, rid)
        card, _ = oracle.review_card(card, rating, at)
        assert (memory.phase, memory.step, memory.stability, memory.difficulty, memory.due, memory.last_review) == (
            Phase(int(card.state)),
            card.step,
            card.stability,
            card.difficulty,
            card.due,
            card.last_review,
        )


@pytest.mark.parametrize("seed", range(10))
def test_fuzz_is_py_fsrs_fuzz_with_the_draw_taken_from_the_review_uuid(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    ours = Scheduling(Settings())
    oracle = Scheduler(enable_fuzzing=True)
    memory, card = Memory(), FsrsCard(card_id=1, due=T0)
    for at, rating, rid in random_history(rng, 30):
        monkeypatch.setattr(fsrs.scheduler, "random", lambda rid=rid: fuzz_draw(rid))
        memory = ours.review(memory, rating, at, rid)
        card, _ = oracle.review_card(card, rating, at)
        assert (memory.stability, memory.difficulty, memory.due) == (card.stability, card.difficulty, card.due)


def test_fuzz_depends_only_on_the_review_id() -> None:
    s = Scheduling(Settings())
    m = Memory(Phase.REVIEW, None, 40.0, 5.0, T0, T0 - timedelta(days=40), 5, 0)
    at = T0 + timedelta(hours=1)
    dues = {s.review(m, Rating.Good, at, str(uuid.UUID(int=i))).due for i in range(200)}
    assert len(dues) > 3  # fuzz is on
    rid = str(uuid.uuid4())
    assert len({s.review(m, Rating.Good, at, rid).due for _ in range(20)}) == 1


@pytest.mark.parametrize("seed", range(10))
def test_replay_of_a_shuffled_log_gives_the_incremental_state(seed: int) -> None:
    rng = random.Random(seed)
    s = Scheduling(Settings())
    memory = Memory()
    reviews = []
    for at, rating, rid in random_history(rng, 40):
        memory = s.review(memory, rating, at, rid)
        reviews.append(Review(rid, "c", int(rating), at))
    reviews.append(Review(str(uuid.uuid4()), "c", 1, T0 + timedelta(days=9999), source="cram"))  # not scheduled
    rng.shuffle(reviews)
    assert s.replay(reviews) == memory


def test_lapses_count_review_phase_failures_and_leech_thresholds() -> None:
    s = Scheduling(Settings(leech_lapses=8))
    before = Memory(Phase.REVIEW, None, 1.0, 5.0, T0, T0, 10, 7)
    after = s.review(before, Rating.Again, T0 + timedelta(days=2), str(uuid.uuid4()))
    assert after.lapses == 8 and after.phase == Phase.RELEARNING
    assert s.is_leech_lapse(before, after)
    assert not s.is_leech_lapse(after, s.review(after, Rating.Again, T0 + timedelta(days=2, minutes=20), "x"))
    assert [n for n in range(1, 20) if s.is_leech_lapse(Memory(lapses=n - 1), Memory(lapses=n))] == [8, 12, 16]


def test_vectorised_retrievability_equals_py_fsrs() -> None:
    rng = np.random.default_rng(0)
    oracle = Scheduler()
    now = T0 + timedelta(days=400)
    stab = rng.uniform(0.1, 300, 500)
    last = [T0 + timedelta(seconds=int(x)) for x in rng.integers(0, 400 * 86400, 500)]
    stab_with_new = np.append(stab, np.nan)
    last_s = np.append(np.array([t.timestamp() for t in last]), np.nan)
    r = retrievability(stab_with_new, last_s, now)
    expected = [
        oracle.get_card_retrievability(FsrsCard(card_id=1, state=State.Review, stability=s, last_review=t, due=t), now)
        for s, t in zip(stab.tolist(), last, strict=True)
    ]
    np.testing.assert_allclose(r[:-1], expected, rtol=1e-12)
    assert r[-1] == 0.0
