"""Shapes of the budget simulator answers of the API. Money is a decimal string such as "2400000.00"."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from localpower.api.schemas import AreaSummary
from localpower.simulator.models import Audience, Status, TargetKind


def money(amount) -> str | None:
    return None if amount is None else f"{amount:.2f}"


class SimulatorSummary(Schema):
    slug: str = Field(description="The simulator's identifier in web addresses.")
    title: str
    area: AreaSummary
    status: Status = Field(description="upcoming, open or closed.")
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    target_kind: TargetKind = Field(
        description="save: the changes must save at least target_amount; within: the new total must be at most "
        "target_amount."
    )
    target_amount: str
    step_pct: int = Field(description="Every change is a multiple of this many percent.")
    audience: Audience
    anonymous: bool
    url: str = Field(description="This simulator in the API.")
    web_url: str


class LevelOut(Schema):
    change_pct: int
    consequence: str = Field(description="What the council says would happen at this level (may be empty).")


class ServiceOut(Schema):
    id: int
    name: str
    description: str
    current_spend: str
    min_change_pct: int
    max_change_pct: int
    levels: list[LevelOut] = Field(description="Every level that may be chosen, from the biggest cut up.")


class SimulatorDetail(SimulatorSummary):
    introduction: str
    current_total: str
    services: list[ServiceOut]
    results_url: str | None = Field(description="The results, once the simulator has closed.")


class SimulatorList(Schema):
    count: int
    items: list[SimulatorSummary]


class ChoiceIn(Schema):
    service: int = Field(description="A service id from the simulator's services.")
    change_pct: int = Field(ge=-100, le=100)
    comment: str = Field("", max_length=2000)


class ResponseIn(Schema):
    choices: list[ChoiceIn] = Field(description="One choice for every service.", max_length=200)
    idempotency_key: str | None = Field(
        None, max_length=200, description="Or send an Idempotency-Key header."
    )


class ResponseOut(Schema):
    status: str = Field(description="created, or repeated when the same idempotency key was sent before.")
    simulator: str


class LevelCount(Schema):
    change_pct: int
    count: int


class ServiceResultOut(Schema):
    id: int
    name: str
    current_spend: str
    mean_change_pct: float | None
    median_change_pct: int | None
    community_change_pct: int | None
    community_spend: str | None
    distribution: list[LevelCount]
    comments: int = Field(description="How many respondents commented (the comments are not published).")


class ResultsOut(Schema):
    simulator: SimulatorSummary
    responses: int
    community_total: str | None = Field(description="The community budget's total spend.")
    community_change: str | None = Field(description="Its change from the current total (negative saves).")
    services: list[ServiceResultOut]
    method: str = Field(description="How the community budget is worked out.")
