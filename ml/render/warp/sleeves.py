"""A packshot's sleeves laid along the shopper's arms as strips of rungs, joined to the body's ribbon.

The sleeves were limb pieces, each warped rigidly along one bone and blended with the torso's map
around the shoulder: where her arm points another way than the packshot's sleeve, the blend of two
far-apart maps smeared the sleeve's cap into streaks, the sleeve began a gap away from the garment's
body, and on a bent arm its upper and lower piece came apart.

Here a sleeve is a strip of rungs, like the garment's body. Its root is the line the packshot's
sleeve is split from the body along (from a little inside the shoulder seam down to the armpit),
put on the shopper exactly where the body's ribbon puts those packshot points, so sleeve and body
meet without a gap. Rungs across the sleeve at stations along its axis go to rungs across her arm at
the same share of the sleeve's length along her arm (through her elbow to her wrist), at least as
wide as her arm with some ease. Between rungs the map is piecewise affine over a grid of triangles.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class SleeveTuning:
    """The sleeve strips' numbers; lengths as shares of the sleeve's own length unless said."""

    stations: int = 10  # rungs along the sleeve from the first clean rung to the cuff
    across_cells: int = 6  # grid cells across a rung
    across_margin: float = 0.6  # the grid reaches this many half-widths past each side (puffs, flares)
    root_clearance: float = 0.05  # the first rung across the sleeve lies this far past the root's far end
    max_root_share: float = 0.7  # ... and at most this far along the sleeve
    # where her armhole runs farther down her arm than the sleeve's cap reaches along it (a deep armhole
    # on a hanging arm), the cap is stretched at most this many times its own length; the rest of the
    # armhole folds under the sleeve
    max_cap_stretch: float = 1.0
    behind_root: float = 0.05  # a rung this far behind the root, on the body (the split's rounding)
    past_cuff: float = 0.12  # a rung this far past the cuff (the cuff's own edge)
    min_half: float = 0.06  # no rung's half-width under this
    tangent_reach: float = 0.12  # her arm's direction at a station: over this much of the sleeve on each side
    ease: float = 1.15  # a sleeve at least this many times as wide as her arm (or her own sleeve) ...
    max_stretch: float = 1.6  # ... but widened to at most this many times its own width (its edge blurs)
    min_cell_area: float = 1e-3  # px²: triangles smaller than this (degenerate) are not drawn


TUNING = SleeveTuning()


@dataclass(frozen=True)
class SleeveStrip:
    """Matching grids of points: ``garment`` in the packshot, ``shopper`` on her photo, both
    (rungs, across_cells + 1, 2); each cell is two triangles mapped affinely onto each other."""

    garment: np.ndarray
    shopper: np.ndarray


def _perp(direction: np.ndarray) -> np.ndarray:
    return np.array([-direction[1], direction[0]])


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (float(np.linalg.norm(v)) or 1.0)


def _along(path: list[np.ndarray], distance: float) -> np.ndarray:
    """The point ``distance`` along the polyline, clamped to its ends."""
    distance = max(0.0, distance)
    for a, b in itertools.pairwise(path):
        length = float(np.linalg.norm(b - a))
        if distance <= length:
            return a + _unit(b - a) * distance
        distance -= length
    return path[-1].copy()


def path_length(path: list[np.ndarray]) -> float:
    return float(sum(np.linalg.norm(b - a) for a, b in itertools.pairwise(path)))


def _rung_grid(outer: np.ndarray, inner: np.ndarray, t: SleeveTuning) -> np.ndarray:
    """``across_cells + 1`` points on the line through a rung's ends, past both by the margin."""
    shares = np.linspace(-1.0 - t.across_margin, 1.0 + t.across_margin, t.across_cells + 1)
    mid = (outer + inner) / 2
    return mid[None] + shares[:, None] * ((outer - inner) / 2)[None]


@dataclass(frozen=True)
class _Sleeve:
    """A packshot sleeve's axis and widths, read from its root and cuff."""

    root_mid: np.ndarray
    length: float  # root's middle to cuff's middle, packshot px
    direction: np.ndarray  # along the sleeve, unit
    hand: float  # 1 or -1: which way of the axis's normal is the outer side (the cap's)
    first: float  # share of the length where the first rung across the sleeve lies (past the root)
    stations: np.ndarray  # shares of the length of the rungs from the first to the cuff
    half_root: float
    half_cuff: float

    @property
    def perp(self) -> np.ndarray:
        return self.hand * _perp(self.direction)

    def half(self, share: float) -> float:
        return self.half_root + share * (self.half_cuff - self.half_root)


