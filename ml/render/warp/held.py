"""What the product model holds or wears on her feet that the parser took for her garment.

A handbag hanging from her hand, or her sandals under a long hem, are labelled garment and were cut
out with it: on the shopper the bag was pasted at her hip and a second pair of feet stood under the
hem. Such a thing is told apart by its colour: near her hands and feet the garment shows colours
that the rest of it (far from them) does not have, in a piece too large to be a print's motif.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ml.render.warp.geometry import segment_distance
from ml.types import KP, PhotoAnalysis


@dataclass(frozen=True)
class HeldTuning:
    """Lengths in the product model's shoulder spans unless said otherwise."""

    work_height: int = 280  # px: colours are compared on a copy this tall
    blur: float = 1.0  # px of the copy: colours read after a blur this wide (weave and JPEG noise)
    bins: int = 16  # Lab histogram bins per channel
    # a bag hangs from her hand: a hand's zone is a capsule this wide about the wrist ...
    hand_radius: float = 0.45
    hand_drop: float = 1.2  # ... running this far down from it
    sleeve_reach: float = 0.3  # nothing within this distance of her arm bones is held (her sleeve)
    foot_radius: float = 0.45  # a foot's zone: the same about the ankle ...
    foot_drop: float = 0.3  # ... running this far down
    # a colour is foreign to the garment where its share of the zones' garment pixels is this many
    # times its share of the garment's pixels away from them ...
    foreign_ratio: float = 3.0
    away: float = 0.15  # ... farther than this (what is held may reach a little out of its zone) ...
    floor: float = 1e-5  # ... both shares counted at least this
    # ... and a foreign piece is taken out when it covers at least this share of the garment (a
    # print's motif near her hand is smaller)
    min_share: float = 0.004
    # a held thing is one solid piece: at least this share of its convex hull ...
    min_solidity: float = 0.6
    max_elongation: float = 2.5  # ... at most this many times as long as it is wide ...
    max_share: float = 0.25  # ... and at most this share of what was labelled garment
    open_px: int = 3  # px of the copy: specks opened away ...
    close_px: int = 5  # ... and gaps between foreign pixels closed
    fringe_px: int = 3  # px of the copy: a piece is grown by a kernel this wide (its blended outline)


TUNING = HeldTuning()
HANDS = ("right_wrist", "left_wrist")
FEET = ("right_ankle", "left_ankle")
ARM_BONES = (
    ("right_shoulder", "right_elbow"),
    ("right_elbow", "right_wrist"),
    ("left_shoulder", "left_elbow"),
    ("left_elbow", "left_wrist"),
)


@dataclass(frozen=True)
class HeldThings:
    """Garment-labelled pixels that are not the garment (full-size boolean masks)."""

    in_hands: np.ndarray  # held in front of the garment: the garment goes on behind them
    on_feet: np.ndarray  # her feet and shoes below or at the hem: not the garment's


def _capsules(
    analysis: PhotoAnalysis, names: tuple[str, ...], radius: float, drop: float, scale: float, shape
) -> np.ndarray:
    """Capsules hanging from the named keypoints (in the copy's pixels)."""
    height, width = shape
    ys, xs = np.mgrid[:height, :width].astype(np.float32)
    zone = np.zeros(shape, bool)
    for name in names:
        x, y = analysis.keypoints[KP[name]] * scale
        if analysis.keypoints[KP[name], 0] < 0:
            continue
        below = np.clip(ys - y, 0.0, drop)
        zone |= (xs - x) ** 2 + (ys - y - below) ** 2 < radius**2
    return zone


def _sleeves(analysis: PhotoAnalysis, radius: float, scale: float, shape) -> np.ndarray:
    """Where her sleeves may be: within ``radius`` of her arm bones (in the copy's pixels)."""
    height, width = shape
    ys, xs = np.mgrid[:height, :width].astype(np.float32)
    near = np.zeros(shape, bool)
    for first, second in ARM_BONES:
        a, b = analysis.keypoints[KP[first]], analysis.keypoints[KP[second]]
        if a[0] < 0 or b[0] < 0:
            continue
        near |= segment_distance(xs, ys, a * scale, b * scale) < radius
    return near


def _smoothed(hist: np.ndarray) -> np.ndarray:
    """A 3-D histogram blurred by one bin along each axis (neighbouring shades count alike)."""
    for axis in range(3):
        padded = np.pad(hist, [(1, 1) if a == axis else (0, 0) for a in range(3)], mode="edge")
        lo = np.take(padded, range(0, hist.shape[axis]), axis=axis)
        hi = np.take(padded, range(2, hist.shape[axis] + 2), axis=axis)
        hist = 0.5 * hist + 0.25 * (lo + hi)
    return hist


