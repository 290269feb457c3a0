"""Cut-out and structure of real packshots of the tune part (``ml/evaluation/split.tsv``) of
``../shared/fixtures/vton/garments`` (issue 10): white tees kept whole, a two-tone tee kept in both
colours, tanks and strappy tops fitted sleeveless, sleeves read short or long, trousers read with
their crotch, and a packshot of the wrong kind refused with its reason."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ml.errors import CannotRender
from ml.garments import prepare_packshot
from ml.garments.structure import _runs
from ml.intake import load_image

pytestmark = pytest.mark.slow


def _packshot(people_dir, name: str, kind: str):
    return prepare_packshot(load_image(people_dir.parent / "vton" / "garments" / name), kind)


@pytest.mark.parametrize(
    ("name", "min_width"),
    [("12562_00.jpg", 0.8), ("07764_00.jpg", 0.7), ("050105_1.jpg", 0.85)],
    ids=["white-on-light-grey", "printed-white-on-grey", "white-on-beige"],
)
def test_white_tees_are_cut_out_whole_not_as_their_print(people_dir, name, min_width):
    # given a white tee (with a print) on a white, light grey or beige ground
    packshot = _packshot(people_dir, name, "top")
    mask = packshot.mask > 127
    ys, xs = np.nonzero(mask)
    # then the cut-out spans the tee, sleeves included (its print alone is under half as wide)
    assert (xs.max() - xs.min()) / mask.shape[1] > min_width
    # and every row of its body, from 40 % to 90 % of its height, is at least half its full width
    # (the body, not the print: the prints are a third of it at most)
    top, height, width = ys.min(), ys.max() - ys.min(), xs.max() - xs.min()
    rows = np.arange(int(top + 0.4 * height), int(top + 0.9 * height))
    assert (mask[rows].sum(axis=1) / width).min() > 0.5


def _outline_length(mask: np.ndarray) -> float:
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    return sum(cv2.arcLength(contour, True) for contour in contours)


def test_a_white_tees_outline_on_white_is_not_torn(people_dir):
    # given the white tee on white whose edge is a faint seam line
    mask = _packshot(people_dir, "12562_00.jpg", "top").mask > 127
    # then its outline is at most 6 % longer than the same outline smoothed over 6 px (the flood's
    # ragged, torn-looking outline was 8.4 % longer; the settled one is 4.4 %)
    smoothed = cv2.GaussianBlur(mask.astype(np.float32), (0, 0), 6.0) > 0.5
    assert _outline_length(mask) <= 1.06 * _outline_length(smoothed)


def test_a_two_tone_tee_keeps_its_white_band(people_dir):
    # given the red / white / navy tee (its white band the colour of the ground)
    packshot = _packshot(people_dir, "00126_00.jpg", "top")
    mask = packshot.mask > 127
    # then its body (between the hem corners, from below the armpits to above the hem; all fabric)
    # is in the cut-out, the light pixels of the white band included
    lm = packshot.landmarks
    x0, x1 = int(lm["hem_right"][0]) + 10, int(lm["hem_left"][0]) - 10
    y0 = int(max(lm["armpit_right"][1], lm["armpit_left"][1])) + 10
    y1 = int(min(lm["hem_right"][1], lm["hem_left"][1])) - 10
    body = np.zeros_like(mask)
    body[y0:y1, x0:x1] = True
    lightness = cv2.cvtColor(packshot.image, cv2.COLOR_RGB2LAB)[..., 0]
    light = body & (lightness > 220)
    assert light.sum() > 0.1 * body.sum()  # the band is a good share of the body
    assert mask[light].mean() > 0.97
    assert mask[body].mean() > 0.97


@pytest.mark.parametrize(
    ("name", "straps"),
    [("048769_1.jpg", True), ("07382_00.jpg", False), ("04825_00.jpg", False)],
    ids=["cami", "crop-tank", "halter"],
)
def test_tanks_and_strappy_tops_are_fitted_sleeveless(people_dir, name, straps):
    # given a strappy cami, a crop tank or a halter top (tune packshots)
    packshot = _packshot(people_dir, name, "top")
    # then it is not refused: sleeveless, with straps for the cami
    assert packshot.structure.kind_ok
    assert packshot.structure.sleeves == "none"
    assert packshot.structure.straps is straps
    # and its sleeve corners sit on the shoulder (outer) and the armpit (inner), the armpit below
    lm = packshot.landmarks
    height = np.ptp(np.nonzero(packshot.mask > 127)[0])
    for side in ("left", "right"):
        assert lm[f"sleeve_{side}_outer"] == lm[f"shoulder_{side}"]
        assert lm[f"sleeve_{side}_inner"] == lm[f"armpit_{side}"]
        assert lm[f"armpit_{side}"][1] - lm[f"shoulder_{side}"][1] > 0.02 * height
    assert lm["armpit_right"][0] < lm["armpit_left"][0]


@pytest.mark.parametrize(
    ("name", "sleeves"),
    [
        ("03244_00.jpg", "short"),
        ("12562_00.jpg", "short"),
        ("050181_1.jpg", "short"),
        ("049949_1.jpg", "short"),
        ("00151_00.jpg", "long"),
        ("049940_1.jpg", "long"),
        ("049947_1.jpg", "long"),
    ],
)
def test_sleeves_are_read_short_or_long(people_dir, name, sleeves):
    # given a tee or a long-sleeved top (tune packshots; puffed and bell sleeves among them)
    packshot = _packshot(people_dir, name, "top")
    # then its sleeves are read, with armpits below the shoulders and the wearer's right on the left
    structure = packshot.structure
    assert (structure.read_as, structure.sleeves) == ("top", sleeves)
    points = structure.points
    for side in ("left", "right"):
        assert points[f"armpit_{side}"][1] > points[f"shoulder_{side}"][1]
    assert points["shoulder_right"][0] < structure.axis_x < points["shoulder_left"][0]


def test_a_ragged_white_tees_armpits_are_under_its_sleeves_not_at_their_ends(people_dir):
    # given the white tee on light grey whose cut-out leaves its cuffs ragged
    structure = _packshot(people_dir, "12562_00.jpg", "top").structure
    points = structure.points
    # then each armpit lies well in from its cuff, towards the body (where the underside meets the
    # side), and below it
    for side in ("left", "right"):
        cuff, armpit = points[f"cuff_{side}"], points[f"armpit_{side}"]
        in_from_cuff = abs(armpit[0] - cuff[0]) / abs(structure.axis_x - cuff[0])
        assert in_from_cuff > 0.3
        assert armpit[1] > cuff[1]


@pytest.mark.parametrize(
    ("name", "kind"), [("050105_1.jpg", "top"), ("03244_00.jpg", "top"), ("052234_1.jpg", "dress")]
)
def test_a_sleeves_opening_is_at_its_cuff_not_at_the_hem(people_dir, name, kind):
    # given a tee or a puff-sleeved dress (tune packshots) whose hem juts out past its armpits
    packshot = _packshot(people_dir, name, kind)
    landmarks, points = packshot.landmarks, packshot.structure.points
    for side in ("left", "right"):
        # then each sleeve's opening lies at the sleeve's end, far nearer its cuff than the hem corner
        middle = (
            np.array(landmarks[f"sleeve_{side}_outer"]) + np.array(landmarks[f"sleeve_{side}_inner"])
        ) / 2
        to_cuff = np.linalg.norm(middle - np.array(points[f"cuff_{side}"]))
        to_hem = np.linalg.norm(middle - np.array(landmarks[f"hem_{side}"]))
        assert to_cuff < 0.5 * to_hem


def test_the_ground_between_a_long_sleeve_and_the_body_is_left_out(people_dir):
    # given the striped long-sleeved top whose sleeves hang close to the body
    mask = _packshot(people_dir, "00151_00.jpg", "top").mask > 127
    ys, _xs = np.nonzero(mask)
    # then two thirds of the way down, sleeve, body and sleeve are apart (three runs or more)
    row = int(ys.min() + 0.65 * (ys.max() - ys.min()))
    assert len(_runs(mask[row])) >= 3


@pytest.mark.parametrize("name", ["051515_1.jpg", "051517_1.jpg", "051946_1.jpg", "051991_1.jpg"])
def test_trousers_are_read_with_their_crotch(people_dir, name):
    # given a pair of trousers (tune packshots; one pair's hems touch)
    structure = _packshot(people_dir, name, "bottom").structure
    # then they read as trousers, the crotch between waist and hems
    assert structure.read_as == "trousers"
    assert structure.waist_y < structure.crotch_y < structure.hem_y
    assert abs(structure.points["crotch"][0] - structure.axis_x) < 1.0


def test_a_packshot_of_another_kind_is_refused_with_its_reason(people_dir):
    # given trousers sold as a top, and a strappy cami sold as a bottom
    with pytest.raises(CannotRender, match="two legs"):
        _packshot(people_dir, "051946_1.jpg", "top")
    with pytest.raises(CannotRender, match="straps"):
        _packshot(people_dir, "048769_1.jpg", "bottom")
