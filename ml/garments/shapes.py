"""Garment outlines: landmarks, outline polygon and seam polylines of each cut, in pixel coordinates."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ml.garments.landmarks import Point


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


@dataclass(frozen=True)
class UpperCut:
    """The body of an upper garment: x as shares of the image's width from its centre line, y as
    shares of its height."""

    top: float  # the neckline corners' row, from the image's top
    neck: float  # the neckline corners' half-width
    shoulder: float  # the shoulders' half-width
    armpit: float  # the armpits' half-width
    armpit_drop: float  # the armpits below the top
    length: float  # the hem below the top


@dataclass(frozen=True)
class LegCut:
    """Trousers or shorts: y as shares of the image's height, x of its width."""

    length: float  # the hem below the waistband
    crotch_drop: float  # the crotch below the waistband
    leg_opening: float  # a leg's opening, across
    splay: float  # a leg opening's centre out from the centre line


Jitter = Callable[[float], float]


@dataclass(frozen=True)
class ShapeTuning:
    """The proportions of the drawn garments (the demo catalogue's packshots). Lengths along x are
    shares of the image's width (w), along y of its height (h); px are the image's pixels. A bulge is
    a curve's sag to the left of its direction (negative: to the right)."""

    # the bodies of tops, jackets, coats and dresses
    top: UpperCut = UpperCut(top=0.12, neck=0.08, shoulder=0.225, armpit=0.205, armpit_drop=0.19, length=0.68)
    sleeveless_top: UpperCut = UpperCut(
        top=0.12, neck=0.08, shoulder=0.13, armpit=0.205, armpit_drop=0.17, length=0.68
    )
    jacket: UpperCut = UpperCut(
        top=0.07, neck=0.085, shoulder=0.245, armpit=0.225, armpit_drop=0.20, length=0.66
    )
    coat: UpperCut = UpperCut(
        top=0.07, neck=0.085, shoulder=0.245, armpit=0.225, armpit_drop=0.20, length=0.80
    )
    dress: UpperCut = UpperCut(
        top=0.06, neck=0.085, shoulder=0.175, armpit=0.160, armpit_drop=0.14, length=0.86
    )
    sleeveless_dress: UpperCut = UpperCut(
        top=0.06, neck=0.085, shoulder=0.12, armpit=0.160, armpit_drop=0.14, length=0.86
    )
    neck_jitter: float = 0.008  # w: the neckline's half-width varies this much either way
    armpit_jitter: float = 0.008  # w: and the armpits'
    length_jitter: float = 0.02  # h: and the length
    neck_depth: float = 0.06  # h: the neckline's centre below its corners ...
    collared_neck_depth: float = 0.035  # h: ... on a shirt, jacket or coat ...
    sleeveless_neck_depth: float = 0.08  # h: ... and on a sleeveless dress
    shoulder_drop: float = 0.035  # h: the shoulders below the neckline corners
    hem_out: float = 0.012  # w: a top's hem corners outside its armpits
    dress_waist_drop: float = 0.30  # h: a dress's waist below its neckline corners
    dress_waist: float = 0.125  # w: its waist's half-width
    dress_hem: float = 0.34  # w: its hem's half-width ...
    dress_hem_jitter: float = 0.01  # w: ... varying this much either way
    # sleeves: (out, down) from the shoulder
    short_sleeve_outer: tuple[float, float] = (0.165, 0.16)  # (w, h): a short sleeve's outer corner
    short_sleeve_inner: tuple[float, float] = (0.085, 0.23)  # (w, h): its inner corner
    long_sleeve_drop: float = 0.60  # h: a long sleeve's opening below the shoulder ...
    dress_long_sleeve_drop: float = 0.52  # h: ... on a dress
    long_sleeve_outer: float = 0.21  # w: its outer corner out from the shoulder
    long_sleeve_inner: float = 0.115  # w: its inner corner out from the shoulder ...
    long_sleeve_slant: float = 0.02  # h: ... and this much lower than the outer one
    # the outline's curves
    shoulder_bulge: float = -0.004  # h: neckline corner to shoulder
    sleeve_bulge: float = 0.01  # h: shoulder to a sleeve's outer corner
    armhole_bend: float = 0.01  # w: a sleeveless armhole's control point inside the shoulder's column
    side_bulge: float = 0.004  # w: a top's side, armpit to hem
    bodice_bulge: float = -0.01  # w: a dress's side, armpit to waist
    skirt_side_bulge: float = -0.012  # w: a dress's side, waist to hem
    hem_sag: float = 0.004  # h: a top's hem sags this much ...
    dress_hem_sag: float = 0.012  # h: ... and a dress's
    # seams and details of tops, jackets, coats and dresses
    cuff_stitch: float = 0.018  # h: a short sleeve's hem stitch inside its opening ...
    long_cuff_stitch: float = 0.03  # h: ... and a long sleeve's
    hem_stitch: float = 0.022  # h: the hem stitch above the hem
    waist_seam_bulge: float = -0.004  # h: a dress's waist seam
    neckband: float = 0.022  # h: the ribbed neckband's width
    collar_tip: tuple[float, float] = (0.02, 0.005)  # (w, h): a shirt collar's tip beside and below the
    # neckline's centre
    collar_wing: tuple[float, float] = (0.10, 0.075)  # (w, h): its wing from the centre line and the top
    placket: float = 0.018  # w: a shirt's placket stitches either side of the centre line ...
    placket_end: int = 4  # px: ... ending this far above the hem
    shirt_buttons: int = 6  # a shirt's buttons, from ...
    first_button: float = 0.04  # h: ... this far below the neckline's centre ...
    last_button: float = 0.05  # h: ... to this far above the hem
    lapel_drop: float = 0.30  # h: a lapel's lowest point below the neckline corners
    lapel_notch: tuple[float, float] = (0.13, 0.14)  # (w, h): the lapel's outer corner from the centre, top
    lapel_top: tuple[float, float] = (0.12, 0.05)  # (w, h): its top corner
    lapel_inset: float = 0.01  # w: its lowest point beside the centre line
    jacket_buttons: int = 3  # buttons of a jacket ...
    coat_buttons: int = 4  # ... and of a coat, from ...
    outer_button_drop: float = 0.03  # h: ... this far below the lapel ...
    outer_button_end: float = 0.10  # h: ... towards this far above the hem
    button_off_centre: float = 0.025  # w: the buttons right of the centre line
    jacket_pocket: float = 0.16  # h: a jacket's pocket flaps above the hem ...
    coat_pocket: float = 0.22  # h: ... a coat's
    pocket_span: tuple[float, float] = (0.07, 0.19)  # w: a pocket flap from, to (from the centre line)
    pocket_slant: float = 0.01  # h: its outer end this much higher
    pocket_stitch: int = 5  # px: its stitch below it
    # skirts
    skirt_top: float = 0.12  # h: the waistband's row
    skirt_waist: float = 0.165  # w: the waist's half-width ...
    skirt_waist_jitter: float = 0.01  # w: ... varying this much either way
    skirt_hem: float = 0.33  # w: the hem's half-width ...
    skirt_hem_jitter: float = 0.02  # w: ... varying this much either way
    skirt_length: float = 0.62  # h: the length ...
    skirt_length_jitter: float = 0.04  # h: ... varying this much either way
    skirt_side_curve: float = -0.012  # w: a skirt's side
    skirt_hem_sag: float = 0.018  # h: its hem's sag
    skirt_waist_curve: float = 0.004  # h: its waistband's curve
    skirt_band: float = 0.05  # h: its waistband's width
    skirt_hem_stitch: float = 0.02  # h: its hem stitch above the hem
    pleat_waist: float = 3.0  # pleats start at multiples of the waist's half-width over this ...
    pleat_hem: float = 3.2  # ... and end at multiples of the hem's over this ...
    pleat_jitter: float = 0.02  # w: ... varying this much either way ...
    pleat_top: float = 0.06  # h: ... from this far below the waistband ...
    pleat_length: float = 0.85  # ... down this share of the skirt's length
    # trousers and shorts
    trousers: LegCut = LegCut(length=0.88, crotch_drop=0.34, leg_opening=0.145, splay=0.235)
    shorts: LegCut = LegCut(length=0.42, crotch_drop=0.30, leg_opening=0.215, splay=0.135)
    legs_top: float = 0.05  # h: the waistband's row
    legs_waist: float = 0.19  # w: the waist's half-width ...
    legs_waist_jitter: float = 0.01  # w: ... varying this much either way
    crotch_jitter: float = 0.01  # h: the crotch's height varies this much either way
    inner_hem_drop: float = 0.006  # h: a leg opening's inner corner lower than its outer one
    hip: tuple[float, float] = (0.03, 0.20)  # (w, h): the hips outside the waist, below the waistband
    hip_curve: tuple[float, float] = (0.01, 0.08)  # (w, h): the hip curve's control point inside the hips,
    # below the waistband
    outseam_bulge: float = 0.004  # w: a leg's outer side
    inseam_bulge: float = 0.006  # w: a leg's inner side
    legs_waist_curve: float = 0.003  # h: the waistband's curve
    legs_band: float = 0.055  # h: the waistband's width
    fly: float = 0.04  # w: the fly's stitch right of the centre line, from the waistband ...
    fly_turn: float = 0.06  # h: ... turning this far above the crotch ...
    fly_end: float = 0.05  # h: ... into the centre line this far above it
    front_pocket: float = 0.09  # w: a front pocket's stitch starts this far inside the waist's side ...
    front_pocket_bend: tuple[float, float] = (0.075, 0.12)  # (w inside the side, h below the waistband):
    # ... curves about this point ...
    front_pocket_end: tuple[float, float] = (0.01, 0.14)  # (w outside the side, h below): ... and ends here
    belt_loops: tuple[float, ...] = (0.25, 0.75)  # of the waist's half-width: the belt loops
    leg_hem_stitch: float = 0.025  # h: a leg's hem stitch above its opening ...
    leg_hem_inset: int = 2  # px: ... starting this far inside its outer side
    crease_top: float = 0.02  # h: a leg's crease starts this far below the waistband ...
    crease_end: float = 0.03  # h: ... and ends this far above the hem
    crease_at: float = 0.5  # of the waist's half-width: the crease's top


