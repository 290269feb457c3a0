"""``python -m ml review sheets|report|fit``: the blinded review of try-on pictures.

python -m ml review sheets -o review/NAME [--renderer warp ...] [--seed 2026]
python -m ml review report review/NAME        # after the reviewer filled scores.tsv
python -m ml review fit review/NAME [--version warp-10]  # gate model + threshold from the tune part
"""

from __future__ import annotations

from pathlib import Path

from ml.cli.evaluate import DEFAULT_FIXTURES


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("review", help="blinded review sheets, score report, gate fit")
    actions = parser.add_subparsers(dest="action", required=True)
    sheets = actions.add_parser("sheets", help="draw the sample, render it, write shuffled sheets and a key")
    sheets.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    sheets.add_argument("--renderer", action="append", help="renderer name (repeat to compare)")
    sheets.add_argument("--seed", type=int, default=2026)
    sheets.add_argument("-o", "--output", type=Path, required=True)
    sheets.set_defaults(func=run_sheets)
    combine = actions.add_parser("combine", help="one shuffled blinded review of several reviews' pictures")
    combine.add_argument("folders", type=Path, nargs="+")
    combine.add_argument("-o", "--output", type=Path, required=True)
    combine.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    combine.set_defaults(func=run_combine)
    report = actions.add_parser("report", help="the rubric's figures from the filled scores.tsv")
    report.add_argument("folder", type=Path)
    report.set_defaults(func=run_report)
    fit = actions.add_parser("fit", help="fit the quality gate on the tune part, report on held-out")
    fit.add_argument("folder", type=Path)
    fit.add_argument("--version", help="fit on this renderer version's pictures only (a comparison review)")
    fit.set_defaults(func=run_fit)


def run_sheets(args) -> int:
    from ml.errors import CannotRender
    from ml.evaluation.data import pairs, photos
    from ml.evaluation.review import make_review

    found = photos(args.fixtures)
    if not found:
        raise CannotRender(f"No development photos of the split listing under {args.fixtures}.")
    key = make_review(pairs(found), args.output, renderers=args.renderer or ["warp"], seed=args.seed)
    shown = sum(1 for k in key if k.id)
    print(f"{shown} pictures in {args.output}/sheets, {len(key) - shown} refused (in the key only)")
    return 0


def run_combine(args) -> int:
    from ml.evaluation.review import combine_reviews

    key = combine_reviews(args.folders, args.output, args.fixtures)
    shown = sum(1 for k in key if k.id)
    print(f"{shown} pictures of {len(args.folders)} reviews shuffled into {args.output}/sheets")
    return 0


def run_report(args) -> int:
    from ml.evaluation.review import report_markdown

    text = report_markdown(args.folder)
    (args.folder / "report.md").write_text(text)
    print(text)
    return 0


def run_fit(args) -> int:
    from ml.evaluation.review import fit_report

    _, text = fit_report(args.folder, args.version)
    (args.folder / "gate_fit.md").write_text(text)
    print(text)
    return 0
