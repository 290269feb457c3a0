"""warp-5: a new top's hem over the shopper's dress kept below it, with a contact shadow; since
warp-53 its edge is as crisp as a hem's in the photo (faded over a few pixels, a white tee's hem
read as a glow over a dark dress); since warp-107 it casts its shadow on her own trousers too."""

import numpy as np

from ml.garments import draw_packshot
from ml.render import get_renderer, warp
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import DRESS, IVORY, make_person, shopper_in_a_dress


def test_tee_hem_over_a_kept_dress_is_crisp_with_a_contact_shadow():
    # given a shopper in a long blue dress and an ivory tee packshot
    shopper = shopper_in_a_dress()
    tee = draw_packshot(kind=GarmentKind.TOP, colour=IVORY, style="tshirt", seed=1, size=(384, 288))
    # when the tee is rendered on her
    request = RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=tee),))
    result = get_renderer("warp").render(request)
    # then down the middle the tee gives way to the dress (kept below the hem) ...
    red = result.image[120:260, 95:106, 0].astype(np.float64).mean(axis=1)
    assert red[:20].min() > 200
    assert np.all(red[100:120] == DRESS[0])
    hem = int(np.flatnonzero(red < (IVORY[0] + DRESS[0]) / 2)[0])
    # ... within three rows: from the tee's own level just above its hem (less 15 % of the contrast)
    # to the dress's blue or the shadow on it; it was 20 % of the contrast short two rows above the
    # hem before warp-53, the fade four rows long
    level = float(red[hem - 12 : hem - 7].mean())
    contrast = level - DRESS[0]
    assert red[hem - 2] > level - 0.15 * contrast
    assert red[hem + 1] < DRESS[0] + 0.1 * contrast
    # and the dress right under the hem is shaded darker than further down, but only a little
    under = red[hem + 1 : hem + 6]
    assert under.min() < 0.92 * DRESS[0]
    assert under.min() > 0.6 * DRESS[0]
    # while the dress's pixels well away from the hem are exactly the shopper's
    assert np.array_equal(result.image[240, 90:110], shopper.image[240, 90:110])


def test_a_top_cut_from_an_on_model_photo_fades_at_its_hem_over_a_kept_dress():
    # given a shopper in a long blue dress and an ivory top worn by a product model (its lower edge
    # may be where the product photo ends, a straight cut)
    shopper = shopper_in_a_dress()
    model = make_person(upper=IVORY, upper_to=0.3)
    request = RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, analysis=model),))
    # when the top is rendered on her
    result = get_renderer("warp").render(request)
    # then down the middle its hem fades into the dress over at least 4 rows, no row changing by
    # more than 40 % of the contrast
    red = result.image[120:260, 95:106, 0].astype(np.float64).mean(axis=1)
    assert red[:10].min() > 200
    hem = int(np.flatnonzero(red < (IVORY[0] + DRESS[0]) / 2)[0])
    steps = np.abs(np.diff(red[hem - 10 : hem + 10]))
    contrast = IVORY[0] - DRESS[0]
    assert steps.max() < 0.4 * contrast
    assert (steps > 0.05 * contrast).sum() >= 4


def test_tee_over_trousers_casts_its_shadow_on_them_under_its_hem_only():
    # given a shopper in a short top and grey trousers (no dress kept below a new top)
    shopper = make_person(upper=DRESS, upper_to=0.0, pants=(90, 90, 90))
    tee = draw_packshot(kind=GarmentKind.TOP, colour=IVORY, style="tshirt", seed=1, size=(384, 288))
    request = RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=tee),))
    # when the tee is rendered
    result = get_renderer("warp").render(request)
    # then down her right leg her trousers right under the tee's hem are shaded (warp-107: drawn
    # with none, the hem read as pasted over them), by at most the shadow's strength ...
    grey = result.image[:, 80:89, 0].astype(np.float64).mean(axis=1)
    hem = int(np.flatnonzero(grey[100:] < 120)[0]) + 100  # the first row of trousers under the tee
    assert 90 * (1.0 - warp.TUNING.hem_shadow) <= grey[hem] < 85
    # ... and her trousers' pixels away from the hem keep their grey
    pants = result.image[hem + 15 :][shopper.parsing[hem + 15 :] == C.PANTS].astype(int)
    assert len(pants) > 1000
    assert pants.min() == pants.max() == 90


def test_a_short_dress_ending_at_mid_thigh_stays_below_a_new_top_as_a_skirt():
    # given a shopper in a blue dress ending at mid-thigh, above the knees' line (0.85 of the way
    # from her hips to her knees), and an ivory tee packshot
    shopper = make_person(upper=DRESS, upper_to=0.85)
    tee = draw_packshot(kind=GarmentKind.TOP, colour=IVORY, style="tshirt", seed=1, size=(384, 288))
    request = RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=tee),))
    # when the tee is rendered on her
    result = get_renderer("warp").render(request)
    # then below the tee's hem her dress's skirt is still there, in its blue (at most shaded by the
    # hem's contact shadow): it was removed with her "top" and her thighs painted as skin in its place
    below_hem = np.zeros(shopper.parsing.shape, bool)
    below_hem[198:207] = True
    skirt = below_hem & (shopper.parsing == C.UPPER_CLOTHES) & (result.garment_alpha < 0.01)
    assert skirt.sum() > 150
    pixels = result.image[skirt].astype(int)
    assert (pixels[:, 2] > 150).all() and (pixels[:, 0] < 60).all()
