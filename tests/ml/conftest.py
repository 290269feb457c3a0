"""ml fixtures: the real photos analysed once per test session."""

from __future__ import annotations

import pytest

from ml.types import PhotoAnalysis

# The real photos the warp renderer tests render (a few, so that they need not wait for all 35).
WARP_PHOTOS = ("onmodel_01", "onmodel_08", "onmodel_15", "onmodel_16", "onmodel_20", "onmodel_21")


@pytest.fixture(scope="session")
def analyses(people_dir) -> dict[str, PhotoAnalysis]:
    """Every real photo, analysed."""
    from ml.analysis import get_analyzer
    from ml.intake import load_image

    analyzer = get_analyzer()
    return {
        path.stem: analyzer.predict(load_image(path)) for path in sorted(people_dir.glob("onmodel_*.jpg"))
    }


@pytest.fixture(scope="session")
def real_analyses(people_dir) -> dict[str, PhotoAnalysis]:
    """The photos of ``WARP_PHOTOS``, analysed."""
    from ml.analysis import get_analyzer
    from ml.intake import load_image

    analyzer = get_analyzer()
    return {name: analyzer.predict(load_image(people_dir / f"{name}.jpg")) for name in WARP_PHOTOS}
