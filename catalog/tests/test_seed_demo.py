import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from accounts.services import user_create
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


def test_seed_demo_refuses_in_production_unless_told_and_creates_nothing(settings):
    # given
    settings.PRODUCTION = True

    # when
    with pytest.raises(CommandError, match="refuses to run with DJANGO_ENV=production"):
        call_command("seed_demo", "--limit", "1", verbosity=0)

    # then
    assert Product.objects.count() == 0
    assert User.objects.count() == 0


def test_seed_demo_in_production_with_consent_never_uses_a_published_password(settings, capsys):
    # given
    settings.PRODUCTION = True

    # when
    call_command("seed_demo", "--limit", "1", "--allow-production", verbosity=0)

    # then
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_superuser is True
    assert not admin.check_password("tryon-admin-2026")
    out = capsys.readouterr().out
    printed = out.split("Admin (/admin/): admin@example.com / ")[1].split()[0]
    assert admin.check_password(printed)
    assert not User.objects.get(email="shopper@example.com").check_password("tryon-shopper-2026")


def test_seed_demo_never_resets_an_existing_accounts_password_or_rights(capsys):
    # given
    owner = user_create(email="admin@example.com", password="my-own-secret-77", validate=False)

    # when
    call_command("seed_demo", "--limit", "1", verbosity=0)

    # then
    owner.refresh_from_db()
    assert owner.check_password("my-own-secret-77")
    assert (owner.is_staff, owner.is_superuser) == (False, False)
    out = capsys.readouterr().out
    assert "admin@example.com exists; its password and rights were left as they are." in out
    assert "tryon-admin-2026" not in out
