"""Starting a draft from a file on the report page: who may, confirming before typed content is replaced,
and placing or discarding what the import could not place."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.filing import services
from reports.filing.models import CycleSection, ReportSection
from reports.filing.snapshot import snapshot_of
from reports.transfer.models import ReportImport, UnplacedText, has_unplaced_text
from reports.transfer.services import (
    TransferError,
    apply_import,
    discard_unplaced,
    import_file,
    place_unplaced,
)
from tests.factories import PASSWORD, fill_required_sections, make_user, submitted_report
from tests.transfer_tools import CHANGZHI, SHANXI, docx_from_lines, read_uploads, sample_text

WITH_STRAY_LINES = "晋应急函〔2024〕12号\n" + sample_text(SHANXI)


def _log_in(client, user):
    client.login(username=user.username, password=PASSWORD)


def _upload(client, report, data: bytes, name: str):
    """Upload a file as the filer does; the worker's reading follows (see read_uploads)."""
    response = client.post(f"/work/reports/{report.pk}/import/", {"file": SimpleUploadedFile(name, data)})
    read_uploads()
    return response


def test_the_upload_page_warns_before_a_file_replaces_what_the_draft_holds(client, sx_draft, sx_filer):
    _log_in(client, sx_filer)
    page = client.get(f"/work/reports/{sx_draft.pk}/import/").content.decode()
    assert "从文件开始" in page and "经您确认后" not in page
    fill_required_sections(sx_draft)
    assert "经您确认后" in client.get(f"/work/reports/{sx_draft.pk}/import/").content.decode()


def test_a_filer_starts_an_empty_draft_from_a_word_file_and_sees_the_summary(client, sx_draft, sx_filer):
    _log_in(client, sx_filer)
    response = _upload(client, sx_draft, docx_from_lines(sample_text(SHANXI).splitlines()), "报告.docx")
    record = ReportImport.objects.get(report=sx_draft)
    assert response.status_code == 302
    assert response["Location"] == f"/work/reports/{sx_draft.pk}/import/{record.pk}/"
    assert record.status == ReportImport.Status.APPLIED
    page = client.get(response["Location"]).content.decode()
    assert "导入结果" in page and "接上被分页或换行截断的段落：7 处" in page
    sx_draft.refresh_from_db()
    assert sx_draft.title == "关于2023年法治政府建设情况的报告"


def test_a_draft_with_typed_content_is_replaced_only_after_confirmation(client, sx_draft, sx_filer):
    fill_required_sections(sx_draft)
    typed = snapshot_of(sx_draft)
    _log_in(client, sx_filer)
    response = _upload(client, sx_draft, sample_text(SHANXI).encode(), "报告.txt")
    record = ReportImport.objects.get(report=sx_draft)
    assert record.status == ReportImport.Status.PENDING
    assert snapshot_of(sx_draft) == typed
    assert "确认导入，替换现有内容" in client.get(response["Location"]).content.decode()
    client.post(f"/work/reports/{sx_draft.pk}/import/{record.pk}/apply/")
    sx_draft.refresh_from_db()
    record.refresh_from_db()
    assert record.status == ReportImport.Status.APPLIED
    assert sx_draft.title == "关于2023年法治政府建设情况的报告"


def test_a_confirmation_after_someone_saved_the_draft_is_refused(sx_draft, sx_filer):
    fill_required_sections(sx_draft)
    record = import_file(report=sx_draft, data=sample_text(SHANXI).encode(), file_name="a.txt", by=sx_filer)
    ReportSection.objects.filter(report=sx_draft).update(text="新写的内容")
    sx_draft.__class__.objects.filter(pk=sx_draft.pk).update(version=sx_draft.version + 1)
    with pytest.raises(TransferError, match="重新上传"):
        apply_import(record=record, by=sx_filer)
    assert set(ReportSection.objects.filter(report=sx_draft).values_list("text", flat=True)) == {"新写的内容"}


