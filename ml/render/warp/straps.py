"""Her top's thin straps, which the parser calls skin.

The parser works on a small copy of the photo, where a cami's or tank's straps (a few pixels wide at
full size) vanish into her neck and shoulders: they are labelled face or arms, so a new top or
dress removed her top but left its straps across her bare shoulders ("old cami straps visible",
"old dark strap"). Here they are found as thin lines of another colour than the skin around them,
on her skin above her chest and joined to her top, and painted over from the skin beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from ml.render.warp.body import push_pull, shoulder_span, skin_tone
from ml.render.warp.geometry import Skeleton
from ml.types import ParsingClass as C
from ml.types import PhotoAnalysis


@dataclass(frozen=True)
class StrapTuning:
    """Lengths in shoulder spans; levels in torso lengths below the shoulder line."""

    width: float = 0.05  # a strap is narrower than this (the morphological kernel's size) ...
    min_kernel: int = 5  # px: ... which is at least this (a 3-px ellipse is a cross: no line fits)
    contrast: float = 40.0  # ... and differs from the skin around it by this many levels (a channel) ...
    # ... where that surrounding (the line closed over) is within this many levels of her skin tone
    # (a wedge of skin between a strap and her top is a light line closed over by dark)
    skin_range: float = 70.0
    lowest: float = 0.45  # ... on her skin above this level (her shoulders and upper chest) ...
    beyond: float = 0.1  # ... and at most this far out beyond her shoulder joints ...
    joined: int = 2  # px: ... in a piece that comes this close to her top ...
    min_length: float = 0.12  # ... and is at least this long (its bounding box's diagonal) ...
    max_width: float = 0.06  # ... and on average at most this wide (its area over that diagonal) ...
    # ... with her skin on both sides of most of it (across her body, a kernel's width away): a
    # garment's edge or the shadow between her arm and her top has skin on one side only
    both_sides: float = 0.5
    hair_gap: int = 3  # px: a piece this close to her hair is a strand of it, not a strap
    grow: int = 2  # px: the painted strap grown by this (its outline's mixed pixels, its end at her top)
    blur: float = 0.03  # a strap pixel takes the colour of the skin this near it (a Gaussian's sigma) ...
    min_blur: float = 1.5  # px: ... at least this near ...
    min_weight: float = 0.01  # ... or, with less of her skin around than this, her skin tone


TUNING = StrapTuning()
SKIN = (C.FACE, C.ARMS)


def thin_straps(analysis: PhotoAnalysis, dst: Skeleton) -> np.ndarray:
    """Pixels of her top's straps that the parser labelled skin (bool, full size)."""
    t = TUNING
    parsing = analysis.parsing
    skin = np.isin(parsing, SKIN)
    top = parsing == C.UPPER_CLOTHES
    if not skin.any() or not top.any():
        return np.zeros(parsing.shape, bool)
    span = shoulder_span(analysis.keypoints)
    upper = _between_shoulders(dst, parsing.shape, t.lowest, -t.beyond * span)
    person = analysis.person_mask > 127
    # the backdrop continued from her outline: her arm's shaded edge against a light backdrop is no
    # dark line
    image = push_pull(analysis.image.astype(np.float32), person.astype(np.float32))
    size = max(t.min_kernel, round(t.width * span) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    tone = skin_tone(analysis)
    candidates = np.zeros(parsing.shape, bool)
    for closed in (
        cv2.morphologyEx(image, cv2.MORPH_CLOSE, kernel),
        cv2.morphologyEx(image, cv2.MORPH_OPEN, kernel),
    ):
        line = np.abs(closed - image).max(axis=2) > t.contrast
        on_skin = np.abs(closed - tone).max(axis=2) < t.skin_range
        candidates |= line & on_skin
    candidates &= skin & upper
    count, labels, stats, _ = cv2.connectedComponentsWithStats(candidates.astype(np.uint8), connectivity=8)
    if count <= 1:
        return np.zeros(parsing.shape, bool)
    near_top = cv2.dilate(top.astype(np.uint8), _disc(t.joined)) > 0
    near_hair = cv2.dilate((parsing == C.HAIR).astype(np.uint8), _disc(t.hair_gap)) > 0
    keep = np.zeros(count, bool)
    keep[np.unique(labels[candidates & near_top])] = True
    keep[np.unique(labels[candidates & near_hair])] = False
    diagonal = np.hypot(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    keep &= diagonal >= t.min_length * span
    keep &= stats[:, cv2.CC_STAT_AREA] <= t.max_width * span * np.maximum(diagonal, 1.0)
    flanked = _skin_on_both_sides(skin & ~candidates, dst, size)
    share = np.bincount(labels[candidates & flanked], minlength=count) / np.maximum(
        stats[:, cv2.CC_STAT_AREA], 1
    )
    keep &= share >= t.both_sides
    keep[0] = False
    return keep[labels]


def _skin_on_both_sides(skin: np.ndarray, dst: Skeleton, distance: int) -> np.ndarray:
    """Pixels with ``skin`` ``distance`` px away on both sides across her body."""
    poly = dst.polygon()
    across = (poly[1] - poly[0]) / (float(np.linalg.norm(poly[1] - poly[0])) + 1e-9)
    dx, dy = (round(float(v)) for v in across * distance)
    height, width = skin.shape
    both = np.ones_like(skin)
    for sx, sy in ((dx, dy), (-dx, -dy)):
        moved = cv2.warpAffine(
            skin.astype(np.uint8),
            np.float32([[1, 0, -sx], [0, 1, -sy]]),
            (width, height),
            flags=cv2.INTER_NEAREST,
        )
        both &= moved > 0
    return both


def without_straps(analysis: PhotoAnalysis, dst: Skeleton) -> PhotoAnalysis:
    """The analysis with her top's straps (:func:`thin_straps`) painted over in the colour of the
    skin beside them; the same analysis when she shows none."""
    t = TUNING
    straps = thin_straps(analysis, dst)
    if not straps.any():
        return analysis
    straps = (cv2.dilate(straps.astype(np.uint8), _disc(t.grow)) > 0) & np.isin(analysis.parsing, SKIN)
    ys, xs = np.nonzero(straps)
    height, width = straps.shape
    sigma = max(t.min_blur, t.blur * shoulder_span(analysis.keypoints))
    margin = round(4 * sigma)
    y0, y1 = max(0, ys.min() - margin), min(height, ys.max() + margin + 1)
    x0, x1 = max(0, xs.min() - margin), min(width, xs.max() + margin + 1)
    known = (np.isin(analysis.parsing[y0:y1, x0:x1], SKIN) & ~straps[y0:y1, x0:x1]).astype(np.float32)
    crop = analysis.image[y0:y1, x0:x1].astype(np.float32)
    # the skin beside each strap pixel, weighted by nearness (a normalised blur of her skin alone)
    weight = cv2.GaussianBlur(known, (0, 0), sigma)
    colour = cv2.GaussianBlur(crop * known[..., None], (0, 0), sigma) / np.maximum(weight, 1e-6)[..., None]
    colour = np.where(weight[..., None] > t.min_weight, colour, skin_tone(analysis))
    image = analysis.image.copy()
    box = image[y0:y1, x0:x1]
    inside = straps[y0:y1, x0:x1]
    box[inside] = np.clip(colour[inside] + 0.5, 0, 255).astype(np.uint8)
    return replace(analysis, image=image)


def _between_shoulders(dst: Skeleton, shape: tuple[int, int], level: float, inset: float) -> np.ndarray:
    """Pixels above a line across her torso ``level`` torso lengths below her shoulder line, and
    between her shoulder joints, ``inset`` px inside each."""
    poly = dst.polygon()
    middle = (poly[0] + poly[1]) / 2
    down = dst.frame.down / (np.linalg.norm(dst.frame.down) + 1e-9)
    across = poly[1] - poly[0]
    half = float(np.linalg.norm(across)) / 2 - inset
    across = across / (2 * half + 2 * inset + 1e-9)
    line = middle + level * dst.frame.down
    ys, xs = np.mgrid[0 : shape[0], 0 : shape[1]]
    above = (xs - line[0]) * down[0] + (ys - line[1]) * down[1] < 0
    inside = np.abs((xs - middle[0]) * across[0] + (ys - middle[1]) * across[1]) < half
    return above & inside


def _disc(radius: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
