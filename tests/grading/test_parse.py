"""The answer parser: every accepted syntax, and errors that say what was expected and where."""

from __future__ import annotations

import math
import pickle

import pytest

from quizforge.grading import (
    MAX_LENGTH,
    AnswerKind,
    AnswerParseError,
    ParsedChoice,
    ParsedMatrix,
    ParsedNumber,
    ParsedShape,
    ParsedVector,
    describe,
    parse_answer,
)

K = AnswerKind


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.25", 0.25),
        ("42", 42),
        (".5", 0.5),
        ("5.", 5),
        ("1e-3", 1e-3),
        ("2.5E+2", 250),
        ("-3", -3),
        ("−3", -3),  # U+2212 minus sign
        ("--3", 3),
        ("+3", 3),
        ("1/4", 0.25),
        ("1 / 4", 0.25),
        ("2^-3", 0.125),
        ("2**3", 8),
        ("2^3^2", 512),  # right-associative
        ("-2^2", -4),  # the power binds tighter than the sign
        ("2^-3^2", 2**-9),
        ("(-2)^3", -8),
        ("10⁻³", 1e-3),
        ("3²", 9),
        ("sqrt(2)", math.sqrt(2)),
        ("√2", math.sqrt(2)),
        ("√(2)/2", math.sqrt(2) / 2),
        ("√√16", 2),
        ("exp(1)", math.e),
        ("log(2)", math.log(2)),
        ("ln(2)", math.log(2)),
        ("log2(8)", 3),
        ("log10(1000)", 3),
        ("pi", math.pi),
        ("π/2", math.pi / 2),
        ("2π", 2 * math.pi),
        ("e", math.e),
        ("2(1+1)", 4),
        ("3√2", 3 * math.sqrt(2)),
        ("(1+2)*3", 9),
        ("1+2*3", 7),
        ("1 - 2", -1),
        ("1 -2", -1),  # one number expected: plain arithmetic
        ("2 × 3", 6),
        ("2x3", 6),
        ("6÷4", 1.5),
        ("2·3", 6),
        ("25%", 0.25),
        ("12.5 %", 0.125),
        ("1/(1+exp(-1))", 1 / (1 + math.exp(-1))),
        ("3,216", 3216),
        ("1,843,200", 1843200),
        ("-1,000.5", -1000.5),
        ("[0.25]", 0.25),
        ("(0.25)", 0.25),
        ("  0.25 \n", 0.25),
        ("０．２５", 0.25),  # full-width digits
        ("１／４", 0.25),
        ("0。25", 0.25),  # a Chinese IME's full stop
        ("½", 0.5),
        ("（1＋1）×2", 4),
    ],
)
def test_numbers(text: str, value: float) -> None:
    parsed = parse_answer(text, K.NUMBER)
    assert isinstance(parsed, ParsedNumber)
    assert parsed.value == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("[1, 2, 3]", (1, 2, 3)),
        ("1 2 3", (1, 2, 3)),
        ("1, 2, 3", (1, 2, 3)),
        ("1,2,3,", (1, 2, 3)),
        ("(1, 2)", (1, 2)),
        ("[1/4, 1/2]", (0.25, 0.5)),
        ("1/4 1/2", (0.25, 0.5)),
        ("1 -2", (1, -2)),  # a space before a sign and none after: a new value
        ("1 - 2", (-1,)),
        ("1-2", (-1,)),
        ("-1 -2 -3", (-1, -2, -3)),
        ("[1e-3 -2e-3]", (1e-3, -2e-3)),
        ("0.25", (0.25,)),  # one value is a one-element vector
        ("1\n2\n3", (1, 2, 3)),  # a column
        ("[[1, 2, 3]]", (1, 2, 3)),
        ("tensor([1., 2.])", (1, 2)),
        ("np.array([1, 2])", (1, 2)),
        ("（1，2）", (1, 2)),
        ("1、2、3", (1, 2, 3)),
        ("[sqrt(4), 2^2]", (2, 4)),
    ],
)
def test_vectors(text: str, values: tuple[float, ...]) -> None:
    parsed = parse_answer(text, K.VECTOR)
    assert isinstance(parsed, ParsedVector)
    assert parsed.value == pytest.approx(values)


