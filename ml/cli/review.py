"""``python -m ml review ...``: the blinded review of try-on pictures.

python -m ml review sheets -o review/NAME [--renderer warp ...] [--seed 2026] [--quota packshot:bottom=18 ...]
python -m ml review report review/NAME        # after the reviewer filled scores.tsv
python -m ml review fit review/NAME [--version warp-10]  # gate model + threshold from the tune part
python -m ml review changed --pair BASE NEW [--pair BASE2 NEW2] -o OUT  # OUT/base, OUT/new: changed pairs
python -m ml review crops OUT -o DIR [--part tune]  # base | new crops round the moved pixels (yours)
python -m ml review compare review/NAME --new warp-53 [--scores scores_B.tsv]  # per pair higher / lower
python -m ml review paired OUT/base OUT/new -o review/NAME  # both versions side by side, sides at random
python -m ml review preference review/NAME [--choices choices_B.tsv]  # new chosen / base chosen / same
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ml.cli.evaluate import DEFAULT_FIXTURES


def parse_quota(text: str) -> tuple[tuple, int]:
    """``SOURCE[:KIND]=N`` (``packshot:bottom=18``, ``onmodel=28``) as a stratum of the review's
    sample and how many pairs to draw from it in each part."""
    from ml.evaluation.data import Source
    from ml.types import GarmentKind

    stratum, _, count = text.partition("=")
    source, _, kind = stratum.partition(":")
    try:
        parsed_source = Source(source)
        parsed_kind = GarmentKind(kind) if kind else None
        parsed_count = int(count)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected SOURCE[:KIND]=N, SOURCE one of {', '.join(s.value for s in Source)}, "
            f"KIND one of {', '.join(k.value for k in GarmentKind)}"
        ) from None
    if parsed_count < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: the number of pairs must be at least 1")
    if parsed_source == Source.PACKSHOT and parsed_kind is None:
        raise argparse.ArgumentTypeError(f"{text!r}: packshot strata are per kind (packshot:top=18)")
    if parsed_source == Source.ONMODEL and parsed_kind is not None:
        raise argparse.ArgumentTypeError(f"{text!r}: on-model products are one stratum (onmodel=28)")
    return (parsed_source, parsed_kind), parsed_count


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("review", help="blinded review sheets, score report, gate fit")
    actions = parser.add_subparsers(dest="action", required=True)
    sheets = actions.add_parser("sheets", help="draw the sample, render it, write shuffled sheets and a key")
    sheets.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    sheets.add_argument("--renderer", action="append", help="renderer name (repeat to compare)")
    sheets.add_argument("--seed", type=int, default=2026)
    sheets.add_argument(
        "--quota",
        type=parse_quota,
        action="append",
        help="draw only these strata, N pairs per part each (repeat; default: the usual sample)",
    )
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
    changed = actions.add_parser(
        "changed", help="the pairs whose picture two versions' reviews of one sample render differently"
    )
    changed.add_argument(
        "--pair",
        nargs=2,
        type=Path,
        action="append",
        required=True,
        metavar=("BASE", "NEW"),
        help="the base and new version's review folders of one sample (repeat for more samples)",
    )
    changed.add_argument(
        "--levels", type=float, default=None, help="a pixel moved more than this many levels (default 24) ..."
    )
    changed.add_argument(
        "--share", type=float, default=None, help="... on more than this share of a picture (default 0.001)"
    )
    changed.add_argument("-o", "--output", type=Path, required=True, help="writes OUTPUT/base and OUTPUT/new")
    changed.set_defaults(func=run_changed)
    crops = actions.add_parser(
        "crops", help="base | new crops round the pixels each changed pair moved (the developer's look)"
    )
    crops.add_argument("cut", type=Path, help="OUTPUT of `ml review changed`")
    crops.add_argument("--part", choices=("tune", "heldout"), help="only this part's pairs")
    crops.add_argument("-o", "--output", type=Path, required=True, help="writes OUTPUT/crops_NN.png")
    crops.set_defaults(func=run_crops)

    compare = actions.add_parser(
        "compare", help="per pair, a reviewer's score of the new version against the other"
    )
    compare.add_argument("folder", type=Path, help="a combined review of two versions")
    compare.add_argument("--new", required=True, help="the new version (a prefix of its version in the key)")
    compare.add_argument(
        "--scores", action="append", help="score tables in the folder (repeat; default: scores.tsv)"
    )
    compare.set_defaults(func=run_compare)
    paired = actions.add_parser(
        "paired",
        help="a paired review: both versions of each changed pair side by side, sides drawn at random",
    )
    paired.add_argument("base", type=Path, help="OUTPUT/base of `ml review changed`")
    paired.add_argument("new", type=Path, help="OUTPUT/new of `ml review changed`")
    paired.add_argument("-o", "--output", type=Path, required=True)
    paired.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    paired.add_argument("--seed", type=int, default=2028)
    paired.set_defaults(func=run_paired)
    preference = actions.add_parser(
        "preference", help="per part, how often a paired review's reviewer chose the new version"
    )
    preference.add_argument("folder", type=Path, help="a paired review")
    preference.add_argument(
        "--choices", action="append", help="choice tables in the folder (repeat; default: choices.tsv)"
    )
    preference.set_defaults(func=run_preference)
    faults = actions.add_parser(
        "faults", help="per part and source, how many of a review's notes name each fault (a guide)"
    )
    faults.add_argument("folder", type=Path, help="a review (scored or paired) with filled tables")
    faults.add_argument(
        "--table",
        action="append",
        help="score or choice tables in the folder (repeat; default: the lettered ones, else the plain one)",
    )
    faults.set_defaults(func=run_faults)


def run_sheets(args) -> int:
    from ml.errors import CannotRender
    from ml.evaluation.data import pairs, photos
    from ml.evaluation.review import QUOTAS, make_review

    found = photos(args.fixtures)
    if not found:
        raise CannotRender(f"No development photos of the split listing under {args.fixtures}.")
    quotas = dict(args.quota) if args.quota else QUOTAS
    key = make_review(
        pairs(found), args.output, renderers=args.renderer or ["warp"], seed=args.seed, quotas=quotas
    )
    shown = sum(1 for k in key if k.id)
    print(f"{shown} pictures in {args.output}/sheets, {len(key) - shown} refused (in the key only)")
    return 0


def run_combine(args) -> int:
    from ml.evaluation.review import combine_reviews

    key = combine_reviews(args.folders, args.output, args.fixtures)
    shown = sum(1 for k in key if k.id)
    print(f"{shown} pictures of {len(args.folders)} reviews shuffled into {args.output}/sheets")
    return 0


def run_changed(args) -> int:
    from ml.evaluation.compare import CHANGED_LEVELS, CHANGED_SHARE, changed_pairs

    found = changed_pairs(
        [(base, new) for base, new in args.pair],
        args.output / "base",
        args.output / "new",
        levels=CHANGED_LEVELS if args.levels is None else args.levels,
        share=CHANGED_SHARE if args.share is None else args.share,
    )
    counts = ", ".join(f"{count} {part}" for part, count in sorted(found.parts.items())) or "none"
    print(f"{sum(found.parts.values())} changed pairs ({counts}) in {args.output}/base and {args.output}/new")
    for pair in found.one_sided:
        print(f"pictured by one version only (refused or not applicable in the other): {pair}")
    return 0


def run_crops(args) -> int:
    from ml.evaluation.compare import changed_crops

    sheets = changed_crops(args.cut, args.output, part=args.part)
    print(f"{len(sheets)} sheets of base | new crops in {args.output}")
    return 0


def run_compare(args) -> int:
    from ml.evaluation.compare import compare_versions, comparison_text

    for name in args.scores or ["scores.tsv"]:
        path = args.folder / name
        print(comparison_text(compare_versions(args.folder, path, args.new), path))
    return 0


def run_paired(args) -> int:
    from ml.evaluation.paired import make_paired_review

    key = make_paired_review(args.base, args.new, args.output, args.fixtures, seed=args.seed)
    print(f"{len(key)} pairs side by side in {args.output}/sheets; the reviewer fills choices.tsv")
    return 0


def run_preference(args) -> int:
    from ml.evaluation.paired import preference_text, preferences

    for name in args.choices or ["choices.tsv"]:
        path = args.folder / name
        print(preference_text(*preferences(args.folder, path), path))
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


def run_faults(args) -> int:
    from ml.evaluation.faults import tally, tally_text

    print(tally_text(tally(args.folder, args.table)), end="")
    return 0
