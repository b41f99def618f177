"""Verdicts by their flags and scores, not their wording, in both languages; parser boundary values.

Every expected value here is worked out by hand in the comments or computed with ``math`` — never taken
from the code under test. The point is that a wrong answer graded right (or a right one graded wrong) is
caught even when the feedback text still reads plausibly.
"""

from __future__ import annotations

import math

import pytest

from quizforge.answer import AnswerKind, Tolerance
from quizforge.grading import AnswerParseError, grade, parse_answer, score_key_points

EXACT = Tolerance.exact()
DEFAULT = Tolerance()
LANGS = ("en", "zh")


def verdict(
    expected: object,
    text: str,
    kind: AnswerKind,
    tol: Tolerance = DEFAULT,
    lang: str = "en",
    n_choices: int | None = None,
) -> tuple[bool, float]:
    v = grade(expected, text, kind, tol, lang=lang, n_choices=n_choices)
    return v.correct, v.score


# ---------------------------------------------------------------------------------------------------
# Wrong answers are wrong in both languages
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("expected", "text", "kind", "tol", "want"),
    [
        # numbers
        (57, "57", AnswerKind.NUMBER, EXACT, (True, 1.0)),
        (57, "60", AnswerKind.NUMBER, EXACT, (False, 0.0)),
        (57, "-57", AnswerKind.NUMBER, EXACT, (False, 0.0)),  # wrong sign is wrong
        (0.25, "1/4", AnswerKind.NUMBER, DEFAULT, (True, 1.0)),
        (0.25, "0.2501", AnswerKind.NUMBER, DEFAULT, (True, 1.0)),  # |Δ| = 1e-4 ≤ 1e-3·0.25
        (0.25, "0.2504", AnswerKind.NUMBER, DEFAULT, (False, 0.0)),  # |Δ| = 4e-4 > 2.5e-4
        (0.0, "0.0000005", AnswerKind.NUMBER, DEFAULT, (True, 1.0)),  # abs 1e-6 near zero
        (0.0, "0.00001", AnswerKind.NUMBER, DEFAULT, (False, 0.0)),
        (123456, "123,456", AnswerKind.NUMBER, EXACT, (True, 1.0)),  # thousands separators
        (123456, "123,457", AnswerKind.NUMBER, EXACT, (False, 0.0)),
        # vectors: partial credit is the fraction right, never "correct"
        ([1.0, 2.0], "[1, 2]", AnswerKind.VECTOR, DEFAULT, (True, 1.0)),
        ([1.0, 2.0, 3.0, 4.0], "1 2 3 5", AnswerKind.VECTOR, DEFAULT, (False, 0.75)),
        ([1.0, 2.0], "[1, 2, 3]", AnswerKind.VECTOR, DEFAULT, (False, 0.0)),  # wrong length
        ([1.0, 2.0], "[2, 1]", AnswerKind.VECTOR, DEFAULT, (False, 0.0)),
        # matrices: per-cell credit
        ([[1.0, 2.0], [3.0, 4.0]], "1 2; 3 4", AnswerKind.MATRIX, DEFAULT, (True, 1.0)),
        ([[1.0, 2.0], [3.0, 4.0]], "1 2; 3 5", AnswerKind.MATRIX, DEFAULT, (False, 0.75)),
        ([[1.0, 2.0], [3.0, 4.0]], "1 2 3 4", AnswerKind.MATRIX, DEFAULT, (False, 0.0)),  # 1×4 ≠ 2×2
        ([[1.0], [2.0]], "1 2", AnswerKind.MATRIX, DEFAULT, (True, 1.0)),  # a column typed as a row
        # shapes: exact, and the number of dimensions must match
        ((16, 10, 10), "16x10x10", AnswerKind.SHAPE, EXACT, (True, 1.0)),
        ((16, 10, 10), "(16, 10)", AnswerKind.SHAPE, EXACT, (False, 0.0)),
        ((16, 10, 10), "(1, 16, 10, 10)", AnswerKind.SHAPE, EXACT, (False, 0.0)),
        ((16, 10, 10), "(16, 10, 11)", AnswerKind.SHAPE, EXACT, (False, 0.0)),
        ((16, 10, 10), "(10, 10, 16)", AnswerKind.SHAPE, EXACT, (False, 0.0)),
    ],
)
def test_flags_and_scores(
    lang: str, expected: object, text: str, kind: AnswerKind, tol: Tolerance, want: tuple[bool, float]
) -> None:
    correct, score = verdict(expected, text, kind, tol, lang)
    assert correct is want[0]
    assert score == pytest.approx(want[1])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("expected", "text", "want"),
    [
        ([1], "b", (True, 1.0)),
        ([1], "2", (True, 1.0)),  # options count from 1 when typed as digits
        ([1], "a", (False, 0.0)),
        ([0, 2], "a,c", (True, 1.0)),
        ([0, 2], "c a", (True, 1.0)),
        ([0, 2], "a", (False, 0.5)),  # one of two right picks, no false pick
        ([0, 2], "a,b", (False, 0.0)),  # one right, one false: (1 − 1)/2
        ([0, 2], "a,b,c", (False, 0.5)),  # two right, one false: (2 − 1)/2
        ([0, 1, 2], "a,b,d", (False, 1 / 3)),  # (2 − 1)/3
    ],
)
def test_choice_flags_and_scores(lang: str, expected: list[int], text: str, want: tuple[bool, float]) -> None:
    correct, score = verdict(expected, text, AnswerKind.CHOICE, EXACT, lang, n_choices=4)
    assert correct is want[0]
    assert score == pytest.approx(want[1])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text", ["", "abc)(", "1 +", "sqrt(-1)", "ln(0)", "答案是五十七"])
def test_unreadable_answers_are_wrong_with_no_credit(lang: str, text: str) -> None:
    assert verdict(57, text, AnswerKind.NUMBER, EXACT, lang) == (False, 0.0)


def test_full_width_chinese_input_is_graded_like_ascii() -> None:
    # A Chinese keyboard types full-width digits and punctuation.
    assert verdict([1.0, 2.0], "［１，２］", AnswerKind.VECTOR, DEFAULT, "zh") == (True, 1.0)
    assert verdict([1.0, 2.0], "［１，３］", AnswerKind.VECTOR, DEFAULT, "zh") == (False, 0.5)
    assert verdict(0.5, "１／２", AnswerKind.NUMBER, DEFAULT, "zh") == (True, 1.0)


# ---------------------------------------------------------------------------------------------------
# Key points: the 60 % pass line, by count
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("ticked", "correct"),
    [
        ([True, False], False),  # 1 of 2 = 50 %
        ([True, True], True),
        ([True, True, False], True),  # 2 of 3 ≈ 67 %
        ([True, False, False], False),
        ([True, True, False, False], False),  # 2 of 4 = 50 %
        ([True, True, True, False], True),
        ([True, True, True, False, False], True),  # 3 of 5 = 60 % exactly
        ([True, True, False, False, False], False),
        ([False] * 4, False),
    ],
)
def test_key_points_pass_line(lang: str, ticked: list[bool], correct: bool) -> None:
    v = score_key_points(ticked, lang)
    assert v.correct is correct
    assert v.score == pytest.approx(sum(ticked) / len(ticked))
    assert v.wrong_cells == tuple((0, i) for i, t in enumerate(ticked) if not t)


