"""Numeric tutoring wired into study: targeted re-checks after a named mistake, levels from ability."""

from __future__ import annotations

import io
import random

from quizforge.bank import Kind
from quizforge.kinds.tutor import mistake_answer, targeted_recheck
from quizforge.numeric.base import get_family
from quizforge.store import Store
from quizforge.study.plain import run_plain
from quizforge.study.session import Presented, StudySession
from quizforge.study.tutoring import RECHECK_AFTER
from tests.study.conftest import Clock, make_bank, question, right_answer

FAMILY = "conv_params"
MISTAKE = "bias-per-channel-pair"


def _bank() -> object:
    others = [question(f"c{i}", Kind.CHOICE, topic="t.a") for i in range(5)]
    return make_bank([question("gen", Kind.GENERATED, topic="t.a", generator=FAMILY), *others])


def _separating_session(store: Store, clock: Clock) -> tuple[StudySession, Presented]:
    """A session whose first card is the conv-parameters card drawn so that the channel-pair bias
    mistake gives a wrong answer (the rng seed is searched, deterministically)."""
    bank = _bank()
    mistake = next(m for m in get_family(FAMILY).mistakes if m.id == MISTAKE)
    for seed in range(200):
        s = StudySession(store, bank, now=clock, rng=random.Random(seed), new_limit=6)  # type: ignore[arg-type]
        s._queue.remove("gen")
        s._queue.appendleft("gen")
        p = s.next_card()
        assert p is not None and p.instance is not None
        if mistake_answer(p.instance, mistake) is not None:
            return s, p
    raise AssertionError("no seed separates the mistake")


def _slip(p: Presented) -> str:
    """The answer the channel-pair bias mistake gives, computed here from the params."""
    q = p.instance.params  # type: ignore[union-attr]
    return str(q["k"] ** 2 * q["c_in"] * q["c_out"] + q["c_in"] * q["c_out"])


def test_a_named_mistake_is_named_recorded_and_rechecked_after_a_few_other_cards(store: Store, clock: Clock) -> None:
    s, p = _separating_session(store, clock)
    result = s.submit(_slip(p))
    assert result.correct is False
    assert "own bias" in result.feedback and "step 1" in result.feedback
    saved = s.rate()
    assert saved.review.mistake == MISTAKE and saved.review.level == p.instance.level  # type: ignore[union-attr]
    assert store.reviews()[0].mistake == MISTAKE  # read back from the log

    shown = []
    while (nxt := s.next_card()) is not None and nxt.card_id != "gen":
        shown.append(nxt.card_id)
        s.submit(right_answer(nxt))
        s.rate()
    assert len(shown) == RECHECK_AFTER  # the clock stands still: no learning step brought it sooner
    assert nxt is not None and nxt.instance is not None
    assert nxt.seed == targeted_recheck(FAMILY, MISTAKE, p.seed, p.instance.level)  # type: ignore[arg-type,union-attr]
    assert nxt.seed != p.seed
    mistake = next(m for m in get_family(FAMILY).mistakes if m.id == MISTAKE)
    assert mistake_answer(nxt.instance, mistake) is not None  # the slip would be wrong again
    line = s.tutor.recheck_line(nxt, "en")
    assert line is not None and "Re-check" in line and "own bias" in line
    assert s.tutor.recheck_line(nxt, "zh") is not None and "复查" in s.tutor.recheck_line(nxt, "zh")  # type: ignore[operator]
    s.submit(right_answer(nxt))
    s.rate()
    assert s.tutor.pending(set()) == 0  # answered right: no further re-check of it


def test_a_right_answer_or_an_unnamed_wrong_one_schedules_no_recheck(store: Store, clock: Clock) -> None:
    s, _p = _separating_session(store, clock)
    s.submit("1")  # wrong, but no mistake gives 1
    saved = s.rate()
    assert saved.review.mistake is None and saved.review.correct is False
    assert s.tutor.pending(set()) == 0


def test_the_recheck_comes_when_nothing_else_is_left(store: Store, clock: Clock) -> None:
    bank = make_bank([question("gen", Kind.GENERATED, topic="t.a", generator=FAMILY)])
    mistake = next(m for m in get_family(FAMILY).mistakes if m.id == MISTAKE)
    for seed in range(200):
        s = StudySession(store, bank, now=clock, rng=random.Random(seed))
        p = s.next_card()
        assert p is not None and p.instance is not None
        if mistake_answer(p.instance, mistake) is not None:
            break
    s.submit(_slip(p))
    s.rate(1)
    assert s.remaining >= 1
    again = s.next_card()
    assert again is not None and again.card_id == "gen"
    assert s.tutor.recheck_of(again) is not None


