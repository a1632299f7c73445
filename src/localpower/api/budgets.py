"""Participatory budgets: processes, their projects, voting, receipts, results and the anonymised exports.

Reads go through ``localpower.budgets.selectors``; the ballot goes through ``cast_ballot``, which checks who may
vote and the ballot's rules itself. Its refusals keep their plain-English message and get a stable code:
``forbidden`` (403: voting not open, not a resident, ...), ``already_voted`` (409: the budget does not allow
changes, or the person voted on paper) and ``validation_error`` (422: the ballot breaks the rules).
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from localpower.api.auth import signed_in
from localpower.api.budgets_schemas import (
    BallotIn,
    PageOf,
    ProcessDetail,
    ProcessSummary,
    ProjectOut,
    ReceiptOut,
    ReceiptStatusOut,
    ResultOut,
)
from localpower.api.errors import ApiError
from localpower.api.pagination import paginate
from localpower.api.schemas import ErrorOut
from localpower.budgets.models import (
    Ballot,
    BallotKind,
    Completion,
    OutcomeRule,
    Phase,
    Process,
    ProcessState,
)

router = Router(tags=["Budgets"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
RECEIPT = re.compile(r"[A-Za-z0-9 -]{4,60}")
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,200}")  # visible ASCII, as HTTP header values are
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

ERRORS = {404: ErrorOut, 422: ErrorOut}
NO_PROCESS = "There is no budget with that identifier. List the budgets at /api/v1/budgets."
NO_RESULTS = "No results have been published for this budget yet."

# The body field each ballot kind reads.
BALLOT_FIELD = {
    BallotKind.APPROVAL: "projects",
    BallotKind.K_APPROVAL: "projects",
    BallotKind.KNAPSACK: "projects",
    BallotKind.CUMULATIVE: "points",
    BallotKind.RANKED: "ranking",
}


def find_process(slug: str) -> Process:
    """A public budget (not a draft) by slug, or a 404."""
    from localpower.budgets.selectors import public_processes

    process = None
    if SLUG.fullmatch(slug):
        process = public_processes().filter(slug=slug).first()
    if process is None:
        raise ApiError(404, NO_PROCESS)
    return process


def find_process_to_vote(slug: str) -> Process:
    """``find_process`` for the ballot endpoint, the busiest write: the same public budget, read fresh.

    One plain query (the ORM's query building costs several times the database's work here), without the area:
    casting a ballot loads it only when it needs more than its id. The state is read on every request, so a
    pause or a cancellation applies to the next ballot.
    """
    from localpower.budgets.services._base import select

    process = None
    if SLUG.fullmatch(slug):
        found = select(Process, "slug = %s AND state <> %s", [slug, ProcessState.DRAFT.value])
        process = found[0] if found else None
    if process is None:
        raise ApiError(404, NO_PROCESS)
    return process


class BudgetFilters(Schema):
    area: str | None = Field(None, max_length=120, description="Only budgets of this area (its slug).")
    phase: Phase | None = Field(None, description="Only budgets in this phase now.")
    page: int = Field(1, ge=1, le=100_000, description="Which page, starting at 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="How many budgets on a page."
    )


@router.get(
    "/budgets",
    response={200: PageOf, **ERRORS},
    url_name="budgets",
    operation_id="listBudgets",
    summary="List participatory budgets",
)
def list_budgets(request, filters: Query[BudgetFilters]):
    """Budgets the public can see, latest voting first. Filter by `area` (slug) and `phase`, such as `voting`."""
    from localpower.api.areas import find_area
    from localpower.budgets.selectors import public_processes

    processes = public_processes(find_area(filters.area) if filters.area else None)
    # The phase comes from the dates and the council's decisions, so it is worked out here, not in the query.
    found = [(p, p.phase) for p in processes]
    if filters.phase:
        found = [(p, phase) for p, phase in found if phase == filters.phase]
    return paginate(
        request,
        found,
        page=filters.page,
        page_size=filters.page_size,
        build=lambda pair: ProcessSummary.build(request, pair[0], phase=pair[1]),
    )


@router.get(
    "/budgets/receipts/{code}",
    response={200: ReceiptStatusOut, **ERRORS},
    url_name="budget-receipt",
    operation_id="checkBudgetReceipt",
    summary="Check a ballot receipt",
)
def check_receipt(request, code: str):
    """Whether the ballot with this receipt code is counted, or was replaced by the voter's later ballot.

    Spaces, dashes and letter case in `code` do not matter. The answer never says who voted.
    """
    from localpower.budgets.services.voting import normalise_receipt

    ballot = None
    if RECEIPT.fullmatch(code):
        ballot = (
            Ballot.objects.select_related("process__area")
            .filter(receipt=normalise_receipt(code))
            .only("receipt", "superseded_on", "process")
            .first()
        )
    if ballot is None:
        raise ApiError(
            404,
            "No ballot has this receipt code. Check you typed it as shown, such as ABCD-EFGH-JKLM.",
        )
    counted = ballot.superseded_on is None
    return {
        "receipt": ballot.receipt,
        "status": "counted" if counted else "replaced",
        "counted": counted,
        "budget": ProcessSummary.build(request, ballot.process),
    }


@router.get(
    "/budgets/{slug}",
    response={200: ProcessDetail, **ERRORS},
    url_name="budget",
    operation_id="getBudget",
    summary="One budget, with its ballot rules and projects",
)
def get_budget(request, slug: str):
    """A budget's timetable, ballot rules, outcome rule and the projects on its ballot."""
    from localpower.budgets.selectors import published_result

    process = find_process(slug)
    projects = process.projects.select_related("category").order_by("pk")
    return {
        **ProcessSummary.build(request, process),
        "description": process.description,
        "ballot": {
            "kind": process.ballot_kind,
            "kind_label": str(BallotKind(process.ballot_kind).label),
            "min_choices": process.min_choices,
            "max_choices": process.max_choices,
            "max_cost": f"{process.effective_max_cost:.2f}"
            if process.ballot_kind == BallotKind.KNAPSACK
            else None,
            "points_total": process.points_total,
            "max_points_per_project": process.max_points_per_project,
            "minimum_age": process.minimum_age,
            "allow_ballot_change": process.allow_ballot_change,
        },
        "rule": process.rule,
        "rule_label": str(OutcomeRule(process.rule).label),
        "completion": process.completion or Completion.NONE,
        "projects": [ProjectOut.build(p) for p in projects],
        "results_url": request.build_absolute_uri(reverse("api:budget-results", kwargs={"slug": slug}))
        if published_result(process) is not None
        else None,
    }


