"""Officers' pages at /staff/simulators/: the list, setting up a simulator and its services, publishing and
closing it, the results, the comments and the CSV export."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from localpower.accounts import roles
from localpower.places.models import Area
from localpower.simulator import exports, selectors, services
from localpower.simulator.forms import ServiceForm, SimulatorForm, level_label
from localpower.simulator.models import Service, Simulator
from localpower.simulator.rules import STAFF


def staff_areas(user):
    if user.is_active and user.is_superuser:
        return Area.objects.order_by("name")
    return Area.objects.filter(pk__in=roles.covered_area_ids(user, list(STAFF))).order_by("name")


def staff_page(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("simulator.manage_simulators"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def simulator_page(view):
    @wraps(view)
    @login_required
    def wrapped(request, slug: str, *args, **kwargs):
        simulator = get_object_or_404(Simulator.objects.select_related("area"), slug=slug)
        if not request.user.has_perm("simulator.change_simulator", simulator):
            raise PermissionDenied
        return view(request, simulator, *args, **kwargs)

    return wrapped


def add_error(form, error: Exception) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(
                field if field in form.fields and not form.fields[field].disabled else None, errors
            )
    elif isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    else:
        form.add_error(None, error)


@staff_page
@require_safe
def staff_list(request):
    simulators = selectors.simulators_for_staff(request.user).order_by("-opens_at", "title")
    return render(
        request,
        "simulator/staff/list.html",
        {"simulators": simulators, "can_add": staff_areas(request.user).exists()},
    )


@staff_page
@require_http_methods(["GET", "POST"])
def staff_new(request):
    form = SimulatorForm(request.POST or None, areas=staff_areas(request.user), initial={"anonymous": True})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        area = data.pop("area")
        try:
            simulator = services.create_simulator(actor=request.user, area=area, request=request, **data)
        except (ValidationError, PermissionDenied) as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is set up as a draft. Now add its services.") % {"title": simulator.title},
            )
            return redirect("simulator:staff-detail", slug=simulator.slug)
    return render(request, "simulator/staff/simulator_form.html", {"form": form, "simulator": None})


@simulator_page
@require_safe
def staff_detail(request, simulator: Simulator):
    service_list = selectors.services_of(simulator)
    best = selectors.totals(simulator, service_list, {s.pk: s.min_change_pct for s in service_list})
    return render(
        request,
        "simulator/staff/detail.html",
        {
            "simulator": simulator,
            "services": service_list,
            "responses": simulator.submissions.count(),
            "frozen": selectors.has_responses(simulator),
            "current": selectors.current_total(service_list),
            "best": best,
        },
    )


@simulator_page
@require_http_methods(["GET", "POST"])
def staff_edit(request, simulator: Simulator):
    frozen = selectors.has_responses(simulator)
    form = SimulatorForm(
        request.POST or None,
        areas=staff_areas(request.user),
        frozen=frozen,
        initial=SimulatorForm.initial_for(simulator),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_simulator(
                actor=request.user, simulator=simulator, request=request, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            add_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("simulator:staff-detail", slug=form.cleaned_data["slug"])
    return render(request, "simulator/staff/simulator_form.html", {"form": form, "simulator": simulator})


def _service_page(request, simulator: Simulator, service: Service | None):
    if selectors.has_responses(simulator):
        messages.error(request, services.frozen_message())
        return redirect("simulator:staff-detail", slug=simulator.slug)
    initial = {}
    if service is not None:
        initial = {name: getattr(service, name) for name in ServiceForm.base_fields}
        for consequence in service.consequences.all():
            initial[f"level_{consequence.change_pct}".replace("-", "m")] = consequence.text
    else:
        initial["order"] = (simulator.services.count() + 1) * 10
    form = ServiceForm(request.POST or None, simulator=simulator, service=service, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_service(
                actor=request.user,
                simulator=simulator,
                service=service,
                fields=form.service_fields(),
                consequences=form.consequences(),
                request=request,
            )
        except (ValidationError, PermissionDenied) as error:
            add_error(form, error)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": saved.name})
            return redirect("simulator:staff-detail", slug=simulator.slug)
    return render(
        request,
        "simulator/staff/service_form.html",
        {"form": form, "simulator": simulator, "service": service},
        status=400 if form.is_bound and form.errors else 200,
    )


@simulator_page
@require_http_methods(["GET", "POST"])
def service_new(request, simulator: Simulator):
    return _service_page(request, simulator, None)


@simulator_page
@require_http_methods(["GET", "POST"])
def service_edit(request, simulator: Simulator, service_id: int):
    service = get_object_or_404(Service, pk=service_id, simulator=simulator)
    return _service_page(request, simulator, service)


@simulator_page
@require_POST
def service_delete(request, simulator: Simulator, service_id: int):
    service = get_object_or_404(Service, pk=service_id, simulator=simulator)
    try:
        services.delete_service(actor=request.user, service=service, request=request)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("“%(name)s” removed.") % {"name": service.name})
    return redirect("simulator:staff-detail", slug=simulator.slug)


@simulator_page
@require_POST
def staff_state(request, simulator: Simulator):
    action = request.POST.get("action")
    try:
        if action == "publish":
            services.publish(actor=request.user, simulator=simulator, request=request)
            messages.success(request, _("Published. Residents can respond from the opening date."))
        elif action == "close" and request.POST.get("confirm") != "yes":
            # Closing cannot be undone and publishes the results: ask first.
            return render(request, "simulator/staff/confirm_close.html", {"simulator": simulator})
        elif action == "close":
            services.close(actor=request.user, simulator=simulator, request=request)
            messages.success(request, _("Closed. The results are now public."))
        else:
            messages.error(request, _("Choose what to do."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("simulator:staff-detail", slug=simulator.slug)


@simulator_page
@require_safe
def staff_results(request, simulator: Simulator):
    return render(
        request,
        "simulator/staff/results.html",
        {"simulator": simulator, "results": selectors.results(simulator), "staff": True},
    )


@simulator_page
@require_safe
def staff_comments(request, simulator: Simulator):
    service_list = selectors.services_of(simulator)
    chosen = None
    service_id = request.GET.get("service", "")
    if service_id.isdigit():
        chosen = next((s for s in service_list if s.pk == int(service_id)), None)
    search = request.GET.get("q", "").strip()[:200]
    page = Paginator(selectors.comments(simulator, chosen, search), 50).get_page(request.GET.get("page"))
    for choice in page:
        choice.level_label = level_label(choice.change_pct)
    return render(
        request,
        "simulator/staff/comments.html",
        {"simulator": simulator, "services": service_list, "chosen": chosen, "search": search, "page": page},
    )


@simulator_page
@require_safe
def staff_results_csv(request, simulator: Simulator):
    response = HttpResponse(exports.results_csv(simulator), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{simulator.slug}-results.csv"'
    return response


@simulator_page
@require_safe
def staff_export(request, simulator: Simulator):
    response = HttpResponse(exports.export_csv(simulator), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{simulator.slug}-responses.csv"'
    return response
