"""The demo conversation: 400 synthetic participants in latent groups, found again by the analysis; safe to
build twice."""

from __future__ import annotations

import time

import pytest

from localpower.conversations.demo import PARTICIPANTS, build_demo_conversations
from localpower.conversations.models import Analysis, Conversation, Statement, Vote

pytestmark = pytest.mark.django_db


def test_demo_conversation():
    from localpower.accounts.demo import build_demo_people
    from localpower.places.demo import build_demo_places

    areas = build_demo_places()
    build_demo_people(areas)
    started = time.monotonic()
    conversation = build_demo_conversations(areas)
    took = time.monotonic() - started
    assert conversation.phase == "open" and conversation.area == areas["borough"]
    assert conversation.statements.filter(status="approved").count() == 40
    assert conversation.statements.filter(status="pending").count() == 2
    assert conversation.participants.count() == PARTICIPANTS
    analysis = conversation.analysis
    assert analysis.groups == 3 and analysis.participants == PARTICIPANTS
    consensus = {c["statement"] for c in analysis.data["consensus"]}
    assert consensus == {0, 1, 2, 3, 4}, "the five statements everyone agrees with bridge the groups"
    assert any(t["label"] == "Under 25" and t["total"] for t in analysis.data["tags"])
    assert took < 30, f"building the demo conversation took {took:.1f} s"
    from localpower.accounts.models import User

    rosa = User.objects.get(email="resident.castle@demo.example.org")
    assert rosa.has_perm("conversations.take_part", conversation)
    counts = (
        Conversation.objects.count(),
        Statement.objects.count(),
        Vote.objects.count(),
        Analysis.objects.count(),
    )
    build_demo_conversations(areas)
    assert (
        Conversation.objects.count(),
        Statement.objects.count(),
        Vote.objects.count(),
        Analysis.objects.count(),
    ) == counts
