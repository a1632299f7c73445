"""Staff pages for the council's review: the ideas queue, one idea's review, and the ballot projects."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from localpower.budgets import selectors, services
from localpower.budgets.forms.staff_review import AssessForm, IdeaProjectForm, MergeForm, ProjectForm
from localpower.budgets.models import IdeaStatus, Process
from localpower.budgets.views.staff_base import add_service_error, process_staff_page

QUEUE_PAGE_SIZE = 50
OPEN_STATUSES = (IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW, IdeaStatus.FEASIBLE)


@process_staff_page
@require_safe
def review_queue(request, process: Process):
    status = request.GET.get("status", "")
    ideas = selectors.visible_ideas(process).order_by("status", "-support_count", "created_at")
    if status in IdeaStatus.values:
        ideas = ideas.filter(status=status)
    else:
        status = ""
    page = Paginator(ideas, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "budgets/staff/review_queue.html",
        {
            "process": process,
            "ideas": page.object_list,
            "page": page,
            "query": urlencode({"status": status}) if status else "",
            "status": status,
            "statuses": IdeaStatus.choices,
            "can_review": request.user.has_perm("budgets.review_ideas", process),
        },
    )


def _idea_forms(request, process: Process, idea, action: str | None):
    data = request.POST if request.method == "POST" else None
    candidates = process.ideas.exclude(pk=idea.pk).exclude(status=IdeaStatus.MERGED).order_by("title")
    others = process.ideas.exclude(pk=idea.pk).filter(status__in=OPEN_STATUSES).order_by("title")
    return {
        "assess_form": AssessForm(
            data if action == "assess" else None,
            prefix="assess",
            initial={
                "status": idea.status if idea.status in OPEN_STATUSES[1:] else IdeaStatus.UNDER_REVIEW,
                "public_reason": idea.public_reason,
                "estimated_cost": idea.estimated_cost,
            },
        ),
        "merge_form": MergeForm(data if action == "merge" else None, prefix="merge", candidates=candidates),
        "project_form": IdeaProjectForm(
            data if action == "project" else None,
            prefix="project",
            process=process,
            others=others,
            initial={
                "title": idea.title,
                "description": idea.description,
                "cost": idea.estimated_cost,
                "category": idea.category_id,
                "location_text": idea.location_text,
            },
        ),
    }


@process_staff_page
@require_http_methods(["GET", "POST"])
def review_idea(request, process: Process, idea_id: int):
    idea = get_object_or_404(process.ideas.select_related("author", "category", "project"), pk=idea_id)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = _idea_forms(request, process, idea, action)
    form = {
        "assess": forms["assess_form"],
        "merge": forms["merge_form"],
        "project": forms["project_form"],
    }.get(action or "")
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "assess":
                services.assess_idea(
                    actor=request.user,
                    idea=idea,
                    status=data["status"],
                    public_reason=data["public_reason"],
                    estimated_cost=data["estimated_cost"],
                    request=request,
                )
                done = _("Your decision on “%(title)s” is saved; its author will be told.")
            elif action == "merge":
                services.merge_ideas(
                    actor=request.user,
                    duplicate=idea,
                    into=data["into"],
                    public_reason=data["public_reason"],
                    request=request,
                )
                done = _("“%(title)s” is merged; its supporters now count for the idea it was merged into.")
            else:
                project = services.create_project(
                    actor=request.user,
                    process=process,
                    title=data["title"],
                    cost=data["cost"],
                    ideas=[idea, *data.get("also", [])],
                    description=data["description"],
                    category=data.get("category"),
                    location_text=data["location_text"],
                    feasibility_reason=data["feasibility_reason"],
                    request=request,
                )
                messages.success(request, _("“%(title)s” is on the ballot.") % {"title": project.title})
                return redirect("budgets:staff-projects", slug=process.slug)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, done % {"title": idea.title})
            return redirect("budgets:staff-review", slug=process.slug)
    return render(
        request,
        "budgets/staff/review_idea.html",
        {
            "process": process,
            "idea": idea,
            "supports": idea.supports.count(),
            "can_review": request.user.has_perm("budgets.review_ideas", process),
            "can_make_projects": request.user.has_perm("budgets.manage_projects", process),
            **forms,
        },
        status=400 if form is not None and form.errors else 200,
    )


@process_staff_page
@require_http_methods(["GET", "POST"])
def project_list(request, process: Process):
    form = ProjectForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(
                actor=request.user, process=process, request=request, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” is on the ballot.") % {"title": project.title})
            return redirect("budgets:staff-projects", slug=process.slug)
    projects = process.projects.select_related("category").prefetch_related("ideas").order_by("title")
    return render(
        request,
        "budgets/staff/projects.html",
        {
            "process": process,
            "projects": projects,
            "total": projects.aggregate(total=Sum("cost"))["total"] or 0,
            "form": form,
            "can_change": request.user.has_perm("budgets.manage_projects", process),
        },
        status=400 if form.errors else 200,
    )


@process_staff_page
@require_http_methods(["GET", "POST"])
def project_edit(request, process: Process, project_id: int):
    project = get_object_or_404(process.projects, pk=project_id)
    initial = {
        f: getattr(project, f)
        for f in ("title", "description", "cost", "location_text", "feasibility_reason")
    }
    initial["category"] = project.category_id
    form = ProjectForm(request.POST or None, process=process, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(actor=request.user, project=project, request=request, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The project is saved."))
            return redirect("budgets:staff-projects", slug=process.slug)
    return render(
        request,
        "budgets/staff/project_form.html",
        {"process": process, "project": project, "form": form},
        status=400 if form.errors else 200,
    )
