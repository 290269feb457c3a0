"""'My shape' on the product page: the shopper's mannequin wearing the product in their size and
one size down and up, drawn on the queue and stored; a clear sentence when there is nothing to draw."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from accounts.models import BodyMeasurements
from catalog.models import ProductImage
from catalog.tests.factories import ProductImageFactory
from ml.body.mannequin import Mannequin
from sizing import services, tasks
from sizing.models import BodyShape, ShapeView
from sizing.selectors import NO_BODY_SHAPE, NO_PACKSHOT_SHAPE
from sizing.tests.factories import give_body_shape, measured_user, png_bytes, top_with_chart, with_packshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(monkeypatch) -> list[tuple[int, int]]:
    """Runs the draw task in-process when it is sent (instead of a broker), recording it."""
    sent: list[tuple[int, int]] = []

    def delay(user_id, product_id):
        sent.append((user_id, product_id))
        tasks.draw_shape_view(user_id, product_id)

    monkeypatch.setattr(tasks.draw_shape_view, "delay", delay)
    return sent


def _panel_url(product) -> str:
    return reverse("sizing:my_shape", kwargs={"product_id": product.pk})


def _red_width(panel: np.ndarray) -> int:
    red = (panel[..., 0].astype(int) - panel[..., 1].astype(int)) > 80
    cols = np.flatnonzero(red.any(axis=0))
    return int(cols.max() - cols.min() + 1) if len(cols) else 0


def test_a_shopper_with_a_fit_sees_the_product_on_their_mannequin_in_three_sizes(
    client, drawn, django_capture_on_commit_callbacks
):
    # given: a 93 cm chest (size M of S/M/L), a stored mannequin, a top with a chart and a packshot
    user = measured_user(chest=93.0, waist=79.0)
    give_body_shape(user)
    product = top_with_chart(name="Linen shirt")
    with_packshot(product)
    client.force_login(user)

    # when: the first visit shows "drawing" and asks for nothing (a GET never writes), the page's
    # POST asks for the drawing, the queue draws it, the second visit shows it
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(product.get_absolute_url()).content.decode()
    assert drawn == [] and not ShapeView.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(_panel_url(product)).content.decode()
    second = client.get(product.get_absolute_url()).content.decode()

    # then
    assert 'data-my-shape="drawing"' in first
    assert f'data-request-url="{_panel_url(product)}"' in first
    assert 'data-my-shape="drawing"' in asked and "data-request-url" not in asked
    assert drawn == [(user.pk, product.pk)]
    assert 'data-my-shape="done"' in second
    view = ShapeView.objects.get(user=user, product=product)
    assert view.status == ShapeView.Status.DONE
    assert view.sizes == [
        {"size": "S", "role": "down"},
        {"size": "M", "role": "recommended"},
        {"size": "L", "role": "up"},
    ]
    assert f'src="{view.image.url}"' in second
    assert (
        '<span class="my-shape-size is-recommended" data-size-role="recommended"><strong>M</strong> your size'
        in second
    )
    # the stored strip: three 100 px panels with 8 px gaps, the garment wider size by size
    with view.image.open("rb") as handle:
        strip = np.asarray(Image.open(handle).convert("RGB"))
    assert strip.shape == (240, 3 * 100 + 2 * 8, 3)
    widths = [_red_width(strip[:, k * 108 : k * 108 + 100]) for k in range(3)]
    assert 0 < widths[0] < widths[1] < widths[2]


def test_a_third_visit_draws_nothing_again(client, drawn, django_capture_on_commit_callbacks):
    user = measured_user(chest=93.0, waist=79.0)
    give_body_shape(user)
    product = top_with_chart()
    with_packshot(product)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_panel_url(product))

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(product.get_absolute_url()).content.decode()
        again = client.post(_panel_url(product)).content.decode()

    assert 'data-my-shape="done"' in page and "data-request-url" not in page
    assert 'data-my-shape="done"' in again
    assert drawn == [(user.pk, product.pk)]


def test_a_new_body_shape_redraws_the_views_on_the_queue(client, drawn, django_capture_on_commit_callbacks):
    # given: a drawn view
    user = measured_user(chest=93.0, waist=79.0)
    give_body_shape(user)
    product = top_with_chart()
    with_packshot(product)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_panel_url(product))
    old_key = ShapeView.objects.get(user=user).key

    # when: the body is measured again from new photos
    with django_capture_on_commit_callbacks(execute=True):
        BodyShape.objects.filter(user=user).delete()
        give_body_shape(user, inputs_key="k2")
        services.shape_views_redraw(user_id=user.pk)

    # then
    assert drawn == [(user.pk, product.pk), (user.pk, product.pk)]
    view = ShapeView.objects.get(user=user)
    assert view.status == ShapeView.Status.DONE
    assert view.key != old_key


def test_a_shopper_without_a_fit_is_told_why_and_nothing_is_drawn(client, drawn):
    # given: measured figures (or none) but no fitted body
    user = measured_user(chest=93.0, waist=79.0)
    product = top_with_chart()
    with_packshot(product)
    client.force_login(user)

    # when
    page = client.get(product.get_absolute_url()).content.decode()

    # then
    assert 'data-my-shape="no_body"' in page
    assert NO_BODY_SHAPE in page
    assert "my-shape-figure" not in page
    assert not ShapeView.objects.exists()
    assert drawn == []


def test_a_failed_measurement_is_named_before_the_sentence(client, drawn):
    user = measured_user()
    BodyMeasurements.objects.filter(user=user).update(
        status=BodyMeasurements.Status.FAILED, reason="The photo does not show your feet."
    )
    product = top_with_chart()
    client.force_login(user)

    page = client.get(product.get_absolute_url()).content.decode()

    assert f"The photo does not show your feet. {NO_BODY_SHAPE}" in page
    assert drawn == []


def test_a_product_without_a_packshot_says_so(client, drawn):
    user = measured_user(chest=93.0, waist=79.0)
    give_body_shape(user)
    product = top_with_chart()
    client.force_login(user)

    page = client.get(product.get_absolute_url()).content.decode()

    assert NO_PACKSHOT_SHAPE in page
    assert not ShapeView.objects.exists()
    assert drawn == []


def test_visitors_see_no_shape(client):
    product = top_with_chart()

    page = client.get(product.get_absolute_url()).content.decode()

    assert "data-my-shape" not in page


def test_the_panel_url_serves_the_panel_alone(client, drawn):
    user = measured_user(chest=93.0, waist=79.0)
    product = top_with_chart()
    client.force_login(user)

    response = client.get(reverse("sizing:my_shape", kwargs={"product_id": product.pk}))

    assert response.status_code == 200
    assert response.content.decode().startswith('<section class="my-shape my-shape--no_body"')


def test_the_panel_url_needs_a_sign_in(client):
    product = top_with_chart()

    response = client.get(reverse("sizing:my_shape", kwargs={"product_id": product.pk}))

    assert response.status_code == 302


def test_a_failed_measurement_drops_the_shape_and_its_views(drawn, django_capture_on_commit_callbacks):
    # given: a shopper with a shape and a drawn view
    user = measured_user(chest=93.0, waist=79.0)
    shape = give_body_shape(user)
    product = top_with_chart()
    with_packshot(product)
    with django_capture_on_commit_callbacks(execute=True):
        services.shape_view_request(user=user, product=product)
    view = ShapeView.objects.get(user=user)
    storage, names = shape.image.storage, [shape.image.name, view.image.name]

    # when: the height is removed, so the body cannot be measured
    user.height_cm = None
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.body_measurement_compute(user_id=user.pk)

    # then
    assert BodyMeasurements.objects.get(user=user).status == BodyMeasurements.Status.FAILED
    assert not BodyShape.objects.exists()
    assert not ShapeView.objects.exists()
    assert [storage.exists(name) for name in names] == [False, False]


def test_a_new_fit_stores_the_drawn_body(monkeypatch, drawn, django_capture_on_commit_callbacks):
    # given: the drawing of the fit replaced (the body model is tested in tests/ml/body)
    user = measured_user()
    drawing = Mannequin(image=np.zeros((30, 20, 4), np.uint8), anchors={"waist": (10.0, 15.0)}, px_per_cm=0.2)
    fits = []
    monkeypatch.setattr(
        "ml.body.mannequin.draw_mannequin", lambda fit: fits.append(fit) or drawing, raising=True
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        shape = services.body_shape_store(user_id=user.pk, fit="the fit", inputs_key="abc")

    # then
    assert fits == ["the fit"]
    shape.refresh_from_db()
    assert shape.inputs_key == "abc"
    assert shape.geometry == {"anchors": {"waist": [10.0, 15.0]}, "px_per_cm": 0.2}
    with shape.image.open("rb") as handle:
        assert Image.open(handle).size == (20, 30)
    assert drawn == []  # no views to redraw yet


def test_a_packshot_without_a_garment_fails_with_the_reason_and_keeps_no_image(
    client, drawn, django_capture_on_commit_callbacks
):
    # given: a packshot that is a blank white picture
    user = measured_user(chest=93.0, waist=79.0)
    give_body_shape(user)
    product = top_with_chart()
    ProductImageFactory(
        product=product,
        role=ProductImage.Role.PACKSHOT,
        image=ContentFile(png_bytes(np.full((200, 150, 3), 255, np.uint8)), name="blank.png"),
    )
    client.force_login(user)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_panel_url(product))
    page = client.get(product.get_absolute_url()).content.decode()

    # then
    view = ShapeView.objects.get(user=user, product=product)
    assert view.status == ShapeView.Status.FAILED
    assert view.reason == "No garment could be found on this product photo's background."
    assert not view.image
    assert 'data-my-shape="failed"' in page
    assert "No garment could be found on this product photo&#x27;s background." in page
    assert drawn == [(user.pk, product.pk)]


def test_product_pages_are_not_cached_while_my_shape_is_being_drawn(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    # given: a shopper with a fit whose view is queued and not drawn yet (no worker)
    from shop.pagecache import HIT_HEADER

    sent = []
    monkeypatch.setattr(tasks.draw_shape_view, "delay", lambda user_id, product_id: sent.append(product_id))
    user = measured_user(chest=93.0, waist=79.0)
    give_body_shape(user)
    product = top_with_chart()
    with_packshot(product)
    client.force_login(user)

    # when: the page asks for the drawing, is seen three times, then the view is drawn and the
    # page seen twice more
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_panel_url(product))
        before = [client.get(product.get_absolute_url()).get(HIT_HEADER) == "hit" for _ in range(3)]
    services.shape_view_draw(user_id=user.pk, product_id=product.pk)
    after = [client.get(product.get_absolute_url()) for _ in range(2)]

    # then: made afresh while drawing (asked for once), stored once drawn
    assert before == [False, False, False]
    assert sent == [product.pk]
    assert [r.get(HIT_HEADER) == "hit" for r in after] == [False, True]
    assert 'data-my-shape="done"' in after[1].content.decode()


def test_deleting_an_account_leaves_no_my_shape_picture(drawn, settings, django_capture_on_commit_callbacks):
    # given a shopper with a drawn body shape and a product drawn on it
    from accounts.services import user_delete

    user = measured_user(chest=93.0, waist=79.0)
    shape = give_body_shape(user)
    product = top_with_chart()
    with_packshot(product)
    with django_capture_on_commit_callbacks(execute=True):
        services.shape_view_request(user=user, product=product)
    view = ShapeView.objects.get(user=user, product=product)
    names = [shape.image.name, view.image.name]
    assert view.status == ShapeView.Status.DONE
    assert all(shape.image.storage.exists(name) for name in names)
    # when the account is deleted
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=user)
    # then the rows and their pictures are gone
    assert (BodyShape.objects.count(), ShapeView.objects.count()) == (0, 0)
    assert [shape.image.storage.exists(name) for name in names] == [False, False]


def test_the_panel_asked_for_by_post_needs_a_sign_in_and_a_get_asks_for_nothing(
    client, drawn, django_capture_on_commit_callbacks
):
    # given a shopper with a fit and a product with a packshot
    user = measured_user(chest=93.0, waist=79.0)
    give_body_shape(user)
    product = top_with_chart()
    with_packshot(product)
    # when a visitor posts, then they are sent to sign in and nothing is drawn
    assert client.post(_panel_url(product)).status_code == 302
    # when the shopper reads the panel and the product page, nothing is asked for
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        panel = client.get(_panel_url(product))
        client.get(product.get_absolute_url())
    assert panel.status_code == 200 and 'data-my-shape="drawing"' in panel.content.decode()
    assert (drawn, ShapeView.objects.count()) == ([], 0)
    # and other methods are refused
    assert client.put(_panel_url(product)).status_code == 405
