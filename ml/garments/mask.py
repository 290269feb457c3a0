"""The garment mask of a flat product photo ("packshot") on a light, plain ground.

Real packshots are hard for a threshold against the paper: a white tee on white paper differs
from it by a faint outline and a soft shadow only, a grey garment on grey paper likewise, prints
and labels stand out more than the fabric around them, and the drop shadow is darker than the
paper. So the ground is found the other way round, by flooding it from the image border:

* a **ground model** from the border pixels (Lab, a smooth quadratic per channel in x and y, so a
  vignetted or graded paper is still "the ground" everywhere) and the border's noise level;
* the flood may pass through **calm** pixels (a small colour gradient) whose colour is the ground's
  or a **shadow** of it (darker, same chroma); it cannot pass the garment's outline, however faint,
  and gaps in the outline narrower than ``CutoutTuning.seal`` are closed first;
* what the flood does not reach is the garment, enclosed regions included (a white tee's body,
  an invisible mannequin's inner back neckline): a hole's colour cannot tell the ground seen
  through it from a white tee's fabric seen inside the letters of its print;
* the edge is anti-aliased at full resolution (a guided filter on the image where available, a
  small feathering otherwise).

:func:`clean_binary_mask` is the older hole/shadow clean-up of a mask that comes from elsewhere (an
uploaded mask, or one stored before this function existed).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ml.errors import InvalidImage


@dataclass(frozen=True)
class CutoutTuning:
    """Every number of a packshot's cut-out. Lab units are CIE Lab (L 0..100); px are at work scale
    (the image shrunk to ``work_size`` on its long side) unless said to be at full scale."""

    work_size: int = 512  # px on the long side at which the ground is flooded
    # the ground model
    border: int = 4  # px of each image side sampled for the ground model
    mode_bin: float = 2.0  # Lab units: the bins in which the border's commonest colour is found
    mode_reach: float = 6.0  # Lab units: border samples this close to it start the ground model
    border_robust_rounds: int = 3  # re-fits of the model without its outliers (a garment at the border)
    outlier_mad: float = 4.0  # border samples this many robust deviations off the model are not ground ...
    outlier_slack: float = 1.0  # ... plus this many Lab units
    min_ground_border: float = 0.3  # share of the border the model must explain, else it is mostly garment
    # (and its lightest half is taken as the ground)
    min_spread: float = 0.05  # Lab units: the ground's least robust deviation (a composited, exact ground)
    chroma_weight: float = 2.0  # colour distances and gradients count chroma (a, b) this many times
    # the flood
    gradient_blur: float = 1.0  # px: the image is blurred this much before its colour gradient is taken
    noise_percentile: float = 90.0  # the border's noise: this percentile of its gradient
    min_calm: float = 0.6  # Lab units per px: under this a pixel is calm whatever the noise
    calm_noise: float = 3.0  # times the border's noise that still counts as calm
    min_near: float = 0.45  # Lab units: a calm pixel this close to the ground model may be ground (on a flat,
    # composited ground of one exact colour, a white tee a level off it is not ground)
    near_noise: float = 4.0  # times the border's robust colour deviation that still counts as ground colour
    seal: int = 5  # px: gaps in the garment's outline narrower than this keep the ground out
    concavity_reach: int = 4  # px the sealed ground grows back into narrow corners
    # the drop shadow
    shadow_min: float = 3.0  # L units: a shadow is at least this much darker than the ground (a white tee a
    # shade darker than the paper is not taken for one)
    shadow_depth: float = 28.0  # L units: and at most this much darker
    shadow_chroma: float = 5.0  # a shadow's chroma (a, b) stays this close to the ground's ...
    shadow_chroma_near: float = 0.5  # ... or this share of the ground-colour tolerance, if more
    shadow_calm: float = 2.5  # Lab units per px: a shadow's soft edge is calmer (a garment's edge is not)
    shadow_slope: float = 0.5  # and its gradient is at most this share of its darkening (a soft ramp:
    # the faint outline of a white tee a shade darker than its paper is steep for its depth)
    shadow_tint: float = 0.35  # a deep shadow may be tinted: its chroma may reach this share of its darkening
    shadow_open: int = 3  # px: darker areas narrower than this are a seam or a crease, no shadow
    shadow_reach: int = 24  # px a shadow reaches from the plain ground
    shadow_seal: int = 5  # px: a shadow is entered through gaps this wide (between a sleeve and the body)
    shadow_beside: int = 5  # px: the side of the window around the shadow proper in which its ramp counts
    # the halo
    halo_near: float = 4.0  # Lab units: rim pixels at most this far from the ground and much closer
    halo_ratio: float = 0.5  # to it than to the garment next to them (this share of that distance) are
    # a halo of ground (JPEG ringing, the outline's blur) and are peeled off
    halo_steps: int = 10  # px peeled at most
    halo_garment_sigma: float = 8.0  # px: the garment's colour next to a rim pixel (its blur)
    halo_clear: float = 20.0  # Lab units from the ground: clearly garment, however thin
    halo_core: int = 5  # px: the garment's colour is read this far inside its rim
    halo_known_share: float = 0.02  # local share of garment and of ground pixels needed to read their colours
    ringing_near: float = 10.0  # Lab units (chroma counted once): JPEG ringing shifts the ground this far
    # at most
    ringing_ratio: float = 0.25  # and leaves it this much closer to the ground than to the garment
    halo_sigma: float = 3.0  # px: the garment's colour next to a rim pixel is its blurred neighbourhood
    # the garment's outline and its parts
    speck_open: int = 3  # px: ground and garment specks narrower than this are dropped
    smooth: int = 5  # px: dents in the outline narrower than this are closed
    min_part: float = 0.04  # parts of the garment under this share of the largest are specks (tags, dust)
    speck_share: float = 0.03  # :func:`main_parts`' default: parts under this share of the largest are specks
    # ground seen through the garment
    pocket_min: float = 0.001  # of the image: smaller regions of plain ground inside the garment stay garment
    pocket_ring: int = 3  # px: the ring around such a region that tells ground from fabric
    pocket_off: float = 2.5  # Lab units: ring pixels this far off the ground are fabric of another colour
    pocket_off_near: float = 2.0  # ... or this many times the ground-colour tolerance, if more
    pocket_open: int = 3  # px: ground-coloured regions inside the garment narrower than this are fabric
    pocket_max: float = 0.12  # of the garment: larger ground-coloured regions inside it are fabric
    pocket_exact: float = 0.3  # share of such a region that must be of the ground's own colour ...
    # ... read as the median of the colour distance in a window this wide (px): a white panel or print
    # a level off the paper, with specks of the paper's exact colour scattered over it (grain, JPEG),
    # had its share read pixel by pixel and was cut out as a hole (the FILA tee's white band)
    pocket_median: int = 5
    pocket_match: float = 0.9  # on a photographed ground, an enclosed region this much of the ground's colour
    # is the ground (a white panel in a garment is not, all over, as close to the ground as the ground)
    pocket_ring_share: float = 0.8  # share of the ring that must be such fabric for the region to be ground
    # a photo framed on the ground
    min_framed_image: int = 64  # px: smaller images are not looked at for a frame
    framed: float = 0.6  # a "garment" filling its box's sides this fully may be a photo framed on the ground
    framed_fill: float = 0.9  # or that fills its box this fully
    frame_max_share: float = 0.95  # of the image: a frame's box is smaller than this
    frame_min_side: int = 8  # borders (``border``): a frame's box is longer than this on each side
    frame_inset: int = 2  # borders: the frame's inside is read this far inside its box
    frame_spread: float = 1.0  # Lab units: the most a frame's own ground deviates (paper, not fabric)
    framed_garment: tuple[float, float] = (0.1, 0.9)  # share of the frame a garment found inside it covers
    # (else not a frame)
    # the rim of ground the flood leaves along a white garment's outline on white paper (it stops at
    # noise: a ragged, torn-looking edge), taken off by a graph cut (OpenCV's GrabCut: the garment's
    # and the ground's colour mixtures and the image's edges) within this many px inside the outline
    outline_band: int = 6
    outline_margin: int = 12  # px of the image around the band the cut sees (the ground's colours)
    outline_rounds: int = 1  # GrabCut iterations (one: the flood's outline is already close)
    outline_seed: int = 0  # OpenCV's random generator's seed for it (the same cut every time)
    outline_fabric: float = 2.7  # Lab units from the ground: garment pixels this far off it are fabric
    # and stay (the cut, free to take them off, clipped a white sleeve's faint cuff)
    # the soft edge, at full scale
    outline_blur: float = 0.7  # px (work scale): the outline is blurred this much before it is scaled up
    crop_level: float = 0.05  # the scaled-up outline above this is in the crop whose rim is matted
    rim_sigma: float = 3.0  # px (full scale): the garment's and the ground's colours next to a rim pixel
    rim_contrast: float = 40.0  # RGB distance between the two under which the rim's colour says little
    rim_known_share: float = 0.05  # local share of garment and of ground pixels needed to read their colours
    feather: float = 0.7  # px (full scale): the rim's blur where its colour says little
    # the older clean-up of a mask that comes from elsewhere (:func:`clean_binary_mask`)
    paper_border: int = 4  # px (full scale) of the top, bottom and left sides whose median is the paper
    clean_min_pixels: int = 16  # a mask with fewer garment pixels is left as it is
    old_shadow_chroma: float = 3.0  # RGB: a shadow's colour is at most this far off a shade of the paper
    old_shadow_level: tuple[float, float] = (0.6, 0.94)  # a shadow's level, as a share of the paper's
    old_shadow_max_share: float = 0.25  # of the mask: more "shadow" than this is the garment itself


TUNING = CutoutTuning()
MAD_TO_SIGMA = 1.4826  # a normal distribution's standard deviation per median absolute deviation


def paper_colour(image: np.ndarray) -> np.ndarray:
    """The background colour (RGB): the median of a thin border (top, bottom, left)."""
    band = TUNING.paper_border
    border = [image[:band].reshape(-1, 3), image[-band:].reshape(-1, 3), image[:, :band].reshape(-1, 3)]
    return np.median(np.concatenate(border), axis=0).astype(np.float32)


def fill_holes(mask: np.ndarray) -> np.ndarray:
    """``mask`` (uint8 0/1) with every region it encloses filled."""
    padded = np.pad(mask.astype(np.uint8), 1)
    flood = padded.copy()
    cv2.floodFill(flood, None, (0, 0), 1)
    return (padded | (1 - flood))[1:-1, 1:-1]


def smooth_upscale(small: np.ndarray, size: tuple[int, int], rounding: float) -> np.ndarray:
    """A mask made on a small copy, at ``size`` (width, height) with a smooth outline. Scaled up
    pixel by pixel, its edges step by the scale factor, and a garment pasted along them shows the
    steps magnified again; here its corners are rounded over ``rounding`` small pixels first."""
    soft = small.astype(np.float32)
    if rounding > 0:
        soft = cv2.GaussianBlur(soft, (0, 0), rounding)
    return cv2.resize(soft, size, interpolation=cv2.INTER_LINEAR) > 0.5


def main_parts(mask: np.ndarray, keep: float | None = None) -> np.ndarray:
    """``mask`` without specks: connected parts under ``keep`` (by default ``TUNING.speck_share``) of
    the largest are dropped."""
    keep = TUNING.speck_share if keep is None else keep
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
    t = TUNING
    binary = fill_holes((np.asarray(mask) > 127).astype(np.uint8))
    if binary.sum() < t.clean_min_pixels:
        return binary
    rgb = image.astype(np.float32)
    paper = paper_colour(image)
    level = (rgb @ paper) / float(paper @ paper + 1e-6)
    chroma = np.abs(rgb - level[..., None] * paper[None, None]).max(axis=2)
    low, high = t.old_shadow_level
    shadowish = (chroma <= t.old_shadow_chroma) & (level > low) & (level < high) & (binary > 0)
    outside_or_shadow = ((binary == 0) | shadowish).astype(np.uint8)
    _count, labels = cv2.connectedComponents(outside_or_shadow, connectivity=4)
    outside_labels = np.unique(labels[binary == 0])
    peeled = shadowish & np.isin(labels, outside_labels)
    if 0 < peeled.sum() < t.old_shadow_max_share * binary.sum():
        binary = (binary & ~peeled).astype(np.uint8)
        binary = fill_holes(main_parts(binary > 0).astype(np.uint8))
    return binary


def _lab(rgb: np.ndarray) -> np.ndarray:
    """Lab (L 0..100, a and b around 0) of a uint8 RGB image, float32."""
    return cv2.cvtColor(rgb.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)


def _border_indices(height: int, width: int, band: int) -> tuple[np.ndarray, np.ndarray]:
    """(ys, xs) of the pixels within ``band`` of the image's sides."""
    band = min(band, height // 2, width // 2)
    top = np.mgrid[0:band, 0:width].reshape(2, -1)
    bottom = np.mgrid[height - band : height, 0:width].reshape(2, -1)
    left = np.mgrid[band : height - band, 0:band].reshape(2, -1)
    right = np.mgrid[band : height - band, width - band : width].reshape(2, -1)
    ys, xs = np.concatenate([top, bottom, left, right], axis=1)
    return ys, xs


def _design(ys: np.ndarray, xs: np.ndarray, height: int, width: int) -> np.ndarray:
    """Quadratic terms in x and y (normalised to -1..1)."""
    u = 2 * xs / max(width - 1, 1) - 1
    v = 2 * ys / max(height - 1, 1) - 1
    return np.stack([np.ones_like(u), u, v, u * v, u * u, v * v], axis=1)


def ground_model(lab: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
    """The ground's colour at every pixel (a quadratic surface per Lab channel fit to the border,
    robustly: a garment reaching the border is left out), its robust deviation, and which border
    samples were taken as ground (ys, xs, inlier)."""
    t = TUNING
    height, width = lab.shape[:2]
    ys, xs = _border_indices(height, width, t.border)
    samples = lab[ys, xs].astype(np.float64)
    design = _design(ys.astype(np.float64), xs.astype(np.float64), height, width)
    # start from the border's commonest colour (the ground, even where a garment covers much of the
    # border), then fit the surface and take back every sample it explains
    bins = np.round(samples / t.mode_bin).astype(np.int64)
    # one integer per bin, ordered as the bins' rows are (a 1-D sort, not a sort of rows)
    bins -= bins.min(axis=0)
    extent = bins.max(axis=0) + 1
    keys = (bins[:, 0] * extent[1] + bins[:, 1]) * extent[2] + bins[:, 2]
    _keys, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    mode = samples[inverse.ravel() == int(np.argmax(counts))].mean(axis=0)
    inlier = np.linalg.norm(samples - mode, axis=1) < t.mode_reach
    coef = np.zeros((design.shape[1], 3))
    spread = 1.0
    for _ in range(t.border_robust_rounds):
        coef, *_ = np.linalg.lstsq(design[inlier], samples[inlier], rcond=None)
        residual = np.linalg.norm(samples - design @ coef, axis=1)
        spread = max(float(np.median(residual[inlier])) * MAD_TO_SIGMA, t.min_spread)
        inlier = residual < t.outlier_mad * spread + t.outlier_slack
        if inlier.sum() < t.min_ground_border * len(samples):  # mostly garment: keep the lightest half
            inlier = samples[:, 0] >= np.median(samples[:, 0])
    u = (2 * np.arange(width) / max(width - 1, 1) - 1).astype(np.float32)[None, :, None]
    v = (2 * np.arange(height) / max(height - 1, 1) - 1).astype(np.float32)[:, None, None]
    c = coef.astype(np.float32)
    full = c[0] + c[1] * u + c[2] * v + c[3] * (u * v) + c[4] * (u * u) + c[5] * (v * v)
    return np.ascontiguousarray(full, dtype=np.float32), spread, inlier


def _gradient(lab: np.ndarray) -> np.ndarray:
    """Colour gradient magnitude (Lab units per px; chroma weighted), after a slight blur."""
    blurred = cv2.GaussianBlur(lab, (0, 0), TUNING.gradient_blur)
    gx = cv2.Scharr(blurred, cv2.CV_32F, 1, 0) / 32.0
    gy = cv2.Scharr(blurred, cv2.CV_32F, 0, 1) / 32.0
    weight = np.array([1.0, TUNING.chroma_weight, TUNING.chroma_weight], np.float32)
    return np.sqrt(((gx * gx + gy * gy) * weight * weight).sum(axis=2))


def _flood_from_border(passable: np.ndarray, seal: int) -> np.ndarray:
    """Pixels of ``passable`` reached from the image border through gaps at least ``seal`` wide."""
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (seal, seal))
    sealed = cv2.erode(passable.astype(np.uint8), kernel, borderType=cv2.BORDER_REPLICATE)
    _count, labels = cv2.connectedComponents(sealed, connectivity=4)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    reached = np.isin(labels, edge[edge > 0])
    return (cv2.dilate(reached.astype(np.uint8), kernel) > 0) & passable


def _geodesic_grow(seed: np.ndarray, allowed: np.ndarray, steps: int) -> np.ndarray:
    grown = seed.copy()
    ring = np.ones((3, 3), np.uint8)
    for _ in range(steps):
        more = (cv2.dilate(grown.astype(np.uint8), ring) > 0) & allowed
        if not (more & ~grown).any():
            break
        grown = more
    return grown


def _local_colour(
    lab: np.ndarray, where: np.ndarray, sigma: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The mean Lab colour of the ``where`` pixels around each pixel (within ``sigma``, by default
    ``TUNING.halo_sigma``), and their local share."""
    sigma = TUNING.halo_sigma if sigma is None else sigma
    weight = cv2.GaussianBlur(where.astype(np.float32), (0, 0), sigma)
    total = cv2.GaussianBlur(lab * where[..., None].astype(np.float32), (0, 0), sigma)
    return total / np.maximum(weight, 1e-3)[..., None], weight


def _lab_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    off = a - b
    return np.sqrt(off[..., 0] ** 2 + TUNING.chroma_weight**2 * (off[..., 1] ** 2 + off[..., 2] ** 2))


def _peel_halo(
    lab: np.ndarray, flooded: np.ndarray, shadowlike: np.ndarray, distance: np.ndarray
) -> np.ndarray:
    """``flooded`` grown over the rim pixels that are still the colour of the ground (or shadow) next
    to them rather than the garment's (a halo the flood did not reach: JPEG ringing, a blurred
    outline, the last pixels of a shadow); a white garment a shade off its paper keeps its rim (it is
    as close to the garment)."""
    t = TUNING
    ring = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * t.halo_core + 1,) * 2)
    # the garment's colour from well inside it, and from whatever is clearly not ground (a strap)
    core = (cv2.erode((~flooded).astype(np.uint8), ring) > 0) | ((distance > t.halo_clear) & ~flooded)
    garment_colour, garment_weight = _local_colour(lab, core, t.halo_garment_sigma)
    ground_colour, ground_weight = _local_colour(lab, flooded)
    to_garment = _lab_distance(lab, garment_colour)
    to_ground = _lab_distance(lab, ground_colour)
    known = (ground_weight > t.halo_known_share) & (garment_weight > t.halo_known_share)
    halo = known & ((to_ground < t.halo_near) | shadowlike) & (to_ground < t.halo_ratio * to_garment)
    # JPEG's chroma ringing along a saturated garment's edge: off the ground in colour far more than
    # in lightness, yet far closer to it than to the garment
    plain = np.linalg.norm(lab - ground_colour, axis=2)
    halo |= known & (plain < t.ringing_near) & (to_ground < t.ringing_ratio * to_garment)
    return _geodesic_grow(flooded, halo | flooded, t.halo_steps)


def _ground_pockets(
    candidates: np.ndarray, exact: np.ndarray, off_ground: np.ndarray, areas: tuple[float, float]
) -> np.ndarray:
    """Of the regions of (near) ground colour inside the garment (enclosed, or behind a gap narrower
    than the seal: a long sleeve hanging close to the body), those that are the ground: neither
    specks nor large (a white tee's body is ground-coloured too), partly of the ground's exact
    colour (JPEG ringing between dark stripes shifts the rest), and ringed by fabric clearly off
    the ground's colour."""
    t = TUNING
    count, labels, stats, _ = cv2.connectedComponentsWithStats(candidates.astype(np.uint8), connectivity=4)
    pockets = np.zeros_like(candidates)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * t.pocket_ring + 1,) * 2)
    for label in range(1, count):
        if not areas[0] <= stats[label, cv2.CC_STAT_AREA] <= areas[1]:
            continue
        x, y, w, h = stats[label, :4]
        x0, y0 = max(0, x - t.pocket_ring - 1), max(0, y - t.pocket_ring - 1)
        x1, y1 = x + w + t.pocket_ring + 1, y + h + t.pocket_ring + 1
        region = labels[y0:y1, x0:x1] == label
        if exact[y0:y1, x0:x1][region].mean() < t.pocket_exact:
            continue
        ring = (cv2.dilate(region.astype(np.uint8), kernel) > 0) & ~region
        if off_ground[y0:y1, x0:x1][ring].mean() >= t.pocket_ring_share:
            pockets[y0:y1, x0:x1] |= region
    return pockets


