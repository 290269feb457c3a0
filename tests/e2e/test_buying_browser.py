"""A new shopper buys a product rendered on them, in headless Chromium against a live server and a
REAL Celery worker (analyses, renders and the confirmation e-mail); the merchant then sees the order
in the admin. Screenshots go to ``artifacts/buying-*.png``.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.services import user_create
from catalog.demo import DEMO_PRODUCTS, seed_product
from catalog.models import ProductVariant
from orders.models import Order, OrderStatus
from tests.e2e.tryon_support import wait_for
from tests.support.browser import screenshot
from tryon.models import AnalysisStatus, ProductImageAnalysis

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

EMAIL, PASSWORD = "new-buyer@example.com", "linen-coat-2026"
ADMIN_EMAIL, ADMIN_PASSWORD = "merchant@example.com", "order-desk-2026"


def test_a_new_shopper_buys_a_product_rendered_on_them_and_the_merchant_sees_it(
    live_server, browser, page, people_dir, celery_worker_factory, settings
):
    settings.TRYON_RENDERER = "warp"
    # the card must show the render: the quality gate's threshold at 0 (the default gate holds every
    # warp-8 card back; its own browser test is in test_tryon_browser.py)
    settings.TRYON_QUALITY_THRESHOLD = 0.0
    # given a one-product demo catalogue analysed by a real worker, and a merchant account
    worker = celery_worker_factory(
        queues=("default", "preprocess", "render"),
        env={"TRYON_RENDERER": "warp", "TRYON_QUALITY_THRESHOLD": "0"},
    )
    demo = next(d for d in DEMO_PRODUCTS if d.kind == "top")
    product, _ = seed_product(demo, 0)
    medium = product.variants.get(size="M")
    stock_before = medium.stock
    wait_for(
        lambda: ProductImageAnalysis.objects.filter(status=AnalysisStatus.DONE).count() == 1,
        timeout=120,
        what="the product's analysis",
        worker=worker,
    )
    user_create(email=ADMIN_EMAIL, password=ADMIN_PASSWORD, is_staff=True, is_superuser=True, validate=False)

    # when a new shopper signs up and uploads a photo of themselves
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("input[name=email]", EMAIL)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/signup/sent/")
    link = re.search(r"http://\S+/accounts/signup/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    page.fill("input[name=new_password1]", PASSWORD)
    page.fill("input[name=new_password2]", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/photos/")
    page.set_input_files("input[name=image]", str(people_dir / "onmodel_01.jpg"))
    page.select_option("select[name=kind]", "full_body")
    page.get_by_role("button", name="Upload photo").click()
    page.locator('.tryon-findings[data-analysis-status="done"]').wait_for(timeout=60_000)

    # then the catalogue card turns into a render of the product on them; they open it
    page.goto(live_server.url + "/")
    page.wait_for_function(
        "() => document.querySelectorAll('.tryon-layer[data-status=done] img.tryon-render').length === 1",
        timeout=90_000,
    )
    page.locator(".product-card-link").first.click()
    page.locator('#tryon-product [data-tryon-pane="tryon"] .tryon-frame[data-status="done"] img').wait_for(
        timeout=60_000
    )

    # when they pick size M and add it to the cart
    assert page.locator("input[name=variant]:checked").get_attribute("data-size") == "XS"  # first in stock
    page.locator('input[name=variant][data-size="M"] + span').click()
    assert page.locator("input[name=variant]:checked").get_attribute("data-size") == "M"
    screenshot(page, "buying-product")
    page.get_by_role("button", name="Add to cart").click()

    # then the cart shows the line and the header counts it
    page.wait_for_url("**/cart/")
    assert page.locator(".cart-count").inner_text() == "1"
    assert page.locator(".cart-line").count() == 1
    assert "M" in page.locator(".cart-line td").nth(1).inner_text()
    screenshot(page, "buying-cart")

    # when they check out with their address
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout/")
    assert page.locator("input[name=email]").input_value() == EMAIL
    page.fill("input[name=full_name]", "Grace Hopper")
    page.fill("input[name=address_line1]", "1 Harbour Street")
    page.fill("input[name=postcode]", "1011 AB")
    page.fill("input[name=city]", "Amsterdam")
    page.fill("input[name=country]", "Netherlands")
    screenshot(page, "buying-checkout")
    page.get_by_role("button", name="Place order").click()

    # then they see the order, awaiting payment, with the size they picked; the stock is taken
    page.wait_for_url("**/orders/AT-*/")
    order = Order.objects.get(user__email=EMAIL)
    assert page.locator(".order-status").inner_text() == "Awaiting payment"
    assert page.locator(".order-line td").nth(1).inner_text() == "M"
    assert ProductVariant.objects.get(pk=medium.pk).stock == stock_before - 1
    assert page.locator(".cart-count").count() == 0  # the cart is empty now
    screenshot(page, "buying-order")
    page.goto(live_server.url + "/orders/")
    assert order.number in page.locator(".order-history").inner_text()
    # and the worker sent the confirmation e-mail
    wait_for(
        lambda: Order.objects.filter(pk=order.pk, confirmation_sent_at__isnull=False).exists(),
        timeout=60,
        what="the confirmation e-mail",
        worker=worker,
    )

    # when the merchant opens the orders in the admin
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = context.new_page()
    admin.goto(live_server.url + "/admin/login/?next=/admin/orders/order/")
    admin.fill("input[name=username]", ADMIN_EMAIL)
    admin.fill("input[name=password]", ADMIN_PASSWORD)
    admin.locator("input[type=submit]").click()
    admin.wait_for_url("**/admin/orders/order/")

    # then the order is listed; they open it and mark it paid
    assert order.number in admin.locator("#result_list").inner_text()
    screenshot(admin, "buying-admin-orders")
    admin.get_by_role("link", name=order.number).click()
    admin.select_option("select[name=status]", "paid")
    admin.locator("input[name=_save]").click()
    admin.wait_for_url("**/admin/orders/order/")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
    screenshot(admin, "buying-admin-paid")
    context.close()
