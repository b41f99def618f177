"""Vision families: detection (IoU, NMS, box-regression targets), segmentation (transposed convolution,
dilation, Dice) and how a convolution is computed (backward passes, pool backward, im2col, 1-D and 3-D
convolutions).

Answers come from the NumPy code in this module (closed-form sizes, scatter-add transposed convolution,
explicit sums for the backward passes); the torch oracles in :mod:`quizforge.numeric.oracles.vision`
recompute each one with real layers, autograd or rasterised masks.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from quizforge.answer import AnswerKind, Tolerance
from quizforge.numeric.base import Draft, Params, family, mistake, torch_snippet
from quizforge.numeric.families.cnn import conv_out, fmt_grid, fmt_num, fmt_shape, mat, pick
from quizforge.text import Text

# Answers asked "to 4 decimal places": anything that rounds to the right 4th decimal passes.
FOUR_DECIMALS = Tolerance(rel=0.0, abs=0.0005 + 1e-9)
Grid = np.ndarray[Any, Any]


def _steps(lines: list[str]) -> str:
    """Numbered steps, one per line: ``1. …``."""
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))


def _m(v: float | str) -> str:
    """A number for prose, with the typographic minus the bank uses (−3, not -3)."""
    text = v if isinstance(v, str) else fmt_num(float(v))
    return text.replace("-", "−")


def _d4(v: float) -> str:
    """Four decimals with a typographic minus."""
    return _m(f"{v:.4f}")


def _r4(v: float) -> float:
    return round(float(v), 4)


# ---------------------------------------------------------------------------------------------
# cv.detection
# ---------------------------------------------------------------------------------------------


def _area(b: list[int]) -> int:
    return max(0, b[2] - b[0]) * max(0, b[3] - b[1])


def _inter(a: list[int], b: list[int]) -> tuple[int, int]:
    """Width and height of the intersection of two boxes (0 when they do not overlap)."""
    return max(0, min(a[2], b[2]) - max(a[0], b[0])), max(0, min(a[3], b[3]) - max(a[1], b[1]))


def iou(a: list[int], b: list[int]) -> float:
    """Intersection over union of two ``[x1, y1, x2, y2]`` boxes (continuous coordinates, no +1)."""
    w, h = _inter(a, b)
    inter = w * h
    return inter / (_area(a) + _area(b) - inter)


def _random_box(rng: np.random.Generator, lo: int, hi: int, min_side: int, max_side: int) -> list[int]:
    w = int(rng.integers(min_side, max_side + 1))
    h = int(rng.integers(min_side, max_side + 1))
    x1 = int(rng.integers(lo, hi - w + 1))
    y1 = int(rng.integers(lo, hi - h + 1))
    return [x1, y1, x1 + w, y1 + h]


@family(
    "iou_boxes",
    topic="cv.detection",
    title=Text("IoU of two boxes", "两个框的 IoU"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_iou_boxes(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: small overlapping boxes; 2: larger coordinates; 3: nested or corner-touching-free general boxes."""
    while True:
        if level == 1:
            a, b = _random_box(rng, 0, 8, 2, 5), _random_box(rng, 0, 8, 2, 5)
        elif level == 2:
            a, b = _random_box(rng, 0, 40, 6, 20), _random_box(rng, 0, 40, 6, 20)
        else:
            a = _random_box(rng, 0, 60, 20, 40)
            if rng.integers(2):  # b nested inside a: IoU is the ratio of the areas
                bw, bh = int(rng.integers(4, a[2] - a[0])), int(rng.integers(4, a[3] - a[1]))
                bx, by = int(rng.integers(a[0], a[2] - bw + 1)), int(rng.integers(a[1], a[3] - bh + 1))
                b = [bx, by, bx + bw, by + bh]
            else:
                b = _random_box(rng, 0, 60, 8, 30)
        w, h = _inter(a, b)
        inter = w * h
        # Overlapping, so the mistakes differ; nested boxes only at level 3.
        if inter > 0 and a != b and (level == 3 or inter != min(_area(a), _area(b))):
            break
    area_a, area_b = _area(a), _area(b)
    union = area_a + area_b - inter
    value = inter / union
    prompt = Text(
        f"Box A = {a} and box B = {b}, both as [x1, y1, x2, y2] in pixels (continuous coordinates: "
        "width = x2 − x1). What is their IoU? Give 4 decimal places.",
        f"框 A = {a}，框 B = {b}，格式均为 [x1, y1, x2, y2]，单位像素（连续坐标：宽 = x2 − x1）。"
        "它们的 IoU 是多少？保留 4 位小数。",
    )
    ix1, iy1, ix2, iy2 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    en = [
        f"Areas: A = ({a[2]} − {a[0]})·({a[3]} − {a[1]}) = {area_a}, "
        f"B = ({b[2]} − {b[0]})·({b[3]} − {b[1]}) = {area_b}.",
        f"Intersection: x from max({a[0]}, {b[0]}) = {ix1} to min({a[2]}, {b[2]}) = {ix2}, y from {iy1} to {iy2}: "
        f"{w}·{h} = {inter}.",
        f"Union = A + B − intersection = {area_a} + {area_b} − {inter} = {union}.",
        f"IoU = {inter}/{union} ≈ {value:.4f}.",
    ]
    zh = [
        f"面积：A = ({a[2]} − {a[0]})·({a[3]} − {a[1]}) = {area_a}，"
        f"B = ({b[2]} − {b[0]})·({b[3]} − {b[1]}) = {area_b}。",
        f"交集：x 从 max({a[0]}, {b[0]}) = {ix1} 到 min({a[2]}, "
        f"{b[2]}) = {ix2}，y 从 {iy1} 到 {iy2}：{w}·{h} = {inter}。",
        f"并集 = A + B − 交集 = {area_a} + {area_b} − {inter} = {union}。",
        f"IoU = {inter}/{union} ≈ {value:.4f}。",
    ]
    return Draft(
        params={"box_a": a, "box_b": b},
        prompt=prompt,
        answer=_r4(value),
        answer_kind=AnswerKind.NUMBER,
        tolerance=FOUR_DECIMALS,
        solution=Text(_steps(en), _steps(zh)),
    )


@mistake(
    "iou_boxes",
    "sum-of-areas",
    step=3,
    text=Text(
        "You divided by A + B without subtracting the intersection, so the overlap is counted twice.",
        "你用 A + B 作分母却没减去交集，重叠部分被算了两次。",
    ),
)
def _iou_sum(p: Params) -> float:
    a, b = p["box_a"], p["box_b"]
    w, h = _inter(a, b)
    return _r4(w * h / (_area(a) + _area(b)))


@mistake(
    "iou_boxes",
    "plus-one-pixels",
    step=1,
    text=Text(
        "You used the old inclusive-pixel convention (x2 − x1 + 1); these boxes use continuous coordinates.",
        "你用了旧的“含端点像素”约定（x2 − x1 + 1）；这里的框是连续坐标。",
    ),
)
def _iou_plus_one(p: Params) -> float:
    a = [p["box_a"][0], p["box_a"][1], p["box_a"][2] + 1, p["box_a"][3] + 1]
    b = [p["box_b"][0], p["box_b"][1], p["box_b"][2] + 1, p["box_b"][3] + 1]
    return _r4(iou(a, b))


@mistake(
    "iou_boxes",
    "over-smaller-box",
    step=3,
    text=Text(
        "You divided the intersection by the smaller box's area (intersection over minimum), not by the union.",
        "你用交集除以较小框的面积（交集比最小面积），而不是除以并集。",
    ),
)
def _iou_min(p: Params) -> float:
    a, b = p["box_a"], p["box_b"]
    w, h = _inter(a, b)
    return _r4(w * h / min(_area(a), _area(b)))


@torch_snippet("iou_boxes")
def _iou_code(p: Params) -> str:
    return (
        "import torch\n"
        f"a = torch.tensor({p['box_a']}, dtype=torch.float64)\n"
        f"b = torch.tensor({p['box_b']}, dtype=torch.float64)\n"
        "lt, rb = torch.maximum(a[:2], b[:2]), torch.minimum(a[2:], b[2:])\n"
        "inter = (rb - lt).clamp(min=0).prod()\n"
        "area = lambda box: (box[2:] - box[:2]).prod()\n"
        "print(round((inter / (area(a) + area(b) - inter)).item(), 4))  # torchvision.ops.box_iou gives the same\n"
    )


_LETTERS = "ABCDEF"


def nms(boxes: list[list[int]], scores: list[int], threshold: float) -> list[int]:
    """Greedy NMS: indices kept, in the order they are kept (highest score first)."""
    order = sorted(range(len(boxes)), key=lambda i: -scores[i])
    kept: list[int] = []
    for i in order:
        if all(iou(boxes[i], boxes[k]) <= threshold for k in kept):
            kept.append(i)
    return kept


# Every box the NMS questions may use: corners on a 12 × 6 grid, sides 4–8.
_NMS_GRID = np.array(
    [[x, y, x + w, y + h] for x in range(12) for y in range(6) for w in range(4, 9) for h in range(4, 9)],
    dtype=np.float64,
)
_NMS_AREAS = (_NMS_GRID[:, 2] - _NMS_GRID[:, 0]) * (_NMS_GRID[:, 3] - _NMS_GRID[:, 1])


def _ious_with_grid(box: list[int]) -> np.ndarray:
    """IoU of ``box`` with every box of :data:`_NMS_GRID` (the same arithmetic as :func:`iou`)."""
    g = _NMS_GRID
    w = np.clip(np.minimum(g[:, 2], box[2]) - np.maximum(g[:, 0], box[0]), 0, None)
    h = np.clip(np.minimum(g[:, 3], box[3]) - np.maximum(g[:, 1], box[1]), 0, None)
    inter = w * h
    return np.asarray(inter / (_NMS_AREAS + (box[2] - box[0]) * (box[3] - box[1]) - inter))


