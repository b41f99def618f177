"""Vision families (detection, segmentation, how convolution is computed): every family and level against its
torch oracle, the named mistakes, the torch snippets, and hand-derived anchors.

The oracles (quizforge/numeric/oracles/vision.py) rasterise boxes, run nn.ConvTranspose2d / F.unfold / nn.Conv1d /
nn.Conv3d and use autograd for the backward passes; the families compute with NumPy and closed forms. Anchors are
derived by hand in the comments, never copied from the code under test.
"""

from __future__ import annotations

import copy
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
from quizforge.numeric.base import Instance, answers_agree, families, get_family
from quizforge.numeric.families import vision
from quizforge.numeric.oracle import oracles

pytestmark = pytest.mark.torch

FAMILIES = {
    "iou_boxes": "cv.detection",
    "nms_survivors": "cv.detection",
    "box_regression_targets": "cv.detection",
    "conv_transpose_output_size": "cv.segmentation",
    "conv_transpose2d_values": "cv.segmentation",
    "dilated_effective_kernel": "cv.segmentation",
    "dice_score": "cv.segmentation",
    "conv_backward_weight": "cnn.compute",
    "conv_backward_input": "cnn.compute",
    "pool_backward": "cnn.compute",
    "im2col_shape": "cnn.compute",
    "conv1d_text_shape": "cnn.compute",
    "conv3d_params": "cnn.compute",
}
NAMES = sorted(FAMILIES)
LEVELS = [(name, level) for name in NAMES for level in range(1, get_family(name).levels + 1)]
CJK = re.compile(r"[\u4e00-\u9fff]")


def instances(name: str, level: int | None, seeds: range) -> Iterator[Instance]:
    fam = get_family(name)
    for seed in seeds:
        yield fam.generate(seed, level)


def test_registered_with_oracles_levels_and_mistakes() -> None:
    registered, orcs = families(), oracles()
    for name, topic in FAMILIES.items():
        fam = registered[name]
        assert fam.topic == topic, name
        assert name in orcs, name
        assert fam.levels >= 3, name
        assert len(fam.mistakes) >= 2, name
        assert fam.torch_code is not None, name
    assert len(FAMILIES) >= 10


@pytest.mark.slow  # many seeds per family and level through torch (CI runs it)
@pytest.mark.parametrize(("name", "level"), LEVELS)
def test_family_agrees_with_torch_oracle(name: str, level: int) -> None:
    oracle = oracles()[name]
    for inst in instances(name, level, range(300)):
        where = f"{name} level {level} seed {inst.seed} params {inst.params}"
        params = json.loads(json.dumps(inst.params))  # as a script reading `generate --json` sees them
        expected = oracle(params)
        assert answers_agree(inst.answer, expected, inst.answer_kind, inst.tolerance), f"{where}: torch {expected}"
        if inst.answer_kind is AnswerKind.NUMBER:
            assert inst.tolerance.accepts(float(expected), float(inst.answer)), where  # type: ignore[arg-type]
        elif inst.answer_kind is AnswerKind.MATRIX:
            np.testing.assert_allclose(np.asarray(inst.answer, float), np.asarray(expected, float), err_msg=where)


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_instance(name: str) -> None:
    fam = get_family(name)
    for seed in (0, 1, 7, 12345, 2**31 - 1):
        for level in range(1, fam.levels + 1):
            a, b = fam.generate(seed, level), fam.generate(seed, level)
            assert json.dumps(a.to_json(), sort_keys=True) == json.dumps(b.to_json(), sort_keys=True)
            assert a.level == level
    assert fam.generate(3) == fam.generate(3, fam.default_level)
    assert len({json.dumps(i.params, sort_keys=True) for i in instances(name, None, range(40))}) >= 5


@pytest.mark.parametrize(("name", "level"), LEVELS)
def test_bilingual_numbered_solution_with_the_answer(name: str, level: int) -> None:
    for inst in instances(name, level, range(40)):
        for text in (inst.prompt, inst.solution):
            assert text.en.strip() and text.zh.strip()
            assert CJK.search(text.zh), text.zh
            assert not CJK.search(text.en), text.en
        for lang in ("en", "zh"):
            sol = inst.solution.get(lang)
            assert sol.startswith("1. ") and "\n2. " in sol, (name, level, sol[:80])
        json.dumps(inst.to_json())
        if inst.answer_kind is AnswerKind.NUMBER:
            a = float(inst.answer)  # type: ignore[arg-type]
            shown = f"{int(a):,}" if a.is_integer() else f"{a:.4f}"
            assert shown in inst.solution.en and shown in inst.solution.zh, (name, inst.seed, shown)
        elif inst.answer_kind is AnswerKind.SHAPE:
            shown = "×".join(map(str, inst.answer))  # type: ignore[arg-type]
            assert shown in inst.solution.en and shown in inst.solution.zh


