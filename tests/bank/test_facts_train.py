"""Every number and PyTorch default stated in the training and PyTorch-basics cards, recomputed with torch.

The cards live in question_bank/training.yaml (train.generalization, train.stability, train.batchnorm,
train.augmentation, train.finetune) and question_bank/torch_basics.yaml (torch.basics). Each card that states a
number has a fact function below that recomputes it independently: initialisation variances with torch.nn.init
on large tensors and its fan computation, sigmoid derivative bounds with autograd, batch norm with
nn.BatchNorm1d (running statistics after a real training step), dropout with nn.Dropout in train and eval mode,
weight decay with torch.optim.SGD, layer shapes by running the layers, and default arguments with
inspect.signature of the real torch classes. A fact function returns:

- ``stated``: computed values, formatted as the card writes them; each must appear in the card's English text and
  in its Chinese text;
- ``phrases``: exact phrases such as "p=0.5" built from torch's real defaults;
- ``givens``: the problem's inputs (a layer width, an image size, a year);
- ``answer`` for numeric cards and ``correct`` for choice cards, compared with the card.

Every number token in every card must be a stated fact, a given, a number inside a checked phrase, or a small
structural integer (0–10), so a wrong or stale number fails a test. Dedicated tests check the claims that are
rules rather than numbers (the update formulas, which variance batch norm uses where, what clip_grad_norm_
does, that a plain list hides parameters, …).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from tests.bank import facts as bank
from tests.bank.facts import (
    NUMBER_SCI,
    FactFn,
    Facts,
    all_bank_ids,
    answer_mismatches,
    choice_index,
    dec,
    defaults,
    fact_registrar,
    flat,
    full_text,
    kw,
    missing_phrases,
    missing_stated,
    n_params,
    num,
    number_tokens,
    sci,
    unchecked_by_lang,
    whole,
)

pytestmark = pytest.mark.torch

FILES = ("training.yaml", "torch_basics.yaml")
PREFIXES = {
    "train.generalization": "general-",
    "train.stability": "stab-",
    "train.batchnorm": "bn-",
    "train.augmentation": "aug-",
    "train.finetune": "ft-",
    "torch.basics": "torch-",
}
D = torch.float64

# -------------------------------------------------------------------------------------------------
# Reading the cards
# -------------------------------------------------------------------------------------------------


load_cards, card = bank.card_loaders(FILES)


# Model names carry numbers that are names, not claims.
MODEL_NAME = re.compile(r"\b(?:ResNet|VGG|LeNet|CIFAR)-\d+")


def numbers_in(text: str) -> set[str]:
    """Every number token in ``text``, model names skipped (glued to an ASCII word it is a name: conv1, L2)."""
    return number_tokens(text, NUMBER_SCI, MODEL_NAME)


# -------------------------------------------------------------------------------------------------
# The fact registry
# -------------------------------------------------------------------------------------------------


REGISTRY: dict[str, FactFn] = {}
facts = fact_registrar(REGISTRY)


g = bank.givens


# -------------------------------------------------------------------------------------------------
# Measured torch facts shared by several cards
# -------------------------------------------------------------------------------------------------


@cache
def sigmoid_max_derivative() -> float:
    x = torch.linspace(-10, 10, 20001, dtype=D, requires_grad=True)
    torch.sigmoid(x).sum().backward()
    assert x.grad is not None
    i = int(torch.argmax(x.grad))
    assert abs(num(x[i])) < 1e-9  # the maximum is at x = 0
    return num(x.grad[i])


def sigmoid_chain_bound(n: int) -> float:
    """The largest factor n sigmoid derivatives can multiply a gradient by."""
    return sigmoid_max_derivative() ** n


def dropout_scale(p: float) -> float:
    """The value nn.Dropout gives a kept unit of 1 in training mode."""
    torch.manual_seed(0)
    out = nn.Dropout(p).train()(torch.ones(10_000, dtype=D))
    kept = out[out != 0]
    assert torch.allclose(kept, kept[0].expand_as(kept))
    return num(kept[0])


def bn_train_step(x: list[float], gamma: float = 1.0, beta: float = 0.0) -> tuple[torch.Tensor, nn.BatchNorm1d]:
    bn = nn.BatchNorm1d(1).double().train()
    with torch.no_grad():
        bn.weight.fill_(gamma)
        bn.bias.fill_(beta)
    y = bn(torch.tensor(x, dtype=D).reshape(-1, 1)).detach().flatten()
    return y, bn


def sgd_weight_decay_step(w0: float, grad: float, lr: float, wd: float) -> float:
    """One step of torch.optim.SGD(lr, weight_decay) on a loss whose gradient at w0 is ``grad``."""
    w = nn.Parameter(torch.tensor(w0, dtype=D))
    opt = torch.optim.SGD([w], lr=lr, weight_decay=wd)
    opt.zero_grad()
    (grad * w).backward()
    opt.step()
    return num(w)


def shape_of(layer: nn.Module, *shape: int) -> tuple[int, ...]:
    with torch.no_grad():
        return tuple(layer(torch.zeros(*shape)).shape)


def shape_text(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(map(str, shape)) + ")"


# -------------------------------------------------------------------------------------------------
# train.generalization
# -------------------------------------------------------------------------------------------------


@facts("general-dropout")
def _dropout() -> Facts:
    p = defaults(nn.Dropout)["p"]
    assert dropout_scale(p) == pytest.approx(1 / (1 - p))
    return Facts(stated={"p": str(p)}, phrases=(kw(nn.Dropout, "p"),))


@facts("general-choice-dropout-eval")
def _dropout_eval() -> Facts:
    x = torch.arange(1.0, 101.0, dtype=D)
    drop = nn.Dropout(p=0.5)
    torch.manual_seed(0)
    train_out = drop.train()(x)
    kept = train_out != 0
    assert torch.allclose(train_out[kept], 2 * x[kept])  # train mode: the kept half doubled
    out = drop.eval()(x)
    q = card("general-choice-dropout-eval")
    assert torch.equal(out, x)
    return Facts(stated={"p": "0.5"}, correct=[choice_index(q, "x unchanged")])


@facts("general-choice-weight-decay-update")
def _wd_update() -> Facts:
    w0, grad, lr, lam = 1.5, 0.7, 0.1, 0.3
    torch_w = sgd_weight_decay_step(w0, grad, lr, lam)
    candidates = [
        (1 - lam) * w0 - lr * grad,
        (1 - lr * lam) * w0 - lr * grad,
        w0 - lr * (grad + lam),
        w0 - lr * grad - lam * w0**2,
    ]
    matches = [i for i, c in enumerate(candidates) if math.isclose(c, torch_w, rel_tol=1e-12)]
    return Facts(correct=matches)


@facts("general-weight-decay-step")
def _wd_step() -> Facts:
    w0, grad, lr, lam = 2.0, 1.0, 0.1, 0.5
    w1 = sgd_weight_decay_step(w0, grad, lr, lam)
    return Facts(
        stated={"decay factor": dec(1 - lr * lam), "decayed w": dec((1 - lr * lam) * w0), "w1": dec(w1)},
        givens=g(lr, lam),
        answer=w1,
    )


@facts("general-dropout-values")
def _dropout_values() -> Facts:
    p, x, keep = 0.5, torch.tensor([2.0, 4.0, 1.0, 3.0], dtype=D), torch.tensor([True, False, True, True])
    drop = nn.Dropout(p).train()
    for seed in range(1000):  # find the seed whose random mask is the one in the card, then run dropout on x
        torch.manual_seed(seed)
        if torch.equal(drop(torch.ones(4, dtype=D)) != 0, keep):
            torch.manual_seed(seed)
            out = drop(x)
            break
    else:
        raise AssertionError("no seed gives the mask")
    assert torch.equal(drop.eval()(x), x)
    return Facts(stated={"scale": whole(dropout_scale(p))}, givens=g(p), answer=out.tolist())


# -------------------------------------------------------------------------------------------------
# train.stability
# -------------------------------------------------------------------------------------------------


@facts("stab-vanishing-exploding")
def _vanishing() -> Facts:
    return Facts(stated={"σ′ max": dec(sigmoid_max_derivative()), "10 layers": sci(sigmoid_chain_bound(10))})


@facts("stab-remedies-compare")
def _remedies() -> Facts:
    return Facts(stated={"σ′ max": dec(sigmoid_max_derivative())})


@facts("stab-choice-sigmoid-bound")
def _choice_sigmoid() -> Facts:
    s_max = sigmoid_max_derivative()
    sigma0 = num(torch.sigmoid(torch.tensor(0.0, dtype=D)))
    return Facts(
        stated={
            "σ′ max": dec(s_max),
            "bound": sci(sigmoid_chain_bound(10)),
            "σ(0)": dec(sigma0),
            "σ(0)¹⁰": sci(sigma0**10),
            "sum": dec(10 * s_max),
        },
        correct=[0],  # the option stating the bound computed above
    )


def init_second_moment_after(init: Callable[[torch.Tensor], Any], depth: int = 30, width: int = 256) -> float:
    """E[x²] after ``depth`` plain ReLU layers, relative to the input's."""
    torch.manual_seed(0)
    x = torch.randn(512, width, dtype=D)
    start = num(x.pow(2).mean())
    for _ in range(depth):
        w = torch.empty(width, width, dtype=D)
        init(w)
        x = torch.relu(x @ w.T)
    return num(x.pow(2).mean()) / start