TUNING = ShapeTuning()
COLLARED = ("shirt", "jacket", "coat")  # styles with a collar (a shallower neckline)
NECKBANDED = ("tshirt", "longsleeve", "blouse", "tank", "short_sleeve", "sleeveless", "long_sleeve")


class Layout:
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


def upper_layout(shape: str, sleeves: str, style: str, w: int, h: int, rng: np.random.Generator) -> Layout:
    jitter: Jitter = lambda scale: float(rng.uniform(-scale, scale))  # noqa: E731
    lay = Layout()
    p = _upper_landmarks(shape, sleeves, style, w, h, jitter)
    lay.landmarks = p
    y0 = _upper_cut(shape, sleeves, style).top * h
    lay.outline, neck_curve = _upper_outline(p, shape, sleeves, w, h, y0)
    if sleeves != "none":
        _sleeve_details(lay, p, sleeves, style, h)
    for side in ("right", "left"):
        lay.grooves.append([p[f"neckline_{side}"], p[f"shoulder_{side}"]])
    # hem stitch
    hem_sag = _hem_sag(shape, h)
    hem_off = TUNING.hem_stitch * h
    lay.seams.append([(x, y - hem_off) for x, y in _bulge(p["hem_right"], p["hem_left"], -hem_sag, 20)][1:-1])
    if shape == "dress":
        lay.grooves.append(_bulge(p["waist_right"], p["waist_left"], TUNING.waist_seam_bulge * h, 12))
    if style in NECKBANDED:
        lay.bands.append((neck_curve, TUNING.neckband * h))
    if style == "shirt":
        _shirt_details(lay, p, w, h, y0)
    if shape == "outerwear":
        _outerwear_details(lay, p, neck_curve, style, w, h, y0)
    return lay


