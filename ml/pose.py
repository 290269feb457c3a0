"""Pose estimation: mediapipe BlazePose (bundled full model) converted to COCO-18.

Left and right follow the *person*: BlazePose's "left shoulder" and OpenPose's "left
shoulder" are both the person's left, which on a front view appears on the image's right
side (larger x). The conversion therefore maps names one to one and never mirrors.

One ``mp.solutions.pose.Pose`` graph is created per process, lazily, and calls into it are
serialised with a lock (the graph is not re-entrant).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

import cv2
import numpy as np

from ml._process_cache import once
from ml.errors import InvalidPose
from ml.intake import require_rgb_image
from ml.types import KP, MISSING, NUM_KEYPOINTS

# BlazePose-33 landmark index for each COCO-18 keypoint (neck is derived).
BLAZE_FOR_COCO: dict[str, int] = {
    "nose": 0,
    "right_shoulder": 12,
    "right_elbow": 14,
    "right_wrist": 16,
    "left_shoulder": 11,
    "left_elbow": 13,
    "left_wrist": 15,
    "right_hip": 24,
    "right_knee": 26,
    "right_ankle": 28,
    "left_hip": 23,
    "left_knee": 25,
    "left_ankle": 27,
    "right_eye": 5,
    "left_eye": 2,
    "right_ear": 8,
    "left_ear": 7,
}
VISIBILITY_THRESHOLD = 0.5
# Inference runs on at most this many pixels on the long side; results map back.
MAX_INFERENCE_SIDE = 640
MASK_THRESHOLD = 0.5
PAD_RETRY = 0.2


@dataclass
class PoseResult:
    """Keypoints in the input image's pixels (COCO-18, -1 missing) and the person mask."""

    keypoints: np.ndarray  # (18, 2) float32
    scores: np.ndarray  # (18,) float32, BlazePose visibility (neck: min of the shoulders)
    person_mask: np.ndarray  # (H, W) uint8 0..255
    found: bool
    people_count: int = 0
    blaze_landmarks: np.ndarray = field(default_factory=lambda: np.zeros((33, 4), np.float32))

    def visible(self, name: str) -> bool:
        return bool(self.keypoints[KP[name], 0] >= 0)


def blaze_to_coco(
    landmarks: np.ndarray, width: int, height: int, threshold: float = VISIBILITY_THRESHOLD
) -> tuple[np.ndarray, np.ndarray]:
    """Convert (33, 4) normalised BlazePose landmarks (x, y, z, visibility) to COCO-18 pixels."""
    keypoints = np.full((NUM_KEYPOINTS, 2), MISSING, dtype=np.float32)
    scores = np.zeros(NUM_KEYPOINTS, dtype=np.float32)
    for name, blaze in BLAZE_FOR_COCO.items():
        x, y, _, vis = landmarks[blaze]
        index = KP[name]
        scores[index] = vis
        inside = 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0
        if vis >= threshold and inside:
            keypoints[index] = (
                float(np.clip(x * width, 0, width - 1)),
                float(np.clip(y * height, 0, height - 1)),
            )
    right, left = KP["right_shoulder"], KP["left_shoulder"]
    neck = KP["neck"]
    scores[neck] = min(scores[right], scores[left])
    if keypoints[right, 0] >= 0 and keypoints[left, 0] >= 0:
        keypoints[neck] = (keypoints[right] + keypoints[left]) / 2.0
    return keypoints, scores


