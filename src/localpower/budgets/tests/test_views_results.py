"""The results page (chart, rounds, fairness badge, "what happened to my choices"), the exports, project pages."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from localpower.budgets.models import Ballot
from localpower.budgets.services import (
    add_milestone,
    cast_ballot,
    compute_result,
    publish_result,
    update_delivery,
)
from localpower.budgets.tests.factories import make_process, make_projects, move_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(borough, resident, make_resident, officer):
    process = make_process(borough["north"], "voting", slug="north-results", budget=6000)
    p = make_projects(process, [4000, 3000, 2000])
    cast_ballot(actor=resident, process=process, content=[p[0].pk, p[2].pk])
    for content in ([p[0].pk], [p[0].pk, p[1].pk], [p[1].pk], [p[2].pk]):
        cast_ballot(actor=make_resident(), process=process, content=content)
    move_to(process, "counting")
    return process, compute_result(actor=officer, process=process)


def test_results_are_not_shown_before_publication(client, counted, officer):
    process, _result = counted
    response = client.get(reverse("budgets:results", args=[process.slug]))
    assert response.status_code == 200 and "not published yet" in response.content.decode()
    assert reverse("budgets:staff-results", args=[process.slug]) not in response.content.decode()
    assert client.get(reverse("budgets:export-pb", args=[process.slug])).status_code == 404
    assert client.get(reverse("budgets:export-csv", args=[process.slug])).status_code == 404
    client.force_login(officer)
    page = client.get(reverse("budgets:results", args=[process.slug])).content.decode()
    assert "not published yet" in page and reverse("budgets:staff-results", args=[process.slug]) in page


def test_published_results_for_anyone(client, counted, officer):
    process, result = counted
    publish_result(actor=officer, result=result)
    response = client.get(reverse("budgets:results", args=[process.slug]))
    page = response.content.decode()
    assert response.status_code == 200 and page.count("<h1") == 1
    assert "5 ballots were counted" in page
    assert "Funded" in page and "Not funded" in page
    assert "<svg" in page and 'class="govuk-table' in page  # the chart, with the numbers in a table
    assert "Fair to groups" in page
    assert "How the winners were chosen" in page and "Method of Equal Shares" in page
    assert result.input_sha256 in page
    # Why the others lost, naming projects by their titles only (the engine's "12 (Title)" is for experts).
    assert "Why the other projects were not funded" in page
    assert not re.search(r"\d+ \(Project \d\)", page)
    assert "What happened to your choices" not in page  # nobody is signed in
    # Nothing on the page identifies a ballot: no receipts.
    for receipt in Ballot.objects.values_list("receipt", flat=True):
        assert receipt not in page


def test_what_happened_to_my_choices_for_the_voter_only(client, counted, officer, resident, outsider):
    process, result = counted
    publish_result(actor=officer, result=result)
    client.force_login(resident)
    page = client.get(reverse("budgets:results", args=[process.slug])).content.decode()
    assert "What happened to your choices" in page and "Only you can see this" in page
    mine = page.split('id="my-choices"')[1].split("How the winners were chosen")[0]
    assert "Project 1" in mine and "Project 3" in mine and "Project 2" not in mine
    client.force_login(outsider)
    assert (
        "What happened to your choices"
        not in client.get(reverse("budgets:results", args=[process.slug])).content.decode()
    )


def test_exports_are_anonymous_attachments(client, counted, officer, resident):
    process, result = counted
    publish_result(actor=officer, result=result)
    pb = client.get(reverse("budgets:export-pb", args=[process.slug]))
    assert pb.status_code == 200
    assert pb["Content-Disposition"] == 'attachment; filename="north-results.pb"'
    body = pb.content.decode()
    assert "META" in body and "VOTES" in body
    csv = client.get(reverse("budgets:export-csv", args=[process.slug]))
    assert csv["Content-Disposition"].startswith("attachment;") and csv["Content-Type"].startswith("text/csv")
    projects = client.get(reverse("budgets:export-projects-csv", args=[process.slug]))
    assert projects["Content-Disposition"] == 'attachment; filename="north-results-projects.csv"'
    assert "Project 1" in projects.content.decode()
    for text in (body, csv.content.decode()):
        assert resident.email not in text
        for receipt in Ballot.objects.values_list("receipt", flat=True):
            assert receipt not in text


def test_project_page_shows_delivery_updates_and_milestones(client, counted, officer):
    process, result = counted
    publish_result(actor=officer, result=result)
    move_to(process, "delivery")
    funded = process.projects.get(pk=result.selected_ids[0])
    update_delivery(actor=officer, project=funded, status="in_progress", note="Contractor appointed.")
    add_milestone(actor=officer, project=funded, title="Order the benches", due_on=datetime.date(2027, 3, 1))
    page = client.get(reverse("budgets:project-detail", args=[process.slug, funded.pk])).content.decode()
    assert "Contractor appointed." in page and "Order the benches" in page and "1 March 2027" in page
    assert "In progress" in page and "Funded" in page
    other = process.projects.exclude(pk__in=result.selected_ids).first()
    if other is not None:
        assert (
            "Not funded"
            in client.get(reverse("budgets:project-detail", args=[process.slug, other.pk])).content.decode()
        )
    assert client.get(reverse("budgets:project-detail", args=[process.slug, 999999])).status_code == 404


def test_points_ballot_results(client, borough, make_resident, officer):
    process = make_process(
        borough["north"],
        "voting",
        slug="points-results",
        ballot_kind="cumulative",
        points_total=5,
        rule="greedy",
        completion="none",
        budget=5000,
    )
    p = make_projects(process, [3000, 2000, 4000])
    for points in ({p[0].pk: 5}, {p[1].pk: 3, p[2].pk: 2}, {p[2].pk: 4, p[0].pk: 1}):
        cast_ballot(actor=make_resident(), process=process, content={"points": points})
    move_to(process, "counting")
    publish_result(actor=officer, result=compute_result(actor=officer, process=process))
    page = client.get(reverse("budgets:results", args=[process.slug])).content.decode()
    assert "Points given to each project" in page and ">6<" in page  # Project 1: 5 + 1 points
    assert "was not run on this points ballot" in page and "Fair to groups" not in page
