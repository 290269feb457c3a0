"""The sleeve cap of a packshot top belongs to the sleeve piece, so it stays on a raised upper arm."""

import numpy as np

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.types import KP, GarmentKind, GarmentSource, RenderRequest
from tests.support.people import make_person

RED = (220, 30, 40)
HANDS_ON_HIPS = {
    "right_elbow": (48, 120),
    "left_elbow": (152, 120),
    "right_wrist": (80, 158),
    "left_wrist": (120, 158),
}


def _upper_arm_band(shopper, side: str) -> np.ndarray:
    """Pixels within 4 px of the first half of the shopper's upper arm bone (shoulder -> mid-arm)."""
    a = shopper.keypoints[KP[f"{side}_shoulder"]]
    b = shopper.keypoints[KP[f"{side}_elbow"]]
    mid = a + 0.5 * (b - a)
    ys, xs = np.mgrid[0 : shopper.height, 0 : shopper.width].astype(np.float64)
    d = mid - a
    t = np.clip(((xs - a[0]) * d[0] + (ys - a[1]) * d[1]) / float(d @ d), 0.0, 1.0)
    return np.hypot(xs - (a[0] + t * d[0]), ys - (a[1] + t * d[1])) <= 4


def test_a_tshirt_sleeve_covers_the_upper_arm_of_a_hands_on_hips_figure():
    # given a shopper with hands on her hips (upper arms pointing out) and a t-shirt packshot
    shopper = make_person(upper=(40, 60, 200), pose=HANDS_ON_HIPS)
    packshot = draw_packshot(kind=GarmentKind.TOP, colour=RED, style="tshirt")
    # when rendered
    result = get_renderer("warp").render(
        RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=packshot),))
    )
    # then the sleeve (red) covers the top half of each upper arm, from the shoulder on
    red = np.abs(result.image.astype(int) - np.array(RED)).max(axis=2) <= 60
    for side in ("right", "left"):
        band = _upper_arm_band(shopper, side)
        assert red[band].mean() >= 0.9, side
