"""Every number and PyTorch default stated in the modern-round cards, recomputed with torch.

The cards live in question_bank/train_norms.yaml (train.norms), arch_blocks.yaml (arch.blocks) and
train_efficient.yaml (train.efficient). Each card that states a number has a fact function below that
recomputes it independently: normalisation layers with nn.LayerNorm / nn.GroupNorm / nn.RMSNorm /
nn.InstanceNorm2d (outputs, parameter counts, defaults via inspect.signature), blocks by counting the parameters
of real modules and running nn.ChannelShuffle and F.hardswish, number formats with torch.finfo and real casts,
GradScaler's defaults from its signature and its behaviour by running it, quantisation with
torch.quantize_per_tensor, memory by measuring a real mixed-precision set-up, gradient accumulation and ring
traffic by running them. A fact function returns (see tests/bank/facts.py):

- ``stated``: computed values formatted as the card writes them; each must appear in both languages;
- ``phrases``: exact phrases built from torch's real defaults (``eps=1e-05``);
- ``givens``: the problem's inputs (a width, an image size, a year, a paper's setting);
- ``answer`` for numeric cards and ``correct`` for choice cards, compared with the card.

Every number token in every card must be a stated fact, a given, a number inside a checked phrase, or a small
structural integer (0–10). Dedicated tests check the rules the cards teach (LayerNorm is the same in train and
eval, RMSNorm does not centre, GroupNorm's extremes, accumulation equals the full batch except for BatchNorm).
"""

from __future__ import annotations

import math
import re
import warnings
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from quizforge.numeric.oracle import oracles
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

FILES = ("train_norms.yaml", "arch_blocks.yaml", "train_efficient.yaml")
PREFIXES = {"train.norms": "norm-", "arch.blocks": "blk-", "train.efficient": "eff-"}
D = torch.float64

load_cards, card = bank.card_loaders(FILES)

# Model names carry numbers that are names, not claims.
MODEL_NAME = re.compile(r"\b(?:ResNet|ResNeXt|VGG)-\d+")


def numbers_in(text: str) -> set[str]:
    """Every number token in ``text``, model names skipped (glued to an ASCII word it is a name: fp16, E4M3)."""
    return number_tokens(text, NUMBER_SCI, MODEL_NAME)


REGISTRY: dict[str, FactFn] = {}
facts = fact_registrar(REGISTRY)


g = bank.givens


def finfo(dtype: torch.dtype) -> torch.finfo:
    return torch.finfo(dtype)


def mantissa_bits(dtype: torch.dtype) -> int:
    """Explicit mantissa bits: the gap between 1 and the next number is 2^-bits (finfo's eps)."""
    return round(-math.log2(finfo(dtype).eps))


def exponent_bits(dtype: torch.dtype) -> int:
    """Exponent bits of an IEEE-style format: 1 + log2(emax + 1), emax from the largest finite value."""
    emax = math.floor(math.log2(finfo(dtype).max))
    return round(math.log2(emax + 1)) + 1


def smallest_positive(dtype: torch.dtype) -> float:
    """The smallest positive value of ``dtype`` (a subnormal), found by halving until the cast gives zero."""
    v = torch.tensor(1.0, dtype=dtype)
    while (half := v / 2) > 0:
        v = half
    return num(v.double())


# -------------------------------------------------------------------------------------------------
# train.norms
# -------------------------------------------------------------------------------------------------


@facts("norm-layernorm-train-eval")
def _ln_train_eval() -> Facts:
    torch.manual_seed(0)
    ln, x = nn.LayerNorm(16), torch.randn(100, 16)
    train_out = ln.train()(x)
    eval_out = ln.eval()(x)
    assert torch.equal(train_out, eval_out)
    assert dict(ln.named_buffers()) == {}
    assert {n for n, _ in ln.named_parameters()} == {"weight", "bias"}
    # a batch of 1 gives the same output for that example as a batch of 100
    assert torch.allclose(ln(x[:1]), eval_out[:1])
    return Facts(givens=g(100))


