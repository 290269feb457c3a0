import cv2
import numpy as np
import pytest

from ml.errors import CannotRender
from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.render.warp import POSE_BACKGROUND, SHOULDER_LINE, TUNING, VERSION, WarpRenderer
from ml.render.warp.body import body_skeleton
from ml.render.warp.geometry import Group, segment_distance
from ml.types import KP, GarmentKind, GarmentSource, RenderMode, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import BASE_KEYPOINTS, COLOURS, make_person

RED = (220, 30, 40)
GREEN = (30, 160, 60)
BLUE = (40, 60, 200)
SIMILARITY = np.array([[1.2, 0.0, 20.0], [0.0, 1.2, 10.0]])


def _near(image, colour, tol=40):
    return np.abs(image.astype(int) - np.array(colour)).max(axis=2) <= tol


def _render(shopper, *garments, mode=RenderMode.TRYON):
    return get_renderer("warp").render(RenderRequest(shopper=shopper, garments=tuple(garments), mode=mode))


def test_registered_under_warp_with_a_version():
    renderer = get_renderer("warp")
    assert renderer.name == "warp"
    assert renderer.version == VERSION


def test_garment_moved_by_a_known_similarity_lands_there():
    # given a product model in red and a shopper in blue who is the same figure scaled 1.2 and shifted
    product = make_person(upper=RED)
    shopper = make_person(size=(380, 280), affine=SIMILARITY, upper=BLUE)
    # when the red top is put on the shopper
    result = _render(shopper, GarmentSource(kind=GarmentKind.TOP, analysis=product))
    # then the red region is the product's garment moved by the similarity
    expected = shopper.parsing == C.UPPER_CLOTHES
    red = _near(result.image, RED)
    iou = (red & expected).sum() / (red | expected).sum()
    assert iou > 0.9
    # and no blue garment is left
    assert _near(result.image, BLUE).sum() == 0


def test_pixels_outside_the_garment_are_exactly_the_shoppers():
    # given a shopper and a product
    product = make_person(upper=RED)
    shopper = make_person(size=(380, 280), affine=SIMILARITY, upper=BLUE)
    # when rendered
    result = _render(shopper, GarmentSource(kind=GarmentKind.TOP, analysis=product))
    # then the image has the shopper's size and every pixel away from the garment is untouched
    assert result.image.shape == shopper.image.shape
    far = np.ones(shopper.parsing.shape, bool)
    ys, xs = np.nonzero(shopper.parsing == C.UPPER_CLOTHES)
    far[ys.min() - 12 : ys.max() + 12, xs.min() - 25 : xs.max() + 25] = False
    face = shopper.parsing == C.FACE
    assert np.array_equal(result.image[far], shopper.image[far])
    assert np.array_equal(result.image[face], shopper.image[face])
    assert result.renderer == "warp" and result.version == VERSION


def test_card_is_a_three_by_four_crop_around_the_person():
    shopper = make_person(size=(380, 280), affine=SIMILARITY, upper=BLUE)
    result = _render(shopper, GarmentSource(kind=GarmentKind.TOP, analysis=make_person(upper=RED)))
    height, width = result.card.shape[:2]
    assert abs(width / height - 3 / 4) < 0.01
    assert height >= 0.8 * (np.nonzero(shopper.person_mask)[0].ptp())


def test_outfit_layers_bottoms_under_tops_whatever_the_order_given():
    # given a long red top and green trousers from two products, on a shopper in blue top and pants
    top = GarmentSource(kind=GarmentKind.TOP, analysis=make_person(upper=RED, upper_to=0.5))
    bottom = GarmentSource(kind=GarmentKind.BOTTOM, analysis=make_person(upper=(250, 250, 0), pants=GREEN))
    shopper = make_person(upper=BLUE, pants=(90, 90, 90), upper_to=0.0)
    # when rendered as an outfit in both orders
    first = _render(shopper, top, bottom)
    second = _render(shopper, bottom, top)
    # then the result is the same, the top covers the trousers' top, the trousers show below it
    assert np.array_equal(first.image, second.image)
    thigh_top = first.image[175:185, 80:90]
    shin = first.image[240:250, 80:90]
    assert _near(thigh_top, RED).mean() > 0.9
    assert _near(shin, GREEN).mean() > 0.9
    # and none of the shopper's old garments or the bottom product's top is left
    assert _near(first.image, BLUE).sum() == 0
    assert _near(first.image, (250, 250, 0)).sum() == 0


