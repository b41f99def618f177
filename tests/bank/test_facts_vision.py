"""Every number stated in the detection, segmentation and convolution-compute cards, recomputed with torch.

The cards live in question_bank/cv_detection.yaml (cv.detection), cv_segmentation.yaml (cv.segmentation) and
cnn_compute.yaml (cnn.compute). Each card that states a number has a fact function below that recomputes it
independently: IoUs by rasterising boxes, NMS by running the greedy loop, transposed convolutions with
nn.ConvTranspose2d and F.conv_transpose2d, dilated spans from autograd footprints, im2col with F.unfold, MACs with
forward hooks, parameters with nn.Conv3d, Winograd F(2×2, 3×3) by running it, backward passes with autograd. A fact
function returns (see tests/bank/facts.py):

- ``stated``: computed values, formatted as the card writes them; each must appear in both languages;
- ``givens``: the problem's inputs and documented constants (a year, a paper's anchor sizes, COCO's 80 classes);
- ``phrases``: exact phrases checked in the card's text;
- ``answer`` for numeric cards and ``correct`` for choice cards.

Every number token in every card must be a stated fact, a given, a number inside a checked phrase, or a small
structural integer (0–10), so a wrong or stale number fails a test.
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from quizforge.numeric.oracles.cnn import count_macs
from tests.bank import facts as bank
from tests.bank.facts import (
    NUMBER_SCI,
    FactFn,
    Facts,
    all_bank_ids,
    answer_mismatches,
    dec,
    fact_registrar,
    flat,
    full_text,
    missing_phrases,
    missing_stated,
    num,
    number_tokens,
    unchecked_by_lang,
)

pytestmark = pytest.mark.torch

FILES = ("cv_detection.yaml", "cv_segmentation.yaml", "cnn_compute.yaml")
PREFIXES = {"cv.detection": "det-", "cv.segmentation": "seg-", "cnn.compute": "comp-"}
D = torch.float64

load_cards, card = bank.card_loaders(FILES)

# Model and level names carry numbers that are names, not claims (ResNet-50, FCN-8s, AP50, F(2×2, 3×3) is a name).
MODEL_NAME = re.compile(r"\b(?:ResNet|VGG|FCN|AP|P|EfficientNet|MobileNet|int|fp|bf|R)-?\d+[a-z]*|\bF\([^)]*\)")


def numbers_in(text: str) -> set[str]:
    return number_tokens(text, NUMBER_SCI, MODEL_NAME)


REGISTRY: dict[str, FactFn] = {}
facts = fact_registrar(REGISTRY)


def g(*values: Any) -> frozenset[str]:
    return frozenset(str(v) for v in values)


def choice_index(q: dict[str, Any], en_start: str) -> int:
    """The index of the option whose English text starts with ``en_start``."""
    (i,) = [i for i, c in enumerate(q["choices"]) if c["en"].startswith(en_start)]
    return i


# -------------------------------------------------------------------------------------------------
# Torch computations shared by several cards
# -------------------------------------------------------------------------------------------------


def raster_iou(a: list[int], b: list[int]) -> float:
    """IoU of two boxes from the unit pixels they cover."""
    size = max(*a, *b) + 1
    xs, ys = torch.arange(size).view(1, -1), torch.arange(size).view(-1, 1)

    def mask(box: list[int]) -> torch.Tensor:
        return (xs >= box[0]) & (xs < box[2]) & (ys >= box[1]) & (ys < box[3])

    ma, mb = mask(a), mask(b)
    return int((ma & mb).sum()) / int((ma | mb).sum())


def greedy_nms(boxes: torch.Tensor, scores: torch.Tensor, threshold: float) -> list[int]:
    lt = torch.maximum(boxes[:, None, :2], boxes[None, :, :2])
    rb = torch.minimum(boxes[:, None, 2:], boxes[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    area = (boxes[:, 2:] - boxes[:, :2]).prod(-1)
    iou = inter / (area[:, None] + area[None, :] - inter)
    order, kept = scores.argsort(descending=True).tolist(), []
    while order:
        best = order.pop(0)
        kept.append(best)
        order = [i for i in order if iou[best, i] <= threshold]
    return sorted(kept)


def transposed_size(n: int, **kwargs: int) -> int:
    layer = nn.ConvTranspose2d(1, 1, **kwargs)  # type: ignore[arg-type]
    return int(layer(torch.zeros(1, 1, n, n)).shape[-1])


def conv_size(n: int, **kwargs: int) -> int:
    return int(nn.Conv2d(1, 1, **kwargs)(torch.zeros(1, 1, n, n)).shape[-1])  # type: ignore[arg-type]


def dilated_span(k: int, d: int) -> int:
    """Rows of the input one output of a dilated all-ones kernel depends on (span of the autograd footprint)."""
    x = torch.zeros(1, 1, 4 * d * k, 4 * d * k, dtype=D, requires_grad=True)
    y = F.conv2d(x, torch.ones(1, 1, k, k, dtype=D), dilation=d)
    (grad,) = torch.autograd.grad(y[0, 0, 0, 0], x)
    rows = torch.nonzero(grad[0, 0].abs().sum(dim=1)).flatten()
    return int(rows.max() - rows.min() + 1)


@cache
def winograd_f2x3() -> tuple[int, int]:
    """Run Winograd F(2×2, 3×3) on a random tile and check it against conv2d; return (its products, direct's)."""
    bt = torch.tensor([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], dtype=D)
    gm = torch.tensor([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]], dtype=D)
    at = torch.tensor([[1, 1, 1, 0], [0, 1, -1, -1]], dtype=D)
    torch.manual_seed(0)
    d, w = torch.randn(4, 4, dtype=D), torch.randn(3, 3, dtype=D)
    products = (gm @ w @ gm.T) * (bt @ d @ bt.T)  # the only multiplications that involve the data
    y = at @ products @ at.T
    assert torch.allclose(y, F.conv2d(d[None, None], w[None, None])[0, 0])
    return products.numel(), y.numel() * w.numel()


