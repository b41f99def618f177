"""Torch oracles for the optimiser families: real ``torch.optim`` objects stepping a real parameter.

Each oracle builds a float64 ``nn.Parameter`` from ``params["w"]``, the optimiser named by the family with
the family's hyper-parameters (everything else at torch's defaults), and calls ``step()`` once per entry of
``params["grads"]`` after writing that gradient into ``.grad``. torch is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from quizforge.numeric.base import Answer
from quizforge.numeric.oracle import oracle

if TYPE_CHECKING:
    import torch


def run_optimizer(
    make: Callable[[list[torch.nn.Parameter]], torch.optim.Optimizer],
    w: list[float],
    grads: list[list[float]],
) -> list[float]:
    """The weights after ``optimizer.step()`` for each gradient in turn."""
    import torch

    p = torch.nn.Parameter(torch.tensor(w, dtype=torch.float64))
    opt = make([p])
    for g in grads:
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
    out: list[float] = p.detach().tolist()
    return out


def _run(params: dict[str, Any], make: Callable[[list[Any]], Any]) -> Answer:
    """The family's weights after its gradients, through the optimiser ``make`` builds: one weight → a
    number, several → a vector (as the families answer)."""
    w = run_optimizer(make, params["w"], params["grads"])
    return w[0] + 0.0 if len(w) == 1 else [v + 0.0 for v in w]


@oracle("sgd_momentum_step")
def sgd_momentum_step(params: dict[str, Any]) -> Answer:
    import torch

    return _run(params, lambda p: torch.optim.SGD(p, lr=params["lr"], momentum=params["momentum"]))


@oracle("sgd_nesterov_step")
def sgd_nesterov_step(params: dict[str, Any]) -> Answer:
    import torch

    return _run(
        params, lambda p: torch.optim.SGD(p, lr=params["lr"], momentum=params["momentum"], nesterov=params["nesterov"])
    )


@oracle("sgd_weight_decay_step")
def sgd_weight_decay_step(params: dict[str, Any]) -> Answer:
    import torch

    return _run(
        params,
        lambda p: torch.optim.SGD(p, lr=params["lr"], momentum=params["momentum"], weight_decay=params["weight_decay"]),
    )


@oracle("adagrad_step")
def adagrad_step(params: dict[str, Any]) -> Answer:
    import torch

    return _run(params, lambda p: torch.optim.Adagrad(p, lr=params["lr"], eps=params["eps"]))


@oracle("rmsprop_step")
def rmsprop_step(params: dict[str, Any]) -> Answer:
    import torch

    return _run(params, lambda p: torch.optim.RMSprop(p, lr=params["lr"], alpha=params["alpha"], eps=params["eps"]))


@oracle("adadelta_step")
def adadelta_step(params: dict[str, Any]) -> Answer:
    import torch

    return _run(params, lambda p: torch.optim.Adadelta(p, lr=params["lr"], rho=params["rho"], eps=params["eps"]))


@oracle("adam_step")
def adam_step(params: dict[str, Any]) -> Answer:
    import torch

    return _run(
        params,
        lambda p: torch.optim.Adam(p, lr=params["lr"], betas=(params["beta1"], params["beta2"]), eps=params["eps"]),
    )


@oracle("adamw_step")
def adamw_step(params: dict[str, Any]) -> Answer:
    """(w after AdamW, w after Adam with the same weight_decay as an L2 term)."""
    import torch

    hp = {"lr": params["lr"], "betas": (params["beta1"], params["beta2"]), "eps": params["eps"]}
    decoupled = run_optimizer(
        lambda p: torch.optim.AdamW(p, weight_decay=params["weight_decay"], **hp),
        params["w"],
        params["grads"],
    )
    coupled = run_optimizer(
        lambda p: torch.optim.Adam(p, weight_decay=params["weight_decay"], **hp), params["w"], params["grads"]
    )
    return [decoupled[0], coupled[0]]
