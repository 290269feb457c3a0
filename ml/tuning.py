"""Tuning configs and the versions they feed.

Every tuned number of a model step lives as a named, documented field of a frozen dataclass in the
step's own module (``MeshTuning``, ``ParsingTuning``, ...). A step's version string carries a short
digest of its configs, so changing any number changes the version, and the store's staleness pass
redoes the stored analyses and renders made with the old numbers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

DIGEST_CHARS = 8


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "__type__": type(value).__name__,
            **{field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)},
        }
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, float):
        return repr(value)
    return value


def tuning_digest(*configs: Any) -> str:
    """A short, stable digest of frozen config dataclasses (their type names, field names and values)."""
    if not configs:
        raise ValueError("tuning_digest needs at least one config")
    for config in configs:
        if not (dataclasses.is_dataclass(config) and not isinstance(config, type)):
            raise TypeError(f"{config!r} is not a config dataclass instance")
    payload = json.dumps([_plain(config) for config in configs], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:DIGEST_CHARS]


def versioned(base: str, *configs: Any) -> str:
    """``base`` with the configs' digest appended: ``"warp-11+1a2b3c4d"``."""
    return f"{base}+{tuning_digest(*configs)}"


__all__ = ["DIGEST_CHARS", "tuning_digest", "versioned"]
