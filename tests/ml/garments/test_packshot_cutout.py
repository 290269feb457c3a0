"""Cut-outs of packshots whose garment is the colour of the ground (issue: real packshots).

Constructed: a white tee composited on a white and on a light grey ground, with fabric grain and JPEG
compression, its true outline known. Fixtures: the development split's white tees on white and light
grey; before the flood-fill cut-out they came out as their printed motif alone."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from ml.garments import draw_packshot, packshot_mask
from ml.intake import load_image
from ml.types import GarmentKind


def _composited(ground: tuple[int, int, int], fabric: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """A tee of ``fabric`` (with grain and a little shading) on a flat ``ground``, JPEG-compressed."""
    drawn = draw_packshot(
        kind=GarmentKind.TOP, colour=(120, 120, 120), seed=2, style="tshirt", size=(384, 288)
    )
    true = drawn.mask > 127
    rng = np.random.default_rng(0)
    image = np.empty((*true.shape, 3), np.float32)
    image[:] = ground
    grain = rng.normal(0, 1.2, true.shape)[..., None]
    shade = np.linspace(-4, 2, true.shape[1])[None, :, None]
    image[true] = (np.array(fabric, np.float32) + grain + shade)[true]
    buffer = io.BytesIO()
    Image.fromarray(np.clip(image, 0, 255).astype(np.uint8)).save(buffer, format="JPEG", quality=92)
    return np.asarray(Image.open(buffer).convert("RGB")), true


@pytest.mark.parametrize(
    ("ground", "fabric"),
    [((246, 246, 246), (244, 244, 242)), ((236, 236, 236), (247, 246, 244))],
    ids=["white-on-white", "white-on-light-grey"],
)
def test_a_white_tee_on_a_ground_of_its_own_colour_keeps_its_whole_body(ground, fabric):
    # given a white tee composited on white (or light grey) paper, a shade apart from it
    image, true = _composited(ground, fabric)
    # when it is cut out
    mask = packshot_mask(image) > 127
    # then the cut-out is the tee: at least 95 % overlap with its true outline
    overlap = (mask & true).sum() / (mask | true).sum()
    assert overlap > 0.95


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "min_share", "min_width"),
    [("12562_00.jpg", 0.35, 0.75), ("07764_00.jpg", 0.3, 0.7), ("050105_1.jpg", 0.4, 0.85)],
)
def test_fixture_white_tees_are_cut_out_whole_not_as_their_motif(people_dir, name, min_share, min_width):
    # given a white tee packshot of the tune split (white or light grey ground)
    image = load_image(people_dir.parent / "vton" / "garments" / name)
    # when it is cut out
    mask = packshot_mask(image) > 127
    # then the cut-out spans the tee, sleeves included (its motif alone covers a quarter of that)
    cols = np.flatnonzero(mask.any(axis=0))
    assert mask.mean() > min_share
    assert (cols[-1] - cols[0]) / mask.shape[1] > min_width
