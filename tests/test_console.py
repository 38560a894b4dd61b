"""The administrator's console: scoped to the administrator's region, every action in the security log; the
管理员 reads drafts of their region only where the province allows it, and never edits."""

import datetime

import pytest
from django.test import Client

from reports.agencies.models import Agency, AgencyKind, ProvincePolicy, Role, User
from reports.audit.models import Kind, SecurityEvent
from reports.filing.models import CycleSection, ProvincialCycleSettings, ReportSection
from reports.filing.services import start_report
from tests.factories import PASSWORD, filer_of, make_administrator, reviewer_of
from tests.publishing import published_report


@pytest.fixture
def sx_admin(places):
    return make_administrator("sx-admin", places.shanxi)


@pytest.fixture
def cz_admin(places):
    return make_administrator("cz-admin", places.changzhi)


@pytest.fixture
def admin_client(client, sx_admin):
    client.force_login(sx_admin)
    return client


def test_only_administrators_open_the_console(client, sx_filer, sx_reviewer):
    for user in (sx_filer, sx_reviewer):
        client.force_login(user)
        assert client.get("/console/").status_code == 404


def test_a_city_administrator_sees_and_changes_only_their_city(client, cz_admin, places):
    client.force_login(cz_admin)
    page = client.get("/console/agencies/").content.decode()
    assert "长治市应急管理局" in page and "潞城区人民政府" in page
    assert "山西省应急管理厅" not in page and "河北省应急管理厅" not in page
    assert client.get(f"/console/agencies/{places.sx_emergency.pk}/").status_code == 404
    response = client.post(
        "/console/agencies/new/",
        {"name": "太原市应急管理局", "code": "ty-yjglj", "region": places.shanxi.pk, "kind": "department"},
    )
    assert response.status_code == 200 and not Agency.objects.filter(code="ty-yjglj").exists()
    assert client.get("/console/policy/").status_code == 404  # a province's settings are the province's


def test_the_console_shows_who_reviews_each_agency(admin_client):
    page = admin_client.get("/console/agencies/", {"q": "潞城区"}).content.decode()
    assert "潞城区人民政府" in page and "长治市司法局" in page


def test_an_agency_is_created_renamed_and_moved(admin_client, places):
    admin_client.post(
        "/console/agencies/new/",
        {"name": "山西省水利厅", "code": "sx-slt", "region": places.shanxi.pk, "kind": "department"},
    )
    agency = Agency.objects.get(code="sx-slt")
    admin_client.post(
        f"/console/agencies/{agency.pk}/",
        {"name": "长治市水利局", "code": "sx-slt", "region": places.changzhi.pk, "kind": "department"},
    )
    agency.refresh_from_db()
    assert (agency.name, agency.region) == ("长治市水利局", places.changzhi)
    assert SecurityEvent.objects.filter(kind=Kind.AGENCY_CHANGED, target="长治市水利局").count() == 1


def test_a_merged_agency_is_retired_and_keeps_its_published_report(admin_client, places, cycle, client):
    report = published_report(
        places.cz_emergency, cycle, filer_of(places.cz_emergency), reviewer_of(places.cz_emergency)
    )
    staff = User.objects.filter(agency=places.cz_emergency)
    assert staff.filter(is_active=True).exists()
    response = admin_client.post(
        f"/console/agencies/{places.cz_emergency.pk}/retire/", {"merged_into": places.cz_government.pk}, follow=True
    )
    assert "已撤并" in response.content.decode()
    places.cz_emergency.refresh_from_db()
    assert places.cz_emergency.retired_on and places.cz_emergency.merged_into == places.cz_government
    assert not staff.filter(is_active=True).exists()
    assert Client().get(f"/published/{cycle.year}/{report.agency.code}/").status_code == 200
    assert places.cz_emergency not in Agency.objects.active()
    # Nobody is waited for any more: the reviewer's workspace no longer lists it.
    reviewer = Client()
    reviewer.force_login(reviewer_of(places.cz_government))
    assert "长治市应急管理局" not in reviewer.get(f"/review/{cycle.year}/").content.decode()


def test_a_staff_account_gets_a_one_time_password_to_change_at_first_login(admin_client, places):
    response = admin_client.post(
        "/console/staff/new/",
        {
            "username": "cz-new-filer",
            "full_name": "王芳",
            "email": "wf@cz.gov.cn",
            "agency": places.cz_emergency.pk,
            "role": "filer",
            "is_active": "on",
        },
    )
    page = response.content.decode()
    assert "一次性密码" in page
    password = page.split('id="one-time-password">')[1].split("<")[0]
    user = User.objects.get(username="cz-new-filer")
    assert user.must_change_password and user.check_password(password)
    newcomer = Client()
    assert newcomer.post("/accounts/login/", {"username": "cz-new-filer", "password": password}).status_code == 302
    assert newcomer.get("/work/")["Location"] == "/accounts/password/"
    assert SecurityEvent.objects.filter(kind=Kind.ACCOUNT_CREATED, target="cz-new-filer").exists()


def test_a_reviewer_must_belong_to_a_justice_department(admin_client, places):
    response = admin_client.post(
        "/console/staff/new/",
        {"username": "bad-reviewer", "agency": places.cz_emergency.pk, "role": "reviewer", "is_active": "on"},
    )
    assert "审核人须属于司法行政部门" in response.content.decode()
    assert not User.objects.filter(username="bad-reviewer").exists()


