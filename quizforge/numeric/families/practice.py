"""Training-practice and PyTorch-in-depth families: learning-rate schedules (cosine, step, exponential),
gradient clipping by norm, iterations per epoch (train.practice); broadcasting, view/permute shapes and
tensor memory (torch.practice).

Answers come from the closed-form formulas the worked solutions teach; the torch oracles in
:mod:`quizforge.numeric.oracles.practice` step real ``torch.optim.lr_scheduler`` objects, call
``clip_grad_norm_``, take ``len()`` of real ``DataLoader``s and run shape operations on meta tensors.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from quizforge.answer import AnswerKind, Tolerance
from quizforge.numeric.base import Draft, Params, family, mistake, torch_snippet
from quizforge.numeric.families.losses import FOUR, VECTOR_HINT, code_list, decimals, num, vec_text, worked
from quizforge.numeric.families.nn import pick
from quizforge.text import Text

# Learning rates are asked to 4 significant figures.
SIG4 = Tolerance(rel=5e-4, abs=1e-12)


def sig(v: float, digits: int = 4) -> str:
    """``v`` to ``digits`` significant figures, as the bank writes numbers: 0.0854, 1.25e-05 → 0.0000125."""
    if v == 0:
        return "0"
    places = max(0, digits - 1 - math.floor(math.log10(abs(v))))
    return num(v, places)


def shape_text(shape: Sequence[int]) -> str:
    """``(2, 3, 4)``."""
    if len(shape) == 1:
        return f"({int(shape[0])},)"
    return "(" + ", ".join(str(int(d)) for d in shape) + ")"


# =============================================================================================
# train.practice: learning-rate schedules
# =============================================================================================

_COS_FRACTIONS = [(1, 6), (1, 4), (1, 3), (1, 2), (2, 3), (3, 4), (5, 6)]


def _cosine(base: float, eta_min: float, t_max: int, t: int) -> float:
    return eta_min + 0.5 * (base - eta_min) * (1 + math.cos(math.pi * t / t_max))


@family(
    "cosine_lr",
    topic="train.practice",
    title=Text("Cosine annealing learning rate", "余弦退火学习率"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_cosine_lr(rng: np.random.Generator, level: int) -> Draft:
    """CosineAnnealingLR's lr after ``step`` steps: η_min = 0 (level 1), η_min > 0 (2), past T_max (3)."""
    base = pick(rng, [0.1, 0.2, 0.5, 1.0])
    eta_min = 0.0 if level == 1 else pick(rng, [0.001, 0.01])
    t_max = pick(rng, [12, 24, 60, 120])
    a, b = pick(rng, _COS_FRACTIONS)
    step = t_max * a // b + (t_max if level == 3 else 0)
    lr = _cosine(base, eta_min, t_max, step)
    prompt = Text(
        f"optimizer = SGD(params, lr={base}); scheduler = CosineAnnealingLR(optimizer, T_max={t_max}, "
        f"eta_min={eta_min}). After {step} calls of scheduler.step() (each after optimizer.step()), what is the "
        "learning rate? Give 4 significant figures.",
        f"optimizer = SGD(params, lr={base})；scheduler = CosineAnnealingLR(optimizer, T_max={t_max}, "
        f"eta_min={eta_min})。调用 {step} 次 scheduler.step()（每次都在 optimizer.step() 之后）后，"
        "学习率是多少？保留 4 位有效数字。",
    )
    angle = f"π·{step}/{t_max}"
    cos_v = math.cos(math.pi * step / t_max)
    formula = (
        f"{num(eta_min)} + ½·({base} − {num(eta_min)})·(1 + cos({angle})) = "
        f"{num(eta_min)} + ½·{num(base - eta_min)}·(1 + {factor_text(cos_v)}) = {sig(lr)}"
    )
    past_en = (
        f" The step is past T_max = {t_max}: PyTorch does not stop at η_min, the cosine keeps going and the "
        "learning rate rises again (period 2·T_max)."
        if level == 3
        else ""
    )
    past_zh = (
        f"步数已超过 T_max = {t_max}：PyTorch 不会停在 η_min，余弦继续走，学习率重新上升（周期为 2·T_max）。"
        if level == 3
        else ""
    )
    return _lr_draft(
        {"base_lr": base, "eta_min": eta_min, "t_max": t_max, "step": step},
        prompt,
        lr,
        [
            f"t = {step} scheduler steps (the lr before any step is t = 0).{past_en}",
            f"η_t = η_min + ½(η_max − η_min)(1 + cos(πt/T_max)) = {formula}.",
        ],
        [
            f"t = {step} 次调度步（还没调用 step 时 t = 0）。{past_zh}",
            f"η_t = η_min + ½(η_max − η_min)(1 + cos(πt/T_max)) = {formula}。",
        ],
    )


def _lr_draft(params: Params, prompt: Text, lr: float, steps_en: list[str], steps_zh: list[str]) -> Draft:
    """A learning-rate question's draft: the answer to 4 significant figures, with its worked steps."""
    return Draft(
        params=params,
        prompt=prompt,
        answer=lr,
        answer_kind=AnswerKind.NUMBER,
        tolerance=SIG4,
        solution=worked(steps_en, steps_zh, sig(lr)),
    )


