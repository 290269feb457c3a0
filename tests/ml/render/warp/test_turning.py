"""warp-92: a packshot garment darkens towards its sides as a body turning away from the camera does,
read from the outline of all its layers together (body, sleeves, legs), not piece by piece."""

import numpy as np
import pytest

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.render.warp import turning
from ml.render.warp.turning import TurnTuning, turning_shade
from ml.types import GarmentKind, GarmentSource, RenderRequest
from tests.support.people import make_person

SPAN = 200.0  # reach 0.25 spans = 50 px
WHITE = (245, 245, 245)


def _garment(*boxes: tuple[int, int, int, int], shape=(400, 400)) -> np.ndarray:
    """Alpha 1 inside the (x0, y0, x1, y1) boxes, 0 elsewhere."""
    alpha = np.zeros(shape, np.float32)
    for x0, y0, x1, y1 in boxes:
        alpha[y0:y1, x0:x1] = 1.0
    return alpha


def test_a_body_is_lit_in_the_middle_and_darker_towards_its_sides_but_not_at_its_hem():
    # given a garment's body 200 px wide and 250 px tall
    alpha = _garment((100, 100, 300, 350))
    # when its turning shade is read
    factor = turning_shade(alpha, SPAN, TurnTuning(shade=0.2, reach=0.25))
    row = factor[225, 100:300]
    # then its side pixels are about 0.2 darker, its middle keeps its colour from 50 px in, and the
    # shade falls off steadily between
    assert row[0] == pytest.approx(1 - 0.2 * (1 - np.sqrt(1 - 0.98**2)), abs=0.01)
    assert row[-1] == pytest.approx(row[0], abs=0.01)
    assert np.all(row[50:150] == pytest.approx(1.0, abs=1e-6))
    assert np.all(np.diff(row[:51]) >= -1e-6)
    # and its hem and its top edge, which run across, stay as light as its middle
    assert factor[349, 200] == pytest.approx(1.0, abs=0.01)
    assert factor[100, 200] == pytest.approx(1.0, abs=0.01)


def test_a_sleeve_joined_to_the_body_is_shaded_with_it_no_dark_seam_between_them():
    # given a body and a sleeve overlapping it at its side (two layers of one tee)
    alpha = _garment((100, 100, 300, 350), (280, 100, 380, 180))
    # when the shade is read over both together
    factor = turning_shade(alpha, SPAN, TurnTuning(shade=0.2, reach=0.25))
    # then where the sleeve meets the body nothing darkens, and the sleeve's outer end does
    assert factor[140, 295:305].min() > 0.99
    assert factor[140, 379] < 0.87
    # while the body's side below the sleeve is darker again
    assert factor[300, 299] < 0.87


def test_a_garment_cut_by_the_photos_edge_is_not_shaded_there():
    # given a garment running off the photo's right edge
    alpha = _garment((100, 100, 400, 350))
    # when the shade is read
    factor = turning_shade(alpha, SPAN, TurnTuning(shade=0.2, reach=0.25))
    # then its left side is darker and the photo's edge is no outline
    assert factor[225, 100] < 0.87
    assert factor[225, 399] == pytest.approx(1.0, abs=1e-6)


def test_no_garment_or_no_shade_leaves_every_factor_at_one():
    assert np.all(turning_shade(np.zeros((50, 50), np.float32), SPAN) == 1.0)
    factor = turning_shade(_garment((10, 10, 40, 40), shape=(50, 50)), SPAN, TurnTuning(shade=0.0))
    assert np.all(factor == 1.0)


def _render(packshot_or_person, monkeypatch, shade: float):
    monkeypatch.setattr(turning, "TUNING", TurnTuning(shade=shade))
    if isinstance(packshot_or_person, GarmentSource):
        garment = packshot_or_person
    else:
        garment = GarmentSource(kind=packshot_or_person.kind, packshot=packshot_or_person)
    return get_renderer("warp").render(RenderRequest(shopper=make_person(), garments=(garment,)))


def test_a_rendered_white_tee_is_darker_at_its_sides_than_in_its_middle(monkeypatch):
    # given a plain white tee rendered on a shopper with and without the turning shade
    tee = draw_packshot(kind=GarmentKind.TOP, colour=WHITE, seed=1, size=(384, 288), style="tshirt")
    flat = _render(tee, monkeypatch, 0.0)
    shaded = _render(tee, monkeypatch, 0.2)
    # when a row across its body is read where the garment covers it fully
    row = flat.garment_alpha.shape[0] // 2 - 10
    covered = np.flatnonzero(flat.garment_alpha[row] > 0.99)
    middle, side = covered[len(covered) // 2], covered[1]
    # then without the shade side and middle are alike, with it the side is at least 12 levels darker
    assert abs(int(flat.image[row, side].mean()) - int(flat.image[row, middle].mean())) <= 6
    assert int(shaded.image[row, middle].mean()) - int(shaded.image[row, side].mean()) >= 12
    # and outside the garment nothing changed
    outside = (flat.garment_alpha == 0) & (shaded.garment_alpha == 0)
    assert np.array_equal(flat.image[outside], shaded.image[outside])


def test_a_garment_cut_from_an_on_model_photo_keeps_its_own_shading(monkeypatch):
    # given a top cut from a product model's photo (its photo has its own light)
    product = GarmentSource(kind=GarmentKind.TOP, analysis=make_person(upper=(200, 30, 30)))
    # when it is rendered with and without the turning shade
    flat = _render(product, monkeypatch, 0.0)
    shaded = _render(product, monkeypatch, 0.2)
    # then the pictures are the same
    assert np.array_equal(flat.image, shaded.image)
