"""Open conversations on the "Have your say" page."""

from __future__ import annotations

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from localpower.conversations import selectors
from localpower.core.hub import HubItem, register_hub_provider


@register_hub_provider
def open_conversations(request):
    return [
        HubItem(
            kind=_("Conversations: vote on what people say"),
            title=c.title,
            url=c.get_absolute_url(),
            summary=Truncator(c.description).words(30),  # whole words, with an ellipsis
            area_name=c.area.name,
            closes_at=c.closes_at,
            order=30,
        )
        for c in selectors.open_conversations()
    ]
