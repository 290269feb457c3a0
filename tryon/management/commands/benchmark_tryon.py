import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from ml.render.registry import DEFAULT_RENDERER


class Command(BaseCommand):
    help = (
        "Benchmark the try-on pipeline (fresh photo x analysed catalogue, real worker, SQLite, filesystem "
        "broker, the default renderer) in a throw-away folder; see benchmarks/tryon.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=500)
        parser.add_argument("--concurrency", type=int, default=None)
        parser.add_argument("--renderer", default=DEFAULT_RENDERER)
        parser.add_argument("--photo", default=None)
        parser.add_argument("--keep", action="store_true")

    def handle(self, *args, products, concurrency, renderer, photo, keep, **options):
        # A fresh interpreter: the benchmark sets its own environment before Django starts.
        command = [sys.executable, "-m", "benchmarks.tryon", "--products", str(products)]
        command += ["--renderer", renderer]
        if concurrency:
            command += ["--concurrency", str(concurrency)]
        if photo:
            command += ["--photo", photo]
        if keep:
            command.append("--keep")
        result = subprocess.run(command, cwd=settings.BASE_DIR, check=False)
        if result.returncode:
            raise SystemExit(result.returncode)
