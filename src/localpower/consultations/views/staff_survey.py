"""Staff pages for a consultation's survey: sections, questions, and the preview."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from localpower.consultations import selectors
from localpower.consultations.forms.building import QuestionForm, QuestionKindForm, SectionForm
from localpower.consultations.forms.responding import SectionAnswersForm
from localpower.consultations.models import Consultation, Question, QuestionKind, Section
from localpower.consultations.services import building
from localpower.consultations.views.staff import add_service_error, consultation_page, moved_up, refusal


def _overview(consultation, anchor: str = ""):
    return redirect(reverse("consultations:staff-overview", args=[consultation.slug]) + anchor)


def _frozen_redirect(request, consultation, error):
    messages.error(request, refusal(error))
    return _overview(consultation)


def _earlier_questions(consultation: Consultation, section: Section | None) -> list[Question]:
    kinds = building.CHOICE_KINDS_FOR_CONDITIONS
    questions = []
    for other in selectors.survey(consultation):
        if section is not None and (other.order, other.pk) >= (section.order, section.pk):
            break
        questions += [q for q in other.questions.all() if q.kind in kinds]
    return questions


@require_http_methods(["GET", "HEAD", "POST"])
@consultation_page
def section_add(request, consultation: Consultation):
    form = SectionForm(request.POST or None, earlier_questions=_earlier_questions(consultation, None))
    if request.method == "POST" and form.is_valid():
        try:
            # Checked first, outside the transaction, so that a refusal stays in the audit log.
            building.ensure_structure_can_change(
                actor=request.user, consultation=consultation, what="add a section", request=request
            )
            with transaction.atomic():
                section = building.add_section(
                    actor=request.user,
                    consultation=consultation,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    request=request,
                )
                if form.cleaned_data.get("question") is not None:
                    building.update_section(
                        actor=request.user,
                        section=section,
                        title=section.title,
                        description=section.description,
                        condition_question=form.cleaned_data["question"],
                        condition_options=form.cleaned_data["options"],
                        request=request,
                    )
        except building.SurveyFrozen as error:
            return _frozen_redirect(request, consultation, error)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The section has been added. Now add its questions."))
            return _overview(consultation, f"#section-{section.pk}")
    return render(
        request,
        "consultations/staff/section_form.html",
        {"form": form, "consultation": consultation, "section": None},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@consultation_page
def section_edit(request, consultation: Consultation, section_id: int):
    section = get_object_or_404(Section, pk=section_id, consultation=consultation)
    earlier = _earlier_questions(consultation, section)
    initial = {
        "title": section.title,
        "description": section.description,
        "condition_question": str(section.condition_question_id or ""),
        "condition_options": [str(o.pk) for o in section.condition_options.all()],
    }
    form = SectionForm(request.POST or None, initial=initial, earlier_questions=earlier)
    if request.method == "POST" and form.is_valid():
        try:
            building.update_section(
                actor=request.user,
                section=section,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                condition_question=form.cleaned_data.get("question"),
                condition_options=form.cleaned_data.get("options", []),
                request=request,
            )
        except building.SurveyFrozen as error:
            return _frozen_redirect(request, consultation, error)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The section has been saved."))
            return _overview(consultation, f"#section-{section.pk}")
    return render(
        request,
        "consultations/staff/section_form.html",
        {"form": form, "consultation": consultation, "section": section},
    )


def confirm(request, consultation, *, title: str, detail: str, button: str):
    """A "are you sure?" page: the same address, sent with POST, does it."""
    return render(
        request,
        "consultations/staff/confirm.html",
        {"consultation": consultation, "title": title, "detail": detail, "button": button},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@consultation_page
def section_delete(request, consultation: Consultation, section_id: int):
    section = get_object_or_404(Section, pk=section_id, consultation=consultation)
    if request.method != "POST":
        count = section.questions.count()
        return confirm(
            request,
            consultation,
            title=_("Delete the section “%(title)s”?") % {"title": section.title},
            detail=_("Its %(count)d questions will be deleted too.") % {"count": count} if count else "",
            button=_("Delete the section"),
        )
    try:
        building.delete_section(actor=request.user, section=section, request=request)
    except ValidationError as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("The section and its questions have been deleted."))
    return _overview(consultation, "#survey")


@require_POST
@consultation_page
def section_move(request, consultation: Consultation, section_id: int):
    section = get_object_or_404(Section, pk=section_id, consultation=consultation)
    try:
        building.move_section(actor=request.user, section=section, up=moved_up(request), request=request)
    except ValidationError as error:
        messages.error(request, refusal(error))
    return _overview(consultation, f"#section-{section.pk}")


@require_http_methods(["GET", "HEAD", "POST"])
@consultation_page
def question_add(request, consultation: Consultation, section_id: int):
    section = get_object_or_404(Section, pk=section_id, consultation=consultation)
    kind = request.GET.get("kind") or request.POST.get("kind_chosen")
    if kind not in QuestionKind.values:
        kind_form = QuestionKindForm(request.GET if "kind" in request.GET else None)
        if kind_form.is_bound:
            kind_form.is_valid()
        return render(
            request,
            "consultations/staff/question_kind.html",
            {"form": kind_form, "consultation": consultation, "section": section},
        )
    form = QuestionForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            building.add_question(actor=request.user, section=section, request=request, **values)
        except building.SurveyFrozen as error:
            return _frozen_redirect(request, consultation, error)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The question has been added."))
            return _overview(consultation, f"#section-{section.pk}")
    return render(
        request,
        "consultations/staff/question_form.html",
        {
            "form": form,
            "consultation": consultation,
            "section": section,
            "question": None,
            "kind": kind,
            "kind_label": QuestionKind(kind).label,
        },
    )


def _question(consultation, question_id) -> Question:
    return get_object_or_404(
        Question.objects.select_related("section"), pk=question_id, section__consultation=consultation
    )


@require_http_methods(["GET", "HEAD", "POST"])
@consultation_page
def question_edit(request, consultation: Consultation, question_id: int):
    question = _question(consultation, question_id)
    form = QuestionForm(request.POST or None, kind=question.kind, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            building.update_question(actor=request.user, question=question, request=request, **form.values())
        except building.SurveyFrozen as error:
            return _frozen_redirect(request, consultation, error)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The question has been saved."))
            return _overview(consultation, f"#question-{question.pk}")
    return render(
        request,
        "consultations/staff/question_form.html",
        {
            "form": form,
            "consultation": consultation,
            "section": question.section,
            "question": question,
            "kind": question.kind,
            "kind_label": question.get_kind_display(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@consultation_page
def question_delete(request, consultation: Consultation, question_id: int):
    question = _question(consultation, question_id)
    if request.method != "POST":
        return confirm(
            request,
            consultation,
            title=_("Delete the question “%(text)s”?") % {"text": question.text},
            detail="",
            button=_("Delete the question"),
        )
    try:
        building.delete_question(actor=request.user, question=question, request=request)
    except ValidationError as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("The question has been deleted."))
    return _overview(consultation, f"#section-{question.section_id}")


@require_POST
@consultation_page
def question_move(request, consultation: Consultation, question_id: int):
    question = _question(consultation, question_id)
    try:
        building.move_question(actor=request.user, question=question, up=moved_up(request), request=request)
    except ValidationError as error:
        messages.error(request, refusal(error))
    return _overview(consultation, f"#question-{question.pk}")


@require_safe
@consultation_page
def preview(request, consultation: Consultation, section_id: int | None = None):
    """The survey as respondents will see it, page by page (nothing is saved). Every section is shown,
    including conditional ones, with their condition stated."""
    sections = selectors.survey(consultation)
    if not sections:
        messages.error(request, _("Add a section and some questions before previewing the survey."))
        return _overview(consultation)
    if section_id is None:
        section = sections[0]
    else:
        section = next((s for s in sections if s.pk == section_id), None)
        if section is None:
            raise Http404
    index = sections.index(section)
    form = SectionAnswersForm(questions=list(section.questions.all()))

    def url(s):
        return reverse("consultations:staff-preview-section", args=[consultation.slug, s.pk])

    return render(
        request,
        "consultations/respond_section.html",
        {
            "consultation": consultation,
            "section": section,
            "form": form,
            "rows": form.rows(),
            "number": index + 1,
            "count": len(sections),
            "back_url": url(sections[index - 1])
            if index
            else reverse("consultations:staff-overview", args=[consultation.slug]),
            "next_url": url(sections[index + 1]) if index + 1 < len(sections) else "",
            "has_files": False,
            "preview": True,
            "condition": section.condition_question,
            "condition_options": list(section.condition_options.all()),
        },
    )
