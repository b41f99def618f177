"""The question-kind protocol and its registry.

A kind is one module under ``quizforge/kinds/`` holding one :class:`QuestionKind`: its YAML fields and
their checks (the :class:`~quizforge.bank.registry.KindSchema` half, which the bank loader calls), what
a presentation of a question draws, the expected answer, grading, its Anki sides and its mock slot.
Everything above (study sessions, quizzes, mocks, ``study --plain``, the TUI) asks the kind instead of
branching on it. ``register(kind)`` adds a kind; a test can add one of its own.

A kind whose answers are judged somewhere else (by the user ticking key points, or later by a program
run in a child process) returns ``None`` from :meth:`QuestionKind.grade`: the answer text is kept and
recorded like any other, and ``self_graded`` says the verdict comes from the user's ticks.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from quizforge.answer import AnswerKind, Tolerance
from quizforge.bank.registry import KindSchema, register_schema
from quizforge.bank.schema import KeyPoint, Question
from quizforge.text import Text

if TYPE_CHECKING:
    import random

    from quizforge.grading.verdict import Verdict

ANKI_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def anki_text(text: str) -> str:
    """Bank text as Anki HTML: escaped, line breaks kept."""
    import html  # only an export needs it: kept off the bank's load path

    return html.escape(text).replace("\n", "<br>")


def anki_options(choices: tuple[Text, ...] | list[Text], lang: str) -> str:
    """Options as ``a) …`` lines of Anki HTML."""
    return "<br>".join(f"{ANKI_LETTERS[i]}) {anki_text(c.get(lang))}" for i, c in enumerate(choices))


@dataclass(frozen=True)
class Expected:
    """The right answer of one presentation of a question, and what is shown once it is answered.

    Attributes:
        value: What a typed answer is compared with (``None``: nothing is compared, e.g. a concept card).
        answer_kind: How a typed answer is read (``None``: it is not parsed).
        tolerance: How close a number must be.
        text: The right answer as text ("" when there is none to show).
        model: The model answer, explanation or worked solution.
        model_label: The UI text key naming ``model`` (``model_answer``, ``explanation``, ``solution``).
        key_points: The rubric the user ticks (self-graded kinds).
    """

    value: Any = None
    answer_kind: AnswerKind | None = None
    tolerance: Tolerance = field(default_factory=Tolerance)
    text: str = ""
    model: Text | None = None
    model_label: str = "solution"
    key_points: tuple[KeyPoint, ...] = ()


class QuestionKind(KindSchema):
    """One question kind: the bank's schema half plus everything a review of it needs.

    ``drawn`` below is what :meth:`draw` returned for one presentation (``None`` for a fixed question).
    """

    speed: ClassVar[tuple[float, float]] = (20.0, 120.0)  # seconds: at most fast (→ Easy), at least slow (→ Hard)
    mock_slot: ClassVar[str] = "concept"  # which of a mock's slots (concept, numeric, choice) it fills
    self_graded: ClassVar[bool] = False  # the answer is revealed and the user ticks key points
    in_mock: ClassVar[bool] = True  # a mock interview may ask it
    answer_is_code: ClassVar[bool] = False  # the answer is a program (``study --plain`` reads it from a file)

    def draw(self, question: Question, rng: random.Random) -> Any:
        """What one presentation draws (a generated question's instance); ``None`` for a fixed question."""
        return None

    def prompt(self, question: Question, drawn: Any) -> Text:
        return question.prompt

    def choices(self, question: Question, drawn: Any) -> tuple[Text, ...]:
        """The options shown (empty when the answer is typed)."""
        return ()

    def seed(self, drawn: Any) -> int | None:
        """The seed a review records, to show the same instance again."""
        return None

    def best_rating(self, drawn: Any) -> int | None:
        """The highest rating an answer to this presentation may be proposed (``None``: no cap), e.g.
        Hard (2) once a drill's hint was shown."""
        return None

    @abstractmethod
    def expected(self, question: Question, drawn: Any) -> Expected:
        """The right answer of this presentation."""

    def grade(self, question: Question, drawn: Any, text: str, lang: str) -> Verdict | None:
        """Grade ``text``; ``None`` when the answer is judged elsewhere (see the module docstring).

        The default reads the text as ``expected().answer_kind`` and compares it with the expected value.
        """
        from quizforge.grading import grade

        e = self.expected(question, drawn)
        if e.answer_kind is None:
            return None
        n_choices = len(self.choices(question, drawn)) or None
        return grade(e.value, text, e.answer_kind, e.tolerance, lang=lang, n_choices=n_choices)

    def level_and_mistake(self, question: Question, drawn: Any, text: str) -> tuple[int | None, str | None]:
        """What a review of ``text`` records for numeric tutoring: the drawn instance's difficulty
        level and the id of the named mistake the answer was diagnosed as (``None``: not applicable)."""
        return None, None

    def anki_seeds(self, question: Question) -> list[int | None]:
        """The fixed presentations an Anki deck gets (``None``: the question as written)."""
        return [None]

    def anki_sides(self, question: Question, lang: str, seed: int | None) -> tuple[str, str]:
        """The front and back of the question's Anki note, as HTML."""
        raise NotImplementedError(f"{self.name} questions have no Anki form")


_KINDS: dict[str, QuestionKind] = {}


def register(kind: QuestionKind) -> QuestionKind:
    """Add ``kind`` (replacing one of the same name) for the bank loader and every study path."""
    _KINDS[kind.name] = kind
    register_schema(kind)
    return kind


def get(name: str) -> QuestionKind:
    """The kind called ``name``.

    Raises:
        KeyError: no such kind is registered.
    """
    return _KINDS[name]


def all() -> list[QuestionKind]:
    """Every registered kind, in registration order."""
    return list(_KINDS.values())


def kind_of(question: Question) -> QuestionKind:
    """The kind of ``question``."""
    return _KINDS[question.kind]
