"""Her trousers continued up under a removed tunic, from the trousers she shows below its hem.

A tunic or kurta over trousers goes with a new top (a kept tunic read as her old garment left
under the new one). The clean plate paints her legs there as tubes in her trousers' median colour,
as wide as a bare thigh: narrower than her trousers, so they stepped in where her own trousers
begin, flat where her trousers show folds. Here each leg's outline runs from her own trousers'
edges below the removed hem up to her hip (the crotch at the middle between her hips), and its
look across (colour and shading from edge to edge, read on her trousers below the hem's shadow) is
swept up along it, fading into hers: her trousers continued, as :mod:`arms` continues her arm
under a sleeve. Beside the legs, where the plate painted leg tubes, goes the backdrop.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ml.kinds import GARMENT_CLASSES
from ml.render.warp.body import (
    filled_background,
    grow_into_background,
    matched_on_ring,
    shoulder_span,
    skin_grain,
)
from ml.render.warp.geometry import Skeleton
from ml.types import ParsingClass as C
from ml.types import PhotoAnalysis


@dataclass(frozen=True)
class TrouserTuning:
    """Lengths in shoulder spans."""

    waist_level: float = -0.15  # her trousers reach up to this level (torso lengths past the hips)
    band: float = 0.12  # her trousers are read over this band below the removed hem ...
    min_band_rows: int = 3  # ... at least this many rows with trousers in them ...
    min_leg_width: float = 0.1  # ... the leg there at least this wide ...
    max_leg_width: float = 0.7  # ... and at most this (wider: both legs or a skirt)
    look_ahead: int = 3  # the leg's width below the hem: over this many bands ...
    width_percentile: float = 90.0  # ... this percentile of it ...
    full_width: float = 0.9  # ... and the band starts where it is at least this share of that
    hem_shade: float = 0.06  # the removed hem's shadow on her trousers below it reaches this far
    fade_rows: float = 0.04  # the drawn leg fades into hers over this length above the band
    match_ring: int = 3  # px: the backdrop fill is matched to her photo's backdrop this far round it ...
    match_outlier: float = 40.0  # ... where they differ by less than this (levels)
    seam_colour: float = 30.0  # levels: a row this far off the band's usual colour is no trousers yet
    bins: int = 24  # the leg's look across it, in this many steps edge to edge
    hip_outside: float = 0.12  # at her hip joint the leg's outer edge lies this far outside it
    crotch_drop: float = 0.25  # her legs part this far below her hip joints


TUNING = TrouserTuning()
SIDES = ("right", "left")


@dataclass(frozen=True)
class LegLook:
    """One leg's trousers as read just below the removed hem: the row where they begin, the leg's
    edges there, and its look across (colour from edge to edge, ``bins`` steps)."""

    side: str
    first: int  # the first row of trousers seen below the removed garment on the leg's line
    top: int  # the band's first row
    left: float
    right: float
    across: np.ndarray  # (bins, 3) float32


def _level_row(dst: Skeleton, level: float) -> float:
    """The image row of a torso level at the torso's middle (photos of standing shoppers are
    upright)."""
    poly = dst.polygon()
    hips = (poly[2] + poly[3]) / 2
    return float(hips[1] + level * dst.frame.down[1])


def _bone_x(dst: Skeleton, side: str, row: float) -> float | None:
    """Where the leg's line (hip, knee, ankle) crosses an image row."""
    for bone in (f"{side}_thigh", f"{side}_shin"):
        if bone not in dst.bones:
            return None
        a, b = dst.bones[bone]
        if min(a[1], b[1]) <= row <= max(a[1], b[1]) and abs(b[1] - a[1]) > 1e-6:
            return float(a[0] + (row - a[1]) / (b[1] - a[1]) * (b[0] - a[0]))
    return None


def _run(row: np.ndarray, x: int) -> tuple[int, int] | None:
    """The run of True in ``row`` through column ``x``."""
    if not row[x]:
        return None
    off = np.flatnonzero(~row)
    left = off[off < x]
    right = off[off > x]
    return (int(left[-1]) + 1 if left.size else 0), (int(right[0]) - 1 if right.size else row.size - 1)


def _own_part(run: tuple[int, int], x: float, other_x: float | None) -> tuple[int, int]:
    """A run of trousers that takes in both legs (wide trousers, legs together), cut at the middle
    between the two legs' lines."""
    left, right = run
    if other_x is None or not left <= other_x <= right:
        return run
    middle = (x + other_x) / 2
    return (int(np.ceil(middle)), right) if other_x < x else (left, int(np.floor(middle)))


