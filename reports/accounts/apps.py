from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "reports.accounts"
    label = "accounts"
    verbose_name = _("账号与登录")

    def ready(self) -> None:
        from reports.accounts import receivers  # noqa: F401  (the idle clock starts at login)
