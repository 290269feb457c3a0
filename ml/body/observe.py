"""From a photo to what the fit needs: BlazePose's 33 landmarks, the person's mask, the clothing
allowance from the parsing; or a refusal with a plain reason."""

from __future__ import annotations

import cv2
import numpy as np

from ml.body.types import CannotMeasure, ClothesFit, ViewObservation
from ml.checks import estimate_view
from ml.pose import MAX_INFERENCE_SIDE, PoseEstimator, PoseResult, get_pose_estimator
from ml.types import ParsingClass, View

# How much clothing adds to the body's outline (cm per side), by parsing class.
ALLOWANCE_CM = {
    int(ParsingClass.UPPER_CLOTHES): 3.0,  # tops, dresses, coats
    int(ParsingClass.PANTS): 2.0,
    int(ParsingClass.SKIRT): 6.0,  # a skirt hides the hips' and thighs' outline
    int(ParsingClass.HAIR): 4.0,  # long hair hides the neck's and shoulders' outline
}
# How much they add at least, as they sit (the fit keeps the body this far inside the outline):
# about what a regular top (some 10 cm of ease around the chest, over 2 pi, and the fabric) and
# regular trousers add. A skirt flares freely below the hips (its allowance bounds it) but sits on
# them as a top sits: 2 cm (the benchmark's dressed bodies' hips came out 1.9 cm small on average
# at 3 cm, 2.4 cm large at 1.25 cm). Hair keeps half its allowance, as every garment had before.
EASE_CM = {
    int(ParsingClass.UPPER_CLOTHES): 2.0,
    int(ParsingClass.PANTS): 1.25,
    int(ParsingClass.SKIRT): 2.0,
    int(ParsingClass.HAIR): 2.0,
}
# The shopper's own word for how her top and her trousers fit, when she gives it: the ease (cm per
# side) then assumed under them, with the fit kept within STATED_BAND_CM of it (half inside, half
# outside) instead of between the regular ease and the wide allowance. The words split the range a
# top is drawn from in the body benchmark (0.8-3.2 cm a side, some 5 to 20 cm around the chest) and
# trousers' (0.5-2.0 cm) in thirds; "regular" is the ease above.
STATED_EASE_CM = {
    "top": {"fitted": 1.2, "regular": 2.0, "loose": 2.8},
    "bottom": {"fitted": 0.75, "regular": 1.25, "loose": 1.75},
}
STATED_BAND_CM = 0.4
STATED_PART = {int(ParsingClass.UPPER_CLOTHES): "top", int(ParsingClass.PANTS): "bottom"}
REGION_OF = {
    int(ParsingClass.UPPER_CLOTHES): "upper body",
    int(ParsingClass.PANTS): "legs",
    int(ParsingClass.SKIRT): "hips and thighs",
    int(ParsingClass.HAIR): "hair",
}
VISIBLE = 0.5
# The pose model's mask and landmarks wobble with the photo's pixel grid: one photo's masks at 0.5-1x
# overlap by IoU 0.97-0.99 and its landmarks move 0.2-0.9 % of the body's height, at random rather
# than steadily with the size, and the fit turned that into girths a few percent apart. They are
# taken at these sizes of the photo (as the pose model sees it) and averaged: the mask's
# probabilities by their mean, the landmarks' positions by their median (a size that swaps left and
# right does not drag them). Their visibilities do fall steadily with the size (feet seen at 0.6
# and 0.65 on a 315 px wide photo were seen at 0.3 at its smaller sizes), so they stay as the photo
# itself gives them.
STEADY_SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)
EDGE_FRACTION = 0.01  # of the width: this much of the person on the photo's first row is cut off


def observe(image: np.ndarray, *, view: str, clothes_fit: ClothesFit | None = None) -> ViewObservation:
    """Analyse one (H, W, 3) RGB photo expected to show the whole body from the ``view`` side."""
    from ml.parsing import get_parser

    label = "front" if view == "front" else "side"
    pose = get_pose_estimator().predict(image)
    if not pose.found:
        raise CannotMeasure(f"We could not find a person in the {label} photo.")
    if pose.people_count > 1:
        raise CannotMeasure(f"The {label} photo shows more than one person; use a photo of you alone.")
    height, width = image.shape[:2]
    person_mask, blaze = steady_pose(image, get_pose_estimator(), pose)
    landmarks = blaze[:, :2] * np.array([width, height], np.float32)
    visibility = blaze[:, 3].astype(np.float32)
    _require_full_body(landmarks, visibility, person_mask, width, height, label)
    seen = estimate_view(pose.keypoints, pose.scores)
    if view == "front" and seen != View.FRONT:
        raise CannotMeasure(f"The front photo looks like a {seen} view; stand facing the camera.")
    if view == "side" and seen == View.BACK:
        raise CannotMeasure("The side photo looks like a back view; stand side-on to the camera.")
    if view == "side" and seen != View.SIDE:
        shoulder_span = abs(float(landmarks[11, 0] - landmarks[12, 0]))
        torso = abs(
            float((landmarks[11, 1] + landmarks[12, 1]) / 2 - (landmarks[23, 1] + landmarks[24, 1]) / 2)
        )
        if torso > 0 and shoulder_span > 0.45 * torso:
            raise CannotMeasure("The side photo looks like a front view; stand side-on to the camera.")
    mask = person_mask >= 128
    parsing = get_parser().predict(image, pose)
    allowance, ease, clothing = clothing_allowance(parsing, mask, landmarks, clothes_fit)
    return ViewObservation(
        view=view,
        width=width,
        height=height,
        landmarks=landmarks.astype(np.float32),
        visibility=visibility,
        mask=mask,
        allowance_cm=allowance,
        ease_cm=ease,
        clothing=clothing,
    )


