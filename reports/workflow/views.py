"""The buttons that move a report: each view finds the report, calls the action, says what happened.

Whether this person may make the move is the action's question (it asks the permission rules with the report
locked); a report the person may not see at all is not found.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.filing.access import report_or_404, reports_visible_to
from reports.filing.errors import FilingError
from reports.filing.forms import ConfirmForm, ReasonForm
from reports.filing.models import Report, ReportState
from reports.review.forms import PublishForm
from reports.review.open_items import still_open
from reports.workflow import actions


def _act(request: HttpRequest, pk: int, action: Callable, done: str | Callable, *, back: str, **kwargs) -> HttpResponse:
    """`done` is the message of success, or a function of the report the action returned that gives it."""
    report = report_or_404(request.user, pk)
    try:
        result = action(report=report, by=request.user, **kwargs)
    except FilingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect(back, pk=pk)


def _reason(request: HttpRequest) -> str:
    form = ReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


# The agency's side, from the report page.


def _confirm_page(request: HttpRequest, report: Report, **context) -> HttpResponse:
    return render(request, "workflow/confirm.html", {"report": report, **context})


@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand the report in, once the filer has read what is still open and ticked the box (a page that asks)."""
    report = report_or_404(request.user, pk)
    if not request.user.has_perm("filing.submit_report", report):
        messages.error(request, _("报告当前状态为“%(state)s”，不能报送。") % {"state": report.get_state_display()})
        return redirect("filing:report", pk=pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return _act(request, pk, actions.submit_report, _("报告已报送，等待审核。"), back="filing:report")
    sign_off = report.terms.requires_sign_off
    return _confirm_page(
        request,
        report,
        form=form,
        open=still_open(report),
        verb=_("提请签发") if sign_off else _("报送审核"),
        action=reverse("workflow:submit", args=[pk]),
        back=reverse("filing:report", args=[pk]),
    )


@login_required
@require_POST
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, actions.sign_off_report, _("已签发，报告已报送审核。"), back="filing:report")


@login_required
@require_POST
def decline_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, actions.decline_sign_off, _("已退回填报人修改。"), back="filing:report", reason=_reason(request)
    )


@login_required
@require_POST
def start_correction(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        actions.start_correction,
        _("已发起更正：修改后须重新报送审核；公众在此期间仍看到原公开版本。"),
        back="filing:report",
    )


# The reviewer's side, from the review page.


def _review(request: HttpRequest, pk: int, action: Callable, done: str | Callable, **kwargs) -> HttpResponse:
    if not request.user.is_reviewer:
        raise Http404
    return _act(request, pk, action, done, back="review:report", **kwargs)


@login_required
@require_POST
def start_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, actions.start_review, _("您已开始审核这份报告。"))


@login_required
@require_POST
def return_for_revision(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(
        request, pk, actions.return_report, _("报告已退回修改，填报人会收到理由和意见。"), reason=_reason(request)
    )


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, actions.approve_report, _approved)


def _approved(report) -> str:
    if report.state == ReportState.APPROVED:
        return _("报告已审核通过。")
    return _("已记录您的初审通过。本部门自己的报告须由本部门另一名审核人复核后，才算审核通过。")


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish, once the reviewer has ticked the box beside what is still open; without it, a page that asks
    (keeping the change note)."""
    if not request.user.is_reviewer:
        raise Http404
    form = PublishForm(request.POST)
    note = form.cleaned_data["change_note"] if form.is_valid() else ""
    if ConfirmForm(request.POST).is_valid():
        return _review(request, pk, actions.publish_report, _("报告已公开发布，PDF 正在生成。"), change_note=note)
    report = report_or_404(request.user, pk)
    latest = report.latest_revision()
    return _confirm_page(
        request,
        report,
        form=ConfirmForm(request.POST),
        publish_form=form if report.publications.exists() else None,
        open=still_open(report, latest.content if latest else None),
        verb=_("公开发布"),
        action=reverse("workflow:publish", args=[pk]),
        back=reverse("review:report", args=[pk]),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(
        request, pk, actions.withdraw_report, _("报告已撤回，公开页面将显示撤回说明。"), reason=_reason(request)
    )


BULK_ACTIONS: dict[str, tuple[Callable, str]] = {
    "approve": (actions.approve_report, _("审核通过")),
    "publish": (actions.publish_report, _("公开发布")),
}


@login_required
@require_POST
def bulk_action(request: HttpRequest, year: int) -> HttpResponse:
    """Approve or publish the reports ticked in the workspace, saying which were refused and why. A report the
    reviewer may not see does not exist for them here either: it is counted as not found, never named."""
    if not request.user.is_reviewer:
        raise Http404
    action, label = BULK_ACTIONS.get(request.POST.get("action"), (None, None))
    back = reverse("review:workspace_year", args=[year]) + "?" + request.POST.get("query", "")
    ids = {int(pk) for pk in request.POST.getlist("report") if pk.isdigit()}
    if action is None or not ids:
        messages.error(request, _("请先勾选报告，并选择要执行的操作。"))
        return redirect(back)
    done, first, refused = 0, 0, []
    reports = reports_visible_to(request.user).filter(pk__in=ids, cycle__year=year)
    found = [report for report in reports if request.user.has_perm("filing.view_report", report)]
    for report in found:
        try:
            result = action(report=report, by=request.user)
        except FilingError as error:
            refused.append(f"{report.agency.name}（{error}）")
            continue
        if result.state in (ReportState.APPROVED, ReportState.PUBLISHED):
            done += 1
        else:
            first += 1
    if done:
        messages.success(request, _("已%(label)s %(n)s 份报告。") % {"label": label, "n": done})
    if first:
        messages.info(request, _("已初审通过 %(n)s 份本部门的报告，须由本部门另一名审核人复核。") % {"n": first})
    if refused:
        messages.error(request, _("以下报告未能%(label)s：%(list)s") % {"label": label, "list": "；".join(refused)})
    if missing := len(ids) - len(found):
        messages.error(request, _("有 %(n)s 份所选报告未找到，可能已不在您的审核范围内。") % {"n": missing})
    return redirect(back)
