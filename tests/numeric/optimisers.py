"""Each optimiser step of ``ops.py`` with the torch optimiser it mirrors (shared by the ops tests)."""

from __future__ import annotations

import torch

from quizforge.numeric import ops

OPTIMISERS = [
    (ops.sgd_step, torch.optim.SGD),
    (ops.adagrad_step, torch.optim.Adagrad),
    (ops.rmsprop_step, torch.optim.RMSprop),
    (ops.adadelta_step, torch.optim.Adadelta),
    (ops.adam_step, torch.optim.Adam),
    (ops.adamw_step, torch.optim.AdamW),
]
