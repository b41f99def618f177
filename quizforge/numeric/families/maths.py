"""Maths families: linear algebra (inner products, norms, eigenvalues, inverses, definiteness) and
multivariate calculus (gradients, Hessians, stationary points, directional derivatives, Taylor series).

Answers are computed exactly where a person would (integer arithmetic, :class:`fractions.Fraction`,
integer square roots) with NumPy for the vector work; the torch oracles in
:mod:`quizforge.numeric.oracles.maths` recompute them with ``torch.linalg`` and ``torch.autograd``.
Matrices are built so that eigenvalues are integers and determinants small; polynomials have small
integer coefficients and are evaluated at integer points.

A polynomial in x and y is stored in params as ``terms``: a list of ``[c, i, j]`` meaning c·xⁱ·yʲ.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from quizforge.answer import AnswerKind, Tolerance
from quizforge.numeric.base import (
    Answer,
    Draft,
    Params,
    family,
    mistake,
    three_levels,
    torch_snippet,
    typeset_minus_signs,
)
from quizforge.numeric.families.losses import numbered
from quizforge.numeric.families.nn import VECTOR_HINT, decimals, fmt, fmt_factor, fmt_rows, fmt_vec, mat, pick, sup, vec
from quizforge.text import Text

Arr = np.ndarray[Any, Any]
Term = tuple[int, int, int]  # c, i, j: c·xⁱ·yʲ

MATRIX_HINT = Text(
    "Answer as a matrix, e.g. `1 -0.5; 0 2` (fractions such as 1/2 are fine).",
    "用矩阵作答，例如 `1 -0.5; 0 2`（可写分数，如 1/2）。",
)


def _nonzero(lo: int, hi: int) -> list[int]:
    return [v for v in range(lo, hi + 1) if v != 0]


def _frac(q: Fraction) -> str:
    """``3/2``, ``-1/4`` or ``2``: an exact entry as written on paper."""
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _isqrt_exact(n: int) -> int | None:
    """√n when n is a perfect square, else ``None``."""
    if n < 0:
        return None
    r = math.isqrt(n)
    return r if r * r == n else None


def _sqrt_text(n: int) -> str:
    """``√25 = 5`` or ``√29 ≈ 5.3852``."""
    r = _isqrt_exact(n)
    return f"√{n} = {r}" if r is not None else f"√{n} ≈ {fmt(math.sqrt(n))}"


def _int_or_decimals(value: float, digits: int = 3) -> Tolerance:
    return Tolerance.exact() if float(value).is_integer() else decimals(digits)


def _one_step(lines: Sequence[str]) -> str:
    """Several lines worked as one numbered step: the later ones indented under the first."""
    return "\n   ".join(lines)


# ---------------------------------------------------------------------------------------------
# 2×2 matrices with integer eigenvalues (shared with families/training.py)
# ---------------------------------------------------------------------------------------------

# (a − d, b) for a symmetric [[a, b], [b, d]]: (a − d)² + 4b² is a perfect square s², so the
# eigenvalues ((a + d) ± s)/2 are integers (a + d ≡ a − d ≡ s mod 2).
_SYM_SHAPES = [(0, 1), (0, 2), (0, 3), (3, 2), (-3, 2), (3, -2), (-3, -2), (8, 3), (-8, 3), (0, -1), (0, -2)]


def symmetric_int_eigen(rng: np.random.Generator, lo: int = -4, hi: int = 6) -> tuple[Arr, int, int]:
    """A symmetric 2×2 integer matrix with distinct integer eigenvalues in [lo, hi], and λ₁ < λ₂."""
    while True:
        diff, b = pick(rng, _SYM_SHAPES)
        s = math.isqrt(diff * diff + 4 * b * b)
        d = int(rng.integers(-3, 5))
        a = d + diff
        lam1, lam2 = (a + d - s) // 2, (a + d + s) // 2
        if lo <= lam1 and lam2 <= hi and max(abs(a), abs(d)) <= 8:
            return np.array([[a, b], [b, d]], dtype=np.int64), lam1, lam2


def general_int_eigen(rng: np.random.Generator) -> tuple[Arr, int, int]:
    """A non-symmetric 2×2 integer matrix with distinct integer eigenvalues λ₁ < λ₂.

    Trace a + d = λ₁ + λ₂ and determinant ad − bc = λ₁λ₂ force bc = −(a − λ₁)(a − λ₂).
    """
    while True:
        lam1, lam2 = sorted(int(v) for v in rng.choice(np.arange(-3, 7), size=2, replace=False))
        a = int(rng.integers(lam1 - 2, lam2 + 3))
        d = lam1 + lam2 - a
        prod = -(a - lam1) * (a - lam2)
        if prod == 0:
            other = pick(rng, _nonzero(-3, 4))
            b, c = (other, 0) if rng.integers(2) else (0, other)
        else:
            divisors = [v for v in _nonzero(-6, 6) if prod % v == 0 and abs(prod // v) <= 6]
            if not divisors:
                continue
            b = pick(rng, divisors)
            c = prod // b
            if b == c:
                continue  # that would be symmetric; the other builder covers those
        if max(abs(a), abs(d)) <= 8:
            return np.array([[a, b], [c, d]], dtype=np.int64), lam1, lam2


def char_poly_lines(m: Arr) -> tuple[str, str, int, int]:
    """Worked lines for the eigenvalues of an integer 2×2 matrix from λ² − tr·λ + det = 0.

    Returns (en, zh, trace, det); the lines end with the (real) roots.
    """
    a, b, c, d = (int(v) for v in m.ravel())
    tr, det = a + d, a * d - b * c
    disc = tr * tr - 4 * det
    core = f"tr A = {a} + {fmt_factor(d)} = {tr}, det A = {a}·{fmt_factor(d)} − {fmt_factor(b)}·{fmt_factor(c)} = {det}"
    eq = "λ²"
    if tr:
        eq += (" − " if tr > 0 else " + ") + (str(abs(tr)) if abs(tr) != 1 else "") + "λ"
    if det:
        eq += (" + " if det > 0 else " − ") + str(abs(det))
    eq += " = 0"
    disc_txt = f"tr² − 4·det = {tr * tr} − {fmt_factor(4 * det)} = {disc}"
    r = _isqrt_exact(disc)
    if r is not None:
        roots = f"λ = ({tr} ± {r})/2 = {fmt((tr - r) / 2)}, {fmt((tr + r) / 2)}"
    else:
        roots = f"λ = ({tr} ± √{disc})/2 ≈ {fmt((tr - math.sqrt(disc)) / 2)}, {fmt((tr + math.sqrt(disc)) / 2)}"
    en = f"{core}. Characteristic equation det(A − λI) = {eq}; {disc_txt}; {roots}."
    zh = f"{core.replace(', det', '，det')}。特征方程 det(A − λI) = {eq}；{disc_txt}；{roots}。"
    return en, zh, tr, det


# ---------------------------------------------------------------------------------------------
# math.linalg
# ---------------------------------------------------------------------------------------------


@family(
    "dot_product",
    topic="math.linalg",
    title=Text("Inner (dot) product of two vectors", "两个向量的内积（点积）"),
    difficulty=1,
)
def draw_dot_product(rng: np.random.Generator) -> Draft:
    """a·b = Σ aᵢbᵢ for two short integer vectors."""
    n = pick(rng, [3, 3, 4])
    a = rng.integers(-3, 6, size=n)
    b = rng.integers(-3, 6, size=n)
    value = int(np.dot(a, b))
    prods = " + ".join(f"{fmt_factor(x)}·{fmt_factor(y)}" for x, y in zip(a, b, strict=True))
    terms = " + ".join(fmt_factor(int(x * y)) for x, y in zip(a, b, strict=True))
    prompt = Text(
        f"a = {fmt_vec(a)}, b = {fmt_vec(b)}. Compute the inner product a·b (torch.dot(a, b)).",
        f"a = {fmt_vec(a)}，b = {fmt_vec(b)}。求内积 a·b（即 torch.dot(a, b)）。",
    )
    solution = Text(
        f"1. a·b = Σ aᵢbᵢ = {prods} = {terms} = {value}.\n"
        "2. The sign tells the angle: a·b = ‖a‖‖b‖cos θ, positive for an acute angle, 0 when orthogonal.\n"
        f"Answer: {value}",
        f"1. a·b = Σ aᵢbᵢ = {prods} = {terms} = {value}。\n"
        "2. 符号反映夹角：a·b = ‖a‖‖b‖cos θ，锐角为正，正交时为 0。\n"
        f"答案：{value}",
    )
    return Draft(
        params={"a": a.tolist(), "b": b.tolist()},
        prompt=prompt,
        answer=value,
        answer_kind=AnswerKind.NUMBER,
        solution=solution,
        tolerance=Tolerance.exact(),
    )


# Vectors whose L2 norm is an integer (Pythagorean pairs and quadruples) or a short surd.
_L2_INTEGER = [(3, 4), (6, 8), (5, 12), (1, 2, 2), (2, 3, 6), (1, 4, 8), (4, 4, 7), (2, 6, 9), (1, 2, 2, 4)]
_L2_SURD = [(1, 1), (1, 2), (1, 3), (2, 3), (1, 1, 1), (1, 1, 2), (1, 2, 3)]

_NORM_NAMES = {"l1": "L1", "l2": "L2", "linf": "L∞"}


@family(
    "vector_norm",
    topic="math.linalg",
    title=Text("L1, L2 and L∞ norms of a vector", "向量的 L1、L2、L∞ 范数"),
    difficulty=1,
)
def draw_vector_norm(rng: np.random.Generator) -> Draft:
    """One of ‖x‖₁, ‖x‖₂, ‖x‖∞ of a short integer vector (L2 vectors have integer or surd norms)."""
    norm = pick(rng, ["l1", "l2", "l2", "linf"])
    if norm == "l2":
        base = pick(rng, _L2_INTEGER + _L2_INTEGER + _L2_SURD)
        x = np.array([v * pick(rng, [-1, 1]) for v in base], dtype=np.int64)[rng.permutation(len(base))]
    else:
        x = rng.integers(-6, 7, size=pick(rng, [3, 4, 5]))
        if not x.any():
            x[0] = 1
    if norm == "l1":
        value: float = float(np.abs(x).sum())
        steps = " + ".join(str(abs(int(v))) for v in x)
        formula = f"‖x‖₁ = Σ|xᵢ| = {steps} = {fmt(value)}"
        why_en = "L1 adds absolute values (the Lasso penalty; it pushes weights to exactly 0)."
        why_zh = "L1 范数是各分量绝对值之和（Lasso 正则，倾向于把权重压到 0）。"
    elif norm == "l2":
        sq = int((x * x).sum())
        value = math.sqrt(sq)
        steps = " + ".join(f"{fmt_factor(int(v))}²" for v in x)
        formula = f"‖x‖₂ = √(Σxᵢ²) = √({steps}) = {_sqrt_text(sq)}"
        why_en = "L2 is the Euclidean length (weight decay penalises its square)."
        why_zh = "L2 范数是欧氏长度（权重衰减惩罚的是它的平方）。"
    else:
        value = float(np.abs(x).max())
        steps = ", ".join(str(abs(int(v))) for v in x)
        formula = f"‖x‖∞ = max|xᵢ| = max({steps}) = {fmt(value)}"
        why_en = "L∞ is the largest absolute entry."
        why_zh = "L∞ 范数是绝对值最大的分量。"
    tol = _int_or_decimals(value)
    digits_en = "" if tol == Tolerance.exact() else " Give 3 decimals (or a root such as sqrt(5))."
    digits_zh = "" if tol == Tolerance.exact() else "保留 3 位小数（也可写根式，如 sqrt(5)）。"
    name = _NORM_NAMES[norm]
    sym = {"l1": "‖x‖₁", "l2": "‖x‖₂", "linf": "‖x‖∞"}[norm]
    prompt = Text(
        f"x = {fmt_vec(x)}. Compute the {name} norm {sym}.{digits_en}",
        f"x = {fmt_vec(x)}。求 {name} 范数 {sym}。{digits_zh}",
    )
    shown = fmt(value, 3)
    solution = Text(
        f"1. {formula}.\n2. {why_en}\nAnswer: {shown}",
        f"1. {formula}。\n2. {why_zh}\n答案：{shown}",
    )
    return Draft(
        params={"x": x.tolist(), "norm": norm},
        prompt=prompt,
        answer=value,
        answer_kind=AnswerKind.NUMBER,
        solution=solution,
        tolerance=tol,
    )


@family(
    "frobenius_norm",
    topic="math.linalg",
    title=Text("Frobenius norm of a matrix", "矩阵的 Frobenius 范数"),
    difficulty=1,
)
def draw_frobenius_norm(rng: np.random.Generator) -> Draft:
    """‖A‖_F = √(Σ aᵢⱼ²) of a 2×2 or 2×3 integer matrix; usually a perfect square under the root."""
    cols = pick(rng, [2, 3])
    want_square = rng.integers(3) > 0
    while True:
        a = rng.integers(-4, 5, size=(2, cols))
        sq = int((a * a).sum())
        if sq > 0 and (not want_square or _isqrt_exact(sq) is not None):
            break
    value = math.sqrt(sq)
    tol = _int_or_decimals(value)
    digits_en = "" if tol == Tolerance.exact() else " Give 3 decimals (or a root such as sqrt(29))."
    digits_zh = "" if tol == Tolerance.exact() else "保留 3 位小数（也可写根式，如 sqrt(29)）。"
    steps = " + ".join(f"{fmt_factor(int(v))}²" for v in a.ravel())
    squares = " + ".join(str(int(v * v)) for v in a.ravel())
    prompt = Text(
        f"A =\n{fmt_rows(a)}\nCompute the Frobenius norm ‖A‖_F.{digits_en}",
        f"A =\n{fmt_rows(a)}\n求 Frobenius 范数 ‖A‖_F。{digits_zh}",
    )
    shown = fmt(value, 3)
    solution = Text(
        f"1. ‖A‖_F = √(Σᵢⱼ aᵢⱼ²): the L2 norm of all entries laid out as one vector (also √(tr AᵀA), the root of "
        f"the sum of squared singular values).\n2. ‖A‖_F = √({steps}) = √({squares}) = {_sqrt_text(sq)}.\n"
        f"Answer: {shown}",
        f"1. ‖A‖_F = √(Σᵢⱼ aᵢⱼ²)：把所有元素排成一个向量后的 L2 范数（也等于 √(tr AᵀA)，即奇异值平方和的平方根）。\n"
        f"2. ‖A‖_F = √({steps}) = √({squares}) = {_sqrt_text(sq)}。\n答案：{shown}",
    )
    return Draft(
        params={"A": a.tolist()},
        prompt=prompt,
        answer=value,
        answer_kind=AnswerKind.NUMBER,
        solution=solution,
        tolerance=tol,
    )


@family(
    "eigenvalues_2x2",
    topic="math.linalg",
    title=Text("Eigenvalues of a 2×2 matrix", "2×2 矩阵的特征值"),
    difficulty=2,
)
def draw_eigenvalues_2x2(rng: np.random.Generator) -> Draft:
    """Both eigenvalues (ascending) of a 2×2 integer matrix with integer eigenvalues."""
    symmetric = bool(rng.integers(2))
    m, lam1, lam2 = symmetric_int_eigen(rng) if symmetric else general_int_eigen(rng)
    en, zh, tr, det = char_poly_lines(m)
    answer = [float(lam1), float(lam2)]
    prompt = Text(
        f"A =\n{fmt_rows(m)}\nFind the eigenvalues of A, in ascending order. {VECTOR_HINT.en}",
        f"A =\n{fmt_rows(m)}\n求 A 的特征值，按从小到大排列。{VECTOR_HINT.zh}",
    )
    check = Text(
        f"Check: λ₁ + λ₂ = {lam1} + {fmt_factor(lam2)} = {tr} = tr A and "
        f"λ₁·λ₂ = {lam1}·{fmt_factor(lam2)} = {det} = det A.",
        f"验算：λ₁ + λ₂ = {lam1} + {fmt_factor(lam2)} = {tr} = tr A，"
        f"λ₁·λ₂ = {lam1}·{fmt_factor(lam2)} = {det} = det A。",
    )
    sym_note = (
        Text(
            " A is symmetric, so its eigenvalues are real and its eigenvectors orthogonal.",
            "A 是对称矩阵，所以特征值都是实数，特征向量相互正交。",
        )
        if symmetric
        else Text("", "")
    )
    first = Text(
        f"Eigenvalues solve det(A − λI) = 0; for a 2×2 matrix that is λ² − (tr A)λ + det A = 0.{sym_note.en}",
        f"特征值满足 det(A − λI) = 0；对 2×2 矩阵即 λ² − (tr A)λ + det A = 0。{sym_note.zh}",
    )
    solution = Text(
        numbered([first.en, en, check.en]) + f"\nAnswer: {fmt_vec(answer)}",
        numbered([first.zh, zh, check.zh]) + f"\n答案：{fmt_vec(answer)}",
    )
    return Draft(
        params={"A": m.tolist()},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.VECTOR,
        solution=solution,
        tolerance=Tolerance.exact(),
    )


def _aug_text(rows: list[list[Fraction]]) -> str:
    """``[1  2 | 1  0; 0  1 | 3  -1]``: an augmented 2×4 matrix on one line."""
    return "[" + "; ".join(f"{_frac(r[0])}  {_frac(r[1])} | {_frac(r[2])}  {_frac(r[3])}" for r in rows) + "]"


def _row_reduction(m: Arr) -> list[str]:
    """Gauss–Jordan on [A | I], one line per row operation (formula-only, same in both languages)."""
    rows = [[Fraction(int(v)) for v in m[r]] + [Fraction(int(r == k)) for k in range(2)] for r in range(2)]
    lines = [f"[A | I] = {_aug_text(rows)}"]
    if rows[0][0] == 0:
        rows.reverse()
        lines.append(f"R₁ ↔ R₂: {_aug_text(rows)}")
    p = rows[0][0]
    if p != 1:
        rows[0] = [v / p for v in rows[0]]
        lines.append(f"R₁ ← R₁/{fmt_factor(float(p))}: {_aug_text(rows)}")
    f = rows[1][0]
    if f != 0:
        rows[1] = [v - f * u for v, u in zip(rows[1], rows[0], strict=True)]
        lines.append(
            f"R₂ ← R₂ − {fmt_factor(float(f)) if f.denominator == 1 else '(' + _frac(f) + ')'}·R₁: {_aug_text(rows)}"
        )
    p = rows[1][1]
    if p != 1:
        rows[1] = [v / p for v in rows[1]]
        lines.append(f"R₂ ← R₂/{'(' + _frac(p) + ')' if p < 0 or p.denominator != 1 else _frac(p)}: {_aug_text(rows)}")
    f = rows[0][1]
    if f != 0:
        lines.append("")  # placeholder replaced below
        rows[0] = [v - f * u for v, u in zip(rows[0], rows[1], strict=True)]
        coef = _frac(f) if f > 0 and f.denominator == 1 else f"({_frac(f)})"
        lines[-1] = f"R₁ ← R₁ − {coef}·R₂: {_aug_text(rows)}"
    return lines


@family(
    "inverse_2x2",
    topic="math.linalg",
    title=Text("Inverse of a 2×2 matrix", "2×2 矩阵的逆"),
    difficulty=2,
)
def draw_inverse_2x2(rng: np.random.Generator) -> Draft:
    """A⁻¹ = adj(A)/det A for an integer 2×2 matrix with det ∈ {±1, ±2, ±4}; row reduction shown too."""
    want = pick(rng, [1, -1, 2, -2, 2, 4])
    while True:
        m = rng.integers(-3, 6, size=(2, 2))
        a, b, c, d = (int(v) for v in m.ravel())
        if a * d - b * c == want and (b != 0 or c != 0):
            break
    det = a * d - b * c
    inv = [[Fraction(d, det), Fraction(-b, det)], [Fraction(-c, det), Fraction(a, det)]]
    inv_f = np.array([[float(v) for v in row] for row in inv])
    adj = np.array([[d, -b], [-c, a]])
    prompt = Text(
        f"A =\n{fmt_rows(m)}\nCompute A⁻¹. {MATRIX_HINT.en}",
        f"A =\n{fmt_rows(m)}\n求 A⁻¹。{MATRIX_HINT.zh}",
    )
    reduction = "\n".join("  " + line for line in _row_reduction(m))
    inv_txt = "[" + "; ".join("  ".join(_frac(v) for v in row) for row in inv) + "]"
    en = [
        "For A = [a b; c d], A⁻¹ = (1/det A)·adj(A) with adj(A) = [d −b; −c a] (swap the diagonal, negate the "
        "off-diagonal).",
        f"det A = ad − bc = {a}·{fmt_factor(d)} − {fmt_factor(b)}·{fmt_factor(c)} = {det} (≠ 0, so A is invertible).",
        f"adj(A) =\n{fmt_rows(adj)}",
        f"A⁻¹ = (1/{det})·adj(A) = {inv_txt}.",
        f"Row reduction gives the same: reduce [A | I] until the left half is I; the right half is then A⁻¹.\n"
        f"{reduction}",
        "Check: A·A⁻¹ = I.",
    ]
    zh = [
        "对 A = [a b; c d]，A⁻¹ = (1/det A)·adj(A)，其中伴随矩阵 adj(A) = [d −b; −c a]（主对角线互换，副对角线取负）。",
        f"det A = ad − bc = {a}·{fmt_factor(d)} − {fmt_factor(b)}·{fmt_factor(c)} = {det}（≠ 0，A 可逆）。",
        f"adj(A) =\n{fmt_rows(adj)}",
        f"A⁻¹ = (1/{det})·adj(A) = {inv_txt}。",
        f"用初等行变换结果相同：把 [A | I] 化到左半边为 I，右半边就是 A⁻¹。\n{reduction}",
        "验算：A·A⁻¹ = I。",
    ]
    return Draft(
        params={"A": m.tolist()},
        prompt=prompt,
        answer=mat(inv_f),
        answer_kind=AnswerKind.MATRIX,
        solution=Text(
            numbered(en) + f"\nAnswer:\n{fmt_rows(inv_f)}",
            numbered(zh) + f"\n答案：\n{fmt_rows(inv_f)}",
        ),
        tolerance=Tolerance.exact(),
    )


DEFINITENESS = [
    "positive_definite",
    "positive_semidefinite",
    "negative_definite",
    "negative_semidefinite",
    "indefinite",
]
_DEFINITENESS_TEXT = [
    Text("positive definite", "正定"),
    Text("positive semi-definite but singular (not definite)", "半正定但奇异（不是正定）"),
    Text("negative definite", "负定"),
    Text("negative semi-definite but singular (not definite)", "半负定但奇异（不是负定）"),
    Text("indefinite", "不定"),
]


def _symmetric_of_class(rng: np.random.Generator, cls: str) -> Arr:
    """A symmetric integer 2×2 matrix [[a, b], [b, c]] of the given definiteness class."""
    sign = -1 if cls.startswith("negative") else 1
    while True:
        if cls.endswith("semidefinite"):
            p, q = pick(rng, [(1, 1), (1, 2), (2, 1), (1, -1), (1, -2), (2, -1), (1, 3), (0, 1), (1, 0), (2, 3)])
            k = pick(rng, [1, 1, 2])
            m = sign * k * np.array([[p * p, p * q], [p * q, q * q]])
        else:
            a, c = int(rng.integers(1, 6)), int(rng.integers(1, 6))
            b = int(rng.integers(-4, 5))
            det = a * c - b * b
            if cls == "indefinite":
                if det >= 0:
                    continue
                a, c = a * pick(rng, [1, -1]), c * pick(rng, [1, 1, -1])
                if a * c - b * b >= 0:
                    continue
                m = np.array([[a, b], [b, c]])
            else:
                if det <= 0:
                    continue
                m = sign * np.array([[a, b], [b, c]])
        if np.abs(m).max() <= 9:
            return m.astype(np.int64)


def definiteness_of(m: Arr) -> str:
    """The class of a symmetric 2×2 integer matrix, from its trace and determinant."""
    a, b, _, c = (int(v) for v in m.ravel())
    det, tr = a * c - b * b, a + c
    if det < 0:
        return "indefinite"
    if det > 0:
        return "positive_definite" if a > 0 else "negative_definite"
    return "positive_semidefinite" if tr > 0 else "negative_semidefinite"


@family(
    "definiteness_2x2",
    topic="math.linalg",
    title=Text("Definiteness of a symmetric 2×2 matrix", "对称 2×2 矩阵的正定性"),
    difficulty=2,
)
def draw_definiteness_2x2(rng: np.random.Generator) -> Draft:
    """Classify a symmetric 2×2 matrix by its leading minors and eigenvalues (5 fixed options)."""
    cls = pick(rng, DEFINITENESS)
    m = _symmetric_of_class(rng, cls)
    assert definiteness_of(m) == cls
    a, b, _, c = (int(v) for v in m.ravel())
    det, tr = a * c - b * b, a + c
    eig_en, eig_zh, _, _ = char_poly_lines(m)
    idx = DEFINITENESS.index(cls)
    if cls == "indefinite":
        why_en = (
            f"D₂ = det A = {det} < 0: the eigenvalues have opposite signs (their product is det A), so A is indefinite."
        )
        why_zh = f"D₂ = det A = {det} < 0：两个特征值之积为 det A，符号相反，所以 A 不定。"
    elif cls.endswith("_definite"):
        s_en = "positive" if a > 0 else "negative"
        s_zh = "正定" if a > 0 else "负定"
        rule_en = "D₁ > 0 and D₂ > 0" if a > 0 else "D₁ < 0 and D₂ > 0 (signs alternate, starting negative)"
        rule_zh = "D₁ > 0 且 D₂ > 0" if a > 0 else "D₁ < 0 且 D₂ > 0（从负号开始正负交替）"
        why_en = (
            f"D₁ = {a}, D₂ = det A = {det}: {rule_en}, so by Sylvester's criterion A is {s_en} definite "
            "(both eigenvalues have that sign)."
        )
        why_zh = f"D₁ = {a}，D₂ = det A = {det}：{rule_zh}，由 Sylvester 判据 A {s_zh}（两个特征值同号）。"
    else:
        s_en = "positive" if tr > 0 else "negative"
        s_zh = "半正定" if tr > 0 else "半负定"
        why_en = (
            f"D₂ = det A = 0: one eigenvalue is 0 and the other equals tr A = {tr}, so A is {s_en} "
            "semi-definite but singular. (For semi-definiteness the leading minors are not enough: check all "
            f"principal minors, here a = {a}, c = {c}, det = 0.)"
        )
        why_zh = (
            f"D₂ = det A = 0：一个特征值为 0，另一个等于 tr A = {tr}，所以 A {s_zh}但奇异。"
            f"（判断半定时只看顺序主子式不够，要看所有主子式，这里 a = {a}，c = {c}，det = 0。）"
        )
    prompt = Text(
        f"A =\n{fmt_rows(m)}\nIs the symmetric matrix A positive definite, positive semi-definite, negative definite, "
        "negative semi-definite or indefinite?",
        f"A =\n{fmt_rows(m)}\n对称矩阵 A 是正定、半正定、负定、半负定还是不定的？",
    )
    en = [
        "Leading principal minors: D₁ = a₁₁, D₂ = det A. Equivalently look at the signs of the eigenvalues.",
        f"Eigenvalues: {eig_en}",
        why_en,
    ]
    zh = ["顺序主子式：D₁ = a₁₁，D₂ = det A；也可以看特征值的符号。", f"特征值：{eig_zh}", why_zh]
    solution = Text(
        numbered(en) + f"\nAnswer: {_DEFINITENESS_TEXT[idx].en}",
        numbered(zh) + f"\n答案：{_DEFINITENESS_TEXT[idx].zh}",
    )
    return Draft(
        params={"A": m.tolist(), "options": list(DEFINITENESS)},
        prompt=prompt,
        answer=[idx],
        answer_kind=AnswerKind.CHOICE,
        solution=solution,
        tolerance=Tolerance.exact(),
        choices=list(_DEFINITENESS_TEXT),
    )


# ---------------------------------------------------------------------------------------------
# Polynomials in x and y
# ---------------------------------------------------------------------------------------------


def poly_clean(coeffs: dict[tuple[int, int], int]) -> list[Term]:
    """Non-zero terms, highest total degree first (then higher powers of x first)."""
    out = [(c, i, j) for (i, j), c in coeffs.items() if c != 0]
    return sorted(out, key=lambda t: (-(t[1] + t[2]), -t[1]))


def poly_dx(terms: Sequence[Term]) -> list[Term]:
    return poly_clean({(i - 1, j): c * i for c, i, j in terms if i > 0})


def poly_dy(terms: Sequence[Term]) -> list[Term]:
    return poly_clean({(i, j - 1): c * j for c, i, j in terms if j > 0})


def poly_eval(terms: Sequence[Term], x: float, y: float) -> float:
    return math.fsum(c * x**i * y**j for c, i, j in terms)


def _mono(i: int, j: int) -> str:
    s = ""
    if i:
        s += "x" + (sup(i) if i > 1 else "")
    if j:
        s += "y" + (sup(j) if j > 1 else "")
    return s


def poly_text(terms: Sequence[Term]) -> str:
    """``3x² − 2xy + y³ − 4``."""
    parts: list[str] = []
    for k, (c, i, j) in enumerate(terms):
        m = _mono(i, j)
        body = (str(abs(c)) if abs(c) != 1 or not m else "") + m
        if k == 0:
            parts.append(("−" if c < 0 else "") + body)
        else:
            parts.append((" − " if c < 0 else " + ") + body)
    return "".join(parts) or "0"


def poly_subst(terms: Sequence[Term], x: float, y: float) -> str:
    """The polynomial with the point substituted, ``3·2² − 2·2·(-1)``; '' when it is a constant."""
    if all(i == 0 and j == 0 for _, i, j in terms):
        return ""
    parts: list[str] = []
    for k, (c, i, j) in enumerate(terms):
        factors: list[str] = []
        if abs(c) != 1 or (i == 0 and j == 0):
            factors.append(str(abs(c)))
        if i:
            factors.append(fmt_factor(x) + (sup(i) if i > 1 else ""))
        if j:
            factors.append(fmt_factor(y) + (sup(j) if j > 1 else ""))
        body = "·".join(factors)
        if k == 0:
            parts.append(("−" if c < 0 else "") + body)
        else:
            parts.append((" − " if c < 0 else " + ") + body)
    return "".join(parts)


def eval_line(name: str, terms: Sequence[Term], x: float, y: float) -> str:
    """``∂f/∂x = 6x − 2y = 6·1 − 2·(-1) = 8``."""
    value = poly_eval(terms, x, y)
    s = poly_subst(terms, x, y)
    if not s:  # a constant
        return f"{name} = {fmt(value)}"
    return f"{name} = {poly_text(terms)} = {s} = {fmt(value)}"


_POOL = [(2, 0), (0, 2), (1, 1), (3, 0), (0, 3), (2, 1), (1, 2), (1, 0), (0, 1)]
_COEFS = [-3, -2, -1, 1, 2, 3, 4]


def random_poly(rng: np.random.Generator, k: int, *, need_cubic: bool = False) -> list[Term]:
    """k distinct monomials of total degree 1–3 with small non-zero coefficients, at least one of degree ≥ 2."""
    while True:
        idx = rng.choice(len(_POOL), size=k, replace=False)
        monos = [_POOL[int(i)] for i in idx]
        degs = [i + j for i, j in monos]
        if max(degs) < 2 or (need_cubic and 3 not in degs):
            continue
        return poly_clean({m: pick(rng, _COEFS) for m in monos})


def _point(rng: np.random.Generator, lo: int = -2, hi: int = 2) -> tuple[int, int]:
    return int(rng.integers(lo, hi + 1)), int(rng.integers(lo, hi + 1))


def _terms_param(terms: Sequence[Term]) -> list[list[int]]:
    return [[c, i, j] for c, i, j in terms]


def hessian_at(terms: Sequence[Term], x: float, y: float) -> Arr:
    fx, fy = poly_dx(terms), poly_dy(terms)
    return np.array(
        [
            [poly_eval(poly_dx(fx), x, y), poly_eval(poly_dy(fx), x, y)],
            [poly_eval(poly_dx(fy), x, y), poly_eval(poly_dy(fy), x, y)],
        ]
    )


def _grad_lines(terms: Sequence[Term], x: int, y: int) -> tuple[list[str], Arr]:
    fx, fy = poly_dx(terms), poly_dy(terms)
    lines = [eval_line("∂f/∂x", fx, x, y), eval_line("∂f/∂y", fy, x, y)]
    return lines, np.array([poly_eval(fx, x, y), poly_eval(fy, x, y)])


def _f_text(terms: Sequence[Term]) -> str:
    return f"f(x, y) = {poly_text(terms)}"


# ---------------------------------------------------------------------------------------------
# math.calculus
# ---------------------------------------------------------------------------------------------


@family(
    "gradient_at_point",
    topic="math.calculus",
    title=Text("Gradient of a function of two variables", "二元函数在一点的梯度"),
    difficulty=2,
)
def draw_gradient_at_point(rng: np.random.Generator) -> Draft:
    """∇f(x₀, y₀) of a small polynomial with integer coefficients."""
    terms = random_poly(rng, pick(rng, [3, 3, 4]))
    x0, y0 = _point(rng)
    lines, g = _grad_lines(terms, x0, y0)
    prompt = Text(
        f"{_f_text(terms)}. Compute the gradient ∇f at (x, y) = ({x0}, {y0}). {VECTOR_HINT.en}",
        f"{_f_text(terms)}。求 f 在点 (x, y) = ({x0}, {y0}) 处的梯度 ∇f。{VECTOR_HINT.zh}",
    )
    en = [
        "∇f = (∂f/∂x, ∂f/∂y): differentiate in x holding y fixed, and in y holding x fixed; then substitute.",
        _one_step(lines),
        f"∇f = (∂f/∂x, ∂f/∂y) = {fmt_vec(g)}: the direction of steepest ascent; −∇f is the direction gradient "
        "descent moves in.",
    ]
    zh = [
        "∇f = (∂f/∂x, ∂f/∂y)：对 x 求偏导时把 y 看作常数，对 y 求偏导时把 x 看作常数，再代入该点。",
        _one_step(lines),
        f"∇f = (∂f/∂x, ∂f/∂y) = {fmt_vec(g)}：函数上升最快的方向；梯度下降沿 −∇f 移动。",
    ]
    solution = Text(numbered(en) + f"\nAnswer: {fmt_vec(g)}", numbered(zh) + f"\n答案：{fmt_vec(g)}")
    return Draft(
        params={"terms": _terms_param(terms), "point": [x0, y0]},
        prompt=prompt,
        answer=vec(g),
        answer_kind=AnswerKind.VECTOR,
        solution=solution,
        tolerance=Tolerance.exact(),
    )


def _hessian_lines(terms: Sequence[Term], x: int, y: int) -> tuple[list[str], Arr]:
    fx, fy = poly_dx(terms), poly_dy(terms)
    lines = [
        f"∂f/∂x = {poly_text(fx)}, ∂f/∂y = {poly_text(fy)}",
        eval_line("∂²f/∂x²", poly_dx(fx), x, y),
        eval_line("∂²f/∂x∂y", poly_dy(fx), x, y),
        eval_line("∂²f/∂y²", poly_dy(fy), x, y),
    ]
    return lines, hessian_at(terms, x, y)


@family(
    "hessian_2x2",
    topic="math.calculus",
    title=Text("Hessian of a function of two variables", "二元函数的海森矩阵"),
    difficulty=3,
)
def draw_hessian_2x2(rng: np.random.Generator) -> Draft:
    """The 2×2 Hessian of a cubic polynomial in x, y at an integer point."""
    terms = random_poly(rng, pick(rng, [3, 4]), need_cubic=True)
    x0, y0 = _point(rng)
    lines, h = _hessian_lines(terms, x0, y0)
    prompt = Text(
        f"{_f_text(terms)}. Compute the Hessian matrix H of f at (x, y) = ({x0}, {y0}). "
        "Answer as a matrix, e.g. `2 1; 1 0`.",
        f"{_f_text(terms)}。求 f 在点 (x, y) = ({x0}, {y0}) 处的海森矩阵 H。用矩阵作答，例如 `2 1; 1 0`。",
    )
    first, second = lines[0], _one_step(lines[1:])
    en = [
        "H = [∂²f/∂x²  ∂²f/∂x∂y; ∂²f/∂y∂x  ∂²f/∂y²]; for a smooth f the mixed partials are equal, so H is symmetric.",
        first,
        second,
    ]
    zh = [
        "H = [∂²f/∂x²  ∂²f/∂x∂y; ∂²f/∂y∂x  ∂²f/∂y²]；f 光滑时混合偏导相等，所以 H 对称。",
        first.replace(", ∂f/∂y", "，∂f/∂y"),
        second,
    ]
    solution = Text(numbered(en) + f"\nAnswer:\n{fmt_rows(h)}", numbered(zh) + f"\n答案：\n{fmt_rows(h)}")
    return Draft(
        params={"terms": _terms_param(terms), "point": [x0, y0]},
        prompt=prompt,
        answer=mat(h),
        answer_kind=AnswerKind.MATRIX,
        solution=solution,
        tolerance=Tolerance.exact(),
    )


STATIONARY = ["minimum", "maximum", "saddle", "inconclusive"]
_STATIONARY_TEXT = [
    Text("strict local minimum", "严格局部极小值点"),
    Text("strict local maximum", "严格局部极大值点"),
    Text("saddle point", "鞍点"),
    Text("inconclusive: the Hessian is singular there", "无法判定：该点海森矩阵奇异"),
]


def _shifted(terms: Sequence[Term], x0: int, y0: int) -> list[Term]:
    """Expand Σ c·(x − x₀)ⁱ·(y − y₀)ʲ into a polynomial in x and y, dropping the constant."""
    out: dict[tuple[int, int], int] = {}
    for c, i, j in terms:
        for p in range(i + 1):
            for q in range(j + 1):
                coef = c * math.comb(i, p) * (-x0) ** (i - p) * math.comb(j, q) * (-y0) ** (j - q)
                out[(p, q)] = out.get((p, q), 0) + coef
    out.pop((0, 0), None)
    return poly_clean(out)


@family(
    "stationary_point_type",
    topic="math.calculus",
    title=Text("Classify a stationary point with the Hessian", "用海森矩阵判断驻点类型"),
    difficulty=3,
)
def draw_stationary_point_type(rng: np.random.Generator) -> Draft:
    """Second-derivative test at a given stationary point: minimum, maximum, saddle or inconclusive."""
    cls = pick(rng, STATIONARY)
    x0, y0 = _point(rng, -1, 1)
    # Terms in the shifted coordinates u = x − x₀, v = y − y₀: a quadratic form plus, sometimes,
    # one higher-order term (it does not change the Hessian at the point).
    extra: list[Term] = []
    if cls == "inconclusive":
        form = pick(rng, ["u", "v", "u+v", "u-v"])
        k = pick(rng, [1, 2, -1, -2])
        quad = {
            "u": [(k, 2, 0)],
            "v": [(k, 0, 2)],
            "u+v": [(k, 2, 0), (2 * k, 1, 1), (k, 0, 2)],
            "u-v": [(k, 2, 0), (-2 * k, 1, 1), (k, 0, 2)],
        }[form]
        power = pick(rng, [3, 4])
        e = pick(rng, [1, -1, 2])
        extra = [(e, power, 0)] if form == "v" else [(e, 0, power)]
    else:
        while True:
            a, b, c = pick(rng, _nonzero(-3, 3)), int(rng.integers(-3, 4)), pick(rng, _nonzero(-3, 3))
            disc = 4 * a * c - b * b  # det of [[2a, b], [b, 2c]]
            got = "saddle" if disc < 0 else ("minimum" if a > 0 else "maximum") if disc > 0 else "flat"
            if got == cls:
                break
        quad = [(a, 2, 0), (b, 1, 1), (c, 0, 2)]
        if rng.integers(3):  # a higher-order term, as in the inconclusive case, so its presence gives nothing away
            power, e = pick(rng, [3, 4]), pick(rng, [1, -1, 2])
            extra = [(e, power, 0) if rng.integers(2) else (e, 0, power)]
    terms = _shifted([t for t in quad + extra if t[0] != 0], x0, y0)
    lines, g = _grad_lines(terms, x0, y0)
    assert not g.any()
    h_lines, h = _hessian_lines(terms, x0, y0)
    det = float(h[0, 0] * h[1, 1] - h[0, 1] ** 2)
    idx = STATIONARY.index(cls)
    hxx = fmt(h[0, 0])
    if cls == "saddle":
        why_en = (
            f"det H = {fmt(det)} < 0: the eigenvalues of H have opposite signs (H is indefinite), so a saddle point."
        )
        why_zh = f"det H = {fmt(det)} < 0：H 的特征值异号（H 不定），所以是鞍点。"
    elif cls in ("minimum", "maximum"):
        pd = cls == "minimum"
        why_en = (
            f"det H = {fmt(det)} > 0 and ∂²f/∂x² = {hxx} {'>' if pd else '<'} 0: H is "
            f"{'positive' if pd else 'negative'} definite, so a strict local {cls}."
        )
        why_zh = (
            f"det H = {fmt(det)} > 0 且 ∂²f/∂x² = {hxx} {'>' if pd else '<'} 0：H {'正定' if pd else '负定'}，"
            f"所以是严格局部{'极小' if pd else '极大'}值点。"
        )
    else:
        why_en = (
            "det H = 0: H is only semi-definite (one eigenvalue is 0), so the second-order test cannot decide; "
            "the higher-order terms would."
        )
        why_zh = "det H = 0：H 只是半定的（有一个特征值为 0），二阶判别法无法判定，要看更高阶的项。"
    prompt = Text(
        f"{_f_text(terms)} has a stationary point at ({x0}, {y0}) (∇f = 0 there). What does the second-order "
        "test with the Hessian say about this point?",
        f"{_f_text(terms)} 在 ({x0}, {y0}) 处有一个驻点（该点 ∇f = 0）。用海森矩阵的二阶判别法，这个点是什么类型？",
    )
    hessian = _one_step([*h_lines, "H ="]) + f"\n{fmt_rows(h)}"
    en = [
        "At a stationary point, H positive definite → strict local minimum, negative definite → strict local "
        "maximum, indefinite → saddle, singular (semi-definite) → inconclusive. For 2×2: look at det H and ∂²f/∂x².",
        "Check ∇f = 0: " + "; ".join(lines) + ".",
        hessian,
        why_en,
    ]
    zh = [
        "在驻点处：H 正定 → 严格局部极小，负定 → 严格局部极大，不定 → 鞍点，奇异（半定）→ 无法判定。"
        "2×2 情形看 det H 和 ∂²f/∂x²。",
        "验证 ∇f = 0：" + "；".join(lines) + "。",
        hessian.replace(", ∂f/∂y", "，∂f/∂y"),
        why_zh,
    ]
    solution = Text(
        numbered(en) + f"\nAnswer: {_STATIONARY_TEXT[idx].en}",
        numbered(zh) + f"\n答案：{_STATIONARY_TEXT[idx].zh}",
    )
    return Draft(
        params={"terms": _terms_param(terms), "point": [x0, y0], "options": list(STATIONARY)},
        prompt=prompt,
        answer=[idx],
        answer_kind=AnswerKind.CHOICE,
        solution=solution,
        tolerance=Tolerance.exact(),
        choices=list(_STATIONARY_TEXT),
    )


_DIRECTIONS = [(3, 4), (4, 3), (1, 0), (0, 1), (5, 12), (12, 5), (3, -4), (-4, 3)]


@family(
    "directional_derivative",
    topic="math.calculus",
    title=Text("Directional derivative and steepest slope", "方向导数与最陡斜率"),
    difficulty=2,
)
def draw_directional_derivative(rng: np.random.Generator) -> Draft:
    """D_u f = ∇f·u along a unit vector u = v/‖v‖, or the steepest slope ‖∇f‖."""
    mode = pick(rng, ["directional", "directional", "steepest"])
    for _ in range(200):  # prefer points where the answer is clean
        terms = random_poly(rng, 3)
        x0, y0 = _point(rng)
        lines, g = _grad_lines(terms, x0, y0)
        sq = int(g @ g)
        if sq and (mode == "directional" or _isqrt_exact(sq) is not None):
            break
    p_en = f"{_f_text(terms)}, at the point ({x0}, {y0})"
    p_zh = f"{_f_text(terms)}，在点 ({x0}, {y0}) 处"
    if mode == "directional":
        v = np.array(
            [s * c for s, c in zip([pick(rng, [1, -1]), pick(rng, [1, -1])], pick(rng, _DIRECTIONS), strict=True)]
        )
        norm = math.isqrt(int(v @ v))
        value = float(g @ v) / norm
        tol = _int_or_decimals(value)
        u_txt = f"({v[0]}/{norm}, {v[1]}/{norm})" if norm != 1 else fmt_vec(v)
        digits_en = "" if tol == Tolerance.exact() else " Give 3 decimals (or a fraction)."
        digits_zh = "" if tol == Tolerance.exact() else "保留 3 位小数（或写分数）。"
        prompt = Text(
            f"{p_en}: compute the directional derivative of f along the direction v = {fmt_vec(v)} "
            f"(use the unit vector u = v/‖v‖).{digits_en}",
            f"{p_zh}：求 f 沿方向 v = {fmt_vec(v)} 的方向导数（使用单位向量 u = v/‖v‖）。{digits_zh}",
        )
        dot = f"{fmt_factor(g[0])}·{fmt_factor(v[0])} + {fmt_factor(g[1])}·{fmt_factor(v[1])}"
        frac = Fraction(int(g @ v), norm)
        final = f"D_u f = ∇f·u = ({dot})/{norm} = {_q(frac)}"
        en = [
            "D_u f = ∇f·u for a unit vector u: the slope of f when moving along u.",
            _one_step(lines),
            f"∇f = {fmt_vec(g)}; ‖v‖ = √({v[0] * v[0]} + {v[1] * v[1]}) = {norm}, u = {u_txt}.",
            final + ".",
            f"(It is at most ‖∇f‖ = {_sqrt_text(sq)}, reached when u points along ∇f.)",
        ]
        zh = [
            "D_u f = ∇f·u（u 为单位向量）：沿 u 方向移动时 f 的变化率。",
            _one_step(lines),
            f"∇f = {fmt_vec(g)}；‖v‖ = √({v[0] * v[0]} + {v[1] * v[1]}) = {norm}，u = {u_txt}。",
            final + "。",
            f"（它不超过 ‖∇f‖ = {_sqrt_text(sq)}，u 与 ∇f 同向时取到。）",
        ]
        params: dict[str, Any] = {
            "terms": _terms_param(terms),
            "point": [x0, y0],
            "mode": mode,
            "direction": v.tolist(),
        }
    else:
        value = math.sqrt(sq)
        tol = _int_or_decimals(value)
        digits_en = "" if tol == Tolerance.exact() else " Give 3 decimals (or a root such as sqrt(13))."
        digits_zh = "" if tol == Tolerance.exact() else "保留 3 位小数（也可写根式，如 sqrt(13)）。"
        prompt = Text(
            f"{p_en}: in which direction does f increase fastest, and what is the directional derivative (slope) "
            f"in that direction? Give the slope.{digits_en}",
            f"{p_zh}：f 沿哪个方向增长最快？该方向上的方向导数（斜率）是多少？给出这个斜率。{digits_zh}",
        )
        en = [
            "D_u f = ∇f·u = ‖∇f‖ cos θ is largest for θ = 0: the steepest ascent is along ∇f, with slope ‖∇f‖ "
            "(steepest descent: −∇f, slope −‖∇f‖).",
            _one_step(lines),
            f"∇f = {fmt_vec(g)}, ‖∇f‖ = √({fmt_factor(g[0])}² + {fmt_factor(g[1])}²) = {_sqrt_text(sq)}.",
            f"Along u = ∇f/‖∇f‖ the slope is ∇f·u = ‖∇f‖²/‖∇f‖ = +‖∇f‖ = {_sqrt_text(sq)}.",
        ]
        zh = [
            "D_u f = ∇f·u = ‖∇f‖ cos θ 在 θ = 0 时最大：最陡上升方向是 ∇f，斜率为 ‖∇f‖"
            "（最陡下降方向 −∇f，斜率 −‖∇f‖）。",
            _one_step(lines),
            f"∇f = {fmt_vec(g)}，‖∇f‖ = √({fmt_factor(g[0])}² + {fmt_factor(g[1])}²) = {_sqrt_text(sq)}。",
            f"沿 u = ∇f/‖∇f‖ 的斜率为 ∇f·u = ‖∇f‖²/‖∇f‖ = +‖∇f‖ = {_sqrt_text(sq)}。",
        ]
        params = {"terms": _terms_param(terms), "point": [x0, y0], "mode": mode}
    shown = fmt(value, 3)
    return Draft(
        params=params,
        prompt=prompt,
        answer=value,
        answer_kind=AnswerKind.NUMBER,
        solution=Text(numbered(en) + f"\nAnswer: {shown}", numbered(zh) + f"\n答案：{shown}"),
        tolerance=tol,
    )


_TAYLOR_FUNCS = {
    "sqrt": ("√x", "1/(2√x)", "−1/(4x√x)"),
    "exp": ("eˣ", "eˣ", "eˣ"),
    "log": ("ln x", "1/x", "−1/x²"),
    "recip": ("1/x", "−1/x²", "2/x³"),
}
# Expansion points (where the derivatives are rational) and steps h for each function.
_TAYLOR_1D: dict[str, tuple[list[int], list[float]]] = {
    "sqrt": ([4, 9, 16, 25], [1, -1, 0.5, 2]),
    "exp": ([0], [0.1, 0.2, 0.5, -0.2, -0.5]),
    "log": ([1], [0.1, 0.2, 0.5, -0.1, -0.2]),
    "recip": ([1, 2], [0.1, 0.2, 0.5, -0.5, -0.2]),
}


def _derivatives(kind: str, a: int) -> tuple[Fraction, Fraction, Fraction]:
    """f(a), f′(a), f″(a) exactly (a is a perfect square for √x)."""
    if kind == "sqrt":
        r = math.isqrt(a)
        return Fraction(r), Fraction(1, 2 * r), Fraction(-1, 4 * a * r)
    if kind == "exp":
        return Fraction(1), Fraction(1), Fraction(1)
    if kind == "log":
        return Fraction(0), Fraction(1), Fraction(-1)
    return Fraction(1, a), Fraction(-1, a * a), Fraction(2, a**3)


def _terminates(q: Fraction) -> bool:
    d = q.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _q(q: Fraction) -> str:
    """``1/6 ≈ 0.166667``, ``1/4 = 0.25``, or ``2``."""
    if q.denominator == 1:
        return _frac(q)
    return f"{_frac(q)} {'=' if _terminates(q) and len(fmt(float(q), 8)) <= 8 else '≈'} {fmt(float(q), 6)}"


def _qf(q: Fraction) -> str:
    """An exact value inside a product: ``2``, ``(-1)``, ``(1/6)``, ``(-1/32)``."""
    return _frac(q) if q.denominator == 1 and q >= 0 else f"({_frac(q)})"


def _reciprocal(t: float) -> float:
    return 1 / t


_EXACT_1D: dict[str, Callable[[float], float]] = {
    "sqrt": math.sqrt,
    "exp": math.exp,
    "log": math.log,
    "recip": _reciprocal,
}


@family(
    "taylor_expansion",
    topic="math.calculus",
    title=Text("First- and second-order Taylor approximation", "一阶与二阶泰勒近似"),
    difficulty=3,
)
def draw_taylor_expansion(rng: np.random.Generator) -> Draft:
    """f(a + h) ≈ f(a) + f′(a)h (+ ½f″(a)h²), for √x, eˣ, ln x, 1/x or a polynomial in x, y."""
    order = pick(rng, [1, 2, 2])
    kind = pick(rng, ["sqrt", "exp", "log", "recip", "poly", "poly"])
    digits = 4
    o_en, o_zh = {1: ("first", "一"), 2: ("second", "二")}[order]
    formula_1d = "f(a + h) ≈ f(a) + f′(a)·h" + (" + ½·f″(a)·h²" if order == 2 else "")
    if kind != "poly":
        while True:
            a = pick(rng, _TAYLOR_1D[kind][0])
            h = pick(rng, _TAYLOR_1D[kind][1])
            hq = Fraction(str(h))
            f0, f1, f2 = _derivatives(kind, a)
            quad_q = f2 * hq * hq / 2
            if abs(quad_q) >= Fraction(5, 10000):  # the two orders must differ at 4 decimals
                break
        value_q = f0 + f1 * hq + (quad_q if order == 2 else 0)
        value = float(value_q)
        x1 = fmt(a + h)
        fname, d1, d2 = _TAYLOR_FUNCS[kind]
        exact = _EXACT_1D[kind](a + h)
        sum_txt = f"{_frac(f0)} + {_qf(f1)}·{fmt_factor(h)}"
        if order == 2:
            sum_txt += f" + ½·{_qf(f2)}·{fmt_factor(h)}²"
        at_2 = f", f″(a) = {_q(f2)}" if order == 2 else ""
        common = [
            f"{formula_1d}",
            f"f(x) = {fname}, f′(x) = {d1}" + (f", f″(x) = {d2}" if order == 2 else ""),
        ]
        en = [
            *common,
            f"At a = {a}: f(a) = {_q(f0)}, f′(a) = {_q(f1)}{at_2}; h = {fmt(h)}.",
            f"f({x1}) ≈ {sum_txt} = {_q(value_q)}.",
            f"(The true value is {fmt(exact, 6)}; the error of an order-n expansion shrinks like hⁿ⁺¹.)",
        ]
        zh = [
            *common,
            f"在 a = {a} 处：f(a) = {_q(f0)}，f′(a) = {_q(f1)}{at_2.replace(', ', '，')}；h = {fmt(h)}。",
            f"f({x1}) ≈ {sum_txt} = {_q(value_q)}。",
            f"（真实值为 {fmt(exact, 6)}；n 阶展开的误差随 hⁿ⁺¹ 减小。）",
        ]
        prompt = Text(
            f"Use the {o_en}-order Taylor expansion of f(x) = {fname} at a = {a} to approximate f({x1}). "
            f"Give {digits} decimals.",
            f"用 f(x) = {fname} 在 a = {a} 处的{o_zh}阶泰勒展开近似计算 f({x1})，保留 {digits} 位小数。",
        )
        params: dict[str, Any] = {"function": kind, "a": a, "h": h, "order": order}
    else:
        while True:
            terms = random_poly(rng, 3, need_cubic=True)
            x0, y0 = pick(rng, [-1, 1, 2]), pick(rng, [-1, 1, 2])
            step = np.array([pick(rng, [0.1, -0.1, 0.2, -0.2]), pick(rng, [0.1, -0.1, 0.2, 0.5])])
            hs = hessian_at(terms, x0, y0)
            quad = 0.5 * float(step @ hs @ step)
            lines, g = _grad_lines(terms, x0, y0)
            if abs(quad) >= 5e-4 and g.any():  # both orders matter and differ at 4 decimals
                break
        f0f = poly_eval(terms, x0, y0)
        lin = float(g @ step)
        value = f0f + lin + (quad if order == 2 else 0.0)
        p1 = (float(x0 + step[0]), float(y0 + step[1]))
        exact = poly_eval(terms, *p1)
        formula = "f(p + Δ) ≈ f(p) + ∇f(p)·Δ" + (" + ½·Δᵀ H(p) Δ" if order == 2 else "")
        f_line = eval_line(f"f({x0}, {y0})", terms, x0, y0)
        lin_line = (
            f"∇f·Δ = {fmt_factor(g[0])}·{fmt_factor(step[0])} + {fmt_factor(g[1])}·{fmt_factor(step[1])} = "
            f"{fmt(lin, 6)}"
        )
        at_p = [f_line, *lines]
        term_lines = [lin_line]
        if order == 2:
            h_lines, _ = _hessian_lines(terms, x0, y0)
            at_p += h_lines[1:]
            term_lines.append(
                f"½·ΔᵀHΔ = ½·({fmt_factor(hs[0, 0])}·{fmt_factor(step[0])}² + 2·{fmt_factor(hs[0, 1])}·"
                f"{fmt_factor(step[0])}·{fmt_factor(step[1])} + {fmt_factor(hs[1, 1])}·{fmt_factor(step[1])}²) = "
                f"{fmt(quad, 6)}"
            )
        en = [
            f"{formula}, with p = ({x0}, {y0}) and Δ = {fmt_vec(step)}.",
            _one_step(at_p),
            _one_step(term_lines) + ".",
        ]
        zh = [f"{formula}，其中 p = ({x0}, {y0})，Δ = {fmt_vec(step)}。", _one_step(at_p), _one_step(term_lines) + "。"]
        total = f"{fmt(f0f)} + {fmt_factor(round(lin, 6))}"
        if order == 2:
            total += f" + {fmt_factor(round(quad, 6))}"
        p1_txt = f"({fmt(p1[0])}, {fmt(p1[1])})"
        en.append(f"f{p1_txt} ≈ {total} = {fmt(value, 6)} (the true value is {fmt(exact, 6)}).")
        zh.append(f"f{p1_txt} ≈ {total} = {fmt(value, 6)}（真实值为 {fmt(exact, 6)}）。")
        prompt = Text(
            f"{_f_text(terms)}. Use the {o_en}-order Taylor expansion of f at ({x0}, {y0}) to approximate "
            f"f{p1_txt}. Give {digits} decimals.",
            f"{_f_text(terms)}。用 f 在 ({x0}, {y0}) 处的{o_zh}阶泰勒展开近似计算 f{p1_txt}，保留 {digits} 位小数。",
        )
        params = {
            "function": "poly",
            "terms": _terms_param(terms),
            "point": [x0, y0],
            "step": step.tolist(),
            "order": order,
        }
    shown = fmt(value, digits)
    return Draft(
        params=params,
        prompt=prompt,
        answer=float(value),
        answer_kind=AnswerKind.NUMBER,
        solution=Text(numbered(en) + f"\nAnswer: {shown}", numbered(zh) + f"\n答案：{shown}"),
        tolerance=decimals(digits),
    )


# ---------------------------------------------------------------------------------------------
# Named mistakes and PyTorch snippets
# ---------------------------------------------------------------------------------------------


def _arr(v: Any) -> Arr:
    return np.asarray(v, dtype=np.float64)


@mistake(
    "dot_product",
    "product-of-sums",
    step=1,
    text=Text(
        "You multiplied the sums, (Σaᵢ)·(Σbᵢ); the dot product sums the products, Σ aᵢbᵢ.",
        "你把两个和相乘了，(Σaᵢ)·(Σbᵢ)；点积是各乘积之和 Σ aᵢbᵢ。",
    ),
)
def _dot_sums(q: Params) -> Answer:
    return float(_arr(q["a"]).sum() * _arr(q["b"]).sum())


@mistake(
    "dot_product",
    "added-pairs",
    step=1,
    text=Text(
        "You added the paired entries (Σ(aᵢ + bᵢ)); the dot product multiplies them: Σ aᵢbᵢ.",
        "你把对应分量相加了（Σ(aᵢ + bᵢ)）；点积是对应分量相乘再求和：Σ aᵢbᵢ。",
    ),
)
def _dot_added(q: Params) -> Answer:
    return float((_arr(q["a"]) + _arr(q["b"])).sum())


@torch_snippet("dot_product")
def _dot_torch(q: Params) -> str:
    return f"import torch\n\nprint(torch.dot(torch.tensor({q['a']}), torch.tensor({q['b']})).item())\n"


def _norm_value(x: Arr, norm: str) -> float:
    if norm == "l1":
        return float(np.abs(x).sum())
    if norm == "l2":
        return float(np.sqrt((x * x).sum()))
    return float(np.abs(x).max())


@mistake(
    "vector_norm",
    "wrong-norm",
    step=1,
    text=Text(
        "You computed a different norm: L1 = Σ|xᵢ|, L2 = √(Σxᵢ²), L∞ = max|xᵢ|.",
        "你算成了另一种范数：L1 = Σ|xᵢ|，L2 = √(Σxᵢ²)，L∞ = max|xᵢ|。",
    ),
)
def _norm_wrong(q: Params) -> Answer:
    return _norm_value(_arr(q["x"]), {"l1": "l2", "l2": "l1", "linf": "l1"}[q["norm"]])


@mistake(
    "vector_norm",
    "no-abs-or-root",
    step=1,
    text=Text(
        "You left out the absolute values (L1, L∞) or the square root (L2).",
        "你漏掉了绝对值（L1、L∞）或平方根（L2）。",
    ),
    applies=lambda q: q["norm"] != "linf" or -min(q["x"]) > max(q["x"]),
)
def _norm_raw(q: Params) -> Answer:
    x = _arr(q["x"])
    return float({"l1": x.sum(), "l2": (x * x).sum(), "linf": x.max()}[q["norm"]])


@torch_snippet("vector_norm")
def _norm_torch(q: Params) -> str:
    ord_ = {"l1": "1", "l2": "2", "linf": "float('inf')"}[q["norm"]]
    return (
        "import torch\n\n"
        f"x = torch.tensor({q['x']}, dtype=torch.float64)\n"
        f"print(torch.linalg.vector_norm(x, ord={ord_}).item())\n"
    )


@mistake(
    "frobenius_norm",
    "no-root",
    step=1,
    text=Text("You stopped at Σ aᵢⱼ²: the norm is its square root.", "你只算到 Σ aᵢⱼ²：范数还要开平方根。"),
)
def _frob_no_root(q: Params) -> Answer:
    a = _arr(q["A"])
    return float((a * a).sum())


@mistake(
    "frobenius_norm",
    "abs-sum",
    step=1,
    text=Text(
        "You added the absolute values of the entries; the Frobenius norm is √(Σ aᵢⱼ²).",
        "你把各元素的绝对值相加了；Frobenius 范数是 √(Σ aᵢⱼ²)。",
    ),
)
def _frob_abs(q: Params) -> Answer:
    return float(np.abs(_arr(q["A"])).sum())


@torch_snippet("frobenius_norm")
def _frob_torch(q: Params) -> str:
    return (
        "import torch\n\n"
        f"A = torch.tensor({q['A']}, dtype=torch.float64)\n"
        "print(torch.linalg.matrix_norm(A, 'fro').item())\n"
    )


def _mat_list(a: Arr) -> list[list[float]]:
    return [[float(v) + 0.0 for v in row] for row in a]


@mistake(
    "inverse_2x2",
    "forgot-determinant",
    step=4,
    text=Text("You stopped at adj(A); A⁻¹ = adj(A)/det A.", "你只算到 adj(A)；A⁻¹ = adj(A)/det A。"),
    applies=lambda q: round(float(np.linalg.det(_arr(q["A"])))) != 1,
)
def _inv_no_det(q: Params) -> Answer:
    (a, b), (c, d) = q["A"]
    return _mat_list(np.array([[d, -b], [-c, a]], dtype=np.float64))


@mistake(
    "inverse_2x2",
    "no-swap",
    step=3,
    text=Text(
        "You negated the off-diagonal but did not swap the diagonal: adj(A) = [d −b; −c a].",
        "你把副对角线取了负，却没有交换主对角线：adj(A) = [d −b; −c a]。",
    ),
)
def _inv_no_swap(q: Params) -> Answer:
    (a, b), (c, d) = q["A"]
    det = a * d - b * c
    return _mat_list(np.array([[a, -b], [-c, d]], dtype=np.float64) / det)


@torch_snippet("inverse_2x2")
def _inv_torch(q: Params) -> str:
    return f"import torch\n\nA = torch.tensor({q['A']}, dtype=torch.float64)\nprint(torch.linalg.inv(A).tolist())\n"


@mistake(
    "eigenvalues_2x2",
    "diagonal",
    step=1,
    text=Text(
        "You read the eigenvalues off the diagonal; that only works for a triangular matrix.",
        "你直接把对角线元素当成了特征值；这只对三角矩阵成立。",
    ),
    applies=lambda q: q["A"][0][1] * q["A"][1][0] != 0,
)
def _eig_diag(q: Params) -> Answer:
    a = _arr(q["A"])
    return sorted([float(a[0, 0]), float(a[1, 1])])


@mistake(
    "eigenvalues_2x2",
    "trace-sign",
    step=2,
    text=Text(
        "You got the sign of the trace term wrong: det(A − λI) = λ² − (tr A)·λ + det A.",
        "你把迹那一项的符号弄错了：det(A − λI) = λ² − (tr A)·λ + det A。",
    ),
)
def _eig_trace_sign(q: Params) -> Answer:
    lam = np.linalg.eigvals(_arr(q["A"])).real
    return sorted(float(-v) + 0.0 for v in lam)


@torch_snippet("eigenvalues_2x2")
def _eig_torch(q: Params) -> str:
    return (
        "import torch\n\n"
        f"A = torch.tensor({q['A']}, dtype=torch.float64)\n"
        "print(sorted(torch.linalg.eigvals(A).real.tolist()))\n"
    )


def _det2(a: Any) -> int:
    return int(a[0][0] * a[1][1] - a[0][1] * a[1][0])


def _definiteness_choice(cls: str) -> Answer:
    return [DEFINITENESS.index(cls)]


@mistake(
    "definiteness_2x2",
    "diagonal-signs",
    step=3,
    text=Text(
        "You judged by the diagonal entries alone; the determinant decides (det A < 0 means indefinite).",
        "你只看了对角线元素的符号；要看行列式（det A < 0 即为不定）。",
    ),
    # with det A > 0, or a diagonal of mixed signs, judging by the diagonal happens to be right
    applies=lambda q: _det2(q["A"]) <= 0 and q["A"][0][0] * q["A"][1][1] > 0,
)
def _def_diag(q: Params) -> Answer:
    (a, _), (_, c) = q["A"]
    if a > 0 and c > 0:
        return _definiteness_choice("positive_definite")
    if a < 0 and c < 0:
        return _definiteness_choice("negative_definite")
    if min(a, c) == 0:
        return _definiteness_choice("positive_semidefinite" if max(a, c) > 0 else "negative_semidefinite")
    return _definiteness_choice("indefinite")


@mistake(
    "definiteness_2x2",
    "det-only",
    step=3,
    text=Text(
        "You took det A > 0 as positive definite; with det A > 0 the sign of a₁₁ tells positive from negative.",
        "你把 det A > 0 直接当成了正定；det A > 0 时还要看 a₁₁ 的符号来区分正定和负定。",
    ),
    applies=lambda q: (q["A"][0][0] + q["A"][1][1]) < 0 and _det2(q["A"]) >= 0,  # the sign of the trace matters
)
def _def_det(q: Params) -> Answer:
    (a, b), (_, c) = q["A"]
    det = a * c - b * b
    if det > 0:
        return _definiteness_choice("positive_definite")
    if det < 0:
        return _definiteness_choice("indefinite")
    return _definiteness_choice("positive_semidefinite")


@torch_snippet("definiteness_2x2")
def _def_torch(q: Params) -> str:
    return (
        "import torch\n\n"
        f"A = torch.tensor({q['A']}, dtype=torch.float64)\n"
        "lam = torch.linalg.eigvalsh(A)  # ascending\n"
        "print(lam.tolist())\n"
        "lo, hi = lam.tolist()\n"
        "cls = ('A' if lo > 0 else 'C' if hi < 0 else 'E' if lo < 0 < hi else 'B' if hi > 0 else 'D')\n"
        "# A positive definite, B positive semi-definite, C negative definite, D negative semi-definite,\n"
        "# E indefinite\n"
        "print(cls)\n"
    )


def _terms(q: Params) -> list[Term]:
    return [(int(c), int(i), int(j)) for c, i, j in q["terms"]]


def _grad(q: Params, x: float, y: float) -> list[float]:
    t = _terms(q)
    return [poly_eval(poly_dx(t), x, y) + 0.0, poly_eval(poly_dy(t), x, y) + 0.0]


@mistake(
    "gradient_at_point",
    "swapped-components",
    step=3,
    text=Text(
        "You swapped the components: ∇f = (∂f/∂x, ∂f/∂y), in that order.",
        "你把两个分量的顺序弄反了：∇f = (∂f/∂x, ∂f/∂y)。",
    ),
)
def _grad_swapped(q: Params) -> Answer:
    gx, gy = _grad(q, *q["point"])
    return [gy, gx]


@mistake(
    "gradient_at_point",
    "no-power-factor",
    step=2,
    text=Text(
        "You lowered the power without multiplying by it: ∂(xⁿ)/∂x = n·xⁿ⁻¹.",
        "你降了幂次却没有乘上原来的指数：∂(xⁿ)/∂x = n·xⁿ⁻¹。",
    ),
    applies=lambda q: any(i >= 2 or j >= 2 for _, i, j in q["terms"]),
)
def _grad_no_power(q: Params) -> Answer:
    t = _terms(q)
    x, y = q["point"]
    return [poly_eval(_dx_no_factor(t), x, y) + 0.0, poly_eval(_dy_no_factor(t), x, y) + 0.0]


def _dx_no_factor(terms: Sequence[Term]) -> list[Term]:
    return poly_clean({(i - 1, j): c for c, i, j in terms if i > 0})


def _dy_no_factor(terms: Sequence[Term]) -> list[Term]:
    return poly_clean({(i, j - 1): c for c, i, j in terms if j > 0})


def _poly_torch(q: Params, body: str) -> str:
    terms = " + ".join(f"({c}) * x ** {i} * y ** {j}" for c, i, j in _terms(q)) or "0 * x"
    x, y = q["point"]
    return (
        "import torch\n\n"
        f"x = torch.tensor({float(x)}, dtype=torch.float64, requires_grad=True)\n"
        f"y = torch.tensor({float(y)}, dtype=torch.float64, requires_grad=True)\n"
        f"f = {terms}\n"
        f"{body}"
    )


@torch_snippet("gradient_at_point")
def _grad_torch(q: Params) -> str:
    return _poly_torch(q, "gx, gy = torch.autograd.grad(f, (x, y))\nprint([gx.item(), gy.item()])\n")


@mistake(
    "hessian_2x2",
    "no-power-factor",
    step=2,
    text=Text(
        "You lowered the powers without multiplying by them: ∂(xⁿ)/∂x = n·xⁿ⁻¹, at each differentiation.",
        "你每次求导都只降幂、没有乘上指数：∂(xⁿ)/∂x = n·xⁿ⁻¹。",
    ),
)
def _hess_no_power(q: Params) -> Answer:
    t = _terms(q)
    x, y = q["point"]
    dx, dy = _dx_no_factor(t), _dy_no_factor(t)
    return [
        [poly_eval(_dx_no_factor(dx), x, y) + 0.0, poly_eval(_dy_no_factor(dx), x, y) + 0.0],
        [poly_eval(_dx_no_factor(dy), x, y) + 0.0, poly_eval(_dy_no_factor(dy), x, y) + 0.0],
    ]


@mistake(
    "hessian_2x2",
    "swapped-point",
    step=3,
    text=Text(
        "You substituted x and y the wrong way round: the point is (x, y).",
        "你代入时把 x 和 y 弄反了：点的坐标是 (x, y)。",
    ),
    applies=lambda q: q["point"][0] != q["point"][1],
)
def _hess_point_swapped(q: Params) -> Answer:
    x, y = q["point"]
    return _mat_list(hessian_at(_terms(q), y, x))


@torch_snippet("hessian_2x2")
def _hess_torch(q: Params) -> str:
    terms = " + ".join(f"({c}) * v[0] ** {i} * v[1] ** {j}" for c, i, j in _terms(q)) or "0 * v[0]"
    return (
        "import torch\n\n\n"
        f"def f(v):\n    return {terms}\n\n\n"
        f"p = torch.tensor({[float(v) for v in q['point']]}, dtype=torch.float64)\n"
        "print(torch.autograd.functional.hessian(f, p).tolist())\n"
    )


def _hessian_at_point(q: Params) -> Arr:
    return hessian_at(_terms(q), *q["point"])


def _hessian_det(q: Params) -> float:
    return round(float(np.linalg.det(_hessian_at_point(q))), 9)


def _stationary_choice(q: Params, rule: str) -> Answer:
    h = hessian_at(_terms(q), *q["point"])
    fxx, det = float(h[0, 0]), float(np.linalg.det(h))
    det = round(det, 9)
    if rule == "fxx-only":
        cls = "minimum" if fxx > 0 else "maximum" if fxx < 0 else "inconclusive"
    else:
        cls = "minimum" if det > 0 else "saddle" if det < 0 else "inconclusive"
    return [STATIONARY.index(cls)]


@mistake(
    "stationary_point_type",
    "fxx-only",
    step=4,
    text=Text(
        "You judged by ∂²f/∂x² alone; first check det H (det H < 0 is a saddle, det H = 0 is inconclusive).",
        "你只看了 ∂²f/∂x²；应先看 det H（det H < 0 是鞍点，det H = 0 无法判断）。",
    ),
    # with det H > 0 the sign of f_xx does decide; with det H = f_xx = 0 it says "inconclusive" too
    applies=lambda q: _hessian_det(q) < 0 or (_hessian_det(q) == 0 and _hessian_at_point(q)[0, 0] != 0),
)
def _stat_fxx(q: Params) -> Answer:
    return _stationary_choice(q, "fxx-only")


@mistake(
    "stationary_point_type",
    "det-only",
    step=4,
    text=Text(
        "You took det H > 0 as a minimum; with det H > 0 the sign of ∂²f/∂x² tells a minimum from a maximum.",
        "你把 det H > 0 直接当成了极小值；det H > 0 时还要看 ∂²f/∂x² 的符号区分极小和极大。",
    ),
    applies=lambda q: _hessian_det(q) > 0 and _hessian_at_point(q)[0, 0] < 0,  # a maximum
)
def _stat_det(q: Params) -> Answer:
    return _stationary_choice(q, "det-only")


@torch_snippet("stationary_point_type")
def _stat_torch(q: Params) -> str:
    terms = " + ".join(f"({c}) * v[0] ** {i} * v[1] ** {j}" for c, i, j in _terms(q)) or "0 * v[0]"
    return (
        "import torch\n\n\n"
        f"def f(v):\n    return {terms}\n\n\n"
        f"p = torch.tensor({[float(v) for v in q['point']]}, dtype=torch.float64, requires_grad=True)\n"
        "(g,) = torch.autograd.grad(f(p), p)\n"
        "print('gradient', g.tolist())  # zero: a stationary point\n"
        "lam = torch.linalg.eigvalsh(torch.autograd.functional.hessian(f, p.detach()))\n"
        "print('Hessian eigenvalues', lam.tolist())\n"
        "lo, hi = lam.tolist()\n"
        "print('A' if lo > 1e-9 else 'B' if hi < -1e-9 else 'C' if lo < -1e-9 < 1e-9 < hi else 'D')\n"
    )


def _directional_parts(q: Params) -> tuple[Arr, Arr | None]:
    g = _arr(_grad(q, *q["point"]))
    v = _arr(q["direction"]) if q["mode"] == "directional" else None
    return g, v


@mistake(
    "directional_derivative",
    "not-unit",
    step=3,
    text=Text(
        "You did not normalise: use the unit vector u = v/‖v‖ (for the steepest slope, ‖∇f‖ not ‖∇f‖²).",
        "你没有归一化：要用单位向量 u = v/‖v‖（最陡斜率是 ‖∇f‖，不是 ‖∇f‖²）。",
    ),
    applies=lambda q: q["mode"] != "directional" or int(np.dot(q["direction"], q["direction"])) != 1,
)
def _dir_not_unit(q: Params) -> Answer:
    g, v = _directional_parts(q)
    return float(g @ v) if v is not None else float(g @ g)


@mistake(
    "directional_derivative",
    "opposite-direction",
    step=4,
    text=Text(
        "You got the sign wrong: the slope along u is +∇f·u (the steepest ascent slope is +‖∇f‖).",
        "你把符号弄反了：沿 u 的斜率是 +∇f·u（最陡上升斜率是 +‖∇f‖）。",
    ),
)
def _dir_opposite(q: Params) -> Answer:
    g, v = _directional_parts(q)
    return -float(g @ v) / float(np.linalg.norm(v)) if v is not None else -float(np.linalg.norm(g))


@torch_snippet("directional_derivative")
def _dir_torch(q: Params) -> str:
    if q["mode"] == "directional":
        body = (
            "g = torch.stack(torch.autograd.grad(f, (x, y)))\n"
            f"v = torch.tensor({[float(c) for c in q['direction']]}, dtype=torch.float64)\n"
            "print((g @ (v / v.norm())).item())\n"
        )
    else:
        body = "g = torch.stack(torch.autograd.grad(f, (x, y)))\nprint(g.norm().item())  # slope along ∇f/‖∇f‖\n"
    return _poly_torch(q, body)


def _taylor_parts(q: Params) -> tuple[float, float, float]:
    """f(p), the first-order term and the second-order term of the instance's expansion."""
    if q["function"] != "poly":
        f0, f1, f2 = _derivatives(q["function"], q["a"])
        h = Fraction(str(q["h"]))
        return float(f0), float(f1 * h), float(f2 * h * h / 2)
    t = _terms(q)
    x0, y0 = q["point"]
    step = _arr(q["step"])
    g = _arr(_grad(q, x0, y0))
    return poly_eval(t, x0, y0), float(g @ step), 0.5 * float(step @ hessian_at(t, x0, y0) @ step)


