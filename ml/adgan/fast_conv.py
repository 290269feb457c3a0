"""Inference shortcuts for the decoder: the same convolutions with fewer multiply-adds.

Both keep tensors derived from a block's weights cached on the block while the weights are
unchanged; with gradients enabled nothing is cached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

if TYPE_CHECKING:
    from .layers import Conv2dBlock


def _cached(block: nn.Module, name: str, build):
    """A tensor derived from ``block``'s weights, kept while they are unchanged (inference only)."""
    if torch.is_grad_enabled():
        return build()
    weight = block.conv.weight
    key = (weight.data_ptr(), weight._version, weight.dtype, weight.device)
    cache = block.__dict__.setdefault("_derived", {})
    if cache.get(name, (None,))[0] != key:
        cache[name] = (key, build())
    return cache[name][1]


def last_conv(x: torch.Tensor, block: Conv2dBlock) -> torch.Tensor:
    """The RGB output conv with its 3 filters padded to 4: oneDNN runs that twice as fast."""
    conv = block.conv

    def build():
        pad = (-conv.out_channels) % 4
        return F.pad(conv.weight, (0, 0, 0, 0, 0, 0, 0, pad)), F.pad(conv.bias, (0, pad))

    weight, bias = _cached(block, "last", build)
    out = F.conv2d(block.pad(x), weight, bias)[:, : conv.out_channels]
    return block.activation(out) if block.activation is not None else out


# For nearest x2 upsampling then a 5x5 kernel: which of the 5 taps along one axis fall on the
# low-resolution offsets -1, 0, +1, for output phase 0 (even rows) and phase 1 (odd rows).
_PHASE_TAPS = (((0, 1), (2, 3), (4,)), ((0,), (1, 2), (3, 4)))


def _phase_kernels(weight: torch.Tensor) -> torch.Tensor:
    """(O, C, 5, 5) -> (4 O, C, 3, 3): output channel ``o * 4 + a * 2 + b`` is phase (a, b) of ``o``."""
    out_channels = weight.shape[0]
    phases = []
    for a in range(2):
        rows = torch.stack([weight[:, :, list(taps)].sum(2) for taps in _PHASE_TAPS[a]], dim=2)  # (O,C,3,5)
        for b in range(2):
            phases.append(torch.stack([rows[..., list(taps)].sum(-1) for taps in _PHASE_TAPS[b]], dim=-1))
    return torch.stack(phases, dim=1).reshape(out_channels * 4, *weight.shape[1:2], 3, 3)


def upsample_conv(x: torch.Tensor, block: Conv2dBlock) -> torch.Tensor:
    """``block.conv(block.pad(upsample_nearest_2x(x)))`` computed at the low resolution.

    Away from the border every output pixel of the 5x5 convolution over the nearest-upsampled
    image sees only 3x3 distinct low-resolution pixels, so the four output phases are four 3x3
    convolutions (one conv with 4x the channels, then a pixel shuffle). The two rows/columns at
    each border, where the reflection padding breaks that pattern, are recomputed exactly.
    """
    conv = block.conv
    weight, bias = conv.weight, conv.bias
    phase_weight, phase_bias = _cached(
        block, "phase", lambda: (_phase_kernels(weight), bias.repeat_interleave(4))
    )
    out = F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), phase_weight, phase_bias)
    out = F.pixel_shuffle(out, 2)
    padded = block.pad(F.interpolate(x, scale_factor=2, mode="nearest"))
    edge = conv.kernel_size[0] + 1  # padded rows/cols feeding the two border outputs
    out[:, :, :2] = F.conv2d(padded[:, :, :edge], weight, bias)
    out[:, :, -2:] = F.conv2d(padded[:, :, -edge:], weight, bias)
    out[:, :, :, :2] = F.conv2d(padded[:, :, :, :edge], weight, bias)
    out[:, :, :, -2:] = F.conv2d(padded[:, :, :, -edge:], weight, bias)
    return out
