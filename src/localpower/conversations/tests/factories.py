"""Test data for conversations: a conversation in a chosen phase, statements, participants with votes."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from localpower.conversations.models import (
    Conversation,
    ConversationState,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)

_numbers = itertools.count(1)
DAY = datetime.timedelta(days=1)


def make_conversation(area, phase: str = "open", **fields) -> Conversation:
    """A conversation in ``phase``: draft, upcoming, open or closed."""
    n = next(_numbers)
    now = timezone.now()
    values = {
        "title": f"How should we improve the high street? ({n})",
        "slug": f"conversation-{n}",
        "opens_at": now + DAY if phase == "upcoming" else now - DAY,
        "closes_at": now + 10 * DAY,
        "state": ConversationState.DRAFT if phase == "draft" else ConversationState.PUBLISHED,
    }
    if phase == "closed":
        values["state"] = ConversationState.CLOSED
    values.update(fields)
    conversation = Conversation(area=area, **values)
    conversation.full_clean()
    conversation.save()
    return conversation


def make_statements(conversation, texts, status=StatementStatus.APPROVED, **fields) -> list[Statement]:
    start = conversation.statements.count()
    made = []
    for i, text in enumerate(texts):
        made.append(
            Statement.objects.create(
                conversation=conversation, number=start + i, text=text, status=status, **fields
            )
        )
    return made


def add_votes(conversation, rows, statements) -> list[Participant]:
    """One synthetic participant per row of votes (1, -1, 0 or None for no vote), in time order."""
    start = conversation.participants.count()
    people = []
    when = timezone.now() - DAY
    for i, row in enumerate(rows):
        participant = Participant.objects.create(conversation=conversation, number=start + i, synthetic=True)
        people.append(participant)
        for statement, value in zip(statements, row, strict=True):
            if value is None:
                continue
            when += datetime.timedelta(seconds=1)
            Vote.objects.create(
                participant=participant, statement=statement, value=value, created_at=when, updated_at=when
            )
    conversation.vote_events += sum(v is not None for row in rows for v in row)
    conversation.save(update_fields=["vote_events"])
    return people


def two_camps(conversation, n_statements: int = 8, per_camp: int = 12):
    """Two clear opinion groups that both agree with the first statement (a bridging consensus)."""
    statements = make_statements(
        conversation, [f"Statement number {j} about the town" for j in range(n_statements)]
    )
    rows = []
    for camp in (1, -1):
        for i in range(per_camp):
            row = [1] + [camp if j % 2 else -camp for j in range(1, n_statements)]
            if i % 5 == 0:
                row[-1] = None
            rows.append(row)
    return statements, add_votes(conversation, rows, statements)
