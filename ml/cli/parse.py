"""``python -m ml parse IMAGE -o labels.png [--overlay out.png]``: 8-class parsing at the photo's size."""

from __future__ import annotations

from pathlib import Path

from PIL import Image


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("parse", help="label a photo's person in ADGAN's eight classes")
    parser.add_argument("image", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True, help="single-channel PNG of class ids")
    parser.add_argument("--overlay", type=Path, help="write a coloured overlay PNG with a legend here")
    parser.set_defaults(func=run)


def run(args) -> int:
    import numpy as np

    from ml.analysis import get_analyzer
    from ml.intake import load_image
    from ml.overlays import parsing_overlay
    from ml.types import ParsingClass

    image = load_image(args.image)
    analysis = get_analyzer().predict(image)
    Image.fromarray(analysis.parsing.astype(np.uint8)).save(args.output, format="PNG")
    if args.overlay:
        parsing_overlay(analysis.image, analysis.parsing).save(args.overlay, format="PNG")
    counts = np.bincount(analysis.parsing.ravel(), minlength=len(ParsingClass))
    total = analysis.parsing.size
    shares = ", ".join(f"{c.name.lower()} {100 * counts[c] / total:.1f}%" for c in ParsingClass if counts[c])
    print(f"wrote {args.output} ({analysis.width}x{analysis.height}): {shares}")
    return 0
