import pytest
from django.test import Client
from django.urls import reverse

from localpower.accounts import roles
from localpower.accounts.demo import DEMO_PASSWORD, build_demo_people
from localpower.accounts.models import Organisation, RoleAssignment, RoleKind, User

pytestmark = pytest.mark.django_db


def test_demo_people_are_complete_idempotent_and_can_sign_in():
    from localpower.places.demo import build_demo_places

    areas = build_demo_places()
    people = build_demo_people(areas)
    counts = (User.objects.count(), RoleAssignment.objects.count(), Organisation.objects.count())
    assert build_demo_people(build_demo_places()) == people
    assert (User.objects.count(), RoleAssignment.objects.count(), Organisation.objects.count()) == counts

    descriptions = " ".join(description for description, _email, _password in people)
    for word in ("Administrator", "Council officer", "Councillor", "Parish clerk", "Moderator", "Resident"):
        assert word in descriptions
    assert {password for _d, _e, password in people} == {DEMO_PASSWORD}

    by_email = {email: User.objects.get(email=email) for _d, email, _p in people}
    admin = by_email["admin@demo.example.org"]
    assert admin.has_perm("core.view_auditentry")
    clerk = by_email["clerk@demo.example.org"]
    assert clerk.has_perm(
        "accounts.manage_organisation", Organisation.objects.get(slug="abbeyfield-parish-council")
    )
    verified_wards = {
        tuple(a.name for a in user.home_areas() if a.kind == "ward")
        for user in by_email.values()
        if user.email.startswith("resident.")
    }
    assert len(verified_wards) == 3  # residents in three different wards
    assert roles.has_role(
        by_email["resident.castle@demo.example.org"], RoleKind.RESIDENT, areas["wards"]["castle"]
    )
    newcomer = by_email["newcomer@demo.example.org"]
    assert newcomer.home_postcode and not newcomer.postcode_verified

    client = Client()
    response = client.post(
        reverse("accounts:sign-in"), {"email": "officer@demo.example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    page = client.get(reverse("accounts:staff-postcodes")).content.decode()
    assert "newcomer@demo.example.org" in page
