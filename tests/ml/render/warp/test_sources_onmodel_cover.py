"""warp-85: a garment cut from an on-model photo is widened, level by level, until it covers the body
of the shopper's old top: mapped by the two bodies' frames alone, a slim product model's dress came out
narrower than a broader shopper, whose sides were painted as skin beside it ("skin-coloured strips
beside the body")."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from ml.render import get_renderer
from ml.render.warp import sources
from ml.render.warp.body import body_skeleton
from ml.render.warp.sources import OnModelSource
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import make_person

RED = (220, 30, 40)
BLUE = (40, 60, 200)
ARMS_OUT = {
    "right_elbow": (50, 110),
    "right_wrist": (40, 150),
    "left_elbow": (150, 110),
    "left_wrist": (160, 150),
}
ROWS = slice(100, 150)  # her torso between chest and hips


def _broad_shopper():
    """The stick figure with her arms a little out, in a top flaring to 14 px wider a side at her hips."""
    shopper = make_person(upper=BLUE, pose=ARMS_OUT)
    parsing = shopper.parsing.copy()
    wider = np.zeros_like(parsing)
    cv2.fillConvexPoly(wider, np.array([[70, 68], [130, 68], [138, 215], [62, 215]], np.int32), 1)
    parsing[(wider > 0) & (parsing == C.BACKGROUND)] = C.UPPER_CLOTHES
    shopper.parsing = parsing
    shopper.person_mask = ((parsing > 0) * 255).astype(np.uint8)
    shopper.image = shopper.image.copy()
    shopper.image[parsing == C.UPPER_CLOTHES] = BLUE
    return shopper


def _widening(product, shopper) -> list[float]:
    source = OnModelSource(product, GarmentKind.TOP)
    dst = body_skeleton(shopper)
    source.fit_to(shopper, dst)
    return [widen for _level, widen in source._widening(dst)]


def test_a_garment_is_widened_where_her_old_top_is_broader_and_only_by_the_ease_on_the_same_body():
    # given a product model in a red top, a shopper of the same build and a broader one
    product = make_person(upper=RED, pose=ARMS_OUT)
    same = make_person(upper=BLUE, pose=ARMS_OUT)
    broad = _broad_shopper()
    # when the garment's widening is measured, then on the same build it is the ease at every level
    # below the shoulders (none at them), and on the broader shopper more, growing towards her hips
    t = sources.TUNING
    assert _widening(product, same) == pytest.approx([1.0] + [t.cover_ease] * len(t.cover_levels), abs=0.02)
    broad_widths = _widening(product, broad)
    assert broad_widths[0] == 1.0
    assert all(w > t.cover_ease + 0.02 for w in broad_widths[1:])
    assert broad_widths[1:] == sorted(broad_widths[1:])
    assert max(broad_widths) <= t.max_widen


def test_nothing_is_widened_without_a_fitted_shopper_or_for_a_bottom():
    product = make_person(upper=RED, pose=ARMS_OUT, pants=(30, 30, 30))
    shopper = _broad_shopper()
    dst = body_skeleton(shopper)
    unfitted = OnModelSource(product, GarmentKind.TOP)
    assert [w for _l, w in unfitted._widening(dst)] == [1.0] * (1 + len(sources.TUNING.cover_levels))
    bottom = OnModelSource(product, GarmentKind.BOTTOM)
    bottom.fit_to(shopper, dst)
    assert [w for _l, w in bottom._widening(dst)] == [1.0] * (1 + len(sources.TUNING.cover_levels))


@pytest.mark.parametrize(("max_widen", "least_cover"), [(None, 0.99), (1.0, 0.0)])
def test_the_garment_covers_her_broader_top(monkeypatch, max_widen, least_cover):
    # given a slim product model's red top and a broader shopper
    product = make_person(upper=RED, pose=ARMS_OUT)
    shopper = _broad_shopper()
    if max_widen is not None:  # not widened
        monkeypatch.setattr(sources, "TUNING", dataclasses.replace(sources.TUNING, max_widen=max_widen))
    # when rendered on her
    garment = GarmentSource(kind=GarmentKind.TOP, analysis=product)
    result = get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(garment,)))
    # then the garment covers her old top between chest and hips (not widened, it left her sides)
    old = np.zeros_like(shopper.parsing, bool)
    old[ROWS] = shopper.parsing[ROWS] == C.UPPER_CLOTHES
    covered = float((result.garment_alpha[old] > 0.5).mean())
    assert covered >= least_cover
    if max_widen is not None:
        assert covered < 0.95
