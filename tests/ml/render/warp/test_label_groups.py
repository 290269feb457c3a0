"""An on-model garment's part groups (torso, sleeves, legs) have smooth borders at full size."""

from __future__ import annotations

import numpy as np

from ml.render.warp.body import TUNING, label_groups
from ml.render.warp.geometry import Frame, Group, Skeleton, segment_distance
from ml.types import ParsingClass as C

HEIGHT, WIDTH = 1024, 768


def _skeleton(bones: dict) -> Skeleton:
    frame = Frame(origin=np.array([384.0, 300.0]), down=np.array([0.0, 320.0]), half_width=90.0)
    return Skeleton(frame=frame, bones=bones)


def _arm_raised_sideways() -> dict:
    # the right arm runs from the shoulder out and down at about 40 degrees
    shoulder, elbow, wrist = np.array([294.0, 300.0]), np.array([160.0, 420.0]), np.array([60.0, 520.0])
    return {"right_upper_arm": (shoulder, elbow), "right_forearm": (elbow, wrist)}


def _sleeve_border_columns(labels: np.ndarray, rows: range) -> list[int]:
    """Per row, the first column (from the left) where the sleeve gives way to the torso."""
    out = []
    for row in rows:
        sleeve = np.flatnonzero(labels[row] == Group.RIGHT_ARM)
        out.append(int(sleeve.max()) + 1)
    return out


def test_the_sleeve_border_across_a_garment_runs_without_steps():
    # given a garment covering the whole frame and an arm held out at an angle
    assert TUNING.label_height * 3 < HEIGHT  # the labels are read on a copy a third as tall or less
    parsing = np.full((HEIGHT, WIDTH), C.UPPER_CLOTHES, np.uint8)
    skeleton = _skeleton(_arm_raised_sideways())
    # when the garment is split into part groups
    labels = label_groups(parsing, skeleton)
    # then the sleeve's border moves by at most two pixels from one row to the next (pixel steps of
    # the small copy, scaled up, made it jump by six or more every few rows)
    columns = _sleeve_border_columns(labels, range(330, 460))
    jumps = np.abs(np.diff(columns))
    assert jumps.max() <= 2
    # and it does move: the border is slanted, not a straight column
    assert columns[-1] - columns[0] != 0


def test_each_class_keeps_its_own_groups():
    # given a photo's parsing with a face, arms, trousers and legs
    parsing = np.zeros((HEIGHT, WIDTH), np.uint8)
    parsing[100:250, 330:440] = C.FACE
    parsing[300:600, 300:470] = C.UPPER_CLOTHES
    parsing[330:520, 120:200] = C.ARMS
    parsing[600:800, 300:470] = C.PANTS
    parsing[800:1000, 300:470] = C.LEGS
    bones = _arm_raised_sideways()
    bones["head"] = (np.array([384.0, 290.0]), np.array([384.0, 200.0]))
    bones["right_thigh"] = (np.array([340.0, 620.0]), np.array([340.0, 800.0]))
    bones["left_thigh"] = (np.array([430.0, 620.0]), np.array([430.0, 800.0]))
    bones["right_shin"] = (np.array([340.0, 800.0]), np.array([340.0, 990.0]))
    bones["left_shin"] = (np.array([430.0, 800.0]), np.array([430.0, 990.0]))
    # when it is split into part groups
    labels = label_groups(parsing, _skeleton(bones))
    # then the face is the head, the arm's skin the right arm, each leg its own leg, and the
    # background and the middle of the top the torso
    assert set(np.unique(labels[parsing == C.FACE])) == {Group.HEAD}
    assert set(np.unique(labels[parsing == C.ARMS])) == {Group.RIGHT_ARM}
    assert set(np.unique(labels[900:1000, 300:330])) == {Group.RIGHT_LEG}
    assert set(np.unique(labels[900:1000, 440:470])) == {Group.LEFT_LEG}
    assert set(np.unique(labels[parsing == C.BACKGROUND])) == {Group.TORSO}
    assert set(np.unique(labels[400:500, 360:420])) == {Group.TORSO}


