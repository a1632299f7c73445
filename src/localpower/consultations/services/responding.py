"""Writes for responding: starting a draft, saving answers page by page, save-and-return, and submitting.

* Identified consultations: a signed-in person's response names them, one per person (a database constraint;
  a race between two first saves ends with both requests using the same draft).
* Anonymous consultations: a signed-in person's draft is reached through their ``Participation``; on submit the
  link is cut (``draft`` cleared, ``submitted_at`` kept only to the day) so nothing links the sent response to
  them, and the audit entry names no one.
* People without an account keep their draft in their session; "save and come back later" gives them a return
  link with a secret token that is stored only as a SHA-256 hash.
* Submitting is idempotent (a second click returns the same sent response) and discards answers in sections
  that the person's answers hide. A closed consultation refuses saves and submissions, and keeps the draft.
"""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from localpower.consultations import selectors
from localpower.consultations.models import (
    Anonymity,
    Answer,
    Choice,
    Consultation,
    Option,
    Participation,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    Section,
)
from localpower.consultations.validators import validate_evidence
from localpower.core import audit
from localpower.places.postcodes import InvalidPostcode, normalise_postcode

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class ConsultationClosed(ValidationError):
    """The consultation is not open for responses now."""


class AlreadyResponded(ValidationError):
    """The person has already sent their response."""


def new_reference() -> str:
    """A reference like "CN-7KQ2-MX4B": easy to read out, never confusing 0/O or 1/I."""
    for _attempt in range(10):
        body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f"CN-{body[:4]}-{body[4:]}"
        if not Response.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("Could not find a free response reference.")  # pragma: no cover


def _require_open(consultation: Consultation) -> None:
    if not consultation.is_open:
        raise ConsultationClosed(
            _("This consultation is not open for responses now. Nothing you have saved has been lost.")
        )


def _existing_response(consultation: Consultation, user) -> Response | None:
    return Response.objects.filter(consultation=consultation, respondent=user).first()


def start_response(*, consultation: Consultation, user=None) -> Response:
    """The person's draft, created if needed. Raises ``AlreadyResponded`` when they have sent one (for an
    identified consultation the caller can show them it: ``selectors.response_of``)."""
    _require_open(consultation)
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if signed_in and consultation.anonymity == Anonymity.IDENTIFIED:
        existing = _existing_response(consultation, user)
        if existing is None:
            try:
                with transaction.atomic():
                    return Response.objects.create(
                        consultation=consultation, respondent=user, reference=new_reference()
                    )
            except IntegrityError:
                # Another request (a double click) created it first: use that one.
                existing = Response.objects.get(consultation=consultation, respondent=user)
        if existing.is_submitted:
            raise AlreadyResponded(_("You have already responded to this consultation."))
        return existing
    if signed_in:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    participation, _created = Participation.objects.get_or_create(
                        consultation=consultation, user=user
                    )
            except IntegrityError:
                participation = Participation.objects.get(consultation=consultation, user=user)
            participation = Participation.objects.select_for_update().get(pk=participation.pk)
            if participation.submitted_at is not None:
                raise AlreadyResponded(_("You have already responded to this consultation."))
            if participation.draft_id is None:
                participation.draft = Response.objects.create(
                    consultation=consultation, reference=new_reference()
                )
                participation.save(update_fields=["draft"])
            return participation.draft
    return Response.objects.create(consultation=consultation, reference=new_reference())


# ---------------------------------------------------------------------------------------------- answers


def is_empty(question: Question, value) -> bool:
    if value is None:
        return True
    if question.kind == QuestionKind.MAP_POINT:
        return value.get("latitude") is None and not (value.get("text") or "").strip()
    if isinstance(value, (list, tuple, set)):
        return not value
    if isinstance(value, str):
        return not value.strip()
    return False


