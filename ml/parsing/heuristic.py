"""A parser without learned weights: person mask + pose geometry + per-image colour models.

For one photo it
1. takes the person mask from the pose model and keeps the parts attached to the body;
2. learns colour models in CIE Lab: skin from the face (a generic skin prior when the face is
   hidden), hair from above the eyes, the top garment from the torso core and, when it differs,
   a bottom garment from the thighs and shins;
3. assigns every person pixel to skin, hair or a garment by the nearest model, with the pose
   deciding where each may be (hair near the head, skin split into face / arms / legs by the
   nearest limb, shoes near the ankles);
4. finds the waistline as the strongest colour/texture change along the torso's axis and, when
   there is one, learns the top and the bottom garment from either side of it (a bottom the
   colour of the top is found by the gap between the legs; without a waistline a bottom that
   differs from the top on the thighs and shins, e.g. trousers under a kurta);
5. tells a skirt from trousers by the gap between the legs, makes shoes and boots below bare legs
   or trouser hems legs, gives skin-like bits of a print to their garment, and smooths the labels.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

from ml.intake import require_rgb_image
from ml.pose import PoseResult, blaze_to_coco, require_pose_for
from ml.types import KP
from ml.types import ParsingClass as C

WORK_HEIGHT = 320
MASK_LEVEL = 128
# Lower bounds of the colour spreads (OpenCV 8-bit Lab: L 0..255, a and b offset by 128).
SKIN_FLOOR = (35.0, 5.0, 6.0)
GARMENT_FLOOR = (24.0, 5.0, 5.0)
HAIR_FLOOR = (20.0, 4.0, 4.0)
# Landmarks below this BlazePose visibility still guide the parser (under clothes, for example).
GEOMETRY_VISIBILITY = 0.05
_DEBUG = False
KMEANS_SEED = 11
# The waistline: searched from this share of the way shoulders -> hips to this many shoulder
# widths below the hips, comparing windows of garment rows this tall in a band this wide.
WAIST_SEARCH_FROM = 0.55
WAIST_SEARCH_BELOW = 0.6
WAIST_WINDOW = 0.22
BAND_HALF_WIDTH = 0.3
# Colour change (OpenCV Lab, per-channel scale) plus texture change (lightness spread) that
# counts as a different bottom garment.
WAIST_SCALE = (14.0, 6.0, 6.0)
WAIST_TEXTURE_SCALE = 10.0
WAIST_TEXTURE_WEIGHT = 0.25
WAIST_MIN_CHANGE = 2.0
WAIST_MIN_CHANGE_ONE_PIECE = 3.5
WAIST_MARGIN = 0.06
BOTTOM_BIAS = 1.5
# A bottom garment starting this far below bare legs is boots or socks.
BOOT_GAP = 0.08
# Skin-class patches smaller than this share of the shoulder width squared, with at least this
# share of their rim in a garment, are part of that garment.
SPECK_AREA = 0.05
SPECK_SURROUNDED = 0.8
# Leg pixels with the same garment within this many shoulder widths above and below are that garment.
HEM_REACH = 0.25
HEM_ENCLOSED = 0.8  # share of a patch of legs so enclosed that makes all of it the garment
# A thigh cut by the frame is taken this many shoulder widths long.
THIGH_LENGTH = 1.2
# Same-colour trousers start this many shoulder widths below the hip joints' line.
SAME_COLOUR_WAIST = -0.1
# A bottom garment differs from the top by this many spreads on most of its pixels.
BOTTOM_FAR = 2.2


@dataclass
class _Model:
    """Colour clusters in Lab with a per-model spread."""

    centres: np.ndarray  # (k, 3)
    spread: np.ndarray  # (3,)

    def distance(self, lab: np.ndarray) -> np.ndarray:
        diff = (lab[:, None, :] - self.centres[None, :, :]) / self.spread
        return np.sqrt((diff**2).sum(axis=2)).min(axis=1)


def _kp(keypoints: np.ndarray, name: str) -> np.ndarray | None:
    point = keypoints[KP[name]]
    return None if point[0] < 0 else point


def _segment_distance(xx: np.ndarray, yy: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    denom = float(ab @ ab) or 1e-6
    t = np.clip(((xx - a[0]) * ab[0] + (yy - a[1]) * ab[1]) / denom, 0.0, 1.0)
    return np.hypot(xx - (a[0] + t * ab[0]), yy - (a[1] + t * ab[1]))


def _chain_distance(xx, yy, points: list[np.ndarray | None]) -> np.ndarray:
    out = np.full(xx.shape, np.inf, dtype=np.float32)
    for a, b in itertools.pairwise(points):
        if a is not None and b is not None:
            out = np.minimum(out, _segment_distance(xx, yy, a, b))
    return out


def _fit(samples: np.ndarray, k: int, floor: tuple[float, float, float]) -> _Model | None:
    if len(samples) < 12:
        return None
    samples = samples.astype(np.float32)
    k = max(1, min(k, len(samples) // 20))
    if k > 1:
        criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 10, 1.0)
        cv2.setRNGSeed(KMEANS_SEED)  # the same photo always gets the same labels
        _, labels, centres = cv2.kmeans(samples, k, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
        labels = labels.ravel()
        keep = [i for i in range(k) if (labels == i).mean() >= 0.08]
        residual = samples - centres[labels]
        centres = centres[keep]
    else:
        centres = np.median(samples, axis=0, keepdims=True)
        residual = samples - centres
    spread = np.maximum(1.4826 * np.median(np.abs(residual), axis=0), np.array(floor, np.float32))
    return _Model(centres=centres.astype(np.float32), spread=spread.astype(np.float32))


# Generic skin in OpenCV's 8-bit Lab (L 0..255, a/b offset by 128) when no face is visible.
_SKIN_PRIOR = _Model(
    centres=np.array([[170.0, 145.0, 150.0], [120.0, 148.0, 152.0]], np.float32),
    spread=np.array([45.0, 6.0, 8.0], np.float32),
)


class HeuristicParser:
    """The default parser: no weights, pose-guided colour models per image."""

    name = "heuristic"
    version = "heuristic-2"

    def predict(self, image: np.ndarray, pose: PoseResult) -> np.ndarray:
        require_rgb_image(image, "Parsing")
        pose = require_pose_for(pose, image)
        height, width = image.shape[:2]
        scale = min(1.0, WORK_HEIGHT / height)
        if scale < 1.0:
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
            mask = cv2.resize(pose.person_mask, size, interpolation=cv2.INTER_LINEAR)
        else:
            small, mask = image, pose.person_mask
        if pose.found:
            geometry, _ = blaze_to_coco(pose.blaze_landmarks, width, height, GEOMETRY_VISIBILITY)
        else:
            geometry = pose.keypoints
        keypoints = np.where(geometry >= 0, geometry * scale, -1.0).astype(np.float32)
        visible = pose.keypoints[:, 0] >= 0
        labels = parse_small(small, mask, keypoints, visible)
        if labels.shape != (height, width):
            labels = cv2.resize(labels, (width, height), interpolation=cv2.INTER_NEAREST)
            # Re-cut the labels along the full-resolution person mask.
            labels[pose.person_mask < MASK_LEVEL] = C.BACKGROUND
        return labels


def _person(mask: np.ndarray, keypoints: np.ndarray) -> np.ndarray:
    binary = (mask >= MASK_LEVEL).astype(np.uint8)
    count, components, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if count <= 2:
        return binary.astype(bool)
    visible = keypoints[keypoints[:, 0] >= 0].astype(int)
    keep = np.zeros(count, dtype=bool)
    for x, y in visible:
        keep[components[min(y, binary.shape[0] - 1), min(x, binary.shape[1] - 1)]] = True
    keep[0] = False
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    keep[biggest] = True
    return keep[components]


def parse_small(
    image: np.ndarray, mask: np.ndarray, keypoints: np.ndarray, visible: np.ndarray | None = None
) -> np.ndarray:
    """Parse a work-sized image; returns (H, W) uint8 ParsingClass labels.

    ``keypoints`` guide the geometry (they may be hidden under clothes); skin is only expected
    near the limbs whose joints are ``visible``."""
    height, width = image.shape[:2]
    person = _person(mask, keypoints)
    labels = np.zeros((height, width), dtype=np.uint8)
    if not person.any():
        return labels
    lab_image = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)

    k = {name: _kp(keypoints, name) for name in KP}
    rs, ls = k["right_shoulder"], k["left_shoulder"]
    rh, lh = k["right_hip"], k["left_hip"]
    shoulders = [p for p in (rs, ls) if p is not None]
    hips = [p for p in (rh, lh) if p is not None]
    face_points = [k[n] for n in ("nose", "right_eye", "left_eye") if k[n] is not None]
    head_points = face_points + [k[n] for n in ("right_ear", "left_ear") if k[n] is not None]

    # Body scale: shoulder width, else a fraction of the person's height.
    rows = np.flatnonzero(person.any(axis=1))
    person_h = float(rows[-1] - rows[0] + 1)
    if rs is not None and ls is not None:
        body = max(float(np.hypot(*(rs - ls))), 0.12 * person_h)
    else:
        body = 0.2 * person_h
    shoulder_y = float(np.mean([p[1] for p in shoulders])) if shoulders else None
    hip_y = float(np.mean([p[1] for p in hips])) if hips else None
    if shoulder_y is not None and hip_y is None:
        hip_y = shoulder_y + 1.6 * body
    neck = k["neck"] if k["neck"] is not None else (shoulders[0] if shoulders else None)

    # ---- distances to body parts ----
    # A knee out of the frame: the thigh still runs down from the hip to the frame's edge.
    limbs = dict(k)
    for side in ("right", "left"):
        if limbs[f"{side}_knee"] is None and limbs[f"{side}_hip"] is not None:
            limbs[f"{side}_knee"] = limbs[f"{side}_hip"] + np.array([0.0, THIGH_LENGTH * body], np.float32)
    arm_d = np.minimum(_limb_distance(xx, yy, k, "right", "arm"), _limb_distance(xx, yy, k, "left", "arm"))
    leg_d = np.minimum(
        _limb_distance(xx, yy, limbs, "right", "leg"), _limb_distance(xx, yy, limbs, "left", "leg")
    )
    if head_points:
        head_centre = np.mean(head_points, axis=0)
        head_d = np.hypot(xx - head_centre[0], yy - head_centre[1])
    else:
        head_centre = None
        head_d = np.full(xx.shape, np.inf, np.float32)
    torso_poly = _torso_polygon(rs, ls, rh, lh)
    torso = np.zeros((height, width), np.uint8)
    if torso_poly is not None:
        cv2.fillConvexPoly(torso, torso_poly.astype(np.int32), 1)
    torso = torso.astype(bool)

    if visible is not None:
        seen = {name: k[name] if visible[KP[name]] else None for name in KP}
        for side in ("right", "left"):
            if k[f"{side}_knee"] is None and seen[f"{side}_hip"] is not None:
                seen[f"{side}_knee"] = limbs[f"{side}_knee"]
        seen_arm = np.minimum(
            _limb_distance(xx, yy, seen, "right", "arm"), _limb_distance(xx, yy, seen, "left", "arm")
        )
        seen_leg = np.minimum(
            _limb_distance(xx, yy, seen, "right", "leg"), _limb_distance(xx, yy, seen, "left", "leg")
        )
        seen_arm_full = seen_arm
        seen_arm, seen_leg = seen_arm[person], seen_leg[person]
    else:
        seen_arm, seen_leg = arm_d[person], leg_d[person]
        seen_arm_full = arm_d
    # ---- colour models ----
    skin = None
    if face_points:
        centre = np.mean(face_points, axis=0)
        if k["nose"] is not None:
            centre = 0.5 * centre + 0.5 * k["nose"]
        radius = max(2.0, 0.16 * body)
        disc = (np.hypot(xx - centre[0], yy - centre[1]) <= radius) & person
        skin = _fit(_robust(lab_image[disc]), 1, SKIN_FLOOR)
    skin = skin or _SKIN_PRIOR

    # The top garment: the torso core below the neckline (necklines show skin).
    core = _shrink(torso, body * 0.12) & person
    if shoulder_y is not None and hip_y is not None:
        core &= yy > shoulder_y + 0.3 * (hip_y - shoulder_y)
    if visible is not None:
        # Hands and forearms held in front of the body are not the garment.
        core &= seen_arm_full > 0.3 * body
    top_samples = lab_image[core]
    top = _fit(top_samples, 3, GARMENT_FLOOR)
    if top is not None and len(top.centres) > 1:
        skin_like = skin.distance(top.centres) < 1.5
        if skin_like.any() and not skin_like.all():
            top = _Model(top.centres[~skin_like], top.spread)

    hair = None
    if head_centre is not None:
        top_of_head = (yy < head_centre[1] - 0.15 * body) & (head_d < 0.6 * body) & person
        samples = lab_image[top_of_head]
        if len(samples):
            samples = samples[skin.distance(samples) > 3.0]
        hair = _fit(samples, 2, HAIR_FLOOR)

    # ---- costs per person pixel (colour distance in spreads + where a class may be) ----
    lab_person = lab_image[person]
    py = yy[person]
    ad, ld, hd = arm_d[person], leg_d[person], head_d[person]
    inf = np.float32(np.inf)
    near_head = hd < 1.1 * body
    above_neck = py < (neck[1] - 0.05 * body) if neck is not None else np.zeros_like(py, bool)
    head_region = above_neck & near_head
    if head_centre is not None:
        head_region &= np.abs(xx[person] - head_centre[0]) < 0.5 * body
    limb_zone = (seen_arm < 0.35 * body) | (seen_leg < 0.3 * body) | near_head
    if neck is not None:
        limb_zone |= np.hypot(xx[person] - neck[0], py - neck[1]) < 0.45 * body

    c_skin = skin.distance(lab_person) + np.where(limb_zone, 0.0, 2.5) + np.where(core[person], 1.5, 0.0)
    if top is not None:
        c_top = top.distance(lab_person) + np.where(head_region, 2.5, 0.0)
    else:
        c_top = np.full(len(lab_person), 4.0, np.float32)
    hair_zone = near_head & (py < (shoulder_y + 0.9 * body if shoulder_y is not None else inf))
    if hair is not None:
        c_hair = np.where(hair_zone, hair.distance(lab_person) - 0.3, inf)
    else:
        c_hair = np.full(len(lab_person), inf, np.float32)

    is_skin = (c_skin < 3.5) & (c_skin <= c_top) & (c_skin <= c_hair)
    is_hair = ~is_skin & (c_hair < 3.5) & (c_hair <= c_top)

    out = np.full(len(lab_person), int(C.UPPER_CLOTHES), np.uint8)
    below_hips = py > (hip_y if hip_y is not None else inf)
    skin_label = np.where(
        (ad < ld) & (ad < 0.5 * body),
        int(C.ARMS),
        np.where(below_hips, int(C.LEGS), np.where(ad < 0.5 * body, int(C.ARMS), int(C.FACE))),
    ).astype(np.uint8)
    # ADGAN's classes have no torso skin: a neckline goes with the face, a bare midriff with the arms.
    out[is_skin] = skin_label[is_skin]
    out[is_hair] = int(C.HAIR)
    # Above the neck whatever is not skin is hair (or a hat) unless it is clearly the top garment.
    out[head_region & ~is_skin & (c_top > 2.0)] = int(C.HAIR)
    out[head_region & is_skin] = int(C.FACE)

    labels[person] = out
    garment = person & (labels == C.UPPER_CLOTHES)
    split = None
    if shoulder_y is not None and hip_y is not None:
        band = garment & (seen_arm_full > 0.25 * body) & _torso_band(xx, yy, neck, hips, body)
        split, change = _waist_split(lab_image, band, shoulder_y, hip_y, body)
        # one piece across the legs (a dress, or a skirt) needs a clearer change than trousers
        _gap, spans_legs = _leg_votes(garment & (yy > hip_y), k)
        if split is not None and change < (WAIST_MIN_CHANGE_ONE_PIECE if spans_legs else WAIST_MIN_CHANGE):
            split = None
    if split is not None:
        _split_garments(labels, lab_image, garment, band, split, keypoints, body, hip_y, yy)
    else:
        _bottom_garment(labels, lab_image, garment, top, skin, keypoints, body, hip_y, yy)
        if hip_y is not None and not np.isin(labels, (C.PANTS, C.SKIRT)).any():
            _same_colour_trousers(labels, garment, keypoints, body, hip_y, yy)
    _shoes(labels, lab_image, person, keypoints, top, xx, yy, body)
    _absorb_specks(labels, body)
    _legs_inside_garment(labels, body)
    return _smooth(labels, person, body)


def _legs_inside_garment(labels: np.ndarray, body: float) -> None:
    """Legs are not above a dress's hem: "skin" with the same dress or skirt both just above and
    just below it (a border print of skin-like colours) is that garment."""
    reach = max(2, round(HEM_REACH * body))
    for garment in (C.UPPER_CLOTHES, C.SKIRT):
        cloth = (labels == garment).astype(np.uint8)
        if not cloth.any():
            continue
        column = np.ones((reach, 1), np.uint8)
        below = cv2.dilate(cloth, column, anchor=(0, 0)) > 0
        above = cv2.dilate(cloth, column, anchor=(0, reach - 1)) > 0
        legs = labels == C.LEGS
        inside = legs & below & above
        if not inside.any():
            continue
        count, parts = cv2.connectedComponents(legs.astype(np.uint8), connectivity=8)
        size = np.bincount(parts.ravel(), minlength=count)
        enclosed = np.bincount(parts[inside], minlength=count)
        wrapped = enclosed >= HEM_ENCLOSED * np.maximum(size, 1)
        wrapped[0] = False
        labels[wrapped[parts]] = int(garment)


def _absorb_specks(labels: np.ndarray, body: float) -> None:
    """Small patches of skin classes inside one garment (skin-like bits of a print) join it."""
    skin = np.isin(labels, (C.FACE, C.ARMS, C.LEGS)).astype(np.uint8)
    count, parts, stats, _ = cv2.connectedComponentsWithStats(skin, connectivity=8)
    limit = SPECK_AREA * body * body
    height, width = labels.shape
    for index in range(1, count):
        x, y, w, h, area = stats[index]
        if area > limit or x == 0 or y == 0 or x + w == width or y + h == height:
            continue  # a large patch, or one cut by the frame (legs below a hem at the edge)
        x0, y0, x1, y1 = max(0, x - 2), max(0, y - 2), min(width, x + w + 2), min(height, y + h + 2)
        patch = parts[y0:y1, x0:x1] == index
        ring = cv2.dilate(patch.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        around = labels[y0:y1, x0:x1][ring & ~patch]
        garments = np.isin(around, (C.UPPER_CLOTHES, C.PANTS, C.SKIRT))
        if around.size and garments.mean() >= SPECK_SURROUNDED:
            values, counts = np.unique(around[garments], return_counts=True)
            labels[y0:y1, x0:x1][patch] = values[np.argmax(counts)]


def _torso_band(xx, yy, neck, hips: list[np.ndarray], body: float) -> np.ndarray:
    """The middle of the body along its vertical axis (neck to hip centre and on down)."""
    if neck is None or not hips:
        return np.zeros(xx.shape, bool)
    hip = np.mean(hips, axis=0)
    axis = hip - neck
    if abs(axis[1]) < 1e-3:
        return np.zeros(xx.shape, bool)
    centre_x = neck[0] + (yy - neck[1]) * axis[0] / axis[1]
    return np.abs(xx - centre_x) < BAND_HALF_WIDTH * body


def _waist_split(lab_image, band, shoulder_y: float, hip_y: float, body: float) -> tuple[float | None, float]:
    """The row where the top garment ends and a different bottom garment may start, and how much
    the garment changes there (None, 0 when nothing can be compared).

    Along the torso's axis the garment's median colour (and its texture, the spread of its
    lightness) above and below each candidate row are compared; the strongest change between
    the lower chest and the upper thighs wins."""
    height = band.shape[0]
    window = max(3, round(WAIST_WINDOW * body))
    start = round(shoulder_y + WAIST_SEARCH_FROM * (hip_y - shoulder_y))
    stop = min(height - window, round(hip_y + WAIST_SEARCH_BELOW * body))
    if stop <= start:
        return None, 0.0
    # every other pixel of a row and every other candidate row: the medians hardly move
    rows = [lab_image[y][band[y]][::2] for y in range(height)]
    best, best_y = 0.0, None
    scale = np.array(WAIST_SCALE, np.float32)
    for y in range(start, stop, 2):
        above = [r for r in rows[y - window : y] if len(r)]
        below = [r for r in rows[y : y + window] if len(r)]
        if len(above) < window // 2 or len(below) < window // 2:
            continue
        a, b = np.concatenate(above), np.concatenate(below)
        if len(a) < 6 or len(b) < 6:
            continue
        ma, mb = np.median(a, 0), np.median(b, 0)
        # a print varies within each window: its change counts against that variation
        spread = np.maximum(scale, 1.4826 * np.median(np.abs(np.concatenate([a - ma, b - mb])), 0))
        colour = float(np.sqrt((((ma - mb) / spread) ** 2).sum()))
        texture = abs(float(a[:, 0].std() - b[:, 0].std())) / WAIST_TEXTURE_SCALE
        score = colour + WAIST_TEXTURE_WEIGHT * texture
        if score > best:
            best, best_y = score, y
    if _DEBUG:
        print("waist", dict(y=best_y, change=round(best, 2)))
    return (float(best_y) if best_y is not None else None), best


def _split_garments(labels, lab_image, garment, band, split, keypoints, body, hip_y, yy) -> None:
    """A top above ``split`` and a different bottom garment below: colour models from each side."""
    k = {name: _kp(keypoints, name) for name in KP}
    margin = WAIST_MARGIN * body
    top = _fit(lab_image[band & (yy < split - margin)], 3, GARMENT_FLOOR)
    below = band & (yy > split + margin) & (yy < split + 1.5 * body)
    bottom = _fit(lab_image[below], 3, GARMENT_FLOOR)
    if top is None or bottom is None:
        return
    lower = garment & (yy >= split - margin)
    lab_lower = lab_image[lower]
    d_top = top.distance(lab_lower)
    d_bottom = bottom.distance(lab_lower)
    # Below the waist the bottom garment is the rule, the top's hem the exception.
    d_top = d_top + np.where(yy[lower] > split + margin, BOTTOM_BIAS, 0.0)
    mask = np.zeros(labels.shape, bool)
    mask[lower] = d_bottom < d_top
    mask = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) > 0
    # The top hangs down from above the waist: top-coloured islands inside the bottom garment
    # (the light parts of a print) belong to the bottom.
    _count, parts = cv2.connectedComponents((garment & ~mask).astype(np.uint8), connectivity=8)
    from_above = np.unique(parts[(yy < split - margin) & garment & ~mask])
    islands = ~np.isin(parts, from_above) & garment & ~mask & (yy > split)
    ankles = [p[1] for p in (k["right_ankle"], k["left_ankle"]) if p is not None]
    if ankles:
        islands &= yy < min(ankles) - 0.1 * body  # not the shoes
    mask |= islands
    if mask.sum() < 0.02 * garment.sum():
        return
    label = _bottom_kind(mask, garment, k, body, max(hip_y, split))
    labels[mask] = label if label is not None else int(C.PANTS)


def _same_colour_trousers(labels, garment, keypoints, body, hip_y, yy) -> None:
    """Trousers the colour of the top: the garment parts into two legs below the hips."""
    k = {name: _kp(keypoints, name) for name in KP}
    lower = garment & (yy > hip_y + SAME_COLOUR_WAIST * body)
    if lower.sum() < 0.05 * garment.sum():
        return
    label = _bottom_kind(lower, garment, k, body, hip_y, trousers_only=True)
    if label == C.PANTS:
        labels[lower] = int(C.PANTS)


def _limb_distance(xx, yy, k: dict, side: str, limb: str) -> np.ndarray:
    if limb == "arm":
        chain = [k[f"{side}_shoulder"], k[f"{side}_elbow"], k[f"{side}_wrist"]]
        chain.append(_extend(chain[1], chain[2], 0.35))
    else:
        chain = [k[f"{side}_hip"], k[f"{side}_knee"], k[f"{side}_ankle"]]
        chain.append(_extend(chain[1], chain[2], 0.2))
    return _chain_distance(xx, yy, chain)


def _extend(a: np.ndarray | None, b: np.ndarray | None, fraction: float) -> np.ndarray | None:
    if a is None or b is None:
        return None
    return b + (b - a) * fraction


def _robust(samples: np.ndarray) -> np.ndarray:
    """Drop the darkest and brightest quarter (eyes, brows, highlights) before fitting skin."""
    if len(samples) < 8:
        return samples
    lo, hi = np.percentile(samples[:, 0], [25, 90])
    return samples[(samples[:, 0] >= lo) & (samples[:, 0] <= hi)]


def _torso_polygon(rs, ls, rh, lh) -> np.ndarray | None:
    if rs is None or ls is None:
        return None
    if rh is None or lh is None:
        down = np.array([0.0, 1.6 * float(np.hypot(*(rs - ls)))], np.float32)
        rh, lh = rs + down, ls + down
    return np.array([rs, ls, lh, rh], np.float32)


def _shrink(region: np.ndarray, amount: float) -> np.ndarray:
    size = max(1, round(amount))
    return cv2.erode(region.astype(np.uint8), np.ones((2 * size + 1, 2 * size + 1), np.uint8)) > 0


def _bottom_garment(labels, lab_image, garment, top, skin, keypoints, body, hip_y, yy) -> None:
    """Find a bottom garment that differs from the top, then call it pants or skirt."""
    if hip_y is None:
        return
    k = {name: _kp(keypoints, name) for name in KP}
    thickness = max(2, int(0.2 * body))
    candidates = []
    for part in ("thigh", "shin"):
        region = np.zeros(labels.shape, np.uint8)
        for side in ("right", "left"):
            hip, knee = k[f"{side}_hip"], k[f"{side}_knee"]
            if part == "thigh" and hip is not None and knee is None:
                knee = hip + np.array([0.0, 1.2 * body], np.float32)  # cut off: a thigh's length
            a, b = (hip, knee) if part == "thigh" else (knee, k[f"{side}_ankle"])
            if a is None or b is None:
                continue
            if part == "thigh":
                a = a + (b - a) * 0.3
            cv2.line(region, tuple(int(v) for v in a), tuple(int(v) for v in b), 1, thickness)
        samples = lab_image[(region > 0) & garment]
        if len(samples) < 20:
            continue
        far = top.distance(samples) > BOTTOM_FAR if top is not None else np.ones(len(samples), bool)
        if far.mean() >= 0.35:
            candidates.append(samples[far])
    if not candidates:
        return  # the lower body wears the top's garment: a dress or a long top
    bottom = _fit(np.concatenate(candidates), 2, GARMENT_FLOOR)
    if bottom is None:
        return
    lower_garment = garment & (yy > hip_y - 0.1 * body)
    lab_lower = lab_image[lower_garment]
    d_bottom = bottom.distance(lab_lower)
    d_top = top.distance(lab_lower) if top is not None else np.full(len(lab_lower), np.inf)
    bottom_mask = np.zeros(labels.shape, bool)
    bottom_mask[lower_garment] = (d_bottom < d_top) & (d_bottom < 4.0)
    bottom_mask = (
        cv2.morphologyEx(bottom_mask.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) > 0
    )
    if bottom_mask.sum() < 0.02 * garment.sum():
        return
    label = _bottom_kind(bottom_mask, garment, k, body, hip_y)
    knees = [p[1] for p in (k["right_knee"], k["left_knee"]) if p is not None]
    ys = np.nonzero(bottom_mask)[0]
    starts_below_knees = bool(knees and ys.size and np.percentile(ys, 10) > max(knees))
    boots = starts_below_knees and _below_bare_skin(labels, lab_image, bottom_mask, bottom, body)
    if label is not None and boots:
        label = int(C.LEGS)  # boots or socks under a dress: bare legs between hem and shoe
    if label == C.PANTS and ys.size and np.percentile(ys, 10) > hip_y + 0.5 * body:
        # trousers under a long top cover the legs below its hem; patches among mostly bare
        # skin there are shadows, tights or shoes on bare legs
        rows = slice(int(np.percentile(ys, 10)), int(np.percentile(ys, 90)) + 1)
        if bottom_mask[rows].sum() < (labels[rows] == C.LEGS).sum():
            label = int(C.LEGS)
    if label is not None:
        labels[bottom_mask] = label


def _below_bare_skin(labels: np.ndarray, lab_image, mask: np.ndarray, model: _Model, body: float) -> bool:
    """Whether the pixels just above the mask's top edge are mostly bare legs (skin of another
    colour than the garment: light trousers partly taken for skin do not count)."""
    step = max(2, round(BOOT_GAP * body))
    above = np.zeros_like(mask)
    above[:-step] = mask[step:]
    above &= ~mask & (labels > 0)
    if not above.any():
        return False
    skin = above & (labels == C.LEGS)
    bare = skin.sum() / above.sum()
    unlike = (model.distance(lab_image[skin]) > 3.0).mean() if skin.any() else 0.0
    if _DEBUG:
        print("boots", dict(bare=round(float(bare), 2), unlike=round(float(unlike), 2)))
    return bool(bare > 0.5 and unlike > 0.5)


def _bottom_kind(
    bottom: np.ndarray, garment: np.ndarray, k: dict, body: float, hip_y: float, trousers_only: bool = False
) -> int | None:
    """PANTS, SKIRT, or None when the 'bottom' is only a band of the top garment (a dress's border).

    Trousers leave a gap between the legs or end narrow around both ankles; a skirt spans both
    legs in one piece. A bottom garment that does not reach the waist is trousers under a long
    top when it looks like trousers, otherwise part of the top garment."""
    ra, la = k["right_ankle"], k["left_ankle"]
    rh, lh = k["right_hip"], k["left_hip"]
    height = bottom.shape[0]
    waist_rows = slice(max(0, int(hip_y - 0.2 * body)), min(height, int(hip_y + 0.5 * body)))
    waist_garment = garment[waist_rows].sum()
    at_waist = waist_garment > 0 and bottom[waist_rows].sum() > 0.3 * waist_garment
    if rh is None or lh is None:
        return int(C.PANTS) if at_waist else None
    gap_votes, skirt_votes = _leg_votes(bottom, k)
    narrow_at_ankles = reaches_ankles = False
    if ra is not None and la is not None:
        y = round(min(ra[1], la[1]) - 0.3 * body)
        if 0 <= y < height:
            cols = np.flatnonzero(bottom[y])
            span = abs(float(ra[0] - la[0])) + 0.6 * body
            reaches_ankles = cols.size > 0
            narrow_at_ankles = cols.size > 0 and (cols[-1] - cols[0] + 1) < 1.5 * span
    if _DEBUG:
        print("bottom", dict(at_waist=at_waist, skirt=skirt_votes, gap=gap_votes, narrow=narrow_at_ankles))
    if trousers_only:
        # same colour as the top: only two clearly separate legs say trousers (not a dress)
        return int(C.PANTS) if gap_votes >= 2 and gap_votes > skirt_votes else None
    if gap_votes > 0 or narrow_at_ankles:
        return int(C.PANTS)
    if not at_waist:
        return None
    # Skirt evidence: one piece across the legs that ends in a hem above the ankles, or a long
    # skirt wide around the ankles. Legs together in trousers cut by the frame stay trousers.
    rows = np.flatnonzero(bottom.any(axis=1))
    ankle_ys = [a[1] for a in (ra, la) if a is not None and a[1] < height]
    hem_visible = bool(rows.size and ankle_ys and rows[-1] < min(ankle_ys) - 0.4 * body)
    if skirt_votes > 0 and (hem_visible or reaches_ankles):
        return int(C.SKIRT)
    return int(C.PANTS)


def _leg_votes(mask: np.ndarray, k: dict) -> tuple[int, int]:
    """Rows across both thighs and shins: (the mask leaves a gap between the legs, it spans them)."""
    rk, lk, ra, la = k["right_knee"], k["left_knee"], k["right_ankle"], k["left_ankle"]
    rh, lh = k["right_hip"], k["left_hip"]
    height = mask.shape[0]
    pairs = []
    # thighs from just below the crotch (shorts end there), shins down to above the ankles
    for t_lo, t_hi, a0, a1, b0, b1 in ((0.2, 1.0, rh, rk, lh, lk), (0.0, 0.8, rk, ra, lk, la)):
        if a0 is None or a1 is None or b0 is None or b1 is None:
            continue
        for t in np.linspace(t_lo, t_hi, 5):
            pairs.append((a0 + (a1 - a0) * t, b0 + (b1 - b0) * t))
    gap_votes = skirt_votes = 0
    for right, left in pairs:
        y = round((right[1] + left[1]) / 2)
        x0, x1 = sorted((round(right[0]), round(left[0])))
        if not 0 <= y < height or x1 - x0 < 2:
            continue
        row = mask[y, max(0, x0) : x1 + 1]
        if not (row[: max(1, len(row) // 4)].any() and row[-max(1, len(row) // 4) :].any()):
            continue  # the garment does not reach both legs here
        middle = row[len(row) // 3 : max(len(row) // 3 + 1, 2 * len(row) // 3)]
        if middle.all():
            skirt_votes += 1
        elif middle.mean() < 0.5:
            gap_votes += 1
    return gap_votes, skirt_votes


def _shoes(labels, lab_image, person, keypoints, top, xx, yy, body) -> None:
    """Around the ankles, whatever is not the top garment's colour is a shoe (class legs)."""
    for side in ("right", "left"):
        ankle = _kp(keypoints, f"{side}_ankle")
        knee = _kp(keypoints, f"{side}_knee")
        if ankle is None:
            continue
        shin = float(np.hypot(*(ankle - knee))) if knee is not None else body
        zone = person & (np.hypot(xx - ankle[0], yy - ankle[1]) < 0.35 * shin) & (yy > ankle[1] - 0.12 * shin)
        current = labels[zone]
        garment = (current == C.UPPER_CLOTHES) | (current == C.SKIRT) | (current == C.PANTS)
        ankle_ring = (
            person
            & (np.abs(xx - ankle[0]) < 0.2 * shin)
            & (yy > ankle[1] - 0.3 * shin)
            & (yy < ankle[1] - 0.12 * shin)
        )
        if ankle_ring.any() and (labels[ankle_ring] == C.LEGS).mean() > 0.5:
            # a bare ankle: whatever garment is below it is the shoe
            current[garment & (yy[zone] > ankle[1] - 0.05 * shin)] = int(C.LEGS)
            labels[zone] = current
            continue
        if top is not None:
            garment &= top.distance(lab_image[zone]) > 3.0
        shin_band = (
            (labels == C.PANTS)
            & (np.abs(xx - ankle[0]) < 0.3 * shin)
            & (yy > ankle[1] - 0.5 * shin)
            & (yy < ankle[1] - 0.15 * shin)
        )
        trousers = _fit(lab_image[shin_band], 2, GARMENT_FLOOR)
        if trousers is not None:
            # trousers down to the shoes: below the ankle the top cannot be, and what is unlike
            # the trousers is the shoe
            low = np.isin(current, (C.PANTS, C.UPPER_CLOTHES, C.SKIRT)) & (yy[zone] > ankle[1])
            unlike = (current[low] != C.PANTS) | (trousers.distance(lab_image[zone][low]) > 3.0)
            low[low] = unlike
            current[low] = int(C.LEGS)
            labels[zone] = current
            continue
        if (current == C.PANTS).mean() > 0.5:
            continue
        current[garment] = int(C.LEGS)
        labels[zone] = current


def _smooth(labels: np.ndarray, person: np.ndarray, body: float) -> np.ndarray:
    """Majority filter: blur one-hot planes and take the argmax inside the person."""
    size = max(3, int(0.06 * body) | 1)
    planes = np.stack(
        [cv2.blur((labels == c).astype(np.float32), (size, size)) for c in range(len(C))], axis=0
    )
    planes[0] = -1.0
    smoothed = planes.argmax(axis=0).astype(np.uint8)
    smoothed[~person] = int(C.BACKGROUND)
    return smoothed
