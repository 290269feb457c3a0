"""Garment layers to warp: cut from an on-model photo, or a flat packshot with landmarks."""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

import cv2
import numpy as np

from ml.errors import CannotRender
from ml.garments import garment_shape
from ml.garments.mask import clean_binary_mask, fill_holes, main_parts, smooth_upscale
from ml.kinds import KIND_CLASSES
from ml.render.warp import mirror as warp_mirror
from ml.render.warp import sleeves as warp_sleeves
from ml.render.warp.body import (
    ARM_GROUPS,
    LEG_GROUPS,
    body_skeleton,
    photo_groups,
    push_pull,
)
from ml.render.warp.geometry import (
    BONES,
    Frame,
    Group,
    Part,
    Seam,
    Skeleton,
    blend_map,
    bone_affine,
    frame_affine,
    invert,
    mirror_affine,
    segment_distance,
    side_extent,
    transform_points,
)
from ml.render.warp.hair import recovered_hair
from ml.render.warp.texture import normalised_blur, textured_fill
from ml.types import GarmentKind, Packshot, PhotoAnalysis
from ml.types import ParsingClass as C


@dataclass(frozen=True)
class SourceTuning:
    """Garment layers (cut from on-model photos, or packshots) and how their parts map onto the
    shopper. Lengths in the shopper's shoulder spans unless said otherwise."""

    blend_sigma: float = 0.22  # a group's bone maps blend with the torso's over about this distance
    min_garment: float = 0.004  # share of an on-model photo its garment must cover to be cut out
    # a garment across this share of its widest row on the photo's lowest rows runs on past the photo:
    # its length is unknown (drawn to the photo's edge it ended in a hard line at her hips) ...
    cut_off_share: float = 0.3
    cut_off_rows: int = 3  # ... those rows
    occlusion_height: int = 200  # px: garment under hands, arms and hair is filled on a copy this tall ...
    occlusion_close: int = 15  # ... its holes found by closing the garment with a kernel this wide ...
    # ... and the arms and hands in front of it across its outline bridged by closing it along the
    # rows and the columns over this many of the product model's shoulder spans (a forearm across
    # its side, a hand on the hip) ...
    occlusion_bridge: float = 0.6
    occlusion_rim_rows: int = 140  # ... and the garment's mixed pixels along a filled hand or arm
    # (1 px per this many photo rows) filled with it
    occlusion_inset: int = 3  # ... filled from the garment eroded by a kernel this wide ...
    occlusion_min_inset: int = 10  # ... unless fewer pixels than this are left (then the whole garment)
    zone_rounding: float = 0.8  # ... and the filled zone's outline rounded over this many small-copy px
    cut_softness: float = 0.6  # px: an on-model garment's cut-out edge blur
    # an on-model garment laid on her photo at its own scale or enlarged (her shoulder span this many
    # times the product model's or more: a 560-row product photo on a 1,024-row one, warp-102; near
    # 1:1, warp-103) reads as a blurred print beside her photo's grain (the bilinear warp's samples
    # between pixels average them); its opaque inside is sharpened in its own pixels first (the
    # reviewers chose the crisper print on 153 of the 156 choices of the third warp-102 candidate's
    # review). Shrunk further onto her it is sampled sparsely and stays crisp.
    sharpen_from: float = 0.9
    sharpen_amount: float = 1.0  # the unsharp mask's strength ...
    sharpen_sigma: float = 0.8  # ... and its blur, in the product photo's px
    sharpen_opaque: float = 0.99  # ... on its pixels at least this opaque (its outline stays as it is)
    # the garment under the model's long hair is its mirror image across her body's axis, taken
    # this far (shoulder spans) inside the mirrored garment's outline ...
    mirror_inset: float = 0.02
    mirror_min_share: float = 0.002  # ... when the hair hides at least this share of the garment
    weights_height: int = 160  # px: the bones' shares of a limb are computed on a copy this tall
    joint_blend: float = 0.05  # width of the cross-fade between two bones of a packshot's sleeve
    # ... and of a limb cut from an on-model photo: where the product model's elbow and the
    # shopper's bend apart, the two bones' copies of the cross-fade land apart and each drew its
    # share of the sleeve half-transparent ("ghostly translucent sleeve", fragments beside her arm)
    model_joint_blend: float = 0.01
    # a packshot sleeve over an elbow bent more than this (radians between upper arm and forearm) is
    # cut at the bend's bisector instead (a mitred fold inside it, a round cap outside): cross-faded
    # in the packshot, its forearm's share reached back past the elbow and, turned with the forearm,
    # stood off her arm as a flap beside the elbow ("sleeve floats stiffly off the arm")
    bent_elbow: float = 0.5
    elbow_cap: float = 1.0  # the cap's radius: this many of the sleeve's half-widths at its cuff
    # an on-model garment's body is widened until it covers the body of her old top or dress from
    # side to side at these levels (shares of her torso, shoulders to hips): mapped by the two bodies'
    # frames alone, a slim product model's dress came out narrower than a broader shopper's old top,
    # whose sides were then painted as skin beside it ("skin-coloured strips beside the body") ...
    cover_levels: tuple[float, ...] = (0.4, 0.6, 0.8)
    cover_ease: float = 1.03  # ... with this ease ...
    max_widen: float = 1.3  # ... by at most this factor
    cover_blend: float = 0.5  # the levels' widths blend over this share of their spacing
    sleeve_cap: float = 0.3  # a sleeve whose arm the photo lacks is cut this far from the shoulder ...
    cap_fade: float = 0.08  # ... fading out over this distance
    # an on-model sleeve is sewn to the garment's body (as a packshot's, warp-56): the product
    # model's armpit is this share of the way from her shoulder joint down to her hip ...
    armhole_depth: float = 0.35
    armhole_seam: float = 0.5  # ... on this upper share of her armhole the torso's map holds ...
    armhole_seam_reach: float = 0.25  # ... handing over to the upper arm's over this distance
    # ... when her upper arm hangs within this many degrees of her torso's axis (beside a raised
    # arm the armhole's outside is background, and the torso's map drew a notch there)
    armhole_max_angle: float = 50.0
    # a long sleeve's forearm hanging against a dress's skirt is parsed one piece with it, and by
    # distance it went with the torso: on her the forearm's sleeve stayed beside her hip and her
    # bare forearm came out of a sleeve ending at the elbow, a cuff floating by her hand. Garment
    # this close to the product model's forearm bone (between elbow and wrist) is drawn with her
    # forearm as well (and stays with the body, where it also is) ...
    forearm_sleeve_reach: float = 0.1
    # ... when the upper arm's sleeve reaches the elbow (its garment covers this share of a disc of
    # that radius about the elbow) ...
    sleeved_elbow: float = 0.3
    # ... and the forearm is covered (no more than this share of the band is the model's bare arm)
    bare_forearm: float = 0.2
    min_mask: int = 16  # px: a packshot mask this small is taken as it is (no clean-up)
    rim_per_px: int = 400  # a packshot's rim is eroded by 1 px per this many px of its size (at least 1) ...
    rim_softness: float = 0.25  # ... and feathered by this many rims
    rim_fill_pad: int = 4  # px: the rim's colours are filled within the garment's box grown by this
    cap_above_shoulder: float = 0.02  # share of the packshot's height a sleeve reaches above its shoulder
    sleeve_cap_in: float = 0.25  # the sleeve piece starts this far inside the shoulder seam (armhole depths)
    leg_root_depth: float = 0.55  # trouser legs start this share of the way down from waist to crotch ...
    leg_root_across: float = 0.45  # ... a leg hanging this share of the way from its waist side to the crotch
    neckline_up: float = 0.06  # a top's shoulder line sits this far above the shopper's shoulder joints
    shoulders_per_chest: float = 1.1  # a cut's shoulders counted at least this many chest widths apart
    shoulder_ease: float = 1.08  # a top's shoulders this many times the shopper's shoulder span
    chest_ease: float = 1.05  # a top's chest at least this many times the shopper's torso width ...
    max_chest_stretch: float = 1.25  # ... at most this many times its length scale
    waist_level: float = 0.8  # a bottom's waistband this many torso lengths below the shoulders
    default_hips: float = 0.8  # hip joints this far apart when the photo does not show both
    waist_per_hips: tuple[float, float] = (1.6, 2.1)  # a bottom's waistband, in hip-joint distances
    hip_ease: float = 1.08  # a packshot bottom's hips are at least this many times the shopper's hips ...
    max_hip_stretch: float = 1.5  # ... at most this many times its length scale
    hip_scan: float = 1.5  # the shopper's hips are scanned this many hip-joint distances out ...
    hip_scan_extra: float = 2.0  # ... plus this many px
    hip_from_joints: float = 1.75  # hip width over the hip joints' distance (a shopper in a skirt or dress)
    hip_line_skirt: float = 0.33  # a skirt's hips are measured this share of the way from waist to hem
    # a sleeve hangs along the line from its shoulder to this share of the way from its cuff's middle
    # to its outer corner (1: its top edge, which a worn sleeve lays along the outside of the arm)
    sleeve_line: float = 1.0
    sleeve_offset: float = 0.35  # a raised arm's sleeve starts this far from the joint towards the seam
    min_sleeve_angle: float = 0.2  # radians: a packshot sleeve counted at least this far from vertical
    default_upper_limb: float = 0.9  # an upper limb the shopper photo lacks: this long, down the torso
    full_leg: float = 0.8  # a trouser leg this share of the shopper's leg long follows the whole leg
    upper_limb_only: float = 1.05  # a sleeve or leg up to this many upper limbs long lies on it alone
    min_cuff: float = 0.25  # a sleeve opening narrower than this share of its armhole was cut by the frame
    sleeve_ease: float = 1.15  # a packshot sleeve is at least this many times the shopper's arm (or sleeve)
    limb_reach: float = 0.2  # the shopper's limb width is scanned this far to each side of the bone ...
    limb_steps: int = 41  # ... in this many steps ...
    limb_samples: tuple[float, ...] = (0.35, 0.5, 0.65)  # ... here along the bone
    leg_ease: float = 1.12  # a packshot trouser leg is at least this many times as wide as the shopper's leg
    leg_samples: tuple[float, ...] = (0.3, 0.5, 0.7)  # where along a leg bone its width is measured
    max_leg_half: float = 0.3  # the shopper's leg counted at most this wide on a side ...
    leg_scan: float = 0.45  # ... scanned this far out
    min_leg_scale: float = 0.55  # a trouser leg at most 1 / this times wider than the garment's scale


