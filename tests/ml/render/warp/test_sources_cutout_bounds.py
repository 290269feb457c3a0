"""warp-28: what an on-model garment's cut-out fills in stays where the garment was: not an arm
hanging beside it, not hair above the shoulders; and its body goes on under its own sleeves."""

from __future__ import annotations

import numpy as np

from ml.render.warp import _premultiplied
from ml.render.warp.geometry import Frame, Group, Skeleton
from ml.render.warp.sources import TUNING, Layer, _body_under_sleeves, _fill_occlusions, _garment_under_hair
from ml.types import GarmentKind

HEIGHT, WIDTH = 300, 200
GREEN = (40, 160, 60)
RED = (220, 30, 40)
SKIN = (205, 165, 135)


def _skeleton() -> Skeleton:
    frame = Frame(origin=np.array([100.0, 80.0]), down=np.array([0.0, 90.0]), half_width=30.0)
    polygon = np.array([[75, 80], [125, 80], [125, 170], [75, 170]], np.float32)
    return Skeleton(frame=frame, bones={}, torso_polygon=polygon)


def test_an_arm_hanging_beside_the_garment_between_its_sleeve_and_its_flare_is_not_filled():
    # given a dress: a body, a sleeve above the arm and a skirt flaring out below the hand; the arm
    # hangs in the gap between them, beside the body, with background on its outer side
    garment = np.zeros((HEIGHT, WIDTH), bool)
    garment[60:250, 80:120] = True
    garment[60:110, 50:80] = True
    garment[150:250, 40:120] = True
    arm = np.zeros((HEIGHT, WIDTH), bool)
    arm[110:150, 55:75] = True
    image = np.full((HEIGHT, WIDTH, 3), 230, np.uint8)
    image[garment] = GREEN
    image[arm] = SKIN
    # when the holes the model's arms and hair leave in the dress are filled
    _out, holes = _fill_occlusions(image, garment, arm, arm, span=80.0)
    # then the arm is not taken for dress (the dress shows on one side of it only)
    assert float(holes[115:145, 58:72].max()) == 0.0


def test_a_forearm_across_the_garment_with_garment_on_both_sides_is_filled():
    # given a dress with a forearm lying across its body, the dress on both sides of it
    garment = np.zeros((HEIGHT, WIDTH), bool)
    garment[60:250, 60:140] = True
    arm = np.zeros((HEIGHT, WIDTH), bool)
    arm[140:150, 70:130] = True
    garment &= ~arm
    image = np.full((HEIGHT, WIDTH, 3), 230, np.uint8)
    image[garment] = GREEN
    image[arm] = SKIN
    # when the holes are filled
    out, holes = _fill_occlusions(image, garment, arm, arm, span=80.0)
    # then the forearm's place is dress, in the dress's colour
    assert float(holes[142:148, 75:125].min()) == 1.0
    assert np.abs(out[142:148, 75:125].astype(int) - GREEN).max() <= 12


def test_hair_above_the_shoulder_line_is_not_filled_from_the_garments_other_side():
    # given a model leaning so that her top's left half (image left) reaches higher than its right,
    # and a lock of hair over her right side from above her shoulder line down her chest
    garment = np.zeros((HEIGHT, WIDTH), bool)
    garment[40:170, 70:100] = True
    garment[80:170, 100:130] = True
    hair = np.zeros((HEIGHT, WIDTH), bool)
    hair[40:130, 105:125] = True
    garment &= ~hair
    image = np.full((HEIGHT, WIDTH, 3), 230, np.uint8)
    image[garment] = GREEN
    image[hair] = (60, 40, 30)
    skeleton = _skeleton()
    span = 50.0
    # when the garment under her hair is drawn from its mirror image
    _out, under = _garment_under_hair(image, garment, hair, skeleton)
    # then it is drawn below the shoulder line (and a collar's height above it) ...
    assert under[90:130, 106:124].all()
    # ... and not higher, where the mirror of her raised other side reached up beside her neck
    top = round(80 - TUNING.mirror_rise * span)
    assert not under[:top].any()
    assert under[top + 1 : 80, 106:124].all()


def _garment_with_sleeves_over_its_body() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A green top whose red sleeves hang over its body's sides (inside the torso frame, x 70..130)
    and stand off past it (x 55..70 and 130..145)."""
    alpha = np.zeros((HEIGHT, WIDTH), np.float32)
    alpha[80:200, 55:145] = 1.0
    groups = np.full((HEIGHT, WIDTH), Group.TORSO, np.uint8)
    groups[80:160, 55:82] = Group.RIGHT_ARM
    groups[80:160, 118:145] = Group.LEFT_ARM
    image = np.full((HEIGHT, WIDTH, 3), 230, np.uint8)
    image[alpha > 0] = GREEN
    image[np.isin(groups, (Group.RIGHT_ARM, Group.LEFT_ARM)) & (alpha > 0)] = RED
    return image, alpha, groups


def test_the_garments_body_goes_on_under_its_sleeves_inside_the_body_outline():
    # given a top whose sleeves cover its body's sides
    image, alpha, groups = _garment_with_sleeves_over_its_body()
    # when its body is continued under the sleeves
    found = _body_under_sleeves(image, alpha, groups, _skeleton())
    # then inside the body's outline the sleeves' place is the body's green, opaque
    assert found is not None
    under_image, under_alpha = found
    assert float(under_alpha[90:150, 72:80].min()) > 0.95
    assert float(under_alpha[90:150, 120:128].min()) > 0.95
    assert np.abs(under_image[90:150, 72:80].astype(int) - GREEN).max() <= 12
    # and outside the outline the sleeves are not continued
    assert float(under_alpha[90:150, 55:66].max()) == 0.0
    assert float(under_alpha[90:150, 134:145].max()) == 0.0
    # and the sleeves themselves keep their colour in the layer's own image
    assert tuple(image[100, 76]) == RED


def test_only_the_torso_group_is_cut_with_the_body_under_the_sleeves():
    # given the top's layer with its body continued under its sleeves
    image, alpha, groups = _garment_with_sleeves_over_its_body()
    under = _body_under_sleeves(image, alpha, groups, _skeleton())
    layer = Layer(image=image, alpha=alpha, groups=groups, kind=GarmentKind.TOP, under_sleeves=under)
    plain = Layer(image=image, alpha=alpha, groups=groups, kind=GarmentKind.TOP)
    # when the torso and a sleeve are cut out for their warps
    torso, (x0, y0, _x1, _y1) = _premultiplied(layer, Group.TORSO)
    sleeve = _premultiplied(layer, Group.RIGHT_ARM)
    # then the torso is opaque green under the sleeve ...
    px = torso[100 - y0, 76 - x0]
    assert px[3] == 255
    assert np.abs(px[:3].astype(int) - GREEN).max() <= 12
    # ... while the sleeve's cut is the same as without the body under it
    assert np.array_equal(sleeve[0], _premultiplied(plain, Group.RIGHT_ARM)[0])


def test_a_garment_whose_sleeves_lie_off_its_body_has_nothing_under_them():
    # given a top whose sleeves stand wholly off its body's outline
    image, alpha, groups = _garment_with_sleeves_over_its_body()
    groups[:] = Group.TORSO
    groups[80:160, 55:68] = Group.RIGHT_ARM
    groups[80:160, 132:145] = Group.LEFT_ARM
    # when its body is continued under the sleeves
    found = _body_under_sleeves(image, alpha, groups, _skeleton())
    # then there is nothing to continue
    assert found is None
