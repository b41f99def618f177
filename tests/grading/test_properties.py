"""Property tests: no input breaks the parser or the grader, and every written form reads back."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from quizforge.grading import (
    AnswerKind,
    AnswerParseError,
    ParsedMatrix,
    ParsedNumber,
    ParsedShape,
    ParsedVector,
    Tolerance,
    describe,
    grade,
    parse_answer,
)
from quizforge.grading.tokens import MAX_LENGTH

K = AnswerKind
EXPECTED = {
    K.NUMBER: 0.25,
    K.VECTOR: [1.0, -2.0],
    K.MATRIX: [[1.0, 2.0], [3.0, 4.0]],
    K.SHAPE: (16, 10, 10),
    K.CHOICE: [1],
}

FRAGMENTS = [
    *"0123456789",
    "1e-3",
    "1e999",
    "1e9999",
    ".",
    "..",
    "e",
    "E",
    "pi",
    "π",
    "x",
    "X",
    "×",
    "*",
    "**",
    "^",
    "/",
    "+",
    "-",
    "−",
    "%",
    "(",
    ")",
    "[",
    "]",
    ",",
    ";",
    " ",
    "\n",
    "\r\n",
    "\t",
    "sqrt(",
    "√",
    "exp(",
    "log(",
    "ln(",
    "log2(",
    "torch.Size(",
    "tensor(",
    "a",
    "b",
    "B",
    "z",
    "（",
    "）",
    "，",
    "；",
    "１",
    "²",
    "⁻",
    "½",
    "、",
    "。",
    "!",
    "foo",
    "9^9^9",
    "0",
    "-0",
    "1/0",
    "exp(999)",
    "\u200b",
    "[]",
    "[[",
    "]]",
    "()",
    "1 -",
    " -1",
    "1,000",
    "\ufeff",
]
token_soup = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
kinds = st.sampled_from(list(AnswerKind))
n_choices = st.one_of(st.none(), st.integers(min_value=1, max_value=8))


def check_parse(text: str, kind: AnswerKind, n: int | None) -> None:
    try:
        parsed = parse_answer(text, kind, n_choices=n)
    except AnswerParseError as err:
        assert 0 <= err.position <= len(text)
        assert err.message and err.message_in("zh")
        return
    assert parsed.kind is kind
    if isinstance(parsed, ParsedNumber):
        assert math.isfinite(parsed.value)
    elif isinstance(parsed, ParsedVector):
        assert parsed.value and all(math.isfinite(v) for v in parsed.value)
    elif isinstance(parsed, ParsedMatrix):
        assert parsed.value and len({len(r) for r in parsed.value}) == 1
    elif isinstance(parsed, ParsedShape):
        assert all(d > 0 for d in parsed.value)
    else:
        assert parsed.value == tuple(sorted(set(parsed.value)))
        assert all(0 <= i < (n or 26) for i in parsed.value)


def check_grade(text: str, kind: AnswerKind, lang: str) -> None:
    v = grade(EXPECTED[kind], text, kind, Tolerance(), lang=lang, n_choices=5)
    assert 0.0 <= v.score <= 1.0
    assert v.correct == (v.score == 1.0)
    assert v.feedback and "\n" not in v.feedback
    line = describe(text, kind, lang, n_choices=5)
    assert line and "\n" not in line


@given(st.text(max_size=60), kinds, n_choices)
def test_any_text_parses_or_raises_answer_parse_error(text: str, kind: AnswerKind, n: int | None) -> None:
    check_parse(text, kind, n)


@settings(max_examples=300)
@given(token_soup, kinds, n_choices)
def test_token_soup_parses_or_raises_answer_parse_error(text: str, kind: AnswerKind, n: int | None) -> None:
    check_parse(text, kind, n)


@given(st.one_of(st.text(max_size=60), token_soup), kinds, st.sampled_from(["en", "zh"]))
def test_grade_never_raises(text: str, kind: AnswerKind, lang: str) -> None:
    check_grade(text, kind, lang)


@settings(max_examples=20)
@given(st.sampled_from(["(", "[", "-", "√", "1^", "sqrt(", "1 ", "1,", ";", "\n", "x", "a"]), kinds)
def test_long_repetitive_input_is_handled(fragment: str, kind: AnswerKind) -> None:
    for count in (MAX_LENGTH // len(fragment), MAX_LENGTH // len(fragment) + 1):
        check_parse(fragment * count, kind, 5)
        check_grade(fragment * count, kind, "en")


# -- round trips -----------------------------------------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)


def spellings(x: float) -> list[str]:
    """Ways a person (or Python) might write ``x``."""
    r = repr(x)
    out = [r, f"{x:.17g}", f" {r} "]
    if x < 0:
        out.append("−" + repr(-x))  # U+2212
        out.append("(" + r + ")")
    if x.is_integer():
        out.append(str(int(x)))
    return out


@given(finite)
def test_numbers_round_trip(x: float) -> None:
    for text in spellings(x):
        assert parse_answer(text, K.NUMBER) == ParsedNumber(x), text


@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(min_value=1, max_value=64))
def test_fractions_round_trip(num: int, den: int) -> None:
    assert parse_answer(f"{num}/{den}", K.NUMBER) == ParsedNumber(num / den)


def vector_texts(values: list[float]) -> list[str]:
    items = [repr(v) for v in values]
    return [
        "[" + ", ".join(items) + "]",
        " ".join(items),
        ", ".join(items),
        "(" + ", ".join(items) + ")",
        "，".join(items),
        "tensor([" + ", ".join(items) + "])",
    ]


@given(st.lists(finite, min_size=1, max_size=8))
def test_vectors_round_trip(values: list[float]) -> None:
    for text in vector_texts(values):
        assert parse_answer(text, K.VECTOR) == ParsedVector(tuple(values)), text


def matrix_texts(rows: list[list[float]]) -> list[str]:
    cells = [[repr(v) for v in row] for row in rows]
    return [
        "[" + ", ".join("[" + ", ".join(r) + "]" for r in cells) + "]",
        "; ".join(" ".join(r) for r in cells),
        "\n".join(" ".join(r) for r in cells),
        "\n".join(", ".join(r) for r in cells),
        "[" + "; ".join(" ".join(r) for r in cells) + "]",
        "[" + "\n ".join("[" + " ".join(r) + "]" for r in cells) + "]",  # NumPy's print layout
    ]


@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda cols: st.lists(st.lists(finite, min_size=cols, max_size=cols), min_size=1, max_size=5)
    )
)
def test_matrices_round_trip(rows: list[list[float]]) -> None:
    want = ParsedMatrix(tuple(tuple(r) for r in rows))
    for text in matrix_texts(rows):
        assert parse_answer(text, K.MATRIX) == want, text
        assert grade(rows, text, K.MATRIX, Tolerance.exact()).correct


@given(st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=6))
def test_shapes_round_trip(dims: list[int]) -> None:
    items = [str(d) for d in dims]
    texts = [
        "(" + ", ".join(items) + ("," if len(dims) == 1 else "") + ")",
        "x".join(items),
        " × ".join(items),
        "[" + ", ".join(items) + "]",
        "torch.Size([" + ", ".join(items) + "])",
    ]
    for text in texts:
        assert parse_answer(text, K.SHAPE) == ParsedShape(tuple(dims)), text


@given(
    st.integers(min_value=1, max_value=26).flatmap(
        lambda n: st.tuples(st.just(n), st.sets(st.integers(0, n - 1), min_size=1))
    )
)
def test_choices_round_trip(case: tuple[int, set[int]]) -> None:
    n, picked = case
    want = tuple(sorted(picked))
    letters = [chr(ord("a") + i) for i in want]
    for text in (", ".join(letters), " ".join(letters).upper(), ",".join(str(i + 1) for i in want)):
        assert parse_answer(text, K.CHOICE, n_choices=n).value == want, text
    assert grade(sorted(picked), " ".join(letters), K.CHOICE, Tolerance.exact(), n_choices=n).correct
