"""Reviewer comments: written by reviewers, answered and resolved by the agency's filers."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.agencies.models import User
from reports.filing.errors import FilingError
from reports.filing.models import Report
from reports.filing.snapshot import ordered_sections
from reports.review.models import Comment


def section_headings(report: Report) -> dict[str, str]:
    return {section.key: section.heading for section in ordered_sections(report)}


@transaction.atomic
def add_comment(*, report: Report, by: User, section_key: str, body: str, point_label: str = "") -> Comment:
    headings = section_headings(report)
    if section_key not in headings:
        raise FilingError(_("请选择意见针对的部分。"))
    if not body.strip():
        raise FilingError(_("意见内容不能为空。"))
    latest = report.revisions.order_by("-number").values_list("number", flat=True).first()
    return Comment.objects.create(
        report=report,
        section_key=section_key,
        section_heading=headings[section_key],
        point_label=point_label.strip(),
        author=by,
        author_name=str(by),
        body=body.strip(),
        revision_number=latest,
    )


@transaction.atomic
def reply_to_comment(*, comment: Comment, by: User, body: str) -> Comment:
    if not body.strip():
        raise FilingError(_("回复内容不能为空。"))
    return Comment.objects.create(
        report=comment.report,
        section_key=comment.section_key,
        section_heading=comment.section_heading,
        point_label=comment.point_label,
        parent=comment,
        author=by,
        author_name=str(by),
        body=body.strip(),
        revision_number=comment.revision_number,
    )


@transaction.atomic
def resolve_comment(*, comment: Comment, by: User) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.resolved_at is None:
        comment.resolved_at = timezone.now()
        comment.resolved_by_name = str(by)
        comment.save(update_fields=["resolved_at", "resolved_by_name"])
    return comment


def comment_threads(report: Report, section_key: str | None = None) -> list[Comment]:
    """Top-level comments with their replies prefetched, oldest first."""
    comments = report.comments.filter(parent__isnull=True).prefetch_related("replies")
    if section_key:
        comments = comments.filter(section_key=section_key)
    return list(comments)
