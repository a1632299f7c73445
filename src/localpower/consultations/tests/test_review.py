"""Findings of the review pass: dates people read the same everywhere, back links on every step, and list
pages whose number of queries does not grow with the number of consultations."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from localpower.consultations.models import Outcome
from localpower.consultations.tests.factories import make_consultation, make_response, make_survey


def test_the_list_gives_the_same_last_day_as_the_consultations_page(client, borough):
    midnight = (timezone.localtime() + datetime.timedelta(days=20)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    consultation = make_consultation(borough["north"], "open", closes_at=midnight)
    last = (midnight - datetime.timedelta(days=1)).strftime("%-d %B %Y")
    closing = midnight.strftime("%-d %B %Y")
    for page in (reverse("consultations:list"), consultation.get_absolute_url()):
        body = client.get(page).content.decode()
        assert last in body, page
        assert closing not in body, page


def test_the_list_says_a_closed_consultation_closed_at_the_end_of_its_last_day(client, borough):
    midnight = (timezone.localtime() - datetime.timedelta(days=3)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    make_consultation(borough["north"], "closed", closes_at=midnight)
    body = client.get(reverse("consultations:list")).content.decode()
    assert "Closed at the end of " + (midnight - datetime.timedelta(days=1)).strftime("%-d %B %Y") in body


def test_check_your_answers_has_a_back_link_to_the_last_page(client, borough):
    consultation = make_consultation(borough["north"], "open")
    q = make_survey(consultation)
    client.post(
        reverse("consultations:respond-section", args=[consultation.slug, q["use"].section_id]),
        {f"q{q['use'].pk}": str(q["use"].options.get(text="No").pk), "action": "continue"},
    )
    body = client.get(reverse("consultations:respond-check", args=[consultation.slug])).content.decode()
    assert 'class="govuk-back-link"' in body
    assert reverse("consultations:respond-section", args=[consultation.slug, q["why"].section_id]) in body


def test_the_public_summary_links_back_to_the_consultation(client, borough):
    consultation = make_consultation(borough["north"], "closed")
    make_survey(consultation)
    Outcome.objects.create(
        consultation=consultation, you_said="Keep it", we_did="We kept it", published_at=timezone.now()
    )
    body = client.get(reverse("consultations:summary", args=[consultation.slug])).content.decode()
    assert f'href="{consultation.get_absolute_url()}" class="govuk-back-link"' in body


def _queries(client, page) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "page",
    [
        reverse("consultations:list"),
        reverse("consultations:staff-list"),
        reverse("consultations:you-said-we-did"),
        reverse("core:have-your-say"),
        reverse("places:area", args=["north"]),
    ],
)
def test_list_pages_take_a_fixed_number_of_queries(client, borough, administrator, page):
    client.force_login(administrator)

    def add(n):
        for i in range(n):
            status = ("open", "closed", "upcoming")[i % 3]
            consultation = make_consultation(borough["north"] if i % 2 else borough["castle"], status)
            questions = make_survey(consultation)
            make_response(consultation, {questions["use"]: ["Yes"]})
            if status == "closed":
                Outcome.objects.create(
                    consultation=consultation, you_said="a", we_did="b", published_at=timezone.now()
                )

    add(3)
    before = _queries(client, page)
    add(6)
    assert _queries(client, page) == before


def test_the_decision_date_uses_day_month_and_year_boxes(client, borough, officer):
    """GOV.UK's date input, as on the consultation's own form, not the browser's date picker."""
    from localpower.consultations.models import Outcome as OutcomeModel

    consultation = make_consultation(borough["north"], "closed")
    client.force_login(officer)
    page_url = reverse("consultations:staff-outcome", args=[consultation.slug])
    page = client.get(page_url).content.decode()
    assert 'type="date"' not in page and 'name="decision_date_day"' in page
    text = {"you_said": "You wanted the fair.", "we_did": "We kept the fair."}
    bad = client.post(
        page_url,
        {
            "action": "save",
            **text,
            "decision_date_day": "31",
            "decision_date_month": "2",
            "decision_date_year": "2026",
        },
    )
    body = bad.content.decode()
    assert bad.status_code == 400 and 'href="#id_decision_date_0"' in body and "must be a real date" in body
    assert "You wanted the fair." in body  # nothing typed is lost
    client.post(
        page_url,
        {
            "action": "save",
            **text,
            "decision_date_day": "3",
            "decision_date_month": "2",
            "decision_date_year": "2026",
        },
    )
    assert OutcomeModel.objects.get().decision_date == datetime.date(2026, 2, 3)


