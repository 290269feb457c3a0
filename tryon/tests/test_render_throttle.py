"""Render requests are limited per shopper, the API and the outfit form sharing one allowance."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tryon import services
from tryon.models import Render
from tryon.tests.support import make_product, make_shopper

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_renders_a_minute(settings, monkeypatch):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "renders": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


def test_render_requests_are_limited_across_api_and_outfit_form(
    two_renders_a_minute, fake_analyzer, fake_renderer, tasks
):
    # given
    user, photo = make_shopper()
    services.reference_photo_analyse(photo_id=photo.pk)
    top, _ = make_product(1, kind="top", role="on_model")
    bottom, _ = make_product(2, kind="bottom", role="on_model")
    api, web = APIClient(), Client()
    api.force_authenticate(user)
    web.force_login(user)
    outfits_before = Render.objects.filter(kind="outfit").count()

    # when
    first = api.post("/api/v1/me/renders/", {"product": top.pk, "mode": "pose"}, format="json")
    second = api.post("/api/v1/me/renders/", {"product": bottom.pk, "mode": "pose"}, format="json")
    third = api.post("/api/v1/me/renders/", {"products": [top.pk, bottom.pk]}, format="json")
    form = web.post("/tryon/outfit/", {"top": str(top.pk), "bottom": str(bottom.pk)})
    reading = api.get(f"/api/v1/me/renders/{first.json()['id']}/")

    # then
    assert [first.status_code, second.status_code, third.status_code] == [201, 201, 429]
    assert form.status_code == 200
    assert "Too many attempts. Please try again in" in form.content.decode()
    assert Render.objects.filter(kind="outfit").count() == outfits_before
    assert reading.status_code == 200
