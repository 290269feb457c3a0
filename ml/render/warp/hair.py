"""The shopper's hair where the parser called it garment.

Long hair lying over the shoulders is often parsed as the top it lies on (and on some photos all of
the hair is). Removed with the old top it would be filled with background and the new garment
drawn over it. Here a colour model of the hair (sampled on the head, above the shoulders) is set
against one of the old garment (sampled in the middle of the chest, where hair rarely lies, and
wherever below it no hair hangs: a dark top's shaded sides are darker than its middle);
garment-labelled pixels that are clearly more likely hair, and connected to the head, are hair.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ml.render.warp.geometry import Skeleton
from ml.types import ParsingClass as C


@dataclass(frozen=True)
class HairTuning:
    """The colour models and the shapes of the recovered hair; lengths in shoulder spans unless said."""

    bins: int = 8  # histogram levels per RGB channel
    min_samples: int = 60  # pixels each colour model needs (hair, garment), else nothing is recovered
    histogram_prior: float = 0.5  # a pseudo-count added to every colour bin before normalising
    hair_odds: float = 2.0  # a pixel is hair when hair is this many times likelier than garment
    min_hair_count: int = 3  # hair samples a colour bin needs before a garment pixel of its colour is hair
    head_above: float = 0.25  # the head zone: this many shoulder spans (and more) above the shoulder line
    reach_below: float = 1.2  # hair may hang this many shoulder spans below the shoulder line
    core_width: float = 0.5  # the chest core (garment samples): this share of the torso's width ...
    core_below: float = 0.15  # ... from this share of the torso's length below the shoulder line, to the hips
    # the garment is also sampled below the chest core's top in every column the labelled hair
    # neither reaches nor hangs below (widened by this many shoulder spans): the shaded sides of a
    # dark top are darker than its middle, and sampled in the middle alone they read as hair
    side_clearance: float = 0.15
    speck_rows: int = 300  # specks opened away: 1 px of kernel radius per this many photo rows ...
    pinhole_rows: int = 200  # ... pinholes closed: 1 px of kernel radius per this many photo rows
    min_kernel: int = 3  # both kernels at least this many px across


TUNING = HairTuning()


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
    bins = TUNING.bins
    codes = _codes(image)[where]
    hist = np.bincount(codes, minlength=bins**3).astype(np.float64) + TUNING.histogram_prior
    return hist / hist.sum()


def _codes(image: np.ndarray) -> np.ndarray:
    bins = TUNING.bins
    q = (image.astype(np.int32) * bins) // 256
    return (q[..., 0] * bins + q[..., 1]) * bins + q[..., 2]


def _chest_core(shape: tuple[int, int], dst: Skeleton) -> np.ndarray:
    """The middle of the torso below the shoulders (the inner half of its width)."""
    width, below = TUNING.core_width, TUNING.core_below
    poly = dst.polygon().astype(np.float64)
    centre_top, centre_bottom = (poly[0] + poly[1]) / 2, (poly[2] + poly[3]) / 2
    core = np.array(
        [
            centre_top + width * (poly[0] - centre_top) + below * (centre_bottom - centre_top),
            centre_top + width * (poly[1] - centre_top) + below * (centre_bottom - centre_top),
            centre_bottom + width * (poly[2] - centre_bottom),
            centre_bottom + width * (poly[3] - centre_bottom),
        ]
    )
    mask = np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(mask, np.round(core).astype(np.int32), 1)
    return mask > 0


def _beside_hair(hair: np.ndarray, below: np.ndarray, dst: Skeleton, span: float) -> np.ndarray:
    """Below the chest core's top, outside the columns the labelled hair reaches (widened by
    ``side_clearance``) and below them: where no hair hangs (the top's sides and sleeves)."""
    t = TUNING
    torso = float(np.linalg.norm(dst.frame.down))
    size = max(t.min_kernel, round(2 * t.side_clearance * span) | 1)
    widened = cv2.dilate(hair.astype(np.uint8), np.ones((1, size), np.uint8)) > 0
    hanging = np.maximum.accumulate(widened, axis=0)
    return (below > t.core_below * torso) & ~hanging


def recovered_hair(image: np.ndarray, parsing: np.ndarray, dst: Skeleton) -> np.ndarray:
    """Garment-labelled pixels (hanging from the head down to a little past the shoulders) that
    are the shopper's hair: hair-coloured rather than garment-coloured and connected to the hair
    on the head. Empty when either colour model cannot be sampled."""
    t = TUNING
    shape = parsing.shape
    below, span = _offset(shape, dst)
    head = below < -t.head_above * span
    garment = parsing == C.UPPER_CLOTHES
    hair_labelled = parsing == C.HAIR
    hair_samples = hair_labelled & (below < 0)
    if hair_samples.sum() < t.min_samples:
        # the parser found (almost) no hair: on the head, above the face, "garment" is hair
        hair_samples = (garment | hair_labelled) & head
    garment_samples = garment & (_chest_core(shape, dst) | _beside_hair(hair_labelled, below, dst, span))
    if hair_samples.sum() < t.min_samples or garment_samples.sum() < t.min_samples:
        return np.zeros(shape, bool)
    hair_hist = _histogram(image, hair_samples)
    garment_hist = _histogram(image, garment_samples)
    candidates = garment & (below < t.reach_below * span)
    if not candidates.any():
        return candidates
    codes = _codes(image)
    # a colour is hair only where the hair's own samples show it: with few hair samples the
    # smoothing alone would make every colour absent from the chest (its shaded side) "hair"
    hair_counts = np.bincount(_codes(image)[hair_samples], minlength=t.bins**3)
    seen = hair_counts >= t.min_hair_count
    hairy = candidates & seen[codes] & (hair_hist[codes] > t.hair_odds * garment_hist[codes])
    # specks and thin lines (embroidery, a garment's anti-aliased edge against skin) are not hair
    size = max(t.min_kernel, round(shape[0] / t.speck_rows) * 2 + 1)
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
    size = max(t.min_kernel, round(shape[0] / t.pinhole_rows) * 2 + 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    closed = cv2.morphologyEx(out.astype(np.uint8), cv2.MORPH_CLOSE, kernel) > 0
    return closed & candidates


__all__ = ["recovered_hair"]
