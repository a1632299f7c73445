"""Test data for accounts, also used by other apps' tests (see FOUNDATION.md)."""

from __future__ import annotations

import factory
from django.utils import timezone

from localpower.accounts.models import (
    Organisation,
    OrganisationKind,
    PostcodeCheck,
    RoleAssignment,
    RoleKind,
    User,
)

# The password of every user made by UserFactory and of the persona fixtures.
PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(PASSWORD)

    home_postcode = factory.LazyAttribute(lambda o: o.verified_postcode or "")
    postcode_verified_at = factory.LazyAttribute(lambda o: timezone.now() if o.verified_postcode else None)
    postcode_check = factory.LazyAttribute(
        lambda o: PostcodeCheck.ELECTORAL_REGISTER if o.verified_postcode else ""
    )

    class Params:
        # UserFactory(unverified=True): signed up but has not followed the e-mail link yet.
        unverified = factory.Trait(email_verified_at=None)
        # UserFactory(verified_postcode="TB1 1AA"): a resident whose home postcode staff have verified.
        verified_postcode = None


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community group {n}")
    slug = factory.Sequence(lambda n: f"community-group-{n}")
    kind = OrganisationKind.COMMUNITY_GROUP
    area = factory.SubFactory("localpower.places.tests.factories.AreaFactory")


class RoleFactory(factory.django.DjangoModelFactory):
    """A role over an area by default; pass ``organisation=...`` (and ``area=None``) for an organisation role."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    kind = RoleKind.OFFICER
    area = factory.SubFactory("localpower.places.tests.factories.AreaFactory")
    organisation = None
