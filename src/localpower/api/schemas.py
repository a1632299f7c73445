"""Shapes of the API's JSON answers (they appear in the OpenAPI description)."""

from __future__ import annotations

import datetime

from django.urls import NoReverseMatch, reverse
from ninja import Field, Schema

from localpower.places.models import AreaKind


class ErrorDetail(Schema):
    code: str = Field(description="Stable, for programs: not_found, validation_error, unauthorised, ...")
    message: str = Field(description="Plain English, for people; the wording may change.")
    details: list[dict] = Field(description="More about the problem; for validation errors, one per problem.")


class ErrorOut(Schema):
    error: ErrorDetail


def area_page_url(request, area) -> str | None:
    """The web page for an area, when the places app has one."""
    try:
        return request.build_absolute_uri(reverse("places:area", kwargs={"slug": area.slug}))
    except NoReverseMatch:
        return None


class AreaSummary(Schema):
    slug: str = Field(description="The area's identifier in web addresses.")
    name: str
    kind: AreaKind
    kind_label: str = Field(description="The kind in words, such as 'Ward'.")
    gss_code: str | None = Field(description="The ONS code, such as E05013806, when the area has one.")
    url: str = Field(description="This area in the API.")
    web_url: str | None = Field(description="This area's page on the website.")

    @staticmethod
    def build(request, area) -> dict:
        return {
            "slug": area.slug,
            "name": area.name,
            "kind": area.kind,
            "kind_label": str(AreaKind(area.kind).label),
            "gss_code": area.gss_code or None,
            "url": request.build_absolute_uri(reverse("api:area", kwargs={"slug": area.slug})),
            "web_url": area_page_url(request, area),
        }


class AreaOut(AreaSummary):
    parent: AreaSummary | None = Field(description="The area this one is directly part of.")
    valid_from: datetime.date
    valid_to: datetime.date | None = Field(description="The last day the area existed; null while it exists.")
    description: str

    @staticmethod
    def build(request, area) -> dict:
        return {
            **AreaSummary.build(request, area),
            "parent": AreaSummary.build(request, area.parent) if area.parent_id else None,
            "valid_from": area.valid_from,
            "valid_to": area.valid_to,
            "description": area.description,
        }


class AreaDetail(AreaOut):
    ancestors: list[AreaSummary] = Field(description="Every area this one is part of, largest first.")
    children: list[AreaSummary] = Field(description="The areas directly inside this one on the chosen date.")


class AreaPage(Schema):
    count: int = Field(description="How many areas match, on all pages.")
    page: int
    page_size: int
    pages: int = Field(description="How many pages there are (at least 1).")
    next: str | None = Field(description="The address of the next page; null on the last page.")
    previous: str | None = Field(description="The address of the previous page; null on the first page.")
    items: list[AreaOut]


class PostcodeOut(Schema):
    postcode: str = Field(description="The postcode written the standard way, such as 'SW1A 1AA'.")
    introduced: datetime.date | None
    terminated: datetime.date | None = Field(description="When the postcode stopped being used, if it has.")
    latitude: float | None
    longitude: float | None
    on: datetime.date = Field(description="The date the areas are valid on.")
    areas: list[AreaSummary] = Field(description="Every area the postcode is in, largest first.")


class RoleOut(Schema):
    kind: str = Field(
        description="resident, organisation_member, officer, councillor, moderator or administrator."
    )
    kind_label: str
    area: AreaSummary | None = Field(description="The area the role covers (and every area inside it).")
    organisation: str | None = Field(description="The organisation the role is in, by name.")


class MeOut(Schema):
    email: str
    display_name: str
    email_verified: bool
    home_postcode: str | None = Field(description="The home postcode you gave, if any.")
    postcode_verified: bool
    home_areas: list[AreaSummary] = Field(description="The areas of your verified home postcode.")
    roles: list[RoleOut] = Field(description="Your roles, each over one area or one organisation.")