def garment_region(image: np.ndarray) -> np.ndarray:
    """The garment of a packshot at work scale as a bool mask (see the module docstring).

    A photo framed on a plain ground (its own, slightly different ground inside a rectangle) is cut
    out inside its frame.
    """
    t = TUNING
    height, width = image.shape[:2]
    scale = min(1.0, t.work_size / max(height, width))
    small = image
    if scale < 1.0:
        small = cv2.resize(image, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    garment = _garment_at_work_scale(small)
    rows, cols = np.flatnonzero(garment.any(axis=1)), np.flatnonzero(garment.any(axis=0))
    if rows.size and min(small.shape[:2]) >= t.min_framed_image:
        y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        box = garment[y0:y1, x0:x1]
        sides = np.concatenate([box[0], box[-1], box[:, 0], box[:, -1]])
        boxy = sides.mean() > t.framed or box.mean() > t.framed_fill
        small_box = box.size < t.frame_max_share * garment.size
        if boxy and small_box and min(box.shape) > t.frame_min_side * t.border:
            inset = t.frame_inset * t.border
            framed = small[y0 + inset : y1 - inset, x0 + inset : x1 - inset]
            _model, spread, _inlier = ground_model(_lab(framed))
            inner = _garment_at_work_scale(framed)
            # a frame's ground is plain like paper (a boxy garment's own border is not)
            if spread < t.frame_spread and t.framed_garment[0] < inner.mean() < t.framed_garment[1]:
                garment = np.zeros_like(garment)
                garment[y0 + inset : y1 - inset, x0 + inset : x1 - inset] = inner
    return garment


def _garment_at_work_scale(small: np.ndarray) -> np.ndarray:
    t = TUNING
    lab = _lab(small)
    ground, spread, _inlier = ground_model(lab)
    diff = lab - ground
    chroma = np.sqrt(diff[..., 1] ** 2 + diff[..., 2] ** 2)
    distance = np.sqrt(diff[..., 0] ** 2 + (t.chroma_weight * chroma) ** 2)
    gradient = _gradient(lab)
    ys, xs = _border_indices(*lab.shape[:2], t.border)
    noise = float(np.percentile(gradient[ys, xs], t.noise_percentile))
    calm_limit = max(t.min_calm, t.calm_noise * noise)
    calm = gradient < calm_limit
    near = max(t.min_near, t.near_noise * spread)
    ground_coloured = distance < near
    passable = calm & ground_coloured
    flooded = _flood_from_border(passable, t.seal)
    flooded = _geodesic_grow(flooded, passable, t.concavity_reach)
    neutral = chroma < np.maximum(
        max(t.shadow_chroma, near * t.shadow_chroma_near), t.shadow_tint * -diff[..., 0]
    )
    soft = gradient < np.clip(t.shadow_slope * -diff[..., 0], calm_limit, max(t.shadow_calm, calm_limit))
    flooded = _flood_shadow(flooded, diff[..., 0], soft & neutral)
    shadowlike = neutral & (diff[..., 0] < 0) & (diff[..., 0] > -t.shadow_depth)
    flooded = _peel_halo(lab, flooded, shadowlike, distance)
    flooded = _opened(flooded, t.speck_open) > 0
    garment = _opened(~flooded, t.speck_open)
    smooth = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (t.smooth, t.smooth))
    garment = cv2.morphologyEx(garment, cv2.MORPH_CLOSE, smooth) > 0  # dents of the outline
    if not garment.any():
        return garment
    garment = main_parts(garment, keep=t.min_part).astype(bool)
    # enclosed regions are garment, except what the flood reached (a gap whose mouth the smoothing
    # closed)
    filled = (fill_holes(garment.astype(np.uint8)) > 0) & (garment | ~flooded)
    garment = filled & ~_enclosed_ground(filled, distance, ground_coloured, near)
    return _settled_outline(small, garment, distance > t.outline_fabric)


