"""The mixed pixels along a removed garment's edge, on her skin, are cleaned of the garment's colour
(the outline of an old strap stayed on shoppers' necks)."""

from __future__ import annotations

import numpy as np

from ml.render.warp.body import garment_rim
from ml.types import ParsingClass as C

HEIGHT, WIDTH, EDGE = 600, 200, 100  # the garment from column EDGE on; radius 4 px at 600 rows
SKIN, BLACK = np.array((200, 150, 120), np.float32), np.array((30, 30, 30), np.float32)


def _neck_and_strap(garment_colour: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Skin (labelled face) left of the edge, a garment right of it; the two skin columns next to it
    hold half and a quarter of the garment's colour, as a photo's edge does."""
    image = np.empty((HEIGHT, WIDTH, 3), np.float32)
    image[:, :EDGE] = SKIN
    image[:, EDGE:] = garment_colour
    image[:, EDGE - 1] = 0.5 * SKIN + 0.5 * garment_colour
    image[:, EDGE - 2] = 0.75 * SKIN + 0.25 * garment_colour
    parsing = np.full((HEIGHT, WIDTH), C.FACE, np.uint8)
    parsing[:, EDGE:] = C.UPPER_CLOTHES
    return np.round(image).astype(np.uint8), parsing, parsing == C.UPPER_CLOTHES


def test_the_edges_mixed_pixels_on_her_skin_become_skin():
    # given her skin beside a black strap that is removed, with the photo's mixed edge pixels
    image, parsing, removed = _neck_and_strap(BLACK)
    # when the rim is cleaned
    rim, cleaned = garment_rim(image, parsing, removed)
    # then the rim is the skin within 4 px of the strap ...
    columns = np.flatnonzero(rim.any(axis=0))
    assert columns.tolist() == list(range(EDGE - 4, EDGE))
    assert rim[:, EDGE - 4 : EDGE].all()
    # ... the two mixed columns come out as her skin, and the skin that was pure stays as it was
    out = image.astype(np.float32).copy()
    out[rim] = cleaned
    assert np.abs(out[:, EDGE - 2 : EDGE] - SKIN).max() <= 2.0
    assert np.array_equal(out[:, : EDGE - 2], image[:, : EDGE - 2].astype(np.float32))


def test_a_garment_the_colour_of_her_skin_leaves_the_rim_alone():
    # given a removed garment 15 levels per channel from her skin (26 in all, below the contrast
    # the cleaning needs)
    image, parsing, removed = _neck_and_strap(SKIN + 15.0)
    # when the rim is cleaned
    rim, cleaned = garment_rim(image, parsing, removed)
    # then every rim pixel keeps its colour
    assert rim.sum() == 4 * HEIGHT
    assert np.array_equal(cleaned, image[rim].astype(np.float32))


def test_nothing_removed_gives_no_rim():
    image, parsing, _ = _neck_and_strap(BLACK)
    rim, cleaned = garment_rim(image, parsing, np.zeros((HEIGHT, WIDTH), bool))
    assert not rim.any()
    assert cleaned.shape == (0, 3)
