"""Business logic of the catalogue. Views, the admin and the import command call these."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageOps

from catalog.models import Category, Product, ProductImage, ProductVariant, SizeChartRow
from catalog.signals import product_image_added, product_image_removed, product_image_replaced
from shop.events import announce
from shop.images import (
    UploadedImage,
    image_file_store,
    image_row_create,
    validate_image_upload,
    validate_min_resolution,
)
from shop.queueing import enqueue_on_commit

SIZE_CHART_FIELDS = (
    "chest_min",
    "chest_max",
    "waist_min",
    "waist_max",
    "hips_min",
    "hips_max",
    "inseam_min",
    "inseam_max",
)


TOO_SMALL_IMAGE = (
    "This image is too small ({width}×{height} pixels): product images need at least {min_side} pixels "
    "on their shorter side, or they look blurry on the product page and in try-on."
)


def product_image_validate_upload(file) -> UploadedImage:
    """An upload checked as an image and for the smallest size the store shows (``ValidationError``)."""
    upload = validate_image_upload(file)
    validate_min_resolution(upload, min_side=settings.PRODUCT_IMAGE_MIN_SIDE, message=TOO_SMALL_IMAGE)
    return upload


def _schedule_thumbnail(product_image: ProductImage) -> None:
    from catalog.tasks import product_image_make_thumbnail

    enqueue_on_commit(product_image_make_thumbnail, product_image.pk)  # never fails the upload


def _delete_files_on_commit(*names: str | None) -> None:
    for name in names:
        if name:
            transaction.on_commit(lambda name=name: default_storage.delete(name))


def category_get_or_create(*, name: str, slug: str | None = None) -> Category:
    slug = slug or slugify(name)
    category, _ = Category.objects.get_or_create(slug=slug, defaults={"name": name})
    return category


SIZE_MAX_LENGTH = ProductVariant._meta.get_field("size").max_length
_SKU_MAX_LENGTH = ProductVariant._meta.get_field("sku").max_length


def parse_size_list(text: str | Iterable[str] | None) -> list[str]:
    """``"XS, S, M, L"`` (or ``S|M|L``, ``S;M``, ``S M L``, or a list) -> ``["XS", "S", "M", "L"]``.

    Blank and repeated labels are dropped; a label longer than a variant's size field is an error.
    """
    if text is None:
        return []
    if isinstance(text, str):
        separators = r"[,|;]" if re.search(r"[,|;]", text) else r"\s+"
        parts = re.split(separators, text)
    else:
        parts = [str(part) for part in text]
    sizes: list[str] = []
    for part in parts:
        label = part.strip()
        if len(label) > SIZE_MAX_LENGTH:
            raise ValidationError(f"The size {label!r} is longer than {SIZE_MAX_LENGTH} characters.")
        if label and label not in sizes:
            sizes.append(label)
    return sizes


def product_variant_sku(*, product: Product, size: str, colour: str = "") -> str:
    """A free SKU made of the product slug, the size and the colour: ``LINEN-TEE-M-NAVY``."""
    parts = [product.slug, size, colour] if colour else [product.slug, size]
    base = re.sub(r"[^A-Z0-9]+", "-", "-".join(parts).upper()).strip("-")[: _SKU_MAX_LENGTH - 6] or "SKU"
    sku, n = base, 1
    while ProductVariant.objects.filter(sku=sku).exists():
        n += 1
        sku = f"{base}-{n}"
    return sku


@transaction.atomic
def product_variant_create(
    *,
    product: Product,
    size: str,
    colour: str = "",
    sku: str | None = None,
    stock: int = 0,
    price_override: Decimal | str | None = None,
    order: int | None = None,
) -> ProductVariant:
    size, colour = str(size).strip(), str(colour or "").strip()
    if order is None:
        last = product.variants.order_by("-order").values_list("order", flat=True).first()
        order = 0 if last is None else last + 1
    variant = ProductVariant(
        product=product,
        size=size,
        colour=colour,
        sku=(sku or "").strip() or product_variant_sku(product=product, size=size, colour=colour),
        stock=stock,
        price_override=None if price_override in (None, "") else Decimal(str(price_override)),
        order=order,
    )
    variant.full_clean()
    variant.save()
    return variant


_VARIANT_UPDATABLE = {"size", "colour", "sku", "stock", "price_override", "order"}


@transaction.atomic
def product_variant_update(*, variant: ProductVariant, **fields) -> ProductVariant:
    unknown = set(fields) - _VARIANT_UPDATABLE
    if unknown:
        raise TypeError(f"product_variant_update() got unknown fields: {', '.join(sorted(unknown))}")
    if fields.get("price_override") == "":
        fields["price_override"] = None
    if fields.get("price_override") is not None:
        fields["price_override"] = Decimal(str(fields["price_override"]))
    for field, value in fields.items():
        setattr(variant, field, value.strip() if isinstance(value, str) else value)
    variant.full_clean()
    variant.save()
    return variant


@transaction.atomic
def product_variant_delete(*, variant: ProductVariant) -> None:
    """Delete a variant; order lines keep their snapshot (their link to the variant becomes empty)."""
    variant.delete()


@transaction.atomic
def product_variants_add_sizes(*, product: Product, sizes: Iterable[str] | str, stock: int = 0) -> list:
    """The size list shortcut (``"XS, S, M, L"``): add a variant (no colour) for each size it lacks."""
    existing = set(product.variants.filter(colour="").values_list("size", flat=True))
    return [
        product_variant_create(product=product, size=size, stock=stock)
        for size in parse_size_list(sizes)
        if size not in existing
    ]


@transaction.atomic
def product_variants_sync(*, product: Product, variants: list[dict]) -> list[ProductVariant]:
    """Create or update variants matched on (size, colour); variants not listed are kept as they are.

    Each dict has ``size`` and optionally ``colour``, ``sku``, ``stock`` and ``price`` (the override);
    a key that is absent leaves an existing variant's value alone (new variants get 0 in stock).
    """
    result = []
    for order, spec in enumerate(variants):
        size, colour = str(spec.get("size") or "").strip(), str(spec.get("colour") or "").strip()
        if not size:
            raise ValidationError("A variant has no size.")
        current = product.variants.filter(size=size, colour=colour).first()
        fields: dict = {"order": order}
        for key, field in (("sku", "sku"), ("stock", "stock"), ("price", "price_override")):
            if spec.get(key) not in (None, ""):
                fields[field] = spec[key]
        if current is None:
            result.append(product_variant_create(product=product, size=size, colour=colour, **fields))
        else:
            result.append(product_variant_update(variant=current, **fields))
    return result


def product_variant_reserve_stock(*, variant_id: int, quantity: int) -> bool:
    """Take ``quantity`` off the stock only if that many are left, in ONE conditional UPDATE
    (``... SET stock = stock - q WHERE id = %s AND stock >= q``): under concurrent checkouts the
    database serialises the updates on the row, so the last item is never sold twice. Returns False
    (and changes nothing) when too few are left. Call it inside the order's transaction."""
    if quantity < 1:
        raise ValueError("quantity must be at least 1")
    updated = ProductVariant.objects.filter(pk=variant_id, stock__gte=quantity).update(
        stock=F("stock") - quantity, updated_at=timezone.now()
    )
    return updated == 1


def product_variant_release_stock(*, variant_id: int, quantity: int) -> bool:
    """Put ``quantity`` back on the stock (a cancelled order); False when the variant is gone."""
    if quantity < 1:
        raise ValueError("quantity must be at least 1")
    updated = ProductVariant.objects.filter(pk=variant_id).update(
        stock=F("stock") + quantity, updated_at=timezone.now()
    )
    return updated == 1


def _set_size_chart(product: Product, rows: list[dict]) -> None:
    product.size_chart.all().delete()
    for order, row in enumerate(rows):
        chart_row = SizeChartRow(product=product, size=str(row["size"]), order=order)
        for field in SIZE_CHART_FIELDS:
            setattr(chart_row, field, row.get(field))
        chart_row.full_clean(exclude=["product"])
        chart_row.save()


@transaction.atomic
def product_create(
    *,
    category: Category,
    name: str,
    price: Decimal | str,
    garment_kind: str,
    slug: str | None = None,
    description: str = "",
    currency: str | None = None,
    colour: str = "",
    is_active: bool = True,
    size_chart: list[dict] | None = None,
    variants: list[dict] | None = None,
) -> Product:
    product = Product(
        category=category,
        name=name,
        slug=slug or slugify(name),
        description=description,
        price=Decimal(str(price)),
        currency=(currency or settings.SHOP_CURRENCY).upper(),
        garment_kind=garment_kind,
        colour=(colour or "").strip().lower(),
        is_active=is_active,
    )
    product.full_clean()
    product.save()
    if size_chart:
        _set_size_chart(product, size_chart)
    if variants:
        product_variants_sync(product=product, variants=variants)
    return product


_UPDATABLE = {
    "category",
    "name",
    "slug",
    "description",
    "price",
    "currency",
    "garment_kind",
    "colour",
    "is_active",
}