def validate_value(question: Question, value) -> object:
    """Check (and tidy) one answer; raise ``ValidationError`` with a message for the person."""
    kind = question.kind
    if is_empty(question, value):
        return value
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        value = str(value).strip()
        if question.max_length and len(value) > question.max_length:
            raise ValidationError(
                _("Your answer must be %(max)d characters or fewer.") % {"max": question.max_length}
            )
        return value
    if kind == QuestionKind.POSTCODE:
        try:
            return normalise_postcode(value)
        except InvalidPostcode as error:
            raise ValidationError(str(error)) from error
    if kind == QuestionKind.NUMBER:
        try:
            number = Decimal(str(value))
        except InvalidOperation as error:
            raise ValidationError(_("Enter a number, like 12 or 3.5.")) from error
        if question.number_min is not None and number < question.number_min:
            raise ValidationError(
                _("Enter a number of %(min)s or more.") % {"min": plain_number(question.number_min)}
            )
        if question.number_max is not None and number > question.number_max:
            raise ValidationError(
                _("Enter a number of %(max)s or less.") % {"max": plain_number(question.number_max)}
            )
        if number != number.quantize(Decimal("0.01")):
            raise ValidationError(_("Enter a number with no more than 2 decimal places."))
        return number
    if question.has_options:
        options = list(value)
        ids = {option.pk for option in question.options.all()}
        if any(option.pk not in ids for option in options) or len({o.pk for o in options}) != len(options):
            raise ValidationError(_("Choose from the options given."))
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.SCALE) and len(options) > 1:
            raise ValidationError(_("Choose one option."))
        if question.max_choices and len(options) > question.max_choices:
            raise ValidationError(_("Choose no more than %(max)d options.") % {"max": question.max_choices})
        return options
    if kind == QuestionKind.MAP_POINT:
        text = (value.get("text") or "").strip()
        if question.max_length and len(text) > question.max_length:
            raise ValidationError(
                _("The description must be %(max)d characters or fewer.") % {"max": question.max_length}
            )
        latitude, longitude = value.get("latitude"), value.get("longitude")
        if (latitude is None) != (longitude is None):
            raise ValidationError(_("Enter both the latitude and the longitude."))
        if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValidationError(
                _("Enter a latitude between -90 and 90 and a longitude between -180 and 180.")
            )
        return {"latitude": latitude, "longitude": longitude, "text": text}
    if kind == QuestionKind.FILE:
        validate_evidence(value)
        return value
    raise ValidationError(_("This kind of question cannot be answered."))  # pragma: no cover


def plain_number(number: Decimal) -> str:
    """12.50 as "12.5", 365.00 as "365"."""
    return f"{number.normalize():f}"


def _write_answer(response: Response, question: Question, value) -> None:
    answer = Answer.objects.filter(response=response, question=question).first()
    if question.kind == QuestionKind.FILE:
        if value is None:
            return  # nothing new uploaded: keep any file sent before
        answer = answer or Answer(response=response, question=question)
        answer.file = value
        answer.save()
        return
    if is_empty(question, value):
        if answer is not None:
            answer.delete()
        return
    answer = answer or Answer(response=response, question=question)
    answer.text, answer.number, answer.latitude, answer.longitude = "", None, None, None
    if question.kind == QuestionKind.NUMBER:
        answer.number = value
    elif question.kind == QuestionKind.MAP_POINT:
        answer.latitude, answer.longitude, answer.text = value["latitude"], value["longitude"], value["text"]
    elif not question.has_options:
        answer.text = value
    answer.full_clean(exclude=["response", "question", "file"], validate_constraints=False)
    answer.save()
    if question.has_options:
        answer.picked.all().delete()
        ranked = question.kind == QuestionKind.RANKING
        Choice.objects.bulk_create(
            Choice(answer=answer, option=option, rank=position if ranked else None)
            for position, option in enumerate(value, start=1)
        )


def save_answers(*, response: Response, section: Section, values: dict[Question, object]) -> Response:
    """Save the answers given on one page (a question left empty has its earlier answer removed)."""
    consultation = response.consultation
    _require_open(consultation)
    if section.consultation_id != consultation.pk:
        raise ValidationError(_("That page is not part of this survey."))
    errors = {}
    cleaned = {}
    for question, value in values.items():
        if question.section_id != section.pk:
            raise ValidationError(_("That question is not on this page."))
        try:
            cleaned[question] = validate_value(question, value)
        except ValidationError as error:
            errors[f"q{question.pk}"] = error.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.is_submitted:
            raise AlreadyResponded(_("This response has already been sent."))
        for question, value in cleaned.items():
            _write_answer(locked, question, value)
        locked.current_section = section
        locked.save(update_fields=["current_section", "updated_at"])
    response.current_section = section
    return response


# ---------------------------------------------------------------------------------------------- save and return


