"""Landmarks of a front-view flat garment estimated from its mask's contour."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ml.errors import InvalidImage
from ml.garments.landmarks import GARMENT_LANDMARKS
from ml.garments.structure import GarmentStructure, read_structure
from ml.types import GarmentKind


@dataclass(frozen=True)
class EstimateTuning:
    """Every number of estimating landmarks from a garment's contour. Shares are of the garment's box
    (its width or height, sleeves and all); px are the packshot's pixels."""

    tie_break: float = 1e-3  # rows per px from the centre: of equally high points the nearer one wins
    corner_slope: float = 0.5  # hem and leg corners: lowest and outermost, a px out counting this many down
    # tops and dresses
    neck_band: float = 0.28  # of the width: the neckline corners lie within this of the centre ...
    min_neck_band: int = 3  # ... and at least this many px
    neck_centre_rows: float = 0.5  # px: the neckline's centre spans the columns this close to its deepest row
    armpit_search: float = 0.55  # of the height: a top's armpits lie above this ...
    dress_armpit_search: float = 0.3  # ... and a dress's above this
    armpit_jump: float = 0.03  # of the width: the body's edge jumping in this much between rows is an armpit
    armhole_blur: float = 2.0  # rows: the sleeveless body's width is smoothed this much ...
    armhole_calm: float = 0.15  # ... and the armhole ends where it widens at under this share of its fastest
    body_slack: int = 2  # px: a hem corner lies at most this far outside the body's run on its row
    waist_below_armpit: int = 2  # rows: a dress's waist is looked for this far below the armpits ...
    waist_reach: float = 0.6  # ... down to this share of the way to the hem
    sleeve_off_side: float = 2.0  # px: a sleeve's contour lies this far outside the body's side line ...
    sleeve_off_armpit: float = 2.0  # ... and this far outside the armpit's column
    cuff_corner_weight: float = 0.7  # a cuff corner: farthest along the sleeve, plus this per px across
    min_sleeve_pixels: int = 50  # a sleeve piece smaller than this is read from the contour instead
    sleeve_min_width: float = 0.05  # of the width: a sleeve is at least this wide (thinner strips are not)
    # a sleeve piece this much longer than wide (its pixels' variances) has a long axis of its own
    sleeve_elongation: float = 2.0
    # of the width: a sleeve's outline is straightened within this to find its opening: the run of
    # edges facing along the sleeve at least this much (cosine) ...
    cuff_simplify: float = 0.015
    cuff_facing: float = 0.5
    cuff_probe: float = 3.0  # px: ... on the garment's own edge (ground this far beyond the straightening)
    armpit_on_outline: float = 0.02  # of the width: an armpit this close to the outline starts the sleeve's
    # arc of it (farther, it is hidden under the sleeve)
    # bottoms
    waist_band: float = 0.01  # of the height: the waistband's corners are the outermost points this close
    # to the top
    crotch_off_axis: float = 0.15  # of the width: the crotch lies this close to the centre ...
    crotch_below_top: float = 0.2  # of the height: ... at least this far below the top ...
    crotch_depth: float = 0.1  # of the height: ... at the bottom of a notch at least this deep


TUNING = EstimateTuning()


def _largest_component(mask: np.ndarray) -> np.ndarray:
    binary = (mask > 127).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if count <= 1:
        raise InvalidImage("The garment mask is empty, so its landmarks cannot be found.")
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    return (labels == best).astype(np.uint8)


