"""Classic-architecture families (LeNet-5, AlexNet, VGG, DenseNet, MobileNet), PyTorch module parameter
counts, and ``torch.mm``/``torch.matmul`` result shapes.

Every answer comes from the layer-by-layer formulas shown in the worked solutions; the torch oracles in
:mod:`quizforge.numeric.oracles.architectures` build the real modules and run tensors through them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
from quizforge.numeric.families.cnn import conv_out, fmt_int, fmt_shape, pick, size_formula
from quizforge.text import Text

# ---------------------------------------------------------------------------------------------
# arch.mobile
# ---------------------------------------------------------------------------------------------


@family(
    "depthwise_separable_ratio",
    topic="arch.mobile",
    title=Text("Depthwise separable vs standard convolution cost", "深度可分离卷积与标准卷积的计算量之比"),
    difficulty=3,
)
def draw_depthwise_separable_ratio(rng: np.random.Generator) -> Draft:
    """(D_K²·M·D_F² + M·N·D_F²) / (D_K²·M·N·D_F²) = 1/N + 1/D_K²."""
    k = pick(rng, [3, 3, 5])
    c_in = pick(rng, [16, 32, 64, 128, 256])
    c_out = pick(rng, [16, 32, 64, 128, 256, 512])
    ratio = Fraction(1, c_out) + Fraction(1, k * k)
    prompt = Text(
        f"MobileNet replaces a standard {k}×{k} convolution from M = {c_in} to N = {c_out} channels "
        f"(stride 1, 'same' padding) by a depthwise separable one: a {k}×{k} depthwise conv (one filter per "
        "input channel) followed by a 1×1 pointwise conv. What is the ratio of their costs "
        "(multiply-accumulates), separable / standard? Give a fraction such as 1/64 + 1/9, or a decimal "
        "to 4 significant figures.",
        f"MobileNet 把一个标准的 {k}×{k} 卷积（M = {c_in} 个输入通道、N = {c_out} 个输出通道，步长 1，same 填充）"
        f"换成深度可分离卷积：先做 {k}×{k} 的逐通道（depthwise）卷积（每个输入通道一个卷积核），"
        "再做 1×1 的逐点（pointwise）卷积。两者的计算量（乘加运算）之比，可分离 / 标准，是多少？"
        "可写成 1/64 + 1/9 这样的分数，或保留 4 位有效数字的小数。",
    )
    dk2 = k * k
    solution = Text(
        f"1. On a D_F×D_F output with D_K = {k}, M = {c_in}, N = {c_out}:\n"
        f"  standard: D_K²·M·N·D_F² = {dk2}·{c_in}·{c_out}·D_F²\n"
        f"  depthwise: D_K²·M·D_F² = {dk2}·{c_in}·D_F²;  pointwise: M·N·D_F² = {c_in}·{c_out}·D_F²\n"
        "2. Ratio = (D_K²·M·D_F² + M·N·D_F²)/(D_K²·M·N·D_F²) = 1/N + 1/D_K² (M and D_F cancel)\n"
        f"   = 1/{c_out} + 1/{dk2} = {ratio.numerator}/{ratio.denominator} ≈ {float(ratio):.4f}, "
        f"i.e. about {float(1 / ratio):.1f}× fewer MACs.",
        f"1. 设输出为 D_F×D_F，D_K = {k}，M = {c_in}，N = {c_out}：\n"
        f"  标准卷积：D_K²·M·N·D_F² = {dk2}·{c_in}·{c_out}·D_F²\n"
        f"  逐通道卷积：D_K²·M·D_F² = {dk2}·{c_in}·D_F²；逐点卷积：M·N·D_F² = {c_in}·{c_out}·D_F²\n"
        "2. 比值 = (D_K²·M·D_F² + M·N·D_F²)/(D_K²·M·N·D_F²) = 1/N + 1/D_K²（M 和 D_F 约掉）\n"
        f"   = 1/{c_out} + 1/{dk2} = {ratio.numerator}/{ratio.denominator} ≈ {float(ratio):.4f}，"
        f"即乘加运算约减少到原来的 1/{float(1 / ratio):.1f}。",
    )
    return Draft(
        params={"k": k, "c_in": c_in, "c_out": c_out},
        prompt=prompt,
        answer=float(ratio),
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance(rel=1e-3, abs=1e-6),
        solution=solution,
    )


@family(
    "depthwise_separable_cost",
    topic="arch.mobile",
    title=Text("Cost of a depthwise separable convolution", "深度可分离卷积的计算量"),
    difficulty=2,
)
def draw_depthwise_separable_cost(rng: np.random.Generator) -> Draft:
    """MACs of the depthwise part, the pointwise part, their sum, or the standard conv."""
    h = pick(rng, [7, 14, 28, 56, 112])
    k = pick(rng, [3, 3, 5])
    c_in = pick(rng, [32, 64, 128, 256, 512])
    c_out = pick(rng, [64, 128, 256, 512])
    ask = pick(rng, ["depthwise", "pointwise", "separable", "standard"])
    hw = h * h
    dw = k * k * c_in * hw
    pw = c_in * c_out * hw
    std = k * k * c_in * c_out * hw
    answer = {"depthwise": dw, "pointwise": pw, "separable": dw + pw, "standard": std}[ask]
    q_en = {
        "depthwise": "How many MACs does the depthwise part take?",
        "pointwise": "How many MACs does the pointwise (1×1) part take?",
        "separable": "How many MACs does the whole depthwise separable conv take?",
        "standard": f"How many MACs would a standard {k}×{k} conv with the same input and output take?",
    }[ask]
    q_zh = {
        "depthwise": "逐通道（depthwise）部分需要多少次乘加运算？",
        "pointwise": "逐点（1×1）部分需要多少次乘加运算？",
        "separable": "整个深度可分离卷积需要多少次乘加运算？",
        "standard": f"输入输出相同的标准 {k}×{k} 卷积需要多少次乘加运算？",
    }[ask]
    prompt = Text(
        f"A depthwise separable convolution ({k}×{k} depthwise, then 1×1 pointwise; stride 1, 'same' "
        f"padding) maps a {h}×{h}×{c_in} feature map to {h}×{h}×{c_out}. {q_en} "
        "(Ignore biases; exact count.)",
        f"深度可分离卷积（先 {k}×{k} 逐通道卷积，再 1×1 逐点卷积；步长 1，same 填充）把 {h}×{h}×{c_in} 的"
        f"特征图变为 {h}×{h}×{c_out}。{q_zh}（忽略偏置，给出精确数值。）",
    )
    solution = Text(
        f"1. D_F = {h}, D_K = {k}, M = {c_in}, N = {c_out}; each cost is per output position, times "
        f"D_F² = {fmt_int(hw)} positions:\n"
        f"   Depthwise: D_K²·M·D_F² = {k * k}·{c_in}·{fmt_int(hw)} = {fmt_int(dw)}\n"
        f"   Pointwise: M·N·D_F² = {c_in}·{c_out}·{fmt_int(hw)} = {fmt_int(pw)}\n"
        f"   Separable total: {fmt_int(dw)} + {fmt_int(pw)} = {fmt_int(dw + pw)}\n"
        f"   Standard: D_K²·M·N·D_F² = {k * k}·{c_in}·{c_out}·{fmt_int(hw)} = {fmt_int(std)}\n"
        f"   (ratio 1/N + 1/D_K² = 1/{c_out} + 1/{k * k} ≈ {(dw + pw) / std:.4f})\n"
        f"Answer: {fmt_int(answer)}.",
        f"1. D_F = {h}，D_K = {k}，M = {c_in}，N = {c_out}；每项代价都是单个输出位置的，"
        f"还要乘以 D_F² = {fmt_int(hw)} 个位置：\n"
        f"   逐通道：D_K²·M·D_F² = {k * k}·{c_in}·{fmt_int(hw)} = {fmt_int(dw)}\n"
        f"   逐点：M·N·D_F² = {c_in}·{c_out}·{fmt_int(hw)} = {fmt_int(pw)}\n"
        f"   可分离合计：{fmt_int(dw)} + {fmt_int(pw)} = {fmt_int(dw + pw)}\n"
        f"   标准卷积：D_K²·M·N·D_F² = {k * k}·{c_in}·{c_out}·{fmt_int(hw)} = {fmt_int(std)}\n"
        f"   （比值 1/N + 1/D_K² = 1/{c_out} + 1/{k * k} ≈ {(dw + pw) / std:.4f}）\n"
        f"答案：{fmt_int(answer)}。",
    )
    return Draft(
        params={"h": h, "w": h, "k": k, "c_in": c_in, "c_out": c_out, "ask": ask},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


# ---------------------------------------------------------------------------------------------
# arch.densenet
# ---------------------------------------------------------------------------------------------


@family(
    "densenet_channels",
    topic="arch.densenet",
    title=Text("Channels in a DenseNet block", "DenseNet 稠密块的通道数"),
    difficulty=1,
)
def draw_densenet_channels(rng: np.random.Generator) -> Draft:
    """k₀ + l·k channels after l layers; layer l itself receives k₀ + (l−1)·k."""
    k0 = pick(rng, [16, 24, 32, 64, 128, 256])
    k = pick(rng, [12, 24, 32, 48])
    layers = pick(rng, [4, 6, 8, 12, 16, 24])
    ask = pick(rng, ["output", "output", "layer_input"])
    if ask == "output":
        answer = k0 + layers * k
        q_en = f"How many channels does the block output after its {layers} layers (the concatenation)?"
        q_zh = f"经过 {layers} 层后，稠密块输出（拼接后）有多少个通道？"
        sol_en = (
            f"1. Every layer adds k = {k} new feature maps, and all are concatenated with the input:\n"
            f"   k₀ + l·k = {k0} + {layers}·{k} = {fmt_int(answer)}."
        )
        sol_zh = (
            f"1. 每层新增 k = {k} 个特征图，并与之前所有特征图拼接：\n"
            f"   k₀ + l·k = {k0} + {layers}·{k} = {fmt_int(answer)}。"
        )
    else:
        answer = k0 + (layers - 1) * k
        q_en = f"How many input channels does layer {layers} of the block receive?"
        q_zh = f"稠密块的第 {layers} 层接收多少个输入通道？"
        sol_en = (
            f"1. Layer {layers} sees the block input and the outputs of the {layers - 1} layers before it:\n"
            f"   k₀ + (l − 1)·k = {k0} + {layers - 1}·{k} = {fmt_int(answer)}."
        )
        sol_zh = (
            f"1. 第 {layers} 层接收稠密块的输入以及前面 {layers - 1} 层的输出：\n"
            f"   k₀ + (l − 1)·k = {k0} + {layers - 1}·{k} = {fmt_int(answer)}。"
        )
    prompt = Text(
        f"A DenseNet dense block gets k₀ = {k0} input channels and has growth rate k = {k} (each layer "
        f"produces k feature maps and sees the concatenation of everything before it). {q_en}",
        f"DenseNet 的一个稠密块输入有 k₀ = {k0} 个通道，增长率 k = {k}（每层输出 k 个特征图，"
        f"输入是之前所有特征图的拼接）。{q_zh}",
    )
    return Draft(
        params={"k0": k0, "k": k, "l": layers, "ask": ask},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=Text(sol_en, sol_zh),
    )


# ---------------------------------------------------------------------------------------------
# Layer tables for LeNet-5 and AlexNet
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerSpec:
    """One layer of a classic network: a conv, a pool or a fully connected layer."""

    name: str
    kind: str  # "conv" | "pool" | "fc"
    out: int = 0  # output channels (conv) or units (fc)
    k: int = 0
    s: int = 1
    p: int = 0


@dataclass(frozen=True)
class LayerStep:
    """A layer's output shape and parameter count, with the arithmetic in both languages."""

    shape: tuple[int, ...]
    params: int
    en: str
    zh: str


