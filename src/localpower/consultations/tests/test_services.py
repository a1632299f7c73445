"""Services: building (freezing, conditions, publishing) and responding (every kind of question, save and
return, one response per person, anonymous participation, idempotent sending, closed consultations)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from localpower.consultations import selectors
from localpower.consultations.models import (
    Anonymity,
    Answer,
    ConsultationState,
    Participation,
    QuestionKind,
    Response,
    ResponseStatus,
)
from localpower.consultations.services import building, responding
from localpower.consultations.tests.factories import make_consultation, make_response, make_survey
from localpower.core.models import AuditEntry


@pytest.fixture
def consultation(borough):
    return make_consultation(borough["north"], "open")


@pytest.fixture
def q(consultation):
    return make_survey(consultation)


def option(question, text):
    return question.options.get(text=text)


# ------------------------------------------------------------------------------------------------ building


def test_the_survey_is_frozen_once_anyone_has_responded(consultation, q, officer):
    building.add_question(actor=officer, section=q["use"].section, kind=QuestionKind.SHORT_TEXT, text="Name?")
    make_response(consultation, {q["use"]: ["Yes"]}, submitted=False)
    with pytest.raises(building.SurveyFrozen):
        building.add_question(
            actor=officer, section=q["use"].section, kind=QuestionKind.SHORT_TEXT, text="Age?"
        )
    with pytest.raises(building.SurveyFrozen):
        building.update_question(
            actor=officer,
            question=q["use"],
            kind=QuestionKind.SINGLE_CHOICE,
            text="Changed",
            options=["A", "B"],
        )
    with pytest.raises(building.SurveyFrozen):
        building.move_section(actor=officer, section=q["rating"].section, up=True)
    with pytest.raises(building.SurveyFrozen):
        building.update_consultation(
            actor=officer, consultation=consultation, changes={"anonymity": Anonymity.ANONYMOUS}
        )
    assert AuditEntry.objects.filter(action="consultations.survey_change_refused").count() == 4
    # The closing date and the words can still change.
    later = consultation.closes_at + datetime.timedelta(days=14)
    building.update_consultation(
        actor=officer, consultation=consultation, changes={"closes_at": later, "title": "Longer"}
    )
    consultation.refresh_from_db()
    assert consultation.closes_at == later and consultation.title == "Longer"


def test_only_staff_for_the_area_can_build(consultation, q, officer_south, resident):
    for person in (officer_south, resident):
        with pytest.raises(PermissionDenied):
            building.add_section(actor=person, consultation=consultation, title="More")


def test_conditions_must_point_at_an_earlier_choice_question(consultation, q, officer):
    about, library = q["use"].section, q["rating"].section
    with pytest.raises(ValidationError):  # a question in the same or a later section
        building.update_section(
            actor=officer,
            section=about,
            title="About you",
            condition_question=q["rating"],
            condition_options=[option(q["rating"], "Good")],
        )
    with pytest.raises(ValidationError):  # a text question
        building.update_section(actor=officer, section=library, title="Library", condition_question=q["why"])
    with pytest.raises(ValidationError):  # options of another question
        building.update_section(
            actor=officer,
            section=library,
            title="Library",
            condition_question=q["use"],
            condition_options=[option(q["rating"], "Good")],
        )
    with pytest.raises(ValidationError):  # the question decides whether a section is shown
        building.delete_question(actor=officer, question=q["use"])
    with pytest.raises(ValidationError):  # the dependent section would come first
        building.move_section(actor=officer, section=library, up=True)
    library.refresh_from_db()
    assert library.order == 2


def test_options_are_kept_when_unchanged_so_conditions_survive(consultation, q, officer):
    yes = option(q["use"], "Yes")
    building.update_question(
        actor=officer,
        question=q["use"],
        kind=QuestionKind.SINGLE_CHOICE,
        text="Do you use it?",
        options=["Yes", "Sometimes", "No"],
        required=True,
    )
    assert option(q["use"], "Yes").pk == yes.pk
    assert list(q["use"].options.values_list("text", flat=True)) == ["Yes", "Sometimes", "No"]
    with pytest.raises(ValidationError):
        building.update_question(
            actor=officer,
            question=q["services"],
            kind=QuestionKind.MULTIPLE_CHOICE,
            text="S",
            options=["A", "B"],
            max_choices=3,
        )


def test_publishing_checks_the_survey(borough, officer):
    consultation = make_consultation(borough["north"], "draft")
    with pytest.raises(ValidationError) as error:
        building.publish(actor=officer, consultation=consultation)
    assert "Add at least one question." in error.value.messages
    section = building.add_section(actor=officer, consultation=consultation, title="Page")
    building.add_question(
        actor=officer, section=section, kind=QuestionKind.SCALE, text="Rate it", options=["Bad", "Good"]
    )
    consultation.closes_at = timezone.now() - datetime.timedelta(days=1)
    consultation.opens_at = consultation.closes_at - datetime.timedelta(days=5)
    consultation.save()
    with pytest.raises(ValidationError) as error:
        building.publish(actor=officer, consultation=consultation)
    assert any("closing date has passed" in m for m in error.value.messages)
    consultation.closes_at = timezone.now() + datetime.timedelta(days=5)
    consultation.save()
    building.publish(actor=officer, consultation=consultation)
    assert consultation.state == ConsultationState.PUBLISHED
    building.withdraw(actor=officer, consultation=consultation)
    assert consultation.state == ConsultationState.WITHDRAWN


# ------------------------------------------------------------------------------------------------ answers


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("name", "x" * 201, "200 characters or fewer"),
        ("postcode", "not a postcode", "Enter a real postcode"),
        ("visits", Decimal("366"), "365 or less"),
        ("visits", Decimal("-1"), "0 or more"),
        ("visits", Decimal("1.234"), "2 decimal places"),
        ("services", ["Books", "Computers", "Study space"], "no more than 2"),
        ("where", {"latitude": Decimal("95"), "longitude": Decimal("0"), "text": ""}, "between -90 and 90"),
        ("where", {"latitude": Decimal("50"), "longitude": None, "text": ""}, "both the latitude"),
        ("evidence", SimpleUploadedFile("a.exe", b"MZ"), "must be a PDF"),
    ],
)
def test_each_kind_of_answer_is_checked(q, key, value, message):
    question = q[key]
    if question.has_options:
        value = [option(question, text) for text in value]
    with pytest.raises(ValidationError) as error:
        responding.validate_value(question, value)
    assert message in " ".join(error.value.messages)


def test_answers_are_tidied_and_stored(consultation, q):
    response = responding.start_response(consultation=consultation)
    responding.save_answers(
        response=response,
        section=q["use"].section,
        values={q["use"]: [option(q["use"], "Yes")], q["postcode"]: " tb2  1aa ", q["why"]: "  More books  "},
    )
    good = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    responding.save_answers(
        response=response,
        section=q["rating"].section,
        values={
            q["order"]: [option(q["order"], "More books"), option(q["order"], "Longer hours")],
            q["visits"]: Decimal("12"),
            q["where"]: {"latitude": Decimal("52.2"), "longitude": Decimal("0.12"), "text": "By the river"},
            q["evidence"]: good,
        },
    )
    answers = selectors.answers_by_question(response)
    assert answers[q["postcode"].pk].text == "TB2 1AA"
    assert answers[q["why"].pk].text == "More books"
    assert [(c.option.text, c.rank) for c in answers[q["order"].pk].picked.all()] == [
        ("More books", 1),
        ("Longer hours", 2),
    ]
    assert answers[q["where"].pk].latitude == Decimal("52.2")
    assert answers[q["evidence"].pk].file.name.endswith(".pdf")
    # Saving the page again without a new file keeps the file; clearing a text removes the answer.
    responding.save_answers(response=response, section=q["rating"].section, values={q["evidence"]: None})
    responding.save_answers(response=response, section=q["use"].section, values={q["why"]: ""})
    answers = selectors.answers_by_question(response)
    assert answers[q["evidence"].pk].file
    assert q["why"].pk not in answers


def test_save_and_return_with_a_token(consultation, q):
    response = responding.start_response(consultation=consultation)
    token = responding.issue_resume_token(response=response)
    assert response.resume_token_hash == selectors.hash_token(token) != token
    assert selectors.draft_for_token(consultation, token) == response
    newer = responding.issue_resume_token(response=response)
    assert selectors.draft_for_token(consultation, token) is None
    assert selectors.draft_for_token(consultation, newer) == response
    responding.save_answers(
        response=response, section=q["use"].section, values={q["use"]: [option(q["use"], "No")]}
    )
    responding.submit(response=response)
    assert selectors.draft_for_token(consultation, newer) is None  # the link stops working once sent


def test_one_response_per_person_even_when_two_requests_race(consultation, q, resident, monkeypatch):
    first = responding.start_response(consultation=consultation, user=resident)
    assert responding.start_response(consultation=consultation, user=resident) == first
    # The second request did not see the first one's draft: the database constraint catches it.
    monkeypatch.setattr(responding, "_existing_response", lambda consultation, user: None)
    assert responding.start_response(consultation=consultation, user=resident) == first
    assert Response.objects.filter(respondent=resident).count() == 1
    monkeypatch.undo()
    responding.save_answers(
        response=first, section=q["use"].section, values={q["use"]: [option(q["use"], "No")]}
    )
    responding.submit(response=first, user=resident)
    with pytest.raises(responding.AlreadyResponded):
        responding.start_response(consultation=consultation, user=resident)


def test_anonymous_consultation_cuts_the_link_when_sent(borough, resident):
    consultation = make_consultation(borough["north"], "open", anonymity=Anonymity.ANONYMOUS)
    q = make_survey(consultation)
    draft = responding.start_response(consultation=consultation, user=resident)
    assert draft.respondent is None
    assert Participation.objects.get(user=resident).draft == draft
    assert responding.start_response(consultation=consultation, user=resident) == draft
    responding.save_answers(
        response=draft, section=q["use"].section, values={q["use"]: [option(q["use"], "No")]}
    )
    responding.submit(response=draft, user=resident)
    participation = Participation.objects.get(user=resident)
    assert participation.draft is None
    assert participation.submitted_at.hour == 0 or timezone.localtime(participation.submitted_at).hour == 0
    entry = AuditEntry.objects.get(action="consultations.response_submitted")
    assert entry.actor_id is None and draft.reference not in entry.summary
    assert selectors.response_of(resident, consultation) is None
    with pytest.raises(responding.AlreadyResponded):
        responding.start_response(consultation=consultation, user=resident)


def test_submitting_twice_is_harmless_and_required_answers_are_checked(consultation, q):
    response = responding.start_response(consultation=consultation)
    with pytest.raises(ValidationError) as error:
        responding.submit(response=response)
    assert f"q{q['use'].pk}" in error.value.message_dict
    responding.save_answers(
        response=response, section=q["use"].section, values={q["use"]: [option(q["use"], "No")]}
    )
    first = responding.submit(response=response)
    second = responding.submit(response=response)
    assert first.submitted_at == second.submitted_at
    assert AuditEntry.objects.filter(action="consultations.response_submitted").count() == 1


def test_hidden_sections_answers_are_discarded_on_submit(consultation, q):
    response = responding.start_response(consultation=consultation)
    responding.save_answers(
        response=response, section=q["use"].section, values={q["use"]: [option(q["use"], "Yes")]}
    )
    responding.save_answers(
        response=response, section=q["rating"].section, values={q["visits"]: Decimal("3")}
    )
    responding.save_answers(
        response=response, section=q["use"].section, values={q["use"]: [option(q["use"], "No")]}
    )
    responding.submit(response=response)
    assert not Answer.objects.filter(response=response, question=q["visits"]).exists()
    assert Answer.objects.filter(response=response, question=q["use"]).exists()


def test_a_closed_consultation_refuses_and_keeps_the_draft(consultation, q):
    response = responding.start_response(consultation=consultation)
    responding.save_answers(
        response=response, section=q["use"].section, values={q["use"]: [option(q["use"], "No")]}
    )
    consultation.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    consultation.opens_at = consultation.closes_at - datetime.timedelta(days=1)
    consultation.save()
    with pytest.raises(responding.ConsultationClosed):
        responding.save_answers(response=response, section=q["use"].section, values={q["why"]: "Late"})
    with pytest.raises(responding.ConsultationClosed):
        responding.submit(response=response)
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT
    assert Answer.objects.filter(response=response).count() == 1


def test_responding_for_an_organisation_needs_membership(
    consultation, q, resident, organisation_member, parish_council
):
    draft = responding.start_response(consultation=consultation, user=resident)
    responding.save_answers(
        response=draft, section=q["use"].section, values={q["use"]: [option(q["use"], "No")]}
    )
    with pytest.raises(ValidationError):
        responding.submit(response=draft, user=resident, organisation=parish_council)
    draft = responding.start_response(consultation=consultation, user=organisation_member)
    responding.save_answers(
        response=draft, section=q["use"].section, values={q["use"]: [option(q["use"], "No")]}
    )
    sent = responding.submit(response=draft, user=organisation_member, organisation=parish_council)
    assert sent.organisation == parish_council


def test_choices_must_belong_to_the_question(q):
    with pytest.raises(ValidationError) as error:
        responding.validate_value(q["use"], [option(q["rating"], "Good")])
    assert "Choose from the options given." in error.value.messages
    with pytest.raises(ValidationError) as error:
        responding.validate_value(q["rating"], [option(q["rating"], "Good"), option(q["rating"], "Poor")])
    assert "Choose one option." in error.value.messages
    ranked = [option(q["order"], "More books"), option(q["order"], "More books")]
    with pytest.raises(ValidationError):
        responding.validate_value(q["order"], ranked)


def test_a_draft_started_without_signing_in_becomes_theirs_when_sent_signed_in(consultation, q, resident):
    draft = responding.start_response(consultation=consultation)
    responding.save_answers(
        response=draft, section=q["use"].section, values={q["use"]: [option(q["use"], "No")]}
    )
    sent = responding.submit(response=draft, user=resident)
    assert sent.respondent == resident
    with pytest.raises(responding.AlreadyResponded):
        responding.start_response(consultation=consultation, user=resident)
