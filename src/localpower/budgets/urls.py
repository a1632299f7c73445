from django.urls import include, path

from localpower.budgets.views import ideas, processes, projects, results, voting

app_name = "budgets"

urlpatterns = [
    path("budgets/", processes.process_list, name="list"),
    path("budgets/receipt/", voting.receipt_check, name="receipt"),
    path("budgets/<slug:slug>/", processes.process_detail, name="detail"),
    path("budgets/<slug:slug>/ideas/", ideas.idea_list, name="ideas"),
    path("budgets/<slug:slug>/ideas/new/", ideas.idea_new, name="idea-new"),
    path("budgets/<slug:slug>/ideas/<int:idea_id>/", ideas.idea_detail, name="idea-detail"),
    path("budgets/<slug:slug>/ideas/<int:idea_id>/edit/", ideas.idea_edit, name="idea-edit"),
    path("budgets/<slug:slug>/ideas/<int:idea_id>/picture/", ideas.idea_picture, name="idea-picture"),
    path("budgets/<slug:slug>/ideas/<int:idea_id>/support/", ideas.idea_support, name="idea-support"),
    path("budgets/<slug:slug>/ideas/<int:idea_id>/comment/", ideas.idea_comment, name="idea-comment"),
    path("budgets/<slug:slug>/ideas/<int:idea_id>/report/", ideas.idea_report, name="idea-report"),
    path("budgets/<slug:slug>/vote/", voting.vote, name="vote"),
    path("budgets/<slug:slug>/vote/check/", voting.vote_check, name="vote-check"),
    path("budgets/<slug:slug>/vote/done/", voting.vote_done, name="vote-done"),
    path("budgets/<slug:slug>/results/", results.results, name="results"),
    path("budgets/<slug:slug>/results.pb", results.export_pb, name="export-pb"),
    path("budgets/<slug:slug>/results.csv", results.export_csv, name="export-csv"),
    path("budgets/<slug:slug>/projects.csv", results.export_projects_csv, name="export-projects-csv"),
    path("budgets/<slug:slug>/projects/<int:project_id>/", projects.project_detail, name="project-detail"),
    path("staff/budgets/", include("localpower.budgets.urls_staff")),
]
