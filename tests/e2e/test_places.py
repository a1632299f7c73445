"""Finding your area with a postcode, and the area pages it leads to."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_places(transactional_db):
    from localpower.places.demo import build_demo_places

    return build_demo_places()


def search(site, postcode: str) -> None:
    site.page.get_by_label("Postcode").fill(postcode)
    site.follow(site.page.get_by_role("button", name="Find your area").click)


def test_find_your_area_from_the_home_page_and_open_your_ward(site, demo_places):
    page = site.page
    site.goto("/")
    search(site, "db1 2aa")  # typed carelessly: lower case, no space
    assert "/find-your-area/" in page.url
    expect(page.locator("h2#result")).to_have_text("DB1 2AA is in")
    results = page.locator(".govuk-summary-list")
    for kind, name in [
        ("Ward", "Abbey"),
        ("Area committee", "North Area Committee"),
        ("Parish", "Abbeyfield"),
    ]:
        expect(results).to_contain_text(kind)
        expect(results).to_contain_text(name)
    assert page.title().startswith("Areas for DB1 2AA")

    site.follow(page.get_by_role("link", name="Abbey", exact=True).click)
    expect(page.locator("h1")).to_contain_text("Abbey")
    # The area page leads on to the areas it is part of.
    expect(page.locator("main")).to_contain_text("North Area Committee")


def test_badly_formed_postcode_shows_an_error_that_leads_to_the_field(site, demo_places):
    page = site.page
    site.goto("/find-your-area/")
    search(site, "banana")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a real postcode")
    expect(page.locator(".govuk-error-message")).to_contain_text("Enter a real postcode")
    assert page.title().startswith("Error:")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Postcode")).to_be_focused()


def test_unknown_postcode_says_so(site, demo_places):
    site.goto("/find-your-area/")
    search(site, "DB9 9ZZ")
    expect(site.page.locator(".govuk-error-summary")).to_contain_text("We could not find DB9 9ZZ")
    expect(site.page.locator(".govuk-summary-list")).to_have_count(0)


def test_empty_search_asks_for_a_postcode(site, demo_places):
    site.goto("/find-your-area/")
    search(site, "")
    expect(site.page.locator(".govuk-error-summary")).to_contain_text("Enter a postcode")


def test_browse_all_areas_reaches_an_area_page(site, demo_places):
    page = site.page
    site.goto("/areas/")
    expect(page.locator("h1")).to_have_count(1)
    site.follow(page.get_by_role("link", name="North Area Committee").first.click)
    expect(page.locator("h1")).to_contain_text("North Area Committee")


def test_unknown_area_is_the_not_found_page(site, demo_places):
    site.goto("/areas/no-such-place/", expect_status=404)
    expect(site.page.locator("h1")).to_have_text("Page not found")