def walk_layers(layers: Sequence[LayerSpec], shape: tuple[int, int, int]) -> list[tuple[LayerSpec, LayerStep]]:
    """Propagate a C×H×W shape through ``layers``; fc layers flatten what reaches them."""
    steps: list[tuple[LayerSpec, LayerStep]] = []
    cur: tuple[int, ...] = shape
    for layer in layers:
        if layer.kind in ("conv", "pool"):
            c, h, _ = cur
            size_text, side = size_formula(h, layer.k, layer.p, layer.s)
            if layer.kind == "conv":
                params = (layer.k * layer.k * c + 1) * layer.out
                new: tuple[int, ...] = (layer.out, side, side)
                en = (
                    f"{layer.name}: conv {layer.out}@{layer.k}×{layer.k}, stride {layer.s}, padding "
                    f"{layer.p}: {size_text} → {fmt_shape(new)}; params ({layer.k}·{layer.k}·{c} + 1)·"
                    f"{layer.out} = {fmt_int(params)}"
                )
                zh = (
                    f"{layer.name}：卷积 {layer.out}@{layer.k}×{layer.k}，步长 {layer.s}，填充 {layer.p}："
                    f"{size_text} → {fmt_shape(new)}；参数量 ({layer.k}·{layer.k}·{c} + 1)·{layer.out} = "
                    f"{fmt_int(params)}"
                )
            else:
                params = 0
                new = (c, side, side)
                en = (
                    f"{layer.name}: pool {layer.k}×{layer.k}, stride {layer.s}: {size_text} → "
                    f"{fmt_shape(new)} (no parameters)"
                )
                zh = f"{layer.name}：池化 {layer.k}×{layer.k}，步长 {layer.s}：{size_text} → {fmt_shape(new)}（无参数）"
        else:
            n_in = int(np.prod(cur))
            flat = f"{fmt_shape(cur)} = {fmt_int(n_in)}" if len(cur) > 1 else f"{fmt_int(n_in)}"
            params = (n_in + 1) * layer.out
            new = (layer.out,)
            en = (
                f"{layer.name}: fully connected {fmt_int(n_in)} → {fmt_int(layer.out)} (input {flat}); "
                f"params ({fmt_int(n_in)} + 1)·{fmt_int(layer.out)} = {fmt_int(params)}"
            )
            zh = (
                f"{layer.name}：全连接 {fmt_int(n_in)} → {fmt_int(layer.out)}（输入 {flat}）；"
                f"参数量 ({fmt_int(n_in)} + 1)·{fmt_int(layer.out)} = {fmt_int(params)}"
            )
        steps.append((layer, LayerStep(new, params, en, zh)))
        cur = new
    return steps


def lenet_layers(c1_padding: int) -> list[LayerSpec]:
    """LeNet-5 as usually re-implemented in PyTorch (full C3 connectivity, a linear output layer)."""
    return [
        LayerSpec("C1", "conv", 6, 5, 1, c1_padding),
        LayerSpec("S2", "pool", 0, 2, 2),
        LayerSpec("C3", "conv", 16, 5, 1),
        LayerSpec("S4", "pool", 0, 2, 2),
        LayerSpec("C5", "conv", 120, 5, 1),
        LayerSpec("F6", "fc", 84),
        LayerSpec("output", "fc", 10),
    ]


# (input size, C1 padding, deepest layer that can be asked). 32 is the paper's input; 28 with padding 2
# is the usual MNIST version; larger inputs leave C5 with more than 1×1, where F6 would not fit.
_LENET_INPUTS = [(32, 0, "output"), (32, 0, "output"), (28, 2, "output"), (36, 0, "C5"), (40, 0, "C5")]
_LENET_PARAM_LAYERS = ["C1", "C3", "C5", "F6", "output"]


def _describe_layers(steps: Sequence[tuple[LayerSpec, LayerStep]], stop: str) -> tuple[list[str], list[str], LayerStep]:
    en: list[str] = []
    zh: list[str] = []
    for layer, step in steps:
        en.append("  " + step.en)
        zh.append("  " + step.zh)
        if layer.name == stop:
            return en, zh, step
    raise ValueError(f"no layer named {stop!r}")