def test_own_long_sleeves_stay_under_a_sleeveless_top_up_to_her_shoulder_while_the_rest_of_the_old_top_goes():
    # given a shopper in a blue top with long blue sleeves and a product top without sleeves
    shopper = make_person(upper=BLUE)
    sleeves = (shopper.parsing == C.ARMS) & (np.arange(200)[None, :] < 80)
    shopper.parsing[sleeves] = C.UPPER_CLOTHES
    shopper.image[sleeves] = BLUE
    # when the top is rendered
    result = _render(shopper, GarmentSource(kind=GarmentKind.TOP, analysis=make_person(upper=RED)))
    # then her sleeves below the shoulders, where the new top does not reach, are hers, unchanged
    dst = body_skeleton(shopper)
    kept = WarpRenderer._own_sleeves(shopper, dst) & (result.garment_alpha == 0)
    assert kept.sum() > 200
    assert np.array_equal(result.image[kept], shopper.image[kept])
    # and the only blue left of the old top on her torso (between her shoulder and hip joints) is
    # that sleeve running on up beside the new top (warp-45: before, a strip of skin was painted
    # between them), none of it under the new top's middle (143 pixels before warp-85 widened the
    # new top to cover her old one)
    torso = np.zeros(shopper.parsing.shape, np.uint8)
    cv2.fillConvexPoly(torso, np.round(dst.polygon()).astype(np.int32), 1)
    _rows, cols = np.nonzero(_near(result.image, BLUE) & (torso > 0))
    assert len(cols) == 142
    assert int(cols.max()) == 79


def test_her_kept_sleeve_goes_up_to_its_cap_at_her_shoulder_not_bare_skin_above_it():
    # given the shopper in long blue sleeves, whose right sleeve's cap rises above her shoulder line
    shopper = make_person(upper=BLUE)
    sleeves = (shopper.parsing == C.ARMS) & (np.arange(200)[None, :] < 80)
    shopper.parsing[sleeves] = C.UPPER_CLOTHES
    shopper.image[sleeves] = BLUE
    shoulder_x, shoulder_y = BASE_KEYPOINTS["right_shoulder"]
    rows, cols = np.mgrid[0:300, 0:200]
    cap = sleeves & (rows < shoulder_y) & (cols < shoulder_x)  # outside her torso, above the line
    assert cap.sum() >= 25
    # when a top without sleeves is rendered
    result = _render(shopper, GarmentSource(kind=GarmentKind.TOP, analysis=make_person(upper=RED)))
    # then the cap the new top leaves bare is still her sleeve, unchanged (it was painted as skin)
    bare_cap = cap & (result.garment_alpha == 0)
    assert bare_cap.sum() >= 25
    assert np.array_equal(result.image[bare_cap], shopper.image[bare_cap])


def test_packshot_top_is_placed_on_the_torso():
    # given a generated red t-shirt packshot
    packshot = draw_packshot(kind=GarmentKind.TOP, colour=RED, seed=2, size=(384, 288))
    shopper = make_person(size=(380, 280), affine=SIMILARITY, upper=BLUE)
    # when rendered on the shopper
    result = _render(shopper, GarmentSource(kind=GarmentKind.TOP, packshot=packshot))
    # then the chest (between shoulders and hips) is the shirt's colour and the face is unchanged
    chest = result.image[140:200, 130:170]
    assert _near(chest, RED, tol=60).mean() > 0.8
    face = shopper.parsing == C.FACE
    assert np.array_equal(result.image[face], shopper.image[face])


