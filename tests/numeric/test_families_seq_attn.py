"""Sequence-model, attention, transformer and ViT families: each against its torch oracle, plus anchors.

The oracles (quizforge/numeric/oracles/sequence.py, attention.py) build real nn.LSTM / nn.GRU / nn.RNN,
nn.MultiheadAttention, nn.TransformerEncoderLayer and nn.Conv2d modules, call
F.scaled_dot_product_attention, size meta-device tensors and count FLOPs with FlopCounterMode; the
families compute with NumPy and closed forms. Anchors are derived by hand in the comments.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections.abc import Iterator

import numpy as np
import pytest

from quizforge.answer import AnswerKind
from quizforge.grading import grade
from quizforge.numeric.base import Instance, answers_agree, families, get_family
from quizforge.numeric.oracle import oracles

pytestmark = pytest.mark.torch

SEQ_FAMILIES = ["lstm_params", "gru_params", "rnn_params", "rnn_output_shape"]
ATTN_FAMILIES = [
    "attention_output",
    "causal_attention_weights",
    "attention_cost",
    "mha_params",
    "transformer_layer_params",
    "sinusoidal_pe",
    "kv_cache_bytes",
    "training_flops",
    "vit_tokens",
    "patch_embed_params",
]
ALL = SEQ_FAMILIES + ATTN_FAMILIES
SEEDS = range(300)
CJK = re.compile(r"[\u4e00-\u9fff]")
STEP = re.compile(r"^(\d+)\. ", re.MULTILINE)


@pytest.fixture(autouse=True)
def one_torch_thread() -> Iterator[None]:
    """The oracles run hundreds of tiny modules: on a loaded machine, intra-op threads only add waiting."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def levels(name: str) -> range:
    return range(1, get_family(name).levels + 1)


def instances(name: str, seeds: range = SEEDS, level: int | None = None) -> Iterator[Instance]:
    fam = get_family(name)
    for seed in seeds:
        yield fam.generate(seed, level)


def params_of(name: str, level: int | None = None) -> list[dict[str, object]]:
    return [i.params for i in instances(name, range(200), level)]


def test_registered_with_oracles_topics_and_levels() -> None:
    registered, orcs = families(), oracles()
    for name in ALL:
        assert name in registered and name in orcs, name
    assert {registered[n].topic for n in ALL} == {"seq.rnn", "attn.attention", "attn.transformer", "attn.vit"}
    assert sum(registered[n].levels >= 3 for n in ALL) >= 10
    for name in ALL:
        fam = registered[name]
        assert fam.torch_code is not None, name
        assert len(fam.mistakes) >= 2, name


@pytest.mark.slow  # many seeds per family and level through torch (CI runs it)
@pytest.mark.parametrize("name", ALL)
def test_family_agrees_with_torch_oracle(name: str) -> None:
    oracle = oracles()[name]
    for level in levels(name):
        for inst in instances(name, SEEDS, level):
            where = f"{name} level {level} seed {inst.seed} params {inst.params}"
            expected = oracle(json.loads(json.dumps(inst.params)))  # as a script sees the params
            assert answers_agree(inst.answer, expected, inst.answer_kind, inst.tolerance), (where, expected)
            if inst.answer_kind is AnswerKind.NUMBER:
                assert math.isclose(float(inst.answer), float(expected), rel_tol=1e-9, abs_tol=1e-12), where  # type: ignore[arg-type]
                if isinstance(expected, int):
                    assert inst.answer == expected, where
            elif inst.answer_kind is AnswerKind.MATRIX:
                np.testing.assert_allclose(np.asarray(inst.answer), np.asarray(expected), rtol=1e-12, atol=1e-12)
            else:
                assert tuple(inst.answer) == tuple(expected), where  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ALL)
def test_same_seed_same_instance(name: str) -> None:
    fam = get_family(name)
    for level in levels(name):
        for seed in (0, 1, 7, 12345, 2**31 - 1):
            a, b = fam.generate(seed, level), fam.generate(seed, level)
            assert a == b
            assert json.dumps(a.to_json(), sort_keys=True) == json.dumps(b.to_json(), sort_keys=True)
        assert len({json.dumps(i.params, sort_keys=True) for i in instances(name, range(40), level)}) >= 3


@pytest.mark.parametrize("name", ALL)
def test_bilingual_and_worked_in_numbered_steps(name: str) -> None:
    for level in levels(name):
        for inst in instances(name, range(40), level):
            for text in (inst.prompt, inst.solution):
                assert text.en.strip() and text.zh.strip()
                assert CJK.search(text.zh), text.zh
                assert not CJK.search(text.en), text.en
            # Numbered steps 1, 2, … in both languages, the same number of them.
            steps_en = [int(s) for s in STEP.findall(inst.solution.en)]
            steps_zh = [int(s) for s in STEP.findall(inst.solution.zh)]
            assert steps_en == list(range(1, len(steps_en) + 1)) and len(steps_en) >= 2, inst.solution.en
            assert steps_zh == steps_en, inst.solution.zh
            # The shown answer grades right, and integer answers appear in both solutions.
            assert grade(inst.answer, _typed(inst.answer, inst.answer_kind), inst.answer_kind, inst.tolerance).correct
            if isinstance(inst.answer, int):
                shown = f"{inst.answer:,}"
                assert shown in inst.solution.en and shown in inst.solution.zh, (name, inst.seed)


