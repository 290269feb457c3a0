"""warp-86: her legs as the clean plate paints them, where they show between a new bottom's two legs
(the packshot's legs part at the crotch, her painted thighs touch below it), are covered by the leg
beside them: before, a wedge of bare skin showed at the crotch ("crotch hole", "skin slivers in the
gap")."""

from __future__ import annotations

import numpy as np

from ml.render.warp import WarpRenderer
from ml.render.warp.body import body_skeleton, painted_legs, shoulder_span
from ml.render.warp.geometry import Group
from ml.types import GarmentKind
from tests.support.people import make_person

SKIN = (205, 165, 135)
BACKDROP = 230.0
ROWS = slice(170, 231)
RIGHT_LEG, LEFT_LEG = slice(70, 89), slice(112, 131)  # columns of the new trousers' two legs


def _trousers_on(shopper):
    """A canvas with the new trousers' two legs drawn (a colour per column, so a copy can be traced
    back), her painted legs in skin between them and the backdrop elsewhere; its coverage."""
    height, width = shopper.parsing.shape
    dst = body_skeleton(shopper)
    painted = painted_legs(dst, shoulder_span(shopper.keypoints), (height, width))
    canvas = np.full((height, width, 3), BACKDROP, np.float32)
    canvas[painted] = SKIN
    coverage = np.zeros((height, width), np.float32)
    for leg in (RIGHT_LEG, LEFT_LEG):
        columns = np.arange(width)[leg].astype(np.float32)
        canvas[ROWS, leg] = np.stack([columns, 40 + columns * 0, 200 - columns], axis=-1)[None]
        coverage[ROWS, leg] = 1.0
    return canvas, coverage, dst, painted


def test_her_painted_legs_between_the_new_legs_take_the_leg_beside_them():
    # given a shopper whose painted thighs reach in from x 74 and x 127 to x 95 and x 104, and new
    # trousers whose legs cover x 70-88 and x 112-130
    shopper = make_person(upper=(235, 235, 235))
    canvas, coverage, dst, painted = _trousers_on(shopper)
    before = canvas.copy()
    layers = [
        (None, None, Group.RIGHT_LEG, GarmentKind.BOTTOM),
        (None, None, Group.LEFT_LEG, GarmentKind.BOTTOM),
    ]
    assert painted[190, 92] and painted[190, 108] and not painted[190, 100]
    # when what shows between the legs is closed
    WarpRenderer._close_between_legs(canvas, coverage, layers, shopper, dst)
    # then her thigh beside each leg is that leg's mirror image across its inner edge, covered
    assert canvas[190, 92].tolist() == before[190, 2 * 88 - 92].tolist()
    assert canvas[190, 108].tolist() == before[190, 2 * 112 - 108].tolist()
    assert coverage[190, 92] == 1.0 and coverage[190, 108] == 1.0
    # and the backdrop between her painted legs, and everything outside the trousers' rows, is as it was
    assert canvas[190, 100].tolist() == [BACKDROP] * 3 and coverage[190, 100] == 0.0
    outside = np.ones(coverage.shape, bool)
    outside[ROWS] = False
    assert np.array_equal(canvas[outside], before[outside])
    # and no skin is left between the legs in those rows
    skin = np.all(canvas == np.array(SKIN, np.float32), axis=-1)
    assert int(skin[ROWS, 89:112].sum()) == 0


def test_one_leg_alone_or_a_skirt_closes_nothing():
    # given the same canvas, drawn by a garment with one leg group (a skirt follows the torso)
    shopper = make_person(upper=(235, 235, 235))
    canvas, coverage, dst, _painted = _trousers_on(shopper)
    before, covered = canvas.copy(), coverage.copy()
    for layers in (
        [(None, None, Group.RIGHT_LEG, GarmentKind.BOTTOM)],
        [(None, None, Group.TORSO, GarmentKind.BOTTOM)],
    ):
        # when closed, then nothing changes
        WarpRenderer._close_between_legs(canvas, coverage, layers, shopper, dst)
        assert np.array_equal(canvas, before) and np.array_equal(coverage, covered)
