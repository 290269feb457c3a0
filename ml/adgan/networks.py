"""The ADGAN generator (Men et al., CVPR 2020), written to the official state-dict layout.

Module and attribute names mirror the released ``latest_net_netG.pth`` so that it loads with
``strict=True``; the numerics follow the official implementation, including its quirks:

* AdaIN is ``F.batch_norm`` in training mode on the (1, B*C, H, W) reshaped tensor, i.e. an
  instance norm with the biased variance, scaled and shifted by per-sample MLP outputs;
* the decoder's layer norm divides by ``std + eps`` where ``std`` is the *unbiased* standard
  deviation over all of one sample's values;
* upsampling is nearest-neighbour;
* the VGG19 features fed to the style encoder are taken after the in-place ReLU that follows
  conv1_1, conv2_1, conv3_1 and conv4_1 (the official code reads them before the ReLU, but the
  ReLU modifies them in place). VGG19 is only run up to that last ReLU: the official code runs
  all of it and throws the rest away, so the outputs are identical.

Unlike the official ``decode`` (which takes the style after ``fc``), :meth:`ADGen.decode` here
takes the raw component codes (B, 8, 64) and applies ``fc`` itself, so that codes from different
photos can be mixed per component before decoding.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .fast_conv import last_conv, upsample_conv
from .layers import (
    MLP,
    AdaptiveInstanceNorm2d,
    Conv2dBlock,
    LayerNorm,
    LinearBlock,
    ResBlock,
    ResBlocks,
)

NGF = 64
STYLE_DIM = 512
NUM_COMPONENTS = 8
COMPONENT_DIM = STYLE_DIM // NUM_COMPONENTS  # 64
N_DOWNSAMPLE = 2
N_RES = 8
MLP_DIM = 256
POSE_CHANNELS = 18
IMAGE_CHANNELS = 3

# torchvision's VGG19 ``features``: numbers are conv widths, "M" a 2x2 max pool.
_VGG19_LAYOUT = (
    64,
    64,
    "M",
    128,
    128,
    "M",
    256,
    256,
    256,
    256,
    "M",
    512,
    512,
    512,
    512,
    "M",
    512,
    512,
    512,
    512,
    "M",
)
# indices (in ``features``) of the ReLUs after conv1_1, conv2_1, conv3_1, conv4_1
VGG_STYLE_TAPS = (1, 6, 11, 20)


def vgg19_features() -> nn.Sequential:
    """An untrained ``torchvision.models.vgg19().features`` (same indices and shapes)."""
    layers: list[nn.Module] = []
    channels = 3
    for item in _VGG19_LAYOUT:
        if item == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        else:
            layers.append(nn.Conv2d(channels, int(item), kernel_size=3, padding=1))
            layers.append(nn.ReLU(inplace=True))
            channels = int(item)
    return nn.Sequential(*layers)


class VggStyleEncoder(nn.Module):
    """Encodes one masked component image into a ``style_dim`` code, with VGG19 features fused in."""

    def __init__(self, dim: int, style_dim: int, pad_type: str) -> None:
        super().__init__()
        self.vgg = vgg19_features()
        for param in self.vgg.parameters():
            param.requires_grad_(False)
        self.conv1 = Conv2dBlock(IMAGE_CHANNELS, dim, 7, 1, 3, pad_type=pad_type)
        dim *= 2
        self.conv2 = Conv2dBlock(dim, dim, 4, 2, 1, pad_type=pad_type)
        dim *= 2
        self.conv3 = Conv2dBlock(dim, dim, 4, 2, 1, pad_type=pad_type)
        dim *= 2
        self.conv4 = Conv2dBlock(dim, dim, 4, 2, 1, pad_type=pad_type)
        dim *= 2
        self.model = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(dim, style_dim, 1, 1, 0))
        self.output_dim = dim

    def vgg_taps(self, x: torch.Tensor) -> list[torch.Tensor]:
        taps = []
        last = VGG_STYLE_TAPS[-1]
        for index, layer in enumerate(self.vgg):
            # not in place: the input may need its gradient kept during training
            x = F.relu(x) if isinstance(layer, nn.ReLU) else layer(x)
            if index in VGG_STYLE_TAPS:
                taps.append(x)
            if index == last:
                break
        return taps

    def texture_enc(self, x: torch.Tensor) -> torch.Tensor:
        taps = self.vgg_taps(x)
        x = torch.cat([self.conv1(x), taps[0]], dim=1)
        x = torch.cat([self.conv2(x), taps[1]], dim=1)
        x = torch.cat([self.conv3(x), taps[2]], dim=1)
        x = torch.cat([self.conv4(x), taps[3]], dim=1)
        return self.model(x)

    def forward(self, image: torch.Tensor, parsing: torch.Tensor) -> torch.Tensor:
        """(B, 3, H, W) image and (B, K, H, W) one-hot parsing -> (B, K, style_dim) codes."""
        b, k = parsing.shape[:2]
        masked = image[:, None] * parsing[:, :, None]  # (B, K, 3, H, W)
        codes = self.texture_enc(masked.reshape(b * k, *image.shape[1:]))
        return codes.reshape(b, k, -1)


class ContentEncoder(nn.Module):
    def __init__(self, n_downsample: int, n_res: int, in_dim: int, dim: int, pad_type: str) -> None:
        super().__init__()
        layers: list[nn.Module] = [Conv2dBlock(in_dim, dim, 7, 1, 3, norm="in", pad_type=pad_type)]
        for _ in range(n_downsample):
            layers.append(Conv2dBlock(dim, 2 * dim, 4, 2, 1, norm="in", pad_type=pad_type))
            dim *= 2
        layers.append(ResBlocks(n_res, dim, norm="in", pad_type=pad_type))
        self.model = nn.Sequential(*layers)
        self.output_dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)


class Decoder(nn.Module):
    def __init__(self, n_upsample: int, n_res: int, dim: int, out_dim: int, pad_type: str) -> None:
        super().__init__()
        layers: list[nn.Module] = [ResBlocks(n_res, dim, norm="adain", pad_type=pad_type)]
        for _ in range(n_upsample):
            layers.append(nn.Upsample(scale_factor=2))
            layers.append(Conv2dBlock(dim, dim // 2, 5, 1, 2, norm="ln", pad_type=pad_type))
            dim //= 2
        layers.append(Conv2dBlock(dim, out_dim, 7, 1, 3, norm="none", activation="tanh", pad_type=pad_type))
        self.model = nn.Sequential(*layers)

    def adain_layers(self) -> list[AdaptiveInstanceNorm2d]:
        return [m for m in self.modules() if isinstance(m, AdaptiveInstanceNorm2d)]

    def prepare(self, content: torch.Tensor) -> torch.Tensor:
        """The style-independent start of decoding: the first AdaIN block's conv, normalised."""
        first = self.model[0].model[0].model[0]
        return first.norm.normalise(first.conv(first.pad(content)))

    def forward(
        self,
        x: torch.Tensor,
        adain_params: list[torch.Tensor],
        fast: bool = False,
        prepared: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """``fast`` computes each upsample + 5x5 conv as one 3x3 conv at the low resolution.

        Same values up to float rounding (sums of products in another order), 2.8x fewer
        multiply-adds in those two layers; see :func:`upsample_conv`. ``prepared`` is
        :meth:`prepare` of ``x``, cached per shopper.
        """
        x = self.model[0](x, adain_params, prepared)
        layers = list(self.model[1:])
        index = 0
        while index < len(layers):
            layer = layers[index]
            if fast and isinstance(layer, nn.Upsample) and isinstance(layers[index + 1], Conv2dBlock):
                block = layers[index + 1]
                x = upsample_conv(x, block)
                x = block.norm(x) if block.norm is not None else x
                x = block.activation(x) if block.activation is not None else x
                index += 2
                continue
            x = last_conv(x, layer) if fast and layer is layers[-1] else layer(x)
            index += 1
        return x


class ADGen(nn.Module):
    """The ADGAN generator: pose content code + per-component style codes -> person image."""

    def __init__(
        self,
        dim: int = NGF,
        style_dim: int = STYLE_DIM,
        n_downsample: int = N_DOWNSAMPLE,
        n_res: int = N_RES,
        mlp_dim: int = MLP_DIM,
        pad_type: str = "reflect",
    ) -> None:
        super().__init__()
        self.num_components = NUM_COMPONENTS
        self.component_dim = style_dim // NUM_COMPONENTS
        self.enc_style = VggStyleEncoder(dim, self.component_dim, pad_type)
        self.enc_content = ContentEncoder(n_downsample, n_res, POSE_CHANNELS, dim, pad_type)
        self.dec = Decoder(n_downsample, n_res, self.enc_content.output_dim, IMAGE_CHANNELS, pad_type)
        self.fc = LinearBlock(style_dim, style_dim)
        self.mlp = MLP(style_dim, self.num_adain_params(), mlp_dim, 3)

    def num_adain_params(self) -> int:
        return sum(2 * m.num_features for m in self.dec.adain_layers())

    def encode_style(self, image: torch.Tensor, parsing: torch.Tensor) -> torch.Tensor:
        """Image in [-1, 1] (B, 3, 256, 176), one-hot parsing (B, 8, 256, 176) -> (B, 8, 64)."""
        return self.enc_style(image, parsing)

    def encode_content(self, pose_map: torch.Tensor) -> torch.Tensor:
        """(B, 18, 256, 176) pose map -> (B, 256, 64, 44) content code."""
        return self.enc_content(pose_map)

    def adain_params(self, style: torch.Tensor) -> list[torch.Tensor]:
        """Component codes (B, 8, 64) or (B, 512) -> one (B, 2C) tensor per AdaIN layer."""
        hidden = self.fc(style.reshape(style.shape[0], -1))
        params = self.mlp(hidden)
        out = []
        start = 0
        for layer in self.dec.adain_layers():
            out.append(params[:, start : start + 2 * layer.num_features])
            start += 2 * layer.num_features
        return out

    def decode(
        self,
        content: torch.Tensor,
        style: torch.Tensor,
        fast: bool = False,
        prepared: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Content code and component codes (B, 8, 64) -> image in [-1, 1] (B, 3, 256, 176).

        ``fast`` and ``prepared`` (``self.dec.prepare(content)``) are the catalogue shortcuts of
        :mod:`ml.adgan.inference`; the result is the same up to float rounding.
        """
        return self.dec(content, self.adain_params(style), fast=fast, prepared=prepared)

    def forward(self, pose_map: torch.Tensor, image: torch.Tensor, parsing: torch.Tensor) -> torch.Tensor:
        """Render the person of ``image`` (with its ``parsing``) in the pose of ``pose_map``."""
        return self.decode(self.encode_content(pose_map), self.encode_style(image, parsing))


def build_generator() -> ADGen:
    """The official DeepFashion configuration (ngf 64, style 512, 2 downsamplings, 8 res blocks)."""
    return ADGen()


__all__ = [
    "COMPONENT_DIM",
    "IMAGE_CHANNELS",
    "MLP",
    "MLP_DIM",
    "NGF",
    "NUM_COMPONENTS",
    "N_DOWNSAMPLE",
    "N_RES",
    "POSE_CHANNELS",
    "STYLE_DIM",
    "VGG_STYLE_TAPS",
    "ADGen",
    "AdaptiveInstanceNorm2d",
    "ContentEncoder",
    "Conv2dBlock",
    "Decoder",
    "LayerNorm",
    "LinearBlock",
    "ResBlock",
    "ResBlocks",
    "VggStyleEncoder",
    "build_generator",
    "last_conv",
    "upsample_conv",
    "vgg19_features",
]
