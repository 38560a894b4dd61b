import re
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command

from reports.agencies.models import Agency, User
from reports.demo.services import SAMPLES, load_demo
from reports.filing.document import compose_document
from reports.filing.models import Report, ReportState
from reports.filing.snapshot import snapshot_of

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "reports" / "demo" / "data"
NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+\.)", re.MULTILINE)


def comparable(text: str) -> str:
    """The text apart from whitespace, character width and heading numbers."""
    text = NUMBERING.sub("", unicodedata.normalize("NFKC", text))
    return re.sub(r"\s+", "", text)


def as_printed(original: str, snapshot: dict) -> str:
    """The sample as published, in GB/T 9704's closing order: its attachment list (which the web page puts
    last, with file extensions the import takes off) before the signature."""
    listed = re.search(r"(?:\s*\d+\.\S+)+\s*$", original)
    if not listed:
        return comparable(original)
    body = comparable(original[: listed.start()])
    closing = comparable(snapshot["signature"])
    attachments = "".join(f"{i}.{title}" for i, title in enumerate(snapshot["attachments"], 1))
    assert body.count(closing) >= 1 and comparable(listed.group()).startswith(comparable(attachments))
    at = body.rindex(closing)
    return body[:at] + comparable(attachments) + body[at:]


def test_load_demo_creates_the_two_regions_and_publishes_both_samples(db):
    load_demo(with_users=True)
    assert Agency.objects.count() == 5
    published = Report.objects.published()
    assert {(r.agency.code, r.cycle.year) for r in published} == {("sx-yjglt", 2023), ("cz-yjglj", 2022)}
    drafts = Report.objects.filter(state=ReportState.DRAFT)
    assert {(r.agency.code, r.cycle.year) for r in drafts} == {("sx-yjglt", 2024), ("cz-yjglj", 2023)}


def test_load_demo_can_run_twice_without_duplicating_anything(db):
    load_demo(with_users=True)
    counts = (Agency.objects.count(), Report.objects.count(), User.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (Agency.objects.count(), Report.objects.count(), User.objects.count()) == counts


def test_demo_logins_exist_only_in_a_debug_set_up(db, settings):
    settings.DEBUG = False
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert not User.objects.exists()


@pytest.mark.parametrize(("file_name", "agency_code"), [(f, a) for f, a, _ in SAMPLES])
def test_each_sample_report_reads_exactly_as_its_source(db, file_name, agency_code):
    load_demo(with_users=False)
    report = Report.objects.get(agency__code=agency_code, state=ReportState.PUBLISHED)
    text = compose_document(snapshot_of(report)).plain_text().replace("附件：", "")
    source = (SAMPLES_DIR / file_name.replace(".json", ".txt")).read_text(encoding="utf-8")
    # The source lists its attachment last, GB/T 9704 before the signature; the importer drops the file's
    # extension from the attachment's title (a listed healing).
    attachment = "1.文件解读.doc"
    assert (attachment in source) == (compose_document(snapshot_of(report)).attachments == ["文件解读"])
    text, source = text.replace("1.文件解读", ""), source.replace(attachment, "")
    assert comparable(text) == comparable(source)


def test_the_published_snapshot_is_what_the_structure_holds(db):
    load_demo(with_users=False)
    report = Report.objects.get(agency__code="sx-yjglt", state=ReportState.PUBLISHED)
    assert report.published_revision.content == snapshot_of(report)
    measures = report.published_revision.content["sections"][0]["content"]
    assert len(measures["chapters"][0]["points"]) == 7
    indicators = {
        (i["name"], i["value"], i["unit"]) for p in measures["chapters"][0]["points"] for i in p["indicators"]
    }
    assert ("整改率", "96.2", "%") in indicators
