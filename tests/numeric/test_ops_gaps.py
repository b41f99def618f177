"""ops.py paths its other tests do not reach, found by mutation testing (``benchmarks/mutation.py numeric.ops``),
each checked against torch on many seeds: the normalisation layers (layer_norm, group_norm, rms_norm)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from quizforge.numeric import ops

pytestmark = pytest.mark.torch

SEEDS = range(8)


def t(a: Any) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64))


def opt(a: Any) -> torch.Tensor | None:
    return None if a is None else t(a)


def close(ours: Any, theirs: torch.Tensor) -> None:
    np.testing.assert_allclose(np.asarray(ours), theirs.detach().numpy(), rtol=1e-9, atol=1e-10)


# ---------------------------------------------------------------------------------------------------
# Normalisation layers
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape, normalized", [((3, 5), (5,)), ((2, 3, 4), (3, 4)), ((2, 3, 4), (4,)), ((6,), (6,))])
@pytest.mark.parametrize("affine", ["none", "weight", "bias", "both"])
def test_layer_norm_matches_torch(seed: int, shape: tuple[int, ...], normalized: tuple[int, ...], affine: str) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape) * 3 + rng.normal()  # a mean and a scale far from 0 and 1
    weight = rng.normal(size=normalized) if affine in ("weight", "both") else None
    bias = rng.normal(size=normalized) if affine in ("bias", "both") else None
    eps = [1e-5, 0.5, 2.0][seed % 3]  # a large eps shows where it is added
    ours = ops.layer_norm(x, normalized, weight, bias, eps=eps)
    theirs = F.layer_norm(t(x), normalized, opt(weight), opt(bias), eps)
    close(ours, theirs)


def test_layer_norm_default_eps_is_torchs() -> None:
    x = np.array([[0.0, 1e-3, 2e-3]])  # variance ~7e-7: eps 1e-5 dominates it
    close(ops.layer_norm(x, (3,)), F.layer_norm(t(x), (3,)))


@pytest.mark.parametrize("shape", [(2, 4, 3), (5, 3), (8,)])
def test_layer_norm_refuses_a_shape_that_does_not_end_with_normalized_shape(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="layer_norm: input shape"):
        ops.layer_norm(np.ones(shape), (4,))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("shape", "groups"), [((2, 6), 3), ((2, 6, 5), 2), ((3, 4, 2, 3), 4), ((1, 4, 3, 3), 1)])
@pytest.mark.parametrize("affine", ["none", "weight", "bias", "both"])
def test_group_norm_matches_torch(seed: int, shape: tuple[int, ...], groups: int, affine: str) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape) * 2 + rng.normal(size=(1, shape[1]) + (1,) * (len(shape) - 2))  # channel offsets
    c = shape[1]
    weight = rng.normal(size=c) if affine in ("weight", "both") else None
    bias = rng.normal(size=c) if affine in ("bias", "both") else None
    eps = [1e-5, 0.5, 2.0][seed % 3]
    ours = ops.group_norm(x, groups, weight, bias, eps=eps)
    theirs = F.group_norm(t(x), groups, opt(weight), opt(bias), eps)
    close(ours, theirs)


def test_group_norm_default_eps_is_torchs() -> None:
    x = np.array([[0.0, 1e-3, 2e-3, 3e-3]])
    close(ops.group_norm(x, 2), F.group_norm(t(x), 2))


def test_group_norm_refuses_channels_that_do_not_split() -> None:
    with pytest.raises(ValueError, match="group_norm: 6 channels do not split into 4 groups"):
        ops.group_norm(np.ones((2, 6, 3)), 4)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape, normalized", [((3, 5), (5,)), ((2, 3, 4), (3, 4)), ((2, 3, 4), (4,)), ((6,), (6,))])
@pytest.mark.parametrize("with_weight", [False, True])
@pytest.mark.parametrize("eps", [None, 1e-6, 0.5])
def test_rms_norm_matches_torch(
    seed: int, shape: tuple[int, ...], normalized: tuple[int, ...], with_weight: bool, eps: float | None
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape) * 2 + rng.normal()
    weight = rng.normal(size=normalized) if with_weight else None
    ours = ops.rms_norm(x, normalized, weight, eps=eps)
    theirs = F.rms_norm(t(x), normalized, opt(weight), eps)
    close(ours, theirs)


def test_rms_norm_default_eps_is_the_float64_machine_epsilon() -> None:
    x = np.array([[1e-9, -1e-9, 2e-9]])  # mean(x²) ~2e-18: eps 2.2e-16 dominates it, 1e-5 would too much
    close(ops.rms_norm(x, (3,)), F.rms_norm(t(x), (3,)))


# ---------------------------------------------------------------------------------------------------
# conv2d: 'same' padding with even and rectangular kernels, and what torch refuses
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("kernel", [(2, 2), (2, 3), (3, 2), (4, 1), (1, 4), (3, 3)])
@pytest.mark.parametrize("dilation", [1, (1, 2), (2, 1), 2])
def test_conv2d_same_padding_with_even_and_rectangular_kernels(
    seed: int, kernel: tuple[int, int], dilation: int | tuple[int, int]
) -> None:
    """An odd total padding puts the extra zero on the bottom/right, as torch does (torch warns about it)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2, 2, 6, 7))
    weight = rng.normal(size=(3, 2, *kernel))
    ours = ops.conv2d(x, weight, padding="same", dilation=dilation)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        theirs = F.conv2d(t(x), t(weight), padding="same", dilation=dilation)
    assert ours.shape == tuple(theirs.shape) == (2, 3, 6, 7)
    close(ours, theirs)


