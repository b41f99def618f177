"""Torch oracles for the CNN families: real layers, real tensors, no closed-form formulas.

Shapes come from running (meta-device) tensors through ``nn.Conv2d``/``nn.MaxPool2d``; parameter counts
from ``sum(p.numel() for p in m.parameters())``; MAC counts from forward hooks (output elements × the
size of one filter); receptive fields from the gradient footprint of one output unit through a stack of
all-ones kernels. torch is imported inside each function so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from quizforge.numeric.base import Answer
from quizforge.numeric.oracle import oracle

if TYPE_CHECKING:
    import torch
    from torch import nn


def param_count(module: nn.Module) -> int:
    """``sum(p.numel() for p in module.parameters())``."""
    return sum(p.numel() for p in module.parameters())


def count_macs(model: nn.Module, x: torch.Tensor) -> int:
    """Multiply-accumulates of every Conv2d and Linear in ``model`` for input ``x``, counted by hooks.

    Each output element of a conv is one dot product with one filter of ``weight[0].numel()``
    (= C_in/groups · kH · kW) weights; of a linear layer, with ``in_features`` weights.
    """
    import torch
    from torch import nn

    total = 0

    def hook(module: nn.Module, _inputs: Any, output: torch.Tensor) -> None:
        nonlocal total
        weight = module.weight
        assert isinstance(weight, torch.Tensor)
        total += output.numel() * weight[0].numel()

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.Conv2d | nn.Linear)]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return total


def receptive_field_by_gradient(layers: Sequence[tuple[int, int]]) -> int:
    """Side length of the input region that one output unit of a conv stack depends on.

    Every layer is an unpadded conv with an all-ones kernel (so no gradient can cancel to zero); the
    input grows until the stack yields an output; the answer is the span of the non-zero gradient of
    output (0, 0) with respect to the input.
    """
    import torch
    import torch.nn.functional as F

    n = 4
    while True:
        x = torch.zeros(1, 1, n, n, dtype=torch.float64, requires_grad=True)
        y = x
        too_small = False
        for k, s in layers:
            if y.shape[-1] < k:
                too_small = True
                break
            y = F.conv2d(y, torch.ones(1, 1, k, k, dtype=torch.float64), stride=s)
        if not too_small:
            break
        n *= 2
    (grad,) = torch.autograd.grad(y[0, 0, 0, 0], x)
    rows = torch.nonzero(grad[0, 0].abs().sum(dim=1)).flatten()
    return int(rows.max() - rows.min() + 1)


def _meta(*shape: int) -> torch.Tensor:
    import torch

    return torch.empty(*shape, device="meta")


def _as_chw(values: Any) -> torch.Tensor:
    import torch

    t = torch.tensor(values, dtype=torch.float64)
    return t[None] if t.dim() == 2 else t


@oracle("conv_output_size")
def conv_output_size(params: dict[str, Any]) -> Answer:
    from torch import nn

    n, f, p, s, d = params["n"], params["f"], params["p"], params["s"], params.get("d", 1)
    conv = nn.Conv2d(1, 1, f, stride=s, padding=p, dilation=d, device="meta")
    return int(conv(_meta(1, 1, n, n)).shape[-1])


@oracle("conv2d_forward")
def conv2d_forward(params: dict[str, Any]) -> Answer:
    import torch
    import torch.nn.functional as F

    x = _as_chw(params["input"])
    w = _as_chw(params["kernel"])
    out = F.conv2d(
        x[None],
        w[None],
        bias=torch.tensor([float(params["bias"])], dtype=torch.float64),
        stride=params["stride"],
        padding=params["padding"],
    )
    rows: list[list[float]] = out[0, 0].tolist()
    return rows


@oracle("conv_params")
def conv_params(params: dict[str, Any]) -> Answer:
    from torch import nn

    conv = nn.Conv2d(params["c_in"], params["c_out"], params["k"], bias=params["bias"], device="meta")
    return param_count(conv)


@oracle("conv_macs")
def conv_macs(params: dict[str, Any]) -> Answer:
    from torch import nn

    conv = nn.Conv2d(
        params["c_in"], params["c_out"], params["k"], stride=params["s"], padding=params["p"], device="meta"
    )
    return count_macs(conv, _meta(1, params["c_in"], params["n"], params["n"]))


@oracle("conv_output_shape")
def conv_output_shape(params: dict[str, Any]) -> Answer:
    from torch import nn

    conv = nn.Conv2d(
        params["c_in"], params["c_out"], params["k"], stride=params["s"], padding=params["p"], device="meta"
    )
    y = conv(_meta(params["batch"], params["c_in"], params["h"], params["w"]))
    return tuple(int(v) for v in y.shape[1:])


def _pool(params: dict[str, Any], kind: str) -> list[list[float]]:
    import torch
    import torch.nn.functional as F

    x = torch.tensor(params["input"], dtype=torch.float64)[None, None]
    fn = F.max_pool2d if kind == "max" else F.avg_pool2d
    rows: list[list[float]] = fn(x, params["kernel_size"], params["stride"])[0, 0].tolist()
    return rows


@oracle("max_pool2d")
def max_pool2d(params: dict[str, Any]) -> Answer:
    return _pool(params, "max")


@oracle("avg_pool2d")
def avg_pool2d(params: dict[str, Any]) -> Answer:
    return _pool(params, "avg")


@oracle("pool_output_size")
def pool_output_size(params: dict[str, Any]) -> Answer:
    from torch import nn

    pool = nn.MaxPool2d(params["kernel_size"], stride=params["stride"], padding=params["padding"])
    return int(pool(_meta(1, 64, params["n"], params["n"])).shape[-1])


@oracle("global_avg_pool")
def global_avg_pool(params: dict[str, Any]) -> Answer:
    import torch
    from torch import nn

    x = torch.tensor(params["input"], dtype=torch.float64)[None]
    values: list[float] = nn.AdaptiveAvgPool2d(1)(x).flatten().tolist()
    return values


@oracle("receptive_field")
def receptive_field(params: dict[str, Any]) -> Answer:
    return receptive_field_by_gradient([(layer["k"], layer["s"]) for layer in params["layers"]])


@oracle("stacked_3x3_vs_big")
def stacked_3x3_vs_big(params: dict[str, Any]) -> Answer:
    from torch import nn

    n, c = params["n"], params["c"]
    rf = receptive_field_by_gradient([(3, 1)] * n)
    if params["ask"] == "receptive_field":
        return rf
    if params["ask"] == "stack_weights":
        stack = nn.Sequential(*(nn.Conv2d(c, c, 3, padding=1, bias=False, device="meta") for _ in range(n)))
        return param_count(stack)
    return param_count(nn.Conv2d(c, c, rf, bias=False, device="meta"))


@oracle("bottleneck_1x1_savings")
def bottleneck_1x1_savings(params: dict[str, Any]) -> Answer:
    from torch import nn

    k, c_in, c_mid, c_out = params["k"], params["c_in"], params["c_mid"], params["c_out"]
    x = _meta(1, c_in, params["h"], params["w"])
    if params["ask"] == "direct":
        model: nn.Module = nn.Conv2d(c_in, c_out, k, padding="same", device="meta")
    else:
        model = nn.Sequential(
            nn.Conv2d(c_in, c_mid, 1, device="meta"),
            nn.ReLU(),
            nn.Conv2d(c_mid, c_out, k, padding="same", device="meta"),
        )
    return count_macs(model, x) / 1_000_000


@oracle("conv1x1_params")
def conv1x1_params(params: dict[str, Any]) -> Answer:
    from torch import nn

    return param_count(nn.Conv2d(params["c_in"], params["c_out"], 1, bias=params["bias"], device="meta"))


@oracle("fc_on_image_params")
def fc_on_image_params(params: dict[str, Any]) -> Answer:
    from torch import nn

    flat = nn.Flatten()(_meta(1, params["c"], params["h"], params["w"]))
    return param_count(nn.Linear(flat.shape[1], params["units"], bias=False, device="meta"))
