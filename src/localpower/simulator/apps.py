"""Budget simulators: residents balance a budget across services and say why; officers see the community budget."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimulatorConfig(AppConfig):
    name = "localpower.simulator"
    label = "simulator"
    verbose_name = _("Budget simulators")

    def ready(self) -> None:
        from localpower.simulator import hub, panels, rules  # noqa: F401  (register hub items, panel, rules)
