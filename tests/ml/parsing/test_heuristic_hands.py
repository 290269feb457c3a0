"""A hand on the hip or over the garment is arms to its fingertips (they were parsed as the garment,
so the renderer cut the product model's fingers out with her dress)."""

from __future__ import annotations

import cv2
import numpy as np

from ml.parsing.heuristic import TUNING, parse_small
from ml.parsing.heuristic.cleanup import _absorb_specks
from ml.parsing.heuristic.geometry import _fingertips
from ml.pose import PoseResult
from ml.types import NUM_KEYPOINTS
from ml.types import ParsingClass as C
from tests.support.figures import bare_limbs, head_and_neck, keypoints_of, pose_of_landmarks

WIDTH, HEIGHT, CX = 200, 300, 100
PAPER, SKIN, DRESS = (245, 245, 245), (224, 172, 140), (30, 35, 70)
JOINTS = {
    "nose": (CX, 40), "right_eye": (CX - 7, 35), "left_eye": (CX + 7, 35), "right_ear": (CX - 16, 40),
    "left_ear": (CX + 16, 40), "neck": (CX, 70), "right_shoulder": (CX - 30, 72),
    "left_shoulder": (CX + 30, 72), "right_elbow": (CX - 62, 120), "left_elbow": (CX + 55, 115),
    "right_wrist": (CX - 34, 160), "left_wrist": (CX + 75, 155), "right_hip": (CX - 20, 165),
    "left_hip": (CX + 20, 165), "right_knee": (CX - 22, 225), "left_knee": (CX + 22, 225),
    "right_ankle": (CX - 24, 285), "left_ankle": (CX + 24, 285),
}  # fmt: skip
# her right hand on her hip: the fingers run from the wrist down across the dress onto her thigh
# (skin on the midriff above the hips is arms anyway)
FINGERTIPS = (CX + 10, 184)


