"""Fixtures of the accounts tests: media in a folder of their own, small rate limits."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def rates(settings):
    """Small limits, so the tests reach them quickly (the mechanism is the production one)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "login": "100/minute",
            "login_failures": "5/hour",
            "signup": "3/hour",
            "password_reset": "2/hour",
            "uploads": "2/hour",
            "renders": "3/minute",
            "account": "10/hour",
        },
    }
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    yield
    SimpleRateThrottle.THROTTLE_RATES = original
