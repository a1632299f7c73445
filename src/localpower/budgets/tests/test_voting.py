"""Casting, repeating and replacing online ballots; eligibility; the has-voted record kept apart from the ballot."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from localpower.budgets.models import Ballot, ProcessState, VoterRecord
from localpower.budgets.selectors import receipt_status
from localpower.budgets.services import cast_ballot
from localpower.budgets.services.voting import seal
from localpower.budgets.tests.factories import make_process, make_projects
from localpower.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(borough):
    process = make_process(borough["north"], "voting")
    make_projects(process, [4000, 3000, 5000, 2000])
    return process


def ids(process):
    return list(process.projects.order_by("pk").values_list("pk", flat=True))


def test_a_resident_votes_and_gets_a_receipt(process, resident):
    p = ids(process)
    result = cast_ballot(
        actor=resident, process=process, content={"projects": [p[2], p[0]]}, idempotency_key="k1"
    )
    assert not result.replaced and not result.repeated
    assert len(result.receipt) == 14 and result.receipt.count("-") == 2
    ballot = Ballot.objects.get(process=process)
    assert ballot.content == {"projects": sorted([p[0], p[2]])}
    assert ballot.receipt == result.receipt
    record = VoterRecord.objects.get(process=process, user=resident)
    # The voter record keeps a keyed hash of the receipt, never the receipt itself.
    assert record.ballot_seal == seal(result.receipt)
    assert result.receipt not in record.ballot_seal
    assert receipt_status(process, result.receipt.lower().replace("-", "")) == "counted"
    assert AuditEntry.objects.filter(action="budgets.ballot.cast", actor_id=resident.pk).count() == 1
    assert result.receipt not in AuditEntry.objects.get(action="budgets.ballot.cast").summary


def test_the_ballot_row_has_no_link_to_the_person(process, resident):
    cast_ballot(actor=resident, process=process, content=[ids(process)[0]])
    ballot = Ballot.objects.get(process=process)
    # Exactly these columns: adding anything that could identify the voter must be a deliberate decision.
    assert {f.attname for f in Ballot._meta.concrete_fields} == {
        "id",
        "process_id",
        "content",
        "receipt",
        "channel",
        "cast_on",
        "superseded_on",
    }
    record = VoterRecord.objects.get(user=resident)
    # Ballots keep the day only, so they cannot be matched to the voter record's exact time.
    assert not hasattr(ballot.cast_on, "hour")
    assert record.voted_at.date() == ballot.cast_on


def test_same_idempotency_key_returns_the_first_outcome(process, resident):
    p = ids(process)
    first = cast_ballot(actor=resident, process=process, content=[p[0]], idempotency_key="form-123")
    again = cast_ballot(actor=resident, process=process, content=[p[0]], idempotency_key="form-123")
    assert again.repeated and again.receipt == first.receipt
    assert Ballot.objects.filter(process=process).count() == 1
    assert VoterRecord.objects.filter(process=process).count() == 1
    assert AuditEntry.objects.filter(action__startswith="budgets.ballot").count() == 1


def test_changing_the_ballot_supersedes_the_old_one(process, resident):
    p = ids(process)
    first = cast_ballot(actor=resident, process=process, content=[p[0]], idempotency_key="a")
    second = cast_ballot(actor=resident, process=process, content=[p[1], p[3]], idempotency_key="b")
    assert second.replaced and second.receipt != first.receipt
    current = Ballot.objects.filter(process=process, superseded_on__isnull=True)
    assert [b.content for b in current] == [{"projects": sorted([p[1], p[3]])}]
    assert receipt_status(process, first.receipt) == "replaced"
    assert receipt_status(process, second.receipt) == "counted"
    record = VoterRecord.objects.get(user=resident)
    assert record.changes == 1 and record.ballot_seal == seal(second.receipt)
    # A late retry of the first form does not undo the change.
    late = cast_ballot(actor=resident, process=process, content=[p[0]], idempotency_key="a")
    assert late.repeated
    assert Ballot.objects.filter(process=process, superseded_on__isnull=True).get().receipt == second.receipt


def test_changing_is_refused_when_the_process_does_not_allow_it(borough, resident):
    process = make_process(borough["north"], "voting", allow_ballot_change=False)
    p = [x.pk for x in make_projects(process, [100, 200])]
    cast_ballot(actor=resident, process=process, content=[p[0]])
    with pytest.raises(ValidationError, match="does not let voters change their ballot"):
        cast_ballot(actor=resident, process=process, content=[p[1]])
    assert Ballot.objects.filter(process=process).count() == 1


@pytest.mark.parametrize(
    ("phase", "message"),
    [
        ("ideas", "not opened yet"),
        ("review", "not opened yet"),
        ("counting", "closed"),
        ("delivery", "closed"),
    ],
)
def test_voting_only_while_voting_is_open(borough, resident, phase, message):
    process = make_process(borough["north"], phase)
    p = make_projects(process, [100])
    with pytest.raises(PermissionDenied, match=message):
        cast_ballot(actor=resident, process=process, content=[p[0].pk])
    assert not VoterRecord.objects.exists()


def test_paused_process_takes_no_votes(borough, resident):
    process = make_process(borough["north"], "voting", state=ProcessState.PAUSED)
    p = make_projects(process, [100])
    with pytest.raises(PermissionDenied, match="paused"):
        cast_ballot(actor=resident, process=process, content=[p[0].pk])


def test_residents_of_other_areas_and_outsiders_cannot_vote(process, other_resident, outsider, officer):
    p = ids(process)
    for person in (other_resident, outsider, officer):
        with pytest.raises(PermissionDenied, match="Only residents of North Area Committee can vote"):
            cast_ballot(actor=person, process=process, content=[p[0]])
    assert not Ballot.objects.exists()


def test_unverified_email_cannot_vote(process, make_resident):
    person = make_resident(unverified=True)
    with pytest.raises(PermissionDenied, match="Confirm your e-mail address"):
        cast_ballot(actor=person, process=process, content=[ids(process)[0]])


def test_minimum_age_must_be_confirmed(borough, resident):
    process = make_process(borough["north"], "voting", minimum_age=16)
    p = make_projects(process, [100])
    with pytest.raises(ValidationError, match="16 or older"):
        cast_ballot(actor=resident, process=process, content=[p[0].pk])
    cast_ballot(actor=resident, process=process, content=[p[0].pk], confirmed_minimum_age=True)
    assert VoterRecord.objects.get(user=resident).confirmed_minimum_age == 16


def test_an_invalid_ballot_stores_nothing(process, resident):
    with pytest.raises(ValidationError, match="not on this ballot"):
        cast_ballot(actor=resident, process=process, content=[999999])
    assert not VoterRecord.objects.exists() and not Ballot.objects.exists()


def test_two_voters_get_different_receipts_for_the_same_key(process, resident, make_resident):
    other = make_resident()
    a = cast_ballot(actor=resident, process=process, content=[ids(process)[0]], idempotency_key="same")
    b = cast_ballot(actor=other, process=process, content=[ids(process)[0]], idempotency_key="same")
    assert a.receipt != b.receipt
    assert Ballot.objects.filter(process=process).count() == 2


def test_changing_the_ballot_after_a_server_key_change(process, resident, settings):
    p = ids(process)
    cast_ballot(actor=resident, process=process, content=[p[0]], idempotency_key="a")
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert cast_ballot(actor=resident, process=process, content=[p[1]], idempotency_key="b").replaced
    assert Ballot.objects.filter(process=process, superseded_on__isnull=True).count() == 1
    # Without the old key the earlier ballot cannot be found: refuse rather than count two ballots.
    settings.SECRET_KEY = "another-key-" + "y" * 50
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(ValidationError, match="could not be found to replace it"):
        cast_ballot(actor=resident, process=process, content=[p[2]], idempotency_key="c")
    assert Ballot.objects.filter(process=process, superseded_on__isnull=True).count() == 1


def test_public_receipt_list_and_turnout(process, resident, make_resident):
    from localpower.budgets.selectors import counted_receipts, turnout

    p = ids(process)
    first = cast_ballot(actor=resident, process=process, content=[p[0]])
    second = cast_ballot(actor=resident, process=process, content=[p[1]])
    other = cast_ballot(actor=make_resident(), process=process, content=[p[2]])
    assert counted_receipts(process) == sorted([second.receipt, other.receipt])
    assert first.receipt not in counted_receipts(process)
    assert turnout(process) == {"voters": 2, "online": 2, "paper_voters": 0, "ballots_counted": 2}
