"""Torch oracles for the architecture, module and matmul families: build the networks and run them."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from quizforge.numeric.base import Answer
from quizforge.numeric.oracle import oracle
from quizforge.numeric.oracles.cnn import count_macs, param_count

if TYPE_CHECKING:
    import torch
    from torch import nn


def _meta(*shape: int) -> torch.Tensor:
    import torch

    return torch.empty(*shape, device="meta")


def _mobile_convs(k: int, c_in: int, c_out: int) -> tuple[nn.Module, nn.Module, nn.Module]:
    """Depthwise (groups = c_in), pointwise (1×1) and standard convs, 'same' padding, no bias."""
    from torch import nn

    depthwise = nn.Conv2d(c_in, c_in, k, padding="same", groups=c_in, bias=False, device="meta")
    pointwise = nn.Conv2d(c_in, c_out, 1, bias=False, device="meta")
    standard = nn.Conv2d(c_in, c_out, k, padding="same", bias=False, device="meta")
    return depthwise, pointwise, standard


@oracle("depthwise_separable_ratio")
def depthwise_separable_ratio(params: dict[str, Any]) -> Answer:
    from torch import nn

    depthwise, pointwise, standard = _mobile_convs(params["k"], params["c_in"], params["c_out"])
    x = _meta(1, params["c_in"], 10, 10)  # any spatial size: it cancels
    return count_macs(nn.Sequential(depthwise, pointwise), x) / count_macs(standard, x)


@oracle("depthwise_separable_cost")
def depthwise_separable_cost(params: dict[str, Any]) -> Answer:
    from torch import nn

    depthwise, pointwise, standard = _mobile_convs(params["k"], params["c_in"], params["c_out"])
    x = _meta(1, params["c_in"], params["h"], params["w"])
    ask = params["ask"]
    if ask == "depthwise":
        return count_macs(depthwise, x)
    if ask == "pointwise":
        return count_macs(pointwise, depthwise(x))
    if ask == "separable":
        return count_macs(nn.Sequential(depthwise, pointwise), x)
    return count_macs(standard, x)


@oracle("densenet_channels")
def densenet_channels(params: dict[str, Any]) -> Answer:
    import torch
    from torch import nn

    features = [_meta(1, params["k0"], 8, 8)]
    for i in range(params["l"]):
        x = torch.cat(features, dim=1)
        if params["ask"] == "layer_input" and i == params["l"] - 1:
            return int(x.shape[1])
        features.append(nn.Conv2d(x.shape[1], params["k"], 3, padding=1, device="meta")(x))
    return int(torch.cat(features, dim=1).shape[1])


def _run_named(layers: OrderedDict[str, nn.Module], x: torch.Tensor, name: str, ask: str) -> Answer:
    """Output shape (without batch) after layer ``name``, or that layer's parameter count."""
    for layer_name, module in layers.items():
        x = module(x)
        if layer_name == name:
            return tuple(int(v) for v in x.shape[1:]) if ask == "shape" else param_count(module)
    raise KeyError(name)


@oracle("lenet_shapes")
def lenet_shapes(params: dict[str, Any]) -> Answer:
    from torch import nn

    def after(*mods: nn.Module) -> nn.Module:
        return nn.Sequential(*mods)

    layers: OrderedDict[str, nn.Module] = OrderedDict(
        C1=nn.Conv2d(1, 6, 5, padding=params["c1_padding"], device="meta"),
        S2=after(nn.ReLU(), nn.MaxPool2d(2, 2)),
        C3=nn.Conv2d(6, 16, 5, device="meta"),
        S4=after(nn.ReLU(), nn.MaxPool2d(2, 2)),
        C5=nn.Conv2d(16, 120, 5, device="meta"),
        F6=after(nn.ReLU(), nn.Flatten(), nn.Linear(120, 84, device="meta")),
        output=after(nn.ReLU(), nn.Linear(84, 10, device="meta")),
    )
    size = params["input_size"]
    return _run_named(layers, _meta(1, 1, size, size), params["layer"], params["ask"])


@oracle("alexnet_shapes")
def alexnet_shapes(params: dict[str, Any]) -> Answer:
    from torch import nn

    def conv(c_in: int, c_out: int, k: int, s: int = 1, p: int = 0) -> nn.Module:
        return nn.Sequential(nn.Conv2d(c_in, c_out, k, stride=s, padding=p, device="meta"), nn.ReLU())

    layers: OrderedDict[str, nn.Module] = OrderedDict(
        conv1=conv(3, 96, 11, 4),
        pool1=nn.MaxPool2d(3, 2),
        conv2=conv(96, 256, 5, p=2),
        pool2=nn.MaxPool2d(3, 2),
        conv3=conv(256, 384, 3, p=1),
        conv4=conv(384, 384, 3, p=1),
        conv5=conv(384, 256, 3, p=1),
        pool3=nn.MaxPool2d(3, 2),
        fc6=nn.Sequential(nn.Flatten(), nn.Linear(256 * 6 * 6, 4096, device="meta"), nn.ReLU()),
        fc7=nn.Sequential(nn.Linear(4096, 4096, device="meta"), nn.ReLU()),
        fc8=nn.Linear(4096, 1000, device="meta"),
    )
    size = params["input_size"]
    return _run_named(layers, _meta(1, 3, size, size), params["layer"], params["ask"])


@oracle("vgg_shapes")
def vgg_shapes(params: dict[str, Any]) -> Answer:
    from torch import nn

    c_in, c_out, h = params["c_in"], params["c_out"], params["h"]
    mods: list[nn.Module] = []
    for i in range(params["n_convs"]):
        mods += [nn.Conv2d(c_in if i == 0 else c_out, c_out, 3, padding=1, device="meta"), nn.ReLU()]
    block = nn.Sequential(*mods, nn.MaxPool2d(2, 2))
    if params["ask"] == "params":
        return param_count(block)
    return tuple(int(v) for v in block(_meta(1, c_in, h, h)).shape[1:])


@oracle("module_param_count")
def module_param_count(params: dict[str, Any]) -> Answer:
    from torch import nn

    builders: dict[str, type[nn.Module]] = {
        "Linear": nn.Linear,
        "Conv2d": nn.Conv2d,
        "ReLU": nn.ReLU,
        "MaxPool2d": nn.MaxPool2d,
    }
    mods: list[nn.Module] = []
    for spec in params["layers"]:
        kwargs = {key: value for key, value in spec.items() if key != "type"}
        if spec["type"] in ("Linear", "Conv2d"):
            kwargs["device"] = "meta"
        mods.append(builders[spec["type"]](**kwargs))
    return param_count(nn.Sequential(*mods))


@oracle("matmul_shape")
def matmul_shape(params: dict[str, Any]) -> Answer:
    import torch

    a = torch.zeros(*params["a"])
    b = torch.zeros(*params["b"])
    fn = torch.mm if params["op"] == "mm" else torch.matmul
    try:
        label = str(fn(a, b).shape)
    except RuntimeError:
        label = "error"
    return [params["options"].index(label)]
