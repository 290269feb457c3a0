"""The garment mask of a flat product photo ("packshot") on a light, plain ground.

Real packshots are hard for a threshold against the paper: a white tee on white paper differs
from it by a faint outline and a soft shadow only, a grey garment on grey paper likewise, prints
and labels stand out more than the fabric around them, and the drop shadow is darker than the
paper. So the ground is found the other way round, by flooding it from the image border:

* a **ground model** from the border pixels (Lab, a smooth quadratic per channel in x and y, so a
  vignetted or graded paper is still "the ground" everywhere) and the border's noise level;
* the flood may pass through **calm** pixels (a small colour gradient) whose colour is the ground's
  or a **shadow** of it (darker, same chroma); it cannot pass the garment's outline, however faint,
  and gaps in the outline narrower than ``SEAL`` are closed first;
* what the flood does not reach is the garment, enclosed regions included (a white tee's body,
  an invisible mannequin's inner back neckline): a hole's colour cannot tell the ground seen
  through it from a white tee's fabric seen inside the letters of its print;
* the edge is anti-aliased at full resolution (a guided filter on the image where available, a
  small feathering otherwise).

:func:`clean_binary_mask` is the older hole/shadow clean-up of a mask that comes from elsewhere (an
uploaded mask, or one stored before this function existed).
"""

from __future__ import annotations

import cv2
import numpy as np

from ml.errors import InvalidImage

WORK_SIZE = 512  # px on the long side at which the ground is flooded
BORDER = 4  # px (work scale) of each image side sampled for the ground model
MODE_BIN = 2.0  # Lab units: the bins in which the border's commonest colour is found
MODE_REACH = 6.0  # Lab units: border samples this close to it start the ground model
BORDER_ROBUST_ROUNDS = 3  # re-fits of the ground model without its outliers (a garment at the border)
OUTLIER_MAD = 4.0  # border samples this many robust deviations off the model are not ground
MIN_SPREAD = 0.05  # Lab units: the least robust deviation of the ground (a composited, exact ground)
MIN_CALM = 0.6  # Lab units per px (after a 1 px blur): under this a pixel is calm whatever the noise
CALM_NOISE = 3.0  # times the border's 90th gradient percentile that still counts as calm
MIN_NEAR = 0.45  # Lab units: a calm pixel this close to the ground model may be ground (on a flat,
# composited ground of one exact colour, a white tee a level off it is not ground)
NEAR_NOISE = 4.0  # times the border's robust colour deviation that still counts as ground colour
SHADOW_MIN = 3.0  # L units: a shadow is at least this much darker than the ground (a white tee a
# shade darker than the paper is not taken for one)
SHADOW_DEPTH = 28.0  # L units: and at most this much darker
SHADOW_CHROMA = 5.0  # a shadow's chroma (a, b) stays this close to the ground's
SHADOW_CALM = 2.5  # Lab units per px: a shadow's soft edge is calmer than this (a garment's edge is not)
SHADOW_SLOPE = 0.5  # and its gradient is at most this share of its darkening (a soft ramp: the faint
# outline of a white tee a shade darker than its paper is steep for its depth)
SHADOW_TINT = 0.35  # a deep shadow may be tinted: its chroma may reach this share of its darkening
SHADOW_REACH = 24  # px (work scale) a shadow reaches from the plain ground
SHADOW_SEAL = 5  # px (work scale): a shadow is entered through gaps this wide (between a sleeve and the body)
SEAL = 5  # px (work scale): gaps in the garment's outline narrower than this keep the ground out
CONCAVITY_REACH = 4  # px (work scale) the sealed ground grows back into narrow corners
MIN_PART = 0.04  # parts of the garment under this share of the largest are specks (tags, dust)
HALO_NEAR = 4.0  # Lab units: rim pixels at most this far from the ground and much closer to it than to
HALO_RATIO = 0.5  # the garment next to them (this share of that distance) are a halo of ground (JPEG
# ringing, the outline's blur) and are peeled off
HALO_STEPS = 10  # px (work scale) peeled at most
HALO_GARMENT_SIGMA = 8.0  # px (work scale): the garment's colour next to a rim pixel (its blur)
HALO_CLEAR = 20.0  # Lab units from the ground: clearly garment, however thin
HALO_CORE = 5  # px (work scale): the garment's colour is read this far inside its rim
RINGING_NEAR = 10.0  # Lab units (chroma counted once): JPEG ringing shifts the ground this far at most
RINGING_RATIO = 0.25  # and leaves it this much closer to the ground than to the garment
HALO_SIGMA = 3.0  # px (work scale): the garment's colour next to a rim pixel is its blurred neighbourhood
SMOOTH = 5  # px (work scale): dents in the outline narrower than this are closed
POCKET_MIN = 0.001  # of the image: smaller regions of plain ground inside the garment stay garment
POCKET_RING = 3  # px (work scale): the ring around such a region that tells ground from fabric
POCKET_OFF = 2.5  # Lab units (at least; twice the ground tolerance): ring pixels this far off the ground are
# fabric of another colour
POCKET_MAX = 0.12  # of the garment: larger ground-coloured regions inside it are fabric
POCKET_EXACT = 0.3  # share of such a region that must be of the ground's own colour
POCKET_MATCH = 0.9  # on a photographed ground, an enclosed region this much of the ground's colour
# is the ground (a white panel in a garment is not, all over, as close to the ground as the ground)
POCKET_RING_SHARE = 0.8  # share of the ring that must be such fabric for the region to be ground
FRAMED = 0.6  # a "garment" whose box's sides it fills this fully may be a photo framed on the ground
FRAMED_FILL = 0.9  # or that fills its box this fully
FRAME_SPREAD = 1.0  # Lab units: the most a frame's own ground deviates (paper, not fabric)
FRAMED_GARMENT = (0.1, 0.9)  # share of the frame a garment found inside it covers (else not a frame)
RIM_SIGMA = 3.0  # px (full scale): the garment's and the ground's colours next to a rim pixel
RIM_CONTRAST = 40.0  # RGB distance between the two under which the rim's colour says little
FEATHER = 0.7  # px (full scale): the rim's blur where its colour says little


