from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.filing.models import ReportSection, split_paragraphs


class PlannedTask(models.Model):
    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="planned_tasks")
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)
    heading = models.CharField(_("要点标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"), blank=True, help_text=_("每段一行。"))

    class Meta:
        ordering = ["section", "position", "pk"]

    def __str__(self) -> str:
        return self.heading

    @property
    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.body)
