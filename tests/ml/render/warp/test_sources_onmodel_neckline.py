"""An on-model garment's neckline stays open: the product model's neck and chest skin inside it is
not taken for something in front of the garment and filled with the garment's colours."""

from __future__ import annotations

import cv2
import numpy as np

from ml.render.warp.sources import OnModelSource
from ml.types import GarmentKind
from ml.types import ParsingClass as C
from tests.support.people import COLOURS, make_person

RED = (200, 30, 30)


def test_the_product_models_skin_in_a_low_neckline_is_left_open():
    # given a product model in a red top with a narrow V neckline: her bare chest in it is parsed as face
    model = make_person(upper=RED)
    neckline = np.zeros(model.parsing.shape, np.uint8)
    cv2.ellipse(neckline, (100, 78), (7, 22), 0, 0, 360, 1, -1)
    skin = (neckline > 0) & (model.parsing != C.HAIR)
    model.parsing[skin] = C.FACE
    model.image[skin] = COLOURS[C.FACE]
    chest = skin & (np.arange(model.parsing.shape[0])[:, None] > 70)  # below her neck, inside the top
    inner = cv2.erode(chest.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    assert inner.sum() > 150
    # when the top is cut from the photo
    layer = OnModelSource(model, GarmentKind.TOP).layer
    # then the neckline stays open (her skin was filled with the top's red, a flat block on the shopper)
    assert float(layer.alpha[inner].max()) < 0.5
    # and the top itself is taken
    top = cv2.erode((model.parsing == C.UPPER_CLOTHES).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    assert float(layer.alpha[top].min()) > 0.9
