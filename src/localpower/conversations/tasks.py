"""Background tasks (django-tasks): refreshing a conversation's stored analysis.

``analysis.request_refresh`` queues ``refresh_analysis_task`` when the stored analysis is stale (see analysis.py),
never more than one at a time per conversation. ``refresh_stale_analyses`` is a safety net that can be run
periodically.
"""

from __future__ import annotations

from django.core.cache import cache
from django_tasks import task

from localpower.conversations.models import Conversation


@task()
def refresh_analysis_task(conversation_id: int) -> int | None:
    """Recompute one conversation's opinion map; returns the number of groups (None: no such conversation)."""
    from localpower.conversations.analysis import refresh_analysis

    try:
        conversation = Conversation.objects.filter(pk=conversation_id).first()
        if conversation is None:
            return None
        return refresh_analysis(conversation).groups
    finally:
        cache.delete(f"conversations:refresh-queued:{conversation_id}")


@task()
def refresh_stale_analyses() -> list[int]:
    """Refresh every conversation whose analysis is stale (safe to repeat)."""
    from localpower.conversations.analysis import is_stale, refresh_analysis
    from localpower.conversations.models import Analysis

    done = []
    for conversation in Conversation.objects.exclude(state="draft"):
        if is_stale(conversation, Analysis.objects.filter(conversation=conversation).first()):
            refresh_analysis(conversation)
            done.append(conversation.pk)
    return done
