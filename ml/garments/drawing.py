"""Drawing a flat garment ("packshot") on a white background, with its mask and exact landmarks."""

from __future__ import annotations

import math
from dataclasses import dataclass

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
from ml.garments.shapes import Layout, lower_layout, upper_layout
from ml.types import GarmentKind, Packshot


@dataclass(frozen=True)
class DrawingTuning:
    """The look of the drawn garments (the demo catalogue's packshots): lengths in px of an image of
    ``reference_size`` (scaled with the image), shading as changes of the fabric's brightness
    (1 = the fabric's own colour)."""

    reference_size: tuple[int, int] = (768, 576)  # (h, w): the image size the px lengths are for
    supersampling: int = 3  # outlines and lines are drawn this many times finer and averaged down
    # shading: rounded edges, soft folds, light from above, darker sleeves
    edge_shade: float = 0.16  # the outline's edge darker by this ...
    edge_width: float = 9  # px: ... fading over this
    body_light: float = 0.04  # the garment's inside lighter by this ...
    body_light_width: float = 45  # px: ... rising over this from the edge
    fold_cells: tuple[int, int] = (6, 5)  # soft folds: a smooth noise of this many cells (down, across) ...
    fold_shade: float = 0.045  # ... changing the brightness by up to this
    drape_cells: tuple[int, int] = (4, 14)  # vertical folds: a smooth noise of this many cells ...
    drape_shade: float = 0.025  # ... changing the brightness by up to this on a top or jacket ...
    long_drape_shade: float = 0.05  # ... and on a dress, skirt or trousers
    top_light: float = 0.03  # the top row lighter by this ...
    light_fall: float = 0.07  # ... and the bottom row darker than it by this
    sleeve_shade: float = 0.05  # sleeves darker by this
    groove_width: float = 1.6  # px: fold and seam grooves' width and blur
    groove_shade: float = 0.22  # grooves darker by this
    rib_shade: float = 0.05  # a ribbed band's ribs change its brightness by this ...
    rib_period: float = 5  # px: ... every this many
    band_shade: float = 0.06  # a band darker by this
    band_edge: float = 2.5  # px: the shadow along a band's edges, wide ...
    band_edge_shade: float = 0.12  # ... and dark
    weave: float = 0.018  # fine weave: the brightness changes by this ...
    weave_frequency: float = 2.1  # radians per px: ... along x and y
    grain: float = 0.018  # the fabric's grain: the brightness's random deviation
    # stitches, collars and buttons
    stitch_width: float = 1.3  # px
    stitch_dash: float = 5  # px
    stitch_opacity: float = 0.8
    light_fabric: float = 90  # RGB mean: fabric above this is stitched with a darker thread ...
    dark_thread: float = 0.7  # ... of this share of its colour; darker fabric with a lighter one:
    light_thread: tuple[float, float] = (1.5, 40)  # (times its colour, plus RGB)
    inside_shade: float = 0.38  # the garment's visible inside darker by this
    collar_shadow_blur: float = 2.5  # px: the shadow just outside a collar, wide ...
    collar_shadow: float = 0.35  # ... and dark
    collar_light: float = 1.02  # a collar's fabric this much lighter ...
    collar_folds: float = 0.5  # ... and this share of the folds' light
    collar_outline_width: float = 1.5  # px: a collar's outline, wide ...
    collar_outline_shade: float = 0.25  # ... and dark
    button_radius: float = 7  # px
    button_points: int = 20  # corners of a button's polygon
    pale_button: tuple[int, int, int] = (236, 232, 224)  # RGB: a button on fabric darker than ...
    dark_fabric: float = 120  # ... this RGB mean; on lighter fabric a button is ...
    button_shade: float = 0.55  # ... this share of its colour
    button_ring_blur: float = 1.8  # px: the shadow ring around a button, wide ...
    button_ring: float = 0.5  # ... and dark
    # the background
    paper: float = 250.0  # RGB level of the white background ...
    vignette: float = 0.02  # ... darker by this in its corners
    shadow_offset: tuple[int, int] = (6, 9)  # px (right, down): the garment's contact shadow's offset ...
    shadow_blur: float = 10  # px: ... blur ...
    shadow_depth: float = 0.22  # ... and darkness


