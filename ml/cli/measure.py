"""``python -m ml measure --front F.jpg [--side S.jpg] --height 172 [--weight 64] [--json]``.

``--top-fit`` and ``--bottom-fit`` (fitted, regular, loose) say how the clothes in the photos fit.
``--overlay out.png`` draws the fitted body over the front photo; ``--mannequin out.png`` draws it
as the shaded mannequin of "My shape".
"""

from __future__ import annotations

import json
from pathlib import Path

from ml.body.types import CLOTHES_FITS, ClothesFit


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("measure", help="measure the body from photos and the stated height")
    parser.add_argument("--front", type=Path, required=True, help="a full-body photo facing the camera")
    parser.add_argument("--side", type=Path, help="a full-body photo from the side (optional)")
    parser.add_argument("--height", type=float, required=True, help="your height in cm")
    parser.add_argument("--weight", type=float, help="your weight in kg (optional)")
    parser.add_argument(
        "--top-fit", choices=CLOTHES_FITS, help="how the top (or dress) in the photos fits (optional)"
    )
    parser.add_argument(
        "--bottom-fit", choices=CLOTHES_FITS, help="how the trousers in the photos fit (optional)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON (default: a table)")
    parser.add_argument("--overlay", type=Path, help="write the fitted body over the front photo (PNG)")
    parser.add_argument("--mannequin", type=Path, help="write the fitted body as a mannequin (PNG)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from ml.body import measure_body
    from ml.body.render import body_overlay
    from ml.intake import load_image

    front = load_image(args.front)
    side = load_image(args.side) if args.side else None
    fit = ClothesFit(top=args.top_fit, bottom=args.bottom_fit)
    result = measure_body(front, height_cm=args.height, side=side, weight_kg=args.weight, clothes_fit=fit)
    if args.overlay and result.fit is not None:
        body_overlay(front, result.fit.views[0].projected, result.fit.faces).save(args.overlay, format="PNG")
    if args.mannequin and result.fit is not None:
        from PIL import Image

        from ml.body.mannequin import draw_mannequin

        Image.fromarray(draw_mannequin(result.fit).image).save(args.mannequin, format="PNG")
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(f"height {result.height_cm:.0f} cm, views: {', '.join(result.views)}")
        for name, m in result.measurements.items():
            print(f"  {name:15s} {m.value_cm:6.1f} cm  ± {m.uncertainty_cm:.1f}")
        for note in result.notes:
            print(f"  note: {note}")
    return 0
