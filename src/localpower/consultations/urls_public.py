"""urls_public of the consultations app (namespace "consultations")."""

from django.urls import path

from localpower.consultations.views import public, respond

urlpatterns = [
    path("consultations/", public.consultation_list, name="list"),
    path("consultations/<slug:slug>/", public.consultation_detail, name="detail"),
    path("consultations/<slug:slug>/documents/<int:document_id>/", public.document, name="document"),
    path("consultations/<slug:slug>/respond/", respond.respond, name="respond"),
    path("consultations/<slug:slug>/respond/check/", respond.check, name="respond-check"),
    path("consultations/<slug:slug>/respond/saved/", respond.saved, name="respond-saved"),
    path("consultations/<slug:slug>/respond/sent/", respond.done, name="respond-done"),
    path("consultations/<slug:slug>/respond/yours/", respond.yours, name="respond-yours"),
    path(
        "consultations/<slug:slug>/respond/<int:section_id>/", respond.respond_section, name="respond-section"
    ),
    path("consultations/<slug:slug>/resume/<str:token>/", respond.resume, name="resume"),
]
