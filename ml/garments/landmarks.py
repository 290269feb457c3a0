"""Landmark sets, cuts and patterns of the procedural garments, and the landmark set of a garment."""

from __future__ import annotations

from ml.types import GarmentKind

_UPPER = (
    "neckline_left",
    "neckline_right",
    "neckline_center",
    "shoulder_left",
    "shoulder_right",
    "sleeve_left_outer",
    "sleeve_left_inner",
    "sleeve_right_outer",
    "sleeve_right_inner",
    "armpit_left",
    "armpit_right",
    "hem_left",
    "hem_right",
)

GARMENT_LANDMARKS: dict[str, tuple[str, ...]] = {
    "top": _UPPER,
    "outerwear": _UPPER,
    "dress": (*_UPPER, "waist_left", "waist_right"),
    "trousers": (
        "waist_left",
        "waist_right",
        "crotch",
        "leg_left_outer",
        "leg_left_inner",
        "leg_right_outer",
        "leg_right_inner",
    ),
    "skirt": ("waist_left", "waist_right", "hem_left", "hem_right"),
}

# style -> (shape, sleeves); the first style of each kind is its default.
STYLES: dict[GarmentKind, dict[str, tuple[str, str]]] = {
    GarmentKind.TOP: {
        "tshirt": ("top", "short"),
        "longsleeve": ("top", "long"),
        "shirt": ("top", "long"),
        "blouse": ("top", "short"),
        "tank": ("top", "none"),
    },
    GarmentKind.OUTERWEAR: {"jacket": ("outerwear", "long"), "coat": ("outerwear", "long")},
    GarmentKind.DRESS: {
        "short_sleeve": ("dress", "short"),
        "sleeveless": ("dress", "none"),
        "long_sleeve": ("dress", "long"),
    },
    GarmentKind.BOTTOM: {
        "trousers": ("trousers", "none"),
        "shorts": ("trousers", "none"),
        "skirt": ("skirt", "none"),
    },
}

PATTERNS = ("solid", "stripes", "pinstripes", "dots", "check", "floral", "denim")

Point = tuple[float, float]


def garment_shape(kind: GarmentKind, landmarks: dict[str, tuple[float, float]] | None = None) -> str:
    """The landmark set of a garment: bottoms are trousers when they have a crotch."""
    kind = GarmentKind(kind)
    if kind == GarmentKind.BOTTOM:
        return "trousers" if landmarks is None or "crotch" in landmarks else "skirt"
    if kind == GarmentKind.FULL_OUTFIT:
        return "dress"
    return str(kind)
