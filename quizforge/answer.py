"""Answer kinds and tolerances: small types shared by every layer (bank, numeric engine, grader, study, UI)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AnswerKind(StrEnum):
    NUMBER = "number"  # a scalar (integers included: set an exact tolerance)
    VECTOR = "vector"  # 1-D list of numbers
    MATRIX = "matrix"  # 2-D list of numbers (rows)
    SHAPE = "shape"  # tuple of positive integers, e.g. (16, 10, 10)
    CHOICE = "choice"  # indices into a list of options; several = multi-select


@dataclass(frozen=True, slots=True)
class Tolerance:
    """A value v is accepted for expected e when |v - e| <= max(rel * |e|, abs)."""

    rel: float = 1e-3
    abs: float = 1e-6

    @classmethod
    def exact(cls) -> Tolerance:
        """For integer answers: only the exact value (with float noise) passes."""
        return cls(rel=0.0, abs=1e-9)

    def accepts(self, value: float, expected: float) -> bool:
        return abs(value - expected) <= max(self.rel * abs(expected), self.abs)
