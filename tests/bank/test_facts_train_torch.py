"""Every number and PyTorch default stated in the loss, metric, training-practice and PyTorch-in-depth cards,
recomputed with torch.

The cards live in question_bank/train_losses.yaml (train.losses), train_metrics.yaml (train.metrics),
train_practice.yaml (train.practice) and torch_practice.yaml (torch.practice). Each card that states a number has a
fact function below that recomputes it independently: losses with the real torch.nn losses
(F.cross_entropy(label_smoothing=), nn.KLDivLoss, nn.HuberLoss, BCELoss's clamp), metrics by counting with tensors,
schedules by stepping real torch.optim.lr_scheduler objects, clipping with clip_grad_norm_, iterations with len() of
real DataLoaders, defaults with inspect.signature, and tensor facts by running the operations. A fact function
returns (see tests/bank/facts.py):

- ``stated``: computed values, formatted as the card writes them; each must appear in both languages;
- ``givens``: the problem's inputs and documented constants (a year, a paper's γ = 2);
- ``phrases``: exact phrases built from torch's real defaults;
- ``answer`` for numeric cards and ``correct`` for choice cards, compared with the card.

Every number token in every card must be a stated fact, a given, a number inside a checked phrase, or a small
structural integer (0–10). Dedicated tests check the claims that are rules rather than numbers (the label-smoothing
target, KLDivLoss's input convention, zero_grad's default, the scheduler-order warning, view on a transposed
tensor, …).
"""

from __future__ import annotations

import inspect
import io
import itertools
import math
import re
import warnings
from functools import cache
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler

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
    whole,
)

pytestmark = pytest.mark.torch

FILES = ("train_losses.yaml", "train_metrics.yaml", "train_practice.yaml", "torch_practice.yaml")
PREFIXES = {"train.losses": "loss-", "train.metrics": "metric-", "train.practice": "prac-", "torch.practice": "pt-"}
D = torch.float64

load_cards, card = bank.card_loaders(FILES)

# Model names carry numbers that are names, not claims.
MODEL_NAME = re.compile(r"\b(?:ResNet|VGG|CIFAR|Inception)-\d+(?:v\d)?")


def numbers_in(text: str) -> set[str]:
    """Every number token in ``text``, model names skipped (glued to an ASCII word it is a name: F1, float16)."""
    return number_tokens(text, NUMBER_SCI, MODEL_NAME)


REGISTRY: dict[str, FactFn] = {}
facts = fact_registrar(REGISTRY)


def g(*values: Any) -> frozenset[str]:
    return frozenset(str(v) for v in values)


@cache
def defaults(obj: Any) -> dict[str, Any]:
    """Default arguments of a torch class or function, from its real signature."""
    return {
        name: p.default
        for name, p in inspect.signature(obj).parameters.items()
        if p.default is not inspect.Parameter.empty
    }


def t(values: Any) -> torch.Tensor:
    return torch.tensor(values, dtype=D)


# -------------------------------------------------------------------------------------------------
# Measured facts shared by several cards
# -------------------------------------------------------------------------------------------------


def sigmoid_max_derivative() -> float:
    x = torch.linspace(-10, 10, 20001, dtype=D, requires_grad=True)
    torch.sigmoid(x).sum().backward()
    assert x.grad is not None
    return num(x.grad.max())


def focal_over_ce(p_t: float, gamma: float) -> float:
    """FL/CE for one positive example with probability p_t, both losses computed with torch."""
    p, y = t([p_t]), t([1.0])
    ce = F.binary_cross_entropy(p, y)
    fl = (1 - p) ** gamma * F.binary_cross_entropy(p, y, reduction="none")
    return num(fl.sum() / ce)


def lr_after(make: Any, base: float, steps: int) -> float:
    w = nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([w], lr=base)
    sched = make(opt)
    for _ in range(steps):
        opt.step()
        sched.step()
    return float(opt.param_groups[0]["lr"])


def confusion(y_true: list[int], y_pred: list[int], c: int) -> torch.Tensor:
    """Rows: true class, columns: predicted class."""
    return torch.bincount(torch.tensor(y_true) * c + torch.tensor(y_pred), minlength=c * c).reshape(c, c).double()


def auc_by_pairs(pos: list[float], neg: list[float]) -> float:
    p, n = t(pos)[:, None], t(neg)[None, :]
    return num(((p > n).double() + 0.5 * (p == n).double()).mean())


