"""Neural-network families: softmax and cross-entropy, activations, MLP forward and back-propagation,
inverted dropout and batch normalisation.

Answers come from :mod:`quizforge.numeric.ops` (the NumPy mirror of ``torch.nn.functional``); the torch
oracles in :mod:`quizforge.numeric.oracles.nn` recompute them with autograd and real modules. Numbers are
chosen for paper: logits written as ``ln a`` so probabilities are fractions, or small integer logits with
the powers of e given; batches whose variance is a perfect square; small integer weights.

The formatting helpers at the top are shared with :mod:`quizforge.numeric.families.optimizers`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, TypeVar

import numpy as np

from quizforge.answer import AnswerKind, Tolerance
from quizforge.numeric import ops
from quizforge.numeric.base import (
    Answer,
    Draft,
    Params,
    family,
    mistake,
    three_levels,
    torch_snippet,
    typeset_minus_signs,
)
from quizforge.text import Text

T = TypeVar("T")

# ---------------------------------------------------------------------------------------------
# Helpers (also used by families/optimizers.py)
# ---------------------------------------------------------------------------------------------

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def pick(rng: np.random.Generator, seq: Sequence[T]) -> T:
    """One element of ``seq``, drawn with an integer index (platform-independent)."""
    return seq[int(rng.integers(len(seq)))]


def sub(i: int) -> str:
    """``12`` → ``₁₂`` (for names like w₁, z₂)."""
    return str(i).translate(_SUB)


def sup(i: int) -> str:
    """``-1`` → ``⁻¹`` (for powers like e⁻¹, β₁²)."""
    return str(i).translate(_SUP)


def fmt(v: float, digits: int = 4) -> str:
    """A number as a person writes it: rounded to ``digits`` decimals, no trailing zeros, no ``-0``."""
    r = round(float(v), digits)
    if r == 0:
        return "0"
    if float(r).is_integer():
        return str(int(r))
    return f"{r:.{digits}f}".rstrip("0").rstrip(".")


def fmt_fixed(v: float, digits: int) -> str:
    """A number to exactly ``digits`` decimals, as asked for (``-2.1400``), no ``-0``."""
    r = round(float(v), digits)
    return f"{0.0 if r == 0 else r:.{digits}f}"


def fmt_vec_fixed(values: Sequence[float] | np.ndarray[Any, Any], digits: int) -> str:
    """``(1.0000, -0.5000)``: a vector answer to exactly ``digits`` decimals."""
    return "(" + ", ".join(fmt_fixed(float(v), digits) for v in np.ravel(values)) + ")"


def fmt_factor(v: float, digits: int = 4) -> str:
    """A number inside a product: negatives in parentheses, ``(-1)``."""
    s = fmt(v, digits)
    return f"({s})" if s.startswith("-") else s


def fmt_vec(values: Sequence[float] | np.ndarray[Any, Any], digits: int = 4) -> str:
    """``(1, -0.5, 2)``."""
    return "(" + ", ".join(fmt(float(v), digits) for v in np.ravel(values)) + ")"


def fmt_rows(m: Sequence[Sequence[float]] | np.ndarray[Any, Any], digits: int = 4) -> str:
    """A matrix as right-aligned rows, indented, for prompts and solutions."""
    cells = [[fmt(float(v), digits) for v in row] for row in m]
    width = max(len(c) for row in cells for c in row)
    return "\n".join("    " + "  ".join(c.rjust(width) for c in row) for row in cells)


def fmt_frac(q: Fraction) -> str:
    """``3/8 = 0.375``, or just ``2`` for an integer."""
    if q.denominator == 1:
        return str(q.numerator)
    return f"{q.numerator}/{q.denominator} ≈ {fmt(float(q))}"


def decimals(d: int) -> Tolerance:
    """Tolerance for an answer asked "to d decimals": one unit in the last asked place."""
    return Tolerance(rel=0.0, abs=10.0**-d + 1e-12)


def vec(a: np.ndarray[Any, Any]) -> list[float]:
    """A 1-D array as a list of floats (the vector answer kind)."""
    return [float(v) + 0.0 for v in np.ravel(a)]  # + 0.0 turns -0.0 into 0.0


def mat(a: np.ndarray[Any, Any]) -> list[list[float]]:
    """A 2-D array as a list of float rows (the matrix answer kind)."""
    return [[float(v) + 0.0 for v in row] for row in a]


def exp_hints(exponents: Sequence[int]) -> str:
    """``e⁻¹ ≈ 0.3679, e⁰ = 1, e² ≈ 7.3891`` for the distinct exponents, in increasing order."""
    parts = []
    for k in sorted(set(exponents)):
        parts.append("e⁰ = 1" if k == 0 else f"e{sup(k)} ≈ {math.exp(k):.4f}")
    return ", ".join(parts)


VECTOR_HINT = Text("Answer as a vector, e.g. `0.5 -1.25`.", "用向量作答，例如 `0.5 -1.25`。")


# ---------------------------------------------------------------------------------------------
# ml.softmax
# ---------------------------------------------------------------------------------------------


def _ln_logit_text(c: int, a: int) -> str:
    """The logit ``c + ln a`` as written in a prompt: ``0``, ``ln 3``, ``2``, ``2 + ln 3``, ``-1 + ln 2``."""
    if a == 1:
        return str(c)
    return f"ln {a}" if c == 0 else f"{c} + ln {a}"


class _Logits:
    """Logits for the softmax families, in one of two paper-friendly forms.

    ``ln`` form: zᵢ = c + ln aᵢ with small integers aᵢ, so e^(zᵢ) = e^c·aᵢ and softmax(z)ᵢ = aᵢ/Σa
    exactly. ``int`` form: small integer logits, with the powers of e given in the prompt.
    """

    def __init__(self, rng: np.random.Generator, k: int) -> None:
        self.ln_form = bool(rng.integers(2))
        if self.ln_form:
            while True:
                self.a = [int(v) for v in rng.integers(1, 7, size=k)]
                if len(set(self.a)) > 1:
                    break
            self.c = pick(rng, [0, 0, 0, 1, 2, -1])
            self.values = [self.c + math.log(a) for a in self.a]
            self.text = [_ln_logit_text(self.c, a) for a in self.a]
        else:
            while True:
                ints = [int(v) for v in rng.integers(-1, 3, size=k)]
                if len(set(ints)) > 1:
                    break
            self.ints = ints
            self.values = [float(v) for v in ints]
            self.text = [str(v) for v in ints]

    @property
    def params(self) -> list[float] | list[int]:
        return list(self.values) if self.ln_form else list(self.ints)

    def shown(self) -> str:
        return "z = (" + ", ".join(self.text) + ")"

    def hint(self) -> Text:
        if self.ln_form:
            return Text("", "")
        h = exp_hints(self.ints)
        return Text(f" ({h}.)", f"（{h}。）")

    def exp_steps(self) -> tuple[Text, list[float], float]:
        """Worked steps 2 (e^(zᵢ)) and 3 (their sum S), after the formula of step 1; returns (text, exps, S).

        The exps are scaled by e^(−c).
        """
        if self.ln_form:
            total: float = sum(self.a)
            terms = ", ".join(
                f"e^({t}) = {'e' + sup(self.c) + '·' if self.c else ''}{a}"
                for t, a in zip(self.text, self.a, strict=True)
            )
            common_en = (
                f" The common factor e{sup(self.c)} cancels between numerator and denominator "
                "(softmax is shift-invariant), so only the aᵢ matter."
                if self.c
                else ""
            )
            common_zh = f"公共因子 e{sup(self.c)} 在分子分母中约掉（softmax 平移不变），只需看 aᵢ。" if self.c else ""
            sum_txt = " + ".join(str(a) for a in self.a)
            rule = f"e^({self.c} + ln a) = e{sup(self.c)}·a" if self.c else "e^(ln a) = a"
            return (
                Text(
                    f"2. {rule}, so: {terms}.{common_en}\n3. S = {sum_txt} = {total}.",
                    f"2. {rule}，所以：{terms}。{common_zh}\n3. S = {sum_txt} = {total}。",
                ),
                [float(a) for a in self.a],
                float(total),
            )
        exps = [math.exp(v) for v in self.ints]
        total = math.fsum(exps)
        terms = ", ".join(f"e^({v}) = {fmt(e)}" for v, e in zip(self.ints, exps, strict=True))
        sum_txt = " + ".join(fmt(e) for e in exps)
        return (
            Text(
                f"2. {terms}.\n3. S = Σ e^(zⱼ) = {sum_txt} = {fmt(total)}.",
                f"2. {terms}。\n3. S = Σ e^(zⱼ) = {sum_txt} = {fmt(total)}。",
            ),
            exps,
            total,
        )

    def prob_text(self, i: int, exps: list[float], total: float) -> str:
        if self.ln_form:
            return f"p{sub(i + 1)} = {self.a[i]}/{int(total)} ≈ {fmt(exps[i] / total)}"
        return f"p{sub(i + 1)} = {fmt(exps[i])}/{fmt(total)} ≈ {fmt(exps[i] / total)}"


@family(
    "softmax_values",
    topic="ml.softmax",
    title=Text("Softmax probabilities", "计算 softmax 概率"),
    difficulty=1,
)
def draw_softmax_values(rng: np.random.Generator) -> Draft:
    """softmax of 3–4 logits; the answer is the probability vector."""
    k = pick(rng, [3, 3, 4])
    z = _Logits(rng, k)
    p = ops.softmax(np.array(z.values), dim=0)
    steps, exps, total = z.exp_steps()
    probs = ", ".join(z.prob_text(i, exps, total) for i in range(k))
    prompt = Text(
        f"Logits {z.shown()}.{z.hint().en} Compute softmax(z), each probability to 3 decimals "
        f"(fractions are fine). {VECTOR_HINT.en}",
        f"logits 为 {z.shown()}。{z.hint().zh}计算 softmax(z)，每个概率保留 3 位小数（也可写分数）。{VECTOR_HINT.zh}",
    )
    solution = Text(
        f"1. softmax(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ).\n{steps.en}\n4. {probs}.\n"
        f"Check: the probabilities are positive and sum to 1.\nAnswer: {fmt_vec(p, 3)}",
        f"1. softmax(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ)。\n{steps.zh}\n4. {probs}。\n"
        f"检查：各概率为正且和为 1。\n答案：{fmt_vec(p, 3)}",
    )
    return Draft(
        params={"logits": z.params},
        prompt=prompt,
        answer=vec(p),
        answer_kind=AnswerKind.VECTOR,
        solution=solution,
        tolerance=decimals(3),
    )


def _ce_parts(rng: np.random.Generator) -> tuple[_Logits, int, int]:
    k = pick(rng, [3, 3, 4])
    z = _Logits(rng, k)
    return z, k, int(rng.integers(k))


@family(
    "softmax_cross_entropy",
    topic="ml.softmax",
    title=Text("Softmax cross-entropy loss", "softmax 交叉熵损失"),
    difficulty=2,
)
def draw_softmax_cross_entropy(rng: np.random.Generator) -> Draft:
    """Cross-entropy of raw logits against a class index (``nn.CrossEntropyLoss`` on one example)."""
    z, k, t = _ce_parts(rng)
    loss = float(ops.cross_entropy(np.array(z.values), t))
    steps, exps, total = z.exp_steps()
    p_t = exps[t] / total
    prompt = Text(
        f"A {k}-class classifier outputs logits {z.shown()} and the true class index is t = {t} "
        f"(0-based, as in PyTorch).{z.hint().en} What is the cross-entropy loss "
        "nn.CrossEntropyLoss gives (natural log)? Give 3 decimals (a calculator is fine for ln).",
        f"一个 {k} 分类模型输出 logits {z.shown()}，真实类别下标 t = {t}（从 0 开始，与 PyTorch 一致）。"
        f"{z.hint().zh}nn.CrossEntropyLoss 给出的交叉熵损失是多少（自然对数）？保留 3 位小数（ln 可用计算器）。",
    )
    if z.ln_form:
        frac = Fraction(int(total), z.a[t])
        final_en = f"L = −ln p_t = −ln({z.a[t]}/{int(total)}) = ln({frac}) ≈ {fmt(loss, 4)}"
    else:
        final_en = f"L = −z_t + ln S = −{fmt_factor(z.ints[t])} + ln {fmt(total)} ≈ {fmt(loss, 4)}"
    solution = Text(
        "1. nn.CrossEntropyLoss applies log-softmax itself: L = −log softmax(z)_t = −z_t + ln Σⱼ e^(zⱼ).\n"
        f"{steps.en}\n4. p_t = p{sub(t + 1)} (class index {t}) = {z.prob_text(t, exps, total).split(' = ', 1)[1]}.\n"
        f"5. {final_en}.\nOnly the true class's probability enters the loss.\nAnswer: {fmt(loss, 3)}",
        "1. nn.CrossEntropyLoss 内部先做 log-softmax：L = −log softmax(z)_t = −z_t + ln Σⱼ e^(zⱼ)。\n"
        f"{steps.zh}\n4. p_t = p{sub(t + 1)}（类别下标 {t}）= {z.prob_text(t, exps, total).split(' = ', 1)[1]}。\n"
        f"5. {final_en}。\n损失只取决于真实类别的概率。\n答案：{fmt(loss, 3)}",
    )
    assert abs(-math.log(p_t) - loss) < 1e-9
    return Draft(
        params={"logits": z.params, "target": t},
        prompt=prompt,
        answer=loss,
        answer_kind=AnswerKind.NUMBER,
        solution=solution,
        tolerance=decimals(3),
    )


@family(
    "softmax_ce_gradient",
    topic="ml.softmax",
    title=Text("Gradient of softmax + cross-entropy", "softmax + 交叉熵对 logits 的梯度"),
    difficulty=2,
)
def draw_softmax_ce_gradient(rng: np.random.Generator) -> Draft:
    """∂L/∂z = softmax(z) − onehot(t) for one example."""
    z, k, t = _ce_parts(rng)
    p = ops.softmax(np.array(z.values), dim=0)
    onehot = np.eye(k)[t]
    grad = p - onehot
    steps, exps, total = z.exp_steps()
    probs = ", ".join(z.prob_text(i, exps, total) for i in range(k))
    diffs = ", ".join(
        f"{fmt(p[i])} − {int(onehot[i])} = {fmt(grad[i])}" if i == t else f"{fmt(p[i])}" for i in range(k)
    )
    prompt = Text(
        f"Logits {z.shown()}, true class index t = {t} (0-based), loss L = cross-entropy(softmax(z), t)."
        f"{z.hint().en} Compute the gradient ∂L/∂z, each entry to 3 decimals. {VECTOR_HINT.en}",
        f"logits 为 {z.shown()}，真实类别下标 t = {t}（从 0 开始），损失 L = 交叉熵(softmax(z), t)。"
        f"{z.hint().zh}求梯度 ∂L/∂z，每个分量保留 3 位小数。{VECTOR_HINT.zh}",
    )
    y_txt = fmt_vec(onehot)
    solution = Text(
        "1. For softmax followed by cross-entropy, ∂L/∂zᵢ = pᵢ − yᵢ, with p = softmax(z) and y the one-hot label.\n"
        f"{steps.en}\n4. {probs}.\n5. y = {y_txt} (1 at index {t}).\n"
        f"6. p − y: {diffs}.\nThe entries sum to 0; only the true class gets a negative gradient (its logit "
        f"goes up under gradient descent).\nAnswer: {fmt_vec(grad, 3)}",
        "1. softmax 接交叉熵时，∂L/∂zᵢ = pᵢ − yᵢ，其中 p = softmax(z)，y 为独热（one-hot）标签。\n"
        f"{steps.zh}\n4. {probs}。\n5. y = {y_txt}（下标 {t} 处为 1）。\n"
        f"6. p − y：{diffs}。\n各分量之和为 0；只有真实类别的梯度为负（梯度下降会把它的 logit 调大）。\n"
        f"答案：{fmt_vec(grad, 3)}",
    )
    return Draft(
        params={"logits": z.params, "target": t},
        prompt=prompt,
        answer=vec(grad),
        answer_kind=AnswerKind.VECTOR,
        solution=solution,
        tolerance=decimals(3),
    )


def _prob_row(rng: np.random.Generator, k: int) -> list[int]:
    """k positive integers summing to 10 (probabilities in tenths): a random composition of 10."""
    cuts = sorted(int(c) for c in rng.choice(np.arange(1, 10), size=k - 1, replace=False))
    bounds = [0, *cuts, 10]
    return [bounds[i + 1] - bounds[i] for i in range(k)]


@family(
    "cross_entropy_onehot",
    topic="ml.softmax",
    title=Text("Cross-entropy from probabilities and one-hot labels", "由概率和独热标签计算交叉熵"),
    difficulty=1,
)
def draw_cross_entropy_onehot(rng: np.random.Generator) -> Draft:
    """Mean of −Σ y·ln p over 1–2 examples, with predicted probabilities in tenths."""
    k = pick(rng, [3, 4])
    n = pick(rng, [1, 2])
    tenths = [_prob_row(rng, k) for _ in range(n)]
    targets = [int(rng.integers(k)) for _ in range(n)]
    probs = np.array(tenths, dtype=np.float64) / 10
    onehot = np.eye(k)[targets]
    # Cross-entropy on log-probabilities: log_softmax(ln p) = ln p because each row of p sums to 1.
    loss = float(ops.cross_entropy(np.log(probs), np.array(targets)))
    distinct = sorted({v for row in tenths for v in row})
    table = ", ".join(f"ln {fmt(v / 10)} ≈ {math.log(v / 10):.4f}" for v in distinct)
    ex_en, ex_zh = [], []
    for i in range(n):
        ex_en.append(f"  example {i + 1}: p = {fmt_vec(probs[i])}, y = {fmt_vec(onehot[i])}")
        ex_zh.append(f"  样本 {i + 1}：p = {fmt_vec(probs[i])}，y = {fmt_vec(onehot[i])}")
    many_en = f"the mean cross-entropy over the {n} examples" if n > 1 else "the cross-entropy loss"
    many_zh = f"这 {n} 个样本的平均交叉熵" if n > 1 else "交叉熵损失"
    prompt = Text(
        "A classifier's softmax outputs p and the one-hot labels y:\n" + "\n".join(ex_en) + f"\nCompute {many_en}, "
        f"L = −Σ yᵢ·ln pᵢ{', averaged over examples' if n > 1 else ''}, to 3 decimals. ({table}.)",
        "分类器的 softmax 输出 p 与独热标签 y：\n" + "\n".join(ex_zh) + f"\n计算{many_zh} L = −Σ yᵢ·ln pᵢ"
        f"{'（对样本取平均）' if n > 1 else ''}，保留 3 位小数。（{table}。）",
    )
    per = [-math.log(probs[i, targets[i]]) for i in range(n)]
    lines_en = [
        f"{i + 2}. Example {i + 1}: y has its 1 at position {targets[i] + 1}, so "
        f"L{sub(i + 1)} = −ln {fmt(probs[i, targets[i]])} ≈ {fmt(per[i])}."
        for i in range(n)
    ]
    lines_zh = [
        f"{i + 2}. 样本 {i + 1}：y 在第 {targets[i] + 1} 位为 1，"
        f"所以 L{sub(i + 1)} = −ln {fmt(probs[i, targets[i]])} ≈ {fmt(per[i])}。"
        for i in range(n)
    ]
    if n > 1:
        lines_en.append(f"{n + 2}. Mean: ({fmt(per[0])} + {fmt(per[1])})/2 ≈ {fmt(loss)}.")
        lines_zh.append(f"{n + 2}. 取平均：({fmt(per[0])} + {fmt(per[1])})/2 ≈ {fmt(loss)}。")
    solution = Text(
        "1. With a one-hot y every term but the true class's vanishes: L = −ln p_true.\n"
        + "\n".join(lines_en)
        + f"\nAnswer: {fmt(loss, 3)}",
        "1. y 为独热向量时，只有真实类别那一项不为 0：L = −ln p_真实。\n"
        + "\n".join(lines_zh)
        + f"\n答案：{fmt(loss, 3)}",
    )
    return Draft(
        params={"probs": probs.tolist(), "onehot": onehot.astype(int).tolist()},
        prompt=prompt,
        answer=loss,
        answer_kind=AnswerKind.NUMBER,
        solution=solution,
        tolerance=decimals(3),
    )


# ---------------------------------------------------------------------------------------------
# nn.mlp
# ---------------------------------------------------------------------------------------------

# (activation, x as text, x) with closed forms: σ(ln k) = k/(k+1), tanh(ln k) = (k² − 1)/(k² + 1).
_ACT_POINTS: dict[str, list[tuple[str, float]]] = {
    "sigmoid": [("0", 0.0)]
    + [(f"{sign}ln {k}", (-1 if sign else 1) * math.log(k)) for k in (2, 3, 4) for sign in ("", "-")]
    + [(str(v), float(v)) for v in (1, -1, 2, -2)],
    "tanh": [("0", 0.0)]
    + [(f"{sign}ln {k}", (-1 if sign else 1) * math.log(k)) for k in (2, 3) for sign in ("", "-")]
    + [(str(v), float(v)) for v in (0.5, -0.5, 1, -1)],
    "relu": [(str(v), float(v)) for v in (-3, -2, -1, -0.5, 0.5, 1, 1.5, 2, 3)],
}


@family(
    "activation_derivative",
    topic="nn.mlp",
    title=Text("Activation value and derivative", "激活函数的值与导数"),
    difficulty=1,
)
def draw_activation_derivative(rng: np.random.Generator) -> Draft:
    """(g(x), g′(x)) for sigmoid, tanh or ReLU at a point with a closed form."""
    name = pick(rng, ["sigmoid", "sigmoid", "tanh", "tanh", "relu"])
    x_text, x = pick(rng, _ACT_POINTS[name])
    fn = {"sigmoid": ops.sigmoid, "tanh": ops.tanh, "relu": ops.relu}[name]
    dfn = {"sigmoid": ops.sigmoid_grad, "tanh": ops.tanh_grad, "relu": ops.relu_grad}[name]
    value, deriv = float(fn(x)), float(dfn(x))
    label = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU"}[name]
    calc_en = " (a calculator is fine for e^x)" if name != "relu" and "ln" not in x_text and x != 0 else ""
    calc_zh = "（e^x 可用计算器）" if calc_en else ""
    prompt = Text(
        f"For the activation {label} at x = {x_text}, give ({label}(x), {label}′(x)), each to 3 decimals{calc_en}. "
        f"{VECTOR_HINT.en}",
        f"激活函数 {label} 在 x = {x_text} 处：求 ({label}(x), {label}′(x))，"
        f"各保留 3 位小数{calc_zh}。{VECTOR_HINT.zh}",
    )
    if name == "sigmoid":
        if "ln" in x_text:
            k = round(math.exp(abs(x)))
            q = Fraction(k, k + 1) if x > 0 else Fraction(1, k + 1)
            e_neg = fmt_frac(Fraction(1, k) if x > 0 else Fraction(k))
            val_txt = f"e^(−x) = {e_neg}, so σ(x) = 1/(1 + e^(−x)) = {fmt_frac(q)}"
            d_txt = f"σ′(x) = σ(x)·(1 − σ(x)) = {q}·{1 - q} = {fmt_frac(q * (1 - q))}"
        else:
            val_txt = f"σ(x) = 1/(1 + e^(−x)) = 1/(1 + {fmt(math.exp(-x))}) ≈ {fmt(value)}"
            d_txt = f"σ′(x) = σ(x)·(1 − σ(x)) = {fmt(value)}·{fmt(1 - value)} ≈ {fmt(deriv)}"
        note_en = "σ′ is at most 0.25 (at x = 0): each sigmoid layer shrinks a back-propagated gradient by ≥ 4×."
        note_zh = "σ′ 最大为 0.25（在 x = 0 处）：每经过一层 sigmoid，反向传播的梯度至少缩小为 1/4。"
    elif name == "tanh":
        if "ln" in x_text:
            k = round(math.exp(abs(x)))
            q = Fraction(k * k - 1, k * k + 1) * (1 if x > 0 else -1)
            val_txt = (
                f"e^x = {fmt_frac(Fraction(k) if x > 0 else Fraction(1, k))}, "
                f"tanh(x) = (e^x − e^(−x))/(e^x + e^(−x)) = {fmt_frac(q)}"
            )
            d_txt = f"tanh′(x) = 1 − tanh²(x) = 1 − ({q})² = {fmt_frac(1 - q * q)}"
        else:
            val_txt = (
                f"tanh(x) = (e^x − e^(−x))/(e^x + e^(−x)) = ({fmt(math.exp(x))} − {fmt(math.exp(-x))})/"
                f"({fmt(math.exp(x))} + {fmt(math.exp(-x))}) ≈ {fmt(value)}"
            )
            d_txt = f"tanh′(x) = 1 − tanh²(x) = 1 − {fmt(value)}² ≈ {fmt(deriv)}"
        note_en = "tanh′ is at most 1 (at x = 0) and tanh is zero-centred, unlike σ."
        note_zh = "tanh′ 最大为 1（在 x = 0 处），且 tanh 以 0 为中心，这点与 σ 不同。"
    else:
        val_txt = f"ReLU(x) = max(0, x) = max(0, {x_text}) = {fmt(value)}"
        d_txt = f"ReLU′(x) = {'1 because x > 0' if x > 0 else '0 because x < 0'}"
        note_en = "For x > 0 the gradient passes unchanged (no vanishing); for x < 0 it is blocked (a 'dead' unit)."
        note_zh = "x > 0 时梯度原样通过（不会梯度消失）；x < 0 时梯度为 0（神经元“死亡”）。"
    d_txt_zh = d_txt.replace("1 because x > 0", "1，因为 x > 0").replace("0 because x < 0", "0，因为 x < 0")
    val_txt_zh = val_txt.replace(", so ", "，所以 ").replace(", tanh", "，tanh")
    answer = [value, deriv]
    x_shown = f"{x_text}" + (f" ≈ {fmt(x)}" if "ln" in x_text else "")
    solution = Text(
        f"1. x = {x_shown}.\n2. {val_txt}.\n3. {d_txt}.\n{note_en}\nAnswer: {fmt_vec(answer, 3)}",
        f"1. x = {x_shown}。\n2. {val_txt_zh}。\n3. {d_txt_zh}。\n{note_zh}\n答案：{fmt_vec(answer, 3)}",
    )
    return Draft(
        params={"activation": name, "x": x},
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.VECTOR,
        solution=solution,
        tolerance=decimals(3),
    )


def _affine_lines(
    name: str, w: np.ndarray[Any, Any], x: np.ndarray[Any, Any], b: np.ndarray[Any, Any], x_name: str
) -> list[str]:
    """``z₁ = 1·2 + (−1)·1 + 0 = 1`` for every row of ``w·x + b``."""
    out = []
    for i in range(w.shape[0]):
        prods = " + ".join(f"{fmt_factor(w[i, j])}·{fmt_factor(x[j])}" for j in range(w.shape[1]))
        val = float(w[i] @ x + b[i])
        out.append(f"  {name}{sub(i + 1)} = {prods} + {fmt_factor(b[i])} = {fmt(val)}")
    return out


@family(
    "mlp_forward",
    topic="nn.mlp",
    title=Text("Forward pass of a small MLP", "小型 MLP 的前向传播"),
    difficulty=2,
)
def draw_mlp_forward(rng: np.random.Generator) -> Draft:
    """x (2) → Linear → ReLU → Linear: integer weights, at least one hidden unit cut off by the ReLU."""
    hidden = pick(rng, [2, 2, 3])
    n_out = pick(rng, [1, 1, 2])
    while True:
        x = rng.integers(-2, 3, size=2)
        w1 = rng.integers(-2, 3, size=(hidden, 2))
        b1 = rng.integers(-1, 2, size=hidden)
        z1 = w1 @ x + b1
        if (z1 < 0).any() and (z1 > 0).any():
            break
    w2 = rng.integers(-1, 3, size=(n_out, hidden))
    b2 = rng.integers(-1, 2, size=n_out)
    h = ops.relu(ops.linear(x, w1, b1))
    y = ops.linear(h, w2, b2)
    answer: float | list[float] = float(y[0]) if n_out == 1 else vec(y)
    kind = AnswerKind.NUMBER if n_out == 1 else AnswerKind.VECTOR
    shown_y = fmt(y[0]) if n_out == 1 else fmt_vec(y)
    net = "h = ReLU(W₁x + b₁), y = W₂h + b₂"
    ask_en = "the output y" + (f" (a vector of {n_out})" if n_out > 1 else "")
    ask_zh = "输出 y" + (f"（{n_out} 维向量）" if n_out > 1 else "")
    prompt = Text(
        f"A two-layer MLP computes {net} (weights as in nn.Linear: one row per output unit).\n"
        f"x = {fmt_vec(x)}\nW₁ =\n{fmt_rows(w1)}\nb₁ = {fmt_vec(b1)}\nW₂ =\n{fmt_rows(w2)}\nb₂ = {fmt_vec(b2)}\n"
        f"Compute {ask_en}." + (f" {VECTOR_HINT.en}" if n_out > 1 else ""),
        f"两层 MLP：{net}（权重按 nn.Linear 的布局：每行对应一个输出单元）。\n"
        f"x = {fmt_vec(x)}\nW₁ =\n{fmt_rows(w1)}\nb₁ = {fmt_vec(b1)}\nW₂ =\n{fmt_rows(w2)}\nb₂ = {fmt_vec(b2)}\n"
        f"计算{ask_zh}。" + (f"{VECTOR_HINT.zh}" if n_out > 1 else ""),
    )
    z_lines = _affine_lines("z", w1, x, b1, "x")
    y_lines = _affine_lines("y", w2, h, b2, "h")
    cut = [i + 1 for i in range(hidden) if z1[i] < 0]
    cut_txt = ", ".join(f"z{sub(i)}" for i in cut)
    solution = Text(
        "1. Hidden pre-activations z = W₁x + b₁:\n"
        + "\n".join(z_lines)
        + f"\n2. ReLU keeps positives and zeroes negatives ({cut_txt} < 0): h = {fmt_vec(h)}.\n"
        + "3. Output y = W₂h + b₂:\n"
        + "\n".join(y_lines)
        + f"\nAnswer: {shown_y}",
        "1. 隐藏层预激活 z = W₁x + b₁：\n"
        + "\n".join(z_lines)
        + f"\n2. ReLU 保留正数、负数置 0（{cut_txt} < 0）：h = {fmt_vec(h)}。\n"
        + "3. 输出 y = W₂h + b₂：\n"
        + "\n".join(y_lines)
        + f"\n答案：{shown_y}",
    )
    return Draft(
        params={
            "x": x.tolist(),
            "W1": w1.tolist(),
            "b1": b1.tolist(),
            "W2": w2.tolist(),
            "b2": b2.tolist(),
            "activation": "relu",
        },
        prompt=prompt,
        answer=answer,
        answer_kind=kind,
        solution=solution,
        tolerance=Tolerance.exact(),
    )


_SIGMOID_HINTS = {k: f"σ({k}) ≈ {1 / (1 + math.exp(-k)):.4f}" for k in range(-2, 3) if k != 0}


def _sigmoid_hint(z: int) -> str:
    return "σ(0) = 0.5" if z == 0 else _SIGMOID_HINTS[z]


@family(
    "backprop_sigmoid_mse",
    topic="nn.mlp",
    title=Text("Back-propagation with sigmoid and squared loss", "sigmoid + 平方损失的反向传播"),
    difficulty=3,
)
def draw_backprop_sigmoid_mse(rng: np.random.Generator) -> Draft:
    """One weight gradient: a single sigmoid neuron, or a sigmoid hidden unit under a linear output."""
    if rng.integers(2):
        # ŷ = σ(w·x + b), L = ½(ŷ − y)²; ask ∂L/∂w_k.
        while True:
            x = rng.integers(-2, 3, size=2)
            w = rng.integers(-1, 3, size=2)
            b = int(rng.integers(-1, 2))
            z = int(w @ x + b)
            k = int(rng.integers(2))
            if -2 <= z <= 2 and x[k] != 0:
                break
        y = int(rng.integers(2))
        res = ops.mlp_backprop(x, [w[None]], [[b]], ["sigmoid"], [y], loss="half_sse")
        grad = float(res.weight_grads[0][0, k])
        yhat = float(res.activations[-1][0])
        s_prime = yhat * (1 - yhat)
        params: dict[str, Any] = {
            "network": "neuron",
            "x": x.tolist(),
            "w": w.tolist(),
            "b": b,
            "y": y,
            "wrt": k,
        }
        net = f"ŷ = σ(w₁x₁ + w₂x₂ + b) with x = {fmt_vec(x)}, w = {fmt_vec(w)}, b = {b}"
        net_zh = f"ŷ = σ(w₁x₁ + w₂x₂ + b)，其中 x = {fmt_vec(x)}，w = {fmt_vec(w)}，b = {b}"
        target_en = f"w{sub(k + 1)}"
        prods = " + ".join(f"{fmt_factor(w[j])}·{fmt_factor(x[j])}" for j in range(2))
        steps = [
            f"z = {prods} + {fmt_factor(b)} = {z}; ŷ = σ({z}) ≈ {fmt(yhat, 6)}.",
            f"∂L/∂ŷ = ŷ − y = {fmt(yhat, 6)} − {y} = {fmt(yhat - y, 6)}.",
            f"∂ŷ/∂z = σ′(z) = ŷ(1 − ŷ) = {fmt(yhat, 6)}·{fmt(1 - yhat, 6)} ≈ {fmt(s_prime, 6)}.",
            f"∂z/∂{target_en} = x{sub(k + 1)} = {int(x[k])}.",
            f"∂L/∂{target_en} = (ŷ − y)·σ′(z)·x{sub(k + 1)} = "
            f"{fmt_factor(yhat - y, 6)}·{fmt(s_prime, 6)}·{fmt_factor(x[k])} "
            f"≈ {fmt(grad, 6)}.",
        ]
        hint = _sigmoid_hint(z)
    else:
        # h = σ(w₁x + b₁), ŷ = w₂h + b₂, L = ½(ŷ − y)²; ask ∂L/∂w₁.
        while True:
            x1 = int(pick(rng, [-2, -1, 1, 2]))
            w1 = int(rng.integers(-1, 3))
            b1 = int(rng.integers(-1, 2))
            z = w1 * x1 + b1
            if -2 <= z <= 2:
                break
        w2 = int(pick(rng, [-2, -1, 1, 2, 3]))
        b2 = int(rng.integers(-1, 2))
        y = int(rng.integers(-1, 3))
        res = ops.mlp_backprop([x1], [[[w1]], [[w2]]], [[b1], [b2]], ["sigmoid", "identity"], [y], loss="half_sse")
        grad = float(res.weight_grads[0][0, 0])
        h = float(res.activations[1][0])
        yhat = float(res.activations[2][0])
        s_prime = h * (1 - h)
        params = {"network": "hidden", "x": x1, "w1": w1, "b1": b1, "w2": w2, "b2": b2, "y": y}
        net = f"h = σ(w₁x + b₁), ŷ = w₂h + b₂ with x = {x1}, w₁ = {w1}, b₁ = {b1}, w₂ = {w2}, b₂ = {b2}"
        net_zh = f"h = σ(w₁x + b₁)，ŷ = w₂h + b₂，其中 x = {x1}，w₁ = {w1}，b₁ = {b1}，w₂ = {w2}，b₂ = {b2}"
        target_en = "w₁"
        steps = [
            f"Forward: z = w₁x + b₁ = {fmt_factor(w1)}·{fmt_factor(x1)} + {fmt_factor(b1)} = {z}; "
            f"h = σ({z}) ≈ {fmt(h, 6)}; ŷ = {fmt_factor(w2)}·{fmt(h, 6)} + {fmt_factor(b2)} ≈ {fmt(yhat, 6)}.",
            f"∂L/∂ŷ = ŷ − y = {fmt(yhat, 6)} − {fmt_factor(y)} = {fmt(yhat - y, 6)}.",
            f"∂ŷ/∂h = w₂ = {w2}; ∂h/∂z = σ′(z) = h(1 − h) = {fmt(h, 6)}·{fmt(1 - h, 6)} ≈ {fmt(s_prime, 6)}; "
            f"∂z/∂w₁ = x = {x1}.",
            f"∂L/∂w₁ = (ŷ − y)·w₂·σ′(z)·x = "
            f"{fmt_factor(yhat - y, 6)}·{fmt_factor(w2)}·{fmt(s_prime, 6)}·{fmt_factor(x1)} "
            f"≈ {fmt(grad, 6)}.",
        ]
        hint = _sigmoid_hint(z)
    prompt = Text(
        f"A tiny network: {net}. Target y = {params['y']}, loss L = ½(ŷ − y)². "
        f"Compute ∂L/∂{target_en} by back-propagation, to 4 decimals. ({hint}.)",
        f"一个很小的网络：{net_zh}。目标 y = {params['y']}，损失 L = ½(ŷ − y)²。"
        f"用反向传播求 ∂L/∂{target_en}，保留 4 位小数。（{hint}。）",
    )
    chain = "Chain rule, from the loss back to the weight:"
    body = "\n".join(f"{i}. {line}" for i, line in enumerate(steps, 1))
    body_zh = "\n".join(
        f"{i}. " + line.replace("Forward: ", "前向：").replace("; ", "；").removesuffix(".") + "。"
        for i, line in enumerate(steps, 1)
    )
    solution = Text(
        f"{chain}\n{body}\nAnswer: {fmt_fixed(grad, 4)}",
        f"链式法则，从损失一路乘回到该权重：\n{body_zh}\n答案：{fmt_fixed(grad, 4)}",
    )
    return Draft(
        params=params,
        prompt=prompt,
        answer=grad,
        answer_kind=AnswerKind.NUMBER,
        solution=solution,
        tolerance=Tolerance(rel=0.0, abs=3e-4),
    )


@family(
    "backprop_relu_ce",
    topic="nn.mlp",
    title=Text("Back-propagation with ReLU and cross-entropy", "ReLU + 交叉熵的反向传播"),
    difficulty=4,
)
def draw_backprop_relu_ce(rng: np.random.Generator) -> Draft:
    """x (2) → Linear → ReLU (2) → Linear → 2 logits → cross-entropy; one entry of ∂L/∂W₂ or ∂L/∂W₁."""
    while True:
        x = rng.integers(-1, 3, size=2)
        w1 = rng.integers(-1, 3, size=(2, 2))
        b1 = rng.integers(-1, 2, size=2)
        z1 = w1 @ x + b1
        w2 = rng.integers(-1, 3, size=(2, 2))
        b2 = rng.integers(-1, 2, size=2)
        logits = w2 @ np.maximum(z1, 0) + b2
        if (z1 != 0).all() and (z1 > 0).any() and abs(int(logits[0] - logits[1])) <= 2:
            break
    t = int(rng.integers(2))
    layer = pick(rng, ["W2", "W1", "W1"])
    row, col = int(rng.integers(2)), int(rng.integers(2))
    res = ops.mlp_backprop(x, [w1, w2], [b1, b2], ["relu", "identity"], t, loss="cross_entropy")
    grad = float(res.weight_grads[0 if layer == "W1" else 1][row, col])
    h = res.activations[1]
    p = ops.softmax(res.activations[2], dim=0)
    dz2 = res.deltas[1]
    d = int(logits[1 - t] - logits[t])
    prompt_net = "h = ReLU(W₁x + b₁), z = W₂h + b₂ (2 logits), L = cross-entropy(softmax(z), t)"
    prompt_net_zh = "h = ReLU(W₁x + b₁)，z = W₂h + b₂（2 个 logit），L = 交叉熵(softmax(z), t)"
    w_name = f"{'W₁' if layer == 'W1' else 'W₂'}[{row + 1},{col + 1}]"
    hint = exp_hints([d, -d]) if d else "e⁰ = 1"
    prompt = Text(
        f"{prompt_net}, weights as in nn.Linear (row = output unit).\n"
        f"x = {fmt_vec(x)}\nW₁ =\n{fmt_rows(w1)}\nb₁ = {fmt_vec(b1)}\nW₂ =\n{fmt_rows(w2)}\nb₂ = {fmt_vec(b2)}\n"
        f"True class index t = {t} (0-based). Compute ∂L/∂{w_name} (row {row + 1}, column {col + 1}), "
        f"to 4 decimals. ({hint}.)",
        f"{prompt_net_zh}，权重按 nn.Linear 的布局（每行对应一个输出单元）。\n"
        f"x = {fmt_vec(x)}\nW₁ =\n{fmt_rows(w1)}\nb₁ = {fmt_vec(b1)}\nW₂ =\n{fmt_rows(w2)}\nb₂ = {fmt_vec(b2)}\n"
        f"真实类别下标 t = {t}（从 0 开始）。求 ∂L/∂{w_name}（第 {row + 1} 行第 {col + 1} 列），"
        f"保留 4 位小数。（{hint}。）",
    )
    z_lines = "\n".join(_affine_lines("a", w1, x, b1, "x"))
    l_lines = "\n".join(_affine_lines("z", w2, h, b2, "h"))
    pt = float(p[t])
    other = 1 - t
    en = [
        f"Forward, hidden pre-activations a = W₁x + b₁:\n{z_lines}\nh = ReLU(a) = {fmt_vec(h)}.",
        f"Logits z = W₂h + b₂:\n{l_lines}",
        f"Softmax of two logits: p{sub(t + 1)} = 1/(1 + e^(z{sub(other + 1)} − z{sub(t + 1)})) = 1/(1 + e{sup(d)}) "
        f"≈ {fmt(pt)}, p{sub(other + 1)} = 1 − p{sub(t + 1)} ≈ {fmt(1 - pt)}; p = {fmt_vec(p)}.",
        f"Output layer: δ = ∂L/∂z = p − y = {fmt_vec(p)} − {fmt_vec(np.eye(2)[t])} = {fmt_vec(dz2)}.",
    ]
    zh = [
        f"前向，隐藏层预激活 a = W₁x + b₁：\n{z_lines}\nh = ReLU(a) = {fmt_vec(h)}。",
        f"logits z = W₂h + b₂：\n{l_lines}",
        f"两个 logit 的 softmax：p{sub(t + 1)} = 1/(1 + e^(z{sub(other + 1)} − z{sub(t + 1)})) = 1/(1 + e{sup(d)}) "
        f"≈ {fmt(pt)}，p{sub(other + 1)} = 1 − p{sub(t + 1)} ≈ {fmt(1 - pt)}；p = {fmt_vec(p)}。",
        f"输出层：δ = ∂L/∂z = p − y = {fmt_vec(p)} − {fmt_vec(np.eye(2)[t])} = {fmt_vec(dz2)}。",
    ]
    if layer == "W2":
        en.append(
            f"∂L/∂W₂[{row + 1},{col + 1}] = δ{sub(row + 1)}·h{sub(col + 1)} = {fmt_factor(dz2[row])}·"
            f"{fmt_factor(h[col])} ≈ {fmt(grad)}."
        )
        zh.append(
            f"∂L/∂W₂[{row + 1},{col + 1}] = δ{sub(row + 1)}·h{sub(col + 1)} = {fmt_factor(dz2[row])}·"
            f"{fmt_factor(h[col])} ≈ {fmt(grad)}。"
        )
    else:
        back = float(dz2 @ w2[:, row])
        gate = 1 if z1[row] > 0 else 0
        back_txt = (
            f"δ₁·W₂[1,{row + 1}] + δ₂·W₂[2,{row + 1}] = {fmt_factor(dz2[0])}·{fmt_factor(w2[0, row])} + "
            f"{fmt_factor(dz2[1])}·{fmt_factor(w2[1, row])} ≈ {fmt(back)}"
        )
        en.append(f"Back to hidden unit {row + 1}: ∂L/∂h{sub(row + 1)} = {back_txt}.")
        zh.append(f"传回隐藏单元 {row + 1}：∂L/∂h{sub(row + 1)} = {back_txt}。")
        gate_en = "a > 0, so ReLU′ = 1" if gate else "a < 0, so ReLU′ = 0 and no gradient reaches W₁'s row"
        gate_zh = "a > 0，ReLU′ = 1" if gate else "a < 0，ReLU′ = 0，梯度传不到 W₁ 的这一行"
        en.append(
            f"Through the ReLU: a{sub(row + 1)} = {fmt(z1[row])}, {gate_en}; "
            f"∂L/∂W₁[{row + 1},{col + 1}] = ∂L/∂h{sub(row + 1)}·ReLU′(a{sub(row + 1)})·x{sub(col + 1)} = "
            f"{fmt_factor(back)}·{gate}·{fmt_factor(x[col])} ≈ {fmt(grad)}."
        )
        zh.append(
            f"经过 ReLU：a{sub(row + 1)} = {fmt(z1[row])}，{gate_zh}；"
            f"∂L/∂W₁[{row + 1},{col + 1}] = ∂L/∂h{sub(row + 1)}·ReLU′(a{sub(row + 1)})·x{sub(col + 1)} = "
            f"{fmt_factor(back)}·{gate}·{fmt_factor(x[col])} ≈ {fmt(grad)}。"
        )
    solution = Text(
        "\n".join(f"{i}. {line}" for i, line in enumerate(en, 1)) + f"\nAnswer: {fmt(grad, 4)}",
        "\n".join(f"{i}. {line}" for i, line in enumerate(zh, 1)) + f"\n答案：{fmt(grad, 4)}",
    )
    return Draft(
        params={
            "x": x.tolist(),
            "W1": w1.tolist(),
            "b1": b1.tolist(),
            "W2": w2.tolist(),
            "b2": b2.tolist(),
            "target": t,
            "wrt": {"param": layer, "row": row, "col": col},
        },
        prompt=prompt,
        answer=grad,
        answer_kind=AnswerKind.NUMBER,
        solution=solution,
        tolerance=Tolerance(rel=0.0, abs=3e-4),
    )


# ---------------------------------------------------------------------------------------------
# train.generalization
# ---------------------------------------------------------------------------------------------


@family(
    "dropout_inverted",
    topic="train.generalization",
    title=Text("Inverted dropout with a given mask", "给定掩码的 inverted dropout"),
    difficulty=1,
)
def draw_dropout_inverted(rng: np.random.Generator) -> Draft:
    """Training-mode dropout output x·mask/(1 − p) for a given keep-mask."""
    p = pick(rng, [0.5, 0.5, 0.2, 0.75, 0.8])
    n = int(rng.integers(4, 7))
    x = rng.integers(-3, 6, size=n)
    while True:
        mask = (rng.integers(0, 100, size=n) >= round(p * 100)).astype(int)
        if 0 < mask.sum() < n:
            break
    out = ops.dropout_with_mask(x, mask, p)
    scale = 1 / (1 - p)
    prompt = Text(
        f"Dropout with drop probability p = {fmt(p)} (nn.Dropout(p={fmt(p)}), training mode) gets the activations "
        f"x = {fmt_vec(x)}, and the random keep-mask comes out as m = {fmt_vec(mask)} (1 = kept). "
        f"What does the layer output? {VECTOR_HINT.en}",
        f"Dropout 的丢弃概率 p = {fmt(p)}（nn.Dropout(p={fmt(p)})，训练模式），输入激活 x = {fmt_vec(x)}，"
        f"随机保留掩码为 m = {fmt_vec(mask)}（1 = 保留）。这一层的输出是什么？{VECTOR_HINT.zh}",
    )
    solution = Text(
        "1. PyTorch uses inverted dropout: kept units are scaled by 1/(1 − p) during training, so each unit's "
        "expected value stays x and evaluation needs no rescaling (at eval time dropout is the identity).\n"
        f"2. Scale 1/(1 − {fmt(p)}) = {fmt(scale)}.\n"
        f"3. y = x ⊙ m · {fmt(scale)} = {fmt_vec(x * mask)} · {fmt(scale)} = {fmt_vec(out)}.\n"
        f"Answer: {fmt_vec(out)}",
        "1. PyTorch 使用 inverted dropout：训练时被保留的单元乘以 1/(1 − p)，使每个单元的期望仍为 x，"
        "测试时无需再缩放（eval 模式下 dropout 什么也不做）。\n"
        f"2. 缩放系数 1/(1 − {fmt(p)}) = {fmt(scale)}。\n"
        f"3. y = x ⊙ m · {fmt(scale)} = {fmt_vec(x * mask)} · {fmt(scale)} = {fmt_vec(out)}。\n"
        f"答案：{fmt_vec(out)}",
    )
    return Draft(
        params={"x": x.tolist(), "mask": mask.tolist(), "p": p},
        prompt=prompt,
        answer=vec(out),
        answer_kind=AnswerKind.VECTOR,
        solution=solution,
    )


# ---------------------------------------------------------------------------------------------
# train.batchnorm
# ---------------------------------------------------------------------------------------------

# Deviations from the mean whose biased variance is a perfect square (σ = 1, 1, 3, 3 times the scale).
_DEVIATIONS: dict[int, list[tuple[int, ...]]] = {
    2: [(-1, 1)],
    4: [(-1, -1, 1, 1), (-5, 1, 1, 3), (-3, -1, -1, 5)],
}


def _bn_column(rng: np.random.Generator, n: int) -> np.ndarray[Any, Any]:
    """n integers with an integer mean and a perfect-square biased variance, in random order."""
    devs: np.ndarray[Any, Any] = np.array(pick(rng, _DEVIATIONS[n]))
    scale = pick(rng, [1, 2]) if n == 2 or abs(devs).max() == 1 else 1
    col = int(rng.integers(-2, 4)) + scale * devs
    return col[rng.permutation(n)]


def _bn_stats_lines(col: np.ndarray[Any, Any], label_en: str, label_zh: str) -> tuple[str, str, float, float]:
    n = len(col)
    mean = float(col.mean())
    var = float(col.var())
    sq = " + ".join(f"{fmt_factor(v - mean)}²" for v in col)
    en = (
        f"{label_en}μ = ({' + '.join(fmt_factor(v) for v in col)})/{n} = {fmt(mean)}; "
        f"σ² = ({sq})/{n} = {fmt(var)} (biased: divide by N)"
    )
    zh = (
        f"{label_zh}μ = ({' + '.join(fmt_factor(v) for v in col)})/{n} = {fmt(mean)}；"
        f"σ² = ({sq})/{n} = {fmt(var)}（有偏方差：除以 N）"
    )
    return en, zh, mean, var


@family(
    "batchnorm_forward",
    topic="train.batchnorm",
    title=Text("Batch-norm forward pass (training)", "批量归一化前向计算（训练模式）"),
    difficulty=2,
)
def draw_batchnorm_forward(rng: np.random.Generator) -> Draft:
    """nn.BatchNorm1d in training mode on an N×C batch: per-channel batch statistics, then γ·x̂ + β."""
    n = pick(rng, [2, 4, 4])
    c = pick(rng, [1, 2])
    x = np.stack([_bn_column(rng, n) for _ in range(c)], axis=1)
    gamma = [float(pick(rng, [1, 1, 2, 0.5, -1])) for _ in range(c)]
    beta = [float(pick(rng, [0, 0, 1, -1, 0.5])) for _ in range(c)]
    eps = 1e-5
    res = ops.batch_norm(x, None, None, gamma, beta, training=True, eps=eps)
    out = res.output
    prompt = Text(
        f"A batch of N = {n} examples with C = {c} feature{'s' if c > 1 else ''} (rows = examples) goes through "
        f"nn.BatchNorm1d({c}) in training mode with γ = {fmt_vec(gamma)}, β = {fmt_vec(beta)}, ε = 1e-5.\n"
        f"x =\n{fmt_rows(x)}\nCompute the output (N×C), each entry to 3 decimals. Answer as a matrix, "
        "e.g. `1 2; 3 4`.",
        f"一个批次有 N = {n} 个样本、C = {c} 个特征（每行一个样本），在训练模式下经过 nn.BatchNorm1d({c})，"
        f"γ = {fmt_vec(gamma)}，β = {fmt_vec(beta)}，ε = 1e-5。\n"
        f"x =\n{fmt_rows(x)}\n求输出（N×C），每个元素保留 3 位小数。用矩阵作答，例如 `1 2; 3 4`。",
    )
    en = [
        "Per feature (column): batch mean μ and biased variance σ² over the N examples; x̂ = (x − μ)/√(σ² + ε); "
        "y = γ·x̂ + β. ε = 1e-5 changes nothing at 3 decimals."
    ]
    zh = [
        "对每个特征（每列）：在 N 个样本上求批均值 μ 和有偏方差 σ²；x̂ = (x − μ)/√(σ² + ε)；y = γ·x̂ + β。"
        "ε = 1e-5 对 3 位小数没有影响。"
    ]
    for j in range(c):
        col = x[:, j]
        lab_en = f"Column {j + 1}: " if c > 1 else ""
        lab_zh = f"第 {j + 1} 列：" if c > 1 else ""
        s_en, s_zh, mean, var = _bn_stats_lines(col, lab_en, lab_zh)
        sd = math.sqrt(var)
        xhat = (col - mean) / math.sqrt(var + eps)
        en.append(f"{s_en}; √σ² = {fmt(sd)}.")
        zh.append(f"{s_zh}；√σ² = {fmt(sd)}。")
        en.append(
            f"{lab_en}x̂ = (x − {fmt_factor(mean)})/{fmt(sd)} = {fmt_vec(xhat, 3)}; "
            f"y = {fmt_factor(gamma[j])}·x̂ + {fmt_factor(beta[j])} = {fmt_vec(out[:, j], 3)}."
        )
        zh.append(
            f"{lab_zh}x̂ = (x − {fmt_factor(mean)})/{fmt(sd)} = {fmt_vec(xhat, 3)}；"
            f"y = {fmt_factor(gamma[j])}·x̂ + {fmt_factor(beta[j])} = {fmt_vec(out[:, j], 3)}。"
        )
    # Numbered: 1 the rule, then per column its statistics (2, 4) and its normalised output (3, 5).
    solution = Text(
        "\n".join(f"{i}. {line}" for i, line in enumerate(en, 1)) + f"\nAnswer:\n{fmt_rows(out, 3)}",
        "\n".join(f"{i}. {line}" for i, line in enumerate(zh, 1)) + f"\n答案：\n{fmt_rows(out, 3)}",
    )
    return Draft(
        params={"x": x.tolist(), "gamma": gamma, "beta": beta, "eps": eps},
        prompt=prompt,
        answer=mat(out),
        answer_kind=AnswerKind.MATRIX,
        solution=solution,
        tolerance=decimals(3),
    )


@family(
    "batchnorm_running_stats",
    topic="train.batchnorm",
    title=Text("Batch-norm running statistics", "批量归一化的滑动平均统计量"),
    difficulty=3,
)
def draw_batchnorm_running_stats(rng: np.random.Generator) -> Draft:
    """running_mean and running_var of a one-feature BatchNorm1d after 1–2 training batches."""
    n_steps = pick(rng, [1, 1, 2])
    n = pick(rng, [2, 4])
    batches = [_bn_column(rng, n) for _ in range(n_steps)]
    momentum = 0.1
    if rng.integers(2):
        rm0, rv0 = 0.0, 1.0
    else:
        rm0, rv0 = float(rng.integers(-2, 4)), float(pick(rng, [1, 2, 4]))
    rm, rv = np.array([rm0]), np.array([rv0])
    en: list[str] = []
    zh: list[str] = []
    for i, col in enumerate(batches):
        res = ops.batch_norm(col[:, None], rm, rv, training=True, momentum=momentum)
        assert res.running_mean is not None and res.running_var is not None
        s_en, s_zh, mean, var = _bn_stats_lines(col, "", "")
        unbiased = var * n / (n - 1)
        lab_en = f"Batch {i + 1}: " if n_steps > 1 else ""
        lab_zh = f"第 {i + 1} 个批次：" if n_steps > 1 else ""
        en.append(f"{lab_en}{s_en}; unbiased variance σ²·N/(N − 1) = {fmt(var)}·{n}/{n - 1} = {fmt(unbiased)}.")
        en.append(
            f"{lab_en}running_mean = 0.9·{fmt_factor(rm[0])} + 0.1·{fmt_factor(mean)} = {fmt(res.running_mean[0])}; "
            f"running_var = 0.9·{fmt(rv[0])} + 0.1·{fmt(unbiased)} = {fmt(res.running_var[0])}."
        )
        zh.append(f"{lab_zh}{s_zh}；无偏方差 σ²·N/(N − 1) = {fmt(var)}·{n}/{n - 1} = {fmt(unbiased)}。")
        zh.append(
            f"{lab_zh}running_mean = 0.9·{fmt_factor(rm[0])} + 0.1·{fmt_factor(mean)} = {fmt(res.running_mean[0])}；"
            f"running_var = 0.9·{fmt(rv[0])} + 0.1·{fmt(unbiased)} = {fmt(res.running_var[0])}。"
        )
        rm, rv = res.running_mean, res.running_var
    answer = [float(rm[0]), float(rv[0])]
    shown = "\n".join(f"  batch {i + 1}: {fmt_vec(b)}" for i, b in enumerate(batches))
    shown_zh = "\n".join(f"  第 {i + 1} 批：{fmt_vec(b)}" for i, b in enumerate(batches))
    init_en = "PyTorch's initial values" if (rm0, rv0) == (0.0, 1.0) else "values from earlier training"
    init_zh = "PyTorch 的初始值" if (rm0, rv0) == (0.0, 1.0) else "此前训练得到的值"
    prompt = Text(
        f"nn.BatchNorm1d(1) (momentum = 0.1) starts with running_mean = {fmt(rm0)} and running_var = {fmt(rv0)} "
        f"({init_en}). In training mode it sees {'this batch' if n_steps == 1 else 'these batches'} of a single "
        f"feature:\n{shown}\nWhat are (running_mean, running_var) afterwards? Give 3 decimals. {VECTOR_HINT.en}",
        f"nn.BatchNorm1d(1)（momentum = 0.1）的 running_mean = {fmt(rm0)}，running_var = {fmt(rv0)}（{init_zh}）。"
        f"训练模式下依次输入以下单特征批次：\n{shown_zh}\n之后 (running_mean, running_var) 是多少？保留 3 位小数。"
        f"{VECTOR_HINT.zh}",
    )
    # Numbered: 1 the rule, then per batch its statistics (2, 4) and the running update (3, 5).
    en.insert(
        0,
        "Each training step: running = (1 − momentum)·running + momentum·batch statistic. The batch is normalised "
        "with the biased variance, but running_var is updated with the unbiased one (× N/(N − 1)).",
    )
    zh.insert(
        0,
        "每个训练步：running = (1 − momentum)·running + momentum·本批统计量。归一化本批数据用的是有偏方差，"
        "而更新 running_var 用的是无偏方差（乘以 N/(N − 1)）。",
    )
    solution = Text(
        "\n".join(f"{i}. {line}" for i, line in enumerate(en, 1)) + f"\nAnswer: {fmt_vec(answer, 3)}",
        "\n".join(f"{i}. {line}" for i, line in enumerate(zh, 1)) + f"\n答案：{fmt_vec(answer, 3)}",
    )
    return Draft(
        params={
            "batches": [b.tolist() for b in batches],
            "running_mean": rm0,
            "running_var": rv0,
            "momentum": momentum,
        },
        prompt=prompt,
        answer=answer,
        answer_kind=AnswerKind.VECTOR,
        solution=solution,
        tolerance=decimals(3),
    )


# ---------------------------------------------------------------------------------------------
# Named mistakes and PyTorch snippets
# ---------------------------------------------------------------------------------------------


def _z(q: Params) -> np.ndarray[Any, Any]:
    return np.asarray(q["logits"], dtype=np.float64)


def _floats(a: np.ndarray[Any, Any]) -> list[float]:
    return [float(v) for v in a]


@mistake(
    "softmax_values",
    "not-normalised",
    step=4,
    text=Text(
        "You stopped at e^(zᵢ); softmax divides each by their sum S.",
        "你只算到 e^(zᵢ)；softmax 还要各自除以它们的和 S。",
    ),
)
def _softmax_unnormalised(q: Params) -> Answer:
    return _floats(np.exp(_z(q)))


@mistake(
    "softmax_values",
    "divided-by-max",
    step=4,
    text=Text(
        "You divided by the largest e^(zⱼ) (the max-subtraction trick); softmax divides by the sum of all of them.",
        "你除以了最大的 e^(zⱼ)（减最大值的数值技巧）；softmax 要除以所有 e^(zⱼ) 之和。",
    ),
)
def _softmax_by_max(q: Params) -> Answer:
    z = _z(q)
    return _floats(np.exp(z - z.max()))


@torch_snippet("softmax_values")
def _softmax_torch(q: Params) -> str:
    return (
        "import torch\n\n"
        f"z = torch.tensor({_floats(_z(q))}, dtype=torch.float64)\n"
        "print(torch.softmax(z, dim=0).tolist())\n"
    )


_LOG_BASE_10 = Text(
    "You used log base 10; cross-entropy uses the natural log ln.", "你用了以 10 为底的对数；交叉熵用自然对数 ln。"
)


def _ce(q: Params) -> float:
    z = _z(q)
    return float(np.log(np.exp(z).sum()) - z[q["target"]])


@mistake(
    "softmax_cross_entropy",
    "log-base-10",
    step=5,
    text=_LOG_BASE_10,
)
def _ce_log10(q: Params) -> Answer:
    return _ce(q) / float(np.log(10))


@mistake(
    "softmax_cross_entropy",
    "dropped-minus",
    step=5,
    text=Text("You dropped the minus sign: L = −ln p_t is positive.", "你漏掉了负号：L = −ln p_t 是正数。"),
)
def _ce_negative(q: Params) -> Answer:
    return -_ce(q)


@torch_snippet("softmax_cross_entropy")
def _ce_torch(q: Params) -> str:
    return (
        "import torch\nimport torch.nn.functional as F\n\n"
        f"z = torch.tensor([{_floats(_z(q))}], dtype=torch.float64)  # one example, (N, C)\n"
        f"print(F.cross_entropy(z, torch.tensor([{q['target']}])).item())\n"
    )


def _probs(q: Params) -> np.ndarray[Any, Any]:
    z = _z(q)
    e = np.exp(z - z.max())
    out: np.ndarray[Any, Any] = e / e.sum()
    return out


@mistake(
    "softmax_ce_gradient",
    "forgot-minus-y",
    step=6,
    text=Text(
        "You gave p; the gradient is p − y (subtract 1 at the true class).",
        "你给出的是 p；梯度是 p − y（真实类别处减 1）。",
    ),
)
def _ce_grad_p(q: Params) -> Answer:
    return _floats(_probs(q))


@mistake(
    "softmax_ce_gradient",
    "y-minus-p",
    step=6,
    text=Text(
        "You computed y − p; the gradient of the loss is p − y (y − p is the direction descent moves the logits).",
        "你算的是 y − p；损失的梯度是 p − y（y − p 是梯度下降移动 logits 的方向）。",
    ),
)
def _ce_grad_flipped(q: Params) -> Answer:
    y = np.zeros(len(q["logits"]))
    y[q["target"]] = 1.0
    return _floats(y - _probs(q))


@torch_snippet("softmax_ce_gradient")
def _ce_grad_torch(q: Params) -> str:
    return (
        "import torch\nimport torch.nn.functional as F\n\n"
        f"z = torch.tensor([{_floats(_z(q))}], dtype=torch.float64, requires_grad=True)\n"
        f"F.cross_entropy(z, torch.tensor([{q['target']}])).backward()\n"
        "print(z.grad[0].tolist())\n"
    )


def _onehot_losses(q: Params) -> np.ndarray[Any, Any]:
    p = np.asarray(q["probs"], dtype=np.float64)
    y = np.asarray(q["onehot"], dtype=np.float64)
    return np.asarray(-(y * np.log(p)).sum(axis=1))


@mistake(
    "cross_entropy_onehot",
    "log-base-10",
    step=2,
    text=_LOG_BASE_10,
)
def _onehot_log10(q: Params) -> Answer:
    return float(_onehot_losses(q).mean() / np.log(10))


@mistake(
    "cross_entropy_onehot",
    "dropped-minus",
    step=2,
    text=Text("You dropped the minus sign: L = −ln p_true is positive.", "你漏掉了负号：L = −ln p_true 是正数。"),
)
def _onehot_negative(q: Params) -> Answer:
    return float(-_onehot_losses(q).mean())


@torch_snippet("cross_entropy_onehot")
def _onehot_torch(q: Params) -> str:
    return (
        "import torch\nimport torch.nn.functional as F\n\n"
        f"p = torch.tensor({q['probs']}, dtype=torch.float64)  # probabilities already\n"
        f"y = torch.tensor({q['onehot']}).argmax(dim=1)\n"
        "print(F.nll_loss(p.log(), y).item())  # mean of −ln p_true\n"
    )


def _act_value(name: str, x: float) -> float:
    if name == "sigmoid":
        return float(1 / (1 + np.exp(-x)))
    if name == "tanh":
        return float(np.tanh(x))
    return max(0.0, x)


@mistake(
    "activation_derivative",
    "swapped-formulas",
    step=3,
    text=Text(
        "You used the other activation's derivative formula: σ′ = σ(1 − σ), tanh′ = 1 − tanh², ReLU′ is 0 or 1.",
        "你用错了导数公式：σ′ = σ(1 − σ)，tanh′ = 1 − tanh²，ReLU′ 只取 0 或 1。",
    ),
    applies=lambda q: q["activation"] != "relu" or (q["x"] > 0 and q["x"] != 1),
)
def _act_swapped(q: Params) -> Answer:
    name, x = q["activation"], float(q["x"])
    f = _act_value(name, x)
    d = {"sigmoid": 1 - f * f, "tanh": f * (1 - f), "relu": f}[name]
    return [f, float(d)]


@mistake(
    "activation_derivative",
    "used-x",
    step=3,
    text=Text(
        "You put x into the derivative formula where the activation's output belongs (σ′ = σ(1 − σ) uses σ(x), not x).",
        "你把 x 代入了导数公式中本应是激活输出的位置（σ′ = σ(1 − σ) 用的是 σ(x)，不是 x）。",
    ),
)
def _act_used_x(q: Params) -> Answer:
    name, x = q["activation"], float(q["x"])
    f = _act_value(name, x)
    d = {"sigmoid": x * (1 - x), "tanh": 1 - x * x, "relu": 0.0 if x > 0 else 1.0}[name]
    return [f, float(d)]


@torch_snippet("activation_derivative")
def _act_torch(q: Params) -> str:
    return (
        "import torch\n\n"
        f"x = torch.tensor({float(q['x'])}, dtype=torch.float64, requires_grad=True)\n"
        f"y = torch.{q['activation']}(x)\n"
        "y.backward()\n"
        "print([y.item(), x.grad.item()])  # (value, derivative)\n"
    )


def _arr2(v: Any) -> np.ndarray[Any, Any]:
    return np.asarray(v, dtype=np.float64)


def _mlp(q: Params, *, relu: bool = True, bias: bool = True) -> Answer:
    x = np.asarray(q["x"], dtype=np.float64)
    w1, w2 = np.asarray(q["W1"], dtype=np.float64), np.asarray(q["W2"], dtype=np.float64)
    b1 = np.asarray(q["b1"], dtype=np.float64) if bias else 0.0
    b2 = np.asarray(q["b2"], dtype=np.float64) if bias else 0.0
    z = w1 @ x + b1
    h = np.maximum(z, 0) if relu else z
    out = w2 @ h + b2
    return float(out[0]) if out.size == 1 else _floats(out)


@mistake(
    "mlp_forward",
    "no-activation",
    step=2,
    text=Text(
        "You skipped the ReLU: negative pre-activations become 0 before the output layer.",
        "你漏掉了 ReLU：负的预激活值在进入输出层前要变成 0。",
    ),
    applies=lambda q: bool(np.any(_arr2(q["W1"]) @ _arr2(q["x"]) + _arr2(q["b1"]) < 0)),
)
def _mlp_no_relu(q: Params) -> Answer:
    return _mlp(q, relu=False)


@mistake(
    "mlp_forward",
    "no-bias",
    step=1,
    text=Text("You left out the biases b₁ and b₂.", "你漏加了偏置 b₁ 和 b₂。"),
    applies=lambda q: any(q["b1"]) or any(q["b2"]),
)
def _mlp_no_bias(q: Params) -> Answer:
    return _mlp(q, bias=False)


@torch_snippet("mlp_forward")
def _mlp_torch(q: Params) -> str:
    return (
        "import torch\nimport torch.nn.functional as F\n\n"
        f"x = torch.tensor({q['x']}, dtype=torch.float64)\n"
        f"h = F.relu(F.linear(x, torch.tensor({q['W1']}, dtype=torch.float64), "
        f"torch.tensor({q['b1']}, dtype=torch.float64)))\n"
        f"y = F.linear(h, torch.tensor({q['W2']}, dtype=torch.float64), torch.tensor({q['b2']}, dtype=torch.float64))\n"
        "print(y.item() if y.numel() == 1 else y.tolist())\n"
    )


def _sigmoid_mse_grad(q: Params, *, grad_scale: float = 1.0, skip_sigma_prime: bool = False) -> float:
    if q["network"] == "neuron":
        x = np.asarray(q["x"], dtype=np.float64)
        w = np.asarray(q["w"], dtype=np.float64)
        yhat = 1 / (1 + np.exp(-(w @ x + q["b"])))
        s_prime = 1.0 if skip_sigma_prime else yhat * (1 - yhat)
        return float(grad_scale * (yhat - q["y"]) * s_prime * x[q["wrt"]])
    h = 1 / (1 + np.exp(-(q["w1"] * q["x"] + q["b1"])))
    yhat = q["w2"] * h + q["b2"]
    s_prime = 1.0 if skip_sigma_prime else h * (1 - h)
    return float(grad_scale * (yhat - q["y"]) * q["w2"] * s_prime * q["x"])


@mistake(
    "backprop_sigmoid_mse",
    "no-sigmoid-derivative",
    step=3,
    text=Text(
        "You left out the sigmoid's derivative σ′(z) = σ(z)(1 − σ(z)) in the chain.",
        "你在链式法则中漏乘了 sigmoid 的导数 σ′(z) = σ(z)(1 − σ(z))。",
    ),
)
def _sig_mse_no_prime(q: Params) -> Answer:
    return _sigmoid_mse_grad(q, skip_sigma_prime=True)


@mistake(
    "backprop_sigmoid_mse",
    "sign-flipped",
    step=2,
    text=Text(
        "You used y − ŷ; the derivative of ½(ŷ − y)² with respect to ŷ is ŷ − y.",
        "你用了 y − ŷ；½(ŷ − y)² 对 ŷ 的导数是 ŷ − y。",
    ),
)
def _sig_mse_sign(q: Params) -> Answer:
    return _sigmoid_mse_grad(q, grad_scale=-1.0)


@torch_snippet("backprop_sigmoid_mse")
def _sig_mse_torch(q: Params) -> str:
    if q["network"] == "neuron":
        return (
            "import torch\n\n"
            f"x = torch.tensor({[float(v) for v in q['x']]}, dtype=torch.float64)\n"
            f"w = torch.tensor({[float(v) for v in q['w']]}, dtype=torch.float64, requires_grad=True)\n"
            f"y_hat = torch.sigmoid(w @ x + {q['b']})\n"
            f"loss = 0.5 * (y_hat - {q['y']}) ** 2\n"
            "loss.backward()\n"
            f"print(w.grad[{q['wrt']}].item())\n"
        )
    return (
        "import torch\n\n"
        f"w1 = torch.tensor({float(q['w1'])}, dtype=torch.float64, requires_grad=True)\n"
        f"h = torch.sigmoid(w1 * {q['x']} + {q['b1']})\n"
        f"y_hat = {q['w2']} * h + {q['b2']}\n"
        f"loss = 0.5 * (y_hat - {q['y']}) ** 2\n"
        "loss.backward()\n"
        "print(w1.grad.item())\n"
    )


def _local_factor_nonzero(q: Params) -> bool:
    """Whether the asked weight's own input (h_col for W₂; x_col through a live ReLU for W₁) is non-zero
    and, for W₁, the output errors do not cancel at its hidden unit (with two classes δ = (a, −a), so
    they cancel when both output weights from that unit are equal): otherwise ∂L/∂W is 0 whatever
    happens further up the chain, and no slip there shows."""
    x = np.asarray(q["x"], dtype=np.float64)
    a = np.asarray(q["W1"], dtype=np.float64) @ x + np.asarray(q["b1"], dtype=np.float64)
    row, col = q["wrt"]["row"], q["wrt"]["col"]
    if q["wrt"]["param"] == "W2":
        return bool(a[col] > 0)
    w2 = q["W2"]
    return bool(a[row] > 0 and x[col] != 0 and w2[0][row] != w2[1][row])


def _relu_ce_grad(q: Params, *, relu_prime_one: bool = False, sign: float = 1.0) -> float:
    x = np.asarray(q["x"], dtype=np.float64)
    w1, w2 = np.asarray(q["W1"], dtype=np.float64), np.asarray(q["W2"], dtype=np.float64)
    a = w1 @ x + np.asarray(q["b1"], dtype=np.float64)
    h = np.maximum(a, 0)
    z = w2 @ h + np.asarray(q["b2"], dtype=np.float64)
    p = np.exp(z - z.max())
    p /= p.sum()
    y = np.zeros(2)
    y[q["target"]] = 1.0
    delta = sign * (p - y)
    wrt = q["wrt"]
    row, col = wrt["row"], wrt["col"]
    if wrt["param"] == "W2":
        return float(delta[row] * h[col])
    d_h = w2.T @ delta
    prime = np.ones(2) if relu_prime_one else (a > 0).astype(float)
    return float(d_h[row] * prime[row] * x[col])


@mistake(
    "backprop_relu_ce",
    "y-minus-p",
    step=4,
    text=Text("You used y − p at the output; ∂L/∂z = p − y.", "你在输出层用了 y − p；∂L/∂z = p − y。"),
    applies=_local_factor_nonzero,
)
def _relu_ce_sign(q: Params) -> Answer:
    return _relu_ce_grad(q, sign=-1.0)


@mistake(
    "backprop_relu_ce",
    "softmax-ignored",
    step=3,
    text=Text(
        "You took the logits as probabilities (no softmax): δ = z − y instead of p − y.",
        "你把 logits 当成了概率（没有做 softmax）：用了 δ = z − y，而不是 p − y。",
    ),
    applies=_local_factor_nonzero,
)
def _relu_ce_no_softmax(q: Params) -> Answer:
    x = np.asarray(q["x"], dtype=np.float64)
    w1, w2 = np.asarray(q["W1"], dtype=np.float64), np.asarray(q["W2"], dtype=np.float64)
    a = w1 @ x + np.asarray(q["b1"], dtype=np.float64)
    h = np.maximum(a, 0)
    z = w2 @ h + np.asarray(q["b2"], dtype=np.float64)
    y = np.zeros(2)
    y[q["target"]] = 1.0
    delta = z - y
    row, col = q["wrt"]["row"], q["wrt"]["col"]
    if q["wrt"]["param"] == "W2":
        return float(delta[row] * h[col])
    return float((w2.T @ delta)[row] * float(a[row] > 0) * x[col])


@torch_snippet("backprop_relu_ce")
def _relu_ce_torch(q: Params) -> str:
    wrt = q["wrt"]
    return (
        "import torch\nimport torch.nn.functional as F\n\n"
        f"x = torch.tensor({q['x']}, dtype=torch.float64)\n"
        f"W1 = torch.tensor({q['W1']}, dtype=torch.float64, requires_grad=True)\n"
        f"b1 = torch.tensor({q['b1']}, dtype=torch.float64)\n"
        f"W2 = torch.tensor({q['W2']}, dtype=torch.float64, requires_grad=True)\n"
        f"b2 = torch.tensor({q['b2']}, dtype=torch.float64)\n"
        "z = F.linear(F.relu(F.linear(x, W1, b1)), W2, b2)\n"
        f"F.cross_entropy(z[None], torch.tensor([{q['target']}])).backward()\n"
        f"print({wrt['param']}.grad[{wrt['row']}, {wrt['col']}].item())\n"
    )


def _dropout(q: Params, scale: float) -> Answer:
    x = np.asarray(q["x"], dtype=np.float64)
    return _floats(x * np.asarray(q["mask"]) * scale)


@mistake(
    "dropout_inverted",
    "no-scaling",
    step=1,
    text=Text(
        "You zeroed the dropped units but did not scale the kept ones by 1/(1 − p).",
        "你把被丢弃的单元置零了，但没有把保留的单元乘以 1/(1 − p)。",
    ),
)
def _dropout_no_scale(q: Params) -> Answer:
    return _dropout(q, 1.0)


@mistake(
    "dropout_inverted",
    "scaled-by-keep",
    step=1,
    text=Text(
        "You multiplied by (1 − p); inverted dropout divides by it during training.",
        "你乘了 (1 − p)；反向 dropout（inverted dropout）在训练时是除以 (1 − p)。",
    ),
)
def _dropout_times_keep(q: Params) -> Answer:
    return _dropout(q, 1 - q["p"])


@torch_snippet("dropout_inverted")
def _dropout_torch(q: Params) -> str:
    return (
        "import torch\n\n"
        f"x = torch.tensor({[float(v) for v in q['x']]})\n"
        f"mask = torch.tensor({q['mask']}, dtype=torch.float32)  # the units nn.Dropout kept\n"
        f"p = {q['p']}\n"
        "print((x * mask / (1 - p)).tolist())  # what nn.Dropout(p) does in training mode\n"
    )


def _bn(q: Params, *, unbiased: bool = False, variance: bool = False) -> Answer:
    x = np.asarray(q["x"], dtype=np.float64)
    mu = x.mean(axis=0)
    var = x.var(axis=0, ddof=1 if unbiased else 0)
    scale = var + q["eps"] if variance else np.sqrt(var + q["eps"])
    y = (x - mu) / scale * np.asarray(q["gamma"]) + np.asarray(q["beta"])
    return [[float(v) for v in row] for row in y]


@mistake(
    "batchnorm_forward",
    "unbiased-variance",
    step=2,
    text=Text(
        "You normalised with the unbiased variance (÷ (N − 1)); BatchNorm normalises with the biased one (÷ N).",
        "你用无偏方差（除以 N − 1）做了归一化；批量归一化用有偏方差（除以 N）。",
    ),
)
def _bn_unbiased(q: Params) -> Answer:
    return _bn(q, unbiased=True)


@mistake(
    "batchnorm_forward",
    "divided-by-variance",
    step=3,
    text=Text("You divided by σ² instead of √(σ² + ε).", "你除以了 σ²，应当除以 √(σ² + ε)。"),
    applies=lambda q: bool(np.any(np.asarray(q["x"], dtype=np.float64).var(axis=0) != 1)),
)
def _bn_by_variance(q: Params) -> Answer:
    return _bn(q, variance=True)


@torch_snippet("batchnorm_forward")
def _bn_torch(q: Params) -> str:
    n = len(q["gamma"])
    return (
        "import torch\nfrom torch import nn\n\n"
        f"bn = nn.BatchNorm1d({n}, eps={q['eps']}, dtype=torch.float64)  # training mode\n"
        "with torch.no_grad():\n"
        f"    bn.weight.copy_(torch.tensor({q['gamma']}))\n"
        f"    bn.bias.copy_(torch.tensor({q['beta']}))\n"
        f"    y = bn(torch.tensor({q['x']}, dtype=torch.float64))\n"
        "print(y.tolist())\n"
    )


def _running(q: Params, *, biased: bool = False, swapped: bool = False) -> Answer:
    mean, var, m = float(q["running_mean"]), float(q["running_var"]), q["momentum"]
    if swapped:
        m = 1 - m
    for batch in q["batches"]:
        b = np.asarray(batch, dtype=np.float64)
        mean = (1 - m) * mean + m * float(b.mean())
        var = (1 - m) * var + m * float(b.var(ddof=0 if biased else 1))
    return [mean, var]


@mistake(
    "batchnorm_running_stats",
    "biased-running-var",
    step=2,
    text=Text(
        "You updated running_var with the biased variance; PyTorch uses the unbiased one (× N/(N − 1)).",
        "你用有偏方差更新了 running_var；PyTorch 用无偏方差（乘以 N/(N − 1)）。",
    ),
)
def _running_biased(q: Params) -> Answer:
    return _running(q, biased=True)


@mistake(
    "batchnorm_running_stats",
    "momentum-reversed",
    step=3,
    text=Text(
        "You weighted the old value by momentum; PyTorch keeps (1 − momentum) of it: "
        "running ← (1 − m)·running + m·batch.",
        "你把 momentum 乘在了旧值上；PyTorch 是 running ← (1 − m)·running + m·batch。",
    ),
)
def _running_swapped(q: Params) -> Answer:
    return _running(q, swapped=True)


@torch_snippet("batchnorm_running_stats")
def _running_torch(q: Params) -> str:
    return (
        "import torch\nfrom torch import nn\n\n"
        f"bn = nn.BatchNorm1d(1, momentum={q['momentum']}, dtype=torch.float64)\n"
        f"bn.running_mean.fill_({q['running_mean']})\n"
        f"bn.running_var.fill_({q['running_var']})\n"
        f"for batch in {q['batches']}:\n"
        "    bn(torch.tensor(batch, dtype=torch.float64)[:, None])  # training mode updates the stats\n"
        "print([bn.running_mean.item(), bn.running_var.item()])\n"
    )


# ---------------------------------------------------------------------------------------------
# Levels: 1 the plain cases, 2 today's mix (the default), 3 the cases with the most to compute
# ---------------------------------------------------------------------------------------------


def _not_round(values: Any) -> int:
    return int(any(not float(v).is_integer() for v in np.ravel(values)))


three_levels("softmax_values", lambda q: len(q["logits"]) + 2 * _not_round(q["logits"]), easy_max=3, hard_min=5)
three_levels("softmax_cross_entropy", lambda q: len(q["logits"]) + 2 * _not_round(q["logits"]), easy_max=3, hard_min=5)
three_levels("softmax_ce_gradient", lambda q: len(q["logits"]) + 2 * _not_round(q["logits"]), easy_max=3, hard_min=5)
three_levels("cross_entropy_onehot", lambda q: len(q["probs"]) + len(q["probs"][0]) / 10, easy_max=1.5, hard_min=2.35)
three_levels("activation_derivative", lambda q: {"relu": 0, "sigmoid": 1, "tanh": 2}[q["activation"]])
three_levels("mlp_forward", lambda q: len(q["W1"]) + len(q["W2"]), easy_max=3, hard_min=5)
three_levels("backprop_sigmoid_mse", lambda q: 2 * (q["network"] == "hidden"))
three_levels("backprop_relu_ce", lambda q: 2 * (q["wrt"]["param"] == "W1"))
three_levels("dropout_inverted", lambda q: len(q["x"]) + (q["p"] not in (0.5,)), easy_max=4, hard_min=6)
three_levels(
    "batchnorm_forward",
    lambda q: len(q["gamma"]) + (any(g != 1 for g in q["gamma"]) or any(b != 0 for b in q["beta"])),
    easy_max=1,
    hard_min=3,
)
three_levels(
    "batchnorm_running_stats", lambda q: len(q["batches"]) + len(q["batches"][0]) / 10, easy_max=1.5, hard_min=2
)


typeset_minus_signs(__name__)
