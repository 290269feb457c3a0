from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import Category, Product, ProductImage, SizeChartRow
from catalog.selectors import category_list, product_get, product_list
from catalog.services import SIZE_CHART_FIELDS
from shop.api import absolute_url


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


class ProductListSerializer(serializers.ModelSerializer):
    category = CategorySerializer()
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
            "sizes",
            "primary_image",
        ]


class ProductDetailSerializer(ProductListSerializer):
    images = ProductImageSerializer(many=True)
    size_chart = SizeChartRowSerializer(many=True)

    class Meta(ProductListSerializer.Meta):
        fields = [*ProductListSerializer.Meta.fields, "description", "images", "size_chart"]


@extend_schema(
    parameters=[
        OpenApiParameter("category", str, description="Category slug"),
        OpenApiParameter("search", str, description="Words to look for in name, description, category"),
    ]
)
class ProductListApi(ListAPIView):
    serializer_class = ProductListSerializer

    def get_queryset(self):
        params = self.request.query_params
        return product_list(category_slug=params.get("category") or None, search=params.get("search") or None)


class ProductDetailApi(APIView):
    @extend_schema(responses=ProductDetailSerializer)
    def get(self, request, slug: str):
        product = product_get(slug=slug)
        if product is None:
            raise Http404
        data = ProductDetailSerializer(product, context={"request": request}).data
        if request.user.is_authenticated:  # the signed-in shopper's size (see sizing)
            from sizing.selectors import size_advice_for_products

            data["size_advice"] = size_advice_for_products(user=request.user, products=[product])[
                product.pk
            ].to_dict()
        return Response(data)


class CategoryListApi(ListAPIView):
    serializer_class = CategorySerializer
    pagination_class = None

    def get_queryset(self):
        return category_list()
