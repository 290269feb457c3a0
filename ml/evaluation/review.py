"""The blinded review: a fixed sample of pairs, shuffled contact sheets, a key, the score report.

``sheets`` draws a seeded sample from each part (tune and held-out), covering packshot tops,
bottoms and dresses and on-model products over as many shoppers as possible, renders it with one
or more renderers, and writes:

* ``sheets/sheet_NN.png``: rows of shopper | product | render labelled only with a picture id;
  pictures of both parts and of every renderer are shuffled together, nothing names a version;
* ``renders/<id>.jpg``: each render at full size, for zooming in;
* ``key.json``: what each id is (pair, part, renderer, version, gate decision, measures);
* ``scores.tsv``: the score table for the reviewer (id, score 1-5, note).

The reviewer sees only the sheets, the renders and ``../shared/review/rubric.md``. ``report``
then turns the filled ``scores.tsv`` into the rubric's figures per part, and ``fit`` sets the
quality gate's model and threshold on the tune part and reports its effect on the held-out part.
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from ml import quality as q
from ml.evaluation.data import Pair, Source
from ml.evaluation.run import (
    HELD_BACK,
    NOT_APPLICABLE,
    REFUSED,
    SHOWN,
    Evaluator,
    PairOutcome,
)
from ml.evaluation.sheets import contact_sheet
from ml.evaluation.split import Part
from ml.types import GarmentKind

ROWS_PER_SHEET = 4
# rendered pictures per part and product stratum
QUOTAS = {
    (Source.PACKSHOT, GarmentKind.TOP): 18,
    (Source.PACKSHOT, GarmentKind.BOTTOM): 9,
    (Source.PACKSHOT, GarmentKind.DRESS): 9,
    (Source.ONMODEL, None): 28,
}
LOW_SCORES = (1, 2)
GOOD_SCORE = 3
MAX_SHOWN_LOW_SHARE = 0.05  # the gate's goal: at most this share of shown cards scored 1-2


def _stratum(pair: Pair) -> tuple[Source, GarmentKind | None]:
    return (pair.source, pair.product.kind if pair.source == Source.PACKSHOT else None)


def sample_order(pairs: Sequence[Pair], seed: int) -> list[Pair]:
    """``pairs`` in a seeded order that spreads shoppers and products: each next pair is drawn from
    those whose shopper and product have been used least so far."""
    rng = random.Random(seed)
    pool = list(pairs)
    rng.shuffle(pool)
    used: Counter[str] = Counter()
    ordered: list[Pair] = []
    while pool:
        best = min(range(len(pool)), key=lambda i: (used[pool[i].shopper.id] + used[pool[i].product.id], i))
        pair = pool.pop(best)
        used[pair.shopper.id] += 1
        used[pair.product.id] += 1
        ordered.append(pair)
    return ordered


@dataclass
class KeyEntry:
    id: str
    renderer: str
    version: str
    outcome: dict


def make_review(
    pairs: Sequence[Pair],
    out_dir: Path,
    renderers: Sequence[str] = ("warp",),
    seed: int = 2026,
    quotas: dict = QUOTAS,
    log: Callable[[str], None] = print,
) -> list[KeyEntry]:
    """Render the sample with each renderer and write the blinded sheets, the key and the score table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "renders").mkdir(exist_ok=True)
    (out_dir / "sheets").mkdir(exist_ok=True)
    evaluators = [Evaluator(name) for name in renderers]
    rendered: list[tuple[PairOutcome, str, str, tuple]] = []  # outcome, renderer, version, images
    unshown: list[tuple[PairOutcome, str, str]] = []
    for part in (Part.TUNE, Part.HELD_OUT):
        by_stratum: dict = defaultdict(list)
        for pair in sample_order([p for p in pairs if p.part == part], seed):
            by_stratum[_stratum(pair)].append(pair)
        for stratum, quota in quotas.items():
            taken = 0
            for pair in by_stratum.get(stratum, []):
                if taken >= quota:
                    break
                outcomes = [evaluator.run(pair) for evaluator in evaluators]
                if all(o.state == NOT_APPLICABLE for o, _ in outcomes):
                    continue
                taken += 1
                for evaluator, (outcome, result) in zip(evaluators, outcomes, strict=True):
                    cls = type(evaluator.renderer)
                    if result is None:
                        unshown.append((outcome, cls.name, cls.version))
                        continue
                    garment = evaluator.garment(pair.product)
                    product = (
                        garment.packshot.image if garment.packshot is not None else garment.analysis.image
                    )
                    images = (evaluator.analysis(pair.shopper).image, product, result.image)
                    rendered.append((outcome, cls.name, cls.version, images))
                log(f"{part} {stratum[0]}/{stratum[1] or '-'} {taken}/{quota}: {pair.id}")
    random.Random(seed + 1).shuffle(rendered)
    width = max(3, len(str(len(rendered))))
    key: list[KeyEntry] = []
    for index, (outcome, name, version, images) in enumerate(rendered, 1):
        picture = f"P{index:0{width}d}"
        key.append(KeyEntry(id=picture, renderer=name, version=version, outcome=asdict(outcome)))
        Image.fromarray(images[2]).save(out_dir / "renders" / f"{picture}.jpg", quality=92)
    for index in range(0, len(rendered), ROWS_PER_SHEET):
        rows = [
            (*images, entry.id)
            for (_, _, _, images), entry in zip(
                rendered[index : index + ROWS_PER_SHEET], key[index : index + ROWS_PER_SHEET], strict=True
            )
        ]
        contact_sheet(rows, out_dir / "sheets" / f"sheet_{index // ROWS_PER_SHEET + 1:02d}.png", columns=1)
    for outcome, name, version in unshown:  # refused: never shown, so never scored
        key.append(KeyEntry(id="", renderer=name, version=version, outcome=asdict(outcome)))
    _write_key_and_scores(out_dir, key)
    return key