def _typed(answer: object, kind: AnswerKind) -> str:
    if kind is AnswerKind.SHAPE:
        return "×".join(map(str, answer))  # type: ignore[call-overload]
    if kind is AnswerKind.MATRIX:
        return "; ".join(" ".join(f"{v:.2f}" for v in row) for row in answer)  # type: ignore[attr-defined]
    return f"{answer:.4f}" if isinstance(answer, float) else str(answer)


# --- named mistakes ---------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL)
def test_every_mistake_differs_from_the_answer_on_most_instances(name: str) -> None:
    fam = get_family(name)
    steps = {lvl: len(STEP.findall(fam.generate(0, lvl).solution.en)) for lvl in levels(name)}
    for m in fam.mistakes:
        assert m.text.en.strip() and CJK.search(m.text.zh), (name, m.id)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", m.id), m.id
        assert 1 <= m.step <= min(steps.values()), (name, m.id, m.step)
        for level in levels(name):
            insts = list(instances(name, range(200), level))
            differ = sum(not answers_agree(i.answer, m.answer(i.params), i.answer_kind, i.tolerance) for i in insts)
            assert differ >= 0.8 * len(insts), f"{name} {m.id} level {level}: differs on {differ}/200"


def test_mistake_answers_are_the_named_errors() -> None:
    # nn.LSTM(10, 20): right 4·20·(10 + 20) + 8·20 = 2,560; one bias vector: 2,400 + 80 = 2,480;
    # no W_hh: 4·20·10 + 160 = 960; three gates: 3·20·30 + 6·20 = 1,920.
    p = {"input_size": 10, "hidden_size": 20, "num_layers": 1, "bias": True, "bidirectional": False}
    by_id = {m.id: m.answer(p) for m in get_family("lstm_params").mistakes}
    assert by_id == {"one-bias-vector": 2480, "no-recurrent-weights": 960, "three-gates": 1920}
    assert oracles()["lstm_params"](p) == 2560
    # nn.MultiheadAttention(64, 4): 4·64² + 4·64 = 16,640; every head with full projections: 4 × that.
    mha = {m.id: m.answer({"embed_dim": 64, "num_heads": 4, "bias": True}) for m in get_family("mha_params").mistakes}
    assert mha == {"per-head-projections": 4 * 16640, "no-out-proj": 3 * 64 * 64 + 3 * 64}


# --- contracts ----------------------------------------------------------------------------------------


def test_contract_attention_output() -> None:
    for level in levels("attention_output"):
        for inst in instances("attention_output", range(100), level):
            p = inst.params
            assert set(p) == {"q", "k", "v", "causal"}
            q, k, v = (np.asarray(p[x]) for x in ("q", "k", "v"))
            assert q.shape[1] == k.shape[1] and k.shape[0] == v.shape[0]
            assert isinstance(p["causal"], bool)
            if p["causal"]:
                assert q.shape[0] == k.shape[0]
            assert np.asarray(inst.answer).shape == (q.shape[0], v.shape[1])
    assert {p["causal"] for p in params_of("attention_output", 3)} == {True}


def test_contract_parameter_families() -> None:
    assert all(set(p) == {"embed_dim", "num_heads", "bias"} for p in params_of("mha_params", 2))
    assert {p["bias"] for p in params_of("mha_params", 2)} == {True, False}
    for level in levels("lstm_params"):
        for p in params_of("lstm_params", level):
            assert set(p) == {"input_size", "hidden_size", "num_layers", "bias", "bidirectional"}
    assert {p["bidirectional"] for p in params_of("lstm_params", 3)} == {True}
    for level in levels("vit_tokens"):
        for p in params_of("vit_tokens", level):
            assert set(p) == {"image", "patch", "cls"} and isinstance(p["cls"], bool)


# --- hand-derived anchors -----------------------------------------------------------------------------


def find(name: str, params: dict[str, object], level: int) -> Instance:
    for inst in instances(name, range(20_000), level):
        if all(inst.params[k] == v for k, v in params.items()):
            return inst
    raise AssertionError(f"no seed of {name} level {level} has {params}")


