"""warp-74: her upper arm under a short sleeve of her own is drawn from the bare arm below the hem
when a new top or dress replaces her top (kept beside the new garment, the old sleeve read as
"old sleeves remain"); long sleeves stay, as before."""

from __future__ import annotations

from itertools import pairwise

import cv2
import numpy as np
import pytest

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.render.warp import WarpRenderer
from ml.render.warp import arms as warp_arms
from ml.render.warp.arms import draw_arm, read_arm, read_arms
from ml.render.warp.body import body_skeleton
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import BASE_KEYPOINTS, COLOURS, make_person

BLUE = (40, 60, 200)
IVORY = (235, 230, 220)
SLEEVE_SHARE = 0.7  # her short sleeves end this share of the way from shoulder to elbow
SLEEVE_RADIUS = 9  # px (her arm's is 7 on the upper arm, 6 on the forearm)


def _in_short_sleeves(share: float = SLEEVE_SHARE, left_share: float | None = None):
    """The stick figure in a blue top whose sleeves end ``share`` of the way down her upper arms
    (``share`` over 1 runs them on down her forearms; ``left_share``, when given, for her left)."""
    shopper = make_person(upper=BLUE)
    sleeves = np.zeros(shopper.parsing.shape, np.uint8)
    for side in ("right", "left"):
        side_share = left_share if side == "left" and left_share is not None else share
        shoulder = np.array(BASE_KEYPOINTS[f"{side}_shoulder"], float)
        elbow = np.array(BASE_KEYPOINTS[f"{side}_elbow"], float)
        wrist = np.array(BASE_KEYPOINTS[f"{side}_wrist"], float)
        end = (
            shoulder + side_share * (elbow - shoulder)
            if side_share <= 1
            else elbow + (side_share - 1) * (wrist - elbow)
        )
        points = [shoulder, end] if side_share <= 1 else [shoulder, elbow, end]
        for a, b in pairwise(points):
            cv2.line(sleeves, tuple(int(v) for v in a), tuple(int(v) for v in b), 1, 2 * SLEEVE_RADIUS)
    sleeves = sleeves > 0
    shopper.parsing[sleeves] = C.UPPER_CLOTHES
    shopper.image[sleeves] = BLUE
    shopper.person_mask = ((shopper.parsing > 0) * 255).astype(np.uint8)
    return shopper


def _upper_arm_length(side: str) -> float:
    shoulder = np.array(BASE_KEYPOINTS[f"{side}_shoulder"], float)
    elbow = np.array(BASE_KEYPOINTS[f"{side}_elbow"], float)
    return float(np.linalg.norm(elbow - shoulder))


@pytest.mark.parametrize("side", ["right", "left"])
def test_her_arm_is_read_below_a_short_sleeve(side):
    # given a shopper whose sleeves end 0.7 of the way down her upper arms
    shopper = _in_short_sleeves()
    # when her arm is read
    look = read_arm(shopper, body_skeleton(shopper), side)
    # then the hem is found where the sleeve ends on her arm's line (its round end reaches a few px
    # further), the arm is as wide as drawn there (an upper arm 14 px, a forearm 12) and its colour
    # is her arms' all across
    assert look is not None
    assert SLEEVE_SHARE * _upper_arm_length(side) <= look.hem <= SLEEVE_SHARE * _upper_arm_length(side) + 10
    assert 12 <= look.width <= 16
    assert np.abs(look.profile - np.array(COLOURS[C.ARMS], np.float32)).max() <= 1


@pytest.mark.parametrize(
    "share", [0.0, 1.8], ids=["no sleeves", "sleeves down to her wrists (too little bare forearm to read)"]
)
def test_no_arm_is_read_without_a_short_sleeve(share):
    # given a shopper in a sleeveless top, or in sleeves reaching down her forearms
    shopper = make_person(upper=BLUE) if share == 0.0 else _in_short_sleeves(share)
    dst = body_skeleton(shopper)
    # when her arms are read, then none is
    assert [read_arm(shopper, dst, side) for side in ("right", "left")] == [None, None]


def _right_arm_drawn():
    """The shopper in short sleeves, her right arm read below its sleeve and drawn: (look, colour,
    alpha, the alpha ``s`` px down her upper arm's line from the shoulder)."""
    shopper = _in_short_sleeves()
    dst = body_skeleton(shopper)
    look = read_arm(shopper, dst, "right")
    colour, alpha = draw_arm(look, dst, shopper.parsing.shape)
    shoulder = np.array(BASE_KEYPOINTS["right_shoulder"], float)
    unit = (np.array(BASE_KEYPOINTS["right_elbow"], float) - shoulder) / _upper_arm_length("right")

    def at(s: float) -> float:
        x, y = np.round(shoulder + s * unit).astype(int)
        return float(alpha[y, x])

    return look, colour, alpha, at


