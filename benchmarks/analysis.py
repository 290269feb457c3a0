"""Photo analysis speed: ``python -m benchmarks.analysis [--photos DIR] [--repeat N]``.

Runs on one CPU core as far as the libraries allow (torch, OpenCV and the BLAS/OpenMP pools
limited to one thread; mediapipe's TFLite runs single-threaded for BlazePose on CPU), loads the
models once (not timed), then times ``PhotoAnalyzer.predict`` per photo (decoding excluded) and
prints the median, p95 and the peak resident memory of the process.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "TFLITE_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PHOTOS = Path(os.environ.get("TRYON_PEOPLE_DIR", REPO.parent / "shared" / "fixtures" / "people"))
TARGET_SECONDS = 0.3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=Path, default=DEFAULT_PHOTOS)
    parser.add_argument("--repeat", type=int, default=1, help="passes over the photos")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from ml.analysis import get_analyzer
    from ml.intake import load_image

    photos = sorted(
        p for p in args.photos.iterdir() if p.suffix.lower() in {".jpg", ".jpeg", ".png", ".webp"}
    )
    if not photos:
        print(f"no photos in {args.photos}", file=sys.stderr)
        return 2
    images = [(p.name, load_image(p)) for p in photos]
    analyzer = get_analyzer()
    started = time.perf_counter()
    analyzer.load()
    analyzer.predict(images[0][1])  # warm-up: graph start and first allocation are not timed
    load_seconds = time.perf_counter() - started

    timings: list[float] = []
    print(f"{'photo':24s} {'size':>10s} {'seconds':>8s}  view   findings")
    for _ in range(args.repeat):
        for name, image in images:
            t0 = time.perf_counter()
            analysis = analyzer.predict(image)
            elapsed = time.perf_counter() - t0
            timings.append(elapsed)
            size = f"{image.shape[1]}x{image.shape[0]}"
            codes = ",".join(f.code for f in analysis.findings)
            print(f"{name:24s} {size:>10s} {elapsed:8.3f}  {analysis.view!s:6s} {codes}")
    values = np.array(timings)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    median, p95 = float(np.median(values)), float(np.percentile(values, 95))
    print()
    print(f"analyzer {analyzer.version}; one core (torch threads {torch.get_num_threads()}, affinity 1 CPU)")
    print(f"model loading + warm-up: {load_seconds:.2f} s (not counted)")
    print(f"photos: {len(values)}  median {median:.3f} s  p95 {p95:.3f} s  max {values.max():.3f} s")
    print(f"peak memory (max RSS): {peak_mib:.0f} MiB")
    verdict = "meets" if p95 < TARGET_SECONDS else "misses"
    print(f"target < {TARGET_SECONDS} s per photo: {verdict} (p95)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
