"""``python -m ml tryon --shopper ME.jpg --product A.jpg [--product B.jpg] --kind dress [--kind ...]``.

Renders the product(s) on the shopper (``--mode tryon``) or the product's model in the
shopper's pose (``--mode pose``) and writes the full-size render (``-o``) and the 3:4 card
(``--card``). ``--packshot`` treats the products as flat packshots on a white background.
Bad input or photos that cannot serve exit with status 2 and one sentence.
"""

from __future__ import annotations

from pathlib import Path

from ml.types import GarmentKind, RenderMode


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("tryon", help="render products on a shopper photo")
    parser.add_argument("--shopper", type=Path, required=True, help="the shopper's photo")
    parser.add_argument(
        "--product", type=Path, action="append", required=True, help="a product photo (repeat)"
    )
    parser.add_argument(
        "--kind",
        action="append",
        choices=[k.value for k in GarmentKind],
        help="garment kind per product, in the same order (default: inferred from the photo)",
    )
    parser.add_argument("--mode", choices=[m.value for m in RenderMode], default=RenderMode.TRYON.value)
    parser.add_argument("--renderer", default="warp")
    parser.add_argument("--packshot", action="store_true", help="products are flat packshots on white")
    parser.add_argument("-o", "--output", type=Path, required=True, help="PNG for the full-size render")
    parser.add_argument("--card", type=Path, help="PNG for the 3:4 card crop")
    parser.set_defaults(func=run)


def run(args) -> int:
    import sys

    from PIL import Image

    from ml.analysis import get_analyzer
    from ml.errors import CannotRender
    from ml.evaluate import infer_kind
    from ml.garments import prepare_packshot
    from ml.intake import load_image
    from ml.render import get_renderer
    from ml.types import GarmentSource, RenderRequest

    kinds = args.kind or []
    if kinds and len(kinds) != len(args.product):
        raise CannotRender(
            f"Give one --kind per --product ({len(args.product)} products, {len(kinds)} kinds)."
        )
    renderer = get_renderer(args.renderer)
    analyzer = get_analyzer()
    shopper = analyzer.predict(load_image(args.shopper))
    shopper.extras.update(renderer.precompute(shopper))
    garments = []
    for index, path in enumerate(args.product):
        image = load_image(path)
        if args.packshot:
            if not kinds:
                raise CannotRender("Say which kind of garment each packshot is with --kind.")
            kind = GarmentKind(kinds[index])
            garments.append(GarmentSource(kind=kind, packshot=prepare_packshot(image, kind)))
            continue
        analysis = analyzer.predict(image)
        kind = GarmentKind(kinds[index]) if kinds else infer_kind(analysis)
        garments.append(GarmentSource(kind=kind, analysis=analysis))
    result = renderer.render(
        RenderRequest(shopper=shopper, garments=tuple(garments), mode=RenderMode(args.mode))
    )
    Image.fromarray(result.image).save(args.output, format="PNG")
    if args.card:
        Image.fromarray(result.card).save(args.card, format="PNG")
    for finding in result.findings:
        print(f"[{finding.severity}] {finding.message}", file=sys.stderr)
    timing = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in result.timings.items())
    print(
        f"{args.output}: {result.image.shape[1]}x{result.image.shape[0]} "
        f"by {result.renderer} {result.version} ({timing})"
    )
    return 0
