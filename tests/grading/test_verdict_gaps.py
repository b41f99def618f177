"""Verdict feedback the mutation run of 2026-12-07 17:20 left unchecked: what a negated answer, a relative
error, a shape of the wrong rank and a matrix typed as one row are told, and a broken card (no expected
answer) graded without raising. Expected texts are worked out by hand in the comments."""

from __future__ import annotations

import pytest

from quizforge.answer import AnswerKind, Tolerance
from quizforge.grading import grade

DEFAULT = Tolerance()  # rel 1e-3, abs 1e-6


@pytest.mark.parametrize(("expected", "typed"), [(1, "-1"), (0.5, "-0.5"), (-3, "3"), (57, "-57")])
def test_a_negated_answer_is_told_it_has_the_wrong_sign(expected: float, typed: str) -> None:
    """Every non-zero expected value, 1 included (a mutant skipped the sign check there and said "off by 200%")."""
    en = grade(expected, typed, AnswerKind.NUMBER, DEFAULT)
    zh = grade(expected, typed, AnswerKind.NUMBER, DEFAULT, lang="zh")
    assert not en.correct and not zh.correct
    assert en.feedback.endswith(f"you gave {typed} (wrong sign)")
    assert zh.feedback.endswith(f"你的答案是 {typed}（符号反了）")


@pytest.mark.parametrize(("typed", "percent"), [("19", "90%"), ("12.5", "25%"), ("10.5", "5%"), ("10.25", "2.5%")])
def test_a_relative_error_is_shown_in_percent_of_the_expected_value(typed: str, percent: str) -> None:
    """|19 − 10| / 10 = 90 %, 25 %, 5 %, 2.5 %: whole percent from 10 % up, two significant digits below."""
    en = grade(10, typed, AnswerKind.NUMBER, DEFAULT)
    zh = grade(10, typed, AnswerKind.NUMBER, DEFAULT, lang="zh")
    assert en.feedback.endswith(f"(off by {percent})")
    assert zh.feedback.endswith(f"（相差 {percent}）")


def test_a_shape_of_the_wrong_rank_names_both_ranks_in_both_languages() -> None:
    en = grade((2,), "()", AnswerKind.SHAPE, DEFAULT)
    zh = grade((2,), "()", AnswerKind.SHAPE, DEFAULT, lang="zh")
    assert (en.correct, en.score, zh.correct, zh.score) == (False, 0.0, False, 0.0)
    assert en.feedback == "expected (2,), got (): 1 dimension, not 0"
    assert zh.feedback == "应为 (2,)，你的是 ()：应有 1 维，你给了 0 维"


def test_a_matrix_typed_as_one_row_is_told_how_to_separate_rows() -> None:
    en = grade([[1, 2], [3, 4]], "1 2 3 4", AnswerKind.MATRIX, DEFAULT)
    zh = grade([[1, 2], [3, 4]], "1 2 3 4", AnswerKind.MATRIX, DEFAULT, lang="zh")
    assert en.feedback == "expected a 2×2 matrix, got 1×4 (separate rows with ';' or a new line)"
    assert zh.feedback == "应为 2×2 矩阵，你给的是 1×4（用 ';' 或换行分隔各行）"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_broken_card_with_no_expected_answer_grades_any_answer_wrong_without_raising(lang: str) -> None:
    """The bank never ships one, but grading must not divide by zero or index an empty row if it did."""
    choice = grade([], "a", AnswerKind.CHOICE, DEFAULT, lang=lang, n_choices=4)
    assert (choice.correct, choice.score) == (False, 0.0)
    matrix = grade([], "1", AnswerKind.MATRIX, DEFAULT, lang=lang)
    assert (matrix.correct, matrix.score) == (False, 0.0)
    assert "0×0" in matrix.feedback and "1×1" in matrix.feedback


def test_an_expected_number_holding_several_values_is_refused_by_name() -> None:
    """A family bug (a list where one number is due) is a ValueError naming the value, not a wrong grade."""
    with pytest.raises(ValueError, match=r"expected a number, not \[1, 2\]"):
        grade([1, 2], "1", AnswerKind.NUMBER, DEFAULT)
