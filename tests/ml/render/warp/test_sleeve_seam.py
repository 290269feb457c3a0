"""A packshot sleeve stays sewn to the garment's body: turned down along a hanging arm, its top
follows the body's map at the armhole instead of swinging away from it (the skin wedge reviewers
saw at every tee's shoulders)."""

import numpy as np
import pytest

from ml.garments import draw_packshot, prepare_packshot
from ml.intake import load_image
from ml.render import get_renderer
from ml.render.warp.geometry import Seam
from ml.types import KP, GarmentKind, GarmentSource, RenderRequest
from tests.support.people import make_person


def _shifted_by(dx: float, dy: float):
    def body_map(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return xs + dx, ys + dy

    return body_map


def test_the_body_map_holds_on_the_seam_and_the_limbs_beyond_its_reach():
    # given a seam along x = 0 (garment px, the body map moving shopper px by +100 in x) handing
    # over within 10 shopper px, and a limb map that sends everything to (-50, -50)
    seam = Seam(_shifted_by(100.0, 0.0), np.array([[100.0, 0.0], [100.0, 40.0]]), scale=1.0, reach=10.0)
    xs = np.array([0.0, 5.0, 10.0, 30.0])
    ys = np.full(4, 20.0)
    limb = np.full(4, -50.0)
    # when the maps are blended
    mx, my = seam.blend(xs, ys, limb, limb)
    # then on the seam the body's map, beyond the reach the limb's, half and half halfway
    assert mx.tolist() == [100.0, 0.5 * 105.0 + 0.5 * -50.0, -50.0, -50.0]
    assert my.tolist() == [20.0, 0.5 * 20.0 + 0.5 * -50.0, -50.0, -50.0]


def test_a_shifted_seam_moves_the_body_map_with_the_cropped_source():
    # given a seam and the same seam for a source cropped at (7, 3)
    seam = Seam(_shifted_by(100.0, 0.0), np.array([[100.0, 0.0], [100.0, 40.0]]), scale=1.0, reach=10.0)
    shifted = seam.shifted(7.0, 3.0)
    xs, ys = np.array([0.0]), np.array([20.0])
    # when both are blended on the seam
    mx, my = shifted.blend(xs, ys, np.array([0.0]), np.array([0.0]))
    # then the shifted one reads the cropped source's pixel, and the original is unchanged
    assert (mx.tolist(), my.tolist()) == ([93.0], [17.0])
    assert seam.offset == (0.0, 0.0)


def _shoulder_cover(result, shopper, side: str, reach: float = 0.3) -> float:
    """The garment's share of her person pixels within ``reach`` shoulder spans of her shoulder
    joint: where a tee's shoulder seam and sleeve cap lie."""
    joint = shopper.keypoints[KP[f"{side}_shoulder"]]
    span = float(
        np.linalg.norm(shopper.keypoints[KP["left_shoulder"]] - shopper.keypoints[KP["right_shoulder"]])
    )
    ys, xs = np.mgrid[0 : shopper.height, 0 : shopper.width].astype(np.float64)
    person = (np.hypot(xs - joint[0], ys - joint[1]) <= reach * span) & (shopper.person_mask > 127)
    return float((result.garment_alpha[person] > 0.5).mean())


def _render(shopper, packshot):
    return get_renderer("warp").render(
        RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=packshot),))
    )


def test_a_drawn_tees_sleeves_meet_its_body_at_the_shoulders_of_a_hanging_arm():
    # given a figure standing with her arms hanging and a drawn t-shirt, its sleeves standing out
    # from its body as packshot sleeves do
    shopper = make_person(upper=(40, 60, 200))
    packshot = draw_packshot(kind=GarmentKind.TOP, colour=(220, 30, 40), style="tshirt")
    # when the tee is rendered on her
    result = _render(shopper, packshot)
    # then it covers her shoulders about both joints (a sleeve swung down from the body left a
    # skin wedge there: 0.74 of them covered before the seam)
    covers = {side: round(_shoulder_cover(result, shopper, side), 2) for side in ("right", "left")}
    assert min(covers.values()) >= 0.8, covers


@pytest.mark.slow
def test_a_real_tees_sleeves_meet_its_body_at_the_shoulders_of_a_hanging_arm(people_dir):
    # given a shopper standing with her arms hanging and a real tee packshot
    from ml.analysis import get_analyzer

    fixtures = people_dir.parent / "vton"
    shopper = get_analyzer().predict(load_image(fixtures / "models" / "model_1.png"))
    packshot = prepare_packshot(load_image(fixtures / "garments" / "00126_00.jpg"), GarmentKind.TOP)
    # when the tee is rendered on her
    result = _render(shopper, packshot)
    # then it covers her shoulders about both joints
    covers = {side: round(_shoulder_cover(result, shopper, side), 2) for side in ("right", "left")}
    assert min(covers.values()) >= 0.8, covers


@pytest.mark.slow
def test_a_sewn_sleeves_seam_has_no_pinholes(people_dir):
    # given a shopper with a raised arm and a real tee packshot (its seam drawn twice, by the body and
    # by the sleeve, whose maps round differently by a pixel or so)
    from ml.analysis import get_analyzer

    shopper = get_analyzer().predict(load_image(people_dir / "onmodel_13.jpg"))
    garments = people_dir.parent / "vton" / "garments"
    packshot = prepare_packshot(load_image(garments / "050105_1.jpg"), GarmentKind.TOP)
    # when the tee is rendered on her
    result = _render(shopper, packshot)
    # then about her shoulders no pixel is a pinhole, less covered than both its neighbours two
    # pixels to each side (warp-55 left 29 and 2 of them below the joints, the sleeve sewn on but
    # not grown over the body's side along its seam 21 and 46)
    alpha = result.garment_alpha
    pinholes = (alpha < 0.9) & (np.roll(alpha, 2, axis=1) > 0.99) & (np.roll(alpha, -2, axis=1) > 0.99)
    span = float(
        np.linalg.norm(shopper.keypoints[KP["left_shoulder"]] - shopper.keypoints[KP["right_shoulder"]])
    )
    ys, xs = np.mgrid[0 : shopper.height, 0 : shopper.width]
    counts = {}
    for side in ("right", "left"):
        joint = shopper.keypoints[KP[f"{side}_shoulder"]]
        # along the seam, from her joint down (above it the top edge's own dents are no seam)
        seam = (np.hypot(xs - joint[0], ys - joint[1]) <= 0.4 * span) & (ys >= joint[1])
        counts[side] = int((pinholes & seam).sum())
    assert max(counts.values()) <= 3, counts
