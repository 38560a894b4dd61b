from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.filing.models import Report


class PdfRendition(models.Model):
    """The PDF of one version of a report's content: one row per report and content hash."""

    class Status(models.TextChoices):
        PENDING = "pending", _("正在生成")
        READY = "ready", _("已生成")
        FAILED = "failed", _("生成失败")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="pdf_renditions")
    content_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="pdf/%Y/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # When a worker took the rendering on; empty while nobody is rendering it.
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "content_hash"], name="one_pdf_per_report_content"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.content_hash[:8]} {self.status}"
