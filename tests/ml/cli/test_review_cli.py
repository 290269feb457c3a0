"""``python -m ml review sheets --quota``: a review drawn from chosen strata (a bottoms-only sample)."""

import argparse
import re

import pytest

from ml.cli import main
from ml.cli.review import parse_quota
from ml.evaluation import review
from ml.evaluation.data import Source
from ml.types import GarmentKind


def test_a_quota_names_a_stratum_and_its_pairs_per_part():
    # when quotas are read
    packshot_bottoms = parse_quota("packshot:bottom=18")
    onmodel = parse_quota("onmodel=28")
    # then each is the review's stratum key and its count
    assert packshot_bottoms == ((Source.PACKSHOT, GarmentKind.BOTTOM), 18)
    assert onmodel == ((Source.ONMODEL, None), 28)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("packshot:hat=3", "expected SOURCE[:KIND]=N"),
        ("shelf:top=3", "expected SOURCE[:KIND]=N"),
        ("packshot:top=many", "expected SOURCE[:KIND]=N"),
        ("packshot:top=0", "at least 1"),
        ("packshot=9", "per kind"),
        ("onmodel:top=9", "one stratum"),
    ],
)
def test_a_bad_quota_is_refused_with_the_reason(text, says):
    # when a malformed quota is read, then it is refused with a sentence that says what is wrong
    with pytest.raises(argparse.ArgumentTypeError, match=re.escape(says)):
        parse_quota(text)


def test_sheets_draw_only_the_strata_asked_for(monkeypatch, tmp_path):
    # given a review run that records what it was asked to draw
    asked = {}

    def fake_make_review(pairs, out_dir, renderers, seed, quotas):
        asked.update(quotas=quotas, seed=seed, renderers=renderers, pairs=len(pairs))
        return []

    monkeypatch.setattr(review, "make_review", fake_make_review)
    # when the sheets are drawn with two quotas
    status = main(
        [
            "review",
            "sheets",
            "-o",
            str(tmp_path / "r"),
            "--quota",
            "packshot:bottom=18",
            "--quota",
            "onmodel=4",
        ]
    )
    # then only those strata are drawn, with the usual seed and renderer
    assert status == 0
    assert asked["quotas"] == {(Source.PACKSHOT, GarmentKind.BOTTOM): 18, (Source.ONMODEL, None): 4}
    assert asked["seed"] == 2026
    assert asked["renderers"] == ["warp"]
    assert asked["pairs"] > 0


def test_sheets_draw_the_usual_sample_without_quotas(monkeypatch, tmp_path):
    # given a review run that records what it was asked to draw
    asked = {}

    def fake_make_review(pairs, out_dir, renderers, seed, quotas):
        asked.update(quotas=quotas)
        return []

    monkeypatch.setattr(review, "make_review", fake_make_review)
    # when the sheets are drawn without quotas
    status = main(["review", "sheets", "-o", str(tmp_path / "r")])
    # then the usual strata and counts are drawn
    assert status == 0
    assert asked["quotas"] == review.QUOTAS