TUNING = SourceTuning()
# on-model garments whose body is widened to cover the shopper's old top (:meth:`OnModelSource._widening`)
COVERING_KINDS = (GarmentKind.TOP, GarmentKind.OUTERWEAR, GarmentKind.DRESS)
MIRRORED = "mirrored:"  # the key prefix of the mirrored sleeves' bone weights
LIMBS: dict[Group, tuple[str, str]] = {
    Group.RIGHT_ARM: ("right_upper_arm", "right_forearm"),
    Group.LEFT_ARM: ("left_upper_arm", "left_forearm"),
    Group.RIGHT_LEG: ("right_thigh", "right_shin"),
    Group.LEFT_LEG: ("left_thigh", "left_shin"),
}


@dataclass
class Piece:
    """One warp of part of a layer: the pixels of ``group`` times ``weight`` (all when None) under ``part``.

    The weights of the pieces of one group add up to one on every pixel, so pieces of a group are
    summed (a cross-fade at the joints), while groups are laid over each other.
    """

    group: Group
    part: Part
    weight: np.ndarray | None = None  # (H, W) float32 in 0..1 in the layer's pixels
    grow: np.ndarray | None = None  # (H, W) bool: layer pixels a limb group is grown over as well
    keep: JointSide | None = None  # the shopper's pixels it may cover, when not all


@dataclass(frozen=True)
class JointSide:
    """One bone's side of a bent joint, in the shopper's pixels: the points on the bone's side of the
    bend's bisector (the plane through ``joint`` with unit ``normal``, ``towards`` -1 for the upper
    bone's side, 1 for the lower's) that do not lie beyond the joint, seen from the bone (``bone``:
    the unit direction from the joint along it), unless within ``cap`` px of the joint."""

    joint: np.ndarray
    normal: np.ndarray
    bone: np.ndarray
    towards: float
    cap: float

    def weights(self, box: tuple[int, int, int, int]) -> np.ndarray:
        """0..1 per pixel of ``box`` (x0, y0, x1, y1), ramped over a pixel at every edge."""
        x0, y0, x1, y1 = box
        xs, ys = np.meshgrid(np.arange(x0, x1, dtype=np.float64), np.arange(y0, y1, dtype=np.float64))
        rel_x, rel_y = xs - self.joint[0], ys - self.joint[1]
        side = self.towards * (rel_x * self.normal[0] + rel_y * self.normal[1])
        beyond = -(rel_x * self.bone[0] + rel_y * self.bone[1])
        on_side = np.clip(side + 0.5, 0.0, 1.0)
        not_beyond = np.clip(0.5 - beyond, 0.0, 1.0)
        in_cap = np.clip(self.cap - np.hypot(rel_x, rel_y) + 0.5, 0.0, 1.0)
        return (on_side * np.maximum(not_beyond, in_cap)).astype(np.float32)


@dataclass
class Layer:
    """A garment (or, in pose mode, a whole person) ready to warp, in its own pixels."""

    image: np.ndarray  # (H, W, 3) uint8
    alpha: np.ndarray  # (H, W) float32 in 0..1
    groups: np.ndarray  # (H, W) uint8 Group labels
    kind: GarmentKind


SHARPEN_FLOOR = 1e-3  # the alpha-weighted blur divides by at least this much weight (far from the garment)


def sharpened(image: np.ndarray, alpha: np.ndarray, t: SourceTuning | None = None) -> np.ndarray:
    """``image`` (uint8 RGB) with its colours where ``alpha`` is at least ``sharpen_opaque``
    sharpened by an unsharp mask; the mask's blur is weighted by alpha, so what lies beyond the
    garment's outline (the product photo's backdrop, the model's skin) does not lighten or darken
    the garment's rim."""
    t = t or TUNING
    colour = image.astype(np.float32)
    local, _spread = normalised_blur(colour, alpha, t.sharpen_sigma, SHARPEN_FLOOR)
    amount = t.sharpen_amount * (alpha >= t.sharpen_opaque)[..., None]
    return np.clip(colour + amount * (colour - local) + 0.5, 0, 255).astype(np.uint8)


def _span(skeleton: Skeleton) -> float:
    poly = skeleton.polygon()
    return float(np.linalg.norm(poly[1] - poly[0]))


def cut_off_below(analysis: PhotoAnalysis, kind: GarmentKind) -> bool:
    """Whether an on-model photo's garment of ``kind`` runs on past its lower edge (and is refused)."""
    return _cut_off_below(_main_parts(np.isin(analysis.parsing, KIND_CLASSES[GarmentKind(kind)])))


def _cut_off_below(garment: np.ndarray) -> bool:
    """Whether the garment runs on past the photo's lower edge (it covers ``cut_off_share`` of its
    widest row on the photo's lowest ``cut_off_rows`` rows)."""
    widths = garment.sum(axis=1)
    widest = int(widths.max())
    return widest > 0 and int(widths[-TUNING.cut_off_rows :].max()) >= TUNING.cut_off_share * widest


def _fill_occlusions(
    image: np.ndarray, garment: np.ndarray, occluders: np.ndarray, arms: np.ndarray, span: float
) -> tuple[np.ndarray, np.ndarray]:
    """Garment colours painted under hands, arms and hair lying in front of it (small inpaint, then
    the garment's own texture, ``texture.textured_fill``); ``arms`` (among the ``occluders``) may
    also lie across the garment's outline."""
    t = TUNING
    height, width = garment.shape
    scale = min(1.0, t.occlusion_height / height)
    sw, sh = max(8, round(width * scale)), max(8, round(height * scale))
    g_small = cv2.resize(garment.astype(np.uint8), (sw, sh), interpolation=cv2.INTER_NEAREST)
    o_small = cv2.resize(occluders.astype(np.uint8), (sw, sh), interpolation=cv2.INTER_NEAREST)
    a_small = cv2.resize(arms.astype(np.uint8), (sw, sh), interpolation=cv2.INTER_NEAREST)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (t.occlusion_close, t.occlusion_close))
    closed = cv2.morphologyEx(g_small, cv2.MORPH_CLOSE, kernel)
    # a hand or an arm in front of the garment: what closing the garment bridges over it (a forearm
    # across the garment's side, fingers spread on it) or encloses
    bridge = max(3, round(t.occlusion_bridge * span * scale) | 1)
    across = cv2.morphologyEx(g_small, cv2.MORPH_CLOSE, np.ones((1, bridge), np.uint8))
    along = cv2.morphologyEx(g_small, cv2.MORPH_CLOSE, np.ones((bridge, 1), np.uint8))
    bridged = ((across > 0) | (along > 0)) & (a_small > 0)
    holes = (((_fill_holes(closed) > 0) & (o_small > 0)) | bridged | (_fill_holes(g_small) > 0)) & (
        g_small == 0
    )
    if not holes.any():
        return image, np.zeros((height, width), np.float32)
    small = cv2.resize(image, (sw, sh), interpolation=cv2.INTER_AREA)
    # fill from garment pixels only, away from the garment's edge (edge pixels of the small copy are
    # mixed with the hand or arm in front of it)
    inner = cv2.erode(g_small, np.ones((t.occlusion_inset, t.occlusion_inset), np.uint8))
    # nor next to what lay in front of it (its pixels there are mixed with the hand: the fill traced
    # the hand's outline in them)
    inner[cv2.dilate(o_small, np.ones((t.occlusion_inset, t.occlusion_inset), np.uint8)) > 0] = 0
    if inner.sum() < t.occlusion_min_inset:
        inner = g_small
    filled = np.clip(push_pull(small.astype(np.float32), inner.astype(np.float32)), 0, 255).astype(np.uint8)
    # at full size the holes are the occluders' (and enclosed) pixels in reach of the small copy's
    # holes: scaled up on their own, the holes' stepped edges left slivers of the hand uncovered
    zone = cv2.dilate(holes.astype(np.uint8), np.ones((3, 3), np.uint8))
    zone = smooth_upscale(zone, (width, height), t.zone_rounding)
    # a pinhole between the garment and a hand (a nail's highlight the parser left to neither)
    enclosed = (_fill_holes((garment | occluders).astype(np.uint8)) > 0) & ~garment
    rim = max(1, round(height / t.occlusion_rim_rows))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * rim + 1, 2 * rim + 1))
    # the parser leaves a hand's anti-aliased outline to neither the hand nor the garment: with the
    # hand, not as a gap that showed her old garment through in the hand's shape
    outline = cv2.dilate(occluders.astype(np.uint8), kernel) > 0
    sel = zone & ~garment & (occluders | enclosed | outline)
    hole_full = sel.astype(np.float32)
    fill_full = cv2.resize(filled, (width, height), interpolation=cv2.INTER_LINEAR)
    out = image.copy()
    # the garment's edge pixels along what was filled are mixed with the hand or arm: filled too
    near_hand = cv2.dilate((sel & occluders).astype(np.uint8), kernel) > 0
    sel |= near_hand & garment
    out[sel] = fill_full[sel]
    return textured_fill(image, out, garment, sel), hole_full


