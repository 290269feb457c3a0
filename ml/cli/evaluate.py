"""``python -m ml evaluate --fixtures DIR --part tune|heldout|all -o report/``: render the
development pairs of one part (or both), measure every picture, report per part."""

from __future__ import annotations

from pathlib import Path

from ml.evaluation.data import Source

DEFAULT_FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("evaluate", help="render development pairs and write a quality report")
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES, help="the development photos")
    parser.add_argument("--part", choices=["tune", "heldout", "all"], default="tune")
    parser.add_argument(
        "--sources", default="packshot,onmodel", help="product sources: packshot, onmodel or both"
    )
    parser.add_argument("--renderer", default="warp")
    parser.add_argument("-o", "--output", type=Path, required=True, help="report folder")
    parser.add_argument("--limit", type=int, help="only the first N pairs (spread over shoppers)")
    parser.add_argument("--seed", type=int, default=2026, help="order of the pairs when --limit is given")
    parser.set_defaults(func=run)


def run(args) -> int:
    from ml.errors import CannotRender
    from ml.evaluation.data import pairs, photos
    from ml.evaluation.review import sample_order
    from ml.evaluation.run import evaluate
    from ml.evaluation.split import Part

    found = photos(args.fixtures)
    if not found:
        raise CannotRender(f"No development photos of the split listing under {args.fixtures}.")
    sources = tuple(Source(s.strip()) for s in args.sources.split(",") if s.strip())
    part = None if args.part == "all" else Part(args.part)
    chosen = pairs(found, part, sources)
    if args.limit:
        chosen = sample_order(chosen, args.seed)[: args.limit]
    report = evaluate(chosen, args.renderer, args.output)
    for name, s in report["summary"].items():
        if name == "gap":
            continue
        print(
            f"{name}: {s['pairs']} pairs, {s['not_applicable']} not applicable, {s['refused']} refused, "
            f"{s['held_back']} held back, {s['shown']} shown; colour {s['mean_colour_distance']}, "
            f"leftover {s['mean_leftover_share']}, outside SSIM {s['mean_outside_identity']}, "
            f"confidence {s['mean_confidence']}"
        )
    print(f"report in {args.output}")
    return 0
