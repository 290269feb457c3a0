"""Load on a store with cached renders: ``python -m benchmarks.load [--products 1000] [--shoppers 50]``.

Builds a throw-away store (SQLite in a temporary folder; ``--database-url`` for PostgreSQL) with
``--products`` products and ``--shoppers`` signed-in shoppers whose every card is already rendered
(the render rows and files are made directly: this measures serving, not rendering), starts
gunicorn on 127.0.0.1 (production settings, DEBUG off), and drives it from this process:

- ``paced``: every shopper requests a catalogue page, a product page or ``/api/v1/me/cards/``,
  pauses 1-3 s (as people do), and again, for ``--duration`` seconds; prints errors, p50/p95/p99;
- ``max``: ``--concurrency`` clients (comma-separated list, one run each) request back to back;
  prints requests per second and latencies: the most the machine serves with zero errors.

Each client keeps its cookies as a browser does (the session and the CSRF cookie: the per-shopper
page cache keys on both); before the runs every shopper opens every page once (``--cold-cache``
skips that), and each run reports the share of answers that came from the page cache.
``--cache-url redis://127.0.0.1:6379/5`` puts the cache in Redis (default: the file cache).

Bounded: at most 300 s per run, 200 shoppers and 400 clients; loopback only (the server binds
127.0.0.1 and nothing else is contacted). The clients share the CPUs with the server.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
MAX_DURATION_S = 300
MAX_SHOPPERS = 200
MAX_CLIENTS = 400


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--shoppers", type=int, default=50)
    parser.add_argument("--mode", choices=["paced", "max", "both"], default="both")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per run (max 300)")
    parser.add_argument("--concurrency", default="8,16,32", help="clients of the max runs")
    parser.add_argument("--web-workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--database-url", default="", help="PostgreSQL instead of SQLite")
    parser.add_argument(
        "--cache-url", default="", help="redis://127.0.0.1:6379/5 for Redis (default: the file cache)"
    )
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--cold-cache",
        dest="warm_cache",
        action="store_false",
        help="skip the pass in which every shopper opens every page once before the runs",
    )
    args = parser.parse_args(argv)
    args.duration = min(max(1.0, args.duration), MAX_DURATION_S)
    args.shoppers = min(max(1, args.shoppers), MAX_SHOPPERS)
    args.concurrency = [min(max(1, int(c)), MAX_CLIENTS) for c in args.concurrency.split(",") if c.strip()]
    return args


def _environment(workdir: Path, args) -> dict[str, str]:
    env = {
        "SHOP_VAR_DIR": str(workdir),
        "SHOP_TESTING": "0",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "DJANGO_SETTINGS_MODULE": "shop.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "load-benchmark-" + os.urandom(16).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "TRYON_SWEEP_IN_WORKER": "0",
        "LOG_LEVEL": "WARNING",
        # as a deployment would: each web thread keeps its database connection
        "DB_CONN_MAX_AGE": "60",
        "CACHE_URL": args.cache_url,
        # Served pages must not be limited by the shopper rate limits during the measurement.
        "THROTTLE_RENDERS": "100000/minute",
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    return env


def _jpeg(colour, size=(240, 320)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def build_store(products: int, shoppers: int) -> tuple[list[str], list[str], list[int]]:
    """The catalogue, shoppers with an analysed photo, and every card rendered (rows + files)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.test import Client
    from django.utils import timezone

    from accounts.models import ReferencePhoto, User
    from catalog.models import Category, Product, ProductImage, ProductVariant
    from tryon.models import (
        AnalysisStatus,
        ProductImageAnalysis,
        ReferencePhotoAnalysis,
        Render,
        RenderStatus,
    )
    from tryon.services import render_request, renders_ensure_for_shopper

    kinds = ["top", "bottom", "dress", "outerwear"]
    categories = [Category.objects.create(name=k.title() + "s", slug=k + "s") for k in kinds]
    image_name = default_storage.save("catalog/bench/product.jpg", ContentFile(_jpeg((180, 60, 60))))
    Product.objects.bulk_create(
        [
            Product(
                category=categories[n % 4],
                name=f"Garment {n}",
                slug=f"garment-{n}",
                price="30.00",
                garment_kind=kinds[n % 4],
                description="A garment of the load benchmark.",
            )
            for n in range(products)
        ],
        batch_size=500,
    )
    ProductVariant.objects.bulk_create(
        [
            ProductVariant(product=p, size=size, sku=f"{p.slug}-{size}", stock=25, order=n)
            for p in Product.objects.all()
            for n, size in enumerate(("S", "M", "L"))
        ],
        batch_size=500,
    )
    ProductImage.objects.bulk_create(
        [
            ProductImage(
                product=p,
                image=image_name,
                thumbnail=image_name,
                role="on_model",
                width=240,
                height=320,
                content_hash=f"{p.pk:064x}",
            )
            for p in Product.objects.all()
        ],
        batch_size=500,
    )
    ProductImageAnalysis.objects.bulk_create(
        [
            ProductImageAnalysis(product_image=i, status=AnalysisStatus.DONE, source_hash=i.content_hash)
            for i in ProductImage.objects.all()
        ],
        batch_size=500,
    )
    photo_name = default_storage.save("private/reference/bench/photo.jpg", ContentFile(_jpeg((90, 90, 90))))
    card_name = default_storage.save(
        "private/tryon/renders/bench/card.jpg", ContentFile(_jpeg((200, 200, 200)))
    )
    sessions, page_slugs = [], [p.slug for p in Product.objects.order_by("-created_at", "-id")[:24]]
    page_ids = list(Product.objects.filter(slug__in=page_slugs).values_list("id", flat=True))
    for n in range(shoppers):
        user = User.objects.create_user(email=f"load{n}@example.com", password="a-long-password-1")
        photo = ReferencePhoto.objects.create(
            user=user,
            image=photo_name,
            kind="full_body",
            is_primary=True,
            width=240,
            height=320,
            content_hash=f"{n + 1:064x}",
        )
        ReferencePhotoAnalysis.objects.create(
            photo=photo, owner=user, status=AnalysisStatus.DONE, source_hash=photo.content_hash, findings=[]
        )
        renders_ensure_for_shopper(user=user)
        for product_id in page_ids:
            render_request(user=user, product_ids=[product_id], mode="pose")
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies["sessionid"].value)
    Render.objects.update(
        status=RenderStatus.DONE,
        image=card_name,
        card=card_name,
        result_mode="tryon",
        finished_at=timezone.now(),
    )
    return sessions, page_slugs, page_ids


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, args, workdir: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    log = (workdir / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "shop.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.web_workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/categories/")
            if connection.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError(f"gunicorn did not start:\n{(workdir / 'gunicorn.log').read_text()[-3000:]}")


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.cached = 0

    def add(self, seconds: float, error: str | None, cached: bool = False) -> None:
        with self.lock:
            if error is None:
                self.latencies.append(seconds)
                self.cached += cached
            else:
                self.errors[error] = self.errors.get(error, 0) + 1


