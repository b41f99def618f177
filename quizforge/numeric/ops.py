"""NumPy reference ops that mirror ``torch.nn.functional`` and ``torch.optim``.

Same function names, argument names, defaults and layouts as PyTorch (inputs ``(N, C, H, W)``, conv
weights ``(C_out, C_in/groups, kH, kW)``, linear weights ``(out_features, in_features)``), so anyone who
knows PyTorch can read this module and the torch oracle is a one-line comparison. All maths is done
in float64, whatever the input dtype.

Where NumPy cannot mirror PyTorch exactly:

* PyTorch updates ``running_mean``/``running_var`` of :func:`batch_norm` in place; here the inputs are
  never modified and the new running statistics are returned (:class:`BatchNormResult`).
* Optimisers are pure functions ``step(params, grads, state, ...) -> (new_params, new_state)`` over a
  frozen state object instead of stateful ``torch.optim.Optimizer`` objects. One call is one
  ``optimizer.step()`` on a single parameter tensor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]
IntPair = int | tuple[int, int] | Sequence[int]


def _f64(x: ArrayLike) -> Array:
    return np.asarray(x, dtype=np.float64)


def _pair(v: IntPair, name: str) -> tuple[int, int]:
    """``3`` → ``(3, 3)``; ``(2, 3)`` stays; like torch's ``_pair``."""
    if isinstance(v, int | np.integer):
        return int(v), int(v)
    t = tuple(int(x) for x in v)
    if len(t) == 1:
        return t[0], t[0]
    if len(t) != 2:
        raise ValueError(f"{name} must be an int or a pair, got {v!r}")
    return t[0], t[1]


def _batched(input: ArrayLike, name: str) -> tuple[Array, bool]:
    """Accept (N, C, H, W) or unbatched (C, H, W) like torch; return 4-D input and whether it was 3-D."""
    x = _f64(input)
    if x.ndim == 3:
        return x[None], True
    if x.ndim != 4:
        raise ValueError(f"{name}: expected 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape {x.shape}")
    return x, False


# ---------------------------------------------------------------------------------------------
# Convolution and pooling
# ---------------------------------------------------------------------------------------------


def conv2d(
    input: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None = None,
    stride: IntPair = 1,
    padding: IntPair | str = 0,
    dilation: IntPair = 1,
    groups: int = 1,
) -> Array:
    """2-D cross-correlation, as ``torch.nn.functional.conv2d``.

    Args:
        input: ``(N, C_in, H, W)`` or unbatched ``(C_in, H, W)``.
        weight: ``(C_out, C_in/groups, kH, kW)``.
        bias: ``(C_out,)``: one bias per output channel, or ``None``.
        stride: int or ``(sH, sW)``.
        padding: int, ``(pH, pW)`` (zeros on both sides), ``"valid"`` (none) or ``"same"`` (stride 1
            only; an odd total padding puts the extra zero on the bottom/right, as torch does).
        dilation: int or ``(dH, dW)``: spacing between kernel taps.
        groups: input and output channels split into this many independent groups.

    Returns:
        ``(N, C_out, H_out, W_out)`` (3-D for unbatched input) with
        ``H_out = ⌊(H + 2pH − dH·(kH − 1) − 1)/sH⌋ + 1``.
    """
    x, unbatched = _batched(input, "conv2d")
    w = _f64(weight)
    if w.ndim != 4:
        raise ValueError(f"conv2d: weight must be 4-D (C_out, C_in/groups, kH, kW), got shape {w.shape}")
    n, c_in, _, _ = x.shape
    c_out, c_in_g, kh, kw = w.shape
    if groups < 1 or c_in % groups or c_out % groups or c_in // groups != c_in_g:
        raise ValueError(
            f"conv2d: {c_in} input channels, weight {w.shape} and groups={groups} do not fit "
            "(need C_in = groups·weight.shape[1] and C_out divisible by groups)"
        )
    sh, sw = _pair(stride, "stride")
    dh, dw = _pair(dilation, "dilation")
    if isinstance(padding, str):
        if padding == "valid":
            pads = (0, 0, 0, 0)
        elif padding == "same":
            if (sh, sw) != (1, 1):
                raise ValueError("conv2d: padding='same' is not supported for strided convolutions")
            th, tw = dh * (kh - 1), dw * (kw - 1)
            pads = (th // 2, th - th // 2, tw // 2, tw - tw // 2)
        else:
            raise ValueError(f"conv2d: padding string must be 'valid' or 'same', got {padding!r}")
    else:
        ph, pw = _pair(padding, "padding")
        pads = (ph, ph, pw, pw)
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[1]), (pads[2], pads[3])))
    hp, wp = xp.shape[2], xp.shape[3]
    h_out = (hp - dh * (kh - 1) - 1) // sh + 1
    w_out = (wp - dw * (kw - 1) - 1) // sw + 1
    if h_out < 1 or w_out < 1:
        raise ValueError(f"conv2d: kernel {kh}×{kw} (dilation {dh}, {dw}) larger than padded input {hp}×{wp}")
    out = np.zeros((n, c_out, h_out, w_out))
    o_g = c_out // groups
    for g in range(groups):
        xg = xp[:, g * c_in_g : (g + 1) * c_in_g]
        wg = w[g * o_g : (g + 1) * o_g]
        for i in range(kh):
            for j in range(kw):
                # Every output pixel sees input tap (i, j) at the same strided offset: one slice per tap.
                patch = xg[
                    :,
                    :,
                    i * dh : i * dh + sh * (h_out - 1) + 1 : sh,
                    j * dw : j * dw + sw * (w_out - 1) + 1 : sw,
                ]
                out[:, g * o_g : (g + 1) * o_g] += np.einsum("nchw,oc->nohw", patch, wg[:, :, i, j])
    if bias is not None:
        out += _f64(bias).reshape(1, c_out, 1, 1)
    return out[0] if unbatched else out


