"""Safe answer parsing and grading (docs/architecture.md §4).

``grade(expected, text, kind, tolerance)`` turns whatever the user typed into a :class:`Verdict`;
``parse_answer`` and ``describe`` read an answer for a live preview. The parser is hand-written and
never evaluates user text as code.

The bank loader imports this package's names on its start-up path: the parser and grader are
therefore loaded lazily, on first use of a name below. ``AnswerKind`` and ``Tolerance`` live in
:mod:`quizforge.answer` and are re-exported here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizforge.grading.parse import (
        Parsed,
        ParsedChoice,
        ParsedMatrix,
        ParsedNumber,
        ParsedShape,
        ParsedVector,
        parse_answer,
    )
    from quizforge.grading.preview import describe, format_value
    from quizforge.grading.tokens import MAX_LENGTH, AnswerParseError
    from quizforge.grading.verdict import KEY_POINTS_PASS, Verdict, grade, score_key_points

from quizforge.answer import AnswerKind, Tolerance

_LAZY = {
    "grade": "verdict",
    "Verdict": "verdict",
    "score_key_points": "verdict",
    "KEY_POINTS_PASS": "verdict",
    "parse_answer": "parse",
    "Parsed": "parse",
    "ParsedNumber": "parse",
    "ParsedVector": "parse",
    "ParsedMatrix": "parse",
    "ParsedShape": "parse",
    "ParsedChoice": "parse",
    "describe": "preview",
    "format_value": "preview",
    "AnswerParseError": "tokens",
    "MAX_LENGTH": "tokens",
}

__all__ = [
    "KEY_POINTS_PASS",
    "MAX_LENGTH",
    "AnswerKind",
    "AnswerParseError",
    "Parsed",
    "ParsedChoice",
    "ParsedMatrix",
    "ParsedNumber",
    "ParsedShape",
    "ParsedVector",
    "Tolerance",
    "Verdict",
    "describe",
    "format_value",
    "grade",
    "parse_answer",
    "score_key_points",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
