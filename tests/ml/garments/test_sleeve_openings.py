"""Where a flat garment's sleeve openings are read (issue 10): across the sleeve's end, also when a
short sleeve hangs down against the body (its opening then runs in to the armpit) or ends in a
slanted cuff, not down its outer fold. Constructed outlines with known corners, and tune packshots
whose openings were read 0 px wide or along the fold."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ml.garments.estimate import estimate_landmarks
from ml.types import GarmentKind

SIZE = 400


def _mirrored(right: list[tuple[int, int]]) -> np.ndarray:
    """A tee's mask from its right half's outline (neck middle -> shoulder -> sleeve -> hem middle),
    mirrored across x = 200, with a shallow neckline."""
    half = np.array(right)
    other = half.copy()
    other[:, 0] = SIZE - other[:, 0]
    mask = np.zeros((SIZE, SIZE), np.uint8)
    cv2.fillPoly(mask, [np.concatenate([half[::-1], other]).astype(np.int32)], 255)
    cv2.rectangle(mask, (165, 60), (235, 70), 0, -1)
    return mask


def _hanging_tee() -> np.ndarray:
    """Short sleeves hanging down against the body: the outer fold runs from the shoulder (110, 70)
    down and out to the cuff's outer corner (80, 190); the cuff runs flat in to the armpit
    (120, 195), where the body's side goes on down to the hem."""
    return _mirrored([(200, 60), (110, 70), (80, 190), (120, 195), (120, 360), (200, 360)])


def _dropped_shoulder_tee() -> np.ndarray:
    """A dropped shoulder whose sleeve ends in a slanted cuff: the fold runs from the shoulder
    (120, 70) down to the cuff's outer corner (60, 150); the cuff slants down and in to the armpit
    (125, 215)."""
    return _mirrored([(200, 60), (120, 70), (60, 150), (125, 215), (125, 360), (200, 360)])


def _corners(landmarks, side: str) -> tuple[np.ndarray, np.ndarray]:
    return np.array(landmarks[f"sleeve_{side}_outer"]), np.array(landmarks[f"sleeve_{side}_inner"])


@pytest.mark.parametrize(
    ("tee", "outer", "inner"),
    [
        # short sleeves hanging flush with the body: across the end, from the outer corner in to the
        # armpit
        (_hanging_tee, (80, 190), (120, 195)),
        # a dropped shoulder's slanted cuff: across the slant, not down the fold to the shoulder
        (_dropped_shoulder_tee, (60, 150), (125, 215)),
    ],
    ids=["hanging-against-the-body", "slanted-cuff"],
)
def test_a_sleeves_opening_is_read_across_its_end(tee, outer, inner):
    # given a tee laid flat (its right half as drawn, its left half mirrored)
    mask = tee()
    # when its landmarks are estimated
    landmarks = estimate_landmarks(None, mask, GarmentKind.TOP)
    # then each sleeve's opening runs between the cuff's two ends, on both sides
    for side, mirror in (("right", False), ("left", True)):
        found_outer, found_inner = _corners(landmarks, side)
        expected_outer = np.array([SIZE - outer[0] if mirror else outer[0], outer[1]])
        expected_inner = np.array([SIZE - inner[0] if mirror else inner[0], inner[1]])
        assert np.abs(found_outer - expected_outer).max() <= 6
        assert np.abs(found_inner - expected_inner).max() <= 8


@pytest.mark.slow
@pytest.mark.parametrize("name", ["03244_00.jpg", "050105_1.jpg", "050181_1.jpg", "07764_00.jpg"])
def test_a_packshot_tees_openings_are_as_wide_as_a_cuff(people_dir, name):
    # given a tune packshot of a tee whose sleeves hang down (one of each was read 0-5 % of its
    # armhole wide, down the sleeve's outer fold)
    from ml.garments import prepare_packshot
    from ml.intake import load_image

    packshot = prepare_packshot(load_image(people_dir.parent / "vton" / "garments" / name), "top")
    landmarks = packshot.landmarks
    for side in ("left", "right"):
        outer, inner = _corners(landmarks, side)
        shoulder, armpit = np.array(landmarks[f"shoulder_{side}"]), np.array(landmarks[f"armpit_{side}"])
        armhole = np.linalg.norm(shoulder - armpit)
        # then each opening is at least a third of its armhole wide ...
        assert np.linalg.norm(outer - inner) > armhole / 3
        # ... and lies below the shoulder by more than half the armhole (at the sleeve's end)
        middle_drop = (outer + inner)[1] / 2 - landmarks[f"shoulder_{side}"][1]
        assert middle_drop > armhole / 2