def test_plain_study_prints_the_mistake_and_the_recheck_line(store: Store, clock: Clock) -> None:
    s, p = _separating_session(store, clock)
    lines = [_slip(p), ""]
    for _ in range(RECHECK_AFTER):
        lines += ["a", ""]  # the choice cards' right answer is a
    out = io.StringIO()
    run_plain(s, io.StringIO("\n".join(lines) + "\nq\n"), out, "en")
    text = out.getvalue()
    assert "Looks like a common mistake (step 1 of the solution)" in text
    assert text.count("[t.a · generated") == 2
    after = text.split("[t.a · generated")[2]
    assert after.splitlines()[1].startswith("Re-check, after your earlier slip: You gave every (input, output)")


def _answer_again(s: StudySession, clock: Clock, n: int, right: bool) -> list[int]:
    """Answer the one generated card ``n`` times (a cram run shows it again each time); its levels."""
    levels = []
    for _ in range(n):
        s._seen_in_cram.clear()
        s.build_queue()
        p = s.next_card()
        assert p is not None and p.instance is not None
        levels.append(p.instance.level)
        s.submit(right_answer(p) if right else "1")  # no conv layer has 1 parameter
        s.rate()
        clock.advance(minutes=1)
    return levels


def test_answering_right_raises_the_level_and_wrong_lowers_it(store: Store, clock: Clock) -> None:
    """The wired path: each graded answer moves the family's ability, which picks the next level;
    a new session replays it from the log."""
    bank = make_bank([question("gen", Kind.GENERATED, topic="t.a", generator=FAMILY)])
    fam = get_family(FAMILY)
    s = StudySession(store, bank, now=clock, rng=random.Random(1), cram=True)
    levels = _answer_again(s, clock, 8, right=True)
    assert levels[0] == fam.default_level
    assert levels[-1] == fam.levels > fam.default_level
    assert levels == sorted(levels)
    # replayed from the review log by a new session
    s2 = StudySession(store, bank, now=clock, rng=random.Random(2), cram=True)
    assert s2.tutor.level(FAMILY) == fam.levels
    falling = _answer_again(s2, clock, 8, right=False)
    assert falling[0] == fam.levels and falling == sorted(falling, reverse=True)
    assert s2.tutor.level(FAMILY) == 1


def test_undo_takes_the_ability_update_back(store: Store, clock: Clock) -> None:
    bank = make_bank([question("gen", Kind.GENERATED, topic="t.a", generator=FAMILY)])
    s = StudySession(store, bank, now=clock, rng=random.Random(1), cram=True)
    before = s.tutor.level(FAMILY)
    _answer_again(s, clock, 3, right=False)
    assert s.tutor.level(FAMILY) < before  # type: ignore[operator]
    for _ in range(3):
        s.undo()
    assert s.tutor.level(FAMILY) == before


def test_undoing_the_slip_cancels_its_recheck(store: Store, clock: Clock) -> None:
    s, p = _separating_session(store, clock)
    s.submit(_slip(p))
    s.rate()
    assert s.tutor.pending(set()) == 1
    again = s.undo()
    assert again is not None and again.card_id == "gen"
    assert s.tutor.pending(set()) == 0 and s.tutor.recheck_of(again) is None


def test_a_mock_interview_asks_generated_questions_at_the_users_level(store: Store, clock: Clock) -> None:
    """The level study raised is the level the interviewer asks at (not the family's default)."""
    from quizforge.study.mock import MockInterview

    bank = make_bank([question("gen", Kind.GENERATED, topic="t.a", generator=FAMILY)])
    fam = get_family(FAMILY)
    fresh = MockInterview(store, bank, questions=1, seed=3, now=clock).start()  # type: ignore[arg-type]
    assert fresh is not None and fresh.instance is not None
    assert fresh.instance.level == fam.default_level
    _answer_again(StudySession(store, bank, now=clock, rng=random.Random(1), cram=True), clock, 8, right=True)  # type: ignore[arg-type]
    raised = MockInterview(store, bank, questions=1, seed=3, now=clock).start()  # type: ignore[arg-type]
    assert raised is not None and raised.instance is not None
    assert raised.instance.level == fam.levels > fam.default_level
