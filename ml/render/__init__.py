"""Renderers: turn a :class:`ml.types.RenderRequest` into a :class:`ml.types.RenderResult`.

Each renderer registers itself under a name with a version string; the store stores both
with every render, so a version bump invalidates cached renders. Its registry entry
(:class:`RendererInfo`) says what it can render and from which product photos.
"""

from ml.render.registry import (
    Renderer,
    RendererInfo,
    get_renderer,
    pick_renderer,
    register_renderer,
    renderer_info,
    renderer_names,
)

__all__ = [
    "Renderer",
    "RendererInfo",
    "get_renderer",
    "pick_renderer",
    "register_renderer",
    "renderer_info",
    "renderer_names",
]
