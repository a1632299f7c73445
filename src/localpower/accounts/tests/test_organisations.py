"""Organisations: public pages, created by staff, members managed by the organisation's administrators."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from localpower.accounts import services
from localpower.accounts.models import Organisation, OrganisationKind, RoleAssignment, RoleKind
from localpower.accounts.tests.factories import UserFactory
from localpower.core.models import AuditEntry


def test_list_and_detail_are_public_but_members_are_not(client, parish_clerk, parish_council):
    page = client.get(reverse("accounts:organisation-list")).content.decode()
    assert "Abbeyfield Parish Council" in page
    page = client.get(reverse("accounts:organisation-detail", args=[parish_council.slug])).content.decode()
    assert "Abbeyfield Parish Council" in page
    assert "Pat Clerk" not in page
    client.force_login(parish_clerk)
    page = client.get(reverse("accounts:organisation-detail", args=[parish_council.slug])).content.decode()
    assert "Pat Clerk" in page and "Manage members" in page


def test_an_officer_adds_an_organisation(client, officer, borough):
    client.force_login(officer)
    url = reverse("accounts:staff-organisation-create")
    response = client.post(
        url,
        {
            "name": "Friends of Castle Park",
            "kind": OrganisationKind.CHARITY,
            "area": borough["castle"].pk,
            "charity_number": " 1234567 ",
            "company_number": "1234567",
            "description": "We look after the park.",
            "website": "friends.example.org",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.slug == "friends-of-castle-park"
    assert (organisation.charity_number, organisation.company_number) == ("1234567", "01234567")
    assert organisation.website == "https://friends.example.org"
    assert AuditEntry.objects.filter(action="accounts.organisation_created", actor_id=officer.pk).exists()


def test_bad_register_numbers_get_clear_messages(client, officer, borough):
    client.force_login(officer)
    response = client.post(
        reverse("accounts:staff-organisation-create"),
        {
            "name": "Friends",
            "kind": OrganisationKind.CHARITY,
            "area": borough["castle"].pk,
            "charity_number": "12",
            "company_number": "ABC",
        },
    )
    page = response.content.decode()
    assert "Enter a charity number in the right format" in page
    assert "Enter a company number in the right format" in page
    assert not Organisation.objects.exists()


def test_an_officer_can_only_add_organisations_in_their_areas(client, officer, borough):
    client.force_login(officer)
    response = client.post(
        reverse("accounts:staff-organisation-create"),
        {"name": "Meadow Group", "kind": OrganisationKind.COMMUNITY_GROUP, "area": borough["meadow"].pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Organisation.objects.exists()


def test_a_resident_cannot_add_organisations(resident, borough):
    with pytest.raises(PermissionDenied):
        services.create_organisation(actor=resident, name="X", kind="other", area=borough["castle"])


def test_the_clerk_adds_promotes_and_removes_members(client, parish_clerk, parish_council, resident):
    client.force_login(parish_clerk)
    url = reverse("accounts:organisation-members", args=[parish_council.slug])
    assert client.get(url).status_code == 200

    response = client.post(url, {"email": "nobody@example.org", "role": "member"})
    assert "There is no account with this e-mail address" in response.content.decode()

    assert client.post(url, {"email": "RESIDENT@example.org", "role": "member"}).status_code == 302
    assert RoleAssignment.objects.get(user=resident).kind == RoleKind.ORGANISATION_MEMBER

    response = client.post(url, {"email": "resident@example.org", "role": "member"})
    assert "is already a member" in response.content.decode()

    assert client.post(url, {"email": "resident@example.org", "role": "admin"}).status_code == 302
    role = RoleAssignment.objects.get(user=resident)
    assert (role.kind, role.organisation) == (RoleKind.ADMINISTRATOR, parish_council)
    assert resident.has_perm("accounts.manage_organisation", parish_council)

    remove = reverse("accounts:organisation-member-remove", args=[parish_council.slug, role.pk])
    assert client.post(remove).status_code == 302
    assert not RoleAssignment.objects.filter(user=resident).exists()
    actions = list(AuditEntry.objects.filter(actor_id=parish_clerk.pk).values_list("action", flat=True))
    assert actions.count("accounts.role_granted") == 2 and actions.count("accounts.role_revoked") == 2


def test_ordinary_members_cannot_manage_members(client, organisation_member, parish_council):
    client.force_login(organisation_member)
    url = reverse("accounts:organisation-members", args=[parish_council.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"email": "outsider@example.org", "role": "admin"}).status_code == 403
    other = UserFactory()
    role = RoleAssignment.objects.create(
        user=other, kind=RoleKind.ORGANISATION_MEMBER, organisation=parish_council
    )
    remove = reverse("accounts:organisation-member-remove", args=[parish_council.slug, role.pk])
    assert client.post(remove).status_code == 403
    assert RoleAssignment.objects.filter(pk=role.pk).exists()
