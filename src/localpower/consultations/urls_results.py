"""urls_results of the consultations app (namespace "consultations"): results, downloads and "You said, we
did". Included at the site root, so the paths are written in full."""

from django.urls import path

from localpower.consultations.views import outcome, results, staff_results

STAFF = "staff/consultations/<slug:slug>/"

urlpatterns = [
    path("consultations/<slug:slug>/summary/", results.summary, name="summary"),
    path("consultations/<slug:slug>/summary.csv", results.summary_csv, name="summary-csv"),
    # At the root, beside /have-your-say/, so it cannot be taken for a consultation's address.
    path("you-said-we-did/", outcome.you_said_we_did, name="you-said-we-did"),
    path(STAFF + "results/", staff_results.summary, name="staff-results"),
    path(STAFF + "results/responses/", staff_results.responses, name="staff-responses"),
    path(
        STAFF + "results/responses/<str:reference>/",
        staff_results.response_detail,
        name="staff-response",
    ),
    path(STAFF + "results/answers/<int:answer_id>/tags/", staff_results.tag_add, name="staff-tag-add"),
    path(STAFF + "results/answers/tags/", staff_results.tag_bulk, name="staff-tag-bulk"),
    path(STAFF + "results/tags/", staff_results.tags, name="staff-tags"),
    path(
        STAFF + "results/answers/<int:answer_id>/tags/<int:tag_id>/remove/",
        staff_results.tag_remove,
        name="staff-tag-remove",
    ),
    path(
        STAFF + "results/answers/<int:answer_id>/file/", staff_results.answer_file, name="staff-answer-file"
    ),
    path(STAFF + "results/export.csv", staff_results.export_csv, name="staff-export-csv"),
    path(STAFF + "results/summary.csv", staff_results.summary_csv, name="staff-summary-csv"),
    path(STAFF + "results/export.xlsx", staff_results.export_xlsx, name="staff-export-xlsx"),
    path(STAFF + "you-said-we-did/", outcome.staff_outcome, name="staff-outcome"),
]
