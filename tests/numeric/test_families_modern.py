"""Modern-round families (train.norms, arch.blocks, train.efficient): every family against its torch oracle
at every level, their named mistakes, their torch snippets, and hand-checked anchors.

The oracles (quizforge/numeric/oracles/modern.py) build real torch layers, run autograd, measure optimiser
state and simulate the ring; the families compute with NumPy and closed-form formulas. Anchors below are
derived by hand in the comments (SYLLABUS facts), never copied from the code under test.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from quizforge.answer import AnswerKind
from quizforge.grading.verdict import grade
from quizforge.numeric.base import Family, Instance, answers_agree, families, get_family
from quizforge.numeric.oracle import oracles

pytestmark = pytest.mark.torch

TOPICS = {
    "layernorm_forward": "train.norms",
    "groupnorm_forward": "train.norms",
    "rmsnorm_forward": "train.norms",
    "grouped_conv_params": "arch.blocks",
    "se_params": "arch.blocks",
    "channel_shuffle": "arch.blocks",
    "grad_accumulation": "train.efficient",
    "training_memory": "train.efficient",
    "affine_quantization": "train.efficient",
    "distillation_soft_targets": "train.efficient",
    "ring_allreduce": "train.efficient",
    "float_cast_rounding": "train.efficient",
}
ALL = sorted(TOPICS)
SEEDS = range(300)
MISTAKE_SEEDS = range(200)
CJK = re.compile(r"[\u4e00-\u9fff]")


def levels(name: str) -> range:
    return range(1, get_family(name).levels + 1)


def instances(name: str, level: int, seeds: range = SEEDS) -> Iterator[Instance]:
    fam = get_family(name)
    for seed in seeds:
        yield fam.generate(seed, level)


def find(name: str, level: int, pred: Any, limit: int = 5_000) -> Instance:
    """The first instance (by seed) at ``level`` whose params satisfy ``pred``."""
    for inst in instances(name, level, range(limit)):
        if pred(inst.params):
            return inst
    raise AssertionError(f"no seed below {limit} of {name} level {level} satisfies the predicate")


def test_registered_with_topics_levels_and_oracles() -> None:
    registered, orcs = families(), oracles()
    for name, topic in TOPICS.items():
        fam = registered[name]
        assert fam.topic == topic, name
        assert name in orcs, name
        assert fam.torch_code is not None, name
        assert len(fam.mistakes) >= 2, name
        assert fam.levels >= 2, name
        assert 1 <= fam.default_level <= fam.levels
    # at least three levels wherever the maths allows it (the two-level ones are counts and positions)
    assert sum(registered[n].levels >= 3 for n in ALL) >= 8


@pytest.mark.slow  # many seeds per family and level through torch
@pytest.mark.parametrize("name", ALL)
def test_family_agrees_with_torch_oracle_at_every_level(name: str) -> None:
    oracle = oracles()[name]
    for level in levels(name):
        for inst in instances(name, level):
            # The oracle sees the params as a script or the CLI would: after a JSON round trip.
            expected = oracle(json.loads(json.dumps(inst.params)))
            where = f"{name} level {level} seed {inst.seed} params {inst.params}"
            if inst.answer_kind is AnswerKind.NUMBER and isinstance(inst.answer, int):
                assert inst.answer == expected, f"{where}: family {inst.answer} vs torch {expected}"
            else:
                got, want = np.asarray(inst.answer, dtype=float), np.asarray(expected, dtype=float)
                assert got.shape == want.shape, where
                np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9, err_msg=where)
            assert answers_agree(inst.answer, expected, inst.answer_kind, inst.tolerance), where


@pytest.mark.parametrize("name", ALL)
def test_same_seed_same_instance(name: str) -> None:
    fam = get_family(name)
    for level in levels(name):
        for seed in (0, 1, 7, 12345, 2**31 - 1):
            a, b = fam.generate(seed, level), fam.generate(seed, level)
            assert a == b
            assert json.dumps(a.to_json(), sort_keys=True) == json.dumps(b.to_json(), sort_keys=True)
        assert len({json.dumps(i.params, sort_keys=True) for i in instances(name, level, range(40))}) >= 5
    # no level: the default level
    assert fam.generate(3) == fam.generate(3, fam.default_level)


@pytest.mark.parametrize("name", ALL)
def test_bilingual_numbered_and_worked(name: str) -> None:
    for level in levels(name):
        for inst in instances(name, level, range(40)):
            for text in (inst.prompt, inst.solution):
                assert text.en.strip() and text.zh.strip()
                assert CJK.search(text.zh), text.zh
                assert not CJK.search(text.en), text.en
            for lang in ("en", "zh"):
                solution = inst.solution.get(lang)
                assert "1. " in solution and "2. " in solution, (name, lang, solution)
            # The prompt says how to round whenever the answer is not an exact integer.
            if inst.answer_kind is AnswerKind.NUMBER and isinstance(inst.answer, int):
                shown = f"{inst.answer:,}"
                assert shown in inst.solution.en and shown in inst.solution.zh, (name, inst.seed, shown)
            elif inst.tolerance.abs > 1e-6:
                assert "decimal place" in inst.prompt.en and "位小数" in inst.prompt.zh, name


@pytest.mark.parametrize("name", ALL)
def test_every_mistake_differs_on_most_instances(name: str) -> None:
    fam = get_family(name)
    for level in levels(name):
        insts = list(instances(name, level, MISTAKE_SEEDS))
        for m in fam.mistakes:
            assert m.text.en and m.text.zh and CJK.search(m.text.zh), (name, m.id)
            assert 1 <= m.step <= 4, (name, m.id)
            differs = sum(not answers_agree(i.answer, m.answer(i.params), i.answer_kind, i.tolerance) for i in insts)
            assert differs >= 0.8 * len(insts), f"{name} level {level}: {m.id} differs on {differs}/{len(insts)}"


def snippet_outputs(pairs: list[tuple[str, Instance]]) -> list[str]:
    """Run every snippet in ONE subprocess, each in a fresh namespace, and return the last line each printed."""
    driver = (
        "import contextlib, io, json, sys, warnings\n"
        "warnings.simplefilter('ignore')\n"
        "out = []\n"
        "for code in json.load(sys.stdin):\n"
        "    buf = io.StringIO()\n"
        "    with contextlib.redirect_stdout(buf):\n"
        "        exec(code, {'__name__': '__main__'})\n"
        "    out.append(buf.getvalue().strip().splitlines()[-1])\n"
        "print(json.dumps(out))\n"
    )
    codes = [inst.torch_code for _, inst in pairs]
    run = subprocess.run(
        [sys.executable, "-c", driver], input=json.dumps(codes), capture_output=True, text=True, check=True, timeout=600
    )
    result: list[str] = json.loads(run.stdout)
    return result


def test_torch_snippets_print_answers_that_grade_correct() -> None:
    pairs = []
    for name in ALL:
        for level in levels(name):
            for seed in (0, 1, 2):
                pairs.append((name, get_family(name).generate(seed, level)))
    for (name, inst), printed in zip(pairs, snippet_outputs(pairs), strict=True):
        assert inst.torch_code is not None
        assert "import torch" in inst.torch_code or "from torch import" in inst.torch_code
        verdict = grade(inst.answer, printed, inst.answer_kind, inst.tolerance)
        assert verdict.correct, (
            f"{name} seed {inst.seed} level {inst.level}: printed {printed!r}, expected {inst.answer}"
        )


# --- the public contract: family and parameter names ------------------------------------------------


def test_contract_layernorm_forward() -> None:
    for level in levels("layernorm_forward"):
        for inst in instances("layernorm_forward", level, range(50)):
            p = inst.params
            assert set(p) == {"x", "eps", "gamma", "beta"}
            n, d = np.asarray(p["x"]).shape
            assert len(p["gamma"]) == len(p["beta"]) == d
            assert np.asarray(inst.answer).shape == (n, d)


def test_contract_grouped_conv_params() -> None:
    seen_bias, depthwise = set(), False
    for level in levels("grouped_conv_params"):
        for inst in instances("grouped_conv_params", level, range(100)):
            p = inst.params
            assert set(p) == {"c_in", "c_out", "k", "groups", "bias"}
            assert p["c_in"] % p["groups"] == 0 and p["c_out"] % p["groups"] == 0
            assert p["groups"] > 1
            seen_bias.add(p["bias"])
            depthwise |= p["groups"] == p["c_in"]
    assert seen_bias == {True, False} and depthwise


# --- hand-checked anchors (SYLLABUS) ---------------------------------------------------------------


def test_anchor_layernorm_row() -> None:
    # x = [1, 2, 3, 6]: μ = 3, deviations −2, −1, 0, 3, biased σ² = (4 + 1 + 0 + 9)/4 = 3.5,
    # y = deviations/√3.5 = [−1.069, −0.535, 0, 1.604] (to 3 decimals).
    params = {"x": [[1, 2, 3, 6]], "eps": 1e-5, "gamma": [1, 1, 1, 1], "beta": [0, 0, 0, 0]}
    got = oracles()["layernorm_forward"](params)
    np.testing.assert_allclose(got, [[-2 / math.sqrt(3.5), -1 / math.sqrt(3.5), 0, 3 / math.sqrt(3.5)]], atol=1e-5)


def test_anchor_rmsnorm_does_not_centre() -> None:
    # x = [2, 2, 2, 2]: mean(x²) = 4, RMS = 2, so RMSNorm gives [1, 1, 1, 1]; LayerNorm would give zeros.
    got = oracles()["rmsnorm_forward"]({"x": [[2, 2, 2, 2]], "eps": 1e-6, "weight": [1, 1, 1, 1]})
    np.testing.assert_allclose(got, [[1, 1, 1, 1]], atol=1e-6)
    wrong = next(m for m in get_family("rmsnorm_forward").mistakes if m.id == "centred")
    assert np.allclose(wrong.answer({"x": [[2, 2, 2, 2]], "eps": 1e-6, "weight": [1, 1, 1, 1]}), 0)


def test_anchor_grouped_conv_resnext() -> None:
    # ResNeXt 3×3 conv, 128 → 128, 32 groups, no bias: (128/32)·3·3·128 = 4·9·128 = 4,608 (vs 147,456 dense).
    inst = find(
        "grouped_conv_params", 3, lambda p: p == {"c_in": 128, "c_out": 128, "k": 3, "groups": 32, "bias": False}
    )
    assert inst.answer == 4_608
    assert "4,608" in inst.solution.en and "4,608" in inst.solution.zh


def test_anchor_se_params() -> None:
    # SE on 256 channels, r = 16: 256·16 + 16 + 16·256 + 256 = 4,096 + 16 + 4,096 + 256 = 8,464.
    inst = find("se_params", 1, lambda p: p == {"channels": 256, "reduction": 16})
    assert inst.answer == 8_464


def test_anchor_channel_shuffle() -> None:
    # 6 channels, 3 groups: rows [0 1], [2 3], [4 5]; transposed and flattened: 0 2 4 1 3 5, so channel 1 → 3.
    assert oracles()["channel_shuffle"]({"channels": 6, "groups": 3, "index": 1}) == 3


def test_anchor_training_memory_16_bytes() -> None:
    # Mixed-precision Adam: 2 (fp16 weights) + 2 (grads) + 4 (fp32 master) + 4 (m) + 4 (v) = 16 bytes;
    # a 7-billion-parameter model on one GPU: 112 GB. ZeRO-3 over 8 GPUs: 112/8 = 14 GB.
    orc = oracles()["training_memory"]
    one = {"num_params_billion": 7, "optimizer": "adam", "zero_stage": 0, "num_gpus": 1}
    assert orc(one) == pytest.approx(112)
    assert orc({**one, "zero_stage": 3, "num_gpus": 8}) == pytest.approx(14)


def test_anchor_ring_allreduce() -> None:
    # 4 GPUs, 400 MB: chunks of 100 MB, 3 steps of reduce-scatter + 3 of all-gather = 600 MB = 2·3/4·400.
    assert oracles()["ring_allreduce"]({"num_gpus": 4, "size_mb": 400, "bandwidth_gbs": 0}) == 600


def test_anchor_quantization_rounds_and_clamps() -> None:
    # scale 0.5, zero point 10, quint8: 1.2/0.5 = 2.4 → 2 → 12; −1.3/0.5 = −2.6 → −3 → 7; 200/0.5 = 400 → 410 → 255.
    got = oracles()["affine_quantization"]({"x": [1.2, -1.3, 200.0], "scale": 0.5, "zero_point": 10, "dtype": "quint8"})
    assert got == [12, 7, 255]


def test_anchor_distillation_temperature_flattens() -> None:
    # z = [2, 0], T = 2: softmax([1, 0]) = [e/(e + 1), 1/(e + 1)] = [0.731, 0.269]; at T = 1 it is [0.881, 0.119].
    got = oracles()["distillation_soft_targets"]({"logits": [2, 0], "temperature": 2})
    np.testing.assert_allclose(got, [math.e / (math.e + 1), 1 / (math.e + 1)], atol=1e-9)


def test_anchor_grad_accumulation_equals_full_batch() -> None:
    # w = 1, x = [1, 2, 1, 2], y = [0, 0, 0, 0]: per-sample 2x(wx − y) = 2x² = [2, 8, 2, 8], full-batch mean = 5.
    # Two micro-batches of 2, each loss divided by 2: (2 + 8)/2/2 + (2 + 8)/2/2 = 5.
    params = {"w": 1, "x": [1, 2, 1, 2], "y": [0, 0, 0, 0], "micro_batch": 2}
    assert oracles()["grad_accumulation"](params) == pytest.approx(5)
    fam: Family = get_family("grad_accumulation")
    by_id = {m.id: m.answer(params) for m in fam.mistakes}
    assert by_id["forgot-divide-by-k"] == pytest.approx(10)


def test_anchor_float_cast_rounding() -> None:
    # bf16 keeps 7 mantissa bits: in [512, 1024) the spacing is 2^(9 − 7) = 4, so 1001 → 1000 (not 1004);
    # fp16 keeps 10: in [4096, 8192) the spacing is 2^(12 − 10) = 4, so 4099 → 4100.
    orc = oracles()["float_cast_rounding"]
    assert orc({"format": "bf16", "value": 1001}) == 1000
    assert orc({"format": "fp16", "value": 4099}) == 4100
    # fp8 E4M3 keeps 3: in [256, 512) the spacing is 32, so 274 → 288.
    assert orc({"format": "fp8_e4m3", "value": 274}) == 288


def test_oracles_do_not_mutate_params() -> None:
    for name in ALL:
        inst = get_family(name).generate(5)
        before = json.dumps(inst.params, sort_keys=True)
        oracles()[name](inst.params)
        assert json.dumps(inst.params, sort_keys=True) == before, name