def test_the_drawn_arm_runs_from_her_shoulder_to_the_hem_in_her_colour():
    # given her right arm read below its sleeve, when it is drawn
    look, colour, alpha, at = _right_arm_drawn()
    # then it covers her arm's line from the shoulder joint to the hem and no further
    assert [at(share * look.hem) for share in (0.1, 0.5, 0.9)] == [1.0, 1.0, 1.0]
    assert at(look.hem + look.overlap + 1) == 0.0
    # ... at most as wide as the arm times the widening, in her arms' colour
    assert alpha.sum() <= warp_arms.TUNING.widening * look.width * (look.hem + look.overlap + look.width)
    solid = alpha == 1.0
    assert np.abs(colour[solid] - np.array(COLOURS[C.ARMS], np.float32)).max() <= 1


def _blue(image: np.ndarray) -> np.ndarray:
    return np.abs(image.astype(int) - BLUE).max(axis=2) < 30


def _render_top(shopper):
    strapless = draw_packshot(kind=GarmentKind.TOP, colour=IVORY, style="tank", seed=1, size=(384, 288))
    request = RenderRequest(
        shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=strapless),)
    )
    return get_renderer("warp").render(request)


@pytest.mark.parametrize(("drawn", "sleeve_left"), [(True, 0), (False, 1)])
def test_a_sleeveless_top_leaves_none_of_her_short_sleeves(monkeypatch, drawn, sleeve_left):
    # given the shopper in short blue sleeves
    shopper = _in_short_sleeves()
    if not drawn:  # her sleeves kept beside the new top, as before warp-74
        monkeypatch.setattr(WarpRenderer, "_arm_looks", staticmethod(lambda shopper, dst: []))
    # when an ivory tank top is rendered on her
    result = _render_top(shopper)
    # then none of her blue sleeves is left on her upper arms, which are her arms' colour
    upper_arms = np.zeros(shopper.parsing.shape, np.uint8)
    for side in ("right", "left"):
        shoulder = np.array(BASE_KEYPOINTS[f"{side}_shoulder"], float)
        elbow = np.array(BASE_KEYPOINTS[f"{side}_elbow"], float)
        a = shoulder + 0.35 * (elbow - shoulder)
        b = shoulder + 0.65 * (elbow - shoulder)
        cv2.line(upper_arms, tuple(int(v) for v in a), tuple(int(v) for v in b), 1, 6)
    on_arms = upper_arms > 0
    uncovered = on_arms & (result.garment_alpha < 0.05)
    assert uncovered.sum() > 20
    assert int(_blue(result.image)[uncovered].any()) == sleeve_left
    if drawn:
        skin = np.abs(result.image.astype(int) - COLOURS[C.ARMS]).max(axis=2) <= 25
        assert skin[uncovered].mean() >= 0.9


THREE_QUARTER = 1.3  # her 3/4 sleeves end 0.3 of the way down her forearms


@pytest.mark.parametrize("side", ["right", "left"])
def test_her_arm_is_read_below_a_three_quarter_sleeve(side):
    # given a shopper whose sleeves end 0.3 of the way down her forearms (warp-90)
    shopper = _in_short_sleeves(THREE_QUARTER)
    # when her arm is read
    look = read_arm(shopper, body_skeleton(shopper), side)
    # then the hem is found past her elbow where the sleeve ends (its round end reaches a sleeve's
    # radius further), and the bare forearm below it is read in her arms' colour
    forearm = float(
        np.linalg.norm(np.array(BASE_KEYPOINTS[f"{side}_wrist"], float) - BASE_KEYPOINTS[f"{side}_elbow"])
    )
    end = _upper_arm_length(side) + (THREE_QUARTER - 1) * forearm
    assert look is not None
    assert end <= look.hem <= end + SLEEVE_RADIUS + 3
    assert np.abs(look.profile - np.array(COLOURS[C.ARMS], np.float32)).max() <= 1


def test_both_arms_below_three_quarter_sleeves_are_read():
    # given the shopper in 3/4 sleeves on both arms
    shopper = _in_short_sleeves(THREE_QUARTER)
    # when her arms are read, then both are
    assert [look.side for look in read_arms(shopper, body_skeleton(shopper))] == ["right", "left"]