def _extreme(points: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    best = points[int(np.argmax(score))]
    return float(best[0]), float(best[1])


def estimate_landmarks(
    image: np.ndarray | None,
    mask: np.ndarray,
    kind: GarmentKind,
    *,
    structure: GarmentStructure | None = None,
) -> dict[str, tuple[float, float]]:
    """Landmarks of a front-view flat garment from its mask's contour.

    ``image`` is accepted for future colour cues and may be None. Bottoms are treated as
    trousers when the mask has a crotch notch (a deep gap between two legs), else as a skirt.
    A top or dress whose structure (:func:`ml.garments.structure.read_structure`, read here when
    not given) has no sleeves gets its shoulders on the straps or shoulder seams' outer ends and
    its armpits where the armholes end, with the sleeve corners on them.
    """
    kind = GarmentKind(kind)
    binary = _largest_component(np.asarray(mask))
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    contour = max(contours, key=cv2.contourArea)
    pts = contour[:, 0, :].astype(np.float32)
    x0, y0, bw, bh = cv2.boundingRect(contour)
    _ys, xs = np.nonzero(binary)
    cx = float(xs.mean())
    if kind == GarmentKind.BOTTOM:
        return _estimate_lower(binary, pts, contour, cx, (x0, y0, bw, bh))
    structure = structure if structure is not None else read_structure(mask, kind)
    if structure.read_as not in ("top", "dress"):
        return _estimate_upper(binary, pts, cx, (x0, y0, bw, bh), kind)
    if structure.sleeves == "none":
        return _sleeveless_from_structure(binary, pts, cx, (x0, y0, bw, bh), kind, structure)
    # sleeves: the structure's armpits (the corner under each sleeve, or where a hanging sleeve
    # parts from the body), the sleeve openings and the rest from the contour
    armpits = (structure.points["armpit_right"], structure.points["armpit_left"])
    return _estimate_upper(binary, pts, cx, (x0, y0, bw, bh), kind, armpits=armpits)


def _sleeveless_from_structure(
    binary: np.ndarray,
    pts: np.ndarray,
    cx: float,
    box: tuple[int, int, int, int],
    kind: GarmentKind,
    structure: GarmentStructure,
) -> dict[str, tuple[float, float]]:
    """Landmarks of a sleeveless top or dress: the structure's neckline, shoulders (strap tops) and
    armpits (where the armholes end), the sleeve corners on them, hem (and waist) as usual."""
    try:
        out = dict(_estimate_upper(binary, pts, cx, box, kind))
    except (ValueError, IndexError):
        out = {}
    sp = structure.points
    for name in ("neckline_left", "neckline_right", "neckline_center", "hem_left", "hem_right"):
        out.setdefault(name, sp[name])
    for side in ("left", "right"):
        out[f"shoulder_{side}"] = sp[f"shoulder_{side}"]
        out[f"armpit_{side}"] = sp[f"armpit_{side}"]
        out[f"sleeve_{side}_outer"] = sp[f"shoulder_{side}"]
        out[f"sleeve_{side}_inner"] = sp[f"armpit_{side}"]
    if kind == GarmentKind.DRESS:
        for side in ("left", "right"):
            name = f"waist_{side}"
            if name in sp:
                out[name] = sp[name]
    names = GARMENT_LANDMARKS["dress" if kind == GarmentKind.DRESS else "top"]
    return {name: (float(out[name][0]), float(out[name][1])) for name in names}


def _defects(contour: np.ndarray) -> list[tuple[tuple[float, float], float]]:
    hull = cv2.convexHull(contour, returnPoints=False)
    try:
        found = cv2.convexityDefects(contour, hull)
    except cv2.error:
        found = None
    if found is None:
        return []
    return [
        ((float(contour[f, 0, 0]), float(contour[f, 0, 1])), d / 256.0) for _s, _e, f, d in found[:, 0, :]
    ]


def _estimate_lower(
    binary: np.ndarray, pts: np.ndarray, contour: np.ndarray, cx: float, box: tuple[int, int, int, int]
) -> dict[str, tuple[float, float]]:
    t = TUNING
    _x0, y0, bw, bh = box
    out: dict[str, tuple[float, float]] = {}
    top_band = pts[pts[:, 1] <= y0 + t.waist_band * bh]
    out["waist_right"] = _extreme(top_band, -top_band[:, 0])
    out["waist_left"] = _extreme(top_band, top_band[:, 0])
    crotch = [
        (pt, depth)
        for pt, depth in _defects(contour)
        if abs(pt[0] - cx) < t.crotch_off_axis * bw
        and pt[1] > y0 + t.crotch_below_top * bh
        and depth > t.crotch_depth * bh
    ]
    slope = t.corner_slope
    if not crotch:
        out["hem_right"] = _extreme(pts, pts[:, 1] - slope * pts[:, 0])
        out["hem_left"] = _extreme(pts, pts[:, 1] + slope * pts[:, 0])
        return out
    crotch_pt = max(crotch, key=lambda c: c[1])[0]
    out["crotch"] = crotch_pt
    cxp = crotch_pt[0]
    below = pts[pts[:, 1] > crotch_pt[1]]
    right_leg, left_leg = below[below[:, 0] < cxp], below[below[:, 0] >= cxp]
    out["leg_right_outer"] = _extreme(right_leg, right_leg[:, 1] - slope * right_leg[:, 0])
    out["leg_right_inner"] = _extreme(right_leg, right_leg[:, 1] + slope * right_leg[:, 0])
    out["leg_left_outer"] = _extreme(left_leg, left_leg[:, 1] + slope * left_leg[:, 0])
    out["leg_left_inner"] = _extreme(left_leg, left_leg[:, 1] - slope * left_leg[:, 0])
    return out


def _estimate_upper(
    binary: np.ndarray,
    pts: np.ndarray,
    cx: float,
    box: tuple[int, int, int, int],
    kind: GarmentKind,
    armpits: tuple[tuple[float, float], tuple[float, float]] | None = None,
) -> dict[str, tuple[float, float]]:
    x0, y0, bw, bh = box
    is_dress = kind == GarmentKind.DRESS
    out: dict[str, tuple[float, float]] = {}
    # Top profile: first garment row per column.
    cols = np.arange(x0, x0 + bw)
    has = binary[:, cols].any(axis=0)
    top = np.where(has, binary[:, cols].argmax(axis=0), binary.shape[0]).astype(np.float32)
    deepest = _neckline(out, top, round(cx) - x0, x0)
    y_first = int(deepest) + 1
    lefts, rights = _body_edges(binary, round(cx), y_first, y0 + bh - 1)
    search = int((TUNING.dress_armpit_search if is_dress else TUNING.armpit_search) * bh)
    sleeveless = _armpits(out, lefts, rights, y_first, search, bw, armpits)
    _hem_corners(out, pts, lefts, rights, y_first)
    if is_dress:
        _dress_waist(out, lefts, rights, y_first)
    for side, sign in (("right", -1), ("left", 1)):
        if not sleeveless:
            _sleeve_corners(out, binary, pts, side, sign, top, deepest, box)
        _shoulder(out, side, top, box, sleeveless)
    names = GARMENT_LANDMARKS["dress" if is_dress else "top"]
    return {name: (float(out[name][0]), float(out[name][1])) for name in names}


def _neckline(out: dict[str, tuple[float, float]], top: np.ndarray, centre: int, x0: int) -> float:
    """The neckline's corners and centre put in ``out`` from the top profile ``top`` (of the box's
    columns; ``centre`` is the garment's centre column in it); its deepest row."""
    bw = len(top)
    half = max(TUNING.min_neck_band, int(TUNING.neck_band * bw))
    right_cols = np.arange(max(0, centre - half), centre)
    left_cols = np.arange(centre + 1, min(bw, centre + half + 1))
    # The neckline corners are the highest points either side of the centre.
    tie = TUNING.tie_break
    r = right_cols[np.argmin(top[right_cols] + tie * (centre - right_cols))]
    l_ = left_cols[np.argmin(top[left_cols] + tie * (left_cols - centre))]
    out["neckline_right"] = (float(x0 + r), float(top[r]))
    out["neckline_left"] = (float(x0 + l_), float(top[l_]))
    mid = np.arange(r, l_ + 1)
    deepest = top[mid].max()
    c = mid[top[mid] >= deepest - TUNING.neck_centre_rows].mean()
    out["neckline_center"] = (float(x0 + c), float(deepest))
    return deepest


def _body_edges(binary: np.ndarray, xi: int, y_first: int, y_last: int) -> tuple[np.ndarray, np.ndarray]:
    """The body's left and right edge on each row from ``y_first`` to ``y_last``: the ends of the row's
    run through the centre column ``xi``."""
    rows = binary[y_first : y_last + 1]
    inward = rows[:, xi::-1]  # from the centre column out to the left
    outward = rows[:, xi:]  # and out to the right
    left_gap = np.where(inward.all(axis=1), xi + 1, np.argmin(inward, axis=1))
    right_gap = np.where(outward.all(axis=1), rows.shape[1] - xi, np.argmin(outward, axis=1))
    return (xi - left_gap + 1).astype(np.float32), (xi + right_gap - 1).astype(np.float32)


def _armpits(
    out: dict[str, tuple[float, float]],
    lefts: np.ndarray,
    rights: np.ndarray,
    y_first: int,
    search: int,
    bw: int,
    armpits: tuple[tuple[float, float], tuple[float, float]] | None,
) -> bool:
    """The armpits put in ``out`` (the given ones, else read from the body's edges on its first
    ``search`` rows); whether the garment is sleeveless.

    Where a sleeve parts from the body, the body's edge jumps inwards from one row to the next;
    without sleeves, the armpit is where the armhole's outward sweep ends."""
    jump = TUNING.armpit_jump * bw
    jump_r = np.nonzero(np.diff(lefts[:search]) > jump)[0]
    jump_l = np.nonzero(np.diff(rights[:search]) < -jump)[0]
    sleeveless = len(jump_r) == 0 or len(jump_l) == 0
    if armpits is not None:
        out["armpit_right"], out["armpit_left"] = armpits
        return False
    if not sleeveless:
        kr, kl = int(jump_r[0]) + 1, int(jump_l[0]) + 1
        out["armpit_right"] = (float(lefts[kr]), float(y_first + kr))
        out["armpit_left"] = (float(rights[kl]), float(y_first + kl))
        return False
    width = cv2.GaussianBlur((rights - lefts)[:search].reshape(-1, 1), (1, 0), TUNING.armhole_blur).ravel()
    grow = np.gradient(width)
    peak = int(np.argmax(grow))
    calm = np.nonzero(grow[peak:] < TUNING.armhole_calm * max(float(grow[peak]), 1e-3))[0]
    k = peak + (int(calm[0]) if len(calm) else 0)
    out["armpit_right"] = (float(lefts[k]), float(y_first + k))
    out["armpit_left"] = (float(rights[k]), float(y_first + k))
    return True


def _hem_corners(
    out: dict[str, tuple[float, float]], pts: np.ndarray, lefts: np.ndarray, rights: np.ndarray, y_first: int
) -> None:
    """The hem corners put in ``out``: the lowest-and-outermost contour points of the body below the
    armpits, where the body is the run through the centre line (hanging sleeves excluded)."""
    slack, slope = TUNING.body_slack, TUNING.corner_slope
    below = pts[pts[:, 1] > out["armpit_right"][1]]
    rows = np.clip(below[:, 1].astype(int) - y_first, 0, len(lefts) - 1)
    body = below[(below[:, 0] >= lefts[rows] - slack) & (below[:, 0] <= rights[rows] + slack)]
    out["hem_right"] = _extreme(body, body[:, 1] - slope * body[:, 0])
    out["hem_left"] = _extreme(body, body[:, 1] + slope * body[:, 0])


def _dress_waist(
    out: dict[str, tuple[float, float]], lefts: np.ndarray, rights: np.ndarray, y_first: int
) -> None:
    """A dress's waist put in ``out``: the body's narrowest row between the armpits and a share of the
    way down to the hem."""
    ka = int(out["armpit_right"][1]) - y_first
    kh = int(out["hem_right"][1]) - y_first
    first = ka + TUNING.waist_below_armpit
    stop = ka + int(TUNING.waist_reach * (kh - ka))
    span = rights[first:stop] - lefts[first:stop]
    kw = first + int(np.argmin(span))
    out["waist_right"] = (float(lefts[kw]), float(y_first + kw))
    out["waist_left"] = (float(rights[kw]), float(y_first + kw))


def _sleeve_arc(
    pts: np.ndarray, armpit: np.ndarray, neck: np.ndarray, hem: np.ndarray, reach: float
) -> np.ndarray:
    """Which contour points lie on the arc from the armpit to the neckline corner that does not pass
    the hem corner (the sleeve's side of the outline); all of them when the armpit is not on the
    outline (hidden under a sleeve lying against the body: no arc starts there)."""
    n = len(pts)
    gaps = [np.hypot(*(pts - point).T) for point in (armpit, neck, hem)]
    if gaps[0].min() > reach:
        return np.ones(n, bool)
    a, b, h = (int(np.argmin(gap)) for gap in gaps)
    lo, hi = sorted((a, b))
    inner = np.zeros(n, bool)
    inner[lo : hi + 1] = True
    return inner if not inner[h] else ~inner | (np.arange(n) == lo) | (np.arange(n) == hi)


def _sleeve_corners(
    out: dict[str, tuple[float, float]],
    binary: np.ndarray,
    pts: np.ndarray,
    side: str,
    sign: int,
    top: np.ndarray,
    deepest: float,
    box: tuple[int, int, int, int],
) -> None:
    """The corners of one sleeve's opening put in ``out``: across the sleeve's end.

    The sleeve is a piece of the garment's pixels (:func:`_sleeve_piece`) with an axis of its own
    (:func:`_sleeve_axis`); its opening is the run of its outline's edges that face along that axis,
    farthest along it (:func:`_cuff_edge`). Read on the piece, not on the garment's contour, a
    sleeve hanging down against the body opens across its end, in to the armpit, not down its
    outer fold; without a piece the contour is read as before (:func:`_sleeve_corners_from_contour`)."""
    t = TUNING
    found = _sleeve_piece(out, binary, side, sign, deepest, box)
    if found is None:
        _sleeve_corners_from_contour(out, pts, side, sign, top, deepest, box)
        return
    piece, (left, row) = found
    axis, towards_shoulder = _sleeve_axis(piece, (left, row), out, side, top, box)
    contours, _ = cv2.findContours(piece, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = max(contours, key=cv2.contourArea).reshape(-1, 2).astype(np.float64) + np.array([left, row])
    cuff = _cuff_edge(binary, outline, axis, t.cuff_simplify * box[2])
    if cuff is not None:
        first, second = cuff
        outer, inner = (first, second) if float((first - second) @ towards_shoulder) >= 0 else (second, first)
        out[f"sleeve_{side}_outer"] = (float(outer[0]), float(outer[1]))
        out[f"sleeve_{side}_inner"] = (float(inner[0]), float(inner[1]))
        return
    along, across = outline @ axis, outline @ towards_shoulder
    out[f"sleeve_{side}_outer"] = _extreme(outline, along + t.cuff_corner_weight * across)
    out[f"sleeve_{side}_inner"] = _extreme(outline, along - t.cuff_corner_weight * across)


def _sleeve_piece(
    out: dict[str, tuple[float, float]],
    binary: np.ndarray,
    side: str,
    sign: int,
    deepest: float,
    box: tuple[int, int, int, int],
) -> tuple[np.ndarray, tuple[int, int]] | None:
    """One sleeve's pixels (uint8, on a window of the packshot) and the window's top-left corner: the
    garment beyond the armpit's column, above the armpit or outside the body's side line (armpit ->
    hem), the largest piece of it reaching up above the armpit; None when there is none."""
    t = TUNING
    x0, y0, bw, bh = box
    armpit = np.array(out[f"armpit_{side}"])
    hem = np.array(out[f"hem_{side}"])
    # the window: the sleeve's side of the armpit's column, below the neckline's deepest point
    split = int(np.clip(round(armpit[0]), x0, x0 + bw))
    left, right = (x0, split) if sign < 0 else (split, x0 + bw)
    row = int(deepest) + 1
    size = max(3, round(t.sleeve_min_width * bw) | 1)
    bottom = min(binary.shape[0], y0 + bh + size)  # the garment's box and the kernel's reach below
    if right - left < 1 or row >= bottom:
        return None
    ys = np.arange(row, bottom, dtype=np.float64)[:, None]
    xs = np.arange(left, right, dtype=np.float64)[None, :]
    outside, beyond = _off_the_body(xs, ys, armpit, hem, sign)
    window = binary[row:bottom, left:right] > 0
    raw = (window & beyond & (outside | (ys <= armpit[1]))).astype(np.uint8)
    # a thin strip of the body's side beyond a low armpit's column is no sleeve (the piece is found
    # opened, then taken back with its own sharp corners)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    # worked on the pixels' box grown by the kernel (within the window): the same result, faster
    bx, by, bw_, bh_ = cv2.boundingRect(raw)
    if bw_ == 0:
        return None
    cx0, cy0 = max(0, bx - size), max(0, by - size)
    cx1, cy1 = min(raw.shape[1], bx + bw_ + size), min(raw.shape[0], by + bh_ + size)
    raw = raw[cy0:cy1, cx0:cx1]
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        cv2.morphologyEx(raw, cv2.MORPH_OPEN, kernel), connectivity=8
    )
    top = row + cy0
    reaching_up = [k for k in range(1, count) if top + stats[k, cv2.CC_STAT_TOP] < armpit[1]]
    if not reaching_up:
        return None
    best = max(reaching_up, key=lambda k: stats[k, cv2.CC_STAT_AREA])
    if stats[best, cv2.CC_STAT_AREA] < t.min_sleeve_pixels:
        return None
    return raw & cv2.dilate((labels == best).astype(np.uint8), kernel), (left + cx0, top)


def _sleeve_axis(
    piece: np.ndarray,
    corner: tuple[int, int],
    out: dict[str, tuple[float, float]],
    side: str,
    top: np.ndarray,
    box: tuple[int, int, int, int],
) -> tuple[np.ndarray, np.ndarray]:
    """A sleeve piece's axis (unit, pointing away from the body) and the unit vector across it
    towards the shoulder's side (away from the armpit).

    A sleeve points away from the neckline's corner (the armhole's middle is no guide: a hanging
    sleeve's armpit can lie below its cuff); its axis is halfway between that direction and its
    pixels' long axis (a kimono sleeve's piece is as tall as its shoulder, its long axis too steep),
    or that direction alone for a stub of a sleeve with no long axis."""
    t = TUNING
    py, px = np.nonzero(piece)
    coords = np.stack([px + corner[0], py + corner[1]], axis=1).astype(np.float64)
    centre = coords.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov((coords - centre).T))
    away = centre - np.array(out[f"neckline_{side}"])
    away = away / (np.linalg.norm(away) + 1e-9)
    long_axis = vectors[:, 1] if float(vectors[:, 1] @ away) >= 0 else -vectors[:, 1]
    if values[1] < t.sleeve_elongation * max(values[0], 1e-6):
        long_axis = away
    axis = long_axis + away
    axis = axis / (np.linalg.norm(axis) + 1e-9)
    across = np.array([-axis[1], axis[0]])
    armpit = np.array(out[f"armpit_{side}"])
    x0, _y0, bw, _bh = box
    col = int(np.clip(armpit[0] - x0, 0, bw - 1))
    if float(across @ (np.array([armpit[0], top[col]]) - armpit)) < 0:
        across = -across
    return axis, across


