"""check_upgrade tells an operator what an upgrade needs; rerender_pdfs remakes outdated PDFs in the background."""

import importlib
import io
import time
from pathlib import Path

import pikepdf
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from fontTools.ttLib import TTFont

from reports.publication.models import ComplianceStanding, EntryListing, PublishedEntry
from reports.publication.services import rebuild_search_index
from reports.rendering import fonts, pdf
from reports.rendering.fingerprint import renderer_fingerprint
from reports.rendering.models import PdfRendition
from reports.rendering.renditions import render_rendition_now
from tests.factories import filer_of, reviewer_of
from tests.publishing import published_report


def check_upgrade() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check_upgrade", stdout=out)
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def published(places, cycle, sx_filer, sx_reviewer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    render_rendition_now(rendition_id=PdfRendition.objects.get(report=report).pk)
    return report


@pytest.fixture
def fresh_fonts(settings):
    """Forget the process's fonts and stylesheets, before and after (the test installs a font): afterwards with the
    font folder given back first, so that nothing rendered meanwhile (the worker's thread) keeps the test's fonts."""
    font_dir = settings.PORTAL_FONT_DIR
    pdf.forget_fonts()
    yield
    settings.PORTAL_FONT_DIR = font_dir
    pdf.forget_fonts()


def install_licensed_fangsong(folder: Path) -> None:
    """An agency's 仿宋_GB2312 (here LXGW WenKai under that name, as tests/test_pdf_typesetting.py makes it)."""
    licensed = TTFont(fonts.compact_substitute("LXGW WenKai:style=Regular"))
    names = licensed["name"]
    for name_id in (1, 4, 6, 16):
        names.removeNames(nameID=name_id)
    for name_id, name in [(1, "仿宋_GB2312"), (4, "仿宋_GB2312"), (6, "FangSong_GB2312")]:
        names.setName(name, name_id, 3, 1, 0x409)
    folder.mkdir()
    licensed.save(folder / "仿宋_GB2312.ttf")


def body_font_name(data: bytes) -> str:
    """The family name inside the body's embedded font; the free fonts are embedded as bare CFF, without one."""
    with pikepdf.open(io.BytesIO(data)) as document:
        body = next(f for f in document.pages[0].Resources.Font.values() if str(f.BaseFont).endswith("gw-fangsong"))
        descriptor = body.DescendantFonts[0].FontDescriptor
        if "/FontFile2" not in descriptor:
            return "bare CFF"
        return TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))["name"].getDebugName(1)


def test_nothing_is_needed_on_a_current_installation(published):
    code, output = check_upgrade()
    assert code == 0, output
    assert "数据库迁移：已全部执行。" in output
    assert "公开检索数据：与已公开的报告一致。" in output
    assert "PDF：均由当前的生成程序和字体生成。" in output


def test_a_migration_not_yet_applied_is_named(transactional_db):
    record = MigrationRecorder.Migration.objects.get(app="rendering", name="0004_renderer_fingerprint")
    record.delete()
    try:
        code, output = check_upgrade()
    finally:
        MigrationRecorder.Migration.objects.create(app=record.app, name=record.name, applied=record.applied)
    assert code == 1
    assert "1 个未执行（rendering.0004_renderer_fingerprint）" in output
    assert "python manage.py migrate" in output


def test_public_entries_behind_or_written_by_an_older_version_want_a_rebuild(published):
    PublishedEntry.objects.filter(report=published).delete()
    code, output = check_upgrade()
    assert code == 1
    assert "公开检索数据：1 条与已公开的报告不一致" in output
    assert "→ python manage.py rebuild_public_index\n" in output
    rebuild_search_index()

    # What an older version wrote: another text in the entry, or (PostgreSQL) other bigrams in its index.
    PublishedEntry.objects.filter(report=published).update(body="旧版本写入的正文")
    code, output = check_upgrade()
    assert "公开检索数据：1 条由旧版本生成，内容与当前版本不同" in output
    assert "rebuild_public_index --all" in output
    rebuild_search_index(everything=True)
    assert check_upgrade()[0] == 0


