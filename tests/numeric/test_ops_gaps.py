"""ops.py paths its other tests did not reach, found with mutation testing (``benchmarks/mutation.py numeric.ops``),
each against torch (its result, its state or its error for the same input), on many seeds: the normalisation
layers (no test reached them), conv2d's 'same' padding with even kernels, what torch refuses, float64 whatever
the input dtype, optimiser state and flags, cross_entropy's ignored targets (a nan bug), mlp_backprop's targets."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from quizforge.numeric import ops
from tests.numeric.optimisers import OPTIMISERS

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
    with pytest.raises(ValueError, match=r"^layer_norm: input shape"):
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
    with pytest.raises(ValueError, match=r"^group_norm: 6 channels do not split into 4 groups$"):
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
        ({"padding": "same", "stride": 2}, "^conv2d: padding='same' is not supported for strided convolutions$"),
        ({"padding": "same", "stride": (1, 2)}, "^conv2d: padding='same' is not supported for strided"),
        ({"padding": "same", "stride": (2, 1)}, "^conv2d: padding='same' is not supported for strided"),
        ({"padding": "full"}, "^conv2d: padding string must be 'valid' or 'same', got 'full'$"),
    ]:
        with pytest.raises(RuntimeError):
            F.conv2d(t(x), t(w), **kwargs)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=word):
            ops.conv2d(x, w, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^conv2d: weight must be 4-D"):
        ops.conv2d(x, np.ones((1, 2, 2)))
    with pytest.raises(ValueError, match=r"^conv2d: kernel .* larger than padded input"):
        ops.conv2d(x, np.ones((1, 1, 6, 2)))
    with pytest.raises(ValueError, match=r"^conv2d: kernel .* larger than padded input"):
        ops.conv2d(x, np.ones((1, 1, 2, 6)))
    with pytest.raises(ValueError, match=r"^conv2d: expected 3-D"):
        ops.conv2d(np.ones((5, 5)), w)
    with pytest.raises(ValueError, match=r"^stride must be an int or a pair"):
        ops.conv2d(x, w, stride=(1, 1, 1))


@pytest.mark.parametrize("groups", [0, 2, 3])
def test_conv2d_refuses_groups_that_do_not_fit(groups: int) -> None:
    # 4 input channels and weight (6, 2, …): only groups=2 fits (4 = 2·2, 6 divisible by 2)
    x, w = np.ones((1, 4, 5, 5)), np.ones((6, 2, 3, 3))
    assert ops.conv2d(x, w, groups=2).shape == (1, 6, 3, 3)
    if groups != 2:
        with pytest.raises(ValueError, match=r"^conv2d: .* do not fit"):
            ops.conv2d(x, w, groups=groups)
    with pytest.raises(
        ValueError, match=r"^conv2d: .* do not fit \(need C_in = groups·weight\.shape\[1\] and C_out divisible"
    ):
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
    with pytest.raises(ValueError, match=r"^pooling: output size .* is too small$"):
        ops.max_pool2d(x, 3)
    with pytest.raises(ValueError, match=r"^pooling: output size .* is too small$"):
        ops.avg_pool2d(x, 3)


def test_max_pool_propagates_nan_like_torch() -> None:
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    x[0, 0, 1, 1] = np.nan
    close(ops.max_pool2d(x, 2), F.max_pool2d(t(x), 2))


# ---------------------------------------------------------------------------------------------------
# Losses, batch norm, dropout, the MLP: what is refused, and the statistics returned
# ---------------------------------------------------------------------------------------------------


def test_unknown_reduction_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^reduction must be 'mean', 'sum' or 'none'"):
        ops.mse_loss([1.0], [2.0], "avg")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^reduction must be 'mean', 'sum' or 'none'"):
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
    with pytest.raises(ValueError, match=r"^batch_norm: input needs at least 2 dims"):
        ops.batch_norm(np.ones(3), np.zeros(3), np.ones(3))
    with pytest.raises(ValueError, match=r"^batch_norm: eval mode needs running_mean and running_var$"):
        ops.batch_norm(np.ones((2, 3)), None, np.ones(3))
    with pytest.raises(ValueError, match=r"^batch_norm: eval mode needs running_mean and running_var$"):
        ops.batch_norm(np.ones((2, 3)), np.zeros(3), None)
    res = ops.batch_norm(np.arange(6.0).reshape(2, 3), None, None, training=True)  # 2 values a channel: fine
    assert res.output.shape == (2, 3)


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_dropout_probability_out_of_range_is_refused(p: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.dropout(t(np.ones(3)), p)
    with pytest.raises(ValueError, match=rf"^dropout probability has to be between 0 and 1, but got {p}$"):
        ops.dropout_with_mask(np.ones(3), np.ones(3), p)


def test_mlp_backprop_refuses_mismatched_layers_and_unknown_losses() -> None:
    w, b = [np.ones((2, 3))], [np.zeros(2)]
    with pytest.raises(ValueError, match=r"^mlp_backprop: need one weight, bias and activation per layer$"):
        ops.mlp_backprop(np.ones(3), w, b, ["relu", "relu"], np.zeros(2))
    with pytest.raises(ValueError, match=r"^mlp_backprop: need one weight, bias and activation per layer$"):
        ops.mlp_backprop(np.ones(3), w, [], ["relu"], np.zeros(2))
    with pytest.raises(ValueError, match=r"^mlp_backprop: unknown loss 'l1'$"):
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
    with pytest.raises(ValueError, match=r"^Nesterov momentum requires a momentum and zero dampening$"):
        ops.sgd_step(W0, GRADS[0], lr=0.1, momentum=momentum, dampening=dampening, nesterov=True)


# ---------------------------------------------------------------------------------------------------
# Float64 whatever the input dtype; errors that name the function and the argument
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_float32_and_integer_inputs_are_computed_in_float64(seed: int) -> None:
    """The module computes in float64 whatever comes in: float32 logits give torch's float64 softmax, not
    float32's (off by ~1e-8), and integer inputs are not squared in integers."""
    rng = np.random.default_rng(seed)
    x32 = (rng.normal(size=(3, 5)) * 4).astype(np.float32)
    x64 = t(x32.astype(np.float64))
    close(ops.softmax(x32, 1), F.softmax(x64, 1))
    close(ops.log_softmax(x32, 1), F.log_softmax(x64, 1))
    close(ops.sigmoid(x32), torch.sigmoid(x64))
    close(ops.layer_norm(x32, (5,)), F.layer_norm(x64, (5,)))
    big = np.array([70_000, -70_000], dtype=np.int32)  # 70 000² overflows int32
    close(ops.mse_loss(big, np.zeros(2, dtype=np.int32), "sum"), F.mse_loss(t(big), t([0, 0]), reduction="sum"))


