"""REST API of the try-on: the shopper's cards and renders (``/api/v1/me/...``)."""

from django.core.paginator import Paginator
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import primary_image_of
from catalog.selectors import product_list
from shop.api import absolute_url
from sizing.apis import SizeAdviceSerializer
from sizing.selectors import size_advice_for_products
from tryon import selectors, services
from tryon.models import Render, RenderMode


class CardSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True)
    currency = serializers.CharField()
    garment_kind = serializers.CharField()
    image_url = serializers.CharField(allow_null=True, help_text="The product's own photo.")
    status = serializers.ChoiceField(
        choices=["analysing", "queued", "running", "done", "failed", "unavailable"],
        help_text="State of the render on the shopper.",
    )
    render_id = serializers.IntegerField(allow_null=True)
    render_url = serializers.CharField(allow_null=True, help_text="The 3:4 card on the shopper, when done.")
    render_full_url = serializers.CharField(allow_null=True)
    reason = serializers.CharField(
        allow_blank=True, help_text="Why the render is not shown, or a note on it."
    )
    size_advice = SizeAdviceSerializer(help_text="The shopper's size from their measurements.")


class RenderSerializer(serializers.ModelSerializer):
    product_ids = serializers.SerializerMethodField()
    card_url = serializers.SerializerMethodField()
    image_url = serializers.SerializerMethodField()

    class Meta:
        model = Render
        fields = [
            "id",
            "kind",
            "mode",
            "result_mode",
            "status",
            "reason",
            "product_ids",
            "renderer",
            "renderer_version",
            "card_url",
            "image_url",
            "created_at",
            "finished_at",
        ]

    def get_product_ids(self, obj: Render) -> list[int]:
        return [g.product_image.product_id for g in obj.garments.all()]

    def get_card_url(self, obj: Render) -> str | None:
        return (
            absolute_url(self.context["request"], obj.card.url) if obj.card and obj.status == "done" else None
        )

    def get_image_url(self, obj: Render) -> str | None:
        return (
            absolute_url(self.context["request"], obj.image.url)
            if obj.image and obj.status == "done"
            else None
        )


class MeCardsApi(APIView):
    """The catalogue as the shopper sees it: each product with the state of its render on them."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_cards_list",
        parameters=[
            OpenApiParameter("page", int, description="Page number (1-based)."),
            OpenApiParameter("category", str, description="Category slug."),
        ],
        responses=inline_serializer(
            "MeCardsPage",
            {
                "count": serializers.IntegerField(),
                "page": serializers.IntegerField(),
                "num_pages": serializers.IntegerField(),
                "shopper_state": serializers.CharField(),
                "shopper_reason": serializers.CharField(),
                "rendered": serializers.IntegerField(),
                "total": serializers.IntegerField(),
                "results": CardSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        from django.conf import settings

        products = product_list(category_slug=request.query_params.get("category") or None)
        page = Paginator(products, settings.CATALOG_PAGE_SIZE).get_page(request.query_params.get("page"))
        items = list(page.object_list)
        shopper = selectors.shopper_state(user=request.user)
        if shopper.active:  # a visit: this page first
            services.renders_ensure_for_shopper(user=request.user, page_product_ids=[p.pk for p in items])
            shopper = selectors.shopper_state(user=request.user)
        cards = selectors.card_states(user=request.user, product_ids=[p.pk for p in items], shopper=shopper)
        progress = selectors.render_progress(user=request.user, shopper=shopper)
        advice = size_advice_for_products(user=request.user, products=items)
        results = []
        for product in items:
            card = cards.get(product.pk)
            image = primary_image_of(product)
            results.append(
                {
                    "product_id": product.pk,
                    "slug": product.slug,
                    "name": product.name,
                    "price": product.price,
                    "currency": product.currency,
                    "garment_kind": product.garment_kind,
                    "image_url": absolute_url(request, image.card_url) if image else None,
                    "status": card.status if card else "unavailable",
                    "render_id": card.render_id if card else None,
                    "render_url": absolute_url(request, card.card_url) if card else None,
                    "render_full_url": absolute_url(request, card.image_url) if card else None,
                    "reason": (card.reason if card else shopper.reason) or "",
                    "size_advice": advice[product.pk].to_dict(),
                }
            )
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "num_pages": page.paginator.num_pages,
                "shopper_state": shopper.state,
                "shopper_reason": shopper.reason,
                "rendered": progress.done,
                "total": progress.total,
                "results": CardSerializer(results, many=True).data,
            }
        )


class MeRenderCreateApi(APIView):
    """Ask for a render: one product in a mode (a card), or several products (an outfit).

    A request for a render that exists (same photo, product images, mode and renderer) returns
    that render with status 200; a new one is queued and returned with status 201.
    """

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        product = serializers.IntegerField(required=False, help_text="One product (a card).")
        products = serializers.ListField(
            child=serializers.IntegerField(),
            required=False,
            max_length=3,
            help_text="An outfit: 2-3 products.",
        )
        mode = serializers.ChoiceField(choices=RenderMode.choices, default=RenderMode.TRYON)

        def validate(self, attrs):
            if ("product" in attrs) == ("products" in attrs):
                raise serializers.ValidationError("Give either product or products.")
            return attrs

    @extend_schema(
        operation_id="me_renders_create",
        request=InputSerializer,
        responses={200: RenderSerializer, 201: RenderSerializer},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = (
            [data.validated_data["product"]]
            if "product" in data.validated_data
            else data.validated_data["products"]
        )
        before = set(Render.objects.filter(owner=request.user).values_list("pk", flat=True))
        try:
            render = services.render_request(
                user=request.user, product_ids=ids, mode=data.validated_data["mode"]
            )
        except ValueError as error:
            raise ValidationError({"detail": str(error)}) from error
        render = selectors.render_get_for_owner(user=request.user, render_id=render.pk)
        code = status.HTTP_200_OK if render.pk in before else status.HTTP_201_CREATED
        return Response(RenderSerializer(render, context={"request": request}).data, status=code)


class MeRenderDetailApi(APIView):
    """Status and URLs of one of the shopper's renders (404 for anybody else, signed in or not)."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="me_renders_retrieve", responses={200: RenderSerializer})
    def get(self, request, render_id: int):
        render = selectors.render_get_for_owner(user=request.user, render_id=render_id)
        if render is None:
            raise Http404("No such render.")
        return Response(RenderSerializer(render, context={"request": request}).data)