def _nms_layout(rng: np.random.Generator, n: int, threshold: float) -> tuple[list[list[int]], list[int]] | None:
    """``n`` boxes and distinct scores in which the chain of suppressions matters, or None to draw again.

    Built rather than rejection-sampled (random boxes rarely form a chain): most boxes overlap the box
    before them above the threshold and the earlier ones below it, so a suppressed box would have
    suppressed the next; the rest overlap nothing. Three boxes always form one chain: a box that
    overlapped nothing would make the chain not matter. Scores fall along the chain (one neighbouring
    pair may swap when there are more than three boxes), then the letters are shuffled. No IoU lies
    within 0.01 of the threshold: the prompt shows IoUs to two decimals.
    """
    boxes = [[int(v) for v in _NMS_GRID[int(rng.integers(len(_NMS_GRID)))]]]
    last = _ious_with_grid(boxes[0])
    clear = np.abs(last - threshold) > 0.01  # clear of every box so far
    below = np.ones(len(_NMS_GRID), dtype=bool)  # at or below the threshold with every box before the last
    for k in range(1, n):
        link = k == 1 or n == 3 or rng.random() < 0.75
        options = np.flatnonzero(clear & below & ((last > threshold) if link else (last <= threshold)))
        if options.size == 0:
            return None
        boxes.append([int(v) for v in _NMS_GRID[int(options[int(rng.integers(options.size))])]])
        below &= last <= threshold
        last = _ious_with_grid(boxes[-1])
        clear &= np.abs(last - threshold) > 0.01
    scores = sorted((int(v) for v in rng.permutation(9)[:n] + 1), reverse=True)
    if n > 3 and rng.random() < 0.5:
        k = int(rng.integers(n - 1))
        scores[k], scores[k + 1] = scores[k + 1], scores[k]
    order = rng.permutation(n)
    return [boxes[i] for i in order], [scores[i] for i in order]


