import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from reports.agencies.models import Agency


def default_due_date(year: int) -> datetime.date:
    return datetime.date(year + 1, 3, 1)


def default_publication_deadline(year: int) -> datetime.date:
    return datetime.date(year + 1, 4, 1)


class ReportingCycleQuerySet(models.QuerySet):
    def current(self, day: datetime.date | None = None) -> "ReportingCycle | None":
        """The cycle whose reports are being written, filed and published: the earliest whose publication
        deadline has not passed (none between one cycle's deadline and the next cycle's opening)."""
        day = day or timezone.localdate()
        return self.filter(publication_deadline__gte=day).order_by("year").first()

    def current_or_latest(self, day: datetime.date | None = None) -> "ReportingCycle | None":
        """What a page about "this year's reports" shows: the current cycle, else the latest there is."""
        return self.current(day) or self.order_by("-year").first()

    def last_closed(self, day: datetime.date | None = None) -> "ReportingCycle | None":
        """The latest cycle whose publication deadline has passed (whose compliance can be judged), else the
        latest there is."""
        day = day or timezone.localdate()
        return self.filter(publication_deadline__lt=day).order_by("-year").first() or self.order_by("-year").first()

    def startable(self) -> "ReportingCycleQuerySet":
        """The cycles a filer may start a report for: the three latest."""
        return self.order_by("-year")[:3]


class ReportingCycle(models.Model):
    """The yearly round of reports on one year's work."""

    year = models.PositiveSmallIntegerField(_("报告年度"), unique=True)
    due_date = models.DateField(_("报送截止日期"))
    publication_deadline = models.DateField(_("公开截止日期"))
    requires_sign_off = models.BooleanField(
        _("报送前须经机关负责人签发"),
        default=False,
        help_text=_("开启后，填报人提交的报告须由本机关签发人签发后才报送审核。"),
    )

    objects = ReportingCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("报告周期")
        verbose_name_plural = _("报告周期")

    def __str__(self) -> str:
        return _("%(year)s年度") % {"year": self.year}

    @property
    def publication_cutoff(self) -> datetime.datetime:
        """The first moment after the publication deadline day, in the portal's time zone."""
        next_day = self.publication_deadline + datetime.timedelta(days=1)
        return datetime.datetime.combine(next_day, datetime.time(), timezone.get_current_timezone())

    def published_on_time(self, first_published_at: datetime.datetime) -> bool:
        """First made public by the end of the deadline day (a later correction does not make it late)."""
        return first_published_at < self.publication_cutoff

    def submitted_late(self, submitted_at: datetime.datetime) -> bool:
        return timezone.localdate(submitted_at) > self.due_date

    def days_late(self, day: datetime.date) -> int:
        """How many days past the due date a report not yet handed in is on that day."""
        return max(0, (day - self.due_date).days)


class CycleSectionQuerySet(models.QuerySet):
    def for_agency(self, cycle: ReportingCycle, agency: Agency) -> list["CycleSection"]:
        """The sections an agency reports on: its province's own settings for the cycle where the province has
        made any, otherwise the national ones."""
        province = agency.region.province_id
        rows = list(
            self.filter(models.Q(region_id=province) | models.Q(region__isnull=True), cycle=cycle).order_by("position")
        )
        provincial = [row for row in rows if row.region_id == province]
        return provincial or [row for row in rows if row.region_id is None]


