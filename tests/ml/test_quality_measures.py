"""The quality measures (``ml.quality``) on constructed renders: a perfect paste, a lost garment,
a slab, a leftover patch and rigid pieces. Each broken picture must score worse than the perfect
paste on the measure meant to catch it."""

from __future__ import annotations

import itertools

import cv2
import numpy as np
import pytest

from ml import quality as q
from ml.types import GarmentKind, GarmentSource, Packshot, RenderResult
from ml.types import ParsingClass as C
from tests.support.people import make_person


def _print(height: int, width: int, seed: int = 3) -> np.ndarray:
    """A fine multicoloured print (no straight edges): interpolated noise in three colours."""
    rng = np.random.default_rng(seed)
    noise = cv2.resize(rng.random((height // 3 + 1, width // 3 + 1, 3)).astype(np.float32), (width, height))
    palette = np.array([[200, 30, 40], [250, 210, 60], [30, 120, 60]], np.float32)
    weights = noise / noise.sum(axis=2, keepdims=True)
    return np.clip(weights @ palette, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def packshot() -> GarmentSource:
    image = np.full((240, 200, 3), 245, np.uint8)
    mask = np.zeros((240, 200), np.uint8)
    cv2.rectangle(mask, (30, 20), (170, 220), 255, -1)
    image[mask > 0] = _print(240, 200)[mask > 0]
    return GarmentSource(
        kind=GarmentKind.TOP, packshot=Packshot(image=image, mask=mask, kind=GarmentKind.TOP, landmarks={})
    )


@pytest.fixture(scope="module")
def shopper():
    return make_person(upper=(40, 60, 200))


def _garment_region(shopper) -> np.ndarray:
    return shopper.parsing == C.UPPER_CLOTHES


def _render(shopper, image: np.ndarray, alpha: np.ndarray) -> RenderResult:
    return RenderResult(
        image=image, card=image, renderer="test", version="1", garment_alpha=alpha.astype(np.float32)
    )


def _paste_print(shopper, region: np.ndarray, packshot: GarmentSource) -> np.ndarray:
    """The packshot's garment resized onto the box of ``region``, shown inside ``region``."""
    rows, cols = np.flatnonzero(region.any(axis=1)), np.flatnonzero(region.any(axis=0))
    y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    garment = packshot.packshot.image[20:221, 30:171]
    image = shopper.image.copy()
    resized = cv2.resize(garment, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)
    box = region[y0:y1, x0:x1]
    image[y0:y1, x0:x1][box] = resized[box]
    return image


@pytest.fixture(scope="module")
def perfect(shopper, packshot):
    region = _garment_region(shopper)
    return q.measure(shopper, (packshot,), _render(shopper, _paste_print(shopper, region, packshot), region))


def test_a_perfect_paste_scores_well_on_every_measure(perfect):
    # given the product's print pasted exactly over the shopper's old top (fixture), then
    assert perfect.colour_distance < 3.0
    assert perfect.texture_gap < 0.5
    assert perfect.leftover_share == 0.0
    assert perfect.fill_share == 0.0
    assert perfect.zone_coverage == pytest.approx(1.0)
    assert perfect.outside_identity == pytest.approx(1.0, abs=1e-3)
    assert perfect.product_share == pytest.approx(141 * 201 / (240 * 200), abs=1e-3)


def test_a_lost_garment_leaves_the_body_zone_bare_and_painted_over(shopper, packshot, perfect):
    # given a render that shows only a small patch of the product; the rest of the old top is
    # painted with skin (the renderer removed it but had nothing to put there)
    region = _garment_region(shopper)
    patch = np.zeros_like(region)
    patch[80:100, 90:110] = True
    patch &= region
    image = _paste_print(shopper, patch, packshot)
    image[region & ~patch] = (205, 165, 135)
    # when measured
    lost = q.measure(shopper, (packshot,), _render(shopper, image, patch))
    # then the zone coverage collapses and the fill share rises far above the perfect paste's
    assert lost.zone_coverage < 0.2
    assert lost.fill_share > 0.2
    assert perfect.fill_share == 0.0


def test_a_flat_slab_of_the_mean_colour_is_far_from_a_print(shopper, packshot, perfect):
    # given the old top filled with the product's mean colour (a slab)
    region = _garment_region(shopper)
    mean = packshot.packshot.image[packshot.packshot.mask > 0].mean(axis=0)
    image = shopper.image.copy()
    image[region] = np.round(mean).astype(np.uint8)
    # when measured
    slab = q.measure(shopper, (packshot,), _render(shopper, image, region))
    # then its colours and its texture are far from the product's, unlike the perfect paste's
    assert slab.colour_distance > 3 * perfect.colour_distance
    assert slab.colour_distance > 5.0
    assert slab.texture_gap > 0.5
    assert slab.texture_gap > 5 * perfect.texture_gap


def test_a_leftover_patch_of_the_old_top_is_measured_as_its_share(shopper, packshot):
    # given a new top that covers only the upper half of the old top, the lower half left as it was
    region = _garment_region(shopper)
    rows = np.flatnonzero(region.any(axis=1))
    middle = (rows[0] + rows[-1]) // 2
    upper = region.copy()
    upper[middle:] = False
    image = _paste_print(shopper, upper, packshot)
    # when measured
    measured = q.measure(shopper, (packshot,), _render(shopper, image, upper))
    # then the share left is the lower half of the old top above the hip limit (the measure's own
    # region), and nothing was painted over
    old = q.old_garment_region(shopper, [GarmentKind.TOP])
    expected = (old & ~upper).sum() / old.sum()
    assert measured.leftover_share == pytest.approx(expected, abs=1e-6)
    assert measured.leftover_share > 0.3
    assert measured.fill_share == 0.0


def test_rigid_pieces_with_straight_cuts_raise_the_seam_excess(shopper, packshot, perfect):
    # given the print pasted in three horizontal pieces, each shifted and shaded differently
    region = _garment_region(shopper)
    image = _paste_print(shopper, region, packshot).astype(np.int16)
    rows = np.flatnonzero(region.any(axis=1))
    cuts = np.linspace(rows[0], rows[-1] + 1, 4).astype(int)
    for index, (top, bottom) in enumerate(itertools.pairwise(cuts)):
        band = np.zeros_like(region)
        band[top:bottom] = True
        image[band & region] += (-60, 0, 60)[index]
    pieces = np.clip(image, 0, 255).astype(np.uint8)
    # when measured
    blocky = q.measure(shopper, (packshot,), _render(shopper, pieces, region))
    # then long straight internal edges show up that the product does not have
    assert perfect.seam_excess < 1.0
    assert blocky.seam_excess > 5.0


def test_painting_over_the_arms_lowers_the_identity_outside_the_garment(shopper, packshot, perfect):
    # given a perfect paste whose renderer also painted the arms over with background
    region = _garment_region(shopper)
    image = _paste_print(shopper, region, packshot)
    image[shopper.parsing == C.ARMS] = (230, 230, 230)
    # when measured
    damaged = q.measure(shopper, (packshot,), _render(shopper, image, region))
    # then what lies outside the garment no longer matches the shopper's photo
    assert damaged.outside_identity < perfect.outside_identity - 0.02
    assert damaged.fill_share > 0.03


def test_measures_that_cannot_be_taken_are_none_not_zero(shopper, packshot):
    # given a render that shows no garment at all
    nothing = np.zeros(shopper.parsing.shape, bool)
    measured = q.measure(shopper, (packshot,), _render(shopper, shopper.image.copy(), nothing))
    # then the garment measures are unmeasured and the old top counts as fully left over
    assert measured.colour_distance is None
    assert measured.texture_gap is None
    assert measured.zone_coverage == 0.0
    assert measured.leftover_share == 1.0
