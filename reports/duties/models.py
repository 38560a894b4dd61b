from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.filing.models import ReportSection


class DutyFacts(models.Model):
    """What reviewers check about the principal responsible persons; blank means not stated."""

    section = models.OneToOneField(ReportSection, on_delete=models.CASCADE, related_name="duty_facts")
    leaders_heard_reports = models.PositiveIntegerField(
        _("主要负责人听取法治建设工作汇报（次）"), null=True, blank=True
    )
    study_sessions = models.PositiveIntegerField(_("领导班子集体学法（次）"), null=True, blank=True)
    year_end_accountability_done = models.BooleanField(_("主要负责人已开展年终述法"), null=True, blank=True)
    law_list_published = models.BooleanField(_("已公布领导干部应知应会法律法规清单"), null=True, blank=True)

    FIELDS = ["leaders_heard_reports", "study_sessions", "year_end_accountability_done", "law_list_published"]

    def __str__(self) -> str:
        return f"duties {self.section_id}"