def _garment_under_hair(
    image: np.ndarray, garment: np.ndarray, hair: np.ndarray, skeleton: Skeleton
) -> tuple[np.ndarray, np.ndarray]:
    """Long hair falls over one side of a garment that is cut alike on both: behind the hair the
    garment is drawn from its mirror image across the model's body axis (its other side), where
    that side is garment. Returns the image with it painted in and the mask of what was painted."""
    t = TUNING
    height, width = garment.shape
    nothing = np.zeros((height, width), bool)
    if not hair.any():
        return image, nothing
    mirror = mirror_affine(skeleton.frame.origin, skeleton.frame.down)
    mirrored = cv2.warpAffine(
        garment.astype(np.uint8), mirror, (width, height), flags=cv2.INTER_NEAREST, borderValue=0
    )
    inset = max(1, round(t.mirror_inset * _span(skeleton)))
    mirrored = cv2.erode(mirrored, np.ones((2 * inset + 1, 2 * inset + 1), np.uint8)) > 0
    under = hair & mirrored & ~garment
    if under.sum() < t.mirror_min_share * max(1, int(garment.sum())):
        return image, nothing
    other_side = cv2.warpAffine(image, mirror, (width, height), flags=cv2.INTER_LINEAR)
    out = image.copy()
    out[under] = other_side[under]
    return out, under


def _second_bone_share(
    xs: np.ndarray, ys: np.ndarray, first: tuple, second: tuple, band: float
) -> np.ndarray:
    """Each point's share of the second of a limb's two bones: a cross-fade ``band`` px wide where
    the two bones are equally near (the elbow, the knee)."""
    d1 = segment_distance(xs, ys, *first)
    d2 = segment_distance(xs, ys, *second)
    return 1.0 / (1.0 + np.exp(np.clip((d2 - d1) / band, -30, 30)))


def _extent(mask: np.ndarray, frame: Frame, level: float, side: float) -> float:
    """How far ``mask`` reaches from the torso frame's axis at ``level`` (a share of the way from
    the shoulders to the hips) towards one ``side`` (1.0: the frame's ``across``, -1.0: away), in px;
    0 when the axis point is not in it."""
    direction = side * frame.across / (float(np.linalg.norm(frame.across)) or 1.0)
    return side_extent(mask, frame.origin + level * frame.down, direction, float(max(mask.shape)))


def _rim_groups(groups: np.ndarray, solid: np.ndarray, soft: np.ndarray) -> np.ndarray:
    """``groups`` with the soft rim of the cut-out's edge (``soft`` outside ``solid``) given the
    group of the nearest pixel inside: labelled by the parsing it was background, warped with the
    garment's body, and around a sleeve that the shopper's arm carried elsewhere it drew a faint
    outline of the product model's sleeve ("ghost outline" beside her arm)."""
    rim = soft & ~solid
    if not rim.any() or not solid.any():
        return groups
    # each pixel's nearest pixel of ``solid``, numbered as OpenCV numbers them: in row order from 1
    _distance, nearest = cv2.distanceTransformWithLabels(
        (~solid).astype(np.uint8), cv2.DIST_L2, 3, labelType=cv2.DIST_LABEL_PIXEL
    )
    out = groups.copy()
    out[rim] = groups[solid][nearest[rim] - 1]
    return out


_fill_holes = fill_holes
_main_parts = main_parts


