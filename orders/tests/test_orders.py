from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from catalog.models import ProductVariant
from catalog.tests.factories import ProductVariantFactory
from orders import tasks
from orders.models import CartItem, Order, OrderStatus
from orders.services import cart_item_add, order_place, order_set_status
from orders.tests.factories import SHIPPING, variant_in_stock

pytestmark = pytest.mark.django_db


def _cart(user, *lines):
    for variant, quantity in lines:
        cart_item_add(user=user, session=None, variant=variant, quantity=quantity)


def _stock(variant) -> int:
    return ProductVariant.objects.get(pk=variant.pk).stock


def test_placing_an_order_reserves_stock_keeps_snapshots_and_empties_the_cart(
    django_capture_on_commit_callbacks, mailoutbox, test_payments
):
    # given
    user = UserFactory()
    tee = variant_in_stock(stock=5, price="49.00", name="Linen tee")
    trousers = variant_in_stock(stock=2, price="80.50", name="Wide trousers", size="38")
    _cart(user, (tee, 2), (trousers, 1))

    # when
    with (
        mock.patch.object(tasks.order_send_confirmation, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        order = order_place(user=user, expected_total=Decimal("178.50"), **SHIPPING)

    # then
    order.refresh_from_db()
    assert (order.status, order.total, order.currency) == (
        OrderStatus.AWAITING_PAYMENT,
        Decimal("178.50"),
        "EUR",
    )
    assert [
        (line.product_name, line.size, line.unit_price, line.quantity, line.line_total)
        for line in order.lines.all()
    ] == [
        ("Linen tee", "M", Decimal("49.00"), 2, Decimal("98.00")),
        ("Wide trousers", "38", Decimal("80.50"), 1, Decimal("80.50")),
    ]
    assert (_stock(tee), _stock(trousers)) == (3, 1)
    assert CartItem.objects.filter(user=user).exists() is False
    assert (order.payment_provider, order.payment_reference) == ("test", f"test-{order.number}")
    assert test_payments.started == [order.number]
    delay.assert_called_once_with(order.pk)
    assert mailoutbox == []  # the e-mail is the worker's job

    # when the worker runs the task (twice: it is idempotent)
    tasks.order_send_confirmation(order.pk)
    tasks.order_send_confirmation(order.pk)

    # then one confirmation went out
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.com"]
    assert mailoutbox[0].subject == f"Atelier: your order {order.number}"
    assert "2 × Linen tee — size M" in mailoutbox[0].body
    assert "Total: €178.50" in mailoutbox[0].body
    assert "Test payment started." in mailoutbox[0].body  # the provider's instructions


def test_an_order_keeps_its_prices_sizes_and_names_when_the_catalogue_changes(client):
    # given an order
    user = UserFactory()
    variant = variant_in_stock(stock=3, price="49.00", name="Linen tee")
    _cart(user, (variant, 1))
    order = order_place(user=user, **SHIPPING)

    # when the merchant renames the product, changes its price, renames the size, then deletes it
    product = variant.product
    product.name, product.price = "Linen tee (new season)", Decimal("59.00")
    product.save()
    variant.size = "Medium"
    variant.save()
    variant.delete()

    # then the order still says what was bought, at what price
    line = Order.objects.get(pk=order.pk).lines.get()
    assert (line.product_name, line.size, line.unit_price, line.line_total, line.variant_id) == (
        "Linen tee",
        "M",
        Decimal("49.00"),
        Decimal("49.00"),
        None,
    )
    client.force_login(user)
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert "Linen tee" in page and "€49.00" in page and "(new season)" not in page


def test_an_order_is_refused_when_the_prices_changed_since_the_summary():
    # given
    user = UserFactory()
    variant = variant_in_stock(stock=3, price="49.00")
    _cart(user, (variant, 1))
    variant.product.price = Decimal("55.00")
    variant.product.save()

    # when
    with pytest.raises(ValidationError) as error:
        order_place(user=user, expected_total=Decimal("49.00"), **SHIPPING)

    # then nothing changed
    assert error.value.messages == [
        "The prices in your cart changed while you were checking out: please check the summary."
    ]
    assert Order.objects.count() == 0
    assert _stock(variant) == 3
    assert CartItem.objects.filter(user=user).count() == 1


def test_an_order_is_refused_when_a_size_sold_out_after_it_was_added(test_payments):
    # given a cart with two lines, one of which sells out meanwhile
    user = UserFactory()
    fine, sold_out = variant_in_stock(stock=4), variant_in_stock(stock=1, name="Last one")
    _cart(user, (fine, 2), (sold_out, 1))
    ProductVariant.objects.filter(pk=sold_out.pk).update(stock=0)

    # when
    with pytest.raises(ValidationError) as error:
        order_place(user=user, **SHIPPING)

    # then no order, no stock taken from the other line, the cart is kept
    assert error.value.messages == ["Last one is sold out in size M."]
    assert (Order.objects.count(), _stock(fine), _stock(sold_out)) == (0, 4, 0)
    assert CartItem.objects.filter(user=user).count() == 2
    assert test_payments.started == []


def test_an_empty_cart_cannot_be_ordered():
    with pytest.raises(ValidationError) as error:
        order_place(user=UserFactory(), **SHIPPING)
    assert error.value.messages == ["Your cart is empty."]
    assert Order.objects.count() == 0


def test_cancelling_returns_the_stock_exactly_once():
    # given a placed order
    user = UserFactory()
    variant = variant_in_stock(stock=5)
    _cart(user, (variant, 2))
    order = order_place(user=user, **SHIPPING)
    assert _stock(variant) == 3

    # when it is cancelled, and cancelled again
    order = order_set_status(order=order, status=OrderStatus.CANCELLED)
    order_set_status(order=order, status=OrderStatus.CANCELLED)

    # then the stock is back once and the order is cancelled for good
    assert _stock(variant) == 5
    assert order.status == OrderStatus.CANCELLED and order.cancelled_at is not None
    with pytest.raises(ValidationError):
        order_set_status(order=order, status=OrderStatus.PAID)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


def test_a_shipped_order_cannot_be_cancelled_and_keeps_its_stock_taken():
    user = UserFactory()
    variant = variant_in_stock(stock=5)
    _cart(user, (variant, 1))
    order = order_place(user=user, **SHIPPING)
    order_set_status(order=order, status=OrderStatus.PAID)
    order = order_set_status(order=order, status=OrderStatus.SHIPPED)
    with pytest.raises(ValidationError) as error:
        order_set_status(order=order, status=OrderStatus.CANCELLED)
    assert error.value.messages == ["An order that is shipped cannot become cancelled."]
    assert (_stock(variant), Order.objects.get(pk=order.pk).status) == (4, OrderStatus.SHIPPED)
    assert order.paid_at is not None and order.shipped_at is not None


def test_a_payment_provider_failure_leaves_the_order_awaiting_payment(test_payments):
    user = UserFactory()
    variant = variant_in_stock(stock=2)
    _cart(user, (variant, 1))
    test_payments.fail_with = "The provider is down."
    order = order_place(user=user, **SHIPPING)
    order.refresh_from_db()
    assert (order.status, order.payment_provider, order.payment_reference) == (
        OrderStatus.AWAITING_PAYMENT,
        "test",
        "",
    )
    assert _stock(variant) == 1


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
    assert Order.objects.count() == 0 and _stock(variant) == 3


def test_orders_are_shown_to_their_owner_only(client):
    owner, other = UserFactory(), UserFactory()
    variant = variant_in_stock(stock=3)
    _cart(owner, (variant, 1))
    order = order_place(user=owner, **SHIPPING)
    client.force_login(other)
    assert client.get(f"/orders/{order.number}/").status_code == 404
    assert client.post(f"/orders/{order.number}/cancel/").status_code == 404
    assert order.number not in client.get("/orders/").content.decode()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT
    client.force_login(owner)
    assert client.post(f"/orders/{order.number}/cancel/").status_code == 302
    assert (Order.objects.get(pk=order.pk).status, _stock(variant)) == (OrderStatus.CANCELLED, 3)
