"""warp-34: the backdrop behind a removed garment is filled without a step at the hole's edge, and
the garment's rim on the backdrop (a glow, a soft shadow) is eased into the fill."""

import cv2
import numpy as np

from ml.render.warp import body as warp_body
from ml.render.warp.body import body_skeleton, clean_plate, harmonic_fill, push_pull
from ml.types import ParsingClass as C
from tests.support.people import shopper_in_a_dress

GLOW = 12  # grey levels the photographed dress's rim lifts the backdrop beside it
GLOW_WIDTH = 3  # px


def _graded_backdrop(height: int = 120, width: int = 160) -> np.ndarray:
    """A studio backdrop lit from the right: 200 grey levels at the left edge, 250 at the right."""
    ramp = np.linspace(200.0, 250.0, width, dtype=np.float32)
    return np.repeat(np.repeat(ramp[None, :, None], height, axis=0), 3, axis=2)


def _wide_hole(shape: tuple[int, int]) -> np.ndarray:
    """A removed gown's cone: 1 where known, 0 in the hole."""
    known = np.ones(shape, np.float32)
    cv2.fillConvexPoly(known, np.array([[70, 10], [90, 10], [140, 110], [20, 110]], np.int32), 0.0)
    return known


def test_the_fill_continues_a_graded_backdrop_across_a_wide_hole():
    # given a backdrop graded from left to right with a removed gown's cone in it
    backdrop = _graded_backdrop()
    known = _wide_hole(backdrop.shape[:2])
    hole = known == 0
    # when the hole is filled
    filled = harmonic_fill(backdrop * known[..., None], known)
    # then the fill follows the grade (within 2 levels everywhere), where the pyramid average was
    # off by more, the fill reading as a silhouette of the gown
    assert np.abs(filled[hole] - backdrop[hole]).max() < 2.0
    pyramid = push_pull(backdrop * known[..., None], known)
    assert np.abs(pyramid[hole] - backdrop[hole]).max() > 3.0


def test_the_fill_keeps_every_known_pixel():
    # given a backdrop with a hole
    backdrop = _graded_backdrop()
    known = _wide_hole(backdrop.shape[:2])
    # when it is filled
    filled = harmonic_fill(backdrop * known[..., None], known)
    # then the known pixels are untouched
    assert np.array_equal(filled[known > 0], backdrop[known > 0])


def _dress_with_glow():
    """A shopper in a dress on a plain backdrop, the photo lit so a bright rim lies on the backdrop
    along the dress's outline (parsed as background)."""
    shopper = shopper_in_a_dress()
    dress = (shopper.parsing == C.UPPER_CLOTHES).astype(np.uint8)
    around = cv2.dilate(dress, np.ones((2 * GLOW_WIDTH + 1, 2 * GLOW_WIDTH + 1), np.uint8)) > 0
    glow = around & (shopper.parsing == C.BACKGROUND)
    image = shopper.image.astype(np.int16)
    image[glow] += GLOW
    shopper.image = np.clip(image, 0, 255).astype(np.uint8)
    return shopper, glow


def test_the_dresss_glow_on_the_backdrop_goes_with_the_dress():
    # given a shopper in a dress whose outline glows on the backdrop
    shopper, glow = _dress_with_glow()
    backdrop = np.array([230, 230, 230])
    assert glow.sum() > 300
    # when her clean plate is made
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then the glow is (nearly) gone: no rim round the removed dress
    lifted = plate[glow].astype(int) - backdrop
    assert np.abs(lifted).max(axis=1).mean() < 3.0
    assert np.abs(lifted).max() < GLOW


def test_the_seam_leaves_her_and_the_backdrop_farther_out_alone():
    # given the same shopper
    shopper, _glow = _dress_with_glow()
    skeleton = body_skeleton(shopper)
    reach = shopper.height / warp_body.TUNING.seam_rows
    dress = (shopper.parsing == C.UPPER_CLOTHES).astype(np.uint8)
    distance = cv2.distanceTransform(1 - dress, cv2.DIST_L2, 3)
    # when her clean plate is made
    plate = clean_plate(shopper, skeleton)
    # then her face, arms and legs, and the backdrop beyond the seam's reach, are her photo's pixels
    kept = np.isin(shopper.parsing, (C.FACE, C.HAIR, C.ARMS, C.LEGS)) | (
        (shopper.parsing == C.BACKGROUND) & (distance > reach + 2)
    )
    removed_rim = cv2.dilate(dress, np.ones((9, 9), np.uint8)) > 0  # the garment rim cleaned by design
    kept &= ~removed_rim
    assert kept.sum() > 10_000
    assert np.array_equal(plate[kept], shopper.image[kept])
