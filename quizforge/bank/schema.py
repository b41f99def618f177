"""The question bank's domain objects (docs/architecture.md §2). The loader builds them; nothing here does I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any

from quizforge.text import Text


class Kind(StrEnum):
    CONCEPT = "concept"
    CHOICE = "choice"
    NUMERIC = "numeric"  # a fixed question with a fixed numeric answer
    GENERATED = "generated"  # a generator family makes a fresh instance at every review
    IMPLEMENT = "implement"  # a coding drill: the answer is a program, judged on generated cases


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


class Body:
    """The fields one question kind adds to a question (``Question.body``); each kind defines its own.

    ``generator`` is the numeric family that writes the question at every review, ``None`` for every
    kind but the generated one: reports and the browser ask it of any question without knowing kinds.
    """

    generator: str | None = None

    def searchable(self) -> tuple[Text, ...]:
        """Texts of the body the bank browser's search looks in besides the prompt."""
        return ()


@dataclass(frozen=True, eq=False)
class Question:
    """One bank question: what every kind has, plus the kind's own fields in ``body``."""

    id: str
    kind: str  # a registered kind's name (the built-in ones are :class:`Kind`)
    topic: str
    difficulty: int
    prompt: Text  # empty for generated questions (the family writes it)
    source: Source
    tags: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()
    body: Body = field(default_factory=Body)

    @property
    def generator(self) -> str | None:
        """The numeric family that writes this question at every review (``None``: a fixed question)."""
        return self.body.generator

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in fields(Question))

    def __eq__(self, other: object) -> bool:
        # a LazyQuestion equals the Question it stands for
        if not isinstance(other, Question):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


class LazyQuestion(Question):
    """A :class:`Question` from the start-up snapshot whose texts are decoded on first use.

    The light fields (id, kind, topic, tags, follow-ups, …) are set at once; the first read of the
    prompt or the body asks ``fetch(id)`` for the texts; ``decode(light, texts)`` then builds the body
    (with ``texts`` ``None`` for a kind that keeps no texts in its body, which then never fetches).
    Equal to the parsed Question.
    """

    _fetch: Callable[[str], tuple[Text, Any]]
    _decode: Callable[[Any, Any], Body]
    _light: Any
    _needs_texts: bool
    _generator: str | None

    @classmethod
    def create(
        cls,
        common: dict[str, Any],
        light: Any,
        fetch: Callable[[str], tuple[Text, Any]],
        decode: Callable[[Any, Any], Body],
        needs_texts: bool = True,
        generator: str | None = None,
    ) -> LazyQuestion:
        q = object.__new__(cls)
        d = q.__dict__
        d.update(common)
        d["_fetch"], d["_decode"], d["_light"], d["_needs_texts"] = fetch, decode, light, needs_texts
        d["_generator"] = generator
        return q

    @property
    def generator(self) -> str | None:
        return self._generator  # known without decoding the body (reports ask it of every question)

    def _load_texts(self) -> tuple[Text, Any]:
        d = self.__dict__
        if "_texts" not in d:
            d["_texts"] = self._fetch(self.id)
        return d["_texts"]  # type: ignore[no-any-return]

    @property
    def prompt(self) -> Text:
        return self._load_texts()[0]

    @property
    def body(self) -> Body:
        d = self.__dict__
        if "_body" not in d:
            d["_body"] = self._decode(self._light, self._load_texts()[1] if self._needs_texts else None)
        return d["_body"]  # type: ignore[no-any-return]


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