class CycleSection(models.Model):
    """Which sections a cycle asks for, in what order and under which heading, nationally (no region) or as a
    province's own settings (a province that requires court rulings, as Shanxi does, says so for its agencies)."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="sections")
    region = models.ForeignKey(
        "agencies.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("省份"),
        help_text=_("留空为全国通用；填写省份则该省机关使用本省的设置。"),
        limit_choices_to={"level": "province"},
    )
    key = models.CharField(_("部分"), max_length=32)
    position = models.PositiveSmallIntegerField(_("顺序"))
    heading = models.CharField(_("标题"), max_length=200)
    required = models.BooleanField(_("必填"), default=True)

    objects = CycleSectionQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "region", "position"]
        verbose_name = _("报告部分设置")
        verbose_name_plural = _("报告部分设置")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "key"], condition=models.Q(region__isnull=True), name="one_national_section_per_key"
            ),
            models.UniqueConstraint(
                fields=["cycle", "region", "key"],
                condition=models.Q(region__isnull=False),
                name="one_provincial_section_per_key",
            ),
        ]

    def __str__(self) -> str:
        return self.heading


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    AWAITING_SIGN_OFF = "awaiting_sign_off", _("待签发")
    SUBMITTED = "submitted", _("已报送")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核通过")
    PUBLISHED = "published", _("已公开")
    WITHDRAWN = "withdrawn", _("已撤回")


EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)
UNDER_REVIEW_STATES = (ReportState.SUBMITTED, ReportState.IN_REVIEW)
# Handed in to the reviewers: from submission on, whatever became of it since. A report awaiting the agency
# head's sign-off is still the agency's.
HANDED_IN_STATES = (
    ReportState.SUBMITTED,
    ReportState.IN_REVIEW,
    ReportState.APPROVED,
    ReportState.PUBLISHED,
    ReportState.WITHDRAWN,
)


class ReportQuerySet(models.QuerySet):
    def published(self) -> "ReportQuerySet":
        """Reports the public may read: a published version exists and the report is not withdrawn.

        A report being corrected stays public in its last published version.
        """
        return self.filter(published_revision__isnull=False).exclude(state=ReportState.WITHDRAWN)

    def handed_in(self) -> "ReportQuerySet":
        return self.filter(state__in=HANDED_IN_STATES)

    def locked(self, report: "Report") -> "Report":
        """The report's row, locked for the rest of the transaction, as it stands now."""
        return self.select_for_update().select_related("agency__region", "cycle").get(pk=report.pk)


