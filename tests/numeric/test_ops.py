"""quizforge.numeric.ops against torch: every op on random shapes and hyper-parameters.

torch (float64 tensors) is the independent computation: ``torch.nn.functional`` for the layers and
losses, ``torch.autograd`` for derivatives and back-propagation, real ``torch.optim`` objects for
multi-step optimiser trajectories. A few hand-derived anchors pin the textbook formulas too.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizforge.numeric import ops
from tests.numeric.optimisers import OPTIMISERS

pytestmark = pytest.mark.torch

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OPTIM = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rand(data: st.DataObject, shape: tuple[int, ...]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """A float64 array drawn through hypothesis (via a seed, so shrinking stays cheap)."""
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    return np.random.default_rng(seed).normal(size=shape)


def t(a: Any) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64))


def close(ours: Any, theirs: torch.Tensor | float | None, atol: float = 1e-10) -> None:
    assert theirs is not None
    expected = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    np.testing.assert_allclose(np.asarray(ours), expected, rtol=1e-9, atol=atol)


# ---------------------------------------------------------------------------------------------
# Convolution and pooling
# ---------------------------------------------------------------------------------------------


@FAST
@given(st.data())
def test_conv2d_matches_torch(data: st.DataObject) -> None:
    groups = data.draw(st.sampled_from([1, 1, 2, 3]))
    c_in = groups * data.draw(st.integers(1, 2))
    c_out = groups * data.draw(st.integers(1, 3))
    kh, kw = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3))
    stride = data.draw(st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    dilation = data.draw(st.one_of(st.integers(1, 2), st.tuples(st.integers(1, 2), st.integers(1, 2))))
    padding = data.draw(st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2))))
    h, w = data.draw(st.integers(5, 9)), data.draw(st.integers(5, 9))
    batched = data.draw(st.booleans())
    x = rand(data, (data.draw(st.integers(1, 2)), c_in, h, w) if batched else (c_in, h, w))
    weight = rand(data, (c_out, c_in // groups, kh, kw))
    bias = rand(data, (c_out,)) if data.draw(st.booleans()) else None
    ours = ops.conv2d(x, weight, bias, stride, padding, dilation, groups)
    theirs = F.conv2d(t(x), t(weight), None if bias is None else t(bias), stride, padding, dilation, groups)
    assert ours.shape == tuple(theirs.shape)
    close(ours, theirs)


@FAST
@given(st.data())
def test_conv2d_padding_strings(data: st.DataObject) -> None:
    mode = data.draw(st.sampled_from(["same", "valid"]))
    # torch warns (an error under filterwarnings=error) for 'same' with an even kernel; odd kernels here.
    k = data.draw(st.sampled_from([1, 3]))
    x = rand(data, (1, 2, 6, 7))
    weight = rand(data, (3, 2, k, k))
    d = data.draw(st.integers(1, 2))
    close(ops.conv2d(x, weight, padding=mode, dilation=d), F.conv2d(t(x), t(weight), padding=mode, dilation=d))


def test_conv2d_by_hand() -> None:
    # 3×3 input 1..9 with the 2×2 kernel [[1, 0], [0, -1]]: each output is x[i][j] − x[i+1][j+1] = 1 − 5 = −4.
    x = np.arange(1, 10, dtype=float).reshape(1, 1, 3, 3)
    weight = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])
    np.testing.assert_array_equal(ops.conv2d(x, weight, np.array([0.5])), np.full((1, 1, 2, 2), -3.5))


def test_conv2d_rejects_mismatched_groups() -> None:
    with pytest.raises(ValueError, match="groups"):
        ops.conv2d(np.zeros((1, 3, 4, 4)), np.zeros((2, 1, 3, 3)), groups=2)


@FAST
@given(st.data())
def test_pools_match_torch(data: st.DataObject) -> None:
    kh, kw = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    stride = data.draw(st.one_of(st.none(), st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    padding = (data.draw(st.integers(0, kh // 2)), data.draw(st.integers(0, kw // 2)))
    ceil_mode = data.draw(st.booleans())
    h, w = data.draw(st.integers(4, 9)), data.draw(st.integers(4, 9))
    x = rand(data, (data.draw(st.integers(1, 2)), data.draw(st.integers(1, 3)), h, w))
    dilation = data.draw(st.integers(1, 2))
    assume(min(h, w) + 2 * min(padding) >= dilation * (max(kh, kw) - 1) + 1)  # else torch raises too
    close(
        ops.max_pool2d(x, (kh, kw), stride, padding, dilation, ceil_mode),
        F.max_pool2d(t(x), (kh, kw), stride, padding, dilation, ceil_mode),
    )
    include_pad = data.draw(st.booleans())
    divisor = data.draw(st.one_of(st.none(), st.integers(1, 5)))
    close(
        ops.avg_pool2d(x, (kh, kw), stride, padding, ceil_mode, include_pad, divisor),
        F.avg_pool2d(t(x), (kh, kw), stride, padding, ceil_mode, include_pad, divisor),
    )


def test_pool_defaults_and_unbatched() -> None:
    x = np.arange(16, dtype=float).reshape(1, 4, 4)
    # stride defaults to the kernel: 2×2 windows of 0..15 row-major; maxima 5, 7, 13, 15; means 2.5, 4.5, ...
    np.testing.assert_array_equal(ops.max_pool2d(x, 2), [[[5, 7], [13, 15]]])
    np.testing.assert_array_equal(ops.avg_pool2d(x, 2), [[[2.5, 4.5], [10.5, 12.5]]])


@FAST
@given(st.data())
def test_adaptive_avg_pool2d_matches_torch(data: st.DataObject) -> None:
    h, w = data.draw(st.integers(1, 9)), data.draw(st.integers(1, 9))
    x = rand(data, (2, 2, h, w))
    size = data.draw(
        st.one_of(
            st.integers(1, 6),
            st.tuples(st.one_of(st.none(), st.integers(1, 6)), st.one_of(st.none(), st.integers(1, 6))),
        )
    )
    close(ops.adaptive_avg_pool2d(x, size), F.adaptive_avg_pool2d(t(x), size))
    close(ops.adaptive_avg_pool2d(x[0], 1), F.adaptive_avg_pool2d(t(x[0]), 1))


# ---------------------------------------------------------------------------------------------
# Linear, activations, softmax and losses
# ---------------------------------------------------------------------------------------------


@FAST
@given(st.data())
def test_linear_matches_torch(data: st.DataObject) -> None:
    n_in, n_out = data.draw(st.integers(1, 5)), data.draw(st.integers(1, 5))
    x = rand(data, data.draw(st.sampled_from([(n_in,), (3, n_in), (2, 3, n_in)])))
    weight, bias = rand(data, (n_out, n_in)), rand(data, (n_out,))
    close(ops.linear(x, weight, bias), F.linear(t(x), t(weight), t(bias)))
    close(ops.linear(x, weight), F.linear(t(x), t(weight)))


@FAST
@given(st.lists(st.floats(-30, 30, allow_nan=False), min_size=1, max_size=8))
def test_activations_and_derivatives_match_autograd(values: list[float]) -> None:
    for name, fn, grad in (
        ("relu", torch.relu, ops.relu_grad),
        ("sigmoid", torch.sigmoid, ops.sigmoid_grad),
        ("tanh", torch.tanh, ops.tanh_grad),
    ):
        z = t(values).requires_grad_()
        y = fn(z)
        y.sum().backward()
        assert z.grad is not None
        close(getattr(ops, name)(values), y)
        close(grad(values), z.grad)


def test_activation_derivative_anchors() -> None:
    # σ(0) = 1/2, so σ′(0) = ½·½ = ¼ (the vanishing-gradient bound); tanh′(0) = 1; ReLU′ is 0 at 0 (autograd).
    assert ops.sigmoid_grad(0.0) == 0.25
    assert ops.tanh_grad(0.0) == 1.0
    np.testing.assert_array_equal(ops.relu_grad([-1.0, 0.0, 2.0]), [0.0, 0.0, 1.0])


@FAST
@given(st.data())
def test_softmax_and_log_softmax_match_torch(data: st.DataObject) -> None:
    shape = data.draw(st.sampled_from([(5,), (3, 4), (2, 3, 4)]))
    x = rand(data, shape) * data.draw(st.sampled_from([1.0, 10.0, 300.0]))
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    close(ops.softmax(x, dim), F.softmax(t(x), dim=dim))
    close(ops.log_softmax(x, dim), F.log_softmax(t(x), dim=dim), atol=1e-8)


def test_softmax_shift_invariant_and_anchor() -> None:
    # softmax([0, ln 3]) = [1/4, 3/4]; adding 100 to both logits changes nothing.
    np.testing.assert_allclose(ops.softmax([100.0, 100.0 + np.log(3.0)], 0), [0.25, 0.75])


@FAST
@given(st.data())
def test_cross_entropy_matches_torch(data: st.DataObject) -> None:
    n, c = data.draw(st.integers(1, 5)), data.draw(st.integers(2, 5))
    x = rand(data, (n, c)) * 3
    target = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    reduction: Any = data.draw(st.sampled_from(["mean", "sum", "none"]))
    weight = np.abs(rand(data, (c,))) + 0.1 if data.draw(st.booleans()) else None
    if n > 1 and data.draw(st.booleans()):
        target[0] = -100  # ignored
    tw = None if weight is None else t(weight)
    ours = ops.cross_entropy(x, target, weight, reduction=reduction)
    close(ours, F.cross_entropy(t(x), torch.tensor(target), tw, reduction=reduction))
    # unbatched: (C,) logits with a scalar class index
    k = int(data.draw(st.integers(0, c - 1)))
    close(ops.cross_entropy(x[0], k), F.cross_entropy(t(x[0]), torch.tensor(k)))


def test_cross_entropy_spatial() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 3, 4, 5))
    target = rng.integers(0, 3, size=(2, 4, 5))
    close(ops.cross_entropy(x, target), F.cross_entropy(t(x), torch.tensor(target)))


def test_cross_entropy_anchor() -> None:
    # Equal logits over 4 classes: p = 1/4 for the target, loss = −ln ¼ = ln 4.
    assert float(ops.cross_entropy([[2.0, 2.0, 2.0, 2.0]], [1])) == pytest.approx(np.log(4.0))


@FAST
@given(st.data())
def test_mse_loss_matches_torch(data: st.DataObject) -> None:
    shape = data.draw(st.sampled_from([(3,), (2, 4), (2, 2, 3)]))
    a, b = rand(data, shape), rand(data, shape)
    for reduction in ("mean", "sum", "none"):
        close(ops.mse_loss(a, b, reduction), F.mse_loss(t(a), t(b), reduction=reduction))


# ---------------------------------------------------------------------------------------------
# Batch norm, dropout, MLP back-propagation
# ---------------------------------------------------------------------------------------------


@FAST
@given(st.data())
def test_batch_norm_matches_torch(data: st.DataObject) -> None:
    c = data.draw(st.integers(1, 4))
    shape = data.draw(st.sampled_from([(3, c), (2, c, 3), (2, c, 3, 2), (5, c)]))
    x = rand(data, shape) * 2 + 1
    rm, rv = rand(data, (c,)), np.abs(rand(data, (c,))) + 0.5
    gamma = rand(data, (c,)) if data.draw(st.booleans()) else None
    beta = rand(data, (c,)) if data.draw(st.booleans()) else None
    training = data.draw(st.booleans())
    momentum = data.draw(st.sampled_from([0.1, 0.5, 0.01]))
    eps = data.draw(st.sampled_from([1e-5, 1e-3, 0.1]))
    t_rm, t_rv = t(rm), t(rv)  # torch updates these in place
    theirs = F.batch_norm(
        t(x),
        t_rm,
        t_rv,
        None if gamma is None else t(gamma),
        None if beta is None else t(beta),
        training=training,
        momentum=momentum,
        eps=eps,
    )
    rm_before = rm.copy()
    ours = ops.batch_norm(x, rm, rv, gamma, beta, training=training, momentum=momentum, eps=eps)
    close(ours.output, theirs)
    close(ours.running_mean, t_rm)
    close(ours.running_var, t_rv)
    np.testing.assert_array_equal(rm, rm_before)  # inputs are never modified


def test_batch_norm_module_two_steps() -> None:
    # nn.BatchNorm1d owns its buffers: two training steps then eval, threading our returned stats through.
    rng = np.random.default_rng(7)
    bn = torch.nn.BatchNorm1d(3, dtype=torch.float64)
    with torch.no_grad():
        bn.weight.copy_(t(rng.normal(size=3)))
        bn.bias.copy_(t(rng.normal(size=3)))
    rm, rv = np.zeros(3), np.ones(3)
    for _ in range(2):
        x = rng.normal(size=(4, 3))
        res = ops.batch_norm(x, rm, rv, bn.weight.detach().numpy(), bn.bias.detach().numpy(), training=True)
        close(res.output, bn(t(x)))
        rm, rv = res.running_mean, res.running_var
    assert rm is not None and rv is not None
    close(rm, bn.running_mean)
    close(rv, bn.running_var)
    bn.eval()
    x = rng.normal(size=(2, 3))
    close(ops.batch_norm(x, rm, rv, bn.weight.detach().numpy(), bn.bias.detach().numpy()).output, bn(t(x)))


def test_batch_norm_anchor() -> None:
    # Column [1, 3]: mean 2, biased variance 1, so x̂ = ∓1/√(1 + ε); running var uses the unbiased 2:
    # 0.9·1 + 0.1·2 = 1.1; running mean 0.9·0 + 0.1·2 = 0.2.
    res = ops.batch_norm([[1.0], [3.0]], [0.0], [1.0], training=True, eps=0.0)
    np.testing.assert_allclose(res.output, [[-1.0], [1.0]])
    np.testing.assert_allclose(res.running_var, [1.1])
    np.testing.assert_allclose(res.running_mean, [0.2])


def test_batch_norm_rejects_single_value_per_channel() -> None:
    with pytest.raises(ValueError, match="more than 1 value"):
        ops.batch_norm(np.ones((1, 3)), None, None, training=True)


@FAST
@given(st.data())
def test_dropout_with_mask_matches_torch_dropout(data: st.DataObject) -> None:
    p = data.draw(st.sampled_from([0.0, 0.2, 0.5, 0.75, 1.0]))
    x = rand(data, (4, 5)) + 10.0  # never zero, so torch's zeros reveal its mask
    torch.manual_seed(data.draw(st.integers(0, 1000)))
    theirs = F.dropout(t(x), p, training=True)
    mask = (theirs != 0).numpy().astype(float)
    close(ops.dropout_with_mask(x, mask, p), theirs)


@FAST
@given(st.data())
def test_mlp_backprop_matches_autograd(data: st.DataObject) -> None:
    depth = data.draw(st.integers(1, 3))
    sizes = [data.draw(st.integers(1, 4)) for _ in range(depth + 1)]
    loss: Any = data.draw(st.sampled_from(["mse", "half_sse", "cross_entropy"]))
    if loss == "cross_entropy":
        sizes[-1] = max(sizes[-1], 2)
    acts: list[ops.ActivationName] = [
        data.draw(st.sampled_from(["relu", "sigmoid", "tanh", "identity"])) for _ in range(depth)
    ]
    single = data.draw(st.booleans())
    batch = 1 if single else data.draw(st.integers(1, 3))
    x = rand(data, (sizes[0],) if single else (batch, sizes[0]))
    weights = [rand(data, (sizes[i + 1], sizes[i])) for i in range(depth)]
    biases = [rand(data, (sizes[i + 1],)) for i in range(depth)]
    if loss == "cross_entropy":
        target: Any = np.array(data.draw(st.lists(st.integers(0, sizes[-1] - 1), min_size=batch, max_size=batch)))
        if single:
            target = int(target[0])
    else:
        target = rand(data, (sizes[-1],) if single else (batch, sizes[-1]))

    tw = [t(w).requires_grad_() for w in weights]
    tb = [t(b).requires_grad_() for b in biases]
    a = t(x)
    for w, b, name in zip(tw, tb, acts, strict=True):
        a = F.linear(a, w, b)
        a = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "identity": lambda v: v}[name](a)
    if loss == "mse":
        value = F.mse_loss(a, t(target))
    elif loss == "half_sse":
        value = 0.5 * ((a - t(target)) ** 2).sum() / batch
    else:
        value = F.cross_entropy(a, torch.tensor(target))
    value.backward()

    ours = ops.mlp_backprop(x, weights, biases, acts, target, loss)
    assert ours.loss == pytest.approx(value.item(), rel=1e-9, abs=1e-12)
    close(ours.activations[-1], a)
    for layer in range(depth):
        assert tw[layer].grad is not None and tb[layer].grad is not None
        close(ours.weight_grads[layer], tw[layer].grad)
        close(ours.bias_grads[layer], tb[layer].grad)


# ---------------------------------------------------------------------------------------------
# Optimisers: multi-step trajectories against real torch.optim objects
# ---------------------------------------------------------------------------------------------


def torch_trajectory(make: Any, w0: np.ndarray[Any, Any], grads: list[np.ndarray[Any, Any]]) -> list[Any]:
    """Parameters after each ``step()`` of ``make([p])``, feeding the given gradients."""
    p = t(w0).requires_grad_()
    opt = make([p])
    out = []
    for g in grads:
        p.grad = t(g)
        opt.step()
        out.append(p.detach().clone().numpy())
    return out


def our_trajectory(step: Any, w0: np.ndarray[Any, Any], grads: list[np.ndarray[Any, Any]], **hp: Any) -> list[Any]:
    w, state, out = w0, None, []
    for g in grads:
        w, state = step(w, g, state, **hp)
        out.append(w)
    return out


def problem(data: st.DataObject) -> tuple[np.ndarray[Any, Any], list[np.ndarray[Any, Any]]]:
    n = data.draw(st.integers(1, 3))
    steps = data.draw(st.integers(1, 5))
    return rand(data, (n,)), [rand(data, (n,)) for _ in range(steps)]


def assert_same(ours: list[Any], theirs: list[Any]) -> None:
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


LR = st.sampled_from([0.01, 0.1, 0.5, 1.0])
WD = st.sampled_from([0.0, 0.0, 0.01, 0.1])


@OPTIM
@given(st.data())
def test_sgd_trajectory(data: st.DataObject) -> None:
    w0, grads = problem(data)
    nesterov = data.draw(st.booleans())
    hp: dict[str, Any] = {
        "lr": data.draw(LR),
        "momentum": data.draw(st.sampled_from([0.5, 0.9]) if nesterov else st.sampled_from([0.0, 0.5, 0.9])),
        "dampening": 0.0 if nesterov else data.draw(st.sampled_from([0.0, 0.1, 0.5])),
        "weight_decay": data.draw(WD),
        "nesterov": nesterov,
    }
    assert_same(
        our_trajectory(ops.sgd_step, w0, grads, **hp),
        torch_trajectory(lambda p: torch.optim.SGD(p, **hp), w0, grads),
    )


@OPTIM
@given(st.data())
def test_adagrad_trajectory(data: st.DataObject) -> None:
    w0, grads = problem(data)
    hp: dict[str, Any] = {
        "lr": data.draw(LR),
        "lr_decay": data.draw(st.sampled_from([0.0, 0.1])),
        "weight_decay": data.draw(WD),
        "initial_accumulator_value": data.draw(st.sampled_from([0.0, 0.1])),
        "eps": data.draw(st.sampled_from([1e-10, 0.1])),
    }
    ours = our_trajectory(ops.adagrad_step, w0, grads, **hp)
    assert_same(ours, torch_trajectory(lambda p: torch.optim.Adagrad(p, **hp), w0, grads))


@OPTIM
@given(st.data())
def test_rmsprop_trajectory(data: st.DataObject) -> None:
    w0, grads = problem(data)
    hp: dict[str, Any] = {
        "lr": data.draw(LR),
        "alpha": data.draw(st.sampled_from([0.99, 0.9, 0.5])),
        "eps": data.draw(st.sampled_from([1e-8, 0.1])),
        "weight_decay": data.draw(WD),
        "momentum": data.draw(st.sampled_from([0.0, 0.9])),
        "centered": data.draw(st.booleans()),
    }
    ours = our_trajectory(ops.rmsprop_step, w0, grads, **hp)
    assert_same(ours, torch_trajectory(lambda p: torch.optim.RMSprop(p, **hp), w0, grads))


@OPTIM
@given(st.data())
def test_adadelta_trajectory(data: st.DataObject) -> None:
    w0, grads = problem(data)
    hp: dict[str, Any] = {
        "lr": data.draw(st.sampled_from([1.0, 0.5])),
        "rho": data.draw(st.sampled_from([0.9, 0.5])),
        "eps": data.draw(st.sampled_from([1e-6, 0.01])),
        "weight_decay": data.draw(WD),
    }
    ours = our_trajectory(ops.adadelta_step, w0, grads, **hp)
    assert_same(ours, torch_trajectory(lambda p: torch.optim.Adadelta(p, **hp), w0, grads))


@OPTIM
@given(st.data(), st.booleans())
def test_adam_and_adamw_trajectories(data: st.DataObject, decoupled: bool) -> None:
    w0, grads = problem(data)
    hp: dict[str, Any] = {
        "lr": data.draw(LR),
        "betas": (data.draw(st.sampled_from([0.9, 0.5])), data.draw(st.sampled_from([0.999, 0.9]))),
        "eps": data.draw(st.sampled_from([1e-8, 0.1])),
        "weight_decay": data.draw(WD),
        "amsgrad": data.draw(st.booleans()),
    }
    if decoupled:
        ours = our_trajectory(ops.adamw_step, w0, grads, **hp)
        theirs = torch_trajectory(lambda p: torch.optim.AdamW(p, **hp), w0, grads)
    else:
        ours = our_trajectory(ops.adam_step, w0, grads, **hp)
        theirs = torch_trajectory(lambda p: torch.optim.Adam(p, **hp), w0, grads)
    assert_same(ours, theirs)


@pytest.mark.parametrize(
    ("ours", "make"),
    OPTIMISERS,
)
def test_optimizer_defaults_match_torch(ours: Any, make: Any) -> None:
    # Every hyper-parameter left at its default on both sides.
    rng = np.random.default_rng(11)
    w0, grads = rng.normal(size=3), [rng.normal(size=3) for _ in range(4)]
    assert_same(our_trajectory(ours, w0, grads), torch_trajectory(make, w0, grads))


def test_adam_first_step_is_lr_times_sign() -> None:
    # Step 1: m̂ = g and v̂ = g², so the update is lr·g/(|g| + ε) ≈ lr·sign(g), whatever |g| is.
    w, state = ops.adam_step([1.0, 1.0], [3.0, -0.001], lr=0.1, eps=0.0)
    np.testing.assert_allclose(w, [0.9, 1.1])
    assert state.step == 1


def test_sgd_momentum_first_step_buffer_is_gradient() -> None:
    # torch initialises the buffer to g itself (no dampening, no μ·0 term): w = 1 − 0.1·2 = 0.8,
    # then b = 0.9·2 + 4 = 5.8, w = 0.8 − 0.58 = 0.22.
    w, s = ops.sgd_step([1.0], [2.0], lr=0.1, momentum=0.9, dampening=0.5)
    np.testing.assert_allclose(w, [0.8])
    w, s = ops.sgd_step(w, [4.0], s, lr=0.1, momentum=0.9)
    np.testing.assert_allclose(w, [0.22])