def average_precision(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """Precision averaged at the rank of every positive (no interpolation)."""
    order = torch.argsort(scores, descending=True)
    hits = labels[order].double()
    precision_at_k = torch.cumsum(hits, 0) / torch.arange(1, len(hits) + 1, dtype=D)
    return num((precision_at_k * hits).sum() / hits.sum())


# -------------------------------------------------------------------------------------------------
# train.losses
# -------------------------------------------------------------------------------------------------


@facts("loss-bce-with-logits")
def _bce() -> Facts:
    # BCELoss clamps its log at −100: a saturated sigmoid (p = 0 for a positive) costs exactly 100.
    clamp = F.binary_cross_entropy(t([0.0]), t([1.0]))
    # The fused loss stays exact where sigmoid + BCELoss saturates in float32.
    z = torch.tensor([200.0])
    fused = F.binary_cross_entropy_with_logits(-z, torch.ones(1))
    assert num(fused) == pytest.approx(200.0)
    assert num(F.binary_cross_entropy(torch.sigmoid(-z), torch.ones(1))) == pytest.approx(100.0)
    # ... and its gradient is σ(z) − y.
    logits = torch.randn(5, dtype=D, requires_grad=True)
    y = torch.rand(5, dtype=D)
    F.binary_cross_entropy_with_logits(logits, y, reduction="sum").backward()
    assert logits.grad is not None and torch.allclose(logits.grad, torch.sigmoid(logits) - y)
    return Facts(stated={"clamp": whole(clamp)})


@facts("loss-label-smoothing")
def _label_smoothing() -> Facts:
    return Facts(givens=g(0.1))  # Inception-v3 and the Transformer paper's ε


@facts("loss-focal")
def _focal() -> Facts:
    assert focal_over_ce(0.5, 0) == pytest.approx(1.0)  # γ = 0 is cross-entropy
    # "on the order of 100k anchors" (RetinaNet), γ = 2 and α = 0.25 (the paper's choice) are givens.
    return Facts(stated={"easy": whole(round(1 / focal_over_ce(0.9, 2), 9))}, givens=g(0.25, 0.9, 100))


@facts("loss-huber-smooth-l1")
def _huber() -> Facts:
    assert defaults(nn.HuberLoss)["delta"] == 1.0 and defaults(nn.SmoothL1Loss)["beta"] == 1.0
    return Facts(givens=g(0.5))  # the formula's ½, checked by test_huber_and_smooth_l1_formulas


@facts("loss-mse-sigmoid-classification")
def _mse_sigmoid() -> Facts:
    return Facts(stated={"σ′ max": dec(sigmoid_max_derivative())})


@facts("loss-choice-label-smoothing-target")
def _ls_target() -> Facts:
    eps, c, true = 0.1, 10, 3
    q = torch.full((c,), eps / c, dtype=D)
    q[true] += 1 - eps
    torch.manual_seed(0)
    logits = torch.randn(1, c, dtype=D)
    smoothed = F.cross_entropy(logits, torch.tensor([true]), label_smoothing=eps)
    assert torch.allclose(smoothed, -(q * F.log_softmax(logits[0], 0)).sum())
    wrong = torch.full((c,), eps / (c - 1), dtype=D)
    wrong[true] = 1 - eps
    assert not torch.allclose(smoothed, -(wrong * F.log_softmax(logits[0], 0)).sum())
    options = [wrong, q]
    correct = [
        i for i, target in enumerate(options) if torch.allclose(smoothed, -(target * F.log_softmax(logits[0], 0)).sum())
    ]
    return Facts(
        stated={"ε/C": dec(eps / c), "true": dec(num(q[true])), "1 − ε": dec(1 - eps)},
        givens=g(0.1),
        correct=correct,
    )


@facts("loss-choice-kldiv-call")
def _kldiv_call() -> Facts:
    torch.manual_seed(0)
    s, p_t = torch.randn(4, 5, dtype=D), torch.softmax(torch.randn(4, 5, dtype=D), 1)
    q = torch.softmax(s, 1)
    true_kl = (p_t * (p_t.log() - q.log())).sum(1).mean()
    with pytest.warns(UserWarning, match="'mean' divides the total loss by both the batch size and the support"):
        mean = nn.KLDivLoss(reduction="mean")(F.log_softmax(s, dim=1), p_t)
    calls = [
        nn.KLDivLoss(reduction="batchmean")(F.log_softmax(s, dim=1), p_t),
        nn.KLDivLoss(reduction="batchmean")(F.softmax(s, dim=1), p_t),
        mean,
        nn.KLDivLoss(reduction="batchmean")(p_t.log(), F.softmax(s, dim=1)),
    ]
    assert torch.allclose(calls[2], true_kl / 5)  # 'mean' divides by N·C
    return Facts(correct=[i for i, v in enumerate(calls) if torch.allclose(v, true_kl)])


@facts("loss-choice-bce-inputs")
def _bce_inputs() -> Facts:
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(t([2.0]), t([1.0]))
    head = nn.Linear(512, 20)
    x, y = torch.randn(4, 512), torch.randint(0, 2, (4, 20)).float()
    nn.BCEWithLogitsLoss()(head(x), y)  # logits and float targets of the same shape: fine
    return Facts(givens=g(512, 20), correct=[0])


@facts("loss-choice-huber-gradient")
def _huber_gradient() -> Facts:
    d = 10.0
    losses = [nn.MSELoss(), nn.L1Loss(), nn.HuberLoss(delta=1.0), nn.SmoothL1Loss(beta=1.0)]
    grads = []
    for loss in losses:
        pred = t([d]).requires_grad_(True)
        loss(pred, t([0.0])).backward()
        assert pred.grad is not None
        grads.append(num(pred.grad[0]))
    return Facts(
        stated={"mse": whole(grads[0])},
        givens=g(10, 1.0),
        correct=[i for i, v in enumerate(grads) if abs(v) <= 1],
    )


@facts("loss-label-smoothing-value")
def _ls_value() -> Facts:
    z = t([2.0, 0.0, 0.0])
    s = num(torch.exp(z).sum())
    loss = F.cross_entropy(z[None], torch.tensor([0]), label_smoothing=0.3)
    nll = -F.log_softmax(z, 0)
    return Facts(
        stated={
            "S": dec(s),
            "nll0": dec(nll[0]),
            "nll1": dec(nll[1]),
            "true": dec(0.7 + 0.3 / 3),
            "off": dec(0.3 / 3),
            "1 − ε": dec(1 - 0.3),
            "L": dec(loss),
        },
        givens=g(0.3),
        answer=loss,
    )


@facts("loss-focal-easy-weight")
def _focal_easy() -> Facts:
    r09, r05 = 1 / focal_over_ce(0.9, 2), 1 / focal_over_ce(0.5, 2)
    return Facts(
        stated={"f09": whole(round(r09, 9)), "f05": whole(round(r05, 9)), "m09": dec(0.1**2), "m05": dec(0.5**2)},
        givens=g(0.9, 0.5, 0.1),
        answer=[r09, r05],
    )


@facts("loss-kl-value")
def _kl_value() -> Facts:
    p, q = t([0.5, 0.5]), t([0.25, 0.75])
    kl_pq = nn.KLDivLoss(reduction="batchmean")(q.log()[None], p[None])
    kl_qp = nn.KLDivLoss(reduction="batchmean")(p.log()[None], q[None])
    return Facts(stated={"pq": dec(kl_pq), "qp": dec(kl_qp)}, givens=g(0.5, 0.25, 0.75), answer=[kl_pq, kl_qp])


# -------------------------------------------------------------------------------------------------
# train.metrics
# -------------------------------------------------------------------------------------------------


@facts("metric-precision-recall-f1")
def _prf() -> Facts:
    # Everything predicted positive on 1 % positives: recall 1, precision 0.01, F1 tiny, arithmetic mean ≥ 0.5.
    y = torch.zeros(1000, dtype=torch.long)
    y[:10] = 1
    cm = confusion(y.tolist(), [1] * 1000, 2)
    precision, recall = cm[1, 1] / cm[:, 1].sum(), cm[1, 1] / cm[1].sum()
    f1 = 2 * precision * recall / (precision + recall)
    assert num(recall) == 1 and num(f1) < 0.02 and num((precision + recall) / 2) >= 0.5
    return Facts(givens=g(0.5))


@facts("metric-roc-auc")
def _roc_auc() -> Facts:
    return Facts(stated={"random": dec(auc_by_pairs([0.5, 0.5], [0.5, 0.5, 0.5]))})  # all tied: ½


@facts("metric-pr-auc")
def _pr_auc() -> Facts:
    torch.manual_seed(0)
    labels = (torch.rand(200_000) < 0.1).long()
    ap = average_precision(torch.rand(200_000, dtype=D), labels)
    assert ap == pytest.approx(0.1, abs=0.005)  # a random ranker's AP is the positive rate
    return Facts(givens=g(0.5))


@facts("metric-accuracy-imbalance")
def _accuracy_paradox() -> Facts:
    y = [1] * 10 + [0] * 990
    cm = confusion(y, [0] * 1000, 2)
    accuracy = cm.trace() / cm.sum()
    balanced = (cm.diag() / cm.sum(1)).mean()
    return Facts(stated={"acc": whole(100 * accuracy), "balanced": dec(balanced)})


@facts("metric-imbalanced-medical")
def _medical() -> Facts:
    y = [1] * 2 + [0] * 98
    cm = confusion(y, [0] * 100, 2)
    return Facts(stated={"acc": whole(100 * cm.trace() / cm.sum())}, givens=g(0.5))


@facts("metric-choice-auc-meaning")
def _auc_meaning() -> Facts:
    torch.manual_seed(0)
    scores, labels = torch.rand(50, dtype=D), torch.arange(50) % 2
    pos, neg = scores[labels == 1].tolist(), scores[labels == 0].tolist()
    squashed = torch.sigmoid(10 * scores)  # a monotone transformation: same ranking, different "probabilities"
    assert auc_by_pairs(pos, neg) == pytest.approx(
        auc_by_pairs(squashed[labels == 1].tolist(), squashed[labels == 0].tolist())
    )
    return Facts(givens=g(0.9, 90, 0.5), correct=[0])


@facts("metric-choice-micro-f1")
def _micro_f1_choice() -> Facts:
    y, yhat = [0, 0, 0, 0, 1, 2], [0, 0, 0, 0, 0, 1]
    cm = confusion(y, yhat, 3)
    tp = cm.diag()
    f1 = (2 * tp / (2 * tp + (cm.sum(0) - tp) + (cm.sum(1) - tp))).nan_to_num()
    support = cm.sum(1)
    options = [tp.sum() / cm.sum(), f1.mean(), (tp / support).mean(), (f1 * support).sum() / support.sum()]
    micro = 2 * tp.sum() / (2 * tp.sum() + (cm.sum(0) - tp).sum() + (cm.sum(1) - tp).sum())
    return Facts(correct=[i for i, v in enumerate(options) if torch.allclose(v, micro)])


@facts("metric-choice-rare-positives")
def _rare_positives() -> Facts:
    return Facts(givens=g(0.1, "0.990", 0.995, 0.5), correct=[0])


@facts("metric-choice-weighted-sampler")
def _weighted_sampler() -> Facts:
    ds = TensorDataset(torch.zeros(51))
    weights = torch.tensor([50.0] + [1.0] * 50)
    sampler = WeightedRandomSampler(weights, num_samples=51)
    assert len(DataLoader(ds, sampler=sampler, batch_size=4)) == 13
    with pytest.raises(ValueError, match="mutually exclusive"):
        DataLoader(ds, sampler=sampler, shuffle=True)
    nn.CrossEntropyLoss(weight=torch.tensor([1.0, 50.0]))
    nn.BCEWithLogitsLoss(pos_weight=torch.tensor([50.0]))
    return Facts(givens=g(50), correct=[0, 1, 2])


@facts("metric-prf-value")
def _prf_value() -> Facts:
    y_true = [1] * 30 + [0] * 70
    y_pred = [1] * 20 + [0] * 10 + [1] * 5 + [0] * 65  # 25 flagged, 20 of them defective
    cm = confusion(y_true, y_pred, 2)
    tp, fp, fn = cm[1, 1], cm[0, 1], cm[1, 0]
    precision, recall, f1 = tp / (tp + fp), tp / (tp + fn), 2 * tp / (2 * tp + fp + fn)
    return Facts(
        stated={
            "p": dec(precision),
            "r": dec(recall),
            "f1": dec(f1),
            "2tp": whole(2 * tp),
            "den": whole(2 * tp + fp + fn),
            "fp": whole(fp),
            "fn": whole(fn),
        },
        givens=g(100, 30, 25, 20),
        answer=[precision, recall, f1],
    )


@facts("metric-auc-ties-value")
def _auc_ties_value() -> Facts:
    pos, neg = [0.9, 0.6, 0.4], [0.6, 0.3]
    auc = auc_by_pairs(pos, neg)
    wins = auc * len(pos) * len(neg)
    return Facts(
        stated={"auc": dec(auc), "wins": dec(wins), "second": dec(1.5)},
        givens=g(0.9, 0.6, 0.4, 0.3),
        answer=auc,
    )


@facts("metric-accuracy-paradox-value")
def _paradox_value() -> Facts:
    y = [0] * 980 + [1] * 20
    cm = confusion(y, [0] * 1000, 2)
    accuracy = cm.trace() / cm.sum()
    recall = cm[1, 1] / cm[1].sum()
    balanced = (cm.diag() / cm.sum(1)).mean()
    return Facts(
        stated={"acc": dec(accuracy), "n": whole(cm.sum()), "bal": dec(balanced)},
        givens=g(980, 20),
        answer=[accuracy, recall, balanced],
    )


@facts("metric-macro-micro-value")
def _macro_micro_value() -> Facts:
    cm = confusion([0, 0, 0, 0, 1, 2], [0, 0, 0, 0, 0, 2], 3)
    tp = cm.diag()
    f1 = (2 * tp / (2 * tp + (cm.sum(0) - tp) + (cm.sum(1) - tp))).nan_to_num()
    macro, micro = f1.mean(), tp.sum() / cm.sum()
    return Facts(stated={"f0": dec(f1[0]), "macro": dec(macro), "micro": dec(micro)}, answer=[macro, micro])


@facts("metric-topk-value")
def _topk() -> Facts:
    logits = t([[0.1, 2.0, 1.5, 0.3], [1.2, 0.4, 0.9, 2.2]])
    labels = torch.tensor([2, 3])
    top = logits.topk(2, dim=1).indices
    top1 = (top[:, 0] == labels).double().mean()
    top2 = (top == labels[:, None]).any(1).double().mean()
    return Facts(stated={"top1": dec(top1)}, givens=g(0.1, 2.0, 1.5, 0.3, 1.2, 0.4, 0.9, 2.2), answer=[top1, top2])


# -------------------------------------------------------------------------------------------------
# train.practice
# -------------------------------------------------------------------------------------------------


@facts("prac-hyperparameter-search")
def _search() -> Facts:
    return Facts(givens=g(2012))  # Bergstra & Bengio, JMLR 2012


def linear_scaled_lr(base: float, base_batch: int, batch: int) -> float:
    """The linear scaling rule, checked on SGD: one step on a k-times batch with lr·k ≈ k small steps."""
    torch.manual_seed(0)
    k = batch // base_batch
    x, y = torch.randn(k * 8, 3, dtype=D), torch.randn(k * 8, dtype=D)
    w_small = torch.zeros(3, dtype=D)
    for i in range(k):  # k steps of lr on k micro-batches, gradient frozen at the start (small lr)
        xb, yb = x[i * 8 : (i + 1) * 8], y[i * 8 : (i + 1) * 8]
        w_small -= 1e-4 * (xb.T @ (xb @ torch.zeros(3, dtype=D) - yb)) / 8
    w_big = -(1e-4 * k) * (x.T @ (x @ torch.zeros(3, dtype=D) - y)) / (k * 8)
    assert torch.allclose(w_small, w_big)
    return base * k


@facts("prac-batch-size-lr")
def _batch_lr() -> Facts:
    return Facts(stated={"lr": dec(linear_scaled_lr(0.1, 256, 8192))}, givens=g(0.1, 256, 8192, 2017))


@facts("prac-lr-schedules")
def _schedules() -> Facts:
    return Facts()


@facts("prac-nan-loss")
def _nan() -> Facts:
    assert torch.isinf(torch.tensor(70000.0).half())
    return Facts(stated={"fp16 max": whole(torch.finfo(torch.float16).max)})


@facts("prac-choice-scheduler-order")
def _scheduler_order() -> Facts:
    w = nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([w], lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        sched.step()
    return Facts(givens=g(1.1), correct=[0])  # the warning names PyTorch 1.1.0


@facts("prac-choice-random-search")
def _random_search() -> Facts:
    grid = {(a, b) for a in range(3) for b in range(3)}
    assert len({a for a, _ in grid}) == 3 and len(grid) == 9
    return Facts(correct=[0])


@facts("prac-choice-clip-order")
def _clip_order() -> Facts:
    scale = defaults(torch.amp.GradScaler)["init_scale"]
    return Facts(stated={"init_scale": whole(scale)}, givens=g(1.0), correct=[0])


@facts("prac-choice-clip-formula")
def _clip_formula() -> Facts:
    p1, p2 = nn.Parameter(torch.zeros(2, dtype=D)), nn.Parameter(torch.zeros(2, dtype=D))
    p1.grad, p2.grad = t([3.0, 0.0]), t([0.0, 4.0])
    total = nn.utils.clip_grad_norm_([p1, p2], max_norm=1.0)
    coef = num(p1.grad[0]) / 3
    # The coefficient is max_norm/(total + 1e-6): solve for the epsilon.
    eps = 1.0 / coef - num(total)
    assert eps == pytest.approx(1e-6, rel=1e-3)
    # At total = max_norm the epsilon shifts a gradient of 3 by 6e-7: the 7th decimal.
    q = nn.Parameter(torch.zeros(2, dtype=D))
    q.grad = t([3.0, 4.0])
    nn.utils.clip_grad_norm_([q], max_norm=5.0)
    shift = 3 - num(q.grad[0])
    assert 1e-7 < shift < 1e-6
    return Facts(
        stated={"a": dec(p1.grad[0]), "b": dec(p2.grad[1]), "coef": dec(coef, 1)},
        phrases=("1e-6",),
        givens=g(1.0),
        correct=[0],
    )


@facts("prac-linear-scaling-value")
def _linear_value() -> Facts:
    lr = linear_scaled_lr(0.1, 256, 8192)
    return Facts(stated={"k": whole(8192 / 256), "lr": dec(lr)}, givens=g(0.1, 256, 8192), answer=lr)


@facts("prac-cosine-value")
def _cosine_value() -> Facts:
    def lr(steps: int) -> float:
        return lr_after(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=100), 0.1, steps)

    values = [lr(25), lr(50), lr(150)]
    return Facts(
        stated={"25": dec(values[0]), "50": dec(values[1]), "cos": dec(math.cos(math.pi / 4))},
        givens=g(100, 25, 50, 150, 0.1, 1.5),
        answer=values,
    )


@facts("prac-initial-loss-value")
def _initial_loss() -> Facts:
    loss = F.cross_entropy(torch.zeros(4, 1000, dtype=D), torch.randint(0, 1000, (4,)))
    return Facts(stated={"ln C": dec(loss)}, givens=g(1000), answer=loss)


@facts("prac-iterations-value")
def _iterations() -> Facts:
    ds = TensorDataset(torch.zeros(50_000))
    keep, drop = len(DataLoader(ds, batch_size=128)), len(DataLoader(ds, batch_size=128, drop_last=True))
    return Facts(
        stated={
            "keep": whole(keep),
            "drop": whole(drop),
            "ratio": dec(50_000 / 128, 3),
            "last": whole(50_000 - drop * 128),
        },
        givens=g(50000, 128),
        answer=[keep, drop],
    )


# -------------------------------------------------------------------------------------------------
# torch.practice
# -------------------------------------------------------------------------------------------------


@facts("pt-autograd-graph")
def _autograd() -> Facts:
    assert defaults(torch.optim.Optimizer.zero_grad)["set_to_none"] is True
    x = torch.tensor(2.0, requires_grad=True)
    y = x.exp() * 3
    y.backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()
    z = torch.tensor(2.0, requires_grad=True)
    h = z * 3
    out = h.exp()
    out.backward(retain_graph=True)
    out.backward()  # retained: fine
    assert not h.is_leaf and z.is_leaf and z.grad is not None  # only leaves get .grad
    return Facts(givens=g(2.0))  # the PyTorch version that changed the default


@facts("pt-detach-no-grad")
def _detach() -> Facts:
    x = torch.ones(3, requires_grad=True)
    d = x.detach()
    assert d.data_ptr() == x.data_ptr() and not d.requires_grad
    c = x.clone()
    assert c.data_ptr() != x.data_ptr() and c.grad_fn is not None
    with torch.inference_mode():
        inf = torch.ones(3) * 2
    with pytest.raises(RuntimeError, match=r"[Ii]nference tensors"):
        (inf * x).sum().backward()
    return Facts()


@facts("pt-checkpointing")
def _checkpointing() -> Facts:
    buf = io.BytesIO()
    torch.save(nn.Linear(2, 2), buf)
    buf.seek(0)
    with pytest.raises(Exception, match=r"[Ww]eights only load failed"):
        torch.load(buf)
    buf.seek(0)
    assert isinstance(torch.load(buf, weights_only=False), nn.Linear)
    ok = io.BytesIO()
    torch.save({"model": nn.Linear(2, 2).state_dict(), "epoch": 3}, ok)
    ok.seek(0)
    assert torch.load(ok, map_location="cpu")["epoch"] == 3
    return Facts(givens=g(2.6))


@facts("pt-choice-zero-grad-none")
def _zero_grad_none() -> Facts:
    model = nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    model(torch.randn(2, 3)).sum().backward()
    opt.step()
    opt.zero_grad()
    grad = model.weight.grad
    return Facts(givens=g(2.0), correct=[0] if grad is None else [1])


@facts("pt-choice-backward-nonscalar")
def _nonscalar() -> Facts:
    x = torch.randn(3, requires_grad=True)
    y = 2 * x
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        y.backward()
    y.backward(torch.ones_like(y))
    assert x.grad is not None and torch.equal(x.grad, torch.full((3,), 2.0))
    return Facts(correct=[0])


@facts("pt-choice-view-transposed")
def _view_transposed() -> Facts:
    x = torch.randn(3, 4)
    y = x.t()
    truths = [not y.is_contiguous()]
    try:
        y.view(12)
        truths.append(False)
    except RuntimeError:
        truths.append(True)
    r = y.reshape(12)
    truths.append(r.data_ptr() != x.data_ptr())
    truths.append(y.data_ptr() != x.data_ptr())
    assert y.stride() == (1, 4)
    return Facts(givens=g(12), correct=[i for i, v in enumerate(truths) if v])


@facts("pt-choice-inference-mode")
def _inference_mode() -> Facts:
    model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
    model.eval()
    assert model(torch.randn(2, 4)).requires_grad
    model.train()
    with torch.no_grad():
        torch.manual_seed(0)
        assert (model(torch.ones(64, 4)) == 0).any()
    return Facts(correct=[0])


@facts("pt-choice-buffer")
def _buffer() -> Facts:
    bn = nn.BatchNorm2d(64)
    n_params = sum(p.numel() for p in bn.parameters())
    keys = list(bn.state_dict())
    truths = [
        n_params == 128,
        len(keys) == 5 and {"running_mean", "running_var"} <= set(keys),
        bn.running_mean.requires_grad,  # type: ignore[union-attr]
        "running_var" in dict(bn.named_buffers()),
    ]
    return Facts(
        stated={"params": whole(n_params), "entries": whole(len(keys))},
        givens=g(64),
        correct=[i for i, v in enumerate(truths) if v],
    )


@facts("pt-grad-accumulate-value")
def _accumulate() -> Facts:
    x = torch.tensor(3.0, requires_grad=True)
    (x**2).backward()
    once = num(x.grad)
    (x**2).backward()
    twice = num(x.grad)
    return Facts(stated={"once": whole(once), "twice": whole(twice)}, givens=g(3.0), answer=twice)


@facts("pt-broadcast-value")
def _broadcast() -> Facts:
    return Facts(answer=list((torch.zeros(8, 1, 6) + torch.zeros(7, 1)).shape), givens=g(8, 7, 6))


@facts("pt-memory-value")
def _memory() -> Facts:
    x32 = torch.zeros(32, 3, 224, 224)
    x16 = x32.half()
    b32, b16 = x32.numel() * x32.element_size(), x16.numel() * x16.element_size()
    return Facts(
        stated={
            "numel": whole(x32.numel()),
            "b32": whole(b32),
            "b16": whole(b16),
            "m32": dec(b32 / 2**20),
            "m16": dec(b16 / 2**20),
        },
        givens=g(32, 224),
        answer=[b32 / 2**20, b16 / 2**20],
    )


# -------------------------------------------------------------------------------------------------
# Rules the cards state (not numbers)
# -------------------------------------------------------------------------------------------------


def test_label_smoothing_spreads_eps_over_all_classes() -> None:
    torch.manual_seed(0)
    for c in (3, 5, 10):
        for eps in (0.1, 0.3):
            logits, target = torch.randn(1, c, dtype=D), 1
            q = torch.full((c,), eps / c, dtype=D)
            q[target] += 1 - eps
            got = F.cross_entropy(logits, torch.tensor([target]), label_smoothing=eps)
            assert torch.allclose(got, -(q * F.log_softmax(logits[0], 0)).sum())
            # (1 − ε)·CE + ε·mean over classes of −log p: the equivalent form on the concept card.
            ce = F.cross_entropy(logits, torch.tensor([target]))
            assert torch.allclose(got, (1 - eps) * ce + eps * (-F.log_softmax(logits[0], 0)).mean())


def test_kldiv_takes_log_probabilities_and_batchmean_is_the_true_kl() -> None:
    torch.manual_seed(0)
    p, q = torch.softmax(torch.randn(6, 4, dtype=D), 1), torch.softmax(torch.randn(6, 4, dtype=D), 1)
    true_kl = (p * (p / q).log()).sum(1).mean()
    assert torch.allclose(nn.KLDivLoss(reduction="batchmean")(q.log(), p), true_kl)
    assert torch.allclose(nn.KLDivLoss(reduction="batchmean", log_target=True)(q.log(), p.log()), true_kl)
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        assert torch.allclose(nn.KLDivLoss(reduction="mean")(q.log(), p), true_kl / 4)
    assert defaults(nn.KLDivLoss)["reduction"] == "mean"  # the default is not the true KL
    # Cross-entropy = entropy + KL.
    h = -(p * p.log()).sum(1).mean()
    ce = -(p * q.log()).sum(1).mean()
    assert torch.allclose(ce, h + true_kl)


def test_huber_and_smooth_l1_formulas() -> None:
    d = torch.linspace(-5, 5, 101, dtype=D)
    zero = torch.zeros_like(d)
    for delta in (0.5, 1.0, 2.0):
        huber = nn.HuberLoss(delta=delta, reduction="none")(d, zero)
        formula = torch.where(d.abs() < delta, 0.5 * d**2, delta * (d.abs() - 0.5 * delta))
        assert torch.allclose(huber, formula)
        smooth = nn.SmoothL1Loss(beta=delta, reduction="none")(d, zero)
        assert torch.allclose(smooth, huber / delta)


def test_focal_loss_alpha_t_and_gamma_zero() -> None:
    p, y = t([0.3, 0.8]), t([0.0, 1.0])
    ce = F.binary_cross_entropy(p, y, reduction="none")
    p_t = torch.where(y == 1, p, 1 - p)
    assert torch.allclose(ce, -p_t.log())


def test_micro_f1_is_accuracy_for_single_label() -> None:
    torch.manual_seed(0)
    y, yhat = torch.randint(0, 4, (200,)), torch.randint(0, 4, (200,))
    cm = confusion(y.tolist(), yhat.tolist(), 4)
    tp = cm.diag()
    fp, fn = cm.sum(0) - tp, cm.sum(1) - tp
    assert torch.allclose(fp.sum(), fn.sum())
    assert torch.allclose(2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum()), (y == yhat).double().mean())