class Report(FSMModelMixin, models.Model):
    """One agency's report for one cycle. Its state moves only through services."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="reports", verbose_name=_("机关"))
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="reports", verbose_name=_("周期"))
    state = FSMField(_("状态"), default=ReportState.DRAFT, choices=ReportState.choices, protected=True)

    title = models.CharField(_("标题"), max_length=200)
    addressee = models.CharField(_("主送机关"), max_length=200, blank=True)
    preface = models.TextField(_("导语"), blank=True)
    other_matters = models.TextField(_("其他需要报告的情况"), blank=True)
    signature = models.CharField(_("落款"), max_length=128, blank=True)
    signed_on = models.DateField(_("成文日期"), null=True, blank=True)
    public_note = models.CharField(_("公开属性"), max_length=32, blank=True, default="（此件公开发布）")
    attachments = models.TextField(_("附件"), blank=True, help_text=_("每行一个附件名称。"))

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回理由"), blank=True)
    published_revision = models.ForeignKey(
        "ReportRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle__year", "agency__region__code", "agency__name"]
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        constraints = [models.UniqueConstraint(fields=["agency", "cycle"], name="one_report_per_agency_per_cycle")]

    def __str__(self) -> str:
        return f"{self.agency.name} {self.title}"

    @property
    def year(self) -> int:
        return self.cycle.year

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_under_review(self) -> bool:
        return self.state in UNDER_REVIEW_STATES

    @property
    def is_handed_in(self) -> bool:
        return self.state in HANDED_IN_STATES

    @property
    def submitted_late(self) -> bool:
        return self.submitted_at is not None and self.cycle.submitted_late(self.submitted_at)

    def cycle_sections(self) -> list["CycleSection"]:
        """The sections this report is asked for, in order: its province's settings for the cycle, or the
        national ones."""
        return CycleSection.objects.for_agency(self.cycle, self.agency)

    def last_year(self) -> "Report | None":
        """The same agency's report for the year before."""
        return (
            Report.objects.select_related("agency", "cycle", "published_revision")
            .filter(agency_id=self.agency_id, cycle__year=self.cycle.year - 1)
            .first()
        )

    def latest_revision(self) -> "ReportRevision | None":
        return self.revisions.order_by("-number").first()

    def settled_snapshot(self) -> dict | None:
        """The report as it was last made public, else as it was last submitted; None if never submitted."""
        revision = self.published_revision or self.latest_revision()
        return revision.content if revision else None

    @property
    def attachment_titles(self) -> list[str]:
        return [line.strip() for line in self.attachments.splitlines() if line.strip()]

    # The transitions only move the state; services own the checks of who acts and the side effects.
    @transition(field=state, source=list(EDITABLE_STATES), target=ReportState.SUBMITTED)
    def submit(self) -> None: ...

    @transition(field=state, source=list(EDITABLE_STATES), target=ReportState.AWAITING_SIGN_OFF)
    def request_sign_off(self) -> None: ...

    @transition(field=state, source=ReportState.AWAITING_SIGN_OFF, target=ReportState.SUBMITTED)
    def sign_off(self) -> None: ...

    @transition(field=state, source=ReportState.AWAITING_SIGN_OFF, target=ReportState.RETURNED)
    def decline_sign_off(self) -> None: ...

    @transition(field=state, source=ReportState.SUBMITTED, target=ReportState.IN_REVIEW)
    def start_review(self) -> None: ...

    @transition(field=state, source=list(UNDER_REVIEW_STATES), target=ReportState.RETURNED)
    def return_for_revision(self) -> None: ...

    @transition(field=state, source=list(UNDER_REVIEW_STATES), target=ReportState.APPROVED)
    def approve(self) -> None: ...

    @transition(field=state, source=ReportState.APPROVED, target=ReportState.PUBLISHED)
    def publish(self) -> None: ...

    @transition(field=state, source=ReportState.PUBLISHED, target=ReportState.WITHDRAWN)
    def withdraw(self) -> None: ...

    @transition(field=state, source=ReportState.PUBLISHED, target=ReportState.DRAFT)
    def start_correction(self) -> None:
        """Reopen a published report; the public keeps reading its last published version meanwhile."""

    @transition(field=state, source=ReportState.DRAFT, target=ReportState.PUBLISHED)
    def publish_archived(self) -> None:
        """A report already published elsewhere in a past year, brought into the portal as it was."""


class ReportSection(models.Model):
    """A report's part for one registered section: the generic frame around a section app's content."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=32)
    heading = models.CharField(_("标题"), max_length=200, blank=True)
    text = models.TextField(_("正文"), blank=True)
    folded = models.BooleanField(_("并入下一部分开头"), default=False, help_text=_("不单列标题，写在下一部分的开头。"))
    nothing_to_report = models.BooleanField(_("本年度无此项内容"), default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="one_section_per_key")]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.key}"

    @property
    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.text)


def split_paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ReportRevision(models.Model):
    """An immutable snapshot of the whole report, taken at each submission."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_revision_number_per_report")]

    def __str__(self) -> str:
        return f"{self.report_id} r{self.number}"


class Publication(models.Model):
    """One published version of a report, with its public change note; older versions stay readable."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="publications")
    number = models.PositiveIntegerField(_("版本"))
    revision = models.ForeignKey(ReportRevision, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    change_note = models.TextField(_("更正说明"), blank=True)

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_publication_number_per_report")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class ReportEvent(models.Model):
    """The audit trail: who moved a report, when, and why. Kept when the user is removed."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("报送")
        REQUEST_SIGN_OFF = "request_sign_off", _("提请签发")
        SIGN_OFF = "sign_off", _("签发")
        DECLINE_SIGN_OFF = "decline_sign_off", _("不予签发")
        START_REVIEW = "start_review", _("开始审核")
        RETURN = "return", _("退回修改")
        APPROVE = "approve", _("审核通过")
        PUBLISH = "publish", _("公开发布")
        WITHDRAW = "withdraw", _("撤回")
        START_CORRECTION = "start_correction", _("发起更正")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.actor_name} {self.at:%Y-%m-%d %H:%M}"