def read_leg(shopper: PhotoAnalysis, dst: Skeleton, hole: np.ndarray, side: str) -> LegLook | None:
    """Walking down the leg's line from the hip: the first rows of trousers below ``hole`` (her
    trousers, not the removed garment, on the line and across the leg for ``band``), read there;
    None when the leg shows no trousers (a bare leg, a tunic to the ankle, no bones for it)."""
    t = TUNING
    if f"{side}_thigh" not in dst.bones:
        return None
    span = shoulder_span(shopper.keypoints)
    height, width = hole.shape
    other = "left" if side == "right" else "right"
    hip_row = float(dst.bones[f"{side}_thigh"][0][1])
    rows = max(t.min_band_rows, round(t.band * span))
    pants = (shopper.parsing == C.PANTS) & ~hole
    runs: list[tuple[int, int, int]] = []
    seen_hole = False
    for y in range(max(0, int(np.ceil(hip_row))), height):
        x = _bone_x(dst, side, y)
        if x is None:
            break
        xi = int(np.clip(round(x), 0, width - 1))
        seen_hole |= bool(hole[y, max(0, xi - 1) : xi + 2].any())
        found = _run(pants[y], xi) if seen_hole else None
        if found is not None:
            found = _own_part(found, x, _bone_x(dst, other, y))
        width_px = 0 if found is None else found[1] - found[0] + 1
        if found is None or not t.min_leg_width * span <= width_px <= t.max_leg_width * span:
            if len(runs) >= rows:
                break
            runs = []
            continue
        runs.append((y, *found))
        if len(runs) == t.look_ahead * rows:
            break
    if len(runs) < rows:
        return None
    # the whole leg across: just below a curved or slit hem only part of her trousers shows; the
    # band starts where the leg has (nearly) the width it has below
    widths = np.array([r[2] - r[1] + 1 for r in runs], np.float64)
    first = runs[0][0]
    start = int(np.argmax(widths >= t.full_width * np.percentile(widths, t.width_percentile)))
    # and where its colour is the trousers' own (not the dark edge of a hem over them)
    means = np.array(
        [shopper.image[y, left : right + 1].reshape(-1, 3).mean(axis=0) for y, left, right in runs]
    )
    while start + rows < len(runs):
        usual = np.median(means[start : start + rows], axis=0)
        if np.abs(means[start] - usual).max() <= t.seam_colour:
            break
        start += 1
    # below the hem's shadow, where they are lit as the rest of her trousers (the shadowed rows are
    # drawn over with the leg, fading into hers: kept, they were a dark seam at the knee)
    shade = round(t.hem_shade * span)
    if start + shade + rows <= len(runs):
        start += shade
    runs = runs[start : start + rows]
    if len(runs) < t.min_band_rows:
        return None
    ys = np.array([r[0] for r in runs])
    lefts = np.array([r[1] for r in runs], np.float64)
    rights = np.array([r[2] for r in runs], np.float64)
    u = (np.arange(t.bins) + 0.5) / t.bins
    samples = []
    for y, left, right in zip(ys, lefts, rights, strict=True):
        xs = np.clip(np.round(left + u * (right - left)).astype(int), 0, width - 1)
        samples.append(shopper.image[y, xs].astype(np.float32))
    across = np.median(np.stack(samples), axis=0).astype(np.float32)
    return LegLook(
        side=side,
        first=int(first),
        top=int(ys[0]),
        left=float(lefts[0]),
        right=float(rights[0]),
        across=across,
    )