def factor_text(v: float) -> str:
    """A cosine value in a sum, 4 decimals, negatives in parentheses."""
    s = num(v)
    return f"({s})" if s.startswith("−") else s


@mistake(
    "cosine_lr",
    "missing-half-plus-one",
    step=2,
    text=Text(
        "You used η_min + (η_max − η_min)·cos(πt/T_max); the factor is ½(1 + cos), which runs from 1 down to 0.",
        "你用了 η_min + (η_max − η_min)·cos(πt/T_max)；系数应为 ½(1 + cos)，从 1 平滑降到 0。",
    ),
)
def _cos_no_half(params: Params) -> float:
    b, m = params["base_lr"], params["eta_min"]
    return float(m + (b - m) * math.cos(math.pi * params["step"] / params["t_max"]))


@mistake(
    "cosine_lr",
    "off-by-one-step",
    step=1,
    text=Text(
        "You evaluated the schedule one step early (t − 1); after n calls of scheduler.step() the epoch counter is n.",
        "你少算了一步（用了 t − 1）；调用 n 次 scheduler.step() 后，计数就是 n。",
    ),
)
def _cos_off_by_one(params: Params) -> float:
    return _cosine(params["base_lr"], params["eta_min"], params["t_max"], params["step"] - 1)


def scheduler_snippet(params: Params, scheduler: str) -> str:
    """The PyTorch loop that steps ``scheduler`` (a constructor call on ``opt``) ``params["step"]`` times."""
    return (
        "import torch\n"
        "w = torch.nn.Parameter(torch.zeros(1))\n"
        f"opt = torch.optim.SGD([w], lr={params['base_lr']})\n"
        f"sched = torch.optim.lr_scheduler.{scheduler}\n"
        f"for _ in range({params['step']}):\n"
        "    opt.step()\n"
        "    sched.step()\n"
        "print(opt.param_groups[0]['lr'])\n"
    )


@torch_snippet("cosine_lr")
def _cos_torch(params: Params) -> str:
    return scheduler_snippet(params, f"CosineAnnealingLR(opt, T_max={params['t_max']}, eta_min={params['eta_min']})")


@family(
    "step_lr",
    topic="train.practice",
    title=Text("Step decay learning rate (StepLR)", "阶梯衰减学习率（StepLR）"),
    difficulty=1,
    levels=3,
    default_level=2,
)
def draw_step_lr(rng: np.random.Generator, level: int) -> Draft:
    """StepLR: lr₀·γ^⌊t/step_size⌋; γ = 0.1 (level 1), 0.5 or 0.2 (2), 0.5 with short steps (3)."""
    base = pick(rng, [0.1, 0.05, 0.2, 1.0])
    if level == 1:
        gamma, size, top = 0.1, pick(rng, [10, 20, 30]), 3
    elif level == 2:
        gamma, size, top = pick(rng, [0.5, 0.2]), pick(rng, [5, 10]), 5
    else:
        gamma, size, top = 0.5, pick(rng, [2, 3]), 7
    while True:
        step = int(rng.integers(1, top * size))
        if step % size and step >= 2:
            break
    k = step // size
    lr = base * gamma**k
    prompt = Text(
        f"optimizer = SGD(params, lr={base}); scheduler = StepLR(optimizer, step_size={size}, gamma={gamma}), "
        f"stepped once per epoch after optimizer.step(). What is the learning rate after {step} scheduler steps? "
        "Give 4 significant figures.",
        f"optimizer = SGD(params, lr={base})；scheduler = StepLR(optimizer, step_size={size}, gamma={gamma})，"
        f"每个 epoch 在 optimizer.step() 之后调用一次。调用 {step} 次 scheduler.step() 后学习率是多少？"
        "保留 4 位有效数字。",
    )
    return _lr_draft(
        {"base_lr": base, "step_size": size, "gamma": gamma, "step": step},
        prompt,
        lr,
        [
            f"Decays so far: ⌊t/step_size⌋ = ⌊{step}/{size}⌋ = {k}.",
            f"lr = lr₀·γ^{k} = {base}·{gamma}^{k} = {sig(lr)}.",
        ],
        [
            f"已衰减次数：⌊t/step_size⌋ = ⌊{step}/{size}⌋ = {k}。",
            f"lr = lr₀·γ^{k} = {base}·{gamma}^{k} = {sig(lr)}。",
        ],
    )


@mistake(
    "step_lr",
    "ceil-not-floor",
    step=1,
    text=Text(
        "You rounded t/step_size up; StepLR decays only when a full step_size has passed (floor).",
        "你把 t/step_size 向上取整了；StepLR 只在走满 step_size 步时才衰减（向下取整）。",
    ),
)
def _step_ceil(params: Params) -> float:
    return float(params["base_lr"] * params["gamma"] ** math.ceil(params["step"] / params["step_size"]))