def test_without_arms_no_garment_pixel_is_a_sleeve():
    # given a garment and a skeleton without arm bones
    parsing = np.full((HEIGHT, WIDTH), C.UPPER_CLOTHES, np.uint8)
    # when it is split into part groups
    labels = label_groups(parsing, _skeleton({}))
    # then all of it is torso
    assert set(np.unique(labels)) == {Group.TORSO}


def _arm_hanging_with_forearm_across_the_belly() -> dict:
    # the right upper arm hangs down the torso's side from the shoulder joint (the polygon's
    # corner); the forearm turns in across the belly
    shoulder, elbow, wrist = np.array([294.0, 300.0]), np.array([294.0, 480.0]), np.array([384.0, 560.0])
    return {"right_upper_arm": (shoulder, elbow), "right_forearm": (elbow, wrist)}


def test_a_sleeve_around_a_hanging_upper_arm_is_taken_whole_and_the_belly_stays_torso():
    # given a garment covering the whole frame, the upper arm hanging along the torso's side and
    # the forearm across the belly
    parsing = np.full((HEIGHT, WIDTH), C.UPPER_CLOTHES, np.uint8)
    skeleton = _skeleton(_arm_hanging_with_forearm_across_the_belly())
    span = 180.0  # the frame's shoulder joints apart
    # when it is split into part groups
    labels = label_groups(parsing, skeleton)
    # then the garment on both sides of the upper arm's bone, within the sleeve's core, is the
    # sleeve: its inner half too, though it lies inside the torso's outline
    core = TUNING.sleeve_core * span
    inner = labels[350:450, 295 : 294 + round(0.7 * core)]  # columns just inside the bone
    outer = labels[350:450, 294 - round(0.7 * core) : 294]
    assert inner.size > 0 and outer.size > 0
    assert set(np.unique(inner)) == {Group.RIGHT_ARM}
    assert set(np.unique(outer)) == {Group.RIGHT_ARM}
    # and the torso beyond the core is torso
    assert set(np.unique(labels[350:450, round(294 + 1.5 * core) : 384])) == {Group.TORSO}
    # and the belly under the forearm is torso (only the upper arm has a core)
    assert set(np.unique(labels[535:545, 340:380])) == {Group.TORSO}


def test_a_sleeveless_bodice_beside_a_bare_upper_arm_stays_torso():
    # given a sleeveless top inside the torso's outline and the bare arm's skin on the outer half
    # of the upper arm's bone
    parsing = np.zeros((HEIGHT, WIDTH), np.uint8)
    parsing[300:700, 294:474] = C.UPPER_CLOTHES
    parsing[300:480, 260:294] = C.ARMS
    skeleton = _skeleton(_arm_hanging_with_forearm_across_the_belly())
    # when it is split into part groups
    labels = label_groups(parsing, skeleton)
    # then the bodice next to the bone is torso (its mirror image across the bone is skin), and
    # the skin is the arm
    core = TUNING.sleeve_core * 180.0
    assert set(np.unique(labels[350:450, 295 : 294 + round(0.7 * core)])) == {Group.TORSO}
    assert set(np.unique(labels[350:450, 262:292])) == {Group.RIGHT_ARM}


