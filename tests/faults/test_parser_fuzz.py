"""Answer-parser fuzzing: 100,000+ seeded inputs (token soups, random unicode, long repeats) through
``parse_answer`` for every kind, ``grade`` and the live preview ``describe``: only ``AnswerParseError``,
``grade`` never raises, every call fast."""

from __future__ import annotations

import contextlib
import math
import random
import sys
import time
from collections.abc import Iterator

import pytest

from quizforge.grading import AnswerKind, AnswerParseError, Tolerance, describe, grade, parse_answer
from quizforge.grading.tokens import MAX_LENGTH

K = AnswerKind
EXPECTED = {
    K.NUMBER: 0.25,
    K.VECTOR: [1.0, -2.0, 3.5],
    K.MATRIX: [[1.0, 2.0], [3.0, 4.0]],
    K.SHAPE: (16, 10, 10),
    K.CHOICE: [1, 3],
}
TOKENS = [
    *"0123456789",
    *"abcdefxyzABCDEFXYZ",
    "1e-3",
    "1e999",
    "1e9999",
    "1e-99999",
    "9" * 40,
    "0." + "0" * 30 + "1",
    ".",
    "..",
    "e",
    "E",
    "pi",
    "π",
    "τ",
    "inf",
    "nan",
    "NaN",
    "-inf",
    "Infinity",
    "∞",
    "x",
    "×",
    "*",
    "**",
    "^",
    "^^",
    "/",
    "//",
    "÷",
    "+",
    "-",
    "−",
    "–",
    "%",
    "‰",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "⟨",
    "⟩",
    "（",
    "）",
    "【",
    "】",
    ",",
    ";",
    "，",
    "；",
    "、",
    ":",
    "|",
    "\\",
    "&",
    "and",
    "or",
    "和",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\u00a0",
    "\u3000",
    "\u200b",
    "\ufeff",
    "\u202e",
    "sqrt",
    "sqrt(",
    "√",
    "∛",
    "log",
    "ln",
    "exp",
    "sin",
    "cos",
    "abs(",
    "e^",
    "exp(",
    "1/0",
    "0/0",
    "0^0",
    "(-8)^(1/3)",
    "2^1000",
    "10^308",
    "10^-400",
    "1e308*10",
    "½",
    "⅓",
    "²",
    "³",
    "⁻¹",
    "₁",
    "٣",
    "१",
    "〇",
    "一",
    "三",
    "十",
    "万",
    "0x1F",
    "0b101",
    "0o7",
    "1_000",
    "1,000",
    "1 000",
    "1'000",
    "a)",
    "(b)",
    "A.",
    "none",
    "all",
    "none of the above",
    "ab",
    "a,b,c",
    "a-c",
    "shape",
    "torch.Size([",
    "(1,)",
    "()",
    "[]",
    "[[",
    "]]",
    "[[1,2],[3]]",
    "-0",
    "+-1",
    "--1",
    "1--1",
    "1e",
    "e1",
    "1.2.3",
    "∑",
    "∫",
    "𝟙",
    "𝟘",
    "🙂",
    "\x00",
    "\x7f",
    "\ud7ff",
]
KINDS = list(AnswerKind)
CHOICES = [None, 1, 2, 4, 5, 26, 30]


def token_soup(rng: random.Random) -> str:
    return "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 40)))


def random_unicode(rng: random.Random) -> str:
    n = rng.randint(0, 60)
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.5:
            out.append(chr(rng.randint(0x20, 0x7E)))
        elif r < 0.8:
            out.append(chr(rng.randint(0, 0x2FFF)))
        else:
            cp = rng.randint(0, sys.maxunicode)
            out.append(chr(cp) if not 0xD800 <= cp <= 0xDFFF else "\ud800")  # lone surrogates too
    return "".join(out)


def repeat(rng: random.Random) -> str:
    fragment = rng.choice(TOKENS) + rng.choice(["", *TOKENS[:20]])
    count = MAX_LENGTH // max(1, len(fragment)) + rng.choice([-1, 0, 1])
    return fragment * max(1, count)


