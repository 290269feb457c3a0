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

Every tuned number is a field of :class:`ParsingTuning`; the parser's version carries their digest.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

from ml.intake import require_rgb_image
from ml.parsing.upsample import TUNING as UPSAMPLE_TUNING
from ml.parsing.upsample import UpsampleTuning, upsample_labels
from ml.pose import PoseResult, blaze_to_coco, require_pose_for
from ml.tuning import versioned
from ml.types import KP
from ml.types import ParsingClass as C

BASE_VERSION = "heuristic-5"
# BlazePose landmarks of each hand: the wrist and the little finger's and index's knuckles
BLAZE_HANDS = {"right": (16, (18, 20)), "left": (15, (17, 19))}
# BlazePose's nose, eyes and ears (COCO's head keypoints)
BLAZE_HEAD = (0, 2, 5, 7, 8)
_DEBUG = False
# A normal distribution's standard deviation per median absolute deviation (not a tuning number).
MAD_TO_SIGMA = 1.4826

Lab = tuple[float, float, float]


@dataclass(frozen=True)
class ParsingTuning:
    """Every number of the heuristic parser.

    Lengths are in body widths (the shoulder joints apart at work size, at least
    ``body_min_share`` of the person's height) unless said otherwise; px are work-size pixels.
    Colours are in OpenCV's 8-bit Lab (L 0..255, a and b offset by 128); costs are colour
    distances in a colour model's spreads."""

    # ---- work size and the pose
    work_height: int = 320  # px: taller photos are parsed at this height, the labels scaled back
    mask_level: int = 128  # person-mask value (0..255) from which a pixel is the person
    geometry_visibility: float = 0.05  # BlazePose visibility from which a landmark guides the geometry
    body_min_share: float = 0.12  # the body width at least this share of the person's height ...
    body_share_no_shoulders: float = 0.2  # ... and this share of it when a shoulder is not found
    torso_length: float = 1.6  # hips not found: this many shoulder spans below the shoulders
    thigh_length: float = 1.2  # a knee out of the frame lies this far below its hip
    shin_length: float = 1.0  # an ankle out of the frame: the shin goes on this many thigh lengths
    hand_reach: float = 0.35  # an arm goes on past the wrist by this share of the forearm
    # with the pose's knuckles seen, the arm also runs from the wrist to its fingertips: this many
    # times the way from the wrist to the knuckles (the index's and the little finger's, averaged)
    finger_reach: float = 2.0
    finger_visibility: float = 0.5  # ... when the wrist and both knuckles are this visible
    foot_reach: float = 0.2  # a leg goes on past the ankle by this share of the shin
    # ---- colour models (k-means in Lab)
    kmeans_seed: int = 11  # OpenCV's random seed before each k-means: a photo always gets the same labels
    kmeans_iterations: int = 10  # k-means stops after this many iterations ...
    kmeans_epsilon: float = 1.0  # ... or when its centres move less than this (Lab units)
    kmeans_attempts: int = 2  # k-means runs this many times, the most compact result kept
    min_model_samples: int = 12  # px: fewer samples learn no colour model
    samples_per_cluster: int = 20  # px: a model has at most one cluster per this many samples
    min_cluster_share: float = 0.08  # clusters with a smaller share of the samples are dropped
    skin_floor: Lab = (35.0, 5.0, 6.0)  # lower bounds of the skin model's spread (Lab units)
    garment_floor: Lab = (24.0, 5.0, 5.0)  # ... of a garment model's
    hair_floor: Lab = (20.0, 4.0, 4.0)  # ... of the hair model's
    # generic skin (light and dark, Lab) and its spread when no face is visible
    skin_prior_centres: tuple[Lab, ...] = ((170.0, 145.0, 150.0), (120.0, 148.0, 152.0))
    skin_prior_spread: Lab = (45.0, 6.0, 8.0)
    face_nose_weight: float = (
        0.5  # the face disc's centre: this share of the way from the face points to the nose
    )
    face_radius: float = 0.16  # skin is learnt from a face disc this wide (radius) ...
    face_min_radius: float = 2.0  # ... and at least this wide (px)
    skin_percentiles: tuple[float, float] = (25.0, 90.0)  # face pixels between these lightness percentiles
    skin_clip_min_samples: int = 8  # px: fewer face pixels are all kept (no percentile clip)
    skin_clusters: int = 1  # colour clusters of the skin model
    top_clusters: int = 3  # ... of the top garment's
    hair_clusters: int = 2  # ... of the hair's
    bottom_clusters: int = 2  # ... of a bottom garment found on the thighs and shins
    split_clusters: int = 3  # ... of the top and the bottom garment on either side of a waistline
    trouser_clusters: int = 2  # ... of the trousers just above an ankle
    core_inset: float = 0.12  # the top is learnt from the torso shrunk by this ...
    neckline_depth: float = 0.3  # ... below this share of the way from shoulders to hips ...
    core_arm_clearance: float = 0.3  # ... at least this far from a seen arm (hands in front of the body)
    skin_like_cluster: float = 1.5  # cost: top clusters this close to skin are dropped (when others stay)
    hair_above_head: float = 0.15  # hair is learnt this far above the head's centre and higher ...
    hair_sample_radius: float = 0.6  # ... within this distance of it ...
    hair_unlike_skin: float = 3.0  # ... from pixels at least this far from skin (skin-model cost)
    # ---- where each class may be, and what it costs elsewhere
    near_head: float = 1.1  # hair and head pixels lie within this of the head's centre
    above_neck: float = 0.05  # the head region starts this far above the neck ...
    head_half_width: float = 0.5  # ... and reaches this far either side of the head's centre
    arm_zone: float = 0.35  # skin is expected within this of a seen arm ...
    leg_zone: float = 0.3  # ... of a seen leg ...
    neck_zone: float = 0.45  # ... and of the neck
    skin_off_limb_cost: float = 2.5  # cost added to skin outside those zones
    skin_on_core_cost: float = 1.5  # cost added to skin where the top was learnt
    top_on_head_cost: float = 2.5  # cost added to the top garment in the head region
    no_top_cost: float = 4.0  # the top garment's cost everywhere when it has no model
    hair_below_shoulders: float = 0.9  # no hair lower than this below the shoulders
    hair_bonus: float = 0.3  # cost taken off hair in its zone
    collar_reach: float = 0.3  # "hair" in a piece whose top is lower than this above the neck is the top's
    # collar or upper band (hair on the head reaches higher)
    chin_below_nose: float = 0.3  # below this far under the nose, hair must hang: a column of it ...
    hair_hang: float = 0.6  # ... at least this tall (a collar or a shoulder band is flatter) ...
    hair_gap: float = 0.05  # ... bridging gaps up to this tall and drifting up to this sideways (a
    # curl's tip)
    skin_max_cost: float = 3.5  # skin claims a pixel up to this cost ...
    hair_max_cost: float = 3.5  # ... hair up to this
    hand_at_face: float = 0.08  # skin in the head region this near a seen forearm or hand is arms
    head_top_cost: float = 2.0  # above the neck, what is not skin is hair unless the top costs at most this
    arm_reach: float = 0.5  # skin within this of an arm (and nearer it than a leg) is arms ...
    arm_own: float = 0.2  # ... but on the chest only within this (the arm itself, held in front of the
    # body): a bare chest or neckline there is no arm ...
    chest_depth: float = 0.45  # ... the chest: down to this share of the way from shoulders to hips
    # (lower, hands held in front of the body are farther from the arm bones than that)
    # ---- the waistline
    waist_band_arm_clearance: float = 0.25  # the waistline is read at least this far from a seen arm ...
    band_half_width: float = 0.3  # ... in a band this wide either side of the torso's axis
    waist_search_from: float = 0.55  # searched from this share of the way shoulders -> hips ...
    waist_search_below: float = 0.6  # ... to this far below the hips
    waist_window: float = 0.22  # garment rows this tall are compared above and below a row ...
    waist_min_window_px: int = 3  # ... at least this many (px)
    waist_pixel_step: int = 2  # every this-many-th pixel of a row is read ...
    waist_row_step: int = 2  # ... and every this-many-th candidate row
    waist_rows_divisor: int = 2  # at least 1/this of a window's rows must show the garment ...
    waist_min_pixels: int = 6  # ... and at least this many of its pixels
    waist_scale: Lab = (14.0, 6.0, 6.0)  # the least per-channel spread a colour change is measured in
    waist_texture_scale: float = 10.0  # lightness spread change (L units) that counts one ...
    waist_texture_weight: float = 0.25  # ... and its weight beside the colour change
    waist_min_change: float = 2.0  # the least change at a waistline ...
    waist_min_change_one_piece: float = 3.5  # ... when the garment spans both legs in one piece
    waist_margin: float = 0.06  # the garments are learnt this far above and below the waistline ...
    split_bottom_depth: float = 1.5  # ... the bottom down to this far below it
    bottom_bias: float = 1.5  # cost added to the top garment below the waistline
    open_size: int = 3  # px: a bottom garment's mask is opened with a square this wide
    islands_above_ankles: float = 0.1  # top-coloured islands in a bottom end this far above the ankles
    min_bottom_share: float = 0.02  # a bottom garment smaller than this share of the garment is none
    # ---- a bottom garment without a waistline
    leg_probe_width: float = 0.2  # thighs and shins are sampled along lines this thick ...
    leg_probe_min_px: int = 2  # ... at least this many px
    thigh_probe_from: float = 0.3  # ... the thigh from this share of the way hip -> knee
    bottom_min_samples: int = 20  # px: a thigh or shin with fewer garment pixels is skipped
    bottom_far: float = 2.2  # cost: a bottom garment is this far from the top ...
    bottom_far_share: float = 0.35  # ... on at least this share of a thigh's or shin's pixels
    bottom_above_hips: float = 0.1  # a bottom garment starts at most this far above the hips
    bottom_max_cost: float = 4.0  # the bottom garment claims pixels up to this cost
    bottom_start_percentile: float = 10.0  # a bottom garment's top: this percentile of its rows ...
    bottom_end_percentile: float = 90.0  # ... its hem: this one
    long_top_hem: float = 0.5  # trousers starting this far below the hips are under a long top
    same_colour_waist: float = -0.1  # same-colour trousers start this far below the hip joints' line
    same_colour_min_share: float = 0.05  # ... when that is at least this share of the garment
    # ---- pants or skirt
    waist_rows_above: float = 0.2  # the waist: rows from this far above the hips ...
    waist_rows_below: float = 0.5  # ... to this far below them
    at_waist_share: float = 0.3  # a bottom reaches the waist with this share of the garment there
    ankle_probe: float = 0.3  # the hems are looked for this far above the higher ankle ...
    ankle_span_extra: float = 0.6  # ... over the ankles' distance plus this ...
    narrow_hem: float = 1.5  # ... and narrower than this many times that is trouser hems
    hem_above_ankles: float = 0.4  # a hem at least this far above the ankles is visible
    thigh_probe_span: tuple[float, float] = (0.2, 1.0)  # rows across the thighs, hip -> knee ...
    shin_probe_span: tuple[float, float] = (0.0, 0.8)  # ... and across the shins, knee -> ankle ...
    probe_rows: int = 5  # ... this many on each
    leg_min_apart_px: int = 2  # legs nearer than this (px) in a row cast no vote
    leg_edge_parts: int = 4  # the garment must reach both outer 1/this of a row to vote ...
    leg_middle_parts: int = 3  # ... whose middle (1/this to 1 - 1/this of it) ...
    gap_share: float = 0.5  # ... covered less than this share leaves a gap (all of it spans the legs)
    same_colour_gap_votes: int = 2  # rows with a gap that make same-colour trousers
    # ---- boots and shoes ("shins": in lengths of that leg's shin, knee to ankle)
    boot_gap: float = 0.08  # a bottom starting this far below bare legs is boots or socks ...
    boot_gap_min_px: int = 2  # ... at least this many px
    boot_bare_share: float = 0.5  # ... when more than this share above it is legs ...
    boot_unlike_share: float = 0.5  # ... and more than this share of those are unlike the garment ...
    boot_unlike_cost: float = 3.0  # ... by at least this cost
    shoe_radius: float = 0.35  # shins: a shoe lies within this of its ankle ...
    shoe_top: float = 0.12  # shins: ... and below this far above the ankle ...
    shoe_depth: float = 0.6  # shins: ... or straight below the ankle (that radius either side) down to
    # this far below it: the sole and toes of a shoe seen from the front lie lower than the circle reaches
    ankle_ring_half_width: float = 0.2  # shins: the ankle above the shoe: this wide either side ...
    ankle_ring_top: float = 0.3  # shins: ... from this far above the ankle down to the shoe
    bare_ankle_share: float = 0.5  # an ankle more than this share legs is bare ...
    shoe_below_bare_ankle: float = 0.05  # shins: ... and garment from this far above it down is the shoe
    shoe_unlike_top: float = 3.0  # cost: a shoe is at least this far from the top garment
    shin_band_half_width: float = 0.3  # shins: the trousers' hem is learnt this wide either side ...
    shin_band_top: float = 0.5  # shins: ... from this far above the ankle ...
    shin_band_bottom: float = 0.15  # shins: ... to this far above it
    shoe_unlike_trousers: float = 3.0  # cost: below the ankle, this far from the trousers is the shoe
    trouser_hem_share: float = 0.5  # an ankle zone more than this share trousers has no shoe
    # ---- a limb's own skin (lit unlike the face: a bare thigh or forearm lost to a print's pale cluster)
    limb_skin_zone: float = 0.3  # skin is re-learnt within this of a limb's bones ...
    limb_skin_min_px: int = 30  # ... from at least this many of its pixels already labelled that limb ...
    limb_skin_clusters: int = 2  # ... in this many colour clusters
    limb_skin_max_cost: float = 2.0  # top-garment pixels there at most this far from that skin ...
    limb_skin_margin: float = 0.5  # ... and this much nearer to it than to the top ...
    limb_skin_open: float = 0.12  # ... in pieces that survive an opening this wide (a stripe does not) ...
    # ... and touch the limb's own skin are the limb
    feet_above_ankle: float = 0.05  # from this far above the higher ankle down, the feet ...
    feet_open: float = 0.04  # ... are kept in pieces that survive a smaller opening
    torso_skin_grow: float = 0.1  # the torso (grown by this) ...
    torso_skin_max_cost: float = 1.5  # ... shows skin where the top garment is this near the arms' skin ...
    torso_skin_unlike_top: float = 2.5  # ... and at least this far from every colour of the top ...
    torso_skin_open: float = (
        0.04  # ... in pieces that survive an opening this wide (a midriff is a narrow band)
    )
    # ---- clean-up
    speck_area: float = 0.05  # body widths squared: skin patches up to this area ...
    speck_surrounded: float = 0.8  # ... with at least this share of their rim in garments join them
    hem_reach: float = 0.25  # legs with the same garment within this above and below ...
    hem_min_px: int = 2  # ... at least this many px ...
    hem_enclosed: float = 0.8  # ... on this share of a patch make all of it that garment
    smooth_size: float = 0.06  # the majority filter's window ...
    smooth_min_px: int = 3  # ... at least this many px


