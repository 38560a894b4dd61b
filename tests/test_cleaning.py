"""What the platform prints itself is never doubled, and the filer sees the cleaned value before it is saved."""

import pytest

from reports.filing.cleaning import (
    ADDRESSEE,
    ATTACHMENTS,
    CHAPTER_HEADING,
    POINT_HEADING,
    Rule,
    cleaned,
)
from reports.filing.document import compose_document
from reports.filing.forms import ReportDetailsForm
from reports.filing.snapshot import snapshot_of
from reports.filing.tidying import pending_changes
from reports.measures.models import Point
from reports.transfer.importer import Target, read_report
from tests.section_forms import measures_post


@pytest.mark.parametrize(
    ("typed", "rules", "stored"),
    [
        ("山西省司法厅：", ADDRESSEE, "山西省司法厅"),
        ("山西省司法厅:", ADDRESSEE, "山西省司法厅"),
        ("山西省司法厅", ADDRESSEE, "山西省司法厅"),
        ("1.文件解读\n2、政策问答", ATTACHMENTS, "文件解读\n政策问答"),
        ("附件：1.文件解读", ATTACHMENTS, "文件解读"),
        ("附件1：文件解读", ATTACHMENTS, "文件解读"),
        ("1.36万项检查统计表", ATTACHMENTS, "1.36万项检查统计表"),
        ("一、完善法治建设体制机制", CHAPTER_HEADING, "完善法治建设体制机制"),
        ("（一）强化组织领导。", POINT_HEADING, "强化组织领导"),
        ("(二)加强执法监督", POINT_HEADING, "加强执法监督"),
        ("一是", POINT_HEADING, "一是"),
        ("二〇二三年工作要点", POINT_HEADING, "二〇二三年工作要点"),
    ],
)
def test_the_rules_take_out_only_what_the_platform_prints_itself(typed, rules, stored):
    assert cleaned(typed, rules) == stored


def _details(report, **changes):
    data = {
        "title": report.title,
        "addressee": "",
        "preface": "",
        "other_matters": "",
        "signature": report.signature,
        "signed_on": "",
        "public_note": report.public_note,
        "attachments": "",
        "version": str(report.version),
        **changes,
    }
    return data


def test_an_addressee_typed_as_in_word_is_shown_cleaned_before_it_is_saved(client, sx_draft, sx_filer):
    client.force_login(sx_filer)
    url = f"/work/reports/{sx_draft.pk}/details/"
    response = client.post(url, _details(sx_draft, addressee="山西省司法厅：", attachments="1.文件解读\n2.政策问答"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "尚未保存。" in page and "去掉主送机关末尾的冒号" in page
    assert 'value="山西省司法厅"' in page
    sx_draft.refresh_from_db()
    assert sx_draft.addressee == ""
    client.post(
        url, _details(sx_draft, addressee="山西省司法厅", attachments="文件解读\n政策问答", **{"cleaning-seen": "1"})
    )
    sx_draft.refresh_from_db()
    text = compose_document(snapshot_of(sx_draft)).plain_text()
    assert sx_draft.addressee == "山西省司法厅"
    assert "：：" not in text and "1.1." not in text
    assert "附件：1.文件解读\n2.政策问答" in text


def test_a_point_heading_typed_with_its_number_and_full_stop_is_cleaned_before_saving(client, sx_draft, sx_filer):
    client.force_login(sx_filer)
    section = sx_draft.sections.get(key="measures")
    url = f"/work/reports/{sx_draft.pk}/sections/measures/"
    chapters = [{"heading": "一、完善体制机制", "points": [{"heading": "（一）强化组织领导。", "body": "正文。"}]}]
    page = client.post(url, measures_post(section, chapters)).content.decode()
    assert "去掉标题前的编号" in page and "去掉要点标题末尾的句号" in page
    assert not Point.objects.exists()
    chapters = [{"heading": "完善体制机制", "points": [{"heading": "强化组织领导", "body": "正文。"}]}]
    client.post(url, {**measures_post(section, chapters), "cleaning-seen": "1"})
    assert Point.objects.get().heading == "强化组织领导"
    text = compose_document(snapshot_of(sx_draft)).plain_text()
    assert "一、完善体制机制" in text and "（一）强化组织领导。正文。" in text


WIDE_COMMA = Rule("wide_comma", "把半角逗号改为全角", lambda text: text.replace(",", "，"), offer=True)


class OfferingForm(ReportDetailsForm):
    cleaning = {**ReportDetailsForm.cleaning, "preface": (WIDE_COMMA,)}
    every_text = ()  # this rule alone, not the full-width offer every text gets


def test_an_offer_is_shown_and_applied_only_when_the_filer_keeps_it(sx_draft):
    typed = _details(sx_draft, preface="一是,二是")
    form = OfferingForm(typed, instance=sx_draft)
    assert form.is_valid()
    [change] = pending_changes([form])
    assert (change.before, change.after, change.rule.offer) == ("一是,二是", "一是，二是", True)
    declined = OfferingForm({**typed, "cleaning-seen": "1"}, instance=sx_draft)
    assert declined.is_valid() and not pending_changes([declined])
    assert declined.cleaned_data["preface"] == "一是,二是"
    accepted = OfferingForm({**typed, "cleaning-seen": "1", change.accept_name: "1"}, instance=sx_draft)
    assert accepted.is_valid() and not pending_changes([accepted])
    assert accepted.cleaned_data["preface"] == "一是，二是"


def test_the_importer_applies_the_same_rules_to_what_it_reads(cz_draft):
    header = ["关于2024年度法治政府建设情况的报告", "长治市司法局：：", "导语。", "一、主要举措", "内容。"]
    text = "\n".join([*header, "长治市应急管理局", "2025年1月3日", "附件：1.1.文件解读"])
    result = read_report(text.encode(), file_name="report.txt", target=Target.of(cz_draft))
    assert result.snapshot["addressee"] == "长治市司法局"
    assert result.snapshot["attachments"] == ["文件解读"]
