"""Staff pages for budget processes: the list, setting one up, changing it, and its overview."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from localpower.budgets import selectors, services
from localpower.budgets.forms.staff import CategoryForm, NewProcessForm, ProcessForm, StateForm, state_choices
from localpower.budgets.models import FROZEN_FIELDS, Process
from localpower.budgets.views.staff_base import (
    add_service_error,
    budget_staff_page,
    process_staff_page,
    refusal,
    staff_areas,
)


@budget_staff_page
@require_safe
def process_list(request):
    user = request.user
    processes = (
        Process.objects.select_related("area") if user.is_superuser else selectors.processes_for_staff(user)
    )
    return render(
        request,
        "budgets/staff/process_list.html",
        {"processes": processes.order_by("-voting_opens_at", "title"), "can_add": staff_areas(user).exists()},
    )


@budget_staff_page
@require_http_methods(["GET", "POST"])
def process_new(request):
    areas = staff_areas(request.user)
    form = NewProcessForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                process = services.create_process(
                    actor=request.user, area=form.cleaned_data["area"], request=request, **form.settings()
                )
                for name, target in form.cleaned_data["categories"]:
                    services.add_category(
                        actor=request.user, process=process, name=name, target_amount=target, request=request
                    )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is set up as a draft. Residents cannot see it until you publish it.")
                % {"title": process.title},
            )
            return redirect("budgets:staff-process", slug=process.slug)
    return render(request, "budgets/staff/process_form.html", {"form": form, "process": None})


def _counts(process: Process) -> dict:
    return {
        "ideas": process.ideas.count(),
        "projects": process.projects.count(),
        **selectors.turnout(process),
    }


@process_staff_page
@require_safe
def process_overview(request, process: Process):
    return render(
        request,
        "budgets/staff/process_overview.html",
        {
            "process": process,
            "counts": _counts(process),
            "categories": process.categories.all(),
            "category_form": CategoryForm(),
            "state_form": StateForm(choices=state_choices(process)),
            "latest_result": selectors.latest_result(process),
            "frozen": process.voting_has_opened(),
        },
    )


@process_staff_page
@require_http_methods(["GET", "POST"])
def process_edit(request, process: Process):
    frozen = process.voting_has_opened()
    form = ProcessForm(request.POST or None, areas=None, process=process, frozen=frozen)
    if request.method == "POST" and form.is_valid():
        try:
            process = services.update_process(
                actor=request.user, process=process, changes=form.settings(), request=request
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error, hidden=tuple(form.frozen_names()))
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("budgets:staff-process", slug=process.slug)
    frozen_rows = []
    if frozen:
        for name in FROZEN_FIELDS:
            field = Process._meta.get_field(name)
            frozen_rows.append((field.verbose_name, _frozen_value(process, name)))
    return render(
        request,
        "budgets/staff/process_form.html",
        {"form": form, "process": process, "frozen": frozen, "frozen_rows": frozen_rows},
    )


def _frozen_value(process: Process, name: str):
    value = getattr(process, name)
    display = getattr(process, f"get_{name}_display", None)
    if display:
        return display()
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y")
    if isinstance(value, Decimal) and name != "currency":
        return f"{process.currency} {value:,.2f}"
    return value


@process_staff_page
@require_POST
def process_state(request, process: Process):
    form = StateForm(request.POST, choices=state_choices(process))
    if form.is_valid():
        try:
            services.change_state(
                actor=request.user,
                process=process,
                state=form.cleaned_data["state"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal(error))
        else:
            process.refresh_from_db()
            messages.success(
                request, _("The budget is now: %(state)s.") % {"state": process.get_state_display()}
            )
    else:
        messages.error(request, _("Choose what to do with the budget."))
    return redirect("budgets:staff-process", slug=process.slug)


@process_staff_page
@require_POST
def category_add(request, process: Process):
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            services.add_category(
                actor=request.user,
                process=process,
                name=form.cleaned_data["name"],
                target_amount=form.cleaned_data["target_amount"],
                request=request,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Category added."))
            return redirect("budgets:staff-process", slug=process.slug)
    return render(
        request,
        "budgets/staff/process_overview.html",
        {
            "process": process,
            "counts": _counts(process),
            "categories": process.categories.all(),
            "category_form": form,
            "state_form": StateForm(choices=state_choices(process)),
            "latest_result": selectors.latest_result(process),
            "frozen": process.voting_has_opened(),
        },
        status=400,
    )