TUNING = ParsingTuning()


@dataclass
class _Model:
    """Colour clusters in Lab with a per-model spread."""

    centres: np.ndarray  # (k, 3)
    spread: np.ndarray  # (3,)

    def distance(self, lab: np.ndarray) -> np.ndarray:
        diff = (lab[:, None, :] - self.centres[None, :, :]) / self.spread
        return np.sqrt((diff**2).sum(axis=2)).min(axis=1)


def _skin_prior(t: ParsingTuning) -> _Model:
    return _Model(
        centres=np.array(t.skin_prior_centres, np.float32), spread=np.array(t.skin_prior_spread, np.float32)
    )


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


def _fit(samples: np.ndarray, k: int, floor: Lab, t: ParsingTuning) -> _Model | None:
    if len(samples) < t.min_model_samples:
        return None
    samples = samples.astype(np.float32)
    k = max(1, min(k, len(samples) // t.samples_per_cluster))
    if k > 1:
        criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, t.kmeans_iterations, t.kmeans_epsilon)
        cv2.setRNGSeed(t.kmeans_seed)  # the same photo always gets the same labels
        _, labels, centres = cv2.kmeans(samples, k, None, criteria, t.kmeans_attempts, cv2.KMEANS_PP_CENTERS)
        labels = labels.ravel()
        keep = [i for i in range(k) if (labels == i).mean() >= t.min_cluster_share]
        residual = samples - centres[labels]
        centres = centres[keep]
    else:
        centres = np.median(samples, axis=0, keepdims=True)
        residual = samples - centres
    spread = np.maximum(MAD_TO_SIGMA * np.median(np.abs(residual), axis=0), np.array(floor, np.float32))
    return _Model(centres=centres.astype(np.float32), spread=spread.astype(np.float32))


class HeuristicParser:
    """The default parser: no weights, pose-guided colour models per image."""

    name = "heuristic"

    def __init__(self, tuning: ParsingTuning = TUNING, upsample: UpsampleTuning = UPSAMPLE_TUNING) -> None:
        self.tuning = tuning
        self.upsample = upsample
        self.version = versioned(BASE_VERSION, tuning, upsample)

    def predict(self, image: np.ndarray, pose: PoseResult) -> np.ndarray:
        require_rgb_image(image, "Parsing")
        pose = require_pose_for(pose, image)
        t = self.tuning
        height, width = image.shape[:2]
        scale = min(1.0, t.work_height / height)
        if scale < 1.0:
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
            mask = cv2.resize(pose.person_mask, size, interpolation=cv2.INTER_LINEAR)
        else:
            small, mask = image, pose.person_mask
        if pose.found:
            geometry, _ = blaze_to_coco(pose.blaze_landmarks, width, height, t.geometry_visibility)
        else:
            geometry = pose.keypoints
        keypoints = np.where(geometry >= 0, geometry * scale, -1.0).astype(np.float32)
        visible = pose.keypoints[:, 0] >= 0
        fingers = _fingertips(pose, width, height, t) * scale if pose.found else None
        head = _head_out_of_frame(pose, width, height, t) if pose.found else None
        labels = parse_small(
            small, mask, keypoints, visible, t, fingers, None if head is None else head * scale
        )
        if labels.shape != (height, width):
            labels = upsample_labels(labels, image, self.upsample)
            # Re-cut the labels along the full-resolution person mask.
            labels[pose.person_mask < t.mask_level] = C.BACKGROUND
        return labels


def _fingertips(pose: PoseResult, width: int, height: int, t: ParsingTuning) -> np.ndarray:
    """(2, 2) pixels where the fingers of the right and the left hand end, -1 where a hand is not seen."""
    out = np.full((2, 2), -1.0, np.float32)
    landmarks = pose.blaze_landmarks
    for row, side in enumerate(("right", "left")):
        wrist, knuckles = BLAZE_HANDS[side]
        points = landmarks[[wrist, *knuckles]]
        inside = (points[:, :2] >= 0.0).all() and (points[:, :2] <= 1.0).all()
        if not inside or points[:, 3].min() < t.finger_visibility:
            continue
        size = np.array([width, height], np.float32)
        start, through = points[0, :2] * size, points[1:, :2].mean(axis=0) * size
        out[row] = start + t.finger_reach * (through - start)
    return out


def _head_out_of_frame(pose: PoseResult, width: int, height: int, t: ParsingTuning) -> np.ndarray | None:
    """Where the pose puts the head (its nose, eyes and ears averaged) when the photo cuts it off
    above the nose: none of them inside the photo, but estimated just beyond its edge."""
    landmarks = pose.blaze_landmarks[list(BLAZE_HEAD)]
    seen = landmarks[:, 3] >= t.geometry_visibility
    inside = (landmarks[:, :2] >= 0.0).all(axis=1) & (landmarks[:, :2] <= 1.0).all(axis=1)
    if not seen.any() or (seen & inside).any():
        return None
    return (landmarks[seen, :2].mean(axis=0) * np.array([width, height], np.float32)).astype(np.float32)


def _person(mask: np.ndarray, keypoints: np.ndarray, t: ParsingTuning) -> np.ndarray:
    binary = (mask >= t.mask_level).astype(np.uint8)
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


@dataclass
class _Frame:
    """The pose at work size: keypoints by name (None when missing), the body's scale and levels."""

    k: dict[str, np.ndarray | None]
    limbs: dict[str, np.ndarray | None]  # ``k`` with knees out of the frame a thigh below their hips
    shoulders: list[np.ndarray]
    hips: list[np.ndarray]
    face_points: list[np.ndarray]
    head_points: list[np.ndarray]
    body: float  # px: the body width
    shoulder_y: float | None
    hip_y: float | None
    neck: np.ndarray | None
    xx: np.ndarray  # px: every pixel's column ...
    yy: np.ndarray  # ... and row


@dataclass
class _Reach:
    """Distances (px) from the pixels to the body's parts, and the torso."""

    arm: np.ndarray  # to the nearer arm, every pixel
    leg: np.ndarray  # to the nearer leg (thighs cut by the frame included), every pixel
    head: np.ndarray  # to the head's centre (inf without a head), every pixel
    head_centre: np.ndarray | None
    torso: np.ndarray  # bool: inside the torso's polygon
    seen_arm_full: np.ndarray  # to the nearer seen arm, every pixel
    seen_arm: np.ndarray  # ... person pixels only
    seen_leg: np.ndarray  # to the nearer seen leg, person pixels only
    hand: np.ndarray  # to the nearer seen forearm and hand (elbow, wrist, fingers), person pixels only


@dataclass
class _Colours:
    """The photo's colour models and where the top garment was learnt."""

    skin: _Model
    top: _Model | None
    hair: _Model | None
    core: np.ndarray  # bool: the torso core the top was learnt from


def parse_small(
    image: np.ndarray,
    mask: np.ndarray,
    keypoints: np.ndarray,
    visible: np.ndarray | None = None,
    tuning: ParsingTuning = TUNING,
    fingers: np.ndarray | None = None,
    head: np.ndarray | None = None,
) -> np.ndarray:
    """Parse a work-sized image; returns (H, W) uint8 ParsingClass labels.

    ``keypoints`` guide the geometry (they may be hidden under clothes); skin is only expected
    near the limbs whose joints are ``visible``. ``fingers`` (2, 2), where the right and the left
    hand's fingers end (-1 where not seen): a hand on the hip or over the garment is arms to its
    fingertips. ``head``: where the head lies when the photo cuts it off (outside the photo), so
    that the chin and mouth below the cut are still face."""
    t = tuning
    height, width = image.shape[:2]
    person = _person(mask, keypoints, t)
    labels = np.zeros((height, width), dtype=np.uint8)
    if not person.any():
        return labels
    lab_image = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    frame = _frame(person, keypoints, t, fingers, head)
    reach = _reach(frame, person, visible, t)
    colours = _colour_models(lab_image, person, frame, reach, visible, t)
    labels[person] = _label_person(lab_image, person, frame, reach, colours, t)
    _hair_apart_from_the_head(labels, frame, t)
    _hair_that_does_not_hang(labels, frame, t)
    # before the garments are split at the waist (a bare midriff is no part of either)
    _torso_skin(labels, lab_image, person, frame, reach, colours, t)
    _lower_garments(labels, lab_image, person, frame, reach, colours.top, t)
    _shoes(labels, lab_image, person, frame, colours.top, t)
    # after the garments are settled (a bare shin taken for a bottom garment is found as legs there)
    _limb_skin(labels, lab_image, frame, reach, colours.top, t)
    _absorb_specks(labels, frame.body, t)
    _legs_inside_garment(labels, frame.body, t)
    return _smooth(labels, person, frame.body, t)


def _frame(
    person: np.ndarray,
    keypoints: np.ndarray,
    t: ParsingTuning,
    fingers: np.ndarray | None,
    head: np.ndarray | None = None,
) -> _Frame:
    height, width = person.shape
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    k = {name: _kp(keypoints, name) for name in KP}
    for row, side in enumerate(("right", "left")):
        seen = fingers is not None and fingers[row, 0] >= 0 and k[f"{side}_wrist"] is not None
        k[f"{side}_fingers"] = fingers[row].astype(np.float32) if seen else None
    rs, ls = k["right_shoulder"], k["left_shoulder"]
    shoulders = [p for p in (rs, ls) if p is not None]
    hips = [p for p in (k["right_hip"], k["left_hip"]) if p is not None]
    face_points = [k[n] for n in ("nose", "right_eye", "left_eye") if k[n] is not None]
    head_points = face_points + [k[n] for n in ("right_ear", "left_ear") if k[n] is not None]
    if not head_points and head is not None:
        face_points = head_points = [head.astype(np.float32)]

    # Body scale: shoulder width, else a fraction of the person's height.
    rows = np.flatnonzero(person.any(axis=1))
    person_h = float(rows[-1] - rows[0] + 1)
    if rs is not None and ls is not None:
        body = max(float(np.hypot(*(rs - ls))), t.body_min_share * person_h)
    else:
        body = t.body_share_no_shoulders * person_h
    shoulder_y = float(np.mean([p[1] for p in shoulders])) if shoulders else None
    hip_y = float(np.mean([p[1] for p in hips])) if hips else None
    if shoulder_y is not None and hip_y is None:
        hip_y = shoulder_y + t.torso_length * body
    neck = k["neck"] if k["neck"] is not None else (shoulders[0] if shoulders else None)

    # A knee out of the frame: the thigh still runs down from the hip to the frame's edge; an ankle
    # out of it: the shin runs on from the knee the way the thigh came.
    limbs = dict(k)
    for side in ("right", "left"):
        hip, knee = limbs[f"{side}_hip"], limbs[f"{side}_knee"]
        if knee is None and hip is not None:
            limbs[f"{side}_knee"] = hip + np.array([0.0, t.thigh_length * body], np.float32)
        elif knee is not None and hip is not None and limbs[f"{side}_ankle"] is None:
            limbs[f"{side}_ankle"] = knee + t.shin_length * (knee - hip)
    return _Frame(
        k=k,
        limbs=limbs,
        shoulders=shoulders,
        hips=hips,
        face_points=face_points,
        head_points=head_points,
        body=body,
        shoulder_y=shoulder_y,
        hip_y=hip_y,
        neck=neck,
        xx=xx,
        yy=yy,
    )


def _reach(frame: _Frame, person: np.ndarray, visible: np.ndarray | None, t: ParsingTuning) -> _Reach:
    k, limbs, xx, yy = frame.k, frame.limbs, frame.xx, frame.yy
    arm_d = _both_limbs(xx, yy, k, "arm", t)
    leg_d = _both_limbs(xx, yy, limbs, "leg", t)
    if frame.head_points:
        head_centre = np.mean(frame.head_points, axis=0)
        head_d = np.hypot(xx - head_centre[0], yy - head_centre[1])
    else:
        head_centre = None
        head_d = np.full(xx.shape, np.inf, np.float32)
    torso_poly = _torso_polygon(k["right_shoulder"], k["left_shoulder"], k["right_hip"], k["left_hip"], t)
    torso = np.zeros(person.shape, np.uint8)
    if torso_poly is not None:
        cv2.fillConvexPoly(torso, torso_poly.astype(np.int32), 1)

    if visible is not None:
        seen = {name: k[name] if visible[KP[name]] else None for name in KP}
        for side in ("right", "left"):
            seen[f"{side}_fingers"] = k[f"{side}_fingers"] if seen[f"{side}_wrist"] is not None else None
        for side in ("right", "left"):
            if k[f"{side}_knee"] is None and seen[f"{side}_hip"] is not None:
                seen[f"{side}_knee"] = limbs[f"{side}_knee"]
            if k[f"{side}_ankle"] is None and seen[f"{side}_knee"] is not None:
                seen[f"{side}_ankle"] = limbs[f"{side}_ankle"]
        seen_arm_full = _both_limbs(xx, yy, seen, "arm", t)
        seen_leg_full = _both_limbs(xx, yy, seen, "leg", t)
    else:
        seen = k
        seen_arm_full, seen_leg_full = arm_d, leg_d
    hand = np.minimum(_forearm_distance(xx, yy, seen, "right", t), _forearm_distance(xx, yy, seen, "left", t))
    return _Reach(
        arm=arm_d,
        leg=leg_d,
        head=head_d,
        head_centre=head_centre,
        torso=torso.astype(bool),
        seen_arm_full=seen_arm_full,
        seen_arm=seen_arm_full[person],
        seen_leg=seen_leg_full[person],
        hand=hand[person],
    )


def _colour_models(
    lab_image: np.ndarray,
    person: np.ndarray,
    frame: _Frame,
    reach: _Reach,
    visible: np.ndarray | None,
    t: ParsingTuning,
) -> _Colours:
    k, body, xx, yy = frame.k, frame.body, frame.xx, frame.yy
    skin = None
    if frame.face_points:
        centre = np.mean(frame.face_points, axis=0)
        if k["nose"] is not None:
            centre = (1.0 - t.face_nose_weight) * centre + t.face_nose_weight * k["nose"]
        radius = max(t.face_min_radius, t.face_radius * body)
        disc = (np.hypot(xx - centre[0], yy - centre[1]) <= radius) & person
        skin = _fit(_robust(lab_image[disc], t), t.skin_clusters, t.skin_floor, t)
    skin = skin or _skin_prior(t)

    # The top garment: the torso core below the neckline (necklines show skin).
    core = _shrink(reach.torso, body * t.core_inset) & person
    if frame.shoulder_y is not None and frame.hip_y is not None:
        core &= yy > frame.shoulder_y + t.neckline_depth * (frame.hip_y - frame.shoulder_y)
    if visible is not None:
        # Hands and forearms held in front of the body are not the garment.
        core &= reach.seen_arm_full > t.core_arm_clearance * body
    top = _fit(lab_image[core], t.top_clusters, t.garment_floor, t)
    if top is not None and len(top.centres) > 1:
        skin_like = skin.distance(top.centres) < t.skin_like_cluster
        if skin_like.any() and not skin_like.all():
            top = _Model(top.centres[~skin_like], top.spread)

    hair = None
    if reach.head_centre is not None:
        top_of_head = (
            (yy < reach.head_centre[1] - t.hair_above_head * body)
            & (reach.head < t.hair_sample_radius * body)
            & person
        )
        samples = lab_image[top_of_head]
        if len(samples):
            samples = samples[skin.distance(samples) > t.hair_unlike_skin]
        hair = _fit(samples, t.hair_clusters, t.hair_floor, t)
    return _Colours(skin=skin, top=top, hair=hair, core=core)


def _label_person(
    lab_image: np.ndarray,
    person: np.ndarray,
    frame: _Frame,
    reach: _Reach,
    colours: _Colours,
    t: ParsingTuning,
) -> np.ndarray:
    """Skin, hair or the top garment for every person pixel (in ``person``'s order): colour
    distance in spreads plus costs for where a class may not be."""
    body, neck, shoulder_y = frame.body, frame.neck, frame.shoulder_y
    lab_person = lab_image[person]
    py = frame.yy[person]
    hd = reach.head[person]
    inf = np.float32(np.inf)
    near_head = hd < t.near_head * body
    above_neck = py < (neck[1] - t.above_neck * body) if neck is not None else np.zeros_like(py, bool)
    head_region = above_neck & near_head
    if reach.head_centre is not None:
        head_region &= np.abs(frame.xx[person] - reach.head_centre[0]) < t.head_half_width * body
    limb_zone = (reach.seen_arm < t.arm_zone * body) | (reach.seen_leg < t.leg_zone * body) | near_head
    if neck is not None:
        limb_zone |= np.hypot(frame.xx[person] - neck[0], py - neck[1]) < t.neck_zone * body

    c_skin = (
        colours.skin.distance(lab_person)
        + np.where(limb_zone, 0.0, t.skin_off_limb_cost)
        + np.where(colours.core[person], t.skin_on_core_cost, 0.0)
    )
    if colours.top is not None:
        c_top = colours.top.distance(lab_person) + np.where(head_region, t.top_on_head_cost, 0.0)
    else:
        c_top = np.full(len(lab_person), t.no_top_cost, np.float32)
    hair_zone = near_head & (
        py < (shoulder_y + t.hair_below_shoulders * body if shoulder_y is not None else inf)
    )
    if colours.hair is not None:
        c_hair = np.where(hair_zone, colours.hair.distance(lab_person) - t.hair_bonus, inf)
    else:
        c_hair = np.full(len(lab_person), inf, np.float32)

    is_skin = (c_skin < t.skin_max_cost) & (c_skin <= c_top) & (c_skin <= c_hair)
    is_hair = ~is_skin & (c_hair < t.hair_max_cost) & (c_hair <= c_top)

    out = np.full(len(lab_person), int(C.UPPER_CLOTHES), np.uint8)
    skin_label = _skin_label(person, frame, reach, t)
    out[is_skin] = skin_label[is_skin]
    out[is_hair] = int(C.HAIR)
    # Above the neck whatever is not skin is hair (or a hat) unless it is clearly the top garment.
    out[head_region & ~is_skin & (c_top > t.head_top_cost)] = int(C.HAIR)
    out[head_region & is_skin] = int(C.FACE)
    # ... but a hand at the chin or the ear, and its forearm, stay arms
    out[head_region & is_skin & (reach.hand < t.hand_at_face * body)] = int(C.ARMS)
    return out


def _skin_label(person: np.ndarray, frame: _Frame, reach: _Reach, t: ParsingTuning) -> np.ndarray:
    """The class skin takes at each person pixel (in ``person``'s order): arms, legs or face."""
    body, shoulder_y, hip_y = frame.body, frame.shoulder_y, frame.hip_y
    py = frame.yy[person]
    ad, ld = reach.arm[person], reach.leg[person]
    below_hips = py > (hip_y if hip_y is not None else np.inf)
    near_arm = ad < t.arm_reach * body
    skin_label = np.where(
        (ad < ld) & near_arm,
        int(C.ARMS),
        np.where(below_hips, int(C.LEGS), np.where(near_arm, int(C.ARMS), int(C.FACE))),
    ).astype(np.uint8)
    # ADGAN's classes have no torso skin: skin on the chest and between the shoulders above it (a
    # neckline, a chest between straps) goes with the face, unless it hugs an arm bone; lower, a bare
    # midriff goes with the arms
    if shoulder_y is not None and hip_y is not None:
        chest = (reach.torso[person] | _between_shoulders(frame, person)) & (
            py < shoulder_y + t.chest_depth * (hip_y - shoulder_y)
        )
        skin_label[chest & (ad >= t.arm_own * body)] = int(C.FACE)
        midriff = reach.torso[person] & ~chest & ~below_hips
        skin_label[midriff] = int(C.ARMS)
    return skin_label


def _limb_skin(
    labels: np.ndarray,
    lab_image: np.ndarray,
    frame: _Frame,
    reach: _Reach,
    top: _Model | None,
    t: ParsingTuning,
) -> None:
    """Skin is learnt from the face, but legs and forearms are lit and tanned unlike it: where a
    print's pale cluster beat the face's skin on a bare thigh or forearm, the limb's own skin (learnt
    from its pixels labelled skin) claims the pixels back."""
    if top is None:
        return
    zone = t.limb_skin_zone * frame.body
    below_hips = frame.yy > frame.hip_y if frame.hip_y is not None else np.zeros(labels.shape, bool)
    size = max(1, round(t.limb_skin_open * frame.body))
    kernel = np.ones((size, size), np.uint8)
    size = max(1, round(t.feet_open * frame.body))
    feet_kernel = np.ones((size, size), np.uint8)
    for limb, near in ((C.LEGS, (reach.leg < zone) & below_hips), (C.ARMS, reach.arm < zone)):
        own = (labels == limb) & near
        if own.sum() < t.limb_skin_min_px:
            continue
        skin = _fit(lab_image[own], t.limb_skin_clusters, t.skin_floor, t)
        candidates = (labels == C.UPPER_CLOTHES) & near
        if skin is None or not candidates.any():
            continue
        lab = lab_image[candidates]
        to_skin = skin.distance(lab)
        like = (to_skin < t.limb_skin_max_cost) & (to_skin + t.limb_skin_margin < top.distance(lab))
        claimed = np.zeros(labels.shape, np.uint8)
        claimed[candidates] = like
        opened = cv2.morphologyEx(claimed, cv2.MORPH_OPEN, kernel) > 0
        ankles = [p[1] for p in (frame.k["right_ankle"], frame.k["left_ankle"]) if p is not None]
        if limb == C.LEGS and ankles:
            # toes and sandal straps are narrower than a stripe, but no dress's print hangs below the feet
            feet = frame.yy > min(ankles) - t.feet_above_ankle * frame.body
            opened |= (cv2.morphologyEx(claimed, cv2.MORPH_OPEN, feet_kernel) > 0) & feet
        labels[_pieces_touching(opened.astype(np.uint8), own)] = int(limb)


def _torso_skin(
    labels: np.ndarray,
    lab_image: np.ndarray,
    person: np.ndarray,
    frame: _Frame,
    reach: _Reach,
    colours: _Colours,
    t: ParsingTuning,
) -> None:
    """Skin on the torso pays for being where the top garment is expected, so a bare midriff under a
    crop top or a chest above a low neckline came out as the top. Pixels there that look like the
    arms' own skin and like none of the top's colours, in smooth pieces joined to skin, are skin."""
    if colours.top is None:
        return
    body = frame.body
    zone = t.limb_skin_zone * body
    arms = (labels == C.ARMS) & (reach.arm < zone)
    skin = (
        _fit(lab_image[arms], t.limb_skin_clusters, t.skin_floor, t)
        if arms.sum() >= t.limb_skin_min_px
        else None
    )
    skin = skin or colours.skin
    grow = max(1, round(t.torso_skin_grow * body))
    torso = cv2.dilate(reach.torso.astype(np.uint8), np.ones((2 * grow + 1, 2 * grow + 1), np.uint8)) > 0
    candidates = (labels == C.UPPER_CLOTHES) & torso & person
    if not candidates.any():
        return
    lab = lab_image[candidates]
    like = (skin.distance(lab) < t.torso_skin_max_cost) & (
        colours.top.distance(lab) > t.torso_skin_unlike_top
    )
    claimed = np.zeros(labels.shape, np.uint8)
    claimed[candidates] = like
    size = max(1, round(t.torso_skin_open * body))
    claimed = cv2.morphologyEx(claimed, cv2.MORPH_OPEN, np.ones((size, size), np.uint8))
    skin_now = np.isin(labels, (C.FACE, C.ARMS, C.LEGS))
    keep = _pieces_touching(claimed, skin_now)
    if keep.any():
        labels[keep] = _skin_label(keep, frame, reach, t)


def _pieces_touching(claimed: np.ndarray, own: np.ndarray) -> np.ndarray:
    """The pixels of ``claimed`` (uint8) in 8-connected pieces that touch ``own`` (bool)."""
    count, pieces = cv2.connectedComponents(claimed | own.astype(np.uint8), connectivity=8)
    touching = np.zeros(count, bool)
    touching[np.unique(pieces[own])] = True
    touching[0] = False
    return (claimed > 0) & touching[pieces]


def _hair_apart_from_the_head(labels: np.ndarray, frame: _Frame, t: ParsingTuning) -> None:
    """Pixels labelled hair wholly below the head, in no piece with the hair on it, are the top's
    collar or upper band (hair over the shoulders hangs from the head's): the top garment."""
    if frame.neck is None:
        return
    hair = (labels == C.HAIR).astype(np.uint8)
    count, pieces, stats, _ = cv2.connectedComponentsWithStats(hair, connectivity=8)
    head_line = frame.neck[1] - t.collar_reach * frame.body
    apart = [i for i in range(1, count) if stats[i, cv2.CC_STAT_TOP] > head_line]
    if apart:
        labels[np.isin(pieces, apart)] = int(C.UPPER_CLOTHES)


def _hair_that_does_not_hang(labels: np.ndarray, frame: _Frame, t: ParsingTuning) -> None:
    """Hair below the chin hangs from the head or from behind the neck in columns; "hair" there in a
    column shorter than ``hair_hang`` (a collar, a neckline band, a shoulder the colour of the hair,
    joined to the hair beside the neck) is the top garment."""
    nose = frame.k["nose"]
    if nose is None:
        return
    hair = labels == C.HAIR
    gap = max(1, round(t.hair_gap * frame.body))
    bridged = cv2.morphologyEx(hair.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((2 * gap + 1, 1), np.uint8))
    bridged = cv2.dilate(bridged, np.ones((1, 2 * gap + 1), np.uint8)).astype(bool)
    chin = nose[1] + t.chin_below_nose * frame.body
    flat = hair & (_vertical_runs(bridged) < t.hair_hang * frame.body) & (frame.yy > chin)
    labels[flat] = int(C.UPPER_CLOTHES)


def _vertical_runs(mask: np.ndarray) -> np.ndarray:
    """Per pixel of ``mask``, the height of the unbroken vertical run of ``mask`` it is in (0 off it)."""
    edges = np.diff(np.pad(mask, ((1, 1), (0, 0))).astype(np.int8), axis=0).T
    starts = np.argwhere(edges == 1)  # (column, row), ordered by column then row
    ends = np.argwhere(edges == -1)
    out = np.zeros(mask.shape, np.int32)
    for (column, top), (_, bottom) in zip(starts, ends, strict=True):
        out[top:bottom, column] = bottom - top
    return out


def _between_shoulders(frame: _Frame, person: np.ndarray) -> np.ndarray:
    """Person pixels (in ``person``'s order) between the shoulder joints' columns, above their line."""
    if len(frame.shoulders) < 2 or frame.shoulder_y is None:
        return np.zeros(int(person.sum()), bool)
    left, right = sorted(float(p[0]) for p in frame.shoulders)
    xs, ys = frame.xx[person], frame.yy[person]
    return (xs > left) & (xs < right) & (ys <= frame.shoulder_y)


def _lower_garments(
    labels: np.ndarray,
    lab_image: np.ndarray,
    person: np.ndarray,
    frame: _Frame,
    reach: _Reach,
    top: _Model | None,
    t: ParsingTuning,
) -> None:
    """The bottom garment: below a waistline when there is one, else where it differs from the top
    on the thighs and shins, else trousers the colour of the top."""
    garment = person & (labels == C.UPPER_CLOTHES)
    body, shoulder_y, hip_y, yy = frame.body, frame.shoulder_y, frame.hip_y, frame.yy
    split = None
    if shoulder_y is not None and hip_y is not None:
        band = (
            garment
            & (reach.seen_arm_full > t.waist_band_arm_clearance * body)
            & _torso_band(frame.xx, yy, frame.neck, frame.hips, body, t)
        )
        split, change = _waist_split(lab_image, band, shoulder_y, hip_y, body, t)
        # one piece across the legs (a dress, or a skirt) needs a clearer change than trousers
        _gap, spans_legs = _leg_votes(garment & (yy > hip_y), frame.k, t)
        if split is not None and change < (
            t.waist_min_change_one_piece if spans_legs else t.waist_min_change
        ):
            split = None
    if split is not None:
        _split_garments(labels, lab_image, garment, band, split, frame, t)
    else:
        _bottom_garment(labels, lab_image, garment, top, frame, t)
        if hip_y is not None and not np.isin(labels, (C.PANTS, C.SKIRT)).any():
            _same_colour_trousers(labels, garment, frame, t)


def _legs_inside_garment(labels: np.ndarray, body: float, t: ParsingTuning) -> None:
    """Legs are not above a dress's hem: "skin" with the same dress or skirt both just above and
    just below it (a border print of skin-like colours) is that garment."""
    reach = max(t.hem_min_px, round(t.hem_reach * body))
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
        wrapped = enclosed >= t.hem_enclosed * np.maximum(size, 1)
        wrapped[0] = False
        labels[wrapped[parts]] = int(garment)


def _absorb_specks(labels: np.ndarray, body: float, t: ParsingTuning) -> None:
    """Small patches of skin classes inside one garment (skin-like bits of a print) join it."""
    skin = np.isin(labels, (C.FACE, C.ARMS, C.LEGS)).astype(np.uint8)
    count, parts, stats, _ = cv2.connectedComponentsWithStats(skin, connectivity=8)
    limit = t.speck_area * body * body
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
        if around.size and garments.mean() >= t.speck_surrounded:
            values, counts = np.unique(around[garments], return_counts=True)
            labels[y0:y1, x0:x1][patch] = values[np.argmax(counts)]


def _torso_band(xx, yy, neck, hips: list[np.ndarray], body: float, t: ParsingTuning) -> np.ndarray:
    """The middle of the body along its vertical axis (neck to hip centre and on down)."""
    if neck is None or not hips:
        return np.zeros(xx.shape, bool)
    hip = np.mean(hips, axis=0)
    axis = hip - neck
    if abs(axis[1]) < 1e-3:
        return np.zeros(xx.shape, bool)
    centre_x = neck[0] + (yy - neck[1]) * axis[0] / axis[1]
    return np.abs(xx - centre_x) < t.band_half_width * body


def _waist_split(
    lab_image, band, shoulder_y: float, hip_y: float, body: float, t: ParsingTuning
) -> tuple[float | None, float]:
    """The row where the top garment ends and a different bottom garment may start, and how much
    the garment changes there (None, 0 when nothing can be compared).

    Along the torso's axis the garment's median colour (and its texture, the spread of its
    lightness) above and below each candidate row are compared; the strongest change between
    the lower chest and the upper thighs wins."""
    height = band.shape[0]
    window = max(t.waist_min_window_px, round(t.waist_window * body))
    start = round(shoulder_y + t.waist_search_from * (hip_y - shoulder_y))
    stop = min(height - window, round(hip_y + t.waist_search_below * body))
    if stop <= start:
        return None, 0.0
    # a sample of each row's pixels and of the candidate rows: the medians hardly move
    rows = [lab_image[y][band[y]][:: t.waist_pixel_step] for y in range(height)]
    min_rows = window // t.waist_rows_divisor
    best, best_y = 0.0, None
    scale = np.array(t.waist_scale, np.float32)
    for y in range(start, stop, t.waist_row_step):
        above = [r for r in rows[y - window : y] if len(r)]
        below = [r for r in rows[y : y + window] if len(r)]
        if len(above) < min_rows or len(below) < min_rows:
            continue
        a, b = np.concatenate(above), np.concatenate(below)
        if len(a) < t.waist_min_pixels or len(b) < t.waist_min_pixels:
            continue
        ma, mb = np.median(a, 0), np.median(b, 0)
        # a print varies within each window: its change counts against that variation
        spread = np.maximum(scale, MAD_TO_SIGMA * np.median(np.abs(np.concatenate([a - ma, b - mb])), 0))
        colour = float(np.sqrt((((ma - mb) / spread) ** 2).sum()))
        texture = abs(float(a[:, 0].std() - b[:, 0].std())) / t.waist_texture_scale
        score = colour + t.waist_texture_weight * texture
        if score > best:
            best, best_y = score, y
    if _DEBUG:
        print("waist", dict(y=best_y, change=round(best, 2)))
    return (float(best_y) if best_y is not None else None), best


def _open(mask: np.ndarray, t: ParsingTuning) -> np.ndarray:
    kernel = np.ones((t.open_size, t.open_size), np.uint8)
    return cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, kernel) > 0


