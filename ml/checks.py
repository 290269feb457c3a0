"""Photo checks: structured findings with sentences a shopper understands.

``photo_findings`` judges one photo (several people, person too small, view, body coverage,
hidden hands); ``pair_findings`` judges a shopper photo against the kind of product to show
on it. Codes are stable and machine-readable; ``Severity.ERROR`` means the render cannot be
made from this photo.
"""

from __future__ import annotations

import numpy as np

from ml.types import KP, BodyCoverage, Finding, GarmentKind, PhotoAnalysis, Severity, View

# Person height as a fraction of the photo height.
SMALL_PERSON = 0.35
TINY_PERSON = 0.15
# Hips closer together than this share of the shoulders' span: the pose has put both legs on one
# (seen on a front photo of legs close together; a real front view's hips measure 0.5-0.7).
MERGED_HIPS = 0.3


def _visible(keypoints: np.ndarray, *names: str) -> bool:
    return all(keypoints[KP[name], 0] >= 0 for name in names)


def _any_visible(keypoints: np.ndarray, *names: str) -> bool:
    return any(keypoints[KP[name], 0] >= 0 for name in names)


def _span(keypoints: np.ndarray, a: str, b: str) -> float:
    return float(np.linalg.norm(keypoints[KP[a]] - keypoints[KP[b]]))


def body_coverage(keypoints: np.ndarray) -> BodyCoverage:
    """Head: a face point; torso: both shoulders and a hip; arms: an elbow and wrist on each
    side; legs: both knees and an ankle."""
    return BodyCoverage(
        head=_any_visible(keypoints, "nose", "right_eye", "left_eye"),
        torso=_visible(keypoints, "right_shoulder", "left_shoulder")
        and _any_visible(keypoints, "right_hip", "left_hip"),
        arms=_visible(keypoints, "right_elbow", "right_wrist", "left_elbow", "left_wrist"),
        legs=_visible(keypoints, "right_knee", "left_knee")
        and _any_visible(keypoints, "right_ankle", "left_ankle"),
    )


def estimate_view(keypoints: np.ndarray, scores: np.ndarray) -> View:
    """Front, side or back from the face's visibility and the order of the shoulders.

    On a front view the person's right shoulder appears on the image's left (smaller x).
    """
    face_seen = _any_visible(keypoints, "nose", "right_eye", "left_eye")
    face_score = float(max(scores[KP["nose"]], scores[KP["right_eye"]], scores[KP["left_eye"]]))
    if not _visible(keypoints, "right_shoulder", "left_shoulder"):
        return View.FRONT if face_seen else View.BACK
    right = keypoints[KP["right_shoulder"]]
    left = keypoints[KP["left_shoulder"]]
    span = float(left[0] - right[0])  # positive on a front view
    hips = [keypoints[KP[n]] for n in ("right_hip", "left_hip") if keypoints[KP[n], 0] >= 0]
    torso = (
        abs(float(np.mean([h[1] for h in hips])) - float((right[1] + left[1]) / 2))
        if hips
        else 1.6 * abs(span)
    )
    if not face_seen and face_score < 0.3:
        return View.BACK
    if torso > 0 and abs(span) < 0.28 * torso:
        return View.SIDE
    if span < 0:
        return View.BACK
    # Ears: on a side view one ear and the nose are on the same side of the neck.
    return View.FRONT


def person_height_fraction(person_mask: np.ndarray) -> float:
    rows = np.flatnonzero((person_mask >= 128).any(axis=1))
    if rows.size == 0:
        return 0.0
    return float(rows[-1] - rows[0] + 1) / float(person_mask.shape[0])


