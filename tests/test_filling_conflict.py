from reports.agencies.models import User
from reports.measures.models import Point
from tests.factories import make_user
from tests.section_forms import measures_post


def url(report):
    return f"/work/reports/{report.pk}/sections/measures/"


def chapters(heading, body):
    return [{"heading": "", "points": [{"heading": heading, "body": body}]}]


def test_a_later_save_of_the_same_section_does_not_overwrite_the_earlier_one(client, places, sx_draft, sx_filer):
    colleague: User = make_user("sx-yjglt-filer-2", places.sx_emergency)
    section = sx_draft.sections.get(key="measures")
    opened = section.version
    client.force_login(sx_filer)
    client.post(url(sx_draft), measures_post(section, chapters("强化组织领导", "甲保存的内容。"), version=opened))
    client.force_login(colleague)
    theirs = measures_post(section, chapters("加强执法监督", "乙正在输入的内容。"), version=opened)
    response = client.post(url(sx_draft), theirs)
    page = response.content.decode()
    assert response.status_code == 200
    assert "其他人已保存" in page
    assert "他人刚保存的最新内容" in page and "甲保存的内容。" in page
    assert "乙正在输入的内容。" in page
    assert list(Point.objects.values_list("body", flat=True)) == ["甲保存的内容。"]
    section.refresh_from_db()
    assert f'name="frame-version" value="{section.version}"' in page


def test_after_comparing_the_filer_can_keep_what_they_typed(client, places, sx_draft, sx_filer):
    colleague = make_user("sx-yjglt-filer-2", places.sx_emergency)
    section = sx_draft.sections.get(key="measures")
    opened = section.version
    client.force_login(sx_filer)
    client.post(url(sx_draft), measures_post(section, chapters("强化组织领导", "甲保存的内容。"), version=opened))
    client.force_login(colleague)
    theirs = measures_post(section, chapters("加强执法监督", "乙正在输入的内容。"), version=opened)
    client.post(url(sx_draft), theirs)
    section.refresh_from_db()
    response = client.post(url(sx_draft), {**theirs, "frame-version": str(section.version)})
    assert response.status_code == 302
    assert list(Point.objects.values_list("heading", "body")) == [("加强执法监督", "乙正在输入的内容。")]
