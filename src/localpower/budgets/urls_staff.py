"""Staff pages for budgets, mounted at /staff/budgets/ in the "budgets" namespace."""

from django.urls import path

from localpower.budgets.views import staff, staff_paper, staff_review

urlpatterns = [
    path("", staff.process_list, name="staff-process-list"),
    path("new/", staff.process_new, name="staff-process-new"),
    path("<slug:slug>/", staff.process_overview, name="staff-process"),
    path("<slug:slug>/edit/", staff.process_edit, name="staff-process-edit"),
    path("<slug:slug>/state/", staff.process_state, name="staff-process-state"),
    path("<slug:slug>/categories/", staff.category_add, name="staff-category-add"),
]

urlpatterns += [
    path("<slug:slug>/review/", staff_review.review_queue, name="staff-review"),
    path("<slug:slug>/review/<int:idea_id>/", staff_review.review_idea, name="staff-review-idea"),
    path("<slug:slug>/projects/", staff_review.project_list, name="staff-projects"),
    path("<slug:slug>/projects/<int:project_id>/", staff_review.project_edit, name="staff-project-edit"),
]

urlpatterns += [path("<slug:slug>/paper/", staff_paper.paper_ballots, name="staff-paper")]
