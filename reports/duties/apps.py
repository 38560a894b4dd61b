from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "reports.duties"
    label = "duties"
    verbose_name = _("党政主要负责人履行推进法治建设第一责任人职责情况")

    def ready(self) -> None:
        from reports.duties import section
        from reports.filing.sections import SectionType, register

        register(
            SectionType(
                key="duties",
                default_heading=str(_("党政主要负责人履行推进法治建设第一责任人职责情况")),
                position=30,
                serialize=section.serialize,
                load=section.load,
                print_blocks=section.print_blocks,
                has_content=section.has_content,
                editor=section.DutiesEditor,
                prefetch=section.PREFETCH,
                has_data=section.has_data,
                check=section.check,
            )
        )
