"""A packshot sleeve moved out to her arm's outer outline.

A sleeve hangs on the line of her arm's joints, and BlazePose puts the shoulder and elbow inside the
arm, nearer its inner side: a sleeve as wide as her arm, centred on that line, left a sliver of her
arm or her old sleeve along its outer edge from the shoulder down ("shoulder slits showing skin",
"old red sleeve strip at the shoulder"). A worn sleeve wraps the arm, so its outer edge lies on or
outside the arm's outline: the sleeve is moved sideways, away from her body, until it does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ml.render.warp.geometry import bone_affine, transform_points
from ml.types import ParsingClass as C
from ml.types import PhotoAnalysis


@dataclass(frozen=True)
class SleeveTuning:
    """Lengths in the shopper's shoulder spans."""

    # shares of the sleeve's bone measured (not nearer her shoulder: there the perpendicular runs over
    # her shoulder's top, not her arm's side)
    stations: tuple[float, ...] = (0.35, 0.5, 0.65, 0.8)
    margin: float = 0.015  # the sleeve's outer edge this far outside her outline
    reach: float = 0.35  # her arm and the sleeve are measured this far out from the bone
    max_shift: float = 0.3  # a sleeve moved out by at most this
    garment_alpha: float = 0.5  # the sleeve's pixels: alpha from this up


TUNING = SleeveTuning()


def her_outline(shopper: PhotoAnalysis) -> np.ndarray:
    """What a sleeve on her arm should cover: her arm or her own sleeve (no hair, face, background)."""
    return (shopper.person_mask > 127) & ~np.isin(shopper.parsing, (C.BACKGROUND, C.HAIR, C.FACE))


def outward_shift(
    *,
    alpha: np.ndarray,
    src_bone: tuple[np.ndarray, np.ndarray],
    dst_bone: tuple[np.ndarray, np.ndarray],
    across: float,
    her: np.ndarray,
    body_centre: np.ndarray,
    span: float,
    tuning: SleeveTuning = TUNING,
) -> np.ndarray:
    """The shift (shopper px, x and y) that puts the sleeve's outer edge on ``her`` outline plus a
    margin: the median shortfall over the stations, zero when the sleeve already covers her."""
    a, b = (np.asarray(p, np.float64) for p in dst_bone)
    direction = b - a
    length = float(np.linalg.norm(direction))
    if length < 1.0 or span <= 0:
        return np.zeros(2)
    outward = np.array([-direction[1], direction[0]]) / length
    if float(outward @ ((a + b) / 2 - body_centre)) < 0:
        outward = -outward
    backward = bone_affine((a, b), src_bone, across)
    reach = max(1, round(tuning.reach * span))
    steps = np.arange(-reach, reach + 1, dtype=np.float64)
    zero = reach  # the index of the bone's own point
    shortfalls = []
    for share in tuning.stations:
        points = (a + share * direction)[None] + steps[:, None] * outward[None]
        mine = _sample(her, points)
        sleeve = _sample(alpha >= tuning.garment_alpha, transform_points(backward, points))
        if not mine[zero]:
            continue
        edge = _outer_edge(sleeve, zero)
        if edge is None:
            continue
        shortfalls.append(_outer_edge(mine, zero) + tuning.margin * span - edge)
    if not shortfalls:
        return np.zeros(2)
    shift = float(np.clip(np.median(shortfalls), 0.0, tuning.max_shift * span))
    return shift * outward


def _sample(mask: np.ndarray, points: np.ndarray) -> np.ndarray:
    """``mask`` at the points (nearest pixel), False outside it."""
    height, width = mask.shape
    xs, ys = np.round(points[:, 0]).astype(int), np.round(points[:, 1]).astype(int)
    valid = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    out = np.zeros(len(points), bool)
    out[valid] = mask[ys[valid], xs[valid]]
    return out


def _outer_edge(inside: np.ndarray, zero: int) -> float | None:
    """Where the run of ``inside`` samples ends outward (samples from index ``zero``; negative when
    the run lies wholly inward of it), None when there is none."""
    if inside[zero]:
        off = np.flatnonzero(~inside[zero:])
        return float(off[0]) if off.size else float(inside.size - zero)
    inward = np.flatnonzero(inside[:zero])
    return float(inward[-1] + 1 - zero) if inward.size else None