@pytest.mark.parametrize(
    "left_share, read", [(1.8, []), (SLEEVE_SHARE, ["right", "left"])], ids=["long sleeve", "short sleeve"]
)
def test_an_arm_below_a_three_quarter_sleeve_is_read_only_with_her_other_arm(left_share, read):
    # given the shopper in a 3/4 sleeve on her right arm, and on her left a sleeve down to her
    # wrist (not read) or a short one (read)
    shopper = _in_short_sleeves(THREE_QUARTER, left_share=left_share)
    dst = body_skeleton(shopper)
    assert read_arm(shopper, dst, "right") is not None
    # when her arms are read
    looks = read_arms(shopper, dst)
    # then her right arm is read only when her left is too: one arm drawn bare beside her old
    # sleeve on the other read as one old sleeve left
    assert [look.side for look in looks] == read


def test_a_sleeveless_top_leaves_none_of_her_three_quarter_sleeves():
    # given the shopper in 3/4 blue sleeves
    shopper = _in_short_sleeves(THREE_QUARTER)
    # when an ivory tank top is rendered on her
    result = _render_top(shopper)
    # then none of her blue sleeves is left on her arms down to the hem: they are her arms' colour
    arms = np.zeros(shopper.parsing.shape, np.uint8)
    for side in ("right", "left"):
        shoulder = np.array(BASE_KEYPOINTS[f"{side}_shoulder"], float)
        elbow = np.array(BASE_KEYPOINTS[f"{side}_elbow"], float)
        wrist = np.array(BASE_KEYPOINTS[f"{side}_wrist"], float)
        a = shoulder + 0.35 * (elbow - shoulder)
        b = elbow + 0.2 * (wrist - elbow)
        cv2.line(arms, tuple(int(v) for v in a), tuple(int(v) for v in elbow), 1, 6)
        cv2.line(arms, tuple(int(v) for v in elbow), tuple(int(v) for v in b), 1, 6)
    uncovered = (arms > 0) & (result.garment_alpha < 0.05)
    assert uncovered.sum() > 40
    assert not bool(_blue(result.image)[uncovered].any())
    skin = np.abs(result.image.astype(int) - COLOURS[C.ARMS]).max(axis=2) <= 25
    assert skin[uncovered].mean() >= 0.9


def test_a_print_the_parser_gave_to_her_arm_is_not_read_as_her_arm():
    # given the shopper in short sleeves whose forearms carry a print (a long sleeve's cuff the
    # parser labelled arm)
    shopper = _in_short_sleeves()
    arms = shopper.parsing == C.ARMS
    rng = np.random.default_rng(5)
    shopper.image[arms] = rng.integers(60, 250, (int(arms.sum()), 3), dtype=np.uint8)
    dst = body_skeleton(shopper)
    # when her arms are read, then neither is
    assert [read_arm(shopper, dst, side) for side in ("right", "left")] == [None, None]


def test_past_the_hem_the_drawn_arm_fades_into_hers():
    # given her right arm read below its sleeve, when it is drawn
    look, _colour, _alpha, at = _right_arm_drawn()
    # then it is solid over the first half of the overlap past the hem, half faded at three
    # quarters, and gone at its end
    assert at(look.hem + 0.4 * look.overlap) == 1.0
    assert 0.2 <= at(look.hem + 0.75 * look.overlap) <= 0.8
    assert at(look.hem + look.overlap + 1) == 0.0