@facts("norm-groupnorm-how")
def _gn_how() -> Facts:
    # G = 32 is the GroupNorm paper's default (Wu and He, 2018): a documented given, not a torch default.
    assert "num_groups" not in defaults(nn.GroupNorm)
    return Facts(givens=g(32))


@facts("norm-scenario-batch-size-2")
def _scenario_bs2() -> Facts:
    return Facts(givens=g(1024, 32))


@facts("norm-layernorm-params")
def _ln_params() -> Facts:
    ln = nn.LayerNorm(768)
    return Facts(stated={"params": str(n_params(ln))}, givens=g(768), answer=n_params(ln))


@facts("norm-layernorm-defaults")
def _ln_defaults() -> Facts:
    ln = nn.LayerNorm(768)
    assert torch.equal(ln.weight, torch.ones(768)) and torch.equal(ln.bias, torch.zeros(768))
    assert dict(ln.named_buffers()) == {}
    return Facts(
        stated={"params": str(n_params(ln))},
        givens=g(768),
        phrases=(kw(nn.LayerNorm, "eps"), kw(nn.LayerNorm, "elementwise_affine"), kw(nn.LayerNorm, "bias")),
        answer=n_params(ln),
    )


def test_layernorm_puts_eps_inside_the_root_on_the_biased_variance() -> None:
    # eps = 1 makes the placement visible: (x − μ)/√(σ² + 1) with σ² dividing by D.
    x = torch.tensor([[1.0, 2.0, 3.0, 6.0]], dtype=D)
    got = nn.LayerNorm(4, eps=1.0).double()(x)
    mu, var = x.mean(), ((x - x.mean()) ** 2).sum() / 4
    assert torch.allclose(got, (x - mu) / torch.sqrt(var + 1))
    std_unbiased = x.std()  # torch's default std divides by D − 1
    assert not torch.allclose(got, (x - mu) / (std_unbiased + 1))


@facts("norm-choice-eps-placement")
def _eps_choice() -> Facts:
    q = card("norm-choice-eps-placement")
    x = torch.tensor([1.0, 2.0, 3.0, 6.0], dtype=D)
    eps = 0.5  # large enough to tell the formulas apart
    truth = F.layer_norm(x, (4,), eps=eps)
    mu = x.mean()
    formulas = {
        "(x − mean)/(std + eps), std with D − 1": (x - mu) / (x.std() + eps),
        "(x − mean)/√(var + eps), var dividing by D": (x - mu) / torch.sqrt(x.var(unbiased=False) + eps),
        "x/√(mean(x²) + eps)": x / torch.sqrt((x * x).mean() + eps),
        "(x − mean)/√(var + eps), var dividing by D − 1": (x - mu) / torch.sqrt(x.var() + eps),
    }
    right = [choice_index(q, text) for text, y in formulas.items() if torch.allclose(y, truth)]
    return Facts(correct=right)


@facts("norm-choice-layernorm-eval")
def _ln_eval_choice() -> Facts:
    torch.manual_seed(1)
    ln, x = nn.LayerNorm(512), torch.randn(3, 512)
    with torch.no_grad():
        ln.weight.uniform_(0.5, 2)
        ln.bias.uniform_(-1, 1)
    unchanged = torch.equal(ln.train()(x), ln.eval()(x))
    assert unchanged
    return Facts(
        givens=g(512),
        correct=[
            choice_index(
                card("norm-choice-layernorm-eval"), "Nothing changes: it uses the input's own statistics in both modes"
            )
        ],
    )


@facts("norm-choice-rmsnorm-params")
def _rms_params_choice() -> Facts:
    rms, ln = nn.RMSNorm(512), nn.LayerNorm(512)
    names = {n for n, _ in rms.named_parameters()}
    assert names == {"weight"} and dict(rms.named_buffers()) == {}
    assert defaults(nn.RMSNorm)["elementwise_affine"] is True
    q = card("norm-choice-rmsnorm-params")
    return Facts(
        stated={"rms": str(n_params(rms)), "layernorm": str(n_params(ln))},
        correct=[choice_index(q, f"Only a weight of {n_params(rms)} values")],
    )


