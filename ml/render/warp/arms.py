"""Her arm under a sleeve of her own, drawn from the bare arm she shows below it.

Her own sleeves stay beside a new garment (``WarpRenderer._own_sleeves``) because every earlier
way of painting the arm under them (cylinders about the arm bones in her skin's colour) read as
"translucent ghosts" or "blocky skin slabs". Where her forearm shows below a short sleeve, the
arm's width and its look across (its shading from edge to edge, its colour) can be read on the
bare skin just below the hem, and the arm under the sleeve swept up from there to her shoulder:
her own arm continued, not a painted tube. Under a long sleeve (warp-80) only her wrist shows below
the cuff: its width sets the arm's all the way up, by an adult arm's proportions (``arm_widths``).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from ml.render.warp.body import shoulder_span
from ml.render.warp.geometry import Skeleton, run_through, segment_distance
from ml.types import ParsingClass as C
from ml.types import PhotoAnalysis


@dataclass(frozen=True)
class ArmTuning:
    """Lengths in shoulder spans."""

    min_sleeve: float = 0.08  # her sleeve covers her arm's line from the shoulder at least this far ...
    sleeve_share: float = 0.7  # ... (this share of the line up to its hem) ...
    min_bare: float = 0.25  # ... and bare arm follows it on the line for at least this long ...
    bare_share: float = 0.9  # ... (this share of that stretch), the hem no farther down the line
    elbow_reach: float = 1.15  # than this many upper arms' lengths ...
    sleeve_beyond: float = 0.1  # ... and at most this share of the line below it her garment
    # the drawn arm runs on this far past the hem over her own, solid for the first half (the hem's
    # band of mixed pixels) and fading into hers over the second
    overlap: float = 0.12
    # the arm is read across on its bare skin from this far below the hem (where the drawn arm
    # fades into it: they meet in one colour) ...
    read_from: float = 0.07
    read_length: float = 0.1  # ... over this length ...
    sections: int = 12  # ... in this many sections across the arm ...
    min_sections: int = 6  # ... of which this many must cross her arm alone (else her sleeve stays)
    reach: float = 0.3  # a section looks this far to each side of the bone
    min_width: float = 0.1  # an arm this wide at least ...
    max_width: float = 0.4  # ... and at most this (wider: a sleeve, her torso or the other arm)
    bins: int = 24  # the arm's look across it, in this many steps edge to edge
    widening: float = 1.12  # her arm at the shoulder is this times as wide as just below the hem
    edge: float = 0.008  # the drawn arm's soft edge (at least a pixel), as soft as a photo's
    # the arm read is skin, its sections alike (mean levels off their median): not a print the
    # parser gave to her arm
    max_spread: float = 8.5
    # ---- a long sleeve, ending below her elbow: the arm is read on her wrist below the cuff
    hand_reach: float = 0.3  # her arm's line runs on this far past the wrist, over her hand
    min_bare_wrist: float = 0.1  # bare wrist or hand follows the cuff on the line this long at least
    wrist_read_from: float = 0.02  # the wrist is read from this far below the cuff ...
    wrist_read_length: float = 0.06  # ... over this length
    wrist_overlap: float = 0.05  # the drawn arm runs on this far over her wrist (the cuff's mixed band)
    # her arm's width along its line, as multiples of her wrist's: at the shoulder, halfway down the
    # upper arm, at the elbow, a third of the way down the forearm and at the wrist (an adult arm seen
    # from the front: the deltoid, the biceps, the elbow, the forearm's muscles, the wrist)
    arm_widths: tuple[float, float, float, float, float] = (1.75, 1.65, 1.3, 1.4, 1.0)


TUNING = ArmTuning()
SIDES = ("right", "left")


@dataclass(frozen=True)
class ArmLook:
    """One arm as read below her sleeve's hem: where the hem is on the arm's line, the arm's width,
    its middle's offset from the bones there, and its colour across it (``bins`` x 3, edge to edge)."""

    side: str
    hem: float  # px along the line shoulder -> elbow -> wrist
    width: float  # px
    offset: float  # px, towards the bone's left normal
    profile: np.ndarray
    overlap: float = 0.0  # px: drawn on past the hem over her own arm, fading out
    edge: float = 1.0  # px: its soft edge
    # a long sleeve's arm: its width (px) at points along the line (px), from the shoulder to the
    # cuff; None for a short sleeve's, which widens evenly from the hem to the shoulder
    widths: tuple[tuple[float, ...], tuple[float, ...]] | None = None
    elbow: float = 0.0  # px along the line: her elbow (a long sleeve's forearm lies past it)