def _upper_cut(shape: str, sleeves: str, style: str) -> UpperCut:
    t = TUNING
    if shape == "dress":
        return t.sleeveless_dress if sleeves == "none" else t.dress
    if shape == "outerwear":
        return t.coat if style == "coat" else t.jacket
    return t.sleeveless_top if sleeves == "none" else t.top


def _hem_sag(shape: str, h: int) -> float:
    return TUNING.dress_hem_sag * h if shape == "dress" else TUNING.hem_sag * h


def _upper_landmarks(
    shape: str, sleeves: str, style: str, w: int, h: int, jitter: Jitter
) -> dict[str, Point]:
    t = TUNING
    cx = w / 2
    cut = _upper_cut(shape, sleeves, style)
    y0 = cut.top * h
    neck_w, shoulder_w, armpit_w = cut.neck * w, cut.shoulder * w, cut.armpit * w
    armpit_y, body_len = y0 + cut.armpit_drop * h, cut.length * h
    neck_w += jitter(t.neck_jitter * w)
    armpit_w += jitter(t.armpit_jitter * w)
    body_len += jitter(t.length_jitter * h)
    neck_depth = (t.collared_neck_depth if style in COLLARED else t.neck_depth) * h
    if style == "sleeveless":
        neck_depth = t.sleeveless_neck_depth * h
    p: dict[str, Point] = {
        "neckline_right": (cx - neck_w, y0),
        "neckline_center": (cx, y0 + neck_depth),
        "shoulder_right": (cx - shoulder_w, y0 + t.shoulder_drop * h),
        "armpit_right": (cx - armpit_w, armpit_y),
    }
    if shape == "dress":
        waist_y = y0 + t.dress_waist_drop * h
        p["waist_right"] = (cx - t.dress_waist * w, waist_y)
        p["hem_right"] = (cx - t.dress_hem * w + jitter(t.dress_hem_jitter * w), y0 + body_len)
    else:
        p["hem_right"] = (cx - armpit_w - t.hem_out * w, y0 + body_len)
    sx, sy = p["shoulder_right"]
    if sleeves == "short":
        p["sleeve_right_outer"] = (sx - t.short_sleeve_outer[0] * w, sy + t.short_sleeve_outer[1] * h)
        p["sleeve_right_inner"] = (sx - t.short_sleeve_inner[0] * w, sy + t.short_sleeve_inner[1] * h)
    elif sleeves == "long":
        drop = t.long_sleeve_drop * h if shape != "dress" else t.dress_long_sleeve_drop * h
        p["sleeve_right_outer"] = (sx - t.long_sleeve_outer * w, sy + drop)
        p["sleeve_right_inner"] = (sx - t.long_sleeve_inner * w, sy + drop + t.long_sleeve_slant * h)
    else:
        p["sleeve_right_outer"] = p["shoulder_right"]
        p["sleeve_right_inner"] = p["armpit_right"]
    return _mirror(p, cx)


