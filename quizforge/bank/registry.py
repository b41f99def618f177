"""The bank's view of question kinds: each kind's YAML fields, their checks and its body's snapshot form.

The bank knows no kind itself. ``quizforge.kinds`` registers one :class:`KindSchema` per kind (the
kinds sit above the bank); the loader and the caches look a question's kind up here and hand its
kind-specific fields to it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar

from quizforge.bank.schema import Body, KeyPoint
from quizforge.text import Text

if TYPE_CHECKING:
    from quizforge.bank.loader import FieldReader
    from quizforge.bank.yamlsafe import MarkedDict


class KindSchema(ABC):
    """What the bank needs to know about one question kind."""

    name: ClassVar[str]
    fields: ClassVar[frozenset[str]]  # the YAML fields this kind adds to the common ones
    prompt_required: ClassVar[bool] = True  # False: the prompt is written elsewhere (a generator family)
    difficulty_required: ClassVar[bool] = True  # False: the difficulty comes from elsewhere
    keeps_texts: ClassVar[bool] = True  # whether the body holds texts (the start-up snapshot decodes them lazily)

    @abstractmethod
    def read_body(self, reader: FieldReader, q: MarkedDict, where: str) -> Body:
        """The body of question ``q`` (``where`` is its id), recording every problem on ``reader``.

        A body is returned even when problems were recorded; the loader then leaves the question out.
        """

    @abstractmethod
    def body_to_json(self, body: Body) -> tuple[Any, Any]:
        """The body as JSON: the light part (kept in the snapshot's index) and its texts (kept apart)."""

    @abstractmethod
    def body_from_json(self, light: Any, texts: Any) -> Body:
        """The inverse of :meth:`body_to_json` (``texts`` is ``None`` when ``keeps_texts`` is false)."""

    def generator_from_json(self, light: Any) -> str | None:
        """``Body.generator`` from the light part alone (the snapshot answers it without the texts)."""
        return None


_SCHEMAS: dict[str, KindSchema] = {}


def register_schema(schema: KindSchema) -> None:
    """Make ``schema`` the bank's schema for questions of kind ``schema.name`` (a later one replaces it)."""
    _SCHEMAS[schema.name] = schema


def schemas() -> dict[str, KindSchema]:
    """Every registered kind schema by name, in registration order.

    Raises:
        RuntimeError: when no kind is registered (import ``quizforge.kinds`` first).
    """
    if not _SCHEMAS:
        raise RuntimeError("no question kind is registered: import quizforge.kinds before loading a bank")
    return _SCHEMAS


# -- JSON forms of the texts bodies hold (used by the kinds' body_to_json / body_from_json) -----------


def text_to_json(t: Text | None) -> list[str] | None:
    return None if t is None else [t.en, t.zh]


def text_from_json(v: list[str] | None) -> Text | None:
    return None if v is None else Text(v[0], v[1])


def key_points_to_json(points: tuple[KeyPoint, ...]) -> list[list[Any]]:
    return [[kp.text.en, kp.text.zh, list(kp.keywords_en), list(kp.keywords_zh)] for kp in points]


def key_points_from_json(raw: list[list[Any]]) -> tuple[KeyPoint, ...]:
    return tuple(KeyPoint(Text(en, zh), tuple(ke), tuple(kz)) for en, zh, ke, kz in raw)
