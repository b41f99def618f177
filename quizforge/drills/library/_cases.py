"""Shared case drawing: sizes that grow from small to edge cases over a verdict's cases."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TOPIC = "code.numpy"


def edge(i: int, n: int) -> bool:
    """The last quarter of a verdict's cases are edge cases."""
    return i >= n - max(1, n // 4)


def scale(rng: np.random.Generator, i: int, n: int) -> float:
    """Input magnitude: 1 mostly, large for some edge cases."""
    return float(rng.choice([10.0, 100.0])) if edge(i, n) and i % 2 == 0 else 1.0


def normal(rng: np.random.Generator, *shape: int, s: float = 1.0) -> np.ndarray:
    return rng.standard_normal(shape) * s


@dataclass(frozen=True)
class ConvShape:
    n: int
    c: int
    h: int
    w: int
    f: int
    kh: int
    kw: int
    stride: int
    padding: int

    def label(self) -> str:
        return f"stride {self.stride}, padding {self.padding}, batch {self.n}"


def conv_shape(rng: np.random.Generator, i: int, n: int, *, pad: bool = True) -> ConvShape:
    """A convolution's geometry: 1×1 kernels and stride 1 first; odd sizes, stride > 1, padding, batch 1 later."""
    big = edge(i, n)
    k = int(rng.integers(1, 4)) if not big else int(rng.choice([2, 3, 5]))
    kw = k if i % 3 else int(rng.integers(1, 4))
    stride = 1 if i < n // 2 else int(rng.integers(1, 4))
    padding = 0 if (i < n // 3 or not pad) else int(rng.integers(0, 3))
    h = int(rng.integers(k, k + 6)) + (1 if big else 0)
    w = int(rng.integers(kw, kw + 6))
    batch = 1 if i % 4 == 3 else int(rng.integers(1, 4))
    return ConvShape(batch, int(rng.integers(1, 4)), h, w, int(rng.integers(1, 4)), k, kw, stride, padding)


def pool_shape(rng: np.random.Generator, i: int, n: int) -> tuple[int, int, int, int, int, int]:
    """(N, C, H, W, kernel, stride) with at least one window."""
    kernel = int(rng.integers(1, 4))
    stride = kernel if i < n // 2 else int(rng.integers(1, kernel + 2))
    h = int(rng.integers(kernel, kernel + 7))
    w = int(rng.integers(kernel, kernel + 7))
    return 1 if i % 4 == 3 else int(rng.integers(1, 4)), int(rng.integers(1, 4)), h, w, kernel, stride
