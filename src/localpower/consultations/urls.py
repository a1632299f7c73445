"""Consultations: public pages and responding (urls_public), staff pages for building them (urls_staff) and
results, exports and "You said, we did" (urls_results)."""

from django.urls import include, path

app_name = "consultations"

urlpatterns = [
    path("", include("localpower.consultations.urls_public")),
    path("", include("localpower.consultations.urls_results")),
    path("staff/consultations/", include("localpower.consultations.urls_staff")),
]
