"""Every number stated in the maths, optimisation and learning-basics cards, recomputed with torch.

The cards live in question_bank/math.yaml, optim.yaml and ml_basics.yaml. Each card that states a number
has a fact function below that recomputes it independently: optimiser steps with ``torch.optim``,
gradients and Hessians with ``torch.autograd``, eigenvalues with ``torch.linalg``, losses with
``torch.nn``. A fact function returns:

- ``stated``: the computed values, formatted as the card writes them; each must appear in the card's
  English text and in its Chinese text (with its minus sign, if negative);
- ``phrases``: exact phrases such as "β₁ = 0.9" built from torch's real defaults;
- ``givens``: the problem's inputs (a learning rate chosen for the exercise, a scenario's sizes);
- ``answer`` for numeric cards and ``correct`` for choice cards, compared with the card.

Every number token in every card must be a stated fact, a given, or a small structural integer (0–10),
so a wrong or stale number fails a test. Separate tests check that the update rules the cards write
down reproduce ``torch.optim`` step by step, and the gradient-descent convergence theory on ½xᵀAx.
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from tests.bank import facts as bank
from tests.bank.facts import (
    MINUS,
    NUMBER_SCI,
    FactFn,
    Facts,
    answer_mismatches,
    dec,
    fact_registrar,
    flat,
    full_text,
    is_structural,
    missing_phrases,
    missing_stated,
    num,
    number_tokens,
    sci,
    unchecked_by_lang,
    unsigned,
    whole,
)

pytestmark = pytest.mark.torch

FILES = ("math.yaml", "optim.yaml", "ml_basics.yaml")
PREFIXES = {
    "math.linalg": "linalg-",
    "math.calculus": "calc-",
    "optim.gd": "gd-",
    "optim.algorithms": "opt-",
    "ml.linear": "linreg-",
    "ml.softmax": "softmax-",
    "nn.mlp": "mlp-",
}
D = torch.float64

# -------------------------------------------------------------------------------------------------
# Reading the cards
# -------------------------------------------------------------------------------------------------


load_cards, card = bank.card_loaders(FILES)


def numbers_in(text: str) -> set[str]:
    """Every number token in ``text`` (glued to an ASCII word it is a name, glued to Chinese text it counts)."""
    return number_tokens(text, NUMBER_SCI)


# -------------------------------------------------------------------------------------------------
# Building tensors (formatting helpers are in tests/bank/facts.py)
# -------------------------------------------------------------------------------------------------


def t(*values: Any) -> torch.Tensor:
    return torch.tensor(values, dtype=D)


# -------------------------------------------------------------------------------------------------
# The fact registry
# -------------------------------------------------------------------------------------------------


REGISTRY: dict[str, FactFn] = {}
facts = fact_registrar(REGISTRY)


@cache
def torch_defaults() -> dict[str, dict[str, Any]]:
    p = [nn.Parameter(torch.zeros(1))]
    out = {}
    for cls in (
        torch.optim.SGD,
        torch.optim.Adam,
        torch.optim.AdamW,
        torch.optim.RMSprop,
        torch.optim.Adagrad,
        torch.optim.Adadelta,
    ):
        out[cls.__name__] = dict(cls(p).defaults)
    return out


def sigmoid_max_derivative() -> str:
    x = torch.linspace(-10, 10, 20001, dtype=D, requires_grad=True)
    torch.sigmoid(x).sum().backward()
    assert x.grad is not None
    i = int(torch.argmax(x.grad))
    assert abs(num(x[i])) < 1e-9  # the maximum is at x = 0
    return dec(x.grad[i])


def run_on_square(opt: Callable[[list[nn.Parameter]], torch.optim.Optimizer], steps: int) -> list[float]:
    """Minimise L(w) = w² from w = 1; the weight after each step."""
    w = nn.Parameter(t(1.0))
    o = opt([w])
    out = []
    for _ in range(steps):
        o.zero_grad()
        (w**2).sum().backward()
        o.step()
        out.append(num(w))
    return out


def hessian_at(f: Callable[[torch.Tensor], torch.Tensor], point: torch.Tensor) -> torch.Tensor:
    h = torch.autograd.functional.hessian(f, point)
    assert isinstance(h, torch.Tensor)
    return h


# -------------------------------------------------------------------------------------------------
# math.linalg
# -------------------------------------------------------------------------------------------------


def _dot_facts() -> dict[str, str]:
    a, b = t(1, 2, 3), t(2, 3, 4)
    prods = a * b
    return {**{f"prod{i}": whole(v) for i, v in enumerate(prods)}, "dot": whole(torch.dot(a, b))}


def _dot_phrase() -> str:
    f = _dot_facts()
    return f"{f['prod0']} + {f['prod1']} + {f['prod2']} = {f['dot']}"


@facts("linalg-inner-product-meaning")
def _inner() -> Facts:
    return Facts(stated=_dot_facts(), phrases=(_dot_phrase(),))


@facts("linalg-dot-product")
def _dot() -> Facts:
    return Facts(stated=_dot_facts(), phrases=(_dot_phrase(),), answer=num(torch.dot(t(1, 2, 3), t(2, 3, 4))))


def _norms() -> tuple[torch.Tensor, dict[str, str]]:
    v = t(3, -4, 12)
    norms = torch.stack([torch.linalg.vector_norm(v, o) for o in (1, 2, math.inf)])
    return norms, {"l1": whole(norms[0]), "l2": whole(norms[1]), "linf": whole(norms[2])}


@facts("linalg-norms-compare")
def _norms_compare() -> Facts:
    return Facts(stated=_norms()[1])


@facts("linalg-norms-vector")
def _norms_vector() -> Facts:
    norms, stated = _norms()
    squares = t(3, -4, 12) ** 2
    return Facts(
        stated={**stated, **{f"sq{i}": whole(s) for i, s in enumerate(squares)}, "sum": whole(squares.sum())},
        phrases=(
            f"√{whole(squares.sum())} = {stated['l2']}",
            f"3 + 4 + 12 = {stated['l1']}",
            f"max(3, 4, 12) = {stated['linf']}",
        ),
        answer=norms.tolist(),
    )


@facts("linalg-positive-definite")
def _pd() -> Facts:
    pd = torch.linalg.eigvalsh(t([2, 1], [1, 2]))
    indef = torch.linalg.eigvalsh(t([1, 2], [2, 1]))
    assert pd.min() > 0 and indef.min() < 0 < indef.max()
    lo, hi, ilo, ihi = whole(pd[0]), whole(pd[1]), whole(indef[0]), whole(indef[1])
    return Facts(
        stated={"pd.lo": lo, "pd.hi": hi, "in.lo": ilo, "in.hi": ihi},
        phrases=(
            (f"eigenvalues {lo} and {hi}", f"特征值是 {lo} 和 {hi}"),
            (f"eigenvalues {ihi} and {ilo}", f"特征值是 {ihi} 和 {ilo}"),
        ),
    )


@facts("linalg-gram-psd")
def _gram() -> Facts:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(6, 3, generator=g, dtype=D)
    x = torch.cat([x, x[:, :1] + x[:, 1:2]], dim=1)  # a collinear fourth column
    gram = x.T @ x
    eig = torch.linalg.eigvalsh(gram)
    sv2 = torch.linalg.svdvals(x).flip(0) ** 2
    assert torch.allclose(eig, sv2, atol=1e-9)
    assert eig.min() > -1e-9 and abs(num(eig[0])) < 1e-9  # PSD, singular because of the collinear column
    v = torch.randn(4, generator=g, dtype=D)
    assert math.isclose(num(v @ gram @ v), num(torch.linalg.vector_norm(x @ v) ** 2), rel_tol=1e-9)
    lam = 0.5
    assert torch.allclose(torch.linalg.eigvalsh(gram + lam * torch.eye(4, dtype=D)), eig + lam, atol=1e-9)
    # The least-squares Hessian is XᵀX.
    y = torch.randn(6, generator=g, dtype=D)
    h = hessian_at(lambda w: 0.5 * torch.sum((x @ w - y) ** 2), torch.zeros(4, dtype=D))
    assert torch.allclose(h, gram)
    return Facts()


def shape_text(shape: torch.Size) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ")"


@facts("linalg-mm-vs-matmul")
def _mm() -> Facts:
    a, b = torch.randn(8, 3, 4), torch.randn(4, 5)
    out = torch.matmul(a, b)
    assert (a @ b).shape == out.shape
    with pytest.raises(RuntimeError):
        torch.mm(a, b)
    with pytest.raises(RuntimeError):
        torch.bmm(a, b)
    assert torch.mm(torch.randn(2, 3), torch.randn(3, 4)).shape == (2, 4)
    assert torch.bmm(torch.randn(2, 3, 4), torch.randn(2, 4, 5)).shape == (2, 3, 5)
    assert torch.matmul(torch.randn(3, 4), torch.randn(4)).shape == (3,)  # a 1-D argument loses its dim
    return Facts(phrases=(f"{shape_text(a.shape)} @ {shape_text(b.shape)} → {shape_text(out.shape)}",))


@facts("linalg-linear-layer-matmul")
def _linear() -> Facts:
    lin = nn.Linear(3, 5).double()
    assert lin.weight.shape == (lin.out_features, lin.in_features) and lin.bias.shape == (lin.out_features,)
    x = torch.randn(7, 3, dtype=D)
    assert torch.allclose(lin(x), x @ lin.weight.T + lin.bias)
    assert lin(torch.randn(7, 2, 3, dtype=D)).shape == (7, 2, 5)
    assert sum(p.numel() for p in lin.parameters()) == 5 * 3 + 5
    return Facts()


MATRICES = ([[2, 1], [1, 2]], [[1, 2], [2, 1]], [[1, 0], [0, 0]], [[-2, 0], [0, -1]])


def matrix_text(m: list[list[int]]) -> str:
    return "[" + ", ".join("[" + ", ".join(whole(v) for v in row) + "]" for row in m) + "]"


@facts("linalg-choice-positive-definite")
def _choice_pd() -> Facts:
    assert [c["en"] for c in card("linalg-choice-positive-definite")["choices"]] == [matrix_text(m) for m in MATRICES]
    eig = [torch.linalg.eigvalsh(t(*m)) for m in MATRICES]
    minors = [num(t(*MATRICES[0])[0, 0]), num(torch.linalg.det(t(*MATRICES[0])))]
    stated = {f"eig{i}.{j}": whole(e[j]) for i, e in enumerate(eig) for j in range(2)}
    stated |= {"minor1": whole(minors[0]), "minor2": whole(minors[1]), "det1": whole(torch.linalg.det(t(*MATRICES[1])))}
    # The explanation lists the eigenvalues ascending for matrices 0 and 3, descending for 1 and 2.
    pairs = [(e[0], e[1]) if i in (0, 3) else (e[1], e[0]) for i, e in enumerate(eig)]
    phrases: list[str | tuple[str, str]] = [
        (f"eigenvalues {whole(a)} and {whole(b)}", f"特征值是 {whole(a)} 和 {whole(b)}") for a, b in pairs
    ]
    phrases += [
        (f"minors {stated['minor1']} and {stated['minor2']}", f"顺序主子式 {stated['minor1']} 和 {stated['minor2']}")
    ]
    phrases += [f"{stated['det1']} < 0"]
    return Facts(stated=stated, phrases=tuple(phrases), correct=[i for i, e in enumerate(eig) if e.min() > 0])


@facts("linalg-choice-matmul-calls")
def _choice_matmul() -> Facts:
    a, b = torch.randn(8, 3, 4), torch.randn(4, 5)
    calls: dict[str, Callable[[], torch.Tensor]] = {
        "torch.mm(a, b)": lambda: torch.mm(a, b),
        "torch.matmul(a, b)": lambda: torch.matmul(a, b),
        "a @ b": lambda: a @ b,
        "torch.bmm(a, b)": lambda: torch.bmm(a, b),
    }
    assert [c["en"] for c in card("linalg-choice-matmul-calls")["choices"]] == list(calls)
    ok = []
    for i, call in enumerate(calls.values()):
        try:
            if call().shape == (8, 3, 5):
                ok.append(i)
        except RuntimeError:
            pass
    return Facts(correct=ok)


@facts("linalg-eigenvalues-2x2")
def _eig2() -> Facts:
    a = t([4, 1], [2, 3])
    eig = torch.linalg.eigvals(a)
    assert torch.allclose(eig.imag, torch.zeros(2, dtype=D))
    lo, hi = sorted(eig.real.tolist())
    assert math.isclose(lo + hi, num(torch.trace(a))) and math.isclose(lo * hi, num(torch.linalg.det(a)))
    return Facts(
        stated={
            "lo": whole(lo),
            "hi": whole(hi),
            "trace": whole(torch.trace(a)),
            "det": whole(torch.linalg.det(a)),
            "ad": whole(a[0, 0] * a[1, 1]),
        },
        phrases=(
            f"(λ − {whole(lo)})(λ − {whole(hi)})",
            f"λ² − {whole(torch.trace(a))}λ + {whole(torch.linalg.det(a))}",
            f"λ = {whole(lo)}",
            f"λ = {whole(hi)}",
        ),
        answer=[lo, hi],
    )


@facts("linalg-inverse-2x2")
def _inv2() -> Facts:
    a = t([4, 7], [2, 6])
    inv = torch.linalg.inv(a)
    det = torch.linalg.det(a)
    adj = det * inv
    stated = {"det": whole(det), "ad": whole(a[0, 0] * a[1, 1]), "bc": whole(a[0, 1] * a[1, 0])}
    stated |= {f"inv{i}{j}": dec(inv[i, j], 1) for i in range(2) for j in range(2)}
    stated |= {f"adj{i}{j}": whole(adj[i, j]) for i in range(2) for j in range(2)}
    inv_text = "[" + ", ".join("[" + ", ".join(dec(v, 1) for v in row) + "]" for row in inv) + "]"
    adj_text = "[" + ", ".join("[" + ", ".join(whole(v) for v in row) + "]" for row in adj) + "]"
    return Facts(
        stated=stated,
        phrases=(f"adj(A) = {adj_text}", f"A⁻¹ = {inv_text}", f"24 − 14 = {stated['det']}"),
        answer=inv.tolist(),
    )


# -------------------------------------------------------------------------------------------------
# math.calculus
# -------------------------------------------------------------------------------------------------


def classify(h: torch.Tensor) -> str:
    eig = torch.linalg.eigvalsh(h)
    if torch.any(eig.abs() < 1e-12):
        return "inconclusive"
    if torch.all(eig > 0):
        return "min"
    if torch.all(eig < 0):
        return "max"
    return "saddle"


ORIGIN = torch.zeros(2, dtype=D)


def _quartic_and_cubic() -> dict[str, str]:
    """x² + y⁴ (a minimum) and x² + y³ (not one) share Hessian eigenvalues 2 and 0 at the origin."""
    h4 = hessian_at(lambda p: p[0] ** 2 + p[1] ** 4, ORIGIN)
    h3 = hessian_at(lambda p: p[0] ** 2 + p[1] ** 3, ORIGIN)
    e4, e3 = torch.linalg.eigvalsh(h4), torch.linalg.eigvalsh(h3)
    assert torch.equal(e4, e3) and classify(h4) == "inconclusive"
    assert num(t(0.0, -0.1)[0] ** 2 + t(0.0, -0.1)[1] ** 3) < 0  # x² + y³ goes below f(0) = 0
    return {"zero": whole(e4[0]), "two": whole(e4[1])}


@facts("calc-stationary-classify")
def _stationary() -> Facts:
    cases = {
        "min": lambda p: p[0] ** 2 + p[1] ** 2,
        "max": lambda p: -(p[0] ** 2) - p[1] ** 2,
        "saddle": lambda p: p[0] ** 2 - p[1] ** 2,
    }
    for kind, f in cases.items():
        assert classify(hessian_at(f, ORIGIN)) == kind
    e = _quartic_and_cubic()
    return Facts(
        stated=e, phrases=((f"eigenvalues {e['two']} and {e['zero']}", f"特征值都是 {e['two']} 和 {e['zero']}"),)
    )


@facts("calc-choice-zero-eigenvalue")
def _zero_eig() -> Facts:
    e = _quartic_and_cubic()
    return Facts(
        stated=e,
        phrases=((f"eigenvalues {e['two']} and {e['zero']}", f"特征值是 {e['two']} 和 {e['zero']}"),),
        correct=[2],  # option 2 = "inconclusive"
    )


@facts("calc-optimality-conditions")
def _x_cubed() -> Facts:
    x = t(0.0).requires_grad_()
    (d1,) = torch.autograd.grad(x**3, x, create_graph=True)
    (d2,) = torch.autograd.grad(d1, x)
    assert num(d1) == 0 and num(d2) == 0 and num(t(-0.1) ** 3) < 0
    return Facts()


@facts("calc-choice-stationary")
def _choice_stationary() -> Facts:
    f = lambda p: p[0] ** 2 - p[1] ** 2  # noqa: E731
    p = ORIGIN.clone().requires_grad_()
    (g,) = torch.autograd.grad(f(p), p)
    assert torch.all(g == 0)
    h = hessian_at(f, ORIGIN)
    order = ["min", "max", "saddle", "not stationary"]
    return Facts(
        stated={"h0": whole(h[0, 0]), "h1": whole(h[1, 1])},
        phrases=(f"diag({whole(h[0, 0])}, {whole(h[1, 1])})",),
        correct=[order.index(classify(h))],
    )


@facts("calc-choice-steepest")
def _choice_steepest() -> Facts:
    p = t(0.0, 0.0).requires_grad_()
    (g,) = torch.autograd.grad(3 * p[0] + 4 * p[1], p)  # a function whose gradient is (3, 4)
    u = g / torch.linalg.vector_norm(g)
    options = [(u, 5.0), (u, 25.0), (-u, 5.0), (t(0.0, 1.0), 4.0)]
    # Correct: the direction of maximal slope, with its true slope.
    correct = [i for i, (d, s) in enumerate(options) if torch.allclose(d, u) and math.isclose(num(g @ d), s)]
    return Facts(
        stated={
            "u0": dec(u[0]),
            "u1": dec(u[1]),
            "slope": whole(torch.linalg.vector_norm(g)),
            "norm2": whole(g @ g),
            "descent": whole(g @ -u),
            "y-slope": whole(g[1]),
        },
        phrases=(
            f"‖∇f‖ = {whole(torch.linalg.vector_norm(g))}",
            f"(3, 4)/5 = ({dec(u[0])}, {dec(u[1])})",
        ),
        correct=correct,
    )


@facts("calc-gradient-value")
def _grad_value() -> Facts:
    p = t(1.0, 2.0).requires_grad_()
    (g,) = torch.autograd.grad(p[0] ** 2 * p[1] + 3 * p[1] ** 2, p)
    return Facts(
        stated={"gx": whole(g[0]), "gy": whole(g[1]), "6y": whole(6 * p[1])},
        phrases=(f"∇f(1, 2) = ({whole(g[0])}, {whole(g[1])})",),
        answer=g.tolist(),
    )


@facts("calc-hessian-eigen")
def _hess_eigen() -> Facts:
    f = lambda p: p[0] ** 2 + 4 * p[0] * p[1] + p[1] ** 2  # noqa: E731
    h = hessian_at(f, ORIGIN)
    eig = torch.linalg.eigvalsh(h)
    assert classify(h) == "saddle"
    return Facts(
        stated={
            "lo": whole(eig[0]),
            "hi": whole(eig[1]),
            "h01": whole(h[0, 1]),
            "h01sq": whole(h[0, 1] ** 2),
            "f(1,-1)": whole(f(t(1.0, -1.0))),
            "f(1,1)": whole(f(t(1.0, 1.0))),
        },
        phrases=(
            "H = [[" + ", ".join(whole(v) for v in h[0]) + "], [" + ", ".join(whole(v) for v in h[1]) + "]]",
            f"λ = {whole(eig[0])}",
            f"λ = {whole(eig[1])}",
            f"f(t, −t) = {whole(f(t(1.0, -1.0)))}t²",
            f"f(t, t) = {whole(f(t(1.0, 1.0)))}t²",
        ),
        answer=eig.tolist(),
    )


@facts("calc-directional-derivative")
def _directional() -> Facts:
    f = lambda p: p[0] ** 2 + 3 * p[0] * p[1]  # noqa: E731
    point, u = t(1.0, 2.0), t(3.0, 4.0) / 5
    _, slope = torch.autograd.functional.jvp(f, point, u)
    p = point.clone().requires_grad_()
    (g,) = torch.autograd.grad(f(p), p)
    return Facts(
        stated={
            "gx": whole(g[0]),
            "gy": whole(g[1]),
            "slope": dec(slope),
            "numerator": whole(5 * slope),
            "norm2": whole(g @ g),
            "norm": dec(torch.linalg.vector_norm(g), 3),
        },
        phrases=(
            f"= ({whole(g[0])}, {whole(g[1])})",
            f"= {whole(5 * slope)}/5 = {dec(slope)}",
            f"√{whole(g @ g)} ≈ {dec(torch.linalg.vector_norm(g), 3)}",
        ),
        answer=num(slope),
    )


@facts("calc-taylor-exp")
def _taylor() -> Facts:
    x0 = t(0.0).requires_grad_()
    (d1,) = torch.autograd.grad(torch.exp(x0), x0, create_graph=True)
    (d2,) = torch.autograd.grad(d1, x0)
    f0 = torch.exp(x0.detach())
    h = 0.1
    approx = f0 + d1.detach() * h + 0.5 * d2 * h**2
    exact = torch.exp(t(h))
    return Facts(
        stated={
            "approx": dec(approx, 4),
            "exact": dec(exact, 5),
            "error": dec(exact - approx, 5),
            "next": dec(h**3 / 6, 6),
            "h2": dec(h**2, 2),
        },
        givens=frozenset({"0.1"}),
        answer=num(approx),
    )


# -------------------------------------------------------------------------------------------------
# optim.gd
# -------------------------------------------------------------------------------------------------


def gd(a: torch.Tensor, lr: float, steps: int, x0: torch.Tensor | None = None) -> list[torch.Tensor]:
    """Gradient descent on ½xᵀAx with torch.optim.SGD; the iterates after each step."""
    x = nn.Parameter(x0.clone() if x0 is not None else torch.ones(a.shape[0], dtype=D))
    opt = torch.optim.SGD([x], lr=lr)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        (0.5 * x @ a @ x).backward()
        opt.step()
        out.append(x.detach().clone())
    return out


@facts("gd-learning-rate-effects")
def _lr_effects() -> Facts:
    return Facts(stated={"adam.lr": sci(torch_defaults()["Adam"]["lr"])}, givens=frozenset({"0.1"}))  # ResNet recipe


@facts("gd-batch-vs-sgd")
def _batch() -> Facts:
    # The spread of a mini-batch mean falls like 1/√B (checked on a fixed population).
    g = torch.Generator().manual_seed(0)
    pop = torch.randn(100_000, generator=g, dtype=D)
    spreads = []
    for b in (16, 64):
        means = pop[torch.randint(0, pop.numel(), (2000, b), generator=g)].mean(dim=1)
        spreads.append(num(means.std()))
    assert math.isclose(spreads[0] / spreads[1], 2.0, rel_tol=0.1)
    return Facts(givens=frozenset({"32", "512"}))


LR_OPTIONS = (0.05, 0.15, 0.2, 0.25)


@facts("gd-choice-lr-range")
def _choice_lr_range() -> Facts:
    q = card("gd-choice-lr-range")
    assert [c["en"] for c in q["choices"]] == [f"η = {lr}" for lr in LR_OPTIONS]
    a = torch.diag(t(1.0, 10.0))
    eig = torch.linalg.eigvalsh(a)
    correct = [i for i, lr in enumerate(LR_OPTIONS) if torch.linalg.vector_norm(gd(a, lr, 400)[-1]) < 1e-6]
    stated = {"lmax": whole(eig[1]), "bound": dec(2 / eig[1]), "fastest": dec(2 / eig.sum())}
    for lr in LR_OPTIONS[:2]:
        stated |= {f"f{lr}.{i}": dec(1 - lr * e) for i, e in enumerate(eig)}
    stated |= {f"f{lr}": dec(1 - lr * eig[1]) for lr in LR_OPTIONS[2:]}
    return Facts(stated=stated, givens=frozenset(str(lr) for lr in LR_OPTIONS), correct=correct)


A33 = ((3.0, 1.0), (1.0, 3.0))


@facts("gd-max-lr-quadratic")
def _max_lr() -> Facts:
    a = t(*A33)
    eig = torch.linalg.eigvalsh(a)
    assert torch.allclose(a @ t(1.0, -1.0), eig[0] * t(1.0, -1.0)) and torch.allclose(
        a @ t(1.0, 1.0), eig[1] * t(1.0, 1.0)
    )
    bound = 2 / num(eig[1])
    assert torch.linalg.vector_norm(gd(a, 0.98 * bound, 2000)[-1]) < 1e-6
    assert torch.linalg.vector_norm(gd(a, 1.02 * bound, 2000)[-1]) > 1e3
    return Facts(
        stated={"lo": whole(eig[0]), "hi": whole(eig[1]), "bound": dec(bound)},
        phrases=(f"λ = {whole(eig[0])}", f"λ = {whole(eig[1])}", f"2/{whole(eig[1])} = {dec(bound)}"),
        answer=bound,
    )


@facts("gd-optimal-lr")
def _optimal_lr() -> Facts:
    a = t(*A33)
    eig = torch.linalg.eigvalsh(a)
    best = 2 / num(eig.sum())
    kappa = num(eig[1] / eig[0])
    rate = (kappa - 1) / (kappa + 1)
    xs = gd(a, best, 5, x0=t(1.0, 0.3))
    norms = [num(torch.linalg.vector_norm(x)) for x in xs]
    assert all(math.isclose(n2 / n1, rate, rel_tol=1e-9) for n1, n2 in itertools.pairwise(norms))
    assert math.isclose(best, 1 / 3) and math.isclose(rate, 1 / 3)  # the card's "1/3" twice
    # No learning rate on a fine grid contracts faster.
    grid = torch.linspace(0.01, 0.49, 481, dtype=D)
    radius = torch.stack([torch.max(torch.abs(1 - lr * eig)) for lr in grid])
    assert abs(num(grid[torch.argmin(radius)]) - best) < 1e-3
    lo, hi = whole(eig[0]), whole(eig[1])
    return Facts(
        stated={"best": dec(best), "kappa": whole(kappa)},
        phrases=(f"2/({lo} + {hi}) = 1/3 ≈ {dec(best)}", f"κ = {hi}/{lo} = {whole(kappa)}"),
        answer=best,
    )


@facts("gd-steps-by-hand")
def _gd_steps() -> Facts:
    a = torch.diag(t(1.0, 4.0))
    x1, x2 = gd(a, 0.1, 2)
    g1, g2 = a @ torch.ones(2, dtype=D), a @ x1
    stated = {f"x1.{i}": dec(x1[i]) for i in range(2)} | {f"x2.{i}": dec(x2[i]) for i in range(2)}
    stated |= {f"g2.{i}": dec(g2[i]) for i in range(2)}
    stated |= {"step1.1": dec(0.1 * g1[1]), "step2.0": dec(0.1 * g2[0]), "step2.1": dec(0.1 * g2[1])}
    pair = lambda v: f"({dec(v[0])}, {dec(v[1])})"  # noqa: E731
    return Facts(
        stated=stated, phrases=(f"= {pair(x1)}", f"= {pair(x2)}"), givens=frozenset({"0.1"}), answer=x2.tolist()
    )


# -------------------------------------------------------------------------------------------------
# optim.algorithms
# -------------------------------------------------------------------------------------------------


@facts("opt-momentum")
def _momentum() -> Facts:
    # With a constant gradient the step tends to η·g/(1 − μ).
    w = nn.Parameter(t(0.0))
    opt = torch.optim.SGD([w], lr=1.0, momentum=0.9)
    prev = 0.0
    for _ in range(400):
        opt.zero_grad()
        w.grad = t(1.0)
        opt.step()
        step, prev = prev - num(w), num(w)
    speedup = whole(round(step, 9))
    return Facts(stated={"speedup": speedup}, phrases=(f"1/(1 − μ) = {speedup}",), givens=frozenset({"0.9"}))


@facts("opt-adagrad")
def _adagrad() -> Facts:
    d = torch_defaults()["Adagrad"]
    assert d["lr_decay"] == 0 and d["initial_accumulator_value"] == 0
    return Facts(phrases=(f"lr = {d['lr']}", f"ε = {sci(d['eps'])}"))


@facts("opt-rmsprop")
def _rmsprop() -> Facts:
    d = torch_defaults()["RMSprop"]
    return Facts(
        phrases=(f"α = {d['alpha']}", f"lr = {d['lr']}", f"ε = {sci(d['eps'])}"),
        givens=frozenset({"0.9"}),  # the ρ/γ of Hinton's lecture, quoted as the notes' convention
    )


@facts("opt-adadelta")
def _adadelta() -> Facts:
    d = torch_defaults()["Adadelta"]
    return Facts(stated={"lr": f"{d['lr']:.1f}"}, phrases=(f"ρ = {d['rho']}", f"ε = {sci(d['eps'])}"))


def adam_phrases() -> tuple[str, ...]:
    d = torch_defaults()["Adam"]
    b1, b2 = d["betas"]
    return (f"η = {sci(d['lr'])}", f"β₁ = {b1}", f"β₂ = {b2}", f"ε = {sci(d['eps'])}")


@facts("opt-adam-formula")
def _adam_formula() -> Facts:
    return Facts(phrases=adam_phrases())


@facts("opt-bias-correction")
def _bias_correction() -> Facts:
    b1, b2 = torch_defaults()["Adam"]["betas"]
    # With correction the first step is η·sign(g), whatever the gradient's size.
    for g in (1e-2, 1.0, 1e3):
        w = nn.Parameter(t(0.0))
        opt = torch.optim.Adam([w], lr=0.1)
        w.grad = t(g)
        opt.step()
        assert math.isclose(num(w), -0.1, rel_tol=1e-5)  # up to ε
    uncorrected = (1 - b1) / math.sqrt(1 - b2)
    return Facts(
        stated={"1-b1": dec(1 - b1, 3), "1-b2": dec(1 - b2, 3), "ratio": dec(uncorrected, 2)},
        phrases=(f"β₁ = {b1}", f"β₂ = {b2}"),
    )


@facts("opt-adamw-vs-l2")
def _adamw() -> Facts:
    return Facts(phrases=(f"weight_decay = {torch_defaults()['AdamW']['weight_decay']}",))


@facts("opt-choose-optimizer")
def _choose() -> Facts:
    return Facts(givens=frozenset({"0.9"}))  # the standard ResNet/ImageNet momentum


@facts("opt-choice-adam-parts")
def _adam_parts() -> Facts:
    assert hasattr(torch.optim, "NAdam")
    return Facts()


def quadratic_problem(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    m = torch.randn(3, 3, generator=g, dtype=D)
    return m @ m.T + 0.5 * torch.eye(3, dtype=D), torch.randn(3, generator=g, dtype=D)


def trajectory(make: Callable[[list[nn.Parameter]], torch.optim.Optimizer], penalty: float = 0.0) -> torch.Tensor:
    a, b = quadratic_problem()
    w = nn.Parameter(torch.ones(3, dtype=D))
    opt = make([w])
    for _ in range(6):
        opt.zero_grad()
        (0.5 * w @ a @ w + b @ w + penalty / 2 * w @ w).backward()
        opt.step()
    return w.detach().clone()


@facts("opt-choice-decoupled-decay")
def _choice_decoupled() -> Facts:
    lam, lr = 0.1, 0.05
    decoupled = manual_adam(lr, weight_decay=lam, decoupled=True)
    options = [
        trajectory(lambda p: torch.optim.AdamW(p, lr=lr, weight_decay=lam)),
        trajectory(lambda p: torch.optim.Adam(p, lr=lr, weight_decay=lam)),
        trajectory(lambda p: torch.optim.Adam(p, lr=lr), penalty=lam),
        trajectory(lambda p: torch.optim.Adam(p, lr=lr, eps=1e-2)),
    ]
    assert torch.allclose(options[1], options[2])  # Adam's weight_decay = L2 penalty in the loss
    return Facts(correct=[i for i, w in enumerate(options) if torch.allclose(w, decoupled)])


@facts("opt-choice-rmsprop-alpha")
def _choice_alpha() -> Facts:
    d = torch_defaults()["RMSprop"]
    values = [num(c["en"]) for c in card("opt-choice-rmsprop-alpha")["choices"]]
    b1, b2 = torch_defaults()["Adam"]["betas"]
    return Facts(
        stated={"alpha": str(d["alpha"]), "beta2": str(b2), "hinton": str(b1)},
        givens=frozenset({"0.5"}),
        phrases=(f"lr = {d['lr']}", f"ε = {sci(d['eps'])}"),
        correct=[i for i, v in enumerate(values) if v == d["alpha"]],
    )


@facts("opt-momentum-two-steps")
def _momentum_steps() -> Facts:
    w1, w2 = run_on_square(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), 2)
    # The card's hand computation, step by step.
    v1 = 2.0
    g2 = 2 * w1
    v2 = 0.9 * v1 + g2
    assert math.isclose(w1 - 0.1 * v2, w2, rel_tol=1e-12)
    plain = run_on_square(lambda p: torch.optim.SGD(p, lr=0.1), 2)[-1]
    return Facts(
        stated={"w1": dec(w1), "g2": dec(g2), "v2": dec(v2), "w2": dec(w2), "plain": dec(plain)},
        givens=frozenset({"0.1", "0.9"}),
        answer=w2,
    )


@facts("opt-nesterov-one-step")
def _nesterov_step() -> Facts:
    (w1,) = run_on_square(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True), 1)
    g, v = 2.0, 2.0
    assert math.isclose(1 - 0.1 * (g + 0.9 * v), w1, rel_tol=1e-12)
    (classical,) = run_on_square(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), 1)
    return Facts(
        stated={"w1": dec(w1), "g+mv": dec(g + 0.9 * v), "classical": dec(classical)},
        givens=frozenset({"0.1", "0.9"}),
        answer=w1,
    )


@facts("opt-adagrad-two-steps")
def _adagrad_steps() -> Facts:
    w1, w2 = run_on_square(lambda p: torch.optim.Adagrad(p, lr=0.1), 2)
    g1 = 2.0
    big_g1 = g1**2
    g2 = 2 * w1
    big_g2 = big_g1 + g2**2
    step2 = 0.1 * g2 / math.sqrt(big_g2)
    assert math.isclose(w1 - step2, w2, rel_tol=1e-9)
    return Facts(
        stated={
            "G1": dec(big_g1),
            "w1": dec(w1),
            "g2": dec(g2),
            "g2sq": dec(g2**2),
            "G2": dec(big_g2),
            "sqrtG2": dec(math.sqrt(big_g2)),
            "step2": dec(step2),
            "w2": dec(w2),
        },
        givens=frozenset({"0.1"}),
        answer=w2,
    )


@facts("opt-rmsprop-one-step")
def _rmsprop_step() -> Facts:
    alpha = torch_defaults()["RMSprop"]["alpha"]
    (w1,) = run_on_square(lambda p: torch.optim.RMSprop(p, lr=0.01), 1)
    s = (1 - alpha) * 2.0**2
    step = 0.01 * 2.0 / math.sqrt(s)
    assert math.isclose(1 - step, w1, rel_tol=1e-7)
    return Facts(
        stated={
            "alpha": str(alpha),
            "1-alpha": dec(1 - alpha),
            "s": dec(s),
            "sqrt": dec(math.sqrt(s)),
            "step": dec(step),
            "w1": dec(w1),
            "ratio": whole(round(1 / math.sqrt(1 - alpha), 9)),
        },
        phrases=(f"η/√(1 − α) = {whole(round(1 / math.sqrt(1 - alpha), 9))}η",),
        givens=frozenset({"0.01"}),
        answer=w1,
    )


@facts("opt-adadelta-one-step")
def _adadelta_step() -> Facts:
    d = torch_defaults()["Adadelta"]
    rho, eps, lr = d["rho"], d["eps"], d["lr"]
    (w1,) = run_on_square(lambda p: torch.optim.Adadelta(p), 1)
    s = (1 - rho) * 2.0**2
    delta = math.sqrt(0 + eps) / math.sqrt(s + eps) * 2.0
    assert math.isclose(1 - lr * delta, w1, rel_tol=1e-12)
    return Facts(
        stated={
            "lr": f"{lr:.1f}",
            "rho": str(rho),
            "eps": sci(eps),
            "1-rho": dec(1 - rho),
            "s": dec(s),
            "sqrt_eps": dec(math.sqrt(eps), 3),
            "sqrt_s": dec(math.sqrt(s + eps), 5),
            "delta": dec(delta, 7),
            "w1": dec(w1, 5),
        },
        phrases=(f"lr = {lr:.1f}", f"ρ = {rho}", f"ε = {sci(eps)}"),
        answer=w1,
    )


@facts("opt-adam-two-steps")
def _adam_steps() -> Facts:
    b1, b2 = torch_defaults()["Adam"]["betas"]
    lr = 0.1
    w1, w2 = run_on_square(lambda p: torch.optim.Adam(p, lr=lr), 2)
    g1 = 2.0
    m1, v1 = (1 - b1) * g1, (1 - b2) * g1**2
    mh1, vh1 = m1 / (1 - b1), v1 / (1 - b2)
    assert math.isclose(1 - lr * mh1 / math.sqrt(vh1), w1, rel_tol=1e-7)
    g2 = 2 * w1
    m2 = b1 * m1 + (1 - b1) * g2
    v2a, v2b = b2 * v1, (1 - b2) * g2**2
    v2 = v2a + v2b
    c1, c2 = 1 - b1**2, 1 - b2**2
    mh2, vh2 = m2 / c1, v2 / c2
    step2 = lr * mh2 / math.sqrt(vh2)
    assert math.isclose(w1 - step2, w2, rel_tol=1e-7)
    stated = {
        "b1": str(b1),
        "b2": str(b2),
        "1-b1": dec(1 - b1),
        "1-b2": dec(1 - b2),
        "m1": dec(m1),
        "v1": dec(v1),
        "mh1": dec(mh1),
        "vh1": dec(vh1),
        "w1": dec(w1),
        "g2": dec(g2),
        "g2sq": dec(g2**2),
        "m2": dec(m2),
        "v2a": dec(v2a, 6),
        "v2b": dec(v2b, 5),
        "v2": dec(v2, 6),
        "c1": dec(c1),
        "c2": dec(c2, 6),
        "mh2": dec(mh2),
        "vh2": dec(vh2),
        "sqrt_vh2": dec(math.sqrt(vh2)),
        "step2": dec(step2),
        "w2": dec(w2),
    }
    return Facts(stated=stated, givens=frozenset({"0.1"}), answer=w2)


@facts("opt-adamw-one-step")
def _adamw_step() -> Facts:
    lr, lam = 0.1, 0.1
    (w_adamw,) = run_on_square(lambda p: torch.optim.AdamW(p, lr=lr, weight_decay=lam), 1)
    (w_adam_l2,) = run_on_square(lambda p: torch.optim.Adam(p, lr=lr, weight_decay=lam), 1)
    decayed = 1 - lr * lam * 1
    assert math.isclose(decayed - lr, w_adamw, rel_tol=1e-7)
    return Facts(
        stated={
            "decayed": dec(decayed),
            "adamw": dec(w_adamw),
            "g_l2": dec(2 + lam * 1),
            "adam_l2": dec(w_adam_l2),
        },
        givens=frozenset({"0.1"}),
        answer=w_adamw,
    )


# -------------------------------------------------------------------------------------------------
# ml.linear
# -------------------------------------------------------------------------------------------------


@facts("linreg-gradient-derivation")
def _linreg_grad() -> Facts:
    g = torch.Generator().manual_seed(1)
    x, y = torch.randn(5, 3, generator=g, dtype=D), torch.randn(5, generator=g, dtype=D)
    w = torch.randn(3, generator=g, dtype=D, requires_grad=True)
    b = t(0.3).requires_grad_()
    loss = torch.mean(0.5 * (x @ w + b - y) ** 2)
    gw, gb = torch.autograd.grad(loss, (w, b))
    e = (x @ w + b - y).detach()
    assert torch.allclose(gw, x.T @ e / 5) and torch.allclose(gb, e.mean())
    gw_mse, _ = torch.autograd.grad(nn.MSELoss()(x @ w + b, y), (w, b))
    assert torch.allclose(gw_mse, 2 * gw)
    return Facts()


@facts("linreg-probabilistic")
def _linreg_mle() -> Facts:
    resid, sigma = t(0.5, -1.0, 2.0), 1.3
    nll = -torch.distributions.Normal(t(0.0), t(sigma)).log_prob(resid).sum()
    expected = (resid**2).sum() / (2 * sigma**2) + 3 * math.log(math.sqrt(2 * math.pi * sigma**2))
    assert math.isclose(num(nll), num(expected), rel_tol=1e-12)
    return Facts()


@facts("linreg-training-loop")
def _linreg_loop() -> Facts:
    pred, target = torch.randn(4, 1, dtype=D), torch.randn(4, dtype=D)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wrong = nn.MSELoss()(pred, target)
    assert any("target size" in str(w.message) for w in caught)
    assert (pred - target).shape == (4, 4) and torch.isclose(wrong, ((pred - target) ** 2).mean())
    assert not torch.isclose(wrong, nn.MSELoss()(pred, target[:, None]))
    # .grad accumulates across backward calls until it is cleared.
    w = t(1.0).requires_grad_()
    (w * 3).backward()
    (w * 3).backward()
    assert num(w.grad) == 6  # type: ignore[arg-type]
    return Facts()


@facts("linreg-feature-scaling")
def _linreg_scaling() -> Facts:
    g = torch.Generator().manual_seed(2)
    x = torch.randn(50, 2, generator=g, dtype=D) * t(1.0, 1000.0)
    y = torch.randn(50, generator=g, dtype=D)
    h = hessian_at(lambda w: torch.mean(0.5 * (x @ w - y) ** 2), torch.zeros(2, dtype=D))
    assert torch.allclose(h, x.T @ x / 50)
    xs = (x - x.mean(0)) / x.std(0)
    e_raw, e_std = torch.linalg.eigvalsh(h), torch.linalg.eigvalsh(xs.T @ xs / 50)
    assert e_raw[1] / e_raw[0] > 1e5 and e_std[1] / e_std[0] < 2
    return Facts()


@facts("linreg-choice-mseloss-default")
def _mse_default() -> Facts:
    yh, y = torch.randn(6, dtype=D), torch.randn(6, dtype=D)
    options = [
        ((yh - y) ** 2).mean(),
        (0.5 * (yh - y) ** 2).mean(),
        ((yh - y) ** 2).sum(),
        ((yh - y) ** 2).mean().sqrt(),
    ]
    assert nn.MSELoss().reduction == "mean"
    loss = nn.MSELoss()(yh, y)
    return Facts(correct=[i for i, v in enumerate(options) if torch.isclose(v, loss)])


@facts("linreg-choice-closed-form")
def _closed_form_choice() -> Facts:
    return Facts(givens=frozenset({"20", "5000"}))


@facts("linreg-one-gd-step")
def _linreg_step() -> Facts:
    x, y = t(1.0, 2.0), t(3.0, 5.0)
    w, b = nn.Parameter(t(0.0)), nn.Parameter(t(0.0))
    opt = torch.optim.SGD([w, b], lr=0.1)
    resid = (w * x + b - y).detach()
    loss = torch.mean(0.5 * (w * x + b - y) ** 2)
    loss.backward()
    assert w.grad is not None and b.grad is not None
    gw, gb = num(w.grad), num(b.grad)
    opt.step()
    stated = {f"r{i}": whole(r) for i, r in enumerate(resid)} | {f"sq{i}": whole(r**2) for i, r in enumerate(resid)}
    stated |= {"loss": dec(loss), "gw": dec(gw), "gb": dec(gb), "w": dec(w), "b": dec(b)}
    return Facts(
        stated=stated,
        phrases=(f"({whole(resid[0])}, {whole(resid[1])})", f"w = 0 − 0.1·({dec(gw)}) = {dec(w)}"),
        givens=frozenset({"0.1"}),
        answer=[num(w), num(b)],
    )


@facts("linreg-least-squares-fit")
def _linreg_lstsq() -> Facts:
    x, y = t(0.0, 1.0, 2.0), t(1.0, 2.0, 4.0)
    design = torch.stack([x, torch.ones(3, dtype=D)], dim=1)
    w, b = torch.linalg.lstsq(design, y[:, None]).solution.flatten().tolist()
    assert math.isclose(w, 3 / 2) and math.isclose(b, 5 / 6) and math.isclose(num(y.mean()), 7 / 3)
    return Facts(
        stated={"w": dec(w), "b": dec(b), "ybar": dec(y.mean())},
        phrases=(f"3/2 = {dec(w)}", f"5/6 ≈ {dec(b)}", f"7/3 ≈ {dec(y.mean())}"),
        answer=[w, b],
    )


@facts("linreg-mseloss-gradient")
def _mse_grad() -> Facts:
    x, y = t(1.0, 2.0), t(1.0)
    w, b = t(0.5, -1.0).requires_grad_(), t(0.0).requires_grad_()
    yhat = x @ w + b
    loss = nn.MSELoss()(yhat, y)
    gw, gb = torch.autograd.grad(loss, (w, b))
    return Facts(
        stated={
            "yhat": dec(yhat),
            "err": dec(yhat - y),
            "loss": dec(loss),
            "gw0": whole(gw[0]),
            "gw1": whole(gw[1]),
            "gb": whole(gb),
        },
        phrases=(f"= ({whole(gw[0])}, {whole(gw[1])})",),
        givens=frozenset({"0.5"}),
        answer=gw.tolist(),
    )


# -------------------------------------------------------------------------------------------------
# ml.softmax
# -------------------------------------------------------------------------------------------------


@facts("softmax-properties")
def _softmax_props() -> Facts:
    z = t(0.3, -1.2, 2.0)
    p = torch.softmax(z, 0)
    assert torch.all(p > 0) and math.isclose(num(p.sum()), 1.0)
    assert torch.allclose(torch.softmax(z + 7.5, 0), p)
    assert torch.equal(torch.argsort(p), torch.argsort(z))
    assert torch.softmax(2 * z, 0).max() > p.max()  # scaling sharpens
    return Facts()


@facts("softmax-numerical-stability")
def _softmax_stable() -> Facts:
    big = torch.tensor([1000.0, 1001.0, 1002.0])
    naive = torch.exp(big) / torch.exp(big).sum()
    assert torch.all(torch.isnan(naive))
    limit = math.log(torch.finfo(torch.float32).max)
    assert math.isfinite(num(torch.exp(torch.tensor(limit - 0.01)))) and math.isinf(
        num(torch.exp(torch.tensor(limit + 0.01)))
    )
    stable = torch.softmax(big.double(), 0)
    assert torch.allclose(stable, torch.softmax(t(-2.0, -1.0, 0.0), 0))
    assert torch.allclose(torch.log_softmax(big, 0), big - big.max() - torch.logsumexp(big - big.max(), 0))
    return Facts(
        stated={"limit": dec(limit, 2), **{f"p{i}": dec(v) for i, v in enumerate(stable)}},
        givens=frozenset({"1000", "1001", "1002"}),
    )


@facts("softmax-one-hot")
def _one_hot() -> Facts:
    assert F.one_hot(torch.tensor(1), 3).tolist() == [0, 1, 0]
    logits, target, eps, c = torch.randn(4, 5, dtype=D), torch.tensor([0, 3, 1, 4]), 0.1, 5
    soft = (1 - eps) * F.one_hot(target, c).double() + eps / c
    assert torch.isclose(F.cross_entropy(logits, target, label_smoothing=eps), F.cross_entropy(logits, soft))
    return Facts(givens=frozenset({"1.5"}))  # an example of a meaningless regression output


@facts("softmax-cross-entropy")
def _ce_meaning() -> Facts:
    loss = F.cross_entropy(torch.zeros(1, 10, dtype=D), torch.tensor([3]))
    return Facts(stated={"log10": dec(loss)})


@facts("softmax-gradient-derivation")
def _softmax_jacobian() -> Facts:
    z = t(0.2, -0.4, 1.1, 0.0)
    p = torch.softmax(z, 0)
    jac = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, 0), z)
    assert torch.allclose(jac, torch.diag(p) - torch.outer(p, p))
    zz = z.clone().requires_grad_()
    (g,) = torch.autograd.grad(F.cross_entropy(zz[None], torch.tensor([2])), zz)
    assert torch.allclose(g, p - F.one_hot(torch.tensor(2), 4).double()) and abs(num(g.sum())) < 1e-12
    batch = torch.randn(3, 4, dtype=D, requires_grad=True)
    tgt = torch.tensor([0, 1, 2])
    (gb,) = torch.autograd.grad(F.cross_entropy(batch, tgt), batch)
    assert torch.allclose(gb, (torch.softmax(batch, 1) - F.one_hot(tgt, 4)).detach() / 3)
    return Facts()


def double_softmax_floor(classes: int = 10) -> float:
    """The loss CrossEntropyLoss gives a perfect one-hot *probability* vector: the floor of double softmax."""
    probs = F.one_hot(torch.tensor([0]), classes).double()
    return num(F.cross_entropy(probs, torch.tensor([0])))


@facts("softmax-crossentropyloss-logits")
def _ce_logits() -> Facts:
    z, y = torch.randn(4, 5, dtype=D), torch.tensor([1, 0, 4, 2])
    assert torch.isclose(nn.CrossEntropyLoss()(z, y), F.nll_loss(F.log_softmax(z, 1), y))
    soft = torch.softmax(torch.randn(4, 5, dtype=D), 1)
    nn.CrossEntropyLoss()(z, soft)  # class probabilities are accepted too
    assert torch.equal(z.argmax(1), torch.softmax(z, 1).argmax(1))
    return Facts(stated={"floor": dec(double_softmax_floor())})


@facts("softmax-vs-sigmoid")
def _softmax_sigmoid() -> Facts:
    z = t(1.3, -0.4)
    assert torch.isclose(torch.softmax(z, 0)[0], torch.sigmoid(z[0] - z[1]))
    return Facts()


@facts("softmax-choice-shift")
def _choice_shift() -> Facts:
    z, c = t(-3.0, 0.5, 2.0), 3.0
    p = torch.softmax(z, 0)
    statements = [
        bool(torch.allclose(torch.softmax(z + c, 0), p)),
        bool(torch.allclose(torch.softmax(c * z, 0), p)),
        bool(torch.all((p > 0) & (p < 1))),
        bool(torch.any(p == 0)),
    ]
    return Facts(correct=[i for i, s in enumerate(statements) if s])


@facts("softmax-choice-double-softmax")
def _choice_double() -> Facts:
    floor = double_softmax_floor()
    g = torch.Generator().manual_seed(3)
    probs = torch.softmax(torch.randn(200, 10, generator=g, dtype=D) * 5, 1)
    losses = F.cross_entropy(probs, torch.zeros(200, dtype=torch.long), reduction="none")
    assert num(losses.min()) >= floor - 1e-12
    return Facts(stated={"floor": dec(floor), "p": dec(math.exp(-floor), 3)}, correct=[0])


@facts("softmax-choice-loss-inputs")
def _choice_inputs() -> Facts:
    z, y = torch.randn(4, 5, dtype=D), torch.tensor([1, 0, 4, 2])
    assert torch.isclose(F.cross_entropy(F.log_softmax(z, 1), y), F.cross_entropy(z, y))
    with pytest.raises(RuntimeError):
        F.cross_entropy(torch.randn(4, dtype=D), y)
    return Facts(correct=[0])


@facts("softmax-values")
def _softmax_values() -> Facts:
    z = t(1.0, 2.0, 3.0)
    shifted = torch.exp(z - z.max())
    p = torch.softmax(z, 0)
    stated = {"e-2": dec(shifted[0]), "e-1": dec(shifted[1]), "sum": dec(shifted.sum())}
    stated |= {f"p{i}": dec(v) for i, v in enumerate(p)}
    return Facts(stated=stated, phrases=("≈ (" + ", ".join(dec(v) for v in p) + ")",), answer=p.tolist())


def _ce_example() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    z = t(2.0, 1.0, 0.1).requires_grad_()
    loss = nn.CrossEntropyLoss()(z[None], torch.tensor([0]))
    (g,) = torch.autograd.grad(loss, z)
    return z.detach(), torch.softmax(z.detach(), 0), loss.detach(), g


@facts("softmax-ce-value")
def _ce_value() -> Facts:
    z, p, loss, _ = _ce_example()
    e = torch.exp(z)
    stated = {f"e{i}": dec(v) for i, v in enumerate(e)} | {"sum": dec(e.sum()), "p0": dec(p[0], 3)}
    stated |= {"loss": dec(loss, 3), "lse": dec(torch.logsumexp(z, 0), 3)}
    return Facts(stated=stated, givens=frozenset({"0.1"}), answer=num(loss))


@facts("softmax-grad-value")
def _ce_grad() -> Facts:
    _, p, _, g = _ce_example()
    stated = {f"p{i}": dec(v) for i, v in enumerate(p)} | {f"g{i}": dec(v) for i, v in enumerate(g)}
    return Facts(
        stated=stated,
        phrases=("p − y ≈ (" + ", ".join(dec(v) for v in g) + ")",),
        givens=frozenset({"0.1"}),
        answer=g.tolist(),
    )


# -------------------------------------------------------------------------------------------------
# nn.mlp
# -------------------------------------------------------------------------------------------------


@facts("mlp-activations-derivatives")
def _activations() -> Facts:
    x = torch.linspace(-4, 4, 81, dtype=D, requires_grad=True)
    (ds,) = torch.autograd.grad(torch.sigmoid(x).sum(), x)
    (dt,) = torch.autograd.grad(torch.tanh(x).sum(), x)
    s, th = torch.sigmoid(x.detach()), torch.tanh(x.detach())
    assert torch.allclose(ds, s * (1 - s)) and torch.allclose(dt, 1 - th**2) and math.isclose(num(dt.max()), 1.0)
    r = t(-1.0, 0.0, 1.0).requires_grad_()
    (dr,) = torch.autograd.grad(torch.relu(r).sum(), r)
    assert dr.tolist() == [0.0, 0.0, 1.0]  # PyTorch uses 0 at x = 0
    return Facts(stated={"max": sigmoid_max_derivative()})


@facts("mlp-why-not-sigmoid")
def _why_not_sigmoid() -> Facts:
    x = t(0.0).requires_grad_()
    h = x
    for _ in range(10):
        h = torch.sigmoid(h) - 0.5  # keeps every pre-activation at 0, where σ′ is largest
    (g,) = torch.autograd.grad(h, x)
    assert math.isclose(num(g), 0.25**10, rel_tol=1e-12)
    return Facts(stated={"max": sigmoid_max_derivative(), "ten": sci(num(g))})


@facts("mlp-bp-drawbacks", "mlp-choice-bp-drawback")
def _bp_drawbacks() -> Facts:
    return Facts(stated={"max": sigmoid_max_derivative()})


@facts("mlp-backprop-steps")
def _backprop_steps() -> Facts:
    g = torch.Generator().manual_seed(4)
    x = torch.randn(3, generator=g, dtype=D)
    w1 = torch.randn(4, 3, generator=g, dtype=D, requires_grad=True)
    w2 = torch.randn(2, 4, generator=g, dtype=D, requires_grad=True)
    z1 = w1 @ x
    a1 = torch.sigmoid(z1)
    z2 = w2 @ a1
    loss = F.cross_entropy(z2[None], torch.tensor([1]))
    g1, g2 = torch.autograd.grad(loss, (w1, w2))
    delta2 = (torch.softmax(z2, 0) - F.one_hot(torch.tensor(1), 2)).detach()
    s = a1.detach()
    delta1 = (w2.detach().T @ delta2) * s * (1 - s)
    assert torch.allclose(g2, torch.outer(delta2, s)) and torch.allclose(g1, torch.outer(delta1, x))
    return Facts()


@facts("mlp-dying-relu")
def _dying() -> Facts:
    layer = nn.Linear(3, 1)
    with torch.no_grad():
        layer.bias.fill_(-100.0)
    out = torch.relu(layer(torch.randn(16, 3)))
    out.sum().backward()
    assert num(out.abs().max()) == 0 and layer.weight.grad is not None and num(layer.weight.grad.abs().max()) == 0
    return Facts(stated={"leaky": str(nn.LeakyReLU().negative_slope)})


@facts("mlp-choice-sigmoid-derivative")
def _choice_sigmoid() -> Facts:
    x = t(0.0).requires_grad_()
    (dt,) = torch.autograd.grad(torch.tanh(x), x)
    best = sigmoid_max_derivative()
    values = [c["en"].split(",")[0] for c in card("mlp-choice-sigmoid-derivative")["choices"]]
    return Facts(
        stated={"max": best, "sigma0": dec(torch.sigmoid(t(0.0))), "tanh": whole(dt)},
        phrases=(f"σ′ = 0.5·0.5 = {best}",),
        correct=[i for i, v in enumerate(values) if v == best],
    )


@facts("mlp-choice-no-activation")
def _no_activation() -> Facts:
    net = nn.Sequential(nn.Linear(4, 3), nn.Linear(3, 5), nn.Linear(5, 2)).double()
    ws = [m.weight for m in net]  # type: ignore[union-attr]
    bs = [m.bias for m in net]  # type: ignore[union-attr]
    w = ws[2] @ ws[1] @ ws[0]
    b = ws[2] @ (ws[1] @ bs[0] + bs[1]) + bs[2]
    x = torch.randn(7, 4, dtype=D)
    assert torch.allclose(net(x), x @ w.T + b)
    assert int(torch.linalg.matrix_rank(w)) <= 2
    return Facts(correct=[0])  # option 0: exactly the affine maps


@facts("mlp-sigmoid-derivative")
def _sigmoid_deriv() -> Facts:
    x = t(2.0).requires_grad_()
    s = torch.sigmoid(x)
    (d,) = torch.autograd.grad(s, x)
    return Facts(
        stated={
            "denominator": dec(1 + torch.exp(-x.detach())),
            "s": dec(s),
            "1-s": dec(1 - s),
            "d": dec(d),
        },
        answer=num(d),
    )


@facts("mlp-forward-pass")
def _forward() -> Facts:
    hidden, out = nn.Linear(2, 2).double(), nn.Linear(2, 1).double()
    with torch.no_grad():
        hidden.weight.copy_(t([1.0, -1.0], [0.5, 1.0]))
        hidden.bias.copy_(t(0.0, -1.0))
        out.weight.copy_(t([1.0, 2.0]))
        out.bias.copy_(t(0.5))
    x = t(1.0, 2.0)
    pre = hidden(x)
    y = out(torch.relu(pre))
    return Facts(
        stated={"pre0": whole(pre[0]), "pre1": dec(pre[1]), "y": dec(y)},
        phrases=(f"({whole(pre[0])}, {dec(pre[1])})", f"h = (0, {dec(pre[1])})", f"= {dec(y)}"),
        givens=frozenset({"0.5"}),
        answer=num(y),
    )


@facts("mlp-backprop-sigmoid")
def _backprop_sigmoid() -> Facts:
    w, b = t(0.5).requires_grad_(), t(0.0).requires_grad_()
    x, y = 2.0, 1.0
    z = w * x + b
    z.retain_grad()
    yhat = torch.sigmoid(z)
    loss = 0.5 * (yhat - y) ** 2
    loss.backward()
    assert w.grad is not None and b.grad is not None and z.grad is not None
    yh = num(yhat)
    return Facts(
        stated={
            "yhat": dec(yh),
            "dyhat": dec(yh - y),
            "dsig": dec(yh * (1 - yh)),
            "dz": dec(z.grad),
            "dw": dec(w.grad),
            "db": dec(b.grad),
            "max": sigmoid_max_derivative(),
        },
        givens=frozenset({"0.5"}),
        answer=num(w.grad),
    )


@facts("mlp-param-count")
def _param_count() -> Facts:
    net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    per_layer = [sum(p.numel() for p in m.parameters()) for m in net]
    total = sum(per_layer)
    return Facts(
        stated={"l1": str(per_layer[0]), "l2": str(per_layer[2]), "total": str(total)},
        phrases=(f"{per_layer[0]:,} + {per_layer[2]:,} = {total:,}",),
        givens=frozenset({"784", "256"}),
        answer=total,
    )


# -------------------------------------------------------------------------------------------------
# The update rules as the cards write them, against torch.optim
# -------------------------------------------------------------------------------------------------


def manual_adam(lr: float, weight_decay: float = 0.0, decoupled: bool = False) -> torch.Tensor:
    """m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², bias correction, w ← w − η·m̂/(√v̂ + ε); the weight decay
    either added to g (Adam + L2) or applied as w ← w − ηλw (AdamW)."""
    a, b = quadratic_problem()
    b1, b2 = torch_defaults()["Adam"]["betas"]
    eps = torch_defaults()["Adam"]["eps"]
    w = torch.ones(3, dtype=D)
    m, v = torch.zeros(3, dtype=D), torch.zeros(3, dtype=D)
    for step in range(1, 7):
        g = a @ w + b
        if decoupled:
            w = w - lr * weight_decay * w
        else:
            g = g + weight_decay * w
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        mh, vh = m / (1 - b1**step), v / (1 - b2**step)
        w = w - lr * mh / (vh.sqrt() + eps)
    return w


def manual(rule: str, lr: float, steps: int = 6) -> torch.Tensor:
    """The other optimisers' update rules exactly as the cards state them."""
    a, b = quadratic_problem()
    w = torch.ones(3, dtype=D)
    state = torch.zeros(3, dtype=D)
    acc = torch.zeros(3, dtype=D)
    mu = 0.9
    d = torch_defaults()
    for _ in range(steps):
        g = a @ w + b
        if rule == "momentum":  # v ← μv + g, w ← w − ηv
            state = mu * state + g
            w = w - lr * state
        elif rule == "momentum-eta-inside":  # v ← μv + ηg, w ← w − v
            state = mu * state + lr * g
            w = w - state
        elif rule == "nesterov":  # v ← μv + g, w ← w − η(g + μv)
            state = mu * state + g
            w = w - lr * (g + mu * state)
        elif rule == "adagrad":  # G ← G + g², w ← w − η·g/(√G + ε)
            state = state + g**2
            w = w - lr * g / (state.sqrt() + d["Adagrad"]["eps"])
        elif rule == "rmsprop":  # s ← αs + (1 − α)g², w ← w − η·g/(√s + ε)
            alpha = d["RMSprop"]["alpha"]
            state = alpha * state + (1 - alpha) * g**2
            w = w - lr * g / (state.sqrt() + d["RMSprop"]["eps"])
        elif rule == "adadelta":  # s ← ρs + (1 − ρ)g², Δ = √(u + ε)/√(s + ε)·g, u ← ρu + (1 − ρ)Δ², w ← w − lr·Δ
            rho, eps = d["Adadelta"]["rho"], d["Adadelta"]["eps"]
            state = rho * state + (1 - rho) * g**2
            delta = (acc + eps).sqrt() / (state + eps).sqrt() * g
            acc = rho * acc + (1 - rho) * delta**2
            w = w - lr * delta
        else:
            raise ValueError(rule)
    return w


