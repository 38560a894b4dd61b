"""Bulk import and export of agencies and staff, from and to CSV and Excel (.xlsx), read with tablib.

An upload is checked row by row first (each error said in Chinese, with its row number) and shown as a preview;
the import then writes every row or none. A province's 500 agencies and 2,000 staff go in one transaction, with
a handful of queries (bulk inserts) and one-time passwords hashed by the one-time hasher.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

import tablib
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.accounts.services import ONE_TIME_HASHER, one_time_password
from reports.agencies.models import Agency, AgencyKind, Region, Role, User
from reports.agencies.signals import agencies_imported
from reports.audit.models import Kind, SecurityEvent
from reports.audit.services import current_address, record
from reports.console.models import BulkImport
from reports.console.services import ConsoleError

MAX_ROWS = 20_000
AGENCY_COLUMNS = {"机关全称": "name", "机关代码": "code", "行政区划代码": "region", "类别": "kind"}
STAFF_COLUMNS = {"用户名": "username", "姓名": "full_name", "电子邮箱": "email", "机关代码": "agency", "角色": "role"}
REQUIRED = {BulkImport.Kind.AGENCIES: ("name", "region", "kind"), BulkImport.Kind.STAFF: ("username", "agency", "role")}
COLUMNS = {BulkImport.Kind.AGENCIES: AGENCY_COLUMNS, BulkImport.Kind.STAFF: STAFF_COLUMNS}
USERNAME = re.compile(r"^[\w.@+-]{3,150}$")
CODE = re.compile(r"^[-a-zA-Z0-9_]{2,64}$")


def _labels(choices) -> dict[str, str]:
    """Both the Chinese label and the key are accepted (人民政府 or government)."""
    return {str(label): value for value, label in choices} | {value: value for value, _label in choices}


@dataclass
class Row:
    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    kind: str = ""

    @property
    def cells(self) -> list[str]:
        """The values in the table's column order (the stored row is a JSON object, whose keys have none)."""
        return [self.values.get(key, "") for key in COLUMNS[self.kind].values()]


