import numpy as np
import pytest

from ml.garments import GARMENT_LANDMARKS, STYLES, draw_packshot, estimate_landmarks, garment_shape
from ml.types import GarmentKind

ALL_STYLES = [(kind, style) for kind, styles in STYLES.items() for style in styles]


@pytest.mark.parametrize(("kind", "style"), ALL_STYLES)
def test_generated_landmarks_round_trip_through_estimation(kind, style):
    # given a generated packshot with exact landmarks
    packshot = draw_packshot(
        kind=kind, colour=(180, 60, 70), pattern="stripes", seed=3, style=style, size=(384, 288)
    )
    # when its landmarks are estimated from the mask alone
    estimated = estimate_landmarks(packshot.image, packshot.mask, kind)
    # then every landmark is found within 4% of the garment's height
    ys = np.nonzero(packshot.mask > 127)[0]
    tolerance = 0.04 * (ys.max() - ys.min())
    assert set(estimated) == set(packshot.landmarks)
    for name, (x, y) in packshot.landmarks.items():
        ex, ey = estimated[name]
        assert np.hypot(ex - x, ey - y) <= tolerance, (name, (x, y), (ex, ey))


@pytest.mark.parametrize(("kind", "style"), ALL_STYLES)
def test_packshot_has_the_landmark_set_of_its_shape_and_wearer_sides(kind, style):
    # when a packshot is drawn
    packshot = draw_packshot(kind=kind, colour=(40, 80, 160), seed=1, style=style, size=(384, 288))
    lm = packshot.landmarks
    # then it carries exactly its shape's landmarks, the wearer's right on the image's left
    assert tuple(lm) == GARMENT_LANDMARKS[garment_shape(kind, lm)]
    assert (
        lm["waist_right" if "waist_right" in lm else "shoulder_right"][0]
        < lm["waist_left" if "waist_left" in lm else "shoulder_left"][0]
    )
    # and every landmark lies on (or at the edge of) the garment mask
    for x, y in lm.values():
        patch = packshot.mask[max(int(y) - 3, 0) : int(y) + 4, max(int(x) - 3, 0) : int(x) + 4]
        assert patch.max() > 127
    assert packshot.image.shape == (384, 288, 3)
    assert packshot.mask.shape == (384, 288)
    # and the background stays white-ish far from the garment
    assert packshot.image[2, 2].min() >= 235


def test_packshots_are_deterministic_and_patterns_differ():
    # given the same arguments twice, and a different pattern
    a = draw_packshot(kind=GarmentKind.TOP, colour=(10, 120, 90), pattern="dots", seed=7, size=(192, 144))
    b = draw_packshot(kind=GarmentKind.TOP, colour=(10, 120, 90), pattern="dots", seed=7, size=(192, 144))
    c = draw_packshot(kind=GarmentKind.TOP, colour=(10, 120, 90), pattern="solid", seed=7, size=(192, 144))
    # then the pixels repeat exactly, and the pattern changes them inside the garment only
    assert np.array_equal(a.image, b.image)
    assert not np.array_equal(a.image[a.mask > 200], c.image[c.mask > 200])
    assert np.array_equal(a.mask, c.mask)


def test_unknown_style_pattern_or_outfit_is_refused():
    with pytest.raises(ValueError, match="style"):
        draw_packshot(kind=GarmentKind.TOP, colour=(1, 2, 3), style="skirt")
    with pytest.raises(ValueError, match="pattern"):
        draw_packshot(kind=GarmentKind.TOP, colour=(1, 2, 3), pattern="paisley")
    with pytest.raises(ValueError, match="one garment"):
        draw_packshot(kind=GarmentKind.FULL_OUTFIT, colour=(1, 2, 3))
