"""Building blocks of the ADGAN generator (official names, so state dicts load with ``strict=True``)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class LayerNorm(nn.Module):
    def __init__(self, num_features: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.gamma = nn.Parameter(torch.empty(num_features).uniform_())
        self.beta = nn.Parameter(torch.zeros(num_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        flat = x.reshape(x.shape[0], -1)
        shape = (-1,) + (1,) * (x.dim() - 1)
        mean = flat.mean(1).view(shape)
        std = flat.std(1).view(shape)  # unbiased, as in the official code
        x = (x - mean) / (std + self.eps)
        affine_shape = (1, -1) + (1,) * (x.dim() - 2)
        return x * self.gamma.view(affine_shape) + self.beta.view(affine_shape)


class AdaptiveInstanceNorm2d(nn.Module):
    """Instance norm whose scale and shift come from the style MLP, passed per call."""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        # unused, but part of the official state dict
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def normalise(self, x: torch.Tensor) -> torch.Tensor:
        b, c = x.shape[:2]
        out = F.batch_norm(x.reshape(1, b * c, *x.shape[2:]), None, None, None, None, True, 0.0, self.eps)
        return out.view(x.shape)

    def modulate(self, normalised: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
        """``params`` is (B, 2C): the shift (the official "mean") then the scale ("std")."""
        c = self.num_features
        shift = params[:, :c, None, None]
        scale = params[:, c : 2 * c, None, None]
        return normalised * scale + shift

    def forward(self, x: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
        b, c = x.shape[:2]
        weight = params[:, c : 2 * c].reshape(-1)
        bias = params[:, :c].reshape(-1)
        out = F.batch_norm(
            x.reshape(1, b * c, *x.shape[2:]), None, None, weight, bias, True, self.momentum, self.eps
        )
        return out.view(x.shape)


_PADS = {"reflect": nn.ReflectionPad2d, "replicate": nn.ReplicationPad2d, "zero": nn.ZeroPad2d}


class Conv2dBlock(nn.Module):
    def __init__(
        self,
        in_dim: int,
        out_dim: int,
        kernel: int,
        stride: int,
        padding: int = 0,
        norm: str = "none",
        activation: str = "relu",
        pad_type: str = "reflect",
    ) -> None:
        super().__init__()
        self.pad = _PADS[pad_type](padding)
        if norm == "in":
            self.norm: nn.Module | None = nn.InstanceNorm2d(out_dim)
        elif norm == "ln":
            self.norm = LayerNorm(out_dim)
        elif norm == "adain":
            self.norm = AdaptiveInstanceNorm2d(out_dim)
        elif norm == "none":
            self.norm = None
        else:
            raise ValueError(f"unsupported norm {norm!r}")
        if activation == "relu":
            self.activation: nn.Module | None = nn.ReLU(inplace=True)
        elif activation == "tanh":
            self.activation = nn.Tanh()
        elif activation == "none":
            self.activation = None
        else:
            raise ValueError(f"unsupported activation {activation!r}")
        self.conv = nn.Conv2d(in_dim, out_dim, kernel, stride, bias=True)

    @property
    def is_adain(self) -> bool:
        return isinstance(self.norm, AdaptiveInstanceNorm2d)

    def forward(self, x: torch.Tensor, adain_params: torch.Tensor | None = None) -> torch.Tensor:
        x = self.conv(self.pad(x))
        if self.norm is not None:
            x = self.norm(x, adain_params) if self.is_adain else self.norm(x)
        if self.activation is not None:
            x = self.activation(x)
        return x


class ResBlock(nn.Module):
    def __init__(self, dim: int, norm: str, pad_type: str) -> None:
        super().__init__()
        self.model = nn.Sequential(
            Conv2dBlock(dim, dim, 3, 1, 1, norm=norm, activation="relu", pad_type=pad_type),
            Conv2dBlock(dim, dim, 3, 1, 1, norm=norm, activation="none", pad_type=pad_type),
        )

    def forward(self, x: torch.Tensor, adain_params: list[torch.Tensor] | None = None) -> torch.Tensor:
        first, second = self.model
        if adain_params is None:
            return self.model(x) + x
        return second(first(x, adain_params[0]), adain_params[1]) + x


class ResBlocks(nn.Module):
    def __init__(self, num_blocks: int, dim: int, norm: str, pad_type: str) -> None:
        super().__init__()
        self.model = nn.Sequential(*[ResBlock(dim, norm, pad_type) for _ in range(num_blocks)])

    def forward(
        self,
        x: torch.Tensor,
        adain_params: list[torch.Tensor] | None = None,
        first_normalised: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """``first_normalised``: the first block's first conv of ``x``, instance-normalised (cached)."""
        if adain_params is None:
            return self.model(x)
        for index, block in enumerate(self.model):
            params = adain_params[2 * index : 2 * index + 2]
            if index == 0 and first_normalised is not None:
                first, second = block.model
                hidden = first.activation(first.norm.modulate(first_normalised, params[0]))
                x = second(hidden, params[1]) + x
            else:
                x = block(x, params)
        return x


class LinearBlock(nn.Module):
    def __init__(self, in_dim: int, out_dim: int, activation: str = "relu") -> None:
        super().__init__()
        self.fc = nn.Linear(in_dim, out_dim, bias=True)
        self.activation = nn.ReLU(inplace=True) if activation == "relu" else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.fc(x)
        return self.activation(x) if self.activation is not None else x


class MLP(nn.Module):
    def __init__(self, in_dim: int, out_dim: int, dim: int, n_blocks: int) -> None:
        super().__init__()
        blocks = [LinearBlock(in_dim, dim)]
        blocks += [LinearBlock(dim, dim) for _ in range(n_blocks - 2)]
        blocks += [LinearBlock(dim, out_dim, activation="none")]
        self.model = nn.Sequential(*blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x.reshape(x.shape[0], -1))
