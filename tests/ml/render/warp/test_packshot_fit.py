"""Packshot try-on (warp-3/4): clean garment edges from a store-style mask, opaque garments, fitted parts."""

import cv2
import numpy as np
import pytest

from ml.garments import draw_packshot, prepare_packshot
from ml.intake import load_image
from ml.render import get_renderer
from ml.render.warp import SHOULDER_LINE, TUNING, WarpRenderer
from ml.render.warp.body import body_skeleton
from ml.render.warp.sources import _build_packshot_layer, packshot_layer
from ml.types import GarmentKind, GarmentSource, Packshot, RenderRequest
from ml.types import ParsingClass as C


def store_mask(image: np.ndarray) -> np.ndarray:
    """The mask as the store derives it from a packshot PNG: anything clearly off the background
    colour (so it takes in the drop shadow, the white rim and misses near-white fabric)."""
    rgb = image.astype(np.int16)
    background = np.median(np.concatenate([rgb[:4].reshape(-1, 3), rgb[:, :4].reshape(-1, 3)]), axis=0)
    mask = ((np.abs(rgb - background).max(axis=2) > 18) * 255).astype(np.uint8)
    return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))


def store_packshot(**kwargs) -> tuple[Packshot, np.ndarray]:
    drawn = draw_packshot(seed=1, size=(384, 288), **kwargs)
    stored = Packshot(
        image=drawn.image, mask=store_mask(drawn.image), kind=drawn.kind, landmarks=drawn.landmarks
    )
    return stored, drawn.mask


def test_store_mask_has_the_faults_the_layer_removes():
    # given an ivory tee whose mask is thresholded from its light background
    packshot, true_mask = store_packshot(kind=GarmentKind.TOP, colour=(238, 232, 220), pattern="solid")
    # then the thresholded mask has holes in the garment and takes in the shadow outside it
    assert ((packshot.mask == 0) & (true_mask == 255)).sum() > 500
    assert ((packshot.mask == 255) & (true_mask == 0)).sum() > 500
    # when the layer is built
    _image, alpha = packshot_layer(packshot.image, packshot.mask)
    # then the garment is opaque everywhere inside (no holes) and nothing outside it is kept (no shadow)
    core = cv2.erode(true_mask, np.ones((7, 7), np.uint8)) == 255
    assert alpha[core].min() > 0.99
    near = cv2.dilate(true_mask, np.ones((5, 5), np.uint8)) > 0
    assert alpha[~near].max() == 0.0
    assert alpha[true_mask == 0].max() < 0.2


