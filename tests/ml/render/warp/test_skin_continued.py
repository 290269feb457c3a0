"""warp-29: skin painted where her old garment was continues the colour of the skin she shows (her
neck, chest and arms), instead of one flat tone that met her own skin at a seam."""

from __future__ import annotations

import numpy as np

from ml.render.warp.body import TUNING, body_skeleton, clean_plate, skin_tone
from ml.types import ParsingClass as C
from tests.support.people import make_person

BLUE = (40, 60, 200)
FACE = (225, 185, 160)  # her face and neck lighter than her arms (the figure's arms: 205, 165, 135)
HAIR = (40, 30, 25)


def _shopper_with_a_light_neck():
    shopper = make_person(upper=BLUE)
    shopper.image[shopper.parsing == C.FACE] = FACE
    return shopper


def test_painted_skin_below_her_neck_takes_her_necks_colour():
    # given a shopper whose face and neck are lighter than the skin tone read from her arms
    shopper = _shopper_with_a_light_neck()
    tone = skin_tone(shopper)
    assert np.abs(tone - np.array(FACE)).max() >= 15
    # when her top is replaced by painted skin
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then just below her neck (the top's neckline, y 68) the painted chest is about her neck's
    # colour (blended a little with her arms beside it), not a flat shade of her arms' tone: no
    # seam where her own skin ends (flat, it was 40 levels darker than her neck)
    chest = plate[70:76, 94:107].astype(np.float32).reshape(-1, 3)
    assert np.abs(chest.mean(axis=0) - np.array(FACE)).max() <= 17
    assert (np.abs(chest.mean(axis=0) - np.array(FACE)) < np.abs(tone - np.array(FACE))).all()


def test_painted_skin_stays_within_a_skin_range_beside_dark_pixels_labelled_skin():
    # given a shopper whose dark hair hangs over her neck down to her top and was labelled face
    shopper = make_person(upper=BLUE)
    lock = np.zeros(shopper.parsing.shape, bool)
    lock[50:68, 86:114] = True
    lock &= np.isin(shopper.parsing, (C.FACE, C.BACKGROUND))
    shopper.parsing[lock] = C.FACE
    shopper.image[lock] = HAIR
    tone = skin_tone(shopper)
    # when her top is replaced by painted skin
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then the chest under the lock is on average no darker than the skin range below her skin
    # tone (the painted skin's fine grain is around one)
    chest = plate[70:76, 94:107].astype(np.float32).reshape(-1, 3)
    assert (chest.mean(axis=0) >= tone - TUNING.skin_range - 3).all()


def test_on_a_tall_photo_the_skin_is_continued_at_half_resolution_and_fills_the_whole_plate():
    # given the same shopper photographed twice as large (the plate's skin is worked out at half
    # resolution above 400 rows)
    scale = np.array([[2.0, 0.0, 0.0], [0.0, 2.0, 0.0]])
    shopper = make_person(upper=BLUE, size=(600, 400), affine=scale)
    shopper.image[shopper.parsing == C.FACE] = FACE
    assert shopper.image.shape[0] > TUNING.half_resolution_above
    # when her top is replaced by painted skin
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then the plate is the photo's size, no blue is left, and below her neck it is about her
    # neck's colour, as on the small photo
    assert plate.shape == shopper.image.shape
    assert not (np.abs(plate.astype(int) - np.array(BLUE)).max(axis=2) <= 40).any()
    chest = plate[140:152, 188:214].astype(np.float32).reshape(-1, 3)
    assert np.abs(chest.mean(axis=0) - np.array(FACE)).max() <= 17


def test_without_any_visible_skin_the_painted_skin_is_her_skin_tone():
    # given a shopper whose skin the parser found nowhere (face, arms and legs labelled garment)
    shopper = make_person(upper=BLUE)
    skin = np.isin(shopper.parsing, (C.FACE, C.ARMS, C.LEGS))
    shopper.parsing[skin] = C.UPPER_CLOTHES
    shopper.image[skin] = BLUE
    tone = skin_tone(shopper)
    # when her garments are replaced
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then the torso is painted in the default skin tone (nothing of hers to continue)
    chest = plate[100:120, 95:105].astype(np.float32).reshape(-1, 3)
    assert np.array_equal(tone, np.array(TUNING.default_skin, np.float32))
    assert np.abs(chest.mean(axis=0) - tone).max() <= 6


def test_no_skin_is_painted_outside_her_outline_beside_an_arm():
    # given a shopper whose parser gave the background along the outside of her right upper arm to
    # her top (a garment fringe the person mask does not include), inside the reach of a painted arm
    shopper = make_person(upper=BLUE)
    dst = body_skeleton(shopper)
    ys, xs = np.mgrid[0 : shopper.height, 0 : shopper.width].astype(np.float64)
    (ax, ay), (bx, by) = dst.bones["right_upper_arm"]
    along = ((xs - ax) * (bx - ax) + (ys - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)
    across = ((xs - ax) * (by - ay) - (ys - ay) * (bx - ax)) / np.hypot(bx - ax, by - ay)
    outside = (along > 0.3) & (along < 0.8) & (np.abs(across) >= 5) & (np.abs(across) <= 7)
    outside &= xs < ax + (bx - ax) * along  # the side away from her torso
    assert outside.sum() > 20
    shopper.parsing[outside] = C.UPPER_CLOTHES
    shopper.person_mask[outside] = 0
    shopper.image[outside] = (230, 230, 230)  # what the photo shows there: the background
    # when her top is removed
    plate = clean_plate(shopper, dst)
    # then that fringe is filled as background, not painted as her arm's skin beside her arm (it was
    # skin: a ragged "ghost" of an arm once her own arm was pasted back)
    fringe = plate[outside].astype(np.float32)
    assert np.abs(fringe.mean(axis=0) - np.array((230.0, 230.0, 230.0))).max() <= 12
    # and her arm itself is untouched
    arm = (shopper.parsing == C.ARMS) & (np.abs(across) <= 3) & (along > 0.3) & (along < 0.8)
    assert (plate[arm] == shopper.image[arm]).all()
