"""Cost of a 40 MP upload vs a 4 MP one: ``python -m benchmarks.intake [--photo P] [--unbounded]``.

A real photo (default: the first of ``../shared/fixtures/people``) is scaled up to 5472x7296
(just under the 40 MP limit) and to 1728x2304 (4 MP) and saved as JPEG. For each size, in a
fresh process (so that its peak memory is its own), it times:

- ``intake``: the re-encoding every upload goes through (:func:`ml.intake.reencode_image_bytes`);
- ``working copy``: the bounded copy analysis reads (:func:`ml.intake.bounded_image_bytes`, 2048 px);
- ``analysis``: ``tryon.pipeline.analyse_person_photo`` on that copy (what the worker runs);
- ``1 card``: one warp render of a drawn top on the analysed photo;

and prints seconds and the peak resident memory. ``--unbounded`` also runs the full-size 40 MP
photo (what the worker did before the bound; slow).
One thread per library, as in ``benchmarks.analysis``.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "TFLITE_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import io  # noqa: E402
import multiprocessing  # noqa: E402
import resource  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PHOTOS = Path(os.environ.get("TRYON_PEOPLE_DIR", REPO.parent / "shared" / "fixtures" / "people"))
SIZES = {"40 MP": (5472, 7296), "4 MP": (1728, 2304)}


def _make_jpeg(photo: Path, size: tuple[int, int], target: Path) -> None:
    from PIL import Image

    with Image.open(photo) as image:
        image.convert("RGB").resize(size, Image.Resampling.BICUBIC).save(target, format="JPEG", quality=85)


def _garment():
    """One drawn top, analysed as the worker analyses a packshot."""
    from PIL import Image

    from ml import pipeline
    from ml.garments import draw_packshot
    from ml.types import GarmentKind

    packshot = draw_packshot(kind=GarmentKind("top"), colour=(70, 100, 150), seed=1, size=(384, 288))
    buffer = io.BytesIO()
    Image.fromarray(packshot.image).save(buffer, format="JPEG", quality=88)
    landmarks = {k: [x, y] for k, (x, y) in packshot.landmarks.items()}
    output = pipeline.analyse_packshot(buffer.getvalue(), kind="top", landmarks=landmarks)
    return pipeline.decode_garment(output.data, "top")


def _measure(path: str, bounded: bool, queue) -> None:
    """Child process: intake, working copy, analysis and one card render; peak RSS at the end."""
    from ml import pipeline
    from ml.intake import WORKING_MAX_SIDE, bounded_image_bytes, reencode_image_bytes
    from ml.types import PhotoAnalysis

    renderer = pipeline.choose_renderer("warp", instantiate=True)
    pipeline.get_analyzer().load()  # models loaded before the clock starts
    garment = _garment()
    data = Path(path).read_bytes()
    started = time.perf_counter()
    clean = reencode_image_bytes(data)
    intake_s = time.perf_counter() - started
    started = time.perf_counter()
    copy, _ = bounded_image_bytes(clean.data, max_side=WORKING_MAX_SIDE) if bounded else (clean.data, 1.0)
    copy_s = time.perf_counter() - started
    started = time.perf_counter()
    output = pipeline.analyse_person_photo(copy, renderer=renderer)
    analysis_s = time.perf_counter() - started
    shopper = PhotoAnalysis.load(output.data)
    started = time.perf_counter()
    job = pipeline.CardJob(shopper=shopper, garments=(garment,), mode="tryon")
    outcome = pipeline.render_jobs(renderer.instance, [job])[0]
    render_s = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put(
        {
            "bytes": len(data),
            "intake_s": intake_s,
            "copy_s": copy_s,
            "analysis_s": analysis_s,
            "render_s": render_s,
            "analysed": f"{shopper.image.shape[1]}x{shopper.image.shape[0]}",
            "peak_mb": peak / 1024,
            "outcome": "card rendered" if outcome.ok else (outcome.reason_code or "not rendered"),
        }
    )


def _run(path: Path, bounded: bool) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_measure, args=(str(path), bounded, queue))
    process.start()
    result = queue.get(timeout=600)
    process.join(timeout=60)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photo", type=Path, default=None, help="a photo of a person (default: fixtures)")
    parser.add_argument("--unbounded", action="store_true", help="also analyse the full 40 MP photo")
    args = parser.parse_args(argv)
    photo = args.photo or next(iter(sorted(DEFAULT_PHOTOS.glob("onmodel_*.jpg"))), None)
    if photo is None:
        parser.error(f"no photo given and none found in {DEFAULT_PHOTOS}")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for label, size in SIZES.items():
            target = Path(folder) / f"{size[0]}x{size[1]}.jpg"
            _make_jpeg(photo, size, target)
            rows.append((f"{label} bounded", _run(target, bounded=True)))
            if args.unbounded and label == "40 MP":
                rows.append((f"{label} unbounded", _run(target, bounded=False)))
    print(f"photo: {photo.name}; one thread per library; each row in a fresh process")
    print(
        f"{'case':<18}{'file':>9}{'intake':>9}{'copy':>8}{'analysis':>10}{'1 card':>9}"
        f"{'analysed':>12}{'peak RSS':>10}"
    )
    for label, row in rows:
        print(
            f"{label:<18}{row['bytes'] / 1e6:>7.1f}MB{row['intake_s']:>8.2f}s{row['copy_s']:>7.2f}s"
            f"{row['analysis_s']:>9.2f}s{row['render_s']:>8.2f}s{row['analysed']:>12}"
            f"{row['peak_mb']:>8.0f}MB  ({row['outcome']})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
