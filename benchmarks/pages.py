"""Time per personalised page in-process: ``python -m benchmarks.pages [--products 1000] [--requests 500]``.

The load benchmark's store (``benchmarks.load.build_store``: every card rendered) in a temporary
folder, then ``--requests`` GETs of each page kind through Django's test client (no server, no
network, one thread), signed in as a shopper who holds the CSRF cookie: once with the per-shopper
page cache off (``PAGE_CACHE_TTL_S=0``) and once with it on (after the page was stored). Prints
milliseconds per request and the SQL queries of one request. Less noisy than ``benchmarks.load``
on a shared machine: it measures the CPU one request costs, not what the machine serves.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

MAX_REQUESTS = 5000


class _QueryCounter:
    """A database execute wrapper that counts the SQL statements run."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __len__(self) -> int:
        return self.count


def main(argv=None) -> int:
    from benchmarks import load

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=500, help="per page kind and mode (max 5000)")
    parser.add_argument("--cache-url", default="", help="redis://127.0.0.1:6379/5 (default: the file cache)")
    args = parser.parse_args(argv)
    args.requests = min(max(1, args.requests), MAX_REQUESTS)
    workdir = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    load_args = argparse.Namespace(database_url="", cache_url=args.cache_url)
    env = load._environment(workdir, load_args)
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "AWS_STORAGE_BUCKET_NAME", "SHOP_DATABASE_NAME"):
        os.environ.pop(name, None)
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    try:
        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        sessions, page_slugs, _ = load.build_store(args.products, 1)
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = sessions[0]
        pages = {
            "catalogue page": "/?page=2",
            "product page": f"/products/{page_slugs[0]}/",
            "/api/v1/me/cards/": "/api/v1/me/cards/?page=2",
        }
        client.get("/")  # the CSRF cookie, as a browser holds it
        print(
            f"{args.products} products, every card rendered; {settings.DATABASES['default']['ENGINE']}; "
            f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
            f"{args.requests} requests per row, one thread"
        )
        print(f"{'page':<20} {'page cache':<10} {'ms/request':>10} {'queries':>8}")
        for label, path in pages.items():
            for mode, ttl in (("off", 0), ("on", settings.PAGE_CACHE_TTL_S or 300)):
                with override_settings(PAGE_CACHE_TTL_S=ttl):
                    for _ in range(3):  # stored (cache on), warm code paths
                        assert client.get(path).status_code == 200
                    queries = _QueryCounter()
                    with connection.execute_wrapper(queries):
                        client.get(path)
                    started = time.perf_counter()
                    for _ in range(args.requests):
                        response = client.get(path)
                    elapsed = time.perf_counter() - started
                    assert response.status_code == 200
                    hit = response.get("X-Page-Cache") == "hit"
                    assert hit == (ttl > 0), f"{path}: cache {'hit' if hit else 'miss'} with ttl {ttl}"
                print(f"{label:<20} {mode:<10} {1000 * elapsed / args.requests:>10.2f} {len(queries):>8}")
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
