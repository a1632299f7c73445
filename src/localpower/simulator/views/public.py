"""Residents' pages: the list, a simulator (choose, update totals, check, send), the thank-you page and results.

The budget form works without JavaScript: "Update totals" sends the form and the page comes back with the new
totals and consequences, keeping every choice and comment. With JavaScript, ``simulator.mjs`` updates the same
totals and consequence texts as a choice changes; the server still checks everything when the budget is sent.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from localpower.core.ratelimit import RateLimiter
from localpower.simulator import selectors, services
from localpower.simulator.forms import BudgetForm, ReviewForm, level_label, pack
from localpower.simulator.models import Simulator, Status

# Sending a budget: generous for a person retrying, a wall for a script.
SUBMIT_LIMITER = RateLimiter("simulator-submit", limit=10, window=10 * 60)


def get_simulator(request, slug: str) -> Simulator:
    simulator = get_object_or_404(Simulator.objects.select_related("area"), slug=slug)
    if not request.user.has_perm("simulator.view_simulator", simulator):
        raise Http404
    return simulator


@require_safe
def simulator_list(request):
    simulators = list(selectors.public_simulators().order_by("-closes_at", "title"))
    return render(
        request,
        "simulator/list.html",
        {
            "open": [s for s in simulators if s.status == Status.OPEN],
            "upcoming": [s for s in simulators if s.status == Status.UPCOMING],
            "closed": [s for s in simulators if s.status == Status.CLOSED],
        },
    )


def _context(request, simulator: Simulator, form: BudgetForm, **extra) -> dict:
    return {
        "simulator": simulator,
        "form": form,
        "rows": form.rows(),
        "totals": selectors.totals(simulator, form.services, form.pcts() if form.is_bound else {}),
        "reason": services.ineligibility(request.user, simulator),
        "responded": services.has_responded(request.user, simulator),
        "can_manage": request.user.has_perm("simulator.change_simulator", simulator),
        "can_see_results": request.user.has_perm("simulator.view_results", simulator),
        **extra,
    }


def _form_from_review(simulator, service_list, content: dict) -> BudgetForm:
    data = {f"service_{pk}": str(pct) for pk, pct in content["levels"].items()}
    data.update({f"comment_{pk}": text for pk, text in content["comments"].items()})
    return BudgetForm(data, simulator=simulator, services=service_list)


def _review(request, simulator, form: BudgetForm, review: ReviewForm | None = None, status: int = 200):
    pcts, comments = form.pcts(), form.comments()
    review = review or ReviewForm(initial={"choices": pack(pcts, comments), "key": secrets.token_urlsafe(24)})
    rows = [
        {
            "service": s,
            "label": level_label(pcts[s.pk]),
            "new_spend": s.current_spend + s.change_in_pounds(pcts[s.pk]),
            "comment": comments.get(s.pk, ""),
        }
        for s in form.services
    ]
    return render(
        request,
        "simulator/check.html",
        {
            "simulator": simulator,
            "form": review,
            "rows": rows,
            "totals": selectors.totals(simulator, form.services, pcts),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def simulator_detail(request, slug: str):
    simulator = get_simulator(request, slug)
    service_list = selectors.services_of(simulator)
    if request.method != "POST":
        form = BudgetForm(simulator=simulator, services=service_list)
        return render(request, "simulator/detail.html", _context(request, simulator, form))
    action = request.POST.get("action", "update")
    if action in ("submit", "change"):
        return _send(request, simulator, service_list, action)
    form = BudgetForm(request.POST, simulator=simulator, services=service_list)
    valid = form.is_valid()
    status = 200 if valid else 400
    if action == "continue" and valid:
        reason = services.ineligibility(request.user, simulator)
        if services.has_responded(request.user, simulator):
            reason = _("You have already sent your budget for this simulator.")
        totals = selectors.totals(simulator, service_list, form.pcts())
        if reason:
            form.add_error(None, reason)
            status = 403
        elif not totals.balanced:
            form.add_error(None, services.unbalanced_message(totals))
            status = 400
        else:
            return _review(request, simulator, form)
    return render(
        request,
        "simulator/detail.html",
        _context(request, simulator, form, updated=action == "update"),
        status=status,
    )


def _send(request, simulator, service_list, action: str):
    review = ReviewForm(request.POST)
    if not review.is_valid():
        messages.error(request, _("Your choices could not be read. Make them again."))
        return redirect("simulator:detail", slug=simulator.slug)
    form = _form_from_review(simulator, service_list, review.cleaned_data["choices"])
    form.is_valid()
    if action == "change":
        return render(request, "simulator/detail.html", _context(request, simulator, form))
    who = str(getattr(request.user, "pk", "") or "")
    if who and SUBMIT_LIMITER.is_limited("user", who):
        review.add_error(
            None, _("You have sent this form too many times in a short while. Wait ten minutes.")
        )
        return _review(request, simulator, form, review, status=429)
    SUBMIT_LIMITER.hit("user", who)
    content = review.cleaned_data["choices"]
    try:
        result = services.submit(
            actor=request.user,
            simulator=simulator,
            choices=content["levels"],
            comments=content["comments"],
            idempotency_key=review.cleaned_data["key"],
            request=request,
        )
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You cannot send a budget for this simulator."))
        return redirect("simulator:detail", slug=simulator.slug)
    except ValidationError as error:
        if getattr(error, "code", None) == "already_responded":
            messages.info(request, error.messages[0])
            return redirect("simulator:done", slug=simulator.slug)
        form = _form_from_review(simulator, service_list, content)
        form.is_valid()
        for message in error.messages:
            form.add_error(None, message)
        return render(request, "simulator/detail.html", _context(request, simulator, form), status=400)
    if result.repeated:
        messages.info(request, _("Your budget had already arrived. It is counted once."))
    return redirect("simulator:done", slug=simulator.slug)


@require_safe
def simulator_done(request, slug: str):
    simulator = get_simulator(request, slug)
    if not services.has_responded(request.user, simulator):
        return redirect("simulator:detail", slug=simulator.slug)
    return render(request, "simulator/done.html", {"simulator": simulator})


@require_safe
def simulator_results(request, slug: str):
    simulator = get_simulator(request, slug)
    if not request.user.has_perm("simulator.view_results", simulator):
        return render(request, "simulator/results_pending.html", {"simulator": simulator})
    return render(
        request,
        "simulator/results.html",
        {"simulator": simulator, "results": selectors.results(simulator), "staff": False},
    )


@require_safe
def simulator_results_csv(request, slug: str):
    """The public, anonymised responses once results are public: levels only, no comments, no names."""
    from django.http import HttpResponse

    from localpower.simulator.exports import export_csv

    simulator = get_simulator(request, slug)
    if not request.user.has_perm("simulator.view_results", simulator):
        raise Http404
    response = HttpResponse(export_csv(simulator, public=True), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{simulator.slug}.csv"'
    return response
