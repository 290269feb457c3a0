"""Per-shopper page cache (``shop.pagecache``): catalogue pages, product pages, ``/api/v1/me/cards/``.

A page is served from the cache while nothing it shows changed, with few queries; any change of
the shopper (cart, photos, profile) or of the catalogue drops it; work in progress, guests and
pending messages are never cached.
"""

from __future__ import annotations

import pytest
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tests.factories import ReferencePhotoFactory, UserFactory
from catalog.tests.factories import ProductFactory, ProductImageFactory, ProductVariantFactory
from orders.services import cart_item_add
from shop.pagecache import HIT_HEADER
from tryon.models import AnalysisStatus, ReferencePhotoAnalysis

pytestmark = pytest.mark.django_db

# Queries of a page served from the cache: the user (the session and the versions are in the cache).
CACHED_PAGE_MAX_QUERIES = 1
CACHED_API_MAX_QUERIES = 1


@pytest.fixture
def catalogue():
    products = [ProductFactory(name=f"Linen shirt {n}") for n in range(3)]
    for product in products:
        ProductImageFactory(product=product)
        ProductVariantFactory(product=product, size="M", stock=5)
    return products


@pytest.fixture
def shopper(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _hit(response) -> bool:
    return response.get(HIT_HEADER) == "hit"


def _twice(client, url):
    """The first visit gets the CSRF cookie, the second is stored: the next one can be a hit."""
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert not _hit(first) and not _hit(second)
    return second


@pytest.mark.parametrize("page", ["catalogue", "product"])
def test_a_page_seen_again_comes_from_the_cache_with_few_queries(
    client, shopper, catalogue, page, django_assert_max_num_queries
):
    # given a page the shopper has seen
    url = "/" if page == "catalogue" else catalogue[0].get_absolute_url()
    stored = _twice(client, url)

    # when they see it again
    with django_assert_max_num_queries(CACHED_PAGE_MAX_QUERIES):
        again = client.get(url)

    # then it is the same page, from the cache
    assert _hit(again)
    assert again.content == stored.content
    assert again["Content-Type"] == stored["Content-Type"]


def test_the_cache_is_per_shopper_and_per_address(client, shopper, catalogue):
    # given the shopper's catalogue page is cached
    _twice(client, "/")

    # when another shopper opens the same page, and the first one a search
    client.force_login(UserFactory())
    other = client.get("/")
    client.force_login(shopper)
    search = client.get("/?q=shirt+1")

    # then neither is served the cached page
    assert not _hit(other) and not _hit(search)
    assert search.content.count(b"Linen shirt") < client.get("/").content.count(b"Linen shirt")


def test_adding_to_the_cart_drops_the_shoppers_pages(
    client, shopper, catalogue, django_capture_on_commit_callbacks
):
    # given a cached product page
    url = catalogue[0].get_absolute_url()
    _twice(client, url)
    assert _hit(client.get(url))

    # when the shopper adds to the cart
    with django_capture_on_commit_callbacks(execute=True):
        cart_item_add(user=shopper, session=None, variant=catalogue[0].variants.get())

    # then the page is made again (the header counts the cart)
    again = client.get(url)
    assert not _hit(again)
    assert again.context["CART_COUNT"] == 1


def test_a_catalogue_change_drops_every_shoppers_pages(
    client, shopper, catalogue, django_capture_on_commit_callbacks
):
    # given a cached catalogue page
    _twice(client, "/")
    assert _hit(client.get("/"))

    # when the merchant renames a product
    with django_capture_on_commit_callbacks(execute=True):
        catalogue[1].name = "Wool coat"
        catalogue[1].save()

    # then the page is made again and shows it
    again = client.get("/")
    assert not _hit(again)
    assert b"Wool coat" in again.content


def test_a_new_photo_drops_the_shoppers_pages_and_its_analysis_keeps_them_uncached(
    client, shopper, catalogue, django_capture_on_commit_callbacks
):
    # given a cached catalogue page
    _twice(client, "/")

    # when a photo is stored and is being analysed
    with django_capture_on_commit_callbacks(execute=True):
        photo = ReferencePhotoFactory(user=shopper, is_primary=True)
        ReferencePhotoAnalysis.objects.create(photo=photo, owner=shopper, status=AnalysisStatus.PENDING)

    # then the page is made afresh on every visit while the analysis runs (it changes by itself)
    assert [_hit(client.get("/")) for _ in range(3)] == [False, False, False]


def test_pages_with_a_message_to_show_are_not_served_from_the_cache(client, shopper, catalogue):
    # given a cached catalogue page
    _twice(client, "/")
    assert _hit(client.get("/"))

    # when a message waits for the shopper (e.g. after an action that redirected here)
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "Added to your cart.")
    response = client.get("/")  # the cached page, still
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value

    # then the page is made with the message (and not stored with it)
    shown = client.get("/")
    assert not _hit(shown)
    assert [m.message for m in get_messages(shown.wsgi_request)] == ["Added to your cart."]
    assert b"Added to your cart." in shown.content
    assert b"Added to your cart." not in client.get("/").content


def test_guests_and_clients_without_the_csrf_cookie_are_not_cached(client, catalogue):
    # given a guest
    # when they visit twice
    # then nothing comes from the cache
    assert [_hit(client.get("/")) for _ in range(3)] == [False, False, False]


def test_the_cards_api_comes_from_the_cache_with_few_queries_until_the_catalogue_changes(
    catalogue, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    # given a token client that has read its cards
    user = UserFactory()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    first = api.get("/api/v1/me/cards/?page_size=2")
    assert first.status_code == 200 and not _hit(first)

    # when it reads them again
    with django_assert_max_num_queries(CACHED_API_MAX_QUERIES):
        again = api.get("/api/v1/me/cards/?page_size=2")

    # then the same answer comes (from the cache), and another page is its own entry
    assert _hit(again)
    assert again.json() == first.json()
    assert [c["slug"] for c in again.json()["results"]] == [p.slug for p in catalogue[::-1][:2]]
    assert api.get("/api/v1/me/cards/?page=2&page_size=2").json()["results"][0]["slug"] == catalogue[0].slug
    # and a product change is seen at once
    with django_capture_on_commit_callbacks(execute=True):
        catalogue[2].name = "Wool coat"
        catalogue[2].save()
    assert api.get("/api/v1/me/cards/?page_size=2").json()["results"][0]["name"] == "Wool coat"


def test_with_signed_media_urls_an_entry_lives_at_most_half_their_lifetime(settings):
    # given pages kept 300 s
    from shop.pagecache import ttl_seconds
    from tests.support.s3 import s3_storages

    settings.PAGE_CACHE_TTL_S = 300
    assert ttl_seconds() == 300
    # when media URLs are S3 URLs signed for 120 s
    settings.STORAGES = s3_storages(settings.STORAGES, "http://127.0.0.1:9", expire=120)
    # then an entry lives 60 s at most (a cached page never hands out an expired URL)
    assert ttl_seconds() == 60


def test_pages_are_not_stored_while_the_body_is_being_measured(client, shopper, catalogue):
    # given the shopper's body is being measured (the size advice will change by itself)
    from accounts.models import BodyMeasurements

    BodyMeasurements.objects.create(user=shopper, status=BodyMeasurements.Status.PENDING)

    # when they see a product page again and again
    url = catalogue[0].get_absolute_url()

    # then it is made afresh every time
    assert [_hit(client.get(url)) for _ in range(3)] == [False, False, False]
