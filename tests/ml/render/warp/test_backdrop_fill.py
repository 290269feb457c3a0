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
    # then the filled backdrop steps by at most 6 levels across the gown's old outline: the shade
    # within 4 px of it (the band the garment's edge spreads into) ramps onto the fill, keeping 3
    # levels of its own grain
    assert _seam_jump(shopper, plate) <= 6.0
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


def _gown_with_a_dark_strand_beside_it(distance: int = 0, width: int = 2):
    """The gown on a plain sweep with a dark strand ``width`` px wide (hair the parser left as
    background) along the skirt's left edge, ``distance`` px out from what is removed, rows 210-235;
    returns the shopper and the removed region."""
    shopper = _shopper_in_a_gown(np.full((300, 200, 3), 225, np.uint8))
    removed = grow_into_background(np.isin(shopper.parsing, GARMENT_CLASSES), shopper.parsing, shopper.image)
    for row in range(210, 236):
        first = int(np.flatnonzero(removed[row])[0]) - distance
        shopper.image[row, first - width : first] = 20
    return shopper, removed


def _beside_the_strand(plate: np.ndarray, removed: np.ndarray) -> np.ndarray:
    rows = []
    for row in range(210, 236):
        first = int(np.flatnonzero(removed[row])[0])
        rows.append(plate[row, first : first + 6].astype(np.float32))
    return np.stack(rows)


def test_a_dark_strand_beside_the_gown_is_left_out_of_the_seam_match():
    # given a gown with a thin dark strand just outside its outline
    shopper, removed = _gown_with_a_dark_strand_beside_it()
    # when her gown is replaced
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then the fill beside the strand keeps the sweep's colour (within 10 levels on average): the
    # fill is matched to the backdrop past the band the garment's edge spreads into, so the strand
    # (like that edge) is not read as the backdrop there
    assert np.abs(_beside_the_strand(plate, removed) - 225).mean() <= 10


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


SPECK_ROWS = range(205, 241, 3)  # rows with a speck of the removed skirt's edge beside its rim


def _gown_with_specks_beside_its_rim(speck: int, distance: int):
    """The gown on a plain sweep (225) with a speck ``speck`` levels off the sweep ``distance`` px
    outside the removed region on its left, every third hem row (the soft edge and the JPEG's
    ringing a dark skirt leaves on a light sweep); returns the shopper and the removed region."""
    shopper = _shopper_in_a_gown(np.full((300, 200, 3), 225, np.uint8))
    removed = grow_into_background(np.isin(shopper.parsing, GARMENT_CLASSES), shopper.parsing, shopper.image)
    for row in SPECK_ROWS:
        first = int(np.flatnonzero(removed[row])[0])
        shopper.image[row, first - distance] = 225 + speck
    return shopper, removed


def _specks(plate: np.ndarray, removed: np.ndarray, distance: int) -> np.ndarray:
    """Each speck's step from the pixel above it at the same distance outside the removed region."""
    steps = []
    for row in SPECK_ROWS:
        column = int(np.flatnonzero(removed[row])[0]) - distance
        above = int(np.flatnonzero(removed[row - 1])[0]) - distance
        steps.append(plate[row, column].astype(int) - plate[row - 1, above].astype(int))
    return np.array(steps)


def test_specks_of_the_removed_skirts_edge_beside_its_rim_go_with_it():
    # given a gown with dark specks (25 levels below the sweep) 1 px outside what is removed (the
    # photo is 300 rows, so the edge band reaches 4 px)
    shopper, removed = _gown_with_specks_beside_its_rim(speck=-25, distance=1)
    # when her gown is replaced
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then each speck is within 4 levels of the backdrop beside it (3 levels of the photo's own
    # grain kept, and a level of rounding): no dotted outline of the old skirt
    assert np.abs(_specks(plate, removed, 1)).max() <= 4


def test_specks_fade_into_the_backdrop_as_they_lie_farther_out():
    # given the same specks 3 px outside what is removed, and 6 px out (beyond the band)
    near, near_removed = _gown_with_specks_beside_its_rim(speck=-25, distance=3)
    far, far_removed = _gown_with_specks_beside_its_rim(speck=-25, distance=6)
    # when her gown is replaced
    near_plate = clean_plate(near, body_skeleton(near))
    far_plate = clean_plate(far, body_skeleton(far))
    # then the nearer specks are pulled more than half-way onto the backdrop beside them (weight 5/8
    # at 3 px of a 4 px band) and the farther ones are left as the photo has them
    assert np.abs(_specks(near_plate, near_removed, 3)).max() <= 12
    assert np.abs(_specks(near_plate, near_removed, 3)).min() >= 5
    assert (_specks(far_plate, far_removed, 6) == -25).all()


def test_a_strand_far_off_the_backdrop_beside_the_gown_is_not_pulled_onto_the_fill():
    # given the gown with a thin dark strand just outside what is removed (hair the parser left as
    # background, 205 levels below the sweep)
    shopper, removed = _gown_with_a_dark_strand_beside_it()
    # when her gown is replaced
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then the strand is as dark as before
    strand = np.array([plate[row, int(np.flatnonzero(removed[row])[0]) - 1] for row in range(210, 236)])
    assert (strand == 20).all()


def test_a_patterned_backdrop_beside_the_gown_is_left_as_it_is(monkeypatch):
    # given a gown before a striped wall, its pixels just outside what is removed darkened by 20
    shopper = _shopper_in_a_gown(_stripes())
    removed = grow_into_background(np.isin(shopper.parsing, GARMENT_CLASSES), shopper.parsing, shopper.image)
    beside = (cv2.dilate(removed.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0) & ~removed
    beside &= shopper.parsing == C.BACKGROUND
    shopper.image[beside] -= 20
    # when her gown is replaced
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then those pixels keep the photo's colours (the fill there is the wall's own pattern)
    assert (plate[beside] == shopper.image[beside]).all()
