"""Synthetic agencies and reports for load tests, written with bulk inserts.

The text is sentences drawn from the two sample reports, so pages, search and PDFs see realistic Chinese.
Agencies live in a synthetic province (division codes starting with 9, which no real division uses).
"""

from __future__ import annotations

import datetime
import random
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from reports.agencies.models import Agency, AgencyKind, Level, Region, Role, User
from reports.demo.services import DATA_DIR
from reports.filing import services as filing
from reports.filing.models import Publication, Report, ReportEvent, ReportRevision, ReportSection, ReportState
from reports.filing.snapshot import content_hash, snapshot_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
BATCH = 2000
DEPARTMENT_NAMES = [
    "应急管理",
    "自然资源",
    "生态环境",
    "住房和城乡建设",
    "交通运输",
    "水利",
    "农业农村",
    "商务",
    "文化和旅游",
    "卫生健康",
    "市场监督管理",
    "财政",
    "人力资源和社会保障",
    "民政",
    "教育",
    "公安",
]


@dataclass(frozen=True)
class GeneratedFigures:
    agencies: int
    reports: int
    published: int


def sample_sentences() -> list[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(DATA_DIR.glob("*.txt")))
    sentences = [s.strip() + "。" for s in re.split(r"[。\n]", text) if len(s.strip()) > 12]
    return sentences


def _paragraphs(rng: random.Random, sentences: list[str], count: int) -> list[str]:
    return ["".join(rng.sample(sentences, rng.randint(2, 4))) for _ in range(count)]


def _regions(code_prefix: str, cities: int, counties_per_city: int) -> tuple[Region, list[Region], list[Region]]:
    province, _ = Region.objects.get_or_create(
        code=f"{code_prefix}0000", defaults={"name": f"合成{code_prefix}省", "level": Level.PROVINCE}
    )
    city_list, county_list = [], []
    for c in range(1, cities + 1):
        city, _ = Region.objects.get_or_create(
            code=f"{code_prefix}{c:02d}00", defaults={"name": f"合成{c}市", "level": Level.CITY, "parent": province}
        )
        city_list.append(city)
        for k in range(1, counties_per_city + 1):
            county, _ = Region.objects.get_or_create(
                code=f"{code_prefix}{c:02d}{k:02d}",
                defaults={"name": f"合成{c}市第{k}县", "level": Level.COUNTY, "parent": city},
            )
            county_list.append(county)
    return province, city_list, county_list


def _agencies(count: int, one_jurisdiction: bool, code_prefix: str) -> tuple[Agency, list[Agency]]:
    """The province's justice department, and `count` agencies it or its cities' bureaus review."""
    cities = 10 if one_jurisdiction else 20
    province, city_list, county_list = _regions(code_prefix, cities, 0 if one_jurisdiction else 6)
    justice, _ = Agency.objects.get_or_create(
        code=f"syn{code_prefix}-sft",
        defaults={"name": f"{province.name}司法厅", "region": province, "kind": AgencyKind.JUSTICE},
    )
    existing = Agency.objects.filter(code__startswith=f"syn{code_prefix}-a").count()
    new = []
    for i in range(existing, count):
        if one_jurisdiction:
            region = city_list[i % cities] if i < cities else province
            kind = AgencyKind.GOVERNMENT if i < cities else AgencyKind.DEPARTMENT
        else:
            regions = [province, *city_list, *county_list]
            region = regions[i % len(regions)]
            kind = AgencyKind.GOVERNMENT if i < len(regions) else AgencyKind.DEPARTMENT
        suffix = "人民政府" if kind == AgencyKind.GOVERNMENT else f"{DEPARTMENT_NAMES[i % len(DEPARTMENT_NAMES)]}局{i}"
        new.append(Agency(code=f"syn{code_prefix}-a{i}", name=f"{region.name}{suffix}", region=region, kind=kind))
    Agency.objects.bulk_create(new, batch_size=BATCH)
    agencies = list(Agency.objects.filter(code__startswith=f"syn{code_prefix}-a").select_related("region")[:count])
    return justice, agencies


def _state_for(rng: random.Random, latest: bool) -> str:
    if not latest:
        return ReportState.PUBLISHED
    return rng.choices(
        [
            ReportState.DRAFT,
            ReportState.SUBMITTED,
            ReportState.IN_REVIEW,
            ReportState.RETURNED,
            ReportState.APPROVED,
            ReportState.PUBLISHED,
        ],
        weights=[20, 25, 10, 10, 10, 25],
    )[0]


@transaction.atomic
def generate_reports(
    *, agencies: int, years: int, one_jurisdiction: bool = False, seed: int = 2024, code_prefix: str = "99"
) -> GeneratedFigures:
    rng = random.Random(seed)
    sentences = sample_sentences()
    justice, agency_list = _agencies(agencies, one_jurisdiction, code_prefix)
    reviewer, _ = User.objects.get_or_create(
        username=f"syn{code_prefix}-reviewer",
        defaults={"agency": justice, "role": Role.REVIEWER, "full_name": f"{justice.name}审核人"},
    )
    last_year = timezone.localdate().year - 1
    created = published = 0
    for year in range(last_year - years + 1, last_year + 1):
        cycle = filing.open_cycle(year=year)
        have = set(Report.objects.filter(cycle=cycle, agency__in=agency_list).values_list("agency_id", flat=True))
        todo = [a for a in agency_list if a.pk not in have]
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            p = _write_batch(rng, sentences, cycle, batch, latest=year == last_year, reviewer=reviewer)
            created += len(batch)
            published += p
    return GeneratedFigures(agencies=len(agency_list), reports=created, published=published)


