"""warp-52 candidate: her shoulder's cap left bare beside a packshot's body and its sleeve turned
down along her arm is covered in the garment's colour; her arm farther from the shoulder, her neck
and the background stay as they were."""

import numpy as np

from ml.render.warp import WarpRenderer, body_skeleton
from ml.render.warp.geometry import Group
from ml.types import GarmentKind
from ml.types import ParsingClass as C
from tests.support.people import make_person

RED = np.array([200.0, 30.0, 30.0])
BODY = (80, 68, 121, 160)  # x0, y0, x1, y1 of the garment's body: its side runs inside her right shoulder
SLEEVE = (58, 86, 81, 112)  # ... and its right sleeve, turned down, starts below her shoulder's cap


def _composited(shopper, sleeve=SLEEVE):
    """The photo with the garment's body and ``sleeve`` drawn over it: (canvas, coverage, layers)."""
    canvas = shopper.image.astype(np.float32)
    coverage = np.zeros(shopper.parsing.shape, np.float32)
    layers = []
    for box, group in ((BODY, Group.TORSO), (sleeve, Group.RIGHT_ARM)):
        x0, y0, x1, y1 = box
        rgba = np.zeros((y1 - y0, x1 - x0, 4), np.float32)
        rgba[..., :3] = RED
        rgba[..., 3] = 255.0
        canvas[y0:y1, x0:x1] = RED
        coverage[y0:y1, x0:x1] = 1.0
        layers.append((rgba, box, group, GarmentKind.TOP))
    return canvas, coverage, layers


def test_her_shoulder_cap_between_body_and_sleeve_is_covered_in_the_garments_colour():
    # given a shopper whose right arm runs from her shoulder joint at (75, 72), and a garment whose
    # body ends inside her shoulder and whose sleeve starts 14 px below the joint
    shopper = make_person(upper=(40, 60, 200))
    canvas, coverage, layers = _composited(shopper)
    before = canvas.copy()
    # when the shoulders are closed
    WarpRenderer._close_shoulders(canvas, coverage, layers, shopper, body_skeleton(shopper))
    # then her arm just beside the body and above the sleeve is the garment's red, with no seam
    cap = np.zeros(coverage.shape, bool)
    cap[74:84, 77:80] = True
    cap &= shopper.parsing == C.ARMS
    assert cap.sum() >= 10
    assert np.abs(canvas[cap] - RED).max(axis=1).mean() < 5.0
    seam = cap.copy()
    seam[:, :79] = False
    assert (coverage[seam] == 1.0).all()
    # ... while her forearm, her neck and the background are untouched
    untouched = np.zeros(coverage.shape, bool)
    untouched[120:160, 55:75] = True
    untouched[55:66, 92:108] = True
    untouched[0:30, 0:40] = True
    assert np.array_equal(canvas[untouched], before[untouched])
    assert (coverage[untouched] == 0.0).all()
