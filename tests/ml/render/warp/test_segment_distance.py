"""``segment_distance`` is computed in place over whole photos (many times a card); its results
are those of the plain expression to the bit, for float64 and float32 grids and for scalars."""

from __future__ import annotations

import numpy as np
import pytest

from ml.render.warp.geometry import segment_distance


def _plain(px, py, a, b):
    ab = b - a
    denom = float(ab @ ab) or 1e-9
    t = np.clip(((px - a[0]) * ab[0] + (py - a[1]) * ab[1]) / denom, 0.0, 1.0)
    return np.hypot(px - (a[0] + t * ab[0]), py - (a[1] + t * ab[1]))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_in_place_distance_equals_the_plain_expression_bit_for_bit(dtype):
    # given a photo-sized grid and segments of every kind: long, short, a single point
    ys, xs = np.mgrid[0:256, 0:176].astype(dtype)
    rng = np.random.default_rng(0)
    segments = [(rng.random(2) * 300 - 50, rng.random(2) * 300 - 50) for _ in range(20)]
    segments.append((np.array([40.0, 60.0]), np.array([40.0, 60.0])))
    for a, b in segments:
        # when the distance is computed
        got = segment_distance(xs, ys, a, b)
        # then it is the plain expression's, to the bit, in its dtype, and the grid is unchanged
        want = _plain(xs, ys, a, b)
        assert got.dtype == want.dtype
        assert np.array_equal(got, want)
    assert np.array_equal(xs, np.mgrid[0:256, 0:176][1].astype(dtype))


def test_scalars_get_the_plain_expression():
    # given a single point as two floats
    a, b = np.array([0.0, 0.0]), np.array([10.0, 0.0])
    # when its distance to the segment is computed
    got = segment_distance(5.0, 3.0, a, b)
    # then it is 3 px, as the plain expression says
    assert float(got) == 3.0 == float(_plain(5.0, 3.0, a, b))