def _sleeve(
    cap: np.ndarray, armpit: np.ndarray, cuff_outer: np.ndarray, cuff_inner: np.ndarray, t: SleeveTuning
) -> _Sleeve | None:
    root_mid = (cap + armpit) / 2
    cuff_mid = (cuff_outer + cuff_inner) / 2
    length = float(np.linalg.norm(cuff_mid - root_mid))
    if length < 1.0:
        return None
    direction = (cuff_mid - root_mid) / length
    # the outer side is the cap's; the map keeps the sleeve's handedness (it does not mirror it)
    hand = 1.0 if float(_perp(direction) @ (cap - armpit)) >= 0 else -1.0
    perp = hand * _perp(direction)
    reach = max(float((cap - root_mid) @ direction), float((armpit - root_mid) @ direction)) / length
    first = float(np.clip(reach + t.root_clearance, 0.0, t.max_root_share))
    floor = t.min_half * length
    return _Sleeve(
        root_mid=root_mid,
        length=length,
        direction=direction,
        hand=hand,
        first=first,
        stations=np.linspace(first, 1.0, t.stations + 1) if first < 1.0 else np.ones(1),
        half_root=max(abs(float((cap - armpit) @ perp)) / 2, floor),
        half_cuff=max(abs(float((cuff_outer - cuff_inner) @ perp)) / 2, floor),
    )


def _garment_rungs(
    sleeve: _Sleeve,
    cap: np.ndarray,
    armpit: np.ndarray,
    cuff_outer: np.ndarray,
    cuff_inner: np.ndarray,
    t: SleeveTuning,
) -> np.ndarray:
    """The packshot's rungs: behind the root, the root, across the sleeve up to the cuff, past the cuff."""
    behind = t.behind_root * sleeve.length * sleeve.direction
    past = t.past_cuff * sleeve.length * sleeve.direction
    rungs = [(cap - behind, armpit - behind), (cap, armpit)]
    for share in sleeve.stations[:-1]:
        centre = sleeve.root_mid + share * sleeve.length * sleeve.direction
        half = sleeve.half(share)
        rungs.append((centre + half * sleeve.perp, centre - half * sleeve.perp))
    rungs += [(cuff_outer, cuff_inner), (cuff_outer + past, cuff_inner + past)]
    return np.stack([_rung_grid(o, i, t) for o, i in rungs])


def _arm_rungs(
    sleeve: _Sleeve,
    root_rungs: np.ndarray,
    arm_path: list[np.ndarray],
    length_scale: float,
    across_scale: float,
    arm_half_width: Callable[[float], float],
    t: SleeveTuning,
) -> np.ndarray | None:
    """The rungs across her arm after the root's two (``root_rungs``): they start past where the root
    reaches along her arm (a dropped shoulder's armhole runs down her upper arm), by at most the
    cap's own length stretched ``max_cap_stretch`` times, and keep the sleeve's own length from there,
    never past the path's end."""
    first, length = sleeve.first, sleeve.length
    start_dir = _unit(arm_path[1] - arm_path[0])
    root_ends = root_rungs[1][[0, -1]]
    reach_d = max(0.0, float(np.max((root_ends - arm_path[0]) @ start_dir)))
    own_first = first * length * length_scale
    first_d = max(
        own_first, min(reach_d, t.max_cap_stretch * own_first) + t.root_clearance * length * length_scale
    )
    end_d = min(first_d + (1.0 - first) * length * length_scale, path_length(arm_path))
    if end_d - first_d < 1.0:
        return None
    tangent_px = t.tangent_reach * end_d

    def rung(distance: float) -> tuple[np.ndarray, np.ndarray]:
        centre = _along(arm_path, distance)
        # her arm's direction around the station, not past the sleeve's end (a cuff above a bent
        # elbow would tilt towards the forearm and cross the rung before it)
        ahead = _along(arm_path, min(distance + tangent_px, end_d))
        tangent = _unit(ahead - _along(arm_path, max(distance - tangent_px, 0.0)))
        across = sleeve.hand * _perp(tangent)
        share = (distance - first_d) / (end_d - first_d)
        own = sleeve.half(first + share * (1.0 - first)) * across_scale
        half = min(max(own, t.ease * arm_half_width(distance)), t.max_stretch * own)
        return centre + half * across, centre - half * across

    distances = first_d + (sleeve.stations - first) / max(1.0 - first, 1e-6) * (end_d - first_d)
    if len(sleeve.stations) == 1:
        distances = np.array([end_d])
    rungs = [rung(float(d)) for d in distances]
    cuff_o, cuff_i = rungs[-1]
    end_dir = _unit(cuff_o + cuff_i - 2 * _along(arm_path, end_d - tangent_px))
    reach_past = t.past_cuff * (end_d - first_d) / max(1.0 - first, 1e-6)
    rungs.append((cuff_o + reach_past * end_dir, cuff_i + reach_past * end_dir))
    return np.stack([_rung_grid(o, i, t) for o, i in rungs])


