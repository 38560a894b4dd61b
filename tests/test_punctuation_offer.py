"""The edit pages offer full-width punctuation before saving: the filer sees the text as it will be saved."""

from reports.filing.models import Report

TYPED = "2023年,我厅依法行政(试行)办法:一是比例1:500;二是详见 www.gov.cn/a,b 网站"
OFFERED = "2023年，我厅依法行政（试行）办法：一是比例1:500；二是详见 www.gov.cn/a,b 网站"


def duties_post(section, text, **extra):
    return {"frame-heading": section.heading, "frame-text": text, "frame-version": str(section.version), **extra}


def test_a_section_with_half_width_punctuation_comes_back_full_width_and_unsaved(client, sx_draft, sx_filer):
    section = sx_draft.sections.get(key="duties")
    client.force_login(sx_filer)
    response = client.post(f"/work/reports/{sx_draft.pk}/sections/duties/", duties_post(section, TYPED))
    page = response.content.decode()
    assert response.status_code == 200
    assert "已将中文之间的 5 个半角标点改为全角" in page and "尚未保存" in page
    assert f"{OFFERED}</textarea>" in page and TYPED not in page
    assert '<input type="hidden" name="frame-punctuation_offered" value="1"' in page
    section.refresh_from_db()
    assert section.text == "" and section.version == 1


def test_saving_again_saves_what_the_fields_then_hold(client, sx_draft, sx_filer):
    section = sx_draft.sections.get(key="duties")
    client.force_login(sx_filer)
    url = f"/work/reports/{sx_draft.pk}/sections/duties/"
    response = client.post(url, duties_post(section, OFFERED, **{"frame-punctuation_offered": "1"}), follow=True)
    assert "已保存" in response.content.decode()
    section.refresh_from_db()
    assert section.text == OFFERED
    # A filer who puts a half-width mark back after the offer keeps it.
    kept = OFFERED.replace("办法：", "办法:")
    client.post(url, duties_post(section, kept, **{"frame-punctuation_offered": "1"}))
    section.refresh_from_db()
    assert section.text == kept


def test_text_without_half_width_punctuation_between_chinese_saves_at_once(client, sx_draft, sx_filer):
    section = sx_draft.sections.get(key="duties")
    client.force_login(sx_filer)
    text = "比例1:500，检查19.2万家，详见 www.gov.cn/a,b 网站。Hello, world (test)."
    response = client.post(f"/work/reports/{sx_draft.pk}/sections/duties/", duties_post(section, text), follow=True)
    assert "已保存" in response.content.decode() and "半角标点" not in response.content.decode()
    section.refresh_from_db()
    assert section.text == text


def test_the_reports_title_signature_and_note_are_offered_too(client, sx_draft, sx_filer):
    client.force_login(sx_filer)
    details = {
        "title": "关于2024年度法治政府建设情况的报告(送审稿)",
        "addressee": "省司法厅",
        "preface": "",
        "other_matters": "",
        "signature": "山西省应急管理厅",
        "signed_on": "",
        "public_note": "(此件公开发布)",
        "attachments": "",
        "version": str(sx_draft.version),
    }
    response = client.post(f"/work/reports/{sx_draft.pk}/details/", details)
    page = response.content.decode()
    assert "已将中文之间的 4 个半角标点改为全角" in page
    assert 'value="关于2024年度法治政府建设情况的报告（送审稿）"' in page and 'value="（此件公开发布）"' in page
    assert Report.objects.get(pk=sx_draft.pk).title == sx_draft.title
