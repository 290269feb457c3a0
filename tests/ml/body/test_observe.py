"""What clothes the parsing shows add to the body's outline: the allowance (at most) and the ease
(at least) the fit works with, and the synthetic outfits that the benchmark derives them from."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ml.body.observe import (
    ALLOWANCE_CM,
    EASE_CM,
    STATED_BAND_CM,
    STATED_EASE_CM,
    STEADY_SCALES,
    clothing_allowance,
    steady_pose,
)
from ml.body.types import ClothesFit
from ml.pose import PoseResult
from ml.types import ParsingClass

TOP = int(ParsingClass.UPPER_CLOTHES)
PANTS = int(ParsingClass.PANTS)
SKIRT = int(ParsingClass.SKIRT)
HIPS_Y, KNEES_Y = 400, 600  # mid-thigh at 500


def _landmarks() -> np.ndarray:
    landmarks = np.zeros((33, 2), np.float32)
    landmarks[[23, 24], 1] = HIPS_Y
    landmarks[[25, 26], 1] = KNEES_Y
    return landmarks


def _person(top_to: int, *, pants: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A person 100 px wide from row 50 to 850 in a top from row 150 to ``top_to``."""
    mask = np.zeros((900, 300), bool)
    mask[50:850, 100:200] = True
    parsing = np.zeros(mask.shape, np.uint8)
    parsing[150:top_to, 100:200] = TOP
    if pants:
        parsing[top_to:800, 100:200] = PANTS
    return mask, parsing


def test_a_top_that_goes_below_mid_thigh_hides_the_outline_from_the_hips_down_as_a_skirt():
    # given: a dress, a top from the shoulders to row 800 (below mid-thigh)
    mask, parsing = _person(800)

    # when
    allowance, ease, clothing = clothing_allowance(parsing, mask, _landmarks())

    # then: above the hips it counts as a top; from the hips down as a skirt
    assert np.all(allowance[150:HIPS_Y, 100:200] == ALLOWANCE_CM[TOP])
    assert np.all(ease[150:HIPS_Y, 100:200] == EASE_CM[TOP])
    assert np.all(allowance[HIPS_Y:800, 100:200] == ALLOWANCE_CM[SKIRT])
    assert np.all(ease[HIPS_Y:800, 100:200] == EASE_CM[SKIRT])
    assert np.all(allowance[800:] == 0.0) and np.all(ease[800:] == 0.0)  # bare legs below the hem
    assert clothing == {"upper body": ALLOWANCE_CM[TOP], "hips and thighs": ALLOWANCE_CM[SKIRT]}


def test_a_top_that_ends_above_mid_thigh_is_a_top_and_trousers_keep_their_own_allowance():
    # given: a top to row 480 (above mid-thigh at 500), trousers below it
    mask, parsing = _person(480, pants=True)

    # when
    allowance, ease, clothing = clothing_allowance(parsing, mask, _landmarks())

    # then: no skirt anywhere; each garment has its own allowance and ease
    assert np.all(allowance[150:480, 100:200] == ALLOWANCE_CM[TOP])
    assert np.all(allowance[480:800, 100:200] == ALLOWANCE_CM[PANTS])
    assert np.all(ease[480:800, 100:200] == EASE_CM[PANTS])
    assert not np.any(allowance == ALLOWANCE_CM[SKIRT])
    assert clothing == {"upper body": ALLOWANCE_CM[TOP], "legs": ALLOWANCE_CM[PANTS]}


def test_every_garment_sits_no_further_out_than_its_allowance():
    assert set(EASE_CM) == set(ALLOWANCE_CM)
    for cls, ease in EASE_CM.items():
        assert 0.0 <= ease <= ALLOWANCE_CM[cls], ParsingClass(cls).name


def test_a_top_she_says_is_fitted_keeps_the_body_in_a_narrow_band_under_it_and_her_trousers_as_before():
    # given: a top over trousers, and the shopper's word that her top is fitted (nothing said of
    # her trousers)
    mask, parsing = _person(480, pants=True)

    # when
    allowance, ease, clothing = clothing_allowance(parsing, mask, _landmarks(), ClothesFit(top="fitted"))

    # then: under the top the body sits within the band around a fitted top's ease; the trousers
    # keep the regular ease and allowance
    middle = STATED_EASE_CM["top"]["fitted"]
    assert np.all(ease[150:480, 100:200] == pytest.approx(middle - STATED_BAND_CM / 2))
    assert np.all(allowance[150:480, 100:200] == pytest.approx(middle + STATED_BAND_CM / 2))
    assert np.all(ease[480:800, 100:200] == EASE_CM[PANTS])
    assert np.all(allowance[480:800, 100:200] == ALLOWANCE_CM[PANTS])
    assert clothing == {"upper body": pytest.approx(middle + STATED_BAND_CM / 2), "legs": ALLOWANCE_CM[PANTS]}


