"""Generator families: a seed becomes a numeric question with its answer and worked solution.

A family is a function ``draw(rng) -> Draft`` (or ``draw(rng, level) -> Draft`` for a family with
difficulty levels) registered with :func:`family`. The registry wraps it so that
``generate(name, seed, level)`` always builds the same :class:`Instance` from the same seed and level,
on every machine (NumPy's PCG64 integer streams are platform independent; families draw integers and
choices only, never platform-dependent floats).

Beside the draw function a family module registers, by family name:

- :func:`mistake`: a common wrong way to solve the question, as a function of the instance's params
  that returns the answer the mistake produces, with a bilingual explanation and the step of the
  worked solution it breaks (numeric tutoring: a wrong answer that equals a mistake's answer is named);
- :func:`torch_snippet`: the few lines of PyTorch that compute an instance's answer with its numbers
  and print it (``generate --json``'s ``"torch_code"``; the snippet is text, never run on a start path).
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from quizforge.answer import AnswerKind, Tolerance
from quizforge.text import Text

# number | vector | matrix | shape | choice indices
Answer = float | int | list[float] | list[list[float]] | tuple[int, ...] | list[int]
Params = dict[str, Any]


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
    level: int = 1
    # The family's snippet builder: the text is made only when asked for (``torch_code``), since most
    # instances are shown and graded without it.
    torch_snippet: TorchSnippetFn | None = field(default=None, compare=False, repr=False)

    @property
    def torch_code(self) -> str | None:
        """A self-contained PyTorch script that prints this instance's answer (``None``: the family has none)."""
        return None if self.torch_snippet is None else self.torch_snippet(self.params)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        """The ``quizforge generate --json`` object (docs/architecture.md §7).

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
            "level": self.level,
            "tolerance": {"rel": self.tolerance.rel, "abs": self.tolerance.abs},
            "torch_code": self.torch_code,
        }
        if self.choices:
            out["choices"] = [text(c) for c in self.choices]
        return out


DrawFn = Callable[..., Draft]  # draw(rng) for a one-level family, draw(rng, level) otherwise
MistakeFn = Callable[[Params], Answer]
AppliesFn = Callable[[Params], bool]
LevelScoreFn = Callable[[Params], float]
TorchSnippetFn = Callable[[Params], str]


@dataclass(frozen=True)
class Mistake:
    """A common wrong way to solve a family's question, as code.

    Attributes:
        id: stable within the family (``bias-per-channel-pair``); reported by ``grade --json``.
        text: what the user probably did, in a short sentence, both languages
            ("You gave every (input, output) channel pair its own bias; Conv2d has one bias per
            output channel.").
        step: the step of the worked solution it breaks, counted from 1.
        answer: the answer the mistake produces, from an instance's params.
        applies: whether the instance asks for what the mistake gets wrong (a parameter-count slip
            on a question about a shape does not apply); ``None``: every instance.
    """

    id: str
    text: Text
    step: int
    answer: MistakeFn
    applies: AppliesFn | None = None


@dataclass(frozen=True)
class Family:
    name: str
    topic: str
    title: Text
    difficulty: int
    draw: DrawFn
    levels: int = 1  # difficulty levels 1..levels; draw takes (rng, level) when levels > 1
    default_level: int = 1  # the level ``generate`` uses when none is asked for
    mistakes: tuple[Mistake, ...] = ()
    torch_code: TorchSnippetFn | None = None
    # Levels by selection (see :func:`levels_by_score`): the level's band of a difficulty score
    level_bands: tuple[tuple[float, float], ...] = ()
    level_score: LevelScoreFn | None = None
    typeset_minus: bool = False  # shown minus signs as "−" (see :func:`typeset_minus_signs`)

    def generate(self, seed: int, level: int | None = None) -> Instance:
        """The instance for ``seed`` at ``level`` (the family's default level when ``None``).

        Raises:
            ValueError: ``level`` is outside 1..levels.
        """
        lvl = self.default_level if level is None else level
        if not 1 <= lvl <= self.levels:
            raise ValueError(f"family {self.name!r} has levels 1..{self.levels}, not {lvl}")
        rng = np.random.default_rng(seed)
        if self.level_score is None:
            draft = self.draw(rng, lvl) if self.levels > 1 else self.draw(rng)
        else:
            draft = self._draw_in_band(rng, lvl)
        if self.typeset_minus:
            draft = replace(
                draft,
                prompt=_typeset_text(draft.prompt),
                solution=_typeset_text(draft.solution),
                choices=[_typeset_text(c) for c in draft.choices],
            )
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
            level=lvl,
            torch_snippet=self.torch_code,
        )

    def _draw_in_band(self, rng: np.random.Generator, level: int) -> Draft:
        """The first draw (of the one-level draw function) whose score lies in ``level``'s band."""
        assert self.level_score is not None
        lo, hi = self.level_bands[level - 1]
        for _ in range(_BAND_TRIES):
            draft: Draft = self.draw(rng)
            if lo <= self.level_score(draft.params) <= hi:
                return draft
        raise RuntimeError(f"family {self.name!r}: no draw in level {level}'s band after {_BAND_TRIES} tries")


# A minus sign: "-" before a number or a bracket, at a line start or after a space, an operator or an
# opening bracket (so "1-D", "semi-definite" and "1e-8" keep their hyphens).
_MINUS = re.compile(r"(?:^|(?<=[\s(\[{,=·/×;:：，（]))-(?=[\d(.])", re.MULTILINE)
# The answer as the grader reads it: the "Answer:" line and, after "Answer:" alone, the indented rows.
_ANSWER_BLOCK = re.compile(r"^[ \t]*(?:Answer:|答案：)[^\n]*(?:\n[ \t]+[^\n]*)*", re.MULTILINE)


def typeset_minus(text: str) -> str:
    """Shown minus signs as "−", as the bank writes them.

    Text in backticks (what the user may type, ``1 -2; 3 4``) and the ``Answer:``/``答案：`` block
    (the value as the grader reads it) keep their ASCII "-".
    """
    if "-" not in text:
        return text
    out: list[str] = []
    pos = 0
    for block in _ANSWER_BLOCK.finditer(text):
        out.append(_typeset_outside_backticks(text[pos : block.start()]))
        out.append(block.group(0))
        pos = block.end()
    out.append(_typeset_outside_backticks(text[pos:]))
    return "".join(out)


def _typeset_outside_backticks(text: str) -> str:
    if "`" not in text:
        return _MINUS.sub("−", text)
    return "`".join(p if i % 2 else _MINUS.sub("−", p) for i, p in enumerate(text.split("`")))


def _typeset_text(t: Text) -> Text:
    return Text(typeset_minus(t.en), typeset_minus(t.zh))


_BAND_TRIES = 2000
_REGISTRY: dict[str, Family] = {}
_loaded = False


def family(
    name: str, *, topic: str, title: Text, difficulty: int, levels: int = 1, default_level: int = 1
) -> Callable[[DrawFn], DrawFn]:
    """Register ``draw`` as the family ``name`` (a public, stable name: banks refer to it).

    Args:
        levels: how many difficulty levels the family has; with more than one, ``draw`` is called
            as ``draw(rng, level)`` with ``level`` in 1..levels.
        default_level: the level used when a caller asks for none (``generate NAME --seed N``).
    """
    if not 1 <= default_level <= levels:
        raise ValueError(f"family {name!r}: default_level {default_level} outside 1..{levels}")

    def register(draw: DrawFn) -> DrawFn:
        if name in _REGISTRY:
            raise ValueError(f"family {name!r} registered twice")
        _REGISTRY[name] = Family(name, topic, title, difficulty, draw, levels, default_level)
        return draw

    return register


def mistake(
    family_name: str, mistake_id: str, *, step: int, text: Text, applies: AppliesFn | None = None
) -> Callable[[MistakeFn], MistakeFn]:
    """Register ``fn(params) -> answer`` as a named mistake of ``family_name`` (registered before it).

    Args:
        step: the step of the worked solution the mistake breaks, counted from 1.
        text: what the user probably did, both languages.
        applies: ``fn(params) -> bool``, for a mistake that only concerns some of the family's
            questions (those asking for a parameter count, those with padding); ``None``: all.
    """

    def register(fn: MistakeFn) -> MistakeFn:
        fam = _REGISTRY[family_name]
        if any(m.id == mistake_id for m in fam.mistakes):
            raise ValueError(f"mistake {mistake_id!r} of {family_name!r} registered twice")
        entry = Mistake(mistake_id, text, step, fn, applies)
        _REGISTRY[family_name] = replace(fam, mistakes=(*fam.mistakes, entry))
        return fn

    return register


def levels_by_score(
    family_name: str, score: LevelScoreFn, bands: Sequence[tuple[float, float]], *, default_level: int
) -> None:
    """Give a one-level family difficulty levels by selecting among its draws.

    Level ``L`` keeps drawing (from the same seeded generator) until ``score(params)`` lies in
    ``bands[L - 1]`` (inclusive). The default level's band must accept every draw, so that
    ``generate(name, seed)`` with no level keeps giving the instance it gave before levels existed.

    Args:
        score: a difficulty measure of an instance's params (padding, stride, dilation… present).
        bands: ``(low, high)`` per level, easiest first.
        default_level: the level with the all-accepting band.
    """
    fam = _REGISTRY[family_name]
    if fam.levels != 1:
        raise ValueError(f"family {family_name!r} already has levels")
    if bands[default_level - 1] != (-math.inf, math.inf):
        raise ValueError(f"family {family_name!r}: the default level must accept every draw")
    _REGISTRY[family_name] = replace(
        fam,
        levels=len(bands),
        default_level=default_level,
        level_bands=tuple(bands),
        level_score=score,
    )


ANY = (-math.inf, math.inf)


def typeset_minus_signs(module_name: str) -> None:
    """Show minus signs as "−" in the prompts, solutions and choices of the families ``module_name``
    registered (a module opts in once its texts have been checked: no code with negative numbers)."""
    for name, fam in _REGISTRY.items():
        if fam.draw.__module__ == module_name:
            _REGISTRY[name] = replace(fam, typeset_minus=True)


def three_levels(family_name: str, score: LevelScoreFn, *, easy_max: float = 0.0, hard_min: float = 2.0) -> None:
    """Levels by score for a family drawn as one mix: 1 the plain cases (score ≤ ``easy_max``),
    2 the whole mix (the default: exactly the instances of before), 3 the cases with the most
    complications (score ≥ ``hard_min``)."""
    levels_by_score(family_name, score, [(-math.inf, easy_max), ANY, (hard_min, math.inf)], default_level=2)


def torch_snippet(family_name: str) -> Callable[[TorchSnippetFn], TorchSnippetFn]:
    """Register ``fn(params) -> code``: a self-contained PyTorch snippet that prints the instance's answer."""

    def register(fn: TorchSnippetFn) -> TorchSnippetFn:
        fam = _REGISTRY[family_name]
        if fam.torch_code is not None:
            raise ValueError(f"torch snippet of {family_name!r} registered twice")
        _REGISTRY[family_name] = replace(fam, torch_code=fn)
        return fn

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


def generate(name: str, seed: int, level: int | None = None) -> Instance:
    return get_family(name).generate(seed, level)


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
