from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import ProductVariant
from orders.models import CART_MAX_QUANTITY, Order, OrderLine
from orders.selectors import cart_get, order_get, order_list
from orders.services import (
    CartItemNotFound,
    cart_item_add,
    cart_item_remove,
    cart_item_set_quantity,
    order_cancel_by_shopper,
    order_place,
)
from shop.pagination import PageNumberPagination


def _api_error(error: DjangoValidationError) -> ApiValidationError:
    return ApiValidationError({"detail": error.messages})


class CartLineSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField()
    sku = serializers.CharField(source="variant.sku", default=None)
    product_slug = serializers.CharField(source="product.slug", default=None)
    product_name = serializers.CharField(source="product.name", default=None)
    size = serializers.CharField(source="variant.size", default=None)
    colour = serializers.CharField(source="variant.colour", default=None)
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    line_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    stock = serializers.IntegerField(source="variant.stock", default=0)
    price_changed = serializers.BooleanField()
    problem = serializers.CharField()


class CartSerializer(serializers.Serializer):
    lines = CartLineSerializer(many=True)
    count = serializers.IntegerField()
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField())
    can_checkout = serializers.BooleanField()


def _cart_response(request, status_code=status.HTTP_200_OK) -> Response:
    return Response(CartSerializer(cart_get(user=request.user)).data, status=status_code)


class CartApi(APIView):
    """The signed-in shopper's cart, with current prices and stock (each line says what is wrong)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CartSerializer)
    def get(self, request):
        return _cart_response(request)


class CartItemListApi(APIView):
    permission_classes = [IsAuthenticated]

    class AddSerializer(serializers.Serializer):
        variant_id = serializers.IntegerField(required=False)
        sku = serializers.CharField(required=False)
        quantity = serializers.IntegerField(min_value=1, max_value=CART_MAX_QUANTITY, default=1)

        def validate(self, attrs):
            if not attrs.get("variant_id") and not attrs.get("sku"):
                raise serializers.ValidationError("Give variant_id or sku.")
            return attrs

    @extend_schema(request=AddSerializer, responses={201: CartSerializer})
    def post(self, request):
        data = self.AddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lookup = (
            {"pk": data.validated_data["variant_id"]}
            if data.validated_data.get("variant_id")
            else {"sku": data.validated_data["sku"]}
        )
        variant = ProductVariant.objects.select_related("product").filter(**lookup).first()
        if variant is None:
            raise ApiValidationError({"variant_id": ["No such variant."]})
        try:
            cart_item_add(
                user=request.user, session=None, variant=variant, quantity=data.validated_data["quantity"]
            )
        except DjangoValidationError as error:
            raise _api_error(error) from error
        return _cart_response(request, status.HTTP_201_CREATED)


class CartItemDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    class QuantitySerializer(serializers.Serializer):
        quantity = serializers.IntegerField(min_value=0, max_value=CART_MAX_QUANTITY)

    @extend_schema(request=QuantitySerializer, responses=CartSerializer)
    def patch(self, request, variant_id: int):
        data = self.QuantitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            cart_item_set_quantity(
                user=request.user,
                session=None,
                variant_id=variant_id,
                quantity=data.validated_data["quantity"],
            )
        except CartItemNotFound:
            raise Http404 from None
        except DjangoValidationError as error:
            raise _api_error(error) from error
        return _cart_response(request)

    @extend_schema(responses={204: None})
    def delete(self, request, variant_id: int):
        try:
            cart_item_remove(user=request.user, session=None, variant_id=variant_id)
        except CartItemNotFound:
            raise Http404 from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = [
            "product_name",
            "product_slug",
            "sku",
            "size",
            "colour",
            "unit_price",
            "quantity",
            "line_total",
        ]


class OrderSerializer(serializers.ModelSerializer):
    lines = OrderLineSerializer(many=True)

    class Meta:
        model = Order
        fields = [
            "number",
            "status",
            "created_at",
            "currency",
            "total",
            "email",
            "phone",
            "full_name",
            "address_line1",
            "address_line2",
            "postcode",
            "city",
            "country",
            "payment_provider",
            "payment_reference",
            "payment_instructions",
            "payment_url",
            "paid_at",
            "shipped_at",
            "cancelled_at",
            "lines",
        ]


class OrderListApi(APIView):
    """The shopper's orders (GET), or place an order from the cart (POST)."""

    permission_classes = [IsAuthenticated]

    class PlaceSerializer(serializers.Serializer):
        email = serializers.EmailField()
        phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
        full_name = serializers.CharField(max_length=120)
        address_line1 = serializers.CharField(max_length=200)
        address_line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        postcode = serializers.CharField(max_length=20)
        city = serializers.CharField(max_length=100)
        country = serializers.CharField(max_length=100)
        expected_total = serializers.DecimalField(
            max_digits=12,
            decimal_places=2,
            required=False,
            allow_null=True,
            default=None,
            help_text="The cart total the shopper confirmed; the order is refused when prices changed.",
        )

    @extend_schema(responses=OrderSerializer(many=True))
    def get(self, request):
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(order_list(user=request.user), request, view=self)
        return paginator.get_paginated_response(OrderSerializer(page, many=True).data)

    @extend_schema(request=PlaceSerializer, responses={201: OrderSerializer})
    def post(self, request):
        data = self.PlaceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            order = order_place(user=request.user, **data.validated_data)
        except DjangoValidationError as error:
            raise _api_error(error) from error
        order = order_get(user=request.user, number=order.number)
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class OrderDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OrderSerializer)
    def get(self, request, number: str):
        order = order_get(user=request.user, number=number)
        if order is None:
            raise Http404
        return Response(OrderSerializer(order).data)


class OrderCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=OrderSerializer)
    def post(self, request, number: str):
        order = order_get(user=request.user, number=number)
        if order is None:
            raise Http404
        try:
            order_cancel_by_shopper(order=order)
        except DjangoValidationError as error:
            raise _api_error(error) from error
        return Response(OrderSerializer(order_get(user=request.user, number=number)).data)
