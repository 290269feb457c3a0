"""What an operator configures about ``ml``: model files, limits, caches.

``ml`` never reads the environment itself; whoever runs it passes a :class:`MLConfig` to
:func:`configure` once at start-up: the store (``shop.apps.ShopConfig.ready``, from its settings,
which read the environment in one place), the ``python -m ml`` command line (from the environment,
see :func:`from_environ`), a test or a notebook (by hand). Until then the defaults apply: the
heuristic parser, no ADGAN, the default pixel limit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields

DEFAULT_MAX_IMAGE_PIXELS = 40_000_000
PARSER_LABEL_SETS = ("lip", "atr", "cihp")


@dataclass(frozen=True)
class MLConfig:
    # path of an ADGAN generator checkpoint (latest_net_netG.pth); "" = the ADGAN renderer is off
    adgan_checkpoint: str = ""
    # torchvision's ImageNet VGG19 weights, for ADGAN training only (nothing is downloaded)
    vgg19_weights: str = ""
    # a TorchScript human parser; "" = the weight-free heuristic parser
    parser_model: str = ""
    # the label set of that parser's output
    parser_labels: str = "lip"
    # the largest image (pixels, after EXIF rotation) decoded at all: a decompression-bomb guard
    max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS
    # where the body model (anny) keeps its built data; "" = var/anny under the repository
    body_cache_dir: str = ""

    def __post_init__(self) -> None:
        if self.parser_labels not in PARSER_LABEL_SETS:
            raise ValueError(
                f"parser_labels must be one of {', '.join(PARSER_LABEL_SETS)}, not {self.parser_labels!r}"
            )
        if self.max_image_pixels <= 0:
            raise ValueError(f"max_image_pixels must be positive, not {self.max_image_pixels}")


# The environment variable each field is read from by from_environ (the store's settings use the same names).
ENVIRONMENT = {
    "adgan_checkpoint": "ADGAN_CHECKPOINT",
    "vgg19_weights": "ML_VGG19_WEIGHTS",
    "parser_model": "ML_PARSER_MODEL",
    "parser_labels": "ML_PARSER_LABELS",
    "max_image_pixels": "ML_MAX_IMAGE_PIXELS",
    "body_cache_dir": "ML_BODY_CACHE_DIR",
}

_lock = threading.Lock()
_config = MLConfig()
_on_change: list[Callable[[], None]] = []


def from_environ(environ: Mapping[str, str]) -> MLConfig:
    """A config from environment-style variables (:data:`ENVIRONMENT`); unset or empty ones keep
    their defaults. Raises ``ValueError`` naming the variable for a value that cannot be used."""
    values: dict[str, object] = {}
    for field in fields(MLConfig):
        raw = environ.get(ENVIRONMENT[field.name], "").strip()
        if not raw:
            continue
        if field.type in ("int", int):
            try:
                values[field.name] = int(raw)
            except ValueError:
                raise ValueError(f"{ENVIRONMENT[field.name]} must be a whole number, not {raw!r}") from None
        else:
            values[field.name] = raw.lower() if field.name == "parser_labels" else raw
    try:
        return MLConfig(**values)
    except ValueError as error:
        raise ValueError(f"ml configuration from the environment: {error}") from None


def configure(config: MLConfig) -> None:
    """Use ``config`` from now on; process-wide instances built from the old one are forgotten."""
    global _config
    with _lock:
        changed = config != _config
        _config = config
    if changed:
        for forget in list(_on_change):
            forget()


def current() -> MLConfig:
    return _config


def on_change(forget: Callable[[], None]) -> Callable[[], None]:
    """Register ``forget`` to run when the config changes (a module's cached instance built from it)."""
    _on_change.append(forget)
    return forget


__all__ = [
    "DEFAULT_MAX_IMAGE_PIXELS",
    "ENVIRONMENT",
    "MLConfig",
    "configure",
    "current",
    "from_environ",
    "on_change",
]
