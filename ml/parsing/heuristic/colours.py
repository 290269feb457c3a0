"""Colour models in CIE Lab learnt per photo: skin from the face, the top garment, the hair."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ml.parsing.heuristic.geometry import _Frame, _Reach, _shrink
from ml.parsing.heuristic.tuning import Lab, ParsingTuning

# A normal distribution's standard deviation per median absolute deviation (not a tuning number).
MAD_TO_SIGMA = 1.4826


@dataclass
class _Model:
    """Colour clusters in Lab with a per-model spread."""

    centres: np.ndarray  # (k, 3)
    spread: np.ndarray  # (3,)

    def costs(self, lab: np.ndarray) -> np.ndarray:
        """Each sample's distance to each centre, in spreads (n x k)."""
        diff = (lab[:, None, :] - self.centres[None, :, :]) / self.spread
        return np.sqrt((diff**2).sum(axis=2))

    def distance(self, lab: np.ndarray) -> np.ndarray:
        return self.costs(lab).min(axis=1)


def _skin_prior(t: ParsingTuning) -> _Model:
    return _Model(
        centres=np.array(t.skin_prior_centres, np.float32), spread=np.array(t.skin_prior_spread, np.float32)
    )


def _fit(samples: np.ndarray, k: int, floor: Lab, t: ParsingTuning) -> _Model | None:
    if len(samples) < t.min_model_samples:
        return None
    samples = samples.astype(np.float32)
    k = max(1, min(k, len(samples) // t.samples_per_cluster))
    if k > 1:
        criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, t.kmeans_iterations, t.kmeans_epsilon)
        cv2.setRNGSeed(t.kmeans_seed)  # the same photo always gets the same labels
        _, labels, centres = cv2.kmeans(samples, k, None, criteria, t.kmeans_attempts, cv2.KMEANS_PP_CENTERS)
        labels = labels.ravel()
        keep = [i for i in range(k) if (labels == i).mean() >= t.min_cluster_share]
        residual = samples - centres[labels]
        centres = centres[keep]
    else:
        centres = np.median(samples, axis=0, keepdims=True)
        residual = samples - centres
    spread = np.maximum(MAD_TO_SIGMA * np.median(np.abs(residual), axis=0), np.array(floor, np.float32))
    return _Model(centres=centres.astype(np.float32), spread=spread.astype(np.float32))


@dataclass
class _Colours:
    """The photo's colour models and where the top garment was learnt."""

    skin: _Model
    top: _Model | None
    hair: _Model | None
    core: np.ndarray  # bool: the torso core the top was learnt from
    bare: _Model | None = None  # bare skin in a band across the torso core (:func:`_bare_band`)


def _colour_models(
    lab_image: np.ndarray,
    person: np.ndarray,
    frame: _Frame,
    reach: _Reach,
    visible: np.ndarray | None,
    t: ParsingTuning,
) -> _Colours:
    k, body, xx, yy = frame.k, frame.body, frame.xx, frame.yy
    skin = None
    if frame.face_points:
        centre = np.mean(frame.face_points, axis=0)
        if k["nose"] is not None:
            centre = (1.0 - t.face_nose_weight) * centre + t.face_nose_weight * k["nose"]
        radius = max(t.face_min_radius, t.face_radius * body)
        disc = (np.hypot(xx - centre[0], yy - centre[1]) <= radius) & person
        skin = _fit(_robust(lab_image[disc], t), t.skin_clusters, t.skin_floor, t)
    skin = skin or _skin_prior(t)

    # The top garment: the torso core below the neckline (necklines show skin).
    core = _shrink(reach.torso, body * t.core_inset) & person
    if frame.shoulder_y is not None and frame.hip_y is not None:
        core &= yy > frame.shoulder_y + t.neckline_depth * (frame.hip_y - frame.shoulder_y)
    if visible is not None:
        # Hands and forearms held in front of the body are not the garment.
        core &= reach.seen_arm_full > t.core_arm_clearance * body
    top = _fit(lab_image[core], t.top_clusters, t.garment_floor, t)
    bare = None
    if top is not None and len(top.centres) > 1:
        banded = _bare_band(lab_image, core, top, skin, t)
        skin_like = (skin.distance(top.centres) < t.skin_like_cluster) | banded
        if skin_like.any() and not skin_like.all():
            if banded.any():
                bare = _Model(top.centres[banded], top.spread)
            top = _Model(top.centres[~skin_like], top.spread)

    hair = None
    if reach.head_centre is not None:
        top_of_head = (
            (yy < reach.head_centre[1] - t.hair_above_head * body)
            & (reach.head < t.hair_sample_radius * body)
            & person
        )
        samples = lab_image[top_of_head]
        if len(samples):
            samples = samples[skin.distance(samples) > t.hair_unlike_skin]
        hair = _fit(samples, t.hair_clusters, t.hair_floor, t)
    return _Colours(skin=skin, top=top, hair=hair, core=core, bare=bare)


def _bare_band(
    lab_image: np.ndarray, core: np.ndarray, top: _Model, skin: _Model, t: ParsingTuning
) -> np.ndarray:
    """Per top cluster, whether it is bare skin in a band across the torso (a crop top's midriff): a
    little farther from the face's skin than ``skin_like_cluster`` (a midriff is lit otherwise) but
    filling whole rows of the torso core, where a print's colour is spread among the others."""
    ys = np.nonzero(core)[0]
    nearest = top.costs(lab_image[core]).argmin(axis=1)
    rows = np.bincount(ys - ys.min())
    out = np.zeros(len(top.centres), bool)
    for i in np.flatnonzero(skin.distance(top.centres) < t.bare_band_cluster):
        mine = np.bincount(ys[nearest == i] - ys.min(), minlength=len(rows))
        filled = mine >= t.bare_band_fill * np.maximum(rows, 1)
        out[i] = mine.sum() > 0 and mine[filled].sum() >= t.bare_band_share * mine.sum()
    return out


def _robust(samples: np.ndarray, t: ParsingTuning) -> np.ndarray:
    """Drop the darkest and brightest face pixels (eyes, brows, highlights) before fitting skin."""
    if len(samples) < t.skin_clip_min_samples:
        return samples
    lo, hi = np.percentile(samples[:, 0], t.skin_percentiles)
    return samples[(samples[:, 0] >= lo) & (samples[:, 0] <= hi)]
