"""Postcode look-up: which areas a postcode is in."""

from __future__ import annotations

import datetime

from ninja import Query, Router

from localpower.api.areas import OnDate
from localpower.api.errors import ApiError
from localpower.api.schemas import AreaSummary, ErrorOut, PostcodeOut

router = Router(tags=["Postcodes"])

# Longer than any postcode even with generous spacing; longer text is refused before any parsing.
MAX_POSTCODE_TEXT = 20


@router.get(
    "/postcodes/{postcode}",
    response={200: PostcodeOut, 404: ErrorOut, 422: ErrorOut},
    url_name="postcode",
    operation_id="getPostcode",
    summary="The areas a postcode is in",
)
def get_postcode(request, postcode: str, date: Query[OnDate]):
    """Look up a postcode written any usual way (`sw1a1aa`, `SW1A 1AA`). Areas are listed largest first."""
    from localpower.places.models import Postcode
    from localpower.places.postcodes import InvalidPostcode, normalise_postcode
    from localpower.places.selectors import areas_for_postcode

    detail = [{"location": "path", "field": "postcode", "message": "too long", "type": "string_too_long"}]
    if len(postcode) > MAX_POSTCODE_TEXT:
        raise ApiError(422, "Enter a real postcode, like DB1 2AA: that text is too long.", details=detail)
    try:
        code = normalise_postcode(postcode)
    except InvalidPostcode as error:
        raise ApiError(
            422, str(error), details=[{**detail[0], "message": str(error), "type": "postcode_format"}]
        ) from None
    found = Postcode.objects.filter(postcode=code).first()
    if found is None:
        raise ApiError(404, f"We do not know the postcode {code}. It may be outside this council's area.")
    day = date.on or datetime.date.today()
    return {
        "postcode": found.postcode,
        "introduced": found.introduced,
        "terminated": found.terminated,
        "latitude": float(found.latitude) if found.latitude is not None else None,
        "longitude": float(found.longitude) if found.longitude is not None else None,
        "on": day,
        "areas": [AreaSummary.build(request, area) for area in areas_for_postcode(code, on=day)],
    }