@facts("norm-groupnorm-params")
def _gn_params() -> Facts:
    gn = nn.GroupNorm(32, 256)
    assert gn.weight.shape == (256,)  # per channel, not per group
    return Facts(givens=g(32, 256), stated={"params": str(n_params(gn))}, answer=n_params(gn))


@facts("norm-layernorm-by-hand")
def _ln_by_hand() -> Facts:
    x = torch.tensor([1.0, 2.0, 3.0, 6.0], dtype=D)
    y = F.layer_norm(x, (4,), eps=1e-5)
    var = x.var(unbiased=False)
    return Facts(
        givens=g(1, 2, 3, 6),
        phrases=("1e-5",),
        stated={
            "sum": whole(x.sum()),
            "var": dec(var, 1),
            "std": dec(torch.sqrt(var), 3),
            **{f"y{i}": dec(v, 3) for i, v in enumerate(y) if abs(num(v)) > 1e-9},
        },
        answer=[round(num(v), 3) for v in y],
    )


@facts("norm-rmsnorm-by-hand")
def _rms_by_hand() -> Facts:
    x = torch.tensor([[3.0, 3.0, 3.0, 3.0]], dtype=D)
    y = nn.RMSNorm(4, eps=1e-6).double()(x)
    assert torch.allclose(nn.LayerNorm(4).double()(x), torch.zeros_like(x))  # LayerNorm centres to zero
    return Facts(phrases=("eps=1e-6",), answer=y[0].tolist())


def test_rmsnorm_is_x_over_rms_times_gain_without_centring() -> None:
    torch.manual_seed(2)
    x, norm = torch.randn(5, 8, dtype=D) + 3, nn.RMSNorm(8, eps=1e-6).double()
    with torch.no_grad():
        norm.weight.uniform_(0.5, 2)
    expected = x / torch.sqrt((x * x).mean(-1, keepdim=True) + 1e-6) * norm.weight
    assert torch.allclose(norm(x), expected)
    assert not torch.allclose(norm(x), nn.LayerNorm(8, eps=1e-6).double()(x) * norm.weight)


def test_groupnorm_extremes_are_instancenorm_and_layernorm() -> None:
    torch.manual_seed(3)
    x = torch.randn(2, 6, 4, 4, dtype=D)
    as_instance = nn.GroupNorm(6, 6, affine=False).double()(x)
    assert torch.allclose(as_instance, F.instance_norm(x))
    as_layer = nn.GroupNorm(1, 6, affine=False).double()(x)
    assert torch.allclose(as_layer, F.layer_norm(x, (6, 4, 4)))
    # GroupNorm never looks at the other examples: example 0 alone gives the same output
    assert torch.allclose(nn.GroupNorm(3, 6).double()(x[:1]), nn.GroupNorm(3, 6).double()(x)[:1])


@facts("norm-choice-groupnorm-special-cases")
def _gn_choice() -> Facts:
    test_groupnorm_extremes_are_instancenorm_and_layernorm()
    assert dict(nn.GroupNorm(2, 4).named_buffers()) == {}
    q = card("norm-choice-groupnorm-special-cases")
    return Facts(correct=[choice_index(q, q["choices"][0]["en"])])


@facts("norm-instancenorm-style")
def _instancenorm() -> Facts:
    layer = nn.InstanceNorm2d(8)
    assert n_params(layer) == 0 and dict(layer.named_buffers()) == {}
    return Facts(phrases=(kw(nn.InstanceNorm2d, "affine"), kw(nn.InstanceNorm2d, "track_running_stats")))


def test_weight_norm_is_g_times_v_over_its_norm() -> None:
    from torch.nn.utils.parametrizations import weight_norm

    torch.manual_seed(4)
    lin = weight_norm(nn.Linear(5, 3))
    g_, v = lin.parametrizations.weight.original0, lin.parametrizations.weight.original1
    assert torch.allclose(lin.weight, g_ * v / v.norm(dim=1, keepdim=True))


