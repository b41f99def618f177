"""The question bank's domain objects (DESIGN §2). The loader builds them; nothing here does I/O."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from quizforge.grading.kinds import AnswerKind, Tolerance
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


@dataclass(frozen=True)
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