def mutate(rng: random.Random) -> str:
    base = rng.choice(["0.25", "1, -2, 3.5", "[[1, 2], [3, 4]]", "16x10x10", "b, d", "(16, 10, 10)", "1/4"])
    chars = list(base)
    for _ in range(rng.randint(1, 4)):
        pos = rng.randint(0, len(chars))
        op = rng.random()
        if op < 0.4:
            chars.insert(pos, rng.choice(TOKENS))
        elif op < 0.7 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif chars:
            chars[min(pos, len(chars) - 1)] = rng.choice(TOKENS)
    return "".join(chars)


GENERATORS = [token_soup, token_soup, random_unicode, mutate, mutate]


def inputs(seed: int, n: int) -> Iterator[str]:
    rng = random.Random(seed)
    for i in range(n):
        yield repeat(rng) if i % 2500 == 0 else rng.choice(GENERATORS)(rng)


def _check(text: str, rng: random.Random, slowest: list[tuple[float, str, str]]) -> None:
    for kind in KINDS:
        n = rng.choice(CHOICES)
        t = time.perf_counter()
        try:
            parsed = parse_answer(text, kind, n_choices=n)
        except AnswerParseError as err:
            assert 0 <= err.position <= len(text), (text, kind)
        else:
            assert parsed.kind is kind
            value = parsed.value
            if kind is K.NUMBER:
                assert math.isfinite(value), (text, value)
        elapsed = time.perf_counter() - t
        if elapsed > slowest[0][0]:
            slowest[0] = (elapsed, f"parse/{kind}", text)
    kind = rng.choice(KINDS)
    t = time.perf_counter()
    v = grade(EXPECTED[kind], text, kind, Tolerance(), lang=rng.choice(["en", "zh"]), n_choices=5)
    elapsed = time.perf_counter() - t
    assert 0.0 <= v.score <= 1.0 and v.correct == (v.score == 1.0) and v.feedback, (text, kind, v)
    if elapsed > slowest[0][0]:
        slowest[0] = (elapsed, f"grade/{kind}", text)
    line = describe(text, rng.choice(KINDS), rng.choice(["en", "zh"]), n_choices=rng.choice(CHOICES))
    assert line and "\n" not in line, (text, line)  # the live preview under the answer box


N = 100_000


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(4))
def test_a_hundred_thousand_inputs_parse_or_raise_answer_parse_error(shard: int) -> None:
    """4 shards of 25,000 inputs (so xdist spreads them), each parsed as every kind and graded once."""
    rng = random.Random(1000 + shard)
    slowest = [(0.0, "", "")]
    count = 0
    started = time.perf_counter()
    for text in inputs(shard, N // 4):
        _check(text, rng, slowest)
        count += 1
    total = time.perf_counter() - started
    elapsed, where, text = slowest[0]
    # a machine under load stalls now and then: time the slowest input again, alone, best of three
    again = min(_time_one(text, where) for _ in range(3))
    print(
        f"\nshard {shard}: {count} inputs in {total:.1f} s; slowest {where} {elapsed * 1000:.2f} ms "
        f"(again alone: {again * 1000:.2f} ms) on {text[:80]!r} ({len(text)} chars)"
    )
    assert count == N // 4
    # a guard against a pathological (exponential) input, not a performance target: those live in
    # benchmarks/; the slowest input here takes a few milliseconds
    assert again < 1.0, (where, again, text[:200])


def _time_one(text: str, where: str) -> float:
    what, kind = where.split("/")
    t = time.perf_counter()
    if what == "grade":
        grade(EXPECTED[K(kind)], text, K(kind), Tolerance(), n_choices=5)
    else:
        with contextlib.suppress(AnswerParseError):
            parse_answer(text, K(kind), n_choices=5)
    return time.perf_counter() - t


def test_the_generator_is_seeded_and_diverse() -> None:
    a, b = list(inputs(7, 6000)), list(inputs(7, 6000))
    assert a == b and len(set(a)) > 5000
    assert any(len(t) >= MAX_LENGTH for t in a) and any(any(ord(c) > 0xFFFF for c in t) for t in a)