def _idempotency_key(request, body: BallotIn) -> str:
    header = request.headers.get("Idempotency-Key")
    if header is not None and not IDEMPOTENCY_KEY.fullmatch(header.strip()):
        raise ApiError(
            422,
            "The Idempotency-Key header must be 1 to 200 visible characters, such as a UUID.",
            details=[{"location": "header", "field": "Idempotency-Key", "message": "is not valid"}],
        )
    header = header.strip() if header else None
    if header and body.idempotency_key and header != body.idempotency_key:
        raise ApiError(
            422,
            "The Idempotency-Key header and the idempotency_key field differ. Send one of them.",
            details=[{"location": "header", "field": "Idempotency-Key", "message": "differs from the body"}],
        )
    key = header or body.idempotency_key
    if not key:
        raise ApiError(
            422,
            "Send an Idempotency-Key header (a new random value, such as a UUID, for each ballot) so that a "
            "repeated request is not counted twice.",
            details=[{"location": "header", "field": "Idempotency-Key", "message": "is required"}],
        )
    return key


def _content(process: Process, body: BallotIn):
    wanted = BALLOT_FIELD[BallotKind(process.ballot_kind)]
    given = {name for name in BALLOT_FIELD.values() if getattr(body, name) is not None}
    if wanted not in given or given - {wanted}:
        raise ApiError(
            422,
            f"This budget's ballot is “{BallotKind(process.ballot_kind).label}”: send your choices in "
            f"`{wanted}` only.",
            details=[{"location": "body", "field": wanted, "message": "is required for this ballot kind"}],
        )
    return {wanted: getattr(body, wanted)}


