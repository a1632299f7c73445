"""Journeys through accounts: sign up, confirm the e-mail address, sign in, the account page, staff pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import links_in

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def sign_in(site, email: str, password: str) -> None:
    site.goto("/sign-in/")
    site.page.get_by_label("E-mail address").fill(email)
    site.page.get_by_label("Password").fill(password)
    site.follow(site.page.get_by_role("button", name="Sign in").click)


def test_sign_up_confirm_sign_in_and_use_the_api(site, mailbox, borough):
    page = site.page
    site.goto("/")
    site.follow(page.get_by_role("link", name="Create an account").first.click)
    expect(page.locator("h1")).to_have_text("Create an account")

    # A mistake first: the error summary names it and the page still passes the checks.
    page.get_by_label("E-mail address").fill("nadia@example.org")
    page.get_by_label("Your name").fill("Nadia")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD + " typo")
    site.follow(page.get_by_role("button", name="Create account").click)
    assert page.title().startswith("Error:")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The passwords do not match")

    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    site.follow(page.get_by_role("button", name="Create account").click)
    expect(page.locator("h1")).to_have_text("Check your e-mail")

    assert len(mailbox) == 1 and mailbox[0].to == ["nadia@example.org"]
    link = next(url for url in links_in(mailbox[0].body) if "/verify-email/" in url)
    assert link.startswith(site.base_url), link

    # Sign out, follow the link from the e-mail, then sign in again.
    site.follow(page.get_by_role("button", name="Sign out").click)
    site.goto(link)
    expect(page.locator("main")).to_contain_text("nadia@example.org")
    sign_in(site, "nadia@example.org", PASSWORD)
    expect(page.locator("h1")).to_have_text("Your account")
    expect(page.locator("header")).to_contain_text("Signed in as Nadia")

    # Create a personal API token and use it from outside the browser session.
    page.get_by_label("Token name").fill("My script")
    site.follow(page.get_by_role("button", name="Create a token").click)
    raw = page.locator("#raw-token").input_value()
    assert re.fullmatch(r"lp_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}", raw), raw
    api = page.context.request
    me = api.get(site.url("/api/v1/me"), headers={"Authorization": f"Bearer {raw}"})
    assert me.status == 200 and me.json()["email"] == "nadia@example.org"
    assert me.json()["email_verified"] is True


def test_wrong_password_is_refused_with_a_clear_message(site, resident):
    sign_in(site, "resident@example.org", "not the password")
    expect(site.page.locator(".govuk-error-summary")).to_contain_text("not right")
    expect(site.page.locator("h1")).to_have_text("Sign in")


def test_staff_pages_refused_to_a_resident_and_shown_to_an_officer(site, resident, officer):
    from localpower.accounts.tests.factories import PASSWORD as PERSONA_PASSWORD

    sign_in(site, "resident@example.org", PERSONA_PASSWORD)
    expect(site.page.get_by_role("link", name="Staff", exact=True)).to_have_count(0)
    site.goto("/staff/", expect_status=403)
    expect(site.page.locator("h1")).to_have_text("You do not have permission to see this page")

    site.follow(site.page.get_by_role("button", name="Sign out").click)
    sign_in(site, "officer@example.org", PERSONA_PASSWORD)
    site.follow(site.page.get_by_role("link", name="Staff", exact=True).click)
    expect(site.page.locator("h1")).to_have_text("Staff pages")


def test_forgotten_password_reset_by_e_mail(site, mailbox, resident):
    page = site.page
    site.goto("/sign-in/")
    site.follow(page.get_by_role("link", name="I have forgotten my password").click)
    expect(page.locator("h1")).to_have_text("Reset your password")
    page.get_by_label(re.compile("e-?mail", re.IGNORECASE)).fill("resident@example.org")
    site.follow(page.get_by_role("button", name="Send the link").click)
    expect(page.locator("h1")).to_have_text("Check your e-mail")

    assert len(mailbox) == 1 and mailbox[0].to == ["resident@example.org"]
    link = next(url for url in links_in(mailbox[0].body) if "/password-reset/" in url)
    site.goto(link)
    expect(page.locator("h1")).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    site.follow(page.get_by_role("button", name="Save password").click)
    expect(page.locator("h1")).to_have_text("Your password has been changed")

    sign_in(site, "resident@example.org", PASSWORD)
    expect(page.locator("h1")).to_have_text("Your account")
    # The link works once only.
    site.goto(link)
    expect(page.locator("h1")).to_have_text("The link does not work")


def test_anonymous_visitor_is_sent_to_sign_in_from_the_staff_pages(site):
    site.goto("/staff/")
    assert "/sign-in/" in site.page.url and "next=" in site.page.url
    expect(site.page.locator("h1")).to_have_text("Sign in")