def _pool_out_size(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """torch's ``pooling_output_shape``: with ``ceil_mode`` the last window must start inside the input
    or the left padding, never wholly in the right padding."""
    span = size + 2 * p - d * (k - 1) - 1
    out = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _pool_geometry(
    x: Array,
    kernel_size: IntPair,
    stride: IntPair | None,
    padding: IntPair,
    dilation: IntPair,
    ceil_mode: bool,
) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int], tuple[int, int], tuple[int, int]]:
    kh, kw = _pair(kernel_size, "kernel_size")
    # torch: stride=None (or an empty list) means stride = kernel_size.
    sh, sw = (
        (kh, kw) if stride is None or (not isinstance(stride, int) and len(stride) == 0) else _pair(stride, "stride")
    )
    ph, pw = _pair(padding, "padding")
    dh, dw = _pair(dilation, "dilation")
    if not (0 <= ph <= ((kh - 1) * dh + 1) // 2 and 0 <= pw <= ((kw - 1) * dw + 1) // 2):
        raise ValueError("pooling: padding should be at most half of the effective kernel size (as in torch)")
    h_out = _pool_out_size(x.shape[2], kh, sh, ph, dh, ceil_mode)
    w_out = _pool_out_size(x.shape[3], kw, sw, pw, dw, ceil_mode)
    if h_out < 1 or w_out < 1:
        raise ValueError(f"pooling: output size {h_out}×{w_out} is too small")
    return (kh, kw), (sh, sw), (ph, pw), (dh, dw), (h_out, w_out)


def max_pool2d(
    input: ArrayLike,
    kernel_size: IntPair,
    stride: IntPair | None = None,
    padding: IntPair = 0,
    dilation: IntPair = 1,
    ceil_mode: bool = False,
) -> Array:
    """Max pooling, as ``torch.nn.functional.max_pool2d`` (without ``return_indices``).

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size: int or pair.
        stride: defaults to ``kernel_size`` (non-overlapping windows).
        padding: implicit ``−∞`` on both sides; at most half the kernel size.
        dilation: spacing between window taps.
        ceil_mode: round the output size up, keeping partial windows that start inside the input.

    Returns:
        ``(N, C, H_out, W_out)`` with ``H_out = ⌊(H + 2p − d·(k − 1) − 1)/s⌋ + 1`` (⌈⌉ with ceil_mode).
    """
    x, unbatched = _batched(input, "max_pool2d")
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (h_out, w_out) = _pool_geometry(
        x, kernel_size, stride, padding, dilation, ceil_mode
    )
    # Pad far enough on the bottom/right for ceil_mode's partial windows; -inf never wins a max.
    need_h = (h_out - 1) * sh + dh * (kh - 1) + 1
    need_w = (w_out - 1) * sw + dw * (kw - 1) + 1
    xp = np.pad(
        x,
        ((0, 0), (0, 0), (ph, max(0, need_h - ph - x.shape[2])), (pw, max(0, need_w - pw - x.shape[3]))),
        constant_values=-np.inf,
    )
    out = np.full((*x.shape[:2], h_out, w_out), -np.inf)
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i * dh : i * dh + sh * (h_out - 1) + 1 : sh, j * dw : j * dw + sw * (w_out - 1) + 1 : sw]
            # fmax would drop NaN; torch propagates NaN through max pooling, so does np.maximum.
            out = np.maximum(out, patch)
    return out[0] if unbatched else out


