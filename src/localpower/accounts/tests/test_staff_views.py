"""Staff pages: refused to residents, shown to people with a role, and what each page does."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from localpower.accounts.models import PostcodeCheck, RoleAssignment, RoleKind
from localpower.accounts.tests.factories import UserFactory
from localpower.core import audit
from localpower.core.models import AuditEntry

STAFF_URLS = [
    ("accounts:staff-home", []),
    ("accounts:staff-people", []),
    ("accounts:staff-postcodes", []),
    ("accounts:staff-organisations", []),
    ("accounts:staff-organisation-create", []),
    ("accounts:staff-audit", []),
]


@pytest.mark.parametrize(("name", "args"), STAFF_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in") + "?next=")


@pytest.mark.parametrize(("name", "args"), STAFF_URLS)
def test_residents_are_refused(client, resident, name, args):
    client.force_login(resident)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()


def test_staff_home_shows_what_an_officer_can_manage(client, officer):
    client.force_login(officer)
    response = client.get(reverse("accounts:staff-home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Council officer for North Area Committee" in page
    assert "Verify home postcodes" in page
    assert reverse("accounts:staff-audit") not in page  # officers do not read the audit log
    assert client.get(reverse("accounts:staff-audit")).status_code == 403
    assert client.get(reverse("accounts:staff-people")).status_code == 403


def test_staff_link_appears_in_the_navigation_only_for_staff(client, officer, resident):
    client.force_login(resident)
    assert 'href="/staff/"' not in client.get(reverse("core:home")).content.decode()
    client.force_login(officer)
    assert 'href="/staff/"' in client.get(reverse("core:home")).content.decode()


def test_an_administrator_finds_a_person_and_grants_then_revokes_a_role(
    client, administrator, resident, borough
):
    client.force_login(administrator)
    page = client.get(reverse("accounts:staff-people"), {"q": "ROSA"}).content.decode()
    assert "resident@example.org" in page

    url = reverse("accounts:staff-person", args=[resident.pk])
    response = client.post(url, {"kind": RoleKind.MODERATOR, "area": borough["castle"].pk})
    assert response.status_code == 302
    role = RoleAssignment.objects.get(user=resident)
    assert (role.kind, role.area, role.granted_by) == (RoleKind.MODERATOR, borough["castle"], administrator)
    assert AuditEntry.objects.filter(action="accounts.role_granted", actor_id=administrator.pk).exists()

    # Granting the same role twice gives a message, not an error page.
    response = client.post(url, {"kind": RoleKind.MODERATOR, "area": borough["castle"].pk})
    assert "This person already has this role in this area" in response.content.decode()

    response = client.post(reverse("accounts:staff-role-revoke", args=[resident.pk, role.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=resident).exists()
    assert AuditEntry.objects.filter(action="accounts.role_revoked").exists()


def test_roles_can_only_be_granted_in_areas_you_administer(client, borough, resident):
    north_admin = UserFactory()
    RoleAssignment.objects.create(user=north_admin, kind=RoleKind.ADMINISTRATOR, area=borough["north"])
    client.force_login(north_admin)
    url = reverse("accounts:staff-person", args=[resident.pk])
    response = client.post(url, {"kind": RoleKind.OFFICER, "area": borough["riverside"].pk})
    assert "Choose an area you manage" in response.content.decode()
    assert client.post(url, {"kind": RoleKind.OFFICER, "area": borough["castle"].pk}).status_code == 302
    # And a role over a wider area cannot be removed by someone who only administers part of it.
    district_role = RoleAssignment.objects.create(
        user=resident, kind=RoleKind.MODERATOR, area=borough["district"]
    )
    response = client.post(reverse("accounts:staff-role-revoke", args=[resident.pk, district_role.pk]))
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=district_role.pk).exists()


@pytest.fixture
def waiting(borough):
    """Two people waiting for verification: one in Castle (North), one in Riverside (South)."""
    castle = UserFactory(email="castle@example.org", home_postcode="TB2 1AA")
    riverside = UserFactory(email="riverside@example.org", home_postcode="TB3 1AA")
    return castle, riverside


def test_postcode_queue_shows_only_the_officers_areas(client, officer, waiting):
    client.force_login(officer)
    page = client.get(reverse("accounts:staff-postcodes")).content.decode()
    assert "castle@example.org" in page
    assert "riverside@example.org" not in page


def test_an_officer_verifies_a_postcode(client, officer, waiting, borough):
    castle, _riverside = waiting
    client.force_login(officer)
    url = reverse("accounts:staff-postcode-decision", args=[castle.pk])
    response = client.post(url, {"decision": PostcodeCheck.COUNCIL_TAX})
    assert response.status_code == 302
    castle.refresh_from_db()
    assert castle.postcode_verified
    assert (castle.postcode_verified_by, castle.postcode_check) == (officer, PostcodeCheck.COUNCIL_TAX)
    assert [a.pk for a in castle.home_areas()] == [borough[k].pk for k in ("district", "north", "castle")]
    entry = AuditEntry.objects.get(action="accounts.postcode_verified")
    assert entry.actor_id == officer.pk and entry.object_id == str(castle.pk)
    assert mail.outbox[-1].to == ["castle@example.org"]


def test_an_officer_cannot_verify_outside_their_area(client, officer, waiting):
    _castle, riverside = waiting
    client.force_login(officer)
    url = reverse("accounts:staff-postcode-decision", args=[riverside.pk])
    assert client.post(url, {"decision": PostcodeCheck.COUNCIL_TAX}).status_code == 403
    riverside.refresh_from_db()
    assert not riverside.postcode_verified


def test_rejecting_a_postcode_needs_a_reason_and_tells_the_person(client, officer, waiting):
    castle, _riverside = waiting
    client.force_login(officer)
    url = reverse("accounts:staff-postcode-decision", args=[castle.pk])
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert "Say why the postcode could not be verified" in response.content.decode()
    response = client.post(
        url, {"decision": "reject", "reason": "Not on the electoral register at this postcode."}
    )
    assert response.status_code == 302
    castle.refresh_from_db()
    assert castle.home_postcode == "" and not castle.postcode_verified
    assert "Not on the electoral register" in mail.outbox[-1].body
    assert AuditEntry.objects.filter(action="accounts.postcode_rejected").exists()


def test_audit_log_is_for_administrators_and_can_be_filtered(client, administrator, officer, borough):
    a_month_ago = timezone.now() - datetime.timedelta(days=30)
    with mock.patch("django.utils.timezone.now", return_value=a_month_ago):
        audit.record(actor=officer, action="test.old_thing", target=borough["castle"], summary="Old change")
    assert AuditEntry.objects.get(action="test.old_thing").created_at == a_month_ago
    audit.record(actor=administrator, action="test.new_thing", target=borough["castle"], summary="New change")
    client.force_login(officer)
    assert client.get(reverse("accounts:staff-audit")).status_code == 403

    client.force_login(administrator)
    url = reverse("accounts:staff-audit")
    page = client.get(url).content.decode()
    assert "Old change" in page and "New change" in page

    page = client.get(url, {"actor": "officer@"}).content.decode()
    assert "Old change" in page and "New change" not in page

    page = client.get(url, {"action": "test.new_thing"}).content.decode()
    assert "New change" in page and "Old change" not in page

    week_ago = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    page = client.get(url, {"date_from": week_ago}).content.decode()
    assert "New change" in page and "Old change" not in page

    response = client.get(url, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert (
        "The &#x27;to&#x27; date must be the same as or after the &#x27;from&#x27; date"
        in response.content.decode()
    )
    assert client.post(url).status_code == 405  # read-only


def test_audit_log_is_paginated(client, administrator):
    AuditEntry.objects.bulk_create(
        [AuditEntry(actor_label="system", action="test.bulk", summary=f"Entry {n}") for n in range(60)]
    )
    client.force_login(administrator)
    response = client.get(reverse("accounts:staff-audit"), {"action": "test.bulk"})
    page = response.content.decode()
    assert "govuk-pagination" in page
    assert "action=test.bulk&amp;page=2" in page
    response = client.get(reverse("accounts:staff-audit"), {"action": "test.bulk", "page": 2})
    assert len(response.context["page"].object_list) == 10


def test_staff_home_links_a_clerk_to_their_organisation_and_postcode_queue(
    client, parish_clerk, parish_council
):
    client.force_login(parish_clerk)
    page = client.get(reverse("accounts:staff-home")).content.decode()
    assert "Council officer for Abbeyfield Parish Council" in page
    assert reverse("accounts:organisation-members", args=[parish_council.slug]) in page
    assert reverse("accounts:staff-postcodes") in page


def test_staff_home_links_each_person_to_the_sections_they_work_in(client, officer, moderator):
    sections = {
        "budgets:staff-process-list": "Community budgets",
        "consultations:staff-list": "Consultations and calls for evidence",
        "simulator:staff-list": "Budget simulators",
        "conversations:staff-list": "Conversations and moderation",
    }
    client.force_login(officer)
    page = client.get(reverse("accounts:staff-home")).content.decode()
    for name, text in sections.items():
        assert reverse(name) in page and text in page
    assert reverse("budgets:staff-moderation") not in page  # officers do not moderate

    client.force_login(moderator)
    page = client.get(reverse("accounts:staff-home")).content.decode()
    assert reverse("budgets:staff-moderation") in page
    assert "Community budgets</a>" not in page
