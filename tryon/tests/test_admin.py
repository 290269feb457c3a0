"""The catalogue admin shows the try-on state of product images (thumbnails, analysis, landmarks)
and serves it to staff only."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from accounts.tests.factories import UserFactory
from catalog.tests.factories import (
    ProductFactory,
    ProductImageFactory,
)
from tryon.models import AnalysisStatus, ProductImageAnalysis, ReferencePhotoAnalysis
from tryon.tests.support import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_product_list_shows_thumbnails_and_try_on_state(admin_client):
    # given a product whose image has a thumbnail and a finished analysis, and one still waiting
    ready = ProductImageFactory(role="packshot")
    ready.thumbnail.save("t.jpg", ContentFile(b"jpeg"), save=True)
    ProductImageAnalysis.objects.create(product_image=ready, status=AnalysisStatus.DONE)
    waiting = ProductImageFactory()
    ProductImageAnalysis.objects.create(product_image=waiting, status=AnalysisStatus.PENDING)

    # when the merchant opens the product list
    html = admin_client.get("/admin/catalog/product/").content.decode()

    # then the ready product shows its thumbnail and state, the other says what is going on
    assert f'<img src="{ready.thumbnail.url}" alt="{ready.product.name}"' in html
    assert "1 ready for try-on" in html
    assert "1 waiting" in html and "being made…" in html


def test_admin_product_page_shows_analysis_and_landmarks_and_serves_their_status(admin_client):
    # given a packshot without given landmarks whose analysis estimated them, and a failed on-model photo
    product = ProductFactory()
    packshot = ProductImageFactory(product=product, role="packshot", landmarks=None, order=0)
    ProductImageAnalysis.objects.create(
        product_image=packshot,
        status=AnalysisStatus.DONE,
        findings=[{"code": "landmarks_estimated", "severity": "info", "message": "Estimated."}],
    )
    photo = ProductImageFactory(product=product, role="on_model", order=1)
    ProductImageAnalysis.objects.create(
        product_image=photo, status=AnalysisStatus.FAILED, failure_reason="No person could be found."
    )

    # when the merchant opens the product page
    html = admin_client.get(f"/admin/catalog/product/{product.pk}/change/").content.decode()

    # then each image says its analysis state and where its landmarks come from (no red cross)
    assert f'<span data-image-analysis="{packshot.pk}" data-status="done"><b>Ready for try-on</b>' in html
    assert f'<span data-image-landmarks="{packshot.pk}">Estimated from the outline</span>' in html
    assert f'<span data-image-analysis="{photo.pk}" data-status="failed"><b>Failed</b>' in html
    assert "No person could be found." in html
    assert f'<span data-image-landmarks="{photo.pk}">Not needed (pose)</span>' in html
    assert "js/admin_product_images.js" in html

    # and the page's polling endpoint answers the same in JSON
    data = admin_client.get(f"/admin/catalog/product/{product.pk}/images/status/").json()
    assert [(i["id"], i["analysis_status"], i["landmarks"], i["final"]) for i in data["images"]] == [
        (packshot.pk, "done", "Estimated from the outline", False),
        (photo.pk, "failed", "Not needed (pose)", False),
    ]


def test_admin_status_endpoint_is_for_staff_only(client):
    product = ProductFactory()
    client.force_login(UserFactory())
    response = client.get(f"/admin/catalog/product/{product.pk}/images/status/")
    assert response.status_code == 302  # to the admin log-in
    assert "/admin/login/" in response["Location"]


def test_admin_shows_status_overlays_findings_and_reanalyses(rendered, tasks):
    from accounts.services import user_create
    from tryon.models import ProductImageAnalysis

    admin = user_create(
        email="admin@example.com", password="x", is_staff=True, is_superuser=True, validate=False
    )
    client = client_for(admin)
    analysis = ReferencePhotoAnalysis.objects.get(photo=rendered["photo"])
    for url in (
        "/admin/tryon/productimageanalysis/",
        "/admin/tryon/referencephotoanalysis/",
        "/admin/tryon/render/",
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/admin/tryon/referencephotoanalysis/{analysis.pk}/change/").content.decode()
    assert page.count('src="data:image/png;base64,') == 2
    # the re-analyse action queues a fresh analysis
    product_analysis = ProductImageAnalysis.objects.first()
    tasks.clear()
    response = client.post(
        "/admin/tryon/productimageanalysis/",
        {"action": "reanalyse", "_selected_action": [product_analysis.pk]},
    )
    assert response.status_code == 302
    product_analysis.refresh_from_db()
    assert product_analysis.status == "pending"