# -------------------------------------------------------------------------------------------------
# cv.detection
# -------------------------------------------------------------------------------------------------


@facts("det-rpn-anchors")
def _rpn() -> Facts:
    # Faster R-CNN (Ren et al., 2015): anchor areas 128², 256², 512²; IoU > 0.7 positive, < 0.3 negative.
    return Facts(givens=g(128, 256, 512, 0.7, 0.3))


@facts("det-box-param-why")
def _box_why() -> Facts:
    small, large = 4 / 16, 32 / 128
    assert small == large
    assert math.isclose(math.log(2), -math.log(1 / 2))
    return Facts(stated={"t": dec(small)}, givens=g(16, 32, 128))


@facts("det-box-targets-numeric")
def _box_targets() -> Facts:
    anchor, box = torch.tensor([50, 50, 32, 16], dtype=D), torch.tensor([58, 46, 64, 16], dtype=D)
    t = torch.cat([(box[:2] - anchor[:2]) / anchor[2:], torch.log(box[2:] / anchor[2:])])
    return Facts(stated={"tw": dec(t[2])}, givens=g(50, 32, 16, 58, 46, 64, 0.25), answer=t.tolist())


@facts("det-anchor-count")
def _anchor_count() -> Facts:
    per_position = 9
    positions = torch.zeros(60, 40).numel()
    return Facts(
        stated={"pos": str(positions), "total": str(positions * per_position)}, givens=g(60, 40), answer=positions * 9
    )


@facts("det-iou-numeric")
def _iou_numeric() -> Facts:
    iou = raster_iou([0, 0, 4, 4], [2, 2, 6, 6])
    return Facts(stated={"iou": dec(iou)}, phrases=("4/28 = 1/7",), givens=g(16), answer=iou)


