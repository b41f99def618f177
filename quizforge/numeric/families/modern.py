"""Families of the modern theory round: normalisation layers (train.norms), modern blocks (arch.blocks)
and efficient training (train.efficient).

Normalisation values come from :mod:`quizforge.numeric.ops` (``layer_norm``, ``group_norm``,
``rms_norm``, mirroring ``torch.nn.functional``); counts, positions and byte totals from the closed-form
formulas the worked solutions teach. The torch oracles in :mod:`quizforge.numeric.oracles.modern`
recompute every answer another way (real layers, ``nn.ChannelShuffle``, autograd, optimiser state,
``torch.quantize_per_tensor``, a simulated ring).

Every family registers named mistakes: the answer a common wrong method gives, used to tell a user
what they probably did. The draws reject instances where a mistake would give the right answer, so a
matching wrong answer always identifies the mistake.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from quizforge.answer import AnswerKind, Tolerance
from quizforge.numeric import ops
from quizforge.numeric.base import Answer, Draft, Params, answers_agree, family, mistake, torch_snippet
from quizforge.numeric.families.cnn import fmt_grid, fmt_int, fmt_num, mat, pick
from quizforge.text import Text

# Normalised values "to 2 decimal places": anything that rounds to the right hundredth passes.
TWO_DP = Tolerance(rel=0.0, abs=0.005 + 1e-9)
THREE_DP = Tolerance(rel=0.0, abs=0.0005 + 1e-9)
ONE_DP = Tolerance(rel=0.0, abs=0.05 + 1e-9)

MistakeSpec = tuple[str, int, Text, Callable[[Params], Answer]]


def fmt_vec(v: Sequence[float]) -> str:
    """``[1, −0.5, 2]`` as a person writes it."""
    return "[" + ", ".join(fmt_num(float(x)) for x in v) + "]"


def fmt_sum(v: Sequence[int]) -> str:
    """``1 + (−2) + 3``: a sum with negative terms in brackets, as a person writes it."""
    return " + ".join(f"({x})" if x < 0 else str(x) for x in v)


def fmt_round(v: float, places: int) -> str:
    """``v`` rounded to ``places`` decimals, with no negative zero."""
    s = f"{v:.{places}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def fmt_rows(m: Sequence[Sequence[float]], places: int) -> str:
    """A matrix rounded to ``places`` decimals, one indented row per line."""
    cells = [[fmt_round(float(v), places) for v in row] for row in m]
    width = max(len(c) for row in cells for c in row)
    return "\n".join("    " + "  ".join(c.rjust(width) for c in row) for row in cells)


def distinct(params: Params, answer: Answer, kind: AnswerKind, tol: Tolerance, wrongs: Sequence[MistakeSpec]) -> bool:
    """Whether every mistake's answer is graded wrong for this instance (a draw retries otherwise)."""
    return not any(answers_agree(answer, fn(params), kind, tol) for _, _, _, fn in wrongs)


def exact_draft(
    params: Params, prompt: Text, answer: int | list[int], solution: Text, kind: AnswerKind = AnswerKind.NUMBER
) -> Draft:
    """The draft of a question whose answer is a whole number (or a list of them) that must be exact."""
    return Draft(
        params=params, prompt=prompt, answer=answer, answer_kind=kind, tolerance=Tolerance.exact(), solution=solution
    )


def register_mistakes(name: str, wrongs: Sequence[MistakeSpec]) -> None:
    for mistake_id, step, text, fn in wrongs:
        mistake(name, mistake_id, step=step, text=text)(fn)


def int_rows(rng: np.random.Generator, rows: int, width: int, lo: int, hi: int, group: int) -> list[list[int]]:
    """``rows`` rows of ``width`` integers in [lo, hi]; every block of ``group`` values has an integer mean and
    is not constant (normalising it is a real computation with a mean a person can take in their head)."""
    out: list[list[int]] = []
    while len(out) < rows:
        row = [int(v) for v in rng.integers(lo, hi + 1, size=width)]
        blocks = [row[i : i + group] for i in range(0, width, group)]
        if all(sum(b) % group == 0 and len(set(b)) > 1 for b in blocks):
            out.append(row)
    return out


# ---------------------------------------------------------------------------------------------
# train.norms: LayerNorm
# ---------------------------------------------------------------------------------------------


def _ln(x: Any, gamma: Any, beta: Any, eps: float, ddof: int = 0, axis: int = 1) -> list[list[float]]:
    a = np.asarray(x, dtype=float)
    mu = a.mean(axis=axis, keepdims=True)
    var = a.var(axis=axis, ddof=ddof, keepdims=True)
    return mat((a - mu) / np.sqrt(var + eps) * np.asarray(gamma, dtype=float) + np.asarray(beta, dtype=float))


LN_MISTAKES: list[MistakeSpec] = [
    (
        "unbiased-variance",
        2,
        Text(
            "You divided the squared deviations by D − 1; LayerNorm uses the biased variance (divide by D).",
            "你把平方偏差除以了 D − 1；LayerNorm 用的是有偏方差（除以 D）。",
        ),
        lambda p: _ln(p["x"], p["gamma"], p["beta"], p["eps"], ddof=1),
    ),
    (
        "batch-axis",
        1,
        Text(
            "You normalised each feature over the batch, as BatchNorm does; LayerNorm normalises each sample "
            "over its own D features.",
            "你像 BatchNorm 那样对每个特征沿批量维做了归一化；LayerNorm 是对每个样本自身的 D 个特征做归一化。",
        ),
        lambda p: _ln(p["x"], p["gamma"], p["beta"], p["eps"], axis=0),
    ),
]