def test_cosine_and_step_formulas_match_the_schedulers() -> None:
    for steps in (0, 7, 30, 45, 61):
        got = lr_after(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=30, eta_min=0.01), 0.5, steps)
        assert got == pytest.approx(0.01 + 0.5 * (0.5 - 0.01) * (1 + math.cos(math.pi * steps / 30)))
        got = lr_after(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=10, gamma=0.5), 0.5, steps)
        assert got == pytest.approx(0.5 * 0.5 ** (steps // 10))
        got = lr_after(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9), 0.5, steps)
        assert got == pytest.approx(0.5 * 0.9**steps)


def test_view_fails_where_strides_cannot_merge_and_reshape_copies() -> None:
    x = torch.arange(24.0).reshape(2, 3, 4)
    y = x.transpose(1, 2)
    assert not y.is_contiguous()
    with pytest.raises(RuntimeError):
        y.view(2, 12)
    r = y.reshape(2, 12)
    assert torch.equal(r, y.contiguous().view(2, 12))
    r[0, 0] = -1.0
    assert x[0, 0, 0] == 0.0  # the copy is independent
    v = x.view(6, 4)
    v[0, 0] = 7.0
    assert x[0, 0, 0] == 7.0  # a view shares memory


def test_register_buffer_is_saved_and_moved_but_not_trained() -> None:
    class Scaled(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.w = nn.Parameter(torch.ones(2))
            self.register_buffer("scale", torch.ones(2))
            self.register_buffer("table", torch.ones(2), persistent=False)
            self.plain = torch.ones(2)

    m = Scaled().double()
    assert [n for n, _ in m.named_parameters()] == ["w"]
    assert set(m.state_dict()) == {"w", "scale"}
    assert m.scale.dtype == torch.float64 and m.plain.dtype == torch.float32  # a plain attribute is not converted


def test_hooks_see_outputs_and_gradients_and_can_be_removed() -> None:
    layer = nn.Linear(3, 2)
    seen: list[tuple[int, ...]] = []
    handle = layer.register_forward_hook(lambda _m, _i, out: seen.append(tuple(out.shape)))
    layer(torch.randn(4, 3))
    handle.remove()
    layer(torch.randn(4, 3))
    assert seen == [(4, 2)]
    x = torch.ones(2, requires_grad=True)
    x.register_hook(lambda grad: grad * 0)
    (x * 3).sum().backward()
    assert x.grad is not None and torch.equal(x.grad, torch.zeros(2))


def test_dataloader_defaults() -> None:
    d = defaults(DataLoader)
    assert d["num_workers"] == 0 and d["pin_memory"] is False and d["drop_last"] is False


def test_amp_gradscaler_checks_the_unscaled_gradients() -> None:
    scaler = torch.amp.GradScaler("cpu")
    w = nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([w], lr=0.1)
    scaler.scale(w.sum()).backward()
    assert w.grad is not None
    assert torch.allclose(w.grad, torch.full((2,), defaults(torch.amp.GradScaler)["init_scale"]))
    scaler.unscale_(opt)
    assert torch.allclose(w.grad, torch.ones(2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scaler.step(opt)
    scaler.update()
    assert torch.allclose(w.detach(), torch.full((2,), 0.9))


# -------------------------------------------------------------------------------------------------
# Facts against the cards
# -------------------------------------------------------------------------------------------------


def test_registered_cards_exist() -> None:
    assert set(REGISTRY) <= set(load_cards())


@pytest.mark.parametrize("card_id", sorted(REGISTRY))
def test_stated_facts_appear_as_computed(card_id: str) -> None:
    q, f = card(card_id), REGISTRY[card_id]()
    for lang in ("en", "zh"):
        text = full_text(q, lang)
        found = numbers_in(text)
        missing = missing_stated(f, found)
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
    if q.get("answer_kind") == "shape":
        assert list(q["answer"]) == [int(v) for v in expected], card_id
        return
    given, computed = flat(q["answer"]), [num(c) for c in flat(expected)]
    # Within the card's tolerance, and the computed value rounded to the decimals the card shows.
    assert not (bad := answer_mismatches(given, computed, q.get("tolerance", {}))), (card_id, bad)


CHOICE = sorted(cid for cid, q in load_cards().items() if q["kind"] == "choice")


@pytest.mark.parametrize("card_id", CHOICE)
def test_choice_answers(card_id: str) -> None:
    """Every choice card has a fact function deciding its answer."""
    assert card_id in REGISTRY, card_id
    correct = REGISTRY[card_id]().correct
    assert correct is not None, card_id
    assert card(card_id)["correct"] == correct


def test_choice_cards_have_explanations_for_every_option() -> None:
    for cid in CHOICE:
        q = card(cid)
        assert q["explanation"]["en"].strip() and q["explanation"]["zh"].strip(), cid
        assert 3 <= len(q["choices"]) <= 5, cid


def test_ids_topics_and_follow_ups() -> None:
    cards, everywhere = load_cards(), all_bank_ids()
    links = 0
    for cid, q in cards.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cid), cid
        assert cid.startswith(PREFIXES[q["topic"]]), (cid, q["topic"])
        for target in q.get("follow_ups", ()):
            assert target in everywhere and target != cid, f"{cid} → {target}"
            links += 1
    assert links >= 40


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
        assert len({q["difficulty"] for q in qs}) >= 3, topic
    for q in load_cards().values():
        if q["kind"] == "concept":
            assert 3 <= len(q["key_points"]) <= 6, q["id"]
            assert all(kp.get("keywords", {}).get(lang) for kp in q["key_points"] for lang in ("en", "zh")), q["id"]
            for lang in ("en", "zh"):
                sentences = len(SENTENCE_END[lang].findall(q["answer"][lang].strip()))
                assert 3 <= sentences <= 8, (q["id"], lang, sentences)
            words = len(q["answer"]["en"].split())
            assert 80 <= words <= 200, (q["id"], words)


def test_generated_cards_match_their_family() -> None:
    from quizforge.numeric.base import families

    known = families()
    for cid, q in load_cards().items():
        if q["kind"] == "generated":
            fam = known[q["generator"]]
            assert fam.topic == q["topic"], cid
            assert q["difficulty"] == fam.difficulty, cid
            assert q["prompt"]["en"] and q["prompt"]["zh"], cid
    mine = {q["generator"] for q in load_cards().values() if q["kind"] == "generated"}
    assert len(mine) >= 14


def test_no_latex_ascii_quotes_and_chinese_punctuation() -> None:
    for cid, q in load_cards().items():
        for lang in ("en", "zh"):
            text = full_text(q, lang)
            assert not re.search(r"\\[a-zA-Z]+|\$|\^\{|_\{", text), (cid, lang)
        zh = full_text(q, "zh")
        assert not re.search(r'"[^"\n]*[\u4e00-\u9fff][^"\n]*"', zh), cid  # ASCII quotes around Chinese
        assert not re.search(r"[\u4e00-\u9fff][;:]\s?[\u4e00-\u9fff]", zh), cid  # ASCII punctuation in Chinese
        if q["kind"] in ("concept", "choice"):
            assert re.search(r"[\u4e00-\u9fff]", q["prompt"]["zh"]), cid


# -------------------------------------------------------------------------------------------------
# Cards added later (kept at the end so the sections above stay in file order)
# -------------------------------------------------------------------------------------------------


def temperature_scaling_keeps_predictions() -> bool:
    torch.manual_seed(0)
    logits = torch.randn(100, 5, dtype=D) * 4
    scaled = logits / 2.5
    same_argmax = torch.equal(logits.argmax(1), scaled.argmax(1))
    softer = bool((torch.softmax(scaled, 1).max(1).values <= torch.softmax(logits, 1).max(1).values + 1e-12).all())
    return same_argmax and softer


def roc_area_by_sweep(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """Trapezoidal area under the ROC points of every distinct threshold, from (0, 0) to (1, 1)."""
    n_pos, n_neg = int(labels.sum()), int((1 - labels).sum())
    points = [(0.0, 0.0)]
    for th in torch.unique(scores).flip(0):
        pred = scores >= th
        points.append((int((pred & (labels == 0)).sum()) / n_neg, int((pred & (labels == 1)).sum()) / n_pos))
    return sum((x1 - x0) * (y0 + y1) / 2 for (x0, y0), (x1, y1) in itertools.pairwise(points))


@facts("metric-calibration")
def _calibration() -> Facts:
    assert temperature_scaling_keeps_predictions()
    return Facts(givens=g(0.8, 80, 2017))  # an example confidence; Guo et al., ICML 2017


def at_threshold(scores: torch.Tensor, labels: torch.Tensor, th: float) -> tuple[float, float, float]:
    """(recall, precision, accuracy) when predicting positive at score ≥ th (precision 1 with nothing flagged)."""
    pred = (scores >= th).long()
    tp = int(((pred == 1) & (labels == 1)).sum())
    flagged = int(pred.sum())
    precision = tp / flagged if flagged else 1.0
    return tp / int(labels.sum()), precision, num((pred == labels).double().mean())


@facts("metric-choice-threshold")
def _threshold() -> Facts:
    torch.manual_seed(0)
    always = [True, True, True, True]
    for _ in range(200):
        scores, labels = torch.rand(12, dtype=D), torch.randint(0, 2, (12,))
        if labels.sum() in (0, 12):
            continue

        (r5, p5, a5), (r9, p9, a9) = at_threshold(scores, labels, 0.5), at_threshold(scores, labels, 0.9)
        pos, neg = scores[labels == 1].tolist(), scores[labels == 0].tolist()
        always[0] &= r9 <= r5
        # ROC-AUC is the area under the curve swept over every threshold: no single threshold enters it.
        always[1] &= roc_area_by_sweep(scores, labels) == pytest.approx(auc_by_pairs(pos, neg))
        always[2] &= p9 >= p5
        always[3] &= a9 > a5
    return Facts(givens=g(0.5, 0.9), correct=[i for i, v in enumerate(always) if v])


@facts("pt-torch-compile")
def _compile() -> Facts:
    assert callable(torch.compile) and "mode" in inspect.signature(torch.compile).parameters
    return Facts(givens=g(2.0))  # the release that introduced torch.compile


@facts("pt-choice-manual-update")
def _manual_update() -> Facts:
    w = torch.ones(2, requires_grad=True)
    (w * 2).sum().backward()
    assert w.grad is not None
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad is being used in an in-place"):
        w -= 0.1 * w.grad
    with torch.no_grad():
        w -= 0.1 * w.grad
    assert w.is_leaf and torch.allclose(w.detach(), torch.full((2,), 0.8))
    v = torch.ones(2, requires_grad=True)
    (v * 2).sum().backward()
    assert v.grad is not None
    v2 = v - 0.1 * v.grad
    assert not v2.is_leaf
    return Facts(givens=g(0.1), correct=[0])


class _Draws(torch.utils.data.Dataset[tuple[float, float, float]]):
    def __len__(self) -> int:
        return 4

    def __getitem__(self, i: int) -> tuple[float, float, float]:
        import random

        import numpy as np

        return random.random(), float(np.random.rand()), float(torch.rand(()))


def worker_draws(seed: int) -> list[list[list[float]]]:
    """Per batch (batch i comes from worker i), per library (random, numpy, torch), the two draws."""
    gen = torch.Generator().manual_seed(seed)
    loader = DataLoader(_Draws(), batch_size=2, num_workers=2, generator=gen)
    return [[[float(v) for v in col] for col in batch] for batch in loader]


def test_dataloader_workers_seed_random_numpy_and_torch_from_the_generator() -> None:
    """prac-reproducibility: a seeded generator reproduces every library's draws in the workers, and the two
    workers draw different numbers (base_seed + worker_id)."""
    a, b = worker_draws(0), worker_draws(0)
    assert a == b
    assert worker_draws(1) != a
    first, second = a
    for lib in range(3):  # random, numpy, torch: the two workers' streams differ
        assert first[lib] != second[lib]
