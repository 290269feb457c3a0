"""A paired blinded review: the two versions of each changed pair side by side, the reviewer saying
which is the more believable photo of the shopper in the product (or that neither is).

Scored one by one on the rubric's 1-5 scale, most pictures of the renderer are a 2 whatever a
change did to them: four of the twelve comparisons of 2026-12-05 came back with every pair-score
equal, though the reviewers could point to where the two versions differed. A forced choice between the two
pictures of a pair is the finer instrument for a change's direction; it does not replace the
rubric's scores, which are what the issues' bars are measured in.

``make_paired_review`` takes the two folders ``changed_pairs`` writes (the same ids in both), draws
for every pair which version goes on the left, and writes sheets (shopper | product | left |
right), the key and an empty ``choices.tsv``; ``preferences`` reads the choices back per part, with
a two-sided sign test over the pairs where the reviewer chose.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from math import comb
from pathlib import Path

import numpy as np
from PIL import Image

from ml.evaluation.review import read_key
from ml.evaluation.sheets import contact_sheet

CHOICES = ("left", "right", "same")
ROWS_PER_SHEET = 3

INSTRUCTIONS = """# Paired review

Each row of the sheets shows a shopper's photo, a product photo and two try-on renders of that
product on that shopper (left and right), made in two different ways. For every id, say which
render is the more believable photo of the shopper wearing the product: `left`, `right`, or `same`
when you cannot tell them apart or neither is more believable. Judge as the rubric (`rubric.md`)
does: would a shopper accept it as a photo of themselves in the product? Look at the full-size
renders (`renders/ID_left.jpg`, `renders/ID_right.jpg`) where the sheet is unclear.

Fill `choices.tsv` in place: one line per id, the choice, and a note of under 20 words saying what
decided it (or what both get wrong when `same`).
"""


def make_paired_review(base: Path, new: Path, out_dir: Path, fixtures: Path, seed: int = 2028) -> list[dict]:
    """Write ``out_dir`` (sheets, renders, ``key.json``, ``choices.tsv``, ``instructions.md``) for the
    pairs of ``base`` and ``new``, which must hold the same picture ids for the same pairs."""
    from ml.intake import load_image

    base_rows = {row["id"]: row for row in read_key(base) if row["id"]}
    new_rows = {row["id"]: row for row in read_key(new) if row["id"]}
    if set(base_rows) != set(new_rows):
        odd = sorted(set(base_rows) ^ set(new_rows))[0]
        raise ValueError(f"{odd} is in only one of {base} and {new}: not the two sides of one cut")
    for picture, row in base_rows.items():
        if row["outcome"]["pair"] != new_rows[picture]["outcome"]["pair"]:
            raise ValueError(f"{picture} is a different pair in {base} and {new}")
    (out_dir / "renders").mkdir(parents=True, exist_ok=True)
    (out_dir / "sheets").mkdir(exist_ok=True)
    rng = random.Random(seed)
    order = sorted(base_rows)
    rng.shuffle(order)
    key, rows = [], []
    for index, picture in enumerate(order, 1):
        paired = f"D{index:03d}"
        new_side = "left" if rng.random() < 0.5 else "right"
        sides = {new_side: (new, new_rows[picture]), _other(new_side): (base, base_rows[picture])}
        outcome = base_rows[picture]["outcome"]
        renders = {}
        for side, (folder, row) in sides.items():
            render = np.asarray(Image.open(folder / "renders" / f"{row['id']}.jpg").convert("RGB"))
            Image.fromarray(render).save(out_dir / "renders" / f"{paired}_{side}.jpg", quality=92)
            renders[side] = render
        key.append(
            {
                "id": paired,
                "new_side": new_side,
                "left": sides["left"][1]["version"],
                "right": sides["right"][1]["version"],
                "outcome": outcome,
            }
        )
        shopper = load_image(fixtures / outcome["shopper"])
        product = load_image(fixtures / outcome["product"])
        rows.append((shopper, product, renders["left"], renders["right"], f"{paired}: left | right"))
    for index in range(0, len(rows), ROWS_PER_SHEET):
        sheet = out_dir / "sheets" / f"sheet_{index // ROWS_PER_SHEET + 1:02d}.png"
        contact_sheet(rows[index : index + ROWS_PER_SHEET], sheet, columns=1)
    (out_dir / "key.json").write_text(json.dumps(key, indent=1))
    (out_dir / "instructions.md").write_text(INSTRUCTIONS)
    with (out_dir / "choices.tsv").open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["id", "choice", "note"])
        for entry in key:
            writer.writerow([entry["id"], "", ""])
    return key


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def read_choices(path: Path) -> dict[str, tuple[str, str]]:
    """A filled choice table: each id's choice (left, right or same) and note; every id must be
    chosen."""
    choices: dict[str, tuple[str, str]] = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            choice = (row.get("choice") or "").strip().lower()
            if choice not in CHOICES:
                raise ValueError(f"choice of {row['id']} is {choice!r}: choices are left, right or same")
            choices[row["id"]] = (choice, (row.get("note") or "").strip())
    return choices


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact sign test: the chance of a split at least this uneven between two equally
    likely sides (ties left out)."""
    total = wins + losses
    if total == 0:
        return 1.0
    tail = sum(comb(total, k) for k in range(min(wins, losses) + 1)) / 2**total
    return min(1.0, 2 * tail)


@dataclass
class PartPreference:
    new: int = 0  # pairs whose new version the reviewer chose
    base: int = 0
    same: int = 0

    @property
    def p_value(self) -> float:
        return sign_test(self.new, self.base)


def preferences(review_dir: Path, choices_file: Path) -> tuple[dict[str, PartPreference], list[tuple]]:
    """Per part, how often the reviewer chose the new version, the base one or neither; and every
    pair with the version chosen and the note."""
    choices = read_choices(choices_file)
    parts: dict[str, PartPreference] = {}
    pairs = []
    for entry in read_key(review_dir):
        if entry["id"] not in choices:
            raise ValueError(f"{entry['id']} has no choice in {choices_file.name}")
        choice, note = choices[entry["id"]]
        part = entry["outcome"]["part"]
        result = parts.setdefault(part, PartPreference())
        chosen = "same" if choice == "same" else ("new" if choice == entry["new_side"] else "base")
        setattr(result, chosen, getattr(result, chosen) + 1)
        pairs.append((part, entry["outcome"]["pair"], chosen, note))
    return parts, pairs


def preference_text(parts: dict[str, PartPreference], pairs: list[tuple], choices_file: Path) -> str:
    lines = [
        f"{choices_file.name} {part}: new chosen {result.new}, base chosen {result.base}, same {result.same} "
        f"(sign test p = {result.p_value:.3f})"
        for part, result in sorted(parts.items())
    ]
    for part, pair, chosen, note in sorted(pairs):
        if chosen != "same":
            lines.append(f"  {chosen} ({part}) {pair}: {note}")
    return "\n".join(lines)