def _settled_outline(small: np.ndarray, garment: np.ndarray, fabric: np.ndarray) -> np.ndarray:
    """``garment`` without the rim of ground the flood left along its outline: within
    ``outline_band`` px of it, a graph cut (the colours of the garment and of the ground, and the
    image's edges) takes off the garment pixels whose colour cannot tell (not ``fabric``), where the
    flood, deciding pixel by pixel, left a ragged rim of paper around a white tee. It only takes off:
    what the flood and the ground-pocket test called ground stays ground (let to add, the cut filled
    the ground between trouser legs, and armpits where a garment has no edge against its paper)."""
    t = TUNING
    if not garment.any():
        return garment
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * t.outline_band + 1,) * 2)
    binary = garment.astype(np.uint8)
    sure_garment = (cv2.erode(binary, disc) > 0) | (garment & fabric)
    sure_ground = ~garment
    ys, xs = np.nonzero(garment & ~sure_garment)
    if len(ys) == 0:
        return garment
    height, width = garment.shape
    y0, y1 = max(0, ys.min() - t.outline_margin), min(height, ys.max() + t.outline_margin + 1)
    x0, x1 = max(0, xs.min() - t.outline_margin), min(width, xs.max() + t.outline_margin + 1)
    labels = np.where(sure_garment, cv2.GC_FGD, np.where(sure_ground, cv2.GC_BGD, cv2.GC_PR_FGD))
    labels = np.ascontiguousarray(labels[y0:y1, x0:x1].astype(np.uint8))
    if not (labels == cv2.GC_BGD).any():
        return garment  # the garment fills the photo: no ground to weigh
    background, foreground = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    crop = np.ascontiguousarray(small[y0:y1, x0:x1])
    cv2.setRNGSeed(t.outline_seed)  # its colour mixtures start from k-means++ on OpenCV's generator
    cv2.grabCut(crop, labels, None, background, foreground, t.outline_rounds, cv2.GC_INIT_WITH_MASK)
    settled = garment.copy()
    settled[y0:y1, x0:x1] = np.isin(labels, (cv2.GC_FGD, cv2.GC_PR_FGD))
    return main_parts(settled, keep=t.min_part).astype(bool)


