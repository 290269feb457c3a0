"""Checkout in the web store: an order placed from the form, form errors place nothing, orders shown
to their owner only."""

from unittest import mock

import pytest

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductVariantFactory
from orders import tasks
from orders.models import Order, OrderStatus
from orders.services import order_place
from orders.tests.factories import SHIPPING, fill_cart, stock_of, variant_in_stock

pytestmark = pytest.mark.django_db


def test_checkout_in_the_web_store(client, django_capture_on_commit_callbacks):
    # given a shopper with a cart
    user = UserFactory(email="buyer@example.com")
    variant = variant_in_stock(stock=3, price="25.00")
    ProductVariantFactory(product=variant.product, size="L", stock=0)

    # when a guest goes to checkout, they are sent to sign in first
    client.post("/cart/add/", {"variant": variant.pk, "quantity": 2})
    assert client.get("/checkout/")["Location"] == "/accounts/login/?next=/checkout/"

    # when signed in (the guest cart comes along) they see the summary with their e-mail filled in
    client.force_login(user)
    client.post("/cart/add/", {"variant": variant.pk, "quantity": 1})
    page = client.get("/checkout/").content.decode()
    assert 'value="buyer@example.com"' in page and 'name="expected_total" value="75.00"' in page
    with (
        mock.patch.object(tasks.order_send_confirmation, "delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/checkout/", {**SHIPPING, "expected_total": "75.00"})

    # then the order page shows it, the history lists it, and a second checkout finds the cart empty
    order = Order.objects.get(user=user)
    assert response["Location"] == f"/orders/{order.number}/"
    detail = client.get(response["Location"]).content.decode()
    assert "Awaiting payment" in detail and "€75.00" in detail
    assert [(line.quantity, line.size) for line in order.lines.all()] == [(3, "M")]
    assert order.number in client.get("/orders/").content.decode()
    assert client.get("/checkout/")["Location"] == "/cart/"


def test_checkout_form_errors_place_nothing(client):
    user = UserFactory()
    client.force_login(user)
    variant = variant_in_stock(stock=3)
    client.post("/cart/add/", {"variant": variant.pk, "quantity": 1})
    response = client.post("/checkout/", {**SHIPPING, "email": "not-an-address", "city": ""})
    assert response.status_code == 400
    assert Order.objects.count() == 0 and stock_of(variant) == 3


def test_orders_are_shown_to_their_owner_only(client):
    owner, other = UserFactory(), UserFactory()
    variant = variant_in_stock(stock=3)
    fill_cart(owner, (variant, 1))
    order = order_place(user=owner, **SHIPPING)
    client.force_login(other)
    assert client.get(f"/orders/{order.number}/").status_code == 404
    assert client.post(f"/orders/{order.number}/cancel/").status_code == 404
    assert order.number not in client.get("/orders/").content.decode()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT
    client.force_login(owner)
    assert client.post(f"/orders/{order.number}/cancel/").status_code == 302
    assert (Order.objects.get(pk=order.pk).status, stock_of(variant)) == (OrderStatus.CANCELLED, 3)
