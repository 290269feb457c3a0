"""warp-44: where a product model's sleeve lies over her torso (an arm held against her side), the
garment's body under it is painted in for the torso, so the torso has no gap where the sleeve was
once the sleeve follows the shopper's arm (a kurta came out in strips)."""

from __future__ import annotations

import numpy as np

from ml.render.warp import _premultiplied
from ml.render.warp.geometry import Group, segment_distance
from ml.render.warp.sources import OnModelSource
from ml.types import GarmentKind
from ml.types import ParsingClass as C
from tests.support.people import make_person

BODY = (40, 60, 200)
SLEEVE = (200, 40, 40)  # the sleeve printed apart from the body, to tell them apart
# the model's right arm held against her side: the upper arm runs down inside the torso's outline
ARM_AGAINST_SIDE = {"right_elbow": (82.0, 115.0), "right_wrist": (84.0, 150.0)}


def _model_with_an_arm_against_her_side():
    analysis = make_person(upper=BODY, sleeves=True, pose=ARM_AGAINST_SIDE)
    ys, xs = np.mgrid[0 : analysis.parsing.shape[0], 0 : analysis.parsing.shape[1]].astype(np.float64)
    near = np.minimum(
        segment_distance(xs, ys, np.array([75.0, 72.0]), np.array(ARM_AGAINST_SIDE["right_elbow"])),
        segment_distance(
            xs, ys, np.array(ARM_AGAINST_SIDE["right_elbow"]), np.array(ARM_AGAINST_SIDE["right_wrist"])
        ),
    )
    sleeve = (near <= 7.0) & (analysis.parsing == C.UPPER_CLOTHES)
    analysis.image[sleeve] = SLEEVE
    return analysis, sleeve


def test_the_body_under_a_sleeve_held_against_her_side_is_painted_in_for_the_torso():
    # given an on-model top whose model holds her right arm, in its sleeve, against her side
    analysis, sleeve = _model_with_an_arm_against_her_side()
    layer = OnModelSource(analysis, GarmentKind.TOP).layer
    over_body = sleeve & (layer.groups == Group.RIGHT_ARM)
    over_body[:, :78] = False  # inside the torso's outline (x 70..130), clear of its edge
    over_body[:80] = False  # below the shoulder
    assert over_body.sum() > 100
    # when the torso is cut for warping
    torso, (x0, y0, x1, y1) = _premultiplied(layer, Group.TORSO)
    alpha = np.zeros(layer.alpha.shape, np.float32)
    colour = np.zeros((*layer.alpha.shape, 3), np.float32)
    alpha[y0:y1, x0:x1] = torso[..., 3] / 255.0
    colour[y0:y1, x0:x1] = torso[..., :3] / np.maximum(torso[..., 3:4] / 255.0, 1e-6)
    # then the torso covers the pixels under the sleeve, opaque, in the body's colour (it left a gap
    # there: the sleeve's pixels went only with the arm)
    assert float(np.percentile(alpha[over_body], 5)) >= 0.95
    # (painted from what the torso shows around it: mostly the body, near the sleeve's top also the
    # part of the sleeve the torso keeps)
    body_like = np.abs(colour[over_body] - np.array(BODY)).max(axis=1) <= 30
    assert body_like.mean() >= 0.7
    assert np.abs(np.median(colour[over_body], axis=0) - np.array(BODY)).max() <= 30
    # and the sleeve itself still goes with the arm, in its own colour
    arm, (ax0, ay0, ax1, ay1) = _premultiplied(layer, Group.RIGHT_ARM)
    arm_alpha = np.zeros(layer.alpha.shape, np.float32)
    arm_alpha[ay0:ay1, ax0:ax1] = arm[..., 3] / 255.0
    assert float(np.percentile(arm_alpha[over_body], 5)) >= 0.95
    assert np.abs(layer.image[over_body].astype(int) - np.array(SLEEVE)).max() <= 2


def test_arms_hanging_beside_the_body_get_only_the_body_under_their_inner_side():
    # given an on-model top whose model's sleeves hang beside her
    analysis = make_person(upper=BODY, sleeves=True)
    # when it is cut
    layer = OnModelSource(analysis, GarmentKind.TOP).layer
    # then the torso is painted only under the upper sleeves' inner side, within the torso's outline
    # (shoulder joints x 75..125), never along the forearms (elbows at y 115)
    ys, xs = np.nonzero(layer.torso_under)
    assert len(ys) > 0
    assert int(xs.min()) >= 75 and int(xs.max()) <= 125
    assert int(ys.max()) <= 120
