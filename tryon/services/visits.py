"""A shopper looking at a catalogue page: their cards on that page are made first.

The full catalogue check (:func:`renders_ensure_for_shopper`) reads the whole catalogue. A visit
runs it only when the catalogue changed since the shopper's last check (a fingerprint of the
active products and their images, and the renderer version: one aggregate query) or when the last
check is older than ``TRYON_VISIT_ENSURE_S``. Otherwise a visit only moves the page's queued cards
ahead (one indexed read, and an update when there is something to move). What else changes what
must be rendered (a new photo, a replaced product image, an analysis that ends) runs the check itself.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from catalog.models import ProductImage
from tryon.models import Render, RenderKind, RenderMode, RenderStatus
from tryon.services.common import enabled_renderers
from tryon.services.renders import renders_ensure_for_shopper


def catalogue_fingerprint() -> str:
    """What the shopper's cards depend on in the catalogue, in one query (changes on any edit)."""
    row = ProductImage.objects.filter(product__is_active=True).aggregate(
        images=Count("id"),
        products=Count("product_id", distinct=True),
        image_changed=Max("updated_at"),
        product_changed=Max("product__updated_at"),
        last_image=Max("id"),
    )
    renderers = ",".join(f"{c.name}@{c.version}" for c in enabled_renderers())
    return "|".join(str(row[k]) for k in sorted(row)) + f"|{renderers}"


def shopper_visit(*, user, photo_id: int, page_product_ids: Sequence[int]) -> bool:
    """Record a visit of ``user`` (whose primary, ready photo is ``photo_id``) to a page.

    Returns True when the full check ran.
    """
    every = int(getattr(settings, "TRYON_VISIT_ENSURE_S", 300))
    key = f"tryon:visit-ensure:{user.pk}:{photo_id}"
    fingerprint = catalogue_fingerprint()
    if every <= 0 or cache.get(key) != fingerprint:
        renders_ensure_for_shopper(user=user, page_product_ids=list(page_product_ids))
        if every > 0:
            cache.set(key, fingerprint, timeout=every)
        return True
    now = int(time.time())
    waiting = list(
        Render.objects.filter(
            photo_id=photo_id,
            status=RenderStatus.QUEUED,
            kind=RenderKind.CARD,
            mode=RenderMode.TRYON,
            product_id__in=list(page_product_ids),
            priority__lt=now,
        ).values_list("id", flat=True)
    )
    if waiting:
        Render.objects.filter(pk__in=waiting, status=RenderStatus.QUEUED).update(priority=now)
    return False


def shopper_page_visit(*, user, page_product_ids: Sequence[int]):
    """A page of cards was opened (a storefront page's POST, or an API client's): that page's cards
    are made first. Returns the shopper's state as it is after the visit."""
    from tryon import selectors

    shopper = selectors.shopper_state(user=user)
    if shopper.state == "ready":
        # the catalogue check runs only when the catalogue changed; otherwise the page moves ahead
        shopper_visit(user=user, photo_id=shopper.photo.pk, page_product_ids=page_product_ids)
    elif shopper.state == "analysing":
        renders_ensure_for_shopper(user=user, page_product_ids=list(page_product_ids))
        shopper = selectors.shopper_state(user=user)
    return shopper
