"""Domain events: what the store core announces, for the apps built on it to act on.

The core (``catalog``, ``accounts``) never imports the apps above it; it announces what happened and
they subscribe in their ``AppConfig.ready``, as Saleor's plugins do. An event goes out once the
change is committed (``transaction.on_commit``), with ids rather than model instances: a receiver
re-fetches what it needs and returns quietly when it is gone, like a Celery task. A failing receiver
is logged and neither undoes the committed change nor fails the request or the other receivers; what
a receiver left undone (a process killed between the commit and the event, a broker outage) is
repaired by the subscribing app's own periodic pass (try-on: ``tryon.tasks.analyse_stale``).
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)


def _send(signal: Signal, sender: type, payload: dict) -> None:
    for receiver, outcome in signal.send_robust(sender=sender, **payload):
        if isinstance(outcome, Exception):
            logger.error(
                "receiver %s of %s failed",
                getattr(receiver, "__qualname__", receiver),
                sender.__name__,
                exc_info=(type(outcome), outcome, outcome.__traceback__),
            )


def announce(signal: Signal, *, sender: type, **payload: object) -> None:
    """Send ``signal`` with ``payload`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(_send, signal, sender, payload))
