"""Staff results and delivery pages: count now, the stored result's provenance, publishing, delivery tracking."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from localpower.accounts.tests.factories import PASSWORD
from localpower.budgets.models import Delivery, DeliveryStatus, Milestone, Result
from localpower.budgets.services import cast_ballot, compute_result, publish_result
from localpower.budgets.tests.factories import make_process, make_projects, move_to

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.logout()
    assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.fixture
def closed(borough, make_resident):
    process = make_process(borough["north"], "voting", budget=5000)
    a, b, c = make_projects(process, [3000, 2000, 4000])
    for choice in ([a.pk, b.pk], [a.pk], [b.pk, c.pk], [a.pk, c.pk]):
        cast_ballot(actor=make_resident(), process=process, content=choice, confirmed_minimum_age=True)
    return move_to(process, "counting")


def test_count_now_runs_the_task_and_shows_provenance(client, officer, closed, immediate_tasks):
    signed_in(client, officer)
    url = reverse("budgets:staff-results", args=[closed.slug])
    before = client.get(url).content.decode()
    assert "The votes have not been counted yet." in before and "Count now" in before
    response = client.post(reverse("budgets:staff-results-count", args=[closed.slug]), follow=True)
    page = response.content.decode()
    result = Result.objects.get(process=closed)
    assert result.version == 1 and result.voters == 4
    assert "The count has finished." in page and "Your last count finished." in page
    assert result.input_sha256 in page and result.library_version in page
    assert "<code>mes</code>" in page
    assert "Publish version 1" in page


def test_publish_starts_delivery(client, officer, closed):
    result = compute_result(actor=officer, process=closed)
    signed_in(client, officer)
    response = client.post(reverse("budgets:staff-results-publish", args=[closed.slug, 1]), follow=True)
    assert "Version 1 of the results is published" in response.content.decode()
    result.refresh_from_db()
    assert result.published
    assert Delivery.objects.filter(project__process=closed).count() == len(result.selected_ids) > 0


def test_only_the_latest_version_can_be_published(client, officer, closed):
    compute_result(actor=officer, process=closed)
    compute_result(actor=officer, process=closed)
    signed_in(client, officer)
    response = client.post(reverse("budgets:staff-results-publish", args=[closed.slug, 1]), follow=True)
    assert "Only the latest count can be published (version 2)." in response.content.decode()
    assert not Result.objects.filter(published=True).exists()


def test_counting_waits_for_voting_to_close(client, officer, borough):
    process = make_process(borough["north"], "voting")
    signed_in(client, officer)
    page = client.get(reverse("budgets:staff-results", args=[process.slug])).content.decode()
    assert "The votes can be counted once voting has closed." in page
    response = client.post(reverse("budgets:staff-results-count", args=[process.slug]), follow=True)
    assert "can count the votes, after voting closes" in response.content.decode()
    assert not Result.objects.exists()


def test_other_people_cannot_count_or_publish(client, officer, officer_south, resident, closed):
    result = compute_result(actor=officer, process=closed)
    count = reverse("budgets:staff-results-count", args=[closed.slug])
    publish = reverse("budgets:staff-results-publish", args=[closed.slug, 1])
    assert client.post(publish).status_code == 302  # to sign in
    for person in (resident, officer_south):
        signed_in(client, person)
        assert client.get(reverse("budgets:staff-results", args=[closed.slug])).status_code == 403
        assert client.post(count).status_code == 403
        assert client.post(publish).status_code == 403
    result.refresh_from_db()
    assert not result.published and Result.objects.count() == 1


def test_delivery_status_milestones_and_cancelling(client, officer, closed):
    result = publish_result(actor=officer, result=compute_result(actor=officer, process=closed))
    move_to(closed, "delivery")
    project = closed.projects.get(pk=result.selected_ids[0])
    signed_in(client, officer)
    listing = client.get(reverse("budgets:staff-delivery", args=[closed.slug])).content.decode()
    assert project.title in listing and "Planned" in listing
    url = reverse("budgets:staff-delivery-project", args=[closed.slug, project.pk])
    response = client.post(
        url,
        {
            "action": "milestone",
            "milestone-title": "Order the benches",
            "milestone-due_on_day": "30",
            "milestone-due_on_month": "2",
            "milestone-due_on_year": "2027",
        },
    )
    assert response.status_code == 400
    assert "must be a real date" in response.content.decode()
    response = client.post(
        url,
        {
            "action": "milestone",
            "milestone-title": "Order the benches",
            "milestone-due_on_day": "1",
            "milestone-due_on_month": "3",
            "milestone-due_on_year": "2027",
        },
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert str(milestone.due_on) == "2027-03-01"
    client.post(reverse("budgets:staff-milestone-done", args=[closed.slug, project.pk, milestone.pk]))
    milestone.refresh_from_db()
    assert milestone.completed_on is not None
    response = client.post(
        url, {"action": "status", "status-status": "in_progress", "status-note": "Work began."}
    )
    assert response.status_code == 302
    response = client.post(url, {"action": "status", "status-status": "cancelled", "status-note": ""})
    assert response.status_code == 400
    assert "Say why the project was cancelled" in response.content.decode()
    client.post(
        url,
        {"action": "status", "status-status": "cancelled", "status-cancelled_reason": "The site was sold."},
    )
    delivery = Delivery.objects.get(project=project)
    assert (delivery.status, delivery.cancelled_reason) == (DeliveryStatus.CANCELLED, "The site was sold.")
    page = client.get(url).content.decode()
    assert "Work began." in page and "The site was sold." in page


def test_delivery_pages_refuse_other_areas(client, officer, officer_south, closed):
    result = publish_result(actor=officer, result=compute_result(actor=officer, process=closed))
    project_id = result.selected_ids[0]
    signed_in(client, officer_south)
    url = reverse("budgets:staff-delivery-project", args=[closed.slug, project_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "status", "status-status": "delivered"}).status_code == 403
    assert Delivery.objects.get(project_id=project_id).status == DeliveryStatus.PLANNED


# The worker closes connections that are inside a transaction, as a test's usually is; on PostgreSQL that
# would close the test's own connection, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_count_now_with_a_queue_shows_it_is_waiting(client, officer, closed, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    signed_in(client, officer)
    response = client.post(reverse("budgets:staff-results-count", args=[closed.slug]), follow=True)
    page = response.content.decode()
    assert "The count is queued." in page and "Your count is queued." in page
    assert not Result.objects.exists()
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    page = client.get(reverse("budgets:staff-results", args=[closed.slug])).content.decode()
    assert "Your last count finished." in page and "Version 1" in page
    assert Result.objects.get().computed_by == officer
