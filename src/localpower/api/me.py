"""The person calling the API."""

from __future__ import annotations

from ninja import Router

from localpower.api.auth import signed_in
from localpower.api.schemas import AreaSummary, ErrorOut, MeOut

router = Router(tags=["You"])


@router.get(
    "/me",
    response={200: MeOut, 401: ErrorOut},
    auth=signed_in,
    url_name="me",
    operation_id="getMe",
    summary="Who you are",
)
def me(request):
    """The account the token (or browser session) belongs to, and the areas of its verified home postcode."""
    from localpower.accounts.selectors import roles_of

    user = request.auth
    roles = [
        {
            "kind": role.kind,
            "kind_label": str(role.get_kind_display()),
            "area": AreaSummary.build(request, role.area) if role.area_id else None,
            "organisation": role.organisation.name if role.organisation_id else None,
        }
        for role in roles_of(user)
    ]
    return {
        "email": user.email,
        "display_name": user.display_name,
        "email_verified": user.email_verified_at is not None,
        "home_postcode": user.home_postcode or None,
        "postcode_verified": user.postcode_verified_at is not None,
        "home_areas": [AreaSummary.build(request, area) for area in user.home_areas()],
        "roles": roles,
    }
