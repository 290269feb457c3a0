"""Component transfer: which of the eight ``semantic_merge3`` style codes come from which photo.

ADGAN encodes each parsing class of a photo into its own 64-float code, so codes from several
photos can be combined before decoding. A plan lists, per class, whether the code comes from the
shopper or from one of the garments of the request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ml.types import NUM_PARSING_CLASSES, GarmentKind, ParsingClass, RenderMode

from .networks import COMPONENT_DIM

SHOPPER = -1  # source index meaning "the shopper's own photo"

# The classes a garment of each kind brings; absent ones (a top's wearer's skirt) stay the shopper's.
GARMENT_CLASSES: dict[GarmentKind, tuple[ParsingClass, ...]] = {
    GarmentKind.TOP: (ParsingClass.UPPER_CLOTHES,),
    GarmentKind.OUTERWEAR: (ParsingClass.UPPER_CLOTHES,),
    # A bottom replaces both lower-body classes: the product's empty one means "none of those".
    GarmentKind.BOTTOM: (ParsingClass.PANTS, ParsingClass.SKIRT),
    # In semantic_merge3 a dress is upper clothes; its model's (empty) pants and skirt come along.
    GarmentKind.DRESS: (ParsingClass.UPPER_CLOTHES, ParsingClass.PANTS, ParsingClass.SKIRT),
    GarmentKind.FULL_OUTFIT: (ParsingClass.UPPER_CLOTHES, ParsingClass.PANTS, ParsingClass.SKIRT),
}


@dataclass(frozen=True)
class ComponentPlan:
    """``sources[c]`` is :data:`SHOPPER` or the index of the garment whose class-``c`` code is used."""

    sources: tuple[int, ...]

    def mix(self, shopper: np.ndarray | None, garments: Sequence[np.ndarray]) -> np.ndarray:
        """Pick each (8, 64) row from its source's codes."""
        out = np.empty((NUM_PARSING_CLASSES, COMPONENT_DIM), dtype=np.float32)
        for component, source in enumerate(self.sources):
            codes = shopper if source == SHOPPER else garments[source]
            if codes is None:
                raise ValueError("this plan needs the shopper's own style codes")
            out[component] = np.asarray(codes, dtype=np.float32).reshape(NUM_PARSING_CLASSES, -1)[component]
        return out


def plan_components(kinds: Sequence[GarmentKind], mode: RenderMode) -> ComponentPlan:
    """Which photo each component comes from, for garments of ``kinds`` (in request order).

    * ``tryon``: the shopper's own codes (background, hair, face, arms, legs, other clothes),
      each garment replacing the classes it brings; later garments win (an outfit).
    * ``pose``: everything from the first garment's model; further garments replace their classes.
    """
    if not kinds:
        raise ValueError("a render needs at least one garment")
    if mode == RenderMode.POSE:
        sources = [0] * NUM_PARSING_CLASSES
        rest = range(1, len(kinds))
    else:
        sources = [SHOPPER] * NUM_PARSING_CLASSES
        rest = range(len(kinds))
    for index in rest:
        for component in GARMENT_CLASSES[GarmentKind(kinds[index])]:
            sources[int(component)] = index
    return ComponentPlan(tuple(sources))
