"""Setting up and changing a process; frozen settings once voting opens; the override state machine."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from localpower.budgets.models import Phase, Process, ProcessState
from localpower.budgets.services import cast_ballot, change_state, create_process, update_process
from localpower.budgets.tests.factories import make_process, make_projects, timetable
from localpower.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_officer_sets_up_a_draft_process(borough, officer):
    process = create_process(
        actor=officer,
        area=borough["castle"],
        title="Castle ward budget",
        slug="castle-2027",
        budget=Decimal("25000"),
        ballot_kind="knapsack",
        **timetable("upcoming"),
    )
    assert process.state == ProcessState.DRAFT and process.phase == Phase.DRAFT
    assert process.rule == "mes" and process.completion == "add1" and process.currency == "GBP"
    entry = AuditEntry.objects.get(action="budgets.process.create")
    assert entry.actor_id == officer.pk and entry.changes["budget"] == "25000"


def test_only_staff_for_the_area_set_up_processes(borough, officer, resident, councillor):
    for person, area in (
        (resident, borough["castle"]),
        (councillor, borough["abbey"]),
        (officer, borough["riverside"]),
    ):
        with pytest.raises(PermissionDenied, match="Only council officers and administrators"):
            create_process(
                actor=person, area=area, title="X", slug="x", budget=Decimal(1), **timetable("ideas")
            )
    assert not Process.objects.exists()


def test_bad_settings_get_clear_messages(borough, officer):
    dates = timetable("ideas")
    dates["voting_closes_at"] = dates["voting_opens_at"]
    with pytest.raises(ValidationError) as info:
        create_process(
            actor=officer,
            area=borough["north"],
            title="X",
            slug="x",
            budget=Decimal(0),
            ballot_kind="ranked",
            **dates,
        )
    errors = info.value.message_dict
    assert "“voting closes” must be after “voting opens”." in errors["voting_closes_at"]
    assert errors["max_choices"] == ["Give the most projects a voter may choose."]
    assert "budget" in errors


def test_settings_can_change_before_voting(borough, officer):
    process = make_process(borough["north"], "review")
    update_process(
        actor=officer,
        process=process,
        changes={"budget": Decimal("12000"), "rule": "greedy", "completion": "none"},
    )
    process.refresh_from_db()
    assert process.budget == Decimal("12000") and process.rule == "greedy"
    assert AuditEntry.objects.get(action="budgets.process.update").changes["budget"] == {
        "from": "10000.00",
        "to": "12000",
    }


@pytest.mark.parametrize(
    "changes",
    [{"ballot_kind": "knapsack"}, {"rule": "greedy", "completion": "none"}, {"budget": Decimal("20000")}],
)
def test_frozen_once_voting_opens_and_the_refusal_is_logged(borough, officer, changes):
    process = make_process(borough["north"], "voting")
    with pytest.raises(ValidationError) as info:
        update_process(actor=officer, process=process, changes=changes)
    field = next(iter(changes))
    assert "Voting has opened, so" in info.value.message_dict[field][0]
    process.refresh_from_db()
    assert process.budget == Decimal("10000") and process.rule == "mes" and process.ballot_kind == "approval"
    refusal = AuditEntry.objects.get(action="budgets.process.change_refused")
    assert refusal.actor_id == officer.pk and field in refusal.summary
    assert not AuditEntry.objects.filter(action="budgets.process.update").exists()


def test_frozen_once_anyone_has_voted_even_if_dates_move_back(borough, officer, resident):
    process = make_process(borough["north"], "voting")
    project = make_projects(process, [100])[0]
    cast_ballot(actor=resident, process=process, content=[project.pk])
    with pytest.raises(ValidationError):
        update_process(actor=officer, process=process, changes={**timetable("review"), "budget": Decimal(5)})


def test_unfrozen_settings_still_change_during_voting(borough, officer):
    process = make_process(borough["north"], "voting")
    update_process(
        actor=officer, process=process, changes={"title": "New title", "description": "More words"}
    )
    assert Process.objects.get(pk=process.pk).title == "New title"


def test_state_machine(borough, officer, immediate_tasks):
    process = make_process(borough["north"], "ideas", state=ProcessState.DRAFT)
    with pytest.raises(ValidationError, match="cannot become"):
        change_state(actor=officer, process=process, state=ProcessState.PAUSED)
    change_state(actor=officer, process=process, state=ProcessState.SCHEDULED)
    assert process.phase == Phase.IDEAS
    change_state(actor=officer, process=process, state=ProcessState.PAUSED)
    assert process.phase == Phase.PAUSED
    with pytest.raises(ValidationError, match="Say why"):
        change_state(actor=officer, process=process, state=ProcessState.CANCELLED)
    change_state(actor=officer, process=process, state=ProcessState.CANCELLED, reason="Funding withdrawn")
    assert process.phase == Phase.CANCELLED
    with pytest.raises(ValidationError):
        change_state(actor=officer, process=process, state=ProcessState.SCHEDULED)


def test_phase_follows_the_dates(borough):
    for phase in ("ideas", "review", "voting", "counting", "results", "delivery", "upcoming"):
        assert make_process(borough["north"], phase).phase == phase
