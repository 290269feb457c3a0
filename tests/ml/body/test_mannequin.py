"""The fitted body drawn as a mannequin and a packshot fitted onto it by size (a box-shaped "body"
stands in for the fit, so that every pixel is known without the body model)."""

from __future__ import annotations

import numpy as np
import pytest

from ml.body.mannequin import (
    EASE,
    FRONT_WIDTH_OF_GIRTH,
    MANNEQUIN_HEIGHT_PX,
    MARGIN_PX,
    SHOULDER_TOP_CM,
    SKIN,
    Mannequin,
    SizeFit,
    draw_mannequin,
    dress_mannequin,
    size_strip,
)
from ml.body.model import BLAZE_TO_ANNY
from ml.body.types import BodyFit, CannotMeasure, ViewFit
from ml.errors import CannotRender
from ml.garments import draw_packshot
from ml.types import GarmentKind

FOCAL_PX = 800.0
DISTANCE_M = 3.0
CENTRE = (320.0, 240.0)
HEIGHT_CM = 170.0


def _box(width: float, depth: float, height: float):
    corners = np.array(
        [[x, y, z] for x in (-width / 2, width / 2) for y in (-depth / 2, depth / 2) for z in (0.0, height)]
    )
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    faces = [(a, b, c) for a, b, c, _ in quads] + [(a, c, d) for a, _, c, d in quads]
    return corners, np.array(faces)


def _to_camera(points: np.ndarray) -> np.ndarray:
    """Model frame (x left of the person = right in the image, y back, z up) to the camera's
    (x right, y down, z away), the person standing DISTANCE_M in front of it, centred."""
    return np.stack([points[:, 0], -(points[:, 2] - HEIGHT_CM / 200), points[:, 1] + DISTANCE_M], -1)


def _project(camera: np.ndarray) -> np.ndarray:
    return camera[:, :2] / camera[:, 2:3] * FOCAL_PX + np.array(CENTRE)


def box_fit() -> BodyFit:
    vertices, faces = _box(0.4, 0.2, HEIGHT_CM / 100)
    names = list(BLAZE_TO_ANNY.values())
    keypoints = np.zeros((len(names), 3))
    at = {
        "left_shoulder": (0.15, 0.0, 1.40),
        "right_shoulder": (-0.15, 0.0, 1.40),
        "left_hip": (0.09, 0.0, 0.90),
        "right_hip": (-0.09, 0.0, 0.90),
        "nose": (0.0, -0.1, 1.58),
    }
    for name, point in at.items():
        keypoints[names.index(name)] = point
    camera = _to_camera(vertices)
    view = ViewFit(
        view="front",
        focal_px=FOCAL_PX,
        distance_m=DISTANCE_M,
        tilt_deg=0.0,
        yaw_deg=0.0,
        keypoint_error_px=0.0,
        silhouette_iou=1.0,
        projected=_project(camera),
        camera_vertices=camera,
        keypoints=_project(_to_camera(keypoints)),
    )
    return BodyFit(
        height_cm=HEIGHT_CM,
        phenotypes={},
        local_changes={},
        views=[view],
        rest_vertices=vertices,
        rest_keypoints=keypoints,
        faces=faces,
    )


def test_the_mannequin_is_the_body_drawn_to_height_with_its_anchors():
    # given
    fit = box_fit()
    projected = fit.views[0].projected

    # when
    mannequin = draw_mannequin(fit)

    # then: the box's front fills the image but for the margin, opaque, never brighter than the
    # mannequin's colour; nothing outside it
    scale = MANNEQUIN_HEIGHT_PX / np.ptp(projected[:, 1])
    width = int(np.ceil(np.ptp(projected[:, 0]) * scale)) + 2 * MARGIN_PX
    assert mannequin.image.shape == (MANNEQUIN_HEIGHT_PX + 2 * MARGIN_PX, width, 4)
    alpha = mannequin.image[..., 3]
    rows, cols = np.nonzero(alpha)
    assert (rows.min(), rows.max()) == (MARGIN_PX + 1, MARGIN_PX + MANNEQUIN_HEIGHT_PX)
    assert (cols.min(), cols.max()) == (MARGIN_PX + 1, width - MARGIN_PX - 1)
    assert set(np.unique(alpha).tolist()) == {0, 255}
    assert np.all(mannequin.image[alpha > 0, :3] <= np.array(SKIN))
    assert mannequin.px_per_cm == pytest.approx(MANNEQUIN_HEIGHT_PX / HEIGHT_CM)
    # anchors: the keypoints through the same placement (the shoulders 1.40 m up, 30 cm apart)
    top = projected[:, 1].min()
    names = list(BLAZE_TO_ANNY.values())
    for name in ("left_shoulder", "right_shoulder", "left_hip", "right_hip"):
        x, y = fit.views[0].keypoints[names.index(name)]
        expected = ((x - projected[:, 0].min()) * scale + MARGIN_PX, (y - top) * scale + MARGIN_PX)
        assert mannequin.anchors[name] == pytest.approx(expected)
    shoulder_gap = mannequin.anchors["left_shoulder"][0] - mannequin.anchors["right_shoulder"][0]
    assert shoulder_gap == pytest.approx(30 * FOCAL_PX / (DISTANCE_M - 0.1) * scale / 100, rel=0.05)
    assert (
        mannequin.anchors["right_hip"][1]
        > mannequin.anchors["waist"][1]
        > mannequin.anchors["left_shoulder"][1]
    )


