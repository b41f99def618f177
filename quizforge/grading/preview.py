"""How an answer was read, as one line for a live preview, and the number formatting it shares
with grading feedback."""

from __future__ import annotations

from typing import Any

from quizforge.answer import AnswerKind, Tolerance
from quizforge.grading.parse import (
    LETTERS,
    Parsed,
    ParsedMatrix,
    ParsedNumber,
    ParsedShape,
    ParsedVector,
    parse_answer,
)
from quizforge.grading.tokens import AnswerParseError
from quizforge.text import Lang

_PREVIEW_VALUES = 6  # a vector preview lists this many values, then "…"
_QUOTE_CHARS = 30  # longer answers are shortened inside "can't read `…`"


def is_zh(lang: Lang | str) -> bool:
    return str(lang) == Lang.ZH


def format_number(x: float) -> str:
    """A value as a person would write it: ``3216``, ``0.25``, ``-1.5``, ``1.23457e-05``."""
    if x == 0:
        return "0"
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6g}"


def format_expected(expected: float, tolerance: Tolerance) -> str:
    """The expected value with the fewest digits (4 to 12) that the tolerance itself accepts."""
    if float(expected).is_integer() and abs(expected) < 1e15:
        return str(int(expected))
    allowed = max(tolerance.rel * abs(expected), tolerance.abs)
    for digits in range(4, 13):
        shown = f"{expected:.{digits}g}"
        if abs(float(shown) - expected) <= allowed / 2:
            return shown
    return repr(float(expected))


def format_given(x: float) -> str:
    """A value the user typed, shown with up to 10 significant digits."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.10g}"


def format_shape(dims: tuple[int, ...]) -> str:
    return f"({dims[0]},)" if len(dims) == 1 else "(" + ", ".join(str(d) for d in dims) + ")"


def format_choice(indices: tuple[int, ...] | list[int]) -> str:
    return ", ".join(LETTERS[i] if 0 <= i < len(LETTERS) else str(i + 1) for i in indices)


def format_value(value: Any, kind: AnswerKind | str | None, tolerance: Tolerance) -> str:
    """An expected answer on one line, as the user may type it back: choices as letters, shapes as
    ``(16, 10, 10)``, matrices as ``1 2; 3 4``, numbers with the digits ``tolerance`` needs."""
    if kind == AnswerKind.CHOICE:
        return format_choice([int(i) for i in value])
    if kind == AnswerKind.SHAPE:
        return format_shape(tuple(int(v) for v in value))
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (list, tuple)):
            return "; ".join(" ".join(format_expected(float(v), tolerance) for v in row) for row in value)
        return "[" + ", ".join(format_expected(float(v), tolerance) for v in value) + "]"
    return format_expected(float(value), tolerance)


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _QUOTE_CHARS else flat[: _QUOTE_CHARS - 1] + "…"


def unreadable(text: str, error: AnswerParseError, lang: Lang | str) -> str:
    """``can't read `1/`: expected a number after '/'`` (or its Chinese version); ``no answer`` for blank text."""
    if not text.strip():
        return "未作答" if is_zh(lang) else "no answer"
    if is_zh(lang):
        return f"无法解析 `{_quote(text)}`：{error.message_in(Lang.ZH)}"
    return f"can't read `{_quote(text)}`: {error.message}"


def describe_parsed(parsed: Parsed, lang: Lang | str) -> str:
    zh = is_zh(lang)
    if isinstance(parsed, ParsedNumber):
        return ("数值 " if zh else "number ") + format_number(parsed.value)
    if isinstance(parsed, ParsedVector):
        values = ", ".join(format_number(v) for v in parsed.value[:_PREVIEW_VALUES])
        more = ", …" if len(parsed.value) > _PREVIEW_VALUES else ""
        n = len(parsed.value)
        head = f"向量（{n} 个数）" if zh else f"vector of {n}"
        return f"{head}{'：' if zh else ': '}[{values}{more}]"
    if isinstance(parsed, ParsedMatrix):
        rows, cols = parsed.shape
        return ("矩阵 " if zh else "matrix ") + f"{rows}×{cols}"
    if isinstance(parsed, ParsedShape):
        return ("形状 " if zh else "shape ") + format_shape(parsed.value)
    return ("选项 " if zh else "choice ") + format_choice(parsed.value)


def describe(text: str, kind: AnswerKind | str, lang: Lang | str = Lang.EN, *, n_choices: int | None = None) -> str:
    """One line saying how ``text`` was read, for a live preview under the answer box.

    Args:
        text: the answer as typed so far.
        kind: the kind of answer the question expects.
        lang: ``"en"`` or ``"zh"``.
        n_choices: number of options, for choice answers.

    Returns:
        For example ``number 0.25``, ``vector of 3: [1, 2, 3]``, ``matrix 2×2``,
        ``shape (16, 10, 10)``, ``choice b, d``, or ``can't read `1/`: expected a number after '/'``.
    """
    return read(text, kind, lang, n_choices=n_choices)[0]


def read(
    text: str, kind: AnswerKind | str, lang: Lang | str = Lang.EN, *, n_choices: int | None = None
) -> tuple[str, bool]:
    """:func:`describe`'s line and whether ``text`` could be read, from one parse (a live preview
    needs both on every keystroke)."""
    try:
        parsed = parse_answer(text, kind, n_choices=n_choices)
    except AnswerParseError as error:
        return unreadable(text, error, lang), False
    return describe_parsed(parsed, lang), True
