from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.filing.models import Report


class ReportImport(models.Model):
    """A file read for a report: what it puts where. It waits for confirmation when the draft has content."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        APPLIED = "applied", _("已导入")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(_("文件名"), max_length=255)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    snapshot = models.JSONField()
    summary = models.JSONField()
    # The report's version when the file was read: confirming after someone saved would overwrite their work.
    report_version = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
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
