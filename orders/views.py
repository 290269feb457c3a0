from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from catalog.models import ProductVariant
from orders.forms import AddToCartForm, CheckoutForm, QuantityForm
from orders.selectors import cart_get, order_get, order_last_shipping, order_list
from orders.services import (
    CartItemNotFound,
    cart_item_add,
    cart_item_remove,
    cart_item_set_quantity,
    cart_prices_acknowledge,
    order_cancel_by_shopper,
    order_place,
)


def cart_view(request):
    cart = cart_get(user=request.user, session=request.session)
    response = render(request, "orders/cart.html", {"cart": cart})
    cart_prices_acknowledge(user=request.user, session=request.session, cart=cart)
    return response


@require_POST
def cart_add(request):
    form = AddToCartForm(request.POST)
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "orders:cart"
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(back)
    variant = ProductVariant.objects.select_related("product").filter(pk=form.cleaned_data["variant"]).first()
    if variant is None:
        messages.error(request, "This size does not exist (any more).")
        return redirect(back)
    try:
        cart_item_add(
            user=request.user,
            session=request.session,
            variant=variant,
            quantity=form.cleaned_data["quantity"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, f"{variant.product.name} in size {variant.label} is in your cart.")
    return redirect("orders:cart")


@require_POST
def cart_update(request, variant_id: int):
    form = QuantityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please give a quantity between 0 and 10.")
        return redirect("orders:cart")
    try:
        cart_item_set_quantity(
            user=request.user,
            session=request.session,
            variant_id=variant_id,
            quantity=form.cleaned_data["quantity"],
        )
    except CartItemNotFound:
        raise Http404("This is not in your cart.") from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("orders:cart")


@require_POST
def cart_remove(request, variant_id: int):
    try:
        cart_item_remove(user=request.user, session=request.session, variant_id=variant_id)
    except CartItemNotFound:
        raise Http404("This is not in your cart.") from None
    messages.success(request, "Removed from your cart.")
    return redirect("orders:cart")


def _expected_total(request) -> Decimal | None:
    """The total the summary showed (a hidden field that always carries the current total)."""
    try:
        return Decimal(request.POST.get("expected_total", ""))
    except (InvalidOperation, ValueError):
        return None


@login_required
def checkout(request):
    cart = cart_get(user=request.user, session=request.session)
    if not cart.lines:
        messages.info(request, "Your cart is empty.")
        return redirect("orders:cart")
    form = CheckoutForm(request.POST or None, initial=order_last_shipping(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = order_place(
                user=request.user,
                email=data["email"],
                phone=data["phone"],
                full_name=data["full_name"],
                address_line1=data["address_line1"],
                address_line2=data["address_line2"],
                postcode=data["postcode"],
                city=data["city"],
                country=data["country"],
                expected_total=_expected_total(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
            cart = cart_get(user=request.user, session=request.session)
        else:
            if order.payment_url:
                return redirect(order.payment_url)
            messages.success(request, f"Thank you! Your order {order.number} is placed.")
            return redirect(order)
    status = 400 if form.errors else 200
    return render(request, "orders/checkout.html", {"cart": cart, "form": form}, status=status)


@login_required
def order_list_view(request):
    return render(request, "orders/order_list.html", {"orders": order_list(user=request.user)})


def _own_order(request, number: str):
    order = order_get(user=request.user, number=number)
    if order is None:
        raise Http404("No such order.")
    return order


@login_required
def order_detail_view(request, number: str):
    return render(request, "orders/order_detail.html", {"order": _own_order(request, number)})


@login_required
@require_POST
def order_cancel_view(request, number: str):
    try:
        order_cancel_by_shopper(order=_own_order(request, number))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your order is cancelled.")
    return redirect("orders:order_detail", number=number)
