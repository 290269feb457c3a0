"""The walk-through of issue 15 in headless Chromium, on a phone (390x844), against a live server and a
REAL Celery worker: e-mail case at sign-in, a too-small photo, a photo with nobody in it, an upper-body
photo (bottoms need a full-body photo; progress completes), the product page's note, deleting the
main photo, the phone menu and the outfit result near its button.

Screenshots go to ``artifacts/walkthrough-*.png``.
"""

from __future__ import annotations

import re

import pytest
from PIL import Image

from accounts.models import ReferencePhoto
from accounts.services import user_create
from catalog.demo import DEMO_PRODUCTS, packshot_file, seed_product
from catalog.services import product_images_schedule_missing_thumbnails
from tests.e2e.tryon_support import wait_for
from tests.support.browser import screenshot
from tryon import services as tryon_services
from tryon.models import AnalysisStatus, ProductImageAnalysis, ReferencePhotoAnalysis

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
EMAIL = "walk.through@example.com"
PASSWORD = "linen-trench-2026"


def _catalogue():
    """A top, trousers and a dress from the demo catalogue."""
    wanted = {"top": 1, "bottom": 1, "dress": 1}
    chosen = []
    for demo in DEMO_PRODUCTS:
        if wanted.get(demo.kind) and (demo.kind != "bottom" or "trousers" in demo.name.lower()):
            wanted[demo.kind] -= 1
            chosen.append(demo)
    return {demo.kind: seed_product(demo, seed)[0] for seed, demo in enumerate(chosen)}


def _photo_files(tmp_path, people_dir):
    """A too-small picture, one with nobody in it, an upper-body crop and a full-body photo."""
    files = {}
    Image.new("RGB", (200, 300), (180, 170, 160)).save(tmp_path / "tiny.png")
    files["tiny"] = tmp_path / "tiny.png"
    empty = Image.new("RGB", (400, 500), (200, 210, 220))
    empty.paste(Image.new("RGB", (200, 120), (120, 140, 90)), (100, 300))
    empty.save(tmp_path / "empty-room.png")
    files["empty"] = tmp_path / "empty-room.png"
    full = Image.open(people_dir / "onmodel_01.jpg")
    full.crop((0, 0, full.width, full.height // 2)).save(tmp_path / "upper-body.jpg", quality=92)
    files["upper"] = tmp_path / "upper-body.jpg"
    files["full"] = people_dir / "onmodel_01.jpg"
    return files


def _upload(page, url, path, kind="front"):
    page.goto(url + "/accounts/photos/")
    page.set_input_files("input[name=image]", str(path))
    page.select_option("select[name=kind]", kind)
    with page.expect_navigation():
        page.get_by_role("button", name="Upload photo").click()


def _top_in_viewport(page, selector) -> float:
    return page.evaluate("s => document.querySelector(s).getBoundingClientRect().top", selector)


def test_walkthrough_on_a_phone(live_server, browser, people_dir, celery_worker_factory, settings, tmp_path):
    # The render quality gate (TRYON_QUALITY_GATE) is not what this walk-through checks: off.
    settings.TRYON_RENDERER, settings.TRYON_QUALITY_GATE = "warp", False
    worker = celery_worker_factory(
        queues=("default", "preprocess", "render"), env={"TRYON_RENDERER": "warp", "TRYON_QUALITY_GATE": "0"}
    )
    products = _catalogue()
    wait_for(
        lambda: ProductImageAnalysis.objects.filter(status=AnalysisStatus.DONE).count() == len(products),
        timeout=120,
        what="the catalogue's analyses",
        worker=worker,
    )
    user = user_create(email=EMAIL, password=PASSWORD, validate=False)
    files = _photo_files(tmp_path, people_dir)
    url = live_server.url
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(20_000)

    # --- point 10: one header line with a menu button; products high on the first screen
    page.goto(url + "/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 70
    assert page.locator(".menu-button").is_visible()
    assert not page.locator("#main-nav").is_visible()
    first_card = _top_in_viewport(page, "#product-grid .product-card")
    assert first_card < PHONE["height"] * 0.45, first_card
    screenshot(page, "walkthrough-phone-catalogue", full_page=False)
    page.locator(".menu-button").click()
    assert page.locator("#main-nav").get_by_role("link", name="Sign in").is_visible()
    screenshot(page, "walkthrough-phone-menu", full_page=False)

    # --- point 4: signing in with capitals in the e-mail address works
    page.goto(url + "/accounts/login/")
    page.fill("input[name=username]", "Walk.Through@Example.COM")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/")
    assert page.locator("#tryon-invite").inner_text().startswith("Add a photo of yourself")

    # --- point 7: a photo below 256 pixels is refused with the reason, nothing is stored
    _upload(page, url, files["tiny"])
    assert "This photo is too small (200×300 pixels)" in page.locator(".field-error").inner_text()
    assert ReferencePhoto.objects.filter(user=user).count() == 0
    screenshot(page, "walkthrough-photo-too-small")

    # --- point 5: a photo with nobody in it is kept, marked unusable, and never the main photo
    _upload(page, url, files["empty"])
    page.locator('.tryon-findings[data-analysis-status="failed"]').wait_for(timeout=60_000)
    empty = ReferencePhoto.objects.get(user=user)
    wait_for(lambda: not ReferencePhoto.objects.get(pk=empty.pk).is_primary, timeout=20, what="the demotion")
    page.reload()
    tile = page.locator(f'.photo-tile[data-photo-id="{empty.pk}"]')
    assert tile.get_attribute("data-usable") == "false"
    assert "Cannot be used" in tile.inner_text()
    assert tile.get_by_role("button", name="Make main").count() == 0
    screenshot(page, "walkthrough-photo-no-person")
    page.goto(url + "/")
    assert page.locator(".tryon-layer").count() == 0  # no error repeated on every card
    assert "No main photo." in page.locator("#tryon-invite").inner_text()
    screenshot(page, "walkthrough-catalogue-no-usable-photo")

    # --- points 1 and 3: an upper-body photo; bottoms say they need a full-body photo; progress completes
    _upload(page, url, files["upper"])
    upper = ReferencePhoto.objects.filter(user=user).exclude(pk=empty.pk).get()
    assert upper.is_primary is True
    wait_for(
        lambda: ReferencePhotoAnalysis.objects.filter(photo=upper, status=AnalysisStatus.DONE).exists(),
        timeout=60,
        what="the upper-body photo's analysis",
        worker=worker,
    )
    page.goto(url + "/")
    page.locator('#tryon-bar[data-finished="true"]').wait_for(timeout=90_000)
    trousers = page.locator(f'.tryon-layer[data-tryon-product="{products["bottom"].pk}"]')
    assert trousers.get_attribute("data-status") == "unavailable"
    assert trousers.locator(".tryon-reason").inner_text() == (
        "Needs a full-body photo: yours shows only your upper body, so this is the product photo."
    )
    assert trousers.locator("img.tryon-render").count() == 0
    count = page.locator(".tryon-count").inner_text()
    done, total = (int(n) for n in re.match(r"(\d+) of (\d+) on you", count).groups())
    unavailable = int(page.locator("#tryon-as-photos-count").inner_text())
    assert (total, done + unavailable, unavailable >= 1) == (3, 3, True)
    assert f"{unavailable} shown as product photo{'s' if unavailable > 1 else ''}" in count
    assert page.locator("#tryon-fix").is_visible()
    assert "shown on the model instead" not in page.content()
    page.wait_for_timeout(600)
    screenshot(page, "walkthrough-upper-body-catalogue", full_page=False)

    # --- point 6: the trousers' page says nothing was rendered, and how to fix it
    page.goto(url + products["bottom"].get_absolute_url())
    note = page.locator("#tryon-side-note")
    assert "Not rendered on you, so the product photo is shown." in note.inner_text()
    assert "rendered on your photo." not in note.inner_text()
    assert note.get_by_role("link", name="upload a full-body photo").is_visible()
    screenshot(page, "walkthrough-product-not-rendered")
    page.goto(url + products["top"].get_absolute_url())
    page.locator('#tryon-product[data-note="done-tryon"]').wait_for(timeout=30_000)
    assert page.locator('[data-tryon-pane="tryon"] img.tryon-render').get_attribute("alt") == (
        f"{products['top'].name} on you"
    )

    # --- point 2: deleting the main photo asks which photo replaces it
    _upload(page, url, files["full"], kind="full_body")
    full = ReferencePhoto.objects.filter(user=user).exclude(pk__in=[empty.pk, upper.pk]).get()
    page.locator(
        f'.photo-tile[data-photo-id="{full.pk}"] .tryon-findings[data-analysis-status="done"]'
    ).wait_for(timeout=60_000)
    page.locator(f'.photo-tile[data-photo-id="{upper.pk}"]').get_by_role("link", name="Delete").click()
    page.wait_for_url(f"**/accounts/photos/{upper.pk}/delete/")
    options = page.locator('input[name="new_primary"]')
    assert [options.nth(i).get_attribute("value") for i in range(options.count())] == [str(full.pk), ""]
    assert ReferencePhoto.objects.filter(pk=upper.pk).exists()
    screenshot(page, "walkthrough-delete-main-photo")
    page.get_by_role("button", name="Delete photo").click()
    page.wait_for_url("**/accounts/photos/")
    assert "Your main photo is now your full body photo from" in page.locator(".messages").inner_text()
    assert ReferencePhoto.objects.get(pk=full.pk).is_primary is True
    screenshot(page, "walkthrough-main-photo-replaced")

    # --- point 10: the outfit result appears near the button on a phone
    wait_for(
        lambda: ReferencePhotoAnalysis.objects.filter(photo=full, status=AnalysisStatus.DONE).exists(),
        timeout=60,
        what="the full-body photo's analysis",
    )
    page.goto(url + "/tryon/outfit/")
    page.locator(f'input[name=top][value="{products["top"].pk}"]').check(force=True)
    page.locator(f'input[name=bottom][value="{products["bottom"].pk}"]').check(force=True)
    button = page.get_by_role("button", name="See it on me")
    box = button.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]  # in reach while choosing
    button.click()
    page.wait_for_url("**/tryon/outfit/?render=*")
    page.locator('.outfit-result .tryon-frame[data-status="done"] img.tryon-render').wait_for(timeout=90_000)
    result_top = _top_in_viewport(page, "#outfit-result")
    assert 0 <= result_top < PHONE["height"] / 2, result_top
    page.wait_for_timeout(600)
    screenshot(page, "walkthrough-phone-outfit", full_page=False)
    context.close()


def test_admin_product_page_updates_thumbnails_and_analysis_without_a_reload(
    live_server, page, celery_worker_factory, settings, tmp_path
):
    # given a product with no image yet, and a merchant on its admin page (no worker running yet)
    settings.TRYON_RENDERER = "warp"
    demo = next(d for d in DEMO_PRODUCTS if d.kind == "top")
    product = seed_product(demo, 0)[0]
    product.images.all().delete()
    user_create(
        email="merchant@example.com", password=PASSWORD, is_staff=True, is_superuser=True, validate=False
    )
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "merchant@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + f"/admin/catalog/product/{product.pk}/change/")

    # when they add a packshot (drawn, no landmarks given) and save
    file, _landmarks = packshot_file(demo, 1)
    path = tmp_path / "packshot.png"
    path.write_bytes(file.read())
    page.set_input_files("input[name=images-0-image]", str(path))
    page.select_option("select[name=images-0-role]", "packshot")
    page.click("input[name=_continue]")
    page.wait_for_url(f"**/admin/catalog/product/{product.pk}/change/")
    image = product.images.get()
    page.evaluate("window.__sameDocument = true")

    # then the page shows the work in progress
    assert page.locator(f'[data-image-thumb="{image.pk}"]').inner_text() == "being made…"
    assert page.locator(f'[data-image-analysis="{image.pk}"]').get_attribute("data-status") == "pending"
    screenshot(page, "walkthrough-admin-product-waiting")

    # when a worker makes the thumbnail and the analysis, the page updates by itself (the factory
    # starts the worker on purged queues, so the work is queued again as after a worker outage)
    celery_worker_factory(queues=("default", "preprocess"), env={"TRYON_RENDERER": "warp"})
    assert product_images_schedule_missing_thumbnails() == 1
    tryon_services.product_image_schedule_analysis(product_image=image)
    page.locator(f'[data-image-thumb="{image.pk}"] img').wait_for(timeout=90_000)
    page.locator(f'[data-image-analysis="{image.pk}"][data-status="done"]').wait_for(timeout=90_000)
    assert page.evaluate("window.__sameDocument") is True
    assert page.locator(f'[data-image-landmarks="{image.pk}"]').inner_text() == "Estimated from the outline"
    screenshot(page, "walkthrough-admin-product-ready")

    # and the product list shows the thumbnail and the try-on state
    page.goto(live_server.url + "/admin/catalog/product/")
    thumbnail = page.get_by_role("img", name=product.name)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    assert "1 ready for try-on" in page.locator("#result_list").inner_text()
    screenshot(page, "walkthrough-admin-product-list")
