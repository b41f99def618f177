"""Comparing a typed answer with the expected one: a :class:`Verdict` with score and feedback."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from quizforge.answer import AnswerKind, Tolerance
from quizforge.grading.parse import (
    ParsedChoice,
    ParsedMatrix,
    ParsedNumber,
    ParsedShape,
    ParsedVector,
    parse_answer,
)
from quizforge.grading.preview import (
    format_choice,
    format_expected,
    format_given,
    format_shape,
    is_zh,
    unreadable,
)
from quizforge.grading.tokens import AnswerParseError
from quizforge.text import Lang

KEY_POINTS_PASS = 0.6  # a concept answer counts as right with at least 60% of its key points
_LISTED_CELLS = 3  # feedback names this many wrong cells, then "and N more"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of grading one answer.

    Attributes:
        correct: the answer counts as right (what the scheduler sees).
        score: credit in [0, 1]; partial for vectors, matrices and multi-select choices.
        feedback: one line in the requested language.
        wrong_cells: (row, col) of wrong matrix cells, (0, i) for wrong vector values or shape
            dimensions, (0, i) for unticked key points; for highlighting.
    """

    correct: bool
    score: float
    feedback: str
    wrong_cells: tuple[tuple[int, int], ...] = ()


def grade(
    expected: Any,
    text: str,
    kind: AnswerKind | str,
    tolerance: Tolerance,
    *,
    lang: Lang | str = Lang.EN,
    n_choices: int | None = None,
) -> Verdict:
    """Grade a typed answer against the expected value of a question.

    Args:
        expected: as a numeric family produces it (``numeric.base.Answer``): a number, a list of
            numbers, a list of rows, a tuple of dimensions, or a list of 0-based option indices.
        text: the answer as typed; anything at all (unreadable text is a wrong answer, not an error).
        kind: the kind of answer.
        tolerance: how close a number must be (ignored for shapes and choices, which are exact).
        lang: language of the feedback, ``"en"`` or ``"zh"``.
        n_choices: number of options, for choice answers.

    Returns:
        The verdict. Never raises for any ``text``.
    """
    kind = AnswerKind(kind)
    zh = is_zh(lang)
    try:
        parsed = parse_answer(text, kind, n_choices=n_choices)
    except AnswerParseError as error:
        return Verdict(False, 0.0, unreadable(text, error, lang))
    if isinstance(parsed, ParsedNumber):
        return _grade_number(_as_number(expected), parsed, tolerance, zh)
    if isinstance(parsed, ParsedVector):
        return _grade_vector(_as_vector(expected), parsed.value, tolerance, zh)
    if isinstance(parsed, ParsedMatrix):
        return _grade_matrix(_as_matrix(expected), parsed, tolerance, zh)
    if isinstance(parsed, ParsedShape):
        return _grade_shape(tuple(int(d) for d in expected), parsed.value, zh)
    assert isinstance(parsed, ParsedChoice)
    return _grade_choice(sorted({int(i) for i in expected}), parsed.value, zh)


def score_key_points(ticked: Sequence[bool], lang: Lang | str = Lang.EN) -> Verdict:
    """Self-grading of a concept answer: which key points the answer covered.

    The score is the fraction ticked; the answer counts as correct with at least
    :data:`KEY_POINTS_PASS` (60%) of them: 2 of 3, 3 of 4, 3 of 5 pass; 1 of 2 does not.

    Args:
        ticked: one flag per key point, in the bank's order.
        lang: language of the feedback.

    Returns:
        The verdict; ``wrong_cells`` holds ``(0, i)`` for each key point not ticked.
    """
    zh = is_zh(lang)
    n = len(ticked)
    if n == 0:
        return Verdict(False, 0.0, "没有可对照的要点" if zh else "no key points to check against")
    hits = sum(1 for t in ticked if t)
    need = math.ceil(n * KEY_POINTS_PASS - 1e-9)
    correct = hits >= need
    missed = tuple((0, i) for i, t in enumerate(ticked) if not t)
    if zh:
        feedback = f"要点 {n} 条中答出 {hits} 条" + ("" if correct else f"（至少需要 {need} 条）")
    else:
        feedback = f"{hits} of {n} key points" + ("" if correct else f" (need {need})")
    return Verdict(correct, hits / n, ("✓ " if correct else "") + feedback, missed)


# -- expected values --------------------------------------------------------------------------------


def _as_number(expected: Any) -> float:
    if isinstance(expected, (list, tuple)):
        if len(expected) != 1:
            raise ValueError(f"expected a number, not {expected!r}")
        return _as_number(expected[0])
    return float(expected)


def _as_vector(expected: Any) -> list[float]:
    if isinstance(expected, (list, tuple)):
        return [_as_number(v) for v in expected]
    return [float(expected)]


def _as_matrix(expected: Any) -> list[list[float]]:
    return [[float(v) for v in row] for row in expected]


# -- per kind ---------------------------------------------------------------------------------------


def _grade_number(expected: float, parsed: ParsedNumber, tolerance: Tolerance, zh: bool) -> Verdict:
    value = parsed.value
    shown = format_expected(expected, tolerance)
    if tolerance.accepts(value, expected):
        return Verdict(True, 1.0, f"✓ {shown}")
    if expected != 0 and tolerance.accepts(-value, expected):
        how = "符号反了" if zh else "wrong sign"
    elif expected != 0 and tolerance.rel > 0:
        how = ("相差 " if zh else "off by ") + _percent(abs(value - expected) / abs(expected))
    else:
        how = ("相差 " if zh else "off by ") + format_given(abs(value - expected))
    if zh:
        return Verdict(False, 0.0, f"应为 {shown}，你的答案是 {format_given(value)}（{how}）")
    return Verdict(False, 0.0, f"expected {shown}, you gave {format_given(value)} ({how})")


