"""A build the shopper states (female or male): the fit starts from that build alone instead of
blending a male and a female start, and the CLI and the benchmark pass it through."""

from __future__ import annotations

import numpy as np
import pytest

from ml.body import CannotMeasure
from ml.body.fit import GENDER_STARTS, fit_body
from ml.body.model import get_body_model
from ml.body.synthetic import draw_body

pytestmark = pytest.mark.slow

FEMALE_BODY_SEED = 6  # draw_body's body for this seed has a female build (gender slider 1.0)


@pytest.fixture(scope="module")
def model():
    return get_body_model()


def test_a_stated_build_is_fitted_from_that_start_alone(model):
    # given: a synthetic woman seen from the front
    body = draw_body(model, np.random.default_rng(FEMALE_BODY_SEED), outfit="bare")
    assert body.phenotypes["gender"] >= 0.5
    # when: she says her build
    fit = fit_body(model, [body.views["front"]], height_cm=body.height_cm, gender="female")
    # then: one start, the female one, which is the whole body (no male start blended in)
    assert len(fit.starts) == 1
    assert fit.starts[0].weight == pytest.approx(1.0)
    assert fit.starts[0].phenotypes["gender"] > 0.5
    assert fit.loss == fit.starts[0].loss


def test_without_a_stated_build_both_starts_are_fitted(model):
    body = draw_body(model, np.random.default_rng(FEMALE_BODY_SEED), outfit="bare")
    fit = fit_body(model, [body.views["front"]], height_cm=body.height_cm)
    assert len(fit.starts) == len(GENDER_STARTS) == 2


def test_a_build_the_fit_does_not_know_is_refused_with_a_reason(model):
    body = draw_body(model, np.random.default_rng(FEMALE_BODY_SEED), outfit="bare")
    with pytest.raises(CannotMeasure, match="Choose the build to measure: male or female"):
        fit_body(model, [body.views["front"]], height_cm=body.height_cm, gender="other")


def test_the_cli_passes_the_stated_build_to_the_measurement(people_dir, monkeypatch, capsys):
    import ml.body
    from ml.cli import main

    # given: the measurement replaced by one that records what it was asked
    asked = {}

    def record(front, **kwargs):
        asked.update(kwargs)
        raise ml.body.CannotMeasure("recorded")

    monkeypatch.setattr(ml.body, "measure_body", record)
    # when
    status = main(
        ["measure", "--front", str(people_dir / "onmodel_01.jpg"), "--height", "172", "--gender", "male"]
    )
    # then
    assert status == 2
    assert asked["gender"] == "male"
    assert "recorded" in capsys.readouterr().err


def test_the_cli_without_a_build_asks_for_none(people_dir, monkeypatch):
    import ml.body
    from ml.cli import main

    asked = {}

    def record(front, **kwargs):
        asked.update(kwargs)
        raise ml.body.CannotMeasure("recorded")

    monkeypatch.setattr(ml.body, "measure_body", record)
    main(["measure", "--front", str(people_dir / "onmodel_01.jpg"), "--height", "172"])
    assert asked["gender"] is None


def test_the_benchmark_states_the_nearer_end_of_the_gender_slider():
    from benchmarks.body import stated_build

    assert stated_build({"gender": 1.0}) == "female"
    assert stated_build({"gender": 0.5}) == "female"
    assert stated_build({"gender": 0.49}) == "male"
    assert stated_build({"gender": 0.0}) == "male"
