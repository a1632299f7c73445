"""Every page behind sign-in passes the same checks as the public ones: one heading, axe, no blocked files."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accounts import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def people(administrator, resident, parish_council, organisation_member):
    from localpower.accounts.tests.factories import UserFactory

    waiting = UserFactory(email="waiting@example.org", display_name="Wendy Waiting", home_postcode="TB2 1AA")
    return {"administrator": administrator, "resident": resident, "waiting": waiting}


def visit_all(site, paths: list[str]) -> None:
    for path in paths:
        site.goto(path)
        assert site.page.locator("h1").count() == 1, f"{path} needs exactly one main heading"


def test_account_pages(site, people):
    from localpower.accounts.tests.factories import PASSWORD

    sign_in(site, "resident@example.org", PASSWORD)
    visit_all(
        site, ["/account/", "/account/name/", "/account/postcode/", "/account/password/", "/organisations/"]
    )


def test_staff_pages_for_an_administrator(site, people):
    from localpower.accounts.tests.factories import PASSWORD

    sign_in(site, "administrator@example.org", PASSWORD)
    resident, waiting = people["resident"], people["waiting"]
    visit_all(
        site,
        [
            "/staff/",
            "/staff/people/",
            "/staff/people/?q=resident",
            f"/staff/people/{resident.pk}/",
            "/staff/postcodes/",
            f"/staff/postcodes/{waiting.pk}/",
            "/staff/organisations/",
            "/staff/organisations/new/",
            "/staff/audit/",
            "/organisations/abbeyfield-parish-council/",
            "/organisations/abbeyfield-parish-council/members/",
        ],
    )
    expect(site.page.locator("main")).to_contain_text("Mel Member")


def test_empty_forms_show_their_errors_accessibly(site, people):
    """Submitting staff forms empty: the error summary and messages must pass axe too."""
    from localpower.accounts.tests.factories import PASSWORD

    sign_in(site, "administrator@example.org", PASSWORD)
    site.goto("/staff/organisations/new/")
    site.follow(site.page.locator("main form button[type=submit]").last.click)
    expect(site.page.locator(".govuk-error-summary")).to_be_visible()
    site.goto("/account/name/")
    site.page.get_by_label("Your name").fill("")
    site.follow(site.page.locator("main form button[type=submit]").last.click)
    expect(site.page.locator(".govuk-error-summary")).to_contain_text("Enter your name")
