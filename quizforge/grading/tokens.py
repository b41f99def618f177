"""Normalising and tokenising typed answers.

Answers come from English and Chinese keyboards alike, so the text is first folded with Unicode NFKC
(full-width digits and punctuation become ASCII) plus a few mappings NFKC leaves alone (the minus sign
``−``, ``·`` for times, ``、`` as a comma, superscript exponents). Folding is done one character at a
time so every token still knows where it stands in the text the user typed: error positions and
highlights always refer to the original string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from quizforge.text import Text

MAX_LENGTH = 2000  # characters of typed answer; longer input is refused before any parsing

TokenKind = Literal["num", "name", "op", "(", ")", "[", "]", ",", ";", "nl", "eof"]


class AnswerParseError(ValueError):
    """A typed answer that cannot be read: what was expected, and where.

    Attributes:
        text: the message in both languages.
        position: 0-based index into the text as typed (``len(text)`` for "at the end").
    """

    def __init__(self, text: Text, position: int) -> None:
        super().__init__(text.en)
        self.text = text
        self.position = position

    @property
    def message(self) -> str:
        """The English message (``str(err)`` is the same)."""
        return self.text.en

    def message_in(self, lang: str) -> str:
        return self.text.get(lang)

    def __reduce__(self) -> tuple[type[AnswerParseError], tuple[Text, int]]:
        return AnswerParseError, (self.text, self.position)


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str  # as normalised: "^" for "**", "-" for "−", "," for "，"
    pos: int  # start in the original text
    end: int  # one past the end in the original text
    space: bool  # whitespace (or a line break) right before it


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_EXTRA = {
    "−": "-",  # U+2212 minus sign
    "–": "-",
    "‐": "-",
    "‑": "-",
    "·": "*",
    "⋅": "*",
    "∙": "*",
    "✕": "×",
    "✖": "×",
    "÷": "/",
    "∕": "/",
    "⁄": "/",
    "、": ",",
    "。": ".",  # Chinese IMEs type 。 for the decimal point
    "【": "[",
    "】": "]",
    "\t": " ",
    "\r": "\n",
    "\u2028": "\n",
    "\u2029": "\n",
}
_DROP = {"\ufeff", "\u200b", "\u200c", "\u200d", "\u2060"}
_DIGITS = set("0123456789.")  # folded pieces that may stand before a vulgar fraction in a mixed number


def normalise(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` for the tokenizer.

    Returns:
        The folded string and, for each of its characters, the index of the original character
        it came from.
    """
    out: list[str] = []
    origin: list[int] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺":  # 10⁻³ -> 10^(-3)
            j = i
            while j < n and text[j] in "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺":
                j += 1
            folded = "^(" + text[i:j].translate(_SUPERSCRIPTS) + ")"
            out.append(folded)
            origin += [i] * 2 + list(range(i, j)) + [j - 1]
            i = j
            continue
        if c == "\r" and i + 1 < n and text[i + 1] == "\n":
            i += 1
            continue
        if c in _DROP:
            i += 1
            continue
        folded = _EXTRA.get(c) or unicodedata.normalize("NFKC", c)
        if "⁄" in folded:  # ½ -> 1⁄2 -> (1/2)
            folded = "(" + folded.replace("⁄", "/") + ")"
            k = len(out)
            while k and out[k - 1] in _DIGITS:
                k -= 1
            if k < len(out):  # 2½ is the mixed number 2 + 1/2, not a product: (2+(1/2))
                at = len(origin) - sum(len(piece) for piece in out[k:])  # where the digits start
                origin.insert(at, origin[at])
                out.insert(k, "(")
                folded = "+" + folded + ")"
        folded = "".join(_EXTRA.get(ch, ch) for ch in folded)
        out.append(folded)
        origin += [i] * len(folded)
        i += 1
    return "".join(out), origin


_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NAME = re.compile(r"[A-Za-zπ_]+(?:\.[A-Za-z_]+)*")
_LOG_BASE = re.compile(r"(?:2|10)(?![0-9])")
_SINGLE: dict[str, TokenKind] = {"(": "(", ")": ")", "[": "[", "]": "]", ",": ",", ";": ";"}


def tokenize(text: str) -> list[Token]:
    """Split an answer into tokens, ending with an ``eof`` token at ``len(text)``.

    Raises:
        AnswerParseError: the text is too long or holds a character no answer uses.
    """
    if len(text) > MAX_LENGTH:
        raise AnswerParseError(
            Text(
                f"the answer is too long (more than {MAX_LENGTH} characters)",
                f"答案太长（超过 {MAX_LENGTH} 个字符）",
            ),
            MAX_LENGTH,
        )
    s, origin = normalise(text)
    origin.append(len(text))
    tokens: list[Token] = []
    i, n = 0, len(s)
    space = False
    paren_depth = 0  # line breaks inside (...) are just spaces

    def add(kind: TokenKind, tok: str, start: int, stop: int) -> None:
        nonlocal space
        tokens.append(Token(kind, tok, origin[start], origin[stop - 1] + 1, space))
        space = False

    while i < n:
        c = s[i]
        if c == "\n":
            if paren_depth == 0:
                add("nl", "\n", i, i + 1)
            space = True
            i += 1
        elif c.isspace():
            space = True
            i += 1
        elif c.isdigit() or (c == "." and i + 1 < n and s[i + 1].isdigit()):
            m = _NUMBER.match(s, i)
            if m is None:
                raise AnswerParseError(Text(f"unexpected character {c!r}", f"无法识别的字符 {c!r}"), origin[i])
            add("num", m.group(), i, m.end())
            i = m.end()
        elif c.isalpha() and (c.isascii() or c == "π"):
            m = _NAME.match(s, i)
            assert m is not None  # c itself matches
            stop = m.end()
            word = m.group()
            if word.lower() == "log" and (b := _LOG_BASE.match(s, stop)):
                stop = b.end()
                word += b.group()
            if word in ("x", "X"):  # 2x3, 16x10x10
                add("op", word, i, stop)
            else:
                add("name", word, i, stop)
            i = stop
        elif c == "*" and i + 1 < n and s[i + 1] == "*":
            add("op", "^", i, i + 2)
            i += 2
        elif c in "+-*/^%√×":
            add("op", c, i, i + 1)
            i += 1
        elif c in _SINGLE:
            if c == "(":
                paren_depth += 1
            elif c == ")":
                paren_depth = max(0, paren_depth - 1)
            add(_SINGLE[c], c, i, i + 1)
            i += 1
        else:
            shown = text[origin[i]]
            raise AnswerParseError(
                Text(f"unexpected character {shown!r}", f"无法识别的字符 {shown!r}"),
                origin[i],
            )
    tokens.append(Token("eof", "", len(text), len(text), space))
    return tokens
