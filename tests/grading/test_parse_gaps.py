"""Parser paths the sampled mutation run (`benchmarks/mutation.py grading.parse`) found unchecked: where an
error points (the caret the live preview draws under the answer) and the Chinese text of an error."""

from __future__ import annotations

import pytest

from quizforge.answer import AnswerKind
from quizforge.grading import AnswerParseError, parse_answer
from quizforge.text import Lang


def error(text: str, kind: AnswerKind = AnswerKind.NUMBER) -> AnswerParseError:
    with pytest.raises(AnswerParseError) as info:
        parse_answer(text, kind)
    return info.value


@pytest.mark.parametrize(
    ("text", "position", "zh"),
    [
        ("10^400", 2, "结果太大"),  # math.pow overflows: at the '^'
        ("2 3)", 2, "'3' 前面缺少运算符"),
        ("(-8)^0.5", 4, "负数的分数次幂不是实数"),
        ("sqrt(-1)", 0, "sqrt 的参数必须 ≥ 0"),
    ],
)
def test_errors_point_at_their_cause_in_both_languages(text: str, position: int, zh: str) -> None:
    e = error(text)
    assert e.position == position
    assert e.message_in(Lang.ZH) == zh


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("[1, 2]\n", AnswerKind.VECTOR, (1.0, 2.0)),  # a pasted answer often ends with a line break
        ("\n[1, 2]\n\n", AnswerKind.VECTOR, (1.0, 2.0)),
        ("1 2\n3 4\n", AnswerKind.MATRIX, ((1.0, 2.0), (3.0, 4.0))),
        ("(2, 3)\n", AnswerKind.SHAPE, (2, 3)),
        ("16\n10\n10", AnswerKind.SHAPE, (16, 10, 10)),  # one dimension per line
        ("1,234\n", AnswerKind.NUMBER, 1234.0),  # thousands separators and a line break
        ("-1,234,567.5", AnswerKind.NUMBER, -1234567.5),
    ],
)
def test_line_breaks_around_an_answer(text: str, kind: AnswerKind, expected: object) -> None:
    assert parse_answer(text, kind).value == expected


def test_x_is_an_option_letter_on_a_card_with_24_or_more_options() -> None:
    assert parse_answer("x", AnswerKind.CHOICE, n_choices=26).value == (23,)
    assert parse_answer("X, y", AnswerKind.CHOICE, n_choices=26).value == (23, 24)
    assert error("x").position == 0  # as a number, x alone is nothing


def test_a_function_argument_is_one_expression_even_with_spaced_signs() -> None:
    assert parse_answer("exp(1 -1)", AnswerKind.NUMBER).value == pytest.approx(1.0)
    assert parse_answer("exp(2 -2) 3", AnswerKind.VECTOR).value == pytest.approx((1.0, 3.0))


def test_a_bracketed_row_after_plain_numbers_is_refused() -> None:
    e = error("1 2\n[3, 4]", AnswerKind.MATRIX)
    assert e.position == 4
    assert "[[1, 2], [3, 4]]" in e.message


def test_parentheses_hold_one_expression_even_with_spaced_signs() -> None:
    assert parse_answer("(1 -2)", AnswerKind.NUMBER).value == -1.0
    assert parse_answer("(1 -2) 3", AnswerKind.VECTOR).value == (-1.0, 3.0)
    assert parse_answer("\n1 -2\n", AnswerKind.NUMBER).value == -1.0  # line breaks around an expression


@pytest.mark.parametrize("text", ["(" * 60 + "1" + ")" * 60, "√" + "(√" * 60 + "4" + ")" * 60])
def test_too_deep_nesting_is_a_parse_error_in_both_languages(text: str) -> None:
    e = error(text)  # a root past the depth limit too: never another exception
    assert e.position == 50
    assert e.message == "too deeply nested (more than 50 levels)"
    assert e.message_in(Lang.ZH) == "嵌套太深（超过 50 层）"


@pytest.mark.parametrize(
    ("text", "position", "en", "zh"),
    [
        ("()", 1, "expected a number after '('", "'(' 后面应为一个数"),  # an empty pair of parentheses
        ("sqrt()", 5, "expected a number after '('", "'(' 后面应为一个数"),
        ("]", 0, "expected a number, found ']'", "此处应为一个数，却是']'"),
    ],
)
def test_a_missing_number_is_explained_in_both_languages(text: str, position: int, en: str, zh: str) -> None:
    e = error(text)
    assert (e.position, e.message, e.message_in(Lang.ZH)) == (position, en, zh)
