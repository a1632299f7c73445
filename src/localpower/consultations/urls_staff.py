"""urls_staff of the consultations app (namespace "consultations"), mounted at /staff/consultations/."""

from django.urls import path

from localpower.consultations.views import staff, staff_survey

urlpatterns = [
    path("", staff.consultation_list, name="staff-list"),
    path("new/", staff.consultation_new, name="staff-new"),
    path("<slug:slug>/", staff.consultation_overview, name="staff-overview"),
    path("<slug:slug>/edit/", staff.consultation_edit, name="staff-edit"),
    path("<slug:slug>/publish/", staff.consultation_publish, name="staff-publish"),
    path("<slug:slug>/withdraw/", staff.consultation_withdraw, name="staff-withdraw"),
    path("<slug:slug>/documents/new/", staff.document_add, name="staff-document-add"),
    path(
        "<slug:slug>/documents/<int:document_id>/delete/", staff.document_delete, name="staff-document-delete"
    ),
    path("<slug:slug>/sections/new/", staff_survey.section_add, name="staff-section-add"),
    path("<slug:slug>/sections/<int:section_id>/", staff_survey.section_edit, name="staff-section-edit"),
    path(
        "<slug:slug>/sections/<int:section_id>/delete/",
        staff_survey.section_delete,
        name="staff-section-delete",
    ),
    path("<slug:slug>/sections/<int:section_id>/move/", staff_survey.section_move, name="staff-section-move"),
    path(
        "<slug:slug>/sections/<int:section_id>/questions/new/",
        staff_survey.question_add,
        name="staff-question-add",
    ),
    path("<slug:slug>/questions/<int:question_id>/", staff_survey.question_edit, name="staff-question-edit"),
    path(
        "<slug:slug>/questions/<int:question_id>/delete/",
        staff_survey.question_delete,
        name="staff-question-delete",
    ),
    path(
        "<slug:slug>/questions/<int:question_id>/move/",
        staff_survey.question_move,
        name="staff-question-move",
    ),
    path("<slug:slug>/preview/", staff_survey.preview, name="staff-preview"),
    path("<slug:slug>/preview/<int:section_id>/", staff_survey.preview, name="staff-preview-section"),
]
