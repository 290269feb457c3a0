"""Import products from a folder of images plus a CSV or JSON file (``manage.py import_catalog``)."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from catalog.models import GarmentKind, Product, ProductImage
from catalog.services import (
    category_get_or_create,
    parse_size_list,
    product_create,
    product_image_create,
    product_update,
)


class RowError(Exception):
    """A row that cannot be imported; the message says why."""


@dataclass
class ImageSpec:
    file: str
    role: str = ProductImage.Role.ON_MODEL
    landmarks: dict | None = None


@dataclass
class ProductRow:
    number: int
    slug: str
    name: str
    category: str
    garment_kind: str
    price: Decimal
    currency: str | None
    variants: list[dict]
    description: str
    colour: str = ""
    images: list[ImageSpec] = field(default_factory=list)
    size_chart: list[dict] | None = None
    is_active: bool = True


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    images_added: int = 0
    errors: list[str] = field(default_factory=list)


def read_rows(path: Path) -> list[dict]:
    if path.suffix.lower() == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data = data.get("products", [])
        if not isinstance(data, list):
            raise ValueError('The JSON file must hold a list of products (or {"products": [...]}).')
        return data
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return list(csv.DictReader(handle))
    raise ValueError(f"Unsupported products file {path.name}: use .csv or .json.")


def _image_specs(value) -> list[ImageSpec]:
    specs: list[ImageSpec] = []
    items = (
        value if isinstance(value, list) else [v for v in re.split(r"[|;]", str(value or "")) if v.strip()]
    )
    for item in items:
        if isinstance(item, dict):
            specs.append(
                ImageSpec(
                    file=str(item.get("file", "")).strip(),
                    role=str(item.get("role") or ProductImage.Role.ON_MODEL),
                    landmarks=item.get("landmarks"),
                )
            )
            continue
        text = str(item).strip()
        role, _, name = text.rpartition(":")
        specs.append(ImageSpec(file=name.strip(), role=role.strip() or ProductImage.Role.ON_MODEL))
    for spec in specs:
        if spec.role not in ProductImage.Role.values:
            raise RowError(f"image {spec.file!r}: role must be one of {', '.join(ProductImage.Role.values)}")
        if not spec.file:
            raise RowError("an image entry has no file name")
    return specs


def _stock(value, what: str) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        stock = int(str(value).strip())
    except ValueError:
        raise RowError(f"{what} {value!r} is not a whole number") from None
    if stock < 0:
        raise RowError(f"{what} is negative")
    return stock


def _variants(raw: dict) -> list[dict]:
    """Variants from ``sizes`` ("XS, S, M, L", "S|M|L" or a list) with an optional ``stock`` for each,
    and/or (JSON) ``variants``: [{"size", "colour", "sku", "stock", "price"}]."""
    try:
        sizes = parse_size_list(raw.get("sizes") or "")
    except ValidationError as error:
        raise RowError(" ".join(error.messages)) from None
    stock = _stock(raw.get("stock"), "stock")
    variants = [{"size": size, "stock": stock} for size in sizes]
    extra = raw.get("variants") or []
    if not isinstance(extra, list):
        raise RowError("variants must be a list")
    for item in extra:
        if not isinstance(item, dict) or not str(item.get("size") or "").strip():
            raise RowError("each variant needs a size")
        price = item.get("price")
        if price not in (None, ""):
            try:
                price = Decimal(str(price))
            except InvalidOperation:
                raise RowError(f"variant price {price!r} is not a number") from None
        variants.append(
            {
                "size": str(item["size"]).strip(),
                "colour": str(item.get("colour") or "").strip(),
                "sku": str(item.get("sku") or "").strip() or None,
                "stock": _stock(item.get("stock"), "variant stock"),
                "price": price,
            }
        )
    return variants


def parse_row(number: int, raw: dict) -> ProductRow:
    name = str(raw.get("name") or "").strip()
    if not name:
        raise RowError("name is missing")
    slug = str(raw.get("slug") or "").strip() or slugify(name)
    category = str(raw.get("category") or "").strip()
    if not category:
        raise RowError("category is missing")
    kind = str(raw.get("garment_kind") or "").strip()
    if kind not in GarmentKind.values:
        raise RowError(f"garment_kind {kind!r} is not one of {', '.join(GarmentKind.values)}")
    try:
        price = Decimal(str(raw.get("price", "")).strip())
    except InvalidOperation:
        raise RowError(f"price {raw.get('price')!r} is not a number") from None
    if price < 0:
        raise RowError("price is negative")
    active_raw = raw.get("is_active", True)
    is_active = (
        active_raw
        if isinstance(active_raw, bool)
        else str(active_raw).strip().lower() not in ("0", "false", "no")
    )
    return ProductRow(
        number=number,
        slug=slug,
        name=name,
        category=category,
        garment_kind=kind,
        price=price,
        currency=(str(raw.get("currency") or "").strip() or None),
        variants=_variants(raw),
        description=str(raw.get("description") or "").strip(),
        colour=str(raw.get("colour") or "").strip().lower(),
        images=_image_specs(raw.get("images")),
        size_chart=raw.get("size_chart") if isinstance(raw.get("size_chart"), list) else None,
        is_active=is_active,
    )


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{f}: {' '.join(m)}" for f, m in error.message_dict.items())
    return " ".join(error.messages)


@transaction.atomic
def import_row(row: ProductRow, folder: Path) -> tuple[bool, int]:
    """Create or update one product (matched on slug) and add the images it does not have yet."""
    files = []
    for spec in row.images:
        path = (folder / spec.file).resolve()
        if folder.resolve() not in path.parents or not path.is_file():
            raise RowError(f"image file {spec.file!r} is not in {folder}")
        files.append((spec, path.read_bytes()))
    fields = {
        "category": category_get_or_create(name=row.category),
        "name": row.name,
        "description": row.description,
        "price": row.price,
        "garment_kind": row.garment_kind,
        "colour": row.colour,
        "is_active": row.is_active,
    }
    if row.currency:
        fields["currency"] = row.currency
    product = Product.objects.filter(slug=row.slug).first()
    created = product is None
    if created:
        product = product_create(slug=row.slug, size_chart=row.size_chart, variants=row.variants, **fields)
    else:
        product = product_update(product=product, size_chart=row.size_chart, variants=row.variants, **fields)
    known = set(product.images.values_list("content_hash", flat=True))
    added = 0
    for spec, data in files:
        digest = hashlib.sha256(data).hexdigest()
        if digest in known:
            continue
        try:
            product_image_create(
                product=product,
                file=ContentFile(data, name=Path(spec.file).name),
                role=spec.role,
                landmarks=spec.landmarks,
            )
        except ValidationError as error:
            raise RowError(f"image {spec.file!r}: {_messages(error)}") from error
        known.add(digest)
        added += 1
    return created, added


def iter_import(
    folder: Path, products_file: Path
) -> Iterator[tuple[int, int, str | None, tuple[bool, int] | None]]:
    """Yield (row number, total, error or None, (created, images added) or None) per row."""
    rows = read_rows(products_file)
    for number, raw in enumerate(rows, start=1):
        label = str(raw.get("slug") or raw.get("name") or "?") if isinstance(raw, dict) else "?"
        try:
            if not isinstance(raw, dict):
                raise RowError("a product must be an object")
            outcome = import_row(parse_row(number, raw), folder)
        except RowError as error:
            yield number, len(rows), f"row {number} ({label}): {error}", None
        except ValidationError as error:
            yield number, len(rows), f"row {number} ({label}): {_messages(error)}", None
        else:
            yield number, len(rows), None, outcome
