"""The garment mask of a flat product photo ("packshot") on a light, plain background.

A mask thresholded against the background has three faults: holes where a light fabric is close
to the paper (white stripes, ivory), the soft drop shadow under the garment, and a hard edge that
cuts through the anti-aliased rim. :func:`packshot_mask` fixes all three; :func:`clean_binary_mask`
is the hole/shadow part on its own, for masks that come from elsewhere (an uploaded mask, or one
stored before this function existed).
"""

from __future__ import annotations

import cv2
import numpy as np

from ml.errors import InvalidImage

THRESHOLD = 18  # channel difference from the paper that counts as garment
MIN_CONTRAST = 40.0  # below this garment-paper distance the rim's colour says little about coverage


def paper_colour(image: np.ndarray) -> np.ndarray:
    """The background colour: the median of a 4 px border (top, bottom, left)."""
    border = [image[:4].reshape(-1, 3), image[-4:].reshape(-1, 3), image[:, :4].reshape(-1, 3)]
    return np.median(np.concatenate(border), axis=0).astype(np.float32)


def fill_holes(mask: np.ndarray) -> np.ndarray:
    """``mask`` (uint8 0/1) with every region it encloses filled."""
    padded = np.pad(mask.astype(np.uint8), 1)
    flood = padded.copy()
    cv2.floodFill(flood, None, (0, 0), 1)
    return (padded | (1 - flood))[1:-1, 1:-1]


def main_parts(mask: np.ndarray, keep: float = 0.03) -> np.ndarray:
    """``mask`` without specks: connected parts under ``keep`` of the largest are dropped."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    if count <= 2:
        return mask
    areas = stats[1:, cv2.CC_STAT_AREA]
    good = np.flatnonzero(areas >= keep * areas.max()) + 1
    return np.isin(labels, good)


def clean_binary_mask(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """A packshot's mask (0..255) as uint8 0/1 with holes filled and the drop shadow peeled off.

    The shadow is the neutral pixels a little darker than the paper (same hue, 60-94 % of its
    level) reachable from outside the garment; a light fabric has some colour or is lighter.
    """
    binary = fill_holes((np.asarray(mask) > 127).astype(np.uint8))
    if binary.sum() < 16:
        return binary
    rgb = image.astype(np.float32)
    paper = paper_colour(image)
    level = (rgb @ paper) / float(paper @ paper + 1e-6)
    chroma = np.abs(rgb - level[..., None] * paper[None, None]).max(axis=2)
    shadowish = (chroma <= 3.0) & (level > 0.6) & (level < 0.94) & (binary > 0)
    outside_or_shadow = ((binary == 0) | shadowish).astype(np.uint8)
    _count, labels = cv2.connectedComponents(outside_or_shadow, connectivity=4)
    outside_labels = np.unique(labels[binary == 0])
    peeled = shadowish & np.isin(labels, outside_labels)
    if 0 < peeled.sum() < 0.25 * binary.sum():
        binary = (binary & ~peeled).astype(np.uint8)
        binary = fill_holes(main_parts(binary > 0).astype(np.uint8))
    return binary


def packshot_mask(image: np.ndarray) -> np.ndarray:
    """The garment on a flat light background as a soft mask (uint8 0..255, 255 = garment).

    Everything clearly darker or more coloured than the paper, closed, the largest part kept,
    holes filled, the drop shadow peeled off; the edge is anti-aliased: on a rim pixel the
    coverage is read from how far its colour lies from the paper towards the garment's colour
    just inside (a blurred edge where garment and paper are too alike to tell).
    """
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3 or min(image.shape[:2]) < 16:
        raise InvalidImage("A packshot must be an RGB image at least 16 px on each side.")
    rgb = image.astype(np.float32)
    paper = paper_colour(image)
    distance = np.abs(rgb - paper).max(axis=2)
    rough = (distance > THRESHOLD).astype(np.uint8)
    rough = cv2.morphologyEx(rough, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(rough, connectivity=8)
    if count <= 1:
        return np.zeros(image.shape[:2], np.uint8)
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    binary = clean_binary_mask(image, (labels == best).astype(np.uint8) * 255)

    ring = np.ones((3, 3), np.uint8)
    core = cv2.erode(binary, ring)
    outer = cv2.dilate(binary, ring)
    band = (outer > 0) & (core == 0)
    geometric = cv2.GaussianBlur(binary.astype(np.float32), (0, 0), 0.7)
    alpha = core.astype(np.float32)
    # the garment's colour just inside the rim (a normalised blur of the core's pixels)
    sigma = 3.0
    weight = cv2.GaussianBlur(core.astype(np.float32), (0, 0), sigma)
    inner = cv2.GaussianBlur(rgb * core[..., None], (0, 0), sigma) / np.maximum(weight, 1e-6)[..., None]
    towards = inner[band] - paper
    contrast = np.linalg.norm(towards, axis=1)
    by_colour = np.clip(((rgb[band] - paper) * towards).sum(axis=1) / np.maximum(contrast, 1e-6) ** 2, 0, 1)
    use_colour = (contrast >= MIN_CONTRAST) & (weight[band] > 0.05)
    rim = np.where(use_colour, by_colour, geometric[band])
    # pixels outside the binary mask only ever add a faint fringe (the shadow must not come back)
    rim = np.where(binary[band] > 0, np.maximum(rim, 0.5 * geometric[band]), np.minimum(rim, 0.5))
    alpha[band] = rim
    return np.clip(alpha * 255 + 0.5, 0, 255).astype(np.uint8)


__all__ = ["clean_binary_mask", "fill_holes", "main_parts", "packshot_mask", "paper_colour"]