def test_a_role_change_deactivation_and_password_reset_are_logged(admin_client, places, sx_filer):
    admin_client.post(
        f"/console/staff/{sx_filer.pk}/",
        {
            "username": sx_filer.username,
            "full_name": "张三",
            "email": "",
            "agency": places.sx_emergency.pk,
            "role": "signatory",
        },
    )
    sx_filer.refresh_from_db()
    assert (sx_filer.role, sx_filer.is_active) == (Role.SIGNATORY, False)
    kinds = set(SecurityEvent.objects.filter(target=sx_filer.username).values_list("kind", flat=True))
    assert {Kind.ROLE_CHANGED, Kind.ACCOUNT_DEACTIVATED, Kind.ACCOUNT_CHANGED} <= kinds
    page = admin_client.post(f"/console/staff/{sx_filer.pk}/password/").content.decode()
    password = page.split('id="one-time-password">')[1].split("<")[0]
    sx_filer.refresh_from_db()
    assert sx_filer.check_password(password) and not sx_filer.check_password(PASSWORD) and sx_filer.must_change_password


def test_the_administrator_edits_the_provinces_policy(admin_client, places):
    admin_client.post(
        "/console/policy/", {"administrators_read_drafts": "on", "own_report_approval": "second_reviewer"}
    )
    policy = ProvincePolicy.objects.for_region(places.lucheng)
    assert policy.administrators_read_drafts and policy.own_report_approval == "second_reviewer"
    assert SecurityEvent.objects.filter(kind=Kind.SETTINGS_CHANGED).exists()


def _cycle_post(**extra):
    data = {
        "due_date": "2025-02-15",
        "publication_deadline": "2025-03-15",
        "requires_sign_off": "on",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    return {**data, **extra}


def test_the_provinces_cycle_settings_take_effect_for_its_agencies_only(admin_client, places, cycle):
    cz_report = start_report(agency=places.cz_emergency, cycle=cycle)
    page = admin_client.get(f"/console/cycles/{cycle.year}/").content.decode()
    keys = [cs.key for cs in CycleSection.objects.filter(cycle=cycle, region__isnull=True).order_by("position")]
    assert "2025-03-01" in page  # today's (national) dates offered
    ReportSection.objects.filter(report=cz_report, key="plans").delete()
    sections = {"sections-TOTAL_FORMS": str(len(keys)), "sections-INITIAL_FORMS": str(len(keys)), "own_sections": "on"}
    for i, key in enumerate(keys):
        sections |= {
            f"sections-{i}-key": key,
            f"sections-{i}-heading": f"第{i + 1}部分",
            f"sections-{i}-required": "on",
        }
        if key != "shortcomings":
            sections[f"sections-{i}-included"] = "on"
    response = admin_client.post(f"/console/cycles/{cycle.year}/", {**_cycle_post(), **sections}, follow=True)
    assert "对本省各机关生效" in response.content.decode()
    settings = ProvincialCycleSettings.objects.get(cycle=cycle, province=places.shanxi)
    assert (settings.due_date, settings.requires_sign_off) == (datetime.date(2025, 2, 15), True)
    assert [cs.key for cs in cz_report.cycle_sections()] == [k for k in keys if k != "shortcomings"]
    # The cycle's section settings were applied at once: the report that lacked one has it now.
    assert ReportSection.objects.filter(report=cz_report, key="plans").exists()
    hebei = start_report(agency=places.hb_emergency, cycle=cycle)
    assert [cs.key for cs in hebei.cycle_sections()] == keys


def test_a_publication_deadline_before_the_due_date_is_refused(admin_client, cycle):
    response = admin_client.post(f"/console/cycles/{cycle.year}/", _cycle_post(publication_deadline="2025-02-01"))
    assert "公开截止日期不能早于报送截止日期" in response.content.decode()


# The 管理员 rule: their region only, drafts only where the province allows, never an edit.


@pytest.fixture
def drafts(places, cycle):
    return {
        agency.code: start_report(agency=agency, cycle=cycle) for agency in (places.cz_emergency, places.hb_emergency)
    }


def _allow_drafts(province, allowed: bool = True) -> None:
    ProvincePolicy.objects.update_or_create(province=province, defaults={"administrators_read_drafts": allowed})


def test_an_administrator_reads_no_draft_unless_the_province_allows(client, cz_admin, drafts):
    client.force_login(cz_admin)
    report = drafts["cz-yjglj"]
    for url in (
        f"/work/reports/{report.pk}/",
        f"/work/reports/{report.pk}/preview/",
        f"/work/reports/{report.pk}/export.docx",
    ):
        assert client.get(url).status_code == 404, url


def test_where_allowed_an_administrator_reads_their_regions_drafts_only_and_edits_none(
    client, cz_admin, drafts, places
):
    _allow_drafts(places.shanxi)
    _allow_drafts(places.hebei)
    client.force_login(cz_admin)
    report = drafts["cz-yjglj"]
    assert client.get(f"/work/reports/{report.pk}/").status_code == 200
    assert client.get(f"/work/reports/{report.pk}/preview/").status_code == 200
    assert not cz_admin.has_perm("filing.edit_report", report)
    assert client.get(f"/work/reports/{report.pk}/sections/duties/")["Location"] == f"/work/reports/{report.pk}/"
    assert client.get(f"/work/reports/{drafts['hb-yjglt'].pk}/").status_code == 404  # another province


def test_an_administrator_of_a_city_reads_nothing_of_the_province_level(client, cz_admin, places, cycle):
    _allow_drafts(places.shanxi)
    report = start_report(agency=places.sx_emergency, cycle=cycle)
    client.force_login(cz_admin)
    assert client.get(f"/work/reports/{report.pk}/").status_code == 404


def test_an_agency_that_no_justice_department_reviews_is_flagged(admin_client, places):
    Agency.objects.create(code="lc-yjglj", name="潞城区应急管理局", region=places.lucheng, kind=AgencyKind.DEPARTMENT)
    page = admin_client.get("/console/agencies/", {"q": "潞城区应急管理局"}).content.decode()
    assert "本地区尚无司法行政部门" in page
