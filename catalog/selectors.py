from django.db.models import Prefetch, Q, QuerySet

from catalog.models import Category, Product, ProductImage, ProductVariant, primary_image_of


def product_list(
    *, category_slug: str | None = None, search: str | None = None, with_variants: bool = False
) -> QuerySet[Product]:
    """Active products, newest first, with category and images (and the variants when asked for)
    prefetched (no N+1 on cards)."""
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
    return queryset.order_by("-created_at", "-id")


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
