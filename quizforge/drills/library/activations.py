"""Softmax, losses and activation gradients."""

from __future__ import annotations

import numpy as np

from quizforge.drills.base import Case, drill
from quizforge.drills.library._cases import TOPIC, edge, normal, scale
from quizforge.text import Text

STABLE = Text(
    "Subtract the maximum along the axis first (keepdims=True): softmax is unchanged and exp cannot overflow.",
    "先沿该轴减去最大值（keepdims=True）：softmax 不变，exp 也不会溢出。",
)


def _axis_case(rng: np.random.Generator, i: int, n: int) -> Case:
    ndim = 1 if i < 2 else int(rng.integers(2, 4))
    shape = tuple(int(v) for v in rng.integers(1, 6, size=ndim))
    s = 1000.0 if edge(i, n) else scale(rng, i, n)  # inputs near ±1000: the naive formula overflows
    axis = -1 if i < n // 2 else int(rng.integers(-ndim, ndim))
    return Case((normal(rng, *shape, s=s), axis), f"axis {axis}, magnitude {s:g}")


@drill(
    TOPIC,
    2,
    Text(
        "Implement a numerically stable softmax along an axis: same shape, sums to 1 along the axis, no overflow "
        "for inputs near ±1000.",
        "实现沿某一轴的数值稳定 softmax：形状不变，沿该轴和为 1，输入接近 ±1000 时也不溢出。",
    ),
    (STABLE, Text("Divide by np.sum(e, axis=axis, keepdims=True).", "除以 np.sum(e, axis=axis, keepdims=True)。")),
    _axis_case,
)
def softmax(x, axis=-1):
    """x any shape -> same shape, non-negative, summing to 1 along axis."""
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@drill(
    TOPIC,
    2,
    Text(
        "Implement a numerically stable log-softmax along an axis (as F.log_softmax), without taking log of a "
        "softmax that may underflow to 0.",
        "实现沿某一轴的数值稳定 log-softmax（与 F.log_softmax 相同），不要对可能下溢为 0 的 softmax 取对数。",
    ),
    (
        STABLE,
        Text(
            "log_softmax(x) = (x − m) − log Σ exp(x − m) with m the maximum (log-sum-exp).",
            "log_softmax(x) = (x − m) − log Σ exp(x − m)，m 为最大值（log-sum-exp 技巧）。",
        ),
    ),
    _axis_case,
)
def log_softmax(x, axis=-1):
    """x any shape -> same shape."""
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _ce_case(rng: np.random.Generator, i: int, n: int) -> Case:
    batch = 1 if i % 5 == 4 else int(rng.integers(1, 9))
    classes = int(rng.integers(2, 11))
    s = 1000.0 if edge(i, n) else scale(rng, i, n)
    return Case(
        (normal(rng, batch, classes, s=s), rng.integers(0, classes, size=batch)), f"batch {batch}, magnitude {s:g}"
    )


CE_HINT = Text(
    "Use log-softmax (log-sum-exp with the maximum subtracted), then pick the target column with "
    "logp[np.arange(N), targets].",
    "用 log-softmax（减去最大值的 log-sum-exp），再用 logp[np.arange(N), targets] 取出目标列。",
)


@drill(
    TOPIC,
    2,
    Text(
        "Implement the mean cross-entropy loss of logits (N, K) and integer targets (N,) (as F.cross_entropy); "
        "stable for logits near ±1000.",
        "实现 logits (N, K) 与整数标签 (N,) 的平均交叉熵损失（与 F.cross_entropy 相同）；"
        "logits 接近 ±1000 时也要稳定。",
    ),
    (CE_HINT, Text("Average over the batch: the loss is a scalar.", "在批次上取平均：损失是一个标量。")),
    _ce_case,
)
def cross_entropy(logits, targets):
    """logits (N, K), targets (N,) ints in [0, K) -> scalar mean loss."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(targets)), targets].mean()


@drill(
    TOPIC,
    3,
    Text(
        "Implement the gradient of the mean cross-entropy loss with respect to the logits: ∂L/∂logits, shape (N, K).",
        "实现平均交叉熵损失对 logits 的梯度 ∂L/∂logits，形状为 (N, K)。",
    ),
    (
        Text("∂L/∂z = (softmax(z) − onehot(y)) / N.", "∂L/∂z = (softmax(z) − onehot(y)) / N。"),
        Text(
            "Compute softmax stably; subtract 1 at [np.arange(N), targets].",
            "稳定地计算 softmax；在 [np.arange(N), targets] 处减 1。",
        ),
    ),
    _ce_case,
)
def cross_entropy_backward(logits, targets):
    """logits (N, K), targets (N,) -> dlogits (N, K) of the mean loss."""
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(targets)), targets] -= 1
    return p / len(targets)


def _grad_case(rng: np.random.Generator, i: int, n: int) -> Case:
    shape = tuple(int(v) for v in rng.integers(1, 7, size=1 + i % 3))
    s = 30.0 if edge(i, n) else scale(rng, i, n)
    x = normal(rng, *shape, s=s)
    if i % 2:
        x[rng.random(shape) < 0.3] = 0.0  # where the gradient's definition matters
    return Case((normal(rng, *shape), x), f"shape {shape}, magnitude {s:g}")


@drill(
    TOPIC,
    1,
    Text(
        "Implement the backward pass of the sigmoid: given dout = ∂L/∂σ(x) and the input x, return ∂L/∂x; stable for "
        "large |x|.",
        "实现 sigmoid 的反向传播：给定 dout = ∂L/∂σ(x) 和输入 x，返回 ∂L/∂x；|x| 很大时也要稳定。",
    ),
    (
        Text("σ′(x) = σ(x)(1 − σ(x)).", "σ′(x) = σ(x)(1 − σ(x))。"),
        Text(
            "For large negative x, exp(−x) overflows: σ(x) = exp(x) / (1 + exp(x)) there.",
            "x 为很大的负数时 exp(−x) 会溢出：此时用 σ(x) = exp(x) / (1 + exp(x))。",
        ),
    ),
    _grad_case,
)
def sigmoid_backward(dout, x):
    """dout and x of the same shape -> dx."""
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return dout * s * (1 - s)


@drill(
    TOPIC,
    1,
    Text(
        "Implement the backward pass of ReLU: given dout = ∂L/∂relu(x) and the input x, return ∂L/∂x (the gradient "
        "at x = 0 is 0, as torch).",
        "实现 ReLU 的反向传播：给定 dout = ∂L/∂relu(x) 和输入 x，返回 ∂L/∂x（x = 0 处梯度为 0，与 torch 相同）。",
    ),
    (
        Text("The gradient passes where x > 0 and is 0 elsewhere.", "x > 0 处梯度原样通过，其余为 0。"),
        Text("dout * (x > 0)", "dout * (x > 0)"),
    ),
    _grad_case,
)
def relu_backward(dout, x):
    """dout and x of the same shape -> dx."""
    return dout * (x > 0)
