""" "You said, we did": writing a draft, previewing, publishing only after closing, and editing once published."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from localpower.consultations.models import Outcome, Status
from localpower.consultations.services.results import save_outcome
from localpower.consultations.tests.factories import make_consultation
from localpower.core.models import AuditEntry

pytestmark = pytest.mark.django_db

TEXT = {"you_said": "Open longer at weekends.", "we_did": "From May the library opens on Sundays."}


def outcome_url(consultation):
    return reverse("consultations:staff-outcome", args=[consultation.slug])


def test_draft_can_be_written_while_open_but_not_published(borough, officer):
    consultation = make_consultation(borough["north"], "open")
    outcome = save_outcome(actor=officer, consultation=consultation, **TEXT)
    assert outcome.published_at is None
    with pytest.raises(PermissionDenied):
        save_outcome(actor=officer, consultation=consultation, publish=True, **TEXT)
    assert Outcome.objects.get().published_at is None


def test_publishing_after_closing_marks_the_consultation_responded(borough, officer):
    consultation = make_consultation(borough["north"], "closed")
    outcome = save_outcome(
        actor=officer,
        consultation=consultation,
        publish=True,
        decision_title="Cabinet decision 12",
        decision_url="https://example.org/decisions/12",
        decided_by="Cabinet",
        decision_date=datetime.date(2026, 3, 1),
        **TEXT,
    )
    assert outcome.published_at is not None
    consultation.refresh_from_db()
    assert consultation.status == Status.RESPONDED
    assert AuditEntry.objects.filter(action="consultations.outcome_published").count() == 1


def test_an_edit_keeps_the_first_publication_date_and_records_the_change(borough, officer):
    consultation = make_consultation(borough["north"], "closed")
    first = save_outcome(actor=officer, consultation=consultation, publish=True, **TEXT)
    published_at = first.published_at
    edited = save_outcome(
        actor=officer,
        consultation=consultation,
        you_said=TEXT["you_said"],
        we_did="We open on Sundays and Mondays.",
    )
    assert edited.published_at == published_at
    assert edited.updated_at >= published_at
    entry = AuditEntry.objects.get(action="consultations.outcome_updated")
    assert entry.changes == {"fields": ["we_did"]}


@pytest.mark.parametrize("persona", ["councillor", "resident", "outsider", "officer_south"])
def test_only_officers_for_the_area_write_it(client, borough, request, persona):
    consultation = make_consultation(borough["north"], "closed")
    person = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        save_outcome(actor=person, consultation=consultation, publish=True, **TEXT)
    client.force_login(person)
    assert client.get(outcome_url(consultation)).status_code == 403


def test_officer_previews_then_publishes_on_the_page(client, borough, officer):
    consultation = make_consultation(borough["north"], "closed")
    client.force_login(officer)
    empty = client.post(outcome_url(consultation), {"action": "publish"})
    assert empty.status_code == 400 and "govuk-error-summary" in empty.content.decode()

    preview = client.post(outcome_url(consultation), {"action": "preview", **TEXT})
    page = preview.content.decode()
    assert "Preview: this is how it will look" in page and TEXT["we_did"] in page
    assert not Outcome.objects.exists()

    done = client.post(
        outcome_url(consultation), {"action": "publish", **TEXT, "decision_url": "example.org/x"}
    )
    assert done.status_code == 302
    outcome = Outcome.objects.get()
    assert outcome.published_at and outcome.decision_url == "https://example.org/x"
    summary = client.get(reverse("consultations:summary", args=[consultation.slug])).content.decode()
    assert TEXT["we_did"] in summary


def test_an_open_consultation_offers_no_publish_button(client, borough, officer):
    consultation = make_consultation(borough["north"], "open")
    client.force_login(officer)
    page = client.get(outcome_url(consultation)).content.decode()
    assert "Save draft" in page and 'value="publish"' not in page
    refused = client.post(outcome_url(consultation), {"action": "publish", **TEXT})
    assert refused.status_code == 400 and "once the consultation has closed" in refused.content.decode()


def test_the_include_shows_a_summary_with_the_decision(borough, officer):
    from django.template.loader import render_to_string

    consultation = make_consultation(borough["north"], "closed")
    outcome = save_outcome(
        actor=officer,
        consultation=consultation,
        publish=True,
        decision_title="Cabinet decision 12",
        decision_url="https://example.org/decisions/12",
        decided_by="Cabinet",
        **TEXT,
    )
    html = render_to_string("consultations/includes/outcome.html", {"outcome": outcome})
    assert "govuk-summary-list" in html and "You said" in html and "We did" in html
    assert 'href="https://example.org/decisions/12"' in html and "Cabinet" in html
