import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.agencies.models import Agency, AgencyKind, Level, Region
from reports.filing.models import HANDED_IN_STATES, ReportState
from reports.review.progress import NOT_STARTED

STATE_CHOICES = [(NOT_STARTED, _("未开始")), *ReportState.choices]


class ProgressFilter(django_filters.FilterSet):
    """Filters of the reviewer workspace; they live in the URL so a view can be bookmarked and shared."""

    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=STATE_CHOICES, method="filter_state", empty_label=_("全部")
    )
    level = django_filters.ChoiceFilter(
        label=_("层级"), field_name="region__level", choices=Level.choices, empty_label=_("全部")
    )
    kind = django_filters.ChoiceFilter(
        label=_("类别"), field_name="kind", choices=AgencyKind.choices, empty_label=_("全部")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("地区"), queryset=Region.objects.none(), method="filter_region", empty_label=_("全部")
    )
    late = django_filters.ChoiceFilter(
        label=_("期限"), choices=[("yes", _("只看逾期未报送"))], method="filter_late", empty_label=_("全部")
    )

    class Meta:
        model = Agency
        fields: list[str] = []

    def __init__(self, *args, cycle, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        region_ids = self.queryset.values("region_id")
        self.filters["region"].queryset = Region.objects.filter(pk__in=region_ids).order_by("code")

    def filter_state(self, queryset, name, value):
        if value == NOT_STARTED:
            return queryset.exclude(reports__cycle=self.cycle)
        return queryset.filter(reports__cycle=self.cycle, reports__state=value)

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(region=value) | Q(region__parent=value))

    def filter_late(self, queryset, name, value):
        if not value:
            return queryset
        if self.cycle.due_date >= timezone.localdate():
            return queryset.none()
        return queryset.exclude(reports__cycle=self.cycle, reports__state__in=HANDED_IN_STATES)
