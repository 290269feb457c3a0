"""Renderers: turn a :class:`ml.types.RenderRequest` into a :class:`ml.types.RenderResult`.

Each renderer registers itself under a name with a version string; the store stores both
with every render, so a version bump invalidates cached renders.
"""

from ml.render.registry import Renderer, get_renderer, register_renderer, renderer_names

__all__ = ["Renderer", "get_renderer", "register_renderer", "renderer_names"]
