"""Shopper pages of the try-on, and its part of the catalogue's pages.

The catalogue (``catalog.views``) knows nothing of try-on: :func:`catalogue_context`,
:func:`product_context` and :func:`photos_context` are registered as page contexts in
``TryonConfig.ready`` (``shop.hooks``), and only read. The work a visit starts (this page's cards
first, the product page's "model in my pose") is a POST the page sends on load
(:func:`visit_view`). Everything of a shopper's is a 404 for anybody else.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.models import Product, primary_image_of
from catalog.selectors import product_list
from shop.guards import db_id_or_none, db_ids
from shop.throttling import throttle_request, wait_message
from tryon import selectors, services
from tryon.models import Render, RenderKind, RenderMode, RenderStatus
from tryon.services.visits import shopper_page_visit

MAX_POLL_IDS = 200


def catalogue_context(request: HttpRequest, products) -> dict:
    """Try-on state of a catalogue page (read only: the page then POSTs its visit)."""
    shopper = selectors.shopper_state(user=request.user)
    ids = [p.pk for p in products]
    cards = selectors.card_states(user=request.user, product_ids=ids, shopper=shopper)
    return {
        "tryon": {
            "shopper": shopper,
            "cards": cards,
            "progress": selectors.render_progress(user=request.user, shopper=shopper)
            if shopper.state not in ("anonymous", "no_photo")
            else None,
            "poll_url": reverse("tryon:cards"),
            "visit_url": reverse("tryon:visit"),
            "visit_ids": ",".join(str(pk) for pk in ids),
        }
    }


def product_context(request: HttpRequest, product: Product) -> dict:
    """Try-on part of a product page: the render large, "the model in my pose", findings."""
    shopper = selectors.shopper_state(user=request.user)
    context = {
        "shopper": shopper,
        "tryon_render": None,
        "pose_render": None,
        # "the model in my pose" needs a photo of the product on a model
        "pose_offered": services.garment_image_pick(product.images.all(), renderer="", mode=RenderMode.POSE)
        is not None,
        "poll_url": reverse("tryon:cards"),
        "visit_url": reverse("tryon:visit"),
    }
    if shopper.state == "ready":
        # read only: the page's visit (a POST) puts this card first and asks for the pose render
        context["tryon_render"] = selectors.product_render_for(
            user=request.user, product=product, mode="tryon"
        )
        if context["pose_offered"]:
            context["pose_render"] = selectors.product_render_for(
                user=request.user, product=product, mode=RenderMode.POSE
            )
        context["card"] = selectors.card_state_of(context["tryon_render"], product.pk, shopper)
        context["pose_card"] = selectors.card_state_of(context["pose_render"], product.pk, shopper)
    card = context.get("card")
    context["note"] = _side_note(card)
    context["alt"] = (
        f"{product.name} on the model, in your pose"
        if card is not None and card.result_mode == RenderMode.POSE
        else f"{product.name} on you"
    )
    context["pose_alt"] = f"{product.name} on the model, in your pose"
    context["fallback_alt"] = f"{product.name}, product photo"
    return {"tryon": context}


def photos_context(request: HttpRequest, photos) -> dict:
    """The "My photos" page: each photo's check (one query)."""
    return {"tryon_photo_analyses": selectors.photo_analyses_for(photos=list(photos))}


@require_POST
def visit_view(request: HttpRequest) -> JsonResponse:
    """A page of cards (``ids``) was opened: its cards are made first; ``pose`` (a product id) also
    asks for "the model in my pose" of that product. Answers the product's two renders' states."""
    shopper = shopper_page_visit(user=request.user, page_product_ids=_ids(request.POST.get("ids", "")))
    payload: dict = {"state": shopper.state, "pose": None, "pose_error": "", "card": None}
    pose_id = db_id_or_none(request.POST.get("pose", ""))
    if pose_id is not None and shopper.state == "ready":
        try:
            pose = services.render_request(user=request.user, product_ids=[pose_id], mode=RenderMode.POSE)
        except ValueError as error:
            payload["pose_error"] = str(error)
        else:
            payload["pose"] = _render_dict(pose)
            card = Render.objects.filter(
                owner=request.user, photo_id=pose.photo_id, product_id=pose_id, kind=RenderKind.CARD
            ).filter(mode=RenderMode.TRYON)
            card = card.order_by("-created_at", "-id").first()
            payload["card"] = _render_dict(card) if card is not None else None
    response = JsonResponse(payload)
    response["Cache-Control"] = "private, no-store"
    return response


