"""warp-60: a sleeve cut from an on-model photo is sewn to the garment's body at the armhole, as a
packshot's is (warp-56), when the product model's upper arm hangs: hung from the shopper's arm bone
alone, it swung away from the armhole and left a strip of her shoulder or old top between the two."""

from __future__ import annotations

import dataclasses

import pytest

from ml.render import get_renderer
from ml.render.warp import sources
from ml.render.warp.body import body_skeleton
from ml.render.warp.geometry import Group
from ml.render.warp.sources import OnModelSource
from ml.types import GarmentKind, GarmentSource, RenderRequest
from tests.ml.render.warp.test_sleeve_seam import _shoulder_cover
from tests.support.people import make_person

RED = (220, 30, 40)
ARM_OUT = {"right_elbow": (55, 110), "right_wrist": (50, 150)}  # hanging, a little away from her
ARM_RAISED = {"right_elbow": (40, 80), "right_wrist": (20, 45)}  # the upper arm out sideways


def _render(product, shopper):
    garment = GarmentSource(kind=GarmentKind.TOP, analysis=product)
    return get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(garment,)))


def _covers(product, shopper) -> dict[str, float]:
    result = _render(product, shopper)
    return {side: round(_shoulder_cover(result, shopper, side), 3) for side in ("right", "left")}


def test_a_sleeve_cut_from_a_model_with_hanging_arms_meets_the_body_at_her_shoulders():
    # given a product model in a long-sleeved red top, arms hanging, and a shopper in a blue top
    product = make_person(upper=RED, sleeves=True, pose=ARM_OUT)
    shopper = make_person(upper=(40, 60, 200))
    # when the top is rendered on her
    covers = _covers(product, shopper)
    # then it covers her shoulders about both joints (hung from her arm bones alone the sleeves
    # left a strip of her shoulder: 0.954 and 0.915 of them covered; lifted by the gap at the joint
    # alone, not column by column out to her outline, 0.993 and 0.971; before the garment's body was
    # widened to cover her old top, warp-85, 0.993 and 0.978)
    assert covers == {"right": 0.993, "left": 0.988}


def test_without_the_seam_the_same_sleeves_leave_a_strip_of_her_shoulders(monkeypatch):
    # given the same product and shopper, and no sleeve sewn on (no arm hangs close enough)
    product = make_person(upper=RED, sleeves=True, pose=ARM_OUT)
    shopper = make_person(upper=(40, 60, 200))
    monkeypatch.setattr(sources, "TUNING", dataclasses.replace(sources.TUNING, armhole_max_angle=-1.0))
    # when the top is rendered on her
    covers = _covers(product, shopper)
    # then her shoulders show beside the sleeves
    assert covers == {"right": 0.954, "left": 0.915}


@pytest.mark.parametrize(("pose", "sewn"), [(ARM_OUT, {"RIGHT_ARM", "LEFT_ARM"}), (ARM_RAISED, {"LEFT_ARM"})])
def test_only_a_hanging_upper_arms_sleeve_is_sewn_on(monkeypatch, pose, sewn):
    # given a product model with her right arm hanging or raised out sideways (its sleeve drawn as
    # photographed: not from the mirror image of the other, warp-73, which test_mirror.py covers)
    monkeypatch.setattr(sources.warp_mirror, "raised_sleeves", lambda *args, **kwargs: [])
    product = make_person(upper=RED, sleeves=True, pose=pose)
    shopper = make_person(upper=(40, 60, 200))
    source = OnModelSource(product, GarmentKind.TOP)
    # when its pieces are laid on the shopper
    pieces = source.pieces(body_skeleton(shopper))
    # then the sleeve of a hanging upper arm is sewn to the body (beside a raised one the armhole's
    # outside is background, which the body's map drew as a notch under her shoulder)
    found = {p.group.name for p in pieces if p.group in (Group.RIGHT_ARM, Group.LEFT_ARM) and p.part.seam}
    assert found == sewn


def test_pose_mode_sews_nothing_on():
    # given the whole product model drawn in the shopper's pose
    product = make_person(upper=RED, sleeves=True, pose=ARM_OUT)
    source = OnModelSource(product, GarmentKind.TOP, whole_person=True)
    # when its pieces are laid on the shopper
    pieces = source.pieces(body_skeleton(make_person(upper=(40, 60, 200))))
    # then no piece has a seam: her arms are drawn with the sleeves
    assert [p for p in pieces if p.part.seam is not None] == []