def _refusal(error: ValidationError) -> ApiError:
    """The service's refusal as an API error, keeping its message."""
    if getattr(error, "code", None) == "already_voted":
        return ApiError(409, error.messages[0], code="already_voted")
    if hasattr(error, "error_dict"):
        details = [
            {"location": "body", "field": field, "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
        return ApiError(422, " ".join(d["message"] for d in details), details=details)
    return ApiError(422, " ".join(error.messages))


@router.post(
    "/budgets/{slug}/ballot",
    response={200: ReceiptOut, 201: ReceiptOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, **ERRORS},
    auth=signed_in,
    url_name="budget-ballot",
    operation_id="castBudgetBallot",
    summary="Vote, or replace your ballot",
    openapi_extra={
        "parameters": [
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "A new random value (such as a UUID) for each ballot; required unless the body "
                "has `idempotency_key`. Sending the same key again returns the first answer.",
                "schema": {"type": "string", "maxLength": 200},
            }
        ]
    },
)
def cast(request, slug: str, body: BallotIn):
    """Vote in a budget that is in its voting phase, as a verified resident of its area.

    Send the choices the ballot kind asks for: `projects` (approval, k_approval, knapsack), `points`
    (cumulative) or `ranking` (ranked), with project ids from the budget's `projects`, and `confirmed_minimum_age`
    when the budget has a minimum age. The answer is 201 with your receipt code. Voting again with a new
    key replaces your ballot if the budget allows changes (status `replaced`), otherwise it is refused (409,
    code `already_voted`). Repeating a request with the same key changes nothing and answers 200 with the
    same receipt (status `repeated`).
    """
    from localpower.budgets.services import cast_ballot

    process = find_process_to_vote(slug)
    key = _idempotency_key(request, body)
    content = _content(process, body)
    try:
        # cast_ballot writes the ballot and its audit entry in one transaction of its own.
        result = cast_ballot(
            actor=request.auth,
            process=process,
            content=content,
            idempotency_key=key,
            confirmed_minimum_age=body.confirmed_minimum_age,
            request=request,
        )
    except PermissionDenied as error:
        raise ApiError(403, str(error) or None) from None
    except ValidationError as error:
        raise _refusal(error) from None
    status = "repeated" if result.repeated else "replaced" if result.replaced else "created"
    return Status(
        200 if result.repeated else 201,
        {
            "receipt": result.receipt,
            "status": status,
            "budget": process.slug,
            "check_url": request.build_absolute_uri(
                reverse("api:budget-receipt", kwargs={"code": result.receipt})
            ),
        },
    )


@router.get(
    "/budgets/{slug}/results",
    response={200: ResultOut, **ERRORS},
    url_name="budget-results",
    operation_id="getBudgetResults",
    summary="The published result of a budget",
)
def get_results(request, slug: str):
    """The funded projects, each project's votes, the rule and the SHA-256 of the ballots it counted.

    Download `export.pb` and check its SHA-256 against `input_sha256`; counting it with the same rule (for
    example with pabutools) gives the same funded projects.
    """
    from localpower.budgets.selectors import published_result

    process = find_process(slug)
    result = published_result(process)
    if result is None:
        raise ApiError(404, NO_RESULTS)
    selected = [int(x) for x in result.selected]
    projects = {p.pk: p for p in process.projects.all()}

    def row(pk: int) -> dict:
        project = projects[pk]
        return {
            "id": pk,
            "title": project.title,
            "cost": f"{project.cost:.2f}",
            "votes": float(result.votes.get(str(pk), 0)),
            "funded": pk in selected,
        }

    export = {name: reverse(f"api:budget-export-{name}", kwargs={"slug": slug}) for name in ("pb", "csv")}
    return {
        "budget": ProcessSummary.build(request, process),
        "version": result.version,
        "rule": result.rule,
        "options": result.options,
        "input_sha256": result.input_sha256,
        "library_version": result.library_version,
        "voters": result.voters,
        "total_cost": f"{result.total_cost:.2f}",
        "funded": [row(pk) for pk in selected if pk in projects],
        "projects": [row(pk) for pk in sorted(projects)],
        "explanation": result.explanation or {},
        "ejr": result.ejr,
        "computed_at": result.computed_at,
        "published_at": result.published_at,
        "export_pb": request.build_absolute_uri(export["pb"]),
        "export_csv": request.build_absolute_uri(export["csv"]),
    }


def _export(slug: str, kind: str) -> HttpResponse:
    from localpower.budgets.exports import export_csv, export_pabulib
    from localpower.budgets.selectors import published_result

    process = find_process(slug)
    if published_result(process) is None:
        raise ApiError(404, NO_RESULTS + " The anonymised ballots can be downloaded once they are.")
    if kind == "pb":
        text, content_type = export_pabulib(process), "text/plain; charset=utf-8"
    else:
        text, content_type = export_csv(process), "text/csv; charset=utf-8"
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{process.slug}.{kind}"'
    return response


def _text_response(media_type: str, description: str) -> dict:
    return {
        "responses": {
            "200": {"description": description, "content": {media_type: {"schema": {"type": "string"}}}}
        }
    }


@router.get(
    "/budgets/{slug}/export.pb",
    response={404: ErrorOut, 422: ErrorOut},
    url_name="budget-export-pb",
    operation_id="exportBudgetPabulib",
    summary="Anonymised ballots in Pabulib format",
    openapi_extra=_text_response("text/plain", "The Pabulib file (the count's input; see input_sha256)."),
)
def export_pb(request, slug: str):
    """The current ballots, sorted by their content and numbered 1 to n, with no names, times or receipts."""
    return _export(slug, "pb")


@router.get(
    "/budgets/{slug}/export.csv",
    response={404: ErrorOut, 422: ErrorOut},
    url_name="budget-export-csv",
    operation_id="exportBudgetCsv",
    summary="Anonymised ballots as CSV",
    openapi_extra=_text_response("text/csv", "One row per ballot: voter_id, then project_<id> columns."),
)
def export_csv_view(request, slug: str):
    """One row per ballot: `voter_id` then a `project_<id>` column per project (1/0, points, or rank)."""
    return _export(slug, "csv")
