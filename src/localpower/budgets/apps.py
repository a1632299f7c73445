from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "localpower.budgets"
    label = "budgets"
    verbose_name = _("Participatory budgets")

    def ready(self) -> None:
        from localpower.budgets import panels  # noqa: F401  (registers the area page panel)
