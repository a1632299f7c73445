"""Shapes of the participatory budgeting answers of the API (they appear in the OpenAPI description).

Amounts of money are decimal strings such as "10000.00", so no rounding happens on the way.
"""

from __future__ import annotations

import datetime

from django.urls import NoReverseMatch, reverse
from ninja import Field, Schema

from localpower.api.schemas import AreaSummary
from localpower.budgets.models import BallotKind, Completion, OutcomeRule, Phase


def web_url(request, name: str, **kwargs) -> str | None:
    """The website's page for something, when the pages exist (they are built separately from the API)."""
    try:
        return request.build_absolute_uri(reverse(name, kwargs=kwargs))
    except NoReverseMatch:
        return None


def money(amount) -> str | None:
    return None if amount is None else f"{amount:.2f}"


class Timetable(Schema):
    ideas_open_at: datetime.datetime
    review_opens_at: datetime.datetime = Field(description="Ideas close and the council's review starts.")
    voting_opens_at: datetime.datetime
    voting_closes_at: datetime.datetime
    results_at: datetime.datetime = Field(description="Results are announced by then.")
    delivery_starts_at: datetime.datetime


class BallotRules(Schema):
    kind: BallotKind = Field(
        description="approval: any number of projects; k_approval: between min_choices and max_choices; "
        "knapsack: projects up to max_cost in total; cumulative: share out points_total points; "
        "ranked: rank up to max_choices projects."
    )
    kind_label: str
    min_choices: int | None
    max_choices: int | None
    max_cost: str | None = Field(description="For knapsack ballots: the most a voter may spend.")
    points_total: int | None = Field(description="For cumulative ballots: the points each voter shares out.")
    max_points_per_project: int | None
    minimum_age: int | None = Field(
        description="Voters must confirm they are at least this old (confirmed_minimum_age in the ballot)."
    )
    allow_ballot_change: bool = Field(
        description="Whether a voter may replace their ballot until voting closes."
    )


class ProcessSummary(Schema):
    slug: str = Field(description="The budget's identifier in web addresses.")
    title: str
    area: AreaSummary
    phase: Phase = Field(description="Where the budget is now, from its dates and the council's decisions.")
    phase_label: str
    budget: str = Field(description="The money to share out, such as '10000.00'.")
    currency: str = Field(description="Three-letter currency code, such as GBP.")
    timetable: Timetable
    url: str = Field(description="This budget in the API.")
    web_url: str | None = Field(description="This budget's page on the website.")

    @staticmethod
    def build(request, process, *, phase=None) -> dict:
        phase = phase or process.phase
        return {
            "slug": process.slug,
            "title": process.title,
            "area": AreaSummary.build(request, process.area),
            "phase": phase,
            "phase_label": str(Phase(phase).label),
            "budget": money(process.budget),
            "currency": process.currency,
            "timetable": {name: getattr(process, name) for name in Timetable.model_fields},
            "url": request.build_absolute_uri(reverse("api:budget", kwargs={"slug": process.slug})),
            "web_url": web_url(request, "budgets:detail", slug=process.slug),
        }


class ProjectOut(Schema):
    id: int = Field(description="The project's number, used in ballots.")
    title: str
    description: str
    cost: str
    category: str | None
    location: str = Field(description="Where the project would happen, in words (may be empty).")

    @staticmethod
    def build(project) -> dict:
        return {
            "id": project.pk,
            "title": project.title,
            "description": project.description,
            "cost": money(project.cost),
            "category": project.category.name if project.category_id else None,
            "location": project.location_text,
        }


class ProcessDetail(ProcessSummary):
    description: str
    ballot: BallotRules
    rule: OutcomeRule = Field(description="How the funded projects are chosen from the ballots.")
    rule_label: str
    completion: Completion
    projects: list[ProjectOut] = Field(
        description="The projects on the ballot (empty until the council adds them)."
    )
    results_url: str | None = Field(description="The published results in the API; null until published.")


class PageOf(Schema):
    count: int = Field(description="How many budgets match, on all pages.")
    page: int
    page_size: int
    pages: int
    next: str | None
    previous: str | None
    items: list[ProcessSummary]


class BallotIn(Schema):
    """One of projects, points or ranking, as the budget's ballot kind asks."""

    projects: list[int] | None = Field(
        None, description="approval, k_approval and knapsack ballots: the ids of the chosen projects."
    )
    points: dict[str, int] | None = Field(
        None, description='cumulative ballots: points per project id, such as {"12": 3, "15": 2}.'
    )
    ranking: list[int] | None = Field(None, description="ranked ballots: project ids, first choice first.")
    confirmed_minimum_age: bool = Field(
        False, description="true to confirm you are at least the budget's minimum age (when it has one)."
    )
    idempotency_key: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="The same as the Idempotency-Key header, for clients that cannot set headers.",
    )


class ReceiptOut(Schema):
    receipt: str = Field(description="Keep this code: it lets you check your ballot was counted.")
    status: str = Field(
        description="created: your ballot is recorded; replaced: it replaced your earlier ballot; "
        "repeated: this submission was already recorded, nothing changed."
    )
    budget: str = Field(description="The budget's slug.")
    check_url: str = Field(description="Where to check the receipt in the API.")


class ReceiptStatusOut(Schema):
    receipt: str
    status: str = Field(
        description="counted: the ballot counts; replaced: the voter later replaced it with another ballot."
    )
    counted: bool
    budget: ProcessSummary


class ResultProject(Schema):
    id: int
    title: str
    cost: str
    votes: float = Field(description="Votes (or points) the project received.")
    funded: bool


class ResultOut(Schema):
    budget: ProcessSummary
    version: int = Field(description="Each count is a new version; this is the published one.")
    rule: str = Field(description="The outcome rule the count used.")
    options: dict = Field(description="The rule's options, such as the completion method.")
    input_sha256: str = Field(
        description="SHA-256 of the anonymised Pabulib export (export.pb) the count was run on."
    )
    library_version: str
    voters: int = Field(description="Ballots counted.")
    total_cost: str = Field(description="The cost of the funded projects.")
    funded: list[ResultProject] = Field(description="The funded projects, in the order the rule chose them.")
    projects: list[ResultProject] = Field(description="Every project on the ballot, with its votes.")
    explanation: dict = Field(description="The count round by round, as the rule made its choices.")
    ejr: dict | None = Field(description="The proportionality check (extended justified representation).")
    computed_at: datetime.datetime
    published_at: datetime.datetime
    export_pb: str = Field(description="The anonymised ballots in Pabulib format.")
    export_csv: str = Field(description="The anonymised ballots as CSV.")
