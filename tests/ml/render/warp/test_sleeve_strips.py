"""warp-38: a packshot's sleeves laid along her arms as strips joined to the garment's body."""

import dataclasses

import numpy as np
import pytest

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.render.warp import mesh
from ml.render.warp.body import body_skeleton
from ml.render.warp.geometry import Group
from ml.render.warp.mesh import MeshPackshotSource, body_frame
from ml.render.warp.sleeves import sleeve_strip, triangle_map
from ml.types import GarmentKind, GarmentSource, RenderRequest
from tests.support.people import make_person

RED = (200, 30, 30)
RAISED = {"right_elbow": (35, 80), "left_elbow": (165, 80), "right_wrist": (5, 85), "left_wrist": (195, 85)}
PIECES = dataclasses.replace(mesh.TUNING, sleeve_strips=False)


def _tee(style: str = "tshirt"):
    return draw_packshot(kind=GarmentKind.TOP, colour=RED, style=style, seed=1, size=(384, 288))


def _fitted(shopper, packshot, tuning=mesh.TUNING) -> tuple[MeshPackshotSource, object]:
    dst = body_skeleton(shopper)
    source = MeshPackshotSource(packshot, tuning)
    source.fit_to(shopper, dst)
    return source, dst


def _layers(source, dst, shape) -> dict[Group, np.ndarray]:
    """Each group's garment alpha (0-255) laid on her, photo-sized."""
    out = {}
    for warped, (x0, y0, x1, y1), group, _kind in source.warped_layers(dst, shape):
        alpha = out.setdefault(group, np.zeros(shape, np.float32))
        np.maximum(alpha[y0:y1, x0:x1], warped[..., 3], out=alpha[y0:y1, x0:x1])
    return out


def test_the_piecewise_affine_map_of_an_affinely_moved_grid_is_that_affine_inside_and_none_outside():
    # given a grid on the shopper and the same grid moved by a known affine in the packshot
    ys, xs = np.meshgrid(np.linspace(10, 50, 5), np.linspace(20, 80, 7), indexing="ij")
    shopper = np.stack([xs, ys], axis=2)
    affine = np.array([[0.8, 0.3, 5.0], [-0.2, 1.1, -3.0]])
    garment = shopper @ affine[:, :2].T + affine[:, 2]
    # when the backward map is rasterised over a box around the grid
    map_x, map_y = triangle_map(shopper, garment, (0, 0, 100, 60))
    # then inside the grid it is the affine itself, and outside it there is no garment
    py, px = np.mgrid[0:60, 0:100]
    inside = (px >= 21) & (px <= 79) & (py >= 11) & (py <= 49)
    expected_x = affine[0, 0] * px + affine[0, 1] * py + affine[0, 2]
    expected_y = affine[1, 0] * px + affine[1, 1] * py + affine[1, 2]
    assert np.abs(map_x[inside] - expected_x[inside]).max() < 1e-3
    assert np.abs(map_y[inside] - expected_y[inside]).max() < 1e-3
    outside = (px < 19) | (px > 81) | (py < 9) | (py > 51)
    assert (map_x[outside] == -1).all() and (map_y[outside] == -1).all()


def test_the_body_ribbon_puts_packshot_points_where_its_own_map_takes_them_back_from():
    # given a tee's body ribbon fitted to a shopper
    shopper = make_person()
    source, dst = _fitted(shopper, _tee())
    ribbon = source._upper_map(body_frame(shopper, dst))
    # when points of the packshot (its shoulders, armpits and points inside) are put on her
    lm = source.lm
    points = np.array(
        [lm["shoulder_right"], lm["armpit_left"], lm["hem_right"], [150.0, 200.0], [200.0, 120.0]], np.float64
    )
    placed = ribbon.forward(points)
    # then the ribbon's own map takes them back to where they were, to a twentieth of a pixel
    back = np.stack(ribbon(placed[:, 0], placed[:, 1]), axis=1)
    assert np.abs(back - points).max() < 0.05


@pytest.mark.parametrize("pose", [None, RAISED], ids=["hanging", "raised"])
def test_a_sleeve_starts_where_the_body_ends_with_no_gap_between_them(pose):
    # given a tee on a shopper, her arms hanging or raised
    shopper = make_person(pose=pose)
    source, dst = _fitted(shopper, _tee())
    layers = _layers(source, dst, shopper.parsing.shape)
    # when the sleeve and the body are laid on her
    body = layers[Group.TORSO] > 127
    sleeve = layers[Group.RIGHT_ARM] > 127
    # then along the line the sleeve is split from the body at (the packshot's armhole, put on her by
    # the body's ribbon) every pixel is garment, and the sleeve reaches it
    lm = source.lm
    cap = lm["shoulder_right"] + np.array(
        [
            mesh.sources_module.TUNING.sleeve_cap_in
            * np.linalg.norm(lm["armpit_right"] - lm["shoulder_right"]),
            0,
        ]
    )
    ends = source.ribbon.forward(np.array([cap, lm["armpit_right"]]))
    line = [ends[0] + share * (ends[1] - ends[0]) for share in np.linspace(0.1, 0.9, 17)]
    xs, ys = (np.array([round(p[i]) for p in line]) for i in (0, 1))
    assert (body | sleeve)[ys, xs].all()
    near = np.zeros_like(sleeve)
    for x, y in zip(xs, ys, strict=True):
        near[y - 2 : y + 3, x - 2 : x + 3] = True
    assert (sleeve & near).sum() > 0.5 * len(line)