def test_entries_missing_from_their_lists_or_in_the_wrong_ones_want_a_rebuild(published):
    EntryListing.objects.filter(entry_id=published.pk, key=0).delete()
    assert "公开检索数据：1 条由旧版本生成，内容与当前版本不同" in check_upgrade()[1]
    rebuild_search_index(everything=True)
    assert check_upgrade()[0] == 0
    EntryListing.objects.filter(entry_id=published.pk, key=0).update(key=2023_0_0_000000)
    assert "公开检索数据：1 条由旧版本生成" in check_upgrade()[1]


def test_the_migration_puts_existing_entries_in_the_lists_the_code_puts_them_in(published, places, cycle):
    migration = importlib.import_module("reports.publication.migrations.0007_entry_listing")
    for agency in (places.lc_government, places.cz_emergency):
        published_report(agency, cycle, filer_of(agency), reviewer_of(agency))
    standing = list(PublishedEntry.objects.order_by("pk").values_list("level", "kind", "region_path"))
    listed = set(EntryListing.objects.values_list("key", "published_at", "entry"))
    assert ("county", "government", "140000/140400/140406") in standing
    PublishedEntry.objects.update(level="", kind="", region_path="")
    EntryListing.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(migration.COPY_STANDING)
        cursor.execute(migration.LIST_ENTRIES)
    assert list(PublishedEntry.objects.order_by("pk").values_list("level", "kind", "region_path")) == standing
    assert set(EntryListing.objects.values_list("key", "published_at", "entry")) == listed


def test_a_pdf_made_before_its_renderer_was_recorded_or_that_failed_is_listed(published, places, cycle):
    PdfRendition.objects.filter(report=published).update(renderer_fingerprint="")
    PdfRendition.objects.create(report=published, content_hash="f" * 64, status=PdfRendition.Status.FAILED)
    code, output = check_upgrade()
    assert code == 1
    assert "PDF：1 份需要重新生成（生成时未记录生成程序）" in output
    assert "PDF：1 份生成失败" in output
    assert "python manage.py rerender_pdfs" in output


def wait_for(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.3)
    raise AssertionError("the worker did not remake the PDF in time")


def test_pdfs_made_before_the_licensed_fonts_were_installed_are_remade_in_the_background(
    celery_worker, transactional_db, places, cycle, sx_filer, sx_reviewer, settings, tmp_path, fresh_fonts
):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    render_rendition_now(rendition_id=PdfRendition.objects.get(report=report).pk)  # or the worker has it
    rendition = wait_for(lambda: PdfRendition.objects.filter(report=report, status=PdfRendition.Status.READY).first())
    before = Path(rendition.file.path)
    assert body_font_name(before.read_bytes()) == "bare CFF", "the free substitute"

    install_licensed_fangsong(tmp_path / "fonts")
    settings.PORTAL_FONT_DIR = tmp_path / "fonts"
    pdf.forget_fonts()
    code, output = check_upgrade()
    assert code == 1
    assert "PDF：1 份需要重新生成（字体已变化（如新装了正版字体））" in output

    out = io.StringIO()
    call_command("rerender_pdfs", stdout=out)
    assert "已排队：1 份重新生成，0 份重试" in out.getvalue()
    current = renderer_fingerprint()
    remade = wait_for(lambda: PdfRendition.objects.filter(pk=rendition.pk, renderer_fingerprint=current).first())
    assert remade.status == PdfRendition.Status.READY
    assert remade.file.name != rendition.file.name
    assert body_font_name(Path(remade.file.path).read_bytes()) == "仿宋_GB2312"
    wait_for(lambda: not before.exists())
    assert check_upgrade()[0] == 0


def test_compliance_standings_out_of_step_want_a_rebuild(published, cycle):
    ComplianceStanding.objects.filter(cycle=cycle, agency=published.agency).delete()
    code, output = check_upgrade()
    assert code == 1
    assert "报告公开情况：1 条与已公开的报告和机关不一致" in output
    rebuild_search_index()
    assert check_upgrade()[0] == 0
