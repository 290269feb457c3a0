"""The gate model: confidence from the measures, the reason from the measure that weighs most."""

from __future__ import annotations

from ml import quality as q
from ml.evaluation.review import fit_report
from tests.support.paths import REPO_ROOT

MODEL = q.GateModel(
    weights=(0.0, 0.0, 0.0, -2.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0),
    bias=0.0,
    mean=(0.0,) * 10,
    scale=(1.0, 1.0, 1.0, 0.1, 1.0, 1.0, 0.1, 1.0, 1.0, 1.0),
    fill=(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0),
    threshold=0.5,
    fitted_on="test",
)


def test_confidence_falls_as_a_negatively_weighted_measure_rises():
    clean = q.Quality(leftover_share=0.0, fill_share=0.0)
    leftover = q.Quality(leftover_share=0.3, fill_share=0.0)
    assert MODEL.probability(clean) == 0.5
    assert MODEL.probability(leftover) < 0.01


def test_a_missing_measure_takes_the_models_fill_value():
    # fill_share unmeasured: the model's fill (0.5, i.e. 5 scales) stands in, pulling confidence down
    assert MODEL.probability(q.Quality(leftover_share=0.0, fill_share=None)) < 0.01


def test_the_reason_names_the_measure_that_pulled_the_confidence_down_most():
    leftover = q.Quality(leftover_share=0.5, fill_share=0.1)
    painted = q.Quality(leftover_share=0.05, fill_share=0.6)
    assert q.held_back_reason(leftover, MODEL) == (
        "We couldn't show this one on your photo convincingly: parts of your own clothes would still"
        " show. A photo with your arms a little away from your body helps."
    )
    assert "too much of your own clothes had to be painted over" in q.held_back_reason(painted, MODEL)


def test_every_measure_of_the_model_has_a_shopper_sentence():
    assert set(q.REASONS) == set(q.FEATURES)
    assert len(q.GATE.weights) == len(q.GATE.mean) == len(q.GATE.scale) == len(q.GATE.fill) == len(q.FEATURES)


def test_the_shipped_gate_is_what_the_committed_tune_review_fits_to():
    # given the committed review (key + scores) the shipped gate says it was fitted on
    folder = REPO_ROOT / "reviews" / "2026-12-01-warp-10-vs-warp-8"
    # when the gate is fitted again from its warp-10 pictures
    model, _ = fit_report(folder, "warp-10")
    # then it is the shipped gate, number for number
    assert model == q.GATE