def _paths(page_slugs: list[str], pages: int) -> list[str]:
    paths = [f"/?page={n}" for n in range(1, pages + 1)]
    paths += [f"/products/{slug}/" for slug in page_slugs[:12]]
    paths += [f"/api/v1/me/cards/?page={n}" for n in range(1, pages + 1)]
    return paths


def _get(connection, path: str, cookies: dict[str, str]) -> tuple[int, bool]:
    """GET ``path`` with the client's cookies; keeps the CSRF cookie the server sets, as a browser."""
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    for header in response.msg.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        if name.strip() == "csrftoken":
            cookies["csrftoken"] = rest.split(";", 1)[0]
    return response.status, response.getheader("X-Page-Cache") == "hit"


def _client(port: int, cookies: dict[str, str], paths: list[str], until: float, pause, results):
    session = cookies["sessionid"]
    rng = random.Random(session + str(threading.get_ident()))
    connection = None
    while time.monotonic() < until:
        path = rng.choice(paths)
        started = time.perf_counter()
        error, cached = None, False
        reused = connection is not None
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                status, cached = _get(connection, path, cookies)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if not reused:
                    raise
                # The server closed an idle keep-alive connection: like a browser, retry once anew.
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                started = time.perf_counter()
                status, cached = _get(connection, path, cookies)
            if status != 200:
                error = f"HTTP {status} {path.split('?')[0]}"
        except (OSError, http.client.HTTPException) as exc:
            error = type(exc).__name__
            if connection is not None:
                connection.close()
            connection = None
        results.add(time.perf_counter() - started, error, cached)
        if pause[1] > 0:
            time.sleep(rng.uniform(*pause))
    if connection is not None:
        connection.close()