@pytest.mark.parametrize("op", ["conv2d", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d"])
def test_a_wrong_input_rank_names_the_op(op: str) -> None:
    calls = {
        "conv2d": lambda x: ops.conv2d(x, np.ones((1, 1, 1, 1))),
        "max_pool2d": lambda x: ops.max_pool2d(x, 1),
        "avg_pool2d": lambda x: ops.avg_pool2d(x, 1),
        "adaptive_avg_pool2d": lambda x: ops.adaptive_avg_pool2d(x, 1),
    }
    with pytest.raises(ValueError, match=rf"^{op}: expected 3-D"):
        calls[op](np.ones((4, 4)))


@pytest.mark.parametrize("name", ["stride", "padding", "dilation"])
def test_a_bad_pair_names_the_argument_in_conv2d(name: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name} must be an int or a pair"):
        ops.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 1, 1)), **{name: (1, 1, 1)})  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["kernel_size", "stride", "padding", "dilation"])
def test_a_bad_pair_names_the_argument_in_pooling(name: str) -> None:
    kwargs: dict[str, Any] = {"kernel_size": 2, name: (1, 1, 1)}
    with pytest.raises(ValueError, match=rf"^{name} must be an int or a pair"):
        ops.max_pool2d(np.ones((1, 1, 5, 5)), **kwargs)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    OPTIMISERS,
)
@pytest.mark.parametrize("weight_decay", [1.0, 2.0])
def test_weight_decay_of_one_and_more_matches_torch(ours: Any, theirs: Any, weight_decay: float) -> None:
    a, b = trajectories(ours, theirs, lr=0.01, weight_decay=weight_decay)
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_mlp_backprop_default_loss_is_mse(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, w, b, target = rng.normal(size=(3, 2)), rng.normal(size=(2, 2)), rng.normal(size=2), rng.normal(size=(3, 2))
    tw = t(w).requires_grad_()
    value = F.mse_loss(torch.tanh(t(x) @ tw.T + t(b)), t(target))
    value.backward()
    ours = ops.mlp_backprop(x, [w], [b], ["tanh"], target)
    assert ours.loss == pytest.approx(value.item(), rel=1e-12)
    assert tw.grad is not None
    close(ours.weight_grads[0], tw.grad)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("loss", ["mse", "half_sse"])
def test_mlp_backprop_reads_flat_targets_of_a_single_output_per_example(seed: int, loss: str) -> None:
    """A batch of 3 examples with one output each: targets (3,) are the column (3, 1), not broadcast to 3×3."""
    rng = np.random.default_rng(seed)
    x, w, b, target = rng.normal(size=(3, 2)), rng.normal(size=(1, 2)), rng.normal(size=1), rng.normal(size=3)
    tw = t(w).requires_grad_()
    y = t(x) @ tw.T + t(b)
    col = t(target)[:, None]
    value = F.mse_loss(y, col) if loss == "mse" else 0.5 * ((y - col) ** 2).sum() / 3
    value.backward()
    ours = ops.mlp_backprop(x, [w], [b], ["identity"], target, loss=loss)  # type: ignore[arg-type]
    assert ours.loss == pytest.approx(value.item(), rel=1e-12)
    assert tw.grad is not None
    close(ours.weight_grads[0], tw.grad)


@pytest.mark.parametrize(
    ("ours", "theirs", "buffers"),
    [
        (ops.adagrad_step, torch.optim.Adagrad, {"sum": "sum"}),
        (ops.rmsprop_step, torch.optim.RMSprop, {"square_avg": "square_avg"}),
        (ops.adadelta_step, torch.optim.Adadelta, {"square_avg": "square_avg", "acc_delta": "acc_delta"}),
        (ops.adam_step, torch.optim.Adam, {"exp_avg": "exp_avg", "exp_avg_sq": "exp_avg_sq"}),
        (ops.adamw_step, torch.optim.AdamW, {"exp_avg": "exp_avg", "exp_avg_sq": "exp_avg_sq"}),
    ],
)
def test_optimizer_state_matches_torchs_after_each_step(ours: Any, theirs: Any, buffers: dict[str, str]) -> None:
    """The returned state is torch's ``optimizer.state[p]``: the step count and the running buffers."""
    w, state = W0, None
    p = t(W0).requires_grad_()
    opt = theirs([p], lr=0.1)
    for g in GRADS:
        w, state = ours(w, g, state, lr=0.1)
        p.grad = t(g)
        opt.step()
        assert state.step == int(opt.state[p]["step"])
        for ours_name, torch_name in buffers.items():
            assert getattr(state, ours_name).dtype == np.float64
            close(getattr(state, ours_name), opt.state[p][torch_name])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("masked", [0, 1, 2])
def test_cross_entropy_ignores_targets_whatever_their_row_holds(reduction: str, masked: int) -> None:
    """An ignored row contributes 0, as in torch, even with a masked (−∞) logit: 0·(−∞) must not turn into nan.
    (Found by mutation testing: ops gave nan when the ignored row's class-0 logit was −∞.)"""
    x = np.array([[1.0, 2.0, 0.5], [0.0, 0.0, 0.0], [3.0, -1.0, 0.0]])
    x[1, masked] = -np.inf
    target = np.array([2, -100, 0])
    ours = ops.cross_entropy(x, target, reduction=reduction)  # type: ignore[arg-type]
    close(ours, F.cross_entropy(t(x), torch.tensor(target), reduction=reduction))
    assert np.all(np.isfinite(ours))


def test_cross_entropy_with_a_single_class_and_an_ignored_target() -> None:
    x, target = np.array([[0.5], [1.0]]), np.array([-100, 0])
    for reduction in ("mean", "sum", "none"):
        close(
            ops.cross_entropy(x, target, reduction=reduction),  # type: ignore[arg-type]
            F.cross_entropy(t(x), torch.tensor(target), reduction=reduction),
        )
