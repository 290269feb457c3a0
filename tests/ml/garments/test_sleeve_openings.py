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


def test_a_sleeve_hanging_against_the_body_opens_across_its_end():
    # given a tee whose short sleeves hang down flush with its body
    mask = _hanging_tee()
    # when its landmarks are estimated
    landmarks = estimate_landmarks(None, mask, GarmentKind.TOP)
    # then each opening runs from the sleeve's outer corner in to the armpit, across the sleeve's end
    for side, outer_x, inner_x in (("right", 80, 120), ("left", 320, 280)):
        outer, inner = _corners(landmarks, side)
        assert outer[0] == pytest.approx(outer_x, abs=6)
        assert outer[1] == pytest.approx(190, abs=6)
        assert inner[0] == pytest.approx(inner_x, abs=8)
        assert inner[1] == pytest.approx(195, abs=6)


def test_a_slanted_cuff_is_read_across_the_slant_not_down_the_fold():
    # given a dropped-shoulder tee whose sleeves end in cuffs slanting down to the armpits
    mask = _dropped_shoulder_tee()
    # when its landmarks are estimated
    landmarks = estimate_landmarks(None, mask, GarmentKind.TOP)
    # then each opening's outer corner is the cuff's top end (not up the fold at the shoulder) and its
    # inner corner lies at the slant's lower end
    for side, outer_x, inner_x in (("right", 60, 125), ("left", 340, 275)):
        outer, inner = _corners(landmarks, side)
        assert outer[0] == pytest.approx(outer_x, abs=6)
        assert outer[1] == pytest.approx(150, abs=6)
        assert inner[0] == pytest.approx(inner_x, abs=8)
        assert inner[1] == pytest.approx(215, abs=8)


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
