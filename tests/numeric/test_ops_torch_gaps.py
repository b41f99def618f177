"""ops.py paths the family tests do not reach, each against torch: the MLP's pre-activations and batched
deltas, optimiser flags (amsgrad, maximize) and their defaults, and torch's pooling-padding rule per axis."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from quizforge.numeric import ops
from tests.numeric.optimisers import OPTIMISERS

pytestmark = pytest.mark.torch


def t(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float64)


# ---------------------------------------------------------------------------------------------------
# mlp_backprop: every intermediate against autograd, single example and batch
# ---------------------------------------------------------------------------------------------------

ACTS = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "identity": lambda z: z}


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("batch", [None, 1, 3])
@pytest.mark.parametrize("loss", ["mse", "half_sse", "cross_entropy"])
def test_mlp_backprop_intermediates_match_autograd(seed: int, batch: int | None, loss: str) -> None:
    rng = np.random.default_rng(seed)
    sizes = [3, 4, 2]
    acts = [["relu", "sigmoid", "tanh"][seed % 3], "identity" if loss == "cross_entropy" else "sigmoid"]
    weights = [rng.integers(-3, 4, (sizes[i + 1], sizes[i])).astype(float) / 2 for i in range(2)]
    biases = [rng.integers(-2, 3, sizes[i + 1]).astype(float) / 2 for i in range(2)]
    shape = (sizes[0],) if batch is None else (batch, sizes[0])
    x = rng.integers(-2, 3, shape).astype(float)
    n = 1 if batch is None else batch
    if loss == "cross_entropy":
        target = rng.integers(0, 2, n) if batch is not None else int(rng.integers(0, 2))
    else:
        target = rng.integers(0, 2, (sizes[-1],) if batch is None else (batch, sizes[-1])).astype(float)

    ours = ops.mlp_backprop(x, weights, biases, acts, target, loss=loss)  # type: ignore[arg-type]

    tw = [t(w).requires_grad_() for w in weights]
    tb = [t(b).requires_grad_() for b in biases]
    a = t(x)[None] if batch is None else t(x)
    zs, outs = [], []
    for w, b, name in zip(tw, tb, acts, strict=True):
        z = a @ w.T + b
        z.retain_grad()
        a = ACTS[name](z)
        zs.append(z)
        outs.append(a)
    if loss == "cross_entropy":
        value = F.cross_entropy(a, torch.atleast_1d(torch.tensor(target)))
    else:
        tt = t(np.asarray(target, dtype=float)).reshape(a.shape)
        value = F.mse_loss(a, tt) if loss == "mse" else 0.5 * ((a - tt) ** 2).sum() / a.shape[0]
    value.backward()

    squeeze = (lambda v: v[0]) if batch is None else (lambda v: v)
    assert ours.loss == pytest.approx(value.item())
    for layer in range(2):
        np.testing.assert_allclose(ours.pre_activations[layer], squeeze(zs[layer].detach().numpy()), atol=1e-12)
        np.testing.assert_allclose(ours.activations[layer + 1], squeeze(outs[layer].detach().numpy()), atol=1e-12)
        np.testing.assert_allclose(ours.deltas[layer], squeeze(zs[layer].grad.numpy()), atol=1e-12)  # type: ignore[union-attr]
        np.testing.assert_allclose(ours.weight_grads[layer], tw[layer].grad.numpy(), atol=1e-12)  # type: ignore[union-attr]
        np.testing.assert_allclose(ours.bias_grads[layer], tb[layer].grad.numpy(), atol=1e-12)  # type: ignore[union-attr]
    np.testing.assert_allclose(ours.activations[0], x)


# ---------------------------------------------------------------------------------------------------
# Optimisers: flags and defaults as torch.optim has them
# ---------------------------------------------------------------------------------------------------


def run_torch(
    opt_cls: type[torch.optim.Optimizer], w0: np.ndarray, grads: list[np.ndarray], **kw: object
) -> np.ndarray:
    p = t(w0).requires_grad_()
    opt = opt_cls([p], **kw)  # type: ignore[arg-type]
    for g in grads:
        p.grad = t(g)
        opt.step()
    return p.detach().numpy()


def run_ours(step_fn: object, w0: np.ndarray, grads: list[np.ndarray], **kw: object) -> np.ndarray:
    w, state = w0, None
    for g in grads:
        w, state = step_fn(w, g, state, **kw)  # type: ignore[operator]
    return np.asarray(w)


# Gradients that grow then shrink: v's running max differs from v, so amsgrad matters.
GRADS = [np.array([3.0, -1.0]), np.array([0.5, 2.0]), np.array([0.1, -0.2]), np.array([-0.05, 0.01])]
W0 = np.array([1.0, -2.0])


@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("maximize", [False, True])
@pytest.mark.parametrize(("ours", "theirs"), [(ops.adam_step, torch.optim.Adam), (ops.adamw_step, torch.optim.AdamW)])
def test_adam_flags(ours: object, theirs: type[torch.optim.Optimizer], amsgrad: bool, maximize: bool) -> None:
    kw = {"lr": 0.1, "weight_decay": 0.1, "amsgrad": amsgrad, "maximize": maximize}
    np.testing.assert_allclose(run_ours(ours, W0, GRADS, **kw), run_torch(theirs, W0, GRADS, **kw), atol=1e-12)


def test_amsgrad_changes_the_result_here() -> None:
    """Guards test_adam_flags: on these gradients amsgrad is not a no-op."""
    a = run_ours(ops.adam_step, W0, GRADS, lr=0.1, amsgrad=False)
    b = run_ours(ops.adam_step, W0, GRADS, lr=0.1, amsgrad=True)
    assert not np.allclose(a, b)


@pytest.mark.parametrize("maximize", [False, True])
def test_adadelta_maximize(maximize: bool) -> None:
    kw = {"lr": 1.0, "weight_decay": 0.1, "maximize": maximize}
    ours = run_ours(ops.adadelta_step, W0, GRADS, **kw)
    np.testing.assert_allclose(ours, run_torch(torch.optim.Adadelta, W0, GRADS, **kw), atol=1e-12)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    OPTIMISERS,
)
def test_defaults_are_torch_defaults(ours: object, theirs: type[torch.optim.Optimizer]) -> None:
    torch_defaults = {
        name: p.default
        for name, p in inspect.signature(theirs.__init__).parameters.items()
        if p.default is not inspect.Parameter.empty
    }
    our_params = inspect.signature(ours).parameters  # type: ignore[arg-type]
    checked = 0
    for name, p in our_params.items():
        if name in torch_defaults and p.default is not inspect.Parameter.empty and name != "lr":
            expected = torch_defaults[name]
            assert p.default == (tuple(expected) if isinstance(expected, list) else expected), name
            checked += 1
    assert checked >= 2
    # And with defaults only (lr aside, which SGD has none of), one step agrees with torch.
    lr = 0.1
    np.testing.assert_allclose(run_ours(ours, W0, GRADS, lr=lr), run_torch(theirs, W0, GRADS, lr=lr), atol=1e-12)


# ---------------------------------------------------------------------------------------------------
# Pooling geometry: torch's "padding at most half the kernel" rule, one axis at a time
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kernel", "padding"),
    [((2, 4), (1, 3)), ((4, 2), (3, 1)), ((3, 3), (2, 0)), ((3, 3), (0, 2)), ((2, 2), (1, 1)), ((3, 5), (1, 2))],
)
@pytest.mark.parametrize("pool", ["max", "avg"])
def test_padding_rule_per_axis_matches_torch(kernel: tuple[int, int], padding: tuple[int, int], pool: str) -> None:
    x = np.arange(2 * 1 * 7 * 7, dtype=float).reshape(2, 1, 7, 7)
    torch_fn = F.max_pool2d if pool == "max" else F.avg_pool2d
    ours_fn = ops.max_pool2d if pool == "max" else ops.avg_pool2d
    try:
        expected = torch_fn(t(x), kernel, 1, padding).numpy()
    except RuntimeError:
        with pytest.raises(ValueError, match="padding"):
            ours_fn(x, kernel, 1, padding)
        return
    np.testing.assert_allclose(ours_fn(x, kernel, 1, padding), expected, atol=1e-12)
