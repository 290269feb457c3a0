import re

import pytest
from django.core import mail

from accounts.models import ReferencePhoto, User
from catalog.demo import DEMO_PRODUCTS, seed_product
from tests.support.browser import screenshot


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_shopper_browses_signs_up_and_uploads_a_photo(live_server, page, people_dir):
    # given: a small demo catalogue
    for seed, demo in enumerate(DEMO_PRODUCTS[:4]):
        seed_product(demo, seed)

    # when: the shopper opens the catalogue
    page.goto(live_server.url + "/")

    # then: the grid shows the products with their images
    cards = page.locator("#product-grid .product-card")
    assert cards.count() == 4
    first_image = cards.first.locator("img")
    first_image.wait_for()
    assert page.evaluate("img => img.naturalWidth", first_image.element_handle()) > 0
    screenshot(page, "store-catalogue")

    # when: they open a product
    cards.first.locator("a").click()
    page.wait_for_url("**/products/**")
    assert page.locator(".size-picker input").count() == 5
    screenshot(page, "store-product")

    # when: they sign up
    page.get_by_role("link", name="Create account").click()
    page.fill("input[name=email]", "browser@example.com")
    page.fill("input[name=height_cm]", "168")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/signup/sent/")

    # when: they follow the e-mailed link and choose their password
    link = re.search(r"http://\S+/accounts/signup/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    page.fill("input[name=new_password1]", "silk-scarf-2026")
    page.fill("input[name=new_password2]", "silk-scarf-2026")
    page.get_by_role("button", name="Create account").click()

    # then: they land on their photos page, signed in
    page.wait_for_url("**/accounts/photos/")
    assert User.objects.filter(email="browser@example.com", height_cm=168).exists()

    # when: they upload a real photo of a person
    photo_path = sorted(people_dir.glob("onmodel_*.jpg"))[0]
    page.set_input_files("input[name=image]", str(photo_path))
    page.select_option("select[name=kind]", "full_body")
    page.get_by_role("button", name="Upload photo").click()

    # then: the photo is stored, listed and served to its owner
    tile = page.locator("#reference-photos .photo-tile")
    tile.first.wait_for()
    assert tile.count() == 1
    photo = ReferencePhoto.objects.get(user__email="browser@example.com")
    assert (photo.kind, photo.is_primary) == ("full_body", True)
    image = tile.first.locator("img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert page.evaluate("img => img.naturalWidth", image.element_handle()) == photo.width
    screenshot(page, "store-photos")