@facts("stab-choice-init-relu")
def _choice_init() -> Facts:
    q = card("stab-choice-init-relu")
    ratios = {
        "All weights zero": init_second_moment_after(nn.init.zeros_),
        "Standard normal N(0, 1)": init_second_moment_after(nn.init.normal_),
        "Xavier: Var = 2/(n_in + n_out)": init_second_moment_after(nn.init.xavier_normal_),
        "Kaiming/He: Var = 2/n_in": init_second_moment_after(lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu")),
    }
    stable = [choice_index(q, k) for k, r in ratios.items() if 0.25 < r < 4]
    assert ratios["Xavier: Var = 2/(n_in + n_out)"] < 1e-6  # shrinks towards zero
    assert ratios["Standard normal N(0, 1)"] > 1e6 or not math.isfinite(ratios["Standard normal N(0, 1)"])
    return Facts(givens=g(30), correct=stable)


@facts("stab-choice-clip-norm")
def _choice_clip() -> Facts:
    a, b = nn.Parameter(torch.zeros(2, dtype=D)), nn.Parameter(torch.zeros(1, dtype=D))
    a.grad, b.grad = torch.tensor([3.0, 0.0], dtype=D), torch.tensor([4.0], dtype=D)  # total norm 5
    before = torch.cat([a.grad, b.grad])
    total = nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
    after = torch.cat([a.grad, b.grad])
    assert num(total) == pytest.approx(5.0)
    assert num(torch.linalg.vector_norm(after)) == pytest.approx(1.0)
    assert torch.allclose(after, before / 5)  # same direction, one common factor
    assert num(a.grad[0]) != pytest.approx(1.0)  # not a per-component clamp to [−1, 1]
    small = nn.Parameter(torch.zeros(2, dtype=D))
    small.grad = torch.tensor([0.3, 0.4], dtype=D)
    nn.utils.clip_grad_norm_([small], max_norm=1.0)
    assert torch.allclose(small.grad, torch.tensor([0.3, 0.4], dtype=D))  # never scaled up
    q = card("stab-choice-clip-norm")
    return Facts(
        givens=g("1.0"),
        correct=[
            choice_index(
                q,
                "If the total norm of all gradients exceeds 1, scales all of them down by the same factor so the "
                "total norm is 1",
            )
        ],
    )


@facts("stab-kaiming-std")
def _kaiming() -> Facts:
    w = nn.Linear(512, 256).weight
    fan_in, _ = nn.init._calculate_fan_in_and_fan_out(w)
    std = nn.init.calculate_gain("relu") / math.sqrt(fan_in)
    assert defaults(nn.init.kaiming_normal_)["mode"] == "fan_in"
    torch.manual_seed(0)
    big = torch.empty(2048, 512)
    nn.init.kaiming_normal_(big, nonlinearity="relu")
    assert num(big.std()) == pytest.approx(std, rel=0.01)
    return Facts(stated={"var": repr(std**2), "std": repr(std)}, givens=g(512, 256), answer=std)


@facts("stab-xavier-bound")
def _xavier() -> Facts:
    w = nn.Linear(300, 100).weight
    fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(w)
    var = 2 / (fan_in + fan_out)
    bound = math.sqrt(6 / (fan_in + fan_out))
    torch.manual_seed(0)
    big = torch.empty(100, 300 * 40)  # the same fans are not needed for the check below: use the real layer too
    for tensor in (w.detach().clone(), big):
        nn.init.xavier_uniform_(tensor)
        fi, fo = nn.init._calculate_fan_in_and_fan_out(tensor)
        assert num(tensor.abs().max()) <= math.sqrt(6 / (fi + fo)) + 1e-7
    ww = torch.empty(100, 300)
    samples = torch.cat([nn.init.xavier_uniform_(ww).flatten().clone() for _ in range(200)])
    assert num(samples.var()) == pytest.approx(var, rel=0.02)
    assert num(samples.abs().max()) == pytest.approx(bound, rel=0.01)
    return Facts(
        stated={
            "fans": str(fan_in + fan_out),
            "var": dec(var),
            "6/400": dec(6 / (fan_in + fan_out)),
            "a": dec(bound, 3),
        },
        givens=g(300, 100),
        answer=[bound, var],
    )


@facts("stab-sigmoid-five-layers")
def _sigmoid_five() -> Facts:
    bound = sigmoid_chain_bound(5)
    return Facts(
        stated={"σ′ max": dec(sigmoid_max_derivative()), "1/bound": whole(1 / bound), "bound": dec(bound, 5)},
        answer=bound,
    )


# -------------------------------------------------------------------------------------------------
# train.batchnorm
# -------------------------------------------------------------------------------------------------


@facts("bn-what-is")
def _bn_what() -> Facts:
    bn = nn.BatchNorm2d(4)
    assert torch.all(bn.weight.eq(1)) and torch.all(bn.bias.eq(0))  # γ and β start at 1 and 0
    return Facts(stated={"eps": sci(defaults(nn.BatchNorm2d)["eps"])})


@facts("bn-train-vs-eval")
def _bn_modes() -> Facts:
    bn = nn.BatchNorm2d(4)
    assert bn.running_mean is not None and bn.running_var is not None
    assert torch.all(bn.running_mean.eq(0)) and torch.all(bn.running_var.eq(1))
    # A training-mode BatchNorm1d refuses one example of shape (1, C) (one value per channel), and (1, C, 1);
    # a (1, C, L) input with L > 1 runs.
    bn1 = nn.BatchNorm1d(3).train()
    for shape in ((1, 3), (1, 3, 1)):
        with pytest.raises(ValueError, match="more than 1 value per channel"):
            bn1(torch.randn(*shape))
    assert bn1(torch.randn(1, 3, 5)).shape == (1, 3, 5)
    return Facts(stated={"momentum": str(defaults(nn.BatchNorm2d)["momentum"])})


@facts("bn-why-helps")
def _bn_why() -> Facts:
    return Facts(givens=g(2018))  # Santurkar et al., "How does batch normalization help optimization?", 2018


@facts("bn-choice-eval-stats")
def _bn_eval_stats() -> Facts:
    torch.manual_seed(0)
    bn = nn.BatchNorm1d(3).double()
    with torch.no_grad():
        bn.weight.uniform_(0.5, 2)
        bn.bias.uniform_(-1, 1)
    for _ in range(5):
        bn.train()(torch.randn(16, 3, dtype=D) * 3 + 1)
    bn.eval()
    x = torch.randn(1, 3, dtype=D)
    assert bn.running_mean is not None and bn.running_var is not None
    expected = (x - bn.running_mean) / torch.sqrt(bn.running_var + bn.eps) * bn.weight + bn.bias
    assert torch.allclose(bn(x), expected)
    q = card("bn-choice-eval-stats")
    return Facts(correct=[choice_index(q, "The running mean and variance accumulated during training")])


@facts("bn-choice-params")
def _bn_params() -> Facts:
    bn = nn.BatchNorm2d(64)
    params = n_params(bn)
    stats = sum(b.numel() for name, b in bn.named_buffers() if name.startswith("running_"))
    assert n_params(nn.BatchNorm2d(64, affine=False)) == 0
    assert {"running_mean", "running_var"} <= set(bn.state_dict())
    q = card("bn-choice-params")
    return Facts(
        stated={"params": str(params), "with stats": str(params + stats)},
        givens=g(64),
        correct=[choice_index(q, str(params))],
    )


@facts("bn-choice-running-var")
def _bn_running_var() -> Facts:
    x = [0.0, 1.0, 5.0]
    y, bn = bn_train_step(x)
    xt = torch.tensor(x, dtype=D)
    biased, unbiased = xt.var(unbiased=False), xt.var(unbiased=True)
    assert torch.allclose(y, (xt - xt.mean()) / torch.sqrt(biased + bn.eps))
    m = bn.momentum
    assert m is not None and bn.running_var is not None
    assert torch.allclose(bn.running_var, (1 - m) * 1 + m * unbiased)
    q = card("bn-choice-running-var")
    return Facts(correct=[choice_index(q, "Biased to normalise, unbiased for running_var")])


@facts("bn-forward-values")
def _bn_forward() -> Facts:
    y, _ = bn_train_step([0, 0, 4, 4], gamma=3, beta=1)
    return Facts(stated={"eps": sci(defaults(nn.BatchNorm1d)["eps"])}, answer=y.tolist())


@facts("bn-running-stats-values")
def _bn_running() -> Facts:
    x = [0.0, 0.0, 4.0, 4.0]
    _, bn = bn_train_step(x)
    xt = torch.tensor(x, dtype=D)
    m = defaults(nn.BatchNorm1d)["momentum"]
    assert bn.running_mean is not None and bn.running_var is not None
    return Facts(
        stated={
            "momentum": str(m),
            "1 − m": dec(1 - m),
            "running_mean": dec(bn.running_mean[0]),
            "running_var": dec(bn.running_var[0]),
            "unbiased var": dec(xt.var(unbiased=True)),
            "squared deviations": whole((xt - xt.mean()).pow(2).sum()),
        },
        answer=[num(bn.running_mean[0]), num(bn.running_var[0])],
    )


# -------------------------------------------------------------------------------------------------
# train.augmentation
# -------------------------------------------------------------------------------------------------


@facts("aug-why", "aug-train-vs-test")
def _alexnet_crops() -> Facts:
    return Facts(givens=g(224, 256))  # AlexNet's crops of 256×256 images; the standard resize/centre crop


@facts("aug-choice-digits")
def _digits() -> Facts:
    # A 180° rotation of a "6"-like pattern is the same as flipping both axes.
    six = torch.tensor([[1, 1, 1], [1, 0, 0], [1, 1, 1], [1, 0, 1], [1, 1, 1]])
    nine = torch.tensor([[1, 1, 1], [1, 0, 1], [1, 1, 1], [0, 0, 1], [1, 1, 1]])
    assert torch.equal(torch.rot90(six, 2), nine)
    return Facts(givens=g(180), correct=[2])


@facts("aug-flip-box")
def _flip_box() -> Facts:
    width, x_min, x_max = 640, 100, 250
    mask = torch.zeros(1, width)
    mask[0, x_min:x_max] = 1
    cols = torch.flip(mask, dims=[1])[0].nonzero().flatten()
    new = [int(cols.min()), int(cols.max()) + 1]  # back to a half-open box
    return Facts(stated={"x_min": str(new[0]), "x_max": str(new[1])}, givens=g(width, x_min, x_max), answer=new)


@facts("aug-crop-positions")
def _crop_positions() -> Facts:
    n, k = 256, 224
    windows = torch.zeros(1, 1, n, n).unfold(2, k, 1).unfold(3, k, 1)
    per_side = windows.shape[2]
    crops = per_side * windows.shape[3]
    return Facts(
        stated={
            "per side": str(per_side),
            "max offset": str(per_side - 1),
            "crops": str(crops),
            "flips": str(2 * crops),
        },
        givens=g(n, k),
        answer=[crops, 2 * crops],
    )


# -------------------------------------------------------------------------------------------------
# train.finetune
# -------------------------------------------------------------------------------------------------


@facts("ft-batchnorm-when-finetuning")
def _ft_bn() -> Facts:
    bn = nn.BatchNorm1d(2)
    bn.requires_grad_(False)
    bn.train()(torch.randn(8, 2) + 5)
    assert bn.running_mean is not None and torch.all(bn.running_mean > 0)  # frozen γ, β; stats still move
    return Facts(givens=g(255))  # 8-bit pixel range 0–255


@facts("ft-choice-small-similar")
def _ft_small() -> Facts:
    return Facts(givens=g(500, 1000), correct=[1])


@facts("ft-choice-param-groups")
def _ft_groups() -> Facts:
    backbone, head = nn.Linear(4, 4), nn.Linear(4, 2)
    opt = torch.optim.SGD(
        [{"params": backbone.parameters(), "lr": 1e-3}, {"params": head.parameters(), "lr": 1e-2}], momentum=0.9
    )
    lrs = [grp["lr"] for grp in opt.param_groups]
    assert lrs[1] / lrs[0] == pytest.approx(10)
    assert all(grp["momentum"] == 0.9 for grp in opt.param_groups)
    return Facts(givens=g("1e-3", "1e-2", 0.9), correct=[0])


@facts("ft-choice-freeze")
def _ft_freeze() -> Facts:
    def trained(freeze: Callable[[nn.Module, torch.optim.Optimizer], object]) -> bool:
        torch.manual_seed(0)
        backbone, head = nn.Linear(3, 3), nn.Linear(3, 1)
        opt = torch.optim.SGD([*backbone.parameters(), *head.parameters()], lr=0.1)
        before = backbone.weight.detach().clone()
        freeze(backbone, opt)
        opt.zero_grad()
        head(backbone(torch.randn(4, 3))).sum().backward()
        opt.step()
        return not torch.equal(before, backbone.weight.detach())

    def requires_grad_off(m: nn.Module, _opt: torch.optim.Optimizer) -> None:
        for p in m.parameters():
            p.requires_grad_(False)

    changed = {
        0: trained(lambda m, _o: m.eval()),
        1: trained(requires_grad_off),
        3: trained(lambda _m, o: o.zero_grad()),
    }
    frozen = [i for i, c in changed.items() if not c]
    return Facts(correct=frozen)


@facts("ft-head-params")
def _ft_head() -> Facts:
    new, old = nn.Linear(512, 10), nn.Linear(512, 1000)
    return Facts(
        stated={"weights": str(new.weight.numel()), "total": str(n_params(new)), "old": str(n_params(old))},
        givens=g(512, 1000),
        answer=n_params(new),
    )


# -------------------------------------------------------------------------------------------------
# torch.basics
# -------------------------------------------------------------------------------------------------


@facts("torch-layer-defaults")
def _layer_defaults() -> Facts:
    phrases = (
        kw(nn.Conv2d, "stride"),
        kw(nn.Conv2d, "padding"),
        kw(nn.Conv2d, "dilation"),
        kw(nn.Conv2d, "groups"),
        kw(nn.Conv2d, "bias"),
        kw(nn.MaxPool2d, "stride"),
        kw(nn.Dropout, "p"),
        kw(nn.BatchNorm2d, "eps"),
        kw(nn.BatchNorm2d, "momentum"),
        kw(DataLoader, "batch_size"),
        kw(DataLoader, "shuffle"),
        kw(DataLoader, "num_workers"),
        kw(nn.Linear, "bias"),
        kw(nn.MSELoss, "reduction"),
        kw(nn.CrossEntropyLoss, "reduction"),
    )
    assert shape_of(nn.Conv2d(1, 1, 3), 1, 1, 9, 9)[-1] == 9 - 2  # a 3×3 conv shrinks each side by 2
    assert shape_of(nn.Conv2d(1, 1, 3, padding=1), 1, 1, 9, 9)[-1] == 9
    assert shape_of(nn.MaxPool2d(2), 1, 1, 8, 8)[-1] == 8 // 2
    return Facts(phrases=phrases)


@facts("torch-mm-vs-matmul-batched")
def _matmul_rules() -> Facts:
    assert torch.matmul(torch.zeros(10, 1, 3, 4), torch.zeros(5, 4, 2)).shape == (10, 5, 3, 2)
    assert torch.matmul(torch.zeros(7, 3, 4), torch.zeros(4, 2)).shape == (7, 3, 2)
    assert torch.matmul(torch.zeros(3, 4), torch.zeros(4)).shape == (3,)
    assert torch.matmul(torch.ones(4), torch.ones(4)).shape == ()
    with pytest.raises(RuntimeError):
        torch.mm(torch.zeros(2, 3, 4), torch.zeros(4, 2))
    with pytest.raises(RuntimeError):
        torch.bmm(torch.zeros(2, 3, 4), torch.zeros(3, 4, 2))
    with pytest.raises(RuntimeError):
        torch.bmm(torch.zeros(2, 3, 4), torch.zeros(4, 2))
    return Facts()


@facts("torch-choice-conv-defaults")
def _choice_conv() -> Facts:
    q = card("torch-choice-conv-defaults")
    out = shape_of(nn.Conv2d(3, 16, 3), 1, 3, 32, 32)
    same = shape_of(nn.Conv2d(3, 16, 3, padding=1), 1, 3, 32, 32)
    stride2 = shape_of(nn.Conv2d(3, 16, 3, stride=2), 1, 3, 32, 32)
    return Facts(
        stated={"out": str(out[-1]), "stride 2": str(stride2[-1]), "same": str(same[-1])},
        givens=g(32, 16),
        correct=[choice_index(q, shape_text(out))],
    )


@facts("torch-choice-maxpool-stride")
def _choice_pool() -> Facts:
    q = card("torch-choice-maxpool-stride")
    assert defaults(nn.MaxPool2d)["stride"] is None
    out = shape_of(nn.MaxPool2d(2), 1, 8, 16, 16)
    stride1 = shape_of(nn.MaxPool2d(2, stride=1), 1, 8, 16, 16)
    assert shape_of(nn.MaxPool2d(2, stride=1, padding=1), 1, 8, 16, 16)[-1] == 16 + 1  # even kernel: +1
    assert shape_of(nn.MaxPool2d(3, stride=1, padding=1), 1, 8, 16, 16)[-1] == 16
    return Facts(
        stated={"out": str(out[-1]), "stride 1": str(stride1[-1])},
        givens=g(16),
        correct=[choice_index(q, shape_text(out))],
    )


@facts("torch-choice-dataloader")
def _choice_loader() -> Facts:
    batches = [b.tolist() for (b,) in DataLoader(TensorDataset(torch.arange(6)))]
    assert batches == [[i] for i in range(6)]  # batches of one, in order
    d = defaults(DataLoader)
    assert d["batch_size"] == 1 and d["shuffle"] is None and d["num_workers"] == 0
    phrases = (kw(DataLoader, "batch_size"), kw(DataLoader, "shuffle"), kw(DataLoader, "num_workers"))
    return Facts(givens=g(32), phrases=phrases, correct=[0])


@facts("torch-choice-plain-list")
def _choice_list() -> Facts:
    class Plain(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = [nn.Linear(64, 64) for _ in range(4)]

    class Registered(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(64, 64) for _ in range(4)])

    assert n_params(Plain()) == 0 and len(Plain().state_dict()) == 0
    assert n_params(Registered()) == 4 * (64 * 64 + 64)
    return Facts(givens=g(64), correct=[2])


@facts("torch-choice-load-strict")
def _choice_strict() -> Facts:
    assert defaults(nn.Module.load_state_dict)["strict"] is True
    saved = nn.Linear(8, 1000).state_dict()
    for strict in (True, False):
        with pytest.raises(RuntimeError, match="size mismatch"):
            nn.Linear(8, 10).load_state_dict(saved, strict=strict)
    return Facts(givens=g(1000), correct=[1])


@facts("torch-state-dict")
def _state_dict() -> Facts:
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2))
    keys = set(model.state_dict())
    assert {"0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var"} <= keys
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    buf.seek(0)
    fresh = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2))
    fresh.load_state_dict(torch.load(buf))
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), fresh.state_dict().values(), strict=True))
    with pytest.raises(RuntimeError, match="Missing key"):
        nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Conv2d(2, 2, 1)).load_state_dict(
            model.state_dict()
        )
    whole_model = io.BytesIO()
    torch.save(model, whole_model)
    whole_model.seek(0)
    with pytest.raises(Exception, match=r"[Ww]eights only"):
        torch.load(whole_model)  # the default refuses pickled objects
    return Facts()


