"""Coding drills as cards: "implement it in NumPy", the answer a program judged in a child process.

A card names a drill (``kind: implement``, ``drill: NAME``); the drill itself (task, cases, reference,
model solution, hints) lives in :mod:`quizforge.drills`, so a bank file never supplies code that runs.
A presentation draws the seed of the cases; the answer is the user's source code, judged by
:mod:`quizforge.drills.judge` (all cases pass = correct, the score the share of cases passed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quizforge.bank.schema import Body, Kind, Question
from quizforge.kinds.base import Expected, QuestionKind, anki_text, register
from quizforge.text import Text

if TYPE_CHECKING:
    import random

    from quizforge.bank.loader import FieldReader
    from quizforge.bank.yamlsafe import MarkedDict
    from quizforge.drills.base import Drill
    from quizforge.drills.judge import Judge
    from quizforge.grading.verdict import Verdict

_judge: Judge | None = None


def shared_judge() -> Judge:
    """The one judge of this process (it keeps the warm child between verdicts)."""
    global _judge
    if _judge is None:
        import atexit

        from quizforge.drills.judge import Judge

        _judge = Judge()
        atexit.register(_judge.close)  # a warm child nobody used: stop it, remove its directory
    return _judge


def source_of(answer: str) -> str:
    """The code an answer gives: the answer itself, or the file it names (one line ending in ``.py``)."""
    line = answer.strip()
    if "\n" not in line and line.endswith(".py"):
        from pathlib import Path

        path = Path(line).expanduser()
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return answer  # judged as code: the verdict says no function is defined
    return answer


@dataclass(frozen=True)
class ImplementBody(Body):
    drill: str | None = None  # the drill's name in quizforge.drills


def drill_of(question: Question) -> Drill:
    """The drill an implement card names."""
    from quizforge.drills import get_drill

    assert isinstance(question.body, ImplementBody) and question.body.drill is not None
    return get_drill(question.body.drill)


class ImplementKind(QuestionKind):
    name = Kind.IMPLEMENT
    fields = frozenset({"drill"})
    prompt_required = False  # the drill writes the prompt
    difficulty_required = False
    keeps_texts = False
    speed = (300.0, 1800.0)  # a function written from scratch
    mock_slot = "numeric"
    in_mock = False  # a mock asks a coding question only when the user opts in
    answer_is_code = True

    def read_body(self, reader: FieldReader, q: MarkedDict, where: str) -> ImplementBody:
        from quizforge.drills import drill_names

        name = q.get("drill")
        mark = q.value_marks.get("drill", q.mark)
        if not isinstance(name, str) or not name:
            reader.problem(mark, f"{where}.drill", "missing")
            return ImplementBody(None)
        if name not in drill_names():
            reader.problem(mark, f"{where}.drill", f"unknown drill {name!r} (see `quizforge drill --list`)")
            return ImplementBody(None)
        return ImplementBody(name)

    def body_to_json(self, body: Body) -> tuple[Any, Any]:
        assert isinstance(body, ImplementBody)
        return body.drill, None

    def body_from_json(self, light: Any, texts: Any) -> ImplementBody:
        return ImplementBody(light)

    # -- a review ------------------------------------------------------------------------------------

    def draw(self, question: Question, rng: random.Random) -> int:
        shared_judge().prepare()  # the drill is about to be shown: start the child now
        return rng.randrange(2**31)

    def seed(self, drawn: Any) -> int | None:
        return drawn if isinstance(drawn, int) else None

    def prompt(self, question: Question, drawn: Any) -> Text:
        drill = drill_of(question)
        return Text(f"{drill.prompt.en}\n\n{drill.signature}", f"{drill.prompt.zh}\n\n{drill.signature}")

    def expected(self, question: Question, drawn: Any) -> Expected:
        return Expected(model=Text.same(drill_of(question).model_solution), model_label="solution")

    def grade(self, question: Question, drawn: Any, text: str, lang: str) -> Verdict:
        from quizforge.grading.verdict import Verdict

        seed = drawn if isinstance(drawn, int) else 0
        v = shared_judge().judge(drill_of(question), source_of(text), seed=seed)
        return Verdict(v.ok, v.passed / v.total, v.text(lang))

    def anki_sides(self, question: Question, lang: str, seed: int | None) -> tuple[str, str]:
        # Anki cannot run the judge: the task on the front, the model solution on the back
        return anki_text(
            self.prompt(question, None).get(lang)
        ), f"<pre>{anki_text(drill_of(question).model_solution)}</pre>"


IMPLEMENT_KIND = register(ImplementKind())
