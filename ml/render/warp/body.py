"""Bodies and garments as warp sources and targets: skeletons, part labels, clean plates."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ml.errors import CannotRender
from ml.kinds import GARMENT_CLASSES
from ml.render.warp.backdrop import sharp_fill
from ml.render.warp.geometry import (
    ARM_BONES,
    BONES,
    Frame,
    Group,
    Skeleton,
    mirror_affine,
    point,
    polygon_distance,
    segment_distance,
)
from ml.types import ParsingClass as C
from ml.types import PhotoAnalysis

ARM_GROUPS = (Group.RIGHT_ARM, Group.LEFT_ARM)
LEG_GROUPS = (Group.RIGHT_LEG, Group.LEFT_LEG)
UPPER_ARM_BONES = ("right_upper_arm", "left_upper_arm")


@dataclass(frozen=True)
class BodyTuning:
    """The shopper's body as the warp sees it: skeleton, part labels, clean plate and the region a
    garment may cover. Lengths in shoulder spans (the shoulder joints apart) unless said otherwise;
    levels in torso lengths (shoulders to hips) below the shoulders."""

    min_span: float = 4.0  # px: a shoulder span is never counted shorter than this
    width_levels: tuple[float, ...] = (0.25, 0.35, 0.45, 0.55)  # torso widths read at these levels ...
    width_scan: float = 1.3  # ... scanning this far out ...
    width_steps: int = 90  # ... in this many steps ...
    arm_clearance: float = 0.14  # ... each scan stopping this close to an arm bone (a sleeve is no torso)
    min_width_scans: int = 2  # scans that must find the torso's edge, else the default half-width
    default_half_width: float = 0.62  # the torso's half-width when it cannot be measured ...
    half_width_range: tuple[float, float] = (0.4, 1.1)  # ... and the range it is kept in
    default_torso: float = 1.45  # the torso's length (shoulders to hips) when the hips are not seen ...
    min_torso: float = 0.5  # ... or measure shorter than this
    min_bone: float = 1.0  # px: a bone at least this long, else it is left out
    label_height: int = 160  # px: part groups are labelled on a copy this tall
    sleeve_reach: float = 0.3  # a sleeve: garment this close to an arm, nearer to it than to the torso ...
    skirt_length: float = 1.6  # ... whose lower corners reach this many torso lengths below the hips ...
    skirt_flare: float = 0.45  # ... and this far out (a dress's skirt is no sleeve)
    # ... and garment this close to an upper arm's bone that is garment on both sides of it (the
    # inner half of a sleeve round the upper arm, inside the torso's outline)
    sleeve_core: float = 0.15
    min_kernel: int = 3  # px: a kernel growing a region by a share of its size is at least this wide
    rim_rows: int = 150  # a removed garment's background rim: 1 px of radius per this many photo rows
    # the skin just outside a removed garment holds its edge's mixed pixels: their garment colour is
    # taken out against the colours of the garment and the skin within this many rim radii ...
    rim_window: int = 3
    rim_contrast: float = 30.0  # ... where the two differ by at least this many levels
    leftovers_from: int = 100  # px: leftovers are searched around a removed garment from this size on
    leftovers_height: int = 160  # px: leftovers are found on a copy this tall ...
    leftovers_band: float = 0.05  # ... within this share of its height around the garment ...
    leftovers_colour: float = 28.0  # ... coloured within this many levels (every channel) of the garment ...
    leftovers_rare: float = 0.5  # ... unless more than this share of the background around is that colour
    leftovers_growth: int = 3  # px (small copy): the leftovers grown by a kernel this wide
    min_work_size: int = 8  # px: a small working copy is at least this wide and tall
    skin_samples: int = 50  # pixels of a skin class needed to read the skin tone from it
    default_skin: tuple[float, float, float] = (205.0, 160.0, 135.0)  # RGB skin tone when none is seen
    fill_min_size: int = 4  # px: the pyramid fill stops halving at this size
    fill_trust: float = 2.0  # a pyramid level's own colour is trusted this times its coverage (at most 1)
    grain_inset: int = 5  # px: the skin eroded by a kernel this wide before its grain is measured
    grain_min_skin: int = 200  # skin pixels needed to measure the skin's grain
    grain_blur: float = 2.0  # px: the grain is the skin's detail finer than this blur ...
    grain_contrast: tuple[float, float] = (0.004, 0.015)  # ... its contrast (share of the level) kept here
    grain_size: float = 0.8  # px: the painted grain's blur
    plate_height: int = 192  # px: the clean plate's background is filled on a copy this tall ...
    hole_growth: int = 5  # px: ... its hole (person and garments) grown by a kernel this wide (small copy)
    # a backdrop whose mean gradient (levels per px, small copy) within this many px of the hole ...
    backdrop_band: int = 15
    textured_backdrop: float = 3.0  # ... is at least this is continued with its own patches, not smoothly
    seam_ring: int = 2  # px (small copy): the fill is matched to the backdrop this wide round them ...
    seam_outlier: float = 40.0  # ... leaving out ring pixels this many levels off the fill (no backdrop)
    half_resolution_above: int = 400  # px: photos taller than this get their skin at half resolution
    upper_body_height: int = 160  # px: where skin would be painted on her upper body, on a copy this tall
    skin_edge: float = 0.02  # a painted limb's or torso's soft edge (at least 1 px)
    upper_arm_radius: float = 0.16  # a painted upper arm's radius
    forearm_radius: float = 0.12  # a painted forearm's radius
    shoulder_radius: float = 0.13  # painted shoulder tops: this thick around a line to each joint ...
    shoulder_slope_up: float = 0.15  # ... from the middle of her neck this far above her shoulder line
    thigh_radius: float = 0.24  # a painted thigh's radius (and the least a trouser leg covers there)
    shin_radius: float = 0.15  # a painted shin's radius (and the least a trouser leg covers there)
    limb_rim_shade: float = 0.72  # a painted limb's shade at its rim ...
    limb_depth_shade: float = 0.28  # ... plus this much times its depth (a cylinder: 1 on its axis) ...
    # ... relative to its mean across the limb, times the colour of her own skin continued over it
    torso_shade: float = 1.0  # the painted torso's flat shade (relative to her skin continued over it)
    skin_inset: int = 2  # px: her skin is continued from its pixels this far inside its outline ...
    skin_range: float = 30.0  # ... kept within this many levels of her skin tone (no hair or lips)
    strip_width: float = 0.06  # shoulder spans: a removed piece thinner than this (a strap) ...
    strip_skin_share: float = 0.6  # ... with this share of its rim her skin is her skin continued, unshaded
    slim_torso: float = 0.42  # painted torso skin at most this half-width (the old garment's is not hers)
    torso_skin_margin: float = 0.04  # painted torso skin reaches this far out of the slim torso
    neck_reach: float = 0.4  # the painted neck: from the shoulders this share of the way neck -> nose ...
    neck_radius: float = 0.17  # ... this thick on each side
    trouser_legs_from: int = 200  # trouser pixels needed (and more than bare leg ones) to paint legs in them
    attach_height: int = 160  # px: the attachment region is drawn on a copy this tall
    attach_margin: float = 0.12  # garment may reach this far beyond the shopper's body
    limb_allowance: float = 0.28  # loose sleeves and trouser legs: this far around every bone
    flare_length: float = 2.8  # the flare below the hips: this many torso lengths (maxi dresses) ...
    flare_width: float = 1.3  # ... widening this far to each side at its hem
    attach_softness: float = 0.03  # the region's edge blur (at least half a pixel)
    solid_alpha: float = 0.25  # a warped garment's pixel counts as solid from this alpha ...
    keep_piece: float = 0.04  # ... and its pieces at least this share of the largest one stay
    dropped_edge: int = 5  # px (small copy): a dropped piece's soft edge, a kernel this wide, goes with it

    def limb_radius(self, bone: str) -> float | None:
        """The painted radius of a limb bone (None for the torso and head)."""
        for part, radius in (
            ("upper_arm", self.upper_arm_radius),
            ("forearm", self.forearm_radius),
            ("thigh", self.thigh_radius),
            ("shin", self.shin_radius),
        ):
            if bone.endswith(f"_{part}"):
                return radius
        return None


TUNING = BodyTuning()


def shoulder_span(keypoints: np.ndarray) -> float:
    rs, ls = point(keypoints, "right_shoulder"), point(keypoints, "left_shoulder")
    if rs is None or ls is None:
        raise CannotRender("The shoulders must be visible in both photos to put a garment on.")
    return max(float(np.linalg.norm(ls - rs)), TUNING.min_span)


def _measure_half_width(
    body: np.ndarray, origin: np.ndarray, down: np.ndarray, span: float, arms: list | None = None
) -> float | None:
    """Median half-width of ``body`` across the torso axis at chest and waist levels; a scan stops
    at an arm (``arms``: bone segments) lying against the body, so sleeves do not count as torso."""
    t = TUNING
    height, width = body.shape
    unit = down / (np.linalg.norm(down) + 1e-9)
    across = np.array([-unit[1], unit[0]])
    ts = np.linspace(0, t.width_scan * span, t.width_steps)
    found = []
    for level in t.width_levels:
        centre = origin + level * down
        for sign in (-1.0, 1.0):
            pts = centre[None, :] + sign * ts[:, None] * across[None, :]
            xi = np.clip(pts[:, 0].round().astype(int), 0, width - 1)
            yi = np.clip(pts[:, 1].round().astype(int), 0, height - 1)
            inside = body[yi, xi] & (pts[:, 0] >= 0) & (pts[:, 0] < width) & (pts[:, 1] < height)
            for a, b in arms or []:
                inside &= segment_distance(pts[:, 0], pts[:, 1], a, b) > t.arm_clearance * span
            if not inside[0]:
                continue
            off = np.flatnonzero(~inside)
            found.append(ts[off[0]] if off.size else ts[-1])
    if len(found) < t.min_width_scans:
        return None
    return float(np.median(found))


def body_skeleton(analysis: PhotoAnalysis) -> Skeleton:
    """Torso frame (widths measured on the person mask) and limb bones of an analysed photo."""
    t = TUNING
    k = analysis.keypoints
    span = shoulder_span(k)
    rs, ls = point(k, "right_shoulder"), point(k, "left_shoulder")
    assert rs is not None and ls is not None
    origin = (rs + ls) / 2
    rh, lh = point(k, "right_hip"), point(k, "left_hip")
    shoulder_vec = ls - rs
    perp_down = np.array([-shoulder_vec[1], shoulder_vec[0]]) / (np.linalg.norm(shoulder_vec) + 1e-9)
    if perp_down[1] < 0:
        perp_down = -perp_down
    if rh is not None and lh is not None:
        down = (rh + lh) / 2 - origin
    elif rh is not None or lh is not None:
        hip = rh if rh is not None else lh
        down = perp_down * float(np.dot(hip - origin, perp_down))
    else:
        down = perp_down * t.default_torso * span
    if np.linalg.norm(down) < t.min_torso * span:
        down = perp_down * t.default_torso * span
    body = (analysis.person_mask > 127) & (analysis.parsing != C.ARMS) & (analysis.parsing != C.BACKGROUND)
    arms = []
    for name in ARM_BONES:
        _group, a, b = BONES[name]
        pa, pb = point(k, a), point(k, b)
        if pa is not None and pb is not None:
            arms.append((pa, pb))
    half = _measure_half_width(body, origin, down, span, arms)
    low, high = t.half_width_range
    half = float(np.clip(half if half is not None else t.default_half_width * span, low * span, high * span))
    frame = Frame(origin=origin, down=down, half_width=half)
    bones = {}
    for name, (_group, a, b) in BONES.items():
        pa, pb = point(k, a), point(k, b)
        if pa is not None and pb is not None and np.linalg.norm(pb - pa) > t.min_bone:
            bones[name] = (pa, pb)
    polygon = np.array([rs, ls, ls + down, rs + down], np.float32)
    return Skeleton(frame=frame, bones=bones, torso_polygon=polygon)


GROUPS_KEY = "warp.groups"  # a photo's part groups (:func:`label_groups`), stored with its analysis


def photo_groups(analysis: PhotoAnalysis, skeleton: Skeleton) -> np.ndarray:
    """:func:`label_groups` of a photo on its own skeleton, as stored with its analysis by the
    renderer's ``precompute`` (every card on it or of it needed them again), else computed."""
    stored = analysis.extras.get(GROUPS_KEY)
    if stored is not None and stored.shape == analysis.parsing.shape:
        return stored
    return label_groups(analysis.parsing, skeleton)


