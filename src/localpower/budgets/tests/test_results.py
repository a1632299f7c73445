"""Counting, versioned results, publishing, the anonymised exports, and delivery tracking."""

from __future__ import annotations

import csv
import io
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from localpower.budgets.exports import export_csv, export_pabulib, export_projects_csv
from localpower.budgets.models import Ballot, Delivery, DeliveryStatus, Result, VoterRecord
from localpower.budgets.selectors import deliveries, published_result
from localpower.budgets.services import (
    add_milestone,
    cast_ballot,
    complete_milestone,
    compute_result,
    publish_result,
    update_delivery,
)
from localpower.budgets.tally_adapter import sha256
from localpower.budgets.tasks import compute_result_task, count_closed_processes, request_count
from localpower.budgets.tests.factories import make_process, make_projects, move_to
from localpower.tally.pabulib import read_pabulib

pytestmark = pytest.mark.django_db


def vote_randomly(process, voters, seed=7, ballot=None):
    rng = random.Random(seed)
    projects = list(process.projects.order_by("pk"))
    for person in voters:
        if ballot is not None:
            content = ballot(rng, projects)
        else:
            content = [p.pk for p in rng.sample(projects, rng.randint(1, 3))]
        cast_ballot(actor=person, process=process, content=content, confirmed_minimum_age=True)


@pytest.fixture
def voters(make_resident):
    return [make_resident() for _ in range(25)]


@pytest.fixture
def closed(borough, voters):
    process = make_process(borough["north"], "voting")
    make_projects(process, [4000, 3000, 5000, 2000, 1500, 6000, 800])
    vote_randomly(process, voters)
    return move_to(process, "counting")


def pabutools_outcome(text: str, kind: str, rule: str, completion: str = "none") -> set[str]:
    from pabutools.election.pabulib import parse_pabulib_from_string

    from localpower.tally.tests.fair_oracle import pabutools_mes_on
    from localpower.tally.tests.oracle import pabutools_greedy_on

    instance, profile = parse_pabulib_from_string(text)
    if rule == "mes":
        return set(pabutools_mes_on(instance, profile, kind, completion=completion))
    return set(pabutools_greedy_on(instance, profile, kind, rule=rule))


def test_counting_needs_voting_to_have_closed(borough, officer):
    process = make_process(borough["north"], "voting")
    with pytest.raises(PermissionDenied):
        compute_result(actor=officer, process=process)
    with pytest.raises(ValidationError, match="only after voting closes"):
        compute_result(actor=None, process=process)


def test_result_is_versioned_reproducible_and_matches_pabutools(closed, officer):
    first = compute_result(actor=officer, process=closed)
    text = export_pabulib(closed)
    assert first.version == 1 and first.voters == 25 and first.rule == "mes"
    assert first.input_sha256 == sha256(text)
    assert first.options == {"sat": "cost", "completion": "add1"}
    assert "localpower" in first.library_version
    assert first.explanation["rounds"] and first.ejr["ok"] is True
    assert set(first.selected) == pabutools_outcome(text, "approval", "mes", "add1")
    assert first.total_cost == sum(p.cost for p in closed.projects.filter(pk__in=first.selected_ids))
    assert first.total_cost <= closed.budget
    # Votes per project agree with the ballots.
    expected = {str(p.pk): 0 for p in closed.projects.all()}
    for content in Ballot.objects.filter(process=closed).values_list("content", flat=True):
        for pid in content["projects"]:
            expected[str(pid)] += 1
    assert first.votes == expected
    second = compute_result(actor=officer, process=closed)
    assert (
        second.version == 2
        and second.input_sha256 == first.input_sha256
        and second.selected == first.selected
    )


def test_publish_starts_delivery_and_results_are_visible(closed, officer, resident, outsider):
    result = compute_result(actor=officer, process=closed)
    assert not outsider.has_perm("budgets.view_results", closed)
    assert officer.has_perm("budgets.view_results", closed)
    with pytest.raises(PermissionDenied):
        publish_result(actor=resident, result=result)
    publish_result(actor=officer, result=result)
    assert published_result(closed) == result
    assert outsider.has_perm("budgets.view_results", closed)
    assert set(Delivery.objects.values_list("project_id", flat=True)) == set(result.selected_ids)
    newer = compute_result(actor=officer, process=closed)
    assert publish_result(actor=officer, result=result).published  # publishing twice changes nothing
    Result.objects.filter(pk=result.pk).update(published=False)
    with pytest.raises(ValidationError, match="Only the latest count"):
        publish_result(actor=officer, result=result)
    publish_result(actor=officer, result=newer)
    assert list(Result.objects.filter(published=True)) == [newer]


