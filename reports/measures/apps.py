from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "reports.measures"
    label = "measures"
    verbose_name = _("主要举措和成效")

    def ready(self) -> None:
        from reports.filing.sections import SectionType, register
        from reports.measures import section

        register(
            SectionType(
                key="measures",
                default_heading=str(_("推进法治政府建设的主要举措和成效")),
                position=10,
                serialize=section.serialize,
                load=section.load,
                print_blocks=section.print_blocks,
                has_content=section.has_content,
                editor=section.MeasuresEditor,
                prefetch=section.PREFETCH,
                has_data=section.has_data,
                check=section.check,
                carry_over=section.carry_over,
            )
        )