@pytest.mark.parametrize(
    "text",
    [
        "1 2; 3 4",
        "1, 2; 3, 4",
        "1 2;3 4;",
        "1 2\n3 4",
        "1 2\r\n3 4\n",
        "\n1 2\n\n3 4\n",
        "[[1,2],[3,4]]",
        "[[1, 2], [3, 4]]",
        "[[1. 2.]\n [3. 4.]]",  # as NumPy prints it
        "[1, 2], [3, 4]",
        "[1 2] [3 4]",
        "[[1,2];[3,4]]",
        "[1 2; 3 4]",
        "tensor([[1., 2.],\n        [3., 4.]])",
        "1，2；3，4",
        "［［1，2］，［3，4］］",
        "(1 2; 3 4)",
        "1/1 4/2; 3 2^2",
    ],
)
def test_matrices(text: str) -> None:
    parsed = parse_answer(text, K.MATRIX)
    assert isinstance(parsed, ParsedMatrix)
    assert parsed.value == ((1, 2), (3, 4))
    assert parsed.shape == (2, 2)


def test_single_row_matrix() -> None:
    assert parse_answer("1 2 3", K.MATRIX) == ParsedMatrix(((1.0, 2.0, 3.0),))


@pytest.mark.parametrize(
    "text",
    [
        "(16, 10, 10)",
        "16x10x10",
        "16 x 10 x 10",
        "16X10X10",
        "16×10×10",
        "16*10*10",
        "[16, 10, 10]",
        "16, 10, 10",
        "16 10 10",
        "torch.Size([16, 10, 10])",
        "Size([16, 10, 10])",
        "（16，10，10）",
        "１６×１０×１０",
        "(16, 10, 10,)",
    ],
)
def test_shapes(text: str) -> None:
    assert parse_answer(text, K.SHAPE) == ParsedShape((16, 10, 10))


def test_scalar_shape() -> None:
    assert parse_answer("torch.Size([])", K.SHAPE) == ParsedShape(())
    assert parse_answer("()", K.SHAPE) == ParsedShape(())


def test_one_dimensional_shape() -> None:
    assert parse_answer("(7,)", K.SHAPE) == ParsedShape((7,))
    assert parse_answer("torch.Size([7])", K.SHAPE) == ParsedShape((7,))


@pytest.mark.parametrize(
    ("text", "indices"),
    [
        ("b", (1,)),
        ("B", (1,)),
        ("2", (1,)),
        ("1,3", (0, 2)),
        ("1, 3", (0, 2)),
        ("a c", (0, 2)),
        ("A,C", (0, 2)),
        ("(b)", (1,)),
        ("(a) (c)", (0, 2)),
        ("[1, 3]", (0, 2)),
        ("bd", (1, 3)),
        ("d, b, b", (1, 3)),
        ("ｂ", (1,)),
        ("a、c", (0, 2)),
        ("a + c", (0, 2)),
        ("e", (4,)),
    ],
)
def test_choices(text: str, indices: tuple[int, ...]) -> None:
    assert parse_answer(text, K.CHOICE, n_choices=5) == ParsedChoice(indices)


def _error(text: str, kind: AnswerKind, n_choices: int | None = None) -> AnswerParseError:
    with pytest.raises(AnswerParseError) as info:
        parse_answer(text, kind, n_choices=n_choices)
    return info.value


