from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.filing.models import ReportSection


def count(label: str) -> models.PositiveIntegerField:
    # Blank (None) means "not filled"; 0 means "none this year".
    return models.PositiveIntegerField(label, null=True, blank=True)


class CourtCaseFigures(models.Model):
    section = models.OneToOneField(ReportSection, on_delete=models.CASCADE, related_name="court_figures")
    reconsideration_received = count(_("作为被申请人的行政复议案件（收到）"))
    reconsideration_concluded = count(_("行政复议案件（办结）"))
    reconsideration_overturned = count(_("行政复议被撤销、变更的"))
    defendant_new = count(_("作为被告的行政诉讼案件（新收）"))
    defendant_concluded = count(_("作为被告的行政诉讼案件（审结）"))
    defendant_lost = count(_("作为被告败诉的"))
    third_party_new = count(_("作为第三人的行政诉讼案件（新收）"))
    third_party_concluded = count(_("作为第三人的行政诉讼案件（审结）"))
    third_party_lost = count(_("作为第三人败诉的"))
    rulings_to_perform = count(_("应履行的法院生效裁判"))
    rulings_performed = count(_("已履行的法院生效裁判"))
    hearings = count(_("需出庭应诉的庭审"))
    leader_appearances = count(_("负责人出庭应诉"))

    FIELDS = [
        "reconsideration_received",
        "reconsideration_concluded",
        "reconsideration_overturned",
        "defendant_new",
        "defendant_concluded",
        "defendant_lost",
        "third_party_new",
        "third_party_concluded",
        "third_party_lost",
        "rulings_to_perform",
        "rulings_performed",
        "hearings",
        "leader_appearances",
    ]

    def __str__(self) -> str:
        return f"court figures {self.section_id}"
