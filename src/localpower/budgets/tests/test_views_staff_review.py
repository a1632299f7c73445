"""Staff review pages: the ideas queue, feasibility, merging, turning ideas into ballot projects, final costs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from localpower.accounts.tests.factories import PASSWORD
from localpower.budgets.models import Idea, IdeaStatus, IdeaSupport, Project
from localpower.budgets.tests.factories import make_process, make_projects

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.fixture
def process(borough):
    return make_process(borough["north"], "review")


@pytest.fixture
def ideas(process, resident):
    return [
        Idea.objects.create(
            process=process, author=resident, title=title, description="Please", estimated_cost=Decimal(cost)
        )
        for title, cost in (
            ("More benches", "900"),
            ("Benches in the park", "1200"),
            ("A skate park", "40000"),
        )
    ]


def review_url(process, idea):
    return reverse("budgets:staff-review-idea", args=[process.slug, idea.pk])


def test_queue_lists_ideas_for_the_officer_only(client, officer, officer_south, resident, process, ideas):
    url = reverse("budgets:staff-review", args=[process.slug])
    assert client.get(url).status_code == 302
    signed_in(client, resident)
    assert client.get(url).status_code == 403
    assert client.get(review_url(process, ideas[0])).status_code == 403
    signed_in(client, officer_south)
    assert client.get(url).status_code == 403
    signed_in(client, officer)
    page = client.get(url).content.decode()
    assert all(idea.title in page for idea in ideas)
    filtered = client.get(url, {"status": "feasible"}).content.decode()
    assert "More benches" not in filtered


def test_not_feasible_needs_a_public_reason(client, officer, process, ideas):
    signed_in(client, officer)
    idea = ideas[2]
    response = client.post(review_url(process, idea), {"action": "assess", "assess-status": "not_feasible"})
    assert response.status_code == 400
    assert "Say why the idea is not feasible" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    response = client.post(
        review_url(process, idea),
        {
            "action": "assess",
            "assess-status": "not_feasible",
            "assess-public_reason": "The land belongs to the railway.",
            "assess-estimated_cost": "45000",
        },
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.status, idea.public_reason, idea.estimated_cost) == (
        "not_feasible",
        "The land belongs to the railway.",
        Decimal("45000"),
    )


def test_merging_moves_supporters(client, officer, process, ideas, make_resident):
    supporter = make_resident()
    IdeaSupport.objects.create(idea=ideas[1], user=supporter)
    signed_in(client, officer)
    response = client.post(
        review_url(process, ideas[1]),
        {"action": "merge", "merge-into": str(ideas[0].pk), "merge-public_reason": ""},
    )
    assert response.status_code == 302
    ideas[1].refresh_from_db()
    assert ideas[1].status == IdeaStatus.MERGED and ideas[1].merged_into == ideas[0]
    assert IdeaSupport.objects.filter(idea=ideas[0], user=supporter).exists()
    page = client.get(review_url(process, ideas[1])).content.decode()
    assert "This idea&#x27;s review is finished." in page or "This idea's review is finished." in page


def test_two_ideas_become_one_ballot_project(client, officer, process, ideas):
    signed_in(client, officer)
    response = client.post(
        review_url(process, ideas[0]),
        {
            "action": "project",
            "project-title": "Benches for the park",
            "project-cost": "1500",
            "project-description": "Six benches",
            "project-also": [str(ideas[1].pk)],
            "project-location_text": "",
            "project-feasibility_reason": "Parks team can do it.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("budgets:staff-projects", args=[process.slug])
    project = Project.objects.get(process=process)
    assert project.cost == Decimal("1500")
    assert set(project.ideas.values_list("pk", flat=True)) == {ideas[0].pk, ideas[1].pk}
    listing = client.get(response["Location"]).content.decode()
    assert "Benches for the park" in listing and "GBP 1,500.00" in listing


def test_project_form_errors_and_final_costing(client, officer, process):
    signed_in(client, officer)
    url = reverse("budgets:staff-projects", args=[process.slug])
    response = client.post(url, {"title": "", "cost": "-4"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Project.objects.exists()
    (project,) = make_projects(process, [100])
    edit = reverse("budgets:staff-project-edit", args=[process.slug, project.pk])
    response = client.post(edit, {"title": "Planters", "cost": "250.50", "description": ""})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.cost) == ("Planters", Decimal("250.50"))


def test_projects_cannot_change_once_voting_opens(client, officer, borough):
    process = make_process(borough["north"], "voting")
    (project,) = make_projects(process, [100])
    signed_in(client, officer)
    page = client.get(reverse("budgets:staff-projects", args=[process.slug])).content.decode()
    assert "the ballot projects can no longer change" in page
    edit = reverse("budgets:staff-project-edit", args=[process.slug, project.pk])
    response = client.post(edit, {"title": "Planters", "cost": "999"})
    assert response.status_code == 400
    assert "Only council officers and administrators for this area can change ballot projects" in (
        response.content.decode()
    )
    project.refresh_from_db()
    assert project.cost == Decimal("100")


def test_queue_pages_by_fifty(client, officer, process, resident):
    Idea.objects.bulk_create(
        [Idea(process=process, author=resident, title=f"Idea {n:03}", description="x") for n in range(60)]
    )
    signed_in(client, officer)
    url = reverse("budgets:staff-review", args=[process.slug])
    first = client.get(url).content.decode()
    assert "60 ideas" in first
    assert first.count('class="govuk-table__row"') == 51  # header and 50 ideas
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="govuk-table__row"') == 11
    filtered = client.get(url, {"status": "submitted", "page": 2}).content.decode()
    assert "?status=submitted&amp;page=1" in filtered