@pytest.mark.parametrize(
    ("rule", "make"),
    [
        ("momentum", lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.9)),
        ("momentum-eta-inside", lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.9)),
        ("nesterov", lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.9, nesterov=True)),
        ("adagrad", lambda p: torch.optim.Adagrad(p, lr=0.02)),
        ("rmsprop", lambda p: torch.optim.RMSprop(p, lr=0.02)),
        ("adadelta", lambda p: torch.optim.Adadelta(p, lr=0.02)),
    ],
)
def test_update_rules_match_torch_optim(rule: str, make: Callable[[list[nn.Parameter]], torch.optim.Optimizer]) -> None:
    assert torch.allclose(manual(rule, 0.02), trajectory(make), rtol=1e-10, atol=1e-12)


def test_adam_rules_match_torch_optim() -> None:
    lr, lam = 0.05, 0.1
    assert torch.allclose(manual_adam(lr), trajectory(lambda p: torch.optim.Adam(p, lr=lr)), atol=1e-12)
    l2 = trajectory(lambda p: torch.optim.Adam(p, lr=lr, weight_decay=lam))
    decoupled = trajectory(lambda p: torch.optim.AdamW(p, lr=lr, weight_decay=lam))
    assert torch.allclose(manual_adam(lr, lam, decoupled=False), l2, atol=1e-12)
    assert torch.allclose(manual_adam(lr, lam, decoupled=True), decoupled, atol=1e-12)
    assert not torch.allclose(l2, decoupled)
    # For plain SGD, L2 in the gradient and decoupled decay are the same update.
    sgd_l2 = trajectory(lambda p: torch.optim.SGD(p, lr=lr, weight_decay=lam))
    assert torch.allclose(sgd_l2, trajectory(lambda p: torch.optim.SGD(p, lr=lr), penalty=lam), atol=1e-12)


