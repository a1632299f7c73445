"""Every public page loads, looks after its own files and passes the axe checks."""

import pytest

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    ("/", "Have your say in your area"),
    ("/accessibility/", "Accessibility statement"),
    ("/privacy/", "Privacy"),
    ("/api/v1/docs", "API for developers"),
]


@pytest.mark.parametrize(("path", "heading"), PUBLIC_PAGES)
def test_public_page(site, path, heading):
    site.goto(path)
    h1 = site.page.locator("h1")
    assert h1.count() == 1
    assert heading in h1.inner_text()
    assert site.page.title().endswith("Demo Borough Council")