def paper_colour(image: np.ndarray) -> np.ndarray:
    """The background colour (RGB): the median of a 4 px border (top, bottom, left)."""
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
    height, width = lab.shape[:2]
    ys, xs = _border_indices(height, width, BORDER)
    samples = lab[ys, xs].astype(np.float64)
    design = _design(ys.astype(np.float64), xs.astype(np.float64), height, width)
    # start from the border's commonest colour (the ground, even where a garment covers much of the
    # border), then fit the surface and take back every sample it explains
    bins = np.round(samples / MODE_BIN).astype(np.int64)
    _keys, inverse, counts = np.unique(bins, axis=0, return_inverse=True, return_counts=True)
    mode = samples[inverse.ravel() == int(np.argmax(counts))].mean(axis=0)
    inlier = np.linalg.norm(samples - mode, axis=1) < MODE_REACH
    coef = np.zeros((design.shape[1], 3))
    spread = 1.0
    for _ in range(BORDER_ROBUST_ROUNDS):
        coef, *_ = np.linalg.lstsq(design[inlier], samples[inlier], rcond=None)
        residual = np.linalg.norm(samples - design @ coef, axis=1)
        spread = max(float(np.median(residual[inlier])) * 1.4826, MIN_SPREAD)
        inlier = residual < OUTLIER_MAD * spread + 1.0
        if inlier.sum() < 0.3 * len(samples):  # the border is mostly garment: keep the lightest half
            inlier = samples[:, 0] >= np.median(samples[:, 0])
    u = (2 * np.arange(width) / max(width - 1, 1) - 1).astype(np.float32)[None, :, None]
    v = (2 * np.arange(height) / max(height - 1, 1) - 1).astype(np.float32)[:, None, None]
    c = coef.astype(np.float32)
    full = c[0] + c[1] * u + c[2] * v + c[3] * (u * v) + c[4] * (u * u) + c[5] * (v * v)
    return np.ascontiguousarray(full, dtype=np.float32), spread, inlier