class OnModelSource:
    """A garment cut from an analysed on-model photo by parsing class (or the whole person in pose mode)."""

    def __init__(self, analysis: PhotoAnalysis, kind: GarmentKind, whole_person: bool = False) -> None:
        self.analysis = analysis
        self.kind = GarmentKind(kind)
        self.shopper: PhotoAnalysis | None = None
        self._her_groups: np.ndarray | None = None  # the fitted shopper's part groups ...
        self._her_outline: np.ndarray | None = None  # ... and what a sleeve on her arm covers
        self.skeleton = body_skeleton(analysis)
        parsing = analysis.parsing
        if whole_person:
            garment = (parsing != C.BACKGROUND) & (analysis.person_mask > 127)
        else:
            garment = _main_parts(np.isin(parsing, KIND_CLASSES[self.kind]))
        if garment.mean() < TUNING.min_garment:
            raise CannotRender(
                f"The product photo does not show a {self.kind.replace('_', ' ')} that can be cut out."
            )
        if not whole_person and _cut_off_below(garment):
            raise CannotRender(
                f"The product photo cuts the {self.kind.replace('_', ' ')} off at its lower edge, so its"
                " length is unknown: a photo showing the whole garment can be tried on."
            )
        image = analysis.image
        hair = parsing == C.HAIR
        if not whole_person:
            # the model's hair lying over the garment, which the parser often calls garment (a lock
            # over her shoulder or chest), is hair in front of it, as on the shopper's photo: cut
            # out with the garment it was drawn on the shopper as a strand of someone else's hair
            hair_over = recovered_hair(image, parsing, self.skeleton) & garment
            garment &= ~hair_over
            hair |= hair_over
        alpha = garment.astype(np.float32)
        if not whole_person:
            image, under_hair = _garment_under_hair(image, garment, hair, self.skeleton)
            covered = garment | under_hair
            occluders = (np.isin(parsing, (C.ARMS, C.FACE)) | hair) & ~under_hair
            arms = parsing == C.ARMS
            image, holes = _fill_occlusions(image, covered, occluders, arms, _span(self.skeleton))
            alpha = np.maximum(covered.astype(np.float32), holes)
        solid = alpha > 0.5
        alpha = cv2.GaussianBlur(alpha, (0, 0), TUNING.cut_softness)
        groups = photo_groups(analysis, self.skeleton)
        if not whole_person:
            # what was filled in under her hands, arms and hair goes with the garment's body
            groups = np.where(solid & ~garment, Group.TORSO, groups).astype(np.uint8)
        groups = _rim_groups(groups, solid, alpha > 0)
        self.mirror: warp_mirror.Mirrored | None = None
        raised = [] if whole_person else warp_mirror.raised_sleeves(self.skeleton, groups, alpha)
        if raised:
            self.mirror = warp_mirror.mirrored(image, alpha, groups, self.skeleton, raised)
            image, alpha, groups = self.mirror.image, self.mirror.alpha, self.mirror.groups
        self.layer = Layer(image=image, alpha=alpha, groups=groups, kind=self.kind)
        self.whole_person = whole_person
        self._weights = self._bone_weights()
        self._forearm_sleeves = {} if whole_person else self._sleeves_along_forearms(parsing)

    def _sleeves_along_forearms(self, parsing: np.ndarray) -> dict[Group, np.ndarray]:
        """Per arm: the body's garment pixels that are the forearm's part of a long sleeve
        (``forearm_sleeve_reach``), drawn with the forearm too; arms without one are left out."""
        t = TUNING
        height, width = parsing.shape
        bones = self.skeleton.bones
        span = _span(self.skeleton)
        reach = t.forearm_sleeve_reach * span
        solid = self.layer.alpha[:height, :width] > 0.5
        groups = self.layer.groups[:height, :width]
        out: dict[Group, np.ndarray] = {}
        for group in ARM_GROUPS:
            upper_arm, forearm = LIMBS[group]
            if upper_arm not in bones or forearm not in bones or reach < 1.0:
                continue
            elbow, wrist = (np.asarray(p, np.float64) for p in bones[forearm])
            length = float(np.linalg.norm(wrist - elbow))
            if length < reach:
                continue
            x0 = max(0, int(min(elbow[0], wrist[0]) - reach) - 1)
            x1 = min(width, int(max(elbow[0], wrist[0]) + reach) + 2)
            y0 = max(0, int(min(elbow[1], wrist[1]) - reach) - 1)
            y1 = min(height, int(max(elbow[1], wrist[1]) + reach) + 2)
            if x1 <= x0 or y1 <= y0:
                continue
            ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float64)
            along = ((xs - elbow[0]) * (wrist - elbow)[0] + (ys - elbow[1]) * (wrist - elbow)[1]) / length**2
            band = (segment_distance(xs, ys, elbow, wrist) <= reach) & (along >= 0.0) & (along <= 1.0)
            disc = np.hypot(xs - elbow[0], ys - elbow[1]) <= reach
            sleeve = solid[y0:y1, x0:x1] & (groups[y0:y1, x0:x1] == group)
            if (sleeve & disc).sum() < t.sleeved_elbow * max(1, int(disc.sum())):
                continue
            if (band & (parsing[y0:y1, x0:x1] == C.ARMS)).sum() > t.bare_forearm * max(1, int(band.sum())):
                continue
            grow = band & solid[y0:y1, x0:x1] & (groups[y0:y1, x0:x1] == Group.TORSO)
            if not grow.any():
                continue
            full = np.zeros(self.layer.groups.shape, bool)
            full[y0:y1, x0:x1] = grow
            out[group] = full
        return out

    def _bone_weights(self) -> dict[str, np.ndarray]:
        """Per limb: each bone's share of the limb's pixels (a soft split at the elbow or knee),
        and the cap near the shoulder or hip that stays when the shopper's limb is missing."""
        t = TUNING
        height, width = self.layer.groups.shape
        scale = min(1.0, t.weights_height / height)
        sw, sh = max(1, round(width * scale)), max(1, round(height * scale))
        xs, ys = np.meshgrid((np.arange(sw) + 0.5) / scale - 0.5, (np.arange(sh) + 0.5) / scale - 0.5)
        span = _span(self.skeleton)
        bones = self.skeleton.bones
        poly = self.skeleton.polygon().astype(np.float64)
        roots = {
            Group.RIGHT_ARM: poly[0],
            Group.LEFT_ARM: poly[1],
            Group.LEFT_LEG: poly[2],
            Group.RIGHT_LEG: poly[3],
        }
        present = set(np.unique(self.layer.groups).tolist())
        out: dict[str, np.ndarray] = {}

        def full(small: np.ndarray) -> np.ndarray:
            return cv2.resize(small.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)

        for group, (first, second) in LIMBS.items():
            if int(group) not in present:
                continue
            if first in bones and second in bones:
                band = t.model_joint_blend * span
                w2 = full(_second_bone_share(xs, ys, bones[first], bones[second], band))
                out[first], out[second] = 1.0 - w2, w2
            root = roots[group]
            d_root = np.hypot(xs - root[0], ys - root[1])
            out[f"{group.name}_cap"] = full(
                np.clip((t.sleeve_cap * span - d_root) / (t.cap_fade * span), 0, 1)
            )
        if self.mirror is not None:
            # the photographed sleeves' pieces carry the photo's pixels, the mirrored ones theirs
            photo = (np.arange(width) < self.mirror.width).astype(np.float32)[None, :]
            for group, mirror_bones in self.mirror.bones.items():
                first, second = LIMBS[group]
                band = t.model_joint_blend * span
                w2 = full(_second_bone_share(xs, ys, mirror_bones[first], mirror_bones[second], band))
                out[MIRRORED + first] = (1.0 - w2) * (1.0 - photo)
                out[MIRRORED + second] = w2 * (1.0 - photo)
                for key in (first, second, f"{group.name}_cap"):
                    if key in out:
                        out[key] = out[key] * photo
        return out

    def fit_to(self, shopper: PhotoAnalysis, dst: Skeleton) -> None:
        """Measure the shopper's old top so the garment's body covers it, and her arms so the
        sleeves do (optional; before ``pieces``)."""
        self.shopper = shopper
        if not self.whole_person:
            self._her_groups = photo_groups(shopper, dst)
            self._her_outline = warp_sleeves.her_outline(shopper)
            if _span(dst) >= TUNING.sharpen_from * _span(self.skeleton):
                self.layer = replace(self.layer, image=sharpened(self.layer.image, self.layer.alpha))

    def _torso_part(self, dst: Skeleton, poly: np.ndarray, sigma: float) -> Part:
        """The garment's body: the shopper's torso frame onto the product model's, widened level by
        level where the garment would not cover her old top (:meth:`_widening`); the shoulders
        (level 0) as the frames map them, the levels blended smoothly between."""
        src = self.skeleton
        widths = self._widening(dst)
        if all(widen <= 1.0 for _level, widen in widths):
            return Part([frame_affine(dst.frame, src.frame)], [poly], sigma)
        frame = dst.frame
        across = frame.across / (float(np.linalg.norm(frame.across)) or 1.0)
        reach = 4.0 * _span(dst)  # the levels' lines run well past her sides
        affines, shapes = [], []
        for level, widen in widths:
            wide = Frame(origin=frame.origin, down=frame.down, half_width=frame.half_width * widen)
            affines.append(frame_affine(wide, src.frame))
            centre = frame.origin + level * frame.down
            shapes.append(np.array([centre - reach * across, centre + reach * across]))
        spacing = float(np.linalg.norm(frame.down)) * float(np.min(np.diff([lv for lv, _w in widths])))
        return Part(affines, shapes, max(1.0, TUNING.cover_blend * spacing))

    def _widening(self, dst: Skeleton) -> list[tuple[float, float]]:
        """Per level (0.0, then ``cover_levels``): how much wider than the two frames say the
        garment's body must be drawn there to cover her old top's body from side to side with
        ``cover_ease`` (1.0 where it covers it, where either is not measurable, and at the
        shoulders)."""
        t = TUNING
        flat = [(0.0, 1.0)] + [(level, 1.0) for level in t.cover_levels]
        if self.shopper is None or self.whole_person or self.kind not in COVERING_KINDS:
            return flat
        src = self.skeleton
        garment = (self.layer.alpha > 0.5) & (self.layer.groups == Group.TORSO)
        parsing = self.shopper.parsing
        hers = (self.shopper.person_mask > 127) & np.isin(parsing, (C.UPPER_CLOTHES, C.SKIRT))
        hers &= self._her_groups == Group.TORSO
        scale = dst.frame.half_width / max(src.frame.half_width, 1e-6)  # shopper px per product px
        out = [(0.0, 1.0)]
        for level in t.cover_levels:
            theirs = [_extent(garment, src.frame, level, side) * scale for side in (1.0, -1.0)]
            mine = [_extent(hers, dst.frame, level, side) for side in (1.0, -1.0)]
            needed = 1.0
            if min(theirs) > 0 and min(mine) > 0:
                # across both sides: one side of either may be hidden by an arm or turned away, and
                # widened by that side's shortfall the other side stood out past her arm
                needed = t.cover_ease * sum(mine) / sum(theirs)
            out.append((level, float(np.clip(needed, 1.0, t.max_widen))))
        return out

    def parts(self, dst: Skeleton) -> dict[Group, Part]:
        src = self.skeleton
        torso = frame_affine(dst.frame, src.frame)
        across = src.frame.half_width / dst.frame.half_width
        return _parts_from_bones(dst, src.bones, torso, across, extrapolate_from=src)

    def pieces(self, dst: Skeleton) -> list[Piece]:
        """The torso (and head) as blended parts; every limb bone rigidly on its own bone.

        A limb the shopper photo lacks is not invented: its garment is cut near the shoulder (a
        sleeveless cut) or at the elbow when only the forearm is missing; legs without bones follow
        the torso.
        """
        src = self.skeleton
        torso = frame_affine(dst.frame, src.frame)
        across = src.frame.half_width / dst.frame.half_width
        sigma = TUNING.blend_sigma * _span(dst)
        poly = dst.polygon().astype(np.float64)
        body = self._torso_part(dst, poly, sigma)
        mirrored = self._mirrored_sleeves(dst)
        keeps = [self.mirror.body_keeps[group] for group in mirrored] if self.mirror is not None else []
        pieces = [Piece(Group.TORSO, body, np.minimum.reduce(keeps) if keeps else None)]
        if "head" in src.bones and "head" in dst.bones:
            head = _parts_from_bones(dst, {"head": src.bones["head"]}, torso, across, None)
            pieces.append(Piece(Group.HEAD, head[Group.HEAD]))
        for group, (first, second) in LIMBS.items():
            if f"{group.name}_cap" not in self._weights:
                continue
            have = [b for b in (first, second) if b in src.bones]
            if not have:
                pieces.append(Piece(group, body))
                continue
            if first not in dst.bones or first not in src.bones:
                is_leg = group in LEG_GROUPS
                pieces.append(Piece(group, body, None if is_leg else self._weights[f"{group.name}_cap"]))
                continue
            bones, prefix = src.bones, ""
            if group in mirrored:
                bones, prefix = mirrored[group], MIRRORED
            joint_moved = np.zeros(2)  # how far the upper arm's sleeve moved her elbow
            for bone in have:
                if bone not in dst.bones:
                    continue  # the shopper's forearm (shin) is missing: cut at the elbow (knee)
                dst_bone, bone_across = dst.bones[bone], across
                if group in ARM_GROUPS:
                    dst_bone, bone_across = self._sleeve_on_her_arm(
                        group, bones[bone], dst_bone, across, dst, joint_moved if bone == second else None
                    )
                    joint_moved = dst_bone[1] - np.asarray(dst.bones[bone][1], np.float64)
                affine = bone_affine(dst_bone, bones[bone], bone_across)
                shape = np.array(dst_bone, np.float64)
                sewn = bone == first and group in ARM_GROUPS
                seam = self._armhole(group, body, dst, mirrored.get(group)) if sewn else None
                weight = self._weights.get(prefix + bone)
                grow = self._forearm_sleeves.get(group) if bone == second and not prefix else None
                pieces.append(Piece(group, Part([affine], [shape], sigma, seam), weight, grow))
        return pieces

    def _sleeve_on_her_arm(
        self,
        group: Group,
        src_bone: tuple[np.ndarray, np.ndarray],
        dst_bone: tuple[np.ndarray, np.ndarray],
        across: float,
        dst: Skeleton,
        elbow_moved: np.ndarray | None,
    ) -> tuple[tuple[np.ndarray, np.ndarray], float]:
        """The sleeve's bone on her and its product px per shopper px across: widened to cover her
        arm (or her own sleeve) and turned about its near end onto it (:mod:`ml.render.warp.sleeves`):
        an upper arm's about her shoulder, a forearm's about her elbow where the upper arm's sleeve
        put it (``elbow_moved``), so the two stay joined; as the torsos scale it without a fitted
        shopper."""
        if self._her_groups is None or self._her_outline is None:
            return dst_bone, across
        her_arm = self._her_outline & (self._her_groups == group)
        span = _span(dst)
        a, b = (np.asarray(p, np.float64) for p in dst_bone)
        if elbow_moved is not None:
            a, b = a + elbow_moved, b + elbow_moved
        garment = self.layer.alpha >= warp_sleeves.TUNING.garment_alpha
        sleeve = garment & (self.layer.groups == group)
        if group in self._forearm_sleeves:
            sleeve |= self._forearm_sleeves[group]
        arm = warp_sleeves.ArmToCover(
            sleeve=sleeve,
            garment=garment,
            her_arm=her_arm,
            src_bone=src_bone,
            dst_bone=(a, b),
            span=span,
        )
        bone_across = warp_sleeves.across_to_cover(arm, across)
        turn = warp_sleeves.turn_to_cover(arm, bone_across)
        return (a, b + turn), bone_across

    def _mirrored_sleeves(self, dst: Skeleton) -> dict[Group, dict[str, tuple[np.ndarray, np.ndarray]]]:
        """The raised sleeves drawn from their mirror images on this shopper, with the bones they
        hang from (:mod:`ml.render.warp.mirror`)."""
        if self.mirror is None:
            return {}
        return {
            group: bones
            for group, bones in self.mirror.bones.items()
            if LIMBS[group][0] in dst.bones and warp_mirror.use_mirror(self.skeleton, bones, dst, group)
        }

    def _armhole(
        self, group: Group, body: Part, dst: Skeleton, mirror_bones: dict | None = None
    ) -> Seam | None:
        """The seam joining the sleeve of ``group`` to the garment's body: the upper part of the
        product model's armhole, with the torso's map (``body``, shopper px -> photo px) about it.
        Hung from the shopper's arm bone alone, a sleeve cut from a model whose arm was raised or
        bent swung away from the armhole about her shoulder joint, and hung beside her as a flap.
        A mirrored sleeve (``mirror_bones``) lies beside the photo, its root where the armhole of
        ``group`` lies shifted by the photo's width: the seam and the body's map are shifted alike."""
        if self.whole_person:
            return None
        t = TUNING
        upper_arm = LIMBS[group][0]
        bones = self.skeleton.bones if mirror_bones is None else mirror_bones
        if upper_arm not in bones:
            return None
        a, b = bones[upper_arm]
        if np.degrees(_angle(b - a, self.skeleton.frame.down)) > t.armhole_max_angle:
            return None
        src_poly = self.skeleton.polygon().astype(np.float64)
        shoulder, hip = (src_poly[0], src_poly[3]) if group == Group.RIGHT_ARM else (src_poly[1], src_poly[2])
        armpit = shoulder + t.armhole_depth * (hip - shoulder)
        line = np.array([shoulder, shoulder + t.armhole_seam * (armpit - shoulder)])
        if mirror_bones is not None and self.mirror is not None:
            shifted = body.affines[0].copy()
            shifted[0, 2] += self.mirror.width
            body = Part([shifted], body.dst_shapes[:1], body.sigma)
            line = line + np.array([self.mirror.width, 0.0])
        scale = 1.0 / max(float(np.sqrt(abs(np.linalg.det(body.affines[0][:, :2])))), 1e-6)
        reach = t.armhole_seam_reach * _span(dst)
        return Seam(functools.partial(blend_map, body), line, scale, reach)


