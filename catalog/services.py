"""Business logic of the catalogue. Views, the admin and the import command call these."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from PIL import Image, ImageOps

from catalog.models import Category, Product, ProductImage, SizeChartRow
from shop.images import image_file_store, image_row_create, validate_image_upload
from shop.queueing import enqueue_on_commit
from tryon import services as tryon_services

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


def _normalise_sizes(sizes: Iterable[str] | None) -> list[str]:
    result: list[str] = []
    for size in sizes or []:
        label = str(size).strip()
        if label and label not in result:
            result.append(label)
    return result


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
    sizes: Iterable[str] | None = None,
    is_active: bool = True,
    size_chart: list[dict] | None = None,
) -> Product:
    product = Product(
        category=category,
        name=name,
        slug=slug or slugify(name),
        description=description,
        price=Decimal(str(price)),
        currency=(currency or settings.SHOP_CURRENCY).upper(),
        garment_kind=garment_kind,
        sizes=_normalise_sizes(sizes),
        is_active=is_active,
    )
    product.full_clean()
    product.save()
    if size_chart:
        _set_size_chart(product, size_chart)
    return product


_UPDATABLE = {
    "category",
    "name",
    "slug",
    "description",
    "price",
    "currency",
    "garment_kind",
    "sizes",
    "is_active",
}


@transaction.atomic
def product_update(*, product: Product, size_chart: list[dict] | None = None, **fields) -> Product:
    unknown = set(fields) - _UPDATABLE
    if unknown:
        raise TypeError(f"product_update() got unknown fields: {', '.join(sorted(unknown))}")
    if "sizes" in fields:
        fields["sizes"] = _normalise_sizes(fields["sizes"])
    if "price" in fields:
        fields["price"] = Decimal(str(fields["price"]))
    if fields.get("currency"):
        fields["currency"] = fields["currency"].upper()
    for field, value in fields.items():
        setattr(product, field, value)
    product.full_clean()
    product.save()
    if size_chart is not None:
        _set_size_chart(product, size_chart)
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
    upload = validate_image_upload(file)
    if order is None:
        last = product.images.order_by("-order").values_list("order", flat=True).first()
        order = 0 if last is None else last + 1
    product_image = ProductImage(product=product, role=role, order=order, landmarks=landmarks)
    image_row_create(product_image, upload)
    _schedule_thumbnail(product_image)
    tryon_services.product_image_schedule_analysis(product_image=product_image)
    return product_image


@transaction.atomic
def product_image_replace_file(*, product_image: ProductImage, file) -> ProductImage:
    """Store a new file for the image; its old file and thumbnail go, a new thumbnail is scheduled."""
    upload = validate_image_upload(file)
    old_names = (product_image.image.name, product_image.thumbnail.name if product_image.thumbnail else None)
    image_file_store(product_image, upload)
    product_image.thumbnail = None
    product_image.save()
    _delete_files_on_commit(*old_names)
    _schedule_thumbnail(product_image)
    tryon_services.product_image_schedule_analysis(product_image=product_image)
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
    tryon_services.product_image_cleanup(product_image=product_image)
    _delete_files_on_commit(
        product_image.image.name, product_image.thumbnail.name if product_image.thumbnail else None
    )
    product_image.delete()


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
