"""The compliance board's long parts, each written in one pass: its agencies (50 a page), the divisions under the
region and the region options. In the template language every variable of every row is resolved through several
lookups, and over a board page that cost several times its two queries (`compliance`); here a row is one string
format with its values escaped. The markup is the one the template wrote."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reports.agencies.models import Region
from reports.publication.compliance import RegionCounts
from reports.publication.forms import LATE, ON_TIME
from reports.publication.models import ComplianceStanding

register = template.Library()

AGENCY_ROW = (
    '<tr>\n      <th scope="row">{name}</th>\n      <td class="text-nowrap">{region}</td>\n'
    '      <td class="text-nowrap">{status}</td>\n      <td class="text-nowrap">{day}</td>\n    </tr>'
)
BADGE = '<span class="badge text-bg-{colour}">{label}</span>'
PLACEHOLDER = "agency-code"


@register.simple_tag
def agency_rows(rows: Iterable[ComplianceStanding], year: int, due: bool) -> SafeString:
    """The board's agencies: the name linked to the report when public, the status, the day first made public."""
    before, after = reverse("publication:report", args=[year, PLACEHOLDER]).split(PLACEHOLDER)
    badges = {
        ON_TIME: BADGE.format(colour="success", label=_("按时公开")),
        LATE: BADGE.format(colour="warning", label=_("逾期公开")),
        "withdrawn": BADGE.format(colour="secondary", label=_("已撤回")),
        "missing": BADGE.format(colour="danger", label=_("未公开") if due else _("尚未公开")),
    }
    date_format = _("%(year)s年%(month)s月%(day)s日")
    written = []
    for row in rows:
        name = escape(row.name)
        if row.first_published_at:
            day = timezone.localtime(row.first_published_at)
            written.append(
                AGENCY_ROW.format(
                    name=f'<a href="{before}{escape(row.code)}{after}">{name}</a>',
                    region=escape(row.region_name),
                    status=badges[ON_TIME if row.on_time else LATE],
                    day=date_format % {"year": day.year, "month": day.month, "day": day.day},
                )
            )
        else:
            status = badges["withdrawn" if row.withdrawn else "missing"]
            written.append(AGENCY_ROW.format(name=name, region=escape(row.region_name), status=status, day="—"))
    return mark_safe("".join(written))


@register.simple_tag(takes_context=True)
def division_rows(context, rows: list[RegionCounts], region: Region | None) -> SafeString:
    """The counts of the region's own agencies and of each division under it, each division linked to its board."""
    params: QueryDict = context.request.GET.copy()
    params.pop("page", None)
    written = []
    for row in rows:
        if region is not None and row.region.pk == region.pk:
            heading = escape(_("%(region)s本级") % {"region": row.region.name})
        else:
            params["region"] = row.region.code
            heading = f'<a href="?{escape(params.urlencode())}">{escape(row.region.name)}</a>'
        counts = row.counts
        written.append(
            f'<tr>\n      <th scope="row">{heading}</th>\n      <td>{counts.total}</td><td>{counts.on_time}</td>'
            f"<td>{counts.late}</td><td>{counts.missing}</td>\n    </tr>"
        )
    return mark_safe("".join(written))


@register.simple_tag
def region_options(regions: list[Region], selected: Region | None) -> SafeString:
    chosen = getattr(selected, "pk", None)
    return mark_safe(
        "".join(
            f'<option value="{escape(option.code)}"{" selected" if option.pk == chosen else ""}>'
            f"{escape(option.label)}</option>"
            for option in regions
        )
    )
