"""The pose at work size: keypoints, the body's scale and levels, distances to the limbs, the torso."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

from ml.parsing.heuristic.tuning import ParsingTuning
from ml.pose import PoseResult
from ml.types import KP

# BlazePose landmarks of each hand: the wrist and the little finger's and index's knuckles
BLAZE_HANDS = {"right": (16, (18, 20)), "left": (15, (17, 19))}


# BlazePose's nose, eyes and ears (COCO's head keypoints)
BLAZE_HEAD = (0, 2, 5, 7, 8)


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
    arm_sides: tuple[np.ndarray, np.ndarray]  # to the right and to the left arm, every pixel
    leg: np.ndarray  # to the nearer leg (thighs cut by the frame included), every pixel
    head: np.ndarray  # to the head's centre (inf without a head), every pixel
    head_centre: np.ndarray | None
    torso: np.ndarray  # bool: inside the torso's polygon
    seen_arm_full: np.ndarray  # to the nearer seen arm, every pixel
    seen_arm: np.ndarray  # ... person pixels only
    seen_leg: np.ndarray  # to the nearer seen leg, person pixels only
    hand: np.ndarray  # to the nearer seen forearm and hand (elbow, wrist, fingers), person pixels only


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
    arm_sides = (_limb_distance(xx, yy, k, "right", "arm", t), _limb_distance(xx, yy, k, "left", "arm", t))
    arm_d = np.minimum(*arm_sides)
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
        arm_sides=arm_sides,
        leg=leg_d,
        head=head_d,
        head_centre=head_centre,
        torso=torso.astype(bool),
        seen_arm_full=seen_arm_full,
        seen_arm=seen_arm_full[person],
        seen_leg=seen_leg_full[person],
        hand=hand[person],
    )


def _between_shoulders(frame: _Frame, person: np.ndarray) -> np.ndarray:
    """Person pixels (in ``person``'s order) between the shoulder joints' columns, above their line."""
    if len(frame.shoulders) < 2 or frame.shoulder_y is None:
        return np.zeros(int(person.sum()), bool)
    left, right = sorted(float(p[0]) for p in frame.shoulders)
    xs, ys = frame.xx[person], frame.yy[person]
    return (xs > left) & (xs < right) & (ys <= frame.shoulder_y)


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


def _hands(frame: _Frame, t: ParsingTuning) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each seen hand as a segment from its wrist to its fingertips (else the forearm run on past
    the wrist by ``hand_reach``)."""
    hands = []
    for side in ("right", "left"):
        wrist = frame.k[f"{side}_wrist"]
        if wrist is None:
            continue
        end = frame.k.get(f"{side}_fingers")
        if end is None:
            end = _extend(frame.k[f"{side}_elbow"], wrist, t.hand_reach)
        hands.append((wrist, wrist if end is None else end))
    return hands


def _extend(a: np.ndarray | None, b: np.ndarray | None, fraction: float) -> np.ndarray | None:
    if a is None or b is None:
        return None
    return b + (b - a) * fraction


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
