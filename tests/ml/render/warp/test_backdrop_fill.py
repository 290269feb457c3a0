"""warp-43: the backdrop behind a removed gown continues the backdrop's own light at each height
(a smooth model of the background around it), not the average of the whole ring around the gown,
which left the gown's shape as a pale ghost on a backdrop that darkens towards the floor."""

from __future__ import annotations

import cv2
import numpy as np

from ml.render.warp.body import body_skeleton, clean_plate
from ml.types import ParsingClass as C
from tests.support.people import make_person

GOWN = (30, 30, 35)
TOP_LIGHT, FLOOR_LIGHT = 240.0, 150.0  # the backdrop's grey at the photo's top and bottom rows
STOOL = (60, 40, 30)


def _backdrop(height: int, width: int) -> np.ndarray:
    """A studio backdrop: darker towards the floor, a little darker towards the sides."""
    down = np.linspace(0.0, 1.0, height)[:, None]
    rows = TOP_LIGHT - (TOP_LIGHT - FLOOR_LIGHT) * down**2  # the floor's shade deepens fast
    sides = 12.0 * ((np.arange(width) - width / 2) / (width / 2)) ** 2
    grey = rows - sides[None, :]
    return np.repeat(grey[..., None], 3, axis=2)


def _shopper_in_a_gown_on_a_backdrop(stool: bool = False):
    shopper = make_person(upper=GOWN, upper_to=1.0)
    parsing = shopper.parsing.copy()
    skirt = np.array([[76, 160], [124, 160], [190, 292], [10, 292]], np.int32)
    cv2.fillConvexPoly(parsing, skirt, int(C.UPPER_CLOTHES))
    backdrop = _backdrop(*parsing.shape)
    image = shopper.image.copy()
    background = parsing == C.BACKGROUND
    image[background] = np.round(backdrop[background]).astype(np.uint8)
    image[parsing == C.UPPER_CLOTHES] = GOWN
    if stool:  # furniture beside her, in the backdrop
        image[220:300, 192:198] = STOOL
        image[214:222, 176:200] = STOOL
    shopper.parsing = parsing
    shopper.person_mask = ((parsing > 0) * 255).astype(np.uint8)
    shopper.image = image
    return shopper, backdrop


def _away_from_her_legs(shopper) -> np.ndarray:
    """The gown's skirt pixels well clear of her legs (which the plate paints as skin)."""
    area = np.zeros(shopper.parsing.shape, np.uint8)
    cv2.fillConvexPoly(area, np.array([[76, 160], [124, 160], [190, 292], [10, 292]], np.int32), 1)
    area[:, 60:140] = 0
    return (area > 0) & (shopper.parsing == C.UPPER_CLOTHES)


def test_a_removed_gown_is_filled_with_the_backdrops_light_at_each_height():
    # given a shopper in a wide gown on a backdrop 90 levels darker at the floor than at the top
    shopper, backdrop = _shopper_in_a_gown_on_a_backdrop()
    area = _away_from_her_legs(shopper)
    assert area.sum() > 2000
    # when the gown is removed (the clean plate)
    plate = clean_plate(shopper, body_skeleton(shopper)).astype(np.float32)
    # then beside her legs the filled backdrop is within a few levels of the backdrop's own light
    # there (a fill with the average of the ring around the gown was 20-30 levels lighter near the
    # floor and showed the gown's outline as a ghost)
    error = np.abs(plate[area] - backdrop[area]).max(axis=1)
    assert float(np.percentile(error, 95)) <= 8.0
    assert float(error.mean()) <= 4.0


def test_furniture_beside_her_does_not_bleed_into_the_filled_backdrop():
    # given the same shopper with a dark stool standing beside her gown
    shopper, backdrop = _shopper_in_a_gown_on_a_backdrop(stool=True)
    area = _away_from_her_legs(shopper)
    # when the gown is removed
    plate = clean_plate(shopper, body_skeleton(shopper)).astype(np.float32)
    # then the filled backdrop a little away from the stool is still the backdrop's light, not
    # darkened by the stool (the fit weighs such outliers down)
    clear = area.copy()
    clear[:, 150:] = False
    error = np.abs(plate[clear] - backdrop[clear]).max(axis=1)
    assert float(np.percentile(error, 95)) <= 10.0