def test_gd_quadratic_theory() -> None:
    """0 < η < 2/λ_max converges, beyond diverges; η* = 2/(λ_min + λ_max) gives rate (κ − 1)/(κ + 1)."""
    for seed in range(3):
        a, _ = quadratic_problem(seed)
        eig = torch.linalg.eigvalsh(a)
        lo, hi = num(eig[0]), num(eig[-1])
        x0 = torch.ones(3, dtype=D)
        assert torch.linalg.vector_norm(gd(a, 0.97 * 2 / hi, 3000, x0)[-1]) < 1e-3
        assert torch.linalg.vector_norm(gd(a, 1.03 * 2 / hi, 3000, x0)[-1]) > 1e3
        best = 2 / (lo + hi)
        radius = num(torch.max(torch.abs(1 - best * eig)))
        assert math.isclose(radius, (hi / lo - 1) / (hi / lo + 1), rel_tol=1e-9)
        for other in (0.9 * best, 1.1 * best):
            assert num(torch.max(torch.abs(1 - other * eig))) > radius


# -------------------------------------------------------------------------------------------------
# Facts against the cards
# -------------------------------------------------------------------------------------------------


def test_registered_cards_exist() -> None:
    assert set(REGISTRY) <= set(load_cards())


@pytest.mark.parametrize("card_id", sorted(REGISTRY))
def test_stated_facts_appear_as_computed(card_id: str) -> None:
    q, f = card(card_id), REGISTRY[card_id]()
    for lang in ("en", "zh"):
        text = full_text(q, lang)
        found = numbers_in(text)
        missing = missing_stated(f, found)
        assert not missing, f"{card_id} ({lang}): computed values not in the card: {missing}"
        for name, value in f.stated.items():
            if value.startswith(MINUS):
                assert re.search(rf"[−-]{re.escape(unsigned(value))}(?!\d|\.\d)", text), f"{card_id} ({lang}): {name}"
        absent = missing_phrases(f, text, lang)
        assert not absent, f"{card_id} ({lang}): phrases missing: {absent}"
        # A negative value must never lose its sign (unless the same magnitude is also stated positive).
        positive = {v for v in f.stated.values() if not v.startswith(MINUS)} | set(f.givens)
        for name, value in f.stated.items():
            token = unsigned(value)
            if value.startswith(MINUS) and token not in positive and not is_structural(token):
                for m in re.finditer(rf"(?<![\d.]){re.escape(token)}(?!\d|\.\d)", text):
                    assert text[m.start() - 1] in "−-", f"{card_id} ({lang}): {name} written without its sign"


