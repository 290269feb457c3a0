"""Straps thinner than a pixel of the work-size copy, found again at the photo's resolution
(``ml/parsing/heuristic/straps.py``): a dark strap from the top's upper edge over the shoulder to
the outline is the top; a necklace, a strand along the outline and skin in shade stay skin.

The label maps are drawn at a photo's size with the labels the work-size pass gives (the strap
called skin); the photo test checks the straps of a real tune photo.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from ml.analysis import analyze_file
from ml.parsing.heuristic.straps import thin_straps
from ml.parsing.heuristic.tuning import TUNING
from ml.types import KP, NUM_KEYPOINTS
from ml.types import ParsingClass as C

WIDTH, HEIGHT = 400, 500
SKIN = (226, 180, 155)
SKIN_IN_SHADE = (190, 140, 115)
TOP = (25, 25, 28)
PAPER = (240, 240, 240)
SHOULDERS = {"right_shoulder": (120, 150), "left_shoulder": (280, 150)}
TOP_EDGE = 230  # half a shoulder span below the shoulders


def _figure() -> tuple[np.ndarray, np.ndarray]:
    """Labels and image: a head and neck, bare shoulders and chest (face and arms), a black top
    below ``TOP_EDGE``, the background round them."""
    labels = np.zeros((HEIGHT, WIDTH), np.uint8)
    cv2.ellipse(labels, (200, 60), (45, 55), 0, 0, 360, int(C.FACE), -1)
    cv2.rectangle(labels, (170, 100), (230, 160), int(C.FACE), -1)
    body = np.array([(100, 150), (300, 150), (320, 500), (80, 500)], np.int32)
    cv2.fillPoly(labels, [body], int(C.FACE))
    labels[150:320, 80:110] = C.ARMS
    labels[150:320, 290:320] = C.ARMS
    top = np.zeros(labels.shape, np.uint8)
    cv2.fillPoly(top, [body], 1)
    labels[(top > 0) & (np.arange(HEIGHT)[:, None] >= TOP_EDGE)] = C.UPPER_CLOTHES
    image = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    image[:] = PAPER
    image[np.isin(labels, (C.FACE, C.ARMS))] = SKIN
    image[labels == C.UPPER_CLOTHES] = TOP
    return labels, image


def _keypoints() -> np.ndarray:
    keypoints = np.full((NUM_KEYPOINTS, 2), -1.0, np.float32)
    for name, point in SHOULDERS.items():
        keypoints[KP[name]] = point
    return keypoints


def _draw(labels: np.ndarray, image: np.ndarray, points: list, colour) -> np.ndarray:
    """A 2-px line through ``points`` in ``colour`` on the image; the labels stay. Returns its mask."""
    line = np.zeros(labels.shape, np.uint8)
    cv2.polylines(line, [np.array(points, np.int32)], False, 1, 2)
    image[line > 0] = colour
    return line > 0


def _run(labels: np.ndarray, image: np.ndarray) -> np.ndarray:
    noise = np.random.default_rng(0).integers(-3, 4, image.shape)
    noisy = np.clip(image.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    out = labels.copy()
    thin_straps(out, noisy, _keypoints(), TUNING)
    return out


def test_a_dark_strap_over_the_shoulder_is_the_top():
    # given a black top whose thin strap runs from its upper edge over the shoulder to the outline
    labels, image = _figure()
    strap = _draw(labels, image, [(250, TOP_EDGE), (265, 200), (275, 151)], TOP)
    # when the straps are looked for at the photo's resolution
    out = _run(labels, image)
    # then the strap is upper clothes, and nothing away from it changed
    assert float((out[strap] == C.UPPER_CLOTHES).mean()) >= 0.9
    away = cv2.dilate(strap.astype(np.uint8), np.ones((7, 7), np.uint8)) == 0
    assert (out[away] == labels[away]).all()


def test_a_necklace_on_the_chest_stays_skin():
    # given a dark chain round the neck that hangs onto the top's upper edge in the middle of the
    # chest (farther from the shoulders than a strap runs)
    labels, image = _figure()
    _draw(labels, image, [(175, 150), (185, 220), (200, TOP_EDGE + 2), (215, 220), (225, 150)], TOP)
    # when the straps are looked for
    out = _run(labels, image)
    # then nothing changed
    assert (out == labels).all()


def test_a_dark_strand_along_the_outline_stays_skin():
    # given a dark line along the arm's and the shoulder's outline that ends on the top (a strand
    # of hair)
    labels, image = _figure()
    _draw(labels, image, [(140, 151), (101, 152), (82, 170), (82, TOP_EDGE - 5), (100, TOP_EDGE + 1)], TOP)
    # when the straps are looked for
    out = _run(labels, image)
    # then nothing changed
    assert (out == labels).all()


def test_a_line_of_shade_on_the_skin_stays_skin():
    # given a line of shade (her skin, darker) where a strap would run
    labels, image = _figure()
    _draw(labels, image, [(250, TOP_EDGE), (265, 200), (275, 151)], SKIN_IN_SHADE)
    # when the straps are looked for
    out = _run(labels, image)
    # then nothing changed
    assert (out == labels).all()


# Hand-set boxes (x0, y0, x1, y1) round the middle of each spaghetti strap in the photo's own pixels
# (768 x 1024): a black strappy top over jeans.
STRAPS = {"05997_00.jpg": [(470, 270, 515, 340), (280, 280, 320, 340)]}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(STRAPS))
def test_on_a_real_photo_the_spaghetti_straps_are_the_top(people_dir: Path, name: str):
    # given a tune photo of a strappy top with straps a pixel or two wide
    analysis = analyze_file(people_dir.parent / "vton" / "models" / name)
    # then each strap's box holds a strap's worth of upper clothes (a line at least 1 px wide)
    for x0, y0, x1, y1 in STRAPS[name]:
        assert int((analysis.parsing[y0:y1, x0:x1] == C.UPPER_CLOTHES).sum()) >= y1 - y0
