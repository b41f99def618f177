"""Preview paths the first mutation run left unchecked: the live preview of a choice answer knows how many
options the card has, and the expected value is shown with the fewest digits (4 to 12) its tolerance accepts."""

from __future__ import annotations

import random

import pytest

from quizforge.answer import AnswerKind, Tolerance
from quizforge.grading.preview import describe, format_choice, format_expected, format_given, format_number, read
from quizforge.text import Lang


@pytest.mark.parametrize("lang", [Lang.EN, Lang.ZH])
def test_choice_preview_refuses_an_option_the_card_does_not_have(lang: Lang) -> None:
    # option e exists on a 5-option card, not on a 4-option one
    assert describe("e", AnswerKind.CHOICE, lang, n_choices=5) == ("选项 e" if lang == Lang.ZH else "choice e")
    refused = describe("e", AnswerKind.CHOICE, lang, n_choices=4)
    assert refused.startswith("无法解析 `e`" if lang == Lang.ZH else "can't read `e`")


def test_choice_preview_by_number_uses_the_option_count() -> None:
    assert describe("3", AnswerKind.CHOICE, n_choices=3) == "choice c"
    assert describe("4", AnswerKind.CHOICE, n_choices=3).startswith("can't read `4`")


@pytest.mark.parametrize(
    ("expected", "tolerance", "shown"),
    [
        (1 / 3, Tolerance(rel=1e-3, abs=0.0), "0.3333"),  # 4 digits already pass: the fewest allowed
        (123.456789, Tolerance(rel=1e-6, abs=0.0), "123.4568"),  # rel scales with |expected| (1.2e-4)
        (0.000123456789, Tolerance(rel=0.0, abs=1e-9), "0.000123457"),  # abs alone: 6 digits
        (2 / 3, Tolerance.exact(), "0.666666667"),  # 9 digits are within 5e-10
        (1 / 7, Tolerance(rel=0.0, abs=0.0), repr(1 / 7)),  # nothing but the float itself passes
        (1 / 7, Tolerance(rel=0.0, abs=2e-13), repr(1 / 7)),  # 13 digits would pass: past the 12-digit cap
        (2.5e20, Tolerance(), "2.5e+20"),  # not an int below 1e15
    ],
)
def test_format_expected_uses_the_fewest_digits_the_tolerance_accepts(
    expected: float, tolerance: Tolerance, shown: str
) -> None:
    assert format_expected(expected, tolerance) == shown


def test_format_expected_shown_value_grades_right_and_one_digit_less_would_not() -> None:
    rng = random.Random(21)
    for _ in range(500):
        expected = rng.choice([-1, 1]) * rng.uniform(0.1, 10) * 10 ** rng.randint(-8, 8)
        if float(expected).is_integer():
            continue
        tolerance = Tolerance(rel=10 ** rng.uniform(-9, -2), abs=10 ** rng.uniform(-12, -4))
        shown = format_expected(expected, tolerance)
        half = max(tolerance.rel * abs(expected), tolerance.abs) / 2
        assert abs(float(shown) - expected) <= half, (expected, tolerance, shown)
        digits = len(shown.split("e")[0].replace("-", "").replace(".", "").lstrip("0"))
        if 4 < digits <= 12:
            shorter = f"{expected:.{digits - 1}g}"
            assert abs(float(shorter) - expected) > half, (expected, tolerance, shown)


def test_an_unreadable_answer_is_quoted_whole_up_to_30_characters() -> None:
    thirty = "1" * 29 + "/"
    assert describe(thirty, AnswerKind.NUMBER).startswith(f"can't read `{thirty}`: ")
    longer = "1" * 30 + "/"
    assert describe(longer, AnswerKind.NUMBER).startswith("can't read `" + "1" * 29 + "…`: ")
    assert describe(longer, AnswerKind.NUMBER, Lang.ZH).startswith("无法解析 `" + "1" * 29 + "…`：")


def test_choices_are_shown_as_letters_and_past_z_as_numbers() -> None:
    assert format_choice([0, 2, 25]) == "a, c, z"
    assert format_choice((26, 30)) == "27, 31"


def test_preview_of_zero_and_of_a_six_value_vector() -> None:
    assert describe("0", AnswerKind.NUMBER) == "number 0"
    assert describe("0.0", AnswerKind.NUMBER, Lang.ZH) == "数值 0"
    assert describe("1 2 3 4 5 6", AnswerKind.VECTOR) == "vector of 6: [1, 2, 3, 4, 5, 6]"
    assert describe("1 2 3 4 5 6 7", AnswerKind.VECTOR) == "vector of 7: [1, 2, 3, 4, 5, 6, …]"


def test_whole_numbers_are_written_out_below_1e15_only() -> None:
    tolerance = Tolerance()
    for fmt in (format_number, format_given, lambda x: format_expected(x, tolerance)):
        assert fmt(999_999_999_999_999.0) == "999999999999999"
        assert fmt(-999_999_999_999_999.0) == "-999999999999999"
        assert fmt(1e15) == "1e+15"


@pytest.mark.parametrize(
    ("text", "kind", "readable"),
    [
        ("0.25", AnswerKind.NUMBER, True),
        ("1/", AnswerKind.NUMBER, False),
        ("[1, 2", AnswerKind.VECTOR, False),
        ("b, d", AnswerKind.CHOICE, True),
        ("16x10", AnswerKind.SHAPE, True),
    ],
)
@pytest.mark.parametrize("lang", [Lang.EN, Lang.ZH])
def test_read_says_whether_the_answer_could_be_read_with_the_preview_line(
    text: str, kind: AnswerKind, readable: bool, lang: Lang
) -> None:
    """The answer box marks the preview red on ``readable`` False (a mutation run found both flags unchecked)."""
    assert read(text, kind, lang, n_choices=4) == (describe(text, kind, lang, n_choices=4), readable)
