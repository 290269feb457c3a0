from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from catalog.selectors import (
    SORTS,
    category_list,
    colour_options,
    product_filters_from_params,
    product_get,
    product_list,
    size_options,
)
from shop.hooks import page_context
from shop.pagecache import cached_page


@cached_page
def product_list_view(request):
    """The catalogue: ``?q=`` search (``?search=`` also works), category, size, colour, price, sort."""
    filters = product_filters_from_params(request.GET)
    products = product_list(filters=filters)
    page = Paginator(products, settings.CATALOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    categories = list(category_list())
    context = {
        "page": page,
        "products": page.object_list,
        "categories": categories,
        "current_category": next((c for c in categories if c.slug == filters.category), None),
        "search": filters.q,
        "filters": filters,
        "sorts": [(value, label) for value, (label, _) in SORTS.items()],
        "sizes": size_options(),
        "colours": colour_options(),
        "query_string": query.urlencode(),
        "category_query": _without(request.GET, "category", "page"),
    }
    context.update(page_context("catalogue", request, page.object_list))  # try-on, size advice (shop.hooks)
    return render(request, "catalog/product_list.html", context)


def _without(params, *names: str) -> str:
    query = params.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@cached_page
def product_detail_view(request, slug: str):
    product = product_get(slug=slug)
    if product is None:
        raise Http404("No such product.")
    images = list(product.images.all())
    size_chart = list(product.size_chart.all())
    context = {
        "product": product,
        "variants": list(product.variants.all()),
        # Hook for size advice: a view or context processor that knows the shopper's size sets
        # ``recommended_size`` (a size label); the size picker then starts on it when it is in stock.
        "recommended_size": None,
        "images": images,
        "primary_image": product.primary_image,
        "size_chart": size_chart,
        "chart_columns": _chart_columns(size_chart),
    }
    context.update(page_context("product", request, product))
    return render(request, "catalog/product_detail.html", context)


def _chart_columns(rows) -> list[tuple[str, str]]:
    """The measurements that at least one row fills, as (field prefix, label)."""
    columns = []
    for prefix, label in (("chest", "Chest"), ("waist", "Waist"), ("hips", "Hips"), ("inseam", "Inseam")):
        if any(
            getattr(r, f"{prefix}_min") is not None or getattr(r, f"{prefix}_max") is not None for r in rows
        ):
            columns.append((prefix, label))
    return columns
