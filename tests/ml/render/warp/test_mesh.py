"""warp-10/11: a packshot's body as one continuous deformation (ribbons), sleeves as limb pieces."""

import cv2
import numpy as np

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.render.warp import WarpRenderer, mesh
from ml.render.warp.body import body_skeleton
from ml.render.warp.mesh import LegRibbon, MeshPackshotSource, TorsoRibbon, body_frame
from ml.render.warp.sources import PackshotSource, make_source
from ml.types import KP, GarmentKind, GarmentSource, Packshot, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import DENIM, denim_pixels, heavy_legged_shopper, make_person

RED, GREEN = (200, 30, 30), (30, 170, 60)


def _render(shopper, packshot: Packshot):
    return get_renderer("warp").render(
        RenderRequest(shopper=shopper, garments=(GarmentSource(kind=packshot.kind, packshot=packshot),))
    )


def _near(image: np.ndarray, colour, tol: int = 50) -> np.ndarray:
    return np.abs(image.astype(int) - np.array(colour)).max(axis=-1) < tol


def _two_tone_tee() -> Packshot:
    """A tee whose wearer's right half is red and left half green (image left is the wearer's right)."""
    tee = draw_packshot(kind=GarmentKind.TOP, colour=RED, seed=3, size=(384, 288), style="tshirt")
    image = tee.image.copy()
    centre = round((tee.landmarks["shoulder_left"][0] + tee.landmarks["shoulder_right"][0]) / 2)
    inside = tee.mask > 127
    left_half = np.zeros_like(inside)
    left_half[:, centre:] = True
    image[inside & left_half] = GREEN
    image[inside & ~left_half] = RED
    return Packshot(image=image, mask=tee.mask, kind=tee.kind, landmarks=tee.landmarks)


def test_tops_dresses_and_bottoms_go_to_the_mesh_source():
    # given a tee, a dress and trousers as packshots
    tee = draw_packshot(kind=GarmentKind.TOP, colour=RED, seed=1, size=(384, 288))
    dress = draw_packshot(kind=GarmentKind.DRESS, colour=RED, seed=1, size=(384, 288))
    jeans = draw_packshot(kind=GarmentKind.BOTTOM, colour=RED, seed=1, size=(384, 288), style="trousers")
    # when the renderer picks their sources
    sources = [make_source(None, p, p.kind, whole_person=False) for p in (tee, dress, jeans)]
    # then each is laid on as one continuous deformation (trousers as hip and leg ribbons)
    assert [type(s) for s in sources] == [MeshPackshotSource, MeshPackshotSource, MeshPackshotSource]


def test_bottoms_are_limb_pieces_when_the_ribbons_are_switched_off(monkeypatch):
    # given ribbon bottoms switched off
    monkeypatch.setattr(mesh, "TUNING", mesh.MeshTuning(ribbon_bottoms=False))
    jeans = draw_packshot(kind=GarmentKind.BOTTOM, colour=RED, seed=1, size=(384, 288), style="trousers")
    # when the renderer picks the jeans' source
    source = make_source(None, jeans, GarmentKind.BOTTOM, whole_person=False)
    # then they are drawn bone by bone
    assert type(source) is PackshotSource


def test_ribbon_bottoms_cover_a_wide_shoppers_legs():
    # given a shopper with very wide legs and drawn jeans
    shopper = heavy_legged_shopper()
    jeans = draw_packshot(kind=GarmentKind.BOTTOM, colour=DENIM, style="trousers", seed=1, size=(384, 288))
    # when they are rendered on her
    denim = denim_pixels(_render(shopper, jeans).image)
    # then at mid-thigh and mid-shin every pixel of her legs is covered
    for row in (187, 241):
        legs = shopper.parsing[row] == C.PANTS
        assert legs.sum() > 55
        assert denim[row][legs].all()


def test_two_tone_tee_keeps_both_colours_each_on_its_side():
    # given a shopper in a blue top and a tee that is half red, half green
    shopper = make_person()
    tee = _two_tone_tee()
    # when it is rendered on her
    result = _render(shopper, tee)
    # then her chest shows both colours, red on the wearer's right (image left), green on her left
    chest = result.image[100:150, 80:120]
    red, green = _near(chest, RED), _near(chest, GREEN)
    assert red[:, :15].mean() > 0.9
    assert green[:, 25:].mean() > 0.9
    assert (red | green).mean() > 0.95


