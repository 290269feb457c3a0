"""warp-65: where a new bottom leaves her legs showing (below a shorter hem, between the legs), they are
painted in her skin: the clean plate paints legs in the colour of the trousers she wears, which stay
under a new top or dress, but a new bottom replaces them and the painted colour read as her old
trousers left ("old jeans at the ankles", "old blue trousers between the thighs")."""

from __future__ import annotations

import numpy as np

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.render.warp import CLEAN_BARE_LEGS_KEY, CLEAN_KEY
from ml.render.warp.body import GROUPS_KEY, body_skeleton, clean_plate
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import DENIM, GREY, make_person


def _grey(image: np.ndarray) -> np.ndarray:
    return np.abs(image.astype(int) - np.array(GREY)).max(axis=2) <= 20


def test_below_new_jeans_her_legs_are_skin_not_her_old_trousers():
    # given a shopper in grey trousers to her ankles (row 277) and jeans that end a little above
    shopper = make_person(upper=(235, 235, 235), pants=GREY)
    jeans = draw_packshot(kind=GarmentKind.BOTTOM, colour=DENIM, style="trousers", seed=1, size=(384, 288))
    # when the jeans are rendered on her
    garment = GarmentSource(kind=GarmentKind.BOTTOM, packshot=jeans)
    result = get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(garment,)))
    # then nothing grey is left: below the jeans' hem her legs are painted in her skin (147 grey
    # pixels at rows 268-274 when they were painted in her old trousers' colour)
    assert int(_grey(result.image).sum()) == 0
    # and there they are skin-toned: warm and lighter than the grey (mean 197, 172, 159)
    red, _green, blue = result.image[268:275][shopper.parsing[268:275] == C.PANTS].astype(float).mean(axis=0)
    assert red >= GREY[0] + 60 and red - blue >= 25


def test_under_a_new_top_the_plate_still_paints_her_legs_in_her_trousers():
    # given the same shopper
    shopper = make_person(upper=(235, 235, 235), pants=GREY)
    dst = body_skeleton(shopper)
    # when the plate is painted for a new top or dress (her trousers stay) and for a new bottom
    kept = clean_plate(shopper, dst)
    replaced = clean_plate(shopper, dst, legs_in_trousers=False)
    # then only the first paints her legs grey
    thighs = shopper.parsing == C.PANTS
    assert _grey(kept)[thighs].mean() >= 0.5
    assert _grey(replaced)[thighs].mean() == 0.0


def test_the_bare_legged_plate_is_stored_only_for_a_shopper_in_trousers():
    # given a shopper in trousers and one with bare legs
    in_trousers = make_person(upper=(235, 235, 235), pants=GREY)
    bare = make_person(upper=(235, 235, 235))
    renderer = get_renderer("warp")
    # when their photos' extras are precomputed
    stored = renderer.precompute(in_trousers)
    stored_bare = renderer.precompute(bare)
    # then both carry the plate, and only the first the plate with bare legs, equal to painting it
    # at render time
    assert set(stored) == {CLEAN_KEY, CLEAN_BARE_LEGS_KEY, GROUPS_KEY}
    assert set(stored_bare) == {CLEAN_KEY, GROUPS_KEY}
    painted = clean_plate(in_trousers, body_skeleton(in_trousers), legs_in_trousers=False)
    assert np.array_equal(stored[CLEAN_BARE_LEGS_KEY], painted)
