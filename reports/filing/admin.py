from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from reports.filing.models import CycleSection, Report, ReportingCycle
from reports.filing.services import apply_cycle_sections


class CycleSectionInline(admin.TabularInline):
    model = CycleSection
    extra = 0
    fields = ["region", "position", "key", "heading", "required"]
    verbose_name_plural = _("报告部分（留空省份为全国设置；某省一旦有自己的设置，该省机关只使用本省的全部设置）")


@admin.register(ReportingCycle)
class ReportingCycleAdmin(admin.ModelAdmin):
    list_display = ["year", "due_date", "publication_deadline", "requires_sign_off"]
    inlines = [CycleSectionInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        apply_cycle_sections(cycle=form.instance)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["agency", "cycle", "state", "submitted_at", "published_at"]
    list_filter = ["state", "cycle"]
    search_fields = ["agency__name", "title"]
    readonly_fields = ["state"]
    fields = ["agency", "cycle", "state", "title"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Reports change through the portal's own pages, which keep the workflow and its audit trail.
        return False
