"""warp-45: a piece of her top that a new top leaves bare on her torso (a bandeau's chest over her
tee) stays, worn under the new one, instead of being painted over as a flat block of skin; slivers
beside the new top's outline still go."""

import numpy as np

from ml.types import ParsingClass as C
from tests.support.people import COLOURS, make_person, render_top, skin_above

BLUE = (40, 60, 200)
RED = (200, 40, 40)
BANDEAU_TOP = 110  # px: the product model's top starts this far down (her shoulders are at 72)


def _model_in_a_bandeau():
    """A product model whose red top covers her torso only from mid-chest down: her chest and
    shoulders above it are skin."""
    return skin_above(make_person(upper=RED), BANDEAU_TOP)


def _near(image: np.ndarray, colour) -> np.ndarray:
    return np.abs(image.astype(int) - np.array(colour)).max(axis=2) <= 30


def test_her_top_stays_above_a_bandeau_instead_of_painted_skin():
    # given a shopper in a blue top up to her shoulders and a product model in a red bandeau top
    shopper = make_person(upper=BLUE)
    # when the bandeau is rendered on her
    result = render_top(shopper, _model_in_a_bandeau())
    # then between her shoulders and the bandeau her blue top is exactly hers ...
    chest = np.zeros(shopper.parsing.shape, bool)
    chest[74:100, 85:116] = True
    assert np.array_equal(result.image[chest], shopper.image[chest])
    assert bool(_near(result.image, BLUE)[chest].all())
    # ... no skin is painted anywhere on her torso's front ...
    front = np.zeros(shopper.parsing.shape, bool)
    front[72:160, 85:116] = True
    assert int(_near(result.image, COLOURS[C.ARMS])[front].sum()) == 0
    # ... and the bandeau is on her below it
    assert float(_near(result.image, RED)[120:150, 90:111].mean()) > 0.95


def test_her_top_under_a_top_as_high_as_hers_leaves_no_piece_in_its_middle():
    # given the shopper in the blue top and a product model in a red top that covers as much
    shopper = make_person(upper=BLUE)
    # when it is rendered on her
    result = render_top(shopper, make_person(upper=RED))
    # then none of her blue is left on her torso's front
    assert int(_near(result.image, BLUE)[72:160, 85:116].sum()) == 0


CROP_HEM = 140  # px: the cropped product top ends here (her hips are at 160)


def test_her_top_worn_under_a_cropped_top_is_kept_whole_down_to_its_own_hem():
    # given a shopper in a blue tee ending a little below her hips (not a dress), and a product
    # model in a red top from mid-chest to above the waist
    shopper = make_person(upper=BLUE, upper_to=0.25)
    tee = shopper.parsing == C.UPPER_CLOTHES
    rows = np.arange(300)[:, None]
    assert tee[165:170, 90:110].all()
    model = _model_in_a_bandeau()
    below = (model.parsing == C.UPPER_CLOTHES) & (rows >= CROP_HEM)
    model.parsing[below] = C.FACE
    model.image[below] = COLOURS[C.FACE]
    # when the cropped top is rendered on her
    result = render_top(shopper, model)
    # then all of her tee below it is exactly hers, down to its hem over her hips (it was cut at
    # the hips and the rest painted as legs)
    under = tee & (rows >= CROP_HEM + 8)
    assert under.sum() > 800
    assert np.array_equal(result.image[under], shopper.image[under])
    # and the red top is on her above it
    assert float(_near(result.image, RED)[118:132, 90:111].mean()) > 0.95
