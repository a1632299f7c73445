"""What other parts of the service show on an area's page, under "What is happening here".

Each app that has something to say about an area registers a provider, usually in its ``AppConfig.ready()``::

    from localpower.places.panels import AreaPanel, register_area_panel

    @register_area_panel
    def budgets_panel(request, area):
        budgets = open_budgets_for(area)
        if not budgets:
            return None  # nothing to show: the panel is left out
        return AreaPanel(
            title=_("Participatory budgets"),
            template_name="budgets/area_panel.html",
            context={"budgets": budgets},
            order=10,
        )

A provider is called with the request and the ``Area`` each time the page is shown and returns an ``AreaPanel``
or ``None``. Panels are shown in ``order`` (smallest first), then by title. The panel template is included with
the panel's ``context`` plus ``area`` and ``request``; it should start with an ``<h3>`` (the section heading is
an ``<h2>``). For a simple list, use ``"places/panels/links.html"`` with context ``summary`` (optional text) and
``links`` (a list of dicts with ``text``, ``url`` and optional ``hint``). When no provider returns a panel, the page says that nothing is happening yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from localpower.places.models import Area


@dataclass(frozen=True)
class AreaPanel:
    title: str
    template_name: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


AreaPanelProvider = Callable[[HttpRequest, Area], AreaPanel | None]
_providers: list[AreaPanelProvider] = []


def register_area_panel(provider: AreaPanelProvider) -> AreaPanelProvider:
    """Add ``provider`` (once, however often this is called); usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister_area_panel(provider: AreaPanelProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def panels_for(request: HttpRequest, area: Area) -> list[AreaPanel]:
    panels = [panel for provider in list(_providers) if (panel := provider(request, area)) is not None]
    return sorted(panels, key=lambda panel: (panel.order, str(panel.title)))


@dataclass(frozen=True)
class RenderedPanel:
    panel: AreaPanel
    html: SafeString


def render_panels(request: HttpRequest, area: Area) -> list[RenderedPanel]:
    """Each panel for ``area`` rendered with its context plus ``area``, ``panel`` and ``request``."""
    return [
        RenderedPanel(
            panel,
            render_to_string(
                panel.template_name, {**panel.context, "area": area, "panel": panel}, request=request
            ),
        )
        for panel in panels_for(request, area)
    ]