# -------------------------------------------------------------------------------------------------
# arch.blocks
# -------------------------------------------------------------------------------------------------


def se_block(c: int, r: int) -> nn.Module:
    return nn.Sequential(
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, c // r), nn.ReLU(), nn.Linear(c // r, c), nn.Sigmoid()
    )


@facts("blk-se-block")
def _se() -> Facts:
    se = se_block(256, 16)
    # r = 16 is SENet's setting; 2017 the ILSVRC year it won
    return Facts(givens=g(256, 16, 2017), stated={"total": str(n_params(se))})


@facts("blk-se-params-256")
def _se_worked() -> Facts:
    se = se_block(256, 16)
    squeeze, excite = (m for m in se.modules() if isinstance(m, nn.Linear))
    return Facts(
        givens=g(256, 16),
        stated={
            "squeeze": str(n_params(squeeze)),
            "excite": str(n_params(excite)),
            "total": str(n_params(se)),
        },
        answer=n_params(se),
    )


@facts("blk-grouped-conv")
def _grouped_concept() -> Facts:
    return Facts(givens=g(32))  # ResNeXt 32×4d: 32 groups (cardinality)


@facts("blk-grouped-resnext-params")
def _resnext() -> Facts:
    grouped = nn.Conv2d(128, 128, 3, groups=32, bias=False)
    dense = nn.Conv2d(128, 128, 3, bias=False)
    ratio = n_params(dense) // n_params(grouped)
    assert n_params(dense) == ratio * n_params(grouped)
    return Facts(
        givens=g(128, 32),
        stated={
            "per_filter": str(grouped.weight[0].numel()),
            "grouped": str(n_params(grouped)),
            "dense": str(n_params(dense)),
            "ratio": str(ratio),
        },
        answer=n_params(grouped),
    )


@facts("blk-choice-depthwise-groups")
def _depthwise() -> Facts:
    q = card("blk-choice-depthwise-groups")
    depthwise = nn.Conv2d(64, 64, 3, padding=1, groups=64)
    dense = nn.Conv2d(64, 64, 3, padding=1)
    # depthwise: every output channel depends on exactly one input channel
    x = torch.zeros(1, 64, 5, 5)
    x[0, 7] = 1
    with torch.no_grad():
        assert depthwise.bias is not None
        depthwise.bias.zero_()
        touched = (depthwise(x)[0].abs().sum(dim=(1, 2)) > 0).nonzero().flatten().tolist()
    assert touched == [7]
    return Facts(
        givens=g(64),
        stated={"dw": str(depthwise.weight.numel()), "dense": str(dense.weight.numel())},
        correct=[choice_index(q, "nn.Conv2d(64, 64, 3, padding=1, groups=64)")],
    )


@facts("blk-shuffle-order")
def _shuffle() -> Facts:
    out = nn.ChannelShuffle(3)(torch.arange(6.0).reshape(1, 6, 1, 1)).flatten()
    return Facts(answer=[int(v) for v in out])


def hswish_reference(x: torch.Tensor) -> torch.Tensor:
    return x * F.relu6(x + 3) / 6


def test_hardswish_is_x_relu6_x_plus_3_over_6() -> None:
    x = torch.linspace(-6, 6, 1201, dtype=D)
    assert torch.allclose(F.hardswish(x), hswish_reference(x))
    assert torch.allclose(F.hardsigmoid(x), F.relu6(x + 3) / 6)


@facts("blk-hswish-values")
def _hswish() -> Facts:
    x = torch.tensor([-4.0, -1.0, 1.0, 4.0], dtype=D)
    y = F.hardswish(x)
    return Facts(
        givens=g(4),
        stated={"neg": dec(y[1], 4), "pos": dec(y[2], 4), "num": whole(x[3] * F.relu6(x[3] + 3))},
        answer=[round(num(v), 4) for v in y],
    )


