"""A sleeve the product model holds up, drawn from its mirror image: her other, hanging sleeve.

With one arm raised to her head the raised sleeve is seen end-on or bunched, partly behind her hand
and hair; laid along a shopper's hanging arm it came out as a thin, torn tube with pieces of her hand
("floating sleeve fragments", "ghostly translucent arm edges"). A garment's two sleeves are cut
alike, so the hanging one, mirrored across her body's axis, stands in for it. The mirrored sleeve is
kept beside the photo on a layer twice as wide, with the bones it hangs from, and the shopper's pose
chooses between it and the photographed one (a shopper with her arm raised too keeps the original).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ml.render.warp.geometry import (
    Group,
    Skeleton,
    mirror_affine,
    polygon_distance,
    segment_distance,
    transform_points,
)


@dataclass(frozen=True)
class MirrorTuning:
    """Angles in degrees between an upper arm and the body's downward axis."""

    raised: float = 70.0  # an upper arm this far from hanging holds its sleeve up ...
    raised_forearm: float = 120.0  # ... and so does a forearm this far (a hand at her head)
    # ... and its sleeve reaches this far (shoulder spans) from its bones, off the torso
    sleeve_reach: float = 0.35
    hanging: float = 40.0  # ... and the other upper arm, within this, hangs with a whole sleeve to mirror
    hanging_forearm: float = 90.0  # ... its forearm within this (not held up)
    min_sleeve: float = 0.01  # a sleeve covers at least this share of the garment (else sleeveless)
    # the mirror image is drawn when its bones lie at least this much closer to the shopper's arm
    # (the two bones' angles summed)
    gain: float = 30.0


TUNING = MirrorTuning()
ARMS: dict[Group, tuple[str, str]] = {
    Group.RIGHT_ARM: ("right_upper_arm", "right_forearm"),
    Group.LEFT_ARM: ("left_upper_arm", "left_forearm"),
}
OTHER = {Group.RIGHT_ARM: Group.LEFT_ARM, Group.LEFT_ARM: Group.RIGHT_ARM}


@dataclass
class Mirrored:
    """The layer's arrays widened by the photo's width, the mirror images of hanging sleeves in the
    new right half (labelled as the raised arm's group), and the bones each hangs from there."""

    image: np.ndarray
    alpha: np.ndarray
    groups: np.ndarray
    bones: dict[Group, dict[str, tuple[np.ndarray, np.ndarray]]]
    width: int  # the photo's width: x below it is the photo, from it on the mirror images
    # per raised arm, what of its photographed sleeve the garment's body carries (its root above
    # the shoulder, outside the torso), kept from the body when the mirror image is drawn (0..1)
    body_keeps: dict[Group, np.ndarray]


def _angle_from_down(bone: tuple[np.ndarray, np.ndarray], down: np.ndarray) -> float:
    a, b = (np.asarray(p, np.float64) for p in bone)
    down = np.asarray(down, np.float64)
    cos = float(np.dot(b - a, down)) / (float(np.linalg.norm(b - a) * np.linalg.norm(down)) or 1.0)
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def bone_angle(skeleton: Skeleton, name: str) -> float | None:
    """Degrees between bone ``name`` (pointing away from the body) and the body's downward axis."""
    bone = skeleton.bones.get(name)
    return None if bone is None else _angle_from_down(bone, skeleton.frame.down)


def _held_up(skeleton: Skeleton, group: Group, t: MirrorTuning) -> bool:
    upper, fore = (bone_angle(skeleton, name) for name in ARMS[group])
    return (upper is not None and upper > t.raised) or (fore is not None and fore > t.raised_forearm)


def _hangs(skeleton: Skeleton, group: Group, t: MirrorTuning) -> bool:
    upper, fore = (bone_angle(skeleton, name) for name in ARMS[group])
    return upper is not None and fore is not None and upper <= t.hanging and fore <= t.hanging_forearm


def raised_sleeves(
    skeleton: Skeleton, groups: np.ndarray, alpha: np.ndarray, t: MirrorTuning = TUNING
) -> list[Group]:
    """The arms whose sleeve is held up while the other arm hangs in a sleeve, both its bones seen."""
    garment = alpha >= 0.5
    area = max(1, int(garment.sum()))

    def sleeved(group: Group) -> bool:
        return int((garment & (groups == int(group))).sum()) >= t.min_sleeve * area

    return [
        group
        for group, other in OTHER.items()
        if sleeved(group) and sleeved(other) and _held_up(skeleton, group, t) and _hangs(skeleton, other, t)
    ]


