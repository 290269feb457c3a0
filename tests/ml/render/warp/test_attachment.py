"""warp-2: garments stay on the shopper's body (per-bone sleeves, clip to the body, no fragments)
and the clean plate (pyramid background fill, the shopper's skin grain)."""

import cv2
import numpy as np

from ml.render import get_renderer
from ml.render.warp import WarpRenderer
from ml.render.warp.body import (
    attachment_region,
    body_skeleton,
    clean_plate,
    main_components,
    push_pull,
    skin_grain,
)
from ml.types import GarmentKind, GarmentSource, RenderMode, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import make_person

RED = (220, 30, 40)
BLUE = (40, 60, 200)
SPAN = 50.0  # shoulder span of the synthetic figure (75..125 px)
RAISED_ARMS = {
    "right_elbow": (52, 40),
    "right_wrist": (45, 5),
    "left_elbow": (148, 40),
    "left_wrist": (155, 5),
}


def _near(image, colour, tol=40):
    return np.abs(image.astype(int) - np.array(colour)).max(axis=2) <= tol


def _render_top(shopper, product):
    request = RenderRequest(
        shopper=shopper,
        garments=(GarmentSource(kind=GarmentKind.TOP, analysis=product),),
        mode=RenderMode.TRYON,
    )
    return get_renderer("warp").render(request)


def _distance_to_body(analysis):
    outside = (analysis.person_mask <= 127).astype(np.uint8)
    return cv2.distanceTransform(outside, cv2.DIST_L2, 5)


def test_sleeves_of_raised_product_arms_follow_the_shoppers_lowered_arms():
    # given a product model in a red long-sleeved top with both arms raised above the head
    product = make_person(upper=RED, sleeves=True, pose=RAISED_ARMS)
    # and a shopper in a blue top with the arms hanging down
    shopper = make_person(upper=BLUE)
    # when the red top is put on the shopper
    result = _render_top(shopper, product)
    # then no red pixel lies farther than 0.3 shoulder spans from the shopper's body
    red = _near(result.image, RED)
    assert red.any()
    assert _distance_to_body(shopper)[red].max() <= 0.3 * SPAN
    # and nothing red is well above the shoulders (y=72; the raised sleeves reached y=0)
    assert not red[: int(72 - 0.4 * SPAN)].any()
    # and the sleeves cover the shopper's forearms (mapped with the forearm bones) up to the hands,
    # which stay in front (0.3 spans around the wrists at y=155)
    forearms = np.zeros(shopper.parsing.shape, np.uint8)
    cv2.line(forearms, (68, 118), (66, 138), 1, 5)
    cv2.line(forearms, (132, 118), (134, 138), 1, 5)
    on_forearms = red[forearms > 0].mean()
    assert on_forearms > 0.9


def test_sleeve_is_cut_near_the_shoulder_when_the_shoppers_arm_is_missing():
    # given a product in a red long-sleeved top and a shopper whose left elbow and wrist were not found
    product = make_person(upper=RED, sleeves=True)
    shopper = make_person(upper=BLUE, missing=("left_elbow", "left_wrist"))
    # when the top is put on
    result = _render_top(shopper, product)
    red = _near(result.image, RED)
    # then the right sleeve still runs down the right forearm (to the hand)
    assert red[125:138, 64:70].mean() > 0.8
    # and on the left the sleeve ends near the shoulder: no red beside the torso below the armpit
    left_of_torso = red[:150, 133:]  # beside the torso, above the hips
    ys, _ = np.nonzero(left_of_torso)
    assert ys.size > 0  # a shoulder cap is kept
    assert ys.max() < 72 + 0.45 * SPAN


