""" "You said, we did": officers write, preview and publish the council's response; everyone can list the
consultations the council has responded to."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from localpower.consultations import selectors_results as selectors
from localpower.consultations.forms.results import OutcomeForm
from localpower.consultations.models import Consultation, Outcome, Status
from localpower.consultations.services import results as services
from localpower.consultations.views.staff_results import results_page


def _add_error(form, error: Exception) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))


@require_http_methods(["GET", "POST"])
@results_page("consultations.change_consultation")
def staff_outcome(request, consultation: Consultation):
    outcome = Outcome.objects.filter(consultation=consultation).first()
    published = outcome is not None and outcome.published_at is not None
    can_publish = request.user.has_perm("consultations.publish_outcome", consultation)
    action = request.POST.get("action", "save") if request.method == "POST" else None
    form = OutcomeForm(request.POST or None, instance=outcome or Outcome(consultation=consultation))
    preview = None
    if request.method == "POST" and form.is_valid():
        if action == "preview":
            preview = form.save(commit=False)
            if outcome is not None:
                preview.published_at = outcome.published_at
        else:
            try:
                saved = services.save_outcome(
                    actor=request.user,
                    consultation=consultation,
                    publish=action == "publish",
                    request=request,
                    **form.cleaned_data,
                )
            except (ValidationError, PermissionDenied) as error:
                _add_error(form, error)
            else:
                if published:
                    messages.success(request, _("Your changes are published."))
                elif saved.published_at:
                    messages.success(request, _("“You said, we did” is published. Everyone can see it now."))
                else:
                    messages.success(request, _("Your draft is saved. It is not public yet."))
                return redirect("consultations:staff-outcome", slug=consultation.slug)
    return render(
        request,
        "consultations/results/staff_outcome.html",
        {
            "consultation": consultation,
            "links": request.results_links,
            "here": "outcome",
            "form": form,
            "outcome": outcome,
            "published": published,
            "preview": preview,
            "can_publish": can_publish,
            "closed": consultation.status in (Status.CLOSED, Status.RESPONDED),
            "sent": selectors.sent_responses(consultation).count(),
        },
        status=400 if form.errors else 200,
    )


@require_safe
def you_said_we_did(request):
    """Every consultation the council has responded to, latest first."""
    page = Paginator(selectors.published_outcomes(), 20).get_page(request.GET.get("page"))
    return render(request, "consultations/results/you_said_we_did.html", {"page": page})
