"""What reading one uploaded file may cost the worker: it is read in a process of its own, with at most
IMPORT_MEMORY_LIMIT_MB of address space and IMPORT_SOFT_TIME_LIMIT seconds. A file that needs more (millions of
paragraphs, say) is refused with a message saying so, and only that process ends: the worker, and the next file,
go on. (A limit on the worker's own process would count whatever it has already freed.)

This applies in a Celery worker's pool process. Elsewhere (the demo without a broker, a management command) the
file is read in the calling process, as before.
"""

from __future__ import annotations

import json
import logging
import resource
import subprocess
import sys
from dataclasses import asdict

from celery.signals import worker_process_init
from django.conf import settings
from django.utils.translation import gettext as _

from reports.transfer.errors import TransferError
from reports.transfer.importer import ImportResult, Target, read_report

logger = logging.getLogger(__name__)

# How the reading process ends, besides 0 (read, the result on its standard output).
REFUSED, TOO_BIG = 3, 4


class _Here:
    in_a_pool_process = False


@worker_process_init.connect
def _in_a_pool_process(**kwargs) -> None:
    _Here.in_a_pool_process = True


def too_big() -> str:
    return _("文件内容过多，超出了平台一次能读取的范围。请删去不属于报告的内容（如大量表格、附录），或分成几部分导入。")


def too_slow() -> str:
    return _("读取文件超过了时间限制（%(seconds)s 秒）。") % {"seconds": settings.IMPORT_SOFT_TIME_LIMIT} + too_big()


def read_within_limits(data: bytes, *, file_name: str, target: Target, full_width: bool = True) -> ImportResult:
    if not _Here.in_a_pool_process:
        return read_report(data, file_name=file_name, target=target, full_width=full_width)
    megabytes = settings.IMPORT_MEMORY_LIMIT_MB

    def limit_memory() -> None:
        if megabytes:
            resource.setrlimit(resource.RLIMIT_AS, (megabytes * 2**20, megabytes * 2**20))

    header = json.dumps({"file_name": file_name, "target": asdict(target), "full_width": full_width}).encode() + b"\n"
    process = subprocess.Popen(
        [sys.executable, "-m", "reports.transfer.reader"],
        cwd=settings.BASE_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=limit_memory,
    )
    try:
        out, err = process.communicate(header + data, timeout=settings.IMPORT_SOFT_TIME_LIMIT or None)
    except subprocess.TimeoutExpired:
        raise TransferError(too_slow()) from None
    finally:
        # Past its time, and whatever stopped this one (the task's own limit), the reading process ends too.
        if process.poll() is None:
            process.kill()
            process.wait()
    if process.returncode == 0:
        return ImportResult(**json.loads(out))
    if process.returncode == REFUSED:
        raise TransferError(json.loads(out)["message"])
    logger.warning("reading %r ended with %s: %s", file_name, process.returncode, err.decode(errors="replace")[-2000:])
    if process.returncode in (TOO_BIG, -9):
        raise TransferError(too_big())
    raise RuntimeError(f"reading process ended with {process.returncode}")
