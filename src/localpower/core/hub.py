"""The "Have your say" page: everything open for people to take part in, from every part of the service.

Each app that runs something people can take part in registers a provider, usually in ``AppConfig.ready()``::

    from localpower.core.hub import HubItem, register_hub_provider

    @register_hub_provider
    def open_consultations(request):
        return [
            HubItem(kind=_("Consultation"), title=c.title, url=c.get_absolute_url(), summary=c.summary,
                    area_name=c.area.name, closes_at=c.closes_at)
            for c in selectors.open_consultations()
        ]

A provider is called with the request each time the page is shown and returns an iterable of ``HubItem`` (empty
when nothing is open). Items are shown grouped by ``kind`` in the order of the kinds' ``order`` (smallest first),
and within a kind the soonest to close first; items with no closing date come last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest


@dataclass(frozen=True)
class HubItem:
    kind: str
    title: str
    url: str
    summary: str = ""
    area_name: str = ""
    closes_at: datetime | None = None
    order: int = 100


@dataclass(frozen=True)
class HubGroup:
    kind: str
    items: list[HubItem]


HubProvider = Callable[[HttpRequest], Iterable[HubItem]]
_providers: list[HubProvider] = []


def register_hub_provider(provider: HubProvider) -> HubProvider:
    """Add ``provider`` (once, however often this is called); usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister_hub_provider(provider: HubProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def groups_for(request: HttpRequest) -> list[HubGroup]:
    """Every open item, grouped by kind."""
    by_kind: dict[str, list[HubItem]] = {}
    for provider in list(_providers):
        for item in provider(request):
            by_kind.setdefault(str(item.kind), []).append(item)

    def closing(item: HubItem):
        return (
            item.closes_at is None,
            item.closes_at.timestamp() if item.closes_at else 0.0,
            str(item.title),
        )

    groups = [HubGroup(kind, sorted(items, key=closing)) for kind, items in by_kind.items()]
    return sorted(groups, key=lambda group: (min(item.order for item in group.items), group.kind))