@facts("torch-grad-accumulates")
def _grad_acc() -> Facts:
    x = torch.tensor(3.0, requires_grad=True)
    for _ in range(2):
        y = x**2
        y.backward()
    assert x.grad is not None
    return Facts(stated={"grad": whole(x.grad)}, givens=g("3.0"), answer=num(x.grad))


@facts("torch-param-count")
def _param_count() -> Facts:
    layers = [nn.Linear(10, 20), nn.BatchNorm1d(20), nn.ReLU(), nn.Dropout(), nn.Linear(20, 3)]
    counts = [n_params(m) for m in layers]
    assert counts[2] == counts[3] == 0
    total = n_params(nn.Sequential(*layers))
    return Facts(
        stated={"fc1": str(counts[0]), "bn": str(counts[1]), "fc2": str(counts[4]), "total": str(total)},
        givens=g(20),
        answer=total,
    )


@facts("torch-matmul-shape")
def _matmul_shape() -> Facts:
    return Facts(answer=list(torch.matmul(torch.zeros(10, 1, 3, 4), torch.zeros(5, 4, 2)).shape))


# -------------------------------------------------------------------------------------------------
# Rules stated in words, checked directly
# -------------------------------------------------------------------------------------------------


def test_weight_decay_is_l2_for_sgd_and_the_stated_update() -> None:
    """w ← (1 − ηλ)w − η∇L; SGD's weight_decay equals adding (λ/2)‖w‖² to the loss."""
    torch.manual_seed(0)
    w0, target, lr, lam = torch.randn(5, dtype=D), torch.randn(5, dtype=D), 0.05, 0.2
    a, b = nn.Parameter(w0.clone()), nn.Parameter(w0.clone())
    opt_a = torch.optim.SGD([a], lr=lr, weight_decay=lam)
    opt_b = torch.optim.SGD([b], lr=lr)
    for _ in range(5):
        opt_a.zero_grad()
        opt_b.zero_grad()
        grad = (a.detach() - target).clone()
        ((a - target).pow(2).sum() / 2).backward()
        ((b - target).pow(2).sum() / 2 + lam / 2 * b.pow(2).sum()).backward()
        expected = (1 - lr * lam) * a.detach() - lr * grad
        opt_a.step()
        opt_b.step()
        assert torch.allclose(a.detach(), expected)
        assert torch.allclose(a.detach(), b.detach())