def _split_garments(labels, lab_image, garment, band, split, frame: _Frame, t: ParsingTuning) -> None:
    """A top above ``split`` and a different bottom garment below: colour models from each side."""
    k, body, hip_y, yy = frame.k, frame.body, frame.hip_y, frame.yy
    margin = t.waist_margin * body
    top = _fit(lab_image[band & (yy < split - margin)], t.split_clusters, t.garment_floor, t)
    below = band & (yy > split + margin) & (yy < split + t.split_bottom_depth * body)
    bottom = _fit(lab_image[below], t.split_clusters, t.garment_floor, t)
    if top is None or bottom is None:
        return
    lower = garment & (yy >= split - margin)
    lab_lower = lab_image[lower]
    d_top = top.distance(lab_lower)
    d_bottom = bottom.distance(lab_lower)
    # Below the waist the bottom garment is the rule, the top's hem the exception.
    d_top = d_top + np.where(yy[lower] > split + margin, t.bottom_bias, 0.0)
    mask = np.zeros(labels.shape, bool)
    mask[lower] = d_bottom < d_top
    mask = _open(mask, t)
    # The top hangs down from above the waist: top-coloured islands inside the bottom garment
    # (the light parts of a print) belong to the bottom.
    _count, parts = cv2.connectedComponents((garment & ~mask).astype(np.uint8), connectivity=8)
    from_above = np.unique(parts[(yy < split - margin) & garment & ~mask])
    islands = ~np.isin(parts, from_above) & garment & ~mask & (yy > split)
    ankles = [p[1] for p in (k["right_ankle"], k["left_ankle"]) if p is not None]
    if ankles:
        islands &= yy < min(ankles) - t.islands_above_ankles * body  # not the shoes
    mask |= islands
    if mask.sum() < t.min_bottom_share * garment.sum():
        return
    label = _bottom_kind(mask, garment, k, body, max(hip_y, split), t)
    labels[mask] = label if label is not None else int(C.PANTS)


