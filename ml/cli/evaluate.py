"""``python -m ml evaluate --shoppers DIR --products DIR --renderer NAME -o report/ [--limit N]``."""

from __future__ import annotations

from pathlib import Path

from ml.types import RenderMode


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate", help="render shopper x product pairs and write a quality report"
    )
    parser.add_argument("--shoppers", type=Path, required=True, help="folder of shopper photos")
    parser.add_argument("--products", type=Path, required=True, help="folder of on-model product photos")
    parser.add_argument("--renderer", default="warp")
    parser.add_argument("--mode", choices=[m.value for m in RenderMode], default=RenderMode.TRYON.value)
    parser.add_argument(
        "-o", "--output", type=Path, required=True, help="folder for report.json, report.md, PNG"
    )
    parser.add_argument("--limit", type=int, help="render only the first N pairs (spread over all shoppers)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from ml.errors import CannotRender
    from ml.evaluate import evaluate

    for folder in (args.shoppers, args.products):
        if not folder.is_dir():
            raise CannotRender(f"{folder} is not a folder of photos.")
    report = evaluate(
        args.shoppers, args.products, args.renderer, args.output, limit=args.limit, mode=RenderMode(args.mode)
    )
    s = report["summary"]
    print(
        f"{s['succeeded']}/{s['pairs']} rendered; PCKh@0.5 {s['pckh']}, identity SSIM {s['identity_ssim']}, "
        f"garment dE00 {s['garment_delta_e']}, coverage {s['coverage']}, "
        f"median {s['seconds_median']} s/card; "
        f"report in {args.output}"
    )
    return 0
