"""An uploaded file's first steps, in the web request: what can be told at once is refused at once, the rest is
kept for the worker, which reads it (transfer.reading) while the filer's page shows its progress."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from reports.agencies.models import User
from reports.filing.models import Report
from reports.transfer.files import check_upload
from reports.transfer.models import ReportImport
from reports.transfer.services import check_editable
from reports.transfer.tasks import queue_readings


def queue_import(*, report: Report, data: bytes, file_name: str, by: User, full_width: bool = True) -> ReportImport:
    """Keep an uploaded file for the worker to read, once this commits; what can be told at once (its size, its
    kind, a Word file's directory) is refused at once, with the message reading it would give."""
    check_editable(report)
    check_upload(data, file_name=file_name)
    with transaction.atomic():
        report = Report.objects.locked(report)
        check_editable(report)
        # A refused file's record only said why (its file is gone): the new upload replaces it.
        ReportImport.objects.filter(report=report, status=ReportImport.Status.FAILED).delete()
        record = ReportImport(
            report=report, file_name=file_name[-255:], status=ReportImport.Status.READING, full_width=full_width
        )
        record.created_by = by
        record.upload.save(f"{uuid.uuid4().hex}{Path(file_name).suffix.lower()}", ContentFile(data), save=False)
        record.save()
        queue_readings([record.pk])
    return record
