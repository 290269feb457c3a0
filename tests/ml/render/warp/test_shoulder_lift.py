"""A top's shoulders lie on hers: where its top edge at her shoulder joint is below the top of her
shoulder, the warped garment (body and sleeves together) is lifted onto it (reviewers' "old top's
shoulders left above the tee", "bare shoulder gaps")."""

import dataclasses

import numpy as np
import pytest

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.render.warp import mesh
from ml.render.warp.body import body_skeleton
from ml.render.warp.mesh import lift_onto_shoulders
from ml.render.warp.sources import Group
from ml.types import KP, GarmentKind, GarmentSource, RenderMode, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import make_person


def _top_edge(alpha: np.ndarray, column: int) -> int:
    return int(np.flatnonzero(alpha[:, column] > 0.5).min())


def _her_shoulder_top(shopper, column: int) -> int:
    hers = (shopper.person_mask[:, column] > 127) & ~np.isin(
        shopper.parsing[:, column], (C.BACKGROUND, C.HAIR, C.FACE)
    )
    return int(np.flatnonzero(hers).min())


def _slab(top: int) -> list:
    """One opaque layer over the whole 300x200 photo from row ``top`` down (box x 20..180)."""
    rgba = np.zeros((300 - top, 160, 4), np.float32)
    rgba[...] = (100.0, 100.0, 100.0, 255.0)
    return [(rgba, (20, top, 180, 300), Group.TORSO, GarmentKind.TOP)]


def test_a_garment_below_her_shoulders_is_lifted_onto_them_at_the_joints_and_not_at_her_neck():
    # given a figure (shoulder joints at row 72, the tops of her shoulders at row 65) and a garment
    # layer whose top edge is row 72
    shopper = make_person(upper=(40, 60, 200))
    dst = body_skeleton(shopper)
    # when it is lifted onto her shoulders
    [(moved, (x0, y0, x1, y1), group, kind)] = lift_onto_shoulders(_slab(72), shopper, dst)
    alpha = np.zeros((300, 200), np.float32)
    alpha[y0:y1, x0:x1] = moved[..., 3] / 255.0
    # then at each joint's column its top edge is the top of her shoulder, at her neck (the middle)
    # it stays where it was, and the layer keeps its group and kind
    for side in ("right", "left"):
        column = int(shopper.keypoints[KP[f"{side}_shoulder"]][0])
        assert abs(_top_edge(alpha, column) - _her_shoulder_top(shopper, column)) <= 1, side
    assert _top_edge(alpha, 100) == 72
    assert (group, kind) == (Group.TORSO, GarmentKind.TOP)


def test_a_garment_already_over_her_shoulders_is_not_moved():
    # given a garment layer reaching above the tops of her shoulders
    shopper = make_person(upper=(40, 60, 200))
    layers = _slab(50)
    # when it is lifted onto her shoulders
    out = lift_onto_shoulders(layers, shopper, body_skeleton(shopper))
    # then it is the very same layer
    assert out is layers


def test_the_lift_is_at_most_max_lift(monkeypatch):
    # given a garment layer whose top edge (row 72) is 7 px below her shoulders' tops, and a lift
    # limited to 0.08 of her 50-px shoulder span (4 px)
    monkeypatch.setattr(mesh, "TUNING", dataclasses.replace(mesh.TUNING, max_lift=0.08))
    shopper = make_person(upper=(40, 60, 200))
    # when it is lifted
    [(moved, (x0, y0, x1, y1), *_)] = lift_onto_shoulders(_slab(72), shopper, body_skeleton(shopper))
    alpha = np.zeros((300, 200), np.float32)
    alpha[y0:y1, x0:x1] = moved[..., 3] / 255.0
    # then it rises by those 4 px at the joint, not the 7 to her shoulder's top
    column = int(shopper.keypoints[KP["right_shoulder"]][0])
    assert _top_edge(alpha, column) == 68


def test_no_lift_where_the_garment_does_not_reach_her_joint():
    # given a garment layer starting below her shoulder joints (a strap top's body, a low back)
    shopper = make_person(upper=(40, 60, 200))
    layers = _slab(110)
    # when it is lifted onto her shoulders
    out = lift_onto_shoulders(layers, shopper, body_skeleton(shopper))
    # then it is the very same layer
    assert out is layers