def test_inverted_dropout_keeps_the_expectation() -> None:
    torch.manual_seed(0)
    for p in (0.2, 0.5, 0.8):
        x = torch.full((200_000,), 3.0, dtype=D)
        out = nn.Dropout(p).train()(x)
        assert num((out == 0).double().mean()) == pytest.approx(p, abs=0.01)
        assert num(out.mean()) == pytest.approx(3.0, rel=0.02)
        assert torch.allclose(out[out != 0], x[out != 0] / (1 - p))


def test_batchnorm_normalises_per_channel_over_n_h_w() -> None:
    torch.manual_seed(0)
    x = torch.randn(4, 3, 5, 5, dtype=D) * 2 + 7
    bn = nn.BatchNorm2d(3).double().train()
    y = bn(x)
    mean = x.mean(dim=(0, 2, 3), keepdim=True)
    var = x.var(dim=(0, 2, 3), unbiased=False, keepdim=True)
    assert torch.allclose(y, (x - mean) / torch.sqrt(var + bn.eps))
    assert bn.running_var is not None
    n = 4 * 5 * 5
    unbiased = x.var(dim=(0, 2, 3), unbiased=True)
    assert torch.allclose(bn.running_var, 0.9 + 0.1 * unbiased)
    assert torch.allclose(unbiased, var.flatten() * n / (n - 1))


