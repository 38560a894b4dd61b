"""What is still open on a report when someone is about to hand it in or make it public: the checks' findings,
the reviewers' unresolved comments, imported text not yet placed. The confirmation pages name each of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from reports.filing.checks import check_report
from reports.filing.models import Report
from reports.review.models import Comment


@dataclass(frozen=True)
class StillOpen:
    refusals: list[str]
    findings: list[tuple[str, str]]
    comments: list[Comment]
    unplaced: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.findings or self.comments or self.unplaced)

    @property
    def summary(self) -> str:
        """还有 3 条检查提示、1 条未处理的审核意见 — or that nothing is open."""
        parts = []
        if self.findings:
            parts.append(_("%(n)s 条检查提示") % {"n": len(self.findings)})
        if self.comments:
            parts.append(_("%(n)s 条未处理的审核意见") % {"n": len(self.comments)})
        if self.unplaced:
            parts.append(_("%(n)s 段导入后尚未归入的文字") % {"n": self.unplaced})
        if not parts:
            return _("没有未处理的检查提示和审核意见。")
        return _("还有%(parts)s。") % {"parts": "、".join(parts)}


def open_comments(report: Report) -> list[Comment]:
    return list(report.comments.filter(parent__isnull=True, resolved_at__isnull=True).order_by("created_at", "pk"))


def still_open(report: Report, snapshot: dict[str, Any] | None = None) -> StillOpen:
    """For the report as it stands (before handing it in), or as a snapshot froze it (before publishing it)."""
    check = check_report(report, snapshot)
    return StillOpen(check.refusals, check.findings, open_comments(report), report.unplaced_texts.count())
