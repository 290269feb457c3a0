"""A garment cut from an on-model photo takes that garment only, not the model's other clothes."""

from __future__ import annotations

import numpy as np
import pytest

from ml.analysis import analyze_file
from ml.render.warp.sources import OnModelSource
from ml.types import GarmentKind

# Tune photos of a top over jeans or trousers; hand-set boxes (x0, y0, x1, y1) inside each garment.
TOP_OVER_TROUSERS = {
    "05997_00.jpg": {"top": (300, 400, 500, 540), "bottom": (240, 640, 540, 1000)},  # black top, jeans
    "model_1.png": {"top": (300, 400, 480, 620), "bottom": (280, 720, 520, 900)},  # white tank, jeans
    "049447_0.jpg": {"top": (300, 160, 460, 290), "bottom": (320, 420, 490, 590)},  # tee, printed trousers
}


def _mean(alpha: np.ndarray, box: tuple[int, int, int, int]) -> float:
    x0, y0, x1, y1 = box
    return float(alpha[y0:y1, x0:x1].mean())


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TOP_OVER_TROUSERS))
def test_a_top_request_on_a_top_and_jeans_photo_takes_no_jeans(people_dir, name):
    # given the product photo of a model in a top and jeans (or trousers)
    analysis = analyze_file(people_dir.parent / "vton" / "models" / name)
    boxes = TOP_OVER_TROUSERS[name]
    # when the top is cut out of it
    layer = OnModelSource(analysis, GarmentKind.TOP).layer
    # then the top is taken whole and nothing of the jeans
    assert _mean(layer.alpha, boxes["top"]) >= 0.95
    assert _mean(layer.alpha, boxes["bottom"]) <= 0.02


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TOP_OVER_TROUSERS))
def test_a_bottom_request_takes_the_jeans_and_not_the_top(people_dir, name):
    analysis = analyze_file(people_dir.parent / "vton" / "models" / name)
    boxes = TOP_OVER_TROUSERS[name]
    layer = OnModelSource(analysis, GarmentKind.BOTTOM).layer
    assert _mean(layer.alpha, boxes["bottom"]) >= 0.9
    assert _mean(layer.alpha, boxes["top"]) <= 0.02
