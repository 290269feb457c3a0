"""warp-75: a packshot sleeve hangs along the outside of her arm, its outer edge on her arm's outline
(reviewers' "shoulder slits showing skin", "old red sleeve strip at the shoulder")."""

import dataclasses

import numpy as np
import pytest

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.render.warp import sleeves, sources
from ml.render.warp.body import body_skeleton
from ml.render.warp.mesh import MeshPackshotSource, body_frame
from ml.render.warp.sleeves import outward_shift
from ml.types import KP, GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import make_person

RED = (220, 30, 40)
SPAN = 100.0
BONE = (np.array([45.0, 20.0]), np.array([45.0, 120.0]))  # her right upper arm, hanging straight down
BODY_CENTRE = np.array([100.0, 70.0])  # her body lies to the bone's right: outward is to the left


def _band(x0: int, x1: int) -> np.ndarray:
    mask = np.zeros((200, 200), bool)
    mask[:, x0:x1] = True
    return mask


def _shift(her: np.ndarray, sleeve: np.ndarray) -> np.ndarray:
    """The shift of a sleeve laid on the bone as it lies in its own pixels (the same bone, no scaling)."""
    return outward_shift(
        alpha=sleeve.astype(np.float32),
        src_bone=BONE,
        dst_bone=BONE,
        across=1.0,
        her=her,
        body_centre=BODY_CENTRE,
        span=SPAN,
    )


def test_a_sleeve_short_of_her_outline_is_moved_out_to_it_and_a_margin_beyond():
    # given her arm from x 40 to 60 and a sleeve from x 44 on (the bone at x 45: 6 px of her arm and
    # 2 px of the sleeve outward of it)
    # when the sleeve's shift is found
    shift = _shift(_band(40, 60), _band(44, 70))
    # then it moves out (left) by the shortfall, 4 px, plus the margin (0.015 spans: 1.5 px)
    assert np.allclose(shift, (-5.5, 0.0))


def test_a_sleeve_wholly_inward_of_the_bone_is_moved_out_by_its_distance_too():
    # given the same arm and a sleeve starting 3 px inward of the bone (x 48 on)
    # when the sleeve's shift is found
    shift = _shift(_band(40, 60), _band(48, 70))
    # then it moves out by her 6 px, the sleeve's 2 px gap and the margin
    assert np.allclose(shift, (-9.5, 0.0))


def test_a_sleeve_already_covering_her_arm_stays():
    # given a sleeve reaching 15 px out from the bone over her 6 px
    # when the sleeve's shift is found
    shift = _shift(_band(40, 60), _band(30, 70))
    # then it does not move
    assert np.allclose(shift, (0.0, 0.0))


def test_the_shift_is_at_most_max_shift():
    # given her "arm" reaching past the measured reach (a wide mask beside the bone)
    # when the sleeve's shift is found
    shift = _shift(_band(0, 60), _band(44, 70))
    # then it is the cap, 0.3 spans
    assert np.allclose(shift, (-sleeves.TUNING.max_shift * SPAN, 0.0))


def test_no_shift_where_her_arm_is_not_on_the_bone():
    # given her arm wholly beside the bone (x 60 to 80)
    # when the sleeve's shift is found
    shift = _shift(_band(60, 80), _band(44, 70))
    # then nothing is measured and nothing moves
    assert np.allclose(shift, (0.0, 0.0))


def _rows_short_of_her_outline(shopper, alpha: np.ndarray) -> int:
    """Rows of her right upper arm, from the shoulder joint down 22 px (a tee's sleeve there), where
    the garment's outer edge stops inside her outline."""
    shoulder = shopper.keypoints[KP["right_shoulder"]]
    short = 0
    for y in range(round(shoulder[1]) - 2, round(shoulder[1]) + 23):
        garment = np.flatnonzero(alpha[y, : round(shoulder[0])] >= 0.5)
        her = np.flatnonzero(shopper.parsing[y, : round(shoulder[0])] != C.BACKGROUND)
        short += int(garment.min() > her.min())
    return short


@pytest.mark.parametrize(("moved", "rows_short"), [(True, 0), (False, 3)])
def test_a_tee_on_hanging_arms_reaches_their_outline(monkeypatch, moved, rows_short):
    # given a shopper with her arms hanging beside her body, and a t-shirt packshot; without the
    # change, the sleeve hung on its middle line and stayed where it was
    if not moved:
        monkeypatch.setattr(sources, "TUNING", dataclasses.replace(sources.TUNING, sleeve_line=0.0))
        monkeypatch.setattr(sleeves, "TUNING", dataclasses.replace(sleeves.TUNING, max_shift=0.0))
    shopper = make_person(upper=(40, 60, 200))
    packshot = draw_packshot(kind=GarmentKind.TOP, colour=RED, style="tshirt")
    # when rendered
    result = get_renderer("warp").render(
        RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=packshot),))
    )
    # then the sleeve's outer edge reaches her outline on every row beside her upper arm
    assert _rows_short_of_her_outline(shopper, result.garment_alpha) == rows_short


@pytest.mark.parametrize(("style", "moved_out"), [("tshirt", True), ("tank", False)])
def test_a_sleeved_tops_shoulder_seams_go_out_to_her_outline_and_a_tanks_straps_stay(style, moved_out):
    # given a shopper in a blue top and a t-shirt (or a tank top) packshot fitted to her
    shopper = make_person(upper=(40, 60, 200))
    dst = body_skeleton(shopper)
    source = MeshPackshotSource(draw_packshot(kind=GarmentKind.TOP, colour=RED, style=style))
    source.fit_to(shopper, dst)
    body = body_frame(shopper, dst)
    # when each side's shoulder seam is placed, from 10 px out from her body's axis
    hers = sleeves.her_outline(shopper)
    placed = {side: source._seam_on_her_outline(body, side, 10.0, hers) for side in ("right", "left")}
    # then a sleeved side's seam lies on her outline at the joint's level, a strap stays at 10 px
    sides = (("right", body.right_shoulder, body.across), ("left", body.left_shoulder, -body.across))
    for side, joint, outward in sides:
        if moved_out:
            edge = joint + (placed[side] - float((joint - body.mid) @ outward)) * outward
            inside = np.round(edge - outward).astype(int)
            outside = np.round(edge + outward).astype(int)
            assert shopper.parsing[inside[1], inside[0]] != C.BACKGROUND, side
            assert shopper.parsing[outside[1], outside[0]] == C.BACKGROUND, side
        else:
            assert placed[side] == 10.0, side
