"""Torch oracles for the maths families: ``torch.linalg`` for the linear algebra, ``torch.autograd`` for
every derivative.

Polynomials arrive as ``terms`` (``[c, i, j]`` for c·xⁱ·yʲ) and are rebuilt as a torch function, so the
gradients and Hessians come from autograd rather than from the families' symbolic differentiation.
Classification oracles (definiteness, stationary points) look at the signs of ``torch.linalg.eigvalsh``
and answer with the index of the class in ``params["options"]``. torch is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from quizforge.numeric.base import Answer
from quizforge.numeric.oracle import oracle

if TYPE_CHECKING:
    import torch

_EIG_TOL = 1e-9


def _t(values: Any, grad: bool = False) -> torch.Tensor:
    import torch

    return torch.tensor(values, dtype=torch.float64, requires_grad=grad)


def polynomial(terms: list[list[int]]) -> Callable[[torch.Tensor], torch.Tensor]:
    """f(p) = Σ c·p[0]ⁱ·p[1]ʲ as a torch function of a 2-vector."""

    def f(p: torch.Tensor) -> torch.Tensor:
        x, y = p[0], p[1]
        total = x * 0.0
        for c, i, j in terms:
            total = total + c * x**i * y**j
        return total

    return f


def _gradient(terms: list[list[int]], point: list[float]) -> torch.Tensor:
    import torch

    p = _t(point, grad=True)
    (g,) = torch.autograd.grad(polynomial(terms)(p), p)
    return g


def _hessian(terms: list[list[int]], point: list[float]) -> torch.Tensor:
    import torch

    h = torch.autograd.functional.hessian(polynomial(terms), _t(point))  # type: ignore[no-untyped-call]
    assert isinstance(h, torch.Tensor)
    return h


@oracle("dot_product")
def dot_product(params: dict[str, Any]) -> Answer:
    import torch

    return float(torch.dot(_t(params["a"]), _t(params["b"])).item())


@oracle("vector_norm")
def vector_norm(params: dict[str, Any]) -> Answer:
    import torch

    order = {"l1": 1.0, "l2": 2.0, "linf": float("inf")}[params["norm"]]
    return float(torch.linalg.vector_norm(_t(params["x"]), ord=order).item())


@oracle("frobenius_norm")
def frobenius_norm(params: dict[str, Any]) -> Answer:
    import torch

    return float(torch.linalg.matrix_norm(_t(params["A"]), ord="fro").item())


@oracle("eigenvalues_2x2")
def eigenvalues_2x2(params: dict[str, Any]) -> Answer:
    """Real eigenvalues, ascending, from the general (non-symmetric) solver."""
    import torch

    lam = torch.linalg.eigvals(_t(params["A"]))
    if lam.imag.abs().max().item() > _EIG_TOL:
        raise ValueError(f"complex eigenvalues {lam.tolist()}")
    out: list[float] = sorted(lam.real.tolist())
    return out


@oracle("inverse_2x2")
def inverse_2x2(params: dict[str, Any]) -> Answer:
    import torch

    out: list[list[float]] = torch.linalg.inv(_t(params["A"])).tolist()
    return out


def _signs(eigenvalues: torch.Tensor) -> tuple[int, int, int]:
    """(#positive, #zero, #negative) eigenvalues."""
    pos = int((eigenvalues > _EIG_TOL).sum().item())
    neg = int((eigenvalues < -_EIG_TOL).sum().item())
    return pos, len(eigenvalues) - pos - neg, neg


@oracle("definiteness_2x2")
def definiteness_2x2(params: dict[str, Any]) -> Answer:
    import torch

    pos, zero, neg = _signs(torch.linalg.eigvalsh(_t(params["A"])))
    if pos and neg:
        cls = "indefinite"
    elif zero:
        cls = "positive_semidefinite" if pos else "negative_semidefinite"
    else:
        cls = "positive_definite" if pos else "negative_definite"
    return [params["options"].index(cls)]


@oracle("gradient_at_point")
def gradient_at_point(params: dict[str, Any]) -> Answer:
    out: list[float] = _gradient(params["terms"], params["point"]).tolist()
    return out


@oracle("hessian_2x2")
def hessian_2x2(params: dict[str, Any]) -> Answer:
    out: list[list[float]] = _hessian(params["terms"], params["point"]).tolist()
    return out


@oracle("stationary_point_type")
def stationary_point_type(params: dict[str, Any]) -> Answer:
    import torch

    g = _gradient(params["terms"], params["point"])
    if g.abs().max().item() > _EIG_TOL:
        raise ValueError(f"not a stationary point: ∇f = {g.tolist()}")
    pos, zero, neg = _signs(torch.linalg.eigvalsh(_hessian(params["terms"], params["point"])))
    if zero:
        cls = "inconclusive"
    elif pos and neg:
        cls = "saddle"
    else:
        cls = "minimum" if pos else "maximum"
    return [params["options"].index(cls)]


@oracle("directional_derivative")
def directional_derivative(params: dict[str, Any]) -> Answer:
    import torch

    g = _gradient(params["terms"], params["point"])
    if params["mode"] == "steepest":
        return float(torch.linalg.vector_norm(g).item())
    v = _t(params["direction"])
    return float(torch.dot(g, v / torch.linalg.vector_norm(v)).item())


def _function_1d(name: str) -> Callable[[torch.Tensor], torch.Tensor]:
    import torch

    return {"sqrt": torch.sqrt, "exp": torch.exp, "log": torch.log, "recip": torch.reciprocal}[name]


@oracle("taylor_expansion")
def taylor_expansion(params: dict[str, Any]) -> Answer:
    """f(a) + f′(a)·h (+ ½f″(a)·h²), every derivative from autograd."""
    import torch

    order = params["order"]
    if params["function"] == "poly":
        f = polynomial(params["terms"])
        p, step = _t(params["point"]), _t(params["step"])
        value = f(p) + torch.dot(_gradient(params["terms"], params["point"]), step)
        if order == 2:
            value = value + 0.5 * step @ _hessian(params["terms"], params["point"]) @ step
        return float(value.item())
    fn = _function_1d(params["function"])
    a = _t(float(params["a"]), grad=True)
    h = float(params["h"])
    fa = fn(a)
    (d1,) = torch.autograd.grad(fa, a, create_graph=True)
    value = fa + d1 * h
    if order == 2:
        (d2,) = torch.autograd.grad(d1, a)
        value = value + 0.5 * d2 * h * h
    return float(value.item())
