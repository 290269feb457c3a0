"""Quality measures for renders: CIEDE2000, SSIM, PCKh and garment coverage (numpy/cv2 only)."""

from __future__ import annotations

import cv2
import numpy as np

from ml.types import KP


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (uint8, (..., 3)) to CIE L*a*b* (D65), float64 with L in 0..100."""
    c = np.asarray(rgb, np.float64) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array(
        [
            [0.4124564, 0.3575761, 0.1804375],
            [0.2126729, 0.7151522, 0.0721750],
            [0.0193339, 0.1191920, 0.9503041],
        ]
    )
    xyz = linear @ m.T / np.array([0.95047, 1.0, 1.08883])
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > eps, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    lab = np.empty_like(f)
    lab[..., 0] = 116 * f[..., 1] - 16
    lab[..., 1] = 500 * (f[..., 0] - f[..., 1])
    lab[..., 2] = 200 * (f[..., 1] - f[..., 2])
    return lab


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """CIEDE2000 colour difference (kL = kC = kH = 1) between Lab arrays of shape (..., 3)."""
    lab1, lab2 = np.asarray(lab1, np.float64), np.asarray(lab2, np.float64)
    l1, a1, b1 = lab1[..., 0], lab1[..., 1], lab1[..., 2]
    l2, a2, b2 = lab2[..., 0], lab2[..., 1], lab2[..., 2]
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    c_mean7 = ((c1 + c2) / 2) ** 7
    g = 0.5 * (1 - np.sqrt(c_mean7 / (c_mean7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    h1p = np.where((a1p == 0) & (b1 == 0), 0.0, h1p)
    h2p = np.where((a2p == 0) & (b2 == 0), 0.0, h2p)

    dl = l2 - l1
    dc = c2p - c1p
    zero = c1p * c2p == 0
    dh = h2p - h1p
    dh = np.where(dh > 180 + 1e-9, dh - 360, np.where(dh < -180 - 1e-9, dh + 360, dh))
    dh = np.where(zero, 0.0, dh)
    d_big_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh) / 2)

    l_mean = (l1 + l2) / 2
    c_mean = (c1p + c2p) / 2
    h_sum = h1p + h2p
    h_mean = np.where(
        zero,
        h_sum,
        np.where(
            np.abs(h1p - h2p) <= 180 + 1e-9,
            h_sum / 2,
            np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2),
        ),
    )
    t = (
        1
        - 0.17 * np.cos(np.radians(h_mean - 30))
        + 0.24 * np.cos(np.radians(2 * h_mean))
        + 0.32 * np.cos(np.radians(3 * h_mean + 6))
        - 0.20 * np.cos(np.radians(4 * h_mean - 63))
    )
    d_theta = 30 * np.exp(-(((h_mean - 275) / 25) ** 2))
    c_mean7p = c_mean**7
    r_c = 2 * np.sqrt(c_mean7p / (c_mean7p + 25.0**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * c_mean
    s_h = 1 + 0.015 * c_mean * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    return np.sqrt(
        (dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_big_h / s_h) ** 2 + r_t * (dc / s_c) * (d_big_h / s_h)
    )


def ssim_map(a: np.ndarray, b: np.ndarray, sigma: float = 1.5) -> np.ndarray:
    """Per-pixel SSIM (Wang et al. 2004, Gaussian window) of two greyscale or RGB uint8 images."""
    if a.ndim == 3:
        a = cv2.cvtColor(a, cv2.COLOR_RGB2GRAY)
    if b.ndim == 3:
        b = cv2.cvtColor(b, cv2.COLOR_RGB2GRAY)
    x, y = a.astype(np.float64), b.astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    def blur(z):
        return cv2.GaussianBlur(z, (0, 0), sigma)

    mx, my = blur(x), blur(y)
    vx = blur(x * x) - mx * mx
    vy = blur(y * y) - my * my
    cxy = blur(x * y) - mx * my
    return ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))


def masked_ssim(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> float | None:
    """Mean SSIM over ``mask`` (computed on the mask's bounding box, with a small margin)."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    y0, y1 = max(rows[0] - 8, 0), rows[-1] + 9
    x0, x1 = max(cols[0] - 8, 0), cols[-1] + 9
    values = ssim_map(a[y0:y1, x0:x1], b[y0:y1, x0:x1])[mask[y0:y1, x0:x1]]
    return float(values.mean())


def head_size(keypoints: np.ndarray) -> float | None:
    """PCKh's reference length: neck to top of head, taken as twice the neck-nose distance."""
    neck, nose = keypoints[KP["neck"]], keypoints[KP["nose"]]
    if neck[0] < 0 or nose[0] < 0:
        return None
    return 2.0 * float(np.linalg.norm(neck - nose))


def pckh(predicted: np.ndarray, reference: np.ndarray, threshold: float = 0.5) -> float | None:
    """Fraction of the reference's visible keypoints found within ``threshold`` head sizes."""
    size = head_size(reference)
    visible = reference[:, 0] >= 0
    if size is None or not visible.any():
        return None
    found = predicted[:, 0] >= 0
    dist = np.linalg.norm(predicted - reference, axis=1)
    hits = visible & found & (dist <= threshold * size)
    return float(hits.sum() / visible.sum())


def mean_colour_difference(image_a: np.ndarray, mask_a: np.ndarray, image_b: np.ndarray, mask_b: np.ndarray):
    """CIEDE2000 between the mean Lab colours of two masked regions (None when one is empty)."""
    if not mask_a.any() or not mask_b.any():
        return None
    lab_a = rgb_to_lab(image_a[mask_a]).mean(axis=0)
    lab_b = rgb_to_lab(image_b[mask_b]).mean(axis=0)
    return float(ciede2000(lab_a, lab_b))


def coverage(target: np.ndarray, covered: np.ndarray) -> float | None:
    """Fraction of ``target`` pixels that ``covered`` includes."""
    total = int(target.sum())
    if total == 0:
        return None
    return float((target & covered).sum() / total)
