"""The safe answer parser (docs/architecture.md §4): a hand-written recursive-descent reader, never ``eval``.

Grammar, loosely (tokens come from :mod:`quizforge.grading.tokens`)::

    grid    := row ((';' | newline) row)*  |  '[' items ']' (','? '[' items ']')*
    row     := expr ((',' | space) expr)*
    expr    := term (('+' | '-') term)*
    term    := unary (('*' | '/' | '×') unary | implicit product like 2π, 3√2, 2(1+1))*
    unary   := ('+' | '-')* power
    power   := postfix ('^' ('+' | '-')* postfix)*        right-associative, 2^-3 works
    postfix := atom '%'?
    atom    := number | pi | π | e | FUNC '(' expr ')' | '√' postfix | '(' expr ')'

Inside a row a space separates values, so ``1 -2`` is two values while ``1 - 2`` and ``1-2`` are
one. Shapes and choices have grammars of their own (whole numbers; option letters or 1-based
numbers). Every failure is an :class:`AnswerParseError` that says what was expected and where;
input length, nesting depth and exponent sizes are bounded, so no input can exhaust time or memory.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from quizforge.answer import AnswerKind
from quizforge.grading.tokens import AnswerParseError, Token, tokenize
from quizforge.text import Text

MAX_DEPTH = 50  # nested parentheses / function calls
MAX_EXPONENT = 1000  # |y| in x^y and in 1e±y
MAX_DIM_DIGITS = 15
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    kind: ClassVar[AnswerKind] = AnswerKind.NUMBER
    value: float


@dataclass(frozen=True, slots=True)
class ParsedVector:
    kind: ClassVar[AnswerKind] = AnswerKind.VECTOR
    value: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ParsedMatrix:
    kind: ClassVar[AnswerKind] = AnswerKind.MATRIX
    value: tuple[tuple[float, ...], ...]  # rows, all the same length

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.value), len(self.value[0]) if self.value else 0


@dataclass(frozen=True, slots=True)
class ParsedShape:
    kind: ClassVar[AnswerKind] = AnswerKind.SHAPE
    value: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ParsedChoice:
    kind: ClassVar[AnswerKind] = AnswerKind.CHOICE
    value: tuple[int, ...]  # 0-based option indices, sorted, no repeats


Parsed = ParsedNumber | ParsedVector | ParsedMatrix | ParsedShape | ParsedChoice

_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sqrt": math.sqrt,
    "exp": math.exp,
    "log": math.log,
    "ln": math.log,
    "log2": math.log2,
    "log10": math.log10,
}
_CONSTANTS = {"pi": math.pi, "π": math.pi, "e": math.e}
# Wrappers a user may paste from a Python prompt: torch.Size([2, 3]), tensor([[1, 2]]), np.array([...]).
_SHAPE_WRAPPERS = {"torch.size", "size"}
_ARRAY_WRAPPERS = {"tensor", "torch.tensor", "array", "np.array", "numpy.array"}


def _err(en: str, zh: str, pos: int) -> AnswerParseError:
    return AnswerParseError(Text(en, zh), pos)


def _show(tok: Token) -> str:
    if tok.kind == "eof":
        return "the end"
    if tok.kind == "nl":
        return "a line break"
    return f"'{tok.text}'"


def _show_zh(tok: Token) -> str:
    if tok.kind == "eof":
        return "结尾"
    if tok.kind == "nl":
        return "换行"
    return f"'{tok.text}'"


@dataclass(slots=True)
class _Cell:
    value: float
    pos: int


class _Parser:
    """Recursive descent over ``tokens[start:stop]``; ``tokens[stop]`` reads as the end."""

    def __init__(self, tokens: list[Token], start: int = 0, stop: int | None = None) -> None:
        self.tokens = tokens
        self.start = start
        self.i = start
        self.stop = len(tokens) - 1 if stop is None else stop
        self.depth = 0

    # -- token access -------------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> Token:
        j = self.i + ahead
        if j >= self.stop:
            end = self.tokens[self.stop]
            return Token("eof", "", end.pos, end.pos, end.space)
        return self.tokens[j]

    def advance(self) -> Token:
        tok = self.peek()
        if self.i < self.stop:
            self.i += 1
        return tok

    def previous(self) -> Token | None:
        return self.tokens[self.i - 1] if self.i > self.start else None

    def at_end(self) -> bool:
        return self.peek().kind == "eof"

    def skip_newlines(self) -> None:
        while self.peek().kind == "nl":
            self.advance()

    @staticmethod
    def starts_operand(tok: Token) -> bool:
        return tok.kind in ("num", "name", "(") or (tok.kind == "op" and tok.text in "+-√")

    def nested(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _err(
                f"too deeply nested (more than {MAX_DEPTH} levels)",
                f"嵌套太深（超过 {MAX_DEPTH} 层）",
                tok.pos,
            )

    # -- arithmetic ---------------------------------------------------------------------------

    @staticmethod
    def finite(value: float, tok: Token) -> float:
        if not math.isfinite(value):
            raise _err("the result is too large", "结果太大", tok.pos)
        return value

    def expr(self, in_row: bool) -> float:
        value = self.term(in_row)
        while (tok := self.peek()).kind == "op" and tok.text in "+-":
            nxt = self.peek(1)
            if in_row and tok.space and not nxt.space and self.starts_operand(nxt):
                break  # "1 -2": a new value starts
            self.advance()
            rhs = self.term(in_row)
            value = self.finite(value + rhs if tok.text == "+" else value - rhs, tok)
        return value

    def term(self, in_row: bool) -> float:
        value = self.unary()
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.text in "*/×xX":
                self.advance()
                rhs = self.unary()
            elif not tok.space and (tok.kind in ("name", "(") or (tok.kind == "op" and tok.text == "√")):
                rhs = self.power()  # implicit product: 2π, 3√2, 2(1+1)
            else:
                return value
            if tok.text == "/":
                if rhs == 0:
                    raise _err("division by zero", "除以零", tok.pos)
                value = value / rhs
            else:
                value = value * rhs
            value = self.finite(value, tok)

    def signs(self) -> float:
        sign = 1.0
        while (tok := self.peek()).kind == "op" and tok.text in "+-":
            self.advance()
            if tok.text == "-":
                sign = -sign
        return sign

    def unary(self) -> float:
        sign = self.signs()
        return sign * self.power()

    def power(self) -> float:
        items: list[tuple[float, float, Token | None]] = [(1.0, self.postfix(), None)]
        while (tok := self.peek()).kind == "op" and tok.text == "^":
            self.advance()
            sign = self.signs()
            items.append((sign, self.postfix(), tok))
        sign, value, _ = items[-1]
        result = sign * value
        for k in range(len(items) - 1, 0, -1):
            op = items[k][2]
            assert op is not None
            base_sign, base, _ = items[k - 1]
            result = base_sign * self.pow(base, result, op)
        return result

    def pow(self, base: float, exponent: float, op: Token) -> float:
        if abs(exponent) > MAX_EXPONENT:
            raise _err(
                f"the exponent is too large (more than {MAX_EXPONENT})",
                f"指数太大（超过 {MAX_EXPONENT}）",
                op.pos,
            )
        if base == 0 and exponent < 0:
            raise _err("division by zero (0 to a negative power)", "除以零（0 的负数次幂）", op.pos)
        if base < 0 and not exponent.is_integer():
            raise _err(
                "a negative number to a fractional power is not a real number",
                "负数的分数次幂不是实数",
                op.pos,
            )
        try:
            result = math.pow(base, exponent)
        except OverflowError:
            raise _err("the result is too large", "结果太大", op.pos) from None
        return self.finite(result, op)

    def postfix(self) -> float:
        value = self.atom()
        if (tok := self.peek()).kind == "op" and tok.text == "%":
            self.advance()
            value /= 100
        return value

    def atom(self) -> float:
        tok = self.peek()
        if tok.kind == "num":
            self.advance()
            return self.number(tok)
        if tok.kind == "op" and tok.text == "√":
            roots: list[Token] = []  # √√x is a loop, not recursion
            while (root := self.peek()).kind == "op" and root.text == "√":
                roots.append(self.advance())
            self.nested(tok)
            value = self.power()
            self.depth -= 1
            for root in reversed(roots):
                value = self.apply("sqrt", value, root)
            return value
        if tok.kind == "(":
            self.advance()
            self.nested(tok)
            value = self.expr(in_row=False)
            self.close_paren(tok)
            return value
        if tok.kind == "name":
            key = tok.text.lower() if tok.text != "π" else tok.text
            if key in _CONSTANTS and tok.text != "E":
                self.advance()
                return _CONSTANTS[key]
            if key in _FUNCTIONS:
                self.advance()
                opener = self.peek()
                if opener.kind != "(":
                    raise _err(
                        f"expected '(' after {tok.text}",
                        f"{tok.text} 后面应为 '('",
                        opener.pos,
                    )
                self.advance()
                self.nested(opener)
                value = self.expr(in_row=False)
                self.close_paren(opener)
                return self.apply(key, value, tok)
            raise _err(
                f"unknown name '{tok.text}' (numbers, pi, e, sqrt, exp, log work)",
                f"无法识别的名字 '{tok.text}'（可用数字、pi、e、sqrt、exp、log）",
                tok.pos,
            )
        prev = self.previous()
        if prev is not None and prev.kind in ("op", "(", ",", ";"):
            raise _err(
                f"expected a number after '{prev.text}'",
                f"'{prev.text}' 后面应为一个数",
                tok.pos,
            )
        raise _err(
            f"expected a number, found {_show(tok)}",
            f"此处应为一个数，却是{_show_zh(tok)}",
            tok.pos,
        )

    def close_paren(self, opener: Token) -> None:
        tok = self.peek()
        if tok.kind != ")":
            raise _err(
                f"expected ')' to close the '(' at position {opener.pos + 1}, found {_show(tok)}",
                f"缺少 ')' 来闭合第 {opener.pos + 1} 个字符处的 '('，却是{_show_zh(tok)}",
                tok.pos,
            )
        self.advance()
        self.depth -= 1

    @staticmethod
    def number(tok: Token) -> float:
        exponent = tok.text.lower().partition("e")[2]
        if exponent and abs(int(exponent)) > MAX_EXPONENT:
            raise _err(
                f"the exponent is too large (more than {MAX_EXPONENT})",
                f"指数太大（超过 {MAX_EXPONENT}）",
                tok.pos,
            )
        value = float(tok.text)
        if not math.isfinite(value):
            raise _err("the number is too large", "数值太大", tok.pos)
        return value

    def apply(self, name: str, value: float, tok: Token) -> float:
        if name == "sqrt" and value < 0:
            raise _err("sqrt needs a number ≥ 0", "sqrt 的参数必须 ≥ 0", tok.pos)
        if name.startswith(("log", "ln")) and value <= 0:
            raise _err(f"{tok.text} needs a positive number", f"{tok.text} 的参数必须为正数", tok.pos)
        try:
            result = _FUNCTIONS[name](value)
        except OverflowError:
            raise _err("the result is too large", "结果太大", tok.pos) from None
        return self.finite(result, tok)

    def scalar(self) -> float:
        """The whole range as one expression."""
        self.skip_newlines()
        value = self.expr(in_row=False)
        self.skip_newlines()
        self.end_of_value()
        return value

    def end_of_value(self) -> None:
        tok = self.peek()
        if tok.kind == "eof":
            return
        if tok.kind == ")":
            raise _err("unmatched ')'", "多余的 ')'", tok.pos)
        if self.starts_operand(tok):
            raise _err(
                f"expected an operator before {_show(tok)}",
                f"{_show_zh(tok)} 前面缺少运算符",
                tok.pos,
            )
        raise _err(f"unexpected {_show(tok)}", f"多余的{_show_zh(tok)}", tok.pos)

    # -- rows and grids -----------------------------------------------------------------------

    def grid(self) -> list[list[_Cell]]:
        """Rows of values: ``1 2; 3 4``, rows on separate lines, or ``[1, 2], [3, 4]``."""
        rows: list[list[_Cell]] = []
        row: list[_Cell] = []
        nested: bool | None = None
        while True:
            tok = self.peek()
            if tok.kind == "eof":
                break
            if tok.kind in ("nl", ";"):
                self.advance()
                if row:
                    rows.append(row)
                    row = []
                continue
            if tok.kind == "[":
                if nested is False:
                    raise _err(
                        "a row in brackets after plain numbers: write [[1, 2], [3, 4]] or 1 2; 3 4",
                        "方括号行前面不能有裸数字：写成 [[1, 2], [3, 4]] 或 1 2; 3 4",
                        tok.pos,
                    )
                nested = True
                rows.append(self.bracketed_row())
                self.after_item(in_brackets=False)
                continue
            if nested:
                raise _err(
                    f"expected '[' to start row {len(rows) + 1}",
                    f"第 {len(rows) + 1} 行应以 '[' 开头",
                    tok.pos,
                )
            nested = False
            row.append(_Cell(self.expr(in_row=True), tok.pos))
            self.after_item(in_brackets=False)
        if row:
            rows.append(row)
        return rows

    def bracketed_row(self) -> list[_Cell]:
        opener = self.advance()
        self.nested(opener)
        cells: list[_Cell] = []
        while True:
            while self.peek().kind == "nl":
                self.advance()
            tok = self.peek()
            if tok.kind == "]":
                if not cells:
                    raise _err("an empty row", "空行", opener.pos)
                self.advance()
                self.depth -= 1
                return cells
            if tok.kind == "eof":
                raise _err(
                    f"expected ']' to close the '[' at position {opener.pos + 1}",
                    f"缺少 ']' 来闭合第 {opener.pos + 1} 个字符处的 '['",
                    tok.pos,
                )
            if tok.kind == "[":
                raise _err(
                    "too many brackets: a matrix is written [[1, 2], [3, 4]]",
                    "方括号太多：矩阵写作 [[1, 2], [3, 4]]",
                    tok.pos,
                )
            if tok.kind == ";":
                raise _err("';' inside a bracketed row", "方括号行内不能有 ';'", tok.pos)
            cells.append(_Cell(self.expr(in_row=True), tok.pos))
            self.after_item(in_brackets=True)

    def after_item(self, *, in_brackets: bool) -> None:
        """Consume what may follow a value or a row: a comma, or nothing before a spaced value."""
        tok = self.peek()
        if tok.kind == ",":
            self.advance()
            nxt = self.peek()
            if nxt.kind == ",":
                raise _err("expected a value between the commas", "两个逗号之间缺少值", nxt.pos)
            return
        if tok.kind in ("eof", "nl", ";", "[") or (in_brackets and tok.kind == "]"):
            return
        if tok.space and self.starts_operand(tok):
            return
        if tok.kind == "]" or tok.kind == ")":
            raise _err(f"unmatched {_show(tok)}", f"多余的{_show_zh(tok)}", tok.pos)
        raise _err(
            f"expected ',' or a space before {_show(tok)}",
            f"{_show_zh(tok)} 前面应为 ',' 或空格",
            tok.pos,
        )


# -- entry points ---------------------------------------------------------------------------------


def _closing(tokens: list[Token], start: int) -> int | None:
    """Index of the bracket that closes ``tokens[start]``, if any."""
    depth = 0
    for j in range(start, len(tokens)):
        kind = tokens[j].kind
        if kind in ("(", "["):
            depth += 1
        elif kind in (")", "]"):
            depth -= 1
            if depth == 0:
                return j
    return None


def _content_range(tokens: list[Token], wrappers: set[str], start: int = 0, stop: int | None = None) -> tuple[int, int]:
    """The tokens inside an outer wrapper call and an outer pair of brackets enclosing everything."""
    if stop is None:
        stop = len(tokens) - 1  # tokens[-1] is eof
    while start < stop and tokens[start].kind == "nl":
        start += 1
    while stop > start and tokens[stop - 1].kind == "nl":
        stop -= 1
    first = tokens[start] if start < stop else None
    if (
        first is not None
        and first.kind == "name"
        and first.text.lower() in wrappers
        and start + 1 < stop
        and tokens[start + 1].kind == "("
        and _closing(tokens, start + 1) == stop - 1
    ):
        start, stop = start + 2, stop - 1
    if start < stop and tokens[start].kind in ("(", "[") and _closing(tokens, start) == stop - 1:
        opener, closer = tokens[start], tokens[stop - 1]
        want = ")" if opener.kind == "(" else "]"
        if closer.kind != want:
            raise _err(
                f"'{opener.text}' at position {opener.pos + 1} is closed by '{closer.text}'",
                f"第 {opener.pos + 1} 个字符处的 '{opener.text}' 被 '{closer.text}' 闭合",
                closer.pos,
            )
        start, stop = start + 1, stop - 1
    return start, stop


def _empty(text: str) -> AnswerParseError:
    return _err("the answer is empty", "答案为空", len(text))


def _thousands(tokens: list[Token]) -> float | None:
    """``1,843,200`` for a number answer (digit groups of three after the first, no spaces)."""
    toks = [t for t in tokens if t.kind not in ("eof", "nl")]
    sign = ""
    if toks and toks[0].kind == "op" and toks[0].text == "-":
        sign, toks = "-", toks[1:]
    if len(toks) < 3 or len(toks) % 2 == 0:
        return None
    first, rest = toks[0], toks[1:]
    if first.kind != "num" or not first.text.isdigit() or not 1 <= len(first.text) <= 3:
        return None
    digits = first.text
    for k in range(0, len(rest), 2):
        comma, group = rest[k], rest[k + 1]
        if comma.kind != "," or comma.space or group.space or group.kind != "num":
            return None
        whole, _, frac = group.text.partition(".")
        last = k + 2 == len(rest)
        if len(whole) != 3 or not whole.isdigit() or (frac and not last) or (frac and not frac.isdigit()):
            return None
        digits += group.text
    return float(sign + digits)


def _parse_number(text: str, tokens: list[Token]) -> ParsedNumber:
    try:
        return ParsedNumber(_Parser(tokens).scalar())
    except AnswerParseError as scalar_error:
        if (grouped := _thousands(tokens)) is not None:
            return ParsedNumber(grouped)
        try:
            rows = _grid(text, tokens)
        except AnswerParseError:
            raise scalar_error from None
        cells = [c for row in rows for c in row]
        if len(cells) == 1:
            return ParsedNumber(cells[0].value)
        raise _err(
            f"expected one number, got {len(cells)} values",
            f"应为一个数，你给了 {len(cells)} 个值",
            cells[1].pos,
        ) from None


def _grid(text: str, tokens: list[Token]) -> list[list[_Cell]]:
    start, stop = _content_range(tokens, _ARRAY_WRAPPERS)
    rows = _Parser(tokens, start, stop).grid()
    if not rows:
        raise _empty(text)
    return rows


def _parse_vector(text: str, tokens: list[Token]) -> ParsedVector:
    rows = _grid(text, tokens)
    if len(rows) == 1:
        return ParsedVector(tuple(c.value for c in rows[0]))
    if all(len(r) == 1 for r in rows):  # a column: one value per line
        return ParsedVector(tuple(r[0].value for r in rows))
    raise _err(
        f"expected a vector (one row of values), got {len(rows)} rows",
        f"应为一个向量（一行数），你给了 {len(rows)} 行",
        rows[1][0].pos,
    )


def _parse_matrix(text: str, tokens: list[Token]) -> ParsedMatrix:
    rows = _grid(text, tokens)
    width = len(rows[0])
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            raise _err(
                f"row {number} has {_values(len(row))} but row 1 has {width}",
                f"第 {number} 行有 {len(row)} 个数，而第 1 行有 {width} 个",
                row[0].pos,
            )
    return ParsedMatrix(tuple(tuple(c.value for c in row) for row in rows))


def _values(n: int) -> str:
    return "1 value" if n == 1 else f"{n} values"


def _parse_shape(text: str, tokens: list[Token]) -> ParsedShape:
    start, stop = _content_range(tokens, _SHAPE_WRAPPERS)
    if start < stop and tokens[start].kind in ("(", "["):  # ([16, 10])
        start, stop = _content_range(tokens, set(), start, stop)
    p = _Parser(tokens, start, stop)
    dims: list[int] = []
    while not p.at_end():
        tok = p.peek()
        n = len(dims) + 1
        if tok.kind != "num" or not tok.text.isdigit():
            if tok.kind == "op" and tok.text == "-":
                raise _err("dimension sizes are positive whole numbers", "维度大小必须是正整数", tok.pos)
            if tok.kind == "nl":
                p.advance()
                continue
            raise _err(
                f"expected a whole number for dimension {n}, found {_show(tok)}",
                f"第 {n} 维应为一个正整数，却是{_show_zh(tok)}",
                tok.pos,
            )
        if len(tok.text.lstrip("0")) > MAX_DIM_DIGITS:
            raise _err(f"dimension {n} is too large", f"第 {n} 维太大", tok.pos)
        size = int(tok.text)
        if size == 0:
            raise _err("dimension sizes are positive whole numbers", "维度大小必须是正整数", tok.pos)
        dims.append(size)
        p.advance()
        sep = p.peek()
        if sep.kind == "," or (sep.kind == "op" and sep.text in "×xX*"):
            p.advance()
            if sep.kind == "op" and p.at_end():
                raise _err(
                    f"expected a dimension after '{sep.text}'",
                    f"'{sep.text}' 后面应为一个维度",
                    p.peek().pos,
                )
        elif sep.kind in ("eof", "nl") or (sep.kind == "num" and sep.space):
            continue
        else:
            raise _err(
                f"expected ',' or '×' between dimensions, found {_show(sep)}",
                f"维度之间应为 ',' 或 '×'，却是{_show_zh(sep)}",
                sep.pos,
            )
    return ParsedShape(tuple(dims))


def _parse_choice(text: str, tokens: list[Token], n_choices: int | None) -> ParsedChoice:
    start, stop = _content_range(tokens, set())
    n = n_choices if n_choices is not None and n_choices > 0 else len(LETTERS)
    letters = LETTERS[: min(n, len(LETTERS))]

    def out_of_range(what: str, tok: Token) -> AnswerParseError:
        return _err(
            f"option {what} is out of range: choose a–{letters[-1]} or 1–{n}",
            f"选项 {what} 超出范围：请选 a–{letters[-1]} 或 1–{n}",
            tok.pos,
        )

    picked: set[int] = set()
    p = _Parser(tokens, start, stop)
    while not p.at_end():
        tok = p.advance()
        if tok.kind in ("nl", ",", ";", "(", ")") or (tok.kind == "op" and tok.text in "+&"):
            continue
        if tok.kind == "num" and tok.text.isdigit():
            index = int(tok.text) - 1 if len(tok.text) <= 6 else n
            if not 0 <= index < n:
                raise out_of_range(tok.text, tok)
            picked.add(index)
        elif (tok.kind == "name" and tok.text.isalpha() and tok.text.isascii()) or (
            tok.kind == "op" and tok.text in ("x", "X")
        ):
            word = tok.text.lower()
            if len(word) > 1 and len(set(word)) != len(word):
                raise _err(
                    f"expected option letters, found '{tok.text}'",
                    f"此处应为选项字母，却是 '{tok.text}'",
                    tok.pos,
                )
            for ch in word:
                if ch not in letters:
                    raise out_of_range(ch, tok)
                picked.add(letters.index(ch))
        else:
            raise _err(
                f"expected an option letter (a–{letters[-1]}) or number (1–{n}), found {_show(tok)}",
                f"此处应为选项字母（a–{letters[-1]}）或编号（1–{n}），却是{_show_zh(tok)}",
                tok.pos,
            )
    if not picked:
        raise _empty(text)
    return ParsedChoice(tuple(sorted(picked)))


def parse_answer(text: str, kind: AnswerKind | str, *, n_choices: int | None = None) -> Parsed:
    """Read a typed answer of the given kind.

    Args:
        text: the answer as typed (any Unicode; full-width digits and punctuation are fine).
        kind: what the question expects; decides how ``1 2`` or ``(2, 3)`` is read.
        n_choices: for choice answers, how many options there are (letters a.., numbers 1..).

    Returns:
        The value read, as a :class:`ParsedNumber`, :class:`ParsedVector`, :class:`ParsedMatrix`,
        :class:`ParsedShape` or :class:`ParsedChoice` matching ``kind``.

    Raises:
        AnswerParseError: the only exception this raises, for any ``text``; it carries a message in
            both languages and the 0-based position of the problem in ``text``.
    """
    kind = AnswerKind(kind)
    tokens = tokenize(text)
    if all(t.kind in ("nl", "eof") for t in tokens):
        raise _empty(text)
    if kind is AnswerKind.NUMBER:
        return _parse_number(text, tokens)
    if kind is AnswerKind.VECTOR:
        return _parse_vector(text, tokens)
    if kind is AnswerKind.MATRIX:
        return _parse_matrix(text, tokens)
    if kind is AnswerKind.SHAPE:
        return _parse_shape(text, tokens)
    return _parse_choice(text, tokens, n_choices)
