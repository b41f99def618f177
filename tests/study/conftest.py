from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quizforge.answer import AnswerKind, Tolerance
from quizforge.bank import Bank, Kind, Question, Topic
from quizforge.bank.schema import KeyPoint, Source
from quizforge.store import Store
from quizforge.study.session import Presented
from quizforge.text import Text

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    """An injected clock: ``clock()`` is now; ``advance`` moves it."""

    def __init__(self, t: datetime = T0) -> None:
        self.t = t

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **kw: float) -> datetime:
        self.t += timedelta(**kw)
        return self.t


def question(qid: str, kind: Kind = Kind.CHOICE, topic: str = "t.a", **kw: Any) -> Question:
    base: dict[str, Any] = {"prompt": Text(f"{qid}?", f"{qid}？"), "source": Source(Path("x.yaml"), 1)}
    if kind == Kind.CHOICE:
        base |= {"choices": (Text("yes"), Text("no"), Text("maybe")), "correct": (0,), "explanation": Text("because")}
    elif kind == Kind.NUMERIC:
        base |= {"value": 20, "answer_kind": AnswerKind.NUMBER, "tolerance": Tolerance.exact()}
    elif kind == Kind.CONCEPT:
        base |= {"answer": Text("the answer"), "key_points": (KeyPoint(Text("p1")), KeyPoint(Text("p2")))}
    elif kind == Kind.GENERATED:
        base |= {"generator": "conv_output_size", "prompt": Text("")}
    return Question(id=qid, kind=kind, topic=topic, difficulty=2, **(base | kw))


def make_bank(questions: list[Question]) -> Bank:
    topics = {q.topic: Topic(q.topic, q.topic.split(".")[0], Text(q.topic)) for q in questions}
    return Bank(topics=topics, questions={q.id: q for q in questions})


def right_answer(p: Presented) -> str:
    """A correct typed answer for any auto-graded card."""
    if p.kind == Kind.CONCEPT:
        return "my attempt"
    if p.instance is not None:
        value: Any = p.instance.answer
        kind = p.instance.answer_kind
    elif p.kind == Kind.CHOICE:
        value, kind = list(p.question.correct), AnswerKind.CHOICE
    else:
        value, kind = p.question.value, p.question.answer_kind
    if kind == AnswerKind.CHOICE:
        return ",".join(chr(ord("a") + int(i)) for i in value)
    if kind == AnswerKind.SHAPE:
        return "x".join(str(int(v)) for v in value)
    if kind == AnswerKind.MATRIX:
        return "; ".join(" ".join(repr(float(x)) for x in row) for row in value)
    if kind == AnswerKind.VECTOR:
        return " ".join(repr(float(x)) for x in value)
    return repr(float(value))


def wrong_answer(p: Presented) -> str:
    if p.answer_kind == AnswerKind.CHOICE:
        right = set(p.instance.answer if p.instance else p.question.correct)  # type: ignore[arg-type]
        return next(chr(ord("a") + i) for i in range(len(p.choices)) if i not in right)
    return "123456789"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "quizforge.db")
    yield s
    s.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()
