"""Residents' pages: the list of consultations and a consultation's page."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.template.loader import TemplateDoesNotExist, get_template
from django.urls import reverse
from django.views.decorators.http import require_safe

from localpower.consultations import selectors
from localpower.consultations.forms.public import FilterForm
from localpower.consultations.models import Status
from localpower.consultations.views._common import (
    audience_text,
    blocker,
    current_draft,
    get_consultation,
    last_day,
    when,
)

OUTCOME_TEMPLATE = "consultations/includes/outcome.html"


@require_safe
def consultation_list(request):
    form = FilterForm(request.GET or None)
    area = kind = None
    if form.is_bound and form.is_valid():
        area = form.cleaned_data.get("area")
        kind = form.cleaned_data.get("kind")
    groups = selectors.listing(area=area, kind=kind or "")
    return render(
        request,
        "consultations/list.html",
        {
            "form": form,
            "groups": groups,
            "filtered": bool(area or kind),
            "total": sum(len(items) for items in groups.values()),
        },
    )


def _outcome_available(consultation) -> bool:
    outcome = getattr(consultation, "outcome", None)
    if outcome is None or outcome.published_at is None:
        return False
    try:
        get_template(OUTCOME_TEMPLATE)
    except TemplateDoesNotExist:
        return False
    return True


@require_safe
def consultation_detail(request, slug: str):
    consultation = get_consultation(request, slug)
    status = consultation.status
    draft = current_draft(request, consultation) if status == Status.OPEN else None
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "status": status,
            "documents": list(consultation.documents.all()),
            "opens": when(consultation.opens_at),
            "closes": last_day(consultation),
            "audience": audience_text(consultation),
            "blocker": blocker(request, consultation),
            "draft": draft,
            "responded": selectors.has_taken_part(request.user, consultation),
            "show_outcome": _outcome_available(consultation),
            "sent": selectors.submitted_count(consultation)
            if status in (Status.CLOSED, Status.RESPONDED)
            else None,
            "outcome": getattr(consultation, "outcome", None),
            "can_manage": request.user.has_perm("consultations.change_consultation", consultation),
            "sign_in_url": reverse("accounts:sign-in") + "?next=" + consultation.get_absolute_url(),
        },
    )


@require_safe
def document(request, slug: str, document_id: int):
    """A document uploaded for people to read before responding. The files are served from here, not from a
    public media folder, so a draft's documents stay with its staff. PDFs open in the browser; other files
    download."""
    consultation = get_consultation(request, slug)
    found = next((d for d in consultation.documents.all() if d.pk == document_id and d.file), None)
    if found is None:
        raise Http404
    try:
        handle = found.file.open("rb")
    except OSError:
        raise Http404 from None
    name = found.file.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=not name.lower().endswith(".pdf"), filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