@facts("det-nms", "det-choice-nms-threshold")
def _nms_threshold() -> Facts:
    # Raising the threshold never removes a survivor and, on overlapping boxes, keeps more.
    torch.manual_seed(0)
    more = 0
    for _ in range(50):
        xy = torch.randint(0, 20, (8, 2)).to(D)
        boxes = torch.cat([xy, xy + torch.randint(4, 12, (8, 2)).to(D)], dim=1)
        scores = torch.rand(8, dtype=D)
        low, high = greedy_nms(boxes, scores, 0.5), greedy_nms(boxes, scores, 0.7)
        assert len(high) >= len(low)
        more += len(high) > len(low)
    assert more > 10
    q = card("det-choice-nms-threshold")
    return Facts(givens=g(0.5, 0.7), correct=[choice_index(q, "More boxes survive")])


@facts("det-roialign")
def _roialign() -> Facts:
    return Facts(givens=g(16))  # a stride-16 feature map (Faster R-CNN's C4 backbone)


@facts("det-fpn")
def _fpn() -> Facts:
    assert [2**i for i in (2, 6)] == [4, 64]  # P2 … P6 strides
    return Facts(givens=g(64))


@facts("det-map", "det-choice-coco-map")
def _coco_map() -> Facts:
    thresholds = torch.arange(0.5, 0.951, 0.05, dtype=D)
    assert len(thresholds) == 10 and math.isclose(num(thresholds[-1]), 0.95)
    # COCO: 101 recall points, 80 categories; "42.0" is the example's reported value.
    q = card("det-choice-coco-map")
    return Facts(
        givens=g(0.5, "0.50", 0.55, 0.95, 0.05, 101, 80, 42.0), correct=[choice_index(q, "Over the 80 classes")]
    )


@facts("det-focal-loss-why")
def _focal() -> Facts:
    p = torch.tensor(0.9, dtype=D, requires_grad=True)
    ce = -torch.log(p)
    fl = (1 - p) ** 2 * ce
    factor = num(ce / fl)
    assert math.isclose(factor, 100)
    # RetinaNet: ~100k anchors per image, γ = 2, α = 0.25.
    return Facts(stated={"factor": str(round(factor))}, givens=g(0.9, 0.25, 100000))


@cache
def shifted_box_ious() -> tuple[float, float]:
    """IoU of a 10×10 and of a 100×100 box with itself shifted by 2 pixels in x and y."""
    return raster_iou([0, 0, 10, 10], [2, 2, 12, 12]), raster_iou([0, 0, 100, 100], [2, 2, 102, 102])


@facts("det-scenario-tiny-objects")
def _tiny() -> Facts:
    small, _ = shifted_box_ious()
    assert small < 0.5
    # A 16-pixel object in a 3,840-pixel-wide 4K frame resized to 800 pixels: about 3 pixels.
    assert round(16 * 800 / 3840) == 3
    return Facts(givens=g(0.5, 16, 20, 32, 800))


@facts("det-choice-small-box-iou")
def _small_box() -> Facts:
    small, large = shifted_box_ious()
    assert small < 0.5 < large
    q = card("det-choice-small-box-iou")
    return Facts(
        stated={"small": dec(small, 2), "large": dec(large, 2)},
        phrases=("64/136", "9,604/10,396"),
        givens=g(0.5, 12, 100),
        correct=[choice_index(q, "The IoU drop depends on the box size")],
    )


@facts("det-scenario-realtime-edge")
def _realtime() -> Facts:
    budget = 1000 / 30
    assert math.floor(budget) == 33
    return Facts(givens=g(30, 33))


# -------------------------------------------------------------------------------------------------
# cv.segmentation
# -------------------------------------------------------------------------------------------------


@facts("seg-fcn")
def _fcn() -> Facts:
    # Five 2×2 max-pools: stride 32; pool4 is at stride 16. A fully connected layer over a 7×7 map is a 7×7 conv.
    x = torch.randn(1, 512, 224, 224)
    for _ in range(5):
        x = F.max_pool2d(x, 2)
    assert 224 // x.shape[-1] == 32
    torch.manual_seed(0)
    fc = nn.Linear(8 * 7 * 7, 4).double()
    conv = nn.Conv2d(8, 4, 7).double()
    with torch.no_grad():
        conv.weight.copy_(fc.weight.view(4, 8, 7, 7))
        assert conv.bias is not None
        conv.bias.copy_(fc.bias)
    feat = torch.randn(2, 8, 7, 7, dtype=D)
    assert torch.allclose(conv(feat).flatten(1), fc(feat.flatten(1)))
    return Facts(givens=g(32, 16, 2015))  # Long, Shelhamer and Darrell, CVPR 2015


