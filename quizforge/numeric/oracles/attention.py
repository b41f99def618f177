"""Torch oracles for the attention, transformer and ViT families.

Attention values come from ``F.scaled_dot_product_attention`` (weights read off by attending to an
identity value matrix); parameter counts from real ``nn.MultiheadAttention``,
``nn.TransformerEncoderLayer`` and ``nn.Conv2d`` modules; memory from meta-device tensors' ``numel()``
and ``element_size()``; training FLOPs from ``FlopCounterMode`` on a forward and backward pass.
torch is imported inside each function.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

from quizforge.numeric.base import Answer
from quizforge.numeric.oracle import oracle

_UNITS = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30}


def _n_params(module: Any) -> int:
    return sum(p.numel() for p in module.parameters())


@oracle("attention_output")
def attention_output(p: dict[str, Any]) -> Answer:
    import torch
    import torch.nn.functional as F

    q, k, v = (torch.tensor(p[name], dtype=torch.float64) for name in ("q", "k", "v"))
    out = F.scaled_dot_product_attention(q[None], k[None], v[None], is_causal=p["causal"])[0]
    return [[float(x) for x in row] for row in out]


@oracle("causal_attention_weights")
def causal_attention_weights(p: dict[str, Any]) -> Answer:
    import torch
    import torch.nn.functional as F

    scores = torch.tensor(p["scores"], dtype=torch.float64)
    n = scores.shape[0]
    eye = torch.eye(n, dtype=torch.float64)
    # With K = V = I and scale 1, the output of attention is its weight matrix (Q Iᵀ = scores).
    allowed = torch.ones(n, n, dtype=torch.bool).tril()
    if p["pad"]:
        allowed[:, n - p["pad"] :] = False
    out = F.scaled_dot_product_attention(scores[None], eye[None], eye[None], attn_mask=allowed, scale=1.0)[0]
    return [[float(x) for x in row] for row in out]


@oracle("attention_cost")
def attention_cost(p: dict[str, Any]) -> Answer:
    import torch

    dtype = getattr(torch, p["dtype"])
    n = p["seq_len"]
    scores = [torch.empty(p["batch"], p["num_heads"], n, n, dtype=dtype, device="meta") for _ in range(p["num_layers"])]
    return sum(s.numel() * s.element_size() for s in scores) / _UNITS[p["unit"]]


@oracle("mha_params")
def mha_params(p: dict[str, Any]) -> Answer:
    from torch import nn

    return _n_params(nn.MultiheadAttention(p["embed_dim"], p["num_heads"], bias=p["bias"], device="meta"))


@oracle("transformer_layer_params")
def transformer_layer_params(p: dict[str, Any]) -> Answer:
    from torch import nn

    layer = nn.TransformerEncoderLayer(
        p["d_model"], p["nhead"], dim_feedforward=p["dim_feedforward"], bias=p["bias"], device="meta"
    )
    return _n_params(layer)


@oracle("sinusoidal_pe")
def sinusoidal_pe(p: dict[str, Any]) -> Answer:
    import torch

    d = p["d_model"]
    position = torch.arange(p["pos"] + 1, dtype=torch.float64)[:, None]
    div = torch.exp(torch.arange(0, d, 2, dtype=torch.float64) * (-math.log(10000.0) / d))
    pe = torch.zeros(p["pos"] + 1, d, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(position * div)
    pe[:, 1::2] = torch.cos(position * div)
    return float(pe[p["pos"], p["dim"]])


@oracle("kv_cache_bytes")
def kv_cache_bytes(p: dict[str, Any]) -> Answer:
    import torch

    dtype = getattr(torch, p["dtype"])
    shape = (p["batch"], p["num_kv_heads"], p["seq_len"], p["head_dim"])
    cache = [torch.empty(shape, dtype=dtype, device="meta") for _ in range(2 * p["num_layers"])]  # K and V per layer
    return sum(t.numel() * t.element_size() for t in cache) / _UNITS[p["unit"]]


@cache
def _training_flops_per_param_token() -> float:
    """FLOPs of one forward and backward pass of a bias-free linear layer, per weight and per token."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    tokens, width = 8, 32
    lin = torch.nn.Linear(width, width, bias=False)
    x = torch.randn(tokens, width, requires_grad=True)  # an inner layer: its input needs a gradient too
    with FlopCounterMode(display=False) as counter:
        lin(x).sum().backward()
    return float(counter.get_total_flops() / (lin.weight.numel() * tokens))


@oracle("training_flops")
def training_flops(p: dict[str, Any]) -> Answer:
    per = _training_flops_per_param_token()
    if p["tokens_b"] == 0:
        return float(per * p["params_b"])
    total = per * p["params_b"] * 1e9 * p["tokens_b"] * 1e9
    if p["gpus"] == 0:
        return float(total / 1e21)
    seconds = total / (p["gpus"] * p["peak_tflops"] * 1e12 * p["utilization_pct"] / 100)
    return float(seconds / 86400)


@oracle("vit_tokens")
def vit_tokens(p: dict[str, Any]) -> Answer:
    import torch
    from torch import nn

    embed = nn.Conv2d(3, 4, kernel_size=p["patch"], stride=p["patch"], device="meta")
    grid = embed(torch.empty(1, 3, p["image"], p["image"], device="meta"))
    return int(grid.flatten(2).shape[-1]) + int(p["cls"])


@oracle("patch_embed_params")
def patch_embed_params(p: dict[str, Any]) -> Answer:
    import torch
    from torch import nn

    proj = nn.Conv2d(p["channels"], p["dim"], p["patch"], stride=p["patch"], bias=p["bias"], device="meta")
    total = _n_params(proj)
    if p["positions"]:
        grid = proj(torch.empty(1, p["channels"], p["image"], p["image"], device="meta"))
        tokens = grid.flatten(2).shape[-1] + int(p["cls"])
        params = [nn.Parameter(torch.zeros(1, tokens, p["dim"], device="meta"))]
        if p["cls"]:
            params.append(nn.Parameter(torch.zeros(1, 1, p["dim"], device="meta")))
        total += sum(t.numel() for t in params)
    return total
