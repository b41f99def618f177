"""Every number stated in the sequence-model, attention, transformer and ViT cards, recomputed with torch.

The cards live in question_bank/seq_rnn.yaml (seq.rnn), attn_attention.yaml (attn.attention),
attn_transformer.yaml (attn.transformer) and attn_vit.yaml (attn.vit). Each card that states a number has a
fact function below that recomputes it independently: parameter counts and weight shapes from real nn.LSTM /
nn.GRU / nn.MultiheadAttention / nn.TransformerEncoderLayer / nn.Conv2d modules, output shapes by running the
modules, attention values with F.scaled_dot_product_attention, memory from tensors' numel() and element_size(),
FLOPs with FlopCounterMode, defaults with inspect.signature. A fact function returns (see tests/bank/facts.py):

- ``stated``: computed values, formatted as the card writes them; each must appear in both languages;
- ``phrases``: exact phrases built from torch's real defaults;
- ``givens``: the problem's inputs (a width, an image size, a year, a constant from a paper);
- ``answer`` for numeric cards and ``correct`` for choice cards, compared with the card.

Every number token in every card must be a stated fact, a given, a number inside a checked phrase, or a small
structural integer (0–10). Dedicated tests check the claims that are rules rather than numbers (why √d_k,
masking with −∞, rows summing to 1, the LSTM's two bias vectors, batch_first and h_n, RoPE's relative property).
"""

from __future__ import annotations

import inspect
import math
import re
from functools import cache
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

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

FILES = ("seq_rnn.yaml", "attn_attention.yaml", "attn_transformer.yaml", "attn_vit.yaml")
PREFIXES = {"seq.rnn": "rnn-", "attn.attention": "attn-", "attn.transformer": "tfm-", "attn.vit": "vit-"}
D = torch.float64

load_cards, card = bank.card_loaders(FILES)

# Numbers inside names are not claims: GPT-2, LLaMA 2 (70B), ViT-B/16, ImageNet-21k, JFT-300M.
MODEL_NAME = re.compile(r"ViT-[BH]/\d+|GPT-\d|LLaMA 2(?: ?[（(]?70B[)）]?)?|ViT-B/16|ImageNet-\d+k|JFT-300M|ResNet-\d+")


def numbers_in(text: str) -> set[str]:
    return number_tokens(text, NUMBER_SCI, MODEL_NAME)


REGISTRY: dict[str, FactFn] = {}
facts = fact_registrar(REGISTRY)


def g(*values: Any) -> frozenset[str]:
    return frozenset(str(v) for v in values)


def grouped(n: int) -> str:
    """An integer as the number tokeniser reads it: the cards' 2,560 becomes 2560."""
    return str(n)


def n_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


@cache
def defaults(obj: Any) -> dict[str, Any]:
    return {
        name: p.default
        for name, p in inspect.signature(obj).parameters.items()
        if p.default is not inspect.Parameter.empty
    }


def choice_of(q: dict[str, Any], text: str) -> int:
    found = [i for i, c in enumerate(q["choices"]) if c["en"] == text]
    assert len(found) == 1, (q["id"], text)
    return found[0]


# -------------------------------------------------------------------------------------------------
# seq.rnn
# -------------------------------------------------------------------------------------------------


def weights_only(module: nn.Module) -> int:
    return sum(p.numel() for name, p in module.named_parameters() if name.startswith("weight"))


def one_bias_vector(module: nn.Module) -> int:
    """The textbook count: weights plus b_ih only."""
    return weights_only(module) + sum(p.numel() for name, p in module.named_parameters() if name.startswith("bias_ih"))


@facts("rnn-lstm-params-trap")
def _lstm_trap() -> Facts:
    lstm = nn.LSTM(10, 20)
    return Facts(
        stated={"right": grouped(n_params(lstm)), "textbook": grouped(one_bias_vector(lstm))}, givens=g(10, 20)
    )


@facts("rnn-choice-lstm-params")
def _choice_lstm() -> Facts:
    lstm, gru = nn.LSTM(10, 20), nn.GRU(10, 20)
    right = n_params(lstm)
    biases = right - weights_only(lstm)
    q = card("rnn-choice-lstm-params")
    return Facts(
        stated={
            "right": grouped(right),
            "one bias": grouped(one_bias_vector(lstm)),
            "weights": grouped(weights_only(lstm)),
            "gru": grouped(n_params(gru)),
            "biases": str(biases),
            "x + h": str(10 + 20),
        },
        givens=g(10, 20),
        correct=[choice_of(q, f"{right:,}")],
    )


