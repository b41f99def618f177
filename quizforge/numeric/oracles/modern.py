"""Torch oracles for the modern-round families: real layers and real tensors.

Normalisation values from ``nn.LayerNorm``, ``nn.GroupNorm`` and ``nn.RMSNorm`` modules with their affine
parameters set; parameter counts from ``sum(p.numel() for p in m.parameters())``; the shuffle from
``nn.ChannelShuffle``; gradient accumulation from autograd over micro-batches; training memory from the
bytes of a real fp16 model, its fp32 master copy and the optimiser's state after a step; quantisation from
``torch.quantize_per_tensor``; soft targets from ``F.softmax``; ring traffic from a simulated ring that
checks its own result. torch is imported inside each function so importing this module stays cheap.
"""

from __future__ import annotations

from typing import Any

from quizforge.numeric.oracle import oracle


@oracle("layernorm_forward")
def layernorm_forward(params: dict[str, Any]) -> list[list[float]]:
    import torch
    from torch import nn

    x = torch.tensor(params["x"], dtype=torch.float64)
    ln = nn.LayerNorm(x.shape[-1], eps=params["eps"]).double()
    with torch.no_grad():
        ln.weight.copy_(torch.tensor(params["gamma"]))
        ln.bias.copy_(torch.tensor(params["beta"]))
        out: list[list[float]] = ln(x).tolist()
    return out


@oracle("groupnorm_forward")
def groupnorm_forward(params: dict[str, Any]) -> list[list[float]]:
    import torch
    from torch import nn

    x = torch.tensor(params["x"], dtype=torch.float64)[None]  # (1, C, L)
    gn = nn.GroupNorm(params["num_groups"], x.shape[1], eps=params["eps"]).double()
    with torch.no_grad():
        gn.weight.copy_(torch.tensor(params["weight"]))
        gn.bias.copy_(torch.tensor(params["bias"]))
        out: list[list[float]] = gn(x)[0].tolist()
    return out


@oracle("rmsnorm_forward")
def rmsnorm_forward(params: dict[str, Any]) -> list[list[float]]:
    import torch
    from torch import nn

    x = torch.tensor(params["x"], dtype=torch.float64)
    norm = nn.RMSNorm(x.shape[-1], eps=params["eps"]).double()
    with torch.no_grad():
        norm.weight.copy_(torch.tensor(params["weight"]))
        out: list[list[float]] = norm(x).tolist()
    return out


@oracle("grouped_conv_params")
def grouped_conv_params(params: dict[str, Any]) -> int:
    from torch import nn

    conv = nn.Conv2d(
        params["c_in"], params["c_out"], params["k"], groups=params["groups"], bias=params["bias"], device="meta"
    )
    return sum(p.numel() for p in conv.parameters())


@oracle("se_params")
def se_params(params: dict[str, Any]) -> int:
    from torch import nn

    c, hidden = params["channels"], params["channels"] // params["reduction"]
    se = nn.Sequential(
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(c, hidden, device="meta"),
        nn.ReLU(),
        nn.Linear(hidden, c, device="meta"),
        nn.Sigmoid(),
    )
    return sum(p.numel() for p in se.parameters())


@oracle("channel_shuffle")
def channel_shuffle(params: dict[str, Any]) -> int:
    import torch
    from torch import nn

    c = params["channels"]
    x = torch.arange(c).reshape(1, c, 1, 1)  # channel i holds the value i
    y = nn.ChannelShuffle(params["groups"])(x).flatten()
    return int((y == params["index"]).nonzero().item())


@oracle("grad_accumulation")
def grad_accumulation(params: dict[str, Any]) -> float:
    import torch
    import torch.nn.functional as F

    w = torch.tensor(float(params["w"]), dtype=torch.float64, requires_grad=True)
    x = torch.tensor(params["x"], dtype=torch.float64)
    y = torch.tensor(params["y"], dtype=torch.float64)
    b = params["micro_batch"]
    k = len(params["x"]) // b
    opt = torch.optim.SGD([w], lr=0.1)
    opt.zero_grad()
    for xb, yb in zip(torch.split(x, b), torch.split(y, b), strict=True):
        (F.mse_loss(w * xb, yb) / k).backward()
    assert w.grad is not None
    return float(w.grad)


