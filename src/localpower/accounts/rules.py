"""Every permission about people, roles and organisations, in one place (django-rules).

Check them with ``user.has_perm("accounts.verify_postcode", area)``, ``{% if perms.accounts.view_staff_pages %}``
or ``rules.test_rule``. Area-based predicates take the area as the object; with no object they ask whether the
person holds the role anywhere. Active superusers pass every check through Django's own ``has_perm``.
"""

from __future__ import annotations

import rules

from localpower.accounts import roles
from localpower.accounts.models import Organisation, RoleKind


def _area_role(kinds, name: str):
    @rules.predicate(name=name)
    def predicate(user, area=None) -> bool:
        return roles.has_any_role(user, kinds, area)

    return predicate


is_resident_of = _area_role([RoleKind.RESIDENT], "is_resident_of")
is_officer_for = _area_role([RoleKind.OFFICER], "is_officer_for")
is_councillor_for = _area_role([RoleKind.COUNCILLOR], "is_councillor_for")
is_moderator_for = _area_role([RoleKind.MODERATOR], "is_moderator_for")
is_administrator_for = _area_role([RoleKind.ADMINISTRATOR], "is_administrator_for")


@rules.predicate
def is_administrator(user) -> bool:
    """Administrator over some area (administrators of an organisation do not count)."""
    return roles.has_role(user, RoleKind.ADMINISTRATOR)


@rules.predicate
def is_staff_member(user) -> bool:
    """Officer, councillor, moderator or administrator over some area."""
    return roles.has_staff_role(user)


@rules.predicate
def is_email_verified(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.email_verified_at)


@rules.predicate
def is_postcode_verified(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.postcode_verified)


is_superuser = rules.is_superuser

COUNCIL_STAFF = (RoleKind.OFFICER, RoleKind.ADMINISTRATOR)


@rules.predicate
def is_council_staff_for_area(user, area) -> bool:
    """Officer or administrator for ``area`` (or an area it is part of); the apps' "staff for the area"."""
    return area is not None and roles.has_any_role(user, COUNCIL_STAFF, area)


@rules.predicate
def is_council_staff_anywhere(user) -> bool:
    """Officer or administrator for some area: may open an app's staff pages."""
    return roles.has_any_role(user, COUNCIL_STAFF)


can_manage_roles = is_superuser | is_administrator_for
can_verify_postcode = is_superuser | is_officer_for | is_administrator_for


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    if not isinstance(organisation, Organisation):
        return False
    return roles.has_role(user, RoleKind.ADMINISTRATOR, organisation=organisation)


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    if not isinstance(organisation, Organisation):
        return False
    return roles.has_any_role(
        user, [RoleKind.ORGANISATION_MEMBER, RoleKind.ADMINISTRATOR], organisation=organisation
    )


@rules.predicate
def is_council_staff_for_organisation(user, organisation) -> bool:
    """Officer or administrator over the organisation's area."""
    if not isinstance(organisation, Organisation):
        return False
    return roles.has_any_role(user, [RoleKind.OFFICER, RoleKind.ADMINISTRATOR], organisation.area)


can_manage_organisation = is_superuser | is_organisation_admin | is_council_staff_for_organisation

rules.add_perm("accounts.view_staff_pages", is_superuser | is_staff_member)
rules.add_perm("accounts.take_part", is_email_verified)
rules.add_perm("accounts.manage_roles", can_manage_roles)
rules.add_perm("accounts.view_people", is_superuser | is_administrator)
rules.add_perm("accounts.verify_postcode", can_verify_postcode)
rules.add_perm("accounts.add_organisation", is_superuser | is_officer_for | is_administrator_for)
rules.add_perm("accounts.manage_organisation", can_manage_organisation)
rules.add_perm("accounts.view_organisation_members", can_manage_organisation | is_organisation_member)
