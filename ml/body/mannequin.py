"""The fitted body drawn as a neutral, shaded mannequin in the shopper's pose (no face), and a
product's packshot cut-out fitted onto it in a given size ("My shape").

``draw_mannequin(fit)`` rasterises the front view's posed mesh (:mod:`ml.body.raster`) into an
RGBA image with the anchors a garment is placed by (shoulders, waist, hips in its pixels).
``dress_mannequin(mannequin, packshot, size)`` scales and places the cut-out: a top by its
shoulders and armpit width, a bottom by its waistband, at the body's front width times the ratio
of the size's chart figure to the shopper's own (a size up is drawn wider, a size down narrower),
its length in the garment's own proportions. A plain affine placement: the cut-out does not
follow bent limbs. No Django here.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ml.body.model import BLAZE_TO_ANNY
from ml.body.raster import rasterize, shade, vertex_normals
from ml.body.types import BodyFit, CannotMeasure
from ml.errors import CannotRender
from ml.garments.landmarks import garment_shape
from ml.types import Packshot

MANNEQUIN_HEIGHT_PX = 360  # the body's drawn height
MARGIN_PX = 12
SKIN = (206, 200, 192)  # a neutral, slightly warm grey
LIGHT = (-0.45, -0.55, -1.0)  # from the upper left, in front (camera frame: y down, z away)
AMBIENT = 0.35
# The head above this fraction of the way from the shoulder joints to the nose is shaded as a
# smooth egg (no face).
HEAD_FROM = 0.55
# Natural waist: this fraction of the way from the hip joints up to the shoulder joints.
WAIST_LEVEL = 0.3
# Seen from the front, a girth shows about this share of itself as width (an ellipse a little
# wider than deep).
FRONT_WIDTH_OF_GIRTH = 1.0 / 2.9
SHOULDER_TOP_CM = 4.0  # the shoulder seam sits this far above the shoulder joint
EASE = 1.06  # a garment drawn at the body's own girth would vanish into it
SIZE_RATIO_LIMITS = (0.8, 1.3)


@dataclass
class Mannequin:
    image: np.ndarray  # (H, W, 4) uint8, transparent around the body
    anchors: dict[str, tuple[float, float]]  # shoulder_left/right, hip_left/right, waist: (x, y)
    px_per_cm: float

    def to_dict(self) -> dict:
        return {
            "anchors": {k: [round(v[0], 2), round(v[1], 2)] for k, v in self.anchors.items()},
            "px_per_cm": round(self.px_per_cm, 4),
        }

    @classmethod
    def from_dict(cls, image: np.ndarray, data: dict) -> Mannequin:
        anchors = {k: (float(v[0]), float(v[1])) for k, v in data["anchors"].items()}
        return cls(image=image, anchors=anchors, px_per_cm=float(data["px_per_cm"]))


def draw_mannequin(fit: BodyFit, *, height_px: int = MANNEQUIN_HEIGHT_PX) -> Mannequin:
    """The front view's posed body, shaded, ``height_px`` tall (plus a margin)."""
    view = next((v for v in fit.views if v.view == "front"), None)
    if view is None or view.camera_vertices is None or view.keypoints is None:
        raise CannotMeasure("The fit has no front view to draw the body from.")
    xy = np.asarray(view.projected, np.float64)
    camera = np.asarray(view.camera_vertices, np.float64)
    top, bottom = xy[:, 1].min(), xy[:, 1].max()
    left, right = xy[:, 0].min(), xy[:, 0].max()
    if not bottom > top:
        raise CannotMeasure("The fitted body has no height in the photo.")
    scale = height_px / (bottom - top)
    width = int(np.ceil((right - left) * scale)) + 2 * MARGIN_PX
    height = height_px + 2 * MARGIN_PX

    def place(points: np.ndarray) -> np.ndarray:
        return np.stack(
            [(points[:, 0] - left) * scale + MARGIN_PX, (points[:, 1] - top) * scale + MARGIN_PX], -1
        )

    screen = np.concatenate([place(xy), camera[:, 2:3]], axis=1)
    raster = rasterize(screen, fit.faces, (height, width))
    normals = _faceless_normals(fit, camera)
    image = shade(raster, fit.faces, normals, colour=SKIN, light=LIGHT, ambient=AMBIENT)
    image = _soft_outline(image)

    names = list(BLAZE_TO_ANNY.values())
    keypoints = place(np.asarray(view.keypoints, np.float64))
    at = {
        name: keypoints[names.index(name)]
        for name in ("left_shoulder", "right_shoulder", "left_hip", "right_hip")
    }
    shoulders = (at["left_shoulder"] + at["right_shoulder"]) / 2
    hips = (at["left_hip"] + at["right_hip"]) / 2
    waist = hips + WAIST_LEVEL * (shoulders - hips)
    anchors = {name: (float(p[0]), float(p[1])) for name, p in at.items()}
    anchors["waist"] = (float(waist[0]), float(waist[1]))
    return Mannequin(image=image, anchors=anchors, px_per_cm=height_px / fit.height_cm)