@facts("rnn-choice-second-layer-input")
def _second_layer() -> Facts:
    lstm = nn.LSTM(input_size=32, hidden_size=64, num_layers=2, bidirectional=True)
    params = dict(lstm.named_parameters())
    rows, cols = params["weight_ih_l1"].shape
    assert tuple(params["weight_ih_l0"].shape) == (rows, 32)
    q = card("rnn-choice-second-layer-input")
    return Facts(
        stated={"rows": str(rows), "cols": str(cols)},
        givens=g(32, 64),
        correct=[choice_of(q, f"({rows}, {cols})")],
    )


@facts("rnn-choice-output-shape")
def _gru_output() -> Facts:
    with torch.no_grad():
        out, h_n = nn.GRU(16, 32)(torch.zeros(10, 4, 16))
    assert tuple(h_n.shape) == (1, 4, 32)  # the distractor the explanation names as h_n's shape
    q = card("rnn-choice-output-shape")
    return Facts(
        givens=g(16, 32, 10, 4),
        correct=[choice_of(q, str(tuple(out.shape)))],
    )


@facts("rnn-num-gru-params")
def _gru_params() -> Facts:
    gru = nn.GRU(10, 20)
    return Facts(
        stated={"weights": grouped(weights_only(gru)), "biases": str(n_params(gru) - weights_only(gru))},
        givens=g(10, 20, 30),
        answer=n_params(gru),
    )


@facts("rnn-num-bilstm-params")
def _bilstm() -> Facts:
    lstm = nn.LSTM(100, 50, num_layers=2, bidirectional=True)
    per = {name: p.numel() for name, p in lstm.named_parameters()}
    layer1_fwd = sum(v for k, v in per.items() if k.endswith("_l0"))
    layer2 = sum(v for k, v in per.items() if "_l1" in k)
    return Facts(
        stated={"per direction": grouped(layer1_fwd), "layer 2": grouped(layer2)},
        givens=g(100, 50),
        answer=n_params(lstm),
    )


@facts("rnn-num-hn-shape")
def _hn_shape() -> Facts:
    with torch.no_grad():
        _, (h_n, _) = nn.LSTM(8, 16, num_layers=3, bidirectional=True, batch_first=True)(torch.zeros(4, 10, 8))
    return Facts(givens=g(8, 16, 10, 4), answer=list(h_n.shape))


@facts("rnn-choice-bias-redundancy")
def _bias_redundancy() -> Facts:
    """Moving bias between b_ih and b_hh changes nothing in an LSTM but changes a GRU's output."""
    torch.manual_seed(0)
    x = torch.randn(5, 2, 3)
    for cls, redundant in ((nn.LSTM, True), (nn.GRU, False)):
        m = cls(3, 4)
        with torch.no_grad():
            out = m(x)[0]
            biases = dict(m.named_parameters())
            biases["bias_ih_l0"].add_(0.5)
            biases["bias_hh_l0"].sub_(0.5)
            assert torch.allclose(m(x)[0], out, atol=1e-6) is redundant, cls
    q = card("rnn-choice-bias-redundancy")
    assert all(any(n.startswith("bias_hh") for n, _ in c(3, 4).named_parameters()) for c in (nn.RNN, nn.LSTM, nn.GRU))
    right = (
        "In the LSTM they only appear as a sum, but in the GRU b_hn sits inside r ⊙ (W_hn h + b_hn), "
        "so it is not redundant"
    )
    return Facts(correct=[choice_of(q, right)])


@facts("rnn-num-rnn-params")
def _rnn_params() -> Facts:
    rnn = nn.RNN(20, 30, num_layers=2)
    per = {name: p.numel() for name, p in rnn.named_parameters()}
    layer1 = sum(v for k, v in per.items() if k.endswith("_l0"))
    layer2 = sum(v for k, v in per.items() if k.endswith("_l1"))
    return Facts(
        stated={"layer 1": grouped(layer1), "layer 2": grouped(layer2), "biases": str(2 * 30)},
        givens=g(20, 30, 20 + 30, 30 + 30),
        answer=n_params(rnn),
    )


# -------------------------------------------------------------------------------------------------
# attn.attention
# -------------------------------------------------------------------------------------------------


@facts("attn-why-sqrt-dk")
def _why_sqrt() -> Facts:
    return Facts(stated={"sqrt": str(round(math.sqrt(64)))}, givens=g(64))