def _cuff_edge(
    binary: np.ndarray, outline: np.ndarray, axis: np.ndarray, tolerance: float
) -> tuple[np.ndarray, np.ndarray] | None:
    """The ends of a sleeve's opening on its piece's ``outline``: of the outline simplified to
    straight edges, the run of edges on the garment's own edge (not where the piece was cut from
    the body) that face along the sleeve's ``axis``, farthest along it; None without one."""
    t = TUNING
    poly = cv2.approxPolyDP(outline.astype(np.float32).reshape(-1, 1, 2), max(1.0, tolerance), True)
    poly = poly.reshape(-1, 2).astype(np.float64)
    n = len(poly)
    if n < 3:
        return None
    height, width = binary.shape
    # the outline's turning sense, so each edge's normal can point out of the piece
    area = 0.5 * float(np.sum(poly[:, 0] * np.roll(poly[:, 1], -1) - np.roll(poly[:, 0], -1) * poly[:, 1]))
    facing = np.zeros(n, bool)
    for i in range(n):
        a, b = poly[i], poly[(i + 1) % n]
        edge = b - a
        length = float(np.linalg.norm(edge))
        if length < 1.0:
            continue
        normal = np.array([edge[1], -edge[0]]) / length
        if area < 0:
            normal = -normal
        probe = np.round((a + b) / 2 + normal * (tolerance + t.cuff_probe)).astype(int)
        on_edge = not (0 <= probe[0] < width and 0 <= probe[1] < height) or binary[probe[1], probe[0]] == 0
        facing[i] = on_edge and float(normal @ axis) >= t.cuff_facing
    if not facing.any() or facing.all():
        return None
    # runs of consecutive facing edges (the polygon is closed: start after a non-facing edge)
    start = int(np.argmin(facing))
    runs: list[list[int]] = []
    for k in range(1, n + 1):
        i = (start + k) % n
        if facing[i]:
            if runs and runs[-1][-1] == (i - 1) % n:
                runs[-1].append(i)
            else:
                runs.append([i])
    along = poly @ axis
    best = max(runs, key=lambda run: max(along[run[0]], along[(run[-1] + 1) % n]))
    return poly[best[0]], poly[(best[-1] + 1) % n]