def test_loose_trousers_she_names_get_a_looser_band_than_fitted_ones():
    mask, parsing = _person(480, pants=True)
    _, loose_ease, _ = clothing_allowance(parsing, mask, _landmarks(), ClothesFit(bottom="loose"))
    _, fitted_ease, _ = clothing_allowance(parsing, mask, _landmarks(), ClothesFit(bottom="fitted"))
    legs = (slice(480, 800), slice(100, 200))
    assert np.all(loose_ease[legs] > fitted_ease[legs])
    # and her top, of which she said nothing, keeps its regular ease in both
    assert np.all(loose_ease[150:480, 100:200] == EASE_CM[TOP])


def test_a_dress_skirt_keeps_its_own_band_whatever_she_says_of_her_top():
    mask, parsing = _person(800)
    allowance, ease, _ = clothing_allowance(parsing, mask, _landmarks(), ClothesFit(top="loose"))
    assert np.all(allowance[HIPS_Y:800, 100:200] == ALLOWANCE_CM[SKIRT])
    assert np.all(ease[HIPS_Y:800, 100:200] == EASE_CM[SKIRT])


def test_an_unknown_word_for_the_fit_is_refused_with_the_words_it_takes():
    with pytest.raises(ValueError, match="The fit of the top must be one of fitted, regular, loose"):
        ClothesFit(top="tight")


def test_the_words_bands_lie_within_the_regular_ease_and_allowance_range_order():
    for part, words in STATED_EASE_CM.items():
        values = [words["fitted"], words["regular"], words["loose"]]
        assert values == sorted(values), part
        assert words["fitted"] - STATED_BAND_CM / 2 > 0.0, part
    assert STATED_EASE_CM["top"]["regular"] == EASE_CM[TOP]
    assert STATED_EASE_CM["bottom"]["regular"] == EASE_CM[PANTS]


@pytest.mark.slow
def test_a_synthetic_dress_is_seen_as_the_product_sees_a_dress():
    from ml.body.model import get_body_model
    from ml.body.synthetic import draw_body

    # given: the same body (its own generator each time) bare and in a dress
    model = get_body_model()
    bare = draw_body(model, np.random.default_rng(5), outfit="bare")
    dressed = draw_body(model, np.random.default_rng(5), outfit="dress")

    # then: the skirt gets the skirt's allowance from the hips down, and it flares over both legs
    front = dressed.views["front"]
    assert dressed.truth == bare.truth and dressed.clothed and not bare.clothed
    assert bare.views["front"].allowance_cm is None and bare.views["front"].clothing == {}
    assert front.clothing == {"upper body": ALLOWANCE_CM[TOP], "hips and thighs": ALLOWANCE_CM[SKIRT]}
    hips_y = int(front.landmarks[[23, 24], 1].max())
    skirt_rows = np.flatnonzero((front.allowance_cm == ALLOWANCE_CM[SKIRT]).any(axis=1))
    assert abs(int(skirt_rows.min()) - hips_y) <= 1
    hem_row = front.mask[skirt_rows.max()]
    runs = np.flatnonzero(np.diff(hem_row.astype(np.int8)) == 1)
    assert len(runs) == 1  # one piece of cloth, no gap between the legs
    assert hem_row.sum() > front.mask[hips_y].sum()


def test_an_unknown_outfit_is_refused():
    from ml.body.synthetic import draw_body

    with pytest.raises(ValueError, match="outfit must be one of"):
        draw_body(None, np.random.default_rng(0), outfit="swimsuit")


class _StubEstimator:
    """Finds the person as ``poses`` says, one answer per call, and records the sizes it was given."""

    def __init__(self, poses: list[PoseResult | None]) -> None:
        self.poses = poses
        self.sizes: list[tuple[int, int]] = []
        self.counted_people: list[bool] = []

    def predict(self, image: np.ndarray, *, count_people: bool = True) -> PoseResult:
        height, width = image.shape[:2]
        self.sizes.append((width, height))
        self.counted_people.append(count_people)
        found = self.poses[len(self.sizes) - 1]
        if found is None:
            return PoseResult(
                keypoints=np.zeros((18, 2), np.float32),
                scores=np.zeros(18, np.float32),
                person_mask=np.zeros((height, width), np.uint8),
                found=False,
            )
        mask = cv2.resize(found.person_mask, (width, height), interpolation=cv2.INTER_NEAREST)
        return PoseResult(found.keypoints, found.scores, mask, True, 1, found.blaze_landmarks)


