"""The last item under concurrent checkouts, on PostgreSQL (real row locks, real threads).

CI runs the whole suite a second time with ``DATABASE_URL`` set to PostgreSQL: this test runs there
(and is skipped on SQLite, whose single writer cannot show a race).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from accounts.tests.factories import UserFactory
from catalog.models import ProductVariant
from orders.models import CartItem, Order
from orders.services import cart_item_add, order_place
from orders.tests.factories import SHIPPING, variant_in_stock

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"
    ),
]

SHOPPERS = 8


def _run_together(targets):
    """Run the callables in threads released at the same moment; each closes its DB connection."""
    start = threading.Barrier(len(targets))
    results, crashed = [], []

    def run(target):
        try:
            start.wait(timeout=30)
            results.append(target())
        except ValidationError as error:
            results.append(error.messages)
        except Exception as error:  # a crash must fail the test, not hang it
            crashed.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, crashed


def test_a_double_submitted_checkout_places_one_order():
    # given one shopper's cart with plenty of stock
    shopper = UserFactory()
    variant = variant_in_stock(stock=10)
    cart_item_add(user=shopper, session=None, variant=variant, quantity=2)

    # when the same checkout arrives twice at once
    results, crashed = _run_together([lambda: order_place(user=shopper, **SHIPPING).number] * 2)

    # then one order, stock taken once, and the second submit found the cart empty
    assert crashed == []
    assert sorted(results, key=str) == sorted([Order.objects.get().number, ["Your cart is empty."]], key=str)
    assert ProductVariant.objects.get(pk=variant.pk).stock == 8


def test_concurrent_checkouts_never_sell_the_last_item_twice():
    # given the last item of a size in eight shoppers' carts
    variant = variant_in_stock(stock=1, name="Last coat")
    shoppers = [UserFactory() for _ in range(SHOPPERS)]
    for shopper in shoppers:
        cart_item_add(user=shopper, session=None, variant=variant, quantity=1)
    start = threading.Barrier(SHOPPERS)
    placed, refused, crashed = [], [], []

    def checkout(shopper):
        try:
            start.wait(timeout=30)
            placed.append(order_place(user=shopper, **SHIPPING).number)
        except ValidationError as error:
            refused.append(error.messages)
        except Exception as error:  # a crash must fail the test, not hang it
            crashed.append(repr(error))
        finally:
            connections.close_all()

    # when they all check out at the same moment, each on its own database connection
    threads = [threading.Thread(target=checkout, args=(shopper,)) for shopper in shoppers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then exactly one order exists, the stock is zero (never negative) and the others were told why
    assert crashed == []
    assert len(placed) == 1
    assert refused == [["Last coat is sold out in size M."]] * (SHOPPERS - 1)
    assert ProductVariant.objects.get(pk=variant.pk).stock == 0
    assert Order.objects.count() == 1
    assert Order.objects.get().lines.get().quantity == 1
    assert CartItem.objects.count() == SHOPPERS - 1  # the others keep their carts
