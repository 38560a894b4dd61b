from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in a person's in-portal inbox; e-mailed too unless it is only for the daily digest."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("报告已报送")
        SIGN_OFF_REQUESTED = "sign_off_requested", _("报告待签发")
        SIGN_OFF_DECLINED = "sign_off_declined", _("报告未获签发")
        RETURNED = "returned", _("报告被退回")
        APPROVED = "approved", _("报告审核通过")
        PUBLISHED = "published", _("报告已公开")
        WITHDRAWN = "withdrawn", _("报告已撤回")
        REMINDER = "reminder", _("报送提醒")
        DIGEST = "digest", _("每日汇总")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    report = models.ForeignKey("filing.Report", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_wanted = models.BooleanField(default=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # When a worker took the sending on; empty while nobody is sending it.
    email_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class ScheduledMessage(models.Model):
    """Remembers which reminder or digest a person got on which day, so a rerun sends nothing twice."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "kind", "day"], name="one_scheduled_message_a_day")]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.day}"
