"""Keyboard only: the skip link, the order Tab moves through the page, and a visible focus indicator."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

GOVUK_FOCUS_YELLOW = "rgb(255, 221, 0)"

FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return {
    name: (label || el.innerText || el.value || el.getAttribute('aria-label') || el.tagName).trim().replace(/\\s+/g, ' '),
    tag: el.tagName.toLowerCase(),
    focusVisible: el.matches(':focus-visible'),
    indicator: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none',
    background: style.backgroundColor,
    outline: style.outlineColor,
    onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
      && rect.top < window.innerHeight && rect.left < window.innerWidth,
  };
}"""


def tab(page) -> dict:
    """Press Tab and return what has focus; fail unless the focus can be seen."""
    page.keyboard.press("Tab")
    state = page.evaluate(FOCUS_STATE)
    assert state["focusVisible"] and state["indicator"] and state["onScreen"], (
        f"focus cannot be seen: {state}"
    )
    assert GOVUK_FOCUS_YELLOW in (state["background"], state["outline"]), (
        f"not the GOV.UK focus style: {state}"
    )
    return state


@pytest.fixture
def demo_places(transactional_db):
    from localpower.places.demo import build_demo_places

    return build_demo_places()


def test_skip_link_then_find_your_area_with_the_keyboard_alone(site, demo_places):
    page = site.page
    site.goto("/")

    skip = tab(page)
    assert skip["name"] == "Skip to main content"

    page.keyboard.press("Enter")
    postcode = tab(page)  # the skip link moved us past the header and navigation, straight into the page
    assert postcode["tag"] == "input" and postcode["name"] == "Postcode"
    expect(page.get_by_label("Postcode")).to_be_focused()

    page.keyboard.type("DB1 2AA")
    button = tab(page)
    assert button["tag"] == "button" and button["name"] == "Find your area"
    site.follow(lambda: page.keyboard.press("Enter"))
    expect(page.locator("h2#result")).to_have_text("DB1 2AA is in")


def test_tab_order_follows_the_page_from_top_to_bottom(site):
    page = site.page
    site.goto("/")
    order = [tab(page)["name"] for _ in range(11)]
    assert order == [
        "Skip to main content",
        "Demo Borough Council Local Power",
        "Sign in",
        "Create an account",
        "Home",
        "Find your area",
        "Areas",
        "Have your say",
        "Budgets",
        "Postcode",
        "Find your area",
    ]


def test_error_summary_takes_focus_and_its_link_leads_to_the_field(site, demo_places):
    page = site.page
    site.goto("/find-your-area/")
    page.get_by_label("Postcode").fill("not a postcode")
    site.follow(lambda: page.keyboard.press("Enter"))
    # GOV.UK Frontend moves focus to the error summary so screen reader users hear about the problem first.
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    link = tab(page)
    assert "Enter a real postcode" in link["name"]
    page.keyboard.press("Enter")
    expect(page.get_by_label("Postcode")).to_be_focused()
