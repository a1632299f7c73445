"""The fictional Demo Borough: its areas, boundary sets and about 200 postcodes. Safe to run again.

Made-up codes, so nothing can be mistaken for (or clash with) real places:

* GSS codes start with "X", a letter the ONS does not use, followed by the two digits the ONS uses for that
  kind of area and six more: X07000001 is the borough (07 = non-metropolitan district), X05...... wards,
  X04...... parishes. Area committees have no ONS code, so none here either.
* Postcodes use the "DB" postcode area, which does not exist in the UK: DB1 to DB8. DB9 is left empty so that
  DB9 9ZZ is always a well-formed postcode we do not know.

The ward boundaries have history: in 2023 the old "Riverside and Meadow" ward (2003 to 2023) was split into
Riverside and Meadow. Its postcodes stay linked to the old ward, so a lookup on a date before May 2023 finds it.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from localpower.core import audit
from localpower.places.models import Area, AreaKind, BoundarySet, Postcode

BOROUGH_CODE = "X07000001"
WARDS_2003_FROM = datetime.date(2003, 5, 1)
WARDS_2023_FROM = datetime.date(2023, 5, 4)

COMMITTEES = {
    "north": "North Area Committee",
    "central": "Central Area Committee",
    "south": "South Area Committee",
}
# key: (name, committee, postcode district, sectors, new in 2023)
WARDS = {
    "abbey": ("Abbey", "north", "DB1", (1, 2), False),
    "castle": ("Castle", "north", "DB1", (3, 4), False),
    "northgate": ("Northgate", "north", "DB2", (1, 2), False),
    "hillside": ("Hillside", "north", "DB2", (3, 4), False),
    "market": ("Market", "central", "DB3", (1, 2), False),
    "station": ("Station", "central", "DB3", (3, 4), False),
    "priory": ("Priory", "central", "DB4", (1, 2), False),
    "canal": ("Canal", "central", "DB4", (3, 4), False),
    "riverside": ("Riverside", "south", "DB5", (1, 2), True),
    "meadow": ("Meadow", "south", "DB6", (1, 2), True),
    "southfields": ("Southfields", "south", "DB7", (1, 2), False),
    "oakwood": ("Oakwood", "south", "DB8", (1, 2), False),
}
# key: (name, ward). Each parish covers the ward's second postcode sector.
PARISHES = {
    "abbeyfield": ("Abbeyfield Parish", "abbey"),
    "castleton": ("Castleton Parish", "castle"),
    "hill-green": ("Hill Green Parish", "hillside"),
    "northwood": ("Northwood Parish", "northgate"),
    "priorsford": ("Priorsford Town", "priory"),
    "canalside": ("Canalside Parish", "canal"),
    "southfields": ("Southfields Village", "southfields"),
    "oakley": ("Oakley Parish", "oakwood"),
}
PAST_WARD = ("riverside-and-meadow", "Riverside and Meadow")
UNITS = ["AA", "AB", "AD", "AE", "AF", "AG", "AH", "AJ", "AL"]
TERMINATED_POSTCODE = "DB5 9ZZ"
# The area committees were set up by the council's constitution after the 2019 elections.
COMMITTEES_FROM = datetime.date(2019, 5, 23)


def _area(key: str, **fields) -> tuple[Area, bool]:
    """Create the area with slug ``key`` or bring it back to the demo values."""
    area = Area.objects.filter(slug=key).first()
    created = area is None
    if created:
        area = Area(slug=key)
    changed = created
    for name, value in fields.items():
        if getattr(area, name) != value:
            setattr(area, name, value)
            changed = True
    if changed:
        area.full_clean()
        area.save()
    return area, created


@transaction.atomic
def build_demo_places() -> dict:
    """Create (or bring up to date) Demo Borough Council's areas and postcodes.

    Returns a dict with these keys (the values are ``Area`` objects):

    * ``"borough"``: Demo Borough Council (district);
    * ``"committees"``: dict ``north``, ``central``, ``south``;
    * ``"wards"``: dict of the 12 current wards, keyed as in ``WARDS`` (``abbey``, ``castle``, ... ``oakwood``);
    * ``"parishes"``: dict of the 8 parishes, keyed as in ``PARISHES`` (``abbeyfield``, ... ``oakley``);
    * ``"past_wards"``: dict ``riverside-and-meadow`` (the ward split in 2023);
    * ``"boundary_sets"``: dict ``2003`` and ``2023`` of ``BoundarySet``.

    Postcode DB1 2AA is in Abbey ward and Abbeyfield Parish; DB5 1AA in Riverside ward.
    """
    created_count = 0
    sets = {
        "2003": BoundarySet.objects.get_or_create(
            name="Demo Borough wards 2003",
            defaults={"valid_from": WARDS_2003_FROM, "source": "Demo data"},
        )[0],
        "2023": BoundarySet.objects.get_or_create(
            name="Demo Borough southern wards 2023",
            defaults={"valid_from": WARDS_2023_FROM, "source": "Demo data"},
        )[0],
    }
    borough, created = _area(
        "demo-borough",
        name="Demo Borough Council",
        kind=AreaKind.DISTRICT,
        gss_code=BOROUGH_CODE,
        parent=None,
        description="A fictional council used to show and test Local Power.",
    )
    created_count += created
    committees = {}
    for key, name in COMMITTEES.items():
        committees[key], created = _area(
            f"{key}-area-committee",
            name=name,
            kind=AreaKind.AREA_COMMITTEE,
            parent=borough,
            valid_from=COMMITTEES_FROM,
            description="Councillors for its wards meet here to decide devolved budgets and local matters.",
        )
        created_count += created
    wards = {}
    for number, (key, (name, committee, _district, _sectors, new)) in enumerate(WARDS.items(), start=1):
        wards[key], created = _area(
            f"{key}-ward",
            name=name,
            kind=AreaKind.WARD,
            parent=committees[committee],
            gss_code=f"X05{number:06d}",
            boundary_set=sets["2023" if new else "2003"],
            valid_from=WARDS_2023_FROM if new else WARDS_2003_FROM,
        )
        created_count += created
    past_key, past_name = PAST_WARD
    past_ward, created = _area(
        past_key,
        name=past_name,
        kind=AreaKind.WARD,
        parent=committees["south"],
        gss_code="X05000099",
        boundary_set=sets["2003"],
        valid_from=WARDS_2003_FROM,
        valid_to=WARDS_2023_FROM - datetime.timedelta(days=1),
    )
    created_count += created
    parishes = {}
    for number, (key, (name, ward)) in enumerate(PARISHES.items(), start=1):
        parishes[key], created = _area(
            f"{key}-parish", name=name, kind=AreaKind.PARISH, parent=wards[ward], gss_code=f"X04{number:06d}"
        )
        created_count += created

    created_count += _build_postcodes(wards, parishes, past_ward)
    if created_count:
        audit.record(
            action="places.demo_built",
            target=borough,
            summary=f"Created {created_count} demo areas and postcodes",
            changes={"created": created_count},
        )
    return {
        "borough": borough,
        "committees": committees,
        "wards": wards,
        "parishes": parishes,
        "past_wards": {past_key: past_ward},
        "boundary_sets": sets,
    }


def demo_postcode_links(wards: dict, parishes: dict, past_ward: Area) -> dict[str, list[Area]]:
    """Each demo postcode and the areas it is linked to directly."""
    parish_of_ward = {ward: parishes[key] for key, (_name, ward) in PARISHES.items()}
    links: dict[str, list[Area]] = {}
    for key, (_name, _committee, district, sectors, new) in WARDS.items():
        for index, sector in enumerate(sectors):
            for unit in UNITS[: 9 - index]:
                areas = [wards[key]]
                if index == 1 and key in parish_of_ward:
                    areas.append(parish_of_ward[key])
                if new:
                    areas.append(past_ward)
                links[f"{district} {sector}{unit}"] = areas
    links[TERMINATED_POSTCODE] = [past_ward]
    return links


def _build_postcodes(wards: dict, parishes: dict, past_ward: Area) -> int:
    links = demo_postcode_links(wards, parishes, past_ward)
    existing = set(Postcode.objects.filter(postcode__in=links).values_list("postcode", flat=True))
    new = [
        Postcode(
            postcode=code,
            introduced=datetime.date(1990, 1, 1),
            terminated=datetime.date(2015, 6, 1) if code == TERMINATED_POSTCODE else None,
        )
        for code in links
        if code not in existing
    ]
    Postcode.objects.bulk_create(new)
    by_code = dict(Postcode.objects.filter(postcode__in=links).values_list("postcode", "pk"))
    through = Postcode.areas.through
    have = set(through.objects.filter(postcode_id__in=by_code.values()).values_list("postcode_id", "area_id"))
    wanted = [
        through(postcode_id=by_code[code], area_id=area.pk)
        for code, areas in links.items()
        for area in areas
        if (by_code[code], area.pk) not in have
    ]
    through.objects.bulk_create(wanted)
    return len(new)