def _percent(ratio: float) -> str:
    pct = ratio * 100
    if pct >= 10:
        return f"{pct:.0f}%"
    return f"{pct:.2g}%"


def _grade_vector(expected: list[float], given: tuple[float, ...], tolerance: Tolerance, zh: bool) -> Verdict:
    n = len(expected)
    if len(given) != n:
        if zh:
            return Verdict(False, 0.0, f"应有 {n} 个值，你给了 {len(given)} 个")
        return Verdict(False, 0.0, f"expected {_count(n, 'value')}, got {len(given)}")
    wrong = [i for i in range(n) if not tolerance.accepts(given[i], expected[i])]
    if not wrong:
        return Verdict(True, 1.0, f"✓ {n} 个值全部正确" if zh else f"✓ all {_count(n, 'value')} right")
    details = []
    for i in wrong[:_LISTED_CELLS]:
        exp, got = format_expected(expected[i], tolerance), format_given(given[i])
        if zh:
            details.append(f"第 {i + 1} 个值：应为 {exp}，你的是 {got}")
        else:
            details.append(f"value {i + 1}: expected {exp}, got {got}")
    right = n - len(wrong)
    head = f"{n} 个值中对了 {right} 个" if zh else f"{right} of {n} values right"
    return Verdict(False, right / n, _join(head, details, len(wrong), zh), tuple((0, i) for i in wrong))


def _grade_matrix(expected: list[list[float]], parsed: ParsedMatrix, tolerance: Tolerance, zh: bool) -> Verdict:
    rows, cols = len(expected), len(expected[0]) if expected else 0
    given = parsed.value
    if parsed.shape == (1, rows) and cols == 1 and rows > 1:  # a column typed as one row
        given = tuple((v,) for v in given[0])
    if (len(given), len(given[0])) != (rows, cols):
        got_r, got_c = len(given), len(given[0])
        hint = ""
        if got_r == 1 and got_c == rows * cols and rows > 1:
            hint = "（用 ';' 或换行分隔各行）" if zh else " (separate rows with ';' or a new line)"
        if zh:
            return Verdict(False, 0.0, f"应为 {rows}×{cols} 矩阵，你给的是 {got_r}×{got_c}{hint}")
        return Verdict(False, 0.0, f"expected a {rows}×{cols} matrix, got {got_r}×{got_c}{hint}")
    wrong = [(r, c) for r in range(rows) for c in range(cols) if not tolerance.accepts(given[r][c], expected[r][c])]
    n = rows * cols
    if not wrong:
        return Verdict(True, 1.0, f"✓ {n} 个格子全部正确" if zh else f"✓ all {_count(n, 'cell')} right")
    details = []
    for r, c in wrong[:_LISTED_CELLS]:
        exp, got = format_expected(expected[r][c], tolerance), format_given(given[r][c])
        if zh:
            details.append(f"第 {r + 1} 行第 {c + 1} 列：应为 {exp}，你的是 {got}")
        else:
            details.append(f"row {r + 1}, col {c + 1}: expected {exp}, got {got}")
    right = n - len(wrong)
    head = f"{n} 个格子中对了 {right} 个" if zh else f"{right} of {n} cells right"
    return Verdict(False, right / n, _join(head, details, len(wrong), zh), tuple(wrong))


def _grade_shape(expected: tuple[int, ...], given: tuple[int, ...], zh: bool) -> Verdict:
    exp, got = format_shape(expected), format_shape(given) if given else "()"
    if given == expected:
        return Verdict(True, 1.0, f"✓ {exp}")
    if len(given) != len(expected):
        if zh:
            return Verdict(False, 0.0, f"应为 {exp}，你的是 {got}：应有 {len(expected)} 维，你给了 {len(given)} 维")
        return Verdict(False, 0.0, f"expected {exp}, got {got}: {_count(len(expected), 'dimension')}, not {len(given)}")
    wrong = [i for i in range(len(expected)) if given[i] != expected[i]]
    numbers = ", ".join(str(i + 1) for i in wrong)
    if zh:
        feedback = f"应为 {exp}，你的是 {got}：第 {numbers} 维不对"
    else:
        which = f"dimensions {numbers} differ" if len(wrong) > 1 else f"dimension {numbers} differs"
        feedback = f"expected {exp}, got {got}: {which}"
    return Verdict(False, 0.0, feedback, tuple((0, i) for i in wrong))


def _grade_choice(expected: list[int], given: tuple[int, ...], zh: bool) -> Verdict:
    if list(given) == expected:
        return Verdict(True, 1.0, f"✓ {format_choice(expected)}")
    hits = len(set(given) & set(expected))
    false_picks = len(set(given) - set(expected))
    score = max(0.0, (hits - false_picks) / len(expected)) if expected else 0.0
    if zh:
        return Verdict(False, score, f"正确答案是 {format_choice(expected)}；你选了 {format_choice(given)}")
    return Verdict(False, score, f"expected {format_choice(expected)}; you chose {format_choice(given)}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _join(head: str, details: list[str], n_wrong: int, zh: bool) -> str:
    more = n_wrong - len(details)
    tail = ""
    if more > 0:
        tail = f"；另有 {more} 处" if zh else f"; and {more} more"
    sep = "；" if zh else "; "
    return head + ("：" if zh else " — ") + sep.join(details) + tail