def _gradient(lab: np.ndarray) -> np.ndarray:
    """Colour gradient magnitude (Lab units per px; chroma counted twice), after a 1 px blur."""
    blurred = cv2.GaussianBlur(lab, (0, 0), 1.0)
    gx = cv2.Scharr(blurred, cv2.CV_32F, 1, 0) / 32.0
    gy = cv2.Scharr(blurred, cv2.CV_32F, 0, 1) / 32.0
    weight = np.array([1.0, 2.0, 2.0], np.float32)
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
    lab: np.ndarray, where: np.ndarray, sigma: float = HALO_SIGMA
) -> tuple[np.ndarray, np.ndarray]:
    """The mean Lab colour of the ``where`` pixels around each pixel, and their local share."""
    weight = cv2.GaussianBlur(where.astype(np.float32), (0, 0), sigma)
    total = cv2.GaussianBlur(lab * where[..., None].astype(np.float32), (0, 0), sigma)
    return total / np.maximum(weight, 1e-3)[..., None], weight


def _lab_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    off = a - b
    return np.sqrt(off[..., 0] ** 2 + 4 * (off[..., 1] ** 2 + off[..., 2] ** 2))


def _peel_halo(
    lab: np.ndarray, flooded: np.ndarray, shadowlike: np.ndarray, distance: np.ndarray
) -> np.ndarray:
    """``flooded`` grown over the rim pixels that are still the colour of the ground (or shadow) next
    to them rather than the garment's (a halo the flood did not reach: JPEG ringing, a blurred
    outline, the last pixels of a shadow); a white garment a shade off its paper keeps its rim (it is
    as close to the garment)."""
    ring = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * HALO_CORE + 1,) * 2)
    # the garment's colour from well inside it, and from whatever is clearly not ground (a strap)
    core = (cv2.erode((~flooded).astype(np.uint8), ring) > 0) | ((distance > HALO_CLEAR) & ~flooded)
    garment_colour, garment_weight = _local_colour(lab, core, HALO_GARMENT_SIGMA)
    ground_colour, ground_weight = _local_colour(lab, flooded)
    to_garment = _lab_distance(lab, garment_colour)
    to_ground = _lab_distance(lab, ground_colour)
    known = (ground_weight > 0.02) & (garment_weight > 0.02)
    halo = known & ((to_ground < HALO_NEAR) | shadowlike) & (to_ground < HALO_RATIO * to_garment)
    # JPEG's chroma ringing along a saturated garment's edge: off the ground in colour far more than
    # in lightness, yet far closer to it than to the garment
    plain = np.linalg.norm(lab - ground_colour, axis=2)
    halo |= known & (plain < RINGING_NEAR) & (to_ground < RINGING_RATIO * to_garment)
    return _geodesic_grow(flooded, halo | flooded, HALO_STEPS)


