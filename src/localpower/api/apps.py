from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "localpower.api"
    label = "api"
    verbose_name = "API"
