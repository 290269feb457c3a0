"""Garment outlines: landmarks, outline polygon and seam polylines of each cut, in pixel coordinates."""

from __future__ import annotations

import math

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
    cx = w / 2
    jitter = lambda scale: float(rng.uniform(-scale, scale))  # noqa: E731
    lay = Layout()
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


def lower_layout(shape: str, style: str, w: int, h: int, rng: np.random.Generator) -> Layout:
    cx = w / 2
    jitter = lambda scale: float(rng.uniform(-scale, scale))  # noqa: E731
    lay = Layout()
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
