"""Who hears about a report: its agency's filers and signatories, and the reviewers whose jurisdiction holds it."""

from django.db.models import Q, QuerySet

from reports.agencies.models import Agency, AgencyKind, Role, User


def filers_of(agency: Agency) -> QuerySet[User]:
    return User.objects.filter(agency=agency, role=Role.FILER, is_active=True)


def signatories_of(agency: Agency) -> QuerySet[User]:
    return User.objects.filter(agency=agency, role=Role.SIGNATORY, is_active=True)


def reviewers_of(agency: Agency) -> QuerySet[User]:
    """Mirror of AgencyQuerySet.reviewed_by, seen from the reviewed agency."""
    reviewing_regions = Q(agency__region_id=agency.region_id)
    if agency.kind == AgencyKind.GOVERNMENT and agency.region.parent_id:
        reviewing_regions |= Q(agency__region_id=agency.region.parent_id)
    return User.objects.filter(reviewing_regions, role=Role.REVIEWER, is_active=True, agency__kind=AgencyKind.JUSTICE)