@facts("blk-choice-hswish")
def _hswish_choice() -> Facts:
    q = card("blk-choice-hswish")
    x = torch.linspace(-6, 6, 121, dtype=D)
    candidates = {
        "x·σ(x)": x * torch.sigmoid(x),
        "min(max(x, 0), 6)": torch.clamp(x, 0, 6),
        "x·ReLU6(x + 3)/6": x * F.relu6(x + 3) / 6,
        "ReLU6(x + 3)/6": F.relu6(x + 3) / 6,
    }
    return Facts(correct=[choice_index(q, t) for t, y in candidates.items() if torch.allclose(y, F.hardswish(x))])


# -------------------------------------------------------------------------------------------------
# train.efficient
# -------------------------------------------------------------------------------------------------


GRADSCALER = torch.amp.GradScaler


def gradscaler_phrases() -> tuple[str, ...]:
    return tuple(kw(GRADSCALER, n) for n in ("init_scale", "growth_factor", "backoff_factor", "growth_interval"))


def test_gradscaler_defaults_and_schedule_by_running_it() -> None:
    d = defaults(GRADSCALER)
    assert d["init_scale"] == 2.0**16
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scaler = GRADSCALER("cpu")
    w = nn.Parameter(torch.tensor([1.0]))
    opt = torch.optim.SGD([w], lr=0.1)
    assert scaler.get_scale() == d["init_scale"]
    # an inf gradient: the step is skipped and the scale is multiplied by the backoff factor
    opt.zero_grad()
    scaler.scale(w.sum() * float("inf")).backward()
    scaler.step(opt)
    scaler.update()
    assert torch.equal(w.detach(), torch.tensor([1.0]))
    assert scaler.get_scale() == d["init_scale"] * d["backoff_factor"]
    # growth_interval clean steps later the scale is multiplied by the growth factor
    for step in range(d["growth_interval"]):
        opt.zero_grad()
        scaler.scale(w.sum() * 1e-3).backward()
        scaler.step(opt)
        scaler.update()
        if step < d["growth_interval"] - 1:
            assert scaler.get_scale() == d["init_scale"] * d["backoff_factor"]
    assert scaler.get_scale() == d["init_scale"] * d["backoff_factor"] * d["growth_factor"]


@facts("eff-gradscaler")
def _gradscaler() -> Facts:
    d = defaults(GRADSCALER)
    return Facts(
        phrases=gradscaler_phrases(),
        stated={
            "underflow": sci(smallest_positive(torch.float16), 0),
            "init": whole(d["init_scale"]),
            "backoff": str(d["backoff_factor"]),
            "growth": str(d["growth_factor"]),
            "interval": str(d["growth_interval"]),
        },
    )


@facts("eff-choice-gradscaler-defaults")
def _gradscaler_choice() -> Facts:
    d = defaults(GRADSCALER)
    q = card("eff-choice-gradscaler-defaults")
    right = q["choices"][0]["en"]
    assert d["init_scale"] == 2.0**16 and "2¹⁶" in right
    assert f"after {d['growth_interval']} steps" in right
    assert d["growth_factor"] == 2.0 and "doubles" in right and d["backoff_factor"] == 0.5 and "halves" in right
    return Facts(phrases=gradscaler_phrases(), givens=g(1000), correct=[0])


def format_facts() -> dict[str, str]:
    f16, b16, f32 = finfo(torch.float16), finfo(torch.bfloat16), finfo(torch.float32)
    return {
        "fp16_max": str(int(f16.max)),
        "range": sci(b16.max),
        "fp32_range": sci(f32.max),
        "fp16_normal": sci(f16.smallest_normal),
        "bf16_eps": dec(b16.eps, 4),
        "fp16_eps": f"{f16.eps:.2g}",
    }


