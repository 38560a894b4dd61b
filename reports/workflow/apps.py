from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "reports.workflow"
    label = "workflow"
    verbose_name = _("报送审核流程")