def _navy_dress(joints: dict[str, tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A navy dress on paper; returns the image, its person mask and the bare limbs (uint8) still
    to be drawn in skin with the rest of the figure's skin."""
    image = np.full((HEIGHT, WIDTH, 3), PAPER, np.uint8)
    mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    dress = np.zeros((HEIGHT, WIDTH), np.uint8)
    cv2.fillPoly(
        dress, [np.array([(CX - 32, 70), (CX + 32, 70), (CX + 46, 230), (CX - 46, 230)], np.int32)], 1
    )
    image[dress > 0], mask[dress > 0] = DRESS, 255
    return image, mask, bare_limbs((HEIGHT, WIDTH), joints).astype(np.uint8)


def _hand_on_hip() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A figure in a navy dress with bare arms, her right hand on her hip; returns the image, the
    person mask, the keypoints and the fingers' core (away from their edges)."""
    image, mask, skin = _navy_dress(JOINTS)
    fingers = np.zeros((HEIGHT, WIDTH), np.uint8)
    cv2.line(fingers, JOINTS["right_wrist"], FINGERTIPS, 1, 9)
    skin |= fingers
    skin[head_and_neck((HEIGHT, WIDTH), CX)] = 1
    image[skin > 0], mask[skin > 0] = SKIN, 255
    keypoints = keypoints_of(JOINTS)
    # the fingers' last third, beyond the reach the arm had without its fingertips
    tip = cv2.erode(fingers, np.ones((5, 5), np.uint8)) > 0
    tip[:, : CX - 2] = False
    return image, mask, keypoints, tip


def test_fingers_over_the_dress_are_arms_to_their_tips():
    # given a figure with her right hand on her hip, the fingers across the dress
    image, mask, keypoints, tip = _hand_on_hip()
    visible = np.ones(NUM_KEYPOINTS, bool)
    fingers = np.array([FINGERTIPS, (-1, -1)], np.float32)
    # when it is parsed without and with where her fingers end
    without = parse_small(image, mask, keypoints, visible)
    with_fingers = parse_small(image, mask, keypoints, visible, TUNING, fingers)
    # then without them no fingertip pixel is arms (they go with the leg or the dress), and with
    # them every one is
    assert tip.sum() > 40
    assert set(np.unique(without[tip]).tolist()) <= {C.LEGS, C.UPPER_CLOTHES}
    assert np.unique(with_fingers[tip]).tolist() == [C.ARMS]
    # while the dress around the hand stays the dress
    assert with_fingers[205, CX] == with_fingers[140, CX] == C.UPPER_CLOTHES


def _pose_with_hands(right_visibility: float, left_visibility: float) -> PoseResult:
    landmarks = np.zeros((33, 4), np.float32)
    # right hand: wrist (16), little finger (18) and index (20) knuckles; left: 15, 17, 19
    landmarks[16] = (0.50, 0.50, 0.0, right_visibility)
    landmarks[18] = (0.55, 0.52, 0.0, right_visibility)
    landmarks[20] = (0.55, 0.48, 0.0, right_visibility)
    landmarks[15] = (0.30, 0.50, 0.0, left_visibility)
    landmarks[17] = (0.30, 0.55, 0.0, left_visibility)
    landmarks[19] = (0.32, 0.55, 0.0, left_visibility)
    return pose_of_landmarks(landmarks)


def test_fingertips_lie_past_the_knuckles_from_the_wrist():
    # given a pose whose right hand is seen and whose left hand is barely seen
    pose = _pose_with_hands(right_visibility=0.9, left_visibility=TUNING.finger_visibility - 0.1)
    # when the fingertips are read for a 200 x 100 photo
    tips = _fingertips(pose, 200, 100, TUNING)
    # then the right one lies twice the wrist-to-knuckles way from the wrist, the left one is not given
    assert np.allclose(tips[0], (100 + TUNING.finger_reach * 10, 50), atol=1e-3)
    assert tips[1].tolist() == [-1.0, -1.0]


# her left hand raised to her chin: the forearm runs up from the elbow, the fingers end on the chin
CHIN_JOINTS = {
    **JOINTS,
    "left_elbow": (CX + 46, 118), "left_wrist": (CX + 22, 76),
}  # fmt: skip
CHIN_FINGERTIPS = (CX + 8, 60)


def _hand_at_chin() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A figure in a navy dress, her left hand at her chin; returns the image, the person mask, the
    keypoints, the hand's core (wrist to fingertips, away from its edges) and the face's core away
    from the hand."""
    image, mask, skin = _navy_dress(CHIN_JOINTS)
    skin[head_and_neck((HEIGHT, WIDTH), CX)] = 1
    hand = np.zeros((HEIGHT, WIDTH), np.uint8)
    cv2.line(hand, CHIN_JOINTS["left_wrist"], CHIN_FINGERTIPS, 1, 9)
    skin |= hand
    image[skin > 0], mask[skin > 0] = SKIN, 255
    hand_core = cv2.erode(hand, np.ones((5, 5), np.uint8)) > 0
    face_core = head_and_neck((HEIGHT, WIDTH), CX)
    face_core[:, CX - 2 :] = False  # her right cheek, away from the hand
    face_core[60:] = False
    return image, mask, keypoints_of(CHIN_JOINTS), hand_core, face_core


def test_a_hand_at_the_chin_is_arms_and_the_face_stays_face():
    # given a figure with her left hand raised to her chin, the pose seeing where its fingers end
    image, mask, keypoints, hand, face = _hand_at_chin()
    fingers = np.array([(-1, -1), CHIN_FINGERTIPS], np.float32)
    # when it is parsed
    labels = parse_small(image, mask, keypoints, np.ones(NUM_KEYPOINTS, bool), TUNING, fingers)
    # then the hand is arms from the wrist to the fingertips (it was face in the head's region)
    assert hand.sum() > 60
    assert np.unique(labels[hand]).tolist() == [C.ARMS]
    # and her face away from the hand stays face
    assert face.sum() > 200
    assert np.unique(labels[face]).tolist() == [C.FACE]


def _speck_labels() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A sleeve over trousers (labels only) with two patches of skin inside them, each all but
    surrounded by garment: one at the end of her forearm (a hand in a pocket), one away from both
    hands (a skin-coloured bit of a print). Returns the labels and both patches."""
    labels = np.zeros((HEIGHT, WIDTH), np.uint8)
    labels[60:160, 40:160] = C.UPPER_CLOTHES
    labels[160:280, 40:160] = C.PANTS
    hand = np.zeros(labels.shape, bool)
    hand[158:170, 128:138] = True
    print_bit = np.zeros(labels.shape, bool)
    print_bit[100:110, 70:80] = True
    labels[hand] = C.ARMS
    labels[print_bit] = C.ARMS
    return labels, hand, print_bit


def test_a_hand_alone_between_a_sleeve_and_a_pocket_stays_arms_and_a_print_speck_joins_the_garment():
    # given labels with a small patch of skin at her wrist (her hand going into a pocket) and another
    # as small away from her hands, both all but surrounded by her garments
    labels, hand, print_bit = _speck_labels()
    wrist, fingers = np.array([133.0, 152.0], np.float32), np.array([133.0, 172.0], np.float32)
    without_hands = labels.copy()
    # when skin specks inside garments are absorbed, knowing where her hand is, and not knowing
    _absorb_specks(labels, 60.0, TUNING, [(wrist, fingers)])
    _absorb_specks(without_hands, 60.0, TUNING)
    # then the hand stays arms and the print's bit joins the top ...
    assert (labels[hand] == C.ARMS).all()
    assert (labels[print_bit] == C.UPPER_CLOTHES).all()
    # ... where without the hand both were taken for specks of the garments round them
    assert (without_hands[print_bit] == C.UPPER_CLOTHES).all()
    assert np.isin(without_hands[hand], (C.UPPER_CLOTHES, C.PANTS)).all()