def test_export_is_anonymous_and_sorted(closed, voters):
    text = export_pabulib(closed)
    election, profile = read_pabulib(text)
    assert profile.voter_ids == tuple(str(i) for i in range(1, 26))
    votes = text.split("VOTES\n", 1)[1]
    for person in voters:
        assert person.email not in text
    for receipt in Ballot.objects.values_list("receipt", flat=True):
        assert receipt not in text
    rows = [line.split(";")[1] for line in votes.strip().splitlines()[1:]]
    keys = [tuple(int(x) for x in row.split(",")) for row in rows]
    assert keys == sorted(keys)  # sorted by content, not by time of voting
    assert [p.id for p in election.projects] == [str(p.pk) for p in closed.projects.order_by("pk")]


def test_csv_exports(closed):
    rows = list(csv.reader(io.StringIO(export_csv(closed))))
    assert rows[0][0] == "voter_id" and len(rows) == 26
    assert all(set(r[1:]) <= {"0", "1"} for r in rows[1:])
    projects = list(csv.reader(io.StringIO(export_projects_csv(closed))))
    assert projects[0] == ["project_id", "title", "cost", "category"] and len(projects) == 8


def test_replaced_ballots_are_not_counted(borough, make_resident):
    process = make_process(borough["north"], "voting")
    a, b = make_projects(process, [100, 200])
    person = make_resident()
    cast_ballot(actor=person, process=process, content=[a.pk])
    cast_ballot(actor=person, process=process, content=[b.pk])
    move_to(process, "counting")
    result = compute_result(actor=None, process=process)
    assert result.voters == 1 and result.votes == {str(a.pk): 0, str(b.pk): 1}


@pytest.mark.parametrize(
    ("kind", "fields", "rule", "completion", "ballot"),
    [
        ("knapsack", {"max_cost": 9000}, "mes", "add1", lambda rng, ps: [ps[0].pk, ps[3].pk]),
        (
            "k_approval",
            {"min_choices": 1, "max_choices": 2},
            "greedy",
            "none",
            lambda rng, ps: [p.pk for p in rng.sample(ps, 2)],
        ),
        (
            "cumulative",
            {"points_total": 5},
            "greedy",
            "none",
            lambda rng, ps: {str(p.pk): 1 for p in rng.sample(ps, 5)},
        ),
        ("cumulative", {"points_total": 5}, "mes", "add1", lambda rng, ps: {str(ps[rng.randrange(7)].pk): 5}),
        ("ranked", {"max_choices": 3}, "mes", "add1", lambda rng, ps: [p.pk for p in rng.sample(ps, 3)]),
    ],
)
def test_each_ballot_kind_recomputes_with_pabutools(borough, voters, kind, fields, rule, completion, ballot):
    process = make_process(
        borough["north"], "voting", ballot_kind=kind, rule=rule, completion=completion, **fields
    )
    make_projects(process, [4000, 3000, 5000, 2000, 1500, 6000, 800])
    vote_randomly(process, voters[:15], ballot=ballot)
    move_to(process, "counting")
    result = compute_result(actor=None, process=process)
    text = export_pabulib(process)
    pb_kind = {"knapsack": "approval", "k_approval": "approval", "ranked": "ordinal"}.get(kind, kind)
    assert set(result.selected) == pabutools_outcome(text, pb_kind, rule, completion)
    assert result.input_sha256 == sha256(text)


def test_background_task_counts_when_voting_closed(closed, immediate_tasks, officer):
    assert count_closed_processes.enqueue().return_value == [closed.pk]
    assert Result.objects.filter(process=closed).count() == 1
    # The system counts once; a second sweep does nothing, but an officer can ask for a recount.
    assert count_closed_processes.enqueue().return_value == []
    assert compute_result_task.enqueue(closed.pk).return_value is None
    request_count(actor=officer, process=closed)
    assert Result.objects.filter(process=closed).count() == 2
    assert Result.objects.order_by("version").last().computed_by == officer


def test_officer_can_only_request_counts_in_their_area(closed, immediate_tasks, officer_south):
    with pytest.raises(PermissionDenied):
        request_count(actor=officer_south, process=closed)


def test_delivery_tracking(closed, officer, resident):
    result = publish_result(actor=officer, result=compute_result(actor=officer, process=closed))
    move_to(closed, "delivery")
    funded = closed.projects.get(pk=result.selected_ids[0])
    with pytest.raises(PermissionDenied):
        update_delivery(actor=resident, project=funded, status=DeliveryStatus.IN_PROGRESS)
    update_delivery(
        actor=officer, project=funded, status=DeliveryStatus.IN_PROGRESS, note="Contractor chosen"
    )
    milestone = add_milestone(actor=officer, project=funded, title="Benches ordered")
    complete_milestone(actor=officer, milestone=milestone)
    with pytest.raises(ValidationError, match="Say why"):
        update_delivery(actor=officer, project=funded, status=DeliveryStatus.CANCELLED)
    update_delivery(
        actor=officer, project=funded, status=DeliveryStatus.CANCELLED, cancelled_reason="Site flooded"
    )
    delivery = deliveries(closed).get(project=funded)
    assert delivery.status == "cancelled" and delivery.cancelled_reason == "Site flooded"
    assert [u.status for u in delivery.updates.all()] == ["cancelled", "in_progress"]
    assert delivery.milestones.get().completed_on is not None
    unfunded = closed.projects.exclude(pk__in=result.selected_ids).first()
    with pytest.raises(ValidationError, match="Only funded projects"):
        update_delivery(actor=officer, project=unfunded, status=DeliveryStatus.DELIVERED)
    assert VoterRecord.objects.filter(process=closed).count() == 25


