"""QuizSession: which questions it draws, what it saves, and its summary."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import pytest

from quizforge.bank import Kind
from quizforge.kinds import load
from quizforge.store import Source, Store
from quizforge.study.quiz import QuizSession, pick_questions

from .conftest import Clock, make_bank, question, right_answer, wrong_answer


def test_pick_respects_topic_area_and_difficulty() -> None:
    bank = load()
    rng = random.Random(3)
    picked = pick_questions(bank, rng, 10, topics=["optim"], difficulty=3)
    assert len(picked) == 10
    assert all(q.topic.startswith("optim.") for q in picked)
    exact = [q for q in bank if q.topic.startswith("optim.") and q.difficulty == 3]
    assert len(exact) >= 10  # so every pick must have exactly difficulty 3
    assert all(q.difficulty == 3 for q in picked)
    assert len({q.id for q in picked}) == 10


def test_pick_fills_from_the_nearest_difficulty_when_short() -> None:
    bank = make_bank(
        [replace(question(f"d{d}-{i}"), difficulty=d) for d, count in ((5, 2), (4, 3), (1, 5)) for i in range(count)]
    )
    picked = pick_questions(bank, random.Random(0), 4, difficulty=5)
    assert Counter(q.difficulty for q in picked) == {5: 2, 4: 2}


def test_same_seed_same_quiz() -> None:
    bank = load()
    a = [q.id for q in pick_questions(bank, random.Random(42), 10, topics=["cnn"])]
    b = [q.id for q in pick_questions(bank, random.Random(42), 10, topics=["cnn"])]
    assert a == b


def test_quiz_saves_with_source_quiz_and_schedules(store: Store, clock: Clock) -> None:
    bank = make_bank([question(f"q{i}", kind=Kind.NUMERIC) for i in range(6)] + [question("c", kind=Kind.CHOICE)])
    store.set_settings(enable_fuzzing=False)
    quiz = QuizSession(store, bank, n=5, now=clock, rng=random.Random(1))
    assert quiz.remaining == 5
    answered = []
    while (p := quiz.next_card()) is not None:
        clock.advance(seconds=30)
        right = len(answered) % 2 == 0
        quiz.submit(right_answer(p) if right else wrong_answer(p))
        quiz.rate()
        answered.append((p.card_id, right))
    assert len(answered) == 5  # wrong answers do not come back within a quiz
    reviews = store.reviews()
    assert [r.card_id for r in reviews] == [c for c, _ in answered]
    assert {r.source for r in reviews} == {Source.QUIZ}
    assert [r.rating == 1 for r in reviews] == [not right for _, right in answered]
    for card_id, _ in answered:
        card = store.card(card_id)
        assert card is not None and card.memory.due is not None  # the schedule learned from the quiz
    summary = quiz.summary()
    assert (summary.asked, summary.correct) == (5, 3)
    assert summary.score == pytest.approx(3 / 5)
    assert summary.seconds == pytest.approx(5 * 30)
    assert [r.presented.card_id for r in summary.misses] == [c for c, right in answered if not right]


def test_undo_takes_the_answer_out_of_the_summary(store: Store, clock: Clock) -> None:
    bank = make_bank([question(f"q{i}", kind=Kind.NUMERIC) for i in range(3)])
    quiz = QuizSession(store, bank, n=3, now=clock, rng=random.Random(1))
    p = quiz.next_card()
    assert p is not None
    quiz.submit(wrong_answer(p))
    quiz.rate()
    again = quiz.undo()
    assert again is not None and again.card_id == p.card_id
    assert quiz.summary().asked == 0 and store.reviews() == []


def test_suspended_cards_are_not_quizzed(store: Store, clock: Clock) -> None:
    bank = make_bank([question(f"q{i}") for i in range(4)])
    first = QuizSession(store, bank, n=4, now=clock, rng=random.Random(1))
    first.suspend("q2")
    quiz = QuizSession(store, bank, n=4, now=clock, rng=random.Random(1))
    assert quiz.remaining == 3
    assert "q2" not in quiz.build_queue()
