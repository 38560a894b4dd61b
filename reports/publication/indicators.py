"""The figures a report publishes, read out of its snapshot for charts, comparisons and open data.

Section contents belong to the section apps and may gain fields, so everything here reads them with `.get`
and skips what it does not recognise.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

RULING_LABELS = {
    "reconsideration_received": _("行政复议案件（收到）"),
    "reconsideration_concluded": _("行政复议案件（办结）"),
    "reconsideration_overturned": _("行政复议被撤销、变更"),
    "defendant_new": _("作为被告的行政诉讼（新收）"),
    "defendant_concluded": _("作为被告的行政诉讼（审结）"),
    "defendant_lost": _("作为被告败诉"),
    "third_party_new": _("作为第三人的行政诉讼（新收）"),
    "third_party_concluded": _("作为第三人的行政诉讼（审结）"),
    "third_party_lost": _("作为第三人败诉"),
    "rulings_to_perform": _("应履行的法院生效裁判"),
    "rulings_performed": _("已履行的法院生效裁判"),
    "hearings": _("需出庭应诉的庭审"),
    "leader_appearances": _("负责人出庭应诉"),
}

RULING_CHARTS = (
    (_("行政复议和行政诉讼"), ("reconsideration_received", "defendant_new", "defendant_lost")),
    (_("法院生效裁判的履行"), ("rulings_to_perform", "rulings_performed")),
    (_("负责人出庭应诉"), ("hearings", "leader_appearances")),
)

# The figures shown for an agency's peers: the cases, the cases lost, and whether rulings and hearings were met.
PEER_FIGURES = (
    "reconsideration_received",
    "defendant_new",
    "defendant_lost",
    "rulings_performed",
    "leader_appearances",
)


@dataclass(frozen=True)
class Indicator:
    name: str
    value: str
    unit: str


def ruling_label(key: str) -> str:
    return str(RULING_LABELS.get(key, key))


def figures_of(snapshot: dict[str, Any]) -> dict[str, Any]:
    """{"rulings": {key: count}, "indicators": [{name, value, unit}]}: the counts of the rulings section and the
    named indicators of the measures' points."""
    rulings: dict[str, int] = {}
    indicators: list[dict[str, str]] = []
    for entry in snapshot.get("sections") or []:
        content = entry.get("content") if isinstance(entry, dict) else None
        if not isinstance(content, dict):
            continue
        if entry.get("key") == "rulings":
            rulings = {k: v for k, v in content.items() if isinstance(v, int) and not isinstance(v, bool)}
        for chapter in _dicts(content.get("chapters")):
            for point in _dicts(chapter.get("points")):
                for indicator in _dicts(point.get("indicators")):
                    name, value = str(indicator.get("name") or ""), str(indicator.get("value") or "")
                    if name and value:
                        indicators.append({"name": name, "value": value, "unit": str(indicator.get("unit") or "")})
    return {"rulings": rulings, "indicators": indicators}


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def indicators_of(figures: dict[str, Any]) -> list[Indicator]:
    return [
        Indicator(i["name"], i["value"], i.get("unit", ""))
        for i in figures.get("indicators", [])
        if isinstance(i, dict) and i.get("name") and i.get("value")
    ]


def number(value: str) -> Decimal | None:
    try:
        return Decimal(value.replace(",", ""))
    except (InvalidOperation, AttributeError):
        return None
