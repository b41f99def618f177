"""Follow-ups decided during the interview: weak or partial answers dig deeper, named mistakes get the
targeted re-check, strong answers and passes move on, and only when the time allows."""

from __future__ import annotations

from typing import Any

import pytest

from quizforge.answer import AnswerKind
from quizforge.bank import Bank, KeyPoint, Kind
from quizforge.kinds import load
from quizforge.kinds.tutor import mistake_answer
from quizforge.numeric.base import get_family
from quizforge.store import Source, Store
from quizforge.study.mock import MAX_FOLLOW_UP_DEPTH, MockInterview, Status, Why
from quizforge.study.session import Presented
from quizforge.text import Text
from tests.study.conftest import Clock, make_bank, question, right_answer, wrong_answer

KEY_POINTS = (
    KeyPoint(Text("mixes channels", "通道混合"), ("mix channels", "channel"), ("通道",)),
    KeyPoint(Text("reduces dimensions", "降维"), ("reduce", "bottleneck"), ("降维",)),
    KeyPoint(Text("adds a non-linearity", "增加非线性"), ("non-linear", "relu"), ("非线性",)),
)
STRONG = "It mixes channels, can reduce the width and adds a ReLU."
PARTIAL = "It mixes channels and reduces the width."  # 2 of 3
WEAK = "No idea, something about speed."  # 0 of 3


def chain_bank() -> Bank:
    """Two main questions in two topics; the first has a three-deep follow-up chain, the second one."""
    return make_bank(
        [
            question("root", Kind.CONCEPT, "t.a", key_points=KEY_POINTS, follow_ups=("f1",)),
            question("f1", Kind.CONCEPT, "t.a", key_points=KEY_POINTS, follow_ups=("f2",)),
            question("f2", Kind.CONCEPT, "t.a", key_points=KEY_POINTS, follow_ups=("f3",)),
            question("f3", Kind.CONCEPT, "t.a", key_points=KEY_POINTS),
            question("other", Kind.CONCEPT, "t.b", key_points=KEY_POINTS, follow_ups=("g1",)),
            question("g1", Kind.CONCEPT, "t.b", key_points=KEY_POINTS),
        ]
    )


def run(interview: MockInterview, clock: Clock, answer: Any, seconds: float = 30) -> list[str]:
    """Answer every question with ``answer(presented)`` (``None``: pass); the ids asked, in order."""
    asked = []
    p = interview.start()
    while p is not None:
        asked.append(p.card_id)
        clock.advance(seconds=seconds)
        text = answer(p)
        p = interview.pass_() if text is None else interview.answer(text)
    return asked


def test_weak_answers_dig_two_deep_and_strong_ones_move_on(store: Store, clock: Clock) -> None:
    for seed in range(6):
        interview = MockInterview(store, chain_bank(), questions=2, seed=seed, now=clock)
        asked = run(interview, clock, lambda p: STRONG if p.question.topic == "t.b" else WEAK)
        assert "g1" not in asked  # a strong answer: the next topic
        i = asked.index("root")
        assert asked[i : i + 3] == ["root", "f1", "f2"]  # f3 would be a third follow-up
        assert "f3" not in asked
        card = interview.finish()
        by_id = {item.question.id: item for item in card.items}
        assert [by_id[q].depth for q in ("root", "f1", "f2")] == [0, 1, MAX_FOLLOW_UP_DEPTH]
        f1, f2 = by_id["f1"].follow_up, by_id["f2"].follow_up
        assert f1 is not None and f1.why == Why.WEAK and f1.of == by_id["root"].index and f1.points == (0, 3)
        assert f2 is not None and f2.of == by_id["f1"].index
        assert by_id["other"].follow_up is None and by_id["root"].follow_up is None
        assert len(card.follow_ups) == 2


def test_a_partial_answer_gets_a_follow_up_and_a_pass_does_not(store: Store, clock: Clock) -> None:
    interview = MockInterview(store, chain_bank(), questions=2, seed=1, now=clock)
    asked = run(interview, clock, lambda p: PARTIAL if p.card_id == "root" else None)
    assert asked[asked.index("root") + 1] == "f1"
    assert "f2" not in asked and "g1" not in asked  # f1 and other were passed
    f1 = next(i for i in interview.finish().items if i.question.id == "f1")
    assert f1.follow_up is not None and f1.follow_up.why == Why.PARTIAL and f1.follow_up.points == (2, 3)


def test_a_numeric_answer_without_a_named_mistake_follows_the_chain(store: Store, clock: Clock) -> None:
    bank = make_bank(
        [
            question("num", Kind.NUMERIC, "t.a", follow_ups=("why",)),
            question("why", Kind.CONCEPT, "t.a", key_points=KEY_POINTS),
            question("other", Kind.CHOICE, "t.b"),
        ]
    )
    wrong = run(MockInterview(store, bank, questions=2, seed=0, now=clock), clock, wrong_answer)
    assert wrong[wrong.index("num") + 1] == "why"
    right = run(MockInterview(store, bank, questions=2, seed=0, now=clock), clock, right_answer)
    assert "why" not in right


