from django.core.management.base import BaseCommand

from tryon.services import analyses_refresh_stale


class Command(BaseCommand):
    help = (
        "Queue the re-analysis of out-of-date analyses (older analyzer, parser or renderer extras), "
        "oldest first, on the preprocess queue; their renders follow. The workers do this by "
        "themselves every TRYON_STALE_INTERVAL_S."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="at most this many (TRYON_STALE_BATCH)")

    def handle(self, *args, limit, **options):
        queued = analyses_refresh_stale(limit=limit)
        self.stdout.write(f"{queued} out-of-date analyses queued again.")
