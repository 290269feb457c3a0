"""The generator's inputs for an analysed photo, and the way back to the photo.

A thin adapter over :mod:`ml.canvas` (the perception step owns the canvas geometry) so the
rest of ``ml.adgan`` depends on these few functions only.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ml import canvas
from ml.types import CanvasTransform, PhotoAnalysis


@dataclass(frozen=True)
class CanvasInputs:
    """One photo on ADGAN's 256x176 canvas."""

    image: np.ndarray  # (256, 176, 3) uint8 RGB
    parsing: np.ndarray  # (256, 176) uint8 ParsingClass ids
    pose_map: np.ndarray  # (18, 256, 176) float32, one pixel of 1.0 per visible joint
    person_mask: np.ndarray  # (256, 176) uint8 0..255


def photo_inputs(analysis: PhotoAnalysis) -> CanvasInputs:
    transform = analysis.canvas
    return CanvasInputs(
        image=canvas.image_to_canvas(analysis.image, transform),
        parsing=canvas.labels_to_canvas(analysis.parsing, transform),
        pose_map=canvas.pose_map_official(transform.to_canvas(analysis.keypoints)),
        person_mask=canvas.mask_to_canvas(analysis.person_mask, transform),
    )


def image_from_canvas(image: np.ndarray, transform: CanvasTransform, fill: int = 255) -> np.ndarray:
    return canvas.image_from_canvas(image, transform, fill=fill)


def image_from_canvas_extended(image: np.ndarray, transform: CanvasTransform) -> np.ndarray:
    """Like :func:`image_from_canvas`, the photo's area outside the canvas repeating its edge."""
    s = transform.scale
    forward = np.array([[s, 0.0, transform.offset_x], [0.0, s, transform.offset_y]], dtype=np.float64)
    height, width = transform.source_size
    return cv2.warpAffine(
        image,
        cv2.invertAffineTransform(forward),
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )


def mask_from_canvas(mask: np.ndarray, transform: CanvasTransform) -> np.ndarray:
    return canvas.mask_from_canvas(mask, transform)


def person_box(analysis: PhotoAnalysis) -> tuple[float, float, float, float]:
    return canvas.person_box((analysis.height, analysis.width), analysis.person_mask, analysis.keypoints)
