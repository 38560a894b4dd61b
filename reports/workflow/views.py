"""The buttons that move a report: each view finds the report, calls the action, says what happened.

Whether this person may make the move is the action's question (it asks the permission rules with the report
locked); a report the person may not see at all is not found.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.filing.access import report_or_404
from reports.filing.errors import FilingError
from reports.filing.forms import ReasonForm
from reports.filing.models import Report
from reports.review.forms import PublishForm
from reports.workflow import actions


def _act(request: HttpRequest, pk: int, action: Callable, done: str, *, back: str, **kwargs) -> HttpResponse:
    report = report_or_404(request.user, pk)
    try:
        action(report=report, by=request.user, **kwargs)
    except FilingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(back, pk=pk)


def _reason(request: HttpRequest) -> str:
    form = ReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


# The agency's side, from the report page.


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, actions.submit_report, _("报告已报送，等待审核。"), back="filing:report")


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


def _review(request: HttpRequest, pk: int, action: Callable, done: str, **kwargs) -> HttpResponse:
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
    return _review(request, pk, actions.approve_report, _("报告已审核通过。"))


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    form = PublishForm(request.POST)
    note = form.cleaned_data["change_note"] if form.is_valid() else ""
    return _review(request, pk, actions.publish_report, _("报告已公开发布，PDF 正在生成。"), change_note=note)


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
    """Approve or publish the reports ticked in the workspace, saying which were refused and why."""
    if not request.user.is_reviewer:
        raise Http404
    action, label = BULK_ACTIONS.get(request.POST.get("action"), (None, None))
    back = reverse("review:workspace_year", args=[year]) + "?" + request.POST.get("query", "")
    ids = [int(pk) for pk in request.POST.getlist("report") if pk.isdigit()]
    if action is None or not ids:
        messages.error(request, _("请先勾选报告，并选择要执行的操作。"))
        return redirect(back)
    done, refused = 0, []
    for report in Report.objects.filter(pk__in=ids, cycle__year=year).select_related("agency", "cycle"):
        try:
            action(report=report, by=request.user)
        except FilingError as error:
            refused.append(f"{report.agency.name}（{error}）")
        else:
            done += 1
    if done:
        messages.success(request, _("已%(label)s %(n)s 份报告。") % {"label": label, "n": done})
    if refused:
        messages.error(request, _("以下报告未能%(label)s：%(list)s") % {"label": label, "list": "；".join(refused)})
    return redirect(back)
