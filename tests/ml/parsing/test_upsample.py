"""Small labels brought back to the photo's size along its edges (``ml.parsing.upsample``)."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from ml.parsing import HeuristicParser
from ml.parsing.upsample import TUNING, UpsampleTuning, upsample_labels

SCALE = 4
HEIGHT, WIDTH = 240, 160
DARK, LIGHT = (40, 50, 60), (210, 200, 190)


def _slanted_photo() -> tuple[np.ndarray, np.ndarray]:
    """A photo split by a slanted edge (dark left of x = 40 + y / 3) and its true labels (1 left, 2 right)."""
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH]
    left = xs < 40 + ys / 3
    image = np.where(left[..., None], np.array(DARK, np.uint8), np.array(LIGHT, np.uint8)).astype(np.uint8)
    return image, np.where(left, 1, 2).astype(np.uint8)


def _small(labels: np.ndarray) -> np.ndarray:
    return cv2.resize(labels, (WIDTH // SCALE, HEIGHT // SCALE), interpolation=cv2.INTER_NEAREST)


def _edge_columns(labels: np.ndarray) -> np.ndarray:
    """Per row, the first column of class 2."""
    return np.argmax(labels == 2, axis=1)


def test_labels_already_at_the_photos_size_are_returned_as_they_are():
    # given labels as large as the photo
    image, truth = _slanted_photo()
    # when they are scaled up
    out = upsample_labels(truth, image)
    # then nothing changes
    assert out is truth


def test_a_label_edge_follows_the_photos_edge_instead_of_stepping():
    # given a slanted edge in the photo and its labels read at a quarter of the size
    image, truth = _slanted_photo()
    small = _small(truth)
    # when the labels are scaled back pixel-wise and along the photo's edges
    nearest = cv2.resize(small, (WIDTH, HEIGHT), interpolation=cv2.INTER_NEAREST)
    out = upsample_labels(small, image)
    # then pixel-wise scaling misses the edge by whole steps, while the guided labels sit on it
    assert out.shape == (HEIGHT, WIDTH) and out.dtype == np.uint8
    assert int((nearest != truth).sum()) > 200
    assert int((out != truth).sum()) == 0
    steps = np.abs(np.diff(_edge_columns(out).astype(int)))
    assert steps.max() <= 1
    assert np.abs(np.diff(_edge_columns(nearest).astype(int))).max() >= 2


def test_without_an_edge_in_the_photo_the_label_edge_runs_smoothly():
    # given a flat grey photo and slanted labels read at a quarter of the size
    _, truth = _slanted_photo()
    flat = np.full((HEIGHT, WIDTH, 3), 128, np.uint8)
    small = _small(truth)
    # when they are scaled up
    out = upsample_labels(small, flat)
    # then the edge moves by at most a pixel per row and stays within a small-label pixel of the truth
    columns = _edge_columns(out).astype(int)
    assert np.abs(np.diff(columns)).max() <= 1
    assert np.abs(columns - _edge_columns(truth).astype(int)).max() <= SCALE


def test_away_from_label_edges_the_labels_are_kept():
    # given labels that disagree with the photo far from any label edge (a class-3 block where the
    # photo is uniformly dark), read at a quarter of the size
    image, truth = _slanted_photo()
    labels = truth.copy()
    labels[100:180, 0:16] = 3
    small = _small(labels)
    band = cv2.dilate(small, np.ones((3, 3), np.uint8)) != cv2.erode(small, np.ones((3, 3), np.uint8))
    far = cv2.resize((~band).astype(np.uint8), (WIDTH, HEIGHT), interpolation=cv2.INTER_NEAREST) > 0
    nearest = cv2.resize(small, (WIDTH, HEIGHT), interpolation=cv2.INTER_NEAREST)
    # when they are scaled up
    out = upsample_labels(small, image)
    # then every pixel more than a small-label pixel away from an edge keeps its class
    assert far.sum() > 0.5 * HEIGHT * WIDTH
    assert np.array_equal(out[far], nearest[far])
    assert int((out[110:170, 0:8] == 3).sum()) == 60 * 8


def test_a_thin_strap_that_the_photo_shows_survives():
    # given a dark strap two small-label pixels wide on a light photo, labelled as class 4
    image = np.full((HEIGHT, WIDTH, 3), LIGHT, np.uint8)
    image[:, 72:80] = DARK
    labels = np.full((HEIGHT, WIDTH), 2, np.uint8)
    labels[:, 72:80] = 4
    # when its labels read at a quarter of the size are scaled up
    out = upsample_labels(_small(labels), image)
    # then the strap is still there, on the photo's strap
    assert np.array_equal(np.unique(out[:, 72:80]), [4])
    assert int((out == 4).sum()) == HEIGHT * 8


def test_labels_read_at_an_eighth_of_the_size_still_follow_the_photos_edge():
    # given the slanted photo and its labels read at an eighth of its size
    image, truth = _slanted_photo()
    small = cv2.resize(truth, (WIDTH // 8, HEIGHT // 8), interpolation=cv2.INTER_NEAREST)
    # when they are scaled up
    out = upsample_labels(small, image)
    # then every row's edge is where the photo's is
    assert out.shape == (HEIGHT, WIDTH)
    assert np.array_equal(_edge_columns(out), _edge_columns(truth))


@pytest.mark.parametrize("field", [field.name for field in dataclasses.fields(UpsampleTuning)])
def test_changing_any_upsampling_number_changes_the_parsers_version(field):
    # given an upsampling config with one number changed
    value = getattr(TUNING, field)
    changed = dataclasses.replace(TUNING, **{field: value + 1 if isinstance(value, int) else value * 2})
    # when a parser is built with it
    # then its version differs from the default parser's
    assert HeuristicParser(upsample=changed).version != HeuristicParser().version
