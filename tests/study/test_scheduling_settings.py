"""Scheduling with settings other than py-fsrs's defaults, leech thresholds, lapses and the fuzz seed.

The oracle is py-fsrs itself, built here with the same non-default settings: a setting that our
``Scheduling`` drops on the way to the scheduler gives different intervals from the oracle's.
"""

from __future__ import annotations

import random
import uuid
import zlib
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

from quizforge.store import Card, Memory, Phase, Settings
from quizforge.study.scheduling import Scheduling, fuzz_draw

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

# Far from py-fsrs's defaults (0.9, (1 min, 10 min), (10 min,), 36500 days): dropping any one of them
# when the scheduler is built changes at least one interval below.
CUSTOM = Settings(
    desired_retention=0.8,
    learning_steps_s=(120, 1800, 7200),
    relearning_steps_s=(300, 3600),
    maximum_interval=9,
    enable_fuzzing=False,
)


def oracle_for(settings: Settings) -> Scheduler:
    return Scheduler(
        desired_retention=settings.desired_retention,
        learning_steps=tuple(timedelta(seconds=s) for s in settings.learning_steps_s),
        relearning_steps=tuple(timedelta(seconds=s) for s in settings.relearning_steps_s),
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=False,
    )


def history(seed: int, n: int = 25) -> list[tuple[datetime, Rating, str]]:
    rng = random.Random(seed)
    t, out = T0, []
    for _ in range(n):
        t += timedelta(minutes=rng.choice([2, 30, 120, 1440, 5 * 1440, 30 * 1440]))
        out.append((t, rng.choice(list(Rating)), str(uuid.UUID(int=rng.getrandbits(128), version=4))))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_custom_settings_reach_the_scheduler(seed: int) -> None:
    ours, oracle = Scheduling(CUSTOM), oracle_for(CUSTOM)
    memory, card = Memory(), FsrsCard(card_id=1, due=T0)
    for at, rating, rid in history(seed):
        memory = ours.review(memory, rating, at, rid)
        card, _ = oracle.review_card(card, rating, at)
        assert (memory.phase, memory.step, memory.due) == (Phase(int(card.state)), card.step, card.due)
        assert memory.stability == pytest.approx(card.stability)


def test_each_custom_setting_changes_the_schedule_on_its_own() -> None:
    """Guards the test above: every custom value alone gives intervals different from the defaults."""
    defaults = Scheduling(Settings(enable_fuzzing=False))

    def dues(s: Scheduling) -> list[datetime | None]:
        memory, out = Memory(), []
        for at, rating, rid in history(3, 40):
            memory = s.review(memory, rating, at, rid)
            out.append(memory.due)
        return out

    base = dues(defaults)
    for name in ("desired_retention", "learning_steps_s", "relearning_steps_s", "maximum_interval"):
        one = Settings(enable_fuzzing=False, **{name: getattr(CUSTOM, name)})
        assert dues(Scheduling(one)) != base, name


def test_maximum_interval_caps_every_interval() -> None:
    s = Scheduling(Settings(maximum_interval=9, enable_fuzzing=True))
    memory, at = Memory(), T0
    for i in range(30):
        memory = s.review(memory, Rating.Easy, at, f"review-{i}")
        assert memory.due is not None
        assert memory.due - at <= timedelta(days=9)
        at = memory.due


# ---------------------------------------------------------------------------------------------------
# Lapses and leeches
# ---------------------------------------------------------------------------------------------------


def test_again_on_a_learning_card_leaves_lapses_alone() -> None:
    s = Scheduling(Settings(enable_fuzzing=False))
    memory = s.review(Memory(), Rating.Again, T0, "a")  # new → learning
    assert memory.phase == Phase.LEARNING
    again = s.review(memory, Rating.Again, T0 + timedelta(minutes=1), "b")
    assert again.phase == Phase.LEARNING
    assert again.lapses == 0