class PoseEstimator:
    """BlazePose (``model_complexity=1``, the variant bundled with mediapipe) with segmentation."""

    def __init__(self, visibility_threshold: float = VISIBILITY_THRESHOLD) -> None:
        self.visibility_threshold = visibility_threshold
        self._graph = None
        self._lock = threading.Lock()

    def _get_graph(self):
        if self._graph is None:
            os.environ.setdefault("GLOG_minloglevel", "2")
            import mediapipe as mp

            self._graph = mp.solutions.pose.Pose(
                static_image_mode=True,
                model_complexity=1,
                enable_segmentation=True,
                min_detection_confidence=0.5,
            )
        return self._graph

    def load(self) -> None:
        with self._lock:
            self._get_graph()

    def _run(self, image: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        with self._lock:
            try:
                result = self._get_graph().process(image)
            except RuntimeError:
                # The graph rejects some featureless frames (a blank image leaves it an empty
                # region of interest): there is no person to find in them.
                return None, None
        if result.pose_landmarks is None:
            return None, None
        landmarks = np.array(
            [(lm.x, lm.y, lm.z, lm.visibility) for lm in result.pose_landmarks.landmark], dtype=np.float32
        )
        mask = result.segmentation_mask
        return landmarks, None if mask is None else np.asarray(mask, dtype=np.float32)

    def predict(self, image: np.ndarray, *, count_people: bool = True) -> PoseResult:
        """Find one person (the most prominent) in an (H, W, 3) uint8 RGB image. ``count_people=False``
        skips the second pass that looks for another person (``people_count`` is then 1)."""
        require_rgb_image(image, "Pose estimation")
        height, width = image.shape[:2]
        small = _downscale(image, MAX_INFERENCE_SIDE)
        landmarks, mask = self._run(np.ascontiguousarray(small))
        if landmarks is None:
            # Tight crops (no head, body to the edges) often pass once the photo has a border.
            landmarks, mask = self._run_padded(small, PAD_RETRY)
        if landmarks is None:
            return PoseResult(
                keypoints=np.full((NUM_KEYPOINTS, 2), MISSING, dtype=np.float32),
                scores=np.zeros(NUM_KEYPOINTS, dtype=np.float32),
                person_mask=np.zeros((height, width), dtype=np.uint8),
                found=False,
                people_count=0,
            )
        keypoints, scores = blaze_to_coco(landmarks, width, height, self.visibility_threshold)
        mask_small = np.zeros(small.shape[:2], np.float32) if mask is None else np.clip(mask, 0.0, 1.0)
        people = self._count_people(small, mask_small, landmarks) if count_people else 1
        mask_u8 = (mask_small * 255.0).round().astype(np.uint8)
        if mask_u8.shape != (height, width):
            mask_u8 = cv2.resize(mask_u8, (width, height), interpolation=cv2.INTER_LINEAR)
        return PoseResult(
            keypoints=keypoints,
            scores=scores,
            person_mask=mask_u8,
            found=True,
            people_count=people,
            blaze_landmarks=landmarks,
        )

    def _run_padded(self, image: np.ndarray, pad: float) -> tuple[np.ndarray | None, np.ndarray | None]:
        height, width = image.shape[:2]
        top, side = int(pad * height), int(pad * width)
        bottom = top // 2
        padded = cv2.copyMakeBorder(
            image, top, bottom, side, side, cv2.BORDER_CONSTANT, value=(255, 255, 255)
        )
        landmarks, mask = self._run(padded)
        if landmarks is None:
            return None, None
        full_h, full_w = padded.shape[:2]
        landmarks = landmarks.copy()
        landmarks[:, 0] = (landmarks[:, 0] * full_w - side) / width
        landmarks[:, 1] = (landmarks[:, 1] * full_h - top) / height
        if mask is not None:
            mask = np.ascontiguousarray(mask[top : top + height, side : side + width])
        return landmarks, mask

    def _count_people(self, image: np.ndarray, mask: np.ndarray, landmarks: np.ndarray) -> int:
        """1 + another person found after blanking out the first one (a second pass)."""
        binary = (mask >= MASK_THRESHOLD).astype(np.uint8)
        if binary.sum() == 0:
            return 1
        # Blank the first person generously (dilated mask and the landmarks' box) with grey.
        h, w = binary.shape
        kernel = np.ones((max(3, h // 30), max(3, w // 30)), np.uint8)
        cover = cv2.dilate(binary, kernel) > 0
        pts = landmarks[:, :2] * np.array([w, h], np.float32)
        x0, y0 = np.clip(pts.min(axis=0), 0, [w - 1, h - 1]).astype(int)
        x1, y1 = np.clip(pts.max(axis=0), 0, [w - 1, h - 1]).astype(int)
        pad_x, pad_y = int(0.08 * w), int(0.05 * h)
        cover[max(0, y0 - 2 * pad_y) : y1 + pad_y, max(0, x0 - pad_x) : x1 + pad_x] = True
        if cover.mean() > 0.8:
            return 1
        blanked = image.copy()
        blanked[cover] = 127
        second, second_mask = self._run(np.ascontiguousarray(blanked))
        if second is None:
            return 1
        # The second detection must be a real body: confident shoulders and head, outside the first.
        vis = second[:, 3]
        if min(vis[11], vis[12], vis[0]) < 0.8:
            return 1
        centre = second[[0, 11, 12], :2].mean(axis=0) * np.array([w, h], np.float32)
        cx, cy = int(np.clip(centre[0], 0, w - 1)), int(np.clip(centre[1], 0, h - 1))
        if cover[cy, cx]:
            return 1
        if second_mask is None or (second_mask >= MASK_THRESHOLD).mean() < 0.02:
            return 1
        return 2


def _downscale(image: np.ndarray, max_side: int) -> np.ndarray:
    height, width = image.shape[:2]
    longest = max(height, width)
    if longest <= max_side:
        return image
    scale = max_side / longest
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def require_pose_for(pose: object, image: np.ndarray) -> PoseResult:
    """``pose`` checked against the (H, W, 3) ``image`` it was found in, non-finite points made missing.

    Raises :class:`InvalidPose` with a sentence when the pose is not a :class:`PoseResult` of
    18 keypoints with an (H, W) person mask (a pose from another photo or a hand-made one).
    """
    height, width = image.shape[:2]
    if not isinstance(pose, PoseResult):
        raise InvalidPose("Parsing needs the PoseResult found in the same photo (ml.pose).")
    keypoints = np.asarray(pose.keypoints, dtype=np.float32)
    blaze = np.asarray(pose.blaze_landmarks, dtype=np.float32)
    mask = np.asarray(pose.person_mask)
    if keypoints.shape != (NUM_KEYPOINTS, 2) or np.asarray(pose.scores).shape != (NUM_KEYPOINTS,):
        raise InvalidPose(f"The pose must have {NUM_KEYPOINTS} keypoints (x, y) with one score each.")
    if blaze.shape != (33, 4):
        raise InvalidPose("The pose must carry the 33 BlazePose landmarks (x, y, z, visibility).")
    if mask.shape != (height, width):
        raise InvalidPose(
            f"The pose's person mask is {mask.shape[1]}x{mask.shape[0]} but the photo is {width}x{height}; "
            "use the pose found in this photo."
        )
    finite = np.isfinite(keypoints).all(axis=1, keepdims=True)
    if finite.all() and np.isfinite(blaze).all():
        return pose
    return PoseResult(
        keypoints=np.where(finite, keypoints, MISSING).astype(np.float32),
        scores=np.where(finite[:, 0], np.nan_to_num(np.asarray(pose.scores, np.float32)), 0.0).astype(
            np.float32
        ),
        person_mask=mask,
        found=pose.found and bool(np.isfinite(blaze).all()),
        people_count=pose.people_count,
        blaze_landmarks=np.nan_to_num(blaze),
    )


@once
def get_pose_estimator() -> PoseEstimator:
    return PoseEstimator()