def _same_colour_trousers(labels, garment, frame: _Frame, t: ParsingTuning) -> None:
    """Trousers the colour of the top: the garment parts into two legs below the hips."""
    lower = garment & (frame.yy > frame.hip_y + t.same_colour_waist * frame.body)
    if lower.sum() < t.same_colour_min_share * garment.sum():
        return
    label = _bottom_kind(lower, garment, frame.k, frame.body, frame.hip_y, t, trousers_only=True)
    if label == C.PANTS:
        labels[lower] = int(C.PANTS)


def _both_limbs(xx, yy, k: dict, limb: str, t: ParsingTuning) -> np.ndarray:
    return np.minimum(_limb_distance(xx, yy, k, "right", limb, t), _limb_distance(xx, yy, k, "left", limb, t))


def _limb_distance(xx, yy, k: dict, side: str, limb: str, t: ParsingTuning) -> np.ndarray:
    if limb == "arm":
        chain = [k[f"{side}_shoulder"], k[f"{side}_elbow"], k[f"{side}_wrist"]]
        chain.append(_extend(chain[1], chain[2], t.hand_reach))
        wrist, fingers = chain[2], k.get(f"{side}_fingers")
        if wrist is not None and fingers is not None:
            hand = _segment_distance(xx, yy, wrist, fingers).astype(np.float32)
            return np.minimum(_chain_distance(xx, yy, chain), hand)
    else:
        chain = [k[f"{side}_hip"], k[f"{side}_knee"], k[f"{side}_ankle"]]
        chain.append(_extend(chain[1], chain[2], t.foot_reach))
    return _chain_distance(xx, yy, chain)


