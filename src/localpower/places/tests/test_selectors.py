import datetime

import pytest

from localpower.places import selectors
from localpower.places.models import AreaKind
from localpower.places.postcodes import InvalidPostcode
from localpower.places.tests.factories import (
    SMALL_BOROUGH_POSTCODES,
    AreaFactory,
    BoundarySetFactory,
    PostcodeFactory,
    make_small_borough,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def borough():
    return make_small_borough()


def test_postcode_gives_its_areas_and_their_ancestors_largest_first(borough):
    areas = selectors.areas_for_postcode("tb11aa")
    assert [a.slug for a in areas] == ["testborough", "north", "abbey", "abbeyfield"]


def test_postcode_outside_the_parish_stops_at_the_ward(borough):
    assert [a.slug for a in selectors.areas_for_postcode(SMALL_BOROUGH_POSTCODES["meadow"])] == [
        "testborough",
        "south",
        "meadow",
    ]


def test_unknown_well_formed_postcode_gives_no_areas(borough):
    assert selectors.areas_for_postcode("DB9 9ZZ") == []


def test_badly_formed_postcode_is_refused(borough):
    with pytest.raises(InvalidPostcode):
        selectors.areas_for_postcode("not a postcode")


def test_lookup_respects_the_dates_boundaries_applied(borough):
    old_set = BoundarySetFactory(name="2003 wards", valid_from=datetime.date(2003, 5, 1))
    old_ward = AreaFactory(
        name="Old Abbey",
        slug="old-abbey",
        kind=AreaKind.WARD,
        parent=borough["north"],
        boundary_set=old_set,
        valid_from=datetime.date(2003, 5, 1),
        valid_to=datetime.date(2019, 5, 1),
    )
    borough["abbey"].valid_from = datetime.date(2019, 5, 2)
    borough["abbey"].save()
    borough["abbeyfield"].valid_from = datetime.date(2019, 5, 2)
    borough["abbeyfield"].save()
    PostcodeFactory(postcode="TB1 1AA").areas.add(old_ward)

    in_2010 = selectors.areas_for_postcode("TB1 1AA", on=datetime.date(2010, 1, 1))
    today = selectors.areas_for_postcode("TB1 1AA")

    assert [a.slug for a in in_2010] == ["testborough", "north", "old-abbey"]
    assert [a.slug for a in today] == ["testborough", "north", "abbey", "abbeyfield"]


def test_ancestors_are_root_first(borough):
    assert selectors.ancestors(borough["abbeyfield"]) == [
        borough["district"],
        borough["north"],
        borough["abbey"],
    ]
    assert selectors.ancestors(borough["district"]) == []


def test_descendant_ids_include_the_area_itself_and_everything_below(borough):
    assert selectors.descendant_ids(borough["north"]) == {
        borough[k].pk for k in ("north", "abbey", "castle", "abbeyfield")
    }
    assert selectors.descendant_ids(borough["meadow"]) == {borough["meadow"].pk}


def test_area_tree_nests_current_areas(borough):
    AreaFactory(
        name="Gone ward",
        slug="gone",
        kind=AreaKind.WARD,
        parent=borough["south"],
        valid_to=datetime.date(2001, 1, 1),
    )
    roots = selectors.area_tree()
    assert [n.area.slug for n in roots] == ["testborough"]
    assert [n.area.slug for n in roots[0].children] == ["north", "south"]
    assert [n.area.slug for n in roots[0].children[1].children] == ["meadow", "riverside"]

    with_past = selectors.area_tree(include_past=True)
    assert [n.area.slug for n in with_past[0].children[1].children] == ["gone", "meadow", "riverside"]


def test_area_tree_filtered_by_kind_is_flat(borough):
    roots = selectors.area_tree(kind=AreaKind.WARD)
    assert [n.area.slug for n in roots] == ["abbey", "castle", "meadow", "riverside"]
    assert all(not n.children for n in roots)