def test_batchnorm1d_refuses_a_single_example_in_training_but_not_in_eval() -> None:
    bn = nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        bn.train()(torch.randn(1, 3))
    assert bn.eval()(torch.randn(1, 3)).shape == (1, 3)


def test_eval_mode_does_not_disable_autograd_and_no_grad_does_not_change_layers() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
    x = torch.randn(2, 4)
    model.eval()
    assert model(x).requires_grad  # eval() alone still records the graph
    model.train()
    with torch.no_grad():
        torch.manual_seed(1)
        out = model(x)
    assert not out.requires_grad
    assert (out == 0).any()  # dropout still active under no_grad in train mode
    assert all(not m.training for m in model.eval().modules())


def test_init_variances() -> None:
    """Xavier Var = 2/(n_in + n_out) for tanh/sigmoid, Kaiming Var = 2/n_in for ReLU, on large tensors."""
    torch.manual_seed(0)
    n_out, n_in = 400, 600
    w = torch.empty(n_out, n_in)
    assert num(nn.init.xavier_normal_(w).var()) == pytest.approx(2 / (n_in + n_out), rel=0.02)
    assert num(nn.init.xavier_uniform_(w).var()) == pytest.approx(2 / (n_in + n_out), rel=0.02)
    assert num(nn.init.kaiming_normal_(w, nonlinearity="relu").var()) == pytest.approx(2 / n_in, rel=0.02)
    assert num(nn.init.kaiming_uniform_(w, nonlinearity="relu").var()) == pytest.approx(2 / n_in, rel=0.02)
    assert nn.init.calculate_gain("relu") == pytest.approx(math.sqrt(2))


