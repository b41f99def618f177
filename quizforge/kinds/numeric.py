"""Numeric questions: a fixed question whose answer is a number, vector, matrix or shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from quizforge.answer import AnswerKind, Tolerance
from quizforge.bank.registry import text_from_json, text_to_json
from quizforge.bank.schema import Body, Kind, Question
from quizforge.kinds.base import Expected, QuestionKind, anki_text, register
from quizforge.text import Text

if TYPE_CHECKING:
    from quizforge.bank.loader import FieldReader
    from quizforge.bank.yamlsafe import MarkedDict

# Enum(value) costs ~5 µs a call, a dict ~50 ns: it adds up over a 10,000-question bank.
_ANSWER_KINDS = {k.value: k for k in AnswerKind}


@dataclass(frozen=True)
class NumericBody(Body):
    value: Any = None  # number | list[number] | list[list[number]] | tuple[int, ...] (a shape)
    answer_kind: AnswerKind | None = None
    tolerance: Tolerance = field(default_factory=Tolerance)
    solution: Text | None = None


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class NumericKind(QuestionKind):
    name = Kind.NUMERIC
    fields = frozenset({"answer", "answer_kind", "tolerance", "solution"})
    speed = (20.0, 120.0)
    mock_slot = "numeric"

    # -- the bank file -------------------------------------------------------------------------------

    def read_body(self, reader: FieldReader, q: MarkedDict, where: str) -> NumericBody:
        answer_kind, value = self._value(reader, q, where)
        tolerance = self._tolerance(reader, q, where)
        return NumericBody(value, answer_kind, tolerance, reader.text(q, "solution", where, required=reader.strict))

    def _value(self, reader: FieldReader, q: MarkedDict, where: str) -> tuple[AnswerKind | None, Any]:
        from quizforge.bank.loader import describe_type

        mark = q.value_marks.get("answer", q.mark)
        value = q.get("answer")
        kind_raw = q.get("answer_kind")
        try:
            kind = AnswerKind(kind_raw) if kind_raw is not None else None
        except ValueError:
            reader.problem(
                q.value_marks["answer_kind"], f"{where}.answer_kind", "expected number, vector, matrix or shape"
            )
            return None, None
        if kind == AnswerKind.CHOICE:
            reader.problem(q.value_marks["answer_kind"], f"{where}.answer_kind", "use kind: choice for choices")
            return None, None
        if value is None:
            reader.problem(mark, f"{where}.answer", "missing")
            return None, None
        if _number(value) and kind in (None, AnswerKind.NUMBER):
            return AnswerKind.NUMBER, value
        if isinstance(value, list) and value and all(_number(v) for v in value):
            if kind == AnswerKind.SHAPE:
                if not all(isinstance(v, int) and v > 0 for v in value):
                    reader.problem(mark, f"{where}.answer", "a shape is a list of positive whole numbers")
                    return None, None
                return kind, tuple(value)
            if kind in (None, AnswerKind.VECTOR):
                return AnswerKind.VECTOR, list(value)
        if (
            isinstance(value, list)
            and value
            and all(isinstance(r, list) and r and all(_number(v) for v in r) for r in value)
            and kind in (None, AnswerKind.MATRIX)
        ):
            if len({len(r) for r in value}) != 1:
                reader.problem(mark, f"{where}.answer", "matrix rows have different lengths")
                return None, None
            return AnswerKind.MATRIX, [list(r) for r in value]
        reader.problem(
            mark,
            f"{where}.answer",
            f"expected {kind.value if kind else 'a number, vector, matrix or shape'}, got {describe_type(value)}",
        )
        return None, None

    def _tolerance(self, reader: FieldReader, q: MarkedDict, where: str) -> Tolerance:
        from quizforge.bank.yamlsafe import MarkedDict

        raw = q.get("tolerance")
        if raw is None:
            return Tolerance()
        mark = q.value_marks["tolerance"]
        if not isinstance(raw, MarkedDict) or set(raw) - {"rel", "abs"}:
            reader.problem(mark, f"{where}.tolerance", "expected {rel: 0.001, abs: 1.0e-6}")
            return Tolerance()
        rel, abs_ = raw.get("rel", 0.0), raw.get("abs", 0.0)
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in (rel, abs_)):
            reader.problem(mark, f"{where}.tolerance", "rel and abs must be numbers ≥ 0")
            return Tolerance()
        return Tolerance(rel=float(rel), abs=float(abs_) if abs_ else 1e-9)

    def body_to_json(self, body: Body) -> tuple[Any, Any]:
        assert isinstance(body, NumericBody)
        value = list(body.value) if isinstance(body.value, tuple) else body.value
        kind = body.answer_kind.value if body.answer_kind else None
        return [value, kind, body.tolerance.rel, body.tolerance.abs], text_to_json(body.solution)

    def body_from_json(self, light: Any, texts: Any) -> NumericBody:
        value, kind_raw, rel, abs_ = light
        kind = _ANSWER_KINDS[kind_raw] if kind_raw else None
        if kind == AnswerKind.SHAPE:
            value = tuple(value)
        return NumericBody(value, kind, Tolerance(rel, abs_), text_from_json(texts))

    # -- a review ------------------------------------------------------------------------------------

    def expected(self, question: Question, drawn: Any) -> Expected:
        from quizforge.grading import format_value

        body = question.body
        assert isinstance(body, NumericBody)
        text = format_value(body.value, body.answer_kind, body.tolerance)
        return Expected(body.value, body.answer_kind, body.tolerance, text, body.solution, "solution")

    def anki_sides(self, question: Question, lang: str, seed: int | None) -> tuple[str, str]:
        body = question.body
        assert isinstance(body, NumericBody)
        back = f"<b>{anki_text(str(body.value))}</b>"
        if body.solution is not None:
            back += "<br>" + anki_text(body.solution.get(lang))
        return anki_text(question.prompt.get(lang)), back


NUMERIC = register(NumericKind())
