"""Who may do what, as a persona × status matrix (the table in ``rules.py``)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from localpower.simulator.tests.factories import make_simulator

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous", "resident", "officer", "officer_south", "councillor", "moderator", "administrator",
    "parish_clerk", "organisation_member", "outsider", "superuser",
]  # fmt: skip
STATUSES = ["draft", "upcoming", "open", "closed"]

# For the North area committee's simulator, audience "residents". Sets of personas allowed, per status.
STAFF = {"officer", "administrator", "superuser"}
EXPECTED = {
    "simulator.change_simulator": {s: STAFF for s in STATUSES},
    "simulator.view_comments": {s: STAFF for s in STATUSES},
    "simulator.export": {s: STAFF for s in STATUSES},
    "simulator.view_simulator": {
        "draft": STAFF,
        **{s: set(PERSONAS) for s in ("upcoming", "open", "closed")},
    },
    # The superuser has a verified e-mail address but no home: superusers pass every check anyway.
    "simulator.respond": {
        "draft": {"superuser"},
        "upcoming": {"superuser"},
        "open": {"resident", "organisation_member", "superuser"},
        "closed": {"superuser"},
    },
    "simulator.view_results": {
        "draft": STAFF,
        "upcoming": STAFF,  # the councillor is for Abbey ward, inside North: see the test below
        "open": STAFF,
        "closed": set(PERSONAS),
    },
}


@pytest.fixture
def people(request, borough):
    found = {"anonymous": AnonymousUser()}
    for name in PERSONAS[1:]:
        found[name] = request.getfixturevalue(name)
    return found


@pytest.mark.parametrize("status", STATUSES)
def test_permission_matrix(people, borough, status):
    simulator = make_simulator(borough["north"], status)
    problems = []
    for perm, by_status in EXPECTED.items():
        allowed = by_status[status]
        for name, user in people.items():
            has = user.has_perm(perm, simulator)
            if has != (name in allowed):
                problems.append(f"{perm} {status} {name}: {'allowed' if has else 'refused'}")
    assert not problems, "\n".join(problems)


def test_councillors_see_results_early_for_their_own_area(people, borough):
    assert people["councillor"].has_perm("simulator.view_results", make_simulator(borough["abbey"], "open"))
    assert not people["councillor"].has_perm(
        "simulator.view_results", make_simulator(borough["north"], "open")
    )
    simulator = make_simulator(borough["south"], "open")
    assert not people["officer"].has_perm("simulator.change_simulator", simulator)
    assert people["officer_south"].has_perm("simulator.change_simulator", simulator)


def test_open_to_everyone_signed_in(people, borough):
    simulator = make_simulator(borough["north"], "open", audience="signed_in")
    allowed = {n for n, u in people.items() if u.has_perm("simulator.respond", simulator)}
    assert allowed == set(PERSONAS) - {"anonymous"}


def test_staff_pages(people):
    allowed = {n for n, u in people.items() if u.has_perm("simulator.manage_simulators")}
    assert allowed == {"officer", "officer_south", "administrator", "parish_clerk", "superuser"}
    area_staff = {n for n, u in people.items() if u.has_perm("simulator.add_simulator", None)}
    assert area_staff == {"superuser"}
