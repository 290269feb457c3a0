"""Procedural flat garments ("packshots") with exact landmarks, and landmark estimation.

Left and right are always the **wearer's**, as in :data:`ml.types.KEYPOINT_NAMES`: a garment
photographed from the front shows its wearer's right side on the image's *left*. So
``shoulder_right`` has a smaller x than ``shoulder_left`` and maps onto the keypoint
``right_shoulder``.

Landmark sets (:data:`GARMENT_LANDMARKS`) are keyed by garment *shape*, because a bottom can be
trousers or a skirt (see :func:`garment_shape`):

* ``top`` / ``outerwear``: neckline (both corners and the centre of the front neckline),
  shoulders, both corners of each sleeve opening (``outer`` is the side away from the body),
  armpits and hem corners. Sleeveless garments put the sleeve corners on the shoulder
  (outer) and the armpit (inner).
* ``dress``: the same plus ``waist_left``/``waist_right``; the hem is the skirt's hem.
* ``trousers``: waistband corners, crotch and both corners of each leg opening.
* ``skirt``: waistband corners and hem corners.
"""

from __future__ import annotations

import itertools
import math

import cv2
import numpy as np
from PIL import Image, ImageDraw

from ml.errors import InvalidImage
from ml.types import GarmentKind, Packshot

_UPPER = (
    "neckline_left",
    "neckline_right",
    "neckline_center",
    "shoulder_left",
    "shoulder_right",
    "sleeve_left_outer",
    "sleeve_left_inner",
    "sleeve_right_outer",
    "sleeve_right_inner",
    "armpit_left",
    "armpit_right",
    "hem_left",
    "hem_right",
)

GARMENT_LANDMARKS: dict[str, tuple[str, ...]] = {
    "top": _UPPER,
    "outerwear": _UPPER,
    "dress": (*_UPPER, "waist_left", "waist_right"),
    "trousers": (
        "waist_left",
        "waist_right",
        "crotch",
        "leg_left_outer",
        "leg_left_inner",
        "leg_right_outer",
        "leg_right_inner",
    ),
    "skirt": ("waist_left", "waist_right", "hem_left", "hem_right"),
}

# style -> (shape, sleeves); the first style of each kind is its default.
STYLES: dict[GarmentKind, dict[str, tuple[str, str]]] = {
    GarmentKind.TOP: {
        "tshirt": ("top", "short"),
        "longsleeve": ("top", "long"),
        "shirt": ("top", "long"),
        "blouse": ("top", "short"),
        "tank": ("top", "none"),
    },
    GarmentKind.OUTERWEAR: {"jacket": ("outerwear", "long"), "coat": ("outerwear", "long")},
    GarmentKind.DRESS: {
        "short_sleeve": ("dress", "short"),
        "sleeveless": ("dress", "none"),
        "long_sleeve": ("dress", "long"),
    },
    GarmentKind.BOTTOM: {
        "trousers": ("trousers", "none"),
        "shorts": ("trousers", "none"),
        "skirt": ("skirt", "none"),
    },
}

PATTERNS = ("solid", "stripes", "pinstripes", "dots", "check", "floral", "denim")

Point = tuple[float, float]


def garment_shape(kind: GarmentKind, landmarks: dict[str, tuple[float, float]] | None = None) -> str:
    """The landmark set of a garment: bottoms are trousers when they have a crotch."""
    kind = GarmentKind(kind)
    if kind == GarmentKind.BOTTOM:
        return "trousers" if landmarks is None or "crotch" in landmarks else "skirt"
    if kind == GarmentKind.FULL_OUTFIT:
        return "dress"
    return str(kind)


# --------------------------------------------------------------------------- outlines


def _bezier(p0: Point, p1: Point, p2: Point, n: int = 16) -> list[Point]:
    """Quadratic Bezier from p0 to p2 bending towards p1 (p0 excluded)."""
    t = np.linspace(0, 1, n + 1)[1:, None]
    a, b, c = np.array(p0), np.array(p1), np.array(p2)
    pts = (1 - t) ** 2 * a + 2 * (1 - t) * t * b + t**2 * c
    return [tuple(p) for p in pts]


def _bulge(p0: Point, p2: Point, amount: float, n: int = 16) -> list[Point]:
    """Curve from p0 to p2 bulging ``amount`` pixels to the left of the direction p0->p2."""
    mx, my = (p0[0] + p2[0]) / 2, (p0[1] + p2[1]) / 2
    dx, dy = p2[0] - p0[0], p2[1] - p0[1]
    length = math.hypot(dx, dy) or 1.0
    nx, ny = dy / length, -dx / length
    return _bezier(p0, (mx + nx * amount * 2, my + ny * amount * 2), p2, n)


