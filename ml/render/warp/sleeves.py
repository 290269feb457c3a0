"""A sleeve made as wide as her arm and moved out to her arm's outer outline.

A sleeve hangs on the line of her arm's joints, and BlazePose puts the shoulder and elbow inside the
arm, nearer its inner side: a sleeve as wide as her arm, centred on that line, left a sliver of her
arm or her old sleeve along its outer edge from the shoulder down ("shoulder slits showing skin",
"old red sleeve strip at the shoulder"). A worn sleeve wraps the arm, so its outer edge lies on or
outside the arm's outline: the sleeve is moved sideways, away from her body, until it does.

A sleeve cut from an on-model photo was scaled across by the two torsos' widths alone, so on a
shopper whose arm (or old sleeve) is wider than the product model's it left her arm showing along
both its edges, and the sleeve looked detached from her ("sleeves detached and floating beside both
arms"): it is first widened to cover her arm as it is worn there (:func:`across_to_cover`).
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
    # an on-model sleeve is at least this many times as wide as her arm (or her sleeve) ...
    cover_ease: float = 1.1
    max_widen: float = 1.6  # ... widened by at most this factor
    min_stations: int = 2  # ... measured where both run across at least this many stations


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


@dataclass(frozen=True)
class ArmToCover:
    """One sleeve bone and her arm it is to cover: the sleeve (its garment's pixels of the arm's
    group) and the whole garment, masks on the product's photo; her arm (her outline's pixels of
    that group), a mask on hers; the bone on each photo and her shoulder span."""

    sleeve: np.ndarray
    garment: np.ndarray
    her_arm: np.ndarray
    src_bone: tuple[np.ndarray, np.ndarray]
    dst_bone: tuple[np.ndarray, np.ndarray]
    span: float


def across_to_cover(arm: ArmToCover, across: float, tuning: SleeveTuning = TUNING) -> float:
    """Product px per shopper px across the bone so that the sleeve is at least ``cover_ease``
    times as wide as her arm: ``across`` when it already is or when too few stations measure
    both, at most ``max_widen`` times wider."""
    ratios = [
        (theirs[1] - theirs[0] + 1) / (tuning.cover_ease * (mine[1] - mine[0] + 1))
        for mine, theirs in _runs(arm, across, tuning)
        if mine is not None and theirs is not None
    ]
    if len(ratios) < tuning.min_stations:
        return across
    return float(np.clip(across * np.median(ratios), across / tuning.max_widen, across))


def turn_to_cover(arm: ArmToCover, across: float, tuning: SleeveTuning = TUNING) -> np.ndarray:
    """How far (shopper px, x and y) the bone's far end moves across, its near end staying put,
    to lay the sleeve over her arm with ``margin`` to spare on both sides: the least that does,
    or, where the sleeve is narrower than that, what centres it on her arm; the median over the
    stations. A keypoint's line lies off her arm's middle, nearer one edge or the other, so the
    outer edge alone (:func:`outward_shift`) does not do for a sleeve just widened to her arm's
    width; and moved whole rather than turned about her shoulder, an upper sleeve's top stood out
    past her shoulder's round as a spike."""
    a, b = (np.asarray(p, np.float64) for p in arm.dst_bone)
    direction = b - a
    length = float(np.linalg.norm(direction))
    if length < 1.0 or arm.span <= 0:
        return np.zeros(2)
    margin = tuning.margin * arm.span
    turns = []
    for (mine, theirs), share in zip(_runs(arm, across, tuning), tuning.stations, strict=True):
        if mine is None or theirs is None:
            continue
        # along the normal, the sleeve must move at least ``low`` to cover her arm's edge on the
        # normal's side and at most ``high`` to cover the other
        low, high = mine[1] + margin - theirs[1], mine[0] - margin - theirs[0]
        shift = float(np.clip(0.0, low, high)) if low <= high else (low + high) / 2
        turns.append(shift / share)
    if len(turns) < tuning.min_stations:
        return np.zeros(2)
    limit = tuning.max_shift * arm.span
    normal = np.array([-direction[1], direction[0]]) / length
    return float(np.clip(np.median(turns), -limit, limit)) * normal


def _runs(arm: ArmToCover, across: float, tuning: SleeveTuning) -> list:
    """Per station: the runs (first, last offsets in shopper px across the bone, or None) of her arm
    and of the sleeve laid on the bone as ``across`` scales it; the sleeve's only where it runs
    across the bone's point there."""
    a, b = (np.asarray(p, np.float64) for p in arm.dst_bone)
    direction = b - a
    length = float(np.linalg.norm(direction))
    if length < 1.0 or arm.span <= 0:
        return [(None, None)] * len(tuning.stations)
    normal = np.array([-direction[1], direction[0]]) / length
    backward = bone_affine((a, b), arm.src_bone, across)
    reach = max(1, round(tuning.reach * arm.span))
    steps = np.arange(-reach, reach + 1, dtype=np.float64)
    out = []
    for share in tuning.stations:
        points = (a + share * direction)[None] + steps[:, None] * normal[None]
        mine = _run(_sample(arm.her_arm, points), reach)
        on_product = transform_points(backward, points)
        theirs = _run(_sample(arm.sleeve, on_product), reach, whole=_sample(arm.garment, on_product))
        if theirs is not None and not theirs[0] <= 0 <= theirs[1]:
            theirs = None  # past the sleeve's hem: a sliver of its edge, not the sleeve across the arm
        out.append((mine, theirs))
    return out


def _run(inside: np.ndarray, zero: int, whole: np.ndarray | None = None) -> tuple[float, float] | None:
    """The (first, last) offsets from ``zero`` of the run of ``inside`` through it, or of the run
    nearest to it; None when there is none, or when ``whole`` goes on past either of its ends (an
    arm over or against the body, where the parsing's groups split it from the body's garment by
    distance alone: the run's end is not the sleeve's edge)."""
    hits = np.flatnonzero(inside)
    if hits.size == 0:
        return None
    lo = hi = int(hits[np.argmin(np.abs(hits - zero))])
    while lo > 0 and inside[lo - 1]:
        lo -= 1
    while hi < inside.size - 1 and inside[hi + 1]:
        hi += 1
    if whole is not None and ((lo > 0 and whole[lo - 1]) or (hi < whole.size - 1 and whole[hi + 1])):
        return None
    return float(lo - zero), float(hi - zero)


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