def test_the_mannequin_round_trips_through_its_stored_form():
    mannequin = draw_mannequin(box_fit())

    again = Mannequin.from_dict(mannequin.image, mannequin.to_dict())

    assert again.anchors.keys() == mannequin.anchors.keys()
    for name, point in mannequin.anchors.items():
        assert again.anchors[name] == pytest.approx(point, abs=0.01)
    assert again.px_per_cm == pytest.approx(mannequin.px_per_cm, abs=1e-4)


def test_a_fit_without_a_front_view_cannot_be_drawn():
    fit = box_fit()
    fit.views[0].view = "side"

    with pytest.raises(CannotMeasure, match="front view"):
        draw_mannequin(fit)


def _red_span(panel: np.ndarray, row: int) -> int:
    red = (panel[row, :, 0].astype(int) - panel[row, :, 1].astype(int)) > 80
    cols = np.flatnonzero(red)
    return int(cols.max() - cols.min() + 1) if len(cols) else 0


def test_a_size_up_is_drawn_wider_and_a_size_down_narrower_to_scale():
    # given: the mannequin, a red T-shirt, a 96 cm chest and three sizes of the chart
    mannequin = draw_mannequin(box_fit())
    packshot = draw_packshot(kind=GarmentKind.TOP, colour=(220, 30, 30), seed=3, size=(384, 288))
    sizes = [
        SizeFit("S", "chest", 88.0, 96.0),
        SizeFit("M", "chest", 96.0, 96.0),
        SizeFit("L", "chest", 104.0, 96.0),
    ]

    # when
    panels = [dress_mannequin(mannequin, packshot, size) for size in sizes]

    # then: half-way between the sleeves' ends and the hem, the garment is as wide as the body's
    # front width times the size's ratio and the ease, tapered like the packshot's sides (within
    # the anti-aliased, shaded edge)
    points = packshot.landmarks
    span = abs(points["armpit_left"][0] - points["armpit_right"][0])
    hem_span = abs(points["hem_left"][0] - points["hem_right"][0])
    sleeve_end = max(points["sleeve_left_inner"][1], points["sleeve_right_inner"][1])
    row_in_packshot = (sleeve_end + points["hem_left"][1]) / 2
    along = (row_in_packshot - points["armpit_left"][1]) / (points["hem_left"][1] - points["armpit_left"][1])
    shoulder_y = (points["shoulder_left"][1] + points["shoulder_right"][1]) / 2
    body_front = 96.0 * FRONT_WIDTH_OF_GIRTH * mannequin.px_per_cm
    top = (mannequin.anchors["left_shoulder"][1] + mannequin.anchors["right_shoulder"][1]) / 2
    top -= SHOULDER_TOP_CM * mannequin.px_per_cm
    for size, panel in zip(sizes, panels, strict=True):
        assert panel.shape == (*mannequin.image.shape[:2], 3)
        sx = body_front * size.ratio * EASE / span
        row = round(top + (row_in_packshot - shoulder_y) * sx)
        expected = sx * (span + along * (hem_span - span))
        assert _red_span(panel, row) == pytest.approx(expected, abs=3)
    spans = [_red_span(panel, panel.shape[0] // 2 - 40) for panel in panels]
    assert spans[0] < spans[1] < spans[2]
    # the body shows where the garment does not cover it, the page's white around it
    assert panels[1][0, 0].tolist() == [255, 255, 255]


def test_trousers_hang_from_the_waist():
    mannequin = draw_mannequin(box_fit())
    packshot = draw_packshot(kind=GarmentKind.BOTTOM, colour=(220, 30, 30), seed=3, size=(384, 288))

    panel = dress_mannequin(mannequin, packshot, SizeFit("M", "waist", 80.0, 80.0))

    red_rows = np.flatnonzero(((panel[..., 0].astype(int) - panel[..., 1].astype(int)) > 80).any(axis=1))
    assert abs(red_rows.min() - mannequin.anchors["waist"][1]) <= 3
    assert red_rows.max() > mannequin.anchors["left_hip"][1]


def test_a_packshot_without_its_landmarks_is_refused():
    mannequin = draw_mannequin(box_fit())
    packshot = draw_packshot(kind=GarmentKind.TOP, colour=(220, 30, 30), seed=3, size=(384, 288))
    del packshot.landmarks["armpit_left"]

    with pytest.raises(CannotRender, match="armpit_left"):
        dress_mannequin(mannequin, packshot, SizeFit("M", "chest", 96.0, 96.0))


def test_panels_are_put_side_by_side_with_a_gap():
    panels = [np.zeros((4, 3, 3), np.uint8), np.zeros((2, 5, 3), np.uint8)]

    strip = size_strip(panels, gap_px=2)

    assert strip.shape == (4, 3 + 2 + 5, 3)
    assert strip[:, 3:5].min() == 255  # the gap
    assert strip[2:, 5:].min() == 255  # the shorter panel padded below
    assert strip[:2, 5:].max() == 0
