"""Bodies and garments as warp sources and targets: skeletons, part labels, clean plates."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ml.errors import CannotRender
from ml.render.warp.geometry import BONES, Frame, Group, Skeleton, point, polygon_distance, segment_distance
from ml.types import GarmentKind, PhotoAnalysis
from ml.types import ParsingClass as C

GARMENT_CLASSES = (C.UPPER_CLOTHES, C.PANTS, C.SKIRT)

# Parsing classes that make up each garment kind in an on-model photo.
KIND_CLASSES: dict[GarmentKind, tuple[C, ...]] = {
    GarmentKind.TOP: (C.UPPER_CLOTHES,),
    GarmentKind.OUTERWEAR: (C.UPPER_CLOTHES,),
    GarmentKind.BOTTOM: (C.PANTS, C.SKIRT),
    GarmentKind.DRESS: (C.UPPER_CLOTHES, C.SKIRT),
    GarmentKind.FULL_OUTFIT: (C.UPPER_CLOTHES, C.PANTS, C.SKIRT),
}
# The shopper's own garment classes that a new garment of each kind replaces.
REPLACES: dict[GarmentKind, tuple[C, ...]] = {
    GarmentKind.TOP: (C.UPPER_CLOTHES,),
    GarmentKind.OUTERWEAR: (),
    GarmentKind.BOTTOM: (C.PANTS, C.SKIRT),
    GarmentKind.DRESS: (C.UPPER_CLOTHES, C.PANTS, C.SKIRT),
    GarmentKind.FULL_OUTFIT: (C.UPPER_CLOTHES, C.PANTS, C.SKIRT),
}
# Layer order of garments in an outfit (lower first).
KIND_ORDER = {
    GarmentKind.BOTTOM: 0,
    GarmentKind.DRESS: 1,
    GarmentKind.FULL_OUTFIT: 1,
    GarmentKind.TOP: 2,
    GarmentKind.OUTERWEAR: 3,
}

ARM_GROUPS = (Group.RIGHT_ARM, Group.LEFT_ARM)
LEG_GROUPS = (Group.RIGHT_LEG, Group.LEFT_LEG)


def shoulder_span(keypoints: np.ndarray) -> float:
    rs, ls = point(keypoints, "right_shoulder"), point(keypoints, "left_shoulder")
    if rs is None or ls is None:
        raise CannotRender("The shoulders must be visible in both photos to put a garment on.")
    return max(float(np.linalg.norm(ls - rs)), 4.0)


def _measure_half_width(body: np.ndarray, origin: np.ndarray, down: np.ndarray, span: float) -> float | None:
    """Median half-width of ``body`` across the torso axis at chest and waist levels."""
    height, width = body.shape
    unit = down / (np.linalg.norm(down) + 1e-9)
    across = np.array([-unit[1], unit[0]])
    ts = np.linspace(0, 1.3 * span, 90)
    found = []
    for level in (0.25, 0.35, 0.45, 0.55):
        centre = origin + level * down
        for sign in (-1.0, 1.0):
            pts = centre[None, :] + sign * ts[:, None] * across[None, :]
            xi = np.clip(pts[:, 0].round().astype(int), 0, width - 1)
            yi = np.clip(pts[:, 1].round().astype(int), 0, height - 1)
            inside = body[yi, xi] & (pts[:, 0] >= 0) & (pts[:, 0] < width) & (pts[:, 1] < height)
            if not inside[0]:
                continue
            off = np.flatnonzero(~inside)
            found.append(ts[off[0]] if off.size else ts[-1])
    if len(found) < 2:
        return None
    return float(np.median(found))


def body_skeleton(analysis: PhotoAnalysis) -> Skeleton:
    """Torso frame (widths measured on the person mask) and limb bones of an analysed photo."""
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
        down = perp_down * 1.45 * span
    if np.linalg.norm(down) < 0.5 * span:
        down = perp_down * 1.45 * span
    body = (analysis.person_mask > 127) & (analysis.parsing != C.ARMS) & (analysis.parsing != C.BACKGROUND)
    half = _measure_half_width(body, origin, down, span)
    half = float(np.clip(half if half is not None else 0.62 * span, 0.4 * span, 1.1 * span))
    frame = Frame(origin=origin, down=down, half_width=half)
    bones = {}
    for name, (_group, a, b) in BONES.items():
        pa, pb = point(k, a), point(k, b)
        if pa is not None and pb is not None and np.linalg.norm(pb - pa) > 1:
            bones[name] = (pa, pb)
    polygon = np.array([rs, ls, ls + down, rs + down], np.float32)
    return Skeleton(frame=frame, bones=bones, torso_polygon=polygon)


def label_groups(parsing: np.ndarray, skeleton: Skeleton, work_height: int = 160) -> np.ndarray:
    """Part group of every person pixel, from its parsing class and the nearest bone."""
    height, width = parsing.shape
    scale = min(1.0, work_height / height)
    sw, sh = max(1, round(width * scale)), max(1, round(height * scale))
    small = cv2.resize(parsing, (sw, sh), interpolation=cv2.INTER_NEAREST)
    xs, ys = np.meshgrid((np.arange(sw) + 0.5) / scale - 0.5, (np.arange(sh) + 0.5) / scale - 0.5)
    dist: dict[Group, np.ndarray] = {
        Group.TORSO: polygon_distance(xs, ys, skeleton.polygon().astype(np.float64))
    }
    for name, (a, b) in skeleton.bones.items():
        group = BONES[name][0]
        d = segment_distance(xs, ys, a, b)
        dist[group] = np.minimum(dist[group], d) if group in dist else d
    inf = np.full((sh, sw), np.inf)

    def nearest(candidates: tuple[Group, ...]) -> np.ndarray:
        stack = np.stack([dist.get(g, inf) for g in candidates])
        best = np.array(candidates, np.uint8)[np.argmin(stack, axis=0)]
        return np.where(np.isinf(stack.min(axis=0)), Group.TORSO, best).astype(np.uint8)

    labels = np.zeros((sh, sw), np.uint8)
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
            poly[2] + 1.6 * down - 0.45 * span * side,
            poly[3] + 1.6 * down + 0.45 * span * side,
        ]
    )
    arm_dist = np.minimum(dist.get(Group.RIGHT_ARM, inf), dist.get(Group.LEFT_ARM, inf))
    torso_dist = polygon_distance(xs, ys, long_torso)
    sleeve = (arm_dist < torso_dist) & (arm_dist < 0.3 * span)
    upper = (small == C.UPPER_CLOTHES) | (small == C.SKIRT)
    labels[upper & sleeve] = nearest(ARM_GROUPS)[upper & sleeve]
    pants = small == C.PANTS
    labels[pants] = nearest((Group.TORSO, *LEG_GROUPS))[pants]
    arms = small == C.ARMS
    labels[arms] = nearest(ARM_GROUPS)[arms]
    legs = small == C.LEGS
    labels[legs] = nearest(LEG_GROUPS)[legs]
    head = (small == C.FACE) | (small == C.HAIR)
    labels[head] = Group.HEAD if "head" in skeleton.bones else Group.TORSO
    return cv2.resize(labels, (width, height), interpolation=cv2.INTER_NEAREST)


def grow_into_background(mask: np.ndarray, parsing: np.ndarray) -> np.ndarray:
    """``mask`` plus a thin rim of background around it (a garment's soft edge is often parsed
    as background, and left behind it would outline the removed garment)."""
    size = max(3, round(parsing.shape[0] / 150) * 2 + 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    grown = cv2.dilate(mask.astype(np.uint8), kernel) > 0
    return mask | (grown & (parsing == C.BACKGROUND))


def skin_tone(analysis: PhotoAnalysis) -> np.ndarray:
    for cls in (C.ARMS, C.FACE, C.LEGS):
        pixels = analysis.image[analysis.parsing == cls]
        if len(pixels) > 50:
            return np.median(pixels, axis=0).astype(np.float32)
    return np.array([205.0, 160.0, 135.0], np.float32)


LIMB_RADIUS = {  # in shoulder spans
    "right_upper_arm": 0.16,
    "right_forearm": 0.12,
    "left_upper_arm": 0.16,
    "left_forearm": 0.12,
    "right_thigh": 0.24,
    "right_shin": 0.15,
    "left_thigh": 0.24,
    "left_shin": 0.15,
}


@dataclass
class CleanPlate:
    """The shopper without garments: skin on the limbs and torso, background elsewhere."""

    image: np.ndarray  # (H, W, 3) uint8


def clean_plate(analysis: PhotoAnalysis, skeleton: Skeleton, work_height: int = 192) -> np.ndarray:
    """The shopper's photo with every garment pixel replaced by shaded skin or background."""
    image = analysis.image
    height, width = image.shape[:2]
    garments = grow_into_background(np.isin(analysis.parsing, GARMENT_CLASSES), analysis.parsing)
    if not garments.any():
        return image.copy()
    span = shoulder_span(analysis.keypoints)
    # Background: inpaint the garment (and a rim around it) on a small copy.
    scale = min(1.0, work_height / height)
    sw, sh = max(8, round(width * scale)), max(8, round(height * scale))
    small = cv2.resize(image, (sw, sh), interpolation=cv2.INTER_AREA)
    person_small = cv2.resize(
        (analysis.person_mask > 127).astype(np.uint8), (sw, sh), interpolation=cv2.INTER_NEAREST
    )
    hole = cv2.dilate(person_small, np.ones((5, 5), np.uint8))
    filled = cv2.inpaint(small, hole, 5, cv2.INPAINT_TELEA)
    background = cv2.resize(filled, (width, height), interpolation=cv2.INTER_LINEAR).astype(np.float32)

    # Skin: cylinders along the limbs, a flat-shaded torso, computed at half resolution.
    half = 2 if height > 400 else 1
    hw, hh = -(-width // half), -(-height // half)
    xs, ys = np.meshgrid((np.arange(hw) + 0.5) * half - 0.5, (np.arange(hh) + 0.5) * half - 0.5)
    shade = np.zeros((hh, hw), np.float32)
    cover = np.zeros((hh, hw), np.float32)
    edge = max(1.0, 0.02 * span)
    leg_cover = np.zeros((hh, hw), np.float32)
    for name, (a, b) in skeleton.bones.items():
        if name not in LIMB_RADIUS:
            continue
        radius = LIMB_RADIUS[name] * span
        d = segment_distance(xs, ys, a, b)
        alpha = np.clip((radius - d) / edge, 0, 1).astype(np.float32)
        cyl = (0.72 + 0.28 * np.sqrt(np.clip(1 - (d / radius) ** 2, 0, 1))).astype(np.float32)
        take = alpha > cover
        shade = np.where(take, cyl, shade)
        if "thigh" in name or "shin" in name:
            leg_cover = np.where(take, alpha, leg_cover)
        cover = np.maximum(cover, alpha)
    torso_d = polygon_distance(xs, ys, skeleton.polygon().astype(np.float64))
    torso_alpha = np.clip((0.18 * span - torso_d) / edge, 0, 1).astype(np.float32)
    shade = np.where(torso_alpha > cover, 0.9, shade)
    leg_cover = np.where(torso_alpha > cover, 0.0, leg_cover)
    cover = np.maximum(cover, torso_alpha)
    if half > 1:
        shade = cv2.resize(shade, (width, height), interpolation=cv2.INTER_LINEAR)
        cover = cv2.resize(cover, (width, height), interpolation=cv2.INTER_LINEAR)
    tone = skin_tone(analysis)
    skin = tone[None, None, :] * shade[..., None]
    pants = analysis.image[analysis.parsing == C.PANTS]
    if len(pants) > 200 and leg_cover.any():
        # legs continue in the shopper's visible trousers or leggings, not bare skin
        leg_colour = np.median(pants, axis=0).astype(np.float32)
        if half > 1:
            leg_cover = cv2.resize(leg_cover, (width, height), interpolation=cv2.INTER_NEAREST)
        legs = leg_cover[..., None] > 0
        skin = np.where(legs, leg_colour[None, None, :] * shade[..., None], skin)
    plate = skin * cover[..., None] + background * (1 - cover[..., None])
    out = image.copy()
    out[garments] = np.clip(plate[garments], 0, 255).astype(np.uint8)
    return out
