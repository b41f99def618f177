"""Tokenizer paths the first mutation run left unchecked: Windows line ends, `**`, a leading-dot number
after an operator, Unicode minus and multiplication signs, the length limit's edge, and error positions
(the caret the live preview draws)."""

from __future__ import annotations

import pytest

from quizforge.answer import AnswerKind
from quizforge.grading import MAX_LENGTH, AnswerParseError, parse_answer


def value(text: str, kind: AnswerKind = AnswerKind.NUMBER) -> object:
    return parse_answer(text, kind).value  # type: ignore[union-attr]


def test_windows_line_ends_separate_matrix_rows() -> None:
    assert value("1 2\r\n3 4", AnswerKind.MATRIX) == ((1.0, 2.0), (3.0, 4.0))
    assert value("1 2\r3 4", AnswerKind.MATRIX) == ((1.0, 2.0), (3.0, 4.0))  # an old Mac line end
    assert value("1 2\r\n\r\n3 4", AnswerKind.MATRIX) == ((1.0, 2.0), (3.0, 4.0))


@pytest.mark.parametrize(("text", "expected"), [("2**3", 8.0), ("2 ** 3", 8.0), ("2**-1", 0.5), ("3*2", 6.0)])
def test_double_star_is_a_power(text: str, expected: float) -> None:
    assert value(text) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "expected"), [(".5", 0.5), ("1+.5", 1.5), ("2*.25", 0.5), ("-.5", -0.5)])
def test_a_number_may_start_with_a_dot(text: str, expected: float) -> None:
    assert value(text) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "expected"), [("−3", -3.0), ("2·3", 6.0), ("2⋅3", 6.0), ("5–2", 3.0), ("2⁻¹", 0.5)])
def test_typographic_signs(text: str, expected: float) -> None:
    assert value(text) == pytest.approx(expected)


def test_the_length_limit_is_inclusive() -> None:
    at_limit = "1" + " " * (MAX_LENGTH - 1)
    assert len(at_limit) == MAX_LENGTH
    assert value(at_limit) == 1.0
    with pytest.raises(AnswerParseError) as err:
        parse_answer(at_limit + " ", AnswerKind.NUMBER)
    assert str(MAX_LENGTH) in err.value.text.en and str(MAX_LENGTH) in err.value.text.zh


@pytest.mark.parametrize(("text", "position"), [("12 $ 3", 3), ("$", 0), ("1 + 2 @", 6), ("１＋＄", 2)])
def test_an_unexpected_character_is_located_where_it_was_typed(text: str, position: int) -> None:
    with pytest.raises(AnswerParseError) as err:
        parse_answer(text, AnswerKind.NUMBER)
    assert err.value.position == position
    assert text[position] in err.value.text.en  # the character as typed, full-width included
    assert err.value.text.zh.startswith("无法识别的字符")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10³+1", 1001.0),  # a superscript run ends before the operator after it
        ("2⁻¹⁰+1", 1.0 + 2.0**-10),  # an odd-length run
        ("3²X2", 18.0),  # an uppercase X after a superscript multiplies
        ("2³³", 2.0**33),
    ],
)
def test_superscript_runs_end_where_they_end(text: str, expected: float) -> None:
    assert value(text) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "expected"), [("1\u200b5", 15.0), ("\ufeff7", 7.0), ("1\u200b+\u200b5", 6.0)])
def test_invisible_characters_are_dropped_alone(text: str, expected: float) -> None:
    assert value(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("½", 0.5),
        ("2½", 2.5),
        ("-2½", -2.5),
        ("1¾+1", 2.75),
        ("１２¼", 12.25),
        ("3/½", 6.0),
        ("3×½", 1.5),
        ("½²", 0.25),
    ],
)
def test_vulgar_fractions_alone_and_in_mixed_numbers(text: str, expected: float) -> None:
    """2½ is two and a half (it was read as 2 × ½ = 1, graded wrong for 2.5)."""
    assert value(text) == pytest.approx(expected)


def test_an_error_after_a_mixed_number_points_into_the_original_text() -> None:
    with pytest.raises(AnswerParseError) as info:
        parse_answer("2½+", AnswerKind.NUMBER)
    assert info.value.position == 3


def test_a_line_break_inside_parentheses_separates_values_like_a_space() -> None:
    assert value("(1\n-2)", AnswerKind.VECTOR) == (1.0, -2.0)  # not 1 - 2
    assert value("(1\n2)", AnswerKind.VECTOR) == (1.0, 2.0)
    assert value("(1\n- 2)", AnswerKind.NUMBER) == -1.0  # a spaced operator still subtracts


def test_line_breaks_count_as_spaces_only_inside_open_parentheses() -> None:
    assert value("(1) 2\n3 4", AnswerKind.MATRIX) == ((1.0, 2.0), (3.0, 4.0))  # closed: a new row
    assert value("((1)\n-2)") == -1.0  # still open: a space


@pytest.mark.parametrize("text", ["३", "1+٣"])
def test_a_digit_of_another_script_is_an_unexpected_character(text: str) -> None:
    with pytest.raises(AnswerParseError) as info:
        parse_answer(text, AnswerKind.NUMBER)
    assert info.value.position == len(text) - 1
    assert info.value.message == f"unexpected character {text[-1]!r}"
    assert info.value.message_in("zh") == f"无法识别的字符 {text[-1]!r}"


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [("5\r", AnswerKind.NUMBER, 5.0), ("1 2\r3 4\r", AnswerKind.MATRIX, ((1.0, 2.0), (3.0, 4.0)))],
)
def test_an_old_mac_line_end_may_end_the_answer(text: str, kind: AnswerKind, expected: object) -> None:
    """A lone carriage return as the last character is a line break (the check for a following '\\n' must not
    read past the end: that raised IndexError out of a grader that promises never to raise)."""
    assert value(text, kind) == expected


@pytest.mark.parametrize(("text", "position"), [("10³+$", 4), ("2⁻¹⁰ $", 5), ("x²·3¹ @", 6)])
def test_an_error_after_a_superscript_names_the_character_typed_there(text: str, position: int) -> None:
    """A folded superscript run (``³`` → ``^(3)``) keeps each later character's place in the typed text."""
    with pytest.raises(AnswerParseError) as info:
        parse_answer(text, AnswerKind.NUMBER)
    assert info.value.position == position
    assert info.value.message == f"unexpected character {text[position]!r}"


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [("0｡5", AnswerKind.NUMBER, 0.5), ("1､2", AnswerKind.VECTOR, (1.0, 2.0)), ("3︲1", AnswerKind.NUMBER, 2.0)],
)
def test_a_character_nfkc_folds_into_a_mapped_sign_is_mapped_too(text: str, kind: AnswerKind, expected: object) -> None:
    """Half-width 。 and 、 (Japanese IMEs; NFKC gives 。 and 、) are the decimal point and a comma, like the
    full-width ones; a vertical en dash (NFKC: –) is a minus."""
    assert value(text, kind) == pytest.approx(expected)
