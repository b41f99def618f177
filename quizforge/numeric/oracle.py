"""Torch oracles: an independent computation of every family's answer from its params.

Oracles live in ``quizforge/numeric/oracles/`` (one module per area, mirroring ``families/``) and
import torch inside their functions. Nothing on an interactive path imports this module: answers
shown to users come from the NumPy code; tests and ``quizforge validate --torch`` compare the two.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

from quizforge.numeric.base import Answer

OracleFn = Callable[[dict[str, Any]], Answer]

_ORACLES: dict[str, OracleFn] = {}
_loaded = False


def oracle(family_name: str) -> Callable[[OracleFn], OracleFn]:
    """Register ``fn(params) -> answer`` as the torch computation for ``family_name``."""

    def register(fn: OracleFn) -> OracleFn:
        if family_name in _ORACLES:
            raise ValueError(f"oracle for {family_name!r} registered twice")
        _ORACLES[family_name] = fn
        return fn

    return register


def oracles() -> dict[str, OracleFn]:
    """Every registered oracle by family name (imports the oracle modules on first use)."""
    global _loaded
    if not _loaded:
        from quizforge.numeric import oracles as pkg

        for mod in pkgutil.iter_modules(pkg.__path__):
            importlib.import_module(f"{pkg.__name__}.{mod.name}")
        _loaded = True
    return dict(_ORACLES)
