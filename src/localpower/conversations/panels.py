"""The "Conversations" panel on an area's page: conversations of the area and of the larger areas it is part of."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from localpower.conversations import selectors
from localpower.conversations.models import Phase
from localpower.places import selectors as places
from localpower.places.panels import AreaPanel, register_area_panel


@register_area_panel
def conversations_panel(request, area):
    area_ids = [area.pk, *(a.pk for a in places.ancestors(area))]
    conversations = [
        c for c in selectors.public_conversations().filter(area_id__in=area_ids) if c.phase != Phase.CLOSED
    ]
    if not conversations:
        return None
    return AreaPanel(
        title=_("Conversations"),
        template_name="conversations/area_panel.html",
        context={"conversations": conversations},
        order=30,
    )
