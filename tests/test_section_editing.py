import pytest

from reports.filing import services
from reports.filing.sections import get_section_type


def duties_post(section, text, version):
    return {"frame-heading": section.heading, "frame-text": text, "frame-version": str(version)}


def editor_for(report, key, data):
    section = report.sections.get(key=key)
    return get_section_type(key).editor(section, data)


def test_a_draft_section_saves_even_when_incomplete(sx_draft, sx_filer):
    section = sx_draft.sections.get(key="duties")
    editor = editor_for(sx_draft, "duties", duties_post(section, "", section.version))
    assert editor.is_valid(), editor.frame.errors
    services.save_section(editor=editor, by=sx_filer)
    section.refresh_from_db()
    assert section.version == 2


def test_a_save_from_an_outdated_page_does_not_overwrite_the_newer_one(sx_draft, sx_filer):
    section = sx_draft.sections.get(key="duties")
    first = editor_for(sx_draft, "duties", duties_post(section, "甲的内容", section.version))
    second = editor_for(sx_draft, "duties", duties_post(section, "乙的内容", section.version))
    assert first.is_valid() and second.is_valid()
    services.save_section(editor=first, by=sx_filer)
    with pytest.raises(services.SectionConflict, match="其他人已保存"):
        services.save_section(editor=second, by=sx_filer)
    section.refresh_from_db()
    assert section.text == "甲的内容"


def test_the_conflict_page_shows_the_newer_text_and_keeps_what_the_user_typed(client, sx_draft, sx_filer):
    section = sx_draft.sections.get(key="duties")
    client.force_login(sx_filer)
    url = f"/work/reports/{sx_draft.pk}/sections/duties/"
    client.post(url, duties_post(section, "甲保存的内容", section.version))
    response = client.post(url, duties_post(section, "乙正在输入的内容", section.version))
    page = response.content.decode()
    assert response.status_code == 200
    assert "其他人已保存" in page
    assert "甲保存的内容" in page
    assert "乙正在输入的内容" in page


def test_measures_chapters_and_points_are_saved_in_order(client, sx_draft, sx_filer):
    client.force_login(sx_filer)
    section = sx_draft.sections.get(key="measures")
    url = f"/work/reports/{sx_draft.pk}/sections/measures/"
    assert client.get(url).status_code == 200
    points = {
        "chapters-0-points-TOTAL_FORMS": "2",
        "chapters-0-points-INITIAL_FORMS": "0",
        "chapters-0-points-0-ORDER": "2",
        "chapters-0-points-0-heading": "加强执法监督",
        "chapters-0-points-0-body": "修订集体讨论办法。",
        "chapters-0-points-0-indicators-TOTAL_FORMS": "0",
        "chapters-0-points-0-indicators-INITIAL_FORMS": "0",
        "chapters-0-points-1-ORDER": "1",
        "chapters-0-points-1-heading": "强化组织领导",
        "chapters-0-points-1-body": "厅党委高度重视。\n制定工作要点。",
        "chapters-0-points-1-indicators-TOTAL_FORMS": "0",
        "chapters-0-points-1-indicators-INITIAL_FORMS": "0",
    }
    chapters = {
        "chapters-TOTAL_FORMS": "1",
        "chapters-INITIAL_FORMS": "0",
        "chapters-0-ORDER": "1",
        "chapters-0-heading": "",
    }
    response = client.post(url, {**duties_post(section, "", 1), **chapters, **points})
    assert response.status_code == 302
    content = get_section_type("measures").serialize(section)
    assert [p["heading"] for p in content["chapters"][0]["points"]] == ["强化组织领导", "加强执法监督"]
    assert content["chapters"][0]["points"][0]["paragraphs"] == ["厅党委高度重视。", "制定工作要点。"]
