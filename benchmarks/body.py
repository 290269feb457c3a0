"""Body measurement accuracy and speed: ``python -m benchmarks.body [--bodies N] [--seed S]``.

Accuracy: N synthetic adults drawn from the Anny model's own parameter space (both genders, ages
18-70, the full weight and muscle range, random local shape changes), posed as people stand for a
photo (limbs turned a little), photographed from the front and the side with random focal length,
distance, tilt and yaw, turned into BlazePose-like landmarks (Gaussian noise of 0.6 % of the body
height) and silhouettes; a third of them wear clothes (the silhouette grown by 0.5-2 cm below the
shoulders, the parser's 1.5 cm allowance). Each body is fitted front-only and front+side and every
measurement is compared with the same measurement on the ground-truth mesh: mean absolute error
and 90th percentile per measurement.

Speed (``--speed``): one front+side fit on one core (torch, OpenCV and BLAS at one thread), the
model already loaded, median of three runs. Target < 20 s.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

GOALS = {"chest": (2.0, 3.0), "waist": (2.0, 3.0), "hips": (2.0, 3.0)}  # (front+side, front-only) MAE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.body", description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=12)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--speed", action="store_true", help="time one front+side fit instead")
    parser.add_argument("--json", type=str, help="also write the per-body errors here")
    args = parser.parse_args(argv)

    import cv2
    import torch

    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    from ml.body import measure_observations
    from ml.body.measure import MEASUREMENT_NAMES
    from ml.body.model import get_body_model
    from ml.body.synthetic import draw_body

    started = time.perf_counter()
    model = get_body_model()
    print(f"model loaded in {time.perf_counter() - started:.1f} s")
    rng = np.random.default_rng(args.seed)
    if args.speed:
        body = draw_body(model, rng, clothed=False)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            measure_observations([body.views["front"], body.views["side"]], height_cm=body.height_cm)
            times.append(time.perf_counter() - t0)
        print(
            f"front+side fit + measurements, one core: median {statistics.median(times):.1f} s "
            f"(runs: {', '.join(f'{t:.1f}' for t in times)}; target < 20 s)"
        )
        return 0

    errors: dict[str, dict[str, list[float]]] = {"front": {}, "front+side": {}}
    rows = []
    fit_times: dict[str, list[float]] = {"front": [], "front+side": []}
    for index in range(args.bodies):
        body = draw_body(model, rng, clothed=index % 3 == 2)
        row = {"truth": body.truth, "clothed": body.clothed, "phenotypes": body.phenotypes}
        for label, names in (("front", ["front"]), ("front+side", ["front", "side"])):
            t0 = time.perf_counter()
            result = measure_observations(
                [body.views[n] for n in names], height_cm=body.height_cm, with_uncertainty=False
            )
            fit_times[label].append(time.perf_counter() - t0)
            row[label] = {n: m.value_cm for n, m in result.measurements.items()}
            for name in MEASUREMENT_NAMES:
                errors[label].setdefault(name, []).append(
                    abs(result.measurements[name].value_cm - body.truth[name])
                )
        rows.append(row)
        print(
            f"body {index + 1}/{args.bodies}: chest/waist/hips error front "
            + "/".join(f"{row['front'][n] - body.truth[n]:+.1f}" for n in ("chest", "waist", "hips"))
            + ", front+side "
            + "/".join(f"{row['front+side'][n] - body.truth[n]:+.1f}" for n in ("chest", "waist", "hips"))
            + f" cm{' (clothed)' if body.clothed else ''}",
            flush=True,
        )
    print(f"\n{args.bodies} bodies, seed {args.seed}, total {time.perf_counter() - started:.0f} s")
    print(f"{'measurement':15s} {'front MAE':>10s} {'front p90':>10s} {'f+s MAE':>10s} {'f+s p90':>10s}")
    for name in MEASUREMENT_NAMES:
        front, both = np.array(errors["front"][name]), np.array(errors["front+side"][name])
        print(
            f"{name:15s} {front.mean():10.2f} {np.percentile(front, 90):10.2f} "
            f"{both.mean():10.2f} {np.percentile(both, 90):10.2f}"
        )
    for label, goal_index in (("front+side", 0), ("front", 1)):
        met = [n for n, goal in GOALS.items() if np.mean(errors[label][n]) <= goal[goal_index]]
        goal = GOALS["chest"][goal_index]
        print(f"goal ({label}, chest/waist/hips MAE <= {goal} cm): met for {met or 'none'}")
    print(
        f"fit time per body: front {statistics.median(fit_times['front']):.1f} s, "
        f"front+side {statistics.median(fit_times['front+side']):.1f} s (median)"
    )
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(rows, handle, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
