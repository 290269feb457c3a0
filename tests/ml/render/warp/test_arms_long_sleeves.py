"""warp-80: her arm under a long sleeve of her own (ending below her elbow) is drawn from her bare
wrist below the cuff when a new top or dress replaces her top, as warp-74 draws it under a short
sleeve: her old long sleeves were the reviewers' commonest leftover ("old sleeves remain")."""

from __future__ import annotations

import numpy as np
import pytest

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.render.warp import WarpRenderer
from ml.render.warp import arms as warp_arms
from ml.render.warp.arms import draw_arm, read_arm
from ml.render.warp.body import body_skeleton
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.ml.render.warp.test_arms import (
    BLUE,
    IVORY,
    SLEEVE_RADIUS,
    _blue,
    _in_short_sleeves,
    _upper_arm_length,
)
from tests.support.people import BASE_KEYPOINTS, COLOURS

LONG_SHARE = 1.6  # her sleeves end 0.6 of the way down her forearms
FOREARM_WIDTH = 12  # px: the stick figure's forearm (radius 6)


def _point(side: str, name: str) -> np.ndarray:
    return np.array(BASE_KEYPOINTS[f"{side}_{name}"], float)


def _forearm_length(side: str) -> float:
    return float(np.linalg.norm(_point(side, "wrist") - _point(side, "elbow")))


@pytest.mark.parametrize("side", ["right", "left"])
def test_her_arm_is_read_on_her_wrist_below_a_long_sleeve(side):
    # given a shopper whose sleeves end 0.6 of the way down her forearms
    shopper = _in_short_sleeves(LONG_SHARE)
    # when her arm is read
    look = read_arm(shopper, body_skeleton(shopper), side)
    # then the cuff is found where the sleeve ends on her forearm (its round end reaches a few px
    # further), the arm is as wide as her forearm there and her arms' colour all across, and its
    # width is set all along her arm, widest at the shoulder
    assert look is not None and look.widths is not None
    cuff = _upper_arm_length(side) + 0.6 * _forearm_length(side)
    assert cuff <= look.hem <= cuff + SLEEVE_RADIUS + 2
    assert FOREARM_WIDTH - 1 <= look.width <= FOREARM_WIDTH + 2
    assert np.abs(look.profile - np.array(COLOURS[C.ARMS], np.float32)).max() <= 1
    knots, widths = look.widths
    assert knots[0] == 0.0 and knots[2] == pytest.approx(_upper_arm_length(side))
    assert max(widths) == widths[0] > widths[2] > widths[-1]
    assert np.interp(look.hem, knots, widths) == pytest.approx(look.width)


def test_no_arm_is_read_under_a_sleeve_down_over_her_wrist():
    # given a shopper whose sleeves run on past her wrists, over the whole of her forearms
    shopper = _in_short_sleeves(2.3)
    dst = body_skeleton(shopper)
    # when her arms are read, then none is: no bare wrist shows below the cuff
    assert [read_arm(shopper, dst, side) for side in ("right", "left")] == [None, None]


def test_the_arm_under_a_long_sleeve_is_drawn_from_shoulder_to_cuff_widening_upwards():
    # given her right arm read below its long sleeve
    shopper = _in_short_sleeves(LONG_SHARE)
    dst = body_skeleton(shopper)
    look = read_arm(shopper, dst, "right")
    # when it is drawn
    colour, alpha = draw_arm(look, dst, shopper.parsing.shape)
    # then it covers her arm's line from the shoulder past the elbow down to the cuff, in her arms'
    # colour, and is wider halfway down her upper arm than halfway down her forearm, by the
    # anatomical ratio (1.65 to about 1.2 of the wrist's width)
    shoulder, elbow, wrist = _point("right", "shoulder"), _point("right", "elbow"), _point("right", "wrist")
    for point in (shoulder + 0.5 * (elbow - shoulder), elbow, elbow + 0.6 * (wrist - elbow)):
        x, y = np.round(point).astype(int)
        assert alpha[y, x] == 1.0
    upper_row = round(float((shoulder + 0.5 * (elbow - shoulder))[1]))
    fore_row = round(float((elbow + 0.5 * (wrist - elbow))[1]))
    upper_width = float(alpha[upper_row, :100].sum())
    fore_width = float(alpha[fore_row, :100].sum())
    ratios = warp_arms.TUNING.arm_widths
    fore_ratio = (ratios[3] + ratios[4]) / 2 + 0.1  # halfway between a third of the way and the wrist
    assert upper_width / fore_width == pytest.approx(ratios[1] / fore_ratio, abs=0.2)
    solid = alpha == 1.0
    assert np.abs(colour[solid] - np.array(COLOURS[C.ARMS], np.float32)).max() <= 1


