from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "localpower.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from localpower.consultations import hub, panels  # noqa: F401  (register the area panel and hub items)
