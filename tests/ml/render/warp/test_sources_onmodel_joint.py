"""An on-model sleeve is split between the upper arm and the forearm within a narrow band at the elbow
(warp-72): cross-faded over a wide band, where the product model's elbow and the shopper's bend apart
the two bones' copies of that band landed apart and each drew its share half-transparent ("ghostly
translucent sleeve", "yellow pieces floating on arm")."""

from __future__ import annotations

import dataclasses

import pytest

from ml.render import get_renderer
from ml.render.warp import sources
from ml.types import GarmentKind, GarmentSource, RenderRequest
from tests.ml.render.warp.test_sources_rim import _near
from tests.support.people import make_person

RED = (220, 30, 40)
# the product model's forearms raised in front of her, elbows bent
ELBOWS_BENT = {
    "right_elbow": (60, 115),
    "right_wrist": (80, 85),
    "left_elbow": (140, 115),
    "left_wrist": (120, 85),
}
WARP_68_JOINT_BLEND = 0.05


@pytest.mark.parametrize(("joint_blend", "translucent"), [(None, 1), (WARP_68_JOINT_BLEND, 110)])
def test_a_bent_sleeve_on_straight_arms_leaves_no_translucent_pieces(monkeypatch, joint_blend, translucent):
    # given a product model in a long-sleeved red top with her elbows bent, and a shopper whose
    # arms hang straight
    product = make_person(upper=RED, sleeves=True, pose=ELBOWS_BENT)
    shopper = make_person(upper=(40, 60, 200))
    if joint_blend is not None:
        monkeypatch.setattr(
            sources, "TUNING", dataclasses.replace(sources.TUNING, model_joint_blend=joint_blend)
        )
    # when the top is rendered on her
    garment = GarmentSource(kind=GarmentKind.TOP, analysis=product)
    result = get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(garment,)))
    # then hardly any of it is drawn half-transparent away from its opaque parts (warp-68's wide
    # cross-fade left 268 such pixels about her elbows and below her hands; with the garment's body
    # widened to cover her old top since warp-85, which hides part of them, 110)
    alpha = result.garment_alpha
    half = (alpha > 0.05) & (alpha < 0.5) & ~_near(alpha >= 0.5, 2)
    assert int(half.sum()) == translucent


def test_the_packshot_sleeves_keep_their_own_cross_fade():
    # given the tuning, then a packshot's sleeve keeps the wider cross-fade at its elbow (its two
    # bones' maps follow the same flat sleeve, and the band hides the seam between them)
    assert sources.TUNING.joint_blend == WARP_68_JOINT_BLEND
    assert sources.TUNING.model_joint_blend < sources.TUNING.joint_blend
