"""Perception fixtures: every real photo analysed once per test session."""

from __future__ import annotations

import pytest

from ml.analysis import get_analyzer
from ml.intake import load_image
from ml.types import PhotoAnalysis


@pytest.fixture(scope="session")
def analyses(people_dir) -> dict[str, PhotoAnalysis]:
    analyzer = get_analyzer()
    return {
        path.stem: analyzer.predict(load_image(path)) for path in sorted(people_dir.glob("onmodel_*.jpg"))
    }
