from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class RegionQuerySet(models.QuerySet):
    def within(self, region: "Region") -> "RegionQuerySet":
        """The region and every division under it (a province's cities and their counties)."""
        return self.filter(Q(pk=region.pk) | Q(parent=region) | Q(parent__parent=region))


class Region(models.Model):
    """An administrative division (行政区划) such as 山西省 or 长治市."""

    name = models.CharField(_("名称"), max_length=64)
    code = models.CharField(
        _("行政区划代码"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("行政区划代码应为 6 位数字。"))],
    )
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级")
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name

    @property
    def province_id(self) -> int:
        """The province this division belongs to (divisions nest at most three deep: province, city, county)."""
        if self.level == Level.PROVINCE or self.parent_id is None:
            return self.pk
        if self.level == Level.CITY or self.parent.parent_id is None:
            return self.parent_id
        return self.parent.parent_id


class OwnReportApproval(models.TextChoices):
    """Who approves a justice department's own report, which its own reviewers may not approve alone."""

    LEVEL_ABOVE = "level_above", _("由上一级司法行政部门审核")
    SECOND_REVIEWER = "second_reviewer", _("由本部门另一名审核人复核")


class ProvincePolicyQuerySet(models.QuerySet):
    def for_region(self, region: Region) -> "ProvincePolicy":
        """The policy of the province the region belongs to; the defaults where it has decided nothing."""
        province = region.province_id
        return self.filter(province_id=province).first() or ProvincePolicy(province_id=province)


class ProvincePolicy(models.Model):
    """What a province decides for its own agencies and people, edited in its administrator's console."""

    province = models.OneToOneField(
        Region,
        on_delete=models.CASCADE,
        related_name="policy",
        limit_choices_to={"level": "province"},
        verbose_name=_("省份"),
    )
    administrators_read_drafts = models.BooleanField(
        _("管理员可查阅报告草稿"),
        default=False,
        help_text=_("开启后，本地区管理员可只读查阅本地区机关尚未公开的报告。"),
    )
    reviewers_read_unsubmitted = models.BooleanField(
        _("审核人可查阅从未报送的草稿"), default=False, help_text=_("关闭时，审核人只能看到已报送过的报告。")
    )
    own_report_approval = models.CharField(
        _("司法行政部门本部门报告的审核"),
        max_length=16,
        choices=OwnReportApproval.choices,
        default=OwnReportApproval.LEVEL_ABOVE,
    )

    objects = ProvincePolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("省级设置")
        verbose_name_plural = _("省级设置")

    def __str__(self) -> str:
        return str(self.province)


class AgencyKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("政府部门")
    JUSTICE = "justice", _("司法行政部门")


class AgencyQuerySet(models.QuerySet):
    """Who reviews whom, the one rule read both ways: a justice department (司法厅/司法局) reviews the agencies of
    its own region and level, and the people's governments one level down."""

    def reviewed_by(self, justice_department: "Agency") -> "AgencyQuerySet":
        """The agencies a justice department reviews."""
        if justice_department.kind != AgencyKind.JUSTICE:
            return self.none()
        region = justice_department.region_id
        return self.filter(Q(region_id=region) | Q(region__parent_id=region, kind=AgencyKind.GOVERNMENT))

    def reviewing(self, agency: "Agency") -> "AgencyQuerySet":
        """The justice departments that review an agency: the same rule seen from the reviewed agency."""
        regions = Q(region_id=agency.region_id)
        if agency.kind == AgencyKind.GOVERNMENT and agency.region.parent_id:
            regions |= Q(region_id=agency.region.parent_id)
        return self.filter(regions, kind=AgencyKind.JUSTICE)


class Agency(models.Model):
    name = models.CharField(_("机关全称"), max_length=128)
    code = models.SlugField(_("机关代码"), max_length=64, unique=True, help_text=_("用于网址，如 sx-yjt。"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("行政区划"))
    kind = models.CharField(_("类别"), max_length=16, choices=AgencyKind.choices)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "kind", "name"]
        verbose_name = _("机关")
        verbose_name_plural = _("机关")

    def __str__(self) -> str:
        return self.name

    @property
    def is_justice_department(self) -> bool:
        return self.kind == AgencyKind.JUSTICE

    def reviews(self, other: "Agency") -> bool:
        return Agency.objects.reviewed_by(self).filter(pk=other.pk).exists()


class Role(models.TextChoices):
    FILER = "filer", _("填报人")
    REVIEWER = "reviewer", _("审核人")
    SIGNATORY = "signatory", _("签发人")
    ADMINISTRATOR = "administrator", _("管理员")


class UserQuerySet(models.QuerySet):
    """The people who act on an agency's report, and so hear of it."""

    def active_in_role(self, role: str) -> "UserQuerySet":
        return self.filter(role=role, is_active=True)

    def filers_of(self, agency: Agency) -> "UserQuerySet":
        return self.active_in_role(Role.FILER).filter(agency=agency)

    def signatories_of(self, agency: Agency) -> "UserQuerySet":
        return self.active_in_role(Role.SIGNATORY).filter(agency=agency)

    def reviewers_of(self, agency: Agency) -> "UserQuerySet":
        return self.active_in_role(Role.REVIEWER).filter(agency__in=Agency.objects.reviewing(agency))

    def reviewers(self) -> "UserQuerySet":
        return self.active_in_role(Role.REVIEWER).filter(agency__kind=AgencyKind.JUSTICE)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person using the portal. Staff belong to exactly one agency."""

    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("所属机关")
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.FILER)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="administrator") | Q(agency__isnull=False),
                name="staff_belong_to_an_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_filer(self) -> bool:
        return self.is_active and self.role == Role.FILER and self.agency_id is not None

    @property
    def is_signatory(self) -> bool:
        return self.is_active and self.role == Role.SIGNATORY and self.agency_id is not None

    @property
    def is_reviewer(self) -> bool:
        return (
            self.is_active
            and self.role == Role.REVIEWER
            and self.agency_id is not None
            and self.agency.kind == AgencyKind.JUSTICE
        )