@family(
    "nms_survivors",
    topic="cv.detection",
    title=Text("Which boxes survive non-maximum suppression", "非极大值抑制后保留哪些框"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_nms_survivors(rng: np.random.Generator, level: int) -> Draft:
    """3, 4 or 5 boxes (by level) with distinct scores; the chain of suppressions must matter."""
    n = level + 2
    threshold = pick(rng, [0.3, 0.5]) if level < 3 else pick(rng, [0.3, 0.4, 0.5])
    while True:
        drawn = _nms_layout(rng, n, threshold)
        if drawn is None:
            continue
        boxes, scores = drawn
        kept = nms(boxes, scores, threshold)
        if (
            1 < len(kept) < n
            and sorted(kept) != sorted(_nms_any_higher(boxes, scores, threshold))
            and sorted(kept) != sorted(_nms_in_given_order(boxes, threshold))
        ):
            break
    ious = {(i, j): iou(boxes[i], boxes[j]) for i in range(n) for j in range(i + 1, n)}
    listing = "\n".join(f"  {_LETTERS[i]}: {boxes[i]}, score 0.{scores[i]}" for i in range(n))
    listing_zh = "\n".join(f"  {_LETTERS[i]}：{boxes[i]}，得分 0.{scores[i]}" for i in range(n))
    pairs = "; ".join(f"{_LETTERS[i]}–{_LETTERS[j]} {v:.2f}" for (i, j), v in ious.items())
    prompt = Text(
        f"Greedy non-maximum suppression with IoU threshold {threshold} (a box is removed when its IoU with a kept "
        f"box is above the threshold). Boxes as [x1, y1, x2, y2]:\n{listing}\nPairwise IoUs: {pairs}.\n"
        "Which boxes survive? Answer with their letters, e.g. `a,c`.",
        f"贪心非极大值抑制（NMS），IoU 阈值 {threshold}（与已保留框的 "
        "IoU 超过阈值的框被删除）。框的格式为 [x1, y1, x2, y2]：\n"
        f"{listing_zh}\n两两 IoU：{pairs}。\n哪些框被保留？用字母作答，例如 `a,c`。",
    )
    order = sorted(range(n), key=lambda i: -scores[i])
    en = [f"Sort by score: {', '.join(_LETTERS[i] for i in order)}."]
    zh = [f"按得分排序：{'、'.join(_LETTERS[i] for i in order)}。"]
    kept_so_far: list[int] = []
    for i in order:
        worst = max(kept_so_far, key=lambda k: iou(boxes[i], boxes[k]), default=None)
        if worst is None:
            en.append(f"{_LETTERS[i]}: nothing kept yet, keep it.")
            zh.append(f"{_LETTERS[i]}：还没有保留的框，保留。")
            kept_so_far.append(i)
            continue
        v = iou(boxes[i], boxes[worst])
        if v > threshold:
            en.append(f"{_LETTERS[i]}: IoU {v:.2f} with kept {_LETTERS[worst]} > {threshold}, suppress.")
            zh.append(f"{_LETTERS[i]}：与已保留的 {_LETTERS[worst]} 的 IoU 为 {v:.2f} > {threshold}，删除。")
        else:
            en.append(f"{_LETTERS[i]}: highest IoU with a kept box is {v:.2f} ≤ {threshold}, keep it.")
            zh.append(f"{_LETTERS[i]}：与已保留框的最大 IoU 为 {v:.2f} ≤ {threshold}，保留。")
            kept_so_far.append(i)
    names = ", ".join(_LETTERS[i] for i in sorted(kept))
    en.append(f"Survivors: {names}. A suppressed box suppresses nothing.")
    zh.append(f"保留：{names}。被删除的框不再去抑制别的框。")
    return Draft(
        params={"boxes": boxes, "scores": [s / 10 for s in scores], "iou_threshold": threshold},
        prompt=prompt,
        answer=sorted(kept),
        answer_kind=AnswerKind.CHOICE,
        tolerance=Tolerance.exact(),
        solution=Text(_steps(en), _steps(zh)),
        choices=tuple(Text(_LETTERS[i], _LETTERS[i]) for i in range(n)),
    )


def _nms_any_higher(boxes: list[list[int]], scores: list[int] | list[float], threshold: float) -> list[int]:
    return [
        i
        for i in range(len(boxes))
        if not any(scores[j] > scores[i] and iou(boxes[i], boxes[j]) > threshold for j in range(len(boxes)))
    ]


def _nms_in_given_order(boxes: list[list[int]], threshold: float) -> list[int]:
    kept: list[int] = []
    for i in range(len(boxes)):
        if all(iou(boxes[i], boxes[k]) <= threshold for k in kept):
            kept.append(i)
    return kept


@mistake(
    "nms_survivors",
    "suppressed-boxes-suppress",
    step=2,
    text=Text(
        "You removed every box that overlaps any higher-scoring box, even one already suppressed; only kept boxes "
        "suppress others.",
        "你把与任何更高分框重叠的框都删了，包括与已被删除的框重叠的；只有被保留的框才会去抑制别的框。",
    ),
)
def _nms_mistake_any(p: Params) -> list[int]:
    return sorted(_nms_any_higher(p["boxes"], p["scores"], p["iou_threshold"]))


@mistake(
    "nms_survivors",
    "listed-order",
    step=1,
    text=Text(
        "You walked the boxes in the listed order instead of sorting them by score first.",
        "你按列出的顺序处理框，没有先按得分排序。",
    ),
)
def _nms_mistake_order(p: Params) -> list[int]:
    return sorted(_nms_in_given_order(p["boxes"], p["iou_threshold"]))


@torch_snippet("nms_survivors")
def _nms_code(p: Params) -> str:
    return (
        "import torch\n"
        f"boxes = torch.tensor({p['boxes']}, dtype=torch.float64)\n"
        f"scores = torch.tensor({p['scores']}, dtype=torch.float64)\n"
        "def iou(a, b):\n"
        "    wh = (torch.minimum(a[2:], b[2:]) - torch.maximum(a[:2], b[:2])).clamp(min=0)\n"
        "    inter = wh.prod()\n"
        "    return inter / ((a[2:] - a[:2]).prod() + (b[2:] - b[:2]).prod() - inter)\n"
        "kept = []\n"
        "for i in scores.argsort(descending=True).tolist():  # torchvision.ops.nms does this loop\n"
        f"    if all(iou(boxes[i], boxes[k]) <= {p['iou_threshold']} for k in kept):\n"
        "        kept.append(i)\n"
        "print(','.join('ABCDEF'[i] for i in sorted(kept)))\n"
    )


def _centre(b: list[int]) -> tuple[float, float, int, int]:
    return (b[0] + b[2]) / 2, (b[1] + b[3]) / 2, b[2] - b[0], b[3] - b[1]


def box_targets(anchor: list[float], box: list[float]) -> list[float]:
    """Faster R-CNN targets (t_x, t_y, t_w, t_h) of ``box`` against ``anchor``, both as (x, y, w, h) centres."""
    xa, ya, wa, ha = anchor
    x, y, w, h = box
    return [(x - xa) / wa, (y - ya) / ha, math.log(w / wa), math.log(h / ha)]


@family(
    "box_regression_targets",
    topic="cv.detection",
    title=Text("Box-regression targets against an anchor", "相对锚框的边框回归目标"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_box_regression_targets(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: centre form, sizes a power of 2 apart; 2: any sizes; 3: boxes given as corners."""
    while True:
        wa, ha = pick(rng, [8, 16, 32, 64]), pick(rng, [8, 16, 32, 64])
        xa, ya = int(rng.integers(10, 100)), int(rng.integers(10, 100))
        if level == 1:
            w, h = wa * pick(rng, [0.5, 2.0, 4.0]), ha * pick(rng, [0.5, 2.0, 0.25])
            x, y = xa + int(rng.integers(-wa // 2, wa // 2 + 1)), ya + int(rng.integers(-ha // 2, ha // 2 + 1))
        else:
            w, h = float(rng.integers(wa // 2, 2 * wa + 1)), float(rng.integers(ha // 2, 2 * ha + 1))
            x, y = xa + int(rng.integers(-wa // 2, wa // 2 + 1)), ya + int(rng.integers(-ha // 2, ha // 2 + 1))
        if level == 3 and (w % 2 or h % 2):
            continue  # corners stay integers
        if x != xa and y != ya and w != wa and h != ha and w != h and wa != ha:
            break
    anchor = [float(xa), float(ya), float(wa), float(ha)]
    gt = [float(x), float(y), float(w), float(h)]
    t = box_targets(anchor, gt)
    answer = [_r4(v) for v in t]
    if level == 3:
        a_c = [int(xa - wa / 2), int(ya - ha / 2), int(xa + wa / 2), int(ya + ha / 2)]
        g_c = [int(x - w / 2), int(y - h / 2), int(x + w / 2), int(y + h / 2)]
        given_en = f"anchor {a_c} and ground-truth box {g_c}, both as corners [x1, y1, x2, y2]"
        given_zh = f"锚框 {a_c}，真实框 {g_c}，均为角点格式 [x1, y1, x2, y2]"
        first_en = [
            f"Convert to centre form: anchor x_a = {fmt_num(xa)}, y_a = {fmt_num(ya)}, w_a = {wa}, h_a = {ha}; "
            f"box x = {fmt_num(x)}, y = {fmt_num(y)}, w = {fmt_num(w)}, h = {fmt_num(h)}."
        ]
        first_zh = [
            f"先换成中心格式：锚框 x_a = {fmt_num(xa)}，y_a = {fmt_num(ya)}，w_a = {wa}，h_a = {ha}；"
            f"真实框 x = {fmt_num(x)}，y = {fmt_num(y)}，w = {fmt_num(w)}，h = {fmt_num(h)}。"
        ]
    else:
        given_en = (
            f"anchor (x_a, y_a, w_a, h_a) = ({xa}, {ya}, {wa}, {ha}) and ground-truth box (x, y, w, h) = "
            f"({fmt_num(x)}, {fmt_num(y)}, {fmt_num(w)}, {fmt_num(h)}) (centre, width, height)"
        )
        given_zh = (
            f"锚框 (x_a, y_a, w_a, h_a) = ({xa}, {ya}, {wa}, {ha})，真实框 (x, y, w, h) = "
            f"({fmt_num(x)}, {fmt_num(y)}, {fmt_num(w)}, {fmt_num(h)})（中心点、宽、高）"
        )
        first_en, first_zh = [], []
    prompt = Text(
        f"Faster R-CNN parametrises a box against its anchor: t_x = (x − x_a)/w_a, t_y = (y − y_a)/h_a, "
        f"t_w = log(w/w_a), t_h = log(h/h_a) (natural log). Given {given_en}, what is [t_x, t_y, t_w, t_h]? "
        "Give 4 decimal places.",
        f"Faster R-CNN 用锚框对边框做参数化：t_x = (x − x_a)/w_a，t_y = (y − y_a)/h_a，t_w = log(w/w_a)，"
        f"t_h = log(h/h_a)（自然对数）。已知{given_zh}，求 [t_x, t_y, t_w, t_h]，保留 4 位小数。",
    )
    en = [
        *first_en,
        f"t_x = ({fmt_num(x)} − {xa})/{wa} = {_d4(t[0])}; t_y = ({fmt_num(y)} − {ya})/{ha} = {_d4(t[1])} "
        "(offsets are divided by the anchor's size, so they are scale-free).",
        f"t_w = ln({fmt_num(w)}/{wa}) = {_d4(t[2])}; t_h = ln({fmt_num(h)}/{ha}) = {_d4(t[3])} "
        "(a log ratio: symmetric for growing and shrinking, and exp() keeps decoded sizes positive).",
        f"Answer: [{', '.join(_d4(v) for v in t)}].",
    ]
    zh = [
        *first_zh,
        f"t_x = ({fmt_num(x)} − {xa})/{wa} = {_d4(t[0])}；t_y = ({fmt_num(y)} − {ya})/{ha} = {_d4(t[1])}"
        "（偏移除以锚框的尺寸，与尺度无关）。",
        f"t_w = ln({fmt_num(w)}/{wa}) = {_d4(t[2])}；t_h = ln({fmt_num(h)}/{ha}) = {_d4(t[3])}"
        "（取对数比值：放大和缩小对称，解码时 exp() 保证尺寸为正）。",
        f"答案：[{', '.join(_d4(v) for v in t)}]。",
    ]
    return Draft(
        params={"anchor": anchor, "box": gt, "level": level},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.VECTOR,
        tolerance=FOUR_DECIMALS,
        solution=Text(_steps(en), _steps(zh)),
    )


def _steps_offset(p: Params) -> int:
    return 1 if p["level"] == 3 else 0


@mistake(
    "box_regression_targets",
    "divided-by-box-size",
    step=1,
    text=Text(
        "You divided the centre offsets by the ground-truth box's size; the targets use the anchor's w_a and h_a.",
        "你用真实框的宽高去除中心偏移；回归目标用的是锚框的 w_a 和 h_a。",
    ),
)
def _box_by_gt(p: Params) -> list[float]:
    xa, ya, wa, ha = p["anchor"]
    x, y, w, h = p["box"]
    return [_r4((x - xa) / w), _r4((y - ya) / h), _r4(math.log(w / wa)), _r4(math.log(h / ha))]


@mistake(
    "box_regression_targets",
    "no-log",
    step=2,
    text=Text(
        "You gave the size ratios w/w_a and h/h_a without the logarithm.",
        "你给出了宽高比值 w/w_a 和 h/h_a，忘了取对数。",
    ),
)
def _box_no_log(p: Params) -> list[float]:
    xa, ya, wa, ha = p["anchor"]
    x, y, w, h = p["box"]
    return [_r4((x - xa) / wa), _r4((y - ya) / ha), _r4(w / wa), _r4(h / ha)]


@torch_snippet("box_regression_targets")
def _box_code(p: Params) -> str:
    return (
        "import torch\n"
        f"xa, ya, wa, ha = torch.tensor({p['anchor']}, dtype=torch.float64)\n"
        f"x, y, w, h = torch.tensor({p['box']}, dtype=torch.float64)\n"
        "t = torch.stack([(x - xa) / wa, (y - ya) / ha, torch.log(w / wa), torch.log(h / ha)])\n"
        "print([round(v, 4) for v in t.tolist()])\n"
    )


# ---------------------------------------------------------------------------------------------
# cv.segmentation
# ---------------------------------------------------------------------------------------------


def conv_transpose_out(n: int, k: int, s: int, p: int, op: int, d: int) -> int:
    """Output size of ConvTranspose along one axis: (n − 1)·s − 2p + d·(k − 1) + output_padding + 1."""
    return (n - 1) * s - 2 * p + d * (k - 1) + op + 1


@family(
    "conv_transpose_output_size",
    topic="cv.segmentation",
    title=Text("Output size of a transposed convolution", "转置卷积的输出尺寸"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_conv_transpose_output_size(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: kernel, stride, padding; 2: + output_padding; 3: + dilation."""
    while True:
        n = pick(rng, [3, 4, 5, 7, 8, 14, 16, 28, 32])
        k = pick(rng, [2, 3, 4, 5])
        s = pick(rng, [2, 3]) if level > 1 else pick(rng, [1, 2, 2, 3])
        p = int(rng.integers(1, 3))  # p ≥ 1: padding's sign is one of the mistakes
        op = int(rng.integers(1, s)) if level >= 2 and s > 1 else 0
        d = pick(rng, [2, 3]) if level == 3 else 1
        # output_padding must be smaller than stride or dilation (PyTorch's rule); the output positive.
        if op < max(s, d) and conv_transpose_out(n, k, s, p, op, d) > 0:
            break
    out = conv_transpose_out(n, k, s, p, op, d)
    args = f"kernel_size={k}, stride={s}, padding={p}"
    if op:
        args += f", output_padding={op}"
    if d > 1:
        args += f", dilation={d}"
    prompt = Text(
        f"An {n}×{n} feature map goes through nn.ConvTranspose2d(C, C, {args}). What is the output size "
        "(height = width)?",
        f"{n}×{n} 的特征图经过 nn.ConvTranspose2d(C, C, {args})。输出尺寸（高 = 宽）是多少？",
    )
    formula = f"({n} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {op} + 1"
    en = [
        "Transposed convolution inverts the size arithmetic of a convolution: "
        "out = (n − 1)·s − 2p + d·(k − 1) + output_padding + 1.",
        f"= {formula} = {(n - 1) * s} − {2 * p} + {d * (k - 1)} + {op} + 1 = {out}.",
        f"Answer: {out}×{out}, i.e. {out}.",
    ]
    zh = [
        "转置卷积把卷积的尺寸公式反过来：out = (n − 1)·s − 2p + d·(k − 1) + output_padding + 1。",
        f"= {formula} = {(n - 1) * s} − {2 * p} + {d * (k - 1)} + {op} + 1 = {out}。",
        f"答案：输出为 {out}×{out}，即 {out}。",
    ]
    return Draft(
        params={"size": n, "kernel": k, "stride": s, "padding": p, "output_padding": op, "dilation": d},
        prompt=prompt,
        answer=out,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=Text(_steps(en), _steps(zh)),
    )


@mistake(
    "conv_transpose_output_size",
    "conv-formula",
    step=1,
    text=Text(
        "You used the ordinary convolution formula ⌊(n + 2p − k)/s⌋ + 1, which shrinks; a transposed convolution "
        "enlarges.",
        "你用了普通卷积的公式 ⌊(n + 2p − k)/s⌋ + 1，那是缩小；转置卷积是放大。",
    ),
)
def _ct_conv_formula(p: Params) -> int:
    return conv_out(p["size"], p["kernel"], p["padding"], p["stride"], p["dilation"])


@mistake(
    "conv_transpose_output_size",
    "n-times-s",
    step=2,
    text=Text(
        "You started from n·s instead of (n − 1)·s: the stride separates the n inputs by n − 1 gaps.",
        "你从 n·s 算起，而不是 (n − 1)·s：n 个输入之间只有 n − 1 个间隔。",
    ),
)
def _ct_n_times_s(p: Params) -> int:
    right = conv_transpose_out(p["size"], p["kernel"], p["stride"], p["padding"], p["output_padding"], p["dilation"])
    return right + int(p["stride"])


@mistake(
    "conv_transpose_output_size",
    "padding-adds",
    step=2,
    text=Text(
        "You added 2p; in a transposed convolution padding crops the output (it undoes the convolution's padding).",
        "你加上了 2p；转置卷积里的 padding 是裁掉输出的边（抵消对应卷积的填充）。",
    ),
)
def _ct_padding_adds(p: Params) -> int:
    right = conv_transpose_out(p["size"], p["kernel"], p["stride"], p["padding"], p["output_padding"], p["dilation"])
    return right + 4 * int(p["padding"])


@torch_snippet("conv_transpose_output_size")
def _ct_size_code(p: Params) -> str:
    return (
        "import torch\nfrom torch import nn\n"
        f"layer = nn.ConvTranspose2d(1, 1, kernel_size={p['kernel']}, stride={p['stride']}, padding={p['padding']}, "
        f"output_padding={p['output_padding']}, dilation={p['dilation']})\n"
        f"print(layer(torch.zeros(1, 1, {p['size']}, {p['size']})).shape[-1])\n"
    )


def stamp(x: Grid, w: Grid, stride: int, *, overwrite: bool = False) -> Grid:
    """Every value x[i, j] stamps x[i, j]·w with its corner at (stride·i, stride·j); overlaps add.

    This scatter is both the transposed convolution and a convolution's input gradient (dY stamped through W).
    ``overwrite`` keeps the last stamp instead of adding (a named mistake).
    """
    n, k = x.shape[0], w.shape[0]
    full = np.zeros(((n - 1) * stride + k,) * 2)
    for i in range(n):
        for j in range(n):
            window = full[i * stride : i * stride + k, j * stride : j * stride + k]
            window[...] = x[i, j] * w if overwrite else window + x[i, j] * w
    return full


def conv_transpose2d(x: Grid, w: Grid, stride: int, padding: int) -> Grid:
    """Single-channel ``F.conv_transpose2d``: the stamps of every input value, ``padding`` cropped from each border."""
    full = stamp(x, w, stride)
    end = full.shape[0] - padding
    out: Grid = full[padding:end, padding:end]
    return out


# (input size, kernel, stride, padding) per level; the kernel is always wider than the stride, so stamps overlap.
_CT_VALUES = {1: [(2, 2, 1, 0)], 2: [(2, 3, 2, 0), (2, 2, 1, 0)], 3: [(2, 3, 2, 1), (3, 3, 2, 1)]}


def _ct_values(x: Grid, w: Grid, s: int, p: int, *, flip: bool = False, overwrite: bool = False) -> Grid:
    full = stamp(x, w[::-1, ::-1] if flip else w, s, overwrite=overwrite)
    end = full.shape[0] - p
    out: Grid = full[p:end, p:end]
    return out


@family(
    "conv_transpose2d_values",
    topic="cv.segmentation",
    title=Text("Transposed convolution by hand", "手算转置卷积"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_conv_transpose2d_values(rng: np.random.Generator, level: int) -> Draft:
    """Scatter-add: each input value times the kernel, placed at stride steps; padding crops the border."""
    while True:
        n, k, s, p = pick(rng, _CT_VALUES[level])
        x = rng.integers(-1, 4, size=(n, n))
        w = rng.integers(-1, 3, size=(k, k))
        right = conv_transpose2d(x.astype(float), w.astype(float), s, p)
        flipped = _ct_values(x.astype(float), w.astype(float), s, p, flip=True)
        over = _ct_values(x.astype(float), w.astype(float), s, p, overwrite=True)
        if not np.array_equal(right, flipped) and not np.array_equal(right, over) and np.count_nonzero(x) >= n * n - 1:
            break
    o = right.shape[0]
    prompt = Text(
        f"Input ({n}×{n}):\n{fmt_grid(x)}\nKernel ({k}×{k}):\n{fmt_grid(w)}\n"
        f"Compute F.conv_transpose2d(input, kernel, stride={s}, padding={p}) (one channel, no bias). "
        "Answer as a matrix, e.g. `1 2; 3 4`.",
        f"输入（{n}×{n}）：\n{fmt_grid(x)}\n卷积核（{k}×{k}）：\n{fmt_grid(w)}\n"
        f"计算 F.conv_transpose2d(input, kernel, stride={s}, "
        f"padding={p})（单通道，无偏置）。用矩阵作答，例如 `1 2; 3 4`。",
    )
    full_n = (n - 1) * s + k
    full = conv_transpose2d(x.astype(float), w.astype(float), s, 0)
    en = [
        f"Output size: (n − 1)·s − 2p + k = ({n} − 1)·{s} − 2·{p} + {k} = {o}; before cropping the padding it is "
        f"{full_n}×{full_n}.",
        f"Each input value x[i, j] stamps x[i, j]·kernel with its top-left corner at ({s}·i, {s}·j); the kernel is "
        "not flipped, and where stamps overlap their values add.",
        f"Sum of all stamps ({full_n}×{full_n}):\n{fmt_grid(full)}",
    ]
    zh = [
        f"输出尺寸：(n − 1)·s − 2p + k = ({n} − 1)·{s} − 2·{p} + {k} = {o}；裁掉 padding 之前是 {full_n}×{full_n}。",
        f"每个输入值 x[i, j] 把 x[i, j]·卷积核“盖”到左上角为 ({s}·i, {s}·j) 的位置；卷积核不翻转，重叠处的值相加。",
        f"所有印记相加（{full_n}×{full_n}）：\n{fmt_grid(full)}",
    ]
    if p:
        en.append(f"padding = {p} crops {p} row(s) and column(s) from every border:\n{fmt_grid(right)}")
        zh.append(f"padding = {p} 表示从四周各裁掉 {p} 行和 {p} 列：\n{fmt_grid(right)}")
    else:
        en.append("No padding, so that is the output.")
        zh.append("没有 padding，这就是输出。")
    return Draft(
        params={"input": x.tolist(), "kernel": w.tolist(), "stride": s, "padding": p},
        prompt=prompt,
        answer=mat(right),
        answer_kind=AnswerKind.MATRIX,
        tolerance=Tolerance.exact(),
        solution=Text(_steps(en), _steps(zh)),
    )


@mistake(
    "conv_transpose2d_values",
    "flipped-kernel",
    step=2,
    text=Text(
        "You flipped the kernel; F.conv_transpose2d stamps it as stored (the flip appears only when you rewrite "
        "it as a convolution over a zero-stuffed input).",
        "你把卷积核翻转了；F.conv_transpose2d 按存储的样子盖印（只有改写成对插零输入做卷积时才需要翻转）。",
    ),
)
def _ct_flip(p: Params) -> list[list[float]]:
    return mat(
        _ct_values(np.asarray(p["input"], float), np.asarray(p["kernel"], float), p["stride"], p["padding"], flip=True)
    )


@mistake(
    "conv_transpose2d_values",
    "overlaps-overwritten",
    step=2,
    text=Text(
        "Where two stamps overlap you kept one value; the contributions add.",
        "两个印记重叠的地方你只保留了一个值；这些贡献应当相加。",
    ),
)
def _ct_over(p: Params) -> list[list[float]]:
    return mat(
        _ct_values(
            np.asarray(p["input"], float), np.asarray(p["kernel"], float), p["stride"], p["padding"], overwrite=True
        )
    )


@torch_snippet("conv_transpose2d_values")
def _ct_values_code(p: Params) -> str:
    return (
        "import torch\nimport torch.nn.functional as F\n"
        f"x = torch.tensor({p['input']}, dtype=torch.float64)[None, None]\n"
        f"w = torch.tensor({p['kernel']}, dtype=torch.float64)[None, None]\n"
        f"print(F.conv_transpose2d(x, w, stride={p['stride']}, padding={p['padding']})[0, 0].tolist())\n"
    )


@family(
    "dilated_effective_kernel",
    topic="cv.segmentation",
    title=Text("Effective kernel size of a dilated convolution", "空洞卷积的等效卷积核尺寸"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_dilated_effective_kernel(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: one kernel; 2: receptive field of a stack of stride-1 dilated convs; 3: output size of one."""
    k = pick(rng, [3, 3, 5]) if level < 3 else 3
    if level == 2:
        dilations = [
            1,
            *sorted(int(v) for v in rng.choice([2, 3, 4, 6, 8], size=int(rng.integers(1, 3)), replace=False)),
        ]
        spans = [d * (k - 1) + 1 for d in dilations]
        rf = 1 + sum(d * (k - 1) for d in dilations)
        prompt = Text(
            f"A stack of stride-1 {k}×{k} convolutions with dilations {dilations} (in that order). What is the "
            "receptive field (side length) of one output unit?",
            f"若干个步长为 1 的 {k}×{k} 卷积依次堆叠，空洞率依次为 {dilations}。一个输出单元的感受野边长是多少？",
        )
        en = [
            "Each dilated kernel spans k + (k − 1)(d − 1) = d·(k − 1) + 1 pixels: "
            + ", ".join(str(v) for v in spans)
            + ".",
            f"With stride 1 every layer adds its span minus 1: 1 + {' + '.join(str(v - 1) for v in spans)} = {rf}.",
        ]
        zh = [
            "每个空洞卷积核覆盖 k + (k − 1)(d − 1) = d·(k − 1) + 1 个像素：" + "、".join(str(v) for v in spans) + "。",
            f"步长为 1 时，每层把感受野增加“覆盖宽度减 1”：1 + {' + '.join(str(v - 1) for v in spans)} = {rf}。",
        ]
        return Draft(
            params={"kernel": k, "dilations": dilations},
            prompt=prompt,
            answer=rf,
            answer_kind=AnswerKind.NUMBER,
            tolerance=Tolerance.exact(),
            solution=Text(_steps(en), _steps(zh)),
        )
    d = pick(rng, [2, 3, 4, 6]) if level == 1 else pick(rng, [2, 4, 6, 12])
    span = k + (k - 1) * (d - 1)
    if level == 1:
        prompt = Text(
            f"A {k}×{k} convolution has dilation {d}. What is its effective kernel size (the side of the input "
            "window it spans)?",
            f"一个 {k}×{k} 卷积的空洞率（dilation）为 {d}。它的等效卷积核尺寸（覆盖的输入窗口边长）是多少？",
        )
        en = [
            f"Dilation d puts d − 1 = {d - 1} gaps between neighbouring taps; there are k − 1 = {k - 1} such spaces.",
            f"Effective size = k + (k − 1)(d − 1) = {k} + {k - 1}·{d - 1} = {span}, with still only {k * k} weights.",
        ]
        zh = [
            f"空洞率 d 在相邻采样点之间插入 d − 1 = {d - 1} 个空位；相邻采样点之间共有 k − 1 = {k - 1} 处。",
            f"等效尺寸 = k + (k − 1)(d − 1) = {k} + {k - 1}·{d - 1} = {span}，权重仍然只有 {k * k} 个。",
        ]
        return Draft(
            params={"kernel": k, "dilation": d},
            prompt=prompt,
            answer=span,
            answer_kind=AnswerKind.NUMBER,
            tolerance=Tolerance.exact(),
            solution=Text(_steps(en), _steps(zh)),
        )
    n = pick(rng, [33, 65, 64, 97])
    pad = pick(rng, [0, d])
    out = conv_out(n, k, pad, 1, d)
    prompt = Text(
        f"A {n}×{n} feature map goes through a {k}×{k} convolution with dilation {d}, stride 1, padding {pad}. "
        "What is the output size (height = width)?",
        f"{n}×{n} 的特征图经过一个 {k}×{k}、空洞率 {d}、步长 1、填充 {pad} 的卷积。输出尺寸（高 = 宽）是多少？",
    )
    en = [
        f"Effective kernel: k + (k − 1)(d − 1) = {k} + {k - 1}·{d - 1} = {span}.",
        f"Output = n + 2p − span + 1 = {n} + {2 * pad} − {span} + 1 = {out}"
        + (" (padding = dilation keeps the size: DeepLab's ASPP branches)." if pad == d else "."),
    ]
    zh = [
        f"等效卷积核：k + (k − 1)(d − 1) = {k} + {k - 1}·{d - 1} = {span}。",
        f"输出 = n + 2p − 等效尺寸 + 1 = {n} + {2 * pad} − {span} + 1 = {out}"
        + ("（填充等于空洞率时尺寸不变：DeepLab 的 ASPP 各分支就是这样）。" if pad == d else "。"),
    ]
    return Draft(
        params={"size": n, "kernel": k, "dilation": d, "padding": pad},
        prompt=prompt,
        answer=out,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=Text(_steps(en), _steps(zh)),
    )


def _dilated_answer(p: Params, span_of: Any) -> int:
    k = p["kernel"]
    if "dilations" in p:
        return 1 + sum(int(span_of(k, d)) - 1 for d in p["dilations"])
    span = span_of(k, p["dilation"])
    if "size" in p:
        return int(p["size"] + 2 * p["padding"] - span + 1)
    return int(span)


@mistake(
    "dilated_effective_kernel",
    "k-times-d",
    step=1,
    text=Text(
        "You multiplied k·d; dilation spreads the k taps over (k − 1) gaps of size d, so the span is d·(k − 1) + 1.",
        "你算成了 k·d；空洞率把 k 个采样点分布在 k − 1 个间隔上，每个间隔为 d，所以覆盖 d·(k − 1) + 1。",
    ),
)
def _dil_kd(p: Params) -> int:
    return _dilated_answer(p, lambda k, d: k * d)


@mistake(
    "dilated_effective_kernel",
    "forgot-plus-one",
    step=1,
    text=Text(
        "You counted the gaps d·(k − 1) and forgot the +1 for the first tap.",
        "你只数了间隔 d·(k − 1)，忘了第一个采样点本身的 +1。",
    ),
)
def _dil_no_plus_one(p: Params) -> int:
    if "dilations" in p:  # in a stack the slip shows as adding whole spans
        return int(sum(d * (p["kernel"] - 1) + 1 for d in p["dilations"]))
    return _dilated_answer(p, lambda k, d: d * (k - 1))


@torch_snippet("dilated_effective_kernel")
def _dil_code(p: Params) -> str:
    k = p["kernel"]
    if "size" in p:
        return (
            "import torch\nfrom torch import nn\n"
            f"conv = nn.Conv2d(1, 1, {k}, dilation={p['dilation']}, padding={p['padding']})\n"
            f"print(conv(torch.zeros(1, 1, {p['size']}, {p['size']})).shape[-1])\n"
        )
    # The input rows one output unit depends on: the span of its gradient through all-ones kernels.
    dilations = p.get("dilations", [p.get("dilation")])
    return (
        "import torch\nimport torch.nn.functional as F\n"
        "x = torch.zeros(1, 1, 64, 64, requires_grad=True)\ny = x\n"
        f"for d in {dilations}:\n"
        f"    y = F.conv2d(y, torch.ones(1, 1, {k}, {k}), dilation=d)\n"
        "g, = torch.autograd.grad(y[0, 0, 0, 0], x)\n"
        "rows = g[0, 0].sum(1).nonzero()  # dilated taps leave gaps: measure the span\n"
        "print(int(rows.max() - rows.min() + 1))\n"
    )


def dice(pred: Grid, target: Grid) -> float:
    """Dice 2·Σ(p·g)/(Σp + Σg); soft when ``pred`` holds probabilities."""
    return float(2 * (pred * target).sum() / (pred.sum() + target.sum()))


@family(
    "dice_score",
    topic="cv.segmentation",
    title=Text("Dice coefficient and Dice loss", "Dice 系数与 Dice 损失"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_dice_score(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: from pixel counts; 2: two binary 4×4 masks; 3: soft Dice loss from probabilities."""
    while True:
        target = (rng.integers(0, 10, size=(4, 4)) < 4).astype(int)
        if level == 3:
            pred = rng.integers(0, 11, size=(4, 4)) / 10
        else:
            pred = (rng.integers(0, 10, size=(4, 4)) < 4).astype(int)
        inter = float((pred * target).sum())
        if (
            target.sum()
            and pred.sum()
            and inter
            and inter < min(pred.sum(), target.sum())
            and pred.sum() != target.sum()
        ):
            break
    d = dice(pred, target)
    union = float(pred.sum() + target.sum() - inter) if level < 3 else 0.0
    if level == 1:
        a, b, i = int(pred.sum()), int(target.sum()), int(inter)
        params: dict[str, Any] = {"pred_pixels": a, "target_pixels": b, "overlap": i}
        prompt = Text(
            f"A predicted mask has {a} foreground pixels, the ground truth {b}, and {i} pixels are foreground in both. "
            "What is the Dice coefficient? Give 4 decimal places.",
            f"预测掩码有 {a} 个前景像素，真值掩码有 {b} 个，其中 "
            f"{i} 个像素两者都是前景。Dice 系数是多少？保留 4 位小数。",
        )
        en = [f"Dice = 2|A∩B|/(|A| + |B|) = 2·{i}/({a} + {b}) = {2 * i}/{a + b} ≈ {d:.4f}."]
        zh = [f"Dice = 2|A∩B|/(|A| + |B|) = 2·{i}/({a} + {b}) = {2 * i}/{a + b} ≈ {d:.4f}。"]
        en.append(f"(IoU would be {i}/{a + b - i}; Dice = 2·IoU/(1 + IoU) is always at least the IoU.)")
        zh.append(f"（IoU 是 {i}/{a + b - i}；Dice = 2·IoU/(1 + IoU)，总是不小于 IoU。）")
        answer = _r4(d)
    elif level == 2:
        params = {"pred": pred.tolist(), "target": target.tolist()}
        prompt = Text(
            f"Predicted mask:\n{fmt_grid(pred)}\nGround-truth mask:\n{fmt_grid(target)}\n"
            "What is the Dice coefficient 2|A∩B|/(|A| + |B|)? Give 4 decimal places.",
            f"预测掩码：\n{fmt_grid(pred)}\n真值掩码：\n{fmt_grid(target)}\nDice "
            "系数 2|A∩B|/(|A| + |B|) 是多少？保留 4 位小数。",
        )
        en = [
            f"|A| = {int(pred.sum())} predicted pixels, |B| = {int(target.sum())} true pixels.",
            f"|A∩B| = {int(inter)}: the pixels that are 1 in both masks.",
            f"Dice = 2·{int(inter)}/({int(pred.sum())} + {int(target.sum())}) ≈ {d:.4f}.",
        ]
        zh = [
            f"|A| = {int(pred.sum())} 个预测前景像素，|B| = {int(target.sum())} 个真值前景像素。",
            f"|A∩B| = {int(inter)} 个像素在两个掩码里都是 1。",
            f"Dice = 2·{int(inter)}/({int(pred.sum())} + {int(target.sum())}) ≈ {d:.4f}。",
        ]
        answer = _r4(d)
    else:
        params = {"probs": pred.tolist(), "target": target.tolist()}
        loss = 1 - d
        prompt = Text(
            f"Predicted foreground probabilities:\n{fmt_grid(pred)}\nGround-truth mask:\n{fmt_grid(target)}\n"
            "What is the soft Dice loss 1 − 2Σ(p·g)/(Σp + Σg) (no smoothing term)? Give 4 decimal places.",
            f"预测的前景概率：\n{fmt_grid(pred)}\n真值掩码：\n{fmt_grid(target)}\n"
            "软 Dice 损失 1 − 2Σ(p·g)/(Σp + Σg)（不加平滑项）是多少？保留 4 位小数。",
        )
        en = [
            f"Σ(p·g) = sum of the probabilities on true pixels = {fmt_num(inter)}.",
            f"Σp = {fmt_num(float(pred.sum()))}, Σg = {int(target.sum())}.",
            f"Dice = 2·{fmt_num(inter)}/({fmt_num(float(pred.sum()))} + {int(target.sum())}) ≈ {d:.4f}; "
            f"loss = 1 − {d:.4f} ≈ {loss:.4f}.",
        ]
        zh = [
            f"Σ(p·g) = 真值前景像素上的概率之和 = {fmt_num(inter)}。",
            f"Σp = {fmt_num(float(pred.sum()))}，Σg = {int(target.sum())}。",
            f"Dice = 2·{fmt_num(inter)}/({fmt_num(float(pred.sum()))} + {int(target.sum())}) ≈ {d:.4f}；"
            f"损失 = 1 − {d:.4f} ≈ {loss:.4f}。",
        ]
        answer = _r4(loss)
    del union
    return Draft(
        params=params,
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.NUMBER,
        tolerance=FOUR_DECIMALS,
        solution=Text(_steps(en), _steps(zh)),
    )


def _dice_parts(p: Params) -> tuple[float, float, float, bool]:
    """(Σp, Σg, Σp·g, is_loss) of any level's params."""
    if "overlap" in p:
        return float(p["pred_pixels"]), float(p["target_pixels"]), float(p["overlap"]), False
    pred = np.asarray(p.get("pred", p.get("probs")), float)
    g = np.asarray(p["target"], float)
    return float(pred.sum()), float(g.sum()), float((pred * g).sum()), "probs" in p


@mistake(
    "dice_score",
    "computed-iou",
    step=1,
    text=Text(
        "You computed the IoU |A∩B|/|A∪B|; Dice counts the overlap twice over the sum of the two sizes.",
        "你算的是 IoU |A∩B|/|A∪B|；Dice 是两倍重叠除以两者大小之和。",
    ),
)
def _dice_iou(p: Params) -> float:
    a, b, i, loss = _dice_parts(p)
    v = i / (a + b - i)
    return _r4(1 - v if loss else v)


@mistake(
    "dice_score",
    "forgot-factor-two",
    step=1,
    text=Text(
        "You left out the factor 2, so even a perfect prediction would score only 0.5.",
        "你漏掉了系数 2，这样即使完全预测正确也只有 0.5。",
    ),
)
def _dice_no_two(p: Params) -> float:
    a, b, i, loss = _dice_parts(p)
    v = i / (a + b)
    return _r4(1 - v if loss else v)


@torch_snippet("dice_score")
def _dice_code(p: Params) -> str:
    if "overlap" in p:
        return (
            "import torch\n"
            f"a, b, inter = torch.tensor([{p['pred_pixels']}., {p['target_pixels']}., {p['overlap']}.])\n"
            "print(round((2 * inter / (a + b)).item(), 4))\n"
        )
    key = "probs" if "probs" in p else "pred"
    head = (
        "import torch\n"
        f"p = torch.tensor({p[key]}, dtype=torch.float64)\n"
        f"g = torch.tensor({p['target']}, dtype=torch.float64)\n"
        "dice = 2 * (p * g).sum() / (p.sum() + g.sum())\n"
    )
    return head + ("print(round((1 - dice).item(), 4))\n" if key == "probs" else "print(round(dice.item(), 4))\n")


# ---------------------------------------------------------------------------------------------
# cnn.compute
# ---------------------------------------------------------------------------------------------

# (input size, kernel, stride) per level: dY is 2×2 in each.
_BACKWARD = {1: [(3, 2, 1)], 2: [(4, 3, 1)], 3: [(5, 3, 2), (4, 2, 2)]}


def conv_weight_grad(x: Grid, dy: Grid, stride: int, k: int) -> Grid:
    """dL/dW[a, b] = Σ_ij dY[i, j]·x[s·i + a, s·j + b]: the input correlated with dY."""
    dw = np.zeros((k, k))
    for i in range(dy.shape[0]):
        for j in range(dy.shape[1]):
            dw += dy[i, j] * x[i * stride : i * stride + k, j * stride : j * stride + k]
    return dw


def conv_input_grad(w: Grid, dy: Grid, stride: int, n: int) -> Grid:
    """dL/dX: every dY[i, j] sends dY[i, j]·W back onto its window (a transposed convolution of dY with W);
    inputs no window reached (the last rows and columns a stride skipped) get 0."""
    full = stamp(dy, w, stride)
    dx = np.zeros((n, n))
    dx[: full.shape[0], : full.shape[1]] = full
    return dx


def _backward_setup(rng: np.random.Generator, level: int) -> tuple[int, int, int, Grid, Grid, Grid]:
    n, k, s = pick(rng, _BACKWARD[level])
    x = rng.integers(-1, 4, size=(n, n))
    w = rng.integers(-1, 3, size=(k, k))
    dy = np.array([[int(v) for v in pick(rng, _DY_ROWS)] for _ in range(2)])
    return n, k, s, x, w, dy


_DY_ROWS = [(1, 2), (2, -1), (-1, 3), (3, 1), (2, 2), (1, -2), (-2, 1), (0, 2)]


@family(
    "conv_backward_weight",
    topic="cnn.compute",
    title=Text("Convolution backward: the weight gradient", "卷积反向传播：权重梯度"),
    difficulty=4,
    levels=3,
    default_level=2,
)
def draw_conv_backward_weight(rng: np.random.Generator, level: int) -> Draft:
    """dL/dW = the input correlated with dL/dY (stride 2 at level 3)."""
    while True:
        n, k, s, x, _w, dy = _backward_setup(rng, level)
        dw = conv_weight_grad(x, dy, s, k)
        flipped = conv_weight_grad(x, dy[::-1, ::-1], s, k)
        ones = conv_weight_grad(x, np.ones_like(dy), s, k)
        if not np.array_equal(dw, flipped) and not np.array_equal(dw, ones) and not (dy == 1).all():
            break
    prompt = Text(
        f"Y = conv2d(X, W, stride={s}) (PyTorch's cross-correlation, "
        f"one channel, no padding) with a {k}×{k} kernel W.\n"
        f"X ({n}×{n}):\n{fmt_grid(x)}\nThe upstream gradient dL/dY (2×2):\n{fmt_grid(dy)}\n"
        "What is dL/dW? Answer as a matrix, e.g. `1 2; 3 4`.",
        f"Y = conv2d(X, W, stride={s})（PyTorch 的互相关，单通道，无填充），W 为 {k}×{k} 卷积核。\n"
        f"X（{n}×{n}）：\n{fmt_grid(x)}\n上游梯度 dL/dY（2×2）："
        f"\n{fmt_grid(dy)}\n求 dL/dW，用矩阵作答，例如 `1 2; 3 4`。",
    )
    en = [
        "Each weight W[a, b] multiplies X[s·i + a, s·j + b] in output "
        "Y[i, j], so dL/dW[a, b] = Σ_ij dY[i, j]·X[s·i + a, s·j + b]: "
        "the input correlated with dL/dY" + (f" (dL/dY dilated by the stride {s})." if s > 1 else "."),
    ]
    zh = [
        "权重 W[a, b] 在输出 Y[i, j] 中乘的是 X[s·i + a, s·j + b]，所以 "
        "dL/dW[a, b] = Σ_ij dY[i, j]·X[s·i + a, s·j + b]："
        "即输入与 dL/dY 做互相关" + (f"（dL/dY 按步长 {s} 插空）。" if s > 1 else "。"),
    ]
    for i in range(2):
        for j in range(2):
            win = x[i * s : i * s + k, j * s : j * s + k]
            en.append(f"dY[{i}, {j}] = {_m(dy[i, j])} times the window of X at ({s * i}, {s * j}):\n{fmt_grid(win)}")
            zh.append(f"dY[{i}, {j}] = {_m(dy[i, j])} 乘以 X 在 ({s * i}, {s * j}) 处的窗口：\n{fmt_grid(win)}")
    en.append(f"Sum of the four scaled windows:\n{fmt_grid(dw)}")
    zh.append(f"四个加权窗口相加：\n{fmt_grid(dw)}")
    return Draft(
        params={"input": x.tolist(), "grad_output": dy.tolist(), "kernel_size": k, "stride": s},
        prompt=prompt,
        answer=mat(dw),
        answer_kind=AnswerKind.MATRIX,
        tolerance=Tolerance.exact(),
        solution=Text(_steps(en), _steps(zh)),
    )


@mistake(
    "conv_backward_weight",
    "flipped-grad",
    step=1,
    text=Text(
        "You flipped dL/dY (a true convolution); the weight gradient correlates the input with dL/dY unflipped.",
        "你把 dL/dY 翻转了（做成了真正的卷积）；权重梯度是输入与未翻转的 dL/dY 做互相关。",
    ),
)
def _dw_flip(p: Params) -> list[list[float]]:
    dy = np.asarray(p["grad_output"], float)[::-1, ::-1]
    return mat(conv_weight_grad(np.asarray(p["input"], float), dy, p["stride"], p["kernel_size"]))


@mistake(
    "conv_backward_weight",
    "ignored-upstream",
    step=1,
    text=Text(
        "You summed the input windows without weighting them by dL/dY (as if dL/dY were all ones).",
        "你把输入窗口直接相加，没有乘上 dL/dY（相当于把 dL/dY 当成全 1）。",
    ),
)
def _dw_ones(p: Params) -> list[list[float]]:
    dy = np.ones_like(np.asarray(p["grad_output"], float))
    return mat(conv_weight_grad(np.asarray(p["input"], float), dy, p["stride"], p["kernel_size"]))


@torch_snippet("conv_backward_weight")
def _dw_code(p: Params) -> str:
    k = p["kernel_size"]
    return (
        "import torch\nimport torch.nn.functional as F\n"
        f"x = torch.tensor({p['input']}, dtype=torch.float64)[None, None]\n"
        f"w = torch.zeros(1, 1, {k}, {k}, dtype=torch.float64, requires_grad=True)\n"
        f"dy = torch.tensor({p['grad_output']}, dtype=torch.float64)[None, None]\n"
        f"F.conv2d(x, w, stride={p['stride']}).backward(dy)\n"
        "print(w.grad[0, 0].tolist())\n"
    )


@family(
    "conv_backward_input",
    topic="cnn.compute",
    title=Text("Convolution backward: the input gradient", "卷积反向传播：输入梯度"),
    difficulty=4,
    levels=3,
    default_level=2,
)
def draw_conv_backward_input(rng: np.random.Generator, level: int) -> Draft:
    """dL/dX = full convolution of dL/dY with the flipped kernel = dL/dY scattered through W."""
    while True:
        n, k, s, _x, w, dy = _backward_setup(rng, level)
        dx = conv_input_grad(w, dy, s, n)
        flipped = conv_input_grad(w[::-1, ::-1], dy, s, n)
        if not np.array_equal(dx, flipped) and not (dy == 1).all():
            break
    prompt = Text(
        f"Y = conv2d(X, W, stride={s}) (PyTorch's cross-correlation, one channel, no padding), X is {n}×{n}.\n"
        f"W ({k}×{k}):\n{fmt_grid(w)}\nThe upstream gradient dL/dY (2×2):\n{fmt_grid(dy)}\n"
        "What is dL/dX? Answer as a matrix, e.g. `1 2; 3 4`.",
        f"Y = conv2d(X, W, stride={s})（PyTorch 的互相关，单通道，无填充），X 为 {n}×{n}。\n"
        f"W（{k}×{k}）：\n{fmt_grid(w)}\n上游梯度 dL/dY（2×2）："
        f"\n{fmt_grid(dy)}\n求 dL/dX，用矩阵作答，例如 `1 2; 3 4`。",
    )
    en = [
        "Output Y[i, j] used the window of X at (s·i, s·j) weighted "
        "by W, so it sends dY[i, j]·W back onto that window. "
        "Equivalently: the full convolution of dL/dY with the 180°-flipped kernel (a transposed convolution).",
    ]
    zh = [
        "输出 Y[i, j] 用到了 X 在 (s·i, s·j) 处的窗口，权重为 W，所以它把 dY[i, j]·W 送回这个窗口。"
        "等价地说：dL/dY 与旋转 180° 的卷积核做 full 卷积（也就是一次转置卷积）。",
    ]
    for i in range(2):
        for j in range(2):
            en.append(
                f"dY[{i}, {j}] = {_m(dy[i, j])}: add {_m(dy[i, j])}·W at rows "
                f"{s * i}–{s * i + k - 1}, columns {s * j}–{s * j + k - 1}."
            )
            zh.append(
                f"dY[{i}, {j}] = {_m(dy[i, j])}：把 {_m(dy[i, j])}·W 加到第 "
                f"{s * i}–{s * i + k - 1} 行、第 {s * j}–{s * j + k - 1} 列。"
            )
    tail = " (inputs no window touched get 0)" if n > (2 - 1) * s + k else ""
    en.append(f"Sum{tail}:\n{fmt_grid(dx)}")
    zh.append(f"相加{'（没有窗口覆盖的输入梯度为 0）' if tail else ''}：\n{fmt_grid(dx)}")
    return Draft(
        params={"kernel": w.tolist(), "grad_output": dy.tolist(), "input_size": n, "stride": s},
        prompt=prompt,
        answer=mat(dx),
        answer_kind=AnswerKind.MATRIX,
        tolerance=Tolerance.exact(),
        solution=Text(_steps(en), _steps(zh)),
    )


@mistake(
    "conv_backward_input",
    "kernel-flip-mixup",
    step=1,
    text=Text(
        "You sent dY·W back with the kernel flipped; scattering uses W as stored (the flip belongs to the "
        "equivalent full-convolution form only).",
        "你把翻转后的卷积核乘 dY 送回去；按窗口回传时用的是原始 W（翻转只出现在等价的 full 卷积写法里）。",
    ),
)
def _dx_flip(p: Params) -> list[list[float]]:
    w = np.asarray(p["kernel"], float)[::-1, ::-1]
    return mat(conv_input_grad(w, np.asarray(p["grad_output"], float), p["stride"], p["input_size"]))


@mistake(
    "conv_backward_input",
    "ignored-upstream",
    step=2,
    text=Text(
        "You added W onto every window without scaling it by dL/dY (as if dL/dY were all ones).",
        "你把 W 直接加到每个窗口上，没有乘以 dL/dY（相当于把 dL/dY 当成全 1）。",
    ),
)
def _dx_ones(p: Params) -> list[list[float]]:
    dy = np.ones_like(np.asarray(p["grad_output"], float))
    return mat(conv_input_grad(np.asarray(p["kernel"], float), dy, p["stride"], p["input_size"]))


@torch_snippet("conv_backward_input")
def _dx_code(p: Params) -> str:
    n = p["input_size"]
    return (
        "import torch\nimport torch.nn.functional as F\n"
        f"x = torch.zeros(1, 1, {n}, {n}, dtype=torch.float64, requires_grad=True)\n"
        f"w = torch.tensor({p['kernel']}, dtype=torch.float64)[None, None]\n"
        f"dy = torch.tensor({p['grad_output']}, dtype=torch.float64)[None, None]\n"
        f"F.conv2d(x, w, stride={p['stride']}).backward(dy)\n"
        "print(x.grad[0, 0].tolist())\n"
    )


def pool_backward(x: Grid, dy: Grid, k: int, s: int, mode: str) -> Grid:
    """Max: each window's gradient goes to its arg-max; average: spread as dY/k² over the window; overlaps add."""
    dx = np.zeros_like(x, dtype=float)
    for i in range(dy.shape[0]):
        for j in range(dy.shape[1]):
            win = x[i * s : i * s + k, j * s : j * s + k]
            if mode == "max":
                a, b = np.unravel_index(int(np.argmax(win)), win.shape)
                dx[i * s + a, j * s + b] += dy[i, j]
            else:
                dx[i * s : i * s + k, j * s : j * s + k] += dy[i, j] / (k * k)
    return dx


@family(
    "pool_backward",
    topic="cnn.compute",
    title=Text("Pooling backward pass", "池化层的反向传播"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_pool_backward(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: 2×2 max pool, stride 2; 2: 2×2 average pool, stride 2; 3: overlapping 2×2 max pool, stride 1."""
    mode = "avg" if level == 2 else "max"
    n, k, s = (3, 2, 1) if level == 3 else (4, 2, 2)
    x = (rng.permutation(n * n) + 1).reshape(n, n)  # distinct values: no ties for the arg-max
    o = (n - k) // s + 1
    dy = rng.integers(2, 9, size=(o, o)) * pick(rng, [1, -1])
    if mode == "avg":
        dy = dy * 4  # quarters stay whole numbers
    dx = pool_backward(x.astype(float), dy.astype(float), k, s, mode)
    name_en, name_zh = ("max", "最大") if mode == "max" else ("average", "平均")
    prompt = Text(
        f"X ({n}×{n}) goes through {k}×{k} {name_en} pooling with stride {s}.\nX:\n{fmt_grid(x)}\n"
        f"The upstream gradient dL/dY ({o}×{o}):\n{fmt_grid(dy)}\nWhat is dL/dX? Answer as a matrix, e.g. `1 2; 3 4`.",
        f"X（{n}×{n}）经过 {k}×{k}、步长 {s} 的{name_zh}池化。\nX：\n{fmt_grid(x)}\n"
        f"上游梯度 dL/dY（{o}×{o}）：\n{fmt_grid(dy)}\n求 dL/dX，用矩阵作答，例如 `1 2; 3 4`。",
    )
    if mode == "max":
        en = [
            "Max pooling passes each window's gradient only to the position of its maximum (the arg-max saved in "
            "the forward pass); every other input gets 0."
        ]
        zh = ["最大池化把每个窗口的梯度只传给窗口里最大值的位置（前向时记下的 arg-max），其他输入的梯度为 0。"]
        for i in range(o):
            for j in range(o):
                win = x[i * s : i * s + k, j * s : j * s + k]
                a, b = np.unravel_index(int(np.argmax(win)), win.shape)
                en.append(f"Window ({i}, {j}): max {win.max()} at ({i * s + a}, {j * s + b}) receives {_m(dy[i, j])}.")
                zh.append(f"窗口 ({i}, {j})：最大值 {win.max()} 位于 ({i * s + a}, {j * s + b})，得到 {_m(dy[i, j])}。")
        if s < k:
            en.append(
                "Windows overlap at stride 1: an input that is the maximum of several windows sums their gradients."
            )
            zh.append("步长为 1 时窗口重叠：同时是几个窗口最大值的输入，要把这些梯度相加。")
    else:
        en = [f"Each input contributes 1/k² = 1/{k * k} to its window's average, so it receives dY/{k * k}."]
        zh = [f"每个输入对所在窗口平均值的贡献是 1/k² = 1/{k * k}，所以得到 dY/{k * k}。"]
        for i in range(o):
            for j in range(o):
                en.append(
                    f"Window ({i}, {j}): {_m(dy[i, j])}/{k * k} = "
                    f"{_m(dy[i, j] / (k * k))} to each of its {k * k} inputs."
                )
                zh.append(
                    f"窗口 ({i}, {j})：{_m(dy[i, j])}/{k * k} = {_m(dy[i, j] / (k * k))}，分给其中 {k * k} 个输入。"
                )
    en.append(f"dL/dX:\n{fmt_grid(dx)}")
    zh.append(f"dL/dX：\n{fmt_grid(dx)}")
    return Draft(
        params={"input": x.tolist(), "grad_output": dy.tolist(), "kernel_size": k, "stride": s, "mode": mode},
        prompt=prompt,
        answer=mat(dx),
        answer_kind=AnswerKind.MATRIX,
        tolerance=Tolerance.exact(),
        solution=Text(_steps(en), _steps(zh)),
    )


def _pool_args(p: Params) -> tuple[Grid, Grid, int, int]:
    return np.asarray(p["input"], float), np.asarray(p["grad_output"], float), p["kernel_size"], p["stride"]


@mistake(
    "pool_backward",
    "other-pool-rule",
    step=1,
    text=Text(
        "You used the other pooling's rule: max pooling routes the whole gradient to the arg-max; average pooling "
        "spreads dY/k² over the window.",
        "你用了另一种池化的规则：最大池化把梯度整个传给最大值位置；平均池化把 dY/k² 平分给窗口。",
    ),
)
def _pool_other(p: Params) -> list[list[float]]:
    x, dy, k, s = _pool_args(p)
    return mat(pool_backward(x, dy, k, s, "avg" if p["mode"] == "max" else "max"))


@mistake(
    "pool_backward",
    "dropped-upstream",
    step=1,
    text=Text(
        "You gave the local derivative (1 at the arg-max, 1/k² for average) without multiplying by dL/dY.",
        "你只给出了局部导数（最大值位置为 1，平均池化为 1/k²），忘了乘以 dL/dY。",
    ),
)
def _pool_local(p: Params) -> list[list[float]]:
    x, dy, k, s = _pool_args(p)
    return mat(pool_backward(x, np.ones_like(dy), k, s, p["mode"]))


@torch_snippet("pool_backward")
def _pool_code(p: Params) -> str:
    fn = "max_pool2d" if p["mode"] == "max" else "avg_pool2d"
    return (
        "import torch\nimport torch.nn.functional as F\n"
        f"x = torch.tensor({p['input']}, dtype=torch.float64, requires_grad=True)\n"
        f"dy = torch.tensor({p['grad_output']}, dtype=torch.float64)[None, None]\n"
        f"F.{fn}(x[None, None], {p['kernel_size']}, stride={p['stride']}).backward(dy)\n"
        "print(x.grad.tolist())\n"
    )


@family(
    "im2col_shape",
    topic="cnn.compute",
    title=Text("Shape of the im2col matrix", "im2col 矩阵的形状"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_im2col_shape(rng: np.random.Generator, level: int) -> Draft:
    """(C·k·k, H_out·W_out) per image, as F.unfold returns it; level 3 adds the batch dimension."""
    while True:
        c = pick(rng, [3, 16, 32, 64])
        h = pick(rng, [8, 14, 16, 28, 32])
        w = h if level == 1 else pick(rng, [8, 14, 16, 28, 32])
        k = pick(rng, [3, 5]) if level > 1 else 3
        s = pick(rng, [1, 2]) if level > 1 else 1
        p = pick(rng, [0, 1, 2]) if level > 1 else 0
        batch = pick(rng, [2, 4, 8]) if level == 3 else 1
        ho, wo = conv_out(h, k, p, s), conv_out(w, k, p, s)
        if ho * wo != h * w:  # 'same' padding at stride 1 would hide the input-positions slip
            break
    shape = (batch, c * k * k, ho * wo) if level == 3 else (c * k * k, ho * wo)
    who_en = f"A batch of {batch} inputs of shape {c}×{h}×{w}" if level == 3 else f"One {c}×{h}×{w} input (C×H×W)"
    who_zh = f"一批 {batch} 个形状为 {c}×{h}×{w} 的输入" if level == 3 else f"一个 {c}×{h}×{w}（C×H×W）的输入"
    prompt = Text(
        f"{who_en} is unrolled with im2col for a {k}×{k} convolution, stride {s}, padding {p}, exactly as "
        f"F.unfold(x, kernel_size={k}, stride={s}, padding={p}) does"
        + (" (x of shape N×C×H×W)" if level == 3 else " (x of shape 1×C×H×W, batch dimension dropped)")
        + ". What is the shape of the result? Answer like `3×4`.",
        f"{who_zh}用 im2col 展开，对应 {k}×{k} 卷积、步长 {s}、填充 {p}，与 F.unfold(x, kernel_size={k}, stride={s}, "
        f"padding={p}) 完全一致"
        + ("（x 形状为 N×C×H×W）" if level == 3 else "（x 形状为 1×C×H×W，去掉批维度）")
        + "。结果的形状是什么？按 `3×4` 的格式作答。",
    )
    en = [
        f"Each column is one receptive field, flattened: C·k·k = {c}·{k}·{k} = {c * k * k} rows.",
        f"One column per output position: H_out = ⌊({h} + 2·{p} − {k})/{s}⌋ + 1 = {ho}, W_out = {wo}, "
        f"so {ho}·{wo} = {ho * wo} columns.",
        f"Shape: {fmt_shape(shape)}; the convolution is then one "
        f"GEMM of the (C_out × {c * k * k}) weight matrix with it.",
    ]
    zh = [
        f"每一列是一个感受野展平后的结果：C·k·k = {c}·{k}·{k} = {c * k * k} 行。",
        f"每个输出位置一列：H_out = ⌊({h} + 2·{p} − {k})/{s}⌋ + 1 = {ho}，W_out = {wo}，共 {ho}·{wo} = {ho * wo} 列。",
        f"形状：{fmt_shape(shape)}；卷积随后就是 (C_out × {c * k * k}) 的权重矩阵与它做一次矩阵乘法（GEMM）。",
    ]
    return Draft(
        params={"batch": batch, "channels": c, "height": h, "width": w, "kernel": k, "stride": s, "padding": p},
        prompt=prompt,
        answer=shape,
        answer_kind=AnswerKind.SHAPE,
        tolerance=Tolerance.exact(),
        solution=Text(_steps(en), _steps(zh)),
    )


def _im2col(p: Params, rows: int, cols: int) -> tuple[int, ...]:
    return (p["batch"], rows, cols) if p["batch"] > 1 else (rows, cols)


def _im2col_out(p: Params) -> int:
    return conv_out(p["height"], p["kernel"], p["padding"], p["stride"]) * conv_out(
        p["width"], p["kernel"], p["padding"], p["stride"]
    )


@mistake(
    "im2col_shape",
    "forgot-channels",
    step=1,
    text=Text(
        "You gave k·k rows; each column holds the window of every input channel, C·k·k values.",
        "你给了 k·k 行；每一列包含所有输入通道的窗口，共 C·k·k 个值。",
    ),
)
def _im2col_no_c(p: Params) -> tuple[int, ...]:
    return _im2col(p, p["kernel"] ** 2, _im2col_out(p))


@mistake(
    "im2col_shape",
    "input-positions",
    step=2,
    text=Text(
        "You used H·W input positions as columns; there is one column per output position.",
        "你用输入的 H·W 个位置作为列数；应当是每个输出位置一列。",
    ),
)
def _im2col_hw(p: Params) -> tuple[int, ...]:
    return _im2col(p, p["channels"] * p["kernel"] ** 2, p["height"] * p["width"])


@torch_snippet("im2col_shape")
def _im2col_code(p: Params) -> str:
    drop = "" if p["batch"] > 1 else "[0]"
    return (
        "import torch\nimport torch.nn.functional as F\n"
        f"x = torch.zeros({p['batch']}, {p['channels']}, {p['height']}, {p['width']})\n"
        f"cols = F.unfold(x, kernel_size={p['kernel']}, stride={p['stride']}, padding={p['padding']}){drop}\n"
        "print('×'.join(map(str, cols.shape)))\n"
    )


@family(
    "conv1d_text_shape",
    topic="cnn.compute",
    title=Text("1-D convolution over a sequence of embeddings", "对词向量序列做一维卷积"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_conv1d_text_shape(rng: np.random.Generator, level: int) -> Draft:
    """nn.Conv1d wants (N, C, L): embeddings (N, L, E) are transposed so E becomes the channels."""
    while True:
        n = pick(rng, [4, 8, 16, 32])
        length = pick(rng, [20, 32, 50, 64, 100, 128])
        e = pick(rng, [64, 100, 128, 256, 300])
        c_out = pick(rng, [32, 64, 100, 128])
        k = pick(rng, [2, 3, 4, 5])
        p = 0 if level == 1 else pick(rng, [0, 1, 2])
        s = 1 if level < 3 else pick(rng, [2, 3])
        out_len = conv_out(length, k, p, s)
        if out_len not in (length, c_out):  # the layout and length slips must show
            break
    shape = (n, c_out, out_len)
    args = f"{e}, {c_out}, kernel_size={k}" + (f", padding={p}" if p else "") + (f", stride={s}" if s > 1 else "")
    prompt = Text(
        f"An embedding layer gives a batch of shape (N, L, E) = ({n}, {length}, {e}). It is transposed to "
        f"(N, E, L) and fed to nn.Conv1d({args}). What is the output shape? Answer like `2×3×4`.",
        f"嵌入层输出的一批数据形状为 (N, L, E) = ({n}, {length}, {e})。把它转置为 (N, E, L) 后送入 "
        f"nn.Conv1d({args})。输出形状是什么？按 `2×3×4` 的格式作答。",
    )
    en = [
        f"Conv1d reads (N, C_in, L): the embedding size E = {e} is the input channels, and the kernel slides over "
        f"the {length} positions.",
        f"L_out = ⌊(L + 2p − k)/s⌋ + 1 = ⌊({length} + 2·{p} − {k})/{s}⌋ + 1 = {out_len}.",
        f"Output (N, C_out, L_out) = {fmt_shape(shape)}.",
    ]
    zh = [
        f"Conv1d 的输入格式是 (N, C_in, L)：词向量维度 E = {e} 是输入通道数，卷积核沿 {length} 个位置滑动。",
        f"L_out = ⌊(L + 2p − k)/s⌋ + 1 = ⌊({length} + 2·{p} − {k})/{s}⌋ + 1 = {out_len}。",
        f"输出 (N, C_out, L_out) = {fmt_shape(shape)}。",
    ]
    return Draft(
        params={
            "batch": n,
            "length": length,
            "embed_dim": e,
            "out_channels": c_out,
            "kernel": k,
            "padding": p,
            "stride": s,
        },
        prompt=prompt,
        answer=shape,
        answer_kind=AnswerKind.SHAPE,
        tolerance=Tolerance.exact(),
        solution=Text(_steps(en), _steps(zh)),
    )


def _c1_len(p: Params) -> int:
    return conv_out(p["length"], p["kernel"], p["padding"], p["stride"])


@mistake(
    "conv1d_text_shape",
    "length-last-layout",
    step=3,
    text=Text(
        "You kept the (N, L, C) layout of the embeddings; Conv1d returns (N, C_out, L_out).",
        "你沿用了嵌入层 (N, L, C) 的排列；Conv1d 输出的是 (N, C_out, L_out)。",
    ),
)
def _c1_layout(p: Params) -> tuple[int, ...]:
    return (p["batch"], _c1_len(p), p["out_channels"])


@mistake(
    "conv1d_text_shape",
    "length-unchanged",
    step=2,
    text=Text(
        "You kept the sequence length; without enough padding the kernel shortens it to ⌊(L + 2p − k)/s⌋ + 1.",
        "你认为序列长度不变；填充不够时卷积会把长度缩短为 ⌊(L + 2p − k)/s⌋ + 1。",
    ),
)
def _c1_same(p: Params) -> tuple[int, ...]:
    return (p["batch"], p["out_channels"], p["length"])


@torch_snippet("conv1d_text_shape")
def _c1_code(p: Params) -> str:
    return (
        "import torch\nfrom torch import nn\n"
        f"emb = torch.zeros({p['batch']}, {p['length']}, {p['embed_dim']})  # (N, L, E)\n"
        f"conv = nn.Conv1d({p['embed_dim']}, {p['out_channels']}, kernel_size={p['kernel']}, "
        f"padding={p['padding']}, stride={p['stride']})\n"
        "print('×'.join(map(str, conv(emb.transpose(1, 2)).shape)))\n"
    )


@family(
    "conv3d_params",
    topic="cnn.compute",
    title=Text("Parameters of a 3-D convolution", "三维卷积的参数量"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_conv3d_params(rng: np.random.Generator, level: int) -> Draft:
    """Level 1: cubic kernel with bias; 2: (k_t, k_h, k_w) kernel, bias or not; 3: grouped."""
    c_in = pick(rng, [3, 16, 32, 64])
    c_out = pick(rng, [16, 32, 64, 128])
    if level == 1:
        kt = kh = kw = pick(rng, [3, 5])
    else:
        kt, kh, kw = pick(rng, [2, 3, 5]), pick(rng, [3, 5]), pick(rng, [3, 5])
    bias = True if level == 1 else bool(rng.integers(2))
    groups = pick(rng, [2, 4]) if level == 3 and c_in % 4 == 0 else 1
    if level == 3 and groups == 1:
        c_in, groups = 16, 4
    per_filter = kt * kh * kw * (c_in // groups)
    total = per_filter * c_out + (c_out if bias else 0)
    ks = f"{kt}" if kt == kh == kw else f"({kt}, {kh}, {kw})"
    extra = ("" if bias else ", bias=False") + (f", groups={groups}" if groups > 1 else "")
    prompt = Text(
        f"How many parameters does nn.Conv3d({c_in}, {c_out}, kernel_size={ks}{extra}) have?",
        f"nn.Conv3d({c_in}, {c_out}, kernel_size={ks}{extra}) 有多少个参数？",
    )
    g_en = f" × C_in/groups = {c_in}/{groups} = {c_in // groups}" if groups > 1 else f" × C_in = {c_in}"
    g_zh = f" × C_in/groups = {c_in}/{groups} = {c_in // groups}" if groups > 1 else f" × C_in = {c_in}"
    en = [
        f"One filter spans the whole kernel volume {kt}·{kh}·{kw} = {kt * kh * kw}{g_en}: {per_filter:,} weights.",
        f"× C_out = {c_out} filters: {per_filter * c_out:,} weights"
        + (
            f", plus one bias per output channel: {per_filter * c_out:,} + {c_out} = {total:,}."
            if bias
            else f" (no bias): {total:,}."
        ),
    ]
    zh = [
        f"一个卷积核覆盖整个体积 {kt}·{kh}·{kw} = {kt * kh * kw}{g_zh}：{per_filter:,} 个权重。",
        f"× C_out = {c_out} 个卷积核：{per_filter * c_out:,} 个权重"
        + (
            f"，再加每个输出通道一个偏置：{per_filter * c_out:,} + {c_out} = {total:,}。"
            if bias
            else f"（无偏置）：{total:,}。"
        ),
    ]
    return Draft(
        params={"c_in": c_in, "c_out": c_out, "kernel": [kt, kh, kw], "bias": bias, "groups": groups},
        prompt=prompt,
        answer=total,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=Text(_steps(en), _steps(zh)),
    )


@mistake(
    "conv3d_params",
    "2d-kernel",
    step=1,
    text=Text(
        "You counted a 2-D kernel k_h·k_w; a 3-D filter also spans k_t frames.",
        "你按二维卷积核 k_h·k_w 计算；三维卷积核还跨越 k_t 帧。",
    ),
)
def _c3_2d(p: Params) -> int:
    kt, kh, kw = p["kernel"]
    del kt  # the slip: the temporal extent is left out
    return int(kh * kw * (p["c_in"] // p["groups"]) * p["c_out"] + (p["c_out"] if p["bias"] else 0))


@mistake(
    "conv3d_params",
    "ignored-groups-or-bias",
    step=2,
    text=Text(
        "You got the bias or the groups wrong: one bias per output channel (none with bias=False), and each filter "
        "sees only C_in/groups channels.",
        "偏置或分组算错了：每个输出通道一个偏置（bias=False 时没有），每个卷积核只看 C_in/groups 个通道。",
    ),
)
def _c3_bias(p: Params) -> int:
    kt, kh, kw = p["kernel"]
    w = int(kt * kh * kw * p["c_in"] * p["c_out"])  # groups ignored
    return w + (0 if p["bias"] else int(p["c_out"]))  # bias flipped


@torch_snippet("conv3d_params")
def _c3_code(p: Params) -> str:
    return (
        "from torch import nn\n"
        f"m = nn.Conv3d({p['c_in']}, {p['c_out']}, kernel_size={tuple(p['kernel'])}, bias={p['bias']}, "
        f"groups={p['groups']})\n"
        "print(sum(q.numel() for q in m.parameters()))\n"
    )
