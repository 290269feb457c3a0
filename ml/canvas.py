"""ADGAN's 256x176 canvas: fitting a photo around its person, warping there and back, pose maps.

Public API (other modules rely on these names and signatures):

* ``fit_canvas(source_size, person_mask=None, keypoints=None, margin=0.06) -> CanvasTransform``
  scales and centres the person's box (mask and visible keypoints) into the canvas with a
  margin of ``margin`` times the canvas height above and below; the scale never lets the
  box overflow the canvas width.
* ``image_to_canvas(image, transform, fill=255) -> (256, 176, 3) uint8`` (bilinear; outside
  the photo filled with ``fill``, white like ADGAN's DeepFashion backgrounds).
* ``mask_to_canvas(mask, transform) -> (256, 176) uint8`` (bilinear, 0 outside).
* ``labels_to_canvas(labels, transform) -> (256, 176) uint8`` (nearest, background outside).
* ``image_from_canvas / mask_from_canvas / labels_from_canvas(canvas_array, transform)``:
  the inverse warps, back to the photo's own (H, W).
* ``pose_map_official(keypoints_canvas) -> (18, 256, 176) float32``: exactly what ADGAN's
  official data holds. Their Gaussian maps (sigma 6) were stored as uint8, which truncates
  every value below 1, so a visible joint is one pixel of 1.0 at its rounded (y, x) and a
  missing or off-canvas joint is an all-zero channel.
* ``pose_map_gaussian(keypoints_canvas, sigma=6.0) -> (18, 256, 176) float32``: the smooth
  variant, ``exp(-d^2 / (2 sigma^2))`` around each visible joint, zero for missing joints.

Keypoints on the canvas come from ``transform.to_canvas(keypoints)`` (missing stays -1).
"""

from __future__ import annotations

import cv2
import numpy as np

from ml.types import CANVAS_HEIGHT, CANVAS_WIDTH, NUM_KEYPOINTS, CanvasTransform

DEFAULT_MARGIN = 0.06


def person_box(
    source_size: tuple[int, int],
    person_mask: np.ndarray | None = None,
    keypoints: np.ndarray | None = None,
) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) around the person's mask and visible keypoints; whole photo if none."""
    height, width = source_size
    xs: list[float] = []
    ys: list[float] = []
    if person_mask is not None:
        rows = np.flatnonzero((person_mask >= 128).any(axis=1))
        cols = np.flatnonzero((person_mask >= 128).any(axis=0))
        if rows.size and cols.size:
            ys += [float(rows[0]), float(rows[-1] + 1)]
            xs += [float(cols[0]), float(cols[-1] + 1)]
    if keypoints is not None:
        visible = keypoints[keypoints[:, 0] >= 0]
        if visible.size:
            xs += [float(visible[:, 0].min()), float(visible[:, 0].max())]
            ys += [float(visible[:, 1].min()), float(visible[:, 1].max())]
    if not xs:
        return 0.0, 0.0, float(width), float(height)
    return (
        max(0.0, min(xs)),
        max(0.0, min(ys)),
        min(float(width), max(xs)),
        min(float(height), max(ys)),
    )


def fit_canvas(
    source_size: tuple[int, int],
    person_mask: np.ndarray | None = None,
    keypoints: np.ndarray | None = None,
    margin: float = DEFAULT_MARGIN,
) -> CanvasTransform:
    height, width = int(source_size[0]), int(source_size[1])
    x0, y0, x1, y1 = person_box((height, width), person_mask, keypoints)
    box_w, box_h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    usable_h = CANVAS_HEIGHT * (1.0 - 2.0 * margin)
    usable_w = CANVAS_WIDTH * (1.0 - 2.0 * margin)
    scale = min(usable_h / box_h, usable_w / box_w)
    centre_x, centre_y = (x0 + x1) / 2.0, (y0 + y1) / 2.0
    return CanvasTransform(
        scale=float(scale),
        offset_x=float(CANVAS_WIDTH / 2.0 - centre_x * scale),
        offset_y=float(CANVAS_HEIGHT / 2.0 - centre_y * scale),
        source_size=(height, width),
    )


