import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.filing.models import Report

# Longer than a render may take (the task's hard time limit), so that only a dead worker's claim expires.
CLAIM_EXPIRES = datetime.timedelta(minutes=5)
# A render handed to the broker that no worker took on in this long was lost with the broker's queue (Redis
# restarted empty), or waits behind a dead worker's message: the sweep queues it again.
QUEUE_PATIENCE = datetime.timedelta(minutes=10)


class RenderStatus(models.TextChoices):
    PENDING = "pending", _("正在生成")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


class RenderWork(models.Model):
    """A PDF to make: its state, and the outbox of its task. `queued_at` is empty until the task reached the broker
    (a broker outage leaves it empty, and the sweep queues it once the broker is back); `claimed_at` while a worker
    renders it; `attempts` counts the workers that took it on."""

    Status = RenderStatus

    status = models.CharField(max_length=16, choices=RenderStatus.choices, default=RenderStatus.PENDING)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    # When a worker took the rendering on; empty while nobody is rendering it.
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True

    def is_stuck(self, now: datetime.datetime | None = None) -> bool:
        """Pending, but nobody is on it: never reached the broker, lost there, or its worker died mid-render."""
        if self.status != RenderStatus.PENDING:
            return False
        now = now or timezone.now()
        if self.claimed_at is not None:
            return self.claimed_at < now - CLAIM_EXPIRES
        return self.queued_at is None or self.queued_at < now - QUEUE_PATIENCE

    @property
    def waits_for_the_broker(self) -> bool:
        return self.status == RenderStatus.PENDING and self.queued_at is None


class PdfRendition(RenderWork):
    """The PDF of one version of a report's content: one row per report and content hash."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="pdf_renditions")
    content_hash = models.CharField(max_length=64)
    file = models.FileField(upload_to="pdf/%Y/", blank=True)

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
