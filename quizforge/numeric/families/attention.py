"""Attention, transformer and ViT families: attention by hand, causal masks, the memory of the score
matrix, parameter counts of ``nn.MultiheadAttention`` and ``nn.TransformerEncoderLayer``, sinusoidal
position encodings, KV-cache size, training FLOPs, and how a ViT turns an image into tokens.

Values are computed with NumPy (``ops.softmax``) and closed-form counts; the torch oracles in
:mod:`quizforge.numeric.oracles.attention` use ``F.scaled_dot_product_attention``, real modules,
meta-device tensors and ``FlopCounterMode`` instead.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from quizforge.answer import AnswerKind, Tolerance
from quizforge.numeric import ops
from quizforge.numeric.base import Draft, Params, family, mistake, torch_snippet
from quizforge.numeric.families.cnn import TWO_DECIMALS, fmt_grid, fmt_int, fmt_num, mat, pick
from quizforge.text import Text

Matrix = np.ndarray[Any, Any]

# Answers asked "to n decimal places": anything that rounds to the right value passes.
ROUNDED_1DP = Tolerance(rel=0.0, abs=0.05 + 1e-9)
ROUNDED_2DP = Tolerance(rel=0.0, abs=0.005 + 1e-9)
FOUR_DECIMALS = Tolerance(rel=0.0, abs=5e-4 + 1e-12)
DTYPE_BYTES = {"float32": 4, "float16": 2, "bfloat16": 2}
UNIT_BYTES = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30}
UNIT_DECIMAL = {"KiB": 10**3, "MiB": 10**6, "GiB": 10**9}
UNIT_POWER = {"KiB": "2¹⁰", "MiB": "2²⁰", "GiB": "2³⁰"}


def _four(v: float, places: int = 4) -> str:
    """A value rounded to ``places`` decimals, trailing zeros dropped: ``100``, ``1.0366``."""
    return f"{round(v, places):.{places}f}".rstrip("0").rstrip(".")


def _is(v: float, places: int = 4) -> str:
    """``= 100`` when ``places`` decimals show ``v`` exactly, ``≈ 1.0366`` when they round it."""
    return ("= " if math.isclose(round(v, places), v, abs_tol=1e-12) else "≈ ") + _four(v, places)


def _masked_grid(values: Matrix, hidden: Matrix) -> str:
    """A matrix as right-aligned rows with ``−∞`` where ``hidden`` is true (masked logits)."""
    shown = [["−∞" if h else fmt_num(round(float(v), 4)) for v, h in zip(row, hrow, strict=True)]
             for row, hrow in zip(values, hidden, strict=True)]  # fmt: skip
    width = max(len(c) for row in shown for c in row)
    return "\n".join("    " + "  ".join(c.rjust(width) for c in row) for row in shown)


def _rows(m: Matrix) -> str:
    return fmt_grid(np.round(m, 4))


def _differs(a: Any, b: Any, tol: float) -> bool:
    """Whether two answers differ by more than ``tol`` in some entry (or in shape)."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return x.shape != y.shape or bool(np.max(np.abs(x - y)) > tol)


# ---------------------------------------------------------------------------------------------
# attn.attention: scaled dot-product attention
# ---------------------------------------------------------------------------------------------


def attention(
    q: Matrix, k: Matrix, v: Matrix, causal: bool, *, scale: float | None = None, axis: int = 1
) -> tuple[Matrix, Matrix, Matrix]:
    """(scores QKᵀ·scale, weights, output) of scaled dot-product attention; ``scale`` defaults to 1/√d.

    ``axis=0`` (normalising over the queries) and other scales produce the named mistakes.
    """
    s = q @ k.T * (1 / math.sqrt(q.shape[1]) if scale is None else scale)
    if causal:
        s = np.where(np.triu(np.ones_like(s, dtype=bool), 1), -np.inf, s)
    w = ops.softmax(s, dim=axis)
    return s, w, w @ v


def _attention_params(p: Params) -> tuple[Matrix, Matrix, Matrix, bool]:
    return np.array(p["q"], float), np.array(p["k"], float), np.array(p["v"], float), bool(p["causal"])


def _attention_no_scale(p: Params) -> list[list[float]]:
    q, k, v, c = _attention_params(p)
    return mat(attention(q, k, v, c, scale=1.0)[2])


def _attention_by_d(p: Params) -> list[list[float]]:
    q, k, v, c = _attention_params(p)
    return mat(attention(q, k, v, c, scale=1 / q.shape[1])[2])


def _attention_columns(p: Params) -> list[list[float]]:
    q, k, v, c = _attention_params(p)
    return mat(attention(q, k, v, c, axis=0)[2])


