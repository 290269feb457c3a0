"""The structure of a flat garment read from its cut-out: what kind it looks like and its parts.

Everything is read from the outline (the mask), in the packshot's own pixels:

* the **symmetry axis** (the vertical line the outline mirrors best about);
* for tops and dresses: the **neckline** (its corners, the highest points either side of the axis,
  and its depth at the axis; an invisible mannequin's inner back neckline counts as garment), the
  **shoulders or straps** (thin runs at the top: a cami, a tank's straps), the **armpits**, the
  **sleeves** (none, short or long: the corner under a sleeve that reaches out past it; the cuff is
  the end farthest from the shoulder) and the **hem**; for dresses the **waist** (the narrowest
  body between armpits and hips) and the **flare** (hem width over waist width);
* for bottoms: the **waist** (top edge), the **crotch** (the top of the gap between two legs at
  the axis) and the **legs** (trousers, shorts, or a skirt when there is no crotch).

:func:`read_kind` says which kind the outline looks like; :func:`check_kind` says whether that can
be the kind the shop gave, and why not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import cv2
import numpy as np

from ml.errors import InvalidImage
from ml.types import GarmentKind


@dataclass(frozen=True)
class StructureTuning:
    """Every number of reading a packshot's outline. Shares are of the garment's width or height at
    work scale (its box, sleeves and all) unless said otherwise; px are work-scale pixels."""

    work_height: int = 320  # px: the outline is read at this height
    min_work_side: int = 8  # px: the work-scale outline is at least this wide and high
    crop_pad: int = 2  # px (full scale) of background kept around the garment's box
    min_part: float = 0.05  # parts of the mask under this share of the largest are specks
    tie_break: float = 1e-3  # rows per px from the axis: of equally high points the nearer one wins
    # the axis
    axis_search: float = 0.15  # of the width: the axis is searched this far either side of the centroid
    axis_coarse_rows: int = 80  # rows of the quick first search for the axis
    # the neckline and straps
    neck_band: float = 0.3  # of the width: the neckline corners lie within this distance of the axis
    deep_neckline: float = 0.5  # of the height: a "neckline" this deep is none (sleeves are looked for
    # below its corners, not below its centre)
    strap_max: float = 0.1  # of the width: a run at the top narrower than this is a strap
    strap_rows: float = 0.5  # of the way from the top to the neckline's centre where straps are looked for
    strap_span: float = 0.08  # of the height: straps hang beside a neckline at least this deep
    strap_runs: tuple[int, int] = (2, 4)  # a row of straps has this many runs (at least, at most)
    strap_row_share: float = 0.6  # share of those rows that must be such rows for the top to have straps
    strap_top_rows: float = 0.03  # of the height: a strap's top is among the points this close to the highest
    strapless_neckline: float = 0.03  # of the height: a flat top with a neckline shallower than this and no
    # straps or sleeves is strapless
    # sleeves and armpits
    armpit_reach: float = 0.6  # of the garment's height: the armpits lie above this
    armpit_off_centre: float = 0.12  # of the width: an armpit is at least this far from the axis
    armpit_depth: float = 0.02  # of the width: the corner under a sleeve is at least this deep
    sleeve_reach: float = 0.04  # of the width: a sleeve's end reaches this far out past its armpit (the body)
    body_below: float = 0.25  # of the height: a sleeve reaches past the body's side this far below its armpit
    # (not past a dress's flared skirt further down)
    sleeve_past_hem: float = 0.03  # of the height: sleeves hanging this far below the body's hem are long
    sleeve_rows: float = 0.95  # of the height: sleeves are looked for above this
    sleeve_jump: float = 0.03  # of the width: an outer edge moving in this much from one row to the next
    # ends a sleeve
    sleeve_part_rows: int = 2  # rows: a hanging sleeve parts from the body this far below the start
    cuff_drop_weight: float = 0.3  # a cuff is the sleeve's point farthest out plus this much per px lower
    armpit_max_drop: float = 0.5  # of the shoulder-to-hem length: an armpit found lower is hidden by a sleeve
    armpit_hidden_drop: float = 0.3  # of the shoulder-to-hem length: where a hidden armpit is put
    underside_slope: float = 0.5  # px in per px down: an outer edge steeper than this below a sleeve's end
    # is the body's side (flatter, it is still the sleeve's underside)
    underside_rows: float = 0.08  # of the height: the body's side stays within that slope this many rows
    underside_tolerance: float = 0.01  # of the width: ... give or take this (the cut-out's wiggles)
    short_sleeve: float = 0.55  # of the shoulder-to-hem length: a sleeve shorter than this is short
    # sleeveless armholes
    armhole_bend: float = 0.01  # of the width: a side's bend smaller than this is no armhole
    armhole_depth: tuple[float, float] = (0.15, 0.8)  # of the body's width: an armhole's depth below the
    # shoulder lies within this
    armhole_usual: float = 0.4  # of the body's width: its usual depth, where no armhole can be read
    armhole_span: float = 0.6  # of the garment's height: a sleeveless side's armpit lies above this
    armhole_notch_back: float = 0.25  # a notched side comes back out where the notch is this share of its
    # deepest
    min_armhole_rows: int = 3  # rows: fewer rows of side below the shoulder read no armhole
    # body, hem and waist
    body_rows: tuple[float, ...] = (0.55, 0.65, 0.75)  # of the height: the body's width is the median
    # width of its runs at these rows (sleeves hang above them)
    hem_slack: int = 2  # px: a hem corner lies at most this far outside the body's run on its row
    hem_corner_slope: float = 0.5  # hem corners: lowest and outermost, a px out counting this many px down
    waist_below_armpit: int = 2  # rows: a dress's waist is looked for this far below the armpits ...
    waist_reach: float = 0.6  # ... down to this share of the way to the hem
    dress_aspect: float = 1.5  # armpit-to-hem length over body width: longer upper garments are dresses
    dress_tall: float = 1.5  # and so are they overall, height over width (sleeves and all)
    # bottoms and skirts
    crotch_span: float = 0.2  # of a bottom's height: a gap at the axis at least this tall is between two legs
    crotch_below: float = 0.05  # of the height: and it starts at least this far below the top
    open_leg_rows: int = 2  # rows: legs are open when the gap between them reaches this close to the hems
    shorts_legs: float = 0.35  # of a bottom's height: legs below the crotch shorter than this are shorts
    waist_row: float = 0.01  # of the height: a waistband's width is read this far below its top (a row at
    # least)
    neckline_for_bottom: float = 0.05  # of the height: a bottom is refused only with a neckline this deep
    plain_neckline: float = 0.05  # of the height: a sleeveless, strapless outline with a neckline shallower
    # than this may be a skirt
    flat_top: float = 0.75  # share of the top edge within ``flat_top_rows`` of the top row: a waistband
    flat_top_rows: float = 0.03  # of the height
    skirt_top: float = 1.1  # a skirt's top edge is at most this times its narrowest width below
    skirt_rows: tuple[float, float] = (0.1, 0.9)  # of the height: that narrowest width is looked for here ...
    skirt_row_count: int = 17  # ... on this many rows
    skirt_aspect: float = 0.7  # height over width: a flat-topped garment taller than this is a skirt
    skirt_max_aspect: float = 1.8  # and no taller than this (a sleeveless sheath dress is)


TUNING = StructureTuning()

Point = tuple[float, float]
SIDE_NAMES = {-1: "right", 1: "left"}  # the wearer's side on the image's left (-1) and right (1)


@dataclass(frozen=True)
class GarmentStructure:
    """What a packshot's outline says (see the module docstring). Points are (x, y) in the
    packshot's pixels; left and right are the wearer's (right on the image's left)."""

    kind: GarmentKind  # the kind the shop gave
    read_as: str  # what the outline looks like: "top", "dress", "trousers", "shorts" or "skirt"
    kind_ok: bool
    kind_reason: str  # why the outline cannot be ``kind`` ("" when it can)
    axis_x: float
    symmetry: float  # 0..1: overlap of the outline with its mirror image about the axis
    top_y: float
    hem_y: float
    width: float
    sleeves: str = "none"  # "none", "short" or "long" (tops and dresses)
    straps: bool = False  # thin straps at the top (a cami, a strappy top)
    strapless: bool = False  # no shoulders or straps at all (a bandeau, a bustier)
    neckline_depth: float = 0.0  # px from the neckline corners down to its centre
    points: dict[str, Point] = field(default_factory=dict)  # named parts (see the module docstring)
    waist_y: float | None = None  # dresses and bottoms
    crotch_y: float | None = None  # trousers and shorts
    flare: float | None = None  # dresses: hem width over waist width

    def to_dict(self) -> dict:
        """A JSON-ready form (to store beside a packshot's mask and landmarks)."""
        data = asdict(self)
        data["kind"] = str(self.kind)
        data["points"] = {name: [float(x), float(y)] for name, (x, y) in self.points.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict) -> GarmentStructure:
        values = dict(data)
        values["kind"] = GarmentKind(values["kind"])
        values["points"] = {name: (float(x), float(y)) for name, (x, y) in values.get("points", {}).items()}
        return cls(**values)

    def describe(self) -> list[str]:
        """Short lines for a contact sheet."""
        check = "ok" if self.kind_ok else f"NOT {self.kind}: {self.kind_reason}"
        lines = [f"reads {self.read_as} ({check}) sym {self.symmetry:.2f}"]
        if self.read_as in ("top", "dress"):
            extra = " straps" if self.straps else (" strapless" if self.strapless else "")
            lines.append(f"sleeves {self.sleeves}{extra} neck {self.neckline_depth:.0f}px")
            if self.flare is not None:
                lines[-1] += f" flare {self.flare:.2f}"
        else:
            lines.append(f"waist {self.waist_y or 0:.0f} crotch {self.crotch_y or 0:.0f}")
        return lines


def _binary(mask: np.ndarray) -> np.ndarray:
    binary = (np.asarray(mask) > 127).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if count <= 1:
        raise InvalidImage("The garment mask is empty, so its structure cannot be read.")
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = np.flatnonzero(areas >= TUNING.min_part * areas.max()) + 1
    return np.isin(labels, keep).astype(np.uint8)


def symmetry_axis(binary: np.ndarray) -> tuple[float, float]:
    """(x, overlap): the vertical line the outline mirrors best about, and the overlap (IoU);
    searched on a quarter-size copy, then refined to half a pixel."""
    _ys, xs = np.nonzero(binary)
    width = xs.max() - xs.min() + 1
    centre = float(xs.mean())
    step = max(1, binary.shape[0] // TUNING.axis_coarse_rows)
    coarse = binary[::step, ::step]
    axis, _ = _best_mirror(
        coarse, (centre - TUNING.axis_search * width) / step, (centre + TUNING.axis_search * width) / step
    )
    return _best_mirror(binary, axis * step - step, axis * step + step)


def _best_mirror(binary: np.ndarray, low: float, high: float) -> tuple[float, float]:
    columns = np.arange(binary.shape[1])
    total = float(binary.sum())
    best = ((low + high) / 2, -1.0)
    for twice in range(round(2 * low), round(2 * high) + 1):
        mirror = twice - columns
        valid = (mirror >= 0) & (mirror < binary.shape[1])
        inter = float((binary[:, valid] & binary[:, mirror[valid]]).sum())
        iou = inter / (2 * total - inter)
        if iou > best[1]:
            best = (twice / 2.0, iou)
    return best


def _runs(row: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of the runs of garment in one row (end exclusive)."""
    padded = np.concatenate([[0], row.astype(np.int8), [0]])
    change = np.flatnonzero(np.diff(padded))
    return list(zip(change[::2].tolist(), change[1::2].tolist(), strict=True))


def _all_runs(binary: np.ndarray) -> list[list[tuple[int, int]]]:
    """The runs of every row at once."""
    padded = np.pad(binary.astype(np.int8), ((0, 0), (1, 1)))
    change = np.diff(padded, axis=1)
    rows_s, cols_s = np.nonzero(change == 1)
    _rows_e, cols_e = np.nonzero(change == -1)
    out: list[list[tuple[int, int]]] = [[] for _ in range(binary.shape[0])]
    for row, start, end in zip(rows_s.tolist(), cols_s.tolist(), cols_e.tolist(), strict=True):
        out[row].append((start, end))
    return out


def _top_profile(binary: np.ndarray) -> np.ndarray:
    has = binary.any(axis=0)
    return np.where(has, binary.argmax(axis=0), binary.shape[0]).astype(np.float64)


def _defects(contour: np.ndarray) -> list[tuple[int, int, int, float]]:
    hull = cv2.convexHull(contour, returnPoints=False)
    try:
        found = cv2.convexityDefects(contour, hull)
    except cv2.error:
        found = None
    if found is None:
        return []
    return [(int(s), int(e), int(f), d / 256.0) for s, e, f, d in found[:, 0, :]]


def read_structure(mask: np.ndarray, kind: GarmentKind | str) -> GarmentStructure:
    """The structure of the garment in ``mask`` (uint8 0..255), read at ``TUNING.work_height``."""
    t = TUNING
    kind = GarmentKind(kind)
    full = _binary(mask)
    ys, xs = np.nonzero(full)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    pad = t.crop_pad
    crop = full[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
    origin = np.array([max(0, x0 - pad), max(0, y0 - pad)], np.float64)
    scale = min(1.0, t.work_height / crop.shape[0])
    if scale < 1.0:
        side = t.min_work_side
        size = (max(side, round(crop.shape[1] * scale)), max(side, round(crop.shape[0] * scale)))
        crop = (cv2.resize(crop.astype(np.float32), size, interpolation=cv2.INTER_AREA) > 0.5).astype(
            np.uint8
        )
        scale = crop.shape[0] / (y1 - y0 + 2 * pad)
    reader = _Reader(crop)
    read = reader.read()

    def back(p: Point) -> Point:
        return (float(p[0] / scale + origin[0]), float(p[1] / scale + origin[1]))

    def back_y(y: float | None) -> float | None:
        return None if y is None else float(y / scale + origin[1])

    read_as = read["read_as"]
    ok, reason = check_kind(kind, read_as, read)
    return GarmentStructure(
        kind=kind,
        read_as=read_as,
        kind_ok=ok,
        kind_reason=reason,
        axis_x=float(reader.axis / scale + origin[0]),
        symmetry=float(reader.symmetry),
        top_y=float(back_y(reader.top)),
        hem_y=float(back_y(reader.bottom)),
        width=float(reader.width / scale),
        sleeves=read.get("sleeves", "none"),
        straps=bool(read.get("straps", False)),
        strapless=bool(read.get("strapless", False)),
        neckline_depth=float(read.get("neckline_depth", 0.0) / scale),
        points={name: back(p) for name, p in read.get("points", {}).items()},
        waist_y=back_y(read.get("waist_y")),
        crotch_y=back_y(read.get("crotch_y")),
        flare=read.get("flare"),
    )


def check_kind(kind: GarmentKind, read_as: str, read: dict | None = None) -> tuple[bool, str]:
    """Whether an outline read as ``read_as`` can be a garment of ``kind``, and why not.

    Only clear contradictions count: a top or dress with two open legs under a straight
    waistband, a bottom with sleeves or straps and a neckline (or wider than tall). A long top
    read as a dress (or a short dress as a top) is the same cut either way.
    """
    kind = GarmentKind(kind)
    read = read or {}
    if kind == GarmentKind.BOTTOM:
        height = read.get("height", 1.0)
        neckline = read.get("neckline_depth", 0.0) >= TUNING.neckline_for_bottom * height
        wide = read.get("width", 0.0) >= height  # a top is wider than tall; trousers are not
        parts = read.get("sleeves", "none") != "none" or read.get("straps")
        if read_as in ("top", "dress") and (neckline or wide) and parts:
            what = "sleeves" if read.get("sleeves", "none") != "none" else "straps"
            return False, f"the outline has {what} at the top, so it is no bottom"
        return True, ""
    if read_as in ("trousers", "shorts") and read.get("clear_legs"):
        return False, f"the outline has two legs (it looks like {read_as}), so it is no {kind}"
    return True, ""


def read_kind(mask: np.ndarray) -> str:
    """What the outline looks like: "top", "dress", "trousers", "shorts" or "skirt"."""
    return read_structure(mask, GarmentKind.TOP).read_as


class _Reader:
    """The structure of one binary outline at work scale (coordinates in its own pixels)."""

    def __init__(self, binary: np.ndarray) -> None:
        self.binary = binary
        ys, xs = np.nonzero(binary)
        self.top, self.bottom = int(ys.min()), int(ys.max())
        self.left, self.right = int(xs.min()), int(xs.max())
        self.width = self.right - self.left + 1
        self.height = self.bottom - self.top + 1
        self.axis, self.symmetry = symmetry_axis(binary)
        self._runs = _all_runs(binary)
        self._body: dict[int, tuple[int, int] | None] = {}
        self.profile = _top_profile(binary)
        contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        self.contour = max(contours, key=cv2.contourArea)
        self.pts = self.contour[:, 0, :].astype(np.float64)

    # -- shared ------------------------------------------------------------------------------------
    def extents(self, y: int) -> tuple[int, int] | None:
        xs = np.flatnonzero(self.binary[y])
        return (int(xs[0]), int(xs[-1])) if xs.size else None

    def runs(self, y: int) -> list[tuple[int, int]]:
        return self._runs[y]

    def body_run(self, y: int) -> tuple[int, int] | None:
        if y not in self._body:
            self._body[y] = self._find_body_run(y)
        return self._body[y]

    def _find_body_run(self, y: int) -> tuple[int, int] | None:
        runs = self.runs(y)
        if not runs:
            return None
        ax = self.axis
        return min(runs, key=lambda r: 0 if r[0] <= ax < r[1] else min(abs(r[0] - ax), abs(r[1] - ax)))

    def axis_gap(self) -> tuple[int, int] | None:
        """(first, last) row of the longest gap at the axis below the garment's top (a crotch)."""
        centre = round(self.axis)
        col = self.binary[:, max(0, centre - 1) : centre + 2].max(axis=1)
        rows = np.arange(self.top, self.bottom + 1)
        empty = col[rows] == 0
        best = None
        start = None
        for k, e in enumerate(np.append(empty, False)):
            if e and start is None:
                start = k
            elif not e and start is not None:
                if best is None or k - start > best[1] - best[0]:
                    best = (start, k)
                start = None
        if best is None:
            return None
        return self.top + best[0], self.top + best[1] - 1

    def flat_top(self) -> float:
        cols = np.arange(self.left, self.right + 1)
        prof = self.profile[cols]
        return float(np.mean(prof <= self.top + TUNING.flat_top_rows * self.height))

    # -- kind --------------------------------------------------------------------------------------
    def read(self) -> dict:
        gap = self.axis_gap()
        # two legs: a tall gap at the axis that starts below the top (a V-neck's starts at it); the
        # hems may touch below it
        legs = gap is not None and gap[1] - gap[0] + 1 >= TUNING.crotch_span * self.height
        if legs and gap[0] > self.top + TUNING.crotch_below * self.height:
            return self.read_bottom(crotch=gap[0])
        upper = self.read_upper()
        flat = self.flat_top()
        aspect = self.height / self.width
        sleeveless_plain = (
            upper["sleeves"] == "none"
            and not upper["straps"]
            and upper["neckline_depth"] < TUNING.plain_neckline * self.height
        )
        if (
            flat >= TUNING.flat_top
            and sleeveless_plain
            and TUNING.skirt_aspect <= aspect <= TUNING.skirt_max_aspect
            and self.narrowest_at_top()
        ):
            return self.read_bottom(crotch=None)
        return upper

    def narrowest_at_top(self) -> bool:
        """Whether the top edge is about the garment's narrowest (a skirt's waistband; a sleeveless
        dress's shoulders are wider than its waist)."""
        widths = []
        for frac in np.linspace(*TUNING.skirt_rows, TUNING.skirt_row_count):
            ext = self.extents(int(self.top + frac * self.height))
            if ext is not None:
                widths.append(ext[1] - ext[0] + 1)
        ext = self.extents(int(self.top + TUNING.flat_top_rows * self.height))
        if ext is None or not widths:
            return False
        return ext[1] - ext[0] + 1 <= TUNING.skirt_top * min(widths)

    # -- bottoms -----------------------------------------------------------------------------------
    def read_bottom(self, crotch: int | None) -> dict:
        top_run = self.extents(self.top + max(1, round(TUNING.waist_row * self.height)))
        points: dict[str, Point] = {}
        if top_run is not None:
            points["waist_right"] = (float(top_run[0]), float(self.top))
            points["waist_left"] = (float(top_run[1]), float(self.top))
        if crotch is None:
            read_as = "skirt"
        else:
            points["crotch"] = (float(self.axis), float(crotch))
            legs = (self.bottom - crotch) / self.height
            read_as = "shorts" if legs < TUNING.shorts_legs else "trousers"
        gap = self.axis_gap()
        return {
            "read_as": read_as,
            "points": points,
            "waist_y": float(self.top),
            "crotch_y": crotch,
            # open legs (the gap reaching the hems) under a straight waistband: clearly no top
            "clear_legs": crotch is not None
            and gap is not None
            and gap[1] >= self.bottom - TUNING.open_leg_rows
            and self.flat_top() >= TUNING.flat_top,
        }

    # -- tops and dresses --------------------------------------------------------------------------
    def read_upper(self) -> dict:
        points: dict[str, Point] = {}
        corner_y, centre_y, depth = self.neckline(points)
        straps = self.has_straps(int(corner_y), centre_y)
        strapless = not straps and depth < TUNING.strapless_neckline * self.height
        strapless = strapless and self.flat_top() >= TUNING.flat_top
        sleeves = self.find_sleeves(corner_y, centre_y, depth)
        out: dict = {
            "points": points,
            "straps": straps,
            "strapless": strapless and not sleeves,
            "neckline_depth": depth,
            "height": float(self.height),
            "width": float(self.width),
        }
        if len(sleeves) == 2:
            out["sleeves"] = self.sleeved_sides(points, sleeves)
        else:
            out["sleeves"] = "none"
            self.sleeveless_sides(points)
        points["hem_right"], points["hem_left"] = self.hem(points)
        armpit_y = (points["armpit_right"][1] + points["armpit_left"][1]) / 2
        is_dress = (self.bottom - armpit_y) / max(self.body_width(), 1.0) >= TUNING.dress_aspect
        is_dress = is_dress and self.height / self.width >= TUNING.dress_tall
        out["read_as"] = "dress" if is_dress else "top"
        if is_dress:
            self.dress_waist(out, points)
        return out

    def neckline(self, points: dict[str, Point]) -> tuple[float, float, float]:
        """The neckline's corners and centre put in ``points``; (the corners' mean row, the centre's
        row, its depth below the corners)."""
        ax = self.axis
        band = TUNING.neck_band * self.width
        cols = np.arange(self.left, self.right + 1)
        right_cols = cols[(cols < ax) & (cols >= ax - band)]
        left_cols = cols[(cols > ax) & (cols <= ax + band)]
        if right_cols.size == 0 or left_cols.size == 0:
            right_cols = left_cols = cols
        # the neckline corners: the highest points either side of the axis, nearest the axis on a tie
        tie = TUNING.tie_break
        r = int(right_cols[np.argmin(self.profile[right_cols] + tie * (ax - right_cols))])
        l_ = int(left_cols[np.argmin(self.profile[left_cols] + tie * (left_cols - ax))])
        points["neckline_right"] = (float(r), float(self.profile[r]))
        points["neckline_left"] = (float(l_), float(self.profile[l_]))
        centre_col = round(ax)
        centre_y = (
            float(self.profile[centre_col])
            if self.profile[centre_col] < self.binary.shape[0]
            else float(self.top)
        )
        points["neckline_center"] = (float(ax), centre_y)
        corner_y = (points["neckline_right"][1] + points["neckline_left"][1]) / 2
        return corner_y, centre_y, max(0.0, centre_y - corner_y)

    def find_sleeves(self, corner_y: float, centre_y: float, depth: float) -> dict[int, tuple[Point, Point]]:
        """{sign: (armpit, cuff)} of the sides with a sleeve (sign -1: the image's left)."""
        sleeves: dict[int, tuple[Point, Point]] = {}
        start = int(max(corner_y, centre_y if depth < TUNING.deep_neckline * self.height else corner_y)) + 1
        for sign in (-1, 1):
            found = self.sleeve_past_hem(sign)
            if found is None:
                found = self.sleeve_by_rows(sign, start)
            if found is None:
                found = self.sleeve(sign, corner_y, self.top + TUNING.armpit_reach * self.height)
            if found is not None:
                sleeves[sign] = found
        return sleeves

    def sleeved_sides(self, points: dict[str, Point], sleeves: dict[int, tuple[Point, Point]]) -> str:
        """The cuffs, shoulders and armpits of a garment with two sleeves put in ``points``; whether
        the sleeves are "long" or "short"."""
        lengths = []
        hem_y = float(self.body_hem())
        for sign, (armpit, cuff) in sleeves.items():
            side = SIDE_NAMES[sign]
            points[f"cuff_{side}"] = cuff
            shoulder = self.shoulder(sign, points[f"neckline_{side}"], cuff)
            points[f"shoulder_{side}"] = shoulder
            drop = hem_y - shoulder[1]
            if armpit[1] - shoulder[1] > TUNING.armpit_max_drop * drop:
                # a long sleeve lying against the body hides the armpit: where it usually is,
                # on the body's side
                armpit = (armpit[0], shoulder[1] + TUNING.armpit_hidden_drop * drop)
            points[f"armpit_{side}"] = armpit
            reach = float(np.hypot(cuff[0] - shoulder[0], cuff[1] - shoulder[1]))
            lengths.append(reach / max(drop, 1.0))
        return "long" if float(np.mean(lengths)) >= TUNING.short_sleeve else "short"

    def sleeveless_sides(self, points: dict[str, Point]) -> None:
        """The shoulders (strap tops) and armpits (where the armholes end) of a sleeveless garment put
        in ``points``."""
        low, high = TUNING.armhole_depth
        for sign in (-1, 1):
            side = SIDE_NAMES[sign]
            shoulder = self.strap_top(sign, points[f"neckline_{side}"])
            points[f"shoulder_{side}"] = shoulder
            armpit = self.sleeveless_armpit(sign, shoulder)
            width = self.body_width()
            drop = armpit[1] - shoulder[1]
            if not low * width <= drop <= high * width:
                # no armhole to read (a shift dress's side runs straight from its shoulder): where
                # an armhole usually ends, on the body's side
                y = round(shoulder[1] + TUNING.armhole_usual * width)
                run = self.body_run(min(y, self.bottom))
                x = (run[0] if sign < 0 else run[1] - 1) if run is not None else armpit[0]
                armpit = (float(x), float(y))
            points[f"armpit_{side}"] = armpit

    def body_width(self) -> float:
        """The body's width at two thirds of the way down (sleeves hang above it)."""
        widths = []
        for frac in TUNING.body_rows:
            run = self.body_run(int(self.top + frac * self.height))
            if run is not None:
                widths.append(run[1] - run[0])
        return float(np.median(widths)) if widths else float(self.width)

    def has_straps(self, corner_y: int, centre_y: float) -> bool:
        """Thin runs either side of the axis at the top (between the top and the neckline's centre)."""
        if centre_y - corner_y < TUNING.strap_span * self.height:
            return False  # no neckline to hang straps beside (a bandeau's ruffled top edge)
        last = int(corner_y + TUNING.strap_rows * (centre_y - corner_y))
        thin = 0
        rows = range(int(corner_y) + 1, max(int(corner_y) + 2, last))
        for y in rows:
            runs = self.runs(y)
            sides = {r[0] > self.axis for r in runs}
            if (
                TUNING.strap_runs[0] <= len(runs) <= TUNING.strap_runs[1]
                and len(sides) == 2
                and all(r[1] - r[0] < TUNING.strap_max * self.width for r in runs)
            ):
                thin += 1
        return thin >= TUNING.strap_row_share * len(rows)

    def sleeve_by_rows(self, sign: int, start: int) -> tuple[Point, Point] | None:
        """(armpit, cuff) on one side from the rows below ``start``, or None: a sleeve either parts
        from the body (a run of its own outside the body's run: the armpit is where it parts, the
        cuff its lowest row) or ends (the outer edge jumps inwards: the armpit is under the jump,
        the cuff the outer edge just above it), and it reaches out past the body's side below."""
        last = int(self.top + TUNING.sleeve_rows * self.height)
        jump = TUNING.sleeve_jump * self.width
        prev_outer = None
        for y in range(start, min(last, self.bottom)):
            runs = self.runs(y)
            if not runs:
                return None
            body = self.body_run(y)
            side_runs = [r for r in runs if r != body and sign * ((r[0] + r[1]) / 2 - self.axis) > 0]
            edge = body[0] if sign < 0 else body[1] - 1
            outer = (
                min(r[0] for r in (body, *side_runs))
                if sign < 0
                else max(r[1] - 1 for r in (body, *side_runs))
            )
            if side_runs and prev_outer is not None and y > start + TUNING.sleeve_part_rows:
                # a sleeve hanging on its own: it parted from the body on this row
                if not self._beyond_body(sign, y, prev_outer):
                    prev_outer = outer
                    continue
                cuff_y = y
                while cuff_y + 1 <= self.bottom and any(
                    sign * ((r[0] + r[1]) / 2 - self.axis) > 0 and r != self.body_run(cuff_y + 1)
                    for r in self.runs(cuff_y + 1)
                ):
                    cuff_y += 1
                sleeve_run = max(
                    (r for r in self.runs(cuff_y) if r != self.body_run(cuff_y)),
                    key=lambda r: sign * (r[0] + r[1]) / 2,
                    default=(edge, edge + 1),
                )
                cuff = ((sleeve_run[0] + sleeve_run[1] - 1) / 2, float(cuff_y))
                # a sleeve's ragged end parts from the body for a few rows too: its underside
                # still runs in to the armpit below (a hanging sleeve's parts at the body's side)
                return self.underside_end(sign, y), (float(cuff[0]), cuff[1])
            ended = prev_outer is not None and sign * (prev_outer - outer) > jump
            if ended and self._beyond_body(sign, y, prev_outer):
                return self.underside_end(sign, y), (float(prev_outer), float(y - 1))
            prev_outer = outer
        return None

    def underside_end(self, sign: int, y: int) -> Point:
        """The armpit under a sleeve whose end the outer edge left on row ``y``: the edge below runs
        along the sleeve's underside, in and down, to where it turns down the body's side: the first
        point from which the edge stays within a steep cone for the next rows (a ragged cut-out's
        stalls on the way in do not stop it)."""
        start = self.body_run(y)
        if start is None:
            return float(self.axis), float(y)
        # the outer edge followed row to row (the body's run may jump to the far side of a hole)
        xs = [float(start[0] if sign < 0 else start[1] - 1)]
        for yy in range(y + 1, min(self.bottom, y + int(TUNING.body_below * self.height)) + 1):
            edges = [r[0] if sign < 0 else r[1] - 1 for r in self.runs(yy)]
            if not edges:
                break
            x = float(min(edges, key=lambda e: abs(e - xs[-1])))
            if sign * (x - self.axis) < TUNING.armpit_off_centre * self.width:
                break  # not an underside: it runs in to the middle (a skirt's hem)
            xs.append(x)
        inward = -sign * np.array(xs)
        look = max(2, round(TUNING.underside_rows * self.height))
        tolerance = TUNING.underside_tolerance * self.width
        for k in range(len(xs) - 1):
            later = inward[k + 1 : k + 1 + look] - inward[k]
            cone = np.maximum(tolerance, TUNING.underside_slope * np.arange(1, later.size + 1))
            if np.all(later < cone):
                return xs[k], float(y + k)
        return xs[0], float(y)

    def _beyond_body(self, sign: int, y: int, outer: float) -> bool:
        """Whether ``outer`` (a sleeve's outer edge above row ``y``) reaches out past the body's side
        everywhere below ``y`` (a sleeveless shoulder is no wider than the hips)."""
        sides = []
        for yy in range(y, min(self.bottom + 1, y + int(TUNING.body_below * self.height) + 1), 2):
            run = self.body_run(yy)
            if run is not None:
                sides.append(sign * (run[0] if sign < 0 else run[1] - 1))
        return bool(sides) and sign * outer - max(sides) >= TUNING.sleeve_reach * self.width

    def sleeve(self, sign: int, neck_y: float, lowest: float) -> tuple[Point, Point] | None:
        """(armpit, cuff) on one side (sign -1: the image's left), or None without a sleeve: the
        highest convexity defect between the neckline and ``lowest`` whose upper hull end reaches
        out past it; the cuff is the sleeve's contour point farthest from the armpit's column."""
        best = None
        for start, end, far, depth in _defects(self.contour):
            px, py = self.pts[far]
            if sign * (px - self.axis) < TUNING.armpit_off_centre * self.width or not (neck_y < py < lowest):
                continue
            if depth < TUNING.armpit_depth * self.width:
                continue
            upper = start if self.pts[start, 1] <= self.pts[end, 1] else end
            ux = self.pts[upper, 0]
            if sign * (ux - px) < TUNING.sleeve_reach * self.width:
                continue
            if not self._beyond_body(sign, int(py) + 1, ux):
                continue  # a sleeveless shoulder no wider than the body below
            if best is None or py < best[0][1]:
                best = ((float(px), float(py)), upper, far)
        if best is None:
            return None
        armpit, upper, far = best
        n = len(self.pts)
        lo, hi = sorted((upper, far))
        inside = (
            self.pts[lo : hi + 1]
            if hi - lo <= n // 2
            else np.concatenate([self.pts[hi:], self.pts[: lo + 1]])
        )
        outward = sign * (inside[:, 0] - armpit[0])
        cuff = inside[int(np.argmax(outward + TUNING.cuff_drop_weight * (inside[:, 1] - armpit[1])))]
        return armpit, (float(cuff[0]), float(cuff[1]))

    def shoulder(self, sign: int, neck: Point, cuff: Point) -> Point:
        """The corner of the top edge between the neckline corner and the sleeve's end."""
        lo, hi = sorted((int(neck[0]), int(cuff[0])))
        xs = np.arange(max(lo, 0), min(hi + 1, self.binary.shape[1]))
        if xs.size == 0:
            return neck
        prof = np.stack([xs, self.profile[xs]], axis=1)
        chord = np.array(cuff) - np.array(neck)
        normal = np.array([chord[1], -chord[0]]) / (np.linalg.norm(chord) + 1e-6)
        if normal[1] > 0:
            normal = -normal
        k = int(np.argmax((prof - np.array(neck)) @ normal))
        return float(prof[k, 0]), float(prof[k, 1])

    def strap_top(self, sign: int, neck: Point) -> Point:
        """A sleeveless side's shoulder: the outermost of the highest points on its side (a strap's
        top, a tank's shoulder seam's outer end)."""
        cols = np.arange(self.left, self.right + 1)
        side = cols[sign * (cols - self.axis) >= sign * (neck[0] - self.axis)]
        if side.size == 0:
            return neck
        prof = self.profile[side]
        high = prof <= prof.min() + TUNING.strap_top_rows * self.height
        pick = side[high]
        x = int(pick[np.argmax(sign * (pick - self.axis))])
        return float(x), float(self.profile[x])

    def sleeveless_armpit(self, sign: int, shoulder: Point) -> Point:
        """Where a sleeveless side's armhole ends: the knee of the outer edge below the shoulder,
        the point farthest outside the chord from the shoulder to the edge's lowest point in reach."""
        last = int(self.top + TUNING.armhole_span * self.height)
        first = int(shoulder[1]) + 1
        ys, xs = [], []
        for y in range(first, max(first + 1, last)):
            ext = self.extents(y)
            if ext is None:
                continue
            ys.append(y)
            xs.append(ext[0] if sign < 0 else ext[1])
        if len(ys) < TUNING.min_armhole_rows:
            return shoulder
        ys_a, xs_a = np.array(ys, np.float64), np.array(xs, np.float64)
        a = np.array(shoulder)
        b = np.array([xs_a[-1], ys_a[-1]])
        chord = b - a
        rel = np.stack([xs_a, ys_a], axis=1) - a
        # distance outside the chord (away from the axis)
        cross = (chord[0] * rel[:, 1] - chord[1] * rel[:, 0]) / (np.linalg.norm(chord) + 1e-6)
        outside = -sign * cross
        k = int(np.argmax(outside))
        if outside[k] <= TUNING.armhole_bend * self.width:
            # no outward bend (the straps are as wide as the body): the armhole is a notch in the
            # side; the armpit is where the side comes back out of it
            inside = -outside
            k_in = int(np.argmax(inside))
            back = np.flatnonzero(inside[k_in:] < TUNING.armhole_notch_back * inside[k_in])
            k = k_in + (int(back[0]) if back.size and inside[k_in] > TUNING.armhole_bend * self.width else 0)
        return float(xs_a[k]), float(ys_a[k])

    def body_hem(self) -> int:
        """The body's lowest row: the last row with garment at the axis below the neckline (long
        sleeves may hang lower)."""
        centre = round(self.axis)
        column = self.binary[:, max(0, centre - 1) : centre + 2].max(axis=1)
        rows = np.flatnonzero(column)
        return int(rows[-1]) if rows.size else self.bottom

    def sleeve_past_hem(self, sign: int) -> tuple[Point, Point] | None:
        """(armpit, cuff) of a long sleeve hanging past the body's hem on one side (a bell sleeve
        lying against the body above it: the armpit is hidden, put where it usually is)."""
        hem = self.body_hem()
        if self.bottom - hem < TUNING.sleeve_past_hem * self.height:
            return None

        def hanging(side: int) -> list[tuple[int, tuple[int, int]]]:
            # runs below the hem well off the axis (a slit's two halves reach in to it)
            return [
                (y, r)
                for y in range(hem + 1, self.bottom + 1)
                for r in self.runs(y)
                if side * ((r[0] if side > 0 else r[1] - 1) - self.axis)
                > TUNING.armpit_off_centre * self.width
            ]

        below = hanging(sign)
        if not below or not hanging(-sign):
            return None
        cuff_y, run = below[-1]
        run_y = int(self.top + TUNING.armpit_hidden_drop * (hem - self.top))
        body = self.body_run(run_y)
        x = float(body[0] if sign < 0 else body[1] - 1) if body is not None else float(self.axis)
        return (x, float(run_y)), ((run[0] + run[1] - 1) / 2, float(cuff_y))

    def hem(self, points: dict[str, Point]) -> tuple[Point, Point]:
        """The lowest-and-outermost points of the body below the armpits (above its hem row)."""
        ya = max(points["armpit_right"][1], points["armpit_left"][1])
        below = self.pts[(self.pts[:, 1] > ya) & (self.pts[:, 1] <= self.body_hem())]
        if below.size == 0:
            below = self.pts
        inside = []
        for x, y in below:
            run = self.body_run(int(y))
            if run is not None and run[0] - TUNING.hem_slack <= x <= run[1] - 1 + TUNING.hem_slack:
                inside.append((x, y))
        body = np.array(inside) if inside else below
        slope = TUNING.hem_corner_slope
        right = body[int(np.argmax(body[:, 1] - slope * body[:, 0]))]
        left = body[int(np.argmax(body[:, 1] + slope * body[:, 0]))]
        return (float(right[0]), float(right[1])), (float(left[0]), float(left[1]))

    def dress_waist(self, out: dict, points: dict[str, Point]) -> None:
        ya = int(max(points["armpit_right"][1], points["armpit_left"][1])) + TUNING.waist_below_armpit
        yh = int(min(points["hem_right"][1], points["hem_left"][1]))
        stop = max(ya + 1, ya + int(TUNING.waist_reach * (yh - ya)))
        best, best_w = None, None
        for y in range(ya, stop):
            run = self.body_run(y)
            if run is None:
                continue
            w = run[1] - run[0]
            if best_w is None or w < best_w:
                best, best_w = (y, run), w
        if best is None:
            return
        y, run = best
        points["waist_right"] = (float(run[0]), float(y))
        points["waist_left"] = (float(run[1] - 1), float(y))
        out["waist_y"] = float(y)
        hem_width = points["hem_left"][0] - points["hem_right"][0]
        out["flare"] = float(hem_width / max(best_w, 1))


__all__ = ["GarmentStructure", "check_kind", "read_kind", "read_structure", "symmetry_axis"]
