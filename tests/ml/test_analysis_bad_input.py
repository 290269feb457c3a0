"""Garbage into every perception entry point gives a typed ml.errors error with a sentence, never a crash."""

from __future__ import annotations

import numpy as np
import pytest

from ml.analysis import get_analyzer
from ml.errors import InvalidImage, InvalidPose, NoPersonFound
from ml.intake import to_pil
from ml.parsing import HeuristicParser
from ml.pose import PoseResult, get_pose_estimator
from ml.types import NUM_KEYPOINTS

GARBAGE = {
    "none": None,
    "list": [[1, 2, 3]],
    "empty": np.zeros((0, 0, 3), np.uint8),
    "flat": np.zeros(10, np.uint8),
    "grayscale": np.full((100, 80), 128, np.uint8),
    "rgba": np.full((100, 80, 4), 128, np.uint8),
    "float": np.full((100, 80, 3), 0.5, np.float32),
    "nan": np.full((100, 80, 3), np.nan, np.float32),
    "channels_first": np.zeros((3, 100, 80), np.uint8),
    "batch": np.zeros((1, 100, 80, 3), np.uint8),
}


def _pose(height: int = 120, width: int = 90, **changes) -> PoseResult:
    keypoints = np.stack([np.linspace(30, 60, NUM_KEYPOINTS), np.linspace(10, 110, NUM_KEYPOINTS)], axis=1)
    fields = dict(
        keypoints=keypoints.astype(np.float32),
        scores=np.ones(NUM_KEYPOINTS, np.float32),
        person_mask=np.full((height, width), 255, np.uint8),
        found=False,
        people_count=1,
    )
    fields.update(changes)
    return PoseResult(**fields)


@pytest.mark.parametrize("image", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_images_get_invalid_image_everywhere(image):
    # given an array (or not) that is no (H, W, 3) uint8 photo, then each entry point names the problem
    with pytest.raises(InvalidImage, match=r"needs an RGB image \(H, W, 3\) of 8-bit values|has no pixels"):
        get_analyzer().predict(image)
    with pytest.raises(InvalidImage, match=r"Pose estimation needs an RGB image|has no pixels"):
        get_pose_estimator().predict(image)
    with pytest.raises(InvalidImage, match=r"Parsing needs an RGB image|has no pixels"):
        HeuristicParser().predict(image, _pose())


def test_blank_photo_is_no_person_not_a_graph_error():
    # given a featureless image the pose graph cannot even look at (it used to raise RuntimeError)
    blank = np.zeros((100, 160, 3), np.uint8)[:, ::2]
    # then the estimator finds nobody and the analyser says so in a sentence
    assert get_pose_estimator().predict(blank).found is False
    with pytest.raises(NoPersonFound, match="could not find a person"):
        get_analyzer().predict(blank)


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        (dict(keypoints=np.zeros((5, 2), np.float32)), "18 keypoints"),
        (dict(scores=np.ones(3, np.float32)), "18 keypoints"),
        (dict(person_mask=np.zeros((10, 10), np.uint8)), "person mask is 10x10 but the photo is 90x120"),
        (dict(blaze_landmarks=np.zeros((5, 4), np.float32)), "33 BlazePose landmarks"),
    ],
    ids=["keypoints", "scores", "mask", "blaze"],
)
def test_pose_that_does_not_fit_the_photo_is_refused(changes, sentence):
    # given a photo and a pose of the wrong shape, then the parser refuses it by name
    with pytest.raises(InvalidPose, match=sentence):
        HeuristicParser().predict(np.full((120, 90, 3), 200, np.uint8), _pose(**changes))
    with pytest.raises(InvalidPose, match="PoseResult found in the same photo"):
        HeuristicParser().predict(np.full((120, 90, 3), 200, np.uint8), None)


@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["nan", "inf"])
def test_non_finite_keypoints_count_as_missing(bad):
    # given a pose whose keypoints are partly NaN / inf, and the same pose with them missing
    pose = _pose()
    pose.keypoints[[0, 5, 11]] = bad
    given = pose.keypoints.copy()
    without = _pose()
    without.keypoints[[0, 5, 11]] = -1
    image = np.full((120, 90, 3), 200, np.uint8)
    # when parsed
    labels = HeuristicParser().predict(image, pose)
    # then the labels are those of the pose without these keypoints, pixel for pixel
    assert labels.shape == (120, 90)
    assert labels.dtype == np.uint8
    assert np.array_equal(labels, HeuristicParser().predict(image, without))
    # and the caller's pose was not modified
    assert np.array_equal(pose.keypoints, given, equal_nan=True)


@pytest.mark.parametrize("array", [None, np.zeros((0, 4), np.uint8), np.zeros((4, 4, 2), np.uint8)])
def test_to_pil_refuses_what_is_no_image(array):
    with pytest.raises(InvalidImage, match="can become an image"):
        to_pil(array)