def test_anchor_lstm_two_biases_and_upper_layer_input() -> None:
    # Per layer and direction 4h(x + h) + 8h. nn.LSTM(10, 20): 4·20·30 + 160 = 2,560.
    p = {"input_size": 10, "hidden_size": 20, "num_layers": 1, "bias": True, "bidirectional": False}
    assert oracles()["lstm_params"](p) == 2560
    # Two layers, bidirectional, x = 100, h = 50: layer 1: 2·(4·50·150 + 400) = 60,800;
    # layer 2 reads 2h = 100: the same 60,800 per layer → 121,600.
    p2 = {"input_size": 100, "hidden_size": 50, "num_layers": 2, "bias": True, "bidirectional": True}
    assert oracles()["lstm_params"](p2) == 121_600
    inst = find("lstm_params", {"input_size": 100, "hidden_size": 50, "num_layers": 2, "bias": True}, 3)
    assert inst.answer == 121_600 and "121,600" in inst.solution.zh
    # GRU 3h(x + h) + 6h: nn.GRU(10, 20) = 1,800 + 120 = 1,920. RNN h(x + h) + 2h = 600 + 40 = 640.
    assert oracles()["gru_params"](p) == 1920 and oracles()["rnn_params"](p) == 640


def test_anchor_mha_and_encoder_layer() -> None:
    # 4d² + 4d for d = 512: 1,048,576 + 2,048 = 1,050,624.
    inst = find("mha_params", {"embed_dim": 512, "bias": True}, 1)
    assert inst.answer == 1_050_624
    # Encoder layer d = 512, d_ff = 2048: attention 1,050,624; FFN 2·512·2048 + 2048 + 512 = 2,099,712;
    # two LayerNorms 2·2·512 = 2,048: 3,152,384.
    layer = find("transformer_layer_params", {"d_model": 512, "dim_feedforward": 2048}, 1)
    assert layer.answer == 3_152_384


def test_anchor_attention_uniform_and_causal_first_row() -> None:
    # Identical keys give equal scores, so every query averages V: (1 + 3)/2 = 2 and (2 + 4)/2 = 3.
    p = {"q": [[1, 0, 1, 0], [0, 1, 1, -1]], "k": [[1, 1, 0, 0], [1, 1, 0, 0]], "v": [[1, 2], [3, 4]], "causal": False}
    assert np.allclose(oracles()["attention_output"](p), [[2, 3], [2, 3]])
    # Under a causal mask the first query sees only the first key: its row of weights is [1, 0, …].
    for inst in instances("causal_attention_weights", range(50), 2):
        assert inst.answer[0][0] == pytest.approx(1) and sum(inst.answer[0]) == pytest.approx(1)  # type: ignore[index, arg-type]
        assert all(sum(row) == pytest.approx(1) for row in inst.answer)  # type: ignore[union-attr, arg-type]


def test_anchor_vit_197_tokens_and_patch_embedding() -> None:
    # 224/16 = 14 patches per side, 14² = 196, + [CLS] = 197.
    assert find("vit_tokens", {"image": 224, "patch": 16, "cls": True}, 1).answer == 197
    # ViT-B/16 patch projection: 16²·3·768 + 768 = 589,824 + 768 = 590,592.
    inst = find("patch_embed_params", {"patch": 16, "channels": 3, "dim": 768, "bias": True}, 1)
    assert inst.answer == 590_592


def test_anchor_pe_kv_cache_and_flops() -> None:
    # Dimension 2 of d_model = 4 at pos 1: sin(1/10000^(2/4)) = sin(0.01) ≈ 0.0099998.
    assert oracles()["sinusoidal_pe"]({"pos": 1, "dim": 2, "d_model": 4}) == pytest.approx(math.sin(0.01))
    # 32 layers, 8 K/V heads of 128, fp16, one token: 2·32·8·128·2 = 131,072 bytes = 128 KiB.
    kv = {"num_layers": 32, "num_heads": 32, "num_kv_heads": 8, "head_dim": 128, "seq_len": 1, "batch": 1}
    assert oracles()["kv_cache_bytes"]({**kv, "dtype": "float16", "unit": "KiB"}) == 128
    # 6·N·D: 7B parameters on 2T tokens = 6·7e9·2e12 = 8.4e22 = 84 × 10²¹.
    flops = {"params_b": 7, "tokens_b": 2000, "gpus": 0, "peak_tflops": 0, "utilization_pct": 0}
    assert oracles()["training_flops"](flops) == pytest.approx(84)


# --- torch snippets -----------------------------------------------------------------------------------

RUNNER = """
import contextlib, io, json, sys
out = []
for code in json.load(sys.stdin):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(code, {})
    out.append(buf.getvalue().strip().splitlines()[-1])
print(json.dumps(out))
"""


def test_torch_snippets_print_the_answer() -> None:
    cases = [get_family(n).generate(seed, 1 + seed % get_family(n).levels) for n in ALL for seed in range(3)]
    codes = [c.torch_code for c in cases]
    assert all(codes)
    run = subprocess.run(
        [sys.executable, "-c", RUNNER], input=json.dumps(codes), capture_output=True, text=True, check=True, timeout=600
    )
    printed = json.loads(run.stdout)
    for inst, text in zip(cases, printed, strict=True):
        if inst.answer_kind is AnswerKind.MATRIX:
            text = "; ".join(" ".join(str(v) for v in row) for row in json.loads(text))
        verdict = grade(inst.answer, text, inst.answer_kind, inst.tolerance)
        assert verdict.correct, f"{inst.family} seed {inst.seed}: printed {text!r}, answer {inst.answer}"
