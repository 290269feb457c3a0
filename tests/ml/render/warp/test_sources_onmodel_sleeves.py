"""warp-91: a sleeve cut from an on-model photo is widened to cover her arm (or her old sleeve) and
moved across onto it: scaled by the two torsos alone, a slim product model's sleeve left a broader
shopper's arm showing along its edges ("sleeves detached and floating beside both arms")."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ml.render import get_renderer
from ml.render.warp import sleeves
from ml.render.warp.body import body_skeleton
from ml.render.warp.geometry import Group
from ml.render.warp.sleeves import ArmToCover, across_to_cover, turn_to_cover
from ml.render.warp.sources import OnModelSource
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.ml.render.warp.test_sources_onmodel_cover import ARMS_OUT, BLUE, RED
from tests.support.people import make_person

SPAN = 100.0
BONE = (np.array([45.0, 20.0]), np.array([45.0, 120.0]))  # hanging straight down at x 45
# the product model's arms further out: her sleeves stand clear of her body (an arm against it
# does not show where its sleeve's edge is)
MODEL_ARMS_OUT = {
    "right_elbow": (40, 105),
    "right_wrist": (25, 140),
    "left_elbow": (160, 105),
    "left_wrist": (175, 140),
}


def _band(x0: int, x1: int, y1: int = 200) -> np.ndarray:
    mask = np.zeros((200, 200), bool)
    mask[:y1, x0:x1] = True
    return mask


def _arm(sleeve: np.ndarray, her_arm: np.ndarray, garment: np.ndarray | None = None) -> ArmToCover:
    """A sleeve and her arm on the same bone, the sleeve laid on it as it lies in its own pixels."""
    garment = sleeve if garment is None else garment
    return ArmToCover(
        sleeve=sleeve, garment=garment, her_arm=her_arm, src_bone=BONE, dst_bone=BONE, span=SPAN
    )


def _across(sleeve: np.ndarray, her_arm: np.ndarray) -> float:
    return across_to_cover(_arm(sleeve, her_arm), 1.0)


def _turn(sleeve: np.ndarray, her_arm: np.ndarray) -> np.ndarray:
    return turn_to_cover(_arm(sleeve, her_arm), 1.0)


def _turned_by(shift: float) -> float:
    """How far the bone's far end moves for the same shift wanted at every station (each station
    moves by its share of the far end's turn)."""
    return float(np.median([shift / share for share in sleeves.TUNING.stations]))


def test_a_sleeve_narrower_than_her_arm_is_widened_to_it_and_the_ease():
    # given a sleeve 20 px wide and her arm 25 px wide, both about the bone
    # when the sleeve's scale across is found
    across = _across(_band(35, 55), _band(32, 57))
    # then it is drawn 1.1 x 25 px wide: 20 / 27.5 product px per shopper px
    assert across == pytest.approx(20 / 27.5)


def test_a_sleeve_is_widened_by_at_most_max_widen():
    # given a sleeve 20 px wide and her arm 40 px wide
    # when the sleeve's scale across is found
    across = _across(_band(35, 55), _band(25, 65))
    # then it is widened by the cap alone
    assert across == pytest.approx(1 / sleeves.TUNING.max_widen)


@pytest.mark.parametrize(
    ("sleeve", "her_arm"),
    [
        (_band(30, 60), _band(35, 55)),  # already wider than her arm and the ease
        (_band(35, 55), _band(32, 57, y1=56)),  # her arm measured at one station only (0.35 of the bone)
        (_band(35, 55), _band(0, 0)),  # no arm of hers
    ],
)
def test_a_sleeve_is_not_narrowed_nor_widened_on_too_little(sleeve, her_arm):
    # when the sleeve's scale across is found, then it is the torsos' scale
    assert _across(sleeve, her_arm) == 1.0


def test_a_sleeve_wide_enough_turns_the_least_that_covers_her_arm_with_the_margin():
    # given her arm from x 40 to 59 and a 30 px sleeve from x 44 (her arm reaches 4 px further left)
    # when the sleeve's turn about the bone's near end is found
    turn = _turn(_band(44, 74), _band(40, 60))
    # then its far end moves left for the 4 px plus the margin (0.015 spans): 5.5 px at every station
    assert np.allclose(turn, (-_turned_by(5.5), 0.0))


def test_a_sleeve_narrower_than_her_arm_is_turned_onto_its_middle():
    # given her arm from x 40 to 69 (centre 54.5) and a 10 px sleeve from x 40 to 49 on the bone
    # when the sleeve's turn is found
    turn = _turn(_band(40, 50), _band(40, 70))
    # then it moves right by 10 px at every station (to x 50..59, centred on her arm)
    assert np.allclose(turn, (_turned_by(10.0), 0.0))


def test_a_sleeve_covering_her_arm_stays_and_a_turn_is_at_most_max_shift():
    # given a sleeve from x 30 to 69 over her arm from x 40 to 59, then it does not turn
    assert np.allclose(_turn(_band(30, 70), _band(40, 60)), (0.0, 0.0))
    # given a sleeve from x 35 to 54 and her arm from x 56 on (23.5 px right at every station),
    # then it turns by the cap
    assert np.allclose(_turn(_band(35, 55), _band(56, 90)), (sleeves.TUNING.max_shift * SPAN, 0.0))


