"""warp-82: a patterned backdrop filled behind a removed garment keeps the photo's own sharpness (the
shift-map fill runs on a small copy; its shifts are read back and applied at full size)."""

from __future__ import annotations

import cv2
import numpy as np

from ml.render.warp.backdrop import sharp_fill, shifts_of_fill
from ml.render.warp.body import _patched

FULL = (480, 320)  # rows, columns of the full-size photo
SMALL = (192, 128)  # ... and of its small copy (the clean plate's ``plate_height``)
HOLE_ROWS, HOLE_COLUMNS = slice(150, 330), slice(110, 210)  # the removed garment's place, full size


def _random_colours(shape: tuple[int, int], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (*shape, 3)).astype(np.uint8)


def test_the_shift_of_every_filled_pixel_is_read_back_from_the_small_copy():
    # given a small copy whose hole was filled with the backdrop 15 px to its left
    small = _random_colours((40, 60))
    hole = np.zeros((40, 60), bool)
    hole[10:20, 20:30] = True
    filled = small.copy()
    filled[10:20, 20:30] = small[10:20, 5:15]
    # when the fill's shifts are read back
    chosen, found = shifts_of_fill(small, filled, hole)
    # then every hole pixel has one, (0, -15), and no pixel off the hole has any
    assert found[hole].all() and not found[~hole].any()
    assert (chosen[hole] == (0, -15)).all()


def test_a_fill_in_colours_the_backdrop_does_not_hold_has_no_shifts():
    # given a hole filled with a colour found nowhere in the backdrop (a smooth fill's blend)
    small = np.zeros((40, 60, 3), np.uint8)
    small[:] = (10, 200, 10)
    hole = np.zeros((40, 60), bool)
    hole[10:20, 20:30] = True
    filled = small.copy()
    filled[hole] = (100, 100, 100)
    # when the fill's shifts are read back
    _, found = shifts_of_fill(small, filled, hole)
    # then none is found
    assert not found.any()


def _grainy_tiles() -> np.ndarray:
    """A backdrop of 24 px tiles in two tones with a fine grain (+-40 levels per pixel) on them."""
    rows, columns = np.indices(FULL)
    tiles = np.where(((rows // 24) + (columns // 24)) % 2 == 0, 90, 170).astype(np.int16)
    grain = np.random.default_rng(1).integers(-40, 41, FULL)
    return np.clip(tiles + grain, 0, 255).astype(np.uint8)[..., None].repeat(3, axis=2)


def _detail(image: np.ndarray) -> float:
    gray = cv2.cvtColor(np.clip(image, 0, 255).astype(np.uint8), cv2.COLOR_RGB2GRAY).astype(np.float32)
    return float(np.std(cv2.Laplacian(gray, cv2.CV_32F)))


def _filled_tiles():
    image = _grainy_tiles()
    full_hole = np.zeros(FULL, bool)
    full_hole[HOLE_ROWS, HOLE_COLUMNS] = True
    small = cv2.resize(image, SMALL[::-1], interpolation=cv2.INTER_AREA)
    hole = cv2.resize(full_hole.astype(np.uint8), SMALL[::-1], interpolation=cv2.INTER_NEAREST) > 0
    filled = _patched(small, hole.astype(np.uint8)).astype(np.uint8)
    return image, small, filled, hole, full_hole


def test_a_grainy_tiled_backdrop_is_filled_as_sharp_as_it_is_beside_the_hole():
    # given a tiled, grainy backdrop with a garment's hole, shift-map filled on a small copy
    image, small, filled, hole, full_hole = _filled_tiles()
    # when the fill is brought to full size by its shifts, and by scaling it up
    sharp = sharp_fill(image, small, filled, hole, full_hole)
    upscaled = cv2.resize(filled.astype(np.float32), FULL[::-1], interpolation=cv2.INTER_LINEAR)
    # then inside the hole the grain is as fine as beside it (within 10 %), where the scaled-up
    # small fill keeps under half of it
    beside = _detail(image[HOLE_ROWS, 20:100])
    assert _detail(sharp[HOLE_ROWS, HOLE_COLUMNS]) >= 0.9 * beside
    assert _detail(upscaled[HOLE_ROWS, HOLE_COLUMNS]) <= 0.5 * beside


def test_a_shift_landing_in_the_person_at_full_size_keeps_the_small_fill_there():
    # given the same fill, and the full-size hole said to cover the whole photo (every shift lands in it)
    image, small, filled, hole, _ = _filled_tiles()
    everything = np.ones(FULL, bool)
    # when the fill is brought to full size
    sharp = sharp_fill(image, small, filled, hole, everything)
    # then it is the small fill scaled up, pixel for pixel
    upscaled = cv2.resize(filled.astype(np.float32), FULL[::-1], interpolation=cv2.INTER_LINEAR)
    assert np.array_equal(sharp, upscaled)
