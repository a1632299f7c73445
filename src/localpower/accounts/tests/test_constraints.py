"""Integrity rules the database itself enforces, whatever code writes the rows."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from localpower.accounts.models import ApiToken, Organisation, RoleAssignment, RoleKind, User
from localpower.accounts.tests.factories import OrganisationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_email_is_unique_whatever_the_letter_case():
    UserFactory(email="Alex@Example.org")
    # Bypass the manager's lower-casing: the database must still refuse.
    _refused(lambda: User.objects.bulk_create([User(email="ALEX@example.ORG", password="x")]))


def test_manager_stores_email_in_lower_case_and_signs_in_whatever_the_case():
    user = User.objects.create_user(" Sam@Example.ORG ", "a long password here")
    assert user.email == "sam@example.org"
    assert User.objects.get_by_natural_key("SAM@example.org") == user


def test_a_verified_postcode_must_name_the_record_checked():
    user = UserFactory(home_postcode="TB1 1AA")
    user.postcode_verified_at = timezone.now()
    _refused(lambda: user.save())


def test_role_needs_exactly_one_scope(borough):
    user = UserFactory()
    organisation = OrganisationFactory(area=borough["district"])
    _refused(lambda: RoleAssignment.objects.create(user=user, kind=RoleKind.OFFICER))
    _refused(
        lambda: RoleAssignment.objects.create(
            user=user, kind=RoleKind.ADMINISTRATOR, area=borough["district"], organisation=organisation
        )
    )


def test_role_kind_must_suit_its_scope(borough):
    user = UserFactory()
    organisation = OrganisationFactory(area=borough["district"])
    _refused(
        lambda: RoleAssignment.objects.create(user=user, kind=RoleKind.OFFICER, organisation=organisation)
    )
    _refused(
        lambda: RoleAssignment.objects.create(
            user=user, kind=RoleKind.ORGANISATION_MEMBER, area=borough["abbey"]
        )
    )
    _refused(lambda: RoleAssignment.objects.create(user=user, kind="emperor", area=borough["abbey"]))


def test_role_is_unique_per_person_kind_and_scope(borough):
    role = RoleFactory(kind=RoleKind.OFFICER, area=borough["north"])
    _refused(
        lambda: RoleAssignment.objects.create(user=role.user, kind=RoleKind.OFFICER, area=borough["north"])
    )
    # The same kind elsewhere, or another kind in the same area, is fine.
    RoleAssignment.objects.create(user=role.user, kind=RoleKind.OFFICER, area=borough["south"])
    RoleAssignment.objects.create(user=role.user, kind=RoleKind.MODERATOR, area=borough["north"])
    organisation = OrganisationFactory(area=borough["district"])
    RoleAssignment.objects.create(
        user=role.user, kind=RoleKind.ORGANISATION_MEMBER, organisation=organisation
    )
    _refused(
        lambda: RoleAssignment.objects.create(
            user=role.user, kind=RoleKind.ORGANISATION_MEMBER, organisation=organisation
        )
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("charity_number", "12345"),
        ("charity_number", "ABC1234"),
        ("company_number", "1234567"),
        ("company_number", "sc123456"),
        ("company_number", "SC12345X"),
    ],
)
def test_organisation_register_numbers_are_checked_by_the_database(borough, field, value):
    _refused(
        lambda: Organisation.objects.create(
            name="Friends of the Park",
            slug="friends",
            kind="charity",
            area=borough["district"],
            **{field: value},
        )
    )


def test_organisation_register_numbers_are_unique_when_given(borough):
    OrganisationFactory(area=borough["district"], charity_number="1234567", company_number="")
    OrganisationFactory(area=borough["district"], charity_number="", company_number="")  # blanks never clash
    _refused(lambda: OrganisationFactory(area=borough["district"], charity_number="1234567"))


def test_api_token_keeps_only_a_sha256_hash():
    user = UserFactory()
    _refused(
        lambda: ApiToken.objects.create(user=user, name="Laptop", prefix="abc", token_hash="secret-in-clear")
    )