def _dress_with_an_arm_hanging_beside_its_skirt(
    forearm_class: int, flare: float = 0.4
) -> tuple[np.ndarray, dict]:
    """A dress whose skirt flares out (``flare`` px a row below the waist) to meet the right
    forearm hanging beside it; the forearm is in a long sleeve (``UPPER_CLOTHES``) or bare
    (``ARMS``), the upper arm always sleeved."""
    parsing = np.zeros((HEIGHT, WIDTH), np.uint8)
    rows = np.arange(HEIGHT)[:, None]
    cols = np.arange(WIDTH)[None, :]
    # the bodice inside the frame, then the skirt widening below the waist
    left_edge = np.where(rows < 420, 294, 294 - flare * (rows - 420))
    parsing[(rows >= 300) & (rows < 1000) & (cols >= left_edge) & (cols <= 768 - left_edge)] = C.UPPER_CLOTHES
    shoulder, elbow, wrist = np.array([294.0, 300.0]), np.array([250.0, 470.0]), np.array([236.0, 640.0])
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float64)
    half_width = 24.0
    upper = segment_distance(xs, ys, shoulder, elbow) <= half_width
    forearm = (segment_distance(xs, ys, elbow, wrist) <= half_width) & ~upper
    parsing[upper] = C.UPPER_CLOTHES
    parsing[forearm] = forearm_class
    return parsing, {"right_upper_arm": (shoulder, elbow), "right_forearm": (elbow, wrist)}


def test_a_long_sleeve_hanging_beside_a_flared_skirt_is_the_sleeve_down_to_the_cuff():
    # given a dress with long sleeves whose right forearm hangs against the flaring skirt
    parsing, bones = _dress_with_an_arm_hanging_beside_its_skirt(C.UPPER_CLOTHES)
    # when it is split into part groups
    labels = label_groups(parsing, _skeleton(bones))
    # then the forearm's sleeve is the arm on both sides of its bone, its half nearer the skirt too
    # (by distance the flared skirt is nearer, and the sleeve went with the torso)
    for row in (520, 570, 620):
        bone_x = round(250 + (236 - 250) * (row - 470) / 170)
        assert set(np.unique(labels[row, bone_x - 18 : bone_x + 19])) == {Group.RIGHT_ARM}
    # and the skirt beyond the sleeve, and the bodice, stay torso
    assert set(np.unique(labels[600:620, 300:470])) == {Group.TORSO}
    assert set(np.unique(labels[400:440, 330:470])) == {Group.TORSO}


def test_the_skirt_around_a_bare_forearm_stays_torso():
    # given the same dress with a wider skirt and a bare forearm hanging in front of it: skirt on
    # both sides of the forearm, so the mirror image of the skirt beside it is skirt too
    parsing, bones = _dress_with_an_arm_hanging_beside_its_skirt(C.ARMS, flare=1.0)
    assert (parsing[560:600, 190:200] == C.UPPER_CLOTHES).all()
    # when it is split into part groups
    labels = label_groups(parsing, _skeleton(bones))
    # then the skin is the arm and the skirt right next to it on the body's side is torso (the
    # forearm's bone lies on skin: no sleeve runs round it)
    assert set(np.unique(labels[560:600][parsing[560:600] == C.ARMS])) == {Group.RIGHT_ARM}
    skirt_beside = labels[560:600, 270:282]
    assert (parsing[560:600, 270:282] == C.UPPER_CLOTHES).all()
    assert set(np.unique(skirt_beside)) == {Group.TORSO}


def test_a_long_sleeve_held_in_front_of_the_skirt_below_the_hips_stays_with_the_torso():
    # given a dress with long sleeves, the right forearm held across the front of the skirt below
    # the hips (a hand holding a bag): outside the torso's quad but not beside the torso
    parsing = np.zeros((HEIGHT, WIDTH), np.uint8)
    parsing[300:1000, 294:475] = C.UPPER_CLOTHES
    shoulder, elbow, wrist = np.array([294.0, 300.0]), np.array([294.0, 520.0]), np.array([380.0, 680.0])
    skeleton = _skeleton({"right_upper_arm": (shoulder, elbow), "right_forearm": (elbow, wrist)})
    # when it is split into part groups
    labels = label_groups(parsing, skeleton)
    # then the garment round the forearm's lower half, in front of the skirt, is torso
    assert set(np.unique(labels[650:690, 350:400])) == {Group.TORSO}
