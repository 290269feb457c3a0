"""The product admin reads the state of an app that prepares images only through its hook."""

from catalog import admin as catalog_admin
from catalog.tests.factories import ProductImageFactory


def test_without_an_app_preparing_images_the_admin_has_nothing_to_wait_for(monkeypatch, db):
    # given no app registered as preparing product images (try-on not installed)
    monkeypatch.setattr(catalog_admin, "_image_preparation", [])
    image = ProductImageFactory()
    # then the admin selects no relation of another app and calls an image with a thumbnail final
    assert catalog_admin._preparation_related() == []
    status = catalog_admin.image_status(image)
    assert (status["analysis_status"], status["final"]) == ("done", bool(image.thumbnail))
    # while with try-on installed its analysis is the relation read
    monkeypatch.undo()
    assert catalog_admin._preparation_related() == ["tryon_analysis"]
    assert catalog_admin.image_status(image)["analysis_status"] == "pending"
