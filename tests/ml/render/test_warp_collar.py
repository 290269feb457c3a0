"""A dark collar of the shopper's old top parsed as her hair goes with the top (warp-9): onmodel_01's
navy collar, joined by the parser to her dark-brown hair, is filled like the rest of her top."""

from __future__ import annotations

import numpy as np

from ml.render import get_renderer
from ml.render.warp import CLEAN_KEY
from ml.render.warp.body import body_skeleton
from ml.types import KP
from ml.types import ParsingClass as C


def _neck_and_head(shopper):
    """Hair-labelled pixels at the collar (below the chin, within a fifth of a shoulder span of
    the neck point) and on the head (above the eyes)."""
    poly = body_skeleton(shopper).polygon()
    span = float(np.linalg.norm(poly[1] - poly[0]))
    neck, nose = shopper.keypoints[KP["neck"]], shopper.keypoints[KP["nose"]]
    eyes = min(shopper.keypoints[KP["right_eye"]][1], shopper.keypoints[KP["left_eye"]][1])
    ys, xs = np.mgrid[0 : shopper.height, 0 : shopper.width]
    hair = shopper.parsing == C.HAIR
    chin = (nose[1] + neck[1]) / 2
    collar = hair & ((xs - neck[0]) ** 2 + (ys - neck[1]) ** 2 <= (0.2 * span) ** 2) & (ys > chin)
    head = hair & (ys < eyes)
    return collar, head


def test_the_navy_collar_parsed_as_hair_is_filled_and_the_hair_is_not(real_analyses):
    # given onmodel_01, whose navy collar is parsed as hair joined to her dark-brown hair
    shopper = real_analyses["onmodel_01"]
    collar, head = _neck_and_head(shopper)
    assert collar.sum() > 150
    assert head.sum() > 500
    # when her clean plate (the photo without her garments) is made
    plate = get_renderer("warp").precompute(shopper)[CLEAN_KEY]
    # then at least 95% of the collar pixels are filled
    changed = (plate != shopper.image).any(axis=2)
    assert (changed & collar).sum() >= 0.95 * collar.sum()
    # and no pixel of the hair on her head is
    assert not (changed & head).any()