def test_a_tees_front_is_seamless_across_the_body_centre():
    # given a tee with horizontal stripes
    tee = draw_packshot(kind=GarmentKind.TOP, colour=RED, seed=4, size=(384, 288), pattern="stripes")
    shopper = make_person()
    # when it is rendered on her
    image = _render(shopper, tee).image.astype(int)
    # then on every row of her chest the two sides of the centre line have the same colour (one
    # deformation: no halves in different places or shades)
    rows = slice(95, 150)
    left, right = image[rows, 95], image[rows, 105]
    assert np.abs(left - right).max(axis=1).mean() < 12


def test_sleeveless_top_puts_nothing_on_the_arms():
    # given a bare-armed shopper and a sleeveless (tank) top
    shopper = make_person(upper=(40, 60, 200))
    tank = draw_packshot(kind=GarmentKind.TOP, colour=RED, seed=2, size=(384, 288), style="tank")
    # when it is rendered on her
    result = _render(shopper, tank)
    # then her arms below the shoulders are her own pixels, nothing of the tank on them
    dst = body_skeleton(shopper)
    arms = shopper.parsing == C.ARMS
    arms[: int(dst.polygon()[0][1]) + 12] = False
    assert arms.sum() > 300
    assert _near(result.image[arms], RED).sum() == 0
    inner = cv2.erode(arms.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0  # away from the soft rim
    assert np.abs(result.image[inner].astype(int) - shopper.image[inner]).max() <= 2


def test_top_is_never_narrower_than_the_body_it_covers():
    # given a broad shopper (torso far wider than her shoulders suggest) and a slim tee
    shopper = make_person(upper=(40, 60, 200))
    body = body_frame(shopper, body_skeleton(shopper))
    tee = draw_packshot(kind=GarmentKind.TOP, colour=RED, seed=1, size=(384, 288))
    # when it is rendered
    result = _render(shopper, tee)
    # then at chest and hem height nothing of her blue top shows beside the tee (away from its rim)
    old_top = cv2.erode((shopper.parsing == C.UPPER_CLOTHES).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    for level in (0.4, 0.8):
        y = round(body.at(level)[1])
        assert (_near(result.image[y], (40, 60, 200)) & old_top[y]).sum() == 0


def test_torso_ribbon_maps_rungs_exactly_and_interpolates_between_them():
    # given two rungs: a 40 px wide garment band onto a body band twice as wide, 100 px lower
    from ml.render.warp.mesh import Rung

    down, across = np.array([0.0, 1.0]), np.array([-1.0, 0.0])
    rungs = [
        Rung(
            np.array([80.0, 0.0]), np.array([120.0, 0.0]), np.array([60.0, 100.0]), np.array([140.0, 100.0])
        ),
        Rung(
            np.array([80.0, 50.0]), np.array([120.0, 50.0]), np.array([60.0, 200.0]), np.array([140.0, 200.0])
        ),
    ]
    ribbon = TorsoRibbon(rungs, down, across)
    # when points on and between the rungs are mapped back to the garment
    gx, gy = ribbon(np.array([[60.0, 140.0, 100.0, 80.0]]), np.array([[100.0, 200.0, 150.0, 150.0]]))
    # then the rung ends land on the garment's sides and the middle on its centre, halfway down
    assert np.allclose(gx, [[80.0, 120.0, 100.0, 90.0]])
    assert np.allclose(gy, [[0.0, 50.0, 25.0, 25.0]])


def test_trouser_leg_ribbon_follows_a_bent_knee():
    # given a leg path bending at the knee and a straight garment leg 100 px long, 20 px wide
    from ml.render.warp.mesh import LegStation

    path = [np.array([100.0, 100.0]), np.array([100.0, 150.0]), np.array([150.0, 150.0])]
    stations = [
        LegStation(0.0, 10.0, 10.0, 0.0, 10.0, 10.0),
        LegStation(100.0, 10.0, 10.0, 100.0, 10.0, 10.0),
    ]
    leg = LegRibbon(
        path,
        np.array([-1.0, 0.0]),
        np.array([50.0, 0.0]),
        np.array([0.0, 1.0]),
        np.array([-1.0, 0.0]),
        stations,
    )
    # when points along the bent path are mapped
    points = np.array([[100.0, 125.0], [125.0, 150.0], [125.0, 160.0]])
    along, side, _dist = leg.project(points)
    garment = leg.garment_points(along, side)
    # then the shin's points map to the lower half of the straight garment leg, in order
    assert np.allclose(along, [25.0, 75.0, 75.0])
    assert np.allclose(garment[0], [50.0, 25.0])
    assert np.allclose(garment[1], [50.0, 75.0])
    # and a point off the shin's inner side maps off the garment leg's centre by as much
    assert abs(abs(garment[2][0] - 50.0) - 10.0) < 1e-6


def test_trousers_end_at_her_feet_and_never_paint_over_them():
    # given a bare-legged shopper (her feet are the leg pixels at and below the ankles)
    shopper = make_person(upper_to=0.0)
    ankle_y = 268
    skin = _near(shopper.image, (200, 160, 130), tol=8)
    feet = (shopper.parsing == C.LEGS) & skin & (np.arange(shopper.height)[:, None] >= ankle_y)
    feet = cv2.erode(feet.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0  # away from the soft rim
    assert feet.sum() > 20
    jeans = draw_packshot(
        kind=GarmentKind.BOTTOM, colour=(40, 60, 170), style="trousers", seed=1, size=(384, 288)
    )
    # when full-length trousers are rendered on her
    result = _render(shopper, jeans)
    # then her legs above the ankles are covered, and her feet are her own pixels
    shins = (shopper.parsing == C.LEGS) & (np.arange(shopper.height)[:, None] < ankle_y - 10)
    assert _near(result.image[shins], (40, 60, 170), tol=60).mean() > 0.9
    changed = np.abs(result.image[feet].astype(int) - shopper.image[feet]).max(axis=1) > 10
    assert changed.sum() <= 3


def test_her_own_sleeves_are_not_measured_as_her_torso():
    # given the same figure bare-armed and in a top with long sleeves (parsed as her top)
    bare = make_person(upper=(40, 60, 200))
    sleeved = make_person(upper=(40, 60, 200), sleeves=True)
    # when her torso's width is read at the chest, the waist and the hips
    levels = (0.25, 0.4, 0.6)
    bare_widths = [body_frame(bare, body_skeleton(bare)).widths(level) for level in levels]
    sleeved_widths = [body_frame(sleeved, body_skeleton(sleeved)).widths(level) for level in levels]
    # then her sleeves beside her torso do not widen it (with them it read 38-41 px a side, not 22-27)
    for (bare_right, bare_left), (right, left) in zip(bare_widths, sleeved_widths, strict=True):
        assert abs(right - bare_right) <= 1.0 and abs(left - bare_left) <= 1.0


def test_a_tee_on_a_long_sleeved_shopper_leaves_her_arms_to_its_sleeves():
    # given a shopper in long blue sleeves hanging beside her torso, and a red packshot tee
    shopper = make_person(upper=(40, 60, 200), sleeves=True)
    own = WarpRenderer._own_sleeves(shopper, body_skeleton(shopper))
    assert own.sum() > 2000
    # when the tee is put on her
    result = _render(shopper, draw_packshot(kind=GarmentKind.TOP, colour=RED, seed=2, size=(384, 288)))
    # then its body does not spread over her arms: most of her own sleeves below her shoulders are
    # not covered (the body as wide as her torso and both arms covered two thirds of them); the
    # tee's shoulders lie over the caps of her sleeves (warp-57), so the count starts half a
    # shoulder span below her shoulder joints
    span = float(
        np.linalg.norm(shopper.keypoints[KP["left_shoulder"]] - shopper.keypoints[KP["right_shoulder"]])
    )
    below = np.zeros(own.shape, bool)
    below[int(shopper.keypoints[KP["right_shoulder"]][1] + 0.5 * span) :] = True
    covered = (result.garment_alpha > 0.5) & own & below
    assert covered.sum() < 0.3 * (own & below).sum()
