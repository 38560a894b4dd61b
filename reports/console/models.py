from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BulkImport(models.Model):
    """An uploaded table of agencies or staff, kept between its preview and the administrator's go-ahead."""

    class Kind(models.TextChoices):
        AGENCIES = "agencies", _("机关")
        STAFF = "staff", _("人员")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    file_name = models.CharField(max_length=200)
    rows = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"
