"""Torch oracles for the vision families: real layers, autograd and rasterised masks, no closed forms.

IoU counts the pixels of two rasterised boxes; NMS runs the greedy loop over a torch IoU matrix; sizes and
shapes come from running tensors through ``nn.ConvTranspose2d``, ``F.unfold``, ``nn.Conv1d``; parameter counts
from ``nn.Conv3d.parameters()``; values from ``F.conv_transpose2d``; backward passes from autograd.
torch is imported inside each function so importing this module stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizforge.numeric.base import Answer
from quizforge.numeric.oracle import oracle

if TYPE_CHECKING:
    import torch


def _t(v: Any) -> torch.Tensor:
    import torch

    return torch.tensor(v, dtype=torch.float64)


def _box_mask(box: list[int], size: int) -> torch.Tensor:
    """The unit pixels [x, x+1) × [y, y+1) a continuous box covers, as a boolean grid."""
    import torch

    xs = torch.arange(size).view(1, -1)
    ys = torch.arange(size).view(-1, 1)
    return (xs >= box[0]) & (xs < box[2]) & (ys >= box[1]) & (ys < box[3])


@oracle("iou_boxes")
def iou_boxes(params: dict[str, Any]) -> Answer:
    a, b = params["box_a"], params["box_b"]
    size = max(*a, *b) + 1
    ma, mb = _box_mask(a, size), _box_mask(b, size)
    inter = int((ma & mb).sum())
    union = int((ma | mb).sum())
    return round(inter / union, 4)


@oracle("nms_survivors")
def nms_survivors(params: dict[str, Any]) -> Answer:
    import torch

    boxes = _t(params["boxes"])
    scores = _t(params["scores"])
    lt = torch.maximum(boxes[:, None, :2], boxes[None, :, :2])
    rb = torch.minimum(boxes[:, None, 2:], boxes[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    area = (boxes[:, 2:] - boxes[:, :2]).prod(-1)
    ious = inter / (area[:, None] + area[None, :] - inter)
    remaining = scores.argsort(descending=True).tolist()
    kept: list[int] = []
    while remaining:
        best = remaining.pop(0)
        kept.append(best)
        remaining = [i for i in remaining if ious[best, i] <= params["iou_threshold"]]
    return sorted(kept)


@oracle("box_regression_targets")
def box_regression_targets(params: dict[str, Any]) -> Answer:
    import torch

    anchor, box = _t(params["anchor"]), _t(params["box"])
    # As corners, decoded back: the targets are the unique t with decode(anchor, t) == box.
    t = torch.cat([(box[:2] - anchor[:2]) / anchor[2:], torch.log(box[2:] / anchor[2:])])
    decoded = torch.cat([anchor[:2] + t[:2] * anchor[2:], anchor[2:] * torch.exp(t[2:])])
    assert torch.allclose(decoded, box)
    return [round(v, 4) for v in t.tolist()]


@oracle("conv_transpose_output_size")
def conv_transpose_output_size(params: dict[str, Any]) -> Answer:
    import torch
    from torch import nn

    layer = nn.ConvTranspose2d(
        1,
        1,
        params["kernel"],
        stride=params["stride"],
        padding=params["padding"],
        output_padding=params["output_padding"],
        dilation=params["dilation"],
        device="meta",
    )
    n = params["size"]
    return int(layer(torch.zeros(1, 1, n, n, device="meta")).shape[-1])


@oracle("conv_transpose2d_values")
def conv_transpose2d_values(params: dict[str, Any]) -> Answer:
    import torch.nn.functional as F

    x = _t(params["input"])[None, None]
    w = _t(params["kernel"])[None, None]
    out = F.conv_transpose2d(x, w, stride=params["stride"], padding=params["padding"])[0, 0]
    return [[float(v) for v in row] for row in out.tolist()]


@oracle("dilated_effective_kernel")
def dilated_effective_kernel(params: dict[str, Any]) -> Answer:
    import torch
    import torch.nn.functional as F

    k = params["kernel"]
    if "size" in params:
        n = params["size"]
        x = torch.zeros(1, 1, n, n, device="meta")
        w = torch.zeros(1, 1, k, k, device="meta")
        return int(F.conv2d(x, w, padding=params["padding"], dilation=params["dilation"]).shape[-1])
    dilations = params.get("dilations", [params.get("dilation")])
    # The span of the input gradient of one output unit through all-ones kernels.
    x = torch.zeros(1, 1, 80, 80, dtype=torch.float64, requires_grad=True)
    y = x
    for d in dilations:
        y = F.conv2d(y, torch.ones(1, 1, k, k, dtype=torch.float64), dilation=d)
    (grad,) = torch.autograd.grad(y[0, 0, 0, 0], x)
    rows = torch.nonzero(grad[0, 0].abs().sum(dim=1)).flatten()
    return int(rows.max() - rows.min() + 1)


@oracle("dice_score")
def dice_score(params: dict[str, Any]) -> Answer:
    import torch

    if "overlap" in params:
        # Two masks with those counts, laid out on a line: overlap first, then the rest of each.
        a, b, i = params["pred_pixels"], params["target_pixels"], params["overlap"]
        n = a + b - i
        pred = torch.zeros(n, dtype=torch.float64)
        target = torch.zeros(n, dtype=torch.float64)
        pred[:a] = 1
        target[a - i : a - i + b] = 1
        return round(float(2 * (pred * target).sum() / (pred.sum() + target.sum())), 4)
    g = _t(params["target"])
    if "probs" in params:
        p = _t(params["probs"])
        return round(float(1 - 2 * (p * g).sum() / (p.sum() + g.sum())), 4)
    p = _t(params["pred"]).bool()
    gb = g.bool()
    return round(float(2 * (p & gb).sum() / (p.sum() + gb.sum())), 4)


@oracle("conv_backward_weight")
def conv_backward_weight(params: dict[str, Any]) -> Answer:
    import torch
    import torch.nn.functional as F

    k = params["kernel_size"]
    x = _t(params["input"])[None, None]
    w = torch.zeros(1, 1, k, k, dtype=torch.float64, requires_grad=True)
    y = F.conv2d(x, w, stride=params["stride"])
    (grad,) = torch.autograd.grad(y, w, grad_outputs=_t(params["grad_output"])[None, None])
    return [[float(v) for v in row] for row in grad[0, 0].tolist()]


@oracle("conv_backward_input")
def conv_backward_input(params: dict[str, Any]) -> Answer:
    import torch
    import torch.nn.functional as F

    n = params["input_size"]
    x = torch.zeros(1, 1, n, n, dtype=torch.float64, requires_grad=True)
    y = F.conv2d(x, _t(params["kernel"])[None, None], stride=params["stride"])
    (grad,) = torch.autograd.grad(y, x, grad_outputs=_t(params["grad_output"])[None, None])
    return [[float(v) for v in row] for row in grad[0, 0].tolist()]


@oracle("pool_backward")
def pool_backward(params: dict[str, Any]) -> Answer:
    import torch
    import torch.nn.functional as F

    x = _t(params["input"]).requires_grad_()
    pool = F.max_pool2d if params["mode"] == "max" else F.avg_pool2d
    y = pool(x[None, None], params["kernel_size"], stride=params["stride"])
    (grad,) = torch.autograd.grad(y, x, grad_outputs=_t(params["grad_output"])[None, None])
    return [[float(v) for v in row] for row in grad.tolist()]


@oracle("im2col_shape")
def im2col_shape(params: dict[str, Any]) -> Answer:
    import torch
    import torch.nn.functional as F

    x = torch.zeros(params["batch"], params["channels"], params["height"], params["width"])
    cols = F.unfold(x, kernel_size=params["kernel"], stride=params["stride"], padding=params["padding"])
    return tuple(cols.shape) if params["batch"] > 1 else tuple(cols.shape[1:])


@oracle("conv1d_text_shape")
def conv1d_text_shape(params: dict[str, Any]) -> Answer:
    import torch
    from torch import nn

    emb = torch.zeros(params["batch"], params["length"], params["embed_dim"], device="meta")
    conv = nn.Conv1d(
        params["embed_dim"],
        params["out_channels"],
        params["kernel"],
        padding=params["padding"],
        stride=params["stride"],
        device="meta",
    )
    return tuple(conv(emb.transpose(1, 2)).shape)


@oracle("conv3d_params")
def conv3d_params(params: dict[str, Any]) -> Answer:
    from torch import nn

    m = nn.Conv3d(
        params["c_in"],
        params["c_out"],
        tuple(params["kernel"]),
        bias=params["bias"],
        groups=params["groups"],
        device="meta",
    )
    return sum(p.numel() for p in m.parameters())
