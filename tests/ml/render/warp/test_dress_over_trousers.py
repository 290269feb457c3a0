"""warp-23: a dress leaves the shopper's trousers below its hem (worn under it), as her own sleeves
stay under a shorter one: her legs painted as skin tubes where the trousers were read as a damaged
photo. A new bottom still replaces them."""

import numpy as np

from ml.kinds import REPLACES
from ml.quality import old_garment_region
from ml.render import get_renderer
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import make_person

RED = (200, 40, 40)
GREEN = (40, 150, 60)
TROUSERS = (30, 30, 30)


def _render(shopper, product, kind):
    request = RenderRequest(shopper=shopper, garments=(GarmentSource(kind=kind, analysis=product),))
    return get_renderer("warp").render(request)


def test_a_short_dress_leaves_her_trousers_below_its_hem_untouched():
    # given a shopper in a blue top and black trousers, and a red dress ending above the knees
    shopper = make_person(pants=TROUSERS)
    product = make_person(upper=RED, upper_to=0.6)
    shins = shopper.parsing[230:260] == C.PANTS
    assert shins.sum() > 300
    # when the dress is put on her
    result = _render(shopper, product, GarmentKind.DRESS)
    # then her trousers below the hem are her own pixels
    assert np.array_equal(result.image[230:260][shins], shopper.image[230:260][shins])
    # and the dress is on her above the knees
    red = np.abs(result.image.astype(int) - RED).max(axis=2) < 40
    assert red[170:185, 95:106].mean() > 0.8


def test_new_trousers_still_replace_hers():
    # given the same shopper and green trousers on another figure
    shopper = make_person(pants=TROUSERS)
    product = make_person(upper=RED, pants=GREEN)
    # when the trousers are put on her
    result = _render(shopper, product, GarmentKind.BOTTOM)
    # then her shins are in the green trousers, not hers
    shins = shopper.parsing[230:260] == C.PANTS
    green = np.abs(result.image[230:260].astype(int) - GREEN).max(axis=2) < 40
    assert green[shins].mean() > 0.8


def test_trousers_left_under_a_dress_are_no_leftover_for_the_quality_measures():
    # given a shopper in trousers
    shopper = make_person(pants=TROUSERS)
    # when the region a dress is expected to replace is read
    region = old_garment_region(shopper, [GarmentKind.DRESS])
    # then it is her top, not her trousers; for a whole outfit it is both
    assert C.PANTS not in REPLACES[GarmentKind.DRESS]
    assert not region[shopper.parsing == C.PANTS].any()
    assert region[shopper.parsing == C.UPPER_CLOTHES].all()
    outfit = old_garment_region(shopper, [GarmentKind.FULL_OUTFIT])
    assert outfit[shopper.parsing == C.PANTS].all()
