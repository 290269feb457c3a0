"""The try-on REST API (cards, renders) and its OpenAPI schema."""

from __future__ import annotations

import pytest
from django.test import Client

from tryon.models import RenderStatus
from tryon.tests.support import client_for, make_product

pytestmark = pytest.mark.django_db


def test_api_cards_and_renders(rendered):
    owner, top = rendered["owner"], rendered["products"][0]
    api = client_for(owner)
    cards = api.get("/api/v1/me/cards/", {"page": 1}).json()
    assert (cards["rendered"], cards["total"], cards["shopper_state"]) == (3, 3, "ready")
    assert [c["status"] for c in cards["results"]] == ["done"] * 3
    # a new mode is created (201), the same request again returns it (200)
    worn, _ = make_product(4, kind="top", role="on_model")
    first = api.post(
        "/api/v1/me/renders/", {"product": worn.pk, "mode": "pose"}, content_type="application/json"
    )
    again = api.post(
        "/api/v1/me/renders/", {"product": worn.pk, "mode": "pose"}, content_type="application/json"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    detail = api.get(f"/api/v1/me/renders/{first.json()['id']}/").json()
    assert detail["status"] == RenderStatus.QUEUED and detail["mode"] == "pose"
    bad = api.post("/api/v1/me/renders/", {"products": [top.pk, 999999]}, content_type="application/json")
    assert bad.status_code == 400
    # pose mode of a product with a packshot only is refused with the reason
    no_model = api.post(
        "/api/v1/me/renders/", {"product": top.pk, "mode": "pose"}, content_type="application/json"
    )
    assert no_model.status_code == 400 and "has no photo of a model wearing it" in no_model.content.decode()


def test_openapi_schema_documents_the_tryon_endpoints(rendered):
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    assert {"/api/v1/me/cards/", "/api/v1/me/renders/", "/api/v1/me/renders/{render_id}/"} <= set(
        schema["paths"]
    )
