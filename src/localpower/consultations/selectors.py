"""Reads for consultations: what the public and staff see, the survey's visible sections, a person's response."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from localpower.accounts import roles
from localpower.accounts.models import RoleKind
from localpower.consultations.models import (
    Answer,
    Consultation,
    ConsultationState,
    Option,
    Participation,
    Question,
    Response,
    ResponseStatus,
    Section,
)
from localpower.places.models import Area

STAFF_KINDS = [RoleKind.OFFICER, RoleKind.ADMINISTRATOR]


def public_consultations() -> QuerySet[Consultation]:
    """Published consultations (not drafts, not withdrawn), with their area and any outcome."""
    return Consultation.objects.filter(state=ConsultationState.PUBLISHED).select_related("area", "outcome")


def open_consultations(now=None) -> QuerySet[Consultation]:
    now = now or timezone.now()
    return public_consultations().filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "title")


def listing(*, area: Area | None = None, kind: str = "", now=None) -> dict[str, list[Consultation]]:
    """Public consultations in three groups: ``open`` (closing soonest first), ``upcoming`` (opening soonest
    first) and ``closed`` (most recently closed first). ``area`` includes the areas inside it."""
    now = now or timezone.now()
    query = public_consultations()
    if area is not None:
        from localpower.places.selectors import descendant_ids

        query = query.filter(area_id__in=descendant_ids(area))
    if kind:
        query = query.filter(kind=kind)
    return {
        "open": list(query.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "title")),
        "upcoming": list(query.filter(opens_at__gt=now).order_by("opens_at", "title")),
        "closed": list(query.filter(closes_at__lte=now).order_by("-closes_at", "title")),
    }


def staff_areas(user) -> QuerySet[Area]:
    """Areas where ``user`` may run consultations: where they are an officer or administrator, and inside."""
    if user.is_active and user.is_superuser:
        return Area.objects.order_by("name")
    return Area.objects.filter(pk__in=roles.covered_area_ids(user, STAFF_KINDS)).order_by("name")


def managed_consultations(user) -> QuerySet[Consultation]:
    query = (
        Consultation.objects.select_related("area", "outcome")
        .annotate(sent=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED)))
        .order_by("-opens_at", "title")
    )
    if user.is_active and user.is_superuser:
        return query
    return query.filter(area_id__in=roles.covered_area_ids(user, STAFF_KINDS))


def survey(consultation: Consultation) -> list[Section]:
    """The sections in order, each with its questions and their options prefetched."""
    questions = Question.objects.order_by("order", "id").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("order", "id"))
    )
    return list(
        consultation.sections.order_by("order", "id")
        .select_related("condition_question")
        .prefetch_related(Prefetch("questions", queryset=questions), "condition_options")
    )


def has_responses(consultation: Consultation) -> bool:
    """Whether anyone has started or sent a response: from then on the survey's structure is frozen."""
    return Response.objects.filter(consultation=consultation).exists()


def submitted_count(consultation: Consultation) -> int:
    return Response.objects.filter(consultation=consultation, status=ResponseStatus.SUBMITTED).count()


def chosen_options(response: Response | None) -> dict[int, set[int]]:
    """For each answered choice question of ``response``: the ids of the options picked."""
    if response is None or response.pk is None:
        return {}
    picked: dict[int, set[int]] = {}
    rows = Answer.objects.filter(response=response).values_list("question_id", "picked__option_id")
    for question_id, option_id in rows:
        if option_id is not None:
            picked.setdefault(question_id, set()).add(option_id)
    return picked


def is_shown(section: Section, picked: dict[int, set[int]]) -> bool:
    """Whether ``section`` is shown to someone who picked ``picked`` (question id -> option ids)."""
    if section.condition_question_id is None:
        return True
    wanted = {option.pk for option in section.condition_options.all()}
    return bool(wanted & picked.get(section.condition_question_id, set()))


def visible_sections(sections: Iterable[Section], picked: dict[int, set[int]]) -> list[Section]:
    return [section for section in sections if is_shown(section, picked)]


def answers_by_question(response: Response | None) -> dict[int, Answer]:
    if response is None or response.pk is None:
        return {}
    answers = Answer.objects.filter(response=response).prefetch_related("picked__option")
    return {answer.question_id: answer for answer in answers}


def response_of(user, consultation: Consultation) -> Response | None:
    """The signed-in person's response (draft or sent) in an identified consultation; their draft in an
    anonymous one (a sent anonymous response cannot be found from the person)."""
    if not getattr(user, "is_authenticated", False):
        return None
    response = Response.objects.filter(consultation=consultation, respondent=user).first()
    if response is not None:
        return response
    participation = (
        Participation.objects.filter(consultation=consultation, user=user).select_related("draft").first()
    )
    return participation.draft if participation is not None else None


def has_taken_part(user, consultation: Consultation) -> bool:
    """Whether the signed-in person has already sent a response."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        Response.objects.filter(
            consultation=consultation, respondent=user, status=ResponseStatus.SUBMITTED
        ).exists()
        or Participation.objects.filter(
            consultation=consultation, user=user, submitted_at__isnull=False
        ).exists()
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def draft_for_token(consultation: Consultation, token: str) -> Response | None:
    if not token:
        return None
    return Response.objects.filter(
        consultation=consultation, resume_token_hash=hash_token(token), status=ResponseStatus.DRAFT
    ).first()


def consultations_in(area_ids: Iterable[int]) -> QuerySet[Consultation]:
    return public_consultations().filter(Q(area_id__in=list(area_ids)))
