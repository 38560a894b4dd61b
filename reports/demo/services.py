"""Demo data: Shanxi and Changzhi with their agencies, people, and the two sample reports.

The sample reports are public documents (see data/*.json and shared/samples/).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from reports.agencies.models import Agency, AgencyKind, Level, Region, Role, User
from reports.filing import services as filing
from reports.filing.models import Report
from reports.filing.snapshot import load_snapshot
from reports.workflow.actions import publish_archived_report

DATA_DIR = Path(__file__).resolve().parent / "data"
SHANGHAI = ZoneInfo("Asia/Shanghai")

REGIONS = [("140000", "山西省", Level.PROVINCE, None), ("140400", "长治市", Level.CITY, "140000")]
AGENCIES = [
    ("sx-sft", "山西省司法厅", "140000", AgencyKind.JUSTICE),
    ("sx-yjglt", "山西省应急管理厅", "140000", AgencyKind.DEPARTMENT),
    ("cz-zf", "长治市人民政府", "140400", AgencyKind.GOVERNMENT),
    ("cz-sfj", "长治市司法局", "140400", AgencyKind.JUSTICE),
    ("cz-yjglj", "长治市应急管理局", "140400", AgencyKind.DEPARTMENT),
]
SAMPLES = [
    (
        "2023-shanxi-emergency-management-department.json",
        "sx-yjglt",
        datetime.datetime(2024, 3, 28, 10, tzinfo=SHANGHAI),
    ),
    ("2022-changzhi-emergency-management-bureau.json", "cz-yjglj", datetime.datetime(2023, 1, 10, 10, tzinfo=SHANGHAI)),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    agency: str
    role: str


def sample_snapshot(file_name: str) -> dict:
    return json.loads((DATA_DIR / file_name).read_text(encoding="utf-8"))


@transaction.atomic
def load_demo(*, with_users: bool) -> list[DemoLogin]:
    regions: dict[str, Region] = {}
    for code, name, level, parent in REGIONS:
        regions[code], _ = Region.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent": regions.get(parent)}
        )
    agencies = {
        code: Agency.objects.update_or_create(
            code=code, defaults={"name": name, "region": regions[region], "kind": kind}
        )[0]
        for code, name, region, kind in AGENCIES
    }
    for file_name, agency_code, published_at in SAMPLES:
        snapshot = sample_snapshot(file_name)
        agency = agencies[agency_code]
        report = filing.start_report(agency=agency, cycle=filing.open_cycle(year=snapshot["year"]))
        if report.state == "draft" and not report.revisions.exists():
            load_snapshot(report, snapshot)
            publish_archived_report(report=report, published_at=published_at)
        filing.start_report(agency=agency, cycle=filing.open_cycle(year=snapshot["year"] + 1))
    return _demo_users(agencies) if with_users else []


def _demo_users(agencies: dict[str, Agency]) -> list[DemoLogin]:
    logins = []
    for code, agency in agencies.items():
        roles = [Role.FILER] + ([Role.REVIEWER] if agency.kind == AgencyKind.JUSTICE else [])
        for role in roles:
            username = f"{code}-{'reviewer' if role == Role.REVIEWER else 'filer'}"
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"agency": agency, "role": role, "full_name": f"{agency.name}{Role(role).label}"},
            )
            if created:
                user.set_password(settings.PORTAL_DEMO_PASSWORD)
                user.save()
            logins.append(DemoLogin(username, settings.PORTAL_DEMO_PASSWORD, agency.name, str(Role(role).label)))
    return logins


def demo_reports() -> list[Report]:
    return list(Report.objects.published().filter(agency__code__in=[a for _, a, _ in SAMPLES]))
