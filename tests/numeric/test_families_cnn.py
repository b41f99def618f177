"""CNN and architecture families: every family against its torch oracle, plus hand-checked anchors.

The oracles (quizforge/numeric/oracles/cnn.py, architectures.py) build real torch layers and run tensors
through them; the families compute with NumPy and closed-form formulas. Anchors below are derived by
hand in the comments (SYLLABUS facts), never copied from the code under test.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

from quizforge.answer import AnswerKind
from quizforge.numeric.base import Instance, answers_agree, families, get_family
from quizforge.numeric.oracle import oracles

pytestmark = pytest.mark.torch

CNN_FAMILIES = [
    "conv_output_size",
    "conv2d_forward",
    "conv_params",
    "conv_macs",
    "conv_output_shape",
    "max_pool2d",
    "avg_pool2d",
    "pool_output_size",
    "global_avg_pool",
    "receptive_field",
    "stacked_3x3_vs_big",
    "bottleneck_1x1_savings",
    "conv1x1_params",
    "fc_on_image_params",
]
ARCH_FAMILIES = [
    "depthwise_separable_ratio",
    "depthwise_separable_cost",
    "densenet_channels",
    "lenet_shapes",
    "alexnet_shapes",
    "vgg_shapes",
    "module_param_count",
    "matmul_shape",
]
ALL = CNN_FAMILIES + ARCH_FAMILIES
SEEDS = range(300)
CJK = re.compile(r"[\u4e00-\u9fff]")


def instances(name: str, seeds: range = SEEDS) -> Iterator[Instance]:
    fam = get_family(name)
    for seed in seeds:
        yield fam.generate(seed)


def find(name: str, pred: Callable[[dict[str, Any]], bool], limit: int = 20_000) -> Instance:
    """The first instance (by seed) whose params satisfy ``pred``."""
    for inst in instances(name, range(limit)):
        if pred(inst.params):
            return inst
    raise AssertionError(f"no seed below {limit} of {name} satisfies the predicate")


def assert_matches(inst: Instance, expected: Any) -> None:
    where = f"{inst.family} seed {inst.seed} params {inst.params}"
    kind = inst.answer_kind
    if kind is AnswerKind.NUMBER:
        assert isinstance(expected, int | float), where
        assert math.isclose(float(inst.answer), float(expected), rel_tol=1e-9, abs_tol=1e-12), (  # type: ignore[arg-type]
            f"{where}: family {inst.answer} vs torch {expected}"
        )
        if isinstance(expected, int):
            assert inst.answer == expected, where
    elif kind is AnswerKind.SHAPE:
        assert inst.answer == tuple(expected), f"{where}: family {inst.answer} vs torch {expected}"
    elif kind in (AnswerKind.MATRIX, AnswerKind.VECTOR):
        got = np.asarray(inst.answer, dtype=float)
        want = np.asarray(expected, dtype=float)
        assert got.shape == want.shape, f"{where}: shape {got.shape} vs torch {want.shape}"
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=where)
    else:
        assert list(inst.answer) == list(expected), f"{where}: family {inst.answer} vs torch {expected}"  # type: ignore[arg-type]


def test_all_families_registered_with_oracles() -> None:
    registered = families()
    orcs = oracles()
    for name in ALL:
        assert name in registered, name
        assert name in orcs, name
    topics = {name: registered[name].topic for name in ALL}
    assert {t for t in topics.values()} >= {
        "cnn.conv",
        "cnn.pool",
        "cnn.receptive_field",
        "cnn.1x1",
        "cnn.why",
        "arch.mobile",
        "arch.densenet",
        "arch.lenet",
        "arch.alexnet",
        "arch.vgg",
        "torch.basics",
        "math.linalg",
    }


@pytest.mark.slow  # many seeds per family through torch
@pytest.mark.parametrize("name", ALL)
def test_family_agrees_with_torch_oracle(name: str) -> None:
    oracle = oracles()[name]
    for inst in instances(name):
        # The oracle sees the params as a script or the CLI would: after a JSON round trip.
        params = json.loads(json.dumps(inst.params))
        expected = oracle(params)
        assert_matches(inst, expected)
        # ...and the registry's comparison (used by `quizforge validate`) agrees.
        assert answers_agree(inst.answer, expected, inst.answer_kind, inst.tolerance)
        # The family's own tolerance must accept torch's value.
        if inst.answer_kind is AnswerKind.NUMBER:
            assert inst.tolerance.accepts(float(expected), float(inst.answer))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ALL)
def test_same_seed_same_instance(name: str) -> None:
    fam = get_family(name)
    for seed in (0, 1, 7, 12345, 2**31 - 1):
        a, b = fam.generate(seed), fam.generate(seed)
        assert a == b
        assert json.dumps(a.to_json(), sort_keys=True) == json.dumps(b.to_json(), sort_keys=True)
    # and different seeds give different questions
    assert len({json.dumps(i.params, sort_keys=True) for i in instances(name, range(40))}) >= 5


@pytest.mark.parametrize("name", ALL)
def test_bilingual_and_worked(name: str) -> None:
    for inst in instances(name, range(60)):
        for text in (inst.prompt, inst.solution):
            assert text.en.strip() and text.zh.strip()
            assert CJK.search(text.zh), text.zh
            assert not CJK.search(text.en), text.en
        for choice in inst.choices:
            assert choice.en.strip() and choice.zh.strip()
        json.dumps(inst.to_json())
        # The worked solution ends with the actual answer, in both languages.
        if inst.answer_kind is AnswerKind.NUMBER and isinstance(inst.answer, int):
            shown = f"{inst.answer:,}"
        elif inst.answer_kind is AnswerKind.SHAPE:
            shown = "×".join(map(str, inst.answer))  # type: ignore[arg-type]
        else:
            continue
        assert shown in inst.solution.en and shown in inst.solution.zh, (inst.family, inst.seed, shown)


# --- the public contract: family and parameter names ------------------------------------------------


def test_contract_conv_output_size() -> None:
    for inst in instances("conv_output_size", range(100)):
        assert set(inst.params) == {"n", "f", "p", "s", "d"}
        assert all(isinstance(v, int) for v in inst.params.values())
    assert any(i.params["d"] > 1 for i in instances("conv_output_size", range(100)))


def test_contract_conv2d_forward() -> None:
    ranks = set()
    for inst in instances("conv2d_forward", range(100)):
        p = inst.params
        assert set(p) == {"input", "kernel", "bias", "stride", "padding"}
        x, w = np.asarray(p["input"]), np.asarray(p["kernel"])
        assert x.ndim == w.ndim in (2, 3)
        assert x.min() >= -2 and x.max() <= 3 and w.min() >= -2 and w.max() <= 3
        assert isinstance(p["bias"], int)
        ranks.add(x.ndim)
        assert np.asarray(inst.answer).ndim == 2
    assert ranks == {2, 3}


@pytest.mark.parametrize("name", ["max_pool2d", "avg_pool2d"])
def test_contract_pools(name: str) -> None:
    for inst in instances(name, range(100)):
        assert set(inst.params) == {"input", "kernel_size", "stride"}
        assert np.asarray(inst.params["input"]).ndim == 2


def test_contract_conv_params() -> None:
    seen = set()
    for inst in instances("conv_params", range(100)):
        assert set(inst.params) == {"c_in", "c_out", "k", "bias"}
        assert isinstance(inst.params["bias"], bool)
        seen.add(inst.params["bias"])
    assert seen == {True, False}


def test_contract_receptive_field() -> None:
    for inst in instances("receptive_field", range(100)):
        assert set(inst.params) == {"layers"}
        assert all(set(layer) == {"k", "s"} for layer in inst.params["layers"])


def test_contract_depthwise_separable_ratio() -> None:
    for inst in instances("depthwise_separable_ratio", range(100)):
        assert set(inst.params) == {"k", "c_in", "c_out"}


# --- hand-checked anchors (SYLLABUS) ---------------------------------------------------------------


def test_anchor_conv_params_57() -> None:
    # 3×3 conv from 2 to 3 channels: 3·3·2 = 18 weights per output channel, × 3 = 54, + 3 biases = 57
    # (not 60: PyTorch has one bias per output channel, not per channel pair).
    params = {"c_in": 2, "c_out": 3, "k": 3, "bias": True}
    assert oracles()["conv_params"](params) == 57
    inst = find("conv_params", lambda p: p == params)
    assert inst.answer == 57
    assert "57" in inst.solution.en and "57" in inst.solution.zh


def test_anchor_lenet() -> None:
    # 32 → C1 (5×5): 28 → S2: 14 → C3 (5×5): 10 → S4: 5 → C5 (5×5): 1; then 84 and 10 units.
    shapes = {
        "C1": (6, 28, 28),
        "S2": (6, 14, 14),
        "C3": (16, 10, 10),
        "S4": (16, 5, 5),
        "C5": (120, 1, 1),
        "F6": (84,),
        "output": (10,),
    }
    # (k·k·c_in + 1)·c_out: (25 + 1)·6, (150 + 1)·16, (400 + 1)·120; (120 + 1)·84; (84 + 1)·10.
    params = {"C1": 156, "C3": 2_416, "C5": 48_120, "F6": 10_164, "output": 850}
    seen_shape, seen_params = set(), set()
    for inst in instances("lenet_shapes", range(600)):
        p = inst.params
        if p["input_size"] not in (32, 28):
            continue
        if p["ask"] == "shape":
            assert inst.answer == shapes[p["layer"]], p
            seen_shape.add(p["layer"])
        else:
            assert inst.answer == params[p["layer"]], p
            seen_params.add(p["layer"])
    assert seen_shape == set(shapes) and seen_params == set(params)


def test_anchor_fc_on_image() -> None:
    # 32·32·3 = 3,072 weights for one neuron; × 4,096 units = 12,582,912 ≈ 12.6 M.
    one = find("fc_on_image_params", lambda p: (p["h"], p["c"], p["ask"]) == (32, 3, "neuron"))
    assert one.answer == 3_072
    layer = find("fc_on_image_params", lambda p: (p["h"], p["c"], p["units"]) == (32, 3, 4096))
    assert layer.answer == 12_582_912
    assert "12.6 M" in layer.solution.en


@pytest.mark.parametrize(
    ("n", "rf", "stack", "big"),
    [(2, 5, 18, 25), (3, 7, 27, 49)],  # two 3×3 see 5×5 with 18C² vs 25C²; three see 7×7, 27C² vs 49C²
)
def test_anchor_stacked_3x3(n: int, rf: int, stack: int, big: int) -> None:
    c = 64
    for ask, want in (("receptive_field", rf), ("stack_weights", stack * c * c), ("big_weights", big * c * c)):
        params = {"n": n, "c": c, "ask": ask}
        assert oracles()["stacked_3x3_vs_big"](params) == want
        assert find("stacked_3x3_vs_big", lambda p, params=params: p == params).answer == want


def test_anchor_receptive_field_recurrence() -> None:
    # conv3/1, conv3/1, pool2/2, conv3/1: r = 1 → 3 → 5 → 6 (j becomes 2) → 6 + 2·2 = 10.
    layers = [{"k": 3, "s": 1}, {"k": 3, "s": 1}, {"k": 2, "s": 2}, {"k": 3, "s": 1}]
    assert oracles()["receptive_field"]({"layers": layers}) == 10
    from quizforge.numeric.families.cnn import receptive_field_steps

    assert receptive_field_steps(layers)[0] == 10


def test_anchor_inception_bottleneck() -> None:
    # 28×28×192 → 32 with 5×5: 28·28·32·25·192 = 120,422,400 ≈ 120.4 M;
    # via 16 channels: 28·28·16·192 + 28·28·32·25·16 = 2,408,448 + 10,035,200 = 12,443,648 ≈ 12.4 M.
    base = {"h": 28, "w": 28, "c_in": 192, "c_mid": 16, "c_out": 32, "k": 5}
    for ask, exact in (("direct", 120_422_400), ("bottleneck", 12_443_648)):
        inst = find("bottleneck_1x1_savings", lambda p, ask=ask: p == {**base, "ask": ask}, limit=50_000)
        assert inst.answer == pytest.approx(exact / 1e6)
        assert inst.tolerance.accepts(round(exact / 1e6, 1), float(inst.answer))  # type: ignore[arg-type]
        assert not inst.tolerance.accepts(round(exact / 1e6, 1) + 0.1, float(inst.answer))  # type: ignore[arg-type]


def test_anchor_alexnet() -> None:
    # (227 − 11)/4 + 1 = 55; pools 55 → 27, 27 → 13, 13 → 6; fc6 = 256·6·6·4096 + 4096 = 37,752,832.
    want = {("conv1", "shape"): (96, 55, 55), ("pool3", "shape"): (256, 6, 6), ("fc6", "params"): 37_752_832}
    for (layer, ask), value in want.items():
        inst = find("alexnet_shapes", lambda p, layer=layer, ask=ask: (p["layer"], p["ask"]) == (layer, ask))
        assert inst.answer == value


def test_anchor_depthwise_ratio() -> None:
    # k = 3, N = 256: 1/256 + 1/9 = (9 + 256)/2304 = 265/2304.
    inst = find("depthwise_separable_ratio", lambda p: (p["k"], p["c_out"]) == (3, 256))
    assert inst.answer == pytest.approx(265 / 2304)


def test_anchor_module_param_count_linear() -> None:
    # Linear(20, 10): 20·10 weights + 10 biases = 210.
    spec = {"layers": [{"type": "Linear", "in_features": 20, "out_features": 10, "bias": True}]}
    assert oracles()["module_param_count"](spec) == 210


def test_matmul_choices_well_formed() -> None:
    kinds = set()
    for inst in instances("matmul_shape"):
        options = inst.params["options"]
        assert len(options) == len(inst.choices) == 5 and len(set(options)) == 5
        assert options[-1] == "error"
        assert isinstance(inst.answer, list) and len(inst.answer) == 1
        kinds.add((inst.params["op"], options[inst.answer[0]] == "error"))
    assert kinds == {("mm", True), ("mm", False), ("matmul", True), ("matmul", False)}


def test_oracle_does_not_mutate_params() -> None:
    for name in ALL:
        inst = get_family(name).generate(3)
        before = copy.deepcopy(inst.params)
        oracles()[name](inst.params)
        assert inst.params == before, name
