"""Training families: gradient descent on quadratics (step-size bound, optimal step, steps by hand), one GD
step of linear regression, weight decay as L2 regularisation, vanishing sigmoid gradients and the
Xavier/Kaiming initialisation scales.

Updates go through :func:`quizforge.numeric.ops.sgd_step` (the NumPy mirror of ``torch.optim.SGD``);
bounds and scales are exact fractions. The torch oracles in :mod:`quizforge.numeric.oracles.training`
use ``torch.linalg.eigvalsh``, autograd on the stated loss with real ``torch.optim.SGD`` steps, autograd
through ``torch.sigmoid`` and ``torch.nn.init``'s own fan and gain computations.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from quizforge.answer import AnswerKind, Tolerance
from quizforge.numeric import ops
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
from quizforge.numeric.families.maths import char_poly_lines, symmetric_int_eigen
from quizforge.numeric.families.nn import VECTOR_HINT, decimals, fmt, fmt_factor, fmt_rows, fmt_vec, pick, sub, sup
from quizforge.numeric.families.optimizers import numbered_steps
from quizforge.text import Text

Arr = np.ndarray[Any, Any]


def _frac(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _exact(q: Fraction, digits: int = 6) -> str:
    """``2``, ``1/16 = 0.0625`` or ``1/3 ≈ 0.333333``."""
    if q.denominator == 1:
        return str(q.numerator)
    s = fmt(float(q), digits)
    return f"{_frac(q)} {'=' if Fraction(s) == q else '≈'} {s}"


def _pf(q: Fraction) -> str:
    """A fraction as a factor: ``2``, ``(-1)``, ``(2/9)``."""
    return _frac(q) if q.denominator == 1 and q >= 0 else f"({_frac(q)})"


def _v(a: Arr, digits: int = 6) -> str:
    """One coordinate → ``0.5``; several → ``(0.5, -1)``."""
    flat = np.ravel(a)
    return fmt(float(flat[0]), digits) if flat.size == 1 else fmt_vec(flat, digits)


def _p(a: Arr, digits: int = 6) -> str:
    s = _v(a, digits)
    return f"({s})" if s.startswith("-") else s


def _after(q: Fraction, shown: str) -> str:
    """How a line that just wrote q as ``shown`` (``2/5``, ``2/6``) goes on: `` = 0.4``, `` = 1/3 ≈ 0.333333``."""
    text = _exact(q)
    return " " + text[len(shown) + 1 :] if text.startswith(shown + " ") else " = " + text


def _answer(x: Arr) -> tuple[float | list[float], AnswerKind]:
    flat = [float(v) + 0.0 for v in np.ravel(x)]
    return (flat[0], AnswerKind.NUMBER) if len(flat) == 1 else (flat, AnswerKind.VECTOR)


# ---------------------------------------------------------------------------------------------
# optim.gd: f(x) = ½xᵀAx
# ---------------------------------------------------------------------------------------------


def _spd_matrix(rng: np.random.Generator) -> tuple[Arr, int, int, bool]:
    """A symmetric positive-definite 2×2 matrix with distinct integer eigenvalues λ_min < λ_max."""
    if rng.integers(3) == 0:
        lam = sorted(int(v) for v in rng.choice(np.arange(1, 11), size=2, replace=False))
        order = [0, 1] if rng.integers(2) else [1, 0]
        return np.diag([lam[order[0]], lam[order[1]]]).astype(np.int64), lam[0], lam[1], True
    m, lo, hi = symmetric_int_eigen(rng, lo=1, hi=10)
    return m, lo, hi, False


def _eigen_lines(m: Arr, diagonal: bool, lo: int, hi: int) -> Text:
    if diagonal:
        return Text(
            f"A is diagonal, so its eigenvalues are the diagonal entries: λ_min = {lo}, λ_max = {hi}.",
            f"A 是对角矩阵，特征值就是对角元：λ_min = {lo}，λ_max = {hi}。",
        )
    en, zh, _, _ = char_poly_lines(m)
    return Text(
        f"Eigenvalues of A: {en} So λ_min = {lo}, λ_max = {hi}.", f"A 的特征值：{zh}所以 λ_min = {lo}，λ_max = {hi}。"
    )


_GD_SETUP = Text(
    "∇f(x) = Ax, so a GD step is x ← x − η·Ax = (I − ηA)x. Along the eigenvector of eigenvalue λᵢ the error is "
    "multiplied by (1 − ηλᵢ) every step, so GD converges from every start iff |1 − ηλᵢ| < 1 for all i, i.e. "
    "0 < η < 2/λᵢ for all i.",
    "∇f(x) = Ax，所以一步梯度下降为 x ← x − η·Ax = (I − ηA)x。沿特征值 λᵢ 的特征向量方向，误差每步乘以 (1 − ηλᵢ)；"
    "从任意起点收敛当且仅当对所有 i 都有 |1 − ηλᵢ| < 1，即 0 < η < 2/λᵢ。",
)


def _quadratic_prompt(m: Arr) -> Text:
    return Text(
        f"f(x) = ½xᵀAx with\nA =\n{fmt_rows(m)}\nis minimised by gradient descent x ← x − η∇f(x) with a fixed "
        "learning rate η.",
        f"用固定学习率 η 的梯度下降 x ← x − η∇f(x) 最小化 f(x) = ½xᵀAx，其中\nA =\n{fmt_rows(m)}\n",
    )


@family(
    "gd_lr_bound",
    topic="optim.gd",
    title=Text("Largest stable learning rate for gradient descent", "梯度下降收敛的最大学习率"),
    difficulty=2,
)
def draw_gd_lr_bound(rng: np.random.Generator) -> Draft:
    """η_max = 2/λ_max for f(x) = ½xᵀAx: GD converges iff 0 < η < 2/λ_max (strict)."""
    m, lo, hi, diagonal = _spd_matrix(rng)
    bound = Fraction(2, hi)
    setup = _quadratic_prompt(m)
    prompt = Text(
        setup.en + " GD converges from every starting point exactly when 0 < η < η_max. What is η_max? "
        "Give a fraction or 4 decimals.",
        setup.zh + "当且仅当 0 < η < η_max 时梯度下降从任意起点都收敛。η_max 是多少？写分数或保留 4 位小数。",
    )
    eig = _eigen_lines(m, diagonal, lo, hi)
    value = float(bound)
    shown = fmt(value, 4)
    at_bound_en = (
        f"The tightest condition comes from λ_max: η < 2/λ_max = 2/{hi}{_after(bound, f'2/{hi}')}"
        + f". At η = {_frac(bound)} exactly, 1 − ηλ_max = −1: that component flips sign forever without shrinking, "
        "and for larger η it blows up; so the bound is strict. (The λ_min direction alone would allow η < "
        f"2/{lo}{_after(Fraction(2, lo), f'2/{lo}')}.)"
    )
    at_bound_zh = (
        f"最紧的条件来自 λ_max：η < 2/λ_max = 2/{hi}{_after(bound, f'2/{hi}')}"
        + f"。η 恰好等于 {_frac(bound)} 时 1 − ηλ_max = −1：该分量每步变号但不缩小，η 再大就发散；所以这个界是严格的。"
        f"（只看 λ_min 方向的话 η < 2/{lo}{_after(Fraction(2, lo), f'2/{lo}')} 就够了。）"
    )
    return Draft(
        params={"A": m.tolist()},
        prompt=prompt,
        answer=value,
        answer_kind=AnswerKind.NUMBER,
        solution=Text(
            f"{numbered_steps([_GD_SETUP.en, eig.en, at_bound_en])}\nAnswer: {shown}",
            f"{numbered_steps([_GD_SETUP.zh, eig.zh, at_bound_zh])}\n答案：{shown}",
        ),
        tolerance=decimals(4),
    )


@family(
    "gd_optimal_lr",
    topic="optim.gd",
    title=Text("Optimal fixed learning rate for gradient descent", "梯度下降的最优固定学习率"),
    difficulty=3,
)
def draw_gd_optimal_lr(rng: np.random.Generator) -> Draft:
    """η* = 2/(λ_min + λ_max) minimises the worst contraction max|1 − ηλᵢ| for f(x) = ½xᵀAx."""
    m, lo, hi, diagonal = _spd_matrix(rng)
    best = Fraction(2, lo + hi)
    rate = Fraction(hi - lo, hi + lo)
    setup = _quadratic_prompt(m)
    prompt = Text(
        setup.en + " Which η makes GD converge fastest (the smallest worst-case contraction factor per step)? "
        "Give a fraction or 4 decimals.",
        setup.zh + "η 取多少时梯度下降收敛最快（每步最坏情况的收缩因子最小）？写分数或保留 4 位小数。",
    )
    eig = _eigen_lines(m, diagonal, lo, hi)
    value = float(best)
    shown = fmt(value, 4)
    kappa = Fraction(hi, lo)
    rate_txt = f"{hi - lo}/{hi + lo}{_after(rate, f'{hi - lo}/{hi + lo}')}"
    en = [
        "The error contracts by ρ(η) = max(|1 − ηλ_min|, |1 − ηλ_max|) per step. Raising η helps the λ_min "
        "direction and hurts the λ_max one; the best η balances them: 1 − ηλ_min = −(1 − ηλ_max), so "
        "η* = 2/(λ_min + λ_max).",
        f"η* = 2/({lo} + {hi}){_after(best, '')}; then ρ = (λ_max − λ_min)/(λ_max + λ_min) = "
        f"{rate_txt} = (κ − 1)/(κ + 1) with condition number κ = λ_max/λ_min = {_frac(kappa)}. "
        "A badly conditioned A (large κ) converges slowly even at the best η.",
    ]
    zh = [
        "每步误差收缩因子 ρ(η) = max(|1 − ηλ_min|, |1 − ηλ_max|)。增大 η 对 λ_min 方向有利、对 λ_max 方向不利；"
        "最优 η 使两者平衡：1 − ηλ_min = −(1 − ηλ_max)，所以 η* = 2/(λ_min + λ_max)。",
        f"η* = 2/({lo} + {hi}){_after(best, '')}；此时 ρ = (λ_max − λ_min)/(λ_max + λ_min) = "
        f"{rate_txt} = (κ − 1)/(κ + 1)，条件数 κ = λ_max/λ_min = {_frac(kappa)}。"
        "A 的条件数越大（病态），即使取最优 η 收敛也越慢。",
    ]
    return Draft(
        params={"A": m.tolist()},
        prompt=prompt,
        answer=value,
        answer_kind=AnswerKind.NUMBER,
        solution=Text(
            f"{numbered_steps([_GD_SETUP.en, eig.en, *en])}\nAnswer: {shown}",
            f"{numbered_steps([_GD_SETUP.zh, eig.zh, *zh])}\n答案：{shown}",
        ),
        tolerance=decimals(4),
    )


@family(
    "gd_steps",
    topic="optim.gd",
    title=Text("Gradient descent steps by hand on a quadratic", "手算二次函数上的梯度下降"),
    difficulty=2,
)
def draw_gd_steps(rng: np.random.Generator) -> Draft:
    """1–3 GD steps on f(x) = ½ax² + bx or f(x) = ½xᵀAx + bᵀx (∇f = Ax + b)."""
    dim = pick(rng, [1, 1, 2])
    if dim == 1:
        a = np.array([[pick(rng, [1, 2, 3, 4])]], dtype=np.int64)
        steps = pick(rng, [1, 2, 3])
    else:
        a = np.diag(rng.integers(1, 5, size=2)) if rng.integers(2) else symmetric_int_eigen(rng, lo=1, hi=6)[0]
        steps = pick(rng, [1, 2])
    b = rng.integers(-4, 5, size=dim)
    x0 = rng.integers(-3, 4, size=dim)
    lr = pick(rng, [0.1, 0.25, 0.5, 0.1])
    x = x0.astype(np.float64)
    en: list[str] = []
    for i in range(steps):
        g = a @ x + b
        new_x, _ = ops.sgd_step(x, g, lr=lr)
        t = sub(i + 1)
        if dim == 1:
            b_term = f" + {fmt_factor(int(b[0]))}" if b[0] else ""  # no "+ 0"
            grad_txt = f"f′(x{sub(i)}) = {int(a[0, 0])}·{_p(x)}{b_term} = {_v(g)}"
        else:
            grad_txt = f"∇f(x{sub(i)}) = Ax{sub(i)} + b = {_v(a @ x)} + {fmt_vec(b)} = {_v(g)}"
        gsym = f"f′(x{sub(i)})" if dim == 1 else f"∇f(x{sub(i)})"
        en.append(f"{grad_txt}; x{t} = x{sub(i)} − η·{gsym} = {_p(x)} − {fmt(lr)}·{_p(g)} = {_v(new_x)}.")
        x = new_x
    answer, kind = _answer(x)
    digits = 4
    shown = _v(x, digits)
    b1 = int(b[0])
    b_txt = f" + {b1}" if b1 > 0 else f" − {-b1}" if b1 < 0 else ""
    if dim == 1:
        a1 = int(a[0, 0])
        # ½·a·x² written out: ½x², x², 1.5x², 2x² (never "½·2·x²")
        half_a = {1: "½", 2: "", 3: "1.5", 4: "2"}[a1]
        f_txt = f"f(x) = {half_a}x²{b_txt + 'x' if b1 else ''}".replace(" 1x", " x")
        grad_rule = f"f′(x) = {a1 if a1 != 1 else ''}x{b_txt}"
        where_en = where_zh = ""
    else:
        f_txt = "f(x) = ½xᵀAx + bᵀx"
        grad_rule = "∇f(x) = Ax + b (A is symmetric)"
        where_en = f" with\nA =\n{fmt_rows(a)}\nb = {fmt_vec(b)}"
        where_zh = f"，其中\nA =\n{fmt_rows(a)}\nb = {fmt_vec(b)}"
    n_en = "one step" if steps == 1 else f"{steps} steps"
    n_zh = f"{steps} 步"
    vec_en = f" {VECTOR_HINT.en}" if dim > 1 else ""
    vec_zh = VECTOR_HINT.zh if dim > 1 else ""
    prompt = Text(
        f"{f_txt}{where_en}. Starting from x₀ = {_v(x0)}, run {n_en} of gradient descent x ← x − η∇f(x) with "
        f"η = {fmt(lr)}. What is x after {'it' if steps == 1 else 'them'}? Give {digits} decimals if needed.{vec_en}",
        f"{f_txt}{where_zh}。从 x₀ = {_v(x0)} 出发，用学习率 η = {fmt(lr)} 做 {n_zh}梯度下降 x ← x − η∇f(x)。"
        f"之后 x 是多少？如有小数保留 {digits} 位。{vec_zh}",
    )
    zh = [line.replace("; ", "；").removesuffix(".") + "。" for line in en]
    return Draft(
        params={"A": a.tolist(), "b": b.tolist(), "x0": x0.tolist(), "lr": lr, "steps": steps},
        prompt=prompt,
        answer=answer,
        answer_kind=kind,
        solution=Text(
            f"{grad_rule}; each step x ← x − η·∇f(x).\n{numbered_steps(en)}\nAnswer: {shown}",
            f"{grad_rule}；每步 x ← x − η·∇f(x)。\n{numbered_steps(zh)}\n答案：{shown}",
        ),
        tolerance=decimals(digits),
    )


# ---------------------------------------------------------------------------------------------
# ml.linear
# ---------------------------------------------------------------------------------------------


@family(
    "linreg_gd_step",
    topic="ml.linear",
    title=Text("One gradient-descent step of linear regression", "线性回归的一步梯度下降"),
    difficulty=2,
)
def draw_linreg_gd_step(rng: np.random.Generator) -> Draft:
    """ŷ = wx + b on 2–3 points; one GD step on L = 1/(2n)·Σ(ŷ − y)² or on nn.MSELoss (1/n·Σ)."""
    n = pick(rng, [2, 3, 3])
    x = np.array(sorted(int(v) for v in rng.choice(np.arange(-2, 4), size=n, replace=False)), dtype=np.float64)
    y = rng.integers(-2, 6, size=n).astype(np.float64)
    w0, b0 = float(rng.integers(-2, 3)), float(rng.integers(-2, 3))
    loss = pick(rng, ["half", "mse"])
    lr = pick(rng, [0.1, 0.1, 0.05, 0.01])
    pred = w0 * x + b0
    r = pred - y
    k = 1 if loss == "half" else 2
    gw_q, gb_q = Fraction(k * int(r @ x), n), Fraction(k * int(r.sum()), n)
    gw, gb = float(gw_q), float(gb_q)
    new, _ = ops.sgd_step(np.array([w0, b0]), np.array([gw, gb]), lr=lr)
    digits = 4
    pts = ", ".join(f"({fmt(a)}, {fmt(c)})" for a, c in zip(x, y, strict=True))
    if loss == "half":
        l_txt = f"L = 1/(2n)·Σ(ŷᵢ − yᵢ)² with n = {n}"
        grad_en = "∂L/∂w = (1/n)·Σ(ŷᵢ − yᵢ)·xᵢ, ∂L/∂b = (1/n)·Σ(ŷᵢ − yᵢ) (the ½ cancels the 2 from the square)"
        grad_zh = "∂L/∂w = (1/n)·Σ(ŷᵢ − yᵢ)·xᵢ，∂L/∂b = (1/n)·Σ(ŷᵢ − yᵢ)（½ 与平方求导的 2 抵消）"
        coef = f"1/{n}"
    else:
        l_txt = f"L = nn.MSELoss()(ŷ, y) = (1/n)·Σ(ŷᵢ − yᵢ)² with n = {n}"
        grad_en = "∂L/∂w = (2/n)·Σ(ŷᵢ − yᵢ)·xᵢ, ∂L/∂b = (2/n)·Σ(ŷᵢ − yᵢ) (no ½, so the 2 stays)"
        grad_zh = "∂L/∂w = (2/n)·Σ(ŷᵢ − yᵢ)·xᵢ，∂L/∂b = (2/n)·Σ(ŷᵢ − yᵢ)（没有 ½，所以保留系数 2）"
        coef = f"2/{n}"
    l_txt_zh = l_txt.replace(" with n = ", "，n = ")
    preds = ", ".join(f"{fmt(w0)}·{fmt_factor(a)} + {fmt_factor(b0)} = {fmt(p)}" for a, p in zip(x, pred, strict=True))
    rs = ", ".join(fmt(v) for v in r)
    sum_rx = " + ".join(f"{fmt_factor(v)}·{fmt_factor(a)}" for v, a in zip(r, x, strict=True))
    sum_r = " + ".join(fmt_factor(v) for v in r)
    common = [
        f"ŷᵢ = w·xᵢ + b: {preds}.",
        f"ŷ − y = ({rs}).",
        f"∂L/∂w = ({coef})·({sum_rx}) = ({coef})·{fmt_factor(float(r @ x))} = {_exact(gw_q)}.",
        f"∂L/∂b = ({coef})·({sum_r}) = ({coef})·{fmt_factor(float(r.sum()))} = {_exact(gb_q)}.",
        f"w ← w − η·∂L/∂w = {fmt(w0)} − {fmt(lr)}·{_pf(gw_q)} = {fmt(new[0], 6)}; "
        f"b ← b − η·∂L/∂b = {fmt(b0)} − {fmt(lr)}·{_pf(gb_q)} = {fmt(new[1], 6)}.",
    ]
    prompt = Text(
        f"Linear regression ŷ = w·x + b on the data (x, y): {pts}. The loss is {l_txt}. Starting from "
        f"w = {fmt(w0)}, b = {fmt(b0)}, take one gradient-descent step with learning rate η = {fmt(lr)} "
        f"(torch.optim.SGD). Give (w, b) afterwards, to {digits} decimals. {VECTOR_HINT.en}",
        f"线性回归 ŷ = w·x + b，数据 (x, y) 为：{pts}。损失函数为 {l_txt_zh}。从 w = {fmt(w0)}，b = {fmt(b0)} "
        f"出发，用学习率 η = {fmt(lr)} 做一步梯度下降（torch.optim.SGD）。给出更新后的 (w, b)，保留 {digits} 位小数。"
        f"{VECTOR_HINT.zh}",
    )
    zh = [c.replace(": ", "：", 1).replace("; ", "；").removesuffix(".") + "。" for c in common]
    shown = fmt_vec(new, digits)
    return Draft(
        params={"x": x.tolist(), "y": y.tolist(), "w": w0, "b": b0, "lr": lr, "loss": loss},
        prompt=prompt,
        answer=[float(new[0]) + 0.0, float(new[1]) + 0.0],
        answer_kind=AnswerKind.VECTOR,
        solution=Text(
            f"{numbered_steps([grad_en + '.', *common])}\nAnswer: {shown}",
            f"{numbered_steps([grad_zh + '。', *zh])}\n答案：{shown}",
        ),
        tolerance=decimals(digits),
    )


# ---------------------------------------------------------------------------------------------
# train.generalization
# ---------------------------------------------------------------------------------------------


@family(
    "weight_decay_step",
    topic="train.generalization",
    title=Text("Weight decay as L2 regularisation: one SGD step", "权重衰减即 L2 正则：一步 SGD"),
    difficulty=2,
)
def draw_weight_decay_step(rng: np.random.Generator) -> Draft:
    """One GD step on L(w) + (λ/2)‖w‖² (= SGD(weight_decay=λ)) or on L(w) + λ‖w‖² (= weight_decay=2λ)."""
    n = pick(rng, [1, 2, 2, 3])
    w0 = np.array([pick(rng, [v for v in range(-5, 6) if v]) for _ in range(n)], dtype=np.float64)
    g = rng.integers(-3, 4, size=n).astype(np.float64)
    lr = pick(rng, [0.1, 0.1, 0.5, 0.01])
    lam = pick(rng, [0.1, 0.01, 0.5, 0.2])
    penalty = pick(rng, ["half", "half", "full"])
    decay = lam if penalty == "half" else 2 * lam
    new, _ = ops.sgd_step(w0, g, lr=lr, weight_decay=decay)
    shrink = 1 - lr * decay
    digits = 4
    pen_txt = "(λ/2)·‖w‖²" if penalty == "half" else "λ·‖w‖²"
    pen_grad = "λ·w" if penalty == "half" else "2λ·w"
    sgd = f"torch.optim.SGD(lr={fmt(lr)}, weight_decay={fmt(decay)})"
    what_en = "A weight" if n == 1 else "A weight vector"
    what_zh = "一个权重" if n == 1 else "一个权重向量"
    prompt = Text(
        f"{what_en} w = {_v(w0)} is trained on the regularised loss L(w) + {pen_txt} with λ = {fmt(lam)}. "
        f"The data loss alone has gradient ∇L(w) = {_v(g)} at this w. Take one gradient-descent step with "
        f"learning rate η = {fmt(lr)}. What is w afterwards? Give {digits} decimals if needed."
        + (f" {VECTOR_HINT.en}" if n > 1 else ""),
        f"{what_zh} w = {_v(w0)}，在带正则的损失 L(w) + {pen_txt} 上训练，λ = {fmt(lam)}。在此 w 处数据损失本身的梯度 "
        f"∇L(w) = {_v(g)}。用学习率 η = {fmt(lr)} 做一步梯度下降，之后 w 是多少？如有小数保留 {digits} 位。"
        + (VECTOR_HINT.zh if n > 1 else ""),
    )
    factor_rule = "(1 − ηλ)" if penalty == "half" else "(1 − 2ηλ)"
    en = [
        f"The penalty {pen_txt} has gradient {pen_grad}, so w ← w − η(∇L + {pen_grad}) = {factor_rule}·w − η·∇L: "
        'every step first shrinks the weights by a constant factor (hence "weight decay"), then takes the usual '
        f"step. This is exactly {sgd}"
        + (
            " (PyTorch's weight_decay is the λ of (λ/2)‖w‖²)."
            if penalty == "half"
            else ": with λ‖w‖² (no ½) the decay coefficient is 2λ."
        ),
        f"Factor: 1 − {fmt(lr)}·{fmt(decay)} = {fmt(shrink)}.",
        f"w ← {fmt(shrink)}·{_p(w0)} − {fmt(lr)}·{_p(g)} = {_p(shrink * w0)} − {_p(lr * g)} = {_v(new)}.",
    ]
    zh = [
        f"正则项 {pen_txt} 的梯度为 {pen_grad}，所以 w ← w − η(∇L + {pen_grad}) = {factor_rule}·w − η·∇L："
        f"每步先把权重按固定比例缩小（因此叫“权重衰减”），再做普通的梯度步。这与 {sgd} 完全相同"
        + (
            "（PyTorch 的 weight_decay 就是 (λ/2)‖w‖² 中的 λ）。"
            if penalty == "half"
            else "：写成 λ‖w‖²（没有 ½）时衰减系数是 2λ。"
        ),
        f"缩放因子：1 − {fmt(lr)}·{fmt(decay)} = {fmt(shrink)}。",
        f"w ← {fmt(shrink)}·{_p(w0)} − {fmt(lr)}·{_p(g)} = {_p(shrink * w0)} − {_p(lr * g)} = {_v(new)}。",
    ]
    answer, kind = _answer(new)
    shown = _v(new, digits)
    return Draft(
        params={"w": w0.tolist(), "grad": g.tolist(), "lr": lr, "lambda": lam, "penalty": penalty},
        prompt=prompt,
        answer=answer,
        answer_kind=kind,
        solution=Text(f"{numbered_steps(en)}\nAnswer: {shown}", f"{numbered_steps(zh)}\n答案：{shown}"),
        tolerance=decimals(digits),
    )


# ---------------------------------------------------------------------------------------------
# train.stability
# ---------------------------------------------------------------------------------------------


def _ln_text(k: int) -> str:
    """Pre-activation ±ln|k| as written: ``0``, ``ln 3``, ``−ln 2``."""
    if abs(k) == 1:
        return "0"
    return f"ln {k}" if k > 0 else f"−ln {-k}"


@family(
    "sigmoid_gradient_bound",
    topic="train.stability",
    title=Text("Vanishing gradients through sigmoid layers", "sigmoid 层中的梯度消失"),
    difficulty=2,
)
def draw_sigmoid_gradient_bound(rng: np.random.Generator) -> Draft:
    """σ′ ≤ 1/4: the bound 0.25ⁿ after n layers, the layers needed to fall below 10⁻ᵏ, or Π σ′(zᵢ)."""
    mode = pick(rng, ["bound", "layers", "product", "product"])
    basics_en = (
        "σ′(z) = σ(z)(1 − σ(z)) is largest at z = 0, where σ = 1/2 and σ′(0) = (1/2)·(1/2) = 0.25. Back-propagating "
        "through a sigmoid layer multiplies the gradient by w·σ′(z), so with |w| ≤ 1 each layer keeps at most a "
        "quarter of it: the gradient vanishes geometrically with depth."
    )
    basics_zh = (
        "σ′(z) = σ(z)(1 − σ(z)) 在 z = 0 处最大：σ = 1/2，σ′(0) = (1/2)·(1/2) = 0.25。反向传播经过一层 sigmoid 时"
        "梯度乘以 w·σ′(z)，所以当 |w| ≤ 1 时每层最多保留 1/4：梯度随深度按几何级数消失（梯度消失）。"
    )
    params: dict[str, Any] = {"mode": mode}
    if mode == "bound":
        n = int(rng.integers(2, 7))
        value_q = Fraction(1, 4**n)
        prompt = Text(
            f"A gradient is back-propagated through {n} sigmoid layers with weights of magnitude at most 1. "
            "At most what fraction of it survives, i.e. the largest possible value of the product of the "
            "layers' factors |w·σ′(z)|? Give the exact value (a power such as 0.25^3 or a fraction is fine).",
            f"梯度反向传播经过 {n} 层 sigmoid，各层权重的绝对值不超过 1。最多能保留多少比例，"
            "即各层因子 |w·σ′(z)| 之积的最大可能值是多少？给出精确值（可写成 0.25^3 这样的幂或分数）。",
        )
        tail_en = f"After {n} layers: at most 0.25{sup(n)} = 1/{4**n} = {fmt(float(value_q), 12)}."
        tail_zh = f"经过 {n} 层：最多 0.25{sup(n)} = 1/{4**n} = {fmt(float(value_q), 12)}。"
        params["layers"] = n
        tol = Tolerance(rel=1e-6, abs=0.0)
        shown = fmt(float(value_q), 12)
    elif mode == "layers":
        k = pick(rng, [2, 3, 4, 6])
        n = 1
        while Fraction(1, 4**n) >= Fraction(1, 10**k):
            n += 1
        prev = Fraction(1, 4 ** (n - 1))
        prompt = Text(
            f"Each sigmoid layer multiplies a back-propagated gradient by at most 0.25 (σ′ ≤ 1/4, weights |w| ≤ 1). "
            f"What is the smallest number of sigmoid layers after which this bound is below 10{sup(-k)}?",
            f"每经过一层 sigmoid，反向传播的梯度至多乘以 0.25（σ′ ≤ 1/4，权重 |w| ≤ 1）。至少经过多少层 sigmoid，"
            f"这个上界会小于 10{sup(-k)}？",
        )
        tail_en = (
            f"Need 0.25ⁿ < 10{sup(-k)}: 0.25{sup(n - 1)} = {fmt(float(prev), 14)} is not below it, "
            f"0.25{sup(n)} = {fmt(4.0**-n, 14)} is. (Equivalently n > {k}/log₁₀4 ≈ {fmt(k / math.log10(4), 3)}.)"
        )
        tail_zh = (
            f"需要 0.25ⁿ < 10{sup(-k)}：0.25{sup(n - 1)} = {fmt(float(prev), 14)} 还不够小，"
            f"0.25{sup(n)} = {fmt(4.0**-n, 14)} 满足。（等价地 n > {k}/log₁₀4 ≈ {fmt(k / math.log10(4), 3)}。）"
        )
        value_q = Fraction(n)
        params["below_exponent"] = -k
        tol = Tolerance.exact()
        shown = str(n)
    else:
        n = pick(rng, [2, 3, 3, 4])
        ks = [pick(rng, [1, 1, 2, -2, 3, -3, 4]) for _ in range(n)]
        factors = [Fraction(abs(k), (abs(k) + 1) ** 2) for k in ks]
        value_q = Fraction(1)
        for f in factors:
            value_q *= f
        zs = [0.0 if abs(k) == 1 else math.copysign(math.log(abs(k)), k) for k in ks]
        z_txt = ", ".join(f"z{sub(i + 1)} = {_ln_text(k)}" for i, k in enumerate(ks))
        prompt = Text(
            f"A chain of {n} sigmoid units with unit weights: aᵢ = σ(zᵢ), and z_(i+1) = 1·aᵢ + b_(i+1). In one forward "
            f"pass the pre-activations are {z_txt}. By how much does the chain scale a gradient, ∂a{sub(n)}/∂z₁? "
            "Give a fraction or 4 significant figures.",
            f"{n} 个 sigmoid 单元串联，权重均为 1：aᵢ = σ(zᵢ)，z_(i+1) = 1·aᵢ + b_(i+1)。某次前向传播中预激活为 "
            f"{z_txt}。这条链把梯度缩放多少倍，即 ∂a{sub(n)}/∂z₁ 是多少？写分数或保留 4 位有效数字。",
        )
        rows_en, rows_zh = [], []
        for i, (k, f) in enumerate(zip(ks, factors, strict=True)):
            m = abs(k)
            s = Fraction(m, m + 1) if k > 0 else Fraction(1, m + 1)
            rows_en.append(f"σ(z{sub(i + 1)}) = σ({_ln_text(k)}) = {_frac(s)}, σ′ = {_pf(s)}·{_pf(1 - s)} = {_frac(f)}")
            rows_zh.append(rows_en[-1].replace(", ", "，"))
        prod = "·".join(_pf(f) for f in factors)
        approx = fmt(float(value_q), 6)
        rule_en = "σ(ln k) = k/(k + 1) and σ(−ln k) = 1/(k + 1), so σ′(±ln k) = k/(k + 1)²."
        rule_zh = "σ(ln k) = k/(k + 1)，σ(−ln k) = 1/(k + 1)，所以 σ′(±ln k) = k/(k + 1)²。"
        tail_en = (
            f"{rule_en}\n" + ";\n".join(rows_en) + f".\nChain rule with unit weights: ∂a{sub(n)}/∂z₁ = Π σ′(zᵢ) = "
            f"{prod} = {_exact(value_q)} (the bound is 0.25{sup(n)} = {fmt(4.0**-n, 12)})."
        )
        tail_zh = (
            f"{rule_zh}\n" + "；\n".join(rows_zh) + f"。\n权重为 1 时由链式法则：∂a{sub(n)}/∂z₁ = Π σ′(zᵢ) = "
            f"{prod} = {_exact(value_q)}（上界为 0.25{sup(n)} = {fmt(4.0**-n, 12)}）。"
        )
        params["pre_activations"] = zs
        tol = Tolerance(rel=5e-4, abs=0.0)
        shown = approx
    return Draft(
        params=params,
        prompt=prompt,
        answer=float(value_q) if mode != "layers" else int(value_q),
        answer_kind=AnswerKind.NUMBER,
        solution=Text(
            f"{numbered_steps([basics_en, *tail_en.splitlines()])}\nAnswer: {shown}",
            f"{numbered_steps([basics_zh, *tail_zh.splitlines()])}\n答案：{shown}",
        ),
        tolerance=tol,
    )


# (n_in + n_out) values for each question: 2/s, or √(6/s), comes out clean.
_XAVIER_VAR_SUMS = [40, 50, 100, 200, 400, 1000]
_XAVIER_BOUND_SUMS = [24, 96, 150, 384, 600]  # √(6/s) = 1/2, 1/4, 1/5, 1/8, 1/10
_KAIMING_VAR_FANS = [50, 64, 100, 128, 200, 256, 500, 512]
_KAIMING_STD_FANS = [8, 32, 50, 128, 200, 512, 800]  # √(2/n) = 1/2, 1/4, 1/5, 1/8, 1/10, 1/16, 1/20


@family(
    "init_variance",
    topic="train.stability",
    title=Text("Xavier and Kaiming initialisation scales", "Xavier 与 Kaiming 初始化的尺度"),
    difficulty=2,
)
def draw_init_variance(rng: np.random.Generator) -> Draft:
    """Xavier/Glorot variance 2/(n_in + n_out) or uniform bound √(6/(n_in + n_out)); Kaiming/He 2/n_in or √."""
    mode = pick(rng, ["xavier_var", "xavier_bound", "kaiming_var", "kaiming_std"])
    if mode.startswith("xavier"):
        total = pick(rng, _XAVIER_VAR_SUMS if mode == "xavier_var" else _XAVIER_BOUND_SUMS)
        n_in = int(rng.integers(total // 5, total - total // 5 + 1))
        n_out = total - n_in
    else:
        n_in = pick(rng, _KAIMING_VAR_FANS if mode == "kaiming_var" else _KAIMING_STD_FANS)
        n_out = pick(rng, [10, 32, 64, 100, 128, 256])
    layer = f"nn.Linear({n_in}, {n_out})"
    shape = f"({n_out}, {n_in})"
    fans_en = f"{layer} stores its weight as {shape} (out × in), so fan_in = {n_in} and fan_out = {n_out}."
    fans_zh = f"{layer} 的权重形状为 {shape}（输出 × 输入），所以 fan_in = {n_in}，fan_out = {n_out}。"
    if mode == "xavier_var":
        q = Fraction(2, n_in + n_out)
        ask_en, ask_zh = (
            "the variance of its weights under Xavier (Glorot) initialisation",
            "Xavier（Glorot）初始化下权重的方差",
        )
        work = f"Var(W) = 2/(fan_in + fan_out) = 2/({n_in} + {n_out}) = 2/{n_in + n_out} = {_exact(q, 8)}"
        value = float(q)
    elif mode == "xavier_bound":
        q = Fraction(6, n_in + n_out)
        ask_en = "the bound a of nn.init.xavier_uniform_, which draws weights from U(−a, a)"
        ask_zh = "nn.init.xavier_uniform_ 的边界 a（权重从 U(−a, a) 中采样）"
        value = math.sqrt(float(q))
        root = f"a = √(6/(fan_in + fan_out)) = √(6/{n_in + n_out}) = √({_frac(q)}) = {fmt(value)}"
        work = f"U(−a, a) has variance a²/3; setting it to 2/(fan_in + fan_out) gives {root}"
        work_zh = f"U(−a, a) 的方差为 a²/3；令其等于 2/(fan_in + fan_out)，得 {root}"
    elif mode == "kaiming_var":
        q = Fraction(2, n_in)
        ask_en = "the variance of its weights under Kaiming (He) initialisation for ReLU (nn.init.kaiming_normal_)"
        ask_zh = "针对 ReLU 的 Kaiming（He）初始化（nn.init.kaiming_normal_）下权重的方差"
        work = f"Var(W) = 2/fan_in = 2/{n_in} = {_exact(q, 8)}"
        value = float(q)
    else:
        q = Fraction(2, n_in)
        ask_en = "the standard deviation of nn.init.kaiming_normal_ (Kaiming/He, ReLU, fan_in mode)"
        ask_zh = "nn.init.kaiming_normal_（Kaiming/He，ReLU，fan_in 模式）的标准差"
        value = math.sqrt(float(q))
        work = f"std = √(2/fan_in) = √(2/{n_in}) = √({_frac(q)}) = {fmt(value)}"
    if mode != "xavier_bound":
        work_zh = work
    why_en = (
        "Xavier keeps the variance of activations and of gradients about constant through layers with "
        "tanh/sigmoid-like (roughly linear near 0) activations by averaging the two fans."
        if mode.startswith("xavier")
        else "ReLU zeroes half of its inputs and so halves the signal's second moment; He initialisation "
        "compensates with Var = 2/fan_in instead of the 1/fan_in that keeps a linear layer's variance constant."
    )
    why_zh = (
        "Xavier 取两个 fan 的平均，使激活和梯度的方差在 tanh/sigmoid 一类（在 0 附近近似线性）的层间大致不变。"
        if mode.startswith("xavier")
        else "ReLU 把一半输入置零，信号的二阶矩减半；He 初始化因此用 Var = 2/fan_in，"
        "而不是线性层保持方差不变所需的 1/fan_in。"
    )
    shown = fmt(value, 8)
    prompt = Text(
        f"A layer {layer}. What is {ask_en}? Give the exact value or 4 significant figures.",
        f"一个 {layer} 层。{ask_zh}是多少？给出精确值或保留 4 位有效数字。",
    )
    return Draft(
        params={"mode": mode, "n_in": n_in, "n_out": n_out},
        prompt=prompt,
        answer=value,
        answer_kind=AnswerKind.NUMBER,
        solution=Text(
            f"{numbered_steps([fans_en, why_en, work + '.'])}\nAnswer: {shown}",
            f"{numbered_steps([fans_zh, why_zh, work_zh + '。'])}\n答案：{shown}",
        ),
        tolerance=Tolerance(rel=5e-4, abs=0.0),
    )


# ---------------------------------------------------------------------------------------------
# Named mistakes and PyTorch snippets
# ---------------------------------------------------------------------------------------------


def _eig(q: Params) -> tuple[float, float]:
    lam = np.linalg.eigvalsh(np.asarray(q["A"], dtype=np.float64))
    return float(lam[0]), float(lam[-1])


@mistake(
    "gd_lr_bound",
    "smallest-eigenvalue",
    step=3,
    text=Text(
        "You bounded η by the smallest eigenvalue; the largest one, λ_max, sets the tightest limit 2/λ_max.",
        "你用最小特征值定了上界；最紧的限制来自最大特征值：η < 2/λ_max。",
    ),
)
def _lr_bound_min(q: Params) -> Answer:
    return 2 / _eig(q)[0]


@mistake(
    "gd_lr_bound",
    "one-over-lambda",
    step=3,
    text=Text(
        "You gave 1/λ_max; the iteration factor 1 − ηλ stays inside (−1, 1) up to η = 2/λ_max.",
        "你给出的是 1/λ_max；迭代因子 1 − ηλ 在 η < 2/λ_max 时都在 (−1, 1) 内。",
    ),
)
def _lr_bound_one(q: Params) -> Answer:
    return 1 / _eig(q)[1]


def _quadratic_snippet(q: Params, body: str) -> str:
    return f"import torch\n\nA = torch.tensor({q['A']}, dtype=torch.float64)\nlam = torch.linalg.eigvalsh(A)\n{body}"


@torch_snippet("gd_lr_bound")
def _lr_bound_torch(q: Params) -> str:
    return _quadratic_snippet(q, "print((2 / lam.max()).item())  # GD on ½xᵀAx converges iff η < 2/λ_max\n")


@mistake(
    "gd_optimal_lr",
    "inverse-largest",
    step=3,
    text=Text(
        "You gave 1/λ_max; the best η balances both ends of the spectrum: η* = 2/(λ_min + λ_max).",
        "你给出的是 1/λ_max；最优 η 要兼顾谱的两端：η* = 2/(λ_min + λ_max)。",
    ),
)
def _opt_lr_inverse(q: Params) -> Answer:
    return 1 / _eig(q)[1]


@mistake(
    "gd_optimal_lr",
    "stability-bound",
    step=3,
    text=Text(
        "You gave the stability bound 2/λ_max; at that η the λ_max direction does not shrink at all.",
        "你给出的是稳定性上界 2/λ_max；在这个 η 下 λ_max 方向根本不收缩。",
    ),
)
def _opt_lr_bound(q: Params) -> Answer:
    return 2 / _eig(q)[1]


@torch_snippet("gd_optimal_lr")
def _opt_lr_torch(q: Params) -> str:
    return _quadratic_snippet(q, "print((2 / (lam.min() + lam.max())).item())\n")


def _gd_run(q: Params, *, with_b: bool = True, sign: float = -1.0) -> Answer:
    a = np.asarray(q["A"], dtype=np.float64)
    b = np.asarray(q["b"], dtype=np.float64)
    x = np.asarray(q["x0"], dtype=np.float64)
    for _ in range(q["steps"]):
        x = x + sign * q["lr"] * (a @ x + (b if with_b else 0.0))
    return _answer(x)[0]


@mistake(
    "gd_steps",
    "forgot-b",
    step=1,
    text=Text(
        "You took ∇f = Ax and left out b: ∇(½xᵀAx + bᵀx) = Ax + b.",
        "你把 ∇f 算成了 Ax，漏了 b：∇(½xᵀAx + bᵀx) = Ax + b。",
    ),
)
def _gd_no_b(q: Params) -> Answer:
    return _gd_run(q, with_b=False)


@mistake(
    "gd_steps",
    "ascent",
    step=1,
    text=Text(
        "You added η·∇f; gradient descent subtracts it: x ← x − η·∇f(x).",
        "你加上了 η·∇f；梯度下降是减去它：x ← x − η·∇f(x)。",
    ),
)
def _gd_ascent(q: Params) -> Answer:
    return _gd_run(q, sign=1.0)


@torch_snippet("gd_steps")
def _gd_torch(q: Params) -> str:
    return (
        "import torch\n\n"
        f"A = torch.tensor({q['A']}, dtype=torch.float64)\n"
        f"b = torch.tensor({q['b']}, dtype=torch.float64)\n"
        f"x = torch.tensor({q['x0']}, dtype=torch.float64, requires_grad=True)\n"
        f"opt = torch.optim.SGD([x], lr={q['lr']})\n"
        f"for _ in range({q['steps']}):\n"
        "    opt.zero_grad()\n"
        "    (0.5 * x @ A @ x + b @ x).backward()\n"
        "    opt.step()\n"
        "print(x.tolist() if x.numel() > 1 else x.item())\n"
    )


def _linreg(q: Params, *, factor_flip: bool = False, summed: bool = False) -> Answer:
    x, y = np.asarray(q["x"], dtype=np.float64), np.asarray(q["y"], dtype=np.float64)
    w, b = float(q["w"]), float(q["b"])
    r = w * x + b - y
    scale = 1.0 if q["loss"] == "half" else 2.0
    if factor_flip:
        scale = 3.0 - scale  # 1 ↔ 2
    n = 1.0 if summed else float(len(x))
    gw, gb = scale * float(r @ x) / n, scale * float(r.sum()) / n
    return [w - q["lr"] * gw + 0.0, b - q["lr"] * gb + 0.0]


@mistake(
    "linreg_gd_step",
    "summed",
    step=1,
    text=Text("You summed over the examples without the 1/n of the mean.", "你对样本求和，漏掉了取平均的 1/n。"),
)
def _linreg_sum(q: Params) -> Answer:
    return _linreg(q, summed=True)


@mistake(
    "linreg_gd_step",
    "factor-two",
    step=1,
    text=Text(
        "You got the factor 2 wrong: ½·mean((ŷ − y)²) has gradient mean((ŷ − y)·x); mean((ŷ − y)²) has twice that.",
        "系数 2 弄错了：½·mean((ŷ − y)²) 的梯度是 mean((ŷ − y)·x)；mean((ŷ − y)²) 的梯度是它的两倍。",
    ),
)
def _linreg_factor(q: Params) -> Answer:
    return _linreg(q, factor_flip=True)


@torch_snippet("linreg_gd_step")
def _linreg_torch(q: Params) -> str:
    half = "0.5 * " if q["loss"] == "half" else ""
    return (
        "import torch\n\n"
        f"x = torch.tensor({q['x']}, dtype=torch.float64)\n"
        f"y = torch.tensor({q['y']}, dtype=torch.float64)\n"
        f"w = torch.tensor({float(q['w'])}, dtype=torch.float64, requires_grad=True)\n"
        f"b = torch.tensor({float(q['b'])}, dtype=torch.float64, requires_grad=True)\n"
        f"opt = torch.optim.SGD([w, b], lr={q['lr']})\n"
        f"({half}((w * x + b - y) ** 2).mean()).backward()\n"
        "opt.step()\n"
        "print([w.item(), b.item()])\n"
    )


def _decay(q: Params, lam_grad: float) -> Answer:
    w, g = np.asarray(q["w"], dtype=np.float64), np.asarray(q["grad"], dtype=np.float64)
    return _answer(w - q["lr"] * (g + lam_grad * w))[0]


@mistake(
    "weight_decay_step",
    "no-decay",
    step=1,
    text=Text("You left out the penalty's gradient λ·w (or 2λ·w).", "你漏掉了惩罚项的梯度 λ·w（或 2λ·w）。"),
)
def _decay_none(q: Params) -> Answer:
    return _decay(q, 0.0)


@mistake(
    "weight_decay_step",
    "penalty-factor",
    step=1,
    text=Text(
        "You got the penalty's factor wrong: (λ/2)‖w‖² has gradient λ·w, λ‖w‖² has gradient 2λ·w.",
        "惩罚项的系数弄错了：(λ/2)‖w‖² 的梯度是 λ·w，λ‖w‖² 的梯度是 2λ·w。",
    ),
)
def _decay_factor(q: Params) -> Answer:
    return _decay(q, 2 * q["lambda"] if q["penalty"] == "half" else q["lambda"])


@torch_snippet("weight_decay_step")
def _decay_torch(q: Params) -> str:
    wd = q["lambda"] if q["penalty"] == "half" else 2 * q["lambda"]
    return (
        "import torch\n\n"
        f"w = torch.tensor({q['w']}, dtype=torch.float64, requires_grad=True)\n"
        f"opt = torch.optim.SGD([w], lr={q['lr']}, weight_decay={wd})  # weight_decay is the λ of (λ/2)‖w‖²\n"
        f"w.grad = torch.tensor({q['grad']}, dtype=torch.float64)  # ∇L without the penalty\n"
        "opt.step()\n"
        "print(w.tolist() if w.numel() > 1 else w.item())\n"
    )


def _sigmoid_bound(q: Params, peak: float, use_sigma: bool = False) -> Answer:
    mode = q["mode"]
    if mode == "bound":
        return float(peak ** q["layers"])
    if mode == "layers":
        n = 1
        while peak**n >= 10.0 ** q["below_exponent"]:
            n += 1
        return n
    out = 1.0
    for z in q["pre_activations"]:
        s = 1 / (1 + math.exp(-z))
        out *= s if use_sigma else s * (1 - s) * (peak / 0.25)
    return out


@mistake(
    "sigmoid_gradient_bound",
    "sigma-not-derivative",
    step=1,
    text=Text(
        "You used σ(z) (½ at 0) where the chain rule needs σ′(z) = σ(z)(1 − σ(z)) (¼ at 0).",
        "你用了 σ(z)（在 0 处为 ½），链式法则需要的是 σ′(z) = σ(z)(1 − σ(z))（在 0 处为 ¼）。",
    ),
)
def _sig_bound_sigma(q: Params) -> Answer:
    return _sigmoid_bound(q, 0.5, use_sigma=True)


@mistake(
    "sigmoid_gradient_bound",
    "one-minus-sigma-only",
    step=1,
    text=Text(
        "You took σ′ as 1 − σ(z) and dropped the σ(z) factor.",
        "你把 σ′ 当成了 1 − σ(z)，漏乘了 σ(z)。",
    ),
)
def _sig_bound_one_minus(q: Params) -> Answer:
    if q["mode"] != "product":
        return _sigmoid_bound(q, 0.5)
    out = 1.0
    for z in q["pre_activations"]:
        out *= 1 - 1 / (1 + math.exp(-z))
    return out


@torch_snippet("sigmoid_gradient_bound")
def _sig_bound_torch(q: Params) -> str:
    if q["mode"] == "product":
        return (
            "import torch\n\n"
            f"z = torch.tensor({q['pre_activations']}, dtype=torch.float64, requires_grad=True)\n"
            "# unit weights: a_n = σ(z_n), each z_{i+1} = a_i + const, so ∂a_n/∂z_1 = Π σ′(z_i)\n"
            "print(torch.prod(torch.sigmoid(z) * (1 - torch.sigmoid(z))).item())\n"
        )
    head = (
        "import torch\n\n"
        "z = torch.zeros((), dtype=torch.float64, requires_grad=True)\n"
        "torch.sigmoid(z).backward()\n"
        "peak = z.grad.item()  # σ′(0), the largest σ′ can be\n"
    )
    if q["mode"] == "bound":
        return head + f"print(peak ** {q['layers']})\n"
    return head + f"n = 1\nwhile peak ** n >= 1e{q['below_exponent']}:\n    n += 1\nprint(n)\n"


def _init(q: Params, *, swap_var_std: bool = False, half_factor: bool = False) -> Answer:
    mode, n_in, n_out = q["mode"], q["n_in"], q["n_out"]
    num = {"xavier_var": 2.0, "xavier_bound": 6.0, "kaiming_var": 2.0, "kaiming_std": 2.0}[mode]
    if half_factor:
        num /= 2
    var = num / (n_in + n_out) if mode.startswith("xavier") else num / n_in
    root = mode in ("xavier_bound", "kaiming_std")
    if swap_var_std:
        root = not root
    return math.sqrt(var) if root else var


@mistake(
    "init_variance",
    "variance-vs-std",
    step=3,
    text=Text(
        "You mixed up the variance and its square root (the std, or the uniform bound).",
        "你把方差和它的平方根（标准差或均匀分布的边界）弄混了。",
    ),
)
def _init_swap(q: Params) -> Answer:
    return _init(q, swap_var_std=True)


@mistake(
    "init_variance",
    "halved-numerator",
    step=3,
    text=Text(
        "You used 1/fan_in (or 3/(fan_in + fan_out) for the bound): He uses 2/fan_in, Xavier 2/(fan_in + fan_out) "
        "and a uniform bound √(6/(fan_in + fan_out)).",
        "你用了 1/fan_in（或边界用 3/(fan_in + fan_out)）：He 初始化是 2/fan_in，Xavier 是 2/(fan_in + fan_out)，"
        "均匀分布边界是 √(6/(fan_in + fan_out))。",
    ),
)
def _init_half(q: Params) -> Answer:
    return _init(q, half_factor=True)


@torch_snippet("init_variance")
def _init_torch(q: Params) -> str:
    mode, n_in, n_out = q["mode"], q["n_in"], q["n_out"]
    head = (
        "import math\nimport torch\nfrom torch import nn\n\n"
        f"w = torch.empty({n_out}, {n_in})  # nn.Linear({n_in}, {n_out}).weight\n"
        "fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(w)\n"
    )
    if mode.startswith("xavier"):
        body = "var = nn.init.calculate_gain('linear') ** 2 * 2 / (fan_in + fan_out)  # xavier_normal_'s variance\n"
        last = "print(math.sqrt(3 * var))  # xavier_uniform_'s bound\n" if mode == "xavier_bound" else "print(var)\n"
    else:
        body = "std = nn.init.calculate_gain('relu') / math.sqrt(fan_in)  # kaiming_normal_'s std\n"
        last = "print(std)\n" if mode == "kaiming_std" else "print(std ** 2)\n"
    return head + body + last


# ---------------------------------------------------------------------------------------------
# Levels: 1 the plain cases, 2 today's mix (the default), 3 the cases with the most to compute
# ---------------------------------------------------------------------------------------------

three_levels("gd_lr_bound", lambda q: 2 * (q["A"][0][1] != 0) + (abs(q["A"][0][1]) > 1))
three_levels("gd_optimal_lr", lambda q: 2 * (q["A"][0][1] != 0) + (abs(q["A"][0][1]) > 1))
three_levels("gd_steps", lambda q: q["steps"] + 2 * (len(q["x0"]) == 2), easy_max=1, hard_min=4)
three_levels("linreg_gd_step", lambda q: len(q["x"]) + (q["loss"] == "mse"), easy_max=2, hard_min=4)
three_levels("weight_decay_step", lambda q: len(q["w"]) + (q["penalty"] == "full"), easy_max=1, hard_min=3)
three_levels("sigmoid_gradient_bound", lambda q: {"bound": 0, "layers": 1, "product": 2}[q["mode"]])
three_levels(
    "init_variance",
    lambda q: {"xavier_var": 0, "kaiming_var": 0, "kaiming_std": 1, "xavier_bound": 2}[q["mode"]],
)


typeset_minus_signs(__name__)