def test_a_bad_file_is_refused_on_the_form_with_its_message(client, sx_draft, sx_filer):
    _log_in(client, sx_filer)
    response = _upload(client, sx_draft, b"PK\x03\x04 not really", "报告.docx")
    assert response.status_code == 200
    assert "不是有效的 Word" in response.content.decode()
    assert not ReportImport.objects.exists()


@pytest.mark.parametrize("who", ["cz_filer", "sx_reviewer"])
def test_only_the_agencys_filers_may_import_into_its_report(client, sx_draft, who, request):
    _log_in(client, request.getfixturevalue(who))
    assert client.get(f"/work/reports/{sx_draft.pk}/import/").status_code == 404
    assert _upload(client, sx_draft, sample_text(SHANXI).encode(), "a.txt").status_code == 404
    assert not ReportImport.objects.exists()


def test_a_submitted_report_cannot_be_imported_into(client, places, cycle, sx_filer):
    report = submitted_report(places.sx_emergency, cycle, sx_filer)
    _log_in(client, sx_filer)
    assert _upload(client, report, sample_text(SHANXI).encode(), "a.txt").status_code == 404
    with pytest.raises(TransferError, match="不能导入"):
        import_file(report=report, data=sample_text(SHANXI).encode(), file_name="a.txt", by=sx_filer)


def test_text_that_cannot_be_placed_is_kept_and_blocks_the_report_until_handled(sx_draft, sx_filer):
    import_file(report=sx_draft, data=WITH_STRAY_LINES.encode(), file_name="a.txt", by=sx_filer)
    assert has_unplaced_text(sx_draft)
    stray = UnplacedText.objects.get(report=sx_draft)
    assert stray.text == "晋应急函〔2024〕12号"
    discard_unplaced(paragraph=stray)
    assert not has_unplaced_text(sx_draft)


def test_an_unplaced_paragraph_can_be_placed_at_the_end_of_a_section(client, sx_draft, sx_filer):
    import_file(report=sx_draft, data=WITH_STRAY_LINES.encode(), file_name="a.txt", by=sx_filer)
    stray = UnplacedText.objects.get(report=sx_draft)
    _log_in(client, sx_filer)
    page = client.get(f"/work/reports/{sx_draft.pk}/unplaced/").content.decode()
    assert "晋应急函〔2024〕12号" in page
    client.post(f"/work/reports/{sx_draft.pk}/unplaced/{stray.pk}/", {f"text-{stray.pk}-where": "duties", "place": ""})
    assert not has_unplaced_text(sx_draft)
    assert sx_draft.sections.get(key="duties").paragraphs[-1] == "晋应急函〔2024〕12号"


def test_placing_into_the_preface_appends_a_paragraph(sx_draft, sx_filer):
    import_file(report=sx_draft, data=WITH_STRAY_LINES.encode(), file_name="a.txt", by=sx_filer)
    place_unplaced(paragraph=UnplacedText.objects.get(report=sx_draft), where="preface", by=sx_filer)
    sx_draft.refresh_from_db()
    assert sx_draft.preface.splitlines()[-1] == "晋应急函〔2024〕12号"


def test_a_new_import_replaces_the_unplaced_text_of_the_last_one(sx_draft, sx_filer):
    import_file(report=sx_draft, data=WITH_STRAY_LINES.encode(), file_name="a.txt", by=sx_filer)
    record = import_file(report=sx_draft, data=sample_text(SHANXI).encode(), file_name="b.txt", by=sx_filer)
    apply_import(record=record, by=sx_filer)
    assert not has_unplaced_text(sx_draft)


def test_a_file_of_another_agency_or_year_is_imported_with_a_warning(sx_draft, sx_filer):
    record = import_file(report=sx_draft, data=sample_text(CHANGZHI).encode(), file_name="a.txt", by=sx_filer)
    warnings = " ".join(record.summary["warnings"])
    assert "长治市应急管理局" in warnings and "2022" in warnings