def _shopper_in_a_low_neckline():
    """The stick figure in a blue top cut low: the parser's face runs down her neck onto her chest."""
    shopper = make_person(upper=BLUE)
    neckline = np.zeros(shopper.parsing.shape, np.uint8)
    cv2.ellipse(neckline, (100, 68), (18, 20), 0, 0, 360, 1, -1)
    skin = (neckline > 0) & (shopper.parsing != C.HAIR)
    shopper.parsing[skin] = C.FACE
    shopper.image[skin] = COLOURS[C.FACE]
    return shopper, skin


def test_a_packshot_top_covers_her_neckline_and_shoulders_and_leaves_her_head():
    # given a shopper whose bare chest and neck are parsed as face and bare shoulders as arms
    shopper, skin = _shopper_in_a_low_neckline()
    dst = body_skeleton(shopper)
    chest = skin & WarpRenderer._below_hem(shopper, dst, SHOULDER_LINE)
    shoulders = WarpRenderer._shoulders(shopper, dst) & (shopper.parsing == C.ARMS)
    assert chest.sum() > 300 and shoulders.sum() > 300
    # when a red packshot tee is put on her
    packshot = draw_packshot(kind=GarmentKind.TOP, colour=RED, seed=2, size=(384, 288))
    result = _render(shopper, GarmentSource(kind=GarmentKind.TOP, packshot=packshot))
    # then the tee covers her chest below the shoulder line and most of her shoulders
    assert _near(result.image[chest][None], RED, tol=60).mean() > 0.85
    assert _near(result.image[shoulders][None], RED, tol=60).mean() > 0.5
    # and her head, a few pixels above where the garment may reach, and her hands are untouched
    reach = WarpRenderer._below_hem(shopper, dst, SHOULDER_LINE, -TUNING.head_above_shoulders - 0.1)
    head = (shopper.parsing == C.FACE) & ~reach
    hands = (shopper.parsing == C.ARMS) & (np.arange(300)[:, None] > 140)
    assert head.sum() > 800 and hands.sum() > 100
    assert np.array_equal(result.image[head], shopper.image[head])
    assert np.array_equal(result.image[hands], shopper.image[hands])