def _white_tee_with_grey_folds() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A white tee on white paper whose sides and sleeve undersides are in neutral grey shade (as
    real folds are): the image, its exact mask (0/255) and the shaded part of it."""
    image = np.full((300, 240, 3), 246, np.uint8)
    mask = np.zeros((300, 240), np.uint8)
    body = np.array(
        [
            [70, 40],
            [170, 40],
            [215, 75],
            [195, 120],
            [170, 105],
            [170, 270],
            [70, 270],
            [70, 105],
            [45, 120],
            [25, 75],
        ],
        np.int32,
    )
    cv2.fillPoly(mask, [body], 255)
    image[mask > 0] = (238, 238, 236)
    shade = np.zeros_like(mask)
    for x0 in (25, 150):  # the sleeves' undersides and the sides below them, reaching the outline
        cv2.rectangle(shade, (x0, 95), (x0 + 65, 180), 255, -1)
    shade = (shade > 0) & (mask > 0)
    image[shade] = (200, 200, 200)
    return image, mask, shade


def test_a_cut_out_mask_is_not_peeled_again_but_a_thresholded_one_is():
    # given a white tee whose grey folds reach its outline, with its exact mask
    image, mask, shade = _white_tee_with_grey_folds()
    inside = cv2.erode(shade.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    assert inside.sum() > 3000
    # when the layer is built from a mask the cut-out made (no shadow peeling) and from one of
    # unknown origin (peeled)
    _image, kept = packshot_layer(image, mask, peel_shadows=False)
    _image, peeled = packshot_layer(image, mask)
    # then the cut-out's mask keeps the folds, and the older clean-up takes them for a shadow
    assert kept[inside].min() > 0.99
    assert peeled[inside].max() < 0.01
    # and away from the rim both layers are the mask
    core = cv2.erode(mask, np.ones((7, 7), np.uint8)) > 0
    away = core & (cv2.dilate(shade.astype(np.uint8), np.ones((15, 15), np.uint8)) == 0)
    assert kept[core].min() > 0.99 and peeled[away].min() > 0.99


@pytest.mark.slow
def test_a_white_tee_on_white_keeps_its_whole_cut_out_on_the_shopper(people_dir):
    # given the printed white tee of the tune part, cut out by prepare_packshot
    packshot = prepare_packshot(load_image(people_dir.parent / "vton" / "garments" / "07764_00.jpg"), "top")
    cut = packshot.mask > 127
    # when its render layer is prepared
    layer = _build_packshot_layer(packshot, "top")
    # then the layer holds all of the cut-out but its eroded rim (the old clean-up lost a tenth:
    # the sleeves' undersides and the sides under them)
    core = cv2.erode(cut.astype(np.uint8), np.ones((15, 15), np.uint8)) > 0
    assert layer.alpha[core].min() > 0.99
    assert (layer.alpha > 0.5).sum() > 0.97 * cut.sum()


@pytest.mark.parametrize("style", ["tshirt", "tank"])
def test_dark_packshot_layer_has_no_light_rim(style):
    # given a navy garment on white paper, with the store's thresholded mask
    packshot, _true = store_packshot(kind=GarmentKind.TOP, colour=(35, 45, 80), style=style)
    # when the layer is built
    image, alpha = packshot_layer(packshot.image, packshot.mask)
    # then no visible pixel of it is light: the rim took the garment's colours, not the paper's
    visible = alpha > 0.02
    assert visible.sum() > 5000
    assert image[visible].max(axis=1).max() < 150
    # and the input was not changed
    assert packshot.image[2, 2].min() >= 235


@pytest.mark.slow
def test_dark_tee_on_a_shopper_has_no_halo_and_hides_the_shoppers_top(real_analyses):
    # given a shopper in a black dress, and an ivory and a navy tee as the store keeps them
    shopper = real_analyses["onmodel_20"]
    renderer = get_renderer("warp")
    dst = body_skeleton(shopper)
    poly = dst.polygon()
    # the torso's core: the middle half across, from a third of the way down to the hips
    top, bottom = (poly[0] + poly[1]) / 2, (poly[2] + poly[3]) / 2
    core = np.zeros(shopper.parsing.shape, np.uint8)
    quad = [
        top + (bottom - top) * 0.35 + (poly[0] - poly[1]) * 0.25,
        top + (bottom - top) * 0.35 - (poly[0] - poly[1]) * 0.25,
        top + (bottom - top) * 0.9 - (poly[0] - poly[1]) * 0.25,
        top + (bottom - top) * 0.9 + (poly[0] - poly[1]) * 0.25,
    ]
    cv2.fillConvexPoly(core, np.round(np.array(quad)).astype(np.int32), 1)
    core = core > 0
    assert core.sum() > 500
    assert shopper.image[core].max(axis=1).mean() < 80  # her own dress there is dark
    for colour, check in (((238, 232, 220), "light"), ((35, 45, 80), "dark")):
        packshot, _true = store_packshot(kind=GarmentKind.TOP, colour=colour, style="tshirt")
        # when the tee is rendered on her
        result = renderer.render(
            RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=packshot),))
        )
        pixels = result.image[core].astype(int)
        if check == "light":
            # then no dark pixel of her dress (or the clean plate) shows inside the opaque tee
            assert pixels.max(axis=1).min() > 150
        else:
            # then no near-white pixel (a halo or a hole) shows inside the navy tee
            assert pixels.min(axis=1).max() < 150


@pytest.mark.slow
def test_trousers_on_a_dress_reach_the_ankles_and_replace_the_skirt(real_analyses):
    # given a shopper in a long black dress and stone chinos as the store keeps them
    shopper = real_analyses["onmodel_20"]
    packshot, _true = store_packshot(kind=GarmentKind.BOTTOM, colour=(200, 190, 165), style="trousers")
    dst = body_skeleton(shopper)
    # when the chinos are rendered on her
    result = get_renderer("warp").render(
        RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.BOTTOM, packshot=packshot),))
    )
    # then stone-coloured pixels reach down to the ankles on both legs
    stone = np.abs(result.image.astype(int) - [200, 190, 165]).max(axis=2) < 45
    for side in ("right_shin", "left_shin"):
        knee, ankle = dst.bones[side]
        y = round(float(knee[1] + 0.85 * (ankle[1] - knee[1])))
        x = round(float(knee[0] + 0.85 * (ankle[0] - knee[0])))
        assert stone[y - 3 : y + 4, x - 6 : x + 7].mean() > 0.5, side
    # and her dress is gone below the thighs: no black skirt left around the trousers there
    below = WarpRenderer._below_hem(shopper, dst, 0.6)
    dress = (shopper.parsing == C.UPPER_CLOTHES) & below
    assert dress.sum() > 1000
    assert (result.image[dress].max(axis=1) < 60).mean() < 0.05


@pytest.mark.slow
def test_dark_puffed_shoulder_of_the_old_dress_goes_under_a_new_light_tee(real_analyses):
    # given a shopper whose black dress puffs up above the shoulder line (parsed as hair and garment)
    shopper = real_analyses["onmodel_08"]
    dst = body_skeleton(shopper)
    band = WarpRenderer._below_hem(shopper, dst, -1.0, -0.5) & ~WarpRenderer._below_hem(
        shopper, dst, -1.0, 0.1
    )
    dark = shopper.image.max(axis=2) < 70
    old_shoulder = band & dark & np.isin(shopper.parsing, (C.HAIR, C.UPPER_CLOTHES))
    assert old_shoulder.sum() > 1500
    # and its colour is judged the dress's, not hair or skin, for most of those pixels
    flagged = WarpRenderer._garment_coloured(shopper, dst, old_shoulder)
    assert flagged.sum() > 0.8 * old_shoulder.sum()
    # when an ivory tee is rendered on her
    packshot, _true = store_packshot(kind=GarmentKind.TOP, colour=(238, 232, 220), style="tshirt")
    result = get_renderer("warp").render(
        RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=packshot),))
    )
    # then the tee covers most of that dark patch: since warp-75 its shoulder seam goes out to her
    # outline at the joint's level, which takes in the puff (2667 px; 1916 under the tee). Before, the
    # tee left 1148 of them bare, 739 kept as her dress (warp-45; painted, they were a band of skin
    # between the tee and her kept sleeves); now 751 are bare and only 32 kept, the rest painted.
    # The blinded reviewers chose warp-75 on three of the four pictures of this photo it changed.
    covered = old_shoulder & (result.garment_alpha >= 0.5)
    assert covered.sum() > 0.7 * old_shoulder.sum()
    # and her face (away from its soft edge, above where a tee's collar may reach) is untouched
    face = cv2.erode((shopper.parsing == C.FACE).astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    face &= ~WarpRenderer._below_hem(shopper, dst, SHOULDER_LINE, -TUNING.head_above_shoulders - 0.1)
    assert face.sum() > 500
    assert np.array_equal(result.image[face], shopper.image[face])


def test_a_packshots_edge_is_crisp():
    # given a 1024-px packshot of a plain grey garment with its exact mask
    image = np.full((1024, 768, 3), 245, np.uint8)
    mask = np.zeros((1024, 768), np.uint8)
    mask[200:900, 200:560] = 255
    image[mask > 0] = (90, 90, 95)
    # when its layer is built
    _image, alpha = packshot_layer(image, mask, peel_shadows=False)
    # then across its side the alpha goes from clear to opaque within 3 px (warp-54 took 6-7, a
    # soft glow the reviewers called "blurred white edges" on light garments over darker clothes)
    row = alpha[550]
    ramp = np.flatnonzero((row > 0.05) & (row < 0.95))
    left = ramp[ramp < 384]
    assert 1 <= len(left) <= 3
    # and it is still anti-aliased and inside the mask: no step from 0 to 1, nothing outside
    assert float(row[left].min()) < 0.9
    assert float(alpha[mask == 0].max()) == 0.0