def test_garment_is_clipped_to_the_shoppers_body_region():
    # given a shopper (shoulders at y=72, hips at y=160, knees at y=215, ankles at y=268)
    shopper = make_person(upper=BLUE)
    # when the attachment region is computed
    region = attachment_region(shopper, body_skeleton(shopper))
    # then the body is inside, the corners and the air beside the head and the waist outside
    assert region[shopper.person_mask > 127].min() > 0.99
    assert region[0:5, 0:5].max() == 0.0 and region[0:5, -5:].max() == 0.0
    assert region[40, 20].max() == 0.0 and region[120, 10] == 0.0 and region[120, 190] == 0.0
    # and a skirt may flare out beside the knees, away from the legs
    assert region[250, 55] > 0.99 and region[250, 145] > 0.99


def test_small_disconnected_pieces_are_dropped_and_the_main_one_kept():
    # given a garment alpha with a large body piece and a small fragment far away
    alpha = np.zeros((100, 80), np.float32)
    alpha[20:80, 20:60] = 1.0
    alpha[5:8, 70:73] = 1.0
    # when the main components are kept
    keep = main_components(alpha)
    # then the fragment (and its rim) is dropped and the body piece kept whole
    assert not keep[5:8, 70:73].any()
    assert keep[20:80, 20:60].all()


def test_a_single_piece_is_never_dropped():
    alpha = np.zeros((40, 40), np.float32)
    alpha[10:12, 10:12] = 1.0
    assert main_components(alpha).all()


def test_fragment_detached_from_the_body_does_not_reach_the_render():
    # given a product whose garment has a detached blob above the head (a mis-parsed fragment)
    product = make_person(upper=RED)
    product.parsing[2:12, 20:40] = C.UPPER_CLOTHES
    product.image[2:12, 20:40] = RED
    shopper = make_person(upper=BLUE)
    # when the top is put on
    result = _render_top(shopper, product)
    # then nothing red appears away from the shopper's body
    red = _near(result.image, RED)
    assert red.any()
    assert not red[:40].any()


def test_push_pull_keeps_known_pixels_and_fills_a_hole_smoothly():
    # given a horizontal grey ramp with a square hole
    ramp = np.tile(np.linspace(50, 200, 64, dtype=np.float32)[None, :, None], (64, 1, 3))
    known = np.ones((64, 64), np.float32)
    known[20:44, 20:44] = 0
    holed = ramp.copy()
    holed[20:44, 20:44] = 0
    # when filled
    filled = push_pull(holed, known)
    # then known pixels are unchanged and the hole follows the ramp's range without streaks
    assert np.array_equal(filled[known > 0], ramp[known > 0])
    hole = filled[20:44, 20:44, 0]
    assert hole.min() >= ramp[0, 15, 0] and hole.max() <= ramp[0, 48, 0]
    assert np.abs(hole - ramp[20:44, 20:44, 0]).mean() < 15


def test_filled_skin_carries_the_shoppers_grain_not_a_flat_colour():
    # given a shopper with visibly grainy skin on the arms
    shopper = make_person(upper=BLUE)
    rng = np.random.default_rng(0)
    skin = np.isin(shopper.parsing, (C.ARMS, C.FACE))
    noisy = shopper.image.astype(np.float32) + rng.normal(0, 8, shopper.image.shape).astype(np.float32)
    shopper.image[skin] = np.clip(noisy[skin], 0, 255).astype(np.uint8)
    # when the grain and the clean plate are made
    grain = skin_grain(shopper, shopper.parsing.shape)
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then the grain is a texture around one, and the skin painted on the torso is not flat
    assert 0.99 < grain.mean() < 1.01 and grain.std() > 0.01
    chest = plate[90:130, 92:108].astype(np.float32)
    assert chest.std(axis=(0, 1)).min() > 1.0
    # and no blue of the old garment is left on the plate
    assert not _near(plate, BLUE).any()