def test_a_bent_arm_is_drawn_round_at_the_elbow():
    # given her right arm bent at a right angle (the forearm across towards her waist) in a long
    # sleeve, read below its cuff
    pose = {"right_elbow": (70, 115), "right_wrist": (100, 120)}
    shopper = _in_short_sleeves(LONG_SHARE)
    shopper = _bent(shopper, pose)
    dst = body_skeleton(shopper)
    look = read_arm(shopper, dst, "right")
    assert look is not None and look.widths is not None
    # when it is drawn
    _colour, alpha = draw_arm(look, dst, shopper.parsing.shape)
    # then the elbow's outer corner, diagonally out from the joint by less than the arm's half
    # width there, is inside the drawn arm (cut square before, it was background)
    half = np.interp(look.elbow, *look.widths) / 2
    corner = np.array(pose["right_elbow"]) + np.array([-1.0, 1.0]) / np.sqrt(2) * 0.8 * half
    x, y = np.round(corner).astype(int)
    assert alpha[y, x] == 1.0


def _bent(shopper, pose):
    """The same shopper drawn again with her right arm at ``pose`` (long blue sleeves to 0.6 of her
    forearm, her wrist bare)."""
    import cv2

    from tests.support.people import make_person

    bent = make_person(upper=BLUE, pose=pose)
    shoulder = np.array(BASE_KEYPOINTS["right_shoulder"], float)
    elbow, wrist = np.array(pose["right_elbow"], float), np.array(pose["right_wrist"], float)
    end = elbow + 0.6 * (wrist - elbow)
    sleeve = np.zeros(bent.parsing.shape, np.uint8)
    for a, b in ((shoulder, elbow), (elbow, end)):
        cv2.line(sleeve, tuple(int(v) for v in a), tuple(int(v) for v in b), 1, 18)
    sleeve = sleeve > 0
    bent.parsing[sleeve] = C.UPPER_CLOTHES
    bent.image[sleeve] = BLUE
    bent.person_mask = ((bent.parsing > 0) * 255).astype(np.uint8)
    return bent


def _render_tank(shopper):
    tank = draw_packshot(kind=GarmentKind.TOP, colour=IVORY, style="tank", seed=1, size=(384, 288))
    request = RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=tank),))
    return get_renderer("warp").render(request)


def _arm_lines(share_from: float, share_to: float) -> np.ndarray:
    """Her arms' lines from ``share_from`` to ``share_to`` of the way from shoulder to wrist
    (0.5 is the elbow)."""
    import cv2

    lines = np.zeros((300, 200), np.uint8)
    for side in ("right", "left"):
        points = [_point(side, "shoulder"), _point(side, "elbow"), _point(side, "wrist")]

        def at(share, points=points):
            if share <= 0.5:
                return points[0] + 2 * share * (points[1] - points[0])
            return points[1] + (2 * share - 1) * (points[2] - points[1])

        for a, b in ((share_from, min(share_to, 0.5)), (max(share_from, 0.5), share_to)):
            if b > a:
                cv2.line(lines, tuple(int(v) for v in at(a)), tuple(int(v) for v in at(b)), 1, 5)
    return lines > 0


@pytest.mark.parametrize(("drawn", "sleeve_left"), [(True, 0), (False, 1)])
def test_a_sleeveless_top_leaves_none_of_her_long_sleeves(monkeypatch, drawn, sleeve_left):
    # given the shopper in long blue sleeves (to 0.6 of her forearms)
    shopper = _in_short_sleeves(LONG_SHARE)
    if not drawn:  # her long sleeves kept beside the new top, as before warp-80
        monkeypatch.setattr(WarpRenderer, "_arm_looks", staticmethod(lambda shopper, dst: []))
    # when an ivory tank top is rendered on her
    result = _render_tank(shopper)
    # then none of her blue sleeves is left on her arms below the tank, from halfway down her upper
    # arms to the cuffs, which are her arms' colour
    arms = _arm_lines(0.3, 0.85)
    uncovered = arms & (result.garment_alpha < 0.05)
    assert uncovered.sum() > 100
    assert int(_blue(result.image)[uncovered].any()) == sleeve_left
    if drawn:
        skin = np.abs(result.image.astype(int) - COLOURS[C.ARMS]).max(axis=2) <= 25
        assert skin[uncovered].mean() >= 0.9


