import hashlib
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from catalog import tasks
from catalog.models import Product, ProductImage
from catalog.selectors import product_get, product_list, product_primary_image
from catalog.services import (
    product_create,
    product_image_create,
    product_image_delete,
    product_image_generate_thumbnail,
    product_image_replace_file,
    product_update,
)
from catalog.tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
)
from tests.support.images import image_bytes, image_upload, text_upload
from tests.support.media import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def thumbnail_delay():
    with mock.patch.object(tasks.product_image_make_thumbnail, "delay") as delay:
        yield delay


def test_product_create_fills_defaults_and_size_chart(settings):
    # given
    settings.SHOP_CURRENCY = "EUR"
    category = CategoryFactory(name="Tops", slug="tops")

    # when
    product = product_create(
        category=category,
        name="Linen Shirt",
        price="59.9",
        garment_kind="top",
        variants=[{"size": "S", "stock": 3}, {"size": " M "}, {"size": "L", "sku": "LS-L", "price": "64.50"}],
        size_chart=[{"size": "S", "chest_min": 86, "chest_max": 91}, {"size": "M", "chest_min": 92}],
    )

    # then
    product.refresh_from_db()
    assert product.slug == "linen-shirt"
    assert product.price == Decimal("59.90")
    assert product.currency == "EUR"
    assert [(v.size, v.sku, v.stock, v.price_override, v.price) for v in product.variants.all()] == [
        ("S", "LINEN-SHIRT-S", 3, None, Decimal("59.90")),
        ("M", "LINEN-SHIRT-M", 0, None, Decimal("59.90")),
        ("L", "LS-L", 0, Decimal("64.50"), Decimal("64.50")),
    ]
    assert [(r.size, r.chest_min, r.chest_max) for r in product.size_chart.all()] == [
        ("S", 86, 91),
        ("M", 92, None),
    ]


def test_product_create_rejects_an_unknown_garment_kind():
    with pytest.raises(ValidationError):
        product_create(category=CategoryFactory(), name="Hat", price="10", garment_kind="hat")
    assert Product.objects.count() == 0


def test_product_update_changes_fields_and_refuses_unknown_ones():
    product = ProductFactory(price=Decimal("10.00"))
    product_update(product=product, price="12.50", name="Renamed")
    product.refresh_from_db()
    assert (product.name, product.price) == ("Renamed", Decimal("12.50"))
    with pytest.raises(TypeError):
        product_update(product=product, material="wool")


def test_image_create_stores_file_and_schedules_thumbnail_after_commit(
    settings, thumbnail_delay, django_capture_on_commit_callbacks
):
    # given
    product = ProductFactory()
    data = image_bytes(256, 384)

    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = product_image_create(product=product, file=image_upload("a.png", 256, 384), role="packshot")
    thumbnail_delay.assert_not_called()  # nothing before the commit
    for callback in callbacks:
        if getattr(callback, "__module__", "") == "shop.queueing":  # the thumbnail task's send
            callback()
    second = product_image_create(
        product=product, file=image_upload("b.png"), role="on_model", landmarks={"a": [1, 2]}
    )

    # then
    thumbnail_delay.assert_called_once_with(first.pk)
    assert first.order == 0 and second.order == 1
    assert (first.width, first.height) == (256, 384)
    assert first.content_hash == hashlib.sha256(data).hexdigest()
    assert first.image.name.startswith(f"catalog/{product.pk}/")
    assert second.landmarks == {"a": [1, 2]}
    assert len(stored_files(settings)) == 2


def test_bad_image_is_refused_and_nothing_is_stored_or_scheduled(
    settings, thumbnail_delay, django_capture_on_commit_callbacks
):
    product = ProductFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        product_image_create(product=product, file=text_upload(), role="packshot")
    assert ProductImage.objects.count() == 0
    assert stored_files(settings) == []
    thumbnail_delay.assert_not_called()


