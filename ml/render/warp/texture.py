"""The garment's own texture under what hid it on the product photo (warp-25, warp-93, warp-96).

An on-model garment has holes where the model's hands, arms or hair lay over it; they are filled
with a smooth colour (push-pull from the garment around them), which showed on the shopper as a
flat grey or brown slab across a printed dress's waist. Garments repeat their fabric up and down
the body, so each hole also gets the garment's texture from a copy of the garment shifted straight
up or down by about the hole's height (sideways by about its width when no such copy lies on the
garment): the shift whose copy matches the garment around the hole best, when the copy lies on the
garment for nearly the whole hole (or, when no copy does, for most of it: warp-96); what it leaves
uncovered tries another. The copies bring only
their detail and fade in over their edge; the hole's light (its low frequencies) is the garment's
round it, read from the garment and the fill alone (warp-93: read from the whole box, the model's
skin and the backdrop lightened it into a slab with the hand's outline in it).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class TextureFillTuning:
    """How an on-model garment's holes get its texture back (lengths in px of the product photo)."""

    shifts: tuple[float, ...] = (1.0, -1.0, 1.5, -1.5, 2.0, -2.0)  # tried shifts, in hole heights ...
    # ... and sideways, in hole widths: a hole with another hole above or below it (a lock of hair
    # over the chest above the hands) has the garment beside it
    side_shifts: tuple[float, ...] = (1.0, -1.0, 1.5, -1.5)
    min_cover: float = 0.8  # the shifted copy lies on the garment for at least this share of the hole
    # ... or, when no copy does, this share (the rest from further copies): under clasped hands across
    # a jacket's hem (`onmodel_12`) none covered 0.8 and the hole was a smooth blur; taken first, such
    # copies beat better-covering ones and brought a lock of hair the parser gave to a blouse
    partial_cover: float = 0.6
    min_area: int = 20  # px: smaller holes keep the smooth fill
    ring: int = 5  # px: the garment this far around a hole decides between the shifts ...
    min_ring: int = 10  # px: ... when at least this many of its pixels are compared
    source_inset: int = 5  # px: copied from the garment eroded by a kernel this wide (no edge pixels)
    light_sigma_share: float = (
        1.0 / 6.0
    )  # the light kept from the smooth fill: a blur of this many hole heights ...
    min_light_sigma: float = 2.0  # ... and at least this many px
    fade_sigma: float = 1.5  # px: the copy fades in over its edge
    copies: int = 3  # what one copy leaves uncovered gets another, up to this many copies a hole
    # a hole's light is all the garment round it where this much of its blur lies on the garment
    known_light_spread: float = 0.25
    min_blur_weight: float = 1e-3  # a normalised blur needs this much of its kernel on known pixels


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
        base = out[box].astype(np.float32)
        # the light is read from the garment and the fill alone: the model's skin and the backdrop
        # round a hand blurred in drew a lighter slab with the hand's outline round it
        light = _garment_blur(base, garment[box] | hole, sigma, t)
        # near the hole's edge the light comes from the garment round it: there the smooth fill
        # still traced the hand's mixed edge pixels ("the hand's outline" in the fill)
        light = _towards_known(light, base, garment[box] & ~hole, sigma, t)
        detail = np.zeros_like(light)
        left_over = hole.copy()
        for _ in range(t.copies):
            ring = (cv2.dilate(left_over.astype(np.uint8), grown) > 0) & ~hole & garment[box]
            ys, xs = np.nonzero(left_over)
            size = (int(ys.max() - ys.min() + 1), int(xs.max() - xs.min() + 1))
            shift = _best_shift(image, left_over, ring, garment, source, (y0, x0), size, t)
            if shift is None:
                break
            dy, dx = shift
            copy, inside = _shifted(image, y0 + dy, y1 + dy, x0 + dx, x1 + dx)
            from_garment = inside & _shifted(source, y0 + dy, y1 + dy, x0 + dx, x1 + dx)[0]
            on_garment = left_over & from_garment
            # off the garment the copy is the light, so no edge, skin or background brings detail
            copy = np.where(from_garment[..., None], copy.astype(np.float32), light)
            weight = cv2.GaussianBlur(on_garment.astype(np.float32), (0, 0), t.fade_sigma) * on_garment
            detail += (copy - cv2.GaussianBlur(copy, (0, 0), sigma)) * weight[..., None]
            # what this copy left uncovered (its lower part past the hem) tries another
            left_over &= ~from_garment
            if left_over.sum() < t.min_area:
                break
        # a hole no copy covers keeps the garment's light, without texture
        blended = light + detail
        region = out[box]
        region[hole] = np.clip(blended[hole], 0, 255).astype(np.uint8)
    return out