def _off_the_body(
    xs: np.ndarray, ys: np.ndarray, armpit: np.ndarray, hem: np.ndarray, sign: int
) -> tuple[np.ndarray, np.ndarray]:
    """For points (``xs``, ``ys``, broadcast together) on one side (``sign``): whether each lies
    outside the body's side line (armpit -> hem), and whether it lies beyond the armpit's column."""
    t = TUNING
    side_dir = hem - armpit
    cross = side_dir[0] * (ys - armpit[1]) - side_dir[1] * (xs - armpit[0])
    outside = cross * sign < -t.sleeve_off_side * np.linalg.norm(side_dir)
    return outside, (xs - armpit[0]) * sign > t.sleeve_off_armpit


def _sleeve_corners_from_contour(
    out: dict[str, tuple[float, float]],
    pts: np.ndarray,
    side: str,
    sign: int,
    top: np.ndarray,
    deepest: float,
    box: tuple[int, int, int, int],
) -> None:
    """The corners of one sleeve's opening put in ``out`` from the garment's contour points (where
    no sleeve piece of its own is found). The sleeve: contour points outside the
    body's side line (armpit -> hem) and the armpit's column; its opening is the part farthest from
    the armpit, "outer" away from the armpit."""
    t = TUNING
    x0, _y0, bw, _bh = box
    armpit = np.array(out[f"armpit_{side}"])
    hem = np.array(out[f"hem_{side}"])
    outside, beyond = _off_the_body(pts[:, 0], pts[:, 1], armpit, hem, sign)
    candidate = outside & beyond & (pts[:, 1] > deepest)
    arc = _sleeve_arc(pts, armpit, np.array(out[f"neckline_{side}"]), hem, t.armpit_on_outline * bw)
    # the sleeve's outline runs from the armpit round the cuff to the neckline: a hem corner that
    # juts out past the armpit's column is no part of it (its cuff read at the hem, 0 px wide)
    sleeve = pts[candidate & arc] if (candidate & arc).any() else pts[candidate]
    col = int(np.clip(armpit[0] - x0, 0, bw - 1))
    root = np.array([armpit[0], (top[col] + armpit[1]) / 2])
    axis = sleeve.mean(axis=0) - root
    axis /= np.linalg.norm(axis) + 1e-6
    perp = np.array([-axis[1], axis[0]])
    along = (sleeve - root) @ axis
    across = (sleeve - root) @ perp
    sign_out = 1.0 if float(np.median(across)) > 0 else -1.0
    out[f"sleeve_{side}_outer"] = _extreme(sleeve, along + t.cuff_corner_weight * sign_out * across)
    out[f"sleeve_{side}_inner"] = _extreme(sleeve, along - t.cuff_corner_weight * sign_out * across)