def issue_resume_token(*, response: Response) -> str:
    """A new secret for the return link (any earlier one stops working). Only its hash is stored."""
    if response.is_submitted:
        raise AlreadyResponded(_("This response has already been sent."))
    token = secrets.token_urlsafe(24)
    response.resume_token_hash = selectors.hash_token(token)
    response.save(update_fields=["resume_token_hash", "updated_at"])
    return token


def email_return_link(*, consultation: Consultation, email: str, link: str) -> None:
    """Send the return link to ``email`` (the address is not stored)."""
    closes = timezone.localtime(consultation.closes_at).strftime("%-d %B %Y at %H:%M")
    body = _(
        "You saved your response to “%(title)s” so you can finish it later.\n\n"
        "Use this link to carry on where you left off:\n%(link)s\n\n"
        "Anyone with this link can see and change your answers, so do not share it.\n"
        "The consultation closes on %(closes)s. Your response is only sent to the council when you "
        "press “Send your response” at the end.\n\n%(service)s"
    ) % {"title": consultation.title, "link": link, "closes": closes, "service": settings.SERVICE_NAME}
    send_mail(
        _("Your saved response: %(title)s") % {"title": consultation.title},
        body,
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )


# ---------------------------------------------------------------------------------------------- submitting


def missing_required(response: Response, sections: list[Section]) -> list[Question]:
    """Required questions without an answer in the sections shown to this person."""
    picked = selectors.chosen_options(response)
    answered = selectors.answers_by_question(response)
    missing = []
    for section in selectors.visible_sections(sections, picked):
        for question in section.questions.all():
            answer = answered.get(question.pk)
            if question.required and (answer is None or not _has_content(question, answer)):
                missing.append(question)
    return missing


def _has_content(question: Question, answer: Answer) -> bool:
    if question.has_options:
        return answer.picked.exists()
    if question.kind == QuestionKind.FILE:
        return bool(answer.file)
    if question.kind == QuestionKind.NUMBER:
        return answer.number is not None
    if question.kind == QuestionKind.MAP_POINT:
        return answer.latitude is not None or bool(answer.text)
    return bool(answer.text)


def submit(*, response: Response, user=None, organisation=None, request=None) -> Response:
    """Send the response. Idempotent: a response already sent is returned as it is."""
    consultation = response.consultation
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.is_submitted:
            return locked
        _require_open(consultation)
        sections = selectors.survey(consultation)
        missing = missing_required(locked, sections)
        if missing:
            raise ValidationError(
                {f"q{question.pk}": _("Answer “%(text)s”.") % {"text": question.text} for question in missing}
            )
        if organisation is not None:
            from localpower.accounts import roles
            from localpower.accounts.models import RoleKind

            if (
                consultation.anonymity != Anonymity.IDENTIFIED
                or user is None
                or organisation.pk
                not in roles.organisation_ids(user, (RoleKind.ORGANISATION_MEMBER, RoleKind.ADMINISTRATOR))
            ):
                raise ValidationError(
                    {"organisation": _("You can only respond for an organisation you belong to.")}
                )
        picked = selectors.chosen_options(locked)
        shown = {section.pk for section in selectors.visible_sections(sections, picked)}
        hidden_questions = [q.pk for s in sections if s.pk not in shown for q in s.questions.all()]
        Answer.objects.filter(response=locked, question_id__in=hidden_questions).delete()
        now = timezone.now()
        locked.status = ResponseStatus.SUBMITTED
        locked.submitted_at = now
        locked.resume_token_hash = ""
        locked.current_section = None
        locked.organisation = organisation
        if (
            consultation.anonymity == Anonymity.IDENTIFIED
            and user is not None
            and locked.respondent_id is None
            and not Response.objects.filter(consultation=consultation, respondent=user).exists()
        ):
            # Started without signing in (or from a return link), sent signed in: it is theirs.
            locked.respondent = user
        locked.save()
        anonymous = consultation.anonymity == Anonymity.ANONYMOUS
        if anonymous:
            # Cut the link to the person; keep only the day they took part, so times cannot be matched.
            day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
            Participation.objects.filter(draft=locked).update(draft=None, submitted_at=day)
        audit.record(
            actor=None if anonymous else user,
            action="consultations.response_submitted",
            target=consultation,
            summary="A response was sent" if anonymous else f"Response {locked.reference} was sent",
            request=None if anonymous else request,
        )
    return locked


def option_by_id(question: Question, option_id) -> Option | None:
    for option in question.options.all():
        if str(option.pk) == str(option_id):
            return option
    return None
