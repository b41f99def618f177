"""Grading: tolerances, partial credit, and feedback that names what is wrong, in both languages."""

from __future__ import annotations

import dataclasses
import importlib
import subprocess
import sys

import pytest

import quizforge.grading
from quizforge.grading import KEY_POINTS_PASS, AnswerKind, Tolerance, Verdict, grade, score_key_points

K = AnswerKind
DEFAULT = Tolerance()
EXACT = Tolerance.exact()


def test_verdict_is_frozen_with_no_wrong_cells_by_default() -> None:
    v = Verdict(True, 1.0, "✓ 1")
    assert v.wrong_cells == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.correct = False  # type: ignore[misc]


@pytest.mark.parametrize(
    ("expected", "text", "tolerance", "correct"),
    [
        (0.25, "1/4", DEFAULT, True),
        (0.25, "0.25025", DEFAULT, True),  # within rel 1e-3
        (0.25, "0.2503", DEFAULT, False),
        (0.0, "0.0000005", DEFAULT, True),  # abs 1e-6 near zero
        (0.0, "0.00001", DEFAULT, False),
        (3216, "3216", EXACT, True),
        (3216, "3,216", EXACT, True),
        (3216, "3216.5", EXACT, False),
        (0.125, "2^-3", EXACT, True),
        (1.4142135623730951, "√2", EXACT, True),
        (0.25, "[0.25]", DEFAULT, True),  # a one-element vector for a number
        ([0.25], "0.25", DEFAULT, True),  # a number answer stored as a one-element list
    ],
)
def test_numbers(expected: float, text: str, tolerance: Tolerance, correct: bool) -> None:
    v = grade(expected, text, K.NUMBER, tolerance)
    assert v.correct is correct
    assert v.score == (1.0 if correct else 0.0)


def test_number_feedback() -> None:
    assert grade(0.25, "1/4", K.NUMBER, DEFAULT).feedback == "✓ 0.25"
    assert grade(0.25, "1/4", K.NUMBER, DEFAULT, lang="zh").feedback == "✓ 0.25"
    wrong = grade(0.2689, "0.27", K.NUMBER, DEFAULT)
    assert wrong.feedback == "expected 0.2689, you gave 0.27 (off by 0.41%)"
    assert grade(0.2689, "0.27", K.NUMBER, DEFAULT, lang="zh").feedback == "应为 0.2689，你的答案是 0.27（相差 0.41%）"
    assert grade(2304, "3200", K.NUMBER, EXACT).feedback == "expected 2304, you gave 3200 (off by 896)"
    assert "wrong sign" in grade(0.5, "-0.5", K.NUMBER, DEFAULT).feedback
    assert "符号反了" in grade(0.5, "-0.5", K.NUMBER, DEFAULT, lang="zh").feedback


def test_expected_value_is_shown_precisely_enough_to_be_accepted() -> None:
    tol = Tolerance(rel=0.0, abs=1e-6)
    v = grade(1.99683772629, "1.99", K.NUMBER, tol)
    shown = v.feedback.split()[1].rstrip(",")
    assert grade(1.99683772629, shown, K.NUMBER, tol).correct


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", list(AnswerKind))
def test_unreadable_answers_are_wrong_not_errors(kind: AnswerKind, lang: str) -> None:
    expected = {K.NUMBER: 1.0, K.VECTOR: [1.0], K.MATRIX: [[1.0]], K.SHAPE: (1,), K.CHOICE: [0]}[kind]
    v = grade(expected, "1/(", kind, DEFAULT, lang=lang, n_choices=3)
    assert (v.correct, v.score) == (False, 0.0)
    assert v.feedback.startswith("can't read `1/(`: " if lang == "en" else "无法解析 `1/(`：")


@pytest.mark.parametrize(("lang", "feedback"), [("en", "no answer"), ("zh", "未作答")])
def test_a_blank_answer_is_no_answer(lang: str, feedback: str) -> None:
    assert grade(0.25, " \n", K.NUMBER, DEFAULT, lang=lang) == Verdict(False, 0.0, feedback)


def test_vectors_get_partial_credit_and_name_the_wrong_values() -> None:
    v = grade([0.5, 0.25, 1.0], "1/2 0.3 1", K.VECTOR, DEFAULT)
    assert not v.correct
    assert v.score == pytest.approx(2 / 3)
    assert v.feedback == "2 of 3 values right — value 2: expected 0.25, got 0.3"
    assert v.wrong_cells == ((0, 1),)
    zh = grade([0.5, 0.25, 1.0], "1/2 0.3 1", K.VECTOR, DEFAULT, lang="zh")
    assert zh.feedback == "3 个值中对了 2 个：第 2 个值：应为 0.25，你的是 0.3"
    ok = grade([0.5, 0.25], "[1/2, 1/4]", K.VECTOR, DEFAULT)
    assert (ok.correct, ok.score, ok.feedback) == (True, 1.0, "✓ all 2 values right")


