"""Paper ballots: two officers must agree before a paper counts; paper voters cannot also vote online."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from localpower.accounts.models import RoleKind
from localpower.accounts.tests.factories import RoleFactory, UserFactory
from localpower.budgets.models import Ballot, Channel, PaperBallotEntry, VoterRecord
from localpower.budgets.services import cast_ballot, compute_result, enter_paper_ballot, mark_paper_voter
from localpower.budgets.tests.factories import make_process, make_projects, move_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(borough):
    process = make_process(borough["north"], "voting", allow_paper_ballots=True)
    make_projects(process, [100, 200, 300])
    return process


@pytest.fixture
def second_officer(borough):
    user = UserFactory(email="second.officer@example.org")
    RoleFactory(user=user, kind=RoleKind.OFFICER, area=borough["north"])
    return user


@pytest.fixture
def third_officer(borough):
    user = UserFactory(email="third.officer@example.org")
    RoleFactory(user=user, kind=RoleKind.OFFICER, area=borough["district"])
    return user


def pids(process):
    return list(process.projects.order_by("pk").values_list("pk", flat=True))


def test_two_matching_entries_count_once(process, officer, second_officer, third_officer):
    p = pids(process)
    first = enter_paper_ballot(actor=officer, process=process, paper_number="000123", content=[p[1], p[0]])
    assert first.status == "waiting" and "second officer" in first.message
    assert not Ballot.objects.exists()
    with pytest.raises(ValidationError, match="already entered ballot paper 000123"):
        enter_paper_ballot(actor=officer, process=process, paper_number="000123", content=[p[0], p[1]])
    second = enter_paper_ballot(
        actor=second_officer, process=process, paper_number=" 000123 ", content=[p[0], p[1]]
    )
    assert second.status == "confirmed"
    ballot = Ballot.objects.get()
    assert ballot.channel == Channel.PAPER and ballot.content == {"projects": [p[0], p[1]]}
    assert set(PaperBallotEntry.objects.values_list("status", flat=True)) == {"confirmed"}
    with pytest.raises(ValidationError, match="already been counted"):
        enter_paper_ballot(actor=third_officer, process=process, paper_number="000123", content=[p[0]])


def test_a_mismatch_needs_a_third_officer(process, officer, second_officer, third_officer):
    p = pids(process)
    enter_paper_ballot(actor=officer, process=process, paper_number="7", content=[p[0]])
    mismatch = enter_paper_ballot(actor=second_officer, process=process, paper_number="7", content=[p[2]])
    assert mismatch.status == "mismatch" and "does not match" in mismatch.message
    assert not Ballot.objects.exists()
    settled = enter_paper_ballot(actor=third_officer, process=process, paper_number="7", content=[p[2]])
    assert settled.status == "confirmed"
    assert Ballot.objects.get().content == {"projects": [p[2]]}


def test_paper_entries_are_validated_like_online_ballots(process, officer):
    with pytest.raises(ValidationError, match="not on this ballot"):
        enter_paper_ballot(actor=officer, process=process, paper_number="8", content=[12345])
    with pytest.raises(ValidationError, match="number printed on the ballot paper"):
        enter_paper_ballot(actor=officer, process=process, paper_number="  ", content=[pids(process)[0]])


def test_only_officers_enter_paper_ballots_when_allowed(borough, process, resident, councillor, officer):
    for person in (resident, councillor):
        with pytest.raises(PermissionDenied):
            enter_paper_ballot(actor=person, process=process, paper_number="1", content=[pids(process)[0]])
    online_only = make_process(borough["north"], "voting")
    project = make_projects(online_only, [50])[0]
    with pytest.raises(PermissionDenied):
        enter_paper_ballot(actor=officer, process=online_only, paper_number="1", content=[project.pk])


def test_paper_ballots_are_counted_with_online_ones(process, officer, second_officer, resident):
    p = pids(process)
    cast_ballot(actor=resident, process=process, content=[p[0]])
    enter_paper_ballot(actor=officer, process=process, paper_number="1", content=[p[1]])
    enter_paper_ballot(actor=second_officer, process=process, paper_number="1", content=[p[1]])
    move_to(process, "counting")
    # Counting is still a time for entering late-arriving paper ballots.
    enter_paper_ballot(actor=officer, process=process, paper_number="2", content=[p[1]])
    enter_paper_ballot(actor=second_officer, process=process, paper_number="2", content=[p[1]])
    result = compute_result(actor=officer, process=process)
    assert result.voters == 3 and result.votes[str(p[1])] == 2 and result.votes[str(p[0])] == 1


def test_a_paper_voter_cannot_vote_online(process, officer, resident):
    mark_paper_voter(actor=officer, process=process, user=resident)
    with pytest.raises(ValidationError, match="already voted on paper"):
        cast_ballot(actor=resident, process=process, content=[pids(process)[0]])
    with pytest.raises(ValidationError, match="already voted"):
        mark_paper_voter(actor=officer, process=process, user=resident)
    mark_paper_voter(actor=officer, process=process, paper_reference="ER-42")
    with pytest.raises(ValidationError, match="already been given a ballot paper"):
        mark_paper_voter(actor=officer, process=process, paper_reference="ER-42")
    assert VoterRecord.objects.filter(channel=Channel.PAPER).count() == 2


def test_an_online_voter_cannot_get_a_paper(process, officer, resident):
    cast_ballot(actor=resident, process=process, content=[pids(process)[0]])
    with pytest.raises(ValidationError, match="already voted"):
        mark_paper_voter(actor=officer, process=process, user=resident)
