from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.filing.models import Report


class Comment(models.Model):
    """A reviewer's comment on a section or one of its points, or a filer's answer to one.

    Comments belong to the report, not to a submission, so a thread survives returns and resubmissions.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    section_key = models.CharField(_("部分"), max_length=32)
    section_heading = models.CharField(_("部分标题"), max_length=200)
    point_label = models.CharField(_("要点"), max_length=200, blank=True)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_name = models.CharField(max_length=150)
    body = models.TextField(_("意见"))
    revision_number = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["report", "resolved_at"])]

    def __str__(self) -> str:
        return self.body[:40]

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