def photo_findings(
    *,
    keypoints: np.ndarray,
    person_mask: np.ndarray,
    view: View,
    coverage: BodyCoverage,
    people_count: int,
    visible: np.ndarray | None = None,
) -> tuple[Finding, ...]:
    """``keypoints``: joints inside the photo (seen or covered by clothes); ``visible``: joints
    actually seen (defaults to ``keypoints``), used for hidden hands."""
    visible = keypoints if visible is None else visible
    findings: list[Finding] = []
    if people_count > 1:
        findings.append(
            Finding(
                "several_people",
                Severity.WARNING,
                "There seems to be more than one person in this photo; we use the most prominent one. "
                "A photo of you alone works best.",
            )
        )
    fraction = person_height_fraction(person_mask)
    if fraction < TINY_PERSON:
        findings.append(
            Finding(
                "person_too_small",
                Severity.ERROR,
                "You are too small in this photo to try clothes on; use a photo where you fill most of "
                "the frame.",
            )
        )
    elif fraction < SMALL_PERSON:
        findings.append(
            Finding(
                "person_small",
                Severity.WARNING,
                "You take up only a small part of this photo; results look better when you fill most of "
                "the frame.",
            )
        )
    if view == View.BACK:
        findings.append(
            Finding(
                "view_back",
                Severity.WARNING,
                "This photo shows you from the back; clothes can only be shown on a photo taken from the "
                "front.",
            )
        )
    elif view == View.SIDE:
        findings.append(
            Finding(
                "view_side",
                Severity.WARNING,
                "This photo shows you from the side; a photo facing the camera gives better results.",
            )
        )
    if not coverage.head:
        findings.append(Finding("head_not_visible", Severity.INFO, "Your face is not visible in this photo."))
    if not _visible(keypoints, "right_shoulder", "left_shoulder"):
        findings.append(
            Finding(
                "torso_not_visible",
                Severity.WARNING,
                "Your shoulders are not both visible; tops and dresses cannot be shown on this photo.",
            )
        )
    if not coverage.legs:
        if _visible(keypoints, "right_knee", "left_knee"):
            message = "Your feet are cut off in this photo; long trousers and skirts will be cut at the edge."
        else:
            message = "Only your upper body is visible: trousers and skirts cannot be shown on this photo."
        findings.append(Finding("legs_not_visible", Severity.WARNING, message))
    hidden = [side for side in ("right", "left") if not _visible(visible, f"{side}_wrist")]
    if hidden and _visible(keypoints, "right_shoulder", "left_shoulder"):
        which = "Both your hands are" if len(hidden) == 2 else f"Your {hidden[0]} hand is"
        findings.append(
            Finding(
                "hands_hidden",
                Severity.INFO,
                f"{which} hidden or outside the photo; sleeves may look shorter than they are.",
            )
        )
    return tuple(findings)


def pair_findings(shopper: PhotoAnalysis, kind: GarmentKind) -> list[Finding]:
    """What of a product of this kind cannot be shown on this shopper photo."""
    kind = GarmentKind(kind)
    k = shopper.keypoints.copy()
    in_frame = shopper.extras.get("perception.in_frame")
    if in_frame is not None:
        # Joints covered by clothes still count: the garment can be drawn over them.
        k[np.asarray(in_frame).astype(bool) & (k[:, 0] < 0)] = 0.0
    cov = shopper.coverage
    findings: list[Finding] = []
    hips = _any_visible(k, "right_hip", "left_hip")
    knees = _visible(k, "right_knee", "left_knee")
    ankles = _any_visible(k, "right_ankle", "left_ankle")
    needs_top = kind in (GarmentKind.TOP, GarmentKind.OUTERWEAR, GarmentKind.DRESS, GarmentKind.FULL_OUTFIT)
    needs_bottom = kind in (GarmentKind.BOTTOM, GarmentKind.DRESS, GarmentKind.FULL_OUTFIT)

    if shopper.view == View.BACK:
        findings.append(
            Finding(
                "pair_back_view",
                Severity.ERROR,
                "Your photo shows you from the back, so the front of this product cannot be put on it.",
            )
        )
    if needs_top and not _visible(k, "right_shoulder", "left_shoulder"):
        findings.append(
            Finding(
                "pair_no_shoulders",
                Severity.ERROR,
                "Your shoulders are not visible in your photo, so this product cannot be shown on it.",
            )
        )
    if needs_bottom and kind != GarmentKind.DRESS and not (hips and knees):
        findings.append(
            Finding(
                "pair_no_legs",
                Severity.ERROR,
                "Only your upper body is visible: trousers and skirts will be shown on the model instead.",
            )
        )
    elif kind == GarmentKind.DRESS and not hips:
        findings.append(
            Finding(
                "pair_no_hips",
                Severity.ERROR,
                "Only your head and shoulders are visible: a dress needs a photo down to at least your hips.",
            )
        )
    elif kind == GarmentKind.DRESS and not knees:
        findings.append(
            Finding(
                "pair_dress_cut",
                Severity.WARNING,
                "Your photo ends above the knees, so only the top part of the dress will be visible.",
            )
        )
    elif needs_bottom and not ankles:
        findings.append(
            Finding(
                "pair_bottom_cut",
                Severity.WARNING,
                "Your feet are cut off in your photo, so long trousers and skirts will be cut at the edge.",
            )
        )
    if (
        kind == GarmentKind.BOTTOM
        and shopper.view == View.FRONT
        and _visible(k, "right_hip", "left_hip", "right_shoulder", "left_shoulder")
        and _span(k, "right_hip", "left_hip") < MERGED_HIPS * _span(k, "right_shoulder", "left_shoulder")
    ):
        findings.append(
            Finding(
                "pair_legs_merged",
                Severity.ERROR,
                "We could not tell your legs apart in this photo, so trousers cannot be fitted to them. "
                "A photo standing with your feet a little apart works best.",
            )
        )
    if needs_top and not cov.arms:
        findings.append(
            Finding(
                "pair_arms_hidden",
                Severity.WARNING,
                "Your arms are not fully visible, so the sleeves may not be shown completely.",
            )
        )
    return findings
