"""warp-31: a packshot's sleeves are scaled along like the garment's body, end at her wrist at the
latest, and a bent arm's forearm sleeve is laid over the upper arm's instead of showing through it."""

import numpy as np

from ml.garments import draw_packshot
from ml.render.warp import WarpRenderer
from ml.render.warp.body import body_skeleton
from ml.render.warp.geometry import Group, Part
from ml.render.warp.mesh import MeshPackshotSource
from ml.render.warp.sources import Layer, Piece
from ml.types import GarmentKind
from tests.support.people import make_person

RED, BLUE = (200, 30, 30), (30, 40, 190)
HANGING = {
    "right_elbow": (74, 115),
    "left_elbow": (126, 115),
    "right_wrist": (74, 155),
    "left_wrist": (126, 155),
}


def _fitted(style: str, pose=HANGING):
    shopper = make_person(pose=pose)
    dst = body_skeleton(shopper)
    source = MeshPackshotSource(
        draw_packshot(kind=GarmentKind.TOP, colour=RED, style=style, seed=1, size=(384, 288))
    )
    source.fit_to(shopper, dst)
    source.pieces(dst)  # sets the sleeves' length scale
    return shopper, dst, source


def _sleeve_length_on_her(source, dst, side: str) -> float:
    _, dst_bones = source.limbs._limb_bones(
        dst,
        np.eye(3)[:2],
        dst.frame.down / np.linalg.norm(dst.frame.down),
        1.0,
        source.limbs.length_scale,
    )
    return sum(float(np.linalg.norm(b - a)) for name, (a, b) in dst_bones.items() if name.startswith(side))


def test_a_tees_sleeves_are_as_long_for_its_body_on_her_as_on_the_packshot():
    # given a tee on a shopper whose torso is long for her shoulders (the body's length scale comes
    # from her torso, not from her shoulders)
    _, dst, source = _fitted("tshirt")
    lm = source.lm
    # when the garment's body and its sleeves are laid on her
    ribbon = source.garment_map(dst)
    # (its rungs from the top: the shoulder seams, then the armpits; the packshot's centre y in column 5)
    depth_on_her = float(ribbon.levels[1] - ribbon.levels[0])
    depth_on_packshot = float(ribbon.table[1, 5] - ribbon.table[0, 5])
    body_scale = depth_on_her / depth_on_packshot
    # then each sleeve is scaled along by the same factor as the body (before warp-31 it was scaled
    # by her shoulders alone: 0.77 of the body's factor on this figure)
    for side in ("right", "left"):
        sleeve_on_packshot = float(
            np.linalg.norm(
                (lm[f"sleeve_{side}_outer"] + lm[f"sleeve_{side}_inner"]) / 2 - lm[f"shoulder_{side}"]
            )
        )
        ratio = _sleeve_length_on_her(source, dst, side) / sleeve_on_packshot / body_scale
        assert 0.97 < ratio < 1.03, (side, ratio)


def test_a_sleeve_longer_than_her_arm_ends_at_her_wrist():
    # given a long-sleeved top on a shopper whose arms are short for her torso (elbows and wrists
    # raised towards her shoulders)
    short_arms = {
        "right_elbow": (74, 100),
        "left_elbow": (126, 100),
        "right_wrist": (74, 125),
        "left_wrist": (126, 125),
    }
    _, dst, source = _fitted("longsleeve", pose=short_arms)
    # when its sleeves are laid along her arms
    for side in ("right", "left"):
        arm = sum(
            float(np.linalg.norm(b - a))
            for a, b in (dst.bones[f"{side}_upper_arm"], dst.bones[f"{side}_forearm"])
        )
        unclamped = (
            float(
                np.linalg.norm(
                    (source.lm[f"sleeve_{side}_outer"] + source.lm[f"sleeve_{side}_inner"]) / 2
                    - source.lm[f"shoulder_{side}"]
                )
            )
            * source.limbs.length_scale
        )
        length = _sleeve_length_on_her(source, dst, side)
        # then the packshot's sleeve would reach past her hand, and on her it stops at the wrist
        assert unclamped > 1.1 * arm, (side, unclamped, arm)
        assert abs(length - arm) < 0.5, (side, length, arm)


def test_the_forearm_piece_of_a_sleeve_is_laid_over_the_upper_arm_piece():
    # given two pieces of one sleeve that overlap where the arm bends: the upper arm's red, the
    # forearm's blue, each opaque over its own half of a 20 x 20 packshot
    image = np.zeros((20, 20, 3), np.uint8)
    image[:, :10], image[:, 10:] = RED, BLUE
    layer = Layer(
        image=image,
        alpha=np.ones((20, 20), np.float32),
        groups=np.full((20, 20), int(Group.RIGHT_ARM), np.uint8),
        kind=GarmentKind.TOP,
    )
    upper = np.zeros((20, 20), np.float32)
    upper[:, :12] = 1.0  # opaque a little past the split, as the cross-fade leaves it
    fore = np.zeros((20, 20), np.float32)
    fore[:, 8:] = 1.0
    # both halves land on the same pixels (the forearm's piece shifted back onto the upper arm's)
    same = Part([np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])], [np.array([[0.0, 0.0], [20.0, 20.0]])], 5.0)
    back = Part([np.array([[1.0, 0.0, 10.0], [0.0, 1.0, 0.0]])], [np.array([[0.0, 0.0], [20.0, 20.0]])], 5.0)

    class Source:
        kind = GarmentKind.TOP

        def __init__(self):
            self.layer = layer

        def pieces(self, dst):
            return [Piece(Group.RIGHT_ARM, same, upper), Piece(Group.RIGHT_ARM, back, fore, over=True)]

    # when the sleeve's pieces are warped into one layer
    ((warped, box, group, _kind),) = WarpRenderer._warp_layers([Source()], None, (20, 20), 20.0, whole=True)
    # then where both land the forearm's colour shows alone (summed, red and blue mixed to purple)
    x0, y0 = box[0], box[1]
    overlap = warped[5 - y0, 5 - x0]
    assert group == Group.RIGHT_ARM
    assert overlap[3] == 255.0
    assert tuple(np.round(overlap[:3]).astype(int)) == BLUE
