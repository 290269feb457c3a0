"""Render development pairs, measure every picture and summarise per part (tune / held-out).

Each pair ends in one state:

* ``not_applicable``: the shopper's photo cannot carry the product's kind (trousers on an
  upper-body photo); the store says so instead of rendering, so it is counted apart;
* ``refused``: the renderer or the product preparation refused, with its sentence;
* ``held_back``: rendered, but the quality gate's confidence is under its threshold (the store
  shows the product photo with a reason);
* ``shown``: rendered and shown.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ml import quality as q
from ml.errors import MLError
from ml.evaluation.data import Pair, Photo, Source
from ml.evaluation.split import Part
from ml.types import GarmentSource, PhotoAnalysis, RenderMode, RenderRequest, RenderResult, Severity

SHOWN, HELD_BACK, REFUSED, NOT_APPLICABLE = "shown", "held_back", "refused", "not_applicable"


@dataclass
class PairOutcome:
    pair: str
    part: str
    source: str
    shopper: str
    product: str
    kind: str = ""
    state: str = REFUSED
    reason: str = ""
    confidence: float | None = None
    measures: dict = field(default_factory=dict)
    seconds: float | None = None


class Evaluator:
    """Analyses each photo once, prepares each product once, renders and measures pairs."""

    def __init__(self, renderer_name: str = "warp", model: q.GateModel = q.GATE) -> None:
        from ml.analysis import get_analyzer
        from ml.render import get_renderer

        self.analyzer = get_analyzer()
        self.renderer = get_renderer(renderer_name)
        self.model = model
        self._analyses: dict[str, PhotoAnalysis | MLError] = {}
        self._garments: dict[str, GarmentSource | MLError] = {}

    def analysis(self, photo: Photo) -> PhotoAnalysis:
        from ml.intake import load_image

        if photo.id not in self._analyses:
            try:
                analysis = self.analyzer.predict(load_image(photo.path))
                analysis.extras.update(self.renderer.precompute(analysis))
                self._analyses[photo.id] = analysis
            except MLError as error:
                self._analyses[photo.id] = error
        found = self._analyses[photo.id]
        if isinstance(found, MLError):
            raise found
        return found

    def garment(self, photo: Photo) -> GarmentSource:
        from ml.evaluate import infer_kind
        from ml.garments import prepare_packshot
        from ml.intake import load_image

        if photo.id not in self._garments:
            try:
                if photo.kind is not None:
                    packshot = prepare_packshot(load_image(photo.path), photo.kind)
                    source = GarmentSource(kind=photo.kind, packshot=packshot)
                else:
                    analysis = self.analysis(photo)
                    source = GarmentSource(kind=infer_kind(analysis), analysis=analysis)
                self._garments[photo.id] = source
            except MLError as error:
                self._garments[photo.id] = error
        found = self._garments[photo.id]
        if isinstance(found, MLError):
            raise found
        return found

    def run(self, pair: Pair) -> tuple[PairOutcome, RenderResult | None]:
        from ml.checks import pair_findings

        outcome = PairOutcome(
            pair=pair.id,
            part=str(pair.part),
            source=str(pair.source),
            shopper=pair.shopper.id,
            product=pair.product.id,
        )
        try:
            shopper = self.analysis(pair.shopper)
            garment = self.garment(pair.product)
        except MLError as error:
            outcome.reason = error.message
            return outcome, None
        outcome.kind = str(garment.kind)
        blocking = [f for f in pair_findings(shopper, garment.kind) if f.severity == Severity.ERROR]
        if blocking:
            outcome.state, outcome.reason = NOT_APPLICABLE, blocking[0].message
            return outcome, None
        request = RenderRequest(shopper=shopper, garments=(garment,), mode=RenderMode.TRYON)
        started = time.perf_counter()
        try:
            result = self.renderer.render(request)
        except MLError as error:
            outcome.reason = error.message
            return outcome, None
        outcome.seconds = round(time.perf_counter() - started, 4)
        assessed = q.assess(shopper, (garment,), result, model=self.model)
        outcome.confidence = round(assessed.confidence, 4)
        outcome.measures = assessed.to_dict()
        if assessed.confidence >= self.model.threshold:
            outcome.state = SHOWN
        else:
            outcome.state, outcome.reason = HELD_BACK, assessed.hold_back_reason
        return outcome, result


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.fmean(present), 4) if present else None


def summarise(outcomes: list[PairOutcome]) -> dict:
    states = Counter(o.state for o in outcomes)
    applicable = len(outcomes) - states[NOT_APPLICABLE]
    rendered = [o for o in outcomes if o.state in (SHOWN, HELD_BACK)]
    seconds = sorted(o.seconds for o in rendered if o.seconds is not None)
    summary = {
        "pairs": len(outcomes),
        "not_applicable": states[NOT_APPLICABLE],
        "refused": states[REFUSED],
        "held_back": states[HELD_BACK],
        "shown": states[SHOWN],
        "refused_or_held_back_share": round((states[REFUSED] + states[HELD_BACK]) / applicable, 4)
        if applicable
        else None,
        "seconds_median": round(statistics.median(seconds), 4) if seconds else None,
    }
    for name in (*q.FEATURES, "confidence"):
        summary[f"mean_{name}"] = _mean(o.measures.get(name) for o in rendered)
    for state, key in ((REFUSED, "refusal_reasons"), (HELD_BACK, "held_back_reasons")):
        summary[key] = dict(Counter(o.reason for o in outcomes if o.state == state).most_common())
    return summary


def summaries(outcomes: list[PairOutcome]) -> dict:
    """Per part and per (part, product source), plus the tune - held-out gap of each mean."""
    out: dict[str, dict] = {}
    for part in Part:
        chosen = [o for o in outcomes if o.part == part]
        if not chosen:
            continue
        out[str(part)] = summarise(chosen)
        for source in Source:
            subset = [o for o in chosen if o.source == source]
            if subset:
                out[f"{part}/{source}"] = summarise(subset)
    if str(Part.TUNE) in out and str(Part.HELD_OUT) in out:
        tune, held = out[str(Part.TUNE)], out[str(Part.HELD_OUT)]
        out["gap"] = {
            k: round(held[k] - tune[k], 4)
            for k in tune
            if isinstance(tune[k], float) and isinstance(held.get(k), float)
        }
    return out


def evaluate(
    pairs: list[Pair],
    renderer_name: str,
    out_dir: Path,
    *,
    sheet_rows: int = 24,
    log: Callable[[str], None] = print,
) -> dict:
    from ml.evaluation.sheets import contact_sheet

    evaluator = Evaluator(renderer_name)
    out_dir.mkdir(parents=True, exist_ok=True)
    outcomes: list[PairOutcome] = []
    rows: dict[str, list] = {}
    for index, pair in enumerate(pairs, 1):
        outcome, result = evaluator.run(pair)
        outcomes.append(outcome)
        sheet = rows.setdefault(outcome.part, [])
        if result is not None and len(sheet) < sheet_rows:
            label = f"{outcome.state} {outcome.confidence:.2f}"
            sheet.append(
                (evaluator.analysis(pair.shopper).image, product_image(evaluator, pair), result.image, label)
            )
        log(f"[{index}/{len(pairs)}] {pair.id} ({outcome.kind or '?'}): {outcome.state} {outcome.reason}")
    renderer = type(evaluator.renderer)
    report = {
        "renderer": renderer.name,
        "version": renderer.version,
        "gate": {"threshold": evaluator.model.threshold, "fitted_on": evaluator.model.fitted_on},
        "summary": summaries(outcomes),
        "pairs": [asdict(o) for o in outcomes],
    }
    (out_dir / "report.json").write_text(json.dumps(report, indent=2))
    (out_dir / "report.md").write_text(markdown(report))
    for part, sheet in rows.items():
        contact_sheet(sheet, out_dir / f"contact_sheet_{part}.png")
    return report


def product_image(evaluator: Evaluator, pair: Pair) -> np.ndarray:
    garment = evaluator.garment(pair.product)
    return garment.packshot.image if garment.packshot is not None else garment.analysis.image


def _fmt(value) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


SUMMARY_COLUMNS = (
    "pairs",
    "not_applicable",
    "refused",
    "held_back",
    "shown",
    "refused_or_held_back_share",
    "mean_colour_distance",
    "mean_texture_gap",
    "mean_seam_excess",
    "mean_leftover_share",
    "mean_outside_identity",
    "mean_attached_share",
    "mean_fill_share",
    "mean_zone_coverage",
    "mean_product_share",
    "mean_confidence",
    "seconds_median",
)


def summary_table(summary: dict) -> list[str]:
    lines = [
        "| set | " + " | ".join(c.removeprefix("mean_") for c in SUMMARY_COLUMNS) + " |",
        "|---|" + "---|" * len(SUMMARY_COLUMNS),
    ]
    for name, s in summary.items():
        if name == "gap":
            cells = [_fmt(s.get(c)) for c in SUMMARY_COLUMNS]
            lines.append("| held-out − tune | " + " | ".join(cells) + " |")
            continue
        lines.append(f"| {name} | " + " | ".join(_fmt(s.get(c)) for c in SUMMARY_COLUMNS) + " |")
    return lines


def markdown(report: dict) -> str:
    lines = [
        f"# Try-on quality: {report['renderer']} {report['version']}",
        "",
        f"Gate threshold {report['gate']['threshold']} ({report['gate']['fitted_on']}).",
        "",
        *summary_table(report["summary"]),
        "",
        "## Refusals and held-back cards",
        "",
    ]
    for name, s in report["summary"].items():
        if name in (str(Part.TUNE), str(Part.HELD_OUT)):
            lines.append(f"**{name}**")
            lines.append("")
            for reason, count in {**s["refusal_reasons"], **s["held_back_reasons"]}.items():
                lines.append(f"- {count} × {reason}")
            lines.append("")
    lines += [
        "## Pairs",
        "",
        "| pair | part | kind | state | confidence | reason |",
        "|---|---|---|---|---|---|",
    ]
    for p in report["pairs"]:
        cells = (p["pair"], p["part"], p["kind"], p["state"], _fmt(p["confidence"]), p["reason"])
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
