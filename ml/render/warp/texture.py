"""The garment's own texture under what hid it on the product photo (warp-25).

An on-model garment has holes where the model's hands, arms or hair lay over it; they are filled
with a smooth colour (push-pull from the garment around them), which showed on the shopper as a
flat grey or brown slab across a printed dress's waist. Garments repeat their fabric up and down
the body, so each hole also gets the garment's texture from a copy of the garment shifted straight
up or down by about the hole's height: the shift whose copy matches the garment around the hole
best, when the copy lies on the garment for nearly the whole hole. The copy keeps the smooth fill's
light (its low frequencies) and brings only its own detail, and fades in over its edge.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class TextureFillTuning:
    """How an on-model garment's holes get its texture back (lengths in px of the product photo)."""

    shifts: tuple[float, ...] = (1.0, -1.0, 1.5, -1.5, 2.0, -2.0)  # tried shifts, in hole heights
    min_cover: float = 0.8  # the shifted copy lies on the garment for at least this share of the hole
    min_area: int = 20  # px: smaller holes keep the smooth fill
    ring: int = 5  # px: the garment this far around a hole decides between the shifts ...
    min_ring: int = 10  # px: ... when at least this many of its pixels are compared
    source_inset: int = 5  # px: copied from the garment eroded by a kernel this wide (no edge pixels)
    light_sigma_share: float = (
        1.0 / 6.0
    )  # the light kept from the smooth fill: a blur of this many hole heights ...
    min_light_sigma: float = 2.0  # ... and at least this many px
    fade_sigma: float = 1.5  # px: the copy fades in over its edge


TUNING = TextureFillTuning()


def textured_fill(
    image: np.ndarray,
    smooth: np.ndarray,
    garment: np.ndarray,
    holes: np.ndarray,
    t: TextureFillTuning = TUNING,
) -> np.ndarray:
    """``smooth`` with the garment's texture in its ``holes``: ``image`` is the product photo,
    ``garment`` (bool) the garment's own pixels there, ``holes`` (bool) what the smooth fill painted."""
    count, components, stats, _ = cv2.connectedComponentsWithStats(holes.astype(np.uint8), connectivity=8)
    if count <= 1:
        return smooth
    source = cv2.erode(garment.astype(np.uint8), np.ones((t.source_inset, t.source_inset), np.uint8)) > 0
    out = smooth.copy()
    grown = np.ones((2 * t.ring + 1, 2 * t.ring + 1), np.uint8)
    rows, cols = holes.shape
    for index in range(1, count):
        left, top, width, height, area = stats[index]
        if area < t.min_area:
            continue
        # the hole's box with room for its ring and its light's blur; the shifted copies are read
        # from the whole photo
        sigma = max(t.min_light_sigma, height * t.light_sigma_share)
        margin = t.ring + int(np.ceil(3 * sigma))
        y0, y1 = max(0, top - margin), min(rows, top + height + margin)
        x0, x1 = max(0, left - margin), min(cols, left + width + margin)
        box = (slice(y0, y1), slice(x0, x1))
        hole = components[box] == index
        ring = (cv2.dilate(hole.astype(np.uint8), grown) > 0) & ~hole & garment[box]
        shift = _best_shift(image, hole, ring, garment, source, (y0, x0), height, t)
        if shift is None:
            continue
        copy, inside = _rows_from(image, y0 + shift, y1 + shift, x0, x1)
        from_garment = inside & _rows_from(source, y0 + shift, y1 + shift, x0, x1)[0]
        on_garment = hole & from_garment
        base = out[box].astype(np.float32)
        # off the garment the copy is the smooth fill, so no edge or background bleeds into its detail
        copy = np.where(from_garment[..., None], copy.astype(np.float32), base)
        detail = copy - cv2.GaussianBlur(copy, (0, 0), sigma)
        textured = np.clip(cv2.GaussianBlur(base, (0, 0), sigma) + detail, 0, 255)
        weight = cv2.GaussianBlur(on_garment.astype(np.float32), (0, 0), t.fade_sigma) * on_garment
        blended = base * (1.0 - weight[..., None]) + textured * weight[..., None]
        region = out[box]
        region[hole] = np.clip(blended[hole], 0, 255).astype(np.uint8)
    return out


def _best_shift(
    image: np.ndarray,
    hole: np.ndarray,
    ring: np.ndarray,
    garment: np.ndarray,
    source: np.ndarray,
    origin: tuple[int, int],
    height: int,
    t: TextureFillTuning,
) -> int | None:
    """The vertical shift (px) whose copy of the garment covers the hole and matches its ring best
    (``hole`` and ``ring`` are boxes of the photo starting at ``origin``)."""
    rows = image.shape[0]
    hole_y, hole_x = np.nonzero(hole)
    ring_y, ring_x = np.nonzero(ring)
    hole_y, ring_y = hole_y + origin[0], ring_y + origin[0]
    hole_x, ring_x = hole_x + origin[1], ring_x + origin[1]
    best, best_cost = None, np.inf
    for factor in t.shifts:
        shift = round(factor * height)
        if shift == 0:
            continue
        moved = hole_y + shift
        valid = (moved >= 0) & (moved < rows)
        covered = np.zeros(len(moved), bool)
        covered[valid] = source[moved[valid], hole_x[valid]]
        if covered.mean() < t.min_cover:
            continue
        moved = ring_y + shift
        valid = (moved >= 0) & (moved < rows)
        valid[valid] = garment[moved[valid], ring_x[valid]]
        if valid.sum() < t.min_ring:
            continue
        there = image[moved[valid], ring_x[valid]].astype(np.float32)
        here = image[ring_y[valid], ring_x[valid]].astype(np.float32)
        cost = float(np.abs(there - here).mean())
        if cost < best_cost:
            best, best_cost = shift, cost
    return best


def _rows_from(array: np.ndarray, y0: int, y1: int, x0: int, x1: int) -> tuple[np.ndarray, np.ndarray]:
    """``array[y0:y1, x0:x1]`` with rows outside the array zero, and where the rows are inside."""
    out = np.zeros((y1 - y0, x1 - x0, *array.shape[2:]), array.dtype)
    inside = np.zeros((y1 - y0, x1 - x0), bool)
    a, b = max(0, y0), min(array.shape[0], y1)
    if a < b:
        out[a - y0 : b - y0] = array[a:b, x0:x1]
        inside[a - y0 : b - y0] = True
    return out, inside