@pytest.mark.slow
@pytest.mark.parametrize(("name", "level"), LEVELS)
def test_each_mistake_differs_from_the_answer(name: str, level: int) -> None:
    fam = get_family(name)
    steps = {inst.seed: inst.solution.en.count("\n") + 1 for inst in instances(name, level, range(5))}
    for m in fam.mistakes:
        assert m.text.en.strip() and CJK.search(m.text.zh), (name, m.id)
        assert 1 <= m.step <= min(steps.values()), (name, m.id, m.step)
        differ = sum(
            not answers_agree(inst.answer, m.answer(inst.params), inst.answer_kind, inst.tolerance)
            for inst in instances(name, level, range(200))
        )
        assert differ >= 160, f"{name} level {level}: mistake {m.id} equals the answer on {200 - differ}/200 seeds"


def test_torch_snippets_print_a_correct_answer() -> None:
    """Every family's snippet, for 3 seeds (levels cycling), run in one subprocess; each printed value must grade
    as correct."""
    cases: list[Instance] = []
    for name in NAMES:
        fam = get_family(name)
        for seed in range(3):
            cases.append(fam.generate(seed, seed % fam.levels + 1))
    marker = "=====SNIPPET====="
    program = "\n".join(
        f"print({marker!r})\nexec({inst.torch_code!r}, {{}})" for inst in cases if inst.torch_code is not None
    )
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300, check=True)
    printed = [chunk.strip() for chunk in out.stdout.split(marker)[1:]]
    assert len(printed) == len(cases)
    for inst, text in zip(cases, printed, strict=True):
        verdict = grade(inst.answer, text, inst.answer_kind, inst.tolerance, n_choices=len(inst.choices) or None)
        assert verdict.correct, f"{inst.family} seed {inst.seed}: snippet printed {text!r}, answer {inst.answer}"


# --- the public contract ------------------------------------------------------------------------------------------


def test_contract_conv_transpose_output_size() -> None:
    keys = {"size", "kernel", "stride", "padding", "output_padding", "dilation"}
    seen_op, seen_d = False, False
    for level in (1, 2, 3):
        for inst in instances("conv_transpose_output_size", level, range(100)):
            assert set(inst.params) == keys
            assert all(isinstance(v, int) for v in inst.params.values())
            seen_op |= inst.params["output_padding"] > 0
            seen_d |= inst.params["dilation"] > 1
    assert seen_op and seen_d


def test_contract_iou_boxes() -> None:
    for level in (1, 2, 3):
        for inst in instances("iou_boxes", level, range(100)):
            assert set(inst.params) == {"box_a", "box_b"}
            for box in inst.params.values():
                assert len(box) == 4 and box[0] < box[2] and box[1] < box[3]


def test_oracles_do_not_mutate_params() -> None:
    for name in NAMES:
        inst = get_family(name).generate(5)
        before = copy.deepcopy(inst.params)
        oracles()[name](inst.params)
        assert inst.params == before, name


# --- hand-derived anchors -----------------------------------------------------------------------------------------


def test_anchor_iou() -> None:
    # [0,0,4,4] and [2,2,6,6]: areas 16 and 16, intersection 2·2 = 4, union 28: IoU 1/7.
    assert vision.iou([0, 0, 4, 4], [2, 2, 6, 6]) == pytest.approx(1 / 7)
    assert oracles()["iou_boxes"]({"box_a": [0, 0, 4, 4], "box_b": [2, 2, 6, 6]}) == round(1 / 7, 4)
    # A 10×10 box shifted by 2 px diagonally: 8·8 = 64 over 200 − 64 = 136.
    assert vision.iou([0, 0, 10, 10], [2, 2, 12, 12]) == pytest.approx(64 / 136)


def test_anchor_nms() -> None:
    # Scores A 0.9 > B 0.8 > C 0.7. IoU(A, B) = 16/20... A=[0,0,4,4], B=[0,0,4,5]: 16/20 = 0.8 > 0.5, B goes.
    # C=[0,1,4,6] overlaps B (16/24 ≈ 0.67) but B was suppressed; IoU(A, C) = 12/(16 + 20 − 12) = 0.5 ≤ 0.5: C stays.
    boxes = [[0, 0, 4, 4], [0, 0, 4, 5], [0, 1, 4, 6]]
    scores = [0.9, 0.8, 0.7]
    assert vision.nms(boxes, [9, 8, 7], 0.5) == [0, 2]
    assert oracles()["nms_survivors"]({"boxes": boxes, "scores": scores, "iou_threshold": 0.5}) == [0, 2]


