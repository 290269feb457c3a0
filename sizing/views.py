from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.models import BodyMeasurements
from accounts.selectors import body_measurements_get
from accounts.services import body_measurements_correct
from catalog.models import Product
from sizing.forms import MeasurementsForm
from sizing.models import ShapeView
from sizing.selectors import shape_plan_for, size_advice_for_products

LABELS = {
    "chest": "Chest / bust",
    "under_bust": "Under-bust",
    "waist": "Waist",
    "hips": "Hips",
    "thigh": "Thigh",
    "inseam": "Inseam",
    "shoulder_width": "Shoulder width",
    "arm_length": "Arm length",
    "neck": "Neck",
}


@login_required
def measurements(request):
    """See the measured figures and correct them (a corrected figure wins over the estimate)."""
    row = body_measurements_get(user=request.user)
    form = MeasurementsForm(request.POST or None, row=row)
    if request.method == "POST" and form.is_valid():
        try:
            body_measurements_correct(user=request.user, corrected=form.corrections())
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, "Your measurements are saved; sizes follow them.")
            return redirect("sizing:measurements")
    estimated = (row.estimated if row else {}) or {}
    corrected = (row.corrected if row else {}) or {}
    lines = [
        {
            "name": name,
            "label": LABELS[name],
            "estimate": estimated.get(name),
            "corrected": corrected.get(name),
            "field": form[name],
        }
        for name in BodyMeasurements.NAMES
    ]
    return render(
        request,
        "sizing/measurements.html",
        {"row": row, "lines": lines, "form": form, "Status": BodyMeasurements.Status},
    )


def catalogue_context(request, products) -> dict:
    """``size_advice`` for a page of cards (two queries), for signed-in shoppers."""
    if not request.user.is_authenticated:
        return {}
    return {"size_advice": size_advice_for_products(user=request.user, products=products)}


def product_api_size_advice(request, product) -> dict | None:
    """``size_advice`` of the product API for a signed-in shopper (None: left out)."""
    if not request.user.is_authenticated:
        return None
    return size_advice_for_products(user=request.user, products=[product])[product.pk].to_dict()


def product_context(request, product) -> dict:
    if not request.user.is_authenticated:
        return {}
    advice = size_advice_for_products(user=request.user, products=[product])
    return {"size_advice": advice, "recommended_size": advice[product.pk].size}


SIZE_ROLE_LABEL = {"down": "one size down", "recommended": "your size", "up": "one size up"}


def my_shape_state(*, user, product: Product) -> dict:
    """What the "My shape" panel shows: the drawn sizes, "drawing", or a sentence why not. Read
    only: a drawing that is missing or out of date is asked for by the page's POST (``request_url``),
    which queues it on the ``preprocess`` queue; the page then polls the panel (``poll_url``)."""
    plan = shape_plan_for(user=user, product=product)
    if plan.state != "ready":
        return {"state": plan.state, "reason": plan.reason, "product": product}
    panel_url = reverse("sizing:my_shape", kwargs={"product_id": product.pk})
    view = ShapeView.objects.filter(user=user, product=product).first()
    if view is None or view.key != plan.key:
        return {"state": "drawing", "poll_url": panel_url, "request_url": panel_url, "product": product}
    if view.status == ShapeView.Status.DONE and view.image:
        sizes = [{**s, "label": SIZE_ROLE_LABEL.get(s["role"], "")} for s in view.sizes]
        return {"state": "done", "image_url": view.image.url, "sizes": sizes, "product": product}
    if view.status == ShapeView.Status.FAILED:
        return {"state": "failed", "reason": view.reason, "product": product}
    return {"state": "drawing", "poll_url": panel_url, "product": product}


@login_required
@require_http_methods(["GET", "POST"])
def my_shape(request, product_id: int):
    """The "My shape" panel of a product alone: a GET reads it (the product page polls it while it
    is drawn), a POST first asks for the drawing when it is missing or out of date."""
    from sizing.services import shape_view_request

    product = get_object_or_404(Product, pk=product_id, is_active=True)
    if request.method == "POST":
        shape_view_request(user=request.user, product=product)
    shape = my_shape_state(user=request.user, product=product)
    response = render(request, "sizing/_my_shape.html", {"shape": shape})
    response["Cache-Control"] = "private, no-store"
    return response
