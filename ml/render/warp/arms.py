"""Her upper arm under a short sleeve of her own, drawn from the bare arm she shows below it.

Her own sleeves stay beside a new garment (``WarpRenderer._own_sleeves``) because every earlier
way of painting the arm under them (cylinders about the arm bones in her skin's colour) read as
"translucent ghosts" or "blocky skin slabs". Where her forearm shows below a short sleeve, the
arm's width and its look across (its shading from edge to edge, its colour) can be read on the
bare skin just below the hem, and the arm under the sleeve swept up from there to her shoulder:
her own arm continued, not a painted tube.
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
    elbow_reach: float = 1.8  # than this many upper arms' lengths (a 3/4 sleeve) ...
    # ... a sleeve ending past this many is read only with her other arm read too: one arm drawn bare
    # beside her old 3/4 sleeve on the other read as one old sleeve left (the warp-88 candidate)
    short_reach: float = 1.15
    past_hem: float = 1.0  # her sleeve's far parts go no farther than this many arm widths past its hem
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


def _line(dst: Skeleton, side: str) -> np.ndarray | None:
    """Her arm's line: shoulder, elbow, wrist (3 x 2), or None without both bones."""
    upper, fore = dst.bones.get(f"{side}_upper_arm"), dst.bones.get(f"{side}_forearm")
    if upper is None or fore is None:
        return None
    return np.array([upper[0], upper[1], fore[1]], np.float64)


def _at(line: np.ndarray, s: float) -> tuple[np.ndarray, np.ndarray]:
    """The point ``s`` px along the line and the unit direction there."""
    first = float(np.linalg.norm(line[1] - line[0]))
    a, b, s = (line[0], line[1], s) if s <= first or first <= 0 else (line[1], line[2], s - first)
    d = b - a
    length = float(np.linalg.norm(d)) or 1.0
    return a + d * (s / length), d / length


def _length(line: np.ndarray) -> float:
    return float(np.linalg.norm(line[1] - line[0]) + np.linalg.norm(line[2] - line[1]))


def read_arms(analysis: PhotoAnalysis, dst: Skeleton) -> list[ArmLook]:
    """Her arms read below her own sleeves (:func:`read_arm`), an arm below a 3/4 sleeve only when
    both arms are read: both drawn bare, or neither."""
    looks = [read_arm(analysis, dst, side) for side in SIDES]
    both = all(look is not None for look in looks)
    return [look for look in looks if look is not None and (both or not _below_elbow(look, dst))]


def _below_elbow(look: ArmLook, dst: Skeleton) -> bool:
    """Whether her sleeve over this arm ends past ``short_reach`` upper arms' lengths (a 3/4 sleeve)."""
    line = _line(dst, look.side)
    return line is not None and look.hem > TUNING.short_reach * float(np.linalg.norm(line[1] - line[0]))


def read_arm(analysis: PhotoAnalysis, dst: Skeleton, side: str) -> ArmLook | None:
    """Her arm on ``side`` read below her own short sleeve, or None when she wears none there (or a
    long one), or the bare arm cannot be read cleanly."""
    t = TUNING
    line = _line(dst, side)
    if line is None:
        return None
    parsing = analysis.parsing
    height, width = parsing.shape
    span = shoulder_span(analysis.keypoints)
    total = _length(line)
    steps = np.arange(0.0, total, 1.0)
    labels = []
    for s in steps:
        p, _ = _at(line, float(s))
        x, y = round(float(p[0])), round(float(p[1]))
        labels.append(parsing[y, x] if 0 <= x < width and 0 <= y < height else C.BACKGROUND)
    labels = np.array(labels)
    hem = _hem(labels == C.UPPER_CLOTHES, labels == C.ARMS, span)
    if hem is None or hem > t.elbow_reach * float(np.linalg.norm(line[1] - line[0])):
        return None  # no sleeve, or one past her elbow (her forearm under it is not hers to read)
    bare = labels == C.ARMS
    if (labels[hem:] == C.UPPER_CLOTHES).mean() > t.sleeve_beyond:
        return None  # her sleeve goes on below: the line crossed her forearm, not the hem
    bare_run = int(np.argmin(bare[hem:])) if not bare[hem:].all() else len(bare) - hem
    hem = float(hem)
    widths, offsets, profiles = [], [], []
    reach = round(t.reach * span)
    offsets_px = np.arange(-reach, reach + 1, dtype=np.float64)
    arm_mask = parsing == C.ARMS
    first = hem + t.read_from * span
    last = min(hem + bare_run - 1.0, first + t.read_length * span)
    for s in np.linspace(first, last, t.sections):
        p, d = _at(line, float(s))
        run = run_through(arm_mask, p, np.array([-d[1], d[0]]), offsets_px)
        if run is None:
            continue
        xs, ys, lo, hi = run
        middle = reach
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
        offsets.append((lo + hi) / 2.0 - middle)
    if len(widths) < t.min_sections:
        return None
    stack = np.stack(profiles)
    profile = np.median(stack, axis=0).astype(np.float32)
    if float(np.abs(stack - profile).mean()) > t.max_spread:
        return None  # a print, not her skin
    return ArmLook(
        side=side,
        hem=hem,
        width=float(np.median(widths)),
        offset=float(np.median(offsets)),
        profile=profile,
        overlap=t.overlap * span,
        edge=max(1.0, t.edge * span),
    )


def _hem(sleeve: np.ndarray, bare: np.ndarray, span: float) -> int | None:
    """Where her sleeve ends on her arm's line (px from the shoulder): the first point after which
    the line is bare arm for ``min_bare`` (``bare_share`` of it) and before which it was mostly
    sleeve (``sleeve_share``), at least ``min_sleeve`` from the shoulder; None without one."""
    t = TUNING
    ahead = round(t.min_bare * span)
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
    """How far the points lie from her arm's line between the shoulder and the hem (px); infinitely
    far past the hem by more than ``past_hem`` arm widths along the arm (below a 3/4 sleeve's hem her
    hand may rest on her dress's skirt, which is no sleeve)."""
    line = _line(dst, look.side)
    if line is None:
        return np.full(xs.shape, np.inf)
    points = _line_to(line, look.hem)
    distance = np.min([segment_distance(xs, ys, a, b) for a, b in pairwise(points)], axis=0)
    a, b = points[-2], points[-1]
    along = (b - a) / max(float(np.linalg.norm(b - a)), 1e-9)
    beyond = (xs - b[0]) * along[0] + (ys - b[1]) * along[1]
    return np.where(beyond > TUNING.past_hem * look.width, np.inf, distance)


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
    half_top = half_at_hem * t.widening
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
    half = half_top + (half_at_hem - half_top) * share
    middle = look.offset * share
    # the cap over the shoulder joint: round, as far out as the arm is wide
    off = np.where(along <= 0.0, best, np.abs(across - middle))
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
