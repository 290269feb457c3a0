"""Bare skin that is not lit like the face stays skin: legs below a printed dress in a photo cut
before the ankles, and a midriff under a crop top (both were parsed as the top garment), also when
the top's colour model learnt the midriff as one of its colours (heuristic-12)."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest

from ml.analysis import analyze_file
from ml.parsing.heuristic import TUNING, parse_small
from ml.parsing.heuristic.colours import _bare_band, _Model
from ml.types import NUM_KEYPOINTS
from ml.types import ParsingClass as C
from tests.support.figures import bare_limbs, head_and_neck, keypoints_of

WIDTH, CX = 200, 100
PAPER, FACE_SKIN = (245, 245, 245), (224, 172, 140)
# the legs are lit unlike the face ...
LEG_SKIN = (200, 150, 125)
# ... and the dress's print has a dusky pink between its dark red stripes, as near the legs as the face
DRESS_RED, DRESS_PINK = (150, 20, 50), (195, 130, 115)
JOINTS = {
    "nose": (CX, 40), "right_eye": (CX - 7, 35), "left_eye": (CX + 7, 35), "right_ear": (CX - 16, 40),
    "left_ear": (CX + 16, 40), "neck": (CX, 70), "right_shoulder": (CX - 30, 72),
    "left_shoulder": (CX + 30, 72), "right_elbow": (CX - 36, 120), "left_elbow": (CX + 36, 120),
    "right_wrist": (CX - 38, 165), "left_wrist": (CX + 38, 165), "right_hip": (CX - 18, 165),
    "left_hip": (CX + 18, 165),
}  # fmt: skip


def _short_dress_cut_at_the_knees() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A figure in a striped mini dress down to y = 222, the photo cut at y = 270 below the knees
    (y = 225); the pose finds no ankles. Returns the image, the person mask, the keypoints and the
    bare legs below the hem (away from their edges)."""
    height = 270
    joints = {**JOINTS, "right_knee": (CX - 20, 225), "left_knee": (CX + 20, 225)}
    image = np.full((height, WIDTH, 3), PAPER, np.uint8)
    mask = np.zeros((height, WIDTH), np.uint8)
    thighs = np.zeros((height, WIDTH), np.uint8)
    for side in ("right", "left"):
        hip, knee = joints[f"{side}_hip"], joints[f"{side}_knee"]
        cv2.line(thighs, hip, (knee[0], height + 20), 1, 26)
    image[thighs > 0], mask[thighs > 0] = LEG_SKIN, 255
    arms = bare_limbs((height, WIDTH), joints, shins=False)
    image[arms], mask[arms] = FACE_SKIN, 255
    dress = np.zeros((height, WIDTH), np.uint8)
    cv2.fillPoly(
        dress, [np.array([(CX - 30, 70), (CX + 30, 70), (CX + 44, 222), (CX - 44, 222)], np.int32)], 1
    )
    stripes = (np.arange(WIDTH) // 4) % 2 == 0
    print_ = np.where(stripes[None, :, None], np.array(DRESS_RED, np.uint8), np.array(DRESS_PINK, np.uint8))
    image[dress > 0], mask[dress > 0] = print_.repeat(height, axis=0)[dress > 0], 255
    head = head_and_neck((height, WIDTH), CX)
    image[head], mask[head] = FACE_SKIN, 255
    bare = cv2.erode(thighs, np.ones((7, 7), np.uint8)) > 0
    bare[:232] = False
    return image, mask, keypoints_of(joints), bare


def test_legs_below_a_printed_dress_in_a_photo_cut_before_the_ankles_are_legs():
    # given a striped mini dress over bare legs lit unlike the face, the photo cut before the ankles
    image, mask, keypoints, bare = _short_dress_cut_at_the_knees()
    # when it is parsed
    labels = parse_small(image, mask, keypoints, np.ones(NUM_KEYPOINTS, bool))
    # then the bare legs below the hem are legs, every pixel of them
    assert bare.sum() > 1000
    assert np.unique(labels[bare]).tolist() == [C.LEGS]
    # and the dress above the hem stays the dress, its pink stripes over the thighs too
    dress = [(120, CX), (200, CX - 2), (200, CX + 2), (215, CX - 18), (215, CX + 18), (215, CX + 22)]
    assert [labels[y, x] for y, x in dress] == [C.UPPER_CLOTHES] * len(dress)


YELLOW, SKIRT_WHITE = (235, 200, 40), (235, 230, 205)
MIDRIFF_SKIN = (236, 190, 160)  # lit brighter than the face


def _crop_top_and_skirt() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A figure in a yellow crop top down to y = 132 and a cream skirt from y = 150; the midriff
    between them bare. Returns the image, the person mask, the keypoints and the midriff's core."""
    height = 300
    joints = {
        **JOINTS,
        "right_knee": (CX - 20, 225), "left_knee": (CX + 20, 225),
        "right_ankle": (CX - 22, 285), "left_ankle": (CX + 22, 285),
    }  # fmt: skip
    image = np.full((height, WIDTH, 3), PAPER, np.uint8)
    mask = np.zeros((height, WIDTH), np.uint8)
    torso = np.zeros((height, WIDTH), np.uint8)
    cv2.fillPoly(
        torso, [np.array([(CX - 30, 70), (CX + 30, 70), (CX + 26, 170), (CX - 26, 170)], np.int32)], 1
    )
    image[torso > 0], mask[torso > 0] = MIDRIFF_SKIN, 255
    top = torso.copy()
    top[133:] = 0
    image[top > 0] = YELLOW
    skin = bare_limbs((height, WIDTH), joints) | head_and_neck((height, WIDTH), CX)
    image[skin], mask[skin] = FACE_SKIN, 255
    skirt = np.zeros((height, WIDTH), np.uint8)
    cv2.fillPoly(
        skirt, [np.array([(CX - 27, 150), (CX + 27, 150), (CX + 36, 232), (CX - 36, 232)], np.int32)], 1
    )
    image[skirt > 0], mask[skirt > 0] = SKIRT_WHITE, 255
    midriff = np.zeros((height, WIDTH), bool)
    midriff[137:146, CX - 20 : CX + 21] = True
    return image, mask, keypoints_of(joints), midriff


def test_a_bare_midriff_under_a_crop_top_is_skin_not_the_top():
    # given a crop top over a bare midriff lit brighter than the face
    image, mask, keypoints, midriff = _crop_top_and_skirt()
    # when it is parsed
    labels = parse_small(image, mask, keypoints, np.ones(NUM_KEYPOINTS, bool))
    # then the midriff is skin (ADGAN has no torso skin: the arms' class) and no part of it the top
    assert np.unique(labels[midriff]).tolist() == [C.ARMS]
    # while the crop top stays the top
    assert labels[110, CX] == labels[125, CX - 15] == C.UPPER_CLOTHES


TOES_IN_SHADOW, MAXI_PINK = (170, 127, 106), (185, 125, 110)


def _maxi_dress_and_bare_feet() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A figure in a striped dress down to y = 280 over bare feet lit unlike the face, her toes in
    shadow (her ankles at y = 282, her feet to y = 294, narrower than her legs). Returns the image,
    the person mask, the keypoints and the feet's core."""
    height = 300
    joints = {
        **JOINTS,
        "right_knee": (CX - 20, 225), "left_knee": (CX + 20, 225),
        "right_ankle": (CX - 22, 282), "left_ankle": (CX + 22, 282),
    }  # fmt: skip
    image = np.full((height, WIDTH, 3), PAPER, np.uint8)
    mask = np.zeros((height, WIDTH), np.uint8)
    feet = np.zeros((height, WIDTH), np.uint8)
    for side, toes in (("right", -10), ("left", 10)):
        ankle = joints[f"{side}_ankle"]
        cv2.line(feet, (ankle[0], 270), ankle, 1, 9)
        cv2.line(feet, ankle, (ankle[0] + toes, 292), 1, 7)
    image[feet > 0], mask[feet > 0] = LEG_SKIN, 255
    image[286:][feet[286:] > 0] = TOES_IN_SHADOW
    skin = bare_limbs((height, WIDTH), joints, shins=False) | head_and_neck((height, WIDTH), CX)
    image[skin], mask[skin] = FACE_SKIN, 255
    dress = np.zeros((height, WIDTH), np.uint8)
    cv2.fillPoly(
        dress, [np.array([(CX - 30, 70), (CX + 30, 70), (CX + 50, 280), (CX - 50, 280)], np.int32)], 1
    )
    stripes = (np.arange(WIDTH) // 4) % 2 == 0
    print_ = np.where(stripes[None, :, None], np.array(DRESS_RED, np.uint8), np.array(MAXI_PINK, np.uint8))
    image[dress > 0], mask[dress > 0] = print_.repeat(height, axis=0)[dress > 0], 255
    core = (cv2.erode(feet, np.ones((3, 3), np.uint8)) > 0) & (dress == 0)
    core[:282] = False
    return image, mask, keypoints_of(joints), core


# the feet below the hem found by their place (heuristic-8) switched off: no piece under a bare shin
# and none unlike the hem is taken for a foot
NO_FEET_BELOW_THE_HEM = {"shoe_under_garment_share": 0.0, "shoe_unlike_share": 2.0}


@pytest.mark.parametrize(
    ("feet_open", "feet_below_the_hem", "all_legs"),
    [
        (TUNING.feet_open, True, True),
        (TUNING.limb_skin_open, True, True),
        (TUNING.feet_open, False, True),
        (TUNING.limb_skin_open, False, False),
    ],
)
def test_bare_feet_below_a_printed_maxi_dress_are_legs(feet_open, feet_below_the_hem, all_legs):
    # given a striped dress down to the ankles over bare feet lit unlike the face, toes in shadow
    image, mask, keypoints, feet = _maxi_dress_and_bare_feet()
    # when it is parsed (with the feet opened as finely as the tuning says, or as coarsely as the
    # legs; with or without the feet found below the hem by their place)
    tuning = replace(TUNING, feet_open=feet_open, **({} if feet_below_the_hem else NO_FEET_BELOW_THE_HEM))
    labels = parse_small(image, mask, keypoints, np.ones(NUM_KEYPOINTS, bool), tuning)
    # then the feet are legs (ADGAN's class for legs, feet and shoes), every pixel of them, unless both
    # the finer opening and the feet below the hem are left out: then the shadowed toes stay the dress
    assert feet.sum() > 60
    if all_legs:
        assert np.unique(labels[feet]).tolist() == [C.LEGS]
    else:
        assert (labels[feet] == C.UPPER_CLOTHES).sum() > 10
    # and the dress's pink stripes beside the ankles stay the dress
    assert [labels[265, x] for x in (CX - 42, CX - 2, CX + 2, CX + 38)] == [C.UPPER_CLOTHES] * 4


# OpenCV 8-bit Lab: her face's skin, a dark red crop top and black trousers, and her midriff, lit
# brighter and pinker than her face (1.6 of the top's spreads from it: more than a cluster dropped
# for its colour alone, ``skin_like_cluster``, less than ``bare_band_cluster``)
FACE_LAB, TOP_RED_LAB, TROUSERS_LAB = (214.0, 140.0, 150.0), (87.0, 180.0, 150.0), (17.0, 128.0, 126.0)
MIDRIFF_LAB = (214.0, 135.0, 146.0)
SKIN_MODEL = _Model(centres=np.array([FACE_LAB], np.float32), spread=np.array([20.0, 4.0, 4.0], np.float32))


def _torso_core(midriff_rows: slice, dotted: bool) -> tuple[np.ndarray, np.ndarray, _Model]:
    """A torso core 100 rows tall: the red top above, black trousers below, and the midriff's colour
    either across ``midriff_rows`` (a bare band) or as dots spread over the top (a print's)."""
    lab = np.zeros((120, 80, 3), np.float32)
    lab[:] = TOP_RED_LAB
    lab[90:] = TROUSERS_LAB
    if dotted:
        lab[5:85:4, 2::5] = MIDRIFF_LAB
    else:
        lab[midriff_rows] = MIDRIFF_LAB
    core = np.zeros((120, 80), bool)
    core[:100] = True
    top = _Model(
        centres=np.array([TOP_RED_LAB, MIDRIFF_LAB, TROUSERS_LAB], np.float32),
        spread=np.array(TUNING.garment_floor, np.float32),
    )
    return lab, core, top


def test_a_skin_cluster_of_the_top_that_fills_a_band_across_the_torso_is_bare_skin():
    # given the top's colour model learnt on a torso core with a bare midriff across it, and on one
    # where the same colour is a print's dots spread over the top
    band_lab, band_core, band_top = _torso_core(slice(78, 90), dotted=False)
    dots_lab, dots_core, dots_top = _torso_core(slice(0, 0), dotted=True)
    assert TUNING.skin_like_cluster < SKIN_MODEL.distance(np.array([MIDRIFF_LAB], np.float32))[0]
    # when the clusters that are bare skin in a band are looked for
    banded = _bare_band(band_lab, band_core, band_top, SKIN_MODEL, TUNING)
    dotted = _bare_band(dots_lab, dots_core, dots_top, SKIN_MODEL, TUNING)
    # then only the midriff's cluster of the band is, and none of the print's (nor the red, nor the
    # black of the trousers, which fills rows too but is far from her skin)
    assert banded.tolist() == [False, True, False]
    assert dotted.tolist() == [False, False, False]


# Hand-set boxes (x0, y0, x1, y1) in the photo's own pixels (768 x 1024): a dark red long-sleeved
# crop top with a square neckline over black trousers, her left hand in their pocket.
CROP_TOP_SKIN = {
    "midriff": ((380, 655, 470, 668), (C.ARMS, C.FACE)),
    "chest": ((340, 380, 480, 410), (C.FACE,)),
    "hand": ((525, 785, 555, 830), (C.ARMS,)),
}


@pytest.mark.slow
@pytest.mark.parametrize("part", sorted(CROP_TOP_SKIN))
def test_on_a_real_photo_a_crop_tops_midriff_chest_and_a_hand_in_a_pocket_are_skin(people_dir, part):
    # given the tune photo of a crop top whose midriff is lit unlike her face
    analysis = analyze_file(people_dir.parent / "vton" / "models" / "01861_00.jpg")
    (x0, y0, x1, y1), classes = CROP_TOP_SKIN[part]
    # then her midriff, her chest inside the neckline and her hand in the pocket are skin
    assert float(np.isin(analysis.parsing[y0:y1, x0:x1], classes).mean()) >= 0.9