@oracle("training_memory")
def training_memory(params: dict[str, Any]) -> float:
    """Bytes per parameter measured on a real mixed-precision set-up, scaled to the model and sharded."""
    import torch
    from torch import nn

    master = nn.Linear(32, 32)
    model = nn.Linear(32, 32).half()
    model(torch.randn(4, 32).half()).float().sum().backward()
    opt: torch.optim.Optimizer
    if params["optimizer"] == "adam":
        opt = torch.optim.Adam(master.parameters())
    elif params["optimizer"] == "sgd_momentum":
        opt = torch.optim.SGD(master.parameters(), lr=0.1, momentum=0.9)
    else:
        opt = torch.optim.SGD(master.parameters(), lr=0.1)
    for m, h in zip(master.parameters(), model.parameters(), strict=True):
        assert h.grad is not None
        m.grad = h.grad.float()
    opt.step()
    n = sum(p.numel() for p in master.parameters())

    def per_param(tensors: Any) -> float:
        return float(sum(t.numel() * t.element_size() for t in tensors) / n)

    weights = per_param(model.parameters())
    grads = per_param(p.grad for p in model.parameters())
    state = [t for s in opt.state.values() for t in s.values() if torch.is_tensor(t) and t.numel() > 1]
    optimizer = per_param(master.parameters()) + per_param(state)
    gpus, stage = params["num_gpus"], params["zero_stage"]
    per_gpu = (
        weights / (gpus if stage >= 3 else 1)
        + grads / (gpus if stage >= 2 else 1)
        + optimizer / (gpus if stage >= 1 else 1)
    )
    return float(per_gpu * params["num_params_billion"])


@oracle("affine_quantization")
def affine_quantization(params: dict[str, Any]) -> list[int]:
    import warnings

    import torch

    dtype = {"quint8": torch.quint8, "qint8": torch.qint8}[params["dtype"]]
    with warnings.catch_warnings():  # torch 2.13 deprecates the quantized dtypes; the arithmetic is what we check
        warnings.filterwarnings("ignore", message=".*quantize_per_tensor.*deprecated")
        q = torch.quantize_per_tensor(
            torch.tensor(params["x"], dtype=torch.float32), params["scale"], params["zero_point"], dtype
        )
    out: list[int] = q.int_repr().tolist()
    return out


@oracle("distillation_soft_targets")
def distillation_soft_targets(params: dict[str, Any]) -> list[float]:
    import torch
    import torch.nn.functional as F

    z = torch.tensor(params["logits"], dtype=torch.float64)
    out: list[float] = F.softmax(z / params["temperature"], dim=0).tolist()
    return out


@oracle("ring_allreduce")
def ring_allreduce(params: dict[str, Any]) -> float:
    """Simulate the ring on N tensors of S elements (1 element = 1 MB), counting what each rank sends."""
    import torch

    n, size, bw = params["num_gpus"], params["size_mb"], params["bandwidth_gbs"]
    gen = torch.Generator().manual_seed(0)
    bufs = [torch.rand(size, dtype=torch.float64, generator=gen) for _ in range(n)]
    total = torch.stack(bufs).sum(0)
    chunks = [list(b.clone().chunk(n)) for b in bufs]
    sent = [0] * n
    for step in range(n - 1):  # reduce-scatter
        msgs = [(r, (r - step) % n, chunks[r][(r - step) % n].clone()) for r in range(n)]
        for r, c, m in msgs:
            chunks[(r + 1) % n][c] = chunks[(r + 1) % n][c] + m
            sent[r] += m.numel()
    for step in range(n - 1):  # all-gather
        msgs = [(r, (r + 1 - step) % n, chunks[r][(r + 1 - step) % n].clone()) for r in range(n)]
        for r, c, m in msgs:
            chunks[(r + 1) % n][c] = m
            sent[r] += m.numel()
    assert all(torch.allclose(torch.cat(c), total) for c in chunks), "the simulated ring did not all-reduce"
    assert len(set(sent)) == 1
    return sent[0] / bw if bw else float(sent[0])


@oracle("float_cast_rounding")
def float_cast_rounding(params: dict[str, Any]) -> float:
    import torch

    dtype = {
        "fp16": torch.float16,
        "bf16": torch.bfloat16,
        "fp8_e4m3": torch.float8_e4m3fn,
        "fp8_e5m2": torch.float8_e5m2,
    }[params["format"]]
    return float(torch.tensor(float(params["value"])).to(dtype).float())
