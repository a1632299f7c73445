from django.contrib import admin
from django.urls import include, path, re_path

from localpower.api.urls import api, outside_versions

urlpatterns = [
    path("", include("localpower.core.urls")),
    path("", include("localpower.places.urls")),
    path("", include("localpower.accounts.urls")),
    path("", include("localpower.budgets.urls")),
    path("", include("localpower.notifications.urls")),
    path("", include("localpower.consultations.urls")),
    path("", include("localpower.simulator.urls")),
    path("", include("localpower.conversations.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api(?:/|$)", outside_versions),
    path("django-admin/", admin.site.urls),
]

handler403 = "localpower.core.views.permission_denied"
handler404 = "localpower.core.views.page_not_found"
handler500 = "localpower.core.views.server_error"