def test_vector_of_the_wrong_length_scores_zero() -> None:
    v = grade([1.0, 2.0, 3.0], "1 2", K.VECTOR, DEFAULT)
    assert (v.correct, v.score, v.feedback) == (False, 0.0, "expected 3 values, got 2")
    assert grade([1.0, 2.0, 3.0], "1 2", K.VECTOR, DEFAULT, lang="zh").feedback == "应有 3 个值，你给了 2 个"


def test_one_element_vector_accepts_a_plain_number() -> None:
    assert grade([0.25], "1/4", K.VECTOR, DEFAULT).correct
    assert grade([-1.0], "1 - 2", K.VECTOR, DEFAULT).correct


def test_matrices_get_partial_credit_per_cell() -> None:
    v = grade([[1, 2], [3, 4]], "1 2; 4 4", K.MATRIX, EXACT)
    assert (v.correct, v.score) == (False, 0.75)
    assert v.feedback == "3 of 4 cells right — row 2, col 1: expected 3, got 4"
    assert v.wrong_cells == ((1, 0),)
    zh = grade([[1, 2], [3, 4]], "1 2; 4 4", K.MATRIX, EXACT, lang="zh")
    assert zh.feedback == "4 个格子中对了 3 个：第 2 行第 1 列：应为 3，你的是 4"
    all_right = grade([[1, 2], [3, 4]], "[[1,2],[3,4]]", K.MATRIX, EXACT)
    assert (all_right.correct, all_right.score, all_right.feedback) == (True, 1.0, "✓ all 4 cells right")


def test_many_wrong_cells_are_summarised() -> None:
    v = grade([[0] * 3] * 3, "1 1 1; 1 1 1; 1 1 0", K.MATRIX, EXACT)
    assert v.score == pytest.approx(1 / 9)
    assert v.feedback.endswith("; and 5 more")
    assert v.feedback.count("expected 0, got 1") == 3
    assert len(v.wrong_cells) == 8


def test_matrix_of_the_wrong_shape_scores_zero() -> None:
    v = grade([[1, 2], [3, 4]], "1 2 3; 4 5 6", K.MATRIX, EXACT)
    assert (v.correct, v.score, v.feedback) == (False, 0.0, "expected a 2×2 matrix, got 2×3")
    assert grade([[1, 2], [3, 4]], "1 2 3; 4 5 6", K.MATRIX, EXACT, lang="zh").feedback == "应为 2×2 矩阵，你给的是 2×3"
    flat = grade([[1, 2], [3, 4]], "1 2 3 4", K.MATRIX, EXACT)
    assert "separate rows with ';' or a new line" in flat.feedback


def test_a_column_may_be_typed_as_a_row() -> None:
    assert grade([[1], [2], [3]], "1 2 3", K.MATRIX, EXACT).correct
    assert grade([[1], [2], [3]], "1; 2; 3", K.MATRIX, EXACT).correct


def test_shapes_are_exact_and_name_the_dimension() -> None:
    assert grade((16, 10, 10), "torch.Size([16, 10, 10])", K.SHAPE, EXACT) == Verdict(True, 1.0, "✓ (16, 10, 10)")
    v = grade((16, 10, 10), "16x12x10", K.SHAPE, EXACT)
    assert (v.correct, v.score) == (False, 0.0)
    assert v.feedback == "expected (16, 10, 10), got (16, 12, 10): dimension 2 differs"
    assert v.wrong_cells == ((0, 1),)
    assert "dimensions 1, 3 differ" in grade((16, 10, 10), "8 10 5", K.SHAPE, EXACT).feedback
    assert "第 2 维不对" in grade((16, 10, 10), "16x12x10", K.SHAPE, EXACT, lang="zh").feedback
    rank = grade((16, 10, 10), "16x10", K.SHAPE, EXACT)
    assert rank.feedback == "expected (16, 10, 10), got (16, 10): 3 dimensions, not 2"
    assert grade([384, 13, 13], "384×13×13", K.SHAPE, EXACT).correct  # JSON gives lists