@pytest.mark.parametrize("card_id", sorted(load_cards()))
def test_every_number_is_checked(card_id: str) -> None:
    f = REGISTRY[card_id]() if card_id in REGISTRY else Facts()
    left = unchecked_by_lang(card(card_id), f, numbers_in)
    assert not left, f"{card_id}: numbers with no computed fact or given: {left}"


NUMERIC = sorted(cid for cid, q in load_cards().items() if q["kind"] == "numeric")


@pytest.mark.parametrize("card_id", NUMERIC)
def test_numeric_answers(card_id: str) -> None:
    q = card(card_id)
    assert card_id in REGISTRY, f"{card_id}: numeric card without a fact function"
    expected = REGISTRY[card_id]().answer
    given, computed = flat(q["answer"]), flat(expected)
    # Within the card's tolerance, and the computed value rounded to the decimals the card shows.
    assert not (bad := answer_mismatches(given, computed, q.get("tolerance", {}))), (card_id, bad)


# Choice cards whose right option is decided by a computation in their fact function; the others are
# judged by their explanation alone (a concept, not a number, decides them).
COMPUTED_CHOICES = (
    "linalg-choice-positive-definite",
    "linalg-choice-matmul-calls",
    "calc-choice-stationary",
    "calc-choice-steepest",
    "calc-choice-zero-eigenvalue",
    "gd-choice-lr-range",
    "opt-choice-decoupled-decay",
    "opt-choice-rmsprop-alpha",
    "linreg-choice-mseloss-default",
    "softmax-choice-shift",
    "softmax-choice-double-softmax",
    "softmax-choice-loss-inputs",
    "mlp-choice-sigmoid-derivative",
    "mlp-choice-no-activation",
)
EXPLAINED_CHOICES = (
    "linalg-choice-sparse-norm",
    "gd-choice-diverging-loss",
    "gd-choice-sgd-noise",
    "opt-choice-adagrad-weakness",
    "opt-choice-adam-parts",
    "linreg-choice-outliers",
    "linreg-choice-closed-form",
    "mlp-choice-bp-drawback",
)


