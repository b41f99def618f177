"""Neural-network and optimiser families against their torch oracles, plus hand-derived properties.

The oracles (quizforge/numeric/oracles/nn.py, optimizers.py) use torch.autograd, nn modules and real
torch.optim objects; the families compute with quizforge.numeric.ops. Property checks below come from
the textbook formulas (Adam's first step is lr·sign(g), batch-norm output has mean β and standard
deviation |γ|, ...), never from values copied out of the code under test.
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

NN_FAMILIES = {
    "softmax_values": "ml.softmax",
    "softmax_cross_entropy": "ml.softmax",
    "softmax_ce_gradient": "ml.softmax",
    "cross_entropy_onehot": "ml.softmax",
    "activation_derivative": "nn.mlp",
    "mlp_forward": "nn.mlp",
    "backprop_sigmoid_mse": "nn.mlp",
    "backprop_relu_ce": "nn.mlp",
    "dropout_inverted": "train.generalization",
    "batchnorm_forward": "train.batchnorm",
    "batchnorm_running_stats": "train.batchnorm",
}
OPTIM_FAMILIES = {
    name: "optim.algorithms"
    for name in (
        "sgd_momentum_step",
        "sgd_nesterov_step",
        "sgd_weight_decay_step",
        "adagrad_step",
        "rmsprop_step",
        "adadelta_step",
        "adam_step",
        "adamw_step",
    )
}
ALL = {**NN_FAMILIES, **OPTIM_FAMILIES}
SEEDS = range(300)
CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def instances(name: str, seeds: range = SEEDS) -> Iterator[Instance]:
    fam = get_family(name)
    for seed in seeds:
        yield fam.generate(seed)


def flat(answer: Any) -> list[float]:
    return [float(v) for v in np.ravel(np.asarray(answer, dtype=float))]


def test_registered_with_topics_and_oracles() -> None:
    registered, orcs = families(), oracles()
    for name, topic in ALL.items():
        assert name in registered and name in orcs, name
        assert registered[name].topic == topic, name
        assert registered[name].title.en and CJK.search(registered[name].title.zh), name


@pytest.mark.slow  # many seeds per family through torch
@pytest.mark.parametrize("name", list(ALL))
def test_family_agrees_with_torch_oracle(name: str) -> None:
    oracle = oracles()[name]
    for inst in instances(name):
        where = f"{name} seed {inst.seed} params {inst.params}"
        # The oracle sees the params as a script or the CLI would: after a JSON round trip.
        expected = oracle(json.loads(json.dumps(inst.params)))
        if inst.answer_kind is AnswerKind.NUMBER:
            assert isinstance(expected, float | int), where
        got, want = np.asarray(inst.answer, dtype=float), np.asarray(expected, dtype=float)
        assert got.shape == want.shape, where
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12, err_msg=where)
        # ...the registry's comparison (`quizforge validate`) agrees, so the family's tolerance accepts torch.
        assert answers_agree(inst.answer, expected, inst.answer_kind, inst.tolerance), where


@pytest.mark.parametrize("name", list(ALL))
def test_same_seed_same_instance(name: str) -> None:
    fam = get_family(name)
    for seed in (0, 1, 7, 12345, 2**31 - 1):
        a, b = fam.generate(seed), fam.generate(seed)
        assert a == b
        assert json.dumps(a.to_json(), sort_keys=True) == json.dumps(b.to_json(), sort_keys=True)
    assert len({json.dumps(i.params, sort_keys=True) for i in instances(name, range(40))}) >= 15


def _shown(v: float) -> str:
    """How prompts print a parameter value: integers without .0, a minus sign as "−"."""
    text = str(int(v)) if float(v).is_integer() else f"{v:.4f}".rstrip("0").rstrip(".")
    return "−" + text[1:] if text.startswith("-") else text


def _prompt_numbers(name: str, params: dict[str, Any]) -> list[str]:
    """Parameter values the prompt must show (indices, ε and ln-form logits are printed differently)."""
    skip = {"eps", "wrt", "network", "activation", "nesterov"}
    out: list[str] = []
    for key, value in params.items():
        if key in skip:
            continue
        values = flat(value)
        if key == "logits" and not all(v.is_integer() for v in values):
            continue  # shown as "ln 3", "2 + ln 5"
        if name == "activation_derivative":
            continue  # x may be ±ln k
        out.extend(_shown(v) for v in values)
    return out


@pytest.mark.parametrize("name", list(ALL))
def test_bilingual_prompts_with_the_numbers_and_worked_answer(name: str) -> None:
    for inst in instances(name, range(60)):
        for text in (inst.prompt, inst.solution):
            assert text.en.strip() and text.zh.strip()
            assert CJK.search(text.zh), text.zh
            assert not CJK.search(text.en), text.en
        for number in _prompt_numbers(name, inst.params):
            assert number in inst.prompt.en and number in inst.prompt.zh, (name, inst.seed, number)
        # The worked solution ends with the answer as the user should give it: the family's own
        # tolerance must accept the numbers shown there.
        for solution, marker in ((inst.solution.en, "Answer:"), (inst.solution.zh, "答案：")):
            tail = solution.rsplit(marker, 1)[1]
            shown = [float(s) for s in NUMBER.findall(tail)]
            expected = flat(inst.answer)
            assert len(shown) == len(expected), (name, inst.seed, tail)
            for s, e in zip(shown, expected, strict=True):
                assert inst.tolerance.accepts(s, e), (name, inst.seed, tail, expected)
        json.dumps(inst.to_json())


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(ALL)), st.integers(0, 2**63 - 1))
def test_any_seed_gives_a_finite_json_instance(name: str, seed: int) -> None:
    inst = get_family(name).generate(seed)
    assert all(math.isfinite(v) for v in flat(inst.answer))
    assert json.loads(json.dumps(inst.to_json()))["params"] == inst.params


# --- public contract: family and parameter names ------------------------------------------------------


def test_contract_softmax_cross_entropy() -> None:
    for inst in instances("softmax_cross_entropy", range(100)):
        p = inst.params
        assert set(p) == {"logits", "target"}
        assert isinstance(p["target"], int) and 0 <= p["target"] < len(p["logits"])
        # natural log of softmax: L = ln Σ e^z − z_t (computed here with the standard library)
        z = p["logits"]
        assert inst.answer == pytest.approx(math.log(sum(math.exp(v) for v in z)) - z[p["target"]], rel=1e-12)


def test_contract_sgd_momentum_step() -> None:
    for inst in instances("sgd_momentum_step", range(100)):
        p = inst.params
        assert set(p) == {"w", "grads", "lr", "momentum"}
        assert all(len(g) == len(p["w"]) for g in p["grads"])


def test_contract_adam_step() -> None:
    for inst in instances("adam_step", range(100)):
        p = inst.params
        assert set(p) == {"w", "grads", "lr", "beta1", "beta2", "eps"}
        assert all(len(g) == len(p["w"]) for g in p["grads"])


def test_contract_batchnorm_forward() -> None:
    for inst in instances("batchnorm_forward", range(100)):
        p = inst.params
        assert set(p) == {"x", "gamma", "beta", "eps"}
        x = np.asarray(p["x"], dtype=float)
        assert x.ndim == 2 and x.shape[1] == len(p["gamma"]) == len(p["beta"])
        assert np.asarray(inst.answer).shape == x.shape


# --- textbook properties, derived by hand -------------------------------------------------------------


def test_first_adaptive_steps_are_lr_sized() -> None:
    # Adam step 1: m̂ = g, v̂ = g², so w₁ = w₀ − lr·g/(|g| + ε) ≈ w₀ − lr·sign(g).
    # Adagrad step 1: G = g², so the same. RMSprop step 1: v = (1 − α)g², so the move is lr/√(1 − α).
    for name, size in (
        ("adam_step", lambda p: p["lr"]),
        ("adagrad_step", lambda p: p["lr"]),
        ("rmsprop_step", lambda p: p["lr"] / math.sqrt(1 - p["alpha"])),
    ):
        seen = 0
        for inst in instances(name, range(200)):
            p = inst.params
            if len(p["grads"]) != 1:
                continue
            seen += 1
            w0, g = np.array(p["w"]), np.array(p["grads"][0])
            np.testing.assert_allclose(flat(inst.answer), w0 - size(p) * np.sign(g), atol=1e-6)
        assert seen >= 20, name


def test_adamw_decays_before_the_sign_step() -> None:
    # One step from w with gradient g: AdamW gives (1 − lr·λ)·w − lr·sign(g); Adam with L2 gives
    # w − lr·sign(g + λ·w).
    for inst in instances("adamw_step", range(100)):
        p = inst.params
        w, g, lr, lam = p["w"][0], p["grads"][0][0], p["lr"], p["weight_decay"]
        expected = [(1 - lr * lam) * w - lr * np.sign(g), w - lr * np.sign(g + lam * w)]
        np.testing.assert_allclose(inst.answer, expected, atol=1e-6)


def test_sgd_momentum_first_step_uses_the_gradient_as_buffer() -> None:
    # Two steps: b₁ = g₁, b₂ = μ·g₁ + g₂, so w₂ = w₀ − lr·((1 + μ)·g₁ + g₂).
    seen = 0
    for inst in instances("sgd_momentum_step", range(100)):
        p = inst.params
        if len(p["grads"]) != 2:
            continue
        seen += 1
        g1, g2 = np.array(p["grads"][0]), np.array(p["grads"][1])
        expected = np.array(p["w"]) - p["lr"] * ((1 + p["momentum"]) * g1 + g2)
        np.testing.assert_allclose(flat(inst.answer), expected, rtol=1e-12, atol=1e-12)
    assert seen >= 30


def test_batchnorm_output_has_mean_beta_and_std_gamma() -> None:
    for inst in instances("batchnorm_forward", range(100)):
        y = np.asarray(inst.answer)
        gamma, beta = np.array(inst.params["gamma"]), np.array(inst.params["beta"])
        np.testing.assert_allclose(y.mean(axis=0), beta, atol=1e-9)
        np.testing.assert_allclose(y.std(axis=0), np.abs(gamma), rtol=1e-4)  # ε = 1e-5 shrinks it a hair


def test_softmax_gradient_sums_to_zero_and_is_negative_only_at_target() -> None:
    for inst in instances("softmax_ce_gradient", range(100)):
        grad = np.array(inst.answer)
        assert abs(grad.sum()) < 1e-12
        assert [i for i, v in enumerate(grad) if v < 0] == [inst.params["target"]]


def test_dropout_scales_kept_units_by_inverse_keep_probability() -> None:
    for inst in instances("dropout_inverted", range(100)):
        p = inst.params
        for x, m, y in zip(p["x"], p["mask"], inst.answer, strict=True):  # type: ignore[arg-type]
            assert y == pytest.approx(x / (1 - p["p"]) if m else 0.0)
