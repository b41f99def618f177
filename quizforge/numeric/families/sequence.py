"""Sequence-model families: parameter counts of ``nn.LSTM``, ``nn.GRU`` and ``nn.RNN`` and the shapes
they return.

Counts come from the closed form the worked solutions teach: per layer and direction, G gate blocks
(LSTM 4, GRU 3, RNN 1) of ``W_ih`` (G·h × input), ``W_hh`` (G·h × h) and — PyTorch's convention —
two bias vectors ``b_ih`` and ``b_hh`` of G·h each; the first layer reads the input, every later layer
reads the previous layer's output (h, or 2h when bidirectional). The torch oracles in
:mod:`quizforge.numeric.oracles.sequence` build the real modules instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from quizforge.answer import AnswerKind, Tolerance
from quizforge.numeric.base import Draft, Params, family, mistake, torch_snippet
from quizforge.numeric.families.cnn import fmt_int, fmt_shape, pick
from quizforge.text import Text

GATES = {"LSTM": 4, "GRU": 3, "RNN": 1}
_GATE_NAMES = {
    "LSTM": Text("input, forget, cell (candidate) and output gates", "输入门、遗忘门、候选记忆（cell）和输出门"),
    "GRU": Text("reset, update and new (candidate) gates", "重置门、更新门和候选状态"),
    "RNN": Text("one tanh update", "一个 tanh 更新"),
}
_SIZES = [8, 10, 16, 20, 32, 50, 64, 100, 128, 200, 256, 300, 512]


@dataclass(frozen=True)
class RecurrentShape:
    """What a parameter count depends on (the params of the three recurrent families)."""

    input_size: int
    hidden_size: int
    num_layers: int
    bias: bool
    bidirectional: bool

    @classmethod
    def of(cls, p: Params) -> RecurrentShape:
        return cls(p["input_size"], p["hidden_size"], p["num_layers"], p["bias"], p["bidirectional"])

    @property
    def directions(self) -> int:
        return 2 if self.bidirectional else 1

    def layer_input(self, layer: int) -> int:
        """Input width of ``layer`` (0-based): the data for the first, the previous layer's output after."""
        return self.input_size if layer == 0 else self.directions * self.hidden_size


def recurrent_count(
    s: RecurrentShape, gates: int, *, bias_vectors: int = 2, recurrent: bool = True, upper_reads_input: bool = False
) -> int:
    """Parameters of a recurrent stack with ``gates`` gate blocks; the keywords produce the named mistakes."""
    h = s.hidden_size
    total = 0
    for layer in range(s.num_layers):
        width = s.input_size if upper_reads_input else s.layer_input(layer)
        per_direction = gates * h * width + (gates * h * h if recurrent else 0)
        if s.bias:
            per_direction += bias_vectors * gates * h
        total += s.directions * per_direction
    return total


def _draw_recurrent_shape(rng: np.random.Generator, level: int) -> RecurrentShape:
    """Level 1: one layer, one direction, with biases; 2: a stack; 3: a bidirectional stack."""
    x = pick(rng, _SIZES)
    h = pick(rng, [v for v in _SIZES if v != x])
    if level == 1:
        return RecurrentShape(x, h, 1, True, False)
    layers = pick(rng, [2, 2, 3])
    bias = bool(rng.integers(8))  # bias=False one time in eight: rare in practice, worth seeing
    return RecurrentShape(x, h, layers, bias, level == 3)


