"""Test data for places, also used by other apps' tests (see FOUNDATION.md)."""

from __future__ import annotations

import datetime

import factory

from localpower.places.models import Area, AreaKind, BoundarySet, Postcode

# Postcodes created by make_small_borough(), by where they are. The "TB" postcode area does not exist.
SMALL_BOROUGH_POSTCODES = {
    "abbeyfield": "TB1 1AA",  # Abbeyfield parish, in Abbey ward (North committee)
    "abbey": "TB1 1AB",  # Abbey ward, outside the parish
    "castle": "TB2 1AA",  # Castle ward (North committee)
    "riverside": "TB3 1AA",  # Riverside ward (South committee)
    "meadow": "TB4 1AA",  # Meadow ward (South committee)
}


class BoundarySetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoundarySet
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Boundary set {n}")
    valid_from = datetime.date(2020, 5, 7)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    kind = AreaKind.DISTRICT
    valid_from = datetime.date(2000, 1, 1)


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode
        django_get_or_create = ("postcode",)
        skip_postgeneration_save = True

    postcode = factory.Sequence(lambda n: f"TB{n % 9 + 1} {n % 10}{'ABCDEFGHJLNPQRSTUWXYZ'[n // 10 % 21]}Z")
    introduced = datetime.date(1980, 1, 1)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.add(*extracted)


def make_small_borough() -> dict[str, Area]:
    """A small council: Testborough district -> North and South committees -> 4 wards -> Abbeyfield parish.

    Returns a dict with keys ``district``, ``north``, ``south`` (area committees), ``abbey``, ``castle``
    (wards in North), ``riverside``, ``meadow`` (wards in South) and ``abbeyfield`` (a parish in Abbey ward).
    Each ward has a postcode and so has the parish: see ``SMALL_BOROUGH_POSTCODES``.
    """
    district = AreaFactory(name="Testborough District Council", slug="testborough", gss_code="X90000001")
    north = AreaFactory(
        name="North Area Committee", slug="north", kind=AreaKind.AREA_COMMITTEE, parent=district
    )
    south = AreaFactory(
        name="South Area Committee", slug="south", kind=AreaKind.AREA_COMMITTEE, parent=district
    )
    abbey = AreaFactory(name="Abbey", slug="abbey", kind=AreaKind.WARD, parent=north, gss_code="X90000011")
    castle = AreaFactory(name="Castle", slug="castle", kind=AreaKind.WARD, parent=north, gss_code="X90000012")
    riverside = AreaFactory(
        name="Riverside", slug="riverside", kind=AreaKind.WARD, parent=south, gss_code="X90000013"
    )
    meadow = AreaFactory(name="Meadow", slug="meadow", kind=AreaKind.WARD, parent=south, gss_code="X90000014")
    abbeyfield = AreaFactory(
        name="Abbeyfield Parish Council",
        slug="abbeyfield",
        kind=AreaKind.PARISH,
        parent=abbey,
        gss_code="X90000021",
    )
    areas = {
        "district": district,
        "north": north,
        "south": south,
        "abbey": abbey,
        "castle": castle,
        "riverside": riverside,
        "meadow": meadow,
        "abbeyfield": abbeyfield,
    }
    PostcodeFactory(postcode=SMALL_BOROUGH_POSTCODES["abbeyfield"], areas=[abbey, abbeyfield])
    for key in ("abbey", "castle", "riverside", "meadow"):
        PostcodeFactory(postcode=SMALL_BOROUGH_POSTCODES[key], areas=[areas[key]])
    return areas