def steady_pose(
    image: np.ndarray, estimator: PoseEstimator, first: PoseResult
) -> tuple[np.ndarray, np.ndarray]:
    """The person's mask (uint8) and BlazePose's (33, 4) landmarks of ``first`` (the pose found on
    the photo as it is) averaged with those found on the photo at the other ``STEADY_SCALES``; the
    visibilities are ``first``'s."""
    height, width = image.shape[:2]
    inference = min(1.0, MAX_INFERENCE_SIDE / max(height, width))
    masks = [first.person_mask.astype(np.float32)]
    landmarks = [first.blaze_landmarks]
    for scale in STEADY_SCALES[1:]:
        size = (max(1, round(width * inference * scale)), max(1, round(height * inference * scale)))
        pose = estimator.predict(cv2.resize(image, size, interpolation=cv2.INTER_AREA), count_people=False)
        if not pose.found:
            continue
        masks.append(
            cv2.resize(pose.person_mask.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
        )
        landmarks.append(pose.blaze_landmarks)
    mask = np.clip(np.mean(masks, axis=0).round(), 0, 255).astype(np.uint8)
    steady = first.blaze_landmarks.astype(np.float32).copy()
    steady[:, :3] = np.median(np.stack(landmarks), axis=0)[:, :3]
    return mask, steady


def stated_band(cls: int, clothes_fit: ClothesFit | None) -> tuple[float, float]:
    """(ease, allowance) in cm for a parsing class: the shopper's word's band where she gave one."""
    part = STATED_PART.get(cls)
    word = getattr(clothes_fit, part) if clothes_fit is not None and part is not None else None
    if word is None:
        return EASE_CM[cls], ALLOWANCE_CM[cls]
    middle = STATED_EASE_CM[part][word]
    return middle - STATED_BAND_CM / 2, middle + STATED_BAND_CM / 2


def clothing_allowance(
    parsing: np.ndarray, mask: np.ndarray, landmarks: np.ndarray, clothes_fit: ClothesFit | None = None
) -> tuple[np.ndarray, np.ndarray, dict[str, float]]:
    """Per pixel, how much the clothes the parsing shows add to the body's outline at most and at
    least (cm), and the allowance applied per region (for the result's note)."""
    allowance = np.zeros(mask.shape, np.float32)
    ease = np.zeros(mask.shape, np.float32)
    clothing: dict[str, float] = {}
    for cls in ALLOWANCE_CM:
        region = parsing == cls
        if region.sum() > 0.02 * mask.sum():
            least, cm = stated_band(cls, clothes_fit)
            allowance[region] = cm
            ease[region] = least
            clothing[REGION_OF[cls]] = max(clothing.get(REGION_OF[cls], 0.0), cm)
    # A top that goes on below mid-thigh is a dress or a long coat: from the hips down it hides the
    # outline as a skirt does (from mid-thigh down only, its flare pulled the benchmark's dressed
    # bodies' hips out by 11-16 cm).
    hips_y = float(max(landmarks[23, 1], landmarks[24, 1]))
    knees_y = float(max(landmarks[25, 1], landmarks[26, 1]))
    mid_thigh = int(np.clip(hips_y + 0.5 * (knees_y - hips_y), 0, mask.shape[0] - 1))
    top = parsing == int(ParsingClass.UPPER_CLOTHES)
    if top[mid_thigh:].sum() > 0.05 * mask.sum():
        skirt = top.copy()
        skirt[: int(np.clip(hips_y, 0, mask.shape[0]))] = False
        allowance[skirt] = ALLOWANCE_CM[int(ParsingClass.SKIRT)]
        ease[skirt] = EASE_CM[int(ParsingClass.SKIRT)]
        clothing["hips and thighs"] = ALLOWANCE_CM[int(ParsingClass.SKIRT)]
    return allowance, ease, clothing


def _require_full_body(landmarks, visibility, mask, width, height, label) -> None:
    def seen(*indices: int) -> bool:
        return all(
            visibility[i] >= VISIBLE and 0 <= landmarks[i, 0] < width and 0 <= landmarks[i, 1] < height
            for i in indices
        )

    if not seen(0) and not (seen(7) or seen(8)):
        raise CannotMeasure(
            f"The {label} photo does not show your head; we need your whole body, head to feet."
        )
    if not (seen(27) or seen(28)) or not (seen(29) or seen(30) or seen(31) or seen(32)):
        raise CannotMeasure(
            f"The {label} photo does not show your feet; we need your whole body, head to feet."
        )
    if not (seen(11) or seen(12)) or not (seen(23) or seen(24)):
        raise CannotMeasure(f"The {label} photo does not show your body clearly enough to measure.")
    person = mask >= 128
    edge = max(3, EDGE_FRACTION * width)
    if person[0].sum() >= edge:
        raise CannotMeasure(
            f"You are cut off at the top of the {label} photo; leave some space above your head."
        )
    if person[-1].sum() >= edge and landmarks[[29, 30, 31, 32], 1].max() > height - 0.01 * height:
        raise CannotMeasure(
            f"You are cut off at the bottom of the {label} photo; leave some space below your feet."
        )
    rows = np.flatnonzero(person.any(axis=1))
    if rows.size == 0 or rows[-1] - rows[0] < 0.3 * height:
        raise CannotMeasure(f"You are too small in the {label} photo; fill at least a third of its height.")
