"""Conversations (Pol.is-style deliberation): short statements, agree/disagree/pass votes, opinion groups and
the statements that bridge them. The maths is in ``localpower.tally.opinion``."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "localpower.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from localpower.conversations import hub, panels  # noqa: F401  (register the hub items and area panel)
