"""A sleeve the product model holds up is drawn from the mirror image of her other, hanging sleeve when
the shopper's arm hangs (warp-73): laid along a hanging arm, the raised sleeve came out as a thin,
torn tube ("floating sleeve fragments")."""

from __future__ import annotations

import numpy as np
import pytest

from ml.render import get_renderer
from ml.render.warp.body import body_skeleton
from ml.render.warp.geometry import Group, segment_distance
from ml.render.warp.sources import OnModelSource
from ml.types import KP, GarmentKind, GarmentSource, RenderRequest
from tests.support.people import make_person

RED = (220, 30, 40)
BLUE = (40, 60, 200)
RAISED = ("onmodel_03", "onmodel_13")  # tune product photos: an arm raised to her head, a hand at it
HANGING = ("onmodel_08", "onmodel_20")  # arms hanging or a hand on her hip
RIGHT_ARM_RAISED = {"right_elbow": (40, 80), "right_wrist": (20, 45)}  # the upper arm out and up


def _sleeve_cover(result, shopper, first: str, second: str) -> float:
    """The share of the shopper's arm (a band about her bone) the new garment covers."""
    height, width = shopper.parsing.shape
    ys, xs = np.mgrid[:height, :width].astype(np.float64)
    band = segment_distance(xs, ys, shopper.keypoints[KP[first]], shopper.keypoints[KP[second]]) < 4
    return float((result.garment_alpha[band] > 0.5).mean())


def test_a_raised_sleeve_is_mirrored_from_the_hanging_one():
    # given a product model in a long-sleeved red top, her right arm raised, her left hanging
    product = make_person(upper=RED, sleeves=True, pose=RIGHT_ARM_RAISED)
    # when the top is cut out
    source = OnModelSource(product, GarmentKind.TOP)
    # then the right sleeve has a mirror image beside the photo, hanging from mirrored bones
    assert source.mirror is not None
    assert list(source.mirror.bones) == [Group.RIGHT_ARM]
    beside = source.layer.groups[:, source.mirror.width :] == Group.RIGHT_ARM
    opaque = source.layer.alpha[:, source.mirror.width :] >= 0.5
    assert int((beside & opaque).sum()) > 300
    upper = source.mirror.bones[Group.RIGHT_ARM]["right_upper_arm"]
    assert min(upper[0][0], upper[1][0]) >= source.mirror.width


def test_on_a_hanging_arm_the_raised_sleeve_is_drawn_from_its_mirror_image():
    # given the product model with her right arm raised, and a shopper in a blue top, arms hanging
    product = make_person(upper=RED, sleeves=True, pose=RIGHT_ARM_RAISED)
    shopper = make_person(upper=BLUE)
    source = OnModelSource(product, GarmentKind.TOP)
    # when its pieces are laid on her
    pieces = [piece for piece in source.pieces(body_skeleton(shopper)) if piece.group == Group.RIGHT_ARM]
    # then the right sleeve's pieces carry only the mirror image (beside the photo), not the raised
    # sleeve, and the garment's body leaves out the raised sleeve's root
    assert len(pieces) == 2
    # (the upper arm's piece sewn at the armhole, beside the photo as the sleeve is)
    seam = pieces[0].part.seam
    assert seam is not None and min(seam.line[:, 0]) >= source.mirror.width
    assert pieces[1].part.seam is None
    for piece in pieces:
        assert float(piece.weight[:, : source.mirror.width].max()) == 0.0
        assert float(piece.weight[:, source.mirror.width :].max()) > 0.99
    body = next(piece for piece in source.pieces(body_skeleton(shopper)) if piece.group == Group.TORSO)
    assert body.weight is not None and float(body.weight.min()) == 0.0
    # and rendered, her right upper arm is in the sleeve
    garment = GarmentSource(kind=GarmentKind.TOP, analysis=product)
    result = get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(garment,)))
    assert round(_sleeve_cover(result, shopper, "right_shoulder", "right_elbow"), 2) == 1.0


@pytest.mark.slow
def test_the_raised_sleeves_of_real_product_photos_are_mirrored_and_hanging_ones_are_not(analyses):
    # given tune product photos: a model with her right arm raised to her head in a bell-sleeved
    # dress, one with a hand at her head, and models whose arms hang or rest on a hip
    raised = {name: OnModelSource(analyses[name], GarmentKind.DRESS) for name in ("onmodel_03", "onmodel_13")}
    hanging = {
        name: OnModelSource(analyses[name], GarmentKind.DRESS) for name in ("onmodel_08", "onmodel_20")
    }
    # then the raised sleeves have mirror images, the others none
    assert {name: list(source.mirror.bones) for name, source in raised.items()} == {
        "onmodel_03": [Group.RIGHT_ARM],
        "onmodel_13": [Group.RIGHT_ARM],
    }
    assert {name: source.mirror for name, source in hanging.items()} == {
        "onmodel_08": None,
        "onmodel_20": None,
    }


def test_a_shopper_with_the_same_arm_raised_keeps_the_photographed_sleeve():
    # given the product model with her right arm raised, and a shopper who raises hers alike
    product = make_person(upper=RED, sleeves=True, pose=RIGHT_ARM_RAISED)
    shopper = make_person(upper=BLUE, pose=RIGHT_ARM_RAISED)
    source = OnModelSource(product, GarmentKind.TOP)
    # when the sleeves are chosen for her, then the raised sleeve is drawn as photographed
    assert source._mirrored_sleeves(body_skeleton(shopper)) == {}
    assert set(source._mirrored_sleeves(body_skeleton(make_person(upper=BLUE)))) == {Group.RIGHT_ARM}


def test_a_sleeveless_top_with_a_raised_arm_has_nothing_to_mirror():
    # given a product model in a sleeveless top with her right arm raised
    product = make_person(upper=RED, sleeves=False, pose=RIGHT_ARM_RAISED)
    # when the top is cut out, then no sleeve is mirrored and the layer is the photo's size
    source = OnModelSource(product, GarmentKind.TOP)
    assert source.mirror is None
    assert source.layer.alpha.shape == product.parsing.shape


def test_the_body_leaves_out_the_raised_sleeves_root_only_where_the_mirror_is_drawn():
    # given the product model with her right arm raised, cut out
    product = make_person(upper=RED, sleeves=True, pose=RIGHT_ARM_RAISED)
    source = OnModelSource(product, GarmentKind.TOP)
    keeps = source.mirror.body_keeps[Group.RIGHT_ARM]
    # then the garment's body keeps all of the torso and drops what lies along the raised arm, off it
    assert float(keeps[80:150, 85:115].min()) == 1.0
    assert float(keeps[50:70, 25:40].max()) == 0.0