@facts("seg-unet")
def _unet() -> Facts:
    return Facts(givens=g(2015))  # Ronneberger, Fischer and Brox, MICCAI 2015


@facts("seg-convtranspose-size-numeric")
def _ct_size() -> Facts:
    out = transposed_size(16, kernel_size=3, stride=2, padding=1)
    assert transposed_size(16, kernel_size=4, stride=2, padding=1) == 32
    return Facts(stated={"out": str(out)}, phrases=("15·2 − 2 + 2 + 1",), givens=g(16, 64, 32), answer=out)


@facts("seg-convtranspose-output-padding")
def _ct_op() -> Facts:
    out = transposed_size(16, kernel_size=3, stride=2, padding=1, output_padding=1)
    # Both 31 and 32 map to 16 under the matching convolution.
    assert conv_size(31, kernel_size=3, stride=2, padding=1) == conv_size(32, kernel_size=3, stride=2, padding=1) == 16
    return Facts(stated={"out": str(out)}, phrases=("15·2 − 2 + 2 + 1 + 1",), givens=g(16, 64, 31), answer=out)


@facts("seg-convtranspose-values-numeric")
def _ct_values() -> Facts:
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=D)[None, None]
    out = F.conv_transpose2d(x, torch.ones(1, 1, 2, 2, dtype=D), stride=1)[0, 0]
    return Facts(phrases=("1 + 2 + 3 + 4 = 10",), answer=out.tolist())


@facts("seg-checkerboard", "seg-choice-checkerboard")
def _checkerboard() -> Facts:
    def coverage(k: int, s: int) -> torch.Tensor:
        """How many stamps reach each interior output pixel of a stride-s transposed conv of an all-ones map."""
        out = F.conv_transpose2d(torch.ones(1, 1, 8, 8, dtype=D), torch.ones(1, 1, k, k, dtype=D), stride=s)
        return out[0, 0, k:-k, k:-k]

    assert set(torch.unique(coverage(3, 2)).tolist()) == {1.0, 2.0, 4.0}  # uneven: the checkerboard
    assert len(torch.unique(coverage(5, 2))) > 1
    assert len(torch.unique(coverage(4, 2))) == 1  # divisible by the stride: even
    resized = F.interpolate(torch.ones(1, 1, 8, 8, dtype=D), scale_factor=2, mode="bilinear")
    smoothed = F.conv2d(resized, torch.ones(1, 1, 3, 3, dtype=D))
    assert len(torch.unique(smoothed)) == 1
    q = card("seg-choice-checkerboard")
    return Facts(givens=g(2016), correct=[choice_index(q, "Bilinear resize followed by")])  # Odena et al., Distill 2016


@facts("seg-choice-deconv-inverse")
def _not_inverse() -> Facts:
    # The conv's matrix C by running conv2d on basis images; the transposed conv is Cᵀ; CᵀC is not the identity.
    torch.manual_seed(0)
    w = torch.randn(1, 1, 3, 3, dtype=D)
    basis = torch.eye(36, dtype=D).view(36, 1, 6, 6)
    c = F.conv2d(basis, w, stride=2).flatten(1).T  # (outputs, inputs)
    y = torch.randn(1, 1, 2, 2, dtype=D)
    assert torch.allclose(F.conv_transpose2d(y, w, stride=2, output_padding=1).flatten(), c.T @ y.flatten())
    assert not torch.allclose(c.T @ c, torch.eye(36, dtype=D))
    q = card("seg-choice-deconv-inverse")
    return Facts(correct=[choice_index(q, "No: it applies the transpose")])


@facts("seg-dilated-deeplab")
def _deeplab() -> Facts:
    for d in (1, 2, 6):
        assert dilated_span(3, d) == 2 * d + 1
    return Facts(givens=g(16, 32, 12, 18))  # DeepLabv3: output stride 16 (or 8), ASPP rates 6, 12, 18


