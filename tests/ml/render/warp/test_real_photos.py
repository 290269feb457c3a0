"""Real fixture photos through the real analyser and the warp renderer (and the CLI)."""

import subprocess
import sys

import cv2
import numpy as np
import pytest

from ml.cli import main
from ml.render import get_renderer
from ml.types import GarmentKind, GarmentSource, RenderMode, RenderRequest
from ml.types import ParsingClass as C
from tests.support.paths import REPO_ROOT

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("mode", [RenderMode.TRYON, RenderMode.POSE])
def test_real_render_has_the_shoppers_size_and_an_unchanged_face(real_analyses, mode):
    # given two analysed real photos
    shopper, product = real_analyses["onmodel_08"], real_analyses["onmodel_20"]
    renderer = get_renderer("warp")
    shopper.extras.update(renderer.precompute(shopper))
    # when the product's dress is rendered on the shopper
    result = renderer.render(
        RenderRequest(
            shopper=shopper, garments=(GarmentSource(kind=GarmentKind.DRESS, analysis=product),), mode=mode
        )
    )
    # then the render has the shopper photo's own resolution and a 3:4 card
    assert result.image.shape == shopper.image.shape
    height, width = result.card.shape[:2]
    assert abs(width / height - 0.75) < 0.01
    if mode == RenderMode.TRYON:
        # and the face (away from its edge) is exactly the shopper's
        face = cv2.erode((shopper.parsing == C.FACE).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
        assert face.sum() > 200
        assert np.array_equal(result.image[face], shopper.image[face])
        # and the render differs from the photo (the garment changed)
        assert np.abs(result.image.astype(int) - shopper.image.astype(int)).mean() > 3


def test_cli_tryon_writes_the_render_and_card(people_dir, tmp_path):
    out, card = tmp_path / "out.png", tmp_path / "card.png"
    status = main(
        [
            "tryon",
            "--shopper",
            str(people_dir / "onmodel_08.jpg"),
            "--product",
            str(people_dir / "onmodel_20.jpg"),
            "--kind",
            "dress",
            "-o",
            str(out),
            "--card",
            str(card),
        ]
    )
    assert status == 0
    image = cv2.imread(str(out))
    assert image.shape[:2] == (560, 420)
    assert cv2.imread(str(card)) is not None


def test_cli_tryon_refuses_bad_input_with_a_sentence(people_dir, tmp_path, capsys):
    # given a file that is not an image
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not an image")
    out = tmp_path / "out.png"
    # when it is given as the shopper photo, then as a missing product, then kinds do not match
    bad = main(
        ["tryon", "--shopper", str(junk), "--product", str(people_dir / "onmodel_20.jpg"), "-o", str(out)]
    )
    missing = main(
        ["tryon", "--shopper", str(people_dir / "onmodel_08.jpg"), "--product", "nope.jpg", "-o", str(out)]
    )
    mismatch = main(
        [
            "tryon",
            "--shopper",
            str(people_dir / "onmodel_08.jpg"),
            "--product",
            str(people_dir / "onmodel_20.jpg"),
            "--kind",
            "top",
            "--kind",
            "bottom",
            "-o",
            str(out),
        ]
    )
    # then each exits with status 2 and a sentence, and writes nothing
    assert (bad, missing, mismatch) == (2, 2, 2)
    err = capsys.readouterr().err
    assert err.count("error: ") == 3
    assert "one --kind per --product" in err
    assert not out.exists()


def test_cli_unknown_renderer_and_mode_exit_non_zero(people_dir, tmp_path):
    args = [sys.executable, "-m", "ml", "tryon", "--shopper", "a.jpg", "--product", "b.jpg", "-o", "x.png"]
    proc = subprocess.run(
        [*args, "--mode", "dance"], capture_output=True, text=True, cwd=REPO_ROOT, check=False
    )
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr
