"""The fixed split of the development photos into *tune* and *held-out*.

A file's part depends on its name only (SHA-256 of ``SALT + name``), stratified per folder and
garment kind: within each stratum the files are ordered by their digest and the first
``HELD_OUT_SHARE`` (rounded up) are held out. Adding a file can move at most the files of its own
stratum next to the cut, and the committed listing (``split.tsv``) makes any such move visible in
review. Renderer changes are tuned on *tune* only; *held-out* pictures are looked at only to
measure.
"""

from __future__ import annotations

import csv
import enum
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SALT = "atelier-split-2026-12-01:"
HELD_OUT_SHARE = 0.4
LISTING = Path(__file__).with_name("split.tsv")


class Part(enum.StrEnum):
    TUNE = "tune"
    HELD_OUT = "heldout"


@dataclass(frozen=True)
class SplitEntry:
    folder: str  # "people", "vton/models", "vton/garments"
    name: str
    stratum: str  # the garment kind for packshots, "-" otherwise
    part: Part


def digest(name: str) -> str:
    return hashlib.sha256((SALT + name).encode()).hexdigest()


def assign(items: Iterable[tuple[str, str, str]]) -> list[SplitEntry]:
    """Split ``(folder, name, stratum)`` items; the result is sorted by folder and name."""
    strata: dict[tuple[str, str], list[str]] = defaultdict(list)
    for folder, name, stratum in items:
        strata[(folder, stratum)].append(name)
    entries: list[SplitEntry] = []
    for (folder, stratum), names in strata.items():
        ordered = sorted(names, key=digest)
        held = math.ceil(HELD_OUT_SHARE * len(ordered))
        for rank, name in enumerate(ordered):
            part = Part.HELD_OUT if rank < held else Part.TUNE
            entries.append(SplitEntry(folder=folder, name=name, stratum=stratum, part=part))
    return sorted(entries, key=lambda e: (e.folder, e.name))


def write_listing(entries: Iterable[SplitEntry], path: Path = LISTING) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["folder", "name", "stratum", "part"])
        for e in entries:
            writer.writerow([e.folder, e.name, e.stratum, str(e.part)])


def read_listing(path: Path = LISTING) -> list[SplitEntry]:
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [SplitEntry(r["folder"], r["name"], r["stratum"], Part(r["part"])) for r in rows]


def part_of(folder: str, name: str, path: Path = LISTING) -> Part:
    for entry in read_listing(path):
        if entry.folder == folder and entry.name == name:
            return entry.part
    raise KeyError(f"{folder}/{name} is not in the split listing {path}")
