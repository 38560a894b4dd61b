"""China's administrative divisions from the official codes (GB/T 2260), loaded idempotently.

The table ships with the source (data/gb2260.csv, with its source and date in data/README.md). A province loads only
its own part: the province and the cities and counties whose codes start with its two digits.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from reports.agencies.models import Level, Region

DATA_FILE = Path(__file__).resolve().parent / "data" / "gb2260.csv"


@dataclass(frozen=True)
class Division:
    code: str
    name: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return Level.PROVINCE
        if self.code.endswith("00"):
            return Level.CITY
        return Level.COUNTY

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


@dataclass(frozen=True)
class LoadedRegions:
    created: int
    renamed: int
    unchanged: int


def divisions(province_code: str | None = None) -> list[Division]:
    """The divisions of the table, a province's only when its code is given (the province first)."""
    with DATA_FILE.open(encoding="utf-8", newline="") as file:
        rows = [Division(row["code"], row["name"]) for row in csv.DictReader(file)]
    if province_code:
        rows = [row for row in rows if row.province_code == province_code]
    return sorted(rows, key=lambda row: (row.level != Level.PROVINCE, row.level != Level.CITY, row.code))


def division(code: str) -> Division | None:
    return next((row for row in divisions(code[:2] + "0000") if row.code == code), None)


def _parent_code(row: Division, codes: set[str]) -> str | None:
    if row.level == Level.PROVINCE:
        return None
    city = row.code[:4] + "00"
    if row.level == Level.COUNTY and city in codes:
        return city
    return row.province_code


@transaction.atomic
def load_regions(*, province_code: str | None = None) -> LoadedRegions:
    """Create the divisions that are missing, rename those whose official name changed, touch nothing else.
    Running it twice changes nothing the second time."""
    rows = divisions(province_code)
    codes = {row.code for row in rows}
    existing = {region.code: region for region in Region.objects.filter(code__in=[row.code for row in rows])}
    created = renamed = unchanged = 0
    for row in rows:  # provinces, then cities, then counties: each parent exists before its children
        region = existing.get(row.code)
        parent_code = _parent_code(row, codes)
        parent = existing[parent_code] if parent_code else None
        if region is None:
            existing[row.code] = Region.objects.create(code=row.code, name=row.name, level=row.level, parent=parent)
            created += 1
        elif region.name != row.name or region.parent_id != (parent.pk if parent else None):
            region.name, region.parent, region.level = row.name, parent, row.level
            region.save(update_fields=["name", "parent", "level"])
            renamed += 1
        else:
            unchanged += 1
    return LoadedRegions(created, renamed, unchanged)


def ensure_region(code: str) -> Region:
    """The division of that code, created from the table if it is missing (the province of a new administrator)."""
    region = Region.objects.filter(code=code).first()
    if region:
        return region
    row = division(code)
    if row is None:
        raise ValueError(f"{code} is not a division in {DATA_FILE.name}")
    parent_code = _parent_code(row, {d.code for d in divisions(row.province_code)})
    parent = ensure_region(parent_code) if parent_code else None
    return Region.objects.create(code=row.code, name=row.name, level=row.level, parent=parent)
