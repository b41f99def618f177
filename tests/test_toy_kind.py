"""The proof that a question kind is one module: a "word" kind defined entirely in this test is
loaded from a bank file and driven through a study session (TUI and ``study --plain``), a quiz and a
mock interview, with no change to any other module."""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from quizforge.bank import Bank, Question
from quizforge.bank.schema import Body
from quizforge.kinds import Expected, QuestionKind, register
from quizforge.kinds import base as kinds_base
from quizforge.store import Source, Store
from quizforge.study.mock import MockInterview
from quizforge.study.plain import run_plain
from quizforge.study.quiz import QuizSession
from quizforge.study.session import StudySession
from quizforge.tui.app import Launch, make_app
from quizforge.tui.widgets import answers

from .study.conftest import Clock

if TYPE_CHECKING:
    from quizforge.bank.loader import FieldReader
    from quizforge.bank.yamlsafe import MarkedDict
    from quizforge.grading.verdict import Verdict

BANK = """\
topic: toy.words
questions:
  - id: word-capital-france
    kind: word
    difficulty: 1
    prompt: {en: "The capital of France?", zh: "法国的首都？"}
    word: Paris
  - id: word-largest-planet
    kind: word
    difficulty: 1
    prompt: {en: "The largest planet?", zh: "最大的行星？"}
    word: Jupiter
"""
TOPICS = """\
topics:
  - {id: toy.words, area: toy, en: Words, zh: 单词}
"""
ANSWERS = {"word-capital-france": "paris", "word-largest-planet": "JUPITER"}  # the case is not graded


@dataclass(frozen=True)
class WordBody(Body):
    word: str = ""


class WordKind(QuestionKind):
    """The answer is one word, right whatever its case."""

    name = "word"
    fields = frozenset({"word"})
    mock_slot = "concept"

    def read_body(self, reader: FieldReader, q: MarkedDict, where: str) -> WordBody:
        word = q.get("word")
        if not isinstance(word, str) or not word.strip():
            reader.problem(q.value_marks.get("word", q.mark), f"{where}.word", "expected one word")
            return WordBody()
        return WordBody(word.strip())

    def body_to_json(self, body: Body) -> tuple[Any, Any]:
        assert isinstance(body, WordBody)
        return None, body.word

    def body_from_json(self, light: Any, texts: Any) -> WordBody:
        return WordBody(texts)

    def expected(self, question: Question, drawn: Any) -> Expected:
        assert isinstance(question.body, WordBody)
        return Expected(question.body.word, None, text=question.body.word)

    def grade(self, question: Question, drawn: Any, text: str, lang: str) -> Verdict:
        from quizforge.grading.verdict import Verdict

        assert isinstance(question.body, WordBody)
        right = text.strip().casefold() == question.body.word.casefold()
        return Verdict(right, 1.0 if right else 0.0, "✓" if right else f"✗ {question.body.word}")


@pytest.fixture
def word_bank(tmp_path: Path) -> Iterator[Bank]:
    """The toy kind registered (with a typed answer widget) and a bank of two word questions."""
    from quizforge.bank import load

    register(WordKind())
    answers.register_widget("word", answers.TYPED)
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "topics.yaml").write_text(TOPICS, encoding="utf-8")
    (folder / "words.yaml").write_text(BANK, encoding="utf-8")
    try:
        yield load([folder], include_shipped=False)
    finally:
        kinds_base._KINDS.pop("word")
        from quizforge.bank import registry

        registry._SCHEMAS.pop("word")
        answers._WIDGETS.pop("word")


@pytest.fixture
def toy_store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "quizforge.db")
    yield s
    s.close()


def test_the_bank_loads_the_toy_kind(word_bank: Bank) -> None:
    assert {q.kind for q in word_bank} == {"word"}
    assert word_bank.questions["word-capital-france"].body == WordBody("Paris")


def test_a_study_session_grades_and_records_it(word_bank: Bank, toy_store: Store) -> None:
    session = StudySession(toy_store, word_bank, now=Clock(), rng=random.Random(1))
    for _ in range(2):
        p = session.next_card()
        assert p is not None
        result = session.submit(ANSWERS[p.card_id])
        assert result.correct is True and result.expected in ("Paris", "Jupiter")
        session.rate()
    assert session.next_card() is None
    reviews = toy_store.reviews()
    assert sorted(r.card_id for r in reviews) == sorted(ANSWERS)
    assert all(r.correct and r.source == Source.STUDY for r in reviews)


def test_study_plain_runs_it(word_bank: Bank, toy_store: Store) -> None:
    session = StudySession(toy_store, word_bank, now=Clock(), rng=random.Random(1))
    # the plain dialogue shows cards in the session's order: answer "wrong" to both, accept the proposal
    out = io.StringIO()
    assert run_plain(session, io.StringIO("wrong\n\nwrong\n\n"), out) == 0
    assert "✗ Paris" in out.getvalue() and "✗ Jupiter" in out.getvalue()
    assert [r.rating for r in toy_store.reviews()] == [1, 1]  # wrong → Again


def test_a_quiz_scores_it(word_bank: Bank, toy_store: Store) -> None:
    quiz = QuizSession(toy_store, word_bank, n=2, now=Clock(), rng=random.Random(2))
    while (p := quiz.next_card()) is not None:
        quiz.submit(ANSWERS[p.card_id] if p.card_id == "word-capital-france" else "Saturn")
        quiz.rate()
    summary = quiz.summary()
    assert (summary.correct, summary.asked) == (1, 2)
    assert {r.source for r in toy_store.reviews()} == {Source.QUIZ}


def test_a_mock_interview_scores_it(word_bank: Bank, toy_store: Store) -> None:
    clock = Clock()
    interview = MockInterview(toy_store, word_bank, questions=2, seed=3, now=clock)
    p = interview.start()
    while p is not None:
        clock.advance(seconds=10)
        p = interview.answer(ANSWERS[p.card_id])
    card = interview.finish()
    assert [i.counts_as_right for i in card.items] == [True, True] and card.total == 100.0
    interview.save()
    assert {r.source for r in toy_store.reviews()} == {Source.MOCK}


async def test_the_study_screen_takes_a_typed_word(word_bank: Bank, tmp_path: Path) -> None:
    from textual.widgets import Input

    from quizforge.tui.screens.study import StudyScreen

    app = make_app(tmp_path / "data", word_bank, "en", now=Clock(), launch=Launch(screen="study"), seed=5)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        while screen.card is not None:
            card = screen.card
            screen.query_one(Input).value = ANSWERS[card.card_id]
            await pilot.press("enter")  # submit
            await pilot.pause()
            assert screen.result is not None and screen.result.correct is True
            await pilot.press("enter")  # accept the proposed rating
            await pilot.pause()
        reviews = app.store.reviews()
        assert sorted(r.card_id for r in reviews) == sorted(ANSWERS) and all(r.correct for r in reviews)


def test_the_toy_kind_is_gone_after_the_test() -> None:
    assert "word" not in {k.name for k in kinds_base.all()}
