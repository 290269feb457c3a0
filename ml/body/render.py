"""Drawing the fitted body over a photo (CPU, no display)."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from ml.body.fit import rasterize_silhouette


def body_overlay(image: np.ndarray, projected: np.ndarray, faces: np.ndarray) -> Image.Image:
    """The photo with the fitted body's silhouette tinted and outlined."""
    canvas = np.asarray(image, dtype=np.uint8).copy()
    silhouette = rasterize_silhouette(projected, faces, canvas.shape[:2])
    tint = np.array([40, 170, 255], np.float32)
    canvas[silhouette] = (0.55 * canvas[silhouette] + 0.45 * tint).astype(np.uint8)
    contours, _ = cv2.findContours(silhouette.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    thickness = max(1, round(max(canvas.shape[:2]) / 400))
    cv2.drawContours(canvas, contours, -1, (255, 90, 0), thickness, lineType=cv2.LINE_AA)
    return Image.fromarray(canvas)
