from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.filing.models import Report
from reports.filing.queue import QueuedWork


class RenderStatus(models.TextChoices):
    PENDING = "pending", _("正在生成")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


class RenderWork(QueuedWork):
    """A PDF to make, and the outbox of its task (QueuedWork)."""

    Status = RenderStatus
    waiting_status = RenderStatus.PENDING

    status = models.CharField(max_length=16, choices=RenderStatus.choices, default=RenderStatus.PENDING)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class PdfRendition(RenderWork):
    """The PDF of one version of a report's content: one row per report and content hash."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="pdf_renditions")
    content_hash = models.CharField(max_length=64)
    file = models.FileField(upload_to="pdf/%Y/", blank=True)
    # What made the file (fingerprint.py); empty for a PDF made before this was recorded.
    renderer_fingerprint = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "content_hash"], name="one_pdf_per_report_content"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.content_hash[:8]} {self.status}"


class DraftPdf(RenderWork):
    """A draft's PDF asked for by staff, made by the worker from the content as it stood when asked (marked 草稿,
    never public). Kept until a newer one of the same report replaces it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="draft_pdfs")
    content_hash = models.CharField(max_length=64)
    snapshot = models.JSONField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    file = models.FileField(upload_to="drafts/%Y/", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "content_hash"], name="one_draft_pdf_per_content")]

    def __str__(self) -> str:
        return f"draft {self.report_id}:{self.content_hash[:8]} {self.status}"
