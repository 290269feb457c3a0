from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import Category, Product, ProductImage, ProductVariant, SizeChartRow
from catalog.selectors import SORTS, category_list, product_filters_from_params, product_get, product_list
from catalog.services import SIZE_CHART_FIELDS
from shop.api import absolute_url
from shop.hooks import api_extras


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]


class ProductImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ["id", "role", "order", "url", "thumbnail_url", "width", "height"]

    def get_url(self, obj: ProductImage) -> str:
        return absolute_url(self.context.get("request"), obj.image.url)

    def get_thumbnail_url(self, obj: ProductImage) -> str | None:
        return absolute_url(self.context.get("request"), obj.thumbnail.url) if obj.thumbnail else None


class SizeChartRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = SizeChartRow
        fields = ["size", *SIZE_CHART_FIELDS]


class ProductVariantSerializer(serializers.ModelSerializer):
    price = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True)
    currency = serializers.CharField()
    in_stock = serializers.BooleanField()

    class Meta:
        model = ProductVariant
        fields = ["id", "sku", "size", "colour", "price", "currency", "stock", "in_stock"]


class ProductListSerializer(serializers.ModelSerializer):
    category = CategorySerializer()
    variants = ProductVariantSerializer(many=True)
    primary_image = ProductImageSerializer(allow_null=True)
    price = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "slug",
            "name",
            "category",
            "price",
            "currency",
            "garment_kind",
            "variants",
            "colour",
            "primary_image",
        ]


class ProductDetailSerializer(ProductListSerializer):
    images = ProductImageSerializer(many=True)
    size_chart = SizeChartRowSerializer(many=True)

    class Meta(ProductListSerializer.Meta):
        fields = [*ProductListSerializer.Meta.fields, "description", "images", "size_chart"]


# The catalogue's query parameters, shared by the product list and the shopper's cards.
CATALOGUE_PARAMETERS = [
    OpenApiParameter("q", str, description="Words to look for in name, description, category."),
    OpenApiParameter("category", str, description="Category slug."),
    OpenApiParameter("size", str, description="Only products offered in this size label, e.g. M or 38."),
    OpenApiParameter("colour", str, description="Colour family: " + ", ".join(Product.Colour.values) + "."),
    OpenApiParameter("min_price", str, description="Lowest price (inclusive), e.g. 20 or 19.90."),
    OpenApiParameter("max_price", str, description="Highest price (inclusive)."),
    OpenApiParameter("sort", str, enum=list(SORTS), description="newest (default), price, -price."),
    OpenApiParameter("page", int, description="Page number (1-based)."),
    OpenApiParameter("page_size", int, description="Items per page (default 12, at most 100)."),
]


def catalogue_filters(request):
    """The catalogue filters of an API request; unreadable values are a 400 that says why."""
    filters = product_filters_from_params(request.query_params)
    if filters.errors:
        raise ValidationError({name: [message] for name, message in filters.errors.items()})
    return filters


@extend_schema(parameters=CATALOGUE_PARAMETERS)
class ProductListApi(ListAPIView):
    """The active catalogue. ``search`` is accepted as an alias of ``q``."""

    serializer_class = ProductListSerializer

    def get_queryset(self):
        return product_list(filters=catalogue_filters(self.request), with_variants=True)


class ProductDetailApi(APIView):
    @extend_schema(responses=ProductDetailSerializer)
    def get(self, request, slug: str):
        product = product_get(slug=slug)
        if product is None:
            raise Http404
        data = ProductDetailSerializer(product, context={"request": request}).data
        data.update(api_extras("product", request, product))  # e.g. the shopper's size (shop.hooks)
        return Response(data)


class CategoryListApi(ListAPIView):
    serializer_class = CategorySerializer
    pagination_class = None

    def get_queryset(self):
        return category_list()
