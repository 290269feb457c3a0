"""warp-62: full-length trousers reach the top of her bare feet when the pose put her ankles inside
her old gown or trousers: they stopped at the guessed ankle, above her feet, and the gap was painted
as stubs of skin and floor ("shoes floating", "feet lost")."""

from __future__ import annotations

import cv2
import numpy as np

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import DENIM, denim_pixels, make_person

GOWN = (150, 30, 60)
GUESSED_ANKLES = {"right_ankle": (84, 232), "left_ankle": (116, 232)}  # inside the gown
GOWN_HEM = 256  # her bare feet show below it, down to row 268 and a little beyond


def _shopper_in_a_gown(pose=GUESSED_ANKLES, feet=(84, 116)):
    """The stick figure in a gown from the shoulders to row 256, her ``feet`` (columns) bare below
    it, the pose's ankles guessed inside the gown."""
    shopper = make_person(upper=GOWN, pose=pose)
    parsing = shopper.parsing.copy()
    gown = np.array([[70, 68], [130, 68], [150, GOWN_HEM], [50, GOWN_HEM]], np.int32)
    cv2.fillConvexPoly(parsing, gown, int(C.UPPER_CLOTHES))
    for x in feet:  # feet from the true ankles, below the hem
        cv2.rectangle(parsing, (x - 9, GOWN_HEM), (x + 9, 275), int(C.LEGS), -1)
    image = np.full(shopper.image.shape, 230, np.uint8)
    image[parsing == C.UPPER_CLOTHES] = GOWN
    image[parsing == C.LEGS] = (200, 160, 130)
    for cls in (C.FACE, C.HAIR, C.ARMS):
        image[parsing == cls] = shopper.image[parsing == cls]
    shopper.parsing, shopper.image = parsing, image
    shopper.person_mask = ((parsing > 0) * 255).astype(np.uint8)
    return shopper


def _denim(shopper) -> np.ndarray:
    jeans = draw_packshot(kind=GarmentKind.BOTTOM, colour=DENIM, style="trousers", seed=1, size=(384, 288))
    garment = GarmentSource(kind=GarmentKind.BOTTOM, packshot=jeans)
    result = get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(garment,)))
    return denim_pixels(result.image)


def _lowest_denim_row(shopper) -> int:
    return int(np.flatnonzero(_denim(shopper).any(axis=1)).max())


def test_trousers_reach_her_feet_below_ankles_guessed_inside_her_gown():
    # given a shopper in a gown down to row 256, bare feet below it, ankles guessed at row 232
    shopper = _shopper_in_a_gown()
    # when full-length jeans are rendered on her
    lowest = _lowest_denim_row(shopper)
    # then they reach the top of her feet (the gown's hem), not the guessed ankles (they stopped at
    # row 232 before)
    assert GOWN_HEM - 2 <= lowest <= GOWN_HEM + 2


def test_ankles_the_pose_found_on_bare_legs_stay_where_they_are():
    # given the same shopper with her ankles found on her bare feet below the hem (row 268)
    shopper = _shopper_in_a_gown(pose={"right_ankle": (84, 268), "left_ankle": (116, 268)})
    guessed = _shopper_in_a_gown()
    # when full-length jeans are rendered on her and on the shopper with guessed ankles
    # then on bare ankles they end lower than at the hem: the pose's ankle holds
    assert _lowest_denim_row(shopper) >= 266
    assert _lowest_denim_row(guessed) <= GOWN_HEM + 2


def test_a_leg_whose_foot_the_gown_hides_ends_as_low_as_the_other():
    # given the shopper in a gown with only her left foot (column 116) showing below its hem
    shopper = _shopper_in_a_gown(feet=(116,))
    # when full-length jeans are rendered on her
    denim = _denim(shopper)
    # then both legs reach the hem (lowered on the left side only, the right leg ended at row 232,
    # two dozen rows above the left)
    right_leg, left_leg = denim[:, :100], denim[:, 100:]
    lowest = [int(np.flatnonzero(leg.any(axis=1)).max()) for leg in (right_leg, left_leg)]
    assert all(GOWN_HEM - 2 <= row <= GOWN_HEM + 2 for row in lowest), lowest
