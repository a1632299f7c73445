from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "localpower.budgets"
    label = "budgets"
    verbose_name = _("Participatory budgets")

    def ready(self) -> None:
        from localpower.budgets import hub, panels  # noqa: F401  (register the area page panel and hub items)
