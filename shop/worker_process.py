"""Start and stop a real ``celery -A shop worker`` subprocess (the tests' worker fixture, benchmarks).

The worker reads its settings from the environment it is given; its output goes to a log file
that is polled until Celery prints that the worker is ready.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


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
    """Drop messages left by earlier runs so that the worker starts on an empty queue."""
    from shop.celery import app

    with app.connection_for_write() as conn:
        channel = conn.default_channel
        for queue in queues:
            with contextlib.suppress(Exception):  # the queue does not exist yet
                channel.queue_purge(queue)


def start_worker_process(
    *,
    queues: Sequence[str],
    log_path: Path,
    env: dict[str, str],
    name: str,
    pool: str = "solo",
    concurrency: int = 1,
    ready_timeout: float = 90.0,
) -> WorkerProcess:
    """Purge ``queues``, start ``celery -A shop worker -Q <queues>`` and wait until it is ready.

    ``pool="solo"`` runs tasks in the worker's main process (quick to start; no
    ``worker_process_init``); ``pool="prefork"`` forks ``concurrency`` children that load the
    try-on models when they start. Raises ``RuntimeError`` with the log when it does not start.
    """
    purge_queues(queues)
    log_path.parent.mkdir(parents=True, exist_ok=True)
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
        name,
        "-l",
        "info",
    ]
    handle = log_path.open("wb")
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
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
