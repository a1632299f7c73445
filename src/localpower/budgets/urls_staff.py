"""Staff pages for budgets, mounted at /staff/budgets/ in the "budgets" namespace."""

from django.urls import path

from localpower.budgets.views import staff, staff_moderation, staff_paper, staff_results, staff_review

urlpatterns = [
    path("", staff.process_list, name="staff-process-list"),
    path("new/", staff.process_new, name="staff-process-new"),
    # Before "<slug:slug>/", so these words are never taken as a budget's web address name.
    path("moderation/", staff_moderation.queue, name="staff-moderation"),
    path("moderation/ideas/<int:idea_id>/", staff_moderation.moderate_idea, name="staff-moderation-idea"),
    path(
        "moderation/comments/<int:comment_id>/",
        staff_moderation.moderate_comment,
        name="staff-moderation-comment",
    ),
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

urlpatterns += [
    path("<slug:slug>/paper/", staff_paper.paper_ballots, name="staff-paper"),
    path("<slug:slug>/paper/voters/", staff_paper.paper_voter, name="staff-paper-voter"),
]

urlpatterns += [
    path("<slug:slug>/results/", staff_results.results, name="staff-results"),
    path("<slug:slug>/results/count/", staff_results.count_now, name="staff-results-count"),
    path("<slug:slug>/results/<int:version>/publish/", staff_results.publish, name="staff-results-publish"),
    path("<slug:slug>/delivery/", staff_results.delivery_list, name="staff-delivery"),
    path(
        "<slug:slug>/delivery/<int:project_id>/",
        staff_results.delivery_project,
        name="staff-delivery-project",
    ),
    path(
        "<slug:slug>/delivery/<int:project_id>/milestones/<int:milestone_id>/done/",
        staff_results.milestone_done,
        name="staff-milestone-done",
    ),
]