@mistake(
    "taylor_expansion",
    "other-order",
    step=1,
    text=Text(
        "You gave the expansion of the other order: the first order stops at f′(a)·h, the second adds ½·f″(a)·h².",
        "你给出了另一阶的展开：一阶到 f′(a)·h 为止，二阶再加上 ½·f″(a)·h²。",
    ),
)
def _taylor_other(q: Params) -> Answer:
    f0, lin, quad = _taylor_parts(q)
    return f0 + lin + (0.0 if q["order"] == 2 else quad)


@mistake(
    "taylor_expansion",
    "first-order-sign",
    step=4,
    text=Text(
        "You subtracted the first-order term: f(a + h) ≈ f(a) + f′(a)·h, with h's own sign.",
        "你把一阶项减掉了：f(a + h) ≈ f(a) + f′(a)·h，h 带着自己的符号。",
    ),
)
def _taylor_sign(q: Params) -> Answer:
    f0, lin, quad = _taylor_parts(q)
    return f0 - lin + (quad if q["order"] == 2 else 0.0)


@torch_snippet("taylor_expansion")
def _taylor_torch(q: Params) -> str:
    if q["function"] == "poly":
        x0, y0 = q["point"]
        terms = " + ".join(f"({c}) * v[0] ** {i} * v[1] ** {j}" for c, i, j in _terms(q)) or "0 * v[0]"
        second = " + 0.5 * d @ H @ d" if q["order"] == 2 else ""
        return (
            "import torch\n\n\n"
            f"def f(v):\n    return {terms}\n\n\n"
            f"p = torch.tensor([{float(x0)}, {float(y0)}], dtype=torch.float64, requires_grad=True)\n"
            f"d = torch.tensor({q['step']}, dtype=torch.float64)\n"
            "(g,) = torch.autograd.grad(f(p), p)\n"
            "H = torch.autograd.functional.hessian(f, p.detach())\n"
            f"print((f(p) + g @ d{second}).item())\n"
        )
    fn = {"sqrt": "torch.sqrt", "exp": "torch.exp", "log": "torch.log", "recip": "torch.reciprocal"}[q["function"]]
    second = " + 0.5 * d2 * h ** 2" if q["order"] == 2 else ""
    return (
        "import torch\n\n"
        f"a = torch.tensor({float(q['a'])}, dtype=torch.float64, requires_grad=True)\n"
        f"h = {q['h']}\n"
        f"y = {fn}(a)\n"
        "(d1,) = torch.autograd.grad(y, a, create_graph=True)\n"
        "(d2,) = torch.autograd.grad(d1, a)\n"
        f"print((y + d1 * h{second}).item())\n"
    )