def combine_reviews(
    folders: Sequence[Path], out_dir: Path, fixtures: Path, seed: int = 2027
) -> list[KeyEntry]:
    """One blinded review of the pictures of several reviews (e.g. two renderer versions on the same
    pairs): every picture gets a new id, all are shuffled together and written as new sheets, so a
    reviewer compares versions without knowing which is which."""
    from ml.intake import load_image

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "renders").mkdir(exist_ok=True)
    (out_dir / "sheets").mkdir(exist_ok=True)
    pictures, unshown = [], []
    for folder in folders:
        for row in read_key(folder):
            if row["id"]:
                pictures.append((folder, row))
            else:
                unshown.append(row)
    random.Random(seed).shuffle(pictures)
    width = max(3, len(str(len(pictures))))
    # the same renderer version in two folders (the photos analysed by two parser versions) is told
    # apart by its folder's name, or the key could not say which picture is which
    folders_of: dict[str, set[str]] = {}
    for folder, row in pictures:
        folders_of.setdefault(row["version"], set()).add(folder.name)

    def version(folder: Path, row: dict) -> str:
        shared = len(folders_of[row["version"]]) > 1
        return f"{row['version']} ({folder.name})" if shared else row["version"]

    key: list[KeyEntry] = []
    rows = []
    for index, (folder, row) in enumerate(pictures, 1):
        picture = f"Q{index:0{width}d}"
        outcome = row["outcome"]
        key.append(
            KeyEntry(id=picture, renderer=row["renderer"], version=version(folder, row), outcome=outcome)
        )
        render = np.asarray(Image.open(folder / "renders" / f"{row['id']}.jpg").convert("RGB"))
        Image.fromarray(render).save(out_dir / "renders" / f"{picture}.jpg", quality=92)
        shopper = load_image(fixtures / outcome["shopper"])
        product = load_image(fixtures / outcome["product"])
        rows.append((shopper, product, render, picture))
    for index in range(0, len(rows), ROWS_PER_SHEET):
        sheet = out_dir / "sheets" / f"sheet_{index // ROWS_PER_SHEET + 1:02d}.png"
        contact_sheet(rows[index : index + ROWS_PER_SHEET], sheet, columns=1)
    key += [
        KeyEntry(id="", renderer=r["renderer"], version=r["version"], outcome=r["outcome"]) for r in unshown
    ]
    _write_key_and_scores(out_dir, key)
    return key


