import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.models import User
from accounts.services import user_create
from catalog.demo import DEMO_PRODUCTS, seed_product
from catalog.services import product_images_schedule_missing_thumbnails

SHOPPER_EMAIL = "shopper@example.com"
ADMIN_EMAIL = "admin@example.com"
PUBLISHED_PASSWORDS = {"tryon-shopper-2026", "tryon-admin-2026"}


class Command(BaseCommand):
    help = (
        "Create the demo catalogue (procedurally drawn packshots), a demo shopper and an admin. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Only the first N demo products.")
        parser.add_argument("--no-users", action="store_true", help="Do not create the demo accounts.")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DJANGO_ENV=production (demo accounts then get random passwords "
            "unless DEMO_*_PASSWORD are set to unpublished ones).",
        )

    def handle(self, *args, limit=None, no_users=False, allow_production=False, **options):
        if getattr(settings, "PRODUCTION", False) and not allow_production:
            raise CommandError(
                "seed_demo creates demo accounts and products; it refuses to run with "
                "DJANGO_ENV=production. Pass --allow-production to run it anyway."
            )
        demos = DEMO_PRODUCTS[:limit] if limit else DEMO_PRODUCTS
        created = 0
        for seed, demo in enumerate(
            tqdm(demos, desc="Demo products", unit="product", disable=options["verbosity"] < 1)
        ):
            _, was_created = seed_product(demo, seed)
            created += was_created
        self.stdout.write(f"Demo catalogue: {len(demos)} products ({created} new).")
        missing = product_images_schedule_missing_thumbnails()
        if missing:
            self.stdout.write(f"Scheduled {missing} missing thumbnail(s) for the worker.")
        if no_users:
            return
        shopper_password = self._password(settings.DEMO_SHOPPER_PASSWORD, "tryon-shopper-2026")
        admin_password = self._password(settings.DEMO_ADMIN_PASSWORD, "tryon-admin-2026")
        for label, email, password, height_cm, staff in (
            ("Demo shopper", SHOPPER_EMAIL, shopper_password, 170, False),
            ("Admin (/admin/)", ADMIN_EMAIL, admin_password, None, True),
        ):
            if self._ensure_user(email, password, height_cm=height_cm, staff=staff):
                self.stdout.write(self.style.SUCCESS(f"{label}: {email} / {password}"))
            else:
                self.stdout.write(f"{label}: {email} exists; its password and rights were left as they are.")

    @staticmethod
    def _password(configured: str, published: str) -> str:
        """The demo password; in production never a published one (a random one is printed once)."""
        password = configured or published
        if getattr(settings, "PRODUCTION", False) and password in PUBLISHED_PASSWORDS:
            return secrets.token_urlsafe(18)
        return password

    def _ensure_user(self, email: str, password: str, *, height_cm: int | None, staff: bool) -> bool:
        """Create the account when it does not exist (True); an existing one is never changed."""
        if User.objects.filter(email__iexact=email).exists():
            return False
        user_create(
            email=email,
            password=password,
            height_cm=height_cm,
            is_staff=staff,
            is_superuser=staff,
            validate=False,
        )
        return True
