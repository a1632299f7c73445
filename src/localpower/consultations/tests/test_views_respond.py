"""Responding in the browser without JavaScript: pages, errors, save and return, check answers, sending."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from localpower.consultations.models import (
    Anonymity,
    Answer,
    Audience,
    Participation,
    Response,
    ResponseStatus,
)
from localpower.consultations.tests.factories import make_consultation, make_response, make_survey
from localpower.places.models import Postcode


@pytest.fixture
def consultation(borough):
    return make_consultation(borough["north"], "open", slug="library", title="Library future")


@pytest.fixture
def questions(consultation):
    return make_survey(consultation)


def url(consultation, name, *args):
    return reverse(f"consultations:{name}", args=[consultation.slug, *args])


def section_url(consultation, questions, key):
    return url(consultation, "respond-section", questions[key].section_id)


def first_page(questions, **extra):
    q = questions
    data = {f"q{q['use'].pk}": str(q["use"].options.get(text="Yes").pk), "action": "continue"}
    data.update(extra)
    return data


def test_start_goes_to_the_first_page_and_creates_nothing(client, consultation, questions):
    response = client.get(url(consultation, "respond"))
    assert response.status_code == 302
    assert response["Location"] == section_url(consultation, questions, "use")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "page 1" in page.content.decode()
    assert Response.objects.count() == 0


def test_required_question_error_is_in_the_summary_and_typed_text_kept(client, consultation, questions):
    q = questions
    page = client.post(
        section_url(consultation, questions, "use"),
        {f"q{q['why'].pk}": "More seats please", f"q{q['postcode'].pk}": "nonsense", "action": "continue"},
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in body
    assert f'href="#id_q{q["use"].pk}_0"' in body  # the summary links to the first radio
    assert "Select an answer to “Do you use the library?”" in body
    assert "Enter a real postcode" in body
    assert "More seats please" in body  # nothing typed is lost
    assert Response.objects.count() == 0


def test_a_full_journey_with_the_conditional_section(client, consultation, questions):
    q = questions
    Postcode.objects.filter(postcode="TB3 1AA").update(latitude=Decimal("52.2"), longitude=Decimal("0.12"))
    page = client.post(
        section_url(consultation, q, "use"), first_page(q, **{f"q{q['postcode'].pk}": "tb2 1aa"})
    )
    assert page["Location"] == section_url(consultation, q, "rating")
    draft = Response.objects.get()
    assert draft.status == ResponseStatus.DRAFT
    assert Answer.objects.get(response=draft, question=q["postcode"]).text == "TB2 1AA"

    options = {o.text: o.pk for o in q["order"].options.all()}
    second = {
        f"q{q['rating'].pk}": str(q["rating"].options.get(text="Good").pk),
        f"q{q['services'].pk}": [str(q["services"].options.get(text="Books").pk)],
        f"q{q['order'].pk}_{options['Longer hours']}": "1",
        f"q{q['order'].pk}_{options['More books']}": "1",
        f"q{q['visits'].pk}": "400",
        f"q{q['where'].pk}_postcode": "TB3 1AA",
        "action": "continue",
    }
    page = client.post(section_url(consultation, q, "rating"), second)
    body = page.content.decode()
    assert "Give each option a different position." in body
    assert "Enter a number of 365 or less." in body
    second[f"q{q['order'].pk}_{options['More books']}"] = "2"
    second[f"q{q['visits'].pk}"] = "12"
    page = client.post(section_url(consultation, q, "rating"), second)
    assert page["Location"] == url(consultation, "respond-check")

    point = Answer.objects.get(question=q["where"])
    assert (point.latitude, point.longitude) == (Decimal("52.2"), Decimal("0.12"))
    check = client.get(page["Location"]).content.decode()
    assert "Check your answers" in check
    assert "1. Longer hours" in check and "2. More books" in check
    assert "Books" in check

    done = client.post(url(consultation, "respond-check"))
    assert done["Location"] == url(consultation, "respond-done")
    sent = Response.objects.get()
    assert sent.status == ResponseStatus.SUBMITTED
    confirmation = client.get(done["Location"]).content.decode()
    assert "Your reference is" in confirmation and sent.reference in confirmation
    # A second click on "Send" lands on the same confirmation, and nothing new is created.
    again = client.post(url(consultation, "respond-check"))
    assert again["Location"] == url(consultation, "respond-done")
    assert Response.objects.count() == 1


def test_answers_in_a_section_hidden_by_a_changed_answer_are_discarded(client, consultation, questions):
    q = questions
    client.post(section_url(consultation, q, "use"), first_page(q))
    client.post(section_url(consultation, q, "rating"), {f"q{q['visits'].pk}": "3", "action": "continue"})
    no = str(q["use"].options.get(text="No").pk)
    page = client.post(
        section_url(consultation, q, "use") + "?change=1", {f"q{q['use'].pk}": no, "action": "continue"}
    )
    assert page["Location"] == url(consultation, "respond-check")
    check = client.get(page["Location"]).content.decode()
    assert "How many times did you visit" not in check
    client.post(url(consultation, "respond-check"))
    sent = Response.objects.get()
    assert sent.is_submitted
    assert not Answer.objects.filter(response=sent, question=q["visits"]).exists()


def test_save_and_come_back_later_with_a_return_link(client, consultation, questions):
    q = questions
    page = client.post(
        section_url(consultation, q, "use"), {f"q{q['why'].pk}": "Half-finished thought", "action": "save"}
    )
    assert page["Location"] == url(consultation, "respond-saved")
    saved = client.get(page["Location"]).content.decode()
    link = re.search(r'href="(http[^"]+/resume/[^"]+/)"', saved).group(1)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    draft = Response.objects.get()
    assert draft.resume_token_hash and token not in draft.resume_token_hash  # stored hashed

    sent = client.post(url(consultation, "respond-saved"), {"email": "me@example.org"})
    assert "We have sent the link to me@example.org" in sent.content.decode()
    assert link in mail.outbox[0].body

    client.logout()
    client.cookies.clear()
    other = client.get(link.replace("http://testserver", ""))
    assert other["Location"] == url(consultation, "respond")
    resumed = client.get(section_url(consultation, q, "use")).content.decode()
    assert "Half-finished thought" in resumed
    assert client.get(url(consultation, "resume", "not-a-token")).status_code == 404


def test_signed_in_people_resume_automatically(client, consultation, questions, resident):
    q = questions
    client.force_login(resident)
    client.post(section_url(consultation, q, "use"), first_page(q, action="save"))
    assert Response.objects.get().respondent == resident
    start = client.get(url(consultation, "respond"))
    assert start["Location"] == section_url(consultation, q, "rating")


def test_one_response_per_person_in_an_identified_consultation(client, consultation, questions, resident):
    make_response(consultation, {questions["use"]: ["No"]}, respondent=resident)
    client.force_login(resident)
    page = client.get(url(consultation, "respond"))
    assert page["Location"] == url(consultation, "respond-yours")
    yours = client.get(page["Location"]).content.decode()
    assert "You have already responded" in yours
    assert Response.objects.get().reference in yours


def test_anonymous_consultation_cuts_the_link_on_submit(client, borough, resident):
    consultation = make_consultation(
        borough["north"], "open", anonymity=Anonymity.ANONYMOUS, audience=Audience.SIGNED_IN
    )
    q = make_survey(consultation)
    client.force_login(resident)
    no = str(q["use"].options.get(text="No").pk)
    client.post(section_url(consultation, q, "use"), {f"q{q['use'].pk}": no, "action": "continue"})
    participation = Participation.objects.get(user=resident)
    assert participation.draft is not None and participation.draft.respondent is None
    client.post(url(consultation, "respond-check"))
    participation.refresh_from_db()
    assert participation.draft is None and participation.submitted_at is not None
    assert Response.objects.get().is_submitted
    assert client.get(url(consultation, "respond")).status_code == 200  # "you have already responded"
    assert "You have already responded" in client.get(url(consultation, "respond")).content.decode()


def test_closed_consultation_refuses_and_keeps_the_draft(client, consultation, questions):
    q = questions
    client.post(section_url(consultation, q, "use"), first_page(q))
    consultation.closes_at = consultation.opens_at + (consultation.closes_at - consultation.opens_at) / 1000
    consultation.save()
    page = client.post(url(consultation, "respond-check"))
    assert "closed" in page.content.decode()
    assert Response.objects.get().status == ResponseStatus.DRAFT
    assert Answer.objects.filter(question=q["use"]).exists()


def test_residents_only_consultation_asks_people_to_sign_in(client, borough, outsider):
    consultation = make_consultation(borough["north"], "open", audience=Audience.RESIDENTS)
    make_survey(consultation)
    page = client.get(url(consultation, "respond"))
    assert page.status_code == 403
    assert "Sign in to respond" in page.content.decode()
    client.force_login(outsider)
    page = client.get(url(consultation, "respond"))
    assert "Give your home postcode" in page.content.decode()


def test_a_page_sent_after_closing_keeps_what_was_typed(client, consultation, questions):
    q = questions
    client.post(section_url(consultation, q, "use"), first_page(q))
    consultation.closes_at = consultation.opens_at + (consultation.closes_at - consultation.opens_at) / 1000
    consultation.save()
    page = client.post(
        section_url(consultation, q, "use"), first_page(q, **{f"q{q['why'].pk}": "My late thoughts"})
    )
    body = page.content.decode()
    assert "closed on" in body and "Nothing you typed on this page has been saved" in body
    assert "My late thoughts" in body
    assert not Answer.objects.filter(question=q["why"]).exists()


def test_return_links_by_e_mail_are_rate_limited(client, consultation, questions, monkeypatch):
    from localpower.consultations.views import respond

    monkeypatch.setattr(respond.EMAIL_LIMITER, "limit", 1)
    q = questions
    client.post(section_url(consultation, q, "use"), first_page(q, action="save"))
    client.post(url(consultation, "respond-saved"), {"email": "me@example.org"})
    page = client.post(url(consultation, "respond-saved"), {"email": "someone@example.org"})
    assert "too many times" in page.content.decode()
    assert len(mail.outbox) == 1
