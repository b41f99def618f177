"""Generated questions: a numeric family draws a fresh instance (numbers, prompt, answer) at every review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quizforge.bank.schema import Body, Kind, Question
from quizforge.kinds.base import Expected, QuestionKind, anki_options, anki_text, register
from quizforge.text import Text

if TYPE_CHECKING:
    import random

    from quizforge.bank.loader import FieldReader
    from quizforge.bank.yamlsafe import MarkedDict
    from quizforge.grading.verdict import Verdict
    from quizforge.numeric.base import Instance

INSTANCES_PER_ANKI_NOTE = 3  # Anki cannot draw fresh numbers: a few fixed instances (seeds 0, 1, …)


@dataclass(frozen=True)
class GeneratedBody(Body):
    generator: str | None = None  # the numeric family's name


def _instance(drawn: Any) -> Instance | None:
    return drawn  # type: ignore[no-any-return]


class GeneratedKind(QuestionKind):
    name = Kind.GENERATED
    fields = frozenset({"generator"})
    prompt_required = False  # the family writes the prompt
    difficulty_required = False  # the family's difficulty is the card's
    keeps_texts = False
    speed = (30.0, 180.0)  # worked on paper
    mock_slot = "numeric"

    def read_body(self, reader: FieldReader, q: MarkedDict, where: str) -> GeneratedBody:
        generator = q.get("generator")
        if not isinstance(generator, str) or not generator:
            reader.problem(q.value_marks.get("generator", q.mark), f"{where}.generator", "missing")
            return GeneratedBody(None)
        return GeneratedBody(generator)

    def body_to_json(self, body: Body) -> tuple[Any, Any]:
        return body.generator, None

    def body_from_json(self, light: Any, texts: Any) -> GeneratedBody:
        return GeneratedBody(light)

    def generator_from_json(self, light: Any) -> str | None:
        return light  # type: ignore[no-any-return]

    # -- a review ------------------------------------------------------------------------------------

    def draw(self, question: Question, rng: random.Random) -> Instance:
        return self.draw_at(question, rng, None)

    def draw_at(self, question: Question, rng: random.Random, level: int | None) -> Instance:
        """A fresh instance at ``level`` (``None``: the family's default level); the seed is drawn
        from ``rng`` the same way whatever the level."""
        from quizforge.numeric.base import get_family

        assert question.body.generator is not None
        return get_family(question.body.generator).generate(rng.randrange(2**31), level)

    def grade(self, question: Question, drawn: Any, text: str, lang: str) -> Verdict | None:
        """The verdict, ending with the named mistake a wrong answer matches ("Looks like …")."""
        inst = _instance(drawn)
        if inst is None:
            return super().grade(question, drawn, text, lang)
        from quizforge.kinds.tutor import grade_instance

        return grade_instance(inst, text, lang=lang)[0]

    def level_and_mistake(self, question: Question, drawn: Any, text: str) -> tuple[int | None, str | None]:
        inst = _instance(drawn)
        if inst is None:
            return None, None
        from quizforge.kinds.tutor import diagnose_text

        found = diagnose_text(inst, text)
        return inst.level, found[0].id if found else None

    def prompt(self, question: Question, drawn: Any) -> Text:
        inst = _instance(drawn)
        return inst.prompt if inst is not None else question.prompt

    def choices(self, question: Question, drawn: Any) -> tuple[Text, ...]:
        inst = _instance(drawn)
        return tuple(inst.choices) if inst is not None else ()

    def seed(self, drawn: Any) -> int | None:
        inst = _instance(drawn)
        return inst.seed if inst is not None else None

    def expected(self, question: Question, drawn: Any) -> Expected:
        inst = _instance(drawn)
        if inst is None:
            return Expected()  # no instance drawn (a mock question never reached)
        from quizforge.grading import format_value

        text = format_value(inst.answer, inst.answer_kind, inst.tolerance)
        return Expected(inst.answer, inst.answer_kind, inst.tolerance, text, inst.solution, "solution")

    def anki_seeds(self, question: Question) -> list[int | None]:
        return list(range(INSTANCES_PER_ANKI_NOTE))

    def anki_sides(self, question: Question, lang: str, seed: int | None) -> tuple[str, str]:
        from quizforge.numeric.base import get_family

        assert question.body.generator is not None and seed is not None
        inst = get_family(question.body.generator).generate(seed)
        front = anki_text(inst.prompt.get(lang))
        if inst.choices:
            front += "<br>" + anki_options(tuple(inst.choices), lang)
        answer = inst.answer
        shown = str(list(answer) if isinstance(answer, tuple) else answer)
        return front, f"<b>{anki_text(shown)}</b><br>{anki_text(inst.solution.get(lang))}"


GENERATED = GeneratedKind()
register(GENERATED)
