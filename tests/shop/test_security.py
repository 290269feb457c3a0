"""Every page carries the security headers; the templates have no inline script the CSP would block."""

import re

import pytest

from tests.support.paths import REPO_ROOT

pytestmark = pytest.mark.django_db


def test_pages_carry_csp_referrer_nosniff_and_frame_headers(client, settings):
    # when
    responses = [client.get(url) for url in ("/", "/accounts/login/", "/api/docs/", "/api/v1/products/")]

    # then
    for response in responses:
        assert response.status_code == 200
        assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"


def test_the_api_docs_load_their_script_from_a_url_not_inline(client):
    # when
    html = client.get("/api/docs/").content.decode()
    script = client.get("/api/docs/?script")

    # then
    assert re.findall(r"<script>", html) == []
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_templates_have_no_inline_scripts_or_event_handlers():
    # given
    templates = list((REPO_ROOT / "templates").rglob("*.html"))

    # then
    assert templates
    for template in templates:
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"\son[a-z]+=", text), template
