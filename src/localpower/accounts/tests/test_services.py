"""Services check permissions themselves and write the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from localpower.accounts import roles, services
from localpower.accounts.models import PostcodeCheck, RoleKind, User
from localpower.accounts.tests.factories import UserFactory
from localpower.core.models import AuditEntry


def test_sign_up_validates_and_records(db, mailoutbox):
    user = services.sign_up(email="A@Example.org", display_name=" Ann ", password="a long password indeed")
    assert (user.email, user.display_name) == ("a@example.org", "Ann")
    assert AuditEntry.objects.get(action="accounts.signed_up").actor_id == user.pk
    assert len(mailoutbox) == 1
    with pytest.raises(ValidationError, match="already exists"):
        services.sign_up(email="a@EXAMPLE.org", display_name="Ann", password="a long password indeed")
    assert User.objects.count() == 1


def test_grant_role_refuses_people_without_the_right(officer, resident, borough):
    with pytest.raises(PermissionDenied):
        services.grant_role(actor=officer, user=resident, kind=RoleKind.OFFICER, area=borough["castle"])
    assert not resident.roles.exists()


def test_grant_role_refuses_a_role_that_does_not_suit_the_scope(
    administrator, resident, borough, parish_council
):
    with pytest.raises(ValidationError):
        services.grant_role(
            actor=administrator, user=resident, kind=RoleKind.ORGANISATION_MEMBER, area=borough["castle"]
        )
    with pytest.raises(ValidationError):
        services.grant_role(
            actor=administrator, user=resident, kind=RoleKind.OFFICER, organisation=parish_council
        )


def test_granting_a_role_takes_effect_at_once(administrator, resident, borough):
    assert not roles.has_role(resident, RoleKind.MODERATOR, borough["castle"])
    services.grant_role(actor=administrator, user=resident, kind=RoleKind.MODERATOR, area=borough["north"])
    assert roles.has_role(resident, RoleKind.MODERATOR, borough["castle"])


def test_verify_postcode_needs_a_postcode_and_a_known_check(officer, borough):
    person = UserFactory()
    with pytest.raises(ValidationError, match="has not given a home postcode"):
        services.verify_home_postcode(actor=officer, user=person, check=PostcodeCheck.COUNCIL_TAX)
    person = UserFactory(home_postcode="TB2 1AA")
    with pytest.raises(ValidationError, match="Choose the record"):
        services.verify_home_postcode(actor=officer, user=person, check="a feeling")


def test_parish_clerk_can_verify_in_the_parish_only(parish_clerk, borough):
    in_parish = UserFactory(home_postcode="TB1 1AA")
    in_ward = UserFactory(home_postcode="TB1 1AB")
    services.verify_home_postcode(actor=parish_clerk, user=in_parish, check=PostcodeCheck.ELECTORAL_REGISTER)
    with pytest.raises(PermissionDenied):
        services.verify_home_postcode(
            actor=parish_clerk, user=in_ward, check=PostcodeCheck.ELECTORAL_REGISTER
        )


def test_verifying_twice_is_refused(officer, resident):
    with pytest.raises(ValidationError, match="already verified"):
        services.verify_home_postcode(actor=officer, user=resident, check=PostcodeCheck.COUNCIL_TAX)


def test_no_one_verifies_their_own_postcode(officer):
    officer.home_postcode = "TB2 1AA"
    officer.save()
    from localpower.accounts import selectors

    assert officer not in selectors.pending_postcodes(officer)
    with pytest.raises(ValidationError, match="cannot verify your own postcode"):
        services.verify_home_postcode(actor=officer, user=officer, check=PostcodeCheck.COUNCIL_TAX)


def test_administrators_cannot_give_themselves_roles(administrator, borough):
    with pytest.raises(ValidationError, match="cannot give yourself a role"):
        services.grant_role(
            actor=administrator, user=administrator, kind=RoleKind.OFFICER, area=borough["castle"]
        )