@facts("attn-complexity-flash")
def _flash() -> Facts:
    return Facts(givens=g(2022))


def kv_cache_bytes(layers: int, kv_heads: int, head_dim: int, tokens: int, dtype: torch.dtype) -> int:
    k = torch.empty(tokens, kv_heads, head_dim, dtype=dtype, device="meta")
    return 2 * layers * k.numel() * k.element_size()


@facts("attn-mqa-gqa")
def _gqa() -> Facts:
    ratio = kv_cache_bytes(1, 32, 128, 1, torch.float16) // kv_cache_bytes(1, 8, 128, 1, torch.float16)
    return Facts(stated={"ratio": str(ratio)}, givens=g(2019, 2023, 32, 8))


@facts("attn-choice-softmax-gradient")
def _softmax_gradient() -> Facts:
    d_k = 256
    torch.manual_seed(0)
    q, k = torch.randn(4096, d_k, dtype=D), torch.randn(4096, d_k, dtype=D)
    dots = (q * k).sum(-1)
    assert num(dots.std()) == pytest.approx(math.sqrt(d_k), rel=0.05)  # std √d_k = 16

    def jacobian_norm(scale: float) -> float:
        """Mean Frobenius norm of the softmax Jacobian diag(p) − ppᵀ over 64 queries against 16 keys."""
        p = (q[:64] @ k[:16].T * scale).softmax(-1)
        jacobians = torch.diag_embed(p) - p[:, :, None] * p[:, None, :]
        # the formula is the softmax's Jacobian: check one row against autograd
        row = (q[0] @ k[:16].T * scale).requires_grad_(True)
        auto = torch.stack([torch.autograd.grad(row.softmax(-1)[i], row)[0] for i in range(16)])
        assert torch.allclose(auto, jacobians[0])
        return num(jacobians.flatten(1).norm(dim=1).mean())

    assert jacobian_norm(1.0) < jacobian_norm(1 / math.sqrt(d_k)) / 2  # saturated: far less gradient passes
    q_card = card("attn-choice-softmax-gradient")
    return Facts(
        stated={"std": str(round(math.sqrt(d_k)))},
        givens=g(d_k),
        correct=[
            choice_of(
                q_card,
                "The softmax saturates, most weight goes to one key, and the gradients through Q and K become tiny",
            )
        ],
    )


@facts("attn-choice-sdpa-scale")
def _sdpa_scale() -> Facts:
    torch.manual_seed(0)
    q, k, v = (torch.randn(2, 8, 100, 64, dtype=D) for _ in range(3))
    manual = ((q @ k.transpose(-2, -1)) / math.sqrt(64)).softmax(-1) @ v
    assert torch.allclose(F.scaled_dot_product_attention(q, k, v), manual)
    assert math.sqrt(64) == 8
    q_card = card("attn-choice-sdpa-scale")
    return Facts(stated={"width": str(8 * 64)}, givens=g(2, 100, 64), correct=[choice_of(q_card, "1/8, i.e. 1/√64")])


@facts("attn-choice-fully-masked-row")
def _fully_masked() -> Facts:
    scores = torch.randn(2, 3, dtype=D)
    mask = torch.tensor([[True, True, True], [False, True, False]])
    weights = scores.masked_fill(mask, float("-inf")).softmax(-1)
    assert torch.isnan(weights[0]).all() and not torch.isnan(weights[1]).any()
    q = torch.randn(1, 2, 4, dtype=D)
    out = F.scaled_dot_product_attention(q, q, q, attn_mask=torch.tensor([[False, False], [True, True]]))
    assert torch.equal(out[0, 0], torch.zeros(4, dtype=D))  # this torch: zeros for a fully masked row
    card_q = card("attn-choice-fully-masked-row")
    return Facts(correct=[choice_of(card_q, "A row of NaN, which then spreads through the loss")])


@facts("attn-choice-cross-attention-shape")
def _cross_shape() -> Facts:
    mha = nn.MultiheadAttention(16, 4, batch_first=True)
    with torch.no_grad():
        _, weights = mha(torch.zeros(1, 10, 16), torch.zeros(1, 50, 16), torch.zeros(1, 50, 16))
    assert weights is not None
    q = card("attn-choice-cross-attention-shape")
    return Facts(givens=g(16, 10, 50), correct=[choice_of(q, str(tuple(weights.shape)))])


