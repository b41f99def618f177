"""Optimiser families: one or two ``optimizer.step()`` calls of each ``torch.optim`` algorithm by hand.

Every family gives the starting weights, the gradient seen at each step (what ``backward()`` would leave
in ``.grad``) and the hyper-parameters, and asks for the weights afterwards. Updates are computed with
the pure-function optimisers of :mod:`quizforge.numeric.ops`, which follow ``torch.optim`` exactly (first
momentum buffer = the gradient, ε outside the root in Adam/RMSprop/Adagrad and inside in Adadelta, ...);
the oracles in :mod:`quizforge.numeric.oracles.optimizers` run real ``torch.optim`` objects.

With one weight the answer is a number, with two a vector; the params always hold lists. The worked
solution states the update rule, then numbers one line per optimiser step ("1. …", "2. …"), so a named
mistake's "step N of the solution" is optimiser step N: the first step whose arithmetic the slip changes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
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
from quizforge.numeric.families.nn import (
    VECTOR_HINT,
    decimals,
    fmt,
    fmt_factor,
    fmt_fixed,
    fmt_vec,
    fmt_vec_fixed,
    pick,
    sub,
    sup,
)
from quizforge.text import Text

Arr = np.ndarray[Any, Any]


def _v(a: Arr | Sequence[float], digits: int = 6) -> str:
    """A weight-shaped value: ``0.5`` for one weight, ``(0.5, -1)`` for two."""
    flat = np.ravel(a)
    return fmt(float(flat[0]), digits) if flat.size == 1 else fmt_vec(flat, digits)


def _p(a: Arr | Sequence[float], digits: int = 6) -> str:
    """Like :func:`_v`, for an operand: a negative single number goes in parentheses, ``(-1.5)``."""
    s = _v(a, digits)
    return f"({s})" if s.startswith("-") else s


def _answer(w: Arr) -> tuple[float | list[float], AnswerKind]:
    flat = [float(v) + 0.0 for v in np.ravel(w)]
    return (flat[0], AnswerKind.NUMBER) if len(flat) == 1 else (flat, AnswerKind.VECTOR)


def _setup(w0: Arr, grads: list[Arr], optimizer: str) -> Text:
    """The common first part of every prompt: weights, gradients and the torch.optim call."""
    n = w0.size
    steps = len(grads)
    g_txt = "; ".join(f"g{sub(i + 1)} = {_v(g)}" for i, g in enumerate(grads))
    what_en = "A weight" if n == 1 else "A weight vector"
    what_zh = "一个权重" if n == 1 else "一个权重向量"
    step_en = "one step" if steps == 1 else f"{steps} steps"
    step_zh = "1 步" if steps == 1 else f"{steps} 步"
    grads_en = f"The gradient ∂L/∂w is {g_txt}" if steps == 1 else f"The gradients ∂L/∂w at the steps are {g_txt}"
    return Text(
        f"{what_en} starts at w₀ = {_v(w0)} and is trained with {optimizer} for {step_en}. {grads_en}.",
        f"{what_zh}初始值 w₀ = {_v(w0)}，用 {optimizer} 训练 {step_zh}。各步的梯度 ∂L/∂w 为 {g_txt}。",
    )


def _ask(n: int, steps: int, digits: int | None) -> Text:
    after_en = "after this step" if steps == 1 else f"after the {steps} steps"
    after_zh = "这一步之后" if steps == 1 else f"这 {steps} 步之后"
    rnd_en = f" Give it to {digits} decimals." if digits else ""
    rnd_zh = f"，保留 {digits} 位小数" if digits else ""
    vec_en = f" {VECTOR_HINT.en}" if n > 1 else ""
    vec_zh = VECTOR_HINT.zh if n > 1 else ""
    return Text(f" What is w {after_en}?{rnd_en}{vec_en}", f"求{after_zh}的 w{rnd_zh}。{vec_zh}")


def _ints(rng: np.random.Generator, n: int, lo: int, hi: int, nonzero: bool = True) -> Arr:
    """n integers in [lo, hi], none zero when ``nonzero``."""
    choices = [v for v in range(lo, hi + 1) if v != 0 or not nonzero]
    return np.array([pick(rng, choices) for _ in range(n)], dtype=np.float64)


def _draft(
    params: dict[str, Any],
    setup: Text,
    question: Text,
    lines: tuple[list[str], list[str]],
    intro: Text,
    w: Arr,
    digits: int | None,
) -> Draft:
    answer, kind = _answer(w)
    # the answer to exactly the decimals the question asks for: (−2.1400, …), not (−2.14, …)
    flat = np.ravel(w)
    if digits:
        shown = fmt_fixed(float(flat[0]), digits) if flat.size == 1 else fmt_vec_fixed(flat, digits)
    else:
        shown = _v(w, 6)
    en, zh = lines
    return Draft(
        params=params,
        prompt=Text(setup.en + question.en, setup.zh + question.zh),
        answer=answer,
        answer_kind=kind,
        solution=Text(
            f"{intro.en}\n{numbered_steps(en)}\nAnswer: w = {shown}",
            f"{intro.zh}\n{numbered_steps(zh)}\n答案：w = {shown}",
        ),
        tolerance=decimals(digits) if digits else Tolerance(),
    )


def numbered_steps(lines: Sequence[str]) -> str:
    """Worked lines as steps ``1. …``, ``2. …``, even a single one (a mistake's "step 1" needs a line 1).

    The optimiser solutions give one line per optimiser step, so solution step N is optimiser step N.
    """
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))


def _zh(line: str) -> str:
    """The Chinese twin of a formula-only solution line: punctuation."""
    line = line.replace("; ", "；")
    return line.removesuffix(".") + "。" if line.endswith(".") else line


# ---------------------------------------------------------------------------------------------
# SGD family
# ---------------------------------------------------------------------------------------------


def _sgd_lines(
    w0: Arr, grads: list[Arr], lr: float, momentum: float, weight_decay: float, nesterov: bool
) -> tuple[list[str], Arr]:
    """Worked lines for torch.optim.SGD, step by step, and the final weights."""
    lines: list[str] = []
    w, state = w0, None
    prev_buf = np.zeros_like(w0)
    for i, g in enumerate(grads):
        t = sub(i + 1)
        parts: list[str] = []
        if weight_decay:
            gd = g + weight_decay * w
            parts.append(f"g′ = g{t} + λ·w = {_p(g)} + {fmt(weight_decay)}·{_p(w)} = {_v(gd)};")
            gname = "g′"
        else:
            gd = g
            gname = f"g{t}"
        new_w, state = ops.sgd_step(w, g, state, lr=lr, momentum=momentum, weight_decay=weight_decay, nesterov=nesterov)
        buf = state.momentum_buffer
        if momentum:
            assert buf is not None
            if i == 0:
                parts.append(f"b{t} = {gname} = {_v(buf)} (the first buffer is the gradient itself);")
            else:
                parts.append(f"b{t} = μ·b{sub(i)} + {gname} = {fmt(momentum)}·{_p(prev_buf)} + {_p(gd)} = {_v(buf)};")
            if nesterov:
                d = gd + momentum * buf
                parts.append(f"d = {gname} + μ·b{t} = {_p(gd)} + {fmt(momentum)}·{_p(buf)} = {_v(d)};")
                parts.append(f"w{t} = w{sub(i)} − lr·d = {_p(w)} − {fmt(lr)}·{_p(d)} = {_v(new_w)}.")
            else:
                parts.append(f"w{t} = w{sub(i)} − lr·b{t} = {_p(w)} − {fmt(lr)}·{_p(buf)} = {_v(new_w)}.")
            prev_buf = buf
        else:
            parts.append(f"w{t} = w{sub(i)} − lr·{gname} = {_p(w)} − {fmt(lr)}·{_p(gd)} = {_v(new_w)}.")
        lines.append(" ".join(parts))
        w = new_w
    return lines, w


def _sgd_zh(line: str) -> str:
    return _zh(line.replace(" (the first buffer is the gradient itself)", "（第一步的缓冲就是梯度本身）"))


def _steps(rng: np.random.Generator, n: int, count: int, lo: int = -3, hi: int = 3) -> list[Arr]:
    return [_ints(rng, n, lo, hi) for _ in range(count)]


@family(
    "sgd_momentum_step",
    topic="optim.algorithms",
    title=Text("SGD with momentum by hand", "手算带动量的 SGD"),
    difficulty=2,
)
def draw_sgd_momentum_step(rng: np.random.Generator) -> Draft:
    """torch.optim.SGD(lr, momentum) for 2–3 steps: b₁ = g₁, then b ← μ·b + g; w ← w − lr·b."""
    n = pick(rng, [1, 2])
    w0 = _ints(rng, n, -3, 3, nonzero=False)
    grads = _steps(rng, n, pick(rng, [2, 2, 3]))
    lr = pick(rng, [0.1, 0.1, 0.5, 0.01])
    momentum = pick(rng, [0.9, 0.9, 0.5])
    lines, w = _sgd_lines(w0, grads, lr, momentum, 0.0, nesterov=False)
    opt = f"torch.optim.SGD(lr={fmt(lr)}, momentum={fmt(momentum)})"
    intro = Text(
        "torch.optim.SGD with momentum μ keeps a buffer b: b ← μ·b + g (dampening 0), and steps w ← w − lr·b. "
        "The buffer does not start at 0: on the first step PyTorch sets b₁ = g₁. (The form v ← μ·v + lr·g, "
        "w ← w − v gives the same weights for a constant lr.)",
        "torch.optim.SGD 的动量 μ 维护一个缓冲 b：b ← μ·b + g（dampening 为 0），更新 w ← w − lr·b。"
        "缓冲不是从 0 开始：第一步 PyTorch 令 b₁ = g₁。"
        "（写成 v ← μ·v + lr·g，w ← w − v 的形式，在学习率不变时结果相同。）",
    )
    return _draft(
        {"w": w0.tolist(), "grads": [g.tolist() for g in grads], "lr": lr, "momentum": momentum},
        _setup(w0, grads, opt),
        _ask(n, len(grads), None),
        (lines, [_sgd_zh(s) for s in lines]),
        intro,
        w,
        None,
    )


@family(
    "sgd_nesterov_step",
    topic="optim.algorithms",
    title=Text("SGD with Nesterov momentum by hand", "手算 Nesterov 动量 SGD"),
    difficulty=3,
)
def draw_sgd_nesterov_step(rng: np.random.Generator) -> Draft:
    """torch.optim.SGD(lr, momentum, nesterov=True) for 1–2 steps: w ← w − lr·(g + μ·b)."""
    n = pick(rng, [1, 2])
    w0 = _ints(rng, n, -3, 3, nonzero=False)
    grads = _steps(rng, n, pick(rng, [1, 2, 2]))
    lr = pick(rng, [0.1, 0.1, 0.5])
    momentum = pick(rng, [0.9, 0.5])
    lines, w = _sgd_lines(w0, grads, lr, momentum, 0.0, nesterov=True)
    opt = f"torch.optim.SGD(lr={fmt(lr)}, momentum={fmt(momentum)}, nesterov=True)"
    intro = Text(
        "PyTorch's Nesterov SGD updates the buffer as plain momentum, b ← μ·b + g (b₁ = g₁), but steps along "
        "the look-ahead direction d = g + μ·b: w ← w − lr·d.",
        "PyTorch 的 Nesterov SGD 像普通动量一样更新缓冲 b ← μ·b + g（b₁ = g₁），但沿“向前看”的方向 "
        "d = g + μ·b 更新：w ← w − lr·d。",
    )
    return _draft(
        {
            "w": w0.tolist(),
            "grads": [g.tolist() for g in grads],
            "lr": lr,
            "momentum": momentum,
            "nesterov": True,
        },
        _setup(w0, grads, opt),
        _ask(n, len(grads), None),
        (lines, [_sgd_zh(s) for s in lines]),
        intro,
        w,
        None,
    )


@family(
    "sgd_weight_decay_step",
    topic="optim.algorithms",
    title=Text("SGD with weight decay (and momentum) by hand", "手算带权重衰减（和动量）的 SGD"),
    difficulty=3,
)
def draw_sgd_weight_decay_step(rng: np.random.Generator) -> Draft:
    """torch.optim.SGD(lr, momentum, weight_decay): the decay enters the gradient before the buffer."""
    n = pick(rng, [1, 2])
    w0 = _ints(rng, n, -4, 4)
    grads = _steps(rng, n, pick(rng, [1, 2, 2]))
    lr = pick(rng, [0.1, 0.1, 0.5])
    momentum = pick(rng, [0.0, 0.9, 0.9, 0.5])
    wd = pick(rng, [0.1, 0.5, 0.01])
    lines, w = _sgd_lines(w0, grads, lr, momentum, wd, nesterov=False)
    mom_txt = f", momentum={fmt(momentum)}" if momentum else ""
    opt = f"torch.optim.SGD(lr={fmt(lr)}{mom_txt}, weight_decay={fmt(wd)})"
    mom_en = (
        " then the momentum buffer b ← μ·b + g′ (b₁ = g′ on the first step), and w ← w − lr·b."
        if momentum
        else (" then w ← w − lr·g′ = (1 − lr·λ)·w − lr·g: the weights shrink by the factor 1 − lr·λ every step.")
    )
    mom_zh = (
        "；再更新动量缓冲 b ← μ·b + g′（第一步 b₁ = g′），w ← w − lr·b。"
        if momentum
        else ("；再 w ← w − lr·g′ = (1 − lr·λ)·w − lr·g：每步权重先乘以 1 − lr·λ 而“衰减”。")
    )
    intro = Text(
        "SGD's weight_decay λ is an L2 penalty ½λ‖w‖² folded into the gradient: g′ = g + λ·w, using the current w;"
        + mom_en,
        "SGD 的 weight_decay λ 相当于 L2 正则 ½λ‖w‖²，加到梯度上：g′ = g + λ·w（用当前的 w）" + mom_zh,
    )
    return _draft(
        {
            "w": w0.tolist(),
            "grads": [g.tolist() for g in grads],
            "lr": lr,
            "momentum": momentum,
            "weight_decay": wd,
        },
        _setup(w0, grads, opt),
        _ask(n, len(grads), None),
        (lines, [_sgd_zh(s) for s in lines]),
        intro,
        w,
        None,
    )


# ---------------------------------------------------------------------------------------------
# Adaptive methods
# ---------------------------------------------------------------------------------------------

_PYTHAGOREAN = [(3, 4), (4, 3), (6, 8), (8, 6), (5, 12), (12, 5)]


@family(
    "adagrad_step",
    topic="optim.algorithms",
    title=Text("Adagrad by hand", "手算 Adagrad"),
    difficulty=2,
)
def draw_adagrad_step(rng: np.random.Generator) -> Draft:
    """torch.optim.Adagrad for 1–2 steps; gradients chosen so √G is an integer (Pythagorean pairs)."""
    n = pick(rng, [1, 2])
    steps = pick(rng, [1, 2, 2])
    w0 = _ints(rng, n, -3, 3, nonzero=False)
    if steps == 1:
        grads = [_ints(rng, n, -4, 4)]
    else:
        pairs = [pick(rng, _PYTHAGOREAN) for _ in range(n)]
        signs = [[pick(rng, [-1, 1]) for _ in range(n)] for _ in range(2)]
        grads = [np.array([signs[s][j] * pairs[j][s] for j in range(n)], dtype=np.float64) for s in range(2)]
    lr = pick(rng, [0.1, 0.1, 0.5, 1.0])
    eps = 1e-10
    digits = 4  # steps like lr·5/13 do not terminate
    en: list[str] = []
    w, state = w0, None
    for i, g in enumerate(grads):
        t = sub(i + 1)
        prev_sum = np.zeros_like(w) if state is None else state.sum
        new_w, state = ops.adagrad_step(w, g, state, lr=lr, eps=eps)
        en.append(
            f"G{t} = G{sub(i)} + g{t}² = {_p(prev_sum)} + {_p(g * g)} = {_v(state.sum)}; "
            f"√G{t} = {_v(np.sqrt(state.sum))}; w{t} = w{sub(i)} − lr·g{t}/(√G{t} + ε) = {_p(w)} − {fmt(lr)}·"
            f"{_p(g)}/{_p(np.sqrt(state.sum))} ≈ {_v(new_w)}."
        )
        w = new_w
    intro = Text(
        "Adagrad accumulates squared gradients, G ← G + g² (G₀ = 0), and divides each coordinate's step by "
        "their root: w ← w − lr·g/(√G + ε), ε = 1e-10 outside the root (negligible here). G only grows, so the "
        "effective learning rate keeps shrinking: Adagrad's vanishing step.",
        "Adagrad 累加梯度平方 G ← G + g²（G₀ = 0），每个坐标的步长除以其平方根：w ← w − lr·g/(√G + ε)，"
        "ε = 1e-10 加在根号外（此处可忽略）。G 只增不减，有效学习率不断变小：这就是 Adagrad 步长趋于消失的问题。",
    )
    return _draft(
        {"w": w0.tolist(), "grads": [g.tolist() for g in grads], "lr": lr, "eps": eps},
        _setup(w0, grads, f"torch.optim.Adagrad(lr={fmt(lr)})"),
        _ask(n, len(grads), digits),
        (en, [_zh(s) for s in en]),
        intro,
        w,
        digits,
    )


@family(
    "rmsprop_step",
    topic="optim.algorithms",
    title=Text("RMSprop by hand", "手算 RMSprop"),
    difficulty=3,
)
def draw_rmsprop_step(rng: np.random.Generator) -> Draft:
    """torch.optim.RMSprop(lr, alpha) for 1–2 steps: v ← α·v + (1 − α)·g², w ← w − lr·g/(√v + ε)."""
    n = pick(rng, [1, 2])
    steps = pick(rng, [1, 2])
    w0 = _ints(rng, n, -3, 3, nonzero=False)
    grads = _steps(rng, n, steps, -2, 2)
    lr = pick(rng, [0.01, 0.01, 0.1])
    alpha = pick(rng, [0.99, 0.9])
    eps = 1e-8
    digits = 4
    en: list[str] = []
    w, state = w0, None
    for i, g in enumerate(grads):
        t = sub(i + 1)
        prev = np.zeros_like(w) if state is None else state.square_avg
        new_w, state = ops.rmsprop_step(w, g, state, lr=lr, alpha=alpha, eps=eps)
        root = np.sqrt(state.square_avg)
        en.append(
            f"v{t} = {fmt(alpha)}·{_p(prev)} + {fmt(1 - alpha)}·{_p(g * g)} = {_v(state.square_avg)}; "
            f"√v{t} ≈ {_v(root)}; w{t} = {_p(w)} − {fmt(lr)}·{_p(g)}/{_p(root)} ≈ {_v(new_w)}."
        )
        w = new_w
    first = lr / math.sqrt(1 - alpha)
    intro = Text(
        "RMSprop keeps an exponential moving average of squared gradients, v ← α·v + (1 − α)·g² (v₀ = 0), and "
        "steps w ← w − lr·g/(√v + ε), ε = 1e-8 outside the root. There is no bias correction, so the first step "
        f"is lr/√(1 − α) = {fmt(lr)}/√{fmt(1 - alpha)} ≈ {fmt(first)} per coordinate, whatever |g| is. "
        "(A calculator is fine for the roots.)",
        "RMSprop 维护梯度平方的指数滑动平均 v ← α·v + (1 − α)·g²（v₀ = 0），更新 w ← w − lr·g/(√v + ε)，"
        "ε = 1e-8 加在根号外。它没有偏差修正，所以第一步每个坐标都移动 "
        f"lr/√(1 − α) = {fmt(lr)}/√{fmt(1 - alpha)} ≈ {fmt(first)}，与 |g| 无关。（开方可用计算器。）",
    )
    return _draft(
        {"w": w0.tolist(), "grads": [g.tolist() for g in grads], "lr": lr, "alpha": alpha, "eps": eps},
        _setup(w0, grads, f"torch.optim.RMSprop(lr={fmt(lr)}, alpha={fmt(alpha)})"),
        _ask(n, len(grads), digits),
        (en, [_zh(s) for s in en]),
        intro,
        w,
        digits,
    )


@family(
    "adadelta_step",
    topic="optim.algorithms",
    title=Text("AdaDelta by hand", "手算 AdaDelta"),
    difficulty=4,
)
def draw_adadelta_step(rng: np.random.Generator) -> Draft:
    """torch.optim.Adadelta (lr=1.0) for 1–2 steps; ε sits inside both roots and sets the first step."""
    n = pick(rng, [1, 1, 2])
    steps = pick(rng, [1, 1, 2])
    w0 = _ints(rng, n, -3, 3, nonzero=False)
    grads = _steps(rng, n, steps, -2, 2)
    rho = pick(rng, [0.9, 0.9, 0.5])
    eps = pick(rng, [1e-6, 1e-2])
    lr = 1.0
    digits = 6 if eps < 1e-3 else 4
    w, state = w0, None
    en: list[str] = []
    for i, g in enumerate(grads):
        t = sub(i + 1)
        prev_sq = np.zeros_like(w) if state is None else state.square_avg
        prev_acc = np.zeros_like(w) if state is None else state.acc_delta
        new_w, state = ops.adadelta_step(w, g, state, lr=lr, rho=rho, eps=eps)
        delta = w - new_w
        eps_txt = f"{eps:g}"
        en.append(
            f"E[g²] = {fmt(rho)}·{_p(prev_sq, 8)} + {fmt(1 - rho)}·{_p(g * g)} = "
            f"{_v(state.square_avg, 8)}; "
            f"Δ = √(E[Δ²] + ε)/√(E[g²] + ε)·g = √({_v(prev_acc, 8)} + {eps_txt})/√({_v(state.square_avg, 8)} + "
            f"{eps_txt})·{_p(g)} ≈ {_v(delta, 8)}; E[Δ²] = {fmt(rho)}·{_p(prev_acc, 8)} + {fmt(1 - rho)}·Δ² ≈ "
            f"{_v(state.acc_delta, 10)}; w{t} = {_p(w, 8)} − {fmt(lr)}·{_p(delta, 8)} ≈ {_v(new_w, 8)}."
        )
        w = new_w
    intro = Text(
        "AdaDelta (torch.optim.Adadelta) keeps two moving averages, both starting at 0: E[g²] ← ρ·E[g²] + (1 − ρ)·g², "
        "then the step Δ = √(E[Δ²] + ε)/√(E[g²] + ε)·g (ε inside both roots), then E[Δ²] ← ρ·E[Δ²] + (1 − ρ)·Δ², "
        "and w ← w − lr·Δ with lr = 1.0 by default. The ratio of RMS values gives the step the units of w, so "
        "no learning rate is needed; on the first step E[Δ²] = 0, so the step is about √ε/√((1 − ρ)·g²)·g. "
        "(A calculator is fine for the roots.)",
        "AdaDelta（torch.optim.Adadelta）维护两个从 0 开始的滑动平均：先 E[g²] ← ρ·E[g²] + (1 − ρ)·g²，"
        "再算步长 Δ = √(E[Δ²] + ε)/√(E[g²] + ε)·g（ε 在两个根号内），然后 E[Δ²] ← ρ·E[Δ²] + (1 − ρ)·Δ²，"
        "最后 w ← w − lr·Δ，lr 默认 1.0。两个均方根之比使步长与 w 同量纲，因此不需要学习率；"
        "第一步 E[Δ²] = 0，步长约为 √ε/√((1 − ρ)·g²)·g。（开方可用计算器。）",
    )
    return _draft(
        {"w": w0.tolist(), "grads": [g.tolist() for g in grads], "lr": lr, "rho": rho, "eps": eps},
        _setup(w0, grads, f"torch.optim.Adadelta(lr=1.0, rho={fmt(rho)}, eps={eps:g})"),
        _ask(n, len(grads), digits),
        (en, [_zh(s) for s in en]),
        intro,
        w,
        digits,
    )


def _adam_lines(
    w0: Arr,
    grads: list[Arr],
    lr: float,
    betas: tuple[float, float],
    eps: float,
    step_fn: Callable[..., tuple[Arr, ops.AdamState]],
    **extra: float,
) -> tuple[list[str], Arr]:
    b1, b2 = betas
    en: list[str] = []
    w, state = w0, None
    for i, g in enumerate(grads):
        t = i + 1
        s = sub(t)
        prev_m = np.zeros_like(w) if state is None else state.exp_avg
        prev_v = np.zeros_like(w) if state is None else state.exp_avg_sq
        new_w, state = step_fn(w, g, state, lr=lr, betas=betas, eps=eps, **extra)
        bc1, bc2 = 1 - b1**t, 1 - b2**t
        m_hat, v_hat = state.exp_avg / bc1, state.exp_avg_sq / bc2
        en.append(
            f"m{s} = β₁·m{sub(t - 1)} + (1 − β₁)·g{s} = {fmt(b1)}·{_p(prev_m)} + {fmt(1 - b1)}·{_p(g)} = "
            f"{_v(state.exp_avg)}; v{s} = β₂·v{sub(t - 1)} + (1 − β₂)·g{s}² = {fmt(b2)}·{_p(prev_v, 8)} + "
            f"{fmt(1 - b2)}·{_p(g * g)} = {_v(state.exp_avg_sq, 8)}; bias corrections 1 − β₁{sup(t)} = {fmt(bc1, 8)}, "
            f"1 − β₂{sup(t)} = {fmt(bc2, 8)}; m̂ = {_v(m_hat)}, v̂ = {_v(v_hat)}; "
            f"w{s} = w{sub(t - 1)} − lr·m̂/(√v̂ + ε) = {_p(w)} − {fmt(lr)}·{_p(m_hat)}/{_p(np.sqrt(v_hat))} ≈ "
            f"{_v(new_w)}."
        )
        w = new_w
    return en, w


def _adam_zh(line: str) -> str:
    return _zh(line.replace("bias corrections", "偏差修正"))


_ADAM_INTRO = Text(
    "Adam: m ← β₁·m + (1 − β₁)·g (momentum), v ← β₂·v + (1 − β₂)·g² (RMSprop), both from 0; bias corrections "
    "m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) undo the pull towards 0; w ← w − lr·m̂/(√v̂ + ε). On step 1, m̂ = g and "
    "v̂ = g², so every coordinate moves by lr·g/|g| = lr, whatever the gradient's size.",
    "Adam：m ← β₁·m + (1 − β₁)·g（动量），v ← β₂·v + (1 − β₂)·g²（RMSprop），都从 0 开始；偏差修正 "
    "m̂ = m/(1 − β₁ᵗ)，v̂ = v/(1 − β₂ᵗ) 抵消初始为 0 带来的偏小；w ← w − lr·m̂/(√v̂ + ε)。第 1 步 m̂ = g、"
    "v̂ = g²，所以每个坐标都恰好移动 lr，与梯度大小无关。",
)

_BETAS = [(0.9, 0.999), (0.9, 0.999), (0.9, 0.99), (0.5, 0.9)]


@family(
    "adam_step",
    topic="optim.algorithms",
    title=Text("Adam by hand, with bias correction", "手算 Adam（含偏差修正）"),
    difficulty=3,
)
def draw_adam_step(rng: np.random.Generator) -> Draft:
    """torch.optim.Adam for 1–2 steps; params ``w, grads, lr, beta1, beta2, eps`` (public contract)."""
    n = pick(rng, [1, 2])
    steps = pick(rng, [1, 2, 2])
    w0 = _ints(rng, n, -3, 3, nonzero=False)
    grads = _steps(rng, n, steps, -4, 4)
    lr = pick(rng, [0.1, 0.1, 0.01])
    beta1, beta2 = pick(rng, _BETAS)
    eps = 1e-8
    digits = 4 if lr >= 0.1 else 5
    en, w = _adam_lines(w0, grads, lr, (beta1, beta2), eps, ops.adam_step)
    opt = f"torch.optim.Adam(lr={fmt(lr)}, betas=({fmt(beta1)}, {fmt(beta2)}), eps=1e-8)"
    calc = Text(" (A calculator is fine.)", "（可用计算器。）") if steps > 1 else Text("", "")
    return _draft(
        {
            "w": w0.tolist(),
            "grads": [g.tolist() for g in grads],
            "lr": lr,
            "beta1": beta1,
            "beta2": beta2,
            "eps": eps,
        },
        _setup(w0, grads, opt),
        _ask(n, len(grads), digits),
        (en, [_adam_zh(s) for s in en]),
        Text(_ADAM_INTRO.en + calc.en, _ADAM_INTRO.zh + calc.zh),
        w,
        digits,
    )


@family(
    "adamw_step",
    topic="optim.algorithms",
    title=Text("AdamW vs Adam with L2 weight decay", "AdamW 与 Adam + L2 权重衰减的对比"),
    difficulty=3,
)
def draw_adamw_step(rng: np.random.Generator) -> Draft:
    """One step of AdamW and of Adam(weight_decay) from the same w and g: decoupled decay vs L2 in g."""
    while True:
        w0 = float(pick(rng, [-4, -3, -2, -1, 1, 2, 3, 4]))
        g = float(pick(rng, [-2, -1, -0.5, -0.1, 0.1, 0.5, 1, 2]))
        wd = float(pick(rng, [0.1, 0.5, 0.01]))
        if g + wd * w0 != 0:
            break
    lr = pick(rng, [0.1, 0.1, 0.01])
    beta1, beta2 = 0.9, 0.999
    eps = 1e-8
    digits = 4 if lr >= 0.1 else 5
    w_adamw, _ = ops.adamw_step([w0], [g], lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=wd)
    w_l2, _ = ops.adam_step([w0], [g], lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=wd)
    answer = [float(w_adamw[0]), float(w_l2[0])]
    g_l2 = g + wd * w0
    shrink = 1 - lr * wd
    prompt = Text(
        f"A weight w₀ = {fmt(w0)} has gradient g = {fmt(g)} (from the loss alone). Take one step with "
        f"(a) torch.optim.AdamW(lr={fmt(lr)}, weight_decay={fmt(wd)}) and (b) torch.optim.Adam(lr={fmt(lr)}, "
        f"weight_decay={fmt(wd)}), default betas (0.9, 0.999) and eps 1e-8. Give (w after AdamW, w after Adam), "
        f"to {digits} decimals. {VECTOR_HINT.en}",
        f"权重 w₀ = {fmt(w0)}，损失本身的梯度 g = {fmt(g)}。分别用 (a) torch.optim.AdamW(lr={fmt(lr)}, "
        f"weight_decay={fmt(wd)}) 和 (b) torch.optim.Adam(lr={fmt(lr)}, weight_decay={fmt(wd)}) 走一步，betas 默认 "
        f"(0.9, 0.999)，eps 1e-8。给出 (AdamW 之后的 w, Adam 之后的 w)，保留 {digits} 位小数。{VECTOR_HINT.zh}",
    )
    flip_en = " Here the L2 term even flips the sign of the gradient Adam sees." if (g > 0) != (g_l2 > 0) else ""
    flip_zh = "这里 L2 项甚至把 Adam 看到的梯度符号都翻转了。" if flip_en else ""
    en = [
        "On a first step Adam moves by lr·ĝ/|ĝ| = lr in the direction −sign(ĝ) of whatever gradient ĝ it is given "
        "(m̂ = ĝ, v̂ = ĝ²).",
        f"(a) AdamW decouples the decay: first w ← (1 − lr·λ)·w = {fmt(shrink)}·{fmt_factor(w0)} = "
        f"{fmt(shrink * w0, 6)}, then the Adam step on g = {fmt(g)}: {fmt_factor(shrink * w0, 6)} − {fmt(lr)}·"
        f"{fmt(g)}/|{fmt(g)}| ≈ {fmt(answer[0], 6)}.",
        f"(b) Adam's weight_decay is an L2 term in the gradient: ĝ = g + λ·w = {fmt(g)} + {fmt(wd)}·{fmt_factor(w0)} = "
        f"{fmt(g_l2, 6)}; then w ← {fmt_factor(w0)} − {fmt(lr)}·{fmt(g_l2, 6)}/|{fmt(g_l2, 6)}| ≈ {fmt(answer[1], 6)}.",
        "With L2 inside Adam the decay is divided by √v̂ like the rest of the gradient, so weights with large "
        f"gradients are barely regularised; AdamW shrinks every weight by the same factor 1 − lr·λ.{flip_en}",
    ]
    zh = [
        "第一步时 Adam 对给它的梯度 ĝ 总是移动 lr·ĝ/|ĝ| = lr，方向为 −sign(ĝ)（m̂ = ĝ，v̂ = ĝ²）。",
        f"(a) AdamW 把衰减解耦：先 w ← (1 − lr·λ)·w = {fmt(shrink)}·{fmt_factor(w0)} = {fmt(shrink * w0, 6)}，"
        f"再对 g = {fmt(g)} 做 Adam 更新：{fmt_factor(shrink * w0, 6)} − {fmt(lr)}·{fmt(g)}/|{fmt(g)}| ≈ "
        f"{fmt(answer[0], 6)}。",
        f"(b) Adam 的 weight_decay 是加在梯度上的 L2 项：ĝ = g + λ·w = {fmt(g)} + {fmt(wd)}·{fmt_factor(w0)} = "
        f"{fmt(g_l2, 6)}；再 w ← {fmt_factor(w0)} − {fmt(lr)}·{fmt(g_l2, 6)}/|{fmt(g_l2, 6)}| ≈ {fmt(answer[1], 6)}。",
        "L2 放进 Adam 后，衰减项和梯度一起被 √v̂ 除掉，梯度大的权重几乎得不到正则；AdamW 则让每个权重都按同一"
        f"系数 1 − lr·λ 缩小。{flip_zh}",
    ]
    shown = fmt_vec_fixed(answer, digits)
    return Draft(
        params={
            "w": [w0],
            "grads": [[g]],
            "lr": lr,
            "beta1": beta1,
            "beta2": beta2,
            "eps": eps,
            "weight_decay": wd,
        },
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.VECTOR,
        solution=Text(f"{numbered_steps(en)}\nAnswer: {shown}", f"{numbered_steps(zh)}\n答案：{shown}"),
        tolerance=decimals(digits),
    )


# ---------------------------------------------------------------------------------------------
# Named mistakes and PyTorch snippets
# ---------------------------------------------------------------------------------------------

# Each mistake re-runs the instance's steps with one rule changed, as a learner would by hand.


def _w_and_grads(q: Params) -> tuple[Arr, list[Arr]]:
    return np.asarray(q["w"], dtype=np.float64), [np.asarray(g, dtype=np.float64) for g in q["grads"]]


def _result(w: Arr) -> Answer:
    return _answer(w)[0]


def _not_all_unit_gradients(q: Params) -> bool:
    """One step with every |g| = 1 makes g/|g|, g/g² and g/√(g²) the same: such slips cannot show."""
    return len(q["grads"]) > 1 or any(abs(g) != 1 for g in q["grads"][0])


def _momentum_run(q: Params, *, ema: bool = False, nesterov: bool = False, d_without_mu: bool = False) -> Answer:
    w, grads = _w_and_grads(q)
    mu, lr, wd = q["momentum"], q["lr"], q.get("weight_decay", 0.0)
    b = np.zeros_like(w)
    for t, g in enumerate(grads):
        g = g + wd * w
        b = (mu * b + (1 - mu) * g) if ema else (g if t == 0 else mu * b + g)
        d = (g + (1.0 if d_without_mu else mu) * b) if nesterov else b
        w = w - lr * d
    return _result(w)


@mistake(
    "sgd_momentum_step",
    "ema-form",
    step=1,
    text=Text(
        "You used the moving-average form b ← μ·b + (1 − μ)·g; PyTorch's SGD uses b ← μ·b + g (b₁ = g₁).",
        "你用了滑动平均形式 b ← μ·b + (1 − μ)·g；PyTorch 的 SGD 用 b ← μ·b + g（b₁ = g₁）。",
    ),
)
def _momentum_ema(q: Params) -> Answer:
    return _momentum_run(q, ema=True)


@mistake(
    "sgd_momentum_step",
    "plain-sgd",
    step=2,
    text=Text(
        "You stepped along each gradient alone; with momentum the step is along the buffer b, which remembers "
        "earlier gradients.",
        "你每步只沿当次梯度走；有动量时应沿缓冲 b 走，b 记住了之前的梯度。",
    ),
)
def _momentum_plain(q: Params) -> Answer:
    w, grads = _w_and_grads(q)
    for g in grads:
        w = w - q["lr"] * g
    return _result(w)


@mistake(
    "sgd_nesterov_step",
    "no-look-ahead",
    step=1,
    text=Text(
        "You stepped along the buffer b as plain momentum does; Nesterov steps along g + μ·b.",
        "你像普通动量那样沿缓冲 b 更新；Nesterov 沿 g + μ·b 更新。",
    ),
)
def _nesterov_plain(q: Params) -> Answer:
    return _momentum_run(q)


@mistake(
    "sgd_nesterov_step",
    "look-ahead-without-mu",
    step=1,
    text=Text(
        "You used d = g + b; the look-ahead term is μ·b.",
        "你用了 d = g + b；前瞻项应为 μ·b。",
    ),
)
def _nesterov_no_mu(q: Params) -> Answer:
    return _momentum_run(q, nesterov=True, d_without_mu=True)


@mistake(
    "sgd_weight_decay_step",
    "no-decay",
    step=1,
    text=Text(
        "You left out the weight decay: PyTorch adds λ·w to the gradient before the momentum buffer.",
        "你漏掉了权重衰减：PyTorch 在进入动量缓冲之前先把 λ·w 加到梯度上。",
    ),
)
def _sgd_wd_none(q: Params) -> Answer:
    return _momentum_run({**q, "weight_decay": 0.0})


@mistake(
    "sgd_weight_decay_step",
    "decay-subtracted",
    step=1,
    text=Text(
        "You subtracted λ·w from the gradient; the L2 term's gradient +λ·w is added.",
        "你从梯度中减去了 λ·w；L2 项的梯度 +λ·w 应当加上。",
    ),
)
def _sgd_wd_sign(q: Params) -> Answer:
    return _momentum_run({**q, "weight_decay": -q["weight_decay"]})


def _optim_snippet(q: Params, ctor: str) -> str:
    return (
        "import torch\n\n"
        f"w = torch.tensor({[float(v) for v in q['w']]}, dtype=torch.float64, requires_grad=True)\n"
        f"opt = {ctor}\n"
        f"for g in {[[float(v) for v in g] for g in q['grads']]}:\n"
        "    opt.zero_grad()\n"
        "    w.grad = torch.tensor(g, dtype=torch.float64)  # the given gradient of this step\n"
        "    opt.step()\n"
        "print(w.tolist() if w.numel() > 1 else w.item())\n"
    )


@torch_snippet("sgd_momentum_step")
def _momentum_torch(q: Params) -> str:
    return _optim_snippet(q, f"torch.optim.SGD([w], lr={q['lr']}, momentum={q['momentum']})")


@torch_snippet("sgd_nesterov_step")
def _nesterov_torch(q: Params) -> str:
    return _optim_snippet(q, f"torch.optim.SGD([w], lr={q['lr']}, momentum={q['momentum']}, nesterov=True)")


@torch_snippet("sgd_weight_decay_step")
def _sgd_wd_torch(q: Params) -> str:
    return _optim_snippet(
        q, f"torch.optim.SGD([w], lr={q['lr']}, momentum={q['momentum']}, weight_decay={q['weight_decay']})"
    )


@mistake(
    "adagrad_step",
    "no-square-root",
    step=1,
    text=Text("You divided by G instead of √G.", "你除以了 G，应当除以 √G。"),
    applies=_not_all_unit_gradients,
)
def _adagrad_no_root(q: Params) -> Answer:
    w, grads = _w_and_grads(q)
    acc = np.zeros_like(w)
    for g in grads:
        acc = acc + g * g
        w = w - q["lr"] * g / (acc + q["eps"])
    return _result(w)


@mistake(
    "adagrad_step",
    "gradient-ascent",
    step=1,
    text=Text(
        "You moved along the gradient (w + …); a descent step subtracts: w ← w − lr·g/(√G + ε).",
        "你沿梯度方向走了（w + …）；下降一步要减去：w ← w − lr·g/(√G + ε)。",
    ),
)
def _adagrad_ascent(q: Params) -> Answer:
    w, grads = _w_and_grads(q)
    acc = np.zeros_like(w)
    for g in grads:
        acc = acc + g * g
        w = w + q["lr"] * g / (np.sqrt(acc) + q["eps"])
    return _result(w)


@torch_snippet("adagrad_step")
def _adagrad_torch(q: Params) -> str:
    return _optim_snippet(q, f"torch.optim.Adagrad([w], lr={q['lr']}, eps={q['eps']})")


def _rmsprop_run(q: Params, *, bias_correct: bool = False, no_one_minus: bool = False) -> Answer:
    w, grads = _w_and_grads(q)
    a = q["alpha"]
    v = np.zeros_like(w)
    for t, g in enumerate(grads, start=1):
        v = a * v + (1.0 if no_one_minus else 1 - a) * g * g
        v_hat = v / (1 - a**t) if bias_correct else v
        w = w - q["lr"] * g / (np.sqrt(v_hat) + q["eps"])
    return _result(w)


@mistake(
    "rmsprop_step",
    "bias-corrected",
    step=1,
    text=Text(
        "You bias-corrected v as Adam does; RMSprop has no bias correction.",
        "你像 Adam 那样对 v 做了偏差修正；RMSprop 没有偏差修正。",
    ),
)
def _rmsprop_bias(q: Params) -> Answer:
    return _rmsprop_run(q, bias_correct=True)


@mistake(
    "rmsprop_step",
    "no-one-minus-alpha",
    step=1,
    text=Text(
        "You added g² without the (1 − α) factor: v ← α·v + (1 − α)·g².",
        "你加 g² 时漏掉了系数 (1 − α)：v ← α·v + (1 − α)·g²。",
    ),
)
def _rmsprop_no_one_minus(q: Params) -> Answer:
    return _rmsprop_run(q, no_one_minus=True)


@torch_snippet("rmsprop_step")
def _rmsprop_torch(q: Params) -> str:
    return _optim_snippet(q, f"torch.optim.RMSprop([w], lr={q['lr']}, alpha={q['alpha']}, eps={q['eps']})")


def _adadelta_run(q: Params, *, eps_outside: bool = False, no_one_minus: bool = False) -> Answer:
    w, grads = _w_and_grads(q)
    rho, eps = q["rho"], q["eps"]
    sq, acc = np.zeros_like(w), np.zeros_like(w)
    for g in grads:
        sq = rho * sq + (1.0 if no_one_minus else 1 - rho) * g * g
        if eps_outside:
            delta = (np.sqrt(acc) + eps) / (np.sqrt(sq) + eps) * g
        else:
            delta = np.sqrt(acc + eps) / np.sqrt(sq + eps) * g
        acc = rho * acc + (1 - rho) * delta * delta
        w = w - q["lr"] * delta
    return _result(w)


@mistake(
    "adadelta_step",
    "eps-outside-roots",
    step=1,
    text=Text(
        "You added ε outside the square roots; AdaDelta puts it inside both: √(E[Δ²] + ε)/√(E[g²] + ε).",
        "你把 ε 加在了根号外；AdaDelta 把它放在两个根号里：√(E[Δ²] + ε)/√(E[g²] + ε)。",
    ),
)
def _adadelta_eps(q: Params) -> Answer:
    return _adadelta_run(q, eps_outside=True)


@mistake(
    "adadelta_step",
    "no-one-minus-rho",
    step=1,
    text=Text(
        "You added g² without the (1 − ρ) factor: E[g²] ← ρ·E[g²] + (1 − ρ)·g².",
        "你加 g² 时漏掉了系数 (1 − ρ)：E[g²] ← ρ·E[g²] + (1 − ρ)·g²。",
    ),
)
def _adadelta_no_one_minus(q: Params) -> Answer:
    return _adadelta_run(q, no_one_minus=True)


@torch_snippet("adadelta_step")
def _adadelta_torch(q: Params) -> str:
    return _optim_snippet(q, f"torch.optim.Adadelta([w], lr={q['lr']}, rho={q['rho']}, eps={q['eps']})")


def _adam_run(q: Params, *, bias_correct: bool = True, root: bool = True) -> Answer:
    w, grads = _w_and_grads(q)
    b1, b2 = q["beta1"], q["beta2"]
    m, v = np.zeros_like(w), np.zeros_like(w)
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = (m / (1 - b1**t), v / (1 - b2**t)) if bias_correct else (m, v)
        w = w - q["lr"] * m_hat / ((np.sqrt(v_hat) if root else v_hat) + q["eps"])
    return _result(w)


@mistake(
    "adam_step",
    "no-bias-correction",
    step=1,
    text=Text(
        "You skipped the bias correction: Adam divides m by 1 − β₁ᵗ and v by 1 − β₂ᵗ.",
        "你漏掉了偏差修正：Adam 要把 m 除以 1 − β₁ᵗ，把 v 除以 1 − β₂ᵗ。",
    ),
    # on one step with 1 − β₁ = √(1 − β₂) the two corrections cancel in m̂/√v̂
    applies=lambda q: len(q["grads"]) > 1 or not math.isclose(1 - q["beta1"], math.sqrt(1 - q["beta2"])),
)
def _adam_no_bias(q: Params) -> Answer:
    return _adam_run(q, bias_correct=False)


@mistake(
    "adam_step",
    "no-square-root",
    step=1,
    text=Text("You divided by v̂ instead of √v̂.", "你除以了 v̂，应当除以 √v̂。"),
    applies=_not_all_unit_gradients,
)
def _adam_no_root(q: Params) -> Answer:
    return _adam_run(q, root=False)


@torch_snippet("adam_step")
def _adam_torch(q: Params) -> str:
    return _optim_snippet(q, f"torch.optim.Adam([w], lr={q['lr']}, betas=({q['beta1']}, {q['beta2']}), eps={q['eps']})")


@mistake(
    "adamw_step",
    "swapped",
    step=2,
    text=Text(
        "You swapped the two: AdamW shrinks w by (1 − lr·λ) first; Adam(weight_decay) adds λ·w to the gradient.",
        "你把两者弄反了：AdamW 先把 w 乘以 (1 − lr·λ)；Adam(weight_decay) 是把 λ·w 加到梯度上。",
    ),
)
def _adamw_swapped(q: Params) -> Answer:
    w0, g, lr, wd = q["w"][0], q["grads"][0][0], q["lr"], q["weight_decay"]
    adamw = (1 - lr * wd) * w0 - lr * float(np.sign(g))
    l2 = w0 - lr * float(np.sign(g + wd * w0))
    return [float(l2), float(adamw)]


@mistake(
    "adamw_step",
    "decay-without-lr",
    step=2,
    text=Text(
        "You shrank w by (1 − λ); PyTorch's AdamW multiplies by (1 − lr·λ).",
        "你把 w 乘以了 (1 − λ)；PyTorch 的 AdamW 乘的是 (1 − lr·λ)。",
    ),
)
def _adamw_no_lr(q: Params) -> Answer:
    w0, g, lr, wd = q["w"][0], q["grads"][0][0], q["lr"], q["weight_decay"]
    adamw = (1 - wd) * w0 - lr * float(np.sign(g))
    l2 = w0 - lr * float(np.sign(g + wd * w0))
    return [float(adamw), float(l2)]


@torch_snippet("adamw_step")
def _adamw_torch(q: Params) -> str:
    w0, g = float(q["w"][0]), float(q["grads"][0][0])
    kw = f"lr={q['lr']}, betas=({q['beta1']}, {q['beta2']}), eps={q['eps']}, weight_decay={q['weight_decay']}"
    return (
        "import torch\n\n"
        "out = []\n"
        "for Opt in (torch.optim.AdamW, torch.optim.Adam):\n"
        f"    w = torch.tensor([{w0}], dtype=torch.float64, requires_grad=True)\n"
        f"    opt = Opt([w], {kw})\n"
        f"    w.grad = torch.tensor([{g}], dtype=torch.float64)\n"
        "    opt.step()\n"
        "    out.append(w.item())\n"
        "print(out)  # (AdamW, Adam with weight_decay)\n"
    )


# ---------------------------------------------------------------------------------------------
# Levels: 1 one step on one weight, 2 today's mix (the default), 3 several steps on a vector
# ---------------------------------------------------------------------------------------------


def _steps_and_size(q: Params) -> float:
    return len(q["grads"]) + (len(q["w"]) > 1)


for _name in (
    "sgd_momentum_step",
    "sgd_nesterov_step",
    "sgd_weight_decay_step",
    "adagrad_step",
    "rmsprop_step",
    "adadelta_step",
    "adam_step",
):
    # sgd_momentum_step always takes 2–3 steps (momentum needs more than one), the others 1–3
    few = 2 if _name == "sgd_momentum_step" else 1
    three_levels(_name, _steps_and_size, easy_max=few, hard_min=few + 2)
three_levels(
    "adamw_step",
    lambda q: (q["lr"] < 0.1) + (q["weight_decay"] != 0.1) + (abs(q["grads"][0][0]) < 1),
    easy_max=0,
    hard_min=2,
)


typeset_minus_signs(__name__)