def _forearm_distance(xx, yy, k: dict, side: str, t: ParsingTuning) -> np.ndarray:
    """To the forearm and the hand: elbow, wrist, and the fingertips (else the wrist's reach)."""
    elbow, wrist = k[f"{side}_elbow"], k[f"{side}_wrist"]
    if wrist is None:
        return np.full(xx.shape, np.inf, np.float32)
    fingers = k.get(f"{side}_fingers")
    end = fingers if fingers is not None else _extend(elbow, wrist, t.hand_reach)
    return _chain_distance(xx, yy, [elbow, wrist, end])


def _extend(a: np.ndarray | None, b: np.ndarray | None, fraction: float) -> np.ndarray | None:
    if a is None or b is None:
        return None
    return b + (b - a) * fraction


def _robust(samples: np.ndarray, t: ParsingTuning) -> np.ndarray:
    """Drop the darkest and brightest face pixels (eyes, brows, highlights) before fitting skin."""
    if len(samples) < t.skin_clip_min_samples:
        return samples
    lo, hi = np.percentile(samples[:, 0], t.skin_percentiles)
    return samples[(samples[:, 0] >= lo) & (samples[:, 0] <= hi)]


def _torso_polygon(rs, ls, rh, lh, t: ParsingTuning) -> np.ndarray | None:
    if rs is None or ls is None:
        return None
    if rh is None or lh is None:
        down = np.array([0.0, t.torso_length * float(np.hypot(*(rs - ls)))], np.float32)
        rh, lh = rs + down, ls + down
    return np.array([rs, ls, lh, rh], np.float32)


