"""The payment interface. No payment provider is wired: orders wait in "awaiting payment".

``orders.services.order_place`` records the order and reserves its stock, then calls
``payment_provider().start(order=...)`` and stores the reference it returns. The provider is named by
the ``ORDERS_PAYMENT_PROVIDER`` setting (a dotted path to a class with no constructor arguments).

**Where a real provider goes.** Write a class next to these two, e.g. ``StripePaymentProvider``:

* ``start(order=...)`` creates the payment at the provider (a Stripe Checkout Session for
  ``order.total`` in ``order.currency``, with ``order.number`` as its metadata) and returns a
  ``PaymentStart`` with the provider's reference and the ``redirect_url`` the shopper must be sent to
  (the checkout view redirects there when it is set). Raise ``PaymentError`` when it cannot.
* Add a webhook view (e.g. ``/orders/payments/stripe/webhook/``) that checks the provider's
  signature and calls ``orders.services.order_set_status(order=..., status=Order.Status.PAID)`` (and
  ``CANCELLED`` for an expired or failed payment: that returns the stock).
* Set ``ORDERS_PAYMENT_PROVIDER=orders.payments.StripePaymentProvider`` and the provider's keys
  through ``shop/env.py`` (documented in ``.env.example``).

Until then ``ManualPaymentProvider`` (the default) leaves the order awaiting payment, e.g. for a bank
transfer quoting the order number; the merchant marks it paid in the admin. ``TestPaymentProvider``
is what the tests use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from orders.models import Order


class PaymentError(Exception):
    """The provider could not start the payment; the message can be shown to the shopper."""


@dataclass(frozen=True)
class PaymentStart:
    reference: str
    redirect_url: str | None = None
    instructions: str = ""


class PaymentProvider(Protocol):
    name: str

    def start(self, *, order: Order) -> PaymentStart: ...


class ManualPaymentProvider:
    """No online payment: the shopper pays by transfer quoting the order number."""

    name = "manual"

    def start(self, *, order: Order) -> PaymentStart:
        return PaymentStart(
            reference=order.number,
            instructions=(
                f"Please pay {order.currency} {order.total} by bank transfer quoting {order.number}. "
                "We ship as soon as the payment arrives."
            ),
        )


class TestPaymentProvider:
    """For the tests: remembers the orders it started and fails on demand."""

    __test__ = False  # not a pytest test class
    name = "test"
    started: ClassVar[list[str]] = []
    fail_with: ClassVar[str | None] = None

    def start(self, *, order: Order) -> PaymentStart:
        if TestPaymentProvider.fail_with:
            raise PaymentError(TestPaymentProvider.fail_with)
        TestPaymentProvider.started.append(order.number)
        return PaymentStart(reference=f"test-{order.number}", instructions="Test payment started.")

    @classmethod
    def reset(cls) -> None:
        cls.started = []
        cls.fail_with = None


def payment_provider() -> PaymentProvider:
    return import_string(settings.ORDERS_PAYMENT_PROVIDER)()
