"""The inside of the back neckline that an invisible-mannequin packshot shows above the front one.

A tee shot on an invisible mannequin shows, inside its neck opening, the inside of its back panel
(often with the brand's label), shaded darker than the front. The cut-out keeps it: it is garment
fabric, and its top edge (the back collar) is the outline's top edge. Worn, that part lies behind
the neck, so laid onto a shopper it covers her neck and upper chest with a grey or labelled patch
above the real neckline.

The front neckline is found as the strongest colour edge along a family of U (and V) curves that
join the two neckline corners of the outline (:class:`~ml.garments.structure.GarmentStructure`),
below the outline's own top edge at the axis. The region above the curve is the inner back. It is
taken only where the outline is a shallow neckline between shoulders (a deep outline neckline
shows the real front neckline already) and the edge stands well out of the garment's usual
texture (a print or a smocked yoke is no neckline).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ml.garments.structure import GarmentStructure


@dataclass(frozen=True)
class InnerBackTuning:
    """The numbers of the inner back's detection; lengths are in neckline half-widths (``hw``, half
    the distance between the neckline corners) unless said otherwise."""

    min_neck_width: float = 0.1  # of the garment's width: narrower neckline corners were misread (a
    # polo's collar, a halter's knot) and have no opening to look into
    max_outline_depth: float = 0.7  # the outline's own neckline deeper than this is the real front
    min_front_below: float = 0.12  # the front neckline lies at least this far below the outline at the axis
    min_depth: float = 0.15  # the front neckline's depth below the corners is searched from here ...
    max_depth: float = 1.4  # ... to here
    depth_step: float = 0.01
    widths: tuple[float, ...] = (
        1.0,
        1.05,
        1.1,
        1.15,
        1.2,
        1.25,
    )  # the curve's half-width in hw: it meets the outline's
    # top edge at the corners or a little beyond them (the corners are read where the collar's top is
    # highest, which can be inside its ends)
    shapes: tuple[float, ...] = (1.0, 1.5, 2.0, 3.0, 4.0)  # exponents q of depth * (1 - |u|^q): 1 is a V,
    # 4 a flat-bottomed U
    lifts: tuple[float, ...] = (0.0, 0.025, 0.05)  # the curve's ends start this far above the outline's top
    # there (read on its anti-aliased edge, a pixel or two low)
    span: float = 0.8  # the curve is scored over |u| <= this (its ends merge into the outline)
    samples: int = 41
    clear_of_outline: float = 0.06  # every scored point lies this far below the outline's top edge
    blur: float = 0.03  # the image is blurred this much before the edges are taken ...
    edge_offset: float = 0.04  # ... and an edge is the Lab difference between this far above and below
    chroma_weight: float = 2.0  # chroma (a, b) counts this many times lightness in that difference
    centre_span: float = 0.5  # the found curve's edge is judged over |u| <= this ...
    edge_contrast: float = 2.0  # ... and must be this many times the garment's median edge ...
    min_edge: float = 4.0  # ... and this many Lab units at least (a seam line on plain fabric is less)
    soft_edge: float = 1.0  # px at full scale: the cut is anti-aliased over this


TUNING = InnerBackTuning()


@dataclass(frozen=True)
class FrontNeckline:
    """The front neckline found: y = corner_y + depth * (1 - |u|^shape), u = (x - axis_x) / half_width."""

    axis_x: float
    half_width: float
    corner_y: float
    depth: float
    shape: float

    def rows(self, xs: np.ndarray) -> np.ndarray:
        u = np.clip(np.abs((xs - self.axis_x) / self.half_width), 0.0, 1.0)
        return self.corner_y + self.depth * (1.0 - u**self.shape)


def front_neckline(
    image: np.ndarray, mask: np.ndarray, structure: GarmentStructure, tuning: InnerBackTuning = TUNING
) -> FrontNeckline | None:
    """The front neckline below an inner back, or None when the packshot shows no inner back."""
    t = tuning
    if structure.read_as not in ("top", "dress"):
        return None
    points = structure.points
    if "neckline_right" not in points or "neckline_left" not in points:
        return None
    (xr, yr), (xl, yl) = points["neckline_right"], points["neckline_left"]
    half = (xl - xr) / 2.0
    if structure.width <= 0 or 2.0 * half < t.min_neck_width * structure.width:
        return None
    axis, corner_y = structure.axis_x, (yr + yl) / 2.0
    garment = np.asarray(mask) > 127
    height, width = garment.shape
    has = garment.any(axis=0)
    outline_top = np.where(has, np.argmax(garment, axis=0), height)
    outline_depth = outline_top[int(np.clip(round(axis), 0, width - 1))] - corner_y
    if outline_depth > t.max_outline_depth * half:
        return None
    edges = _vertical_edges(image, half, t)
    found = _best_curve(
        edges, garment, outline_top, axis=axis, half=half, floor=corner_y + outline_depth, t=t
    )
    if found is None:
        return None
    offset = max(1, round(t.edge_offset * half))
    inside = cv2.erode(garment.astype(np.uint8), np.ones((2 * offset + 1, 2 * offset + 1), np.uint8)) > 0
    xs = axis + np.linspace(-t.centre_span, t.centre_span, t.samples) * half
    xc = np.clip(np.round(xs).astype(int), 0, width - 1)
    yc = np.clip(np.round(found.rows(xs)).astype(int), 0, height - 1)
    on_curve = edges[yc, xc][inside[yc, xc]]
    typical = float(np.median(edges[garment])) if garment.any() else 0.0
    if on_curve.size == 0 or on_curve.mean() < max(t.edge_contrast * typical, t.min_edge):
        return None
    return found


def _best_curve(
    edges: np.ndarray,
    inside: np.ndarray,
    outline_top: np.ndarray,
    *,
    axis: float,
    half: float,
    floor: float,
    t: InnerBackTuning,
) -> FrontNeckline | None:
    """The curve of the family along which the edges are strongest on average, lying ``inside``
    the garment, clear of its top edge and below ``floor`` (the outline's top at the axis)."""
    height, width = inside.shape
    us = np.linspace(-t.span, t.span, t.samples)
    best: tuple[float, FrontNeckline | None] = (-1.0, None)
    for spread in t.widths:
        ends = np.clip(np.round(axis + np.array([-1.0, 1.0]) * spread * half).astype(int), 0, width - 1)
        xi = np.clip(np.round(axis + us * spread * half).astype(int), 0, width - 1)
        for lift in t.lifts:
            end_y = float(outline_top[ends].mean()) - lift * half
            if end_y >= height:
                continue
            low = max(floor - end_y + t.min_front_below * half, t.min_depth * half)
            depths = np.arange(low, t.max_depth * half, max(1.0, t.depth_step * half))
            for shape in t.shapes:
                falloff = 1.0 - np.abs(us) ** shape
                yi = np.round(end_y + depths[:, None] * falloff[None, :]).astype(int)
                fits = ((yi >= 0) & (yi < height)).all(axis=1)
                yi = np.clip(yi, 0, height - 1)
                fits &= inside[yi, xi].all(axis=1)
                fits &= ((yi - outline_top[xi]) >= t.clear_of_outline * half).all(axis=1)
                if not fits.any():
                    continue
                scores = np.where(fits, edges[yi, xi].mean(axis=1), -1.0)
                pick = int(np.argmax(scores))
                if scores[pick] > best[0]:
                    curve = FrontNeckline(axis, spread * half, end_y, float(depths[pick]), shape)
                    best = (float(scores[pick]), curve)
    return best[1]


def inner_back(
    image: np.ndarray, mask: np.ndarray, structure: GarmentStructure, tuning: InnerBackTuning = TUNING
) -> np.ndarray | None:
    """The inner back as a float mask 0..1 (anti-aliased along the front neckline), or None."""
    found = front_neckline(image, mask, structure, tuning)
    if found is None:
        return None
    height, width = np.asarray(mask).shape
    x0 = max(0, int(np.floor(found.axis_x - found.half_width)))
    x1 = min(width, int(np.ceil(found.axis_x + found.half_width)) + 1)
    columns = np.arange(x0, x1, dtype=np.float64)
    below = np.arange(height, dtype=np.float64)[:, None] - found.rows(columns)[None, :]
    region = np.zeros((height, width), np.float32)
    region[:, x0:x1] = np.clip(0.5 - below / (2.0 * tuning.soft_edge), 0.0, 1.0)
    return region * (np.asarray(mask) > 0)


def _vertical_edges(image: np.ndarray, half: float, t: InnerBackTuning) -> np.ndarray:
    """Per pixel, the Lab distance between the colours a little above and a little below (chroma
    weighted). The channels are scaled in one pass before the blur (it is linear) and the distance
    taken as one sum of squares: a third of the time of scaling and weighing them one by one."""
    lab = cv2.cvtColor(np.ascontiguousarray(image[..., :3]), cv2.COLOR_RGB2LAB).astype(np.float32)
    weight = t.chroma_weight
    to_lab = np.array(
        [
            [100.0 / 255.0, 0.0, 0.0, 0.0],
            [0.0, weight, 0.0, -128.0 * weight],
            [0.0, 0.0, weight, -128.0 * weight],
        ],
        np.float32,
    )
    lab = cv2.GaussianBlur(cv2.transform(lab, to_lab), (0, 0), max(1.0, t.blur * half))
    offset = max(1, round(t.edge_offset * half))
    difference = lab[2 * offset :] - lab[: -2 * offset]
    edges = np.zeros(lab.shape[:2], np.float32)
    edges[offset:-offset] = np.sqrt(np.einsum("ijk,ijk->ij", difference, difference))
    return edges
