"""Torch oracles for the neural-network families: real modules, autograd and torch's own losses.

Each oracle rebuilds the question from its JSON params and lets torch answer: ``F.softmax``,
``nn.CrossEntropyLoss`` (with class-probability targets where the family used class indices),
``torch.autograd`` for every derivative and gradient, ``nn.Sequential`` of ``nn.Linear``/``nn.ReLU``,
``nn.Dropout``'s own scale and ``nn.BatchNorm1d`` buffers. torch is imported inside each function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizforge.numeric.base import Answer
from quizforge.numeric.oracle import oracle

if TYPE_CHECKING:
    import torch


def _t(values: Any, grad: bool = False) -> torch.Tensor:
    import torch

    return torch.tensor(values, dtype=torch.float64, requires_grad=grad)


@oracle("softmax_values")
def softmax_values(params: dict[str, Any]) -> Answer:
    import torch.nn.functional as F

    out: list[float] = F.softmax(_t(params["logits"]), dim=0).tolist()
    return out


@oracle("softmax_cross_entropy")
def softmax_cross_entropy(params: dict[str, Any]) -> Answer:
    import torch
    from torch import nn

    loss = nn.CrossEntropyLoss()(_t([params["logits"]]), torch.tensor([params["target"]]))
    return float(loss.item())


@oracle("softmax_ce_gradient")
def softmax_ce_gradient(params: dict[str, Any]) -> Answer:
    import torch
    import torch.nn.functional as F

    z = _t(params["logits"], grad=True)
    (grad,) = torch.autograd.grad(F.cross_entropy(z, torch.tensor(params["target"])), z)
    out: list[float] = grad.tolist()
    return out


@oracle("cross_entropy_onehot")
def cross_entropy_onehot(params: dict[str, Any]) -> Answer:
    import torch
    import torch.nn.functional as F

    # Class-probability targets (the one-hot rows themselves), the other input form of F.cross_entropy;
    # log p as logits is exact because log_softmax(log p) = log p when p sums to 1.
    probs = _t(params["probs"])
    return float(F.cross_entropy(torch.log(probs), _t(params["onehot"])).item())


@oracle("activation_derivative")
def activation_derivative(params: dict[str, Any]) -> Answer:
    import torch

    fn = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[params["activation"]]
    x = _t(params["x"], grad=True)
    y = fn(x)
    (dy,) = torch.autograd.grad(y, x)
    return [float(y.item()), float(dy.item())]


def _linear(weight: Any, bias: Any) -> torch.nn.Linear:
    import torch
    from torch import nn

    w = _t(weight)
    layer = nn.Linear(w.shape[1], w.shape[0], dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(w)
        layer.bias.copy_(_t(bias))
    return layer


@oracle("mlp_forward")
def mlp_forward(params: dict[str, Any]) -> Answer:
    import torch
    from torch import nn

    assert params["activation"] == "relu"
    net = nn.Sequential(_linear(params["W1"], params["b1"]), nn.ReLU(), _linear(params["W2"], params["b2"]))
    with torch.no_grad():
        y = net(_t(params["x"]))
    out: list[float] = y.tolist()
    return out[0] if len(out) == 1 else out


@oracle("backprop_sigmoid_mse")
def backprop_sigmoid_mse(params: dict[str, Any]) -> Answer:
    import torch

    y = float(params["y"])
    if params["network"] == "neuron":
        w = _t(params["w"], grad=True)
        yhat = torch.sigmoid(w @ _t(params["x"]) + params["b"])
        loss = 0.5 * (yhat - y) ** 2
        (g,) = torch.autograd.grad(loss, w)
        return float(g[params["wrt"]].item())
    w1 = _t(params["w1"], grad=True)
    h = torch.sigmoid(w1 * params["x"] + params["b1"])
    loss = 0.5 * (params["w2"] * h + params["b2"] - y) ** 2
    (g,) = torch.autograd.grad(loss, w1)
    return float(g.item())


@oracle("backprop_relu_ce")
def backprop_relu_ce(params: dict[str, Any]) -> Answer:
    import torch
    from torch import nn

    first, second = _linear(params["W1"], params["b1"]), _linear(params["W2"], params["b2"])
    net = nn.Sequential(first, nn.ReLU(), second)
    logits = net(_t([params["x"]]))
    loss = nn.CrossEntropyLoss()(logits, torch.tensor([params["target"]]))
    wrt = params["wrt"]
    (grad,) = torch.autograd.grad(loss, (first if wrt["param"] == "W1" else second).weight)
    return float(grad[wrt["row"], wrt["col"]].item())


@oracle("dropout_inverted")
def dropout_inverted(params: dict[str, Any]) -> Answer:
    import torch
    from torch import nn

    # nn.Dropout draws its own mask, so take from torch only what a mask cannot change: the factor it
    # gives kept units (every non-zero output of dropout on ones), then apply the question's mask.
    p = float(params["p"])
    layer = nn.Dropout(p).train()
    gen_state = torch.random.get_rng_state()
    try:
        torch.manual_seed(0)
        kept = layer(torch.ones(4096, dtype=torch.float64))
    finally:
        torch.random.set_rng_state(gen_state)
    scale = kept[kept != 0].unique()
    assert scale.numel() == 1
    out: list[float] = (_t(params["x"]) * _t(params["mask"]) * scale).tolist()
    return [v + 0.0 for v in out]


@oracle("batchnorm_forward")
def batchnorm_forward(params: dict[str, Any]) -> Answer:
    import torch
    from torch import nn

    x = _t(params["x"])
    bn = nn.BatchNorm1d(x.shape[1], eps=params["eps"], dtype=torch.float64).train()
    with torch.no_grad():
        bn.weight.copy_(_t(params["gamma"]))
        bn.bias.copy_(_t(params["beta"]))
        out: list[list[float]] = bn(x).tolist()
    return out


@oracle("batchnorm_running_stats")
def batchnorm_running_stats(params: dict[str, Any]) -> Answer:
    import torch
    from torch import nn

    bn = nn.BatchNorm1d(1, momentum=params["momentum"], dtype=torch.float64).train()
    mean, var = bn.running_mean, bn.running_var
    assert mean is not None and var is not None
    with torch.no_grad():
        mean.fill_(params["running_mean"])
        var.fill_(params["running_var"])
        for batch in params["batches"]:
            bn(_t(batch)[:, None])
    return [float(mean.item()), float(var.item())]