def _shrink(region: np.ndarray, amount: float) -> np.ndarray:
    size = max(1, round(amount))
    return cv2.erode(region.astype(np.uint8), np.ones((2 * size + 1, 2 * size + 1), np.uint8)) > 0


def _leg_samples(lab_image, garment, frame: _Frame, part: str, t: ParsingTuning) -> np.ndarray:
    """Garment pixels along both thighs (from a little below the hips) or both shins."""
    k, body = frame.k, frame.body
    thickness = max(t.leg_probe_min_px, int(t.leg_probe_width * body))
    region = np.zeros(garment.shape, np.uint8)
    for side in ("right", "left"):
        hip, knee = k[f"{side}_hip"], k[f"{side}_knee"]
        if part == "thigh" and hip is not None and knee is None:
            knee = hip + np.array([0.0, t.thigh_length * body], np.float32)  # cut off: a thigh's length
        a, b = (hip, knee) if part == "thigh" else (knee, k[f"{side}_ankle"])
        if a is None or b is None:
            continue
        if part == "thigh":
            a = a + (b - a) * t.thigh_probe_from
        cv2.line(region, tuple(int(v) for v in a), tuple(int(v) for v in b), 1, thickness)
    return lab_image[(region > 0) & garment]


def _bottom_garment(labels, lab_image, garment, top, frame: _Frame, t: ParsingTuning) -> None:
    """Find a bottom garment that differs from the top, then call it pants or skirt."""
    k, body, hip_y, yy = frame.k, frame.body, frame.hip_y, frame.yy
    if hip_y is None:
        return
    candidates = []
    for part in ("thigh", "shin"):
        samples = _leg_samples(lab_image, garment, frame, part, t)
        if len(samples) < t.bottom_min_samples:
            continue
        far = top.distance(samples) > t.bottom_far if top is not None else np.ones(len(samples), bool)
        if far.mean() >= t.bottom_far_share:
            candidates.append(samples[far])
    if not candidates:
        return  # the lower body wears the top's garment: a dress or a long top
    bottom = _fit(np.concatenate(candidates), t.bottom_clusters, t.garment_floor, t)
    if bottom is None:
        return
    lower_garment = garment & (yy > hip_y - t.bottom_above_hips * body)
    lab_lower = lab_image[lower_garment]
    d_bottom = bottom.distance(lab_lower)
    d_top = top.distance(lab_lower) if top is not None else np.full(len(lab_lower), np.inf)
    bottom_mask = np.zeros(labels.shape, bool)
    bottom_mask[lower_garment] = (d_bottom < d_top) & (d_bottom < t.bottom_max_cost)
    bottom_mask = _open(bottom_mask, t)
    if bottom_mask.sum() < t.min_bottom_share * garment.sum():
        return
    label = _bottom_kind(bottom_mask, garment, k, body, hip_y, t)
    knees = [p[1] for p in (k["right_knee"], k["left_knee"]) if p is not None]
    ys = np.nonzero(bottom_mask)[0]
    starts_below_knees = bool(knees and ys.size and np.percentile(ys, t.bottom_start_percentile) > max(knees))
    boots = starts_below_knees and _below_bare_skin(labels, lab_image, bottom_mask, bottom, body, t)
    if label is not None and boots:
        label = int(C.LEGS)  # boots or socks under a dress: bare legs between hem and shoe
    if (
        label == C.PANTS
        and ys.size
        and np.percentile(ys, t.bottom_start_percentile) > hip_y + t.long_top_hem * body
    ):
        # trousers under a long top cover the legs below its hem; patches among mostly bare
        # skin there are shadows, tights or shoes on bare legs
        rows = slice(
            int(np.percentile(ys, t.bottom_start_percentile)),
            int(np.percentile(ys, t.bottom_end_percentile)) + 1,
        )
        if bottom_mask[rows].sum() < (labels[rows] == C.LEGS).sum():
            label = int(C.LEGS)
    if label is not None:
        labels[bottom_mask] = label


