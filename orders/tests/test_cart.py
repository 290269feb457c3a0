import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from catalog.tests.factories import ProductVariantFactory
from orders.models import CART_MAX_QUANTITY, CartItem
from orders.selectors import SESSION_CART_KEY, cart_get
from orders.services import cart_item_add
from orders.tests.factories import variant_in_stock

pytestmark = pytest.mark.django_db


def _add(client, variant, quantity=1):
    return client.post("/cart/add/", {"variant": variant.pk, "quantity": quantity})


def test_a_guest_cart_lives_in_the_session_and_the_header_counts_it(client):
    # given
    variant = variant_in_stock(stock=5, price="49.00")

    # when
    response = _add(client, variant, 2)

    # then
    assert response.status_code == 302 and response["Location"] == "/cart/"
    assert client.session[SESSION_CART_KEY] == {str(variant.pk): {"quantity": 2, "price_seen": "49.00"}}
    assert CartItem.objects.count() == 0
    page = client.get("/cart/").content.decode()
    assert 'data-cart-count="2"' in page
    assert "€98.00" in page


def test_the_guest_cart_merges_into_the_account_cart_on_sign_in(client):
    # given an account that already holds one M, and a guest cart with two M and one L
    user = UserFactory(email="merge@example.com")
    medium, large = variant_in_stock(stock=9), variant_in_stock(stock=9, size="L")
    cart_item_add(user=user, session=None, variant=medium, quantity=1)
    _add(client, medium, 2)
    _add(client, large, 1)

    # when the guest signs in
    response = client.post(
        "/accounts/login/", {"username": "merge@example.com", "password": DEFAULT_PASSWORD}
    )

    # then the quantities add up in the account's cart and the guest cart is gone
    assert response.status_code == 302
    assert sorted(CartItem.objects.filter(user=user).values_list("variant_id", "quantity")) == sorted(
        [(medium.pk, 3), (large.pk, 1)]
    )
    assert SESSION_CART_KEY not in client.session
    assert 'data-cart-count="4"' in client.get("/cart/").content.decode()


def test_the_guest_cart_merges_on_sign_up_and_is_capped_at_the_line_maximum(client):
    # given a guest cart at the maximum of one size
    variant = variant_in_stock(stock=50)
    _add(client, variant, CART_MAX_QUANTITY)

    # when they create an account: the sign-up e-mail's link chooses the password and signs them in
    client.post("/accounts/signup/", {"email": "new@example.com"})
    link = re.search(r"https?://\S+/signup/confirm/\S+", mail.outbox[-1].body).group(0)
    path = urlsplit(link).path
    response = client.post(path, {"new_password1": "tweed-jacket-2026", "new_password2": "tweed-jacket-2026"})

    # then
    assert response.status_code == 302
    item = CartItem.objects.get(user__email="new@example.com")
    assert (item.variant_id, item.quantity) == (variant.pk, CART_MAX_QUANTITY)


def test_a_sold_out_size_cannot_be_added_and_nothing_is_stored(client):
    # given
    variant = variant_in_stock(stock=0)

    # when
    response = _add(client, variant)

    # then
    assert response.status_code == 302
    assert SESSION_CART_KEY not in client.session
    page = client.get("/cart/").content.decode()
    assert "is sold out in size M." in page
    assert "Your cart is empty." in page


def test_more_than_the_stock_cannot_be_added():
    user = UserFactory()
    variant = variant_in_stock(stock=2)
    cart_item_add(user=user, session=None, variant=variant, quantity=2)
    with pytest.raises(ValidationError) as error:
        cart_item_add(user=user, session=None, variant=variant, quantity=1)
    assert error.value.messages == [f"Only 2 left of {variant.product.name} in size M."]
    assert CartItem.objects.get(user=user).quantity == 2


def test_the_cart_rechecks_prices_and_stock_when_shown(client):
    # given a signed-in shopper's cart, then the merchant changes a price and sells out a size
    user = UserFactory()
    client.force_login(user)
    cheaper, gone = variant_in_stock(stock=3, price="40.00"), variant_in_stock(stock=3, price="20.00")
    _add(client, cheaper)
    _add(client, gone, 2)
    cheaper.product.price = Decimal("35.00")
    cheaper.product.save()
    gone.stock = 1
    gone.save()

    # when the cart is shown twice
    first = client.get("/cart/").content.decode()
    second = client.get("/cart/").content.decode()

    # then the first view reports the price change (once) and the short stock; checkout is held back
    assert "The price changed from €40.00 to €35.00." in first
    assert "The price changed" not in second
    assert f"Only 1 left of {gone.product.name} in size M: please lower the quantity." in second
    assert 'id="checkout-link"' not in second
    cart = cart_get(user=user)
    assert (cart.subtotal, cart.can_checkout) == (Decimal("35.00"), False)


def test_quantity_change_and_removal_only_touch_the_shoppers_own_lines(client):
    # given
    user, other = UserFactory(), UserFactory()
    mine, theirs = variant_in_stock(stock=5), variant_in_stock(stock=5)
    cart_item_add(user=user, session=None, variant=mine, quantity=1)
    cart_item_add(user=other, session=None, variant=theirs, quantity=1)
    client.force_login(user)

    # when / then
    assert client.post(f"/cart/items/{mine.pk}/", {"quantity": 3}).status_code == 302
    assert CartItem.objects.get(user=user).quantity == 3
    assert client.post(f"/cart/items/{theirs.pk}/", {"quantity": 3}).status_code == 404
    assert client.post(f"/cart/items/{theirs.pk}/remove/").status_code == 404
    assert CartItem.objects.get(user=other).quantity == 1
    assert client.post(f"/cart/items/{mine.pk}/", {"quantity": 0}).status_code == 302
    assert CartItem.objects.filter(user=user).exists() is False


def test_a_product_in_another_currency_is_refused():
    user = UserFactory()
    cart_item_add(user=user, session=None, variant=variant_in_stock(currency="EUR"), quantity=1)
    dollars = variant_in_stock(currency="USD")
    with pytest.raises(ValidationError):
        cart_item_add(user=user, session=None, variant=dollars, quantity=1)
    assert CartItem.objects.filter(user=user).count() == 1


def test_the_product_page_preselects_the_recommended_size_when_in_stock(rf):
    # given a size advice hook that recommends L (sold out) or M (in stock)
    from django.template.loader import render_to_string

    variant_s = variant_in_stock(stock=2, size="S")
    product = variant_s.product
    medium = ProductVariantFactory(product=product, size="M", stock=1)
    large = ProductVariantFactory(product=product, size="L", stock=0)
    variants = [variant_s, medium, large]

    def checked(recommended):
        html = render_to_string(
            "catalog/_size_picker.html", {"variants": variants, "recommended_size": recommended}
        )
        return [v.size for v in variants if f'value="{v.pk}" data-size="{v.size}" checked' in html]

    # then
    assert checked("m") == ["M"]
    assert checked("L") == ["S"]  # sold out: the first size in stock instead
    assert checked(None) == ["S"]
    assert large.in_stock is False