def label_groups(parsing: np.ndarray, skeleton: Skeleton) -> np.ndarray:
    """Part group of every person pixel, from its parsing class and the nearest bone.

    The distances to the bones are smooth, so they are computed on a small copy and scaled up
    linearly, and the groups are chosen at full size: chosen on the small copy and scaled up pixel
    by pixel, a sleeve's border across the garment ran in steps of several pixels, and where the
    sleeve and the torso are warped apart the steps showed as a saw-toothed edge."""
    t = TUNING
    height, width = parsing.shape
    scale = min(1.0, t.label_height / height)
    sw, sh = max(1, round(width * scale)), max(1, round(height * scale))
    xs, ys = np.meshgrid((np.arange(sw) + 0.5) / scale - 0.5, (np.arange(sh) + 0.5) / scale - 0.5)

    def full(small: np.ndarray) -> np.ndarray:
        return cv2.resize(small.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)

    dist: dict[Group, np.ndarray] = {
        Group.TORSO: polygon_distance(xs, ys, skeleton.polygon().astype(np.float64))
    }
    for name, (a, b) in skeleton.bones.items():
        group = BONES[name][0]
        d = segment_distance(xs, ys, a, b)
        dist[group] = np.minimum(dist[group], d) if group in dist else d
    # Upper garments and skirts: sleeves are garment close to an arm and away from the torso,
    # where the torso reaches down past the hips and flares (dresses and skirts).
    poly = skeleton.polygon().astype(np.float64)
    span = float(np.linalg.norm(poly[1] - poly[0]))
    down = skeleton.frame.down
    side = skeleton.frame.across / (np.linalg.norm(skeleton.frame.across) + 1e-9)
    long_torso = np.array(
        [
            poly[0],
            poly[1],
            poly[2] + t.skirt_length * down - t.skirt_flare * span * side,
            poly[3] + t.skirt_length * down + t.skirt_flare * span * side,
        ]
    )
    upper = (parsing == C.UPPER_CLOTHES) | (parsing == C.SKIRT)
    arms = [dist[g] for g in ARM_GROUPS if g in dist]
    if arms:
        arm_dist = np.minimum.reduce(arms)
        torso_dist = polygon_distance(xs, ys, long_torso)
        sleeve = full(np.minimum(torso_dist - arm_dist, t.sleeve_reach * span - arm_dist)) > 0
        for bone in UPPER_ARM_BONES:
            if bone in skeleton.bones:
                a, b = skeleton.bones[bone]
                near = full(t.sleeve_core * span - segment_distance(xs, ys, a, b)) > 0
                sleeve |= _sleeve_core(upper, (a, b), near)
    else:
        sleeve = np.zeros((height, width), bool)
    dist = {group: full(d) for group, d in dist.items()}

    def nearest(candidates: tuple[Group, ...], where: np.ndarray) -> np.ndarray:
        present = [g for g in candidates if g in dist]
        if not present:
            return np.full(int(where.sum()), Group.TORSO, np.uint8)
        stack = np.stack([dist[g][where] for g in present])
        return np.array(present, np.uint8)[np.argmin(stack, axis=0)]

    labels = np.zeros((height, width), np.uint8)
    for where, candidates in (
        (upper & sleeve, ARM_GROUPS),
        (parsing == C.PANTS, (Group.TORSO, *LEG_GROUPS)),
        (parsing == C.ARMS, ARM_GROUPS),
        (parsing == C.LEGS, LEG_GROUPS),
    ):
        if where.any():
            labels[where] = nearest(candidates, where)
    head = (parsing == C.FACE) | (parsing == C.HAIR)
    labels[head] = Group.HEAD if "head" in skeleton.bones else Group.TORSO
    return labels