def _recurrent_draft(mode: str, s: RecurrentShape) -> Draft:
    g = GATES[mode]
    h, d = s.hidden_size, s.directions
    call = f"nn.{mode}(input_size={s.input_size}, hidden_size={h}, num_layers={s.num_layers}"
    if not s.bias:
        call += ", bias=False"
    if s.bidirectional:
        call += ", bidirectional=True"
    call += ")"
    prompt = Text(
        f"How many learnable parameters does {call} have?",
        f"{call} 一共有多少个可学习参数？",
    )
    gate_en, gate_zh = _GATE_NAMES[mode].en, _GATE_NAMES[mode].zh
    bias_en = f" + 2·{g}·{h} (b_ih and b_hh: PyTorch keeps two bias vectors)" if s.bias else " (bias=False: no biases)"
    bias_zh = f"+ 2·{g}·{h}（b_ih 和 b_hh：PyTorch 保留两个偏置向量）" if s.bias else "（bias=False：没有偏置）"
    en = [
        f"1. One layer and direction of {mode} has {g} {'gate blocks' if g > 1 else 'block'} ({gate_en}): "
        f"W_ih ({g}·{h} × input) + "
        f"W_hh ({g}·{h} × {h}){bias_en}."
    ]
    zh = [f"1. {mode} 每层每个方向有 {g} 组（{gate_zh}）：W_ih（{g}·{h} × 输入宽度）+ W_hh（{g}·{h} × {h}）{bias_zh}。"]
    lines_en, lines_zh = [], []
    for layer in range(s.num_layers):
        width = s.layer_input(layer)
        per = g * h * (width + h) + (2 * g * h if s.bias else 0)
        b = f" + 2·{g}·{h}" if s.bias else ""
        lines_en.append(f"layer {layer + 1}: input {width}: {g}·{h}·({width} + {h}){b} = {fmt_int(per)} per direction")
        lines_zh.append(f"第 {layer + 1} 层：输入宽度 {width}：{g}·{h}·({width} + {h}){b} = {fmt_int(per)}（每个方向）")
    upper_en = (
        f" (layers after the first read the previous layer's output, {d}·{h} = {d * h} wide)"
        if s.num_layers > 1
        else ""
    )
    upper_zh = f"（第 2 层起读入上一层的输出，宽度 {d}·{h} = {d * h}）" if s.num_layers > 1 else ""
    en.append(f"2. Per layer{upper_en}: " + "; ".join(lines_en) + ".")
    zh.append(f"2. 逐层计算{upper_zh}：" + "；".join(lines_zh) + "。")
    total = recurrent_count(s, g)
    dir_en = " × 2 directions" if s.bidirectional else ""
    dir_zh = " × 2 个方向" if s.bidirectional else ""
    en.append(f"3. Sum over layers{dir_en}: {fmt_int(total)}.")
    zh.append(f"3. 各层相加{dir_zh}：{fmt_int(total)}。")
    return Draft(
        params={
            "input_size": s.input_size,
            "hidden_size": h,
            "num_layers": s.num_layers,
            "bias": s.bias,
            "bidirectional": s.bidirectional,
        },
        prompt=prompt,
        answer=total,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=Text("\n".join(en) + f"\nAnswer: {fmt_int(total)}.", "\n".join(zh) + f"\n答案：{fmt_int(total)}。"),
    )


