"""The shopper's hair where the parser called it garment.

Long hair lying over the shoulders is often parsed as the top it lies on (and on some photos all of
the hair is). Removed with the old top it would be filled with background and the new garment
drawn over it. Here a colour model of the hair (sampled on the head, above the shoulders) is set
against one of the old garment (sampled in the middle of the chest, where hair rarely lies);
garment-labelled pixels that are clearly more likely hair, and connected to the head, are hair.
"""

from __future__ import annotations

import cv2
import numpy as np

from ml.render.warp.geometry import Skeleton
from ml.types import ParsingClass as C

BINS = 8  # histogram levels per RGB channel
MIN_SAMPLES = 60
HAIR_ODDS = 2.0  # a pixel is hair when hair is this many times likelier than garment
MIN_HAIR_COUNT = 3  # hair samples a colour bin needs before a garment pixel of that colour can be hair
HEAD_ABOVE = 0.25  # the head zone: this many shoulder spans (and more) above the shoulder line
REACH_BELOW = 1.2  # hair may hang this many shoulder spans below the shoulder line


def _offset(shape: tuple[int, int], dst: Skeleton) -> tuple[np.ndarray, float]:
    """Signed distance of every pixel below the shoulder line (pixels, along the torso axis), and
    the shoulder span."""
    poly = dst.polygon()
    span = float(np.linalg.norm(poly[1] - poly[0]))
    unit = dst.frame.down / (np.linalg.norm(dst.frame.down) + 1e-9)
    mid = (poly[0] + poly[1]) / 2
    height, width = shape
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    return (xs - mid[0]) * unit[0] + (ys - mid[1]) * unit[1], span


def _histogram(image: np.ndarray, where: np.ndarray) -> np.ndarray:
    codes = _codes(image)[where]
    hist = np.bincount(codes, minlength=BINS**3).astype(np.float64) + 0.5
    return hist / hist.sum()


def _codes(image: np.ndarray) -> np.ndarray:
    q = (image.astype(np.int32) * BINS) // 256
    return (q[..., 0] * BINS + q[..., 1]) * BINS + q[..., 2]


def _chest_core(shape: tuple[int, int], dst: Skeleton) -> np.ndarray:
    """The middle of the torso below the shoulders (the inner half of its width)."""
    poly = dst.polygon().astype(np.float64)
    centre_top, centre_bottom = (poly[0] + poly[1]) / 2, (poly[2] + poly[3]) / 2
    core = np.array(
        [
            centre_top + 0.5 * (poly[0] - centre_top) + 0.15 * (centre_bottom - centre_top),
            centre_top + 0.5 * (poly[1] - centre_top) + 0.15 * (centre_bottom - centre_top),
            centre_bottom + 0.5 * (poly[2] - centre_bottom),
            centre_bottom + 0.5 * (poly[3] - centre_bottom),
        ]
    )
    mask = np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(mask, np.round(core).astype(np.int32), 1)
    return mask > 0


def recovered_hair(image: np.ndarray, parsing: np.ndarray, dst: Skeleton) -> np.ndarray:
    """Garment-labelled pixels (hanging from the head down to a little past the shoulders) that
    are the shopper's hair: hair-coloured rather than garment-coloured and connected to the hair
    on the head. Empty when either colour model cannot be sampled."""
    shape = parsing.shape
    below, span = _offset(shape, dst)
    head = below < -HEAD_ABOVE * span
    garment = parsing == C.UPPER_CLOTHES
    hair_labelled = parsing == C.HAIR
    hair_samples = hair_labelled & (below < 0)
    if hair_samples.sum() < MIN_SAMPLES:
        # the parser found (almost) no hair: on the head, above the face, "garment" is hair
        hair_samples = (garment | hair_labelled) & head
    garment_samples = garment & _chest_core(shape, dst)
    if hair_samples.sum() < MIN_SAMPLES or garment_samples.sum() < MIN_SAMPLES:
        return np.zeros(shape, bool)
    hair_hist = _histogram(image, hair_samples)
    garment_hist = _histogram(image, garment_samples)
    candidates = garment & (below < REACH_BELOW * span)
    if not candidates.any():
        return candidates
    codes = _codes(image)
    # a colour is hair only where the hair's own samples show it: with few hair samples the
    # smoothing alone would make every colour absent from the chest (its shaded side) "hair"
    hair_counts = np.bincount(_codes(image)[hair_samples], minlength=BINS**3)
    seen = hair_counts >= MIN_HAIR_COUNT
    hairy = candidates & seen[codes] & (hair_hist[codes] > HAIR_ODDS * garment_hist[codes])
    # specks and thin lines (embroidery, a garment's anti-aliased edge against skin) are not hair
    size = max(3, round(shape[0] / 300) * 2 + 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    opened = cv2.morphologyEx((hairy | hair_labelled).astype(np.uint8), cv2.MORPH_OPEN, kernel) > 0
    hairy &= opened  # (opened with the labelled hair: a class boundary is no edge of the hair)
    seeds = (hairy & head) | hair_labelled
    count, labels = cv2.connectedComponents((hairy | hair_labelled).astype(np.uint8), connectivity=8)
    if count <= 1:
        return np.zeros(shape, bool)
    keep = np.zeros(count, bool)
    keep[np.unique(labels[seeds])] = True
    keep[0] = False
    out = keep[labels] & hairy
    # close pinholes (a darker strand inside the hair)
    size = max(3, round(shape[0] / 200) * 2 + 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    closed = cv2.morphologyEx(out.astype(np.uint8), cv2.MORPH_CLOSE, kernel) > 0
    return closed & candidates


__all__ = ["recovered_hair"]
