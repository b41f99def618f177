"""Torch oracles for the training-practice and PyTorch-in-depth families: real schedulers stepped after
real optimizer steps, ``clip_grad_norm_`` on a real parameter, ``len()`` of real data loaders (with a
``DistributedSampler`` for several GPUs), broadcasting and shape operations on meta tensors, and
``nbytes`` of a tensor of the asked dtype.

torch is imported inside each function so importing this module stays cheap.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from quizforge.numeric.base import Answer
from quizforge.numeric.oracle import oracle

if TYPE_CHECKING:
    import torch


def _lr_after(params: dict[str, Any], make: Any) -> float:
    import torch

    w = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([w], lr=params["base_lr"])
    sched = make(opt)
    for _ in range(params["step"]):
        opt.step()
        sched.step()
    return float(opt.param_groups[0]["lr"])


@oracle("cosine_lr")
def cosine_lr(params: dict[str, Any]) -> Answer:
    from torch.optim.lr_scheduler import CosineAnnealingLR

    return _lr_after(params, lambda opt: CosineAnnealingLR(opt, T_max=params["t_max"], eta_min=params["eta_min"]))


@oracle("step_lr")
def step_lr(params: dict[str, Any]) -> Answer:
    from torch.optim.lr_scheduler import StepLR

    return _lr_after(params, lambda opt: StepLR(opt, step_size=params["step_size"], gamma=params["gamma"]))


@oracle("exponential_lr")
def exponential_lr(params: dict[str, Any]) -> Answer:
    from torch.optim.lr_scheduler import ExponentialLR

    return _lr_after(params, lambda opt: ExponentialLR(opt, gamma=params["gamma"]))


@oracle("grad_clip_norm")
def grad_clip_norm(params: dict[str, Any]) -> Answer:
    import torch

    w = torch.nn.Parameter(torch.zeros(len(params["grads"]), dtype=torch.float64))
    w.grad = torch.tensor(params["grads"], dtype=torch.float64)
    torch.nn.utils.clip_grad_norm_([w], max_norm=params["max_norm"])
    values: list[float] = w.grad.tolist()
    return values


@oracle("iters_per_epoch")
def iters_per_epoch(params: dict[str, Any]) -> Answer:
    import torch
    from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

    ds = TensorDataset(torch.zeros(params["n"]))
    world = params["world_size"]
    if world > 1:
        sampler: DistributedSampler[Any] = DistributedSampler(ds, num_replicas=world, rank=0)
        dl = DataLoader(ds, batch_size=params["batch_size"], sampler=sampler, drop_last=params["drop_last"])
    else:
        dl = DataLoader(ds, batch_size=params["batch_size"], shuffle=True, drop_last=params["drop_last"])
    return int(len(dl) * params["epochs"])


def _meta(shape: Any) -> torch.Tensor:
    import torch

    return torch.empty(*shape, device="meta")


@oracle("broadcast_shape")
def broadcast_shape(params: dict[str, Any]) -> Answer:
    import functools
    import operator

    result = functools.reduce(operator.add, (_meta(s) for s in params["shapes"]))
    return tuple(int(d) for d in result.shape)


_CALL = re.compile(r"^(\w+)\(([-\d, ]*)\)$")


@oracle("view_permute_shape")
def view_permute_shape(params: dict[str, Any]) -> Answer:
    x = _meta(params["shape"])
    for op in params["ops"]:
        m = _CALL.match(op)
        assert m is not None, op
        args = [int(a) for a in m.group(2).split(",") if a.strip()]
        x = getattr(x, m.group(1))(*args)
    return tuple(int(d) for d in x.shape)


@oracle("tensor_memory")
def tensor_memory(params: dict[str, Any]) -> Answer:
    import torch

    x = torch.empty(*params["shape"], dtype=getattr(torch, params["dtype"]), device="meta")
    nbytes = x.numel() * x.element_size()
    return nbytes if params["unit"] == "bytes" else nbytes / 2**20
