"""Object-detection drills (boxes as x1, y1, x2, y2, as torchvision)."""

from __future__ import annotations

import numpy as np

from quizforge.drills.base import Case, drill
from quizforge.drills.library._cases import TOPIC, edge
from quizforge.text import Text


def _boxes(rng: np.random.Generator, k: int, spread: float) -> np.ndarray:
    xy = rng.uniform(0, spread, size=(k, 2))
    wh = rng.uniform(0.5, spread / 2, size=(k, 2))
    return np.concatenate([xy, xy + wh], axis=1)


def _iou_case(rng: np.random.Generator, i: int, n: int) -> Case:
    a, b = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    spread = 1000.0 if edge(i, n) else 10.0
    boxes_a, boxes_b = _boxes(rng, a, spread), _boxes(rng, b, spread)
    if i % 3 == 2:
        boxes_b[0] = boxes_a[0]  # identical boxes: IoU 1
    return Case((boxes_a, boxes_b), f"{a} × {b} boxes, spread {spread:g}")


@drill(
    TOPIC,
    2,
    Text(
        "Implement the pairwise IoU of two sets of boxes (x1, y1, x2, y2) as torchvision.ops.box_iou: (A, 4), (B, 4) → "
        "(A, B). Boxes that do not overlap have IoU 0.",
        "实现两组框 (x1, y1, x2, y2) 的两两 IoU（与 torchvision.ops.box_iou 相同）：(A, 4)、(B, 4) → (A, B)。"
        "不相交的框 IoU 为 0。",
    ),
    (
        Text(
            "Intersection corners: max of the top-left corners, min of the bottom-right ones; broadcast with "
            "a[:, None, :] against b[None, :, :].",
            "交集的角点：左上角取最大，右下角取最小；用 a[:, None, :] 与 b[None, :, :] 广播。",
        ),
        Text(
            "Clip the intersection's width and height at 0 before multiplying.", "交集的宽和高先在 0 处截断，再相乘。"
        ),
    ),
    _iou_case,
)
def box_iou(boxes_a, boxes_b):
    """boxes_a (A, 4), boxes_b (B, 4) as x1, y1, x2, y2 -> (A, B)."""
    area_a = (boxes_a[:, 2] - boxes_a[:, 0]) * (boxes_a[:, 3] - boxes_a[:, 1])
    area_b = (boxes_b[:, 2] - boxes_b[:, 0]) * (boxes_b[:, 3] - boxes_b[:, 1])
    top_left = np.maximum(boxes_a[:, None, :2], boxes_b[None, :, :2])
    bottom_right = np.minimum(boxes_a[:, None, 2:], boxes_b[None, :, 2:])
    wh = np.clip(bottom_right - top_left, 0, None)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (area_a[:, None] + area_b[None, :] - inter)


def _nms_case(rng: np.random.Generator, i: int, n: int) -> Case:
    k = int(rng.integers(1, 4)) if i < 3 else int(rng.integers(4, 16))
    boxes = _boxes(rng, k, 10.0 if not edge(i, n) else 4.0)  # crowded boxes at the end
    scores = rng.permutation(k) / k + rng.uniform(0, 0.01)  # distinct scores: the order is defined
    threshold = float(rng.choice([0.3, 0.5, 0.7]))
    return Case((boxes, scores, threshold), f"{k} boxes, threshold {threshold}")


@drill(
    TOPIC,
    3,
    Text(
        "Implement non-maximum suppression as torchvision.ops.nms: return the indices of the kept boxes, by "
        "decreasing score; a box is dropped when its IoU with a kept box is greater than iou_threshold.",
        "实现非极大值抑制（与 torchvision.ops.nms 相同）：按分数从高到低返回保留框的下标；"
        "与某个已保留框的 IoU 大于 iou_threshold 的框被丢弃。",
    ),
    (
        Text("Visit boxes in np.argsort(-scores) order.", "按 np.argsort(-scores) 的顺序访问各框。"),
        Text(
            "Keep the first remaining box, drop the remaining ones overlapping it by more than the threshold, repeat.",
            "保留剩下的第一个框，丢弃与它重叠超过阈值的其余框，重复。",
        ),
    ),
    _nms_case,
)
def nms(boxes, scores, iou_threshold):
    """boxes (K, 4) as x1, y1, x2, y2, scores (K,), iou_threshold float -> kept indices (int array)."""
    order = list(np.argsort(-scores))
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    keep = []
    while order:
        best = order.pop(0)
        keep.append(best)
        rest = []
        for j in order:
            w = min(boxes[best, 2], boxes[j, 2]) - max(boxes[best, 0], boxes[j, 0])
            h = min(boxes[best, 3], boxes[j, 3]) - max(boxes[best, 1], boxes[j, 1])
            inter = max(w, 0) * max(h, 0)
            if inter / (area[best] + area[j] - inter) <= iou_threshold:
                rest.append(j)
        order = rest
    return np.array(keep, dtype=np.int64)
