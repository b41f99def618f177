"""Choice questions: pick one option (or several, when more than one is correct)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quizforge.answer import AnswerKind, Tolerance
from quizforge.bank.registry import text_from_json, text_to_json
from quizforge.bank.schema import Body, Kind, Question
from quizforge.kinds.base import ANKI_LETTERS, Expected, QuestionKind, anki_options, anki_text, register
from quizforge.text import Text

if TYPE_CHECKING:
    from quizforge.bank.loader import FieldReader
    from quizforge.bank.yamlsafe import MarkedDict


@dataclass(frozen=True)
class ChoiceBody(Body):
    choices: tuple[Text, ...] = ()
    correct: tuple[int, ...] = ()  # 0-based indices into ``choices``
    explanation: Text | None = None

    @property
    def multi_select(self) -> bool:
        return len(self.correct) > 1


class ChoiceKind(QuestionKind):
    name = Kind.CHOICE
    fields = frozenset({"choices", "correct", "explanation"})
    speed = (8.0, 40.0)  # picking an option is quick
    mock_slot = "choice"

    # -- the bank file -------------------------------------------------------------------------------

    def read_body(self, reader: FieldReader, q: MarkedDict, where: str) -> ChoiceBody:
        choices = self._choices(reader, q, where)
        correct = self._correct(reader, q, where, len(choices))
        return ChoiceBody(choices, correct, reader.text(q, "explanation", where, required=reader.strict))

    def _choices(self, reader: FieldReader, q: MarkedDict, where: str) -> tuple[Text, ...]:
        from quizforge.bank.yamlsafe import MarkedList

        raw = q.get("choices")
        if not isinstance(raw, MarkedList) or not 2 <= len(raw) <= 9:
            reader.problem(q.value_marks.get("choices", q.mark), f"{where}.choices", "expected a list of 2–9 options")
            return ()
        out = []
        for i, (item, mark) in enumerate(zip(raw, raw.item_marks, strict=True)):
            text = reader.text_value(item, mark, f"{where}.choices[{i}]")
            if text is not None:
                out.append(text)
        return tuple(out)

    def _correct(self, reader: FieldReader, q: MarkedDict, where: str, n: int) -> tuple[int, ...]:
        raw = q.get("correct")
        mark = q.value_marks.get("correct", q.mark)
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = [raw]
        if not isinstance(raw, list) or not raw or not all(isinstance(i, int) and not isinstance(i, bool) for i in raw):
            reader.problem(mark, f"{where}.correct", "expected a list of 0-based option indices, e.g. [1]")
            return ()
        if n and any(not 0 <= i < n for i in raw):
            reader.problem(mark, f"{where}.correct", f"indices must be 0..{n - 1} (0-based)")
        if len(set(raw)) != len(raw):
            reader.problem(mark, f"{where}.correct", "an index is repeated")
        return tuple(sorted(raw))

    def body_to_json(self, body: Body) -> tuple[Any, Any]:
        assert isinstance(body, ChoiceBody)
        return list(body.correct), [[text_to_json(c) for c in body.choices], text_to_json(body.explanation)]

    def body_from_json(self, light: Any, texts: Any) -> ChoiceBody:
        return ChoiceBody(tuple(Text(c[0], c[1]) for c in texts[0]), tuple(light), text_from_json(texts[1]))

    # -- a review ------------------------------------------------------------------------------------

    def choices(self, question: Question, drawn: Any) -> tuple[Text, ...]:
        body = question.body
        assert isinstance(body, ChoiceBody)
        return body.choices

    def expected(self, question: Question, drawn: Any) -> Expected:
        from quizforge.grading import format_value

        body = question.body
        assert isinstance(body, ChoiceBody)
        value, tolerance = list(body.correct), Tolerance()
        text = format_value(value, AnswerKind.CHOICE, tolerance)
        return Expected(value, AnswerKind.CHOICE, tolerance, text, body.explanation, "explanation")

    def anki_sides(self, question: Question, lang: str, seed: int | None) -> tuple[str, str]:
        body = question.body
        assert isinstance(body, ChoiceBody)
        front = anki_text(question.prompt.get(lang))
        front += "<br>" + anki_options(body.choices, lang)
        back = (
            "<b>"
            + ", ".join(f"{ANKI_LETTERS[i]}) {anki_text(body.choices[i].get(lang))}" for i in body.correct)
            + "</b>"
        )
        if body.explanation is not None:
            back += "<br>" + anki_text(body.explanation.get(lang))
        return front, back


CHOICE = register(ChoiceKind())
