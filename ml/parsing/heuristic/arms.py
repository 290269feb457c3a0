"""Arms the colour models lost to a garment, found again by a graph cut along each arm.

A shaded arm or a pale forearm beside a print is unlike the face's skin and unlike the lit
arm's, so the colour models give it to the garment; the pieces of it they do find are too thin
and ragged for ``_limb_skin``'s opening. Along each arm, a graph cut (OpenCV's GrabCut: colour
mixtures learnt in the image plus a cost for cutting between similar neighbours) separates the
arm's skin, seeded by its pixels already labelled arms, from the garment, seeded by the garment
away from the arm. A garment pixel joins the arm when the cut puts it with the skin, it lies
within an arm's width of the bones, it is clearly nearer the skin's colours than the garment's
and the hair's, and its piece touches the arm's skin joined to the hand; a sleeve stays the
garment because the garment's own colours seed the other side. The cut is the parser's dearest
step, so it runs only where there is something to take, on a box around it.
"""

from __future__ import annotations

import cv2
import numpy as np

from ml.parsing.heuristic.geometry import _Frame, _Reach
from ml.parsing.heuristic.skin import _pieces_touching
from ml.parsing.heuristic.tuning import ParsingTuning
from ml.types import ParsingClass as C

GARMENTS = (C.UPPER_CLOTHES, C.PANTS, C.SKIRT)


def _arms_by_graph_cut(
    labels: np.ndarray,
    image: np.ndarray,
    frame: _Frame,
    reach: _Reach,
    hair: np.ndarray | None,
    t: ParsingTuning,
) -> None:
    """Re-label as arms the garment pixels each arm's graph cut gives to its skin (in place).
    ``hair``: the hair model's Lab centres (None without one): hair over a shoulder taken for skin
    would otherwise seed the cut and spread over the garment."""
    body = frame.body
    right, left = reach.arm_sides
    for side, own, other in (("right", right, left), ("left", left, right)):
        wrist = frame.k[f"{side}_wrist"]
        if wrist is None or not np.isfinite(own).any():
            continue
        hand = np.hypot(frame.xx - wrist[0], frame.yy - wrist[1]) < t.arm_cut_width * body
        _one_arm(labels, image, own, own <= other, hand, body, hair, t)


def _one_arm(
    labels: np.ndarray,
    image: np.ndarray,
    distance: np.ndarray,
    nearer: np.ndarray,
    hand: np.ndarray,
    body: float,
    hair: np.ndarray | None,
    t: ParsingTuning,
) -> None:
    width = t.arm_cut_width * body
    # the seeds are the arm's skin joined to its hand: a patch of "skin" up on a sleeved arm (hair
    # over the shoulder, a print) is no seed
    skin = _pieces_touching(((labels == C.ARMS) & (distance < width) & nearer).astype(np.uint8), hand)
    garment = np.isin(labels, GARMENTS)
    inside = garment & (distance < width) & nearer
    if skin.sum() < t.arm_cut_min_px or not inside.any():
        return
    window = (distance < t.arm_cut_context * width) & nearer
    rows, cols = np.nonzero(window)
    top, bottom, left, right = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
    crop = (slice(top, bottom), slice(left, right))
    clothes = garment[crop]
    mask = np.full(clothes.shape, cv2.GC_BGD, np.uint8)
    # only skin and garment pixels take part: everything else (background, face, hair) is painted
    # in the garment's median colour so that it teaches the garment's side nothing new
    part = clothes | skin[crop]
    if clothes.sum() < t.arm_cut_min_px:
        return
    patch = image[crop].copy()
    patch[~part] = np.median(patch[clothes], axis=0).astype(np.uint8)
    # the cut starts with each doubtful pixel on the side of the nearer colour cluster
    inside_crop = inside[crop]
    lab = cv2.cvtColor(patch, cv2.COLOR_RGB2LAB).astype(np.float32)
    skin_centres = _centres(lab[skin[crop]], t.arm_cut_clusters, t)
    garment_centres = _centres(lab[clothes & ~inside_crop], t.arm_cut_garment_clusters, t)
    if skin_centres is None or garment_centres is None:
        return
    doubtful = lab[inside_crop]
    to_skin = _nearest(doubtful, skin_centres, t.arm_cut_lightness)
    to_garment = _nearest(doubtful, garment_centres, t.arm_cut_lightness)
    mask[inside_crop] = np.where(to_skin < to_garment, cv2.GC_PR_FGD, cv2.GC_PR_BGD)
    # the cut only joins pixels clearly nearer the skin's colours: a skin-coloured print stays put
    clear = np.zeros(clothes.shape, bool)
    unlike = (
        to_garment if hair is None else np.minimum(to_garment, _nearest(doubtful, hair, t.arm_cut_lightness))
    )
    clear[inside_crop] = to_skin + t.arm_cut_margin < unlike
    # what the cut can give the arm at most: clear pixels in pieces joined to its skin (the cut is
    # the parser's dearest step, and most arms have nothing to take back)
    reachable = _pieces_touching(clear.astype(np.uint8), skin[crop])
    if not reachable.any():
        return
    mask[skin[crop]] = cv2.GC_FGD
    # the cut runs around those pieces only, with the garment and skin beside them
    rows, cols = np.nonzero(reachable)
    grow = max(1, round(t.arm_cut_box * width))
    box = (
        slice(max(0, rows.min() - grow), rows.max() + 1 + grow),
        slice(max(0, cols.min() - grow), cols.max() + 1 + grow),
    )
    cut = np.ascontiguousarray(mask[box])
    if not (cut == cv2.GC_BGD).any() or not (cut == cv2.GC_FGD).any():
        return
    background_model = np.zeros((1, 65), np.float64)
    foreground_model = np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(t.kmeans_seed)
    cv2.grabCut(
        np.ascontiguousarray(patch[box]),
        cut,
        None,
        background_model,
        foreground_model,
        t.arm_cut_iterations,
        cv2.GC_INIT_WITH_MASK,
    )
    mask[box] = cut
    found = np.zeros(labels.shape, np.uint8)
    found[crop] = (mask == cv2.GC_PR_FGD) & clear
    labels[_pieces_touching(found, skin)] = int(C.ARMS)


def _centres(samples: np.ndarray, k: int, t: ParsingTuning) -> np.ndarray | None:
    if len(samples) < t.min_model_samples:
        return None
    samples = samples[:: max(1, len(samples) // t.arm_cut_samples)]
    k = max(1, min(k, len(samples) // t.samples_per_cluster))
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, t.kmeans_iterations, t.kmeans_epsilon)
    cv2.setRNGSeed(t.kmeans_seed)
    _, _, centres = cv2.kmeans(samples, k, None, criteria, t.kmeans_attempts, cv2.KMEANS_PP_CENTERS)
    return centres


def _nearest(lab: np.ndarray, centres: np.ndarray, lightness_weight: float) -> np.ndarray:
    weights = np.array([lightness_weight, 1.0, 1.0], np.float32)
    return np.sqrt((((lab[:, None, :] - centres[None, :, :]) * weights) ** 2).sum(axis=2)).min(axis=1)
