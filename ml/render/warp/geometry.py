"""Skeleton geometry for the warp renderer: body parts, per-part affine maps and their blend.

Every map here goes *backwards*, from a destination pixel (the shopper) to a source pixel
(the product photo or packshot), because that is what ``cv2.remap`` needs. A body part (a
"bone") carries a destination segment, a source segment and a scale across the segment; a
part group (torso, one arm, one leg, the head) is warped with a smooth blend of its bones'
affine maps (linear blend skinning) and the torso's, weighted by the distance to each bone.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from ml.types import KP


class Group(enum.IntEnum):
    """Part groups, warped one by one; the value doubles as the label in group maps."""

    TORSO = 0
    RIGHT_ARM = 1
    LEFT_ARM = 2
    RIGHT_LEG = 3
    LEFT_LEG = 4
    HEAD = 5


# bone name -> (group, start keypoint, end keypoint)
BONES: dict[str, tuple[Group, str, str]] = {
    "right_upper_arm": (Group.RIGHT_ARM, "right_shoulder", "right_elbow"),
    "right_forearm": (Group.RIGHT_ARM, "right_elbow", "right_wrist"),
    "left_upper_arm": (Group.LEFT_ARM, "left_shoulder", "left_elbow"),
    "left_forearm": (Group.LEFT_ARM, "left_elbow", "left_wrist"),
    "right_thigh": (Group.RIGHT_LEG, "right_hip", "right_knee"),
    "right_shin": (Group.RIGHT_LEG, "right_knee", "right_ankle"),
    "left_thigh": (Group.LEFT_LEG, "left_hip", "left_knee"),
    "left_shin": (Group.LEFT_LEG, "left_knee", "left_ankle"),
    "head": (Group.HEAD, "neck", "nose"),
}
ARM_BONES = tuple(
    name for name, (group, _a, _b) in BONES.items() if group in (Group.RIGHT_ARM, Group.LEFT_ARM)
)

Affine = np.ndarray  # (2, 3) float64, dst -> src


@dataclass(frozen=True)
class GeometryTuning:
    """The numbers of the per-bone maps."""

    # a bone's along-bone scale (source px per destination px) stays within this range of times its
    # sideways scale: a foreshortened bone (much shorter in one photo) would stretch its part into streaks
    along_scale_range: tuple[float, float] = (0.5, 2.0)


TUNING = GeometryTuning()


@dataclass(frozen=True)
class Frame:
    """A torso frame: origin (mid-shoulders), the axis down to mid-hips and the half-width."""

    origin: np.ndarray
    down: np.ndarray  # full torso axis vector (origin -> mid-hips)
    half_width: float

    @property
    def across(self) -> np.ndarray:
        unit = self.down / (np.linalg.norm(self.down) + 1e-9)
        return np.array([-unit[1], unit[0]]) * self.half_width  # towards the image's left for an upright body

    def polygon(self) -> np.ndarray:
        o, d, a = self.origin, self.down, self.across
        return np.array([o + a, o - a, o + d - a, o + d + a], np.float32)


@dataclass
class Skeleton:
    """Named segments (bones) and the torso frame of one body (or garment) in its own pixels."""

    frame: Frame
    bones: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    torso_polygon: np.ndarray | None = None  # (4, 2) used for distances; frame polygon when None

    def polygon(self) -> np.ndarray:
        return self.torso_polygon if self.torso_polygon is not None else self.frame.polygon()


def point(keypoints: np.ndarray, name: str) -> np.ndarray | None:
    p = keypoints[KP[name]]
    return None if p[0] < 0 else p.astype(np.float64)


def frame_affine(dst: Frame, src: Frame) -> Affine:
    """Backward affine taking ``dst``'s frame onto ``src``'s (origin, axis and widths match)."""
    d_axes = np.stack([dst.across, dst.down], axis=1)  # columns
    s_axes = np.stack([src.across, src.down], axis=1)
    linear = s_axes @ np.linalg.inv(d_axes)
    offset = src.origin - linear @ dst.origin
    return np.hstack([linear, offset[:, None]])


def bone_affine(
    dst: tuple[np.ndarray, np.ndarray], src: tuple[np.ndarray, np.ndarray], across: float
) -> Affine:
    """Backward affine mapping segment ``dst`` onto ``src``; ``across`` = src px per dst px sideways."""
    da, db = dst
    sa, sb = src
    d_vec, s_vec = db - da, sb - sa
    d_len = float(np.linalg.norm(d_vec)) or 1e-6
    s_len = float(np.linalg.norm(s_vec)) or 1e-6
    d_perp = np.array([-d_vec[1], d_vec[0]]) / d_len
    s_perp = np.array([-s_vec[1], s_vec[0]]) / s_len
    low, high = TUNING.along_scale_range
    along = float(np.clip(s_len / d_len, low * across, high * across))
    s_vec = s_vec / s_len * d_len * along
    d_axes = np.stack([d_vec, d_perp], axis=1)
    s_axes = np.stack([s_vec, s_perp * across], axis=1)
    linear = s_axes @ np.linalg.inv(d_axes)
    offset = sa - linear @ da
    return np.hstack([linear, offset[:, None]])


def similarity(scale: float, angle: float, tx: float, ty: float) -> Affine:
    c, s = np.cos(angle) * scale, np.sin(angle) * scale
    return np.array([[c, -s, tx], [s, c, ty]], np.float64)


def mirror_affine(origin: np.ndarray, direction: np.ndarray) -> Affine:
    """The reflection across the line through ``origin`` along ``direction`` (its own inverse)."""
    axis = np.asarray(direction, np.float64)
    axis = axis / (np.linalg.norm(axis) + 1e-9)
    reflect = 2.0 * np.outer(axis, axis) - np.eye(2)
    origin = np.asarray(origin, np.float64)
    return np.hstack([reflect, (origin - reflect @ origin)[:, None]])


def side_extent(mask: np.ndarray, centre: np.ndarray, direction: np.ndarray, reach: float) -> float:
    """How far ``mask`` reaches from ``centre`` along the unit ``direction``, at most ``reach`` px
    (px; 0 when centre is outside)."""
    height, width = mask.shape
    steps = np.arange(0.0, max(reach, 1.0))
    pts = centre[None] + steps[:, None] * direction[None]
    xs, ys = np.round(pts[:, 0]).astype(int), np.round(pts[:, 1]).astype(int)
    valid = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    inside = np.zeros(len(steps), bool)
    inside[valid] = mask[ys[valid], xs[valid]]
    if not inside[0]:
        return 0.0
    off = np.flatnonzero(~inside)
    return float(steps[off[0]]) if off.size else float(steps[-1])


def outer_edge(
    mask: np.ndarray, centre: np.ndarray, direction: np.ndarray, reach: float, bridge: float = 0.0
) -> tuple[float, bool]:
    """How far from ``centre`` along the unit ``direction`` the first run of ``mask`` met ends (px,
    within ``reach``; 0 when none is met), gaps up to ``bridge`` px inside it bridged (from between
    her legs: her leg's outer side), and whether the frame cuts that run off (or the centre lies
    outside the frame): then it is no measure."""
    height, width = mask.shape
    steps = np.arange(0.0, max(reach, 1.0))
    pts = centre[None] + steps[:, None] * direction[None]
    xs, ys = np.round(pts[:, 0]).astype(int), np.round(pts[:, 1]).astype(int)
    valid = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    if not valid[0]:
        return 0.0, True
    inside = np.zeros(len(steps), bool)
    inside[valid] = mask[ys[valid], xs[valid]]
    hits = np.flatnonzero(inside)
    if not hits.size:
        return 0.0, False
    gaps = np.flatnonzero(np.diff(hits) > bridge + 1)
    last = hits[gaps[0]] if gaps.size else hits[-1]
    end = min(last + 1, len(steps) - 1)
    return float(steps[end]), not valid[end] or (last + 1 >= len(steps) and not gaps.size)


def segment_distance(px: np.ndarray, py: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance from each point to the segment a-b. Computed in place, in the order of
    ``hypot(px - (a + t * ab), ...)`` with ``t`` the clipped projection, so the results are those of
    that expression to the bit: it runs over whole photos many times per card."""
    ab = b - a
    denom = float(ab @ ab) or 1e-9
    if np.ndim(px) == 0 and np.ndim(py) == 0:
        t = np.clip(((px - a[0]) * ab[0] + (py - a[1]) * ab[1]) / denom, 0.0, 1.0)
        return np.hypot(px - (a[0] + t * ab[0]), py - (a[1] + t * ab[1]))
    t = px - a[0]
    t *= ab[0]
    across = py - a[1]
    across *= ab[1]
    t += across
    t /= denom
    np.maximum(t, 0.0, out=t)
    np.minimum(t, 1.0, out=t)
    dx = t * ab[0]
    dx += a[0]
    np.subtract(px, dx, out=dx)
    t *= ab[1]
    t += a[1]
    np.subtract(py, t, out=t)
    return np.hypot(dx, t, out=dx)


