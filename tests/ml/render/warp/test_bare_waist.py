"""warp-51: a bare waist that the parser gives to the arms, between arms hanging close to it, stays
behind the new garment; her arms themselves stay in front of it."""

import numpy as np

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import COLOURS, make_person

BLUE = (40, 60, 200)
RED = (200, 30, 30)
WAIST = slice(126, 152)  # rows of her bare waist (her top ends above, her hips start below)


def _in_a_crop_top():
    """The figure in a blue top ending above her waist, the bare waist parsed as arms."""
    shopper = make_person(upper=BLUE, upper_to=0.0)
    waist = shopper.parsing == C.UPPER_CLOTHES
    waist[: WAIST.start] = False
    waist[WAIST.stop :] = False
    shopper.parsing[waist] = C.ARMS
    shopper.image[waist] = COLOURS[C.ARMS]
    return shopper


def _render(shopper):
    tee = draw_packshot(kind=GarmentKind.TOP, colour=RED, style="tshirt", seed=1, size=(384, 288))
    request = RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=tee),))
    return get_renderer("warp").render(request).image


def test_her_bare_waist_beside_her_arms_is_under_the_new_top():
    # given a shopper in a crop top whose bare waist the parser labels arms, her arms hanging
    # close to it (the waist's sides are within 0.3 shoulder spans of her forearms and outside the
    # quad between her shoulder and hip joints)
    shopper = _in_a_crop_top()
    # when a tee is put on her
    image = _render(shopper)
    # then the tee covers her waist at its sides (they were pasted over it as two holes) ...
    red = np.abs(image.astype(int) - np.array(RED)).max(axis=2) <= 60
    for sides in (slice(78, 85), slice(116, 123)):
        assert red[WAIST, sides].all()
    # ... while her forearms beside it stay in front of the tee, exactly hers
    forearm = shopper.parsing == C.ARMS
    forearm[:, 73:128] = False  # (and the soft edge where it meets the tee)
    forearm[: WAIST.start] = False
    forearm[WAIST.stop :] = False
    assert forearm.sum() > 300
    assert np.array_equal(image[forearm], shopper.image[forearm])