def normalised_blur(
    image: np.ndarray, weight: np.ndarray, sigma: float, floor: float
) -> tuple[np.ndarray, np.ndarray]:
    """``image`` (H x W x C float) blurred with each pixel counted by its ``weight`` (a mask or an
    alpha), and how much weight the blur found round each pixel (divided by at least ``floor``)."""
    weight = weight.astype(np.float32)
    spread = cv2.GaussianBlur(weight, (0, 0), sigma)
    blurred = cv2.GaussianBlur(image * weight[..., None], (0, 0), sigma)
    return blurred / np.maximum(spread, floor)[..., None], spread


def _normalised_blur(
    image: np.ndarray, where: np.ndarray, sigma: float, t: TextureFillTuning
) -> tuple[np.ndarray, np.ndarray]:
    """``image`` blurred over the pixels ``where`` only, and how much of the blur lay on them."""
    return normalised_blur(image, where, sigma, t.min_blur_weight)


def _garment_blur(image: np.ndarray, where: np.ndarray, sigma: float, t: TextureFillTuning) -> np.ndarray:
    """``image`` blurred over the pixels ``where`` only; ``image`` where none lie within reach."""
    blurred, spread = _normalised_blur(image, where, sigma, t)
    return np.where((spread > t.min_blur_weight)[..., None], blurred, image)


def _towards_known(
    light: np.ndarray, image: np.ndarray, known: np.ndarray, sigma: float, t: TextureFillTuning
) -> np.ndarray:
    """``light`` moved towards the blur of ``image``'s ``known`` pixels, the more the nearer they are."""
    near, spread = _normalised_blur(image, known, sigma, t)
    share = np.clip(spread / t.known_light_spread, 0.0, 1.0)[..., None]
    return share * near + (1.0 - share) * light


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
    """The shift ``(dy, dx)`` (px) whose copy of the garment covers the hole and matches its ring
    best (``hole`` and ``ring`` are boxes of the photo starting at ``origin``; ``size`` is the hole's
    height and width): straight up or down first, sideways only when no such copy covers it, and a
    copy covering only most of the hole only when none covers nearly all of it."""
    rows, cols = image.shape[:2]
    hole_y, hole_x = np.nonzero(hole)
    ring_y, ring_x = np.nonzero(ring)
    hole_y, ring_y = hole_y + origin[0], ring_y + origin[0]
    hole_x, ring_x = hole_x + origin[1], ring_x + origin[1]

    def lands(ys: np.ndarray, xs: np.ndarray, dy: int, dx: int, on: np.ndarray) -> np.ndarray:
        y, x = ys + dy, xs + dx
        found = np.zeros(len(y), bool)
        valid = (y >= 0) & (y < rows) & (x >= 0) & (x < cols)
        found[valid] = on[y[valid], x[valid]]
        return found

    vertical = [(round(f * size[0]), 0) for f in t.shifts]
    sideways = [(0, round(f * size[1])) for f in t.side_shifts]
    # tiers, in order: copies covering nearly all of the hole, up or down then sideways; then those
    # covering most of it (the rest filled by further copies)
    tiers = [(c, cover) for cover in (t.min_cover, t.partial_cover) for c in (vertical, sideways)]
    for candidates, cover in tiers:
        best, best_cost = None, np.inf
        for dy, dx in candidates:
            if dy == dx == 0 or lands(hole_y, hole_x, dy, dx, source).mean() < cover:
                continue
            valid = lands(ring_y, ring_x, dy, dx, garment)
            if valid.sum() < t.min_ring:
                continue
            there = image[ring_y[valid] + dy, ring_x[valid] + dx].astype(np.float32)
            here = image[ring_y[valid], ring_x[valid]].astype(np.float32)
            cost = float(np.abs(there - here).mean())
            if cost < best_cost:
                best, best_cost = (dy, dx), cost
        if best is not None:
            return best
    return None


def _shifted(array: np.ndarray, y0: int, y1: int, x0: int, x1: int) -> tuple[np.ndarray, np.ndarray]:
    """``array[y0:y1, x0:x1]`` with what lies outside the array zero, and where it is inside."""
    out = np.zeros((y1 - y0, x1 - x0, *array.shape[2:]), array.dtype)
    inside = np.zeros((y1 - y0, x1 - x0), bool)
    a, b = max(0, y0), min(array.shape[0], y1)
    c, d = max(0, x0), min(array.shape[1], x1)
    if a < b and c < d:
        out[a - y0 : b - y0, c - x0 : d - x0] = array[a:b, c:d]
        inside[a - y0 : b - y0, c - x0 : d - x0] = True
    return out, inside