def _line(dst: Skeleton, side: str) -> np.ndarray | None:
    """Her arm's line: shoulder, elbow, wrist (3 x 2), or None without both bones."""
    upper, fore = dst.bones.get(f"{side}_upper_arm"), dst.bones.get(f"{side}_forearm")
    if upper is None or fore is None:
        return None
    return np.array([upper[0], upper[1], fore[1]], np.float64)


def _at(line: np.ndarray, s: float) -> tuple[np.ndarray, np.ndarray]:
    """The point ``s`` px along the line (its last piece extended beyond its end) and the unit
    direction there."""
    pieces = list(pairwise(line))
    a, b = pieces[0]
    for index, (a, b) in enumerate(pieces):
        length = float(np.linalg.norm(b - a))
        if s <= length or length <= 0 or index == len(pieces) - 1:
            break
        s -= length
    d = b - a
    length = float(np.linalg.norm(d)) or 1.0
    return a + d * (s / length), d / length


def _length(line: np.ndarray) -> float:
    return float(sum(np.linalg.norm(b - a) for a, b in pairwise(line)))


def read_arm(analysis: PhotoAnalysis, dst: Skeleton, side: str) -> ArmLook | None:
    """Her arm on ``side`` read below her own sleeve, short or long, or None when she wears none
    there, or the bare arm cannot be read cleanly."""
    t = TUNING
    line = _line(dst, side)
    if line is None:
        return None
    span = shoulder_span(analysis.keypoints)
    labels = _labels_along(analysis.parsing, line)
    hem = _hem(labels == C.UPPER_CLOTHES, labels == C.ARMS, span)
    if hem is None or hem > t.elbow_reach * float(np.linalg.norm(line[1] - line[0])):
        # no short sleeve: a long one, read on her wrist below the cuff, or none
        return _read_long_sleeve(analysis, line, side, span)
    bare = labels == C.ARMS
    if (labels[hem:] == C.UPPER_CLOTHES).mean() > t.sleeve_beyond:
        return None  # her sleeve goes on below: the line crossed her forearm, not the hem
    bare_run = int(np.argmin(bare[hem:])) if not bare[hem:].all() else len(bare) - hem
    first = hem + t.read_from * span
    last = min(hem + bare_run - 1.0, first + t.read_length * span)
    read = _read_across(analysis, line, first, last, span)
    if read is None:
        return None
    width, offset, profile = read
    return ArmLook(
        side=side,
        hem=float(hem),
        width=width,
        offset=offset,
        profile=profile,
        overlap=t.overlap * span,
        edge=max(1.0, t.edge * span),
    )


def _labels_along(parsing: np.ndarray, line: np.ndarray) -> np.ndarray:
    """The parser's label at every pixel step along the ``line`` (background off the photo)."""
    height, width = parsing.shape
    labels = []
    for s in np.arange(0.0, _length(line), 1.0):
        p, _ = _at(line, float(s))
        x, y = round(float(p[0])), round(float(p[1]))
        labels.append(parsing[y, x] if 0 <= x < width and 0 <= y < height else C.BACKGROUND)
    return np.array(labels)