@facts("seg-aspp-span-numeric")
def _aspp() -> Facts:
    span = dilated_span(3, 18)
    return Facts(stated={"span": str(span)}, phrases=("3 + 2·17",), givens=g(18), answer=span)


@facts("seg-dice-from-iou-numeric")
def _dice_iou() -> Facts:
    # Two masks with IoU 1/2: a 4-pixel mask and a 2-pixel mask inside it.
    a = torch.tensor([1, 1, 1, 1], dtype=D)
    b = torch.tensor([1, 1, 0, 0], dtype=D)
    iou = num((a * b).sum() / ((a + b) > 0).sum())
    dice = num(2 * (a * b).sum() / (a.sum() + b.sum()))
    assert iou == 0.5 and math.isclose(dice, 2 * iou / (1 + iou))
    return Facts(stated={"dice": dec(dice)}, givens=g(0.5, 1.5), answer=dice)


@facts("seg-mask-rcnn", "seg-choice-mask-loss")
def _mask_rcnn() -> Facts:
    q = card("seg-choice-mask-loss")
    return Facts(givens=g(28, 2017), correct=[choice_index(q, "Per-pixel sigmoid")])  # He et al., ICCV 2017


@facts("seg-scenario-medical-imbalance")
def _medical() -> Facts:
    target = torch.zeros(100, 100)
    target[:10, :10] = 1  # 1% foreground
    pred = torch.zeros_like(target)  # all background
    accuracy = num((pred == target).float().mean())
    dice = num(2 * (pred * target).sum() / (pred.sum() + target.sum()))
    assert round(accuracy * 100) == 99 and dice == 0
    return Facts(stated={"acc": str(round(accuracy * 100))}, givens=g(300))


# -------------------------------------------------------------------------------------------------
# cnn.compute
# -------------------------------------------------------------------------------------------------


