"""Recovery in seconds: leases on running work, safe enqueueing, and the sweeper.

- A render claim (and a running analysis) is a **lease**: ``lease_expires_at`` is set when the
  work starts and renewed every ``TRYON_LEASE_S / 3`` seconds by a thread of the worker while it
  works (:func:`lease_renewed`). A worker that dies (SIGKILL, OOM, power) stops renewing; about
  ``TRYON_LEASE_S`` (30 s) later the work is free again.
- :func:`enqueue_on_commit` sends a task after the commit and never raises: with the broker
  down the upload is still accepted, the row stays queued/pending (``enqueued_at`` empty) and the
  sweeper sends it later.
- :func:`sweep` (Celery beat's ``tryon.tasks.sweep`` every ``TRYON_SWEEP_INTERVAL_S``, or the
  worker's own timer, :func:`start_sweeper_thread`) requeues expired leases, pending analyses
  whose message is missing, and abandoned render queues. A render or analysis whose worker died
  ``TRYON_MAX_ATTEMPTS`` times is set aside as failed (a poison photo cannot loop forever).

Every step is a conditional UPDATE, so several sweepers (one per worker) never requeue a row twice.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.db.models import Max, Q
from django.utils import timezone

from shop.queueing import send_task_safely
from tryon.models import (
    AnalysisStatus,
    ProductImageAnalysis,
    ReferencePhotoAnalysis,
    Render,
    RenderStatus,
)

logger = logging.getLogger(__name__)

GAVE_UP_REASON = "Making this stopped the try-on worker several times; it was set aside."


def lease_seconds() -> float:
    return float(getattr(settings, "TRYON_LEASE_S", 30))


def lease_deadline():
    return timezone.now() + timedelta(seconds=lease_seconds())


def max_attempts() -> int:
    return int(getattr(settings, "TRYON_MAX_ATTEMPTS", 3))


def pending_requeue_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "TRYON_PENDING_REQUEUE_S", 120)))


def queue_idle_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "TRYON_QUEUE_IDLE_S", 60)))


# --------------------------------------------------------------------------- leases


@contextlib.contextmanager
def lease_renewed(model, **filters) -> Iterator[None]:
    """Renew ``lease_expires_at`` of the rows matching ``filters`` while the block runs.

    A daemon thread with its own database connection; it stops (and closes it) when the block
    ends. Nothing is renewed before a third of the lease has passed, so short work costs nothing.
    """
    stop = threading.Event()
    interval = max(0.5, lease_seconds() / 3)

    def renew() -> None:
        try:
            while not stop.wait(interval):
                try:
                    alive = model.objects.filter(**filters).update(lease_expires_at=lease_deadline())
                except Exception:
                    logger.warning("could not renew a lease", exc_info=True)
                    continue
                if not alive:
                    return  # the rows are gone or were taken back: nothing to keep alive
        finally:
            connections.close_all()

    thread = threading.Thread(target=renew, name="tryon-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 5)


# --------------------------------------------------------------------------- enqueueing


_ANALYSIS_TASKS = {
    "tryon.tasks.analyse_product_image": (ProductImageAnalysis, "product_image_id"),
    "tryon.tasks.analyse_reference_photo": (ReferencePhotoAnalysis, "photo_id"),
}


def send_task(task, *args) -> bool:
    """``task.delay(*args)`` that reports a broker failure instead of raising it."""
    if not send_task_safely(task, *args):
        return False  # the row still says what is to do: the sweeper sends it later
    target = _ANALYSIS_TASKS.get(task.name)
    if target is not None:
        model, field = target
        model.objects.filter(**{field: args[0]}, status=AnalysisStatus.PENDING).update(
            enqueued_at=timezone.now()
        )
    return True


def enqueue_on_commit(task, *args) -> None:
    """Send ``task`` once the surrounding transaction has committed; never raises (see module)."""
    transaction.on_commit(lambda: send_task(task, *args))


# --------------------------------------------------------------------------- sweeping


@dataclass
class SweepReport:
    renders_requeued: int = 0
    renders_given_up: int = 0
    analyses_requeued: int = 0
    analyses_given_up: int = 0
    chains_started: int = 0

    def __bool__(self) -> bool:
        return any(vars(self).values())


def _expired_renders(now, report: SweepReport) -> set[int]:
    photos: set[int] = set()
    expired = Render.objects.filter(status=RenderStatus.RUNNING).filter(
        Q(lease_expires_at__lt=now)
        | Q(lease_expires_at__isnull=True, started_at__lt=now - timedelta(seconds=lease_seconds()))
    )
    for render_id, photo_id, attempts in expired.values_list("id", "photo_id", "attempts"):
        still = Render.objects.filter(pk=render_id, status=RenderStatus.RUNNING).filter(
            Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True)
        )
        if attempts >= max_attempts():
            if still.update(
                status=RenderStatus.FAILED,
                claim="",
                reason_code="worker_lost",
                reason=GAVE_UP_REASON,
                finished_at=now,
                lease_expires_at=None,
            ):
                report.renders_given_up += 1
        elif still.update(status=RenderStatus.QUEUED, claim="", started_at=None, lease_expires_at=None):
            report.renders_requeued += 1
            photos.add(photo_id)
    return photos


def _abandoned_queues(now) -> set[int]:
    """Photos with queued renders, nothing running and nothing finished for a while: no chain."""
    idle_since = now - queue_idle_after()
    busy = set(
        Render.objects.filter(status=RenderStatus.RUNNING, lease_expires_at__gte=now).values_list(
            "photo_id", flat=True
        )
    )
    analysing = [AnalysisStatus.PENDING, AnalysisStatus.RUNNING]
    waiting = (
        Render.objects.filter(status=RenderStatus.QUEUED)
        # renders waiting on a product image's analysis are woken by that analysis, not here
        .exclude(garments__product_image__tryon_analysis__status__in=analysing)
        .values("photo_id")
        .annotate(last_created=Max("created_at"))
        .filter(last_created__lt=idle_since)
    )
    photos = set()
    for row in waiting:
        photo_id = row["photo_id"]
        if photo_id in busy:
            continue
        last_finished = Render.objects.filter(photo_id=photo_id, finished_at__isnull=False).aggregate(
            last=Max("finished_at")
        )["last"]
        if last_finished is None or last_finished < idle_since:
            photos.add(photo_id)
    return photos


def _sweep_analyses(model, task, key: str, now, report: SweepReport) -> None:
    expired = model.objects.filter(status=AnalysisStatus.RUNNING, lease_expires_at__lt=now)
    for pk, source_id, attempts in expired.values_list("pk", key, "attempts"):
        still = model.objects.filter(pk=pk, status=AnalysisStatus.RUNNING, lease_expires_at__lt=now)
        if attempts >= max_attempts():
            if still.update(
                status=AnalysisStatus.FAILED,
                failure_code="worker_lost",
                failure_reason=GAVE_UP_REASON,
                finished_at=now,
                lease_expires_at=None,
                updated_at=now,
            ):
                report.analyses_given_up += 1
        elif still.update(
            status=AnalysisStatus.PENDING, enqueued_at=None, lease_expires_at=None, updated_at=now
        ):
            report.analyses_requeued += 1
            send_task(task, source_id)  # sets enqueued_at; with the broker down a later pass resends
    grace = now - timedelta(seconds=10)  # an upload's own on-commit send is still on its way
    lost = model.objects.filter(status=AnalysisStatus.PENDING).filter(
        Q(enqueued_at__isnull=True, updated_at__lt=grace) | Q(enqueued_at__lt=now - pending_requeue_after())
    )
    batch = int(getattr(settings, "TRYON_SWEEP_BATCH", 200))
    overdue = lost.order_by("updated_at").values_list("pk", key, "enqueued_at")[:batch]
    for pk, source_id, enqueued_at in overdue:
        # Claim the resend (another sweeper may be looking at the same row), then send.
        claimed = model.objects.filter(pk=pk, status=AnalysisStatus.PENDING, enqueued_at=enqueued_at).update(
            enqueued_at=now
        )
        if claimed:
            if send_task(task, source_id):
                report.analyses_requeued += 1
            else:
                model.objects.filter(pk=pk).update(enqueued_at=None)


def sweep() -> SweepReport:
    """One pass of the sweeper (idempotent; safe in several processes at once)."""
    from tryon.tasks import analyse_product_image, analyse_reference_photo, render_pending

    now = timezone.now()
    report = SweepReport()
    photos = _expired_renders(now, report) | _abandoned_queues(now)
    _sweep_analyses(ReferencePhotoAnalysis, analyse_reference_photo, "photo_id", now, report)
    _sweep_analyses(ProductImageAnalysis, analyse_product_image, "product_image_id", now, report)
    for photo_id in sorted(photos):
        queued = Render.objects.filter(photo_id=photo_id, status=RenderStatus.QUEUED).exists()
        if queued and send_task(render_pending, photo_id):
            report.chains_started += 1
    if report:
        logger.info("sweeper: %s", report)
    return report


# --------------------------------------------------------------------------- the worker's own timer

_sweeper_started = threading.Event()


def start_sweeper_thread(interval: float | None = None) -> threading.Thread | None:
    """Run :func:`sweep` every ``interval`` seconds in a daemon thread of this process (once).

    For workers started without Celery beat (``make run``); beat's ``tryon.tasks.sweep`` does the
    same where beat runs. Errors (database or broker down) are logged and the next pass retries.
    """
    if _sweeper_started.is_set():
        return None
    _sweeper_started.set()
    every = float(interval if interval is not None else getattr(settings, "TRYON_SWEEP_INTERVAL_S", 10))

    stale_every = float(getattr(settings, "TRYON_STALE_INTERVAL_S", 300))

    def loop() -> None:
        from tryon.tasks import analyse_stale

        stale_sent = time.monotonic()
        while True:
            time.sleep(every)
            try:
                close_old_connections()
                sweep()
                if stale_every > 0 and time.monotonic() - stale_sent >= stale_every:
                    stale_sent = time.monotonic()
                    send_task(analyse_stale)  # out-of-date analyses, as beat's schedule does
            except Exception:
                logger.warning("sweeper pass failed; retrying in %.0f s", every, exc_info=True)
                connections.close_all()

    thread = threading.Thread(target=loop, name="tryon-sweeper", daemon=True)
    thread.start()
    return thread
