"""An on-model garment's part groups (torso, sleeves, legs) have smooth borders at full size."""

from __future__ import annotations

import numpy as np

from ml.render.warp.body import TUNING, label_groups
from ml.render.warp.geometry import Frame, Group, Skeleton
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
