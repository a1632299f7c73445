import datetime

import pytest
from django.urls import reverse

from localpower.places.models import AreaKind
from localpower.places.panels import AreaPanel, register_area_panel, unregister_area_panel
from localpower.places.tests.factories import AreaFactory, PostcodeFactory, make_small_borough

pytestmark = pytest.mark.django_db
FIND = reverse("places:find")
BROWSE = reverse("places:browse")


@pytest.fixture
def borough():
    return make_small_borough()


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_find_your_area_starts_with_an_empty_form(client):
    response = client.get(FIND)
    assert response.status_code == 200
    page = text(response)
    assert '<h1 class="govuk-heading-l">Find your area</h1>' in page
    assert "govuk-error-summary" not in page


def test_a_known_postcode_lists_its_areas_largest_first_with_links(client, borough):
    response = client.get(FIND, {"postcode": " tb1 1aa "})
    page = text(response)
    assert response.status_code == 200
    assert "TB1 1AA is in" in page
    names = ["Testborough District Council", "North Area Committee", "Abbey", "Abbeyfield Parish Council"]
    positions = [page.index(f'">{name}</a>') for name in names]
    assert positions == sorted(positions)
    assert f'href="{borough["abbey"].get_absolute_url()}"' in page


def test_an_unknown_postcode_says_we_could_not_find_it(client, borough):
    response = client.get(FIND, {"postcode": "db99zz"})
    page = text(response)
    assert response.status_code == 200
    assert "We could not find DB9 9ZZ. Check it is right or contact Demo Borough Council" in page
    assert "govuk-error-summary" in page
    assert "govuk-form-group--error" in page
    assert page.count("We could not find DB9 9ZZ") == 2  # in the summary and by the field
    assert "<title>Error:" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [("not a postcode", "Enter a real postcode, like DB1 2AA"), ("", "Enter a postcode")],
)
def test_a_badly_formed_postcode_gets_an_error_summary_and_inline_error(client, typed, message):
    response = client.get(FIND, {"postcode": typed})
    page = text(response)
    assert f'<li><a href="#id_postcode">{message}</a></li>' in page
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}</p>' in page
    assert "is in</h2>" not in page


def test_a_terminated_postcode_says_it_is_no_longer_used(client, borough):
    PostcodeFactory(postcode="TB1 9ZZ", terminated=datetime.date(2015, 6, 1), areas=[borough["abbey"]])
    page = text(client.get(FIND, {"postcode": "TB1 9ZZ"}))
    assert "TB1 9ZZ has not been used since June 2015" in page


def test_area_page_shows_breadcrumbs_details_and_children(client, borough):
    response = client.get(borough["abbey"].get_absolute_url())
    page = text(response)
    assert response.status_code == 200
    crumbs = page[page.index("govuk-breadcrumbs") : page.index("</nav>", page.index("govuk-breadcrumbs"))]
    assert "Testborough District Council" in crumbs and "North Area Committee" in crumbs
    assert "X90000011" in page
    assert "Since 1 January 2000" in page
    assert "Abbeyfield Parish Council" in page
    assert "What is happening here" in page
    assert "Nothing is happening in Abbey yet." in page


def test_area_page_for_past_boundaries_says_when_they_ended(client, borough):
    old = AreaFactory(
        name="Old Abbey",
        slug="old-abbey",
        kind=AreaKind.WARD,
        parent=borough["north"],
        valid_to=datetime.date(2019, 5, 1),
    )
    page = text(client.get(old.get_absolute_url()))
    assert "These boundaries ended on 1 May 2019" in page
    north = text(client.get(borough["north"].get_absolute_url()))
    assert "Past areas within" in north


def test_area_page_for_unknown_slug_is_not_found(client):
    assert client.get(reverse("places:area", kwargs={"slug": "nowhere"})).status_code == 404


def test_other_apps_can_add_panels_to_an_area_page(client, borough):
    def provider(request, area):
        if area.kind != AreaKind.WARD:
            return None
        return AreaPanel(
            title="Budgets",
            template_name="places/panels/links.html",
            context={
                "summary": f"3 budgets open in {area.name}",
                "links": [{"text": "Parks", "url": "/parks/"}],
            },
        )

    register_area_panel(provider)
    try:
        ward = text(client.get(borough["abbey"].get_absolute_url()))
        district = text(client.get(borough["district"].get_absolute_url()))
    finally:
        unregister_area_panel(provider)
    assert "3 budgets open in Abbey" in ward
    assert '<a class="govuk-link" href="/parks/">Parks</a>' in ward
    assert "Nothing is happening in Abbey yet" not in ward
    assert "Nothing is happening in Testborough District Council yet" in district


def test_browse_nests_current_areas(client, borough):
    AreaFactory(
        name="Gone ward",
        slug="gone",
        kind=AreaKind.WARD,
        parent=borough["south"],
        valid_to=datetime.date(2001, 1, 1),
    )
    page = text(client.get(BROWSE))
    order = [
        page.index(f">{name}</a>")
        for name in (
            "Testborough District Council",
            "North Area Committee",
            "Abbey",
            "Castle",
            "South Area Committee",
            "Meadow",
        )
    ]
    assert order == sorted(order)
    assert "Gone ward" not in page


def test_browse_can_include_past_boundaries_and_filter_by_kind(client, borough):
    AreaFactory(
        name="Gone ward",
        slug="gone",
        kind=AreaKind.WARD,
        parent=borough["south"],
        valid_to=datetime.date(2001, 1, 1),
    )
    with_past = text(client.get(BROWSE, {"include_past": "on"}))
    assert "Gone ward" in with_past
    assert "2000 to 1 January 2001" in with_past
    wards = text(client.get(BROWSE, {"kind": "ward"}))
    assert "Abbey</a>" in wards and "North Area Committee</a>" not in wards
    parishes = text(client.get(BROWSE, {"kind": "county"}))
    assert "No areas match" in parishes


def test_browse_ignores_an_unknown_kind(client, borough):
    response = client.get(BROWSE, {"kind": "galaxy"})
    assert response.status_code == 200
    assert "Testborough District Council" in text(response)


def test_pages_refuse_posts(client):
    assert client.post(FIND, {"postcode": "TB1 1AA"}).status_code == 405


def test_a_split_ward_points_to_the_wards_that_replaced_it(client):
    from localpower.places.demo import build_demo_places

    areas = build_demo_places()
    page = text(client.get(areas["past_wards"]["riverside-and-meadow"].get_absolute_url()))
    assert "These boundaries ended on 3 May 2023" in page
    assert "Its postcodes are now in:" in page
    assert ">Meadow</a>, <a" in page and ">Riverside</a>" in page


def test_a_terminated_postcode_shows_the_areas_it_was_last_in(client):
    from localpower.places.demo import TERMINATED_POSTCODE, build_demo_places

    build_demo_places()
    page = text(client.get(FIND, {"postcode": TERMINATED_POSTCODE}))
    assert "DB5 9ZZ has not been used since June 2015. These are the areas it was last in." in page
    assert ">Riverside and Meadow</a>" in page
    assert ">South Area Committee</a>" in page
