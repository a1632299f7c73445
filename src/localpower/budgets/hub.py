"""Budgets on the "Have your say" page: those taking ideas and those open for voting."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from localpower.budgets import selectors
from localpower.budgets.models import Phase
from localpower.core.hub import HubItem, register_hub_provider


@register_hub_provider
def open_budgets(request):
    now = timezone.now()
    candidates = selectors.public_processes().filter(
        Q(ideas_open_at__lte=now, review_opens_at__gt=now)
        | Q(voting_opens_at__lte=now, voting_closes_at__gt=now)
    )
    items = []
    for process in candidates:
        phase = process.phase
        if phase == Phase.IDEAS:
            items.append(
                HubItem(
                    kind=_("Ideas wanted for community budgets"),
                    title=process.title,
                    url=reverse("budgets:ideas", args=[process.slug]),
                    area_name=process.area.name,
                    closes_at=process.review_opens_at,
                    order=20,
                )
            )
        elif phase == Phase.VOTING:
            items.append(
                HubItem(
                    kind=_("Vote on community budgets"),
                    title=process.title,
                    url=reverse("budgets:detail", args=[process.slug]),
                    area_name=process.area.name,
                    closes_at=process.voting_closes_at,
                    order=10,
                )
            )
    return items
