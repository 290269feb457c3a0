"""Feet and shoes below a long dress (heuristic-8): a sandal of the gown's colour, the toes above its
strap, and a piece of the gown's hem beside them; shoes below bare ankles under printed trousers
(heuristic-9); and a shin in the shade of a skirt, below its hem (heuristic-11).

The constructed figure is drawn with known regions and given its keypoints and person mask (the
pose model does not find drawn figures); the photo tests check the same on real tune photos by
hand-set boxes around the feet.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from ml.analysis import analyze_file
from ml.parsing.heuristic import parse_small
from ml.parsing.heuristic.cleanup import _legs_inside_garment
from ml.parsing.heuristic.garments import _shins_below_the_hem, _shoes_below_bare_ankles
from ml.parsing.heuristic.tuning import TUNING
from ml.types import NUM_KEYPOINTS
from ml.types import ParsingClass as C
from tests.support.figures import arm_and_hip_joints, head_and_neck, head_joints, keypoints_of

WIDTH, HEIGHT, CX = 200, 320, 100
SKIN = (224, 172, 140)
HAIR = (40, 28, 20)
PAPER = (150, 150, 155)
GOWN = (240, 238, 232)  # a white gown, and white sandals
HEM = 292  # the gown's hem, a hand above the floor
FLOOR = 312  # the soles' lowest row
JOINTS = {
    **head_joints(CX),
    **arm_and_hip_joints(CX),
    "right_knee": (CX - 22, 230),
    "left_knee": (CX + 22, 230),
    # under a gown the pose model puts the ankles inside it, well above the feet
    "right_ankle": (CX - 22, 280),
    "left_ankle": (CX + 22, 280),
}
FOOT_X = {"right": CX - 22, "left": CX + 22}


def _gown_with_sandals() -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """A figure in a long white gown with bare arms; below the hem two bare feet in white sandals
    (a strap across the toes and a sole, both the gown's colour). Returns image, mask, keypoints and
    the drawn regions: "gown", "sandals", "toes"."""
    image = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    image[:] = PAPER
    layers = {name: np.zeros((HEIGHT, WIDTH), np.uint8) for name in ("skin", "hair", "gown", "sandals")}
    cv2.ellipse(layers["hair"], (CX, 34), (22, 26), 0, 0, 360, 1, -1)
    layers["skin"][head_and_neck((HEIGHT, WIDTH), CX)] = 1
    for side in ("right", "left"):
        cv2.line(layers["skin"], JOINTS[f"{side}_shoulder"], JOINTS[f"{side}_elbow"], 1, 13)
        cv2.line(layers["skin"], JOINTS[f"{side}_elbow"], JOINTS[f"{side}_wrist"], 1, 11)
        x = FOOT_X[side]
        cv2.rectangle(layers["skin"], (x - 6, HEM - 4), (x + 6, FLOOR - 8), 1, -1)  # the instep and toes
        cv2.rectangle(layers["sandals"], (x - 8, HEM + 5), (x + 8, HEM + 8), 1, -1)  # the strap
        cv2.rectangle(layers["sandals"], (x - 8, FLOOR - 7), (x + 8, FLOOR), 1, -1)  # the sole
    outline = [(CX - 32, 70), (CX + 32, 70), (CX + 60, HEM), (CX - 60, HEM)]
    cv2.fillPoly(layers["gown"], [np.array(outline, np.int32)], 1)
    order = (("hair", HAIR), ("skin", SKIN), ("gown", GOWN), ("sandals", GOWN))
    regions: dict[str, np.ndarray] = {}
    for name, colour in order:
        on = layers[name] > 0
        image[on] = colour
        for other in regions:
            regions[other] &= ~on
        regions[name] = on.copy()
    regions["toes"] = regions["skin"] & (np.arange(HEIGHT)[:, None] > HEM)
    mask = np.logical_or.reduce([on > 0 for on in layers.values()])
    noise = np.random.default_rng(0).integers(-4, 5, image.shape)  # photos are never flat
    image = np.clip(image.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    return image, (mask * 255).astype(np.uint8), keypoints_of(JOINTS), regions


def _share(labels: np.ndarray, region: np.ndarray, classes) -> float:
    return float(np.isin(labels[region], classes).mean())


def test_sandals_of_the_gowns_colour_and_the_toes_above_their_straps_are_legs():
    # given a long white gown, and below its hem bare feet in white sandals (the gown's colour), the
    # ankles put inside the gown by the pose
    image, mask, keypoints, regions = _gown_with_sandals()
    # when it is parsed
    labels = parse_small(image, mask, keypoints, np.ones(NUM_KEYPOINTS, bool))
    # then the sandals and the toes between strap and sole are legs (shoes go with legs) ...
    assert _share(labels, regions["sandals"], [C.LEGS]) >= 0.9
    assert _share(labels, regions["toes"], [C.LEGS]) >= 0.9
    # ... and the gown is still upper clothes, none of it legs
    gown = cv2.erode(regions["gown"].astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    assert _share(labels, gown, [C.UPPER_CLOTHES]) == 1.0


BODY = 40.0  # px: the figure's body width at work size
PRINT = (slice(172, 180), slice(90, 106))  # a skin-like print just above the hem
FEET = np.zeros((240, 200), bool)  # where the feet may stand: round and below the ankles ...
FEET[160:, 70:130] = True  # ... which the pose put at row 175, inside the dress


def _labels_with_a_hem() -> np.ndarray:
    """Work-size labels: a dress (upper clothes) 100 px wide from row 100 down to its hem at row 200,
    paper around it."""
    labels = np.zeros((240, 200), np.uint8)
    labels[100:200, 50:150] = C.UPPER_CLOTHES
    return labels


def test_a_skin_like_print_inside_the_dress_above_its_hem_is_the_dress():
    # given a dress with a patch of "legs" (a print of skin-like colours) just above its hem
    labels = _labels_with_a_hem()
    labels[PRINT] = C.LEGS
    # when legs inside garments are cleaned up
    _legs_inside_garment(labels, BODY, TUNING)
    # then the patch is the dress
    assert (labels[PRINT] == C.UPPER_CLOTHES).all()


def test_a_print_joined_to_the_bare_shin_below_the_hem_is_the_dress_and_the_shin_stays_legs():
    # given the same print, joined by a thread of skin-like pixels through the hem to a bare shin
    # below it (the photo's shin, once its sandal strap is no longer the dress), near the ankles
    labels = _labels_with_a_hem()
    labels[PRINT] = C.LEGS
    labels[180:200, 99:101] = C.LEGS  # the thread
    labels[200:240, 94:104] = C.LEGS  # the shin
    # when legs inside garments are cleaned up
    _legs_inside_garment(labels, BODY, TUNING, FEET)
    # then the print is the dress but for the thread's two columns, and the shin is still legs
    assert (labels[PRINT] == C.UPPER_CLOTHES).sum() == labels[PRINT].size - 2 * 8
    assert (labels[200:240, 94:104] == C.LEGS).all()


def _foot_over_a_strap() -> np.ndarray:
    """A bare instep just below the hem, over a strap and a sole labelled the dress (a sandal of the
    gown's colour), toes between them."""
    labels = _labels_with_a_hem()
    labels[200:208, 94:106] = C.LEGS  # the instep
    labels[208:211, 92:108] = C.UPPER_CLOTHES  # the strap across the toes
    labels[211:218, 94:106] = C.LEGS  # the toes
    labels[218:222, 92:108] = C.UPPER_CLOTHES  # the sole
    return labels


def test_a_bare_foot_above_a_strap_of_the_dress_colour_stays_legs():
    # given a bare foot over a strap of the gown's colour, where the feet may stand
    labels = _foot_over_a_strap()
    before = labels.copy()
    # when legs inside garments are cleaned up
    _legs_inside_garment(labels, BODY, TUNING, FEET)
    # then nothing changed: the strap is narrower than the hem, so the instep is not inside the dress
    assert (labels == before).all()


def test_away_from_the_feet_skin_between_the_garment_and_a_narrow_strip_of_it_is_the_garment():
    # given the same shapes where no foot may stand (a hand over a narrow band of the top, say)
    labels = _foot_over_a_strap()
    # when legs inside garments are cleaned up without a feet zone
    _legs_inside_garment(labels, BODY, TUNING)
    # then, as before heuristic-8, the "instep" with the garment just above and just below is the garment
    assert (labels[200:208, 94:106] == C.UPPER_CLOTHES).all()


def _trousers_over_shoes() -> tuple[np.ndarray, np.ndarray]:
    """Work-size labels of a trouser leg (pants) down to row 200, a bare ankle below it, and a shoe
    the trousers' model took (pants) standing on the floor at row 229; and the person mask."""
    labels = np.zeros((240, 200), np.uint8)
    labels[100:200, 85:115] = C.PANTS
    labels[200:214, 92:106] = C.LEGS  # the bare ankle
    labels[214:230, 88:112] = C.PANTS  # the shoe, the colour of the print's dark parts
    return labels, labels > 0


def test_a_shoe_below_a_bare_ankle_labelled_trousers_is_legs():
    # given a shoe labelled trousers below a bare ankle, standing on the floor, where the feet may be
    labels, person = _trousers_over_shoes()
    # when shoes below bare ankles are looked for
    _shoes_below_bare_ankles(labels, person, FEET, TUNING)
    # then the shoe is legs (ADGAN's class for shoes), and the trousers above the ankle stay trousers
    assert (labels[214:230, 88:112] == C.LEGS).all()
    assert (labels[100:200, 85:115] == C.PANTS).all()


def test_trousers_below_a_pale_speck_of_their_print_stay_trousers():
    # given full-length trousers down to the floor with a pale speck of their print labelled legs
    labels = np.zeros((240, 200), np.uint8)
    labels[100:230, 85:115] = C.PANTS
    labels[205:207, 98:100] = C.LEGS
    before = labels.copy()
    # when shoes below bare ankles are looked for
    _shoes_below_bare_ankles(labels, labels > 0, FEET, TUNING)
    # then nothing changed: a speck is no bare ankle
    assert (labels == before).all()


def test_away_from_the_feet_trousers_below_skin_stay_trousers():
    # given the same shoe-and-ankle shapes where no foot may stand
    labels, person = _trousers_over_shoes()
    before = labels.copy()
    # when shoes below bare ankles are looked for with no feet zone
    _shoes_below_bare_ankles(labels, person, np.zeros_like(FEET), TUNING)
    # then nothing changed
    assert (labels == before).all()


def _models_dir(people_dir: Path) -> Path:
    return people_dir.parent / "vton" / "models"


# Hand-set boxes (x0, y0, x1, y1) in the photos' own pixels, inside a foot below a long dress.
FOOT_BOXES = {
    # white sandals under a pale floral maxi dress: the front foot, sandal and toes
    "onmodel_29.jpg": (232, 505, 254, 545),
    # a black sandal under a black chiffon gown: the bare instep above its toe strap
    "onmodel_20.jpg": (100, 526, 114, 538),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FOOT_BOXES))
def test_on_real_photos_a_foot_below_a_long_dress_is_legs(people_dir, name):
    # given a tune photo of a long dress with a foot in a sandal below its hem
    analysis = analyze_file(people_dir / name)
    x0, y0, x1, y1 = FOOT_BOXES[name]
    # then the foot's box is mostly legs
    assert float((analysis.parsing[y0:y1, x0:x1] == C.LEGS).mean()) >= 0.85


# Hand-set boxes (x0, y0, x1, y1) inside black shoes below bare ankles under printed trousers, in
# the photo's own pixels (768 x 1024): the trousers' print is red, white and black.
SHOES_UNDER_PRINTED_TROUSERS = {"049447_0.jpg": [(305, 955, 355, 990), (480, 965, 515, 990)]}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SHOES_UNDER_PRINTED_TROUSERS))
def test_on_real_photos_shoes_below_bare_ankles_under_printed_trousers_are_legs(people_dir, name):
    # given a tune photo of printed trousers ending above bare ankles, black shoes below
    analysis = analyze_file(_models_dir(people_dir) / name)
    # then each shoe's box is mostly legs, not trousers
    for x0, y0, x1, y1 in SHOES_UNDER_PRINTED_TROUSERS[name]:
        assert float((analysis.parsing[y0:y1, x0:x1] == C.LEGS).mean()) >= 0.9


