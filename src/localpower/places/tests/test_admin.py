import pytest
from django.urls import reverse

from localpower.core.models import AuditEntry
from localpower.places.tests.factories import AreaFactory, make_small_borough

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin@example.org", "a-long-password-1")
    client.force_login(user)
    return client


def test_officer_can_find_areas_needing_a_name_and_rename_one(admin_client):
    borough = make_small_borough()
    unnamed = AreaFactory(
        name="E05900001",
        slug="e05900001",
        kind="ward",
        gss_code="E05900001",
        parent=borough["district"],
        needs_name=True,
    )
    listing = admin_client.get(reverse("admin:places_area_changelist"), {"needs_name__exact": "1"})
    assert listing.status_code == 200
    assert "E05900001" in listing.content.decode()
    assert "Abbey" not in listing.content.decode()

    response = admin_client.post(
        reverse("admin:places_area_change", args=[unnamed.pk]),
        {
            "name": "Westgate",
            "slug": "westgate",
            "kind": "ward",
            "gss_code": "E05900001",
            "parent": borough["district"].pk,
            "valid_from": "2000-01-01",
            "description": "",
        },
    )

    assert response.status_code == 302
    unnamed.refresh_from_db()
    assert unnamed.name == "Westgate" and not unnamed.needs_name
    assert AuditEntry.objects.get(action="places.area_changed").actor_label == "admin@example.org"


def test_postcode_and_boundary_set_lists_load(admin_client):
    make_small_borough()
    for name in ("admin:places_postcode_changelist", "admin:places_boundaryset_changelist"):
        assert admin_client.get(reverse(name)).status_code == 200
    assert "TB1 1AA" in admin_client.get(reverse("admin:places_postcode_changelist")).content.decode()
