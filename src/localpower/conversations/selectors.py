"""Reads for conversations: lists, the fair order of statements, progress, moderation queue, vote rows."""

from __future__ import annotations

import random

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from localpower.conversations.models import (
    Conversation,
    ConversationState,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)


def public_conversations(area=None) -> QuerySet[Conversation]:
    """Conversations the public can see (not drafts), newest first."""
    qs = Conversation.objects.exclude(state=ConversationState.DRAFT).select_related("area")
    if area is not None:
        qs = qs.filter(area=area)
    return qs.order_by("-opens_at", "title")


def open_conversations() -> QuerySet[Conversation]:
    now = timezone.now()
    return (
        public_conversations()
        .filter(state=ConversationState.PUBLISHED, opens_at__lte=now)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    )


def approved_statements(conversation: Conversation) -> QuerySet[Statement]:
    return conversation.statements.filter(status=StatementStatus.APPROVED).order_by("number")


def participant_of(user, conversation: Conversation) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(conversation=conversation, user=user).first()


def my_pending_count(user, conversation: Conversation) -> int:
    """How many of this person's statements wait for a moderator (shown only to them)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return conversation.statements.filter(author=user, status=StatementStatus.PENDING).count()


def my_tag_ids(participant: Participant | None) -> list[int]:
    """The tags this participant said describe them."""
    if participant is None:
        return []
    return list(participant.tag_choices.values_list("tag_id", flat=True))


def next_statement(conversation: Conversation, participant: Participant | None) -> Statement | None:
    """The next statement to show this person, in a fair order (as Pol.is does, simplified):

    only shown statements they have not voted on; those with the fewest votes so far first, so that every
    statement gets a fair hearing however late it was added; ties broken at random, but the same random choice
    on a reload (seeded by the participant and how many votes they have cast), so the page does not jump.
    """
    candidates = approved_statements(conversation)
    voted = 0
    if participant is not None:
        voted_ids = Vote.objects.filter(participant=participant).values("statement_id")
        voted = participant.votes.count()
        candidates = candidates.exclude(pk__in=voted_ids)
    rows = list(candidates.annotate(n=Count("votes")).values_list("pk", "n"))
    if not rows:
        return None
    fewest = min(n for _, n in rows)
    tied = sorted(pk for pk, n in rows if n == fewest)
    seed = f"{conversation.pk}:{participant.number if participant else 'anon'}:{voted}"
    chosen = random.Random(seed).choice(tied)  # noqa: S311 (fairness, not security)
    return Statement.objects.get(pk=chosen)


def progress(conversation: Conversation, participant: Participant | None) -> dict:
    total = approved_statements(conversation).count()
    done = (
        Vote.objects.filter(participant=participant, statement__status=StatementStatus.APPROVED).count()
        if participant
        else 0
    )
    return {"total": total, "done": done, "left": max(0, total - done)}


def moderation_queue(conversation: Conversation) -> dict:
    pending = conversation.statements.filter(status=StatementStatus.PENDING).order_by("number")
    # Counted, not filtered on ``reports__resolved_at__isnull``: through the join that filter also matches
    # statements with no reports at all (the missing report's date is null too).
    reported = (
        conversation.statements.annotate(
            open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True))
        )
        .filter(open_reports__gt=0)
        .order_by("number")
    )
    return {"pending": list(pending), "reported": list(reported)}


def vote_rows(conversation: Conversation) -> list[tuple[int, int, int, int]]:
    """Every current vote as (milliseconds since 1970, participant number, statement number, value), in the order
    they were cast (last change); the order the openData ``votes.csv`` is written in."""
    rows = (
        Vote.objects.filter(statement__conversation=conversation)
        .order_by("updated_at", "pk")
        .values_list("updated_at", "participant__number", "statement__number", "value")
    )
    return [(int(when.timestamp() * 1000), p, s, v) for when, p, s, v in rows]


DAY_MS = 24 * 60 * 60 * 1000


def published_vote_rows(conversation: Conversation) -> list[tuple[int, int, int, int]]:
    """The votes as the open data publishes them and the analysis reads them: (start of the UTC day in
    milliseconds, participant number, statement number, value), by day, then participant, then statement.

    Only the day, and not the order within it: the audit log records when each person voted, so exact times or
    the order cast would let anyone who reads both match a participant number (and all their votes) to a person.
    Each participant has one current vote per statement, so no reader needs the order.
    """
    return sorted((ms - ms % DAY_MS, p, s, v) for ms, p, s, v in vote_rows(conversation))


def statement_totals(conversation: Conversation) -> QuerySet[Statement]:
    """Statements with their agree, disagree and pass counts."""
    return conversation.statements.annotate(
        agrees=Count("votes", filter=Q(votes__value=1)),
        disagrees=Count("votes", filter=Q(votes__value=-1)),
        passes=Count("votes", filter=Q(votes__value=0)),
    ).order_by("number")
