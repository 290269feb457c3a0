"""The warp benchmark's verdict reads the median, as issue 10's speed targets do; a p95 over the
target is said beside it."""

from __future__ import annotations

import pytest

from benchmarks.warp import verdict


@pytest.mark.parametrize(
    "median, p95, said",
    [
        (0.070, 0.075, "ok"),
        (0.070, 0.120, "ok, p95 over 80 ms"),
        (0.085, 0.120, "OVER TARGET, p95 over 80 ms"),
    ],
    ids=["both under", "one slow card", "median over"],
)
def test_the_verdict_reads_the_median_and_names_a_slow_p95(median, p95, said):
    # given a median and a p95 per card against an 80 ms target
    # when the verdict is read, then it is the median's, with the p95 named when it is over
    assert verdict(median, p95, 0.080) == said
