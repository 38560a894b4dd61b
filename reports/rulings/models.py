from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


def count(label: str) -> models.PositiveIntegerField:
    # Blank (None) means "not filled"; 0 means "none this year".
    return models.PositiveIntegerField(label, null=True, blank=True)


@dataclass(frozen=True)
class Group:
    title: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Bound:
    """A count that cannot exceed another one; `note` says what to check when it does."""

    part: str
    whole: str
    note: str = ""


@dataclass(frozen=True)
class RateRule:
    name: str
    numerator: str
    denominator: str


@dataclass(frozen=True)
class Rate:
    name: str
    numerator: int | None
    denominator: int | None

    @property
    def percent(self) -> Decimal | None:
        """None when it cannot be computed: a count is blank, or there was nothing to count."""
        if self.numerator is None or not self.denominator:
            return None
        return (Decimal(100) * self.numerator / self.denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def text(self) -> str:
        if self.percent is not None:
            return f"{self.percent.normalize():f}%"
        return str(_("本年度无此类案件")) if self.denominator == 0 else str(_("待填写"))


GROUPS = (
    Group(
        _("行政复议（本机关作为被申请人）"),
        ("reconsideration_received", "reconsideration_concluded", "reconsideration_overturned"),
    ),
    Group(_("行政诉讼（本机关作为被告）"), ("defendant_new", "defendant_concluded", "defendant_lost")),
    Group(_("行政诉讼（本机关作为第三人）"), ("third_party_new", "third_party_concluded", "third_party_lost")),
    Group(_("法院生效裁判的履行"), ("rulings_to_perform", "rulings_performed")),
    Group(_("出庭应诉"), ("hearings", "leader_appearances")),
)

# The counts as the public reads them, each label standing alone (in charts and open data); the form groups them
# under GROUPS and labels each by its model field.
PUBLIC_LABELS = {
    "reconsideration_received": _("行政复议案件（收到）"),
    "reconsideration_concluded": _("行政复议案件（办结）"),
    "reconsideration_overturned": _("行政复议被撤销、变更"),
    "defendant_new": _("作为被告的行政诉讼（新收）"),
    "defendant_concluded": _("作为被告的行政诉讼（审结）"),
    "defendant_lost": _("作为被告败诉"),
    "third_party_new": _("作为第三人的行政诉讼（新收）"),
    "third_party_concluded": _("作为第三人的行政诉讼（审结）"),
    "third_party_lost": _("作为第三人败诉"),
    "rulings_to_perform": _("应履行的法院生效裁判"),
    "rulings_performed": _("已履行的法院生效裁判"),
    "hearings": _("需出庭应诉的庭审"),
    "leader_appearances": _("负责人出庭应诉"),
}

CARRIED_OVER = _("如含上年结转的案件，请在正文中说明。")
BOUNDS = (
    Bound("reconsideration_concluded", "reconsideration_received", CARRIED_OVER),
    Bound("reconsideration_overturned", "reconsideration_concluded"),
    Bound("defendant_concluded", "defendant_new", CARRIED_OVER),
    Bound("defendant_lost", "defendant_concluded"),
    Bound("third_party_concluded", "third_party_new", CARRIED_OVER),
    Bound("third_party_lost", "third_party_concluded"),
    Bound("rulings_performed", "rulings_to_perform"),
    Bound("leader_appearances", "hearings"),
)

RATES = (
    RateRule(_("行政复议纠错率"), "reconsideration_overturned", "reconsideration_concluded"),
    RateRule(_("行政诉讼败诉率"), "defendant_lost", "defendant_concluded"),
    RateRule(_("生效裁判履行率"), "rulings_performed", "rulings_to_perform"),
    RateRule(_("负责人出庭应诉率"), "leader_appearances", "hearings"),
)


class CourtCaseFigures(models.Model):
    """The counts behind the court-rulings section. Rates are computed from them, never typed."""

    section = models.OneToOneField("filing.ReportSection", on_delete=models.CASCADE, related_name="court_figures")
    reconsideration_received = count(_("收到复议申请"))
    reconsideration_concluded = count(_("办结"))
    reconsideration_overturned = count(_("被撤销、变更"))
    defendant_new = count(_("新收案件"))
    defendant_concluded = count(_("审结"))
    defendant_lost = count(_("败诉"))
    third_party_new = count(_("新收案件"))
    third_party_concluded = count(_("审结"))
    third_party_lost = count(_("败诉"))
    rulings_to_perform = count(_("应履行"))
    rulings_performed = count(_("已履行"))
    hearings = count(_("应出庭的庭审"))
    leader_appearances = count(_("负责人出庭"))

    FIELDS = [name for group in GROUPS for name in group.fields]

    def __str__(self) -> str:
        return f"court figures {self.section_id}"

    def counts(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in self.FIELDS}


def label_of(name: str) -> str:
    """A count's label with its group, as a reviewer would say it: 行政诉讼（本机关作为被告）：败诉."""
    group = next(g for g in GROUPS if name in g.fields)
    return f"{group.title}：{CourtCaseFigures._meta.get_field(name).verbose_name}"


def rates(counts: dict[str, Any]) -> list[Rate]:
    return [Rate(str(r.name), counts.get(r.numerator), counts.get(r.denominator)) for r in RATES]


def contradictions(counts: dict[str, Any]) -> list[str]:
    """Counts that contradict each other. They are shown to the filer, never corrected for them."""
    found = []
    for bound in BOUNDS:
        part, whole = counts.get(bound.part), counts.get(bound.whole)
        if part is not None and whole is not None and part > whole:
            message = _("“%(part)s”（%(part_n)s 件）多于“%(whole)s”（%(whole_n)s 件），请核对。") % {
                "part": label_of(bound.part),
                "part_n": part,
                "whole": label_of(bound.whole),
                "whole_n": whole,
            }
            found.append(f"{message}{bound.note}")
    return found


def unfilled(counts: dict[str, Any]) -> list[str]:
    return [label_of(name) for name in CourtCaseFigures.FIELDS if counts.get(name) is None]
