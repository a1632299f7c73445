"""The permission matrix: every persona against every permission, in the areas that matter.

Each row of EXPECTED names the personas allowed; everyone else must be refused. A change to a rule shows up here
as a precise difference (persona, permission, area).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

PERSONAS = [
    "anonymous",
    "unverified",
    "outsider",
    "resident",
    "organisation_member",
    "officer",
    "officer_south",
    "councillor",
    "moderator",
    "administrator",
    "parish_clerk",
    "superuser",
]

STAFF = {"officer", "officer_south", "councillor", "moderator", "administrator", "parish_clerk", "superuser"}
VERIFIED_PEOPLE = set(PERSONAS) - {"anonymous", "unverified"}

# (permission, area key in the small borough or "parish_council" or None) -> personas allowed.
EXPECTED = {
    ("accounts.view_staff_pages", None): STAFF,
    ("core.view_auditentry", None): {"administrator", "superuser"},
    ("accounts.view_people", None): {"administrator", "superuser"},
    ("accounts.take_part", None): VERIFIED_PEOPLE,
    ("accounts.add_organisation", None): {
        "officer",
        "officer_south",
        "administrator",
        "parish_clerk",
        "superuser",
    },
    ("accounts.verify_postcode", None): {
        "officer",
        "officer_south",
        "administrator",
        "parish_clerk",
        "superuser",
    },
    ("accounts.verify_postcode", "castle"): {"officer", "administrator", "superuser"},
    ("accounts.verify_postcode", "riverside"): {"officer_south", "administrator", "superuser"},
    ("accounts.verify_postcode", "abbeyfield"): {"officer", "parish_clerk", "administrator", "superuser"},
    ("accounts.verify_postcode", "district"): {"administrator", "superuser"},
    ("accounts.manage_roles", None): {"administrator", "superuser"},
    ("accounts.manage_roles", "castle"): {"administrator", "superuser"},
    ("accounts.manage_roles", "district"): {"administrator", "superuser"},
    ("accounts.manage_organisation", "parish_council"): {
        "officer",
        "administrator",
        "parish_clerk",
        "superuser",
    },
    ("accounts.view_organisation_members", "parish_council"): {
        "officer",
        "administrator",
        "parish_clerk",
        "organisation_member",
        "superuser",
    },
}


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def unverified(db):
    from localpower.accounts.tests.factories import UserFactory

    return UserFactory(unverified=True)


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(persona, request, borough, parish_council):
    user = request.getfixturevalue(persona)
    targets = {**borough, "parish_council": parish_council, None: None}
    actual = {}
    expected = {}
    for (permission, target), allowed in EXPECTED.items():
        obj = targets[target]
        actual[(permission, target)] = (
            user.has_perm(permission, obj) if obj is not None else user.has_perm(permission)
        )
        expected[(permission, target)] = persona in allowed
    assert actual == expected


def test_a_deactivated_officer_loses_every_permission(officer, borough):
    officer.is_active = False
    officer.save()
    officer.refresh_from_db()
    assert not officer.has_perm("accounts.view_staff_pages")
    assert not officer.has_perm("accounts.verify_postcode", borough["castle"])