def test_every_choice_card_is_classified() -> None:
    choice = {cid for cid, q in load_cards().items() if q["kind"] == "choice"}
    assert choice == set(COMPUTED_CHOICES) | set(EXPLAINED_CHOICES)


@pytest.mark.parametrize("card_id", COMPUTED_CHOICES)
def test_choice_answers(card_id: str) -> None:
    correct = REGISTRY[card_id]().correct
    assert correct is not None
    assert card(card_id)["correct"] == correct


def test_ids_topics_and_follow_ups() -> None:
    cards = load_cards()
    for cid, q in cards.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cid), cid
        assert cid.startswith(PREFIXES[q["topic"]]), (cid, q["topic"])
        for target in q.get("follow_ups", ()):
            assert target in cards and target != cid, f"{cid} → {target}"
    assert sum(len(q.get("follow_ups", ())) for q in cards.values()) >= 15


def test_coverage_per_topic() -> None:
    by_topic: dict[str, list[dict[str, Any]]] = {}
    for q in load_cards().values():
        by_topic.setdefault(q["topic"], []).append(q)
    assert set(by_topic) == set(PREFIXES)
    for topic, qs in by_topic.items():
        kinds = [q["kind"] for q in qs]
        assert len(qs) >= 12, topic
        assert kinds.count("concept") >= 6 and kinds.count("choice") >= 3 and kinds.count("numeric") >= 2, topic
        assert len({q["difficulty"] for q in qs}) >= 4, topic
    for q in load_cards().values():
        if q["kind"] == "concept":
            assert 3 <= len(q["key_points"]) <= 6, q["id"]
            assert all(kp.get("keywords", {}).get(lang) for kp in q["key_points"] for lang in ("en", "zh")), q["id"]
        if q["kind"] == "choice":
            assert q["explanation"]["en"] and q["explanation"]["zh"], q["id"]