def test_conv2d_refuses_what_torch_refuses() -> None:
    x, w = np.ones((1, 1, 5, 5)), np.ones((1, 1, 2, 2))
    for kwargs, word in [
        ({"padding": "same", "stride": 2}, "strided"),
        ({"padding": "same", "stride": (1, 2)}, "strided"),
        ({"padding": "same", "stride": (2, 1)}, "strided"),
        ({"padding": "full"}, "'valid' or 'same'"),
    ]:
        with pytest.raises(RuntimeError):
            F.conv2d(t(x), t(w), **kwargs)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=word):
            ops.conv2d(x, w, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="weight must be 4-D"):
        ops.conv2d(x, np.ones((1, 2, 2)))
    with pytest.raises(ValueError, match="larger than padded input"):
        ops.conv2d(x, np.ones((1, 1, 6, 2)))
    with pytest.raises(ValueError, match="larger than padded input"):
        ops.conv2d(x, np.ones((1, 1, 2, 6)))
    with pytest.raises(ValueError, match="expected 3-D"):
        ops.conv2d(np.ones((5, 5)), w)
    with pytest.raises(ValueError, match="stride must be an int or a pair"):
        ops.conv2d(x, w, stride=(1, 1, 1))


@pytest.mark.parametrize("groups", [0, 2, 3])
def test_conv2d_refuses_groups_that_do_not_fit(groups: int) -> None:
    # 4 input channels and weight (6, 2, …): only groups=2 fits (4 = 2·2, 6 divisible by 2)
    x, w = np.ones((1, 4, 5, 5)), np.ones((6, 2, 3, 3))
    assert ops.conv2d(x, w, groups=2).shape == (1, 6, 3, 3)
    if groups != 2:
        with pytest.raises(ValueError, match="do not fit"):
            ops.conv2d(x, w, groups=groups)
    with pytest.raises(ValueError, match="do not fit"):
        ops.conv2d(np.ones((1, 4, 5, 5)), np.ones((5, 2, 3, 3)), groups=2)  # 5 outputs do not split in 2


def test_one_element_sequences_mean_both_axes() -> None:
    """``stride=[2]`` is ``(2, 2)``, as torch's ``_pair`` reads it."""
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(1, 1, 7, 7)), rng.normal(size=(1, 1, 3, 3))
    close(ops.conv2d(x, w, stride=[2], padding=[1], dilation=[2]), F.conv2d(t(x), t(w), None, 2, 1, 2))
    close(ops.max_pool2d(x, [3], [2], [1]), F.max_pool2d(t(x), 3, 2, 1))


# ---------------------------------------------------------------------------------------------------
# Pooling: the stride default and what torch refuses
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("kernel", [2, (2, 3), (3, 1)])
def test_pool_empty_stride_means_the_kernel(seed: int, kernel: int | tuple[int, int]) -> None:
    x = np.random.default_rng(seed).normal(size=(1, 2, 7, 8))
    close(ops.max_pool2d(x, kernel, []), F.max_pool2d(t(x), kernel, []))
    close(ops.avg_pool2d(x, kernel, []), F.avg_pool2d(t(x), kernel, []))


@pytest.mark.parametrize("size", [(2, 5), (5, 2)])
def test_pool_output_too_small_is_refused(size: tuple[int, int]) -> None:
    x = np.ones((1, 1, *size))
    with pytest.raises(RuntimeError):
        F.max_pool2d(t(x), 3)
    with pytest.raises(ValueError, match="too small"):
        ops.max_pool2d(x, 3)
    with pytest.raises(ValueError, match="too small"):
        ops.avg_pool2d(x, 3)


def test_max_pool_propagates_nan_like_torch() -> None:
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    x[0, 0, 1, 1] = np.nan
    close(ops.max_pool2d(x, 2), F.max_pool2d(t(x), 2))


# ---------------------------------------------------------------------------------------------------
# Losses, batch norm, dropout, the MLP: what is refused, and the statistics returned
# ---------------------------------------------------------------------------------------------------


