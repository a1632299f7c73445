"""Test data for consultations: a consultation with a given status, a survey with every kind of question, and
responses."""

from __future__ import annotations

import datetime
import itertools
import secrets
from decimal import Decimal

from django.utils import timezone

from localpower.consultations.models import (
    Answer,
    Audience,
    Choice,
    Consultation,
    ConsultationState,
    Option,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    Section,
)

_numbers = itertools.count(1)
DAY = datetime.timedelta(days=1)


def dates_for(status: str, *, now: datetime.datetime | None = None) -> dict[str, datetime.datetime]:
    """Opening and closing dates that give ``status`` now ("upcoming", "open" or "closed")."""
    now = now or timezone.now()
    if status == "upcoming":
        return {"opens_at": now + DAY, "closes_at": now + 30 * DAY}
    if status == "closed":
        return {"opens_at": now - 30 * DAY, "closes_at": now - DAY}
    return {"opens_at": now - DAY, "closes_at": now + 30 * DAY}


def make_consultation(area, status: str = "open", **fields) -> Consultation:
    """A consultation of ``area``: "draft", "upcoming", "open" or "closed" (published unless a draft)."""
    n = next(_numbers)
    values = {
        "title": f"Consultation {n}",
        "slug": f"consultation-{n}",
        "summary": "Tell us what you think.",
        "audience": Audience.EVERYONE,
        "state": ConsultationState.DRAFT if status == "draft" else ConsultationState.PUBLISHED,
        "published_at": None if status == "draft" else timezone.now() - 31 * DAY,
        **dates_for("open" if status == "draft" else status),
    }
    values.update(fields)
    consultation = Consultation(area=area, **values)
    consultation.full_clean()
    consultation.save()
    return consultation


def add_question(section: Section, kind: str, text: str, *, options=(), **fields) -> Question:
    order = section.questions.count() + 1
    question = Question.objects.create(section=section, kind=kind, text=text, order=order, **fields)
    for i, option in enumerate(options, start=1):
        Option.objects.create(question=question, text=option, order=i)
    return question


def make_survey(consultation: Consultation) -> dict[str, Question]:
    """Two sections with one question of every kind; the second is shown only to people who use the library.

    Keys: use (single choice: "Yes"/"No", required), why (long text), name (short text), rating (scale of
    five), services (multiple choice, at most 2), order (ranking of three), visits (number 0-365), postcode,
    evidence (file), where (map point).
    """
    about = Section.objects.create(consultation=consultation, title="About you", order=1)
    library = Section.objects.create(consultation=consultation, title="Using the library", order=2)
    q = {
        "use": add_question(
            about, QuestionKind.SINGLE_CHOICE, "Do you use the library?", options=["Yes", "No"], required=True
        ),
        "name": add_question(
            about, QuestionKind.SHORT_TEXT, "Which group do you belong to, if any?", max_length=200
        ),
        "postcode": add_question(about, QuestionKind.POSTCODE, "What is your postcode?"),
        "why": add_question(about, QuestionKind.LONG_TEXT, "What would you change?", max_length=5000),
        "rating": add_question(
            library,
            QuestionKind.SCALE,
            "How good are the opening hours?",
            options=["Very poor", "Poor", "Neither good nor poor", "Good", "Very good"],
        ),
        "services": add_question(
            library,
            QuestionKind.MULTIPLE_CHOICE,
            "Which services do you use?",
            options=["Books", "Computers", "Children's activities", "Study space"],
            max_choices=2,
        ),
        "order": add_question(
            library,
            QuestionKind.RANKING,
            "Put these in order of importance",
            options=["Longer hours", "More books", "Better building"],
        ),
        "visits": add_question(
            library,
            QuestionKind.NUMBER,
            "How many times did you visit last year?",
            number_min=Decimal("0"),
            number_max=Decimal("365"),
        ),
        "evidence": add_question(library, QuestionKind.FILE, "Upload any evidence you want us to see"),
        "where": add_question(library, QuestionKind.MAP_POINT, "Where should a new library be?"),
    }
    library.condition_question = q["use"]
    library.save()
    library.condition_options.set(q["use"].options.filter(text="Yes"))
    return q


def make_response(
    consultation: Consultation,
    answers: dict[Question, object] | None = None,
    *,
    respondent=None,
    submitted=True,
) -> Response:
    """A response with ``answers``: text or a number or a postcode as the value; for choice questions a list of
    option texts (in rank order for ranking questions); for a map point a (latitude, longitude) pair."""
    response = Response.objects.create(
        consultation=consultation,
        respondent=respondent,
        reference=f"T{secrets.token_hex(5).upper()}",
        status=ResponseStatus.SUBMITTED if submitted else ResponseStatus.DRAFT,
        submitted_at=timezone.now() if submitted else None,
    )
    for question, value in (answers or {}).items():
        answer = Answer(response=response, question=question)
        if question.has_options:
            answer.save()
            for rank, text in enumerate(value, start=1):
                Choice.objects.create(
                    answer=answer,
                    option=question.options.get(text=text),
                    rank=rank if question.kind == QuestionKind.RANKING else None,
                )
            continue
        if question.kind == QuestionKind.NUMBER:
            answer.number = Decimal(str(value))
        elif question.kind == QuestionKind.MAP_POINT:
            answer.latitude, answer.longitude = (Decimal(str(v)) for v in value)
        else:
            answer.text = str(value)
        answer.save()
    return response