LEG_X = 100  # the drawn leg's bone runs down this column
SHIN = (slice(200, 214), slice(94, 106))  # a shin in the skirt's shade, labelled the skirt
SHIN_FEET = np.zeros((240, 200), bool)  # the feet of a skirt ending at mid-shin ...
SHIN_FEET[228:, 70:130] = True  # ... round and below ankles at row 232
SKIRT_LAB = (90.0, 150.0, 150.0)  # OpenCV 8-bit Lab: a dark red skirt ...
SHADED_SKIN_LAB = (150.0, 140.0, 148.0)  # ... and a shin in its shade


def _leg_distance() -> np.ndarray:
    return np.abs(np.arange(200, dtype=np.float32)[None, :] - LEG_X).repeat(240, axis=0)


def _skirt_over_a_shaded_shin() -> tuple[np.ndarray, np.ndarray]:
    """Work-size labels and Lab image: a skirt (upper clothes) to its hem at row 200, below it the
    top of a shin in its shade labelled the skirt, and the bare shin and foot below that, down to
    the feet."""
    labels = _labels_with_a_hem()
    labels[SHIN] = C.UPPER_CLOTHES
    labels[214:236, 94:106] = C.LEGS
    lab = np.zeros((240, 200, 3), np.float32)
    lab[labels == C.UPPER_CLOTHES] = SKIRT_LAB
    lab[SHIN] = SHADED_SKIN_LAB
    lab[labels == C.LEGS] = SHADED_SKIN_LAB
    lab += np.random.default_rng(0).normal(0.0, 2.0, lab.shape).astype(np.float32)  # never flat
    return labels, lab