def mirrored(
    image: np.ndarray,
    alpha: np.ndarray,
    groups: np.ndarray,
    skeleton: Skeleton,
    raised: list[Group],
    t: MirrorTuning = TUNING,
) -> Mirrored:
    """The layer widened with, for each raised arm, the other arm's sleeve mirrored across the body's
    axis into the new right half."""
    height, width = groups.shape
    flip = mirror_affine(skeleton.frame.origin, skeleton.frame.down)
    flip[0, 2] += width  # into the right half
    size = (2 * width, height)
    wide_image = np.zeros((height, 2 * width, 3), np.uint8)
    wide_alpha = np.zeros((height, 2 * width), np.float32)
    wide_groups = np.zeros((height, 2 * width), np.uint8)
    wide_image[:, :width], wide_alpha[:, :width], wide_groups[:, :width] = image, alpha, groups
    flipped_image = cv2.warpAffine(image, flip, size, flags=cv2.INTER_LINEAR)
    flipped_alpha = cv2.warpAffine(alpha, flip, size, flags=cv2.INTER_LINEAR)
    flipped_groups = cv2.warpAffine(groups, flip, size, flags=cv2.INTER_NEAREST, borderValue=255)
    bones: dict[Group, dict[str, tuple[np.ndarray, np.ndarray]]] = {}
    body_keeps: dict[Group, np.ndarray] = {}
    ys, xs = np.mgrid[:height, : 2 * width].astype(np.float64)
    poly = skeleton.polygon().astype(np.float64)
    span = float(np.linalg.norm(poly[1] - poly[0])) or 1.0
    off_torso = polygon_distance(xs, ys, poly) > 0
    right = np.zeros((height, 2 * width), bool)
    right[:, width:] = True
    for group in raised:
        other = OTHER[group]
        # the other sleeve with its soft rim (the rim carries the group of the sleeve it borders)
        sleeve = right & (flipped_groups == int(other))
        wide_image[sleeve] = flipped_image[sleeve]
        wide_alpha[sleeve] = flipped_alpha[sleeve]
        wide_groups[sleeve] = int(group)
        # what the body carries of the held-up part: both bones' when the upper arm is raised, the
        # forearm's alone when only the hand is up (the upper arm's sleeve then covers her shoulder)
        upper, fore = ARMS[group]
        held = (upper, fore) if (bone_angle(skeleton, upper) or 0.0) > t.raised else (fore,)
        near = np.zeros((height, 2 * width), bool)
        for bone in held:
            if bone in skeleton.bones:
                near |= segment_distance(xs, ys, *skeleton.bones[bone]) < t.sleeve_reach * span
        body_keeps[group] = 1.0 - (near & off_torso & ~right).astype(np.float32)
        bones[group] = {
            mine: tuple(transform_points(flip, np.asarray(skeleton.bones[theirs], np.float64)))
            for mine, theirs in zip(ARMS[group], ARMS[other], strict=True)
        }
    return Mirrored(wide_image, wide_alpha, wide_groups, bones, width, body_keeps)


def _pose_gap(frame_down: np.ndarray, bones: dict, dst: Skeleton, group: Group) -> float | None:
    """How far (degrees, summed over the upper arm and forearm) an arm's bones lie from the shopper's."""
    gap = 0.0
    for name in ARMS[group]:
        theirs = bone_angle(dst, name)
        if name not in bones or theirs is None:
            return None
        gap += abs(_angle_from_down(bones[name], frame_down) - theirs)
    return gap


def use_mirror(
    src: Skeleton, mirror_bones: dict, dst: Skeleton, group: Group, t: MirrorTuning = TUNING
) -> bool:
    """Whether the shopper's arm lies closer to the mirrored sleeve's bones than to the raised
    sleeve's by ``gain`` degrees."""
    raised = _pose_gap(src.frame.down, src.bones, dst, group)
    mirrored_gap = _pose_gap(src.frame.down, mirror_bones, dst, group)
    return raised is not None and mirrored_gap is not None and raised - mirrored_gap >= t.gain
