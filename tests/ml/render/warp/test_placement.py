"""A render that cannot place the garment refuses; a render that cannot be re-analysed is not "0 coverage"."""

import numpy as np
import pytest

import ml.render.warp as warp
from ml.errors import CannotRender
from ml.render import get_renderer
from ml.types import GarmentKind, GarmentSource, RenderRequest
from tests.support.people import make_person

RED = (220, 30, 40)
BLUE = (40, 60, 200)


def _request(shopper, product):
    return RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, analysis=product),))


def test_a_garment_clipped_away_entirely_is_refused_not_returned_as_the_shoppers_photo(monkeypatch):
    # given a shopper and a product whose warped top the body region keeps none of
    product = make_person(upper=RED)
    shopper = make_person(upper=BLUE)
    monkeypatch.setattr(
        warp, "attachment_region", lambda analysis, dst: np.zeros(analysis.parsing.shape, np.float32)
    )
    # when rendered, then the renderer refuses with the shopper-facing sentence
    with pytest.raises(CannotRender) as caught:
        get_renderer("warp").render(_request(shopper, product))
    assert caught.value.message == warp.NOT_PLACED


def test_a_placed_garment_is_not_refused():
    # given the same pair with the body region left alone
    product = make_person(upper=RED)
    shopper = make_person(upper=BLUE)
    # when rendered, then it succeeds with the red top on the shopper's torso
    result = get_renderer("warp").render(_request(shopper, product))
    red = np.abs(result.image.astype(int) - np.array(RED)).max(axis=2) <= 40
    assert red.sum() > 2000
