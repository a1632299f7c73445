"""Staff pages for setting up and changing a budget process: who gets in, form errors, frozen settings."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from localpower.accounts.tests.factories import PASSWORD
from localpower.budgets.models import BallotKind, Category, Process, ProcessState
from localpower.budgets.tests.factories import make_process, make_projects
from localpower.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


def date_parts(name: str, day: datetime.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def new_process_data(area, **overrides) -> dict[str, str]:
    start = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "area": str(area.pk),
        "title": "Castle ward budget",
        "slug": "",
        "description": "Share ideas for the ward.",
        "budget": "20000",
        "currency": "gbp",
        "minimum_age": "16",
        "ballot_kind": BallotKind.KNAPSACK,
        "max_cost": "15000",
        "rule": "mes",
        "completion": "add1",
        "allow_ballot_change": "on",
        "categories": "Young people: 2000\nGreen spaces",
    }
    names = [
        "ideas_open_at",
        "review_opens_at",
        "voting_opens_at",
        "voting_closes_at",
        "results_at",
        "delivery_starts_at",
    ]
    for offset, name in enumerate(names):
        data |= date_parts(name, start + datetime.timedelta(days=7 * offset))
    data.update(overrides)
    return data


class TestWhoGetsIn:
    def test_anonymous_people_go_to_sign_in(self, client, borough):
        process = make_process(borough["north"], "ideas")
        for url in (
            reverse("budgets:staff-process-list"),
            reverse("budgets:staff-process-new"),
            reverse("budgets:staff-process", args=[process.slug]),
            reverse("budgets:staff-process-edit", args=[process.slug]),
        ):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:sign-in"))

    def test_residents_are_refused(self, client, resident, borough):
        process = make_process(borough["north"], "ideas")
        signed_in(client, resident)
        assert client.get(reverse("budgets:staff-process-list")).status_code == 403
        assert client.get(reverse("budgets:staff-process-new")).status_code == 403
        assert client.get(reverse("budgets:staff-process", args=[process.slug])).status_code == 403

    def test_officer_of_another_area_cannot_open_the_process(self, client, officer_south, borough):
        process = make_process(borough["north"], "ideas")
        signed_in(client, officer_south)
        assert client.get(reverse("budgets:staff-process", args=[process.slug])).status_code == 403
        assert client.get(reverse("budgets:staff-process-edit", args=[process.slug])).status_code == 403
        listing = client.get(reverse("budgets:staff-process-list"))
        assert listing.status_code == 200
        assert process.title not in listing.content.decode()

    def test_officer_sees_their_areas_processes_and_the_staff_home_link(self, client, officer, borough):
        north = make_process(borough["north"], "voting", title="North pot")
        castle = make_process(borough["castle"], "ideas", title="Castle pot")
        south = make_process(borough["south"], "ideas", title="South pot")
        signed_in(client, officer)
        page = client.get(reverse("budgets:staff-process-list")).content.decode()
        assert north.title in page and castle.title in page
        assert south.title not in page
        home = client.get(reverse("accounts:staff-home")).content.decode()
        assert reverse("budgets:staff-process-list") in home

    def test_staff_home_has_no_budget_link_for_a_moderator(self, client, moderator):
        signed_in(client, moderator)
        home = client.get(reverse("accounts:staff-home"))
        assert home.status_code == 200
        page = home.content.decode()
        assert f'href="{reverse("budgets:staff-process-list")}"' not in page
        assert reverse("budgets:staff-moderation") in page  # they moderate instead


class TestSettingUp:
    def test_officer_sets_up_a_draft_with_categories(self, client, officer, borough):
        signed_in(client, officer)
        response = client.post(reverse("budgets:staff-process-new"), new_process_data(borough["castle"]))
        process = Process.objects.get(title="Castle ward budget")
        assert response.status_code == 302
        assert response["Location"] == reverse("budgets:staff-process", args=[process.slug])
        assert process.slug == "castle-ward-budget"
        assert process.state == ProcessState.DRAFT
        assert process.currency == "GBP"
        assert process.budget == Decimal("20000")
        assert process.max_cost == Decimal("15000")
        assert process.minimum_age == 16
        assert timezone.localtime(
            process.voting_opens_at
        ).date() == timezone.localdate() + datetime.timedelta(days=24)
        assert {(c.name, c.target_amount) for c in process.categories.all()} == {
            ("Young people", Decimal("2000.00")),
            ("Green spaces", None),
        }
        assert AuditEntry.objects.filter(action="budgets.process.create").exists()
        overview = client.get(response["Location"]).content.decode()
        assert "Young people" in overview and "Draft" in overview

    def test_area_list_offers_only_the_officers_areas(self, client, officer, borough):
        signed_in(client, officer)
        response = client.post(reverse("budgets:staff-process-new"), new_process_data(borough["riverside"]))
        assert response.status_code == 200
        assert "Choose one of the areas you manage" in response.content.decode()
        assert not Process.objects.exists()

    def test_errors_are_shown_for_bad_dates_and_missing_limits(self, client, officer, borough):
        signed_in(client, officer)
        data = new_process_data(
            borough["castle"],
            ballot_kind=BallotKind.RANKED,
            voting_closes_at_day="31",
            voting_closes_at_month="2",
            results_at_month="",
        )
        response = client.post(reverse("budgets:staff-process-new"), data)
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page
        assert "must be a real date" in page
        assert "must include a month" in page
        assert not Process.objects.exists()
        data = new_process_data(borough["castle"], ballot_kind=BallotKind.RANKED, max_cost="")
        page = client.post(reverse("budgets:staff-process-new"), data).content.decode()
        assert "Give the most projects a voter may choose." in page
        assert not Process.objects.exists()

    def test_phases_out_of_order_are_refused(self, client, officer, borough):
        signed_in(client, officer)
        today = timezone.localdate()
        data = new_process_data(borough["castle"]) | date_parts(
            "voting_opens_at", today - datetime.timedelta(days=400)
        )
        page = client.post(reverse("budgets:staff-process-new"), data).content.decode()
        assert "must be after" in page
        assert not Process.objects.exists()

    def test_a_bad_category_line_is_explained(self, client, officer, borough):
        signed_in(client, officer)
        data = new_process_data(borough["castle"], categories="Parks: lots")
        page = client.post(reverse("budgets:staff-process-new"), data).content.decode()
        assert "Line 1: the target after the colon must be an amount above zero" in page
        assert not Process.objects.exists()


class TestChanging:
    def test_settings_change_before_voting(self, client, officer, borough):
        process = make_process(borough["north"], "ideas")
        signed_in(client, officer)
        form = client.get(reverse("budgets:staff-process-edit", args=[process.slug]))
        assert form.status_code == 200
        data = new_process_data(
            borough["north"], slug=process.slug, title="Renamed", budget="5000", max_cost="4000"
        )
        data.pop("area")
        data.pop("categories")
        response = client.post(reverse("budgets:staff-process-edit", args=[process.slug]), data)
        assert response.status_code == 302, response.context["form"].errors
        process.refresh_from_db()
        assert (process.title, process.budget, process.ballot_kind) == (
            "Renamed",
            Decimal("5000"),
            "knapsack",
        )

    def test_frozen_settings_are_read_only_once_voting_opens(self, client, officer, borough):
        process = make_process(borough["north"], "voting", description="Old words")
        signed_in(client, officer)
        page = client.get(reverse("budgets:staff-process-edit", args=[process.slug])).content.decode()
        assert "Voting has opened, so these settings can no longer change" in page
        assert "GBP 10,000.00" in page and "Approval: choose any number of projects" in page
        assert 'name="budget"' not in page and 'name="ballot_kind"' not in page
        assert 'name="description"' in page
        # The page's own form (without the frozen settings) saves the other settings.
        data = {
            "title": process.title,
            "slug": process.slug,
            "description": "New words",
            **{
                f"{n}_{p}": v
                for n in (
                    "ideas_open_at",
                    "review_opens_at",
                    "voting_closes_at",
                    "results_at",
                    "delivery_starts_at",
                )
                for p, v in zip(
                    ("day", "month", "year"),
                    (lambda d: (d.day, d.month, d.year))(timezone.localtime(getattr(process, n)).date()),
                    strict=True,
                )
            },
        }
        response = client.post(reverse("budgets:staff-process-edit", args=[process.slug]), data)
        assert response.status_code == 302, response.content.decode()[:3000]
        process.refresh_from_db()
        assert process.description == "New words"
        assert process.budget == Decimal("10000")

    def test_a_change_to_a_frozen_setting_is_refused_with_the_services_message(
        self, client, officer, borough
    ):
        process = make_process(borough["north"], "voting")
        signed_in(client, officer)
        data = {"title": process.title, "slug": process.slug, "budget": "999999", "currency": "GBP"}
        for n in ("ideas_open_at", "review_opens_at", "voting_closes_at", "results_at", "delivery_starts_at"):
            d = timezone.localtime(getattr(process, n)).date()
            data |= date_parts(n, d)
        response = client.post(reverse("budgets:staff-process-edit", args=[process.slug]), data)
        page = response.content.decode()
        assert response.status_code == 200
        assert "Voting has opened, so “budget” can no longer change." in page
        process.refresh_from_db()
        assert process.budget == Decimal("10000")
        assert AuditEntry.objects.filter(action="budgets.process.change_refused").count() == 1

    def test_publishing_pausing_and_cancelling(self, client, officer, borough):
        process = make_process(borough["north"], "ideas", state=ProcessState.DRAFT)
        signed_in(client, officer)
        url = reverse("budgets:staff-process-state", args=[process.slug])
        client.post(url, {"state": ProcessState.SCHEDULED})
        process.refresh_from_db()
        assert process.state == ProcessState.SCHEDULED
        response = client.post(url, {"state": ProcessState.CANCELLED, "reason": ""}, follow=True)
        assert "Say why the budget is cancelled" in response.content.decode()
        process.refresh_from_db()
        assert process.state == ProcessState.SCHEDULED
        client.post(url, {"state": ProcessState.CANCELLED, "reason": "The money went elsewhere."})
        process.refresh_from_db()
        assert process.state == ProcessState.CANCELLED

    def test_overview_counts_and_categories(self, client, officer, borough):
        process = make_process(borough["north"], "review")
        make_projects(process, [100, 200, 300])
        signed_in(client, officer)
        page = client.get(reverse("budgets:staff-process", args=[process.slug])).content.decode()
        assert '<dd class="govuk-summary-list__value" id="count-projects">3</dd>' in page
        response = client.post(
            reverse("budgets:staff-category-add", args=[process.slug]),
            {"name": "Roads", "target_amount": "50"},
        )
        assert response.status_code == 302
        assert Category.objects.filter(process=process, name="Roads").exists()
        again = client.post(reverse("budgets:staff-category-add", args=[process.slug]), {"name": "Roads"})
        assert again.status_code == 400
        assert "There is a problem" in again.content.decode()


def every_process_page(process, idea_id=1, project_id=1, milestone_id=1) -> list[tuple[str, str]]:
    slug = process.slug
    return [
        ("get", reverse("budgets:staff-process", args=[slug])),
        ("get", reverse("budgets:staff-process-edit", args=[slug])),
        ("post", reverse("budgets:staff-process-state", args=[slug])),
        ("post", reverse("budgets:staff-category-add", args=[slug])),
        ("get", reverse("budgets:staff-review", args=[slug])),
        ("get", reverse("budgets:staff-review-idea", args=[slug, idea_id])),
        ("get", reverse("budgets:staff-projects", args=[slug])),
        ("get", reverse("budgets:staff-project-edit", args=[slug, project_id])),
        ("get", reverse("budgets:staff-paper", args=[slug])),
        ("post", reverse("budgets:staff-paper-voter", args=[slug])),
        ("get", reverse("budgets:staff-results", args=[slug])),
        ("post", reverse("budgets:staff-results-count", args=[slug])),
        ("post", reverse("budgets:staff-results-publish", args=[slug, 1])),
        ("get", reverse("budgets:staff-delivery", args=[slug])),
        ("get", reverse("budgets:staff-delivery-project", args=[slug, project_id])),
        ("post", reverse("budgets:staff-milestone-done", args=[slug, project_id, milestone_id])),
    ]


def test_every_process_page_is_closed_to_everyone_but_the_areas_staff(
    client, borough, resident, officer_south, councillor, moderator
):
    process = make_process(borough["north"], "ideas")
    pages = every_process_page(process)
    for method, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:sign-in")), url
    for person in (resident, officer_south, councillor, moderator):
        client.logout()
        signed_in(client, person)
        for method, url in pages:
            assert getattr(client, method)(url).status_code == 403, (person, url)


def test_administrator_of_the_district_manages_every_budget_in_it(client, administrator, borough):
    process = make_process(borough["castle"], "ideas")
    signed_in(client, administrator)
    assert client.get(reverse("budgets:staff-process", args=[process.slug])).status_code == 200
    response = client.post(reverse("budgets:staff-process-new"), new_process_data(borough["riverside"]))
    assert response.status_code == 302
    assert Process.objects.filter(area=borough["riverside"]).exists()
