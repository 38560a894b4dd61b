from django import template

from reports.filing.models import Report
from reports.rendering.services import rendition_for

register = template.Library()


@register.inclusion_tag("rendering/pdf_status.html", takes_context=True)
def pdf_status(context, report: Report) -> dict:
    """Staff's line about the published version's PDF: being made, ready, or failed with a retry button."""
    rendition = rendition_for(report.published_revision) if report.published_revision else None
    return {"report": report, "rendition": rendition, "csrf_token": context.get("csrf_token")}
