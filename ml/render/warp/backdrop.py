"""A patterned backdrop's fill at the photo's own sharpness.

The clean plate fills the hole the person and her garments leave in a patterned backdrop (a room, a
floor's tiles) by shift-map inpainting on a small copy: every filled pixel is a pixel of the backdrop
moved by a shift that is constant over pieces of the hole. Scaled up, that small fill is a blur beside
the sharp photo, and the removed garment's outline showed as a pale "ghost" of it. Shift-map copies
pixels exactly, so the shift of each filled pixel can be read back from the small copy (the shift at
which the backdrop holds the filled colour, chosen where its neighbours agree) and applied to the
full-size photo.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class BackdropTuning:
    shift_sample_step: int = 3  # every this-many-th filled pixel (each way) proposes shifts ...
    shift_candidates: int = 8  # ... at most this many (the backdrop's pixels of exactly its colour) ...
    shift_count: int = 32  # ... and the most often proposed this many shifts are tried on every pixel
    shift_window: int = 5  # px (small copy): a shift is chosen where most pixels this near agree on it
    shift_min_support: float = 0.2  # ... on at least this share of them, else the small fill stays


TUNING = BackdropTuning()
PATCH_HASH = 1_000_003  # a prime multiplier for the patches' keys (not a tuning number)


def shifts_of_fill(
    small: np.ndarray, filled: np.ndarray, hole: np.ndarray, t: BackdropTuning = TUNING
) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel of the small copy, the shift (dy, dx) from which the shift-map fill took its
    colour, and whether one was found (False off the ``hole`` and where no shift explains it).

    ``small`` and ``filled`` are (h, w, 3) uint8, the photo's small copy before and after the fill;
    ``hole`` (h, w) bool."""
    height, width = hole.shape
    known = ~hole
    key_small, key_filled = _colour_keys(small), _colour_keys(filled)
    # shifts are proposed by whole 3 x 3 patches found again (one colour recurs all over a backdrop;
    # a patch inside a piece the fill copied recurs where it came from)
    patch_small, patch_filled = _patch_keys(key_small), _patch_keys(key_filled)
    whole = cv2.erode(known.astype(np.uint8), np.ones((3, 3), np.uint8), borderType=cv2.BORDER_CONSTANT) > 0
    positions: dict[int, list[tuple[int, int]]] = {}
    for y, x in zip(*np.nonzero(whole), strict=True):
        bucket = positions.setdefault(int(patch_small[y, x]), [])
        if len(bucket) < t.shift_candidates:
            bucket.append((int(y), int(x)))
    proposed: Counter[tuple[int, int]] = Counter()
    sample = np.zeros_like(hole)
    sample[1 : -1 : t.shift_sample_step, 1 : -1 : t.shift_sample_step] = True
    for y, x in zip(*np.nonzero(hole & sample), strict=True):
        for sy, sx in positions.get(int(patch_filled[y, x]), ()):
            proposed[(sy - int(y), sx - int(x))] += 1
    best = np.full((height, width), -1.0, np.float32)
    chosen = np.zeros((height, width, 2), np.int32)
    found = np.zeros((height, width), bool)
    for dy, dx in (shift for shift, _ in proposed.most_common(t.shift_count)):
        source_colour, source_known = _shifted(key_small, known, dy, dx)
        match = hole & source_known & (source_colour == key_filled)
        support = cv2.blur(match.astype(np.float32), (t.shift_window, t.shift_window))
        better = match & (support > best) & (support >= t.shift_min_support)
        best[better] = support[better]
        chosen[better] = (dy, dx)
        found |= better
    return chosen, found


def sharp_fill(
    image: np.ndarray,
    small: np.ndarray,
    filled: np.ndarray,
    hole: np.ndarray,
    full_hole: np.ndarray,
    t: BackdropTuning = TUNING,
) -> np.ndarray:
    """The small shift-map fill at ``image``'s size (float32): where each filled pixel's shift is
    known, the full-size photo moved by it (scaled to full size), unless that lands in the full-size
    ``full_hole``; elsewhere the small fill scaled up."""
    height, width = image.shape[:2]
    upscaled = cv2.resize(filled.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
    chosen, found = shifts_of_fill(small, filled, hole, t)
    if not found.any():
        return upscaled
    scale_y, scale_x = height / hole.shape[0], width / hole.shape[1]
    size = (width, height)
    shift = cv2.resize(chosen.astype(np.float32), size, interpolation=cv2.INTER_NEAREST)
    has_shift = cv2.resize(found.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST) > 0
    # whole pixels: a shift interpolated between two would blur the grain it is meant to keep
    ys, xs = np.indices((height, width))
    source_x = np.clip(xs + np.rint(shift[..., 1] * scale_x).astype(np.int64), 0, width - 1)
    source_y = np.clip(ys + np.rint(shift[..., 0] * scale_y).astype(np.int64), 0, height - 1)
    # the source must be backdrop at full size too (a shift read on the small copy may land on her
    # outline's fringe there)
    use = has_shift & ~full_hole[source_y, source_x]
    moved = image[source_y, source_x].astype(np.float32)
    return np.where(use[..., None], moved, upscaled).astype(np.float32)


def _colour_keys(image: np.ndarray) -> np.ndarray:
    """One integer per pixel for its exact RGB colour."""
    rgb = image.astype(np.int64)
    return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


def _patch_keys(keys: np.ndarray) -> np.ndarray:
    """One integer per pixel for the exact colours of the 3 x 3 patch around it (wrapping arithmetic:
    a rare collision only proposes a shift that the per-pixel test then rejects)."""
    padded = np.pad(keys, 1, mode="edge").astype(np.uint64)
    height, width = keys.shape
    out = np.zeros((height, width), np.uint64)
    for dy in range(3):
        for dx in range(3):
            out = out * np.uint64(PATCH_HASH) + padded[dy : dy + height, dx : dx + width]
    return out


def _shifted(keys: np.ndarray, known: np.ndarray, dy: int, dx: int) -> tuple[np.ndarray, np.ndarray]:
    """``keys`` and ``known`` read at (y + dy, x + dx) for every (y, x); False off the image."""
    height, width = keys.shape
    out_keys = np.full_like(keys, -1)
    out_known = np.zeros_like(known)
    y0, y1 = max(0, -dy), min(height, height - dy)
    x0, x1 = max(0, -dx), min(width, width - dx)
    if y0 < y1 and x0 < x1:
        out_keys[y0:y1, x0:x1] = keys[y0 + dy : y1 + dy, x0 + dx : x1 + dx]
        out_known[y0:y1, x0:x1] = known[y0 + dy : y1 + dy, x0 + dx : x1 + dx]
    return out_keys, out_known
