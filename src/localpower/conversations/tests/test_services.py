"""Services: statements (moderation modes, text checks, rate limit), votes (one per person and statement,
replacing), tags, reports, moderation, and that nobody's identity leaks into what others see."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from localpower.conversations import services
from localpower.conversations.models import (
    ModerationMode,
    Participant,
    Report,
    StatementStatus,
    Tag,
    Vote,
)
from localpower.conversations.tests.factories import make_conversation, make_statements

pytestmark = pytest.mark.django_db


def test_pre_moderated_statements_wait_and_post_moderated_ones_show(conversation, resident, borough):
    waiting = services.add_statement(
        actor=resident, conversation=conversation, text="More benches near the pond"
    )
    assert waiting.status == StatementStatus.PENDING and waiting.number == 0
    post = make_conversation(borough["north"], moderation=ModerationMode.POST)
    shown = services.add_statement(actor=resident, conversation=post, text="More benches near the pond")
    assert shown.status == StatementStatus.APPROVED
    assert Participant.objects.filter(conversation=post, user=resident).count() == 1


def test_statement_text_is_checked(conversation, resident):
    with pytest.raises(ValidationError) as error:
        services.add_statement(actor=resident, conversation=conversation, text="This park is sh1t")
    assert "offensive" in str(error.value)
    with pytest.raises(ValidationError, match="140 characters"):
        services.add_statement(actor=resident, conversation=conversation, text="long " * 40)
    services.add_statement(actor=resident, conversation=conversation, text="Plant more trees by the gates")
    with pytest.raises(ValidationError, match="already been said"):
        services.add_statement(
            actor=resident, conversation=conversation, text="Plant more trees by the gates!"
        )


def test_adding_statements_is_rate_limited(conversation, resident):
    for i in range(5):
        services.add_statement(
            actor=resident, conversation=conversation, text=f"Idea number {i} for the park"
        )
    with pytest.raises(ValidationError) as error:
        services.add_statement(actor=resident, conversation=conversation, text="One idea too many for now")
    assert error.value.code == "rate_limited"


def test_statements_refused_for_their_wording_do_not_use_up_the_allowance(conversation, resident):
    for _ in range(6):
        with pytest.raises(ValidationError) as error:
            services.add_statement(actor=resident, conversation=conversation, text="Too short")
        assert "at least 10 characters" in str(error.value)
    for i in range(5):
        services.add_statement(
            actor=resident, conversation=conversation, text=f"Idea number {i} for the park"
        )


def test_only_eligible_people_take_part(conversation, signed_in_only, outsider, resident, borough):
    with pytest.raises(PermissionDenied):
        services.add_statement(actor=outsider, conversation=conversation, text="I do not live here at all")
    (statement,) = make_statements(conversation, ["Open the café all year"])
    with pytest.raises(PermissionDenied):
        services.vote(actor=outsider, statement=statement, value=1)
    (anyone,) = make_statements(signed_in_only, ["Open the café all year"])
    services.vote(actor=outsider, statement=anyone, value=1)
    closed = make_conversation(borough["north"], "closed")
    (late,) = make_statements(closed, ["Too late for this one"])
    with pytest.raises(PermissionDenied):
        services.vote(actor=resident, statement=late, value=1)


def test_one_vote_per_person_and_statement_and_voting_again_replaces_it(conversation, resident):
    a, b = make_statements(conversation, ["Open the café all year", "Close the car park at night"])
    services.vote(actor=resident, statement=a, value=1)
    services.vote(actor=resident, statement=a, value=-1)
    services.vote(actor=resident, statement=b, value=0)
    votes = Vote.objects.filter(participant__user=resident).order_by("statement__number")
    assert [v.value for v in votes] == [-1, 0]
    conversation.refresh_from_db()
    assert conversation.vote_events == 3
    participant = Participant.objects.get(user=resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(participant=participant, statement=a, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            participant=participant, statement=make_statements(conversation, ["x" * 12])[0], value=2
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(conversation=conversation, user=resident, number=99)


def test_cannot_vote_on_waiting_or_hidden_statements(conversation, resident):
    (waiting,) = make_statements(conversation, ["Waiting statement here"], status=StatementStatus.PENDING)
    with pytest.raises(ValidationError):
        services.vote(actor=resident, statement=waiting, value=1)
    with pytest.raises(ValidationError):
        services.vote(actor=resident, statement=waiting, value=5)


def test_moderation_approve_hide_with_reason_and_reports(
    conversation, resident, moderator, officer, outsider
):
    statement = services.add_statement(
        actor=resident, conversation=conversation, text="Ban dogs from the park"
    )
    with pytest.raises(PermissionDenied):
        services.approve_statement(actor=resident, statement=statement)
    services.approve_statement(actor=officer, statement=statement)
    assert statement.status == StatementStatus.APPROVED
    report = services.report_statement(actor=outsider, statement=statement, reason="Unfair to dog owners")
    assert services.report_statement(actor=outsider, statement=statement, reason="again") == report
    with pytest.raises(ValidationError):
        services.hide_statement(actor=moderator, statement=statement, reason=" ")
    services.hide_statement(actor=moderator, statement=statement, reason="Not about the park's future")
    statement.refresh_from_db()
    assert statement.status == StatementStatus.HIDDEN and statement.hidden_reason
    assert Report.objects.get(pk=report.pk).resolved_at is not None


def test_tags_are_chosen_from_the_conversation(conversation, resident, officer, borough):
    tags = services.set_conversation_tags(
        actor=officer, conversation=conversation, labels=["I run a local business", "Under 25", "under 25"]
    )
    assert [t.label for t in tags] == ["I run a local business", "Under 25"]
    services.set_my_tags(actor=resident, conversation=conversation, tags=[tags[1]])
    services.set_my_tags(actor=resident, conversation=conversation, tags=[tags[0]])
    assert list(Participant.objects.get(user=resident).tag_choices.values_list("tag__label", flat=True)) == [
        "I run a local business"
    ]
    other = make_conversation(borough["north"])
    foreign = Tag.objects.create(conversation=other, label="Elsewhere")
    with pytest.raises(ValidationError):
        services.set_my_tags(actor=resident, conversation=conversation, tags=[foreign])


def test_seed_statements_are_shown_at_once_and_only_staff_add_them(conversation, officer, resident):
    seed = services.add_seed_statement(
        actor=officer, conversation=conversation, text="The park needs more shade"
    )
    assert seed.is_seed and seed.status == StatementStatus.APPROVED
    with pytest.raises(PermissionDenied):
        services.add_seed_statement(
            actor=resident, conversation=conversation, text="I am not an officer here"
        )


def test_reopening_after_the_closing_date_asks_for_a_new_date_first(conversation, officer):
    import datetime

    from django.utils import timezone

    services.set_state(actor=officer, conversation=conversation, state="closed")
    conversation.refresh_from_db()
    conversation.closes_at = timezone.now() - datetime.timedelta(hours=1)
    conversation.save()
    with pytest.raises(ValidationError, match="Change the closing date first"):
        services.set_state(actor=officer, conversation=conversation, state="published")
    conversation.refresh_from_db()
    assert conversation.state == "closed"
    services.update_conversation(
        actor=officer, conversation=conversation, closes_at=timezone.now() + datetime.timedelta(days=3)
    )
    services.set_state(actor=officer, conversation=conversation, state="published")
    assert conversation.phase == "open"