def test_a_raised_arms_sleeve_lies_along_her_arm():
    # given a shopper holding her arms out to the sides and a tee
    shopper = make_person(pose=RAISED)
    source, dst = _fitted(shopper, _tee())
    # when its right sleeve is laid on her
    sleeve = _layers(source, dst, shopper.parsing.shape)[Group.RIGHT_ARM] > 127
    # then it covers her upper arm's bone from the shoulder to a third of the way to the elbow, and
    # its outer (cap) side lies along the top of her arm: no sleeve pixel more than 0.15 shoulder
    # spans above the bone (the armhole's fabric runs from under the arm to her side, as worn)
    joint, elbow = dst.bones["right_upper_arm"]
    span = float(np.linalg.norm(dst.polygon()[1] - dst.polygon()[0]))
    bone = elbow - joint
    for share in np.linspace(0.05, 0.33, 8):
        x, y = np.round(joint + share * bone).astype(int)
        assert sleeve[y, x], share
    ys, xs = np.nonzero(sleeve)
    up = np.array([bone[1], -bone[0]]) / float(np.linalg.norm(bone))  # the arm's top side (y grows down)
    if up[1] > 0:
        up = -up
    above = (np.stack([xs, ys], 1) - joint) @ up
    assert above.max() < 0.15 * span


def test_a_long_sleeve_on_a_raised_arm_is_not_smeared_across_the_chest():
    # given a shopper holding her arms out and a long-sleeved top
    shopper = make_person(pose=RAISED)
    top = _tee("longsleeve")
    # when its right sleeve is laid on her
    source, dst = _fitted(shopper, top)
    sleeve = _layers(source, dst, shopper.parsing.shape)[Group.RIGHT_ARM] > 127
    # then the sleeve runs out along her arm towards the wrist and stays about her arm's height (the
    # arm is held level), not spread down over her chest
    joint = dst.bones["right_upper_arm"][0]
    wrist = dst.bones["right_forearm"][1]
    ys, xs = np.nonzero(sleeve)
    assert xs.min() <= joint[0] - 0.6 * (joint[0] - wrist[0])
    assert np.percentile(ys, 95) < joint[1] + 25


def test_a_sleeve_whose_upper_arm_the_photo_lacks_stays_a_limb_piece():
    # given a shopper whose right elbow and wrist the pose model did not find
    shopper = make_person(missing=("right_elbow", "right_wrist"))
    source, dst = _fitted(shopper, _tee())
    # when the tee's parts are made
    layered = set(_layers(source, dst, shopper.parsing.shape))
    pieces = {piece.group for piece in source.pieces(dst)}
    # then her left sleeve is a strip and her right one the limb piece cut near the shoulder, as before
    assert Group.LEFT_ARM in layered and Group.LEFT_ARM not in pieces
    assert Group.RIGHT_ARM not in layered
    assert "right_upper_arm" not in dst.bones


def test_without_strips_the_sleeves_are_the_limb_pieces_of_before():
    # given the tuning that turns the strips off
    shopper = make_person()
    source, dst = _fitted(shopper, _tee(), PIECES)
    # when the tee's parts are made, then the sleeves are limb pieces and the layers the body alone
    assert {p.group for p in source.pieces(dst)} == {Group.RIGHT_ARM, Group.LEFT_ARM}
    assert set(_layers(source, dst, shopper.parsing.shape)) == {Group.TORSO}


def test_a_sleeve_with_no_length_has_no_strip():
    # given a sleeve whose root and cuff are one point
    point = np.array([10.0, 10.0])
    # when its strip is asked for, then there is none
    assert (
        sleeve_strip(
            cap=point,
            armpit=point,
            cuff_outer=point,
            cuff_inner=point,
            to_shopper=lambda p: p,
            arm_path=[np.zeros(2), np.ones(2)],
            length_scale=1.0,
            across_scale=1.0,
            arm_half_width=lambda _d: 0.0,
        )
        is None
    )


def test_a_tee_rendered_on_a_raised_arm_covers_the_upper_arm_from_the_shoulder():
    # given a shopper holding her arms out and a tee
    shopper = make_person(pose=RAISED)
    tee = _tee()
    # when it is rendered
    result = get_renderer("warp").render(
        RenderRequest(shopper=shopper, garments=(GarmentSource(kind=tee.kind, packshot=tee),))
    )
    # then the first fifth of her upper arm from the shoulder joint is covered by the garment
    joint, elbow = body_skeleton(shopper).bones["right_upper_arm"]
    for share in (0.05, 0.1, 0.15, 0.2):
        x, y = np.round(joint + share * (elbow - joint)).astype(int)
        assert result.garment_alpha[y, x] > 0.9, share
