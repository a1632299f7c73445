"""The plain-SQL reads and inserts of the ballot path give what the ORM gives, on every database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from localpower.budgets.models import Ballot, Channel, Process, Project, VoterRecord
from localpower.budgets.services._base import insert, select
from localpower.budgets.services.voting import ballot_projects
from localpower.budgets.tests.factories import make_process, make_projects

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(borough):
    process = make_process(borough["north"], "voting")
    make_projects(process, [4000, 3000])
    return process


def test_select_reads_a_process_as_the_orm_does(process):
    (found,) = select(Process, "slug = %s", [process.slug])
    expected = Process.objects.get(pk=process.pk)
    for field in Process._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert timezone.is_aware(found.voting_opens_at)
    assert found.phase == expected.phase == "voting"
    assert found.area == process.area  # loaded on first access


def test_select_loads_only_the_named_fields_and_the_rest_on_access(process):
    projects = ballot_projects(process)
    assert sorted(projects) == sorted(process.projects.values_list("pk", flat=True))
    project = projects[min(projects)]
    assert project.get_deferred_fields() >= {"description"}
    assert isinstance(project.cost, Decimal)
    assert project.cost == Project.objects.get(pk=project.pk).cost
    assert project.description == Project.objects.get(pk=project.pk).description


def test_select_finds_nothing_for_no_match(process):
    assert select(Process, "slug = %s", ["no-such-budget"]) == []


def test_insert_writes_the_row_with_its_defaults(process, resident):
    today = timezone.localdate()
    insert(Ballot(process=process, content={"projects": [1, 2]}, receipt="ABCD-EFGH-JKLM", cast_on=today))
    ballot = Ballot.objects.get(receipt="ABCD-EFGH-JKLM")
    assert ballot.content == {"projects": [1, 2]}
    assert ballot.channel == Channel.ONLINE
    assert ballot.superseded_on is None
    assert ballot.cast_on == today

    insert(VoterRecord(process=process, user=resident, ballot_seal="a" * 64, idempotency_digests=["d"]))
    record = VoterRecord.objects.get(process=process, user=resident)
    assert record.idempotency_digests == ["d"]
    assert record.changes == 0
    assert record.last_cast_on == today
    assert abs(record.voted_at - timezone.now()) < datetime.timedelta(minutes=1)


def test_insert_is_refused_by_the_one_person_one_ballot_constraint(process, resident):
    insert(VoterRecord(process=process, user=resident))
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(VoterRecord(process=process, user=resident))
    assert VoterRecord.objects.filter(process=process, user=resident).count() == 1
