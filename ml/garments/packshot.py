"""A flat product photo made ready for rendering: its garment mask, structure and landmarks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ml.errors import CannotRender, InvalidImage
from ml.garments.estimate import estimate_landmarks
from ml.garments.landmarks import GARMENT_LANDMARKS, garment_shape
from ml.garments.mask import packshot_mask
from ml.garments.neckline import inner_back
from ml.garments.structure import read_structure
from ml.types import GarmentKind, Packshot


@dataclass(frozen=True)
class PackshotTuning:
    """The numbers of a packshot's preparation (its cut-out, structure and landmarks have their own)."""

    min_garment_share: float = 0.02  # of the photo's pixels: less than this is no garment found


TUNING = PackshotTuning()


def prepare_packshot(
    image: np.ndarray, kind: GarmentKind | str, landmarks: dict[str, tuple[float, float]] | None = None
) -> Packshot:
    """The packshot's garment cut out, its structure read and its landmarks (given ones win over
    estimated ones), and the inside of an invisible mannequin's back neckline taken out of the mask
    (:mod:`ml.garments.neckline`).

    Raises :class:`InvalidImage` when no garment stands out from the background and
    :class:`CannotRender` when the outline is not a garment of ``kind`` (the reason says why).
    """
    kind = GarmentKind(kind)
    mask = packshot_mask(image)
    if int((mask > 127).sum()) < TUNING.min_garment_share * mask.size:
        raise InvalidImage("No garment could be found on this product photo's background.")
    structure = read_structure(mask, kind)
    if not structure.kind_ok:
        raise CannotRender(f"This product photo does not show a {kind}: {structure.kind_reason}.")
    given = {name: (float(x), float(y)) for name, (x, y) in (landmarks or {}).items()}
    missing = [name for name in GARMENT_LANDMARKS[garment_shape(kind, given or None)] if name not in given]
    points = dict(given)
    if missing:  # none given, or some: the outline's estimate completes them (given ones win)
        try:
            points = {**estimate_landmarks(image, mask, kind, structure=structure), **given}
        except (ValueError, IndexError) as error:
            if given:
                raise CannotRender(
                    f"The product photo's landmarks lack {', '.join(missing)}, and its outline does not"
                    f" look enough like a {kind} to place them."
                ) from error
            raise CannotRender(f"The packshot's outline does not look like a {kind}.") from error
    # the inside of the back neckline is read as garment above (its outline), but is behind the neck
    # when worn, so it leaves the mask only now
    hidden = inner_back(image, mask, structure)
    if hidden is not None:
        mask = np.round(mask.astype(np.float32) * (1.0 - hidden)).astype(np.uint8)
    return Packshot(image=image, mask=mask, kind=kind, landmarks=points, structure=structure)