def _pose(
    mask_value: int, landmark_x: float, size: tuple[int, int] = (480, 640), visibility: float = 0.9
) -> PoseResult:
    blaze = np.zeros((33, 4), np.float32)
    blaze[:, 0] = landmark_x
    blaze[:, 1] = 0.5
    blaze[:, 3] = visibility
    return PoseResult(
        keypoints=np.zeros((18, 2), np.float32),
        scores=np.zeros(18, np.float32),
        person_mask=np.full((size[1], size[0]), mask_value, np.uint8),
        found=True,
        people_count=1,
        blaze_landmarks=blaze,
    )


def test_the_pose_is_also_taken_at_smaller_sizes_of_the_photo_as_the_pose_model_sees_it():
    # given: a 1280 x 960 photo, which the pose model sees at 640 px on its long side
    image = np.zeros((960, 1280, 3), np.uint8)
    estimator = _StubEstimator([_pose(200, 0.5)] * len(STEADY_SCALES))

    # when
    steady_pose(image, estimator, _pose(200, 0.5, (1280, 960)))

    # then: one more look per smaller scale, at that fraction of 640 px, without a second pass for
    # another person (the photo as it is was already checked for one)
    assert estimator.sizes == [(576, 432), (512, 384), (448, 336), (384, 288)]
    assert estimator.counted_people == [False] * 4
    assert STEADY_SCALES == (1.0, 0.9, 0.8, 0.7, 0.6)


def test_steadied_mask_is_the_mean_and_positions_the_median_of_the_sizes_where_the_person_was_found():
    # given: the photo as it is and four smaller sizes; at one the person is missed, at one the
    # landmarks are far off (a swap), the masks' probabilities differ from size to size
    image = np.zeros((640, 480, 3), np.uint8)
    first = _pose(100, 0.50, visibility=0.6)
    estimator = _StubEstimator(
        [
            _pose(200, 0.52, visibility=0.4),
            None,
            _pose(60, 0.48, visibility=0.3),
            _pose(240, 0.95, visibility=0.2),
        ]
    )

    # when
    mask, landmarks = steady_pose(image, estimator, first)

    # then: the missed size does not count; the far-off landmarks do not drag the median
    assert mask.shape == (640, 480)
    assert np.all(mask == 150)  # (100 + 200 + 60 + 240) / 4
    np.testing.assert_allclose(landmarks[:, 0], 0.51)  # median of 0.50, 0.52, 0.48, 0.95
    np.testing.assert_allclose(landmarks[:, 1], 0.5)
    np.testing.assert_allclose(landmarks[:, 3], 0.6)  # the photo's own visibilities, not the smaller sizes'
    assert len(estimator.sizes) == 4


@pytest.mark.slow
def test_a_synthetic_silhouette_can_carry_a_segmenters_edge_noise_and_nothing_else_changes():
    from ml.body.model import get_body_model
    from ml.body.synthetic import draw_body

    # given: one body drawn from the same generator seed with and without edge noise on its masks
    model = get_body_model()
    exact = draw_body(model, np.random.default_rng(5), outfit="bare")
    noisy = draw_body(model, np.random.default_rng(5), outfit="bare", mask_noise=0.002)
    again = draw_body(model, np.random.default_rng(5), outfit="bare", mask_noise=0.0)

    # then: the body, its truth and its landmarks are the same, and only the mask's edge moved
    assert noisy.truth == exact.truth
    for view in ("front", "side"):
        a, b = exact.views[view].mask, noisy.views[view].mask
        assert np.array_equal(noisy.views[view].landmarks, exact.views[view].landmarks)
        assert np.array_equal(again.views[view].mask, a)
        iou = (a & b).sum() / (a | b).sum()
        assert 0.93 < iou < 0.995, (view, iou)
        # the change lies along the edge: no pixel deeper than 8 px inside or outside flips
        inside = cv2.distanceTransform(a.astype(np.uint8), cv2.DIST_L2, 5)
        outside = cv2.distanceTransform((~a).astype(np.uint8), cv2.DIST_L2, 5)
        flipped = a != b
        assert flipped.any()
        assert np.maximum(inside, outside)[flipped].max() <= 8.0
