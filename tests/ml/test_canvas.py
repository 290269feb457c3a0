import numpy as np
import pytest

from ml.canvas import (
    fit_canvas,
    image_from_canvas,
    image_to_canvas,
    labels_from_canvas,
    labels_to_canvas,
    mask_to_canvas,
    pose_map_gaussian,
    pose_map_official,
)
from ml.types import CANVAS_HEIGHT, CANVAS_WIDTH, KP, NUM_KEYPOINTS


@pytest.mark.parametrize(("height", "width"), [(560, 420), (3000, 4000), (900, 300)])
def test_person_box_fits_the_canvas_with_a_margin(height, width):
    # given a person occupying a box in photos of very different shapes
    mask = np.zeros((height, width), np.uint8)
    y0, y1, x0, x1 = height // 10, height * 9 // 10, width * 2 // 5, width * 3 // 5
    mask[y0:y1, x0:x1] = 255
    # when the canvas is fitted
    t = fit_canvas((height, width), mask)
    corners = t.to_canvas(np.array([[x0, y0], [x1, y1]], np.float32))
    # then the box is centred and inside the canvas, touching the vertical margins
    assert t.source_size == (height, width)
    assert corners[:, 0].min() >= 0 and corners[:, 0].max() <= CANVAS_WIDTH
    assert corners[0, 1] == pytest.approx(CANVAS_HEIGHT * 0.06, abs=0.5)
    assert corners[1, 1] == pytest.approx(CANVAS_HEIGHT * 0.94, abs=0.5)
    assert corners[:, 0].mean() == pytest.approx(CANVAS_WIDTH / 2, abs=0.5)


def test_wide_person_is_limited_by_the_canvas_width():
    mask = np.zeros((100, 1000), np.uint8)
    mask[40:60, 0:1000] = 255
    t = fit_canvas((100, 1000), mask)
    corners = t.to_canvas(np.array([[0, 40], [1000, 60]], np.float32))
    assert corners[1, 0] - corners[0, 0] == pytest.approx(CANVAS_WIDTH * 0.88, abs=0.5)


def test_image_and_labels_round_trip_through_the_canvas():
    # given a 512x352 photo (exactly 2x the canvas) with a labelled block
    height, width = 512, 352
    labels = np.zeros((height, width), np.uint8)
    labels[100:400, 100:250] = 5
    image = np.zeros((height, width, 3), np.uint8)
    image[labels == 5] = (200, 50, 10)
    mask = np.zeros((height, width), np.uint8)
    mask[0:height, 0:width] = 255
    t = fit_canvas((height, width), mask, margin=0.0)
    # when warped to the canvas and back
    canvas_labels = labels_to_canvas(labels, t)
    back = labels_from_canvas(canvas_labels, t)
    canvas_image = image_to_canvas(image, t)
    back_image = image_from_canvas(canvas_image, t)
    # then the canvas has the expected size and labels come back (nearest keeps ids exact)
    assert t.scale == pytest.approx(0.5)
    assert canvas_labels.shape == (CANVAS_HEIGHT, CANVAS_WIDTH)
    assert set(np.unique(canvas_labels).tolist()) == {0, 5}
    assert back.shape == (height, width)
    assert (back == labels).mean() > 0.99
    assert np.abs(back_image[250, 175].astype(int) - [200, 50, 10]).max() <= 2
    assert canvas_image.shape == (CANVAS_HEIGHT, CANVAS_WIDTH, 3)


def test_outside_the_photo_is_white_on_the_canvas_and_background_in_labels():
    # given a narrow 100x60 photo filled by the person from top to bottom
    mask = np.zeros((100, 60), np.uint8)
    mask[:, 25:35] = 255
    t = fit_canvas((100, 60), mask)
    canvas = image_to_canvas(np.zeros((100, 60, 3), np.uint8), t)
    # then the canvas beside the photo is white
    assert canvas[0, 0].tolist() == [255, 255, 255]
    assert canvas[CANVAS_HEIGHT // 2, CANVAS_WIDTH // 2].tolist() == [0, 0, 0]
    assert mask_to_canvas(mask, t)[CANVAS_HEIGHT // 2, CANVAS_WIDTH // 2] == 255
    assert mask_to_canvas(mask, t)[0, 0] == 0


def test_keypoints_map_to_canvas_and_back_and_missing_stays_missing():
    t = fit_canvas((560, 420))
    keypoints = np.full((NUM_KEYPOINTS, 2), -1.0, np.float32)
    keypoints[KP["nose"]] = (210, 50)
    canvas = t.to_canvas(keypoints)
    assert canvas[KP["neck"]].tolist() == [-1.0, -1.0]
    assert t.to_original(canvas)[KP["nose"]] == pytest.approx([210, 50], abs=1e-3)


def test_official_pose_map_is_one_pixel_of_one_per_visible_joint():
    keypoints = np.full((NUM_KEYPOINTS, 2), -1.0, np.float32)
    keypoints[KP["nose"]] = (10.4, 20.6)
    keypoints[KP["neck"]] = (175.0, 255.0)
    keypoints[KP["left_ankle"]] = (300.0, 20.0)  # off the canvas
    maps = pose_map_official(keypoints)
    assert maps.shape == (NUM_KEYPOINTS, CANVAS_HEIGHT, CANVAS_WIDTH)
    assert maps.dtype == np.float32
    assert maps[KP["nose"], 21, 10] == 1.0
    assert maps[KP["nose"]].sum() == 1.0
    assert maps[KP["neck"], 255, 175] == 1.0
    assert maps[KP["left_ankle"]].sum() == 0.0
    assert maps.sum() == 2.0


def test_gaussian_pose_map_is_smooth_and_peaks_at_the_joint():
    keypoints = np.full((NUM_KEYPOINTS, 2), -1.0, np.float32)
    keypoints[KP["right_wrist"]] = (88.0, 128.0)
    maps = pose_map_gaussian(keypoints, sigma=6)
    channel = maps[KP["right_wrist"]]
    assert channel[128, 88] == pytest.approx(1.0)
    assert channel[128, 94] == pytest.approx(np.exp(-0.5), rel=1e-5)
    assert maps[KP["nose"]].max() == 0.0
    assert (maps > 0).sum() > 100