@mistake(
    "step_lr",
    "decayed-every-step",
    step=1,
    text=Text(
        "You multiplied by γ at every step (that is ExponentialLR); StepLR multiplies once every step_size steps.",
        "你每一步都乘了 γ（那是 ExponentialLR）；StepLR 每 step_size 步才乘一次。",
    ),
)
def _step_every(params: Params) -> float:
    return float(params["base_lr"] * params["gamma"] ** params["step"])


@torch_snippet("step_lr")
def _step_torch(params: Params) -> str:
    return scheduler_snippet(params, f"StepLR(opt, step_size={params['step_size']}, gamma={params['gamma']})")


@family(
    "exponential_lr",
    topic="train.practice",
    title=Text("Exponential learning-rate decay (ExponentialLR)", "指数衰减学习率（ExponentialLR）"),
    difficulty=1,
)
def draw_exponential_lr(rng: np.random.Generator) -> Draft:
    """ExponentialLR: lr₀·γ^t after t steps."""
    base = pick(rng, [0.1, 0.01, 1.0, 0.5])
    gamma = pick(rng, [0.9, 0.95, 0.5, 0.8])
    step = int(rng.integers(2, 7))
    lr = base * gamma**step
    prompt = Text(
        f"optimizer = SGD(params, lr={base}); scheduler = ExponentialLR(optimizer, gamma={gamma}). What is the "
        f"learning rate after {step} calls of scheduler.step()? Give 4 significant figures.",
        f"optimizer = SGD(params, lr={base})；scheduler = ExponentialLR(optimizer, gamma={gamma})。"
        f"调用 {step} 次 scheduler.step() 后学习率是多少？保留 4 位有效数字。",
    )
    return _lr_draft(
        {"base_lr": base, "gamma": gamma, "step": step},
        prompt,
        lr,
        [
            f"Each scheduler step multiplies the learning rate by γ, so after t = {step} steps lr = lr₀·γ^t.",
            f"lr = {base}·{gamma}^{step} = {base}·{sig(gamma**step, 6)} = {sig(lr)}.",
        ],
        [
            f"每次 scheduler.step() 把学习率乘以 γ，所以 t = {step} 步后 lr = lr₀·γ^t。",
            f"lr = {base}·{gamma}^{step} = {base}·{sig(gamma**step, 6)} = {sig(lr)}。",
        ],
    )


@mistake(
    "exponential_lr",
    "off-by-one-power",
    step=1,
    text=Text(
        "You used γ^(t−1), counting the initial learning rate as step 1; after t steps it has been multiplied t times.",
        "你用了 γ^(t−1)，把初始学习率当成了第 1 步；调用 t 次后已经乘了 t 次 γ。",
    ),
)
def _exp_off(params: Params) -> float:
    return float(params["base_lr"] * params["gamma"] ** (params["step"] - 1))


@mistake(
    "exponential_lr",
    "linear-decay",
    step=1,
    text=Text(
        "You subtracted (1 − γ)·lr₀ per step (linear decay); ExponentialLR multiplies by γ each step.",
        "你每步减去 (1 − γ)·lr₀（线性衰减）；ExponentialLR 是每步乘以 γ。",
    ),
)
def _exp_linear(params: Params) -> float:
    return float(params["base_lr"] * (1 - params["step"] * (1 - params["gamma"])))


@torch_snippet("exponential_lr")
def _exp_torch(params: Params) -> str:
    return scheduler_snippet(params, f"ExponentialLR(opt, gamma={params['gamma']})")


# ---------------------------------------------------------------------------------------------
# grad_clip_norm
# ---------------------------------------------------------------------------------------------

_PYTH2 = [(3, 4), (6, 8), (5, 12), (8, 6), (4, 3), (12, 5)]
_PYTH3 = [(1, 2, 2), (2, 3, 6), (2, 6, 9), (4, 4, 7), (1, 4, 8), (2, 1, 2)]
CLIP_EPS = 1e-6  # clip_grad_norm_ divides by total_norm + 1e-6


def _clip(grads: Sequence[float], max_norm: float) -> list[float]:
    total = math.sqrt(sum(g * g for g in grads))
    coef = min(1.0, max_norm / (total + CLIP_EPS))
    return [g * coef + 0.0 for g in grads]


