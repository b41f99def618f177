"""Every number stated in the CNN-basics and classic-architecture cards, recomputed with torch.

The cards live in question_bank/cnn_why.yaml, cnn_conv.yaml, cnn_pool.yaml, cnn_receptive_field.yaml, cnn_1x1.yaml
and arch_classic.yaml. Every number in a card's text (prompt, answer, key points, choices, explanation, solution,
both languages) must be one of:

- a small structural integer 0–10 (kernel sizes, strides, counts); the ones that are claims rather than settings
  (receptive fields, output sizes, depths) are asserted as facts too, by `CLAIMS` or a dedicated test;
- part of a model name (VGG-16, ResNet-50, CIFAR-10), whose depth is checked where it matters;
- a year, or a documented given of that card (`GIVENS`: an input of the question, a layer width that defines an
  architecture, a constant quoted from a paper);
- a fact computed here (`facts()`): networks are built layer by layer with torch.nn (torchvision is not available),
  parameters counted, shapes traced by running tensors (on the meta device for the big networks), MACs counted from
  real output shapes with forward hooks, receptive fields measured by back-propagating from one output unit.

A computed fact must appear in its card exactly as it rounds, so a wrong or stale number fails; numeric cards'
answers are compared with the computed value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import cache, partial
from typing import Any, TypeVar

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from tests.bank import facts as bank
from tests.bank.facts import NUMBER_GROUPED, card_numbers, card_texts, is_structural

M = TypeVar("M", bound=nn.Module)

pytestmark = pytest.mark.torch

FILES = (
    "cnn_why.yaml",
    "cnn_conv.yaml",
    "cnn_pool.yaml",
    "cnn_receptive_field.yaml",
    "cnn_1x1.yaml",
    "arch_classic.yaml",
)
PREFIXES = {
    "cnn.why": "why-",
    "cnn.conv": "conv-",
    "cnn.pool": "pool-",
    "cnn.receptive_field": "rf-",
    "cnn.1x1": "1x1-",
    "arch.lenet": "lenet-",
    "arch.alexnet": "alexnet-",
    "arch.vgg": "vgg",  # vgg- and vgg16-
    "arch.nin": "nin-",
}

# -------------------------------------------------------------------------------------------------
# Reading the cards
# -------------------------------------------------------------------------------------------------


load_cards, card = bank.card_loaders(FILES)


# Model names carry numbers that are names, not claims.
MODEL_NAME = re.compile(r"\b(?:ResNet|VGG|DenseNet|LeNet|CIFAR)-\d+")


def numbers_in(q: dict[str, Any]) -> set[str]:
    """Every number token in a card's text, with thousands separators removed and model names skipped."""
    return card_numbers(q, NUMBER_GROUPED, MODEL_NAME)


# -------------------------------------------------------------------------------------------------
# Measuring tools
# -------------------------------------------------------------------------------------------------


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def out_shape(model: nn.Module, *shape: int) -> tuple[int, ...]:
    """Output shape of a forward pass on the meta device (shapes without arithmetic)."""
    with torch.no_grad():
        return tuple(model.to("meta")(torch.empty(*shape, device="meta")).shape)


def trace(layers: Sequence[nn.Module], *shape: int) -> list[tuple[int, ...]]:
    """Shape after every layer, on the meta device."""
    x = torch.empty(*shape, device="meta")
    shapes = []
    with torch.no_grad():
        for layer in layers:
            x = layer.to("meta")(x)
            shapes.append(tuple(x.shape))
    return shapes


def macs(model: nn.Module, *shape: int) -> dict[str, int]:
    """Multiply-accumulates of conv and linear layers (biases excluded), from the real output shapes."""
    out = {"conv": 0, "fc": 0}

    def hook(mod: nn.Module, _inp: tuple[torch.Tensor, ...], y: torch.Tensor) -> None:
        if isinstance(mod, nn.Conv2d):
            per_output = mod.in_channels // mod.groups * mod.kernel_size[0] * mod.kernel_size[1]
            out["conv"] += y.numel() * per_output
        elif isinstance(mod, nn.Linear):
            out["fc"] += y.numel() * mod.in_features

    model = model.to("meta")
    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    try:
        with torch.no_grad():
            model(torch.empty(*shape, device="meta"))
    finally:
        for h in handles:
            h.remove()
    return out


def receptive_field(layers: Sequence[nn.Module], size: int = 64) -> int:
    """Side length of the input region that influences the centre output unit, measured by back-propagation.

    Conv weights are set to 1 and the input is positive, so no path cancels; max-pools are measured as average
    pools of the same geometry (a max routes its gradient to a single winner, which would hide the window).
    """
    seq: list[nn.Module] = []
    for layer in layers:
        if isinstance(layer, nn.MaxPool2d):
            layer = nn.AvgPool2d(layer.kernel_size, layer.stride, layer.padding)
        if isinstance(layer, nn.Conv2d):
            nn.init.ones_(layer.weight)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
        seq.append(layer)
    net = nn.Sequential(*seq)
    x = torch.rand(1, 1, size, size, dtype=torch.float64) + 0.5
    x.requires_grad_(True)
    y = net.double()(x)
    h, w = y.shape[2:]
    y[0, 0, h // 2, w // 2].backward()
    assert x.grad is not None
    rows = x.grad[0, 0].abs().sum(dim=1).nonzero().flatten()
    cols = x.grad[0, 0].abs().sum(dim=0).nonzero().flatten()
    side = int(rows.max() - rows.min() + 1)
    assert side == int(cols.max() - cols.min() + 1)
    assert rows.min() > 0 and rows.max() < size - 1, "measurement window too small"
    return side


def conv(c_in: int, c_out: int, k: int, **kw: Any) -> nn.Conv2d:
    return nn.Conv2d(c_in, c_out, k, **kw)


def conv1(k: int, **kw: Any) -> nn.Conv2d:
    """A single-channel conv, for geometry."""
    return nn.Conv2d(1, 1, k, **kw)


# -------------------------------------------------------------------------------------------------
# Networks built layer by layer
# -------------------------------------------------------------------------------------------------


def lenet5() -> nn.Sequential:
    """Modern LeNet-5: full C3, parameter-free pooling, linear output layer."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2, 2),  # C1, S2
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2, 2),  # C3, S4
        nn.Conv2d(16, 120, 5), nn.Tanh(), nn.Flatten(),  # C5
        nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10),  # F6, output
    )  # fmt: skip


# LeCun et al. 1998, Table I: the S2 maps each C3 map takes as input.
C3_TABLE = [
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (4, 5, 0), (5, 0, 1),
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (3, 4, 5, 0), (4, 5, 0, 1), (5, 0, 1, 2),
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
]  # fmt: skip


class SparseC3(nn.Module):
    """The original C3: one 5×5 conv per output map over its subset of S2 maps."""

    def __init__(self) -> None:
        super().__init__()
        self.maps = nn.ModuleList(nn.Conv2d(len(inputs), 1, 5) for inputs in C3_TABLE)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([m(x[:, list(inputs)]) for m, inputs in zip(self.maps, C3_TABLE, strict=True)], dim=1)


class Subsample(nn.Module):
    """The original S2/S4: sum of each 2×2 window × a trainable coefficient + a trainable bias, per map."""

    def __init__(self, maps: int) -> None:
        super().__init__()
        self.coef = nn.Parameter(torch.ones(maps))
        self.bias = nn.Parameter(torch.zeros(maps))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = 4 * F.avg_pool2d(x, 2, 2)
        return torch.tanh(s * self.coef.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1))


def lenet5_original() -> nn.Sequential:
    """The 1998 network's trainable layers (the RBF output layer's parameters were fixed, not trained)."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), Subsample(6), SparseC3(), Subsample(16), nn.Conv2d(16, 120, 5), nn.Flatten(),
        nn.Linear(120, 84),
    )  # fmt: skip