def test_anchor_box_targets() -> None:
    # Anchor (50, 50, 32, 16), box (58, 46, 64, 16): 8/32, −4/16, ln 2, ln 1.
    t = vision.box_targets([50, 50, 32, 16], [58, 46, 64, 16])
    assert t == pytest.approx([0.25, -0.25, math.log(2), 0.0])


def test_anchor_conv_transpose() -> None:
    # (16 − 1)·2 − 2·1 + (3 − 1) + 1 = 31; with output_padding 1: 32; k = 4, p = 1: 30 − 2 + 3 + 1 = 32.
    assert vision.conv_transpose_out(16, 3, 2, 1, 0, 1) == 31
    assert vision.conv_transpose_out(16, 3, 2, 1, 1, 1) == 32
    assert vision.conv_transpose_out(16, 4, 2, 1, 0, 1) == 32
    # [[1, 2], [3, 4]] stamped with a 2×2 kernel of ones at stride 1: the centre sums all four inputs.
    out = vision.conv_transpose2d(np.array([[1.0, 2.0], [3.0, 4.0]]), np.ones((2, 2)), 1, 0)
    assert out.tolist() == [[1, 3, 2], [4, 10, 6], [3, 7, 4]]


def test_anchor_dilation_and_dice() -> None:
    # 3×3 with dilation 2 spans 5; with dilation 18 spans 3 + 2·17 = 37.
    assert oracles()["dilated_effective_kernel"]({"kernel": 3, "dilation": 2}) == 5
    assert oracles()["dilated_effective_kernel"]({"kernel": 3, "dilation": 18}) == 37
    # |A| = 4, |B| = 6, overlap 3: Dice 6/10 = 0.6 (IoU 3/7).
    assert oracles()["dice_score"]({"pred_pixels": 4, "target_pixels": 6, "overlap": 3}) == 0.6


def test_anchor_conv_backward() -> None:
    # X = [[1,2,3],[4,5,6],[7,8,9]], dY = [[1,0],[0,0]]: dW is the top-left 2×2 window [[1,2],[4,5]];
    # W = [[1,2],[3,4]], dY = [[0,0],[0,1]]: dX places W at the bottom-right, unflipped.
    x = np.arange(1, 10, dtype=float).reshape(3, 3)
    assert vision.conv_weight_grad(x, np.array([[1.0, 0], [0, 0]]), 1, 2).tolist() == [[1, 2], [4, 5]]
    dx = vision.conv_input_grad(np.array([[1.0, 2], [3, 4]]), np.array([[0.0, 0], [0, 1]]), 1, 3)
    assert dx.tolist() == [[0, 0, 0], [0, 1, 2], [0, 3, 4]]


def test_anchor_pool_backward() -> None:
    # 2×2 max pool of [[1,2],[4,3]] with dY = 5 sends 5 to the 4; average pooling sends 5/4 everywhere.
    x, dy = np.array([[1.0, 2], [4, 3]]), np.array([[5.0]])
    assert vision.pool_backward(x, dy, 2, 2, "max").tolist() == [[0, 0], [5, 0]]
    assert vision.pool_backward(x, dy, 2, 2, "avg").tolist() == [[1.25, 1.25], [1.25, 1.25]]


def test_anchor_shapes_and_params() -> None:
    # im2col of 3×32×32, 3×3, padding 1: 27 rows × 1,024 positions.
    params = {"batch": 1, "channels": 3, "height": 32, "width": 32, "kernel": 3, "stride": 1, "padding": 1}
    assert oracles()["im2col_shape"](params) == (27, 1024)
    # Conv3d(3, 64, 3): 27·3·64 + 64 = 5,248.
    assert oracles()["conv3d_params"]({"c_in": 3, "c_out": 64, "kernel": [3, 3, 3], "bias": True, "groups": 1}) == 5248
    # Conv1d(300, 100, 3) over 50 tokens: (N, 100, 48).
    c1 = {"batch": 8, "length": 50, "embed_dim": 300, "out_channels": 100, "kernel": 3, "padding": 0, "stride": 1}
    assert oracles()["conv1d_text_shape"](c1) == (8, 100, 48)


def test_grading_names_the_mistake_answer_wrong() -> None:
    # A user who divides by A + B on the 1/7 instance types 4/32 = 0.125: wrong.
    inst = next(i for i in instances("iou_boxes", 1, range(2000)) if i.params["box_a"] != i.params["box_b"])
    m = next(m for m in get_family("iou_boxes").mistakes if m.id == "sum-of-areas")
    wrong: Any = m.answer(inst.params)
    assert not grade(inst.answer, str(wrong), inst.answer_kind, inst.tolerance).correct