@family(
    "grad_clip_norm",
    topic="train.practice",
    title=Text("Gradient clipping by norm (clip_grad_norm_)", "按范数裁剪梯度（clip_grad_norm_）"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_grad_clip_norm(rng: np.random.Generator, level: int) -> Draft:
    """The gradient after clip_grad_norm_(max_norm): 2 or 3 components with an integer norm, or 4 without."""
    if level == 1:
        base: Sequence[int] = pick(rng, _PYTH2)
    elif level == 2:
        base = pick(rng, _PYTH3)
    else:
        while True:
            base = [int(rng.integers(-3, 4)) for _ in range(4)]
            norm2 = sum(g * g for g in base)
            if norm2 >= 8 and math.isqrt(norm2) ** 2 != norm2:
                break
    grads = [float(g * (1 if rng.integers(2) else -1)) for g in base]
    total = math.sqrt(sum(g * g for g in grads))
    max_norm = pick(rng, [0.5, 1.5, 2.0, 2.5])
    clipped = _clip(grads, max_norm)
    coef = max_norm / (total + CLIP_EPS)
    prompt = Text(
        f"A model's gradients, flattened, are g = {vec_text(grads)}. After "
        f"torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm={max_norm}), what is g? "
        f"Give each component to 4 decimals. {VECTOR_HINT.en}",
        f"模型的梯度展平后为 g = {vec_text(grads)}。执行 torch.nn.utils.clip_grad_norm_(model.parameters(), "
        f"max_norm={max_norm}) 之后 g 是多少？每个分量保留 4 位小数。{VECTOR_HINT.zh}",
    )
    squares = " + ".join(f"{num(g * g)}" for g in grads)
    norm_txt = f"√({squares}) = {num(total)}"
    solution = worked(
        [
            f"Total L2 norm over all gradients: {norm_txt} > max_norm = {max_norm}, so clipping applies.",
            f"Every component is scaled by the same factor max_norm/(total_norm + 1e-6) = {max_norm}/"
            f"{num(total)} ≈ {num(coef, 6)}: the direction is kept, the norm becomes {max_norm}.",
            f"g·{num(coef, 6)} = {vec_text(clipped)}.",
        ],
        [
            f"所有梯度合在一起的 L2 范数：{norm_txt} > max_norm = {max_norm}，所以要裁剪。",
            f"每个分量乘以同一个系数 max_norm/(total_norm + 1e-6) = {max_norm}/{num(total)} ≈ {num(coef, 6)}："
            f"方向不变，范数变为 {max_norm}。",
            f"g·{num(coef, 6)} = {vec_text(clipped)}。",
        ],
        f"{vec_text(clipped)}",
    )
    return Draft(
        params={"grads": grads, "max_norm": max_norm},
        prompt=prompt,
        answer=clipped,
        answer_kind=AnswerKind.VECTOR,
        tolerance=FOUR,
        solution=solution,
    )


@mistake(
    "grad_clip_norm",
    "clamped-components",
    step=2,
    text=Text(
        "You clamped each component to ±max_norm (that is clip_grad_value_); "
        "clip_grad_norm_ rescales the whole vector.",
        "你把每个分量截断到 ±max_norm（那是 clip_grad_value_）；clip_grad_norm_ 是整体按比例缩放。",
    ),
)
def _clip_value(params: Params) -> list[float]:
    m = params["max_norm"]
    return [min(m, max(-m, g)) for g in params["grads"]]


@mistake(
    "grad_clip_norm",
    "normalised-to-unit",
    step=2,
    text=Text(
        "You divided by the norm only (a unit vector); the scale factor is max_norm/total_norm.",
        "你只除以了范数（得到单位向量）；缩放系数是 max_norm/total_norm。",
    ),
)
def _clip_unit(params: Params) -> list[float]:
    return _clip(params["grads"], 1.0)


@torch_snippet("grad_clip_norm")
def _clip_torch(params: Params) -> str:
    return (
        "import torch\n"
        f"w = torch.nn.Parameter(torch.zeros({len(params['grads'])}))\n"
        f"w.grad = torch.tensor({code_list(params['grads'])})\n"
        f"torch.nn.utils.clip_grad_norm_([w], max_norm={params['max_norm']})\n"
        "print(w.grad.tolist())\n"
    )


# ---------------------------------------------------------------------------------------------
# iters_per_epoch
# ---------------------------------------------------------------------------------------------


def _steps(n: int, batch: int, drop_last: bool, world: int) -> tuple[int, int]:
    """(samples per rank, batches per epoch on one rank)."""
    per_rank = -(-n // world)  # DistributedSampler pads to ⌈N/W⌉ samples per rank
    batches = per_rank // batch if drop_last else -(-per_rank // batch)
    return per_rank, batches


@family(
    "iters_per_epoch",
    topic="train.practice",
    title=Text("Iterations per epoch and drop_last", "每个 epoch 的迭代次数与 drop_last"),
    difficulty=1,
    levels=3,
    default_level=2,
)
def draw_iters_per_epoch(rng: np.random.Generator, level: int) -> Draft:
    """Optimizer steps in E epochs: ⌈N/B⌉ per epoch (level 1), ⌊N/B⌋ with drop_last (2), per rank with W GPUs (3)."""
    while True:
        n = pick(rng, [1000, 1250, 5000, 10000, 50000, 60000, 1281167 // 100, 4500, 7300])
        batch = pick(rng, [32, 64, 100, 128, 256])
        drop_last = False if level == 1 else bool(rng.integers(2))
        world = 1 if level < 3 else pick(rng, [2, 4, 8])
        epochs = int(rng.integers(2, 11))
        per_rank, batches = _steps(n, batch, drop_last, world)
        if per_rank % batch and per_rank > batch:
            break
    total = batches * epochs
    dl = "True" if drop_last else "False"
    world_en = (
        f" It runs with DistributedDataParallel on {world} GPUs (the sampler's defaults: shuffle=True, "
        f"drop_last=False; batch_size is per GPU); count the steps of one GPU."
        if world > 1
        else ""
    )
    world_zh = (
        f"训练用 DistributedDataParallel 跑在 {world} 张 GPU 上（采样器默认 shuffle=True、drop_last=False；"
        f"batch_size 是每张卡的）；数一张卡上的步数。"
        if world > 1
        else ""
    )
    loader = (
        f"DataLoader(dataset, batch_size={batch}, sampler=DistributedSampler(dataset), drop_last={dl})"
        if world > 1
        else f"DataLoader(dataset, batch_size={batch}, shuffle=True, drop_last={dl})"
    )
    prompt = Text(
        f"A data set has N = {n:,} examples, loaded with {loader}; one optimizer step per batch.{world_en} "
        f"How many optimizer steps are taken in {epochs} epochs?",
        f"数据集有 N = {n:,} 个样本，用 {loader} 加载；每个 batch 做一次 optimizer.step()。{world_zh}"
        f"训练 {epochs} 个 epoch 一共有多少次优化步？",
    )
    rounding_en = (
        f"⌊{per_rank:,}/{batch}⌋ = {batches:,} (drop_last=True drops the last, incomplete batch)"
        if drop_last
        else f"⌈{per_rank:,}/{batch}⌉ = {batches:,} (the last batch is smaller but still counts)"
    )
    rounding_zh = (
        f"⌊{per_rank:,}/{batch}⌋ = {batches:,}（drop_last=True 丢掉最后不满的 batch）"
        if drop_last
        else f"⌈{per_rank:,}/{batch}⌉ = {batches:,}（最后一个 batch 不满，但仍算一步）"
    )
    steps_en = [f"Batches per epoch: {rounding_en}.", f"{batches:,} × {epochs} epochs = {total:,}."]
    steps_zh = [f"每个 epoch 的 batch 数：{rounding_zh}。", f"{batches:,} × {epochs} 个 epoch = {total:,}。"]
    if world > 1:
        steps_en.insert(
            0, f"Each GPU sees ⌈N/W⌉ = ⌈{n:,}/{world}⌉ = {per_rank:,} samples per epoch (the sampler pads)."
        )
        steps_zh.insert(0, f"每张卡每个 epoch 分到 ⌈N/W⌉ = ⌈{n:,}/{world}⌉ = {per_rank:,} 个样本（采样器会补齐）。")
    solution = worked(steps_en, steps_zh, f"{total:,}")
    return Draft(
        params={"n": n, "batch_size": batch, "drop_last": drop_last, "epochs": epochs, "world_size": world},
        prompt=prompt,
        answer=total,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


@mistake(
    "iters_per_epoch",
    "wrong-rounding",
    step=1,
    text=Text(
        "You rounded the wrong way: without drop_last the last partial batch counts (ceil); "
        "with drop_last it is dropped (floor).",
        "你取整的方向反了：不设 drop_last 时最后不满的 batch 也算（向上取整）；drop_last=True 时丢掉（向下取整）。",
    ),
)
def _ipe_rounding(params: Params) -> int:
    _, batches = _steps(params["n"], params["batch_size"], not params["drop_last"], params["world_size"])
    return int(batches * params["epochs"])


@mistake(
    "iters_per_epoch",
    "one-epoch-only",
    step=2,
    text=Text(
        "You gave the steps of one epoch; the question asks for all epochs.",
        "你只算了一个 epoch 的步数；题目问的是全部 epoch 的总步数。",
    ),
)
def _ipe_one(params: Params) -> int:
    return _steps(params["n"], params["batch_size"], params["drop_last"], params["world_size"])[1]


@torch_snippet("iters_per_epoch")
def _ipe_torch(params: Params) -> str:
    world = params["world_size"]
    sampler = (
        f"sampler = DistributedSampler(ds, num_replicas={world}, rank=0)\n"
        f"dl = DataLoader(ds, batch_size={params['batch_size']}, sampler=sampler, drop_last={params['drop_last']})\n"
        if world > 1
        else f"dl = DataLoader(ds, batch_size={params['batch_size']}, shuffle=True, drop_last={params['drop_last']})\n"
    )
    return (
        "import torch\nfrom torch.utils.data import DataLoader, TensorDataset"
        + (", DistributedSampler\n" if world > 1 else "\n")
        + f"ds = TensorDataset(torch.zeros({params['n']}))\n"
        + sampler
        + f"print(len(dl) * {params['epochs']})\n"
    )


# =============================================================================================
# torch.practice: shapes and memory
# =============================================================================================

_DIMS = [2, 3, 4, 5, 6, 7, 8, 16]


def _broadcast(shapes: Sequence[Sequence[int]]) -> tuple[int, ...]:
    rank = max(len(s) for s in shapes)
    out = []
    for i in range(rank):
        dims = {s[len(s) - rank + i] for s in shapes if len(s) - rank + i >= 0}
        dims.discard(1)
        out.append(dims.pop() if dims else 1)
    return tuple(out)


@family(
    "broadcast_shape",
    topic="torch.practice",
    title=Text("Broadcasting result shape", "广播后的结果形状"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_broadcast_shape(rng: np.random.Generator, level: int) -> Draft:
    """The shape of a + b (+ c): ranks differing by one (level 1), by two or more (2), three tensors (3)."""
    n_ops = 3 if level == 3 else 2
    while True:
        rank = int(rng.integers(3, 5)) if level > 1 else int(rng.integers(2, 4))
        result = [pick(rng, _DIMS) for _ in range(rank)]
        shapes: list[list[int]] = []
        for i in range(n_ops):
            if i == 0:
                k = rank
            elif level == 1:
                k = rank - 1
            else:
                k = int(rng.integers(1, rank - 1)) if rank > 2 else 1
            tail = result[rank - k :]
            shapes.append([d if rng.integers(3) else 1 for d in tail])
        longest = shapes[0]
        if _broadcast(shapes) == tuple(result) and 1 in longest and _left_aligned(shapes) != tuple(result):
            break
    answer = tuple(result)
    names = "abc"[:n_ops]
    given = ", ".join(f"{nm}.shape = {shape_text(s)}" for nm, s in zip(names, shapes, strict=True))
    expr = " + ".join(names)
    prompt = Text(
        f"{given}. What is the shape of {expr}? Answer as a shape, e.g. `2 3 4`.",
        f"{given}。{expr} 的形状是什么？用形状作答，例如 `2 3 4`。",
    )
    padded = [[1] * (len(answer) - len(s)) + list(s) for s in shapes]
    pad_txt = [shape_text(p) for p in padded]
    solution = worked(
        [
            f"Align the shapes on the right and pad the shorter ones with 1s on the left: {', '.join(pad_txt)}.",
            f"In each position the sizes must be equal or 1; a 1 is stretched to the other size: {shape_text(answer)}.",
        ],
        [
            f"从右往左对齐，较短的形状在左边补 1：{'、'.join(pad_txt)}。",
            f"每一维的大小必须相等或其中一个为 1；为 1 的维被扩展成另一个大小：{shape_text(answer)}。",
        ],
        f"{'×'.join(map(str, answer))}",
    )
    return Draft(
        params={"shapes": shapes},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.SHAPE,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


def _left_aligned(shapes: Sequence[Sequence[int]]) -> tuple[int, ...]:
    rank = max(len(s) for s in shapes)
    padded = [list(s) + [1] * (rank - len(s)) for s in shapes]
    return tuple(max(col) for col in zip(*padded, strict=True))


@mistake(
    "broadcast_shape",
    "aligned-on-the-left",
    step=1,
    text=Text(
        "You lined the shapes up from the left; broadcasting aligns trailing dimensions (from the right).",
        "你把形状从左边对齐了；广播是从最后一维（右边）开始对齐的。",
    ),
)
def _bc_left(params: Params) -> tuple[int, ...]:
    return _left_aligned(params["shapes"])


@mistake(
    "broadcast_shape",
    "longest-shape-unchanged",
    step=2,
    text=Text(
        "You kept the longest shape as it is; its size-1 dimensions are stretched too.",
        "你直接用了最长的那个形状；它里面为 1 的维也会被扩展。",
    ),
)
def _bc_longest(params: Params) -> tuple[int, ...]:
    shapes: list[list[int]] = params["shapes"]
    rank = max(len(s) for s in shapes)
    return tuple(next(s for s in shapes if len(s) == rank))


@torch_snippet("broadcast_shape")
def _bc_torch(params: Params) -> str:
    names = "abc"[: len(params["shapes"])]
    lines = "".join(f"{nm} = torch.zeros{shape_text(s)}\n" for nm, s in zip(names, params["shapes"], strict=True))
    return "import torch\n" + lines + f"print(tuple(({' + '.join(names)}).shape))\n"


# ---------------------------------------------------------------------------------------------
# view_permute_shape
# ---------------------------------------------------------------------------------------------

_OP = re.compile(r"^(permute|transpose|reshape|flatten|unsqueeze)\(([-\d, ]*)\)$")


def apply_shape_op(shape: Sequence[int], op: str) -> tuple[int, ...]:
    """The shape after one of ``permute(...)``, ``transpose(i, j)``, ``reshape(a, -1)``, ``flatten(d)``,
    ``unsqueeze(d)`` (the ops the family uses; parsed, never evaluated)."""
    m = _OP.match(op)
    if m is None:
        raise ValueError(f"unsupported shape op {op!r}")
    name, args = m.group(1), [int(a) for a in m.group(2).split(",") if a.strip()]
    s = list(shape)
    if name == "permute":
        return tuple(s[i] for i in args)
    if name == "transpose":
        i, j = args
        s[i], s[j] = s[j], s[i]
        return tuple(s)
    if name == "reshape":
        known = math.prod(a for a in args if a != -1)
        return tuple(math.prod(s) // known if a == -1 else a for a in args)
    if name == "flatten":
        (d,) = args
        return (*s[:d], math.prod(s[d:]))
    (d,) = args
    return (*s[:d], 1, *s[d:])


def _inverse(perm: Sequence[int]) -> list[int]:
    inv = [0] * len(perm)
    for i, p in enumerate(perm):
        inv[p] = i
    return inv


def _shape_chain(shape: Sequence[int], ops: Sequence[str], first: str | None = None) -> tuple[int, ...]:
    s = tuple(shape)
    for i, op in enumerate(ops):
        s = apply_shape_op(s, first if i == 0 and first is not None else op)
    return s


@family(
    "view_permute_shape",
    topic="torch.practice",
    title=Text("Shapes through permute, reshape and flatten", "permute、reshape 与 flatten 之后的形状"),
    difficulty=2,
    levels=3,
    default_level=2,
)
def draw_view_permute_shape(rng: np.random.Generator, level: int) -> Draft:
    """permute on 3-D (level 1), then flatten(1) (2); 4-D permute, flatten(2), unsqueeze(1) (3)."""
    rank = 4 if level == 3 else 3
    sizes = [int(v) for v in rng.choice(np.array([2, 3, 4, 5, 6, 7, 8]), size=rank, replace=False)]
    while True:
        perm = [int(v) for v in rng.permutation(rank)]
        if perm[0] != 0 and perm[0] != _inverse(perm)[0]:
            break
    ops = [f"permute({', '.join(map(str, perm))})"]
    if level == 2:
        ops.append("flatten(1)")
    elif level == 3:
        ops += ["flatten(2)", "unsqueeze(1)"]
    shapes = [tuple(sizes)]
    for op in ops:
        shapes.append(apply_shape_op(shapes[-1], op))
    answer = shapes[-1]
    chain = "x." + ".".join(ops)
    prompt = Text(
        f"x = torch.randn{shape_text(sizes)}. What is the shape of {chain}? Answer as a shape, e.g. `2 3 4`.",
        f"x = torch.randn{shape_text(sizes)}。{chain} 的形状是什么？用形状作答，例如 `2 3 4`。",
    )
    explain_en = {
        "permute": "permute(dims) puts old dimension dims[i] at position i",
        "reshape": "reshape keeps the element count; −1 is inferred",
        "flatten": "flatten(d) merges dimension d and everything after it",
        "unsqueeze": "unsqueeze(d) inserts a size-1 dimension at position d",
    }
    explain_zh = {
        "permute": "permute(dims) 把原来的第 dims[i] 维放到第 i 维",
        "reshape": "reshape 保持元素总数不变，−1 自动推断",
        "flatten": "flatten(d) 把第 d 维及之后的维合并成一维",
        "unsqueeze": "unsqueeze(d) 在第 d 维插入大小为 1 的维",
    }
    en, zh = [], []
    for op, before, after in zip(ops, shapes, shapes[1:], strict=False):
        key = op.split("(")[0]
        if key == "permute":
            # two steps, which old dimension lands where, then the shape: the mistakes misread the first
            en.append(
                f"{op}: {explain_en[key]}: "
                + ", ".join(f"position {i} ← dim {d} (size {before[d]})" for i, d in enumerate(perm))
                + "."
            )
            zh.append(
                f"{op}：{explain_zh[key]}："
                + "，".join(f"第 {i} 维 ← 原第 {d} 维（大小 {before[d]}）" for i, d in enumerate(perm))
                + "。"
            )
            en.append(f"So {shape_text(before)} → {shape_text(after)}.")
            zh.append(f"所以 {shape_text(before)} → {shape_text(after)}。")
            continue
        en.append(f"{op}: {explain_en[key]}: {shape_text(before)} → {shape_text(after)}.")
        zh.append(f"{op}：{explain_zh[key]}：{shape_text(before)} → {shape_text(after)}。")
    solution = worked(en, zh, f"{'×'.join(map(str, answer))}")
    return Draft(
        params={"shape": sizes, "ops": ops},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.SHAPE,
        tolerance=Tolerance.exact(),
        solution=solution,
    )


@mistake(
    "view_permute_shape",
    "inverse-permutation",
    step=1,
    text=Text(
        "You read permute's arguments as where each dimension goes; they say which old dimension comes to each place.",
        "你把 permute 的参数理解成“每一维要去的位置”；其实是“每个位置放原来的哪一维”。",
    ),
)
def _vp_inverse(params: Params) -> tuple[int, ...]:
    first = params["ops"][0]
    perm = [int(a) for a in first[len("permute(") : -1].split(",")]
    return _shape_chain(params["shape"], params["ops"], f"permute({', '.join(map(str, _inverse(perm)))})")


@mistake(
    "view_permute_shape",
    "permute-ignored",
    step=1,
    text=Text(
        "You kept the original order of the sizes; permute reorders the dimensions (and so the shape).",
        "你保留了原来的维度顺序；permute 会重新排列各维（形状随之改变）。",
    ),
)
def _vp_ignored(params: Params) -> tuple[int, ...]:
    rank = len(params["shape"])
    return _shape_chain(params["shape"], params["ops"], f"permute({', '.join(map(str, range(rank)))})")


@torch_snippet("view_permute_shape")
def _vp_torch(params: Params) -> str:
    return (
        f"import torch\nx = torch.randn{shape_text(params['shape'])}\nprint(tuple(x.{'.'.join(params['ops'])}.shape))\n"
    )


# ---------------------------------------------------------------------------------------------
# tensor_memory
# ---------------------------------------------------------------------------------------------

ELEMENT_BYTES = {"float64": 8, "float32": 4, "float16": 2, "bfloat16": 2, "int64": 8, "int8": 1, "uint8": 1}
MIB = 2**20


@family(
    "tensor_memory",
    topic="torch.practice",
    title=Text("Memory of a tensor", "张量占用的内存"),
    difficulty=1,
    levels=2,
    default_level=2,
)
def draw_tensor_memory(rng: np.random.Generator, level: int) -> Draft:
    """numel × element size: a small tensor in bytes (level 1), an activation batch in MiB (level 2)."""
    if level == 1:
        shape = [int(rng.integers(2, 9)) for _ in range(int(rng.integers(2, 4)))]
        dtype = pick(rng, ["float16", "bfloat16", "float64", "int64", "int8", "uint8", "float32"])
    else:
        shape = [
            pick(rng, [8, 16, 32, 64]),
            pick(rng, [3, 64, 128, 256]),
            *([pick(rng, [28, 32, 56, 64, 112, 224])] * 2),
        ]
        dtype = pick(rng, ["float16", "bfloat16", "float64", "int64", "float16", "bfloat16", "float32"])
    numel = math.prod(shape)
    size = ELEMENT_BYTES[dtype]
    nbytes = numel * size
    unit_en, unit_zh = (
        ("bytes", "字节")
        if level == 1
        else ("MiB (1 MiB = 2²⁰ bytes), to 3 decimals", "MiB（1 MiB = 2²⁰ 字节），保留 3 位小数")
    )
    answer: float | int = nbytes if level == 1 else nbytes / MIB
    prompt = Text(
        f"x = torch.zeros({', '.join(map(str, shape))}, dtype=torch.{dtype}). How much memory do its elements "
        f"take, in {unit_en}?",
        f"x = torch.zeros({', '.join(map(str, shape))}, dtype=torch.{dtype})。它的元素占多少内存？单位：{unit_zh}。",
    )
    prod = " × ".join(map(str, shape))
    steps_en = [
        f"numel = {prod} = {numel:,}.",
        f"torch.{dtype} takes {size} byte(s) per element: {numel:,} × {size} = {nbytes:,} bytes.",
    ]
    steps_zh = [
        f"numel = {prod} = {numel:,}。",
        f"torch.{dtype} 每个元素 {size} 字节：{numel:,} × {size} = {nbytes:,} 字节。",
    ]
    if level == 2:
        steps_en.append(f"{nbytes:,}/2²⁰ = {num(nbytes / MIB, 3)} MiB.")
        steps_zh.append(f"{nbytes:,}/2²⁰ = {num(nbytes / MIB, 3)} MiB。")
    shown = f"{nbytes:,}" if level == 1 else num(nbytes / MIB, 3)
    solution = worked(steps_en, steps_zh, f"{shown}")
    return Draft(
        params={"shape": shape, "dtype": dtype, "unit": "bytes" if level == 1 else "MiB"},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.NUMBER,
        tolerance=Tolerance.exact() if level == 1 else decimals(3),
        solution=solution,
    )


def _mem_with(params: Params, per_element: float) -> float:
    total = math.prod(params["shape"]) * per_element
    return total if params["unit"] == "bytes" else total / MIB


@mistake(
    "tensor_memory",
    "bits-not-bytes",
    step=2,
    text=Text(
        "You multiplied by the bits per element; memory is counted in bytes (8 bits each).",
        "你乘的是每个元素的位数；内存按字节算（1 字节 = 8 位）。",
    ),
)
def _mem_bits(params: Params) -> float:
    return _mem_with(params, 8 * ELEMENT_BYTES[params["dtype"]])


@mistake(
    "tensor_memory",
    "assumed-four-bytes",
    step=2,
    text=Text(
        "You assumed 4 bytes per element (float32); the element size depends on the dtype.",
        "你默认每个元素 4 字节（float32）；元素大小取决于 dtype。",
    ),
)
def _mem_four(params: Params) -> float:
    return _mem_with(params, 4)


@torch_snippet("tensor_memory")
def _mem_torch(params: Params) -> str:
    div = "" if params["unit"] == "bytes" else " / 2**20"
    return (
        "import torch\n"
        f"x = torch.zeros({', '.join(map(str, params['shape']))}, dtype=torch.{params['dtype']})\n"
        f"print(x.numel() * x.element_size(){div})\n"
    )
