"""Settings-derived knobs and small helpers shared by the try-on services."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage

from ml import pipeline
from ml.kinds import KIND_ORDER
from ml.render.registry import pick_renderer

STUCK_AFTER = timedelta(minutes=10)
OUTFIT_SLOTS = {
    # kind -> the kinds it may be combined with
    "top": {"bottom", "outerwear"},
    "bottom": {"top", "outerwear"},
    "dress": {"outerwear"},
    "outerwear": {"top", "bottom", "dress"},
}
# Garments are layered in this order (inner first): ml's, the one table of what each kind means.
LAYER_ORDER = {str(kind): order for kind, order in KIND_ORDER.items()}


def render_batch_size() -> int:
    return max(1, int(getattr(settings, "TRYON_RENDER_BATCH", 8)))


def render_chains() -> int:
    return max(1, int(getattr(settings, "TRYON_RENDER_CHAINS", 2)))


def enabled_renderer_names() -> list[str]:
    """``TRYON_RENDERERS`` (in order of preference), else the older single ``TRYON_RENDERER``."""
    names = list(getattr(settings, "TRYON_RENDERERS", None) or [])
    return names or [name for name in [getattr(settings, "TRYON_RENDERER", "")] if name]


def enabled_renderers(*, instantiate: bool = False) -> list[pipeline.RendererChoice]:
    """The enabled renderers that can run here, in order; the registry's default one last."""
    return pipeline.choose_renderers(enabled_renderer_names(), instantiate=instantiate)


def current_renderer(*, instantiate: bool = False) -> pipeline.RendererChoice:
    """The first enabled renderer (the one a product goes to when several could render it)."""
    return enabled_renderers(instantiate=instantiate)[0]


def renderer_for(
    choices: list[pipeline.RendererChoice], *, kinds: list[str], mode: str, roles: list[set[str]]
) -> pipeline.RendererChoice:
    """The renderer of ``choices`` for garments of ``kinds`` (each with the photo ``roles`` it has)
    in ``mode``: the first that renders them; when none can, the first (it says why on the card)."""
    name = pick_renderer([c.name for c in choices], kinds=kinds, mode=mode, roles=roles)
    return next((c for c in choices if c.name == name), choices[0])


def quality_threshold() -> float | None:
    """The confidence under which a try-on card is held back; None when the gate is off."""
    if not getattr(settings, "TRYON_QUALITY_GATE", True):
        return None
    configured = getattr(settings, "TRYON_QUALITY_THRESHOLD", None)
    return pipeline.default_quality_threshold() if configured is None else float(configured)


def page_size() -> int:
    return int(getattr(settings, "CATALOG_PAGE_SIZE", 12))


def enqueue_on_commit(task, *args) -> None:
    """Send ``task`` after the commit; a broker failure is logged, never raised (the sweeper resends)."""
    from tryon.services.leases import enqueue_on_commit as safe_enqueue_on_commit

    safe_enqueue_on_commit(task, *args)


def read_stored(field_file) -> bytes:
    with default_storage.open(field_file.name, "rb") as handle:
        return handle.read()
