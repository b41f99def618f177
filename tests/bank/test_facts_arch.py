"""Every number stated in the modern-architecture, architecture-choice and AI-overview cards, recomputed.

The cards live in question_bank/arch_modern.yaml, arch_choice.yaml and ai_overview.yaml. For each card,
every number in its text (both languages: prompt, answer, key points, choices, explanation, solution)
must be one of:

- a small structural integer 0–10 (kernel sizes, versions, counts written in words elsewhere);
- part of a model name (ResNet-50, VGG-16, DenseNet-121, CIFAR-10), whose depth is checked separately;
- a documented given: a scenario's input, a constant taken from a paper, a year, a convention (224×224);
- a fact computed here, mostly by building the network with torch.nn (torchvision is not available) and
  counting parameters, tracing shapes, or counting multiply-accumulates (MACs) with forward hooks.

A computed fact must appear in its card exactly as it rounds, so a wrong or stale number fails. Numeric
cards' answers are compared with the computed value as well.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from fractions import Fraction
from functools import cache
from typing import Any

import pytest
import torch
from torch import nn

from tests.bank import facts as bank
from tests.bank.facts import NUMBER_GROUPED, card_numbers, card_texts, is_structural

pytestmark = pytest.mark.torch

FILES = ("arch_modern.yaml", "arch_choice.yaml", "ai_overview.yaml")
PREFIXES = {
    "arch.inception": "inception-",
    "arch.resnet": "resnet-",
    "arch.densenet": "densenet-",
    "arch.mobile": "mobile-",
    "arch.choice": "choice-",
    "ai.overview": "ai-",
}

# -------------------------------------------------------------------------------------------------
# Reading the cards
# -------------------------------------------------------------------------------------------------


load_cards, card = bank.card_loaders(FILES)


# Model names carry numbers that are names, not claims; their depths are checked in test_model_name_depths.
MODEL_NAME = re.compile(r"\b(?:ResNet|VGG|DenseNet|LeNet|CIFAR)-\d+(?:/\d+)*")


def numbers_in(q: dict[str, Any]) -> set[str]:
    """Every number token in a card's text, with thousands separators removed and model names skipped."""
    return card_numbers(q, NUMBER_GROUPED, MODEL_NAME)


# -------------------------------------------------------------------------------------------------
# Networks built layer by layer
# -------------------------------------------------------------------------------------------------


class Bottleneck(nn.Module):
    """ResNet bottleneck: 1×1 reduce, 3×3 (stride here, as in torchvision), 1×1 expand ×4; BN after each."""

    def __init__(self, c_in: int, width: int, stride: int) -> None:
        super().__init__()
        c_out = 4 * width
        self.body = nn.Sequential(
            nn.Conv2d(c_in, width, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, c_out, 1, bias=False), nn.BatchNorm2d(c_out),
        )  # fmt: skip
        self.shortcut: nn.Module = nn.Identity()
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.body(x) + self.shortcut(x))


class BasicBlock(nn.Module):
    """Two 3×3 convs with BN; projection shortcut when the shape changes."""

    def __init__(self, c_in: int, c_out: int, stride: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
            nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False), nn.BatchNorm2d(c_out),
        )  # fmt: skip
        self.shortcut: nn.Module = nn.Identity()
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.body(x) + self.shortcut(x))


def resnet_stem() -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1))


def imagenet_resnet(blocks: tuple[int, int, int, int], bottleneck: bool) -> nn.Sequential:
    """ResNet-18/34 (basic) or 50/101/152 (bottleneck) as in He et al. 2015 / torchvision."""
    stages: list[nn.Module] = []
    c = 64
    for i, (n, width) in enumerate(zip(blocks, (64, 128, 256, 512), strict=True)):
        layers: list[nn.Module] = []
        for j in range(n):
            stride = 2 if (j == 0 and i > 0) else 1
            if bottleneck:
                layers.append(Bottleneck(c, width, stride))
                c = 4 * width
            else:
                layers.append(BasicBlock(c, width, stride))
                c = width
        stages.append(nn.Sequential(*layers))
    return nn.Sequential(resnet_stem(), *stages, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 1000))


RESNET_CONFIGS = {
    18: ((2, 2, 2, 2), False),
    34: ((3, 4, 6, 3), False),
    50: ((3, 4, 6, 3), True),
    101: ((3, 4, 23, 3), True),
    152: ((3, 8, 36, 3), True),
}


def cifar_resnet(n: int, bottleneck: bool) -> nn.Sequential:
    """He et al.'s CIFAR ResNets: 3×3 stem, three stages of n blocks (16/32/64 wide), FC to 10 classes."""
    layers: list[nn.Module] = [nn.Conv2d(3, 16, 3, 1, 1, bias=False)]
    c = 16
    for i, width in enumerate((16, 32, 64)):
        for j in range(n):
            stride = 2 if (j == 0 and i > 0) else 1
            if bottleneck:
                layers.append(Bottleneck(c, width, stride))
                c = 4 * width
            else:
                layers.append(BasicBlock(c, width, stride))
                c = width
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 10))


def weighted_depth(model: nn.Module) -> int:
    """Conv and FC layers on the main path (projection shortcuts are not counted, as in the papers)."""
    return sum(isinstance(m, (nn.Conv2d, nn.Linear)) and "shortcut" not in name for name, m in model.named_modules())