def test_again_on_a_review_card_counts_one_lapse() -> None:
    s = Scheduling(Settings(enable_fuzzing=False))
    memory = s.review(Memory(), Rating.Easy, T0, "a")
    assert memory.phase == Phase.REVIEW
    lapsed = s.review(memory, Rating.Again, T0 + timedelta(days=20), "b")
    assert lapsed.phase == Phase.RELEARNING
    assert lapsed.lapses == 1
    good = s.review(memory, Rating.Good, T0 + timedelta(days=20), "c")
    assert good.lapses == 0


def leech_lapses_seen(threshold: int, lapses: int) -> list[int]:
    """Drive a card through ``lapses`` lapses with ``apply``; the lapse counts at which it became a leech."""
    s = Scheduling(Settings(enable_fuzzing=False, leech_lapses=threshold))
    card, at, flagged = Card("c", topic="t"), T0, []
    for i in range(lapses):
        card = s.apply(card, Rating.Easy, at, f"easy-{i}")  # to review
        assert card.memory.phase == Phase.REVIEW
        at += timedelta(days=30)
        before = card
        card = s.apply(replace_flags(card), Rating.Again, at, f"again-{i}")
        assert card.memory.lapses == before.memory.lapses + 1
        if card.leech:
            flagged.append(card.memory.lapses)
            assert card.suspended  # a leech is suspended at once
        at += timedelta(days=1)
    return flagged


def replace_flags(card: Card) -> Card:
    """The card as the user left it after a leech: unsuspended and unflagged, so the next leech shows."""
    from dataclasses import replace

    return replace(card, leech=False, suspended=False)


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        # Anki's rule: a leech at N lapses, then every max(1, N // 2) more.
        (0, []),  # 0 turns leech detection off
        (1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),  # N // 2 = 0 → every lapse
        (5, [5, 7, 9]),  # every 2 after 5
        (7, [7, 10]),  # every 3 after 7
        (8, [8]),  # every 4 after 8: 12 is past 10
    ],
)
def test_leech_thresholds(threshold: int, expected: list[int]) -> None:
    assert leech_lapses_seen(threshold, 10) == expected


def test_a_review_without_a_new_lapse_never_makes_a_leech() -> None:
    s = Scheduling(Settings(enable_fuzzing=False, leech_lapses=1))
    card = Card(
        "c",
        topic="t",
        memory=Memory(
            phase=Phase.REVIEW, lapses=3, stability=5.0, difficulty=5.0, due=T0, last_review=T0 - timedelta(days=5)
        ),
    )
    after = s.apply(card, Rating.Good, T0, "x")
    assert not after.leech and not after.suspended


# ---------------------------------------------------------------------------------------------------
# The fuzz draw is a pure function of the review id, UUID or not
# ---------------------------------------------------------------------------------------------------


def test_fuzz_draw_of_a_uuid_is_seeded_by_its_integer() -> None:
    rid = "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert fuzz_draw(rid) == random.Random(uuid.UUID(rid).int).random()


@pytest.mark.parametrize("rid", ["review-1", "imported:42", "", "中文"])
def test_fuzz_draw_of_any_other_id_is_seeded_by_its_crc32(rid: str) -> None:
    # The same draw in every process: crc32 is stable where str hashes are salted per process.
    assert fuzz_draw(rid) == random.Random(zlib.crc32(rid.encode())).random()
    assert fuzz_draw(rid) == fuzz_draw(rid)


def test_fuzz_draw_differs_between_ids() -> None:
    draws = {fuzz_draw(f"review-{i}") for i in range(100)}
    assert len(draws) == 100
    assert all(0.0 <= d < 1.0 for d in draws)


# ---------------------------------------------------------------------------------------------------
# Survivors of the first mutation run (benchmarks/RESULTS-mutation.md)
# ---------------------------------------------------------------------------------------------------

# Personal parameters (as `quizforge optimize` stores them): py-fsrs's defaults, each moved by 10 %.
PERSONAL = tuple(p * (1.1 if i % 2 else 0.9) for i, p in enumerate(Scheduler().parameters))


