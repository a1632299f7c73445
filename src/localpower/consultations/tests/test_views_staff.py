"""The officers' survey builder: set up, documents, sections and questions, preview, publish, freezing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from localpower.consultations.models import (
    Consultation,
    ConsultationState,
    Document,
    Question,
    QuestionKind,
    Section,
)
from localpower.consultations.tests.factories import make_consultation, make_response, make_survey
from localpower.core.models import AuditEntry


def staff_url(name, *args):
    return reverse(f"consultations:staff-{name}", args=args)


NEW = {
    "run_by": "Libraries team",
    "kind": "consultation",
    "title": "Castle library hours",
    "slug": "castle-library-hours",
    "summary": "Tell us when the library should open.",
    "description": "",
    "opens_at_day": "1",
    "opens_at_month": "1",
    "opens_at_year": "2030",
    "closes_at_day": "31",
    "closes_at_month": "1",
    "closes_at_year": "2030",
    "audience": "everyone",
    "anonymity": "identified",
}


def test_people_without_a_staff_role_are_refused(client, resident, officer_south, borough):
    consultation = make_consultation(borough["north"], "draft")
    assert client.get(staff_url("list")).status_code == 302  # sign in first
    client.force_login(resident)
    assert client.get(staff_url("list")).status_code == 403
    client.force_login(officer_south)
    assert client.get(staff_url("list")).status_code == 200
    assert client.get(staff_url("overview", consultation.slug)).status_code == 403


def test_an_officer_sets_up_a_consultation_after_seeing_errors(client, officer, borough):
    client.force_login(officer)
    page = client.post(staff_url("new"), {**NEW, "title": "", "closes_at_year": "2029"})
    body = page.content.decode()
    assert "There is a problem" in body
    assert "must be on or after the opening day" in body
    assert "Libraries team" in body  # what was typed is kept
    page = client.post(staff_url("new"), {**NEW, "area": borough["castle"].pk})
    consultation = Consultation.objects.get(slug="castle-library-hours")
    assert page["Location"] == staff_url("overview", consultation.slug)
    assert consultation.state == ConsultationState.DRAFT
    assert consultation.area == borough["castle"]
    assert consultation.closes_at.day == 1 and consultation.closes_at.month == 2  # end of 31 January
    assert AuditEntry.objects.filter(action="consultations.created").exists()


def test_officers_cannot_use_areas_outside_theirs(client, officer, borough):
    client.force_login(officer)
    page = client.post(staff_url("new"), {**NEW, "area": borough["riverside"].pk})
    assert "Select a valid choice" in page.content.decode()
    assert not Consultation.objects.exists()


def test_building_a_survey_and_publishing_it(client, officer, borough):
    consultation = make_consultation(borough["north"], "draft", slug="draft-one")
    client.force_login(officer)
    overview = client.get(staff_url("overview", consultation.slug)).content.decode()
    assert "Add at least one question." in overview
    client.post(staff_url("publish", consultation.slug))
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.DRAFT

    client.post(staff_url("section-add", consultation.slug), {"title": "About you"})
    client.post(staff_url("section-add", consultation.slug), {"title": "Details"})
    first, second = Section.objects.filter(consultation=consultation).order_by("order")
    kind_page = client.get(staff_url("question-add", consultation.slug, first.pk))
    assert "What kind of question?" in kind_page.content.decode()
    add = staff_url("question-add", consultation.slug, first.pk) + "?kind=single_choice"
    page = client.post(add, {"text": "Do you drive?", "options": "Yes", "required": "on"})
    assert "Enter at least 2 options" in page.content.decode()
    client.post(add, {"text": "Do you drive?", "options": "Yes\nNo\n", "required": "on"})
    question = Question.objects.get(text="Do you drive?")
    assert list(question.options.values_list("text", flat=True)) == ["Yes", "No"]
    assert question.required

    scale = client.get(staff_url("question-add", consultation.slug, second.pk) + "?kind=scale")
    assert "Strongly agree" in scale.content.decode()  # a scale starts with the usual five points
    client.post(
        staff_url("question-add", consultation.slug, second.pk) + "?kind=number",
        {"text": "How far?", "number_min": "10", "number_max": "1"},
    )
    assert not Question.objects.filter(text="How far?").exists()
    client.post(
        staff_url("question-add", consultation.slug, second.pk) + "?kind=number",
        {"text": "How far?", "number_min": "0", "number_max": "100"},
    )

    yes = question.options.get(text="Yes")
    page = client.post(
        staff_url("section-edit", consultation.slug, second.pk),
        {"title": "Details", "condition_question": str(question.pk), "condition_options": [str(yes.pk)]},
    )
    assert page.status_code == 302
    second.refresh_from_db()
    assert second.condition_question == question
    # The section with the condition cannot move above the question it depends on.
    client.post(staff_url("section-move", consultation.slug, second.pk), {"direction": "up"})
    second.refresh_from_db()
    assert second.order == 2

    preview = client.get(staff_url("preview-section", consultation.slug, second.pk)).content.decode()
    assert "Nothing you enter is saved" in preview and "Shown only to people who answered" in preview

    client.post(staff_url("publish", consultation.slug))
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.PUBLISHED
    assert AuditEntry.objects.filter(action="consultations.published").exists()


def test_the_survey_freezes_after_the_first_response(client, officer, borough):
    consultation = make_consultation(borough["north"], "open", slug="frozen")
    questions = make_survey(consultation)
    make_response(consultation, {questions["use"]: ["Yes"]})
    client.force_login(officer)
    overview = client.get(staff_url("overview", consultation.slug)).content.decode()
    assert "can no longer change" in overview
    page = client.post(
        staff_url("question-edit", consultation.slug, questions["why"].pk), {"text": "Changed?"}, follow=True
    )
    assert "People have already started responding" in page.content.decode()
    questions["why"].refresh_from_db()
    assert questions["why"].text == "What would you change?"
    assert AuditEntry.objects.filter(action="consultations.survey_change_refused").count() == 1
    # The closing date can still move (to give people longer), and the title can change.
    form = client.get(staff_url("edit", consultation.slug)).content.decode()
    assert 'name="audience"' not in form
    page = client.post(
        staff_url("edit", consultation.slug),
        {
            "title": "New title",
            "summary": "S",
            "closes_at_day": "1",
            "closes_at_month": "1",
            "closes_at_year": "2040",
            "run_by": "",
            "description": "",
        },
    )
    assert page.status_code == 302, page.content.decode()
    consultation.refresh_from_db()
    assert consultation.title == "New title" and consultation.closes_at.year == 2040


def test_documents_are_checked_and_added(client, officer, borough):
    consultation = make_consultation(borough["north"], "draft", slug="docs")
    client.force_login(officer)
    bad = SimpleUploadedFile("plan.pdf", b"MZ not a pdf", content_type="application/pdf")
    page = client.post(staff_url("document-add", consultation.slug), {"title": "Plan", "file": bad})
    assert "not the kind of file its name says" in page.content.decode()
    good = SimpleUploadedFile("plan.pdf", b"%PDF-1.7 content", content_type="application/pdf")
    client.post(staff_url("document-add", consultation.slug), {"title": "Plan", "file": good})
    client.post(
        staff_url("document-add", consultation.slug), {"title": "Web page", "url": "https://example.org"}
    )
    assert list(Document.objects.values_list("title", flat=True)) == ["Plan", "Web page"]
    page = client.post(staff_url("document-add", consultation.slug), {"title": "Neither"})
    assert "Upload a file or give a link" in page.content.decode()


def test_withdrawing(client, officer, borough):
    consultation = make_consultation(borough["north"], "open", slug="withdraw-me")
    client.force_login(officer)
    client.post(staff_url("withdraw", consultation.slug))
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.WITHDRAWN
    assert QuestionKind  # (the kinds are all offered on the kind page)


def test_deleting_asks_first(client, officer, borough):
    consultation = make_consultation(borough["north"], "draft", slug="delete-me")
    questions = make_survey(consultation)
    client.force_login(officer)
    section = questions["rating"].section
    page = client.get(staff_url("section-delete", consultation.slug, section.pk)).content.decode()
    assert (
        "Delete the section “Using the library”?" in page and "Its 6 questions will be deleted too." in page
    )
    assert Section.objects.filter(pk=section.pk).exists()
    client.post(staff_url("section-delete", consultation.slug, section.pk))
    assert not Section.objects.filter(pk=section.pk).exists()
    # A question that decides whether a section is shown cannot go while the condition stays.
    other = make_consultation(borough["north"], "draft", slug="delete-me-too")
    q = make_survey(other)
    page = client.post(staff_url("question-delete", other.slug, q["use"].pk), follow=True).content.decode()
    assert "is shown only after this question" in page
    assert Question.objects.filter(pk=q["use"].pk).exists()


def test_invited_organisations_are_needed_for_an_organisations_only_consultation(
    client, officer, borough, parish_council
):
    client.force_login(officer)
    data = {**NEW, "area": borough["north"].pk, "audience": "organisations"}
    page = client.post(staff_url("new"), data)
    assert "Choose the organisations invited to respond." in page.content.decode()
    client.post(staff_url("new"), {**data, "invited_organisations": [parish_council.pk]})
    consultation = Consultation.objects.get(slug=NEW["slug"])
    assert list(consultation.invited_organisations.all()) == [parish_council]


def test_the_staff_list_shows_only_the_officers_areas(client, officer, borough):
    make_consultation(borough["castle"], "open", title="Castle one")
    make_consultation(borough["riverside"], "open", title="Riverside one")
    client.force_login(officer)
    body = client.get(staff_url("list")).content.decode()
    assert "Castle one" in body and "Riverside one" not in body