def _upper_outline(
    p: dict[str, Point], shape: str, sleeves: str, w: int, h: int, y0: float
) -> tuple[list[Point], list[Point]]:
    """The outline, clockwise on screen from the wearer's right neckline corner, and the neckline's
    curve."""
    t = TUNING
    cx = w / 2
    out: list[Point] = [p["neckline_right"]]
    out += _bulge(p["neckline_right"], p["shoulder_right"], t.shoulder_bulge * h, 6)
    if sleeves != "none":
        out += _bulge(p["shoulder_right"], p["sleeve_right_outer"], t.sleeve_bulge * h, 16)
        out += [p["sleeve_right_inner"]]
        out += _bulge(p["sleeve_right_inner"], p["armpit_right"], 0.0, 10)
    else:
        out += _bezier(
            p["shoulder_right"],
            (p["shoulder_right"][0] + t.armhole_bend * w, p["armpit_right"][1]),
            p["armpit_right"],
            16,
        )
    if shape == "dress":
        out += _bulge(p["armpit_right"], p["waist_right"], t.bodice_bulge * w, 10)
        out += _bulge(p["waist_right"], p["hem_right"], t.skirt_side_bulge * w, 18)
    else:
        out += _bulge(p["armpit_right"], p["hem_right"], t.side_bulge * w, 12)
    out += _bulge(p["hem_right"], p["hem_left"], -_hem_sag(shape, h), 20)
    if shape == "dress":
        out += _bulge(p["hem_left"], p["waist_left"], t.skirt_side_bulge * w, 18)
        out += _bulge(p["waist_left"], p["armpit_left"], t.bodice_bulge * w, 10)
    else:
        out += _bulge(p["hem_left"], p["armpit_left"], t.side_bulge * w, 12)
    if sleeves != "none":
        out += _bulge(p["armpit_left"], p["sleeve_left_inner"], 0.0, 10)
        out += [p["sleeve_left_outer"]]
        out += _bulge(p["sleeve_left_outer"], p["shoulder_left"], t.sleeve_bulge * h, 16)
    else:
        out += _bezier(
            p["armpit_left"],
            (p["shoulder_left"][0] - t.armhole_bend * w, p["armpit_left"][1]),
            p["shoulder_left"],
            16,
        )
    out += _bulge(p["shoulder_left"], p["neckline_left"], t.shoulder_bulge * h, 6)
    # A bezier through the centre: control point chosen so the curve passes neckline_center.
    ctrl_y = 2 * p["neckline_center"][1] - y0
    neck_curve = _bezier(p["neckline_left"], (cx, ctrl_y), p["neckline_right"], 24)
    out += neck_curve[:-1]
    return out, neck_curve


