"""Skeleton and parsing overlays as PIL images or PNG bytes (for the admin, the README, sheets)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw

from ml.types import KP, NUM_PARSING_CLASSES, ParsingClass

# OpenPose's limb list on COCO-18, by name, with one colour per limb.
LIMBS: tuple[tuple[str, str], ...] = (
    ("neck", "right_shoulder"),
    ("neck", "left_shoulder"),
    ("right_shoulder", "right_elbow"),
    ("right_elbow", "right_wrist"),
    ("left_shoulder", "left_elbow"),
    ("left_elbow", "left_wrist"),
    ("neck", "right_hip"),
    ("right_hip", "right_knee"),
    ("right_knee", "right_ankle"),
    ("neck", "left_hip"),
    ("left_hip", "left_knee"),
    ("left_knee", "left_ankle"),
    ("neck", "nose"),
    ("nose", "right_eye"),
    ("right_eye", "right_ear"),
    ("nose", "left_eye"),
    ("left_eye", "left_ear"),
)
# The person's right side is drawn in warm colours, the left in cool ones.
RIGHT_COLOUR = (255, 80, 40)
LEFT_COLOUR = (40, 140, 255)
CENTRE_COLOUR = (250, 220, 40)

PARSING_COLOURS: dict[ParsingClass, tuple[int, int, int]] = {
    ParsingClass.BACKGROUND: (0, 0, 0),
    ParsingClass.PANTS: (30, 60, 200),
    ParsingClass.HAIR: (255, 60, 200),
    ParsingClass.SKIRT: (120, 40, 220),
    ParsingClass.FACE: (255, 150, 0),
    ParsingClass.UPPER_CLOTHES: (230, 40, 40),
    ParsingClass.ARMS: (60, 200, 60),
    ParsingClass.LEGS: (0, 220, 220),
}
PALETTE = np.array([PARSING_COLOURS[ParsingClass(i)] for i in range(NUM_PARSING_CLASSES)], np.uint8)


def _side_colour(a: str, b: str) -> tuple[int, int, int]:
    names = a + b
    if "right" in names:
        return RIGHT_COLOUR
    if "left" in names:
        return LEFT_COLOUR
    return CENTRE_COLOUR


def skeleton_overlay(image: np.ndarray, keypoints: np.ndarray, *, dim: float = 0.35) -> Image.Image:
    """The photo, dimmed by ``dim``, with limbs and joints drawn (person's right in red)."""
    base = image.astype(np.float32) * (1.0 - dim)
    canvas = Image.fromarray(base.clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(canvas)
    width = max(2, round(min(image.shape[:2]) / 120))
    for a, b in LIMBS:
        pa, pb = keypoints[KP[a]], keypoints[KP[b]]
        if pa[0] < 0 or pb[0] < 0:
            continue
        draw.line([tuple(pa), tuple(pb)], fill=_side_colour(a, b), width=width)
    radius = width + 1
    for name, index in KP.items():
        x, y = keypoints[index]
        if x < 0:
            continue
        colour = _side_colour(name, "")
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour, outline=(255, 255, 255))
    return canvas


def colourize(parsing: np.ndarray) -> np.ndarray:
    return PALETTE[np.clip(parsing, 0, NUM_PARSING_CLASSES - 1)]


def parsing_overlay(
    image: np.ndarray, parsing: np.ndarray, *, alpha: float = 0.6, legend: bool = True
) -> Image.Image:
    """Class colours blended over the photo, with a legend strip below when ``legend``."""
    colours = colourize(parsing).astype(np.float32)
    person = (parsing > 0)[..., None]
    blended = np.where(person, image * (1 - alpha) + colours * alpha, image * 0.5)
    out = Image.fromarray(blended.clip(0, 255).astype(np.uint8))
    return add_legend(out) if legend else out


def add_legend(image: Image.Image) -> Image.Image:
    row = 14
    columns = 4
    rows = (NUM_PARSING_CLASSES + columns - 1) // columns
    out = Image.new("RGB", (image.width, image.height + rows * row + 4), (255, 255, 255))
    out.paste(image, (0, 0))
    draw = ImageDraw.Draw(out)
    cell = image.width // columns
    for i in range(NUM_PARSING_CLASSES):
        x = (i % columns) * cell + 2
        y = image.height + 2 + (i // columns) * row
        draw.rectangle([x, y + 2, x + 10, y + 12], fill=tuple(int(v) for v in PALETTE[i]), outline=(0, 0, 0))
        draw.text((x + 13, y + 1), ParsingClass(i).name.lower().replace("_", " "), fill=(0, 0, 0))
    return out


def to_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def skeleton_png(image: np.ndarray, keypoints: np.ndarray) -> bytes:
    return to_png(skeleton_overlay(image, keypoints))


def parsing_png(image: np.ndarray, parsing: np.ndarray) -> bytes:
    return to_png(parsing_overlay(image, parsing))
