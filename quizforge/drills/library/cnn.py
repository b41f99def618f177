"""Convolution and pooling drills (NCHW, as ``torch.nn.functional``)."""

from __future__ import annotations

import numpy as np

from quizforge.drills.base import Case, drill
from quizforge.drills.library._cases import TOPIC, conv_shape, normal, pool_shape, scale
from quizforge.text import Text

PAD_HINT = Text(
    "Pad first with np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))); the output size is (H + 2p − KH) // stride + 1.",
    "先用 np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) 补零；输出尺寸为 (H + 2p − KH) // stride + 1。",
)


def _conv_case(rng: np.random.Generator, i: int, n: int) -> Case:
    g = conv_shape(rng, i, n)
    s = scale(rng, i, n)
    return Case(
        (
            normal(rng, g.n, g.c, g.h, g.w, s=s),
            normal(rng, g.f, g.c, g.kh, g.kw),
            normal(rng, g.f),
            g.stride,
            g.padding,
        ),
        g.label(),
    )


@drill(
    TOPIC,
    3,
    Text(
        "Implement the forward pass of a 2-D convolution (cross-correlation, as F.conv2d) with stride and zero "
        "padding.",
        "实现二维卷积（互相关，与 F.conv2d 相同）的前向传播，支持步长和零填充。",
    ),
    (
        PAD_HINT,
        Text(
            "For each output position take the window x[:, :, i*s:i*s+KH, j*s:j*s+KW] and contract it with w over "
            "(C, KH, KW): np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])). Do not forget the bias.",
            "对每个输出位置取窗口 x[:, :, i*s:i*s+KH, j*s:j*s+KW]，与 w 在 (C, KH, KW) 上做缩并："
            "np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3]))。别忘了加偏置。",
        ),
    ),
    _conv_case,
)
def conv2d_forward(x, w, b, stride, padding):
    """x (N, C, H, W), w (F, C, KH, KW), b (F,), stride and padding ints -> (N, F, H', W')."""
    n, _, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    ho = (h + 2 * padding - kh) // stride + 1
    wo = (wd + 2 * padding - kw) // stride + 1
    out = np.zeros((n, f, ho, wo))
    for i in range(ho):
        for j in range(wo):
            window = xp[:, :, i * stride : i * stride + kh, j * stride : j * stride + kw]
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3]))
    return out + b[None, :, None, None]


def _conv_backward_case(rng: np.random.Generator, i: int, n: int) -> Case:
    g = conv_shape(rng, i, n)
    ho = (g.h + 2 * g.padding - g.kh) // g.stride + 1
    wo = (g.w + 2 * g.padding - g.kw) // g.stride + 1
    x, w = normal(rng, g.n, g.c, g.h, g.w, s=scale(rng, i, n)), normal(rng, g.f, g.c, g.kh, g.kw)
    return Case((normal(rng, g.n, g.f, ho, wo), x, w, g.stride, g.padding), g.label())


@drill(
    TOPIC,
    4,
    Text(
        "Implement the backward pass of conv2d_forward(x, w, b, stride, padding): given dout = ∂L/∂out, return "
        "(dx, dw, db).",
        "实现 conv2d_forward(x, w, b, stride, padding) 的反向传播：给定 dout = ∂L/∂out，返回 (dx, dw, db)。",
    ),
    (
        Text("db is dout summed over N, H' and W'.", "db 是 dout 在 N、H′、W′ 上的和。"),
        Text(
            "Loop over output positions like the forward pass: each window adds dout[:, :, i, j] ⊗ w into the padded "
            "dx, and window ⊗ dout[:, :, i, j] into dw. Crop the padding off dx at the end.",
            "和前向一样遍历输出位置：每个窗口把 dout[:, :, i, j] 与 w 的乘积累加到补零后的 dx，"
            "把窗口与 dout[:, :, i, j] 的乘积累加到 dw。最后把 dx 的填充裁掉。",
        ),
    ),
    _conv_backward_case,
    outputs=3,
)
def conv2d_backward(dout, x, w, stride, padding):
    """dout (N, F, H', W'), x (N, C, H, W), w (F, C, KH, KW) -> (dx, dw, db) shaped like x, w and (F,)."""
    _, _, h, wd = x.shape
    _, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows = slice(i * stride, i * stride + kh)
            cols = slice(j * stride, j * stride + kw)
            g = dout[:, :, i, j]
            dxp[:, :, rows, cols] += np.tensordot(g, w, axes=([1], [0]))
            dw += np.tensordot(g, xp[:, :, rows, cols], axes=([0], [0]))
    dx = dxp[:, :, padding : padding + h, padding : padding + wd]
    return dx, dw, dout.sum(axis=(0, 2, 3))