def _mirror(points: dict[str, Point], cx: float) -> dict[str, Point]:
    out = dict(points)
    for name, (x, y) in points.items():
        if name.endswith("_right"):
            out[name[: -len("_right")] + "_left"] = (2 * cx - x, y)
        elif "_right_" in name:
            out[name.replace("_right_", "_left_")] = (2 * cx - x, y)
    return out


class _Layout:
    """Landmarks, outline polygon and seam polylines of one garment in pixel coordinates."""

    def __init__(self) -> None:
        self.landmarks: dict[str, Point] = {}
        self.outline: list[Point] = []
        self.seams: list[list[Point]] = []  # stitched lines
        self.grooves: list[list[Point]] = []  # darker fold/seam lines
        self.sleeves: list[list[Point]] = []  # sleeve polygons (shaded a little darker)
        self.bands: list[tuple[list[Point], float]] = []  # (polyline, width) ribbing / waistband
        self.buttons: list[Point] = []
        self.collar: list[list[Point]] = []  # collar / lapel polygons drawn on top
        self.inside: list[list[Point]] = []  # visible inside of the garment (darker)


def _upper_layout(shape: str, sleeves: str, style: str, w: int, h: int, rng: np.random.Generator) -> _Layout:
    cx = w / 2
    jitter = lambda scale: float(rng.uniform(-scale, scale))  # noqa: E731
    lay = _Layout()
    if shape == "dress":
        y0 = 0.06 * h
        neck_w, shoulder_w, armpit_w = 0.085 * w, 0.175 * w, 0.160 * w
        armpit_y, body_len = y0 + 0.14 * h, 0.86 * h
    elif shape == "outerwear":
        y0 = 0.07 * h
        neck_w, shoulder_w, armpit_w = 0.085 * w, 0.245 * w, 0.225 * w
        armpit_y, body_len = y0 + 0.20 * h, (0.80 if style == "coat" else 0.66) * h
    else:
        y0 = 0.12 * h
        neck_w, shoulder_w, armpit_w = 0.08 * w, 0.225 * w, 0.205 * w
        armpit_y, body_len = y0 + (0.17 if sleeves == "none" else 0.19) * h, 0.68 * h
        if sleeves == "none":
            shoulder_w = 0.13 * w
    if shape == "dress" and sleeves == "none":
        shoulder_w = 0.12 * w
    neck_w += jitter(0.008 * w)
    armpit_w += jitter(0.008 * w)
    body_len += jitter(0.02 * h)
    neck_depth = (0.035 if style in ("shirt", "jacket", "coat") else 0.06) * h
    if style == "sleeveless":
        neck_depth = 0.08 * h
    p: dict[str, Point] = {
        "neckline_right": (cx - neck_w, y0),
        "neckline_center": (cx, y0 + neck_depth),
        "shoulder_right": (cx - shoulder_w, y0 + 0.035 * h),
        "armpit_right": (cx - armpit_w, armpit_y),
    }
    if shape == "dress":
        waist_y = y0 + 0.30 * h
        p["waist_right"] = (cx - 0.125 * w, waist_y)
        p["hem_right"] = (cx - 0.34 * w + jitter(0.01 * w), y0 + body_len)
    else:
        p["hem_right"] = (cx - armpit_w - 0.012 * w, y0 + body_len)
    sx, sy = p["shoulder_right"]
    if sleeves == "short":
        p["sleeve_right_outer"] = (sx - 0.165 * w, sy + 0.16 * h)
        p["sleeve_right_inner"] = (sx - 0.085 * w, sy + 0.23 * h)
    elif sleeves == "long":
        drop = 0.60 * h if shape != "dress" else 0.52 * h
        p["sleeve_right_outer"] = (sx - 0.21 * w, sy + drop)
        p["sleeve_right_inner"] = (sx - 0.115 * w, sy + drop + 0.02 * h)
    else:
        p["sleeve_right_outer"] = p["shoulder_right"]
        p["sleeve_right_inner"] = p["armpit_right"]
    p = _mirror(p, cx)
    lay.landmarks = p

    # Outline, clockwise on screen starting at the wearer's right neckline corner.
    out: list[Point] = [p["neckline_right"]]
    out += _bulge(p["neckline_right"], p["shoulder_right"], -0.004 * h, 6)
    if sleeves != "none":
        out += _bulge(p["shoulder_right"], p["sleeve_right_outer"], 0.01 * h, 16)
        out += [p["sleeve_right_inner"]]
        out += _bulge(p["sleeve_right_inner"], p["armpit_right"], 0.0, 10)
    else:
        out += _bezier(
            p["shoulder_right"],
            (p["shoulder_right"][0] + 0.01 * w, p["armpit_right"][1]),
            p["armpit_right"],
            16,
        )
    if shape == "dress":
        out += _bulge(p["armpit_right"], p["waist_right"], -0.01 * w, 10)
        out += _bulge(p["waist_right"], p["hem_right"], -0.012 * w, 18)
    else:
        out += _bulge(p["armpit_right"], p["hem_right"], 0.004 * w, 12)
    hem_sag = 0.012 * h if shape == "dress" else 0.004 * h
    out += _bulge(p["hem_right"], p["hem_left"], -hem_sag, 20)
    if shape == "dress":
        out += _bulge(p["hem_left"], p["waist_left"], -0.012 * w, 18)
        out += _bulge(p["waist_left"], p["armpit_left"], -0.01 * w, 10)
    else:
        out += _bulge(p["hem_left"], p["armpit_left"], 0.004 * w, 12)
    if sleeves != "none":
        out += _bulge(p["armpit_left"], p["sleeve_left_inner"], 0.0, 10)
        out += [p["sleeve_left_outer"]]
        out += _bulge(p["sleeve_left_outer"], p["shoulder_left"], 0.01 * h, 16)
    else:
        out += _bezier(
            p["armpit_left"], (p["shoulder_left"][0] - 0.01 * w, p["armpit_left"][1]), p["shoulder_left"], 16
        )
    out += _bulge(p["shoulder_left"], p["neckline_left"], -0.004 * h, 6)
    # A bezier through the centre: control point chosen so the curve passes neckline_center.
    ctrl_y = 2 * p["neckline_center"][1] - y0
    neck_curve = _bezier(p["neckline_left"], (cx, ctrl_y), p["neckline_right"], 24)
    out += neck_curve[:-1]
    lay.outline = out

    # Sleeves as separate polygons, seams and details.
    if sleeves != "none":
        for side in ("right", "left"):
            sh, so, si, ap = (
                p[f"shoulder_{side}"],
                p[f"sleeve_{side}_outer"],
                p[f"sleeve_{side}_inner"],
                p[f"armpit_{side}"],
            )
            lay.sleeves.append([sh, so, si, ap])
            lay.grooves.append([sh, ap])
            # cuff hem stitch, a little inside the opening
            ux, uy = sh[0] - so[0], sh[1] - so[1]
            length = math.hypot(ux, uy)
            off = (0.03 * h if sleeves == "long" else 0.018 * h) / length
            a = (so[0] + ux * off, so[1] + uy * off)
            under = max(math.hypot(ap[0] - si[0], ap[1] - si[1]), 1.0)
            b = (
                si[0] + (ap[0] - si[0]) * off * length / under,
                si[1] + (ap[1] - si[1]) * off * length / under,
            )
            lay.seams.append([a, b])
            if style in ("shirt", "jacket", "coat"):
                lay.grooves.append([a, b])
    for side in ("right", "left"):
        lay.grooves.append([p[f"neckline_{side}"], p[f"shoulder_{side}"]])
    # hem stitch
    hem_off = 0.022 * h
    lay.seams.append([(x, y - hem_off) for x, y in _bulge(p["hem_right"], p["hem_left"], -hem_sag, 20)][1:-1])
    if shape == "dress":
        lay.grooves.append(_bulge(p["waist_right"], p["waist_left"], -0.004 * h, 12))
    if style in ("tshirt", "longsleeve", "blouse", "tank", "short_sleeve", "sleeveless", "long_sleeve"):
        lay.bands.append((neck_curve, 0.022 * h))
    if style == "shirt":
        lay.collar.append(
            [
                p["neckline_right"],
                (cx - 0.02 * w, p["neckline_center"][1] + 0.005 * h),
                (cx - 0.10 * w, y0 + 0.075 * h),
            ]
        )
        lay.collar.append(
            [
                p["neckline_left"],
                (cx + 0.02 * w, p["neckline_center"][1] + 0.005 * h),
                (cx + 0.10 * w, y0 + 0.075 * h),
            ]
        )
        lay.seams.append([(cx - 0.018 * w, p["neckline_center"][1]), (cx - 0.018 * w, p["hem_right"][1] - 4)])
        lay.seams.append([(cx + 0.018 * w, p["neckline_center"][1]), (cx + 0.018 * w, p["hem_right"][1] - 4)])
        top, bottom = p["neckline_center"][1] + 0.04 * h, p["hem_right"][1] - 0.05 * h
        lay.buttons += [(cx, top + i * (bottom - top) / 5) for i in range(6)]
    if shape == "outerwear":
        lapel_y = y0 + 0.30 * h
        lay.collar.append(
            [
                p["neckline_right"],
                (cx - 0.01 * w, lapel_y),
                (cx - 0.13 * w, y0 + 0.14 * h),
                (cx - 0.12 * w, y0 + 0.05 * h),
            ]
        )
        lay.collar.append(
            [
                p["neckline_left"],
                (cx + 0.01 * w, lapel_y),
                (cx + 0.13 * w, y0 + 0.14 * h),
                (cx + 0.12 * w, y0 + 0.05 * h),
            ]
        )
        lay.grooves.append([(cx, lapel_y), (cx, p["hem_right"][1])])
        lay.inside.append([p["neckline_right"], *neck_curve[::-1], p["neckline_left"], (cx, lapel_y)])
        n = 4 if style == "coat" else 3
        bottom = p["hem_right"][1] - 0.10 * h
        lay.buttons += [(cx + 0.025 * w, lapel_y + 0.03 * h + i * (bottom - lapel_y) / n) for i in range(n)]
        pocket_y = p["hem_right"][1] - (0.22 if style == "coat" else 0.16) * h
        for sign in (-1, 1):
            x0 = cx + sign * 0.07 * w
            x1 = cx + sign * 0.19 * w
            lay.grooves.append([(x0, pocket_y), (x1, pocket_y - 0.01 * h)])
            lay.seams.append([(x0, pocket_y + 5), (x1, pocket_y - 0.01 * h + 5)])
    return lay


