"""Cost of the quality gate per card: ``python -m benchmarks.quality [--pairs N]``.

Renders N development pairs of the tune part (seeded order) at the photo's resolution on one core
and times ``ml.quality.assess`` (the gate's self-checks) against the render itself; both medians and
p95 are printed. The target: the gate costs at most half of a card's render time (median).
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TARGET_SHARE = 0.5


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=REPO.parent / "shared" / "fixtures")
    parser.add_argument("--pairs", type=int, default=30)
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from ml import quality
    from ml.errors import MLError
    from ml.evaluation.data import pairs, photos
    from ml.evaluation.review import sample_order
    from ml.evaluation.run import Evaluator
    from ml.evaluation.split import Part
    from ml.types import RenderRequest

    chosen = sample_order(pairs(photos(args.fixtures), Part.TUNE), seed=2026)[: args.pairs]
    if not chosen:
        print(f"No development photos under {args.fixtures}", file=sys.stderr)
        return 2
    evaluator = Evaluator("warp")
    render_s, assess_s = [], []
    for pair in chosen:
        try:
            shopper = evaluator.analysis(pair.shopper)
            garment = evaluator.garment(pair.product)
            started = time.perf_counter()
            result = evaluator.renderer.render(RenderRequest(shopper=shopper, garments=(garment,)))
            render_s.append(time.perf_counter() - started)
        except MLError:
            continue
        started = time.perf_counter()
        quality.assess(shopper, (garment,), result)
        assess_s.append(time.perf_counter() - started)
    if not assess_s:
        print("No pair could be rendered", file=sys.stderr)
        return 2
    render_median, assess_median = statistics.median(render_s), statistics.median(assess_s)
    share = assess_median / render_median
    verdict = "ok" if share <= TARGET_SHARE else "OVER"
    render_p95, assess_p95 = _p95(render_s) * 1000, _p95(assess_s) * 1000
    print(f"$ python -m benchmarks.quality --pairs {args.pairs}   ({len(assess_s)} cards rendered, 1 core)")
    print(
        f"render per card (photo resolution): median {render_median * 1000:.1f} ms, p95 {render_p95:.1f} ms"
    )
    print(f"quality gate per card: median {assess_median * 1000:.1f} ms, p95 {assess_p95:.1f} ms")
    print(f"gate / render: {share:.2f} (target <= {TARGET_SHARE}: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
