"""A white top over a printed dress leaves no trace of the print: no flecks (print dots the parser
took for skin are not her arms) and no shadows (a print is not a fold)."""

import cv2
import numpy as np

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.types import KP, GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import shopper_in_a_dress

PRINT_RED = (210, 30, 40)
CREAM = (240, 225, 205)
WHITE = (250, 250, 250)
DOTS = 60
DOT_RADIUS = 3
ARM_TOUCH = 2 * (2 * DOT_RADIUS + 1)  # px: two dots' width (a dot on her arm, or on that dot)
BELLY = (100, 140)
PRINT_TRACE = 6  # grey levels: below what an eye sees on white (the dots' shadows were 30 and more)


def _shopper(*, printed: bool, dots_read_as_skin: bool = False):
    """The stick figure in a cream dress, with red dots printed on it when asked."""
    shopper = shopper_in_a_dress()
    image, parsing = shopper.image.copy(), shopper.parsing.copy()
    dress = parsing == C.UPPER_CLOTHES
    image[dress] = CREAM
    if printed:
        ys, xs = np.nonzero(dress)
        for index in np.random.default_rng(3).choice(len(ys), DOTS, replace=False):
            centre = (int(xs[index]), int(ys[index]))
            cv2.circle(image, centre, DOT_RADIUS, PRINT_RED, -1)
            if dots_read_as_skin:
                cv2.circle(parsing, centre, DOT_RADIUS, int(C.ARMS), -1)
        image[parsing == 0] = shopper.image[parsing == 0]
    shopper.image, shopper.parsing = image, parsing
    shopper.person_mask = ((parsing > 0) * 255).astype(np.uint8)
    return shopper


def near_dots(shopper) -> np.ndarray:
    """Within a dot's width of a printed dot (where the dress's print may touch her arm)."""
    dots = _red(shopper.image).astype(np.uint8)
    return cv2.dilate(dots, np.ones((2 * DOT_RADIUS + 3,) * 2, np.uint8)) > 0


def _white_tee_on(shopper):
    tee = draw_packshot(kind=GarmentKind.TOP, colour=WHITE, style="tshirt", seed=1, size=(384, 288))
    request = RenderRequest(shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=tee),))
    return get_renderer("warp").render(request)


def _inside_the_tee(plain) -> np.ndarray:
    """Where the tee fully covers her in the render on the plain dress, a few px in from its edge."""
    covered = (plain.garment_alpha > 0.99).astype(np.uint8)
    return cv2.erode(covered, np.ones((7, 7), np.uint8)) > 0


def _red(image: np.ndarray) -> np.ndarray:
    return np.abs(image.astype(int) - PRINT_RED).max(axis=2) < 60


def test_a_print_casts_no_shadows_on_a_white_top():
    # given the same shopper in a plain cream dress and in the dress printed with red dots
    plain = _white_tee_on(_shopper(printed=False))
    printed = _white_tee_on(_shopper(printed=True))
    inside = _inside_the_tee(plain)
    assert inside.sum() > 2000
    # when a white tee is rendered on each
    # then inside the tee the two pictures are the same but for a few grey levels: the dots
    # left neither flecks nor darker blotches (the light of folds is not read from a print)
    difference = np.abs(printed.image.astype(int) - plain.image.astype(int)).max(axis=2)
    assert int(difference[inside].max()) <= PRINT_TRACE
    assert int(_red(printed.image)[inside].sum()) == 0


def test_print_dots_the_parser_took_for_skin_are_not_drawn_over_the_new_top():
    # given the printed dress with every dot parsed as arm (skin), away from her arms
    plain = _white_tee_on(_shopper(printed=False))
    shopper = _shopper(printed=True, dots_read_as_skin=True)
    read_as_skin = int((shopper.parsing == C.ARMS).sum()) - int(
        (_shopper(printed=False).parsing == C.ARMS).sum()
    )
    assert read_as_skin > 1000
    # when the white tee is rendered on her
    result = _white_tee_on(shopper)
    inside = _inside_the_tee(plain)
    # then no red dot shows inside the tee away from her arms (dots touching an arm, close to its
    # bone, are taken for part of it), and her arms look as they do over the plain dress
    arms = _shopper(printed=False).parsing == C.ARMS
    near_arms = cv2.dilate(arms.astype(np.uint8), np.ones((2 * ARM_TOUCH + 1,) * 2, np.uint8)) > 0
    assert int(_red(result.image)[inside & ~near_arms].sum()) == 0
    same = np.abs(result.image.astype(int) - plain.image.astype(int)).max(axis=2) <= PRINT_TRACE
    assert same[arms & ~near_dots(shopper)].mean() > 0.99


def test_a_forearm_across_the_dress_is_kept_and_a_detached_skin_patch_is_not():
    # given a shopper whose right forearm runs from her elbow across the dress (the wrist on her
    # belly), and a skin-labelled patch in the middle of the dress touching no arm
    from ml.render.warp import WarpRenderer, body_skeleton

    shopper = _shopper(printed=False)
    original = shopper.parsing == C.ARMS
    elbow = tuple(int(v) for v in shopper.keypoints[KP["right_elbow"]])
    keypoints = shopper.keypoints.copy()
    keypoints[KP["right_wrist"]] = BELLY
    parsing = shopper.parsing.copy()
    cv2.line(parsing, elbow, BELLY, int(C.ARMS), 10)
    forearm = (parsing == C.ARMS) & ~original
    cv2.circle(parsing, (112, 190), 6, int(C.ARMS), -1)
    patch = (parsing == C.ARMS) & ~original & ~forearm
    shopper.parsing, shopper.keypoints = parsing, keypoints
    assert forearm.sum() > 200 and patch.sum() > 80
    # when her arms are picked out
    arms = WarpRenderer._arms_on_bones(shopper, body_skeleton(shopper))
    # then the forearm across the dress is kept whole, the patch is left out
    assert bool(arms[forearm].all())
    assert int(arms[patch].sum()) == 0
