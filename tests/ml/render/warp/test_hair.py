"""Hair parsed as the old top stays the shopper's, in front of the new garment (warp-7)."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from ml.render import get_renderer
from ml.render.warp.body import body_skeleton
from ml.render.warp.hair import recovered_hair
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import COLOURS, make_person

RED = (200, 40, 40)
BLUE = (40, 60, 200)


def _long_haired(top=BLUE):
    """A synthetic shopper whose two long strands of hair hang over her top down to the chest,
    parsed (as real parsers do) as the top where they lie on it."""
    shopper = make_person(upper=top)
    strands = np.zeros(shopper.parsing.shape, bool)
    strands[36:112, 80:91] = True
    strands[36:112, 109:120] = True
    strands &= shopper.parsing != C.FACE
    shopper.image[strands] = COLOURS[C.HAIR]
    on_top = strands & (shopper.parsing == C.UPPER_CLOTHES)
    other = strands & ~on_top
    shopper.parsing[other] = C.HAIR
    shopper.person_mask[strands] = 255
    return shopper, strands, on_top


def _inner(mask: np.ndarray, pixels: int = 2) -> np.ndarray:
    size = 2 * pixels + 1
    return cv2.erode(mask.astype(np.uint8), np.ones((size, size), np.uint8)) > 0


def test_hair_lying_over_the_old_top_is_recovered_and_the_top_is_not():
    # given a shopper whose long hair over her top is parsed as the top
    shopper, _strands, on_top = _long_haired()
    assert on_top.sum() > 800
    # when her hair is recovered from the top's pixels
    hair = recovered_hair(shopper.image, shopper.parsing, body_skeleton(shopper))
    # then every strand pixel on the top (but its 1-pixel rim, cut by the speck filter) is hair
    core = _inner(on_top, 1)
    assert core.sum() > 600
    assert np.array_equal(hair & core, core)
    # and no pixel of the top itself is
    assert not (hair & (shopper.parsing == C.UPPER_CLOTHES) & ~on_top).any()


def test_long_hair_over_the_old_top_is_unchanged_in_front_of_a_new_top():
    # given the long-haired shopper and a red top on another figure
    shopper, strands, on_top = _long_haired()
    original = shopper.image.copy()
    # when the red top is rendered on her
    result = get_renderer("warp").render(
        RenderRequest(
            shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, analysis=make_person(upper=RED)),)
        )
    )
    # then the new top is on her (red pixels on the torso, between the strands)
    red = np.abs(result.image.astype(int) - RED).max(axis=2) < 40
    assert red[80:140, 86:114].mean() > 0.8
    # and every hair pixel (away from its 4-pixel soft edge) is exactly the shopper's
    inner = _inner(strands, 4)
    assert inner.sum() > 250
    assert np.array_equal(result.image[inner], original[inner])
    # including the strands over the old top: neither filled with background nor covered
    inner_on_top = inner & on_top
    assert inner_on_top.sum() > 120
    assert np.array_equal(result.image[inner_on_top], original[inner_on_top])


def test_a_top_of_the_hair_colour_is_not_taken_for_hair():
    # given a short-haired shopper whose top is the colour of her hair (nothing to tell apart)
    shopper = make_person(upper=COLOURS[C.HAIR])
    # when her hair is recovered from the top's pixels
    hair = recovered_hair(shopper.image, shopper.parsing, body_skeleton(shopper))
    # then none of the top is kept as hair (it is removed and replaced)
    assert not hair.any()


@pytest.mark.slow
def test_blonde_hair_parsed_as_her_top_stays_in_front_of_the_new_top(real_analyses):
    # given onmodel_15 (long blonde hair over a navy top) with all of its hair parsed as upper clothes
    # (as heuristic-3 and earlier parsers did; heuristic-4 finds her head beyond the photo's edge)
    real, product = real_analyses["onmodel_15"], real_analyses["onmodel_20"]
    parsing = np.where(real.parsing == C.HAIR, C.UPPER_CLOTHES, real.parsing).astype(np.uint8)
    shopper = dataclasses.replace(real, parsing=parsing)
    assert not (shopper.parsing == C.HAIR).any()
    dst = body_skeleton(shopper)
    hair = recovered_hair(shopper.image, shopper.parsing, dst) | (shopper.parsing == C.HAIR)
    poly = dst.polygon()
    ys = np.arange(shopper.height)[:, None]
    above_shoulders = np.broadcast_to(ys < min(poly[0][1], poly[1][1]), hair.shape)
    hair_high = _inner(hair & above_shoulders)
    assert hair_high.sum() > 10000
    # when onmodel_20's dress is rendered on her
    result = get_renderer("warp").render(
        RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.DRESS, analysis=product),))
    )
    # then every hair pixel above the shoulders is exactly the shopper's (none filled with background)
    assert np.array_equal(result.image[hair_high], shopper.image[hair_high])


def test_the_shaded_sides_of_a_dark_top_are_not_taken_for_hair_of_their_colour():
    # given a shopper with a strand of brown hair over her navy top, dark blue-black strands in the
    # hair on her head, and the top's sides (away from the strand) in shade, that blue-black
    navy, shade = (40, 50, 130), (40, 45, 75)
    shopper = make_person(upper=navy, sleeves=True)
    strand = np.zeros(shopper.parsing.shape, bool)
    strand[36:112, 80:91] = True
    strand &= shopper.parsing != C.FACE
    shopper.image[strand] = COLOURS[C.HAIR]
    shopper.parsing[strand & (shopper.parsing != C.UPPER_CLOTHES)] = C.HAIR
    xs = np.broadcast_to(np.arange(shopper.width)[None, :], shopper.parsing.shape)
    shopper.image[(shopper.parsing == C.HAIR) & ~strand & (xs % 4 == 0)] = shade
    top = shopper.parsing == C.UPPER_CLOTHES
    shaded = top & ~strand & ((xs < 80) | (xs > 122))
    shopper.image[shaded] = shade
    assert shaded.sum() > 3000
    # when her hair is recovered from the top's pixels
    hair = recovered_hair(shopper.image, shopper.parsing, body_skeleton(shopper))
    # then none of the shaded top is hair (sampled in the chest's middle alone, the top had no shade,
    # and 1,122 of its pixels beside the strand were kept as hair), and the strand on the top still is
    assert not (hair & shaded).any()
    on_top = strand & top
    assert (hair & on_top).sum() >= on_top.sum() - 3