@facts("eff-scenario-fp16-vs-bf16")
def _fp16_vs_bf16() -> Facts:
    fmt = format_facts()
    assert exponent_bits(torch.bfloat16) == exponent_bits(torch.float32) == 8
    assert exponent_bits(torch.float16) == 5
    assert mantissa_bits(torch.bfloat16) == 7 and mantissa_bits(torch.float16) == 10
    assert fmt["range"] == fmt["fp32_range"]
    return Facts(stated={k: fmt[k] for k in ("fp16_max", "range", "fp16_normal", "bf16_eps", "fp16_eps")})


@facts("eff-number-formats")
def _formats() -> Facts:
    fmt = format_facts()
    bits = {
        torch.float32: (8, 23),
        torch.bfloat16: (8, 7),
        torch.float16: (5, 10),
    }
    for dtype, (e, m) in bits.items():
        assert (exponent_bits(dtype), mantissa_bits(dtype)) == (e, m), dtype
        assert finfo(dtype).bits == 1 + e + m
    assert mantissa_bits(torch.float8_e4m3fn) == 3 and mantissa_bits(torch.float8_e5m2) == 2
    assert exponent_bits(torch.float8_e5m2) == 5
    assert not torch.backends.cuda.matmul.allow_tf32 and torch.get_float32_matmul_precision() == "highest"
    # tf32 (1/8/10) is not a storage dtype in torch: its bits are NVIDIA's documented format, a given.
    return Facts(
        stated={
            "fp32_mantissa": str(mantissa_bits(torch.float32)),
            "e4m3_max": str(int(finfo(torch.float8_e4m3fn).max)),
            "e5m2_max": str(int(finfo(torch.float8_e5m2).max)),
            "fp16_max": fmt["fp16_max"],
            "range": fmt["range"],
            "fp32_eps": sci(finfo(torch.float32).eps),
            "bf16_eps": fmt["bf16_eps"],
        }
    )


@facts("eff-choice-fp16-overflow")
def _overflow() -> Facts:
    x = torch.tensor(70_000.0)
    half, bf = x.half(), x.bfloat16()
    assert math.isinf(num(half))
    rel = (num(bf.double()) - 70_000) / 70_000 * 100
    q = card("eff-choice-fp16-overflow")
    right = choice_index(q, f"inf in float16 and {int(num(bf.double())):,} in bfloat16")
    return Facts(
        givens=g(70000),
        stated={
            "bf16": str(int(num(bf.double()))),
            "fp16_max": str(int(finfo(torch.float16).max)),
            "rel": dec(rel, 1),
        },
        correct=[right],
    )


@facts("eff-memory-per-parameter")
def _memory() -> Facts:
    def measured(params: dict[str, Any]) -> float:
        return float(oracles()["training_memory"](params))  # type: ignore[arg-type]

    one_gpu = {"num_params_billion": 1, "optimizer": "adam", "zero_stage": 0, "num_gpus": 1}
    per_param = measured(one_gpu)  # GB per billion parameters = bytes per parameter
    total = measured({**one_gpu, "num_params_billion": 7})
    return Facts(
        givens=g(70, 80),  # 70 亿 = 7 billion; an 80 GB GPU
        stated={"bytes": whole(per_param), "total": whole(total)},
        answer=total,
    )


@facts("eff-zero-fsdp")
def _zero() -> Facts:
    def measured(params: dict[str, Any]) -> float:
        return float(oracles()["training_memory"](params))  # type: ignore[arg-type]

    base = {"num_params_billion": 1, "optimizer": "adam", "zero_stage": 0, "num_gpus": 1}
    everything = measured(base)
    # with ZeRO-1 over N GPUs only master weights and Adam states shrink: (full − stage1 on N)·N/(N − 1)
    sharded = (everything - measured({**base, "zero_stage": 1, "num_gpus": 4})) * 4 / 3
    # Communication per step in units of the gradient size: DDP's all-reduce = reduce-scatter + all-gather = 2;
    # stage 3 adds an all-gather of the parameters in forward and again in backward, minus none saved = 3.
    return Facts(stated={"bytes": whole(everything), "sharded": whole(sharded)}, givens=g(1.5))


@facts("eff-scenario-ddp-vs-accumulation")
def _ddp_vs_accum() -> Facts:
    return Facts(givens=g(256, 32))


