"""warp-5: packshot garments sized from the shopper's body (trouser legs and hips)."""

import numpy as np

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import DENIM, GREY, denim_pixels, heavy_legged_shopper, make_person


def test_trouser_legs_cover_a_wide_shoppers_legs_at_thigh_and_shin():
    # given a shopper whose thighs and shins are much wider than the default fit assumes
    shopper = heavy_legged_shopper()
    jeans = draw_packshot(kind=GarmentKind.BOTTOM, colour=DENIM, style="trousers", seed=1, size=(384, 288))
    # when the jeans are rendered on her
    result = get_renderer("warp").render(
        _request(shopper, GarmentSource(kind=GarmentKind.BOTTOM, packshot=jeans))
    )
    denim = denim_pixels(result.image)
    # then at mid-thigh and mid-shin every pixel of her legs is covered by the jeans
    for row in (187, 241):
        legs = shopper.parsing[row] == C.PANTS
        assert legs.sum() > 55
        assert denim[row][legs].all(), f"row {row}: {np.flatnonzero(legs & ~denim[row])}"
    # and the jeans do not balloon: at mid-shin they stay within 12 px of her legs on either side
    xs = np.flatnonzero(shopper.parsing[241] == C.PANTS)
    covered = np.flatnonzero(denim[241])
    assert covered.min() >= xs.min() - 12 and covered.max() <= xs.max() + 12


def test_slim_shoppers_trousers_cover_her_legs_without_ballooning():
    # given the default slim stick figure (legs 24 px at the thigh)
    shopper = make_person(pants=GREY, upper_to=0.0)
    jeans = draw_packshot(kind=GarmentKind.BOTTOM, colour=DENIM, style="trousers", seed=1, size=(384, 288))
    result = get_renderer("warp").render(
        _request(shopper, GarmentSource(kind=GarmentKind.BOTTOM, packshot=jeans))
    )
    denim = denim_pixels(result.image)
    # then her legs are covered at mid-thigh and the jeans are not widened past 30 px beyond them
    legs = shopper.parsing[187] == C.PANTS
    assert denim[187][legs].all()
    covered = np.flatnonzero(denim[187])
    xs = np.flatnonzero(legs)
    assert covered.min() >= xs.min() - 30 and covered.max() <= xs.max() + 30


def _request(shopper, garment):
    return RenderRequest(shopper=shopper, garments=(garment,))
