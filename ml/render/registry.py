from __future__ import annotations

import importlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from ml.errors import RendererUnavailable
from ml.types import PhotoAnalysis, RenderRequest, RenderResult


class Renderer(ABC):
    """One way of rendering products on a shopper.

    Subclasses load their models in ``__init__`` (called once per process by
    :func:`get_renderer`) and raise :class:`RendererUnavailable` there when they cannot run.
    """

    name: ClassVar[str]
    version: ClassVar[str]

    @classmethod
    def unavailable_reason(cls) -> str | None:
        """A sentence saying why this renderer cannot run here, or None when it can."""
        return None

    def precompute(self, analysis: PhotoAnalysis) -> dict[str, np.ndarray]:
        """Per-photo work worth caching (stored in ``PhotoAnalysis.extras``)."""
        return {}

    @abstractmethod
    def render(self, request: RenderRequest) -> RenderResult: ...

    def render_batch(self, requests: Sequence[RenderRequest]) -> list[RenderResult]:
        return [self.render(request) for request in requests]


# name -> module that registers it on import; keeps start-up cheap (no torch import for warp).
_BUILTIN_MODULES = {"warp": "ml.render.warp", "adgan": "ml.adgan.renderer"}
_classes: dict[str, type[Renderer]] = {}
_instances: dict[str, Renderer] = {}
_lock = threading.Lock()


def register_renderer(cls: type[Renderer]) -> type[Renderer]:
    _classes[cls.name] = cls
    return cls


def renderer_names() -> list[str]:
    return sorted(set(_BUILTIN_MODULES) | set(_classes))


def renderer_class(name: str) -> type[Renderer]:
    if name not in _classes and name in _BUILTIN_MODULES:
        importlib.import_module(_BUILTIN_MODULES[name])
    try:
        return _classes[name]
    except KeyError:
        known = ", ".join(renderer_names())
        raise RendererUnavailable(f"There is no renderer called {name!r} (known: {known}).") from None


def get_renderer(name: str) -> Renderer:
    """The process-wide instance of renderer ``name``, created on first use."""
    with _lock:
        if name not in _instances:
            cls = renderer_class(name)
            reason = cls.unavailable_reason()
            if reason:
                raise RendererUnavailable(reason)
            _instances[name] = cls()
        return _instances[name]
