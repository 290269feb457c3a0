"""Start a REAL Celery worker process against the configured broker and the test database.

The worker is ``celery -A shop worker`` in a subprocess. It reads the same settings as the test
process (``SHOP_TESTING=1``: files under ``var/test/``) and is pointed at the test database with
``SHOP_DATABASE_NAME`` and at the test's media folder with ``MEDIA_ROOT``. For SQLite the test
database is a real file (``DATABASES["default"]["TEST"]["NAME"]``), so use it from tests marked
``@pytest.mark.django_db(transaction=True)``: the worker only sees committed rows.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class WorkerProcess:
    process: subprocess.Popen
    log_path: Path
    queues: tuple[str, ...]
    _closed: bool = field(default=False, repr=False)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def is_alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 15.0) -> None:
        if self._closed:
            return
        self._closed = True
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def purge_queues(queues: Sequence[str]) -> None:
    """Drop messages left by earlier tests or runs so that the worker starts on an empty queue."""
    from shop.celery import app

    with app.connection_for_write() as conn:
        channel = conn.default_channel
        for queue in queues:
            with contextlib.suppress(Exception):  # the queue does not exist yet
                channel.queue_purge(queue)


def worker_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "SHOP_TESTING": "1",
            "SHOP_DATABASE_NAME": str(connection.settings_dict["NAME"]),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SHOP_BROKER_DIR": str(settings.CELERY_BROKER_DIR),
            "DJANGO_SETTINGS_MODULE": "shop.settings",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def start_worker(
    *,
    queues: Sequence[str] = ("default",),
    log_dir: Path,
    pool: str = "solo",
    concurrency: int = 1,
    env: dict[str, str] | None = None,
    ready_timeout: float = 90.0,
) -> WorkerProcess:
    """Start ``celery -A shop worker -Q <queues>`` and wait until it says it is ready.

    ``pool="solo"`` runs tasks in the worker's main process (quick to start; no
    ``worker_process_init``); pass ``pool="prefork"`` to exercise per-process model loading.
    """
    purge_queues(queues)
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"celery-worker-{'-'.join(queues)}-{os.getpid()}-{time.monotonic_ns()}.log"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "shop",
        "worker",
        "-Q",
        ",".join(queues),
        "-P",
        pool,
        "--concurrency",
        str(concurrency),
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
        "-n",
        f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
        "-l",
        "info",
    ]
    handle = log_path.open("wb")
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=worker_environment(env), stdout=handle, stderr=subprocess.STDOUT
    )
    handle.close()
    worker = WorkerProcess(process=process, log_path=log_path, queues=tuple(queues))
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if not worker.is_alive():
            raise RuntimeError(f"The Celery worker exited early (code {process.returncode}):\n{worker.log()}")
        if " ready." in worker.log():
            return worker
        time.sleep(0.2)
    worker.stop()
    raise RuntimeError(f"The Celery worker was not ready within {ready_timeout:.0f} s:\n{worker.log()}")


def wait_for(
    condition: Callable[[], object],
    *,
    timeout: float = 60.0,
    interval: float = 0.25,
    worker: WorkerProcess | None = None,
):
    """Poll ``condition`` until it returns something truthy; fail with the worker's log if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        if worker is not None and not worker.is_alive():
            break
        time.sleep(interval)
    details = f"\n--- worker log ---\n{worker.log()}" if worker is not None else ""
    raise AssertionError(f"Condition not met within {timeout:.0f} s{details}")
