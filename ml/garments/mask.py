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
SHADOW_TOP = 0.985  # a drop shadow is neutral and up to this share of the paper's level (its faint end too)
# A composited packshot (the garment cut out and put on a constant colour) has a ground of exactly the
# paper's colour: then even a white garment on white is told apart by the ground's flatness.
EXACT_BORDER_SHARE = 0.9  # share of border pixels within EXACT_LEVELS of the paper for a composited ground
EXACT_LEVELS = 2  # channel levels from the paper that still count as exactly the paper
EXACT_FLATNESS = 0.3  # local standard deviation (3x3, grey levels) under which a pixel is flat
NEAR_LEVELS = 4  # a ground pixel next to the sealed ground may be this far from the paper (JPEG ringing)
SEAL = 7  # px: gaps in the garment's outline narrower than this are closed before the ground is flooded
CONCAVITY_REACH = 20  # px the composited ground then grows, through exact pixels only, into narrow corners
HALO_LEVELS = 6  # rim pixels this close to the paper colour are peeled off as a halo of ground
COMPOSITED_HALO_LEVELS = 3  # the same on a composited ground (whose garment may be a shade off the paper)
HALO_STEPS = 5  # px peeled at most
HALO_SIGMA = 6.0  # px: the ground's colour next to a rim pixel is its blurred neighbourhood
MIN_GROUND_SHARE = 0.3  # a composited ground smaller than this is not the ground (a framed photo)
MAX_RECTANGULARITY = 0.92  # a "garment" filling its box this fully is the photo's frame, not a garment
# A photographed ground (paper with light falloff) is flooded from the border through calm pixels.
PHOTO_SIZE = 512  # px on the long side for the photographed-ground flood
CALM_GRADIENT = 0.6  # Lab units per px (after a 1 px blur) under which a pixel is calm ground
CALM_DISTANCE = 6.0  # Lab distance to the paper under which a calm pixel may be ground


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
    shadowish = (chroma <= 3.0) & (level > 0.6) & (level < SHADOW_TOP) & (binary > 0)
    outside_or_shadow = ((binary == 0) | shadowish).astype(np.uint8)
    _count, labels = cv2.connectedComponents(outside_or_shadow, connectivity=4)
    outside_labels = np.unique(labels[binary == 0])
    peeled = shadowish & np.isin(labels, outside_labels)
    if 0 < peeled.sum() < 0.25 * binary.sum():
        binary = (binary & ~peeled).astype(np.uint8)
        binary = fill_holes(main_parts(binary > 0).astype(np.uint8))
    return binary


def _border(pixels: np.ndarray, width: int = 4) -> np.ndarray:
    w = width
    return np.concatenate(
        [
            pixels[:w].reshape(-1, 3),
            pixels[-w:].reshape(-1, 3),
            pixels[:, :w].reshape(-1, 3),
            pixels[:, -w:].reshape(-1, 3),
        ]
    )


def _flood_from_border(passable: np.ndarray, seal: int) -> np.ndarray:
    """Pixels of ``passable`` reached from the image border through gaps wider than ``seal``."""
    kernel = np.ones((seal, seal), np.uint8)
    sealed = cv2.erode(passable.astype(np.uint8), kernel)
    _count, labels = cv2.connectedComponents(sealed, connectivity=4)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    reached = np.isin(labels, edge[edge > 0])
    return cv2.dilate(reached.astype(np.uint8), kernel).astype(bool)