def _write_key_and_scores(out_dir: Path, key: list[KeyEntry]) -> None:
    """The key (what each picture is) and the empty score table (ids only) for the reviewer."""
    (out_dir / "key.json").write_text(json.dumps([asdict(k) for k in key], indent=1))
    with (out_dir / "scores.tsv").open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["id", "score", "note"])
        for entry in key:
            if entry.id:
                writer.writerow([entry.id, "", ""])


# ------------------------------------------------------------------------------------------ scores


def read_key(review_dir: Path) -> list[dict]:
    return json.loads((review_dir / "key.json").read_text())


def read_score_table(path: Path) -> dict[str, tuple[int, str]]:
    """A filled score table: each scored picture's score (1-5) and note; unscored rows left out."""
    scores: dict[str, tuple[int, str]] = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            text = (row.get("score") or "").strip()
            if not text:
                continue
            value = int(text)
            if not 1 <= value <= 5:
                raise ValueError(f"score of {row['id']} is {value}: scores are 1 to 5")
            scores[row["id"]] = (value, (row.get("note") or "").strip())
    return scores


def read_scores(review_dir: Path) -> dict[str, int]:
    return {picture: score for picture, (score, _note) in read_score_table(review_dir / "scores.tsv").items()}


@dataclass
class Figures:
    """The rubric's report for one set of pictures."""

    pairs: int  # sampled pairs the photo could carry (rendered or refused)
    scored: int
    mean_score: float | None
    shown: int
    low_among_shown: float | None  # share scored 1-2 among shown
    mean_shown: float | None
    held_back: int
    held_back_good: int  # held back although scored 3 or more (wrongly held back)
    refused: int
    refused_or_held_back_share: float | None


def figures(rows: Sequence[dict], scores: dict[str, int], shown: Callable[[dict], bool]) -> Figures:
    scored = [r for r in rows if r["id"] in scores]
    shown_rows = [r for r in scored if shown(r)]
    held = [r for r in scored if not shown(r)]
    refused = [r for r in rows if r["outcome"]["state"] == REFUSED]
    total = len(rows)

    def mean(values: list[int]) -> float | None:
        return round(float(np.mean(values)), 3) if values else None

    return Figures(
        pairs=total,
        scored=len(scored),
        mean_score=mean([scores[r["id"]] for r in scored]),
        shown=len(shown_rows),
        low_among_shown=round(sum(scores[r["id"]] in LOW_SCORES for r in shown_rows) / len(shown_rows), 3)
        if shown_rows
        else None,
        mean_shown=mean([scores[r["id"]] for r in shown_rows]),
        held_back=len(held),
        held_back_good=sum(scores[r["id"]] >= GOOD_SCORE for r in held),
        refused=len(refused),
        refused_or_held_back_share=round((len(held) + len(refused)) / total, 3) if total else None,
    )


