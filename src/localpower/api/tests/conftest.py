"""A small set of areas and postcodes for the API tests, built directly so the tests read on their own."""

import datetime

import pytest
from django.test import Client

from localpower.places.models import Area, AreaKind, Postcode

OLD = datetime.date(2000, 1, 1)
REVIEW = datetime.date(2022, 5, 5)


@pytest.fixture
def places(db):
    borough = Area.objects.create(
        name="Testshire Borough", slug="testshire", kind=AreaKind.DISTRICT, gss_code="E07000001"
    )
    north = Area.objects.create(
        name="North Committee", slug="north", kind=AreaKind.AREA_COMMITTEE, parent=borough
    )
    south = Area.objects.create(
        name="South Committee", slug="south", kind=AreaKind.AREA_COMMITTEE, parent=borough
    )
    # Wards changed at a boundary review: "Old Ward" ended the day before the new wards began.
    old_ward = Area.objects.create(
        name="Old Ward",
        slug="old-ward",
        kind=AreaKind.WARD,
        parent=north,
        valid_from=OLD,
        valid_to=REVIEW - datetime.timedelta(days=1),
    )
    abbey = Area.objects.create(
        name="Abbey Ward",
        slug="abbey",
        kind=AreaKind.WARD,
        parent=north,
        gss_code="E05000001",
        valid_from=REVIEW,
    )
    castle = Area.objects.create(
        name="Castle Ward",
        slug="castle",
        kind=AreaKind.WARD,
        parent=south,
        gss_code="E05000002",
        valid_from=REVIEW,
    )
    parish = Area.objects.create(
        name="Abbey Parish", slug="abbey-parish", kind=AreaKind.PARISH, parent=abbey, valid_from=REVIEW
    )
    home = Postcode.objects.create(postcode="TE1 1AA", latitude="51.500000", longitude="-0.100000")
    home.areas.add(abbey, parish, old_ward)
    other = Postcode.objects.create(postcode="TE2 2BB")
    other.areas.add(castle)
    Postcode.objects.create(postcode="TE9 9ZZ", terminated=datetime.date(2020, 1, 1))
    return {
        "borough": borough,
        "north": north,
        "south": south,
        "old_ward": old_ward,
        "abbey": abbey,
        "castle": castle,
        "parish": parish,
    }


@pytest.fixture
def api_client():
    return Client(HTTP_HOST="localhost")


def assert_error(response, status: int, code: str) -> dict:
    """The response is a JSON error in the one shape the API promises; returns the error object."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], list)
    return error