def _opened(mask: np.ndarray, size: int) -> np.ndarray:
    """``mask`` (uint8 0/1) without the parts narrower than a ``size`` px square."""
    return cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, np.ones((size, size), np.uint8))


def _flood_shadow(flooded: np.ndarray, lightness_off: np.ndarray, soft_neutral: np.ndarray) -> np.ndarray:
    """``flooded`` grown over the drop shadow: calm, darker, the ground's chroma (``soft_neutral``),
    entered from the plain ground through its soft edge (the ramp from ground to shadow is calm too)
    and no farther than a shadow falls; ramp pixels (a shade darker than the ground) count only next
    to the shadow proper, so a white tee a shade darker than its paper is not taken for one."""
    t = TUNING
    darker = soft_neutral & (lightness_off < -t.shadow_min) & (lightness_off > -t.shadow_depth)
    # a shadow is broad; a seam line or a fold's crease is not
    darker = _opened(darker, t.shadow_open) > 0
    if not (darker & ~flooded).any():
        return flooded
    ramp = soft_neutral & (lightness_off < 0) & (lightness_off > -t.shadow_depth)
    reached = _flood_from_border(ramp | flooded, t.shadow_seal)
    reach = cv2.distanceTransform((~flooded).astype(np.uint8), cv2.DIST_L2, 3)
    shadow = reached & darker & (reach <= t.shadow_reach)
    beside = cv2.dilate(shadow.astype(np.uint8), np.ones((t.shadow_beside, t.shadow_beside), np.uint8)) > 0
    return flooded | shadow | (reached & ramp & beside & (reach <= t.shadow_reach))


