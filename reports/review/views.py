"""The reviewer's pages: the jurisdiction workspace, a report under review, comments and actions."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.filing.access import report_or_404
from reports.filing.document import compose_document
from reports.filing.errors import FilingError
from reports.filing.forms import ReasonForm
from reports.filing.models import Report, ReportingCycle
from reports.review import services
from reports.review.diff import diff_snapshots
from reports.review.filters import STATE_CHOICES, ProgressFilter
from reports.review.forms import CommentForm, PublishForm, ReplyForm
from reports.review.models import Comment
from reports.review.progress import agencies_in, progress_rows, state_counts

PAGE_SIZE = 100


def _reviewer(request: HttpRequest) -> None:
    if not request.user.is_reviewer:
        raise Http404


def _current_cycle(year: int | None) -> ReportingCycle:
    if year is not None:
        return get_object_or_404(ReportingCycle, year=year)
    cycle = ReportingCycle.objects.current_or_latest()
    if cycle is None:
        raise Http404
    return cycle


@login_required
def workspace(request: HttpRequest, year: int | None = None) -> HttpResponse:
    _reviewer(request)
    cycle = _current_cycle(year)
    agencies = agencies_in(request.user.agency).order_by("region__code", "kind", "name")
    progress_filter = ProgressFilter(request.GET, queryset=agencies, cycle=cycle)
    filtered = progress_filter.qs if progress_filter.is_valid() else agencies.none()
    if request.GET.get("format") == "csv":
        return _csv(cycle, progress_rows(filtered, cycle))
    page = Paginator(filtered, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = state_counts(agencies, cycle)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "review/workspace.html",
        {
            "cycle": cycle,
            "cycles": ReportingCycle.objects.all(),
            "filter": progress_filter,
            "page": page,
            "rows": progress_rows(page.object_list, cycle),
            "counts": [(key, label, counts.get(key, 0)) for key, label in STATE_CHOICES],
            "query": query.urlencode(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(cycle: ReportingCycle, rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    header = ["机关", "行政区划代码", "地区", "状态", "报送时间", "逾期天数", "逾期报送", "未处理意见"]

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            submitted = row.report.submitted_at if row.report else None
            yield writer.writerow(
                [
                    row.agency.name,
                    row.agency.region.code,
                    row.agency.region.name,
                    row.state_label,
                    timezone.localtime(submitted).strftime("%Y-%m-%d %H:%M") if submitted else "",
                    row.days_late,
                    "是" if row.submitted_late else "",
                    row.open_comments,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reports-{cycle.year}.csv"'
    return response


def _last_year_snapshot(report: Report) -> dict | None:
    previous = report.last_year()
    return previous.settled_snapshot() if previous else None


def _changed(old: dict, new: dict) -> list:
    return [section for section in diff_snapshots(old, new) if section.changed]


@login_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_or_404(request.user, pk, "filing.open_for_review")
    revisions = list(report.revisions.order_by("-number")[:2])
    latest = revisions[0] if revisions else None
    previous = revisions[1] if len(revisions) > 1 else None
    headings = services.section_headings(report)
    return render(
        request,
        "review/report_review.html",
        {
            "report": report,
            "latest": latest,
            "previous": previous,
            "doc": compose_document(latest.content, is_draft=True) if latest else None,
            "diff_previous": _changed(previous.content, latest.content) if previous else None,
            "diff_last_year": (
                _changed(last, latest.content) if latest and (last := _last_year_snapshot(report)) else None
            ),
            "threads": services.comment_threads(report),
            "comment_form": CommentForm(sections=headings),
            "reason_form": ReasonForm(),
            "publish_form": PublishForm(),
            "is_correction": report.publications.exists(),
            "publications": report.publications.all(),
            "events": report.events.all(),
        },
    )


@login_required
@require_POST
def add_comment(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_or_404(request.user, pk, "filing.open_for_review")
    form = CommentForm(request.POST, sections=services.section_headings(report))
    if not form.is_valid():
        messages.error(request, _("意见未保存：请选择针对的部分并填写意见内容。"))
        return redirect("review:report", pk=pk)
    try:
        services.add_comment(report=report, by=request.user, **form.cleaned_data)
    except FilingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("意见已添加。"))
    return redirect(reverse("review:report", args=[pk]) + "#comments")


def _comment(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("report__agency"), pk=pk, parent__isnull=True)
    if not request.user.has_perm("filing.comment_report", comment.report):
        raise Http404
    return comment


def _back(request: HttpRequest, comment: Comment) -> HttpResponse:
    if request.user.is_reviewer:
        return redirect(reverse("review:report", args=[comment.report_id]) + "#comments")
    return redirect(reverse("filing:section", args=[comment.report_id, comment.section_key]) + "#comments")


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        services.reply_to_comment(comment=comment, by=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("回复已保存。"))
    else:
        messages.error(request, _("回复内容不能为空。"))
    return _back(request, comment)


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    services.resolve_comment(comment=comment, by=request.user)
    messages.success(request, _("已将这条意见标为已处理。"))
    return _back(request, comment)
