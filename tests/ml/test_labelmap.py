"""Label maps scaled up without stairs (``ml.labelmap``)."""

import cv2
import numpy as np

from ml.labelmap import upscale_labels


def _diagonal(size: int = 40) -> np.ndarray:
    """Label 5 left of a diagonal, 2 right of it, a square of 7 in a corner."""
    ys, xs = np.mgrid[0:size, 0:size]
    labels = np.where(xs < ys, 5, 2).astype(np.uint8)
    labels[:8, size - 8 :] = 7
    return labels


def test_a_diagonal_boundary_scaled_four_times_has_no_stairs():
    # given a diagonal boundary between two labels at 40x40
    labels = _diagonal()
    # when it is scaled to 160x160 the nearest-neighbour way and the smooth way
    nearest = cv2.resize(labels, (160, 160), interpolation=cv2.INTER_NEAREST)
    smooth = upscale_labels(labels, (160, 160), softness=0.6)

    def boundary(image):
        rows = range(40, 150)
        return np.array([int(np.argmax(image[y] != 5)) if image[y, 0] == 5 else 0 for y in rows])

    # then nearest-neighbour moves the boundary in 4 px steps every 4 rows, the smooth way about 1 px
    # every row (the boundary's slope)
    assert np.abs(np.diff(boundary(nearest))).max() == 4
    assert np.abs(np.diff(boundary(smooth))).max() <= 2
    # and away from the boundaries the labels are the same
    far = cv2.erode(
        (nearest == cv2.dilate(nearest, np.ones((9, 9), np.uint8))).astype(np.uint8), np.ones((9, 9))
    )
    far &= cv2.erode(
        (nearest == cv2.erode(nearest, np.ones((9, 9), np.uint8))).astype(np.uint8), np.ones((9, 9))
    )
    assert far.sum() > 10000
    assert np.array_equal(smooth[far > 0], nearest[far > 0])


def test_only_the_input_labels_come_out_and_the_dtype_is_kept():
    labels = _diagonal()
    out = upscale_labels(labels, (123, 97), softness=0.6)
    assert out.shape == (123, 97) and out.dtype == labels.dtype
    assert set(np.unique(out)) == {2, 5, 7}