def _lower_layout(shape: str, style: str, w: int, h: int, rng: np.random.Generator) -> _Layout:
    cx = w / 2
    jitter = lambda scale: float(rng.uniform(-scale, scale))  # noqa: E731
    lay = _Layout()
    if shape == "skirt":
        y0 = 0.12 * h
        waist_w = 0.165 * w + jitter(0.01 * w)
        hem_w, length = 0.33 * w + jitter(0.02 * w), 0.62 * h + jitter(0.04 * h)
        p: dict[str, Point] = {
            "waist_right": (cx - waist_w, y0),
            "hem_right": (cx - hem_w, y0 + length),
        }
        p = _mirror(p, cx)
        lay.landmarks = p
        out: list[Point] = [p["waist_right"]]
        out += _bulge(p["waist_right"], p["hem_right"], -0.012 * w, 20)
        out += _bulge(p["hem_right"], p["hem_left"], -0.018 * h, 24)
        out += _bulge(p["hem_left"], p["waist_left"], -0.012 * w, 20)
        out += _bulge(p["waist_left"], p["waist_right"], 0.004 * h, 12)[:-1]
        lay.outline = out
        lay.bands.append(([p["waist_right"], p["waist_left"]], 0.05 * h))
        lay.seams.append(
            [(x, y - 0.02 * h) for x, y in _bulge(p["hem_right"], p["hem_left"], -0.018 * h, 24)]
        )
        for i in (-2, -1, 1, 2):
            top = (cx + i * waist_w / 3, y0 + 0.06 * h)
            lay.grooves.append(
                [top, (cx + i * hem_w / 3.2 + jitter(0.02 * w), y0 + length * 0.85)]
            )  # soft pleats
        return lay
    y0 = 0.05 * h
    waist_w = 0.19 * w + jitter(0.01 * w)
    length = (0.42 if style == "shorts" else 0.88) * h
    crotch_y = y0 + (0.30 if style == "shorts" else 0.34) * h + jitter(0.01 * h)
    hem_y = y0 + length
    leg_open = (0.215 if style == "shorts" else 0.145) * w
    splay = (0.135 if style == "shorts" else 0.235) * w
    p = {
        "waist_right": (cx - waist_w, y0),
        "crotch": (cx, crotch_y),
        "leg_right_outer": (cx - splay - leg_open / 2, hem_y),
        "leg_right_inner": (cx - splay + leg_open / 2, hem_y + 0.006 * h),
    }
    p = _mirror(p, cx)
    # _mirror maps leg_right_outer -> leg_left_outer etc.
    lay.landmarks = p
    hip = (cx - waist_w - 0.03 * w, y0 + 0.20 * h)
    out = [p["waist_right"]]
    out += _bezier(p["waist_right"], (hip[0] - 0.01 * w, y0 + 0.08 * h), hip, 10)
    out += _bulge(hip, p["leg_right_outer"], 0.004 * w, 24)
    out += [p["leg_right_inner"]]
    out += _bulge(p["leg_right_inner"], p["crotch"], 0.006 * w, 20)
    out += _bulge(p["crotch"], p["leg_left_inner"], 0.006 * w, 20)
    out += [p["leg_left_outer"]]
    hip_l = (2 * cx - hip[0], hip[1])
    out += _bulge(p["leg_left_outer"], hip_l, 0.004 * w, 24)
    out += _bezier(hip_l, (hip_l[0] + 0.01 * w, y0 + 0.08 * h), p["waist_left"], 10)
    out += _bulge(p["waist_left"], p["waist_right"], 0.003 * h, 12)[:-1]
    lay.outline = out
    band = 0.055 * h
    lay.bands.append(([p["waist_right"], p["waist_left"]], band))
    # fly, pockets, belt loops, hems, centre creases
    lay.seams.append(
        _bezier(
            (cx + 0.04 * w, y0 + band), (cx + 0.04 * w, crotch_y - 0.06 * h), (cx, crotch_y - 0.05 * h), 10
        )
    )
    lay.grooves.append([(cx, y0 + band), (cx, crotch_y)])
    for sign in (-1, 1):
        lay.seams.append(
            _bezier(
                (cx + sign * (waist_w - 0.09 * w), y0 + band),
                (cx + sign * (waist_w - 0.075 * w), y0 + 0.12 * h),
                (cx + sign * (waist_w + 0.01 * w), y0 + 0.14 * h),
                12,
            )
        )
        for fx in (0.25, 0.75):
            x = cx + sign * waist_w * fx
            lay.grooves.append([(x, y0), (x, y0 + band)])
        outer, inner = (
            p["leg_right_outer" if sign < 0 else "leg_left_outer"],
            p["leg_right_inner" if sign < 0 else "leg_left_inner"],
        )
        lay.seams.append([(outer[0] + sign * -2, outer[1] - 0.025 * h), (inner[0], inner[1] - 0.025 * h)])
        mid_top = (cx + sign * waist_w * 0.5, y0 + band + 0.02 * h)
        lay.grooves.append([mid_top, ((outer[0] + inner[0]) / 2, hem_y - 0.03 * h)])
    return lay


