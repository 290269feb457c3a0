"""The project's URLs: the API schema and its docs, served from static files (no CDN)."""

import pytest

pytestmark = pytest.mark.django_db


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/").content.decode()
    assert schema.status_code == 200
    assert b"/api/v1/me/photos/{photo_id}/primary/" in schema.content
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower()
