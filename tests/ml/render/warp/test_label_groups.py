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
