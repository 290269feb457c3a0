"""Drawing a flat garment ("packshot") on a white background, with its mask and exact landmarks."""

from __future__ import annotations

import math

import cv2
import numpy as np

from ml.garments.fabric import (
    accent_for,
    fabric_pattern,
    polygon_layer,
    polyline_layer,
    shade_of,
    smooth_noise,
)
from ml.garments.landmarks import GARMENT_LANDMARKS, PATTERNS, STYLES
from ml.garments.shapes import lower_layout, upper_layout
from ml.types import GarmentKind, Packshot


def draw_packshot(
    *,
    kind: GarmentKind,
    colour: tuple[int, int, int],
    pattern: str = "solid",
    seed: int = 0,
    size: tuple[int, int] = (768, 576),
    style: str | None = None,
    accent: tuple[int, int, int] | None = None,
) -> Packshot:
    """Draw a flat garment on a white background, with its mask and exact landmarks.

    ``style`` picks the cut (see :data:`STYLES`: e.g. ``"tshirt"``, ``"shirt"``, ``"jacket"``,
    ``"coat"``, ``"sleeveless"``, ``"trousers"``, ``"shorts"``, ``"skirt"``); ``accent`` is the
    second colour of a pattern (derived from ``colour`` when omitted). The same arguments
    always give the same pixels.
    """
    kind = GarmentKind(kind)
    if kind == GarmentKind.FULL_OUTFIT:
        raise ValueError("A packshot shows one garment; draw the outfit's pieces one by one.")
    styles = STYLES[kind]
    style = style or next(iter(styles))
    if style not in styles:
        raise ValueError(f"Unknown style {style!r} for {kind}; choose one of {', '.join(styles)}.")
    if pattern not in PATTERNS:
        raise ValueError(f"Unknown pattern {pattern!r}; choose one of {', '.join(PATTERNS)}.")
    shape, sleeves = styles[style]
    h, w = size
    rng = np.random.default_rng(seed)
    if shape in ("trousers", "skirt"):
        lay = lower_layout(shape, style, w, h, rng)
    else:
        lay = upper_layout(shape, sleeves, style, w, h, rng)
    scale = min(h / 768, w / 576)
    ss = 3

    mask = polygon_layer((h, w), ss, [lay.outline])
    col = np.array(colour, np.float32)
    acc = np.array(accent, np.float32) if accent is not None else accent_for(col)
    fabric = fabric_pattern(pattern, col, acc, h, w, scale, rng)

    # Shading: rounded edges, soft folds, light from above, darker sleeves.
    inside = (mask > 0.5).astype(np.uint8)
    dist = cv2.distanceTransform(inside, cv2.DIST_L2, 5)
    shade = 1.0 - 0.16 * np.exp(-dist / (9 * scale)) + 0.04 * (1 - np.exp(-dist / (45 * scale)))
    folds = smooth_noise(rng, h, w, (6, 5)) * 0.045
    vertical = smooth_noise(rng, h, w, (4, 14)) * (0.05 if shape in ("dress", "skirt", "trousers") else 0.025)
    yy = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    shade = shade + folds + vertical + (0.03 - 0.07 * yy)
    if lay.sleeves:
        shade -= 0.05 * polygon_layer((h, w), ss, lay.sleeves)
    grooves = cv2.GaussianBlur(polyline_layer((h, w), ss, lay.grooves, 1.6 * scale), (0, 0), 1.6 * scale)
    shade -= 0.22 * grooves
    for line, width in lay.bands:
        band = polyline_layer((h, w), ss, [line], width)
        rib = 1 + 0.05 * np.sin(np.arange(w, dtype=np.float32) * 2 * np.pi / (5 * scale))[None, :]
        shade = shade * (1 - band) + (shade - 0.06) * rib * band
        edge = polyline_layer((h, w), ss, [line], width + 2.5 * scale) - band
        shade -= 0.12 * np.clip(edge, 0, 1)
    # Fabric texture: fine weave plus grain.
    xx = np.arange(w, dtype=np.float32)[None, :]
    weave = 0.018 * np.sin(xx * 2.1) * np.sin(yy * h * 2.1)
    grain = rng.normal(0, 0.018, (h, w)).astype(np.float32)
    shade = shade + weave + grain
    rgb = fabric * shade[..., None]

    # Stitching in a thread colour a little lighter/darker than the fabric.
    stitches = polyline_layer((h, w), ss, lay.seams, 1.3 * scale, dash=5 * scale)
    thread = shade_of(col, 0.7) if col.mean() > 90 else np.clip(col * 1.5 + 40, 0, 255)
    rgb = rgb * (1 - 0.8 * stitches[..., None]) + thread * 0.8 * stitches[..., None]
    if lay.inside:
        inside_layer = polygon_layer((h, w), ss, lay.inside)
        rgb = rgb * (1 - 0.38 * inside_layer[..., None])
    if lay.collar:
        collar = polygon_layer((h, w), ss, lay.collar)
        collar_edge = cv2.GaussianBlur(collar, (0, 0), 2.5 * scale)
        under = np.clip(collar_edge - collar, 0, 1)  # shadow just outside the collar
        rgb = rgb * (1 - 0.35 * under[..., None])
        collar_fabric = fabric * (1.02 + folds[..., None] * 0.5)
        outline = polyline_layer((h, w), ss, [[*poly, poly[0]] for poly in lay.collar], 1.5 * scale)
        rgb = rgb * (1 - collar[..., None]) + collar_fabric * collar[..., None]
        rgb = rgb * (1 - 0.25 * outline[..., None])
    if lay.buttons:
        r = 7 * scale
        buttons = polygon_layer(
            (h, w),
            ss,
            [
                [(x + r * math.cos(a), y + r * math.sin(a)) for a in np.linspace(0, 2 * np.pi, 20)]
                for x, y in lay.buttons
            ],
        )
        btn_col = np.array([236, 232, 224], np.float32) if col.mean() < 120 else shade_of(col, 0.55)
        ring = np.clip(cv2.GaussianBlur(buttons, (0, 0), 1.8 * scale) - buttons, 0, 1)
        rgb = rgb * (1 - 0.5 * ring[..., None])
        rgb = rgb * (1 - buttons[..., None]) + btn_col * buttons[..., None]

    # White background with a soft contact shadow.
    background = np.full((h, w, 3), 250.0, np.float32)
    vignette = 1 - 0.02 * ((np.linspace(-1, 1, w)[None, :] ** 2) + (np.linspace(-1, 1, h)[:, None] ** 2))
    background *= vignette[..., None]
    shifted = np.zeros_like(mask)
    dx, dy = int(6 * scale), int(9 * scale)
    shifted[dy:, dx:] = mask[: h - dy, : w - dx]
    shadow = cv2.GaussianBlur(shifted, (0, 0), 10 * scale)
    background *= (1 - 0.22 * shadow)[..., None]
    m = mask[..., None]
    image = np.clip(rgb * m + background * (1 - m), 0, 255).astype(np.uint8)
    mask_u8 = np.clip(mask * 255 + 0.5, 0, 255).astype(np.uint8)
    landmarks = {name: (float(x), float(y)) for name, (x, y) in lay.landmarks.items()}
    expected = GARMENT_LANDMARKS[shape]
    landmarks = {name: landmarks[name] for name in expected}
    return Packshot(image=image, mask=mask_u8, kind=kind, landmarks=landmarks)
