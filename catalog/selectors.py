from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch, Q, QuerySet

from catalog.models import Category, Colour, Product, ProductImage, ProductVariant, primary_image_of

# ?sort= values, in the order the shop offers them; the first is the default.
SORTS = {
    "newest": ("Newest", ("-created_at", "-id")),
    "price": ("Price: low to high", ("price", "-created_at", "-id")),
    "-price": ("Price: high to low", ("-price", "-created_at", "-id")),
}
DEFAULT_SORT = "newest"


@dataclass
class ProductFilters:
    """What a shopper narrowed the catalogue to (web page and API share it)."""

    category: str = ""
    q: str = ""
    size: str = ""
    colour: str = ""
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    sort: str = DEFAULT_SORT
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def is_filtered(self) -> bool:
        return bool(self.size or self.colour or self.min_price is not None or self.max_price is not None)


def _price(raw: str, name: str, errors: dict[str, str]) -> Decimal | None:
    raw = (raw or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors[name] = f"“{raw}” is not a price: use a number such as 25 or 19.90."
        return None
    if not value.is_finite() or value < 0:
        errors[name] = f"“{raw}” is not a price: use a number of 0 or more."
        return None
    return value


def product_filters_from_params(params) -> ProductFilters:
    """Read ``category, q (or search), size, colour, min_price, max_price, sort`` from a query dict.

    ``q`` is the search parameter; ``search`` is accepted as its alias (older API clients).
    Unreadable values are left out and explained in ``errors`` (field -> sentence).
    """
    errors: dict[str, str] = {}
    search = (params.get("q") or params.get("search") or "").strip()
    colour = (params.get("colour") or params.get("color") or "").strip().lower()
    if colour and colour not in Colour.values:
        errors["colour"] = f"Unknown colour “{colour}”: choose one of {', '.join(Colour.values)}."
        colour = ""
    sort = (params.get("sort") or DEFAULT_SORT).strip()
    if sort not in SORTS:
        errors["sort"] = f"Unknown sort “{sort}”: choose one of {', '.join(SORTS)}."
        sort = DEFAULT_SORT
    filters = ProductFilters(
        category=(params.get("category") or "").strip(),
        q=search,
        size=(params.get("size") or "").strip(),
        colour=colour,
        min_price=_price(params.get("min_price", ""), "min_price", errors),
        max_price=_price(params.get("max_price", ""), "max_price", errors),
        sort=sort,
        errors=errors,
    )
    if (
        filters.min_price is not None
        and filters.max_price is not None
        and filters.min_price > filters.max_price
    ):
        errors["max_price"] = "The highest price is below the lowest one."
    return filters


def product_list(
    *,
    category_slug: str | None = None,
    search: str | None = None,
    filters: ProductFilters | None = None,
    with_variants: bool = False,
) -> QuerySet[Product]:
    """Active products (newest first unless sorted otherwise), with category and images prefetched."""
    filters = filters or ProductFilters()
    category_slug = category_slug or filters.category or None
    search = search or filters.q or None
    queryset = (
        Product.objects.filter(is_active=True)
        .select_related("category")
        .prefetch_related(Prefetch("images", queryset=ProductImage.objects.order_by("order", "id")))
    )
    if with_variants:
        queryset = queryset.prefetch_related(
            Prefetch("variants", queryset=ProductVariant.objects.order_by("order", "id"))
        )
    if category_slug:
        queryset = queryset.filter(category__slug=category_slug)
    if search:
        for term in search.split():
            queryset = queryset.filter(
                Q(name__icontains=term) | Q(description__icontains=term) | Q(category__name__icontains=term)
            )
    if filters.size:
        queryset = _with_size(queryset, filters.size)
    if filters.colour:
        queryset = queryset.filter(colour=filters.colour)
    if filters.min_price is not None:
        queryset = queryset.filter(price__gte=filters.min_price)
    if filters.max_price is not None:
        queryset = queryset.filter(price__lte=filters.max_price)
    return queryset.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT])[1])


def _with_size(queryset: QuerySet[Product], size: str) -> QuerySet[Product]:
    """Products with a variant of ``size`` (exact label) in stock: what a shopper can buy in that size."""
    in_size = ProductVariant.objects.filter(size=size, stock__gt=0).values("product_id")
    return queryset.filter(pk__in=in_size)


def size_options() -> list[str]:
    """Every size label of the active catalogue's variants, in the order products list them."""
    seen: dict[str, None] = {}
    variants = ProductVariant.objects.filter(product__is_active=True).order_by("product_id", "order", "id")
    for label in variants.values_list("size", flat=True):
        seen.setdefault(str(label), None)
    return list(seen)


def colour_options() -> list[tuple[str, str]]:
    """The colour families the active catalogue has, as (value, label)."""
    present = set(Product.objects.filter(is_active=True).exclude(colour="").values_list("colour", flat=True))
    return [(value, label) for value, label in Colour.choices if value in present]


def product_get(*, slug: str) -> Product | None:
    return (
        Product.objects.filter(is_active=True, slug=slug)
        .select_related("category")
        .prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("order", "id")),
            Prefetch("variants", queryset=ProductVariant.objects.order_by("order", "id")),
            "size_chart",
        )
        .first()
    )


def category_list() -> QuerySet[Category]:
    return Category.objects.order_by("name")


def product_primary_image(product: Product) -> ProductImage | None:
    return primary_image_of(product)


def variant_preselect(*, variants, recommended_size: str | None = None) -> ProductVariant | None:
    """The variant the size picker starts on: the recommended size when it is in stock (a hook for
    size advice: pass its recommendation), else the first variant in stock, else none."""
    variants = list(variants)
    if recommended_size:
        wanted = str(recommended_size).strip().casefold()
        for variant in variants:
            if variant.size.casefold() == wanted and variant.in_stock:
                return variant
    return next((variant for variant in variants if variant.in_stock), None)
