from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "reports.plans"
    label = "plans"
    verbose_name = _("下一年度主要安排")

    def ready(self) -> None:
        from reports.filing.sections import SectionType, register
        from reports.plans import section

        register(
            SectionType(
                key="plans",
                default_heading=str(_("下一年度推进法治政府建设的主要安排")),
                position=50,
                serialize=section.serialize,
                load=section.load,
                print_blocks=section.print_blocks,
                has_content=section.has_content,
                editor=section.PlansEditor,
                prefetch=section.PREFETCH,
                check=section.check,
                promises=section.promises,
            )
        )