def _read_long_sleeve(analysis: PhotoAnalysis, line: np.ndarray, side: str, span: float) -> ArmLook | None:
    """Her arm under a long sleeve that ends below her elbow, read on the bare wrist below its cuff:
    its width there sets the whole arm's (``arm_widths``), its look across is drawn all the way up.
    None when no such cuff is found or the wrist cannot be read cleanly (a hand in a pocket or
    holding something, a glove, a print the parser gave to her arm)."""
    t = TUNING
    wrist, elbow = line[2], line[1]
    fore = wrist - elbow
    fore_length = float(np.linalg.norm(fore))
    upper_length = float(np.linalg.norm(line[1] - line[0]))
    if fore_length <= 0 or upper_length <= 0:
        return None
    # her arm's line over her hand: without it a cuff at the wrist is the line's end
    hand = wrist + fore / fore_length * t.hand_reach * span
    extended = np.vstack([line, hand[None, :]])
    labels = _labels_along(analysis.parsing, extended)
    sleeve, bare = labels == C.UPPER_CLOTHES, labels == C.ARMS
    hem = _hem(sleeve, bare, span, t.min_bare_wrist)
    if hem is None or hem <= upper_length:
        return None  # no sleeve past her elbow
    # her sleeve goes on below the "cuff" up to her wrist: the line crossed her arm, not the cuff
    # (past the wrist her hand may lie over her top)
    to_wrist = labels[hem : max(hem + 1, round(upper_length + fore_length))]
    if (to_wrist == C.UPPER_CLOTHES).mean() > t.sleeve_beyond:
        return None
    bare_run = int(np.argmin(bare[hem:])) if not bare[hem:].all() else len(bare) - hem
    first = hem + t.wrist_read_from * span
    last = min(hem + bare_run - 1.0, first + t.wrist_read_length * span)
    read = _read_across(analysis, extended, first, last, span)
    if read is None:
        return None
    width, offset, profile = read
    # her arm's width along the line, from the wrist's: the knots at the shoulder, halfway down the
    # upper arm, the elbow, a third of the way down the forearm and the wrist, scaled so that the
    # cuff (on the forearm, or a little past the wrist) is as wide as read
    knots = np.array(
        [0.0, upper_length / 2.0, upper_length, upper_length + fore_length / 3.0, upper_length + fore_length]
    )
    ratios = np.array(t.arm_widths, np.float64)
    at_cuff = float(np.interp(float(hem), knots, ratios))
    widths = tuple(float(w) for w in width * ratios / at_cuff)
    return ArmLook(
        side=side,
        hem=float(hem),
        width=width,
        offset=offset,
        profile=profile,
        overlap=t.wrist_overlap * span,
        edge=max(1.0, t.edge * span),
        widths=(tuple(float(k) for k in knots), widths),
        elbow=upper_length,
    )


def _read_across(
    analysis: PhotoAnalysis, line: np.ndarray, first: float, last: float, span: float
) -> tuple[float, float, np.ndarray] | None:
    """Her bare arm read across in ``sections`` between ``first`` and ``last`` px along the
    ``line``: its width (px), its middle's offset from the line (px) and its colour across it
    (``bins`` x 3, edge to edge); None when too few sections cross her arm alone, or they differ
    like a print."""
    t = TUNING
    widths, offsets, profiles = [], [], []
    reach = round(t.reach * span)
    offsets_px = np.arange(-reach, reach + 1, dtype=np.float64)
    arm_mask = analysis.parsing == C.ARMS
    for s in np.linspace(first, last, t.sections):
        p, d = _at(line, float(s))
        run = run_through(arm_mask, p, np.array([-d[1], d[0]]), offsets_px)
        if run is None:
            continue
        xs, ys, lo, hi = run
        if lo == 0 or hi == len(offsets_px) - 1:
            continue  # the run leaves the section: her arm lies on more skin (her torso, a hand)
        run_width = float(hi - lo + 1)
        if not t.min_width * span <= run_width <= t.max_width * span:
            continue
        colours = analysis.image[ys[lo : hi + 1], xs[lo : hi + 1]].astype(np.float32)
        across = np.linspace(0.0, 1.0, len(colours))
        bins = np.linspace(0.0, 1.0, t.bins)
        profiles.append(np.stack([np.interp(bins, across, colours[:, c]) for c in range(3)], axis=1))
        widths.append(run_width)
        offsets.append((lo + hi) / 2.0 - reach)
    if len(widths) < t.min_sections:
        return None
    stack = np.stack(profiles)
    profile = np.median(stack, axis=0).astype(np.float32)
    if float(np.abs(stack - profile).mean()) > t.max_spread:
        return None  # a print, not her skin
    return float(np.median(widths)), float(np.median(offsets)), profile


def _hem(sleeve: np.ndarray, bare: np.ndarray, span: float, min_bare: float | None = None) -> int | None:
    """Where her sleeve ends on her arm's line (px from the shoulder): the first point after which
    the line is bare arm for ``min_bare`` (``bare_share`` of it) and before which it was mostly
    sleeve (``sleeve_share``), at least ``min_sleeve`` from the shoulder; None without one."""
    t = TUNING
    ahead = round((t.min_bare if min_bare is None else min_bare) * span)
    sleeve_sum = np.concatenate([[0], np.cumsum(sleeve)])
    bare_sum = np.concatenate([[0], np.cumsum(bare)])
    for hem in range(max(1, round(t.min_sleeve * span)), len(sleeve) - ahead + 1):
        if not (sleeve[hem - 1] and bare[hem]):
            continue
        if sleeve_sum[hem] < t.sleeve_share * hem:
            continue
        if bare_sum[hem + ahead] - bare_sum[hem] >= t.bare_share * ahead:
            return hem
    return None


