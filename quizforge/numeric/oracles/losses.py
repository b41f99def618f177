"""Torch oracles for the loss and metric families: the real ``torch.nn`` losses, and metrics counted with
tensor comparisons, a confusion matrix from ``torch.bincount`` and ranks from ``torch.argsort``.

torch is imported inside each function so importing this module stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizforge.numeric.base import Answer
from quizforge.numeric.oracle import oracle

if TYPE_CHECKING:
    import torch


def _t(values: Any) -> torch.Tensor:
    import torch

    return torch.tensor(values, dtype=torch.float64)


@oracle("bce_with_logits")
def bce_with_logits(params: dict[str, Any]) -> Answer:
    import torch.nn.functional as F

    return float(F.binary_cross_entropy_with_logits(_t(params["logits"]), _t(params["targets"])))


@oracle("label_smoothing_ce")
def label_smoothing_ce(params: dict[str, Any]) -> Answer:
    import torch
    import torch.nn.functional as F

    loss = F.cross_entropy(
        _t(params["logits"])[None], torch.tensor([params["target"]]), label_smoothing=params["smoothing"]
    )
    return float(loss)


@oracle("focal_loss")
def focal_loss(params: dict[str, Any]) -> Answer:
    """Focal loss from logits, as torchvision's sigmoid_focal_loss computes it (BCE-with-logits · factors)."""
    import torch
    import torch.nn.functional as F

    p, y = _t(params["probs"]), _t(params["targets"])
    logits = torch.log(p / (1 - p))
    ce = F.binary_cross_entropy_with_logits(logits, y, reduction="none")
    prob = torch.sigmoid(logits)
    p_t = prob * y + (1 - prob) * (1 - y)
    loss = ce * (1 - p_t) ** params["gamma"]
    if params["alpha"] is not None:
        a = params["alpha"]
        loss = (a * y + (1 - a) * (1 - y)) * loss
    return float(loss.mean())


@oracle("huber_loss")
def huber_loss(params: dict[str, Any]) -> Answer:
    from torch import nn

    x, y = _t(params["input"]), _t(params["target"])
    if params["loss"] == "smooth_l1":
        return float(nn.SmoothL1Loss(beta=params["delta"])(x, y))
    return float(nn.HuberLoss(delta=params["delta"])(x, y))


@oracle("kl_div")
def kl_div(params: dict[str, Any]) -> Answer:
    from torch import nn

    p, q = _t(params["p"]), _t(params["q"])
    return float(nn.KLDivLoss(reduction="batchmean")(q.log()[None], p[None]))


@oracle("triplet_loss")
def triplet_loss(params: dict[str, Any]) -> Answer:
    from torch import nn

    loss = nn.TripletMarginLoss(margin=params["margin"], eps=0.0)
    return float(loss(_t(params["anchor"]), _t(params["positive"]), _t(params["negative"])))


@oracle("precision_recall_f1")
def precision_recall_f1(params: dict[str, Any]) -> Answer:
    import torch

    t, p = torch.tensor(params["y_true"]), torch.tensor(params["y_pred"])
    cm = torch.bincount(t * 2 + p, minlength=4).reshape(2, 2).double()  # rows: true class, cols: predicted
    tp, fp, fn = cm[1, 1], cm[0, 1], cm[1, 0]
    precision, recall = tp / cm[:, 1].sum(), tp / cm[1].sum()
    f1 = 2 * tp / (2 * tp + fp + fn)
    return [float(precision), float(recall), float(f1)]


@oracle("roc_auc")
def roc_auc(params: dict[str, Any]) -> Answer:
    """Mann–Whitney U from average ranks (tied scores share the mean of their ranks)."""
    import torch

    s, y = _t(params["scores"]), torch.tensor(params["labels"])
    order = torch.argsort(s)
    ranks = torch.empty_like(s)
    ranks[order] = torch.arange(1, len(s) + 1, dtype=torch.float64)
    for v in torch.unique(s):
        tied = s == v
        ranks[tied] = ranks[tied].mean()
    n_pos, n_neg = int((y == 1).sum()), int((y == 0).sum())
    u = ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2
    return float(u / (n_pos * n_neg))


@oracle("macro_micro_f1")
def macro_micro_f1(params: dict[str, Any]) -> Answer:
    import torch

    c = params["num_classes"]
    t, p = torch.tensor(params["y_true"]), torch.tensor(params["y_pred"])
    cm = torch.bincount(t * c + p, minlength=c * c).reshape(c, c).double()
    tp = cm.diag()
    fp, fn = cm.sum(0) - tp, cm.sum(1) - tp
    if params["average"] == "micro":
        return float(tp.sum() / cm.sum())  # single-label micro F1 = accuracy
    return float((2 * tp / (2 * tp + fp + fn)).nan_to_num().mean())
