"""The fit's choice among its starts (the whole fit is exercised in test_measure.py)."""

from __future__ import annotations

from ml.body.fit import SCREEN_STARTS, _finalists


def _screened(loss: float, gender: float, weight: float) -> tuple:
    return (loss, {"gender": gender, "weight": weight}, f"shape {loss}", f"local {loss}", [])


def test_the_best_start_of_each_gender_goes_on_best_first():
    # given: four screened starts, a slim and a heavy build of each gender
    screened = [
        _screened(0.30, -1.5, -1.0),
        _screened(0.20, -1.5, 1.0),
        _screened(0.25, 1.5, -1.0),
        _screened(0.40, 1.5, 1.0),
    ]

    # when
    finalists = _finalists(screened, stage2_steps=110)

    # then
    chosen = [(c[0], c[1]["gender"], c[1]["weight"]) for c in finalists]
    assert chosen == [(0.20, -1.5, 1.0), (0.25, 1.5, -1.0)]


def test_a_single_given_start_is_the_only_finalist():
    # given: a fit started from a known shape (one start, no build)
    screened = [(0.5, None, "shape", "local", [])]

    # when
    finalists = _finalists(screened, stage2_steps=110)

    # then
    assert finalists == screened


def test_without_a_second_stage_only_the_best_start_is_kept():
    screened = [_screened(0.3, -1.5, -1.0), _screened(0.1, 1.5, 1.0)]

    finalists = _finalists(screened, stage2_steps=0)

    assert [c[0] for c in finalists] == [0.1]


def test_the_starts_cover_both_genders_slim_and_heavy():
    assert sorted((s["gender"] > 0, s["weight"] > 0) for s in SCREEN_STARTS) == [
        (False, False),
        (False, True),
        (True, False),
        (True, True),
    ]
