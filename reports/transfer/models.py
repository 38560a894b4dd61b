from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.filing.models import Report
from reports.filing.queue import QueuedWork


class ReportImport(QueuedWork):
    """A file uploaded for a report: the worker reads it (`upload`, kept until then), then what it puts where. It
    waits for confirmation when the draft has content. Also the outbox of the reading task (QueuedWork)."""

    class Status(models.TextChoices):
        READING = "reading", _("正在读取")
        FAILED = "failed", _("未能导入")
        PENDING = "pending", _("待确认")
        APPLIED = "applied", _("已导入")

    waiting_status = Status.READING

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(_("文件名"), max_length=255)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    upload = models.FileField(upload_to="imports/%Y/", blank=True)
    # Read with half-width punctuation between Chinese characters made full width (unless the filer kept it).
    full_width = models.BooleanField(default=True)
    error = models.TextField(blank=True)
    snapshot = models.JSONField(default=dict)
    summary = models.JSONField(default=dict)
    # The report's version when the file was read: confirming after someone saved would overwrite their work.
    report_version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "-created_at", "-pk"]
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.file_name}"


class UnplacedText(models.Model):
    """A paragraph an import could not place. The filer places or discards it before the report is submitted."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="unplaced_texts")
    source = models.ForeignKey(ReportImport, on_delete=models.CASCADE, related_name="unplaced_texts")
    position = models.PositiveIntegerField()
    text = models.TextField(_("文字"))

    class Meta:
        ordering = ["report", "position", "pk"]
        verbose_name = _("待处理文字")
        verbose_name_plural = _("待处理文字")

    def __str__(self) -> str:
        return self.text[:40]


def has_unplaced_text(report: Report) -> bool:
    """Whether an import left text the filer has not yet placed or discarded: such a report cannot be submitted."""
    return UnplacedText.objects.filter(report=report).exists()
