"""Garment structure of real packshots: armpits at the corner under each sleeve, sleeves that end at
their own opening (not down a dress's skirt), sleeveless cuts left without sleeves."""

from __future__ import annotations

import numpy as np
import pytest

from ml.garments import prepare_packshot
from ml.intake import load_image

pytestmark = pytest.mark.slow


def _landmarks(people_dir, name: str, kind: str) -> dict[str, np.ndarray]:
    packshot = prepare_packshot(load_image(people_dir.parent / "vton" / "garments" / name), kind)
    return {k: np.array(v) for k, v in packshot.landmarks.items()}


@pytest.mark.parametrize("name", ["12562_00.jpg", "00126_00.jpg", "03244_00.jpg"])
def test_a_tees_sleeves_reach_out_past_its_armpits_and_end_above_its_hem(people_dir, name):
    # given a tee laid flat (white Minnie tee, two-tone FILA tee, black print tee; tune split)
    lm = _landmarks(people_dir, name, "top")
    width = lm["hem_left"][0] - lm["hem_right"][0]
    for side, sign in (("right", -1), ("left", 1)):
        # then each sleeve's opening lies outside its armpit, and well above the hem
        cuff = (lm[f"sleeve_{side}_outer"] + lm[f"sleeve_{side}_inner"]) / 2
        assert sign * (cuff[0] - lm[f"armpit_{side}"][0]) > 0.1 * width
        assert cuff[1] < lm[f"hem_{side}"][1] - 0.3 * (lm[f"hem_{side}"][1] - lm[f"shoulder_{side}"][1])
        # and the armpit is below the shoulder, inside the sleeve's reach
        assert lm[f"armpit_{side}"][1] > lm[f"shoulder_{side}"][1]


def test_a_puff_sleeved_dress_has_its_sleeves_above_the_waist_not_down_the_skirt(people_dir):
    lm = _landmarks(people_dir, "052234_1.jpg", "dress")
    for side in ("right", "left"):
        for corner in ("outer", "inner"):
            assert lm[f"sleeve_{side}_{corner}"][1] < lm[f"waist_{side}"][1]


@pytest.mark.parametrize("name", ["048769_1.jpg", "07382_00.jpg"])
def test_a_cami_and_a_crop_tank_are_sleeveless(people_dir, name):
    # given a strappy cami and a sleeveless crop top (tune split), then they have no sleeves:
    # the sleeve landmarks sit on the shoulder and the armpit, as for every sleeveless cut
    lm = _landmarks(people_dir, name, "top")
    for side in ("right", "left"):
        assert np.allclose(lm[f"sleeve_{side}_outer"], lm[f"shoulder_{side}"])
        assert np.allclose(lm[f"sleeve_{side}_inner"], lm[f"armpit_{side}"])
