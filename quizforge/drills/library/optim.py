"""Optimiser steps, with torch's conventions."""

from __future__ import annotations

import numpy as np

from quizforge.drills.base import Case, drill
from quizforge.drills.library._cases import TOPIC, edge, normal
from quizforge.text import Text


def _sgd_case(rng: np.random.Generator, i: int, n: int) -> Case:
    shape = tuple(int(v) for v in rng.integers(1, 6, size=1 + i % 2))
    velocity = np.zeros(shape) if i % 4 == 0 else normal(rng, *shape)  # the first step starts from zero
    lr, momentum = float(rng.choice([0.1, 0.01, 0.5])), float(rng.choice([0.5, 0.9, 0.99]))
    return Case((normal(rng, *shape), normal(rng, *shape), velocity, lr, momentum), f"lr {lr}, momentum {momentum}")


@drill(
    TOPIC,
    1,
    Text(
        "Implement one SGD-with-momentum step as torch.optim.SGD does it: v ← momentum·v + grad, w ← w − lr·v. "
        "Return (w_new, v_new).",
        "按 torch.optim.SGD 的方式实现一步带动量的 SGD：v ← momentum·v + grad，w ← w − lr·v。返回 (w_new, v_new)。",
    ),
    (
        Text(
            "torch does not multiply grad by (1 − momentum) (dampening = 0) and applies lr after the momentum.",
            "torch 不把 grad 乘以 (1 − momentum)（dampening = 0），学习率在动量之后乘。",
        ),
    ),
    _sgd_case,
    outputs=2,
)
def sgd_momentum_step(w, grad, velocity, lr, momentum):
    """w, grad, velocity of one shape; lr, momentum floats -> (w_new, v_new)."""
    v = momentum * velocity + grad
    return w - lr * v, v


def _adam_case(rng: np.random.Generator, i: int, n: int) -> Case:
    shape = tuple(int(v) for v in rng.integers(1, 6, size=1 + i % 2))
    t = 1 if i % 3 == 0 else int(rng.integers(2, 1000))
    m = np.zeros(shape) if t == 1 else normal(rng, *shape, s=0.1)
    v = np.zeros(shape) if t == 1 else np.abs(normal(rng, *shape, s=0.01))
    lr = float(rng.choice([1e-3, 1e-2]))
    g = 1e-4 if edge(i, n) else 1.0  # tiny gradients: where eps matters
    m, v = m * g, v * g * g
    return Case(
        (normal(rng, *shape), normal(rng, *shape, s=g), m, v, t, lr, 0.9, 0.999, 1e-8), f"step t = {t}, |grad| ~ {g:g}"
    )


@drill(
    TOPIC,
    3,
    Text(
        "Implement one Adam step (as torch.optim.Adam): update the moments m and v with grad, correct their bias "
        "with step number t (1-based), then update w. Return (w_new, m_new, v_new).",
        "实现一步 Adam（与 torch.optim.Adam 相同）：用 grad 更新一阶矩 m 和二阶矩 v，用步数 t（从 1 开始）做偏差修正，"
        "再更新 w。返回 (w_new, m_new, v_new)。",
    ),
    (
        Text("m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g².", "m ← β₁m + (1 − β₁)g，v ← β₂v + (1 − β₂)g²。"),
        Text(
            "m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ); w ← w − lr·m̂/(√v̂ + eps) — eps outside the square root.",
            "m̂ = m/(1 − β₁ᵗ)，v̂ = v/(1 − β₂ᵗ)；w ← w − lr·m̂/(√v̂ + eps)——eps 在平方根外面。",
        ),
    ),
    _adam_case,
    outputs=3,
)
def adam_step(w, grad, m, v, t, lr, beta1, beta2, eps):
    """w, grad, m, v of one shape; t the step (1-based); lr, beta1, beta2, eps floats -> (w_new, m_new, v_new)."""
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
