"""The development photos (``../shared/fixtures``) and the shopper x product pairs made of them.

Shoppers are the people of ``people/`` (e-commerce photos) and ``vton/models/`` (studio and street
photos). Products are the packshots of ``vton/garments/`` (kind from its ``kinds.tsv``) and the
on-model photos of ``people/`` (kind read from the photo). A pair belongs to a part when its
shopper and its product both do; mixed pairs are in neither.
"""

from __future__ import annotations

import csv
import enum
from dataclasses import dataclass
from pathlib import Path

from ml.evaluation.split import LISTING, Part, SplitEntry, assign, read_listing
from ml.types import GarmentKind

PEOPLE = "people"
MODELS = "vton/models"
GARMENTS = "vton/garments"
SHOPPER_FOLDERS = (PEOPLE, MODELS)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
NO_STRATUM = "-"


class Source(enum.StrEnum):
    PACKSHOT = "packshot"
    ONMODEL = "onmodel"


@dataclass(frozen=True)
class Photo:
    folder: str
    name: str
    part: Part
    root: Path
    kind: GarmentKind | None = None  # packshots only; on-model kinds are read from the photo

    @property
    def path(self) -> Path:
        return self.root / self.folder / self.name

    @property
    def id(self) -> str:
        return f"{self.folder}/{self.name}"


@dataclass(frozen=True)
class Pair:
    shopper: Photo
    product: Photo
    source: Source

    @property
    def part(self) -> Part:
        return self.shopper.part

    @property
    def id(self) -> str:
        return f"{self.shopper.id} x {self.product.id}"


def packshot_kinds(root: Path) -> dict[str, GarmentKind]:
    path = root / GARMENTS / "kinds.tsv"
    with path.open(newline="") as handle:
        return {row["file"]: GarmentKind(row["kind"]) for row in csv.DictReader(handle, delimiter="\t")}


def scan(root: Path) -> list[tuple[str, str, str]]:
    """``(folder, name, stratum)`` of every development photo found under ``root``."""
    items: list[tuple[str, str, str]] = []
    for folder in (PEOPLE, MODELS):
        for path in sorted((root / folder).iterdir()):
            if path.suffix.lower() in IMAGE_SUFFIXES:
                items.append((folder, path.name, NO_STRATUM))
    for name, kind in sorted(packshot_kinds(root).items()):
        items.append((GARMENTS, name, str(kind)))
    return items


def split_fresh(root: Path) -> list[SplitEntry]:
    """The split as the rule makes it from the photos present now (for writing the listing)."""
    return assign(scan(root))


def photos(root: Path, listing: Path = LISTING) -> list[Photo]:
    """Every photo of the committed split that exists under ``root``."""
    out = []
    for entry in read_listing(listing):
        kind = GarmentKind(entry.stratum) if entry.folder == GARMENTS else None
        photo = Photo(folder=entry.folder, name=entry.name, part=entry.part, root=root, kind=kind)
        if photo.path.is_file():
            out.append(photo)
    return out


def pairs(all_photos: list[Photo], part: Part | None = None, sources: tuple[Source, ...] = tuple(Source)):
    """Every shopper x product pair within one part (both parts when ``part`` is None)."""
    shoppers = [p for p in all_photos if p.folder in SHOPPER_FOLDERS]
    products = {
        Source.PACKSHOT: [p for p in all_photos if p.folder == GARMENTS],
        Source.ONMODEL: [p for p in all_photos if p.folder == PEOPLE],
    }
    out: list[Pair] = []
    for shopper in shoppers:
        for source in sources:
            for product in products[source]:
                if product.part != shopper.part or product.id == shopper.id:
                    continue
                if part is not None and shopper.part != part:
                    continue
                out.append(Pair(shopper=shopper, product=product, source=source))
    return out
