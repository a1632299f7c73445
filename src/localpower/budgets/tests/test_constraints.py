"""The database itself refuses data that breaks the rules, whatever code writes it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from localpower.budgets.models import (
    Ballot,
    Idea,
    IdeaStatus,
    IdeaSupport,
    PaperBallotEntry,
    Process,
    Report,
    Result,
    VoterRecord,
)
from localpower.budgets.tests.factories import make_process, make_projects, timetable

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_voter_record_per_person_per_process(borough, resident):
    process = make_process(borough["north"])
    VoterRecord.objects.create(process=process, user=resident)
    refused(lambda: VoterRecord.objects.create(process=process, user=resident))
    other = make_process(borough["north"])
    VoterRecord.objects.create(process=other, user=resident)  # another process is fine
    VoterRecord.objects.create(process=process, paper_reference="ER-1")
    refused(lambda: VoterRecord.objects.create(process=process, paper_reference="ER-1"))


def test_ballot_receipts_are_unique(borough):
    process = make_process(borough["north"])
    Ballot.objects.create(process=process, content={"projects": [1]}, receipt="AAAA-BBBB-CCCC")
    refused(
        lambda: Ballot.objects.create(process=process, content={"projects": [2]}, receipt="AAAA-BBBB-CCCC")
    )


def test_process_budget_and_phase_order(borough):
    dates = timetable("ideas")
    refused(lambda: Process.objects.create(area=borough["north"], title="T", slug="t", budget=0, **dates))
    wrong = dict(dates, voting_closes_at=dates["voting_opens_at"] - datetime.timedelta(hours=1))
    refused(lambda: Process.objects.create(area=borough["north"], title="T", slug="t2", budget=10, **wrong))
    refused(
        lambda: Process.objects.create(
            area=borough["north"], title="T", slug="t3", budget=10, rule="greedy", completion="add1", **dates
        )
    )
    refused(
        lambda: Process.objects.create(
            area=borough["north"], title="T", slug="t4", budget=10, ballot_kind="cumulative", **dates
        )
    )


def test_idea_support_once_and_idea_rules(borough, resident):
    process = make_process(borough["north"], "ideas")
    idea = Idea.objects.create(process=process, author=resident, title="Benches", description="More benches")
    IdeaSupport.objects.create(idea=idea, user=resident)
    refused(lambda: IdeaSupport.objects.create(idea=idea, user=resident))
    refused(lambda: Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.NOT_FEASIBLE))  # no reason
    refused(lambda: Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.MERGED))  # no target
    refused(lambda: Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.ON_BALLOT))  # no project
    refused(lambda: Idea.objects.filter(pk=idea.pk).update(hidden_at=timezone.now()))  # no reason


def test_reports_target_exactly_one_thing_once(borough, resident):
    process = make_process(borough["north"], "ideas")
    idea = Idea.objects.create(process=process, author=resident, title="Benches", description="More benches")
    Report.objects.create(idea=idea, reporter=resident, reason="Spam")
    refused(lambda: Report.objects.create(idea=idea, reporter=resident, reason="Again"))
    refused(lambda: Report.objects.create(reporter=resident, reason="Nothing"))


def test_one_published_result_and_unique_versions(borough):
    process = make_process(borough["north"], "results")
    values = dict(
        process=process,
        rule="mes",
        input_sha256="0" * 64,
        library_version="x",
        voters=0,
        total_cost=Decimal(0),
    )
    Result.objects.create(version=1, published=True, published_at=timezone.now(), **values)
    refused(lambda: Result.objects.create(version=1, **values))
    refused(lambda: Result.objects.create(version=2, published=True, published_at=timezone.now(), **values))
    refused(lambda: Result.objects.create(version=3, published=True, **values))  # no publication time


def test_paper_entry_once_per_officer(borough, officer):
    process = make_process(borough["north"], allow_paper_ballots=True)
    PaperBallotEntry.objects.create(process=process, paper_number="1", content={}, entered_by=officer)
    refused(
        lambda: PaperBallotEntry.objects.create(
            process=process, paper_number="1", content={}, entered_by=officer
        )
    )


def test_project_cost_positive(borough):
    process = make_process(borough["north"], "review")
    make_projects(process, [10])
    refused(lambda: make_projects(process, [0]))
