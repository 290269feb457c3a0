"""ADGAN's two discriminators (pose-image ``netD_PB`` and image-image ``netD_PP``).

The official ``ResnetDiscriminator`` with ``n_layers_D=3``, instance norm, dropout and reflect
padding: a 7x7 stem, two stride-2 convolutions and three residual blocks; its 256-channel map at
a quarter of the resolution is scored patch by patch with the least-squares GAN loss. Module
names follow the official layout (``model.N``) so its ``latest_net_netD_*.pth`` files load.
"""

from __future__ import annotations

import torch
from torch import nn

PB_CHANNELS = 3 + 18  # generated image + target pose
PP_CHANNELS = 3 + 3  # generated image + source image


def _padded_conv(in_dim: int, out_dim: int, kernel: int, relu: bool = True) -> list[nn.Module]:
    """Reflection pad, conv, instance norm (and ReLU): the official layers, in its state-dict order."""
    layers: list[nn.Module] = [
        nn.ReflectionPad2d(kernel // 2),
        nn.Conv2d(in_dim, out_dim, kernel_size=kernel, bias=True),
        nn.InstanceNorm2d(out_dim),
    ]
    return [*layers, nn.ReLU(True)] if relu else layers


class ResnetBlock(nn.Module):
    def __init__(self, dim: int, dropout: bool = True) -> None:
        super().__init__()
        layers = _padded_conv(dim, dim, 3)
        if dropout:
            layers.append(nn.Dropout(0.5))
        layers += _padded_conv(dim, dim, 3, relu=False)
        self.conv_block = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv_block(x)


class ResnetDiscriminator(nn.Module):
    def __init__(self, in_channels: int, ndf: int = 64, n_blocks: int = 3, n_downsample: int = 2) -> None:
        super().__init__()
        layers = _padded_conv(in_channels, ndf, 7)
        for i in range(n_downsample):
            mult = 2**i
            layers += [
                nn.Conv2d(ndf * mult, ndf * mult * 2, kernel_size=3, stride=2, padding=1, bias=True),
                nn.InstanceNorm2d(ndf * mult * 2),
                nn.ReLU(True),
            ]
        layers += [ResnetBlock(ndf * 2**n_downsample) for _ in range(n_blocks)]
        self.model = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)


def build_discriminators() -> tuple[ResnetDiscriminator, ResnetDiscriminator]:
    """(netD_PB, netD_PP) in the official configuration."""
    return ResnetDiscriminator(PB_CHANNELS), ResnetDiscriminator(PP_CHANNELS)
