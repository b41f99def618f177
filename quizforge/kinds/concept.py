"""Concept questions: a free answer, revealed with a model answer and key points the user ticks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quizforge.bank.registry import key_points_from_json, key_points_to_json, text_from_json, text_to_json
from quizforge.bank.schema import Body, KeyPoint, Kind, Question
from quizforge.kinds.base import Expected, QuestionKind, anki_text, register
from quizforge.text import Text

if TYPE_CHECKING:
    from quizforge.bank.loader import FieldReader
    from quizforge.bank.yamlsafe import MarkedDict
    from quizforge.grading.verdict import Verdict


@dataclass(frozen=True)
class ConceptBody(Body):
    answer: Text | None = None
    key_points: tuple[KeyPoint, ...] = ()

    def searchable(self) -> tuple[Text, ...]:
        return () if self.answer is None else (self.answer,)


class ConceptKind(QuestionKind):
    name = Kind.CONCEPT
    fields = frozenset({"answer", "key_points"})
    speed = (20.0, 120.0)
    mock_slot = "concept"
    self_graded = True

    # -- the bank file -------------------------------------------------------------------------------

    def read_body(self, reader: FieldReader, q: MarkedDict, where: str) -> ConceptBody:
        return ConceptBody(reader.text(q, "answer", where), self._key_points(reader, q, where))

    def _key_points(self, reader: FieldReader, q: MarkedDict, where: str) -> tuple[KeyPoint, ...]:
        from quizforge.bank.yamlsafe import MarkedDict, MarkedList

        raw = q.get("key_points")
        if raw is None:
            if reader.strict:
                reader.problem(q.mark, f"{where}.key_points", "missing (3–6 points)")
            return ()
        if not isinstance(raw, MarkedList):
            reader.problem(q.value_marks["key_points"], f"{where}.key_points", "expected a list")
            return ()
        if reader.strict and not 3 <= len(raw) <= 6:
            reader.problem(q.value_marks["key_points"], f"{where}.key_points", f"{len(raw)} points; give 3–6")
        points = []
        for i, (item, mark) in enumerate(zip(raw, raw.item_marks, strict=True)):
            field = f"{where}.key_points[{i}]"
            text = reader.text_value(item, mark, field, other_keys=frozenset({"keywords"}))
            kw_en, kw_zh = self._keywords(reader, item, field) if isinstance(item, MarkedDict) else ((), ())
            if text is not None:
                points.append(KeyPoint(text, kw_en, kw_zh))
        return tuple(points)

    def _keywords(self, reader: FieldReader, item: MarkedDict, where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        from quizforge.bank.yamlsafe import MarkedDict

        raw = item.get("keywords")
        if raw is None:
            return (), ()
        if not isinstance(raw, MarkedDict):
            reader.problem(item.value_marks["keywords"], f"{where}.keywords", "expected {en: [...], zh: [...]}")
            return (), ()
        out: list[tuple[str, ...]] = []
        for lang in ("en", "zh"):
            words = raw.get(lang, [])
            if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
                reader.problem(
                    raw.value_marks.get(lang, raw.mark), f"{where}.keywords.{lang}", "expected a list of words"
                )
                words = []
            out.append(tuple(w.strip() for w in words))
        return out[0], out[1]

    def body_to_json(self, body: Body) -> tuple[Any, Any]:
        assert isinstance(body, ConceptBody)
        return None, [text_to_json(body.answer), key_points_to_json(body.key_points)]

    def body_from_json(self, light: Any, texts: Any) -> ConceptBody:
        return ConceptBody(text_from_json(texts[0]), key_points_from_json(texts[1]))

    # -- a review ------------------------------------------------------------------------------------

    def expected(self, question: Question, drawn: Any) -> Expected:
        body = question.body
        assert isinstance(body, ConceptBody)
        return Expected(model=body.answer, model_label="model_answer", key_points=body.key_points)

    def grade(self, question: Question, drawn: Any, text: str, lang: str) -> Verdict | None:
        return None  # revealed: the user ticks the key points they made

    def anki_sides(self, question: Question, lang: str, seed: int | None) -> tuple[str, str]:
        body = question.body
        assert isinstance(body, ConceptBody)
        back = anki_text(body.answer.get(lang)) if body.answer is not None else ""
        if body.key_points:
            back += "<ul>" + "".join(f"<li>{anki_text(k.text.get(lang))}</li>" for k in body.key_points) + "</ul>"
        return anki_text(question.prompt.get(lang)), back


CONCEPT = register(ConceptKind())
