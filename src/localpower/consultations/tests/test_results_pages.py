"""The staff results pages and the public summary: who may see what, tagging free text, single responses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from localpower.consultations.models import Anonymity, Outcome, Tag
from localpower.consultations.tests.factories import make_consultation, make_response, make_survey
from localpower.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(borough, resident):
    consultation = make_consultation(borough["abbey"], "closed", slug="library", title="Library hours")
    q = make_survey(consultation)
    first = make_response(
        consultation,
        {
            q["use"]: ["Yes"],
            q["why"]: "Open on Sundays please",
            q["rating"]: ["Good"],
            q["services"]: ["Books"],
            q["visits"]: 12,
        },
        respondent=resident,
    )
    second = make_response(consultation, {q["use"]: ["No"], q["why"]: "Better parking"})
    return consultation, q, first, second


def url(name, consultation, *args):
    return reverse(f"consultations:{name}", args=[consultation.slug, *args])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer", 200),
        ("administrator", 200),
        ("councillor", 200),
        ("officer_south", 403),
        ("resident", 403),
        ("outsider", 403),
    ],
)
def test_who_may_read_the_results(client, library, request, persona, status):
    consultation = library[0]
    client.force_login(request.getfixturevalue(persona))
    for name in ("staff-results", "staff-responses", "staff-export-csv", "staff-export-xlsx"):
        expected = 403 if persona == "councillor" and "export" in name else status
        assert client.get(url(name, consultation)).status_code == expected, name


def test_councillors_read_the_results_but_cannot_download_names_and_addresses(client, library, councillor):
    consultation = library[0]
    client.force_login(councillor)
    page = client.get(url("staff-results", consultation)).content.decode()
    assert url("staff-export-csv", consultation) not in page
    assert url("staff-summary-csv", consultation) in page  # the figures only


def test_signed_out_people_are_asked_to_sign_in(client, library):
    response = client.get(url("staff-results", library[0]))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_summary_page_shows_every_question_and_filters(client, officer, library):
    consultation, q, *_ = library
    client.force_login(officer)
    page = client.get(url("staff-results", consultation)).content.decode()
    assert "2 sent responses." in page
    for question in q.values():
        assert question.text in page
    assert "Read and tag the answers" in page
    yes = q["use"].options.get(text="Yes")
    filtered = client.get(url("staff-results", consultation), {"option": yes.pk}).content.decode()
    assert "1 sent response matches your filter (of 2)" in filtered
    bad = client.get(
        url("staff-results", consultation),
        {
            "since_day": "1",
            "since_month": "5",
            "since_year": "2026",
            "until_day": "1",
            "until_month": "1",
            "until_year": "2026",
        },
    )
    assert bad.status_code == 400
    assert "The end date must be on or after the start date" in bad.content.decode()
    assert client.get(url("staff-results", consultation), {"option": "nonsense"}).status_code == 400


def test_officer_tags_an_answer_and_the_coding_frame_counts_it(client, officer, library):
    consultation, q, first, _second = library
    client.force_login(officer)
    answer = first.answers.get(question=q["why"])
    browse = url("staff-responses", consultation) + f"?question={q['why'].pk}"
    response = client.post(
        url("staff-tag-add", consultation, answer.pk), {"name": "  Opening   hours ", "next": browse}
    )
    assert response.status_code == 302 and response["Location"] == browse
    tag = Tag.objects.get(consultation=consultation)
    assert tag.name == "Opening hours" and list(answer.tags.all()) == [tag]
    # The same tag in another letter case is reused, not duplicated.
    client.post(url("staff-tag-add", consultation, answer.pk), {"name": "opening HOURS"})
    assert Tag.objects.filter(consultation=consultation).count() == 1
    assert AuditEntry.objects.filter(action="consultations.answer_tagged").count() == 1

    listing = url("staff-responses", consultation)
    why = q["why"].pk
    page = client.get(listing, {"question": why, "tag": tag.pk}).content.decode()
    assert "Open on Sundays please" in page and "Better parking" not in page
    untagged = client.get(listing, {"question": why, "tag": "untagged"}).content.decode()
    assert "Better parking" in untagged and "Open on Sundays please" not in untagged
    found = client.get(listing, {"question": why, "q": "parking"}).content.decode()
    assert "Better parking" in found and "Open on Sundays" not in found

    remove = client.post(url("staff-tag-remove", consultation, answer.pk, tag.pk), HTTP_HX_REQUEST="true")
    assert remove.status_code == 200 and f'id="answer-{answer.pk}-tags"' in remove.content.decode()
    assert answer.tags.count() == 0
    assert AuditEntry.objects.filter(action="consultations.answer_untagged").count() == 1


def test_htmx_tagging_returns_the_answers_tags_with_errors_inline(client, officer, library):
    consultation, q, first, _second = library
    client.force_login(officer)
    answer = first.answers.get(question=q["why"])
    response = client.post(
        url("staff-tag-add", consultation, answer.pk), {"name": "Parking"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Parking" in response.content.decode()
    empty = client.post(url("staff-tag-add", consultation, answer.pk), {"name": "  "}, HTTP_HX_REQUEST="true")
    assert "govuk-error-message" in empty.content.decode()
    assert answer.tags.count() == 1


@pytest.mark.parametrize("persona", ["councillor", "resident", "outsider", "officer_south"])
def test_only_officers_for_the_area_may_tag(client, library, request, persona):
    consultation, q, first, _second = library
    answer = first.answers.get(question=q["why"])
    client.force_login(request.getfixturevalue(persona))
    assert client.post(url("staff-tag-add", consultation, answer.pk), {"name": "Parking"}).status_code == 403
    assert not Tag.objects.exists()


def test_councillor_reads_without_tag_forms(client, councillor, library):
    consultation, q, *_ = library
    client.force_login(councillor)
    page = client.get(url("staff-responses", consultation), {"question": q["why"].pk}).content.decode()
    assert "Open on Sundays please" in page
    assert "Add a tag" not in page


def test_choice_answers_cannot_be_tagged(client, officer, library):
    consultation, q, first, _second = library
    client.force_login(officer)
    choice = first.answers.get(question=q["use"])
    assert client.post(url("staff-tag-add", consultation, choice.pk), {"name": "X"}).status_code == 404


def test_single_response_shows_identity_only_for_identified_consultations(client, officer, library, borough):
    consultation, q, first, _second = library
    client.force_login(officer)
    page = client.get(url("staff-response", consultation, first.reference)).content.decode()
    assert "resident@example.org" in page and "Open on Sundays please" in page
    assert client.get(url("staff-response", consultation, "NOPE")).status_code == 404

    anonymous = make_consultation(borough["north"], "closed", anonymity=Anonymity.ANONYMOUS)
    questions = make_survey(anonymous)
    sent = make_response(anonymous, {questions["why"]: "Quiet please"})
    page = client.get(url("staff-response", anonymous, sent.reference)).content.decode()
    assert "Anonymous" in page and "Quiet please" in page


def test_public_summary_waits_for_the_councils_response(client, library, officer):
    consultation, q, *_ = library
    page = client.get(url("summary", consultation)).content.decode()
    assert "will be published here" in page and q["rating"].text not in page

    Outcome.objects.create(
        consultation=consultation,
        you_said="You want longer hours.",
        we_did="We open on Sundays from May.",
        published_at=consultation.closes_at,
    )
    page = client.get(url("summary", consultation)).content.decode()
    assert "We open on Sundays from May." in page
    assert q["rating"].text in page and q["use"].text in page and q["visits"].text in page
    # Never what people wrote, where they live, or who they are.
    for hidden in ("Open on Sundays please", "Better parking", q["why"].text, q["postcode"].text, "Rosa"):
        assert hidden not in page
    listing = client.get(reverse("consultations:you-said-we-did")).content.decode()
    assert "Library hours" in listing and "We open on Sundays from May." in listing


def test_staff_preview_the_public_summary_before_the_response(client, library, councillor):
    consultation = library[0]
    client.force_login(councillor)
    page = client.get(url("summary", consultation)).content.decode()
    assert "Preview for council staff" in page


def test_draft_consultations_have_no_summary(client, borough):
    draft = make_consultation(borough["north"], "draft")
    assert client.get(url("summary", draft)).status_code == 404


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("staff-results", {"option": "999999"}),
        (
            "staff-results",
            {"since_day": "not a date", "until_day": "45", "until_month": "13", "until_year": "2026"},
        ),
        ("staff-results", {"option": "1\x00"}),
        ("staff-responses", {"question": "abc", "page": "-1"}),
        ("staff-responses", {"tag": "999999", "page": "99999"}),
        ("staff-responses", {"q": "x" * 5000}),
        ("staff-responses", {"q": "%' OR 1=1 --"}),
    ],
)
def test_hostile_queries_never_break_the_pages(client, officer, library, name, query):
    client.force_login(officer)
    response = client.get(url(name, library[0]), query)
    assert response.status_code in (200, 400)
    assert b"govuk-error-summary" in response.content or response.status_code == 200


def test_hostile_addresses_are_not_found(client, officer, library):
    consultation = library[0]
    client.force_login(officer)
    assert client.get(url("staff-response", consultation, "%00")).status_code == 404
    assert client.get(url("staff-answer-file", consultation, 999999)).status_code == 404
    assert client.post(url("staff-tag-add", consultation, 999999), {"name": "x"}).status_code == 404
    assert client.get("/staff/consultations/nope/results/").status_code == 404
    assert client.get("/consultations/nope/summary/").status_code == 404


def test_tag_redirect_stays_on_this_site(client, officer, library):
    consultation, q, first, _second = library
    client.force_login(officer)
    answer = first.answers.get(question=q["why"])
    response = client.post(
        url("staff-tag-add", consultation, answer.pk), {"name": "Parking", "next": "https://evil.example/"}
    )
    assert response["Location"] == url("staff-responses", consultation)


def test_uploaded_evidence_is_for_readers_only(client, officer, resident, library, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    consultation, q, first, _second = library
    answer = first.answers.create(question=q["evidence"])
    answer.file.save("survey.pdf", ContentFile(b"%PDF-1.4 evidence"))
    link = url("staff-answer-file", consultation, answer.pk)
    client.force_login(resident)
    assert client.get(link).status_code == 403
    client.force_login(officer)
    response = client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert "attachment" in response["Content-Disposition"]
    summary = client.get(url("staff-results", consultation)).content.decode()
    assert link in summary


def test_pages_take_a_fixed_number_of_queries(client, officer, library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    consultation, q, *_ = library
    client.force_login(officer)
    pages = [
        url("staff-results", consultation),
        url("staff-responses", consultation) + f"?question={q['why'].pk}",
        url("summary", consultation),
    ]

    def count() -> list[int]:
        found = []
        for page in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(page).status_code == 200
            found.append(len(queries))
        return found

    before = count()
    for i in range(15):
        make_response(consultation, {q["use"]: ["Yes"], q["why"]: f"Idea {i}", q["rating"]: ["Good"]})
    assert count() == before


def test_a_drafts_results_say_there_is_nothing_yet(client, borough, officer, councillor):
    draft = make_consultation(borough["abbey"], "draft")
    client.force_login(officer)
    for name in ("staff-results", "staff-responses", "staff-export-csv"):
        page = client.get(url(name, draft))
        assert page.status_code == 200 and "nobody has responded yet" in page.content.decode()
    client.force_login(councillor)
    assert client.get(url("staff-results", draft)).status_code == 403


def test_officer_tags_several_answers_at_once(client, officer, councillor, library):
    consultation, q, first, second = library
    client.force_login(officer)
    ids = [a.pk for a in (first.answers.get(question=q["why"]), second.answers.get(question=q["why"]))]
    choice = first.answers.get(question=q["use"]).pk
    page = client.get(url("staff-responses", consultation), {"question": q["why"].pk}).content.decode()
    assert 'form="bulk-tag"' in page and "Tag selected answers" in page
    response = client.post(
        url("staff-tag-bulk", consultation),
        {"answers": [*ids, choice, "junk"], "name": "Access"},
        follow=True,
    )
    assert "Tagged 2 answers “Access”." in response.content.decode()
    tag = Tag.objects.get(consultation=consultation)
    assert sorted(tag.answers.values_list("pk", flat=True)) == sorted(ids)
    nothing = client.post(url("staff-tag-bulk", consultation), {"name": "Access"}, follow=True)
    assert "Select at least one answer" in nothing.content.decode()
    client.force_login(councillor)
    assert client.post(url("staff-tag-bulk", consultation), {"answers": ids, "name": "X"}).status_code == 403


def test_officer_renames_merges_and_deletes_tags(client, officer, councillor, library):
    from localpower.consultations.services.results import add_tag

    consultation, q, first, second = library
    one, two = first.answers.get(question=q["why"]), second.answers.get(question=q["why"])
    parking = add_tag(actor=officer, answer=two, name="Parkign")
    hours = add_tag(actor=officer, answer=one, name="Hours")
    add_tag(actor=officer, answer=two, name="Hours")
    tags_url = url("staff-tags", consultation)

    client.force_login(councillor)
    page = client.get(tags_url).content.decode()
    assert "Parkign" in page and "Rename" not in page
    assert client.post(tags_url, {"tag": parking.pk, "action": "delete"}).status_code == 403

    client.force_login(officer)
    renamed = client.post(
        tags_url, {"tag": parking.pk, "action": "rename", f"tag-{parking.pk}-name": "Parking"}
    )
    assert renamed.status_code == 302
    parking.refresh_from_db()
    assert parking.name == "Parking"
    empty = client.post(tags_url, {"tag": parking.pk, "action": "rename", f"tag-{parking.pk}-name": " "})
    assert empty.status_code == 400 and "govuk-error-summary" in empty.content.decode()

    # Renaming to an existing name merges: the answers keep one tag each.
    client.post(tags_url, {"tag": parking.pk, "action": "rename", f"tag-{parking.pk}-name": "hours"})
    assert list(Tag.objects.filter(consultation=consultation)) == [hours]
    assert hours.answers.count() == 2

    client.post(tags_url, {"tag": hours.pk, "action": "delete"})
    assert not Tag.objects.exists() and one.tags.count() == 0
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"consultations.tag_renamed", "consultations.tag_merged", "consultations.tag_deleted"} <= actions
    assert client.post(tags_url, {"tag": "nonsense", "action": "delete"}).status_code == 404


def test_written_answers_open_on_a_question_people_answered(client, officer, library):
    consultation, q, *_ = library
    client.force_login(officer)
    page = client.get(url("staff-responses", consultation)).content.decode()
    # "Which group do you belong to?" comes first but nobody answered it.
    assert f'<option value="{q["why"].pk}" selected>' in page and "Open on Sundays please" in page
