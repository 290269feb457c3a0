"""Tables from the public human-parsing label sets to ADGAN's eight ``semantic_merge3`` classes.

Hats go with hair, sunglasses with the face, gloves with arms, socks and shoes with legs;
dresses, coats, scarves and jumpsuits with upper clothes (a jumpsuit's texture is one piece).
Belts and bags (ATR) are treated as upper clothes and background respectively.
"""

from __future__ import annotations

import numpy as np

from ml.types import ParsingClass as C

LIP_LABELS = (
    "background", "hat", "hair", "glove", "sunglasses", "upper_clothes", "dress", "coat", "socks",
    "pants", "jumpsuits", "scarf", "skirt", "face", "left_arm", "right_arm", "left_leg", "right_leg",
    "left_shoe", "right_shoe",
)  # fmt: skip
# CIHP uses the same 20 classes in the same order as LIP.
CIHP_LABELS = LIP_LABELS
ATR_LABELS = (
    "background", "hat", "hair", "sunglasses", "upper_clothes", "skirt", "pants", "dress", "belt",
    "left_shoe", "right_shoe", "face", "left_leg", "right_leg", "left_arm", "right_arm", "bag", "scarf",
)  # fmt: skip

_BY_NAME = {
    "background": C.BACKGROUND,
    "hat": C.HAIR,
    "hair": C.HAIR,
    "glove": C.ARMS,
    "sunglasses": C.FACE,
    "upper_clothes": C.UPPER_CLOTHES,
    "dress": C.UPPER_CLOTHES,
    "coat": C.UPPER_CLOTHES,
    "socks": C.LEGS,
    "pants": C.PANTS,
    "jumpsuits": C.UPPER_CLOTHES,
    "scarf": C.UPPER_CLOTHES,
    "skirt": C.SKIRT,
    "face": C.FACE,
    "left_arm": C.ARMS,
    "right_arm": C.ARMS,
    "left_leg": C.LEGS,
    "right_leg": C.LEGS,
    "left_shoe": C.LEGS,
    "right_shoe": C.LEGS,
    "belt": C.UPPER_CLOTHES,
    "bag": C.BACKGROUND,
}

LABEL_SETS: dict[str, tuple[str, ...]] = {"lip": LIP_LABELS, "atr": ATR_LABELS, "cihp": CIHP_LABELS}


def merge_table(label_set: str) -> np.ndarray:
    """A lookup array: ``table[source_label] -> ParsingClass`` value (uint8)."""
    names = LABEL_SETS[label_set]
    return np.array([int(_BY_NAME[name]) for name in names], dtype=np.uint8)