def _sleeve_details(lay: Layout, p: dict[str, Point], sleeves: str, style: str, h: int) -> None:
    """Sleeves as separate polygons, their seams and cuff stitches."""
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
        off = (TUNING.long_cuff_stitch * h if sleeves == "long" else TUNING.cuff_stitch * h) / length
        a = (so[0] + ux * off, so[1] + uy * off)
        under = max(math.hypot(ap[0] - si[0], ap[1] - si[1]), 1.0)
        b = (
            si[0] + (ap[0] - si[0]) * off * length / under,
            si[1] + (ap[1] - si[1]) * off * length / under,
        )
        lay.seams.append([a, b])
        if style in COLLARED:
            lay.grooves.append([a, b])


def _shirt_details(lay: Layout, p: dict[str, Point], w: int, h: int, y0: float) -> None:
    """A shirt's collar, placket and buttons."""
    t = TUNING
    cx = w / 2
    (tip_x, tip_y), (wing_x, wing_y) = t.collar_tip, t.collar_wing
    for sign, side in ((-1, "right"), (1, "left")):
        lay.collar.append(
            [
                p[f"neckline_{side}"],
                (cx + sign * tip_x * w, p["neckline_center"][1] + tip_y * h),
                (cx + sign * wing_x * w, y0 + wing_y * h),
            ]
        )
    for sign in (-1, 1):
        x = cx + sign * t.placket * w
        lay.seams.append([(x, p["neckline_center"][1]), (x, p["hem_right"][1] - t.placket_end)])
    top, bottom = p["neckline_center"][1] + t.first_button * h, p["hem_right"][1] - t.last_button * h
    n = t.shirt_buttons
    lay.buttons += [(cx, top + i * (bottom - top) / (n - 1)) for i in range(n)]


