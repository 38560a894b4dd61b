"""Bulk import of agencies and staff from .xlsx and CSV: a preview with an error per row in Chinese, nothing
half-imported, one-time passwords handed out once; a province's 500 agencies and 2,000 staff in one go."""

import io

import pytest
from openpyxl import load_workbook

from reports.agencies.models import Agency, Region, User
from reports.agencies.regions import load_regions
from reports.audit.models import Kind, SecurityEvent
from reports.console import bulk
from reports.console.models import BulkImport
from reports.console.services import ConsoleError
from tests.bulk_tables import AGENCY_HEADER, STAFF_HEADER, agency_rows, csv_bytes, staff_rows, xlsx
from tests.factories import make_administrator


@pytest.fixture
def sx_admin(places):
    return make_administrator("sx-admin", places.shanxi)


def upload(client, kind: str, name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/console/import/", {"kind": kind, "file": SimpleUploadedFile(name, data)}, follow=True)


def test_an_agency_table_with_errors_is_previewed_row_by_row_and_imports_nothing(client, sx_admin, places):
    client.force_login(sx_admin)
    rows = [
        ["长治市水利局", "cz-slj", "140400", "政府部门"],
        ["长治市水利局", "cz-slj-2", "140400", "政府部门"],  # the same name twice
        ["山西省应急管理厅", "", "140000", "政府部门"],  # exists already
        ["某市某局", "x1", "149999", "政府部门"],  # no such region
        ["河北省某局", "x2", "130000", "政府部门"],  # another province
        ["长治市某办", "x3", "140400", "事业单位"],  # no such kind
    ]
    page = upload(client, "agencies", "agencies.xlsx", xlsx(AGENCY_HEADER, rows)).content.decode()
    assert "共 6 行，其中 5 行有误" in page
    for message in (
        "机关名称“长治市水利局”在表中重复",
        "机关名称“山西省应急管理厅”已存在",
        "行政区划代码“149999”不存在",
        "行政区划代码“130000”不在本地区",
        "类别“事业单位”无效",
    ):
        assert message in page
    batch = BulkImport.objects.get()
    response = client.post(f"/console/import/{batch.pk}/apply/", follow=True)
    assert "未导入任何数据" in response.content.decode()
    assert not Agency.objects.filter(code__in=["cz-slj", "cz-slj-2", "x1", "x2", "x3"]).exists()


def test_a_staff_table_reports_unknown_agencies_used_e_mails_and_bad_roles(client, sx_admin, places, sx_filer):
    User.objects.filter(pk=sx_filer.pk).update(email="taken@sx.gov.cn")
    client.force_login(sx_admin)
    rows = [
        ["wang.fang", "王芳", "wf@cz.gov.cn", "cz-yjglj", "填报人"],
        ["li.na", "李娜", "TAKEN@sx.gov.cn", "cz-yjglj", "填报人"],
        ["zhao.lei", "赵磊", "", "nowhere", "填报人"],
        ["hb.person", "", "", "hb-yjglt", "填报人"],
        ["chen.jie", "陈杰", "", "cz-yjglj", "审核人"],
        ["sun.li", "孙丽", "", "cz-yjglj", "管理员"],
        [sx_filer.username, "", "", "cz-yjglj", "填报人"],
    ]
    page = upload(client, "staff", "staff.csv", csv_bytes(STAFF_HEADER, rows)).content.decode()
    assert "共 7 行，其中 6 行有误" in page
    for message in (
        "电子邮箱“TAKEN@sx.gov.cn”已被其他账号使用",
        "机关代码“nowhere”不存在",
        "机关代码“hb-yjglt”不是本地区在用的机关",
        "审核人须属于司法行政部门",
        "管理员请单独创建",
        f"用户名“{sx_filer.username}”已被使用",
    ):
        assert message in page


def test_a_file_that_is_not_a_table_gets_a_clear_message(client, sx_admin):
    client.force_login(sx_admin)
    page = upload(client, "agencies", "agencies.xlsx", b"not a spreadsheet").content.decode()
    assert "无法读取该文件" in page
    page = upload(client, "agencies", "agencies.csv", csv_bytes(["名称"], [["x"]])).content.decode()
    assert "表格缺少以下列：机关全称、行政区划代码、类别" in page
    page = upload(client, "agencies", "agencies.csv", "机关全称".encode("gb18030")).content.decode()
    assert "UTF-8" in page
    assert not BulkImport.objects.exists()


def test_a_province_loads_500_agencies_and_2000_staff_in_one_go(client, places, sx_admin):
    load_regions(province_code="140000")
    regions = list(
        Region.objects.filter(code__startswith="14", level="county")
        .exclude(code=places.lucheng.code)
        .select_related("parent")
        .order_by("code")[:100]
    )
    agencies = agency_rows(regions, 500)
    client.force_login(sx_admin)
    page = upload(client, "agencies", "agencies.xlsx", xlsx(AGENCY_HEADER, agencies)).content.decode()
    assert "共 500 行机关，全部检查无误" in page
    batch = BulkImport.objects.get(kind="agencies")
    response = client.post(f"/console/import/{batch.pk}/apply/", follow=True)
    assert "已导入 500 个机关" in response.content.decode()
    people = staff_rows(agencies, 2000)
    page = upload(client, "staff", "staff.xlsx", xlsx(STAFF_HEADER, people)).content.decode()
    assert "共 2000 行人员，全部检查无误" in page
    batch = BulkImport.objects.get(kind="staff")
    sheet = client.post(f"/console/import/{batch.pk}/apply/")
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    credentials = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert credentials[0] == ("用户名", "姓名", "机关", "角色", "一次性密码")
    assert len(credentials) == 2001
    username, _name, _agency, _role, password = credentials[1]
    user = User.objects.get(username=username)
    assert user.must_change_password and user.check_password(password) and user.agency.code == people[0][3]
    assert User.objects.filter(username__startswith="u").count() == 2000
    assert SecurityEvent.objects.filter(kind=Kind.ACCOUNT_CREATED).count() == 2000
    assert SecurityEvent.objects.filter(kind=Kind.IMPORTED).count() == 2
    # The same table a second time imports nothing more.
    again = client.post(f"/console/import/{batch.pk}/apply/", follow=True)
    assert "已经导入过了" in again.content.decode()


def test_the_import_is_all_or_nothing_even_when_the_database_refuses_a_row(sx_admin, places):
    batch = BulkImport.objects.create(
        kind="agencies",
        file_name="a.csv",
        created_by=sx_admin,
        rows=[
            {"name": "长治市水利局", "code": "cz-slj", "region": "140400", "kind": "政府部门"},
            {"name": "长治市林业局", "code": "cz-lyj", "region": "140400", "kind": "政府部门"},
        ],
    )
    # Between the preview and the go-ahead, someone takes one of the codes: the check at import time refuses.
    Agency.objects.create(code="cz-lyj", name="另一个机关", region=places.changzhi, kind="department")
    with pytest.raises(ConsoleError):
        bulk.import_agencies(batch=batch, by=sx_admin)
    assert not Agency.objects.filter(code="cz-slj").exists()


def test_agencies_and_staff_export_with_who_reviews_whom(client, sx_admin, places, sx_filer):
    client.force_login(sx_admin)
    sheet = client.get("/console/agencies/", {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[0] == tuple(bulk.AGENCY_EXPORT_HEADER)
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["潞城区人民政府"][5] == "长治市司法局"
    assert "河北省应急管理厅" not in by_name
    staff = client.get("/console/staff/", {"format": "csv"})
    text = b"".join(staff.streaming_content).decode("utf-8-sig")
    assert sx_filer.username in text
    assert SecurityEvent.objects.filter(kind=Kind.EXPORTED, actor=sx_admin).count() == 2
