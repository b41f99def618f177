"""Attention drills."""

from __future__ import annotations

import numpy as np

from quizforge.drills.base import Case, drill
from quizforge.drills.library._cases import TOPIC, edge, normal, scale
from quizforge.text import Text

SOFTMAX_HINT = Text(
    "Softmax over the last axis (the keys), with the maximum subtracted first.",
    "在最后一个轴（键）上做 softmax，先减去最大值。",
)


def _sdpa_case(rng: np.random.Generator, i: int, n: int) -> Case:
    lead = tuple(int(v) for v in rng.integers(1, 4, size=i % 3))  # no batch axes, then one, then two
    q_len, k_len = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    d, dv = int(rng.integers(1, 9)), int(rng.integers(1, 9))
    s = scale(rng, i, n)
    mask = None
    if i >= n // 2:
        mask = rng.random((q_len, k_len) if i % 2 else (*lead, q_len, k_len)) < 0.7
        mask[..., 0] = True  # every query may attend somewhere (a fully masked row is NaN in torch)
        if edge(i, n):
            mask = np.tril(np.ones((q_len, k_len), dtype=bool), k=max(0, k_len - q_len))  # causal
            mask[:, 0] = True
    label = f"{'no' if mask is None else 'a'} mask, n {q_len}, m {k_len}, d {d}, magnitude {s:g}"
    return Case(
        (normal(rng, *lead, q_len, d, s=s), normal(rng, *lead, k_len, d, s=s), normal(rng, *lead, k_len, dv), mask),
        label,
    )


@drill(
    TOPIC,
    2,
    Text(
        "Implement scaled dot-product attention (as F.scaled_dot_product_attention): q (…, n, d), k (…, m, d), "
        "v (…, m, d_v); mask is None or boolean broadcastable to (…, n, m), True = may attend.",
        "实现缩放点积注意力（与 F.scaled_dot_product_attention 相同）：q (…, n, d)，k (…, m, d)，v (…, m, d_v)；"
        "mask 为 None 或可广播到 (…, n, m) 的布尔数组，True 表示可以关注。",
    ),
    (
        Text(
            "scores = q @ swapaxes(k, -1, -2) / sqrt(d); where the mask is False set the score to −inf.",
            "scores = q @ swapaxes(k, -1, -2) / sqrt(d)；mask 为 False 的位置把分数设为 −inf。",
        ),
        SOFTMAX_HINT,
    ),
    _sdpa_case,
)
def scaled_dot_product_attention(q, k, v, mask=None):
    """q (..., n, d), k (..., m, d), v (..., m, dv), mask None or bool (..., n, m) -> (..., n, dv)."""
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)) @ v


def _mha_case(rng: np.random.Generator, i: int, n: int) -> Case:
    heads = int(rng.choice([1, 2, 4])) if i >= 2 else 1
    e = heads * int(rng.integers(1, 5))
    batch, length = (1 if i % 4 == 3 else int(rng.integers(1, 4))), int(rng.integers(1, 7))
    ws = [normal(rng, e, e, s=1 / np.sqrt(e)) for _ in range(4)]
    return Case((normal(rng, batch, length, e, s=scale(rng, i, n)), *ws, heads), f"{heads} heads, E {e}, L {length}")


@drill(
    TOPIC,
    4,
    Text(
        "Implement multi-head self-attention without biases or mask: x (N, L, E); q = x w_qᵀ, k = x w_kᵀ, v = x w_vᵀ "
        "(weights (E, E)); split E into num_heads heads, attend per head with scale 1/√(E/num_heads), concatenate the "
        "heads and apply w_o: out = concat · w_oᵀ.",
        "实现不带偏置和掩码的多头自注意力：x (N, L, E)；q = x w_qᵀ，k = x w_kᵀ，v = x w_vᵀ（权重 (E, E)）；"
        "把 E 分成 num_heads 个头，每个头以 1/√(E/num_heads) 缩放做注意力，拼接各头后乘 w_o：out = concat · w_oᵀ。",
    ),
    (
        Text(
            "Heads: reshape (N, L, E) → (N, L, H, E/H) and transpose to (N, H, L, E/H); undo it after attending.",
            "分头：把 (N, L, E) reshape 成 (N, L, H, E/H)，再转置为 (N, H, L, E/H)；注意力之后再变回去。",
        ),
        SOFTMAX_HINT,
    ),
    _mha_case,
)
def multi_head_attention(x, w_q, w_k, w_v, w_o, num_heads):
    """x (N, L, E), w_q, w_k, w_v, w_o (E, E), num_heads dividing E -> (N, L, E)."""
    n, length, e = x.shape
    d = e // num_heads

    def heads(t):
        return t.reshape(n, length, num_heads, d).transpose(0, 2, 1, 3)

    q, k, v = heads(x @ w_q.T), heads(x @ w_k.T), heads(x @ w_v.T)
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(d)
    p = np.exp(scores - scores.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    out = (p @ v).transpose(0, 2, 1, 3).reshape(n, length, e)
    return out @ w_o.T


def _pe_case(rng: np.random.Generator, i: int, n: int) -> Case:
    length = int(rng.integers(1, 12)) if not edge(i, n) else int(rng.integers(100, 600))
    d_model = 2 * int(rng.integers(1, 9))
    return Case((length, d_model), f"length {length}, d_model {d_model}")


@drill(
    TOPIC,
    1,
    Text(
        "Implement the Transformer's sinusoidal positional encoding (length, d_model): PE[pos, 2i] = sin(pos / "
        "10000^(2i/d_model)), PE[pos, 2i+1] = cos(pos / 10000^(2i/d_model)).",
        "实现 Transformer 的正弦位置编码 (length, d_model)：PE[pos, 2i] = sin(pos / 10000^(2i/d_model))，"
        "PE[pos, 2i+1] = cos(pos / 10000^(2i/d_model))。",
    ),
    (
        Text(
            "An outer product of positions (length, 1) and frequencies (1, d_model/2) gives every angle at once.",
            "位置 (length, 1) 与频率 (1, d_model/2) 的外积一次得到所有角度。",
        ),
        Text(
            "Fill the even columns with sin and the odd ones with cos: pe[:, 0::2], pe[:, 1::2].",
            "偶数列填 sin，奇数列填 cos：pe[:, 0::2]、pe[:, 1::2]。",
        ),
    ),
    _pe_case,
)
def positional_encoding(length, d_model):
    """length, d_model (even) ints -> (length, d_model)."""
    pos = np.arange(length)[:, None]
    freq = 10000.0 ** (-np.arange(0, d_model, 2) / d_model)
    pe = np.zeros((length, d_model))
    pe[:, 0::2] = np.sin(pos * freq)
    pe[:, 1::2] = np.cos(pos * freq)
    return pe