@family(
    "lstm_params",
    topic="seq.rnn",
    title=Text("Parameters of nn.LSTM", "nn.LSTM 的参数量"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_lstm_params(rng: np.random.Generator, level: int) -> Draft:
    """4h(x + h) + 8h per layer and direction; a stack's upper layers read h (2h bidirectional)."""
    return _recurrent_draft("LSTM", _draw_recurrent_shape(rng, level))


@family(
    "gru_params",
    topic="seq.rnn",
    title=Text("Parameters of nn.GRU", "nn.GRU 的参数量"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_gru_params(rng: np.random.Generator, level: int) -> Draft:
    """3h(x + h) + 6h per layer and direction."""
    return _recurrent_draft("GRU", _draw_recurrent_shape(rng, level))


@family(
    "rnn_params",
    topic="seq.rnn",
    title=Text("Parameters of nn.RNN", "nn.RNN 的参数量"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_rnn_params(rng: np.random.Generator, level: int) -> Draft:
    """h(x + h) + 2h per layer and direction."""
    return _recurrent_draft("RNN", _draw_recurrent_shape(rng, level))


_ONE_BIAS = Text(
    "You counted one bias vector per gate block; PyTorch keeps two (b_ih and b_hh), so biases are 2·G·h per "
    "layer and direction.",
    "你每组门只算了一个偏置向量；PyTorch 有两个（b_ih 和 b_hh），每层每个方向的偏置是 2·G·h。",
)
_ONE_BIAS_GRU = Text(
    "You counted one bias vector per gate block; nn.GRU keeps b_ih and b_hh (and they are not redundant: "
    "b_hn sits inside r ⊙ (W_hn h + b_hn)).",
    "你每组门只算了一个偏置；nn.GRU 有 b_ih 和 b_hh 两个（而且并不冗余：b_hn 在 r ⊙ (W_hn h + b_hn) 里面）。",
)
_NO_RECURRENT = Text(
    "You left out the recurrent weights W_hh (G·h × h): every gate also reads the previous hidden state.",
    "你漏掉了循环权重 W_hh（G·h × h）：每个门还要读入上一时刻的隐藏状态。",
)
# The gate count of the other gated cell, which people mix up: (mistake id, gates, text).
_OTHER_CELL = {
    "LSTM": (
        "three-gates",
        3,
        Text(
            "You counted three gate blocks, as in a GRU; an LSTM has four (input, forget, cell candidate, output).",
            "你按 GRU 算了三组门；LSTM 有四组（输入门、遗忘门、候选记忆、输出门）。",
        ),
    ),
    "GRU": (
        "four-gates",
        4,
        Text(
            "You counted four gate blocks, as in an LSTM; a GRU has three (reset, update, new).",
            "你按 LSTM 算了四组门；GRU 只有三组（重置门、更新门、候选状态）。",
        ),
    ),
}


def _count_with(gates: int, *, bias_vectors: int = 2, recurrent: bool = True) -> Callable[[Params], int]:
    """A mistake's answer: the count with ``gates`` blocks, ``bias_vectors`` biases, with or without W_hh."""

    def count(p: Params) -> int:
        return recurrent_count(RecurrentShape.of(p), gates, bias_vectors=bias_vectors, recurrent=recurrent)

    return count


def _recurrent_snippet(mode: str) -> Callable[[Params], str]:
    def snippet(p: Params) -> str:
        return (
            "import torch.nn as nn\n"
            f"m = nn.{mode}(input_size={p['input_size']}, hidden_size={p['hidden_size']}, "
            f"num_layers={p['num_layers']}, bias={p['bias']}, bidirectional={p['bidirectional']})\n"
            "print(sum(p.numel() for p in m.parameters()))\n"
        )

    return snippet


# The three parameter-count families share their named mistakes and their snippet, cell type aside.
for _mode, _name in (("LSTM", "lstm_params"), ("GRU", "gru_params"), ("RNN", "rnn_params")):
    _gates = GATES[_mode]
    mistake(_name, "one-bias-vector", step=1, text=_ONE_BIAS_GRU if _mode == "GRU" else _ONE_BIAS)(
        _count_with(_gates, bias_vectors=1)
    )
    mistake(_name, "no-recurrent-weights", step=1, text=_NO_RECURRENT)(_count_with(_gates, recurrent=False))
    if _mode in _OTHER_CELL:
        _id, _other, _text = _OTHER_CELL[_mode]
        mistake(_name, _id, step=1, text=_text)(_count_with(_other))
    torch_snippet(_name)(_recurrent_snippet(_mode))


# ---------------------------------------------------------------------------------------------
# Output shapes
# ---------------------------------------------------------------------------------------------


def rnn_shape(p: Params, *, swap: bool = False, last: int | None = None) -> tuple[int, ...]:
    """The shape of ``output`` or ``h_n``; ``swap``/``last`` produce the named mistakes."""
    d = 2 if p["bidirectional"] else 1
    if p["tensor"] == "output":
        first, second, width = p["seq_len"], p["batch"], d * p["hidden_size"]
        if p["batch_first"]:
            first, second = second, first
    else:  # h_n is (num_layers·directions, batch, hidden) whatever batch_first says
        first, second, width = d * p["num_layers"], p["batch"], p["hidden_size"]
    if swap:
        first, second = second, first
    return (first, second, width if last is None else last)


@family(
    "rnn_output_shape",
    topic="seq.rnn",
    title=Text("Output shapes of nn.LSTM / nn.GRU / nn.RNN", "nn.LSTM / nn.GRU / nn.RNN 的输出形状"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_rnn_output_shape(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: ``output`` with the default batch_first=False; 2: bidirectional or batch_first; 3: ``h_n``."""
    while True:
        mode = pick(rng, ["LSTM", "GRU", "RNN"])
        # Small sizes: the answer is about which axis is which, and the oracle runs the real module.
        seq_len = pick(rng, [5, 6, 7, 9, 10, 12, 15, 20])
        batch = pick(rng, [2, 3, 4, 8, 16])
        x = pick(rng, [8, 10, 16, 20, 32])
        h = pick(rng, [12, 16, 24, 32, 48])
        layers = pick(rng, [1, 2]) if level < 3 else pick(rng, [2, 3])
        bidir = level > 1 and bool(rng.integers(2))
        batch_first = level > 1 and bool(rng.integers(2))
        p: Params = {
            "mode": mode,
            "seq_len": seq_len,
            "batch": batch,
            "input_size": x,
            "hidden_size": h,
            "num_layers": layers,
            "bidirectional": bidir,
            "batch_first": batch_first,
            "tensor": "output" if level < 3 else "h_n",
        }
        right = rnn_shape(p)
        # Every named mistake must give a different shape on this instance.
        if rnn_shape(p, swap=True) != right and rnn_shape(p, last=x) != right:
            break
    d = 2 if bidir else 1
    call = f"nn.{mode}(input_size={x}, hidden_size={h}, num_layers={layers}"
    call += ", bidirectional=True" if bidir else ""
    call += ", batch_first=True" if batch_first else ""
    call += ")"
    x_shape = (batch, seq_len, x) if batch_first else (seq_len, batch, x)
    what_en = "output (the first value returned)" if p["tensor"] == "output" else "h_n (the final hidden state)"
    what_zh = "output（返回的第一个值）" if p["tensor"] == "output" else "h_n（最后时刻的隐藏状态）"
    prompt = Text(
        f"m = {call} is applied to an input x of shape {fmt_shape(x_shape)} "
        f"(sequence length {seq_len}, batch {batch}). What is the shape of {what_en}? Answer like 10×4×32.",
        f"m = {call}，输入 x 的形状为 {fmt_shape(x_shape)}（序列长度 {seq_len}，批量大小 {batch}）。"
        f"{what_zh}的形状是什么？按 10×4×32 的格式作答。",
    )
    layout_en = "(batch, seq, feature)" if batch_first else "(seq, batch, feature), the default batch_first=False"
    layout_zh = "(batch, seq, feature)" if batch_first else "(seq, batch, feature)，即默认的 batch_first=False"
    if p["tensor"] == "output":
        en = [
            f"1. The input layout is {layout_en}; output uses the same layout.",
            "2. output holds the top layer's hidden state at every time step"
            + (f", both directions concatenated: feature size 2·{h} = {d * h}." if bidir else f": feature size {h}."),
        ]
        zh = [
            f"1. 输入布局是 {layout_zh}；output 的布局与输入相同。",
            "2. output 是最上面一层在每个时间步的隐藏状态"
            + (f"，两个方向拼接：特征维度 2·{h} = {d * h}。" if bidir else f"：特征维度 {h}。"),
        ]
    else:
        en = [
            "1. h_n is always (num_layers·directions, batch, hidden): batch_first does not apply to h_n.",
            f"2. num_layers·directions = {layers}·{d} = {layers * d}; batch {batch}; hidden {h}.",
        ]
        zh = [
            "1. h_n 的形状总是 (num_layers·directions, batch, hidden)：batch_first 对 h_n 不起作用。",
            f"2. num_layers·directions = {layers}·{d} = {layers * d}；批量 {batch}；隐藏维度 {h}。",
        ]
    shape = fmt_shape(right)
    return Draft(
        params=p,
        prompt=prompt,
        answer=right,
        answer_kind=AnswerKind.SHAPE,
        solution=Text("\n".join(en) + f"\nAnswer: {shape}.", "\n".join(zh) + f"\n答案：{shape}。"),
    )


@mistake(
    "rnn_output_shape",
    "swapped-batch-and-time",
    step=1,
    text=Text(
        "You swapped the batch and time axes: nn.LSTM/GRU/RNN default to batch_first=False, and h_n is "
        "(layers·directions, batch, hidden) whatever batch_first says.",
        "你把批量维和时间维弄反了：nn.LSTM/GRU/RNN 默认 batch_first=False，而 h_n 不论 batch_first 如何都是 "
        "(层数·方向数, batch, hidden)。",
    ),
)
def _shape_swapped(p: Params) -> tuple[int, ...]:
    return rnn_shape(p, swap=True)


@mistake(
    "rnn_output_shape",
    "feature-is-input-size",
    step=2,
    text=Text(
        "You kept the input's feature size; the returned states have hidden_size features (×2 for a "
        "bidirectional output).",
        "你沿用了输入的特征维度；返回的隐藏状态特征维度是 hidden_size（双向的 output 还要 ×2）。",
    ),
)
def _shape_input_size(p: Params) -> tuple[int, ...]:
    return rnn_shape(p, last=p["input_size"])


@torch_snippet("rnn_output_shape")
def _shape_snippet(p: Params) -> str:
    x_shape = (p["batch"], p["seq_len"], p["input_size"]) if p["batch_first"] else (
        p["seq_len"], p["batch"], p["input_size"])  # fmt: skip
    pick_out = "out" if p["tensor"] == "output" else ("h_n[0]" if p["mode"] == "LSTM" else "h_n")
    return (
        "import torch\nimport torch.nn as nn\n"
        f"m = nn.{p['mode']}({p['input_size']}, {p['hidden_size']}, num_layers={p['num_layers']}, "
        f"bidirectional={p['bidirectional']}, batch_first={p['batch_first']})\n"
        f"out, h_n = m(torch.zeros{x_shape})\n"
        f"print('×'.join(map(str, {pick_out}.shape)))\n"
    )