@pytest.mark.parametrize(
    ("expected", "text", "correct", "score"),
    [
        ([1], "b", True, 1.0),
        ([1], "2", True, 1.0),
        ([1], "c", False, 0.0),
        ([1], "b c", False, 0.0),  # one right, one false pick
        ([1, 3], "b, d", True, 1.0),
        ([1, 3], "d b", True, 1.0),
        ([1, 3], "b", False, 0.5),
        ([1, 3], "b c", False, 0.0),
        ([0, 1, 2], "a b", False, pytest.approx(2 / 3)),
        ([0, 1, 2], "a b d", False, pytest.approx(1 / 3)),
        ([0, 1], "a b c d e", False, 0.0),  # ticking everything earns nothing
    ],
)
def test_choices(expected: list[int], text: str, correct: bool, score: float) -> None:
    v = grade(expected, text, K.CHOICE, EXACT, n_choices=5)
    assert (v.correct, v.score) == (correct, score)


def test_choice_feedback() -> None:
    assert grade([1, 3], "b,d", K.CHOICE, EXACT, n_choices=5).feedback == "✓ b, d"
    assert grade([1, 3], "b c", K.CHOICE, EXACT, n_choices=5).feedback == "expected b, d; you chose b, c"
    zh = grade([1, 3], "b c", K.CHOICE, EXACT, lang="zh", n_choices=5).feedback
    assert zh == "正确答案是 b, d；你选了 b, c"
    out = grade([1], "7", K.CHOICE, EXACT, n_choices=5).feedback
    assert out == "can't read `7`: option 7 is out of range: choose a–e or 1–5"


@pytest.mark.parametrize(
    ("ticked", "correct"),
    [
        ([True, True, False], True),  # 2 of 3
        ([True, False, False], False),
        ([True, False], False),  # 1 of 2: half is not enough
        ([True, True, True, False], True),
        ([True, True, False, False], False),
        ([True, True, True, False, False], True),  # exactly 60%
        ([True], True),
        ([False], False),
    ],
)
def test_key_points(ticked: list[bool], correct: bool) -> None:
    v = score_key_points(ticked, "en")
    assert v.correct is correct
    assert v.score == pytest.approx(sum(ticked) / len(ticked))
    assert v.wrong_cells == tuple((0, i) for i, t in enumerate(ticked) if not t)
    assert (v.score >= KEY_POINTS_PASS - 1e-9) is correct


def test_key_point_feedback() -> None:
    assert score_key_points([True, True, False], "en").feedback == "✓ 2 of 3 key points"
    assert score_key_points([True, False, False], "en").feedback == "1 of 3 key points (need 2)"
    assert score_key_points([True, False, False], "zh").feedback == "要点 3 条中答出 1 条（至少需要 2 条）"
    assert score_key_points([], "en") == Verdict(False, 0.0, "no key points to check against")


def test_kind_and_lang_may_be_plain_strings() -> None:
    assert grade(0.25, "1/4", "number", DEFAULT, lang="en").correct
    assert grade(0.25, "x", "number", DEFAULT, lang="fr").feedback.startswith("can't read")  # unknown → English


def test_public_names_survive_importing_every_submodule() -> None:
    for name in ("tokens", "parse", "preview", "verdict"):
        importlib.import_module(f"quizforge.grading.{name}")
    for name in quizforge.grading.__all__:
        assert not isinstance(getattr(quizforge.grading, name), type(sys)), name
    assert callable(quizforge.grading.grade)


def test_answer_types_import_loads_no_grading() -> None:
    # The bank loader and every family import quizforge.answer; the parser loads on first use only.
    code = "import sys, quizforge.answer; print(sorted(m for m in sys.modules if 'grading' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("value", "kind", "tolerance", "shown"),
    [
        (1.9968377223398316, AnswerKind.NUMBER, Tolerance(rel=0, abs=5e-7), "1.9968377"),
        (57, AnswerKind.NUMBER, Tolerance.exact(), "57"),
        ([0.25, -1.0], AnswerKind.VECTOR, Tolerance(), "[0.25, -1]"),
        ([[0.75, 0.25], [0.5, 0.5]], AnswerKind.MATRIX, Tolerance(), "0.75 0.25; 0.5 0.5"),
        ((16, 10, 10), AnswerKind.SHAPE, Tolerance.exact(), "(16, 10, 10)"),
        ([1, 3], AnswerKind.CHOICE, Tolerance(), "b, d"),
    ],
)
def test_a_formatted_expected_value_reads_back_as_right(value, kind, tolerance, shown) -> None:  # type: ignore[no-untyped-def]
    from quizforge.grading import format_value

    assert format_value(value, kind, tolerance) == shown
    assert grade(value, shown, kind, tolerance, n_choices=4).correct