@pytest.mark.parametrize("seed", range(6))
def test_personal_fsrs_parameters_reach_the_scheduler(seed: int) -> None:
    ours = Scheduling(Settings(enable_fuzzing=False, fsrs_parameters=PERSONAL))
    oracle = Scheduler(parameters=PERSONAL, enable_fuzzing=False)
    default = Scheduling(Settings(enable_fuzzing=False))
    memory, base, card = Memory(), Memory(), FsrsCard(card_id=1, due=T0)
    differs = False
    for at, rating, rid in history(seed):
        memory = ours.review(memory, rating, at, rid)
        base = default.review(base, rating, at, rid)
        card, _ = oracle.review_card(card, rating, at)
        assert memory.due == card.due
        assert memory.stability == pytest.approx(card.stability)
        differs |= memory.stability != base.stability
    assert differs  # the personal parameters made a difference


@pytest.mark.parametrize("params", [None, PERSONAL])
@pytest.mark.parametrize("days", [0, 1, 3, 10, 45, 400])
def test_retrievability_matches_py_fsrs(params: tuple[float, ...] | None, days: int) -> None:
    ours = Scheduling(Settings(enable_fuzzing=False, fsrs_parameters=params))
    oracle = Scheduler(parameters=params or Scheduler().parameters, enable_fuzzing=False)
    memory, card = Memory(), FsrsCard(card_id=1, due=T0)
    for at, rating, rid in history(4, 8):
        memory = ours.review(memory, rating, at, rid)
        card, _ = oracle.review_card(card, rating, at)
    assert memory.last_review is not None
    when = memory.last_review + timedelta(days=days, hours=5)
    expected = oracle.get_card_retrievability(card, when)
    assert ours.retrievability(memory, when) == pytest.approx(expected, rel=1e-9)
    assert ours.retrievability(Memory(), when) == 0.0


def test_preview_is_each_rating_reviewed_now() -> None:
    s = Scheduling(Settings())  # fuzz on: the preview must use the same review id as the save
    memory = s.review(Memory(), Rating.Good, T0, "first")
    memory = s.review(memory, Rating.Good, T0 + timedelta(minutes=10), "second")
    at, rid = T0 + timedelta(days=3), "0f8fad5b-d9cb-469f-a165-70867728950e"
    preview = s.preview(memory, at, rid)
    assert list(preview) == list(Rating)
    for rating, after in preview.items():
        assert after == s.review(memory, rating, at, rid)
    assert preview[Rating.Again].due < preview[Rating.Hard].due <= preview[Rating.Good].due < preview[Rating.Easy].due


def test_apply_fuzzes_with_the_review_id() -> None:
    s = Scheduling(Settings(enable_fuzzing=True))
    card = s.apply(Card("c", topic="t"), Rating.Easy, T0, "a")
    at = T0 + timedelta(days=40)
    for rid in ("0f8fad5b-d9cb-469f-a165-70867728950e", "review-7"):
        assert s.apply(card, Rating.Good, at, rid).memory == s.review(card.memory, Rating.Good, at, rid)


def test_reps_count_every_review() -> None:
    s = Scheduling(Settings(enable_fuzzing=False))
    memory = Memory()
    for i, (at, rating, rid) in enumerate(history(1, 12), start=1):
        memory = s.review(memory, rating, at, rid)
        assert memory.reps == i


def test_a_local_time_zone_is_converted_to_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    import time
    from datetime import timezone

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        s = Scheduling(Settings(enable_fuzzing=False))
        shanghai = timezone(timedelta(hours=8))
        memory = s.review(Memory(), Rating.Good, T0.astimezone(shanghai), "a")
        assert memory.last_review == T0
        assert memory.last_review.utcoffset() == timedelta(0)
        assert memory.due is not None and memory.due.utcoffset() == timedelta(0)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
