"""Where a flat tee's armpits are read (issue 10): at the corner where the sleeve's underside meets
the body's side, not where the sleeve ends. Constructed outlines with known corners."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ml.garments.structure import read_structure

ARMPIT_Y = 215  # the constructed tee's armpits: (120, 215) and (280, 215)
CUFF_END_Y = 190  # its sleeves end here: the underside runs in flat, then down to the armpit


def _tee(ragged_cuffs: bool = False) -> np.ndarray:
    """A tee laid flat, 400 x 400: body x 120-280 from the shoulders (y 100) to the hem (y 380);
    each sleeve from the shoulder out to a cuff (x 40-50, y 150-190) whose underside runs nearly
    flat in to x 100 (y 193), then down to the armpit at x 120. A ragged cut-out leaves a fleck of
    fabric just under each cuff, apart from the sleeve."""
    mask = np.zeros((400, 400), np.uint8)
    right = np.array(
        [(160, 100), (120, 100), (40, 150), (50, CUFF_END_Y), (100, 193), (120, ARMPIT_Y), (120, 380)]
    )
    left = right.copy()
    left[:, 0] = 400 - left[:, 0]
    outline = np.concatenate([right[::-1], left])
    cv2.fillPoly(mask, [outline.astype(np.int32)], 255)
    cv2.rectangle(mask, (160, 100), (240, 110), 0, -1)  # a shallow neckline
    if ragged_cuffs:
        for x0 in (50, 344):
            mask[CUFF_END_Y + 2 : CUFF_END_Y + 7, x0 : x0 + 6] = 255
            mask[CUFF_END_Y + 1, x0 - 2 : x0 + 8] = 0
    return mask


@pytest.mark.parametrize("ragged", [False, True], ids=["clean-cut", "ragged-cuffs"])
def test_the_armpit_is_where_the_sleeves_underside_meets_the_body(ragged):
    # given a tee whose sleeves end in a flat underside running in and down to the body
    mask = _tee(ragged_cuffs=ragged)
    # when its structure is read
    structure = read_structure(mask, "top")
    # then both armpits are at the corners under the sleeves, not at the sleeves' ends
    assert structure.sleeves == "short"
    right, left = structure.points["armpit_right"], structure.points["armpit_left"]
    assert right[0] == pytest.approx(120, abs=4)
    assert left[0] == pytest.approx(280, abs=4)
    assert right[1] == pytest.approx(ARMPIT_Y, abs=5)
    assert left[1] == pytest.approx(ARMPIT_Y, abs=5)
    # and the cuffs stay at the sleeves' ends
    assert structure.points["cuff_right"][0] < 60
    assert structure.points["cuff_left"][0] > 340


def test_a_hole_in_the_cut_out_does_not_pull_the_armpit_across_the_body():
    # given the tee with a hole at its middle just under the sleeves (a print the cut-out lost)
    mask = _tee()
    mask[195:225, 190:230] = 0
    # when its structure is read
    points = read_structure(mask, "top").points
    # then each armpit stays on its own side of the body
    assert points["armpit_right"][0] == pytest.approx(120, abs=4)
    assert points["armpit_left"][0] == pytest.approx(280, abs=4)
