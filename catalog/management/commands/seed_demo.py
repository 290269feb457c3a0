import os

from django.core.management.base import BaseCommand
from tqdm import tqdm

from accounts.models import User
from accounts.services import user_create
from catalog.demo import DEMO_PRODUCTS, seed_product
from catalog.services import product_images_schedule_missing_thumbnails

SHOPPER_EMAIL = "shopper@example.com"
ADMIN_EMAIL = "admin@example.com"


class Command(BaseCommand):
    help = (
        "Create the demo catalogue (procedurally drawn packshots), a demo shopper and an admin. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Only the first N demo products.")
        parser.add_argument("--no-users", action="store_true", help="Do not create the demo accounts.")

    def handle(self, *args, limit=None, no_users=False, **options):
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
        shopper_password = os.environ.get("DEMO_SHOPPER_PASSWORD", "tryon-shopper-2026")
        admin_password = os.environ.get("DEMO_ADMIN_PASSWORD", "tryon-admin-2026")
        self._ensure_user(SHOPPER_EMAIL, shopper_password, height_cm=170, staff=False)
        self._ensure_user(ADMIN_EMAIL, admin_password, height_cm=None, staff=True)
        self.stdout.write(self.style.SUCCESS(f"Demo shopper: {SHOPPER_EMAIL} / {shopper_password}"))
        self.stdout.write(self.style.SUCCESS(f"Admin (/admin/): {ADMIN_EMAIL} / {admin_password}"))

    def _ensure_user(self, email: str, password: str, *, height_cm: int | None, staff: bool) -> None:
        user = User.objects.filter(email=email).first()
        if user is None:
            user_create(
                email=email,
                password=password,
                height_cm=height_cm,
                is_staff=staff,
                is_superuser=staff,
                validate=False,
            )
            return
        # Re-running the seed resets the demo passwords to the printed ones.
        user.set_password(password)
        user.is_staff = user.is_superuser = staff
        user.save(update_fields=["password", "is_staff", "is_superuser"])
