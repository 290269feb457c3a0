"""The store's error pages: a missing page and a server error keep the store header."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_has_the_store_header_and_a_way_back(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'class="site-header"' in html and 'id="error-page" data-status="404"' in html
    assert f'href="{reverse("catalog:product_list")}">Back to the catalogue</a>' in html


def test_the_server_error_page_has_the_store_header():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert 'class="site-header"' in html and 'id="error-page" data-status="500"' in html
    assert 'href="/">Back to the catalogue</a>' in html
