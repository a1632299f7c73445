from django.urls import path

from localpower.conversations.views import public, staff

app_name = "conversations"

urlpatterns = [
    path("conversations/", public.conversation_list, name="list"),
    path("conversations/<slug:slug>/", public.conversation_detail, name="detail"),
    path("conversations/<slug:slug>/vote/", public.vote, name="vote"),
    path("conversations/<slug:slug>/statements/new/", public.statement_new, name="statement-new"),
    path("conversations/<slug:slug>/statements/<int:number>/report/", public.statement_report, name="report"),
    path("conversations/<slug:slug>/about-you/", public.about_you, name="about-you"),
    path("conversations/<slug:slug>/results/", public.results, name="results"),
    path("conversations/<slug:slug>/open-data/<str:name>", public.open_data, name="open-data"),
]

urlpatterns += [
    path("staff/conversations/", staff.conversation_list, name="staff-list"),
    path("staff/conversations/new/", staff.conversation_new, name="staff-new"),
    path("staff/conversations/<slug:slug>/", staff.overview, name="staff-overview"),
    path("staff/conversations/<slug:slug>/edit/", staff.edit, name="staff-edit"),
    path("staff/conversations/<slug:slug>/state/", staff.change_state, name="staff-state"),
    path("staff/conversations/<slug:slug>/statements/", staff.statements, name="staff-statements"),
    path("staff/conversations/<slug:slug>/moderation/", staff.moderation, name="staff-moderation"),
    path(
        "staff/conversations/<slug:slug>/moderation/<int:number>/",
        staff.moderate_statement,
        name="staff-moderate",
    ),
    path("staff/conversations/<slug:slug>/analysis/", staff.analysis_page, name="staff-analysis"),
]
