"""Maths, gradient-descent and training families against their torch oracles, plus hand-derived anchors.

The families (quizforge/numeric/families/maths.py, training.py) compute with exact integer/fraction
arithmetic and NumPy; the oracles (quizforge/numeric/oracles/maths.py, training.py) use torch.linalg,
torch.autograd, torch.optim.SGD, torch.sigmoid and torch.nn.init. The anchors below are worked out by hand
in the comments, never copied from the code under test.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizforge.answer import AnswerKind
from quizforge.numeric.base import Instance, answers_agree, families, get_family
from quizforge.numeric.oracle import oracles

pytestmark = pytest.mark.torch

torch = pytest.importorskip("torch")

FAMILIES = {
    "dot_product": "math.linalg",
    "vector_norm": "math.linalg",
    "frobenius_norm": "math.linalg",
    "eigenvalues_2x2": "math.linalg",
    "inverse_2x2": "math.linalg",
    "definiteness_2x2": "math.linalg",
    "gradient_at_point": "math.calculus",
    "hessian_2x2": "math.calculus",
    "stationary_point_type": "math.calculus",
    "directional_derivative": "math.calculus",
    "taylor_expansion": "math.calculus",
    "gd_lr_bound": "optim.gd",
    "gd_optimal_lr": "optim.gd",
    "gd_steps": "optim.gd",
    "linreg_gd_step": "ml.linear",
    "weight_decay_step": "train.generalization",
    "sigmoid_gradient_bound": "train.stability",
    "init_variance": "train.stability",
}
SEEDS = range(300)
CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def instances(name: str, seeds: range = SEEDS) -> Iterator[Instance]:
    fam = get_family(name)
    for seed in seeds:
        yield fam.generate(seed)


def flat(answer: Any) -> list[float]:
    return [float(v) for v in np.ravel(np.asarray(answer, dtype=float))]


def oracle(name: str, params: dict[str, Any]) -> Any:
    return oracles()[name](params)


def test_registered_with_topics_and_oracles() -> None:
    registered, orcs = families(), oracles()
    for name, topic in FAMILIES.items():
        assert name in registered and name in orcs, name
        assert registered[name].topic == topic, name
        assert 1 <= registered[name].difficulty <= 5
        assert registered[name].title.en and CJK.search(registered[name].title.zh), name


@pytest.mark.slow  # many seeds per family through torch
@pytest.mark.parametrize("name", list(FAMILIES))
def test_family_agrees_with_torch_oracle(name: str) -> None:
    orc = oracles()[name]
    for inst in instances(name):
        where = f"{name} seed {inst.seed} params {inst.params}"
        # The oracle sees the params as a script or the CLI would: after a JSON round trip.
        expected = orc(json.loads(json.dumps(inst.params)))
        if inst.answer_kind is AnswerKind.NUMBER:
            assert isinstance(expected, float | int), where
        got, want = np.asarray(inst.answer, dtype=float), np.asarray(expected, dtype=float)
        assert got.shape == want.shape, where
        if inst.answer_kind is not AnswerKind.CHOICE:
            np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9, err_msg=where)
        assert answers_agree(inst.answer, expected, inst.answer_kind, inst.tolerance), where


@pytest.mark.parametrize("name", list(FAMILIES))
def test_same_seed_same_instance(name: str) -> None:
    fam = get_family(name)
    for seed in (0, 1, 7, 12345, 2**31 - 1):
        a, b = fam.generate(seed), fam.generate(seed)
        assert a == b
        assert json.dumps(a.to_json(), sort_keys=True) == json.dumps(b.to_json(), sort_keys=True)
    assert len({json.dumps(i.params, sort_keys=True) for i in instances(name, range(40))}) >= 12


def _shown(v: float) -> str:
    """How prompts print a parameter value: integers without .0, a minus sign as "−"."""
    text = str(int(v)) if float(v).is_integer() else f"{v:.4f}".rstrip("0").rstrip(".")
    return "−" + text[1:] if text.startswith("-") else text


# Parameters printed verbatim in the prompt (polynomial coefficients, ln-form pre-activations and
# 1-D linear coefficients are written as formulas instead).
_PROMPT_KEYS = {"a", "x", "y", "A", "point", "x0", "w", "grad", "lr", "lambda", "n_in", "n_out", "direction"}


@pytest.mark.parametrize("name", list(FAMILIES))
def test_bilingual_prompts_with_the_numbers_and_worked_answer(name: str) -> None:
    for inst in instances(name, range(60)):
        for text in (inst.prompt, inst.solution):
            assert text.en.strip() and text.zh.strip()
            assert CJK.search(text.zh), text.zh
            assert not CJK.search(text.en), text.en
        for key, value in inst.params.items():
            if name == "gd_steps" and key == "A" and len(value) == 1:
                continue  # f(x) = ½a·x² is written simplified: x², 1.5x², 2x²
            if key in _PROMPT_KEYS:
                for number in (_shown(v) for v in flat(value)):
                    assert number in inst.prompt.en and number in inst.prompt.zh, (name, inst.seed, key, number)
        if name == "dot_product":
            for number in (_shown(v) for v in inst.params["b"]):
                assert number in inst.prompt.en
        for solution, marker in ((inst.solution.en, "Answer:"), (inst.solution.zh, "答案：")):
            tail = solution.rsplit(marker, 1)[1]
            if inst.answer_kind is AnswerKind.CHOICE:
                (idx,) = flat(inst.answer)
                option = inst.choices[int(idx)]
                assert tail.strip() == (option.en if marker == "Answer:" else option.zh), (name, inst.seed)
                continue
            shown = [float(s) for s in NUMBER.findall(tail)]
            expected = flat(inst.answer)
            assert len(shown) == len(expected), (name, inst.seed, tail)
            for s, e in zip(shown, expected, strict=True):
                assert inst.tolerance.accepts(s, e), (name, inst.seed, tail, expected)
        if inst.answer_kind is AnswerKind.CHOICE:
            assert all(c.en and CJK.search(c.zh) for c in inst.choices)
        json.dumps(inst.to_json())
        json.dumps(inst.to_json("zh"))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(FAMILIES)), st.integers(0, 2**63 - 1))
def test_any_seed_gives_a_finite_json_instance(name: str, seed: int) -> None:
    inst = get_family(name).generate(seed)
    assert all(math.isfinite(v) for v in flat(inst.answer))
    assert json.loads(json.dumps(inst.to_json()))["params"] == inst.params


# --- hand-derived anchors (on the oracles, with params written out here) -----------------------------


def test_linalg_anchors() -> None:
    # (1,2,3)·(2,3,4) = 2 + 6 + 12 = 20
    assert oracle("dot_product", {"a": [1, 2, 3], "b": [2, 3, 4]}) == pytest.approx(20)
    # x = (3, -4): ‖x‖₁ = 7, ‖x‖₂ = √(9 + 16) = 5, ‖x‖∞ = 4
    for norm, want in (("l1", 7), ("l2", 5), ("linf", 4)):
        assert oracle("vector_norm", {"x": [3, -4], "norm": norm}) == pytest.approx(want)
    # ‖[1 2; 2 4]‖_F = √(1 + 4 + 4 + 16) = 5
    assert oracle("frobenius_norm", {"A": [[1, 2], [2, 4]]}) == pytest.approx(5)
    # [2 1; 1 2]: tr 4, det 3 → λ² − 4λ + 3 = (λ − 1)(λ − 3)
    assert oracle("eigenvalues_2x2", {"A": [[2, 1], [1, 2]]}) == pytest.approx([1, 3])
    # [2 1; 1 1] has det 1, so the inverse is the adjugate [1 −1; −1 2]
    np.testing.assert_allclose(oracle("inverse_2x2", {"A": [[2, 1], [1, 1]]}), [[1, -1], [-1, 2]], atol=1e-12)
    options = ["positive_definite", "positive_semidefinite", "negative_definite", "negative_semidefinite", "indefinite"]
    # [2 1; 1 2]: D₁ = 2 > 0, D₂ = 3 > 0 → PD; [1 2; 2 1]: det −3 → indefinite; [1 1; 1 1]: det 0, tr 2 → PSD
    for m, want in (([[2, 1], [1, 2]], 0), ([[1, 2], [2, 1]], 4), ([[1, 1], [1, 1]], 1), ([[-1, 0], [0, -3]], 2)):
        assert oracle("definiteness_2x2", {"A": m, "options": options}) == [want]


def test_calculus_anchors() -> None:
    # f = x²y + y³ at (1, 2): ∂f/∂x = 2xy = 4, ∂f/∂y = x² + 3y² = 1 + 12 = 13
    f = [[1, 2, 1], [1, 0, 3]]
    assert oracle("gradient_at_point", {"terms": f, "point": [1, 2]}) == pytest.approx([4, 13])
    # f = x³ + xy at (1, 0): f_xx = 6x = 6, f_xy = 1, f_yy = 0
    h = oracle("hessian_2x2", {"terms": [[1, 3, 0], [1, 1, 1]], "point": [1, 0]})
    np.testing.assert_allclose(h, [[6, 1], [1, 0]], atol=1e-12)
    options = ["minimum", "maximum", "saddle", "inconclusive"]
    # x² − y²: H = diag(2, −2) → saddle; x² + y² → minimum; −x² − y² → maximum; x⁴ + y²: H = diag(0, 2)
    for terms, want in (
        ([[1, 2, 0], [-1, 0, 2]], 2),
        ([[1, 2, 0], [1, 0, 2]], 0),
        ([[-1, 2, 0], [-1, 0, 2]], 1),
        ([[1, 4, 0], [1, 0, 2]], 3),
    ):
        assert oracle("stationary_point_type", {"terms": terms, "point": [0, 0], "options": options}) == [want]
    # f = x² + y² at (1, 2): ∇f = (2, 4); along v = (3, 4), u = (0.6, 0.8): 1.2 + 3.2 = 4.4; steepest √20
    circle = {"terms": [[1, 2, 0], [1, 0, 2]], "point": [1, 2]}
    along = {**circle, "mode": "directional", "direction": [3, 4]}
    assert oracle("directional_derivative", along) == pytest.approx(4.4)
    assert oracle("directional_derivative", {**circle, "mode": "steepest"}) == pytest.approx(math.sqrt(20))
    # √5 ≈ √4 + 1/(2·2)·1 − 1/(8·4^(3/2))·1 = 2 + 0.25 − 1/64 = 2.234375 (first order: 2.25)
    sqrt5 = {"function": "sqrt", "a": 4, "h": 1}
    assert oracle("taylor_expansion", {**sqrt5, "order": 2}) == pytest.approx(2.234375)
    assert oracle("taylor_expansion", {**sqrt5, "order": 1}) == pytest.approx(2.25)


def test_training_anchors() -> None:
    # A = diag(1, 4): GD converges iff η < 2/4 = 0.5; best η = 2/(1 + 4) = 0.4
    assert oracle("gd_lr_bound", {"A": [[1, 0], [0, 4]]}) == pytest.approx(0.5)
    assert oracle("gd_optimal_lr", {"A": [[1, 0], [0, 4]]}) == pytest.approx(0.4)
    # f = ½·2x² from x = 1, η = 0.25: f′ = 2, x₁ = 1 − 0.5 = 0.5
    one = {"A": [[2]], "b": [0], "x0": [1], "lr": 0.25, "steps": 1}
    assert oracle("gd_steps", one) == pytest.approx(0.5)
    # data (1, 1), (2, 2), w = b = 0: residuals (−1, −2); with L = 1/(2n)Σr²: ∂w = (−1 − 4)/2 = −2.5,
    # ∂b = −3/2; η = 0.1 → (0.25, 0.15). nn.MSELoss doubles the gradient → (0.5, 0.3).
    data = {"x": [1, 2], "y": [1, 2], "w": 0, "b": 0, "lr": 0.1}
    assert oracle("linreg_gd_step", {**data, "loss": "half"}) == pytest.approx([0.25, 0.15])
    assert oracle("linreg_gd_step", {**data, "loss": "mse"}) == pytest.approx([0.5, 0.3])
    # w = 2, ∇L = 1, η = 0.1, λ = 0.5: (λ/2)‖w‖² → 0.95·2 − 0.1 = 1.8; λ‖w‖² → 0.9·2 − 0.1 = 1.7
    wd = {"w": [2], "grad": [1], "lr": 0.1, "lambda": 0.5}
    assert oracle("weight_decay_step", {**wd, "penalty": "half"}) == pytest.approx(1.8)
    assert oracle("weight_decay_step", {**wd, "penalty": "full"}) == pytest.approx(1.7)
    # σ′ ≤ σ′(0) = 1/4: three layers keep at most 0.25³ = 0.015625; 0.25³ ≥ 0.01 > 0.25⁴, so 4 layers
    assert oracle("sigmoid_gradient_bound", {"mode": "bound", "layers": 3}) == pytest.approx(0.015625, rel=1e-9)
    assert oracle("sigmoid_gradient_bound", {"mode": "layers", "below_exponent": -2}) == 4
    # z = (0, ln 3): σ′(0) = 1/4, σ(ln 3) = 3/4 so σ′ = 3/16; product 3/64 = 0.046875
    chain = {"mode": "product", "pre_activations": [0.0, math.log(3)]}
    assert oracle("sigmoid_gradient_bound", chain) == pytest.approx(0.046875)
    # Kaiming: Var = 2/50 = 0.04, std for fan_in 8 = √(1/4) = 0.5; Xavier: 2/(60 + 40) = 0.02, √(6/150) = 0.2
    for mode, n_in, n_out, want in (
        ("kaiming_var", 50, 10, 0.04),
        ("kaiming_std", 8, 3, 0.5),
        ("xavier_var", 60, 40, 0.02),
        ("xavier_bound", 100, 50, 0.2),
    ):
        assert oracle("init_variance", {"mode": mode, "n_in": n_in, "n_out": n_out}) == pytest.approx(want)


# --- properties of the generated instances, from the textbook formulas --------------------------------


def test_family_answers_follow_the_textbook_formulas() -> None:
    for inst in instances("dot_product", range(100)):
        assert inst.answer == sum(a * b for a, b in zip(inst.params["a"], inst.params["b"], strict=True))
    for inst in instances("init_variance", range(100)):
        n_in, n_out, mode = inst.params["n_in"], inst.params["n_out"], inst.params["mode"]
        want = {
            "xavier_var": 2 / (n_in + n_out),
            "xavier_bound": math.sqrt(6 / (n_in + n_out)),
            "kaiming_var": 2 / n_in,
            "kaiming_std": math.sqrt(2 / n_in),
        }[mode]
        assert inst.answer == pytest.approx(want, rel=1e-12)
    for inst in instances("sigmoid_gradient_bound", range(100)):
        if inst.params["mode"] == "bound":
            assert inst.answer == pytest.approx(0.25 ** inst.params["layers"], rel=1e-12)
    for inst in instances("eigenvalues_2x2", range(100)):
        a = np.array(inst.params["A"], dtype=float)
        lam = flat(inst.answer)
        assert lam == sorted(lam) and all(v.is_integer() for v in lam)
        assert sum(lam) == pytest.approx(np.trace(a)) and np.prod(lam) == pytest.approx(np.linalg.det(a))
    for inst in instances("inverse_2x2", range(100)):
        a = np.array(inst.params["A"], dtype=float)
        np.testing.assert_allclose(a @ np.array(inst.answer), np.eye(2), atol=1e-12)
        assert round(abs(np.linalg.det(a))) in (1, 2, 4)


def test_gd_bound_is_where_torch_sgd_stops_converging() -> None:
    # Just below 2/λ_max the iterates shrink; just above they blow up.
    for inst in instances("gd_lr_bound", range(15)):
        a = torch.tensor(inst.params["A"], dtype=torch.float64)
        norms = []
        for scale in (0.97, 1.03):
            x = torch.nn.Parameter(torch.tensor([1.0, 0.3], dtype=torch.float64))  # not an eigenvector
            opt = torch.optim.SGD([x], lr=scale * flat(inst.answer)[0])
            for _ in range(400):
                (x.grad,) = torch.autograd.grad(0.5 * x @ a @ x, x)
                opt.step()
            norms.append(float(x.detach().norm()))
        assert norms[0] < 1e-3 and norms[1] > 1e3, (inst.params, norms)


def test_gd_optimal_lr_minimises_the_contraction_factor() -> None:
    for inst in instances("gd_optimal_lr", range(50)):
        lam = np.linalg.eigvalsh(np.array(inst.params["A"], dtype=float))

        def rho(eta: float, lam: np.ndarray[Any, Any] = lam) -> float:
            return float(np.abs(1 - eta * lam).max())

        (best,) = flat(inst.answer)
        assert rho(best) < rho(best * 0.98) and rho(best) < rho(best * 1.02)
        assert rho(best) == pytest.approx((lam.max() - lam.min()) / (lam.max() + lam.min()))


def test_weight_decay_equals_sgd_weight_decay() -> None:
    # L(w) + (λ/2)‖w‖² is SGD(weight_decay=λ); L(w) + λ‖w‖² is SGD(weight_decay=2λ).
    seen = set()
    for inst in instances("weight_decay_step", range(100)):
        p = inst.params
        seen.add(p["penalty"])
        w = torch.nn.Parameter(torch.tensor(p["w"], dtype=torch.float64))
        decay = p["lambda"] if p["penalty"] == "half" else 2 * p["lambda"]
        opt = torch.optim.SGD([w], lr=p["lr"], weight_decay=decay)
        w.grad = torch.tensor(p["grad"], dtype=torch.float64)
        opt.step()
        np.testing.assert_allclose(flat(inst.answer), w.detach().numpy(), rtol=1e-12, atol=1e-12)
    assert seen == {"half", "full"}


def test_init_scale_matches_empirical_torch_init() -> None:
    # Draw many weights with torch.nn.init itself and compare the sample variance / range.
    gen = torch.Generator().manual_seed(0)
    done: set[str] = set()
    for inst in instances("init_variance", range(40)):
        mode, n_in, n_out = inst.params["mode"], inst.params["n_in"], inst.params["n_out"]
        if mode in done:
            continue
        done.add(mode)
        samples: list[Any] = []
        while sum(s.numel() for s in samples) < 200_000:
            w = torch.empty(n_out, n_in, dtype=torch.float64)
            if mode.startswith("xavier"):
                torch.nn.init.xavier_uniform_(w, generator=gen)
            else:
                torch.nn.init.kaiming_normal_(w, nonlinearity="relu", generator=gen)
            samples.append(w.flatten())
        values = torch.cat(samples)
        (answer,) = flat(inst.answer)
        if mode == "xavier_bound":
            assert float(values.abs().max()) <= answer and float(values.abs().max()) > 0.99 * answer
        else:
            var = answer if mode.endswith("var") else answer**2
            assert float(values.var()) == pytest.approx(var, rel=0.03), mode
    assert done == {"xavier_var", "xavier_bound", "kaiming_var", "kaiming_std"}


def test_taylor_orders_are_distinguishable() -> None:
    # A first-order answer must not pass for a second-order question (and vice versa).
    for inst in instances("taylor_expansion", range(150)):
        other = dict(inst.params, order=3 - inst.params["order"])
        assert not inst.tolerance.accepts(oracle("taylor_expansion", other), flat(inst.answer)[0]), inst.params


def test_choice_families_cover_every_class() -> None:
    for name, n_options in (("definiteness_2x2", 5), ("stationary_point_type", 4)):
        got = {int(flat(inst.answer)[0]) for inst in instances(name, range(100))}
        assert got == set(range(n_options)), name
