"""warp-105: a long sleeve's forearm hanging against a dress's skirt is parsed one piece with it, and
by distance it went with the torso: on a shopper whose arms stand out the sleeve ended at her elbow,
her bare forearm below it ("sleeves float detached beside bare arms", "cuff fragments")."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ml.render import get_renderer
from ml.render.warp.body import body_skeleton, label_groups
from ml.render.warp.geometry import Group
from ml.render.warp.sources import OnModelSource
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.ml.render.warp.test_sources_onmodel_cover import ARMS_OUT, BLUE, RED
from tests.support.people import make_person

# the product model's forearms hang against her body, inside the torso's reach (by distance) ...
MODEL_ARMS_IN = {
    "right_elbow": (76, 112),
    "right_wrist": (80, 152),
    "left_elbow": (124, 112),
    "left_wrist": (120, 152),
}
# ... over a skirt flaring out from her waist
SKIRT = np.array([[72, 110], [128, 110], [150, 250], [50, 250]], np.int32)


def _dress_model(sleeved_forearms: bool = True):
    """The stick figure in a red dress whose skirt takes in her hanging forearms, in long sleeves
    (or sleeves ending at the elbow, her forearms bare)."""
    product = make_person(upper=RED, sleeves=True, pose=MODEL_ARMS_IN)
    parsing = product.parsing.copy()
    cv2.fillConvexPoly(parsing, SKIRT, int(C.UPPER_CLOTHES))
    for side in ("right", "left"):
        elbow = MODEL_ARMS_IN[f"{side}_elbow"]
        wrist = MODEL_ARMS_IN[f"{side}_wrist"]
        cls = C.UPPER_CLOTHES if sleeved_forearms else C.ARMS
        cv2.line(parsing, elbow, wrist, int(cls), 14)
        cv2.circle(parsing, wrist, 5, int(C.ARMS), -1)  # her hand
    product.parsing = parsing
    product.person_mask = ((parsing > 0) * 255).astype(np.uint8)
    product.image = product.image.copy()
    product.image[parsing == C.UPPER_CLOTHES] = RED
    product.image[parsing == C.ARMS] = (205, 165, 135)
    return product


def _forearm_line(pose: dict, side: str, thickness: int, start: float = 0.0) -> np.ndarray:
    """A forearm from ``start`` of the way from the elbow to 0.8 of the way to the wrist (the hand
    stays its own)."""
    mask = np.zeros((300, 200), np.uint8)
    elbow, wrist = np.array(pose[f"{side}_elbow"]), np.array(pose[f"{side}_wrist"])
    begin = np.round(elbow + start * (wrist - elbow)).astype(int)
    end = np.round(elbow + 0.8 * (wrist - elbow)).astype(int)
    cv2.line(mask, tuple(int(v) for v in begin), tuple(int(v) for v in end), 1, thickness)
    return mask > 0


def _her_forearms() -> int:
    return sum(int(_forearm_line(ARMS_OUT, side, 6).sum()) for side in ("right", "left"))


def _red_on_her_forearms(result) -> int:
    red = np.all(np.abs(result.image.astype(int) - RED) < 40, axis=-1)
    return sum(int((red & _forearm_line(ARMS_OUT, side, 6)).sum()) for side in ("right", "left"))


def _render(product, monkeypatch=None, grown: bool = True):
    if not grown:
        monkeypatch.setattr(OnModelSource, "_sleeves_along_forearms", lambda self, parsing: {})
    shopper = make_person(upper=BLUE, pose=ARMS_OUT)
    garment = GarmentSource(kind=GarmentKind.DRESS, analysis=product)
    return get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(garment,)))


def test_by_distance_the_forearm_sleeves_go_with_the_skirt():
    # given the dress model, whose sleeves' forearms lie within the skirt
    product = _dress_model()
    # when her pixels are grouped by distance, then her forearms' sleeves past 0.3 of the way
    # from the elbow are the torso's
    groups = label_groups(product.parsing, body_skeleton(product))
    for side in ("right", "left"):
        forearm = _forearm_line(MODEL_ARMS_IN, side, 6, start=0.3) & (product.parsing == C.UPPER_CLOTHES)
        assert forearm.sum() == 167
        assert np.all(groups[forearm] == Group.TORSO)


def test_the_forearm_sleeves_are_drawn_on_her_forearms(monkeypatch):
    # given the dress model and a shopper with her arms out, bare
    product = _dress_model()
    # when rendered on her with the forearm sleeves drawn with her forearms, and without
    grown = _red_on_her_forearms(_render(product))
    with monkeypatch.context() as patch:
        apart = _red_on_her_forearms(_render(product, patch, grown=False))
    # then her forearms are in the red sleeve from elbow to cuff (526 px); without it the sleeve
    # ended a little below her elbow
    assert (grown, apart) == (_her_forearms(), 168) == (526, 168)


def test_bare_forearms_against_the_skirt_are_not_sleeved():
    # given a dress model whose sleeves end at the elbow, her bare forearms against the skirt
    product = _dress_model(sleeved_forearms=False)
    # when the garment is cut out, then no forearm takes any of the skirt
    assert OnModelSource(product, GarmentKind.DRESS)._forearm_sleeves == {}
    # and rendered on her, her forearms stay bare
    assert _red_on_her_forearms(_render(product)) == 0


@pytest.mark.parametrize("whole_person", [True, False])
def test_the_forearm_sleeves_are_the_skirt_within_reach_of_the_forearm(whole_person):
    # given the dress model
    product = _dress_model()
    # when the garment is cut out (or the whole person, in pose mode)
    grown = OnModelSource(product, GarmentKind.DRESS, whole_person=whole_person)._forearm_sleeves
    if whole_person:
        # then in pose mode the person is drawn whole, nothing is grown
        assert grown == {}
        return
    # then each arm takes garment pixels by its forearm only: between the elbow's and the wrist's
    # rows, and none of the skirt on the other side of the body
    assert set(grown) == {Group.RIGHT_ARM, Group.LEFT_ARM}
    for group, side in ((Group.RIGHT_ARM, "right"), (Group.LEFT_ARM, "left")):
        ys, xs = np.nonzero(grown[group])
        elbow, wrist = MODEL_ARMS_IN[f"{side}_elbow"], MODEL_ARMS_IN[f"{side}_wrist"]
        assert elbow[1] <= ys.min() and ys.max() <= wrist[1]
        assert (xs < 100).all() if side == "right" else (xs > 100).all()
