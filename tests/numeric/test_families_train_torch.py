"""Loss, metric, training-practice and PyTorch-shape families: every family against its torch oracle on
300 seeds per level, named mistakes, torch snippets, and hand-checked anchors.

The oracles (quizforge/numeric/oracles/losses.py, practice.py) call the real torch losses, schedulers,
clip_grad_norm_, DataLoader/DistributedSampler and meta-tensor shape ops; the families compute with the
closed-form formulas. Anchors below are derived by hand in the comments, never copied from the code under test.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

from quizforge.answer import AnswerKind, Tolerance
from quizforge.numeric.base import Instance, answers_agree, families, get_family
from quizforge.numeric.oracle import oracles

pytestmark = pytest.mark.torch

LOSS_FAMILIES = ["bce_with_logits", "label_smoothing_ce", "focal_loss", "huber_loss", "kl_div", "triplet_loss"]
METRIC_FAMILIES = ["precision_recall_f1", "roc_auc", "macro_micro_f1"]
PRACTICE_FAMILIES = ["cosine_lr", "step_lr", "exponential_lr", "grad_clip_norm", "iters_per_epoch"]
TORCH_FAMILIES = ["broadcast_shape", "view_permute_shape", "tensor_memory"]
ALL = LOSS_FAMILIES + METRIC_FAMILIES + PRACTICE_FAMILIES + TORCH_FAMILIES
TOPICS = {
    **dict.fromkeys(LOSS_FAMILIES, "train.losses"),
    **dict.fromkeys(METRIC_FAMILIES, "train.metrics"),
    **dict.fromkeys(PRACTICE_FAMILIES, "train.practice"),
    **dict.fromkeys(TORCH_FAMILIES, "torch.practice"),
}
SEEDS = range(300)
CJK = re.compile(r"[\u4e00-\u9fff]")
# torch's nn.TripletMarginLoss adds eps = 1e-6 to the difference and clip_grad_norm_ divides by total + 1e-6:
# the family and the oracle agree far below the answers' 4 decimals.
TIGHT = Tolerance(rel=1e-9, abs=1e-9)


def levels(name: str) -> range:
    return range(1, get_family(name).levels + 1)


def instances(name: str, seeds: range = SEEDS, level: int | None = None) -> Iterator[Instance]:
    fam = get_family(name)
    for seed in seeds:
        yield fam.generate(seed, level)


def find(name: str, pred: Callable[[Instance], bool], level: int | None = None, limit: int = 5000) -> Instance:
    """The first instance (by seed) that satisfies ``pred``."""
    for inst in instances(name, range(limit), level):
        if pred(inst):
            return inst
    raise AssertionError(f"no seed below {limit} of {name} satisfies the predicate")


def test_all_families_registered_with_oracles_and_topics() -> None:
    registered, orcs = families(), oracles()
    for name in ALL:
        assert name in registered and name in orcs, name
        assert registered[name].topic == TOPICS[name], name
        assert registered[name].torch_code is not None, name
        assert len(registered[name].mistakes) >= 2, name
    assert sum(1 for n in ALL if registered[n].levels >= 3) >= 12


@pytest.mark.slow  # many seeds per family and level through torch (CI runs it)
@pytest.mark.parametrize("name", ALL)
def test_family_agrees_with_torch_oracle_on_every_level(name: str) -> None:
    oracle = oracles()[name]
    for level in levels(name):
        for inst in instances(name, level=level):
            # The oracle sees the params as a script or the CLI would: after a JSON round trip.
            params = json.loads(json.dumps(inst.params))
            expected = oracle(params)
            where = f"{name} level {level} seed {inst.seed} params {inst.params}: family {inst.answer} torch {expected}"
            assert answers_agree(inst.answer, expected, inst.answer_kind, TIGHT), where
            # ...and the family's own tolerance accepts torch's value.
            assert answers_agree(inst.answer, expected, inst.answer_kind, inst.tolerance), where


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL)
def test_mistakes_differ_from_the_answer(name: str) -> None:
    fam = get_family(name)
    for level in levels(name):
        for m in fam.mistakes:
            assert 1 <= m.step <= 4 and m.text.en and CJK.search(m.text.zh), (name, m.id)
            differs = sum(
                not answers_agree(inst.answer, m.answer(inst.params), inst.answer_kind, inst.tolerance)
                for inst in instances(name, range(200), level)
            )
            assert differs >= 160, f"{name} level {level} mistake {m.id}: differs on {differs}/200"


@pytest.mark.parametrize("name", ALL)
def test_same_seed_same_instance(name: str) -> None:
    fam = get_family(name)
    for level in levels(name):
        for seed in (0, 1, 7, 12345, 2**31 - 1):
            a, b = fam.generate(seed, level), fam.generate(seed, level)
            assert a == b
            assert json.dumps(a.to_json(), sort_keys=True) == json.dumps(b.to_json(), sort_keys=True)
        assert len({json.dumps(i.params, sort_keys=True) for i in instances(name, range(40), level)}) >= 5


@pytest.mark.parametrize("name", ALL)
def test_bilingual_worked_and_numbered(name: str) -> None:
    for level in levels(name):
        for inst in instances(name, range(40), level):
            for text in (inst.prompt, inst.solution):
                assert text.en.strip() and text.zh.strip()
                assert CJK.search(text.zh), text.zh
                assert not CJK.search(text.en), text.en
            # Several steps are numbered "1. …", "2. …"; a single step is not.
            for sol in (inst.solution.en, inst.solution.zh):
                numbered = re.findall(r"^(\d+)\. ", sol, flags=re.M)
                assert numbered == [str(i) for i in range(1, len(numbered) + 1)] and len(numbered) != 1, sol
            # Negative numbers use the Unicode minus, as the bank does.
            assert not re.search(r"(?<![\w\[(=,])-\d", inst.solution.en.split("\nAnswer")[0]), inst.solution.en
            if inst.answer_kind is AnswerKind.SHAPE:
                shown = "×".join(map(str, inst.answer))  # type: ignore[arg-type]
                assert shown in inst.solution.en and shown in inst.solution.zh
            # The mistakes' steps exist in the worked solution.
            n_steps = len(re.findall(r"^\d+\. ", inst.solution.en, flags=re.M)) or 1
            assert all(m.step <= n_steps for m in get_family(name).mistakes), (name, n_steps)


def test_torch_snippets_print_the_answer() -> None:
    """All snippets of 2 seeds per level per family run in ONE subprocess; each prints a value that grades."""
    cases: list[Instance] = [
        get_family(name).generate(seed, level) for name in ALL for level in levels(name) for seed in (3, 11)
    ]
    marker = "@@@"
    script = "\n".join(f"print({marker!r})\n" + "exec(" + repr(inst.torch_code) + ", {})" for inst in cases)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300)
    printed = [chunk.strip() for chunk in out.stdout.split(marker)[1:]]
    assert len(printed) == len(cases)
    for inst, text in zip(cases, printed, strict=True):
        value: Any = json.loads(text.replace("(", "[").replace(")", "]").replace(",]", "]"))
        if inst.answer_kind is AnswerKind.SHAPE:
            assert tuple(value) == inst.answer, (inst.family, inst.seed, text)
        else:
            assert answers_agree(inst.answer, value, inst.answer_kind, inst.tolerance), (inst.family, inst.seed, text)


def test_default_levels_are_mid_levels() -> None:
    for name in ALL:
        fam = get_family(name)
        assert fam.default_level == (2 if fam.levels >= 2 else 1), name


# --- the public contract: family and parameter names ------------------------------------------------


CONTRACT = {
    "bce_with_logits": {"logits", "targets"},
    "label_smoothing_ce": {"logits", "target", "smoothing"},
    "cosine_lr": {"base_lr", "eta_min", "t_max", "step"},
    "grad_clip_norm": {"grads", "max_norm"},
    "precision_recall_f1": {"y_true", "y_pred"},
}


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_contract_params(name: str) -> None:
    for level in levels(name):
        for inst in instances(name, range(30), level):
            assert set(inst.params) == CONTRACT[name]
    inst = get_family(name).generate(0)
    if name == "bce_with_logits":
        assert len(inst.params["logits"]) == len(inst.params["targets"])
    if name == "precision_recall_f1":
        assert isinstance(inst.answer, list) and len(inst.answer) == 3


# --- hand-derived anchors -------------------------------------------------------------------------


def test_anchor_label_smoothing_spreads_eps_over_all_classes() -> None:
    # Logits (0, 0, 0): every −log p = ln 3, so any target mix gives ln 3 ≈ 1.0986 — the smoothing
    # cannot change a uniform prediction's loss. With logits (2, 0, 0), target 0, ε = 0.3:
    # S = e² + 2, −log p₀ = ln S − 2, −log p₁ = −log p₂ = ln S; q = (0.7 + 0.1, 0.1, 0.1)
    # → L = 0.8(ln S − 2) + 0.2 ln S = ln S − 1.6.
    oracle = oracles()["label_smoothing_ce"]
    assert oracle({"logits": [0.0, 0.0, 0.0], "target": 1, "smoothing": 0.2}) == pytest.approx(math.log(3))
    expected = math.log(math.e**2 + 2) - 1.6
    assert oracle({"logits": [2.0, 0.0, 0.0], "target": 0, "smoothing": 0.3}) == pytest.approx(expected)
    inst = find("label_smoothing_ce", lambda i: len(i.params["logits"]) == 3, level=1)
    assert inst.answer == pytest.approx(oracle(inst.params))


def test_anchor_bce_with_logits() -> None:
    # z = 0 gives σ = ½ whatever the target: −ln ½ = ln 2. z = (0, 0) → mean ln 2.
    assert oracles()["bce_with_logits"]({"logits": [0.0, 0.0], "targets": [1.0, 0.0]}) == pytest.approx(math.log(2))


def test_anchor_kl_batchmean_is_true_kl() -> None:
    # P = (½, ½), Q = (¼, ¾): KL = ½ ln 2 + ½ ln(2/3) = ½ ln(4/3).
    kl = oracles()["kl_div"]({"p": [0.5, 0.5], "q": [0.25, 0.75]})
    assert kl == pytest.approx(0.5 * math.log(4 / 3))


def test_anchor_huber_and_smooth_l1() -> None:
    # d = (0.5, 3), δ = 1: ½·0.25 = 0.125 and 1·(3 − 0.5) = 2.5, mean 1.3125.
    huber = oracles()["huber_loss"]
    assert huber({"input": [0.5, 3.0], "target": [0.0, 0.0], "delta": 1.0, "loss": "huber"}) == pytest.approx(1.3125)
    # Smooth L1 with β = 2 is Huber(δ = 2)/2: d = (1, 4) → Huber (0.5, 2·(4 − 1) = 6) → mean 3.25; /2 = 1.625.
    args = {"input": [1.0, 4.0], "target": [0.0, 0.0], "delta": 2.0}
    assert huber({**args, "loss": "smooth_l1"}) == pytest.approx(1.625)
    assert huber({**args, "loss": "huber"}) == pytest.approx(3.25)


def test_anchor_focal_loss() -> None:
    # p = 0.9, y = 1, γ = 2, no α: (0.1)²·(−ln 0.9) = 0.01·0.10536 = 0.0010536.
    got = oracles()["focal_loss"]({"probs": [0.9], "targets": [1], "alpha": None, "gamma": 2})
    assert got == pytest.approx(0.01 * -math.log(0.9))


def test_anchor_triplet() -> None:
    # a = (0, 0), p = (3, 4) (d = 5), n = (0, 2) (d = 2), m = 1: max(0, 5 − 2 + 1) = 4.
    got = oracles()["triplet_loss"]({"anchor": [[0, 0]], "positive": [[3, 4]], "negative": [[0, 2]], "margin": 1.0})
    assert got == pytest.approx(4.0)


def test_anchor_metrics() -> None:
    # TP = 2, FP = 1, FN = 2: P = 2/3, R = 1/2, F1 = 4/7.
    prf = oracles()["precision_recall_f1"]({"y_true": [1, 1, 1, 1, 0, 0], "y_pred": [1, 1, 0, 0, 1, 0]})
    assert prf == pytest.approx([2 / 3, 1 / 2, 4 / 7])
    # Positives 0.8, 0.4; negatives 0.4, 0.1: pairs 4, wins 3, one tie → (3 + ½)/4 = 0.875.
    auc = oracles()["roc_auc"]({"scores": [0.8, 0.4, 0.4, 0.1], "labels": [1, 1, 0, 0]})
    assert auc == pytest.approx(0.875)
    # y = (0, 0, 1, 2), ŷ = (0, 1, 1, 1): class 0 TP 1 FP 0 FN 1 → 2/3; class 1 TP 1 FP 2 FN 0 → 1/2;
    # class 2 → 0. Macro = (2/3 + 1/2)/3 = 7/18; micro = accuracy 2/4.
    mm = oracles()["macro_micro_f1"]
    args = {"y_true": [0, 0, 1, 2], "y_pred": [0, 1, 1, 1], "num_classes": 3}
    assert mm({**args, "average": "macro"}) == pytest.approx(7 / 18)
    assert mm({**args, "average": "micro"}) == pytest.approx(0.5)


def test_anchor_schedules_and_clipping() -> None:
    # Cosine: t = T/2 → η_min + ½Δ; t = 3T/2 (past T_max) → the lr climbs back to the same value.
    cos = oracles()["cosine_lr"]
    assert cos({"base_lr": 0.1, "eta_min": 0.0, "t_max": 12, "step": 6}) == pytest.approx(0.05)
    assert cos({"base_lr": 0.1, "eta_min": 0.0, "t_max": 12, "step": 18}) == pytest.approx(0.05)
    # StepLR(step_size=10, γ = 0.1): after 25 steps two decays → 0.1·0.01 = 0.001.
    assert oracles()["step_lr"]({"base_lr": 0.1, "step_size": 10, "gamma": 0.1, "step": 25}) == pytest.approx(1e-3)
    # (3, 4) has norm 5; max_norm 1 → (0.6, 0.8) up to the 1e-6 in the denominator.
    clipped = oracles()["grad_clip_norm"]({"grads": [3.0, 4.0], "max_norm": 1.0})
    assert clipped == pytest.approx([0.6, 0.8], abs=1e-6)
    # 1,000 samples, batch 64: ⌈1000/64⌉ = 16 batches, ⌊1000/64⌋ = 15 with drop_last; 8 GPUs: 125 each → 2.
    ipe = oracles()["iters_per_epoch"]
    base = {"n": 1000, "batch_size": 64, "epochs": 1, "world_size": 1}
    assert ipe({**base, "drop_last": False}) == 16
    assert ipe({**base, "drop_last": True}) == 15
    assert ipe({**base, "drop_last": False, "world_size": 8}) == 2


def test_anchor_shapes_and_memory() -> None:
    # (8, 1, 6) + (7, 1) → (8, 7, 6); (2, 3, 4).permute(2, 0, 1) → (4, 2, 3); 32×3×224×224 float32 = 18.375 MiB.
    assert oracles()["broadcast_shape"]({"shapes": [[8, 1, 6], [7, 1]]}) == (8, 7, 6)
    assert oracles()["view_permute_shape"]({"shape": [2, 3, 4], "ops": ["permute(2, 0, 1)"]}) == (4, 2, 3)
    mem = oracles()["tensor_memory"]({"shape": [32, 3, 224, 224], "dtype": "float32", "unit": "MiB"})
    assert mem == pytest.approx(18.375)


def test_cosine_past_t_max_rises_again() -> None:
    for inst in instances("cosine_lr", range(50), level=3):
        assert inst.params["step"] > inst.params["t_max"]
        lr_at_t_max = inst.params["eta_min"]
        assert float(inst.answer) > lr_at_t_max  # type: ignore[arg-type]


def test_every_instance_clips() -> None:
    for level in levels("grad_clip_norm"):
        for inst in instances("grad_clip_norm", range(100), level):
            norm = float(np.linalg.norm(inst.params["grads"]))
            assert norm > inst.params["max_norm"]
            assert float(np.linalg.norm(inst.answer)) == pytest.approx(inst.params["max_norm"], rel=1e-6)