def vgg16() -> nn.Sequential:
    cfg: list[int | str] = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
    layers: list[nn.Module] = []
    c = 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2))
        else:
            assert isinstance(v, int)
            layers += [nn.Conv2d(c, v, 3, padding=1), nn.ReLU()]
            c = v
    return nn.Sequential(
        *layers, nn.Flatten(), nn.Linear(512 * 7 * 7, 4096), nn.ReLU(), nn.Linear(4096, 4096), nn.ReLU(),
        nn.Linear(4096, 1000),
    )  # fmt: skip


class DenseLayer(nn.Module):
    """DenseNet-B layer: BN-ReLU-1×1 conv to 4k, BN-ReLU-3×3 conv to k; output appended to the input."""

    def __init__(self, c_in: int, k: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.BatchNorm2d(c_in), nn.ReLU(), nn.Conv2d(c_in, 4 * k, 1, bias=False),
            nn.BatchNorm2d(4 * k), nn.ReLU(), nn.Conv2d(4 * k, k, 3, padding=1, bias=False),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([x, self.body(x)], dim=1)


def dense_block(k0: int, k: int, n: int) -> nn.Sequential:
    return nn.Sequential(*(DenseLayer(k0 + i * k, k) for i in range(n)))


def transition(c_in: int, theta: float) -> nn.Sequential:
    c_out = math.floor(theta * c_in)
    return nn.Sequential(nn.BatchNorm2d(c_in), nn.ReLU(), nn.Conv2d(c_in, c_out, 1, bias=False), nn.AvgPool2d(2, 2))


def densenet121() -> tuple[nn.Sequential, list[int]]:
    """DenseNet-BC-121 (k = 32, blocks 6/12/24/16, θ = 0.5) and the channel count after each stage."""
    layers: list[nn.Module] = [
        nn.Conv2d(3, 64, 7, 2, 3, bias=False),
        nn.BatchNorm2d(64),
        nn.ReLU(),
        nn.MaxPool2d(3, 2, 1),
    ]
    c, trace = 64, [64]
    for i, n in enumerate((6, 12, 24, 16)):
        layers.append(dense_block(c, 32, n))
        c += n * 32
        trace.append(c)
        if i < 3:
            layers.append(transition(c, 0.5))
            c //= 2
            trace.append(c)
    layers += [nn.BatchNorm2d(c), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 1000)]
    return nn.Sequential(*layers), trace


def separable(c_in: int, c_out: int, stride: int = 1) -> list[nn.Module]:
    return [
        nn.Conv2d(c_in, c_in, 3, stride, 1, groups=c_in, bias=False), nn.BatchNorm2d(c_in), nn.ReLU(),
        nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
    ]  # fmt: skip


def mobilenet_v1(alpha: float = 1.0, in_ch: int = 3, classes: int = 1000) -> nn.Sequential:
    """Howard et al. 2017, Table 1: a 3×3 conv, 13 depthwise separable layers, average pool, FC."""
    cfg = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), *[(512, 1)] * 5, (1024, 2), (1024, 1)]
    c = int(32 * alpha)
    layers: list[nn.Module] = [nn.Conv2d(in_ch, c, 3, 2, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU()]
    for out, stride in cfg:
        layers += separable(c, int(out * alpha), stride)
        c = int(out * alpha)
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes))


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def conv_weights(*convs: nn.Conv2d) -> int:
    return sum(c.weight.numel() for c in convs)


def macs(model: nn.Module, x: torch.Tensor) -> dict[str, int]:
    """Multiply-accumulates by layer kind, from the real output shapes of a forward pass."""
    out: dict[str, int] = {"standard": 0, "depthwise": 0, "pointwise": 0, "fc": 0}

    def hook(mod: nn.Module, _inp: tuple[torch.Tensor, ...], y: torch.Tensor) -> None:
        if isinstance(mod, nn.Conv2d):
            per_output = mod.in_channels // mod.groups * mod.kernel_size[0] * mod.kernel_size[1]
            kind = "depthwise" if mod.groups > 1 else "pointwise" if mod.kernel_size == (1, 1) else "standard"
            out[kind] += y.numel() * per_output
        elif isinstance(mod, nn.Linear):
            out["fc"] += y.numel() * mod.in_features

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    try:
        with torch.no_grad():
            model.eval()(x)
    finally:
        for h in handles:
            h.remove()
    return out


def peak_activation(model: nn.Sequential, x: torch.Tensor) -> int:
    """Largest input + output element count of any single conv (what must sit in RAM at once)."""
    peak = 0

    def hook(_m: nn.Module, inp: tuple[torch.Tensor, ...], y: torch.Tensor) -> None:
        nonlocal peak
        peak = max(peak, inp[0].numel() + y.numel())

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        model.eval()(x)
    for h in handles:
        h.remove()
    return peak


def meta(build: Callable[[], nn.Module]) -> nn.Module:
    """Build on the meta device: parameter counts and shapes without allocating VGG's 138 M floats."""
    with torch.device("meta"):
        return build()


# -------------------------------------------------------------------------------------------------
# Facts: name -> the token as it must appear in the card (thousands separators removed)
# -------------------------------------------------------------------------------------------------


def f1(x: float) -> str:
    return f"{x:.1f}"