TUNING = DrawingTuning()
LONG_SHAPES = ("dress", "skirt", "trousers")  # shapes with long vertical folds


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
    scale = min(h / TUNING.reference_size[0], w / TUNING.reference_size[1])

    mask = polygon_layer((h, w), TUNING.supersampling, [lay.outline])
    col = np.array(colour, np.float32)
    acc = np.array(accent, np.float32) if accent is not None else accent_for(col)
    fabric = fabric_pattern(pattern, col, acc, h, w, scale, rng)
    shade, folds = _shading(lay, mask, shape, scale, rng)
    rgb = fabric * shade[..., None]
    rgb = _stitches_and_inside(rgb, lay, col, scale)
    if lay.collar:
        rgb = _collar(rgb, lay, fabric, folds, scale)
    if lay.buttons:
        rgb = _buttons(rgb, lay, col, scale)
    image = _on_background(rgb, mask, scale)
    mask_u8 = np.clip(mask * 255 + 0.5, 0, 255).astype(np.uint8)
    landmarks = {name: (float(x), float(y)) for name, (x, y) in lay.landmarks.items()}
    expected = GARMENT_LANDMARKS[shape]
    landmarks = {name: landmarks[name] for name in expected}
    return Packshot(image=image, mask=mask_u8, kind=kind, landmarks=landmarks)