def test_anonymous_responses_show_only_the_day_they_were_sent(client, borough, officer):
    """A time to the minute could be matched with a sign-in, a server log or a message, so for anonymous
    consultations staff see only the day, on the pages and in the downloads; identified ones keep the time."""
    import csv
    import io

    from openpyxl import load_workbook

    from localpower.consultations.exports import export_csv, export_xlsx
    from localpower.consultations.models import Anonymity, Response

    sent_at = timezone.make_aware(datetime.datetime(2026, 10, 7, 21, 44))
    for anonymity, shown in ((Anonymity.ANONYMOUS, False), (Anonymity.IDENTIFIED, True)):
        consultation = make_consultation(borough["north"], "closed", anonymity=anonymity)
        q = make_survey(consultation)
        response = make_response(consultation, {q["why"]: "Quiet please"})
        Response.objects.filter(pk=response.pk).update(submitted_at=sent_at)
        client.force_login(officer)
        for name, args in (
            ("staff-responses", [consultation.slug]),
            ("staff-response", [consultation.slug, response.reference]),
        ):
            body = client.get(reverse(f"consultations:{name}", args=args)).content.decode()
            assert "7 " in body and ("21:44" in body) is shown, (anonymity, name)
        rows = list(csv.reader(io.StringIO(export_csv(consultation)[1:])))
        assert rows[1][1] == ("2026-10-07 21:44" if shown else "2026-10-07")
        sheet = load_workbook(io.BytesIO(export_xlsx(consultation)))["Responses"]
        value = list(sheet.iter_rows(values_only=True))[1][1]
        assert (value.hour, value.minute) == ((21, 44) if shown else (0, 0))


