"""heuristic-7: an arm the colour models gave to the garment (in shade, unlike the face's and the lit
arm's skin) is found again by a graph cut along the arm, seeded by its own hand; a sleeve in the
garment's colours and hair over a shoulder stay what they were."""

from __future__ import annotations

import cv2
import numpy as np

from ml.parsing.heuristic import TUNING
from ml.parsing.heuristic.arms import _arms_by_graph_cut
from ml.parsing.heuristic.geometry import _frame, _reach
from ml.types import ParsingClass as C
from tests.support.figures import keypoints_of

WIDTH, HEIGHT, CX = 200, 300, 100
PAPER, DRESS, SKIN, SHADED_SKIN, HAIR = (
    (245, 245, 245),
    (30, 35, 70),
    (224, 172, 140),
    (150, 105, 80),
    (70, 45, 30),
)
JOINTS = {
    "nose": (CX, 40), "right_eye": (CX - 7, 35), "left_eye": (CX + 7, 35), "right_ear": (CX - 16, 40),
    "left_ear": (CX + 16, 40), "neck": (CX, 70), "right_shoulder": (CX - 30, 72),
    "left_shoulder": (CX + 30, 72), "right_elbow": (CX - 48, 125), "left_elbow": (CX + 48, 125),
    "right_wrist": (CX - 52, 175), "left_wrist": (CX + 52, 175), "right_hip": (CX - 20, 165),
    "left_hip": (CX + 20, 165), "right_knee": (CX - 22, 225), "left_knee": (CX + 22, 225),
    "right_ankle": (CX - 24, 285), "left_ankle": (CX + 24, 285),
}  # fmt: skip


def _figure(upper_arm_colour: tuple[int, int, int]):
    """A navy dress and two arms; her right upper arm in ``upper_arm_colour`` and labelled the dress
    (the colour models' miss), the rest of her arms skin and labelled arms. Returns the image, the
    labels, the right upper arm's core and the dress's core."""
    image = np.full((HEIGHT, WIDTH, 3), PAPER, np.uint8)
    labels = np.zeros((HEIGHT, WIDTH), np.uint8)
    dress = np.zeros((HEIGHT, WIDTH), np.uint8)
    cv2.fillPoly(
        dress, [np.array([(CX - 32, 70), (CX + 32, 70), (CX + 46, 230), (CX - 46, 230)], np.int32)], 1
    )
    image[dress > 0], labels[dress > 0] = DRESS, C.UPPER_CLOTHES
    arms = np.zeros((HEIGHT, WIDTH), np.uint8)
    for side in ("right", "left"):
        cv2.line(arms, JOINTS[f"{side}_elbow"], JOINTS[f"{side}_wrist"], 1, 11)
        cv2.circle(arms, JOINTS[f"{side}_wrist"], 8, 1, -1)
    cv2.line(arms, JOINTS["left_shoulder"], JOINTS["left_elbow"], 1, 13)
    image[arms > 0], labels[arms > 0] = SKIN, C.ARMS
    upper = np.zeros((HEIGHT, WIDTH), np.uint8)
    cv2.line(upper, JOINTS["right_shoulder"], JOINTS["right_elbow"], 1, 13)
    upper &= 1 - arms
    image[upper > 0], labels[upper > 0] = upper_arm_colour, C.UPPER_CLOTHES
    # the shaded part of her forearm below the elbow is skin in shade too, seeding the cut
    forearm_top = np.zeros((HEIGHT, WIDTH), np.uint8)
    cv2.line(forearm_top, JOINTS["right_elbow"], (CX - 50, 150), 1, 11)
    image[forearm_top > 0] = SHADED_SKIN if upper_arm_colour == SHADED_SKIN else SKIN
    upper_core = cv2.erode(upper, np.ones((5, 5), np.uint8)) > 0
    upper_core[: JOINTS["right_shoulder"][1] + 8] = False
    dress_core = cv2.erode(dress & (1 - upper) & (1 - arms), np.ones((9, 9), np.uint8)) > 0
    return image, labels, upper_core, dress_core


def _cut(image: np.ndarray, labels: np.ndarray, hair: np.ndarray | None = None) -> np.ndarray:
    person = labels > 0
    frame = _frame(person, keypoints_of(JOINTS), TUNING, None)
    out = labels.copy()
    _arms_by_graph_cut(out, image, frame, _reach(frame, person, None, TUNING), hair, TUNING)
    return out


def test_a_shaded_upper_arm_labelled_the_dress_becomes_arms_and_the_dress_stays():
    # given a figure whose shaded right upper arm the colour models gave to her dress
    image, labels, upper_core, dress_core = _figure(SHADED_SKIN)
    assert (labels[upper_core] == C.UPPER_CLOTHES).all()
    # when each arm is cut from the garment along its bones
    out = _cut(image, labels)
    # then the upper arm is arms, and the dress, the paper and the left arm are as they were
    assert (out[upper_core] == C.ARMS).all()
    assert (out[dress_core] == C.UPPER_CLOTHES).all()
    assert (out[labels == C.BACKGROUND] == C.BACKGROUND).all()
    assert (out[labels == C.ARMS] == C.ARMS).all()


def test_a_sleeve_in_the_dress_colour_stays_the_dress():
    # given the same figure in a dress with a sleeve of the dress's colour down to the elbow
    image, labels, _, _ = _figure(DRESS)
    # when each arm is cut from the garment
    out = _cut(image, labels)
    # then nothing changes: the sleeve is the garment
    assert (out == labels).all()


def test_hair_over_a_shoulder_does_not_spread_over_the_garment():
    # given a lock of hair down her right upper arm labelled the dress, with a hair-coloured patch
    # below it that the colour models took for skin (arms)
    image, labels, upper_core, _ = _figure(HAIR)
    hair_centre = (
        cv2.cvtColor(np.array([[HAIR]], np.uint8), cv2.COLOR_RGB2LAB).reshape(1, 3).astype(np.float32)
    )
    image[labels == C.ARMS] = np.where(
        (np.arange(WIDTH) < CX)[None, :, None], np.array(HAIR, np.uint8), image
    )[labels == C.ARMS]
    # when each arm is cut with the photo's hair colour known
    out = _cut(image, labels, hair_centre)
    # then the lock stays the dress
    assert (out[upper_core] == C.UPPER_CLOTHES).all()
