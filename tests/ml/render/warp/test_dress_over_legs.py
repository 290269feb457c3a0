"""warp-41: a packshot dress covers her legs, where the clean plate paints them, down to its hem."""

import numpy as np

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.render.warp import body as body_module
from ml.render.warp.body import body_skeleton
from ml.render.warp.mesh import MeshPackshotSource, body_frame
from ml.types import GarmentKind, GarmentSource, RenderRequest
from tests.support.people import DRESS, make_person

RED = (200, 30, 30)
# standing with her legs well apart, the knees and ankles out to the sides
STRIDE = {
    "right_knee": (62, 215),
    "left_knee": (138, 215),
    "right_ankle": (45, 268),
    "left_ankle": (155, 268),
}


def _dress():
    return draw_packshot(kind=GarmentKind.DRESS, colour=RED, style="sleeveless", seed=1, size=(384, 288))


def test_a_dress_on_her_stride_covers_her_painted_thighs_down_to_its_hem():
    # given a shopper in a blue dress reaching her knees, her legs far apart, and a red dress packshot
    shopper = make_person(upper=DRESS, upper_to=1.0, pose=STRIDE)
    dst = body_skeleton(shopper)
    source = MeshPackshotSource(_dress())
    source.fit_to(shopper, dst)
    # when the dress's ribbon is laid on her
    body = body_frame(shopper, dst)
    ribbon = source.garment_map(dst)
    # then at every level of her thighs above the dress's hem, the ribbon reaches past the outer edge
    # of each painted thigh (the thigh bone plus the plate's thigh radius)
    radius = body_module.TUNING.thigh_radius * body.span
    hem = float(ribbon.levels[-1])
    checked = 0
    for side, sign in (("right", 1.0), ("left", -1.0)):
        hip, knee = dst.bones[f"{side}_thigh"]
        for share in np.linspace(0.2, 1.0, 9):
            point = hip + share * (knee - hip)
            level = float(point @ body.down)
            if level >= hem:
                continue
            row = np.array(
                [np.interp(level, ribbon.levels, ribbon.table[:, k]) for k in range(ribbon.table.shape[1])]
            )
            offset = float((point - row[0:2]) @ body.across)
            reach = row[2] if sign > 0 else row[3]
            assert sign * offset + radius <= reach + 0.5, (side, share)
            checked += 1
    assert checked >= 12


def test_a_dress_on_her_stride_shows_no_painted_thigh_beside_it():
    # given the same shopper and dress
    shopper = make_person(upper=DRESS, upper_to=1.0, pose=STRIDE)
    dress = _dress()
    # when the dress is rendered on her
    result = get_renderer("warp").render(
        RenderRequest(shopper=shopper, garments=(GarmentSource(kind=dress.kind, packshot=dress),))
    )
    # then along each thigh from a third of the way down to the knee, the dress covers the thigh's
    # outer side, 0.2 shoulder spans out from the bone (the plate paints 0.24; it was painted skin
    # beside a dress narrower than her stride)
    dst = body_skeleton(shopper)
    body = body_frame(shopper, dst)
    for side, sign in (("right", 1.0), ("left", -1.0)):
        hip, knee = dst.bones[f"{side}_thigh"]
        for share in (0.33, 0.5, 0.66):
            point = hip + share * (knee - hip) + sign * 0.2 * body.span * body.across
            x, y = np.round(point).astype(int)
            assert result.garment_alpha[y, x] > 0.9, (side, share)
