"""Test data for budget simulators: a simulator in a chosen status with services, and responses."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from localpower.simulator.models import Consequence, Service, Simulator

_numbers = itertools.count(1)
DAY = datetime.timedelta(days=1)

# (name, spend, min, max): the current total is £1,000,000.
SERVICES = [
    ("Libraries", Decimal("200000"), -30, 10),
    ("Parks", Decimal("300000"), -30, 10),
    ("Roads", Decimal("500000"), -20, 10),
]


def dates(status: str) -> dict:
    now = timezone.now()
    if status == "upcoming":
        return {"opens_at": now + DAY, "closes_at": now + 10 * DAY}
    if status == "closed":
        return {"opens_at": now - 10 * DAY, "closes_at": now - DAY}
    return {"opens_at": now - DAY, "closes_at": now + 10 * DAY}


def make_simulator(area, status: str = "open", *, services=SERVICES, **fields) -> Simulator:
    """A simulator for ``area`` in ``status`` (draft, upcoming, open, closed) with a £100,000 saving target."""
    n = next(_numbers)
    values = {
        "title": f"Balancing the budget {n}",
        "slug": f"balancing-{n}",
        "state": "draft" if status == "draft" else "published",
        "target_kind": "save",
        "target_amount": Decimal("100000"),
        "step_pct": 10,
        **dates(status),
    }
    values.update(fields)
    simulator = Simulator(area=area, **values)
    simulator.full_clean()
    simulator.save()
    for order, (name, spend, low, high) in enumerate(services):
        service = Service.objects.create(
            simulator=simulator,
            name=name,
            current_spend=spend,
            min_change_pct=low,
            max_change_pct=high,
            order=order,
        )
        Consequence.objects.create(service=service, change_pct=low, text=f"{name} at {low}%: big changes.")
        Consequence.objects.create(service=service, change_pct=-10, text=f"{name} at -10%: fewer hours.")
    return simulator


def levels(simulator: Simulator, *pcts: int) -> dict[int, int]:
    """Service id -> percent, in the services' order."""
    return {s.pk: p for s, p in zip(simulator.services.order_by("order"), pcts, strict=True)}