def continue_trousers(
    base: np.ndarray, shopper: PhotoAnalysis, dst: Skeleton, removed: np.ndarray
) -> np.ndarray:
    """``base`` (HxWx3 uint8, the photo with the removed garment painted) with her trousers
    continued up over the ``removed`` pixels on her legs, from her waist down to where her own
    trousers show, in place; the pixels it changed (trousers drawn, backdrop beside them), as a
    mask."""
    t = TUNING
    height, width = removed.shape
    drawn = np.zeros((height, width), bool)
    waist = _level_row(dst, t.waist_level)
    hole = removed & (shopper.person_mask > 127) & (np.arange(height)[:, None] >= waist)
    if not hole.any():
        return drawn
    legs = [look for side in SIDES if (look := read_leg(shopper, dst, hole, side)) is not None]
    if len(legs) < len(SIDES):
        return drawn
    span = shoulder_span(shopper.keypoints)
    hips = {side: dst.bones[f"{side}_thigh"][0] for side in SIDES}
    crotch_x = float((hips["right"][0] + hips["left"][0]) / 2)
    cols = np.arange(width)[None, :]
    rows = np.arange(height)[:, None]
    above = np.zeros((height, width), bool)  # each leg above where her trousers show
    edge = np.zeros((height, width), bool)  # ... and between their first row and the band
    for look in legs:
        on_side = cols > crotch_x if hips[look.side][0] > crotch_x else cols <= crotch_x
        above |= on_side & (rows < look.top) & (rows >= waist)
        edge |= on_side & (rows < look.top) & (rows >= look.first)
    # there, bare leg or skirt is the removed garment's hem that the parser took for them (a kurta's
    # gold-embroidered border read as skin): she wears trousers down to where they show
    mislabelled = np.isin(shopper.parsing, (C.LEGS, C.SKIRT)) & (shopper.person_mask > 127) & above
    # and trousers there apart from hers below (its dark embroidery read as trousers)
    count, labels = cv2.connectedComponents(((shopper.parsing == C.PANTS) & ~hole).astype(np.uint8))
    below = np.bincount(labels[~above], minlength=count)
    mislabelled |= (below[labels] == 0) & (labels > 0)
    hole |= mislabelled
    # her own trousers where they begin to show (partly, beside a slit or below a dark hem edge) are
    # drawn over with the rest of the leg inside its outline, so the leg is one piece; higher up
    # (beside a tie hanging over her jeans) they stay hers
    fillable = hole | ((shopper.parsing == C.PANTS) & edge)
    grain = skin_grain(shopper, (height, width))
    u_bins = (np.arange(t.bins) + 0.5) / t.bins
    fade = max(1.0, t.fade_rows * span)
    for look in legs:
        hip = hips[look.side]
        outward = 1.0 if hip[0] > crotch_x else -1.0
        hip_left, hip_right = sorted((crotch_x, float(hip[0] + outward * t.hip_outside * span)))
        crotch_row = float(hip[1]) + t.crotch_drop * span
        # from the crotch down to her own trousers the edges run straight; above it the legs
        # keep their width at the hips (one band across) up to her waist
        for y in range(int(np.ceil(waist)), look.top):
            share = min(max((y - crotch_row) / max(look.top - crotch_row, 1.0), 0.0), 1.0)
            left = hip_left + share * (look.left - hip_left)
            right = hip_right + share * (look.right - hip_right)
            xs = np.arange(max(0, int(np.ceil(left))), min(width, int(np.floor(right)) + 1))
            xs = xs[fillable[y, xs] & ~drawn[y, xs]]
            if xs.size == 0:
                continue
            u = (xs - left) / max(right - left, 1.0)
            colour = np.stack([np.interp(u, u_bins, look.across[:, c]) for c in range(3)], axis=1)
            colour = colour * grain[y, xs, None]
            # her own trousers just above the band take the drawn leg fading in (no line where
            # they meet); the removed garment's pixels take it whole
            own = ~hole[y, xs]
            mix = min(1.0, (look.top - y) / fade)
            colour[own] = mix * colour[own] + (1.0 - mix) * shopper.image[y, xs[own]]
            base[y, xs] = np.clip(colour + 0.5, 0, 255).astype(np.uint8)
            drawn[y, xs] = True
    # beside the continued legs the backdrop: the clean plate painted legs there as tubes of her
    # trousers' colour, wider at the knee than her trousers (a step where they begin)
    beside = above & hole & ~drawn
    if beside.any():
        # behind every garment, as the clean plate's backdrop is (no seam where they meet)
        worn = np.isin(shopper.parsing, GARMENT_CLASSES)
        garments = grow_into_background(worn, shopper.parsing, shopper.image)
        backdrop = filled_background(shopper, garments | removed | mislabelled)
        base[beside] = _matched(backdrop, shopper, beside | removed)[beside]
    return drawn | beside


def _matched(backdrop: np.ndarray, shopper: PhotoAnalysis, filled: np.ndarray) -> np.ndarray:
    """The ``backdrop`` fill brought to her photo's backdrop right round the ``filled`` region, the
    difference along that ring spread over it (as a seamless clone does): the fill is made on a small
    copy and read a little away from her, lighter than the backdrop in her shadow beside her legs (a
    "white box" where the tunic was)."""
    t = TUNING
    size = 2 * t.match_ring + 1
    kernel = np.ones((size, size), np.uint8)
    ring = (cv2.dilate(filled.astype(np.uint8), kernel) > 0) & ~filled
    ring &= (shopper.parsing == C.BACKGROUND) & (shopper.person_mask <= 127)
    image = shopper.image.astype(np.float32)
    matched = matched_on_ring(backdrop.astype(np.float32), image, ring, t.match_outlier)
    return np.clip(matched + 0.5, 0, 255).astype(np.uint8)