def _summary_targets(body: str) -> list[str]:
    import re

    summary = body.split('class="govuk-error-summary"', 1)[1].split("</div>\n</div>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


def test_every_kind_of_required_question_has_an_error_summary_link_to_a_field_on_the_page(client, borough):
    from localpower.consultations.models import QuestionKind, Section
    from localpower.consultations.tests.factories import add_question

    consultation = make_consultation(borough["north"], "open")
    section = Section.objects.create(consultation=consultation, title="Everything", order=1)
    for kind in QuestionKind.values:
        options = (
            ["One", "Two", "Three"]
            if kind in ("single_choice", "multiple_choice", "scale", "ranking")
            else ()
        )
        add_question(section, kind, f"A {kind} question", options=options, required=True, max_length=500)
    page = reverse("consultations:respond-section", args=[consultation.slug, section.pk])
    body = client.post(page, {"action": "continue"}).content.decode()
    targets = _summary_targets(body)
    assert len(targets) == len(QuestionKind.values)
    for target in targets:
        assert f'id="{target}"' in body, target
    # A latitude without a longitude: the error is on the latitude box, inside the opened details.
    where = section.questions.get(kind="map_point")
    body = client.post(page, {"action": "continue", f"q{where.pk}_latitude": "52.2"}).content.decode()
    assert f'href="#id_q{where.pk}_latitude"' in body and f'id="id_q{where.pk}_latitude"' in body
    assert '<details class="govuk-details" open>' in body


def test_character_limits_are_written_with_a_thousands_separator(client, borough):
    from localpower.consultations.models import QuestionKind, Section
    from localpower.consultations.tests.factories import add_question

    consultation = make_consultation(borough["north"], "open")
    section = Section.objects.create(consultation=consultation, title="Ideas", order=1)
    add_question(section, QuestionKind.LONG_TEXT, "Tell us more", max_length=5000)
    add_question(section, QuestionKind.SHORT_TEXT, "Your group", max_length=1200)
    page = reverse("consultations:respond-section", args=[consultation.slug, section.pk])
    body = client.get(page).content.decode()
    assert "up to 5,000 characters" in body and "up to 1,200 characters" in body


def test_uploaded_documents_are_served_by_the_consultation_and_not_from_a_draft(
    client, borough, officer, settings, tmp_path
):
    """The site does not serve the media folder, so a link to the file's own address would be broken."""
    from django.core.files.base import ContentFile

    from localpower.consultations.models import Document

    settings.MEDIA_ROOT = tmp_path
    consultation = make_consultation(borough["north"], "open")
    document = Document(consultation=consultation, title="Options appraisal", order=1)
    document.file.save("appraisal.pdf", ContentFile(b"%PDF-1.4 options"), save=True)
    link = reverse("consultations:document", args=[consultation.slug, document.pk])
    assert f'href="{link}"' in client.get(consultation.get_absolute_url()).content.decode()
    served = client.get(link)
    assert served.status_code == 200 and b"".join(served.streaming_content) == b"%PDF-1.4 options"
    assert served["X-Content-Type-Options"] == "nosniff"
    api = client.get(f"/api/v1/consultations/{consultation.slug}").json()
    assert api["documents"][0]["url"].endswith(link)

    draft = make_consultation(borough["north"], "draft")
    hidden = Document(consultation=draft, title="Draft paper", order=1)
    hidden.file.save("draft.docx", ContentFile(b"draft"), save=True)
    draft_link = reverse("consultations:document", args=[draft.slug, hidden.pk])
    assert client.get(draft_link).status_code == 404
    client.force_login(officer)
    downloaded = client.get(draft_link)
    assert downloaded.status_code == 200 and "attachment" in downloaded["Content-Disposition"]
    other = reverse("consultations:document", args=[consultation.slug, hidden.pk])
    assert client.get(other).status_code == 404  # a document of another consultation


def test_a_consultation_the_council_has_responded_to_cannot_be_withdrawn(client, borough, officer):
    """Withdrawing would take down the published "You said, we did" and the summary of what people said."""
    from django.core.exceptions import ValidationError

    from localpower.consultations.models import ConsultationState
    from localpower.consultations.services.building import withdraw

    consultation = make_consultation(borough["north"], "closed")
    Outcome.objects.create(consultation=consultation, you_said="a", we_did="b", published_at=timezone.now())
    client.force_login(officer)
    overview = client.get(reverse("consultations:staff-overview", args=[consultation.slug])).content.decode()
    assert "Withdraw the consultation" not in overview
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        withdraw(actor=officer, consultation=consultation)
    client.post(reverse("consultations:staff-withdraw", args=[consultation.slug]))
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.PUBLISHED
    still_open = make_consultation(borough["north"], "closed")
    withdraw(actor=officer, consultation=still_open)
    assert still_open.state == ConsultationState.WITHDRAWN


def test_optional_is_not_said_twice_when_the_officer_wrote_it(client, borough):
    from localpower.consultations.models import QuestionKind, Section
    from localpower.consultations.tests.factories import add_question

    consultation = make_consultation(borough["north"], "open")
    section = Section.objects.create(consultation=consultation, title="Extras", order=1)
    add_question(section, QuestionKind.FILE, "Upload a photo (optional)")
    add_question(section, QuestionKind.RANKING, "Rank these (Optional)", options=["A", "B"])
    add_question(section, QuestionKind.SHORT_TEXT, "Your group")
    page = reverse("consultations:respond-section", args=[consultation.slug, section.pk])
    body = client.get(page).content.decode()
    assert "(optional) (optional)" not in body.lower()
    assert "Upload a photo (optional)" in body and "Rank these (Optional)" in body
    assert "Your group (optional)" in body


def test_the_results_filter_takes_dates_as_day_month_and_year(client, borough, officer):
    from localpower.consultations.models import Response

    consultation = make_consultation(borough["north"], "closed")
    q = make_survey(consultation)
    early = make_response(consultation, {q["use"]: ["Yes"]})
    make_response(consultation, {q["use"]: ["No"]})
    Response.objects.filter(pk=early.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=20))
    since = timezone.localdate() - datetime.timedelta(days=5)
    client.force_login(officer)
    page = reverse("consultations:staff-results", args=[consultation.slug])
    assert 'type="date"' not in client.get(page).content.decode()
    query = {"since_day": since.day, "since_month": since.month, "since_year": since.year}
    body = client.get(page, query).content.decode()
    assert "1 sent response matches your filter (of 2)" in body
    assert f'value="{since.day}"' in body  # what was typed stays in the boxes