def _sleeve_core(garment: np.ndarray, bone: tuple, near: np.ndarray) -> np.ndarray:
    """Garment ``near`` an upper arm's bone whose mirror image across the bone is garment too: a
    sleeve wrapped round the arm. The bone runs down the arm's middle from the shoulder joint, where
    the torso's outline starts, so by distance alone a sleeve's inner half went with the torso and
    the sleeve was drawn beside the shopper's arm; a sleeveless bodice beside a bare arm mirrors
    onto skin and stays with the torso."""
    a, b = (np.asarray(p, np.float64) for p in bone)
    height, width = garment.shape
    mirror = mirror_affine(a, b - a)
    mirrored = cv2.warpAffine(garment.astype(np.uint8), mirror, (width, height), flags=cv2.INTER_NEAREST) > 0
    return garment & mirrored & near


def grow_into_background(
    mask: np.ndarray, parsing: np.ndarray, image: np.ndarray | None = None
) -> np.ndarray:
    """``mask`` plus a thin rim of background around it (a garment's soft edge is often parsed
    as background, and left behind it would outline the removed garment)."""
    size = max(TUNING.min_kernel, round(parsing.shape[0] / TUNING.rim_rows) * 2 + 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    grown = cv2.dilate(mask.astype(np.uint8), kernel) > 0
    out = mask | (grown & (parsing == C.BACKGROUND))
    if image is not None and mask.sum() > TUNING.leftovers_from:
        out |= _leftovers(mask, parsing, image)
    return out


SKIN_CLASSES = (C.FACE, C.ARMS, C.LEGS)


def garment_rim(image: np.ndarray, parsing: np.ndarray, removed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The skin pixels just outside the ``removed`` garment and their colours with the garment's
    share taken out: ``(mask, (N, 3) float32 RGB)``.

    The pixels along a garment's edge mix its colour with the skin's; the parser gives the more
    skin-like of them to the skin, and with the garment painted over they stayed as a dark or light
    line (the outline of an old strap on her neck). Each is read as a blend of the garment's and
    the skin's local colours, and the garment's part of the blend is replaced by skin."""
    t = TUNING
    radius = max(1, round(parsing.shape[0] / t.rim_rows))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    near = cv2.dilate(removed.astype(np.uint8), kernel) > 0
    skin = np.isin(parsing, SKIN_CLASSES)
    rim = near & ~removed & skin
    empty = np.zeros((0, 3), np.float32)
    if not rim.any():
        return rim, empty
    reach = radius * t.rim_window
    rows, cols = np.flatnonzero(rim.any(axis=1)), np.flatnonzero(rim.any(axis=0))
    y0, y1 = max(0, rows[0] - reach), min(parsing.shape[0], rows[-1] + reach + 1)
    x0, x1 = max(0, cols[0] - reach), min(parsing.shape[1], cols[-1] + reach + 1)
    crop = image[y0:y1, x0:x1].astype(np.float32)
    garment = removed[y0:y1, x0:x1] & np.isin(parsing[y0:y1, x0:x1], GARMENT_CLASSES)
    clean_skin = skin[y0:y1, x0:x1] & ~near[y0:y1, x0:x1]
    window = (2 * reach + 1, 2 * reach + 1)

    def local_mean(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        weight = mask.astype(np.float32)
        total = cv2.boxFilter(crop * weight[..., None], -1, window, normalize=False)
        count = cv2.boxFilter(weight, -1, window, normalize=False)
        return total / np.maximum(count, 1.0)[..., None], count

    garment_colour, garment_count = local_mean(garment)
    skin_colour, skin_count = local_mean(clean_skin)
    inside = rim[y0:y1, x0:x1]
    pixel, g, s = crop[inside], garment_colour[inside], skin_colour[inside]
    towards = g - s
    contrast = np.linalg.norm(towards, axis=1)
    known = (garment_count[inside] > 0) & (skin_count[inside] > 0) & (contrast >= t.rim_contrast)
    share = np.einsum("ni,ni->n", pixel - s, towards) / np.maximum(contrast, 1e-6) ** 2
    share = np.where(known, np.clip(share, 0.0, 1.0), 0.0)
    return rim, np.clip(pixel - share[:, None] * towards, 0.0, 255.0).astype(np.float32)


def _leftovers(mask: np.ndarray, parsing: np.ndarray, image: np.ndarray) -> np.ndarray:
    """Background-labelled pixels near the garment in the garment's own colour (a hem or a sleeve
    edge the parser missed): left in place they would show the old garment beside the new one."""
    t = TUNING
    height, width = mask.shape
    scale = min(1.0, t.leftovers_height / height)
    size = (max(t.min_work_size, round(width * scale)), max(t.min_work_size, round(height * scale)))
    small_mask = cv2.resize(mask.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST)
    small_bg = cv2.resize((parsing == C.BACKGROUND).astype(np.uint8), size, interpolation=cv2.INTER_NEAREST)
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA).astype(np.float32)
    colour = np.median(small[small_mask > 0], axis=0)
    band = max(t.min_kernel, round(t.leftovers_band * size[1]) | 1)
    near = cv2.dilate(small_mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (band, band))) > 0
    similar = np.abs(small - colour).max(axis=2) < t.leftovers_colour
    # a background of the garment's own colour is not a leftover: only take what is rare around
    ring = near & (small_bg > 0)
    if not ring.any() or similar[ring].mean() > t.leftovers_rare:
        return np.zeros(mask.shape, bool)
    left = (near & similar & (small_bg > 0)).astype(np.uint8)
    left = cv2.dilate(left, np.ones((t.leftovers_growth, t.leftovers_growth), np.uint8))
    return (cv2.resize(left, (width, height), interpolation=cv2.INTER_NEAREST) > 0) & (
        parsing == C.BACKGROUND
    )


def skin_tone(analysis: PhotoAnalysis) -> np.ndarray:
    for cls in (C.ARMS, C.FACE, C.LEGS):
        pixels = analysis.image[analysis.parsing == cls]
        if len(pixels) > TUNING.skin_samples:
            return np.median(pixels, axis=0).astype(np.float32)
    return np.array(TUNING.default_skin, np.float32)


def push_pull(image: np.ndarray, known: np.ndarray) -> np.ndarray:
    """``image`` (float32 HxWx3) with its unknown pixels (``known`` 0) filled by a pyramid blend of
    the known ones: smooth, without the streaks of diffusion inpainting over large holes."""
    levels = []
    colour, weight = image * known[..., None], known.astype(np.float32)
    while min(weight.shape) > TUNING.fill_min_size:
        levels.append((colour, weight))
        colour, weight = cv2.pyrDown(colour), cv2.pyrDown(weight)
    estimate = colour / np.maximum(weight, 1e-6)[..., None]
    if not (weight > 1e-6).any():
        estimate[:] = image.reshape(-1, 3).mean(axis=0)
    for colour, weight in reversed(levels):
        up = cv2.pyrUp(estimate, dstsize=(weight.shape[1], weight.shape[0]))
        trust = np.clip(TUNING.fill_trust * weight, 0.0, 1.0)[..., None]
        estimate = colour / np.maximum(weight, 1e-6)[..., None] * trust + up * (1.0 - trust)
    return np.where(known[..., None] > 0.5, image, estimate).astype(np.float32)


def skin_grain(analysis: PhotoAnalysis, shape: tuple[int, int]) -> np.ndarray:
    """A multiplicative texture (around 1) with the fine-grain contrast of the shopper's visible
    skin, so filled skin is not a flat mannequin surface."""
    t = TUNING
    height, width = shape
    skin = np.isin(analysis.parsing, (C.ARMS, C.LEGS, C.FACE))
    skin = cv2.erode(skin.astype(np.uint8), np.ones((t.grain_inset, t.grain_inset), np.uint8)) > 0
    if skin.sum() < t.grain_min_skin:
        return np.ones(shape, np.float32)
    gray = cv2.cvtColor(analysis.image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    detail = gray - cv2.GaussianBlur(gray, (0, 0), t.grain_blur)
    level = float(np.median(gray[skin])) or 1.0
    contrast = float(np.clip(np.std(detail[skin]) / level, *t.grain_contrast))
    rng = np.random.default_rng(height * 7919 + width)
    noise = cv2.GaussianBlur(rng.standard_normal((height, width)).astype(np.float32), (0, 0), t.grain_size)
    noise /= float(noise.std()) or 1.0
    return 1.0 + contrast * noise


@dataclass
class CleanPlate:
    """The shopper without garments: skin on the limbs and torso, background elsewhere."""

    image: np.ndarray  # (H, W, 3) uint8


def clean_plate(
    analysis: PhotoAnalysis,
    skeleton: Skeleton,
    also: np.ndarray | None = None,
    legs_in_trousers: bool = True,
) -> np.ndarray:
    """The shopper's photo with every garment pixel (and the pixels ``also`` says are garment,
    whatever the parser called them) replaced by shaded skin or background; her legs in the colour
    of the trousers she wears (``legs_in_trousers``: they stay under a new top or dress) or, when a
    new bottom replaces them, in her skin."""
    t = TUNING
    image = analysis.image
    height, width = image.shape[:2]
    garment = np.isin(analysis.parsing, GARMENT_CLASSES)
    if also is not None:
        garment |= also
    garments = grow_into_background(garment, analysis.parsing, image)
    if not garments.any():
        return image.copy()
    span = shoulder_span(analysis.keypoints)
    background = filled_background(analysis, garments)
    half = 2 if height > t.half_resolution_above else 1
    shade, cover, leg_cover = _skin_shading(skeleton, span, (height, width), half)
    if half > 1:
        shade = cv2.resize(shade, (width, height), interpolation=cv2.INTER_LINEAR)
        cover = cv2.resize(cover, (width, height), interpolation=cv2.INTER_LINEAR)
    skin = _skin_continued(analysis, garments, half) * shade[..., None]
    skin *= skin_grain(analysis, (height, width))[..., None]
    if legs_in_trousers and wears_trousers(analysis) and leg_cover.any():
        # legs continue in the shopper's visible trousers or leggings, not bare skin
        leg_colour = np.median(analysis.image[analysis.parsing == C.PANTS], axis=0).astype(np.float32)
        if half > 1:
            leg_cover = cv2.resize(leg_cover, (width, height), interpolation=cv2.INTER_NEAREST)
        legs = leg_cover[..., None] > 0
        skin = np.where(legs, leg_colour[None, None, :] * (shade * _limb_mean())[..., None], skin)
    # a strap lies on her skin wherever the body model puts the skin's edge: there her skin goes on
    # as it is beside it (shaded or blended with the background it read as a beige ghost of it)
    strips = thin_strips(garments, analysis.parsing, span)
    if strips.any():
        cover = np.where(strips, 1.0, cover)
        skin[strips] = _skin_beside(analysis, garments, strips)
    # skin only inside her outline: the removed garment's halo grown into the background (and the
    # parser's garment fringe beside an arm) within a painted limb's reach read as skin "ghosts"
    # beside her arms
    cover = cover * (analysis.person_mask > 127)
    plate = skin * cover[..., None] + background * (1 - cover[..., None])
    out = image.copy()
    out[garments] = np.clip(plate[garments], 0, 255).astype(np.uint8)
    return out


def pieces_touching(mask: np.ndarray, region: np.ndarray) -> np.ndarray:
    """The 8-connected pieces of ``mask`` with at least one pixel in ``region``."""
    count, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
    touching = np.zeros(count, bool)
    touching[np.unique(labels[region & mask])] = True
    touching[0] = False
    return touching[labels]


def thin_parts(mask: np.ndarray, span: float) -> np.ndarray:
    """The parts of ``mask`` thinner than ``strip_width`` shoulder spans (what an opening removes)."""
    size = max(3, round(TUNING.strip_width * span) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    as_bytes = mask.astype(np.uint8)
    return (as_bytes > 0) & (cv2.morphologyEx(as_bytes, cv2.MORPH_OPEN, kernel) == 0)


UPPER_SKIN = (C.FACE, C.ARMS)  # her skin above the legs (the parser's legs hold her shoes as well)


def thin_strips(removed: np.ndarray, parsing: np.ndarray, span: float) -> np.ndarray:
    """The pieces of ``removed`` thinner than ``strip_width`` (a strap, a halter's neck band) whose
    rim is mostly the skin of her upper body: thin parts of a wide piece's outline, slivers between
    her arm and another removed garment, and bits between a shoe's laces (the parser's legs) are
    not."""
    t = TUNING
    thin = thin_parts(removed, span)
    if not thin.any():
        return thin
    count, parts = cv2.connectedComponents(thin.astype(np.uint8), connectivity=8)
    # each rim pixel takes the id of a piece next to it (a max filter of the ids)
    beside = cv2.dilate(parts.astype(np.float32), np.ones((3, 3), np.uint8)).astype(np.int32)
    rim = (beside > 0) & ~removed
    skin = np.isin(parsing, UPPER_SKIN)
    total = np.bincount(beside[rim], minlength=count)
    on_skin = np.bincount(beside[rim & skin], minlength=count)
    keep = on_skin >= t.strip_skin_share * np.maximum(total, 1)
    keep[0] = False
    return keep[parts]


def wears_trousers(analysis: PhotoAnalysis) -> bool:
    """Whether she shows trousers or leggings (more of them than of bare legs): the clean plate
    continues her legs in them."""
    pants = int((analysis.parsing == C.PANTS).sum())
    return pants > max(TUNING.trouser_legs_from, int((analysis.parsing == C.LEGS).sum()))


def _skin_continued(analysis: PhotoAnalysis, garments: np.ndarray, half: int) -> np.ndarray:
    """The colour of her visible skin continued smoothly over the ``garments`` (float32 HxWx3),
    within ``skin_range`` of her skin tone, worked out at 1/``half`` resolution. Painted in one flat
    tone, skin met her own neck, chest and arms at a seam (reviewers' "skin patch at the neck")."""
    t = TUNING
    image = analysis.image
    height, width = image.shape[:2]
    tone = skin_tone(analysis)
    size = (-(-width // half), -(-height // half))
    skin = np.isin(analysis.parsing, SKIN_CLASSES) & ~garments
    known = cv2.resize(skin.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST)
    known = cv2.erode(known, np.ones((2 * t.skin_inset + 1, 2 * t.skin_inset + 1), np.uint8))
    if not known.any():
        return np.broadcast_to(tone, (height, width, 3)).astype(np.float32)
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA).astype(np.float32)
    colour = np.clip(push_pull(small, known.astype(np.float32)), tone - t.skin_range, tone + t.skin_range)
    if half > 1:
        colour = cv2.resize(colour, (width, height), interpolation=cv2.INTER_LINEAR)
    return colour


def _skin_beside(analysis: PhotoAnalysis, garments: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Her skin beside the ``where`` pixels continued over them as it is, at full resolution in
    their box: (N, 3) float32 in ``where``'s order. Her skin tone's range is not applied (a strap
    on her shaded shoulder lies beside skin darker than her face's)."""
    ys, xs = np.nonzero(where)
    pad = TUNING.skin_inset * 4 + 1
    height, width = where.shape
    box = (
        slice(max(0, ys.min() - pad), min(height, ys.max() + pad + 1)),
        slice(max(0, xs.min() - pad), min(width, xs.max() + pad + 1)),
    )
    known = np.isin(analysis.parsing[box], UPPER_SKIN) & ~garments[box]
    inset = 2 * TUNING.skin_inset + 1
    known = cv2.erode(known.astype(np.uint8), np.ones((inset, inset), np.uint8)).astype(np.float32)
    filled = push_pull(analysis.image[box].astype(np.float32), known)
    return filled[where[box]]


def _limb_mean() -> float:
    """A painted limb's shade averaged across it (the mean depth of a cylinder is pi / 4)."""
    return TUNING.limb_rim_shade + TUNING.limb_depth_shade * np.pi / 4


def filled_background(analysis: PhotoAnalysis, garments: np.ndarray) -> np.ndarray:
    """The background behind the person and the ``garments`` (and a rim around them), filled on a
    small copy, at full resolution: a patterned backdrop with its own pieces, shifted in on the small
    copy and moved by the same shifts at full size (``backdrop.sharp_fill``), a smooth one smoothly."""
    t = TUNING
    image = analysis.image
    height, width = image.shape[:2]
    scale = min(1.0, t.plate_height / height)
    sw, sh = max(t.min_work_size, round(width * scale)), max(t.min_work_size, round(height * scale))
    small = cv2.resize(image, (sw, sh), interpolation=cv2.INTER_AREA)
    person_small = cv2.resize(
        (analysis.person_mask > 127).astype(np.uint8), (sw, sh), interpolation=cv2.INTER_NEAREST
    )
    garments_small = cv2.resize(garments.astype(np.uint8), (sw, sh), interpolation=cv2.INTER_NEAREST)
    grow = np.ones((t.hole_growth, t.hole_growth), np.uint8)
    hole = cv2.dilate(person_small | garments_small, grow)
    if _textured(small, hole):
        filled = _patched(small, hole).astype(np.uint8)
        around = max(1, round(t.hole_growth * height / sh))
        person = (analysis.person_mask > 127) | garments
        full_hole = cv2.dilate(person.astype(np.uint8), np.ones((around, around), np.uint8)) > 0
        return sharp_fill(image, small, filled, hole > 0, full_hole)
    filled = push_pull(small.astype(np.float32), 1.0 - hole.astype(np.float32))
    backdrop = cv2.resize(
        (analysis.parsing == C.BACKGROUND).astype(np.uint8), (sw, sh), interpolation=cv2.INTER_NEAREST
    )
    filled = _without_seam(filled, small.astype(np.float32), garments_small, backdrop)
    return cv2.resize(filled, (width, height), interpolation=cv2.INTER_LINEAR)


def _textured(small: np.ndarray, hole: np.ndarray) -> bool:
    """Whether the backdrop round the ``hole`` has a pattern (a room, a floor's tiles, a door) rather
    than a studio's smooth sweep: a smooth fill of a pattern reads as a blurred ghost of the person."""
    t = TUNING
    size = 2 * t.backdrop_band + 1
    band = (cv2.dilate(hole, np.ones((size, size), np.uint8)) > 0) & (hole == 0)
    if not band.any():
        return False
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY).astype(np.float32)
    # a Sobel kernel weighs a step of one level 8
    gradient = np.hypot(cv2.Sobel(gray, cv2.CV_32F, 1, 0), cv2.Sobel(gray, cv2.CV_32F, 0, 1)) / 8
    return float(gradient[band].mean()) >= t.textured_backdrop


def _patched(small: np.ndarray, hole: np.ndarray) -> np.ndarray:
    """The ``hole`` filled with pieces of the backdrop shifted in (OpenCV's shift-map inpainting)."""
    bgr = cv2.cvtColor(small, cv2.COLOR_RGB2BGR)
    out = np.zeros_like(bgr)
    cv2.xphoto.inpaint(bgr, (hole == 0).astype(np.uint8), out, cv2.xphoto.INPAINT_SHIFTMAP)
    return cv2.cvtColor(out, cv2.COLOR_BGR2RGB).astype(np.float32)


def _without_seam(
    filled: np.ndarray, image: np.ndarray, garments: np.ndarray, backdrop: np.ndarray
) -> np.ndarray:
    """``filled`` shifted to meet the backdrop just outside the ``garments`` (small copies).

    The fill is read from the backdrop a little away from the person (her shadow and the garment's
    fringe stay out of it), so it is often lighter or darker than the backdrop right beside the
    garment, and the removed garment's outline stayed as a "ghost" of it. The difference along that
    ring is spread over the hole (a pyramid fill of it, as a seamless clone does)."""
    t = TUNING
    size = 2 * t.seam_ring + 1
    ring = (cv2.dilate(garments, np.ones((size, size), np.uint8)) > 0) & (garments == 0) & (backdrop > 0)
    return matched_on_ring(filled, image, ring, t.seam_outlier)


def matched_on_ring(filled: np.ndarray, image: np.ndarray, ring: np.ndarray, outlier: float) -> np.ndarray:
    """``filled`` (float32 HxWx3) shifted by ``image`` - ``filled`` as it is along the ``ring`` (its
    pixels off by less than ``outlier`` levels), that difference spread over the rest by a pyramid
    fill, as a seamless clone does."""
    offset = image - filled
    ring = ring & (np.abs(offset).max(axis=2) < outlier)
    if not ring.any():
        return filled
    return filled + push_pull(offset * ring[..., None], ring.astype(np.float32))


def _skin_shading(
    skeleton: Skeleton, span: float, shape: tuple[int, int], half: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Painted skin at 1/``half`` resolution: (shade, cover, the legs' share of the cover) of
    cylinders along the limbs and a flat-shaded slim torso and neck."""
    t = TUNING
    height, width = shape
    hw, hh = -(-width // half), -(-height // half)
    xs, ys = np.meshgrid((np.arange(hw) + 0.5) * half - 0.5, (np.arange(hh) + 0.5) * half - 0.5)
    shade = np.zeros((hh, hw), np.float32)
    cover = np.zeros((hh, hw), np.float32)
    edge = max(1.0, t.skin_edge * span)
    leg_cover = np.zeros((hh, hw), np.float32)
    # cylinders along the limbs, then over the tops of her shoulders, sloping from her neck down to
    # each shoulder joint (above the torso's top edge: without them a removed top's shoulders were
    # painted as background)
    capsules = []
    for name, (a, b) in skeleton.bones.items():
        limb_radius = t.limb_radius(name)
        if limb_radius is not None:
            capsules.append((a, b, limb_radius * span, "thigh" in name or "shin" in name))
    up = -skeleton.frame.down / (np.linalg.norm(skeleton.frame.down) + 1e-9)
    neck_middle = skeleton.frame.origin + t.shoulder_slope_up * span * up
    for joint in skeleton.polygon().astype(np.float64)[:2]:
        capsules.append((neck_middle, joint, t.shoulder_radius * span, False))
    for a, b, radius, leg in capsules:
        d = segment_distance(xs, ys, a, b)
        alpha = np.clip((radius - d) / edge, 0, 1).astype(np.float32)
        depth = np.sqrt(np.clip(1 - (d / radius) ** 2, 0, 1))
        cyl = ((t.limb_rim_shade + t.limb_depth_shade * depth) / _limb_mean()).astype(np.float32)
        take = alpha > cover
        shade = np.where(take, cyl, shade)
        if leg:
            leg_cover = np.where(take, alpha, leg_cover)
        cover = np.maximum(cover, alpha)
    # skin on the torso only within a slim body (the old garment's width is not the body's)
    slim_half = min(skeleton.frame.half_width, t.slim_torso * span)
    slim = Frame(skeleton.frame.origin, skeleton.frame.down, slim_half)
    torso_d = polygon_distance(xs, ys, slim.polygon().astype(np.float64))
    torso_alpha = np.clip((t.torso_skin_margin * span - torso_d) / edge, 0, 1).astype(np.float32)
    if "head" in skeleton.bones:
        # the neck, between the shoulders and up towards the chin
        neck, nose = skeleton.bones["head"]
        base = skeleton.frame.origin
        top = neck + t.neck_reach * (nose - neck)
        neck_d = segment_distance(xs, ys, base, top)
        neck_alpha = np.clip((t.neck_radius * span - neck_d) / edge, 0, 1).astype(np.float32)
        torso_alpha = np.maximum(torso_alpha, neck_alpha)
    shade = np.where(torso_alpha > cover, t.torso_shade, shade)
    leg_cover = np.where(torso_alpha > cover, 0.0, leg_cover)
    cover = np.maximum(cover, torso_alpha)
    return shade, cover, leg_cover


def painted_upper_body(skeleton: Skeleton, span: float, shape: tuple[int, int]) -> np.ndarray:
    """Where the clean plate paints skin above the legs (torso, neck, shoulders, arms), full size,
    worked out on a small copy (its outline scaled up smoothly)."""
    step = max(1, round(shape[0] / TUNING.upper_body_height))
    _shade, cover, leg_cover = _skin_shading(skeleton, span, shape, step)
    upper = np.where(leg_cover > 0, 0.0, cover).astype(np.float32)
    if step > 1:
        upper = cv2.resize(upper, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
    return upper > 0.5


def painted_legs(skeleton: Skeleton, span: float, shape: tuple[int, int]) -> np.ndarray:
    """Where the clean plate paints her legs (full size, worked out on a small copy as
    :func:`painted_upper_body`)."""
    step = max(1, round(shape[0] / TUNING.upper_body_height))
    _shade, _cover, leg_cover = _skin_shading(skeleton, span, shape, step)
    if step > 1:
        leg_cover = cv2.resize(leg_cover, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
    return leg_cover > 0.5


def attachment_region(analysis: PhotoAnalysis, skeleton: Skeleton) -> np.ndarray:
    """Where a warped garment may lie on the shopper (float 0..1 at full resolution): the person,
    the bones with room for loose sleeves, the torso, and a flare below the hips widening towards
    the hem (skirts, dresses, and long tunics parsed as tops); everything grown by a small margin."""
    t = TUNING
    height, width = analysis.parsing.shape
    scale = min(1.0, t.attach_height / height)
    sw, sh = max(t.min_work_size, round(width * scale)), max(t.min_work_size, round(height * scale))
    span = shoulder_span(analysis.keypoints) * scale
    region = cv2.resize((analysis.person_mask > 127).astype(np.uint8), (sw, sh), interpolation=cv2.INTER_AREA)
    poly = skeleton.polygon().astype(np.float64) * scale
    cv2.fillConvexPoly(region, np.round(poly).astype(np.int32), 1)
    thickness = max(1, round(2 * t.limb_allowance * span))
    for a, b in skeleton.bones.values():
        pa, pb = np.round(a * scale).astype(int), np.round(b * scale).astype(int)
        cv2.line(region, (int(pa[0]), int(pa[1])), (int(pb[0]), int(pb[1])), 1, thickness)
    down = skeleton.frame.down * scale
    side = skeleton.frame.across / (np.linalg.norm(skeleton.frame.across) + 1e-9)
    hip_l, hip_r = poly[2], poly[3]
    length = t.flare_length * down
    flare_out = t.flare_width * span * side
    flare = np.array([hip_r, hip_l, hip_l + length - flare_out, hip_r + length + flare_out])
    cv2.fillConvexPoly(region, np.round(flare).astype(np.int32), 1)
    size = max(t.min_kernel, round(2 * t.attach_margin * span) | 1)
    region = cv2.dilate(region, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
    soft = cv2.GaussianBlur(region.astype(np.float32), (0, 0), max(0.5, t.attach_softness * span))
    return cv2.resize(soft, (width, height), interpolation=cv2.INTER_LINEAR)


def main_components(alpha_small: np.ndarray) -> np.ndarray:
    """Mask of the connected garment pieces at least ``keep_piece`` of the largest one (specks and
    fragments cut off from the body are dropped)."""
    t = TUNING
    solid = (alpha_small > t.solid_alpha).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=8)
    if count <= 2:
        return np.ones(alpha_small.shape, bool)
    areas = stats[1:, cv2.CC_STAT_AREA]
    good = np.flatnonzero(areas >= t.keep_piece * areas.max()) + 1
    dropped = (solid > 0) & ~np.isin(labels, good)
    # the soft edge around a dropped piece goes with it
    grow = np.ones((t.dropped_edge, t.dropped_edge), np.uint8)
    return cv2.dilate(dropped.astype(np.uint8), grow) == 0