def _im2col_case(rng: np.random.Generator, i: int, n: int) -> Case:
    g = conv_shape(rng, i, n)
    return Case((normal(rng, g.n, g.c, g.h, g.w), g.kh, g.kw, g.stride, g.padding), g.label())


@drill(
    TOPIC,
    3,
    Text(
        "Implement im2col: turn every KH×KW window of the zero-padded x into one row. Rows are ordered by (n, i, j) "
        "(batch, output row, output column), columns by (c, ki, kj) — so that im2col(x) @ w.reshape(F, -1).T is the "
        "convolution.",
        "实现 im2col：把补零后 x 的每个 KH×KW 窗口展开成一行。行按 (n, i, j)（批次、输出行、输出列）排序，"
        "列按 (c, ki, kj) 排序——这样 im2col(x) @ w.reshape(F, -1).T 就是卷积。",
    ),
    (
        PAD_HINT,
        Text(
            "Build a (N, H', W', C, KH, KW) array window by window, then reshape to (N·H'·W', C·KH·KW).",
            "逐个窗口填出形状为 (N, H′, W′, C, KH, KW) 的数组，再 reshape 成 (N·H′·W′, C·KH·KW)。",
        ),
    ),
    _im2col_case,
)
def im2col(x, kh, kw, stride, padding):
    """x (N, C, H, W), kernel size kh, kw, stride, padding -> (N*H'*W', C*kh*kw)."""
    n, c, h, wd = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    ho = (h + 2 * padding - kh) // stride + 1
    wo = (wd + 2 * padding - kw) // stride + 1
    cols = np.zeros((n, ho, wo, c, kh, kw))
    for i in range(ho):
        for j in range(wo):
            cols[:, i, j] = xp[:, :, i * stride : i * stride + kh, j * stride : j * stride + kw]
    return cols.reshape(n * ho * wo, c * kh * kw)


def _pool_case(rng: np.random.Generator, i: int, n: int) -> Case:
    b, c, h, w, kernel, stride = pool_shape(rng, i, n)
    return Case((normal(rng, b, c, h, w, s=scale(rng, i, n)), kernel, stride), f"kernel {kernel}, stride {stride}")


POOL_SIZE = Text(
    "No padding; the output size is (H − kernel) // stride + 1 (windows that do not fit are dropped).",
    "不补零；输出尺寸为 (H − kernel) // stride + 1（放不下的窗口丢弃）。",
)


@drill(
    TOPIC,
    2,
    Text(
        "Implement 2-D max pooling (as F.max_pool2d(x, kernel, stride), square kernel, no padding).",
        "实现二维最大池化（与 F.max_pool2d(x, kernel, stride) 相同，方形窗口，不补零）。",
    ),
    (
        POOL_SIZE,
        Text(
            "out[:, :, i, j] = x[:, :, i*s:i*s+k, j*s:j*s+k].max(axis=(2, 3)).",
            "out[:, :, i, j] = x[:, :, i*s:i*s+k, j*s:j*s+k].max(axis=(2, 3))。",
        ),
    ),
    _pool_case,
)
def max_pool2d_forward(x, kernel, stride):
    """x (N, C, H, W), kernel and stride ints -> (N, C, H', W')."""
    n, c, h, w = x.shape
    ho, wo = (h - kernel) // stride + 1, (w - kernel) // stride + 1
    out = np.zeros((n, c, ho, wo))
    for i in range(ho):
        for j in range(wo):
            out[:, :, i, j] = x[:, :, i * stride : i * stride + kernel, j * stride : j * stride + kernel].max(
                axis=(2, 3)
            )
    return out


