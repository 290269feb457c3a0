"""What a render is made of: its cache key and the product image it is made from."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from catalog.models import ProductImage
from tryon.models import RenderMode


def render_cache_key(
    *,
    photo_id: int,
    photo_hash: str,
    garments: Sequence[tuple[int, str]],
    mode: str,
    renderer: str,
    version: str,
) -> str:
    """sha256 over everything a render's pixels depend on."""
    raw = json.dumps(
        {
            "photo": [photo_id, photo_hash],
            "garments": [list(g) for g in garments],
            "mode": mode,
            "renderer": [renderer, version],
        },
        sort_keys=True,
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def garment_image_pick(
    images: Iterable[dict | ProductImage], *, renderer: str, mode: str = RenderMode.TRYON
) -> dict | ProductImage | None:
    """The product image a render is made from.

    Pose mode shows the product's model, so it takes an on-model photo whatever the renderer,
    and nothing when the product has none. Otherwise ADGAN transfers from a person, so it takes
    the on-model photo first; the warp renderer drapes a flat garment, so it takes a packshot
    first. Either falls back to the other role.
    """

    def field(item, name):
        return item[name] if isinstance(item, dict) else getattr(item, name)

    ordered = sorted(images, key=lambda i: (field(i, "order"), field(i, "id")))
    if mode == RenderMode.POSE:
        roles: tuple[str, ...] = ("on_model",)
    elif renderer == "adgan":
        roles = ("on_model", "packshot")
    else:
        roles = ("packshot", "on_model")
    for role in roles:
        for item in ordered:
            if field(item, "role") == role:
                return item
    return None
