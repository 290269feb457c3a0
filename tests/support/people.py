"""Synthetic stick-figure people with a known parsing, for the tests of the renderers and the measures
of ``ml`` (and a few variants: in a long dress, with wide trouser legs)."""

from __future__ import annotations

import cv2
import numpy as np

from ml.types import KP, NUM_KEYPOINTS, BodyCoverage, CanvasTransform, PhotoAnalysis, View
from ml.types import ParsingClass as C

BASE_KEYPOINTS = {
    "nose": (100, 40),
    "neck": (100, 70),
    "right_shoulder": (75, 72),
    "left_shoulder": (125, 72),
    "right_elbow": (68, 115),
    "left_elbow": (132, 115),
    "right_wrist": (64, 155),
    "left_wrist": (136, 155),
    "right_hip": (85, 160),
    "left_hip": (115, 160),
    "right_knee": (84, 215),
    "left_knee": (116, 215),
    "right_ankle": (84, 268),
    "left_ankle": (116, 268),
    "right_eye": (94, 35),
    "left_eye": (106, 35),
    "right_ear": (88, 40),
    "left_ear": (112, 40),
}
COLOURS = {
    C.BACKGROUND: (230, 230, 230),
    C.FACE: (210, 170, 140),
    C.HAIR: (60, 40, 30),
    C.ARMS: (205, 165, 135),
    C.LEGS: (200, 160, 130),
}


def make_person(
    *,
    size: tuple[int, int] = (300, 200),
    affine: np.ndarray | None = None,
    upper: tuple[int, int, int] | None = (40, 60, 200),
    upper_to: float = 1.0,
    pants: tuple[int, int, int] | None = None,
    legs: bool = True,
    sleeves: bool = False,
    pose: dict[str, tuple[float, float]] | None = None,
    missing: tuple[str, ...] = (),
) -> PhotoAnalysis:
    """A flat-coloured person: head, torso garment (down to ``upper_to`` of the hips->knees span
    past the hips), arms (in long ``sleeves`` of the garment when asked), legs (in ``pants`` when
    given), keypoints moved by ``pose`` and dropped by ``missing`` (after drawing), optionally
    moved by a 2x3 ``affine``."""
    height, width = size
    kp = {name: np.array(p, np.float64) for name, p in BASE_KEYPOINTS.items()}
    for name, p in (pose or {}).items():
        kp[name] = np.array(p, np.float64)
    parsing = np.zeros((300, 200), np.uint8)

    def pt(name):
        return tuple(int(v) for v in kp[name])

    def limb(a, b, radius, cls):
        cv2.line(parsing, pt(a), pt(b), int(cls), radius * 2)

    limb("right_hip", "right_knee", 12, C.PANTS if pants else C.LEGS)
    limb("right_knee", "right_ankle", 9, C.PANTS if pants else C.LEGS)
    limb("left_hip", "left_knee", 12, C.PANTS if pants else C.LEGS)
    limb("left_knee", "left_ankle", 9, C.PANTS if pants else C.LEGS)
    bottom = 160 + upper_to * 55
    torso = np.array([[70, 68], [130, 68], [124, bottom], [76, bottom]], np.int32)
    cv2.fillConvexPoly(parsing, torso, int(C.UPPER_CLOTHES if upper else C.ARMS))
    for side in ("right", "left"):
        limb(f"{side}_shoulder", f"{side}_elbow", 7, C.ARMS)
        limb(f"{side}_elbow", f"{side}_wrist", 6, C.ARMS)
        if sleeves and upper:
            limb(f"{side}_shoulder", f"{side}_elbow", 8, C.UPPER_CLOTHES)
            limb(f"{side}_elbow", f"{side}_wrist", 7, C.UPPER_CLOTHES)
    cv2.circle(parsing, (100, 38), 20, int(C.HAIR), -1)
    cv2.circle(parsing, (100, 44), 16, int(C.FACE), -1)
    image = np.zeros((300, 200, 3), np.uint8)
    palette = dict(COLOURS)
    palette[C.UPPER_CLOTHES] = upper or (0, 0, 0)
    palette[C.PANTS] = pants or (0, 0, 0)
    for cls, colour in palette.items():
        image[parsing == cls] = colour
    keypoints = np.array([kp[name] for name in sorted(kp, key=lambda n: KP[n])], np.float32)
    if affine is not None:
        image = cv2.warpAffine(
            image, affine, (width, height), flags=cv2.INTER_NEAREST, borderValue=COLOURS[C.BACKGROUND]
        )
        parsing = cv2.warpAffine(parsing, affine, (width, height), flags=cv2.INTER_NEAREST, borderValue=0)
        keypoints = (keypoints @ affine[:, :2].T + affine[:, 2]).astype(np.float32)
    elif (height, width) != (300, 200):
        raise ValueError("give an affine for other sizes")
    for name in missing:
        keypoints[KP[name]] = -1
    if not legs:
        for name in ("right_knee", "left_knee", "right_ankle", "left_ankle", "right_hip", "left_hip"):
            keypoints[KP[name]] = -1
    assert len(keypoints) == NUM_KEYPOINTS
    return PhotoAnalysis(
        image=image,
        keypoints=keypoints,
        keypoint_scores=np.where(keypoints[:, 0] >= 0, 0.9, 0.0).astype(np.float32),
        person_mask=((parsing > 0) * 255).astype(np.uint8),
        parsing=parsing,
        view=View.FRONT,
        coverage=BodyCoverage(head=True, torso=True, arms=True, legs=legs),
        findings=(),
        canvas=CanvasTransform(scale=1.0, offset_x=0.0, offset_y=0.0, source_size=(height, width)),
        analyzer_version="synthetic",
    )


