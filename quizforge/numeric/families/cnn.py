"""Convolutional-network families: conv and pool sizes and values, parameter and MAC counts,
receptive fields, 1×1 bottlenecks, and why fully connected layers do not scale to images.

Values of convolutions and pools come from :mod:`quizforge.numeric.ops` (the NumPy mirror of
``torch.nn.functional``); sizes and counts from the closed-form formulas the worked solutions teach.
The torch oracles in :mod:`quizforge.numeric.oracles.cnn` recompute every answer a different way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, TypeVar

import numpy as np

from quizforge.answer import AnswerKind, Tolerance
from quizforge.numeric import ops
from quizforge.numeric.base import (
    Answer,
    Draft,
    Params,
    TorchSnippetFn,
    family,
    mistake,
    three_levels,
    torch_snippet,
    typeset_minus_signs,
)
from quizforge.text import Text

T = TypeVar("T")

# Averages of 4 or 9 integers are quarters or ninths: accept exact fractions or 2 decimal places.
TWO_DECIMALS = Tolerance(rel=1e-3, abs=0.006)
# Answers stated "in millions, to 1 decimal place": anything that rounds to the right tenth passes.
MILLIONS_1DP = Tolerance(rel=0.0, abs=0.05 + 1e-9)


# ---------------------------------------------------------------------------------------------
# Helpers shared with the architecture families
# ---------------------------------------------------------------------------------------------


def pick(rng: np.random.Generator, seq: Sequence[T]) -> T:
    """One element of ``seq``, drawn with an integer index (platform-independent)."""
    return seq[int(rng.integers(len(seq)))]


def conv_out(n: int, f: int, p: int = 0, s: int = 1, d: int = 1) -> int:
    """Output size of a convolution or pool along one axis: ⌊(n + 2p − d(f−1) − 1)/s⌋ + 1."""
    return (n + 2 * p - d * (f - 1) - 1) // s + 1


def fmt_int(n: int) -> str:
    """An integer with thousands separators: 120422400 → ``120,422,400``."""
    return f"{n:,}"


def fmt_num(v: float) -> str:
    """A number as a person would write it: integers without ``.0``, others with up to 4 decimals."""
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.4f}".rstrip("0").rstrip(".")


def fmt_factor(v: float) -> str:
    """A factor in a product: negatives in parentheses, ``(-1)·2``."""
    s = fmt_num(v)
    return f"({s})" if v < 0 else s


def fmt_grid(m: Sequence[Sequence[float]] | np.ndarray[Any, Any]) -> str:
    """A matrix as right-aligned rows, indented, for prompts and solutions."""
    cells = [[fmt_num(v) for v in row] for row in m]
    width = max(len(c) for row in cells for c in row)
    return "\n".join("    " + "  ".join(c.rjust(width) for c in row) for row in cells)


def fmt_shape(shape: Sequence[int]) -> str:
    """A shape as ``16×10×10``."""
    return "×".join(str(x) for x in shape)


def fmt_fraction(total: int, count: int) -> str:
    """``total/count`` as a fraction and, when it is not an integer, a decimal: ``17/4 = 4.25``."""
    q = Fraction(total, count)
    if q.denominator == 1:
        return f"{total}/{count} = {q.numerator}"
    dec = total / count
    exact = round(dec, 4) == dec
    return f"{total}/{count} = {fmt_num(dec)}" if exact else f"{total}/{count} ≈ {dec:.4f}"


def millions(n: int) -> float:
    """A count in millions (the answer unit of the big MAC counts)."""
    return n / 1_000_000


def size_formula(n: int, f: int, p: int, s: int, d: int = 1) -> tuple[str, int]:
    """The output-size formula with the numbers filled in, and its value."""
    out = conv_out(n, f, p, s, d)
    if d == 1:
        num = n + 2 * p - f
        text = f"⌊({n} + 2·{p} − {f})/{s}⌋ + 1 = ⌊{num}/{s}⌋ + 1 = {num // s} + 1 = {out}"
    else:
        num = n + 2 * p - d * (f - 1) - 1
        text = f"⌊({n} + 2·{p} − {d}·({f}−1) − 1)/{s}⌋ + 1 = ⌊{num}/{s}⌋ + 1 = {num // s} + 1 = {out}"
    return text, out


def mat(a: np.ndarray[Any, Any]) -> list[list[float]]:
    """A 2-D array as a list of float rows (the matrix answer kind)."""
    return [[float(v) for v in row] for row in a]


# ---------------------------------------------------------------------------------------------
# cnn.conv
# ---------------------------------------------------------------------------------------------


@family(
    "conv_output_size",
    topic="cnn.conv",
    title=Text("Output size of a convolution", "卷积输出尺寸"),
    difficulty=1,
)
def draw_conv_output_size(rng: np.random.Generator) -> Draft:
    """Output size ⌊(n + 2p − d(f−1) − 1)/s⌋ + 1, with dilation one time in five."""
    while True:
        n = pick(rng, [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 28, 32, 55, 56, 64, 112, 224, 227])
        f = pick(rng, [1, 2, 3, 3, 3, 5, 5, 7, 11])
        s = pick(rng, [1, 1, 2, 2, 3, 4])
        p = pick(rng, [0, 0, 1, 1, 2, 3])
        d = 1 if rng.integers(5) else pick(rng, [2, 3])
        if f == 1:
            d = 1  # dilation of a 1×1 kernel changes nothing: not a question worth asking
        span = d * (f - 1) + 1
        # Realistic layers: padding at most 'same' (span // 2), and the kernel fits the padded input.
        if p <= span // 2 and span <= n + 2 * p:
            break
    formula, out = size_formula(n, f, p, s, d)
    dil_en = f", dilation d = {d}" if d > 1 else ""
    dil_zh = f"，空洞率（dilation）d = {d}" if d > 1 else ""
    prompt = Text(
        f"The input is {n}×{n}. A convolution layer has kernel size f = {f}, padding p = {p}, "
        f"stride s = {s}{dil_en}. What is the output size (height = width)?",
        f"输入尺寸为 {n}×{n}，经过一个卷积层：卷积核大小 f = {f}，填充 p = {p}，步长 s = {s}{dil_zh}。"
        f"输出尺寸（高 = 宽）是多少？",
    )
    if d > 1:
        span = d * (f - 1) + 1
        pre_en = (
            f"1. A dilated kernel spans d·(f−1) + 1 = {d}·{f - 1} + 1 = {span} input pixels; "
            "output size = ⌊(n + 2p − d·(f−1) − 1)/s⌋ + 1\n"
        )
        pre_zh = (
            f"1. 空洞卷积核实际覆盖 d·(f−1) + 1 = {d}·{f - 1} + 1 = {span} 个像素；"
            "输出尺寸 = ⌊(n + 2p − d·(f−1) − 1)/s⌋ + 1\n"
        )
    else:
        pre_en = "1. Output size = ⌊(n + 2p − f)/s⌋ + 1\n"
        pre_zh = "1. 输出尺寸 = ⌊(n + 2p − f)/s⌋ + 1\n"
    rem = (n + 2 * p - d * (f - 1) - 1) % s
    floor_en = f"\n2. The division leaves a remainder of {rem}: the last partial window is dropped (floor)."
    floor_en = floor_en if rem else ""
    floor_zh = f"\n2. 除不尽（余 {rem}），最后不完整的窗口被舍去（向下取整）。" if rem else ""
    solution = Text(
        f"{pre_en}   = {formula}.{floor_en}\nAnswer: {out}×{out}, i.e. {out}.",
        f"{pre_zh}   = {formula}。{floor_zh}\n答案：输出为 {out}×{out}，即 {out}。",
    )
    return Draft(
        params={"n": n, "f": f, "p": p, "s": s, "d": d},
        prompt=prompt,
        answer=out,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


# (n, k, stride, padding) for single-channel inputs, chosen so the output is 2×2 or 3×3.
_CONV_FORWARD_2D = [
    (n, k, s, p) for n in (4, 5) for k in (2, 3) for s in (1, 2) for p in (0, 1) if 2 <= conv_out(n, k, p, s) <= 3
]
# Two-channel inputs stay small: stride 1, no padding, a 2×2 output.
_CONV_FORWARD_3D = [(3, 2, 1, 0), (4, 3, 1, 0)]


def _window_products(
    x: np.ndarray[Any, Any], w: np.ndarray[Any, Any], i: int, j: int, s: int
) -> tuple[list[str], list[int]]:
    """For output cell (i, j): one ``a·b + …`` string and one sum per channel."""
    k = w.shape[-1]
    terms: list[str] = []
    sums: list[int] = []
    for c in range(x.shape[0]):
        win = x[c, i * s : i * s + k, j * s : j * s + k]
        prods = [f"{fmt_factor(a)}·{fmt_factor(b)}" for a, b in zip(win.ravel(), w[c].ravel(), strict=True)]
        terms.append(" + ".join(prods))
        sums.append(int((win * w[c]).sum()))
    return terms, sums


@family(
    "conv2d_forward",
    topic="cnn.conv",
    title=Text("Convolution forward pass by hand", "手算卷积前向输出"),
    difficulty=2,
)
def draw_conv2d_forward(rng: np.random.Generator) -> Draft:
    """A small integer input and kernel (one output channel); the output matrix as Conv2d gives it."""
    multi = rng.integers(10) < 3
    n, k, s, p = pick(rng, _CONV_FORWARD_3D if multi else _CONV_FORWARD_2D)
    c = 2 if multi else 1
    x = rng.integers(-2, 4, size=(c, n, n))
    w = rng.integers(-1, 3, size=(c, k, k))
    b = int(rng.integers(-2, 3))
    out = ops.conv2d(
        x[None].astype(np.float64),
        w[None].astype(np.float64),
        bias=np.array([float(b)]),
        stride=s,
        padding=p,
    )[0, 0]
    answer = mat(out)
    o = len(answer)

    if multi:
        params_input: Any = x.tolist()
        params_kernel: Any = w.tolist()
        in_en = "\n".join(f"  channel {ci + 1}:\n{fmt_grid(x[ci])}" for ci in range(c))
        in_zh = "\n".join(f"  通道 {ci + 1}：\n{fmt_grid(x[ci])}" for ci in range(c))
        k_en = "\n".join(f"  channel {ci + 1}:\n{fmt_grid(w[ci])}" for ci in range(c))
        k_zh = "\n".join(f"  通道 {ci + 1}：\n{fmt_grid(w[ci])}" for ci in range(c))
        what_en = f"A {c}-channel {n}×{n} input (C×H×W) and one {c}×{k}×{k} kernel (one output channel)."
        what_zh = f"输入为 {c} 通道、{n}×{n}（C×H×W），卷积核为 {c}×{k}×{k}（只有 1 个输出通道）。"
    else:
        params_input = x[0].tolist()
        params_kernel = w[0].tolist()
        in_en = fmt_grid(x[0])
        in_zh = in_en
        k_en = fmt_grid(w[0])
        k_zh = k_en
        what_en = f"A single-channel {n}×{n} input and a {k}×{k} kernel."
        what_zh = f"单通道输入 {n}×{n}，卷积核 {k}×{k}。"
    pad_en = f"padding {p} (zeros)" if p else "no padding"
    pad_zh = f"填充 {p}（补零）" if p else "不填充"
    prompt = Text(
        f"{what_en}\nInput:\n{in_en}\nKernel:\n{k_en}\nBias b = {b}, stride {s}, {pad_en}.\n"
        "Compute the output feature map as PyTorch's nn.Conv2d does (cross-correlation: the kernel is "
        "not flipped). Answer as a matrix, e.g. `1 2; 3 4`.",
        f"{what_zh}\n输入：\n{in_zh}\n卷积核：\n{k_zh}\n偏置 b = {b}，步长 {s}，{pad_zh}。\n"
        "按 PyTorch 的 nn.Conv2d 计算输出特征图（互相关，卷积核不翻转）。用矩阵作答，例如 `1 2; 3 4`。",
    )

    xp = np.pad(x, ((0, 0), (p, p), (p, p)))
    size_text, _ = size_formula(n, k, p, s)
    en: list[str] = [f"1. Output size: ⌊(n + 2p − k)/s⌋ + 1 = {size_text}, so the output is {o}×{o}."]
    zh: list[str] = [f"1. 输出尺寸：⌊(n + 2p − k)/s⌋ + 1 = {size_text}，所以输出为 {o}×{o}。"]
    if p:
        for ci in range(c):
            label_en = f" (channel {ci + 1})" if multi else ""
            label_zh = f"（通道 {ci + 1}）" if multi else ""
            en.append(f"Input after zero padding p = {p}{label_en}:\n{fmt_grid(xp[ci])}")
            zh.append(f"补零填充 p = {p} 后的输入{label_zh}：\n{fmt_grid(xp[ci])}")
    en.append(
        "2. Each output = Σ (window ⊙ kernel) + b, the window moving by the stride "
        "(rows and columns counted from 1" + (", in the padded input)." if p else ").")
    )
    zh.append(
        "2. 每个输出 = Σ（窗口 ⊙ 卷积核）+ b，窗口按步长滑动（行列从 1 开始计"
        + ("，指补零后的输入）。" if p else "）。")
    )
    for i in range(o):
        for j in range(o):
            r0, c0 = i * s + 1, j * s + 1
            terms, sums = _window_products(xp, w, i, j, s)
            val = fmt_num(answer[i][j])
            rows = f"{r0}–{r0 + k - 1}"
            cols = f"{c0}–{c0 + k - 1}"
            if i == 0 and j == 0:
                en.append(f"Output (1, 1): window rows {rows}, columns {cols}:")
                zh.append(f"输出 (1, 1)：窗口为第 {rows} 行、第 {cols} 列：")
                for ci in range(c):
                    win = xp[ci, 0:k, 0:k]
                    lab_en = f"  channel {ci + 1}: " if multi else "  "
                    lab_zh = f"  通道 {ci + 1}：" if multi else "  "
                    en.append(f"{lab_en}window\n{fmt_grid(win)}\n    {terms[ci]} = {sums[ci]}")
                    zh.append(f"{lab_zh}窗口\n{fmt_grid(win)}\n    {terms[ci]} = {sums[ci]}")
                if multi:
                    total = " + ".join(fmt_factor(v) for v in sums)
                    en.append(f"  channels summed: {total} = {sum(sums)}; plus bias {b}: {val}")
                    zh.append(f"  各通道相加：{total} = {sum(sums)}；加偏置 {b}：{val}")
                else:
                    en.append(f"  plus bias {b}: {sums[0]} + {fmt_factor(b)} = {val}")
                    zh.append(f"  加偏置 {b}：{sums[0]} + {fmt_factor(b)} = {val}")
            else:
                total = " + ".join(fmt_factor(v) for v in sums)
                sum_txt = f"{total} = {sum(sums)}" if multi else f"{sums[0]}"
                en.append(
                    f"Output ({i + 1}, {j + 1}): rows {rows}, columns {cols}: Σ = {sum_txt}; + {fmt_factor(b)} = {val}"
                )
                zh.append(f"输出 ({i + 1}, {j + 1})：第 {rows} 行、第 {cols} 列：乘积之和 = {sum_txt}；加偏置得 {val}")
    en.append(f"3. Output:\n{fmt_grid(answer)}")
    zh.append(f"3. 输出：\n{fmt_grid(answer)}")
    return Draft(
        params={"input": params_input, "kernel": params_kernel, "bias": b, "stride": s, "padding": p},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.MATRIX,
        tolerance=Tolerance.exact(),
        solution=Text("\n".join(en), "\n".join(zh)),
    )


@family(
    "conv_params",
    topic="cnn.conv",
    title=Text("Parameters of a convolution layer", "卷积层参数量"),
    difficulty=1,
)
def draw_conv_params(rng: np.random.Generator) -> Draft:
    """(k·k·c_in + 1)·c_out with bias, k·k·c_in·c_out without: one bias per output channel."""
    c_in = pick(rng, [1, 2, 3, 3, 8, 16, 32, 64, 128, 256])
    c_out = pick(rng, [2, 3, 4, 6, 8, 16, 32, 64, 128, 256])
    if c_in >= 64 and c_out >= 64 and rng.integers(2):
        c_in, c_out = pick(rng, [2, 3, 4, 8]), pick(rng, [3, 4, 6, 8])  # keep most counts hand-sized
    k = pick(rng, [1, 3, 3, 3, 5, 7])
    bias = bool(rng.integers(4))
    weights = k * k * c_in * c_out
    answer = weights + (c_out if bias else 0)
    bias_en = "with bias" if bias else "bias=False"
    bias_zh = "带偏置" if bias else "不带偏置（bias=False）"
    prompt = Text(
        f"nn.Conv2d(in_channels={c_in}, out_channels={c_out}, kernel_size={k}, bias={bias}): "
        f"a {k}×{k} convolution from {c_in} to {c_out} channels, {bias_en}. How many parameters does it have?",
        f"nn.Conv2d(in_channels={c_in}, out_channels={c_out}, kernel_size={k}, bias={bias})："
        f"{k}×{k} 卷积，输入 {c_in} 通道、输出 {c_out} 通道，{bias_zh}。这一层的参数量是多少？",
    )
    if bias:
        en = (
            f"1. Each output channel has one {k}×{k}×{c_in} kernel ({k}·{k}·{c_in} = {fmt_int(k * k * c_in)} "
            f"weights) and ONE bias.\n2. (k·k·c_in + 1)·c_out = ({fmt_int(k * k * c_in)} + 1)·{c_out} = "
            f"{fmt_int(weights)} + {c_out} = {fmt_int(answer)}.\n"
            "Trap: the bias is per output channel, not per (input, output) channel pair."
        )
        zh = (
            f"1. 每个输出通道有一个 {k}×{k}×{c_in} 的卷积核（{k}·{k}·{c_in} = {fmt_int(k * k * c_in)} 个权重）"
            f"和 1 个偏置。\n2. (k·k·c_in + 1)·c_out = ({fmt_int(k * k * c_in)} + 1)·{c_out} = "
            f"{fmt_int(weights)} + {c_out} = {fmt_int(answer)}。\n"
            "易错点：偏置是每个输出通道一个，而不是每对（输入通道, 输出通道）一个。"
        )
    else:
        en = (
            f"1. Each output channel has one {k}×{k}×{c_in} kernel and, with bias=False, no bias.\n"
            f"2. Only the weights, k·k·c_in·c_out = {k}·{k}·{c_in}·{c_out} = {fmt_int(answer)}."
        )
        zh = (
            f"1. 每个输出通道有一个 {k}×{k}×{c_in} 的卷积核；bias=False，没有偏置。\n"
            f"2. 只有权重：k·k·c_in·c_out = {k}·{k}·{c_in}·{c_out} = {fmt_int(answer)}。"
        )
    return Draft(
        params={"c_in": c_in, "c_out": c_out, "k": k, "bias": bias},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=Text(en, zh),
    )


@family(
    "conv_macs",
    topic="cnn.conv",
    title=Text("Multiply-accumulates of a convolution layer", "卷积层的乘加运算量"),
    difficulty=2,
)
def draw_conv_macs(rng: np.random.Generator) -> Draft:
    """MACs = H′·W′·c_out·(k·k·c_in): one k·k·c_in dot product per output element."""
    n = pick(rng, [8, 14, 16, 28, 32, 56])
    c_in = pick(rng, [1, 3, 8, 16, 32, 64])
    c_out = pick(rng, [4, 8, 16, 32, 64])
    k = pick(rng, [1, 3, 3, 5])
    s = pick(rng, [1, 1, 2])
    p = pick(rng, [0, k // 2])
    h = conv_out(n, k, p, s)
    per_out = k * k * c_in
    outputs = h * h * c_out
    answer = outputs * per_out
    prompt = Text(
        f"nn.Conv2d({c_in}, {c_out}, kernel_size={k}, stride={s}, padding={p}) is applied to one "
        f"{c_in}×{n}×{n} input. How many multiply-accumulate operations (MACs) does it perform? "
        "(Ignore the bias additions; give the exact count.)",
        f"对一个 {c_in}×{n}×{n} 的输入做 nn.Conv2d({c_in}, {c_out}, kernel_size={k}, stride={s}, padding={p})。"
        "一共需要多少次乘加运算（MAC）？（不计偏置的加法，给出精确数值。）",
    )
    size_text, _ = size_formula(n, k, p, s)
    solution = Text(
        f"1. Output size: {size_text}, so the output is {c_out}×{h}×{h} = {fmt_int(outputs)} values.\n"
        f"2. Each output value is a dot product over a {k}×{k}×{c_in} window: {k}·{k}·{c_in} = "
        f"{fmt_int(per_out)} MACs.\n"
        f"3. MACs = H′·W′·c_out·k·k·c_in = {h}·{h}·{c_out}·{fmt_int(per_out)} = {fmt_int(answer)}.",
        f"1. 输出尺寸：{size_text}，输出为 {c_out}×{h}×{h}，共 {fmt_int(outputs)} 个值。\n"
        f"2. 每个输出值是一个 {k}×{k}×{c_in} 窗口上的点积：{k}·{k}·{c_in} = {fmt_int(per_out)} 次乘加。\n"
        f"3. 乘加运算量 = H′·W′·c_out·k·k·c_in = {h}·{h}·{c_out}·{fmt_int(per_out)} = {fmt_int(answer)}。",
    )
    return Draft(
        params={"n": n, "c_in": c_in, "c_out": c_out, "k": k, "s": s, "p": p},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


@family(
    "conv_output_shape",
    topic="cnn.conv",
    title=Text("Output shape of nn.Conv2d", "nn.Conv2d 的输出形状"),
    difficulty=2,
)
def draw_conv_output_shape(rng: np.random.Generator) -> Draft:
    """C×H×W after ``nn.Conv2d``: c_out channels, each side by the output-size formula."""
    while True:
        c_in = pick(rng, [1, 3, 3, 16, 32, 64])
        c_out = pick(rng, [6, 8, 16, 32, 64, 128])
        h = pick(rng, [28, 32, 48, 64, 96, 100, 224])
        w = pick(rng, [h, h, h, 28, 32, 40, 64, 128])
        k = pick(rng, [1, 3, 3, 5, 7])
        s = pick(rng, [1, 1, 2, 2, 3])
        p = pick(rng, [0, 0, 1, 2, 3])
        if p <= k // 2:  # realistic paddings: at most 'same'
            break
    ho, wo = conv_out(h, k, p, s), conv_out(w, k, p, s)
    answer = (c_out, ho, wo)
    batch = pick(rng, [1, 4, 8, 16])
    prompt = Text(
        f"x = torch.randn({batch}, {c_in}, {h}, {w})   # N, C, H, W\n"
        f"y = nn.Conv2d({c_in}, {c_out}, kernel_size={k}, stride={s}, padding={p})(x)\n"
        "What is the shape of y without the batch dimension (C×H×W)?",
        f"x = torch.randn({batch}, {c_in}, {h}, {w})   # N, C, H, W\n"
        f"y = nn.Conv2d({c_in}, {c_out}, kernel_size={k}, stride={s}, padding={p})(x)\n"
        "不算批次维度，y 的形状（C×H×W）是什么？",
    )
    h_text, _ = size_formula(h, k, p, s)
    w_text, _ = size_formula(w, k, p, s)
    solution = Text(
        f"1. Channels: out_channels = {c_out} (each output channel has its own {c_in}×{k}×{k} kernel).\n"
        f"2. Height: ⌊(H + 2p − k)/s⌋ + 1 = {h_text}.\n"
        f"3. Width: ⌊(W + 2p − k)/s⌋ + 1 = {w_text}.\n"
        f"4. y.shape = ({batch}, {c_out}, {ho}, {wo}); without the batch: {fmt_shape(answer)}.",
        f"1. 通道数：out_channels = {c_out}（每个输出通道有自己的 {c_in}×{k}×{k} 卷积核）。\n"
        f"2. 高：⌊(H + 2p − k)/s⌋ + 1 = {h_text}。\n"
        f"3. 宽：⌊(W + 2p − k)/s⌋ + 1 = {w_text}。\n"
        f"4. y.shape = ({batch}, {c_out}, {ho}, {wo})；去掉批次维度为 {fmt_shape(answer)}。",
    )
    return Draft(
        params={"batch": batch, "c_in": c_in, "h": h, "w": w, "c_out": c_out, "k": k, "s": s, "p": p},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.SHAPE,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


# ---------------------------------------------------------------------------------------------
# cnn.pool
# ---------------------------------------------------------------------------------------------

# (n, kernel_size, stride) with a 2×2 or 3×3 output and stride ≤ kernel (overlapping or tiling windows).
_POOL_CONFIGS = [
    (n, k, s) for n in (4, 5, 6) for k in (2, 3) for s in (1, 2, 3) if s <= k and 2 <= conv_out(n, k, 0, s) <= 3
]


def _draw_pool(rng: np.random.Generator, kind: str) -> Draft:
    n, k, s = pick(rng, _POOL_CONFIGS)
    x = rng.integers(0, 10, size=(n, n))
    xf = x[None, None].astype(np.float64)
    is_max = kind == "max"
    out = (ops.max_pool2d(xf, kernel_size=k, stride=s) if is_max else ops.avg_pool2d(xf, kernel_size=k, stride=s))[0, 0]
    answer = mat(out)
    o = len(answer)
    fn = "max_pool2d" if is_max else "avg_pool2d"
    name_en = "max pooling" if is_max else "average pooling"
    name_zh = "最大池化" if is_max else "平均池化"
    round_en = "" if is_max else " Give exact fractions or 2 decimal places."
    round_zh = "" if is_max else "可写分数或保留 2 位小数。"
    prompt = Text(
        f"Apply {name_en} (F.{fn}(x, kernel_size={k}, stride={s}), no padding) to this {n}×{n} input:\n"
        f"{fmt_grid(x)}\nWhat is the output? Answer as a matrix, e.g. `1 2; 3 4`.{round_en}",
        f"对下面 {n}×{n} 的输入做{name_zh}（F.{fn}(x, kernel_size={k}, stride={s})，不填充）：\n"
        f"{fmt_grid(x)}\n输出是什么？用矩阵作答，例如 `1 2; 3 4`。{round_zh}",
    )
    size_text, _ = size_formula(n, k, 0, s)
    overlap_en = " (windows overlap because stride < kernel size)" if s < k else ""
    overlap_zh = "（步长小于窗口大小，窗口有重叠）" if s < k else ""
    what_en, what_zh = ("the largest value", "最大值") if is_max else ("the mean", "平均值")
    en = [
        f"1. Output size: ⌊(n − k)/s⌋ + 1 = {size_text}, so {o}×{o}{overlap_en}.",
        f"2. Each output is {what_en} of its {k}×{k} window:",
    ]
    zh = [
        f"1. 输出尺寸：⌊(n − k)/s⌋ + 1 = {size_text}，即 {o}×{o}{overlap_zh}。",
        f"2. 每个输出取其 {k}×{k} 窗口的{what_zh}：",
    ]
    for i in range(o):
        for j in range(o):
            win = x[i * s : i * s + k, j * s : j * s + k]
            vals = [int(v) for v in win.ravel()]
            rows = f"{i * s + 1}–{i * s + k}"
            cols = f"{j * s + 1}–{j * s + k}"
            if is_max:
                calc = f"max({', '.join(map(str, vals))}) = {max(vals)}"
            else:
                calc = f"({' + '.join(map(str, vals))})/{k * k} = {fmt_fraction(sum(vals), k * k)}"
            en.append(f"   Output ({i + 1}, {j + 1}): rows {rows}, columns {cols}: {calc}")
            zh.append(f"   输出 ({i + 1}, {j + 1})：第 {rows} 行、第 {cols} 列：{calc}")
    en.append(f"3. Output:\n{fmt_grid(answer)}\nPooling has no parameters to learn.")
    zh.append(f"3. 输出：\n{fmt_grid(answer)}\n池化层没有可学习的参数。")
    return Draft(
        params={"input": x.tolist(), "kernel_size": k, "stride": s},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.MATRIX,
        tolerance=Tolerance.exact() if is_max else TWO_DECIMALS,
        solution=Text("\n".join(en), "\n".join(zh)),
    )


@family("max_pool2d", topic="cnn.pool", title=Text("Max pooling by hand", "手算最大池化"), difficulty=1)
def draw_max_pool2d(rng: np.random.Generator) -> Draft:
    """Max pooling of a small integer matrix (no padding)."""
    return _draw_pool(rng, "max")


@family("avg_pool2d", topic="cnn.pool", title=Text("Average pooling by hand", "手算平均池化"), difficulty=1)
def draw_avg_pool2d(rng: np.random.Generator) -> Draft:
    """Average pooling of a small integer matrix (no padding)."""
    return _draw_pool(rng, "avg")


@family(
    "pool_output_size",
    topic="cnn.pool",
    title=Text("Output size of a pooling layer", "池化层输出尺寸"),
    difficulty=1,
)
def draw_pool_output_size(rng: np.random.Generator) -> Draft:
    """⌊(n + 2p − k)/s⌋ + 1, where ``nn.MaxPool2d``'s stride defaults to the kernel size."""
    n = pick(rng, [7, 13, 14, 15, 27, 28, 32, 55, 56, 64, 112, 224])
    k = pick(rng, [2, 2, 3, 3])
    stride: int | None = pick(rng, [None, None, 1, 2, 2, 3])
    p = 1 if rng.integers(5) == 0 else 0  # torch requires padding ≤ kernel_size / 2: 1 is always fine
    s = k if stride is None else stride
    out = conv_out(n, k, p, s)
    args = f"kernel_size={k}" + (f", stride={stride}" if stride is not None else "") + (f", padding={p}" if p else "")
    prompt = Text(
        f"nn.MaxPool2d({args}) is applied to a 64×{n}×{n} feature map. What is the output height (= width)?",
        f"对 64×{n}×{n} 的特征图做 nn.MaxPool2d({args})。输出的高（= 宽）是多少？",
    )
    size_text, _ = size_formula(n, k, p, s)
    if stride is None:
        stride_en = f"1. stride is not given, so it defaults to kernel_size: s = {k}.\n"
        stride_zh = f"1. 没有指定 stride，默认等于 kernel_size：s = {k}。\n"
    else:
        stride_en, stride_zh = f"1. stride is given: s = {s}.\n", f"1. 指定了 stride：s = {s}。\n"
    solution = Text(
        f"{stride_en}2. Output size = ⌊(n + 2p − k)/s⌋ + 1 = {size_text}.\n"
        f"3. Pooling keeps the 64 channels: the output is 64×{out}×{out}; answer {out}.",
        f"{stride_zh}2. 输出尺寸 = ⌊(n + 2p − k)/s⌋ + 1 = {size_text}。\n"
        f"3. 池化不改变通道数：输出为 64×{out}×{out}，答案 {out}。",
    )
    return Draft(
        params={"n": n, "kernel_size": k, "stride": stride, "padding": p},
        prompt=prompt,
        answer=out,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


@family(
    "global_avg_pool",
    topic="cnn.pool",
    title=Text("Global average pooling", "全局平均池化"),
    difficulty=1,
)
def draw_global_avg_pool(rng: np.random.Generator) -> Draft:
    """One mean per channel (``nn.AdaptiveAvgPool2d(1)``)."""
    c = pick(rng, [2, 3])
    n = pick(rng, [2, 2, 3])
    x = rng.integers(0, 10, size=(c, n, n))
    out = ops.adaptive_avg_pool2d(x[None].astype(np.float64), 1)[0, :, 0, 0]
    answer = [float(v) for v in out]
    grids_en = "\n".join(f"  channel {ci + 1}:\n{fmt_grid(x[ci])}" for ci in range(c))
    grids_zh = "\n".join(f"  通道 {ci + 1}：\n{fmt_grid(x[ci])}" for ci in range(c))
    prompt = Text(
        f"Global average pooling (nn.AdaptiveAvgPool2d(1)) is applied to this {c}×{n}×{n} feature map:\n"
        f"{grids_en}\nGive the output values, one per channel, as a vector (exact fractions or 2 decimal "
        "places).",
        f"对下面 {c}×{n}×{n} 的特征图做全局平均池化（nn.AdaptiveAvgPool2d(1)）：\n{grids_zh}\n"
        "按通道给出输出值，写成向量（可写分数或保留 2 位小数）。",
    )
    en = ["1. Global average pooling averages each channel over all H×W positions:"]
    zh = ["1. 全局平均池化对每个通道在全部 H×W 个位置上求平均："]
    for ci in range(c):
        vals = [int(v) for v in x[ci].ravel()]
        calc = f"({' + '.join(map(str, vals))})/{n * n} = {fmt_fraction(sum(vals), n * n)}"
        en.append(f"  channel {ci + 1}: {calc}")
        zh.append(f"  通道 {ci + 1}：{calc}")
    vec = "[" + ", ".join(fmt_num(v) for v in answer) + "]"
    en.append(f"2. Output {c}×1×1 = {vec}. GAP has no parameters; NiN and GoogLeNet use it instead of big FC layers.")
    zh.append(f"2. 输出为 {c}×1×1 = {vec}。全局平均池化没有参数，NiN 和 GoogLeNet 用它替代庞大的全连接层。")
    return Draft(
        params={"input": x.tolist()},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.VECTOR,
        tolerance=TWO_DECIMALS,
        solution=Text("\n".join(en), "\n".join(zh)),
    )


# ---------------------------------------------------------------------------------------------
# cnn.receptive_field
# ---------------------------------------------------------------------------------------------


def receptive_field_steps(layers: Sequence[dict[str, int]]) -> tuple[int, list[tuple[int, int, str]]]:
    """The receptive field of the last layer and, per layer, (r, j, the recurrence with numbers).

    r ← r + (k − 1)·j grows the field by k − 1 units of the current jump j (the distance, in input
    pixels, between neighbouring units of the layer), then j ← j·s.
    """
    r, j = 1, 1
    steps: list[tuple[int, int, str]] = []
    for layer in layers:
        k, s = layer["k"], layer["s"]
        r_new = r + (k - 1) * j
        j_new = j * s
        steps.append((r_new, j_new, f"r = {r} + ({k}−1)·{j} = {r_new}, j = {j}·{s} = {j_new}"))
        r, j = r_new, j_new
    return r, steps


@family(
    "receptive_field",
    topic="cnn.receptive_field",
    title=Text("Receptive field of stacked layers", "多层堆叠的感受野"),
    difficulty=3,
)
def draw_receptive_field(rng: np.random.Generator) -> Draft:
    """Receptive field of the last of 2–5 conv/pool layers (no dilation), via r ← r + (k−1)·j."""
    count = int(rng.integers(2, 6))
    layers: list[dict[str, int]] = []
    for _ in range(count):
        if rng.integers(4) == 0:
            layers.append({"k": 2, "s": 2})  # a 2×2/2 pool
        else:
            layers.append({"k": pick(rng, [1, 3, 3, 3, 5, 7]), "s": pick(rng, [1, 1, 1, 2])})
    r, steps = receptive_field_steps(layers)
    listing = "\n".join(f"  {i + 1}. k = {layer['k']}, s = {layer['s']}" for i, layer in enumerate(layers))
    prompt = Text(
        f"A stack of {count} layers (convolutions or pooling, no dilation), from input to output, with "
        f"kernel size k and stride s:\n{listing}\nWhat is the receptive field of one unit of the last "
        "layer (its side length in input pixels)?",
        f"从输入到输出依次堆叠 {count} 层（卷积或池化，无空洞），卷积核大小 k、步长 s 如下：\n{listing}\n"
        "最后一层一个单元的感受野是多少（在输入上的边长，单位为像素）？",
    )
    en = [
        "1. Start with r = 1 (one input pixel) and jump j = 1 (the spacing, in input pixels, of "
        "neighbouring units). For each layer: r ← r + (k − 1)·j, then j ← j·s."
    ]
    zh = [
        "1. 从 r = 1（一个输入像素）、j = 1（相邻单元在输入上的间距，即累计步长）开始。"
        "逐层计算：r ← r + (k − 1)·j，然后 j ← j·s。"
    ]
    for i, (_, _, text) in enumerate(steps):
        en.append(f"   layer {i + 1}: {text}")
        zh.append(f"   第 {i + 1} 层：{text}")
    en.append(f"2. Receptive field: {r}×{r}, answer {r}.")
    zh.append(f"2. 感受野为 {r}×{r}，答案 {r}。")
    return Draft(
        params={"layers": layers},
        prompt=prompt,
        answer=r,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=Text("\n".join(en), "\n".join(zh)),
    )


_STACK_ASKS = ("receptive_field", "stack_weights", "big_weights")


@family(
    "stacked_3x3_vs_big",
    topic="cnn.receptive_field",
    title=Text("Stacked 3×3 convolutions vs one big kernel", "多个 3×3 卷积堆叠与大卷积核对比"),
    difficulty=2,
)
def draw_stacked_3x3_vs_big(rng: np.random.Generator) -> Draft:
    """n stacked 3×3 convs see (2n+1)×(2n+1) with n·9C² weights; one big conv needs (2n+1)²C²."""
    n = pick(rng, [2, 3, 4])
    c = pick(rng, [16, 32, 64, 128, 256])
    ask = pick(rng, _STACK_ASKS)
    rf = 2 * n + 1
    stack = n * 9 * c * c
    big = rf * rf * c * c
    answer = {"receptive_field": rf, "stack_weights": stack, "big_weights": big}[ask]
    q_en = {
        "receptive_field": "What is the receptive field of the last layer (side length)?",
        "stack_weights": f"How many weights do the {n} layers have in total?",
        "big_weights": "How many weights would a single convolution with the same receptive field "
        "(C → C channels) have?",
    }[ask]
    q_zh = {
        "receptive_field": "最后一层的感受野（边长）是多少？",
        "stack_weights": f"这 {n} 层一共有多少个权重？",
        "big_weights": "如果换成一个感受野相同的单层卷积（C → C 通道），它有多少个权重？",
    }[ask]
    prompt = Text(
        f"n = {n} 3×3 convolutions (stride 1, padding 1) are stacked, each mapping C = {c} channels to "
        f"C = {c} channels. Ignore biases. {q_en}",
        f"堆叠 {n} 个 3×3 卷积（步长 1，填充 1），每层都是 C = {c} 通道到 C = {c} 通道，忽略偏置。{q_zh}",
    )
    rf_steps = " → ".join(str(1 + 2 * i) for i in range(n + 1))
    solution = Text(
        f"1. Each 3×3 layer (stride 1) adds 3 − 1 = 2 to the receptive field: {rf_steps}, so {n} layers see "
        f"{rf}×{rf} = (2n + 1)×(2n + 1).\n"
        f"2. Stack: {n} layers × 3·3·C·C = {n}·9·{c}² = {n * 9}·{fmt_int(c * c)} = {fmt_int(stack)} weights.\n"
        f"3. One {rf}×{rf} conv: {rf}·{rf}·C·C = {rf * rf}·{fmt_int(c * c)} = {fmt_int(big)} weights.\n"
        f"4. The stack needs {n * 9}/{rf * rf} = {n * 9 / (rf * rf):.0%} of the weights, and adds {n - 1} more "
        f"{'non-linearity' if n == 2 else 'non-linearities'} (the VGG argument).\n"
        f"Answer: {fmt_int(answer)}.",
        f"1. 每个 3×3（步长 1）卷积让感受野增加 3 − 1 = 2：{rf_steps}，所以 {n} 层的感受野是 "
        f"{rf}×{rf} = (2n + 1)×(2n + 1)。\n"
        f"2. 堆叠：{n} 层 × 3·3·C·C = {n}·9·{c}² = {n * 9}·{fmt_int(c * c)} = {fmt_int(stack)} 个权重。\n"
        f"3. 单个 {rf}×{rf} 卷积：{rf}·{rf}·C·C = {rf * rf}·{fmt_int(c * c)} = {fmt_int(big)} 个权重。\n"
        f"4. 堆叠只需要 {n * 9}/{rf * rf} = {n * 9 / (rf * rf):.0%} 的权重，还多了 {n - 1} 个非线性激活"
        "（这就是 VGG 的论点）。\n"
        f"答案：{fmt_int(answer)}。",
    )
    return Draft(
        params={"n": n, "c": c, "ask": ask},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


# ---------------------------------------------------------------------------------------------
# cnn.1x1
# ---------------------------------------------------------------------------------------------


@family(
    "bottleneck_1x1_savings",
    topic="cnn.1x1",
    title=Text("Compute saved by a 1×1 bottleneck", "1×1 卷积降维节省的计算量"),
    difficulty=3,
)
def draw_bottleneck_1x1_savings(rng: np.random.Generator) -> Draft:
    """MACs of a k×k 'same' conv with and without a 1×1 reduction to c_mid channels first."""
    while True:
        k = pick(rng, [3, 5])
        h = pick(rng, [14, 28, 28, 56])
        c_in = pick(rng, [128, 192, 256, 480, 512])
        c_mid = pick(rng, [16, 32, 48, 64, 96])
        c_out = pick(rng, [32, 48, 64, 128])
        hw = h * h
        direct = hw * c_out * k * k * c_in
        reduce = hw * c_mid * c_in
        main = hw * c_out * k * k * c_mid
        bottleneck = reduce + main
        # A bottleneck that saves less than half is not how Inception is configured: draw again.
        if 2 * bottleneck <= direct:
            break
    ask = pick(rng, ["direct", "bottleneck"])
    exact = direct if ask == "direct" else bottleneck
    q_en = (
        f"How many MACs does the {k}×{k} convolution take applied directly?"
        if ask == "direct"
        else f"How many MACs in total if a 1×1 convolution first reduces the input to {c_mid} channels?"
    )
    q_zh = (
        f"直接做这个 {k}×{k} 卷积需要多少次乘加运算？"
        if ask == "direct"
        else f"如果先用 1×1 卷积把通道数降到 {c_mid}，再做 {k}×{k} 卷积，总共需要多少次乘加运算？"
    )
    prompt = Text(
        f"An Inception-style branch: the input is {h}×{h}×{c_in} and a {k}×{k} convolution (stride 1, 'same' "
        f"padding) produces {c_out} channels. Count multiply-accumulates (MACs) only, ignoring biases. "
        f"{q_en} Answer in millions (M = 10⁶), to 1 decimal place.",
        f"Inception 式分支：输入为 {h}×{h}×{c_in}，用 {k}×{k} 卷积（步长 1，same 填充）输出 {c_out} 个通道。"
        f"只计乘加运算（MAC），忽略偏置。{q_zh}以百万（M = 10⁶）为单位，保留 1 位小数。",
    )
    ratio = direct / bottleneck
    # Step 2 is the count the question asks for (the step a named mistake breaks), step 3 the other one.
    direct_en = f"Direct {k}×{k}: {h}·{h}·{c_out}·{k}·{k}·{c_in} = {fmt_int(direct)} ≈ {millions(direct):.1f} M."
    direct_zh = f"直接做 {k}×{k}：{h}·{h}·{c_out}·{k}·{k}·{c_in} = {fmt_int(direct)} ≈ {millions(direct):.1f} M。"
    bottleneck_en = (
        f"With the bottleneck:\n"
        f"  1×1 reduction: {h}·{h}·{c_mid}·1·1·{c_in} = {fmt_int(reduce)}\n"
        f"  {k}×{k} on {c_mid} channels: {h}·{h}·{c_out}·{k}·{k}·{c_mid} = {fmt_int(main)}\n"
        f"  total {fmt_int(bottleneck)} ≈ {millions(bottleneck):.1f} M."
    )
    bottleneck_zh = (
        f"加 1×1 降维：\n"
        f"  1×1 降维：{h}·{h}·{c_mid}·1·1·{c_in} = {fmt_int(reduce)}\n"
        f"  在 {c_mid} 个通道上做 {k}×{k}：{h}·{h}·{c_out}·{k}·{k}·{c_mid} = {fmt_int(main)}\n"
        f"  合计 {fmt_int(bottleneck)} ≈ {millions(bottleneck):.1f} M。"
    )
    asked_en, other_en = (direct_en, bottleneck_en) if ask == "direct" else (bottleneck_en, direct_en)
    asked_zh, other_zh = (direct_zh, bottleneck_zh) if ask == "direct" else (bottleneck_zh, direct_zh)
    solution = Text(
        f"1. A conv's MACs = H·W (output positions) · c_out · k·k·c_in (one dot product each).\n"
        f"2. {asked_en}\n3. {other_en}\n"
        f"4. The bottleneck is about {ratio:.1f}× cheaper. Answer: {millions(exact):.1f}.",
        f"1. 卷积的乘加运算量 = H·W（输出位置数）· c_out · k·k·c_in（每个位置一次点积）。\n"
        f"2. {asked_zh}\n3. {other_zh}\n"
        f"4. 降维后计算量约为原来的 1/{ratio:.1f}。答案：{millions(exact):.1f}。",
    )
    return Draft(
        params={"h": h, "w": h, "c_in": c_in, "c_mid": c_mid, "c_out": c_out, "k": k, "ask": ask},
        prompt=prompt,
        answer=millions(exact),
        answer_kind=AnswerKind.NUMBER,
        tolerance=MILLIONS_1DP,
        solution=solution,
    )


@family(
    "conv1x1_params",
    topic="cnn.1x1",
    title=Text("Parameters of a 1×1 convolution", "1×1 卷积的参数量"),
    difficulty=1,
)
def draw_conv1x1_params(rng: np.random.Generator) -> Draft:
    """c_in·c_out (+ c_out biases); the spatial size is a distractor."""
    h = pick(rng, [7, 14, 28, 56])
    c_in = pick(rng, [64, 128, 192, 256, 512, 1024])
    c_out = pick(rng, [16, 32, 64, 96, 128, 256])
    bias = bool(rng.integers(3))
    answer = c_in * c_out + (c_out if bias else 0)
    bias_en = "with bias" if bias else "without bias"
    bias_zh = "带偏置" if bias else "不带偏置"
    prompt = Text(
        f"A 1×1 convolution ({bias_en}) maps a {h}×{h}×{c_in} feature map to {c_out} channels. "
        "How many parameters does it have?",
        f"用 1×1 卷积（{bias_zh}）把 {h}×{h}×{c_in} 的特征图变成 {c_out} 个通道。这一层的参数量是多少？",
    )
    # without biases the weight count is already the answer: say so once, not "2,048 = 2,048"
    tail_en = f" + {c_out} biases = {fmt_int(answer)}" if bias else " (no biases)"
    tail_zh = f" + {c_out} 个偏置 = {fmt_int(answer)}" if bias else "（无偏置）"
    solution = Text(
        f"1. A 1×1 conv is a fully connected layer across channels applied at every pixel, so the {h}×{h} "
        f"size does not matter; each of the {c_out} output channels has 1·1·{c_in} weights ({bias_en}).\n"
        f"2. {c_in}·{c_out} = {fmt_int(c_in * c_out)}{tail_en}.",
        f"1. 1×1 卷积相当于在每个像素上做一次跨通道的全连接，参数量与 {h}×{h} 的空间尺寸无关；"
        f"{c_out} 个输出通道各有 1·1·{c_in} 个权重（{bias_zh}）。\n"
        f"2. {c_in}·{c_out} = {fmt_int(c_in * c_out)}{tail_zh}。",
    )
    return Draft(
        params={"h": h, "w": h, "c_in": c_in, "c_out": c_out, "bias": bias},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


# ---------------------------------------------------------------------------------------------
# cnn.why
# ---------------------------------------------------------------------------------------------


@family(
    "fc_on_image_params",
    topic="cnn.why",
    title=Text("A fully connected layer on an image", "图像上全连接层的参数量"),
    difficulty=1,
)
def draw_fc_on_image_params(rng: np.random.Generator) -> Draft:
    """H·W·C weights per neuron; times the number of units for a layer (weights only)."""
    h, c = pick(rng, [(28, 1), (32, 3), (32, 3), (64, 3), (96, 3), (224, 3)])
    ask = pick(rng, ["neuron", "layer"])
    units = 1 if ask == "neuron" else pick(rng, [100, 512, 1000, 1024, 4096])
    inputs = h * h * c
    answer = inputs * units
    if ask == "neuron":
        q_en = "How many weights does ONE neuron of a fully connected layer need on this input?"
        q_zh = "全连接层的一个神经元需要多少个权重？"
    else:
        q_en = f"How many weights does a fully connected layer of {fmt_int(units)} units need on this input?"
        q_zh = f"一个有 {fmt_int(units)} 个神经元的全连接层需要多少个权重？"
    prompt = Text(
        f"The input is a {h}×{h}×{c} image, flattened. {q_en} (Weights only, no biases; exact count.)",
        f"输入是一张 {h}×{h}×{c} 的图像（展平）。{q_zh}（只算权重、不算偏置，给出精确数值。）",
    )
    layer_en = (
        f"\n   {fmt_int(units)} units: {fmt_int(inputs)}·{fmt_int(units)} = {fmt_int(answer)} "
        f"(≈ {millions(answer):.1f} M)."
        if ask == "layer"
        else ""
    )
    layer_zh = (
        f"\n   {fmt_int(units)} 个神经元：{fmt_int(inputs)}·{fmt_int(units)} = {fmt_int(answer)}"
        f"（≈ {millions(answer):.1f} M）。"
        if ask == "layer"
        else ""
    )
    solution = Text(
        f"1. Each neuron connects to every input value: {h}·{h}·{c} = {fmt_int(inputs)} weights.{layer_en}\n"
        "2. This is why images use convolutions: local connectivity and weight sharing need only k·k·C "
        "weights per filter, whatever the image size.",
        f"1. 每个神经元都连接到每个输入值：{h}·{h}·{c} = {fmt_int(inputs)} 个权重。{layer_zh}\n"
        "2. 所以图像要用卷积：局部连接加权值共享，每个卷积核只需要 k·k·C 个权重，与图像大小无关。",
    )
    return Draft(
        params={"h": h, "w": h, "c": c, "units": units, "ask": ask},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


# ---------------------------------------------------------------------------------------------
# Named mistakes and PyTorch snippets
# ---------------------------------------------------------------------------------------------


@mistake(
    "conv_output_size",
    "no-plus-one",
    step=1,
    text=Text(
        "You left out the final +1: the first window position counts as an output too.",
        "你漏掉了最后的 +1：第一个窗口位置本身也是一个输出。",
    ),
)
def _conv_size_no_plus_one(q: Params) -> Answer:
    return conv_out(q["n"], q["f"], q["p"], q["s"], q["d"]) - 1


@mistake(
    "conv_output_size",
    "valid-formula",
    step=1,
    text=Text(
        "You used n − f + 1, ignoring the padding and stride (and dilation) of this layer.",
        "你用了 n − f + 1，忽略了这一层的填充和步长（以及空洞率）。",
    ),
    applies=lambda q: q["p"] > 0 or q["s"] > 1 or q["d"] > 1,
)
def _conv_size_valid(q: Params) -> Answer:
    return int(q["n"] - q["f"] + 1)


@mistake(
    "conv_output_size",
    "no-padding",
    step=1,
    text=Text(
        "You left out the padding: it adds p pixels on both sides, n + 2p.",
        "你漏掉了填充：两侧各补 p 个像素，即 n + 2p。",
    ),
    applies=lambda q: q["p"] > 0,
)
def _conv_size_no_padding(q: Params) -> Answer:
    return conv_out(q["n"], q["f"], 0, q["s"], q["d"])


@mistake(
    "conv_output_size",
    "ceil",
    step=1,
    text=Text(
        "You rounded the division up; PyTorch floors it, dropping the last partial window.",
        "你把除法向上取整了；PyTorch 向下取整，舍去最后不完整的窗口。",
    ),
    applies=lambda q: (q["n"] + 2 * q["p"] - q["d"] * (q["f"] - 1) - 1) % q["s"] != 0,
)
def _conv_size_ceil(q: Params) -> Answer:
    num = q["n"] + 2 * q["p"] - q["d"] * (q["f"] - 1) - 1
    return int(-(-num // q["s"]) + 1)


@mistake(
    "conv_output_size",
    "forgot-dilation",
    step=1,
    text=Text(
        "You ignored the dilation: a dilated kernel spans d·(f − 1) + 1 pixels, not f.",
        "你忽略了空洞率：空洞卷积核覆盖 d·(f − 1) + 1 个像素，而不是 f 个。",
    ),
    applies=lambda q: q["d"] > 1,
)
def _conv_size_no_dilation(q: Params) -> Answer:
    return conv_out(q["n"], q["f"], q["p"], q["s"])


@torch_snippet("conv_output_size")
def _conv_size_torch(q: Params) -> str:
    return (
        "import torch\nfrom torch import nn\n\n"
        f"conv = nn.Conv2d(1, 1, kernel_size={q['f']}, stride={q['s']}, padding={q['p']}, dilation={q['d']})\n"
        f"y = conv(torch.zeros(1, 1, {q['n']}, {q['n']}))\n"
        "print(y.shape[-1])\n"
    )


def _conv_forward_value(q: Params, *, flip: bool = False) -> Answer:
    x = np.asarray(q["input"], dtype=np.float64)
    w = np.asarray(q["kernel"], dtype=np.float64)
    if x.ndim == 2:
        x, w = x[None], w[None]
    if flip:
        w = w[:, ::-1, ::-1]
    p, st = q["padding"], q["stride"]
    xp = np.pad(x, ((0, 0), (p, p), (p, p)))
    # every k×k window (all channels) at the stride, times the kernel: cross-correlation, as Conv2d
    windows = np.lib.stride_tricks.sliding_window_view(xp, w.shape)[0, ::st, ::st]
    return mat(np.einsum("ijckl,ckl->ij", windows, w) + float(q["bias"]))


@mistake(
    "conv2d_forward",
    "flipped-kernel",
    step=2,
    text=Text(
        "You flipped the kernel (textbook convolution); nn.Conv2d computes cross-correlation and does not flip it.",
        "你把卷积核翻转了（教科书上的卷积）；nn.Conv2d 计算的是互相关，不翻转卷积核。",
    ),
)
def _conv_forward_flipped(q: Params) -> Answer:
    return _conv_forward_value(q, flip=True)


@mistake(
    "conv2d_forward",
    "transposed-kernel",
    step=2,
    text=Text(
        "You laid the kernel on the window transposed (its rows along the window's columns).",
        "你把卷积核转置后放到了窗口上（卷积核的行对应了窗口的列）。",
    ),
)
def _conv_forward_transposed(q: Params) -> Answer:
    k = np.asarray(q["kernel"])
    return _conv_forward_value({**q, "kernel": np.swapaxes(k, -1, -2).tolist()})


@torch_snippet("conv2d_forward")
def _conv_forward_torch(q: Params) -> str:
    x = np.asarray(q["input"])
    x3 = x.tolist() if x.ndim == 3 else [x.tolist()]
    w3 = np.asarray(q["kernel"]).tolist() if x.ndim == 3 else [q["kernel"]]
    return (
        "import torch\nimport torch.nn.functional as F\n\n"
        f"x = torch.tensor([{x3}], dtype=torch.float64)  # (N, C, H, W)\n"
        f"w = torch.tensor([{w3}], dtype=torch.float64)  # (C_out, C_in, k, k)\n"
        f"b = torch.tensor([{float(q['bias'])}], dtype=torch.float64)\n"
        f"y = F.conv2d(x, w, b, stride={q['stride']}, padding={q['padding']})\n"
        "print(y[0, 0].tolist())\n"
    )


@mistake(
    "conv_params",
    "bias-per-channel-pair",
    step=1,
    text=Text(
        "You gave every (input, output) channel pair its own bias; Conv2d has one bias per output channel.",
        "你给每一对（输入，输出）通道都配了一个偏置；Conv2d 每个输出通道只有一个偏置。",
    ),
)
def _conv_params_bias_pairs(q: Params) -> Answer:
    return int(q["k"] ** 2 * q["c_in"] * q["c_out"] + q["c_in"] * q["c_out"])


@mistake(
    "conv_params",
    "bias-setting",
    step=1,
    text=Text(
        "You got the bias wrong: with bias=True Conv2d adds c_out biases, with bias=False none.",
        "偏置算错了：bias=True 时 Conv2d 有 c_out 个偏置，bias=False 时没有偏置。",
    ),
)
def _conv_params_bias_setting(q: Params) -> Answer:
    weights = q["k"] ** 2 * q["c_in"] * q["c_out"]
    return int(weights + (0 if q["bias"] else q["c_out"]))


@mistake(
    "conv_params",
    "forgot-c-in",
    step=1,
    text=Text(
        "You forgot C_in: each filter spans all input channels, k·k·C_in weights.",
        "你漏乘了 C_in：每个卷积核覆盖全部输入通道，有 k·k·C_in 个权重。",
    ),
)
def _conv_params_no_c_in(q: Params) -> Answer:
    return int(q["k"] ** 2 * q["c_out"] + (q["c_out"] if q["bias"] else 0))


@torch_snippet("conv_params")
def _conv_params_torch(q: Params) -> str:
    return (
        "from torch import nn\n\n"
        f"conv = nn.Conv2d({q['c_in']}, {q['c_out']}, kernel_size={q['k']}, bias={q['bias']})\n"
        "print(sum(p.numel() for p in conv.parameters()))\n"
    )


@mistake(
    "conv_macs",
    "counted-flops",
    step=2,
    text=Text(
        "You counted a multiply and an add separately (FLOPs); a MAC is one multiply-accumulate.",
        "你把乘法和加法分开计数（FLOPs）；一次乘加（MAC）只算一次。",
    ),
)
def _conv_macs_flops(q: Params) -> Answer:
    h = conv_out(q["n"], q["k"], q["p"], q["s"])
    return int(2 * h * h * q["c_out"] * q["k"] ** 2 * q["c_in"])


@mistake(
    "conv_macs",
    "forgot-c-in",
    step=2,
    text=Text(
        "You forgot C_in: each output value is a dot product over k·k·C_in inputs.",
        "你漏乘了 C_in：每个输出值是对 k·k·C_in 个输入的点积。",
    ),
    applies=lambda q: q["c_in"] > 1,
)
def _conv_macs_no_c_in(q: Params) -> Answer:
    h = conv_out(q["n"], q["k"], q["p"], q["s"])
    return int(h * h * q["c_out"] * q["k"] ** 2)


@torch_snippet("conv_macs")
def _conv_macs_torch(q: Params) -> str:
    return (
        "import torch\nfrom torch import nn\n\n"
        f"conv = nn.Conv2d({q['c_in']}, {q['c_out']}, {q['k']}, stride={q['s']}, padding={q['p']})\n"
        f"y = conv(torch.zeros(1, {q['c_in']}, {q['n']}, {q['n']}))\n"
        "# one multiply-accumulate per output value and weight of its filter\n"
        "print(y.numel() * conv.weight[0].numel())\n"
    )


@mistake(
    "conv_output_shape",
    "channels-in",
    step=1,
    text=Text(
        "You kept the input's channel count; the output has out_channels channels.",
        "你保留了输入的通道数；输出通道数是 out_channels。",
    ),
)
def _conv_shape_c_in(q: Params) -> Answer:
    return (q["c_in"], conv_out(q["h"], q["k"], q["p"], q["s"]), conv_out(q["w"], q["k"], q["p"], q["s"]))


@mistake(
    "conv_output_shape",
    "no-plus-one",
    step=2,
    text=Text(
        "You left out the +1 of ⌊(H + 2p − k)/s⌋ + 1.",
        "你漏掉了 ⌊(H + 2p − k)/s⌋ + 1 中的 +1。",
    ),
)
def _conv_shape_no_plus_one(q: Params) -> Answer:
    return (q["c_out"], conv_out(q["h"], q["k"], q["p"], q["s"]) - 1, conv_out(q["w"], q["k"], q["p"], q["s"]) - 1)


@torch_snippet("conv_output_shape")
def _conv_shape_torch(q: Params) -> str:
    return (
        "import torch\nfrom torch import nn\n\n"
        f"conv = nn.Conv2d({q['c_in']}, {q['c_out']}, {q['k']}, stride={q['s']}, padding={q['p']})\n"
        f"y = conv(torch.zeros({q['batch']}, {q['c_in']}, {q['h']}, {q['w']}))\n"
        "print(list(y.shape[1:]))  # without the batch\n"
    )


_STRIDE_ONE = Text(
    "You slid the window one step at a time; it moves by the stride.",
    "你每次只把窗口移动 1 格；窗口应按步长移动。",
)


def _pool_value(q: Params, kind: str, stride: int | None = None) -> Answer:
    x = np.asarray(q["input"], dtype=np.float64)[None, None]
    k, s = q["kernel_size"], q["stride"] if stride is None else stride
    out = ops.max_pool2d(x, kernel_size=k, stride=s) if kind == "max" else ops.avg_pool2d(x, kernel_size=k, stride=s)
    return mat(out[0, 0])


@mistake(
    "max_pool2d",
    "stride-one",
    step=1,
    text=_STRIDE_ONE,
)
def _max_pool_stride_one(q: Params) -> Answer:
    return _pool_value(q, "max", stride=1 if q["stride"] > 1 else q["kernel_size"])


@mistake(
    "max_pool2d",
    "averaged",
    step=2,
    text=Text(
        "You averaged each window; max pooling keeps its largest value.", "你对窗口取了平均；最大池化取窗口中的最大值。"
    ),
)
def _max_pool_averaged(q: Params) -> Answer:
    return _pool_value(q, "avg")


@mistake(
    "avg_pool2d",
    "stride-one",
    step=1,
    text=_STRIDE_ONE,
)
def _avg_pool_stride_one(q: Params) -> Answer:
    return _pool_value(q, "avg", stride=1 if q["stride"] > 1 else q["kernel_size"])


@mistake(
    "avg_pool2d",
    "took-max",
    step=2,
    text=Text(
        "You took each window's maximum; average pooling takes its mean.",
        "你取了窗口的最大值；平均池化取窗口的平均值。",
    ),
)
def _avg_pool_max(q: Params) -> Answer:
    return _pool_value(q, "max")


def _pool_snippet(fn: str) -> TorchSnippetFn:
    def snippet(q: Params) -> str:
        return (
            "import torch\nimport torch.nn.functional as F\n\n"
            f"x = torch.tensor([[{q['input']}]], dtype=torch.float64)\n"
            f"y = F.{fn}(x, kernel_size={q['kernel_size']}, stride={q['stride']})\n"
            "print(y[0, 0].tolist())\n"
        )

    return snippet


torch_snippet("max_pool2d")(_pool_snippet("max_pool2d"))
torch_snippet("avg_pool2d")(_pool_snippet("avg_pool2d"))


def _pool_stride(q: Params) -> int:
    return int(q["kernel_size"] if q["stride"] is None else q["stride"])


@mistake(
    "pool_output_size",
    "stride-one",
    step=1,
    text=Text(
        "You used stride 1; a pool's stride defaults to its kernel_size when not given.",
        "你按步长 1 计算了；池化层不指定步长时，步长默认等于 kernel_size。",
    ),
)
def _pool_size_stride_one(q: Params) -> Answer:
    s = 1 if _pool_stride(q) > 1 else q["kernel_size"] + 1
    return conv_out(q["n"], q["kernel_size"], q["padding"], s)


@mistake(
    "pool_output_size",
    "no-plus-one",
    step=2,
    text=Text("You left out the +1 of ⌊(n + 2p − k)/s⌋ + 1.", "你漏掉了 ⌊(n + 2p − k)/s⌋ + 1 中的 +1。"),
)
def _pool_size_no_plus_one(q: Params) -> Answer:
    return conv_out(q["n"], q["kernel_size"], q["padding"], _pool_stride(q)) - 1


@torch_snippet("pool_output_size")
def _pool_size_torch(q: Params) -> str:
    stride = "" if q["stride"] is None else f", stride={q['stride']}"
    return (
        "import torch\nfrom torch import nn\n\n"
        f"pool = nn.MaxPool2d(kernel_size={q['kernel_size']}{stride}, padding={q['padding']})\n"
        f"print(pool(torch.zeros(1, 1, {q['n']}, {q['n']})).shape[-1])\n"
    )


@mistake(
    "global_avg_pool",
    "max",
    step=1,
    text=Text(
        "You took each channel's maximum; global average pooling takes its mean.",
        "你取了每个通道的最大值；全局平均池化取平均值。",
    ),
)
def _gap_max(q: Params) -> Answer:
    return [float(np.max(c)) for c in np.asarray(q["input"], dtype=np.float64)]


@mistake(
    "global_avg_pool",
    "sum",
    step=1,
    text=Text("You summed each channel without dividing by H·W.", "你只对每个通道求和，没有除以 H·W。"),
)
def _gap_sum(q: Params) -> Answer:
    return [float(np.sum(c)) for c in np.asarray(q["input"], dtype=np.float64)]


@torch_snippet("global_avg_pool")
def _gap_torch(q: Params) -> str:
    return (
        "import torch\nimport torch.nn.functional as F\n\n"
        f"x = torch.tensor([{q['input']}], dtype=torch.float64)  # (N, C, H, W)\n"
        "print(F.adaptive_avg_pool2d(x, 1).flatten().tolist())\n"
    )


@mistake(
    "receptive_field",
    "summed-kernels",
    step=1,
    text=Text(
        "You added up the kernel sizes; each layer adds (k − 1) times the jump of the layers below it.",
        "你把各层卷积核大小直接相加；每一层增加的是 (k − 1) 乘以下面各层累积的步长（jump）。",
    ),
)
def _rf_summed(q: Params) -> Answer:
    return int(sum(layer["k"] for layer in q["layers"]))


@mistake(
    "receptive_field",
    "jump-first",
    step=1,
    text=Text(
        "You updated the jump before growing the field; a layer's own stride only spaces the layers above it.",
        "你先更新了 jump 再扩大感受野；一层自己的步长只影响它上面的层。",
    ),
    applies=lambda q: any(layer["s"] > 1 and layer["k"] > 1 for layer in q["layers"]),
)
def _rf_jump_first(q: Params) -> Answer:
    r, j = 1, 1
    for layer in q["layers"]:
        j *= layer["s"]
        r += (layer["k"] - 1) * j
    return r


@torch_snippet("receptive_field")
def _rf_torch(q: Params) -> str:
    layers = [(layer["k"], layer["s"]) for layer in q["layers"]]
    return (
        "import torch\nimport torch.nn.functional as F\n\n"
        f"layers = {layers}  # (kernel, stride)\n"
        "n = 4\n"
        "while True:  # grow the input until the stack has an output\n"
        "    x = torch.zeros(1, 1, n, n, dtype=torch.float64, requires_grad=True)\n"
        "    y = x\n"
        "    for k, s in layers:\n"
        "        if y.shape[-1] < k:\n"
        "            break\n"
        "        y = F.conv2d(y, torch.ones(1, 1, k, k, dtype=torch.float64), stride=s)\n"
        "    else:\n"
        "        break\n"
        "    n *= 2\n"
        "# the input pixels output (0, 0) depends on: where its gradient is non-zero\n"
        "(grad,) = torch.autograd.grad(y[0, 0, 0, 0], x)\n"
        "rows = torch.nonzero(grad[0, 0].sum(dim=1)).flatten()\n"
        "print(int(rows.max() - rows.min() + 1))\n"
    )


@mistake(
    "stacked_3x3_vs_big",
    "forgot-channels",
    step=2,
    text=Text(
        "You counted k·k weights per layer; a C→C conv has k·k·C·C.",
        "你每层只算了 k·k 个权重；C→C 的卷积有 k·k·C·C 个权重。",
    ),
)
def _stack_no_channels(q: Params) -> Answer:
    n: int = q["n"]
    counts = {"receptive_field": 3 * n, "stack_weights": 9 * n, "big_weights": (2 * n + 1) ** 2}
    return counts[q["ask"]]


@mistake(
    "stacked_3x3_vs_big",
    "receptive-field-3n",
    step=1,
    text=Text(
        "You added 3 per layer; each stride-1 3×3 layer widens the field by 3 − 1 = 2, to 2n + 1.",
        "你每层加了 3；每个步长为 1 的 3×3 层只把感受野扩大 3 − 1 = 2，共 2n + 1。",
    ),
    # the stack's own weights do not depend on its receptive field
    applies=lambda q: q["ask"] != "stack_weights",
)
def _stack_3n(q: Params) -> Answer:
    n: int = q["n"]
    c: int = q["c"]
    return 3 * n if q["ask"] == "receptive_field" else (3 * n) ** 2 * c * c


@mistake(
    "stacked_3x3_vs_big",
    "one-channel-factor",
    step=2,
    text=Text(
        "You multiplied by C once; a C→C conv has k·k·C_in·C_out = k·k·C·C weights.",
        "你只乘了一次 C；C→C 的卷积有 k·k·C_in·C_out = k·k·C·C 个权重。",
    ),
    applies=lambda q: q["ask"] != "receptive_field",
)
def _stack_one_channel_factor(q: Params) -> Answer:
    n: int = q["n"]
    c: int = q["c"]
    return n * 9 * c if q["ask"] == "stack_weights" else (2 * n + 1) ** 2 * c


@torch_snippet("stacked_3x3_vs_big")
def _stack_torch(q: Params) -> str:
    n, c = q["n"], q["c"]
    head = (
        "import torch\nfrom torch import nn\n\n"
        f"stack = nn.Sequential(*[nn.Conv2d({c}, {c}, 3, bias=False) for _ in range({n})])\n"
        f"big = nn.Conv2d({c}, {c}, {2 * n + 1}, bias=False)\n"
    )
    if q["ask"] == "receptive_field":
        return head + (
            f"x = torch.zeros(1, {c}, {2 * n + 1}, {2 * n + 1}, requires_grad=True)\n"
            "nn.init.ones_(stack[0].weight)\n"
            "for layer in stack:\n"
            "    nn.init.ones_(layer.weight)\n"
            "(g,) = torch.autograd.grad(stack(x)[0, 0, 0, 0], x)\n"
            "print(int((g[0, 0].abs().sum(dim=1) > 0).sum()))\n"
        )
    which = "stack" if q["ask"] == "stack_weights" else "big"
    return head + f"print(sum(p.numel() for p in {which}.parameters()))\n"


def _bottleneck_macs(q: Params, *, forget_reduce: bool = False, direct_mid: bool = False) -> Answer:
    hw, k, c_in, c_mid, c_out = q["h"] * q["w"], q["k"], q["c_in"], q["c_mid"], q["c_out"]
    direct = hw * c_out * k * k * c_in
    reduce = hw * c_mid * c_in
    main = hw * c_out * k * k * c_mid
    if q["ask"] == "direct":
        return millions(hw * c_out * k * k if forget_reduce else hw * c_out * k * k * c_mid)
    return millions(main if forget_reduce else direct - reduce if direct_mid else reduce + main)


@mistake(
    "bottleneck_1x1_savings",
    "partial-count",
    step=2,
    text=Text(
        "You left a factor out: the direct conv has C_in in each dot product, the bottleneck adds the 1×1 reduction's "
        "own MACs.",
        "你漏算了一部分：直接卷积的每个点积都包含 C_in，瓶颈结构还要加上 1×1 降维本身的乘加运算。",
    ),
)
def _bottleneck_partial(q: Params) -> Answer:
    return _bottleneck_macs(q, forget_reduce=True)


@mistake(
    "bottleneck_1x1_savings",
    "mid-channels",
    step=2,
    text=Text(
        "You used the reduced channel count in the wrong place: only the k×k conv after the 1×1 sees C_mid inputs.",
        "你把降维后的通道数用错了地方：只有 1×1 之后的 k×k 卷积的输入是 C_mid 个通道。",
    ),
)
def _bottleneck_mid(q: Params) -> Answer:
    return _bottleneck_macs(q, direct_mid=True)


@torch_snippet("bottleneck_1x1_savings")
def _bottleneck_torch(q: Params) -> str:
    h, k, c_in, c_mid, c_out = q["h"], q["k"], q["c_in"], q["c_mid"], q["c_out"]
    if q["ask"] == "direct":
        model = f"nn.Conv2d({c_in}, {c_out}, {k}, padding={k // 2})"
    else:
        model = f"nn.Sequential(nn.Conv2d({c_in}, {c_mid}, 1), nn.Conv2d({c_mid}, {c_out}, {k}, padding={k // 2}))"
    return (
        "import torch\nfrom torch import nn\n\n"
        f"model = {model}\n"
        "macs = 0\n\n\n"
        "def count(module, inputs, output):\n"
        "    global macs\n"
        "    macs += output.numel() * module.weight[0].numel()\n\n\n"
        "for m in model.modules():\n"
        "    if isinstance(m, nn.Conv2d):\n"
        "        m.register_forward_hook(count)\n"
        "with torch.no_grad():\n"
        f"    model(torch.zeros(1, {c_in}, {h}, {h}))\n"
        "print(round(macs / 1e6, 1))  # millions\n"
    )


@mistake(
    "conv1x1_params",
    "bias-setting",
    step=1,
    text=Text(
        "You got the bias wrong: with bias=True add one bias per output channel, with bias=False none.",
        "偏置算错了：bias=True 时每个输出通道加一个偏置，bias=False 时没有偏置。",
    ),
)
def _conv1x1_bias(q: Params) -> Answer:
    return int(q["c_in"] * q["c_out"] + (0 if q["bias"] else q["c_out"]))


@mistake(
    "conv1x1_params",
    "per-pixel",
    step=1,
    text=Text(
        "You multiplied by H·W; the same 1×1 kernel is shared by every pixel.",
        "你乘上了 H·W；同一个 1×1 卷积核在所有像素上共享。",
    ),
)
def _conv1x1_per_pixel(q: Params) -> Answer:
    return int(q["h"] * q["w"] * q["c_in"] * q["c_out"] + (q["c_out"] if q["bias"] else 0))


@torch_snippet("conv1x1_params")
def _conv1x1_torch(q: Params) -> str:
    return (
        "from torch import nn\n\n"
        f"conv = nn.Conv2d({q['c_in']}, {q['c_out']}, kernel_size=1, bias={q['bias']})\n"
        "print(sum(p.numel() for p in conv.parameters()))\n"
    )


@mistake(
    "fc_on_image_params",
    "forgot-channels",
    step=1,
    text=Text("You forgot the colour channels: the input has H·W·C values.", "你漏乘了通道数：输入共有 H·W·C 个值。"),
    applies=lambda q: q["c"] > 1,
)
def _fc_no_channels(q: Params) -> Answer:
    return int(q["h"] * q["w"] * q["units"])


@mistake(
    "fc_on_image_params",
    "added-bias",
    step=1,
    text=Text(
        "You added the biases; the question counts weights only.",
        "你把偏置也算进去了；题目只问权重个数。",
    ),
)
def _fc_with_bias(q: Params) -> Answer:
    return int(q["h"] * q["w"] * q["c"] * q["units"] + q["units"])


@torch_snippet("fc_on_image_params")
def _fc_torch(q: Params) -> str:
    return (
        "from torch import nn\n\n"
        f"fc = nn.Linear({q['h']} * {q['w']} * {q['c']}, {q['units']})\n"
        "print(fc.weight.numel())  # weights only\n"
    )


# ---------------------------------------------------------------------------------------------
# Levels: 1 the plain cases, 2 today's mix (the default), 3 the cases with every complication
# ---------------------------------------------------------------------------------------------


def digits(n: float) -> float:
    """Order of magnitude of a count: how big the numbers are to multiply by hand."""
    return math.log10(max(abs(n), 1.0))


three_levels("conv_output_size", lambda q: (q["p"] > 0) + (q["s"] > 1) + 2 * (q["d"] > 1))
three_levels(
    "conv2d_forward",
    lambda q: 2 * (np.ndim(q["input"]) == 3) + (q["stride"] > 1) + (q["padding"] > 0) + (q["bias"] != 0),
    easy_max=1,
    hard_min=3,
)
three_levels("conv_params", lambda q: (q["c_in"] > 3) + (q["k"] > 1) + q["bias"], easy_max=1, hard_min=3)
three_levels("conv_macs", lambda q: (q["s"] > 1) + (q["p"] > 0) + (q["c_in"] > 1), easy_max=1, hard_min=3)
three_levels("conv_output_shape", lambda q: (q["s"] > 1) + (q["p"] > 0) + (q["h"] != q["w"]))
three_levels("max_pool2d", lambda q: (q["kernel_size"] == 3) + (q["stride"] < q["kernel_size"]))
three_levels("avg_pool2d", lambda q: (q["kernel_size"] == 3) + (q["stride"] < q["kernel_size"]))
three_levels(
    "pool_output_size",
    lambda q: (q["padding"] > 0) + (q["stride"] is not None) + (q["n"] % 2 == 1),
    hard_min=2,
)
three_levels("global_avg_pool", lambda q: np.size(q["input"]) / 9, easy_max=1.0, hard_min=2.0)
three_levels(
    "receptive_field",
    lambda q: len(q["layers"]) + sum(layer["s"] > 1 for layer in q["layers"]),
    easy_max=3,
    hard_min=6,
)
three_levels(
    "stacked_3x3_vs_big",
    lambda q: (q["ask"] != "receptive_field") + (q["ask"] == "big_weights") + (q["n"] > 3),
    easy_max=0,
    hard_min=2,
)
three_levels("bottleneck_1x1_savings", lambda q: (q["ask"] == "bottleneck") + (q["k"] == 5), easy_max=0, hard_min=2)
three_levels("conv1x1_params", lambda q: digits(q["c_in"] * q["c_out"]) + q["bias"], easy_max=4.0, hard_min=5.0)
three_levels(
    "fc_on_image_params", lambda q: (q["ask"] == "layer") + (q["c"] > 1) + (q["h"] > 32), easy_max=1, hard_min=3
)


typeset_minus_signs(__name__)
