from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulingsConfig(AppConfig):
    name = "reports.rulings"
    label = "rulings"
    verbose_name = _("履行法院生效裁判情况")

    def ready(self) -> None:
        from reports.filing.sections import SectionType, register
        from reports.rulings import section

        register(
            SectionType(
                key="rulings",
                default_heading=str(_("履行法院生效裁判情况")),
                position=40,
                serialize=section.serialize,
                load=section.load,
                print_blocks=section.print_blocks,
                has_content=section.has_content,
                editor=section.RulingsEditor,
                prefetch=section.PREFETCH,
                has_data=section.has_data,
                check=section.check,
            )
        )
