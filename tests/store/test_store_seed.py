import pytest
from django.core.management import call_command

from accounts.models import User
from catalog.models import Product, ProductImage

pytestmark = pytest.mark.django_db


def test_seed_demo_draws_packshots_with_landmarks_and_is_idempotent(capsys):
    # when
    call_command("seed_demo", "--limit", "3", verbosity=0)
    call_command("seed_demo", "--limit", "3", verbosity=0)

    # then
    out = capsys.readouterr().out
    assert Product.objects.count() == 3
    images = list(ProductImage.objects.order_by("product__slug"))
    assert len(images) == 3
    assert {image.role for image in images} == {"packshot"}
    assert all(image.width == 576 and image.height == 768 for image in images)
    assert all(len(image.landmarks) >= 4 for image in images)
    assert all(isinstance(point, list) and len(point) == 2 for point in images[0].landmarks.values())
    assert "Demo shopper: shopper@example.com / tryon-shopper-2026" in out
    assert "Admin (/admin/): admin@example.com / tryon-admin-2026" in out
    shopper = User.objects.get(email="shopper@example.com")
    assert shopper.check_password("tryon-shopper-2026") and not shopper.is_staff
    assert User.objects.get(email="admin@example.com").is_superuser is True
    assert User.objects.count() == 2
