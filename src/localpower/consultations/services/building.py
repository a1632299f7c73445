"""Writes for building a consultation: its details, documents and survey; publishing and withdrawing it.

Every function checks the actor's permission, validates, writes in one transaction and records an audit entry.
Once anyone has started a response, the survey's structure (sections, questions, options, conditions) and the
consultation's key settings (area, kind, audience, anonymity, opening date, web address) are frozen: a change
is refused with a clear message, and the refusal is audit-logged. Title, summary, description, who runs it,
documents and the closing date can still change (extending the closing date is normal).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from localpower.consultations import selectors
from localpower.consultations.models import (
    Audience,
    Consultation,
    ConsultationState,
    Document,
    Option,
    Outcome,
    Question,
    QuestionKind,
    Section,
)
from localpower.consultations.models.consultation import CHOICE_KINDS
from localpower.core import audit

# Questions a section may depend on: those with one or more picked options.
CHOICE_KINDS_FOR_CONDITIONS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.SCALE)

FROZEN_FIELDS = ("area", "kind", "audience", "anonymity", "opens_at", "slug")
EDITABLE_FIELDS = (
    "area",
    "run_by",
    "kind",
    "title",
    "slug",
    "summary",
    "description",
    "opens_at",
    "closes_at",
    "audience",
    "anonymity",
)


class SurveyFrozen(ValidationError):
    """The survey has responses, so its structure cannot change."""


def _require(actor, perm: str, obj) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have permission to change this consultation."))


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def ensure_structure_can_change(*, actor, consultation: Consultation, what: str, request=None) -> None:
    """Refuse (and log the refusal) once the consultation has a response."""
    if selectors.has_responses(consultation):
        audit.record(
            actor=actor,
            action="consultations.survey_change_refused",
            target=consultation,
            summary=f"Refused to {what}: the survey already has responses",
            request=request,
        )
        raise SurveyFrozen(
            _(
                "People have already started responding, so the survey's questions, options and sections "
                "cannot change. You can still change the title, description, documents and closing date."
            )
        )


# ---------------------------------------------------------------------------------------------- consultations


def create_consultation(*, actor, area, invited_organisations=(), request=None, **fields) -> Consultation:
    """A new draft consultation in ``area`` (``fields``: the model's editable fields)."""
    if actor is None or not actor.has_perm("consultations.add_consultation", area):
        raise PermissionDenied(_("You cannot run consultations in this area."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        consultation = _save(
            Consultation(area=area, created_by=actor, state=ConsultationState.DRAFT, **fields)
        )
        consultation.invited_organisations.set(invited_organisations)
        _check_audience(consultation, publishing=False)
        audit.record(
            actor=actor,
            action="consultations.created",
            target=consultation,
            summary=f"Created {consultation.kind} {consultation.title!r} in {area}",
            request=request,
        )
    return consultation


def _check_audience(consultation: Consultation, *, publishing: bool) -> None:
    if (
        publishing
        and consultation.audience == Audience.ORGANISATIONS
        and not consultation.invited_organisations.exists()
    ):
        raise ValidationError({"invited_organisations": _("Choose the organisations invited to respond.")})


def update_consultation(
    *, actor, consultation: Consultation, changes: dict, invited_organisations=None, request=None
) -> Consultation:
    """Change the consultation's details. After the first response the frozen settings cannot change."""
    _require(actor, "consultations.change_consultation", consultation)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    changed = {k: v for k, v in changes.items() if getattr(consultation, k) != v}
    if "area" in changed and not actor.has_perm("consultations.add_consultation", changed["area"]):
        raise ValidationError({"area": _("You cannot run consultations in that area.")})
    frozen = [name for name in FROZEN_FIELDS if name in changed]
    if frozen:
        ensure_structure_can_change(
            actor=actor, consultation=consultation, what=f"change {', '.join(frozen)}", request=request
        )
    with transaction.atomic():
        for name, value in changed.items():
            setattr(consultation, name, value)
        _save(consultation)
        if invited_organisations is not None:
            consultation.invited_organisations.set(invited_organisations)
        if consultation.state == ConsultationState.PUBLISHED:
            _check_audience(consultation, publishing=True)
        audit.record(
            actor=actor,
            action="consultations.updated",
            target=consultation,
            summary=f"Changed {', '.join(sorted(changed)) or 'nothing'}",
            changes={k: str(v) for k, v in changed.items()},
            request=request,
        )
    return consultation


def publish_problems(consultation: Consultation) -> list[str]:
    """What stops the consultation being published, in plain English (empty when it can be)."""
    problems = []
    sections = selectors.survey(consultation)
    questions = [q for section in sections for q in section.questions.all()]
    if not questions:
        problems.append(_("Add at least one question."))
    for section in sections:
        if not section.questions.all():
            problems.append(_("The section “%(title)s” has no questions.") % {"title": section.title})
    for question in questions:
        if question.kind in CHOICE_KINDS and len(question.options.all()) < 2:
            problems.append(_("The question “%(text)s” needs at least 2 options.") % {"text": question.text})
    if consultation.closes_at <= consultation.opens_at:
        problems.append(_("The closing date must be after the opening date."))
    if consultation.closes_at <= timezone.now():
        problems.append(_("The closing date has passed. Choose a later closing date."))
    if consultation.audience == Audience.ORGANISATIONS and not consultation.invited_organisations.exists():
        problems.append(_("Choose the organisations invited to respond."))
    return problems


def publish(*, actor, consultation: Consultation, request=None) -> Consultation:
    _require(actor, "consultations.change_consultation", consultation)
    if consultation.state == ConsultationState.PUBLISHED:
        return consultation
    problems = publish_problems(consultation)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        consultation.state = ConsultationState.PUBLISHED
        consultation.published_at = timezone.now()
        _save(consultation)
        audit.record(
            actor=actor,
            action="consultations.published",
            target=consultation,
            summary=f"Published {consultation.title!r}, open {consultation.opens_at:%Y-%m-%d} to "
            f"{consultation.closes_at:%Y-%m-%d}",
            request=request,
        )
    return consultation


def withdraw(*, actor, consultation: Consultation, request=None) -> Consultation:
    _require(actor, "consultations.change_consultation", consultation)
    if consultation.state != ConsultationState.PUBLISHED:
        raise ValidationError(_("Only a published consultation can be withdrawn."))
    outcome = Outcome.objects.filter(consultation=consultation, published_at__isnull=False).first()
    if outcome is not None:  # the public record of what people said and what the council did stays
        raise ValidationError(
            _("The council has published its response, so the consultation can no longer be withdrawn.")
        )
    with transaction.atomic():
        consultation.state = ConsultationState.WITHDRAWN
        _save(consultation)
        audit.record(
            actor=actor,
            action="consultations.withdrawn",
            target=consultation,
            summary=f"Withdrew {consultation.title!r}",
            request=request,
        )
    return consultation


# ---------------------------------------------------------------------------------------------- documents


def add_document(*, actor, consultation: Consultation, title: str, file=None, url: str = "", request=None):
    _require(actor, "consultations.change_consultation", consultation)
    if bool(file) == bool(url):
        raise ValidationError(_("Upload a file or give a web address, not both."))
    with transaction.atomic():
        order = (consultation.documents.aggregate(m=Max("order"))["m"] or 0) + 1
        document = Document(consultation=consultation, title=title, url=url or "", order=order)
        if file:
            document.file = file
        _save(document)
        audit.record(
            actor=actor,
            action="consultations.document_added",
            target=consultation,
            summary=f"Added document {title!r}",
            request=request,
        )
    return document


def delete_document(*, actor, document: Document, request=None) -> None:
    consultation = document.consultation
    _require(actor, "consultations.change_consultation", consultation)
    with transaction.atomic():
        title = document.title
        document.delete()
        audit.record(
            actor=actor,
            action="consultations.document_removed",
            target=consultation,
            summary=f"Removed document {title!r}",
            request=request,
        )


# ---------------------------------------------------------------------------------------------- sections


def _renumber(items) -> list:
    items = list(items)
    for position, item in enumerate(items, start=1):
        if item.order != position:
            item.order = position
            item.save(update_fields=["order"])
    return items


def _check_conditions(consultation: Consultation) -> None:
    """Every condition must be on a choice question in an earlier section, with options of that question."""
    sections = list(consultation.sections.order_by("order", "id"))
    position = {section.pk: index for index, section in enumerate(sections)}
    for section in sections:
        if section.condition_question_id is None:
            continue
        question = section.condition_question
        if position.get(question.section_id, len(sections)) >= position[section.pk]:
            raise ValidationError(
                _(
                    "The section “%(section)s” depends on a question that would no longer come before it. "
                    "Change its condition first."
                )
                % {"section": section.title}
            )


def add_section(*, actor, consultation: Consultation, title: str, description: str = "", request=None):
    _require(actor, "consultations.change_consultation", consultation)
    ensure_structure_can_change(actor=actor, consultation=consultation, what="add a section", request=request)
    with transaction.atomic():
        order = (consultation.sections.aggregate(m=Max("order"))["m"] or 0) + 1
        section = _save(Section(consultation=consultation, title=title, description=description, order=order))
        audit.record(
            actor=actor,
            action="consultations.survey_changed",
            target=consultation,
            summary=f"Added section {title!r}",
            request=request,
        )
    return section


def update_section(
    *,
    actor,
    section: Section,
    title: str,
    description: str = "",
    condition_question: Question | None = None,
    condition_options=(),
    request=None,
) -> Section:
    consultation = section.consultation
    _require(actor, "consultations.change_consultation", consultation)
    ensure_structure_can_change(
        actor=actor, consultation=consultation, what="change a section", request=request
    )
    condition_options = list(condition_options)
    if condition_question is not None:
        if condition_question.kind not in CHOICE_KINDS_FOR_CONDITIONS:
            raise ValidationError(
                {
                    "condition_question": _(
                        "A section can depend only on a 'choose one', 'choose any' or scale question."
                    )
                }
            )
        if condition_question.section.consultation_id != consultation.pk:
            raise ValidationError({"condition_question": _("Choose a question from this survey.")})
        if not condition_options:
            raise ValidationError(
                {"condition_options": _("Choose the answers that make this section appear.")}
            )
        if any(option.question_id != condition_question.pk for option in condition_options):
            raise ValidationError({"condition_options": _("Choose answers of the chosen question.")})
    elif condition_options:
        raise ValidationError({"condition_question": _("Choose the question the section depends on.")})
    with transaction.atomic():
        section.title = title
        section.description = description
        section.condition_question = condition_question
        _save(section)
        section.condition_options.set(condition_options)
        _check_conditions(consultation)
        audit.record(
            actor=actor,
            action="consultations.survey_changed",
            target=consultation,
            summary=f"Changed section {title!r}"
            + (f" (shown only after {condition_question.text!r})" if condition_question else ""),
            request=request,
        )
    return section


def delete_section(*, actor, section: Section, request=None) -> None:
    consultation = section.consultation
    _require(actor, "consultations.change_consultation", consultation)
    ensure_structure_can_change(
        actor=actor, consultation=consultation, what="delete a section", request=request
    )
    dependants = Section.objects.filter(condition_question__section=section).exclude(pk=section.pk)
    if dependants.exists():
        raise ValidationError(
            _("The section “%(other)s” depends on a question in this section. Change its condition first.")
            % {"other": dependants.first().title}
        )
    with transaction.atomic():
        title = section.title
        section.delete()
        _renumber(consultation.sections.order_by("order", "id"))
        audit.record(
            actor=actor,
            action="consultations.survey_changed",
            target=consultation,
            summary=f"Deleted section {title!r}",
            request=request,
        )


def move_section(*, actor, section: Section, up: bool, request=None) -> None:
    consultation = section.consultation
    _require(actor, "consultations.change_consultation", consultation)
    ensure_structure_can_change(
        actor=actor, consultation=consultation, what="move a section", request=request
    )
    with transaction.atomic():
        sections = _renumber(consultation.sections.order_by("order", "id"))
        _swap(sections, section, up)
        _check_conditions(consultation)
        audit.record(
            actor=actor,
            action="consultations.survey_changed",
            target=consultation,
            summary=f"Moved section {section.title!r} {'up' if up else 'down'}",
            request=request,
        )


def _swap(items: list, item, up: bool) -> None:
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    a, b = items[index], items[other]
    a.order, b.order = b.order, a.order
    a.save(update_fields=["order"])
    b.save(update_fields=["order"])


# ---------------------------------------------------------------------------------------------- questions

QUESTION_SETTINGS = ("hint", "required", "max_choices", "number_min", "number_max", "max_length")


def _clean_options(kind: str, options) -> list[str]:
    texts = [str(text).strip() for text in options if str(text).strip()] if kind in CHOICE_KINDS else []
    if kind in CHOICE_KINDS:
        if len(texts) < 2:
            raise ValidationError({"options": _("Enter at least 2 options, one on each line.")})
        seen = set()
        for text in texts:
            if text.casefold() in seen:
                raise ValidationError({"options": _("“%(text)s” is there twice.") % {"text": text}})
            seen.add(text.casefold())
            if len(text) > 300:
                raise ValidationError({"options": _("Each option must be 300 characters or fewer.")})
    return texts


def _apply_settings(question: Question, kind: str, settings: dict, option_count: int) -> None:
    question.kind = kind
    question.hint = settings.get("hint", "") or ""
    question.required = bool(settings.get("required", False))
    max_choices = settings.get("max_choices")
    question.max_choices = (
        max_choices if kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.RANKING) else None
    )
    if question.max_choices is not None and question.max_choices > option_count:
        raise ValidationError({"max_choices": _("The limit cannot be more than the number of options.")})
    number = kind == QuestionKind.NUMBER
    question.number_min = (
        Decimal(settings["number_min"]) if number and settings.get("number_min") is not None else None
    )
    question.number_max = (
        Decimal(settings["number_max"]) if number and settings.get("number_max") is not None else None
    )
    text = kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT, QuestionKind.MAP_POINT)
    question.max_length = settings.get("max_length") if text else None


def _set_options(question: Question, texts: list[str]) -> None:
    """Keep options whose text is unchanged (conditions may point at them); add, remove and reorder."""
    existing = {option.text: option for option in question.options.all()}
    keep = set()
    for position, text in enumerate(texts, start=1):
        option = existing.get(text)
        if option is None:
            option = Option(question=question, text=text)
        option.order = position
        option.save()
        keep.add(option.pk)
    question.options.exclude(pk__in=keep).delete()


def add_question(
    *, actor, section: Section, kind: str, text: str, options=(), request=None, **settings
) -> Question:
    consultation = section.consultation
    _require(actor, "consultations.change_consultation", consultation)
    unknown = set(settings) - set(QUESTION_SETTINGS)
    if unknown:
        raise TypeError(f"Unknown settings: {sorted(unknown)}")
    ensure_structure_can_change(
        actor=actor, consultation=consultation, what="add a question", request=request
    )
    texts = _clean_options(kind, options)
    with transaction.atomic():
        order = (section.questions.aggregate(m=Max("order"))["m"] or 0) + 1
        question = Question(section=section, text=text, order=order)
        _apply_settings(question, kind, settings, len(texts))
        _save(question)
        _set_options(question, texts)
        audit.record(
            actor=actor,
            action="consultations.survey_changed",
            target=consultation,
            summary=f"Added question {text!r} ({kind}) to section {section.title!r}",
            request=request,
        )
    return question


def update_question(
    *, actor, question: Question, kind: str, text: str, options=(), request=None, **settings
) -> Question:
    consultation = question.section.consultation
    _require(actor, "consultations.change_consultation", consultation)
    ensure_structure_can_change(
        actor=actor, consultation=consultation, what="change a question", request=request
    )
    texts = _clean_options(kind, options)
    if (
        kind not in CHOICE_KINDS_FOR_CONDITIONS
        and Section.objects.filter(condition_question=question).exists()
    ):
        raise ValidationError(
            {
                "kind": _(
                    "A section depends on this question, so it must stay a 'choose one', 'choose any' or scale question."
                )
            }
        )
    with transaction.atomic():
        question.text = text
        _apply_settings(question, kind, settings, len(texts))
        _save(question)
        _set_options(question, texts)
        audit.record(
            actor=actor,
            action="consultations.survey_changed",
            target=consultation,
            summary=f"Changed question {text!r}",
            request=request,
        )
    return question


def delete_question(*, actor, question: Question, request=None) -> None:
    consultation = question.section.consultation
    _require(actor, "consultations.change_consultation", consultation)
    ensure_structure_can_change(
        actor=actor, consultation=consultation, what="delete a question", request=request
    )
    dependant = Section.objects.filter(condition_question=question).first()
    if dependant is not None:
        raise ValidationError(
            _("The section “%(section)s” is shown only after this question. Change its condition first.")
            % {"section": dependant.title}
        )
    with transaction.atomic():
        section = question.section
        text = question.text
        question.delete()
        _renumber(section.questions.order_by("order", "id"))
        audit.record(
            actor=actor,
            action="consultations.survey_changed",
            target=consultation,
            summary=f"Deleted question {text!r}",
            request=request,
        )


def move_question(*, actor, question: Question, up: bool, request=None) -> None:
    consultation = question.section.consultation
    _require(actor, "consultations.change_consultation", consultation)
    ensure_structure_can_change(
        actor=actor, consultation=consultation, what="move a question", request=request
    )
    with transaction.atomic():
        questions = _renumber(question.section.questions.order_by("order", "id"))
        _swap(questions, question, up)
        audit.record(
            actor=actor,
            action="consultations.survey_changed",
            target=consultation,
            summary=f"Moved question {question.text!r} {'up' if up else 'down'}",
            request=request,
        )