@transaction.atomic
def product_update(
    *,
    product: Product,
    size_chart: list[dict] | None = None,
    variants: list[dict] | None = None,
    **fields,
) -> Product:
    unknown = set(fields) - _UPDATABLE
    if unknown:
        raise TypeError(f"product_update() got unknown fields: {', '.join(sorted(unknown))}")
    if "price" in fields:
        fields["price"] = Decimal(str(fields["price"]))
    if fields.get("currency"):
        fields["currency"] = fields["currency"].upper()
    if "colour" in fields:
        fields["colour"] = (fields["colour"] or "").strip().lower()
    for field, value in fields.items():
        setattr(product, field, value)
    product.full_clean()
    product.save()
    if size_chart is not None:
        _set_size_chart(product, size_chart)
    if variants is not None:
        product_variants_sync(product=product, variants=variants)
    return product


@transaction.atomic
def product_image_create(
    *,
    product: Product,
    file,
    role: str,
    order: int | None = None,
    landmarks: dict | None = None,
) -> ProductImage:
    if role not in ProductImage.Role.values:
        raise ValidationError({"role": f"Choose one of: {', '.join(ProductImage.Role.values)}."})
    upload = product_image_validate_upload(file)
    if order is None:
        last = product.images.order_by("-order").values_list("order", flat=True).first()
        order = 0 if last is None else last + 1
    product_image = ProductImage(product=product, role=role, order=order, landmarks=landmarks)
    image_row_create(product_image, upload)
    _schedule_thumbnail(product_image)
    announce(
        product_image_added, sender=ProductImage, product_image_id=product_image.pk, product_id=product.pk
    )
    return product_image


@transaction.atomic
def product_image_replace_file(*, product_image: ProductImage, file) -> ProductImage:
    """Store a new file for the image; its old file and thumbnail go, a new thumbnail is scheduled."""
    upload = product_image_validate_upload(file)
    old_names = (product_image.image.name, product_image.thumbnail.name if product_image.thumbnail else None)
    image_file_store(product_image, upload)
    product_image.thumbnail = None
    product_image.save()
    _delete_files_on_commit(*old_names)
    _schedule_thumbnail(product_image)
    announce(
        product_image_replaced,
        sender=ProductImage,
        product_image_id=product_image.pk,
        product_id=product_image.product_id,
    )
    return product_image


@transaction.atomic
def product_image_update(
    *, product_image: ProductImage, role: str | None = None, order: int | None = None
) -> ProductImage:
    if role is not None:
        product_image.role = role
    if order is not None:
        product_image.order = order
    product_image.full_clean(exclude=["image"])
    product_image.save(update_fields=["role", "order", "updated_at"])
    return product_image


@transaction.atomic
def product_image_delete(*, product_image: ProductImage) -> None:
    _delete_files_on_commit(
        product_image.image.name, product_image.thumbnail.name if product_image.thumbnail else None
    )
    image_id, product_id = product_image.pk, product_image.product_id
    product_image.delete()
    announce(product_image_removed, sender=ProductImage, product_image_id=image_id, product_id=product_id)


def product_images_schedule_missing_thumbnails() -> int:
    """Queue the thumbnail task for every image that has none yet (e.g. after a worker outage)."""
    ids = list(
        ProductImage.objects.filter(Q(thumbnail="") | Q(thumbnail__isnull=True)).values_list("pk", flat=True)
    )
    from catalog.tasks import product_image_make_thumbnail

    for image_id in ids:
        enqueue_on_commit(product_image_make_thumbnail, image_id)
    return len(ids)


def _thumbnail_name(product_image: ProductImage) -> str:
    return f"{product_image.content_hash[:16]}.jpg"


def product_image_generate_thumbnail(*, product_image: ProductImage) -> ProductImage:
    """Make the card thumbnail (JPEG inside THUMBNAIL_SIZE). Idempotent: a current one is kept."""
    expected = _thumbnail_name(product_image)
    current_name = product_image.thumbnail.name if product_image.thumbnail else ""
    if current_name.endswith("/" + expected) and default_storage.exists(current_name):
        return product_image
    with product_image.image.open("rb") as handle, Image.open(handle) as source:
        image = ImageOps.exif_transpose(source)
        if image.mode in ("RGBA", "LA", "P"):
            rgba = image.convert("RGBA")
            image = Image.new("RGB", rgba.size, (255, 255, 255))
            image.paste(rgba, mask=rgba.getchannel("A"))
        else:
            image = image.convert("RGB")
        image.thumbnail(settings.THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    with transaction.atomic():
        current = ProductImage.objects.select_for_update().filter(pk=product_image.pk).first()
        if current is None or current.content_hash != product_image.content_hash:
            return product_image  # deleted or replaced meanwhile: the newer task does the work
        old_name = current.thumbnail.name if current.thumbnail else None
        current.thumbnail.save(expected, ContentFile(buffer.getvalue()), save=False)
        current.save(update_fields=["thumbnail", "updated_at"])
        if old_name and old_name != current.thumbnail.name:
            _delete_files_on_commit(old_name)
    return current
