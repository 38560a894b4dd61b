"""Agency and staff tables as a province would prepare them, as .xlsx or CSV bytes."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

AGENCY_HEADER = ["机关全称", "机关代码", "行政区划代码", "类别"]
STAFF_HEADER = ["用户名", "姓名", "电子邮箱", "机关代码", "角色"]
DEPARTMENTS = ["应急管理局", "自然资源局", "生态环境局", "交通运输局", "水利局", "卫生健康委员会", "市场监督管理局"]


def xlsx(header: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def agency_rows(regions, count: int) -> list[list]:
    """`count` agencies spread over the regions: each region's government and justice bureau, then departments."""
    rows = []
    # A county's agencies carry their city's name too: 城区 is a district of several cities.
    names = {region.pk: f"{region.parent.name if region.parent_id else ''}{region.name}" for region in regions}
    for region in regions:
        rows.append([f"{names[region.pk]}人民政府", f"g{region.code}", region.code, "人民政府"])
        rows.append([f"{names[region.pk]}司法局", f"j{region.code}", region.code, "司法行政部门"])
    n = 0
    while len(rows) < count:
        region = regions[n % len(regions)]
        name = DEPARTMENTS[(n // len(regions)) % len(DEPARTMENTS)]
        rounds = n // (len(regions) * len(DEPARTMENTS))
        rows.append([f"{names[region.pk]}{name}{rounds or ''}", f"d{region.code}-{n}", region.code, "政府部门"])
        n += 1
    return rows[:count]


def staff_rows(agency_rows: list[list], count: int) -> list[list]:
    """`count` people: first a reviewer for each justice bureau and a filer for every other agency, then a filer
    for each, then signatories."""
    rows = []
    for i in range(count):
        _name, code, _region, kind = agency_rows[i % len(agency_rows)]
        rounds = i // len(agency_rows)
        role = (
            ("审核人" if kind == "司法行政部门" else "填报人") if rounds == 0 else "填报人" if rounds == 1 else "签发人"
        )
        rows.append([f"u{i:05d}", f"职员{i}", f"u{i:05d}@example.gov.cn", code, role])
    return rows
