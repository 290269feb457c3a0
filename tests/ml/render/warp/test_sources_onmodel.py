"""A garment cut from an on-model photo takes that garment only, not the model's other clothes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from ml.analysis import analyze_file
from ml.errors import CannotRender
from ml.render.warp import sources
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
def test_a_bottom_request_takes_the_jeans_and_not_the_top(people_dir, name, monkeypatch):
    analysis = analyze_file(people_dir.parent / "vton" / "models" / name)
    boxes = TOP_OVER_TROUSERS[name]
    # two of the three photos cut the jeans off at their lower edge, which refuses them (next test):
    # the cut itself is looked at with that check off
    monkeypatch.setattr(sources, "TUNING", dataclasses.replace(sources.TUNING, cut_off_share=2.0))
    layer = OnModelSource(analysis, GarmentKind.BOTTOM).layer
    assert _mean(layer.alpha, boxes["bottom"]) >= 0.9
    assert _mean(layer.alpha, boxes["top"]) <= 0.02


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "refused"), [("05997_00.jpg", True), ("model_1.png", True), ("049447_0.jpg", False)]
)
def test_jeans_running_off_the_photos_lower_edge_are_refused_for_their_unknown_length(
    people_dir, name, refused
):
    # given the product photos of a model in a top and jeans: the first two end at her thighs, the
    # third shows the trousers down to their hems
    analysis = analyze_file(people_dir.parent / "vton" / "models" / name)
    # when the bottom is asked for, then the cut-off jeans are refused and the whole trousers cut out
    if refused:
        with pytest.raises(CannotRender, match="cuts the bottom off at its lower edge"):
            OnModelSource(analysis, GarmentKind.BOTTOM)
    else:
        assert OnModelSource(analysis, GarmentKind.BOTTOM).layer.alpha.max() > 0.9