def test_zero_init_never_breaks_symmetry() -> None:
    torch.manual_seed(0)
    for value in (0.0, 0.3):
        hidden = nn.Linear(3, 4)
        net = nn.Sequential(hidden, nn.Tanh(), nn.Linear(4, 1))
        for p in net.parameters():
            nn.init.constant_(p, value)
        net(torch.randn(8, 3)).sum().backward()
        grad = hidden.weight.grad
        assert grad is not None
        assert torch.allclose(grad, grad[0].expand_as(grad))  # every hidden unit gets the same gradient
        if value == 0.0:
            assert torch.all(grad.eq(0))


def test_clip_grad_value_clamps_components() -> None:
    p = nn.Parameter(torch.zeros(2))
    p.grad = torch.tensor([3.0, 0.5])
    nn.utils.clip_grad_value_([p], clip_value=1.0)
    assert torch.equal(p.grad, torch.tensor([1.0, 0.5]))  # the direction changes


def test_module_to_is_in_place_and_tensor_to_is_not() -> None:
    model = nn.Linear(2, 2)
    assert model.to(torch.float64) is model and model.weight.dtype == torch.float64
    x = torch.zeros(2)
    y = x.to(torch.float64)
    assert y is not x and x.dtype == torch.float32


def test_cross_entropy_takes_logits_and_class_indices() -> None:
    torch.manual_seed(0)
    logits, target = torch.randn(4, 3, dtype=D), torch.tensor([0, 2, 1, 2])
    loss = nn.CrossEntropyLoss()(logits, target)
    manual = -torch.log_softmax(logits, dim=1)[torch.arange(4), target].mean()
    assert torch.allclose(loss, manual)
    probs = torch.softmax(torch.randn(4, 3, dtype=D), dim=1)  # mixup-style soft labels are accepted too
    assert nn.CrossEntropyLoss()(logits, probs).shape == ()


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
    given, computed = flat(q["answer"]), [num(c) for c in flat(expected)]
    # Within the card's tolerance, and the computed value rounded to the decimals the card shows.
    assert not (bad := answer_mismatches(given, computed, q.get("tolerance", {}))), (card_id, bad)