def accumulated_vs_full(model: nn.Module, x: torch.Tensor, y: torch.Tensor, k: int) -> tuple[list[Any], list[Any]]:
    """Gradients of the full-batch mean loss and of k accumulated micro-batch losses each divided by k."""
    model.zero_grad()
    F.cross_entropy(model(x), y).backward()
    full = [p.grad.clone() for p in model.parameters() if p.grad is not None]
    model.zero_grad()
    for xb, yb in zip(torch.chunk(x, k), torch.chunk(y, k), strict=True):
        (F.cross_entropy(model(xb), yb) / k).backward()
    acc = [p.grad.clone() for p in model.parameters() if p.grad is not None]
    return full, acc


def test_accumulation_equals_the_full_batch_except_with_batchnorm() -> None:
    torch.manual_seed(5)
    x, y = torch.randn(128, 3, 4, 4, dtype=D), torch.randint(0, 5, (128,))
    plain = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(16, 5)).double()
    full, acc = accumulated_vs_full(plain, x, y, 4)
    assert all(torch.allclose(a, b) for a, b in zip(full, acc, strict=True))
    with_bn = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(16, 5)).double()
    full, acc = accumulated_vs_full(with_bn, x, y, 4)
    assert not all(torch.allclose(a, b) for a, b in zip(full, acc, strict=True))


@facts("eff-choice-accumulation-not-equivalent")
def _accum_choice() -> Facts:
    test_accumulation_equals_the_full_batch_except_with_batchnorm()
    q = card("eff-choice-accumulation-not-equivalent")
    return Facts(
        givens=g(128, 32),
        correct=[choice_index(q, "The BatchNorm layers, which normalise with statistics of 32 examples")],
    )


@facts("eff-quantization")
def _quantization() -> Facts:
    q = quantize([0.0, 1000.0], 1.0, 3)
    assert q == [3, int(torch.iinfo(torch.uint8).max)]  # 0.0 maps exactly to the zero point; the top clamps
    assert torch.tensor(0.0).element_size() == 4 * torch.tensor(0, dtype=torch.int8).element_size()
    return Facts(phrases=("0.0",), stated={"qmax": str(torch.iinfo(torch.uint8).max)})


def quantize(x: list[float], scale: float, zero_point: int) -> list[int]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        q = torch.quantize_per_tensor(torch.tensor(x), scale, zero_point, torch.quint8)
    return [int(v) for v in q.int_repr()]


@facts("eff-quantize-by-hand")
def _quantize_by_hand() -> Facts:
    x, scale, zp = [1.2, -1.3, 0.0, 200.0], 0.5, 10
    q = quantize(x, scale, zp)
    ratios = torch.tensor(x, dtype=D) / scale
    unclamped = torch.round(ratios) + zp
    return Facts(
        givens=g(1.2, 1.3, 200, 0.5, 10),
        stated={
            "r0": dec(ratios[0], 1),
            "r1": dec(ratios[1], 1),
            "r3": whole(ratios[3]),
            "u3": whole(unclamped[3]),
            "q0": str(q[0]),
            "qmax": str(torch.iinfo(torch.uint8).max),
        },
        answer=q,
    )


@facts("eff-ring-allreduce-4-gpus")
def _ring() -> Facts:
    sent = float(oracles()["ring_allreduce"]({"num_gpus": 4, "size_mb": 400, "bandwidth_gbs": 0}))  # type: ignore[arg-type]
    return Facts(
        givens=g(4, 400),
        stated={"chunk": whole(400 / 4), "phase": whole(sent / 2), "sent": whole(sent)},
        answer=sent,
    )


@facts("eff-distillation")
def _distillation() -> Facts:
    return Facts(givens=g(2015))