@cache
def facts() -> dict[str, str]:
    F: dict[str, str] = {}
    t = torch.zeros

    # --- Inception: the 28×28×192 → 32-channel 5×5 example, with and without a 1×1 reduction to 16.
    naive = nn.Conv2d(192, 32, 5, padding=2, bias=False)
    m_naive = macs(naive, t(1, 192, 28, 28))["standard"]
    reduce_, conv5 = nn.Conv2d(192, 16, 1, bias=False), nn.Conv2d(16, 32, 5, padding=2, bias=False)
    m_reduce = macs(reduce_, t(1, 192, 28, 28))["pointwise"]
    m_conv5 = macs(conv5, t(1, 16, 28, 28))["standard"]
    m_total = m_reduce + m_conv5
    F |= {
        "inc.naive": str(m_naive),
        "inc.naive.M": f1(m_naive / 1e6),
        "inc.naive.yi": f1(m_naive / 1e8),  # 亿 = 10⁸
        "inc.per_output": str(naive.weight[0].numel()),
        "inc.outputs": str(naive(t(1, 192, 28, 28)).numel()),
        "inc.reduce": str(m_reduce),
        "inc.reduce.M": f1(m_reduce / 1e6),
        "inc.conv5": str(m_conv5),
        "inc.conv5.M": f1(m_conv5 / 1e6),
        "inc.total": str(m_total),
        "inc.total.M": f1(m_total / 1e6),
        "inc.total.wan": f"{m_total / 1e4:.0f}",  # 万 = 10⁴
        "inc.saving": f1(m_naive / m_total),
    }

    # GoogLeNet module 3a: run the four branches and concatenate.
    x = t(1, 192, 28, 28)
    branches = [
        nn.Conv2d(192, 64, 1),
        nn.Sequential(nn.Conv2d(192, 96, 1), nn.ReLU(), nn.Conv2d(96, 128, 3, padding=1)),
        nn.Sequential(nn.Conv2d(192, 16, 1), nn.ReLU(), nn.Conv2d(16, 32, 5, padding=2)),
        nn.Sequential(nn.MaxPool2d(3, 1, 1), nn.Conv2d(192, 32, 1)),
    ]
    y = torch.cat([b(x) for b in branches], dim=1)
    assert y.shape[2:] == (28, 28)
    F["inc.3a.channels"] = str(y.shape[1])

    # GoogLeNet depth: stem conv 7×7, 1×1 reduce, 3×3; nine modules two layers deep on their longest
    # weighted path (1×1 reduce → 3×3 or 5×5); the final FC.
    googlenet_depth = 3 + 9 * 2 + 1
    F["googlenet.depth"] = str(googlenet_depth)

    # Factorised convolutions, weights per C² (C = 8 channels in and out).
    c = 8

    def per_c2(*convs: nn.Conv2d) -> int:
        total = conv_weights(*convs)
        assert total % (c * c) == 0
        return total // (c * c)

    w5 = per_c2(nn.Conv2d(c, c, 5, bias=False))
    w33 = per_c2(nn.Conv2d(c, c, 3, bias=False), nn.Conv2d(c, c, 3, bias=False))
    w3 = per_c2(nn.Conv2d(c, c, 3, bias=False))
    w13 = per_c2(nn.Conv2d(c, c, (1, 3), bias=False), nn.Conv2d(c, c, (3, 1), bias=False))
    w7 = per_c2(nn.Conv2d(c, c, 7, bias=False))
    w17 = per_c2(nn.Conv2d(c, c, (1, 7), bias=False), nn.Conv2d(c, c, (7, 1), bias=False))
    F |= {
        "fact.5x5": str(w5),
        "fact.two3x3": str(w33),
        "fact.5x5.saving%": f"{100 * (1 - w33 / w5):.0f}",
        "fact.3x3.saving%": f"{100 * (1 - w13 / w3):.0f}",
        "fact.7x7": str(w7),
        "fact.1x7+7x1": str(w17),
        "fact.7x7.saving%": f"{100 * (1 - w17 / w7):.0f}",
        "fact.7x7.fraction": f"{w17 / w7:.3f}",
    }

    # --- ResNet-50, layer by layer.
    r50 = meta(lambda: imagenet_resnet(*RESNET_CONFIGS[50]))
    total = n_params(r50)
    stem, stage1, stage2, stage3, stage4, fc = (r50[i] for i in (0, 1, 2, 3, 4, 7))
    F |= {
        "r50.params": str(total),
        "r50.params.M": f1(total / 1e6),
        "r50.params.wan": f"{total / 1e4:,.0f}".replace(",", ""),
        "r50.stem.conv": str(stem[0].weight.numel()),
        "r50.stem": str(n_params(stem)),
        "r50.fc": str(n_params(fc)),
        "r50.fc.in": str(fc.in_features),
        "r50.proj64": str(stage1[0].shortcut[0].weight.numel()),
        "r50.proj64.bn": str(n_params(stage1[0].shortcut[1])),
    }
    for i, stage in enumerate((stage1, stage2, stage3, stage4), start=1):
        F[f"r50.s{i}"] = str(n_params(stage))
        F[f"r50.s{i}.first"] = str(n_params(stage[0]))
        F[f"r50.s{i}.other"] = str(n_params(stage[1]))
        assert n_params(stage) == n_params(stage[0]) + (len(stage) - 1) * n_params(stage[1])
    F["r50.depth"] = str(weighted_depth(r50))
    F["r50.blocks.x3"] = str(3 * sum(RESNET_CONFIGS[50][0]))

    # Shapes through ResNet-50 for a 224×224 image.
    shapes: list[tuple[int, ...]] = []
    probe = meta(lambda: imagenet_resnet(*RESNET_CONFIGS[50]))
    hooks = [probe[0][0].register_forward_hook(lambda _m, _i, o: shapes.append(tuple(o.shape[1:])))]
    hooks += [probe[i].register_forward_hook(lambda _m, _i, o: shapes.append(tuple(o.shape[1:]))) for i in range(5)]
    with torch.no_grad():
        probe.eval()(torch.zeros(1, 3, 224, 224, device="meta"))
    for h in hooks:
        h.remove()
    conv1, after_pool, s1, s2, s3, s4 = shapes
    F |= {
        "r50.conv1.hw": str(conv1[1]),
        "r50.pool.hw": str(after_pool[1]),
        "r50.s1.channels": str(s1[0]),
        "r50.s2.hw": str(s2[1]),
        "r50.s3.hw": str(s3[1]),
        "r50.s4.hw": str(s4[1]),
        "r50.final.channels": str(s4[0]),
        "r50.downsampling": str(224 // s4[1]),
    }
    F["r50.final.shape"] = repr(list(s4))

    # ResNet-50's stem on a 28×28 input.
    small = resnet_stem()(torch.zeros(1, 3, 28, 28))
    F["r50.stem.on28"] = str(small.shape[-1])

    # ResNet-152 depth from its block configuration.
    r152 = meta(lambda: imagenet_resnet(*RESNET_CONFIGS[152]))
    F["r152.depth"] = str(weighted_depth(r152))
    F["r152.blocks.x3"] = str(3 * sum(RESNET_CONFIGS[152][0]))

    # Bottleneck vs basic block weights.
    bneck = Bottleneck(256, 64, 1)
    w = [m.weight.numel() for m in bneck.body if isinstance(m, nn.Conv2d)]
    basic64 = BasicBlock(64, 64, 1)
    wide = [nn.Conv2d(256, 256, 3, padding=1, bias=False) for _ in range(2)]
    F |= {
        "bneck.1x1": str(w[0]),
        "bneck.3x3": str(w[1]),
        "bneck.total": str(sum(w)),
        "bneck.width": str(bneck.body[0].out_channels),
        "basic64": str(sum(m.weight.numel() for m in basic64.body if isinstance(m, nn.Conv2d))),
        "two3x3.256": str(conv_weights(*wide)),
        "bneck.ratio": f1(conv_weights(*wide) / sum(w)),
    }

    # CIFAR ResNets: 6n + 2 (basic) and 9n + 2 (bottleneck, pre-activation paper).
    for n in (3, 9, 18, 200):
        F[f"cifar.basic.n{n}"] = str(weighted_depth(meta(lambda n=n: cifar_resnet(n, bottleneck=False))))
    F["cifar.bottleneck.n111"] = str(weighted_depth(meta(lambda: cifar_resnet(111, bottleneck=True))))

    # --- DenseNet.
    d121, trace = densenet121()
    dense_convs = sum(
        isinstance(m, nn.Conv2d)
        for blk in d121
        if isinstance(blk, nn.Sequential)
        for m in blk.modules()
        if any(isinstance(layer, DenseLayer) for layer in blk)
    )
    F |= {
        "d121.params.M": f1(n_params(d121) / 1e6),
        "d121.params.wan": f"{n_params(d121) / 1e4:.0f}",
        "d121.depth": str(weighted_depth(d121)),
        "d121.dense_convs": str(dense_convs),
        "d121.layers": str(6 + 12 + 24 + 16),
        "d121.bottleneck": str(d121[4][0].body[2].out_channels),
        "d121.trace": " → ".join(map(str, trace)),
        "d121.final": str(trace[-1]),
    }
    for v in trace:
        F[f"d121.c{v}"] = str(v)

    block = dense_block(64, 32, 6)
    seen: list[int] = []
    for layer in block:
        layer.register_forward_pre_hook(lambda _m, inp: seen.append(inp[0].shape[1]))
    out = block(torch.zeros(1, 64, 4, 4))
    F["dense.out"] = str(out.shape[1])
    F["dense.layer6.in"] = str(seen[5])
    # Each layer reads the block input plus every earlier layer: (inputs - k0)/k + 1 sources.
    F["dense.connections"] = str(sum((c_in - 64) // 32 + 1 for c_in in seen))
    tr = transition(256, 0.5)(torch.zeros(1, 256, 56, 56))
    F["dense.transition.shape"] = repr(list(tr.shape[1:]))
    F["dense.transition.c"] = str(tr.shape[1])
    F["dense.transition.hw"] = str(tr.shape[2])

    # --- MobileNet: one 14×14×512 layer.
    dw = nn.Conv2d(512, 512, 3, padding=1, groups=512, bias=False)
    pw = nn.Conv2d(512, 512, 1, bias=False)
    std = nn.Conv2d(512, 512, 3, padding=1, bias=False)
    x = torch.zeros(1, 512, 14, 14)
    m_dw, m_pw, m_std = macs(dw, x)["depthwise"], macs(pw, x)["pointwise"], macs(std, x)["standard"]
    speedup = Fraction(m_std, m_dw + m_pw)
    F |= {
        "mb.hw2": str(14 * 14),
        "mb.dw": str(m_dw),
        "mb.pw": str(m_pw),
        "mb.sep": str(m_dw + m_pw),
        "mb.sep.M": f1((m_dw + m_pw) / 1e6),
        "mb.std": str(m_std),
        "mb.std.M": f1(m_std / 1e6),
        "mb.ratio": f"{float(1 / speedup):.4f}",
        "mb.speedup": f"{float(speedup):.2f}",
        "mb.speedup.num": str(speedup.numerator),
        "mb.speedup.den": str(speedup.denominator),
    }

    v1 = meta(mobilenet_v1)
    v1_macs = macs(v1, torch.zeros(1, 3, 224, 224, device="meta"))
    v1_total = sum(v1_macs.values())
    F |= {
        "v1.params": str(n_params(v1)),
        "v1.params.M": f1(n_params(v1) / 1e6),
        "v1.params.MB": f"{n_params(v1) / 1e6:.2f}",
        "v1.params.MB.fp32": f1(4 * n_params(v1) / 1e6),
        "v1.macs.M": f"{v1_total / 1e6:.0f}",
        "v1.pointwise%": f"{100 * v1_macs['pointwise'] / v1_total:.0f}",
        "v1.depth": str(weighted_depth(v1)),
        "v1.vs.256KiB": f"{n_params(v1) / (256 * 1024):.0f}",
        "256KiB": str(256 * 1024),
    }

    tiny = mobilenet_v1(alpha=0.25, in_ch=1, classes=2)
    tiny_params = n_params(tiny)
    peak = peak_activation(tiny, torch.zeros(1, 1, 96, 96))  # int8: one byte per element
    assert peak < 256 * 1024
    assert round(tiny_params / 1000, -1) == round(tiny_params / 1024, -1)  # "210 KB" either way
    F |= {
        "tiny.params.M": f"{tiny_params / 1e6:.2f}",
        "tiny.KB": f"{round(tiny_params / 1000, -1):.0f}",
        "tiny.peak": str(peak),
        "tiny.peak.KiB": f"{peak / 1024:.0f}",
    }

    # MobileNetV2 inverted residual 24 → 144 → 24.
    t6 = 6
    expand = nn.Conv2d(24, 24 * t6, 1, bias=False)
    depthwise = nn.Conv2d(24 * t6, 24 * t6, 3, padding=1, groups=24 * t6, bias=False)
    project = nn.Conv2d(24 * t6, 24, 1, bias=False)
    F |= {
        "v2.expanded": str(expand.out_channels),
        "v2.expand": str(expand.weight.numel()),
        "v2.dw": str(depthwise.weight.numel()),
        "v2.total": str(conv_weights(expand, depthwise, project)),
        "v2.std144": str(nn.Conv2d(144, 144, 3, bias=False).weight.numel()),
    }

    # EfficientNet compound scaling with the paper's α, β, γ.
    alpha, beta, gamma = 1.2, 1.1, 1.15
    per_step = alpha * beta**2 * gamma**2
    F |= {
        "eff.beta2": f"{beta**2:.2f}",
        "eff.gamma2": f"{gamma**2:.4f}",
        "eff.step": f"{per_step:.2f}",
        "eff.phi3": f"{per_step**3:.2f}",
    }

    # --- Comparisons.
    v16 = meta(vgg16)
    fc1 = next(m for m in v16 if isinstance(m, nn.Linear))
    F |= {
        "vgg16.params": str(n_params(v16)),
        "vgg16.params.M": f"{n_params(v16) / 1e6:.0f}",
        "vgg16.params.yi": f"{n_params(v16) / 1e8:.2f}",
        "vgg16.fc1": str(n_params(fc1)),
        "vgg16/r50": f"{n_params(v16) / total:.2f}",
    }
    F["fps30.ms"] = f"{1000 / 30:.0f}"
    F["fine.total"] = str(100 * 50)
    F["fine.train.frac"] = f1(1 - 0.2)
    F["fine.train.per_class"] = f"{50 * 0.8:.0f}"
    F["fine.train"] = f"{100 * 50 * 0.8:.0f}"
    F["go.points"] = str(19 * 19)
    return F


# Which computed facts each card states.
CLAIMS: dict[str, tuple[str, ...]] = {
    "inception-module-idea": ("googlenet.depth",),
    "inception-googlenet-details": ("googlenet.depth",),
    "inception-1x1-reduction": ("inc.naive.M", "inc.naive.yi", "inc.total.M", "inc.total.wan"),
    "inception-v3-factorisation": (
        "fact.two3x3",
        "fact.5x5",
        "fact.5x5.saving%",
        "fact.3x3.saving%",
        "fact.7x7.saving%",
    ),
    "inception-choice-factorise-5x5": ("fact.two3x3", "fact.5x5", "fact.5x5.saving%"),
    "inception-5x5-naive-macs": ("inc.naive", "inc.naive.M", "inc.naive.yi", "inc.per_output", "inc.outputs"),
    "inception-5x5-bottleneck-macs": (
        "inc.reduce",
        "inc.reduce.M",
        "inc.conv5",
        "inc.conv5.M",
        "inc.total",
        "inc.total.M",
        "inc.total.wan",
        "inc.naive.M",
        "inc.saving",
    ),
    "inception-3a-output-channels": ("inc.3a.channels",),
    "inception-7x7-factorised-fraction": ("fact.7x7", "fact.1x7+7x1", "fact.7x7.fraction", "fact.7x7.saving%"),
    "resnet-degradation": ("cifar.basic.n3", "cifar.basic.n9"),
    "resnet-choice-degradation": ("cifar.basic.n3", "cifar.basic.n9"),
    "resnet-identity-gradient": ("cifar.bottleneck.n111",),
    "resnet-very-deep": ("cifar.basic.n200", "cifar.basic.n18", "cifar.bottleneck.n111"),
    "resnet-bottleneck-design": (
        "bneck.total",
        "basic64",
        "two3x3.256",
        "bneck.ratio",
        "r50.params.M",
        "r50.params.wan",
        "bneck.width",
    ),
    "resnet-bottleneck-params": ("bneck.1x1", "bneck.3x3", "bneck.total", "two3x3.256", "bneck.ratio", "bneck.width"),
    "resnet-50-params": (
        "r50.params",
        "r50.params.M",
        "r50.params.wan",
        "r50.stem.conv",
        "r50.stem",
        "r50.fc",
        "r50.fc.in",
        "r50.proj64",
        "r50.proj64.bn",
        "r50.s1",
        "r50.s1.first",
        "r50.s1.other",
        "r50.s2",
        "r50.s2.first",
        "r50.s2.other",
        "r50.s3",
        "r50.s3.first",
        "r50.s3.other",
        "r50.s4",
        "r50.s4.first",
        "r50.s4.other",
    ),
    "resnet-50-final-shape": (
        "r50.conv1.hw",
        "r50.pool.hw",
        "r50.s1.channels",
        "r50.s2.hw",
        "r50.s3.hw",
        "r50.s4.hw",
        "r50.final.channels",
        "r50.downsampling",
    ),
    "resnet-152-depth": ("r50.depth", "r50.blocks.x3", "r152.depth", "r152.blocks.x3"),
    "densenet-idea": ("d121.params.M", "r50.params.M"),
    "densenet-vs-resnet": ("d121.params.M", "r50.params.M"),
    "densenet-growth-rate": ("dense.out",),
    "densenet-transition": ("dense.transition.c",),
    "densenet-121-structure": (
        "d121.depth",
        "d121.dense_convs",
        "d121.layers",
        "d121.bottleneck",
        "d121.final",
        "d121.params.M",
        "d121.params.wan",
        "d121.c256",
        "d121.c512",
    ),
    "densenet-channels-64-32": ("dense.out",),
    "densenet-layer-input-channels": ("dense.layer6.in", "dense.out"),
    "densenet-transition-shape": ("dense.transition.c", "dense.transition.hw"),
    "densenet-connections": ("dense.connections",),
    "mobile-cost-derivation": ("v1.pointwise%",),
    "mobile-v1-design": ("v1.params.M", "v1.macs.M", "v1.depth"),
    "mobile-efficientnet-compound": ("eff.step",),
    "mobile-separable-14x14-macs": ("mb.hw2", "mb.dw", "mb.pw", "mb.sep", "mb.sep.M", "mb.std", "mb.std.M"),
    "mobile-separable-speedup": ("mb.ratio", "mb.speedup", "mb.speedup.num", "mb.speedup.den", "mb.sep", "mb.std"),
    "mobile-v2-block-params": ("v2.expanded", "v2.expand", "v2.dw", "v2.total", "v2.std144"),
    "mobile-efficientnet-flops": ("eff.beta2", "eff.gamma2", "eff.step", "eff.phi3"),
    "choice-cnn-architectures-overview": ("vgg16.params.M", "vgg16.params.yi", "r50.params.M"),
    "choice-phone-detector-30fps": ("fps30.ms",),
    "choice-mcu-256kb": ("v1.params.M", "tiny.params.M", "tiny.KB", "tiny.peak", "tiny.peak.KiB"),
    "choice-fine-grained-100x50": ("fine.total",),
    "choice-small-grayscale": ("r50.params.M", "r50.stem.on28"),
    "choice-image-retrieval": ("r50.final.channels",),
    "choice-pick-phone-backbone": ("vgg16.params.M", "d121.params.M"),
    "choice-vgg-vs-resnet-params": ("vgg16.params", "r50.params", "vgg16/r50", "vgg16.fc1", "r50.final.channels"),
    "choice-mcu-mobilenet-int8-size": ("v1.params", "v1.params.MB", "v1.params.MB.fp32", "v1.vs.256KiB", "256KiB"),
    "choice-fine-grained-image-count": (
        "fine.train.frac",
        "fine.train.per_class",
        "fine.train",
        "fine.total",
    ),
    "ai-alphago-policy-outputs": ("go.points",),
}

# Numbers that are inputs of a card (scenario or problem givens), constants quoted from a paper, or
# small architectural settings named in the card; they cannot be computed, so each is listed with the card.
GIVENS: dict[str, set[str]] = {
    "inception-1x1-reduction": {"28", "32", "192"},
    "inception-googlenet-details": {"0.3"},  # auxiliary loss weight (Szegedy et al. 2014)
    "inception-aux-classifiers": {"0.3"},
    "inception-v3-factorisation": {"18", "25"},
    "inception-choice-pool-projection": {"192"},
    "inception-5x5-naive-macs": {"28", "32", "192"},
    "inception-5x5-bottleneck-macs": {"16", "28", "32", "192"},
    "inception-3a-output-channels": {"16", "28", "32", "64", "96", "128", "192"},
    "inception-7x7-factorised-fraction": {"14", "49"},
    "resnet-very-deep": {"200"},
    "resnet-50-params": {"64", "128", "256", "512", "1024", "2048", "16384"},
    "resnet-bottleneck-design": {"64", "256"},
    "resnet-bottleneck-params": {"64", "256"},
    "resnet-50-final-shape": {"256", "512", "2048", "28", "14"},
    "resnet-152-depth": {"36"},
    "densenet-growth-rate": {"12", "32", "64"},  # k = 12 on CIFAR, 32 in DenseNet-121 (Huang et al.)
    "densenet-transition": {"0.5", "256"},  # θ = 0.5 in DenseNet-BC
    "densenet-bottleneck": {"0.5", "32"},
    "densenet-121-structure": {"0.5", "12", "16", "24", "32", "64", "128", "1024"},
    "densenet-channels-64-32": {"32", "64"},
    "densenet-layer-input-channels": {"32", "64"},
    "densenet-transition-shape": {"0.5", "56", "256"},
    "mobile-efficientnet-compound": {"1.2", "1.1", "1.15"},  # Tan & Le 2019 grid search
    "mobile-efficientnet-flops": {"1.2", "1.1", "1.15"},
    "mobile-separable-14x14-macs": {"14", "512"},
    "mobile-separable-speedup": {"14", "512"},
    "mobile-v2-block-params": {"24", "144"},
    "choice-phone-detector-30fps": {"30"},
    "choice-medical-2000-images": {"2000"},
    "choice-pick-small-data-strategy": {"2000"},
    "choice-mcu-256kb": {"0.25", "96", "256"},  # TF Lite Micro person-detection setting: α = 0.25, 96×96
    "choice-satellite-high-res": {"512", "1024"},
    "choice-fine-grained-100x50": {"50", "100", "448"},
    "choice-small-grayscale": {"28"},
    "choice-one-gpu-budget": {"100000"},
    "choice-vgg-vs-resnet-params": {"512", "4096"},
    "choice-mcu-mobilenet-int8-size": {"256"},
    "choice-fine-grained-image-count": {"20", "50", "100"},
    "ai-alphago-cnn": {"19"},
    "ai-choice-alphago": {"19"},
    "ai-alphago-policy-outputs": {"19"},
}

# Allowed in any card: years (ILSVRC 2012/2014/2015 winners AlexNet/GoogLeNet/ResNet, Xception 2016,
# AlphaGo–Lee Sedol 2016, as in SYLLABUS.md), ImageNet's 1,000 classes and 224×224 input.
YEARS = {"2012", "2014", "2015", "2016"}
CONVENTIONS = {"1000", "224"}

# Numeric cards: the computed value each answer must equal.
ANSWERS: dict[str, Callable[[], Any]] = {
    "inception-5x5-naive-macs": lambda: int(facts()["inc.naive"]),
    "inception-5x5-bottleneck-macs": lambda: int(facts()["inc.total"]),
    "inception-3a-output-channels": lambda: int(facts()["inc.3a.channels"]),
    "inception-7x7-factorised-fraction": lambda: int(facts()["fact.1x7+7x1"]) / int(facts()["fact.7x7"]),
    "resnet-50-params": lambda: int(facts()["r50.params"]),
    "resnet-bottleneck-params": lambda: int(facts()["bneck.total"]),
    "resnet-50-final-shape": lambda: eval_list(facts()["r50.final.shape"]),
    "resnet-152-depth": lambda: int(facts()["r152.depth"]),
    "densenet-channels-64-32": lambda: int(facts()["dense.out"]),
    "densenet-layer-input-channels": lambda: int(facts()["dense.layer6.in"]),
    "densenet-transition-shape": lambda: eval_list(facts()["dense.transition.shape"]),
    "densenet-connections": lambda: int(facts()["dense.connections"]),
    "mobile-separable-14x14-macs": lambda: int(facts()["mb.sep"]),
    "mobile-separable-speedup": lambda: int(facts()["mb.std"]) / int(facts()["mb.sep"]),
    "mobile-v2-block-params": lambda: int(facts()["v2.total"]),
    "mobile-efficientnet-flops": lambda: (1.2 * 1.1**2 * 1.15**2) ** 3,
    "choice-vgg-vs-resnet-params": lambda: int(facts()["vgg16.params"]) / int(facts()["r50.params"]),
    "choice-mcu-mobilenet-int8-size": lambda: int(facts()["v1.params"]) / 1e6,
    "choice-fine-grained-image-count": lambda: int(facts()["fine.train"]),
    "ai-alphago-policy-outputs": lambda: int(facts()["go.points"]),
}


def eval_list(text: str) -> list[int]:
    return [int(v) for v in text.strip("[]").split(",")]


# -------------------------------------------------------------------------------------------------
# Tests
# -------------------------------------------------------------------------------------------------


def test_known_totals() -> None:
    """The headline numbers match the published/torchvision counts, from our own layer lists."""
    F = facts()
    assert F["r50.params"] == "25557032"
    assert F["vgg16.params"] == "138357544"
    assert F["v1.params"] == "4231976"
    assert F["inc.naive"] == "120422400" and F["inc.total"] == "12443648"
    assert F["d121.trace"] == "64 → 256 → 128 → 512 → 256 → 1024 → 512 → 1024"
    assert F["d121.depth"] == "121" and F["googlenet.depth"] == "22"
    assert int(F["cifar.basic.n200"]) > 1000  # "trained past 1,000 layers"


@pytest.mark.parametrize("card_id", sorted(CLAIMS))
def test_stated_facts_appear_as_computed(card_id: str) -> None:
    stated = numbers_in(card(card_id))
    missing = {name: facts()[name] for name in CLAIMS[card_id] if facts()[name] not in stated}
    assert not missing, f"{card_id}: computed values not found in the card: {missing}"


@pytest.mark.parametrize("card_id", sorted(load_cards()))
def test_every_number_is_checked(card_id: str) -> None:
    allowed = {facts()[name] for name in CLAIMS.get(card_id, ())} | GIVENS.get(card_id, set()) | YEARS | CONVENTIONS
    unchecked = {n for n in numbers_in(card(card_id)) if not is_structural(n) and n not in allowed}
    assert not unchecked, f"{card_id}: numbers with no computed fact or documented given: {sorted(unchecked)}"


@pytest.mark.parametrize("card_id", sorted(ANSWERS))
def test_numeric_answers(card_id: str) -> None:
    q = card(card_id)
    assert q["kind"] == "numeric"
    expected = ANSWERS[card_id]()
    if isinstance(expected, (list, int)):
        assert q["answer"] == expected
    else:
        assert math.isclose(q["answer"], expected, rel_tol=1e-6)


def test_every_numeric_card_is_checked() -> None:
    numeric = {cid for cid, q in load_cards().items() if q["kind"] == "numeric"}
    assert numeric == set(ANSWERS)


def test_model_name_depths() -> None:
    """ResNet-18/34/50/101/152, VGG-16 and DenseNet-121 are named after their weighted depth."""
    for depth, cfg in RESNET_CONFIGS.items():
        assert weighted_depth(meta(lambda cfg=cfg: imagenet_resnet(*cfg))) == depth
    assert weighted_depth(meta(vgg16)) == 16
    assert facts()["d121.depth"] == "121"
    names = {m.group(0) for q in load_cards().values() for t in card_texts(q) for m in MODEL_NAME.finditer(t)}
    allowed = {
        "ResNet-18", "ResNet-34", "ResNet-50", "ResNet-101", "ResNet-152", "ResNet-18/34", "ResNet-50/101/152",
        "ResNet-50/18", "VGG-16", "DenseNet-121", "LeNet-5", "CIFAR-10",
    }  # fmt: skip
    assert names <= allowed, names - allowed


def test_separable_ratio_formula() -> None:
    """(D_K²·M·D_F² + M·N·D_F²)/(D_K²·M·N·D_F²) = 1/N + 1/D_K², from MACs of real layers."""
    for m_in, n_out, k, hw in ((8, 16, 3, 7), (16, 8, 5, 6), (32, 64, 3, 5)):
        x = torch.zeros(1, m_in, hw, hw)
        dw = macs(nn.Conv2d(m_in, m_in, k, padding=k // 2, groups=m_in, bias=False), x)["depthwise"]
        pw = macs(nn.Conv2d(m_in, n_out, 1, bias=False), x)["pointwise"]
        std = macs(nn.Conv2d(m_in, n_out, k, padding=k // 2, bias=False), x)["standard"]
        assert dw == k * k * m_in * hw * hw and pw == m_in * n_out * hw * hw
        assert Fraction(dw + pw, std) == Fraction(1, n_out) + Fraction(1, k * k)
    # "about 8–9× fewer MACs for 3×3 kernels" once N is large
    assert {round(1 / (1 / n + 1 / 9)) for n in (64, 128, 256, 512, 1024)} == {8, 9}


def test_width_and_resolution_multipliers() -> None:
    """MobileNet: α scales compute and parameters by about α²; ρ scales compute by ρ², parameters not at all."""
    full = mobilenet_v1()
    half = mobilenet_v1(alpha=0.5)
    x224, x112 = torch.zeros(1, 3, 224, 224), torch.zeros(1, 3, 112, 112)
    conv_macs = {k: v for k, v in macs(full, x224).items() if k != "fc"}
    half_macs = {k: v for k, v in macs(half, x224).items() if k != "fc"}
    assert math.isclose(sum(half_macs.values()) / sum(conv_macs.values()), 0.25, rel_tol=0.05)
    assert half_macs["pointwise"] * 4 == conv_macs["pointwise"]
    # Parameters of the conv part scale by α² too (the FC layer only by α, hence "roughly").
    conv_params = sum(p.numel() for m in full.modules() if isinstance(m, nn.Conv2d) for p in m.parameters())
    half_params = sum(p.numel() for m in half.modules() if isinstance(m, nn.Conv2d) for p in m.parameters())
    assert math.isclose(half_params / conv_params, 0.25, rel_tol=0.05)
    # ρ = 0.5: compute ≈ ×ρ² (odd map sizes such as 7 → 4 make it approximate); parameters unchanged.
    low = {k: v for k, v in macs(full, x112).items() if k != "fc"}
    assert math.isclose(sum(low.values()) / sum(conv_macs.values()), 0.25, rel_tol=0.05)


def test_compound_scaling_flops() -> None:
    """FLOPs ∝ depth · width² · resolution² (EfficientNet's reason to square β and γ)."""

    def net(depth: int, width: int) -> nn.Sequential:
        return nn.Sequential(*(nn.Conv2d(width, width, 3, padding=1, bias=False) for _ in range(depth)))

    def cost(depth: int, width: int, res: int) -> int:
        return sum(macs(net(depth, width), torch.zeros(1, width, res, res)).values())

    base = cost(2, 8, 8)
    assert cost(4, 8, 8) == 2 * base
    assert cost(2, 16, 8) == 4 * base
    assert cost(2, 8, 16) == 4 * base


def test_ids_topics_and_follow_ups() -> None:
    cards = load_cards()
    for cid, q in cards.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cid), cid
        assert cid.startswith(PREFIXES[q["topic"]]), (cid, q["topic"])
        for target in q.get("follow_ups", ()):
            assert target in cards, f"{cid} → {target}"
    links = sum(len(q.get("follow_ups", ())) for q in cards.values())
    assert links >= 15
    assert sum("scenario" in q.get("tags", ()) for q in cards.values()) >= 15


def test_coverage_per_topic() -> None:
    by_topic: dict[str, dict[str, int]] = {}
    for q in load_cards().values():
        kinds = by_topic.setdefault(q["topic"], {})
        kinds[q["kind"]] = kinds.get(q["kind"], 0) + 1
    for topic in PREFIXES:
        kinds = by_topic[topic]
        assert sum(kinds.values()) >= 12, (topic, kinds)
        assert kinds.get("concept", 0) >= 6, (topic, kinds)
        assert kinds.get("choice", 0) >= 3, (topic, kinds)
