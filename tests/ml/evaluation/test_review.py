"""The review's figures, the gate fit and its threshold, on constructed keys and scores."""

from __future__ import annotations

import json
from dataclasses import asdict

import numpy as np
import pytest
from PIL import Image

from ml import quality as q
from ml.evaluation import review


def _row(pid: str, part: str, state: str, measures: dict | None = None, source: str = "packshot") -> dict:
    return {
        "id": pid,
        "renderer": "warp",
        "version": "warp-8",
        "outcome": {
            "pair": f"pair {pid}",
            "part": part,
            "source": source,
            "kind": "top",
            "state": state,
            "measures": measures or {},
            "confidence": None,
        },
    }


def test_figures_follow_the_rubric_report():
    # given six sampled pairs: three shown (scores 5, 2, 4), two held back (scores 1 and 3), one refused
    rows = [
        _row("P1", "heldout", "shown"),
        _row("P2", "heldout", "shown"),
        _row("P3", "heldout", "shown"),
        _row("P4", "heldout", "held_back"),
        _row("P5", "heldout", "held_back"),
        _row("", "heldout", "refused"),
    ]
    scores = {"P1": 5, "P2": 2, "P3": 4, "P4": 1, "P5": 3}
    # when the figures are made
    f = review.figures(rows, scores, lambda r: r["outcome"]["state"] == "shown")
    # then they are exactly the rubric's
    assert (f.pairs, f.scored, f.shown, f.held_back, f.refused) == (6, 5, 3, 2, 1)
    assert f.mean_score == 3.0
    assert f.mean_shown == 3.667
    assert f.low_among_shown == 0.333
    assert f.held_back_good == 1
    assert f.refused_or_held_back_share == 0.5


def test_scores_outside_one_to_five_are_refused(tmp_path):
    (tmp_path / "scores.tsv").write_text("id\tscore\tnote\nP1\t6\ttoo good\n")
    with pytest.raises(ValueError, match="scores are 1 to 5"):
        review.read_scores(tmp_path)


def test_spearman_ranks_and_ties():
    assert review.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1.0
    assert review.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    assert review.spearman([1, 1, 1], [1, 2, 3]) is None


def _synthetic_tune(count: int = 80, seed: int = 0) -> tuple[list[dict], dict[str, int]]:
    """Pictures whose score falls as the leftover share rises; the other measures are noise."""
    rng = np.random.default_rng(seed)
    rows, scores = [], {}
    for i in range(count):
        leftover = float(rng.uniform(0, 0.6))
        measures = {name: float(rng.normal(1.0, 0.1)) for name in q.FEATURES}
        measures["leftover_share"] = leftover
        pid = f"P{i}"
        rows.append(_row(pid, "tune", "shown", measures))
        scores[pid] = int(np.clip(round(5 - 8 * leftover + rng.normal(0, 0.3)), 1, 5))
    return rows, scores


def test_the_fitted_gate_learns_which_measure_predicts_the_score_and_its_threshold_is_safe():
    # given tune pictures whose scores depend on the leftover share only
    rows, scores = _synthetic_tune()
    # when the gate is fitted
    model = review.fit_gate(rows, scores, source="synthetic")
    # then the leftover share has the strongest (negative) weight
    weights = dict(zip(q.FEATURES, model.weights, strict=True))
    assert weights["leftover_share"] == min(weights.values())
    assert weights["leftover_share"] < -1.0

    # and at its threshold the estimated 1-2 share of shown tune pictures is at most 5%, some shown
    def estimated_low_share(gate) -> float:
        shown = [r for r in review.regate(rows, gate) if r["outcome"]["state"] == "shown"]
        return (sum(scores[r["id"]] <= 2 for r in shown) + 1) / (len(shown) + 2)

    assert 0.0 < model.threshold < 1.0
    assert estimated_low_share(model) <= 0.05
    # and a lower threshold would not be (the threshold is the lowest safe one)
    looser = q.GateModel(**{**asdict(model), "threshold": round(model.threshold - 0.01, 2)})
    assert estimated_low_share(looser) > 0.05


def test_the_threshold_holds_everything_back_when_nothing_is_safe():
    # all low: nothing can be shown
    assert review._lowest_safe_threshold([0.9, 0.8, 0.7], [1, 2, 1]) == 1.0
    # two good pictures on top prove nothing ((0 + 1) / (2 + 2) = 25 % > 5 %)
    assert review._lowest_safe_threshold([0.9, 0.8, 0.2, 0.1], [5, 4, 1, 2]) == 1.0


def test_the_threshold_is_the_lowest_that_keeps_the_estimated_low_share_under_five_percent():
    # given 20 good pictures with high confidence and 10 bad ones below them
    probabilities = [0.9] * 20 + [0.3] * 10
    scores = [4] * 20 + [1] * 10
    # then the threshold sits just above the bad ones: (0 + 1) / (20 + 2) = 4.5 %
    assert review._lowest_safe_threshold(probabilities, scores) == 0.31