@pytest.mark.parametrize("seed", range(12))
def test_a_named_mistake_gets_the_targeted_recheck(store: Store, clock: Clock, seed: int) -> None:
    bank = make_bank(
        [question("gen", Kind.GENERATED, "t.a"), question("c", Kind.CONCEPT, "t.b", key_points=KEY_POINTS)]
    )
    interview = MockInterview(store, bank, questions=2, seed=seed, now=clock)
    p: Presented | None = interview.start()
    while p is not None and p.card_id != "gen":
        p = interview.answer(STRONG)
    assert p is not None and p.instance is not None
    family = get_family("conv_output_size")
    mistake, wrong = next((m, w) for m in family.mistakes if (w := mistake_answer(p.instance, m)) is not None)
    first = p.instance
    recheck = interview.answer(repr(float(wrong)))
    assert recheck is not None and recheck.card_id == "gen" and recheck.instance is not None
    assert recheck.instance.seed != first.seed
    assert mistake_answer(recheck.instance, mistake) is not None  # the mistake shows on the new numbers
    why = interview.current_follow_up
    assert why is not None and why.why == Why.MISTAKE and why.mistake_id == mistake.id
    assert why.mistake is not None and why.mistake.zh
    after = interview.answer(right_answer(recheck))  # right this time: no further digging
    assert after is None or after.card_id == "c"


def test_follow_ups_only_when_they_fit_in_the_time(store: Store, clock: Clock) -> None:
    bank = chain_bank()
    # 2 questions in 2 minutes: a follow-up needs 30 s for itself and 30 s for the main question to come
    slow = MockInterview(store, bank, questions=2, minutes=2, seed=3, now=clock)
    first = slow.start()
    assert first is not None
    clock.advance(seconds=70)
    nxt = slow.answer(WEAK)
    assert nxt is not None and nxt.card_id in ("root", "other") and slow.current_depth == 0
    fast = MockInterview(store, bank, questions=2, minutes=2, seed=3, now=clock)
    first = fast.start()
    clock.advance(seconds=20)
    nxt = fast.answer(WEAK)
    assert fast.current_depth == 1 and nxt is not None and nxt.card_id in ("f1", "g1")


def test_time_out_during_a_follow_up(store: Store, clock: Clock) -> None:
    interview = MockInterview(store, chain_bank(), questions=2, minutes=5, seed=2, now=clock)
    first = interview.start()
    assert first is not None
    clock.advance(seconds=30)
    interview.answer(WEAK)
    assert interview.current_depth == 1
    clock.advance(minutes=6)
    assert interview.expired
    card = interview.finish()
    assert [i.status for i in card.items] == [Status.ANSWERED, Status.TIMED_OUT, Status.NOT_REACHED]
    assert card.items[1].follow_up is not None and card.items[1].seconds == 4 * 60 + 30
    assert card.items[2].follow_up is None and card.items[2].depth == 0
    assert card.total == pytest.approx(0.0)
    interview.save()
    assert [r.card_id for r in store.reviews()] == [first.card_id]


def test_the_scorecard_and_the_saved_result_say_why(store: Store, clock: Clock) -> None:
    interview = MockInterview(store, chain_bank(), questions=2, seed=4, now=clock)
    run(interview, clock, lambda p: {"root": WEAK, "f1": STRONG}.get(p.card_id, PARTIAL))
    card = interview.finish()
    ids = [i.question.id for i in card.items]
    assert "f1" in ids and "f2" not in ids and "g1" in ids
    # a main question's credit is the mean over its chain: root 0 and f1 1; other 2/3 and g1 2/3
    assert card.total == pytest.approx(100 * ((0 + 1) / 2 + (2 / 3 + 2 / 3) / 2) / 2)
    assert card.by_kind == pytest.approx({"concept": 100 * (0 + 1 + 2 / 3 + 2 / 3) / 4})
    interview.save()
    [result] = store.mock_results()
    saved = {q["id"]: q for q in result.details["questions"]}
    assert saved["f1"]["follow_up"] == {"of": ids.index("root"), "why": "weak", "score": 0.0, "mistake": None}
    assert saved["g1"]["follow_up"]["why"] == "partial" and saved["root"]["follow_up"] is None
    assert saved["root"]["concept"] == saved["f1"]["concept"] == "root"
    assert {r.card_id for r in store.reviews()} == set(ids)
    assert {r.source for r in store.reviews()} == {Source.MOCK}


@pytest.fixture(scope="module")
def shipped() -> Bank:
    return load()


def test_a_default_mock_of_the_shipped_bank_digs_after_weak_answers(store: Store, clock: Clock, shipped: Bank) -> None:
    def weak(p: Presented) -> str:
        if p.self_graded:
            return "I am not sure."
        return wrong_answer(p) if p.answer_kind in (AnswerKind.CHOICE, AnswerKind.NUMBER) else "1"

    for seed in range(5):
        interview = MockInterview(store, shipped, seed=seed, now=clock)
        run(interview, clock, weak, seconds=20)
        card = interview.finish()
        mains = [i for i in card.items if i.follow_up is None and i.status == Status.ANSWERED]
        diggable = [i for i in mains if i.question.follow_ups or i.instance is not None]
        assert len(mains) == 8
        if diggable:
            assert card.follow_ups, seed
        for f in card.follow_ups:
            assert f.follow_up is not None and card.items[f.follow_up.of].score < 1.0
