"""ml.garments.packshot_mask: the garment of a packshot on its light background, without the
thresholded mask's holes, shadow and hard edge."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from ml.errors import InvalidImage
from ml.garments import draw_packshot, packshot_mask
from ml.types import GarmentKind


def thresholded(image: np.ndarray) -> np.ndarray:
    """The plain threshold against the paper the store used before (for comparison)."""
    rgb = image.astype(np.int16)
    distance = np.abs(rgb - np.median(rgb[:4].reshape(-1, 3), axis=0)).max(axis=2)
    return (distance > 18).astype(np.uint8) * 255


@pytest.mark.parametrize(
    ("colour", "pattern", "style", "max_outside", "max_wrong"),
    [
        ((238, 232, 220), "solid", "tshirt", 0.002, 0.04),
        # the shadow in the narrow gap between a long sleeve and the body (under the flood's seal)
        # stays with the garment
        ((245, 243, 238), "stripes", "longsleeve", 0.04, 0.1),
    ],
    ids=["ivory-tee", "white-breton"],
)
def test_light_fabric_mask_has_no_holes_and_no_shadow(colour, pattern, style, max_outside, max_wrong):
    # given a near-white garment drawn on white paper with a drop shadow (true mask known)
    drawn = draw_packshot(
        kind=GarmentKind.TOP, colour=colour, pattern=pattern, seed=1, style=style, size=(384, 288)
    )
    true = drawn.mask > 127
    # and a plain threshold misses much of the fabric and takes in the shadow
    plain = thresholded(drawn.image) > 0
    assert (true & ~plain).sum() > 0.05 * true.sum()
    # when the mask is derived from the image alone
    mask = packshot_mask(drawn.image)
    # then the garment's interior is covered: no holes, only thin specks where a white stripe's
    # shaded end looks like the shadow (under 4 % of it, a tenth of what the threshold misses)
    core = cv2.erode(true.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    assert (mask[core] < 255).sum() < 0.04 * core.sum()
    assert (mask[core] < 255).sum() < 0.1 * (~plain[core]).sum()
    # and next to nothing more than 2 px outside the true outline is kept (the shadow is excluded)
    near = cv2.dilate(true.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    assert (mask[~near] > 127).sum() < max_outside * true.sum()
    # and it disagrees with the true mask on a small share of the garment's area (its rim), a
    # fourth of what the plain threshold gets wrong at most
    wrong = ((mask > 127) != true).sum()
    assert wrong < max_wrong * true.sum()
    assert wrong < 0.25 * (plain != true).sum()


def test_dark_fabric_edge_is_anti_aliased_like_the_drawing():
    # given a navy tee whose drawn mask has an anti-aliased edge
    drawn = draw_packshot(kind=GarmentKind.TOP, colour=(35, 45, 80), seed=1, style="tshirt", size=(384, 288))
    # when the mask is derived
    mask = packshot_mask(drawn.image)
    # then its edge is soft too: partial values along the outline, not a 0/255 step
    partial = (mask > 25) & (mask < 230)
    outline = cv2.morphologyEx(
        (drawn.mask > 127).astype(np.uint8), cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)
    )
    assert partial.sum() > 0.2 * outline.sum()
    wide = cv2.dilate(outline, np.ones((5, 5), np.uint8))
    assert partial[wide == 0].sum() < 0.05 * partial.sum()
    # and it follows the drawn coverage within 12 % on average over the edge
    edge = outline > 0
    error = np.abs(mask[edge].astype(float) - drawn.mask[edge].astype(float)).mean() / 255
    assert error < 0.12


def test_blank_paper_gives_an_empty_mask_and_bad_input_a_clear_error():
    # given plain paper
    paper = np.full((64, 48, 3), 248, np.uint8)
    # then no garment is found
    assert packshot_mask(paper).max() == 0
    # and a grey image or a tiny one is refused with a sentence
    with pytest.raises(InvalidImage, match="RGB image"):
        packshot_mask(np.zeros((64, 48), np.uint8))
    with pytest.raises(InvalidImage, match="16 px"):
        packshot_mask(np.zeros((8, 8, 3), np.uint8))


def test_the_pipeline_prepares_packshots_with_the_garments_function(monkeypatch):
    # the pipeline the store calls has no cut-out code of its own: it calls ml.garments.prepare_packshot
    import ml.garments

    calls = []

    def spy(image, kind, landmarks=None):
        calls.append((image.shape, str(kind), landmarks))
        raise InvalidImage("stop here")

    monkeypatch.setattr(ml.garments, "prepare_packshot", spy)
    drawn = draw_packshot(kind=GarmentKind.TOP, colour=(35, 45, 80), seed=1, style="tshirt", size=(96, 72))
    buffer = io.BytesIO()
    Image.fromarray(drawn.image).save(buffer, format="PNG")
    with pytest.raises(InvalidImage, match="stop here"):
        ml.pipeline.analyse_packshot(buffer.getvalue(), kind="top", landmarks=None)
    assert calls == [((96, 72, 3), "top", None)]
