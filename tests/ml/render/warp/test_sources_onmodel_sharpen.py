"""warp-102: an on-model garment enlarged onto a larger photo (a 560-row product photo on a 1,024-row
shopper) has its opaque inside sharpened in its own pixels before it is warped; the reviewers chose
the crisper print on 153 of the 156 choices of the third warp-102 candidate's review. warp-103: at
her own scale too (from 0.9 of it), where the bilinear warp's fractional samples soften it."""

import numpy as np

from ml.render.warp.body import body_skeleton
from ml.render.warp.sources import TUNING, OnModelSource, sharpened
from ml.types import GarmentKind
from ml.types import ParsingClass as C
from tests.support.people import make_person

RED = (200, 40, 40)
ENLARGED = np.array([[1.5, 0.0, 0.0], [0.0, 1.5, 0.0]])  # the shopper drawn 1.5 times larger ...
SHRUNK = np.array([[0.8, 0.0, 20.0], [0.0, 0.8, 30.0]])  # ... or at 0.8 of the product model's size


def _striped_top():
    """A product model in a red top with dark stripes across it every 4 rows."""
    product = make_person(upper=RED)
    top = product.parsing == C.UPPER_CLOTHES
    stripes = np.zeros(top.shape, bool)
    stripes[::4] = True
    product.image[top & stripes] = (120, 20, 20)
    return product


def _stripe_contrast(image: np.ndarray, opaque: np.ndarray) -> float:
    """The mean step in red from row to row inside the opaque garment."""
    both = opaque[1:] & opaque[:-1]
    return float(np.abs(np.diff(image[..., 0].astype(float), axis=0))[both].mean())


def test_a_step_inside_the_garment_gains_contrast_and_flat_parts_keep_their_colour():
    # given an opaque garment, 100 grey on its left half and 150 on its right
    image = np.full((40, 40, 3), 100, np.uint8)
    image[:, 20:] = 150
    alpha = np.ones((40, 40), np.float32)
    # when sharpened
    out = sharpened(image, alpha).astype(int)
    # then the pixels either side of the step move apart, and those far from it stay
    assert out[20, 19, 0] < 100 < 150 < out[20, 20, 0]
    assert out[20, 5].tolist() == [100, 100, 100] and out[20, 35].tolist() == [150, 150, 150]


def test_the_backdrop_beyond_the_outline_does_not_lighten_the_garments_rim():
    # given a flat red garment on white, clear beyond its outline
    image = np.full((40, 40, 3), 255, np.uint8)
    image[:, :20] = RED
    alpha = np.zeros((40, 40), np.float32)
    alpha[:, :20] = 1.0
    # when sharpened
    out = sharpened(image, alpha)
    # then nothing changes: inside it is flat, and the backdrop is not part of its local colour
    assert np.array_equal(out, image)


def test_soft_pixels_of_the_outline_are_left_as_they_are():
    # given a garment with a 0.5-opaque rim and detail in it
    image = np.full((40, 40, 3), 100, np.uint8)
    image[:, 10] = 200
    alpha = np.ones((40, 40), np.float32)
    alpha[:, 8:13] = 0.5
    # when sharpened, then the rim's pixels keep their colours
    out = sharpened(image, alpha)
    assert np.array_equal(out[:, 8:13], image[:, 8:13])


def test_an_on_model_garment_at_or_above_her_scale_is_sharpened_and_one_shrunk_onto_her_is_not():
    # given a striped top cut from a product photo, and three shoppers: one drawn 1.5 times larger
    # than the product model, one at her scale (both at least ``sharpen_from``, 0.9, times her size)
    # and one drawn at 0.8 of it
    assert TUNING.sharpen_from == 0.9
    shoppers = (
        (make_person(size=(450, 300), affine=ENLARGED, upper=(40, 60, 200)), True),
        (make_person(upper=(40, 60, 200)), True),
        (make_person(affine=SHRUNK, upper=(40, 60, 200)), False),
    )
    for shopper, sharpened_expected in shoppers:
        source = OnModelSource(_striped_top(), GarmentKind.TOP)
        before = source.layer.image.copy()
        opaque = source.layer.alpha >= TUNING.sharpen_opaque
        # when it is fitted to her
        source.fit_to(shopper, body_skeleton(shopper))
        after = source.layer.image
        if sharpened_expected:
            # then its stripes stand out more, and its soft rim is unchanged
            assert _stripe_contrast(after, opaque) > 1.2 * _stripe_contrast(before, opaque)
            assert np.array_equal(after[~opaque], before[~opaque])
        else:
            # and shrunk onto her (sampled sparsely, crisp already) it is the product photo's, untouched
            assert np.array_equal(after, before)
