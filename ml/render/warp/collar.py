"""Her old neckline above a new top's: the new top's neckline goes up onto it.

A crew-neck tank or tee of hers often sits higher round her neck than a new top's front neckline
(a packshot's neckline, its inner back taken out, is an opening a little wider and lower than a
worn collar). The band of her old top left between the two is large enough that it stays, worn
under the new top (the warp's ``worn_under_area``), and reviewers read it as her old garment left
("white tank collar showing", "black collar leftover"); painted with the clean plate it read as a
flat block of skin at the base of her neck, and covered in the new top's colour as a flat slab or
a grey blob (the warp-89 candidate's paired review). Worn, a crew neckline lies on the neck's
base: so the new top's body is stretched up, column by column, until its neckline (collar, print
and all) lies on her old neckline's edge (:func:`lift_neckline`).

Only a band on the base of her neck counts: a piece wholly above her shoulder line plus ``depth``,
within ``neck_reach`` of her neck's line, that touches the new top. Her top over her chest above a
cami's neckline (a deep piece) stays worn under it, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class CollarTuning:
    depth: float = 0.25  # shoulder spans below her shoulder line: a band lies wholly above this ...
    neck_reach: float = 0.55  # ... and within this many shoulder spans of her neck's line sideways ...
    high_share: float = 0.95  # ... with this share of its pixels
    touch_ring: float = 0.03  # shoulder spans: the ring round a band where the new top is looked for ...
    min_touch: float = 0.2  # ... covering this share of the ring
    overlap: float = 1.0  # px: the neckline goes this much past the band's top edge (its light rim)
    max_lift: float = 0.3  # shoulder spans: the neckline goes up at most this much
    smooth: float = 0.06  # shoulder spans: the lift is smoothed along the neckline this much
    # the lift fades to nothing this far below the neckline: this many times the lift, at least
    # ``min_depth`` shoulder spans (the garment's top stretched by at most 1 / (1 - 1 / stretch))
    stretch: float = 2.0
    min_depth: float = 0.2  # ... shoulder spans
    # only a plain garment is stretched: three quarters of its solid pixels there within this Lab
    # distance of their median ...
    plain: float = 20.0
    solid: float = 0.95  # ... solid: alpha at least this


TUNING = CollarTuning()


def neck_band(worn: np.ndarray, zone: np.ndarray, garment_alpha: np.ndarray, span: float) -> np.ndarray:
    """The pieces of ``worn`` (her top kept under the new one) that are a band at the base of her
    neck: in ``zone`` (above her shoulder line plus ``depth``, within ``neck_reach`` of her neck's
    line sideways: not a sleeve on a raised arm) and touching the new garment."""
    t = TUNING
    band = np.zeros(worn.shape, bool)
    count, labels = cv2.connectedComponents(worn.astype(np.uint8), connectivity=8)
    if count <= 1:
        return band
    size = 2 * max(1, round(t.touch_ring * span)) + 1
    ring_kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    covered = garment_alpha > 0.5
    for label in range(1, count):
        piece = labels == label
        area = int(piece.sum())
        if (piece & zone).sum() < t.high_share * area:
            continue
        ring = (cv2.dilate(piece.astype(np.uint8), ring_kernel) > 0) & ~piece
        if (ring & covered).sum() < t.min_touch * max(1, ring.sum()):
            continue
        band |= piece
    return band


def lift_neckline(layers: list, band: np.ndarray, body_alpha: np.ndarray, span: float, torso: int) -> list:
    """The new garment's body layers (group ``torso``) stretched up, column by column, so that its
    neckline lies on the top edge of ``band`` (her old neckline) instead of below it: each pixel takes
    what lay ``lift`` below it, ``lift`` the band's height over the garment's top edge at the top,
    fading to nothing ``depth`` below (``body_alpha``: those layers' alpha over the photo). Its
    neckline and collar move up with it. Only a plain garment is stretched: a print stretched and
    sheared there read as "smeared up to the neck" and "warped lettering" (the first revision's
    paired review)."""
    t = TUNING
    height = band.shape[0]
    covered = body_alpha > 0.5
    has_band, has_garment = band.any(axis=0), covered.any(axis=0)
    band_top = np.where(has_band, np.argmax(band, axis=0), height).astype(np.float32)
    edge = np.where(has_garment, np.argmax(covered, axis=0), height).astype(np.float32)
    # only where the band lies on the garment's edge (not beside it)
    raw = np.where(has_band & has_garment & (band_top < edge), edge - band_top + t.overlap, 0.0)
    raw = np.minimum(raw, t.max_lift * span).astype(np.float32)
    if not raw.any():
        return layers
    # smoothed along the neckline, never beyond the band's own height (no bump beside it)
    sigma = max(1.0, t.smooth * span)
    lift = cv2.GaussianBlur(raw[None, :], (0, 0), sigma)[0]
    lift = np.minimum(lift, cv2.dilate(raw[None, :], np.ones((1, 3), np.uint8))[0])
    top = edge - lift  # the neckline's new row
    depth = np.maximum(t.min_depth * span, t.stretch * lift)
    if not _plain_where_stretched(layers, torso, edge, top + depth, lift > 0):
        return layers
    pad = int(np.ceil(float(lift.max()))) + 1
    out = []
    for warped, (x0, y0, x1, y1), group, *rest in layers:
        if group != torso or not lift[x0:x1].any():
            out.append((warped, (x0, y0, x1, y1), group, *rest))
            continue
        new_y0 = max(0, y0 - pad)
        ys, xs = np.mgrid[new_y0:y1, x0:x1].astype(np.float32)
        amount = lift[x0:x1][None, :] * np.clip(
            1.0 - (ys - top[x0:x1][None, :]) / depth[x0:x1][None, :], 0, 1
        )
        moved = cv2.remap(
            warped,
            xs - x0,
            ys + amount - y0,
            cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=0,
        )
        out.append((moved, (x0, new_y0, x1, y1), group, *rest))
    return out


def _plain_where_stretched(
    layers: list, torso: int, edge: np.ndarray, end: np.ndarray, columns: np.ndarray
) -> bool:
    """Whether the garment's body is one plain fabric where it is stretched: from its top edge down
    to ``end``, in ``columns``, where it is solid."""
    rows = np.arange(max(int(np.ceil(float(end.max()))), 1))[:, None]
    region = (rows >= edge[None, :]) & (rows < end[None, :]) & columns[None, :]
    picked = []
    for warped, (x0, y0, x1, _y1), group, *_ in layers:
        inside = region[y0 : y0 + warped.shape[0], x0:x1]
        if group != torso or not inside.any():
            continue
        pixels = warped[: inside.shape[0]][inside & (warped[: inside.shape[0], :, 3] >= TUNING.solid * 255.0)]
        picked.append(pixels[:, :3] * (255.0 / pixels[:, 3:4]))
    colours = np.concatenate(picked) if picked else np.zeros((0, 3), np.float32)
    if len(colours) == 0:
        return False
    rgb = np.clip(colours, 0, 255).astype(np.uint8)[None]
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)[0].astype(np.float32)
    distance = np.linalg.norm(lab - np.median(lab, axis=0), axis=1)
    return float(np.percentile(distance, 75)) <= TUNING.plain
