from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShortcomingsConfig(AppConfig):
    name = "reports.shortcomings"
    label = "shortcomings"
    verbose_name = _("存在的不足和原因")

    def ready(self) -> None:
        from reports.filing.sections import SectionType, register
        from reports.shortcomings import section

        register(
            SectionType(
                key="shortcomings",
                default_heading=str(_("推进法治政府建设存在的不足和原因")),
                position=20,
                serialize=section.serialize,
                load=section.load,
                print_blocks=section.print_blocks,
                has_content=section.has_content,
                editor=section.ShortcomingsEditor,
                prefetch=section.PREFETCH,
                check=section.check,
            )
        )