def _cover_above_joint(result, shopper, side: str) -> float:
    joint = shopper.keypoints[KP[f"{side}_shoulder"]]
    span = float(
        np.linalg.norm(shopper.keypoints[KP["left_shoulder"]] - shopper.keypoints[KP["right_shoulder"]])
    )
    ys, xs = np.mgrid[0 : shopper.height, 0 : shopper.width].astype(np.float64)
    near = (np.hypot(xs - joint[0], ys - joint[1]) <= 0.2 * span) & (ys <= joint[1])
    person = near & (shopper.person_mask > 127)
    return float((result.garment_alpha[person] > 0.5).mean())


def test_a_tee_covers_the_tops_of_her_shoulders():
    # given a figure standing with her arms hanging and a drawn t-shirt, whose shoulder seams the fit
    # puts just above her shoulder joints, below the top of her shoulders
    shopper = make_person(upper=(40, 60, 200))
    packshot = draw_packshot(kind=GarmentKind.TOP, colour=(220, 30, 40), style="tshirt")
    # when the tee is rendered on her
    result = get_renderer("warp").render(
        RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=packshot),))
    )
    # then it covers most of her shoulder above each joint (warp-56: 0.60 of it)
    covers = {side: round(_cover_above_joint(result, shopper, side), 2) for side in ("right", "left")}
    assert min(covers.values()) >= 0.8, covers


@pytest.mark.slow
def test_a_dress_cut_from_an_on_model_photo_is_laid_onto_her_shoulders_too(people_dir):
    # given a shopper whose left shoulder rises above where an on-model dress's cut lands (tune photos)
    from ml.analysis import get_analyzer
    from ml.intake import load_image

    analyzer = get_analyzer()
    shopper = analyzer.predict(load_image(people_dir / "onmodel_16.jpg"))
    product = analyzer.predict(load_image(people_dir / "onmodel_19.jpg"))
    # when the dress is rendered on her
    result = get_renderer("warp").render(
        RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.DRESS, analysis=product),))
    )
    # then it covers her left shoulder above the joint (without the lift 0.41 of it)
    assert _cover_above_joint(result, shopper, "left") >= 0.9


def test_pose_mode_draws_the_product_model_as_she_is(monkeypatch):
    # given the product model drawn in the shopper's pose (pose mode), and a lift that records its calls
    calls = []
    monkeypatch.setattr(mesh, "lift_onto_shoulders", lambda layers, *args: calls.append(layers) or layers)
    shopper = make_person(upper=(40, 60, 200))
    product = make_person(upper=(220, 30, 40))
    # when the product's model is rendered in her pose, and the top on her
    request = GarmentSource(kind=GarmentKind.TOP, analysis=product)
    get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(request,), mode=RenderMode.POSE))
    in_pose_mode = len(calls)
    get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(request,)))
    # then the lift is not asked for in pose mode, and is for the try-on
    assert (in_pose_mode, len(calls)) == (0, 1)


def test_outside_the_joint_each_column_is_lifted_by_its_own_gap():
    # given her right shoulder joint at (60, 80): her torso's top at row 60 from column 50 in, her
    # rounded shoulder's top at row 70 from column 30 to 49, and a garment from row 75 down
    hers = np.zeros((200, 200), bool)
    hers[60:, 50:150] = True
    hers[70:, 30:50] = True
    garment = np.zeros((200, 200), np.float32)
    garment[75:, 20:160] = 1.0
    body = mesh.BodyFrame(
        right_shoulder=np.array([60.0, 80.0]),
        left_shoulder=np.array([160.0, 80.0]),
        down=np.array([0.0, 1.0]),
        across=np.array([-1.0, 0.0]),
        span=100.0,
        torso=120.0,
        body=hers,
    )
    # when the lift out from the joint is measured
    offsets, amounts = mesh._lift_profile(hers, garment, body.right_shoulder, body.across, body)
    # then the columns under her torso's top (10 px out or less) are lifted by 15 px, the rounded
    # shoulder's by 5 px, out to her outline (30 px out) and no farther
    assert offsets.tolist() == list(range(0, 31, 2))
    assert amounts.tolist() == [15.0] * 6 + [5.0] * 10
