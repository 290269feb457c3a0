"""Celery tasks of the try-on pipeline: ids in, re-fetch, quiet when the row is gone.

``analyse_*`` run on the ``preprocess`` queue (CPU), ``render_*`` on the ``render`` queue
(one process per GPU where there is one); see ``CELERY_TASK_ROUTES`` in the settings. Each
worker process loads its models once, when it starts (``worker_process_init``).
"""

import logging

from celery import shared_task
from celery.signals import worker_process_init, worker_ready

logger = logging.getLogger(__name__)


@shared_task(name="tryon.tasks.analyse_product_image", ignore_result=True)
def analyse_product_image(product_image_id: int) -> None:
    from tryon.services import product_image_analyse

    product_image_analyse(product_image_id=product_image_id)


@shared_task(name="tryon.tasks.analyse_reference_photo", ignore_result=True)
def analyse_reference_photo(photo_id: int) -> None:
    from tryon.services import reference_photo_analyse

    reference_photo_analyse(photo_id=photo_id)


@shared_task(name="tryon.tasks.analyse_stale", ignore_result=True)
def analyse_stale() -> None:
    """Queue a bounded batch of out-of-date analyses again, oldest first (beat or the worker timer,
    every ``TRYON_STALE_INTERVAL_S``); runs on the ``preprocess`` queue, where the analyzer is loaded."""
    from tryon.services import analyses_refresh_stale

    analyses_refresh_stale()


@shared_task(name="tryon.tasks.render_pending", ignore_result=True)
def render_pending(photo_id: int) -> None:
    """Make the shopper's queued renders, most urgent first, batch after batch (time-boxed)."""
    from tryon.services import renders_drain

    renders_drain(photo_id=photo_id)


@shared_task(name="tryon.tasks.sweep", ignore_result=True, soft_time_limit=60, time_limit=90)
def sweep() -> None:
    """Requeue expired leases, lost analyses and abandoned render queues (Celery beat, every 10 s)."""
    from tryon.services.leases import sweep as sweep_once

    sweep_once()


@worker_ready.connect
def _start_sweeper(**kwargs) -> None:
    """Where beat is not run, each worker's main process sweeps on its own timer."""
    from django.conf import settings

    if getattr(settings, "TRYON_SWEEP_IN_WORKER", True):
        from tryon.services.leases import start_sweeper_thread

        start_sweeper_thread()


@worker_process_init.connect
def _load_models(**kwargs) -> None:
    """Load the analyzer and the renderer once per worker process, before the first task.

    Django is set up by Celery's Django fix-up in the parent before it forks; calling
    ``django.setup()`` again here would re-apply ``LOGGING`` and drop Celery's handlers in the
    child (its "Task ... succeeded" lines would vanish).
    """
    from tryon.services import warm_up

    try:
        warm_up()
    except Exception:  # a broken model must not stop the worker; tasks report the reason
        logger.exception("try-on warm-up failed")
