"""warp-8: a dress-length new top replaces the shopper's whole dress (no old edges beside it)."""

import numpy as np

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.types import GarmentKind, GarmentSource, RenderRequest
from tests.support.people import DRESS, IVORY, make_person, shopper_in_a_dress

RED = (200, 40, 40)


def _blue(image: np.ndarray) -> np.ndarray:
    return np.abs(image.astype(int) - DRESS).max(axis=2) < 30


def test_a_dress_length_top_leaves_no_piece_of_the_old_dress_beside_it():
    # given a shopper in a wide blue dress and a narrower red dress on another figure, read as a top
    shopper = shopper_in_a_dress()
    product = make_person(upper=RED, upper_to=1.8)
    old_below_knees_line = _blue(shopper.image)[200:250]
    assert old_below_knees_line.sum() > 1500
    # when the red one is rendered on her as a top
    request = RenderRequest(
        shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, analysis=product),)
    )
    result = get_renderer("warp").render(request)
    # then the red garment is on her below the hips ...
    red = np.abs(result.image.astype(int) - RED).max(axis=2) < 40
    assert red[170:205, 95:106].mean() > 0.8
    # ... and not one pixel of the old blue dress is left anywhere
    assert _blue(result.image).sum() == 0


def test_a_short_top_still_keeps_the_dress_below_its_hem():
    # given the shopper in the blue dress and an ivory tee packshot (well above the knees)
    shopper = shopper_in_a_dress()
    tee = draw_packshot(kind=GarmentKind.TOP, colour=IVORY, style="tshirt", seed=1, size=(384, 288))
    # when the tee is rendered on her
    request = RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=tee),))
    result = get_renderer("warp").render(request)
    # then the dress well below the hem is exactly hers
    assert np.array_equal(result.image[225:250, 70:130], shopper.image[225:250, 70:130])


def _render_dress(shopper, product):
    request = RenderRequest(
        shopper=shopper, garments=(GarmentSource(kind=GarmentKind.DRESS, analysis=product),)
    )
    return get_renderer("warp").render(request)


def test_a_shorter_new_dress_leaves_her_longer_dress_below_its_hem():
    # given the shopper in the blue dress reaching well below the knees, and a red dress ending
    # above them (warp-24: her legs were painted in as flat tubes below the new hem)
    shopper = shopper_in_a_dress()
    product = make_person(upper=RED, upper_to=0.6)
    # when the red dress is put on her
    result = _render_dress(shopper, product)
    # then well below the new hem her own dress is exactly as it was
    red = np.abs(result.image.astype(int) - RED).max(axis=2) < 40
    hem = int(np.flatnonzero(red.any(axis=1))[-1])
    assert hem < 215
    skirt = _blue(shopper.image)[hem + 10 : 250]
    assert skirt.sum() > 1000
    assert np.array_equal(result.image[hem + 10 : 250][skirt], shopper.image[hem + 10 : 250][skirt])
    # and the new dress is on her above it
    assert red[170:185, 95:106].mean() > 0.8


def test_a_new_dress_as_long_as_hers_leaves_none_of_hers():
    # given the shopper in the blue dress and a red dress of the same length
    shopper = shopper_in_a_dress()
    product = make_person(upper=RED, upper_to=1.8)
    # when the red dress is put on her
    result = _render_dress(shopper, product)
    # then at most 3.5 % of the old blue dress is left: slivers beside the new dress's slanting
    # sides, where a column's new hem is higher than the hem beside it (9,765 -> 300 px here; 208
    # before warp-26, whose part groups, chosen at full size, moved the new dress's sides by a pixel)
    assert _blue(result.image).sum() <= 0.035 * _blue(shopper.image).sum()