def _forward_matrix(transform: CanvasTransform) -> np.ndarray:
    # Pixel indices map exactly like keypoints do (``CanvasTransform.to_canvas``).
    s = transform.scale
    return np.array([[s, 0.0, transform.offset_x], [0.0, s, transform.offset_y]], dtype=np.float64)


def _warp(array, matrix, size_hw, interpolation, fill):
    height, width = size_hw
    flags = interpolation
    if interpolation != cv2.INTER_NEAREST and matrix[0, 0] < 1.0:
        # Downscaling: a light Gaussian first keeps aliasing down without moving anything.
        sigma = 0.5 / matrix[0, 0] - 0.5
        if sigma > 0.3:
            array = cv2.GaussianBlur(array, (0, 0), sigma)
    return cv2.warpAffine(
        array,
        matrix,
        (width, height),
        flags=flags,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=fill,
    )


def _to_canvas(array: np.ndarray, transform: CanvasTransform, flags: int, fill) -> np.ndarray:
    return _warp(array, _forward_matrix(transform), transform.canvas_size, flags, fill)


def _from_canvas(array: np.ndarray, transform: CanvasTransform, flags: int, fill) -> np.ndarray:
    inverse = cv2.invertAffineTransform(_forward_matrix(transform))
    return _warp(array, inverse, transform.source_size, flags, fill)


def image_to_canvas(image: np.ndarray, transform: CanvasTransform, fill: int = 255) -> np.ndarray:
    return _to_canvas(image, transform, cv2.INTER_LINEAR, (fill,) * 3)


def mask_to_canvas(mask: np.ndarray, transform: CanvasTransform) -> np.ndarray:
    return _to_canvas(mask, transform, cv2.INTER_LINEAR, 0)


def labels_to_canvas(labels: np.ndarray, transform: CanvasTransform) -> np.ndarray:
    return _to_canvas(labels, transform, cv2.INTER_NEAREST, 0)


def image_from_canvas(canvas: np.ndarray, transform: CanvasTransform, fill: int = 255) -> np.ndarray:
    return _from_canvas(canvas, transform, cv2.INTER_LINEAR, (fill,) * 3)


def mask_from_canvas(canvas_mask: np.ndarray, transform: CanvasTransform) -> np.ndarray:
    return _from_canvas(canvas_mask, transform, cv2.INTER_LINEAR, 0)


def labels_from_canvas(canvas_labels: np.ndarray, transform: CanvasTransform) -> np.ndarray:
    return _from_canvas(canvas_labels, transform, cv2.INTER_NEAREST, 0)


def _visible_on_canvas(keypoints_canvas: np.ndarray, size_hw: tuple[int, int]):
    height, width = size_hw
    for index in range(min(NUM_KEYPOINTS, len(keypoints_canvas))):
        x, y = float(keypoints_canvas[index, 0]), float(keypoints_canvas[index, 1])
        if x < 0 or y < 0:
            continue
        if x > width - 1 or y > height - 1:
            continue
        yield index, x, y


def pose_map_official(
    keypoints_canvas: np.ndarray, size_hw: tuple[int, int] = (CANVAS_HEIGHT, CANVAS_WIDTH)
) -> np.ndarray:
    """One pixel of 1.0 per visible joint (ADGAN's uint8-stored Gaussian maps); see module doc."""
    maps = np.zeros((NUM_KEYPOINTS, *size_hw), dtype=np.float32)
    for index, x, y in _visible_on_canvas(keypoints_canvas, size_hw):
        maps[index, round(y), round(x)] = 1.0
    return maps


def pose_map_gaussian(
    keypoints_canvas: np.ndarray,
    sigma: float = 6.0,
    size_hw: tuple[int, int] = (CANVAS_HEIGHT, CANVAS_WIDTH),
) -> np.ndarray:
    maps = np.zeros((NUM_KEYPOINTS, *size_hw), dtype=np.float32)
    yy, xx = np.mgrid[0 : size_hw[0], 0 : size_hw[1]].astype(np.float32)
    for index, x, y in _visible_on_canvas(keypoints_canvas, size_hw):
        maps[index] = np.exp(-((yy - y) ** 2 + (xx - x) ** 2) / (2.0 * sigma**2))
    return maps
