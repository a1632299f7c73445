from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "localpower.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from localpower.notifications import receivers
        from localpower.notifications.panels import follow_panel
        from localpower.places.panels import register_area_panel

        receivers.connect()
        register_area_panel(follow_panel)