def alexnet_features(groups: int = 1) -> list[nn.Module]:
    """AlexNet's conv part on a 227×227 input; groups=2 is the original two-GPU connectivity."""
    return [
        nn.Conv2d(3, 96, 11, stride=4), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(96, 256, 5, padding=2, groups=groups), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 384, 3, padding=1, groups=groups), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1, groups=groups), nn.ReLU(), nn.MaxPool2d(3, 2),
    ]  # fmt: skip


def fc_head(n_in: int) -> list[nn.Module]:
    return [
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(n_in, 4096), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4096, 4096),
        nn.ReLU(), nn.Linear(4096, 1000),
    ]  # fmt: skip


def alexnet(groups: int = 1) -> nn.Sequential:
    return nn.Sequential(*alexnet_features(groups), *fc_head(256 * 6 * 6))


# Simonyan & Zisserman 2014, Table 1. An int is a 3×3 conv with that many channels, (1, c) a 1×1 conv, "M" a pool.
VGG_CONFIGS: dict[str, list[Any]] = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "C": [64, 64, "M", 128, 128, "M", 256, 256, (1, 256), "M", 512, 512, (1, 512), "M", 512, 512, (1, 512), "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


def vgg_blocks(config: str) -> list[nn.Sequential]:
    """The conv blocks of a VGG configuration, each ending in its 2×2/2 max-pool."""
    blocks: list[nn.Sequential] = []
    layers: list[nn.Module] = []
    c = 3
    for v in VGG_CONFIGS[config]:
        if v == "M":
            blocks.append(nn.Sequential(*layers, nn.MaxPool2d(2, 2)))
            layers = []
            continue
        k, width = v if isinstance(v, tuple) else (3, v)
        layers += [nn.Conv2d(c, width, k, padding=k // 2), nn.ReLU()]
        c = width
    return blocks


def vgg(config: str) -> nn.Sequential:
    return nn.Sequential(*vgg_blocks(config), *fc_head(512 * 7 * 7))


def weighted_layers(model: nn.Module) -> int:
    return sum(isinstance(m, (nn.Conv2d, nn.Linear)) for m in model.modules())


def nin_block(c_in: int, c_out: int, k: int, stride: int, padding: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, k, stride, padding), nn.ReLU(),
        nn.Conv2d(c_out, c_out, 1), nn.ReLU(), nn.Conv2d(c_out, c_out, 1), nn.ReLU(),
    )  # fmt: skip


def nin(classes: int = 1000) -> nn.Sequential:
    """The ImageNet NiN of Dive into Deep Learning, with RGB input."""
    return nn.Sequential(
        nin_block(3, 96, 11, 4, 0), nn.MaxPool2d(3, 2),
        nin_block(96, 256, 5, 1, 2), nn.MaxPool2d(3, 2),
        nin_block(256, 384, 3, 1, 1), nn.MaxPool2d(3, 2), nn.Dropout(0.5),
        nin_block(384, classes, 3, 1, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
    )  # fmt: skip


def meta(build: Callable[[], M]) -> M:
    """Build on the meta device: parameter counts and shapes without allocating VGG's 138 M floats."""
    with torch.device("meta"):
        return build()


def f1(x: float) -> str:
    return f"{x:.1f}"


def pct(x: float) -> str:
    return f"{100 * x:.0f}"


# -------------------------------------------------------------------------------------------------
# Facts: name -> the token as it must appear in the card (thousands separators removed)
# -------------------------------------------------------------------------------------------------


@cache
def facts() -> dict[str, str]:
    fx: dict[str, str] = {}

    # --- cnn.why: fully connected layers on images, weight sharing.
    rgb32 = torch.zeros(1, 3, 32, 32).flatten(1).shape[1]
    fc4096 = nn.Linear(rgb32, 4096)
    shared = nn.Conv2d(3, 64, 3, padding=1)
    positions = out_shape(nn.Conv2d(3, 64, 3, padding=1), 1, 3, 32, 32)[2:]
    # A locally connected layer: one 3×3×3→64 weight block per output position (built explicitly).
    patches = nn.Unfold(3, padding=1)(torch.zeros(1, 3, 32, 32))  # (1, 27, positions)
    local_weights = torch.empty(patches.shape[2], 64, patches.shape[1])
    assert out_shape(nn.Conv2d(3, 64, 3, padding=1), 1, 3, 1024, 1024)[2:] == (1024, 1024)  # same module, big image
    fx |= {
        "why.neuron": str(nn.Linear(rgb32, 1).weight.numel()),
        "why.layer": str(fc4096.weight.numel()),
        "why.layer.M": f1(fc4096.weight.numel() / 1e6),
        "why.grey32": str(torch.zeros(1, 1, 32, 32).numel()),
        "why.kernel27": str(nn.Conv2d(3, 1, 3).weight.numel()),
        "why.conv3to64": str(n_params(shared)),
        "why.shared": str(shared.weight.numel()),
        "why.positions": str(positions[0] * positions[1]),
        "why.local": str(local_weights.numel()),
    }

    # --- cnn.conv
    fx |= {
        "conv.32k5": str(out_shape(conv1(5), 1, 1, 32, 32)[2]),
        "conv.32k5.noplus1": str((32 - 5) // 1),
        "conv.32k3": str(out_shape(conv1(3), 1, 1, 32, 32)[2]),
    }
    c23 = nn.Conv2d(2, 3, 3)
    fx |= {
        "conv23.weights": str(c23.weight.numel()),
        "conv23.total": str(n_params(c23)),
        "conv23.per_out": str(c23.weight[0].numel()),
        # The lecture note's mistake: a bias per (input, output) channel pair.
        "conv23.trap": str(c23.weight.numel() + c23.in_channels * c23.out_channels),
    }
    c1632 = nn.Conv2d(16, 32, 3)
    assert c1632.bias is not None
    fx |= {
        "conv1632.bias": str(c1632.bias.numel()),
        "conv1632.pairs": str(c1632.in_channels * c1632.out_channels),
        "conv1632.total": str(n_params(c1632)),
    }
    fx |= {
        "conv.stem": str(out_shape(conv1(7, stride=2, padding=3), 1, 1, 224, 224)[2]),
        "conv.stem.num": str(224 + 2 * 3 - 7),
        "conv.stem.half": str((224 + 2 * 3 - 7) // 2),
    }
    batch = out_shape(nn.Conv2d(3, 16, 5, stride=2, padding=2), 8, 3, 64, 64)
    fx |= {
        "conv.batch.shape": str(list(batch)),
        "conv.batch.num": str(64 + 2 * 2 - 5),
        "conv.batch.half": str((64 + 2 * 2 - 5) // 2),
        "conv.batch.hw": str(batch[2]),
        "conv.batch.c": str(batch[1]),
    }
    fx["conv.dilated"] = str(out_shape(conv1(3, dilation=2), 1, 1, 32, 32)[2])
    c56 = nn.Conv2d(64, 128, 3, padding=1)
    m56 = macs(nn.Conv2d(64, 128, 3, padding=1), 1, 64, 56, 56)["conv"]
    fx |= {
        "conv56.macs": str(m56),
        "conv56.macs.M": f1(m56 / 1e6),
        "conv56.per_output": str(c56.weight[0].numel()),
        "conv56.outputs": str(math.prod(out_shape(nn.Conv2d(64, 128, 3, padding=1), 1, 64, 56, 56))),
        "conv56.params": str(n_params(c56)),
    }

    # --- cnn.pool
    fx |= {
        "pool.alex": str(out_shape(nn.MaxPool2d(3, 2), 1, 96, 55, 55)[2]),
        "pool.alex.num": str(55 - 3),
        "pool.alex.half": str((55 - 3) // 2),
        "pool.default": str(out_shape(nn.MaxPool2d(3), 1, 8, 7, 7)[2]),
        "pool.default.wrong": str(out_shape(nn.MaxPool2d(3, 1), 1, 8, 7, 7)[2]),
        "pool.gap.flat": str(torch.zeros(1, 512, 7, 7).flatten(1).shape[1]),
        "pool.avg3s2": str(out_shape(nn.AvgPool2d(3, 2), 1, 512, 7, 7)[2]),
        "pool.depthwise2x2": str(nn.Conv2d(64, 64, 2, groups=64, bias=False).weight.numel()),
    }

    # --- cnn.receptive_field
    def per_c2(*convs: nn.Conv2d, c: int = 8) -> int:
        total = sum(m.weight.numel() for m in convs)
        assert total % (c * c) == 0
        return total // (c * c)

    w33 = per_c2(*(nn.Conv2d(8, 8, 3, bias=False) for _ in range(2)))
    w333 = per_c2(*(nn.Conv2d(8, 8, 3, bias=False) for _ in range(3)))
    w5 = per_c2(nn.Conv2d(8, 8, 5, bias=False))
    w7 = per_c2(nn.Conv2d(8, 8, 7, bias=False))
    stack = [conv1(3), conv1(3), nn.MaxPool2d(2, 2), conv1(3)]
    fx |= {
        "rf.two3x3": str(receptive_field([conv1(3), conv1(3)])),
        "rf.three3x3": str(receptive_field([conv1(3), conv1(3), conv1(3)])),
        "rf.w33": str(w33),
        "rf.w333": str(w333),
        "rf.w5": str(w5),
        "rf.w7": str(w7),
        "rf.saving5": pct(1 - w33 / w5),
        "rf.saving7": pct(1 - w333 / w7),
        "rf.product": str(3 * 3 * 3),
        "rf.dilated1": str(receptive_field([conv1(3, dilation=2)])),
        "rf.w5x5": str(conv1(5).weight.numel()),
        "rf.stack": str(receptive_field(stack)),
        "rf.stack.trace": " ".join(str(receptive_field(stack[:i])) for i in range(1, 5)),
        "rf.dilated_stack": str(receptive_field([conv1(3, dilation=d) for d in (1, 2, 4)])),
    }
    c64 = [nn.Conv2d(64, 64, 3, bias=False) for _ in range(3)]
    fx |= {
        "rf64.one": str(c64[0].weight.numel()),
        "rf64.three": str(sum(m.weight.numel() for m in c64)),
        "rf64.7x7": str(nn.Conv2d(64, 64, 7, bias=False).weight.numel()),
    }

    # --- cnn.1x1: the Inception 5×5 branch, with and without a 1×1 reduction to 16 channels.
    naive = macs(nn.Conv2d(192, 32, 5, padding=2, bias=False), 1, 192, 28, 28)["conv"]
    reduce_ = macs(nn.Conv2d(192, 16, 1, bias=False), 1, 192, 28, 28)["conv"]
    conv5 = macs(nn.Conv2d(16, 32, 5, padding=2, bias=False), 1, 16, 28, 28)["conv"]
    fx |= {
        "inc.naive": str(naive),
        "inc.naive.M": f1(naive / 1e6),
        "inc.reduce": str(reduce_),
        "inc.conv5": str(conv5),
        "inc.conv5.per_output": str(nn.Conv2d(16, 32, 5).weight[0].numel()),
        "inc.total": str(reduce_ + conv5),
        "inc.total.M": f1((reduce_ + conv5) / 1e6),
        "inc.ratio": f1(naive / (reduce_ + conv5)),
    }
    c1 = nn.Conv2d(256, 64, 1)
    fx |= {
        "1x1.256to64": str(n_params(c1)),
        "1x1.256to64.w": str(c1.weight.numel()),
        "1x1.3x3same": str(n_params(nn.Conv2d(256, 64, 3))),
        "1x1.sum": str(256 + 64),
        "1x1.shape": str(out_shape(nn.Conv2d(192, 16, 1), 1, 192, 28, 28)[2]),
        "1x1.2x2": str(out_shape(nn.Conv2d(192, 16, 2), 1, 192, 28, 28)[2]),
    }
    block = [nn.Conv2d(256, 64, 1, bias=False), nn.Conv2d(64, 64, 3, bias=False), nn.Conv2d(64, 256, 1, bias=False)]
    plain = nn.Conv2d(256, 256, 3, bias=False)
    bw = sum(m.weight.numel() for m in block)
    fx |= {
        "bneck.reduce": str(block[0].weight.numel()),
        "bneck.mid": str(block[1].weight.numel()),
        "bneck.total": str(bw),
        "bneck.plain": str(plain.weight.numel()),
        "bneck.ratio": f1(plain.weight.numel() / bw),
    }
    c512 = nn.Conv2d(512, 128, 1)
    fx |= {
        "1x1.512to128": str(n_params(c512)),
        "1x1.512to128.w": str(c512.weight.numel()),
        "1x1.512to128.fan": str(c512.weight[0].numel() + 1),
    }

    # --- arch.lenet
    net = lenet5()
    shapes = trace(list(lenet5()), 1, 1, 32, 32)
    layer_params = [n_params(m) for m in net if n_params(m)]
    c1_out = out_shape(nn.Conv2d(1, 6, 5), 1, 1, 32, 32)
    original = lenet5_original()
    c3_sparse, lenet_c3, lenet_c5 = original[2], net[3], net[6]
    assert isinstance(c3_sparse, SparseC3)
    assert isinstance(lenet_c3, nn.Conv2d) and isinstance(lenet_c5, nn.Conv2d)
    fx |= {
        "lenet.c1": str(shapes[0][2]),
        "lenet.s2": str(shapes[2][2]),
        "lenet.c3": str(shapes[3][2]),
        "lenet.s4": str(shapes[5][2]),
        "lenet.s4.shape": str(list(shapes[5][1:])),
        "lenet.c5": str(shapes[6][2]),
        "lenet.c1.params": str(layer_params[0]),
        "lenet.c3.params": str(layer_params[1]),
        "lenet.c3.weights": str(lenet_c3.weight.numel()),
        "lenet.c3.per_out": str(lenet_c3.weight[0].numel() + 1),
        "lenet.c3.one_channel": str((5 * 5 + 1) * 16),
        "lenet.c5.params": str(layer_params[2]),
        "lenet.c5.per_out": str(lenet_c5.weight[0].numel() + 1),
        "lenet.f6.params": str(layer_params[3]),
        "lenet.out.params": str(layer_params[4]),
        "lenet.total": str(n_params(net)),
        "lenet.original": str(n_params(original)),
        "lenet.original.thousands": f"{n_params(original) / 1000:.0f}",
        "lenet.c3.sparse": str(n_params(c3_sparse)),
        "lenet.c3.sparse.inputs": str(sum(len(t) for t in C3_TABLE)),
        "lenet.c3.sparse.weights": str(sum(p.numel() for name, p in c3_sparse.named_parameters() if "weight" in name)),
        "lenet.c1.outputs": str(math.prod(c1_out)),
        "lenet.c1.positions": str(c1_out[2] * c1_out[3]),
        "lenet.c1.per_output": str(5 * 5 + 1),
        "lenet.c1.connections": str(math.prod(c1_out) * (5 * 5 + 1)),
    }

    # --- arch.alexnet
    single, grouped = meta(alexnet), meta(lambda: alexnet(groups=2))
    convs = [m for m in single if isinstance(m, nn.Conv2d)]
    fcs = [m for m in single if isinstance(m, nn.Linear)]
    ashapes = [s for m, s in zip(alexnet_features(), trace(alexnet_features(), 1, 3, 227, 227), strict=True)
               if isinstance(m, (nn.Conv2d, nn.MaxPool2d))]  # fmt: skip
    fc_total = sum(n_params(m) for m in fcs)
    fx |= {
        "alex.trace": " ".join(str(s[2]) for s in ashapes),
        "alex.conv1": str(ashapes[0][2]),
        "alex.pool1": str(ashapes[1][2]),
        "alex.pool2": str(ashapes[3][2]),
        "alex.conv3": str(ashapes[4][2]),
        "alex.pool5": str(ashapes[7][2]),
        "alex.pool5.shape": str(list(ashapes[7][1:])),
        "alex.flat": str(math.prod(ashapes[7][1:])),
        "alex.conv1.num": str((227 - 11) // 4),
        "alex.conv1.fan": str(convs[0].weight[0].numel() + 1),
        "alex.on224": str(out_shape(nn.Conv2d(3, 96, 11, stride=4), 1, 3, 224, 224)[2]),
        "alex.div4": str(224 // 4),
        "alex.stride1": str(out_shape(nn.Conv2d(3, 96, 11), 1, 3, 227, 227)[2]),
        "alex.total": str(n_params(single)),
        "alex.total.M": f1(n_params(single) / 1e6),
        "alex.grouped": str(n_params(grouped)),
        "alex.grouped.M": f"{n_params(grouped) / 1e6:.0f}",
        "alex.fc": str(fc_total),
        "alex.fc.pct": pct(fc_total / n_params(single)),
        "alex.fc6.pct": f1(100 * n_params(fcs[0]) / n_params(single)),
        "alex.crops": str(256 - 224),
        "alex.augment": str((256 - 224) ** 2 * 2),
    }
    for i, layer in enumerate([*convs, *fcs], start=1):
        fx[f"alex.{'conv' if i <= 5 else 'fc'}{i}.params"] = str(n_params(layer))

    # --- arch.vgg
    models = {k: meta(partial(vgg, k)) for k in VGG_CONFIGS}
    v16 = models["D"]
    blocks = meta(lambda: nn.Sequential(*vgg_blocks("D")))
    vfcs = [m for m in v16 if isinstance(m, nn.Linear)]
    vconvs = [m for m in v16.modules() if isinstance(m, nn.Conv2d)]
    vmacs = macs(meta(lambda: vgg("D")), 1, 3, 224, 224)
    vtrace = trace(list(meta(lambda: nn.Sequential(*vgg_blocks("D")))), 1, 3, 224, 224)
    vhead = sum(n_params(m) for m in vfcs)
    fx |= {
        "vgg16.total": str(n_params(v16)),
        "vgg16.total.M": f"{n_params(v16) / 1e6:.0f}",
        "vgg16.conv": str(n_params(blocks)),
        "vgg16.conv.M": f"{n_params(blocks) / 1e6:.0f}",
        "vgg16.head": str(vhead),
        "vgg16.head.pct": pct(vhead / n_params(v16)),
        "vgg16.fc6": str(n_params(vfcs[0])),
        "vgg16.fc6.pct": pct(n_params(vfcs[0]) / n_params(v16)),
        "vgg16.fc6.in": str(vfcs[0].in_features),
        "vgg16.fc7": str(n_params(vfcs[1])),
        "vgg16.fc8": str(n_params(vfcs[2])),
        "vgg16.macs.G": f1((vmacs["conv"] + vmacs["fc"]) / 1e9),
        "vgg16.conv_macs.pct": str(math.floor(100 * vmacs["conv"] / (vmacs["conv"] + vmacs["fc"]))),
        "vgg16.trace": " ".join(str(s[2]) for s in vtrace),
        "vgg16.final.shape": str(list(vtrace[-1][1:])),
        "vgg16.conv_layers": str(len(vconvs)),
        "vgg16.conv_plus_pools": str(len(vconvs) + len(vtrace)),
        "vgg16.fans": " ".join(sorted({str(m.weight[0].numel()) for m in vconvs}, key=int)),
    }
    for i, b in enumerate(vgg_blocks("D"), start=1):
        fx[f"vgg16.block{i}"] = str(n_params(b))
    for k, model in models.items():
        fx[f"vgg.{k}.depth"] = str(weighted_layers(model))
        fx[f"vgg.{k}.M"] = f"{n_params(model) / 1e6:.0f}"
    fx["vgg19.total"] = str(n_params(models["E"]))

    # --- arch.nin
    nin_net = meta(nin)
    ntrace = [s for m, s in zip(nin(), trace(list(nin()), 1, 3, 224, 224), strict=True)
              if isinstance(m, (nn.Sequential, nn.MaxPool2d))]  # fmt: skip
    head = nn.Conv2d(512, 1000, 1)
    b1 = nin_block(3, 96, 11, 4, 0)
    fx |= {
        "nin.total": str(n_params(nin_net)),
        "nin.total.M": f1(n_params(nin_net) / 1e6),
        "nin.head": str(n_params(head)),
        "nin.head.ratio": f"{vhead / n_params(head):.0f}",
        "nin.block1": str(n_params(b1)),
        "nin.block1.conv": str(n_params(b1[0])),
        "nin.block1.1x1": str(n_params(b1[2])),
        "nin.block1.two1x1": str(n_params(b1[2]) + n_params(b1[4])),
        "nin.trace": " ".join(str(s[2]) for s in ntrace),
        "nin.final.shape": str(list(ntrace[-1][1:])),
        "nin.gap.weighted": str(10 * 5 * 5),
        "nin.gap.weighted_bias": str(10 * 5 * 5 + 10),
        "nin.gap.fc": str(n_params(nn.Linear(10 * 5 * 5, 10))),
    }
    return fx


def split(name: str) -> list[str]:
    """A multi-token fact ("3 5 6 10") as its tokens."""
    return facts()[name].split()


# -------------------------------------------------------------------------------------------------
# Which card states which fact, and which numbers are documented givens
# -------------------------------------------------------------------------------------------------

# fmt: off
CLAIMS: dict[str, tuple[str, ...]] = {
    # cnn.why
    "why-not-fully-connected": ("why.neuron", "why.layer", "why.layer.M"),
    "why-weight-sharing": ("why.conv3to64",),
    "why-choice-fc-neuron-weights": ("why.neuron", "why.grey32", "why.kernel27", "why.layer"),
    "why-fc-4096-weights": ("why.neuron", "why.layer", "why.layer.M"),
    "why-locally-connected-params": ("why.shared", "why.positions", "why.local"),
    # cnn.conv
    "conv-output-size-formula": ("conv.32k5",),
    "conv-multi-channel": ("conv23.weights", "conv23.total"),
    "conv-bias-trap": ("conv23.weights", "conv23.total", "conv23.trap"),
    "conv-params-vs-compute": ("conv56.params", "conv56.macs"),
    "conv-choice-output-size": ("conv.32k5", "conv.32k5.noplus1", "conv.32k3"),
    "conv-choice-bias-count": ("conv1632.bias", "conv1632.pairs", "conv1632.total", "conv23.total", "conv23.trap"),
    "conv-params-2-to-3": ("conv23.weights", "conv23.total", "conv23.per_out", "conv23.trap"),
    "conv-output-size-stride-2": ("conv.stem", "conv.stem.num", "conv.stem.half"),
    "conv-shape-batch": ("conv.batch.num", "conv.batch.half", "conv.batch.hw", "conv.batch.c"),
    "conv-output-size-dilated": ("conv.dilated",),
    "conv-macs-56": ("conv56.macs", "conv56.macs.M", "conv56.per_output", "conv56.outputs", "conv56.params"),
    # cnn.pool
    "pool-gap": ("vgg16.fc6",),
    "pool-choice-params": ("pool.depthwise2x2",),
    "pool-choice-gap-shape": ("pool.gap.flat", "pool.avg3s2"),
    "pool-alexnet-output-size": ("pool.alex", "pool.alex.num", "pool.alex.half"),
    "pool-output-default-stride": ("pool.default", "pool.default.wrong"),
    # cnn.receptive_field
    "rf-what-is": ("rf.two3x3",),
    "rf-stacked-3x3": ("rf.two3x3", "rf.three3x3", "rf.w33", "rf.w5", "rf.w333", "rf.w7", "rf.saving7"),
    "rf-choice-three-3x3": ("rf.three3x3", "rf.two3x3", "rf.product"),
    "rf-choice-weights-ratio": ("rf.two3x3", "rf.w33", "rf.w5", "rf.saving5"),
    "rf-choice-dilation": ("rf.dilated1", "rf.w5x5"),
    "rf-formula": ("rf.stack",),
    "rf-conv-pool-stack": ("rf.stack",),
    "rf-three-3x3-weights": ("rf.three3x3", "rf64.one", "rf64.three", "rf64.7x7", "rf.w333", "rf.w7", "rf.saving7"),
    "rf-dilated-stack": ("rf.dilated_stack",),
    # cnn.1x1
    "1x1-why-not-5x5-directly": (
        "inc.naive", "inc.naive.M", "inc.reduce", "inc.conv5", "inc.total", "inc.total.M", "inc.ratio",
    ),
    "1x1-bottleneck-macs": (
        "inc.naive", "inc.naive.M", "inc.reduce", "inc.conv5", "inc.conv5.per_output", "inc.total", "inc.total.M",
        "inc.ratio",
    ),
    "1x1-choice-params": ("1x1.256to64", "1x1.256to64.w", "1x1.3x3same", "1x1.sum"),
    "1x1-choice-output-shape": ("1x1.shape", "1x1.2x2"),
    "1x1-resnet-bottleneck-weights": ("bneck.reduce", "bneck.mid", "bneck.total", "bneck.plain", "bneck.ratio"),
    "1x1-params-512-128": ("1x1.512to128", "1x1.512to128.w", "1x1.512to128.fan"),
    # arch.lenet
    "lenet-architecture": ("lenet.c1", "lenet.s2", "lenet.c3", "lenet.s4"),
    "lenet-original-vs-modern": ("lenet.total", "lenet.original"),
    "lenet-c3-sparse": (
        "lenet.c3.sparse", "lenet.c3.sparse.inputs", "lenet.c3.sparse.weights", "lenet.c3.params",
    ),
    "lenet-c5-conv-or-fc": ("lenet.c5.params", "lenet.c5.per_out"),
    "lenet-params-where": (
        "lenet.c5.params", "lenet.total", "lenet.f6.params", "lenet.c1.params", "lenet.c3.params",
        "lenet.c1.connections", "lenet.c1",
    ),
    "lenet-choice-c1-shape": ("lenet.c1", "lenet.s2"),
    "lenet-choice-c3-params": (
        "lenet.c3.params", "lenet.c3.per_out", "lenet.c3.weights", "lenet.c3.one_channel", "lenet.c3.sparse",
    ),
    "lenet-total-params": (
        "lenet.c1.params", "lenet.c3.params", "lenet.c5.params", "lenet.f6.params", "lenet.out.params", "lenet.total",
    ),
    "lenet-c5-params": ("lenet.c5.params", "lenet.c5.per_out"),
    "lenet-c1-connections": (
        "lenet.c1.params", "lenet.c1.outputs", "lenet.c1.positions", "lenet.c1.per_output", "lenet.c1.connections",
        "lenet.c1",
    ),
    "lenet-s4-shape": ("lenet.c1", "lenet.s2", "lenet.c3"),
    # arch.alexnet
    "alexnet-two-gpus": ("alex.grouped", "alex.total"),
    "alexnet-vs-lenet": ("lenet.original.thousands",),
    "alexnet-augmentation": ("alex.augment", "alex.crops"),
    "alexnet-choice-conv1-shape": ("alex.conv1", "alex.conv1.num", "alex.on224", "alex.div4", "alex.stride1"),
    "alexnet-choice-params-where": (
        "alex.fc", "alex.total", "alex.fc.pct", "alex.flat", "alex.fc6.params", "alex.conv1.params",
    ),
    "alexnet-conv1-params": ("alex.conv1.params", "alex.conv1.fan"),
    "alexnet-fc6-params": ("alex.flat", "alex.fc6.params", "alex.fc6.pct"),
    "alexnet-total-params": (
        "alex.conv1.params", "alex.conv2.params", "alex.conv3.params", "alex.conv4.params", "alex.conv5.params",
        "alex.fc6.params", "alex.fc7.params", "alex.fc8.params", "alex.total", "alex.total.M", "alex.grouped",
    ),
    "alexnet-pool5-shape": ("alex.conv1", "alex.pool1", "alex.pool2", "alex.pool5", "alex.flat"),
    # arch.vgg
    "vgg-design": ("vgg16.total.M", "vgg16.conv_layers"),
    "vgg-configs": (
        "vgg.A.depth", "vgg.B.depth", "vgg.C.depth", "vgg.E.depth", "vgg.A.M", "vgg.E.M",
    ),
    "vgg-params-vs-compute": (
        "vgg16.total", "vgg16.head", "vgg16.fc6", "vgg16.fc6.in", "vgg16.conv", "vgg16.macs.G",
        "vgg16.conv_macs.pct", "vgg16.head.pct", "vgg16.conv_layers",
    ),
    "vgg-when-use": ("vgg16.total.M", "vgg16.macs.G"),
    "vgg-vs-alexnet": ("vgg16.total.M", "vgg16.conv_layers"),
    "vgg-choice-params": (
        "vgg16.total", "vgg16.total.M", "alex.grouped", "alex.grouped.M", "vgg19.total", "vgg.E.M", "vgg16.conv",
        "vgg16.conv.M",
    ),
    "vgg-choice-depth-count": (
        "vgg16.conv_layers", "vgg.A.depth", "vgg.E.depth", "vgg.D.depth", "vgg16.conv_plus_pools",
    ),
    "vgg16-total-params": (
        "vgg16.block1", "vgg16.block2", "vgg16.block3", "vgg16.block4", "vgg16.block5", "vgg16.conv", "vgg16.fc6",
        "vgg16.fc7", "vgg16.fc8", "vgg16.total", "vgg16.total.M", "vgg16.fc6.in",
    ),
    "vgg-fc6-params": ("vgg16.fc6.in", "vgg16.fc6", "vgg16.fc6.pct", "vgg16.total"),
    "vgg-final-shape": (),
    # arch.nin
    "nin-gap": ("alex.fc6.params",),
    "nin-architecture": ("nin.total", "nin.total.M", "alex.total", "alex.total.M"),
    "nin-vs-alexnet-vgg-head": ("vgg16.head", "vgg16.head.pct", "nin.head", "nin.head.ratio"),
    "nin-choice-gap-params": ("nin.gap.weighted", "nin.gap.weighted_bias", "nin.gap.fc"),
    "nin-head-params": ("nin.head", "vgg16.head", "nin.head.ratio", "vgg16.fc6.in"),
    "nin-block-params": ("nin.block1.conv", "nin.block1.1x1", "nin.block1.two1x1", "nin.block1"),
    "nin-final-shape": (),
}
# fmt: on
# Facts that are sequences: every token must appear.
TRACE_CLAIMS: dict[str, tuple[str, ...]] = {
    "rf-formula": ("rf.stack.trace",),
    "rf-conv-pool-stack": ("rf.stack.trace",),
    "alexnet-pool5-shape": ("alex.trace",),
    "vgg-final-shape": ("vgg16.trace",),
    "vgg16-total-params": ("vgg16.fans",),
    "nin-final-shape": ("nin.trace",),
}

YEARS = {"1998", "2012", "2013", "2014", "2015", "2016"}


def given(*tokens: str) -> set[str]:
    return set(" ".join(tokens).split())


# Numbers a card takes as given: inputs of the question, widths/sizes that define an architecture,
# constants quoted from the papers. test_architecture_givens checks the architecture ones against the built nets.
GIVENS: dict[str, set[str]] = {
    # cnn.why: image and layer sizes are the question's inputs.
    "why-not-fully-connected": given("32 4096"),
    "why-weight-sharing": given("32 64 1024"),  # "32×32 or 1024×1024": the same module runs on both
    "why-choice-fc-neuron-weights": given("32 4096"),
    "why-choice-not-weight-sharing": given("90"),  # a 90° rotation
    "why-fc-4096-weights": given("32 4096"),
    "why-locally-connected-params": given("32 64"),
    # cnn.conv
    "conv-cross-correlation": given("180"),  # flipping = rotating by 180°
    "conv-choice-pytorch-computes": given("180"),
    "conv-output-size-formula": given("32"),
    "conv-params-vs-compute": given("56 64 128"),
    "conv-choice-output-size": given("32"),
    "conv-choice-bias-count": given("16 32"),
    "conv-params-2-to-3": given("18"),  # 3·3·2, written out in the solution
    "conv-output-size-stride-2": given("224"),
    "conv-shape-batch": given("16 64"),
    "conv-output-size-dilated": given("32"),
    "conv-macs-56": given("56 64 128"),
    # cnn.pool
    "pool-overlapping": given("0.4 0.3"),  # AlexNet paper, section 3.4
    "pool-choice-params": given("64"),
    "pool-choice-gap-shape": given("512"),
    "pool-alexnet-output-size": given("55 96"),
    # cnn.receptive_field
    "rf-effective": YEARS,
    "rf-three-3x3-weights": given("64"),
    # cnn.1x1
    "1x1-why-not-5x5-directly": given("16 28 32 192"),
    "1x1-bottleneck-macs": given("16 28 32 192 400"),  # 400 = 5·5·16 = inc.conv5.per_output
    "1x1-bottleneck-risk": given("64 256"),  # ResNet's 256 → 64 → 256
    "1x1-choice-params": given("64 256"),
    "1x1-choice-cannot": given("64 256"),
    "1x1-choice-output-shape": given("16 28 192"),
    "1x1-resnet-bottleneck-weights": given("64 256 16384 36864"),  # = bneck.reduce, bneck.mid (checked below)
    "1x1-params-512-128": given("128 512"),
    # arch.lenet: the architecture's widths (6, 16, 120, 84, 10) and the 32×32 input.
    "lenet-architecture": given("16 32 84 120"),
    "lenet-original-vs-modern": given("1.7159 16"),  # LeCun et al. 1998, appendix A: f(a) = 1.7159·tanh(2a/3)
    "lenet-c3-sparse": given("16 25 1500"),  # 25 = 5·5; 1500 = lenet.c3.sparse.weights (checked below)
    "lenet-c5-conv-or-fc": given("16 32 120"),
    "lenet-params-where": given("28"),
    "lenet-significance": given("20 28 32"),  # the paper: digits at most 20×20, centred in a 28×28 field
    "lenet-choice-c1-shape": given("32"),
    "lenet-choice-c3-params": given("16"),
    "lenet-choice-activation": given("1.7159"),
    "lenet-total-params": given("16 84 120"),
    "lenet-c5-params": given("16 120"),
    "lenet-c1-connections": given("25"),
    "lenet-s4-shape": given("16 32"),
    # arch.alexnet: paper figures (top-5 15.3% vs 26.2%, 1.2 million images = 120 万, ~60 M parameters, GTX 580,
    # ReLU 6× faster to 25% training error, LRN constants and its 1.4/1.2 point gains, dropout 0.5).
    "alexnet-innovations": given("1.2 15.3 26.2 60 120"),
    "alexnet-relu": given("25"),
    "alexnet-lrn": given("0.75 1.2 1.4"),
    "alexnet-dropout": given("0.5 4096"),
    "alexnet-augmentation": given("224 256"),
    "alexnet-two-gpus": given("580"),
    "alexnet-vs-lenet": given("1.2 11 32 60 96 120 224 384 1000"),
    "alexnet-choice-conv1-shape": given("11 96 224 227"),
    "alexnet-choice-not-used": given("0.5"),
    "alexnet-choice-params-where": given("11 4096"),
    "alexnet-conv1-params": given("11 96"),
    "alexnet-fc6-params": given("256 4096"),
    "alexnet-total-params": given("11 96 256 384 1000 4096 9216"),
    "alexnet-pool5-shape": given("11 96 227 256 384"),
    # arch.vgg
    "vgg-design": given("16 64 128 224 256 512 1000 4096"),
    "vgg-configs": given("16"),
    "vgg-params-vs-compute": given("64 112 128 224 4096"),
    "vgg-training": given("19 224 256 512"),  # config E; scale jittering S ∈ [256, 512]
    "vgg-when-use": given("32 224 500"),  # 500 MB: checked in test_vgg_size_in_bytes
    "vgg-vs-alexnet": given("11 60 1000 4096"),
    "vgg-choice-c-vs-d": given("16"),
    "vgg-choice-params": given("1000"),
    "vgg-choice-depth-count": given("16"),
    "vgg16-total-params": given("64 128 224 256 512 1000 4096"),
    "vgg-fc6-params": given("512 4096"),
    "vgg-final-shape": given("224 512"),
    # arch.nin
    "nin-architecture": given("11 96 256 384 1000"),
    "nin-vs-alexnet-vgg-head": given("224 512 1000 4096"),
    "nin-choice-last-channels": given("100"),
    "nin-head-params": given("512 1000 4096"),
    "nin-block-params": given("11 96"),
    "nin-final-shape": given("11 96 224 256 384 1000"),
}
# Card-wide givens: years, and the VGG-16 per-layer fan-ins listed by TRACE_CLAIMS.
FAN_INS = {"27", "576", "1152", "2304", "4608"}


def computed(card_id: str) -> set[str]:
    tokens = {facts()[name] for name in CLAIMS.get(card_id, ())}
    for name in TRACE_CLAIMS.get(card_id, ()):
        tokens |= set(split(name))
    return tokens


ANSWERS: dict[str, Callable[[], Any]] = {
    "why-fc-4096-weights": lambda: int(facts()["why.layer"]),
    "why-locally-connected-params": lambda: int(facts()["why.local"]),
    "conv-params-2-to-3": lambda: int(facts()["conv23.total"]),
    "conv-output-size-stride-2": lambda: int(facts()["conv.stem"]),
    "conv-shape-batch": lambda: eval_list(facts()["conv.batch.shape"]),
    "conv-output-size-dilated": lambda: int(facts()["conv.dilated"]),
    "conv-macs-56": lambda: int(facts()["conv56.macs"]),
    "pool-alexnet-output-size": lambda: int(facts()["pool.alex"]),
    "pool-output-default-stride": lambda: int(facts()["pool.default"]),
    "pool-max-values": lambda: F.max_pool2d(
        torch.tensor([[[[1, 3, 2, 0], [4, 6, 1, 2], [0, 2, 5, 7], [1, 3, 8, 4]]]]), 2, 2
    )[0, 0].tolist(),
    "rf-conv-pool-stack": lambda: int(facts()["rf.stack"]),
    "rf-three-3x3-weights": lambda: int(facts()["rf64.three"]),
    "rf-dilated-stack": lambda: int(facts()["rf.dilated_stack"]),
    "1x1-bottleneck-macs": lambda: int(facts()["inc.total"]),
    "1x1-resnet-bottleneck-weights": lambda: int(facts()["bneck.total"]),
    "1x1-params-512-128": lambda: int(facts()["1x1.512to128"]),
    "lenet-total-params": lambda: int(facts()["lenet.total"]),
    "lenet-c5-params": lambda: int(facts()["lenet.c5.params"]),
    "lenet-c1-connections": lambda: int(facts()["lenet.c1.connections"]),
    "lenet-s4-shape": lambda: eval_list(facts()["lenet.s4.shape"]),
    "alexnet-conv1-params": lambda: int(facts()["alex.conv1.params"]),
    "alexnet-fc6-params": lambda: int(facts()["alex.fc6.params"]),
    "alexnet-total-params": lambda: int(facts()["alex.total"]),
    "alexnet-pool5-shape": lambda: eval_list(facts()["alex.pool5.shape"]),
    "vgg16-total-params": lambda: int(facts()["vgg16.total"]),
    "vgg-fc6-params": lambda: int(facts()["vgg16.fc6"]),
    "vgg-final-shape": lambda: eval_list(facts()["vgg16.final.shape"]),
    "nin-head-params": lambda: int(facts()["nin.head"]),
    "nin-block-params": lambda: int(facts()["nin.block1"]),
    "nin-final-shape": lambda: eval_list(facts()["nin.final.shape"]),
}


def eval_list(text: str) -> list[int]:
    return [int(v) for v in text.strip("[]").split(",")]


# -------------------------------------------------------------------------------------------------
# Tests: the numbers in the cards
# -------------------------------------------------------------------------------------------------


def test_known_totals() -> None:
    """The headline numbers agree with the papers and the syllabus, from our own layer lists."""
    fx = facts()
    assert fx["conv23.total"] == "57" and fx["conv23.trap"] == "60"
    assert fx["why.neuron"] == "3072" and fx["why.layer.M"] == "12.6"
    assert fx["lenet.total"] == "61706" and fx["lenet.original"] == "60000"  # the paper: 60,000 trainable
    assert fx["lenet.c3.sparse"] == "1516"  # the paper: C3 has 1,516 trainable parameters
    assert fx["lenet.c1.connections"] == "122304"  # the paper: C1 has 122,304 connections
    assert fx["vgg16.total"] == "138357544"
    assert [fx[f"vgg.{k}.M"] for k in "ABCDE"] == ["133", "133", "134", "138", "144"]  # VGG paper, Table 2
    assert [fx[f"vgg.{k}.depth"] for k in "ABCDE"] == ["11", "13", "16", "16", "19"]
    # AlexNet's paper says "60 million parameters"; cards quote that figure next to the computed counts.
    assert abs(int(fx["alex.grouped"]) / 1e6 - 60) < 1.5 and abs(int(fx["alex.total"]) / 1e6 - 60) < 2.5
    assert fx["rf.stack.trace"] == "3 5 6 10"
    assert fx["inc.naive"] == "120422400" and fx["inc.total"] == "12443648"


@pytest.mark.parametrize("card_id", sorted(set(CLAIMS) | set(TRACE_CLAIMS)))
def test_stated_facts_appear_as_computed(card_id: str) -> None:
    stated = numbers_in(card(card_id))
    missing = {name: facts()[name] for name in CLAIMS.get(card_id, ()) if facts()[name] not in stated}
    for name in TRACE_CLAIMS.get(card_id, ()):
        missing |= {f"{name}[{tok}]": tok for tok in split(name) if tok not in stated}
    assert not missing, f"{card_id}: computed values not found in the card: {missing}"


@pytest.mark.parametrize("card_id", sorted(load_cards()))
def test_every_number_is_checked(card_id: str) -> None:
    allowed = computed(card_id) | GIVENS.get(card_id, set()) | YEARS
    if card_id == "vgg16-total-params":
        allowed |= FAN_INS
    unchecked = {n for n in numbers_in(card(card_id)) if not is_structural(n) and n not in allowed}
    assert not unchecked, f"{card_id}: numbers with no computed fact or documented given: {sorted(unchecked)}"


@pytest.mark.parametrize("card_id", sorted(ANSWERS))
def test_numeric_answers(card_id: str) -> None:
    q = card(card_id)
    assert q["kind"] == "numeric"
    assert q["answer"] == ANSWERS[card_id]()


def test_every_numeric_card_is_checked() -> None:
    numeric = {cid for cid, q in load_cards().items() if q["kind"] == "numeric"}
    assert numeric == set(ANSWERS)


def test_architecture_givens() -> None:
    """Givens that restate a computed quantity, and architecture widths that must be in the built networks."""
    fx = facts()
    assert fx["lenet.c3.sparse.weights"] == "1500" and fx["inc.conv5.per_output"] == "400"
    assert fx["bneck.reduce"] == "16384" and fx["bneck.mid"] == "36864"
    assert set(split("vgg16.fans")) == FAN_INS
    widths = {
        "lenet": {str(v) for m in lenet5().modules() for v in _hyper(m)},
        "alexnet": {str(v) for m in meta(alexnet).modules() for v in _hyper(m)},
        "vgg": {str(v) for m in meta(lambda: vgg("D")).modules() for v in _hyper(m)},
        "nin": {str(v) for m in meta(nin).modules() for v in _hyper(m)},
    }
    assert {"120", "84", "16"} <= widths["lenet"]
    assert {"11", "96", "256", "384", "4096", "1000"} <= widths["alexnet"]
    assert {"64", "128", "256", "512", "4096", "1000"} <= widths["vgg"]
    assert {"11", "96", "256", "384", "1000"} <= widths["nin"]


def _hyper(m: nn.Module) -> list[int]:
    if isinstance(m, nn.Conv2d):
        return [m.in_channels, m.out_channels, *m.kernel_size]
    if isinstance(m, nn.Linear):
        return [m.in_features, m.out_features]
    return []


def test_vgg_size_in_bytes() -> None:
    """'138 M parameters (over 500 MB in 32-bit floats)'."""
    assert int(facts()["vgg16.total"]) * 4 > 500e6


# -------------------------------------------------------------------------------------------------
# Tests: small-number claims and behaviours the cards describe
# -------------------------------------------------------------------------------------------------


def test_output_size_formula_matches_torch() -> None:
    """⌊(n + 2p − d(f − 1) − 1)/s⌋ + 1, the formula on the cards, against Conv2d and MaxPool2d."""
    for n in (5, 7, 12, 32):
        for f in (1, 2, 3, 5):
            for s in (1, 2, 3):
                for p in (0, 1, 2):
                    for d in (1, 2):
                        eff = d * (f - 1) + 1
                        if n + 2 * p < eff:
                            continue
                        expected = (n + 2 * p - eff) // s + 1
                        assert out_shape(conv1(f, stride=s, padding=p, dilation=d), 1, 1, n, n)[2] == expected
                        if p <= f // 2 and d == 1:
                            got = out_shape(nn.MaxPool2d(f, s, p), 1, 1, n, n)[2]
                            assert got == expected


def test_same_padding_claims() -> None:
    """p = (f − 1)/2 keeps the size at stride 1; for 5×5, p = 1 shrinks by 2 and p = 4 per side grows by 4."""
    for f in (1, 3, 5, 7):
        assert out_shape(conv1(f, padding=(f - 1) // 2), 1, 1, 16, 16)[2] == 16
    assert out_shape(conv1(5, padding=1), 1, 1, 16, 16)[2] == 14
    assert out_shape(conv1(5, padding=4), 1, 1, 16, 16)[2] == 20
    assert nn.MaxPool2d(3).stride == 3  # stride defaults to kernel_size


def test_conv2d_is_cross_correlation() -> None:
    """conv2d slides the kernel unflipped; true convolution = conv2d with the kernel rotated by 180°."""
    g = torch.Generator().manual_seed(0)
    x = torch.randint(-3, 4, (1, 1, 5, 5), generator=g).double()
    w = torch.randint(-3, 4, (1, 1, 3, 3), generator=g).double()
    corr = torch.zeros(3, 3, dtype=torch.float64)
    conv_true = torch.zeros(3, 3, dtype=torch.float64)
    for i in range(3):
        for j in range(3):
            for a in range(3):
                for b in range(3):
                    corr[i, j] += x[0, 0, i + a, j + b] * w[0, 0, a, b]
                    conv_true[i, j] += x[0, 0, i + a, j + b] * w[0, 0, 2 - a, 2 - b]
    assert torch.equal(F.conv2d(x, w)[0, 0], corr)
    assert torch.equal(F.conv2d(x, torch.flip(w, dims=(2, 3)))[0, 0], conv_true)
    assert not torch.equal(corr, conv_true)


def test_biases_per_output_channel_are_redundant() -> None:
    """Extra biases per (input, output) pair just sum to one constant per output channel."""
    g = torch.Generator().manual_seed(1)
    x = torch.randn(1, 2, 6, 6, generator=g, dtype=torch.float64)
    w = torch.randn(3, 2, 3, 3, generator=g, dtype=torch.float64)
    pair_bias = torch.randn(3, 2, generator=g, dtype=torch.float64)
    per_pair = torch.stack(
        [F.conv2d(x[:, i : i + 1], w[:, i : i + 1]) + pair_bias[:, i].view(1, 3, 1, 1) for i in range(2)]
    ).sum(dim=0)
    assert torch.allclose(per_pair, F.conv2d(x, w, pair_bias.sum(dim=1)))


def test_pooling_has_no_parameters_and_routes_gradients() -> None:
    for layer in (nn.MaxPool2d(2), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d(1)):
        assert n_params(layer) == 0
    x = torch.tensor([[[[1.0, 3.0], [4.0, 2.0]]]], requires_grad=True)
    (grad_max,) = torch.autograd.grad(F.max_pool2d(x, 2).sum(), x)
    assert grad_max.tolist() == [[[[0.0, 0.0], [1.0, 0.0]]]]
    (grad_avg,) = torch.autograd.grad(F.avg_pool2d(x, 2).sum(), x)
    assert grad_avg.tolist() == [[[[0.25, 0.25], [0.25, 0.25]]]]
    assert out_shape(nn.AdaptiveAvgPool2d(1), 2, 512, 7, 7) == (2, 512, 1, 1)


def test_receptive_field_claims() -> None:
    """1×1 convs add nothing; a stride-2 pool doubles later growth; dilations 1, 2, 4, … give 2^(L+1) − 1."""
    base = [conv1(3), conv1(3)]
    assert receptive_field([*base, conv1(1)]) == receptive_field(base) == 5
    assert receptive_field([nn.MaxPool2d(2, 2), conv1(3)]) - receptive_field([nn.MaxPool2d(2, 2)]) == 4
    for depth in range(1, 5):
        assert receptive_field([conv1(3, dilation=2**i) for i in range(depth)]) == 2 ** (depth + 1) - 1
    assert receptive_field([conv1(3, dilation=2)]) == receptive_field([conv1(5)]) == 5
    assert conv1(3, dilation=2).weight.numel() == 9


def test_1x1_conv_is_a_per_pixel_linear_layer() -> None:
    g = torch.Generator().manual_seed(2)
    x = torch.randn(2, 5, 4, 3, generator=g)
    c = nn.Conv2d(5, 7, 1)
    lin = nn.Linear(5, 7)
    with torch.no_grad():
        lin.weight.copy_(c.weight.view(7, 5))
        assert c.bias is not None
        lin.bias.copy_(c.bias)
        via_linear = lin(x.permute(0, 2, 3, 1).reshape(-1, 5)).reshape(2, 4, 3, 7).permute(0, 3, 1, 2)
        assert torch.allclose(c(x), via_linear, atol=1e-6)
        assert c(x).shape[2:] == x.shape[2:]


def test_two_linear_1x1_convs_collapse_into_one() -> None:
    """y = W₂(W₁x + b₁) + b₂ = (W₂W₁)x + (W₂b₁ + b₂); with a ReLU in between it no longer collapses."""
    g = torch.Generator().manual_seed(3)
    x = torch.randn(1, 6, 4, 4, generator=g, dtype=torch.float64)
    w1, b1 = torch.randn(3, 6, 1, 1, generator=g, dtype=torch.float64), torch.randn(3, generator=g, dtype=torch.float64)
    w2, b2 = torch.randn(5, 3, 1, 1, generator=g, dtype=torch.float64), torch.randn(5, generator=g, dtype=torch.float64)
    two = F.conv2d(F.conv2d(x, w1, b1), w2, b2)
    w = (w2.view(5, 3) @ w1.view(3, 6)).view(5, 6, 1, 1)
    one = F.conv2d(x, w, w2.view(5, 3) @ b1 + b2)
    assert torch.allclose(two, one)
    assert not torch.allclose(F.conv2d(F.relu(F.conv2d(x, w1, b1)), w2, b2), one)


def test_lenet_c5_is_fully_connected_on_32x32() -> None:
    """On a 5×5 input C5 equals a Linear(400, 120); on a larger input it gives a spatial map."""
    g = torch.Generator().manual_seed(4)
    c5 = nn.Conv2d(16, 120, 5)
    lin = nn.Linear(16 * 5 * 5, 120)
    with torch.no_grad():
        lin.weight.copy_(c5.weight.reshape(120, -1))
        assert c5.bias is not None
        lin.bias.copy_(c5.bias)
        x = torch.randn(3, 16, 5, 5, generator=g)
        assert torch.allclose(c5(x).flatten(1), lin(x.flatten(1)), atol=1e-5)
    assert trace(list(lenet5())[:7], 1, 1, 40, 40)[-1][2:] == (3, 3)


def test_model_name_depths() -> None:
    """VGG-16/19 are named after their weighted depth; LeNet-5 has five weighted layers (C1, C3, C5, F6, out)."""
    assert weighted_layers(meta(lambda: vgg("D"))) == 16
    assert weighted_layers(meta(lambda: vgg("E"))) == 19
    assert weighted_layers(lenet5()) == 5
    names = {m.group(0) for q in load_cards().values() for t in card_texts(q) for m in MODEL_NAME.finditer(t)}
    assert names <= {"VGG-16", "VGG-19", "LeNet-5", "ResNet-50", "CIFAR-10"}, names


# -------------------------------------------------------------------------------------------------
# Tests: structure of the cards
# -------------------------------------------------------------------------------------------------


def test_ids_topics_and_follow_ups() -> None:
    cards = load_cards()
    for cid, q in cards.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cid), cid
        assert cid.startswith(PREFIXES[q["topic"]]), (cid, q["topic"])
        for target in q.get("follow_ups", ()):
            assert target in cards, f"{cid} → {target}"
            assert target != cid
    links = sum(len(q.get("follow_ups", ())) for q in cards.values())
    assert links >= 15
    mock = [cid for cid, q in cards.items() if "mock" in q.get("tags", ())]
    assert "1x1-what-does" in mock
    assert card("1x1-what-does")["prompt"]["en"] == "What does a 1×1 convolution do?"


def test_coverage_per_topic() -> None:
    by_topic: dict[str, dict[str, int]] = {}
    difficulties: dict[str, set[int]] = {}
    for q in load_cards().values():
        kinds = by_topic.setdefault(q["topic"], {})
        kinds[q["kind"]] = kinds.get(q["kind"], 0) + 1
        difficulties.setdefault(q["topic"], set()).add(q["difficulty"])
    assert set(by_topic) == set(PREFIXES)
    for topic, kinds in by_topic.items():
        assert sum(v for k, v in kinds.items() if k != "generated") >= 12, (topic, kinds)
        assert kinds.get("concept", 0) >= 6, (topic, kinds)
        assert kinds.get("choice", 0) >= 3, (topic, kinds)
        assert kinds.get("numeric", 0) >= 2, (topic, kinds)
        assert len(difficulties[topic]) >= 4 and min(difficulties[topic]) <= 2, (topic, difficulties[topic])
        assert max(difficulties[topic]) == 5, (topic, difficulties[topic])


def test_concept_and_choice_shape() -> None:
    for cid, q in load_cards().items():
        if q["kind"] == "concept":
            assert 3 <= len(q["key_points"]) <= 6, cid
            for lang in ("en", "zh"):
                assert q["answer"][lang].strip(), cid
            for kp in q["key_points"]:
                assert kp["keywords"]["en"] and kp["keywords"]["zh"], cid
                assert all(isinstance(w, str) for w in (*kp["keywords"]["en"], *kp["keywords"]["zh"])), cid
            sentences = len(re.findall(r"[.!?](?:\s|$)", q["answer"]["en"]))
            assert 3 <= sentences <= 8, (cid, sentences)
        if q["kind"] == "choice":
            assert 2 <= len(q["choices"]) <= 6 and q["correct"], cid
            assert all(0 <= i < len(q["choices"]) for i in q["correct"]), cid