def test_replace_file_changes_hash_deletes_old_files_and_reschedules(
    thumbnail_delay, django_capture_on_commit_callbacks
):
    # given
    product_image = product_image_create(
        product=ProductFactory(), file=image_upload("a.png"), role="on_model"
    )
    product_image_generate_thumbnail(product_image=product_image)
    product_image.refresh_from_db()
    old_image, old_thumbnail, old_hash = (
        product_image.image.name,
        product_image.thumbnail.name,
        product_image.content_hash,
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        product_image_replace_file(product_image=product_image, file=image_upload("b.png", colour=(0, 90, 0)))

    # then
    product_image.refresh_from_db()
    assert product_image.content_hash != old_hash
    assert bool(product_image.thumbnail) is False
    assert default_storage.exists(old_image) is False
    assert default_storage.exists(old_thumbnail) is False
    assert default_storage.exists(product_image.image.name) is True
    thumbnail_delay.assert_called_once_with(product_image.pk)


def test_image_delete_removes_image_and_thumbnail_files(django_capture_on_commit_callbacks):
    product_image = product_image_create(product=ProductFactory(), file=image_upload(), role="on_model")
    product_image_generate_thumbnail(product_image=product_image)
    product_image.refresh_from_db()
    names = [product_image.image.name, product_image.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        product_image_delete(product_image=product_image)
    assert ProductImage.objects.count() == 0
    assert [default_storage.exists(name) for name in names] == [False, False]


def test_thumbnail_fits_the_box_and_is_idempotent(settings):
    # given
    settings.THUMBNAIL_SIZE = (40, 50)
    product_image = product_image_create(
        product=ProductFactory(), file=image_upload("a.png", 600, 300), role="packshot"
    )

    # when
    product_image_generate_thumbnail(product_image=product_image)
    product_image.refresh_from_db()
    first_name = product_image.thumbnail.name
    product_image_generate_thumbnail(product_image=product_image)
    product_image.refresh_from_db()

    # then
    assert product_image.thumbnail.name == first_name
    with default_storage.open(first_name) as handle, Image.open(handle) as thumb:
        assert (thumb.format, thumb.size) == ("JPEG", (40, 20))
    assert len([n for n in stored_files(settings) if "/thumbs/" in n]) == 1


def test_thumbnail_task_is_quiet_when_the_row_is_gone(settings):
    # given an image deleted after its thumbnail task was scheduled
    product_image = ProductImageFactory()
    image_id = product_image.pk
    product_image.delete()
    files_before = stored_files(settings)
    # when the task runs
    with mock.patch("catalog.services.product_image_generate_thumbnail") as generate:
        tasks.product_image_make_thumbnail.run(image_id)
    # then it raised nothing, made no thumbnail and wrote no file
    generate.assert_not_called()
    assert stored_files(settings) == files_before


def test_thumbnail_task_writes_the_thumbnail():
    product_image = ProductImageFactory()
    tasks.product_image_make_thumbnail.run(product_image.pk)
    product_image.refresh_from_db()
    assert product_image.thumbnail.name.startswith(f"catalog/{product_image.product_id}/thumbs/")


def test_primary_image_prefers_on_model_then_packshot():
    product = ProductFactory()
    packshot = ProductImageFactory(product=product, role="packshot", order=0)
    assert product_primary_image(product) == packshot
    later_model = ProductImageFactory(product=product, role="on_model", order=5)
    ProductImageFactory(product=product, role="on_model", order=7)
    assert product_primary_image(Product.objects.get(pk=product.pk)) == later_model


def test_product_list_filters_searches_and_hides_inactive():
    # given
    tops, dresses = CategoryFactory(slug="tops", name="Tops"), CategoryFactory(slug="dresses", name="Dresses")
    shirt = ProductFactory(category=tops, name="Linen shirt")
    jumper = ProductFactory(category=tops, name="Wool jumper")
    dress = ProductFactory(category=dresses, name="Linen dress")
    ProductFactory(category=dresses, name="Linen hidden", is_active=False)

    # then
    assert {p.pk for p in product_list(category_slug="tops")} == {shirt.pk, jumper.pk}
    assert {p.pk for p in product_list(search="linen")} == {shirt.pk, dress.pk}
    assert [p.pk for p in product_list(category_slug="dresses", search="LINEN")] == [dress.pk]
    assert product_get(slug="linen-hidden") is None


def test_product_list_has_no_n_plus_one(django_assert_num_queries):
    for _ in range(5):
        ProductImageFactory(product=ProductFactory())
    with django_assert_num_queries(2):
        cards = [(p.category.name, p.primary_image) for p in product_list()]
    assert len(cards) == 5


def test_a_product_image_upload_with_the_broker_down_is_stored(settings, django_capture_on_commit_callbacks):
    # given a broker that refuses connections
    from kombu.exceptions import OperationalError

    product = ProductFactory()
    refused = mock.patch.object(
        tasks.product_image_make_thumbnail, "delay", side_effect=OperationalError("refused")
    )

    # when
    with refused, django_capture_on_commit_callbacks(execute=True):
        image = product_image_create(product=product, file=image_upload("a.png"), role="packshot")

    # then the image is stored and served as it is until a worker makes its thumbnail
    image.refresh_from_db()
    assert default_storage.exists(image.image.name)
    assert not image.thumbnail
    assert image.card_url == image.image.url


def test_a_too_small_product_image_is_refused_and_nothing_is_stored(settings):
    product = ProductFactory()
    with pytest.raises(ValidationError) as error:
        product_image_create(product=product, file=image_upload("a.png", 400, 255), role="packshot")
    assert error.value.messages == [
        "This image is too small (400×255 pixels): product images need at least 256 pixels on their "
        "shorter side, or they look blurry on the product page and in try-on."
    ]
    assert ProductImage.objects.count() == 0
    assert stored_files(settings) == []