def _share(bins: np.ndarray, mask: np.ndarray, count: int) -> np.ndarray:
    hist = np.bincount(bins[mask], minlength=count**3).astype(np.float64).reshape(count, count, count)
    hist = _smoothed(hist)
    return (hist / max(float(hist.sum()), 1.0)).ravel()


def _foreign(
    bins: np.ndarray,
    garment: np.ndarray,
    zone: np.ndarray,
    barred: np.ndarray,
    area: int,
    away: int,
    t: HeldTuning,
) -> np.ndarray:
    """Pieces of the garment outside ``barred`` in colours it lacks away from the zone, large
    enough within the zone and taken whole (a bag hanging from her hand may reach below its zone)."""
    margin = 2 * away + 1
    inside = garment & zone
    outside = garment & (cv2.dilate(zone.astype(np.uint8), np.ones((margin, margin), np.uint8)) == 0)
    if not inside.any() or not outside.any():
        return np.zeros_like(garment)
    ratio = (_share(bins, inside, t.bins)[bins] + t.floor) / (_share(bins, outside, t.bins)[bins] + t.floor)
    foreign = (garment & ~barred & (ratio > t.foreign_ratio)).astype(np.uint8)
    foreign = cv2.morphologyEx(foreign, cv2.MORPH_OPEN, np.ones((t.open_px, t.open_px), np.uint8))
    foreign = cv2.morphologyEx(foreign, cv2.MORPH_CLOSE, np.ones((t.close_px, t.close_px), np.uint8))
    foreign = foreign.astype(bool) & garment & ~barred
    count, labels = cv2.connectedComponents(foreign.astype(np.uint8))
    in_zone = np.bincount(labels[foreign & zone], minlength=count)
    keep = [
        i for i in range(1, count) if in_zone[i] >= t.min_share * area and _thing_shaped(labels == i, area, t)
    ]
    return np.isin(labels, keep)


def _thing_shaped(piece: np.ndarray, area: int, t: HeldTuning) -> bool:
    """Whether a piece looks like one thing (a bag, a clutch, a shoe): solid, not long and thin,
    and not a large part of the garment (a shade of the garment's own fabric in its folds, or a
    panel of another colour, is long, ragged or large)."""
    size = int(piece.sum())
    if size > t.max_share * area:
        return False
    contours, _ = cv2.findContours(piece.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull = cv2.contourArea(cv2.convexHull(np.vstack(contours)))
    (_cx, _cy), (side_a, side_b), _angle = cv2.minAreaRect(np.vstack(contours))
    long, short = max(side_a, side_b), max(min(side_a, side_b), 1.0)
    return size >= t.min_solidity * hull and long <= t.max_elongation * short


def held_things(
    analysis: PhotoAnalysis, garment: np.ndarray, span: float, tuning: HeldTuning = TUNING
) -> HeldThings:
    """What the product model holds (``in_hands``) or wears on her feet (``on_feet``) that is
    labelled as her garment (``garment``, full size); ``span`` is her shoulder span in pixels."""
    t = tuning
    height, width = garment.shape
    nothing = HeldThings(np.zeros((height, width), bool), np.zeros((height, width), bool))
    if span <= 0 or not garment.any():
        return nothing
    scale = min(1.0, t.work_height / height)
    size = (max(8, round(width * scale)), max(8, round(height * scale)))
    small = cv2.resize(garment.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST) > 0
    area = int(small.sum())
    image = cv2.GaussianBlur(cv2.resize(analysis.image, size, interpolation=cv2.INTER_AREA), (0, 0), t.blur)
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.int32) * t.bins // 256
    bins = (lab[..., 0] * t.bins + lab[..., 1]) * t.bins + lab[..., 2]
    reach = span * scale
    shape = small.shape
    hands = _capsules(analysis, HANDS, t.hand_radius * reach, t.hand_drop * reach, scale, shape)
    feet = _capsules(analysis, FEET, t.foot_radius * reach, t.foot_drop * reach, scale, shape)
    # her sleeve near her hand, a cuff in another colour or a shade of its fabric, is not held
    sleeves = _sleeves(analysis, t.sleeve_reach * reach, scale, shape)
    foreign = _foreign(bins, small, hands | feet, sleeves, area, max(1, round(t.away * reach)), t)
    if not foreign.any():
        return nothing

    def full(mask: np.ndarray) -> np.ndarray:
        # grown by the blend of its colours with the garment's along its outline, scaled up smooth
        grown = cv2.dilate(mask.astype(np.uint8), np.ones((t.fringe_px, t.fringe_px), np.uint8))
        up = cv2.resize(grown.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
        return (up > 0.5) & garment

    # a piece reaching into a hand's zone is held (a bag's strap runs down from her hand to it)
    _count, labels = cv2.connectedComponents(foreign.astype(np.uint8))
    in_hands = np.isin(labels, np.unique(labels[foreign & hands])) & foreign
    return HeldThings(full(in_hands), full(foreign & ~in_hands))
