from django.urls import path

from localpower.simulator.views import public, staff

app_name = "simulator"

urlpatterns = [
    path("budget-simulators/", public.simulator_list, name="list"),
    path("budget-simulators/<slug:slug>/", public.simulator_detail, name="detail"),
    path("budget-simulators/<slug:slug>/sent/", public.simulator_done, name="done"),
    path("budget-simulators/<slug:slug>/results/", public.simulator_results, name="results"),
    path("budget-simulators/<slug:slug>/results.csv", public.simulator_results_csv, name="results-csv"),
    path("staff/simulators/", staff.staff_list, name="staff-list"),
    path("staff/simulators/new/", staff.staff_new, name="staff-new"),
    path("staff/simulators/<slug:slug>/", staff.staff_detail, name="staff-detail"),
    path("staff/simulators/<slug:slug>/edit/", staff.staff_edit, name="staff-edit"),
    path("staff/simulators/<slug:slug>/state/", staff.staff_state, name="staff-state"),
    path("staff/simulators/<slug:slug>/services/new/", staff.service_new, name="staff-service-new"),
    path("staff/simulators/<slug:slug>/services/<int:service_id>/", staff.service_edit, name="staff-service"),
    path(
        "staff/simulators/<slug:slug>/services/<int:service_id>/delete/",
        staff.service_delete,
        name="staff-service-delete",
    ),
    path("staff/simulators/<slug:slug>/results/", staff.staff_results, name="staff-results"),
    path("staff/simulators/<slug:slug>/comments/", staff.staff_comments, name="staff-comments"),
    path("staff/simulators/<slug:slug>/responses.csv", staff.staff_export, name="staff-export"),
    path("staff/simulators/<slug:slug>/results.csv", staff.staff_results_csv, name="staff-results-csv"),
]