def test_counting_with_no_ballots_funds_nothing(borough, officer):
    process = make_process(borough["north"], "counting")
    make_projects(process, [100, 200])
    result = compute_result(actor=officer, process=process)
    assert result.voters == 0 and result.selected == [] and result.total_cost == 0
    assert set(result.votes.values()) == {0}


def test_what_happened_to_my_choices(
    borough, voters, officer, resident, outsider, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from localpower.budgets.selectors import my_choices

    process = make_process(borough["north"], "voting")
    make_projects(process, [4000, 3000, 5000, 2000])
    vote_randomly(process, voters[:10])
    chosen = list(process.projects.order_by("pk").values_list("pk", flat=True)[:2])
    cast_ballot(actor=resident, process=process, content=chosen)
    move_to(process, "counting")
    with django_capture_on_commit_callbacks(execute=True):
        result = compute_result(actor=officer, process=process)
    assert my_choices(resident, process) is None  # not published yet
    publish_result(actor=officer, result=result)
    report = my_choices(resident, process)
    assert [entry["project_id"] for entry in report["projects"]] == [str(pk) for pk in chosen]
    for entry in report["projects"]:
        assert entry["funded"] == (int(entry["project_id"]) in result.selected_ids)
    assert "voter_id" not in report
    assert my_choices(outsider, process) is None
    cache.clear()  # recomputed from the ballots when the cache is empty
    assert my_choices(resident, process) == report


def test_scheduling_a_process_queues_its_count_for_when_voting_closes(
    borough, officer, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from localpower.budgets.services import change_state

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    process = make_process(borough["north"], "ideas", state="draft")
    with django_capture_on_commit_callbacks(execute=True):
        change_state(actor=officer, process=process, state="scheduled")
    assert sorted(t.task_path.rsplit(".", 1)[1] for t in DBTaskResult.objects.all()) == [
        "announce_phase_task",
        "announce_phase_task",
        "compute_result_task",
    ]
    queued = DBTaskResult.objects.get(task_path__endswith="compute_result_task")
    assert queued.args_kwargs["args"] == [process.pk]
    assert queued.run_after == process.voting_closes_at
    # Run early (the dates moved later): nothing is counted and the task queues itself again.
    assert compute_result_task.call(process.pk) is None
    assert DBTaskResult.objects.filter(task_path__endswith="compute_result_task").count() == 2
    assert not Result.objects.exists()


def test_voting_opened_and_closed_are_announced(borough, immediate_tasks):
    from localpower.budgets.signals import phase_started
    from localpower.budgets.tasks import announce_phase_task

    heard = []
    phase_started.connect(
        lambda **kw: heard.append((kw["process"].pk, kw["phase"])), weak=False, dispatch_uid="t"
    )
    try:
        voting = make_process(borough["north"], "voting")
        assert announce_phase_task.call(voting.pk, "voting") is True
        assert announce_phase_task.call(voting.pk, "counting") is False  # not closed yet
        counting = move_to(make_process(borough["north"], "voting"), "counting")
        assert announce_phase_task.call(counting.pk, "counting") is True
        assert announce_phase_task.call(counting.pk, "voting") is False  # too late: voting is over
    finally:
        phase_started.disconnect(dispatch_uid="t")
    assert heard == [(voting.pk, "voting"), (counting.pk, "counting")]


@pytest.mark.parametrize("rule", ["phragmen", "max-welfare", "greedy-no-skip"])
def test_other_rules_recompute_with_pabutools(borough, voters, rule):
    from localpower.tally.tests.fair_oracle import pabutools_max_welfare, pabutools_phragmen
    from localpower.tally.tests.oracle import pabutools_greedy

    process = make_process(borough["north"], "voting", rule=rule, completion="none")
    make_projects(process, [4000, 3000, 5000, 2000, 1500, 6000, 800])
    vote_randomly(process, voters[:15])
    move_to(process, "counting")
    result = compute_result(actor=None, process=process)
    election, profile = read_pabulib(export_pabulib(process))
    expected = {
        "phragmen": lambda: pabutools_phragmen(election, profile),
        "max-welfare": lambda: pabutools_max_welfare(election, profile),
        "greedy-no-skip": lambda: pabutools_greedy(election, profile, rule="greedy-no-skip"),
    }[rule]()
    assert set(result.selected) == set(expected)
    assert result.rule == rule and result.options == {"sat": "cost"}
