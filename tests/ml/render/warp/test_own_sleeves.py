"""warp-20: a tank's straps and armholes around her shoulder joints are no sleeve to keep (they
stayed beside a new top as "old straps at the shoulders"); with packshots her bare midriff, which the
parser gives to the arms, stays behind the new garment. warp-101: her arm-labelled shoulders stay
behind every garment (:mod:`test_head_in_front`)."""

from __future__ import annotations

import cv2
import numpy as np

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.render.warp import WarpRenderer
from ml.render.warp.body import body_skeleton
from ml.types import KP, GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import BASE_KEYPOINTS, make_person

BLUE = (40, 60, 200)
IVORY = (235, 230, 220)


def _in_a_tank():
    """A shopper in a blue tank: the top's armholes reach a little past her shoulder joints."""
    shopper = make_person(upper=BLUE)
    straps = np.zeros(shopper.parsing.shape, np.uint8)
    for side in ("right", "left"):
        cv2.circle(straps, BASE_KEYPOINTS[f"{side}_shoulder"], 7, 1, -1)
    straps = (straps > 0) & (shopper.parsing == C.ARMS)
    shopper.parsing[straps] = C.UPPER_CLOTHES
    shopper.image[straps] = BLUE
    return shopper, straps


def _in_long_sleeves():
    shopper = make_person(upper=BLUE)
    sleeves = (shopper.parsing == C.ARMS) & (np.arange(200)[None, :] < 80)
    shopper.parsing[sleeves] = C.UPPER_CLOTHES
    shopper.image[sleeves] = BLUE
    return shopper, sleeves


def test_a_tanks_armholes_are_no_sleeve_but_long_sleeves_are():
    # given a shopper in a tank and one in long sleeves (her right arm)
    tank, straps = _in_a_tank()
    sleeved, sleeves = _in_long_sleeves()
    # when her own sleeves are looked for
    tank_kept = WarpRenderer._own_sleeves(tank, body_skeleton(tank))
    sleeves_kept = WarpRenderer._own_sleeves(sleeved, body_skeleton(sleeved))
    # then the tank has none, and the long sleeve (her right arm's) is kept down its arm, nothing on
    # her bare left arm
    assert straps.sum() > 40
    assert tank_kept.sum() == 0
    assert int((sleeves_kept & sleeves).sum()) > 300
    assert sleeves_kept[110:150].any()
    assert not sleeves_kept[:, 100:].any()


def test_an_arm_without_its_elbow_has_no_sleeve_to_keep():
    # given a shopper in long sleeves whose right elbow the pose did not find
    shopper, _ = _in_long_sleeves()
    shopper.keypoints[KP["right_elbow"]] = -1
    dst = body_skeleton(shopper)
    # when her own sleeves are looked for
    kept = WarpRenderer._own_sleeves(shopper, dst)
    # then her right arm (no upper-arm bone to measure along) keeps nothing, and nothing fails
    assert "right_upper_arm" not in dst.bones
    assert not kept[:, :100].any()


def test_a_new_top_takes_the_tanks_armholes_with_the_rest_of_it():
    # given the shopper in a tank and a tee packshot
    shopper, _ = _in_a_tank()
    tee = draw_packshot(kind=GarmentKind.TOP, colour=IVORY, style="tshirt", seed=1, size=(384, 288))
    # when the tee is rendered on her
    request = RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=tee),))
    result = get_renderer("warp").render(request)
    # then none of the tank's blue is left around her shoulders
    blue = np.abs(result.image.astype(int) - np.array(BLUE)).max(axis=2) <= 30
    around = np.zeros(shopper.parsing.shape, bool)
    around[55:95, 55:145] = True
    assert int((blue & around).sum()) == 0


def test_her_midriff_labelled_arms_is_not_pasted_over_the_garment():
    # given a shopper whose bare midriff, far from her arms, the parser gave to the arms
    shopper = make_person(upper=BLUE, upper_to=0.0)
    midriff = np.zeros(shopper.parsing.shape, bool)
    midriff[140:158, 90:111] = True
    shopper.parsing[midriff] = C.ARMS
    shopper.image[midriff] = (205, 165, 135)
    dst = body_skeleton(shopper)
    # when her arms to draw in front of the garment are taken
    arms, _shoulders = WarpRenderer._shopper_arms(shopper, dst)
    # then the midriff is not among them, while her forearms are
    assert float(arms[midriff].max()) == 0.0
    forearm = (shopper.parsing == C.ARMS) & ~midriff
    forearm[:120] = False
    assert float((arms[forearm] > 0).mean()) > 0.95


def test_an_arm_whose_elbow_and_wrist_were_not_found_stays_in_front():
    # given a shopper whose left elbow and wrist the pose missed: that arm has no bone near it
    shopper = make_person(upper=BLUE, missing=("left_elbow", "left_wrist"))
    dst = body_skeleton(shopper)
    # when her arms to draw in front of the garment are taken
    arms, _shoulders = WarpRenderer._shopper_arms(shopper, dst)
    # then her left forearm beside her torso is among them, as her right one is
    columns = np.arange(shopper.parsing.shape[1])
    forearm = (shopper.parsing == C.ARMS) & (columns[None, :] > 100)
    forearm[:125] = False
    assert forearm.sum() > 50
    assert float((arms[forearm] > 0).mean()) > 0.95