def run_through(
    mask: np.ndarray, centre: np.ndarray, direction: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int, int] | None:
    """The run of ``mask`` pixels through ``centre`` along ``direction`` (a unit vector), sampled
    ``offsets`` px from it (symmetric about 0): the samples' columns and rows, and the first and last
    index of the run among them; None when the centre is not in the mask."""
    height, width = mask.shape
    points = np.asarray(centre, np.float64)[None, :] + offsets[:, None] * np.asarray(direction)[None, :]
    cols = np.clip(np.round(points[:, 0]).astype(int), 0, width - 1)
    rows = np.clip(np.round(points[:, 1]).astype(int), 0, height - 1)
    inside = mask[rows, cols]
    middle = len(offsets) // 2
    if not inside[middle]:
        return None
    lo = hi = middle
    while lo > 0 and inside[lo - 1]:
        lo -= 1
    while hi < len(inside) - 1 and inside[hi + 1]:
        hi += 1
    return cols, rows, lo, hi


def polygon_distance(px: np.ndarray, py: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """Distance to a convex-ish polygon, zero inside."""
    out = np.full(px.shape, np.inf, np.float64)
    n = len(poly)
    for i in range(n):
        out = np.minimum(out, segment_distance(px, py, poly[i], poly[(i + 1) % n]))
    inside = np.ones(px.shape, bool)
    sign = None
    for i in range(n):
        a, b = poly[i], poly[(i + 1) % n]
        cross = (b[0] - a[0]) * (py - a[1]) - (b[1] - a[1]) * (px - a[0])
        if sign is None:
            sign = np.sign(np.sum(np.sign(cross))) or 1.0
        inside &= cross * sign >= 0
    return np.where(inside, 0.0, out)


@dataclass(frozen=True)
class Seam:
    """Where a limb piece is sewn to the garment's body. The body's own map (shopper px -> garment
    px) takes over from the limb's bones near the seam (fully on it, not at all ``reach`` shopper px
    away from it), so a sleeve turned down along her arm stays joined to the armhole instead of
    swinging away from it and leaving a wedge of her shoulder between the two."""

    body_map: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
    line: np.ndarray  # (2, 2) the seam in garment px
    scale: float  # shopper px per garment px about the seam
    reach: float  # shopper px
    offset: tuple[float, float] = (0.0, 0.0)  # garment px subtracted from the body map (a cropped source)

    def blend(self, xs: np.ndarray, ys: np.ndarray, mx: np.ndarray, my: np.ndarray):
        bx, by = self.body_map(xs, ys)
        distance = segment_distance(bx, by, self.line[0], self.line[1]) * self.scale
        t = np.clip(distance / max(self.reach, 1e-6), 0.0, 1.0)
        body = 1.0 - t * t * (3.0 - 2.0 * t)  # smoothstep: no kink where the hand-over ends
        dx, dy = self.offset
        return body * (bx - dx) + (1.0 - body) * mx, body * (by - dy) + (1.0 - body) * my

    def shifted(self, dx: float, dy: float) -> Seam:
        return Seam(
            self.body_map, self.line, self.scale, self.reach, (self.offset[0] + dx, self.offset[1] + dy)
        )


@dataclass
class Part:
    """One blended warp: (affine, distance function on dst) pairs plus falloff sigma, and
    optionally the seam joining it to the garment's body."""

    affines: list[Affine]
    dst_shapes: list[np.ndarray]  # (2, 2) segment or (k, 2) polygon per affine
    sigma: float
    seam: Seam | None = None


def blend_map(part: Part, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Backward map at the points (xs, ys): distance-weighted blend of the part's affines (and
    the body's map about its seam)."""
    mx, my = _affine_blend(part, xs, ys)
    if part.seam is not None:
        return part.seam.blend(xs, ys, mx, my)
    return mx, my


def _affine_blend(part: Part, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(part.affines) == 1:
        a = part.affines[0]
        return a[0, 0] * xs + a[0, 1] * ys + a[0, 2], a[1, 0] * xs + a[1, 1] * ys + a[1, 2]
    d2 = []
    for shape in part.dst_shapes:
        if len(shape) == 2:
            d = segment_distance(xs, ys, shape[0], shape[1])
        else:
            d = polygon_distance(xs, ys, shape)
        d2.append((d / part.sigma) ** 2)
    d2_arr = np.stack(d2)
    weights = np.exp(-(d2_arr - d2_arr.min(axis=0)))
    weights /= weights.sum(axis=0)
    mx = np.zeros_like(xs, dtype=np.float64)
    my = np.zeros_like(xs, dtype=np.float64)
    for w, a in zip(weights, part.affines, strict=True):
        mx += w * (a[0, 0] * xs + a[0, 1] * ys + a[0, 2])
        my += w * (a[1, 0] * xs + a[1, 1] * ys + a[1, 2])
    return mx, my


def dense_map(part: Part, box: tuple[int, int, int, int], step: int) -> tuple[np.ndarray, np.ndarray]:
    """Backward map over ``box`` (x0, y0, x1, y1), computed every ``step`` px and upsampled.

    Grid points sit at pixel ``x0 + (step - 1) / 2 + i * step`` so that ``cv2.resize``'s
    linear interpolation reproduces any affine map exactly inside the box.
    """
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    if len(part.affines) == 1 and part.seam is None:
        a = part.affines[0]
        xx, yy = np.meshgrid(np.arange(x0, x1, dtype=np.float32), np.arange(y0, y1, dtype=np.float32))
        return (
            (a[0, 0] * xx + a[0, 1] * yy + a[0, 2]).astype(np.float32),
            (a[1, 0] * xx + a[1, 1] * yy + a[1, 2]).astype(np.float32),
        )
    gw, gh = -(-width // step), -(-height // step)
    gx = x0 + (step - 1) / 2 + np.arange(gw) * step
    gy = y0 + (step - 1) / 2 + np.arange(gh) * step
    xs, ys = np.meshgrid(gx, gy)
    mx, my = blend_map(part, xs, ys)
    size = (gw * step, gh * step)
    mx = cv2.resize(mx.astype(np.float32), size, interpolation=cv2.INTER_LINEAR)[:height, :width]
    my = cv2.resize(my.astype(np.float32), size, interpolation=cv2.INTER_LINEAR)[:height, :width]
    return mx, my


def warp_rgba(src: np.ndarray, part: Part, box: tuple[int, int, int, int], step: int) -> np.ndarray:
    """Warp a premultiplied RGBA (uint8) source into ``box`` of the destination."""
    if len(part.affines) == 1 and part.seam is None:
        x0, y0, x1, y1 = box
        a = part.affines[0]
        shifted = np.hstack([a[:, :2], (a[:, 2] + a[:, :2] @ np.array([x0, y0], np.float64))[:, None]])
        return cv2.warpAffine(
            src,
            shifted,
            (x1 - x0, y1 - y0),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=0,
        )
    mx, my = dense_map(part, box, step)
    return cv2.remap(
        src, mx, my, interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0
    )


def transform_points(affine: Affine, points: np.ndarray) -> np.ndarray:
    points = np.asarray(points, np.float64)
    return points @ affine[:, :2].T + affine[:, 2]


def invert(affine: Affine) -> Affine:
    return cv2.invertAffineTransform(affine.astype(np.float64))