def test_fit_needs_enough_scored_pictures():
    rows, scores = _synthetic_tune(count=5)
    with pytest.raises(ValueError, match="at least 10"):
        review.fit_gate(rows, scores)


def test_report_and_fit_read_the_review_folder(tmp_path):
    # given a review folder with a key of tune and held-out pictures and a filled score table
    rows, scores = _synthetic_tune(count=40)
    held, held_scores = _synthetic_tune(count=20, seed=1)
    for row in held:
        row["id"] = "H" + row["id"]
        row["outcome"]["part"] = "heldout"
    held_scores = {"H" + k: v for k, v in held_scores.items()}
    (tmp_path / "key.json").write_text(json.dumps(rows + held))
    lines = ["id\tscore\tnote"] + [f"{k}\t{v}\t" for k, v in {**scores, **held_scores}.items()]
    (tmp_path / "scores.tsv").write_text("\n".join(lines) + "\n")
    # when the gate is fitted on the tune part and the report is written
    model, text = review.fit_report(tmp_path)
    # then the model comes from the tune part only and the report has both parts' rows
    assert model.fitted_on == f"tune part of review {tmp_path.name}"
    assert "| heldout | 20 | 20 |" in text
    assert "| tune | 40 | 40 |" in text
    assert "GATE = GateModel(" in text


def test_fit_on_one_version_of_a_comparison_review_uses_only_its_pictures(tmp_path):
    # given a comparison review: 40 tune pictures of warp-10 and 20 of warp-8 scored the opposite way
    rows, scores = _synthetic_tune(count=40)
    for row in rows:
        row["version"] = "warp-10"
    old, old_scores = _synthetic_tune(count=20, seed=2)
    for row in old:
        row["id"] = "O" + row["id"]
    old_scores = {"O" + k: 6 - v for k, v in old_scores.items()}
    (tmp_path / "key.json").write_text(json.dumps(rows + old))
    lines = ["id\tscore\tnote"] + [f"{k}\t{v}\t" for k, v in {**scores, **old_scores}.items()]
    (tmp_path / "scores.tsv").write_text("\n".join(lines) + "\n")
    # when the gate is fitted on warp-10's pictures
    model, text = review.fit_report(tmp_path, "warp-10")
    # then it is the gate fitted on those pictures alone, and the report counts only them
    alone = review.fit_gate(rows, scores, source="x")
    assert model.weights == alone.weights
    assert model.threshold == alone.threshold
    assert model.fitted_on == f"tune part of review {tmp_path.name}, warp-10 pictures"
    assert "| tune | 40 | 40 |" in text
    # and a version the review does not hold is refused
    with pytest.raises(ValueError, match="no pictures of version 'warp-7'"):
        review.fit_report(tmp_path, "warp-7")


def _folder_with_one_picture(root, name: str, version: str, colour: int) -> None:
    folder = root / name
    (folder / "renders").mkdir(parents=True)
    row = _row("P001", "tune", "shown")
    row["version"] = version
    row["outcome"].update(shopper="people/shopper.png", product="garments/product.png")
    (folder / "key.json").write_text(json.dumps([row]))
    Image.fromarray(np.full((40, 30, 3), colour, np.uint8)).save(folder / "renders" / "P001.jpg")


def test_combining_one_renderer_version_from_two_folders_names_each_pictures_folder(tmp_path):
    # given the same pair rendered by one renderer version in two folders (photos analysed by two
    # parser versions) and by another version in a third
    fixtures = tmp_path / "fixtures"
    for path in ("people/shopper.png", "garments/product.png"):
        (fixtures / path).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.full((40, 30, 3), 128, np.uint8)).save(fixtures / path)
    _folder_with_one_picture(tmp_path, "before", "warp-8", 10)
    _folder_with_one_picture(tmp_path, "after", "warp-8", 240)
    _folder_with_one_picture(tmp_path, "other", "warp-9", 120)
    # when they are combined into one blinded review
    out = tmp_path / "combined"
    key = review.combine_reviews(
        [tmp_path / "before", tmp_path / "after", tmp_path / "other"], out, fixtures=fixtures
    )
    # then the key tells the shared version's pictures apart by folder and keeps the other's as it was
    assert sorted(entry.version for entry in key) == ["warp-8 (after)", "warp-8 (before)", "warp-9"]
    # and each picture is the render of the folder the key names
    for entry in key:
        mean = np.asarray(Image.open(out / "renders" / f"{entry.id}.jpg")).mean()
        expected = {"warp-8 (before)": 10, "warp-8 (after)": 240, "warp-9": 120}[entry.version]
        assert abs(mean - expected) < 3
