"""Role x phase permission matrix for a process run by the North area committee.

Personas (repo-root conftest.py): the resident lives in Castle ward (inside North); the officer works for North;
the councillor represents Abbey ward (inside North, so not a councillor *for North*); the moderator and the
administrator cover the whole district; the outsider has no postcode; ``other_resident`` lives in Riverside
(South).
"""

from __future__ import annotations

import pytest

from localpower.accounts.models import RoleKind
from localpower.accounts.tests.factories import RoleFactory, UserFactory
from localpower.budgets.models import Idea
from localpower.budgets.tests.factories import make_process

pytestmark = pytest.mark.django_db

PHASES = ("ideas", "review", "voting", "counting", "results", "delivery")
PERSONAS = ("resident", "officer", "councillor", "moderator", "administrator", "outsider", "other_resident")
EVERYONE = set(PERSONAS)
STAFF = {"officer", "administrator"}
ALL_PHASES = set(PHASES)

# permission -> (who, in which phases). Everything else is refused.
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "budgets.view_process": (EVERYONE, ALL_PHASES),
    "budgets.change_process": (STAFF, ALL_PHASES),
    "budgets.submit_idea": ({"resident"}, {"ideas"}),
    "budgets.edit_idea": ({"resident"}, {"ideas"}),  # the resident wrote the idea
    "budgets.support_idea": ({"resident"}, {"ideas", "review"}),
    "budgets.comment_on_idea": ({"resident", "officer", "administrator", "moderator"}, {"ideas", "review"}),
    "budgets.report": (EVERYONE, ALL_PHASES),
    "budgets.review_ideas": (STAFF, {"ideas", "review"}),
    "budgets.manage_projects": (STAFF, {"ideas", "review"}),
    "budgets.vote": ({"resident"}, {"voting"}),
    "budgets.enter_paper_ballots": ({"officer"}, {"voting", "counting"}),
    "budgets.compute_results": (STAFF, {"counting", "results", "delivery"}),
    "budgets.publish_results": (STAFF, {"counting", "results", "delivery"}),
    "budgets.view_results": (STAFF, ALL_PHASES),  # before anything is published
    "budgets.moderate": ({"moderator", "administrator"}, ALL_PHASES),
    "budgets.update_delivery": (STAFF, {"results", "delivery"}),
}


@pytest.fixture
def people(resident, officer, councillor, moderator, administrator, outsider, other_resident):
    return {
        "resident": resident,
        "officer": officer,
        "councillor": councillor,
        "moderator": moderator,
        "administrator": administrator,
        "outsider": outsider,
        "other_resident": other_resident,
    }


@pytest.mark.parametrize("phase", PHASES)
def test_permission_matrix(borough, people, phase):
    process = make_process(borough["north"], phase, allow_paper_ballots=True)
    idea = Idea.objects.create(
        process=process, author=people["resident"], title="Benches", description="Seats"
    )
    actual, expected = {}, {}
    for perm, (who, phases) in EXPECTED.items():
        target = idea if perm == "budgets.edit_idea" else process
        for name in PERSONAS:
            actual[(perm, name)] = people[name].has_perm(perm, target)
            expected[(perm, name)] = name in who and phase in phases
    wrong = sorted(key for key in actual if actual[key] != expected[key])
    assert wrong == [], f"in the {phase} phase these differ from the matrix: {wrong}"


def test_add_process_is_for_staff_of_the_area(borough, people):
    allowed = {
        name for name, person in people.items() if person.has_perm("budgets.add_process", borough["castle"])
    }
    assert allowed == STAFF
    assert not people["officer"].has_perm("budgets.add_process", borough["riverside"])


def test_everyone_sees_published_results_and_councillors_see_them_early(borough, people):
    from localpower.budgets.services import compute_result, publish_result

    process = make_process(borough["north"], "results")
    councillor = UserFactory()
    RoleFactory(user=councillor, kind=RoleKind.COUNCILLOR, area=borough["north"])
    result = compute_result(actor=people["officer"], process=process)
    assert councillor.has_perm("budgets.view_results", process)
    assert not people["outsider"].has_perm("budgets.view_results", process)
    publish_result(actor=people["officer"], result=result)
    assert all(person.has_perm("budgets.view_results", process) for person in people.values())


def test_drafts_are_hidden_from_the_public(borough, people):
    process = make_process(borough["north"], "ideas", state="draft")
    visible = {name for name, person in people.items() if person.has_perm("budgets.view_process", process)}
    assert visible == STAFF
    assert not people["resident"].has_perm("budgets.submit_idea", process)


def test_paper_ballots_only_when_the_process_allows_them(borough, people):
    process = make_process(borough["north"], "voting", allow_paper_ballots=False)
    assert not people["officer"].has_perm("budgets.enter_paper_ballots", process)


def test_a_resident_role_counts_like_a_verified_postcode(borough):
    person = UserFactory()
    RoleFactory(user=person, kind=RoleKind.RESIDENT, area=borough["castle"])
    castle = make_process(borough["castle"], "voting")
    north = make_process(borough["north"], "voting")
    assert person.has_perm("budgets.vote", castle)
    assert not person.has_perm("budgets.vote", north)  # Castle is inside North, not the other way round


@pytest.mark.parametrize("state", ["paused", "cancelled"])
def test_paused_or_cancelled_processes_take_no_part(borough, people, state):
    for phase in ("ideas", "voting"):
        process = make_process(borough["north"], phase, state=state, allow_paper_ballots=True)
        for perm in (
            "budgets.submit_idea",
            "budgets.support_idea",
            "budgets.vote",
            "budgets.enter_paper_ballots",
        ):
            assert not any(person.has_perm(perm, process) for person in people.values()), (perm, phase)
        assert people["officer"].has_perm("budgets.change_process", process)
