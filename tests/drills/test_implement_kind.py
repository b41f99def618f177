"""The ``implement`` kind: drill cards load from a bank, are judged in a study session and in
``study --plain`` (the answer read from a file), count in a quiz, and stay out of mock interviews."""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizforge.bank import Bank
from quizforge.drills import get_drill
from quizforge.kinds.implement import ImplementBody
from quizforge.store import Source, Store
from quizforge.study.mock import MockInterview
from quizforge.study.plain import run_plain
from quizforge.study.quiz import QuizSession
from quizforge.study.session import StudySession

from ..study.conftest import Clock

TOPICS = 'topics:\n  - {id: code.numpy, area: coding, en: "Implement it in NumPy", zh: "用 NumPy 实现"}\n'
BANK = """\
topic: code.numpy
questions:
  - id: code-softmax
    kind: implement
    drill: softmax
    difficulty: 2
  - id: code-relu-backward
    kind: implement
    drill: relu_backward
    difficulty: 1
"""


def make_bank(tmp_path: Path, text: str = BANK) -> Bank:
    from quizforge.kinds import load

    folder = tmp_path / "bank"
    folder.mkdir(exist_ok=True)
    (folder / "topics.yaml").write_text(TOPICS, encoding="utf-8")
    (folder / "drills.yaml").write_text(text, encoding="utf-8")
    return load([folder], include_shipped=False)


@pytest.fixture
def bank(tmp_path: Path) -> Bank:
    return make_bank(tmp_path)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "quizforge.db")
    yield s
    s.close()


WRONG = {
    "softmax": "import numpy as np\n\ndef softmax(x, axis=-1):\n"
    "    return np.exp(x) / np.exp(x).sum(axis=axis, keepdims=True)\n"
}


def test_the_bank_loads_drill_cards_and_rejects_an_unknown_drill(bank: Bank, tmp_path: Path) -> None:
    assert bank.questions["code-softmax"].body == ImplementBody("softmax")
    from quizforge.bank.loader import load_bank

    folder = tmp_path / "bank"
    bad = BANK.replace("drill: relu_backward", "drill: relu_backwards")
    (folder / "drills.yaml").write_text(bad, encoding="utf-8")
    loaded, problems = load_bank([folder])
    assert "code-relu-backward" not in loaded.questions and "code-softmax" in loaded.questions
    assert [str(p).split("drills.yaml:")[1] for p in problems] == [
        "9:12: code-relu-backward.drill: unknown drill 'relu_backwards' (see `quizforge drill --list`)"
    ]


def test_a_study_session_judges_code(bank: Bank, store: Store) -> None:
    session = StudySession(store, bank, now=Clock(), rng=random.Random(1))
    seen: list[str] = []
    while len(seen) < 2 and (p := session.next_card()) is not None:  # a wrong card comes back the same day
        drill = get_drill(p.question.body.drill)  # type: ignore[attr-defined]
        assert drill.signature in p.prompt.get("en") and p.seed is not None
        source = WRONG.get(drill.name, drill.model_solution)
        result = session.submit(source)
        assert result.correct is (drill.name not in WRONG)
        assert result.model_answer is not None and f"def {drill.function}" in result.model_answer.en
        seen.append(drill.name)
        session.rate()
    assert sorted(seen) == ["relu_backward", "softmax"]
    reviews = {r.card_id: r for r in store.reviews()}
    assert reviews["code-softmax"].correct is False and reviews["code-softmax"].rating == 1
    assert reviews["code-softmax"].score is not None and reviews["code-softmax"].score < 1
    assert reviews["code-relu-backward"].correct is True and reviews["code-relu-backward"].answer.startswith("import")


def test_study_plain_reads_the_solution_from_a_file(bank: Bank, store: Store, tmp_path: Path) -> None:
    files = {}
    for name in ("softmax", "relu_backward"):
        files[name] = tmp_path / f"{name}.py"
        files[name].write_text(get_drill(name).model_solution, encoding="utf-8")
    session = StudySession(store, bank, now=Clock(), rng=random.Random(1))
    order = [q for q in session.build_queue()]
    lines = [str(tmp_path / "missing.py")]  # unreadable: asked again
    for card_id in order:
        lines += [str(files["softmax" if card_id == "code-softmax" else "relu_backward"]), ""]
    lines.append("q")
    out = io.StringIO()
    assert run_plain(session, io.StringIO("\n".join(lines) + "\n"), out) == 0
    text = out.getvalue()
    assert "missing.py: cannot read it" in text and "✓ softmax: 20 of 20 cases passed" in text
    assert all(r.correct for r in store.reviews()) and len(store.reviews()) == 2


def test_a_quiz_of_drills_scores_by_cases(bank: Bank, store: Store) -> None:
    quiz = QuizSession(store, bank, n=2, now=Clock(), rng=random.Random(2))
    while (p := quiz.next_card()) is not None:
        drill = get_drill(p.question.body.drill)  # type: ignore[attr-defined]
        quiz.submit(WRONG.get(drill.name, drill.model_solution))
        quiz.rate()
    summary = quiz.summary()
    assert (summary.correct, summary.asked) == (1, 2)
    assert 0.5 <= summary.score < 1.0  # the wrong softmax still passes its small cases
    assert {r.source for r in store.reviews()} == {Source.QUIZ}


def test_a_mock_interview_leaves_drills_out(bank: Bank, store: Store) -> None:
    interview = MockInterview(store, bank, questions=2, seed=3, now=Clock())
    assert interview.start() is None
