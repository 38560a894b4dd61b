"""Figures a sentence reports, where the pattern is clear: 检查企业 19.2 万家, 整改率 96.2%.

A figure is a number with a unit of count, ending its clause; its name is the few words before it.
Anything less clear is left in the text alone, where a filer can still read it.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from reports.filing.characters import HAN

_UNITS = (
    "万人次|人次|万家次|家次|个次|件次|户次|场次|亿元|万元|元|万家|家|万项|项|万件|件|万个|个|万次|次|万人|人|名"
    "|本|部|册|条|场|期|批|类|户|处|所|起|篇|份|台|套|辆|艘|吨|宗|张|门|课时|小时|天|公里|平方米|亩"
)
_FIGURE = re.compile(
    rf"(?<![0-9０-９.．])([0-9０-９]{{1,12}}(?:[.．][0-9０-９]{{1,4}})?)\s*"
    rf"([%％]|[万亿千百]?[多余]?(?:{_UNITS}))(?=[，,、；;。：:）)\s]|$)"
)
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！!？?（(）)\n]")
_SCOPE = re.compile(r"部门|单位|各级|全省|全市|全县|全区|我局|我厅|我委|我办|我省|我市")
_LEADING = re.compile(r"^[、\s年月日号底初末度]*(?:其中|共计|累计|共|全年)?")
_TRAILING = re.compile(r"(?:均|都|分别|已经|共计|累计|共|约|达到|达|为|了|超过|超|近|逾|计|的)+$")
_NAME_MIN, _NAME_MAX = 2, 16


def _name(before: str) -> str:
    name = _CLAUSE_BREAK.split(before)[-1]
    name = re.split(r"[0-9０-９]", name)[-1]
    scopes = list(_SCOPE.finditer(name))
    if scopes:
        name = name[scopes[-1].end() :]
    name = _TRAILING.sub("", _LEADING.sub("", name).strip())
    return name.strip()


def _is_name(name: str) -> bool:
    return _NAME_MIN <= len(name) <= _NAME_MAX and bool(re.search(f"[{HAN}]", name))


def figures_in(paragraphs: list[str]) -> list[dict[str, Any]]:
    found = []
    for paragraph in paragraphs:
        clause_start = 0
        for match in _FIGURE.finditer(paragraph):
            name = _name(paragraph[clause_start : match.start()])
            clause_start = match.end()
            if not _is_name(name):
                continue
            value = Decimal(unicodedata.normalize("NFKC", match.group(1))).normalize()
            unit = unicodedata.normalize("NFKC", match.group(2))
            found.append({"name": name, "value": format(value, "f"), "unit": unit})
    return found
