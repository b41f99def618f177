"""Linear, normalisation, dropout and recurrent-cell drills."""

from __future__ import annotations

import numpy as np

from quizforge.drills.base import Case, drill
from quizforge.drills.library._cases import TOPIC, edge, normal, scale
from quizforge.text import Text


def _dims(rng: np.random.Generator, i: int, n: int) -> tuple[int, int, int]:
    batch = 1 if i % 5 == 4 else int(rng.integers(1, 9))
    return batch, int(rng.integers(1, 8)), int(rng.integers(1, 8))


def _linear_case(rng: np.random.Generator, i: int, n: int) -> Case:
    b, d_in, d_out = _dims(rng, i, n)
    x = normal(rng, b, d_in, s=scale(rng, i, n))
    return Case((x, normal(rng, d_out, d_in), normal(rng, d_out)), f"batch {b}, {d_in} → {d_out}")


@drill(
    TOPIC,
    1,
    Text(
        "Implement a linear layer's forward pass as F.linear: w is (out, in), so y = x wᵀ + b.",
        "按 F.linear 的约定实现全连接层前向传播：w 的形状为 (out, in)，所以 y = x wᵀ + b。",
    ),
    (Text("x @ w.T has shape (N, out); b broadcasts over the batch.", "x @ w.T 的形状为 (N, out)；b 在批次上广播。"),),
    _linear_case,
)
def linear_forward(x, w, b):
    """x (N, in), w (out, in), b (out,) -> (N, out)."""
    return x @ w.T + b


def _linear_backward_case(rng: np.random.Generator, i: int, n: int) -> Case:
    b, d_in, d_out = _dims(rng, i, n)
    x = normal(rng, b, d_in, s=scale(rng, i, n))
    return Case((normal(rng, b, d_out), x, normal(rng, d_out, d_in)), f"batch {b}, {d_in} → {d_out}")


@drill(
    TOPIC,
    2,
    Text(
        "Implement the backward pass of y = x wᵀ + b (w is (out, in)): given dout = ∂L/∂y return (dx, dw, db).",
        "实现 y = x wᵀ + b（w 的形状为 (out, in)）的反向传播：给定 dout = ∂L/∂y，返回 (dx, dw, db)。",
    ),
    (
        Text("Check shapes: dx like x, dw like w, db like b.", "先对形状：dx 与 x 同形，dw 与 w 同形，db 与 b 同形。"),
        Text(
            "dx = dout @ w, dw = dout.T @ x, db = dout summed over the batch.",
            "dx = dout @ w，dw = dout.T @ x，db = dout 在批次上求和。",
        ),
    ),
    _linear_backward_case,
    outputs=3,
)
def linear_backward(dout, x, w):
    """dout (N, out), x (N, in), w (out, in) -> (dx, dw, db)."""
    return dout @ w, dout.T @ x, dout.sum(axis=0)


def _norm_case(rng: np.random.Generator, i: int, n: int) -> Case:
    batch = 2 if i % 5 == 4 else int(rng.integers(2, 9))
    d = int(rng.integers(1, 8))
    shift = 50.0 if edge(i, n) else 0.0  # a large mean: variance computed as E[x²] − E[x]² loses digits
    x = normal(rng, batch, d, s=scale(rng, i, n)) + shift
    return Case((x, normal(rng, d), normal(rng, d), 1e-5), f"batch {batch}, {d} features, mean ≈ {shift:g}")


@drill(
    TOPIC,
    2,
    Text(
        "Implement batch normalisation's forward pass in training mode for x (N, D): normalise each feature with the "
        "batch mean and the biased batch variance, then scale by gamma and shift by beta.",
        "实现训练模式下批量归一化对 x (N, D) 的前向传播：用批均值和有偏批方差对每个特征归一化，再乘 gamma、加 beta。",
    ),
    (
        Text("Statistics over axis 0 (the batch), one per feature.", "统计量沿 0 轴（批次）计算，每个特征一个。"),
        Text(
            "The variance is biased (divide by N) and eps goes inside the square root.",
            "方差是有偏的（除以 N），eps 加在平方根里面。",
        ),
    ),
    _norm_case,
)
def batchnorm_forward(x, gamma, beta, eps):
    """x (N, D), gamma (D,), beta (D,), eps float -> (N, D)."""
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def _norm_backward_case(rng: np.random.Generator, i: int, n: int) -> Case:
    c = _norm_case(rng, i, n)
    x, gamma, _, eps = c.args
    return Case((normal(rng, *x.shape), x, gamma, eps), c.label)


