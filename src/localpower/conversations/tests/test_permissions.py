"""Who may do what, by persona and phase (the table in rules.py), for a conversation of the North committee
that only its verified residents can take part in."""

from __future__ import annotations

import pytest

from localpower.conversations.tests.factories import make_conversation

pytestmark = pytest.mark.django_db

PHASES = ("draft", "upcoming", "open", "closed")
ALL, PUBLIC, OPEN, NEVER = set(PHASES), {"upcoming", "open", "closed"}, {"open"}, set()
NOT_CLOSED = {"draft", "upcoming", "open"}

# persona: {permission: phases in which it is allowed}
MATRIX = {
    "anonymous": {"view_conversation": PUBLIC},
    "resident": {"view_conversation": PUBLIC, "take_part": OPEN, "add_statement": OPEN, "report": PUBLIC},
    "organisation_member": {
        "view_conversation": PUBLIC,
        "take_part": OPEN,
        "add_statement": OPEN,
        "report": PUBLIC,
    },
    "outsider": {"view_conversation": PUBLIC, "report": PUBLIC},
    "councillor": {"view_conversation": PUBLIC, "report": PUBLIC},
    "officer_south": {"view_conversation": PUBLIC, "report": PUBLIC},
    "parish_clerk": {"view_conversation": PUBLIC, "report": PUBLIC},
    "officer": {
        "view_conversation": ALL,
        "change_conversation": ALL,
        "add_seed_statement": NOT_CLOSED,
        "moderate": ALL,
        "report": PUBLIC,
    },
    "administrator": {
        "view_conversation": ALL,
        "change_conversation": ALL,
        "add_seed_statement": NOT_CLOSED,
        "moderate": ALL,
        "report": PUBLIC,
    },
    "moderator": {"view_conversation": ALL, "moderate": ALL, "report": PUBLIC},
    "superuser": {
        p: ALL
        for p in (
            "view_conversation",
            "take_part",
            "add_statement",
            "change_conversation",
            "add_seed_statement",
            "moderate",
            "report",
        )
    },
}
PERMISSIONS = (
    "view_conversation",
    "take_part",
    "add_statement",
    "change_conversation",
    "add_seed_statement",
    "moderate",
    "report",
)


@pytest.mark.parametrize("persona", list(MATRIX))
def test_permission_matrix(persona, borough, request):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    conversations = {phase: make_conversation(borough["north"], phase) for phase in PHASES}
    found = {
        perm: {phase for phase, c in conversations.items() if user.has_perm(f"conversations.{perm}", c)}
        for perm in PERMISSIONS
    }
    expected = {perm: MATRIX[persona].get(perm, NEVER) for perm in PERMISSIONS}
    assert found == expected


def test_staff_pages_and_adding_conversations(borough, officer, moderator, resident, officer_south):
    assert officer.has_perm("conversations.manage_conversations")
    assert moderator.has_perm("conversations.manage_conversations")
    assert not resident.has_perm("conversations.manage_conversations")
    assert officer.has_perm("conversations.add_conversation", borough["castle"])
    assert not officer.has_perm("conversations.add_conversation", borough["south"])
    assert officer_south.has_perm("conversations.add_conversation", borough["south"])
    assert not moderator.has_perm("conversations.add_conversation", borough["north"])


def test_signed_in_conversations_let_anyone_confirmed_take_part(signed_in_only, outsider, officer_south):
    assert outsider.has_perm("conversations.take_part", signed_in_only)
    assert officer_south.has_perm("conversations.take_part", signed_in_only)


def test_residents_only_also_needs_a_confirmed_email(borough):
    from localpower.accounts.tests.factories import UserFactory
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    unconfirmed = UserFactory(verified_postcode=SMALL_BOROUGH_POSTCODES["castle"], email_verified_at=None)
    assert not unconfirmed.has_perm("conversations.take_part", make_conversation(borough["north"]))


def test_staff_pages_refuse_people_without_a_role(client, conversation, resident, officer_south):
    from django.urls import reverse

    assert client.get(reverse("conversations:staff-list")).status_code == 302
    client.force_login(resident)
    assert client.get(reverse("conversations:staff-list")).status_code == 403
    client.force_login(officer_south)
    assert client.get(reverse("conversations:staff-overview", args=[conversation.slug])).status_code == 403
    assert client.get(reverse("conversations:staff-list")).status_code == 200
