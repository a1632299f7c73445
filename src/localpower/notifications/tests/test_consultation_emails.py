"""E-mails when the council publishes "You said, we did" for a consultation: the area's residents and followers
and the people who sent an identified response, once each, as they choose, with an unsubscribe link."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from localpower.accounts.tests.factories import UserFactory
from localpower.consultations.models import Anonymity, Participation
from localpower.consultations.services.results import save_outcome
from localpower.consultations.tests.factories import make_consultation, make_response, make_survey
from localpower.notifications.models import AreaFollow, Preference
from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

pytestmark = pytest.mark.django_db

TEXT = {"you_said": "Keep the summer fair.", "we_did": "The fair goes ahead in July."}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def publish(officer, consultation, capture, **extra):
    with capture(execute=True):
        save_outcome(actor=officer, consultation=consultation, publish=True, **TEXT, **extra)


def test_residents_followers_and_identified_respondents_hear_once(
    borough, officer, django_capture_on_commit_callbacks
):
    consultation = make_consultation(borough["castle"], "closed", title="Castle Park events")
    q = make_survey(consultation)
    lives_here = UserFactory(email="castle@example.org", verified_postcode=SMALL_BOROUGH_POSTCODES["castle"])
    follower = UserFactory(email="follower@example.org")
    AreaFollow.objects.create(user=follower, area=borough["north"])  # follows the committee above Castle
    respondent = UserFactory(
        email="responded@example.org", verified_postcode=SMALL_BOROUGH_POSTCODES["meadow"]
    )
    make_response(consultation, {q["use"]: ["Yes"]}, respondent=respondent)
    make_response(consultation, {q["use"]: ["No"]}, respondent=lives_here)  # lives here and responded: once
    elsewhere = UserFactory(email="meadow@example.org", verified_postcode=SMALL_BOROUGH_POSTCODES["meadow"])
    turned_off = UserFactory(email="quiet@example.org", verified_postcode=SMALL_BOROUGH_POSTCODES["castle"])
    Preference.objects.create(user=turned_off, consultations=False)
    unconfirmed = UserFactory(email="new@example.org", unverified=True)
    make_response(consultation, {q["use"]: ["Yes"]}, respondent=unconfirmed)

    publish(officer, consultation, django_capture_on_commit_callbacks, decision_title="Committee decision 7")
    sent = sorted(address for message in mail.outbox for address in message.to)
    assert sent == ["castle@example.org", "follower@example.org", "responded@example.org"]
    assert elsewhere.email not in sent and turned_off.email not in sent
    message = mail.outbox[0]
    assert message.subject == "You said, we did: Castle Park events"
    assert TEXT["we_did"] in message.body and "Committee decision 7" in message.body
    assert f"/consultations/{consultation.slug}/summary/" in message.body
    link = re.search(r"http://\S+/unsubscribe/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"

    # Correcting the published text later sends nothing more.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        save_outcome(actor=officer, consultation=consultation, **{**TEXT, "we_did": "Corrected."})
    assert mail.outbox == []


def test_anonymous_consultations_never_write_to_people_because_they_took_part(
    borough, officer_south, resident, django_capture_on_commit_callbacks
):
    consultation = make_consultation(borough["south"], "closed", anonymity=Anonymity.ANONYMOUS)
    make_survey(consultation)
    Participation.objects.create(consultation=consultation, user=resident)  # resident lives in the north
    publish(officer_south, consultation, django_capture_on_commit_callbacks)
    assert all(resident.email not in message.to for message in mail.outbox)


def test_the_unsubscribe_link_turns_off_only_these_e_mails(
    client, borough, officer, django_capture_on_commit_callbacks
):
    person = UserFactory(email="castle@example.org", verified_postcode=SMALL_BOROUGH_POSTCODES["castle"])
    consultation = make_consultation(borough["castle"], "closed")
    publish(officer, consultation, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    link = re.search(r"http://\S+(/unsubscribe/\S+/)", message.body).group(1)
    client.post(link)
    preference = Preference.objects.get(user=person)
    assert preference.consultations is False and preference.results is True
