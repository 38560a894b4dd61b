"""The edit pages offer full-width punctuation before saving (the importer's function, through the forms' cleaning
rules): nothing is saved until the filer has seen the offer, and keeping the box ticked takes it."""

from reports.filing.models import Report

TYPED = "2023年,我厅依法行政(试行)办法:一是比例1:500;二是详见 www.gov.cn/a,b 网站"
OFFERED = "2023年，我厅依法行政（试行）办法：一是比例1:500；二是详见 www.gov.cn/a,b 网站"
ACCEPT = "frame-text-accept-full_width"


def duties_post(section, text, **extra):
    return {"frame-heading": section.heading, "frame-text": text, "frame-version": str(section.version), **extra}


def test_a_section_with_half_width_punctuation_is_offered_full_width_and_not_saved(client, sx_draft, sx_filer):
    section = sx_draft.sections.get(key="duties")
    client.force_login(sx_filer)
    response = client.post(f"/work/reports/{sx_draft.pk}/sections/duties/", duties_post(section, TYPED))
    page = response.content.decode()
    assert response.status_code == 200
    assert "尚未保存" in page and "中文之间的半角标点改为全角" in page and "共 5 处" in page
    assert f'name="{ACCEPT}" value="1" checked' in page
    section.refresh_from_db()
    assert section.text == "" and section.version == 1


def test_keeping_the_offer_ticked_saves_the_full_width_text(client, sx_draft, sx_filer):
    section = sx_draft.sections.get(key="duties")
    client.force_login(sx_filer)
    url = f"/work/reports/{sx_draft.pk}/sections/duties/"
    response = client.post(url, duties_post(section, TYPED, **{"cleaning-seen": "1", ACCEPT: "1"}), follow=True)
    assert "已保存" in response.content.decode()
    section.refresh_from_db()
    assert section.text == OFFERED


def test_a_filer_who_unticks_the_offer_keeps_the_half_width_marks(client, sx_draft, sx_filer):
    section = sx_draft.sections.get(key="duties")
    client.force_login(sx_filer)
    url = f"/work/reports/{sx_draft.pk}/sections/duties/"
    client.post(url, duties_post(section, TYPED, **{"cleaning-seen": "1"}))
    section.refresh_from_db()
    assert section.text == TYPED


def test_text_without_half_width_punctuation_between_chinese_saves_at_once(client, sx_draft, sx_filer):
    section = sx_draft.sections.get(key="duties")
    client.force_login(sx_filer)
    text = "比例1:500，检查19.2万家，详见 www.gov.cn/a,b 网站。Hello, world (test)."
    response = client.post(f"/work/reports/{sx_draft.pk}/sections/duties/", duties_post(section, text), follow=True)
    assert "已保存" in response.content.decode() and "半角标点" not in response.content.decode()
    section.refresh_from_db()
    assert section.text == text


def test_the_reports_title_and_note_are_offered_too(client, sx_draft, sx_filer):
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
    page = client.post(f"/work/reports/{sx_draft.pk}/details/", details).content.decode()
    assert 'name="title-accept-full_width"' in page and 'name="public_note-accept-full_width"' in page
    assert Report.objects.get(pk=sx_draft.pk).title == sx_draft.title
    details |= {"cleaning-seen": "1", "title-accept-full_width": "1", "public_note-accept-full_width": "1"}
    client.post(f"/work/reports/{sx_draft.pk}/details/", details)
    report = Report.objects.get(pk=sx_draft.pk)
    assert (report.title, report.public_note) == ("关于2024年度法治政府建设情况的报告（送审稿）", "（此件公开发布）")
