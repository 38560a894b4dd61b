from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.filing.models import ReportSection


class Shortcoming(models.Model):
    """One shortcoming and its cause. A draft may hold either half alone; the checks point it out."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="shortcomings")
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)
    description = models.TextField(_("不足"), blank=True)
    cause = models.TextField(_("原因"), blank=True)

    class Meta:
        ordering = ["section", "position", "pk"]

    def __str__(self) -> str:
        return self.description[:40]
