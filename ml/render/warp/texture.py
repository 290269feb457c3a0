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
    # a hole no vertical shift fits (as tall as the garment about it: a bag held in front of a
    # skirt) takes the fabric beside it: shifts across, in hole widths
    side_shifts: tuple[float, ...] = (1.0, -1.0, 1.5, -1.5)
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
        shift = _best_shift(image, hole, ring, garment, source, (y0, x0), (height, width), t)
        if shift is None:
            continue
        dy, dx = shift
        copy, inside = _window(image, y0 + dy, y1 + dy, x0 + dx, x1 + dx)
        from_garment = inside & _window(source, y0 + dy, y1 + dy, x0 + dx, x1 + dx)[0]
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
    size: tuple[int, int],
    t: TextureFillTuning,
) -> tuple[int, int] | None:
    """The shift (rows, columns) whose copy of the garment covers the hole and matches its ring
    best: up or down, or across when no shift up or down fits (``hole`` and ``ring`` are boxes of
    the photo starting at ``origin``; ``size`` is the hole's height and width)."""
    height, width = size
    hole_yx = np.argwhere(hole) + np.array(origin)
    ring_yx = np.argwhere(ring) + np.array(origin)
    vertical = [(round(f * height), 0) for f in t.shifts]
    across = [(0, round(f * width)) for f in t.side_shifts]
    for candidates in (vertical, across):
        best, best_cost = None, np.inf
        for shift in candidates:
            if shift == (0, 0):
                continue
            cost = _shift_cost(image, hole_yx, ring_yx, garment, source, shift, t)
            if cost is not None and cost < best_cost:
                best, best_cost = shift, cost
        if best is not None:
            return best
    return None


def _shift_cost(
    image: np.ndarray,
    hole_yx: np.ndarray,
    ring_yx: np.ndarray,
    garment: np.ndarray,
    source: np.ndarray,
    shift: tuple[int, int],
    t: TextureFillTuning,
) -> float | None:
    """How unlike the hole's ring the shifted copy's ring is (mean absolute difference), or None
    when the copy does not lie on the garment for enough of the hole or its ring."""
    rows, cols = image.shape[:2]

    def moved(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        there = points + np.array(shift)
        valid = (there[:, 0] >= 0) & (there[:, 0] < rows) & (there[:, 1] >= 0) & (there[:, 1] < cols)
        return there, valid

    there, valid = moved(hole_yx)
    covered = np.zeros(len(there), bool)
    covered[valid] = source[there[valid, 0], there[valid, 1]]
    if covered.mean() < t.min_cover:
        return None
    there, valid = moved(ring_yx)
    valid[valid] = garment[there[valid, 0], there[valid, 1]]
    if valid.sum() < t.min_ring:
        return None
    copy = image[there[valid, 0], there[valid, 1]].astype(np.float32)
    here = image[ring_yx[valid, 0], ring_yx[valid, 1]].astype(np.float32)
    return float(np.abs(copy - here).mean())


def _window(array: np.ndarray, y0: int, y1: int, x0: int, x1: int) -> tuple[np.ndarray, np.ndarray]:
    """``array[y0:y1, x0:x1]`` with what lies outside the array zero, and where it is inside."""
    out = np.zeros((y1 - y0, x1 - x0, *array.shape[2:]), array.dtype)
    inside = np.zeros((y1 - y0, x1 - x0), bool)
    a, b = max(0, y0), min(array.shape[0], y1)
    c, d = max(0, x0), min(array.shape[1], x1)
    if a < b and c < d:
        out[a - y0 : b - y0, c - x0 : d - x0] = array[a:b, c:d]
        inside[a - y0 : b - y0, c - x0 : d - x0] = True
    return out, inside