def _hem_band(shopper) -> np.ndarray:
    """A dark 2-px band on her arms just below her sleeves' hems (the hem's shadow and mixed pixels,
    which the parser gives to her arm), drawn into her photo; the band's pixels."""
    band = np.zeros(shopper.parsing.shape, np.uint8)
    for side in ("right", "left"):
        shoulder = np.array(BASE_KEYPOINTS[f"{side}_shoulder"], float)
        elbow = np.array(BASE_KEYPOINTS[f"{side}_elbow"], float)
        unit = (elbow - shoulder) / _upper_arm_length(side)
        hem = shoulder + (SLEEVE_SHARE * _upper_arm_length(side) + SLEEVE_RADIUS + 1) * unit
        across = np.array([-unit[1], unit[0]]) * 8
        cv2.line(band, tuple(int(v) for v in hem - across), tuple(int(v) for v in hem + across), 1, 2)
    inside = cv2.erode((shopper.parsing == C.ARMS).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    band = (band > 0) & inside  # (her arm's outermost pixel, half backdrop, left out)
    shopper.image[band] = (90, 70, 60)
    return band


@pytest.mark.parametrize(("from_base", "dark"), [(True, 0), (False, 1)])
def test_her_arm_below_the_hem_shows_no_line_where_her_sleeve_ended(monkeypatch, from_base, dark):
    # given the shopper in short sleeves with a dark line on her arms just below the hems
    shopper = _in_short_sleeves()
    band = _hem_band(shopper)
    assert band.sum() > 10
    if not from_base:  # her arms pasted over the new top from her own photo, as before warp-74
        real = WarpRenderer._composite

        def composite(self, *args):
            return real(self, *args[:9])

        monkeypatch.setattr(WarpRenderer, "_composite", composite)
    # when an ivory tank top is rendered on her
    result = _render_top(shopper)
    # then the line is gone under the arm drawn on past the hem (her arm's colour there)
    line = np.abs(result.image.astype(int) - (90, 70, 60)).max(axis=2) < 40
    assert int(line[band].any()) == dark


@pytest.mark.parametrize(("around", "drawn"), [(False, ["right", "left"]), (True, ["left"])])
def test_no_arm_is_drawn_through_her_top_kept_under_the_new_garment(monkeypatch, around, drawn):
    # given the shopper in short sleeves, her top kept under the new garment on her torso only, or
    # also all round her right upper arm (a sleeve of hers lying over a kept piece of her top)
    shopper = _in_short_sleeves()
    dst = body_skeleton(shopper)
    kept = np.zeros(shopper.parsing.shape, bool)
    kept[80:160, 80:120] = True
    if around:
        kept[70:120, 50:90] = True
    monkeypatch.setattr(WarpRenderer, "_top_worn_under", staticmethod(lambda *args: kept.copy()))
    # when the arms to draw and the top to keep are worked out
    arms, worn, _gone = WarpRenderer._kept_top([], shopper, dst, 50.0)
    # then the arm lying in her kept top is not drawn (its sleeve stays with the top), the other is
    assert [look.side for look, _colour, _alpha in arms] == drawn
    assert worn[100, 100]


def test_a_bag_she_holds_stays_when_her_arm_is_drawn():
    # given the shopper in short sleeves holding a silver clutch in her right hand, which the
    # parser labels as her top (as it does on real photos)
    shopper = _in_short_sleeves()
    bag = np.zeros(shopper.parsing.shape, np.uint8)
    cv2.circle(bag, (62, 166), 7, 1, -1)
    bag = bag > 0
    shopper.parsing[bag] = C.UPPER_CLOTHES
    shopper.image[bag] = (150, 150, 160)
    shopper.person_mask = ((shopper.parsing > 0) * 255).astype(np.uint8)
    assert read_arm(shopper, body_skeleton(shopper), "right") is not None
    # when an ivory tank top is rendered on her
    result = _render_top(shopper)
    # then the clutch is where it was, as it was
    assert np.array_equal(result.image[bag], shopper.image[bag])


def test_the_plate_without_her_drawn_arms_is_stored_with_her_photo_and_renders_the_same():
    # given the shopper in short sleeves and the same shopper in a sleeveless top
    renderer = get_renderer("warp")
    shopper = _in_short_sleeves()
    # when each photo's precomputations are made
    extras = renderer.precompute(shopper)
    plain = renderer.precompute(make_person(upper=BLUE))
    # then the plate without both arms' painted tubes is stored for her (and none for the other) ...
    assert sorted(extras) == ["warp.clean", "warp.clean_without_arms.right+left", "warp.groups"]
    assert sorted(plain) == ["warp.clean", "warp.groups"]
    # ... and a render with it stored is the very render that works it out
    worked_out = _render_top(shopper).image
    shopper.extras.update(extras)
    assert np.array_equal(_render_top(shopper).image, worked_out)


def test_her_sleeves_far_parts_stop_an_arms_width_past_its_hem():
    # given her right arm read below a 3/4 sleeve, and points beside her forearm's line, level with
    # the hem, half an arm's width past it and three arms' widths past it (her hand on her skirt)
    shopper = _in_short_sleeves(THREE_QUARTER)
    dst = body_skeleton(shopper)
    look = read_arm(shopper, dst, "right")
    elbow = np.array(BASE_KEYPOINTS["right_elbow"], float)
    wrist = np.array(BASE_KEYPOINTS["right_wrist"], float)
    along = (wrist - elbow) / np.linalg.norm(wrist - elbow)
    hem = elbow + (look.hem - _upper_arm_length("right")) * along
    across = np.array([along[1], -along[0]])
    points = [hem + 8 * across, hem + 0.5 * look.width * along + 8 * across, hem + 3 * look.width * along]
    xs = np.array([p[0] for p in points])
    ys = np.array([p[1] for p in points])
    # when their distance from her sleeve is measured
    distance = warp_arms.near_sleeve(look, dst, xs, ys)
    # then the first lies 8 px from it, the second as far from the hem's end, and the last is no
    # part of it
    assert abs(distance[0] - 8.0) < 0.5
    assert abs(distance[1] - np.hypot(0.5 * look.width, 8.0)) < 0.5
    assert distance[2] == np.inf
