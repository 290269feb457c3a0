from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from catalog.models import ProductVariant
from orders.models import CartItem, Order, OrderStatus
from orders.services import cart_item_add, order_place
from orders.tests.factories import SHIPPING, variant_in_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_cart_and_orders_need_authentication(api):
    for url in ("/api/v1/me/cart/", "/api/v1/me/orders/", "/api/v1/me/orders/AT-XXXX/"):
        assert api.get(url).status_code == 401
    assert api.post("/api/v1/me/cart/items/", {"variant_id": 1}).status_code == 401


def test_the_cart_api_adds_changes_and_removes_lines(api):
    # given
    user = UserFactory()
    api.force_authenticate(user)
    variant = variant_in_stock(stock=4, price="20.00", name="Tee")
    variant.sku = "TEE-M"
    variant.save()

    # when
    added = api.post("/api/v1/me/cart/items/", {"sku": "TEE-M", "quantity": 2}, format="json")
    changed = api.patch(f"/api/v1/me/cart/items/{variant.pk}/", {"quantity": 3}, format="json")
    too_many = api.patch(f"/api/v1/me/cart/items/{variant.pk}/", {"quantity": 5}, format="json")

    # then
    assert added.status_code == 201
    assert added.json()["lines"] == [
        {
            "variant_id": variant.pk,
            "sku": "TEE-M",
            "product_slug": variant.product.slug,
            "product_name": "Tee",
            "size": "M",
            "colour": "",
            "quantity": 2,
            "unit_price": "20.00",
            "line_total": "40.00",
            "currency": "EUR",
            "stock": 4,
            "price_changed": False,
            "problem": "",
        }
    ]
    assert (added.json()["count"], added.json()["subtotal"], added.json()["can_checkout"]) == (
        2,
        "40.00",
        True,
    )
    assert changed.json()["subtotal"] == "60.00"
    assert too_many.status_code == 400
    assert too_many.json() == {"detail": ["Only 4 left of Tee in size M."]}
    assert CartItem.objects.get(user=user).quantity == 3
    assert api.delete(f"/api/v1/me/cart/items/{variant.pk}/").status_code == 204
    assert api.get("/api/v1/me/cart/").json()["lines"] == []


def test_a_sold_out_variant_is_a_400_and_nothing_is_stored(api):
    user = UserFactory()
    api.force_authenticate(user)
    variant = variant_in_stock(stock=0, name="Tee")
    response = api.post("/api/v1/me/cart/items/", {"variant_id": variant.pk}, format="json")
    assert (response.status_code, response.json()) == (400, {"detail": ["Tee is sold out in size M."]})
    assert CartItem.objects.exists() is False
    unknown = api.post("/api/v1/me/cart/items/", {"variant_id": 999999}, format="json")
    assert unknown.status_code == 400


def test_the_cart_api_is_owner_only(api):
    # given another shopper's cart line
    owner, other = UserFactory(), UserFactory()
    variant = variant_in_stock(stock=4)
    cart_item_add(user=owner, session=None, variant=variant, quantity=1)
    api.force_authenticate(other)

    # then the other shopper sees their own empty cart and cannot touch the line
    assert api.get("/api/v1/me/cart/").json()["lines"] == []
    assert (
        api.patch(f"/api/v1/me/cart/items/{variant.pk}/", {"quantity": 2}, format="json").status_code == 404
    )
    assert api.delete(f"/api/v1/me/cart/items/{variant.pk}/").status_code == 404
    assert CartItem.objects.get(user=owner).quantity == 1


def test_placing_and_reading_orders_through_the_api(api):
    # given
    user = UserFactory()
    api.force_authenticate(user)
    variant = variant_in_stock(stock=2, price="35.00", name="Skirt", size="38")
    api.post("/api/v1/me/cart/items/", {"variant_id": variant.pk}, format="json")

    # when
    placed = api.post("/api/v1/me/orders/", {**SHIPPING, "expected_total": "35.00"}, format="json")

    # then
    assert placed.status_code == 201
    body = placed.json()
    number = body["number"]
    assert (body["status"], body["total"], body["currency"], body["payment_reference"]) == (
        "awaiting_payment",
        "35.00",
        "EUR",
        f"test-{number}",
    )
    assert body["lines"] == [
        {
            "product_name": "Skirt",
            "product_slug": variant.product.slug,
            "sku": variant.sku,
            "size": "38",
            "colour": "",
            "unit_price": "35.00",
            "quantity": 1,
            "line_total": "35.00",
        }
    ]
    assert ProductVariant.objects.get(pk=variant.pk).stock == 1
    listed = api.get("/api/v1/me/orders/").json()
    assert (listed["count"], listed["results"][0]["number"]) == (1, number)
    assert api.get(f"/api/v1/me/orders/{number}/").json()["number"] == number
    cancelled = api.post(f"/api/v1/me/orders/{number}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    assert ProductVariant.objects.get(pk=variant.pk).stock == 2


def test_orders_are_owner_only_in_the_api(api):
    # given another shopper's order
    owner, other = UserFactory(), UserFactory()
    variant = variant_in_stock(stock=2)
    cart_item_add(user=owner, session=None, variant=variant, quantity=1)
    order = order_place(user=owner, **SHIPPING)
    api.force_authenticate(other)

    # then
    assert api.get("/api/v1/me/orders/").json()["count"] == 0
    assert api.get(f"/api/v1/me/orders/{order.number}/").status_code == 404
    assert api.post(f"/api/v1/me/orders/{order.number}/cancel/").status_code == 404
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT


def test_an_api_order_with_an_empty_cart_or_stale_total_is_a_400(api):
    user = UserFactory()
    api.force_authenticate(user)
    empty = api.post("/api/v1/me/orders/", SHIPPING, format="json")
    assert (empty.status_code, empty.json()) == (400, {"detail": ["Your cart is empty."]})
    variant = variant_in_stock(stock=2, price="10.00")
    cart_item_add(user=user, session=None, variant=variant, quantity=1)
    stale = api.post("/api/v1/me/orders/", {**SHIPPING, "expected_total": "9.00"}, format="json")
    assert stale.status_code == 400
    missing = api.post("/api/v1/me/orders/", {"email": "a@example.com"}, format="json")
    assert missing.status_code == 400 and "full_name" in missing.json()
    assert Order.objects.count() == 0
    assert ProductVariant.objects.get(pk=variant.pk).stock == 2
    assert Decimal(api.get("/api/v1/me/cart/").json()["subtotal"]) == Decimal("10.00")