@family(
    "layernorm_forward",
    topic="train.norms",
    title=Text("LayerNorm forward pass by hand", "手算 LayerNorm 前向输出"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_layernorm_forward(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: one sample of 4 features, γ = 1, β = 0; 2: two samples with γ and β; 3: six features."""
    n, d = (1, 4) if level == 1 else (2, 4) if level == 2 else (2, 6)
    while True:
        x = int_rows(rng, n, d, -3, 6, d)
        if level == 1:
            gamma, beta = [1] * d, [0] * d
        else:
            gamma = [int(pick(rng, [1, 2, 3, -1])) for _ in range(d)]
            beta = [int(pick(rng, [-1, 0, 1, 2])) for _ in range(d)]
        params: Params = {"x": x, "eps": 1e-5, "gamma": gamma, "beta": beta}
        y = mat(ops.layer_norm(x, (d,), gamma, beta, eps=1e-5))
        if distinct(params, y, AnswerKind.MATRIX, TWO_DP, LN_MISTAKES):
            break
    steps_en, steps_zh = [], []
    for i, row in enumerate(x):
        mu = sum(row) // d
        dev = [v - mu for v in row]
        var = sum(t * t for t in dev) / d
        xhat = [t / math.sqrt(var + 1e-5) for t in dev]
        who_en = f"Row {i + 1}: " if n > 1 else ""
        who_zh = f"第 {i + 1} 行：" if n > 1 else ""
        squares = " + ".join(f"{t * t}" for t in dev)
        steps_en.append(
            f"{who_en}μ = ({fmt_sum(row)})/{d} = {mu}; deviations x − μ = {fmt_vec(dev)}; "
            f"σ² = ({squares})/{d} = {fmt_num(var)}; x̂ = (x − μ)/√(σ² + ε) ≈ "
            f"[{', '.join(fmt_round(t, 3) for t in xhat)}]"
        )
        steps_zh.append(
            f"{who_zh}μ = ({fmt_sum(row)})/{d} = {mu}；偏差 x − μ = {fmt_vec(dev)}；"
            f"σ² = ({squares})/{d} = {fmt_num(var)}；x̂ = (x − μ)/√(σ² + ε) ≈ "
            f"[{', '.join(fmt_round(t, 3) for t in xhat)}]"
        )
    affine = level > 1
    prompt = Text(
        f"x ({n}×{d}, one row per sample) goes through F.layer_norm(x, ({d},), weight=γ, bias=β, eps=1e-5) with\n"
        f"x =\n{fmt_grid(x)}\nγ = {fmt_vec(gamma)}, β = {fmt_vec(beta)}.\n"
        "What is the output? Give every value to 2 decimal places.",
        f"x（{n}×{d}，每行一个样本）经过 F.layer_norm(x, ({d},), weight=γ, bias=β, eps=1e-5)，其中\n"
        f"x =\n{fmt_grid(x)}\nγ = {fmt_vec(gamma)}，β = {fmt_vec(beta)}。\n"
        "输出是多少？每个值保留 2 位小数。",
    )
    affine_en = f"3. y = γ·x̂ + β elementwise, with γ = {fmt_vec(gamma)}, β = {fmt_vec(beta)}.\n" if affine else ""
    affine_zh = f"3. 逐元素 y = γ·x̂ + β，γ = {fmt_vec(gamma)}，β = {fmt_vec(beta)}。\n" if affine else ""
    solution = Text(
        "LayerNorm normalises each sample (row) over its own features, with the biased variance.\n"
        "1. Per row, the mean μ and the deviations x − μ.\n"
        "2. The biased variance σ² (divide by D) and x̂ = (x − μ)/√(σ² + ε):\n"
        + "\n".join(f"   {s}" for s in steps_en)
        + "\n"
        + affine_en
        + f"Answer:\n{fmt_rows(y, 2)}",
        "LayerNorm 对每个样本（每一行）在它自己的特征上做归一化，使用有偏方差。\n"
        "1. 每行求均值 μ 和偏差 x − μ。\n"
        "2. 求有偏方差 σ²（除以 D），再算 x̂ = (x − μ)/√(σ² + ε)：\n"
        + "\n".join(f"   {s}" for s in steps_zh)
        + "\n"
        + affine_zh
        + f"答案：\n{fmt_rows(y, 2)}",
    )
    return Draft(
        params=params, prompt=prompt, answer=y, answer_kind=AnswerKind.MATRIX, tolerance=TWO_DP, solution=solution
    )


register_mistakes("layernorm_forward", LN_MISTAKES)


@torch_snippet("layernorm_forward")
def _layernorm_snippet(p: Params) -> str:
    d = len(p["gamma"])
    return (
        "import torch\nimport torch.nn.functional as F\n"
        f"x = torch.tensor({p['x']}, dtype=torch.float64)\n"
        f"gamma = torch.tensor({p['gamma']}, dtype=torch.float64)\n"
        f"beta = torch.tensor({p['beta']}, dtype=torch.float64)\n"
        f"print(F.layer_norm(x, ({d},), gamma, beta, eps={p['eps']}).tolist())\n"
    )


# ---------------------------------------------------------------------------------------------
# train.norms: GroupNorm
# ---------------------------------------------------------------------------------------------


def _gn(p: Params, groups: int, ddof: int = 0) -> list[list[float]]:
    x = np.asarray(p["x"], dtype=float)
    c = x.shape[0]
    g = x.reshape(groups, -1)
    out = ((g - g.mean(axis=1, keepdims=True)) / np.sqrt(g.var(axis=1, ddof=ddof, keepdims=True) + p["eps"])).reshape(
        x.shape
    )
    w = np.asarray(p["weight"], dtype=float).reshape(c, 1)
    b = np.asarray(p["bias"], dtype=float).reshape(c, 1)
    return mat(out * w + b)


GN_MISTAKES: list[MistakeSpec] = [
    (
        "per-channel",
        1,
        Text(
            "You normalised every channel on its own (InstanceNorm, G = C); GroupNorm pools the statistics of "
            "the C/G channels of a group.",
            "你把每个通道单独归一化了（这是 InstanceNorm，G = C）；GroupNorm 要把一组内 C/G 个通道合在一起求统计量。",
        ),
        lambda p: _gn(p, len(p["x"])),
    ),
    (
        "whole-sample",
        1,
        Text(
            "You normalised all channels of the sample together (G = 1, LayerNorm over C, H, W); each group has "
            "its own mean and variance.",
            "你把样本的所有通道放在一起归一化了（G = 1，相当于对 C、H、W 做 LayerNorm）；每一组应有自己的均值和方差。",
        ),
        lambda p: _gn(p, 1),
    ),
    (
        "unbiased-variance",
        2,
        Text(
            "You divided by m − 1; GroupNorm uses the biased variance (divide by the m values of the group).",
            "你除以了 m − 1；GroupNorm 用的是有偏方差（除以组内的 m 个值）。",
        ),
        lambda p: _gn(p, p["num_groups"], ddof=1),
    ),
]


@family(
    "groupnorm_forward",
    topic="train.norms",
    title=Text("GroupNorm forward pass by hand", "手算 GroupNorm 前向输出"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_groupnorm_forward(rng: np.random.Generator, level: int) -> Draft:
    """One sample, C channels × L positions. Level 1: C = 4, G = 2; 2: C = 4 or 6, G between 1 and C;
    3: per-channel weight and bias too."""
    while True:
        if level == 1:
            c, groups = 4, 2
        else:
            c, groups = pick(rng, [(4, 2), (6, 2), (6, 3)])
        length = 2
        per_group = c // groups * length
        flat = int_rows(rng, 1, c * length, -2, 6, per_group)[0]
        x = [flat[i * length : (i + 1) * length] for i in range(c)]
        if level < 3:
            weight, bias = [1] * c, [0] * c
        else:
            weight = [int(pick(rng, [1, 2, -1])) for _ in range(c)]
            bias = [int(pick(rng, [-1, 0, 1])) for _ in range(c)]
        params: Params = {"x": x, "num_groups": groups, "eps": 1e-5, "weight": weight, "bias": bias}
        y = mat(ops.group_norm(np.asarray(x)[None], groups, weight, bias, eps=1e-5)[0])
        if distinct(params, y, AnswerKind.MATRIX, TWO_DP, GN_MISTAKES):
            break
    cpg = c // groups
    lines_en, lines_zh = [], []
    for gi in range(groups):
        vals = [v for row in x[gi * cpg : (gi + 1) * cpg] for v in row]
        mu = sum(vals) // len(vals)
        var = sum((v - mu) ** 2 for v in vals) / len(vals)
        chans = f"{gi * cpg}–{(gi + 1) * cpg - 1}"
        lines_en.append(
            f"   group {gi + 1} (channels {chans}): values {fmt_vec(vals)}, μ = {mu}, "
            f"σ² = {fmt_num(var)}, √(σ² + ε) ≈ {fmt_round(math.sqrt(var + 1e-5), 3)}"
        )
        lines_zh.append(
            f"   第 {gi + 1} 组（通道 {chans}）：取值 {fmt_vec(vals)}，μ = {mu}，"
            f"σ² = {fmt_num(var)}，√(σ² + ε) ≈ {fmt_round(math.sqrt(var + 1e-5), 3)}"
        )
    affine_en = f"3. Per channel y = weight·x̂ + bias, weight = {fmt_vec(weight)}, bias = {fmt_vec(bias)}.\n"
    affine_zh = f"3. 每个通道 y = weight·x̂ + bias，weight = {fmt_vec(weight)}，bias = {fmt_vec(bias)}。\n"
    prompt = Text(
        f"One sample with C = {c} channels of {length} values each (rows = channels):\n{fmt_grid(x)}\n"
        f"goes through nn.GroupNorm(num_groups={groups}, num_channels={c}, eps=1e-5) with weight = {fmt_vec(weight)} "
        f"and bias = {fmt_vec(bias)}. What is the output? Give every value to 2 decimal places.",
        f"一个样本有 C = {c} 个通道，每个通道 {length} 个值（每行一个通道）：\n{fmt_grid(x)}\n"
        f"经过 nn.GroupNorm(num_groups={groups}, num_channels={c}, eps=1e-5)，weight = {fmt_vec(weight)}，"
        f"bias = {fmt_vec(bias)}。输出是多少？每个值保留 2 位小数。",
    )
    solution = Text(
        f"1. {groups} groups of C/G = {cpg} consecutive channels; each group's {cpg * length} values share one "
        "mean and one (biased) variance.\n"
        + "\n".join(lines_en)
        + "\n2. x̂ = (x − μ)/√(σ² + ε) inside each group.\n"
        + (affine_en if level == 3 else "")
        + f"Answer:\n{fmt_rows(y, 2)}",
        f"1. 分成 {groups} 组，每组 C/G = {cpg} 个相邻通道；"
        f"每组的 {cpg * length} 个值共用一个均值和一个（有偏）方差。\n"
        + "\n".join(lines_zh)
        + "\n2. 在每组内计算 x̂ = (x − μ)/√(σ² + ε)。\n"
        + (affine_zh if level == 3 else "")
        + f"答案：\n{fmt_rows(y, 2)}",
    )
    return Draft(
        params=params, prompt=prompt, answer=y, answer_kind=AnswerKind.MATRIX, tolerance=TWO_DP, solution=solution
    )


register_mistakes("groupnorm_forward", GN_MISTAKES)


@torch_snippet("groupnorm_forward")
def _groupnorm_snippet(p: Params) -> str:
    c = len(p["x"])
    return (
        "import torch\nfrom torch import nn\n"
        f"gn = nn.GroupNorm({p['num_groups']}, {c}, eps={p['eps']}).double()\n"
        "with torch.no_grad():\n"
        f"    gn.weight.copy_(torch.tensor({p['weight']}))\n"
        f"    gn.bias.copy_(torch.tensor({p['bias']}))\n"
        f"    x = torch.tensor([{p['x']}], dtype=torch.float64)  # (N=1, C, L)\n"
        "    print(gn(x)[0].tolist())\n"
    )


# ---------------------------------------------------------------------------------------------
# train.norms: RMSNorm
# ---------------------------------------------------------------------------------------------


def _rms(p: Params, centre: bool = False, root: bool = True, mean: bool = True) -> list[list[float]]:
    x = np.asarray(p["x"], dtype=float)
    if centre:
        x = x - x.mean(axis=1, keepdims=True)
    ms = (x * x).mean(axis=1, keepdims=True) if mean else (x * x).sum(axis=1, keepdims=True)
    denom = np.sqrt(ms + p["eps"]) if root else ms + p["eps"]
    return mat(x / denom * np.asarray(p["weight"], dtype=float))


RMS_MISTAKES: list[MistakeSpec] = [
    (
        "centred",
        1,
        Text(
            "You subtracted the mean first, as LayerNorm does; RMSNorm does not centre: it divides x itself by "
            "its root mean square.",
            "你先减去了均值（那是 LayerNorm 的做法）；RMSNorm 不做中心化，直接用 x 除以它的均方根。",
        ),
        lambda p: _rms(p, centre=True),
    ),
    (
        "l2-norm",
        1,
        Text(
            "You divided by the L2 norm √(Σx²); RMSNorm divides by √(mean(x²)) = √(Σx²/D).",
            "你除以了 L2 范数 √(Σx²)；RMSNorm 除以的是 √(mean(x²)) = √(Σx²/D)。",
        ),
        lambda p: _rms(p, mean=False),
    ),
    (
        "forgot-sqrt",
        2,
        Text(
            "You divided by mean(x²) without the square root.",
            "你除以了 mean(x²)，忘了开平方。",
        ),
        lambda p: _rms(p, root=False),
    ),
]


def _rms_row(rng: np.random.Generator, d: int) -> list[int]:
    """``d`` integers in [−3, 4], not all zero, whose mean square is an integer (so the root is the only
    irrational step); drawn row by row, each row until it qualifies."""
    while True:
        row = [int(v) for v in rng.integers(-3, 5, size=d)]
        if any(row) and sum(v * v for v in row) % d == 0:
            return row


@family(
    "rmsnorm_forward",
    topic="train.norms",
    title=Text("RMSNorm forward pass by hand", "手算 RMSNorm 前向输出"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_rmsnorm_forward(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: one sample of 4 features, weight 1; 2: two samples with a weight; 3: six features."""
    n, d = (1, 4) if level == 1 else (2, 4) if level == 2 else (2, 6)
    while True:
        x = [_rms_row(rng, d) for _ in range(n)]
        weight = [1] * d if level == 1 else [int(pick(rng, [1, 2, 3, -1])) for _ in range(d)]
        params: Params = {"x": x, "eps": 1e-6, "weight": weight}
        y = mat(ops.rms_norm(x, (d,), weight, eps=1e-6))
        if distinct(params, y, AnswerKind.MATRIX, TWO_DP, RMS_MISTAKES):
            break
    lines_en, lines_zh = [], []
    for i, row in enumerate(x):
        ms = sum(v * v for v in row) // d
        squares = " + ".join(str(v * v) for v in row)
        rms = math.sqrt(ms + 1e-6)
        who_en = f"row {i + 1}: " if n > 1 else ""
        who_zh = f"第 {i + 1} 行：" if n > 1 else ""
        lines_en.append(f"   {who_en}mean(x²) = ({squares})/{d} = {ms}, RMS = √({ms} + ε) ≈ {fmt_round(rms, 4)}")
        lines_zh.append(f"   {who_zh}mean(x²) = ({squares})/{d} = {ms}，RMS = √({ms} + ε) ≈ {fmt_round(rms, 4)}")
    prompt = Text(
        f"x ({n}×{d}, one row per token) goes through nn.RMSNorm({d}, eps=1e-6) whose weight is {fmt_vec(weight)}:\n"
        f"{fmt_grid(x)}\nWhat is the output? Give every value to 2 decimal places.",
        f"x（{n}×{d}，每行一个 token）经过 nn.RMSNorm({d}, eps=1e-6)，其 weight 为 {fmt_vec(weight)}：\n"
        f"{fmt_grid(x)}\n输出是多少？每个值保留 2 位小数。",
    )
    solution = Text(
        "RMSNorm: y = x/√(mean(x²) + ε)·g — no mean subtracted, no bias.\n"
        "1. Per row, the mean of the squares:\n" + "\n".join(lines_en) + "\n"
        "2. Divide every value of the row by its RMS.\n"
        f"3. Multiply elementwise by g = {fmt_vec(weight)}.\n"
        f"Answer:\n{fmt_rows(y, 2)}",
        "RMSNorm：y = x/√(mean(x²) + ε)·g —— 不减均值，没有偏置。\n"
        "1. 每行求平方的均值：\n" + "\n".join(lines_zh) + "\n"
        "2. 该行每个值除以它的 RMS。\n"
        f"3. 逐元素乘以 g = {fmt_vec(weight)}。\n"
        f"答案：\n{fmt_rows(y, 2)}",
    )
    return Draft(
        params=params, prompt=prompt, answer=y, answer_kind=AnswerKind.MATRIX, tolerance=TWO_DP, solution=solution
    )


register_mistakes("rmsnorm_forward", RMS_MISTAKES)


@torch_snippet("rmsnorm_forward")
def _rmsnorm_snippet(p: Params) -> str:
    d = len(p["weight"])
    return (
        "import torch\nfrom torch import nn\n"
        f"norm = nn.RMSNorm({d}, eps={p['eps']}).double()\n"
        "with torch.no_grad():\n"
        f"    norm.weight.copy_(torch.tensor({p['weight']}))\n"
        f"    print(norm(torch.tensor({p['x']}, dtype=torch.float64)).tolist())\n"
    )


# ---------------------------------------------------------------------------------------------
# arch.blocks: grouped convolution, squeeze-and-excitation, channel shuffle
# ---------------------------------------------------------------------------------------------


def _grouped(p: Params, per_filter_in: int, filters_out: int) -> int:
    return int(per_filter_in * p["k"] ** 2 * filters_out + (p["c_out"] if p["bias"] else 0))


GROUPED_MISTAKES: list[MistakeSpec] = [
    (
        "ignored-groups",
        1,
        Text(
            "You let every filter see all C_in input channels; with groups = g each filter sees only C_in/g.",
            "你让每个卷积核看到了全部 C_in 个输入通道；groups = g 时每个卷积核只看 C_in/g 个通道。",
        ),
        lambda p: _grouped(p, p["c_in"], p["c_out"]),
    ),
    (
        "divided-twice",
        2,
        Text(
            "You divided the output channels by g as well; there are still C_out filters, each of C_in/g channels.",
            "你把输出通道也除以了 g；卷积核仍有 C_out 个，只是每个只有 C_in/g 个通道。",
        ),
        lambda p: _grouped(p, p["c_in"] // p["groups"], p["c_out"] // p["groups"]),
    ),
]

# Real grouped layers: (c_in, c_out, k, groups) of ResNeXt-50 32×4d's 3×3 convs and AlexNet's two-GPU convs.
_REAL_GROUPED = [(128, 128, 3, 32), (256, 256, 3, 32), (512, 512, 3, 32), (96, 256, 5, 2), (384, 384, 3, 2)]


@family(
    "grouped_conv_params",
    topic="arch.blocks",
    title=Text("Parameters of a grouped convolution", "分组卷积的参数量"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_grouped_conv_params(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: small channel counts, g = 2 or 4; 2: depthwise and wider layers; 3: ResNeXt/AlexNet layers."""
    if level == 1:
        groups = pick(rng, [2, 4])
        c_in = groups * int(rng.integers(1, 5))
        c_out = groups * int(rng.integers(1, 5))
        k = pick(rng, [1, 3])
    elif level == 2:
        c_in = pick(rng, [16, 32, 64, 128])
        if rng.integers(2):
            groups, c_out = c_in, c_in * pick(rng, [1, 2])  # depthwise (multiplier 1 or 2)
        else:
            groups = pick(rng, [2, 4, 8])
            c_out = pick(rng, [32, 64, 128])
        k = pick(rng, [3, 5])
    else:
        c_in, c_out, k, groups = pick(rng, _REAL_GROUPED)
    bias = bool(rng.integers(2))
    params: Params = {"c_in": c_in, "c_out": c_out, "k": k, "groups": groups, "bias": bias}
    per = c_in // groups
    weights = per * k * k * c_out
    total = weights + (c_out if bias else 0)
    prompt = Text(
        f"How many learnable parameters does nn.Conv2d({c_in}, {c_out}, {k}, groups={groups}, bias={bias}) have?",
        f"nn.Conv2d({c_in}, {c_out}, {k}, groups={groups}, bias={bias}) 有多少个可学习参数？",
    )
    bias_en = f"3. Bias: one per output channel, {c_out}." if bias else "3. No bias (bias=False)."
    bias_zh = f"3. 偏置：每个输出通道一个，共 {c_out} 个。" if bias else "3. 没有偏置（bias=False）。"
    solution = Text(
        f"1. With groups = {groups}, each filter sees C_in/g = {c_in}/{groups} = {per} input "
        f"channel{'s' if per > 1 else ''}: "
        f"{per}·{k}·{k} = {fmt_int(per * k * k)} weights per filter.\n"
        f"2. There are C_out = {c_out} filters: {fmt_int(per * k * k)}·{c_out} = {fmt_int(weights)} weights "
        f"(the weight tensor is {c_out}×{per}×{k}×{k}).\n"
        f"{bias_en}\nAnswer: {fmt_int(total)}.",
        f"1. groups = {groups} 时每个卷积核只看 C_in/g = {c_in}/{groups} = {per} 个输入通道："
        f"每个卷积核 {per}·{k}·{k} = {fmt_int(per * k * k)} 个权重。\n"
        f"2. 共 C_out = {c_out} 个卷积核：{fmt_int(per * k * k)}·{c_out} = {fmt_int(weights)} 个权重"
        f"（权重张量形状为 {c_out}×{per}×{k}×{k}）。\n"
        f"{bias_zh}\n答案：{fmt_int(total)}。",
    )
    return exact_draft(params, prompt, total, solution)


register_mistakes("grouped_conv_params", GROUPED_MISTAKES)


@torch_snippet("grouped_conv_params")
def _grouped_snippet(p: Params) -> str:
    return (
        "from torch import nn\n"
        f"conv = nn.Conv2d({p['c_in']}, {p['c_out']}, {p['k']}, groups={p['groups']}, bias={p['bias']})\n"
        "print(sum(q.numel() for q in conv.parameters()))\n"
    )


SE_MISTAKES: list[MistakeSpec] = [
    (
        "forgot-biases",
        3,
        Text(
            "You counted only the two weight matrices; both fully connected layers also have biases (C/r and C).",
            "你只数了两个权重矩阵；两个全连接层还各有偏置（C/r 个和 C 个）。",
        ),
        lambda p: 2 * p["channels"] * (p["channels"] // p["reduction"]),
    ),
    (
        "no-reduction",
        1,
        Text(
            "You ignored the reduction ratio r: the first layer squeezes C channels to C/r, not to C.",
            "你忽略了缩减比 r：第一个全连接层把 C 个通道压缩到 C/r，而不是 C。",
        ),
        lambda p: 2 * p["channels"] ** 2 + 2 * p["channels"],
    ),
    (
        "one-layer",
        2,
        Text(
            "You counted only the first layer C→C/r; the second layer C/r→C has as many weights again.",
            "你只数了第一个全连接层 C→C/r；第二个全连接层 C/r→C 还有同样多的权重。",
        ),
        lambda p: p["channels"] * (p["channels"] // p["reduction"]) + p["channels"] // p["reduction"],
    ),
]


@family(
    "se_params",
    topic="arch.blocks",
    title=Text("Parameters of a squeeze-and-excitation block", "SE 模块的参数量"),
    difficulty=2,
    levels=2,
    default_level=1,
)
def draw_se_params(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: SENet's r = 16; 2: other ratios (MobileNetV3 uses 4)."""
    r = 16 if level == 1 else pick(rng, [4, 8, 32])
    c = pick(rng, [64, 128, 256, 512, 1024, 2048] if level == 1 else [32, 64, 96, 128, 256, 512, 960])
    if c % r:
        c = r * max(1, c // r)
    h = c // r
    total = c * h + h + h * c + c
    params: Params = {"channels": c, "reduction": r}
    prompt = Text(
        f"A squeeze-and-excitation block on C = {c} channels with reduction ratio r = {r}: global average pooling, "
        "nn.Linear(C, C/r), ReLU, nn.Linear(C/r, C), sigmoid, channel-wise scaling (both linear layers with bias). "
        "How many learnable parameters does it add?",
        f"一个作用在 C = {c} 个通道上的 SE（squeeze-and-excitation）模块，缩减比 r = {r}：全局平均池化、"
        "nn.Linear(C, C/r)、ReLU、nn.Linear(C/r, C)、sigmoid、按通道缩放（两个全连接层都带偏置）。"
        "它增加了多少个可学习参数？",
    )
    solution = Text(
        f"Pooling, ReLU, sigmoid and the scaling have no parameters. C/r = {c}/{r} = {h}.\n"
        f"1. First (reducing) layer C→C/r: {c}·{h} = {fmt_int(c * h)} weights + {h} biases = {fmt_int(c * h + h)}.\n"
        f"2. Second (expanding) layer C/r→C: {h}·{c} = {fmt_int(c * h)} weights + {c} biases = {fmt_int(c * h + c)}.\n"
        f"3. Total 2C²/r + C/r + C = {fmt_int(2 * c * h)} + {h} + {c} = {fmt_int(total)}.\n"
        f"Answer: {fmt_int(total)}.",
        f"池化、ReLU、sigmoid 和缩放都没有参数。C/r = {c}/{r} = {h}。\n"
        f"1. 第一个（降维）全连接层 C→C/r：{c}·{h} = {fmt_int(c * h)} 个权重 + {h} 个偏置 = {fmt_int(c * h + h)}。\n"
        f"2. 第二个（升维）全连接层 C/r→C：{h}·{c} = {fmt_int(c * h)} 个权重 + {c} 个偏置 = {fmt_int(c * h + c)}。\n"
        f"3. 合计 2C²/r + C/r + C = {fmt_int(2 * c * h)} + {h} + {c} = {fmt_int(total)}。\n"
        f"答案：{fmt_int(total)}。",
    )
    return exact_draft(params, prompt, total, solution)


register_mistakes("se_params", SE_MISTAKES)


@torch_snippet("se_params")
def _se_snippet(p: Params) -> str:
    c, h = p["channels"], p["channels"] // p["reduction"]
    return (
        "from torch import nn\n"
        f"se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear({c}, {h}), nn.ReLU(),\n"
        f"                   nn.Linear({h}, {c}), nn.Sigmoid())\n"
        "print(sum(q.numel() for q in se.parameters()))\n"
    )


def _shuffle_inverse(p: Params) -> int:
    i, g, c = p["index"], p["groups"], p["channels"]
    return int((i % g) * (c // g) + i // g)


SHUFFLE_MISTAKES: list[MistakeSpec] = [
    (
        "reshaped-the-other-way",
        1,
        Text(
            "You reshaped to (C/g, g) before transposing, which is the inverse permutation; channel shuffle "
            "reshapes to (g, C/g): one row per group.",
            "你先 reshape 成 (C/g, g) 再转置，得到的是逆置换；通道混洗是 reshape 成 (g, C/g)：每组一行。",
        ),
        _shuffle_inverse,
    ),
    (
        "forgot-group-offset",
        3,
        Text(
            "You gave position b·g and forgot to add the group index a: the new position is b·g + a.",
            "你只算了 b·g，忘了加上组号 a：新位置是 b·g + a。",
        ),
        lambda p: (p["index"] % (p["channels"] // p["groups"])) * p["groups"],
    ),
]


@family(
    "channel_shuffle",
    topic="arch.blocks",
    title=Text("Where a channel goes in a ShuffleNet channel shuffle", "ShuffleNet 通道混洗后通道的位置"),
    difficulty=2,
    levels=2,
    default_level=1,
)
def draw_channel_shuffle(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: up to 12 channels; 2: 16–64 channels and up to 8 groups."""
    while True:
        if level == 1:
            c, g = pick(rng, [(6, 2), (6, 3), (8, 2), (8, 4), (9, 3), (12, 2), (12, 3), (12, 4)])
        else:
            c, g = pick(rng, [(16, 4), (24, 3), (24, 4), (32, 4), (32, 8), (48, 3), (48, 8), (64, 8)])
        i = int(rng.integers(c))
        a, b = divmod(i, c // g)
        new = b * g + a
        params: Params = {"channels": c, "groups": g, "index": i}
        if a > 0 and distinct(params, new, AnswerKind.NUMBER, Tolerance.exact(), SHUFFLE_MISTAKES):
            break
    prompt = Text(
        f"A ShuffleNet unit shuffles C = {c} channels in g = {g} groups (nn.ChannelShuffle({g}): reshape to "
        f"(g, C/g), transpose, flatten). Channels are numbered from 0. At which position does input channel {i} "
        "end up?",
        f"ShuffleNet 单元把 C = {c} 个通道按 g = {g} 组做通道混洗（nn.ChannelShuffle({g})：reshape 成 (g, C/g)、"
        f"转置、再展平）。通道从 0 开始编号。输入的第 {i} 号通道混洗后位于第几号位置？",
    )
    solution = Text(
        f"1. Reshape to (g, C/g) = ({g}, {c // g}): channel i = {i} sits in row a = ⌊{i}/{c // g}⌋ = {a}, "
        f"column b = {i} mod {c // g} = {b}.\n"
        f"2. Transpose to ({c // g}, {g}): it now sits in row {b}, column {a}.\n"
        f"3. Flatten row by row: position b·g + a = {b}·{g} + {a} = {new}.\n"
        f"Answer: {new}.",
        f"1. reshape 成 (g, C/g) = ({g}, {c // g})：第 i = {i} 号通道位于第 a = ⌊{i}/{c // g}⌋ = {a} 行、"
        f"第 b = {i} mod {c // g} = {b} 列。\n"
        f"2. 转置成 ({c // g}, {g})：它变到第 {b} 行、第 {a} 列。\n"
        f"3. 按行展平：位置 b·g + a = {b}·{g} + {a} = {new}。\n"
        f"答案：{new}。",
    )
    return exact_draft(params, prompt, new, solution)


register_mistakes("channel_shuffle", SHUFFLE_MISTAKES)


@torch_snippet("channel_shuffle")
def _shuffle_snippet(p: Params) -> str:
    return (
        "import torch\nfrom torch import nn\n"
        f"x = torch.arange({p['channels']}.0).reshape(1, {p['channels']}, 1, 1)  # channel i holds the value i\n"
        f"y = nn.ChannelShuffle({p['groups']})(x).flatten()\n"
        f"print(int((y == {p['index']}).nonzero()))\n"
    )


# ---------------------------------------------------------------------------------------------
# train.efficient: gradient accumulation
# ---------------------------------------------------------------------------------------------


def _accumulated(p: Params, scale_by_k: bool = True, keep: str = "all") -> float:
    """w.grad after the micro-batch loop; ``keep="last"`` zeroes the gradient before every micro-batch."""
    w, xs, ys, b = p["w"], p["x"], p["y"], p["micro_batch"]
    k = len(xs) // b
    grad = 0.0
    for j in range(k):
        part = [2 * x * (w * x - y) for x, y in zip(xs[j * b : (j + 1) * b], ys[j * b : (j + 1) * b], strict=True)]
        g = sum(part) / b / (k if scale_by_k else 1)
        grad = g if keep == "last" else grad + g
    return grad


ACCUM_MISTAKES: list[MistakeSpec] = [
    (
        "forgot-divide-by-k",
        2,
        Text(
            "You did not divide each micro-batch loss by k, so the accumulated gradient is k times the "
            "full-batch gradient.",
            "你没有把每个微批次的损失除以 k，累积的梯度就成了整批梯度的 k 倍。",
        ),
        lambda p: _accumulated(p, scale_by_k=False),
    ),
    (
        "zero-grad-every-micro-batch",
        3,
        Text(
            "You kept only the last micro-batch's gradient, as if zero_grad() ran before every backward; "
            "gradients must add up over the k micro-batches.",
            "你只保留了最后一个微批次的梯度，好像每次 backward 前都调用了 zero_grad()；梯度应该在 k 个微批次上累加。",
        ),
        lambda p: _accumulated(p, keep="last"),
    ),
]


@family(
    "grad_accumulation",
    topic="train.efficient",
    title=Text("Gradient accumulation by hand", "手算梯度累积"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_grad_accumulation(rng: np.random.Generator, level: int) -> Draft:
    """A one-weight model ŷ = w·x with MSE. Level 1: 4 samples in micro-batches of 2; 2: 6 samples in
    2 or 3; 3: 8 samples in 2 or 4."""
    n = {1: 4, 2: 6, 3: 8}[level]
    b = {1: 2, 2: pick(rng, [2, 3]), 3: pick(rng, [2, 4])}[level]
    k = n // b
    while True:
        w = int(rng.integers(-1, 3))
        xs = [int(pick(rng, [-2, -1, 1, 2, 3])) for _ in range(n)]
        ys = [int(v) for v in rng.integers(-3, 5, size=n)]
        params: Params = {"w": w, "x": xs, "y": ys, "micro_batch": b}
        grad = _accumulated(params)
        if abs(grad) > 0.05 and distinct(params, grad, AnswerKind.NUMBER, TWO_DP, ACCUM_MISTAKES):
            break
    per = [2 * x * (w * x - y) for x, y in zip(xs, ys, strict=True)]
    mb_lines_en, mb_lines_zh = [], []
    for j in range(k):
        chunk = per[j * b : (j + 1) * b]
        g = sum(chunk) / b / k
        terms = fmt_sum(chunk)
        mb_lines_en.append(f"   micro-batch {j + 1}: ({terms})/{b}/{k} = {fmt_round(g, 4)}")
        mb_lines_zh.append(f"   第 {j + 1} 个微批次：({terms})/{b}/{k} = {fmt_round(g, 4)}")
    prompt = Text(
        f"A model ŷ = w·x has one weight w = {w}. The batch x = {fmt_vec(xs)}, y = {fmt_vec(ys)} does not fit in "
        f"memory, so you accumulate gradients over micro-batches of {b} (in order): for each micro-batch, "
        f"loss = F.mse_loss(w·x, y) / {k}; loss.backward(); and one optimizer.step() after the last one "
        "(zero_grad() only before the first). What is w.grad just before the step? Round to 2 decimal places.",
        f"模型 ŷ = w·x 只有一个权重 w = {w}。整批数据 x = {fmt_vec(xs)}，y = {fmt_vec(ys)} 放不进显存，"
        f"于是按顺序每 {b} 个样本一个微批次做梯度累积：每个微批次 loss = F.mse_loss(w·x, y) / {k}；"
        "loss.backward()；最后一个微批次之后才调用一次 optimizer.step()（只在第一个微批次前 zero_grad()）。"
        "调用 step 之前 w.grad 是多少？保留 2 位小数。",
    )
    solution = Text(
        f"k = {n}/{b} = {k} micro-batches.\n"
        f"1. Per sample, ∂(w·x − y)²/∂w = 2x(w·x − y): {fmt_vec(per)}.\n"
        f"2. Each micro-batch's loss is its mean divided by k = {k}, so it adds (sum/{b})/{k}:\n"
        + "\n".join(mb_lines_en)
        + f"\n3. backward() adds into .grad: the sum is the full-batch gradient (Σ 2x(wx − y))/{n} = "
        f"{sum(per)}/{n} ≈ {fmt_round(grad, 4)}.\nAnswer: {fmt_round(grad, 2)}.",
        f"共 k = {n}/{b} = {k} 个微批次。\n"
        f"1. 每个样本的梯度 ∂(w·x − y)²/∂w = 2x(w·x − y)：{fmt_vec(per)}。\n"
        f"2. 每个微批次的损失是它的均值再除以 k = {k}，贡献 (和/{b})/{k}：\n"
        + "\n".join(mb_lines_zh)
        + f"\n3. backward() 会把梯度累加到 .grad：总和就是整批梯度 (Σ 2x(wx − y))/{n} = "
        f"{sum(per)}/{n} ≈ {fmt_round(grad, 4)}。\n答案：{fmt_round(grad, 2)}。",
    )
    return Draft(
        params=params,
        prompt=prompt,
        answer=grad,
        answer_kind=AnswerKind.NUMBER,
        tolerance=TWO_DP,
        solution=solution,
    )


register_mistakes("grad_accumulation", ACCUM_MISTAKES)


@torch_snippet("grad_accumulation")
def _accum_snippet(p: Params) -> str:
    b, n = p["micro_batch"], len(p["x"])
    return (
        "import torch\nimport torch.nn.functional as F\n"
        f"w = torch.tensor({float(p['w'])}, requires_grad=True)\n"
        f"x = torch.tensor({[float(v) for v in p['x']]})\n"
        f"y = torch.tensor({[float(v) for v in p['y']]})\n"
        f"k = {n // b}\n"
        f"for xb, yb in zip(x.split({b}), y.split({b})):\n"
        "    (F.mse_loss(w * xb, yb) / k).backward()\n"
        "print(round(w.grad.item(), 4))\n"
    )


# ---------------------------------------------------------------------------------------------
# train.efficient: training memory per parameter (mixed precision, ZeRO)
# ---------------------------------------------------------------------------------------------

# Bytes per parameter in mixed-precision training: fp16/bf16 weights and gradients, fp32 master weights
# and the optimiser's fp32 state (Adam: m and v; SGD with momentum: one buffer).
STATE_BYTES = {"adam": 8, "sgd_momentum": 4, "sgd": 0}
OPTIMIZER_NAMES = {
    "adam": Text("Adam", "Adam"),
    "sgd_momentum": Text("SGD with momentum", "带动量的 SGD"),
    "sgd": Text("plain SGD (no momentum)", "普通 SGD（无动量）"),
}


def memory_gb(p: Params, master: bool = True, only_weights: bool = False) -> float:
    """GB per GPU (10⁹ bytes) for weights, gradients, master weights and optimiser state."""
    n, gpus, stage = p["num_params_billion"], p["num_gpus"], p["zero_stage"]
    if only_weights:
        return float(2 * n / (gpus if stage >= 3 else 1))
    weights = 2 * n / (gpus if stage >= 3 else 1)
    grads = 2 * n / (gpus if stage >= 2 else 1)
    optimizer = ((4 if master else 0) + STATE_BYTES[p["optimizer"]]) * n / (gpus if stage >= 1 else 1)
    return float(weights + grads + optimizer)


MEMORY_MISTAKES: list[MistakeSpec] = [
    (
        "forgot-master-weights",
        1,
        Text(
            "You left out the fp32 master copy of the weights (4 bytes per parameter) that mixed-precision "
            "training keeps for the optimiser update.",
            "你漏掉了混合精度训练为优化器更新保留的 fp32 主权重副本（每个参数 4 字节）。",
        ),
        lambda p: memory_gb(p, master=False),
    ),
    (
        "weights-only",
        1,
        Text(
            "You counted only the 2-byte weights; training also stores gradients, master weights and the "
            "optimiser state.",
            "你只算了 2 字节的权重；训练时还要存梯度、主权重和优化器状态。",
        ),
        lambda p: memory_gb(p, only_weights=True),
    ),
]


@family(
    "training_memory",
    topic="train.efficient",
    title=Text("Memory of mixed-precision training per GPU", "混合精度训练每张 GPU 的显存"),
    difficulty=3,
    levels=3,
    default_level=1,
)
def draw_training_memory(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: Adam on one GPU (16 bytes per parameter); 2: other optimisers; 3: ZeRO stages 1–3."""
    n = pick(rng, [1, 3, 7, 13, 70] if level < 3 else [7, 13, 30, 70])
    opt = "adam" if level != 2 else pick(rng, ["sgd", "sgd_momentum", "adam"])
    stage, gpus = (0, 1) if level < 3 else (int(rng.integers(1, 4)), pick(rng, [2, 4, 8]))
    params: Params = {"num_params_billion": n, "optimizer": opt, "zero_stage": stage, "num_gpus": gpus}
    gb = memory_gb(params)
    state = STATE_BYTES[opt]
    o = OPTIMIZER_NAMES[opt]
    # Chinese text puts a space between Chinese and Latin words, none next to full-width punctuation.
    opt_zh = (" " if o.zh[0].isascii() else "") + o.zh + (" " if o.zh[-1].isascii() else "")
    state_en = {"adam": "m and v, 4 + 4 = 8", "sgd_momentum": "the momentum buffer, 4", "sgd": "none, 0"}[opt]
    state_zh = {"adam": "m 和 v，4 + 4 = 8", "sgd_momentum": "动量缓冲，4", "sgd": "无，0"}[opt]
    zero_en = zero_zh = ""
    if stage:
        sharded_en = [
            "the fp32 master weights and the optimizer state",
            "the fp32 master weights, the optimizer state and the gradients",
            "the fp32 master weights, the optimizer state, the gradients and the weights",
        ][stage - 1]
        sharded_zh = [
            "fp32 主权重和优化器状态",
            "fp32 主权重、优化器状态和梯度",
            "fp32 主权重、优化器状态、梯度和权重",
        ][stage - 1]
        zero_en = f", sharded with ZeRO stage {stage} over {gpus} GPUs"
        zero_zh = f"，并用 ZeRO 第 {stage} 阶段切分到 {gpus} 张 GPU 上"
    w_b = 2 * n / (gpus if stage >= 3 else 1)
    g_b = 2 * n / (gpus if stage >= 2 else 1)
    o_b = (4 + state) * n / (gpus if stage >= 1 else 1)
    prompt = Text(
        f"You train a {n}-billion-parameter model with mixed precision (fp16/bf16 weights and gradients, fp32 "
        f"master weights) and {o.en}{zero_en}. Ignoring activations and temporary buffers, how many GB "
        "(10⁹ bytes) do weights, gradients, master weights and optimizer state take on each GPU? "
        "Round to 1 decimal place.",
        f"用混合精度（fp16/bf16 权重和梯度，fp32 主权重）和{opt_zh}训练一个 {n}0 亿参数的模型{zero_zh}。"
        "不计激活值和临时缓冲区，每张 GPU 上权重、梯度、主权重和优化器状态共占多少 GB（10⁹ 字节）？保留 1 位小数。",
    )
    split_en = (
        f"2. ZeRO stage {stage} shards {sharded_en} over {gpus} GPUs:\n"
        if stage
        else "2. Nothing is sharded: one GPU holds all of it.\n"
    )
    split_zh = (
        f"2. ZeRO 第 {stage} 阶段把 {sharded_zh}切分到 {gpus} 张 GPU 上：\n"
        if stage
        else "2. 不切分：一张 GPU 存全部。\n"
    )
    solution = Text(
        f"1. Bytes per parameter: weights 2 + gradients 2 + fp32 master 4 + optimizer state ({state_en}) "
        f"= {8 + state}.\n"
        + split_en
        + f"   weights {fmt_num(w_b)} GB, gradients {fmt_num(g_b)} GB, master + state {fmt_num(o_b)} GB.\n"
        f"3. Total {fmt_num(w_b)} + {fmt_num(g_b)} + {fmt_num(o_b)} = {fmt_num(gb)} GB.\n"
        f"Answer: {fmt_round(gb, 1)}.",
        f"1. 每个参数的字节数：权重 2 + 梯度 2 + fp32 主权重 4 + 优化器状态（{state_zh}）= {8 + state}。\n"
        + split_zh
        + f"   权重 {fmt_num(w_b)} GB，梯度 {fmt_num(g_b)} GB，主权重 + 状态 {fmt_num(o_b)} GB。\n"
        f"3. 合计 {fmt_num(w_b)} + {fmt_num(g_b)} + {fmt_num(o_b)} = {fmt_num(gb)} GB。\n"
        f"答案：{fmt_round(gb, 1)}。",
    )
    return Draft(
        params=params, prompt=prompt, answer=gb, answer_kind=AnswerKind.NUMBER, tolerance=ONE_DP, solution=solution
    )


register_mistakes("training_memory", MEMORY_MISTAKES)


@torch_snippet("training_memory")
def _memory_snippet(p: Params) -> str:
    opt = {
        "adam": "torch.optim.Adam(master.parameters())",
        "sgd_momentum": "torch.optim.SGD(master.parameters(), lr=0.1, momentum=0.9)",
        "sgd": "torch.optim.SGD(master.parameters(), lr=0.1)",
    }[p["optimizer"]]
    stage, gpus = p["zero_stage"], p["num_gpus"]
    return (
        "import torch\nfrom torch import nn\n"
        "master = nn.Linear(64, 64)  # fp32 master weights\n"
        "model = nn.Linear(64, 64).half()  # fp16 working copy\n"
        "model(torch.randn(2, 64).half()).sum().backward()\n"
        f"opt = {opt}\n"
        "for m, h in zip(master.parameters(), model.parameters()):\n"
        "    m.grad = h.grad.float()\n"
        "opt.step()\n"
        "n = sum(q.numel() for q in master.parameters())\n"
        "def nbytes(ts): return sum(t.numel() * t.element_size() for t in ts) / n\n"
        "w = nbytes(model.parameters()); g = nbytes(q.grad for q in model.parameters())\n"
        "o = nbytes(master.parameters()) + nbytes(t for s in opt.state.values() for t in s.values()\n"
        "                                         if torch.is_tensor(t) and t.dim() > 0)\n"
        f"gpus, stage = {gpus}, {stage}\n"
        "per_gpu = (w / (gpus if stage >= 3 else 1) + g / (gpus if stage >= 2 else 1)\n"
        "           + o / (gpus if stage >= 1 else 1))\n"
        f"print(per_gpu * {p['num_params_billion']})  # GB for the model's billions of parameters\n"
    )


# ---------------------------------------------------------------------------------------------
# train.efficient: affine quantisation
# ---------------------------------------------------------------------------------------------

QRANGE = {"quint8": (0, 255), "qint8": (-128, 127)}


def _quantize(
    p: Params, op: Callable[[float], float] = round, zero_point: bool = True, multiply: bool = False
) -> list[int]:
    lo, hi = QRANGE[p["dtype"]]
    zp = p["zero_point"] if zero_point else 0
    s = p["scale"]
    return [int(min(hi, max(lo, op(x * s if multiply else x / s) + zp))) for x in p["x"]]


QUANT_MISTAKES: list[MistakeSpec] = [
    (
        "forgot-zero-point",
        2,
        Text(
            "You forgot to add the zero point after rounding: q = round(x/scale) + zero_point.",
            "你在取整后忘了加零点：q = round(x/scale) + zero_point。",
        ),
        lambda p: _quantize(p, zero_point=False),
    ),
    (
        "multiplied-by-scale",
        1,
        Text(
            "You multiplied by the scale; quantising divides by it (dequantising multiplies).",
            "你乘了 scale；量化是除以 scale（反量化才是乘）。",
        ),
        lambda p: _quantize(p, multiply=True),
    ),
    (
        "truncated",
        1,
        Text(
            "You truncated x/scale towards zero; quantisation rounds to the nearest integer.",
            "你把 x/scale 向零截断了；量化是舍入到最近的整数。",
        ),
        lambda p: _quantize(p, op=math.trunc),
    ),
]


@family(
    "affine_quantization",
    topic="train.efficient",
    title=Text("Affine (asymmetric) 8-bit quantisation", "仿射（非对称）8 位量化"),
    difficulty=2,
    levels=2,
    default_level=1,
)
def draw_affine_quantization(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: quint8, every value in range; 2: quint8 or qint8 with one value clamped."""
    while True:
        dtype = "quint8" if level == 1 else pick(rng, ["quint8", "qint8"])
        scale = pick(rng, [0.5, 0.25])
        lo, hi = QRANGE[dtype]
        zero_point = int(rng.integers(1, 20)) if dtype == "quint8" else int(rng.integers(-10, 11))
        # Values on a grid of scale/4 (exact in 4 decimals) that never land on a rounding tie (fractions 0, ¼, ¾).
        units = [int(rng.integers(-20, 60)) * 4 + pick(rng, [0, 1, 3]) for _ in range(4)]
        x = [u * scale / 4 for u in units]
        if level == 2:
            x[int(rng.integers(4))] = pick(rng, [1, -1]) * (hi + 40) * scale  # far outside the range
        params: Params = {"x": x, "scale": scale, "zero_point": zero_point, "dtype": dtype}
        q = _quantize(params)
        clamped = sum(v in (lo, hi) for v in q)
        if clamped == (0 if level == 1 else 1) and distinct(
            params, q, AnswerKind.VECTOR, Tolerance.exact(), QUANT_MISTAKES
        ):
            break
    ratios = [xv / scale for xv in x]
    rounded = [round(r) + zero_point for r in ratios]
    prompt = Text(
        f"torch.quantize_per_tensor(x, scale={fmt_num(scale)}, zero_point={zero_point}, dtype=torch.{dtype}) with "
        f"x = {fmt_vec(x)}. What are the stored integers (.int_repr())?",
        f"对 x = {fmt_vec(x)} 调用 torch.quantize_per_tensor(x, scale={fmt_num(scale)}, zero_point={zero_point}, "
        f"dtype=torch.{dtype})。存储的整数（.int_repr()）是多少？",
    )
    solution = Text(
        f"q = clamp(round(x/scale) + zero_point, {lo}, {hi}).\n"
        f"1. x/scale = {fmt_vec(ratios)}.\n"
        f"2. Round to the nearest integer and add {zero_point}: {fmt_vec(rounded)}.\n"
        f"3. Clamp to the {dtype} range [{lo}, {hi}]: {fmt_vec(q)}.\n"
        f"Answer: {fmt_vec(q)}.",
        f"q = clamp(round(x/scale) + zero_point, {lo}, {hi})。\n"
        f"1. x/scale = {fmt_vec(ratios)}。\n"
        f"2. 舍入到最近的整数，再加 {zero_point}：{fmt_vec(rounded)}。\n"
        f"3. 截断到 {dtype} 的范围 [{lo}, {hi}]：{fmt_vec(q)}。\n"
        f"答案：{fmt_vec(q)}。",
    )
    return exact_draft(params, prompt, q, solution, AnswerKind.VECTOR)


register_mistakes("affine_quantization", QUANT_MISTAKES)


@torch_snippet("affine_quantization")
def _quant_snippet(p: Params) -> str:
    return (
        "import torch\n"
        f"x = torch.tensor({p['x']})\n"
        f"q = torch.quantize_per_tensor(x, scale={p['scale']}, zero_point={p['zero_point']},\n"
        f"                              dtype=torch.{p['dtype']})\n"
        "print(q.int_repr().tolist())\n"
    )


# ---------------------------------------------------------------------------------------------
# train.efficient: distillation soft targets
# ---------------------------------------------------------------------------------------------


def _softmax(z: Sequence[float]) -> list[float]:
    return [float(v) for v in ops.softmax(np.asarray(z, dtype=float), dim=0)]


DISTILL_MISTAKES: list[MistakeSpec] = [
    (
        "no-temperature",
        1,
        Text(
            "You took softmax(z) without the temperature; soft targets are softmax(z/T).",
            "你直接算了 softmax(z)，没有用温度；软目标是 softmax(z/T)。",
        ),
        lambda p: _softmax(p["logits"]),
    ),
    (
        "multiplied-by-t",
        1,
        Text(
            "You multiplied the logits by T; the temperature divides them (T > 1 softens the distribution).",
            "你把 logits 乘以了 T；温度是用来除的（T > 1 让分布更平缓）。",
        ),
        lambda p: _softmax([v * p["temperature"] for v in p["logits"]]),
    ),
]


@family(
    "distillation_soft_targets",
    topic="train.efficient",
    title=Text("Soft targets for knowledge distillation", "知识蒸馏的软目标"),
    difficulty=2,
    levels=3,
    default_level=1,
)
def draw_distillation_soft_targets(rng: np.random.Generator, level: int) -> Draft:
    """softmax(z/T) with z/T integers in [−2, 2]. Level 1: 3 classes, T = 2; 2: 4 classes, T of 2, 4 or 5;
    3: 4 classes, T = 0.5 (sharper) or 10."""
    n = 3 if level == 1 else 4
    temps = [2.0] if level == 1 else [2.0, 4.0, 5.0] if level == 2 else [0.5, 10.0]
    while True:
        t = pick(rng, temps)
        scaled = [int(v) for v in rng.integers(-2, 3, size=n)]
        if len(set(scaled)) < 2:
            continue
        z = [s * t for s in scaled]
        params: Params = {"logits": [fmt_logit(v) for v in z], "temperature": fmt_logit(t)}
        p = _softmax(scaled)
        if distinct(params, p, AnswerKind.VECTOR, THREE_DP, DISTILL_MISTAKES):
            break
    exps = [math.exp(s) for s in scaled]
    total = sum(exps)
    prompt = Text(
        f"A teacher's logits are z = {fmt_vec(z)}. What are its soft targets softmax(z/T) at temperature "
        f"T = {fmt_num(t)}? (e ≈ 2.718, e² ≈ 7.389.) Give every probability to 3 decimal places.",
        f"教师模型的 logits 为 z = {fmt_vec(z)}。温度 T = {fmt_num(t)} 时它的软目标 softmax(z/T) 是多少？"
        "（e ≈ 2.718，e² ≈ 7.389。）每个概率保留 3 位小数。",
    )
    exp_txt = ", ".join(f"e^{s}" if s not in (0, 1) else ("1" if s == 0 else "e") for s in scaled)
    solution = Text(
        f"1. z/T = {fmt_vec(scaled)}.\n"
        f"2. Exponentials: {exp_txt} ≈ [{', '.join(fmt_round(e, 3) for e in exps)}], sum ≈ {fmt_round(total, 3)}.\n"
        f"3. Divide by the sum: [{', '.join(fmt_round(v, 3) for v in p)}].\n"
        "A higher T flattens the distribution, exposing how the teacher ranks the wrong classes.\n"
        f"Answer: [{', '.join(fmt_round(v, 3) for v in p)}].",
        f"1. z/T = {fmt_vec(scaled)}。\n"
        f"2. 取指数：{exp_txt} ≈ [{', '.join(fmt_round(e, 3) for e in exps)}]，和 ≈ {fmt_round(total, 3)}。\n"
        f"3. 除以总和：[{', '.join(fmt_round(v, 3) for v in p)}]。\n"
        "T 越大分布越平缓，教师对错误类别的相对排序（“暗知识”）就越明显。\n"
        f"答案：[{', '.join(fmt_round(v, 3) for v in p)}]。",
    )
    return Draft(
        params=params, prompt=prompt, answer=p, answer_kind=AnswerKind.VECTOR, tolerance=THREE_DP, solution=solution
    )


def fmt_logit(v: float) -> float | int:
    """A whole logit as an int in params (``4``, not ``4.0``), others as floats."""
    return int(v) if float(v).is_integer() else float(v)


register_mistakes("distillation_soft_targets", DISTILL_MISTAKES)


@torch_snippet("distillation_soft_targets")
def _distill_snippet(p: Params) -> str:
    return (
        "import torch\nimport torch.nn.functional as F\n"
        f"z = torch.tensor({[float(v) for v in p['logits']]}, dtype=torch.float64)\n"
        f"print(F.softmax(z / {float(p['temperature'])}, dim=0).tolist())\n"
    )


# ---------------------------------------------------------------------------------------------
# train.efficient: ring all-reduce traffic
# ---------------------------------------------------------------------------------------------


def _ring(p: Params, factor: float) -> float:
    sent = factor * p["size_mb"]
    bw = p["bandwidth_gbs"]
    return float(sent / bw if bw else sent)


RING_MISTAKES: list[MistakeSpec] = [
    (
        "reduce-scatter-only",
        2,
        Text(
            "You counted only the reduce-scatter phase; the all-gather phase sends another (N−1)/N of the data.",
            "你只算了 reduce-scatter 阶段；all-gather 阶段还要再发送 (N−1)/N 的数据。",
        ),
        lambda p: _ring(p, (p["num_gpus"] - 1) / p["num_gpus"]),
    ),
    (
        "send-to-everyone",
        1,
        Text(
            "You had every GPU send its whole buffer to each of the N−1 others (naive all-to-all); the ring sends "
            "only chunks of size S/N.",
            "你让每张 GPU 把整块数据发给其余 N−1 张（朴素的全互发）；环形算法每次只发 S/N 大小的一块。",
        ),
        lambda p: _ring(p, p["num_gpus"] - 1),
    ),
]


@family(
    "ring_allreduce",
    topic="train.efficient",
    title=Text("Traffic of a ring all-reduce", "环形 all-reduce 的通信量"),
    difficulty=3,
    levels=3,
    default_level=1,
)
def draw_ring_allreduce(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: 4 or 8 GPUs, MB sent per GPU; 2: 3–16 GPUs; 3: the time at a given bandwidth."""
    n = pick(rng, [4, 8]) if level == 1 else pick(rng, [3, 5, 6, 8, 12, 16])
    size = n * int(rng.integers(25, 251))  # divisible by N: every chunk is a whole number of MB
    bw = pick(rng, [10, 25, 50, 100]) if level == 3 else 0
    params: Params = {"num_gpus": n, "size_mb": size, "bandwidth_gbs": bw}
    chunk = size // n
    sent = 2 * (n - 1) * chunk
    answer = sent / bw if bw else float(sent)
    if bw:
        q_en = f"Each link carries {bw} GB/s (1 GB/s = 1 MB/ms). How many milliseconds does the all-reduce take?"
        q_zh = f"每条链路带宽 {bw} GB/s（1 GB/s = 1 MB/ms）。这次 all-reduce 需要多少毫秒？"
        t_en = f"4. Time = {sent} MB / {bw} MB/ms = {fmt_num(answer)} ms.\n"
        t_zh = f"4. 时间 = {sent} MB / {bw} MB/ms = {fmt_num(answer)} ms。\n"
    else:
        q_en, q_zh, t_en, t_zh = "How many MB does each GPU send?", "每张 GPU 发送多少 MB？", "", ""
    prompt = Text(
        f"N = {n} GPUs average gradients of S = {size} MB with a ring all-reduce (reduce-scatter, then all-gather). "
        f"{q_en} Round to 1 decimal place.",
        f"N = {n} 张 GPU 用环形 all-reduce（先 reduce-scatter，再 all-gather）对 S = {size} MB 的梯度求平均。"
        f"{q_zh}保留 1 位小数。",
    )
    solution = Text(
        f"1. The buffer is cut into N = {n} chunks of S/N = {chunk} MB.\n"
        f"2. Reduce-scatter: N − 1 = {n - 1} steps, each sending one chunk: {n - 1}·{chunk} = {(n - 1) * chunk} MB.\n"
        f"3. All-gather: another {n - 1} steps: {(n - 1) * chunk} MB. Total 2(N−1)/N·S = {sent} MB, "
        "almost independent of N.\n" + t_en + f"Answer: {fmt_round(answer, 1)}.",
        f"1. 把数据切成 N = {n} 块，每块 S/N = {chunk} MB。\n"
        f"2. reduce-scatter：N − 1 = {n - 1} 步，每步发一块：{n - 1}·{chunk} = {(n - 1) * chunk} MB。\n"
        f"3. all-gather：再 {n - 1} 步：{(n - 1) * chunk} MB。合计 2(N−1)/N·S = {sent} MB，几乎与 N 无关。\n"
        + t_zh
        + f"答案：{fmt_round(answer, 1)}。",
    )
    return Draft(
        params=params,
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.NUMBER,
        tolerance=ONE_DP,
        solution=solution,
    )


register_mistakes("ring_allreduce", RING_MISTAKES)


@torch_snippet("ring_allreduce")
def _ring_snippet(p: Params) -> str:
    n, size, bw = p["num_gpus"], p["size_mb"], p["bandwidth_gbs"]
    return (
        "import torch\n"
        f"N, S, bw = {n}, {size}, {bw}  # GPUs, MB (1 element = 1 MB here), GB/s\n"
        "bufs = [torch.rand(S) for _ in range(N)]\n"
        "total = sum(bufs)\n"
        "chunks = [list(b.chunk(N)) for b in bufs]\n"
        "sent = 0\n"
        "for step in range(N - 1):  # reduce-scatter: rank r sends chunk (r - step) to rank r + 1\n"
        "    msgs = [(r, (r - step) % N, chunks[r][(r - step) % N].clone()) for r in range(N)]\n"
        "    for r, c, m in msgs:\n"
        "        chunks[(r + 1) % N][c] += m; sent += m.numel()\n"
        "for step in range(N - 1):  # all-gather: pass the finished chunks around the ring\n"
        "    msgs = [(r, (r + 1 - step) % N, chunks[r][(r + 1 - step) % N].clone()) for r in range(N)]\n"
        "    for r, c, m in msgs:\n"
        "        chunks[(r + 1) % N][c] = m; sent += m.numel()\n"
        "assert all(torch.allclose(torch.cat(c), total) for c in chunks)\n"
        "per_gpu = sent / N\n"
        "print(per_gpu / bw if bw else per_gpu)\n"
    )


# ---------------------------------------------------------------------------------------------
# train.efficient: rounding when casting to a low-precision format
# ---------------------------------------------------------------------------------------------

# Explicit mantissa bits of each format (1 sign bit; the rest is exponent).
MANTISSA_BITS = {"fp16": 10, "bf16": 7, "fp8_e4m3": 3, "fp8_e5m2": 2}
LAYOUT = {"fp16": "1/5/10", "bf16": "1/8/7", "fp8_e4m3": "1/4/3", "fp8_e5m2": "1/5/2"}
PARTNER = {"fp16": "bf16", "bf16": "fp16", "fp8_e4m3": "fp8_e5m2", "fp8_e5m2": "fp8_e4m3"}
TORCH_DTYPE = {"fp16": "float16", "bf16": "bfloat16", "fp8_e4m3": "float8_e4m3fn", "fp8_e5m2": "float8_e5m2"}


def _cast(value: int, fmt: str, op: Callable[[float], float] = round) -> float:
    """``value`` (≥ 1) rounded to the nearest number of ``fmt`` (``op=math.floor`` truncates instead)."""
    e = math.floor(math.log2(value))
    spacing = 2.0 ** (e - MANTISSA_BITS[fmt])
    return float(op(value / spacing) * spacing)


CAST_MISTAKES: list[MistakeSpec] = [
    (
        "swapped-formats",
        1,
        Text(
            "You used the other format's bits: fp16 is 1/5/10 and bf16 1/8/7 (sign/exponent/mantissa), "
            "fp8 E4M3 is 1/4/3 and E5M2 1/5/2.",
            "你用了另一种格式的位数：fp16 是 1/5/10，bf16 是 1/8/7（符号/指数/尾数）；"
            "fp8 的 E4M3 是 1/4/3，E5M2 是 1/5/2。",
        ),
        lambda p: _cast(p["value"], PARTNER[p["format"]]),
    ),
    (
        "truncated",
        3,
        Text(
            "You dropped the extra bits (rounded down); a cast rounds to the nearest representable number.",
            "你直接丢掉了多余的位（向下取整）；类型转换会舍入到最近的可表示数。",
        ),
        lambda p: _cast(p["value"], p["format"], math.floor),
    ),
]


@family(
    "float_cast_rounding",
    topic="train.efficient",
    title=Text("Rounding when casting to fp16, bf16 or fp8", "转换为 fp16、bf16 或 fp8 时的舍入"),
    difficulty=3,
    levels=3,
    default_level=1,
)
def draw_float_cast_rounding(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: fp16 or bf16 where the spacing is 4; 2: larger values (spacing 8 to 512); 3: the fp8 formats."""
    while True:
        if level == 1:
            fmt = pick(rng, ["fp16", "bf16"])
            lo = 2 ** (MANTISSA_BITS[fmt] + 2)  # spacing 4: integers can round either way without a tie
            value = int(rng.integers(lo, 2 * lo))
        elif level == 2:
            fmt = pick(rng, ["fp16", "bf16"])
            e = int(rng.integers(MANTISSA_BITS[fmt] + 3, 16))  # below 2¹⁶: finite in both 16-bit formats
            value = int(rng.integers(2**e, 2 ** (e + 1)))
        else:
            fmt = pick(rng, ["fp8_e4m3", "fp8_e5m2"])
            value = int(rng.integers(9, 400))
        e = math.floor(math.log2(value))
        spacing = 2.0 ** (e - MANTISSA_BITS[fmt])
        frac = value / spacing - math.floor(value / spacing)
        params: Params = {"format": fmt, "value": value}
        answer = _cast(value, fmt)
        if frac not in (0.0, 0.5) and distinct(params, answer, AnswerKind.NUMBER, Tolerance.exact(), CAST_MISTAKES):
            break
    m = MANTISSA_BITS[fmt]
    lower = math.floor(value / spacing) * spacing
    prompt = Text(
        f"The value {value} (exact in float32) is cast to {fmt} ({LAYOUT[fmt]} sign/exponent/mantissa bits), "
        f"e.g. torch.tensor({value}.0).to(torch.{TORCH_DTYPE[fmt]}). What value does it become?",
        f"把数值 {value}（在 float32 中可精确表示）转换为 {fmt}（符号/指数/尾数位为 {LAYOUT[fmt]}），"
        f"例如 torch.tensor({value}.0).to(torch.{TORCH_DTYPE[fmt]})。结果是多少？",
    )
    solution = Text(
        f"1. {fmt} keeps m = {m} mantissa bits: between 2^e and 2^(e+1) it has 2^m = {2**m} equally spaced numbers.\n"
        f"2. {value} lies in [2^{e}, 2^{e + 1}) = [{2**e}, {2 ** (e + 1)}): the spacing is 2^(e − m) = "
        f"2^{e - m} = {fmt_num(spacing)}.\n"
        f"3. The neighbours are {fmt_num(lower)} and {fmt_num(lower + spacing)}; the nearest is {fmt_num(answer)}.\n"
        f"Answer: {fmt_int(int(answer))}.",
        f"1. {fmt} 有 m = {m} 位尾数：在 2^e 与 2^(e+1) 之间有 2^m = {2**m} 个等间距的数。\n"
        f"2. {value} 落在 [2^{e}, 2^{e + 1}) = [{2**e}, {2 ** (e + 1)}) 内：间距为 2^(e − m) = "
        f"2^{e - m} = {fmt_num(spacing)}。\n"
        f"3. 相邻的两个可表示数是 {fmt_num(lower)} 和 {fmt_num(lower + spacing)}；最近的是 {fmt_num(answer)}。\n"
        f"答案：{fmt_int(int(answer))}。",
    )
    return exact_draft(params, prompt, int(answer), solution)


register_mistakes("float_cast_rounding", CAST_MISTAKES)


@torch_snippet("float_cast_rounding")
def _cast_snippet(p: Params) -> str:
    return (
        "import torch\n"
        f"x = torch.tensor({p['value']}.0).to(torch.{TORCH_DTYPE[p['format']]})\n"
        "print(x.float().item())\n"
    )