def _parts_from_bones(
    dst: Skeleton,
    src_bones: dict[str, tuple[np.ndarray, np.ndarray]],
    torso: np.ndarray,
    across: float,
    extrapolate_from: Skeleton | None,
    dst_bones: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
    across_by_bone: dict[str, float] | None = None,
) -> dict[Group, Part]:
    """One Part per group: the torso affine blended with the group's bone affines."""
    sigma = TUNING.blend_sigma * _span(dst)
    poly = dst.polygon().astype(np.float64)
    dst_bones = dict(dst.bones) if dst_bones is None else dst_bones
    if extrapolate_from is not None:
        # Bones the product shows but the shopper photo does not: continue the shopper's limb
        # the way the product's limb goes relative to its torso.
        to_dst = invert(torso)[:, :2]
        for name, (sa, sb) in src_bones.items():
            if name in dst_bones:
                continue
            _group, a_name, _b = BONES[name]
            corners = {
                "right_shoulder": poly[0],
                "left_shoulder": poly[1],
                "left_hip": poly[2],
                "right_hip": poly[3],
            }
            start = corners.get(a_name)
            for other, (_oa, ob) in dst_bones.items():
                if BONES[other][2] == a_name:
                    start = ob
            if start is None:
                continue
            dst_bones[name] = (start, start + to_dst @ (sb - sa))
    # A limb blends with the torso only around the joint it hangs from.
    joints = {
        Group.RIGHT_ARM: poly[0],
        Group.LEFT_ARM: poly[1],
        Group.LEFT_LEG: poly[2],
        Group.RIGHT_LEG: poly[3],
        Group.HEAD: (poly[0] + poly[1]) / 2,
    }
    parts: dict[Group, Part] = {Group.TORSO: Part([torso], [poly], sigma)}
    for name, src_seg in src_bones.items():
        if name not in dst_bones:
            continue
        group = BONES[name][0]
        joint = np.array([joints[group], joints[group]])
        part = parts.setdefault(group, Part([torso], [joint], sigma))
        bone_across = (across_by_bone or {}).get(name, across)
        part.affines.append(bone_affine(dst_bones[name], src_seg, bone_across))
        part.dst_shapes.append(np.array(dst_bones[name], np.float64))
    return parts


def packshot_layer(
    image: np.ndarray, mask: np.ndarray, *, peel_shadows: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """The garment of a packshot as (decontaminated colours, alpha 0..1), whatever its mask's origin.

    A mask thresholded against the light background (drawn packshots, uploaded masks) has three
    faults that show on the shopper: holes where a light fabric is close to the background (white
    stripes, ivory: the shopper showed through), the soft drop shadow under the garment, and an
    anti-aliased rim mixed with the white background (a light halo). So: holes are filled,
    background-coloured pixels reached from outside (the neutral, darker-than-paper shadow) are
    peeled off unless ``peel_shadows`` is off, the rim is eroded a little and feathered, and the
    rim's colours come from the garment's interior (no white left in them).

    The cut-out (:func:`ml.garments.mask.packshot_mask`) has already told the shadow from the
    garment: peeling again takes a white tee's grey folds for shadow (up to a tenth of the garment,
    its sleeves' undersides and sides), so its masks are not peeled.
    """
    t = TUNING
    height, width = mask.shape
    if int((np.asarray(mask) > 127).sum()) < t.min_mask:
        return image.copy(), mask.astype(np.float32) / 255.0
    if peel_shadows:
        binary = clean_binary_mask(image, mask)
    else:
        binary = fill_holes((np.asarray(mask) > 127).astype(np.uint8))
    rgb = image.astype(np.float32)
    # the rim: eroded by about a pixel per 400 px of packshot, feathered, coloured from the inside
    rim = max(1, round(max(height, width) / t.rim_per_px))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * rim + 1, 2 * rim + 1))
    core = cv2.erode(binary, kernel)
    inner = cv2.erode(core, kernel)
    alpha = cv2.GaussianBlur(core.astype(np.float32), (0, 0), t.rim_softness * rim) * (binary > 0)
    band = (binary > 0) & (inner == 0)
    ys, xs = np.nonzero(binary)
    pad = t.rim_fill_pad
    y0, y1 = max(0, ys.min() - pad), min(height, ys.max() + pad + 1)
    x0, x1 = max(0, xs.min() - pad), min(width, xs.max() + pad + 1)
    crop = rgb[y0:y1, x0:x1]
    filled = push_pull(crop, inner[y0:y1, x0:x1].astype(np.float32))
    out = image.copy()
    sub = band[y0:y1, x0:x1]
    out[y0:y1, x0:x1][sub] = np.clip(filled[sub] + 0.5, 0, 255).astype(np.uint8)
    return out, alpha.astype(np.float32)


PACKSHOT_CACHE_SIZE = 16  # prepared packshot layers kept per process (about 3.5 MB each at 768x576)
_packshot_cache: OrderedDict[str, Layer] = OrderedDict()
_packshot_cache_lock = threading.Lock()
packshot_cache_stats = {"hits": 0, "misses": 0}


def packshot_key(packshot: Packshot) -> str:
    """A digest of everything a prepared layer depends on: pixels, mask, kind and landmarks."""
    digest = hashlib.blake2b(digest_size=16)
    for array in (packshot.image, packshot.mask):
        array = np.ascontiguousarray(array)
        digest.update(f"{array.shape}{array.dtype}".encode())
        digest.update(array.tobytes())
    digest.update(str(GarmentKind(packshot.kind)).encode())
    digest.update(repr(sorted((k, float(x), float(y)) for k, (x, y) in packshot.landmarks.items())).encode())
    return digest.hexdigest()


_also_clear: list = []  # other per-packshot caches (the mesh source's body layers) register here


def clear_packshot_cache() -> None:
    """Forget every prepared packshot layer (benchmarks time the first card of a product with it)."""
    with _packshot_cache_lock:
        _packshot_cache.clear()
    for clear in _also_clear:
        clear()


LAYER_EXTRAS = ("warp.layer.image", "warp.layer.alpha", "warp.layer.groups")
LAYER_VERSION_EXTRA = "warp.layer.version"


def _renderer_version() -> str:
    from ml.render.warp import VERSION  # the package imports this module: read at call time

    return VERSION


def packshot_layer_extras(packshot: Packshot) -> dict[str, np.ndarray]:
    """The packshot's prepared layer as arrays to store with the product's analysis, tagged with the
    renderer version that made them (a layer of another version is never used)."""
    layer = _build_packshot_layer(packshot, garment_shape(GarmentKind(packshot.kind), packshot.landmarks))
    version = np.frombuffer(_renderer_version().encode(), dtype=np.uint8)
    return dict(zip(LAYER_EXTRAS, (layer.image, layer.alpha, layer.groups), strict=True)) | {
        LAYER_VERSION_EXTRA: version
    }


def _stored_layer(packshot: Packshot) -> Layer | None:
    extras = getattr(packshot, "extras", None) or {}
    if not all(name in extras for name in (*LAYER_EXTRAS, LAYER_VERSION_EXTRA)):
        return None
    if bytes(extras[LAYER_VERSION_EXTRA]).decode() != _renderer_version():
        return None
    image, alpha, groups = (extras[name] for name in LAYER_EXTRAS)
    if (
        image.shape != packshot.image.shape
        or alpha.shape != groups.shape
        or alpha.shape != packshot.mask.shape
    ):
        return None
    return Layer(image=image, alpha=alpha, groups=groups, kind=GarmentKind(packshot.kind))


