from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts.models import BodyMeasurements
from accounts.selectors import body_measurements_get
from accounts.services import body_measurements_correct
from sizing.forms import MeasurementsForm
from sizing.selectors import size_advice_for_products

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