def _shoulder(
    out: dict[str, tuple[float, float]],
    side: str,
    top: np.ndarray,
    box: tuple[int, int, int, int],
    sleeveless: bool,
) -> None:
    """One shoulder put in ``out``: the corner of the top edge between the neckline and the sleeve's
    end (or the armpit); a sleeveless side's sleeve corners on its shoulder and armpit."""
    x0, _y0, bw, _bh = box
    armpit = np.array(out[f"armpit_{side}"])
    neck = np.array(out[f"neckline_{side}"])
    end = np.array(out[f"sleeve_{side}_outer"] if not sleeveless else armpit)
    lo, hi = sorted((int(neck[0]) - x0, int(end[0]) - x0))
    xs_ = np.arange(max(lo, 0), min(hi + 1, bw))
    profile = np.stack([xs_ + x0, top[xs_]], axis=1).astype(np.float32)
    chord = end - neck
    normal = np.array([chord[1], -chord[0]]) / (np.linalg.norm(chord) + 1e-6)
    if normal[1] > 0:
        normal = -normal  # pointing up, away from the body
    out[f"shoulder_{side}"] = _extreme(profile, (profile - neck) @ normal)
    if sleeveless:
        out[f"sleeve_{side}_outer"] = out[f"shoulder_{side}"]
        out[f"sleeve_{side}_inner"] = out[f"armpit_{side}"]