def _enclosed_ground(
    filled: np.ndarray, distance: np.ndarray, ground_coloured: np.ndarray, near: float
) -> np.ndarray:
    """The ground seen through the garment (``filled``): the pockets of :func:`_ground_pockets` among
    its ground-coloured regions."""
    t = TUNING
    off = max(t.pocket_off, t.pocket_off_near * near)
    solid = _opened(filled & (distance < off), t.pocket_open)
    if near > t.min_near:
        # on a photographed ground only where the ground comes within a seal's width: a white panel
        # inside a dark garment (a two-tone top) is ground-coloured and ringed by fabric too; on a
        # composited ground (one exact colour) no fabric is that colour over much of a region
        mouth = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * t.seal + 1,) * 2)
        count, labels = cv2.connectedComponents(solid, connectivity=4)
        near_ground = cv2.dilate((~filled).astype(np.uint8), mouth) > 0
        touching = set(np.unique(labels[near_ground & (solid > 0)]).tolist()) - {0}
        # or, enclosed, the ground itself: as close to the ground model as the ground is, all over
        # (the ground between two trouser legs whose hems touch)
        sums = np.bincount(labels.ravel(), weights=ground_coloured.ravel(), minlength=count)
        sizes = np.bincount(labels.ravel(), minlength=count)
        for label in range(1, count):
            if sizes[label] >= t.pocket_min * filled.size and sums[label] >= t.pocket_match * sizes[label]:
                touching.add(label)
        solid = np.isin(labels, sorted(touching)).astype(np.uint8)
    areas = (t.pocket_min * filled.size, t.pocket_max * filled.sum())
    exact = ground_coloured
    if t.pocket_median > 1:
        exact = cv2.medianBlur(distance.astype(np.float32), t.pocket_median) < near
    return _ground_pockets(solid > 0, exact, distance > off, areas)


