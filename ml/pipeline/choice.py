"""Which enabled renderers can run in this process, in the store's order of preference."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from ml.errors import RendererUnavailable
from ml.render.registry import (
    DEFAULT_RENDERER,
    extras_version,
    fallback_order,
    get_renderer,
    renderer_class,
)

logger = logging.getLogger(__name__)


@dataclass
class RendererChoice:
    name: str
    version: str
    fallback_reason: str = ""
    instance: object | None = None  # the Renderer, once created in this process
    extras_version: str = ""

    @property
    def key(self) -> str:
        """What a stored analysis's ``extras_for`` names: the renderer and its extras' version."""
        return f"{self.name}@{self.extras_version or self.version}"


_choice_lock = threading.Lock()
_choices: dict[tuple[str, ...], list[RendererChoice]] = {}


def _choose(name: str, instantiate: bool) -> RendererChoice:
    cls = renderer_class(name)
    unavailable = cls.unavailable_reason()
    if unavailable:
        raise RendererUnavailable(unavailable)
    instance = get_renderer(name) if instantiate else None
    return RendererChoice(
        name=name, version=str(cls.version), instance=instance, extras_version=extras_version(name)
    )


def choose_renderers(wanted: Sequence[str], *, instantiate: bool = False) -> list[RendererChoice]:
    """The enabled renderers that can run here, in ``wanted``'s order (the store's setting),
    the registry's default renderer last; one that cannot run is left out with a logged reason.

    Without ``instantiate`` only the classes are looked at (cheap: web processes key the cache
    on name + version without loading models).
    """
    names = tuple(fallback_order([n for n in wanted if n]))
    with _choice_lock:
        cached = _choices.get(names)
        if cached is not None and (not instantiate or all(c.instance is not None for c in cached)):
            return cached
        choices, reasons = [], []
        for name in names:
            try:
                choices.append(_choose(name, instantiate))
            except RendererUnavailable as error:
                if name == DEFAULT_RENDERER:
                    raise
                reasons.append(f"The {name!r} renderer is not available ({error.message}).")
                logger.warning(reasons[-1])
        choices[0].fallback_reason = " ".join(reasons)
        _choices[names] = choices
        return choices


def choose_renderer(wanted: str | None, *, instantiate: bool = False) -> RendererChoice:
    """The renderer to use for ``wanted``, falling back to the registry's default renderer."""
    return choose_renderers([wanted or DEFAULT_RENDERER], instantiate=instantiate)[0]


def forget_renderer_choices() -> None:
    with _choice_lock:
        _choices.clear()