DRESS = (40, 60, 200)
IVORY = (235, 230, 220)


def shopper_in_a_dress():
    """The stick figure in a blue dress reaching well below the knees' line."""
    shopper = make_person(upper=DRESS, upper_to=1.0)
    parsing = shopper.parsing.copy()
    skirt = np.array([[76, 160], [124, 160], [134, 250], [66, 250]], np.int32)
    cv2.fillConvexPoly(parsing, skirt, int(C.UPPER_CLOTHES))
    shopper.parsing = parsing
    shopper.person_mask = ((parsing > 0) * 255).astype(np.uint8)
    shopper.image = shopper.image.copy()
    shopper.image[parsing == C.UPPER_CLOTHES] = DRESS
    return shopper


DENIM = (40, 60, 170)
GREY = (120, 120, 120)


def heavy_legged_shopper(thigh: int = 20, shin: int = 15):
    """The stick figure in grey trousers, with legs far wider than its default ones (they touch)."""
    shopper = make_person(pants=GREY, upper_to=0.0)
    kp = {
        "rh": (85, 160),
        "rk": (84, 215),
        "ra": (84, 268),
        "lh": (115, 160),
        "lk": (116, 215),
        "la": (116, 268),
    }
    parsing = shopper.parsing.copy()
    for hip, knee, ankle in (("rh", "rk", "ra"), ("lh", "lk", "la")):
        cv2.line(parsing, kp[hip], kp[knee], int(C.PANTS), 2 * thigh)
        cv2.line(parsing, kp[knee], kp[ankle], int(C.PANTS), 2 * shin)
    shopper.parsing = parsing
    shopper.person_mask = ((parsing > 0) * 255).astype(np.uint8)
    shopper.image = shopper.image.copy()
    shopper.image[parsing == C.PANTS] = GREY
    return shopper


def denim_pixels(image: np.ndarray) -> np.ndarray:
    """Where ``image`` shows the blue of ``DENIM`` (any shade of it)."""
    rgb = image.astype(np.int16)
    return (rgb[..., 2] - rgb[..., 0] > 60) & (rgb[..., 2] > 100)


def skin_above(person: PhotoAnalysis, row: int) -> PhotoAnalysis:
    """``person`` with her top's pixels above ``row`` turned to bare skin (a lower neckline), in place."""
    chest = (person.parsing == C.UPPER_CLOTHES) & (np.arange(person.parsing.shape[0])[:, None] < row)
    person.parsing[chest] = C.FACE
    person.image[chest] = COLOURS[C.FACE]
    return person


def render_top(shopper: PhotoAnalysis, product: PhotoAnalysis):
    """The warp renderer's try-on of ``product``'s top (cut from an on-model photo) on ``shopper``."""
    from ml.render import get_renderer
    from ml.types import GarmentKind, GarmentSource, RenderRequest

    request = RenderRequest(
        shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, analysis=product),)
    )
    return get_renderer("warp").render(request)
