"""What a product model's hand hid of an on-model garment is filled with the garment's own print,
not an average colour (which reads as a grey, hand-shaped blob on the shopper)."""

import cv2
import numpy as np

from ml.render.warp.sources import OnModelSource
from ml.types import GarmentKind
from ml.types import ParsingClass as C
from tests.support.people import make_person

RED, WHITE = (200, 30, 40), (245, 245, 245)
STRIPE = 4  # px: the print's stripes, red and white in turn
HAND = ((100, 125), 9)  # a hand lying on the middle of the garment: centre and radius


def _striped_model(*, hand: bool):
    product = make_person(upper=RED)
    image, parsing = product.image.copy(), product.parsing.copy()
    garment = parsing == C.UPPER_CLOTHES
    rows = (np.arange(image.shape[0]) // STRIPE) % 2 == 1
    image[garment & rows[:, None]] = WHITE
    if hand:
        cv2.circle(parsing, HAND[0], HAND[1], int(C.ARMS), -1)
        cv2.circle(image, HAND[0], HAND[1], (205, 160, 130), -1)
    product.image, product.parsing = image, parsing
    return product


def _print_colour_share(pixels: np.ndarray) -> float:
    """Share of ``pixels`` that are one of the print's two colours (not a blend of them)."""
    near = [np.abs(pixels.astype(int) - colour).max(axis=1) <= 30 for colour in (RED, WHITE)]
    return float((near[0] | near[1]).mean())


def test_the_print_continues_under_the_models_hand():
    # given a product model in a red-and-white striped top with her hand on its middle
    product = _striped_model(hand=True)
    hand = np.zeros(product.parsing.shape, np.uint8)
    cv2.circle(hand, HAND[0], HAND[1] - 2, 1, -1)
    # when the top is cut from the photo
    layer = OnModelSource(product, GarmentKind.TOP).layer
    # then where her hand was, the garment is there (opaque) and in the print's own colours,
    # red and white stripes, not a pink average
    inside = hand > 0
    assert float(layer.alpha[inside].mean()) > 0.95
    assert _print_colour_share(layer.image[inside]) > 0.9
    reds = np.abs(layer.image[inside].astype(int) - RED).max(axis=1) <= 30
    assert 0.3 < float(reds.mean()) < 0.7


def test_a_garment_without_a_hand_in_front_is_cut_unchanged():
    product = _striped_model(hand=False)
    layer = OnModelSource(product, GarmentKind.TOP).layer
    garment = product.parsing == C.UPPER_CLOTHES
    assert np.array_equal(layer.image[garment], product.image[garment])