def warm_cache(port: int, jars: list[dict[str, str]], paths: list[str], threads: int = 8) -> float:
    """Every shopper opens every page once (as in a store that has been running a while)."""
    started = time.monotonic()
    todo = list(jars)
    lock = threading.Lock()

    def work() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if not todo:
                    break
                cookies = todo.pop()
            for path in paths:
                _get(connection, path, cookies)
        connection.close()

    workers = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=MAX_DURATION_S)
    return time.monotonic() - started


def run_load(port: int, jars: list[dict[str, str]], paths: list[str], clients: int, duration: float, pause):
    results = Results()
    until = time.monotonic() + duration
    threads = [
        threading.Thread(
            target=_client,
            args=(port, jars[n % len(jars)], paths, until, pause, results),
            daemon=True,
        )
        for n in range(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    elapsed = time.monotonic() - started
    ordered = sorted(results.latencies)

    def pct(q: float) -> float:
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    return {
        "requests": len(ordered),
        "errors": sum(results.errors.values()),
        "error_kinds": results.errors,
        "rps": len(ordered) / elapsed,
        "cached": results.cached / len(ordered) if ordered else 0.0,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "mean": 1000 * statistics.fmean(ordered) if ordered else float("nan"),
    }


def _report(label: str, row: dict) -> None:
    print(
        f"{label:<28} {row['requests']:>7} req {row['rps']:>7.1f} req/s  errors {row['errors']:>4}  "
        f"p50 {row['p50']:>6.0f} ms  p95 {row['p95']:>6.0f} ms  p99 {row['p99']:>6.0f} ms  "
        f"from the page cache {100 * row['cached']:.0f} %"
        + (f"  {row['error_kinds']}" if row["errors"] else "")
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="load-bench-"))
    env = _environment(workdir, args)
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "AWS_STORAGE_BUCKET_NAME", "SHOP_DATABASE_NAME"):
        os.environ.pop(name, None)
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    server = None
    try:
        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        started = time.perf_counter()
        sessions, page_slugs, _ = build_store(args.products, args.shoppers)
        print(
            f"store: {args.products} products, {args.shoppers} shoppers, every card rendered "
            f"({time.perf_counter() - started:.0f} s to build); {settings.DATABASES['default']['ENGINE']}"
        )
        server, port = start_server(env, args, workdir)
        pages = max(1, min(5, args.products // settings.CATALOG_PAGE_SIZE))
        paths = _paths(page_slugs, pages)
        # each shopper's browser: the session and the CSRF cookie (the page cache keys on both)
        jars = [{"sessionid": session} for session in sessions]
        run_load(port, jars, paths, min(4, len(jars)), 5, (0, 0))  # warm-up, not reported
        if args.warm_cache:
            seconds = warm_cache(port, jars, paths)
            print(f"page cache warmed: {len(jars)} shoppers x {len(paths)} pages in {seconds:.0f} s")
        print(
            f"gunicorn: {args.web_workers} workers x {args.threads} threads on 127.0.0.1; "
            f"{os.cpu_count()} CPUs shared with the clients; {args.duration:.0f} s per run"
        )
        if args.mode in ("paced", "both"):
            row = run_load(port, jars, paths, len(jars), args.duration, (1.0, 3.0))
            _report(f"paced: {len(sessions)} shoppers, 1-3 s", row)
        if args.mode in ("max", "both"):
            for clients in args.concurrency:
                row = run_load(port, jars, paths, clients, args.duration, (0, 0))
                _report(f"max: {clients} clients", row)
        return 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