# ---------------------------------------------------------------------------------------------------
# Parser boundary values (compared with math, not with the parser)
# ---------------------------------------------------------------------------------------------------


def number(text: str) -> float:
    parsed = parse_answer(text, AnswerKind.NUMBER)
    return float(parsed.value)  # type: ignore[arg-type, union-attr]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("sqrt(0.25)", 0.5),
        ("sqrt(0)", 0.0),
        ("sqrt(2)", math.sqrt(2)),
        ("0.5^2", 0.25),
        ("0.25^0.5", 0.5),
        ("2^-3", 0.125),
        ("0^0", 1.0),  # the convention Python, NumPy and torch.pow all use
        ("(-2)^3", -8.0),
        ("-2^2", -4.0),  # the power binds tighter than the sign
        ("ln(0.5)", math.log(0.5)),
        ("log(0.1)", math.log(0.1)),
        ("log10(0.01)", -2.0),
        ("log2(0.25)", -2.0),
        ("ln(1)", 0.0),
        ("exp(0)", 1.0),
        ("e^2", math.e**2),
        ("123,456", 123456.0),
        ("-1,000", -1000.0),
        ("1,843,200", 1843200.0),
        ("1,234.5", 1234.5),
        ("50%", 0.5),
    ],
)
def test_boundary_values(text: str, value: float) -> None:
    assert number(text) == pytest.approx(value, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("text", ["ln(0)", "ln(-1)", "log(-0.5)", "log10(0)", "sqrt(-0.01)", "0^-1", "(-8)^0.5"])
def test_outside_the_domain_is_refused(text: str) -> None:
    with pytest.raises(AnswerParseError):
        parse_answer(text, AnswerKind.NUMBER)


@pytest.mark.parametrize("text", ["1,23", "12,3456", "1,234,56", "1, 234"])
def test_malformed_thousands_are_not_numbers(text: str) -> None:
    # Not digit groups of three: read as a list of values, which is not one number.
    with pytest.raises(AnswerParseError):
        parse_answer(text, AnswerKind.NUMBER)


# ---------------------------------------------------------------------------------------------------
# Survivors of the first mutation run (benchmarks/RESULTS-mutation.md)
# ---------------------------------------------------------------------------------------------------


def test_a_scalar_expected_for_a_vector_answer_is_a_one_value_vector() -> None:
    assert verdict(2.0, "[2]", AnswerKind.VECTOR) == (True, 1.0)
    assert verdict(2.0, "2", AnswerKind.VECTOR) == (True, 1.0)
    assert verdict(2.0, "[2, 3]", AnswerKind.VECTOR) == (False, 0.0)


@pytest.mark.parametrize("lang", LANGS)
def test_wrong_cells_with_fractional_values_are_listed_with_their_digits(lang: str) -> None:
    # Non-integer expected cells go through the tolerance-aware formatter: it must name 1.25, not crash.
    v = grade([[0.5, 1.25], [2.0, 3.75]], "0.5 2; 2 3", AnswerKind.MATRIX, DEFAULT, lang=lang)
    assert (v.correct, v.score) == (False, 0.5)
    assert v.wrong_cells == ((0, 1), (1, 1))
    assert "1.25" in v.feedback and "3.75" in v.feedback


@pytest.mark.parametrize(
    ("lang", "text", "phrase"),
    [
        ("en", "-3", "wrong sign"),
        ("zh", "-3", "符号反了"),
        ("en", "5", "off by 67%"),  # |5 − 3|/3
        ("zh", "5", "相差 67%"),
        ("en", "3.06", "off by 2%"),  # 0.06/3 = 2 % (two significant digits below 10 %)
        ("en", "3.3", "off by 10%"),  # exactly 10 %: whole percent
    ],
)
def test_number_feedback_says_how_far(lang: str, text: str, phrase: str) -> None:
    v = grade(3, text, AnswerKind.NUMBER, DEFAULT, lang=lang)
    assert not v.correct
    assert phrase in v.feedback


@pytest.mark.parametrize(("lang", "phrase"), [("en", "off by 0.5"), ("zh", "相差 0.5")])
def test_number_feedback_near_zero_gives_the_absolute_difference(lang: str, phrase: str) -> None:
    assert phrase in grade(0, "0.5", AnswerKind.NUMBER, DEFAULT, lang=lang).feedback


@pytest.mark.parametrize(
    ("lang", "want"),
    [
        (
            "en",
            "2 of 6 values right — value 1: expected 1, got 0; value 2: expected 2, got 0; "
            "value 3: expected 3, got 0; and 1 more",
        ),
        (
            "zh",
            "6 个值中对了 2 个：第 1 个值：应为 1，你的是 0；第 2 个值：应为 2，你的是 0；"
            "第 3 个值：应为 3，你的是 0；另有 1 处",
        ),
    ],
)
def test_vector_feedback_lists_three_wrong_values_then_counts(lang: str, want: str) -> None:
    v = grade([1, 2, 3, 4, 5, 6], "0 0 0 0 5 6", AnswerKind.VECTOR, DEFAULT, lang=lang)
    assert v.feedback == want


@pytest.mark.parametrize(("lang", "want"), [("en", "✓ all 1 value right"), ("zh", "✓ 1 个值全部正确")])
def test_singular_value(lang: str, want: str) -> None:
    assert grade([7], "7", AnswerKind.VECTOR, DEFAULT, lang=lang).feedback == want


@pytest.mark.parametrize(
    ("lang", "hint"), [("en", "(separate rows with ';' or a new line)"), ("zh", "用 ';' 或换行分隔各行")]
)
def test_a_matrix_typed_on_one_line_gets_a_hint(lang: str, hint: str) -> None:
    v = grade([[1, 2], [3, 4]], "1 2 3 4", AnswerKind.MATRIX, DEFAULT, lang=lang)
    assert hint in v.feedback
    assert hint not in grade([[1, 2], [3, 4]], "1 2 3", AnswerKind.MATRIX, DEFAULT, lang=lang).feedback


@pytest.mark.parametrize(("lang", "want"), [("en", "✓ all 4 cells right"), ("zh", "✓ 4 个格子全部正确")])
def test_matrix_all_right(lang: str, want: str) -> None:
    assert grade([[1, 2], [3, 4]], "1 2; 3 4", AnswerKind.MATRIX, DEFAULT, lang=lang).feedback == want


@pytest.mark.parametrize(
    ("lang", "want"),
    [("en", "no key points to check against"), ("zh", "没有可对照的要点")],
)
def test_no_key_points(lang: str, want: str) -> None:
    v = score_key_points([], lang)
    assert (v.correct, v.score, v.feedback) == (False, 0.0, want)


@pytest.mark.parametrize(
    ("ticked", "lang", "want"),
    [
        ([True, True, False], "zh", "✓ 要点 3 条中答出 2 条"),
        ([True, False, False], "zh", "要点 3 条中答出 1 条（至少需要 2 条）"),
        ([True, False, False], "en", "1 of 3 key points (need 2)"),
    ],
)
def test_key_point_feedback(ticked: list[bool], lang: str, want: str) -> None:
    assert score_key_points(ticked, lang).feedback == want