@pytest.mark.parametrize(
    ("text", "kind", "position", "message"),
    [
        ("", K.NUMBER, 0, "the answer is empty"),
        ("   \n ", K.MATRIX, 5, "the answer is empty"),
        ("1/", K.NUMBER, 2, "expected a number after '/'"),
        ("1 + ", K.NUMBER, 4, "expected a number after '+'"),
        ("(1+2", K.NUMBER, 4, "expected ')' to close the '(' at position 1"),
        ("1+2)", K.NUMBER, 3, "unmatched ')'"),
        ("1/0", K.NUMBER, 1, "division by zero"),
        ("2^2000", K.NUMBER, 1, "the exponent is too large"),
        ("1e9999", K.NUMBER, 0, "the exponent is too large"),
        ("1e999", K.NUMBER, 0, "the number is too large"),
        ("1e300*1e300", K.NUMBER, 5, "the result is too large"),
        ("exp(1000)", K.NUMBER, 0, "the result is too large"),
        ("9^9^9", K.NUMBER, 1, "the exponent is too large"),
        ("(-8)^(1/3)", K.NUMBER, 4, "fractional power"),
        ("0^-1", K.NUMBER, 1, "division by zero"),
        ("sqrt(-1)", K.NUMBER, 0, "sqrt needs a number ≥ 0"),
        ("log(0)", K.NUMBER, 0, "log needs a positive number"),
        ("sqrt 2", K.NUMBER, 5, "expected '(' after sqrt"),
        ("foo", K.NUMBER, 0, "unknown name 'foo'"),
        ("2 3", K.NUMBER, 2, "expected one number, got 2 values"),
        ("1 ! 2", K.NUMBER, 2, "unexpected character '!'"),
        ("1 2 3 4 5; 6", K.MATRIX, 11, "row 2 has 1 value but row 1 has 5"),
        ("1 2\n3 4\n5", K.MATRIX, 8, "row 3 has 1 value but row 1 has 2"),
        ("[[1, 2], [3]]", K.MATRIX, 10, "row 2 has 1 value but row 1 has 2"),
        ("[[[1]]]", K.MATRIX, 2, "too many brackets"),
        ("[[1], []]", K.MATRIX, 6, "an empty row"),
        ("[[]]", K.VECTOR, 1, "an empty row"),
        ("[]", K.VECTOR, 2, "the answer is empty"),
        ("[1, 2], 3", K.MATRIX, 8, "expected '[' to start row 2"),
        ("[1, 2", K.VECTOR, 5, "expected ']' to close the '[' at position 1"),
        ("(1, 2]", K.VECTOR, 5, "is closed by ']'"),
        ("1,,2", K.VECTOR, 2, "expected a value between the commas"),
        ("1 2; 3 4", K.VECTOR, 5, "expected a vector"),
        ("2pi3", K.VECTOR, 3, "expected ',' or a space"),
        ("(16, -1)", K.SHAPE, 5, "positive whole numbers"),
        ("(16, 0)", K.SHAPE, 5, "positive whole numbers"),
        ("16x10.5", K.SHAPE, 3, "expected a whole number for dimension 2"),
        ("16x", K.SHAPE, 3, "expected a dimension after 'x'"),
        ("16×", K.SHAPE, 3, "expected a dimension after '×'"),
        ("2x", K.NUMBER, 2, "expected a number after 'x'"),
        ("16;10", K.SHAPE, 2, "expected ',' or '×' between dimensions"),
        ("f", K.CHOICE, 0, "option f is out of range: choose a–e or 1–5"),
        ("6", K.CHOICE, 0, "option 6 is out of range: choose a–e or 1–5"),
        ("a, 0", K.CHOICE, 3, "option 0 is out of range"),
        ("a, 1.5", K.CHOICE, 3, "expected an option letter (a–e) or number (1–5)"),
        ("aa", K.CHOICE, 0, "expected option letters"),
    ],
)
def test_errors_say_what_and_where(text: str, kind: AnswerKind, position: int, message: str) -> None:
    err = _error(text, kind, n_choices=5)
    assert message in str(err)
    assert err.message == str(err)
    assert err.position == position
    assert err.message_in("zh")  # every error has a Chinese message
    assert err.message_in("zh") != err.message


