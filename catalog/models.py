import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from ml.types import GarmentKind as MLGarmentKind
from shop.models import UploadedImageModel


def _default_currency() -> str:
    return settings.SHOP_CURRENCY


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


# The database choices are ``ml.types.GarmentKind`` itself (the one definition of the kinds; what
# each means is in ``ml.kinds``), labelled for people: "full_outfit" -> "Full outfit".
GarmentKind = models.TextChoices(
    "GarmentKind",
    [(kind.name, (kind.value, kind.value.replace("_", " ").capitalize())) for kind in MLGarmentKind],
)


class Colour(models.TextChoices):
    """Colour families shoppers filter by (the main colour of the product, as a merchant names it)."""

    BLACK = "black", "Black"
    WHITE = "white", "White"
    GREY = "grey", "Grey"
    BEIGE = "beige", "Beige"
    BROWN = "brown", "Brown"
    RED = "red", "Red"
    PINK = "pink", "Pink"
    ORANGE = "orange", "Orange"
    YELLOW = "yellow", "Yellow"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"
    NAVY = "navy", "Navy"
    PURPLE = "purple", "Purple"
    MULTI = "multi", "Multicolour"


class Product(models.Model):
    GarmentKind = GarmentKind
    Colour = Colour

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default=_default_currency)
    garment_kind = models.CharField(max_length=16, choices=GarmentKind.choices)
    colour = models.CharField(
        max_length=16, choices=Colour.choices, blank=True, help_text="Main colour, for the colour filter."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["is_active", "category"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:product_detail", kwargs={"slug": self.slug})

    @property
    def primary_image(self) -> "ProductImage | None":
        return primary_image_of(self)


def primary_image_of(product: Product) -> "ProductImage | None":
    """First on-model image by order, else the first packshot; uses prefetched images when present."""
    images = sorted(product.images.all(), key=lambda image: (image.order, image.pk))
    for role in (ProductImage.Role.ON_MODEL, ProductImage.Role.PACKSHOT):
        for image in images:
            if image.role == role:
                return image
    return None


class ProductVariant(models.Model):
    """One buyable size (optionally colour) of a product, with its own SKU, stock and optional price."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    size = models.CharField(max_length=16)
    colour = models.CharField(max_length=40, blank=True)
    sku = models.CharField("SKU", max_length=64, unique=True)
    stock = models.PositiveIntegerField(default=0)
    price_override = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Leave empty to sell at the product's price.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "size", "colour"], name="unique_variant_per_product"),
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.label}"

    @property
    def label(self) -> str:
        return f"{self.size} / {self.colour}" if self.colour else self.size

    @property
    def price(self) -> Decimal:
        return self.price_override if self.price_override is not None else self.product.price

    @property
    def currency(self) -> str:
        return self.product.currency

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


class SizeChartRow(models.Model):
    """Body measurements (cm) that one size of a product fits."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="size_chart")
    size = models.CharField(max_length=16)
    order = models.PositiveSmallIntegerField(default=0)
    chest_min = models.PositiveSmallIntegerField(null=True, blank=True)
    chest_max = models.PositiveSmallIntegerField(null=True, blank=True)
    waist_min = models.PositiveSmallIntegerField(null=True, blank=True)
    waist_max = models.PositiveSmallIntegerField(null=True, blank=True)
    hips_min = models.PositiveSmallIntegerField(null=True, blank=True)
    hips_max = models.PositiveSmallIntegerField(null=True, blank=True)
    inseam_min = models.PositiveSmallIntegerField(null=True, blank=True)
    inseam_max = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["product", "size"], name="unique_size_per_product")]

    def __str__(self) -> str:
        return f"{self.product} {self.size}"


def product_image_upload_to(instance: "ProductImage", filename: str) -> str:
    ext = PurePosixPath(filename).suffix.lower().lstrip(".") or "jpg"
    return f"catalog/{instance.product_id}/{uuid.uuid4().hex}.{ext}"


def product_thumbnail_upload_to(instance: "ProductImage", filename: str) -> str:
    return f"catalog/{instance.product_id}/thumbs/{filename}"


class ProductImage(UploadedImageModel):
    class Role(models.TextChoices):
        ON_MODEL = "on_model", "On-model photo"
        PACKSHOT = "packshot", "Packshot"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=product_image_upload_to, width_field="width", height_field="height")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ON_MODEL)
    order = models.PositiveSmallIntegerField(default=0)
    thumbnail = models.ImageField(
        upload_to=product_thumbnail_upload_to, null=True, blank=True, editable=False
    )
    landmarks = models.JSONField(
        null=True, blank=True, help_text="Garment landmarks (packshots), name -> [x, y]."
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} #{self.order} of {self.product}"

    @property
    def card_url(self) -> str:
        """The thumbnail once the worker made it, the original until then."""
        return self.thumbnail.url if self.thumbnail else self.image.url