def prepared_layer(packshot: Packshot, shape: str) -> Layer:
    """The packshot's layer (cleaned colours, alpha, part groups), prepared once per process, or
    read from the product's stored analysis when it was prepared there by this renderer version.

    The same product is rendered for many shoppers; its clean-up at 768x576 is most of a card's
    cost, and it depends only on the packshot. The arrays are shared: read-only.
    """
    key = packshot_key(packshot)
    with _packshot_cache_lock:
        layer = _packshot_cache.get(key)
        if layer is not None:
            _packshot_cache.move_to_end(key)
            packshot_cache_stats["hits"] += 1
            return layer
    layer = _stored_layer(packshot) or _build_packshot_layer(packshot, shape)
    for array in (layer.image, layer.alpha, layer.groups):
        array.flags.writeable = False
    with _packshot_cache_lock:
        packshot_cache_stats["misses"] += 1
        _packshot_cache[key] = layer
        while len(_packshot_cache) > PACKSHOT_CACHE_SIZE:
            _packshot_cache.popitem(last=False)
    return layer


def sleeve_split(lm: dict[str, np.ndarray], side: str) -> tuple[np.ndarray, np.ndarray]:
    """Where a packshot's sleeve is cut from its body: from a little inside the shoulder seam (the
    sleeve cap belongs to the sleeve, so a sleeve turned with a raised arm keeps its cap on the upper
    arm) down to the armpit."""
    sh, ap = lm[f"shoulder_{side}"], lm[f"armpit_{side}"]
    sign = 1.0 if side == "right" else -1.0
    cap = sh + np.array([sign * TUNING.sleeve_cap_in * float(np.linalg.norm(ap - sh)), 0.0])
    return cap, ap


def _build_packshot_layer(packshot: Packshot, shape: str) -> Layer:
    t = TUNING
    lm = {k: np.array(v, np.float64) for k, v in packshot.landmarks.items()}
    # a packshot whose structure was read has its mask from the cut-out (``prepare_packshot``)
    image, mask = packshot_layer(packshot.image, packshot.mask, peel_shadows=packshot.structure is None)
    h, w = mask.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    groups = np.zeros((h, w), np.uint8)
    if shape in ("top", "outerwear", "dress"):
        for side, group, sign in (("right", Group.RIGHT_ARM, 1.0), ("left", Group.LEFT_ARM, -1.0)):
            if np.allclose(lm[f"sleeve_{side}_outer"], lm[f"shoulder_{side}"]):
                continue  # sleeveless
            sh, hem = lm[f"shoulder_{side}"], lm[f"hem_{side}"]

            def cross(a, b):
                return (b[0] - a[0]) * (yy - a[1]) - (b[1] - a[1]) * (xx - a[0])

            cap, ap = sleeve_split(lm, side)
            upper = (yy <= ap[1]) & (sign * cross(cap, ap) > 0) & (yy >= sh[1] - t.cap_above_shoulder * h)
            lower = (yy > ap[1]) & (sign * cross(ap, hem) > 0)
            groups[upper | lower] = group
    elif shape == "trousers":
        crotch = lm["crotch"]
        top = (lm["waist_left"][1] + lm["waist_right"][1]) / 2
        legs = yy > top + t.leg_root_depth * (crotch[1] - top)
        groups[legs & (xx < crotch[0])] = Group.RIGHT_LEG
        groups[legs & (xx >= crotch[0])] = Group.LEFT_LEG
    return Layer(image=image, alpha=mask, groups=groups, kind=GarmentKind(packshot.kind))


