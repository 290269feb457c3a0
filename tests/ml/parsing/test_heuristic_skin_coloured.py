"""Trousers the colour of skin (heuristic-10): sand or gold trousers below a long top, which the first
labelling takes for bare legs, are lower clothes; the bare ankles below their hems stay legs, and bare
legs lit redder or darker than the face stay legs.

The constructed figure is drawn with known regions and given its keypoints and person mask (the
pose model does not find drawn figures); the photo test checks the same on a real tune photo by
hand-set boxes.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ml.analysis import analyze_file
from ml.parsing.heuristic import parse_small
from ml.types import NUM_KEYPOINTS
from ml.types import ParsingClass as C
from tests.support.figures import arm_and_hip_joints, bare_limbs, head_and_neck, head_joints, keypoints_of

WIDTH, HEIGHT, CX = 200, 320, 100
SKIN = (224, 172, 140)  # hue 58 degrees in Lab
SAND = (205, 170, 120)  # hue 79 degrees: yellower than the skin by 21
SHADED_SKIN = (200, 150, 125)  # hue 53 degrees: legs redder and darker than the face
HAIR = (40, 28, 20)
KURTA = (120, 170, 110)
PAPER = (235, 235, 238)
TROUSER_HEM = 268
FLOOR = 306
JOINTS = {
    **head_joints(CX),
    **arm_and_hip_joints(CX),
    "right_knee": (CX - 22, 230),
    "left_knee": (CX + 22, 230),
    "right_ankle": (CX - 22, 290),
    "left_ankle": (CX + 22, 290),
}


def _kurta_over(legs_colour: tuple[int, int, int], trousers: bool) -> tuple[np.ndarray, np.ndarray, dict]:
    """A figure in a knee-length kurta with bare arms; below it shins in ``legs_colour`` down to
    ``TROUSER_HEM`` (trousers when ``trousers``, else bare legs) and bare ankles and feet in the face's
    skin below. Returns image, person mask and the drawn regions: "shins", "ankles", "kurta"."""
    image = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    image[:] = PAPER
    shape = (HEIGHT, WIDTH)
    yy = np.arange(HEIGHT)[:, None]
    hair = np.zeros(shape, np.uint8)
    cv2.ellipse(hair, (CX, 34), (22, 26), 0, 0, 360, 1, -1)
    legs = bare_limbs(shape, JOINTS, arms=False)
    for side in ("right", "left"):
        x = JOINTS[f"{side}_ankle"][0]
        legs[JOINTS[f"{side}_knee"][1] : FLOOR, x - 8 : x + 9] = True
        legs[FLOOR - 8 : FLOOR, x - 10 : x + 11] = True  # the foot
    shins = legs & (yy < TROUSER_HEM)
    ankles = legs & (yy >= TROUSER_HEM)
    kurta = np.zeros(shape, np.uint8)
    outline = [(CX - 32, 70), (CX + 32, 70), (CX + 50, 240), (CX - 50, 240)]
    cv2.fillPoly(kurta, [np.array(outline, np.int32)], 1)
    kurta = kurta > 0
    image[hair > 0] = HAIR
    image[head_and_neck(shape, CX)] = SKIN
    image[bare_limbs(shape, JOINTS, shins=False)] = SKIN
    image[ankles] = SKIN
    image[shins] = legs_colour if not trousers else SAND
    image[kurta] = KURTA
    mask = (hair > 0) | head_and_neck(shape, CX) | bare_limbs(shape, JOINTS, shins=False) | legs | kurta
    noise = np.random.default_rng(0).integers(-4, 5, image.shape)  # photos are never flat
    image = np.clip(image.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    regions = {"shins": shins & ~kurta, "ankles": ankles, "kurta": kurta}
    return image, (mask * 255).astype(np.uint8), regions


def _parse(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return parse_small(image, mask, keypoints_of(JOINTS), np.ones(NUM_KEYPOINTS, bool))


def _inner(region: np.ndarray) -> np.ndarray:
    """The region less a 2-px rim (edges are smoothed either way)."""
    return cv2.erode(region.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0


def test_sand_trousers_under_a_kurta_are_lower_clothes_and_the_bare_ankles_below_stay_legs():
    # given a kurta over sand trousers ending above bare ankles (the trousers yellower than her skin)
    image, mask, regions = _kurta_over(SAND, trousers=True)
    # when it is parsed
    labels = _parse(image, mask)
    # then the trousers are lower clothes (pants), the bare ankles and feet legs, the kurta upper clothes
    assert float((labels[_inner(regions["shins"])] == C.PANTS).mean()) >= 0.95
    assert float((labels[_inner(regions["ankles"])] == C.LEGS).mean()) >= 0.95
    assert float((labels[_inner(regions["kurta"])] == C.UPPER_CLOTHES).mean()) == 1.0


def test_bare_legs_redder_and_darker_than_the_face_stay_legs():
    # given the same figure with bare shins lit darker and redder than her face
    image, mask, regions = _kurta_over(SHADED_SKIN, trousers=False)
    # when it is parsed
    labels = _parse(image, mask)
    # then the shins are legs, and nothing is lower clothes
    assert float((labels[_inner(regions["shins"])] == C.LEGS).mean()) >= 0.95
    assert not np.isin(labels, (C.PANTS, C.SKIRT)).any()


# Hand-set boxes (x0, y0, x1, y1) in the photo's own pixels (420 x 560): gold trousers below a
# green kurta, bare ankles in gold sandals below their hems.
GOLD_TROUSERS = {"onmodel_07.jpg": [(155, 405, 175, 455), (200, 400, 215, 440)]}
BARE_ANKLES = {"onmodel_07.jpg": [(165, 485, 180, 510)]}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(GOLD_TROUSERS))
def test_on_real_photos_gold_trousers_are_lower_clothes_and_the_ankles_legs(people_dir, name):
    # given a tune photo of gold trousers under a kurta, bare ankles below
    analysis = analyze_file(people_dir / name)
    # then each trouser leg's box is pants, and each ankle's box legs
    for x0, y0, x1, y1 in GOLD_TROUSERS[name]:
        assert float((analysis.parsing[y0:y1, x0:x1] == C.PANTS).mean()) >= 0.95
    for x0, y0, x1, y1 in BARE_ANKLES[name]:
        assert float((analysis.parsing[y0:y1, x0:x1] == C.LEGS).mean()) >= 0.95