def test_distillation_soft_gradients_shrink_like_one_over_t_squared() -> None:
    # d/ds KL(softmax(t/T) ‖ softmax(s/T)) = (softmax(s/T) − softmax(t/T))/T ≈ (s − t)/(C·T²) for large T.
    torch.manual_seed(6)
    t, s0 = torch.randn(10, dtype=D), torch.randn(10, dtype=D)

    def grad_norm(temp: float) -> float:
        s = s0.clone().requires_grad_(True)
        F.kl_div(F.log_softmax(s / temp, 0), F.softmax(t / temp, 0), reduction="sum").backward()
        assert s.grad is not None
        return num(s.grad.norm())

    ratio = grad_norm(20.0) / grad_norm(40.0)
    assert ratio == pytest.approx(4.0, rel=0.02)


# -------------------------------------------------------------------------------------------------
# The checks every card goes through
# -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("card_id", sorted(REGISTRY))
def test_stated_facts_appear_in_both_languages(card_id: str) -> None:
    if card_id not in load_cards():
        pytest.skip("registered for another card file")
    f = REGISTRY[card_id]()
    q = card(card_id)
    for lang in ("en", "zh"):
        text = full_text(q, lang)
        assert not (missing := missing_stated(f, numbers_in(text))), (card_id, lang, missing)
        assert not (gone := missing_phrases(f, text, lang)), (card_id, lang, gone)


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

# Choice cards decided by a concept, not a number; their explanations say why each wrong option is wrong.
EXPLAINED_CHOICES = (
    "blk-choice-se-output",
    "blk-choice-shufflenet-guideline",
    "blk-choice-convnext-norm",
    "eff-choice-zero-stage",
)


@pytest.mark.parametrize("card_id", CHOICE)
def test_choice_answers(card_id: str) -> None:
    assert card_id in REGISTRY or card_id in EXPLAINED_CHOICES, card_id
    if card_id in REGISTRY:
        correct = REGISTRY[card_id]().correct
        if card_id not in EXPLAINED_CHOICES:
            assert correct is not None, card_id
        if correct is not None:
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
    assert links >= 30


SENTENCE_END = {"en": re.compile(r"[.!?](?=\s|$)"), "zh": re.compile(r"[。！？]")}


def test_part2_coverage_per_topic() -> None:
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
        assert any("scenario" in q.get("tags", ()) for q in qs), topic
    for q in load_cards().values():
        if q["kind"] == "concept":
            assert 3 <= len(q["key_points"]) <= 6, q["id"]
            assert all(kp.get("keywords", {}).get(lang) for kp in q["key_points"] for lang in ("en", "zh")), q["id"]
            for lang in ("en", "zh"):
                sentences = len(SENTENCE_END[lang].findall(q["answer"][lang].strip()))
                assert 3 <= sentences <= 9, (q["id"], lang, sentences)
            words = len(q["answer"]["en"].split())
            assert 80 <= words <= 200, (q["id"], words)


def test_generated_cards_match_their_family() -> None:
    from quizforge.numeric.base import families

    known = families()
    used = set()
    for cid, q in load_cards().items():
        if q["kind"] == "generated":
            fam = known[q["generator"]]
            assert fam.topic == q["topic"], cid
            assert q["difficulty"] == fam.difficulty, cid
            assert q["prompt"]["en"] == fam.title.en and q["prompt"]["zh"] == fam.title.zh, cid
            used.add(q["generator"])
    assert {n for n, f in known.items() if f.topic in PREFIXES} == used


def test_chinese_text_uses_chinese_punctuation() -> None:
    for cid, q in load_cards().items():
        for lang in ("en", "zh"):
            assert not re.search(r"\\[a-zA-Z]+|\$|\^\{|_\{", full_text(q, lang)), (cid, lang)
        zh = full_text(q, "zh")
        # no ASCII quotes, semicolons or colons directly after Chinese characters
        assert not re.search(r'"[\u4e00-\u9fff]|[\u4e00-\u9fff]"', zh), cid
        assert not re.search(r"[\u4e00-\u9fff][;:,]", zh), cid
        if q["kind"] in ("concept", "choice"):
            assert re.search(r"[\u4e00-\u9fff]", q["prompt"]["zh"]), cid