@drill(
    TOPIC,
    4,
    Text(
        "Implement batch normalisation's backward pass (training mode, x (N, D), biased variance): given "
        "dout = ∂L/∂out, return (dx, dgamma, dbeta).",
        "实现批量归一化的反向传播（训练模式，x (N, D)，有偏方差）：给定 dout = ∂L/∂out，返回 (dx, dgamma, dbeta)。",
    ),
    (
        Text(
            "dbeta = Σ dout, dgamma = Σ dout·x̂ (sums over the batch).",
            "dbeta = Σ dout，dgamma = Σ dout·x̂（在批次上求和）。",
        ),
        Text(
            "The mean and the variance depend on every x: dx = γ/(N·σ) · (N·dout − Σdout − x̂·Σ(dout·x̂)), with "
            "σ = sqrt(var + eps) and sums over axis 0 broadcast back.",
            "均值和方差依赖所有 x：dx = γ/(N·σ) · (N·dout − Σdout − x̂·Σ(dout·x̂))，σ = sqrt(var + eps)，"
            "各求和沿 0 轴并广播回去。",
        ),
    ),
    _norm_backward_case,
    outputs=3,
    rtol=1e-4,
    atol=1e-5,
)
def batchnorm_backward(dout, x, gamma, eps):
    """dout (N, D), x (N, D), gamma (D,), eps -> (dx, dgamma, dbeta)."""
    n = x.shape[0]
    sigma = np.sqrt(x.var(axis=0) + eps)
    xhat = (x - x.mean(axis=0)) / sigma
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dx = gamma / (n * sigma) * (n * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta


def _layer_norm_case(rng: np.random.Generator, i: int, n: int) -> Case:
    lead = tuple(int(v) for v in rng.integers(1, 5, size=1 + i % 2))
    d = int(rng.integers(2, 9))
    shift = 50.0 if edge(i, n) else 0.0
    x = normal(rng, *lead, d, s=scale(rng, i, n)) + shift
    return Case((x, normal(rng, d), normal(rng, d), 1e-5), f"shape {(*lead, d)}, mean ≈ {shift:g}")


@drill(
    TOPIC,
    2,
    Text(
        "Implement LayerNorm over the last axis (as F.layer_norm(x, (D,), gamma, beta, eps)).",
        "实现在最后一个轴上的 LayerNorm（与 F.layer_norm(x, (D,), gamma, beta, eps) 相同）。",
    ),
    (
        Text(
            "Like batch norm but over axis=-1 with keepdims=True, per example.",
            "与批量归一化类似，但对每个样本沿 axis=-1（keepdims=True）统计。",
        ),
        Text("Biased variance, eps inside the square root.", "有偏方差，eps 在平方根里面。"),
    ),
    _layer_norm_case,
)
def layer_norm(x, gamma, beta, eps):
    """x (..., D), gamma (D,), beta (D,), eps -> same shape as x."""
    mu = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def _dropout_case(rng: np.random.Generator, i: int, n: int) -> Case:
    shape = tuple(int(v) for v in rng.integers(1, 7, size=1 + i % 3))
    p = float(rng.choice([0.1, 0.25, 0.5, 0.8]))
    mask = (rng.random(shape) >= p).astype(np.float64)
    return Case((normal(rng, *shape), mask, p), f"p = {p}")


@drill(
    TOPIC,
    1,
    Text(
        "Implement inverted dropout's training-mode forward pass with a given keep mask (1 = kept) and drop "
        "probability p.",
        "实现训练模式下倒置 dropout 的前向传播：给定保留掩码 mask（1 表示保留）和丢弃概率 p。",
    ),
    (
        Text(
            "Inverted dropout scales the kept units by 1/(1 − p) during training, so inference needs no scaling.",
            "倒置 dropout 在训练时把保留的单元乘以 1/(1 − p)，这样推理时无须缩放。",
        ),
    ),
    _dropout_case,
)
def dropout_forward(x, mask, p):
    """x any shape, mask of the same shape (1 keep, 0 drop), p the drop probability -> same shape."""
    return x * mask / (1 - p)


def _lstm_case(rng: np.random.Generator, i: int, n: int) -> Case:
    batch = 1 if i % 4 == 3 else int(rng.integers(1, 5))
    d, h = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    s = scale(rng, i, n)
    return Case(
        (
            normal(rng, batch, d, s=s),
            normal(rng, batch, h),
            normal(rng, batch, h),
            normal(rng, 4 * h, d),
            normal(rng, 4 * h, h),
            normal(rng, 4 * h),
            normal(rng, 4 * h),
        ),
        f"batch {batch}, input {d}, hidden {h}, magnitude {s:g}",
    )


@drill(
    TOPIC,
    3,
    Text(
        "Implement one step of an LSTM cell (as torch.nn.LSTMCell): the gates are stacked in the order input, forget, "
        "cell (g), output in w_ih (4H, D), w_hh (4H, H), b_ih and b_hh (4H,). Return (h_next, c_next).",
        "实现 LSTM 单元的一步（与 torch.nn.LSTMCell 相同）：w_ih (4H, D)、w_hh (4H, H)、b_ih 与 b_hh (4H,) 中的门"
        "按输入门、遗忘门、候选值 g、输出门的顺序堆叠。返回 (h_next, c_next)。",
    ),
    (
        Text(
            "z = x w_ihᵀ + b_ih + h w_hhᵀ + b_hh, split into four (N, H) blocks with np.split(z, 4, axis=1).",
            "z = x w_ihᵀ + b_ih + h w_hhᵀ + b_hh，用 np.split(z, 4, axis=1) 分成四个 (N, H) 块。",
        ),
        Text(
            "i, f, o are sigmoids, g is tanh; c′ = f·c + i·g, h′ = o·tanh(c′).",
            "i、f、o 用 sigmoid，g 用 tanh；c′ = f·c + i·g，h′ = o·tanh(c′)。",
        ),
    ),
    _lstm_case,
    outputs=2,
)
def lstm_cell(x, h, c, w_ih, w_hh, b_ih, b_hh):
    """x (N, D), h and c (N, H), w_ih (4H, D), w_hh (4H, H), b_ih and b_hh (4H,) -> (h_next, c_next)."""
    z = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh
    i, f, g, o = np.split(z, 4, axis=1)
    i, f, o = (0.5 * (1 + np.tanh(0.5 * a)) for a in (i, f, o))  # sigmoid, without overflow
    c_next = f * c + i * np.tanh(g)
    return o * np.tanh(c_next), c_next