def _shins(labels: np.ndarray, lab: np.ndarray, leg_distance: np.ndarray | None = None) -> None:
    distance = _leg_distance() if leg_distance is None else leg_distance
    _shins_below_the_hem(labels, lab, labels > 0, distance, SHIN_FEET, BODY, TUNING)


def test_a_shaded_shin_below_the_hem_labelled_the_skirt_is_legs():
    # given a shin just below a skirt's hem labelled the skirt, standing on the bare leg below
    labels, lab = _skirt_over_a_shaded_shin()
    # when shins below the hem are looked for
    _shins(labels, lab)
    # then the shin is legs, and the skirt above its hem is still the skirt
    assert (labels[SHIN] == C.LEGS).all()
    assert (labels[100:200, 50:150] == C.UPPER_CLOTHES).all()


def test_a_fold_of_the_skirt_lying_on_the_leg_stays_the_skirt():
    # given the same piece in the skirt's own colour (a fold of the hem lying on the foot or shin)
    labels, lab = _skirt_over_a_shaded_shin()
    lab[SHIN] = SKIRT_LAB
    # when shins below the hem are looked for
    _shins(labels, lab)
    # then the fold is still the skirt
    assert (labels[SHIN] == C.UPPER_CLOTHES).all()


def test_a_corner_of_the_hem_hanging_over_the_background_stays_the_skirt():
    # given a narrow corner of the skirt hanging below its hem beside the leg, over the background
    labels, lab = _skirt_over_a_shaded_shin()
    labels[200:214, 108:112] = C.UPPER_CLOTHES
    lab[200:214, 108:112] = SHADED_SKIN_LAB
    # when shins below the hem are looked for
    _shins(labels, lab)
    # then the corner is still the skirt (nothing of the leg stands under it)
    assert (labels[200:214, 108:112] == C.UPPER_CLOTHES).all()


