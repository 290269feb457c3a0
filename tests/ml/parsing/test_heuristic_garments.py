"""Lower garments of every length and colour, the waistline and bare legs (heuristic parser).

The constructed figures are drawn with known regions and given their keypoints and person mask,
so they test the label assignment itself (the pose model does not find drawn figures); the
photo tests check the same on real fixture photos (tune part of the split) by hand-set boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest

from ml.analysis import analyze_file
from ml.parsing.heuristic import TUNING, parse_small
from ml.parsing.heuristic.garments import _bottom_kind, _leg_votes
from ml.parsing.heuristic.geometry import _frame
from ml.parsing.heuristic.skin import _hair_that_does_not_hang
from ml.types import KP, NUM_KEYPOINTS
from ml.types import ParsingClass as C
from tests.support.figures import arm_and_hip_joints

LOWER = (C.PANTS, C.SKIRT)
SKIN = (224, 172, 140)
HAIR = (40, 28, 20)
SHOES = (30, 30, 30)
PAPER = (245, 245, 245)
COLOURS = {
    "black": (25, 25, 28),
    "white": (240, 240, 236),
    "denim": (60, 90, 140),
    "red": (180, 30, 40),
    "khaki": (190, 170, 120),
    "navy": (30, 35, 70),
}
TWO_COLOURS = [("white", "black"), ("black", "denim"), ("navy", "white"), ("white", "red"), ("red", "khaki")]
WIDTH, HEIGHT, CX, WAIST = 200, 320, 100, 140
JOINTS = {
    "nose": (CX, 40),
    "right_eye": (CX - 7, 35),
    "left_eye": (CX + 7, 35),
    "right_ear": (CX - 16, 40),
    "left_ear": (CX + 16, 40),
    "neck": (CX, 70),
    **arm_and_hip_joints(CX),
    "right_knee": (CX - 24, 230),
    "left_knee": (CX + 24, 230),
    "right_ankle": (CX - 26, 295),
    "left_ankle": (CX + 26, 295),
}


@dataclass
class Figure:
    image: np.ndarray
    mask: np.ndarray
    keypoints: np.ndarray
    regions: dict[str, np.ndarray]  # what was drawn where: "top", "bottom", "shins"

    def parse(self) -> np.ndarray:
        return parse_small(self.image, self.mask, self.keypoints, np.ones(NUM_KEYPOINTS, bool))

    def share(self, labels: np.ndarray, region: str, classes) -> float:
        inner = cv2.erode(self.regions[region].astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
        return float(np.isin(labels[inner], classes).mean())


def _point(name: str, towards: str | None = None, t: float = 0.0) -> tuple[int, int]:
    a = np.array(JOINTS[name], float)
    if towards is not None:
        a = a + (np.array(JOINTS[towards], float) - a) * t
    return int(a[0]), int(a[1])


def _bottom(layer: np.ndarray, kind: str) -> None:
    """Shorts (to mid-thigh), a skirt (above the knees), trousers (to the ankles) or a dress's skirt."""
    if kind in ("skirt", "dress"):
        outline = [(CX - 32, WAIST), (CX + 32, WAIST), (CX + 46, 212), (CX - 46, 212)]
        cv2.fillPoly(layer, [np.array(outline, np.int32)], 1)
        return
    cv2.rectangle(layer, (CX - 34, WAIST), (CX + 34, 178), 1, -1)  # waistband to crotch
    for side in ("right", "left"):
        if kind == "shorts":
            cv2.line(layer, _point(f"{side}_hip"), _point(f"{side}_hip", f"{side}_knee", 0.55), 1, 28)
        else:
            cv2.line(layer, _point(f"{side}_hip"), _point(f"{side}_knee"), 1, 28)
            cv2.line(layer, _point(f"{side}_knee"), _point(f"{side}_knee", f"{side}_ankle", 0.85), 1, 22)