@dataclass
class Checked:
    kind: str
    rows: list[Row]

    @property
    def errors(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def read_table(*, data: bytes, file_name: str, kind: str) -> list[dict[str, str]]:
    """The rows of an uploaded .csv or .xlsx, by the portal's own column names; a clear refusal otherwise."""
    name = file_name.lower()
    try:
        if name.endswith(".xlsx"):
            dataset = tablib.Dataset().load(data, format="xlsx")
        elif name.endswith(".csv"):
            dataset = tablib.Dataset().load(data.decode("utf-8-sig"), format="csv")
        else:
            raise ConsoleError(_("请上传 .xlsx 或 .csv 文件。"))
    except UnicodeDecodeError:
        raise ConsoleError(_("CSV 文件须为 UTF-8 编码。请在 Excel 中“另存为 CSV UTF-8”，或直接上传 .xlsx。")) from None
    except ConsoleError:
        raise
    except Exception:
        raise ConsoleError(_("无法读取该文件，请确认它是未加密的 .xlsx 或 .csv 文件。")) from None
    columns = COLUMNS[kind]
    headers = [str(h or "").strip() for h in dataset.headers or []]
    missing = [label for label, key in columns.items() if key in REQUIRED[kind] and label not in headers]
    if missing:
        raise ConsoleError(_("表格缺少以下列：%(columns)s。第一行应为列名。") % {"columns": "、".join(missing)})
    if len(dataset) > MAX_ROWS:
        raise ConsoleError(_("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
    rows = []
    for values in dataset:
        cells = dict(zip(headers, values, strict=False))
        row = {key: _text(cells.get(label)) for label, key in columns.items()}
        if any(row.values()):
            rows.append(row)
    if not rows:
        raise ConsoleError(_("表格中没有数据行。"))
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a region code typed as a number in Excel
    return str(value).strip()


@transaction.atomic
def upload(*, data: bytes, file_name: str, kind: str, by: User) -> BulkImport:
    rows = read_table(data=data, file_name=file_name, kind=kind)
    return BulkImport.objects.create(kind=kind, file_name=file_name[:200], rows=rows, created_by=by)


def check(batch: BulkImport, by: User) -> Checked:
    if batch.kind == BulkImport.Kind.AGENCIES:
        return _check_agencies(batch.rows, by)
    return _check_staff(batch.rows, by)


def _check_agencies(rows: list[dict], by: User) -> Checked:
    allowed = {r.code: r for r in Region.objects.within(by.administered_region)}
    known = set(Region.objects.filter(code__in=[row["region"] for row in rows]).values_list("code", flat=True))
    taken_names = set(Agency.objects.filter(name__in=[row["name"] for row in rows]).values_list("name", flat=True))
    taken_codes = set(Agency.objects.filter(code__in=[row["code"] for row in rows]).values_list("code", flat=True))
    kinds = _labels(AgencyKind.choices)
    seen_names: set[str] = set()
    seen_codes: set[str] = set()
    checked = []
    for number, values in enumerate(rows, 2):
        row = Row(number, values, kind=BulkImport.Kind.AGENCIES)
        name, code, region, kind = values["name"], values["code"], values["region"], values["kind"]
        if not name:
            row.errors.append(_("机关全称不能为空"))
        elif name in taken_names:
            row.errors.append(_("机关名称“%(name)s”已存在") % {"name": name})
        elif name in seen_names:
            row.errors.append(_("机关名称“%(name)s”在表中重复") % {"name": name})
        seen_names.add(name)
        if code:
            if not CODE.match(code):
                row.errors.append(_("机关代码只能用字母、数字、连字符，2 至 64 位"))
            elif code in taken_codes:
                row.errors.append(_("机关代码“%(code)s”已被使用") % {"code": code})
            elif code in seen_codes:
                row.errors.append(_("机关代码“%(code)s”在表中重复") % {"code": code})
            seen_codes.add(code)
        if region not in known:
            row.errors.append(_("行政区划代码“%(code)s”不存在（请核对，或先导入行政区划）") % {"code": region})
        elif region not in allowed:
            row.errors.append(_("行政区划代码“%(code)s”不在本地区") % {"code": region})
        if kind not in kinds:
            row.errors.append(_("类别“%(kind)s”无效，应为人民政府、政府部门或司法行政部门") % {"kind": kind})
        checked.append(row)
    return Checked(BulkImport.Kind.AGENCIES, checked)


def _check_staff(rows: list[dict], by: User) -> Checked:
    agencies = {
        a.code: a
        for a in Agency.objects.within(by.administered_region).active().filter(code__in=[r["agency"] for r in rows])
    }
    elsewhere = set(Agency.objects.filter(code__in=[r["agency"] for r in rows]).values_list("code", flat=True))
    taken_users = set(
        User.objects.filter(username__in=[r["username"] for r in rows]).values_list("username", flat=True)
    )
    emails = [r["email"].lower() for r in rows if r["email"]]
    taken_emails = {e.lower() for e in User.objects.filter(email__in=emails).values_list("email", flat=True)}
    roles = _labels([(v, label) for v, label in Role.choices if v != Role.ADMINISTRATOR])
    seen_users: set[str] = set()
    seen_emails: set[str] = set()
    checked = []
    for number, values in enumerate(rows, 2):
        row = Row(number, values, kind=BulkImport.Kind.STAFF)
        username, email, agency_code, role = (
            values["username"],
            values["email"].lower(),
            values["agency"],
            values["role"],
        )
        if not USERNAME.match(username):
            row.errors.append(_("用户名须为 3 至 150 位字母、数字或 . @ + - _"))
        elif username in taken_users:
            row.errors.append(_("用户名“%(u)s”已被使用") % {"u": username})
        elif username in seen_users:
            row.errors.append(_("用户名“%(u)s”在表中重复") % {"u": username})
        seen_users.add(username)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.errors.append(_("电子邮箱“%(e)s”格式不正确") % {"e": values["email"]})
            else:
                if email in taken_emails:
                    row.errors.append(_("电子邮箱“%(e)s”已被其他账号使用") % {"e": values["email"]})
                elif email in seen_emails:
                    row.errors.append(_("电子邮箱“%(e)s”在表中重复") % {"e": values["email"]})
            seen_emails.add(email)
        agency = agencies.get(agency_code)
        if agency is None:
            if agency_code in elsewhere:
                row.errors.append(_("机关代码“%(c)s”不是本地区在用的机关") % {"c": agency_code})
            else:
                row.errors.append(_("机关代码“%(c)s”不存在（请先导入机关）") % {"c": agency_code})
        if role not in roles:
            row.errors.append(_("角色“%(r)s”无效，应为填报人、审核人或签发人（管理员请单独创建）") % {"r": role})
        elif roles[role] == Role.REVIEWER and agency is not None and not agency.is_justice_department:
            row.errors.append(_("审核人须属于司法行政部门"))
        checked.append(row)
    return Checked(BulkImport.Kind.STAFF, checked)


@dataclass(frozen=True)
class Credential:
    username: str
    full_name: str
    agency: str
    role: str
    password: str


def _locked(batch: BulkImport, by: User) -> tuple[BulkImport, Checked]:
    batch = BulkImport.objects.select_for_update().get(pk=batch.pk, created_by=by)
    if batch.applied_at:
        raise ConsoleError(_("这份表格已经导入过了。"))
    checked = check(batch, by)
    if not checked.ok:
        raise ConsoleError(_("表格中有 %(n)s 行有误，未导入任何数据。请改正后重新上传。") % {"n": checked.errors})
    return batch, checked


@transaction.atomic
def import_agencies(*, batch: BulkImport, by: User) -> int:
    batch, checked = _locked(batch, by)
    regions = dict(Region.objects.filter(code__in=[r.values["region"] for r in checked.rows]).values_list("code", "pk"))
    kinds = _labels(AgencyKind.choices)
    agencies = [
        Agency(
            name=row.values["name"],
            code=row.values["code"] or f"a{row.values['region']}-{secrets.token_hex(4)}",
            region_id=regions[row.values["region"]],
            kind=kinds[row.values["kind"]],
        )
        for row in checked.rows
    ]
    Agency.objects.bulk_create(agencies, batch_size=1000)
    agencies_imported.send(sender=Agency, agency_ids=[agency.pk for agency in agencies])
    _done(batch, by, len(agencies))
    return len(agencies)


@transaction.atomic
def import_staff(*, batch: BulkImport, by: User) -> list[Credential]:
    """The accounts, each with a one-time password to be changed at first login; the passwords are returned
    once, to be handed out, and kept nowhere."""
    batch, checked = _locked(batch, by)
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[r.values["agency"] for r in checked.rows])}
    roles = _labels(Role.choices)
    users, credentials = [], []
    for row in checked.rows:
        password = one_time_password()
        agency = agencies[row.values["agency"]]
        user = User(
            username=row.values["username"],
            full_name=row.values["full_name"],
            email=row.values["email"],
            agency=agency,
            role=roles[row.values["role"]],
            password=make_password(password, hasher=ONE_TIME_HASHER),
            must_change_password=True,
        )
        users.append(user)
        credentials.append(
            Credential(user.username, user.full_name, agency.name, str(user.get_role_display()), password)
        )
    User.objects.bulk_create(users, batch_size=1000)
    SecurityEvent.objects.bulk_create(
        [
            SecurityEvent(
                kind=Kind.ACCOUNT_CREATED,
                actor=by,
                username=by.username,
                address=current_address(),
                region_id=user.agency.region_id,
                target=user.username,
                detail=_("%(role)s %(agency)s（批量导入）")
                % {"role": user.get_role_display(), "agency": user.agency.name},
            )
            for user in users
        ],
        batch_size=1000,
    )
    _done(batch, by, len(users))
    return credentials


def _done(batch: BulkImport, by: User, count: int) -> None:
    batch.applied_at = timezone.now()
    batch.save(update_fields=["applied_at"])
    record(
        kind=Kind.IMPORTED,
        actor=by,
        target=batch.file_name,
        detail=_("导入%(kind)s %(n)s 条") % {"kind": batch.get_kind_display(), "n": count},
    )


CREDENTIAL_HEADER = ["用户名", "姓名", "机关", "角色", "一次性密码"]


def credential_rows(credentials: list[Credential]) -> list[list[str]]:
    return [[c.username, c.full_name, c.agency, c.role, c.password] for c in credentials]


AGENCY_EXPORT_HEADER = ["机关全称", "机关代码", "行政区划代码", "地区", "类别", "审核机关", "状态"]
STAFF_EXPORT_HEADER = ["用户名", "姓名", "电子邮箱", "机关代码", "机关", "角色", "状态", "最近登录"]


def agency_rows(agencies) -> list[list[str]]:
    """Each agency with the justice departments that review it (who reviews whom, as the one rule reads it)."""
    rows = []
    for agency in agencies.select_related("region"):
        reviewers = Agency.objects.reviewing(agency).values_list("name", flat=True)
        rows.append(
            [
                agency.name,
                agency.code,
                agency.region.code,
                agency.region.name,
                str(agency.get_kind_display()),
                "、".join(reviewers),
                _("已撤并") if agency.retired_on else _("在用"),
            ]
        )
    return rows


def staff_rows(users) -> list[list[str]]:
    return [
        [
            user.username,
            user.full_name,
            user.email,
            user.agency.code if user.agency_id else "",
            user.agency.name if user.agency_id else str(user.region or ""),
            str(user.get_role_display()),
            _("在用") if user.is_active else _("已停用"),
            timezone.localtime(user.last_login).strftime("%Y-%m-%d %H:%M") if user.last_login else "",
        ]
        for user in users.select_related("agency", "region")
    ]