def _below_bare_skin(
    labels: np.ndarray, lab_image, mask: np.ndarray, model: _Model, body: float, t: ParsingTuning
) -> bool:
    """Whether the pixels just above the mask's top edge are mostly bare legs (skin of another
    colour than the garment: light trousers partly taken for skin do not count)."""
    step = max(t.boot_gap_min_px, round(t.boot_gap * body))
    above = np.zeros_like(mask)
    above[:-step] = mask[step:]
    above &= ~mask & (labels > 0)
    if not above.any():
        return False
    skin = above & (labels == C.LEGS)
    bare = skin.sum() / above.sum()
    unlike = (model.distance(lab_image[skin]) > t.boot_unlike_cost).mean() if skin.any() else 0.0
    if _DEBUG:
        print("boots", dict(bare=round(float(bare), 2), unlike=round(float(unlike), 2)))
    return bool(bare > t.boot_bare_share and unlike > t.boot_unlike_share)


def _bottom_kind(
    bottom: np.ndarray,
    garment: np.ndarray,
    k: dict,
    body: float,
    hip_y: float,
    t: ParsingTuning,
    trousers_only: bool = False,
) -> int | None:
    """PANTS, SKIRT, or None when the 'bottom' is only a band of the top garment (a dress's border).

    Trousers leave a gap between the legs or end narrow around both ankles; a skirt spans both
    legs in one piece. A bottom garment that does not reach the waist is trousers under a long
    top when it looks like trousers, otherwise part of the top garment."""
    ra, la = k["right_ankle"], k["left_ankle"]
    rh, lh = k["right_hip"], k["left_hip"]
    height = bottom.shape[0]
    waist_rows = slice(
        max(0, int(hip_y - t.waist_rows_above * body)), min(height, int(hip_y + t.waist_rows_below * body))
    )
    waist_garment = garment[waist_rows].sum()
    at_waist = waist_garment > 0 and bottom[waist_rows].sum() > t.at_waist_share * waist_garment
    if rh is None or lh is None:
        return int(C.PANTS) if at_waist else None
    gap_votes, skirt_votes = _leg_votes(bottom, k, t)
    narrow_at_ankles = reaches_ankles = False
    if ra is not None and la is not None:
        y = round(min(ra[1], la[1]) - t.ankle_probe * body)
        if 0 <= y < height:
            cols = np.flatnonzero(bottom[y])
            span = abs(float(ra[0] - la[0])) + t.ankle_span_extra * body
            reaches_ankles = cols.size > 0
            narrow_at_ankles = cols.size > 0 and (cols[-1] - cols[0] + 1) < t.narrow_hem * span
    if _DEBUG:
        print("bottom", dict(at_waist=at_waist, skirt=skirt_votes, gap=gap_votes, narrow=narrow_at_ankles))
    if trousers_only:
        # same colour as the top: only two clearly separate legs say trousers (not a dress)
        return int(C.PANTS) if gap_votes >= t.same_colour_gap_votes and gap_votes > skirt_votes else None
    if gap_votes > 0 or narrow_at_ankles:
        return int(C.PANTS)
    if not at_waist:
        return None
    # Skirt evidence: one piece across the legs that ends in a hem above the ankles, or a long
    # skirt wide around the ankles. Legs together in trousers cut by the frame stay trousers.
    rows = np.flatnonzero(bottom.any(axis=1))
    ankle_ys = [a[1] for a in (ra, la) if a is not None and a[1] < height]
    hem_visible = bool(rows.size and ankle_ys and rows[-1] < min(ankle_ys) - t.hem_above_ankles * body)
    if skirt_votes > 0 and (hem_visible or reaches_ankles):
        return int(C.SKIRT)
    return int(C.PANTS)


