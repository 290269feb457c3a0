"""An on-model product photo whose model holds a forearm across the garment: the garment is filled
in under it, never cut around it (its hands were pasted onto shoppers)."""

from __future__ import annotations

import cv2
import numpy as np

from ml.render.warp.sources import OnModelSource
from ml.types import GarmentKind
from ml.types import ParsingClass as C
from tests.support.people import COLOURS, DRESS, make_person

# the model's right forearm from an elbow held out to a wrist on her waist, across the dress's side
ARM_ACROSS = {"right_elbow": (48.0, 125.0), "right_wrist": (96.0, 150.0)}


def test_a_forearm_across_the_garments_side_is_filled_with_the_garment():
    # given an on-model photo of a dress with the model's forearm lying across its side
    analysis = make_person(upper=DRESS, upper_to=1.0, pose=ARM_ACROSS)
    arm = analysis.parsing == C.ARMS
    inside = np.zeros_like(arm)
    inside[:, 80:125] = True  # well inside the dress's outline (x 70..130)
    across = arm & inside
    across[:140] = False  # the forearm only (not the upper arm beside the dress)
    outside = arm & (np.arange(arm.shape[1])[None, :] < 60)
    # when the dress is cut out of it
    layer = OnModelSource(analysis, GarmentKind.DRESS).layer
    # then where the forearm lay over the dress, the layer is the dress, opaque and in its colour ...
    assert across.sum() > 100
    assert float(layer.alpha[across].min()) >= 0.95
    colour = layer.image[across].astype(int)
    assert np.abs(colour - np.array(DRESS)).max() <= 2
    # ... not a hand-coloured patch, and the arm outside the dress's outline is not taken
    assert not np.any(np.abs(colour - np.array(COLOURS[C.ARMS])).max(axis=1) <= 40)
    assert outside.sum() > 50
    assert float(layer.alpha[outside].max()) <= 0.05


def test_arms_hanging_beside_the_garment_are_not_filled():
    # given an on-model photo with both arms hanging beside the dress
    analysis = make_person(upper=DRESS, upper_to=1.0)
    dress = (analysis.parsing == C.UPPER_CLOTHES).astype(np.uint8)
    # below the shoulders, where the arms lie beside the dress, away from its soft cut edge
    forearms = (analysis.parsing == C.ARMS) & (cv2.dilate(dress, np.ones((5, 5), np.uint8)) == 0)
    forearms[:110] = False
    # when the dress is cut out of it
    layer = OnModelSource(analysis, GarmentKind.DRESS).layer
    # then none of her forearms and hands becomes dress
    assert forearms.sum() > 500
    assert float(layer.alpha[forearms].max()) <= 0.05


def _forearm_over_dress():
    """The dress with the model's forearm across its side, and the forearm's part over the dress."""
    analysis = make_person(upper=DRESS, upper_to=1.0, pose=ARM_ACROSS)
    arm = analysis.parsing == C.ARMS
    inside = np.zeros_like(arm)
    inside[140:, 80:125] = True
    return analysis, arm & inside


def test_the_hands_mixed_outline_on_the_garment_is_filled_with_it():
    # given the forearm over the dress with an outline of pixels half hand, half dress, which the
    # parser gave to the dress (a photo's anti-aliased edge)
    analysis, across = _forearm_over_dress()
    dress = analysis.parsing == C.UPPER_CLOTHES
    grown = cv2.dilate(across.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    outline = grown & dress
    mixed = (np.array(DRESS) + np.array(COLOURS[C.ARMS])) // 2
    analysis.image[outline] = mixed
    # when the dress is cut out of it
    layer = OnModelSource(analysis, GarmentKind.DRESS).layer
    # then that outline is the dress's colour, not a lighter line in the hand's shape
    assert outline.sum() > 60
    assert np.abs(layer.image[outline].astype(int) - np.array(DRESS)).max() <= 6


def test_a_pinhole_between_the_hand_and_the_garment_is_filled_with_the_garment():
    # given the forearm over the dress with a few pixels inside it the parser gave to neither (a
    # nail's highlight read as backdrop)
    analysis, across = _forearm_over_dress()
    ys, xs = np.nonzero(across)
    y, x = int(ys.mean()), int(xs[ys == int(ys.mean())].mean())
    analysis.parsing[y - 1 : y + 2, x - 1 : x + 2] = C.BACKGROUND
    analysis.image[y - 1 : y + 2, x - 1 : x + 2] = 255
    # when the dress is cut out of it
    layer = OnModelSource(analysis, GarmentKind.DRESS).layer
    # then the pinhole is opaque dress, not a hole her old garment shows through
    pin = (slice(y - 1, y + 2), slice(x - 1, x + 2))
    assert float(layer.alpha[pin].min()) >= 0.95
    assert np.abs(layer.image[pin].astype(int) - np.array(DRESS)).max() <= 6
