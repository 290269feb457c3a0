"""The try-on REST API (cards, visits, renders) and its OpenAPI schema."""

from __future__ import annotations

import pytest
from django.test import Client

from tryon.models import Render, RenderStatus
from tryon.tests.support import client_for, make_product, make_shopper

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


def test_an_api_client_posts_its_visit_and_that_page_is_made_first(
    run_all, fake_renderer, fake_analyzer, tasks, django_capture_on_commit_callbacks
):
    # given a shopper with a ready photo whose cards were removed, and a product added since
    with django_capture_on_commit_callbacks(execute=True):
        owner, _ = make_shopper("owner@example.com")
        first, _ = make_product(1)
        second, _ = make_product(2)
    run_all()
    Render.objects.all().delete()
    tasks.clear()
    api = client_for(owner)
    # when the client says it shows the second product's card
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/me/visits/", {"product_ids": [second.pk]}, content_type="application/json"
        )
    # then the catalogue's cards are queued, the shown one ahead of the other, and work is sent
    assert (response.status_code, response.json()) == (200, {"shopper_state": "ready", "shopper_reason": ""})
    queued = {r.product_id: r for r in Render.objects.filter(owner=owner)}
    assert set(queued) == {first.pk, second.pk}
    assert {r.status for r in queued.values()} == {RenderStatus.QUEUED}
    assert queued[second.pk].priority > queued[first.pk].priority
    assert tasks.names("render_pending") != []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "product_ids"),
        ({"product_ids": "1,2"}, "product_ids"),
        ({"product_ids": [0]}, "product_ids"),
        ({"product_ids": list(range(1, 102))}, "product_ids"),
    ],
)
def test_a_bad_visit_is_refused_with_the_field_and_writes_nothing(rendered, tasks, body, field):
    # given a shopper with finished cards
    owner = rendered["owner"]
    before = list(Render.objects.order_by("id").values_list("id", "status", "priority"))
    tasks.clear()
    # when the client posts a bad visit
    response = client_for(owner).post("/api/v1/me/visits/", body, content_type="application/json")
    # then it is refused, naming the field, and nothing changed
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert list(Render.objects.order_by("id").values_list("id", "status", "priority")) == before
    assert tasks.calls == []


def test_a_visit_needs_a_signed_in_shopper(client):
    response = client.post("/api/v1/me/visits/", {"product_ids": []}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert Render.objects.count() == 0
