"""warp-59: the backdrop behind a removed garment meets the backdrop beside it without a seam, and a
patterned backdrop is continued with its own pattern (a smooth fill of a gown's place read as a
lighter or blurred "ghost of the old gown" around new trousers)."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from ml.kinds import GARMENT_CLASSES
from ml.render.warp import body
from ml.render.warp.body import body_skeleton, clean_plate, grow_into_background
from ml.types import ParsingClass as C
from tests.support.people import make_person

GOWN = (150, 30, 60)
HEM_ROWS = range(200, 241)  # the flared skirt's rows beside her legs (the legs' paint is far inside)


def _shopper_in_a_gown(backdrop: np.ndarray):
    """The stick figure in a gown flaring from the hips to 60 px each side of her legs at the hem,
    on ``backdrop`` (300x200 RGB)."""
    shopper = make_person(upper=GOWN)
    parsing = shopper.parsing.copy()
    skirt = np.array([[76, 160], [124, 160], [170, 250], [30, 250]], np.int32)
    cv2.fillConvexPoly(parsing, skirt, int(C.UPPER_CLOTHES))
    image = backdrop.copy()
    image[parsing > 0] = shopper.image[parsing > 0]
    image[parsing == C.UPPER_CLOTHES] = GOWN
    shopper.parsing = parsing
    shopper.person_mask = ((parsing > 0) * 255).astype(np.uint8)
    shopper.image = image
    return shopper


def _gradient_with_a_shadow(shopper_parsing: np.ndarray, shadow: int, reach: int) -> np.ndarray:
    """A studio sweep, lighter downwards, darkened by ``shadow`` levels within ``reach`` px of the
    person (the shade a long skirt casts on the backdrop beside it)."""
    rows = np.linspace(200, 235, 300, dtype=np.float32)[:, None, None]
    backdrop = np.broadcast_to(rows, (300, 200, 3)).copy()
    near = cv2.dilate((shopper_parsing > 0).astype(np.uint8), np.ones((2 * reach + 1,) * 2, np.uint8)) > 0
    backdrop[near] -= shadow
    return np.clip(backdrop, 0, 255).astype(np.uint8)


def _seam_jump(shopper, plate: np.ndarray) -> float:
    """The mean colour step across the removed skirt's outline on its left side: the first pixel of
    the removed region against the backdrop pixel just outside it."""
    removed = grow_into_background(np.isin(shopper.parsing, GARMENT_CLASSES), shopper.parsing, shopper.image)
    steps = []
    for row in HEM_ROWS:
        first = int(np.flatnonzero(removed[row])[0])
        inside = plate[row, first].astype(np.float32)
        outside = plate[row, first - 1].astype(np.float32)
        steps.append(np.abs(inside - outside).max())
    return float(np.mean(steps))


def _gown_on_a_shaded_sweep():
    plain = make_person(upper=GOWN)
    skirt = plain.parsing.copy()
    cv2.fillConvexPoly(skirt, np.array([[76, 160], [124, 160], [170, 250], [30, 250]], np.int32), 1)
    return _shopper_in_a_gown(_gradient_with_a_shadow(skirt, shadow=40, reach=8))


def test_the_backdrop_filled_behind_a_removed_gown_meets_the_shaded_backdrop_beside_it():
    # given a shopper in a flared gown on a studio sweep shaded darker beside the gown
    shopper = _gown_on_a_shaded_sweep()
    # when her gown is replaced by the clean plate
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then the filled backdrop steps by at most 2 levels across the gown's old outline
    assert _seam_jump(shopper, plate) <= 2.0
    # and no gown colour is left
    assert not (np.abs(plate.astype(int) - np.array(GOWN)).max(axis=2) <= 30).any()


def test_without_the_seam_match_the_same_fill_steps_at_the_gowns_outline(monkeypatch):
    # given the same shopper, and the seam match switched off (no ring pixel is near enough)
    shopper = _gown_on_a_shaded_sweep()
    monkeypatch.setattr(body, "TUNING", dataclasses.replace(body.TUNING, seam_outlier=0.0))
    # when her gown is replaced
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then the fill, read from the lighter sweep further out, steps at the outline: the ghost the
    # match removes
    assert _seam_jump(shopper, plate) >= 12.0


def _gown_with_a_dark_strand_beside_it():
    """The gown on a plain sweep with a 2 px dark strand (hair the parser left as background) along
    the skirt's left edge, rows 210-235; returns the shopper and the removed region."""
    shopper = _shopper_in_a_gown(np.full((300, 200, 3), 225, np.uint8))
    removed = grow_into_background(np.isin(shopper.parsing, GARMENT_CLASSES), shopper.parsing, shopper.image)
    for row in range(210, 236):
        first = int(np.flatnonzero(removed[row])[0])
        shopper.image[row, first - 2 : first] = 20
    return shopper, removed


def _beside_the_strand(plate: np.ndarray, removed: np.ndarray) -> np.ndarray:
    rows = []
    for row in range(210, 236):
        first = int(np.flatnonzero(removed[row])[0])
        rows.append(plate[row, first : first + 6].astype(np.float32))
    return np.stack(rows)


def test_a_dark_strand_beside_the_gown_is_left_out_of_the_seam_match(monkeypatch):
    # given a gown with a thin dark strand just outside its outline
    shopper, removed = _gown_with_a_dark_strand_beside_it()
    # when her gown is replaced, with the seam match and with it taking every ring pixel
    plate = clean_plate(shopper, body_skeleton(shopper))
    monkeypatch.setattr(body, "TUNING", dataclasses.replace(body.TUNING, seam_outlier=1e9))
    smudged = clean_plate(shopper, body_skeleton(shopper))
    # then the fill beside the strand keeps the sweep's colour (within 10 levels on average), where
    # the strand, taken as backdrop, would spread a dark smudge into it
    assert np.abs(_beside_the_strand(plate, removed) - 225).mean() <= 10
    assert np.abs(_beside_the_strand(smudged, removed) - 225).mean() >= 40


def _stripes() -> np.ndarray:
    columns = np.where((np.arange(200) // 4) % 2 == 0, 120, 235).astype(np.uint8)
    return np.broadcast_to(columns[None, :, None], (300, 200, 3)).copy()


def test_a_striped_backdrop_is_continued_with_its_stripes_behind_a_removed_gown():
    # given a shopper in a gown before a striped wall
    shopper = _shopper_in_a_gown(_stripes())
    # when her gown is replaced
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then the wall filled in where the skirt flared out beside her legs has stripes again: light
    # and dark columns 40 levels apart or more (a smooth fill there is one mid grey)
    filled = plate[225:240, 38:62].astype(np.float32).mean(axis=(0, 2))
    assert filled.max() - filled.min() >= 40
    # and it holds no gown colour
    assert not (np.abs(plate.astype(int) - np.array(GOWN)).max(axis=2) <= 30).any()


@pytest.mark.parametrize(
    ("backdrop", "textured"),
    [("stripes", True), ("sweep", False), ("shaded sweep", False)],
)
def test_only_a_patterned_backdrop_counts_as_textured(backdrop, textured):
    # given a gown's hole on a striped wall, a plain sweep, or a sweep with the gown's shade
    plain = make_person(upper=GOWN)
    images = {
        "stripes": _stripes(),
        "sweep": np.full((300, 200, 3), 225, np.uint8),
        "shaded sweep": _gradient_with_a_shadow(plain.parsing, shadow=40, reach=8),
    }
    hole = (plain.parsing > 0).astype(np.uint8)
    # when the backdrop round the hole is measured
    # then only the stripes are continued as a pattern
    assert body._textured(images[backdrop], hole) is textured
