"""Procedural flat garments ("packshots") with exact landmarks, and landmark estimation.

Left and right are always the **wearer's**, as in :data:`ml.types.KEYPOINT_NAMES`: a garment
photographed from the front shows its wearer's right side on the image's *left*. So
``shoulder_right`` has a smaller x than ``shoulder_left`` and maps onto the keypoint
``right_shoulder``.

Landmark sets (:data:`GARMENT_LANDMARKS`) are keyed by garment *shape*, because a bottom can be
trousers or a skirt (see :func:`garment_shape`):

* ``top`` / ``outerwear``: neckline (both corners and the centre of the front neckline),
  shoulders, both corners of each sleeve opening (``outer`` is the side away from the body),
  armpits and hem corners. Sleeveless garments put the sleeve corners on the shoulder
  (outer) and the armpit (inner).
* ``dress``: the same plus ``waist_left``/``waist_right``; the hem is the skirt's hem.
* ``trousers``: waistband corners, crotch and both corners of each leg opening.
* ``skirt``: waistband corners and hem corners.

Every tuned number of a packshot's analysis is a field of a frozen config in its module
(:class:`~ml.garments.mask.CutoutTuning`, :class:`~ml.garments.structure.StructureTuning`,
:class:`~ml.garments.estimate.EstimateTuning`, :class:`~ml.garments.packshot.PackshotTuning`);
:data:`GARMENTS_VERSION` carries their digest, so changing any of them changes the version of the
stored analyses (mask, structure, landmarks) and of the renders made from them. The drawn
garments' proportions and look (:data:`DRAWING_TUNINGS`) change no analysis of a stored image and
are not in it.
"""

from ml.garments import drawing, estimate, mask, neckline, packshot, shapes, structure
from ml.garments.drawing import draw_packshot
from ml.garments.estimate import estimate_landmarks
from ml.garments.landmarks import GARMENT_LANDMARKS, PATTERNS, STYLES, Point, garment_shape
from ml.garments.mask import packshot_mask
from ml.garments.packshot import prepare_packshot
from ml.tuning import versioned

GARMENT_TUNINGS = (mask.TUNING, structure.TUNING, estimate.TUNING, neckline.TUNING, packshot.TUNING)
GARMENTS_VERSION = versioned("garments-2", *GARMENT_TUNINGS)
DRAWING_TUNINGS = (shapes.TUNING, drawing.TUNING)

__all__ = [
    "DRAWING_TUNINGS",
    "GARMENTS_VERSION",
    "GARMENT_LANDMARKS",
    "GARMENT_TUNINGS",
    "PATTERNS",
    "STYLES",
    "Point",
    "draw_packshot",
    "estimate_landmarks",
    "garment_shape",
    "packshot_mask",
    "prepare_packshot",
]