# --------------------------------------------------------------------------- fabric


def _smooth_noise(rng: np.random.Generator, h: int, w: int, cells: tuple[int, int]) -> np.ndarray:
    small = rng.standard_normal((max(cells[0], 2), max(cells[1], 2))).astype(np.float32)
    field = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    return field / (np.abs(field).max() + 1e-6)


def _shade_of(colour: np.ndarray, factor: float) -> np.ndarray:
    return np.clip(colour * factor, 0, 255)


def _accent_for(colour: np.ndarray) -> np.ndarray:
    lum = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]
    return np.array([245.0, 242.0, 235.0]) if lum < 150 else _shade_of(colour, 0.45)


def _pattern(
    pattern: str,
    colour: np.ndarray,
    accent: np.ndarray,
    h: int,
    w: int,
    scale: float,
    rng: np.random.Generator,
) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.empty((h, w, 3), np.float32)
    base[:] = colour
    if pattern == "solid":
        return base
    if pattern in ("stripes", "pinstripes"):
        period = (34 if pattern == "stripes" else 22) * scale
        frac = 0.45 if pattern == "stripes" else 0.12
        coord = yy if pattern == "stripes" else xx
        phase = (coord / period) % 1.0
        edge = 1.2 / period
        t = np.clip((np.abs(phase - 0.5) - (0.5 - frac / 2)) / edge + 0.5, 0, 1)
        return base * (1 - t[..., None]) + accent * t[..., None]
    if pattern == "dots":
        period = 30 * scale
        gx = (xx + (np.floor(yy / period) % 2) * period / 2) % period - period / 2
        gy = yy % period - period / 2
        r = np.sqrt(gx**2 + gy**2)
        t = np.clip((6.5 * scale - r) / 1.2 + 0.5, 0, 1)
        return base * (1 - t[..., None]) + accent * t[..., None]
    if pattern == "check":
        period = 40 * scale
        band_x = (np.cos(2 * np.pi * xx / period) > 0).astype(np.float32)
        band_y = (np.cos(2 * np.pi * yy / period) > 0).astype(np.float32)
        band_x = cv2.GaussianBlur(band_x, (0, 0), 0.8)
        band_y = cv2.GaussianBlur(band_y, (0, 0), 0.8)
        t = 0.45 * band_x + 0.45 * band_y
        return base * (1 - t[..., None]) + accent * t[..., None]
    if pattern == "denim":
        twill = np.sin((xx + yy) * 2 * np.pi / (4.0 * scale)) * 0.06
        slub = _smooth_noise(rng, h, w, (h // 3, 6)) * 0.05
        return base * (1 + twill + slub)[..., None]
    if pattern == "floral":
        img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        step = int(70 * scale)
        petal = np.clip(accent, 0, 255).astype(int)
        centre = np.clip(_shade_of(colour, 0.6) if accent.mean() > 200 else (250, 215, 90), 0, 255).astype(
            int
        )
        leaf = np.clip(np.array([70, 120, 70]) * 0.8 + colour * 0.2, 0, 255).astype(int)
        for gy in range(-step, h + step, step):
            for gx in range(-step, w + step, step):
                x = gx + rng.uniform(-0.3, 0.3) * step + (step / 2 if (gy // step) % 2 else 0)
                y = gy + rng.uniform(-0.3, 0.3) * step
                r = rng.uniform(0.16, 0.24) * step
                rot = rng.uniform(0, 2 * np.pi)
                for k in range(2):
                    a = rot + np.pi / 2 + k * np.pi
                    lx, ly = x + np.cos(a) * r * 1.6, y + np.sin(a) * r * 1.6
                    draw.ellipse(
                        [lx - r * 0.45, ly - r * 0.25, lx + r * 0.45, ly + r * 0.25], fill=tuple(leaf)
                    )
                for k in range(5):
                    a = rot + k * 2 * np.pi / 5
                    px, py = x + np.cos(a) * r * 0.8, y + np.sin(a) * r * 0.8
                    draw.ellipse(
                        [px - r * 0.55, py - r * 0.55, px + r * 0.55, py + r * 0.55], fill=tuple(petal)
                    )
                draw.ellipse([x - r * 0.35, y - r * 0.35, x + r * 0.35, y + r * 0.35], fill=tuple(centre))
        return cv2.GaussianBlur(np.asarray(img, np.float32), (0, 0), 0.7)
    raise ValueError(f"Unknown pattern {pattern!r}; choose one of {', '.join(PATTERNS)}.")


def _polyline_layer(
    size: tuple[int, int], ss: int, lines: list[list[Point]], width: float, dash: float = 0.0
) -> np.ndarray:
    """Rasterise polylines (optionally dashed) at ``ss``x supersampling, returned as a 0..1 float layer."""
    h, w = size
    img = Image.new("L", (w * ss, h * ss), 0)
    draw = ImageDraw.Draw(img)
    for line in lines:
        pts = [(x * ss, y * ss) for x, y in line]
        if len(pts) < 2:
            continue
        if dash <= 0:
            draw.line(pts, fill=255, width=max(1, round(width * ss)), joint="curve")
            continue
        # walk the polyline, drawing every other dash
        carry, on = 0.0, True
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            seg = math.hypot(x1 - x0, y1 - y0)
            pos = 0.0
            while pos < seg:
                step = min(dash * ss - carry, seg - pos)
                if on:
                    a, b = pos / seg, (pos + step) / seg
                    draw.line(
                        [(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)],
                        fill=255,
                        width=max(1, round(width * ss)),
                    )
                pos += step
                carry += step
                if carry >= dash * ss - 1e-6:
                    carry, on = 0.0, not on
    small = img.resize((w, h), Image.Resampling.BOX)
    return np.asarray(small, np.float32) / 255.0


def _polygon_layer(size: tuple[int, int], ss: int, polygons: list[list[Point]]) -> np.ndarray:
    h, w = size
    img = Image.new("L", (w * ss, h * ss), 0)
    draw = ImageDraw.Draw(img)
    for poly in polygons:
        draw.polygon([(x * ss, y * ss) for x, y in poly], fill=255)
    return np.asarray(img.resize((w, h), Image.Resampling.BOX), np.float32) / 255.0


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
        lay = _lower_layout(shape, style, w, h, rng)
    else:
        lay = _upper_layout(shape, sleeves, style, w, h, rng)
    scale = min(h / 768, w / 576)
    ss = 3

    mask = _polygon_layer((h, w), ss, [lay.outline])
    col = np.array(colour, np.float32)
    acc = np.array(accent, np.float32) if accent is not None else _accent_for(col)
    fabric = _pattern(pattern, col, acc, h, w, scale, rng)

    # Shading: rounded edges, soft folds, light from above, darker sleeves.
    inside = (mask > 0.5).astype(np.uint8)
    dist = cv2.distanceTransform(inside, cv2.DIST_L2, 5)
    shade = 1.0 - 0.16 * np.exp(-dist / (9 * scale)) + 0.04 * (1 - np.exp(-dist / (45 * scale)))
    folds = _smooth_noise(rng, h, w, (6, 5)) * 0.045
    vertical = _smooth_noise(rng, h, w, (4, 14)) * (
        0.05 if shape in ("dress", "skirt", "trousers") else 0.025
    )
    yy = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    shade = shade + folds + vertical + (0.03 - 0.07 * yy)
    if lay.sleeves:
        shade -= 0.05 * _polygon_layer((h, w), ss, lay.sleeves)
    grooves = cv2.GaussianBlur(_polyline_layer((h, w), ss, lay.grooves, 1.6 * scale), (0, 0), 1.6 * scale)
    shade -= 0.22 * grooves
    for line, width in lay.bands:
        band = _polyline_layer((h, w), ss, [line], width)
        rib = 1 + 0.05 * np.sin(np.arange(w, dtype=np.float32) * 2 * np.pi / (5 * scale))[None, :]
        shade = shade * (1 - band) + (shade - 0.06) * rib * band
        edge = _polyline_layer((h, w), ss, [line], width + 2.5 * scale) - band
        shade -= 0.12 * np.clip(edge, 0, 1)
    # Fabric texture: fine weave plus grain.
    xx = np.arange(w, dtype=np.float32)[None, :]
    weave = 0.018 * np.sin(xx * 2.1) * np.sin(yy * h * 2.1)
    grain = rng.normal(0, 0.018, (h, w)).astype(np.float32)
    shade = shade + weave + grain
    rgb = fabric * shade[..., None]

    # Stitching in a thread colour a little lighter/darker than the fabric.
    stitches = _polyline_layer((h, w), ss, lay.seams, 1.3 * scale, dash=5 * scale)
    thread = _shade_of(col, 0.7) if col.mean() > 90 else np.clip(col * 1.5 + 40, 0, 255)
    rgb = rgb * (1 - 0.8 * stitches[..., None]) + thread * 0.8 * stitches[..., None]
    if lay.inside:
        inside_layer = _polygon_layer((h, w), ss, lay.inside)
        rgb = rgb * (1 - 0.38 * inside_layer[..., None])
    if lay.collar:
        collar = _polygon_layer((h, w), ss, lay.collar)
        collar_edge = cv2.GaussianBlur(collar, (0, 0), 2.5 * scale)
        under = np.clip(collar_edge - collar, 0, 1)  # shadow just outside the collar
        rgb = rgb * (1 - 0.35 * under[..., None])
        collar_fabric = fabric * (1.02 + folds[..., None] * 0.5)
        outline = _polyline_layer((h, w), ss, [[*poly, poly[0]] for poly in lay.collar], 1.5 * scale)
        rgb = rgb * (1 - collar[..., None]) + collar_fabric * collar[..., None]
        rgb = rgb * (1 - 0.25 * outline[..., None])
    if lay.buttons:
        r = 7 * scale
        buttons = _polygon_layer(
            (h, w),
            ss,
            [
                [(x + r * math.cos(a), y + r * math.sin(a)) for a in np.linspace(0, 2 * np.pi, 20)]
                for x, y in lay.buttons
            ],
        )
        btn_col = np.array([236, 232, 224], np.float32) if col.mean() < 120 else _shade_of(col, 0.55)
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


# --------------------------------------------------------------------------- estimation


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
    image: np.ndarray | None, mask: np.ndarray, kind: GarmentKind
) -> dict[str, tuple[float, float]]:
    """Landmarks of a front-view flat garment from its mask's contour.

    ``image`` is accepted for future colour cues and may be None. Bottoms are treated as
    trousers when the mask has a crotch notch (a deep gap between two legs), else as a skirt.
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
    return _estimate_upper(binary, pts, cx, (x0, y0, bw, bh), kind)


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
    _x0, y0, bw, bh = box
    out: dict[str, tuple[float, float]] = {}
    top_band = pts[pts[:, 1] <= y0 + 0.01 * bh]
    out["waist_right"] = _extreme(top_band, -top_band[:, 0])
    out["waist_left"] = _extreme(top_band, top_band[:, 0])
    crotch = [
        (pt, depth)
        for pt, depth in _defects(contour)
        if abs(pt[0] - cx) < 0.15 * bw and pt[1] > y0 + 0.2 * bh and depth > 0.1 * bh
    ]
    if not crotch:
        out["hem_right"] = _extreme(pts, pts[:, 1] - 0.5 * pts[:, 0])
        out["hem_left"] = _extreme(pts, pts[:, 1] + 0.5 * pts[:, 0])
        return out
    crotch_pt = max(crotch, key=lambda c: c[1])[0]
    out["crotch"] = crotch_pt
    cxp = crotch_pt[0]
    below = pts[pts[:, 1] > crotch_pt[1]]
    right_leg, left_leg = below[below[:, 0] < cxp], below[below[:, 0] >= cxp]
    out["leg_right_outer"] = _extreme(right_leg, right_leg[:, 1] - 0.5 * right_leg[:, 0])
    out["leg_right_inner"] = _extreme(right_leg, right_leg[:, 1] + 0.5 * right_leg[:, 0])
    out["leg_left_outer"] = _extreme(left_leg, left_leg[:, 1] + 0.5 * left_leg[:, 0])
    out["leg_left_inner"] = _extreme(left_leg, left_leg[:, 1] - 0.5 * left_leg[:, 0])
    return out


def _estimate_upper(
    binary: np.ndarray, pts: np.ndarray, cx: float, box: tuple[int, int, int, int], kind: GarmentKind
) -> dict[str, tuple[float, float]]:
    x0, y0, bw, bh = box
    is_dress = kind == GarmentKind.DRESS
    out: dict[str, tuple[float, float]] = {}
    # Top profile: first garment row per column.
    cols = np.arange(x0, x0 + bw)
    has = binary[:, cols].any(axis=0)
    top = np.where(has, binary[:, cols].argmax(axis=0), binary.shape[0]).astype(np.float32)
    centre = round(cx) - x0
    half = max(3, int(0.28 * bw))
    right_cols = np.arange(max(0, centre - half), centre)
    left_cols = np.arange(centre + 1, min(bw, centre + half + 1))
    # The neckline corners are the highest points either side of the centre.
    r = right_cols[np.argmin(top[right_cols] + 1e-3 * (centre - right_cols))]
    l_ = left_cols[np.argmin(top[left_cols] + 1e-3 * (left_cols - centre))]
    out["neckline_right"] = (float(x0 + r), float(top[r]))
    out["neckline_left"] = (float(x0 + l_), float(top[l_]))
    mid = np.arange(r, l_ + 1)
    deepest = top[mid].max()
    c = mid[top[mid] >= deepest - 0.5].mean()
    out["neckline_center"] = (float(x0 + c), float(deepest))

    # Row runs through the centre line: the body's left and right edge per row.
    xi = round(cx)
    y_first = int(deepest) + 1
    y_last = y0 + bh - 1
    lefts = np.zeros(y_last - y_first + 1, np.float32)
    rights = np.zeros_like(lefts)
    for k, y in enumerate(range(y_first, y_last + 1)):
        row = binary[y]
        lefts[k] = xi - (np.argmin(row[xi::-1]) if not row[: xi + 1].all() else xi + 1) + 1
        rights[k] = xi + (np.argmin(row[xi:]) if not row[xi:].all() else len(row) - xi) - 1

    # Armpits: where a sleeve parts from the body, the body's edge jumps inwards from one row to
    # the next; without sleeves, where the armhole's outward sweep ends.
    search = int((0.3 if is_dress else 0.55) * bh)
    jump_r = np.nonzero(np.diff(lefts[:search]) > 0.03 * bw)[0]
    jump_l = np.nonzero(np.diff(rights[:search]) < -0.03 * bw)[0]
    sleeveless = len(jump_r) == 0 or len(jump_l) == 0
    if not sleeveless:
        kr, kl = int(jump_r[0]) + 1, int(jump_l[0]) + 1
        out["armpit_right"] = (float(lefts[kr]), float(y_first + kr))
        out["armpit_left"] = (float(rights[kl]), float(y_first + kl))
    else:
        width = cv2.GaussianBlur((rights - lefts)[:search].reshape(-1, 1), (1, 0), 2).ravel()
        grow = np.gradient(width)
        peak = int(np.argmax(grow))
        calm = np.nonzero(grow[peak:] < 0.15 * max(float(grow[peak]), 1e-3))[0]
        k = peak + (int(calm[0]) if len(calm) else 0)
        out["armpit_right"] = (float(lefts[k]), float(y_first + k))
        out["armpit_left"] = (float(rights[k]), float(y_first + k))

    # Hem corners: lowest-and-outermost contour points of the body below the armpits, where the body
    # is the run through the centre line (hanging sleeves excluded).
    ya = out["armpit_right"][1]
    below = pts[pts[:, 1] > ya]
    rows = np.clip(below[:, 1].astype(int) - y_first, 0, len(lefts) - 1)
    body = below[(below[:, 0] >= lefts[rows] - 2) & (below[:, 0] <= rights[rows] + 2)]
    out["hem_right"] = _extreme(body, body[:, 1] - 0.5 * body[:, 0])
    out["hem_left"] = _extreme(body, body[:, 1] + 0.5 * body[:, 0])

    if is_dress:
        ka = int(ya) - y_first
        kh = int(out["hem_right"][1]) - y_first
        span = rights[ka + 2 : ka + int(0.6 * (kh - ka))] - lefts[ka + 2 : ka + int(0.6 * (kh - ka))]
        kw = ka + 2 + int(np.argmin(span))
        out["waist_right"] = (float(lefts[kw]), float(y_first + kw))
        out["waist_left"] = (float(rights[kw]), float(y_first + kw))

    for side, sign in (("right", -1), ("left", 1)):
        armpit = np.array(out[f"armpit_{side}"])
        hem = np.array(out[f"hem_{side}"])
        if not sleeveless:
            # The sleeve: contour points outside the body's side line (armpit -> hem) and the armpit's
            # column; its opening is the part farthest from the armpit, "outer" away from the armpit.
            side_dir = hem - armpit
            rel = pts - armpit
            cross = side_dir[0] * rel[:, 1] - side_dir[1] * rel[:, 0]
            outside = cross * sign < -2 * np.linalg.norm(side_dir)
            sleeve = pts[outside & ((pts[:, 0] - armpit[0]) * sign > 2) & (pts[:, 1] > deepest)]
            col = int(np.clip(armpit[0] - x0, 0, bw - 1))
            root = np.array([armpit[0], (top[col] + armpit[1]) / 2])
            axis = sleeve.mean(axis=0) - root
            axis /= np.linalg.norm(axis) + 1e-6
            perp = np.array([-axis[1], axis[0]])
            along = (sleeve - root) @ axis
            across = (sleeve - root) @ perp
            sign_out = 1.0 if float(np.median(across)) > 0 else -1.0
            out[f"sleeve_{side}_outer"] = _extreme(sleeve, along + 0.7 * sign_out * across)
            out[f"sleeve_{side}_inner"] = _extreme(sleeve, along - 0.7 * sign_out * across)
        # Shoulder: the corner of the top edge between the neckline and the sleeve end (or armpit).
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

    names = GARMENT_LANDMARKS["dress" if is_dress else "top"]
    return {name: (float(out[name][0]), float(out[name][1])) for name in names}