def avg_pool2d(
    input: ArrayLike,
    kernel_size: IntPair,
    stride: IntPair | None = None,
    padding: IntPair = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Array:
    """Average pooling, as ``torch.nn.functional.avg_pool2d``.

    The divisor of each window is, as in torch's kernel: ``divisor_override`` if given; else with
    ``count_include_pad`` the window size clipped to the zero-padded input (so padding zeros count but
    the overhang of a ceil_mode window does not); else only the real input elements in the window.

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size: int or pair.
        stride: defaults to ``kernel_size``.
        padding: implicit zeros on both sides; at most half the kernel size.
        ceil_mode: round the output size up.
        count_include_pad: count padding zeros in the divisor.
        divisor_override: a fixed divisor for every window.

    Returns:
        ``(N, C, H_out, W_out)``.
    """
    x, unbatched = _batched(input, "avg_pool2d")
    (kh, kw), (sh, sw), (ph, pw), _, (h_out, w_out) = _pool_geometry(x, kernel_size, stride, padding, 1, ceil_mode)
    h, w = x.shape[2], x.shape[3]
    out = np.empty((*x.shape[:2], h_out, w_out))
    for oh in range(h_out):
        h0 = oh * sh - ph
        h1 = min(h0 + kh, h + ph)
        for ow in range(w_out):
            w0 = ow * sw - pw
            w1 = min(w0 + kw, w + pw)
            pool_size = (h1 - h0) * (w1 - w0)
            a0, a1, b0, b1 = max(h0, 0), min(h1, h), max(w0, 0), min(w1, w)
            total = x[:, :, a0:a1, b0:b1].sum(axis=(2, 3))
            if divisor_override is not None:
                divisor = divisor_override
            elif count_include_pad:
                divisor = pool_size
            else:
                divisor = (a1 - a0) * (b1 - b0)
            out[:, :, oh, ow] = total / divisor
    return out[0] if unbatched else out


def adaptive_avg_pool2d(input: ArrayLike, output_size: int | Sequence[int | None] | None) -> Array:
    """Adaptive average pooling, as ``torch.nn.functional.adaptive_avg_pool2d``.

    Output cell ``i`` (of ``O``) along an axis of length ``L`` averages input indices
    ``⌊i·L/O⌋ .. ⌈(i+1)·L/O⌉ − 1``; ``None`` keeps that axis's size. ``output_size=1`` is global
    average pooling.
    """
    x, unbatched = _batched(input, "adaptive_avg_pool2d")
    h, w = x.shape[2], x.shape[3]
    if output_size is None or isinstance(output_size, int | np.integer):
        sizes: tuple[int | None, int | None] = (output_size, output_size)
    else:
        oh_, ow_ = tuple(output_size)
        sizes = (oh_, ow_)
    o_h = h if sizes[0] is None else int(sizes[0])
    o_w = w if sizes[1] is None else int(sizes[1])
    out = np.empty((*x.shape[:2], o_h, o_w))
    for i in range(o_h):
        a0, a1 = (i * h) // o_h, -(-((i + 1) * h) // o_h)
        for j in range(o_w):
            b0, b1 = (j * w) // o_w, -(-((j + 1) * w) // o_w)
            out[:, :, i, j] = x[:, :, a0:a1, b0:b1].mean(axis=(2, 3))
    return out[0] if unbatched else out


# ---------------------------------------------------------------------------------------------
# Linear layers and activations
# ---------------------------------------------------------------------------------------------


def linear(input: ArrayLike, weight: ArrayLike, bias: ArrayLike | None = None) -> Array:
    """``y = x·Wᵀ + b``, as ``torch.nn.functional.linear``; ``weight`` is ``(out_features, in_features)``."""
    out = _f64(input) @ _f64(weight).T
    return out if bias is None else out + _f64(bias)


def relu(input: ArrayLike) -> Array:
    """``max(0, x)``."""
    return np.maximum(_f64(input), 0.0)


def sigmoid(input: ArrayLike) -> Array:
    """``σ(x) = 1/(1 + e^(−x))``, computed without overflow for large ``|x|``."""
    x = _f64(input)
    # e^(−|x|) never overflows; σ(x) = 1/(1+e^(−x)) for x ≥ 0 and e^x/(1+e^x) for x < 0.
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def tanh(input: ArrayLike) -> Array:
    """``tanh(x)``."""
    return np.tanh(_f64(input))


def relu_grad(input: ArrayLike) -> Array:
    """ReLU′ at the pre-activation ``x``: 1 where x > 0, else 0 (autograd's choice at x = 0 is 0)."""
    return (_f64(input) > 0).astype(np.float64)


def sigmoid_grad(input: ArrayLike) -> Array:
    """σ′(x) = σ(x)·(1 − σ(x)), at the pre-activation ``x``; at most 0.25 (at x = 0)."""
    s = sigmoid(input)
    return s * (1.0 - s)


def tanh_grad(input: ArrayLike) -> Array:
    """tanh′(x) = 1 − tanh²(x), at the pre-activation ``x``; at most 1 (at x = 0)."""
    t = np.tanh(_f64(input))
    return 1.0 - t * t


# ---------------------------------------------------------------------------------------------
# Softmax and losses
# ---------------------------------------------------------------------------------------------

Reduction = Literal["mean", "sum", "none"]


def softmax(input: ArrayLike, dim: int) -> Array:
    """``softmax(x)ᵢ = e^(xᵢ) / Σⱼ e^(xⱼ)`` along ``dim``; the max is subtracted first (shift invariance)."""
    x = _f64(input)
    e = np.exp(x - np.max(x, axis=dim, keepdims=True))
    out: Array = e / np.sum(e, axis=dim, keepdims=True)
    return out


def log_softmax(input: ArrayLike, dim: int) -> Array:
    """``log softmax(x)ᵢ = xᵢ − log Σⱼ e^(xⱼ)`` along ``dim``, computed stably (log-sum-exp)."""
    x = _f64(input)
    shifted = x - np.max(x, axis=dim, keepdims=True)
    out: Array = shifted - np.log(np.sum(np.exp(shifted), axis=dim, keepdims=True))
    return out


def _reduce(losses: Array, reduction: Reduction, denominator: float | None = None) -> Array:
    if reduction == "none":
        return losses
    if reduction == "sum":
        return np.asarray(losses.sum())
    if reduction == "mean":
        return np.asarray(losses.sum() / (losses.size if denominator is None else denominator))
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def cross_entropy(
    input: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: Reduction = "mean",
) -> Array:
    """Cross-entropy of raw logits against class indices, as ``torch.nn.functional.cross_entropy``.

    ``loss_n = −w[y_n] · log softmax(x_n)[y_n]``; it applies log-softmax itself, so ``input`` holds
    logits, not probabilities. With ``reduction='mean'`` the sum is divided by ``Σ w[y_n]`` over the
    non-ignored targets (the number of them when there are no weights), as torch does.

    Args:
        input: ``(C,)`` logits with a scalar target, ``(N, C)``, or ``(N, C, d₁, …)``.
        target: class indices, shape ``()``, ``(N,)`` or ``(N, d₁, …)``.
        weight: optional ``(C,)`` class weights.
        ignore_index: targets equal to this contribute nothing (and nothing to the mean's divisor).
        reduction: ``'mean'``, ``'sum'`` or ``'none'``.
    """
    x = _f64(input)
    t = np.asarray(target, dtype=np.int64)
    class_dim = 0 if x.ndim == 1 else 1
    logp = log_softmax(x, dim=class_dim)
    valid = t != ignore_index
    safe_t = np.where(valid, t, 0)
    picked = np.take_along_axis(logp, np.expand_dims(safe_t, class_dim), axis=class_dim).squeeze(class_dim)
    w = np.ones(x.shape[class_dim]) if weight is None else _f64(weight)
    wt = np.where(valid, w[safe_t], 0.0)
    # an ignored target contributes 0, even where the stand-in class's log-probability is −∞ (a masked logit)
    losses = -wt * np.where(valid, picked, 0.0)
    return _reduce(losses, reduction, float(wt.sum()))


def mse_loss(input: ArrayLike, target: ArrayLike, reduction: Reduction = "mean") -> Array:
    """``(x − y)²`` element-wise, averaged (default), summed or not reduced; as ``F.mse_loss``."""
    d = _f64(input) - _f64(target)
    return _reduce(d * d, reduction)


# ---------------------------------------------------------------------------------------------
# Batch normalisation and dropout
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchNormResult:
    """Output of :func:`batch_norm` and the running statistics after the call.

    torch updates ``running_mean``/``running_var`` in place during training; NumPy arrays passed in
    here are never modified, so the updated buffers are returned instead (unchanged copies in eval
    mode, ``None`` when none were given).
    """

    output: Array
    running_mean: Array | None
    running_var: Array | None
    batch_mean: Array | None  # per-channel statistics of this batch (training mode only)
    batch_var: Array | None  # biased: the variance used to normalise


def batch_norm(
    input: ArrayLike,
    running_mean: ArrayLike | None,
    running_var: ArrayLike | None,
    weight: ArrayLike | None = None,
    bias: ArrayLike | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> BatchNormResult:
    """Batch normalisation over channel dim 1, as ``torch.nn.functional.batch_norm``.

    Training: per channel, the batch mean μ and *biased* variance σ² over every axis but 1 normalise
    ``x̂ = (x − μ)/√(σ² + ε)``, ``y = γ·x̂ + β``; running statistics become
    ``(1 − momentum)·running + momentum·batch`` with the *unbiased* variance σ²·m/(m − 1) (m values per
    channel). Eval: the running statistics normalise and nothing changes.

    Args:
        input: ``(N, C)``, ``(N, C, L)`` or ``(N, C, H, W)``.
        running_mean: ``(C,)`` or ``None`` (training only).
        running_var: ``(C,)`` or ``None`` (training only).
        weight: γ, ``(C,)``; ``None`` means 1.
        bias: β, ``(C,)``; ``None`` means 0.
        training: use batch statistics and update the running ones.
        momentum: weight of the new batch in the running statistics (a float; torch's ``None``
            cumulative average is not supported).
        eps: added to the variance for numerical stability.

    Returns:
        A :class:`BatchNormResult` with the output and the (new) running statistics.
    """
    x = _f64(input)
    if x.ndim < 2:
        raise ValueError(f"batch_norm: input needs at least 2 dims (N, C, ...), got shape {x.shape}")
    axes = tuple(a for a in range(x.ndim) if a != 1)
    bshape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    rm = None if running_mean is None else _f64(running_mean).copy()
    rv = None if running_var is None else _f64(running_var).copy()
    if training:
        count = x.size // x.shape[1]
        if count <= 1:
            raise ValueError(f"batch_norm: expected more than 1 value per channel when training, got input {x.shape}")
        mean = x.mean(axis=axes)
        var = x.var(axis=axes)  # biased (ddof=0): what normalises the batch
        if rm is not None:
            rm = (1 - momentum) * rm + momentum * mean
        if rv is not None:
            rv = (1 - momentum) * rv + momentum * var * count / (count - 1)
        norm_mean, norm_var = mean, var
        batch_mean: Array | None = mean
        batch_var: Array | None = var
    else:
        if rm is None or rv is None:
            raise ValueError("batch_norm: eval mode needs running_mean and running_var")
        norm_mean, norm_var = rm, rv
        batch_mean = batch_var = None
    out = (x - norm_mean.reshape(bshape)) / np.sqrt(norm_var.reshape(bshape) + eps)
    if weight is not None:
        out = out * _f64(weight).reshape(bshape)
    if bias is not None:
        out = out + _f64(bias).reshape(bshape)
    return BatchNormResult(out, rm, rv, batch_mean, batch_var)


def dropout_with_mask(input: ArrayLike, mask: ArrayLike, p: float) -> Array:
    """Inverted dropout with a given keep-mask: ``x · mask / (1 − p)`` (training-mode ``F.dropout``).

    Kept units are scaled by 1/(1 − p) so every unit's expectation is unchanged and evaluation needs no
    rescaling. ``mask`` holds 1 for kept and 0 for dropped units; ``p`` is the drop probability
    (``p = 1`` drops everything, as torch does).
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = _f64(input)
    m = _f64(mask)
    if p == 1.0:
        return np.zeros_like(x * m)
    out: Array = x * m / (1.0 - p)
    return out


# ---------------------------------------------------------------------------------------------
# Back-propagation through a small MLP
# ---------------------------------------------------------------------------------------------

ActivationName = Literal["relu", "sigmoid", "tanh", "identity"]
MLPLoss = Literal["mse", "half_sse", "cross_entropy"]

_ACTIVATIONS: dict[str, tuple[Callable[[ArrayLike], Array], Callable[[ArrayLike], Array]]] = {
    "relu": (relu, relu_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "identity": (_f64, lambda z: np.ones_like(_f64(z))),
}


@dataclass(frozen=True)
class MLPGradients:
    """Forward values and gradients of :func:`mlp_backprop`, one entry per layer (first layer first).

    ``pre_activations[l]`` is z⁽ˡ⁾ = a⁽ˡ⁻¹⁾·W⁽ˡ⁾ᵀ + b⁽ˡ⁾, ``activations[l]`` is a⁽ˡ⁾ = g(z⁽ˡ⁾)
    (``activations`` has the input prepended, so it is one longer), ``deltas[l]`` is ∂L/∂z⁽ˡ⁾.
    """

    pre_activations: list[Array]
    activations: list[Array]
    loss: float
    deltas: list[Array]
    weight_grads: list[Array]  # ∂L/∂W⁽ˡ⁾, shaped like W⁽ˡ⁾ (out, in)
    bias_grads: list[Array]  # ∂L/∂b⁽ˡ⁾


def mlp_backprop(
    x: ArrayLike,
    weights: Sequence[ArrayLike],
    biases: Sequence[ArrayLike],
    activations: Sequence[ActivationName],
    target: ArrayLike,
    loss: MLPLoss = "mse",
) -> MLPGradients:
    """Forward and backward pass of a fully connected network, layer by layer.

    Layer l computes ``z = a·Wᵀ + b`` (torch ``Linear`` layout, W is ``(out, in)``) and ``a = g(z)``.
    Losses on the final activation ŷ:

    * ``'mse'``: ``F.mse_loss(ŷ, t)``, the mean of (ŷ − t)² over every element;
    * ``'half_sse'``: ½·Σ(ŷ − t)², summed over outputs and averaged over the batch (so ∂L/∂ŷ = ŷ − t
      for a single example, the textbook form);
    * ``'cross_entropy'``: ``F.cross_entropy(ŷ, t)`` with ŷ the logits and ``t`` class indices
      (so ∂L/∂ŷ = (softmax(ŷ) − onehot(t))/N). Use ``'identity'`` as the last activation.

    Args:
        x: one example ``(in,)`` or a batch ``(N, in)``.
        weights: ``W⁽¹⁾ … W⁽ᴸ⁾``.
        biases: ``b⁽¹⁾ … b⁽ᴸ⁾``.
        activations: one name per layer: ``relu``, ``sigmoid``, ``tanh`` or ``identity``.
        target: regression targets shaped like the output, or class indices for cross-entropy.
        loss: ``'mse'``, ``'half_sse'`` or ``'cross_entropy'``.

    Returns:
        :class:`MLPGradients` with gradients shaped like the parameters.
    """
    if not len(weights) == len(biases) == len(activations):
        raise ValueError("mlp_backprop: need one weight, bias and activation per layer")
    a = _f64(x)
    single = a.ndim == 1
    if single:
        a = a[None]
    batch = a.shape[0]
    zs: list[Array] = []
    acts: list[Array] = [a]
    for w, b, name in zip(weights, biases, activations, strict=True):
        z = linear(a, w, b)
        a = _ACTIVATIONS[name][0](z)
        zs.append(z)
        acts.append(a)
    y = acts[-1]
    if loss == "cross_entropy":
        t_idx = np.atleast_1d(np.asarray(target, dtype=np.int64))
        value = float(cross_entropy(y, t_idx))
        grad_y = softmax(y, dim=1)
        grad_y[np.arange(batch), t_idx] -= 1.0
        grad_y /= batch
    else:
        t = _f64(target).reshape(y.shape)
        diff = y - t
        if loss == "mse":
            value = float(np.mean(diff * diff))
            grad_y = 2.0 * diff / diff.size
        elif loss == "half_sse":
            value = float(0.5 * np.sum(diff * diff) / batch)
            grad_y = diff / batch
        else:
            raise ValueError(f"mlp_backprop: unknown loss {loss!r}")
    deltas: list[Array] = [np.empty(0)] * len(weights)
    w_grads: list[Array] = [np.empty(0)] * len(weights)
    b_grads: list[Array] = [np.empty(0)] * len(weights)
    grad_a = grad_y
    for layer in reversed(range(len(weights))):
        delta = grad_a * _ACTIVATIONS[activations[layer]][1](zs[layer])  # ∂L/∂z = ∂L/∂a ⊙ g′(z)
        deltas[layer] = delta[0] if single else delta
        w_grads[layer] = delta.T @ acts[layer]  # ∂L/∂W = δᵀ·a⁽ˡ⁻¹⁾, shaped (out, in)
        b_grads[layer] = delta.sum(axis=0)
        grad_a = delta @ _f64(weights[layer])  # ∂L/∂a⁽ˡ⁻¹⁾ = δ·W
    if single:
        zs = [z[0] for z in zs]
        acts = [v[0] for v in acts]
    return MLPGradients(zs, acts, value, deltas, w_grads, b_grads)


# ---------------------------------------------------------------------------------------------
# Optimisers: one ``optimizer.step()`` of torch.optim on one parameter tensor, as a pure function
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SGDState:
    """``torch.optim.SGD`` state: the momentum buffer, ``None`` until the first step with momentum."""

    momentum_buffer: Array | None = None


def sgd_step(
    param: ArrayLike,
    grad: ArrayLike,
    state: SGDState | None = None,
    *,
    lr: float = 1e-3,
    momentum: float = 0.0,
    dampening: float = 0.0,
    weight_decay: float = 0.0,
    nesterov: bool = False,
    maximize: bool = False,
) -> tuple[Array, SGDState]:
    """One step of ``torch.optim.SGD``.

    ``g ← ∇ + λ·w`` (weight decay); with momentum μ the buffer is ``b ← g`` on the first step (no
    dampening then) and ``b ← μ·b + (1 − dampening)·g`` afterwards; the step direction is ``b``, or
    ``g + μ·b`` with Nesterov; ``w ← w − lr·direction``.

    Returns:
        The new parameter and the new state.
    """
    if nesterov and (momentum <= 0 or dampening != 0):
        raise ValueError("Nesterov momentum requires a momentum and zero dampening")
    w = _f64(param)
    g = -_f64(grad) if maximize else _f64(grad)
    if weight_decay != 0:
        g = g + weight_decay * w
    buf = state.momentum_buffer if state is not None else None
    if momentum != 0:
        buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
        g = g + momentum * buf if nesterov else buf
    return w - lr * g, SGDState(buf)


@dataclass(frozen=True)
class AdagradState:
    """``torch.optim.Adagrad`` state: step count and the running sum of squared gradients."""

    step: int
    sum: Array


def adagrad_step(
    param: ArrayLike,
    grad: ArrayLike,
    state: AdagradState | None = None,
    *,
    lr: float = 1e-2,
    lr_decay: float = 0.0,
    weight_decay: float = 0.0,
    initial_accumulator_value: float = 0.0,
    eps: float = 1e-10,
    maximize: bool = False,
) -> tuple[Array, AdagradState]:
    """One step of ``torch.optim.Adagrad``.

    ``g ← ∇ + λ·w``; ``G ← G + g²``; ``w ← w − clr·g/(√G + ε)`` with ``clr = lr/(1 + (t − 1)·lr_decay)``.
    ε is added *outside* the square root. ``initial_accumulator_value`` seeds G when ``state`` is None.
    """
    w = _f64(param)
    g = -_f64(grad) if maximize else _f64(grad)
    if state is None:
        state = AdagradState(0, np.full_like(w, initial_accumulator_value))
    step = state.step + 1
    if weight_decay != 0:
        g = g + weight_decay * w
    clr = lr / (1 + (step - 1) * lr_decay)
    total = state.sum + g * g
    return w - clr * g / (np.sqrt(total) + eps), AdagradState(step, total)


@dataclass(frozen=True)
class RMSpropState:
    """``torch.optim.RMSprop`` state: square average, gradient average (centered) and momentum buffer."""

    step: int
    square_avg: Array
    grad_avg: Array
    momentum_buffer: Array


def rmsprop_step(
    param: ArrayLike,
    grad: ArrayLike,
    state: RMSpropState | None = None,
    *,
    lr: float = 1e-2,
    alpha: float = 0.99,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    momentum: float = 0.0,
    centered: bool = False,
    maximize: bool = False,
) -> tuple[Array, RMSpropState]:
    """One step of ``torch.optim.RMSprop``.

    ``g ← ∇ + λ·w``; ``v ← α·v + (1 − α)·g²``; denominator ``√v + ε`` (ε outside the root; centered:
    ``√(v − ḡ²) + ε`` with ``ḡ ← α·ḡ + (1 − α)·g``); without momentum ``w ← w − lr·g/denom``; with
    momentum ``b ← μ·b + g/denom`` (buffer starts at 0) and ``w ← w − lr·b``. No bias correction.
    """
    w = _f64(param)
    g = -_f64(grad) if maximize else _f64(grad)
    if state is None:
        state = RMSpropState(0, np.zeros_like(w), np.zeros_like(w), np.zeros_like(w))
    if weight_decay != 0:
        g = g + weight_decay * w
    sq = alpha * state.square_avg + (1 - alpha) * g * g
    gavg = state.grad_avg
    if centered:
        gavg = gavg + (1 - alpha) * (g - gavg)  # torch's lerp_
        avg = np.sqrt(sq - gavg * gavg) + eps
    else:
        avg = np.sqrt(sq) + eps
    buf = state.momentum_buffer
    if momentum > 0:
        buf = momentum * buf + g / avg
        new_w = w - lr * buf
    else:
        new_w = w - lr * g / avg
    return new_w, RMSpropState(state.step + 1, sq, gavg, buf)


@dataclass(frozen=True)
class AdadeltaState:
    """``torch.optim.Adadelta`` state: running averages of g² and of squared updates Δ²."""

    step: int
    square_avg: Array
    acc_delta: Array


def adadelta_step(
    param: ArrayLike,
    grad: ArrayLike,
    state: AdadeltaState | None = None,
    *,
    lr: float = 1.0,
    rho: float = 0.9,
    eps: float = 1e-6,
    weight_decay: float = 0.0,
    maximize: bool = False,
) -> tuple[Array, AdadeltaState]:
    """One step of ``torch.optim.Adadelta``.

    ``g ← ∇ + λ·w``; ``E[g²] ← ρ·E[g²] + (1 − ρ)·g²``; ``Δ = √(E[Δ²] + ε)/√(E[g²] + ε) · g`` (ε inside
    both roots); ``E[Δ²] ← ρ·E[Δ²] + (1 − ρ)·Δ²``; ``w ← w − lr·Δ`` (torch multiplies by lr, default 1).
    """
    w = _f64(param)
    g = -_f64(grad) if maximize else _f64(grad)
    if state is None:
        state = AdadeltaState(0, np.zeros_like(w), np.zeros_like(w))
    if weight_decay != 0:
        g = g + weight_decay * w
    sq = rho * state.square_avg + (1 - rho) * g * g
    delta = np.sqrt(state.acc_delta + eps) / np.sqrt(sq + eps) * g
    acc = rho * state.acc_delta + (1 - rho) * delta * delta
    return w - lr * delta, AdadeltaState(state.step + 1, sq, acc)


@dataclass(frozen=True)
class AdamState:
    """``torch.optim.Adam``/``AdamW`` state: step t, first and second moments m and v, and max v (amsgrad)."""

    step: int
    exp_avg: Array
    exp_avg_sq: Array
    max_exp_avg_sq: Array


def adam_step(
    param: ArrayLike,
    grad: ArrayLike,
    state: AdamState | None = None,
    *,
    lr: float = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    amsgrad: bool = False,
    maximize: bool = False,
    decoupled_weight_decay: bool = False,
) -> tuple[Array, AdamState]:
    """One step of ``torch.optim.Adam``.

    ``g ← ∇ + λ·w`` (L2 penalty in the gradient; with ``decoupled_weight_decay`` instead
    ``w ← (1 − lr·λ)·w`` first, which is AdamW); ``m ← β₁·m + (1 − β₁)·g``; ``v ← β₂·v + (1 − β₂)·g²``;
    ``w ← w − (lr/(1 − β₁ᵗ)) · m / (√v/√(1 − β₂ᵗ) + ε)``: ε is added after dividing √v by the bias
    correction, so this equals ``w − lr·m̂/(√v̂ + ε)``. amsgrad uses the running max of v.
    """
    beta1, beta2 = betas
    w = _f64(param)
    g = -_f64(grad) if maximize else _f64(grad)
    if state is None:
        state = AdamState(0, np.zeros_like(w), np.zeros_like(w), np.zeros_like(w))
    step = state.step + 1
    if weight_decay != 0:
        if decoupled_weight_decay:
            w = w * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * w
    m = state.exp_avg + (1 - beta1) * (g - state.exp_avg)  # torch's lerp_(grad, 1 − β₁)
    v = beta2 * state.exp_avg_sq + (1 - beta2) * g * g
    bc1 = 1 - beta1**step
    bc2_sqrt = (1 - beta2**step) ** 0.5
    vmax = np.maximum(state.max_exp_avg_sq, v) if amsgrad else state.max_exp_avg_sq
    denom = np.sqrt(vmax if amsgrad else v) / bc2_sqrt + eps
    return w - (lr / bc1) * m / denom, AdamState(step, m, v, vmax)


def adamw_step(
    param: ArrayLike,
    grad: ArrayLike,
    state: AdamState | None = None,
    *,
    lr: float = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 1e-2,
    amsgrad: bool = False,
    maximize: bool = False,
) -> tuple[Array, AdamState]:
    """One step of ``torch.optim.AdamW``: Adam with decoupled weight decay ``w ← (1 − lr·λ)·w``.

    The decay shrinks the weights directly instead of entering g, so it is not rescaled by the
    adaptive denominator (unlike Adam's L2 ``weight_decay``); the default λ is 0.01.
    """
    return adam_step(
        param,
        grad,
        state,
        lr=lr,
        betas=betas,
        eps=eps,
        weight_decay=weight_decay,
        amsgrad=amsgrad,
        maximize=maximize,
        decoupled_weight_decay=True,
    )


# ---------------------------------------------------------------------------------------------
# bank-norms-eff: normalisation layers (layer_norm, group_norm, rms_norm)
# ---------------------------------------------------------------------------------------------


def layer_norm(
    input: ArrayLike,
    normalized_shape: Sequence[int],
    weight: ArrayLike | None = None,
    bias: ArrayLike | None = None,
    eps: float = 1e-5,
) -> Array:
    """Layer normalisation over the last ``len(normalized_shape)`` dims, as ``torch.nn.functional.layer_norm``.

    Per sample, the mean μ and *biased* variance σ² of those dims give ``(x − μ)/√(σ² + ε)``, then
    ``·weight + bias`` elementwise; the same computation in training and evaluation (no running statistics).
    """
    x = _f64(input)
    dims = tuple(int(d) for d in normalized_shape)
    if x.shape[x.ndim - len(dims) :] != dims:
        raise ValueError(f"layer_norm: input shape {x.shape} does not end with normalized_shape {dims}")
    axes = tuple(range(x.ndim - len(dims), x.ndim))
    out: Array = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
    if weight is not None:
        out = out * _f64(weight)
    if bias is not None:
        out = out + _f64(bias)
    return out


def group_norm(
    input: ArrayLike,
    num_groups: int,
    weight: ArrayLike | None = None,
    bias: ArrayLike | None = None,
    eps: float = 1e-5,
) -> Array:
    """Group normalisation, as ``torch.nn.functional.group_norm``.

    The C channels of each sample (``(N, C, ...)``) split into ``num_groups`` consecutive groups; each
    group's values (C/G channels × every spatial position) are normalised with their own mean and biased
    variance, then ``weight``/``bias`` (``(C,)``) scale and shift each channel.
    """
    x = _f64(input)
    n, c = x.shape[0], x.shape[1]
    if c % num_groups:
        raise ValueError(f"group_norm: {c} channels do not split into {num_groups} groups")
    g = x.reshape(n, num_groups, -1)
    out: Array = ((g - g.mean(axis=2, keepdims=True)) / np.sqrt(g.var(axis=2, keepdims=True) + eps)).reshape(x.shape)
    bshape = (1, c) + (1,) * (x.ndim - 2)
    if weight is not None:
        out = out * _f64(weight).reshape(bshape)
    if bias is not None:
        out = out + _f64(bias).reshape(bshape)
    return out


def rms_norm(
    input: ArrayLike,
    normalized_shape: Sequence[int],
    weight: ArrayLike | None = None,
    eps: float | None = None,
) -> Array:
    """Root-mean-square normalisation, as ``torch.nn.functional.rms_norm``: ``x/√(mean(x²) + ε)·weight``.

    No mean is subtracted and there is no bias. ``eps=None`` means the machine epsilon of float64 here
    (torch uses that of the input's dtype).
    """
    x = _f64(input)
    dims = tuple(int(d) for d in normalized_shape)
    axes = tuple(range(x.ndim - len(dims), x.ndim))
    e = float(np.finfo(np.float64).eps) if eps is None else eps
    out: Array = x / np.sqrt((x * x).mean(axis=axes, keepdims=True) + e)
    return out * _f64(weight) if weight is not None else out
