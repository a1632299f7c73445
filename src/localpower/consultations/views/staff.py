"""Staff pages for building consultations, mounted at /staff/consultations/ (URL names ``staff-...``)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from localpower.consultations import selectors
from localpower.consultations.forms.building import ConsultationForm, DocumentForm, MoveForm
from localpower.consultations.models import Consultation, ConsultationState, Document
from localpower.consultations.services import building
from localpower.consultations.views._common import audience_text, last_day, when


def staff_page(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("consultations.manage_consultations"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def consultation_page(view):
    """For one consultation (by slug): the person must be staff for its area."""

    @wraps(view)
    @login_required
    def wrapped(request, slug: str, *args, **kwargs):
        consultation = get_object_or_404(Consultation.objects.select_related("area"), slug=slug)
        if not request.user.has_perm("consultations.change_consultation", consultation):
            raise PermissionDenied
        return view(request, consultation, *args, **kwargs)

    return wrapped


def add_service_error(form, error: Exception) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, str(error))


def refusal(error: Exception) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


RESULT_LINKS = (
    ("consultations:staff-results", gettext_lazy("Results and summaries")),
    ("consultations:staff-responses", gettext_lazy("Responses and free text")),
    ("consultations:staff-export-csv", gettext_lazy("Download responses (CSV)")),
    ("consultations:staff-export-xlsx", gettext_lazy("Download responses (Excel)")),
    ("consultations:staff-outcome", gettext_lazy("You said, we did")),
)


def result_links(consultation) -> list[dict]:
    links = []
    for name, label in RESULT_LINKS:
        try:
            links.append({"url": reverse(name, args=[consultation.slug]), "label": label})
        except NoReverseMatch:
            continue
    return links


@require_safe
@staff_page
def consultation_list(request):
    consultations = list(selectors.managed_consultations(request.user))
    return render(
        request,
        "consultations/staff/list.html",
        {"consultations": consultations, "can_add": selectors.staff_areas(request.user).exists()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def consultation_new(request):
    areas = selectors.staff_areas(request.user)
    form = ConsultationForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        area = values.pop("area")
        try:
            consultation = building.create_consultation(
                actor=request.user,
                area=area,
                invited_organisations=form.cleaned_data.get("invited_organisations") or [],
                request=request,
                **values,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The consultation is set up as a draft. Now add its questions."))
            return redirect("consultations:staff-overview", consultation.slug)
    return render(request, "consultations/staff/consultation_form.html", {"form": form, "consultation": None})


@require_http_methods(["GET", "HEAD", "POST"])
@consultation_page
def consultation_edit(request, consultation: Consultation):
    areas = selectors.staff_areas(request.user)
    frozen = selectors.has_responses(consultation)
    form = ConsultationForm(request.POST or None, areas=areas, consultation=consultation, frozen=frozen)
    if request.method == "POST" and form.is_valid():
        try:
            building.update_consultation(
                actor=request.user,
                consultation=consultation,
                changes=form.values(),
                invited_organisations=form.cleaned_data.get("invited_organisations"),
                request=request,
            )
        except (ValidationError, PermissionDenied) as error:
            consultation.refresh_from_db()
            add_service_error(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("consultations:staff-overview", consultation.slug)
    return render(
        request,
        "consultations/staff/consultation_form.html",
        {"form": form, "consultation": consultation, "frozen": frozen},
    )


@require_safe
@consultation_page
def consultation_overview(request, consultation: Consultation):
    sections = selectors.survey(consultation)
    frozen = selectors.has_responses(consultation)
    return render(
        request,
        "consultations/staff/overview.html",
        {
            "consultation": consultation,
            "status": consultation.status,
            "sections": sections,
            "documents": list(consultation.documents.all()),
            "frozen": frozen,
            "problems": building.publish_problems(consultation)
            if consultation.state != ConsultationState.PUBLISHED
            else [],
            "submitted": selectors.submitted_count(consultation),
            "opens": when(consultation.opens_at),
            "closes": last_day(consultation),
            "audience": audience_text(consultation),
            "result_links": result_links(consultation),
        },
    )


@require_POST
@consultation_page
def consultation_publish(request, consultation: Consultation):
    try:
        building.publish(actor=request.user, consultation=consultation, request=request)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("The consultation is published."))
    return redirect("consultations:staff-overview", consultation.slug)


@require_http_methods(["GET", "HEAD", "POST"])
@consultation_page
def consultation_withdraw(request, consultation: Consultation):
    if request.method != "POST":
        return render(
            request,
            "consultations/staff/confirm.html",
            {
                "consultation": consultation,
                "title": _("Withdraw “%(title)s”?") % {"title": consultation.title},
                "detail": _(
                    "People will no longer be able to respond, and the public page will say it was withdrawn. "
                    "Responses already sent are kept."
                ),
                "button": _("Withdraw the consultation"),
            },
        )
    try:
        building.withdraw(actor=request.user, consultation=consultation, request=request)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("The consultation is withdrawn. People can no longer respond."))
    return redirect("consultations:staff-overview", consultation.slug)


@require_http_methods(["GET", "HEAD", "POST"])
@consultation_page
def document_add(request, consultation: Consultation):
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            building.add_document(
                actor=request.user,
                consultation=consultation,
                title=form.cleaned_data["title"],
                file=form.cleaned_data.get("file"),
                url=form.cleaned_data.get("url") or "",
                request=request,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The document has been added."))
            return redirect("consultations:staff-overview", consultation.slug)
    return render(
        request, "consultations/staff/document_form.html", {"form": form, "consultation": consultation}
    )


@require_POST
@consultation_page
def document_delete(request, consultation: Consultation, document_id: int):
    document = get_object_or_404(Document, pk=document_id, consultation=consultation)
    building.delete_document(actor=request.user, document=document, request=request)
    messages.success(request, _("The document has been removed."))
    return redirect("consultations:staff-overview", consultation.slug)


def moved_up(request) -> bool:
    form = MoveForm(request.POST)
    return form.is_valid() and form.cleaned_data["direction"] == "up"
