"""REST API of the try-on: the shopper's cards and renders (``/api/v1/me/...``)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.apis import CATALOGUE_PARAMETERS, catalogue_filters
from catalog.models import primary_image_of
from catalog.selectors import product_list
from shop.api import absolute_url
from shop.guards import MAX_DB_ID
from shop.pagecache import HIT_HEADER, cached_data
from shop.pagination import PageNumberPagination
from shop.throttling import WriteScopedRateThrottle
from sizing.apis import SizeAdviceSerializer
from sizing.selectors import size_advice_for_products
from tryon import selectors, services
from tryon.models import Render, RenderMode
from tryon.services.visits import shopper_page_visit

MAX_VISIT_IDS = 100  # cards a client may say it shows at once (a page is at most 60)


class CardSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True)
    currency = serializers.CharField()
    garment_kind = serializers.CharField()
    image_url = serializers.CharField(allow_null=True, help_text="The product's own photo.")
    status = serializers.ChoiceField(
        choices=["analysing", "queued", "running", "done", "failed", "unavailable", "held_back"],
        help_text=(
            "State of the render on the shopper. held_back: rendered, but below the quality gate, so the"
            " product photo is shown with the reason."
        ),
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
    reason = serializers.SerializerMethodField(help_text="Why it is not shown, or a note on it.")
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
            "confidence",
            "product_ids",
            "renderer",
            "renderer_version",
            "card_url",
            "image_url",
            "created_at",
            "finished_at",
        ]

    def get_reason(self, obj: Render) -> str:
        # The same words as the cards: never a promise the picture does not keep.
        return selectors.card_reason(
            status=obj.status, reason_code=obj.reason_code, reason=obj.reason, result_mode=obj.result_mode
        )[0]

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
    """The catalogue as the shopper sees it: each product with the state of its render on them.

    Filters, sorting and pages are the product list's (``/api/v1/products/``): the same query
    parameters and the same page shape (``count, next, previous, results``), plus the shopper's
    state and progress.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_cards_list",
        parameters=CATALOGUE_PARAMETERS,
        responses=inline_serializer(
            "MeCardsPage",
            {
                "count": serializers.IntegerField(),
                "next": serializers.CharField(allow_null=True),
                "previous": serializers.CharField(allow_null=True),
                "shopper_state": serializers.CharField(),
                "shopper_reason": serializers.CharField(),
                "rendered": serializers.IntegerField(help_text="Cards shown on the shopper."),
                "shown_as_product_photos": serializers.IntegerField(
                    help_text="Finished cards that show the product photo (unavailable, failed, held back)."
                ),
                "held_back": serializers.IntegerField(help_text="Of those, held back by the quality gate."),
                "pending": serializers.IntegerField(help_text="Cards still being prepared."),
                "total": serializers.IntegerField(),
                "results": CardSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        # the same page again, while nothing it shows changed, comes from the per-shopper cache
        data, hit = cached_data(request, lambda: self._page(request).data)
        response = Response(data)
        if hit:
            response[HIT_HEADER] = "hit"
        return response

    def _page(self, request):
        products = product_list(filters=catalogue_filters(request))
        paginator = PageNumberPagination()
        items = list(paginator.paginate_queryset(products, request, view=self))
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
        response = paginator.get_paginated_response(CardSerializer(results, many=True).data)
        response.data.update(
            {
                "shopper_state": shopper.state,
                "shopper_reason": shopper.reason,
                "rendered": progress.done,
                "shown_as_product_photos": progress.as_product_photos,
                "held_back": progress.held_back,
                "pending": progress.pending,
                "total": progress.total,
            }
        )
        return response


class MeVisitApi(APIView):
    """Tell the store which cards the client is showing: those are made first.

    ``GET /api/v1/me/cards/`` only reads; a client that shows a page of cards POSTs its product
    ids here (as the storefront's pages do), so that page's cards jump the shopper's queue. When the
    catalogue changed since the shopper's last check, the cards of new products are queued too.
    """

    permission_classes = [IsAuthenticated]
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "visits"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MeVisitInput"

        product_ids = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=MAX_DB_ID),
            max_length=MAX_VISIT_IDS,
            allow_empty=True,
            help_text=f"The products whose cards the client shows (at most {MAX_VISIT_IDS}).",
        )

    @extend_schema(
        operation_id="me_visit_create",
        request=InputSerializer,
        responses=inline_serializer(
            "MeVisit", {"shopper_state": serializers.CharField(), "shopper_reason": serializers.CharField()}
        ),
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        shopper = shopper_page_visit(
            user=request.user, page_product_ids=serializer.validated_data["product_ids"]
        )
        return Response({"shopper_state": shopper.state, "shopper_reason": shopper.reason})


class MeRenderCreateApi(APIView):
    """Ask for a render: one product in a mode (a card), or several products (an outfit).

    A request for a render that exists (same photo, product images, mode and renderer) returns
    that render with status 200; a new one is queued and returned with status 201.
    """

    permission_classes = [IsAuthenticated]
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "renders"

    class InputSerializer(serializers.Serializer):
        product = serializers.IntegerField(
            required=False, min_value=1, max_value=MAX_DB_ID, help_text="One product (a card)."
        )
        products = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=MAX_DB_ID),
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
