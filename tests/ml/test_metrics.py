import numpy as np
import pytest

from ml import metrics

# Sharma, Wu and Dalal (2005), "The CIEDE2000 color-difference formula", Table 1.
SHARMA = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 2.8361, -74.0200), (50.0000, 0.0000, -82.7485), 3.4412),
    ((50.0000, -1.3802, -84.2814), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -1.1848, -84.8006), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -0.9009, -85.5211), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, -1.0000, 2.0000), (50.0000, 0.0000, 0.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0010), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0011), 7.2195),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0012), 7.2195),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0009, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0010, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0011, -2.4900), 4.7461),
    ((50.0000, 2.5000, 0.0000), (50.0000, 0.0000, -2.5000), 4.3065),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (61.0000, -5.0000, 29.0000), 22.8977),
    ((50.0000, 2.5000, 0.0000), (56.0000, -27.0000, -3.0000), 31.9030),
    ((50.0000, 2.5000, 0.0000), (58.0000, 24.0000, 15.0000), 19.4535),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.1736, 0.5854), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2972, 0.0000), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 1.8634, 0.5757), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2592, 0.3350), 1.0000),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((61.2901, 3.7196, -5.3901), (61.4292, 2.2480, -4.9620), 1.8731),
    ((35.0831, -44.1164, 3.7933), (35.0232, -40.0716, 1.5901), 1.8645),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((36.4612, 47.8580, 18.3852), (36.2715, 50.5065, 21.2231), 1.4146),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    ((6.7747, -0.2908, -2.4247), (5.8714, -0.0985, -2.2286), 0.6377),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


def test_ciede2000_matches_sharmas_published_pairs():
    lab1 = np.array([p[0] for p in SHARMA])
    lab2 = np.array([p[1] for p in SHARMA])
    expected = np.array([p[2] for p in SHARMA])
    np.testing.assert_allclose(metrics.ciede2000(lab1, lab2), expected, atol=5e-5)
    # and it is symmetric
    np.testing.assert_allclose(metrics.ciede2000(lab2, lab1), expected, atol=5e-5)


def test_rgb_to_lab_of_known_colours():
    lab = metrics.rgb_to_lab(np.array([[255, 255, 255], [0, 0, 0], [255, 0, 0]], np.uint8))
    np.testing.assert_allclose(lab[0], [100, 0, 0], atol=0.01)
    np.testing.assert_allclose(lab[1], [0, 0, 0], atol=0.01)
    np.testing.assert_allclose(lab[2], [53.24, 80.09, 67.20], atol=0.05)


def test_ssim_is_one_for_identical_and_lower_for_noisy_images():
    rng = np.random.default_rng(0)
    image = (rng.random((64, 64, 3)) * 255).astype(np.uint8)
    mask = np.zeros((64, 64), bool)
    mask[16:48, 16:48] = True
    assert metrics.masked_ssim(image, image, mask) == pytest.approx(1.0)
    noise = rng.normal(0, 1, (64, 64, 1))
    slightly = np.clip(image + 10 * noise, 0, 255).astype(np.uint8)
    very = np.clip(image + 60 * noise, 0, 255).astype(np.uint8)
    assert 0.5 < metrics.masked_ssim(image, very, mask) < metrics.masked_ssim(image, slightly, mask) < 0.99
    assert metrics.masked_ssim(image, image, np.zeros_like(mask)) is None


def test_pckh_counts_keypoints_within_half_a_head():
    reference = np.full((18, 2), -1.0, np.float32)
    reference[0] = (100, 50)  # nose
    reference[1] = (100, 70)  # neck: head size 40, threshold 20
    reference[2] = (80, 72)
    reference[5] = (120, 72)
    predicted = reference.copy()
    predicted[2] = (80, 91)  # 19 px off: a hit
    predicted[5] = (120, 93)  # 21 px off: a miss
    assert metrics.pckh(predicted, reference) == pytest.approx(3 / 4)
    predicted[0] = -1  # missing in the render: a miss
    assert metrics.pckh(predicted, reference) == pytest.approx(2 / 4)


def test_coverage_and_colour_difference():
    target = np.zeros((10, 10), bool)
    target[:, :5] = True
    covered = np.zeros((10, 10), bool)
    covered[:5, :] = True
    assert metrics.coverage(target, covered) == pytest.approx(0.5)
    a = np.full((10, 10, 3), (200, 30, 30), np.uint8)
    assert metrics.mean_colour_difference(a, target, a, covered) == pytest.approx(0.0)
    b = np.full((10, 10, 3), (30, 30, 200), np.uint8)
    assert metrics.mean_colour_difference(a, target, b, covered) > 30
