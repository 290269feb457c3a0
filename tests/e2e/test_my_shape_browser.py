"""'My shape' in headless Chromium against a live server: the product page asks for the drawing,
polls its panel and shows the mannequin in three sizes. The draw task runs in-process when sent
(the drawing itself is tested in sizing/tests). Screenshot: ``artifacts/my-shape.png``."""

from __future__ import annotations

import pytest

from accounts.services import user_create
from sizing import tasks
from sizing.models import ShapeView
from sizing.tests.factories import give_measured_body, top_with_chart, with_packshot
from tests.support.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EMAIL, PASSWORD = "my-shape@example.com", "tape-measure-2026"


def test_the_product_page_draws_my_shape_and_shows_it_when_done(live_server, page, monkeypatch):
    # given: a measured shopper with a fitted body, a top with a chart and a packshot
    sent = []

    def delay(user_id, product_id):
        sent.append((user_id, product_id))
        tasks.draw_shape_view(user_id, product_id)

    monkeypatch.setattr(tasks.draw_shape_view, "delay", delay)
    user = user_create(email=EMAIL, password=PASSWORD, validate=False)
    give_measured_body(user, chest=93.0, waist=79.0)
    product = top_with_chart(name="Linen shirt")
    with_packshot(product)

    # when: the shopper signs in and opens the product
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + product.get_absolute_url())

    # then: the panel turns from "drawing" into the drawn sizes without a reload
    page.locator('#my-shape[data-my-shape="done"]').wait_for(timeout=20_000)
    image = page.locator("#my-shape img")
    # (the panel can turn "done" before its image has loaded: wait for the image itself)
    loaded = "() => { const img = document.querySelector('#my-shape img');"
    loaded += " return img && img.complete && img.naturalWidth > 0; }"
    page.wait_for_function(loaded, timeout=10_000)
    assert image.evaluate("img => img.naturalWidth") == 3 * 100 + 2 * 8
    labels = page.locator("#my-shape .my-shape-size").all_inner_texts()
    assert labels == ["S one size down", "M your size", "L one size up"]
    assert sent == [(user.pk, product.pk)]
    assert ShapeView.objects.get(user=user).status == ShapeView.Status.DONE
    screenshot(page, "my-shape")
