"""Reading and writing generator checkpoints and the local VGG19 weights."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

import torch
from torch import nn

from ml import config
from ml.config import ENVIRONMENT
from ml.errors import InvalidModelFile

from .networks import AdaptiveInstanceNorm2d, ADGen, build_generator

VGG19_ENV = ENVIRONMENT["vgg19_weights"]  # named in the sentence an operator reads
VGG19_FILENAME = "vgg19-dcbb9e9d.pth"
_PREFIX = "module."


def _read(path: str | os.PathLike, what: str) -> object:
    if not isinstance(path, str | os.PathLike) or not str(path).strip():
        raise InvalidModelFile(f"No {what} file was named (got {path!r}); give the path of a .pth file.")
    path = Path(path)
    if not path.is_file():
        raise InvalidModelFile(f"The {what} file {path} does not exist.")
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many kinds for corrupt or foreign files
        raise InvalidModelFile(
            f"The {what} file {path} could not be read as a PyTorch checkpoint ({type(error).__name__})."
        ) from error


def unwrap_state_dict(data: object, path: str | os.PathLike, what: str) -> dict[str, torch.Tensor]:
    """Plain dict, ``{"state_dict": ...}`` wrapper and DataParallel ``module.`` keys -> plain dict."""
    if isinstance(data, Mapping) and isinstance(data.get("state_dict"), Mapping):
        data = data["state_dict"]
    if not isinstance(data, Mapping) or not data:
        raise InvalidModelFile(f"The {what} file {path} does not hold a state dict.")
    if not all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in data.items()):
        raise InvalidModelFile(f"The {what} file {path} holds something other than named tensors.")
    if all(key.startswith(_PREFIX) for key in data):
        data = {key[len(_PREFIX) :]: value for key, value in data.items()}
    return dict(data)


def check_layout(
    model: nn.Module, state: dict[str, torch.Tensor], path: str | os.PathLike, what: str
) -> None:
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    if missing or unexpected:
        parts = []
        if missing:
            parts.append(f"{len(missing)} missing (first: {missing[0]})")
        if unexpected:
            parts.append(f"{len(unexpected)} unexpected (first: {unexpected[0]})")
        raise InvalidModelFile(
            f"The {what} file {path} does not have the expected layout: tensors {' and '.join(parts)}."
        )
    for key, tensor in expected.items():
        if tuple(state[key].shape) != tuple(tensor.shape):
            raise InvalidModelFile(
                f"The {what} file {path} does not have the expected layout: {key} has shape "
                f"{tuple(state[key].shape)}, expected {tuple(tensor.shape)}."
            )


def _fill_adain_buffers(model: ADGen, state: dict[str, torch.Tensor]) -> None:
    # The official loader drops the (unused) AdaIN running statistics, so some re-saved files lack them.
    for name, module in model.named_modules():
        if isinstance(module, AdaptiveInstanceNorm2d):
            for buffer in ("running_mean", "running_var"):
                state.setdefault(f"{name}.{buffer}", getattr(module, buffer).detach().clone())


def load_generator(path: str | os.PathLike, device: str | torch.device | None = None) -> ADGen:
    """The official-layout generator with the weights of ``path``, in eval mode.

    Raises :class:`InvalidModelFile` with a sentence when the file is missing, unreadable or
    does not have the official layout.
    """
    state = unwrap_state_dict(_read(path, "ADGAN generator"), path, "ADGAN generator")
    model = build_generator()
    _fill_adain_buffers(model, state)
    check_layout(model, state, path, "ADGAN generator")
    model.load_state_dict(state, strict=True)
    model.eval()
    if device is not None:
        model.to(device)
    return model


def save_generator(model: nn.Module, path: str | os.PathLike) -> None:
    """Save in the official layout (plain state dict on the CPU, no ``module.`` prefix)."""
    if isinstance(model, nn.DataParallel | nn.parallel.DistributedDataParallel):
        model = model.module
    state = {key: value.detach().cpu() for key, value in model.state_dict().items()}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(f"{path}.tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def vgg19_weights_path(path: str | os.PathLike | None = None) -> Path:
    chosen = path or config.current().vgg19_weights or None
    if not chosen:
        raise InvalidModelFile(
            f"Training needs the ImageNet VGG19 weights ({VGG19_FILENAME}, torchvision's file): "
            f"set {VGG19_ENV}=/path/to/{VGG19_FILENAME} or pass --vgg19. Nothing is downloaded."
        )
    chosen = Path(chosen)
    if not chosen.is_file():
        raise InvalidModelFile(
            f"The VGG19 weights file {chosen} does not exist (expected torchvision's {VGG19_FILENAME})."
        )
    return chosen


def load_vgg19_features(features: nn.Sequential, path: str | os.PathLike | None = None) -> None:
    """Copy the ImageNet VGG19 ``features.*`` weights of torchvision's file into ``features``."""
    chosen = vgg19_weights_path(path)
    state = unwrap_state_dict(_read(chosen, "VGG19 weights"), chosen, "VGG19 weights")
    # ``features`` may be a prefix of VGG19's (the loss network stops at relu4_2)
    own = features.state_dict()
    wanted = {key[len("features.") :]: value for key, value in state.items() if key.startswith("features.")}
    wanted = {key: value for key, value in wanted.items() if key in own}
    check_layout(features, wanted, chosen, "VGG19 weights")
    features.load_state_dict(wanted, strict=True)


def file_digest(path: str | os.PathLike, length: int = 12) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:length]