def test_errors_are_value_errors_and_pickle() -> None:
    assert issubclass(AnswerParseError, ValueError)
    err = pickle.loads(pickle.dumps(_error("1/", K.NUMBER)))
    assert (err.message, err.position) == ("expected a number after '/'", 2)


def test_positions_refer_to_the_text_as_typed() -> None:
    # NFKC turns ½ into three characters and ² into two; positions still index the original text.
    text = "½ + 2² + "
    assert _error(text, K.NUMBER).position == len(text)
    assert _error("（１＋", K.NUMBER).position == 3
    assert _error("１２＋ｆｏｏ", K.NUMBER).position == 3


def test_chinese_messages() -> None:
    assert _error("1/", K.NUMBER).message_in("zh") == "'/' 后面应为一个数"
    assert "第 2 行" in _error("1 2; 3", K.MATRIX).message_in("zh")
    assert "超出范围" in _error("z", K.CHOICE, 3).message_in("zh")


def test_length_and_depth_are_bounded() -> None:
    assert _error("1" * (MAX_LENGTH + 1), K.NUMBER).position == MAX_LENGTH
    assert "too deeply nested" in str(_error("(" * 60 + "1" + ")" * 60, K.NUMBER))
    assert "too deeply nested" in str(_error("sqrt(" * 60 + "1" + ")" * 60, K.NUMBER))
    # long chains of signs, roots and powers are loops, not recursion
    assert parse_answer("-" * 1000 + "1", K.NUMBER) == ParsedNumber(1.0)
    assert parse_answer("√" * 1000 + "1", K.NUMBER) == ParsedNumber(1.0)
    assert parse_answer("1^" * 900 + "1", K.NUMBER) == ParsedNumber(1.0)
    assert parse_answer("1 " * 999, K.VECTOR) == ParsedVector((1.0,) * 999)


def test_choices_without_a_count_take_any_letter() -> None:
    assert parse_answer("z", K.CHOICE) == ParsedChoice((25,))


def test_kind_may_be_a_string() -> None:
    assert parse_answer("1 2", "vector") == ParsedVector((1.0, 2.0))


@pytest.mark.parametrize(
    ("text", "kind", "en", "zh"),
    [
        ("1/4", K.NUMBER, "number 0.25", "数值 0.25"),
        ("1 2 3", K.VECTOR, "vector of 3: [1, 2, 3]", "向量（3 个数）：[1, 2, 3]"),
        ("1 2 3 4 5 6 7", K.VECTOR, "vector of 7: [1, 2, 3, 4, 5, 6, …]", "向量（7 个数）：[1, 2, 3, 4, 5, 6, …]"),
        ("1 2; 3 4", K.MATRIX, "matrix 2×2", "矩阵 2×2"),
        ("16x10x10", K.SHAPE, "shape (16, 10, 10)", "形状 (16, 10, 10)"),
        ("[7]", K.SHAPE, "shape (7,)", "形状 (7,)"),
        ("d b", K.CHOICE, "choice b, d", "选项 b, d"),
        ("1/", K.NUMBER, "can't read `1/`: expected a number after '/'", "无法解析 `1/`：'/' 后面应为一个数"),
    ],
)
def test_describe(text: str, kind: AnswerKind, en: str, zh: str) -> None:
    assert describe(text, kind, "en") == en
    assert describe(text, kind, "zh") == zh


def test_describe_blank_text() -> None:
    assert describe("", K.NUMBER, "en") == "no answer"
    assert describe("  ", K.MATRIX, "zh") == "未作答"


def test_describe_shortens_long_unreadable_text() -> None:
    line = describe("1 + " * 40, K.NUMBER, "en")
    assert line.startswith("can't read `1 + 1 + ")
    assert "…`" in line
    assert "\n" not in describe("1\n2\n+", K.MATRIX, "en")
