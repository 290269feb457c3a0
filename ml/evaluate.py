"""Helpers shared by the evaluation and the benchmarks: the garment kind of an on-model photo,
photo folders and pair orders. The evaluation itself is :mod:`ml.evaluation`."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ml.types import KP, GarmentKind, PhotoAnalysis
from ml.types import ParsingClass as C

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def _knee_reach(analysis: PhotoAnalysis) -> tuple[float, float] | None:
    """Heights of the hips and the knees. A knee the pose model missed (hidden under a long
    dress) is taken from the other knee; with neither knee seen (a photo cut off near the hips)
    there is no telling a dress from a top by its length."""
    kp = analysis.keypoints

    def seen(*names: str) -> list[float]:
        return [float(kp[KP[n]][1]) for n in names if kp[KP[n]][0] >= 0]

    hips = seen("right_hip", "left_hip")
    if not hips:
        return None
    hip_y = sum(hips) / len(hips)
    knees = seen("right_knee", "left_knee")
    if not knees:
        return None
    return hip_y, sum(knees) / len(knees)


def infer_kind(analysis: PhotoAnalysis) -> GarmentKind:
    """Garment kind of an on-model photo from its parsing: bottoms, dresses (long tops) or tops."""
    parsing = analysis.parsing
    upper = parsing == C.UPPER_CLOTHES
    lower = (parsing == C.PANTS) | (parsing == C.SKIRT)
    if upper.sum() < 0.25 * lower.sum():
        return GarmentKind.BOTTOM
    if (parsing == C.SKIRT).sum() > 0.2 * upper.sum():
        return GarmentKind.DRESS
    reach = _knee_reach(analysis)
    if reach is not None and upper.any():
        hip_y, knee_y = reach
        bottom = np.flatnonzero(upper.any(axis=1))[-1]
        if bottom > hip_y + 0.4 * (knee_y - hip_y):
            return GarmentKind.DRESS
    return GarmentKind.TOP


def list_images(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)


def spread_pairs(shoppers: list[Path], products: list[Path], limit: int | None) -> list[tuple[Path, Path]]:
    """Every (shopper, product) pair of different photos, ordered so that a prefix covers everyone."""
    pairs: list[tuple[Path, Path]] = []
    n = max(len(shoppers), len(products))
    for offset in range(n):
        for i, shopper in enumerate(shoppers):
            product = products[(i + offset) % len(products)]
            if product.resolve() != shopper.resolve() and (shopper, product) not in pairs:
                pairs.append((shopper, product))
    return pairs[:limit] if limit else pairs