@family(
    "attention_output",
    topic="attn.attention",
    title=Text("Scaled dot-product attention by hand", "手算缩放点积注意力"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_attention_output(rng: np.random.Generator, level: int) -> Draft:
    """softmax(QKᵀ/√d)·V with d = 4 (√d = 2); level 1: 2 queries × 2 keys, 2: 2 × 3, 3: 3 × 3 causal."""
    n, m = {1: (2, 2), 2: (2, 3), 3: (3, 3)}[level]
    causal = level == 3
    d, dv = 4, 2
    while True:
        q = rng.integers(-1, 2, size=(n, d))
        k = rng.integers(-1, 2, size=(m, d))
        v = rng.integers(0, 5, size=(m, dv))
        p: Params = {"q": q.tolist(), "k": k.tolist(), "v": v.tolist(), "causal": causal}
        _, w, out = attention(q.astype(float), k.astype(float), v.astype(float), causal)
        right = mat(out)
        wrong = (_attention_no_scale(p), _attention_by_d(p), _attention_columns(p))
        if all(_differs(right, x, 0.02) for x in wrong):
            break
    raw = q @ k.T
    mask_en = mask_zh = ""
    if causal:
        mask_en = " and apply the causal mask (query i may not see keys j > i: −∞, weight 0)"
        mask_zh = "，再加因果掩码（第 i 个查询看不到 j > i 的键：置为 −∞，权重为 0）"
    scaled = _masked_grid(raw / 2, np.triu(np.ones((n, m), dtype=bool), 1) if causal else np.zeros((n, m), dtype=bool))
    prompt = Text(
        f"Compute the {'causal ' if causal else ''}scaled dot-product attention output softmax(QKᵀ/√d)·V "
        f"(softmax over each row{', with a causal mask' if causal else ''}) for\n"
        f"Q =\n{fmt_grid(q)}\nK =\n{fmt_grid(k)}\nV =\n{fmt_grid(v)}\n"
        f"Round to 2 decimal places and answer as a {n}×{dv} matrix.",
        f"计算{'带因果掩码的' if causal else ''}缩放点积注意力输出 softmax(QKᵀ/√d)·V（对每一行做 softmax），其中\n"
        f"Q =\n{fmt_grid(q)}\nK =\n{fmt_grid(k)}\nV =\n{fmt_grid(v)}\n"
        f"保留 2 位小数，按 {n}×{dv} 矩阵作答。",
    )
    solution = Text(
        f"1. Scores QKᵀ (row i = query i, column j = key j):\n{fmt_grid(raw)}\n"
        f"2. Divide by √d = √{d} = 2{mask_en}:\n{scaled}\n"
        f"3. Softmax of each row (each row sums to 1):\n{_rows(w)}\n"
        f"4. Output = weights · V:\n{_rows(out)}\nAnswer (2 decimals):\n{fmt_grid(np.round(out, 2))}",
        f"1. 打分矩阵 QKᵀ（第 i 行对应第 i 个查询，第 j 列对应第 j 个键）：\n{fmt_grid(raw)}\n"
        f"2. 除以 √d = √{d} = 2{mask_zh}：\n{scaled}\n"
        f"3. 对每一行做 softmax（每行之和为 1）：\n{_rows(w)}\n"
        f"4. 输出 = 权重 · V：\n{_rows(out)}\n答案（保留 2 位小数）：\n{fmt_grid(np.round(out, 2))}",
    )
    return Draft(
        params=p, prompt=prompt, answer=right, answer_kind=AnswerKind.MATRIX, tolerance=TWO_DECIMALS, solution=solution
    )


mistake(
    "attention_output",
    "no-scaling",
    step=2,
    text=Text(
        "You took the softmax of QKᵀ without dividing by √d: the logits are too large and the weights too peaked.",
        "你没有除以 √d 就直接对 QKᵀ 做了 softmax：logit 偏大，权重过于集中。",
    ),
)(_attention_no_scale)


mistake(
    "attention_output",
    "divided-by-d",
    step=2,
    text=Text(
        "You divided the scores by d instead of √d: the scale that keeps the logits' variance at 1 is 1/√d.",
        "你把打分除以了 d 而不是 √d：让 logit 方差保持为 1 的缩放因子是 1/√d。",
    ),
)(_attention_by_d)


mistake(
    "attention_output",
    "softmax-over-queries",
    step=3,
    text=Text(
        "You normalised each column (over the queries); attention normalises each row: every query's weights over "
        "the keys sum to 1.",
        "你对每一列（沿查询方向）做了归一化；注意力是对每一行归一化：每个查询对所有键的权重之和为 1。",
    ),
)(_attention_columns)


@torch_snippet("attention_output")
def _attention_snippet(p: Params) -> str:
    return (
        "import torch\nimport torch.nn.functional as F\n"
        f"q = torch.tensor({p['q']}, dtype=torch.float64)\n"
        f"k = torch.tensor({p['k']}, dtype=torch.float64)\n"
        f"v = torch.tensor({p['v']}, dtype=torch.float64)\n"
        f"out = F.scaled_dot_product_attention(q, k, v, is_causal={p['causal']})\n"
        "print(out.round(decimals=2).tolist())\n"
    )


# ---------------------------------------------------------------------------------------------
# attn.attention: masked attention weights
# ---------------------------------------------------------------------------------------------


def masked_weights(
    scores: Matrix, pad: int, *, masked_value: float = -np.inf, mask: bool = True, after: bool = False
) -> Matrix:
    """Attention weights under a causal mask and ``pad`` padded keys at the end (keywords: the mistakes)."""
    n = scores.shape[0]
    hidden = np.triu(np.ones((n, n), dtype=bool), 1)
    if pad:
        hidden[:, n - pad :] = True
    if not mask:
        return ops.softmax(scores, dim=1)
    if after:
        return np.where(hidden, 0.0, ops.softmax(scores, dim=1))
    return ops.softmax(np.where(hidden, masked_value, scores), dim=1)


def _scores(p: Params) -> tuple[Matrix, int]:
    return np.array(p["scores"], float), int(p["pad"])


@family(
    "causal_attention_weights",
    topic="attn.attention",
    title=Text("Attention weights under a causal (and padding) mask", "因果掩码（及填充掩码）下的注意力权重"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_causal_attention_weights(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: 2 tokens; 2: 3 tokens; 3: 4 tokens whose last one is padding."""
    n, pad = {1: (2, 0), 2: (3, 0), 3: (4, 1)}[level]
    while True:
        scores = rng.integers(-1, 3, size=(n, n))
        p: Params = {"scores": scores.tolist(), "pad": pad}
        s = scores.astype(float)
        right = mat(masked_weights(s, pad))
        wrong = (
            masked_weights(s, pad, mask=False),
            masked_weights(s, pad, after=True),
            masked_weights(s, pad, masked_value=0.0),
        )
        if all(_differs(right, w, 0.02) for w in wrong):
            break
    pad_en = f" The last {pad} position is padding: no query may attend to it." if pad else ""
    pad_zh = f"最后 {pad} 个位置是填充（padding），任何查询都不能关注它。" if pad else ""
    prompt = Text(
        f"The scaled attention logits QKᵀ/√d of {n} tokens are\n{fmt_grid(scores)}\n"
        f"(row i = query i, column j = key j). A decoder applies a causal mask.{pad_en} "
        f"What is the attention-weight matrix? Round to 2 decimal places.",
        f"{n} 个词元的缩放注意力 logit QKᵀ/√d 为\n{fmt_grid(scores)}\n"
        f"（第 i 行对应查询 i，第 j 列对应键 j）。解码器使用因果掩码。{pad_zh}"
        f"注意力权重矩阵是什么？保留 2 位小数。",
    )
    hidden = np.triu(np.ones((n, n), dtype=bool), 1)
    if pad:
        hidden[:, n - pad :] = True
    masked_text = _masked_grid(scores, hidden)
    w = masked_weights(scores.astype(float), pad)
    pad_rule_en = " and every key in a padded position" if pad else ""
    pad_rule_zh = "以及所有填充位置的键" if pad else ""
    solution = Text(
        f"1. Mask before the softmax: set the logits of future keys (j > i){pad_rule_en} to −∞:\n{masked_text}\n"
        f"2. Softmax of each row over the remaining keys (e^−∞ = 0, each row sums to 1):\n{_rows(w)}\n"
        f"Answer (2 decimals):\n{fmt_grid(np.round(w, 2))}",
        f"1. 在 softmax 之前加掩码：把未来位置的键（j > i）{pad_rule_zh}对应的 logit 置为 −∞：\n{masked_text}\n"
        f"2. 对每一行剩下的键做 softmax（e^−∞ = 0，每行之和为 1）：\n{_rows(w)}\n"
        f"答案（保留 2 位小数）：\n{fmt_grid(np.round(w, 2))}",
    )
    return Draft(
        params=p, prompt=prompt, answer=right, answer_kind=AnswerKind.MATRIX, tolerance=TWO_DECIMALS, solution=solution
    )


@mistake(
    "causal_attention_weights",
    "no-mask",
    step=1,
    text=Text(
        "You applied no mask: in a decoder each position may only attend to itself and earlier positions.",
        "你没有加掩码：解码器中每个位置只能关注自己和之前的位置。",
    ),
)
def _m_no_mask(p: Params) -> list[list[float]]:
    s, pad = _scores(p)
    return mat(masked_weights(s, pad, mask=False))


@mistake(
    "causal_attention_weights",
    "mask-after-softmax",
    step=1,
    text=Text(
        "You zeroed the masked weights after the softmax, so the rows no longer sum to 1; mask the logits with −∞ "
        "before the softmax.",
        "你在 softmax 之后才把被遮住的权重置零，于是每行之和不再是 1；应在 softmax 之前把 logit 置为 −∞。",
    ),
)
def _m_after(p: Params) -> list[list[float]]:
    s, pad = _scores(p)
    return mat(masked_weights(s, pad, after=True))


@mistake(
    "causal_attention_weights",
    "masked-with-zero",
    step=1,
    text=Text(
        "You set the masked logits to 0 instead of −∞: e⁰ = 1, so the hidden keys still get weight.",
        "你把被遮住的 logit 置为 0 而不是 −∞：e⁰ = 1，被遮住的键仍然分到了权重。",
    ),
)
def _m_zero(p: Params) -> list[list[float]]:
    s, pad = _scores(p)
    return mat(masked_weights(s, pad, masked_value=0.0))


@torch_snippet("causal_attention_weights")
def _weights_snippet(p: Params) -> str:
    n = len(p["scores"])
    pad = f"\nmask[:, {n - p['pad']}:] = True" if p["pad"] else ""
    return (
        "import torch\n"
        f"scores = torch.tensor({p['scores']}, dtype=torch.float64)\n"
        f"mask = torch.ones({n}, {n}, dtype=torch.bool).triu(1){pad}\n"
        "w = scores.masked_fill(mask, float('-inf')).softmax(dim=-1)\n"
        "print(w.round(decimals=2).tolist())\n"
    )


# ---------------------------------------------------------------------------------------------
# attn.attention: memory of the score matrix
# ---------------------------------------------------------------------------------------------


def score_bytes(p: Params) -> int:
    """Bytes of the b·h·n² attention scores, kept in every layer."""
    n = p["seq_len"]
    return int(p["batch"] * p["num_heads"] * p["num_layers"] * n * n * DTYPE_BYTES[p["dtype"]])


@family(
    "attention_cost",
    topic="attn.attention",
    title=Text("Memory of the attention score matrix", "注意力打分矩阵的显存"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_attention_cost(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: one n×n matrix; 2: batch × heads; 3: every layer of a model, in GiB."""
    n = pick(rng, [512, 1024, 2048, 4096, 8192])
    dtype = pick(rng, ["float32", "float16", "bfloat16"])
    batch = 1 if level == 1 else pick(rng, [2, 4, 8, 16])
    heads = 1 if level == 1 else pick(rng, [8, 12, 16, 32])
    layers = 1 if level < 3 else pick(rng, [12, 24, 32])
    unit = "GiB" if level == 3 else "MiB"
    p: Params = {"seq_len": n, "num_heads": heads, "batch": batch, "num_layers": layers, "dtype": dtype, "unit": unit}
    total = score_bytes(p)
    answer = total / UNIT_BYTES[unit]
    b = DTYPE_BYTES[dtype]
    if level == 1:
        what_en = f"one {n}×{n} attention score matrix (one head, one sequence)"
        what_zh = f"一个 {n}×{n} 的注意力打分矩阵（单头、单个序列）"
    elif level == 2:
        what_en = f"the attention score matrices of one layer for batch {batch} and {heads} heads"
        what_zh = f"一层注意力在批量 {batch}、{heads} 个头时的所有打分矩阵"
    else:
        what_en = f"the attention score matrices of all {layers} layers (batch {batch}, {heads} heads; a naive "
        what_en += "implementation keeps them for the backward pass)"
        what_zh = f"全部 {layers} 层的注意力打分矩阵（批量 {batch}、{heads} 个头；朴素实现为反向传播保存它们）"
    prompt = Text(
        f"Sequence length n = {n}, scores stored in {dtype}. How much memory is needed to store {what_en}? "
        f"Answer in {unit} (1 {unit} = {UNIT_POWER[unit]} bytes), to 2 decimal places.",
        f"序列长度 n = {n}，打分以 {dtype} 存储。{what_zh}占多少显存？"
        f"以 {unit} 为单位（1 {unit} = {UNIT_POWER[unit]} 字节），保留 2 位小数。",
    )
    count = f"{batch}·{heads}·{layers}·{n}²" if level == 3 else (f"{batch}·{heads}·{n}²" if level == 2 else f"{n}²")
    elements = total // b
    solution = Text(
        f"1. Elements: {count} = {fmt_int(elements)} (the score matrix is n×n per head and sequence: O(n²)).\n"
        f"2. Bytes: × {b} bytes per {dtype} element = {fmt_int(total)} bytes.\n"
        f"3. In {unit}: {fmt_int(total)} / {UNIT_POWER[unit]} = {fmt_num(answer)}.\nAnswer: {fmt_num(answer)} {unit}.",
        f"1. 元素个数：{count} = {fmt_int(elements)}（每个头、每个序列的打分矩阵是 n×n：O(n²)）。\n"
        f"2. 字节数：× 每个 {dtype} 元素 {b} 字节 = {fmt_int(total)} 字节。\n"
        f"3. 换算成 {unit}：{fmt_int(total)} / {UNIT_POWER[unit]} = {fmt_num(answer)}。\n"
        f"答案：{fmt_num(answer)} {unit}。",
    )
    return Draft(
        params=p,
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.NUMBER,
        tolerance=ROUNDED_2DP,
        solution=solution,
    )


@mistake(
    "attention_cost",
    "decimal-units",
    step=3,
    text=Text(
        "You divided by a power of ten; the question's unit is binary (MiB = 2²⁰ bytes, GiB = 2³⁰ bytes).",
        "你除以了 10 的幂；题目单位是二进制的（MiB = 2²⁰ 字节，GiB = 2³⁰ 字节）。",
    ),
)
def _m_decimal(p: Params) -> float:
    return score_bytes(p) / UNIT_DECIMAL[p["unit"]]


@mistake(
    "attention_cost",
    "counted-elements",
    step=2,
    text=Text(
        "You counted elements, not bytes: each element takes 4 bytes in float32 and 2 in float16/bfloat16.",
        "你算的是元素个数而不是字节数：float32 每个元素 4 字节，float16/bfloat16 每个 2 字节。",
    ),
)
def _m_elements(p: Params) -> float:
    return score_bytes(p) / DTYPE_BYTES[p["dtype"]] / UNIT_BYTES[p["unit"]]


@torch_snippet("attention_cost")
def _cost_snippet(p: Params) -> str:
    n = p["seq_len"]
    return (
        "import torch\n"
        f"s = torch.empty({p['batch']}, {p['num_heads']}, {n}, {n}, dtype=torch.{p['dtype']}, device='meta')\n"
        f"print(round({p['num_layers']} * s.numel() * s.element_size() / {UNIT_BYTES[p['unit']]}, 2))\n"
    )


# ---------------------------------------------------------------------------------------------
# attn.transformer: parameter counts
# ---------------------------------------------------------------------------------------------

_DIMS = [(64, [2, 4, 8]), (128, [2, 4, 8]), (256, [4, 8]), (512, [8, 16]), (768, [12]), (1024, [16])]


def mha_count(d: int, bias: bool, *, projections: int = 4, heads: int = 1) -> int:
    """``projections`` d×d matrices (+ biases), ``heads`` times: the keywords produce the mistakes."""
    return heads * projections * (d * d + (d if bias else 0))


@family(
    "mha_params",
    topic="attn.transformer",
    title=Text("Parameters of nn.MultiheadAttention", "nn.MultiheadAttention 的参数量"),
    difficulty=2,
    levels=2,
    default_level=1,
)
def draw_mha_params(rng: np.random.Generator, level: int) -> Draft:
    """4d² + 4d (bias=True) or 4d²: Q, K, V and output projections, whatever the number of heads."""
    d, options = pick(rng, _DIMS)
    h = pick(rng, options)
    bias = True if level == 1 else bool(rng.integers(2))
    total = mha_count(d, bias)
    call = f"nn.MultiheadAttention(embed_dim={d}, num_heads={h}" + ("" if bias else ", bias=False") + ")"
    b_en = f" + 3·{d} bias" if bias else " (no bias)"
    b_zh = f" + 3·{d} 偏置" if bias else "（无偏置）"
    o_en = f" + {d}" if bias else ""
    solution = Text(
        f"1. in_proj stacks W_Q, W_K, W_V: 3·{d}·{d}{b_en} = {fmt_int(mha_count(d, bias, projections=3))}. "
        f"The {h} heads split these {d} dimensions into {h} slices of d_k = {d // h}; they add no parameters.\n"
        f"2. out_proj: {d}·{d}{o_en} = {fmt_int(mha_count(d, bias, projections=1))}.\n"
        f"3. Total 4·{d}²{' + 4·' + str(d) if bias else ''} = {fmt_int(total)}.\nAnswer: {fmt_int(total)}.",
        f"1. in_proj 把 W_Q、W_K、W_V 叠在一起：3·{d}·{d}{b_zh} = {fmt_int(mha_count(d, bias, projections=3))}。"
        f"{h} 个头只是把这 {d} 维切成 {h} 份，每份 d_k = {d // h}，不增加参数。\n"
        f"2. out_proj：{d}·{d}{o_en} = {fmt_int(mha_count(d, bias, projections=1))}。\n"
        f"3. 合计 4·{d}²{' + 4·' + str(d) if bias else ''} = {fmt_int(total)}。\n答案：{fmt_int(total)}。",
    )
    return Draft(
        params={"embed_dim": d, "num_heads": h, "bias": bias},
        prompt=Text(f"How many learnable parameters does {call} have?", f"{call} 一共有多少个可学习参数？"),
        answer=total,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


@mistake(
    "mha_params",
    "per-head-projections",
    step=1,
    text=Text(
        "You gave every head its own full d×d projections; the heads split one d×d projection into slices of "
        "d/h, so the count does not depend on the number of heads.",
        "你给每个头都算了一套完整的 d×d 投影；多头只是把同一个 d×d 投影切成 d/h 的若干份，参数量与头数无关。",
    ),
)
def _m_per_head(p: Params) -> int:
    return mha_count(p["embed_dim"], p["bias"], heads=p["num_heads"])


@mistake(
    "mha_params",
    "no-out-proj",
    step=2,
    text=Text(
        "You counted only W_Q, W_K and W_V; nn.MultiheadAttention also has the output projection out_proj (d×d).",
        "你只算了 W_Q、W_K、W_V；nn.MultiheadAttention 还有输出投影 out_proj（d×d）。",
    ),
)
def _m_no_out(p: Params) -> int:
    return mha_count(p["embed_dim"], p["bias"], projections=3)


@torch_snippet("mha_params")
def _mha_snippet(p: Params) -> str:
    return (
        "import torch.nn as nn\n"
        f"m = nn.MultiheadAttention({p['embed_dim']}, {p['num_heads']}, bias={p['bias']})\n"
        "print(sum(p.numel() for p in m.parameters()))\n"
    )


def encoder_layer_count(p: Params, *, norms: bool = True, ffn_matrices: int = 2) -> int:
    """Parameters of nn.TransformerEncoderLayer(d, h, d_ff, bias=bias); keywords: the named mistakes."""
    d, f, b = int(p["d_model"]), int(p["dim_feedforward"]), bool(p["bias"])
    attn = mha_count(d, b)
    ffn = ffn_matrices * d * f + ((f + d) if b else 0)
    ln = 2 * (d + (d if b else 0)) if norms else 0
    return attn + ffn + ln


@family(
    "transformer_layer_params",
    topic="attn.transformer",
    title=Text("Parameters of nn.TransformerEncoderLayer", "nn.TransformerEncoderLayer 的参数量"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_transformer_layer_params(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: d_ff = 4d; 2: any d_ff; 3: bias=False (no biases anywhere, LayerNorms without β)."""
    d, options = pick(rng, _DIMS)
    h = pick(rng, options)
    f = 4 * d if level == 1 else pick(rng, [2 * d, 3 * d, 4 * d, 2048, 3072])
    bias = level < 3
    p: Params = {"d_model": d, "nhead": h, "dim_feedforward": f, "bias": bias}
    total = encoder_layer_count(p)
    call = f"nn.TransformerEncoderLayer(d_model={d}, nhead={h}, dim_feedforward={f}" + (
        "" if bias else ", bias=False") + ")"  # fmt: skip
    attn = mha_count(d, bias)
    ffn = 2 * d * f + ((f + d) if bias else 0)
    ln = 2 * (2 * d if bias else d)
    if bias:
        s_en = [
            f"1. Self-attention (nn.MultiheadAttention): 4·{d}² + 4·{d} = {fmt_int(attn)}.",
            f"2. Feed-forward: linear1 {d}·{f} + {f}, linear2 {f}·{d} + {d}: {fmt_int(ffn)}.",
            f"3. Two LayerNorms, each γ and β of size {d}: 2·2·{d} = {fmt_int(ln)}.",
        ]
        s_zh = [
            f"1. 自注意力（nn.MultiheadAttention）：4·{d}² + 4·{d} = {fmt_int(attn)}。",
            f"2. 前馈网络：linear1 {d}·{f} + {f}，linear2 {f}·{d} + {d}：{fmt_int(ffn)}。",
            f"3. 两个 LayerNorm，各有大小为 {d} 的 γ 和 β：2·2·{d} = {fmt_int(ln)}。",
        ]
    else:
        s_en = [
            f"1. Self-attention without biases: 4·{d}² = {fmt_int(attn)}.",
            f"2. Feed-forward without biases: {d}·{f} + {f}·{d} = {fmt_int(ffn)}.",
            f"3. bias=False also drops the LayerNorms' β: 2·{d} = {fmt_int(ln)}.",
        ]
        s_zh = [
            f"1. 无偏置的自注意力：4·{d}² = {fmt_int(attn)}。",
            f"2. 无偏置的前馈网络：{d}·{f} + {f}·{d} = {fmt_int(ffn)}。",
            f"3. bias=False 同时去掉了 LayerNorm 的 β：2·{d} = {fmt_int(ln)}。",
        ]
    heads_en = f"The {h} heads add no parameters. "
    heads_zh = f"{h} 个头不增加参数。"
    solution = Text(
        "\n".join(s_en) + f"\n4. {heads_en}Total {fmt_int(attn)} + {fmt_int(ffn)} + {fmt_int(ln)} = {fmt_int(total)}."
        f"\nAnswer: {fmt_int(total)}.",
        "\n".join(s_zh) + f"\n4. {heads_zh}合计 {fmt_int(attn)} + {fmt_int(ffn)} + {fmt_int(ln)} = {fmt_int(total)}。"
        f"\n答案：{fmt_int(total)}。",
    )
    return Draft(
        params=p,
        prompt=Text(f"How many learnable parameters does {call} have?", f"{call} 一共有多少个可学习参数？"),
        answer=total,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


@mistake(
    "transformer_layer_params",
    "no-layernorm",
    step=3,
    text=Text(
        "You left out the two LayerNorms (norm1, norm2); each has a learnable scale γ (and shift β with bias).",
        "你漏掉了两个 LayerNorm（norm1、norm2）；每个都有可学习的缩放 γ（有偏置时还有平移 β）。",
    ),
)
def _m_no_ln(p: Params) -> int:
    return encoder_layer_count(p, norms=False)


@mistake(
    "transformer_layer_params",
    "one-ffn-matrix",
    step=2,
    text=Text(
        "You counted one feed-forward matrix; the FFN has two (d → d_ff and d_ff → d).",
        "你只算了一个前馈矩阵；FFN 有两个（d → d_ff 和 d_ff → d）。",
    ),
)
def _m_one_ffn(p: Params) -> int:
    return encoder_layer_count(p, ffn_matrices=1)


@torch_snippet("transformer_layer_params")
def _layer_snippet(p: Params) -> str:
    return (
        "import torch.nn as nn\n"
        f"m = nn.TransformerEncoderLayer({p['d_model']}, {p['nhead']}, dim_feedforward={p['dim_feedforward']}, "
        f"bias={p['bias']})\n"
        "print(sum(p.numel() for p in m.parameters()))\n"
    )


# ---------------------------------------------------------------------------------------------
# attn.transformer: sinusoidal positional encoding
# ---------------------------------------------------------------------------------------------


def pe_value(pos: int, dim: int, d: int, *, swap: bool = False, exponent: float | None = None) -> float:
    """PE(pos, dim) = sin (even dim) or cos (odd dim) of pos / 10000^(2i/d), 2i = dim − dim mod 2."""
    two_i = dim - dim % 2
    angle = pos / 10000 ** (two_i / d if exponent is None else exponent)
    use_sin = (dim % 2 == 0) != swap
    return math.sin(angle) if use_sin else math.cos(angle)


@family(
    "sinusoidal_pe",
    topic="attn.transformer",
    title=Text("Sinusoidal positional encoding", "正弦位置编码"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_sinusoidal_pe(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: d_model = 4; 2: d_model 8 or 16; 3: d_model 64–512, positions up to 100."""
    while True:
        d = {1: pick(rng, [4]), 2: pick(rng, [8, 16]), 3: pick(rng, [64, 128, 512])}[level]
        dim = int(rng.integers(2, d)) if level < 3 else int(rng.integers(2, 9))
        pos = int(rng.integers(1, 6)) if level == 1 else int(rng.integers(1, 21 if level == 2 else 101))
        right = pe_value(pos, dim, d)
        wrong = (
            pe_value(pos, dim, d, swap=True),
            pe_value(pos, dim, d, exponent=dim - dim % 2),
            pe_value(pos, dim, d, exponent=2 * dim / d),
        )
        if all(abs(right - w) > 0.002 for w in wrong):
            break
    two_i = dim - dim % 2
    fn = "sin" if dim % 2 == 0 else "cos"
    freq = 10000 ** (two_i / d)
    angle = pos / freq
    prompt = Text(
        f"With the original Transformer's sinusoidal positional encoding and d_model = {d}, what is "
        f"PE(pos = {pos}, dimension {dim}) (dimensions counted from 0)? Round to 4 decimal places.",
        f"使用原始 Transformer 的正弦位置编码，d_model = {d}，PE(pos = {pos}, 第 {dim} 维) 是多少"
        f"（维度从 0 开始计数）？保留 4 位小数。",
    )
    solution = Text(
        f"1. PE(pos, 2i) = sin(pos/10000^(2i/d)), PE(pos, 2i+1) = cos(pos/10000^(2i/d)). Dimension {dim} is "
        f"{'even' if dim % 2 == 0 else 'odd'}: 2i = {two_i}, so the exponent is {two_i}/{d} and the function {fn}.\n"
        f"2. 10000^({two_i}/{d}) {_is(freq, 6)}; angle = {pos}/{_four(freq, 6)} {_is(angle)} rad; "
        f"{fn}({_four(angle)}) = {right:.4f}.\nAnswer: {right:.4f}.",
        f"1. PE(pos, 2i) = sin(pos/10000^(2i/d))，PE(pos, 2i+1) = cos(pos/10000^(2i/d))。第 {dim} 维是"
        f"{'偶数' if dim % 2 == 0 else '奇数'}维：2i = {two_i}，指数为 {two_i}/{d}，函数为 {fn}。\n"
        f"2. 10000^({two_i}/{d}) {_is(freq, 6)}；角度 = {pos}/{_four(freq, 6)} {_is(angle)} 弧度；"
        f"{fn}({_four(angle)}) = {right:.4f}。\n答案：{right:.4f}。",
    )
    return Draft(
        params={"pos": pos, "dim": dim, "d_model": d},
        prompt=prompt,
        answer=right,
        answer_kind=AnswerKind.NUMBER,
        tolerance=FOUR_DECIMALS,
        solution=solution,
    )


@mistake(
    "sinusoidal_pe",
    "sin-cos-swapped",
    step=1,
    text=Text(
        "You swapped sin and cos: even dimensions use sin, odd dimensions use cos.",
        "你把 sin 和 cos 弄反了：偶数维用 sin，奇数维用 cos。",
    ),
)
def _m_swap(p: Params) -> float:
    return pe_value(p["pos"], p["dim"], p["d_model"], swap=True)


@mistake(
    "sinusoidal_pe",
    "exponent-not-divided-by-d",
    step=1,
    text=Text(
        "You used 10000^(2i) without dividing the exponent by d_model: the exponent is 2i/d_model.",
        "你用了 10000^(2i)，指数没有除以 d_model：正确的指数是 2i/d_model。",
    ),
)
def _m_no_d(p: Params) -> float:
    dim = p["dim"]
    return pe_value(p["pos"], dim, p["d_model"], exponent=dim - dim % 2)


@mistake(
    "sinusoidal_pe",
    "index-doubled",
    step=1,
    text=Text(
        "You took the dimension index as i and doubled it; the dimension index is already 2i (or 2i + 1).",
        "你把维度下标当成 i 又乘了 2；维度下标本身就是 2i（或 2i + 1）。",
    ),
)
def _m_doubled(p: Params) -> float:
    return pe_value(p["pos"], p["dim"], p["d_model"], exponent=2 * p["dim"] / p["d_model"])


@torch_snippet("sinusoidal_pe")
def _pe_snippet(p: Params) -> str:
    d = p["d_model"]
    return (
        "import math\nimport torch\n"
        f"pos, d = torch.tensor([[{p['pos']}.0]], dtype=torch.float64), {d}\n"
        "div = torch.exp(torch.arange(0, d, 2, dtype=torch.float64) * (-math.log(10000.0) / d))\n"
        "pe = torch.zeros(1, d, dtype=torch.float64)\n"
        "pe[:, 0::2] = torch.sin(pos * div)\npe[:, 1::2] = torch.cos(pos * div)\n"
        f"print(round(pe[0, {p['dim']}].item(), 4))\n"
    )


# ---------------------------------------------------------------------------------------------
# attn.transformer: KV cache and training FLOPs
# ---------------------------------------------------------------------------------------------


def kv_bytes(p: Params, *, tensors: int = 2, heads_key: str = "num_kv_heads") -> int:
    per_token = tensors * p["num_layers"] * p[heads_key] * p["head_dim"] * DTYPE_BYTES[p["dtype"]]
    return int(per_token * p["seq_len"] * p["batch"])


@family(
    "kv_cache_bytes",
    topic="attn.transformer",
    title=Text("KV-cache size with grouped-query attention", "分组查询注意力下的 KV 缓存大小"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_kv_cache_bytes(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: one token, in KiB; 2: a batch of sequences, in GiB; 3: multi-query or bigger models."""
    layers = pick(rng, [12, 24, 32, 40, 48, 80])
    head_dim = pick(rng, [64, 128])
    heads = pick(rng, [16, 32, 64])
    kv = pick(rng, [1, 1, 2, 4, 8]) if level == 3 else pick(rng, [2, 4, 8])
    dtype = pick(rng, ["float16", "bfloat16"]) if level < 3 else pick(rng, ["float16", "float32"])
    if level == 1:
        seq, batch, unit = 1, 1, "KiB"
    else:
        seq, batch, unit = pick(rng, [1024, 2048, 4096, 8192]), pick(rng, [1, 4, 8, 16]), "GiB"
    p: Params = {
        "num_layers": layers,
        "num_heads": heads,
        "num_kv_heads": kv,
        "head_dim": head_dim,
        "seq_len": seq,
        "batch": batch,
        "dtype": dtype,
        "unit": unit,
    }
    total = kv_bytes(p)
    answer = total / UNIT_BYTES[unit]
    b = DTYPE_BYTES[dtype]
    kind_en = "multi-query attention (one K/V head)" if kv == 1 else f"grouped-query attention with {kv} K/V heads"
    kind_zh = "多查询注意力（MQA，只有一个 K/V 头）" if kv == 1 else f"分组查询注意力（GQA，{kv} 个 K/V 头）"
    what_en = "for one token" if level == 1 else f"for a batch of {batch} sequences of {seq} tokens"
    what_zh = "每个词元的" if level == 1 else f"批量 {batch}、每条序列 {seq} 个词元时，"
    prompt = Text(
        f"A decoder has {layers} layers, {heads} query heads of size {head_dim}, and uses {kind_en}. The KV cache is "
        f"stored in {dtype}. How large is the KV cache {what_en}? Answer in {unit} (1 {unit} = {UNIT_POWER[unit]} "
        f"bytes), to 2 decimal places.",
        f"一个解码器有 {layers} 层、{heads} 个查询头（每头维度 {head_dim}），使用{kind_zh}。KV 缓存以 {dtype} 存储。"
        f"{what_zh}KV 缓存有多大？以 {unit} 为单位（1 {unit} = {UNIT_POWER[unit]} 字节），保留 2 位小数。",
    )
    per_token = total // (seq * batch)
    tokens_en = f"\n3. × {batch}·{seq} tokens = {fmt_int(total)} bytes." if level > 1 else ""
    tokens_zh = f"\n3. × {batch}·{seq} 个词元 = {fmt_int(total)} 字节。" if level > 1 else ""
    last = 4 if level > 1 else 3
    solution = Text(
        f"1. Every layer caches K and V for each token: only the {kv} K/V "
        f"{'heads count' if kv > 1 else 'head counts'}, not the {heads} query heads "
        f"(a saving of {heads}/{kv} = {fmt_num(heads / kv)}× over multi-head attention).\n"
        f"2. Per token: 2·{layers}·{kv}·{head_dim}·{b} bytes = {fmt_int(per_token)} bytes.{tokens_en}\n"
        f"{last}. {fmt_int(total)} / {UNIT_POWER[unit]} = {fmt_num(round(answer, 4))} {unit}.\n"
        f"Answer: {answer:.2f} {unit}.",
        f"1. 每一层为每个词元缓存 K 和 V：只算 {kv} 个 K/V 头，不是 {heads} 个查询头"
        f"（{heads}/{kv} = {fmt_num(heads / kv)}，缓存只有多头注意力的 1/{fmt_num(heads / kv)}）。\n"
        f"2. 每个词元：2·{layers}·{kv}·{head_dim}·{b} 字节 = {fmt_int(per_token)} 字节。{tokens_zh}\n"
        f"{last}. {fmt_int(total)} / {UNIT_POWER[unit]} = {fmt_num(round(answer, 4))} {unit}。\n"
        f"答案：{answer:.2f} {unit}。",
    )
    return Draft(
        params=p,
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.NUMBER,
        tolerance=ROUNDED_2DP,
        solution=solution,
    )


@mistake(
    "kv_cache_bytes",
    "k-only",
    step=2,
    text=Text(
        "You cached only K (or only V); the cache holds both, hence the factor 2.",
        "你只缓存了 K（或只缓存了 V）；缓存里两者都有，所以要乘 2。",
    ),
)
def _m_k_only(p: Params) -> float:
    return kv_bytes(p, tensors=1) / UNIT_BYTES[p["unit"]]


@mistake(
    "kv_cache_bytes",
    "query-heads",
    step=1,
    text=Text(
        "You counted the query heads; with grouped-query or multi-query attention only the K/V heads are cached.",
        "你按查询头数算了；分组查询或多查询注意力只缓存 K/V 头。",
    ),
)
def _m_query_heads(p: Params) -> float:
    return kv_bytes(p, heads_key="num_heads") / UNIT_BYTES[p["unit"]]


@mistake(
    "kv_cache_bytes",
    "decimal-units",
    step=3,
    text=Text(
        "You divided by a power of ten; the question's unit is binary (KiB = 2¹⁰, GiB = 2³⁰ bytes).",
        "你除以了 10 的幂；题目单位是二进制的（KiB = 2¹⁰ 字节，GiB = 2³⁰ 字节）。",
    ),
)
def _m_kv_decimal(p: Params) -> float:
    return kv_bytes(p) / UNIT_DECIMAL[p["unit"]]


@torch_snippet("kv_cache_bytes")
def _kv_snippet(p: Params) -> str:
    return (
        "import torch\n"
        f"k = torch.empty({p['batch']}, {p['num_kv_heads']}, {p['seq_len']}, {p['head_dim']}, "
        f"dtype=torch.{p['dtype']}, device='meta')\n"
        f"total = {p['num_layers']} * 2 * k.numel() * k.element_size()  # K and V in every layer\n"
        f"print(round(total / {UNIT_BYTES[p['unit']]}, 2))\n"
    )


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _sci(x: float) -> str:
    """1.26e22 → ``1.26·10²²`` (three significant digits)."""
    mantissa, exponent = f"{x:.2e}".split("e")
    return f"{fmt_num(float(mantissa))}·10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def train_flops(p: Params, per_param_token: int = 6) -> float:
    return float(per_param_token * p["params_b"] * 1e9 * p["tokens_b"] * 1e9)


def _flops_answer(p: Params, per_param_token: int = 6) -> float:
    if p["tokens_b"] == 0:  # level 1: per token
        return float(per_param_token * p["params_b"])
    total = train_flops(p, per_param_token)
    if p["gpus"] == 0:
        return total / 1e21
    return float(total / (p["gpus"] * p["peak_tflops"] * 1e12 * p["utilization_pct"] / 100) / 86400)


@family(
    "training_flops",
    topic="attn.transformer",
    title=Text("Training compute ≈ 6·N·D", "训练计算量 ≈ 6·N·D"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_training_flops(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: FLOPs per training token; 2: a whole run in 10²¹ FLOPs; 3: GPU-days at a given utilisation."""
    n = pick(rng, [1, 2, 3, 7, 13, 30, 70])
    d = 0 if level == 1 else pick(rng, [20, 100, 300, 1000, 2000] if level == 2 else [1000, 2000, 10000, 15000])
    gpus, peak, util = (pick(rng, [64, 128, 256, 512]), pick(rng, [300, 400, 1000]), pick(rng, [30, 40, 50])) if (
        level == 3) else (0, 0, 0)  # fmt: skip
    p: Params = {"params_b": n, "tokens_b": d, "gpus": gpus, "peak_tflops": peak, "utilization_pct": util}
    answer = _flops_answer(p)
    rule_en = (
        "1. Forward ≈ 2 FLOPs per parameter per token (one multiply-add); backward ≈ twice the forward "
        "(gradients for the activations and for the weights): ≈ 6 FLOPs per parameter per token."
    )
    rule_zh = (
        "1. 前向每个参数每个词元约 2 次浮点运算（一次乘加）；反向约为前向的两倍（对激活和对权重各求一次梯度）："
        "每个参数每个词元约 6 次浮点运算。"
    )
    if level == 1:
        prompt = Text(
            f"A dense transformer has N = {n}·10⁹ parameters. Using the usual estimate, how many FLOPs does "
            f"training cost per token (forward + backward)? Answer in GFLOP (10⁹ FLOPs).",
            f"一个稠密 Transformer 有 N = {n}·10⁹ 个参数。按常用估算，训练时每个词元（前向 + 反向）需要多少次浮点运算？"
            f"以 GFLOP（10⁹ 次）为单位作答。",
        )
        s_en = f"{rule_en}\n2. 6·{n}·10⁹ = {fmt_num(answer)}·10⁹ FLOPs.\nAnswer: {fmt_num(answer)} GFLOP."
        s_zh = f"{rule_zh}\n2. 6·{n}·10⁹ = {fmt_num(answer)}·10⁹ 次。\n答案：{fmt_num(answer)} GFLOP。"
        tol = Tolerance.exact()
    elif level == 2:
        prompt = Text(
            f"A dense transformer with N = {n}·10⁹ parameters is trained on D = {d}·10⁹ tokens. Estimate the "
            f"training compute with 6·N·D. Answer in units of 10²¹ FLOPs, to 2 decimal places.",
            f"一个有 N = {n}·10⁹ 个参数的稠密 Transformer 在 D = {d}·10⁹ 个词元上训练。用 6·N·D 估算训练计算量，"
            f"以 10²¹ 次浮点运算为单位，保留 2 位小数。",
        )
        s_en = (
            f"{rule_en}\n2. 6·N·D = 6·{n}·10⁹·{d}·10⁹ = {6 * n * d}·10¹⁸ FLOPs = {fmt_num(answer)}·10²¹."
            f"\nAnswer: {fmt_num(answer)}."
        )
        s_zh = (
            f"{rule_zh}\n2. 6·N·D = 6·{n}·10⁹·{d}·10⁹ = {6 * n * d}·10¹⁸ 次 = {fmt_num(answer)}·10²¹。"
            f"\n答案：{fmt_num(answer)}。"
        )
        tol = ROUNDED_2DP
    else:
        prompt = Text(
            f"A dense transformer with N = {n}·10⁹ parameters is trained on D = {d}·10⁹ tokens with "
            f"{gpus} GPUs of {peak} TFLOP/s peak each, at {util}% utilisation (MFU). Using 6·N·D, how many days does "
            f"training take? Round to 1 decimal place.",
            f"一个有 N = {n}·10⁹ 个参数的稠密 Transformer 在 D = {d}·10⁹ 个词元上训练，用 {gpus} 块 GPU，"
            f"每块峰值 {peak} TFLOP/s，利用率（MFU）{util}%。按 6·N·D 估算，训练需要多少天？保留 1 位小数。",
        )
        total = train_flops(p)
        rate = gpus * peak * 1e12 * util / 100
        s_en = (
            f"{rule_en}\n2. 6·N·D = 6·{n}·10⁹·{d}·10⁹ = {_sci(total)} FLOPs.\n"
            f"3. Sustained rate: {gpus}·{peak}·10¹²·{util}% = {_sci(rate)} FLOP/s.\n"
            f"4. Time: {_sci(total)} / {_sci(rate)} = {total / rate:,.0f} s = {answer:.1f} days (86,400 s per day)."
            f"\nAnswer: {answer:.1f}."
        )
        s_zh = (
            f"{rule_zh}\n2. 6·N·D = 6·{n}·10⁹·{d}·10⁹ = {_sci(total)} 次。\n"
            f"3. 实际算力：{gpus}·{peak}·10¹²·{util}% = {_sci(rate)} 次/秒。\n"
            f"4. 时间：{_sci(total)} / {_sci(rate)} = {total / rate:,.0f} 秒 = {answer:.1f} 天（每天 86,400 秒）。"
            f"\n答案：{answer:.1f}。"
        )
        tol = ROUNDED_1DP
    return Draft(params=p, prompt=prompt, answer=answer, answer_kind=AnswerKind.NUMBER, tolerance=tol, solution=Text(
        s_en, s_zh))  # fmt: skip


@mistake(
    "training_flops",
    "forward-only",
    step=1,
    text=Text(
        "You counted only the forward pass (2·N per token); training adds a backward pass that costs about twice "
        "the forward: 6·N.",
        "你只算了前向（每个词元 2·N）；训练还有反向传播，约为前向的两倍：合计 6·N。",
    ),
)
def _m_forward(p: Params) -> float:
    return _flops_answer(p, 2)


@mistake(
    "training_flops",
    "macs-not-flops",
    step=1,
    text=Text(
        "You counted multiply-accumulates (3·N·D); a multiply-add is 2 FLOPs, so training is ≈ 6·N·D FLOPs.",
        "你算的是乘加次数（3·N·D）；一次乘加是 2 次浮点运算，所以训练约 6·N·D 次浮点运算。",
    ),
)
def _m_macs(p: Params) -> float:
    return _flops_answer(p, 3)


@torch_snippet("training_flops")
def _flops_snippet(p: Params) -> str:
    # Measure FLOPs per parameter per token on a small linear layer, then scale up to the question's model.
    tail = "print(per * N)  # GFLOP per token" if p["tokens_b"] == 0 else (
        "print(round(per * N * 1e9 * D * 1e9 / 1e21, 2))" if p["gpus"] == 0 else
        f"print(round(per * N * 1e9 * D * 1e9 / ({p['gpus']} * {p['peak_tflops']}e12 * "
        f"{p['utilization_pct']} / 100) / 86400, 1))")  # fmt: skip
    return (
        "import torch\nfrom torch.utils.flop_counter import FlopCounterMode\n"
        "lin, x = torch.nn.Linear(64, 64, bias=False), torch.randn(8, 64, requires_grad=True)\n"
        "with FlopCounterMode(display=False) as fc:\n    lin(x).sum().backward()\n"
        "per = fc.get_total_flops() / (lin.weight.numel() * 8)  # FLOPs per parameter per token: 6\n"
        f"N, D = {p['params_b']}, {p['tokens_b']}\n{tail}\n"
    )


# ---------------------------------------------------------------------------------------------
# attn.vit
# ---------------------------------------------------------------------------------------------


@family(
    "vit_tokens",
    topic="attn.vit",
    title=Text("Tokens entering a Vision Transformer", "进入 ViT 编码器的词元数"),
    difficulty=1,
    levels=3,
    default_level=2,
)
def draw_vit_tokens(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: 224/16 family with a class token; 2: other sizes, class token or not; 3: sizes that do not divide."""
    while True:
        patch = pick(rng, [8, 14, 16, 32])
        image = pick(rng, [224, 256, 384, 448, 512]) if level < 3 else int(rng.integers(200, 521))
        if (image % patch == 0) == (level < 3):
            break
    cls = True if level == 1 else bool(rng.integers(2))
    side = image // patch
    total = side * side + int(cls)
    cls_en = "with a [CLS] token prepended" if cls else "without a class token (global average pooling at the end)"
    cls_zh = "在序列前加一个 [CLS] 词元" if cls else "不用类别词元（最后做全局平均池化）"
    rem_en = (
        f" {image}/{patch} is not whole: a Conv2d with kernel = stride = {patch} drops the last {image % patch} "
        f"rows and columns of pixels (floor)."
        if image % patch
        else ""
    )
    rem_zh = (
        f"{image}/{patch} 不是整数：kernel = stride = {patch} 的 Conv2d "
        f"会丢掉最后 {image % patch} 行和 {image % patch} 列像素（向下取整）。"
        if image % patch
        else ""
    )
    cls_step_en = "; plus 1 class token" if cls else "; no class token"
    cls_step_zh = "；加上 1 个类别词元" if cls else "；没有类别词元"
    return Draft(
        params={"image": image, "patch": patch, "cls": cls},
        prompt=Text(
            f"A ViT takes a {image}×{image} image, cuts it into non-overlapping {patch}×{patch} patches (a Conv2d "
            f"with kernel = stride = {patch}), {cls_en}. How many tokens enter the encoder?",
            f"ViT 输入 {image}×{image} 的图像，切成不重叠的 {patch}×{patch} 图块"
            f"（kernel = stride = {patch} 的 Conv2d），"
            f"{cls_zh}。进入编码器的词元有多少个？",
        ),
        answer=total,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=Text(
            f"1. Patches per side: ⌊{image}/{patch}⌋ = {side}.{rem_en}\n"
            f"2. Patches: {side}×{side} = {side * side}{cls_step_en}: {fmt_int(total)}.\nAnswer: {fmt_int(total)}.",
            f"1. 每边的图块数：⌊{image}/{patch}⌋ = {side}。{rem_zh}\n"
            f"2. 图块数：{side}×{side} = {side * side}{cls_step_zh}：{fmt_int(total)}。\n答案：{fmt_int(total)}。",
        ),
    )


@mistake(
    "vit_tokens",
    "class-token-miscounted",
    step=2,
    text=Text(
        "You got the class token wrong: add exactly one [CLS] token when the model uses one, none otherwise.",
        "类别词元算错了：模型用 [CLS] 时恰好加 1 个，不用时不加。",
    ),
)
def _m_cls(p: Params) -> int:
    side = int(p["image"] // p["patch"])
    return side * side + (0 if p["cls"] else 1)


@mistake(
    "vit_tokens",
    "not-squared",
    step=2,
    text=Text(
        "You counted the patches along one side only; a 2-D grid has side × side patches.",
        "你只数了一条边上的图块数；二维网格的图块数是每边图块数的平方。",
    ),
)
def _m_side(p: Params) -> int:
    return int(p["image"] // p["patch"]) + int(p["cls"])


@torch_snippet("vit_tokens")
def _vit_snippet(p: Params) -> str:
    return (
        "import torch\nimport torch.nn as nn\n"
        f"embed = nn.Conv2d(3, 8, kernel_size={p['patch']}, stride={p['patch']})\n"
        f"tokens = embed(torch.zeros(1, 3, {p['image']}, {p['image']})).flatten(2).shape[-1]\n"
        f"print(tokens + {int(p['cls'])})  # + the class token\n"
    )


def patch_embed_count(p: Params, *, channels: bool = True, bias: bool = True) -> int:
    """Conv2d(C, D, P, stride=P) weights and bias, plus class token and position embeddings when asked."""
    P, C, D = int(p["patch"]), int(p["channels"]), int(p["dim"])
    total = P * P * (C if channels else 1) * D + (D if p["bias"] and bias else 0)
    if p["positions"]:
        tokens = (p["image"] // P) ** 2 + int(p["cls"])
        total += tokens * D + (D if p["cls"] else 0)
    return total


@family(
    "patch_embed_params",
    topic="attn.vit",
    title=Text("Parameters of a ViT patch embedding", "ViT 图块嵌入的参数量"),
    difficulty=2,
    levels=2,
    default_level=1,
)
def draw_patch_embed_params(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: the patch projection P²·C·D + D; 2: plus the class token and learned position embeddings."""
    patch = pick(rng, [8, 14, 16, 32])
    channels = pick(rng, [3, 3, 4])
    dim = pick(rng, [192, 384, 768, 1024])
    bias = bool(rng.integers(8))
    image = pick(rng, [i for i in (224, 256, 384, 448) if i % patch == 0])
    cls = level == 2 and bool(rng.integers(4))
    p: Params = {
        "patch": patch,
        "channels": channels,
        "dim": dim,
        "bias": bias,
        "image": image,
        "cls": cls,
        "positions": level == 2,
    }
    total = patch_embed_count(p)
    conv = patch * patch * channels * dim + (dim if bias else 0)
    weights = patch * patch * channels * dim
    conv_call = f"nn.Conv2d({channels}, {dim}, {patch}, stride={patch}{'' if bias else ', bias=False'})"
    en = [f"1. Patch projection {conv_call}: each of the {dim} filters sees {patch}·{patch}·{channels} values: "
          f"{patch}²·{channels}·{dim} = {fmt_int(weights)} weights."]  # fmt: skip
    zh = [f"1. 图块投影 {conv_call}：{dim} 个卷积核各看 {patch}·{patch}·{channels} 个值："
          f"{patch}²·{channels}·{dim} = {fmt_int(weights)} 个权重。"]  # fmt: skip
    if level == 1:
        en.append(f"2. Bias: {'one per output channel, ' + str(dim) if bias else 'none'}: total {fmt_int(conv)}.")
        zh.append(f"2. 偏置：{'每个输出通道一个，共 ' + str(dim) + ' 个' if bias else '无'}；合计 {fmt_int(conv)}。")
    if level == 2:
        side = image // patch
        tokens = side * side + int(cls)
        extra = tokens * dim + (dim if cls else 0)
        c_en = f" + 1 class token = {tokens} tokens; class token {dim}" if cls else f" = {tokens} tokens"
        c_zh = f" + 1 个类别词元 = {tokens} 个词元；类别词元 {dim}" if cls else f" = {tokens} 个词元"
        en[0] += f" With the bias: {fmt_int(conv)}."
        zh[0] += f"加上偏置：{fmt_int(conv)}。"
        en.append(f"2. Learned position embeddings for {side}² patches{c_en}; positions {tokens}·{dim}: "
                  f"{fmt_int(extra)}.")  # fmt: skip
        zh.append(f"2. 可学习位置编码：{side}² 个图块{c_zh}；位置编码 {tokens}·{dim}：{fmt_int(extra)}。")
        en.append(f"3. Total {fmt_int(conv)} + {fmt_int(extra)} = {fmt_int(total)}.")
        zh.append(f"3. 合计 {fmt_int(conv)} + {fmt_int(extra)} = {fmt_int(total)}。")
        what_en = f" Count the patch projection, the learned position embeddings for a {image}×{image} input" + (
            " and the learnable [CLS] token (it has a position too)." if cls else " (no class token)."
        )
        what_zh = f"计入图块投影、{image}×{image} 输入的可学习位置编码" + (
            "以及可学习的 [CLS] 词元（它也有位置编码）。" if cls else "（无类别词元）。")  # fmt: skip
    else:
        what_en = " Count only the patch projection."
        what_zh = "只计算图块投影。"
    return Draft(
        params=p,
        prompt=Text(
            f"A ViT embeds {patch}×{patch} patches of a {channels}-channel image into D = {dim} dimensions with a "
            f"Conv2d (kernel = stride = {patch}{', no bias' if not bias else ', with bias'}).{what_en} "
            f"How many parameters?",
            f"ViT 用一个 Conv2d（kernel = stride = {patch}，{'无偏置' if not bias else '有偏置'}）"
            f"把 {channels} 通道图像的 "
            f"{patch}×{patch} 图块嵌入到 D = {dim} 维。{what_zh}一共有多少参数？",
        ),
        answer=total,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=Text("\n".join(en) + f"\nAnswer: {fmt_int(total)}.", "\n".join(zh) + f"\n答案：{fmt_int(total)}。"),
    )


@mistake(
    "patch_embed_params",
    "forgot-channels",
    step=1,
    text=Text(
        "You left out the input channels: each of the D filters sees P·P·C values, not P·P.",
        "你漏掉了输入通道数：D 个卷积核中的每一个都看 P·P·C 个值，而不是 P·P 个。",
    ),
)
def _m_channels(p: Params) -> int:
    return patch_embed_count(p, channels=False)


@mistake(
    "patch_embed_params",
    "bias-per-patch-pixel",
    step=1,
    text=Text(
        "You gave every weight its own bias; a Conv2d (like a Linear layer) has one bias per output channel: D.",
        "你给每个权重都配了偏置；Conv2d（和 Linear 一样）每个输出通道只有一个偏置：D 个。",
    ),
)
def _m_bias(p: Params) -> int:
    P, C, D = p["patch"], p["channels"], p["dim"]
    return patch_embed_count(p) + (P * P * C * D - D if p["bias"] else 0)


@torch_snippet("patch_embed_params")
def _patch_snippet(p: Params) -> str:
    lines = [
        "import torch\nimport torch.nn as nn",
        f"proj = nn.Conv2d({p['channels']}, {p['dim']}, {p['patch']}, stride={p['patch']}, bias={p['bias']})",
        "total = sum(q.numel() for q in proj.parameters())",
    ]
    if p["positions"]:
        lines.append(
            f"n = proj(torch.zeros(1, {p['channels']}, {p['image']}, {p['image']})).flatten(2).shape[-1]"
            f" + {int(p['cls'])}"
        )
        lines.append(f"total += n * {p['dim']}  # learned position embeddings")
        if p["cls"]:
            lines.append(f"total += {p['dim']}  # the [CLS] token")
    lines.append("print(total)")
    return "\n".join(lines) + "\n"
