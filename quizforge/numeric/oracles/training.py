"""Torch oracles for the training families.

Quadratic GD questions use ``torch.linalg.eigvalsh`` (bounds) or autograd on f(x) = ½xᵀAx + bᵀx with a
real ``torch.optim.SGD`` (steps); linear regression back-propagates exactly the loss the question states
(``nn.MSELoss``, halved for the 1/(2n) convention); weight decay differentiates the explicit penalty and
takes a plain SGD step; sigmoid factors come from autograd through ``torch.sigmoid``; initialisation
scales from ``torch.nn.init``'s own fan and gain rules. torch is imported inside the functions.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from quizforge.numeric.base import Answer
from quizforge.numeric.oracle import oracle

if TYPE_CHECKING:
    import torch


def _t(values: Any, grad: bool = False) -> torch.Tensor:
    import torch

    return torch.tensor(values, dtype=torch.float64, requires_grad=grad)


def _as_answer(values: list[float]) -> Answer:
    return values[0] + 0.0 if len(values) == 1 else [v + 0.0 for v in values]


@oracle("gd_lr_bound")
def gd_lr_bound(params: dict[str, Any]) -> Answer:
    import torch

    return 2.0 / float(torch.linalg.eigvalsh(_t(params["A"])).max().item())


@oracle("gd_optimal_lr")
def gd_optimal_lr(params: dict[str, Any]) -> Answer:
    import torch

    lam = torch.linalg.eigvalsh(_t(params["A"]))
    return 2.0 / float((lam.min() + lam.max()).item())


@oracle("gd_steps")
def gd_steps(params: dict[str, Any]) -> Answer:
    import torch

    a, b = _t(params["A"]), _t(params["b"])
    x = torch.nn.Parameter(_t([float(v) for v in params["x0"]]))
    opt = torch.optim.SGD([x], lr=params["lr"])
    for _ in range(params["steps"]):
        loss = 0.5 * torch.dot(x, a @ x) + torch.dot(b, x)
        (x.grad,) = torch.autograd.grad(loss, x)
        opt.step()
    out: list[float] = x.detach().tolist()
    return _as_answer(out)


@oracle("linreg_gd_step")
def linreg_gd_step(params: dict[str, Any]) -> Answer:
    """Autograd on nn.MSELoss (×½ for L = 1/(2n)·Σ(ŷ − y)²), then one torch.optim.SGD step."""
    import torch
    from torch import nn

    x, y = _t(params["x"]), _t(params["y"])
    w = nn.Parameter(_t(float(params["w"])))
    b = nn.Parameter(_t(float(params["b"])))
    opt = torch.optim.SGD([w, b], lr=params["lr"])
    loss = nn.MSELoss()(w * x + b, y)
    if params["loss"] == "half":
        loss = 0.5 * loss
    loss.backward()
    opt.step()
    return [float(w.item()) + 0.0, float(b.item()) + 0.0]


@oracle("weight_decay_step")
def weight_decay_step(params: dict[str, Any]) -> Answer:
    """Autograd through L(w) + penalty, where L is linear with the given gradient, then plain SGD."""
    import torch

    w = torch.nn.Parameter(_t([float(v) for v in params["w"]]))
    g, lam = _t(params["grad"]), params["lambda"]
    opt = torch.optim.SGD([w], lr=params["lr"])
    data_loss = g @ w  # any L with ∇L(w) = g at this w gives the same step
    sq = (w * w).sum()
    penalty = lam / 2 * sq if params["penalty"] == "half" else lam * sq
    (data_loss + penalty).backward()
    opt.step()
    out: list[float] = w.detach().tolist()
    return _as_answer(out)


def _max_sigmoid_slope() -> float:
    """max σ′ over a fine grid around 0, with σ′ from autograd."""
    import torch

    z = torch.linspace(-8.0, 8.0, 16001, dtype=torch.float64, requires_grad=True)
    (slope,) = torch.autograd.grad(torch.sigmoid(z).sum(), z)
    return float(slope.max().item())


@oracle("sigmoid_gradient_bound")
def sigmoid_gradient_bound(params: dict[str, Any]) -> Answer:
    import torch

    mode = params["mode"]
    if mode == "bound":
        return float(_max_sigmoid_slope() ** int(params["layers"]))
    if mode == "layers":
        limit, slope, n = 10.0 ** params["below_exponent"], _max_sigmoid_slope(), 1
        while slope**n >= limit:
            n += 1
        return n
    # A real chain a = σ(z), next z = 1·a + b, with biases that reproduce the given pre-activations.
    zs = params["pre_activations"]
    z1 = _t(zs[0], grad=True)
    z, a = z1, torch.sigmoid(z1)
    for target in zs[1:]:
        bias = target - float(a.item())
        z = 1.0 * a + bias
        a = torch.sigmoid(z)
    assert math.isclose(float(z.item()), zs[-1], abs_tol=1e-12)
    (grad,) = torch.autograd.grad(a, z1)
    return float(grad.item())


@oracle("init_variance")
def init_variance(params: dict[str, Any]) -> Answer:
    """torch.nn.init's rules: fans from the weight's shape, gain from calculate_gain."""
    import torch
    from torch.nn import init

    weight = torch.nn.Linear(params["n_in"], params["n_out"]).weight
    fan_in, fan_out = init._calculate_fan_in_and_fan_out(weight)
    mode = params["mode"]
    if mode.startswith("xavier"):
        std = init.calculate_gain("linear") * math.sqrt(2.0 / (fan_in + fan_out))  # as xavier_normal_
        return std**2 if mode == "xavier_var" else math.sqrt(3.0) * std  # xavier_uniform_: a = √3·std
    std = init.calculate_gain("relu") / math.sqrt(fan_in)  # kaiming_normal_, mode="fan_in"
    return std**2 if mode == "kaiming_var" else std
