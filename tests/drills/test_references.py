"""Every drill's reference (its model solution) against torch, on the drill's own generated cases.

The torch side is written independently of the NumPy references: library calls and autograd where
torch has them, a hand-written loop or formula where it does not (dropout with a given mask, box IoU
and NMS, which live in torchvision).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from quizforge.drills import all_drills
from quizforge.drills.judge import compare, judge_in_process, make_cases

torch = pytest.importorskip("torch")
F = torch.nn.functional


def t(a: Any) -> Any:
    return torch.tensor(a, dtype=torch.float64)


def grads(fn: Callable[..., Any], dout: Any, *inputs: Any) -> list[np.ndarray]:
    """∂(sum(fn(inputs) * dout))/∂inputs by autograd."""
    ts = [t(a).requires_grad_(True) for a in inputs]
    (fn(*ts) * t(dout)).sum().backward()
    return [x.grad.numpy() for x in ts]


def _sgd(w: Any, grad: Any, velocity: Any, lr: float, momentum: float) -> tuple[Any, Any]:
    p = torch.nn.Parameter(t(w))
    opt = torch.optim.SGD([p], lr=lr, momentum=momentum)
    p.grad = t(grad)
    opt.state[p]["momentum_buffer"] = t(velocity)
    opt.step()
    return p.detach().numpy(), opt.state[p]["momentum_buffer"].numpy()


def _adam(w: Any, grad: Any, m: Any, v: Any, step: int, lr: float, b1: float, b2: float, eps: float) -> tuple[Any, ...]:
    p = torch.nn.Parameter(t(w))
    opt = torch.optim.Adam([p], lr=lr, betas=(b1, b2), eps=eps)
    p.grad = t(grad)
    opt.state[p].update({"step": torch.tensor(float(step - 1)), "exp_avg": t(m), "exp_avg_sq": t(v)})
    opt.step()
    return p.detach().numpy(), opt.state[p]["exp_avg"].numpy(), opt.state[p]["exp_avg_sq"].numpy()


def _lstm(x: Any, h: Any, c: Any, w_ih: Any, w_hh: Any, b_ih: Any, b_hh: Any) -> tuple[Any, Any]:
    cell = torch.nn.LSTMCell(x.shape[1], h.shape[1]).double()
    with torch.no_grad():
        for name, value in (("weight_ih", w_ih), ("weight_hh", w_hh), ("bias_ih", b_ih), ("bias_hh", b_hh)):
            getattr(cell, name).copy_(t(value))
        h2, c2 = cell(t(x), (t(h), t(c)))
    return h2.numpy(), c2.numpy()


def _mha(x: Any, wq: Any, wk: Any, wv: Any, wo: Any, heads: int) -> Any:
    q = t(x).transpose(0, 1)  # (L, N, E)
    out, _ = F.multi_head_attention_forward(
        q,
        q,
        q,
        x.shape[2],
        heads,
        torch.cat([t(wq), t(wk), t(wv)]),
        None,
        None,
        None,
        False,
        0.0,
        t(wo),
        None,
        training=False,
        need_weights=False,
    )
    return out.transpose(0, 1).numpy()


def _iou(a: Any, b: Any) -> Any:
    out = np.zeros((len(a), len(b)))
    for i, p in enumerate(a):  # one pair at a time, from the definition
        for j, q in enumerate(b):
            w = max(0.0, min(p[2], q[2]) - max(p[0], q[0]))
            h = max(0.0, min(p[3], q[3]) - max(p[1], q[1]))
            union = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - w * h
            out[i, j] = w * h / union
    return out


def _nms(boxes: Any, scores: Any, threshold: float) -> Any:
    iou = _iou(boxes, boxes)
    suppressed: set[int] = set()
    keep = []
    for i in sorted(range(len(scores)), key=lambda k: -scores[k]):
        if i not in suppressed:
            keep.append(i)
            suppressed |= {j for j in range(len(scores)) if iou[i, j] > threshold}
    return np.array(keep)


def _pe(length: int, d: int) -> Any:
    div = torch.exp(torch.arange(0, d, 2, dtype=torch.float64) * (-math.log(10000.0) / d))
    pos = torch.arange(length, dtype=torch.float64)[:, None]
    pe = torch.zeros(length, d, dtype=torch.float64)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
    return pe.numpy()


TORCH: dict[str, Callable[..., Any]] = {
    "conv2d_forward": lambda x, w, b, s, p: F.conv2d(t(x), t(w), t(b), s, p).numpy(),
    "conv2d_backward": lambda d, x, w, s, p: (
        *grads(lambda x_, w_: F.conv2d(x_, w_, None, s, p), d, x, w),
        d.sum(axis=(0, 2, 3)),
    ),
    "im2col": lambda x, kh, kw, s, p: (
        F.unfold(t(x), (kh, kw), padding=p, stride=s).transpose(1, 2).reshape(-1, x.shape[1] * kh * kw).numpy()
    ),
    "max_pool2d_forward": lambda x, k, s: F.max_pool2d(t(x), k, s).numpy(),
    "max_pool2d_backward": lambda d, x, k, s: grads(lambda x_: F.max_pool2d(x_, k, s), d, x)[0],
    "avg_pool2d_forward": lambda x, k, s: F.avg_pool2d(t(x), k, s).numpy(),
    "conv_transpose2d": lambda x, w, b, s, p: F.conv_transpose2d(t(x), t(w), t(b), s, p).numpy(),
    "softmax": lambda x, axis: torch.softmax(t(x), dim=axis).numpy(),
    "log_softmax": lambda x, axis: torch.log_softmax(t(x), dim=axis).numpy(),
    "cross_entropy": lambda z, y: F.cross_entropy(t(z), torch.tensor(y)).numpy(),
    "cross_entropy_backward": lambda z, y: grads(lambda z_: F.cross_entropy(z_, torch.tensor(y)), 1.0, z)[0],
    "sigmoid_backward": lambda d, x: grads(torch.sigmoid, d, x)[0],
    "relu_backward": lambda d, x: grads(torch.relu, d, x)[0],
    "linear_forward": lambda x, w, b: F.linear(t(x), t(w), t(b)).numpy(),
    "linear_backward": lambda d, x, w: tuple(grads(lambda x_, w_, b_: F.linear(x_, w_, b_), d, x, w, np.zeros(len(w)))),
    "batchnorm_forward": lambda x, g, b, eps: F.batch_norm(t(x), None, None, t(g), t(b), True, 0.1, eps).numpy(),
    "batchnorm_backward": lambda d, x, g, eps: tuple(
        grads(lambda x_, g_, b_: F.batch_norm(x_, None, None, g_, b_, True, 0.1, eps), d, x, g, np.zeros(len(g)))
    ),
    "layer_norm": lambda x, g, b, eps: F.layer_norm(t(x), (x.shape[-1],), t(g), t(b), eps).numpy(),
    "dropout_forward": lambda x, mask, p: torch.where(t(mask) > 0, t(x) / (1 - p), 0.0).numpy(),
    "sgd_momentum_step": _sgd,
    "adam_step": _adam,
    "scaled_dot_product_attention": lambda q, k, v, mask: F.scaled_dot_product_attention(
        t(q), t(k), t(v), attn_mask=None if mask is None else torch.tensor(mask)
    ).numpy(),
    "multi_head_attention": _mha,
    "positional_encoding": _pe,
    "box_iou": _iou,
    "nms": _nms,
    "lstm_cell": _lstm,
}


def test_every_drill_has_a_torch_check_and_there_are_at_least_25() -> None:
    names = {d.name for d in all_drills()}
    assert len(names) >= 25
    assert names == set(TORCH)


@pytest.mark.parametrize("drill", all_drills(), ids=lambda d: d.name)
def test_the_reference_matches_torch(drill: Any) -> None:
    for seed in range(3):
        for label, args, expected in make_cases(drill, seed):
            got = TORCH[drill.name](*args)
            got = tuple(got) if drill.outputs > 1 else (got,)
            assert compare(drill, got, expected) is None, (seed, label)


@pytest.mark.parametrize("drill", all_drills(), ids=lambda d: d.name)
def test_the_model_solution_text_passes(drill: Any) -> None:
    """The shown model solution is a complete file: run as written (trusted code, in this process)."""
    namespace: dict[str, Any] = {}
    exec(compile(drill.model_solution, "model.py", "exec"), namespace)
    for seed in range(5):
        assert judge_in_process(drill, namespace[drill.function], seed).ok


@pytest.mark.slow
@pytest.mark.parametrize("drill", all_drills(), ids=lambda d: d.name)
def test_the_model_solution_passes_200_seeds(drill: Any) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(drill.model_solution, "model.py", "exec"), namespace)
    for seed in range(200):
        verdict = judge_in_process(drill, namespace[drill.function], seed)
        assert verdict.ok, (seed, verdict.first_failure)