@cache
def conv_backward_rules() -> bool:
    """dW = X ⋆ dY, dX = conv_transpose2d(dY, W) (= full conv with the 180°-rotated kernel), db = Σ dY."""
    torch.manual_seed(0)
    x = torch.randn(2, 3, 7, 7, dtype=D, requires_grad=True)
    conv = nn.Conv2d(3, 4, 3).double()
    y = conv(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    bias = conv.bias
    assert x.grad is not None and conv.weight.grad is not None and bias is not None and bias.grad is not None
    dw = F.conv2d(x.detach().transpose(0, 1), dy.transpose(0, 1)).transpose(0, 1)
    assert torch.allclose(conv.weight.grad, dw)
    assert torch.allclose(x.grad, F.conv_transpose2d(dy, conv.weight.detach()))
    full = F.conv2d(F.pad(dy, (2, 2, 2, 2)), conv.weight.detach().flip(-1, -2).transpose(0, 1))
    assert torch.allclose(x.grad, full)
    assert torch.allclose(bias.grad, dy.sum(dim=(0, 2, 3)))
    return True


@facts("comp-conv-backward", "comp-choice-dx")
def _conv_backward() -> Facts:
    assert conv_backward_rules()
    q = card("comp-choice-dx")
    return Facts(givens=g(180), correct=[choice_index(q, "A full convolution of dL/dY")])


@facts("comp-choice-bias-grad")
def _bias_grad() -> Facts:
    assert conv_backward_rules()
    q = card("comp-choice-bias-grad")
    return Facts(correct=[choice_index(q, "dL/dY summed over N, H and W")])


@facts("comp-im2col-numeric")
def _im2col() -> Facts:
    cols = F.unfold(torch.zeros(1, 3, 32, 32), kernel_size=3, padding=1)[0]
    w = torch.randn(64, 3, 3, 3, dtype=D)
    x = torch.randn(1, 3, 32, 32, dtype=D)
    gemm = w.view(64, -1) @ F.unfold(x, 3, padding=1)[0]
    assert torch.allclose(gemm.view(1, 64, 32, 32), F.conv2d(x, w, padding=1))
    rows, positions = cols.shape
    return Facts(stated={"rows": str(rows), "cols": str(positions)}, givens=g(32, 64), answer=list(cols.shape))


@facts("comp-im2col")
def _im2col_concept() -> Facts:
    return Facts()


def winograd_facts() -> dict[str, str]:
    fast, direct = winograd_f2x3()
    # F(4×4, 3×3): (4 + 3 − 1)² = 36 products for a tile whose direct cost is 16·9 = 144.
    big_fast, big_direct = (4 + 3 - 1) ** 2, 16 * 9
    assert big_fast == direct
    return {"fast": str(fast), "direct": str(direct), "big": str(big_direct)}


@facts("comp-winograd")
def _winograd() -> Facts:
    fast, direct = winograd_f2x3()
    return Facts(stated={**winograd_facts(), "ratio": dec(direct / fast)})


@facts("comp-choice-winograd")
def _winograd_choice() -> Facts:
    fast, direct = winograd_f2x3()
    q = card("comp-choice-winograd")
    return Facts(stated=winograd_facts(), correct=[choice_index(q, f"{fast} instead of {direct}")])


@facts("comp-macs-flops")
def _macs_flops() -> Facts:
    # He et al. (2016), Table 1: ResNet-50 "3.8×10⁹ FLOPs", counted as multiply-adds (38 亿 = 3.8 billion).
    assert 3.8e9 == 38 * 10**8
    return Facts(givens=g(3.8, 38))


@facts("comp-gflops-numeric")
def _gflops() -> Facts:
    macs = count_macs(nn.Conv2d(64, 64, 3, padding=1), torch.zeros(1, 64, 56, 56))
    flops = 2 * macs
    return Facts(
        stated={"macs": str(macs), "flops": str(flops), "g": dec(flops / 1e9, 2), "gmac": dec(macs / 1e9, 2)},
        givens=g(56, 64),
        answer=round(flops / 1e9, 2),
    )


@facts("comp-choice-memory-bound")
def _memory_bound() -> Facts:
    # MACs per output element: a dense 3×3 conv 256 → 256 does 9·256, a depthwise one 9.
    dense = count_macs(nn.Conv2d(256, 256, 3, padding=1), torch.zeros(1, 256, 56, 56)) // (256 * 56 * 56)
    depthwise = count_macs(nn.Conv2d(256, 256, 3, padding=1, groups=256), torch.zeros(1, 256, 56, 56)) // (
        256 * 56 * 56
    )
    assert (dense, depthwise) == (9 * 256, 9)
    q = card("comp-choice-memory-bound")
    return Facts(givens=g(56, 64, 256), correct=[choice_index(q, "A 3×3 convolution from 256 to 256")])


@facts("comp-conv1d-text")
def _conv1d() -> Facts:
    emb = nn.Embedding(100, 16)(torch.randint(0, 100, (2, 12)))  # (N, L, E)
    out = nn.Conv1d(16, 8, 3)(emb.transpose(1, 2))
    assert out.shape == (2, 8, 10)
    return Facts(givens=g(2014))  # Kim, EMNLP 2014


@facts("comp-conv3d-params-numeric")
def _conv3d() -> Facts:
    m = nn.Conv3d(3, 64, 3)
    total = sum(p.numel() for p in m.parameters())
    per_filter = m.weight[0].numel()
    return Facts(
        stated={"filter": str(per_filter), "weights": str(m.weight.numel()), "total": str(total)},
        givens=g(27, 64),
        answer=total,
    )


@facts("comp-conv3d")
def _conv3d_concept() -> Facts:
    c_in, c_out, k = 4, 5, 3
    three = sum(p.numel() for p in nn.Conv3d(c_in, c_out, k).parameters())
    assert three == k**3 * c_in * c_out + c_out
    assert nn.Conv3d(c_in, c_out, k).weight.numel() == k * nn.Conv2d(c_in, c_out, k).weight.numel()
    return Facts()


# -------------------------------------------------------------------------------------------------
# The checks
# -------------------------------------------------------------------------------------------------


