"""Budget simulators in the JSON API: the list, one simulator with its services and levels, sending a balanced
budget, and the results once a simulator has closed.

Sending goes through ``localpower.simulator.services.submit``, which checks who may respond and the budget's
rules itself. Refusals keep their plain-English message with a stable code: ``forbidden`` (403: not open, not a
resident, ...), ``already_responded`` (409) and ``validation_error`` (422: out of range, off the step, or not
meeting the target).
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from ninja import Router
from ninja.responses import Status

from localpower.api.auth import signed_in
from localpower.api.errors import ApiError
from localpower.api.schemas import AreaSummary, ErrorOut
from localpower.api.simulators_schemas import (
    ResponseIn,
    ResponseOut,
    ResultsOut,
    SimulatorDetail,
    SimulatorList,
    SimulatorSummary,
    money,
)
from localpower.simulator.models import Simulator

router = Router(tags=["Budget simulators"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,200}")
ERRORS = {404: ErrorOut, 422: ErrorOut}
NO_SIMULATOR = "There is no budget simulator with that identifier. List them at /api/v1/simulators."
METHOD = (
    "Each service starts at its median choice (the lower median when the count is even). If those do not meet "
    "the target, one more step of cut is made at a time on the service where the most respondents chose that "
    "lower level or lower (ties: the larger saving), until the target is met."
)


def find_simulator(slug: str) -> Simulator:
    from localpower.simulator.selectors import public_simulators

    simulator = public_simulators().filter(slug=slug).first() if SLUG.fullmatch(slug) else None
    if simulator is None:
        raise ApiError(404, NO_SIMULATOR)
    return simulator


def summary(request, simulator: Simulator) -> dict:
    return {
        "slug": simulator.slug,
        "title": simulator.title,
        "area": AreaSummary.build(request, simulator.area),
        "status": simulator.status,
        "opens_at": simulator.opens_at,
        "closes_at": simulator.closes_at,
        "target_kind": simulator.target_kind,
        "target_amount": money(simulator.target_amount),
        "step_pct": simulator.step_pct,
        "audience": simulator.audience,
        "anonymous": simulator.anonymous,
        "url": request.build_absolute_uri(reverse("api:simulator", kwargs={"slug": simulator.slug})),
        "web_url": request.build_absolute_uri(simulator.get_absolute_url()),
    }


@router.get(
    "/simulators",
    response={200: SimulatorList},
    url_name="simulators",
    operation_id="listSimulators",
    summary="List budget simulators",
)
def list_simulators(request):
    """Budget simulators the public can see (not drafts), latest closing first."""
    from localpower.simulator.selectors import public_simulators

    items = [summary(request, s) for s in public_simulators().order_by("-closes_at", "title")]
    return {"count": len(items), "items": items}


@router.get(
    "/simulators/{slug}",
    response={200: SimulatorDetail, **ERRORS},
    url_name="simulator",
    operation_id="getSimulator",
    summary="One budget simulator, with its services and levels",
)
def get_simulator(request, slug: str):
    """The target, the services with their current spend, and every level that may be chosen with what the
    council says would happen at it."""
    from localpower.simulator.selectors import consequence_for, current_total, services_of

    simulator = find_simulator(slug)
    services = services_of(simulator)
    closed = request.user.has_perm("simulator.view_results", simulator) and simulator.status == "closed"
    return {
        **summary(request, simulator),
        "introduction": simulator.introduction,
        "current_total": money(current_total(services)),
        "services": [
            {
                "id": s.pk,
                "name": s.name,
                "description": s.description,
                "current_spend": money(s.current_spend),
                "min_change_pct": s.min_change_pct,
                "max_change_pct": s.max_change_pct,
                "levels": [
                    {"change_pct": pct, "consequence": c.text if (c := consequence_for(s, pct)) else ""}
                    for pct in s.levels()
                ],
            }
            for s in services
        ],
        "results_url": request.build_absolute_uri(reverse("api:simulator-results", kwargs={"slug": slug}))
        if closed
        else None,
    }


def _key(request, body: ResponseIn) -> str:
    header = (request.headers.get("Idempotency-Key") or "").strip() or None
    if header and not IDEMPOTENCY_KEY.fullmatch(header):
        raise ApiError(422, "The Idempotency-Key header must be 1 to 200 visible characters, such as a UUID.")
    if header and body.idempotency_key and header != body.idempotency_key:
        raise ApiError(
            422, "The Idempotency-Key header and the idempotency_key field differ. Send one of them."
        )
    key = header or body.idempotency_key
    if not key:
        raise ApiError(
            422,
            "Send an Idempotency-Key header (a new random value, such as a UUID) so that a repeated request is "
            "not recorded twice.",
            details=[{"location": "header", "field": "Idempotency-Key", "message": "is required"}],
        )
    return key


@router.post(
    "/simulators/{slug}/responses",
    response={200: ResponseOut, 201: ResponseOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, **ERRORS},
    auth=signed_in,
    url_name="simulator-respond",
    operation_id="respondToSimulator",
    summary="Send your balanced budget",
)
def respond(request, slug: str, body: ResponseIn):
    """Send one choice per service (`change_pct` within its range and a multiple of the step), with an optional
    comment each. The budget must meet the target. Each person may respond once: 201 the first time; the same
    idempotency key again answers 200 (`repeated`); another key is refused with 409 `already_responded`."""
    from localpower.simulator.services import submit

    simulator = find_simulator(slug)
    key = _key(request, body)
    choices, comments = {}, {}
    for choice in body.choices:
        if choice.service in choices:
            raise ApiError(422, f"Service {choice.service} is chosen more than once.")
        choices[choice.service] = choice.change_pct
        comments[choice.service] = choice.comment
    try:
        result = submit(
            actor=request.auth,
            simulator=simulator,
            choices=choices,
            comments=comments,
            idempotency_key=key,
            request=request,
        )
    except PermissionDenied as error:
        raise ApiError(403, str(error) or None) from None
    except ValidationError as error:
        if getattr(error, "code", None) == "already_responded":
            raise ApiError(409, error.messages[0], code="already_responded") from None
        details = []
        if hasattr(error, "error_dict"):
            details = [
                {"location": "body", "field": field, "message": message}
                for field, messages in error.message_dict.items()
                for message in messages
            ]
        raise ApiError(422, " ".join(error.messages), details=details) from None
    return Status(
        200 if result.repeated else 201,
        {"status": "repeated" if result.repeated else "created", "simulator": simulator.slug},
    )


@router.get(
    "/simulators/{slug}/results",
    response={200: ResultsOut, **ERRORS},
    url_name="simulator-results",
    operation_id="getSimulatorResults",
    summary="What respondents chose, once the simulator has closed",
)
def get_results(request, slug: str):
    """Per service: how many chose each level, the mean and median change, and the community budget (see
    `method`). Comments are not published here."""
    from localpower.simulator.selectors import results

    simulator = find_simulator(slug)
    if not request.user.has_perm("simulator.view_results", simulator):
        raise ApiError(404, "The results are published when the simulator closes.")
    found = results(simulator)
    totals = found.community_totals
    return {
        "simulator": SimulatorSummary(**summary(request, simulator)),
        "responses": found.responses,
        "community_total": money(totals.new) if totals else None,
        "community_change": money(totals.change) if totals else None,
        "method": METHOD,
        "services": [
            {
                "id": row.service.pk,
                "name": row.service.name,
                "current_spend": money(row.service.current_spend),
                "mean_change_pct": float(row.mean) if row.mean is not None else None,
                "median_change_pct": row.median,
                "community_change_pct": row.community,
                "community_spend": money(row.community_spend),
                "distribution": [{"change_pct": d["level"], "count": d["count"]} for d in row.distribution],
                "comments": row.comments,
            }
            for row in found.services
        ],
    }