def _outerwear_details(
    lay: Layout, p: dict[str, Point], neck_curve: list[Point], style: str, w: int, h: int, y0: float
) -> None:
    """A jacket's or coat's lapels, front opening, buttons and pocket flaps."""
    t = TUNING
    cx = w / 2
    lapel_y = y0 + t.lapel_drop * h
    for sign, side in ((-1, "right"), (1, "left")):
        lay.collar.append(
            [
                p[f"neckline_{side}"],
                (cx + sign * t.lapel_inset * w, lapel_y),
                (cx + sign * t.lapel_notch[0] * w, y0 + t.lapel_notch[1] * h),
                (cx + sign * t.lapel_top[0] * w, y0 + t.lapel_top[1] * h),
            ]
        )
    lay.grooves.append([(cx, lapel_y), (cx, p["hem_right"][1])])
    lay.inside.append([p["neckline_right"], *neck_curve[::-1], p["neckline_left"], (cx, lapel_y)])
    n = t.coat_buttons if style == "coat" else t.jacket_buttons
    bottom = p["hem_right"][1] - t.outer_button_end * h
    x = cx + t.button_off_centre * w
    lay.buttons += [(x, lapel_y + t.outer_button_drop * h + i * (bottom - lapel_y) / n) for i in range(n)]
    pocket_y = p["hem_right"][1] - (t.coat_pocket if style == "coat" else t.jacket_pocket) * h
    for sign in (-1, 1):
        x0 = cx + sign * t.pocket_span[0] * w
        x1 = cx + sign * t.pocket_span[1] * w
        lay.grooves.append([(x0, pocket_y), (x1, pocket_y - t.pocket_slant * h)])
        lay.seams.append(
            [(x0, pocket_y + t.pocket_stitch), (x1, pocket_y - t.pocket_slant * h + t.pocket_stitch)]
        )


def lower_layout(shape: str, style: str, w: int, h: int, rng: np.random.Generator) -> Layout:
    jitter: Jitter = lambda scale: float(rng.uniform(-scale, scale))  # noqa: E731
    if shape == "skirt":
        return _skirt_layout(w, h, jitter)
    return _legs_layout(TUNING.shorts if style == "shorts" else TUNING.trousers, w, h, jitter)


def _skirt_layout(w: int, h: int, jitter: Jitter) -> Layout:
    t = TUNING
    cx = w / 2
    lay = Layout()
    y0 = t.skirt_top * h
    waist_w = t.skirt_waist * w + jitter(t.skirt_waist_jitter * w)
    hem_w, length = (
        t.skirt_hem * w + jitter(t.skirt_hem_jitter * w),
        t.skirt_length * h + jitter(t.skirt_length_jitter * h),
    )
    p: dict[str, Point] = {
        "waist_right": (cx - waist_w, y0),
        "hem_right": (cx - hem_w, y0 + length),
    }
    p = _mirror(p, cx)
    lay.landmarks = p
    out: list[Point] = [p["waist_right"]]
    out += _bulge(p["waist_right"], p["hem_right"], t.skirt_side_curve * w, 20)
    out += _bulge(p["hem_right"], p["hem_left"], -t.skirt_hem_sag * h, 24)
    out += _bulge(p["hem_left"], p["waist_left"], t.skirt_side_curve * w, 20)
    out += _bulge(p["waist_left"], p["waist_right"], t.skirt_waist_curve * h, 12)[:-1]
    lay.outline = out
    lay.bands.append(([p["waist_right"], p["waist_left"]], t.skirt_band * h))
    lay.seams.append(
        [
            (x, y - t.skirt_hem_stitch * h)
            for x, y in _bulge(p["hem_right"], p["hem_left"], -t.skirt_hem_sag * h, 24)
        ]
    )
    for i in (-2, -1, 1, 2):
        top = (cx + i * waist_w / t.pleat_waist, y0 + t.pleat_top * h)
        lay.grooves.append(
            [top, (cx + i * hem_w / t.pleat_hem + jitter(t.pleat_jitter * w), y0 + length * t.pleat_length)]
        )  # soft pleats
    return lay