CHOICE = sorted(cid for cid, q in load_cards().items() if q["kind"] == "choice")


@pytest.mark.parametrize("card_id", CHOICE)
def test_choice_answers(card_id: str) -> None:
    """Every choice card has a fact function deciding its answer (a computation, or the stated facts)."""
    assert card_id in REGISTRY or card_id in EXPLAINED_CHOICES, card_id
    if card_id in REGISTRY and REGISTRY[card_id]().correct is not None:
        assert card(card_id)["correct"] == REGISTRY[card_id]().correct


# Choice cards decided by a concept, not a number; their explanations say why each wrong option is wrong.
EXPLAINED_CHOICES = (
    "ft-choice-which-layer",
    "general-choice-overfit-curve",
    "general-choice-not-regularizer",
    "aug-choice-where",
    "aug-choice-photometric",
)


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
    assert links >= 30


SENTENCE_END = {"en": re.compile(r"[.!?](?=\s|$)"), "zh": re.compile(r"[。！？]")}


def test_coverage_per_topic() -> None:
    by_topic: dict[str, list[dict[str, Any]]] = {}
    for q in load_cards().values():
        by_topic.setdefault(q["topic"], []).append(q)
    assert set(by_topic) == set(PREFIXES)
    for topic, qs in by_topic.items():
        kinds = [q["kind"] for q in qs]
        assert len(qs) >= 10, topic
        assert kinds.count("concept") >= 5 and kinds.count("choice") >= 3 and kinds.count("numeric") >= 1, topic
        assert len({q["difficulty"] for q in qs}) >= 3, topic
    for q in load_cards().values():
        if q["kind"] == "concept":
            assert 3 <= len(q["key_points"]) <= 6, q["id"]
            assert all(kp.get("keywords", {}).get(lang) for kp in q["key_points"] for lang in ("en", "zh")), q["id"]
            for lang in ("en", "zh"):
                sentences = len(SENTENCE_END[lang].findall(q["answer"][lang].strip()))
                assert 3 <= sentences <= 8, (q["id"], lang, sentences)


