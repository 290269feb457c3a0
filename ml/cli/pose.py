"""``python -m ml pose IMAGE [--json] [--overlay out.png]``: keypoints, view, coverage, findings."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from ml.types import KEYPOINT_NAMES


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("pose", help="find the person's pose in a photo")
    parser.add_argument("image", type=Path)
    parser.add_argument("--json", action="store_true", help="print JSON (default: a readable table)")
    parser.add_argument("--overlay", type=Path, help="write a skeleton overlay PNG here")
    parser.set_defaults(func=run)


def run(args) -> int:
    from ml.analysis import get_analyzer
    from ml.intake import load_image
    from ml.overlays import skeleton_overlay

    image = load_image(args.image)
    analysis = get_analyzer().predict(image)
    keypoints = {
        name: None if x < 0 else [round(float(x), 1), round(float(y), 1)]
        for name, (x, y) in zip(KEYPOINT_NAMES, analysis.keypoints, strict=True)
    }
    result = {
        "image": str(args.image),
        "size": {"width": analysis.width, "height": analysis.height},
        "keypoint_names": list(KEYPOINT_NAMES),
        "keypoints": keypoints,
        "scores": {
            n: round(float(s), 3) for n, s in zip(KEYPOINT_NAMES, analysis.keypoint_scores, strict=True)
        },
        "view": str(analysis.view),
        "coverage": asdict(analysis.coverage),
        "findings": [f.to_dict() for f in analysis.findings],
        "analyzer_version": analysis.analyzer_version,
    }
    if args.overlay:
        skeleton_overlay(analysis.image, analysis.keypoints).save(args.overlay, format="PNG")
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{args.image}: {analysis.width}x{analysis.height}, view {analysis.view}")
        for name, point in keypoints.items():
            print(f"  {name:15s} {'missing' if point is None else point}")
        print("  coverage: " + ", ".join(k for k, v in result["coverage"].items() if v))
        for finding in analysis.findings:
            print(f"  [{finding.severity}] {finding.message}")
    return 0
