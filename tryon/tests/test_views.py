"""Pages and the poll endpoint; every render/photo URL reaches its owner only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tryon.models import ReferencePhotoAnalysis, Render, RenderStatus
from tryon.tests.support import client_for, make_product, make_shopper

pytestmark = pytest.mark.django_db


def test_catalogue_shows_renders_progress_and_toggle(rendered):
    # given a shopper whose cards are rendered
    owner = rendered["owner"]
    # when they open the catalogue
    html = client_for(owner).get(reverse("catalog:product_list")).content.decode()
    # then the bar counts the renders, each card carries its render and the toggle is there
    assert '<strong id="tryon-done">3</strong> of <strong id="tryon-total">3</strong> on you' in html
    assert 'data-finished="true"' in html and '<span id="tryon-as-photos" hidden>' in html
    assert html.count('class="tryon-render"') == 3
    assert 'data-tryon-view="original"' in html


def test_signed_out_visitors_get_the_catalogue_and_an_invitation(rendered):
    html = Client().get(reverse("catalog:product_list")).content.decode()
    assert "Sign in and upload one photo of yourself" in html
    assert "tryon-render" not in html and "Product 1" in html


def test_poll_endpoint_reports_card_states(rendered):
    owner = rendered["owner"]
    ids = ",".join(str(p.pk) for p in rendered["products"])
    data = client_for(owner).get(reverse("tryon:cards"), {"ids": ids}).json()
    assert data["state"] == "ready"
    assert data["progress"] == {
        "done": 3,
        "finished": 3,
        "total": 3,
        "held_back": 0,
        "as_product_photos": 0,
        "pending": 0,
        "complete": True,
        "needs_full_body": 0,
    }
    assert sorted(c["status"] for c in data["cards"]) == ["done"] * 3
    assert all(c["card_url"].startswith("/media/private/tryon/renders/") for c in data["cards"])


def test_product_page_shows_the_render_the_pose_view_and_the_original(rendered, tasks):
    # given a product with an on-model photo
    owner = rendered["owner"]
    top, _ = make_product(4, kind="top", role="on_model")
    client = client_for(owner)
    # when its page is opened
    html = client.get(top.get_absolute_url()).content.decode()
    # then it shows the render, the pose tab and the original
    assert 'id="tryon-product"' in html and "The model in my pose" in html and "Original photo" in html
    assert 'data-tryon-pane="pose"' in html
    assert f'data-visit-pose="{top.pk}"' in html
    # the page itself writes nothing: the pose view is asked for by the page's visit (a POST)
    assert Render.objects.filter(product=top, mode="pose").count() == 0
    first = client.post(reverse("tryon:visit"), {"ids": str(top.pk), "pose": str(top.pk)}).json()
    again = client.post(reverse("tryon:visit"), {"ids": str(top.pk), "pose": str(top.pk)}).json()
    # the pose view was asked for once (a second visit reuses it)
    pose = Render.objects.get(product=top, mode="pose")
    assert (first["pose"]["id"], again["pose"]["id"], first["state"]) == (pose.pk, pose.pk, "ready")
    # and the product's card, new with the product, was queued by that first visit
    card = Render.objects.get(owner=owner, product=top, mode="tryon", kind="card")
    assert (first["card"]["id"], first["card"]["status"]) == (card.pk, "queued")
    assert client.get(reverse("tryon:visit")).status_code == 405


def test_catalogue_and_product_pages_write_nothing_on_get(
    run_all, fake_renderer, fake_analyzer, tasks, django_capture_on_commit_callbacks
):
    # given a shopper with a ready photo whose card of a product is missing
    with django_capture_on_commit_callbacks(execute=True):
        owner, _ = make_shopper("owner@example.com")
        product, _ = make_product(1)
    run_all()
    Render.objects.all().delete()
    tasks.clear()
    client = client_for(owner)
    # when they open the catalogue, the product page and the API's card list
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pages = [
            client.get(reverse("catalog:product_list")),
            client.get(product.get_absolute_url()),
            client.get("/api/v1/me/cards/"),
        ]
    # then all three answer, and no render was created nor any task sent
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert (Render.objects.count(), len(callbacks), tasks.calls) == (0, 0, [])
    assert [card["status"] for card in pages[2].json()["results"]] == ["queued"]  # to be made, not yet asked
    # when the catalogue page's visit is posted, its card is queued and rendered
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("tryon:visit"), {"ids": str(product.pk)})
    assert list(Render.objects.values_list("product_id", "mode")) == [(product.pk, "tryon")]
    assert tasks.names("render_pending") != []


WRITE_SQL = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def test_no_page_or_api_read_writes_to_the_database(rendered, django_capture_on_commit_callbacks, tasks):
    # given a shopper with a ready photo, finished cards and an outfit, signed in
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owner, top = rendered["owner"], rendered["products"][0]
    client = client_for(owner)
    client.get(reverse("catalog:product_list"))  # the session is settled by a first request
    tasks.clear()
    urls = [
        reverse("catalog:product_list"),
        top.get_absolute_url(),
        reverse("accounts:photos"),
        reverse("accounts:profile"),
        reverse("accounts:privacy"),
        reverse("tryon:outfit"),
        f"{reverse('tryon:cards')}?ids={top.pk}",
        reverse("tryon:render_detail", kwargs={"render_id": rendered["outfit"].pk}),
        reverse("sizing:measurements"),
        reverse("sizing:my_shape", kwargs={"product_id": top.pk}),
        reverse("orders:cart"),
        reverse("orders:order_list"),
        "/api/v1/me/cards/",
        f"/api/v1/me/renders/{rendered['outfit'].pk}/",
        "/api/v1/products/",
    ]
    # when every page and API read is requested
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
        statuses = {url: client.get(url).status_code for url in urls}
    # then each answers, and not one statement wrote, nothing waits for a commit, no task was sent
    assert statuses == {url: 200 for url in urls}
    assert len(queries.captured_queries) > len(urls)  # the reads were seen
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITE_SQL)]
    assert writes == []
    assert (callbacks, tasks.calls) == ([], [])


def test_product_page_without_an_on_model_photo_offers_no_pose_tab(rendered, tasks):
    # given a product with a packshot only
    owner, top = rendered["owner"], rendered["products"][0]
    # when its page is opened
    html = client_for(owner).get(top.get_absolute_url()).content.decode()
    # then it shows the render and the original, no pose tab and no refusal, and asks for no pose render
    assert 'id="tryon-product"' in html and "Original photo" in html
    assert "The model in my pose" not in html and 'data-tryon-pane="pose"' not in html
    assert "has no photo of a model" not in html
    assert not Render.objects.filter(product=top, mode="pose").exists()


def test_outfit_builder_posts_and_shows_the_cached_outfit(rendered):
    owner, (top, bottom, _) = rendered["owner"], rendered["products"]
    response = client_for(owner).post(reverse("tryon:outfit"), {"top": top.pk, "bottom": bottom.pk})
    assert response.status_code == 302
    assert f"render={rendered['outfit'].pk}" in response["Location"]
    page = client_for(owner).get(response["Location"]).content.decode()
    assert "Product 2 + Product 1" in page  # layered: the bottom under the top
    assert 'data-status="done"' in page


def test_outfit_builder_refuses_two_bottoms_kinds_that_clash(rendered):
    owner, (_, bottom, dress) = rendered["owner"], rendered["products"]
    response = client_for(owner).post(reverse("tryon:outfit"), {"bottom": bottom.pk, "dress": dress.pk})
    assert response.status_code == 200
    assert "cannot be worn together" in response.content.decode()


def test_every_private_url_is_404_for_anybody_but_the_owner(rendered):
    # given the owner's render, outfit and photo-analysis URLs
    owner, other = rendered["owner"], rendered["other"]
    render = Render.objects.filter(owner=owner, kind="card").first()
    outfit = rendered["outfit"]
    analysis = ReferencePhotoAnalysis.objects.get(photo=rendered["photo"])
    urls = [
        reverse("tryon:render_detail", args=[render.pk]),
        reverse("tryon:render_detail", args=[outfit.pk]),
        f"/api/v1/me/renders/{render.pk}/",
        f"/api/v1/me/renders/{outfit.pk}/",
        render.card.url,
        render.image.url,
        outfit.card.url,
        analysis.data.url,
        analysis.skeleton.url,
        f"{reverse('tryon:outfit')}?render={outfit.pk}",
    ]
    # then the owner reaches each of them
    for url in urls:
        assert client_for(owner).get(url).status_code == 200, url
    # and the other account and a signed-out visitor get 404 for every one
    for user in (other, None):
        for url in urls:
            assert client_for(user).get(url).status_code == 404, (user, url)
    # and the poll endpoint tells the other account nothing about the owner's renders
    data = client_for(other).get(reverse("tryon:cards"), {"renders": f"{render.pk},{outfit.pk}"}).json()
    assert data["renders"] == []


def test_photos_page_shows_findings_in_plain_words(
    rendered, fake_analyzer, run_all, django_capture_on_commit_callbacks
):
    from accounts.services import reference_photo_create
    from tryon.tests.support import jpeg, upload

    # given the shopper's 288x384 photo (usable, but small) and a second, large photo
    owner = rendered["owner"]
    with django_capture_on_commit_callbacks(execute=True):
        reference_photo_create(user=owner, file=upload(jpeg(size=(600, 800))), kind="front")
    run_all()
    # when they open their photos page
    html = client_for(owner).get(reverse("accounts:photos")).content.decode()
    # then the small photo says why its pictures look soft; the large one works well
    assert html.count("This photo is small (288×384 pixels)") == 1
    assert html.count("This photo works well") == 1


def _count_queries(client: Client, url: str) -> tuple[int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response


def test_catalogue_page_cards_api_and_photos_page_queries_do_not_grow_with_the_catalogue(
    run_all, fake_renderer, fake_analyzer, settings, django_capture_on_commit_callbacks
):
    from accounts.services import reference_photo_create
    from tryon.tests.support import jpeg, upload

    # given a shopper whose cards of 2 products are rendered, all on one catalogue page
    settings.CATALOG_PAGE_SIZE = 30
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            make_product(n)
        owner, _ = make_shopper("owner@example.com")
    run_all()
    client = client_for(owner)
    urls = [reverse("catalog:product_list"), "/api/v1/me/cards/", reverse("accounts:photos")]
    client.get(urls[0])
    client.post(reverse("tryon:visit"))  # the first visit settles the session
    small = {url: _count_queries(client, url)[0] for url in urls}

    # when the catalogue grows to 8 rendered products and the shopper has 3 photos
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2, 8):
            make_product(n)
        for size in ((300, 396), (312, 408)):
            reference_photo_create(user=owner, file=upload(jpeg(size=size)), kind="front")
    run_all()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("tryon:visit"))  # the visit that queues the new cards
    run_all()
    assert set(Render.objects.filter(owner=owner).values_list("status", flat=True)) == {RenderStatus.DONE}
    large = {}
    for url in urls:
        large[url], response = _count_queries(client, url)
        if url == "/api/v1/me/cards/":
            assert [c["status"] for c in response.json()["results"]] == ["done"] * 8
        elif url == urls[0]:
            assert response.content.decode().count('class="tryon-render"') == 8
        else:
            assert response.content.decode().count('data-photo-id="') == 3

    # then each page makes as many queries as with the small catalogue
    assert large == small