def _legs_layout(cut: LegCut, w: int, h: int, jitter: Jitter) -> Layout:
    """Trousers or shorts."""
    t = TUNING
    cx = w / 2
    lay = Layout()
    y0 = t.legs_top * h
    waist_w = t.legs_waist * w + jitter(t.legs_waist_jitter * w)
    length = cut.length * h
    crotch_y = y0 + cut.crotch_drop * h + jitter(t.crotch_jitter * h)
    hem_y = y0 + length
    leg_open = cut.leg_opening * w
    splay = cut.splay * w
    p = {
        "waist_right": (cx - waist_w, y0),
        "crotch": (cx, crotch_y),
        "leg_right_outer": (cx - splay - leg_open / 2, hem_y),
        "leg_right_inner": (cx - splay + leg_open / 2, hem_y + t.inner_hem_drop * h),
    }
    p = _mirror(p, cx)
    # _mirror maps leg_right_outer -> leg_left_outer etc.
    lay.landmarks = p
    hip = (cx - waist_w - t.hip[0] * w, y0 + t.hip[1] * h)
    out = [p["waist_right"]]
    out += _bezier(p["waist_right"], (hip[0] - t.hip_curve[0] * w, y0 + t.hip_curve[1] * h), hip, 10)
    out += _bulge(hip, p["leg_right_outer"], t.outseam_bulge * w, 24)
    out += [p["leg_right_inner"]]
    out += _bulge(p["leg_right_inner"], p["crotch"], t.inseam_bulge * w, 20)
    out += _bulge(p["crotch"], p["leg_left_inner"], t.inseam_bulge * w, 20)
    out += [p["leg_left_outer"]]
    hip_l = (2 * cx - hip[0], hip[1])
    out += _bulge(p["leg_left_outer"], hip_l, t.outseam_bulge * w, 24)
    out += _bezier(hip_l, (hip_l[0] + t.hip_curve[0] * w, y0 + t.hip_curve[1] * h), p["waist_left"], 10)
    out += _bulge(p["waist_left"], p["waist_right"], t.legs_waist_curve * h, 12)[:-1]
    lay.outline = out
    _legs_details(lay, p, waist_w, crotch_y, hem_y, w, h)
    return lay


def _legs_details(
    lay: Layout, p: dict[str, Point], waist_w: float, crotch_y: float, hem_y: float, w: int, h: int
) -> None:
    """The waistband, fly, pockets, belt loops, hems and centre creases of trousers or shorts."""
    t = TUNING
    cx = w / 2
    y0 = p["waist_right"][1]
    band = t.legs_band * h
    lay.bands.append(([p["waist_right"], p["waist_left"]], band))
    lay.seams.append(
        _bezier(
            (cx + t.fly * w, y0 + band),
            (cx + t.fly * w, crotch_y - t.fly_turn * h),
            (cx, crotch_y - t.fly_end * h),
            10,
        )
    )
    lay.grooves.append([(cx, y0 + band), (cx, crotch_y)])
    for sign in (-1, 1):
        lay.seams.append(
            _bezier(
                (cx + sign * (waist_w - t.front_pocket * w), y0 + band),
                (cx + sign * (waist_w - t.front_pocket_bend[0] * w), y0 + t.front_pocket_bend[1] * h),
                (cx + sign * (waist_w + t.front_pocket_end[0] * w), y0 + t.front_pocket_end[1] * h),
                12,
            )
        )
        for fx in t.belt_loops:
            x = cx + sign * waist_w * fx
            lay.grooves.append([(x, y0), (x, y0 + band)])
        outer, inner = (
            p["leg_right_outer" if sign < 0 else "leg_left_outer"],
            p["leg_right_inner" if sign < 0 else "leg_left_inner"],
        )
        stitch_y = t.leg_hem_stitch * h
        lay.seams.append(
            [(outer[0] + sign * -t.leg_hem_inset, outer[1] - stitch_y), (inner[0], inner[1] - stitch_y)]
        )
        mid_top = (cx + sign * waist_w * t.crease_at, y0 + band + t.crease_top * h)
        lay.grooves.append([mid_top, ((outer[0] + inner[0]) / 2, hem_y - t.crease_end * h)])
