"""warp-33: trousers from packshots as hip and leg ribbons that join without a step, opened between
overlapping legs, and laid along legs the pose model missed."""

import dataclasses

import cv2
import numpy as np

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.render.warp import mesh
from ml.render.warp.body import body_skeleton
from ml.render.warp.mesh import MeshPackshotSource
from ml.types import GarmentKind, GarmentSource, Packshot, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import DENIM, GREY, denim_pixels, make_person

WEDGE_HEIGHT = 40  # px of packshot above its crotch notch where the paper shows between the legs
LEGS_APART = {
    "right_knee": (72, 215),
    "right_ankle": (62, 268),
    "left_knee": (128, 215),
    "left_ankle": (138, 268),
}


def _jeans() -> Packshot:
    return draw_packshot(kind=GarmentKind.BOTTOM, colour=DENIM, style="trousers", seed=1, size=(384, 288))


def _with_wedge(packshot: Packshot, height: int = WEDGE_HEIGHT) -> Packshot:
    """The packshot with a thin triangle of paper enclosed between its legs above the crotch notch
    (one leg laid over the other), its mask filled there as a cut-out fills holes."""
    cx, cy = (round(v) for v in packshot.landmarks["crotch"])
    wedge = np.zeros(packshot.mask.shape, np.uint8)
    cv2.fillConvexPoly(wedge, np.array([[cx, cy - height], [cx - 6, cy - 2], [cx + 6, cy - 2]], np.int32), 1)
    image = packshot.image.copy()
    image[wedge > 0] = packshot.image[0, 0]
    mask = packshot.mask.copy()
    mask[wedge > 0] = 255
    return Packshot(image=image, mask=mask, kind=packshot.kind, landmarks=packshot.landmarks)


def _render(shopper, packshot: Packshot):
    return get_renderer("warp").render(
        RenderRequest(shopper=shopper, garments=(GarmentSource(kind=packshot.kind, packshot=packshot),))
    )


def test_the_paper_between_overlapping_legs_is_no_garment_and_the_legs_part_at_its_top():
    # given jeans whose legs overlap, with paper showing between them above the crotch notch
    jeans = _jeans()
    cx, cy = jeans.landmarks["crotch"]
    wedged = _with_wedge(jeans)
    # when they are prepared for the ribbons
    source = MeshPackshotSource(wedged)
    # then the legs part at the top of the paper, and the paper is see-through
    assert abs(source.lm["crotch"][1] - (round(cy) - WEDGE_HEIGHT)) <= 1
    assert abs(source.lm["crotch"][0] - round(cx)) <= 1
    inside = np.zeros(jeans.mask.shape, np.uint8)
    cv2.fillConvexPoly(
        inside,
        np.array(
            [
                [round(cx), round(cy) - WEDGE_HEIGHT + 6],
                [round(cx) - 3, round(cy) - 4],
                [round(cx) + 3, round(cy) - 4],
            ]
        ),
        1,
    )
    assert source.layer.alpha[inside > 0].max() == 0.0
    # and the garment beside it is as it was
    legs = (source.limbs.layer.alpha > 0.99) & (inside == 0)
    legs[round(cy) - WEDGE_HEIGHT - 10 :, round(cx) - 12 : round(cx) + 13] = False
    assert np.array_equal(source.layer.alpha[legs], source.limbs.layer.alpha[legs])


def test_trousers_in_the_papers_colour_keep_their_crotch_and_their_whole_body():
    # given white trousers on white paper (the whole garment is the paper's colour)
    jeans = _jeans()
    white = jeans.image.copy()
    white[jeans.mask > 127] = jeans.image[0, 0]
    packshot = Packshot(image=white, mask=jeans.mask, kind=jeans.kind, landmarks=jeans.landmarks)
    # when they are prepared for the ribbons
    source = MeshPackshotSource(packshot)
    # then nothing of them is taken for paper between the legs
    assert np.allclose(source.lm["crotch"], jeans.landmarks["crotch"])
    assert np.array_equal(source.layer.alpha, source.limbs.layer.alpha)


def test_no_paper_slit_shows_down_the_front_of_overlapping_trousers():
    # given a shopper in grey trousers and jeans with paper between their overlapping legs
    shopper = make_person(pants=GREY, upper_to=0.0)
    wedged = _with_wedge(_jeans())
    # when the jeans are rendered on her
    image = _render(shopper, wedged).image
    # then from her waist down to her crotch the front of the jeans is denim all across
    front = denim_pixels(image[150:180, 90:111])
    assert front.all(), np.argwhere(~front)


def test_the_trouser_map_has_no_step_where_the_hips_turn_into_the_legs():
    # given a shopper standing with her legs apart (her thighs slant away from her body's axis)
    shopper = make_person(pants=GREY, upper_to=0.0, pose=LEGS_APART)
    source = MeshPackshotSource(_jeans())
    dst = body_skeleton(shopper)
    source.fit_to(shopper, dst)
    trousers = source.garment_map(dst)
    assert len(trousers.legs) == 2
    # when the rows just above and just below the crotch line are mapped onto the packshot
    xs = np.arange(70.0, 131.0)
    line = trousers.crotch_level / float(trousers.down[1])
    gx_above, gy_above = trousers(xs[None], np.full((1, xs.size), line - 0.5))
    gx_below, gy_below = trousers(xs[None], np.full((1, xs.size), line + 0.5))
    # then every point lands next to where the point above it lands (one continuous map)
    step = np.hypot(gx_below - gx_above, gy_below - gy_above)
    assert step.max() < 3.0, step.round(1)


def test_the_map_steps_at_the_crotch_line_without_the_blend():
    # given the same shopper and jeans, the hips switched to the legs at a line
    shopper = make_person(pants=GREY, upper_to=0.0, pose=LEGS_APART)
    source = MeshPackshotSource(_jeans(), dataclasses.replace(mesh.TUNING, crotch_blend=0.0))
    dst = body_skeleton(shopper)
    source.fit_to(shopper, dst)
    trousers = source.garment_map(dst)
    # when the rows either side of the line are mapped
    xs = np.arange(70.0, 131.0)
    line = trousers.crotch_level / float(trousers.down[1])
    above = np.stack(trousers(xs[None], np.full((1, xs.size), line - 0.5)))
    below = np.stack(trousers(xs[None], np.full((1, xs.size), line + 0.5)))
    # then the legs start off where the hips end (the fault the blend removes)
    assert np.hypot(*(below - above)).max() > 6.0


def test_trousers_follow_legs_the_pose_model_missed_down_to_her_feet():
    # given a bare-legged shopper whose knees and ankles the pose model did not locate, though they
    # are in the frame (as under a long dress)
    shopper = make_person(upper_to=0.0, missing=("right_knee", "left_knee", "right_ankle", "left_ankle"))
    shopper.extras["perception.in_frame"] = np.ones(len(shopper.keypoints), bool)
    ankle_y = 268
    # when full-length jeans are rendered on her
    image = _render(shopper, _jeans()).image
    # then her legs are covered down to above her ankles
    shins = (shopper.parsing == C.LEGS) & (np.arange(shopper.height)[:, None] < ankle_y - 10)
    shins &= np.arange(shopper.height)[:, None] > 215
    assert shins.sum() > 200
    assert denim_pixels(image)[shins].mean() > 0.9
