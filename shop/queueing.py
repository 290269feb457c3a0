"""Sending Celery tasks without ever failing the request that asked for them.

A web request that stored a row and then cannot reach the broker must still succeed: the row
records what is still to do, and a periodic pass (the try-on sweeper, ``seed_demo`` for
thumbnails) sends it later. Tasks are sent only after the transaction commits.
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def send_task_safely(task, *args) -> bool:
    """``task.delay(*args)``; False (and a warning in the log) when the broker refused it."""
    try:
        task.delay(*args)
    except Exception:  # kombu OperationalError, connection refused, timeouts...
        logger.warning(
            "broker unavailable: %s%r was not sent", getattr(task, "name", task), args, exc_info=True
        )
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(lambda: send_task_safely(task, *args))
