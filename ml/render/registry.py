"""The renderers and what each can do.

A renderer is a :class:`Renderer` subclass in its own module plus one :class:`RendererInfo` entry
(``BUILTIN`` below, or ``register_renderer(cls, info=...)`` for one defined elsewhere). The entry
says what the store needs to know without loading any model: the garment kinds and modes it
renders, the product photo roles it can use in order of preference, whether it wants a GPU, and the
version of its precomputed per-photo extras. Nothing outside this module and the renderer's own
names a renderer: the store picks, per product, the first enabled renderer that can render it.
"""

from __future__ import annotations

import importlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ml.errors import RendererUnavailable
from ml.types import Finding, GarmentKind, Packshot, PhotoAnalysis, RenderMode, RenderRequest, RenderResult

PACKSHOT = "packshot"
ON_MODEL = "on_model"
ALL_KINDS = frozenset(GarmentKind)
ALL_MODES = frozenset(RenderMode)


@dataclass(frozen=True)
class RendererInfo:
    """What a renderer can do, known before it is loaded."""

    name: str
    module: str = ""  # imported on first use; it defines the class and registers it
    kinds: frozenset[GarmentKind] = ALL_KINDS
    modes: frozenset[RenderMode] = ALL_MODES
    photo_roles: tuple[str, ...] = (PACKSHOT, ON_MODEL)  # product photos it can use, preferred first
    needs_gpu: bool = False  # too slow for the catalogue without one: run it on GPU render workers
    # Version of what ``precompute()`` stores with a photo's analysis; "" = the renderer's version.
    extras_version: str = ""

    def supports(self, kinds: Iterable[str], mode: str) -> bool:
        return RenderMode(mode) in self.modes and all(GarmentKind(kind) in self.kinds for kind in kinds)

    def can_use(self, roles: Collection[str]) -> bool:
        """Whether one of the product photo ``roles`` at hand is one this renderer can use."""
        return any(role in self.photo_roles for role in roles)


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

    def precompute_packshot(self, packshot: Packshot) -> dict[str, np.ndarray]:
        """Per-packshot work worth caching (stored in ``Packshot.extras`` with the product's
        analysis, so the first card of a product costs what the others do)."""
        return {}

    def product_photo_findings(self, analysis: PhotoAnalysis, kind: GarmentKind) -> list[Finding]:
        """What this renderer cannot draw from an on-model product photo of ``kind``, told to the
        merchant when the photo is uploaded (each card would only repeat it to shoppers)."""
        return []

    @abstractmethod
    def render(self, request: RenderRequest) -> RenderResult: ...

    def render_batch(self, requests: Sequence[RenderRequest]) -> list[RenderResult]:
        return [self.render(request) for request in requests]


# The renderers that ship, by name; their modules load on first use (no torch import for warp).
BUILTIN: dict[str, RendererInfo] = {
    # drapes a flat garment (packshot) or cuts it out of an on-model photo; CPU
    "warp": RendererInfo(name="warp", module="ml.render.warp", photo_roles=(PACKSHOT, ON_MODEL)),
    # transfers a garment from a person: on-model photos only; style codes precomputed per photo
    "adgan": RendererInfo(name="adgan", module="ml.adgan.renderer", photo_roles=(ON_MODEL,), needs_gpu=True),
}
DEFAULT_RENDERER = "warp"  # the last resort of every fallback order
_infos: dict[str, RendererInfo] = dict(BUILTIN)
_classes: dict[str, type[Renderer]] = {}
_instances: dict[str, Renderer] = {}
_lock = threading.Lock()


def register_renderer(cls: type[Renderer] | None = None, *, info: RendererInfo | None = None):
    """Register a renderer class (usable as a decorator, with or without ``info``).

    A class without an entry gets the defaults: every kind and mode, packshots then on-model photos.
    """

    def register(renderer: type[Renderer]) -> type[Renderer]:
        _classes[renderer.name] = renderer
        if info is not None:
            _infos[renderer.name] = info
        elif renderer.name not in _infos:
            _infos[renderer.name] = RendererInfo(name=renderer.name)
        return renderer

    return register if cls is None else register(cls)


def renderer_names() -> list[str]:
    return sorted(set(_infos) | set(_classes))


def renderer_info(name: str) -> RendererInfo:
    try:
        return _infos[name]
    except KeyError:
        known = ", ".join(renderer_names())
        raise RendererUnavailable(f"There is no renderer called {name!r} (known: {known}).") from None


def extras_version(name: str) -> str:
    """The version of renderer ``name``'s precomputed extras (stored analyses compare against it)."""
    return renderer_info(name).extras_version or str(renderer_class(name).version)


def fallback_order(names: Sequence[str]) -> list[str]:
    """``names`` without repeats, the default renderer last (it renders whatever the others cannot)."""
    return list(dict.fromkeys([*names, DEFAULT_RENDERER]))


def pick_renderer(names: Sequence[str], *, kinds: Sequence[str], mode: str, roles: Sequence[Collection[str]]):
    """The first of ``names`` that renders every garment kind in ``mode`` and can use one of the
    photo ``roles`` each garment has; None when none can."""
    for name in names:
        info = renderer_info(name)
        if info.supports(kinds, mode) and all(info.can_use(garment_roles) for garment_roles in roles):
            return name
    return None


def renderer_class(name: str) -> type[Renderer]:
    module = _infos[name].module if name in _infos else ""
    if name not in _classes and module:
        importlib.import_module(module)
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
