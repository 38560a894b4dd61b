"""Handing work to the Celery worker after the action that asked for it has committed.

The rows the work is about are the outbox: an e-mail not yet sent, a PDF not yet made, a file not yet read stay in
the database as they are until the work is done. Queueing is only the fast way to the worker; when the broker is
away the action still succeeds, the rows wait, and the beat sweeps queue them again once it is back.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from typing import ClassVar

from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
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


class QueuedWork(models.Model):
    """A row of work for the worker (a PDF to make, a file to read), which is also its task's outbox.

    `queued_at` is empty until the task reached the broker (an outage leaves it empty, and the sweep queues it once
    the broker is back); `claimed_at` while a worker does it (a conditional update, so a doubled task finds it
    taken); `attempts` counts the workers that took it on. A subclass has a `status` field and names the status in
    which the work waits (`waiting_status`)."""

    waiting_status: ClassVar[str]
    # Longer than the work may take (its task's hard time limit), so that only a dead worker's claim expires.
    claim_expires: ClassVar[datetime.timedelta] = datetime.timedelta(minutes=5)
    # Queued this long ago and nobody took it on: lost with the broker's queue (Redis restarted empty), or waiting
    # behind a dead worker's message. The sweep queues it again.
    queue_patience: ClassVar[datetime.timedelta] = datetime.timedelta(minutes=10)

    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True

    def is_stuck(self, now: datetime.datetime | None = None) -> bool:
        """Waiting, but nobody is on it: never reached the broker, lost there, or its worker died on it."""
        if self.status != self.waiting_status:
            return False
        now = now or timezone.now()
        if self.claimed_at is not None:
            return self.claimed_at < now - self.claim_expires
        return self.queued_at is None or self.queued_at < now - self.queue_patience

    @property
    def waits_for_the_broker(self) -> bool:
        return self.status == self.waiting_status and self.queued_at is None

    @classmethod
    def stuck(cls, now: datetime.datetime | None = None) -> models.QuerySet:
        """is_stuck, as a query."""
        now = now or timezone.now()
        return cls.objects.filter(status=cls.waiting_status).filter(
            Q(claimed_at__lt=now - cls.claim_expires)
            | Q(claimed_at__isnull=True, queued_at__isnull=True)
            | Q(claimed_at__isnull=True, queued_at__lt=now - cls.queue_patience)
        )

    @classmethod
    def claim(cls, pk: int) -> datetime.datetime | None:
        """Take the work on, unless another worker has it (a claim older than claim_expires was a dead worker's);
        the moment of the claim, or None."""
        now = timezone.now()
        claimed = (
            cls.objects.filter(pk=pk, status=cls.waiting_status)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - cls.claim_expires))
            .update(claimed_at=now, attempts=F("attempts") + 1)
        )
        return now if claimed else None

    @classmethod
    def release(cls, pk: int, claimed_at: datetime.datetime) -> None:
        """Give the claim back (the work failed in a way a retry may get past)."""
        cls.objects.filter(pk=pk, claimed_at=claimed_at).update(claimed_at=None)

    @classmethod
    def mark_queued(cls, pks: list[int]) -> None:
        cls.objects.filter(pk__in=pks).update(queued_at=timezone.now())
