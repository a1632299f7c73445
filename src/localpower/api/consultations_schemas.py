"""Shapes of the consultations answers of the API (they appear in the OpenAPI description)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from ninja import Field, Schema

from localpower.api.budgets_schemas import web_url
from localpower.api.schemas import AreaSummary
from localpower.consultations.models import (
    Anonymity,
    Audience,
    ConsultationKind,
    QuestionKind,
    Status,
)


class ConsultationSummary(Schema):
    slug: str = Field(description="The consultation's identifier in web addresses.")
    title: str
    summary: str
    kind: ConsultationKind = Field(description="consultation or call_for_evidence.")
    kind_label: str
    area: AreaSummary
    run_by: str = Field(description="The committee, council or team running it (may be empty).")
    status: Status = Field(
        description="upcoming, open, closed or responded (closed, and the council has published its response)."
    )
    status_label: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    audience: Audience = Field(description="Who can respond.")
    anonymity: Anonymity = Field(description="identified: officers see who responded; anonymous: never.")
    url: str = Field(description="This consultation in the API.")
    web_url: str | None = Field(description="This consultation's page on the website.")
    summary_url: str | None = Field(
        description="The summary of the answers in the API, once the council has responded."
    )

    @staticmethod
    def build(request, consultation, *, status=None) -> dict:
        status = status or consultation.status
        slug = consultation.slug
        return {
            "slug": slug,
            "title": consultation.title,
            "summary": consultation.summary,
            "kind": consultation.kind,
            "kind_label": str(ConsultationKind(consultation.kind).label),
            "area": AreaSummary.build(request, consultation.area),
            "run_by": consultation.run_by,
            "status": status,
            "status_label": str(Status(status).label),
            "opens_at": consultation.opens_at,
            "closes_at": consultation.closes_at,
            "audience": consultation.audience,
            "anonymity": consultation.anonymity,
            "url": request.build_absolute_uri(reverse("api:consultation", kwargs={"slug": slug})),
            "web_url": web_url(request, "consultations:detail", slug=slug),
            "summary_url": request.build_absolute_uri(
                reverse("api:consultation-summary", kwargs={"slug": slug})
            )
            if status == Status.RESPONDED
            else None,
        }


class ConsultationPage(Schema):
    count: int = Field(description="How many consultations match, on all pages.")
    page: int
    page_size: int
    pages: int
    next: str | None
    previous: str | None
    items: list[ConsultationSummary]


class DocumentOut(Schema):
    title: str
    url: str = Field(description="The document: an uploaded file on this site, or a link elsewhere.")


class OptionOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    kind: QuestionKind
    text: str
    hint: str
    required: bool
    options: list[OptionOut] = Field(description="For choice, scale (in order) and ranking questions.")
    max_choices: int | None = Field(description="The most options a 'choose any' or ranking answer may pick.")
    number_min: str | None
    number_max: str | None
    max_length: int | None = Field(description="The most characters a text answer may have.")


class ConditionOut(Schema):
    question: int = Field(description="The id of the earlier choice question.")
    options: list[int] = Field(
        description="The section is shown when the answer picked one of these options."
    )


class SectionOut(Schema):
    id: int
    title: str
    description: str
    shown_when: ConditionOut | None = Field(description="null when everyone sees the section.")
    questions: list[QuestionOut]


class ConsultationDetail(ConsultationSummary):
    description: str
    documents: list[DocumentOut]
    sections: list[SectionOut]


class ResultRow(Schema):
    label: str = Field(description="An option, a ward, or a range of numbers.")
    count: int
    percent: float = Field(description="Share of the people who were asked the question (0-100).")
    first_choices: int | None = Field(None, description="Ranking questions: how many put it first.")
    mean_rank: float | None = Field(None, description="Ranking questions: its average place (1 = first).")
    points: int | None = Field(
        None, description="Ranking questions: n points for a first place of n options, n-1 for second, ..."
    )


class QuestionResult(Schema):
    id: int
    kind: QuestionKind
    text: str
    section: str
    shown: int = Field(description="Sent responses that were asked the question (conditional sections).")
    answered: int
    rows: list[ResultRow]
    statistics: dict = Field(
        description="Scale: mean (1 = first point) and net (upper half minus lower half, in points of "
        "percent); number: count, mean, median, min, max and bins."
    )


class SummaryOut(Schema):
    consultation: ConsultationSummary
    responses: int = Field(description="Sent responses counted.")
    questions: list[QuestionResult] = Field(
        description="The public sees choice, scale, ranking and number questions only; staff see every "
        "question's counts (never the text people wrote)."
    )


class OutcomeOut(Schema):
    consultation: ConsultationSummary
    you_said: str
    we_did: str
    decision_title: str
    decision_url: str
    decided_by: str
    decision_date: datetime.date | None
    published_at: datetime.datetime
    updated_at: datetime.datetime
