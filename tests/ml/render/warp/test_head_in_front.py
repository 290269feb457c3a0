"""warp-64: with packshots only her head stays in front of the garment, not the bare tops of her
shoulders that the parser labels face beside a tank's straps: pasted in front, they cut notches
into a tee laid onto her shoulders ("white notches cut into both shoulders"). warp-100: also in a
photo cut off at her face, where the pose has no nose. warp-101: with garments cut from on-model
photos her shoulders go behind as well (pasted in front they were holes in the garment's
shoulders, "bare shoulder hole"), while her neck and the middle of her chest stay in front."""

from __future__ import annotations

import numpy as np
import pytest

from ml.intake import load_image
from ml.render import get_renderer
from ml.render.warp import WarpRenderer
from ml.render.warp.body import body_skeleton
from ml.types import KP, GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import make_person

SHOULDER_TOPS = (slice(58, 66), slice(68, 80))  # 6-14 px above her shoulder line, 20-32 px off her axis
CHIN = (slice(52, 58), slice(94, 106))  # her face above her chin, on her axis
NECK_BASE = (slice(74, 82), slice(95, 106))  # just below her shoulder line, on her axis


def _shopper_with_bare_shoulder_tops():
    shopper = make_person(upper=(235, 235, 235))
    for skin in (SHOULDER_TOPS, NECK_BASE):
        shopper.parsing[skin] = C.FACE
        shopper.image[skin] = (210, 170, 140)
        shopper.person_mask[skin] = 255
    return shopper


def test_with_packshots_her_bare_shoulder_tops_go_behind_and_her_head_stays_in_front():
    # given a shopper whose bare shoulder tops, above her shoulder line, are labelled face
    shopper = _shopper_with_bare_shoulder_tops()
    dst = body_skeleton(shopper)
    # when the parts in front of a packshot garment are found
    front = WarpRenderer._front_parts(shopper, dst, head_only=True) > 0.5
    # then her face at her chin is in front, the tops of her shoulders and the base of her neck
    # are not
    assert front[CHIN].all()
    assert not front[SHOULDER_TOPS].any()
    assert not front[NECK_BASE].any()


def test_with_on_model_garments_her_neck_stays_in_front_and_her_shoulder_tops_go_behind():
    # given the same shopper
    shopper = _shopper_with_bare_shoulder_tops()
    # when the parts in front of a garment cut from an on-model photo are found (its cut carries
    # its model's skin and hair round the neck, so her neck stays in front of it)
    front = WarpRenderer._front_parts(shopper, body_skeleton(shopper), head_only=False) > 0.5
    # then her chin and the base of her neck are in front, the tops of her shoulders are not
    assert front[CHIN].all()
    assert front[NECK_BASE].all()
    assert not front[SHOULDER_TOPS].any()


def test_her_arm_labelled_shoulders_go_behind_the_garment_and_her_forearms_stay_in_front():
    # given a shopper whose bare shoulders around her shoulder joints the parser labels arms
    shopper = make_person(upper=(235, 235, 235))
    shoulders = np.zeros(shopper.parsing.shape, bool)
    shoulders[66:78, 70:82] = True
    shoulders[66:78, 118:130] = True
    shopper.parsing[shoulders] = C.ARMS
    dst = body_skeleton(shopper)
    # when her arms to draw in front of the new garment, and her shoulders to draw behind it, are
    # taken
    arms, behind = WarpRenderer._shopper_arms(shopper, dst)
    # then her shoulders are not among the arms in front but go behind, her forearms are in front
    # and not behind
    assert float(arms[shoulders].max()) == 0.0
    assert float((behind[shoulders] > 0).mean()) > 0.95
    forearm = shopper.parsing == C.ARMS
    forearm[:120] = False
    assert float((arms[forearm] > 0).mean()) > 0.95
    assert float(behind[forearm].max()) == 0.0


@pytest.mark.slow
def test_an_on_model_dress_covers_her_bare_shoulder(people_dir):
    # given a shopper in a sleeveless crop top (her bare right shoulder parsed as face and arms) and
    # a long-sleeved dress cut from an on-model photo
    from ml.analysis import get_analyzer
    from ml.evaluate import infer_kind

    analyzer = get_analyzer()
    shopper = analyzer.predict(load_image(people_dir.parent / "vton" / "models" / "model_4.png"))
    product = analyzer.predict(load_image(people_dir / "onmodel_14.jpg"))
    garment = GarmentSource(kind=infer_kind(product), analysis=product)
    # when the dress is rendered on her
    result = get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(garment,)))
    # then the dress covers most of her skin around her right shoulder joint (within 0.35 shoulder
    # spans, above a tenth of a span below it): 0.002 of it when that skin was pasted in front, a
    # hole in the dress's shoulder; 0.841 now
    joint = shopper.keypoints[KP["right_shoulder"]]
    span = float(np.linalg.norm(joint - shopper.keypoints[KP["left_shoulder"]]))
    ys, xs = np.mgrid[0 : shopper.height, 0 : shopper.width]
    near = (np.hypot(xs - joint[0], ys - joint[1]) <= 0.35 * span) & (ys < joint[1] + 0.1 * span)
    skin = near & np.isin(shopper.parsing, (C.FACE, C.ARMS))
    assert skin.sum() > 1000
    assert float((result.garment_alpha[skin] > 0.5).mean()) >= 0.6


@pytest.mark.slow
def test_a_tee_covers_the_bare_shoulder_tops_beside_a_tanks_straps(people_dir):
    # given a shopper in a white tank (her bare shoulder tops parsed as face) and a black tee
    from ml.analysis import get_analyzer
    from ml.garments import prepare_packshot

    vton = people_dir.parent / "vton"
    shopper = get_analyzer().predict(load_image(vton / "models" / "model_3.png"))
    tee = prepare_packshot(load_image(vton / "garments" / "03244_00.jpg"), GarmentKind.TOP)
    # when the tee is rendered on her
    garment = GarmentSource(kind=GarmentKind.TOP, packshot=tee)
    result = get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(garment,)))
    # then the tee covers more of the face-labelled skin above her left shoulder joint (within 0.35
    # shoulder spans): 0.479 of it when that skin was pasted in front, a notch in the tee
    joint = shopper.keypoints[KP["left_shoulder"]]
    span = float(np.linalg.norm(joint - shopper.keypoints[KP["right_shoulder"]]))
    ys, xs = np.mgrid[0 : shopper.height, 0 : shopper.width]
    near = (np.hypot(xs - joint[0], ys - joint[1]) <= 0.35 * span) & (ys < joint[1])
    skin = near & (shopper.parsing == C.FACE)
    assert float((result.garment_alpha[skin] > 0.5).mean()) >= 0.55


def test_without_a_nose_in_the_photo_her_head_is_taken_straight_above_her_neck():
    # given the shopper with bare shoulder tops labelled face, in a photo cut off at her face, so
    # that the pose has no nose
    shopper = _shopper_with_bare_shoulder_tops()
    shopper.keypoints[KP["nose"]] = (-1.0, -1.0)
    dst = body_skeleton(shopper)
    assert "head" not in dst.bones
    # when the parts in front of a packshot garment are found
    front = WarpRenderer._front_parts(shopper, dst, head_only=True) > 0.5
    # then her face above her neck is still in front, and her shoulder tops are not (all her face
    # labels went in front when the pose had no head)
    assert front[CHIN].all()
    assert not front[SHOULDER_TOPS].any()