def test_an_on_model_top_leaves_her_neckline_in_front():
    # given the same shopper and a red top cut from a product model's photo (whose cut carries some
    # of the model's skin and hair around the neck)
    shopper, skin = _shopper_in_a_low_neckline()
    # when it is put on her
    result = _render(shopper, GarmentSource(kind=GarmentKind.TOP, analysis=make_person(upper=RED)))
    # then her own skin at the neckline, within head_reach of her head's line (neck to nose), stays
    # in front, unchanged away from its soft edge; beside it, on her chest towards her shoulders,
    # the top covers it (warp-101: her shoulders go behind an on-model garment)
    inner = cv2.erode(skin.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    ys, xs = np.mgrid[0:300, 0:200]
    neck, nose = np.array([100.0, 72.0]), np.array([100.0, 40.0])
    near_head = segment_distance(xs.astype(np.float64), ys.astype(np.float64), neck, nose)
    span = float(
        np.linalg.norm(shopper.keypoints[KP["left_shoulder"]] - shopper.keypoints[KP["right_shoulder"]])
    )
    kept = inner & (near_head <= TUNING.head_reach * span - 6)
    covered = skin & (near_head >= TUNING.head_reach * span + 1) & (ys >= 70)
    assert kept.sum() > 300 and covered.sum() > 50
    assert np.array_equal(result.image[kept], shopper.image[kept])
    assert _near(result.image[covered][None], RED, tol=60).mean() > 0.95


def test_pose_mode_draws_the_model_on_a_clean_background_in_the_shoppers_frame():
    product = make_person(upper=RED)
    shopper = make_person(size=(380, 280), affine=SIMILARITY, upper=BLUE)
    result = _render(shopper, GarmentSource(kind=GarmentKind.TOP, analysis=product), mode=RenderMode.POSE)
    assert result.image.shape == shopper.image.shape
    assert tuple(result.image[2, 2]) == POSE_BACKGROUND
    red = _near(result.image, RED)
    expected = shopper.parsing == C.UPPER_CLOTHES
    assert (red & expected).sum() / (red | expected).sum() > 0.85
    # and nothing of the shopper's own photo is used
    assert _near(result.image, BLUE).sum() == 0


def test_trousers_on_a_photo_without_legs_cannot_render():
    shopper = make_person(upper=BLUE, legs=False)
    bottom = GarmentSource(kind=GarmentKind.BOTTOM, analysis=make_person(pants=GREEN))
    with pytest.raises(CannotRender, match="upper body"):
        _render(shopper, bottom)


def test_a_product_photo_without_the_garment_cannot_render():
    product = make_person(upper=RED)  # no trousers on this model
    shopper = make_person(upper=BLUE, pants=GREEN)
    with pytest.raises(CannotRender, match="does not show"):
        _render(shopper, GarmentSource(kind=GarmentKind.BOTTOM, analysis=product))


def test_pose_mode_refuses_packshots_and_outfits():
    shopper = make_person(upper=BLUE)
    packshot = draw_packshot(kind=GarmentKind.TOP, colour=RED, seed=2, size=(192, 144))
    with pytest.raises(CannotRender, match="on a model"):
        _render(shopper, GarmentSource(kind=GarmentKind.TOP, packshot=packshot), mode=RenderMode.POSE)
    two = GarmentSource(kind=GarmentKind.TOP, analysis=make_person(upper=RED))
    with pytest.raises(CannotRender, match="single product"):
        _render(shopper, two, two, mode=RenderMode.POSE)


def _opaque(box):
    x0, y0, x1, y1 = box
    layer = np.zeros((y1 - y0, x1 - x0, 4), np.float32)
    layer[..., :3] = 200.0
    layer[..., 3] = 255.0
    return layer


@pytest.mark.parametrize("across", [False, True], ids=["arm-hanging", "forearm-across-her-front"])
def test_a_packshot_sleeve_over_the_garments_body_is_kept_only_on_her_arm(across):
    # given a shopper (her right forearm hanging, or held across her belly), a garment body covering
    # her torso and a right sleeve piece reaching from her arm over her chest
    pose = {"right_elbow": (72, 120), "right_wrist": (112, 132)} if across else None
    shopper = make_person(upper=BLUE, pose=pose)
    dst = body_skeleton(shopper)
    body_box, sleeve_box = (60, 60, 140, 170), (55, 70, 120, 145)
    body, sleeve = _opaque(body_box), _opaque(sleeve_box)
    layers = [
        (body, body_box, Group.TORSO, GarmentKind.TOP),
        (sleeve, sleeve_box, Group.RIGHT_ARM, GarmentKind.TOP),
    ]
    # when the sleeve is kept to her arm
    WarpRenderer._sleeves_on_her_arms([(sleeve, sleeve_box)], layers, shopper, dst)
    alpha = np.zeros(shopper.parsing.shape, np.float32)
    alpha[70:145, 55:120] = sleeve[..., 3]
    # then it is untouched along her arm bones, and gone from the middle of her chest
    for name in ("right_upper_arm", "right_forearm"):
        a, b = dst.bones[name]
        for t in (0.2, 0.5, 0.8):
            x, y = np.round(a + t * (b - a)).astype(int)
            if 70 <= y < 145 and 55 <= x < 120:
                assert alpha[y, x] == 255.0
    assert alpha[90:100, 105:115].max() == 0.0
    # and the garment's body is not touched
    assert body[..., 3].min() == 255.0
