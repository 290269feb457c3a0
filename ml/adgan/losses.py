"""Training losses of the paper: L1 + VGG perceptual, contextual (CX) style loss, LSGAN.

One frozen VGG19 (torchvision layout, ImageNet weights from the local file) serves the
perceptual loss (relu1_2, as the official ``perceptual_layers=3``) and the CX loss (relu3_2 and
relu4_2, the official ``r32``/``r42``). The official CX loss reads a second copy of VGG19
(``vgg_conv.pth``) fed with [-1, 1] images; here both losses share torchvision's weights with
ImageNet normalisation, so no second file is needed.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .networks import vgg19_features

PERCEPTUAL_TAP = 3  # relu1_2
CX_TAPS = (13, 22)  # relu3_2, relu4_2
_MEAN = (0.485, 0.456, 0.406)
_STD = (0.229, 0.224, 0.225)


class LossVGG(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = vgg19_features()[: max(CX_TAPS) + 1]
        for param in self.parameters():
            param.requires_grad_(False)
        self.register_buffer("mean", torch.tensor(_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(_STD).view(1, 3, 1, 1))

    def forward(self, image: torch.Tensor) -> dict[int, torch.Tensor]:
        """[-1, 1] images -> features at :data:`PERCEPTUAL_TAP` and :data:`CX_TAPS`."""
        x = ((image + 1) / 2 - self.mean) / self.std
        out = {}
        for index, layer in enumerate(self.features):
            x = F.relu(x) if isinstance(layer, nn.ReLU) else layer(x)
            if index == PERCEPTUAL_TAP or index in CX_TAPS:
                out[index] = x
        return out


def contextual_loss(
    target: torch.Tensor, inferred: torch.Tensor, sigma: float = 0.5, b: float = 1.0
) -> torch.Tensor:
    """The contextual loss (Mechrez et al.) between feature maps, as the official ``CXLoss``.

    Features are centred by the target's mean (over batch and space), L2-normalised per position;
    for every target position, the best-matching inferred position's contextual similarity is
    averaged, and the loss is ``-log`` of it, averaged over the batch.
    """
    mean_t = target.mean(dim=(0, 2, 3), keepdim=True)
    t = F.normalize((target - mean_t).flatten(2), dim=1)  # (B, C, Nt)
    i = F.normalize((inferred - mean_t).flatten(2), dim=1)  # (B, C, Ni)
    cosine = torch.bmm(t.transpose(1, 2), i)  # (B, Nt, Ni)
    raw = (1.0 - cosine) / 2.0
    relative = raw / (raw.min(dim=1, keepdim=True).values + 1e-5)
    weights = torch.exp((b - relative) / sigma)
    cx = weights / weights.sum(dim=1, keepdim=True)
    per_target = cx.max(dim=2).values  # (B, Nt)
    return (-torch.log(per_target.mean(dim=1))).mean()


def lsgan_loss(prediction: torch.Tensor, real: bool) -> torch.Tensor:
    target = torch.ones_like(prediction) if real else torch.zeros_like(prediction)
    return F.mse_loss(prediction, target)


class GeneratorLosses(nn.Module):
    """L1 + perceptual L1 + CX for the generator, with the official weights as defaults."""

    def __init__(
        self, lambda_l1: float = 1.0, lambda_perceptual: float = 1.0, lambda_cx: float = 0.1
    ) -> None:
        super().__init__()
        self.vgg = LossVGG()
        self.lambda_l1 = lambda_l1
        self.lambda_perceptual = lambda_perceptual
        self.lambda_cx = lambda_cx

    def forward(self, fake: torch.Tensor, target: torch.Tensor) -> dict[str, torch.Tensor]:
        with torch.no_grad():
            real_features = self.vgg(target)
        fake_features = self.vgg(fake)
        l1 = F.l1_loss(fake, target) * self.lambda_l1
        perceptual = (
            F.l1_loss(fake_features[PERCEPTUAL_TAP], real_features[PERCEPTUAL_TAP]) * self.lambda_perceptual
        )
        cx = sum(contextual_loss(real_features[tap], fake_features[tap]) for tap in CX_TAPS) * self.lambda_cx
        return {"l1": l1, "perceptual": perceptual, "cx": cx}
