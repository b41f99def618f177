"""Question kinds, one module each, and their registry (see :mod:`quizforge.kinds.base`).

Importing this package registers the built-in kinds (concept, choice, numeric, generated, implement) with the
bank loader; every entry point that loads a bank imports it first. Nothing heavy is imported here:
grading, the numeric engine and YAML are loaded when a kind first needs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from quizforge.bank.schema import Bank

# isort: off
# registration order is the order the loader names kinds in (concept, choice, numeric, generated, implement)
from quizforge.kinds import concept
from quizforge.kinds import choice
from quizforge.kinds import numeric
from quizforge.kinds import generated
from quizforge.kinds import implement

# isort: on
from quizforge.kinds.base import Expected, QuestionKind, get, kind_of, register
from quizforge.kinds.base import all as all_kinds

__all__ = [
    "Expected",
    "QuestionKind",
    "all_kinds",
    "choice",
    "concept",
    "generated",
    "get",
    "implement",
    "kind_of",
    "load",
    "numeric",
    "register",
]


def load(extra_banks: Sequence[Path] = (), *, include_shipped: bool = True, cache_dir: Path | None = None) -> Bank:
    """The bank the app studies from, every kind registered and generator names checked.

    See :func:`quizforge.bank.load`; this passes the numeric engine's family names.
    """
    from quizforge.bank import load as load_bank
    from quizforge.numeric.catalogue import family_names

    return load_bank(extra_banks, include_shipped=include_shipped, cache_dir=cache_dir, known_generators=family_names)