def _matte_rim(rgb: np.ndarray, binary: np.ndarray) -> np.ndarray:
    """Alpha (0..1) of a binary cut-out with its one-pixel rim matted: a rim pixel's coverage is how
    far its colour lies from the ground's next to it towards the garment's just inside (a blurred
    edge where the two are too alike to tell)."""
    ring = np.ones((3, 3), np.uint8)
    core = cv2.erode(binary, ring)
    outside = 1.0 - cv2.dilate(binary, ring)
    band = (outside == 0) & (core == 0)
    t = TUNING
    geometric = cv2.GaussianBlur(binary, (0, 0), t.feather)
    alpha = core.copy()

    # the local colours are smooth: blurred at half size, read back at the rim's pixels
    ys, xs = np.nonzero(band)
    half = (max(1, binary.shape[1] // 2), max(1, binary.shape[0] // 2))
    hy = np.minimum(ys // 2, half[1] - 1)
    hx = np.minimum(xs // 2, half[0] - 1)
    small_rgb = cv2.resize(rgb, half, interpolation=cv2.INTER_AREA)

    def local(where: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        small = cv2.resize(where, half, interpolation=cv2.INTER_AREA)
        weight = cv2.GaussianBlur(small, (0, 0), t.rim_sigma / 2)
        total = cv2.GaussianBlur(small_rgb * small[..., None], (0, 0), t.rim_sigma / 2)
        return total[hy, hx] / np.maximum(weight[hy, hx], 1e-6)[:, None], weight[hy, hx]

    inner, inner_weight = local(core)
    outer, outer_weight = local(outside)
    towards = inner - outer
    contrast = np.linalg.norm(towards, axis=1)
    by_colour = np.clip(((rgb[band] - outer) * towards).sum(axis=1) / np.maximum(contrast, 1e-6) ** 2, 0, 1)
    known = (inner_weight > t.rim_known_share) & (outer_weight > t.rim_known_share)
    use_colour = (contrast >= t.rim_contrast) & known
    alpha[band] = np.where(use_colour, by_colour, geometric[band])
    return alpha


def packshot_mask(image: np.ndarray) -> np.ndarray:
    """The garment on a plain light ground as a soft mask (uint8 0..255, 255 = garment).

    See the module docstring for how the ground is told from the garment.
    """
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3 or min(image.shape[:2]) < 16:
        raise InvalidImage("A packshot must be an RGB image at least 16 px on each side.")
    image = np.ascontiguousarray(image, dtype=np.uint8)
    height, width = image.shape[:2]
    region = garment_region(image)
    if not region.any():
        return np.zeros((height, width), np.uint8)
    # back to full scale with a smooth outline, then anti-aliased on the image's own edge
    soft = cv2.GaussianBlur(region.astype(np.float32), (0, 0), TUNING.outline_blur)
    soft = cv2.resize(soft, (width, height), interpolation=cv2.INTER_LINEAR)
    binary = (soft > 0.5).astype(np.float32)
    ys, xs = np.nonzero(soft > TUNING.crop_level)
    pad = 4 * round(TUNING.rim_sigma) + 2
    y0, y1 = max(0, ys.min() - pad), min(height, ys.max() + pad + 1)
    x0, x1 = max(0, xs.min() - pad), min(width, xs.max() + pad + 1)
    crop = _matte_rim(image[y0:y1, x0:x1].astype(np.float32), binary[y0:y1, x0:x1])
    alpha = np.zeros((height, width), np.uint8)
    alpha[y0:y1, x0:x1] = np.clip(crop * 255 + 0.5, 0, 255).astype(np.uint8)
    return alpha


__all__ = [
    "clean_binary_mask",
    "fill_holes",
    "garment_region",
    "ground_model",
    "main_parts",
    "packshot_mask",
    "paper_colour",
]
