"""warp-106: her own top kept over a new bottom casts its contact shadow on it: drawn without one,
her dress cut at the hips read as cut straight across over the trousers ("dress crudely cropped to
top", "hard-cut straight at hem")."""

import numpy as np

from ml.garments import draw_packshot
from ml.render import get_renderer, warp
from ml.render.warp import _shadow_under_her_top
from ml.types import GarmentKind, GarmentSource, RenderRequest
from tests.support.people import DRESS, make_person

GREY = 200.0
NAVY = (40, 50, 90)


def _scene() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A grey canvas 100 x 60: her top over rows 0-39, the new bottom (coverage 1) under it from
    row 40 on, and nothing of it in columns 50 on."""
    canvas = np.full((100, 60, 3), GREY, np.float32)
    top = np.zeros((100, 60), np.float32)
    top[:40, 10:50] = 1.0
    coverage = np.zeros((100, 60), np.float32)
    coverage[40:, :50] = 1.0
    return canvas, top, coverage


def test_the_new_bottom_right_under_her_top_is_shaded_and_nothing_else():
    # given her top over the new bottom on a grey canvas
    canvas, top, coverage = _scene()
    # when her top's contact shadow is cast
    _shadow_under_her_top(canvas, top, coverage)
    # then the bottom right under her hem is darker, most at the hem and by at most the shadow's
    # strength, and the shadow fades out further down
    rows = canvas[40:46, 20:40, 0].mean(axis=1)
    assert GREY * (1.0 - warp.TUNING.hem_shadow) <= rows[0] < GREY * 0.9
    assert np.all(np.diff(rows) > 0)
    assert np.all(canvas[60:, :, 0] == GREY)
    # while her top, and what the new bottom does not cover, keep their colour
    assert np.all(canvas[:40, 10:50, 0] == GREY)
    assert np.all(canvas[:, 50:, 0] == GREY)


def test_without_her_top_nothing_is_shaded():
    canvas, _top, coverage = _scene()
    _shadow_under_her_top(canvas, np.zeros((100, 60), np.float32), coverage)
    assert np.all(canvas == GREY)


def _render_trousers_on_her():
    shopper = make_person(upper=DRESS, upper_to=0.5)
    trousers = draw_packshot(kind=GarmentKind.BOTTOM, colour=NAVY, style="trousers", seed=1, size=(384, 288))
    garment = GarmentSource(kind=GarmentKind.BOTTOM, packshot=trousers)
    return shopper, get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(garment,)))


def test_rendered_her_top_casts_its_shadow_on_new_trousers(monkeypatch):
    # given a shopper in a blue top reaching past her hips, and navy trousers rendered on her with
    # her top's contact shadow and without it
    _shopper, shaded = _render_trousers_on_her()
    monkeypatch.setattr(warp, "_shadow_under_her_top", lambda canvas, top, coverage: None)
    _shopper, plain = _render_trousers_on_her()
    # then down her middle, under her top's hem (where her top is cut above the new trousers), the
    # trousers' first rows are darker with it, and from a few rows down the two are the same, as
    # is her top well above its hem (beside her top's sides the trousers take a little of it too)
    with_shadow = shaded.image[:, 95:106].astype(np.float64).mean(axis=(1, 2))
    without = plain.image[:, 95:106].astype(np.float64).mean(axis=(1, 2))
    top = np.abs(plain.image[:, 95:106].astype(int) - DRESS).max(axis=2).max(axis=1) < 10
    hem = int(np.flatnonzero(top).max()) + 1
    assert hem == 177
    assert with_shadow[hem + 1] < without[hem + 1] - 4
    assert np.array_equal(shaded.image[: hem - 10, 80:120], plain.image[: hem - 10, 80:120])
    assert np.array_equal(shaded.image[hem + 25 :], plain.image[hem + 25 :])
