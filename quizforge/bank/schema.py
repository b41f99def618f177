"""The question bank's domain objects (docs/architecture.md §2). The loader builds them; nothing here does I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any

from quizforge.answer import AnswerKind, Tolerance
from quizforge.text import Text


class Kind(StrEnum):
    CONCEPT = "concept"
    CHOICE = "choice"
    NUMERIC = "numeric"  # a fixed question with a fixed numeric answer
    GENERATED = "generated"  # a generator family makes a fresh instance at every review


def in_topics(topic: str, wanted: Sequence[str] | None) -> bool:
    """Whether ``topic`` is selected by ``wanted``: a topic id, or an area prefix (``cnn`` ⊃ ``cnn.pool``).

    Every ``--topic`` filter uses this rule (the store's SQL filter mirrors it); no filter selects all.
    """
    return not wanted or any(topic == w or topic.startswith(w + ".") for w in wanted)


@dataclass(frozen=True)
class Topic:
    id: str
    area: str
    name: Text


@dataclass(frozen=True)
class KeyPoint:
    """One rubric point of a concept answer; keywords suggest (never decide) that a free answer made it."""

    text: Text
    keywords_en: tuple[str, ...] = ()
    keywords_zh: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """Where a question was defined, for error messages."""

    path: Path
    line: int  # 1-based


@dataclass(frozen=True, eq=False)
class Question:
    id: str
    kind: Kind
    topic: str
    difficulty: int
    prompt: Text  # empty for generated questions (the family writes it)
    source: Source
    tags: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()
    # concept
    answer: Text | None = None
    key_points: tuple[KeyPoint, ...] = ()
    # choice
    choices: tuple[Text, ...] = ()
    correct: tuple[int, ...] = ()
    explanation: Text | None = None
    # numeric
    value: Any = None  # number | list[number] | list[list[number]] | tuple[int, ...]
    answer_kind: AnswerKind | None = None
    tolerance: Tolerance = field(default_factory=Tolerance)
    solution: Text | None = None
    # generated
    generator: str | None = None

    @property
    def multi_select(self) -> bool:
        return len(self.correct) > 1

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in fields(Question))

    def __eq__(self, other: object) -> bool:
        # a LazyQuestion equals the Question it stands for
        if not isinstance(other, Question):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


# The texts of a question: what the bank's start-up snapshot decodes only when a card is shown.
HEAVY_FIELDS = ("prompt", "answer", "key_points", "choices", "explanation", "solution")


class LazyQuestion(Question):
    """A :class:`Question` from the start-up snapshot whose texts are decoded on first use.

    The light fields (id, kind, topic, tags, follow-ups, …) are set at once; the first read of any
    field in :data:`HEAVY_FIELDS` asks ``fetch(id)`` for all of them. Equal to the parsed Question.
    """

    _fetch: Callable[[str], dict[str, Any]]

    @classmethod
    def create(cls, light: dict[str, Any], fetch: Callable[[str], dict[str, Any]]) -> LazyQuestion:
        q = object.__new__(cls)
        q.__dict__.update(light)
        q.__dict__["_fetch"] = fetch
        return q

    def _heavy(self, name: str) -> Any:
        d = self.__dict__
        if "_texts" not in d:
            d["_texts"] = self._fetch(self.id)
        return d["_texts"][name]

    @property
    def prompt(self) -> Text:
        return self._heavy("prompt")  # type: ignore[no-any-return]

    @property
    def answer(self) -> Text | None:
        return self._heavy("answer")  # type: ignore[no-any-return]

    @property
    def key_points(self) -> tuple[KeyPoint, ...]:
        return self._heavy("key_points")  # type: ignore[no-any-return]

    @property
    def choices(self) -> tuple[Text, ...]:
        return self._heavy("choices")  # type: ignore[no-any-return]

    @property
    def explanation(self) -> Text | None:
        return self._heavy("explanation")  # type: ignore[no-any-return]

    @property
    def solution(self) -> Text | None:
        return self._heavy("solution")  # type: ignore[no-any-return]


@dataclass
class Bank:
    """All loaded questions, indexed by id and topic. Ids are unique across every loaded file."""

    topics: dict[str, Topic]
    questions: dict[str, Question]
    files: tuple[Path, ...] = ()

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions.values())

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> Question | None:
        return self.questions.get(question_id)

    def by_topic(self) -> Mapping[str, list[Question]]:
        """Questions grouped by topic id, in catalogue order (topics without questions included)."""
        groups: dict[str, list[Question]] = {t: [] for t in self.topics}
        for q in self.questions.values():
            groups.setdefault(q.topic, []).append(q)
        return groups

    def topic_name(self, topic_id: str, lang: str) -> str:
        topic = self.topics.get(topic_id)
        return topic.name.get(lang) if topic else topic_id
