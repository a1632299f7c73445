"""Staff pages for counting, publishing results and tracking the delivery of funded projects."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_tasks import default_task_backend
from django_tasks.exceptions import TaskException

from localpower.budgets import selectors, services, tasks
from localpower.budgets.forms.staff_results import DeliveryForm, MilestoneForm
from localpower.budgets.models import Delivery, Milestone, Process
from localpower.budgets.views.staff_base import add_service_error, process_staff_page, refusal


def _session_key(process: Process) -> str:
    return f"budgets-count-{process.pk}"


def _count_status(request, process: Process) -> dict | None:
    """The status of the last count this person asked for, refreshed from the task backend when it can."""
    saved = request.session.get(_session_key(process))
    if not saved:
        return None
    if default_task_backend.supports_get_result and saved["status"] in ("READY", "RUNNING"):
        try:
            result = tasks.compute_result_task.get_result(saved["id"])
        except (TaskException, ValueError):
            return saved
        saved = {
            "id": saved["id"],
            "status": str(result.status),
            "made": result.return_value if result.is_finished else None,
        }
        request.session[_session_key(process)] = saved
    return saved


@process_staff_page
@require_safe
def results(request, process: Process):
    versions = list(process.results.order_by("-version"))
    projects = {p.pk: p for p in process.projects.all()}
    for result in versions:
        result.funded = [projects[pk] for pk in result.selected_ids if pk in projects]
    return render(
        request,
        "budgets/staff/results.html",
        {
            "process": process,
            "versions": versions,
            "latest": versions[0] if versions else None,
            "turnout": selectors.turnout(process),
            "can_count": request.user.has_perm("budgets.compute_results", process),
            "can_publish": request.user.has_perm("budgets.publish_results", process),
            "count_status": _count_status(request, process),
        },
    )


@process_staff_page
@require_POST
def count_now(request, process: Process):
    try:
        handle = tasks.request_count(actor=request.user, process=process)
    except PermissionDenied as error:
        messages.error(request, refusal(error))
        return redirect("budgets:staff-results", slug=process.slug)
    finished = handle.is_finished
    request.session[_session_key(process)] = {
        "id": str(handle.id),
        "status": str(handle.status),
        "made": handle.return_value if finished and str(handle.status) == "SUCCESSFUL" else None,
    }
    if finished:
        messages.success(request, _("The count has finished."))
    else:
        messages.success(request, _("The count is queued. Refresh this page to see when it has finished."))
    return redirect("budgets:staff-results", slug=process.slug)


@process_staff_page
@require_POST
def publish(request, process: Process, version: int):
    result = get_object_or_404(process.results, version=version)
    try:
        services.publish_result(actor=request.user, result=result, request=request)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(
            request,
            _("Version %(version)d of the results is published. Residents can see it now.")
            % {"version": version},
        )
    return redirect("budgets:staff-results", slug=process.slug)


@process_staff_page
@require_safe
def delivery_list(request, process: Process):
    deliveries = list(selectors.deliveries(process))
    for delivery in deliveries:
        milestones = list(delivery.milestones.all())
        delivery.milestones_total = len(milestones)
        delivery.milestones_done = sum(1 for m in milestones if m.completed_on)
    return render(
        request,
        "budgets/staff/delivery_list.html",
        {
            "process": process,
            "deliveries": deliveries,
            "can_update": request.user.has_perm("budgets.update_delivery", process),
        },
    )


@process_staff_page
@require_http_methods(["GET", "POST"])
def delivery_project(request, process: Process, project_id: int):
    delivery = get_object_or_404(
        Delivery.objects.select_related("project").prefetch_related("milestones", "updates"),
        project__process=process,
        project_id=project_id,
    )
    project = delivery.project
    action = request.POST.get("action") if request.method == "POST" else None
    status_form = DeliveryForm(
        request.POST if action == "status" else None,
        prefix="status",
        initial={"status": delivery.status, "cancelled_reason": delivery.cancelled_reason},
    )
    milestone_form = MilestoneForm(request.POST if action == "milestone" else None, prefix="milestone")
    form = {"status": status_form, "milestone": milestone_form}.get(action or "")
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "status":
                services.update_delivery(actor=request.user, project=project, request=request, **data)
                done = _("The project's status is updated.")
            else:
                services.add_milestone(
                    actor=request.user,
                    project=project,
                    title=data["title"],
                    due_on=data["due_on"],
                    request=request,
                )
                done = _("Milestone added.")
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("budgets:staff-delivery-project", slug=process.slug, project_id=project.pk)
    return render(
        request,
        "budgets/staff/delivery_project.html",
        {
            "process": process,
            "delivery": delivery,
            "project": project,
            "status_form": status_form,
            "milestone_form": milestone_form,
            "can_update": request.user.has_perm("budgets.update_delivery", process),
        },
        status=400 if form is not None and form.errors else 200,
    )


@process_staff_page
@require_POST
def milestone_done(request, process: Process, project_id: int, milestone_id: int):
    milestone = get_object_or_404(
        Milestone, pk=milestone_id, delivery__project_id=project_id, delivery__project__process=process
    )
    try:
        services.complete_milestone(actor=request.user, milestone=milestone, request=request)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("“%(title)s” is marked as done.") % {"title": milestone.title})
    return redirect("budgets:staff-delivery-project", slug=process.slug, project_id=project_id)
