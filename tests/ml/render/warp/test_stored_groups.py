"""A photo's part groups are worked out once, with its analysis (``precompute``), not on every card
on it or of the garment it shows: they took two of a card's 80 ms at 256x176."""

from __future__ import annotations

import numpy as np

from ml.render import get_renderer
from ml.render.warp import body as warp_body
from ml.render.warp import sources as warp_sources
from ml.render.warp.body import GROUPS_KEY, body_skeleton, label_groups, photo_groups
from ml.types import GarmentKind, GarmentSource, RenderRequest
from tests.support.people import make_person


def test_precompute_stores_the_photos_part_groups():
    # given a shopper's photo
    shopper = make_person(upper=(40, 60, 200))
    # when the warp renderer prepares it
    extras = get_renderer("warp").precompute(shopper)
    # then its part groups are stored, the very groups worked out from its parsing and skeleton
    expected = label_groups(shopper.parsing, body_skeleton(shopper))
    assert extras[GROUPS_KEY].dtype == expected.dtype
    assert np.array_equal(extras[GROUPS_KEY], expected)


def test_cards_use_the_stored_groups_and_render_the_same(monkeypatch):
    # given a shopper and an on-model product, both prepared, and a card rendered from them with
    # their groups worked out on the card (taken out of the stored extras)
    renderer = get_renderer("warp")
    shopper, product = make_person(upper=(40, 60, 200)), make_person(upper=(220, 30, 40))
    for photo in (shopper, product):
        photo.extras.update(renderer.precompute(photo))
    stored = [(photo, photo.extras.pop(GROUPS_KEY)) for photo in (shopper, product)]
    request = RenderRequest(
        shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, analysis=product),)
    )
    before = renderer.render(request).image
    for photo, groups in stored:
        photo.extras[GROUPS_KEY] = groups
    # when the card is rendered with the stored groups, their computation counted
    calls = []
    original = warp_body.label_groups
    counted = lambda *a: calls.append(a) or original(*a)  # noqa: E731
    for module in (warp_body, warp_sources):  # wherever a card could reach it from
        monkeypatch.setattr(module, "label_groups", counted, raising=False)
    after = renderer.render(request).image
    # then no groups were worked out for it, and the picture is the same to the pixel
    assert calls == []
    assert np.array_equal(before, after)


def test_without_stored_groups_they_are_worked_out():
    # given a photo analysed without the warp's extras (another renderer's, or an older row)
    shopper = make_person(upper=(40, 60, 200))
    skeleton = body_skeleton(shopper)
    # when its groups are asked for
    groups = photo_groups(shopper, skeleton)
    # then they are computed from its parsing, and stored groups of another size are not used
    assert np.array_equal(groups, label_groups(shopper.parsing, skeleton))
    shopper.extras[GROUPS_KEY] = np.zeros((3, 3), np.uint8)
    assert np.array_equal(photo_groups(shopper, skeleton), label_groups(shopper.parsing, skeleton))
