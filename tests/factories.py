"""Small, real-looking data for tests: Shanxi, Changzhi, a county, and one outsider province."""

from __future__ import annotations

from dataclasses import dataclass

from reports.agencies.models import Agency, AgencyKind, Level, Region, Role, User
from reports.filing import services
from reports.filing.models import Report, ReportingCycle
from reports.workflow import actions

PASSWORD = "test-password-2024"


@dataclass
class Places:
    shanxi: Region
    changzhi: Region
    lucheng: Region
    hebei: Region
    sx_justice: Agency
    sx_emergency: Agency
    sx_government: Agency
    cz_government: Agency
    cz_justice: Agency
    cz_emergency: Agency
    lc_government: Agency
    hb_emergency: Agency


def make_places() -> Places:
    shanxi = Region.objects.create(code="140000", name="山西省", level=Level.PROVINCE)
    changzhi = Region.objects.create(code="140400", name="长治市", level=Level.CITY, parent=shanxi)
    lucheng = Region.objects.create(code="140406", name="潞城区", level=Level.COUNTY, parent=changzhi)
    hebei = Region.objects.create(code="130000", name="河北省", level=Level.PROVINCE)

    def agency(code: str, name: str, region: Region, kind: str) -> Agency:
        return Agency.objects.create(code=code, name=name, region=region, kind=kind)

    return Places(
        shanxi=shanxi,
        changzhi=changzhi,
        lucheng=lucheng,
        hebei=hebei,
        sx_justice=agency("sx-sft", "山西省司法厅", shanxi, AgencyKind.JUSTICE),
        sx_emergency=agency("sx-yjglt", "山西省应急管理厅", shanxi, AgencyKind.DEPARTMENT),
        sx_government=agency("sx-zf", "山西省人民政府", shanxi, AgencyKind.GOVERNMENT),
        cz_government=agency("cz-zf", "长治市人民政府", changzhi, AgencyKind.GOVERNMENT),
        cz_justice=agency("cz-sfj", "长治市司法局", changzhi, AgencyKind.JUSTICE),
        cz_emergency=agency("cz-yjglj", "长治市应急管理局", changzhi, AgencyKind.DEPARTMENT),
        lc_government=agency("lc-zf", "潞城区人民政府", lucheng, AgencyKind.GOVERNMENT),
        hb_emergency=agency("hb-yjglt", "河北省应急管理厅", hebei, AgencyKind.DEPARTMENT),
    )


def make_user(username: str, agency: Agency | None, role: str = Role.FILER) -> User:
    user = User(username=username, agency=agency, role=role, full_name=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def filer_of(agency: Agency) -> User:
    """A filer of the agency: the one who may submit its report."""
    return User.objects.filter(agency=agency, role=Role.FILER).first() or make_user(f"{agency.code}-filer", agency)


def reviewer_of(agency: Agency) -> User:
    """A reviewer at a justice department whose jurisdiction holds the agency."""
    justice = Agency.objects.reviewing(agency).order_by("-region__code").first()
    return User.objects.filter(agency=justice, role=Role.REVIEWER).first() or make_user(
        f"{justice.code}-reviewer", justice, Role.REVIEWER
    )


def fill_required_sections(report: Report) -> Report:
    """Give every section a line of text, as a filer who wrote a short report would."""
    for section in report.sections.all():
        section.text = f"{section.heading}：本年度按要求推进各项工作。"
        section.save()
    return report


def submitted_report(agency: Agency, cycle: ReportingCycle, filer: User) -> Report:
    report = fill_required_sections(services.start_report(agency=agency, cycle=cycle))
    actions.submit_report(report=report, by=filer)
    report.refresh_from_db()
    return report


def report_in_state(state: str, agency: Agency, cycle: ReportingCycle, filer: User, reviewer: User) -> Report:
    """Walk a new report along the workflow to the given state, as real users would."""
    from reports.filing.models import ReportState

    report = fill_required_sections(services.start_report(agency=agency, cycle=cycle))
    path = {
        ReportState.DRAFT: [],
        ReportState.SUBMITTED: ["submit"],
        ReportState.IN_REVIEW: ["submit", "start"],
        ReportState.RETURNED: ["submit", "return"],
        ReportState.APPROVED: ["submit", "approve"],
        ReportState.PUBLISHED: ["submit", "approve", "publish"],
        ReportState.WITHDRAWN: ["submit", "approve", "publish", "withdraw"],
    }[state]
    steps = {
        "submit": lambda: actions.submit_report(report=report, by=filer),
        "start": lambda: actions.start_review(report=report, by=reviewer),
        "return": lambda: actions.return_report(report=report, by=reviewer, reason="请补充执法数据。"),
        "approve": lambda: actions.approve_report(report=report, by=reviewer),
        "publish": lambda: actions.publish_report(report=report, by=reviewer),
        "withdraw": lambda: actions.withdraw_report(report=report, by=reviewer, reason="内容有误，更正后重新发布。"),
    }
    for step in path:
        steps[step]()
    report.refresh_from_db()
    return report
