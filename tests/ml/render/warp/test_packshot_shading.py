"""The folds and shadows of her own clothes carried onto a flat packshot (``MeshPackshotSource._shading``):
only where she wore clothes, in proportion to ``shade_strength``."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from ml.garments import draw_packshot
from ml.render.warp import mesh
from ml.render.warp.body import body_skeleton
from ml.render.warp.mesh import MeshPackshotSource
from ml.types import GarmentKind
from ml.types import ParsingClass as C
from tests.support.people import make_person

IVORY = (235, 230, 220)
FOLD_ROWS = slice(118, 122)  # a dark fold 4 px tall across her top, between chest and waist
FOLD_DARKER = 40  # grey levels
FOLD_SHADE = 0.1  # along the fold's middle the garment is darker by at least this share of the strength
CLEAR = 20  # px: farther than this from her clothes nothing is carried (the soft edge's reach)


def _shading(shopper, strength: float) -> np.ndarray:
    tee = draw_packshot(kind=GarmentKind.TOP, colour=IVORY, seed=1, size=(384, 288), style="tshirt")
    source = MeshPackshotSource(tee, dataclasses.replace(mesh.TUNING, shade_strength=strength))
    source.fit_to(shopper, body_skeleton(shopper))
    height, width = shopper.parsing.shape
    return source._shading((0, 0, width, height))


def _with_fold():
    """The stick figure in a blue top with a dark fold across it, and the fold's pixels on her top."""
    shopper = make_person(upper=(120, 140, 220))
    fold = np.zeros(shopper.parsing.shape, bool)
    fold[FOLD_ROWS, :] = True
    fold &= shopper.parsing == C.UPPER_CLOTHES
    shopper.image[fold] = shopper.image[fold] - FOLD_DARKER
    return shopper, fold


def test_a_fold_in_her_top_darkens_the_packshot_there_and_nothing_beyond_her_clothes():
    # given the shopper with a dark fold across her top
    shopper, fold = _with_fold()
    # when her folds' light is worked out for a packshot tee
    factor = _shading(shopper, mesh.TUNING.shade_strength)
    # then the tee is darker along the fold's middle (at most by the strength times the range's
    # floor), and untouched away from her clothes (beyond the soft edge of where it is carried)
    middle = fold.copy()
    middle[:, : middle.shape[1] // 2 - 10] = False
    middle[:, middle.shape[1] // 2 + 10 :] = False
    darkest = 1.0 - mesh.TUNING.shade_strength * (1.0 - mesh.TUNING.shade_range[0])
    assert 1.0 - factor[middle].max() >= FOLD_SHADE * mesh.TUNING.shade_strength
    assert factor[middle].min() >= darkest - 1e-6
    clothes = np.isin(shopper.parsing, (C.UPPER_CLOTHES, C.PANTS, C.SKIRT)).astype(np.uint8)
    elsewhere = cv2.dilate(clothes, np.ones((2 * CLEAR + 1, 2 * CLEAR + 1), np.uint8)) == 0
    assert elsewhere.sum() > 10_000
    assert np.all(factor[elsewhere] == 1.0)


def test_the_folds_light_is_carried_in_proportion_to_the_strength():
    # given the shopper with a dark fold across her top
    shopper, fold = _with_fold()
    # when her folds' light is carried at two strengths
    half = _shading(shopper, 0.3)
    full = _shading(shopper, 0.6)
    # then the darkening at twice the strength is twice as deep everywhere
    np.testing.assert_allclose(full - 1.0, 2.0 * (half - 1.0), atol=1e-5)
    assert (1.0 - full[fold]).max() > 0.02
