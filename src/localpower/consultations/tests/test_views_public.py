"""The public list and page of a consultation, the hub and area panel, and responding details: evidence
files, responding for an organisation, and the rate limit for people without an account."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from localpower.consultations.models import Answer, ConsultationKind, Outcome, Response
from localpower.consultations.tests.factories import make_consultation, make_survey


def test_the_list_puts_open_first_and_filters(client, borough):
    make_consultation(borough["north"], "closed", title="Closed one")
    make_consultation(borough["south"], "open", title="Open south", kind=ConsultationKind.CALL_FOR_EVIDENCE)
    make_consultation(borough["castle"], "upcoming", title="Upcoming castle")
    make_consultation(borough["north"], "draft", title="Secret draft")
    body = client.get(reverse("consultations:list")).content.decode()
    assert body.index("Open south") < body.index("Upcoming castle") < body.index("Closed one")
    assert "Secret draft" not in body
    north = client.get(reverse("consultations:list"), {"area": "north"}).content.decode()
    assert "Upcoming castle" in north and "Closed one" in north and "Open south" not in north
    calls = client.get(reverse("consultations:list"), {"kind": "call_for_evidence"}).content.decode()
    assert "Open south" in calls and "Closed one" not in calls


def test_drafts_are_hidden_from_the_public(client, borough, officer):
    draft = make_consultation(borough["north"], "draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(officer)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_the_page_shows_you_said_we_did_once_published(client, borough):
    consultation = make_consultation(borough["north"], "closed")
    outcome = Outcome.objects.create(consultation=consultation, you_said="Keep the fair", we_did="We kept it")
    body = client.get(consultation.get_absolute_url()).content.decode()
    assert "We kept it" not in body and "has closed" in body
    outcome.published_at = timezone.now()
    outcome.save()
    body = client.get(consultation.get_absolute_url()).content.decode()
    assert "You said, we did" in body and "We kept it" in body


def test_closed_and_upcoming_consultations_do_not_take_responses(client, borough):
    for status, words in (("closed", "closed on"), ("upcoming", "opens on")):
        consultation = make_consultation(borough["north"], status)
        make_survey(consultation)
        page = client.get(reverse("consultations:respond", args=[consultation.slug]))
        assert words in page.content.decode()


def test_evidence_files_are_checked_and_stored(client, borough):
    consultation = make_consultation(borough["north"], "open")
    q = make_survey(consultation)
    client.post(
        reverse("consultations:respond-section", args=[consultation.slug, q["use"].section_id]),
        {f"q{q['use'].pk}": str(q["use"].options.get(text="Yes").pk), "action": "continue"},
    )
    page_url = reverse("consultations:respond-section", args=[consultation.slug, q["evidence"].section_id])
    page = client.get(page_url).content.decode()
    assert 'enctype="multipart/form-data"' in page
    bad = SimpleUploadedFile("photo.png", b"not a png at all", content_type="image/png")
    page = client.post(page_url, {f"q{q['evidence'].pk}": bad, "action": "continue"})
    assert "not the kind of file its name says" in page.content.decode()
    good = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n rest", content_type="image/png")
    client.post(page_url, {f"q{q['evidence'].pk}": good, "action": "continue"})
    answer = Answer.objects.get(question=q["evidence"])
    assert answer.file.name.endswith(".png")
    again = client.get(page_url).content.decode()
    assert "You have already uploaded photo" in again


def test_responding_on_behalf_of_an_organisation(client, borough, organisation_member, parish_council):
    consultation = make_consultation(borough["north"], "open")
    q = make_survey(consultation)
    client.force_login(organisation_member)
    client.post(
        reverse("consultations:respond-section", args=[consultation.slug, q["use"].section_id]),
        {f"q{q['use'].pk}": str(q["use"].options.get(text="No").pk), "action": "continue"},
    )
    check = reverse("consultations:respond-check", args=[consultation.slug])
    page = client.get(check).content.decode()
    assert "On behalf of Abbeyfield Parish Council" in page
    client.post(check, {"organisation": str(parish_council.pk)})
    sent = Response.objects.get()
    assert sent.respondent == organisation_member and sent.organisation == parish_council
    yours = client.get(reverse("consultations:respond-yours", args=[consultation.slug])).content.decode()
    assert "Abbeyfield Parish Council" in yours


def test_people_without_an_account_are_rate_limited(client, borough, monkeypatch):
    from localpower.consultations.views import respond

    monkeypatch.setattr(respond.DRAFT_LIMITER, "limit", 2)
    consultation = make_consultation(borough["north"], "open")
    q = make_survey(consultation)
    page_url = reverse("consultations:respond-section", args=[consultation.slug, q["use"].section_id])
    data = {f"q{q['use'].pk}": str(q["use"].options.get(text="No").pk), "action": "continue"}
    for _ in range(2):
        client.post(page_url, data)
        client.cookies.clear()
    page = client.post(page_url, data)
    assert "Too many responses have come from your connection" in page.content.decode()
    assert Response.objects.count() == 2


@pytest.mark.parametrize("kind", [ConsultationKind.CONSULTATION, ConsultationKind.CALL_FOR_EVIDENCE])
def test_open_ones_are_on_have_your_say_and_the_area_page(client, borough, kind):
    consultation = make_consultation(borough["castle"], "open", title="Tell us now", kind=kind)
    body = client.get("/have-your-say/").content.decode()
    assert "Tell us now" in body
    assert ("Calls for evidence" if kind == ConsultationKind.CALL_FOR_EVIDENCE else "Consultations") in body
    area = client.get(borough["castle"].get_absolute_url()).content.decode()
    assert consultation.get_absolute_url() in area
    wider = client.get(borough["north"].get_absolute_url()).content.decode()
    assert consultation.get_absolute_url() in wider
