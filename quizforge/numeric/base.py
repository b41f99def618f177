"""Generator families: a seed becomes a numeric question with its answer and worked solution.

A family is a function ``draw(rng) -> Draft`` registered with :func:`family`. The registry wraps it so
that ``generate(name, seed)`` always builds the same :class:`Instance` from the same seed, on every
machine (NumPy's PCG64 integer streams are platform independent; families draw integers and choices
only, never platform-dependent floats).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from quizforge.grading.kinds import AnswerKind, Tolerance
from quizforge.text import Text

# number | vector | matrix | shape | choice indices
Answer = float | int | list[float] | list[list[float]] | tuple[int, ...] | list[int]


@dataclass(frozen=True)
class Draft:
    """What a family's draw function returns; the registry adds name, seed, topic and difficulty."""

    params: dict[str, Any]
    prompt: Text
    answer: Answer
    answer_kind: AnswerKind
    solution: Text
    tolerance: Tolerance = field(default_factory=Tolerance)
    choices: Sequence[Text] = ()  # options, for answer_kind CHOICE


@dataclass(frozen=True)
class Instance:
    """One generated question: what the user sees, what counts as right, and how to get there."""

    family: str
    seed: int
    topic: str
    difficulty: int
    params: dict[str, Any]
    prompt: Text
    answer: Answer
    answer_kind: AnswerKind
    tolerance: Tolerance
    solution: Text
    choices: Sequence[Text] = ()

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        """The ``quizforge generate --json`` object (DESIGN §3).

        Args:
            lang: ``"en"`` or ``"zh"`` to give prompt and solution as plain strings in that
                language; ``None`` gives both as ``{"en": ..., "zh": ...}``.
        """

        def text(t: Text) -> Any:
            return t.to_dict() if lang is None else t.get(lang)

        out: dict[str, Any] = {
            "family": self.family,
            "seed": self.seed,
            "topic": self.topic,
            "params": self.params,
            "prompt": text(self.prompt),
            "answer": list(self.answer) if isinstance(self.answer, tuple) else self.answer,
            "answer_kind": str(self.answer_kind),
            "solution": text(self.solution),
            "difficulty": self.difficulty,
            "tolerance": {"rel": self.tolerance.rel, "abs": self.tolerance.abs},
        }
        if self.choices:
            out["choices"] = [text(c) for c in self.choices]
        return out


DrawFn = Callable[[np.random.Generator], Draft]


@dataclass(frozen=True)
class Family:
    name: str
    topic: str
    title: Text
    difficulty: int
    draw: DrawFn

    def generate(self, seed: int) -> Instance:
        draft = self.draw(np.random.default_rng(seed))
        return Instance(
            family=self.name,
            seed=seed,
            topic=self.topic,
            difficulty=self.difficulty,
            params=draft.params,
            prompt=draft.prompt,
            answer=draft.answer,
            answer_kind=draft.answer_kind,
            tolerance=draft.tolerance,
            solution=draft.solution,
            choices=tuple(draft.choices),
        )


_REGISTRY: dict[str, Family] = {}
_loaded = False


def family(name: str, *, topic: str, title: Text, difficulty: int) -> Callable[[DrawFn], DrawFn]:
    """Register ``draw`` as the family ``name`` (a public, stable name: banks refer to it)."""

    def register(draw: DrawFn) -> DrawFn:
        if name in _REGISTRY:
            raise ValueError(f"family {name!r} registered twice")
        _REGISTRY[name] = Family(name, topic, title, difficulty, draw)
        return draw

    return register


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    from quizforge.numeric import families

    for mod in pkgutil.iter_modules(families.__path__):
        importlib.import_module(f"{families.__name__}.{mod.name}")
    _loaded = True


def families() -> dict[str, Family]:
    """Every registered family by name (imports the family modules on first use)."""
    _load_all()
    return dict(_REGISTRY)


def get_family(name: str) -> Family:
    """The family ``name``; raises ``KeyError`` with the name when it does not exist."""
    _load_all()
    return _REGISTRY[name]


def generate(name: str, seed: int) -> Instance:
    return get_family(name).generate(seed)


def answers_agree(expected: Answer, other: Any, kind: AnswerKind, tolerance: Tolerance) -> bool:
    """Whether ``other`` (e.g. a torch oracle's result) equals ``expected`` within ``tolerance``.

    Shapes and choices must match exactly (choices as sets); numbers, vectors and matrices element
    by element, with the same shape.
    """
    if kind in (AnswerKind.SHAPE, AnswerKind.CHOICE):
        a = [int(v) for v in np.asarray(expected).ravel()]
        b = [int(v) for v in np.asarray(other).ravel()]
        return sorted(a) == sorted(b) if kind == AnswerKind.CHOICE else a == b
    a_arr = np.asarray(expected, dtype=float)
    b_arr = np.asarray(other, dtype=float)
    if a_arr.shape != b_arr.shape:
        return False
    return all(tolerance.accepts(float(v), float(e)) for v, e in zip(b_arr.ravel(), a_arr.ravel(), strict=True))
