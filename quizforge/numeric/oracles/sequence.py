"""Torch oracles for the sequence-model families: the real ``nn.LSTM``/``nn.GRU``/``nn.RNN``.

Parameter counts are ``sum(p.numel() for p in m.parameters())`` of the built module; shapes come from
running a zero tensor through it. torch is imported inside each function.
"""

from __future__ import annotations

from typing import Any

from quizforge.numeric.base import Answer
from quizforge.numeric.oracle import oracle


def _recurrent_params(mode: str, p: dict[str, Any]) -> int:
    from torch import nn

    cls = {"LSTM": nn.LSTM, "GRU": nn.GRU, "RNN": nn.RNN}[mode]
    m = cls(
        input_size=p["input_size"],
        hidden_size=p["hidden_size"],
        num_layers=p["num_layers"],
        bias=p["bias"],
        bidirectional=p["bidirectional"],
        device="meta",
    )
    return sum(q.numel() for q in m.parameters())


@oracle("lstm_params")
def lstm_params(p: dict[str, Any]) -> Answer:
    return _recurrent_params("LSTM", p)


@oracle("gru_params")
def gru_params(p: dict[str, Any]) -> Answer:
    return _recurrent_params("GRU", p)


@oracle("rnn_params")
def rnn_params(p: dict[str, Any]) -> Answer:
    return _recurrent_params("RNN", p)


@oracle("rnn_output_shape")
def rnn_output_shape(p: dict[str, Any]) -> Answer:
    import torch
    from torch import nn

    cls = {"LSTM": nn.LSTM, "GRU": nn.GRU, "RNN": nn.RNN}[p["mode"]]
    m = cls(
        p["input_size"],
        p["hidden_size"],
        num_layers=p["num_layers"],
        bidirectional=p["bidirectional"],
        batch_first=p["batch_first"],
    )
    dims = (p["batch"], p["seq_len"]) if p["batch_first"] else (p["seq_len"], p["batch"])
    with torch.no_grad():
        out, state = m(torch.zeros(*dims, p["input_size"]))
    h_n = state[0] if isinstance(state, tuple) else state
    return tuple((out if p["tensor"] == "output" else h_n).shape)
