"""Coding drills: "implement it in NumPy" tasks, each judged on generated cases against a reference.

A drill is a reference function registered with :func:`drill`. The function is trusted code inside
quizforge: its name and signature are the contract the user implements, its source (NumPy only, no
helpers) is the model solution shown after an attempt, and its results on the drill's cases are
what the user's results are compared with (the tests check every reference against torch). A bank
file names a drill (``kind: implement``, ``drill: NAME``) but can never supply code.

``cases(rng, i, n)`` draws case ``i`` of ``n``: small first, edge cases (odd sizes, stride > 1,
padding, batch 1, large magnitudes, masks) towards the end.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from quizforge.text import Text


@dataclass(frozen=True)
class Case:
    """The arguments of one call, and what kind of case it is (shown when it fails)."""

    args: tuple[Any, ...]
    label: str


CaseMaker = Callable[[np.random.Generator, int, int], Case]


@dataclass(frozen=True)
class Drill:
    """One coding drill; see the module docstring."""

    name: str
    topic: str
    difficulty: int
    prompt: Text
    hints: tuple[Text, ...]
    reference: Callable[..., Any]
    cases: CaseMaker
    outputs: int = 1  # >1: the function returns a tuple of that many arrays
    rtol: float = 1e-5
    atol: float = 1e-6
    allowed: tuple[str, ...] = ("numpy",)
    arg_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "arg_names", tuple(inspect.signature(self.reference).parameters))

    @property
    def function(self) -> str:
        """The name of the function the user writes."""
        return self.reference.__name__

    @property
    def signature(self) -> str:
        """``name(args)`` as the user writes it."""
        return f"{self.function}{inspect.signature(self.reference)}".replace("'", "")

    @property
    def model_solution(self) -> str:
        """The reference's source, a complete solution file."""
        return "import numpy as np\n\n\n" + _strip_decorator(inspect.getsource(self.reference))

    @property
    def starter(self) -> str:
        """The file a first attempt starts from."""
        doc = inspect.getdoc(self.reference) or ""
        quoted = textwrap.indent(f'"""{doc}"""', "    ") + "\n" if doc else ""
        return f"import numpy as np\n\n\ndef {self.signature}:\n{quoted}    raise NotImplementedError\n"


def _strip_decorator(source: str) -> str:
    """The function's source without its ``@drill(...)`` decorator."""
    start = source.index("\ndef ") + 1 if not source.startswith("def ") else 0
    return source[start:]


_DRILLS: dict[str, Drill] = {}
_LOADED = False


def drill(
    topic: str,
    difficulty: int,
    prompt: Text,
    hints: tuple[Text, ...],
    cases: CaseMaker,
    *,
    outputs: int = 1,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    allowed: tuple[str, ...] = ("numpy",),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated reference function as a drill named after it."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        d = Drill(fn.__name__, topic, difficulty, prompt, hints, fn, cases, outputs, rtol, atol, allowed)
        _DRILLS[d.name] = d
        return fn

    return register


def _load() -> None:
    global _LOADED
    if not _LOADED:
        from quizforge.drills import library

        for mod in pkgutil.iter_modules(library.__path__):
            importlib.import_module(f"{library.__name__}.{mod.name}")
        _LOADED = True


def get_drill(name: str) -> Drill:
    """The drill called ``name``.

    Raises:
        KeyError: no such drill.
    """
    _load()
    return _DRILLS[name]


def all_drills() -> list[Drill]:
    """Every drill, by name."""
    _load()
    return [_DRILLS[k] for k in sorted(_DRILLS)]


def drill_names() -> frozenset[str]:
    """The names a bank card's ``drill:`` may give."""
    _load()
    return frozenset(_DRILLS)