@facts("attn-num-attention-by-hand")
def _by_hand() -> Facts:
    q = torch.tensor([[2.0, 0, 0, 0]], dtype=D)
    k = torch.tensor([[1.0, 0, 0, 0], [0, 0, 0, 0]], dtype=D)
    v = torch.tensor([[4.0, 0], [0, 4]], dtype=D)
    out = F.scaled_dot_product_attention(q, k, v)
    w = (q @ k.T / 2).softmax(-1)
    return Facts(
        stated={"w1": dec(w[0, 0]), "w2": dec(w[0, 1]), "o1": dec(out[0, 0], 2), "o2": dec(out[0, 1], 2)},
        answer=out.tolist(),
    )


@facts("attn-num-score-memory")
def _score_memory() -> Facts:
    s = torch.empty(8, 16, 4096, 4096, dtype=torch.float16, device="meta")
    nbytes = s.numel() * s.element_size()
    return Facts(
        stated={"elements": grouped(s.numel()), "bytes": grouped(nbytes)},
        givens=g(8, 16, 4096),
        answer=nbytes / 2**30,
    )


# -------------------------------------------------------------------------------------------------
# attn.transformer
# -------------------------------------------------------------------------------------------------


@cache
def encoder_layer_512() -> dict[str, int]:
    layer = nn.TransformerEncoderLayer(d_model=512, nhead=8)
    ffn = n_params(layer.linear1) + n_params(layer.linear2)
    return {
        "d_ff": layer.linear1.out_features,
        "attention": n_params(layer.self_attn),
        "ffn": ffn,
        "norms": n_params(layer.norm1) + n_params(layer.norm2),
        "total": n_params(layer),
    }


@facts("tfm-encoder-layer")
def _encoder_layer() -> Facts:
    e = encoder_layer_512()
    assert e["ffn"] / e["total"] == pytest.approx(2 / 3, abs=0.01)  # "about two thirds"
    return Facts(stated={"d_ff": str(e["d_ff"])}, givens=g(defaults(nn.Transformer)["d_model"]))


