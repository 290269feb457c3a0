"""Straps thinner than a pixel of the work-size copy, found again at the photo's resolution.

A cami's or a dress's spaghetti straps are one or two pixels wide in a 1,024-row photo. In the
320-row copy the parser works on they blend with the skin beside them, so they came back as her
shoulders' skin, and the renderer left them on her (the reviewers' "old cami straps over the
dress"). At full resolution a strap is
a run of pixels the colour of her top, clearly unlike her skin, that leaves the top at its upper
edge and goes over the shoulder to the person's outline. A necklace does not reach the outline,
and a lock of hair joins the hair.
"""

from __future__ import annotations

import cv2
import numpy as np

from ml.parsing.heuristic.colours import _fit
from ml.parsing.heuristic.tuning import ParsingTuning
from ml.types import KP
from ml.types import ParsingClass as C

_DEBUG = False


def thin_straps(labels: np.ndarray, image: np.ndarray, keypoints: np.ndarray, t: ParsingTuning) -> None:
    """Relabel, in place, the straps of the top that full-resolution ``labels`` call skin.
    ``keypoints``: COCO keypoints in the photo's pixels (-1 where missing)."""
    shoulders = [keypoints[KP[name]] for name in ("right_shoulder", "left_shoulder")]
    shoulders = [p for p in shoulders if p[0] >= 0]
    if len(shoulders) < 2:
        return
    span = float(np.hypot(*(shoulders[0] - shoulders[1])))
    reach = t.strap_reach * span
    height, width = labels.shape
    x0, y0 = (max(0, int(min(p[i] for p in shoulders) - reach)) for i in (0, 1))
    x1, y1 = (int(max(p[i] for p in shoulders) + reach) + 1 for i in (0, 1))
    x1, y1 = min(width, x1), min(height, y1)
    if span <= 0 or x1 <= x0 or y1 <= y0:
        return
    # the colours are learnt on a grid of every n-th pixel (the models hardly move)
    grid = (slice(None, None, t.strap_grid), slice(None, None, t.strap_grid))
    on_grid, colours_on_grid = labels[grid], image[grid]
    top_samples = colours_on_grid[on_grid == C.UPPER_CLOTHES]
    skin_samples = colours_on_grid[(on_grid == C.FACE) | (on_grid == C.ARMS)]
    if min(len(top_samples), len(skin_samples)) < t.strap_min_samples:
        return
    top_model = _fit(_lab(top_samples), t.top_clusters, t.garment_floor, t)
    skin_model = _fit(_lab(skin_samples), t.skin_clusters, t.skin_floor, t)
    if top_model is None or skin_model is None:
        return
    # the work is done in the box round the shoulders, where a strap may lie
    box = (slice(y0, y1), slice(x0, x1))
    yy, xx = np.mgrid[y0:y1, x0:x1]
    near = np.zeros(yy.shape, bool)
    for x, y in shoulders:
        near |= np.hypot(xx - x, yy - y) < reach
    in_box = labels[box]
    candidates = ((in_box == C.FACE) | (in_box == C.ARMS)) & near
    if not candidates.any():
        return
    colours = _lab(image[box][candidates])
    to_skin, to_top = skin_model.distance(colours), top_model.distance(colours)
    like = np.zeros(candidates.shape, np.uint8)
    like[candidates] = (to_skin > t.strap_unlike_skin) & (to_top + t.strap_margin < to_skin)
    # a strap's anti-aliased pixels break it into pieces: joined, with its soft edges, inside the skin
    size = 2 * max(1, round(t.strap_edge * span)) + 1
    like = ((cv2.dilate(like, np.ones((size, size), np.uint8)) > 0) & candidates).astype(np.uint8)
    count, parts = cv2.connectedComponents(like, connectivity=8)
    if count <= 1:
        return
    gap = max(1, round(t.strap_gap * span))
    kernel = np.ones((2 * gap + 1, 2 * gap + 1), np.uint8)
    near_top = cv2.dilate((in_box == C.UPPER_CLOTHES).astype(np.uint8), kernel) > 0
    outline = cv2.dilate((in_box == C.BACKGROUND).astype(np.uint8), kernel) > 0
    hair = cv2.dilate((in_box == C.HAIR).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    pieces = like > 0
    size_of = np.maximum(np.bincount(parts.ravel(), minlength=count), 1)
    at_outline = np.bincount(parts[outline & pieces], minlength=count) / size_of
    from_top = np.bincount(parts[near_top & pieces], minlength=count) > 0
    by_hair = np.bincount(parts[hair & pieces], minlength=count) > 0
    # a strap crosses her skin and reaches the outline at its end; a strand of hair or a bright rim
    # along the outline lies beside the background all the way; a lock joins the hair
    strap = from_top & (at_outline > 0) & (at_outline <= t.strap_outline_share) & ~by_hair
    strap[0] = False
    if _DEBUG:
        print("straps", dict(pieces=count - 1, from_top=from_top, at_outline=np.round(at_outline, 2)))
    in_box[strap[parts]] = int(C.UPPER_CLOTHES)


def _lab(pixels: np.ndarray) -> np.ndarray:
    """(N, 3) RGB pixels in OpenCV's 8-bit Lab, as float."""
    rgb = np.ascontiguousarray(pixels[:, :3], dtype=np.uint8).reshape(-1, 1, 3)
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).reshape(-1, 3).astype(np.float32)
