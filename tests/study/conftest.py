from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quizforge.answer import AnswerKind, Tolerance
from quizforge.bank import Bank, Kind, Question, Topic
from quizforge.bank.schema import KeyPoint, Source
from quizforge.kinds.choice import ChoiceBody
from quizforge.kinds.concept import ConceptBody
from quizforge.kinds.generated import GeneratedBody
from quizforge.kinds.numeric import NumericBody
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
    """A question of ``kind``; ``kw`` overrides common fields or the kind's body fields."""
    base: dict[str, Any] = {"prompt": Text(f"{qid}?", f"{qid}？"), "source": Source(Path("x.yaml"), 1)}
    body: dict[str, Any] = {}
    if kind == Kind.CHOICE:
        body = {"choices": (Text("yes"), Text("no"), Text("maybe")), "correct": (0,), "explanation": Text("because")}
    elif kind == Kind.NUMERIC:
        body = {"value": 20, "answer_kind": AnswerKind.NUMBER, "tolerance": Tolerance.exact()}
    elif kind == Kind.CONCEPT:
        body = {"answer": Text("the answer"), "key_points": (KeyPoint(Text("p1")), KeyPoint(Text("p2")))}
    elif kind == Kind.GENERATED:
        body, base["prompt"] = {"generator": "conv_output_size"}, Text("")
    body_type = {
        Kind.CHOICE: ChoiceBody,
        Kind.NUMERIC: NumericBody,
        Kind.CONCEPT: ConceptBody,
        Kind.GENERATED: GeneratedBody,
    }[kind]
    common = {k: kw.pop(k) for k in list(kw) if k in ("prompt", "source", "tags", "follow_ups", "difficulty")}
    fields = base | {"difficulty": 2} | common
    return Question(id=qid, kind=kind, topic=topic, body=body_type(**(body | kw)), **fields)


def make_bank(questions: list[Question]) -> Bank:
    topics = {q.topic: Topic(q.topic, q.topic.split(".")[0], Text(q.topic)) for q in questions}
    return Bank(topics=topics, questions={q.id: q for q in questions})


def right_answer(p: Presented) -> str:
    """A correct typed answer for any auto-graded card."""
    if p.kind == Kind.CONCEPT:
        return "my attempt"
    if p.question_kind.answer_is_code:  # a coding drill: its model solution
        return p.expected.model.en if p.expected.model is not None else ""
    if p.instance is not None:
        value: Any = p.instance.answer
        kind = p.instance.answer_kind
    elif isinstance(p.question.body, ChoiceBody):
        value, kind = list(p.question.body.correct), AnswerKind.CHOICE
    else:
        assert isinstance(p.question.body, NumericBody)
        value, kind = p.question.body.value, p.question.body.answer_kind
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
        right = set(p.instance.answer if p.instance else p.question.body.correct)  # type: ignore[arg-type,attr-defined]
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