@facts("tfm-multi-head")
def _multi_head() -> Facts:
    d = defaults(nn.Transformer)
    return Facts(stated={"d_k": str(d["d_model"] // d["nhead"])})


@facts("tfm-original-base-model")
def _base_model() -> Facts:
    d = defaults(nn.Transformer)
    assert d["num_encoder_layers"] == d["num_decoder_layers"] == 6
    return Facts(
        stated={
            "d_model": str(d["d_model"]),
            "d_k": str(d["d_model"] // d["nhead"]),
            "d_ff": str(d["dim_feedforward"]),
            "dropout": str(d["dropout"]),
        },
        phrases=(
            f"d_model={d['d_model']}",
            f"nhead={d['nhead']}",
            f"dim_feedforward={d['dim_feedforward']}",
            f"dropout={d['dropout']}",
        ),
        givens=g(2017, 0.98, 4000, 0.1),  # Adam β₂, warm-up steps and label smoothing from the paper
    )


@cache
def training_flops_per_param_token() -> float:
    lin = nn.Linear(64, 64, bias=False)
    x = torch.randn(16, 64, requires_grad=True)
    with FlopCounterMode(display=False) as counter:
        lin(x).sum().backward()
    return float(counter.get_total_flops() / (lin.weight.numel() * 16))


@facts("tfm-training-flops")
def _training_flops() -> Facts:
    per = training_flops_per_param_token()
    assert per == 6
    total = per * 7e9 * 2e12
    mantissa = total / 10 ** math.floor(math.log10(total))
    return Facts(stated={"mantissa": dec(mantissa, 1)}, givens=g(22, 70))  # 10²²; 70 亿 = 7 billion


@facts("tfm-choice-mha-params")
def _choice_mha() -> Facts:
    mha = nn.MultiheadAttention(512, 8)
    right = n_params(mha)
    no_bias = n_params(nn.MultiheadAttention(512, 8, bias=False))
    no_out = right - n_params(mha.out_proj)
    per_head = 8 * right
    q = card("tfm-choice-mha-params")
    return Facts(
        stated={
            k: grouped(v) for k, v in {"right": right, "no bias": no_bias, "no out": no_out, "heads": per_head}.items()
        },
        givens=g(512),
        correct=[choice_of(q, f"{right:,}")],
    )


@facts("tfm-choice-heads-params")
def _heads() -> Facts:
    assert n_params(nn.MultiheadAttention(512, 8)) == n_params(nn.MultiheadAttention(512, 16))
    q = card("tfm-choice-heads-params")
    return Facts(
        stated={"d_k 16": str(512 // 16), "d_k 8": str(512 // 8)},
        givens=g(512, 16),
        correct=[choice_of(q, "It stays the same")],
    )


@facts("tfm-choice-norm-placement")
def _norm_placement() -> Facts:
    q = card("tfm-choice-norm-placement")
    return Facts(givens=g(2017), correct=[choice_of(q, "GPT-2"), choice_of(q, "LLaMA")])


@facts("tfm-choice-ffn-share")
def _ffn_share() -> Facts:
    e = encoder_layer_512()
    share = round(100 * e["ffn"] / e["total"])
    q = card("tfm-choice-ffn-share")
    return Facts(
        stated={
            "d_ff": str(e["d_ff"]),
            "ffn": grouped(e["ffn"]),
            "attention": grouped(e["attention"]),
            "norms": grouped(e["norms"]),
            "total": grouped(e["total"]),
            "share": str(share),
        },
        givens=g(512, 33, 50, 90),
        correct=[choice_of(q, f"About two thirds ({share}%)")],
    )


@facts("tfm-num-encoder-layer-params")
def _encoder_params() -> Facts:
    e = encoder_layer_512()
    return Facts(
        stated={k: grouped(e[k]) for k in ("attention", "ffn", "norms")} | {"d_ff": str(e["d_ff"])},
        phrases=(f"dim_feedforward={defaults(nn.TransformerEncoderLayer)['dim_feedforward']}",),
        givens=g(512),
        answer=e["total"],
    )


@facts("tfm-num-kv-cache")
def _kv_cache() -> Facts:
    per_token = kv_cache_bytes(32, 1, 4096, 1, torch.float16)  # full MHA: heads × head_dim = d_model
    total = kv_cache_bytes(32, 1, 4096, 4096, torch.float16)
    return Facts(
        stated={"per token": grouped(per_token), "KiB": str(per_token // 1024), "total": grouped(total)},
        givens=g(32, 4096),
        answer=total / 2**30,
    )


def sinusoidal_table(positions: int, d: int) -> torch.Tensor:
    """The positional-encoding table of the PyTorch transformer tutorial."""
    pos = torch.arange(positions, dtype=D)[:, None]
    div = torch.exp(torch.arange(0, d, 2, dtype=D) * (-math.log(10000.0) / d))
    pe = torch.zeros(positions, d, dtype=D)
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)
    return pe


@facts("tfm-num-pe-value")
def _pe_value() -> Facts:
    value = sinusoidal_table(3, 4)[2, 3]
    return Facts(stated={"value": dec(value)}, givens=g(10000, 100, 0.02), answer=num(value))


@facts("tfm-positional-encoding")
def _pe_concept() -> Facts:
    pe = sinusoidal_table(64, 8)
    # PE(pos + k) is a fixed linear map (a rotation in each sin/cos pair) of PE(pos).
    k = 5
    m = torch.linalg.lstsq(pe[:-k], pe[k:]).solution
    assert torch.allclose(pe[:-k] @ m, pe[k:], atol=1e-9)
    return Facts(givens=g(10000))


# -------------------------------------------------------------------------------------------------
# attn.vit
# -------------------------------------------------------------------------------------------------


def vit_tokens(image: int, patch: int, cls: bool = True) -> int:
    grid = nn.Conv2d(3, 8, patch, stride=patch)(torch.zeros(1, 3, image, image))
    return int(grid.flatten(2).shape[-1]) + int(cls)


@cache
def vit_b16_params() -> dict[str, int]:
    """ViT-B/16 without its head, built from torch modules."""
    embed = nn.Conv2d(3, 768, 16, stride=16)
    cls = nn.Parameter(torch.zeros(1, 1, 768))
    tokens = vit_tokens(224, 16)
    pos = nn.Parameter(torch.zeros(1, tokens, 768))
    layer = nn.TransformerEncoderLayer(768, 12, dim_feedforward=3072, norm_first=True)
    encoder = nn.TransformerEncoder(layer, num_layers=12, enable_nested_tensor=False)
    final = nn.LayerNorm(768)
    total = n_params(embed) + cls.numel() + pos.numel() + n_params(encoder) + n_params(final)
    return {
        "embed": n_params(embed),
        "pos": pos.numel(),
        "attention": n_params(layer.self_attn),
        "mlp": n_params(layer.linear1) + n_params(layer.linear2),
        "norms": n_params(layer.norm1) + n_params(layer.norm2),
        "layer": n_params(layer),
        "layers": n_params(encoder),
        "final": n_params(final),
        "total": total,
    }


@facts("vit-how-it-works")
def _vit_pipeline() -> Facts:
    return Facts(
        stated={"side": str(224 // 16), "patches": str(vit_tokens(224, 16, False)), "tokens": str(vit_tokens(224, 16))},
        givens=g(224, 16),
    )


@facts("vit-position-resolution")
def _vit_resolution() -> Facts:
    before, after = vit_tokens(224, 16), vit_tokens(384, 16)
    return Facts(
        stated={
            "side": str(384 // 16),
            "tokens": str(after),
            "before": str(before),
            "growth": dec(after**2 / before**2, 1),
        },
        givens=g(224, 384, 16, 14),
    )


@facts("vit-cnn-vs-vit-small-data")
def _small_data() -> Facts:
    return Facts(givens=g(20000))


@facts("vit-deit")
def _deit() -> Facts:
    return Facts(givens=g(2021))


@facts("vit-choice-tokens")
def _vit_choice_tokens() -> Facts:
    q = card("vit-choice-tokens")
    tokens = vit_tokens(224, 16)
    return Facts(
        stated={
            "tokens": str(tokens),
            "side": str(224 // 16),
            "patches": str(tokens - 1),
            "one side + 1": str(224 // 16 + 1),
            "pixels": grouped(224 * 224),
        },
        givens=g(224, 16),
        correct=[choice_of(q, str(tokens))],
    )


@facts("vit-choice-patch-embedding")
def _patch_embedding() -> Facts:
    torch.manual_seed(0)
    conv = nn.Conv2d(3, 768, kernel_size=16, stride=16).double()
    x = torch.randn(1, 3, 224, 224, dtype=D)
    patches = F.unfold(x, 16, stride=16).transpose(1, 2)  # (1, 196, 16·16·3)
    assert conv.bias is not None
    linear = patches @ conv.weight.reshape(768, -1).T + conv.bias
    assert torch.allclose(conv(x).flatten(2).transpose(1, 2), linear)
    with torch.no_grad():
        stride1 = nn.Conv2d(3, 1, 16, stride=1)(torch.zeros(1, 3, 224, 224)).shape[-1]
    q = card("vit-choice-patch-embedding")
    return Facts(
        stated={"stride 1": str(stride1), "grid": str(224 // 16)},
        givens=g(16, 768, 224),
        correct=[choice_of(q, "nn.Conv2d(3, 768, kernel_size=16, stride=16)")],
    )


@facts("vit-choice-small-data")
def _vit_small_data() -> Facts:
    millions = vit_b16_params()["total"] / 1e6
    q = card("vit-choice-small-data")
    assert round(millions) == 86
    return Facts(
        givens=g(5000, round(millions), round(millions) * 100),  # computed above; en "86 million", zh "8600 万"
        correct=[choice_of(q, "A small ResNet trained with data augmentation")],
    )


@facts("vit-choice-swin-cost")
def _swin_cost() -> Facts:
    n, window = 64, 16  # tokens and window size: global attention entries n², windowed (n/window)·window²
    global_growth = (4 * n) ** 2 // n**2
    windowed_growth = ((4 * n) // window * window**2) // (n // window * window**2)
    q = card("vit-choice-swin-cost")
    return Facts(
        stated={"global": str(global_growth)},
        correct=[choice_of(q, f"ViT ×{global_growth}, Swin ×{windowed_growth}")],
    )


@facts("vit-num-tokens-h14")
def _h14() -> Facts:
    return Facts(stated={"side": str(224 // 14), "patches": str(vit_tokens(224, 14, False))}, givens=g(224, 14),
                 answer=vit_tokens(224, 14))  # fmt: skip


@facts("vit-choice-patch-size-cost")
def _patch_size_cost() -> Facts:
    small, large = vit_tokens(224, 16, False), vit_tokens(224, 32, False)
    assert small // large == 4 and small**2 // large**2 == 16
    with_cls = (small + 1) ** 2 / (large + 1) ** 2
    q = card("vit-choice-patch-size-cost")
    return Facts(
        stated={
            "large": str(large),
            "small": str(small),
            "side": str(224 // 16),
            "with cls": dec(with_cls, 1),
            "a": str(large + 1),
            "b": str(small + 1),
        },
        givens=g(224, 32, 16),
        correct=[choice_of(q, f"×{small // large} tokens, ≈ ×{small**2 // large**2} score-matrix entries")],
    )


@facts("vit-num-swin-windows")
def _swin_windows() -> Facts:
    side, window = 224 // 4, 7
    tokens = torch.zeros(1, side, side, 1)
    windows = tokens.unfold(1, window, window).unfold(2, window, window).reshape(-1, window * window)
    per_window = torch.zeros(window * window, window * window).numel()
    global_entries = torch.zeros(side * side, side * side).numel()
    assert global_entries // (windows.shape[0] * per_window) == windows.shape[0]  # "64 times more"
    return Facts(
        stated={
            "side": str(side),
            "per window": grouped(per_window),
            "tokens": grouped(side * side),
            "global": grouped(global_entries),
            "side windows": str(side // window),
            "window tokens": str(window * window),
        },
        givens=g(224),
        answer=[windows.shape[0], windows.shape[0] * per_window],
    )


@facts("vit-num-patch-embed-params")
def _patch_params() -> Facts:
    conv = nn.Conv2d(3, 768, kernel_size=16, stride=16)
    return Facts(stated={"weights": grouped(conv.weight.numel())}, givens=g(768, 16), answer=n_params(conv))


@facts("vit-num-b16-params")
def _b16() -> Facts:
    p = vit_b16_params()
    stated = {k: grouped(v) for k, v in p.items() if k != "total"}
    stated["total"] = grouped(p["total"])
    stated["millions"] = dec(p["total"] / 1e6, 1)
    stated["rounded"] = str(round(p["total"] / 1e6))
    return Facts(stated=stated, givens=g(768, 12, 3072, 197), answer=round(p["total"] / 1e6, 1))


@facts("vit-num-attention-growth")
def _growth() -> Facts:
    before, after = vit_tokens(224, 16), vit_tokens(384, 16)
    return Facts(
        stated={"before": str(before), "after": str(after), "a²": grouped(after**2), "b²": grouped(before**2)},
        givens=g(224, 384, 16),
        answer=round(after**2 / before**2, 2),
    )


# -------------------------------------------------------------------------------------------------
# Rules that are not numbers
# -------------------------------------------------------------------------------------------------


def test_lstm_keeps_two_bias_vectors_and_upper_layers_read_h() -> None:
    lstm = nn.LSTM(10, 20, num_layers=2, bidirectional=True)
    names = {name for name, _ in lstm.named_parameters()}
    assert {"bias_ih_l0", "bias_hh_l0", "bias_ih_l1_reverse", "bias_hh_l1_reverse"} <= names
    assert lstm.weight_ih_l1.shape == (4 * 20, 2 * 20)
    h = 20
    for mode, gates in ((nn.LSTM, 4), (nn.GRU, 3), (nn.RNN, 1)):
        assert n_params(mode(10, h)) == gates * h * (10 + h) + 2 * gates * h


def test_batch_first_never_applies_to_h_n() -> None:
    with torch.no_grad():
        out, h_n = nn.GRU(4, 6, num_layers=2, batch_first=True)(torch.zeros(3, 5, 4))
    assert out.shape == (3, 5, 6) and h_n.shape == (2, 3, 6)
    assert nn.LSTM(4, 6).batch_first is False


def test_masking_with_minus_infinity_keeps_rows_normalised() -> None:
    torch.manual_seed(0)
    scores = torch.randn(4, 4, dtype=D)
    future = torch.ones(4, 4, dtype=torch.bool).triu(1)
    right = scores.masked_fill(future, float("-inf")).softmax(-1)
    assert torch.allclose(right.sum(-1), torch.ones(4, dtype=D)) and torch.all(right[future] == 0)
    after = scores.softmax(-1).masked_fill(future, 0)
    assert torch.all(after.sum(-1)[:-1] < 1)
    zero = scores.masked_fill(future, 0).softmax(-1)
    assert torch.all(zero[future] > 0)
    q = torch.randn(1, 4, 8, dtype=D)
    causal = F.scaled_dot_product_attention(q, q, torch.eye(4, dtype=D)[None], is_causal=True)[0]
    assert torch.all(causal[future] == 0)


def test_attention_weights_rows_sum_to_one_columns_do_not_not_symmetric() -> None:
    torch.manual_seed(0)
    x = torch.randn(5, 8, dtype=D)
    wq, wk = torch.randn(8, 8, dtype=D), torch.randn(8, 8, dtype=D)
    w = ((x @ wq) @ (x @ wk).T / math.sqrt(8)).softmax(-1)
    assert torch.allclose(w.sum(-1), torch.ones(5, dtype=D))
    assert not torch.allclose(w.sum(0), torch.ones(5, dtype=D))
    assert not torch.allclose(w, w.T)
    assert torch.all((w > 0) & (w < 1))


def test_rope_dot_product_depends_only_on_the_offset() -> None:
    torch.manual_seed(0)
    d = 8
    freqs = 10000 ** (-torch.arange(0, d, 2, dtype=D) / d)

    def rotate(v: torch.Tensor, pos: int) -> torch.Tensor:
        pairs = v.reshape(-1, 2)
        angle = pos * freqs
        cos, sin = torch.cos(angle), torch.sin(angle)
        return torch.stack((pairs[:, 0] * cos - pairs[:, 1] * sin, pairs[:, 0] * sin + pairs[:, 1] * cos), 1).flatten()

    q, k = torch.randn(d, dtype=D), torch.randn(d, dtype=D)
    assert torch.allclose(rotate(q, 7) @ rotate(k, 3), rotate(q, 14) @ rotate(k, 10))


def test_gqa_shares_kv_heads_in_sdpa() -> None:
    torch.manual_seed(0)
    q = torch.randn(1, 8, 5, 16, dtype=D)
    k, v = torch.randn(1, 2, 5, 16, dtype=D), torch.randn(1, 2, 5, 16, dtype=D)
    grouped_out = F.scaled_dot_product_attention(q, k, v, enable_gqa=True)
    expanded = F.scaled_dot_product_attention(q, k.repeat_interleave(4, 1), v.repeat_interleave(4, 1))
    assert torch.allclose(grouped_out, expanded)


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
        missing = missing_stated(f, numbers_in(text))
        assert not missing, f"{card_id} ({lang}): computed values not in the card: {missing}"
        absent = missing_phrases(f, text, lang)
        assert not absent, f"{card_id} ({lang}): phrases missing: {absent}"


@pytest.mark.parametrize("card_id", sorted(load_cards()))
def test_every_number_is_checked(card_id: str) -> None:
    q = card(card_id)
    f = REGISTRY[card_id]() if card_id in REGISTRY else Facts()
    if q["kind"] == "numeric":  # the answer itself is checked against the computed value in test_numeric_answers
        f = Facts(stated=f.stated, givens=f.givens | {str(v) for v in flat(q["answer"])}, phrases=f.phrases)
    left = unchecked_by_lang(q, f, numbers_in)
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
# Choice cards decided by a concept; their explanations say why each wrong option is wrong, and a test above
# (or the fact function) checks the rule with torch where there is one.
EXPLAINED_CHOICES = (
    "rnn-choice-exploding-fix",
    "attn-choice-mask-value",
    "attn-choice-flash-memory",
    "attn-choice-weights-properties",
)


@pytest.mark.parametrize("card_id", CHOICE)
def test_choice_answers(card_id: str) -> None:
    assert card_id in REGISTRY or card_id in EXPLAINED_CHOICES, card_id
    if card_id in REGISTRY:
        expected = REGISTRY[card_id]().correct
        assert expected is not None, card_id
        assert sorted(card(card_id)["correct"]) == sorted(expected)
    q = card(card_id)
    assert q["explanation"]["en"].strip() and q["explanation"]["zh"].strip(), card_id
    assert 3 <= len(q["choices"]) <= 5, card_id


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
    """Issue #15: ≥ 18 questions per topic, ≥ 5 concept (3–6 key points), ≥ 3 choice, ≥ 3 numeric or generated."""
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
                assert 3 <= sentences <= 9, (q["id"], lang, sentences)
            words = len(q["answer"]["en"].split())
            assert 80 <= words <= 200, (q["id"], words)


def test_generated_cards_match_their_family() -> None:
    from quizforge.numeric.base import families

    known = families()
    generated = {q["generator"]: q for q in load_cards().values() if q["kind"] == "generated"}
    mine = {name for name, fam in known.items() if fam.topic in PREFIXES}
    assert set(generated) == mine
    for name, q in generated.items():
        assert known[name].topic == q["topic"], name
        assert q["difficulty"] == known[name].difficulty, name
        assert q["prompt"]["en"] and q["prompt"]["zh"], name


def test_chinese_text_uses_chinese_punctuation() -> None:
    for cid, q in load_cards().items():
        zh = full_text(q, "zh")
        assert not re.search(r"[\u4e00-\u9fff][,;:?!]|[,;:?!][\u4e00-\u9fff]", zh), cid
        assert '"' not in zh, cid
        assert not re.search(r"\\[a-zA-Z]+|\$", zh + full_text(q, "en")), cid