def test_a_new_top_leaves_the_shoppers_dress_below_the_hips_as_a_layer():
    # given a short red top and a shopper in a blue dress reaching well below the knees (y=259)
    product = make_person(upper=RED, upper_to=0.2)
    shopper = make_person(upper=BLUE, upper_to=1.8)
    # when the top is put on
    result = _render_top(shopper, product)
    # then the dress is still there below the top, not replaced by bare legs
    assert _near(result.image, BLUE)[230:250, 90:110].all()
    assert _near(result.image, RED)[100:150, 90:110].all()


def test_a_new_top_replaces_a_shoppers_top_of_the_same_length_entirely():
    # given a shopper in a blue top ending at the hips
    product = make_person(upper=RED, upper_to=0.2)
    shopper = make_person(upper=BLUE, upper_to=0.2)
    # when the red top is put on
    result = _render_top(shopper, product)
    # then no blue is left anywhere
    assert not _near(result.image, BLUE).any()


def _shopper_with_a_high_top(collar: int = C.UPPER_CLOTHES):
    """The figure in a blue top rising above her shoulder joints (y=72) around her neck: the band
    y 64..67 between them labelled ``collar`` (her top, or hair the parser mistook it for)."""
    shopper = make_person(upper=BLUE)
    band = np.zeros(shopper.parsing.shape, bool)
    band[64:68, 80:121] = True
    band &= shopper.parsing != C.FACE
    shopper.parsing[band] = collar
    shopper.person_mask[band] = 255  # her top (or collar) is part of her, as a segmenter sees it
    shopper.image[band] = BLUE
    return shopper, band


def test_the_clean_plate_paints_the_tops_of_her_shoulders_as_skin_not_background():
    # given a shopper whose top covers the tops of her shoulders, above the line of her shoulder joints
    shopper, band = _shopper_with_a_high_top()
    beside_neck = band & (np.abs(np.arange(200) - 100) >= 12)[None, :]
    assert beside_neck.sum() > 50
    # when her clean plate is made
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then the tops of her shoulders are skin (her arms' tone), not the background
    skin = np.array(shopper.image[shopper.parsing == C.ARMS].mean(axis=0))
    painted = plate[beside_neck].astype(np.float32)
    assert np.abs(painted - skin).max(axis=1).mean() < 40
    assert not _near(plate[beside_neck][None], (230, 230, 230), tol=12).any()


def test_her_top_parsed_as_hair_at_her_shoulders_is_painted_over_with_it():
    # given the same shopper whose high collar the parser labelled hair
    shopper, band = _shopper_with_a_high_top(collar=C.HAIR)
    dst = body_skeleton(shopper)
    # then it is found as her top (coloured like it, near her shoulders)
    found = WarpRenderer._top_parsed_as_hair(shopper, dst)
    assert (found & band).sum() > 0.9 * band.sum()
    assert not (found & ~band).any()
    # and when a red top is put on her (its layer starts below the band), none of the band stays blue
    # (it was removed with her top, but the clean plate painted only garment labels)
    shopper.extras.update(get_renderer("warp").precompute(shopper))
    result = _render_top(shopper, make_person(upper=RED))
    assert not _near(result.image[band][None], BLUE).any()


def test_hair_coloured_like_her_top_but_apart_from_it_stays_hair():
    # given the shopper in the blue top with locks of hair as blue as her top hanging beside her
    # neck, above her shoulders and apart from her top (dark hair over a dark top)
    shopper = make_person(upper=BLUE)
    locks = np.zeros(shopper.parsing.shape, bool)
    locks[52:61, 121:127] = True
    locks[52:61, 73:79] = True
    shopper.parsing[locks] = C.HAIR
    shopper.image[locks] = BLUE
    dst = body_skeleton(shopper)
    # then they are not taken for her top's collar (warp-46: they were, and removed with her top
    # they were painted as background, holes in her hair)
    assert not (WarpRenderer._garment_coloured(shopper, dst, shopper.parsing == C.HAIR) & locks).any()
    # and a red top put on her leaves them exactly hers
    result = _render_top(shopper, make_person(upper=RED))
    assert np.array_equal(result.image[locks], shopper.image[locks])