def _leg_votes(mask: np.ndarray, k: dict, t: ParsingTuning) -> tuple[int, int]:
    """Rows across both thighs and shins: (the mask leaves a gap between the legs, it spans them)."""
    rk, lk, ra, la = k["right_knee"], k["left_knee"], k["right_ankle"], k["left_ankle"]
    rh, lh = k["right_hip"], k["left_hip"]
    height = mask.shape[0]
    pairs = []
    # thighs from just below the crotch (shorts end there), shins down to above the ankles
    for (t_lo, t_hi), a0, a1, b0, b1 in (
        (t.thigh_probe_span, rh, rk, lh, lk),
        (t.shin_probe_span, rk, ra, lk, la),
    ):
        if a0 is None or a1 is None or b0 is None or b1 is None:
            continue
        for share in np.linspace(t_lo, t_hi, t.probe_rows):
            pairs.append((a0 + (a1 - a0) * share, b0 + (b1 - b0) * share))
    gap_votes = skirt_votes = 0
    edge_parts, middle_parts = t.leg_edge_parts, t.leg_middle_parts
    for right, left in pairs:
        y = round((right[1] + left[1]) / 2)
        x0, x1 = sorted((round(right[0]), round(left[0])))
        if not 0 <= y < height or x1 - x0 < t.leg_min_apart_px:
            continue
        row = mask[y, max(0, x0) : x1 + 1]
        edge = max(1, len(row) // edge_parts)
        if not (row[:edge].any() and row[-edge:].any()):
            continue  # the garment does not reach both legs here
        middle = row[
            len(row) // middle_parts : max(
                len(row) // middle_parts + 1, (middle_parts - 1) * len(row) // middle_parts
            )
        ]
        if middle.all():
            skirt_votes += 1
        elif middle.mean() < t.gap_share:
            gap_votes += 1
    return gap_votes, skirt_votes


def _shoes(labels, lab_image, person, frame: _Frame, top, t: ParsingTuning) -> None:
    """Around and below the ankles, whatever is not the top garment's colour is a shoe (class legs)."""
    xx, yy = frame.xx, frame.yy
    for side in ("right", "left"):
        ankle, knee = frame.k[f"{side}_ankle"], frame.k[f"{side}_knee"]
        if ankle is None:
            continue
        shin = float(np.hypot(*(ankle - knee))) if knee is not None else frame.body
        around = (np.hypot(xx - ankle[0], yy - ankle[1]) < t.shoe_radius * shin) & (
            yy > ankle[1] - t.shoe_top * shin
        )
        below = (np.abs(xx - ankle[0]) < t.shoe_radius * shin) & (yy > ankle[1])
        zone = person & (around | (below & (yy < ankle[1] + t.shoe_depth * shin)))
        current = labels[zone]
        garment = (current == C.UPPER_CLOTHES) | (current == C.SKIRT) | (current == C.PANTS)
        ankle_ring = (
            person
            & (np.abs(xx - ankle[0]) < t.ankle_ring_half_width * shin)
            & (yy > ankle[1] - t.ankle_ring_top * shin)
            & (yy < ankle[1] - t.shoe_top * shin)
        )
        if ankle_ring.any() and (labels[ankle_ring] == C.LEGS).mean() > t.bare_ankle_share:
            # a bare ankle: whatever garment is below it is the shoe
            current[garment & (yy[zone] > ankle[1] - t.shoe_below_bare_ankle * shin)] = int(C.LEGS)
            labels[zone] = current
            continue
        if top is not None:
            garment &= top.distance(lab_image[zone]) > t.shoe_unlike_top
        if _shoe_below_trousers(labels, lab_image, zone, current, ankle, shin, frame, t):
            continue
        if (current == C.PANTS).mean() > t.trouser_hem_share:
            continue
        current[garment] = int(C.LEGS)
        labels[zone] = current


def _shoe_below_trousers(
    labels, lab_image, zone, current, ankle, shin: float, frame: _Frame, t: ParsingTuning
) -> bool:
    """Trousers down to the shoes: below the ankle the top cannot be, and what is unlike the
    trousers is the shoe. False (nothing changed) when no trousers end above this ankle."""
    xx, yy = frame.xx, frame.yy
    shin_band = (
        (labels == C.PANTS)
        & (np.abs(xx - ankle[0]) < t.shin_band_half_width * shin)
        & (yy > ankle[1] - t.shin_band_top * shin)
        & (yy < ankle[1] - t.shin_band_bottom * shin)
    )
    trousers = _fit(lab_image[shin_band], t.trouser_clusters, t.garment_floor, t)
    if trousers is None:
        return False
    low = np.isin(current, (C.PANTS, C.UPPER_CLOTHES, C.SKIRT)) & (yy[zone] > ankle[1])
    unlike = (current[low] != C.PANTS) | (trousers.distance(lab_image[zone][low]) > t.shoe_unlike_trousers)
    low[low] = unlike
    current[low] = int(C.LEGS)
    labels[zone] = current
    return True


def _smooth(labels: np.ndarray, person: np.ndarray, body: float, t: ParsingTuning) -> np.ndarray:
    """Majority filter: blur one-hot planes and take the argmax inside the person."""
    size = max(t.smooth_min_px, int(t.smooth_size * body) | 1)
    planes = np.stack(
        [cv2.blur((labels == c).astype(np.float32), (size, size)) for c in range(len(C))], axis=0
    )
    planes[0] = -1.0
    smoothed = planes.argmax(axis=0).astype(np.uint8)
    smoothed[~person] = int(C.BACKGROUND)
    return smoothed


__all__ = ["BASE_VERSION", "TUNING", "HeuristicParser", "ParsingTuning", "parse_small"]
