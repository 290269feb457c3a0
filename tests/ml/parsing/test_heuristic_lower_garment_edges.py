"""Where the bottom garment meets a sleeve and bare skin (heuristic-14).

- Below the waistline the bottom garment is the rule (the top pays a cost there), but a sleeve
  hanging beside the hips is no part of it: it goes by its colour alone, so a sleeve darker than
  the top stays the top, and trousers beside a bare forearm still take that cost.
- Shaded folds of sand trousers on a darker-skinned person are near enough her skin to be taken for
  legs: a patch of legs rimmed by the trousers and no nearer her skin than theirs is the trousers;
  skin through ripped jeans and bare legs below shorts stay legs.

The figures are drawn with known regions and given their keypoints and person mask (the pose model
does not find drawn figures).
"""

from __future__ import annotations

import cv2
import numpy as np

from ml.parsing.heuristic import parse_small
from ml.parsing.heuristic.garments import _sleeved_forearms
from ml.parsing.heuristic.geometry import _frame
from ml.parsing.heuristic.skin import _skin_the_colour_of_the_bottom
from ml.parsing.heuristic.tuning import TUNING
from ml.types import NUM_KEYPOINTS
from ml.types import ParsingClass as C
from tests.support.figures import head_and_neck, head_joints, keypoints_of, mirrored_joints

WIDTH, HEIGHT, CX = 200, 320, 100
SKIN = (224, 172, 140)
HAIR = (40, 28, 20)
TOP = (30, 30, 32)
SHEER_SLEEVE = (55, 45, 45)  # black mesh over the arm: a little lighter and warmer than the top
SKIRT = (120, 130, 170)
SKIRT_SPOTS = (60, 45, 35)
PAPER = (235, 235, 238)
WAIST = 150
JOINTS = {
    **head_joints(CX),
    **mirrored_joints(
        CX,
        {
            "shoulder": (30, 72),
            "elbow": (42, 128),
            "wrist": (44, 190),  # the forearms hang beside the hips, below the waistline
            "hip": (20, 165),
            "knee": (22, 235),
            "ankle": (22, 295),
        },
    ),
}