def _ground_pockets(
    candidates: np.ndarray, exact: np.ndarray, off_ground: np.ndarray, areas: tuple[float, float]
) -> np.ndarray:
    """Of the regions of (near) ground colour inside the garment (enclosed, or behind a gap narrower
    than the seal: a long sleeve hanging close to the body), those that are the ground: neither
    specks nor large (a white tee's body is ground-coloured too), partly of the ground's exact
    colour (JPEG ringing between dark stripes shifts the rest), and ringed by fabric clearly off
    the ground's colour."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(candidates.astype(np.uint8), connectivity=4)
    pockets = np.zeros_like(candidates)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * POCKET_RING + 1,) * 2)
    for label in range(1, count):
        if not areas[0] <= stats[label, cv2.CC_STAT_AREA] <= areas[1]:
            continue
        x, y, w, h = stats[label, :4]
        x0, y0 = max(0, x - POCKET_RING - 1), max(0, y - POCKET_RING - 1)
        x1, y1 = x + w + POCKET_RING + 1, y + h + POCKET_RING + 1
        region = labels[y0:y1, x0:x1] == label
        if exact[y0:y1, x0:x1][region].mean() < POCKET_EXACT:
            continue
        ring = (cv2.dilate(region.astype(np.uint8), kernel) > 0) & ~region
        if off_ground[y0:y1, x0:x1][ring].mean() >= POCKET_RING_SHARE:
            pockets[y0:y1, x0:x1] |= region
    return pockets


def garment_region(image: np.ndarray) -> np.ndarray:
    """The garment of a packshot at work scale as a bool mask (see the module docstring).

    A photo framed on a plain ground (its own, slightly different ground inside a rectangle) is cut
    out inside its frame.
    """
    height, width = image.shape[:2]
    scale = min(1.0, WORK_SIZE / max(height, width))
    small = image
    if scale < 1.0:
        small = cv2.resize(image, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    garment = _garment_at_work_scale(small)
    rows, cols = np.flatnonzero(garment.any(axis=1)), np.flatnonzero(garment.any(axis=0))
    if rows.size and min(small.shape[:2]) >= 64:
        y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        box = garment[y0:y1, x0:x1]
        sides = np.concatenate([box[0], box[-1], box[:, 0], box[:, -1]])
        boxy = sides.mean() > FRAMED or box.mean() > FRAMED_FILL
        if boxy and box.size < 0.95 * garment.size and min(box.shape) > 8 * BORDER:
            inset = 2 * BORDER
            framed = small[y0 + inset : y1 - inset, x0 + inset : x1 - inset]
            _model, spread, _inlier = ground_model(_lab(framed))
            inner = _garment_at_work_scale(framed)
            # a frame's ground is plain like paper (a boxy garment's own border is not)
            if spread < FRAME_SPREAD and FRAMED_GARMENT[0] < inner.mean() < FRAMED_GARMENT[1]:
                garment = np.zeros_like(garment)
                garment[y0 + inset : y1 - inset, x0 + inset : x1 - inset] = inner
    return garment


def _garment_at_work_scale(small: np.ndarray) -> np.ndarray:
    lab = _lab(small)
    ground, spread, _inlier = ground_model(lab)
    diff = lab - ground
    chroma = np.sqrt(diff[..., 1] ** 2 + diff[..., 2] ** 2)
    distance = np.sqrt(diff[..., 0] ** 2 + (2 * chroma) ** 2)
    gradient = _gradient(lab)
    ys, xs = _border_indices(*lab.shape[:2], BORDER)
    noise = float(np.percentile(gradient[ys, xs], 90))
    calm_limit = max(MIN_CALM, CALM_NOISE * noise)
    calm = gradient < calm_limit
    near = max(MIN_NEAR, NEAR_NOISE * spread)
    ground_coloured = distance < near
    passable = calm & ground_coloured
    flooded = _flood_from_border(passable, SEAL)
    flooded = _geodesic_grow(flooded, passable, CONCAVITY_REACH)
    # the drop shadow: calm, darker, the ground's chroma, entered from the plain ground through its
    # soft edge (the ramp from ground to shadow is calm too) and no farther than a shadow falls;
    # ramp pixels (a shade darker than the ground) count only next to the shadow proper, so a white
    # tee a shade darker than its paper is not taken for one
    neutral = chroma < np.maximum(max(SHADOW_CHROMA, near / 2), SHADOW_TINT * -diff[..., 0])
    soft = gradient < np.clip(SHADOW_SLOPE * -diff[..., 0], calm_limit, max(SHADOW_CALM, calm_limit))
    darker = soft & neutral & (diff[..., 0] < -SHADOW_MIN) & (diff[..., 0] > -SHADOW_DEPTH)
    # a shadow is broad; a seam line or a fold's crease is not
    darker = cv2.morphologyEx(darker.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) > 0
    if (darker & ~flooded).any():
        ramp = soft & neutral & (diff[..., 0] < 0) & (diff[..., 0] > -SHADOW_DEPTH)
        reached = _flood_from_border(ramp | flooded, SHADOW_SEAL)
        reach = cv2.distanceTransform((~flooded).astype(np.uint8), cv2.DIST_L2, 3)
        shadow = reached & darker & (reach <= SHADOW_REACH)
        beside = cv2.dilate(shadow.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
        flooded |= shadow | (reached & ramp & beside & (reach <= SHADOW_REACH))
    shadowlike = neutral & (diff[..., 0] < 0) & (diff[..., 0] > -SHADOW_DEPTH)
    flooded = _peel_halo(lab, flooded, shadowlike, distance)
    flooded = cv2.morphologyEx(flooded.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) > 0
    garment = ~flooded
    garment = cv2.morphologyEx(garment.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    smooth = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (SMOOTH, SMOOTH))
    garment = cv2.morphologyEx(garment, cv2.MORPH_CLOSE, smooth) > 0  # dents of the outline
    if not garment.any():
        return garment
    garment = main_parts(garment, keep=MIN_PART).astype(bool)
    # enclosed regions are garment, except what the flood reached (a gap whose mouth the smoothing
    # closed)
    filled = (fill_holes(garment.astype(np.uint8)) > 0) & (garment | ~flooded)
    off = max(POCKET_OFF, 2 * near)
    solid = cv2.morphologyEx(
        (filled & (distance < off)).astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)
    )
    if near > MIN_NEAR:
        # on a photographed ground only where the ground comes within a seal's width: a white panel
        # inside a dark garment (a two-tone top) is ground-coloured and ringed by fabric too; on a
        # composited ground (one exact colour) no fabric is that colour over much of a region
        mouth = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * SEAL + 1,) * 2)
        _count, labels = cv2.connectedComponents(solid, connectivity=4)
        near_ground = cv2.dilate((~filled).astype(np.uint8), mouth) > 0
        touching = set(np.unique(labels[near_ground & (solid > 0)]).tolist()) - {0}
        # or, enclosed, the ground itself: as close to the ground model as the ground is, all over
        # (the ground between two trouser legs whose hems touch)
        sums = np.bincount(labels.ravel(), weights=ground_coloured.ravel(), minlength=_count)
        sizes = np.bincount(labels.ravel(), minlength=_count)
        for label in range(1, _count):
            if sizes[label] >= POCKET_MIN * filled.size and sums[label] >= POCKET_MATCH * sizes[label]:
                touching.add(label)
        solid = np.isin(labels, sorted(touching)).astype(np.uint8)
    areas = (POCKET_MIN * filled.size, POCKET_MAX * filled.sum())
    pockets = _ground_pockets(solid > 0, ground_coloured, distance > off, areas)
    return filled & ~pockets


def _matte_rim(rgb: np.ndarray, binary: np.ndarray) -> np.ndarray:
    """Alpha (0..1) of a binary cut-out with its one-pixel rim matted: a rim pixel's coverage is how
    far its colour lies from the ground's next to it towards the garment's just inside (a blurred
    edge where the two are too alike to tell)."""
    ring = np.ones((3, 3), np.uint8)
    core = cv2.erode(binary, ring)
    outside = 1.0 - cv2.dilate(binary, ring)
    band = (outside == 0) & (core == 0)
    geometric = cv2.GaussianBlur(binary, (0, 0), FEATHER)
    alpha = core.copy()

    # the local colours are smooth: blurred at half size, read back at the rim's pixels
    ys, xs = np.nonzero(band)
    half = (max(1, binary.shape[1] // 2), max(1, binary.shape[0] // 2))
    hy = np.minimum(ys // 2, half[1] - 1)
    hx = np.minimum(xs // 2, half[0] - 1)
    small_rgb = cv2.resize(rgb, half, interpolation=cv2.INTER_AREA)

    def local(where: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        small = cv2.resize(where, half, interpolation=cv2.INTER_AREA)
        weight = cv2.GaussianBlur(small, (0, 0), RIM_SIGMA / 2)
        total = cv2.GaussianBlur(small_rgb * small[..., None], (0, 0), RIM_SIGMA / 2)
        return total[hy, hx] / np.maximum(weight[hy, hx], 1e-6)[:, None], weight[hy, hx]

    inner, inner_weight = local(core)
    outer, outer_weight = local(outside)
    towards = inner - outer
    contrast = np.linalg.norm(towards, axis=1)
    by_colour = np.clip(((rgb[band] - outer) * towards).sum(axis=1) / np.maximum(contrast, 1e-6) ** 2, 0, 1)
    use_colour = (contrast >= RIM_CONTRAST) & (inner_weight > 0.05) & (outer_weight > 0.05)
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
    soft = cv2.GaussianBlur(region.astype(np.float32), (0, 0), 0.7)
    soft = cv2.resize(soft, (width, height), interpolation=cv2.INTER_LINEAR)
    binary = (soft > 0.5).astype(np.float32)
    ys, xs = np.nonzero(soft > 0.05)
    pad = 4 * round(RIM_SIGMA) + 2
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
