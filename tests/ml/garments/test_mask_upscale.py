"""ml.garments.mask.smooth_upscale: a mask made on a small copy, scaled up without pixel steps."""

from __future__ import annotations

import cv2
import numpy as np

from ml.garments.mask import smooth_upscale

SMALL, SCALE = 40, 8


def _disc_small() -> np.ndarray:
    mask = np.zeros((SMALL, SMALL), np.uint8)
    cv2.circle(mask, (SMALL // 2, SMALL // 2), 12, 1, -1)
    return mask


def _row_edges(mask: np.ndarray) -> np.ndarray:
    """Per row that has any, the first set column."""
    rows = np.flatnonzero(mask.any(axis=1))
    return np.array([np.flatnonzero(mask[r])[0] for r in rows])


def test_a_small_disc_scaled_up_has_a_smooth_outline():
    # given a disc drawn on a 40 px copy, scaled up 8 times
    small = _disc_small()
    size = (SMALL * SCALE, SMALL * SCALE)
    # when it is scaled up pixel by pixel and smoothly
    stepped = cv2.resize(small, size, interpolation=cv2.INTER_NEAREST) > 0
    smooth = smooth_upscale(small, size, rounding=0.8)
    # then the pixel-by-pixel copy's outline stands still for 8 rows and jumps, and the smooth one
    # moves a little on most rows near the disc's side
    middle = slice(SCALE, 5 * SCALE)  # rows of the upper-left arc, where the outline slants
    step_rows = _row_edges(stepped)[middle]
    smooth_rows = _row_edges(smooth)[middle]
    assert np.abs(np.diff(step_rows)).max() >= SCALE // 2
    assert np.abs(np.diff(smooth_rows)).max() <= 3
    # and the area is kept within 3 %
    assert abs(int(smooth.sum()) - int(stepped.sum())) <= 0.03 * stepped.sum()


def test_without_rounding_only_the_interpolation_smooths():
    # given a one-pixel square on the small copy
    small = np.zeros((SMALL, SMALL), np.uint8)
    small[20, 20] = 1
    # when it is scaled up without rounding, and with
    kept = smooth_upscale(small, (SMALL * SCALE, SMALL * SCALE), rounding=0.0)
    rounded = smooth_upscale(small, (SMALL * SCALE, SMALL * SCALE), rounding=0.8)
    # then without rounding the square is kept (about 8 x 8 px); a speck that small is rounded away
    assert 16 <= int(kept.sum()) <= 64
    assert int(rounded.sum()) == 0
    assert smooth_upscale(small, (SMALL * SCALE, SMALL * SCALE), 0.8).dtype == bool