def _side_note(card: selectors.CardState | None) -> str:
    """Which sentence the product page shows beside its main picture (tryon.js keeps it current)."""
    if card is None or card.is_pending:
        return "pending"
    if card.status == RenderStatus.DONE:
        return "done-pose" if card.result_mode == RenderMode.POSE else "done-tryon"
    return "unavailable"


def _ids(raw: str) -> list[int]:
    return db_ids(raw.split(",")[:MAX_POLL_IDS])


@require_GET
def cards_view(request: HttpRequest) -> JsonResponse:
    """Poll endpoint of the grid: the state of the listed cards and the progress bar."""
    shopper = selectors.shopper_state(user=request.user)
    ids = _ids(request.GET.get("ids", ""))
    renders = _ids(request.GET.get("renders", ""))
    cards = selectors.card_states(user=request.user, product_ids=ids, shopper=shopper)
    progress = selectors.render_progress(user=request.user, shopper=shopper) if shopper.active else None
    payload = {
        "state": shopper.state,
        "reason": shopper.reason,
        "progress": progress.as_dict() if progress else None,
        "cards": [c.as_dict() for c in cards.values()],
        "renders": [
            _render_dict(r) for r in selectors.renders_for_owner(user=request.user, render_ids=renders)
        ],
    }
    response = JsonResponse(payload)
    response["Cache-Control"] = "private, no-store"
    return response


def _render_dict(render_obj) -> dict:
    state = selectors.card_state_of(
        render_obj, render_obj.product_id or 0, selectors.ShopperState(state="ready")
    )
    data = state.as_dict()
    data["id"] = render_obj.pk
    return data


@require_GET
def render_detail_view(request: HttpRequest, render_id: int):
    render_obj = selectors.render_get_for_owner(user=request.user, render_id=render_id)
    if render_obj is None:
        raise Http404("No such render.")
    return render(
        request,
        "tryon/render_detail.html",
        {"render": render_obj, "card": _render_dict(render_obj), "poll_url": reverse("tryon:cards")},
    )


OUTFIT_GROUPS = (
    ("top", "Tops"),
    ("bottom", "Bottoms"),
    ("dress", "Dresses"),
    ("outerwear", "Outerwear"),
)


@require_http_methods(["GET", "POST"])
def outfit_view(request: HttpRequest):
    """Pick a top and a bottom (or a dress and outerwear) and see them together on you."""
    shopper = selectors.shopper_state(user=request.user)
    error = ""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        given = [v for k in ("top", "bottom", "dress", "outerwear") if (v := request.POST.get(k, ""))]
        chosen = db_ids(given)
        try:
            wait = throttle_request("renders", request)
            if wait is not None:
                raise ValueError(wait_message(wait))
            if len(chosen) != len(given):
                raise ValueError("One of these products does not exist.")
            render_obj = services.render_request(user=request.user, product_ids=chosen, mode=RenderMode.TRYON)
        except ValueError as exc:
            error = str(exc)
        else:
            query = "&".join(
                f"{k}={request.POST[k]}"
                for k in ("top", "bottom", "dress", "outerwear")
                if request.POST.get(k)
            )
            return redirect(f"{reverse('tryon:outfit')}?render={render_obj.pk}&{query}#outfit-result")
    products = list(product_list())
    groups = []
    for kind, label in OUTFIT_GROUPS:
        items = [(p, primary_image_of(p)) for p in products if p.garment_kind == kind]
        groups.append({"kind": kind, "label": label, "items": items, "selected": request.GET.get(kind, "")})
    result = None
    render_id = request.GET.get("render", "")
    if render_id.isdigit():
        valid_id = db_id_or_none(render_id)
        result = selectors.render_get_for_owner(user=request.user, render_id=valid_id) if valid_id else None
        if result is None:
            raise Http404("No such render.")
    return render(
        request,
        "tryon/outfit.html",
        {
            "shopper": shopper,
            "groups": groups,
            "result": result,
            "result_card": _render_dict(result) if result else None,
            "result_alt": (
                "Your outfit on you: "
                + " and ".join(g.product_image.product.name for g in result.garments.all())
                if result
                else ""
            ),
            "error": error,
            "poll_url": reverse("tryon:cards"),
            "pending_statuses": [RenderStatus.QUEUED, RenderStatus.RUNNING],
        },
    )
