"""What each garment kind means in parsing classes: one table for the renderers, the quality
measures and the evaluation."""

from __future__ import annotations

from ml.types import GarmentKind
from ml.types import ParsingClass as C

GARMENT_CLASSES = (C.UPPER_CLOTHES, C.PANTS, C.SKIRT)

# Parsing classes that make up each garment kind in an on-model photo.
KIND_CLASSES: dict[GarmentKind, tuple[C, ...]] = {
    GarmentKind.TOP: (C.UPPER_CLOTHES,),
    GarmentKind.OUTERWEAR: (C.UPPER_CLOTHES,),
    GarmentKind.BOTTOM: (C.PANTS, C.SKIRT),
    GarmentKind.DRESS: (C.UPPER_CLOTHES, C.SKIRT),
    GarmentKind.FULL_OUTFIT: (C.UPPER_CLOTHES, C.PANTS, C.SKIRT),
}
# The shopper's own garment classes that a new garment of each kind replaces. A dress leaves her
# trousers or leggings below its hem (worn under it, as her own sleeves stay under a shorter one):
# legs painted where they were read as a damaged photo.
REPLACES: dict[GarmentKind, tuple[C, ...]] = {
    GarmentKind.TOP: (C.UPPER_CLOTHES,),
    GarmentKind.OUTERWEAR: (),
    GarmentKind.BOTTOM: (C.PANTS, C.SKIRT),
    GarmentKind.DRESS: (C.UPPER_CLOTHES, C.SKIRT),
    GarmentKind.FULL_OUTFIT: (C.UPPER_CLOTHES, C.PANTS, C.SKIRT),
}
# Layer order of garments in an outfit (lower first).
KIND_ORDER = {
    GarmentKind.BOTTOM: 0,
    GarmentKind.DRESS: 1,
    GarmentKind.FULL_OUTFIT: 1,
    GarmentKind.TOP: 2,
    GarmentKind.OUTERWEAR: 3,
}
