from django import template

from reports.filing.models import Report
from reports.review.forms import ReplyForm
from reports.review.services import comment_threads

register = template.Library()


@register.inclusion_tag("review/section_comments.html", takes_context=True)
def section_comments(context, report: Report, section_key: str) -> dict:
    """The reviewers' comments on one section, shown beside its fields on the filer's edit page."""
    return {
        "threads": comment_threads(report, section_key),
        "report": report,
        "reply_form": ReplyForm(),
        "csrf_token": context.get("csrf_token"),
        "return_reason": report.return_reason if report.state == "returned" else "",
    }