def test_registered_cards_exist() -> None:
    assert set(REGISTRY) <= set(load_cards())


@pytest.mark.parametrize("card_id", sorted(REGISTRY))
def test_stated_facts_appear_as_computed(card_id: str) -> None:
    q, f = card(card_id), REGISTRY[card_id]()
    for lang in ("en", "zh"):
        text = full_text(q, lang)
        missing = missing_stated(f, numbers_in(text))
        assert not missing, f"{card_id} ({lang}): computed values not in the card: {missing}"
        absent = missing_phrases(f, text, lang)
        assert not absent, f"{card_id} ({lang}): phrases missing: {absent}"


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
    given, computed = flat(q["answer"]), [num(c) for c in flat(expected)]
    assert not (bad := answer_mismatches(given, computed, q.get("tolerance", {}))), (card_id, bad)


CHOICE = sorted(cid for cid, q in load_cards().items() if q["kind"] == "choice")
# Choice cards decided by a documented design, not a number; their explanations say why each option is wrong.
EXPLAINED_CHOICES = ("det-choice-roialign", "seg-choice-unet-skip")


@pytest.mark.parametrize("card_id", CHOICE)
def test_choice_answers(card_id: str) -> None:
    if card_id in EXPLAINED_CHOICES:
        return
    assert card_id in REGISTRY and REGISTRY[card_id]().correct is not None, card_id
    assert card(card_id)["correct"] == REGISTRY[card_id]().correct


def test_ids_topics_and_follow_ups() -> None:
    cards, everywhere = load_cards(), all_bank_ids()
    links = 0
    for cid, q in cards.items():
        assert cid.startswith(PREFIXES[q["topic"]]), (cid, q["topic"])
        for target in q.get("follow_ups", ()):
            assert target in everywhere and target != cid, f"{cid} → {target}"
            links += 1
    assert links >= 30


SENTENCE_END = {"en": re.compile(r"[.!?](?=\s|$)"), "zh": re.compile(r"[。！？]")}


def test_coverage_per_topic() -> None:
    by_topic: dict[str, list[dict[str, Any]]] = {}
    for q in load_cards().values():
        by_topic.setdefault(q["topic"], []).append(q)
    assert set(by_topic) == set(PREFIXES)
    for topic, qs in by_topic.items():
        kinds = [q["kind"] for q in qs]
        assert len(qs) >= 18, topic
        assert kinds.count("concept") >= 5 and kinds.count("choice") >= 3, topic
        assert kinds.count("numeric") + kinds.count("generated") >= 3, topic
        assert any("scenario" in q.get("tags", ()) for q in qs), topic
    for q in load_cards().values():
        if q["kind"] == "concept":
            assert 3 <= len(q["key_points"]) <= 6, q["id"]
            assert all(kp.get("keywords", {}).get(lang) for kp in q["key_points"] for lang in ("en", "zh")), q["id"]
            words = len(q["answer"]["en"].split())
            assert 80 <= words <= 200, (q["id"], words)


def test_generated_cards_match_their_family() -> None:
    from quizforge.numeric.base import families

    known = families()
    vision = {name for name, fam in known.items() if fam.draw.__module__.endswith(".vision")}
    used = set()
    for cid, q in load_cards().items():
        if q["kind"] == "generated":
            fam = known[q["generator"]]
            assert fam.topic == q["topic"] and fam.difficulty == q["difficulty"], cid
            used.add(q["generator"])
    assert used == vision


def test_chinese_text_uses_chinese_punctuation() -> None:
    for cid, q in load_cards().items():
        zh = full_text(q, "zh")
        assert not re.search(r"[\u4e00-\u9fff][,;:](?!\d)|[\u4e00-\u9fff]\"|\"[\u4e00-\u9fff]", zh), cid
        # A folded YAML line break turns into a space: none between Chinese characters or after 。，；：
        assert not re.search(r"[\u4e00-\u9fff，。；：、] +[\u4e00-\u9fff]", zh), cid
        assert not re.search(r"\\[a-zA-Z]+|\$", zh + full_text(q, "en")), cid
