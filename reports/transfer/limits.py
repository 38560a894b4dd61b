"""What reading one uploaded file may cost the worker that reads it: its time (the task's limits) and its memory.

The memory limit caps the pool process's address space at what it uses now plus IMPORT_MEMORY_LIMIT_MB while it
reads: a file that would need more (millions of paragraphs, say) fails with MemoryError, which the reader turns
into a clear refusal, instead of the worker growing until the machine or the OOM killer stops it. It applies in a
worker's pool process only; elsewhere (the demo without a broker, a management command) files are read as before.
"""

from __future__ import annotations

import contextlib
import logging
import resource
from collections.abc import Iterator

from celery.signals import worker_process_init
from django.conf import settings

logger = logging.getLogger(__name__)


class _Here:
    in_a_pool_process = False


@worker_process_init.connect
def _in_a_pool_process(**kwargs) -> None:
    _Here.in_a_pool_process = True


def _address_space() -> int | None:
    """The process's virtual memory now, in bytes (Linux)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def memory_limit(megabytes: int | None = None) -> Iterator[None]:
    megabytes = settings.IMPORT_MEMORY_LIMIT_MB if megabytes is None else megabytes
    used = _address_space()
    if not _Here.in_a_pool_process or not megabytes or used is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
