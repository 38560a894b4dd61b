"""What a browser posts from the section edit pages, built from the snapshot shape of a section's content."""

from __future__ import annotations

from typing import Any

from reports.filing.models import ReportSection


def frame(section: ReportSection, *, text: str = "", version: int | None = None, **switches: bool) -> dict[str, Any]:
    data = {
        "frame-heading": section.heading,
        "frame-text": text,
        "frame-version": str(section.version if version is None else version),
    }
    data.update({f"frame-{name}": "on" for name, on in switches.items() if on})
    return data


def _formset(prefix: str, rows: list[dict[str, Any]], fields: tuple[str, ...]) -> dict[str, Any]:
    # Rows with an id come first, as the page renders them.
    initial = sum(1 for row in rows if row.get("id"))
    data: dict[str, Any] = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        form = f"{prefix}-{i}"
        data[f"{form}-ORDER"] = str(row.get("order", i + 1))
        data[f"{form}-id"] = str(row.get("id", ""))
        if row.get("delete"):
            data[f"{form}-DELETE"] = "on"
        data.update({f"{form}-{name}": row.get(name, "") for name in fields})
    return data


def measures_post(section: ReportSection, chapters: list[dict[str, Any]], **frame_args: Any) -> dict[str, Any]:
    """chapters: [{"heading", "points": [{"heading", "body" or "paragraphs", "indicators": [...]}]}], each row may
    carry "id", "order" and "delete" as the page would."""
    data = {**frame(section, **frame_args), **_formset("chapters", chapters, ("heading",))}
    for c, chapter in enumerate(chapters):
        points = [
            {**point, "body": point.get("body", "\n".join(point.get("paragraphs", [])))}
            for point in chapter.get("points", [])
        ]
        data.update(_formset(f"chapters-{c}-points", points, ("heading", "body")))
        for p, point in enumerate(points):
            data.update(
                _formset(f"chapters-{c}-points-{p}-indicators", point.get("indicators", []), ("name", "value", "unit"))
            )
    return data


def items_post(section: ReportSection, prefix: str, rows: list[dict[str, Any]], fields: tuple[str, ...], **frame_args):
    """A flat list (shortcomings: prefix "items"; plans: prefix "points")."""
    return {**frame(section, **frame_args), **_formset(prefix, rows, fields)}
