"""What a render is made of: its cache key and the product image it is made from."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from catalog.models import ProductImage
from ml.render.registry import renderer_info
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

    Pose mode shows the product's model, so it takes an on-model photo whatever the renderer, and
    nothing when the product has none. Otherwise the first of the renderer's photo roles (its
    registry entry, in order of preference) the product has, else any other photo (the renderer
    then says on the card why it cannot use it)."""
    ordered = sorted(images, key=lambda i: (image_field(i, "order"), image_field(i, "id")))
    if mode == RenderMode.POSE:
        roles: list[str] = [ProductImage.Role.ON_MODEL]
    else:
        preferred = renderer_info(renderer).photo_roles
        roles = [*preferred, *(r for r in ProductImage.Role.values if r not in preferred)]
    for role in roles:
        for item in ordered:
            if image_field(item, "role") == role:
                return item
    return None


def image_field(item: dict | ProductImage, name: str):
    return item[name] if isinstance(item, dict) else getattr(item, name)
