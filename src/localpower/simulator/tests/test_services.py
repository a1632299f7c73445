"""Setting up simulators and responding: balance, ranges, steps, one response per person, frozen after responses."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from localpower.core.models import AuditEntry
from localpower.simulator import services
from localpower.simulator.models import Choice, Respondent, Simulator, Submission
from localpower.simulator.tests.factories import dates, levels, make_simulator

pytestmark = pytest.mark.django_db


def send(user, simulator, *pcts, key="key-1", comments=None):
    return services.submit(
        actor=user,
        simulator=simulator,
        choices=levels(simulator, *pcts),
        comments=comments,
        idempotency_key=key,
    )


def test_a_resident_sends_a_balanced_budget_with_comments(borough, resident):
    simulator = make_simulator(borough["north"])
    libraries = simulator.services.get(name="Libraries")
    send(resident, simulator, -10, -10, -10, comments={libraries.pk: "  Keep the mobile library.  "})
    submission = Submission.objects.get(simulator=simulator)
    assert submission.user is None  # anonymous: the submission does not name the person
    assert submission.total_change == Decimal("-100000")
    assert Respondent.objects.get(simulator=simulator).user == resident
    assert Choice.objects.get(submission=submission, service=libraries).comment == "Keep the mobile library."
    assert AuditEntry.objects.filter(action="simulator.responded", actor_id=resident.pk).exists()


def test_identified_simulators_keep_the_name(borough, resident):
    simulator = make_simulator(borough["north"], anonymous=False)
    send(resident, simulator, -10, -10, -10)
    assert Submission.objects.get(simulator=simulator).user == resident


def test_an_unbalanced_budget_is_refused_saying_how_far_off(borough, resident):
    simulator = make_simulator(borough["north"])
    with pytest.raises(ValidationError) as error:
        send(resident, simulator, -10, -10, 0)  # saves £50,000 of £100,000
    assert error.value.code == "unbalanced"
    assert "find another £50,000" in error.value.messages[0]
    assert not Respondent.objects.exists() and not Submission.objects.exists()


def test_within_target(borough, resident):
    simulator = make_simulator(borough["north"], target_kind="within", target_amount=Decimal("1020000"))
    send(resident, simulator, 10, 0, 0)  # £1,020,000 in all: within
    with pytest.raises(ValidationError):
        send(make_user_in(borough), simulator, 10, 10, 0, key="k2")


def make_user_in(borough):
    from localpower.accounts.tests.factories import UserFactory
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    return UserFactory(verified_postcode=SMALL_BOROUGH_POSTCODES["castle"])


@pytest.mark.parametrize(
    "pcts, message",
    [((-40, 0, -10), "from −30"), ((-15, -10, -10), "in steps of 10"), ((0, 0, 20), "Roads")],
)
def test_levels_must_be_in_range_and_on_the_step(borough, resident, pcts, message):
    simulator = make_simulator(borough["north"])
    with pytest.raises(ValidationError) as error:
        send(resident, simulator, *pcts)
    assert any(message.replace("−", "-") in m.replace("−", "-") for m in error.value.messages)


def test_every_service_needs_a_level(borough, resident):
    simulator = make_simulator(borough["north"])
    choices = levels(simulator, -10, -10, -10)
    choices.popitem()
    with pytest.raises(ValidationError, match="Choose a level for Roads"):
        services.submit(actor=resident, simulator=simulator, choices=choices, idempotency_key="k")


def test_one_response_per_person_and_the_same_form_twice_is_harmless(borough, resident):
    simulator = make_simulator(borough["north"])
    assert not send(resident, simulator, -10, -10, -10).repeated
    assert send(resident, simulator, -10, -10, -10).repeated  # the same key: a double click
    with pytest.raises(ValidationError) as error:
        send(resident, simulator, -30, -30, 0, key="another")
    assert error.value.code == "already_responded"
    assert Submission.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_allows_one_response_per_person(borough, resident):
    """What makes one-per-person race-safe: a second respondent row for the same person cannot be inserted."""
    simulator = make_simulator(borough["north"])
    Respondent.objects.create(simulator=simulator, user=resident, key_digest="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Respondent.objects.create(simulator=simulator, user=resident, key_digest="b")


def test_a_race_lost_at_the_database_is_answered_from_the_winner(borough, resident, monkeypatch):
    """Two first submissions at once: the loser's insert fails, it rolls back and finds the winner's row."""
    simulator = make_simulator(borough["north"])
    original = Respondent.objects.filter

    calls = {"n": 0}

    def first_look_finds_nothing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            Respondent.objects.create(simulator=simulator, user=resident, key_digest=services.key_digest("k"))
            return original(pk=-1)
        return original(*args, **kwargs)

    monkeypatch.setattr(Respondent.objects, "filter", first_look_finds_nothing)
    assert send(resident, simulator, -10, -10, -10, key="k").repeated
    assert Submission.objects.count() == 0  # the loser's submission was rolled back with its respondent row


def test_who_may_respond(borough, resident, outsider, officer_south):
    simulator = make_simulator(borough["north"])
    with pytest.raises(PermissionDenied, match="Only residents of North"):
        send(outsider, simulator, -10, -10, -10)
    open_to_all = make_simulator(borough["north"], audience="signed_in")
    send(outsider, open_to_all, -10, -10, -10)
    for status in ("draft", "upcoming", "closed"):
        with pytest.raises(PermissionDenied):
            send(resident, make_simulator(borough["north"], status), -10, -10, -10)


def test_setting_up_and_publishing(borough, officer, officer_south):
    simulator = services.create_simulator(
        actor=officer,
        area=borough["north"],
        title="Next year",
        slug="next-year",
        target_kind="save",
        target_amount=Decimal("50000"),
        step_pct=5,
        **dates("open"),
    )
    assert simulator.state == "draft"
    with pytest.raises(PermissionDenied):
        services.create_simulator(
            actor=officer_south,
            area=borough["north"],
            title="x",
            slug="x",
            **dates("open"),
            target_amount=Decimal(1),
        )
    fields = {
        "name": "Parks",
        "description": "",
        "current_spend": Decimal("100000"),
        "min_change_pct": -30,
        "max_change_pct": 10,
        "order": 1,
    }
    with pytest.raises(ValidationError, match="Add at least two services"):
        services.publish(actor=officer, simulator=simulator)
    parks = services.save_service(
        actor=officer, simulator=simulator, fields=fields, consequences={-30: "Close"}
    )
    assert list(parks.consequences.values_list("change_pct", "text")) == [(-30, "Close")]
    services.save_service(actor=officer, simulator=simulator, fields={**fields, "name": "Roads", "order": 2})
    services.update_simulator(actor=officer, simulator=simulator, target_amount=Decimal("70000"))
    with pytest.raises(ValidationError, match="Nobody could meet the target"):
        services.publish(actor=officer, simulator=simulator)  # 30% of £200,000 is only £60,000
    services.update_simulator(actor=officer, simulator=simulator, target_amount=Decimal("50000"))
    services.publish(actor=officer, simulator=simulator)
    simulator.refresh_from_db()
    assert simulator.status == "open"
    assert AuditEntry.objects.filter(action="simulator.published").exists()


def test_ranges_must_be_multiples_of_the_step(borough, officer):
    simulator = make_simulator(borough["north"], "draft")
    fields = {
        "name": "Waste",
        "description": "",
        "current_spend": Decimal("1000"),
        "min_change_pct": -25,
        "max_change_pct": 10,
        "order": 1,
    }
    with pytest.raises(ValidationError, match="multiple of the step"):
        services.save_service(actor=officer, simulator=simulator, fields=fields)


def test_structure_is_frozen_once_people_respond(borough, officer, resident):
    simulator = make_simulator(borough["north"])
    send(resident, simulator, -10, -10, -10)
    parks = simulator.services.get(name="Parks")
    with pytest.raises(ValidationError, match="already responded"):
        services.save_service(
            actor=officer, simulator=simulator, service=parks, fields={"current_spend": Decimal(1)}
        )
    with pytest.raises(ValidationError, match="already responded"):
        services.delete_service(actor=officer, service=parks)
    with pytest.raises(ValidationError, match="already responded"):
        services.update_simulator(actor=officer, simulator=simulator, target_amount=Decimal(1))
    # Words and dates can still change.
    services.update_simulator(actor=officer, simulator=simulator, title="Balancing 2027")
    assert Simulator.objects.get(pk=simulator.pk).title == "Balancing 2027"
    assert AuditEntry.objects.filter(action="simulator.changed").exists()


def test_closing(borough, officer):
    simulator = make_simulator(borough["north"])
    services.close(actor=officer, simulator=simulator)
    simulator.refresh_from_db()
    assert simulator.status == "closed"
    with pytest.raises(ValidationError):
        services.close(actor=officer, simulator=simulator)


def test_a_draft_whose_closing_date_has_passed_cannot_be_published(borough, officer):
    from localpower.simulator.models import SimulatorState
    from localpower.simulator.tests.factories import dates

    simulator = make_simulator(borough["north"], "draft", **dates("closed"))
    assert simulator.state == SimulatorState.DRAFT
    with pytest.raises(ValidationError, match="Change the closing date first"):
        services.publish(actor=officer, simulator=simulator)
    simulator.refresh_from_db()
    assert simulator.state == SimulatorState.DRAFT
