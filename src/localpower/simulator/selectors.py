"""Reading budget simulators: what is public, totals of a set of choices, and the results."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from localpower.accounts import roles
from localpower.simulator import maths
from localpower.simulator.models import Choice, Consequence, Service, Simulator, SimulatorState
from localpower.simulator.rules import STAFF


def public_simulators() -> QuerySet[Simulator]:
    return Simulator.objects.exclude(state=SimulatorState.DRAFT).select_related("area")


def open_simulators() -> QuerySet[Simulator]:
    now = timezone.now()
    return public_simulators().filter(state=SimulatorState.PUBLISHED, opens_at__lte=now, closes_at__gt=now)


def simulators_for_staff(user) -> QuerySet[Simulator]:
    qs = Simulator.objects.select_related("area")
    if user.is_active and user.is_superuser:
        return qs
    return qs.filter(area_id__in=roles.covered_area_ids(user, list(STAFF)))


def services_of(simulator: Simulator) -> list[Service]:
    services = list(simulator.services.prefetch_related("consequences").order_by("order", "name", "pk"))
    for service in services:
        service.simulator = simulator  # no extra query for the step
    return services


def has_responses(simulator: Simulator) -> bool:
    return simulator.respondents.exists() or simulator.submissions.exists()


def current_total(services: list[Service]) -> Decimal:
    return sum((s.current_spend for s in services), Decimal(0))


def consequence_for(service: Service, pct: int) -> Consequence | None:
    """The text for the biggest change written up that ``pct`` reaches at least (see ``Consequence``)."""
    found = None
    for consequence in service.consequences.all():  # ordered by change_pct
        level = consequence.change_pct
        if pct < 0 and pct <= level <= 0 and (found is None or level < found.change_pct):
            found = consequence
        elif pct > 0 and 0 <= level <= pct and (found is None or level > found.change_pct):
            found = consequence
        elif pct == 0 and level == 0:
            found = consequence
    return found


@dataclass(frozen=True)
class Totals:
    current: Decimal
    new: Decimal
    change: Decimal  # negative is a saving
    allowed: Decimal  # the largest change a balanced budget may have
    target_kind: str
    target_amount: Decimal

    @property
    def balanced(self) -> bool:
        return maths.is_balanced(self.change, self.allowed)

    @property
    def gap(self) -> Decimal:
        """How much more must be saved to meet the target (0 when balanced)."""
        return max(self.change - self.allowed, Decimal(0))

    @property
    def saving(self) -> Decimal:
        return -self.change

    @property
    def spare(self) -> Decimal:
        """How far inside the target the budget is (0 when not balanced)."""
        return max(self.allowed - self.change, Decimal(0))


def totals(simulator: Simulator, services: list[Service], pcts: dict[int, int]) -> Totals:
    """Totals for choices ``pcts`` (service id -> percent); services without a choice stay as they are."""
    current = current_total(services)
    change = maths.total_change([s.current_spend for s in services], [pcts.get(s.pk, 0) for s in services])
    return Totals(
        current=current,
        new=current + change,
        change=change,
        allowed=maths.allowed_change(simulator.target_kind, simulator.target_amount, current),
        target_kind=simulator.target_kind,
        target_amount=simulator.target_amount,
    )


@dataclass
class ServiceResult:
    service: Service
    count: int
    mean: Decimal | None
    median: int | None
    community: int | None
    distribution: list[dict]
    comments: int

    @property
    def community_spend(self) -> Decimal | None:
        if self.community is None:
            return None
        return self.service.current_spend + maths.change(self.service.current_spend, self.community)


@dataclass
class Results:
    simulator: Simulator
    responses: int
    services: list[ServiceResult]
    community_totals: Totals | None


def results(simulator: Simulator) -> Results:
    """Every service's distribution, mean, median and community budget level (see ``maths``)."""
    services = services_of(simulator)
    by_service: dict[int, list[int]] = {s.pk: [] for s in services}
    comment_counts: dict[int, int] = {s.pk: 0 for s in services}
    for service_id, pct, comment in Choice.objects.filter(submission__simulator=simulator).values_list(
        "service_id", "change_pct", "comment"
    ):
        if service_id in by_service:
            by_service[service_id].append(pct)
            if comment.strip():
                comment_counts[service_id] += 1
    responses = simulator.submissions.count()
    lines = [
        maths.ServiceLine(s.current_spend, s.min_change_pct, simulator.step_pct, tuple(by_service[s.pk]))
        for s in services
    ]
    current = current_total(services)
    allowed = maths.allowed_change(simulator.target_kind, simulator.target_amount, current)
    community = maths.community_budget(lines, allowed) if responses else None
    rows = []
    for index, service in enumerate(services):
        values = by_service[service.pk]
        count = len(values)
        spread = maths.distribution(values, service.levels())
        most = max((n for _, n in spread), default=0)
        rows.append(
            ServiceResult(
                service=service,
                count=count,
                mean=maths.mean(values),
                median=maths.median(values),
                community=community[index] if community else None,
                distribution=[
                    {
                        "level": level,
                        "count": n,
                        "percent": (Decimal(100) * n / count) if count else Decimal(0),
                        # The bar's length: the most chosen level fills the chart, so that narrow screens
                        # still show the differences (the table gives the numbers).
                        "bar": (Decimal(100) * n / most) if most else Decimal(0),
                    }
                    for level, n in spread
                ],
                comments=comment_counts[service.pk],
            )
        )
    community_totals = (
        totals(simulator, services, {s.pk: community[i] for i, s in enumerate(services)})
        if community
        else None
    )
    return Results(simulator=simulator, responses=responses, services=rows, community_totals=community_totals)


def comments(simulator: Simulator, service: Service | None = None, search: str = "") -> QuerySet[Choice]:
    qs = (
        Choice.objects.filter(submission__simulator=simulator)
        .exclude(comment="")
        .select_related("service", "submission__user")
        .order_by("service__order", "service__name", "change_pct", "comment")
    )
    if service is not None:
        qs = qs.filter(service=service)
    if search:
        qs = qs.filter(Q(comment__icontains=search))
    return qs
