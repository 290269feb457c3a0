"""Two renderer versions on the same pairs: which pictures a change moved, and how each reviewer
scored the two versions of each pair.

A change is reviewed on the pairs it changed (the rest are the same picture twice): ``changed``
keeps, from the reviews of one or more seeded samples made with each version, the pairs whose
render differs, as two folders that ``combine_reviews`` shuffles into one blinded review;
``compare`` reads a reviewer's scores of that review back per pair: higher, lower or equal for the
new version, per part, with the notes of the pairs that moved.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from ml.evaluation.review import read_key, read_score_table

CHANGED_LEVELS = 24  # a pixel moved by more than this many levels in a channel ...
CHANGED_SHARE = 0.001  # ... on more than this share of the picture: the pair's picture changed


def _render(folder: Path, picture: str) -> np.ndarray:
    return np.asarray(Image.open(folder / "renders" / f"{picture}.jpg").convert("RGB")).astype(np.int16)


def pictures_differ(
    before: np.ndarray, after: np.ndarray, levels: float = CHANGED_LEVELS, share: float = CHANGED_SHARE
) -> bool:
    """Whether two renders of one pair differ by more than JPEG's noise: more than ``share`` of the
    pixels moved by more than ``levels`` (a change of a few levels over a wide area, such as a
    backdrop's shade, needs fewer levels and a larger share)."""
    if before.shape != after.shape:
        return True
    moved = np.abs(before - after).max(axis=2) > levels
    return float(moved.mean()) > share


@dataclass
class Changed:
    parts: Counter  # changed pairs per part
    one_sided: list[str]  # pairs pictured by one version and refused by the other (not in the folders)


def changed_pairs(
    samples: Sequence[tuple[Path, Path]],
    out_base: Path,
    out_new: Path,
    levels: float = CHANGED_LEVELS,
    share: float = CHANGED_SHARE,
) -> Changed:
    """Write ``out_base`` and ``out_new``: the pictures (``renders/``, ``key.json``) of the pairs
    whose render differs between the base and the new review of each sample, each pair once (from
    the first sample holding it), both versions under the same new id (C001, ...). A pair one
    version refused (or found not applicable) and the other pictured has no two pictures to compare:
    it is listed apart. A pair missing from either key is an error (the samples must match)."""
    for out in (out_base, out_new):
        if out.exists():
            shutil.rmtree(out)
        (out / "renders").mkdir(parents=True)
    seen: set[str] = set()
    keys: tuple[list[dict], list[dict]] = ([], [])
    found = Changed(parts=Counter(), one_sided=[])
    for base_dir, new_dir in samples:
        base_rows = {row["outcome"]["pair"]: row for row in read_key(base_dir)}
        new_rows = {row["outcome"]["pair"]: row for row in read_key(new_dir)}
        if set(base_rows) != set(new_rows):
            odd = sorted(set(base_rows) ^ set(new_rows))[0]
            raise ValueError(f"{odd} is in only one of {base_dir} and {new_dir}: not the same sample")
        for pair, row in base_rows.items():
            other = new_rows[pair]
            if pair in seen or pair in found.one_sided or (not row["id"] and not other["id"]):
                continue
            if not row["id"] or not other["id"]:
                found.one_sided.append(pair)
                continue
            before, after = _render(base_dir, row["id"]), _render(new_dir, other["id"])
            if not pictures_differ(before, after, levels, share):
                continue
            seen.add(pair)
            picture = f"C{len(seen):03d}"
            for source, entry, out, key in (
                (base_dir, row, out_base, keys[0]),
                (new_dir, other, out_new, keys[1]),
            ):
                shutil.copy(source / "renders" / f"{entry['id']}.jpg", out / "renders" / f"{picture}.jpg")
                key.append({**entry, "id": picture})
            found.parts[row["outcome"]["part"]] += 1
    for out, key in ((out_base, keys[0]), (out_new, keys[1])):
        (out / "key.json").write_text(json.dumps(key, indent=1))
    return found


CROP_MARGIN = 0.08  # a crop reaches this share of the picture's height beyond the moved pixels
CROP_HEIGHT = 420  # px: each base and new crop is drawn this tall
CROPS_PER_SHEET = 4


def changed_crops(
    cut: Path, out_dir: Path, part: str | None = None, levels: float = CHANGED_LEVELS
) -> list[Path]:
    """Sheets of base | new crops around the pixels each changed pair moved (``cut``: the output of
    :func:`changed_pairs`), the pairs of ``part`` only when given, four to a sheet; returns them.

    For the developer's own eyes, to see what a change does to the tune pictures before a review:
    the new side is always on the right, so these are never a reviewer's sheets."""
    from ml.evaluation.sheets import contact_sheet

    out_dir.mkdir(parents=True, exist_ok=True)
    rows: list[tuple] = []
    for entry in read_key(cut / "base"):
        outcome = entry["outcome"]
        if part is not None and outcome["part"] != part:
            continue
        before, after = _render(cut / "base", entry["id"]), _render(cut / "new", entry["id"])
        moved = np.abs(before - after).max(axis=2) > levels
        if not moved.any():
            continue
        rows_moved, cols_moved = np.nonzero(moved)
        height, width = moved.shape
        margin = round(CROP_MARGIN * height)
        y0, y1 = max(0, rows_moved.min() - margin), min(height, rows_moved.max() + 1 + margin)
        x0, x1 = max(0, cols_moved.min() - margin), min(width, cols_moved.max() + 1 + margin)
        label = f"{entry['id']} {outcome['part']} {outcome['pair']}"
        rows.append((before[y0:y1, x0:x1].astype(np.uint8), after[y0:y1, x0:x1].astype(np.uint8), label))
    sheets = []
    for start in range(0, len(rows), CROPS_PER_SHEET):
        path = out_dir / f"crops_{start // CROPS_PER_SHEET + 1:02d}.png"
        contact_sheet(rows[start : start + CROPS_PER_SHEET], path, columns=1, height=CROP_HEIGHT)
        sheets.append(path)
    return sheets


@dataclass
class PairScores:
    pair: str
    part: str
    before: int
    after: int
    note_before: str
    note_after: str


@dataclass
class PartComparison:
    higher: list[PairScores] = field(default_factory=list)
    lower: list[PairScores] = field(default_factory=list)
    equal: int = 0
    before: list[int] = field(default_factory=list)
    after: list[int] = field(default_factory=list)

    @property
    def mean_before(self) -> float | None:
        return sum(self.before) / len(self.before) if self.before else None

    @property
    def mean_after(self) -> float | None:
        return sum(self.after) / len(self.after) if self.after else None


def compare_versions(review_dir: Path, scores_file: Path, new_version: str) -> dict[str, PartComparison]:
    """Per part, the pairs of a combined review (both versions of each pair shuffled together) whose
    ``new_version`` picture a reviewer scored higher or lower than the other version's, the count
    of equal ones and each version's scores. ``new_version`` is matched as a prefix of the key's
    version (``warp-53`` matches ``warp-53+baccf484``); every pair needs exactly one picture of it,
    one of another version, and a score for both."""
    scores = read_score_table(scores_file)
    by_pair: dict[str, dict[str, dict]] = {}
    for row in read_key(review_dir):
        if not row["id"]:
            continue
        side = "after" if row["version"].startswith(new_version) else "before"
        versions = by_pair.setdefault(row["outcome"]["pair"], {})
        if side in versions:
            raise ValueError(f"{row['outcome']['pair']} has two {side} pictures: not a two-version review")
        versions[side] = row
    parts: dict[str, PartComparison] = {}
    for pair, versions in sorted(by_pair.items()):
        if set(versions) != {"before", "after"}:
            raise ValueError(
                f"{pair} lacks a picture of the {'new' if 'after' not in versions else 'other'} version"
            )
        before, after = (scores.get(versions[side]["id"]) for side in ("before", "after"))
        if before is None or after is None:
            raise ValueError(f"{pair}: both pictures must be scored in {scores_file.name}")
        result = parts.setdefault(versions["before"]["outcome"]["part"], PartComparison())
        result.before.append(before[0])
        result.after.append(after[0])
        moved = PairScores(
            pair, versions["before"]["outcome"]["part"], before[0], after[0], before[1], after[1]
        )
        if after[0] > before[0]:
            result.higher.append(moved)
        elif after[0] < before[0]:
            result.lower.append(moved)
        else:
            result.equal += 1
    return parts


def comparison_text(parts: dict[str, PartComparison], scores_file: Path) -> str:
    """The comparison as a few lines: per part higher / lower / equal and the means, then the pairs
    that moved with both notes."""
    lines = []
    for part, result in sorted(parts.items()):
        lines.append(
            f"{scores_file.name} {part}: {len(result.higher)} higher / {len(result.lower)} lower / "
            f"{result.equal} equal, mean {result.mean_before:.2f} -> {result.mean_after:.2f}"
        )
    for part, result in sorted(parts.items()):
        for word, moved in (("higher", result.higher), ("lower", result.lower)):
            for item in moved:
                lines.append(
                    f"  {word} ({part}) {item.pair}: {item.before} -> {item.after} | "
                    f"{item.note_before} || {item.note_after}"
                )
    return "\n".join(lines)
