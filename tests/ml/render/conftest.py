"""Warp renderer fixtures: the real photos it renders, analysed once per session."""

from __future__ import annotations

import pytest

from ml.types import PhotoAnalysis


@pytest.fixture(scope="session")
def real_analyses(people_dir) -> dict[str, PhotoAnalysis]:
    from ml.analysis import get_analyzer
    from ml.intake import load_image

    analyzer = get_analyzer()
    return {
        name: analyzer.predict(load_image(people_dir / f"{name}.jpg"))
        for name in ("onmodel_01", "onmodel_08", "onmodel_15", "onmodel_16", "onmodel_20", "onmodel_21")
    }
