"""Labels parsed on a small copy of a photo, brought back to the photo's size along its edges.

Scaled up pixel by pixel, labels read at a third of the photo's height have edges in steps of
three pixels or more; the renderer pastes the shopper's arms, hair and face over a garment
along those edges, and reviewers saw the steps as jagged outlines. Near a label edge each class's
share is instead filtered with the photo as the guide (He et al.'s guided filter, in its fast form:
the local linear model from colour to share is fitted on the small copy and applied to the photo's
own pixels), and the class with the largest share wins: edges follow the photo's edges where it
has them and run smoothly where it has none. Away from edges the labels are kept as they were.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class UpsampleTuning:
    radius_cells: int = 2  # the guided filter's window radius, in the small labels' pixels
    # colour contrast (share of the 0..255 range) well below which a change in the photo is not an
    # edge: the guided filter's regularisation is its square
    edge_contrast: float = 0.03
    band_cells: int = 1  # small-label pixels either side of an edge that may change class


TUNING = UpsampleTuning()


def upsample_labels(labels: np.ndarray, image: np.ndarray, tuning: UpsampleTuning = TUNING) -> np.ndarray:
    """``labels`` (h, w) uint8 read on a smaller copy of ``image`` (H, W, 3 uint8 RGB), at (H, W)."""
    height, width = image.shape[:2]
    if labels.shape == (height, width):
        return labels
    out = cv2.resize(labels, (width, height), interpolation=cv2.INTER_NEAREST)
    small_band = _edge_band(labels, tuning.band_cells)
    if not small_band.any():
        return out
    # only the small copy's box around the edges is modelled
    sh, sw = labels.shape
    rows, cols = np.flatnonzero(small_band.any(axis=1)), np.flatnonzero(small_band.any(axis=0))
    pad = 2 * tuning.radius_cells + 1
    y0, y1 = max(0, rows[0] - pad), min(sh, rows[-1] + pad + 1)
    x0, x1 = max(0, cols[0] - pad), min(sw, cols[-1] + pad + 1)
    guide = cv2.resize(image, (sw, sh), interpolation=cv2.INTER_AREA)[y0:y1, x0:x1].astype(np.float32)
    crop = labels[y0:y1, x0:x1]
    model = _LinearModels(guide, tuning.radius_cells, (tuning.edge_contrast * 255.0) ** 2)
    band = cv2.resize(small_band.astype(np.uint8), (width, height), interpolation=cv2.INTER_NEAREST) > 0
    ys, xs = np.nonzero(band)
    # where on the small copy (and its box) each band pixel lies, at pixel centres
    sx = ((xs + 0.5) * sw / width - 0.5 - x0).astype(np.float32)
    sy = ((ys + 0.5) * sh / height - 0.5 - y0).astype(np.float32)
    cell_x = np.clip(np.floor((xs + 0.5) * sw / width).astype(np.int64) - x0, 0, x1 - x0 - 1)
    cell_y = np.clip(np.floor((ys + 0.5) * sh / height).astype(np.int64) - y0, 0, y1 - y0 - 1)
    pixels = image[ys, xs].astype(np.float32)
    best = np.full(len(xs), -np.inf, np.float32)
    winner = out[ys, xs]
    touch = np.ones((2 * tuning.band_cells + 1,) * 2, np.uint8)
    for cls in np.unique(crop[small_band[y0:y1, x0:x1]]):
        member = crop == cls
        # a pixel may only take a class that touches its small-label pixel
        near = (cv2.dilate(member.astype(np.uint8), touch) > 0)[cell_y, cell_x]
        at = _bilinear(model.coefficients(member), sx[near], sy[near])
        share = (at[:, :3] * pixels[near]).sum(axis=1) + at[:, 3]
        better = share > best[near]
        index = np.flatnonzero(near)[better]
        best[index] = share[better]
        winner[index] = cls
    out[ys, xs] = winner
    return out


class _LinearModels:
    """Per small-copy pixel, the guided filter's linear model from a guide colour to a class's share,
    fitted over the window around it (the colour statistics are shared by every class)."""

    def __init__(self, guide: np.ndarray, radius: int, eps: float) -> None:
        self.guide = guide
        self.size = (2 * radius + 1, 2 * radius + 1)
        self.mean = self._box(guide)
        pairs = [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]
        moments = self._box(np.dstack([guide[..., i] * guide[..., j] for i, j in pairs]))
        m = self.mean
        c = {pair: moments[..., k] - m[..., pair[0]] * m[..., pair[1]] for k, pair in enumerate(pairs)}
        for i in range(3):
            c[(i, i)] = c[(i, i)] + eps
        # the inverse of the symmetric 3x3 covariance, by cofactors (one per pixel)
        a, b, d = c[(0, 0)], c[(0, 1)], c[(0, 2)]
        e, f, g = c[(1, 1)], c[(1, 2)], c[(2, 2)]
        cof = {
            (0, 0): e * g - f * f,
            (0, 1): d * f - b * g,
            (0, 2): b * f - d * e,
            (1, 1): a * g - d * d,
            (1, 2): b * d - a * f,
            (2, 2): a * e - b * b,
        }
        det = a * cof[(0, 0)] + b * cof[(0, 1)] + d * cof[(0, 2)]
        self.inverse = {pair: value / det for pair, value in cof.items()}

    def _box(self, values: np.ndarray) -> np.ndarray:
        return cv2.boxFilter(values, -1, self.size, borderType=cv2.BORDER_REFLECT)

    def coefficients(self, member: np.ndarray) -> np.ndarray:
        """For the class whose small-label pixels ``member`` marks: per small-copy pixel the averaged
        model (h, w, 4), three colour slopes and an offset, giving its share from a colour."""
        share = member.astype(np.float32)
        mean_share = self._box(share)
        cross = self._box(self.guide * share[..., None]) - self.mean * mean_share[..., None]
        inv = self.inverse
        slope = [sum(inv[(min(i, j), max(i, j))] * cross[..., j] for j in range(3)) for i in range(3)]
        offset = mean_share - sum(slope[i] * self.mean[..., i] for i in range(3))
        return self._box(np.dstack([*slope, offset]))


def _bilinear(values: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``values`` (h, w, c) sampled at the points (``x``, ``y``), clamped to the edges: (N, c)."""
    height, width = values.shape[:2]
    flat = values.reshape(height * width, -1)
    x = np.clip(x, 0.0, width - 1.0)
    y = np.clip(y, 0.0, height - 1.0)
    x0, y0 = np.floor(x).astype(np.int64), np.floor(y).astype(np.int64)
    x1, y1 = np.minimum(x0 + 1, width - 1), np.minimum(y0 + 1, height - 1)
    fx, fy = (x - x0)[:, None], (y - y0)[:, None]
    top = flat[y0 * width + x0] * (1 - fx) + flat[y0 * width + x1] * fx
    bottom = flat[y1 * width + x0] * (1 - fx) + flat[y1 * width + x1] * fx
    return top * (1 - fy) + bottom * fy


def _edge_band(labels: np.ndarray, cells: int) -> np.ndarray:
    """Pixels within ``cells`` of a pixel of another class."""
    size = 2 * cells + 1
    kernel = np.ones((size, size), np.uint8)
    return cv2.dilate(labels, kernel) != cv2.erode(labels, kernel)


__all__ = ["TUNING", "UpsampleTuning", "upsample_labels"]
