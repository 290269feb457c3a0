"""ml.garments as a package: the public names importers use, and pixels pinned across refactors."""

from __future__ import annotations

import hashlib

import pytest

import ml.garments
from ml.garments import draw_packshot

# Digests of image+mask bytes taken before ml/garments.py was split into a package. They pin the
# drawing code under the versions in requirements.txt (numpy, cv2, Pillow): a library upgrade that
# changes anti-aliasing may legitimately move them, a refactor must not.
PINNED = [
    (
        dict(kind="top", colour=(40, 90, 160), pattern="stripes", seed=1, style="shirt"),
        "fa4ad9b648173ced1582cf75b408b514293962bdbb0aa92d61128856edbdc523",
    ),
    (
        dict(kind="bottom", colour=(30, 40, 90), pattern="denim", seed=2, style="trousers"),
        "fa017b5b1131e8270cd74ea8b59f5dcd4d117d5a508bf63c05e1bd44944a5493",
    ),
    (
        dict(kind="dress", colour=(200, 60, 90), pattern="floral", seed=3, style="sleeveless"),
        "7ca8154acd9e4fea06fa3c7728ed4c9a427b74a47f1ba99dd986cd6446421056",
    ),
]


def test_package_reexports_the_names_used_outside_ml_garments():
    # given the names catalog/, tryon/, benchmarks/, ml.evaluate and ml.render.warp import
    used = {"GARMENT_LANDMARKS", "STYLES", "PATTERNS", "draw_packshot", "estimate_landmarks", "garment_shape"}
    # then every one is importable from the package itself
    assert used <= set(ml.garments.__all__)
    assert [name for name in sorted(used) if not hasattr(ml.garments, name)] == []


@pytest.mark.parametrize(("kwargs", "digest"), PINNED, ids=["shirt", "trousers", "dress"])
def test_same_arguments_give_the_pinned_pixels(kwargs, digest):
    # given a small packshot drawn with fixed arguments
    packshot = draw_packshot(size=(128, 96), **kwargs)
    # then its pixels and mask are byte-identical to the ones drawn before the refactor
    assert hashlib.sha256(packshot.image.tobytes() + packshot.mask.tobytes()).hexdigest() == digest
