"""A shopper's hips under a flared dress are measured from her hip joints, not across the dress."""

import cv2
import numpy as np
import pytest

from ml.garments import draw_packshot
from ml.render.warp.body import body_skeleton
from ml.render.warp.sources import TUNING, PackshotSource
from ml.types import GarmentKind
from ml.types import ParsingClass as C
from tests.support.people import make_person

PINK = (230, 120, 160)
JOINTS = 30.0  # the stick figure's hip joints are at x = 85 and 115


def _trousers_on(shopper) -> PackshotSource:
    source = PackshotSource(draw_packshot(kind=GarmentKind.BOTTOM, colour=(50, 75, 120), style="trousers"))
    source.fit_to(shopper, body_skeleton(shopper))
    return source


def flared_dress_shopper():
    """The stick figure in a dress that flares from the waist to 120 px wide at the knees."""
    shopper = make_person(upper=PINK, upper_to=1.0)
    parsing = shopper.parsing.copy()
    skirt = np.array([[76, 140], [124, 140], [160, 215], [40, 215]], np.int32)
    cv2.fillConvexPoly(parsing, skirt, int(C.UPPER_CLOTHES))
    shopper.parsing = parsing
    shopper.person_mask = ((parsing > 0) * 255).astype(np.uint8)
    shopper.image = shopper.image.copy()
    shopper.image[parsing == C.UPPER_CLOTHES] = PINK
    return shopper


def test_hips_under_a_flared_dress_come_from_the_hip_joints():
    # given a shopper whose dress is far wider than her hips at the hip line
    shopper = flared_dress_shopper()
    dst = body_skeleton(shopper)
    # when the trousers measure her hips
    hips = _trousers_on(shopper)._shopper_hips(dst)
    # then it is the hip joints' distance times the body ratio, not the dress's width (about 80 px)
    assert hips == pytest.approx(TUNING.hip_from_joints * JOINTS, abs=0.5)


def test_hips_in_trousers_are_still_measured_on_the_body():
    # given a shopper in trousers (no skirt or dress over her thighs)
    shopper = make_person(pants=(120, 120, 120), upper_to=0.0)
    dst = body_skeleton(shopper)
    # when measured, then it is the body's run across the hip joints (thighs drawn 12 px round the joints)
    hips = _trousers_on(shopper)._shopper_hips(dst)
    assert hips == pytest.approx(JOINTS + 2 * 12 + 1, abs=1.5)