def near_sleeve(look: ArmLook, dst: Skeleton, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """How far the points lie from her arm's line between the shoulder and the hem (px)."""
    line = _line(dst, look.side)
    if line is None:
        return np.full(xs.shape, np.inf)
    points = _line_to(line, look.hem)
    return np.min([segment_distance(xs, ys, a, b) for a, b in pairwise(points)], axis=0)


def _line_to(line: np.ndarray, s: float) -> list[np.ndarray]:
    """The corners of her arm's line from the shoulder to ``s`` px along it."""
    points = [line[0]]
    if s > float(np.linalg.norm(line[1] - line[0])):
        points.append(line[1])
    points.append(_at(line, s)[0])
    return points


def draw_arm(look: ArmLook, dst: Skeleton, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Her arm swept from the hem up to her shoulder: (colour H x W x 3 float32, alpha H x W)."""
    t = TUNING
    line = _line(dst, look.side)
    height, width = shape
    colour = np.zeros((height, width, 3), np.float32)
    alpha = np.zeros((height, width), np.float32)
    if line is None:
        return colour, alpha
    half_at_hem = look.width / 2.0
    half_top = half_at_hem * t.widening if look.widths is None else max(look.widths[1]) / 2.0
    # pixels near the line down to the hem and on over the overlap
    reach = look.hem + look.overlap
    points = _line_to(line, reach)
    pad = half_top + abs(look.offset) + 2 * look.edge + 2
    xs_all = [p[0] for p in points]
    ys_all = [p[1] for p in points]
    x0, x1 = max(0, int(min(xs_all) - pad)), min(width, int(max(xs_all) + pad) + 1)
    y0, y1 = max(0, int(min(ys_all) - pad)), min(height, int(max(ys_all) + pad) + 1)
    if x1 <= x0 or y1 <= y0:
        return colour, alpha
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float64)
    best = np.full(xs.shape, np.inf)
    along = np.zeros(xs.shape)
    across = np.zeros(xs.shape)
    start = 0.0
    for a, b in pairwise(points):
        d = b - a
        length = float(np.linalg.norm(d)) or 1.0
        u = d / length
        normal = np.array([-u[1], u[0]])
        proj = np.clip((xs - a[0]) * u[0] + (ys - a[1]) * u[1], 0.0, length)
        px, py = a[0] + proj * u[0], a[1] + proj * u[1]
        dist = np.hypot(xs - px, ys - py)
        side = (xs - a[0]) * normal[0] + (ys - a[1]) * normal[1]
        closer = dist < best
        best = np.where(closer, dist, best)
        along = np.where(closer, start + proj, along)
        across = np.where(closer, side, across)
        start += length
    share = np.clip(along / max(look.hem, 1.0), 0.0, 1.0)  # 0 at the shoulder, 1 at the hem
    if look.widths is None:
        half = half_top + (half_at_hem - half_top) * share
    else:
        half = np.interp(np.minimum(along, look.hem), look.widths[0], look.widths[1]) / 2.0
    middle = look.offset * share
    # the cap over the shoulder joint: round, as far out as the arm is wide
    off = np.where(along <= 0.0, best, np.abs(across - middle))
    if look.widths is not None:
        # round at the elbow, as the arm is: past a piece's end the distance runs on round its
        # end (a bent arm's outer corner was cut off square)
        beyond = np.sqrt(np.maximum(best**2 - across**2, 0.0))
        off = np.where(along <= 0.0, best, np.hypot(beyond, across - middle))
    inside = np.clip((half - off) / look.edge + 0.5, 0.0, 1.0)
    # past the hem it fades into her own arm over the overlap's second half
    fade = max(look.overlap / 2.0, 1.0)
    inside *= np.clip((reach - along) / fade, 0.0, 1.0)
    u = np.clip((across - middle) / np.maximum(half, 1.0), -1.0, 1.0)
    position = (u + 1.0) / 2.0 * (t.bins - 1)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, t.bins - 1)
    mix = (position - low)[..., None]
    look_colour = look.profile[low] * (1.0 - mix) + look.profile[high] * mix
    colour[y0:y1, x0:x1] = look_colour
    alpha[y0:y1, x0:x1] = inside
    return colour, alpha