def test_a_piece_standing_on_legs_that_reach_no_foot_stays_the_garment():
    # given the same shin piece, but the "legs" under it a patch that stops short of the feet (a pale
    # patch of trousers), trousers below it
    labels, lab = _skirt_over_a_shaded_shin()
    labels[220:236, 94:106] = C.PANTS
    # when shins below the hem are looked for
    _shins(labels, lab)
    # then the piece is still the garment
    assert (labels[SHIN] == C.UPPER_CLOTHES).all()


def test_a_piece_wider_than_a_shin_stays_the_garment():
    # given a piece below the hem as wide as both legs (a kurta's front panel), bare legs under it
    labels, lab = _skirt_over_a_shaded_shin()
    labels[200:214, 80:120] = C.UPPER_CLOTHES
    labels[214:236, 80:120] = C.LEGS
    lab[200:236, 80:120] = SHADED_SKIN_LAB
    # when shins below the hem are looked for (the bones within reach all along it)
    _shins(labels, lab, np.zeros((240, 200), np.float32))
    # then the panel is still the garment
    assert (labels[200:214, 80:120] == C.UPPER_CLOTHES).all()


# Hand-set boxes (x0, y0, x1, y1) in the photo's own pixels (420 x 560): a shin in the shade of a
# flared floral skirt, just below its hem.
SHADED_SHINS = {"onmodel_19.jpg": (262, 440, 272, 455)}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SHADED_SHINS))
def test_on_real_photos_a_shaded_shin_below_the_hem_is_legs(people_dir, name):
    # given a tune photo of a flared skirt, a shin in its shade just below the hem
    analysis = analyze_file(people_dir / name)
    x0, y0, x1, y1 = SHADED_SHINS[name]
    # then the shin's box is legs
    assert float((analysis.parsing[y0:y1, x0:x1] == C.LEGS).mean()) >= 0.95