def _composited_ground(image: np.ndarray) -> np.ndarray | None:
    rgb = image.astype(np.int16)
    paper = np.median(_border(rgb), axis=0)
    if (np.abs(_border(rgb) - paper).max(axis=1) <= EXACT_LEVELS).mean() < EXACT_BORDER_SHARE:
        return None
    grey = rgb.mean(axis=2).astype(np.float32)
    mean = cv2.blur(grey, (3, 3))
    deviation = np.sqrt(np.maximum(cv2.blur(grey * grey, (3, 3)) - mean * mean, 0))
    off = np.abs(rgb - paper).max(axis=2)
    exact = (off <= EXACT_LEVELS) & (deviation < EXACT_FLATNESS)
    ground = _flood_from_border(exact, SEAL) & (off <= NEAR_LEVELS)
    # into narrow concavities (armpits, between straps) the sealed flood did not enter
    for _ in range(CONCAVITY_REACH):
        grown = (cv2.dilate(ground.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0) & exact
        if not (grown & ~ground).any():
            break
        ground |= grown
    return ground


def _photographed_ground(image: np.ndarray) -> np.ndarray:
    height, width = image.shape[:2]
    scale = min(1.0, PHOTO_SIZE / max(height, width))
    small = cv2.resize(image, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB).astype(np.float32)
    lab[..., 0] *= 100 / 255
    lab[..., 1:] -= 128
    border = _border(lab, max(2, small.shape[0] // 100))
    paper = np.median(border, axis=0)
    spread = float(np.percentile(np.linalg.norm(border - paper, axis=1), 90))
    distance = np.linalg.norm(lab - paper, axis=2)
    blurred = cv2.GaussianBlur(lab, (0, 0), 1.0)
    gx = cv2.Scharr(blurred, cv2.CV_32F, 1, 0) / 32
    gy = cv2.Scharr(blurred, cv2.CV_32F, 0, 1) / 32
    calm = (distance < max(CALM_DISTANCE, 3 * spread)) & (
        np.sqrt((gx**2 + gy**2).sum(axis=2)) < CALM_GRADIENT
    )
    calm = cv2.erode(calm.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    ground = _flood_from_border(calm, SEAL) & calm
    ground = cv2.morphologyEx(ground.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    return cv2.resize(ground, (width, height), interpolation=cv2.INTER_NEAREST) > 0


def _peel_halo(image: np.ndarray, garment: np.ndarray, levels: int = HALO_LEVELS) -> np.ndarray:
    """``garment`` without its rim pixels that are still the colour of the ground next to them (a
    halo of ground the flood did not reach: JPEG ringing, the blur of the outline)."""
    rgb = image.astype(np.float32)
    ground = (garment == 0).astype(np.float32)
    weight = cv2.GaussianBlur(ground, (0, 0), HALO_SIGMA)
    local = (
        cv2.GaussianBlur(rgb * ground[..., None], (0, 0), HALO_SIGMA) / np.maximum(weight, 1e-3)[..., None]
    )
    papery = (np.abs(rgb - local).max(axis=2) <= levels) & (weight > 0.02)
    reached = garment == 0
    for _ in range(HALO_STEPS):
        grown = cv2.dilate(reached.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        reached |= grown & papery
    return ~reached


def _rectangularity(mask: np.ndarray) -> float:
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return 0.0
    return float(mask.sum() / ((rows[-1] - rows[0] + 1) * (cols[-1] - cols[0] + 1)))


def garment_region(image: np.ndarray) -> tuple[np.ndarray, bool]:
    """The garment of a packshot as uint8 0/1 (everything the ground does not reach, holes filled)
    and whether the ground is composited (then there is no drop shadow to peel off).

    The ground is flooded from the border: on a composited packshot through pixels of exactly the
    paper's colour (a white tee on white keeps its body: its fabric is never perfectly flat), on a
    photographed one through calm pixels near the paper's colour; gaps in the outline narrower than
    ``SEAL`` do not let the ground in.
    """
    ground = _composited_ground(image)
    if ground is not None and ground.mean() >= MIN_GROUND_SHARE:
        garment = fill_holes(
            main_parts(_peel_halo(image, ~ground, COMPOSITED_HALO_LEVELS), keep=0.05).astype(np.uint8)
        )
        if _rectangularity(garment) <= MAX_RECTANGULARITY:
            return garment, True
    ground = _photographed_ground(image)
    garment = cv2.morphologyEx((~ground).astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    garment = _peel_halo(image, garment > 0)
    return fill_holes(main_parts(garment, keep=0.05).astype(np.uint8)), False


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
    region, composited = garment_region(image)
    if not region.any():
        return np.zeros(image.shape[:2], np.uint8)
    binary = region if composited else clean_binary_mask(image, region * 255)

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


__all__ = ["clean_binary_mask", "fill_holes", "garment_region", "main_parts", "packshot_mask", "paper_colour"]
