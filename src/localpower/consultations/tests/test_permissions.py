"""The permission matrix of rules.py: every persona against every status, and the audiences."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from localpower.consultations.models import Audience, Outcome
from localpower.consultations.tests.factories import make_consultation

PERSONAS = [
    "anonymous",
    "resident",
    "officer",
    "officer_south",
    "councillor",
    "moderator",
    "administrator",
    "parish_clerk",
    "organisation_member",
    "outsider",
    "superuser",
]
STATUSES = ["draft", "upcoming", "open", "closed", "responded"]
STAFF = {"officer", "administrator", "superuser"}
EVERYONE = set(PERSONAS)


def _consultation(borough, status, **fields):
    consultation = make_consultation(
        borough["north"], "closed" if status == "responded" else status, **fields
    )
    if status == "responded":
        Outcome.objects.create(
            consultation=consultation, you_said="A", we_did="B", published_at=timezone.now()
        )
        consultation.refresh_from_db()
    return consultation


@pytest.fixture
def person(request, borough):
    name = request.param
    if name == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(name)


EXPECTED = {
    # permission: {status: personas allowed}
    "consultations.view_consultation": {
        "draft": STAFF,
        **{s: EVERYONE for s in ("upcoming", "open", "closed", "responded")},
    },
    "consultations.change_consultation": {s: STAFF for s in STATUSES},
    "consultations.respond": {s: (EVERYONE if s == "open" else set()) for s in STATUSES},
    "consultations.view_responses": {s: (set() if s == "draft" else STAFF) for s in STATUSES},
    "consultations.tag_answers": {s: (set() if s == "draft" else STAFF) for s in STATUSES},
    "consultations.view_summary": {
        "draft": set(),
        "upcoming": STAFF,
        "open": STAFF,
        "closed": STAFF,
        "responded": EVERYONE,
    },
    "consultations.publish_outcome": {
        s: (STAFF if s in ("closed", "responded") else set()) for s in STATUSES
    },
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("person", PERSONAS, indirect=True)
def test_matrix(person, status, borough, request):
    consultation = _consultation(borough, status)
    name = next(
        p
        for p in PERSONAS
        if p == "anonymous"
        and not person.is_authenticated
        or p != "anonymous"
        and getattr(person, "pk", None) == getattr(request.getfixturevalue(p), "pk", -1)
    )
    for perm, by_status in EXPECTED.items():
        # Superusers pass every permission check (Django's rule); the services check dates themselves.
        expected = name == "superuser" or name in by_status[status]
        assert person.has_perm(perm, consultation) == expected, (perm, name, status)


@pytest.mark.parametrize(
    ("audience", "allowed"),
    [
        (Audience.EVERYONE, EVERYONE),
        (Audience.SIGNED_IN, EVERYONE - {"anonymous"}),
        (Audience.RESIDENTS, {"resident", "organisation_member", "superuser"}),
        (Audience.ORGANISATIONS, {"organisation_member", "parish_clerk", "superuser"}),
    ],
)
def test_audiences_when_open(audience, allowed, borough, parish_council, request):
    consultation = _consultation(borough, "open", audience=audience)
    consultation.invited_organisations.set([parish_council])
    for name in PERSONAS:
        person = AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)
        expected = name in allowed
        assert person.has_perm("consultations.respond", consultation) == expected, (audience, name)


def test_officers_may_add_consultations_only_in_their_areas(borough, officer, officer_south, resident):
    assert officer.has_perm("consultations.add_consultation", borough["castle"])
    assert not officer.has_perm("consultations.add_consultation", borough["riverside"])
    assert officer_south.has_perm("consultations.add_consultation", borough["riverside"])
    assert not resident.has_perm("consultations.add_consultation", borough["castle"])
    assert officer.has_perm("consultations.manage_consultations")
    assert not resident.has_perm("consultations.manage_consultations")