# ---------------------------------------------------------------------------------------------
# Levels: 1 the plain cases, 2 today's mix (the default), 3 the cases with the most to compute
# ---------------------------------------------------------------------------------------------

three_levels(
    "dot_product",
    lambda q: 2 * (len(q["a"]) > 3) + any(x * y < 0 for x, y in zip(q["a"], q["b"], strict=True)),
    easy_max=1,
    hard_min=3,
)
three_levels("vector_norm", lambda q: {"linf": 0, "l1": 1, "l2": 2}[q["norm"]])
three_levels("frobenius_norm", lambda q: np.size(q["A"]), easy_max=4, hard_min=6)
three_levels(
    "inverse_2x2",
    lambda q: 2 * (abs(round(np.linalg.det(_arr(q["A"])))) != 1) + (min(np.ravel(q["A"])) < 0),
)
three_levels("eigenvalues_2x2", lambda q: 2 * (q["A"][0][1] != q["A"][1][0]) + (q["A"][0][1] != 0), easy_max=1)
three_levels(
    "definiteness_2x2",
    lambda q: {"positive_definite": 0, "negative_definite": 1, "indefinite": 1}.get(definiteness_of(_arr(q["A"])), 2),
    easy_max=1,
)


def _poly_score(q: Params) -> float:
    """More terms and higher powers: more to differentiate."""
    return 2 * (len(q["terms"]) > 3) + any(i + j >= 3 for _, i, j in q["terms"])


three_levels("gradient_at_point", _poly_score, easy_max=1, hard_min=3)
three_levels("hessian_2x2", _poly_score, easy_max=1, hard_min=3)
three_levels("stationary_point_type", lambda q: len(q["terms"]), easy_max=4, hard_min=6)
three_levels(
    "directional_derivative",
    lambda q: (
        2 * (q["mode"] == "directional") + (q["mode"] == "directional" and np.dot(q["direction"], q["direction"]) != 1)
    ),
    hard_min=3,
)
three_levels("taylor_expansion", lambda q: 2 * (q["function"] == "poly") + (q["order"] == 2), hard_min=3)


typeset_minus_signs(__name__)
