"""The shade of the body turning away from the camera towards its sides, laid over a flat packshot.

A packshot is photographed flat (or on an invisible mannequin under even light): on the shopper it
keeps one brightness from edge to edge and reads as a cut-out pasted on ("flat pasted", the
reviewers' commonest packshot fault after leftovers). A body in a photo darkens towards its
silhouette's sides, where its surface turns away from the camera and the light. The shade is read
in the photo from the outline of all the new garment's layers together (its body, sleeves and legs
as one), so it runs on across the seams between them: shaded piece by piece (the warp-92 first
candidate shaded the packshot's body alone), a white tee's body came out as a grey panel between
bright sleeves. Only outlines that run up and down are shaded (a side, a sleeve's or a leg's edge),
not a hem, a waistband or a shoulder line.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class TurnTuning:
    """Lengths in shoulder spans."""

    shade: float = 0.25  # at its outline the garment is this much darker ...
    reach: float = 0.5  # ... falling off as a lit cylinder's edge over this distance inwards
    solid: float = 0.5  # the outline: where the layers' alpha crosses this
    # the outline's direction is read from its distance field smoothed over this length
    smoothing: float = 0.03


TUNING = TurnTuning()


def turning_shade(alpha: np.ndarray, span: float, t: TurnTuning | None = None) -> np.ndarray:
    """(H, W) float32 factors (1 - ``shade`` .. 1) for the garment whose layers' alpha over the photo
    is ``alpha``: darkest on its outline where the outline runs up and down, 1 from ``reach`` in."""
    t = t or TUNING
    inside = (alpha > t.solid).astype(np.uint8)
    factor = np.ones(alpha.shape, np.float32)
    if not inside.any() or t.shade <= 0:
        return factor
    reach = max(1.0, t.reach * span)
    # pixels outside the photo count as garment: a garment cut by the photo's edge has no outline there
    padded = cv2.copyMakeBorder(inside, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=1)
    distance = cv2.distanceTransform(padded, cv2.DIST_L2, 5)[1:-1, 1:-1]
    # 1 on the outline, 0 from ``reach`` in: a cylinder's lit share across its edge
    depth = 1.0 - np.minimum(distance / reach, 1.0)
    edge = 1.0 - np.sqrt(np.clip(1.0 - depth**2, 0.0, 1.0))
    smooth = cv2.GaussianBlur(np.minimum(distance, reach), (0, 0), max(0.5, t.smoothing * span))
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3)
    sideways = np.abs(gx) / np.maximum(np.hypot(gx, gy), 1e-6)
    # outside the outline the distance is 0: the garment's soft edge is as dark as its outline
    return (1.0 - t.shade * sideways * edge).astype(np.float32)