def test_generated_cards_match_their_family() -> None:
    from quizforge.numeric.base import families

    known = families()
    for cid, q in load_cards().items():
        if q["kind"] == "generated":
            assert q["generator"] in known, (cid, q["generator"])
            assert known[q["generator"]].topic == q["topic"], cid
            assert q["prompt"]["en"] and q["prompt"]["zh"], cid


def test_no_latex_and_chinese_in_chinese_text() -> None:
    for cid, q in load_cards().items():
        for lang in ("en", "zh"):
            text = full_text(q, lang)
            assert not re.search(r"\\[a-zA-Z]+|\$|\^\{|_\{", text), (cid, lang)
        if q["kind"] in ("concept", "choice"):
            zh = q["prompt"]["zh"] + q.get("answer", q.get("explanation", {})).get("zh", "")
            assert re.search(r"[\u4e00-\u9fff]", zh), cid


# -------------------------------------------------------------------------------------------------
# Cards added later (kept at the end so the sections above stay in file order)
# -------------------------------------------------------------------------------------------------


def recurrent_gradient(w: float, steps: int) -> float:
    """∂h_T/∂h_0 of the linear recurrence h ← w·h, by autograd."""
    h0 = torch.tensor(1.0, dtype=D, requires_grad=True)
    h = h0
    for _ in range(steps):
        h = w * h
    h.backward()
    assert h0.grad is not None
    return num(h0.grad)


@facts("stab-rnn-gradients")
def _rnn() -> Facts:
    return Facts(
        stated={"vanish": dec(recurrent_gradient(0.9, 50)), "explode": whole(round(recurrent_gradient(1.1, 50)))},
        givens=g(0.9, 1.1, 50),
    )


@facts("torch-inplace-error")
def _inplace() -> Facts:
    x = torch.randn(3, requires_grad=True)
    y = torch.sigmoid(x)
    y.mul_(2)  # overwrites the output sigmoid saved for its backward
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
    x2 = torch.randn(3, requires_grad=True)
    y2 = torch.sigmoid(x2)
    (y2 * 2).sum().backward()  # out of place: fine
    assert x2.grad is not None
    return Facts()


@facts("torch-grad-accumulation-scaling")
def _accumulation() -> Facts:
    torch.manual_seed(0)
    model, loss_fn = nn.Linear(5, 3), nn.CrossEntropyLoss()
    x, y = torch.randn(32, 5), torch.randint(0, 3, (32,))
    loss_fn(model(x), y).backward()
    assert model.weight.grad is not None
    full = model.weight.grad.clone()
    micro = 8
    k = 32 // micro
    model.zero_grad()
    for i in range(k):
        (loss_fn(model(x[i * micro : (i + 1) * micro]), y[i * micro : (i + 1) * micro]) / k).backward()
    assert torch.allclose(model.weight.grad, full, atol=1e-6)
    assert defaults(nn.CrossEntropyLoss)["reduction"] == "mean"
    return Facts(givens=g(32), phrases=(kw(nn.CrossEntropyLoss, "reduction"),), answer=k)


@facts("stab-choice-which-activation")
def _which_activation() -> Facts:
    x = torch.linspace(-10, 10, 20001, dtype=D, requires_grad=True)
    maxima: dict[str, float] = {}
    for name, fn in (("ReLU", torch.relu), ("tanh", torch.tanh), ("sigmoid", torch.sigmoid), ("identity", lambda t: t)):
        x.grad = None
        fn(x).sum().backward()
        assert x.grad is not None
        maxima[name] = num(x.grad.max())
    assert maxima["tanh"] == pytest.approx(4 * maxima["sigmoid"])  # "four times more"
    q = card("stab-choice-which-activation")
    option = {"ReLU": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "The identity (no activation)": "identity"}
    small = [i for i, c in enumerate(q["choices"]) if maxima[option[c["en"]]] <= 0.25]
    return Facts(stated={"σ′ max": dec(maxima["sigmoid"])}, correct=small)


@facts("bn-backward-through-stats")
def _bn_backward() -> Facts:
    torch.manual_seed(0)
    bn = nn.BatchNorm1d(3).double().train()
    with torch.no_grad():
        bn.weight.uniform_(0.5, 2)
    x = (torch.randn(16, 3, dtype=D) * 2 + 1).requires_grad_(True)
    y = bn(x)
    y.sum().backward()
    assert x.grad is not None and torch.allclose(x.grad, torch.zeros_like(x), atol=1e-10)  # ∂(Σy)/∂x = 0
    x.grad = None
    g_out = torch.randn(16, 3, dtype=D)
    y = bn(x)
    y.backward(g_out)
    xhat = (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + bn.eps)
    formula = (
        bn.weight
        / torch.sqrt(x.var(0, unbiased=False) + bn.eps)
        * (g_out - g_out.mean(0) - xhat * (g_out * xhat).mean(0))
    )
    assert x.grad is not None and torch.allclose(x.grad, formula.detach(), atol=1e-10)
    return Facts()
