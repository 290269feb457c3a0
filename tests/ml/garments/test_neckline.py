"""The inside of an invisible mannequin's back neckline leaves the packshot's mask (issue 10): on a
constructed tee whose inner back is known, and on fixture packshots of the tune part."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ml.garments import packshot_mask, prepare_packshot
from ml.garments.neckline import TUNING, _vertical_edges, front_neckline, inner_back
from ml.intake import load_image

GROUND = 246.0
FRONT = 232.0
INNER = 170.0  # the inside of the back, in the shade of the front
CENTRE = 300
CORNERS = (250, 350)  # the neckline corners' columns
CORNER_ROW = 110
FRONT_DEPTH = 46  # px: the front neckline's centre below the corners


def _front_rows(xs: np.ndarray) -> np.ndarray:
    u = np.clip(np.abs(xs - CENTRE) / ((CORNERS[1] - CORNERS[0]) / 2), 0, 1)
    return CORNER_ROW + FRONT_DEPTH * (1 - u**3)


def _tee(inner: float) -> tuple[np.ndarray, np.ndarray]:
    """A short-sleeved tee on a light ground, its back collar dipping only 6 px at the centre, and
    the bool region above its front neckline painted ``inner``; (image, inner back region)."""
    height, width = 600, 600
    outline = np.zeros((height, width), np.uint8)
    collar = [(x, CORNER_ROW + round(6 * (1 - ((x - CENTRE) / 50) ** 2))) for x in range(250, 351, 5)]
    polygon = [(350, 110), (430, 124), (510, 230), (450, 262), (410, 205), (410, 540), (190, 540)]
    polygon += [(190, 205), (150, 262), (90, 230), (170, 124), (250, 110), *collar]
    cv2.fillPoly(outline, [np.array(polygon, np.int32)], 1)
    rows, columns = np.mgrid[0:height, 0:width]
    above_front = (rows < _front_rows(columns.astype(np.float64))) & (np.abs(columns - CENTRE) < 50)
    region = (outline > 0) & above_front
    rng = np.random.default_rng(0)
    fabric = np.where(region, inner, FRONT) + rng.normal(0, 1.0, (height, width))
    cover = cv2.GaussianBlur(outline.astype(np.float32), (0, 0), 0.7)
    grey = cover * fabric + (1 - cover) * GROUND
    return np.repeat(np.clip(grey, 0, 255).astype(np.uint8)[..., None], 3, axis=2), region


def test_a_tees_inner_back_leaves_its_mask_and_nothing_else_does():
    # given a tee whose inside back shows grey above its front neckline
    image, region = _tee(INNER)
    # when the packshot is prepared
    packshot = prepare_packshot(image, "top")
    # then the inner back is out of the mask, but for the anti-aliased rows along the front neckline
    kept = packshot.mask > 127
    away_from_front = region & (np.arange(600)[:, None] < _front_rows(np.arange(600.0))[None, :] - 3)
    assert away_from_front.sum() > 1500
    # (at most slivers at its two ends: the found curve's width follows the neckline corners read on
    # the outline, a few px inside the collar's ends)
    assert kept[away_from_front].mean() <= 0.02
    assert kept[away_from_front & (np.abs(np.arange(600) - CENTRE) < 42)[None, :]].sum() == 0
    # and the front below the neckline, the body and the sleeves are exactly the cut-out's
    cut = packshot_mask(image)
    elsewhere = ~region
    elsewhere[:, CORNERS[0] - 5 : CORNERS[1] + 6] &= np.arange(600)[:, None] > 170
    assert np.array_equal(packshot.mask[elsewhere], cut[elsewhere])
    # and the front neckline found runs within 3 px of the true one
    found = front_neckline(image, cut, packshot.structure)
    assert found is not None
    xs = np.arange(CORNERS[0] + 10, CORNERS[1] - 10, dtype=np.float64)
    assert np.abs(found.rows(xs) - _front_rows(xs)).max() <= 3.0


def test_a_tee_without_an_inner_back_keeps_its_whole_mask():
    # given the same tee with its neck opening filled by the front's own fabric (no edge in it)
    image, _region = _tee(FRONT)
    # when the packshot is prepared
    packshot = prepare_packshot(image, "top")
    # then nothing is taken out of the cut-out
    assert inner_back(image, packshot_mask(image), packshot.structure) is None
    assert np.array_equal(packshot.mask, packshot_mask(image))


def _fixture(people_dir, name: str) -> np.ndarray:
    return load_image(people_dir.parent / "vton" / "garments" / name)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["07764_00.jpg", "07382_00.jpg", "00151_00.jpg"])
def test_fixture_tops_lose_their_inner_back_but_keep_their_front(people_dir, name):
    # given a tee, a tank and a striped top of the tune part, each showing its inner back label
    image = _fixture(people_dir, name)
    cut = packshot_mask(image)
    # when the packshot is prepared
    packshot = prepare_packshot(image, "top")
    structure = packshot.structure
    axis = round(structure.axis_x)
    top = int(np.argmax(cut[:, axis] > 127))
    found = front_neckline(image, cut, structure)
    assert found is not None
    front = float(found.rows(np.array([float(axis)]))[0])
    # then at the axis the rows between the back collar and the front neckline are out of the mask
    assert front - top > 10
    assert (packshot.mask[top + 2 : int(front) - 2, axis] < 128).all()
    # and the front below the neckline is kept, as is every pixel outside the neckline's columns
    assert (packshot.mask[int(front) + 4 : int(front) + 40, axis] > 127).all()
    outside = np.ones(cut.shape, bool)
    outside[:, int(found.axis_x - found.half_width) - 1 : int(found.axis_x + found.half_width) + 2] = False
    assert np.array_equal(packshot.mask[outside], cut[outside])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "kind"),
    [("052234_1.jpg", "dress"), ("053744_1.jpg", "dress"), ("10297_00.jpg", "top"), ("048769_1.jpg", "top")],
    ids=["smocked-square-neck", "deep-v-tulle", "bandeau", "cami"],
)
def test_fixture_garments_with_no_inner_back_keep_their_mask(people_dir, name, kind):
    # given a smocked square neckline, a deep V, a bandeau and a cami (their outline is their neckline)
    image = _fixture(people_dir, name)
    # when the packshot is prepared
    packshot = prepare_packshot(image, kind)
    # then its mask is the cut-out's, untouched
    assert np.array_equal(packshot.mask, packshot_mask(image))


def test_the_vertical_edges_are_the_chroma_weighted_lab_distance_above_and_below():
    # given a photo-sized image of random colours with a few sharp bands
    rng = np.random.default_rng(7)
    image = rng.integers(0, 256, (240, 180, 3), dtype=np.uint8)
    image[100:140] = (200, 40, 40)
    half = 60.0
    # when its edges are taken (channels scaled in one pass, one sum of squares)
    edges = _vertical_edges(image, half, TUNING)
    # then they are exactly the Lab distance computed channel by channel, lightness in 0..100,
    # chroma centred and weighted, between the blurred colours a little above and below
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    lab[..., 0] *= 100.0 / 255.0
    lab[..., 1:] -= 128.0
    lab = cv2.GaussianBlur(lab, (0, 0), max(1.0, TUNING.blur * half))
    offset = max(1, round(TUNING.edge_offset * half))
    difference = lab[2 * offset :] - lab[: -2 * offset]
    difference[..., 1:] *= TUNING.chroma_weight
    expected = np.zeros(image.shape[:2], np.float32)
    expected[offset:-offset] = np.linalg.norm(difference, axis=2)
    np.testing.assert_allclose(edges, expected, rtol=1e-5, atol=1e-3)
    assert edges[:offset].max() == 0.0 and edges[-offset:].max() == 0.0
    assert float(edges[100 - offset : 100 + offset].max()) > 30.0
