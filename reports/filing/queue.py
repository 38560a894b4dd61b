"""Handing work to the Celery worker after the action that asked for it has committed.

The rows the work is about are the outbox: an e-mail not yet sent, a PDF not yet made, a file not yet read stay in
the database as they are until the work is done. Queueing is only the fast way to the worker; when the broker is
away the action still succeeds, the rows wait, and the beat sweeps queue them again once it is back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What publishing a task raises when Redis cannot be reached (kombu wraps most of them in OperationalError).
BROKER_ERRORS = (KombuError, RedisError, OSError)


def queue_now(task, *args, on_queued: Callable[[], None] | None = None) -> bool:
    """Send one task to the broker; False when the broker is away (logged: the sweeps will queue it again)."""
    try:
        task.apply_async(args)
    except BROKER_ERRORS as error:
        logger.warning("broker unavailable, %s%r left for the sweep: %r", task.name, args, error)
        return False
    if on_queued is not None:
        on_queued()
    return True


def queue_each_after_commit(task, ids: Iterable[int], *, on_queued: Callable[[list[int]], None] | None = None) -> None:
    """Once the caller's transaction commits, send one task per id; at the first broker failure stop trying (the
    rest wait for the sweep). `on_queued` hears which ids reached the broker."""
    ids = list(ids)
    if not ids:
        return

    def send() -> None:
        sent = []
        for pk in ids:
            if not queue_now(task, pk):
                break
            sent.append(pk)
        if sent and on_queued is not None:
            on_queued(sent)

    transaction.on_commit(send)
