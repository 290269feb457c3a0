"""Business logic of the try-on pipeline: analyses, renders, invalidation, the render queue.

Celery tasks, views, the API, the admin and try-on's event receivers call these. Calls into
``ml`` go through :mod:`ml.pipeline` (and the renderer registry for what renderers can do); every
ml error ends as a stored status and a sentence, never as an exception in a worker.

- :mod:`.common`: settings-derived knobs (batch size, renderer choice, page size) and helpers;
- :mod:`.keys`: render cache keys and which product image a render is made from;
- :mod:`.analyses`: scheduling, running and cleaning up analyses;
- :mod:`.renders`: the shopper's card queue (ensure/invalidate), on-demand requests, retries;
- :mod:`.drain`: the worker side (claim a batch, render, store) and worker warm-up.

Everything public is re-exported here: ``from tryon.services import X`` is the way to call them.
"""

from tryon.services.analyses import (
    analyses_refresh_stale,
    product_image_analyse,
    product_image_schedule_analysis,
    reference_photo_analyse,
    reference_photo_schedule_analysis,
    schedule_missing_product_analyses,
)
from tryon.services.common import (
    LAYER_ORDER,
    OUTFIT_SLOTS,
    STUCK_AFTER,
    current_renderer,
    page_size,
    render_batch_size,
    render_chains,
)
from tryon.services.drain import renders_drain, renders_process_pending, warm_up
from tryon.services.keys import garment_image_pick, render_cache_key
from tryon.services.renders import (
    EnsureResult,
    first_page_product_ids,
    outfit_validate,
    photo_readiness,
    reference_photo_primary_changed,
    render_request,
    render_retry,
    renders_delete_for_renderer_other_than,
    renders_ensure_for_shopper,
    renders_invalidate_for_product_image,
    renders_kick_waiting_on,
    schedule_render_drain,
    shopper_photo,
)

__all__ = [
    "LAYER_ORDER",
    "OUTFIT_SLOTS",
    "STUCK_AFTER",
    "EnsureResult",
    "analyses_refresh_stale",
    "current_renderer",
    "first_page_product_ids",
    "garment_image_pick",
    "outfit_validate",
    "page_size",
    "photo_readiness",
    "product_image_analyse",
    "product_image_schedule_analysis",
    "reference_photo_analyse",
    "reference_photo_primary_changed",
    "reference_photo_schedule_analysis",
    "render_batch_size",
    "render_cache_key",
    "render_chains",
    "render_request",
    "render_retry",
    "renders_delete_for_renderer_other_than",
    "renders_drain",
    "renders_ensure_for_shopper",
    "renders_invalidate_for_product_image",
    "renders_kick_waiting_on",
    "renders_process_pending",
    "schedule_missing_product_analyses",
    "schedule_render_drain",
    "shopper_photo",
    "warm_up",
]