def _figure(sleeves: bool) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """A figure in a black top over a spotted skirt, bare legs below it; the arms in the top's sheer
    long sleeves (``sleeves``) or bare. Returns image, person mask and the drawn regions:
    "forearms below the waist", "skirt"."""
    shape = (HEIGHT, WIDTH)
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    hair, top, skirt, arms, hands, legs, forearms = (np.zeros(shape, np.uint8) for _ in range(7))
    cv2.ellipse(hair, (CX, 34), (22, 26), 0, 0, 360, 1, -1)
    torso = [(CX - 32, 70), (CX + 32, 70), (CX + 30, WAIST), (CX - 30, WAIST)]
    cv2.fillPoly(top, [np.array(torso, np.int32)], 1)
    cv2.fillPoly(
        skirt, [np.array([(CX - 30, WAIST), (CX + 30, WAIST), (CX + 36, 235), (CX - 36, 235)], np.int32)], 1
    )
    for side in ("right", "left"):
        shoulder, elbow, wrist = (JOINTS[f"{side}_{joint}"] for joint in ("shoulder", "elbow", "wrist"))
        cv2.line(arms, shoulder, elbow, 1, 15)
        cv2.line(arms, elbow, wrist, 1, 13)
        cv2.line(forearms, elbow, wrist, 1, 9)
        cv2.circle(hands, (wrist[0], wrist[1] + 8), 7, 1, -1)
        cv2.line(legs, (JOINTS[f"{side}_hip"][0], 230), JOINTS[f"{side}_knee"], 1, 16)
        cv2.line(legs, JOINTS[f"{side}_knee"], JOINTS[f"{side}_ankle"], 1, 14)
    image = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    image[:] = PAPER
    image[hair > 0] = HAIR
    image[head_and_neck(shape, CX)] = SKIN
    image[(legs > 0) | (hands > 0)] = SKIN
    image[skirt > 0] = SKIRT
    image[(skirt > 0) & ((xx // 7 + yy // 7) % 3 == 0)] = SKIRT_SPOTS
    image[top > 0] = TOP
    image[arms > 0] = SHEER_SLEEVE if sleeves else SKIN
    mask = head_and_neck(shape, CX) | ((hair + top + skirt + arms + hands + legs) > 0)
    noise = np.random.default_rng(0).integers(-4, 5, image.shape)  # photos are never flat
    image = np.clip(image.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    regions = {
        "forearms below the waist": (forearms > 0) & (yy > JOINTS["right_hip"][1] - 5),
        "skirt": cv2.erode(skirt, np.ones((5, 5), np.uint8)) > 0,
    }
    return image, (mask * 255).astype(np.uint8), regions


def _parse(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return parse_small(image, mask, keypoints_of(JOINTS), np.ones(NUM_KEYPOINTS, bool))


def test_a_sheer_sleeve_hanging_beside_a_skirt_stays_the_top():
    # given a black top with sheer long sleeves, the forearms hanging beside a spotted skirt
    image, mask, regions = _figure(sleeves=True)
    # when it is parsed
    labels = _parse(image, mask)
    # then the sleeves below the waistline are upper clothes, and the skirt is all skirt
    assert float((labels[regions["forearms below the waist"]] == C.UPPER_CLOTHES).mean()) >= 0.95
    assert float((labels[regions["skirt"]] == C.SKIRT).mean()) == 1.0


def test_bare_forearms_beside_a_skirt_are_arms_and_the_skirt_stays_a_skirt():
    # given the same figure with bare arms
    image, mask, regions = _figure(sleeves=False)
    # when it is parsed
    labels = _parse(image, mask)
    # then the forearms are arms, the skirt all skirt, and no upper clothes lie below the waistline
    assert float((labels[regions["forearms below the waist"]] == C.ARMS).mean()) >= 0.95
    assert float((labels[regions["skirt"]] == C.SKIRT).mean()) == 1.0
    assert not (labels[WAIST + 5 :] == C.UPPER_CLOTHES).any()


def _forearm_zone(sleeves: bool) -> np.ndarray:
    image, mask, _ = _figure(sleeves)
    labels = _parse(image, mask)
    person = mask > 0
    frame = _frame(person, keypoints_of(JOINTS), TUNING, None)
    garment = person & np.isin(labels, (C.UPPER_CLOTHES, C.SKIRT, C.PANTS))
    return _sleeved_forearms(garment, frame, TUNING)


def test_only_a_sleeved_forearm_is_exempt_from_the_bottom_garment_rule():
    # given the figure in sheer sleeves and the figure with bare arms
    # when the sleeved forearms are found
    sleeved, bare = _forearm_zone(sleeves=True), _forearm_zone(sleeves=False)
    # then both forearms' lines lie in the zone of the sleeved figure, and nothing does for bare arms
    for side in ("right", "left"):
        assert sleeved[JOINTS[f"{side}_wrist"][1] - 10, JOINTS[f"{side}_wrist"][0]]
    assert not bare.any()


# ---- legs the colour of the bottom garment

DARK_SKIN = (110, 72, 52)
SAND = (215, 195, 165)
SAND_IN_SHADE = (170, 140, 110)  # a fold of the same trousers: as far from her skin as from them
DENIM = (70, 90, 140)


def _trousers_with_a_patch(
    trousers: tuple[int, int, int], patch_colour: tuple[int, int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels and Lab image: face and arms in dark skin, a top, trousers over the lower half and a
    patch in ``patch_colour`` labelled legs inside them. Returns labels, Lab image and the patch."""
    labels = np.zeros((120, 100), np.uint8)
    image = np.zeros((120, 100, 3), np.uint8)
    image[:] = PAPER
    for region, label, colour in (
        ((slice(5, 25), slice(40, 60)), C.FACE, DARK_SKIN),
        ((slice(30, 60), slice(10, 20)), C.ARMS, DARK_SKIN),
        ((slice(30, 60), slice(80, 90)), C.ARMS, DARK_SKIN),
        ((slice(30, 60), slice(25, 75)), C.UPPER_CLOTHES, TOP),
        ((slice(60, 115), slice(25, 75)), C.PANTS, trousers),
        ((slice(75, 100), slice(38, 52)), C.LEGS, patch_colour),
    ):
        labels[region], image[region] = label, colour
    noise = np.random.default_rng(0).integers(-4, 5, image.shape)
    image = np.clip(image.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    patch = labels == C.LEGS
    return labels, cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32), patch


def test_a_shaded_fold_of_sand_trousers_taken_for_legs_is_the_trousers():
    # given sand trousers on a dark-skinned person with a fold in shade labelled legs inside them
    labels, lab_image, patch = _trousers_with_a_patch(SAND, SAND_IN_SHADE)
    before = labels.copy()
    # when legs the colour of the bottom garment are looked for
    _skin_the_colour_of_the_bottom(labels, lab_image, TUNING)
    # then the fold is pants, and nothing else changed
    assert (labels[patch] == C.PANTS).all()
    assert (labels[~patch] == before[~patch]).all()


def test_skin_through_ripped_jeans_stays_legs():
    # given jeans with a rip showing her skin, labelled legs
    labels, lab_image, _patch = _trousers_with_a_patch(DENIM, DARK_SKIN)
    before = labels.copy()
    # when legs the colour of the bottom garment are looked for
    _skin_the_colour_of_the_bottom(labels, lab_image, TUNING)
    # then nothing changed
    assert (labels == before).all()


def test_bare_legs_below_sand_shorts_stay_legs():
    # given sand shorts over bare legs in her skin, the legs' rim the background and the shorts
    labels, lab_image, _patch = _trousers_with_a_patch(SAND, SAND_IN_SHADE)
    labels[75:115, 25:75][labels[75:115, 25:75] == C.PANTS] = C.BACKGROUND
    labels[100:115, 38:52] = C.LEGS
    before = labels.copy()
    # when legs the colour of the bottom garment are looked for
    _skin_the_colour_of_the_bottom(labels, lab_image, TUNING)
    # then nothing changed, although the legs are lit like the shorts' shade
    assert (labels == before).all()