def _shading(
    lay: Layout, mask: np.ndarray, shape: str, scale: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """The garment's brightness (rounded edges, soft folds, light from above, darker sleeves,
    grooves, ribbed bands, weave and grain) and its soft folds alone."""
    t, ss = TUNING, TUNING.supersampling
    h, w = mask.shape
    inside = (mask > 0.5).astype(np.uint8)
    dist = cv2.distanceTransform(inside, cv2.DIST_L2, 5)
    shade = (
        1.0
        - t.edge_shade * np.exp(-dist / (t.edge_width * scale))
        + t.body_light * (1 - np.exp(-dist / (t.body_light_width * scale)))
    )
    folds = smooth_noise(rng, h, w, t.fold_cells) * t.fold_shade
    vertical = smooth_noise(rng, h, w, t.drape_cells) * (
        t.long_drape_shade if shape in LONG_SHAPES else t.drape_shade
    )
    yy = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    shade = shade + folds + vertical + (t.top_light - t.light_fall * yy)
    if lay.sleeves:
        shade -= t.sleeve_shade * polygon_layer((h, w), ss, lay.sleeves)
    groove = t.groove_width * scale
    grooves = cv2.GaussianBlur(polyline_layer((h, w), ss, lay.grooves, groove), (0, 0), groove)
    shade -= t.groove_shade * grooves
    for line, width in lay.bands:
        band = polyline_layer((h, w), ss, [line], width)
        rib = (
            1
            + t.rib_shade
            * np.sin(np.arange(w, dtype=np.float32) * 2 * np.pi / (t.rib_period * scale))[None, :]
        )
        shade = shade * (1 - band) + (shade - t.band_shade) * rib * band
        edge = polyline_layer((h, w), ss, [line], width + t.band_edge * scale) - band
        shade -= t.band_edge_shade * np.clip(edge, 0, 1)
    # Fabric texture: fine weave plus grain.
    xx = np.arange(w, dtype=np.float32)[None, :]
    weave = t.weave * np.sin(xx * t.weave_frequency) * np.sin(yy * h * t.weave_frequency)
    grain = rng.normal(0, t.grain, (h, w)).astype(np.float32)
    return shade + weave + grain, folds


def _stitches_and_inside(rgb: np.ndarray, lay: Layout, col: np.ndarray, scale: float) -> np.ndarray:
    """Stitching in a thread colour a little lighter/darker than the fabric; the visible inside darker."""
    t, ss = TUNING, TUNING.supersampling
    h, w = rgb.shape[:2]
    stitches = polyline_layer((h, w), ss, lay.seams, t.stitch_width * scale, dash=t.stitch_dash * scale)
    if col.mean() > t.light_fabric:
        thread = shade_of(col, t.dark_thread)
    else:
        thread = np.clip(col * t.light_thread[0] + t.light_thread[1], 0, 255)
    opacity = t.stitch_opacity
    rgb = rgb * (1 - opacity * stitches[..., None]) + thread * opacity * stitches[..., None]
    if lay.inside:
        inside_layer = polygon_layer((h, w), ss, lay.inside)
        rgb = rgb * (1 - t.inside_shade * inside_layer[..., None])
    return rgb


def _collar(rgb: np.ndarray, lay: Layout, fabric: np.ndarray, folds: np.ndarray, scale: float) -> np.ndarray:
    t, ss = TUNING, TUNING.supersampling
    h, w = rgb.shape[:2]
    collar = polygon_layer((h, w), ss, lay.collar)
    collar_edge = cv2.GaussianBlur(collar, (0, 0), t.collar_shadow_blur * scale)
    under = np.clip(collar_edge - collar, 0, 1)  # shadow just outside the collar
    rgb = rgb * (1 - t.collar_shadow * under[..., None])
    collar_fabric = fabric * (t.collar_light + folds[..., None] * t.collar_folds)
    outline = polyline_layer(
        (h, w), ss, [[*poly, poly[0]] for poly in lay.collar], t.collar_outline_width * scale
    )
    rgb = rgb * (1 - collar[..., None]) + collar_fabric * collar[..., None]
    return rgb * (1 - t.collar_outline_shade * outline[..., None])


def _buttons(rgb: np.ndarray, lay: Layout, col: np.ndarray, scale: float) -> np.ndarray:
    t, ss = TUNING, TUNING.supersampling
    h, w = rgb.shape[:2]
    r = t.button_radius * scale
    corners = np.linspace(0, 2 * np.pi, t.button_points)
    buttons = polygon_layer(
        (h, w), ss, [[(x + r * math.cos(a), y + r * math.sin(a)) for a in corners] for x, y in lay.buttons]
    )
    if col.mean() < t.dark_fabric:
        btn_col = np.array(t.pale_button, np.float32)
    else:
        btn_col = shade_of(col, t.button_shade)
    ring = np.clip(cv2.GaussianBlur(buttons, (0, 0), t.button_ring_blur * scale) - buttons, 0, 1)
    rgb = rgb * (1 - t.button_ring * ring[..., None])
    return rgb * (1 - buttons[..., None]) + btn_col * buttons[..., None]


def _on_background(rgb: np.ndarray, mask: np.ndarray, scale: float) -> np.ndarray:
    """The garment on a white background with a soft contact shadow, as uint8 RGB."""
    t = TUNING
    h, w = mask.shape
    background = np.full((h, w, 3), t.paper, np.float32)
    vignette = 1 - t.vignette * (
        (np.linspace(-1, 1, w)[None, :] ** 2) + (np.linspace(-1, 1, h)[:, None] ** 2)
    )
    background *= vignette[..., None]
    shifted = np.zeros_like(mask)
    dx, dy = int(t.shadow_offset[0] * scale), int(t.shadow_offset[1] * scale)
    shifted[dy:, dx:] = mask[: h - dy, : w - dx]
    shadow = cv2.GaussianBlur(shifted, (0, 0), t.shadow_blur * scale)
    background *= (1 - t.shadow_depth * shadow)[..., None]
    m = mask[..., None]
    return np.clip(rgb * m + background * (1 - m), 0, 255).astype(np.uint8)