def figure(top: str, bottom: str, kind: str) -> Figure:
    """A standing figure in a short-sleeved top over ``kind`` on plain paper, with skin, hair and shoes."""
    image = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    image[:] = PAPER
    mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    regions: dict[str, np.ndarray] = {}

    def paint(colour, draw, region: str | None = None) -> None:
        layer = np.zeros((HEIGHT, WIDTH), np.uint8)
        draw(layer)
        on = layer > 0
        image[on] = colour
        mask[on] = 255
        for name in regions:
            regions[name] &= ~on
        if region is not None:
            regions[region] = on.copy()

    for side in ("right", "left"):
        paint(SKIN, lambda layer, s=side: cv2.line(layer, _point(f"{s}_hip"), _point(f"{s}_knee"), 1, 18))
        paint(SKIN, lambda layer, s=side: cv2.line(layer, _point(f"{s}_knee"), _point(f"{s}_ankle"), 1, 14))
        paint(
            SHOES,
            lambda layer, s=side: cv2.ellipse(
                layer, (JOINTS[f"{s}_ankle"][0], 303), (12, 7), 0, 0, 360, 1, -1
            ),
        )
        paint(
            SKIN, lambda layer, s=side: cv2.line(layer, _point(f"{s}_shoulder"), _point(f"{s}_elbow"), 1, 13)
        )
        paint(SKIN, lambda layer, s=side: cv2.line(layer, _point(f"{s}_elbow"), _point(f"{s}_wrist"), 1, 11))
    shoes = np.zeros((HEIGHT, WIDTH), np.uint8)
    for side in ("right", "left"):
        cv2.ellipse(shoes, (JOINTS[f"{side}_ankle"][0], 303), (12, 7), 0, 0, 360, 1, -1)
    regions["shoes"] = shoes > 0
    regions["shins"] = np.zeros((HEIGHT, WIDTH), bool)
    regions["shins"][245:285] = mask[245:285] > 0
    paint(HAIR, lambda layer: cv2.ellipse(layer, (CX, 34), (22, 26), 0, 0, 360, 1, -1))
    paint(SKIN, lambda layer: cv2.ellipse(layer, (CX, 42), (17, 22), 0, 0, 360, 1, -1))
    paint(SKIN, lambda layer: cv2.rectangle(layer, (CX - 7, 58), (CX + 7, 74), 1, -1))
    paint(COLOURS[bottom], lambda layer: _bottom(layer, kind), "bottom")

    def shirt(layer):
        cv2.rectangle(layer, (CX - 34, 70), (CX + 34, WAIST), 1, -1)
        for s, dx in (("right", -8), ("left", 8)):
            x, y = JOINTS[f"{s}_shoulder"]
            cv2.line(layer, (x, y), (x + dx, 100), 1, 16)

    paint(COLOURS[top], shirt, "top")
    noise = np.random.default_rng(0).integers(-4, 5, image.shape)  # photos are never flat
    image = np.clip(image.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    keypoints = np.full((NUM_KEYPOINTS, 2), -1.0, np.float32)
    for name, point in JOINTS.items():
        keypoints[KP[name]] = point
    return Figure(image=image, mask=mask, keypoints=keypoints, regions=regions)


@pytest.mark.parametrize("kind", ["shorts", "skirt"])
@pytest.mark.parametrize(("top", "bottom"), [*TWO_COLOURS, ("white", "denim")])
def test_shorts_and_skirts_of_several_colours_are_lower_clothes(kind, top, bottom):
    # given a figure in a top over shorts or a skirt of another colour, bare legs below
    drawn = figure(top, bottom, kind)
    # when it is parsed
    labels = drawn.parse()
    # then the shorts or skirt are lower clothes, the top upper clothes, the shins and shoes legs
    assert drawn.share(labels, "bottom", LOWER) >= 0.9
    assert drawn.share(labels, "top", [C.UPPER_CLOTHES]) >= 0.9
    assert drawn.share(labels, "shins", [C.LEGS]) >= 0.9
    assert drawn.share(labels, "shoes", [C.LEGS]) >= 0.9


@pytest.mark.parametrize(("top", "bottom"), [("navy", "white"), ("black", "khaki"), ("white", "denim")])
def test_long_trousers_light_or_dark_are_pants(top, bottom):
    drawn = figure(top, bottom, "trousers")
    labels = drawn.parse()
    assert drawn.share(labels, "bottom", [C.PANTS]) >= 0.9
    assert drawn.share(labels, "top", [C.UPPER_CLOTHES]) >= 0.9
    assert drawn.share(labels, "shoes", [C.LEGS]) >= 0.9  # below the trouser hems


@pytest.mark.parametrize("kind", ["shorts", "trousers"])
def test_a_bottom_the_colour_of_the_top_is_lower_clothes_below_the_hips(kind):
    # given a black top over black shorts or trousers: no colour change at the waist
    drawn = figure("black", "black", kind)
    labels = drawn.parse()
    # then below the hips the two legs of the garment are lower clothes, the top stays upper clothes
    below_hips = drawn.regions["bottom"].copy()
    below_hips[: JOINTS["right_hip"][1]] = False
    drawn.regions["below_hips"] = below_hips
    assert drawn.share(labels, "below_hips", LOWER) >= 0.9
    assert drawn.share(labels, "top", [C.UPPER_CLOTHES]) >= 0.9


@pytest.mark.parametrize("colour", ["red", "navy", "khaki"])
def test_a_one_piece_dress_has_no_lower_clothes(colour):
    # given a dress: the top and its skirt in one colour, bare legs below
    drawn = figure(colour, colour, "dress")
    labels = drawn.parse()
    # then all of it is upper clothes (ADGAN's dress class) and nothing is a lower garment
    assert drawn.share(labels, "bottom", [C.UPPER_CLOTHES]) >= 0.9
    assert np.isin(labels, LOWER).sum() == 0
    assert drawn.share(labels, "shins", [C.LEGS]) >= 0.9


def _models_dir(people_dir: Path) -> Path:
    return people_dir.parent / "vton" / "models"


def _box_share(parsing: np.ndarray, box: tuple[int, int, int, int], classes) -> float:
    x0, y0, x1, y1 = box
    return float(np.isin(parsing[y0:y1, x0:x1], classes).mean())


# Hand-set boxes (x0, y0, x1, y1) in the photos' own pixels (768 x 1024), inside each garment.
REAL_PHOTOS = {
    # a yellow crop top over a white mini skirt (no tune photo shows shorts: the shortest bottom)
    "model_4.png": {"top": (320, 340, 480, 500), "bottom": (240, 680, 460, 940)},
    # a black strappy top over light jeans
    "05997_00.jpg": {"top": (300, 400, 500, 540), "bottom": (240, 640, 540, 1000)},
    # a white tank top over blue jeans
    "model_1.png": {"top": (300, 400, 480, 620), "bottom": (280, 720, 520, 900)},
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(REAL_PHOTOS))
def test_on_real_photos_the_short_or_long_bottom_is_lower_clothes(people_dir, name):
    # given a tune photo of a top over a skirt or jeans
    analysis = analyze_file(_models_dir(people_dir) / name)
    boxes = REAL_PHOTOS[name]
    # then the bottom's box is mostly lower clothes and the top's box mostly upper clothes
    assert _box_share(analysis.parsing, boxes["bottom"], LOWER) >= 0.85
    assert _box_share(analysis.parsing, boxes["top"], [C.UPPER_CLOTHES]) >= 0.85


def _strappy(top: str) -> tuple[Figure, np.ndarray]:
    """The figure in a strappy ``top`` (bare chest between two straps) over trousers, and its arms."""
    drawn = figure(top, "black", "trousers")
    image = drawn.image.copy()
    chest = np.zeros(image.shape[:2], np.uint8)
    cv2.rectangle(chest, (CX - 28, 74), (CX + 28, 100), 1, -1)
    straps = np.zeros(image.shape[:2], np.uint8)
    for side in ("right", "left"):
        x = JOINTS[f"{side}_shoulder"][0] + (8 if side == "right" else -8)
        cv2.line(straps, (x, 72), (x, 100), 1, 3)
    bare = (chest > 0) & (straps == 0)
    image[bare] = SKIN
    drawn.regions["top"] &= ~bare
    drawn.regions["chest"] = np.zeros_like(bare)
    drawn.regions["chest"][78:97, CX - 15 : CX + 16] = True
    arms = np.zeros(image.shape[:2], np.uint8)
    for side in ("right", "left"):
        cv2.line(arms, _point(f"{side}_elbow"), _point(f"{side}_wrist"), 1, 11)
    drawn.regions["forearms"] = arms > 0
    return Figure(image=image, mask=drawn.mask, keypoints=drawn.keypoints, regions=drawn.regions), arms > 0


@pytest.mark.parametrize("top", ["black", "red", "white"])
def test_a_bare_chest_between_straps_is_no_arm(top):
    # given a figure in a strappy top: bare skin on the chest between the straps, bare forearms
    drawn, _arms = _strappy(top)
    # when it is parsed
    labels = drawn.parse()
    # then the chest goes with the face (ADGAN has no torso skin), not with the arms
    assert drawn.share(labels, "chest", [C.FACE]) >= 0.9
    assert drawn.share(labels, "chest", [C.ARMS]) == 0.0
    # and the forearms are still arms, the top's body still upper clothes
    assert drawn.share(labels, "forearms", [C.ARMS]) >= 0.9
    assert drawn.share(labels, "top", [C.UPPER_CLOTHES]) >= 0.9


def test_a_shoes_sole_below_the_ankles_circle_is_legs():
    # given a figure in a black top over shorts, bare shins, and black shoes whose soles reach farther
    # below the ankle keypoints than a shoe's radius (the pose model put the ankles high)
    drawn = figure("black", "denim", "shorts")
    high = {"right_ankle": 285, "left_ankle": 285}
    for name, row in high.items():
        drawn.keypoints[KP[name], 1] = row
    shin = 285 - JOINTS["right_knee"][1]
    soles = np.zeros(drawn.mask.shape, bool)
    for side in ("right", "left"):
        x = JOINTS[f"{side}_ankle"][0]
        soles[int(285 + 0.35 * shin) + 2 : 311, x - 8 : x + 9] = True
    drawn.regions["soles"] = soles & drawn.regions["shoes"]
    assert drawn.regions["soles"].sum() > 40
    # when it is parsed
    labels = drawn.parse()
    # then the soles are legs (shoes), like the rest of the shoes, not the black top
    assert drawn.share(labels, "soles", [C.LEGS]) >= 0.9
    assert drawn.share(labels, "shoes", [C.LEGS]) >= 0.9
    assert drawn.share(labels, "top", [C.UPPER_CLOTHES]) >= 0.9


def _with_hair_coloured(drawn: Figure, region: np.ndarray, name: str) -> Figure:
    image = drawn.image.copy()
    image[region] = HAIR
    regions = {key: value & ~region for key, value in drawn.regions.items()}
    regions[name] = region
    mask = drawn.mask.copy()
    mask[region] = 255
    return Figure(image=image, mask=mask, keypoints=drawn.keypoints, regions=regions)


def test_a_hair_coloured_collar_is_the_top_and_hair_over_the_shoulder_stays_hair():
    # given a figure in a white top whose upper band (the collar) is the colour of her hair
    drawn = figure("white", "black", "trousers")
    collar = np.zeros(drawn.mask.shape, bool)
    collar[72:80, CX - 33 : CX + 34] = True
    collared = _with_hair_coloured(drawn, collar & drawn.regions["top"], "collar")
    # and the same figure with a lock of hair hanging from her head over her shoulder instead
    lock = np.zeros(drawn.mask.shape, np.uint8)
    cv2.line(lock, (CX + 18, 40), (CX + 26, 96), 1, 9)
    locked = _with_hair_coloured(drawn, lock > 0, "lock")
    # when both are parsed
    collar_labels, lock_labels = collared.parse(), locked.parse()
    # then the collar is upper clothes (no hair piece reaches it from the head) ...
    assert collared.share(collar_labels, "collar", [C.UPPER_CLOTHES]) >= 0.9
    # ... and the lock, hanging from the hair on her head, stays hair
    below_head = locked.regions["lock"].copy()
    below_head[:76] = False
    locked.regions["lock_below_head"] = below_head
    assert locked.share(lock_labels, "lock_below_head", [C.HAIR]) >= 0.8


def test_a_hair_coloured_collar_joined_to_a_lock_of_hair_is_the_top_and_the_lock_stays_hair():
    # given a figure whose collar is the colour of her hair and touches a lock hanging from her head
    # beside her neck, so that collar, lock and the hair on her head are one piece
    drawn = figure("white", "black", "trousers")
    collar = np.zeros(drawn.mask.shape, bool)
    collar[72:80, CX - 33 : CX + 34] = True
    lock = np.zeros(drawn.mask.shape, np.uint8)
    cv2.line(lock, (CX + 18, 40), (CX + 26, 96), 1, 9)
    both = _with_hair_coloured(drawn, (collar & drawn.regions["top"]) | (lock > 0), "hair_below")
    away_from_lock = collar & drawn.regions["top"] & ~(cv2.dilate(lock, np.ones((1, 13), np.uint8)) > 0)
    both.regions["collar"] = away_from_lock
    lock_below_head = lock > 0
    lock_below_head[:76] = False
    both.regions["lock_below_head"] = lock_below_head
    # when parsed
    labels = both.parse()
    # then the collar away from the lock is upper clothes (it does not hang: it is a flat band) ...
    assert both.share(labels, "collar", [C.UPPER_CLOTHES]) >= 0.9
    # ... and the lock, which hangs from the hair on her head, stays hair
    assert both.share(labels, "lock_below_head", [C.HAIR]) >= 0.8


def _hair_pass_with_head(labels: np.ndarray, keypoints: np.ndarray, head: np.ndarray | None) -> np.ndarray:
    person = labels > 0
    frame = _frame(person, keypoints, TUNING, None, head)
    out = labels.copy()
    _hair_that_does_not_hang(out, frame, TUNING)
    return out


def test_with_the_head_cut_off_above_the_nose_a_hair_band_below_the_chin_is_the_top_and_a_lock_stays_hair():
    # given labels of a photo cut off above the nose (no nose, eyes or ears: the pose puts the head
    # 26 px above the photo): her face down to its chin at row 11, a band labelled hair across her
    # shoulders below it (a sweatshirt's upper band the colour of her hair), joined to a lock of hair
    # that runs down from the photo's top edge less far than hair below the chin must hang, and a
    # short piece of hair beside her jaw, above the chin (an earring's shadow)
    cut = 66
    labels = np.zeros((HEIGHT - cut, WIDTH), np.uint8)
    labels[:, CX - 40 : CX + 41] = C.UPPER_CLOTHES
    labels[:12, CX - 17 : CX + 18] = C.FACE
    labels[30:40, CX - 4 : CX + 5] = C.FACE  # a skin-coloured speck of a print, apart from the face
    band = np.zeros(labels.shape, bool)
    band[12:20, CX - 33 : CX + 34] = True
    band[:, CX - 7 : CX + 8] = False
    lock = np.zeros(labels.shape, bool)
    lock[:30, CX + 20 : CX + 29] = True
    jaw = np.zeros(labels.shape, bool)
    jaw[7:11, CX - 16 : CX - 12] = True
    labels[band | lock | jaw] = C.HAIR
    keypoints = np.full((NUM_KEYPOINTS, 2), -1.0, np.float32)
    for name, (x, y) in JOINTS.items():
        if y - cut >= 0:
            keypoints[KP[name]] = (x, y - cut)
    head = np.array([CX, JOINTS["nose"][1] - cut], np.float32)
    away_from_lock = band.copy()
    away_from_lock[:, CX + 12 : CX + 38] = False
    # when hair that does not hang is looked for with the head above the photo, and without it
    labels_head = _hair_pass_with_head(labels, keypoints, head)
    labels_none = _hair_pass_with_head(labels, keypoints, None)
    # then the band away from the lock is upper clothes, as it is when her nose is seen ...
    assert (labels_head[away_from_lock] == C.UPPER_CLOTHES).all()
    # ... the lock, which may hang from the head the photo cuts off, stays hair, and so does the
    # piece beside her jaw, above the lowest row of her face (not of the speck below it) ...
    assert (labels_head[lock] == C.HAIR).all()
    assert (labels_head[jaw] == C.HAIR).all()
    assert not ((labels_head != labels) & ~band).any()
    # ... and with no head at all nothing says where her chin is: nothing changes
    assert (labels_none == labels).all()


LEG_JOINTS = {
    name: np.array(JOINTS[name], np.float32)
    for name in ("right_hip", "left_hip", "right_knee", "left_knee", "right_ankle", "left_ankle")
}
LEG_BODY = 60.0  # px: the figure's shoulder width
FOLDS_BELOW_HIPS = 30  # px: a flared skirt's folds open out below the hips


def _legs_mask(kind: str) -> np.ndarray:
    """Below the hips: two trouser legs round the legs' lines, or a flared dress's shaded folds,
    stripes 4 px wide 14 px apart across both legs and out to its wide hem, from a little below the
    hips."""
    mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    if kind == "trousers":
        for side in ("right", "left"):
            cv2.line(mask, _point(f"{side}_hip"), _point(f"{side}_knee"), 1, 26)
            cv2.line(mask, _point(f"{side}_knee"), _point(f"{side}_ankle"), 1, 20)
    else:
        for x in range(CX - 90, CX + 90, 14):
            mask[JOINTS["right_hip"][1] + FOLDS_BELOW_HIPS : JOINTS["right_ankle"][1] + 5, x : x + 4] = 1
    return mask > 0


def test_trouser_legs_leave_a_gap_between_the_legs_and_a_dresss_shaded_folds_do_not():
    # given the mask of two trouser legs, and that of a flared dress's shaded folds (stripes with lit
    # fabric between them, which leave gaps in every row as trousers do)
    trousers, folds = _legs_mask("trousers"), _legs_mask("folds")
    # when the rows across the thighs and shins vote
    trouser_votes = _leg_votes(trousers, LEG_JOINTS, LEG_BODY, TUNING)
    fold_votes = _leg_votes(folds, LEG_JOINTS, LEG_BODY, TUNING)
    # then every probed row of the trousers votes for a gap between the legs ...
    assert trouser_votes == (2 * TUNING.probe_rows, 0)
    # ... and no row of the folds does: they cover neither leg round its line
    assert fold_votes == (0, 0)


def test_a_dresss_shaded_folds_are_not_called_trousers():
    # given the folds' mask taken for a bottom garment below the hips, not reaching the waist
    folds = _legs_mask("folds")
    garment = folds | (np.arange(HEIGHT)[:, None] < JOINTS["right_hip"][1])
    # when it is named
    kind = _bottom_kind(folds, garment, LEG_JOINTS, LEG_BODY, JOINTS["right_hip"][1], TUNING)
    # then it is no bottom garment (a band of the dress), not trousers
    assert kind is None
