"""Loss and metric families: BCE with logits, label smoothing, focal, Huber / Smooth L1, KL divergence,
triplet loss (train.losses); precision / recall / F1, ROC-AUC with ties, macro vs micro F1 (train.metrics).

Answers are computed here with NumPy from the textbook formulas the worked solutions teach; the torch
oracles in :mod:`quizforge.numeric.oracles.losses` call the real ``torch.nn`` losses instead
(``F.binary_cross_entropy_with_logits``, ``F.cross_entropy(label_smoothing=)``, ``nn.KLDivLoss``,
``nn.TripletMarginLoss``, ``nn.HuberLoss``, ``nn.SmoothL1Loss``) or count with torch tensors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from quizforge.answer import AnswerKind, Tolerance
from quizforge.numeric.base import Draft, Params, family, mistake, torch_snippet
from quizforge.numeric.families.nn import pick
from quizforge.text import Text

MINUS = "−"
CALCULATOR = Text("a calculator is fine for ln and e", "ln 和 e 的值可以用计算器")


def num(v: float, digits: int = 4) -> str:
    """A number as the bank writes it: rounded to ``digits`` decimals, no trailing zeros, a Unicode minus."""
    r = round(float(v), digits)
    if r == 0:
        return "0"
    s = str(int(r)) if float(r).is_integer() else f"{r:.{digits}f}".rstrip("0").rstrip(".")
    return s.replace("-", MINUS)


def factor(v: float, digits: int = 4) -> str:
    """A number inside a product or sum: negatives in parentheses."""
    s = num(v, digits)
    return f"({s})" if s.startswith(MINUS) else s


def vec_text(values: Sequence[float], digits: int = 4) -> str:
    """``(1, −0.5, 2)``."""
    return "(" + ", ".join(num(v, digits) for v in values) + ")"


def code_list(values: Sequence[float]) -> str:
    """A Python list literal for a torch snippet: ``[1.0, -0.5]``."""
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


def numbered(lines: Sequence[str]) -> str:
    """Worked steps as ``1. …`` lines (a single step is not numbered)."""
    if len(lines) == 1:
        return lines[0]
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))


def worked(steps_en: Sequence[str], steps_zh: Sequence[str], shown: str) -> Text:
    """A worked solution: the numbered steps in each language, then the answer as shown to the user."""
    return Text(f"{numbered(steps_en)}\nAnswer: {shown}", f"{numbered(steps_zh)}\n答案：{shown}")


def decimals(d: int) -> Tolerance:
    """Tolerance for an answer asked "to d decimals": one unit in the last asked place."""
    return Tolerance(rel=0.0, abs=10.0**-d + 1e-12)


FOUR = decimals(4)
VECTOR_HINT = Text("Answer as a vector, e.g. `0.5 0.25`.", "用向量作答，例如 `0.5 0.25`。")


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


# ---------------------------------------------------------------------------------------------
# bce_with_logits
# ---------------------------------------------------------------------------------------------


def _bce_terms(logits: Sequence[float], targets: Sequence[float], swapped: bool = False) -> list[float]:
    out = []
    for z, y in zip(logits, targets, strict=True):
        p = _sigmoid(z)
        a, b = (1 - y, y) if swapped else (y, 1 - y)
        out.append(-(a * math.log(p) + b * math.log(1 - p)))
    return out


@family(
    "bce_with_logits",
    topic="train.losses",
    title=Text("Binary cross-entropy with logits", "带 logits 的二元交叉熵"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_bce_with_logits(rng: np.random.Generator, level: int) -> Draft:
    """Mean BCE of 2 (level 1) or 3 logits, with hard 0/1 targets or (level 3) soft targets."""
    n = 2 if level == 1 else 3
    span = 2 if level == 1 else 3
    while True:
        logits = [int(rng.integers(-span, span + 1)) for _ in range(n)]
        if level == 3:
            targets = [pick(rng, [0.0, 0.25, 0.5, 0.75, 1.0]) for _ in range(n)]
        else:
            targets = [float(rng.integers(2)) for _ in range(n)]
        # Swapping the two log terms changes the sum by Σ(2y − 1)·z: keep instances where it shows.
        shows = abs(sum((2 * y - 1) * z for z, y in zip(logits, targets, strict=True))) > 0.25
        has_soft = level < 3 or any(y not in (0.0, 1.0) for y in targets)
        if shows and has_soft:
            break
    terms = _bce_terms(logits, targets)
    loss = sum(terms) / n
    soft = Text(" (soft targets: a target of 0.25 means 25 % positive)", "（软标签：目标 0.25 表示 25% 为正类）")
    prompt = Text(
        f"A multi-label head outputs logits z = {vec_text(logits)} with targets y = {vec_text(targets)}"
        f"{soft.en if level == 3 else ''}. What does F.binary_cross_entropy_with_logits(z, y) return "
        f"(default reduction='mean')? Give 4 decimals ({CALCULATOR.en}).",
        f"一个多标签输出头给出 logits z = {vec_text(logits)}，目标 y = {vec_text(targets)}"
        f"{soft.zh if level == 3 else ''}。F.binary_cross_entropy_with_logits(z, y)（默认 reduction='mean'）"
        f"返回多少？保留 4 位小数（{CALCULATOR.zh}）。",
    )
    sigmoids = [f"σ({num(z)}) = {num(_sigmoid(z))}" for z in logits]
    term_lines = [
        f"ℓ{i + 1} = −[{num(y)}·ln {num(_sigmoid(z))} + {num(1 - y)}·ln {num(1 - _sigmoid(z))}] = {num(t)}"
        for i, (z, y, t) in enumerate(zip(logits, targets, terms, strict=True))
    ]
    mean = f"({' + '.join(num(t) for t in terms)})/{n} = {num(loss)}"
    solution = worked(
        [
            f"Sigmoid of each logit: {', '.join(sigmoids)}.",
            "Per element ℓ = −[y·ln σ(z) + (1 − y)·ln(1 − σ(z))] (PyTorch evaluates it as "
            "max(z, 0) − z·y + ln(1 + e^(−|z|)) for stability): " + "; ".join(term_lines) + ".",
            f"Mean over the {n} elements: {mean}.",
        ],
        [
            f"逐个求 sigmoid：{'，'.join(sigmoids)}。",
            "逐元素 ℓ = −[y·ln σ(z) + (1 − y)·ln(1 − σ(z))]（PyTorch 为数值稳定按 "
            "max(z, 0) − z·y + ln(1 + e^(−|z|)) 计算）：" + "；".join(term_lines) + "。",
            f"对 {n} 个元素取平均：{mean}。",
        ],
        f"{num(loss)}",
    )
    return Draft(
        params={"logits": [float(z) for z in logits], "targets": targets},
        prompt=prompt,
        answer=loss,
        answer_kind=AnswerKind.NUMBER,
        tolerance=FOUR,
        solution=solution,
    )


@mistake(
    "bce_with_logits",
    "sum-not-mean",
    step=3,
    text=Text(
        "You summed the per-element losses; the default reduction='mean' divides by the number of elements.",
        "你把逐元素损失加起来了；默认 reduction='mean' 还要除以元素个数。",
    ),
)
def _bce_sum(params: Params) -> float:
    return sum(_bce_terms(params["logits"], params["targets"]))


@mistake(
    "bce_with_logits",
    "swapped-log-terms",
    step=2,
    text=Text(
        "You paired y with ln(1 − σ(z)) and 1 − y with ln σ(z); the target's weight goes with ln σ(z).",
        "你把 y 配给了 ln(1 − σ(z))、把 1 − y 配给了 ln σ(z)；目标 y 应乘 ln σ(z)。",
    ),
)
def _bce_swapped(params: Params) -> float:
    terms = _bce_terms(params["logits"], params["targets"], swapped=True)
    return sum(terms) / len(terms)


@torch_snippet("bce_with_logits")
def _bce_torch(params: Params) -> str:
    return (
        "import torch\nimport torch.nn.functional as F\n"
        f"z = torch.tensor({code_list(params['logits'])})\n"
        f"y = torch.tensor({code_list(params['targets'])})\n"
        "print(F.binary_cross_entropy_with_logits(z, y).item())\n"
    )


# ---------------------------------------------------------------------------------------------
# label_smoothing_ce
# ---------------------------------------------------------------------------------------------


def _neg_log_softmax(logits: Sequence[float]) -> list[float]:
    m = max(logits)
    lse = m + math.log(sum(math.exp(z - m) for z in logits))
    return [lse - z for z in logits]


def _smoothed_ce(logits: Sequence[float], target: int, weights_off: float, weight_on: float) -> float:
    nll = _neg_log_softmax(logits)
    return sum((weight_on if j == target else weights_off) * v for j, v in enumerate(nll))


@family(
    "label_smoothing_ce",
    topic="train.losses",
    title=Text("Cross-entropy with label smoothing", "带标签平滑的交叉熵"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_label_smoothing_ce(rng: np.random.Generator, level: int) -> Draft:
    """F.cross_entropy with label_smoothing ε on C = 3, 4, 5 classes (by level): ε/C goes to every class."""
    c = level + 2
    while True:
        logits = [int(rng.integers(-2, 4)) for _ in range(c)]
        if len(set(logits)) > 1:
            break
    target = int(rng.integers(c))
    eps = pick(rng, [0.1, 0.2, 0.3])
    nll = _neg_log_softmax(logits)
    on = 1 - eps + eps / c
    off = eps / c
    loss = _smoothed_ce(logits, target, off, on)
    prompt = Text(
        f"Logits z = {vec_text(logits)} over {c} classes, true class {target} (0-based). What does "
        f"F.cross_entropy(z[None], torch.tensor([{target}]), label_smoothing={eps}) return? "
        f"Give 4 decimals ({CALCULATOR.en}).",
        f"{c} 个类别的 logits z = {vec_text(logits)}，真实类别为 {target}（从 0 开始编号）。"
        f"F.cross_entropy(z[None], torch.tensor([{target}]), label_smoothing={eps}) 返回多少？"
        f"保留 4 位小数（{CALCULATOR.zh}）。",
    )
    lse = nll[0] + logits[0]
    nll_txt = ", ".join(num(v) for v in nll)
    weights = ", ".join(num(on if j == target else off) for j in range(c))
    total = " + ".join(f"{num(on if j == target else off)}·{num(v)}" for j, v in enumerate(nll))
    solution = worked(
        [
            f"log Σ e^(zⱼ) = {num(lse)}, so −log pⱼ = {num(lse)} − zⱼ = ({nll_txt}).",
            f"PyTorch spreads ε over all C classes: target qⱼ = (1 − ε)·[j = {target}] + ε/C, "
            f"ε/C = {eps}/{c} = {num(off)}; the true class gets 1 − {eps} + {num(off)} = {num(on)}. "
            f"q = ({weights}).",
            f"L = Σ qⱼ·(−log pⱼ) = {total} = {num(loss)}.",
        ],
        [
            f"log Σ e^(zⱼ) = {num(lse)}，所以 −log pⱼ = {num(lse)} − zⱼ = ({nll_txt})。",
            f"PyTorch 把 ε 平均分给全部 C 个类别：目标 qⱼ = (1 − ε)·[j = {target}] + ε/C，"
            f"ε/C = {eps}/{c} = {num(off)}；真实类别得到 1 − {eps} + {num(off)} = {num(on)}。q = ({weights})。",
            f"L = Σ qⱼ·(−log pⱼ) = {total} = {num(loss)}。",
        ],
        f"{num(loss)}",
    )
    return Draft(
        params={"logits": [float(z) for z in logits], "target": target, "smoothing": eps},
        prompt=prompt,
        answer=loss,
        answer_kind=AnswerKind.NUMBER,
        tolerance=FOUR,
        solution=solution,
    )


@mistake(
    "label_smoothing_ce",
    "eps-over-c-minus-1",
    step=2,
    text=Text(
        "You gave the true class 1 − ε and split ε/(C−1) over the wrong classes; PyTorch gives every class ε/C.",
        "你给真实类别 1 − ε、把 ε/(C−1) 只分给错误类别；PyTorch 是给每个类别（含真实类别）ε/C。",
    ),
)
def _ls_c_minus_1(params: Params) -> float:
    c = len(params["logits"])
    eps = params["smoothing"]
    return _smoothed_ce(params["logits"], params["target"], eps / (c - 1), 1 - eps)


@mistake(
    "label_smoothing_ce",
    "no-smoothing",
    step=2,
    text=Text(
        "You computed the plain cross-entropy −log p_target; label smoothing mixes in ε/C of every class's loss.",
        "你算的是普通交叉熵 −log p_target；标签平滑还要按 ε/C 混入每个类别的损失。",
    ),
)
def _ls_plain(params: Params) -> float:
    return _neg_log_softmax(params["logits"])[params["target"]]


@torch_snippet("label_smoothing_ce")
def _ls_torch(params: Params) -> str:
    return (
        "import torch\nimport torch.nn.functional as F\n"
        f"z = torch.tensor({code_list(params['logits'])})\n"
        f"loss = F.cross_entropy(z[None], torch.tensor([{params['target']}]), "
        f"label_smoothing={params['smoothing']})\n"
        "print(loss.item())\n"
    )


# ---------------------------------------------------------------------------------------------
# focal_loss
# ---------------------------------------------------------------------------------------------

_PROBS = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9]


def _focal_terms(
    probs: Sequence[float], targets: Sequence[int], alpha: float | None, gamma: float, flip_factor: bool = False
) -> list[float]:
    out = []
    for p, y in zip(probs, targets, strict=True):
        pt = p if y == 1 else 1 - p
        at = 1.0 if alpha is None else (alpha if y == 1 else 1 - alpha)
        mod = pt**gamma if flip_factor else (1 - pt) ** gamma
        out.append(-at * mod * math.log(pt))
    return out


@family(
    "focal_loss",
    topic="train.losses",
    title=Text("Focal loss", "Focal Loss（焦点损失）"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_focal_loss(rng: np.random.Generator, level: int) -> Draft:
    """Binary focal loss −α_t(1 − p_t)^γ ln p_t: one example without α, one with α = 0.25, or a mean of 3."""
    n = 3 if level == 3 else 1
    probs = [pick(rng, _PROBS) for _ in range(n)]
    targets = [int(rng.integers(2)) for _ in range(n)]
    alpha = None if level == 1 else 0.25
    gamma = 2 if level != 2 else pick(rng, [1, 2, 3])
    terms = _focal_terms(probs, targets, alpha, gamma)
    loss = sum(terms) / n
    alpha_en = "no α weighting" if alpha is None else f"α = {alpha} (α_t = α for positives, 1 − α for negatives)"
    alpha_zh = "不加 α 权重" if alpha is None else f"α = {alpha}（正样本 α_t = α，负样本 α_t = 1 − α）"
    what_en = "one example" if n == 1 else f"{n} examples (mean over them)"
    what_zh = "1 个样本" if n == 1 else f"{n} 个样本（取平均）"
    prompt = Text(
        f"Binary focal loss FL = −α_t·(1 − p_t)^γ·ln p_t for {what_en}: predicted probabilities of the positive "
        f"class p = {vec_text(probs)}, labels y = {vec_text(targets)}, γ = {gamma}, {alpha_en}. "
        f"Compute the loss to 4 decimals ({CALCULATOR.en}).",
        f"二分类 Focal Loss：FL = −α_t·(1 − p_t)^γ·ln p_t，共 {what_zh}：预测为正类的概率 p = {vec_text(probs)}，"
        f"标签 y = {vec_text(targets)}，γ = {gamma}，{alpha_zh}。求损失，保留 4 位小数（{CALCULATOR.zh}）。",
    )
    pts = [p if y == 1 else 1 - p for p, y in zip(probs, targets, strict=True)]
    ats = [1.0 if alpha is None else (alpha if y == 1 else 1 - alpha) for y in targets]
    pt_txt = ", ".join(num(v) for v in pts)
    parts = [
        (f"{num(a)}·" if alpha is not None else "") + f"(1 − {num(pt)})^{gamma}·(−ln {num(pt)}) = {num(t)}"
        for a, pt, t in zip(ats, pts, terms, strict=True)
    ]
    steps_en = [
        f"p_t = p for y = 1 and 1 − p for y = 0: p_t = ({pt_txt})."
        + ("" if alpha is None else f" α_t = ({', '.join(num(a) for a in ats)})."),
        "Each term −α_t·(1 − p_t)^γ·ln p_t: " + "; ".join(parts) + ".",
    ]
    steps_zh = [
        f"y = 1 时 p_t = p，y = 0 时 p_t = 1 − p：p_t = ({pt_txt})。"
        + ("" if alpha is None else f"α_t = ({', '.join(num(a) for a in ats)})。"),
        "逐项 −α_t·(1 − p_t)^γ·ln p_t：" + "；".join(parts) + "。",
    ]
    if n > 1:
        mean = f"({' + '.join(num(t) for t in terms)})/{n} = {num(loss)}"
        steps_en.append(f"Mean: {mean}.")
        steps_zh.append(f"取平均：{mean}。")
    solution = worked(steps_en, steps_zh, f"{num(loss)}")
    return Draft(
        params={"probs": probs, "targets": targets, "alpha": alpha, "gamma": gamma},
        prompt=prompt,
        answer=loss,
        answer_kind=AnswerKind.NUMBER,
        tolerance=FOUR,
        solution=solution,
    )


@mistake(
    "focal_loss",
    "no-modulating-factor",
    step=2,
    text=Text(
        "You left out (1 − p_t)^γ, which is what down-weights the easy examples; without it this is α-weighted BCE.",
        "你漏了 (1 − p_t)^γ——正是它压低易分样本的权重；没有它就只是加权的交叉熵。",
    ),
)
def _focal_no_mod(params: Params) -> float:
    terms = _focal_terms(params["probs"], params["targets"], params["alpha"], 0)
    return sum(terms) / len(terms)


@mistake(
    "focal_loss",
    "pt-power-not-one-minus",
    step=2,
    text=Text(
        "You used p_t^γ instead of (1 − p_t)^γ: that up-weights the easy, confident examples.",
        "你用了 p_t^γ 而不是 (1 − p_t)^γ：这样反而放大了容易、置信度高的样本。",
    ),
)
def _focal_flip(params: Params) -> float:
    terms = _focal_terms(params["probs"], params["targets"], params["alpha"], params["gamma"], flip_factor=True)
    return sum(terms) / len(terms)


@torch_snippet("focal_loss")
def _focal_torch(params: Params) -> str:
    alpha = params["alpha"]
    weight = "1.0" if alpha is None else f"torch.where(y == 1, {alpha}, {1 - alpha})"
    return (
        "import torch\nimport torch.nn.functional as F\n"
        f"p = torch.tensor({code_list(params['probs'])})\n"
        f"y = torch.tensor({code_list(params['targets'])})\n"
        "ce = F.binary_cross_entropy(p, y, reduction='none')  # −ln p_t\n"
        "p_t = torch.exp(-ce)\n"
        f"alpha_t = {weight}\n"
        f"print((alpha_t * (1 - p_t) ** {params['gamma']} * ce).mean().item())\n"
    )


# ---------------------------------------------------------------------------------------------
# huber_loss (Huber and Smooth L1)
# ---------------------------------------------------------------------------------------------


def _huber_terms(
    diffs: Sequence[float], delta: float, smooth_l1: bool, no_half: bool = False, no_offset: bool = False
) -> list[float]:
    out = []
    for d in diffs:
        a = abs(d)
        if a < delta:
            v = (1.0 if no_half else 0.5) * d * d
            out.append(v / delta if smooth_l1 else v)
        else:
            v = a if no_offset else a - 0.5 * delta
            out.append(v if smooth_l1 else delta * v)
    return out


def _huber_mean(params: Params, **kw: bool) -> float:
    diffs = [x - y for x, y in zip(params["input"], params["target"], strict=True)]
    terms = _huber_terms(diffs, params["delta"], params["loss"] == "smooth_l1", **kw)
    return sum(terms) / len(terms)


@family(
    "huber_loss",
    topic="train.losses",
    title=Text("Huber and Smooth L1 loss", "Huber 损失与 Smooth L1 损失"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_huber_loss(rng: np.random.Generator, level: int) -> Draft:
    """nn.HuberLoss(delta) (levels 1–2) or nn.SmoothL1Loss(beta) (level 3), mean over 2 or 3 residuals."""
    smooth = level == 3
    delta = 1.0 if level == 1 else pick(rng, [0.5, 2.0])
    n = 2 if level == 1 else 3
    while True:
        # Residuals in halves (quarters for δ = 0.5); at least one on each side of δ, none exactly at δ.
        unit = 4 if delta == 0.5 else 2
        diffs = [int(rng.integers(-4 * unit, 4 * unit + 1)) / unit for _ in range(n)]
        inside = [d for d in diffs if abs(d) < delta]
        if (
            inside
            and any(d != 0 for d in inside)
            and any(abs(d) > delta for d in diffs)
            and delta not in map(abs, diffs)
        ):
            break
    targets = [float(rng.integers(-2, 3)) for _ in range(n)]
    inputs = [t + d for t, d in zip(targets, diffs, strict=True)]
    params: Params = {"input": inputs, "target": targets, "delta": delta, "loss": "smooth_l1" if smooth else "huber"}
    terms = _huber_terms(diffs, delta, smooth)
    loss = sum(terms) / n
    if smooth:
        call = f"nn.SmoothL1Loss(beta={delta})"
        rule_en = f"Smooth L1: 0.5·d²/β if |d| < β, else |d| − 0.5·β (β = {delta}; it equals Huber/β)"
        rule_zh = f"Smooth L1：|d| < β 时为 0.5·d²/β，否则为 |d| − 0.5·β（β = {delta}；它等于 Huber/β）"
    else:
        call = f"nn.HuberLoss(delta={delta})"
        rule_en = f"Huber: 0.5·d² if |d| < δ, else δ·(|d| − 0.5·δ) (δ = {delta})"
        rule_zh = f"Huber：|d| < δ 时为 0.5·d²，否则为 δ·(|d| − 0.5·δ)（δ = {delta}）"
    prompt = Text(
        f"Predictions {vec_text(inputs)}, targets {vec_text(targets)}. What does {call} (mean reduction) "
        "return? Give 4 decimals.",
        f"预测值 {vec_text(inputs)}，目标值 {vec_text(targets)}。{call}（reduction 取 mean）返回多少？保留 4 位小数。",
    )
    term_pairs = [f"d = {num(d)} → {num(t)}" for d, t in zip(diffs, terms, strict=True)]
    mean = f"({' + '.join(num(t) for t in terms)})/{n} = {num(loss)}"
    solution = worked(
        [
            f"Residuals d = input − target = {vec_text(diffs)}.",
            f"{rule_en}: {'; '.join(term_pairs)}.",
            f"Mean: {mean}.",
        ],
        [
            f"残差 d = 预测 − 目标 = {vec_text(diffs)}。",
            f"{rule_zh}：{'；'.join(term_pairs)}。",
            f"取平均：{mean}。",
        ],
        f"{num(loss)}",
    )
    return Draft(
        params=params, prompt=prompt, answer=loss, answer_kind=AnswerKind.NUMBER, tolerance=FOUR, solution=solution
    )


@mistake(
    "huber_loss",
    "no-half-in-quadratic",
    step=2,
    text=Text(
        "You used d² in the quadratic zone; it is 0.5·d² (so the two pieces meet smoothly at |d| = δ).",
        "你在二次区间用了 d²；应为 0.5·d²（这样两段在 |d| = δ 处平滑衔接）。",
    ),
)
def _huber_no_half(params: Params) -> float:
    return _huber_mean(params, no_half=True)


@mistake(
    "huber_loss",
    "linear-without-offset",
    step=2,
    text=Text(
        "You used δ·|d| in the linear zone; it is δ·(|d| − 0.5·δ), shifted so the pieces join continuously.",
        "你在线性区间用了 δ·|d|；应为 δ·(|d| − 0.5·δ)，平移后两段才连续。",
    ),
)
def _huber_no_offset(params: Params) -> float:
    return _huber_mean(params, no_offset=True)


@torch_snippet("huber_loss")
def _huber_torch(params: Params) -> str:
    layer = (
        f"nn.SmoothL1Loss(beta={params['delta']})"
        if params["loss"] == "smooth_l1"
        else f"nn.HuberLoss(delta={params['delta']})"
    )
    return (
        "import torch\nfrom torch import nn\n"
        f"pred = torch.tensor({code_list(params['input'])})\n"
        f"target = torch.tensor({code_list(params['target'])})\n"
        f"print({layer}(pred, target).item())\n"
    )


# ---------------------------------------------------------------------------------------------
# kl_div
# ---------------------------------------------------------------------------------------------


def _tenths(rng: np.random.Generator, k: int) -> list[float]:
    """k probabilities in tenths, each ≥ 0.1, summing to 1."""
    while True:
        cuts = sorted(int(v) for v in rng.choice(np.arange(1, 10), size=k - 1, replace=False))
        parts = np.diff([0, *cuts, 10])
        if all(p >= 1 for p in parts):
            return [int(p) / 10 for p in parts]


def _kl(p: Sequence[float], q: Sequence[float]) -> float:
    return sum(a * math.log(a / b) for a, b in zip(p, q, strict=True))


@family(
    "kl_div",
    topic="train.losses",
    title=Text("KL divergence and nn.KLDivLoss", "KL 散度与 nn.KLDivLoss"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_kl_div(rng: np.random.Generator, level: int) -> Draft:
    """KL(P‖Q) as nn.KLDivLoss(reduction='batchmean')(log Q, P) gives it, over 2, 3 or 4 classes."""
    c = level + 1
    while True:
        p, q = _tenths(rng, c), _tenths(rng, c)
        if p != q and abs(_kl(p, q) - _kl(q, p)) > 0.01:
            break
    kl = _kl(p, q)
    prompt = Text(
        f"Target distribution P = {vec_text(p)}, model distribution Q = {vec_text(q)} (one example). What does "
        "nn.KLDivLoss(reduction='batchmean')(Q.log()[None], P[None]) return? Give 4 decimals "
        f"({CALCULATOR.en}).",
        f"目标分布 P = {vec_text(p)}，模型分布 Q = {vec_text(q)}（1 个样本）。"
        "nn.KLDivLoss(reduction='batchmean')(Q.log()[None], P[None]) 返回多少？保留 4 位小数"
        f"（{CALCULATOR.zh}）。",
    )
    terms = " + ".join(f"{num(a)}·ln({num(a)}/{num(b)})" for a, b in zip(p, q, strict=True))
    solution = worked(
        [
            "nn.KLDivLoss takes log-probabilities as input and probabilities as target; element-wise it is "
            "P·(ln P − input) = P·ln(P/Q), so it computes KL(P‖Q).",
            f"Sum over classes: {terms} = {num(kl)}.",
            "reduction='batchmean' divides by the batch size (1), which gives the true KL; "
            "'mean' would divide by the number of elements.",
        ],
        [
            "nn.KLDivLoss 的输入是对数概率，目标是概率；逐元素计算 P·(ln P − input) = P·ln(P/Q)，"
            "所以它算的是 KL(P‖Q)。",
            f"对类别求和：{terms} = {num(kl)}。",
            "reduction='batchmean' 除以批大小（1），得到真正的 KL；'mean' 会除以元素总数。",
        ],
        f"{num(kl)}",
    )
    return Draft(
        params={"p": p, "q": q},
        prompt=prompt,
        answer=kl,
        answer_kind=AnswerKind.NUMBER,
        tolerance=FOUR,
        solution=solution,
    )


@mistake(
    "kl_div",
    "reversed-kl",
    step=1,
    text=Text(
        "You computed KL(Q‖P); KL is not symmetric, and KLDivLoss(log Q, P) is KL(P‖Q).",
        "你算成了 KL(Q‖P)；KL 不对称，KLDivLoss(log Q, P) 算的是 KL(P‖Q)。",
    ),
)
def _kl_reversed(params: Params) -> float:
    return _kl(params["q"], params["p"])


@mistake(
    "kl_div",
    "probabilities-as-input",
    step=1,
    text=Text(
        "You treated the input as probabilities (P·(ln P − Q)); KLDivLoss expects log-probabilities.",
        "你把输入当成了概率（P·(ln P − Q)）；KLDivLoss 要求输入是对数概率。",
    ),
)
def _kl_probs_input(params: Params) -> float:
    return float(sum(a * (math.log(a) - b) for a, b in zip(params["p"], params["q"], strict=True)))


@mistake(
    "kl_div",
    "mean-over-elements",
    step=3,
    text=Text(
        "You divided by the number of classes (reduction='mean'); 'batchmean' divides by the batch size only.",
        "你除以了类别数（reduction='mean' 的做法）；'batchmean' 只除以批大小。",
    ),
)
def _kl_mean(params: Params) -> float:
    return _kl(params["p"], params["q"]) / len(params["p"])


@torch_snippet("kl_div")
def _kl_torch(params: Params) -> str:
    return (
        "import torch\nfrom torch import nn\n"
        f"P = torch.tensor({code_list(params['p'])})\n"
        f"Q = torch.tensor({code_list(params['q'])})\n"
        "print(nn.KLDivLoss(reduction='batchmean')(Q.log()[None], P[None]).item())\n"
    )


# ---------------------------------------------------------------------------------------------
# triplet_loss
# ---------------------------------------------------------------------------------------------

# Integer 2-D offsets with an integer length.
_PYTH = [(3, 4), (4, 3), (0, 2), (2, 0), (0, 3), (6, 8), (5, 0), (0, 1), (1, 0), (0, 4)]


def _dist(a: Sequence[float], b: Sequence[float]) -> float:
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)))


def _triplet(params: Params, squared: bool = False, swapped: bool = False) -> float:
    total = 0.0
    rows = list(zip(params["anchor"], params["positive"], params["negative"], strict=True))
    for a, p, n in rows:
        dp, dn = _dist(a, p), _dist(a, n)
        if squared:
            dp, dn = dp * dp, dn * dn
        if swapped:
            dp, dn = dn, dp
        total += max(0.0, dp - dn + params["margin"])
    return total / len(rows)


@family(
    "triplet_loss",
    topic="train.losses",
    title=Text("Triplet margin loss", "三元组损失（Triplet Loss）"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_triplet_loss(rng: np.random.Generator, level: int) -> Draft:
    """max(0, ‖a − p‖ − ‖a − n‖ + m): integer distances (level 1), square roots (2), a batch of two (3)."""
    n_rows = 2 if level == 3 else 1
    margin = pick(rng, [0.5, 1.0, 2.0])
    while True:
        anchors, positives, negatives = [], [], []
        for _ in range(n_rows):
            a = [int(rng.integers(-2, 3)) for _ in range(2)]
            if level == 1:
                op, on = pick(rng, _PYTH), pick(rng, _PYTH)
            else:
                op = (int(rng.integers(-3, 4)), int(rng.integers(-3, 4)))
                on = (int(rng.integers(-3, 4)), int(rng.integers(-3, 4)))
            anchors.append(a)
            positives.append([a[0] + op[0], a[1] + op[1]])
            negatives.append([a[0] + on[0], a[1] + on[1]])
        params: Params = {"anchor": anchors, "positive": positives, "negative": negatives, "margin": margin}
        rows = list(zip(anchors, positives, negatives, strict=True))
        hinges = [_dist(a, p) - _dist(a, n) + margin for a, p, n in rows]
        # Every triplet violates the margin (a zero loss teaches nothing), the two distances differ.
        violated = all(h > 0.05 for h in hinges)
        distinct = all(abs(_dist(a, p) - _dist(a, n)) > 0.05 for a, p, n in rows)
        if violated and distinct and abs(_triplet(params, squared=True) - _triplet(params)) > 1e-3:
            break
    loss = _triplet(params)
    if n_rows == 1:
        given_en = (
            f"anchor a = {vec_text(anchors[0])}, positive p = {vec_text(positives[0])}, "
            f"negative n = {vec_text(negatives[0])}"
        )
        given_zh = (
            f"锚点 a = {vec_text(anchors[0])}，正样本 p = {vec_text(positives[0])}，负样本 n = {vec_text(negatives[0])}"
        )
    else:
        given_en = "; ".join(
            f"triplet {i + 1}: a = {vec_text(a)}, p = {vec_text(p)}, n = {vec_text(n)}"
            for i, (a, p, n) in enumerate(rows)
        )
        given_zh = "；".join(
            f"第 {i + 1} 组：a = {vec_text(a)}，p = {vec_text(p)}，n = {vec_text(n)}"
            for i, (a, p, n) in enumerate(rows)
        )
    prompt = Text(
        f"Embeddings: {given_en}. What does nn.TripletMarginLoss(margin={margin}) (Euclidean distance, mean over "
        "triplets, its tiny eps ignored) return? Give 4 decimals.",
        f"嵌入向量：{given_zh}。nn.TripletMarginLoss(margin={margin})（欧氏距离，对三元组取平均，忽略极小的 eps）"
        "返回多少？保留 4 位小数。",
    )
    dist_lines = [(num(_dist(a, p)), num(_dist(a, n))) for a, p, n in rows]
    # With two triplets each distance pair is labelled with its triplet.
    label_en = [f"triplet {i + 1}: " if n_rows > 1 else "" for i in range(n_rows)]
    label_zh = [f"第 {i + 1} 组：" if n_rows > 1 else "" for i in range(n_rows)]
    hinge_lines = [
        f"max(0, {num(_dist(a, p))} − {num(_dist(a, n))} + {num(margin)}) = {num(max(0.0, h))}"
        for (a, p, n), h in zip(rows, hinges, strict=True)
    ]
    steps_en = [
        "Euclidean distances (not squared): "
        + "; ".join(f"{lb}d(a, p) = {dp}, d(a, n) = {dn}" for lb, (dp, dn) in zip(label_en, dist_lines, strict=True))
        + ".",
        "Hinge max(0, d(a, p) − d(a, n) + margin): " + "; ".join(hinge_lines) + ".",
    ]
    steps_zh = [
        "欧氏距离（不平方）："
        + "；".join(f"{lb}d(a, p) = {dp}，d(a, n) = {dn}" for lb, (dp, dn) in zip(label_zh, dist_lines, strict=True))
        + "。",
        "合页 max(0, d(a, p) − d(a, n) + margin)：" + "；".join(hinge_lines) + "。",
    ]
    if n_rows > 1:
        steps_en.append(f"Mean over the {n_rows} triplets: {num(loss)}.")
        steps_zh.append(f"对 {n_rows} 组取平均：{num(loss)}。")
    solution = worked(steps_en, steps_zh, f"{num(loss)}")
    return Draft(
        params=params,
        prompt=prompt,
        answer=loss,
        answer_kind=AnswerKind.NUMBER,
        tolerance=FOUR,
        solution=solution,
    )


@mistake(
    "triplet_loss",
    "squared-distances",
    step=1,
    text=Text(
        "You used squared distances; nn.TripletMarginLoss uses the p-norm distance itself (p = 2: Euclidean).",
        "你用了平方距离；nn.TripletMarginLoss 用的是 p 范数距离本身（p = 2 即欧氏距离）。",
    ),
)
def _triplet_squared(params: Params) -> float:
    return _triplet(params, squared=True)


@mistake(
    "triplet_loss",
    "swapped-positive-negative",
    step=2,
    text=Text(
        "You computed d(a, n) − d(a, p) + margin; the loss penalises the positive being farther than the negative.",
        "你算成了 d(a, n) − d(a, p) + margin；损失惩罚的是正样本比负样本离锚点更远。",
    ),
)
def _triplet_swapped(params: Params) -> float:
    return _triplet(params, swapped=True)


@torch_snippet("triplet_loss")
def _triplet_torch(params: Params) -> str:
    def rows(key: str) -> str:
        return "[" + ", ".join(code_list(r) for r in params[key]) + "]"

    return (
        "import torch\nfrom torch import nn\n"
        f"a = torch.tensor({rows('anchor')})\n"
        f"p = torch.tensor({rows('positive')})\n"
        f"n = torch.tensor({rows('negative')})\n"
        f"print(nn.TripletMarginLoss(margin={params['margin']})(a, p, n).item())\n"
    )


# =============================================================================================
# train.metrics
# =============================================================================================


def _counts(y_true: Sequence[int], y_pred: Sequence[int]) -> tuple[int, int, int, int]:
    tp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == 1 and p == 1)
    fp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == 0 and p == 1)
    fn = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == 1 and p == 0)
    tn = len(y_true) - tp - fp - fn
    return tp, fp, fn, tn


def _prf(y_true: Sequence[int], y_pred: Sequence[int]) -> list[float]:
    tp, fp, fn, _ = _counts(y_true, y_pred)
    p, r = tp / (tp + fp), tp / (tp + fn)
    return [p, r, 2 * p * r / (p + r)]


def _frac(a: int, b: int) -> str:
    q = Fraction(a, b)
    return f"{a}/{b} = {num(a / b)}" if q.denominator != 1 or b == 1 else f"{a}/{b} = {q.numerator}"


@family(
    "precision_recall_f1",
    topic="train.metrics",
    title=Text("Precision, recall and F1", "精确率、召回率与 F1"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_precision_recall_f1(rng: np.random.Generator, level: int) -> Draft:
    """[precision, recall, F1] of binary predictions: 8, 10 or 12 examples, fewer positives at level 3."""
    n = {1: 8, 2: 10, 3: 12}[level]
    pos_rate = 3 if level == 3 else 5  # out of 10
    while True:
        y_true = [int(rng.integers(10) < pos_rate) for _ in range(n)]
        y_pred = [int(rng.integers(10) < pos_rate) if t == 0 else int(rng.integers(10) < 7) for t in y_true]
        tp, fp, fn, _ = _counts(y_true, y_pred)
        if tp >= 1 and fp != fn:
            break
    p, r, f1 = _prf(y_true, y_pred)
    prompt = Text(
        f"Binary labels y_true = {list(y_true)}, predictions y_pred = {list(y_pred)} (1 = positive). "
        f"Give [precision, recall, F1], each to 4 decimals. {VECTOR_HINT.en}",
        f"二分类真实标签 y_true = {list(y_true)}，预测 y_pred = {list(y_pred)}（1 表示正类）。"
        f"求 [精确率, 召回率, F1]，每项保留 4 位小数。{VECTOR_HINT.zh}",
    )
    tn = n - tp - fp - fn
    f1_txt = f"2·{num(p)}·{num(r)}/({num(p)} + {num(r)}) = 2·{tp}/(2·{tp} + {fp} + {fn}) = {num(f1)}"
    solution = worked(
        [
            f"Count: TP = {tp}, FP = {fp}, FN = {fn} (TN = {tn}, which precision and recall never use).",
            f"Precision = TP/(TP + FP) = {_frac(tp, tp + fp)}; recall = TP/(TP + FN) = {_frac(tp, tp + fn)}.",
            f"F1 is the harmonic mean: 2PR/(P + R) = {f1_txt}.",
        ],
        [
            f"计数：TP = {tp}，FP = {fp}，FN = {fn}（TN = {tn}，精确率和召回率都用不到它）。",
            f"精确率 = TP/(TP + FP) = {_frac(tp, tp + fp)}；召回率 = TP/(TP + FN) = {_frac(tp, tp + fn)}。",
            f"F1 是调和平均：2PR/(P + R) = {f1_txt}。",
        ],
        f"({num(p)}, {num(r)}, {num(f1)})",
    )
    return Draft(
        params={"y_true": y_true, "y_pred": y_pred},
        prompt=prompt,
        answer=[p, r, f1],
        answer_kind=AnswerKind.VECTOR,
        tolerance=FOUR,
        solution=solution,
    )


@mistake(
    "precision_recall_f1",
    "swapped-precision-recall",
    step=2,
    text=Text(
        "You swapped them: precision divides TP by the predicted positives (TP + FP), "
        "recall by the real ones (TP + FN).",
        "你把两者弄反了：精确率的分母是预测为正的数（TP + FP），召回率的分母是真实为正的数（TP + FN）。",
    ),
)
def _prf_swapped(params: Params) -> list[float]:
    p, r, f1 = _prf(params["y_true"], params["y_pred"])
    return [r, p, f1]


@mistake(
    "precision_recall_f1",
    "f1-arithmetic-mean",
    step=3,
    text=Text(
        "You averaged precision and recall arithmetically; F1 is their harmonic mean 2PR/(P + R).",
        "你对精确率和召回率取了算术平均；F1 是调和平均 2PR/(P + R)。",
    ),
)
def _prf_arith(params: Params) -> list[float]:
    p, r, _ = _prf(params["y_true"], params["y_pred"])
    return [p, r, (p + r) / 2]


@torch_snippet("precision_recall_f1")
def _prf_torch(params: Params) -> str:
    return (
        "import torch\n"
        f"t = torch.tensor({params['y_true']})\n"
        f"p = torch.tensor({params['y_pred']})\n"
        "tp = ((p == 1) & (t == 1)).sum().item()\n"
        "precision = tp / (p == 1).sum().item()\n"
        "recall = tp / (t == 1).sum().item()\n"
        "print([precision, recall, 2 * precision * recall / (precision + recall)])\n"
    )


# ---------------------------------------------------------------------------------------------
# roc_auc
# ---------------------------------------------------------------------------------------------


def _auc(scores: Sequence[float], labels: Sequence[int], tie: float = 0.5) -> float:
    pos = [s for s, y in zip(scores, labels, strict=True) if y == 1]
    neg = [s for s, y in zip(scores, labels, strict=True) if y == 0]
    wins = sum(1.0 if a > b else (tie if a == b else 0.0) for a in pos for b in neg)
    return wins / (len(pos) * len(neg))


@family(
    "roc_auc",
    topic="train.metrics",
    title=Text("ROC-AUC by counting pairs (with ties)", "数对法计算 ROC-AUC（含并列分数）"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_roc_auc(rng: np.random.Generator, level: int) -> Draft:
    """AUC = P(score of a random positive > a random negative), ties ½: 2+3, 3+3 or 4+4 examples."""
    n_pos, n_neg = {1: (2, 3), 2: (3, 3), 3: (4, 4)}[level]
    while True:
        pos = [int(rng.integers(1, 10)) / 10 for _ in range(n_pos)]
        neg = [int(rng.integers(1, 10)) / 10 for _ in range(n_neg)]
        ties = sum(1 for a in pos for b in neg if a == b)
        wins = sum(1 for a in pos for b in neg if a > b)
        if 1 <= ties <= 3 and wins >= 1:
            break
    # Interleave in a fixed shuffled order so labels are not sorted.
    order = [int(i) for i in rng.permutation(n_pos + n_neg)]
    items = [(s, 1) for s in pos] + [(s, 0) for s in neg]
    scores = [items[i][0] for i in order]
    labels = [items[i][1] for i in order]
    auc = _auc(scores, labels)
    prompt = Text(
        f"A classifier gives scores {vec_text(scores)} to examples with labels {labels} (1 = positive). "
        "What is the ROC-AUC (as sklearn's roc_auc_score computes it)? Give 4 decimals.",
        f"分类器给出的分数为 {vec_text(scores)}，对应标签为 {labels}（1 表示正类）。ROC-AUC 是多少"
        "（按 sklearn 的 roc_auc_score 的算法）？保留 4 位小数。",
    )
    pairs = n_pos * n_neg
    pos_sorted = sorted(pos, reverse=True)
    per_pos_en = "; ".join(
        f"{num(a)} beats {sum(1 for b in neg if a > b)}, ties {sum(1 for b in neg if a == b)}" for a in pos_sorted
    )
    per_pos_zh = "；".join(
        f"{num(a)} 胜 {sum(1 for b in neg if a > b)} 个、平 {sum(1 for b in neg if a == b)} 个" for a in pos_sorted
    )
    solution = worked(
        [
            f"AUC = the probability that a random positive scores above a random negative: "
            f"{n_pos} positives × {n_neg} negatives = {pairs} pairs.",
            f"Per positive against the negatives {vec_text(sorted(neg, reverse=True))}: {per_pos_en}. "
            f"Wins = {wins}, ties = {ties}, each tie counts ½.",
            f"AUC = ({wins} + ½·{ties})/{pairs} = {num(auc)}.",
        ],
        [
            "AUC = 随机取一个正样本、一个负样本，正样本分数更高的概率："
            f"{n_pos} 个正样本 × {n_neg} 个负样本 = {pairs} 对。",
            f"每个正样本与负样本 {vec_text(sorted(neg, reverse=True))} 比较：{per_pos_zh}。"
            f"胜 {wins} 对，平 {ties} 对，平局各算 ½。",
            f"AUC = ({wins} + ½·{ties})/{pairs} = {num(auc)}。",
        ],
        f"{num(auc)}",
    )
    return Draft(
        params={"scores": scores, "labels": labels},
        prompt=prompt,
        answer=auc,
        answer_kind=AnswerKind.NUMBER,
        tolerance=FOUR,
        solution=solution,
    )


@mistake(
    "roc_auc",
    "ties-count-zero",
    step=2,
    text=Text(
        "You counted tied pairs as 0; a tie counts ½ (the ROC curve's diagonal segment).",
        "你把并列的数对记为 0；并列应记 ½（对应 ROC 曲线上的斜线段）。",
    ),
)
def _auc_tie0(params: Params) -> float:
    return _auc(params["scores"], params["labels"], tie=0.0)


@mistake(
    "roc_auc",
    "ties-count-one",
    step=2,
    text=Text("You counted tied pairs as wins; a tie counts ½.", "你把并列的数对算作胜；并列应记 ½。"),
)
def _auc_tie1(params: Params) -> float:
    return _auc(params["scores"], params["labels"], tie=1.0)


@torch_snippet("roc_auc")
def _auc_torch(params: Params) -> str:
    return (
        "import torch\n"
        f"s = torch.tensor({code_list(params['scores'])})\n"
        f"y = torch.tensor({params['labels']})\n"
        "pos, neg = s[y == 1][:, None], s[y == 0][None, :]\n"
        "print(((pos > neg).double() + 0.5 * (pos == neg).double()).mean().item())\n"
    )


# ---------------------------------------------------------------------------------------------
# macro_micro_f1
# ---------------------------------------------------------------------------------------------


def _per_class(y_true: Sequence[int], y_pred: Sequence[int], c: int) -> list[tuple[int, int, int]]:
    out = []
    for k in range(c):
        tp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == k and p == k)
        fp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t != k and p == k)
        fn = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == k and p != k)
        out.append((tp, fp, fn))
    return out


def _f1(tp: int, fp: int, fn: int) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def _macro(params: Params) -> float:
    rows = _per_class(params["y_true"], params["y_pred"], params["num_classes"])
    return sum(_f1(*r) for r in rows) / len(rows)


def _micro(params: Params) -> float:
    rows = _per_class(params["y_true"], params["y_pred"], params["num_classes"])
    tp, fp, fn = (sum(col) for col in zip(*rows, strict=True))
    return _f1(tp, fp, fn)


def _weighted(params: Params) -> float:
    rows = _per_class(params["y_true"], params["y_pred"], params["num_classes"])
    support = [tp + fn for tp, _, fn in rows]
    return sum(s * _f1(*r) for s, r in zip(support, rows, strict=True)) / sum(support)


@family(
    "macro_micro_f1",
    topic="train.metrics",
    title=Text("Macro vs micro F1", "宏平均与微平均 F1"),
    difficulty=3,
    levels=3,
    default_level=2,
)
def draw_macro_micro_f1(rng: np.random.Generator, level: int) -> Draft:
    """Macro or micro F1 of a 3-class (levels 1–2) or 4-class (level 3) single-label prediction."""
    c = 4 if level == 3 else 3
    n = {1: 6, 2: 9, 3: 10}[level]
    average = pick(rng, ["macro", "micro"])
    while True:
        y_true = [int(rng.integers(c)) for _ in range(n)]
        y_pred = [t if rng.integers(10) < 6 else int(rng.integers(c)) for t in y_true]
        params: Params = {"y_true": y_true, "y_pred": y_pred, "num_classes": c, "average": average}
        present = set(y_true) | set(y_pred)
        values = {_macro(params), _micro(params), _weighted(params)}
        if len(present) == c and len({round(v, 4) for v in values}) == 3:
            break
    rows = _per_class(y_true, y_pred, c)
    answer = _macro(params) if average == "macro" else _micro(params)
    prompt = Text(
        f"A {c}-class classifier (classes 0–{c - 1}): y_true = {y_true}, y_pred = {y_pred}. What is the "
        f"{average}-averaged F1 (sklearn's f1_score(average='{average}'))? Give 4 decimals.",
        f"一个 {c} 分类器（类别 0–{c - 1}）：y_true = {y_true}，y_pred = {y_pred}。"
        f"{'宏' if average == 'macro' else '微'}平均 F1（sklearn 的 f1_score(average='{average}')）是多少？"
        "保留 4 位小数。",
    )
    per = "; ".join(f"class {k}: TP {tp}, FP {fp}, FN {fn}" for k, (tp, fp, fn) in enumerate(rows))
    per_zh = "；".join(f"类别 {k}：TP {tp}，FP {fp}，FN {fn}" for k, (tp, fp, fn) in enumerate(rows))
    if average == "macro":
        f1s = [_f1(*r) for r in rows]
        f1_parts = [f"2·{tp}/(2·{tp} + {fp} + {fn}) = {num(f)}" for (tp, fp, fn), f in zip(rows, f1s, strict=True)]
        last_en = (
            f"Per-class F1 = 2TP/(2TP + FP + FN): {', '.join(f1_parts)}. Macro = their plain mean = {num(answer)}."
        )
        last_zh = f"各类 F1 = 2TP/(2TP + FP + FN)：{'，'.join(f1_parts)}。宏平均 = 简单平均 = {num(answer)}。"
    else:
        tp, fp, fn = (sum(col) for col in zip(*rows, strict=True))
        last_en = (
            f"Micro pools the counts: TP = {tp}, FP = {fp}, FN = {fn}; F1 = 2·{tp}/(2·{tp} + {fp} + {fn}) = "
            f"{num(answer)} — for single-label data this is the accuracy, {tp}/{n}."
        )
        last_zh = (
            f"微平均先把计数加总：TP = {tp}，FP = {fp}，FN = {fn}；F1 = 2·{tp}/(2·{tp} + {fp} + {fn}) = "
            f"{num(answer)}——单标签多分类时它就等于准确率 {tp}/{n}。"
        )
    solution = worked(
        [
            "One-vs-rest counts per class (a wrong prediction is an FP for the predicted class and an FN "
            f"for the true one): {per}.",
            last_en,
        ],
        [f"按“一对其余”逐类计数（一次错误预测对预测类别是 FP，对真实类别是 FN）：{per_zh}。", last_zh],
        num(answer),
    )
    return Draft(
        params=params, prompt=prompt, answer=answer, answer_kind=AnswerKind.NUMBER, tolerance=FOUR, solution=solution
    )


@mistake(
    "macro_micro_f1",
    "other-average",
    step=2,
    text=Text(
        "You computed the other average: macro means the per-class F1s equally, micro pools TP/FP/FN first.",
        "你算成了另一种平均：宏平均是各类 F1 的简单平均，微平均是先把 TP/FP/FN 加总再算。",
    ),
)
def _mm_other(params: Params) -> float:
    return _micro(params) if params["average"] == "macro" else _macro(params)


@mistake(
    "macro_micro_f1",
    "support-weighted",
    step=2,
    text=Text(
        "You weighted the per-class F1s by class frequency: that is average='weighted', neither macro nor micro.",
        "你按各类样本数对 F1 加权：那是 average='weighted'，既不是宏平均也不是微平均。",
    ),
)
def _mm_weighted(params: Params) -> float:
    return _weighted(params)


@torch_snippet("macro_micro_f1")
def _mm_torch(params: Params) -> str:
    return (
        "import torch\n"
        f"t = torch.tensor({params['y_true']})\n"
        f"p = torch.tensor({params['y_pred']})\n"
        f"C = {params['num_classes']}\n"
        "cm = torch.bincount(t * C + p, minlength=C * C).reshape(C, C).double()  # rows: true, cols: predicted\n"
        "tp = cm.diag(); fp = cm.sum(0) - tp; fn = cm.sum(1) - tp\n"
        + (
            "print((2 * tp / (2 * tp + fp + fn)).nan_to_num().mean().item())\n"
            if params["average"] == "macro"
            else "print((2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum())).item())\n"
        )
    )
