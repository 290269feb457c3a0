"""The faults a review's notes name, counted per part and source: what the next change should go after.

Every session counted the reviewers' notes by hand ("old sleeves remain" in 590 of 3,142 notes, 16
tune and 26 held-out notes naming floating sleeves) with its own word lists, so the counts of one
review could not be set beside another's. ``FAULTS`` fixes the words: a note names a fault when one
of its patterns matches (case-insensitive; a note may name several). ``tally`` reads a review's
``key.json`` and any of its score tables (``scores*.tsv``, 1-5 and a note) or choice tables
(``choices*.tsv``, a paired review: left / right / same and a note), and counts, per part and the
product's source (packshot or on-model), the notes naming each fault. For a paired review it
counts only the notes where the reviewer chose a side, grouped by the version chosen (a note often
says what both pictures get wrong, so the counts are of faults named beside that choice).

Counting words is a guide to where to look, not a measure of a change: a change is judged by the
blinded reviews' scores and choices.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ml.evaluation.paired import read_choices
from ml.evaluation.review import read_key, read_score_table

# Each fault and the patterns of the words reviewers use for it.
FAULTS: dict[str, tuple[str, ...]] = {
    "old garment left": (r"\bold\b", r"leftover", r"remnant", r"\bremains?\b", r"under[- ]?layer"),
    "old sleeves": (r"\bold\b[^.;]*\bsleeve", r"sleeves? (?:remain|left|show)"),
    "floating or detached sleeves": (r"\bfloat", r"detached"),
    "flat pasted look": (r"\bflat\b", r"pasted", r"sticker", r"cut-?out", r"paper"),
    "ghost or smear": (r"ghost", r"smear"),
    "painted skin, patch or blob": (r"\bblob", r"\bpatch", r"\bblock", r"\bslab", r"painted"),
    "gap, hole or notch": (r"\bgaps?\b", r"\bholes?\b", r"\bslits?\b", r"\bnotch"),
    "jagged or ragged edges": (r"jagged", r"ragged", r"stair", r"pixelat"),
    "body part erased or cut": (r"erased", r"\bcut off\b", r"\blost\b", r"missing"),
    "neckline, collar or straps": (r"neckline", r"collar", r"\bstraps?\b", r"halter"),
    "hair": (r"\bhair\b",),
    "feet or shoes": (r"\bfeet\b", r"\bfoot\b", r"\bshoes?\b", r"\bheels?\b", r"sandal"),
}
_COMPILED = {name: tuple(re.compile(p, re.IGNORECASE) for p in patterns) for name, patterns in FAULTS.items()}


def faults_named(note: str) -> list[str]:
    """The faults of ``FAULTS`` that ``note`` names, in ``FAULTS``' order."""
    return [name for name, patterns in _COMPILED.items() if any(p.search(note) for p in patterns)]


@dataclass
class Tally:
    """Notes read and notes naming each fault, for one group of pictures."""

    notes: int = 0
    named: Counter = field(default_factory=Counter)


def _notes(table: Path, key: dict[str, dict]) -> list[tuple[dict, str, str]]:
    """(key entry, note, what the note is about) for every noted row of a score or choice table
    (read by the reviews' own readers): "scored" for a score, "base" or "new" for the version
    chosen in a paired review; a "same" choice is left out."""
    with table.open(newline="") as handle:
        header = handle.readline().rstrip("\n").split("\t")
    out = []
    if "choice" in header:
        for picture, (choice, note) in read_choices(table).items():
            entry = key.get(picture)
            if entry is not None and note and choice != "same":
                out.append((entry, note, "new" if choice == entry.get("new_side") else "base"))
    else:
        for picture, (_score, note) in read_score_table(table).items():
            entry = key.get(picture)
            if entry is not None and note:
                out.append((entry, note, "scored"))
    return out


def tally(review_dir: Path, tables: list[str] | None = None) -> dict[tuple[str, str, str], Tally]:
    """Per (part, source, what the notes are about), the notes read and the faults they name, over
    the review's score and choice tables (``tables``: their file names; default every
    ``scores*.tsv`` and ``choices*.tsv`` but the blank ``scores.tsv``/``choices.tsv`` copies of a
    lettered one)."""
    key = {entry["id"]: entry for entry in read_key(review_dir) if entry.get("id")}
    names = tables if tables else _default_tables(review_dir)
    if not names:
        raise ValueError(f"no score or choice table in {review_dir}")
    groups: dict[tuple[str, str, str], Tally] = {}
    for name in names:
        for entry, note, about in _notes(review_dir / name, key):
            outcome = entry["outcome"]
            group = groups.setdefault((outcome["part"], outcome.get("source", "?"), about), Tally())
            group.notes += 1
            group.named.update(faults_named(note))
    return groups


def _default_tables(review_dir: Path) -> list[str]:
    """The lettered tables (``scores_A.tsv``...), or the plain one where there is none: by the
    review folders' convention the plain table is a copy of the first lettered one."""
    out = []
    for stem in ("scores", "choices"):
        lettered = sorted(p.name for p in review_dir.glob(f"{stem}_*.tsv"))
        if lettered:
            out.extend(lettered)
        elif (review_dir / f"{stem}.tsv").is_file():
            out.append(f"{stem}.tsv")
    return out


def tally_text(groups: dict[tuple[str, str, str], Tally]) -> str:
    """One markdown table per group: each fault's count and share of the group's notes, most named
    first (faults no note names left out)."""
    lines = []
    for (part, source, about), group in sorted(groups.items()):
        heading = f"{part} {source}"
        if about != "scored":
            heading += f", the {about} version chosen"
        lines += [f"### {heading}: {group.notes} notes", "", "| fault | notes | share |", "|---|---|---|"]
        for name, count in sorted(group.named.items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"| {name} | {count} | {count / group.notes:.0%} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
