"""The last passes: skin specks inside a garment, legs above a hem, the majority filter."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from ml.parsing.heuristic.garments import _at_or_below, _hem
from ml.parsing.heuristic.geometry import _segment_distance
from ml.parsing.heuristic.tuning import ParsingTuning
from ml.types import ParsingClass as C


def _legs_inside_garment(
    labels: np.ndarray, body: float, t: ParsingTuning, feet: np.ndarray | None = None
) -> None:
    """Legs are not above a dress's hem: "skin" with the same dress or skirt both just above and
    just below it (a border print of skin-like colours) is that garment. Where ``feet`` may stand
    (round and below the ankles) the garment below must be its hem, and only legs above the hem are
    weighed: a bare foot over a sandal's strap of the gown's colour (narrower than a hem) stays legs,
    and a print touching the bare shin below the hem still goes with the dress."""
    reach = max(t.hem_min_px, round(t.hem_reach * body))
    column = np.ones((reach, 1), np.uint8)
    feet = np.zeros(labels.shape, bool) if feet is None else feet
    # the same for both garments: relabelling legs as the first does not change the hem's width
    hems = _hem(labels, body, t)
    for garment in (C.UPPER_CLOTHES, C.SKIRT):
        cloth = (labels == garment).astype(np.uint8)
        if not cloth.any():
            continue
        hem = hems & (cloth > 0)
        above_the_hem = _at_or_below(hem)
        below_what = np.where(feet, hem, cloth > 0).astype(np.uint8)
        below = cv2.dilate(below_what, column, anchor=(0, 0)) > 0
        above = cv2.dilate(cloth, column, anchor=(0, reach - 1)) > 0
        legs = (labels == C.LEGS) & (above_the_hem | ~feet)
        inside = legs & below & above
        if not inside.any():
            continue
        count, parts = cv2.connectedComponents(legs.astype(np.uint8), connectivity=8)
        size = np.bincount(parts.ravel(), minlength=count)
        enclosed = np.bincount(parts[inside], minlength=count)
        wrapped = enclosed >= t.hem_enclosed * np.maximum(size, 1)
        wrapped[0] = False
        labels[wrapped[parts]] = int(garment)


def _patch_and_rim(
    labels: np.ndarray, parts: np.ndarray, stat: np.ndarray, index: int
) -> tuple[tuple[slice, slice], np.ndarray, np.ndarray]:
    """Component ``index`` of ``parts`` (its ``stat`` row from connectedComponentsWithStats): the box
    around it, its pixels in that box and the labels on the 1-px rim around it."""
    height, width = labels.shape
    x, y, w, h = (int(v) for v in stat[:4])
    box = (slice(max(0, y - 2), min(height, y + h + 2)), slice(max(0, x - 2), min(width, x + w + 2)))
    patch = parts[box] == index
    ring = (cv2.dilate(patch.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0) & ~patch
    return box, patch, labels[box][ring]


def _absorb_specks(
    labels: np.ndarray, body: float, t: ParsingTuning, hands: Sequence[tuple[np.ndarray, np.ndarray]] = ()
) -> None:
    """Small patches of skin classes inside one garment (skin-like bits of a print) join it; not a
    hand's (``hands``: wrist to fingertips), which may show alone between a sleeve and a pocket."""
    skin = np.isin(labels, (C.FACE, C.ARMS, C.LEGS)).astype(np.uint8)
    count, parts, stats, centroids = cv2.connectedComponentsWithStats(skin, connectivity=8)
    limit = t.speck_area * body * body
    height, width = labels.shape
    for index in range(1, count):
        x, y, w, h, area = stats[index]
        if area > limit or x == 0 or y == 0 or x + w == width or y + h == height:
            continue  # a large patch, or one cut by the frame (legs below a hem at the edge)
        cx, cy = (np.array([v], np.float32) for v in centroids[index])
        if any(_segment_distance(cx, cy, a, b)[0] < t.speck_hand_reach * body for a, b in hands):
            continue
        box, patch, around = _patch_and_rim(labels, parts, stats[index], index)
        garments = np.isin(around, (C.UPPER_CLOTHES, C.PANTS, C.SKIRT))
        if around.size and garments.mean() >= t.speck_surrounded:
            values, counts = np.unique(around[garments], return_counts=True)
            labels[box][patch] = values[np.argmax(counts)]


def _face_features(labels: np.ndarray, t: ParsingTuning) -> None:
    """Dark eyes, brows and lips taken for hair, in place: hair patches all but surrounded by face
    are face (the renderer keeps a face whole, but may paint hair it takes for a collar)."""
    hair = (labels == C.HAIR).astype(np.uint8)
    count, parts, stats, _ = cv2.connectedComponentsWithStats(hair, connectivity=8)
    largest = t.face_feature_area * int((labels == C.FACE).sum())
    for index in range(1, count):
        if stats[index, cv2.CC_STAT_AREA] > largest:
            continue
        box, patch, around = _patch_and_rim(labels, parts, stats[index], index)
        if around.size and (around == C.FACE).mean() >= t.face_feature_rim:
            labels[box][patch] = C.FACE


def _smooth(labels: np.ndarray, person: np.ndarray, body: float, t: ParsingTuning) -> np.ndarray:
    """Majority filter: blur one-hot planes and take the argmax inside the person."""
    size = max(t.smooth_min_px, int(t.smooth_size * body) | 1)
    planes = np.stack(
        [cv2.blur((labels == c).astype(np.float32), (size, size)) for c in range(len(C))], axis=0
    )
    planes[0] = -1.0
    smoothed = planes.argmax(axis=0).astype(np.uint8)
    smoothed[~person] = int(C.BACKGROUND)
    return smoothed
