import pytest

from orders.payments import TestPaymentProvider


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def test_payments(settings):
    """Every orders test pays through the test provider (no real provider is wired anyway)."""
    settings.ORDERS_PAYMENT_PROVIDER = "orders.payments.TestPaymentProvider"
    TestPaymentProvider.reset()
    yield TestPaymentProvider
    TestPaymentProvider.reset()
