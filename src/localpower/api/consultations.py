"""Consultations in the JSON API: the list, one consultation with its survey, the summary of the answers and
the council's "You said, we did" response, and (for the area's staff) every sent response as CSV.

Drafts are never listed. The summary is public once the council has responded; before that only those who may
read the responses (a personal API token or a signed-in session) get it. Nothing here shows what a person wrote
or who responded, apart from the staff's CSV download, which follows the consultation's anonymity setting.
"""

from __future__ import annotations

import datetime
import re

from django.http import StreamingHttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from localpower.api.auth import signed_in, token_auth
from localpower.api.consultations_schemas import (
    ConsultationDetail,
    ConsultationPage,
    ConsultationSummary,
    OutcomeOut,
    SummaryOut,
)
from localpower.api.errors import ApiError
from localpower.api.pagination import paginate
from localpower.api.schemas import ErrorOut
from localpower.consultations.models import Consultation, ConsultationKind, ConsultationState, Status

router = Router(tags=["Consultations"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
ERRORS = {404: ErrorOut, 422: ErrorOut}
NO_CONSULTATION = "There is no consultation with that identifier. List them at /api/v1/consultations."


def find_consultation(slug: str) -> Consultation:
    """A published consultation by slug (withdrawn ones too: they keep their address), or a 404."""
    consultation = None
    if SLUG.fullmatch(slug):
        consultation = (
            Consultation.objects.exclude(state=ConsultationState.DRAFT)
            .select_related("area", "outcome")
            .filter(slug=slug)
            .first()
        )
    if consultation is None:
        raise ApiError(404, NO_CONSULTATION)
    return consultation


def _caller(request):
    """Whoever is calling, if anyone: by a personal API token (a wrong one is refused), or the session."""
    if request.headers.get("Authorization"):
        user = token_auth(request)
        if user is not None:
            return user
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class ConsultationFilters(Schema):
    area: str | None = Field(
        None, max_length=120, description="Only consultations of this area or areas inside it (its slug)."
    )
    status: Status | None = Field(None, description="Only consultations in this status now.")
    kind: ConsultationKind | None = Field(None, description="consultation or call_for_evidence.")
    page: int = Field(1, ge=1, le=100_000, description="Which page, starting at 1.")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="How many on a page.")


@router.get(
    "/consultations",
    response={200: ConsultationPage, **ERRORS},
    url_name="consultations",
    operation_id="listConsultations",
    summary="List consultations and calls for evidence",
)
def list_consultations(request, filters: Query[ConsultationFilters]):
    """Published consultations, latest opening first. Filter by `area` (slug; includes areas inside it),
    `status` (upcoming, open, closed, responded, withdrawn) and `kind`."""
    from localpower.api.areas import find_area
    from localpower.places.selectors import descendant_ids

    consultations = Consultation.objects.exclude(state=ConsultationState.DRAFT).select_related(
        "area", "outcome"
    )
    if filters.area:
        consultations = consultations.filter(area_id__in=descendant_ids(find_area(filters.area)))
    if filters.kind:
        consultations = consultations.filter(kind=filters.kind)
    if filters.status == Status.DRAFT:
        raise ApiError(
            422,
            "Drafts are not public. Choose upcoming, open, closed, responded or withdrawn.",
            details=[{"location": "query", "field": "status", "message": "drafts are not listed"}],
        )
    # The status comes from the dates and the council's response, so it is worked out here.
    found = [(c, c.status) for c in consultations.order_by("-opens_at", "title")]
    if filters.status:
        found = [(c, status) for c, status in found if status == filters.status]
    return paginate(
        request,
        found,
        page=filters.page,
        page_size=filters.page_size,
        build=lambda pair: ConsultationSummary.build(request, pair[0], status=pair[1]),
    )


def _document_url(request, consultation, document) -> str:
    if not document.file:
        return document.url
    return request.build_absolute_uri(
        reverse("consultations:document", args=[consultation.slug, document.pk])
    )


def _number(value) -> str | None:
    return None if value is None else f"{value.normalize():f}"


@router.get(
    "/consultations/{slug}",
    response={200: ConsultationDetail, **ERRORS},
    url_name="consultation",
    operation_id="getConsultation",
    summary="One consultation, with its documents and survey",
)
def get_consultation(request, slug: str):
    """The consultation's description, documents, and survey: sections (with the answer that shows a
    conditional section), questions and their options."""
    from localpower.consultations.models import Section

    consultation = find_consultation(slug)
    sections = (
        Section.objects.filter(consultation=consultation)
        .prefetch_related("questions__options", "condition_options")
        .order_by("order", "id")
    )
    return {
        **ConsultationSummary.build(request, consultation),
        "description": consultation.description,
        "documents": [
            {"title": d.title, "url": _document_url(request, consultation, d)}
            for d in consultation.documents.all()
        ],
        "sections": [
            {
                "id": section.pk,
                "title": section.title,
                "description": section.description,
                "shown_when": {
                    "question": section.condition_question_id,
                    "options": sorted(o.pk for o in section.condition_options.all()),
                }
                if section.condition_question_id
                else None,
                "questions": [
                    {
                        "id": q.pk,
                        "kind": q.kind,
                        "text": q.text,
                        "hint": q.hint,
                        "required": q.required,
                        "options": [{"id": o.pk, "text": o.text} for o in q.options.all()],
                        "max_choices": q.max_choices,
                        "number_min": _number(q.number_min),
                        "number_max": _number(q.number_max),
                        "max_length": q.max_length,
                    }
                    for q in section.questions.all()
                ],
            }
            for section in sections
        ],
    }


class SummaryFilters(Schema):
    option: int | None = Field(
        None,
        ge=1,
        le=2**62,
        description="Staff only: count only the responses that picked this option (an id from the survey).",
    )
    since: datetime.date | None = Field(None, description="Staff only: responses sent on or after this date.")
    until: datetime.date | None = Field(
        None, description="Staff only: responses sent on or before this date."
    )


def _filters(consultation: Consultation, wanted: SummaryFilters, *, staff: bool):
    from localpower.consultations.models import Option
    from localpower.consultations.selectors_results import ResultFilters

    if not (wanted.option or wanted.since or wanted.until):
        return None
    if not staff:
        # Narrowing the public figures to a few people could reveal what one person answered.
        raise ApiError(
            403,
            "Only staff for the area may filter the summary. Send a personal API token, or leave out "
            "option, since and until.",
        )
    option = None
    if wanted.option is not None:
        option = Option.objects.filter(pk=wanted.option, question__section__consultation=consultation).first()
        if option is None:
            raise ApiError(
                422,
                "That option is not in this consultation's survey.",
                details=[
                    {"location": "query", "field": "option", "message": "is not an option of this survey"}
                ],
            )
    if wanted.since and wanted.until and wanted.until < wanted.since:
        raise ApiError(
            422,
            "until must be on or after since.",
            details=[{"location": "query", "field": "until", "message": "is before since"}],
        )
    return ResultFilters(option=option, since=wanted.since, until=wanted.until)


@router.get(
    "/consultations/{slug}/summary",
    response={200: SummaryOut, 401: ErrorOut, 403: ErrorOut, **ERRORS},
    url_name="consultation-summary",
    operation_id="getConsultationSummary",
    summary="The summary of the answers",
)
def get_summary(request, slug: str, wanted: Query[SummaryFilters]):
    """Counts and shares per question, of the people who were asked it.

    Public once the council has published its response (choice, scale, ranking and number questions).
    Before that, and for every kind of question, send a personal API token of an officer or councillor
    for the area. Staff may also narrow the figures to the people who picked an `option`, and to responses
    sent between `since` and `until`.
    """
    from localpower.consultations.selectors_results import summarise

    consultation = find_consultation(slug)
    user = _caller(request)
    staff = user is not None and user.has_perm("consultations.view_responses", consultation)
    if not staff and consultation.status != Status.RESPONDED:
        raise ApiError(
            404, "The summary is published with the council's response, after the consultation has closed."
        )
    summary = summarise(consultation, _filters(consultation, wanted, staff=staff), public=not staff)
    return {
        "consultation": ConsultationSummary.build(request, consultation),
        "responses": summary.total,
        "questions": [_question_result(item) for item in summary.questions],
    }


def _question_result(item) -> dict:
    rows = []
    for row in item.rows:
        extra = row.extra
        rows.append(
            {
                "label": row.label,
                "count": row.count,
                "percent": row.percent,
                "first_choices": extra.get("first"),
                "mean_rank": extra.get("mean_rank"),
                "points": extra.get("points"),
            }
        )
    stats = {k: v for k, v in item.stats.items() if k not in {"upper_text", "lower_text"}}
    return {
        "id": item.question.pk,
        "kind": item.question.kind,
        "text": item.question.text,
        "section": item.question.section.title,
        "shown": item.shown,
        "answered": item.answered,
        "rows": rows,
        "statistics": stats,
    }


@router.get(
    "/consultations/{slug}/outcome",
    response={200: OutcomeOut, **ERRORS},
    url_name="consultation-outcome",
    operation_id="getConsultationOutcome",
    summary="You said, we did: the council's response",
)
def get_outcome(request, slug: str):
    """What people said, what the council did, and the decision it led to (once published)."""
    consultation = find_consultation(slug)
    outcome = getattr(consultation, "outcome", None)
    if outcome is None or outcome.published_at is None:
        raise ApiError(404, "The council has not published its response to this consultation yet.")
    return {
        "consultation": ConsultationSummary.build(request, consultation),
        **{
            name: getattr(outcome, name)
            for name in (
                "you_said",
                "we_did",
                "decision_title",
                "decision_url",
                "decided_by",
                "decision_date",
                "published_at",
                "updated_at",
            )
        },
    }


@router.get(
    "/consultations/{slug}/responses.csv",
    response={401: ErrorOut, 403: ErrorOut, **ERRORS},
    auth=signed_in,
    url_name="consultation-responses-csv",
    operation_id="exportConsultationResponses",
    summary="Every sent response as CSV (staff)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "One row per sent response, one column per question; names and e-mail "
                "addresses only for identified consultations.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def export_responses(request, slug: str):
    """For officers and administrators for the consultation's area (the file may hold names and e-mail
    addresses, so councillors read the summary instead). Each download is recorded in the audit log."""
    from django.core.exceptions import PermissionDenied

    from localpower.consultations import exports
    from localpower.consultations.services.results import record_export

    consultation = find_consultation(slug)
    try:
        record_export(actor=request.auth, consultation=consultation, file_format="csv", request=request)
    except PermissionDenied as error:
        raise ApiError(403, str(error)) from None
    response = StreamingHttpResponse(exports.csv_chunks(consultation), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(consultation, "csv")}"'
    response["Cache-Control"] = "private, no-store"
    return response
