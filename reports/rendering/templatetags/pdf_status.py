from django import template

from reports.filing.models import Report
from reports.rendering.services import may_retry, rendition_for

register = template.Library()


@register.inclusion_tag("rendering/pdf_status.html", takes_context=True)
def pdf_status(context, report: Report) -> dict:
    """Staff's line about the published version's PDF: being made, ready, or failed (or stuck) with a retry
    button."""
    rendition = rendition_for(report.published_revision) if report.published_revision else None
    return {
        "report": report,
        "rendition": rendition,
        "stuck": rendition is not None and rendition.is_stuck(),
        "may_retry": rendition is not None and may_retry(rendition),
        "csrf_token": context.get("csrf_token"),
    }
