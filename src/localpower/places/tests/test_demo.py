import datetime

import pytest

from localpower.core.models import AuditEntry
from localpower.places import selectors
from localpower.places.demo import build_demo_places
from localpower.places.models import Area, AreaKind, Postcode

pytestmark = pytest.mark.django_db


def test_demo_borough_has_committees_wards_parishes_and_postcodes():
    areas = build_demo_places()

    assert areas["borough"].name == "Demo Borough Council"
    assert len(areas["committees"]) == 3
    assert len(areas["wards"]) == 12
    assert len(areas["parishes"]) == 8
    assert 190 <= Postcode.objects.count() <= 220
    assert all(a.gss_code.startswith("X") for a in Area.objects.exclude(gss_code=""))
    assert not Postcode.objects.exclude(postcode__startswith="DB").exists()
    assert [a.name for a in selectors.areas_for_postcode("DB1 2AA")] == [
        "Demo Borough Council",
        "North Area Committee",
        "Abbey",
        "Abbeyfield Parish",
    ]
    assert selectors.areas_for_postcode("DB9 9ZZ") == []


def test_demo_shows_a_ward_split_in_2023():
    areas = build_demo_places()
    past = areas["past_wards"]["riverside-and-meadow"]

    assert past.kind == AreaKind.WARD
    assert not past.is_current
    before = selectors.areas_for_postcode("DB5 1AA", on=datetime.date(2020, 1, 1))
    after = selectors.areas_for_postcode("DB6 1AA", on=datetime.date(2024, 1, 1))
    assert before[-1] == past
    assert after[-1] == areas["wards"]["meadow"]
    assert past.boundary_set.valid_from < areas["wards"]["meadow"].boundary_set.valid_from


def test_running_the_demo_twice_creates_nothing_new():
    build_demo_places()
    counts = (Area.objects.count(), Postcode.objects.count(), Postcode.areas.through.objects.count())
    audits = AuditEntry.objects.count()

    again = build_demo_places()

    assert (Area.objects.count(), Postcode.objects.count(), Postcode.areas.through.objects.count()) == counts
    assert AuditEntry.objects.count() == audits
    assert again["wards"]["abbey"].slug == "abbey-ward"