class PackshotSource:
    """A flat garment mapped onto the body by its landmarks."""

    def __init__(self, packshot: Packshot) -> None:
        if packshot.kind == GarmentKind.FULL_OUTFIT:
            raise CannotRender("A packshot shows one garment; an outfit needs one packshot per garment.")
        self.packshot = packshot
        self.kind = GarmentKind(packshot.kind)
        self.shape = garment_shape(self.kind, packshot.landmarks)
        lm = {k: np.array(v, np.float64) for k, v in packshot.landmarks.items()}
        self.lm = lm
        self.layer = prepared_layer(packshot, self.shape)
        self.shopper: PhotoAnalysis | None = None
        self.shopper_bones: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._src_bones: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # of the last ``parts`` call

    def parts(self, dst: Skeleton) -> dict[Group, Part]:
        poly = dst.polygon().astype(np.float64)
        span_d = float(np.linalg.norm(poly[1] - poly[0]))
        unit = dst.frame.down / (np.linalg.norm(dst.frame.down) + 1e-9)
        torso, sy = self._torso_map(dst)
        src_bones, dst_bones = self._limb_bones(dst, invert(torso), unit, span_d, sy)
        widths = self._sleeve_widths(src_bones, sy, span_d)
        if self.shape in ("top", "outerwear", "dress") and self.shopper is not None:
            dst_bones = self._sleeves_out_to_her_outline(src_bones, dst_bones, widths, 1.0 / sy, poly, span_d)
        if self.shape == "trousers" and self.shopper is not None:
            widths.update(self._leg_widths(src_bones, dst_bones, 1.0 / sy, span_d))
        self._src_bones = src_bones
        return _parts_from_bones(
            dst, src_bones, torso, 1.0 / sy, None, dst_bones=dst_bones, across_by_bone=widths
        )

    def _torso_map(self, dst: Skeleton) -> tuple[np.ndarray, float]:
        """The backward affine of the garment's body (shopper px -> packshot px) and its scale
        along the body (shopper px per packshot px)."""
        t, lm = TUNING, self.lm
        poly = dst.polygon().astype(np.float64)
        rs_d, ls_d = poly[0], poly[1]
        span_d = float(np.linalg.norm(ls_d - rs_d))
        down = dst.frame.down
        unit = down / (np.linalg.norm(down) + 1e-9)
        across_unit = np.array([-unit[1], unit[0]])  # towards the wearer's right (image left)
        half_d = dst.frame.half_width
        if self.shape in ("top", "outerwear", "dress"):
            anchor_p = (lm["shoulder_left"] + lm["shoulder_right"]) / 2
            anchor_d = (rs_d + ls_d) / 2 - unit * t.neckline_up * span_d
            chest_p = float(np.linalg.norm(lm["armpit_left"] - lm["armpit_right"]))
            shoulders_p = float(np.linalg.norm(lm["shoulder_left"] - lm["shoulder_right"]))
            # a sleeveless cut's "shoulders" are its straps, well inside the wearer's shoulders: scale
            # it by its chest (a sleeved top's shoulder seams are about 1.1 chest widths apart)
            shoulders_p = max(shoulders_p, t.shoulders_per_chest * chest_p)
            sy = t.shoulder_ease * span_d / shoulders_p
            sx = float(np.clip(t.chest_ease * 2 * half_d / chest_p, sy, t.max_chest_stretch * sy))
        else:
            anchor_p = (lm["waist_left"] + lm["waist_right"]) / 2
            anchor_d = (rs_d + ls_d) / 2 + down * t.waist_level
            waist_p = float(np.linalg.norm(lm["waist_left"] - lm["waist_right"]))
            hips = [dst.bones[n][0] for n in ("right_thigh", "left_thigh") if n in dst.bones]
            hip_span = float(np.linalg.norm(hips[0] - hips[1])) if len(hips) == 2 else t.default_hips * span_d
            low, high = t.waist_per_hips
            sy = float(np.clip(2.0 * half_d, low * hip_span, high * hip_span)) / waist_p
            sx = sy
            hips_d = self._shopper_hips(dst) if self.shopper is not None else 0.0
            hips_p = self._packshot_hips()
            if hips_d > 0 and hips_p > 0:
                # the hips at least cover the shopper's hips (with ease), at most 1.5 times wider
                sx = float(np.clip(t.hip_ease * hips_d / hips_p, sy, t.max_hip_stretch * sy))
        # dst -> src: coordinates along (across_unit, unit) scaled into the packshot's (-x, y).
        linear = np.array([[-1.0 / sx, 0.0], [0.0, 1.0 / sy]]) @ np.stack([across_unit, unit])
        return np.hstack([linear, (anchor_p - linear @ anchor_d)[:, None]]), sy

    def _limb_landmarks(self) -> list[tuple[str, str, np.ndarray, np.ndarray]]:
        """Per sleeve or trouser leg: its two bones and its root and cuff in the packshot."""
        lm = self.lm
        limbs: list[tuple[str, str, np.ndarray, np.ndarray]] = []
        if self.shape in ("top", "outerwear", "dress"):
            for side in ("right", "left"):
                if np.allclose(lm[f"sleeve_{side}_outer"], lm[f"shoulder_{side}"]):
                    continue
                root = lm[f"shoulder_{side}"]
                middle = (lm[f"sleeve_{side}_outer"] + lm[f"sleeve_{side}_inner"]) / 2
                cuff = middle + TUNING.sleeve_line * (lm[f"sleeve_{side}_outer"] - middle)
                limbs.append((f"{side}_upper_arm", f"{side}_forearm", root, cuff))
        elif self.shape == "trousers":
            crotch = lm["crotch"]
            across, depth = TUNING.leg_root_across, TUNING.leg_root_depth
            for side in ("right", "left"):
                waist = lm[f"waist_{side}"]
                root = np.array(
                    [
                        (1.0 - across) * waist[0] + across * crotch[0],
                        waist[1] + depth * (crotch[1] - waist[1]),
                    ]
                )
                cuff = (lm[f"leg_{side}_outer"] + lm[f"leg_{side}_inner"]) / 2
                limbs.append((f"{side}_thigh", f"{side}_shin", root, cuff))
        return limbs

    def _limb_bones(
        self, dst: Skeleton, forward: np.ndarray, unit: np.ndarray, span_d: float, sy: float
    ) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], dict[str, tuple[np.ndarray, np.ndarray]]]:
        """The sleeves' and trouser legs' bones in the packshot and on the shopper: hung from where the
        garment's body puts their roots (``forward``: packshot -> shopper), along her limbs, as long as
        the garment's limb (``sy`` shopper px per packshot px)."""
        t = TUNING
        src_bones: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        dst_bones: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for first, second, root, cuff in self._limb_landmarks():
            start = transform_points(forward, root[None])[0]
            if first in dst.bones and "arm" in first:
                # sleeves hang from the shopper's shoulder joint, a little outside it when her arm is
                # raised like the packshot's sleeve; an arm hanging close to the body takes the sleeve
                # straight from the joint (the seam's outward offset would float it off the arm)
                joint, elbow = dst.bones[first]
                sleeve_angle = max(_angle(cuff - root, np.array([0.0, 1.0])), t.min_sleeve_angle)
                raised = _angle(elbow - joint, unit) / sleeve_angle
                start = joint + t.sleeve_offset * float(np.clip(raised, 0.0, 1.0)) * (start - joint)
            length = float(np.linalg.norm(cuff - root)) * sy
            fallback = unit * t.default_upper_limb * span_d
            a1 = dst.bones.get(first)
            d1 = (a1[1] - a1[0]) if a1 is not None else fallback
            a2 = dst.bones.get(second)
            d2 = (a2[1] - a2[0]) if a2 is not None else d1
            l1, l2 = float(np.linalg.norm(d1)), float(np.linalg.norm(d2))
            is_leg = "thigh" in first
            if is_leg and length >= t.full_leg * (l1 + l2):
                frac = l1 / (l1 + l2)  # long trousers follow the whole leg
                mid = root + (cuff - root) * frac
                src_bones[first], dst_bones[first] = (root, mid), (start, start + d1)
                src_bones[second], dst_bones[second] = (
                    (mid, cuff),
                    (start + d1, start + d1 + d2 * (length / (l1 + l2))),
                )
            elif length <= t.upper_limb_only * l1:
                src_bones[first] = (root, cuff)
                dst_bones[first] = (start, start + d1 / l1 * length)
            else:
                mid = root + (cuff - root) * (l1 / length)
                src_bones[first], dst_bones[first] = (root, mid), (start, start + d1)
                src_bones[second] = (mid, cuff)
                dst_bones[second] = (start + d1, start + d1 + d2 / l2 * (length - l1))
        return src_bones, dst_bones

    def _sleeve_widths(
        self, src_bones: dict[str, tuple[np.ndarray, np.ndarray]], sy: float, span_d: float
    ) -> dict[str, float]:
        """Per sleeve bone: packshot px per shopper px across, so that a sleeve at least covers the
        shopper's own arm (or sleeve: outerwear goes over it). Empty without a fitted shopper."""
        t, lm = TUNING, self.lm
        widths: dict[str, float] = {}
        if self.shape not in ("top", "outerwear", "dress") or self.shopper is None:
            return widths
        for side in ("right", "left"):
            cuff_p = float(np.linalg.norm(lm[f"sleeve_{side}_outer"] - lm[f"sleeve_{side}_inner"]))
            armhole = float(np.linalg.norm(lm[f"shoulder_{side}"] - lm[f"armpit_{side}"]))
            if cuff_p < t.min_cuff * armhole:
                continue  # a sleeve cut by the photo's frame has no cuff to measure: default width
            for bone in (f"{side}_upper_arm", f"{side}_forearm"):
                if bone in src_bones and bone in self.shopper_bones:
                    arm = limb_width(self.shopper, *self.shopper_bones[bone], span_d)
                    widths[bone] = min(1.0 / sy, cuff_p / max(1.0, t.sleeve_ease * arm))
        return widths

    def _sleeves_out_to_her_outline(
        self,
        src_bones: dict[str, tuple[np.ndarray, np.ndarray]],
        dst_bones: dict[str, tuple[np.ndarray, np.ndarray]],
        widths: dict[str, float],
        default_across: float,
        poly: np.ndarray,
        span_d: float,
    ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """``dst_bones`` with each sleeve bone moved out so that the sleeve's outer edge covers her
        arm's outline there (:mod:`ml.render.warp.sleeves`)."""
        assert self.shopper is not None
        her = warp_sleeves.her_outline(self.shopper)
        moved = dict(dst_bones)
        for bone in ("right_upper_arm", "right_forearm", "left_upper_arm", "left_forearm"):
            if bone not in src_bones or bone not in dst_bones:
                continue
            shift = warp_sleeves.outward_shift(
                alpha=self.layer.alpha,
                src_bone=src_bones[bone],
                dst_bone=dst_bones[bone],
                across=widths.get(bone, default_across),
                her=her,
                body_centre=poly.mean(axis=0),
                span=span_d,
            )
            a, b = dst_bones[bone]
            moved[bone] = (a + shift, b + shift)
        return moved

    def _body(self, legs: bool = True) -> np.ndarray:
        """The shopper's body without her arms (hands hanging at the thighs are not leg width), nor a
        dress or skirt (its width is not her legs'), unless measuring the hips."""
        assert self.shopper is not None
        parsing = self.shopper.parsing
        hidden = (C.ARMS, C.UPPER_CLOTHES, C.SKIRT) if legs else (C.ARMS,)
        return (self.shopper.person_mask > 127) & ~np.isin(parsing, hidden)

    def _shopper_hips(self, dst: Skeleton) -> float:
        """Width of the shopper's body across the hip joints (0 when not measurable)."""
        if "right_thigh" not in dst.bones or "left_thigh" not in dst.bones:
            return 0.0
        right, left = dst.bones["right_thigh"][0], dst.bones["left_thigh"][0]
        direction = left - right
        reach = TUNING.hip_scan * float(np.linalg.norm(direction)) + TUNING.hip_scan_extra
        extent = run_extent(self._body(legs=False), (right + left) / 2, direction, reach, reach)
        measured = 0.0 if extent is None else extent[1] - extent[0]
        if self._skirted(dst):
            # a skirt or dress (flared, or just loose) is not her hips: take them from the hip joints
            joints = TUNING.hip_from_joints * float(np.linalg.norm(direction))
            return min(measured, joints) if measured > 0 else joints
        return measured

    def _skirted(self, dst: Skeleton) -> bool:
        """Whether the shopper's thighs are (mostly) under a skirt or dress in the parsing."""
        assert self.shopper is not None
        parsing = self.shopper.parsing
        height, width = parsing.shape
        hits = total = 0
        for name in ("right_thigh", "left_thigh"):
            a, b = dst.bones[name]
            for share in TUNING.leg_samples:
                x, y = np.round(a + share * (b - a)).astype(int)
                if 0 <= x < width and 0 <= y < height:
                    total += 1
                    hits += int(parsing[y, x] in (C.SKIRT, C.UPPER_CLOTHES))
        return total > 0 and hits > total / 2

    def _packshot_hips(self) -> float:
        """Width of the packshot bottom across its hip line (at the leg roots; skirts: a third down)."""
        lm = self.lm
        waist = (lm["waist_left"] + lm["waist_right"]) / 2
        lower = lm["crotch"] if "crotch" in lm else (lm["hem_left"] + lm["hem_right"]) / 2
        fraction = TUNING.leg_root_depth if "crotch" in lm else TUNING.hip_line_skirt
        centre = waist + fraction * (lower - waist)
        centre[0] = waist[0]
        reach = float(self.layer.alpha.shape[1])
        extent = run_extent(self.layer.alpha > 0.5, centre, np.array([1.0, 0.0]), reach, reach)
        return 0.0 if extent is None else extent[1] - extent[0]

    def _leg_widths(
        self,
        src_bones: dict[str, tuple[np.ndarray, np.ndarray]],
        dst_bones: dict[str, tuple[np.ndarray, np.ndarray]],
        default: float,
        span: float,
    ) -> dict[str, float]:
        """Per trouser leg bone: packshot px per shopper px across, so that the leg covers the
        shopper's leg (measured on her person mask about the bone's line, up to halfway to the other
        leg) with ``leg_ease``; never narrower than the default, at most 1 / ``min_leg_scale`` times wider."""
        t = TUNING
        body = self._body()
        garment = self.layer.alpha > 0.5
        out: dict[str, float] = {}
        for bone in ("right_thigh", "right_shin", "left_thigh", "left_shin"):
            if bone not in src_bones or bone not in dst_bones:
                continue
            side, part = bone.split("_")
            other = f"{'left' if side == 'right' else 'right'}_{part}"
            (da, db), (sa, sb) = dst_bones[bone], src_bones[bone]
            ratios = []
            for share in t.leg_samples:
                measured = _leg_half_width(body, da, db, dst_bones.get(other), share, t.leg_scan * span)
                need = min(t.max_leg_half * span, measured)
                have = _leg_half_width(garment, sa, sb, src_bones.get(other), share, None, inner=True)
                if need > 0 and have > 0:
                    ratios.append(have / (t.leg_ease * need))
            if ratios:
                out[bone] = float(np.clip(min(ratios), t.min_leg_scale * default, default))
        return out

    def pieces(self, dst: Skeleton) -> list[Piece]:
        """One piece per group, except a sleeve over both arm bones: its upper arm (blended with the
        torso at the shoulder) and its forearm are warped apart, each rigidly on its own bone, and
        cross-faded at the elbow in the packshot's pixels, so a bent arm's sleeve has no folds."""
        pieces = []
        for group, part in self.parts(dst).items():
            side = {Group.RIGHT_ARM: "right", Group.LEFT_ARM: "left"}.get(group)
            bones = self._src_bones
            if side is None or len(part.affines) != 3 or f"{side}_forearm" not in bones:
                pieces.append(Piece(group, part))
                continue
            src_upper, src_fore = bones[f"{side}_upper_arm"], bones[f"{side}_forearm"]
            bent = self._bent_elbow(side, part.dst_shapes[1], part.dst_shapes[2], src_fore)
            if bent is None:
                upper, fore = self._sleeve_weights(src_upper, src_fore)
                keep_upper = keep_fore = None
            else:
                keep_upper, keep_fore, reach = bent
                upper, fore = self._split_at_elbow(src_upper, src_fore, reach)
            pieces.append(
                Piece(group, Part(part.affines[:2], part.dst_shapes[:2], part.sigma), upper, keep=keep_upper)
            )
            pieces.append(
                Piece(group, Part(part.affines[2:], part.dst_shapes[2:], part.sigma), fore, keep=keep_fore)
            )
        return pieces

    def _bent_elbow(
        self, side: str, upper: np.ndarray, fore: np.ndarray, src_fore: tuple[np.ndarray, np.ndarray]
    ) -> tuple[JointSide, JointSide, float] | None:
        """The two sides of her elbow for a sleeve over it (``upper``, ``fore``: the shopper's bones
        as the sleeve lies on them) and the cap's radius in packshot px, when it is bent more than
        ``bent_elbow``; else None."""
        u1, u2 = upper[1] - upper[0], fore[1] - fore[0]
        n1, n2 = float(np.linalg.norm(u1)), float(np.linalg.norm(u2))
        if n1 < 1.0 or n2 < 1.0:
            return None
        u1, u2 = u1 / n1, u2 / n2
        if _angle(u1, u2) <= TUNING.bent_elbow:
            return None
        normal = (u1 + u2) / max(float(np.linalg.norm(u1 + u2)), 1e-6)
        joint = (upper[1] + fore[0]) / 2
        # the cap: the sleeve's half-width at its cuff, on her (packshot px over its px per hers)
        lm = self.lm
        cuff = float(np.linalg.norm(lm[f"sleeve_{side}_outer"] - lm[f"sleeve_{side}_inner"]))
        src_length = float(np.linalg.norm(src_fore[1] - src_fore[0]))
        if src_length < 1e-6:
            return None
        reach = TUNING.elbow_cap * cuff / 2
        cap = reach * n2 / src_length
        return (
            JointSide(joint=joint, normal=normal, bone=-u1, towards=-1.0, cap=cap),
            JointSide(joint=joint, normal=normal, bone=u2, towards=1.0, cap=cap),
            reach,
        )

    def _split_at_elbow(
        self, upper: tuple[np.ndarray, np.ndarray], fore: tuple[np.ndarray, np.ndarray], reach: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each bone's share of the packshot's pixels for a sleeve over a bent elbow: all of the
        sleeve up to its elbow and ``reach`` packshot px past it for the upper arm, from as far
        before the elbow on for the forearm; where on her they meet is cut at the bend."""
        height, width = self.layer.alpha.shape
        axis = fore[1] - upper[0]
        length = float(np.linalg.norm(axis))
        if length < 1e-6:
            return self._sleeve_weights(upper, fore)
        axis = axis / length
        xs, ys = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
        along = (xs - upper[1][0]) * axis[0] + (ys - upper[1][1]) * axis[1]
        upper_share = np.clip(reach - along + 0.5, 0.0, 1.0).astype(np.float32)
        fore_share = np.clip(reach + along + 0.5, 0.0, 1.0).astype(np.float32)
        return upper_share, fore_share

    def _sleeve_weights(
        self, upper: tuple[np.ndarray, np.ndarray], fore: tuple[np.ndarray, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each bone's share of the packshot's pixels: a soft split across the elbow."""
        height, width = self.layer.alpha.shape
        scale = min(1.0, TUNING.weights_height / height)
        sw, sh = max(1, round(width * scale)), max(1, round(height * scale))
        xs, ys = np.meshgrid((np.arange(sw) + 0.5) / scale - 0.5, (np.arange(sh) + 0.5) / scale - 0.5)
        lm = self.lm
        span = float(np.linalg.norm(lm["shoulder_left"] - lm["shoulder_right"])) or 1.0
        w2 = _second_bone_share(xs, ys, upper, fore, TUNING.joint_blend * span)
        w2 = cv2.resize(w2.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
        return 1.0 - w2, w2

    def fit_to(self, shopper: PhotoAnalysis, dst: Skeleton) -> None:
        """Measure the shopper's limbs so the sleeves cover them (optional; before ``pieces``)."""
        self.shopper = shopper
        self.shopper_bones = dst.bones


def limb_width(analysis: PhotoAnalysis, a: np.ndarray, b: np.ndarray, span: float) -> float:
    """Median width of the shopper's limb (arm or sleeve) across bone a-b, at most twice
    ``limb_reach`` spans."""
    tuning = TUNING
    body = analysis.parsing != C.BACKGROUND
    height, width = body.shape
    d = np.asarray(b, np.float64) - np.asarray(a, np.float64)
    length = float(np.linalg.norm(d)) or 1.0
    perp = np.array([-d[1], d[0]]) / length
    limit = tuning.limb_reach * span
    last = tuning.limb_steps - 1
    middle = last // 2
    steps = np.linspace(-limit, limit, tuning.limb_steps)
    found = []
    for t in tuning.limb_samples:
        centre = np.asarray(a, np.float64) + t * d
        pts = centre[None] + steps[:, None] * perp[None]
        xs = np.clip(np.round(pts[:, 0]).astype(int), 0, width - 1)
        ys = np.clip(np.round(pts[:, 1]).astype(int), 0, height - 1)
        inside = body[ys, xs]
        if not inside[middle]:
            continue
        lo = middle
        while lo > 0 and inside[lo - 1]:
            lo -= 1
        hi = middle
        while hi < last and inside[hi + 1]:
            hi += 1
        found.append((hi - lo + 1) * (2 * limit / last))
    return float(np.median(found)) if found else 0.0


def _angle(a: np.ndarray, b: np.ndarray) -> float:
    """Angle between two vectors, in radians."""
    cos = float(np.dot(a, b)) / (float(np.linalg.norm(a) * np.linalg.norm(b)) or 1.0)
    return float(np.arccos(np.clip(cos, -1.0, 1.0)))


def run_extent(
    mask: np.ndarray, centre: np.ndarray, direction: np.ndarray, back: float, ahead: float
) -> tuple[float, float] | None:
    """Signed extent (lo, hi) in px along ``direction`` of the run of ``mask`` through ``centre``
    (or, when ``centre`` is outside, the inside run nearest to it), searched from -back to +ahead."""
    height, width = mask.shape
    unit = np.asarray(direction, np.float64)
    unit = unit / (float(np.linalg.norm(unit)) or 1.0)
    steps = np.arange(-np.floor(back), np.floor(ahead) + 1.0)
    if steps.size == 0:
        return None
    pts = np.asarray(centre, np.float64)[None] + steps[:, None] * unit[None]
    xs, ys = np.round(pts[:, 0]).astype(int), np.round(pts[:, 1]).astype(int)
    valid = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    inside = np.zeros(steps.size, bool)
    inside[valid] = mask[ys[valid], xs[valid]]
    if not inside.any():
        return None
    hits = np.flatnonzero(inside)
    seed = int(hits[np.argmin(np.abs(steps[hits]))])
    lo = hi = seed
    while lo > 0 and inside[lo - 1]:
        lo -= 1
    while hi < steps.size - 1 and inside[hi + 1]:
        hi += 1
    return float(steps[lo]) - 0.5, float(steps[hi]) + 0.5


def _leg_half_width(
    mask: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    other: tuple[np.ndarray, np.ndarray] | None,
    t: float,
    reach: float | None,
    inner: bool = False,
) -> float:
    """Half-width of a leg in ``mask`` about the line of bone a-b at ``t`` along it: the farther
    side (or, with ``inner``, the nearer side: what a packshot leg surely covers); the side
    towards the other leg stops halfway to that leg's bone."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    d = b - a
    length = float(np.linalg.norm(d))
    if length < 1.0:
        return 0.0
    perp = np.array([-d[1], d[0]]) / length
    centre = a + t * d
    limit = reach if reach is not None else float(max(mask.shape))
    towards = limit
    if other is not None:
        o = np.asarray(other[0], np.float64) + t * (np.asarray(other[1], np.float64) - other[0])
        gap = float(np.dot(o - centre, perp))
        if gap < 0:
            perp, gap = -perp, -gap
        towards = min(limit, gap / 2)
    return _half(run_extent(mask, centre, perp, limit, towards), inner)


def _half(extent: tuple[float, float] | None, inner: bool) -> float:
    if extent is None:
        return 0.0
    lo, hi = -extent[0], extent[1]
    if lo <= 0 or hi <= 0:
        return 0.0 if inner else max(abs(extent[0]), abs(extent[1]))
    return min(lo, hi) if inner else max(lo, hi)


def make_source(
    analysis: PhotoAnalysis | None, packshot: Packshot | None, kind: GarmentKind, whole_person: bool
):
    if packshot is not None:
        if whole_person:
            raise CannotRender("Pose mode needs a photo of the product on a model, not a flat packshot.")
        from ml.render.warp.mesh import TUNING, MeshPackshotSource

        if GarmentKind(packshot.kind) == GarmentKind.BOTTOM and not TUNING.ribbon_bottoms:
            return PackshotSource(packshot)  # measured better for bottoms (reviews/README.md)
        return MeshPackshotSource(packshot)
    assert analysis is not None
    return OnModelSource(analysis, kind, whole_person=whole_person)


__all__ = [
    "ARM_GROUPS",
    "LEG_GROUPS",
    "LIMBS",
    "Layer",
    "OnModelSource",
    "PackshotSource",
    "Piece",
    "cut_off_below",
    "make_source",
    "packshot_layer",
]