def _pool_backward_case(rng: np.random.Generator, i: int, n: int) -> Case:
    b, c, h, w, kernel, stride = pool_shape(rng, i, n)
    x = normal(rng, b, c, h, w, s=scale(rng, i, n))
    dout = normal(rng, b, c, (h - kernel) // stride + 1, (w - kernel) // stride + 1)
    return Case((dout, x, kernel, stride), f"kernel {kernel}, stride {stride}")


@drill(
    TOPIC,
    3,
    Text(
        "Implement the backward pass of max pooling: route each dout value to the position of its window's maximum "
        "(windows may overlap when stride < kernel: add up).",
        "实现最大池化的反向传播：把每个 dout 值传回其窗口最大值所在的位置（步长小于窗口时窗口会重叠：要累加）。",
    ),
    (
        Text(
            "np.unravel_index(np.argmax(window), window.shape) finds the maximum of one (k, k) window.",
            "np.unravel_index(np.argmax(window), window.shape) 找到一个 (k, k) 窗口中最大值的位置。",
        ),
        Text("Use dx[..] += dout[..], not =, for overlapping windows.", "窗口重叠时用 dx[..] += dout[..]，不要用 =。"),
    ),
    _pool_backward_case,
)
def max_pool2d_backward(dout, x, kernel, stride):
    """dout (N, C, H', W'), x (N, C, H, W) -> dx (N, C, H, W)."""
    n, c, ho, wo = dout.shape
    dx = np.zeros_like(x)
    for b in range(n):
        for ch in range(c):
            for i in range(ho):
                for j in range(wo):
                    window = x[b, ch, i * stride : i * stride + kernel, j * stride : j * stride + kernel]
                    r, s = np.unravel_index(np.argmax(window), window.shape)
                    dx[b, ch, i * stride + r, j * stride + s] += dout[b, ch, i, j]
    return dx


@drill(
    TOPIC,
    2,
    Text(
        "Implement 2-D average pooling (as F.avg_pool2d(x, kernel, stride), square kernel, no padding).",
        "实现二维平均池化（与 F.avg_pool2d(x, kernel, stride) 相同，方形窗口，不补零）。",
    ),
    (POOL_SIZE, Text("Average over axes (2, 3) of each window.", "对每个窗口在 (2, 3) 轴上取平均。")),
    _pool_case,
)
def avg_pool2d_forward(x, kernel, stride):
    """x (N, C, H, W), kernel and stride ints -> (N, C, H', W')."""
    n, c, h, w = x.shape
    ho, wo = (h - kernel) // stride + 1, (w - kernel) // stride + 1
    out = np.zeros((n, c, ho, wo))
    for i in range(ho):
        for j in range(wo):
            out[:, :, i, j] = x[:, :, i * stride : i * stride + kernel, j * stride : j * stride + kernel].mean(
                axis=(2, 3)
            )
    return out


def _transpose_case(rng: np.random.Generator, i: int, n: int) -> Case:
    g = conv_shape(rng, i, n)
    padding = min(g.padding, g.kh - 1, g.kw - 1)  # a transposed convolution cannot crop more than the kernel adds
    x = normal(rng, g.n, g.c, g.h, g.w)
    return Case((x, normal(rng, g.c, g.f, g.kh, g.kw), normal(rng, g.f), g.stride, padding), g.label())


@drill(
    TOPIC,
    4,
    Text(
        "Implement a transposed convolution (as F.conv_transpose2d(x, w, b, stride, padding)): w is (C_in, C_out, "
        "KH, KW); the output is (H − 1)·stride − 2·padding + KH high.",
        "实现转置卷积（与 F.conv_transpose2d(x, w, b, stride, padding) 相同）：w 的形状为 (C_in, C_out, KH, KW)；"
        "输出高度为 (H − 1)·stride − 2·padding + KH。",
    ),
    (
        Text(
            "Each input pixel x[:, :, i, j] scatters a KH×KW patch into the output at (i·stride, j·stride): "
            "out[:, :, i*s:i*s+KH, j*s:j*s+KW] += tensordot(x[:, :, i, j], w, axes=([1], [0])).",
            "每个输入像素 x[:, :, i, j] 在 (i·stride, j·stride) 处向输出散布一个 KH×KW 的块："
            "out[:, :, i*s:i*s+KH, j*s:j*s+KW] += tensordot(x[:, :, i, j], w, axes=([1], [0]))。",
        ),
        Text(
            "Padding crops the full output at the end; then add the bias.",
            "padding 是最后从完整输出上裁掉的；然后加偏置。",
        ),
    ),
    _transpose_case,
)
def conv_transpose2d(x, w, b, stride, padding):
    """x (N, C_in, H, W), w (C_in, C_out, KH, KW), b (C_out,) -> (N, C_out, H', W')."""
    n, _, h, wd = x.shape
    _, f, kh, kw = w.shape
    full = np.zeros((n, f, (h - 1) * stride + kh, (wd - 1) * stride + kw))
    for i in range(h):
        for j in range(wd):
            full[:, :, i * stride : i * stride + kh, j * stride : j * stride + kw] += np.tensordot(
                x[:, :, i, j], w, axes=([1], [0])
            )
    out = full[:, :, padding : full.shape[2] - padding, padding : full.shape[3] - padding]
    return out + b[None, :, None, None]
