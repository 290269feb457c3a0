"""Pose on every real photo (analyses cached per session in conftest)."""

import numpy as np
import pytest

from ml.pose import blaze_to_coco
from ml.types import KEYPOINT_NAMES, KP, NUM_KEYPOINTS, View

pytestmark = pytest.mark.slow


def y_of(analysis, *names):
    points = [analysis.keypoints[KP[n]] for n in names if analysis.visible(n)]
    return None if not points else float(np.mean([p[1] for p in points]))


def test_every_photo_has_a_pose_and_a_person_mask(analyses):
    # given the 35 real photos, then each has shoulders, a face point and a mask under them
    assert len(analyses) == 35
    for name, analysis in analyses.items():
        assert analysis.keypoints.shape == (NUM_KEYPOINTS, 2), name
        assert analysis.visible("right_shoulder") and analysis.visible("left_shoulder"), name
        assert analysis.visible("neck"), name
        assert analysis.person_mask.shape == analysis.image.shape[:2], name
        x, y = analysis.keypoints[KP["neck"]].astype(int)
        assert analysis.person_mask[y, x] >= 128, name


def test_keypoints_are_inside_the_photo_or_missing(analyses):
    for name, analysis in analyses.items():
        visible = analysis.keypoints[analysis.keypoints[:, 0] >= 0]
        missing = analysis.keypoints[analysis.keypoints[:, 0] < 0]
        assert (visible[:, 0] <= analysis.width - 1).all() and (visible[:, 1] <= analysis.height - 1).all(), (
            name
        )
        assert (missing == -1).all(), name


def test_left_and_right_are_not_swapped_on_front_views(analyses):
    # on a front view the person's right shoulder and hip appear on the image's left
    front = {n: a for n, a in analyses.items() if a.view == View.FRONT}
    assert len(front) >= 30
    for name, analysis in front.items():
        k = analysis.keypoints
        assert k[KP["right_shoulder"], 0] < k[KP["left_shoulder"], 0], name
        if analysis.visible("right_hip") and analysis.visible("left_hip"):
            assert k[KP["right_hip"], 0] < k[KP["left_hip"], 0], name


def test_body_order_from_neck_to_ankles(analyses):
    for name, analysis in analyses.items():
        levels = [
            y_of(analysis, "neck"),
            y_of(analysis, "right_hip", "left_hip"),
            y_of(analysis, "right_knee", "left_knee"),
            y_of(analysis, "right_ankle", "left_ankle"),
        ]
        seen = [level for level in levels if level is not None]
        assert seen == sorted(seen), (name, levels)
        if analysis.visible("nose"):
            assert y_of(analysis, "nose") < y_of(analysis, "neck"), name


def test_neck_is_the_midpoint_of_the_shoulders(analyses):
    analysis = analyses["onmodel_01"]
    k = analysis.keypoints
    assert np.allclose(k[KP["neck"]], (k[KP["right_shoulder"]] + k[KP["left_shoulder"]]) / 2)


def test_blaze_conversion_maps_names_without_mirroring():
    # given BlazePose landmarks where only the person's left shoulder (11) is visible, at x=0.7
    landmarks = np.zeros((33, 4), np.float32)
    landmarks[11] = (0.7, 0.2, 0.0, 0.99)
    landmarks[12] = (0.3, 0.2, 0.0, 0.2)  # right shoulder below the visibility threshold
    # when converted for a 100x200 (w x h) photo
    keypoints, scores = blaze_to_coco(landmarks, 100, 200)
    # then COCO's left shoulder is at (70, 40), the right one and the neck are missing
    assert keypoints[KP["left_shoulder"]].tolist() == pytest.approx([70.0, 40.0])
    assert keypoints[KP["right_shoulder"]].tolist() == [-1.0, -1.0]
    assert keypoints[KP["neck"]].tolist() == [-1.0, -1.0]
    assert scores[KP["neck"]] == pytest.approx(0.2)
    assert len(KEYPOINT_NAMES) == 18


def test_blaze_conversion_drops_points_outside_the_photo():
    landmarks = np.zeros((33, 4), np.float32)
    landmarks[27] = (0.5, 1.3, 0.0, 0.9)  # left ankle below the frame
    keypoints, _ = blaze_to_coco(landmarks, 100, 100)
    assert keypoints[KP["left_ankle"]].tolist() == [-1.0, -1.0]


def test_photo_of_a_wall_has_no_person():
    from ml.analysis import get_analyzer
    from ml.errors import NoPersonFound

    # given a plain grey photo with a gradient
    image = np.tile(np.linspace(90, 160, 300, dtype=np.uint8)[:, None, None], (1, 200, 3))
    # when analysed, then a NoPersonFound with a sentence is raised
    with pytest.raises(NoPersonFound, match="could not find a person"):
        get_analyzer().predict(image)


def test_large_photo_is_downscaled_for_inference_and_mapped_back(analyses, people_dir):
    # given a fixture photo upscaled 4x (a phone-sized photo)
    import cv2

    from ml.analysis import get_analyzer

    small = analyses["onmodel_04"]
    big = cv2.resize(small.image, (small.width * 4, small.height * 4), interpolation=cv2.INTER_CUBIC)
    # when analysed
    result = get_analyzer().predict_pose(big)
    # then the keypoints are in the big photo's pixels, close to 4x the small ones
    both = (result.keypoints[:, 0] >= 0) & (small.keypoints[:, 0] >= 0)
    assert both.sum() >= 12
    error = np.abs(result.keypoints[both] - 4 * small.keypoints[both]).max()
    assert error < 0.03 * big.shape[0]
    assert result.person_mask.shape == big.shape[:2]


def test_two_people_side_by_side_are_reported(analyses):
    from ml.analysis import get_analyzer

    # given two fixture photos of one person each, joined side by side
    both = np.concatenate([analyses["onmodel_04"].image, analyses["onmodel_20"].image], axis=1)
    # when analysed
    analysis = get_analyzer().predict(both)
    # then the photo is flagged (a warning, not an error) and one of them is analysed
    assert [f.code for f in analysis.findings] == ["several_people"]
    assert not analysis.has_error


def test_without_counting_people_the_pose_model_runs_once_and_reports_one_person(analyses):
    from ml.pose import get_pose_estimator

    # given two fixture photos of one person each, joined side by side, and a count of graph runs
    both = np.concatenate([analyses["onmodel_04"].image, analyses["onmodel_20"].image], axis=1)
    estimator = get_pose_estimator()
    runs = []
    original_run = estimator._run

    def counting_run(image):
        runs.append(image.shape)
        return original_run(image)

    estimator._run = counting_run
    try:
        # when the pose is found without counting the people, and then with it
        uncounted = estimator.predict(both, count_people=False)
        runs_uncounted = len(runs)
        counted = estimator.predict(both)
    finally:
        del estimator._run

    # then the first took one pass and reports one person; the second looked again and found two
    assert uncounted.found and uncounted.people_count == 1
    assert runs_uncounted == 1
    assert counted.people_count == 2
    assert len(runs) == 3
    np.testing.assert_array_equal(uncounted.keypoints, counted.keypoints)
