"""A photo that cuts the head off above the mouth (common in product photos): the chin and mouth
below the cut are face, and the skin is learnt from them (they were parsed as the top garment)."""

from __future__ import annotations

import cv2
import numpy as np

from ml.parsing.heuristic import TUNING, parse_small
from ml.parsing.heuristic.geometry import _head_out_of_frame
from ml.pose import PoseResult
from ml.types import KP
from ml.types import ParsingClass as C
from tests.support.figures import bare_limbs, head_and_neck, keypoints_of, pose_of_landmarks

WIDTH, HEIGHT, CX = 200, 300, 100
CUT = 40  # the photo starts this many rows below the figure's top: the head is cut at its nose
PAPER, SKIN, DRESS = (245, 245, 245), (120, 80, 60), (30, 35, 70)
JOINTS = {
    "nose": (CX, 40), "right_eye": (CX - 7, 35), "left_eye": (CX + 7, 35), "right_ear": (CX - 16, 40),
    "left_ear": (CX + 16, 40), "neck": (CX, 70), "right_shoulder": (CX - 30, 72),
    "left_shoulder": (CX + 30, 72), "right_elbow": (CX - 55, 115), "left_elbow": (CX + 55, 115),
    "right_wrist": (CX - 75, 155), "left_wrist": (CX + 75, 155), "right_hip": (CX - 20, 165),
    "left_hip": (CX + 20, 165), "right_knee": (CX - 22, 225), "left_knee": (CX + 22, 225),
    "right_ankle": (CX - 24, 285), "left_ankle": (CX + 24, 285),
}  # fmt: skip
HEAD = ("nose", "right_eye", "left_eye", "right_ear", "left_ear")


def _cut_figure() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A figure in a navy dress, bare arms and shins (skin darker than the parser's prior for skin
    it has not seen), its photo cut at the nose; returns the image,
    the person mask, the keypoints (the head's out of the photo) and the chin below the cut."""
    full_h = HEIGHT + CUT
    image = np.full((full_h, WIDTH, 3), PAPER, np.uint8)
    mask = np.zeros((full_h, WIDTH), np.uint8)
    skin = np.zeros((full_h, WIDTH), np.uint8)
    skin[bare_limbs(skin.shape, JOINTS)] = 1
    head = head_and_neck((full_h, WIDTH), CX)
    skin[head] = 1
    image[skin > 0], mask[skin > 0] = SKIN, 255
    dress = np.zeros((full_h, WIDTH), np.uint8)
    cv2.fillPoly(
        dress, [np.array([(CX - 32, 70), (CX + 32, 70), (CX + 46, 230), (CX - 46, 230)], np.int32)], 1
    )
    image[dress > 0], mask[dress > 0] = DRESS, 255
    keypoints = keypoints_of(JOINTS)
    keypoints[:, 1] -= CUT
    for name in HEAD:
        keypoints[KP[name]] = -1.0
    chin = head & (dress == 0)
    chin[: CUT + 2] = False
    chin = cv2.erode(chin.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    return image[CUT:], mask[CUT:], keypoints, chin[CUT:]


def test_the_chin_below_a_cut_head_is_face_with_the_head_beyond_the_photo():
    # given a photo cut at the nose, the pose's head landmarks just above it
    image, mask, keypoints, chin = _cut_figure()
    visible = keypoints[:, 0] >= 0
    head = np.array([CX, 38 - CUT], np.float32)
    # when it is parsed without and with where the head lies
    without = parse_small(image, mask, keypoints, visible)
    with_head = parse_small(image, mask, keypoints, visible, TUNING, None, head)
    # then without it the chin's top (farthest from the neck) goes with the dress, and with it every
    # chin pixel is face
    assert chin.sum() > 150
    assert int((without[chin] == C.UPPER_CLOTHES).sum()) >= 20
    assert np.unique(with_head[chin]).tolist() == [C.FACE]
    # and the dress stays the dress
    assert with_head[150, CX] == without[150, CX] == C.UPPER_CLOTHES


def _pose(head_y: float, visibility: float = 0.9) -> PoseResult:
    landmarks = np.zeros((33, 4), np.float32)
    for index, x in zip((0, 2, 5, 7, 8), (0.50, 0.47, 0.53, 0.44, 0.56), strict=True):
        landmarks[index] = (x, head_y, 0.0, visibility)
    return pose_of_landmarks(landmarks)


def test_the_head_is_given_only_when_the_photo_cuts_it_off():
    # given poses whose head lies just above the photo, inside it, and above it but unseen
    above, inside, unseen = _pose(-0.05), _pose(0.1), _pose(-0.05, visibility=0.0)
    # when the head out of the frame is read for a 200 x 100 photo
    # then only the first gives it, at the landmarks' mean beyond the top edge
    assert np.allclose(_head_out_of_frame(above, 200, 100, TUNING), (100.0, -5.0), atol=1e-4)
    assert _head_out_of_frame(inside, 200, 100, TUNING) is None
    assert _head_out_of_frame(unseen, 200, 100, TUNING) is None