def test_a_sleeve_is_measured_only_where_it_runs_across_the_bone():
    # given a sleeve beside the bone (x 60 to 79; the bone at x 45): past a short sleeve's hem,
    # what is left of it is a sliver of its edge
    # when it is fitted to a wider arm of hers, then it is neither widened nor turned
    assert _across(_band(60, 80), _band(30, 70)) == 1.0
    assert np.allclose(_turn(_band(60, 80), _band(30, 70)), (0.0, 0.0))


def _broad_armed_shopper():
    """The stick figure with her arms a little out, in a blue top with wide long sleeves (radius 13
    about her arm bones, against the product model's 8)."""
    shopper = make_person(upper=BLUE, pose=ARMS_OUT, sleeves=True)
    parsing = shopper.parsing.copy()
    kp = {name: tuple(int(v) for v in p) for name, p in ARMS_OUT.items()}
    for side, shoulder in (("right", (75, 72)), ("left", (125, 72))):
        cv2.line(parsing, shoulder, kp[f"{side}_elbow"], int(C.UPPER_CLOTHES), 26)
        cv2.line(parsing, kp[f"{side}_elbow"], kp[f"{side}_wrist"], int(C.UPPER_CLOTHES), 26)
    shopper.parsing = parsing
    shopper.person_mask = ((parsing > 0) * 255).astype(np.uint8)
    shopper.image = shopper.image.copy()
    shopper.image[parsing == C.UPPER_CLOTHES] = BLUE
    return shopper


def _her_old_sleeves_left(result, shopper) -> int:
    """Pixels of her old blue sleeves beside her forearms (from the elbow to 0.8 of the way to the
    wrist: her cuff's rounded end reaches past the product's) still blue."""
    forearms = np.zeros_like(shopper.parsing, np.uint8)
    for side in ("right", "left"):
        elbow, wrist = np.array(ARMS_OUT[f"{side}_elbow"]), np.array(ARMS_OUT[f"{side}_wrist"])
        end = np.round(elbow + 0.8 * (wrist - elbow)).astype(int)
        cv2.line(forearms, tuple(int(v) for v in elbow), tuple(int(v) for v in end), 1, 26)
    old = (forearms > 0) & (shopper.parsing == C.UPPER_CLOTHES)
    blue = np.all(np.abs(result.image.astype(int) - BLUE) < 30, axis=-1)
    return int((old & blue).sum())


@pytest.mark.parametrize(("fitted", "left"), [(True, 19), (False, 573)])
def test_the_sleeves_cover_her_broader_sleeves(monkeypatch, fitted, left):
    # given a product model in a red top with long sleeves and a shopper in wider blue sleeves
    product = make_person(upper=RED, pose=MODEL_ARMS_OUT, sleeves=True)
    shopper = _broad_armed_shopper()
    if not fitted:  # the sleeves as the torsos scale them

        def as_scaled(self, group, src_bone, dst_bone, across, dst, elbow_moved):
            return dst_bone, across

        monkeypatch.setattr(OnModelSource, "_sleeve_on_her_arm", as_scaled)
    # when rendered on her
    garment = GarmentSource(kind=GarmentKind.TOP, analysis=product)
    result = get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(garment,)))
    # then of her old sleeves beside her forearms a sliver by the elbow's inner side shows (scaled by
    # the torsos alone, the new sleeves left both edges of hers showing)
    assert _her_old_sleeves_left(result, shopper) == left


def test_nothing_is_fitted_in_pose_mode_or_without_a_fitted_shopper():
    # given a product model's red top and a broad-armed shopper
    product = make_person(upper=RED, pose=ARMS_OUT, sleeves=True)
    shopper = _broad_armed_shopper()
    dst = body_skeleton(shopper)
    bone = dst.bones["right_forearm"]
    src_bone = body_skeleton(product).bones["right_forearm"]
    for source in (
        OnModelSource(product, GarmentKind.TOP),  # not fitted
        OnModelSource(product, GarmentKind.TOP, whole_person=True),  # fitted, but the whole person
    ):
        if source.whole_person:
            source.fit_to(shopper, dst)
        # when the sleeve's bone is fitted, then it is as the torsos scale it
        assert source._sleeve_on_her_arm(Group.RIGHT_ARM, src_bone, bone, 0.8, dst, None) == (bone, 0.8)


def test_a_sleeve_against_the_garments_body_is_not_measured():
    # given a sleeve from x 35 to 54 whose garment goes on past its right edge (the product model's
    # arm against her side: the parsing's groups split the two by distance alone)
    arm = _arm(_band(35, 55), _band(30, 70), garment=_band(35, 100))
    # when it is fitted to her wider arm, then it is neither widened nor turned
    assert across_to_cover(arm, 1.0) == 1.0
    assert np.allclose(turn_to_cover(arm, 1.0), (0.0, 0.0))
