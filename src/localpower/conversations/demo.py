"""Demo data for the demo borough (see core's `demo` command): one open conversation, "How should we make the
town centre better?", with 40 statements and 400 synthetic participants who vote in three latent opinion groups
(people who drive in to shop or run a business, people who want a greener, walkable centre, and young people who
want more going on in the evening), some self-declared tags, two statements waiting for a moderator and one
hidden. The analysis is computed at once. Votes come from a fixed random seed, so every demo borough gets the
same groups. Safe to run again: an existing conversation is left as it is.

Synthetic participants have no accounts (``Participant.synthetic``), so the demo residents can still take part.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from localpower.conversations.analysis import refresh_analysis
from localpower.conversations.models import (
    Conversation,
    ConversationState,
    Eligibility,
    ModerationMode,
    Participant,
    ParticipantTag,
    Statement,
    StatementStatus,
    Tag,
    Vote,
)

SLUG = "town-centre"
SEED = 20261123
PARTICIPANTS = 400
DAY = datetime.timedelta(days=1)

# (statement, stance of drivers and traders, of the "greener centre" group, of young people): 1 agree,
# -1 disagree, 0 split. The first five are agreed by everyone.
STATEMENTS = [
    ("The town centre needs more public toilets.", 1, 1, 1),
    ("Empty shops should be used for pop-up businesses and community groups.", 1, 1, 1),
    ("The market square should be cleaned more often.", 1, 1, 1),
    ("There should be more benches and places to sit.", 1, 1, 1),
    ("Street lighting in the alleys needs fixing.", 1, 1, 1),
    ("Parking in the centre should be free for the first hour.", 1, -1, 0),
    ("The High Street should be closed to cars.", -1, 1, 1),
    ("We need more parking spaces, not fewer.", 1, -1, -1),
    ("Business rates are driving shops away.", 1, 0, 0),
    ("Cycle lanes should connect the centre to the estates.", -1, 1, 1),
    ("Buses into town should run later in the evening.", 0, 1, 1),
    ("Plant more trees along the High Street.", -1, 1, 0),
    ("Delivery lorries should only come before 10am.", -1, 1, 0),
    ("The council should support a night-time economy with bars and music.", 0, -1, 1),
    ("There is nothing for young people to do in the centre.", -1, 0, 1),
    ("A youth café would make the centre safer.", 0, 1, 1),
    ("Pavement cafés make the streets too crowded.", 1, -1, -1),
    ("Shops should open later on weekdays.", -1, 0, 1),
    ("Car parks should be turned into housing.", -1, 1, 0),
    ("More CCTV would make people feel safer.", 1, -1, -1),
    ("The weekly market should move to the weekend.", 0, 1, 1),
    ("Chain stores matter more than independent shops for bringing people in.", 1, -1, 0),
    ("Air pollution on Station Road is a serious problem.", -1, 1, 0),
    ("Speed limits in the centre should be 20 mph.", -1, 1, 0),
    ("The council should run free events in the square every month.", 0, 1, 1),
    ("Skateboarding should be allowed in the square.", -1, -1, 1),
    ("Loading bays are more important than cycle parking.", 1, -1, -1),
    ("Rents above shops should be kept affordable for young people.", -1, 1, 1),
    ("Traffic jams stop people coming into town.", 1, -1, 0),
    ("A park-and-ride would solve the parking problem.", -1, 1, 0),
    ("Graffiti should be removed within a week.", 1, 0, -1),
    ("Street art would brighten up the underpass.", -1, 1, 1),
    ("Charity shops have taken over the High Street.", 1, 0, -1),
    ("Fewer betting shops would improve the centre.", 0, 1, 0),
    ("The centre should have a free Wi-Fi zone.", 0, 0, 1),
    ("Closing roads just moves traffic onto residential streets.", 1, -1, -1),
    ("Electric car chargers should be added to every car park.", 1, 1, -1),
    ("The old cinema should reopen as a music venue.", -1, 0, 1),
    ("Council offices should move back into the town centre.", 1, 0, -1),
    ("Outdoor gym equipment in the riverside park would get people into town.", -1, 1, 1),
]
WAITING = [
    "Market traders should be able to park behind their stalls.",
    "The bus station needs a proper waiting room.",
]
HIDDEN = (
    "Everyone who drives into town is selfish.",
    "Not about the town centre's future; aimed at a group of people.",
)
GROUP_SHARE = (0.4, 0.35, 0.25)
TAGS = [
    # label, chance of choosing it in each latent group
    ("I run a local business", (0.35, 0.05, 0.03)),
    ("I live in the town centre", (0.1, 0.3, 0.2)),
    ("Under 25", (0.03, 0.1, 0.7)),
    ("I cycle into town", (0.02, 0.4, 0.2)),
]


def _vote(stance: int, rng: random.Random) -> int:
    if stance == 0:
        return rng.choice((1, -1, 0, 1, -1))
    roll = rng.random()
    return stance if roll < 0.9 else -stance if roll < 0.966 else 0


@transaction.atomic
def build_demo_conversations(areas) -> Conversation | None:
    """Build the demo conversation (or leave an existing one alone); returns it."""
    existing = Conversation.objects.filter(slug=SLUG).first()
    if existing is not None:
        if not hasattr(existing, "analysis"):
            refresh_analysis(existing)
        return existing
    borough = areas["borough"]
    now = timezone.now()
    opens = now - 14 * DAY
    conversation = Conversation(
        area=borough,
        slug=SLUG,
        title="How should we make the town centre better?",
        description=(
            "The council is writing a plan for the town centre for the next five years. Tell us what you think "
            "of other people's ideas, and add your own. We will publish what we learn, including the ideas "
            "that people with different views all agree on."
        ),
        opens_at=opens,
        closes_at=now + 21 * DAY,
        state=ConversationState.PUBLISHED,
        moderation=ModerationMode.PRE,
        eligibility=Eligibility.RESIDENTS,
        max_statement_length=140,
    )
    conversation.full_clean()
    conversation.save()
    statements = [
        Statement(
            conversation=conversation,
            number=j,
            text=text,
            is_seed=j < 10,
            status=StatementStatus.APPROVED,
            created_at=opens + j * datetime.timedelta(hours=3),
            moderated_at=opens + j * datetime.timedelta(hours=3),
        )
        for j, (text, *_stances) in enumerate(STATEMENTS)
    ]
    n = len(statements)
    statements.append(
        Statement(
            conversation=conversation,
            number=n,
            text=HIDDEN[0],
            status=StatementStatus.HIDDEN,
            hidden_reason=HIDDEN[1],
            created_at=opens + 5 * DAY,
            moderated_at=opens + 5 * DAY,
        )
    )
    for i, text in enumerate(WAITING):
        statements.append(
            Statement(
                conversation=conversation,
                number=n + 1 + i,
                text=text,
                status=StatementStatus.PENDING,
                created_at=now - (i + 1) * datetime.timedelta(hours=2),
            )
        )
    Statement.objects.bulk_create(statements)
    shown = list(conversation.statements.filter(status=StatementStatus.APPROVED).order_by("number"))
    hidden = conversation.statements.get(status=StatementStatus.HIDDEN)
    tags = [
        Tag.objects.create(conversation=conversation, label=label, order=i)
        for i, (label, _) in enumerate(TAGS)
    ]

    rng = random.Random(SEED)
    span = (now - opens).total_seconds()

    def arrives(i: int) -> datetime.datetime:
        return opens + datetime.timedelta(seconds=span * i / PARTICIPANTS * 0.95)

    Participant.objects.bulk_create(
        [
            Participant(conversation=conversation, number=i, synthetic=True, created_at=arrives(i))
            for i in range(PARTICIPANTS)
        ]
    )
    participants = list(conversation.participants.order_by("number"))
    groups = rng.choices(range(3), weights=GROUP_SHARE, k=PARTICIPANTS)
    votes, choices = [], []
    for participant, group in zip(participants, groups, strict=True):
        start = arrives(participant.number)
        k = rng.randint(10, 30)
        for step, j in enumerate(rng.sample(range(len(shown)), k)):
            when = start + datetime.timedelta(seconds=20 * step)
            votes.append(
                Vote(
                    participant=participant,
                    statement=shown[j],
                    value=_vote(STATEMENTS[j][1 + group], rng),
                    created_at=when,
                    updated_at=when,
                )
            )
        if participant.number % 40 == 7:  # a few voted on the hidden statement before it was hidden
            when = start + datetime.timedelta(seconds=20 * k)
            votes.append(
                Vote(
                    participant=participant,
                    statement=hidden,
                    value=rng.choice((1, -1)),
                    created_at=when,
                    updated_at=when,
                )
            )
        for tag, (_label, chances) in zip(tags, TAGS, strict=True):
            if rng.random() < chances[group]:
                choices.append(ParticipantTag(participant=participant, tag=tag))
    Vote.objects.bulk_create(votes, batch_size=2000)
    ParticipantTag.objects.bulk_create(choices, batch_size=2000)
    conversation.vote_events = len(votes)
    conversation.save(update_fields=["vote_events"])
    refresh_analysis(conversation)
    return conversation