def _faceless_normals(fit: BodyFit, camera: np.ndarray) -> np.ndarray:
    """Vertex normals, with the head's replaced by those of an ellipsoid around it."""
    normals = vertex_normals(camera, fit.faces)
    names = list(BLAZE_TO_ANNY.values())
    rest = fit.rest_keypoints
    shoulder_z = (rest[names.index("left_shoulder"), 2] + rest[names.index("right_shoulder"), 2]) / 2
    nose_z = rest[names.index("nose"), 2]
    head = fit.rest_vertices[:, 2] > shoulder_z + HEAD_FROM * (nose_z - shoulder_z)
    if head.sum() < 10:
        return normals
    points = camera[head]
    centre = (points.max(0) + points.min(0)) / 2
    radii = np.maximum((points.max(0) - points.min(0)) / 2, 1e-3)
    egg = (points - centre) / radii**2
    normals[head] = egg / np.maximum(np.linalg.norm(egg, axis=1, keepdims=True), 1e-12)
    return normals


def _soft_outline(image: np.ndarray) -> np.ndarray:
    """A thin darker edge so that the figure reads against a light page."""
    alpha = image[..., 3]
    inner = cv2.erode(alpha, np.ones((3, 3), np.uint8))
    edge = (alpha > 0) & (inner == 0)
    out = image.copy()
    out[edge, :3] = (out[edge, :3] * 0.7).astype(np.uint8)
    return out


@dataclass(frozen=True)
class SizeFit:
    """How a size of the garment compares with the shopper: the chart's figure against theirs."""

    size: str
    measure: str  # chest | waist
    garment_cm: float  # the middle of the size's chart range
    body_cm: float

    @property
    def ratio(self) -> float:
        low, high = SIZE_RATIO_LIMITS
        return float(np.clip(self.garment_cm / self.body_cm, low, high))


def dress_mannequin(mannequin: Mannequin, packshot: Packshot, size: SizeFit) -> np.ndarray:
    """(H, W, 3) uint8 on white: the mannequin wearing the cut-out garment in ``size``."""
    shape = garment_shape(packshot.kind, packshot.landmarks)
    points = packshot.landmarks
    if size.body_cm <= 0 or size.garment_cm <= 0:
        raise CannotRender("The size chart and the measurements must be positive to draw a size.")
    if shape in ("trousers", "skirt"):
        span_names, anchor_names = ("waist_left", "waist_right"), ("waist_left", "waist_right")
        target = np.array(mannequin.anchors["waist"])
    else:
        span_names, anchor_names = ("armpit_left", "armpit_right"), ("shoulder_left", "shoulder_right")
        shoulders = np.array(mannequin.anchors["left_shoulder"]) + np.array(
            mannequin.anchors["right_shoulder"]
        )
        target = shoulders / 2 - np.array([0.0, SHOULDER_TOP_CM * mannequin.px_per_cm])
    missing = [n for n in (*span_names, *anchor_names) if n not in points]
    if missing:
        raise CannotRender(f"The packshot lacks the landmarks {', '.join(missing)}.")
    span_px = float(np.hypot(*np.subtract(points[span_names[0]], points[span_names[1]])))
    if span_px < 2:
        raise CannotRender("The packshot's garment is too narrow to place.")
    # Across: the body's front width at that girth times the size's ratio; along: the garment's
    # own proportions (a larger size is longer too).
    body_front_px = size.body_cm * FRONT_WIDTH_OF_GIRTH * mannequin.px_per_cm
    scale = body_front_px * size.ratio * EASE / span_px
    source = (np.array(points[anchor_names[0]]) + np.array(points[anchor_names[1]])) / 2
    matrix = np.array(
        [[scale, 0.0, target[0] - scale * source[0]], [0.0, scale, target[1] - scale * source[1]]]
    )

    body = mannequin.image
    height, width = body.shape[:2]
    garment_rgb = cv2.warpAffine(
        np.ascontiguousarray(packshot.image[..., :3]), matrix, (width, height), flags=cv2.INTER_LINEAR
    )
    mask = packshot.mask if packshot.mask.dtype == np.uint8 else (packshot.mask > 0).astype(np.uint8) * 255
    garment_alpha = cv2.warpAffine(mask, matrix, (width, height), flags=cv2.INTER_LINEAR) / 255.0
    body_alpha = body[..., 3:4] / 255.0
    canvas = np.full((height, width, 3), 255.0)
    canvas = canvas * (1 - body_alpha) + body[..., :3] * body_alpha
    g = garment_alpha[..., None]
    canvas = canvas * (1 - g) + garment_rgb * g
    return np.clip(np.round(canvas), 0, 255).astype(np.uint8)


def size_strip(panels: list[np.ndarray], gap_px: int = 8) -> np.ndarray:
    """Panels of the same height side by side on white."""
    if not panels:
        raise ValueError("no panels")
    height = max(p.shape[0] for p in panels)
    parts = []
    for k, panel in enumerate(panels):
        if k:
            parts.append(np.full((height, gap_px, 3), 255, np.uint8))
        pad = np.full((height - panel.shape[0], panel.shape[1], 3), 255, np.uint8)
        parts.append(np.concatenate([panel, pad], axis=0))
    return np.concatenate(parts, axis=1)
