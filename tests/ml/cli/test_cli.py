import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from ml.cli import main
from tests.support.paths import REPO_ROOT


@pytest.mark.slow
def test_pose_json_prints_keypoints_in_original_pixels(people_dir, capsys, analyses):
    # when the pose command runs on a real photo
    status = main(["pose", str(people_dir / "onmodel_16.jpg"), "--json"])
    # then it prints JSON with 18 named keypoints, null for the missing ones, and the checks
    out = json.loads(capsys.readouterr().out)
    assert status == 0
    assert out["size"] == {"width": 420, "height": 560}
    assert len(out["keypoint_names"]) == 18
    assert out["keypoints"]["right_ankle"] is None
    expected = analyses["onmodel_16"].keypoints[1]
    assert out["keypoints"]["neck"] == pytest.approx(expected.tolist(), abs=0.06)
    assert out["view"] == "front"
    assert out["coverage"]["legs"] is False
    assert "legs_not_visible" in [f["code"] for f in out["findings"]]


@pytest.mark.slow
def test_parse_writes_class_ids_at_the_photo_size(people_dir, tmp_path, analyses):
    labels_path, overlay_path = tmp_path / "labels.png", tmp_path / "overlay.png"
    status = main(
        ["parse", str(people_dir / "onmodel_04.jpg"), "-o", str(labels_path), "--overlay", str(overlay_path)]
    )
    labels = Image.open(labels_path)
    assert status == 0
    assert labels.mode == "L" and labels.size == (420, 560)
    assert np.array_equal(np.asarray(labels), analyses["onmodel_04"].parsing)
    assert Image.open(overlay_path).width == 420


def test_bad_input_exits_2_with_a_sentence(tmp_path, capsys):
    # given a text file named like a photo
    fake = tmp_path / "me.jpg"
    fake.write_text("not a photo")
    # when both commands run on it, then exit status 2 and one clear sentence, no file written
    assert main(["pose", str(fake)]) == 2
    assert capsys.readouterr().err.strip() == (
        "error: This file is not an image we can read (use a JPEG, PNG or WebP photo)."
    )
    assert main(["parse", str(fake), "-o", str(tmp_path / "out.png")]) == 2
    assert not (tmp_path / "out.png").exists()


def test_photo_without_a_person_exits_2(tmp_path, capsys):
    blank = tmp_path / "wall.png"
    Image.new("RGB", (200, 300), (120, 120, 120)).save(blank)
    assert main(["pose", str(blank), "--json"]) == 2
    assert "could not find a person" in capsys.readouterr().err


def test_module_entry_point_exits_non_zero_on_a_missing_file(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "ml", "pose", str(tmp_path / "missing.jpg")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert "There is no image file at" in result.stderr
