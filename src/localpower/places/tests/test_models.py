import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from localpower.places.models import Area, AreaKind, BoundarySet, Postcode
from localpower.places.tests.factories import AreaFactory, make_small_borough

pytestmark = pytest.mark.django_db


def refused_by_database(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.create(**fields)


def test_database_refuses_end_date_before_start_date():
    refused_by_database(
        name="Backwards",
        slug="backwards",
        kind="district",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2019, 1, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        BoundarySet.objects.create(
            name="Backwards", valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2019, 1, 1)
        )


@pytest.mark.parametrize(
    "code", ["E0501380", "e05013806", "E05O13806", "05013806E", "S99999999", "E99999999"]
)
def test_database_refuses_malformed_or_pseudo_gss_codes(code):
    refused_by_database(name="Bad code", slug="bad-code", kind="district", gss_code=code)


def test_database_accepts_real_and_demo_gss_codes():
    Area.objects.create(name="Real", slug="real", kind="district", gss_code="E07000012")
    Area.objects.create(name="Demo", slug="demo", kind="district", gss_code="X07000001")
    assert Area.objects.count() == 2


def test_database_refuses_a_duplicate_slug():
    Area.objects.create(name="One", slug="same", kind="district")
    refused_by_database(name="Two", slug="same", kind="district")


def test_database_refuses_the_same_gss_code_from_the_same_date():
    Area.objects.create(name="One", slug="one", kind="ward", gss_code="E05000001")
    refused_by_database(name="Two", slug="two", kind="ward", gss_code="E05000001")
    Area.objects.create(
        name="Later", slug="later", kind="ward", gss_code="E05000001", valid_from=datetime.date(2022, 1, 1)
    )


def test_database_refuses_an_unknown_kind_and_an_empty_slug():
    refused_by_database(name="Odd", slug="odd", kind="galaxy")
    refused_by_database(name="No slug", slug="", kind="district")


def test_database_refuses_an_area_as_its_own_parent():
    area = Area.objects.create(name="Loop", slug="loop", kind="district")
    area.parent_id = area.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        area.save()


def test_database_refuses_unnormalised_postcodes_and_impossible_locations():
    for fields in ({"postcode": "tb1 1aa"}, {"postcode": "TB11AA"}, {"postcode": "TB1 1AA", "latitude": 91}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Postcode.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Postcode.objects.create(
            postcode="TB1 1AA", introduced=datetime.date(2020, 1, 1), terminated=datetime.date(2019, 1, 1)
        )


@pytest.mark.parametrize(
    ("kind", "parent_key", "allowed"),
    [
        (AreaKind.WARD, "north", True),
        (AreaKind.WARD, "district", True),
        (AreaKind.WARD, "abbey", False),
        (AreaKind.WARD, None, False),
        (AreaKind.PARISH, "abbey", True),
        (AreaKind.PARISH, "district", True),
        (AreaKind.PARISH, "abbeyfield", False),
        (AreaKind.AREA_COMMITTEE, "district", True),
        (AreaKind.AREA_COMMITTEE, "north", False),
        (AreaKind.DISTRICT, None, True),
        (AreaKind.DISTRICT, "north", False),
        (AreaKind.COUNTY, "district", False),
        (AreaKind.NEIGHBOURHOOD, "abbeyfield", True),
    ],
)
def test_areas_nest_sensibly(kind, parent_key, allowed):
    borough = make_small_borough()
    area = Area(name="New", slug="new", kind=kind, parent=borough[parent_key] if parent_key else None)
    if allowed:
        area.full_clean()
    else:
        with pytest.raises(ValidationError) as caught:
            area.full_clean()
        assert "parent" in caught.value.message_dict


def test_an_area_cannot_be_inside_itself():
    borough = make_small_borough()
    north = borough["north"]
    north.parent = borough["abbey"]
    borough["abbey"].parent = north
    with pytest.raises(ValidationError, match="part of itself|cannot be part of"):
        north.full_clean()


def test_a_parent_must_still_exist_when_the_child_starts():
    old = AreaFactory(kind=AreaKind.DISTRICT, valid_to=datetime.date(2010, 1, 1))
    ward = Area(name="W", slug="w", kind=AreaKind.WARD, parent=old, valid_from=datetime.date(2015, 1, 1))
    with pytest.raises(ValidationError, match="ended before"):
        ward.full_clean()


def test_gss_codes_cannot_overlap_in_time():
    AreaFactory(gss_code="E07000012", valid_from=datetime.date(2000, 1, 1))
    clash = Area(
        name="Clash",
        slug="clash",
        kind=AreaKind.DISTRICT,
        gss_code="E07000012",
        valid_from=datetime.date(2005, 1, 1),
    )
    with pytest.raises(ValidationError, match="same dates"):
        clash.full_clean()


def test_validation_explains_a_pseudo_code():
    area = Area(name="Nowhere", slug="nowhere", kind=AreaKind.DISTRICT, gss_code="S99999999")
    with pytest.raises(ValidationError, match="not applicable"):
        area.full_clean()


def test_an_unknown_kind_is_a_validation_error_not_a_crash():
    area = Area(name="Odd", slug="odd", kind="galaxy")
    with pytest.raises(ValidationError) as caught:
        area.full_clean()
    assert "kind" in caught.value.message_dict