def test_a_file_that_leaves_a_section_out_imports_into_a_province_with_its_own_sections(client, places, cycle):
    """A province's own section settings sit beside the national ones in the cycle: the import must fill in the
    sections of the agency's province only (it once made two rows of one section, and the filer saw a 500)."""
    CycleSection.objects.bulk_create(
        CycleSection(cycle=cycle, region=places.hebei, key=cs.key, position=cs.position, heading=cs.heading)
        for cs in CycleSection.objects.filter(cycle=cycle, region=None)
    )
    report = services.start_report(agency=places.hb_emergency, cycle=cycle)
    filer = make_user("hb-filer", places.hb_emergency)
    without_rulings = "\n".join(
        line for line in sample_text(CHANGZHI).splitlines() if "法院" not in line and "诉讼" not in line
    )
    _log_in(client, filer)
    response = _upload(client, report, without_rulings.encode(), "报告.txt")
    assert response.status_code == 302
    assert ReportImport.objects.get(report=report).status == ReportImport.Status.APPLIED
    keys = list(report.sections.values_list("key", flat=True))
    assert sorted(keys) == sorted(cs.key for cs in report.cycle_sections())


def test_the_upload_returns_at_once_and_the_page_shows_the_file_being_read(client, sx_draft, sx_filer):
    _log_in(client, sx_filer)
    response = client.post(
        f"/work/reports/{sx_draft.pk}/import/", {"file": SimpleUploadedFile("报告.txt", sample_text(SHANXI).encode())}
    )
    record = ReportImport.objects.get(report=sx_draft)
    assert record.status == ReportImport.Status.READING and record.upload
    page = client.get(response["Location"]).content.decode()
    assert "正在读取“报告.txt”" in page and 'http-equiv="refresh"' in page
    read_uploads()
    page = client.get(response["Location"]).content.decode()
    assert "导入结果" in page and 'http-equiv="refresh"' not in page
    record.refresh_from_db()
    assert record.status == ReportImport.Status.APPLIED and not record.upload
    assert "上次上传的文件" not in client.get(f"/work/reports/{sx_draft.pk}/import/").content.decode()


def test_a_file_the_worker_refuses_is_said_why_beside_the_form_and_the_draft_is_untouched(client, sx_draft, sx_filer):
    fill_required_sections(sx_draft)
    typed = snapshot_of(sx_draft)
    _log_in(client, sx_filer)
    response = _upload(client, sx_draft, "\u200b\n\ufeff".encode(), "报告.txt")
    page = client.get(response["Location"]).content.decode()
    assert "未能导入“报告.txt”" in page and "文件中没有文字" in page and "上传并识别" in page
    assert snapshot_of(sx_draft) == typed
    assert ReportImport.objects.get(report=sx_draft).status == ReportImport.Status.FAILED


HALF_WIDTH = "关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n我厅依法行政,推进(试行)办法落实;比例1:500。\n"


def test_half_width_punctuation_is_made_full_width_and_listed_unless_the_filer_keeps_it(client, sx_draft, sx_filer):
    _log_in(client, sx_filer)
    response = _upload(client, sx_draft, HALF_WIDTH.encode(), "r.txt")
    page = client.get(response["Location"], follow=True).content.decode()
    assert "中文之间的半角标点改为全角" in page and "保留文件中的半角标点" in page
    assert "我厅依法行政，推进（试行）办法落实；比例1:500。" in str(snapshot_of(sx_draft))
    # Imported again with the file's own punctuation kept: the healing is undone, and not listed.
    upload = {"file": SimpleUploadedFile("r.txt", HALF_WIDTH.encode()), "keep_half_width": "on"}
    client.post(f"/work/reports/{sx_draft.pk}/import/", upload)
    read_uploads()
    record = sx_draft.imports.latest("created_at")
    assert "full_width" not in {group["kind"] for group in record.summary["healed"]}
    assert "我厅依法行政,推进(试行)办法落实;比例1:500。" in str(record.snapshot)