def sleeve_strip(
    *,
    cap: np.ndarray,
    armpit: np.ndarray,
    cuff_outer: np.ndarray,
    cuff_inner: np.ndarray,
    to_shopper: Callable[[np.ndarray], np.ndarray],
    arm_path: list[np.ndarray],
    length_scale: float,
    across_scale: float,
    arm_half_width: Callable[[float], float],
    t: SleeveTuning = TUNING,
) -> SleeveStrip | None:
    """The strip of one packshot sleeve (``cap``-``armpit`` its root, the cuff's two ends) on her arm.

    ``to_shopper`` puts packshot points where the garment's body puts them (the root and the rung
    behind it), ``arm_path`` runs from where the root's middle lands through her elbow (and wrist);
    the sleeve is ``length_scale`` shopper px per packshot px long, never past the path's end, and
    ``across_scale`` as wide but never narrower than ``arm_half_width(distance along the path)``
    times the ease on each side (widened at most ``max_stretch`` times). None when the sleeve has no
    length."""
    sleeve = _sleeve(cap, armpit, cuff_outer, cuff_inner, t)
    if sleeve is None or len(arm_path) < 2:
        return None
    garment = _garment_rungs(sleeve, cap, armpit, cuff_outer, cuff_inner, t)
    root_rungs = to_shopper(garment[:2].reshape(-1, 2)).reshape(2, -1, 2)
    arm = _arm_rungs(sleeve, root_rungs, arm_path, length_scale, across_scale, arm_half_width, t)
    if arm is None:
        return None
    return SleeveStrip(garment=garment, shopper=np.concatenate([root_rungs, arm]))


def triangle_map(
    shopper: np.ndarray, garment: np.ndarray, box: tuple[int, int, int, int], t: SleeveTuning = TUNING
) -> tuple[np.ndarray, np.ndarray]:
    """The backward map (map_x, map_y, float32) over ``box`` of the piecewise-affine map taking the
    ``shopper`` grid onto the ``garment`` grid (each cell two triangles); -1 outside the grid. Where
    triangles overlap (the inside of a sharply bent elbow) the one farther along the sleeve wins."""
    x0, y0, x1, y1 = box
    rows, cols = shopper.shape[:2]
    i, j = np.meshgrid(np.arange(rows - 1), np.arange(cols - 1), indexing="ij")
    i, j = i.ravel(), j.ravel()
    corners = [
        ((i, j), (i, j + 1), (i + 1, j + 1)),
        ((i, j), (i + 1, j + 1), (i + 1, j)),
    ]
    tri_d = np.stack([np.stack([shopper[a] for a in tri], axis=1) for tri in corners], axis=1).reshape(
        -1, 3, 2
    )
    tri_g = np.stack([np.stack([garment[a] for a in tri], axis=1) for tri in corners], axis=1).reshape(
        -1, 3, 2
    )
    ones = np.ones((len(tri_d), 3, 1))
    system = np.concatenate([tri_d, ones], axis=2)
    area = np.abs(np.linalg.det(system)) / 2
    good = area > t.min_cell_area
    affines = np.zeros((len(tri_d), 3, 2))
    affines[good] = np.linalg.solve(system[good], tri_g[good])
    index = np.zeros((y1 - y0, x1 - x0), np.int32)
    offset = np.array([x0, y0], np.float64)
    for k in np.flatnonzero(good):
        points = np.round((tri_d[k] - offset) * 16).astype(np.int32)
        cv2.fillConvexPoly(index, points, int(k) + 1, lineType=cv2.LINE_8, shift=4)
    map_x = np.full(index.shape, -1.0, np.float32)
    map_y = np.full(index.shape, -1.0, np.float32)
    ys, xs = np.nonzero(index)
    if ys.size:
        chosen = affines[index[ys, xs] - 1]
        px, py = xs + x0, ys + y0
        map_x[ys, xs] = px * chosen[:, 0, 0] + py * chosen[:, 1, 0] + chosen[:, 2, 0]
        map_y[ys, xs] = px * chosen[:, 0, 1] + py * chosen[:, 1, 1] + chosen[:, 2, 1]
    return map_x, map_y


def strip_box(strip: SleeveStrip, shape: tuple[int, int]) -> tuple[int, int, int, int] | None:
    height, width = shape
    points = strip.shopper.reshape(-1, 2)
    x0 = int(np.clip(np.floor(points[:, 0].min()), 0, width))
    y0 = int(np.clip(np.floor(points[:, 1].min()), 0, height))
    x1 = int(np.clip(np.ceil(points[:, 0].max()) + 1, 0, width))
    y1 = int(np.clip(np.ceil(points[:, 1].max()) + 1, 0, height))
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1, y1


__all__ = ["TUNING", "SleeveStrip", "SleeveTuning", "sleeve_strip", "strip_box", "triangle_map"]
