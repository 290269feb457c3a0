"""Pieces of the flat-coloured figures the parser tests draw."""

from __future__ import annotations

import cv2
import numpy as np

from ml.pose import PoseResult
from ml.types import KP, NUM_KEYPOINTS


def head_and_neck(shape: tuple[int, int], centre_x: int) -> np.ndarray:
    """A head (an ellipse around y = 42) and its neck down to y = 72, as a bool mask."""
    head = np.zeros(shape, np.uint8)
    cv2.ellipse(head, (centre_x, 42), (17, 22), 0, 0, 360, 1, -1)
    cv2.rectangle(head, (centre_x - 7, 58), (centre_x + 7, 72), 1, -1)
    return head > 0


def head_joints(centre_x: int) -> dict[str, tuple[int, int]]:
    """The nose, eyes and ears of the head ``head_and_neck`` draws."""
    return {
        "nose": (centre_x, 40),
        "right_eye": (centre_x - 7, 35),
        "left_eye": (centre_x + 7, 35),
        "right_ear": (centre_x - 16, 40),
        "left_ear": (centre_x + 16, 40),
    }


def arm_and_hip_joints(centre_x: int) -> dict[str, tuple[int, int]]:
    """Shoulders, elbows, wrists and hips of a figure standing with its arms a little away from its
    sides, the shoulders at y = 72 (below ``head_and_neck``'s neck) and the hips at y = 165."""
    return {
        "right_shoulder": (centre_x - 30, 72),
        "left_shoulder": (centre_x + 30, 72),
        "right_elbow": (centre_x - 40, 120),
        "left_elbow": (centre_x + 40, 120),
        "right_wrist": (centre_x - 44, 165),
        "left_wrist": (centre_x + 44, 165),
        "right_hip": (centre_x - 20, 165),
        "left_hip": (centre_x + 20, 165),
    }


def mirrored_joints(centre_x: int, offsets: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Right and left joints placed symmetrically: ``{"elbow": (42, 128)}`` gives the right elbow
    at (centre_x - 42, 128) and the left one at (centre_x + 42, 128)."""
    joints = {}
    for name, (dx, y) in offsets.items():
        joints[f"right_{name}"] = (centre_x - dx, y)
        joints[f"left_{name}"] = (centre_x + dx, y)
    return joints


def keypoints_of(joints: dict[str, tuple[int, int]]) -> np.ndarray:
    """COCO keypoints (NUM_KEYPOINTS, 2) from named joints, -1 for the others."""
    keypoints = np.full((NUM_KEYPOINTS, 2), -1.0, np.float32)
    for name, point in joints.items():
        keypoints[KP[name]] = point
    return keypoints


def pose_of_landmarks(landmarks: np.ndarray) -> PoseResult:
    """A found pose with these (33, 4) BlazePose landmarks and no COCO keypoints, for a 200 x 100 photo."""
    return PoseResult(
        keypoints=np.full((NUM_KEYPOINTS, 2), -1.0, np.float32),
        scores=np.zeros(NUM_KEYPOINTS, np.float32),
        person_mask=np.zeros((100, 200), np.uint8),
        found=True,
        blaze_landmarks=landmarks,
    )


def bare_limbs(
    shape: tuple[int, int], joints: dict[str, tuple[int, int]], arms: bool = True, shins: bool = True
) -> np.ndarray:
    """Bare arms (upper arms 13 px thick, forearms 11) and shins (14) along the joints, as a bool mask."""
    limbs = np.zeros(shape, np.uint8)
    for side in ("right", "left"):
        if arms:
            cv2.line(limbs, joints[f"{side}_shoulder"], joints[f"{side}_elbow"], 1, 13)
            cv2.line(limbs, joints[f"{side}_elbow"], joints[f"{side}_wrist"], 1, 11)
        if shins:
            cv2.line(limbs, joints[f"{side}_knee"], joints[f"{side}_ankle"], 1, 14)
    return limbs > 0
