"""A packshot laid onto the body as one continuous deformation: no rigid pieces, no seams.

The garment's body is mapped as a *ribbon*: a ladder of rungs, each matching the garment's two
sides at one height (shoulder seams, armpits, waist, hem) with two points on the shopper (the
seams a little outside her shoulder joints, the torso's silhouette at the armpits and hem: never
narrower than her body, never narrower than the garment's own cut). Between rungs everything is
interpolated linearly, across each half of the body separately, so the garment widens and
narrows with the body, follows a leaning torso, and cannot fold over itself. Trousers are a hip
ribbon down to the crotch and a ribbon along each leg (through the shopper's knee and ankle, so a
leg bends with hers). Sleeves stay limb pieces warped bone by bone (``PackshotSource``): turning a
sleeve from the packshot's angle down along the arm is a rotation a ribbon cannot make.

The size follows the body: the width from the shoulder joints (the seam sits a little outside
them), the length from the longer of that and the torso's length (a body turned from the camera
keeps its torso length while its shoulders foreshorten). The shopper's own folds and shadows are
carried onto the flat packshot where her clothes were.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from dataclasses import dataclass

import cv2
import numpy as np

from ml.errors import CannotRender
from ml.garments import garment_shape
from ml.garments.mask import paper_colour
from ml.render.warp import body as body_module
from ml.render.warp import sleeves as warp_sleeves
from ml.render.warp import sources as sources_module
from ml.render.warp.geometry import (
    ARM_BONES,
    Group,
    Part,
    Seam,
    Skeleton,
    outer_edge,
    segment_distance,
    side_extent,
)
from ml.render.warp.geometry import point as keypoint_at
from ml.render.warp.sources import (
    PACKSHOT_CACHE_SIZE,
    Layer,
    PackshotSource,
    Piece,
    packshot_key,
    sleeve_split,
)
from ml.types import GarmentKind, Packshot, PhotoAnalysis
from ml.types import ParsingClass as C


@dataclass(frozen=True)
class MeshTuning:
    """Every number of the fit, in shoulder spans (the shopper's shoulder joints apart) unless
    said otherwise; levels are in torso lengths (mid-shoulders to mid-hips) below the shoulders."""

    # Bottoms as ribbons (hip ribbon + leg ribbons); off, bottoms are drawn bone by bone as limb
    # pieces (warp-11 to warp-32: the ribbons of 2026-12-01 scored below the pieces, before the
    # crotch was read at the top of the paper between the legs and the hips blended into the legs)
    ribbon_bottoms: bool = True
    seam_out: float = 0.10  # a shoulder seam sits this far outside the shoulder joint
    seam_up: float = 0.04  # ... and this far above it
    # a sleeved top's seam goes out to her outline at the joint's level less this, at most this far
    # outside the joint (``_seam_on_her_outline``)
    seam_inset: float = 0.0  # (the seam on her outline itself)
    max_seam_out: float = 0.3  # (her outline searched this far out)
    seam_per_torso: float = 0.80  # shoulder seams apart per torso length, for the length scale
    min_symmetry: float = 0.7  # the outline's symmetry axis is trusted from this mirror overlap up
    strap_chest: float = 1.1  # a strappy cut is scaled as if its shoulders were this many chests wide
    chest_level: float = 0.3  # where her chest is measured for a dress's length scale (levels)
    chest_ease: float = 1.04  # the chest at least this many times the body's width
    hem_ease: float = 1.03  # waist and hem at least this many times the body's width at their level
    max_chest_scale: float = 1.35  # the chest at most this many times the body's width (misread cuts)
    min_half_width: float = 0.2  # no side of a rung closer than this to the axis
    hem_reach: float = 0.3  # a top's hem let down by up to this (levels) over a longer old top ...
    hem_keep_dress: float = 1.0  # ... never below this level (a dress is kept below a new top's hem)
    old_hem_percentile: float = 97.0  # the old top's hem: this percentile of its central pixels' levels
    waist_above_hips: float = 0.2  # a bottom's waistband above the hip joints (levels)
    crotch_below_hips: float = 0.22  # a trouser crotch below the hip joints (levels)
    rise_scale_range: tuple[float, float] = (0.5, 2.0)  # the rise's scale within this of the waist's
    max_crotch_below_hips: float = 0.35  # the crotch never lower than this below the hip joints (levels)
    crotch_blend: float = 0.15  # torso lengths below the crotch line over which hips turn into legs
    # the background between a packshot's overlapping trouser legs, above its crotch notch: pixels
    # this close to the paper's colour (grey levels) ...
    wedge_paper_tolerance: int = 24
    wedge_seed: int = 8  # px: ... reaching this close above the crotch landmark ...
    wedge_max_width: float = 0.15  # ... at most this share of the garment's width wide
    min_hips_per_span: float = 0.6  # hip joints counted at least this many shoulder spans apart
    side_per_hips_apart: float = 1.1  # a bottom's half-width at most this many hip-joint distances
    waist_ease: float = 1.02  # a waistband at least this many times the body's width there
    leg_ease: float = 1.12  # a trouser leg at least this many times the leg's width
    leg_stations: tuple[float, ...] = (0.3, 0.65, 1.0)  # a leg is fitted here along the thigh ...
    shin_stations: tuple[float, ...] = (0.5,)  # ... and here along the shin (and at its hem)
    full_length: float = 2.2  # trousers this many waistband widths long (waist to hem) reach the ankle
    shin_per_thigh: float = 1.0  # a shin the photo does not show is this many thighs long
    # a leg the pose lacks runs down to her outline's lowest point this close to its line ...
    unseen_leg_reach: float = 0.3
    foot_share: float = 0.05  # ... less this share of it for the foot ...
    min_unseen_leg: float = 1.0  # ... when that is at least this many torso lengths, else ...
    default_leg: float = 1.6  # ... this many torso lengths (crotch to ankle)
    # an ankle the pose put inside her long garment, above the bare feet that show below its hem,
    # is lowered to the top of her feet found this close to the shin's line (shoulder spans) ...
    feet_reach: float = 0.2
    max_ankle_drop: float = 0.4  # ... by at most this many torso lengths
    max_leg_stretch: float = 1.5  # a leg's outer side at most this many times its own (or the limb's) width
    min_legs_apart: float = 0.7  # knees and ankles kept at least this share of the leg roots' distance apart
    hem_rows_skipped: float = 0.04  # share of a packshot leg's rows at its hem not used to read its width
    leg_gap_share: float = 0.5  # a leg's inner side reaches at most this share of the way to the other
    inner_rim: float = 3.0  # packshot px of a leg's soft inner edge kept outside the shopper's leg
    leg_inner_reach: float = 0.6  # the inner side of a leg is measured this far towards the other leg
    leg_outer_reach: float = 0.6  # ... and its outer side this far out
    leg_root_share: float = 0.5  # a leg's root: this share of the crotch rung's reach out from its centre
    last_station: float = 0.9  # leg stations this close to the hem (share of the leg's length) are dropped
    skirt_hip_level: float = 0.35  # a skirt's hip rung: this share of the way from its waist to its hem
    grid: int = 4  # the map is computed every this many shopper pixels and interpolated
    margin: float = 0.35  # the warped box reaches this far beyond the garment's mapped outline
    shade_fine: float = 0.012  # folds: the shopper's light blurred at this share of the photo height ...
    shade_coarse: float = 0.06  # ... over the same blurred at this share (the overall light)
    # share of the folds' light carried onto the garment: at 0.45 (warp-103 and before) and 0.9 the
    # reviewers read it as a grey cast, glare and her old garment's marks on a light garment
    shade_strength: float = 0.2
    shade_range: tuple[float, float] = (0.78, 1.15)  # shading factors clipped to this range
    shade_inset: float = 0.015  # no shading this close (share of photo height) to the old clothes' edge
    shading_height: int = 256  # px: the shopper's light is measured on a copy this tall
    shade_grey_offset: float = 8.0  # grey levels added before the light ratio (dark clothes: no blow-up)
    shade_fine_min_sigma: float = 0.6  # px of the small copy: the fold blur at least this ...
    shade_coarse_min_sigma: float = 2.0  # ... and the overall light's blur at least this
    width_reach: float = 1.2  # the torso's silhouette is searched this far out from its axis ...
    arm_clearance: float = 0.14  # ... stopping this close to her arm bones (her own sleeves are no torso)
    old_hem_band: float = 0.5  # the old top's hem is read within this distance of the body's axis
    waist_fallback: float = 1.9  # hip-joint distances: her waist's width where the photo does not show it
    box_cells: int = 96  # the coarse pass finding the warped box: the photo's long side in this many cells
    box_min_cell: int = 4  # px: ... each at least this big
    box_hit_alpha: float = 0.05  # a cell counts as covered from this garment alpha up
    box_pad_cells: int = 2  # the box is padded by this many cells
    # a dress is at least as wide as her painted thighs at these shares of the way from hips to knees
    # (above its hem) ...
    thigh_stations: tuple[float, ...] = (0.5, 1.0)
    min_rung_gap: float = 2.0  # ... px: no such rung this close to another rung's level, or past the hem
    # a dress or top is at least as wide as the trousers she keeps under it every this many torso
    # lengths below her shoulders, down to its hem or this many torso lengths ...
    body_station_step: float = 0.1
    body_station_end: float = 3.0  # (torso lengths below the shoulders)
    body_min_gain: float = 0.01  # ... where that widens a side by at least this many shoulder spans
    legs_gap: float = 0.3  # shoulder spans: a gap in her outline this narrow (between her legs) is hers
    # the packshot's own side is searched along a rung's garment side this share of it out ...
    own_side_range: tuple[float, float] = (0.5, 2.0)
    own_side_step: float = 0.02  # ... in steps of this share
    max_flare: float = 0.5  # px out per px down: a side widens at most this fast below the waist (armpits)
    # below the armpit a sleeve pixel lies within half its opening plus this many armhole depths of its
    # axis (farther out it is the body's: a flared dress's side)
    sleeve_reach: float = 0.5
    # a sleeve follows the garment's body within this distance of its armhole seam, and her arm beyond
    seam_reach: float = 0.25
    # ... of the seam's upper part, this share of the way from the shoulder to the armpit: under her arm
    # the flat packshot's sleeve stands off the body, so there the sleeve follows her arm
    seam_depth: float = 0.5
    # px of the photo: along its seam a sewn sleeve reaches this far over the body's side of it (both
    # drawn alike there), so the seam shows no pinholes where the two maps round differently
    seam_overlap: float = 2.0
    # ... down this share of the way from the shoulder to the armpit (past the hand-over, where the
    # two maps still nearly agree)
    seam_overlap_depth: float = 0.75
    # A top's shoulders lie on hers (``lift_onto_shoulders``): where its top edge at her shoulder
    # joint's column is below the top of her shoulder there, found within this far above the joint ...
    lift_scan: float = 0.35
    max_lift: float = 0.2  # ... the garment is lifted by the difference, at most this ...
    # ... fully at and outside the joint, fading towards her neck (a Gaussian this wide) ...
    lift_spread: float = 0.15
    lift_depth: float = 0.5  # ... and down to nothing this far below the joint
    # outside the joint the gap is measured column by column, each column lifted by its own gap
    # (held beyond the last) ...
    lift_column: float = 2.0  # px: ... every this many px ...
    lift_outward: float = 0.4  # ... out to her outline, at most this far out


TUNING = MeshTuning()


@dataclass(frozen=True)
class _LegFit:
    """What every station of a trouser leg is fitted with."""

    body: BodyFrame
    sign: float  # 1 for her right leg, -1 for her left
    outward: float  # the packshot leg's outer side along x: -1 or 1
    scale: float  # shopper px per packshot px across
    vscale: float  # ... and down the leg
    legs_mask: np.ndarray  # her leg pixels (no arms, garments over them or background)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (float(np.linalg.norm(v)) or 1.0)


def _along(points: list[np.ndarray], distance: float) -> tuple[np.ndarray, np.ndarray]:
    """The point ``distance`` along the polyline (extended past its end) and the direction there."""
    for a, b in itertools.pairwise(points):
        length = float(np.linalg.norm(b - a))
        if distance <= length or b is points[-1]:
            direction = _unit(b - a)
            return a + direction * distance, direction
        distance -= length
    raise AssertionError("a polyline has at least two points")


# --------------------------------------------------------------------------- the shopper
@dataclass(frozen=True)
class BodyFrame:
    """The shopper's torso as the fit sees it."""

    right_shoulder: np.ndarray
    left_shoulder: np.ndarray
    down: np.ndarray  # unit vector down the torso
    across: np.ndarray  # unit vector towards the wearer's right (the image's left when facing us)
    span: float
    torso: float  # mid-shoulders to mid-hips, px
    body: np.ndarray  # torso pixels (person, without arms, hair and face)

    @property
    def mid(self) -> np.ndarray:
        return (self.right_shoulder + self.left_shoulder) / 2

    def at(self, level: float) -> np.ndarray:
        return self.mid + level * self.torso * self.down

    def level(self, point: np.ndarray) -> float:
        return float((point - self.mid) @ self.down) / max(self.torso, 1.0)

    def widths(self, level: float) -> tuple[float, float]:
        """The torso's extent to the wearer's right and left at ``level`` (0 where not measurable)."""
        centre = self.at(level)
        reach = TUNING.width_reach * self.span
        return (
            side_extent(self.body, centre, self.across, reach),
            side_extent(self.body, centre, -self.across, reach),
        )


def body_frame(shopper: PhotoAnalysis, dst: Skeleton) -> BodyFrame:
    poly = dst.polygon().astype(np.float64)
    rs, ls = poly[0], poly[1]
    down_vec = dst.frame.down.astype(np.float64)
    down = _unit(down_vec)
    across = np.array([-down[1], down[0]])
    if float(np.dot(rs - ls, across)) < 0:  # seen from the back: the wearer's right is on the right
        across = -across
    body = (shopper.person_mask > 127) & ~np.isin(shopper.parsing, (C.ARMS, C.BACKGROUND, C.HAIR, C.FACE))
    # her own sleeves are parsed as her top: measured as torso, a long-sleeved shopper's arms made the
    # new garment's body as wide as her torso and both arms
    span = float(np.linalg.norm(ls - rs))
    arms = np.zeros(body.shape, np.uint8)
    for name in ARM_BONES:
        if name in dst.bones:
            a, b = (tuple(int(v) for v in np.round(p)) for p in dst.bones[name])
            cv2.line(arms, a, b, 1, max(1, round(2 * TUNING.arm_clearance * span)))
    body &= arms == 0
    return BodyFrame(
        right_shoulder=rs,
        left_shoulder=ls,
        down=down,
        across=across,
        span=span,
        torso=float(np.linalg.norm(down_vec)),
        body=body,
    )


# --------------------------------------------------------------------------- ribbons
@dataclass(frozen=True)
class Rung:
    """The garment's two sides at one height and where they go on the shopper."""

    g_right: np.ndarray  # (x, y) in the packshot: the wearer's right side
    g_left: np.ndarray
    d_right: np.ndarray  # (x, y) on the shopper
    d_left: np.ndarray
    # the packshot point her body's centre line goes to (a trouser crotch lies off the middle of
    # the row's outline when one leg overlaps the other); the middle of the two sides when None
    g_centre: np.ndarray | None = None


def _upper_hull(xs: np.ndarray, ys: np.ndarray):
    """The upper concave hull of the points (``xs`` increasing) as a function of x."""
    hull: list[int] = []
    for i in range(len(xs)):
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            # b lies on or under the line from a to i: not on the upper hull
            if (ys[b] - ys[a]) * (xs[i] - xs[a]) <= (ys[i] - ys[a]) * (xs[b] - xs[a]):
                hull.pop()
            else:
                break
        hull.append(i)
    return lambda at: np.interp(at, xs[hull], ys[hull])


def _interp(levels: np.ndarray, where: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Piecewise-linear ``values`` (n, k) at ``where``, extrapolated linearly past both ends."""
    out = np.empty((len(where), values.shape[1]))
    for k in range(values.shape[1]):
        out[:, k] = np.interp(where, levels, values[:, k])
    for end, other in ((0, 1), (-1, -2)):
        span = levels[end] - levels[other]
        if abs(span) < 1e-9:
            continue
        slope = (values[end] - values[other]) / span
        beyond = where < levels[0] if end == 0 else where > levels[-1]
        out[beyond] = values[end] + (where[beyond, None] - levels[end]) * slope
    return out


class TorsoRibbon:
    """Rungs down the shopper's torso axis; a shopper pixel's garment pixel, half by half."""

    def __init__(self, rungs: list[Rung], down: np.ndarray, across: np.ndarray) -> None:
        self.down, self.across = down, across
        centres_d = np.array([(r.d_right + r.d_left) / 2 for r in rungs])
        levels = centres_d @ down
        order = np.argsort(levels, kind="stable")
        self.levels = levels[order]
        rungs = [rungs[i] for i in order]
        centres_g = np.array(
            [(r.g_right + r.g_left) / 2 if r.g_centre is None else r.g_centre for r in rungs]
        )
        self.table = np.hstack(
            [
                centres_d[order],
                np.array(
                    [[float((r.d_right - c) @ across)] for r, c in zip(rungs, centres_d[order], strict=True)]
                ),
                np.array(
                    [[float((c - r.d_left) @ across)] for r, c in zip(rungs, centres_d[order], strict=True)]
                ),
                centres_g,
                np.array([r.g_right - c for r, c in zip(rungs, centres_g, strict=True)]),
                np.array([r.g_left - c for r, c in zip(rungs, centres_g, strict=True)]),
            ]
        )

    def __call__(self, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        points = np.stack([xs.ravel(), ys.ravel()], axis=1)
        level = points @ self.down
        if len(self.levels) == 1:
            row = np.repeat(self.table, len(level), axis=0)
        else:
            row = _interp(self.levels, level, self.table)
        centre_d, right_d, left_d = row[:, 0:2], row[:, 2], row[:, 3]
        centre_g, right_g, left_g = row[:, 4:6], row[:, 6:8], row[:, 8:10]
        offset = (points - centre_d) @ self.across
        right = offset >= 0
        share = np.where(right, offset / np.maximum(right_d, 1e-6), -offset / np.maximum(left_d, 1e-6))
        garment = centre_g + share[:, None] * np.where(right[:, None], right_g, left_g)
        return garment[:, 0].reshape(xs.shape), garment[:, 1].reshape(xs.shape)


@dataclass(frozen=True)
class LegStation:
    along_d: float  # distance along the shopper's leg path
    outer_d: float  # half-widths on the shopper
    inner_d: float
    along_g: float  # distance along the garment leg's axis
    outer_g: float
    inner_g: float
    shift_g: float = 0.0  # the garment leg's centre here, off its axis towards its outer side


class LegRibbon:
    """A trouser leg along the shopper's leg path (root at crotch level, knee, ankle)."""

    def __init__(
        self,
        path: list[np.ndarray],
        outward: np.ndarray,
        root_g: np.ndarray,
        axis_g: np.ndarray,
        perp_g: np.ndarray,
        stations: list[LegStation],
    ) -> None:
        self.path = path
        self.outward = outward  # the leg's outer side, roughly (the wearer's right for her right leg)
        self.root_g, self.axis_g, self.perp_g = root_g, axis_g, perp_g
        self.table = np.array(
            [[s.along_d, s.outer_d, s.inner_d, s.along_g, s.outer_g, s.inner_g, s.shift_g] for s in stations]
        )

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(distance along the path, signed distance to its outer side, distance to the path)."""
        best = np.full(len(points), np.inf)
        along = np.zeros(len(points))
        side = np.zeros(len(points))
        start = 0.0
        for a, b in itertools.pairwise(self.path):
            seg = b - a
            length = float(np.linalg.norm(seg)) or 1e-6
            unit = seg / length
            perp = np.array([-unit[1], unit[0]])
            if float(perp @ self.outward) < 0:
                perp = -perp
            rel = points - a
            t = np.clip(rel @ unit, 0.0 if start > 0 else -np.inf, np.inf if b is self.path[-1] else length)
            foot = a + t[:, None] * unit
            dist = np.linalg.norm(points - foot, axis=1)
            closer = dist < best
            best = np.where(closer, dist, best)
            along = np.where(closer, start + t, along)
            side = np.where(closer, rel @ perp, side)
            start += length
        return along, side, best

    def garment_points(self, along: np.ndarray, side: np.ndarray) -> np.ndarray:
        row = np.stack([np.interp(along, self.table[:, 0], self.table[:, k]) for k in range(7)], axis=1)
        last = self.table[-1]
        past = along > last[0]
        if len(self.table) > 1 and past.any():  # past the hem: continue the garment's axis
            prev = self.table[-2]
            slope = (last[3] - prev[3]) / max(last[0] - prev[0], 1e-6)
            row[past, 3] = last[3] + (along[past] - last[0]) * slope
        outer = side >= 0
        share = np.where(outer, side / np.maximum(row[:, 1], 1e-6), side / np.maximum(row[:, 2], 1e-6))
        width = np.where(outer, row[:, 4], row[:, 5])
        return self.root_g + row[:, 3:4] * self.axis_g + (row[:, 6] + share * width)[:, None] * self.perp_g


def _leg_runs(garment: np.ndarray, crotch_y: int, axis_x: float, outward: float):
    """One trouser leg of a packshot, row by row from the crotch down: (its hem row, [(outer x,
    inner x)] per row). The inner edge is where the legs part, the garment's axis where they touch.
    None when the leg has no pixels below the crotch."""
    height, width = garment.shape
    cols = np.arange(width)
    half = (cols < axis_x) if outward < 0 else (cols >= axis_x)
    edges: list[tuple[float, float]] = []
    hem_y = crotch_y
    for y in range(max(0, crotch_y), height):
        row = garment[y] & half
        found = np.flatnonzero(row)
        if found.size == 0:
            if edges:
                break
            continue
        if outward < 0:
            outer = float(found[0])
            gaps = np.flatnonzero(np.diff(found) > 1)
            inner = float(found[gaps[0]] + 1) if gaps.size else float(min(found[-1] + 1, axis_x))
        else:
            outer = float(found[-1] + 1)
            gaps = np.flatnonzero(np.diff(found) > 1)
            inner = float(found[gaps[-1] + 1]) if gaps.size else float(max(found[0], axis_x))
        edges.append((outer, inner))
        hem_y = y
    if not edges:
        return None
    return float(hem_y), edges


class TrouserMap:
    """Hip ribbon above the crotch level, the nearer leg ribbon below it, the two blended over
    ``blend`` px below the crotch line. The leg ribbons run across her thighs' slant and the hip
    ribbon straight across her body, so switching from one to the other at a line cut the trousers
    there into a hip block and two leg blocks offset from it; blended, the map stays continuous."""

    def __init__(
        self,
        hips: TorsoRibbon,
        legs: list[LegRibbon],
        crotch_level: float,
        down: np.ndarray,
        blend: float = 0.0,
        crotch_row: float | None = None,
    ):
        self.hips, self.legs, self.crotch_level, self.down = hips, legs, crotch_level, down
        self.blend = blend
        # below the crotch line the hip ribbon's side of the blend stays on the packshot's crotch row
        # (extrapolated lower it reaches into the gap between the packshot's legs, and the blend
        # opened a slit between thighs that touch)
        self.crotch_row = crotch_row

    def __call__(self, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        gx, gy = self.hips(xs, ys)
        points = np.stack([xs.ravel(), ys.ravel()], axis=1)
        below = points @ self.down > self.crotch_level
        if not self.legs or not below.any():
            return gx, gy
        sub = points[below]
        found = [leg.project(sub) for leg in self.legs]
        nearest = np.argmin(np.stack([f[2] for f in found]), axis=0)
        garment = np.zeros((len(sub), 2))
        for index, (leg, (along, side, _d)) in enumerate(zip(self.legs, found, strict=True)):
            mine = nearest == index
            garment[mine] = leg.garment_points(along[mine], side[mine])
        flat_x, flat_y = gx.ravel().copy(), gy.ravel().copy()
        if self.blend > 0:
            legs_share = np.clip((sub @ self.down - self.crotch_level) / self.blend, 0.0, 1.0)[:, None]
            hips = np.stack([flat_x[below], flat_y[below]], axis=1)
            if self.crotch_row is not None:
                hips[:, 1] = np.minimum(hips[:, 1], self.crotch_row)
            garment = hips + legs_share * (garment - hips)
        flat_x[below], flat_y[below] = garment[:, 0], garment[:, 1]
        return flat_x.reshape(xs.shape), flat_y.reshape(xs.shape)


def _crotch_wedge(image: np.ndarray, layer: Layer, crotch: np.ndarray) -> np.ndarray | None:
    """The paper between a trouser packshot's legs above its crotch notch, or None.

    Laid flat, one leg often overlaps the other near the top, so the paper shows through as a thin
    wedge closed at the bottom; the cut-out fills enclosed holes (a white print on a white tee is
    garment) and the crotch is found at the bottom of the notch, under the wedge. Mapped onto a
    body, that paper showed as a white slit down the front of the trousers."""
    t = TUNING
    garment = layer.alpha > 0.5
    columns = np.flatnonzero(garment.any(axis=0))
    if columns.size == 0:
        return None
    paper = paper_colour(image)
    near = np.abs(layer.image.astype(np.int16) - paper.astype(np.int16)).max(axis=-1)
    paperlike = (garment & (near <= t.wedge_paper_tolerance)).astype(np.uint8)
    _count, labels, stats, _centres = cv2.connectedComponentsWithStats(paperlike, connectivity=8)
    cx, cy = round(float(crotch[0])), round(float(crotch[1]))
    seed = t.wedge_seed
    window = labels[max(0, cy - seed) : cy + 1, max(0, cx - seed) : cx + seed + 1]
    widest = t.wedge_max_width * float(columns[-1] - columns[0] + 1)
    found = [
        int(i)
        for i in np.unique(window)
        if i and stats[i, cv2.CC_STAT_WIDTH] <= widest and stats[i, cv2.CC_STAT_TOP] < cy
    ]
    if not found:
        return None
    best = max(found, key=lambda i: stats[i, cv2.CC_STAT_AREA])
    return labels == best


def _wedge_apex(wedge: np.ndarray) -> np.ndarray:
    """Where the legs part: the top of the wedge (its middle column there)."""
    ys, xs = np.nonzero(wedge)
    top = int(ys.min())
    return np.array([float(xs[ys == top].mean()), float(top)])


def _open_crotch(
    image: np.ndarray, layer: Layer, lm: dict[str, np.ndarray], shape: str
) -> tuple[Layer, np.ndarray | None]:
    """A trouser layer with the paper between its legs (:func:`_crotch_wedge`) transparent, and
    where its legs part (None when it has no such paper)."""
    if shape != "trousers" or "crotch" not in lm:
        return layer, None
    wedge = _crotch_wedge(image, layer, lm["crotch"])
    if wedge is None:
        return layer, None
    alpha = layer.alpha.copy()
    alpha[wedge] = 0.0
    return Layer(image=layer.image, alpha=alpha, groups=layer.groups, kind=layer.kind), _wedge_apex(wedge)


def _sleeves_only_near_their_axis(layer: Layer, lm: dict[str, np.ndarray], shape: str) -> Layer:
    """The packshot's part labels with a sleeve's label kept only near the sleeve (within its
    opening's width of the line from the shoulder to the cuff): below the armpit the side of a
    flared dress or a wide hem belongs to the body, not to the sleeve."""
    if shape not in ("top", "outerwear", "dress"):
        return layer
    groups = layer.groups.copy()
    for side, group in (("right", Group.RIGHT_ARM), ("left", Group.LEFT_ARM)):
        root, armpit = lm[f"shoulder_{side}"], lm[f"armpit_{side}"]
        # only the sleeve's pixels below the armpit are in question (a few per cent of the photo)
        ys, xs = np.nonzero(groups == group)
        below = ys > armpit[1]
        ys, xs = ys[below], xs[below]
        if ys.size == 0:
            continue
        outer, inner = lm[f"sleeve_{side}_outer"], lm[f"sleeve_{side}_inner"]
        cuff = (outer + inner) / 2
        reach = 0.5 * float(np.linalg.norm(outer - inner)) + TUNING.sleeve_reach * float(
            np.linalg.norm(armpit - root)
        )
        distance = segment_distance(
            xs.astype(np.float32), ys.astype(np.float32), root.astype(np.float32), cuff.astype(np.float32)
        )
        far = distance > reach
        groups[ys[far], xs[far]] = Group.TORSO
    return Layer(image=layer.image, alpha=layer.alpha, groups=groups, kind=layer.kind)


_BODY_LAYERS: OrderedDict[str, tuple[Layer, np.ndarray | None]] = OrderedDict()
_BODY_LAYERS_LOCK = threading.Lock()


def _body_layer(
    packshot: Packshot, layer: Layer, lm: dict[str, np.ndarray], shape: str
) -> tuple[Layer, np.ndarray | None]:
    """:func:`_sleeves_only_near_their_axis` and :func:`_open_crotch`, once per packshot and process
    (like the layer): the body's layer and, for trousers, where their legs part."""
    key = packshot_key(packshot)
    with _BODY_LAYERS_LOCK:
        found = _BODY_LAYERS.get(key)
        if found is not None:
            _BODY_LAYERS.move_to_end(key)
            return found
    found = _open_crotch(packshot.image, _sleeves_only_near_their_axis(layer, lm, shape), lm, shape)
    found[0].groups.flags.writeable = False
    with _BODY_LAYERS_LOCK:
        _BODY_LAYERS[key] = found
        while len(_BODY_LAYERS) > PACKSHOT_CACHE_SIZE:
            _BODY_LAYERS.popitem(last=False)
    return found


def _clear_body_layers() -> None:
    with _BODY_LAYERS_LOCK:
        _BODY_LAYERS.clear()


sources_module._also_clear.append(_clear_body_layers)


def _lift_profile(
    hers: np.ndarray, union: np.ndarray, joint: np.ndarray, outward: np.ndarray, body: BodyFrame
) -> tuple[np.ndarray, np.ndarray] | None:
    """How far the garment is lifted at each distance (px) out from her shoulder joint: in each
    column from the joint out to her outline, the gap between the top of her shoulder and the
    garment's top edge (none where either is not found), at most ``max_lift``; None when nothing
    is lifted. The shoulder rounds down outside the joint, and a sleeve's cap slopes down more
    steeply than it: lifted by the joint's gap alone, the round top of her shoulder showed above the
    sleeve ("shoulder cut out")."""
    t = TUNING
    height, width = hers.shape
    steps = np.arange(0.0, t.lift_scan * body.span, 1.0)
    offsets = np.arange(0.0, t.lift_outward * body.span, t.lift_column)
    amounts = np.zeros(offsets.size)
    for k, offset in enumerate(offsets):
        base = joint + offset * outward
        up = base[None] - steps[:, None] * body.down[None]
        cols = np.clip(np.round(up[:, 0]).astype(int), 0, width - 1)
        rows = np.clip(np.round(up[:, 1]).astype(int), 0, height - 1)
        person, covered = hers[rows, cols], union[rows, cols] > 0.5
        if person.all() or not person[0] or not covered[0]:
            if k == 0:
                return None  # her shoulder's top not found above the joint (a raised arm), or no garment
            amounts = amounts[:k]
            offsets = offsets[:k]
            break  # past her outline, or past the garment
        shoulder = float(steps[np.argmin(person)])
        garment = float(steps[np.argmin(covered)]) if not covered.all() else float(steps[-1])
        amounts[k] = float(np.clip(shoulder - garment, 0.0, t.max_lift * body.span))
    if float(amounts.max()) < 1.0:
        return None
    return offsets, amounts


def lift_onto_shoulders(layers: list, shopper: PhotoAnalysis, dst: Skeleton) -> list:
    """A top's warped layers (body and sleeves together) lifted onto her shoulders: where the
    garment's top edge lies below the top of her shoulder, the layers are moved up by the
    difference (at most ``max_lift``), measured at her shoulder joint's column and at each column
    out to her outline (:func:`_lift_profile`), fading towards her neck and down to nothing
    ``lift_depth`` below the joint. Laid on below her shoulder line, a tee left her shoulders' tops
    (bare, or her old top's) showing above its own."""
    if not layers:
        return layers
    t = TUNING
    body = body_frame(shopper, dst)
    height, width = shopper.parsing.shape
    union = np.zeros((height, width), np.float32)
    for warped, (x0, y0, x1, y1), *_ in layers:
        np.maximum(union[y0:y1, x0:x1], warped[..., 3] / 255.0, out=union[y0:y1, x0:x1])
    hers = warp_sleeves.her_outline(shopper)
    lifts = []
    for joint, outward in ((body.right_shoulder, body.across), (body.left_shoulder, -body.across)):
        profile = _lift_profile(hers, union, joint, outward, body)
        if profile is not None:
            lifts.append((joint, outward, profile))
    if not lifts:
        return layers
    spread, depth = t.lift_spread * body.span, t.lift_depth * body.span
    pad = int(np.ceil(max(float(amounts.max()) for *_, (_offsets, amounts) in lifts))) + 1
    out = []
    for warped, (x0, y0, x1, y1), *rest in layers:
        top = max(0, y0 - pad)
        ys, xs = np.mgrid[top:y1, x0:x1].astype(np.float32)
        lift = np.zeros(xs.shape, np.float32)
        for joint, outward, (offsets, amounts) in lifts:
            dx, dy = xs - joint[0], ys - joint[1]
            out_d = dx * outward[0] + dy * outward[1]
            below = dx * body.down[0] + dy * body.down[1]
            across = np.where(out_d >= 0, 1.0, np.exp(-0.5 * (out_d / spread) ** 2))
            amount = np.interp(out_d, offsets, amounts)
            lift += (amount * across * np.clip(1.0 - below / depth, 0.0, 1.0)).astype(np.float32)
        # each pixel takes what lay ``lift`` below it
        map_x = xs + lift * float(body.down[0]) - x0
        map_y = ys + lift * float(body.down[1]) - y0
        moved = cv2.remap(
            warped, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0
        )
        out.append((moved, (x0, top, x1, y1), *rest))
    return out


# --------------------------------------------------------------------------- the source
def _widened_rung(row: np.ndarray, right: float, left: float, body: BodyFrame) -> Rung:
    """A rung at a ribbon's ``row`` (its table's columns) with the garment's points the ribbon has
    there and its sides on her ``right`` and ``left`` px out from the ribbon's centre: the cut
    widens there, it never moves."""
    centre_d, centre_g = row[0:2], row[4:6]
    return Rung(
        centre_g + row[6:8],
        centre_g + row[8:10],
        centre_d + right * body.across,
        centre_d - left * body.across,
        g_centre=centre_g,
    )


class MeshPackshotSource:
    """A flat garment: its body mapped onto the shopper as a ribbon, its sleeves as limb pieces."""

    def __init__(self, packshot: Packshot, tuning: MeshTuning | None = None) -> None:
        if packshot.kind == GarmentKind.FULL_OUTFIT:
            raise CannotRender("A packshot shows one garment; an outfit needs one packshot per garment.")
        self.packshot = packshot
        self.kind = GarmentKind(packshot.kind)
        self.shape = garment_shape(self.kind, packshot.landmarks)
        self.lm = {k: np.array(v, np.float64) for k, v in packshot.landmarks.items()}
        self.tuning = tuning or TUNING  # read when made, so a patched module tuning applies
        self.shopper: PhotoAnalysis | None = None
        self.limbs = PackshotSource(packshot)
        self.layer, legs_part = _body_layer(packshot, self.limbs.layer, self.lm, self.shape)
        self.limbs.layer = self.layer
        if legs_part is not None:
            self.lm["crotch"] = legs_part

    def fit_to(self, shopper: PhotoAnalysis, dst: Skeleton) -> None:
        self.shopper = shopper
        self.limbs.fit_to(shopper, dst)

    @property
    def lifts_onto_shoulders(self) -> bool:
        """Whether its warped layers go through :func:`lift_onto_shoulders` (a fitted upper garment)."""
        return self.shopper is not None and self.shape in ("top", "outerwear", "dress")

    def pieces(self, dst: Skeleton) -> list[Piece]:
        """The sleeves, as limb pieces (the garment's body comes from :meth:`warped_layers`)."""
        if self.shape not in ("top", "outerwear", "dress"):
            return []
        sleeves = [p for p in self.limbs.pieces(dst) if p.group in (Group.RIGHT_ARM, Group.LEFT_ARM)]
        if not sleeves:
            return []
        ribbon = self.garment_map(dst)
        sewn = set()
        out = []
        for piece in sleeves:  # a sleeve's first piece is the one at its shoulder
            if piece.group not in sewn:
                sewn.add(piece.group)
                piece = self._sewn_on(piece, ribbon, dst)
            out.append(piece)
        return out

    def _sewn_on(self, piece: Piece, ribbon: TorsoRibbon, dst: Skeleton) -> Piece:
        """``piece`` (a sleeve at its shoulder) joined to the garment's body along its armhole."""
        side = "right" if piece.group == Group.RIGHT_ARM else "left"
        cap, armpit = sleeve_split(self.lm, side)
        line = np.array([cap, cap + self.tuning.seam_depth * (armpit - cap)])
        poly = dst.polygon().astype(np.float64)
        joint = poly[0 if side == "right" else 1]
        probe = np.array([joint[0] - 5.0, joint[0] + 5.0]), np.array([joint[1], joint[1]])
        gx, gy = ribbon(*probe)
        scale = 10.0 / max(float(np.hypot(gx[1] - gx[0], gy[1] - gy[0])), 1e-6)
        reach = self.tuning.seam_reach * float(np.linalg.norm(poly[1] - poly[0]))
        part = piece.part
        seam = Seam(ribbon, line, scale, reach)
        along = np.array([cap, cap + self.tuning.seam_overlap_depth * (armpit - cap)])
        grow = self._along_seam(along, self.tuning.seam_overlap / scale)
        return Piece(
            piece.group, Part(part.affines, part.dst_shapes, part.sigma, seam), piece.weight, grow, piece.keep
        )

    def _along_seam(self, line: np.ndarray, reach: float) -> np.ndarray:
        """The layer's pixels within ``reach`` px of the seam ``line``, on both sides: there the body's
        and the sleeve's maps agree, so the sleeve drawn over the body's side of it shows no seam."""
        height, width = self.layer.alpha.shape
        grow = np.zeros((height, width), bool)
        x0, y0 = np.floor(line.min(axis=0) - reach).astype(int)
        x1, y1 = np.ceil(line.max(axis=0) + reach).astype(int) + 1
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(width, x1), min(height, y1)
        if x1 <= x0 or y1 <= y0:
            return grow
        ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float64)
        grow[y0:y1, x0:x1] = segment_distance(xs, ys, line[0], line[1]) <= reach
        return grow

    # ------------------------------------------------------------------ the map
    def garment_map(self, dst: Skeleton):
        """A callable taking shopper pixel coordinates to packshot ones, and the shopper points
        the garment's outline reaches (to bound the work)."""
        assert self.shopper is not None, "fit_to first"
        body = body_frame(self.shopper, dst)
        if self.shape in ("top", "outerwear", "dress"):
            return self._upper_map(body)
        if self.shape == "skirt":
            return self._skirt_map(body)
        return self._trouser_map(body)

    def _axis_x(self, fallback: float) -> float:
        """The garment's vertical symmetry axis (from its outline when it is symmetric enough)."""
        structure = getattr(self.packshot, "structure", None)
        if structure is not None and structure.symmetry >= self.tuning.min_symmetry:
            return float(structure.axis_x)
        return fallback

    def _symmetric(self, right: np.ndarray, left: np.ndarray, axis_x: float) -> tuple[np.ndarray, np.ndarray]:
        """A pair of side landmarks made mirror images about the garment's axis, at their mean
        height: a garment is cut symmetric, so this halves the landmarks' noise and keeps one
        side's misplaced point from shifting the whole garment across the body."""
        y = float(right[1] + left[1]) / 2
        half = (abs(float(right[0]) - axis_x) + abs(float(left[0]) - axis_x)) / 2
        sign = -1.0 if right[0] <= left[0] else 1.0  # the wearer's right is on the image's left
        return np.array([axis_x + sign * half, y]), np.array([axis_x - sign * half, y])

    def _upper_map(self, body: BodyFrame):
        t, lm = self.tuning, self.lm
        axis = self._axis_x(float(lm["shoulder_right"][0] + lm["shoulder_left"][0]) / 2)
        g_rs, g_ls = self._symmetric(lm["shoulder_right"], lm["shoulder_left"], axis)
        g_mid = (g_rs + g_ls) / 2
        chest = float(np.linalg.norm(lm["armpit_left"] - lm["armpit_right"]))
        g_width = max(float(np.linalg.norm(g_rs - g_ls)), t.strap_chest * chest, 1.0)
        seam_width = body.span * (1 + 2 * t.seam_out)
        sx = seam_width / g_width
        sy = max(seam_width, t.seam_per_torso * body.torso) / g_width
        if self.shape == "dress":
            # puffed or dropped shoulders make a dress look wide for its length: its chest on her
            # chest says its length better (a dress shown too short would leave painted legs)
            armpit_r, armpit_l = self._symmetric(lm["armpit_right"], lm["armpit_left"], axis)
            chest_g = float(np.linalg.norm(armpit_l - armpit_r))
            chest_d = sum(body.widths(t.chest_level))
            if chest_g > 1.0 and chest_d > 0:
                sy = max(sy, t.chest_ease * chest_d / chest_g)
        d_mid = body.mid - t.seam_up * body.span * body.down

        def level_of(p: np.ndarray) -> float:
            return body.level(d_mid + (p[1] - g_mid[1]) * sy * body.down)

        def own_reach(p: np.ndarray, centre_x: float) -> float:
            return abs(float(p[0] - centre_x)) * sx

        rungs = []
        # the shoulder seams: the packshot's (or a strappy cut's virtual) shoulders on hers
        level = level_of((g_rs + g_ls) / 2)
        half = 0.5 * seam_width * float(np.linalg.norm(g_rs - g_ls)) / g_width
        hers = warp_sleeves.her_outline(self.shopper)
        right, left = (self._seam_on_her_outline(body, side, half, hers) for side in ("right", "left"))
        rungs.append(
            Rung(g_rs, g_ls, body.at(level) + right * body.across, body.at(level) - left * body.across)
        )
        names = ["armpit"] + (["waist"] if "waist_left" in lm else []) + ["hem"]
        hem_level = level_of((lm["hem_right"] + lm["hem_left"]) / 2)
        hem_level = self._hem_over_old_top(body, hem_level, keep_dress=self.shape != "dress")
        for name in names:
            right, left = self._symmetric(lm[f"{name}_right"], lm[f"{name}_left"], axis)
            level = hem_level if name == "hem" else level_of((right + left) / 2)
            centre_x = axis
            ease = t.chest_ease if name == "armpit" else t.hem_ease
            have = body.widths(level)
            reaches = []
            for p, measured in ((right, have[0]), (left, have[1])):
                reach = own_reach(p, centre_x)
                if measured > 0:
                    reach = max(reach, ease * measured)
                    if name == "armpit":  # a misread chest would balloon the whole garment
                        reach = min(reach, t.max_chest_scale * ease * measured)
                reaches.append(max(reach, t.min_half_width * body.span))
            centre = body.at(level)
            rungs.append(
                Rung(right, left, centre + reaches[0] * body.across, centre - reaches[1] * body.across)
            )
        if self.shape == "dress":
            rungs = self._over_her_legs(self._over_her_body(rungs, body), body)
        elif self.shape == "top":
            rungs = self._over_her_body(rungs, body)
        return TorsoRibbon(rungs, body.down, body.across)

    def _seam_on_her_outline(self, body: BodyFrame, side: str, half: float, hers: np.ndarray) -> float:
        """A sleeved side's shoulder seam out at her outline (``hers``, from
        :func:`ml.render.warp.sleeves.her_outline`) at the joint's level, in px from her body's axis
        and at least ``half``: a worn tee's seam sits where her shoulder turns into her arm, and its
        sleeves hang along her arms' outer outline (:mod:`ml.render.warp.sleeves`), so a seam left
        at ``seam_out`` opened a notch of skin between the body and the sleeve."""
        assert self.shopper is not None
        t = self.tuning
        if np.allclose(self.lm[f"sleeve_{side}_outer"], self.lm[f"shoulder_{side}"]):
            return half  # sleeveless: its straps stay where they are
        joint, outward = (
            (body.right_shoulder, body.across) if side == "right" else (body.left_shoulder, -body.across)
        )
        outline = side_extent(hers, joint, outward, t.max_seam_out * body.span)
        return max(half, float((joint - body.mid) @ outward) + outline - t.seam_inset * body.span)

    def _over_her_legs(self, rungs: list[Rung], body: BodyFrame) -> list[Rung]:
        """``rungs`` with the hem and rungs added at her thighs (above the hem) at least as wide as
        her legs where the clean plate paints them: her old skirt is removed where the new dress
        does not cover it and her legs are painted in, so a dress narrower than her stance (or than a
        flared skirt) showed a painted thigh beside it, read as a slit. An added rung takes the
        garment's points the ribbon has there."""
        assert self.shopper is not None
        t = self.tuning
        legs = []
        for side in ("right", "left"):
            joints = [keypoint_at(self.shopper.keypoints, f"{side}_{j}") for j in ("hip", "knee", "ankle")]
            if joints[0] is not None and joints[1] is not None:
                legs.append([j for j in joints if j is not None])
        if not legs:
            return rungs
        ribbon = TorsoRibbon(rungs, body.down, body.across)
        hem = float(ribbon.levels[-1])
        levels = [
            float(np.mean([(leg[0] + s * (leg[1] - leg[0])) @ body.down for leg in legs]))
            for s in t.thigh_stations
        ]
        levels = [
            lv
            for lv in levels
            if lv < hem - t.min_rung_gap and np.min(np.abs(ribbon.levels - lv)) >= t.min_rung_gap
        ]
        out = [r for r in rungs if float((r.d_right + r.d_left) / 2 @ body.down) < hem - 0.5]
        for level in [*levels, hem]:
            row = _interp(ribbon.levels, np.array([level]), ribbon.table)[0]
            centre_d = row[0:2]
            right, left = float(row[2]), float(row[3])
            for leg in legs:
                point, radius = self._leg_at(leg, level, body)
                offset = float((point - centre_d) @ body.across)
                right, left = max(right, offset + radius), max(left, radius - offset)
            out.append(_widened_rung(row, right, left, body))
        return out

    def _over_her_body(self, rungs: list[Rung], body: BodyFrame) -> list[Rung]:
        """``rungs`` with rungs added between the waist (or the armpits) and the hem wherever her
        trousers, which stay under a new dress or top, reach past the ribbon: with rungs only at the
        waist (if any) and hem, the garment ran straight down to a hem below the frame (or at her
        knees or hips), and her trousers showed beside it ("trousers at the sides", "jeans
        leftover at the hip").

        Each side follows the upper hull of what her trousers need (fabric falls straight over her
        hips, not in and out with her hands or a gap in the parsing), never past her outline (beyond
        it the garment is faded as off her body), and keeps its width where the frame cuts her off.
        An added rung takes the garment's points the ribbon has there, so the cut widens, never
        moves; her old skirt or dress is removed beside a new dress as before."""
        assert self.shopper is not None
        t = self.tuning
        trousers = self.shopper.parsing == C.PANTS
        ribbon = TorsoRibbon(rungs, body.down, body.across)
        if len(ribbon.levels) < 2 or not trousers.any():
            return rungs
        start, hem = float(ribbon.levels[-2]), float(ribbon.levels[-1])
        levels = np.arange(t.body_station_step, t.body_station_end, t.body_station_step)
        depths = np.array([float(body.at(float(level)) @ body.down) for level in levels])
        inside = (depths >= start + t.min_rung_gap) & (depths <= hem - t.min_rung_gap)
        levels, depths = levels[inside], depths[inside]
        if not levels.size:
            return rungs
        rows = _interp(ribbon.levels, depths, ribbon.table)
        person = self.shopper.person_mask > 127
        reach, bridge = t.width_reach * body.span, t.legs_gap * body.span
        needs = []
        for column, direction in ((2, body.across), (3, -body.across)):
            need, cap, cut = [], [], []
            for level, row in zip(levels, rows, strict=True):
                centre = body.at(float(level))
                offset = float((centre - row[0:2]) @ direction)
                width, cut_body = outer_edge(trousers, centre, direction, reach, bridge)
                outline, cut_person = outer_edge(person, centre, direction, reach, bridge)
                # the cut's own side lies this share of the rung's reach out (a skirt flaring
                # past the straight line between its waist and hem landmarks lies past it)
                own = self._own_side(row[4:6], row[6:8] if column == 2 else row[8:10])
                need.append((offset + t.hem_ease * width) / own if width > 0 else 0.0)
                cap.append((offset + outline) / own if outline > 0 else 0.0)
                cut.append(cut_body or cut_person)
            need, cap, cut = np.array(need), np.array(cap), np.array(cut)
            known = ~cut
            hull = _upper_hull(
                np.concatenate([[start], depths[known], [hem]]),
                np.concatenate([[ribbon.table[-2, column]], need[known], [ribbon.table[-1, column]]]),
            )
            # and no steeper out from the waist than a skirt falls (stretched faster, its pleats
            # and print sheared into a saw-tooth below the waistband)
            flare = ribbon.table[-2, column] + t.max_flare * (depths - start)
            wide = np.maximum(rows[:, column], np.minimum(np.minimum(hull(depths), cap), flare))
            for i in np.flatnonzero(cut):  # held from the last station the frame shows whole
                wide[i] = wide[i - 1] if i > 0 else rows[i, column]
            needs.append(wide)
        added = []
        for row, right, left in zip(rows, *needs, strict=True):
            if max(right - row[2], left - row[3]) >= t.body_min_gain * body.span:
                added.append(_widened_rung(row, right, left, body))
        return rungs + added

    def _own_side(self, centre: np.ndarray, side: np.ndarray) -> float:
        """How far out the packshot's garment reaches from ``centre`` along ``side`` (a rung's
        garment side, from its centre), as a share of it: 1 on the landmarks' line, more where the
        cut flares past it."""
        t = self.tuning
        shares = np.arange(t.own_side_range[0], t.own_side_range[1], t.own_side_step)
        points = centre[None] + shares[:, None] * side[None]
        mask = self.packshot.mask
        xs, ys = np.round(points[:, 0]).astype(int), np.round(points[:, 1]).astype(int)
        valid = (xs >= 0) & (xs < mask.shape[1]) & (ys >= 0) & (ys < mask.shape[0])
        inside = np.zeros(len(shares), bool)
        inside[valid] = mask[ys[valid], xs[valid]] > 127
        outside = np.flatnonzero(~inside)
        if not outside.size:
            return float(shares[-1])
        return float(shares[max(outside[0] - 1, 0)]) if outside[0] > 0 else 1.0

    @staticmethod
    def _leg_at(leg: list[np.ndarray], level: float, body: BodyFrame) -> tuple[np.ndarray, float]:
        """Where her leg (hip, knee[, ankle]) crosses ``level`` (px along the torso's axis; held at
        its ends), and the painted radius there (the thigh's above the knee, the shin's below)."""
        plate = body_module.TUNING
        depths = [float(j @ body.down) for j in leg]
        for (a, b), (da, db), radius in zip(
            itertools.pairwise(leg),
            itertools.pairwise(depths),
            (plate.thigh_radius, plate.shin_radius),
            strict=False,
        ):
            if level <= db or b is leg[-1]:
                share = float(np.clip((level - da) / (db - da), 0.0, 1.0)) if abs(db - da) > 1e-6 else 0.0
                return a + share * (b - a), radius * body.span
        raise AssertionError("a leg has a hip and a knee")

    def _hem_over_old_top(self, body: BodyFrame, own: float, keep_dress: bool) -> float:
        """The hem level: the garment's own, let down by up to ``hem_reach`` to cover the shopper's
        own top or dress where that is longer (what a slightly shorter cut would show is bare skin
        we would have to invent); a top's never past where the renderer keeps a dress below it."""
        assert self.shopper is not None
        t = self.tuning
        ys, xs = np.nonzero(self.shopper.parsing == C.UPPER_CLOTHES)
        if ys.size == 0:
            return own
        rel = np.stack([xs, ys], axis=1).astype(np.float64) - body.mid
        central = (rel @ body.down)[np.abs(rel @ body.across) < t.old_hem_band * body.span] / max(
            body.torso, 1.0
        )
        if central.size == 0:
            return own
        old = float(np.percentile(central, t.old_hem_percentile))
        return float(np.clip(min(old, t.hem_keep_dress) if keep_dress else old, own, own + t.hem_reach))

    def _hips_apart(self, body: BodyFrame) -> float:
        """Her hip joints' distance; joints seen on one spot (a body turned side-on) are no measure,
        so her shoulders then set a floor."""
        assert self.shopper is not None
        rh, lh = (
            keypoint_at(self.shopper.keypoints, "right_hip"),
            keypoint_at(self.shopper.keypoints, "left_hip"),
        )
        if rh is None or lh is None:
            raise CannotRender("The hips must be visible in your photo to put on a bottom.")
        return max(float(np.linalg.norm(lh - rh)), self.tuning.min_hips_per_span * body.span)

    def _waist(self, body: BodyFrame) -> tuple[float, float, float, tuple[float, float]]:
        """(waistband level, horizontal scale, its width on the shopper, her extents there)."""
        t, lm = self.tuning, self.lm
        assert self.shopper is not None
        level = 1.0 - t.waist_above_hips
        hips_apart = self._hips_apart(body)
        # a dress or flared top over her waist is not her waist: no side past what her hip joints allow
        have = tuple(min(h, t.side_per_hips_apart * hips_apart) for h in body.widths(level))
        need = t.waist_ease * (sum(have) if min(have) > 0 else t.waist_fallback * hips_apart)
        g_width = max(float(np.linalg.norm(lm["waist_right"] - lm["waist_left"])), 1.0)
        return level, need / g_width, need, have

    def _waist_rung(self, body: BodyFrame, level: float, need: float, have: tuple[float, float]) -> Rung:
        ease = self.tuning.waist_ease
        centre = body.at(level)
        right = (have[0] * ease) if have[0] > 0 else need / 2
        left = (have[1] * ease) if have[1] > 0 else need / 2
        return Rung(
            self.lm["waist_right"],
            self.lm["waist_left"],
            centre + right * body.across,
            centre - left * body.across,
        )

    def _garment_row(self, y: float, centre_x: float) -> tuple[np.ndarray, np.ndarray] | None:
        """The packshot garment's outer edges on row ``y`` around ``centre_x``."""
        alpha = self.layer.alpha
        row = int(np.clip(round(y), 0, alpha.shape[0] - 1))
        cols = np.flatnonzero(alpha[row] > 0.5)
        if cols.size == 0:
            return None
        return np.array([float(cols[0]), y]), np.array([float(cols[-1] + 1), y])

    def _skirt_map(self, body: BodyFrame):
        t, lm = self.tuning, self.lm
        level, scale, need, have = self._waist(body)
        g_mid = (lm["waist_right"] + lm["waist_left"]) / 2
        rungs = [self._waist_rung(body, level, need, have)]
        hem_g = (lm["hem_right"] + lm["hem_left"]) / 2
        for share, rights in ((t.skirt_hip_level, None), (1.0, (lm["hem_right"], lm["hem_left"]))):
            y = g_mid[1] + share * (hem_g[1] - g_mid[1])
            if rights is None:
                edges = self._garment_row(y, float(g_mid[0]))
                if edges is None:
                    continue
                right, left = edges if lm["waist_right"][0] < lm["waist_left"][0] else edges[::-1]
            else:
                right, left = rights
            rung_level = level + (y - g_mid[1]) * scale / max(body.torso, 1.0)
            measured = body.widths(rung_level)
            centre = body.at(rung_level)
            reaches = [
                max(abs(float(p[0] - g_mid[0])) * scale, t.hem_ease * m)
                for p, m in ((right, measured[0]), (left, measured[1]))
            ]
            rungs.append(
                Rung(right, left, centre + reaches[0] * body.across, centre - reaches[1] * body.across)
            )
        return TorsoRibbon(rungs, body.down, body.across)

    def _trouser_map(self, body: BodyFrame):
        t, lm = self.tuning, self.lm
        assert self.shopper is not None
        level, scale, need, have = self._waist(body)
        g_mid = (lm["waist_right"] + lm["waist_left"]) / 2
        crotch = lm["crotch"]
        rise = max(float(crotch[1] - g_mid[1]), 1.0)
        wanted = (t.waist_above_hips + t.crotch_below_hips) * body.torso / rise
        vscale = float(np.clip(wanted, t.rise_scale_range[0] * scale, t.rise_scale_range[1] * scale))
        crotch_level = min(level + rise * vscale / max(body.torso, 1.0), 1.0 + t.max_crotch_below_hips)
        right_is_left_in_image = lm["waist_right"][0] < lm["waist_left"][0]
        centre, reaches, crotch_rung = self._crotch_rung(body, crotch_level, scale, right_is_left_in_image)
        hips = TorsoRibbon([self._waist_rung(body, level, need, have), crotch_rung], body.down, body.across)
        paths = self._leg_paths(body, centre, reaches)
        garment = self.layer.alpha > 0.5
        legs_mask = (self.shopper.person_mask > 127) & ~np.isin(
            self.shopper.parsing, (C.ARMS, C.UPPER_CLOTHES, C.SKIRT, C.BACKGROUND)
        )
        legs = []
        for side, sign in (("right", 1.0), ("left", -1.0)):
            if side not in paths:
                continue
            # the garment's leg read row by row below the crotch (packshot legs hang straight down):
            # its outer edge, and its inner edge where the legs part (else the garment's axis)
            outward = -1.0 if (side == "right") == right_is_left_in_image else 1.0
            runs = _leg_runs(garment, round(crotch[1]), float(crotch[0]), outward)
            if runs is None:
                continue
            other = paths.get("left" if side == "right" else "right")
            fit = _LegFit(body, sign, outward, scale, vscale, legs_mask)
            legs.append(self._leg_ribbon(fit, paths[side], other, runs))
        return TrouserMap(
            hips, legs, float(centre @ body.down), body.down, t.crotch_blend * body.torso, float(crotch[1])
        )

    def _crotch_rung(
        self, body: BodyFrame, crotch_level: float, scale: float, right_is_left_in_image: bool
    ) -> tuple[np.ndarray, list[float], Rung]:
        """The crotch rung: the garment's outer edges at crotch height on the shopper's hips; with the
        rung's centre on the shopper and its reach to her right and left."""
        t, crotch = self.tuning, self.lm["crotch"]
        edges = self._garment_row(float(crotch[1]), float(crotch[0]))
        if edges is None:
            raise CannotRender("The packshot's outline does not look like trousers.")
        g_right, g_left = edges if right_is_left_in_image else edges[::-1]
        hips_apart = self._hips_apart(body)
        measured = tuple(min(m, t.side_per_hips_apart * hips_apart) for m in body.widths(crotch_level))
        centre = body.at(crotch_level)
        reaches = [
            max(abs(float(p[0] - crotch[0])) * scale, t.leg_ease * m)
            for p, m in ((g_right, measured[0]), (g_left, measured[1]))
        ]
        inside = min(g_right[0], g_left[0]) < crotch[0] < max(g_right[0], g_left[0])
        g_centre = np.array([float(crotch[0]), float(crotch[1])]) if inside else None
        rung = Rung(
            g_right, g_left, centre + reaches[0] * body.across, centre - reaches[1] * body.across, g_centre
        )
        return centre, reaches, rung

    def _leg_paths(
        self, body: BodyFrame, centre: np.ndarray, reaches: list[float]
    ) -> dict[str, list[np.ndarray]]:
        """Each leg's path on the shopper: its root on the crotch rung, her knee and ankle (legs
        together kept apart)."""
        t = self.tuning
        assert self.shopper is not None
        paths: dict[str, list[np.ndarray]] = {}
        drops: dict[str, float | None] = {}
        for side, sign in (("right", 1.0), ("left", -1.0)):
            knee, ankle = (
                keypoint_at(self.shopper.keypoints, f"{side}_knee"),
                keypoint_at(self.shopper.keypoints, f"{side}_ankle"),
            )
            root_d = centre + sign * t.leg_root_share * reaches[0 if side == "right" else 1] * body.across
            if knee is None:
                # a leg the pose model did not locate (under a long dress or gown): straight down
                # the body from the leg's root to the lowest point of her outline below it
                knee, ankle = self._unseen_leg(body, root_d)
            if ankle is None:
                # an ankle the pose model did not see (under a long skirt): the shin continues the thigh
                ankle = knee + (knee - root_d) * t.shin_per_thigh
            else:
                drops[side] = self._drop_to_feet(body, ankle)
            paths[side] = [root_d, knee, ankle]
        # an ankle inside her garment whose foot does not show drops as far as the other one: her
        # feet stand on one floor (lowered on one side only, the trouser legs ended at two heights)
        found = max((d for d in drops.values() if d), default=0.0)
        for side, drop in drops.items():
            if drop is not None:
                paths[side][2] = paths[side][2] + (drop or found) * body.down
        if "right" in paths and "left" in paths:
            # legs together (or the pose model's knees and ankles on one spot): keep the two
            # trouser legs side by side, at least part of their roots' distance apart
            roots_apart = float(np.linalg.norm(paths["right"][0] - paths["left"][0]))
            for index in range(1, min(len(paths["right"]), len(paths["left"]))):
                right, left = paths["right"][index], paths["left"][index]
                apart = float((right - left) @ body.across)
                wanted = t.min_legs_apart * roots_apart
                if apart < wanted:
                    middle = (right + left) / 2
                    paths["right"][index] = (
                        middle + 0.5 * wanted * body.across + (right - middle) @ body.down * body.down
                    )
                    paths["left"][index] = (
                        middle - 0.5 * wanted * body.across + (left - middle) @ body.down * body.down
                    )
        return paths

    def _drop_to_feet(self, body: BodyFrame, ankle: np.ndarray) -> float | None:
        """How far (px down her body) ``ankle`` lies above the top of her bare feet below it when the
        pose put it inside her old garment (a gown or trousers down to her feet): 0 when no foot
        shows within reach, None when the ankle is not inside a garment. The pose guesses an ankle it
        cannot see, often too high, and a new pair of trousers stopped there, above her feet, with
        the gap painted as stubs of skin and floor ("shoes floating", "feet lost")."""
        t = self.tuning
        assert self.shopper is not None
        parsing = self.shopper.parsing
        height, width = parsing.shape
        x, y = (int(v) for v in np.round(ankle))
        if not (0 <= x < width and 0 <= y < height) or parsing[y, x] not in (C.UPPER_CLOTHES, C.PANTS):
            return None
        ys, xs = np.nonzero(parsing == C.LEGS)
        rel = np.stack([xs - ankle[0], ys - ankle[1]], axis=1).astype(np.float64)
        along, off = rel @ body.down, np.abs(rel @ body.across)
        feet = (along > 0) & (along <= t.max_ankle_drop * body.torso) & (off <= t.feet_reach * body.span)
        return float(along[feet].min()) if feet.any() else 0.0

    def _unseen_leg(self, body: BodyFrame, root: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Knee and ankle of a leg whose joints the pose lacks, down her body's axis from ``root``:
        the ankle a foot's height above her outline's lowest point within reach of the leg's line
        (the photo's edge when it cuts her off), else a leg of default proportions."""
        t = self.tuning
        assert self.shopper is not None
        person = self.shopper.person_mask > 127
        ys, xs = np.nonzero(person)
        rel = np.stack([xs - root[0], ys - root[1]], axis=1).astype(np.float64)
        along, off = rel @ body.down, np.abs(rel @ body.across)
        near = (along > 0) & (off <= t.unseen_leg_reach * body.span)
        length = float(along[near].max()) * (1.0 - t.foot_share) if near.any() else 0.0
        if length < t.min_unseen_leg * body.torso:
            length = t.default_leg * body.torso
        return root + 0.5 * length * body.down, root + length * body.down

    def _leg_ribbon(
        self,
        fit: _LegFit,
        path: list[np.ndarray],
        other: list[np.ndarray] | None,
        runs: tuple[float, list[tuple[float, float]]],
    ) -> LegRibbon:
        """One trouser leg (its packshot ``runs`` below the crotch) along the shopper's leg ``path``,
        with stations along the thigh and shin and at the hem."""
        t, lm = self.tuning, self.lm
        crotch = lm["crotch"]
        hem_y, edges = runs
        root_x = (edges[0][0] + edges[0][1]) / 2
        root_g = np.array([root_x, float(crotch[1])])
        axis_g, perp_g = np.array([0.0, 1.0]), np.array([fit.outward, 0.0])
        inseam_g = max(hem_y - float(crotch[1]), 1.0)
        thigh = float(np.linalg.norm(path[1] - path[0]))
        shin = float(np.linalg.norm(path[2] - path[1])) if len(path) > 2 else thigh
        length = inseam_g * fit.vscale
        waist_g = float(np.linalg.norm(lm["waist_right"] - lm["waist_left"]))
        g_mid = (lm["waist_right"] + lm["waist_left"]) / 2
        if len(path) > 2 and hem_y - float(g_mid[1]) >= t.full_length * waist_g:
            length = thigh + shin  # full-length trousers reach her ankle whatever their proportions
        alongs = [f * thigh for f in t.leg_stations] + [thigh + f * shin for f in t.shin_stations]
        alongs = [0.0] + [a for a in alongs if 0 < a < t.last_station * length] + [length]
        stations = [
            self._leg_station(fit, path, other, edges, along, along / length * inseam_g, root_x, thigh)
            for along in alongs
        ]
        return LegRibbon(path, fit.sign * fit.body.across, root_g, axis_g, perp_g, stations)

    def _leg_station(
        self,
        fit: _LegFit,
        path: list[np.ndarray],
        other: list[np.ndarray] | None,
        edges: list[tuple[float, float]],
        along: float,
        along_g: float,
        root_x: float,
        thigh: float,
    ) -> LegStation:
        """The trouser leg's half-widths ``along`` the shopper's leg path (``along_g`` down the
        packshot's leg): the garment's own, scaled, widened to cover her leg."""
        t, body, scale = self.tuning, fit.body, fit.scale
        point, direction = _along(path, along)
        perp = np.array([-direction[1], direction[0]])
        if float(perp @ body.across) * fit.sign < 0:
            perp = -perp
        # (the hem's own row is its rounded corner: the leg's width is read a little above it)
        usable = max(1, round(len(edges) * (1.0 - t.hem_rows_skipped)))
        outer_x, inner_x = edges[min(usable - 1, round(along_g))]
        centre_x = (outer_x + inner_x) / 2
        own_out, own_in = abs(outer_x - centre_x), abs(centre_x - inner_x)
        shift = (centre_x - root_x) * fit.outward
        room = t.leg_inner_reach * body.span
        if other is not None:
            # never past the middle between the legs
            room = min(room, t.leg_gap_share * float(np.linalg.norm(_along(other, along)[0] - point)))
        # at least as wide as the skin the clean plate paints where her old skirt or dress
        # hid the leg (a narrower trouser leg would show a painted leg beside it)
        limb = body_module.TUNING.limb_radius("right_thigh" if along <= thigh else "right_shin") * body.span
        # (a misread leg mask, e.g. a dress's hem parsed as legs, stretches the leg at most so far)
        out_d = max(
            own_out * scale,
            limb,
            min(
                t.leg_ease * side_extent(fit.legs_mask, point, perp, t.leg_outer_reach * body.span),
                t.max_leg_stretch * max(own_out * scale, limb),
            ),
        )
        in_d = min(
            max(own_in * scale, limb, t.leg_ease * side_extent(fit.legs_mask, point, -perp, room)), room
        )
        # the inner edge's soft rim stays just outside the leg, so touching legs show no seam
        own_in = max(own_in - t.inner_rim, 1.0)
        return LegStation(along, max(out_d, 1.0), max(in_d, 1.0), along_g, own_out, own_in, shift)

    # ------------------------------------------------------------------ warp
    def warped_layers(self, dst: Skeleton, shape: tuple[int, int]) -> list:
        """The garment's body (a top's torso, a bottom's hips and legs) on the shopper:
        [(premultiplied float RGBA, box, group, kind)]."""
        mapping = self.garment_map(dst)
        layer = self.layer
        alpha = layer.alpha.astype(np.float32)
        rgba = np.dstack([layer.image.astype(np.float32) * alpha[..., None], alpha * 255.0])
        box = self._box(mapping, shape, dst)
        if box is None:
            return []
        x0, y0, x1, y1 = box
        # the map jumps between two trouser legs: interpolating a coarse grid across the jump would
        # draw the packshot's gap between its legs there, so trousers are mapped pixel by pixel
        step = 1 if isinstance(mapping, TrouserMap) else self.tuning.grid
        gx = np.arange(x0, x1 + step, step, dtype=np.float64)
        gy = np.arange(y0, y1 + step, step, dtype=np.float64)
        sx, sy = mapping(*np.meshgrid(gx, gy))
        # grid node k sits k*step px from the box's corner: resize so that it lands on that pixel
        full = ((len(gx) - 1) * step + 1, (len(gy) - 1) * step + 1)
        map_x = cv2.resize(sx.astype(np.float32), full, interpolation=cv2.INTER_LINEAR)[: y1 - y0, : x1 - x0]
        map_y = cv2.resize(sy.astype(np.float32), full, interpolation=cv2.INTER_LINEAR)[: y1 - y0, : x1 - x0]
        warped = cv2.remap(
            rgba, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0
        )
        labels = cv2.remap(
            layer.groups, map_x, map_y, cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT, borderValue=255
        )
        if self.shopper is not None:
            warped[..., :3] *= self._shading(box)[..., None]
        out = []
        for group in (Group.TORSO, Group.RIGHT_LEG, Group.LEFT_LEG):
            piece = warped * (labels == group)[..., None]
            if float(piece[..., 3].sum()) > 0:
                out.append((piece, box, group, self.kind))
        return out

    def _box(self, mapping, shape: tuple[int, int], dst: Skeleton) -> tuple[int, int, int, int] | None:
        """The shopper pixels worth mapping: a coarse pass over the photo finds where the garment lands."""
        t = self.tuning
        height, width = shape
        coarse = max(t.box_min_cell, round(max(height, width) / t.box_cells))
        xs, ys = np.meshgrid(
            np.arange(0, width, coarse, dtype=np.float64), np.arange(0, height, coarse, dtype=np.float64)
        )
        gx, gy = mapping(xs, ys)
        alpha = self.layer.alpha
        inside = (gx >= 0) & (gy >= 0) & (gx < alpha.shape[1] - 1) & (gy < alpha.shape[0] - 1)
        hit = np.zeros(xs.shape, bool)
        hit[inside] = alpha[gy[inside].astype(int), gx[inside].astype(int)] > t.box_hit_alpha
        if not hit.any():
            return None
        rows, cols = np.flatnonzero(hit.any(axis=1)), np.flatnonzero(hit.any(axis=0))
        pad = t.box_pad_cells * coarse
        return (
            int(max(0, cols[0] * coarse - pad)),
            int(max(0, rows[0] * coarse - pad)),
            int(min(width, (cols[-1] + 1) * coarse + pad)),
            int(min(height, (rows[-1] + 1) * coarse + pad)),
        )

    def _shading(self, box: tuple[int, int, int, int]) -> np.ndarray:
        """Folds and shadows of the shopper's own clothes carried onto the flat packshot: the light
        at fold scale over the overall light, only where she wore clothes. Computed on a small
        copy (both lights are smooth) and scaled up over the box."""
        assert self.shopper is not None
        t = self.tuning
        x0, y0, x1, y1 = box
        height, width = self.shopper.parsing.shape
        scale = min(1.0, t.shading_height / height)
        size = (max(8, round(width * scale)), max(8, round(height * scale)))
        small = cv2.resize(self.shopper.image, size, interpolation=cv2.INTER_AREA)
        grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY).astype(np.float32) + t.shade_grey_offset
        fine = cv2.GaussianBlur(grey, (0, 0), max(t.shade_fine_min_sigma, t.shade_fine * size[1]))
        coarse = cv2.GaussianBlur(grey, (0, 0), max(t.shade_coarse_min_sigma, t.shade_coarse * size[1]))
        ratio = np.clip(fine / coarse, *t.shade_range)
        clothes = np.isin(self.shopper.parsing, (C.UPPER_CLOTHES, C.PANTS, C.SKIRT)).astype(np.uint8)
        clothes = cv2.resize(clothes, size, interpolation=cv2.INTER_NEAREST)
        # away from the old clothes' outline, where the light ratio sees the edge, not a fold
        inset = max(1, round(t.shade_inset * size[1]))
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * inset + 1, 2 * inset + 1))
        clothes = cv2.GaussianBlur(cv2.erode(clothes, kernel).astype(np.float32), (0, 0), inset)
        factor = 1.0 + t.shade_strength * (ratio - 1.0) * clothes
        return cv2.resize(factor, (width, height), interpolation=cv2.INTER_LINEAR)[y0:y1, x0:x1]


__all__ = [
    "TUNING",
    "BodyFrame",
    "LegRibbon",
    "MeshPackshotSource",
    "MeshTuning",
    "TorsoRibbon",
    "body_frame",
]