def test_forearms_drawn_under_long_sleeves_lie_in_front_of_the_new_garment():
    # given the arms read below long sleeves and drawn, and the same below short sleeves
    long_shopper = _in_short_sleeves(LONG_SHARE)
    short_shopper = _in_short_sleeves()
    arms = []
    for shopper in (long_shopper, short_shopper):
        dst = body_skeleton(shopper)
        looks = WarpRenderer._arm_looks(shopper, dst)
        arms.append([(look, *draw_arm(look, dst, shopper.parsing.shape)) for look in looks])
    # when the forearms to draw in front are worked out
    front = WarpRenderer._forearms_in_front(arms[0], body_skeleton(long_shopper))
    # then they cover the drawn forearms, not the upper arms, and a short sleeve's drawn upper arm
    # has none
    forearms, upper_arms = _arm_lines(0.6, 0.85), _arm_lines(0.05, 0.4)
    assert front is not None
    assert (front[forearms] > 0).mean() >= 0.95
    assert not (front[upper_arms] > 0).any()
    assert WarpRenderer._forearms_in_front(arms[1], body_skeleton(short_shopper)) is None


def test_her_tunic_beside_her_hip_stays_when_a_long_sleeve_goes():
    # given the shopper in long sleeves whose top runs on below her hips (row 160) a little wider
    # than her torso (at x 74, a few px below the hips, within half a shoulder span of her right
    # cuff), and the same top beside her waist, above the hips
    shopper = _in_short_sleeves(LONG_SHARE)
    dst = body_skeleton(shopper)
    looks = WarpRenderer._arm_looks(shopper, dst)
    arms = [(look, *draw_arm(look, dst, shopper.parsing.shape)) for look in looks]
    assert (shopper.parsing[161:164, 74] == C.UPPER_CLOTHES).all()
    # when her sleeves that go with the drawn arms are worked out
    gone = WarpRenderer._sleeves_gone(shopper, dst, arms)
    # then her forearm's sleeve goes; below her hips her top nearer her torso than her arm stays
    # (a tunic's flare beside her hand), above them it goes (a wide sleeve's inner side)
    elbow, wrist = _point("right", "elbow"), _point("right", "wrist")
    forearm = np.round(elbow + 0.3 * (wrist - elbow))
    assert gone[int(forearm[1]), int(forearm[0])]
    assert not gone[161:164, 74].any()
    assert gone[150, 74]


def test_her_sleeves_going_with_drawn_arms_are_not_kept_as_her_dress_below_a_new_dress():
    # given the shopper in a long-sleeved top down to her knees (a dress), her arms drawn below the
    # cuffs, and a new dress whose body covers only her chest (everything below row 110 lies below
    # its hem, where her longer dress stays, worn under it)
    shopper = _in_short_sleeves(LONG_SHARE)
    dst = body_skeleton(shopper)
    arms = [
        (look, *draw_arm(look, dst, shopper.parsing.shape)) for look in WarpRenderer._arm_looks(shopper, dst)
    ]
    gone = WarpRenderer._sleeves_gone(shopper, dst, arms)
    rows = np.arange(300)[:, None]
    below_new = np.broadcast_to(rows > 110, (300, 200))
    # when what the new dress removes is worked out
    removed = WarpRenderer._removed(shopper, [GarmentKind.DRESS], dst, True, below_new, gone)
    # then her sleeves below the new hem go (with the arms drawn under them) and her dress's body
    # below it stays
    forearm = np.round(_point("right", "elbow") + 0.3 * (_point("right", "wrist") - _point("right", "elbow")))
    assert removed[int(forearm[1]), int(forearm[0])]
    assert not removed[190, 100]
