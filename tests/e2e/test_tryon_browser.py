"""The shopper's try-on in headless Chromium, against a live server and a REAL Celery worker.

Screenshots go to ``artifacts/tryon-*.png``.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.services import user_create
from catalog.demo import DEMO_PRODUCTS, seed_product
from catalog.services import product_image_create
from tests.e2e.tryon_support import wait_for
from tests.support.browser import screenshot
from tryon.models import AnalysisStatus, ProductImageAnalysis

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


def _demo_catalogue():
    chosen, kinds = [], {}
    for demo in DEMO_PRODUCTS:
        if kinds.get(demo.kind, 0) < (2 if demo.kind == "top" else 1):
            kinds[demo.kind] = kinds.get(demo.kind, 0) + 1
            chosen.append(demo)
    return [seed_product(demo, seed)[0] for seed, demo in enumerate(chosen)]


def _sign_in(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", "velvet-blazer-2026")
    page.get_by_role("button", name="Sign in").click()


def _upload_photo(page, live_server, people_dir) -> None:
    """A real full-body photo uploaded on My photos; returns once its findings are shown."""
    page.goto(live_server.url + "/accounts/photos/")
    page.set_input_files("input[name=image]", str(people_dir / "onmodel_01.jpg"))
    page.select_option("select[name=kind]", "full_body")
    page.get_by_role("button", name="Upload photo").click()
    page.locator('.tryon-findings[data-analysis-status="done"]').wait_for(timeout=60_000)


def test_shopper_sees_the_catalogue_turn_into_renders(
    live_server, page, people_dir, celery_worker_factory, settings
):
    settings.TRYON_RENDERER = "warp"
    # given a demo catalogue analysed by a real worker, and a shopper account; the quality gate's
    # threshold at 0 so that every card is shown (the default gate is the next test's)
    settings.TRYON_QUALITY_THRESHOLD = 0.0
    worker = celery_worker_factory(
        queues=("default", "preprocess", "render"),
        env={"TRYON_RENDERER": "warp", "TRYON_QUALITY_THRESHOLD": "0"},
    )
    products = _demo_catalogue()
    # one top also has a photo of a model wearing it: "the model in my pose" is offered for it
    worn = next(p for p in products if p.garment_kind == "top")
    product_image_create(
        product=worn,
        file=SimpleUploadedFile("worn.jpg", (people_dir / "onmodel_02.jpg").read_bytes(), "image/jpeg"),
        role="on_model",
    )
    wait_for(
        lambda: ProductImageAnalysis.objects.filter(status=AnalysisStatus.DONE).count() == len(products) + 1,
        timeout=120,
        what="the catalogue's analyses",
        worker=worker,
    )
    user_create(email="browser-tryon@example.com", password="velvet-blazer-2026", validate=False)

    # when the shopper signs in: the catalogue invites them to add a photo
    _sign_in(page, live_server, "browser-tryon@example.com")
    page.goto(live_server.url + "/")
    assert "Add a photo of yourself" in page.locator("#tryon-invite").inner_text()

    # when they upload a real photo: its findings appear in plain words
    _upload_photo(page, live_server, people_dir)
    screenshot(page, "tryon-photos")

    # then on the catalogue the cards turn into renders by themselves, without a reload
    page.goto(live_server.url + "/")
    page.evaluate("window.__sameDocument = true")
    cards = page.locator(".tryon-layer[data-tryon-product]")
    assert cards.count() == len(products)
    page.wait_for_function(
        "n => document.querySelectorAll('.tryon-layer[data-status=done] img.tryon-render').length === n",
        arg=len(products),
        timeout=90_000,
    )
    assert page.evaluate("window.__sameDocument") is True
    page.wait_for_function(
        "n => document.getElementById('tryon-done').textContent === String(n)",
        arg=len(products),
        timeout=20_000,
    )
    page.wait_for_timeout(600)  # let the fade-in finish for the screenshot
    screenshot(page, "tryon-catalogue-on-me")

    # when they switch the grid to the originals, the choice is remembered across pages
    page.get_by_role("button", name="Original").click()
    assert page.evaluate("document.documentElement.dataset.tryonView") == "original"
    screenshot(page, "tryon-catalogue-original")
    page.reload()
    assert page.evaluate("document.documentElement.dataset.tryonView") == "original"
    page.get_by_role("button", name="On me").click()

    # when they open a product with an on-model photo: the render is large, the original beside it,
    # and the pose view
    page.goto(live_server.url + worn.get_absolute_url())
    page.locator('#tryon-product [data-tryon-pane="tryon"] .tryon-frame[data-status="done"] img').wait_for()
    assert page.locator(".tryon-original img").count() == 1
    screenshot(page, "tryon-product")
    page.get_by_role("tab", name="The model in my pose").click()
    page.locator('[data-tryon-pane="pose"] .tryon-frame[data-status]').wait_for()
    page.wait_for_function(
        "() => ['done','unavailable','failed'].includes("
        "document.querySelector('[data-tryon-pane=pose] .tryon-frame').dataset.status)",
        timeout=60_000,
    )
    screenshot(page, "tryon-product-pose")

    # when they build an outfit from a top and a bottom, it is rendered on them
    top = next(p for p in products if p.garment_kind == "top")
    bottom = next(p for p in products if p.garment_kind == "bottom")
    page.goto(live_server.url + "/tryon/outfit/")
    page.locator(f'input[name=top][value="{top.pk}"]').check(force=True)
    page.locator(f'input[name=bottom][value="{bottom.pk}"]').check(force=True)
    page.get_by_role("button", name="See it on me").click()
    page.wait_for_url("**/tryon/outfit/?render=*")
    page.locator('.outfit-result .tryon-frame[data-status="done"] img.tryon-render').wait_for(timeout=60_000)
    page.wait_for_timeout(600)
    screenshot(page, "tryon-outfit")


def test_with_the_default_gate_low_confidence_cards_show_the_product_photo_and_say_why(
    live_server, page, people_dir, celery_worker_factory, settings
):
    from ml.quality import GATE
    from tryon.models import Render, RenderStatus

    settings.TRYON_RENDERER = "warp"
    # given the default quality gate, a small demo catalogue and a shopper with an analysed photo
    worker = celery_worker_factory(queues=("default", "preprocess", "render"), env={"TRYON_RENDERER": "warp"})
    products = _demo_catalogue()
    wait_for(
        lambda: ProductImageAnalysis.objects.filter(status=AnalysisStatus.DONE).count() == len(products),
        timeout=120,
        what="the catalogue's analyses",
        worker=worker,
    )
    user_create(email="browser-gate@example.com", password="velvet-blazer-2026", validate=False)
    _sign_in(page, live_server, "browser-gate@example.com")
    _upload_photo(page, live_server, people_dir)

    # when the catalogue has finished rendering
    page.goto(live_server.url + "/")
    page.wait_for_function(
        "n => document.querySelectorAll("
        "'.tryon-layer[data-status=done], .tryon-layer[data-status=held_back]').length === n",
        arg=len(products),
        timeout=90_000,
    )
    page.wait_for_timeout(600)
    screenshot(page, "tryon-catalogue-gated")

    # then every card under the gate's threshold shows the product photo with its reason, and the
    # bar counts them as product photos; the cards above it show the render
    renders = list(Render.objects.filter(mode="tryon", kind="card"))
    held = [r for r in renders if r.status == RenderStatus.HELD_BACK]
    assert len(renders) == len(products)
    assert {r.pk for r in held} == {r.pk for r in renders if r.confidence < GATE.threshold}
    assert page.locator(".tryon-layer[data-status=held_back] img.tryon-render").count() == 0
    reasons = page.locator(".tryon-layer[data-status=held_back] .tryon-reason").all_inner_texts()
    assert len(reasons) == len(held)
    assert all(text.startswith("We couldn't show this one on your photo convincingly") for text in reasons)
    bar = page.locator(".tryon-count").inner_text()
    assert bar.startswith(f"{len(renders) - len(held)} of {len(products)} on you")
    if held:
        assert f"{len(held)} shown as product photos" in bar
