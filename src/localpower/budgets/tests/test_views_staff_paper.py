"""Staff paper ballot page: double entry by two officers, a mismatch shown clearly, the lists of entries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from localpower.accounts.models import RoleKind
from localpower.accounts.tests.factories import PASSWORD, RoleFactory, UserFactory
from localpower.budgets.models import Ballot, BallotKind, PaperBallotEntry, PaperEntryStatus
from localpower.budgets.tests.factories import make_process, make_projects

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.logout()
    assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.fixture
def second_officer(borough):
    user = UserFactory(email="officer.two@example.org", display_name="Tess Two")
    RoleFactory(user=user, kind=RoleKind.OFFICER, area=borough["north"])
    return user


@pytest.fixture
def process(borough):
    process = make_process(borough["north"], "voting", allow_paper_ballots=True)
    make_projects(process, [1000, 2000, 3000])
    return process


def test_two_matching_entries_count_one_ballot(client, officer, second_officer, process):
    url = reverse("budgets:staff-paper", args=[process.slug])
    a, b, _c = process.projects.order_by("pk")
    signed_in(client, officer)
    response = client.post(url, {"paper_number": "000123", "projects": [a.pk, b.pk]}, follow=True)
    assert "A second officer must now enter ballot paper 000123" in response.content.decode()
    assert not Ballot.objects.exists()
    again = client.post(url, {"paper_number": "000123", "projects": [a.pk, b.pk]})
    assert again.status_code == 400
    assert "You have already entered ballot paper 000123" in again.content.decode()
    signed_in(client, second_officer)
    response = client.post(url, {"paper_number": " 000123 ", "projects": [b.pk, a.pk]}, follow=True)
    page = response.content.decode()
    assert "Both entries match. Ballot paper 000123 is counted." in page
    assert Ballot.objects.filter(process=process, channel="paper").count() == 1
    assert '<p class="govuk-body" id="confirmed-count">1 ballot paper</p>' in page


def test_a_mismatch_is_shown_side_by_side(client, officer, second_officer, process):
    url = reverse("budgets:staff-paper", args=[process.slug])
    a, b, c = process.projects.order_by("pk")
    signed_in(client, officer)
    client.post(url, {"paper_number": "7", "projects": [a.pk]})
    signed_in(client, second_officer)
    response = client.post(url, {"paper_number": "7", "projects": [c.pk]})
    page = response.content.decode()
    assert "Ballot paper 7: the entries do not match" in page
    assert "Ask another officer to enter it." in page
    mismatch_table = page.split('id="mismatch"')[1].split("</table>")[0]
    assert "Project 1" in mismatch_table and "Project 3" in mismatch_table and "Olu Officer" in mismatch_table
    assert set(PaperBallotEntry.objects.values_list("status", flat=True)) == {PaperEntryStatus.MISMATCH}
    assert not Ballot.objects.exists()


def test_points_ballot_is_checked_by_the_service(client, officer, borough):
    process = make_process(
        borough["north"],
        "voting",
        allow_paper_ballots=True,
        ballot_kind=BallotKind.CUMULATIVE,
        points_total=10,
    )
    a, b = make_projects(process, [100, 200])
    signed_in(client, officer)
    url = reverse("budgets:staff-paper", args=[process.slug])
    response = client.post(url, {"paper_number": "9", f"project_{a.pk}": "8", f"project_{b.pk}": "7"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not PaperBallotEntry.objects.exists()
    response = client.post(url, {"paper_number": "9", f"project_{a.pk}": "6", f"project_{b.pk}": "4"})
    assert response.status_code == 302
    assert PaperBallotEntry.objects.get().content == {"points": {str(a.pk): 6, str(b.pk): 4}}


def test_who_may_enter_paper_ballots(client, officer_south, resident, councillor, process, borough):
    url = reverse("budgets:staff-paper", args=[process.slug])
    assert client.get(url).status_code == 302
    for person in (resident, officer_south, councillor):
        signed_in(client, person)
        assert client.get(url).status_code == 403
        assert client.post(url, {"paper_number": "1"}).status_code == 403
    assert not PaperBallotEntry.objects.exists()
    no_paper = make_process(borough["south"], "voting")
    signed_in(client, officer_south)
    page = client.get(reverse("budgets:staff-paper", args=[no_paper.slug])).content.decode()
    assert "This budget does not use paper ballots" in page
    assert 'name="paper_number"' not in page


def test_recording_paper_voters(client, officer, resident, process):
    from localpower.budgets.models import VoterRecord

    url = reverse("budgets:staff-paper-voter", args=[process.slug])
    signed_in(client, officer)
    response = client.post(url, {"paper_reference": "", "email": ""})
    assert response.status_code == 400
    assert (
        "Give either the voter&#x27;s reference or their account&#x27;s e-mail address."
        in response.content.decode()
    )
    response = client.post(url, {"email": "nobody@example.org"})
    assert "There is no account with this e-mail address." in response.content.decode()
    assert client.post(url, {"paper_reference": "ER-0042"}).status_code == 302
    again = client.post(url, {"paper_reference": "ER-0042"})
    assert again.status_code == 400
    assert "This paper voter has already been given a ballot paper." in again.content.decode()
    assert client.post(url, {"email": resident.email.upper()}).status_code == 302
    assert VoterRecord.objects.filter(process=process, channel="paper").count() == 2
    assert VoterRecord.objects.filter(process=process, user=resident).exists()
    page = client.get(reverse("budgets:staff-paper", args=[process.slug])).content.decode()
    assert "2 people have been given a ballot paper." in page
