"""Downloads of every sent response: columns, identities only when identified, formula injection, XLSX."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from localpower.consultations.exports import export_csv, export_xlsx, safe_cell
from localpower.consultations.models import Anonymity
from localpower.consultations.tests.factories import make_consultation, make_response, make_survey
from localpower.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def identified(borough, resident):
    consultation = make_consultation(borough["north"], "closed", slug="library")
    q = make_survey(consultation)
    make_response(
        consultation,
        {
            q["use"]: ["Yes"],
            q["why"]: '=HYPERLINK("http://evil.example","click")',
            q["name"]: "@SUM(A1)",
            q["postcode"]: "\x01=1+1",
            q["services"]: ["Books", "Computers"],
            q["order"]: ["More books", "Longer hours"],
            q["visits"]: 12.5,
            q["where"]: (51.5, -0.12),
        },
        respondent=resident,
    )
    make_response(consultation, {q["use"]: ["No"], q["why"]: "-1+2"})
    make_response(consultation, {q["use"]: ["Yes"]}, submitted=False)
    return consultation, q


def read_csv(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def column(q, questions, key):
    index = list(questions).index(q[key]) + 1
    return f"Q{index}. {q[key].text}"


def test_csv_has_one_row_per_sent_response_and_a_column_per_question(identified):
    consultation, q = identified
    from localpower.consultations.selectors_results import survey_questions

    questions = survey_questions(consultation)
    rows = read_csv(export_csv(consultation))
    assert len(rows) == 2
    header = list(rows[0])
    assert header[:5] == ["Reference", "Sent", "Name", "E-mail address", "On behalf of"]
    assert len(header) == 5 + len(questions)
    first = rows[0]
    assert first["E-mail address"] == "resident@example.org"
    assert first[column(q, questions, "services")] == "Books; Computers"
    assert first[column(q, questions, "order")] == "1. More books; 2. Longer hours"
    assert first[column(q, questions, "visits")] == "12.5"
    assert first[column(q, questions, "where")] == "51.500000,-0.120000"
    # Formula-like text is made harmless.
    assert first[column(q, questions, "why")].startswith("'=HYPERLINK")
    assert first[column(q, questions, "name")] == "'@SUM(A1)"
    assert rows[1][column(q, questions, "why")] == "'-1+2"


def test_anonymous_exports_have_no_identity_columns(borough, resident):
    consultation = make_consultation(borough["north"], "closed", anonymity=Anonymity.ANONYMOUS)
    q = make_survey(consultation)
    make_response(consultation, {q["why"]: "Quiet please"})
    text = export_csv(consultation)
    header = next(csv.reader(io.StringIO(text[1:])))
    assert header[:2] == ["Reference", "Sent"] and "Name" not in header and "E-mail address" not in header
    assert "resident@example.org" not in text


def test_xlsx_is_readable_and_matches_the_csv(identified):
    from openpyxl import load_workbook

    consultation, q = identified
    book = load_workbook(io.BytesIO(export_xlsx(consultation)))
    sheet = book["Responses"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[0][:3] == ("Reference", "Sent", "Name")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    values = [v for v in rows[1] if isinstance(v, str)]
    assert any(v.startswith("'=HYPERLINK") for v in values)
    # A control character XML cannot hold is removed, and what is left is still guarded.
    assert "'=1+1" in values
    assert 12.5 in rows[1]
    assert book["Questions"].max_row == 11


def test_safe_cell():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("+44 1234") == "'+44 1234"
    assert safe_cell("\t=x") == "'\t=x"
    assert safe_cell("Fine = good") == "Fine = good"
    assert safe_cell("") == ""


def test_download_is_streamed_recorded_and_private(client, officer, identified):
    consultation, _q = identified
    client.force_login(officer)
    response = client.get(reverse("consultations:staff-export-csv", args=[consultation.slug]))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content).decode()
    assert len(read_csv(body)) == 2
    xlsx = client.get(reverse("consultations:staff-export-xlsx", args=[consultation.slug]))
    assert xlsx.content[:2] == b"PK"
    formats = sorted(
        e.changes["format"] for e in AuditEntry.objects.filter(action="consultations.responses_exported")
    )
    assert formats == ["csv", "xlsx"]


def test_export_takes_a_fixed_number_of_queries(identified, django_assert_max_num_queries):
    consultation, q = identified
    for i in range(30):
        make_response(consultation, {q["use"]: ["Yes"], q["services"]: ["Books"], q["why"]: f"Answer {i}"})
    with django_assert_max_num_queries(12):
        assert len(read_csv(export_csv(consultation))) == 32


def test_download_follows_the_summarys_filter(client, officer, identified):
    consultation, q = identified
    client.force_login(officer)
    yes = q["use"].options.get(text="Yes")
    summary = client.get(reverse("consultations:staff-results", args=[consultation.slug]), {"option": yes.pk})
    link = reverse("consultations:staff-export-csv", args=[consultation.slug]) + f"?option={yes.pk}"
    assert link in summary.content.decode().replace("&amp;", "&")
    response = client.get(link)
    rows = read_csv(b"".join(response.streaming_content).decode())
    assert len(rows) == 1 and rows[0]["E-mail address"] == "resident@example.org"
    entry = AuditEntry.objects.get(action="consultations.responses_exported")
    assert entry.changes["filters"] == {"option": "Do you use the library? = Yes"}
    # A filter that is not valid is ignored: everything is downloaded.
    everything = client.get(
        reverse("consultations:staff-export-csv", args=[consultation.slug]), {"option": "x"}
    )
    assert len(read_csv(b"".join(everything.streaming_content).decode())) == 2


def test_summary_figures_download(client, officer, identified):
    from localpower.consultations.models import Outcome

    consultation, q = identified
    staff_link = reverse("consultations:staff-summary-csv", args=[consultation.slug])
    public_link = reverse("consultations:summary-csv", args=[consultation.slug])
    assert client.get(public_link).status_code == 404
    client.force_login(officer)
    rows = read_csv(client.get(staff_link).content.decode())
    use = [r for r in rows if r["Question"] == q["use"].text and r["Answer"] != "[answered]"]
    assert [(r["Answer"], r["People"], r["Share of those asked (%)"]) for r in use] == [
        ("Yes", "1", "50.0"),
        ("No", "1", "50.0"),
    ]
    assert any(r["Question"] == q["why"].text for r in rows)  # staff see written questions' counts
    assert "'=HYPERLINK" not in str(rows) and "resident@example.org" not in str(rows)
    client.logout()
    Outcome.objects.create(
        consultation=consultation, you_said="a", we_did="b", published_at=consultation.closes_at
    )
    public = read_csv(client.get(public_link).content.decode())
    assert public and all(r["Question"] != q["why"].text for r in public)
    visits = [r for r in public if r["Question"] == q["visits"].text]
    assert any(r["Answer"] == "[median]" and r["Share of those asked (%)"] == "12.5" for r in visits)
