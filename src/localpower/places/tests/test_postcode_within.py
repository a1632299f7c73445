import datetime

import pytest

from localpower.places.demo import build_demo_places
from localpower.places.models import Area, Postcode
from localpower.places.selectors import areas_for_postcode, postcode_within


@pytest.mark.django_db
def test_postcode_within_agrees_with_the_full_lookup_for_every_demo_postcode_and_area():
    build_demo_places()
    areas = list(Area.objects.all())
    postcodes = list(Postcode.objects.values_list("postcode", flat=True))
    for day in (datetime.date.today(), datetime.date(2010, 6, 1)):
        for postcode in postcodes[::7]:
            expected = {area.pk for area in areas_for_postcode(postcode, on=day)}
            for area in areas:
                assert postcode_within(postcode, area, on=day) == (area.pk in expected), (postcode, area, day)


@pytest.mark.django_db
def test_postcode_within_is_false_for_bad_or_unknown_postcodes(borough):
    assert postcode_within("not a postcode", borough["district"]) is False
    assert postcode_within("ZZ9 9ZZ", borough["district"]) is False


@pytest.mark.django_db
def test_postcode_within_takes_one_query(borough, django_assert_num_queries):
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    with django_assert_num_queries(1):
        assert postcode_within(SMALL_BOROUGH_POSTCODES["castle"], borough["north"]) is True