@family(
    "lenet_shapes",
    topic="arch.lenet",
    title=Text("LeNet-5 layer shapes and parameters", "LeNet-5 各层形状与参数量"),
    difficulty=2,
)
def draw_lenet_shapes(rng: np.random.Generator) -> Draft:
    """The output shape of a chosen LeNet-5 layer, or its parameter count."""
    size, pad, deepest = pick(rng, _LENET_INPUTS)
    layers = lenet_layers(pad)
    names = [layer.name for layer in layers]
    ask = "params" if size == 32 and rng.integers(3) == 0 else "shape"
    askable = _LENET_PARAM_LAYERS if ask == "params" else names[: names.index(deepest) + 1]
    name = pick(rng, askable)
    steps = walk_layers(layers, (1, size, size))
    en, zh, step = _describe_layers(steps, name)
    pad_txt = f", padding={pad}" if pad else ""
    arch_en = (
        f"C1 = Conv2d(1, 6, 5{pad_txt}) → S2 = 2×2 pool, stride 2 → C3 = Conv2d(6, 16, 5) → S4 = 2×2 pool, "
        "stride 2 → C5 = Conv2d(16, 120, 5)"
    )
    arch_zh = (
        f"C1 = Conv2d(1, 6, 5{pad_txt}) → S2 = 2×2 池化，步长 2 → C3 = Conv2d(6, 16, 5) → S4 = 2×2 池化，"
        "步长 2 → C5 = Conv2d(16, 120, 5)"
    )
    if deepest == "output":
        arch_en += " → flatten → F6 = Linear(120, 84) → output = Linear(84, 10)"
        arch_zh += " → 展平 → F6 = Linear(120, 84) → 输出层 = Linear(84, 10)"
    if ask == "shape":
        answer: int | tuple[int, ...] = step.shape
        kind = AnswerKind.SHAPE
        q_en = f"What is the output shape of {name} (C×H×W, or the number of units for a linear layer)?"
        q_zh = f"{name} 层的输出形状是什么（C×H×W；全连接层写神经元个数）？"
        ans_en = f"Answer: {fmt_shape(step.shape)}."
        ans_zh = f"答案：{fmt_shape(step.shape)}。"
    else:
        answer = step.params
        kind = AnswerKind.NUMBER
        q_en = f"How many parameters (weights and biases) does {name} have?"
        q_zh = f"{name} 层有多少个参数（权重加偏置）？"
        ans_en = f"Answer: {fmt_int(step.params)}."
        ans_zh = f"答案：{fmt_int(step.params)}。"
        if name == "C3":
            ans_en += " (The 1998 paper wired C3 sparsely through a connection table: 1,516 parameters.)"
            ans_zh += "（1998 年原论文的 C3 通过连接表稀疏连接，只有 1,516 个参数。）"
    prompt = Text(
        f"LeNet-5 as usually written in PyTorch (every C3 map sees all 6 S2 maps), on a 1×{size}×{size} "
        f"grey input:\n{arch_en}.\n{q_en}",
        f"按 PyTorch 中常见的 LeNet-5 写法（C3 的每个特征图连接 S2 的全部 6 个特征图），输入为 1×{size}×{size} "
        f"的灰度图：\n{arch_zh}。\n{q_zh}",
    )
    solution = Text(
        f"1. Layer by layer from 1×{size}×{size} (size: ⌊(n + 2p − k)/s⌋ + 1):\n" + "\n".join(en) + f"\n{ans_en}",
        f"1. 从 1×{size}×{size} 开始逐层计算（尺寸：⌊(n + 2p − k)/s⌋ + 1）：\n" + "\n".join(zh) + f"\n{ans_zh}",
    )
    return Draft(
        params={"input_size": size, "c1_padding": pad, "layer": name, "ask": ask},
        prompt=prompt,
        answer=answer,
        answer_kind=kind,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


ALEXNET_LAYERS = [
    LayerSpec("conv1", "conv", 96, 11, 4, 0),
    LayerSpec("pool1", "pool", 0, 3, 2),
    LayerSpec("conv2", "conv", 256, 5, 1, 2),
    LayerSpec("pool2", "pool", 0, 3, 2),
    LayerSpec("conv3", "conv", 384, 3, 1, 1),
    LayerSpec("conv4", "conv", 384, 3, 1, 1),
    LayerSpec("conv5", "conv", 256, 3, 1, 1),
    LayerSpec("pool3", "pool", 0, 3, 2),
    LayerSpec("fc6", "fc", 4096),
    LayerSpec("fc7", "fc", 4096),
    LayerSpec("fc8", "fc", 1000),
]


@family(
    "alexnet_shapes",
    topic="arch.alexnet",
    title=Text("AlexNet layer shapes", "AlexNet 各层输出形状"),
    difficulty=3,
)
def draw_alexnet_shapes(rng: np.random.Generator) -> Draft:
    """Output shape (or, one time in four, parameter count) of a chosen AlexNet layer on 3×227×227."""
    names = [layer.name for layer in ALEXNET_LAYERS]
    ask = "params" if rng.integers(4) == 0 else "shape"
    if ask == "params":
        name = pick(rng, [layer.name for layer in ALEXNET_LAYERS if layer.kind != "pool"])
    else:
        name = pick(rng, names)
    steps = walk_layers(ALEXNET_LAYERS, (3, 227, 227))
    en, zh, step = _describe_layers(steps, name)
    arch_en = (
        "conv1 96@11×11 stride 4 → pool1 max 3×3 stride 2 → conv2 256@5×5 padding 2 → pool2 max 3×3 "
        "stride 2 → conv3 384@3×3 padding 1 → conv4 384@3×3 padding 1 → conv5 256@3×3 padding 1 → "
        "pool3 max 3×3 stride 2 → fc6 4096 → fc7 4096 → fc8 1000"
    )
    arch_zh = (
        "conv1 96@11×11 步长 4 → pool1 最大池化 3×3 步长 2 → conv2 256@5×5 填充 2 → pool2 最大池化 3×3 "
        "步长 2 → conv3 384@3×3 填充 1 → conv4 384@3×3 填充 1 → conv5 256@3×3 填充 1 → "
        "pool3 最大池化 3×3 步长 2 → fc6 4096 → fc7 4096 → fc8 1000"
    )
    if ask == "shape":
        answer: int | tuple[int, ...] = step.shape
        kind = AnswerKind.SHAPE
        q_en = f"What is the output shape of {name} (C×H×W, or the number of units for an fc layer)?"
        q_zh = f"{name} 的输出形状是什么（C×H×W；全连接层写神经元个数）？"
        ans_en = f"Answer: {fmt_shape(step.shape)}."
        ans_zh = f"答案：{fmt_shape(step.shape)}。"
    else:
        answer = step.params
        kind = AnswerKind.NUMBER
        q_en = f"How many parameters (weights and biases) does {name} have?"
        q_zh = f"{name} 有多少个参数（权重加偏置）？"
        ans_en = f"Answer: {fmt_int(step.params)}."
        ans_zh = f"答案：{fmt_int(step.params)}。"
    prompt = Text(
        "AlexNet in its single-GPU form (no grouped convolutions; LRN and ReLU do not change shapes), on a "
        "3×227×227 input (the paper says 224, but only 227 makes the sizes work out):\n"
        f"{arch_en}.\n{q_en}",
        "单 GPU 形式的 AlexNet（不分组卷积；LRN 和 ReLU 不改变形状），输入 3×227×227"
        "（论文写的是 224，但只有 227 才能让尺寸算得通）：\n"
        f"{arch_zh}。\n{q_zh}",
    )
    solution = Text(
        "1. Layer by layer from 3×227×227 (size: ⌊(n + 2p − k)/s⌋ + 1):\n" + "\n".join(en) + f"\n{ans_en}",
        "1. 从 3×227×227 开始逐层计算（尺寸：⌊(n + 2p − k)/s⌋ + 1）：\n" + "\n".join(zh) + f"\n{ans_zh}",
    )
    return Draft(
        params={"input_size": 227, "layer": name, "ask": ask},
        prompt=prompt,
        answer=answer,
        answer_kind=kind,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


# ---------------------------------------------------------------------------------------------
# arch.vgg
# ---------------------------------------------------------------------------------------------

# (c_in, c_out) of the five VGG stages, and input sizes (odd ones exercise the pool's floor).
_VGG_STAGES = [(3, 64), (64, 128), (128, 256), (256, 512), (512, 512)]
_VGG_SIZES = [224, 112, 56, 28, 14, 32, 16, 7]


@family(
    "vgg_shapes",
    topic="arch.vgg",
    title=Text("VGG block shape and parameters", "VGG 块的输出形状与参数量"),
    difficulty=2,
)
def draw_vgg_shapes(rng: np.random.Generator) -> Draft:
    """A VGG block (n × [3×3 conv, padding 1] then 2×2 max-pool): output shape or parameter count."""
    c_in, c_out = pick(rng, _VGG_STAGES)
    h = pick(rng, _VGG_SIZES)
    n_convs = pick(rng, [1, 2, 2, 3, 3, 4])
    ask = pick(rng, ["shape", "params"])
    first = (9 * c_in + 1) * c_out
    rest = (9 * c_out + 1) * c_out
    params = first + (n_convs - 1) * rest
    side = conv_out(h, 2, 0, 2)
    shape = (c_out, side, side)
    if n_convs > 1:
        convs_en = (
            f"{n_convs} × [Conv2d 3×3, padding 1 + ReLU] (the first {c_in} → {c_out}, the other "
            f"{n_convs - 1}: {c_out} → {c_out})"
        )
        convs_zh = (
            f"{n_convs} 个 [3×3 卷积，填充 1 + ReLU]（第一个 {c_in} → {c_out}，其余 {n_convs - 1} 个 "
            f"{c_out} → {c_out}）"
        )
    else:
        convs_en = f"one Conv2d 3×3, padding 1 + ReLU ({c_in} → {c_out})"
        convs_zh = f"1 个 3×3 卷积，填充 1 + ReLU（{c_in} → {c_out}）"
    if ask == "shape":
        answer: int | tuple[int, ...] = shape
        kind = AnswerKind.SHAPE
        q_en = "What is the output shape of the block (C×H×W)?"
        q_zh = "这个块的输出形状（C×H×W）是什么？"
    else:
        answer = params
        kind = AnswerKind.NUMBER
        q_en = "How many parameters (weights and biases) does the block have?"
        q_zh = "这个块有多少个参数（权重加偏置）？"
    prompt = Text(
        f"A VGG block: {convs_en}, then MaxPool2d(2, 2). The input is {c_in}×{h}×{h}. {q_en}",
        f"一个 VGG 块：{convs_zh}，然后 MaxPool2d(2, 2)。输入为 {c_in}×{h}×{h}。{q_zh}",
    )
    size_text, _ = size_formula(h, 2, 0, 2)
    rest_en = (
        f" + {n_convs - 1}·(3·3·{c_out} + 1)·{c_out} = {fmt_int(first)} + {n_convs - 1}·{fmt_int(rest)}"
        if n_convs > 1
        else ""
    )
    rest_zh = rest_en
    solution = Text(
        f"1. A 3×3 conv with padding 1 keeps the size: ⌊({h} + 2 − 3)/1⌋ + 1 = {h}; the channels become {c_out}.\n"
        f"2. The 2×2/2 max-pool halves it: {size_text}. Shape {fmt_shape(shape)}.\n"
        f"3. Parameters: (3·3·{c_in} + 1)·{c_out}{rest_en} = {fmt_int(params)} (the pool has none).\n"
        f"Answer: {fmt_shape(shape) if ask == 'shape' else fmt_int(params)}.",
        f"1. 3×3 卷积加填充 1 不改变尺寸：⌊({h} + 2 − 3)/1⌋ + 1 = {h}；通道数变为 {c_out}。\n"
        f"2. 2×2、步长 2 的最大池化把尺寸减半：{size_text}。形状为 {fmt_shape(shape)}。\n"
        f"3. 参数量：(3·3·{c_in} + 1)·{c_out}{rest_zh} = {fmt_int(params)}（池化层没有参数）。\n"
        f"答案：{fmt_shape(shape) if ask == 'shape' else fmt_int(params)}。",
    )
    return Draft(
        params={"h": h, "c_in": c_in, "c_out": c_out, "n_convs": n_convs, "ask": ask},
        prompt=prompt,
        answer=answer,
        answer_kind=kind,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


# ---------------------------------------------------------------------------------------------
# torch.basics
# ---------------------------------------------------------------------------------------------


def module_code(layer: dict[str, Any]) -> str:
    """The ``nn.…(…)`` source of one layer spec of ``module_param_count``."""
    t = layer["type"]
    if t == "Linear":
        bias = "" if layer["bias"] else ", bias=False"
        return f"nn.Linear({layer['in_features']}, {layer['out_features']}{bias})"
    if t == "Conv2d":
        bias = "" if layer["bias"] else ", bias=False"
        return f"nn.Conv2d({layer['in_channels']}, {layer['out_channels']}, {layer['kernel_size']}{bias})"
    if t == "MaxPool2d":
        return f"nn.MaxPool2d({layer['kernel_size']})"
    return f"nn.{t}()"


def _layer_params(layer: dict[str, Any]) -> tuple[int, str, str]:
    """A layer's parameter count and its arithmetic (en, zh)."""
    t = layer["type"]
    if t == "Linear":
        i, o = layer["in_features"], layer["out_features"]
        prod, w = f"{i}·{o}", i * o
    elif t == "Conv2d":
        i, o, k = layer["in_channels"], layer["out_channels"], layer["kernel_size"]
        prod, w = f"{k}·{k}·{i}·{o}", k * k * i * o
    else:
        return 0, "0", "0"
    if layer["bias"]:
        text = f"{prod} + {o} = {fmt_int(w + o)}"
        return w + o, text, text
    return w, f"{prod} = {fmt_int(w)} (no bias)", f"{prod} = {fmt_int(w)}（无偏置）"


@family(
    "module_param_count",
    topic="torch.basics",
    title=Text("Parameters of an nn.Sequential", "nn.Sequential 的参数量"),
    difficulty=1,
)
def draw_module_param_count(rng: np.random.Generator) -> Draft:
    """sum(p.numel() for p in model.parameters()) of a small MLP or CNN."""
    layers: list[dict[str, Any]] = []
    if rng.integers(2):
        dims = [pick(rng, [784, 256, 100, 64, 50, 20, 10])]
        for _ in range(int(rng.integers(2, 4))):
            dims.append(pick(rng, [d for d in (128, 64, 32, 20, 16, 10, 5, 3, 2) if d < dims[-1]] or [2]))
        for i in range(len(dims) - 1):
            if i:
                layers.append({"type": "ReLU"})
            layers.append(
                {
                    "type": "Linear",
                    "in_features": dims[i],
                    "out_features": dims[i + 1],
                    "bias": bool(rng.integers(6)),
                }
            )
    else:
        chans = [pick(rng, [1, 3]), pick(rng, [4, 6, 8, 16]), pick(rng, [8, 16, 32])]
        for i in range(2):
            layers.append(
                {
                    "type": "Conv2d",
                    "in_channels": chans[i],
                    "out_channels": chans[i + 1],
                    "kernel_size": pick(rng, [1, 3, 3, 5]),
                    "bias": bool(rng.integers(6)),
                }
            )
            layers.append({"type": "ReLU"})
            if rng.integers(2):
                layers.append({"type": "MaxPool2d", "kernel_size": 2})
    code = "nn.Sequential(\n" + "".join(f"    {module_code(layer)},\n" for layer in layers) + ")"
    counted = [(layer, *_layer_params(layer)) for layer in layers]
    total = sum(n for _, n, _, _ in counted)
    prompt = Text(
        f"model = {code}\nWhat does sum(p.numel() for p in model.parameters()) return?",
        f"model = {code}\nsum(p.numel() for p in model.parameters()) 的结果是多少？",
    )
    en = ["1. Count each layer (Linear: in·out + out; Conv2d: k·k·in·out + out; one bias per output):"]
    zh = ["1. 逐层计算（Linear：in·out + out；Conv2d：k·k·in·out + out；每个输出一个偏置）："]
    for layer, _n, text_en, text_zh in counted:
        if layer["type"] in ("Linear", "Conv2d"):
            en.append(f"  {module_code(layer)}: {text_en}")
            zh.append(f"  {module_code(layer)}：{text_zh}")
    free = " and ".join(sorted({layer["type"] for layer in layers} - {"Linear", "Conv2d"}))
    en.append(f"  {free} {'have' if ' and ' in free else 'has'} no parameters.")
    zh.append(f"  {free.replace(' and ', ' 和 ')} 没有参数。")
    terms = " + ".join(fmt_int(n) for _, n, _, _ in counted if n)
    en.append(f"2. Total: {terms} = {fmt_int(total)}.")
    zh.append(f"2. 合计：{terms} = {fmt_int(total)}。")
    return Draft(
        params={"layers": layers},
        prompt=prompt,
        answer=total,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=Text("\n".join(en), "\n".join(zh)),
    )


# ---------------------------------------------------------------------------------------------
# math.linalg: torch.mm vs torch.matmul
# ---------------------------------------------------------------------------------------------

ERROR_OPTION = "error"


def torch_size(shape: Sequence[int]) -> str:
    """How torch prints a shape: ``torch.Size([2, 5])``."""
    return f"torch.Size([{', '.join(str(x) for x in shape)}])"


def matmul_result(op: str, a: Sequence[int], b: Sequence[int]) -> tuple[tuple[int, ...] | None, str, str]:
    """The result shape of ``torch.<op>(a, b)`` (``None`` for an error) and why, in en and zh."""
    a, b = tuple(a), tuple(b)
    if op == "mm":
        if len(a) != 2 or len(b) != 2:
            return (
                None,
                "torch.mm takes only 2-D matrices (no batching, no broadcasting): RuntimeError.",
                "torch.mm 只接受二维矩阵（不支持批量和广播）：RuntimeError。",
            )
        if a[1] != b[0]:
            return (
                None,
                f"Inner sizes differ ({a[1]} ≠ {b[0]}): RuntimeError.",
                f"内维不一致（{a[1]} ≠ {b[0]}）：RuntimeError。",
            )
        return (
            (a[0], b[1]),
            f"({a[0]}×{a[1]})·({b[0]}×{b[1]}) → {a[0]}×{b[1]}.",
            f"({a[0]}×{a[1]})·({b[0]}×{b[1]}) → {a[0]}×{b[1]}。",
        )
    if len(a) == 1 and len(b) == 1:
        if a[0] != b[0]:
            return (
                None,
                f"Two vectors of different lengths ({a[0]} ≠ {b[0]}): RuntimeError.",
                (f"两个向量长度不同（{a[0]} ≠ {b[0]}）：RuntimeError。"),
            )
        return (
            (),
            "1-D · 1-D is a dot product: a 0-d scalar tensor, shape [].",
            ("一维 · 一维是点积，结果是 0 维标量张量，形状为 []。"),
        )
    # A 1-D first argument becomes 1×m, a 1-D second argument m×1; the added dim is removed afterwards.
    a2 = (1, *a) if len(a) == 1 else a
    b2 = (*b, 1) if len(b) == 1 else b
    if a2[-1] != b2[-2]:
        return (
            None,
            f"The matrix dims are {a2[-2]}×{a2[-1]} and {b2[-2]}×{b2[-1]}: inner sizes differ "
            f"({a2[-1]} ≠ {b2[-2]}), RuntimeError.",
            f"矩阵部分为 {a2[-2]}×{a2[-1]} 和 {b2[-2]}×{b2[-1]}：内维不一致（{a2[-1]} ≠ {b2[-2]}），RuntimeError。",
        )
    ba, bb = a2[:-2], b2[:-2]
    width = max(len(ba), len(bb))
    pa = (1,) * (width - len(ba)) + ba
    pb = (1,) * (width - len(bb)) + bb
    batch: list[int] = []
    for x, y in zip(pa, pb, strict=True):
        if x != y and x != 1 and y != 1:
            return (
                None,
                f"Batch dims {list(ba)} and {list(bb)} do not broadcast ({x} vs {y}, neither is 1): RuntimeError.",
                f"批量维 {list(ba)} 与 {list(bb)} 无法广播（{x} 对 {y}，都不是 1）：RuntimeError。",
            )
        batch.append(max(x, y))
    shape = [*batch, a2[-2], b2[-1]]
    notes_en: list[str] = []
    notes_zh: list[str] = []
    if width:
        notes_en.append(f"the batch dims {list(ba)} and {list(bb)} broadcast (right-aligned) to {batch}")
        notes_zh.append(f"批量维 {list(ba)} 与 {list(bb)} 右对齐广播为 {batch}")
    notes_en.append(f"the last two dims multiply: ({a2[-2]}×{a2[-1]})·({b2[-2]}×{b2[-1]}) → {a2[-2]}×{b2[-1]}")
    notes_zh.append(f"最后两维做矩阵乘法：({a2[-2]}×{a2[-1]})·({b2[-2]}×{b2[-1]}) → {a2[-2]}×{b2[-1]}")
    if len(a) == 1:
        shape.pop(-2)
        notes_en.append("the 1-D first argument was treated as 1×m, so that 1 is removed again")
        notes_zh.append("一维的第一个参数被当作 1×m，结果中再去掉这一维")
    if len(b) == 1:
        shape.pop(-1)
        notes_en.append("the 1-D second argument was treated as m×1, so that 1 is removed again")
        notes_zh.append("一维的第二个参数被当作 m×1，结果中再去掉这一维")
    return (
        tuple(shape),
        "torch.matmul: " + "; ".join(notes_en) + f". Result {torch_size(shape)}.",
        "torch.matmul：" + "；".join(notes_zh) + f"。结果为 {torch_size(shape)}。",
    )


def _matmul_case(rng: np.random.Generator) -> tuple[str, list[int], list[int]]:
    b, c, n, m, p = (int(v) for v in rng.permutation(np.arange(2, 9))[:5])
    q = m + 1  # a mismatched inner size
    cases: list[tuple[str, list[int], list[int]]] = [
        ("mm", [n, m], [m, p]),
        ("mm", [n, m], [m, p]),
        ("mm", [b, n, m], [m, p]),
        ("mm", [n, m], [q, p]),
        ("matmul", [m], [m]),
        ("matmul", [n, m], [m]),
        ("matmul", [m], [m, p]),
        ("matmul", [b, n, m], [m, p]),
        ("matmul", [b, n, m], [b, m, p]),
        ("matmul", [b, 1, n, m], [c, m, p]),
        ("matmul", [b, n, m], [m]),
        ("matmul", [b, n, m], [c, m, p]),
        ("matmul", [b, n, m], [q, p]),
    ]
    return pick(rng, cases)


def _distractors(a: Sequence[int], b: Sequence[int]) -> list[tuple[int, ...]]:
    """Plausible wrong result shapes built from the operands' dims."""
    a, b = tuple(a), tuple(b)
    out: list[tuple[int, ...]] = [
        a,
        b,
        (a[0], b[-1]),
        (a[-1], b[0]),
        a[:-1] + b[-1:],
        b[:-1] + a[-1:],
        a + b[-1:],
        a[:-1] + b[1:],
        (a[0],),
        (b[-1],),
        (a[-1],),
        (1, b[-1]),
        (a[0], 1),
    ]
    if len(a) >= 2 and len(b) >= 2:
        out += [(a[-2], b[-1]), (b[-1], a[-2]), (*a[:-2], b[-1], a[-2]), (*b[:-2], *a[:-2], a[-2], b[-1])]
    if len(a) >= 3:
        out += [(a[0], a[-2], b[-1]), (a[-2], a[0], b[-1])]
    return out


@family(
    "matmul_shape",
    topic="math.linalg",
    title=Text("Result shape of torch.mm / torch.matmul", "torch.mm 与 torch.matmul 的结果形状"),
    difficulty=2,
)
def draw_matmul_shape(rng: np.random.Generator) -> Draft:
    """Pick the shape ``torch.mm``/``torch.matmul`` returns, or "error" when it raises."""
    op, a, b = _matmul_case(rng)
    shape, why_en, why_zh = matmul_result(op, a, b)
    if op == "mm" and len(a) != 2:
        batched, _, _ = matmul_result("matmul", a, b)
        if batched is not None:
            why_en += f" torch.matmul(a, b) would broadcast and give {torch_size(batched)}."
            why_zh += f"换成 torch.matmul(a, b) 会做批量乘法，结果为 {torch_size(batched)}。"
    wrong: list[str] = []
    for cand in _distractors(a, b):
        label = torch_size(cand)
        if cand != shape and label not in wrong:
            wrong.append(label)
    need = 4 if shape is None else 3
    order = rng.permutation(len(wrong))[:need]
    shapes = [wrong[int(i)] for i in order]
    if shape is not None:
        shapes.insert(int(rng.integers(len(shapes) + 1)), torch_size(shape))
    options = [*shapes, ERROR_OPTION]
    answer = [options.index(ERROR_OPTION if shape is None else torch_size(shape))]
    choices = [Text.same(o) for o in shapes] + [Text("error (RuntimeError)", "报错（RuntimeError）")]
    args = ", ".join(str(x) for x in a), ", ".join(str(x) for x in b)
    prompt = Text(
        f"a = torch.randn({args[0]})\nb = torch.randn({args[1]})\nWhat is torch.{op}(a, b).shape?",
        f"a = torch.randn({args[0]})\nb = torch.randn({args[1]})\ntorch.{op}(a, b).shape 是什么？",
    )
    rule_en = (
        "torch.mm is strictly 2-D: (n×m)·(m×p) → n×p. torch.matmul also handles 1-D operands and batches: "
        "it multiplies the last two dims and broadcasts the rest."
    )
    rule_zh = (
        "torch.mm 只做二维矩阵乘法：(n×m)·(m×p) → n×p。torch.matmul 还支持一维和批量："
        "最后两维做矩阵乘法，其余维度广播。"
    )
    return Draft(
        params={"op": op, "a": list(a), "b": list(b), "options": options},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.CHOICE,
        tolerance=Tolerance.exact(),
        solution=Text(f"1. {rule_en}\n2. {why_en}", f"1. {rule_zh}\n2. {why_zh}"),
        choices=choices,
    )


# ---------------------------------------------------------------------------------------------
# Named mistakes and PyTorch snippets
# ---------------------------------------------------------------------------------------------


@mistake(
    "depthwise_separable_ratio",
    "kernel-not-squared",
    step=2,
    text=Text(
        "You used 1/D_K; the depthwise term is 1/D_K² (a D_K×D_K kernel).",
        "你用了 1/D_K；深度卷积项是 1/D_K²（D_K×D_K 的卷积核）。",
    ),
)
def _ratio_k(q: Params) -> Answer:
    return 1 / int(q["c_out"]) + 1 / int(q["k"])


@mistake(
    "depthwise_separable_ratio",
    "inverted",
    step=2,
    text=Text(
        "You gave standard / separable (the speed-up); the question asks separable / standard.",
        "你给出的是 标准 / 可分离（加速比）；题目问的是 可分离 / 标准。",
    ),
)
def _ratio_inverted(q: Params) -> Answer:
    return 1 / (1 / int(q["c_out"]) + 1 / int(q["k"]) ** 2)


@torch_snippet("depthwise_separable_ratio")
def _ratio_torch(q: Params) -> str:
    k, m, n = q["k"], q["c_in"], q["c_out"]
    return _macs_snippet(
        {
            "standard": f"nn.Conv2d({m}, {n}, {k}, padding={k // 2})",
            "separable": f"nn.Sequential(nn.Conv2d({m}, {m}, {k}, padding={k // 2}, groups={m}), "
            f"nn.Conv2d({m}, {n}, 1))",
        },
        m,
        8,
        "print(macs['separable'] / macs['standard'])\n",
    )


def _macs_snippet(models: dict[str, str], c_in: int, size: int, last: str) -> str:
    """Code that counts each model's conv MACs with forward hooks, then runs ``last``."""
    built = "".join(f"    {name!r}: {code},\n" for name, code in models.items())
    return (
        "import torch\nfrom torch import nn\n\n"
        f"models = {{\n{built}}}\n"
        "macs = {}\n"
        "for name, model in models.items():\n"
        "    total = 0\n\n"
        "    def count(module, inputs, output):\n"
        "        global total\n"
        "        total += output.numel() * module.weight[0].numel()\n\n"
        "    for m in model.modules():\n"
        "        if isinstance(m, nn.Conv2d):\n"
        "            m.register_forward_hook(count)\n"
        "    with torch.no_grad():\n"
        f"        model(torch.zeros(1, {c_in}, {size}, {size}))\n"
        "    macs[name] = total\n"
        f"{last}"
    )


def _separable_costs(q: Params, *, kernel_power: int = 2, spatial: bool = True) -> dict[str, int]:
    d2 = q["h"] * q["w"] if spatial else 1
    kk = q["k"] ** kernel_power
    m, n = q["c_in"], q["c_out"]
    dw, pw = kk * m * d2, m * n * d2
    return {"depthwise": dw, "pointwise": pw, "separable": dw + pw, "standard": kk * m * n * d2}


@mistake(
    "depthwise_separable_cost",
    "no-spatial-size",
    step=1,
    text=Text(
        "You left out D_F²: every cost is per output position, times D_F·D_F positions.",
        "你漏乘了 D_F²：每项代价都是单个输出位置的，还要乘以 D_F·D_F 个位置。",
    ),
)
def _sep_no_spatial(q: Params) -> Answer:
    return _separable_costs(q, spatial=False)[q["ask"]]


@mistake(
    "depthwise_separable_cost",
    "depthwise-times-n",
    step=1,
    text=Text(
        "You multiplied the depthwise conv by N; it has one D_K×D_K filter per input channel, no N.",
        "你给深度卷积乘了 N；它每个输入通道只有一个 D_K×D_K 卷积核，与 N 无关。",
    ),
    applies=lambda q: q["ask"] in ("depthwise", "separable"),
)
def _sep_dw_n(q: Params) -> Answer:
    c = _separable_costs(q)
    extra = c["depthwise"] * (q["c_out"] - 1)
    return int(c[q["ask"]] + extra)


@torch_snippet("depthwise_separable_cost")
def _sep_cost_torch(q: Params) -> str:
    k, m, n = q["k"], q["c_in"], q["c_out"]
    pad = k // 2
    models = {
        "depthwise": f"nn.Conv2d({m}, {m}, {k}, padding={pad}, groups={m})",
        "pointwise": f"nn.Conv2d({m}, {n}, 1)",
        "separable": f"nn.Sequential(nn.Conv2d({m}, {m}, {k}, padding={pad}, groups={m}), nn.Conv2d({m}, {n}, 1))",
        "standard": f"nn.Conv2d({m}, {n}, {k}, padding={pad})",
    }
    return _macs_snippet({q["ask"]: models[q["ask"]]}, m, q["h"], f"print(macs[{q['ask']!r}])\n")


@mistake(
    "densenet_channels",
    "off-by-one-layer",
    step=1,
    text=Text(
        "You counted one layer too many or too few: layer l receives k₀ + (l − 1)·k channels, the block outputs "
        "k₀ + l·k.",
        "你多算或少算了一层：第 l 层的输入是 k₀ + (l − 1)·k 个通道，整个块的输出是 k₀ + l·k。",
    ),
)
def _dense_off_by_one(q: Params) -> Answer:
    k0, k, n = q["k0"], q["k"], q["l"]
    return int(k0 + (n - 1) * k if q["ask"] == "output" else k0 + n * k)


@mistake(
    "densenet_channels",
    "forgot-k0",
    step=1,
    text=Text(
        "You left out the block's input k₀: concatenation keeps it alongside every new feature map.",
        "你漏掉了块的输入 k₀：拼接会把它和所有新特征图一起保留。",
    ),
)
def _dense_no_k0(q: Params) -> Answer:
    k, n = q["k"], q["l"]
    return int(n * k if q["ask"] == "output" else (n - 1) * k)


@torch_snippet("densenet_channels")
def _dense_torch(q: Params) -> str:
    k0, k, n = q["k0"], q["k"], q["l"]
    layers = n if q["ask"] == "output" else n - 1
    last = "print(x.shape[1])\n" if q["ask"] == "output" else "print(x.shape[1])  # what layer l receives\n"
    return (
        "import torch\nfrom torch import nn\n\n"
        f"x = torch.zeros(1, {k0}, 4, 4)\n"
        f"for _ in range({layers}):\n"
        f"    new = nn.Conv2d(x.shape[1], {k}, 3, padding=1)(x)  # each layer adds k = {k} maps\n"
        "    x = torch.cat([x, new], dim=1)\n"
        f"{last}"
    )


def _walk_variant(layers: Sequence[LayerSpec], shape: tuple[int, int, int], rule: str) -> dict[str, LayerStep]:
    """``walk_layers`` with one rule broken, by layer name (the text fields are left empty)."""
    out: dict[str, LayerStep] = {}
    cur: tuple[int, ...] = shape
    for layer in layers:
        if layer.kind in ("conv", "pool"):
            c, h, _ = cur
            side = conv_out(h, layer.k, layer.p, layer.s) - (1 if rule == "no-plus-one" else 0)
            if layer.kind == "conv":
                w = layer.k * layer.k * c
                params = w * layer.out if rule == "no-bias" else (w + 1) * layer.out
                new: tuple[int, ...] = (c if rule == "channels-in" else layer.out, side, side)
            else:
                params, new = 0, (c, side, side)
        else:
            n_in = int(np.prod(cur))
            params = n_in * layer.out if rule == "no-bias" else (n_in + 1) * layer.out
            new = (layer.out,)
        out[layer.name] = LayerStep(new, params, "", "")
        cur = new
    return out


def _classic_answer(q: Params, layers: Sequence[LayerSpec], shape: tuple[int, int, int], rule: str) -> Answer:
    step = _walk_variant(layers, shape, rule)[q["layer"]]
    return step.shape if q["ask"] == "shape" else step.params


def _size_slip_possible(q: Params, layers: Sequence[LayerSpec], shape: tuple[int, int, int]) -> bool:
    """A size slip on a conv or pool output that still leaves a feature map up to the asked layer."""
    if q["ask"] != "shape" or _layer_kind(layers, q["layer"]) == "fc":
        return False
    variant = _walk_variant(layers, shape, "no-plus-one")
    upto = list(variant)[: list(variant).index(q["layer"]) + 1]
    return all(d > 0 for name in upto for d in variant[name].shape)


def _layer_kind(layers: Sequence[LayerSpec], name: str) -> str:
    return next(layer.kind for layer in layers if layer.name == name)


_NO_PLUS_ONE = Text(
    "You left out the +1 of ⌊(n + 2p − k)/s⌋ + 1, and the error carried through the later layers.",
    "你漏掉了 ⌊(n + 2p − k)/s⌋ + 1 中的 +1，误差一路传到了后面的层。",
)
_CHANNELS_IN = Text(
    "You kept the input's channel count; a conv outputs one channel per filter (out_channels).",
    "你保留了输入的通道数；卷积层每个卷积核输出一个通道（out_channels）。",
)
_NO_BIAS = Text(
    "You counted the weights only; every output channel or unit also has a bias.",
    "你只数了权重；每个输出通道或神经元还有一个偏置。",
)


def _lenet(q: Params) -> tuple[list[LayerSpec], tuple[int, int, int]]:
    return lenet_layers(q["c1_padding"]), (1, q["input_size"], q["input_size"])


@mistake(
    "lenet_shapes",
    "no-plus-one",
    step=1,
    text=_NO_PLUS_ONE,
    applies=lambda q: _size_slip_possible(q, *_lenet(q)),
)
def _lenet_no_plus_one(q: Params) -> Answer:
    return _classic_answer(q, *_lenet(q), "no-plus-one")


@mistake(
    "lenet_shapes",
    "channels-in",
    step=1,
    text=_CHANNELS_IN,
    applies=lambda q: q["ask"] == "shape" and _layer_kind(lenet_layers(0), q["layer"]) == "conv",
)
def _lenet_channels(q: Params) -> Answer:
    return _classic_answer(q, *_lenet(q), "channels-in")


@mistake("lenet_shapes", "no-bias", step=1, text=_NO_BIAS, applies=lambda q: q["ask"] == "params")
def _lenet_no_bias(q: Params) -> Answer:
    return _classic_answer(q, *_lenet(q), "no-bias")


def _classic_snippet(layers: Sequence[LayerSpec], c_in: int, size: int, name: str, ask: str) -> str:
    mods: list[str] = []
    c = c_in
    for layer in layers:
        if layer.kind == "conv":
            mods.append(
                f"    ({layer.name!r}, nn.Conv2d({c}, {layer.out}, {layer.k}, stride={layer.s}, padding={layer.p})),"
            )
            c = layer.out
        elif layer.kind == "pool":
            mods.append(f"    ({layer.name!r}, nn.MaxPool2d({layer.k}, stride={layer.s})),")
        else:
            mods.append(f"    ({layer.name!r}, nn.LazyLinear({layer.out})),")
        if layer.name == name:
            break
    last = "print(list(x.shape[1:]) if x.dim() > 2 else x.shape[1])\n"
    if ask == "params":
        last = "print(sum(p.numel() for p in module.parameters()))\n"
    return (
        "import torch\nfrom torch import nn\n\n"
        "layers = [\n" + "\n".join(mods) + "\n]\n"
        f"x = torch.zeros(1, {c_in}, {size}, {size})\n"
        "with torch.no_grad():\n"
        "    for name, module in layers:\n"
        "        if isinstance(module, nn.LazyLinear):\n"
        "            x = x.flatten(1)\n"
        "        x = module(x)\n"
        f"{last}"
    )


@torch_snippet("lenet_shapes")
def _lenet_torch(q: Params) -> str:
    return _classic_snippet(lenet_layers(q["c1_padding"]), 1, q["input_size"], q["layer"], q["ask"])


@mistake(
    "alexnet_shapes",
    "no-plus-one",
    step=1,
    text=_NO_PLUS_ONE,
    applies=lambda q: _size_slip_possible(q, ALEXNET_LAYERS, (3, 227, 227)),
)
def _alex_no_plus_one(q: Params) -> Answer:
    return _classic_answer(q, ALEXNET_LAYERS, (3, 227, 227), "no-plus-one")


@mistake(
    "alexnet_shapes",
    "channels-in",
    step=1,
    text=_CHANNELS_IN,
    applies=lambda q: q["ask"] == "shape" and _layer_kind(ALEXNET_LAYERS, q["layer"]) == "conv",
)
def _alex_channels(q: Params) -> Answer:
    return _classic_answer(q, ALEXNET_LAYERS, (3, 227, 227), "channels-in")


@mistake("alexnet_shapes", "no-bias", step=1, text=_NO_BIAS, applies=lambda q: q["ask"] == "params")
def _alex_no_bias(q: Params) -> Answer:
    return _classic_answer(q, ALEXNET_LAYERS, (3, 227, 227), "no-bias")


@torch_snippet("alexnet_shapes")
def _alex_torch(q: Params) -> str:
    return _classic_snippet(ALEXNET_LAYERS, 3, 227, q["layer"], q["ask"])


@mistake(
    "vgg_shapes",
    "forgot-pool",
    step=2,
    text=Text(
        "You forgot the 2×2/2 max-pool at the end of the block: it halves the height and width.",
        "你忘了块末尾的 2×2、步长 2 的最大池化：它把高和宽减半。",
    ),
    applies=lambda q: q["ask"] == "shape",
)
def _vgg_no_pool(q: Params) -> Answer:
    return (q["c_out"], q["h"], q["h"])


@mistake(
    "vgg_shapes",
    "no-padding",
    step=1,
    text=Text(
        "You let every 3×3 conv shrink the map by 2; with padding 1 it keeps the size.",
        "你让每个 3×3 卷积都把尺寸缩小 2；填充 1 时尺寸不变。",
    ),
    applies=lambda q: q["ask"] == "shape",
)
def _vgg_no_padding(q: Params) -> Answer:
    side = q["h"] - 2 * q["n_convs"]
    side = conv_out(side, 2, 0, 2) if side >= 2 else conv_out(q["h"], 2, 0, 2)  # no map left: not a slip
    return (q["c_out"], side, side)


@mistake(
    "vgg_shapes",
    "all-from-c-in",
    step=3,
    text=Text(
        "You counted every conv as C_in → C_out; only the first one sees C_in channels, the rest C_out → C_out.",
        "你把每个卷积都按 C_in → C_out 计算；只有第一个卷积的输入是 C_in 通道，其余都是 C_out → C_out。",
    ),
    applies=lambda q: q["ask"] == "params" and q["n_convs"] > 1 and q["c_in"] != q["c_out"],
)
def _vgg_all_c_in(q: Params) -> Answer:
    return int(q["n_convs"] * (9 * q["c_in"] + 1) * q["c_out"])


@mistake("vgg_shapes", "no-bias", step=3, text=_NO_BIAS, applies=lambda q: q["ask"] == "params")
def _vgg_no_bias(q: Params) -> Answer:
    return int(9 * q["c_in"] * q["c_out"] + (q["n_convs"] - 1) * 9 * q["c_out"] * q["c_out"])


@torch_snippet("vgg_shapes")
def _vgg_torch(q: Params) -> str:
    c_in, c_out, n = q["c_in"], q["c_out"], q["n_convs"]
    last = (
        "print(list(block(torch.zeros(1, {c}, {h}, {h})).shape[1:]))\n".format(c=c_in, h=q["h"])
        if q["ask"] == "shape"
        else "print(sum(p.numel() for p in block.parameters()))\n"
    )
    return (
        "import torch\nfrom torch import nn\n\n"
        "layers = []\n"
        f"for i in range({n}):\n"
        f"    layers += [nn.Conv2d({c_in} if i == 0 else {c_out}, {c_out}, 3, padding=1), nn.ReLU()]\n"
        "block = nn.Sequential(*layers, nn.MaxPool2d(2, 2))\n"
        "with torch.no_grad():\n"
        f"    {last}"
    )


def _module_count(q: Params, *, biases: bool = True, kernel_area: bool = True) -> int:
    total = 0
    for layer in q["layers"]:
        if layer["type"] == "Linear":
            total += layer["in_features"] * layer["out_features"] + (
                layer["out_features"] if layer["bias"] and biases else 0
            )
        elif layer["type"] == "Conv2d":
            kk = layer["kernel_size"] ** 2 if kernel_area else 1
            total += kk * layer["in_channels"] * layer["out_channels"]
            total += layer["out_channels"] if layer["bias"] and biases else 0
    return total


@mistake(
    "module_param_count",
    "weights-only",
    step=1,
    text=_NO_BIAS,
    applies=lambda q: any(layer.get("bias") for layer in q["layers"]),
)
def _module_no_bias(q: Params) -> Answer:
    return _module_count(q, biases=False)


@mistake(
    "module_param_count",
    "forgot-kernel-area",
    step=1,
    text=Text(
        "You counted a Conv2d like a Linear layer, in·out; each filter has k·k·in weights.",
        "你把 Conv2d 当成 Linear 算成了 in·out；每个卷积核有 k·k·in 个权重。",
    ),
    applies=lambda q: any(layer["type"] == "Conv2d" and layer["kernel_size"] > 1 for layer in q["layers"]),
)
def _module_no_kernel(q: Params) -> Answer:
    return _module_count(q, kernel_area=False)


@torch_snippet("module_param_count")
def _module_torch(q: Params) -> str:
    body = "".join(f"    nn.{module_code(layer).removeprefix('nn.')},\n" for layer in q["layers"])
    return (
        f"from torch import nn\n\nmodel = nn.Sequential(\n{body})\nprint(sum(p.numel() for p in model.parameters()))\n"
    )


def _label(shape: tuple[int, ...] | None) -> str:
    return "error" if shape is None else torch_size(shape)


def _mm_as_matmul(q: Params) -> str:
    a, b = q["a"], q["b"]
    if len(a) == 2 and len(b) == 2 and a[1] != b[0]:
        return _label((a[0], b[1]))  # as if the inner sizes need not match
    return _label(matmul_result("matmul", a, b)[0])


def _as_if_matching(q: Params) -> str:
    a, b = q["a"], q["b"]
    return _label((*a[:-1], b[-1]))


def _offered(label: str, q: Params) -> bool:
    """Whether a slip's result is one of the options and wrong (a slip not offered cannot be made)."""
    return label in q["options"] and label != _label(matmul_result(q["op"], q["a"], q["b"])[0])


@mistake(
    "matmul_shape",
    "mm-like-matmul",
    step=1,
    text=Text(
        "You let torch.mm batch or broadcast like torch.matmul; torch.mm takes exactly two 2-D matrices.",
        "你让 torch.mm 像 torch.matmul 那样做批量或广播；torch.mm 只接受两个二维矩阵。",
    ),
    applies=lambda q: q["op"] == "mm" and _offered(_mm_as_matmul(q), q),
)
def _mm_broadcasts(q: Params) -> Answer:
    return [q["options"].index(_mm_as_matmul(q))]


@mistake(
    "matmul_shape",
    "inner-mismatch-ignored",
    step=1,
    text=Text(
        "You multiplied although the inner sizes differ; (n×m)·(q×p) needs m = q, otherwise it raises.",
        "内侧维度不相等却照样相乘了；(n×m)·(q×p) 要求 m = q，否则报错。",
    ),
    applies=lambda q: _offered(_as_if_matching(q), q) and matmul_result(q["op"], q["a"], q["b"])[0] is None,
)
def _matmul_mismatch(q: Params) -> Answer:
    return [q["options"].index(_as_if_matching(q))]


@torch_snippet("matmul_shape")
def _matmul_torch(q: Params) -> str:
    fn = "torch.mm" if q["op"] == "mm" else "torch.matmul"
    letters = "ABCDEFGHIJ"
    return (
        "import torch\n\n"
        f"options = {q['options']}\n"
        f"a, b = torch.zeros({tuple(q['a'])}), torch.zeros({tuple(q['b'])})\n"
        "try:\n"
        f"    result = str({fn}(a, b).shape)\n"
        "except RuntimeError as error:\n"
        "    print(error)\n"
        "    result = 'error'\n"
        "print(result)\n"
        f"print({letters!r}[options.index(result)])\n"
    )


# ---------------------------------------------------------------------------------------------
# Levels: 1 the plain cases, 2 today's mix (the default), 3 the cases with the most to compute
# ---------------------------------------------------------------------------------------------


def _depth(layers: Sequence[LayerSpec], name: str) -> int:
    return [layer.name for layer in layers].index(name)


three_levels("depthwise_separable_ratio", lambda q: (q["k"] == 5) + 2 * (q["c_out"] >= 256), hard_min=2)
three_levels("depthwise_separable_cost", lambda q: 2 * (q["ask"] in ("separable", "standard")))
three_levels("densenet_channels", lambda q: 2 * (q["ask"] == "layer_input"))
three_levels(
    "lenet_shapes",
    lambda q: _depth(lenet_layers(0), q["layer"]) + 3 * (q["ask"] == "params"),
    easy_max=1,
    hard_min=4,
)
three_levels(
    "alexnet_shapes", lambda q: _depth(ALEXNET_LAYERS, q["layer"]) + 3 * (q["ask"] == "params"), easy_max=2, hard_min=7
)
three_levels("vgg_shapes", lambda q: 2 * (q["ask"] == "params") + (q["n_convs"] > 2))
three_levels(
    "module_param_count",
    lambda q: (
        sum(layer["type"] in ("Linear", "Conv2d") for layer in q["layers"])
        + any(layer["type"] == "Conv2d" for layer in q["layers"])
    ),
    easy_max=2,
    hard_min=3,
)
three_levels("matmul_shape", lambda q: (q["op"] == "matmul") + (len(q["a"]) > 2 or len(q["b"]) > 2))


typeset_minus_signs(__name__)