def _write_batch(rng, sentences, cycle, agencies, *, latest, reviewer) -> int:
    headings = {cs.key: cs.heading for cs in cycle.sections.all()}
    reports = []
    for agency in agencies:
        state = _state_for(rng, latest)
        due = datetime.datetime.combine(cycle.due_date, datetime.time(10), SHANGHAI)
        submitted_at = None if state == ReportState.DRAFT else due - datetime.timedelta(days=rng.randint(-5, 40))
        reports.append(
            Report(
                agency=agency,
                cycle=cycle,
                state=state,
                title=filing.default_title(cycle.year),
                preface="".join(rng.sample(sentences, 2)),
                signature=agency.name,
                signed_on=submitted_at.date() if submitted_at else None,
                submitted_at=submitted_at,
            )
        )
    Report.objects.bulk_create(reports, batch_size=BATCH)
    sections = [
        ReportSection(
            report=report, key=key, heading=heading, text="\n".join(_paragraphs(rng, sentences, rng.randint(1, 4)))
        )
        for report in reports
        for key, heading in headings.items()
    ]
    ReportSection.objects.bulk_create(sections, batch_size=BATCH * 5)
    handed_in = [r for r in reports if r.state != ReportState.DRAFT]
    template = snapshot_of(reports[0])
    contents = {entry["key"]: entry["content"] for entry in template["sections"]}
    texts: dict[int, list] = {}
    for section in sections:
        texts.setdefault(section.report_id, []).append(section)
    revisions = []
    for report in handed_in:
        snapshot = {
            **template,
            "agency_name": report.agency.name,
            "agency_code": report.agency.code,
            "preface": [report.preface],
            "signature": report.signature,
            "signed_on": report.signed_on.isoformat() if report.signed_on else None,
            "sections": [
                {
                    "key": s.key,
                    "heading": s.heading,
                    "folded": False,
                    "nothing_to_report": False,
                    "text": s.text.split("\n"),
                    "content": contents[s.key],
                }
                for s in texts[report.pk]
            ],
        }
        revisions.append(ReportRevision(report=report, number=1, content=snapshot, content_hash=content_hash(snapshot)))
    ReportRevision.objects.bulk_create(revisions, batch_size=BATCH)
    events = [
        ReportEvent(report=r, action=ReportEvent.Action.SUBMIT, actor_name=f"{r.agency.name}填报人") for r in handed_in
    ]
    publications = []
    for report, revision in zip(handed_in, revisions, strict=True):
        if report.state != ReportState.PUBLISHED:
            continue
        report.published_revision = revision
        report.published_at = report.submitted_at + datetime.timedelta(days=rng.randint(1, 30))
        publications.append(
            Publication(
                report=report, number=1, revision=revision, published_at=report.published_at, published_by=reviewer
            )
        )
        events.append(
            ReportEvent(report=report, action=ReportEvent.Action.PUBLISH, actor=reviewer, actor_name=str(reviewer))
        )
    Report.objects.bulk_update(
        [p.report for p in publications], ["published_revision", "published_at"], batch_size=BATCH
    )
    Publication.objects.bulk_create(publications, batch_size=BATCH)
    ReportEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(publications)


def add_court_figures(*, code_prefix: str, seed: int = 2024) -> int:
    """Court-case counts for the synthetic agencies' rulings sections that have none (the province-wide view adds
    them up). The number added."""
    from reports.rulings.models import CourtCaseFigures

    rng = random.Random(seed)
    sections = ReportSection.objects.filter(
        key="rulings", report__agency__code__startswith=f"syn{code_prefix}-", court_figures__isnull=True
    ).values_list("pk", flat=True)
    figures = []
    for section_id in sections.iterator(chunk_size=BATCH):
        concluded = rng.randint(0, 30)
        hearings = rng.randint(0, 10)
        figures.append(
            CourtCaseFigures(
                section_id=section_id,
                defendant_new=concluded + rng.randint(0, 5),
                defendant_concluded=concluded,
                defendant_lost=rng.randint(0, concluded // 5),
                hearings=hearings,
                leader_appearances=rng.randint(0, hearings),
            )
        )
    CourtCaseFigures.objects.bulk_create(figures, batch_size=BATCH)
    return len(figures)


def add_corrections(*, code_prefix: str, share: float = 0.05, seed: int = 2025) -> int:
    """A published correction (a second version, with a change note) for about `share` of the synthetic
    agencies' published reports that have none, so that earlier versions' pages exist to be read. The public
    entries and stored pages are left to `rebuild_search_index` and the pages' rebuild. The number added."""
    rng = random.Random(seed)
    reports = (
        Report.objects.published()
        .filter(agency__code__startswith=f"syn{code_prefix}-", published_revision__number=1)
        .select_related("published_revision")
        .order_by("pk")
    )
    chosen = [report for report in reports.iterator(chunk_size=BATCH) if rng.random() < share]
    revisions, publications = [], []
    for report in chosen:
        snapshot = dict(report.published_revision.content)
        snapshot["preface"] = [*snapshot.get("preface", []), "（本报告第二版更正了上一版中的统计数字。）"]
        revision = ReportRevision(report=report, number=2, content=snapshot, content_hash=content_hash(snapshot))
        revisions.append(revision)
        report.published_revision = revision
        report.published_at = report.published_at + datetime.timedelta(days=rng.randint(1, 20))
        publications.append(
            Publication(
                report=report,
                number=2,
                revision=revision,
                published_at=report.published_at,
                change_note="更正了统计数字。",
            )
        )
    with transaction.atomic():
        ReportRevision.objects.bulk_create(revisions, batch_size=BATCH)
        Report.objects.bulk_update(chosen, ["published_revision", "published_at"], batch_size=BATCH)
        Publication.objects.bulk_create(publications, batch_size=BATCH)
    return len(chosen)