def test_unknown_reduction_is_refused() -> None:
    with pytest.raises(ValueError, match="reduction must be"):
        ops.mse_loss([1.0], [2.0], "avg")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="reduction must be"):
        ops.cross_entropy([[1.0, 2.0]], [0], reduction="total")  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(6))
def test_batch_norm_returns_the_batch_statistics(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(4, 3, 2)) * 2 + 1
    res = ops.batch_norm(x, None, None, training=True)
    tx = t(x)
    close(res.batch_mean, tx.mean(dim=(0, 2)))
    close(res.batch_var, tx.var(dim=(0, 2), unbiased=False))
    assert res.running_mean is None and res.running_var is None
    close(res.output, F.batch_norm(tx, None, None, training=True))
    ev = ops.batch_norm(x, np.zeros(3), np.ones(3))
    assert ev.batch_mean is None and ev.batch_var is None


def test_batch_norm_refuses_what_torch_cannot_do() -> None:
    with pytest.raises(ValueError, match="at least 2 dims"):
        ops.batch_norm(np.ones(3), np.zeros(3), np.ones(3))
    with pytest.raises(ValueError, match="eval mode needs running_mean and running_var"):
        ops.batch_norm(np.ones((2, 3)), None, np.ones(3))
    with pytest.raises(ValueError, match="eval mode needs running_mean and running_var"):
        ops.batch_norm(np.ones((2, 3)), np.zeros(3), None)
    res = ops.batch_norm(np.arange(6.0).reshape(2, 3), None, None, training=True)  # 2 values a channel: fine
    assert res.output.shape == (2, 3)


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_dropout_probability_out_of_range_is_refused(p: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.dropout(t(np.ones(3)), p)
    with pytest.raises(ValueError, match="between 0 and 1"):
        ops.dropout_with_mask(np.ones(3), np.ones(3), p)


def test_mlp_backprop_refuses_mismatched_layers_and_unknown_losses() -> None:
    w, b = [np.ones((2, 3))], [np.zeros(2)]
    with pytest.raises(ValueError, match="one weight, bias and activation per layer"):
        ops.mlp_backprop(np.ones(3), w, b, ["relu", "relu"], np.zeros(2))
    with pytest.raises(ValueError, match="one weight, bias and activation per layer"):
        ops.mlp_backprop(np.ones(3), w, [], ["relu"], np.zeros(2))
    with pytest.raises(ValueError, match="unknown loss 'l1'"):
        ops.mlp_backprop(np.ones(3), w, b, ["relu"], np.zeros(2), loss="l1")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------
# Optimisers: maximize and the Nesterov rule, against torch
# ---------------------------------------------------------------------------------------------------

GRADS = [np.array([3.0, -1.0]), np.array([0.5, 2.0]), np.array([0.1, -0.2]), np.array([-0.05, 0.01])]
W0 = np.array([1.0, -2.0])


def trajectories(ours: Any, theirs: Any, **kw: Any) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    w, state = W0, None
    p = t(W0).requires_grad_()
    opt = theirs([p], **kw)
    for g in GRADS:
        w, state = ours(w, g, state, **kw)
        p.grad = t(g)
        opt.step()
    return np.asarray(w), p.detach().numpy()


@pytest.mark.parametrize(
    ("ours", "theirs", "kw"),
    [
        (ops.sgd_step, torch.optim.SGD, {"lr": 0.1}),
        (ops.sgd_step, torch.optim.SGD, {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1}),
        (ops.sgd_step, torch.optim.SGD, {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
        (ops.adagrad_step, torch.optim.Adagrad, {"lr": 0.1, "weight_decay": 0.1}),
        (ops.rmsprop_step, torch.optim.RMSprop, {"lr": 0.01, "weight_decay": 0.1}),
        (ops.rmsprop_step, torch.optim.RMSprop, {"lr": 0.01, "momentum": 0.9, "centered": True}),
    ],
)
@pytest.mark.parametrize("maximize", [False, True])
def test_maximize_matches_torch(ours: Any, theirs: Any, kw: dict[str, Any], maximize: bool) -> None:
    a, b = trajectories(ours, theirs, maximize=maximize, **kw)
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(("momentum", "dampening"), [(0.0, 0.0), (0.0, 0.1), (0.9, 0.1), (0.9, -0.1)])
def test_nesterov_needs_momentum_and_no_dampening_as_in_torch(momentum: float, dampening: float) -> None:
    with pytest.raises(ValueError, match="Nesterov"):
        torch.optim.SGD([t(W0).requires_grad_()], lr=0.1, momentum=momentum, dampening=dampening, nesterov=True)
    with pytest.raises(ValueError, match="Nesterov"):
        ops.sgd_step(W0, GRADS[0], lr=0.1, momentum=momentum, dampening=dampening, nesterov=True)