def _rank(values: np.ndarray) -> np.ndarray:
    order = values.argsort(kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    # average ties
    for value in np.unique(values):
        tie = values == value
        ranks[tie] = ranks[tie].mean()
    return ranks


def spearman(a: Sequence[float], b: Sequence[float]) -> float | None:
    x, y = np.asarray(a, float), np.asarray(b, float)
    if len(x) < 3 or np.all(x == x[0]) or np.all(y == y[0]):
        return None
    return round(float(np.corrcoef(_rank(x), _rank(y))[0, 1]), 3)


def measure_agreement(rows: Sequence[dict], scores: dict[str, int]) -> dict[str, float | None]:
    """Spearman correlation of each measure (and the confidence) with the reviewer's scores."""
    out: dict[str, float | None] = {}
    scored = [r for r in rows if r["id"] in scores]
    for name in (*q.FEATURES, "confidence"):
        pairs = [
            (r["outcome"]["measures"].get(name), scores[r["id"]])
            for r in scored
            if r["outcome"]["measures"].get(name) is not None
        ]
        out[name] = spearman([p[0] for p in pairs], [p[1] for p in pairs]) if pairs else None
    return out


# --------------------------------------------------------------------------------------- gate fit


def _matrix(rows: Sequence[dict], fill: Sequence[float]) -> np.ndarray:
    out = np.empty((len(rows), len(q.FEATURES)))
    for i, r in enumerate(rows):
        for j, name in enumerate(q.FEATURES):
            value = r["outcome"]["measures"].get(name)
            out[i, j] = fill[j] if value is None else float(value)
    return out


def fit_gate(
    rows: Sequence[dict], scores: dict[str, int], l2: float = 1.0, steps: int = 4000, source: str = ""
) -> q.GateModel:
    """Logistic regression of (score >= 3) on the standardised measures, and the lowest threshold
    at which at most ``MAX_SHOWN_LOW_SHARE`` of the shown pictures scored 1-2."""
    scored = [r for r in rows if r["id"] in scores]
    if len(scored) < 10:
        raise ValueError("fitting the gate needs at least 10 scored pictures of the tune part")
    fill = []
    for name in q.FEATURES:
        present = [r["outcome"]["measures"].get(name) for r in scored]
        present = [v for v in present if v is not None]
        fill.append(float(np.median(present)) if present else 0.0)
    x = _matrix(scored, fill)
    mean = x.mean(axis=0)
    scale = np.where(x.std(axis=0) > 1e-9, x.std(axis=0), 1.0)
    z = (x - mean) / scale
    y = np.array([scores[r["id"]] >= GOOD_SCORE for r in scored], float)
    w = np.zeros(z.shape[1])
    b = 0.0
    rate = 0.1
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
        grad_w = z.T @ (p - y) / len(y) + l2 * w / len(y)
        grad_b = float(np.mean(p - y))
        w -= rate * grad_w
        b -= rate * grad_b
    model = q.GateModel(
        weights=tuple(round(float(v), 4) for v in w),
        bias=round(b, 4),
        mean=tuple(round(float(v), 4) for v in mean),
        scale=tuple(round(float(v), 4) for v in scale),
        fill=tuple(round(float(v), 4) for v in fill),
        threshold=0.5,
        fitted_on=source,
    )
    probabilities = [model.probability(q.Quality(**_quality_fields(r))) for r in scored]
    threshold = _lowest_safe_threshold(probabilities, [scores[r["id"]] for r in scored])
    return q.GateModel(**{**asdict(model), "threshold": threshold})


def _quality_fields(row: dict) -> dict:
    measures = row["outcome"]["measures"]
    return {name: measures.get(name) for name in q.FEATURES}


def _lowest_safe_threshold(probabilities: Sequence[float], scores: Sequence[int]) -> float:
    """The lowest threshold (on a 0.01 grid) at which the shown pictures' 1-2 share, estimated with
    Laplace's rule of succession ((low + 1) / (shown + 2), so a handful of lucky pictures prove
    nothing), is at most ``MAX_SHOWN_LOW_SHARE``; 1.0 (hold back everything) when none is."""
    p = np.asarray(probabilities)
    low = np.isin(np.asarray(scores), LOW_SCORES)
    for threshold in np.arange(0.0, 1.0001, 0.01):
        shown = p >= threshold
        if shown.sum() == 0:
            break
        if (low[shown].sum() + 1) / (shown.sum() + 2) <= MAX_SHOWN_LOW_SHARE:
            return round(float(threshold), 2)
    return 1.0


def regate(rows: Sequence[dict], model: q.GateModel) -> list[dict]:
    """The rows with confidence and state recomputed under ``model`` (refusals stay refusals)."""
    out = []
    for row in rows:
        outcome = dict(row["outcome"])
        if outcome["state"] in (SHOWN, HELD_BACK):
            confidence = model.probability(q.Quality(**_quality_fields(row)))
            outcome["confidence"] = round(confidence, 4)
            outcome["state"] = SHOWN if confidence >= model.threshold else HELD_BACK
        out.append({**row, "outcome": outcome})
    return out


def report_markdown(review_dir: Path, model: q.GateModel | None = None, version: str | None = None) -> str:
    """The rubric's figures per part and product source, under the gate in the key or ``model``
    (of the pictures of one renderer ``version`` when given)."""
    rows = read_key(review_dir)
    if version is not None:
        rows = [r for r in rows if r["version"] == version]
    scores = read_scores(review_dir)
    if model is not None:
        rows = regate(rows, model)
    lines = [f"# Blinded review `{review_dir.name}`", ""]
    versions = sorted({f"{r['renderer']} {r['version']}" for r in rows})
    scored = sum(1 for r in rows if r["id"] in scores)
    lines.append(f"Renderers: {', '.join(versions)}. Scored pictures: {scored}.")
    if model is not None:
        lines.append(f"Gate: threshold {model.threshold} ({model.fitted_on}).")
    lines += [
        "",
        "| set | pairs | scored | mean score | shown | mean shown | 1-2 among shown | held back | "
        "held back scored ≥3 | refused | refused or held back |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        o = row["outcome"]
        label = f"{row['renderer']} {row['version']}" if len(versions) > 1 else ""
        groups[f"{label} {o['part']}".strip()].append(row)
        groups[f"{label} {o['part']} {o['source']}".strip()].append(row)
        if o["source"] == Source.PACKSHOT:
            groups[f"{label} {o['part']} packshot {o['kind'] or 'unprepared'}".strip()].append(row)
    for name in sorted(groups):
        f = figures(groups[name], scores, lambda r: r["outcome"]["state"] == SHOWN)
        lines.append(
            f"| {name} | {f.pairs} | {f.scored} | {f.mean_score} | {f.shown} | {f.mean_shown} | "
            f"{f.low_among_shown} | {f.held_back} | {f.held_back_good} | {f.refused} | "
            f"{f.refused_or_held_back_share} |"
        )
    lines += ["", "Spearman correlation of each measure with the scores (all scored pictures):", ""]
    for name, value in measure_agreement(rows, scores).items():
        lines.append(f"- {name}: {value}")
    distribution = Counter(scores.values())
    lines += ["", "Score distribution: " + ", ".join(f"{s}: {distribution[s]}" for s in range(1, 6)), ""]
    return "\n".join(lines)


def gate_literal(model: q.GateModel) -> str:
    fields = ",\n".join(f"    {k}={v!r}" for k, v in asdict(model).items())
    return f"GATE = GateModel(\n{fields},\n)"


def fit_report(review_dir: Path, version: str | None = None) -> tuple[q.GateModel, str]:
    """The gate fitted on the tune part of a review (of one renderer ``version`` when it compares
    several: a gate belongs to the renderer whose pictures it judges)."""
    rows = read_key(review_dir)
    if version is not None:
        rows = [r for r in rows if r["version"] == version]
        if not rows:
            raise ValueError(f"review {review_dir.name} has no pictures of version {version!r}")
    scores = read_scores(review_dir)
    tune = [r for r in rows if r["outcome"]["part"] == Part.TUNE and r["outcome"]["state"] != REFUSED]
    source = f"tune part of review {review_dir.name}" + (f", {version} pictures" if version else "")
    model = fit_gate(tune, scores, source=source)
    text = [
        f"# Gate fitted on the tune part of `{review_dir.name}`",
        "",
        "```python",
        gate_literal(model),
        "```",
        "",
        report_markdown(review_dir, model, version),
    ]
    return model, "\n".join(text)
